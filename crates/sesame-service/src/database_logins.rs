//! Operators who sign in with their own PostgreSQL login (a queue URL naming no user):
//! the password is checked by the database, the desk then talks to it as that login,
//! and the database's guards (`0008_database_roles.sql`) decide the sensitive actions,
//! whatever the desk process does. `operators.rs` calls these where a PIN queue would
//! check a PIN hash.

use sesame_core::{Operator, OperatorRole};
use sesame_store::{DatabaseLogin, SecuredDatabase};

use crate::session::{Account, SignedIn};
use crate::{Desk, SensitiveAction, ServiceError};

/// The shortest password the desk gives a new login or a reset.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Whether this desk's operators sign in with their database login.
pub(crate) fn in_use(desk: &Desk) -> bool {
    desk.store.uses_database_logins()
}

fn signed_in_as(login: DatabaseLogin) -> SignedIn {
    match login.role.as_str() {
        "supervisor" => SignedIn {
            name: login.name,
            role: OperatorRole::Supervisor,
            account: Account::Person,
        },
        "housekeeping" => SignedIn {
            name: login.name,
            role: OperatorRole::Clerk,
            account: Account::Housekeeping,
        },
        _ => SignedIn {
            name: login.name,
            role: OperatorRole::Clerk,
            account: Account::Person,
        },
    }
}

/// Connects as `name` with `password`; the desk's connection is theirs from now on.
/// Blob upgrades waiting for a connection run now.
pub(crate) async fn sign_in(
    desk: &Desk,
    name: &str,
    password: &str,
) -> Result<SignedIn, ServiceError> {
    let login = desk.store.sign_in_with_login(name.trim(), password).await?;
    let signed_in = signed_in_as(login);
    if signed_in.account == Account::Person && desk.store.operator(&signed_in.name).await?.is_none()
    {
        desk.store.sign_out_login().await;
        return Err(ServiceError::Store(
            sesame_store::StoreError::NotAnOperatorLogin {
                name: signed_in.name,
            },
        ));
    }
    crate::keys::upgrade_attachment_blobs(&desk.store).await;
    Ok(signed_in)
}

/// Checks the signed-in operator's password again (the lock screen).
pub(crate) async fn verify(desk: &Desk, name: &str, password: &str) -> Result<(), ServiceError> {
    desk.store.verify_login(name, password).await?;
    Ok(())
}

/// A supervisor's countersign, recorded by the database with their own login (the
/// database writes its audit line): the clerk's login may then do `action` once.
pub(crate) async fn countersign(
    desk: &Desk,
    supervisor: &str,
    password: &str,
    clerk: &str,
    action: SensitiveAction,
    target: &str,
) -> Result<String, ServiceError> {
    let supervisor = supervisor.trim();
    desk.store
        .countersign_with_login(supervisor, password, clerk, action.as_str(), target)
        .await
        .map_err(|error| match error {
            sesame_store::StoreError::DatabaseRefused { .. } => ServiceError::NotASupervisor {
                name: supervisor.to_owned(),
            },
            other => other.into(),
        })?;
    Ok(supervisor.to_owned())
}

fn check_password(password: &str) -> Result<(), ServiceError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServiceError::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    Ok(())
}

/// A name PostgreSQL takes as a login as it is, and that cannot pass for one of its
/// own roles or Sésame's groups.
fn check_login_name(name: &str) -> Result<(), ServiceError> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    if name.is_empty()
        || name.len() > 63
        || !name.chars().all(allowed)
        || name.starts_with("pg_")
        || name.starts_with("sesame_")
    {
        return Err(ServiceError::LoginNameInvalid {
            name: name.chars().take(63).collect(),
        });
    }
    Ok(())
}

async fn record_of(desk: &Desk, name: &str) -> Result<Operator, ServiceError> {
    Ok(desk
        .store
        .operator(name)
        .await?
        .ok_or_else(|| {
            ServiceError::Store(sesame_store::StoreError::NotFound {
                entity: "operator",
                id: name.to_owned(),
            })
        })?
        .operator)
}

/// A new operator's login in the group of their role, with their first password.
pub(crate) async fn add(
    desk: &Desk,
    name: &str,
    display_name: &str,
    role: OperatorRole,
    password: &str,
) -> Result<Operator, ServiceError> {
    check_password(password)?;
    let name = name.trim();
    check_login_name(name)?;
    desk.store
        .create_login(name, display_name.trim(), role.as_str(), password)
        .await?;
    record_of(desk, name).await
}

pub(crate) async fn set_password(
    desk: &Desk,
    name: &str,
    password: &str,
) -> Result<Operator, ServiceError> {
    check_password(password)?;
    desk.store.set_login_password(name, password).await?;
    record_of(desk, name).await
}

pub(crate) async fn set_role(
    desk: &Desk,
    name: &str,
    role: OperatorRole,
) -> Result<Operator, ServiceError> {
    desk.store.set_login_role(name, role.as_str()).await?;
    record_of(desk, name).await
}

pub(crate) async fn set_active(
    desk: &Desk,
    name: &str,
    active: bool,
) -> Result<Operator, ServiceError> {
    desk.store.set_login_active(name, active).await?;
    record_of(desk, name).await
}

/// The queue's owner (the desk opened with the owner's URL, user and password in it)
/// secures the database for per-operator logins: see `Store::secure_database`. Runs
/// signed out: the database decides, by the owner's own privileges.
pub async fn secure_database(desk: &Desk) -> Result<SecuredDatabase, ServiceError> {
    Ok(desk.store.secure_database().await?)
}

/// A login the queue's owner creates (the first supervisor's, the housekeeping
/// service account's): `role` is `clerk`, `supervisor` or `housekeeping`.
pub async fn create_database_login(
    desk: &Desk,
    name: &str,
    display_name: &str,
    role: &str,
    password: &str,
) -> Result<(), ServiceError> {
    check_password(password)?;
    let name = name.trim();
    check_login_name(name)?;
    desk.store
        .create_login(name, display_name.trim(), role, password)
        .await?;
    Ok(())
}
