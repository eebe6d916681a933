//! Which database this desk opens, chosen on the settings screen: the embedded SQLite
//! file (one desk) or a PostgreSQL server (several desks, one queue).
//!
//! The choice is kept in `desk.json` in the data directory (`desk_config`), WITHOUT the password: a
//! PostgreSQL password goes to the OS keyring (account `database:<url without password>`)
//! and is put back into the URL only when connecting. `SESAME_DATABASE_URL` still wins
//! over the file (tests, development, administrators' scripts).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sesame_store::Store;
use sesame_vault::SecretEntry;
use ts_rs::TS;

use crate::desk_config::{read_config, write_config};
use crate::SensitiveAction;
use crate::{Desk, ServiceError};

const DEFAULT_SQLITE_FILE: &str = "sesame.sqlite3";

/// Where the queue lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DatabaseChoice {
    /// The SQLite file: a file name in the data directory; empty or absent means the
    /// default `sesame.sqlite3`.
    Sqlite {
        #[serde(default)]
        path: Option<String>,
    },
    /// A PostgreSQL URL without password, e.g. `postgres://desk@db.example.org/sesame`.
    Postgres { url: String },
}

/// What the settings screen shows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseSettings {
    /// The choice saved on this desk (the default SQLite file when none was saved).
    pub choice: DatabaseChoice,
    /// The database this session is using, without password.
    pub in_use: String,
    /// `SESAME_DATABASE_URL` overrides the saved choice on this machine.
    pub overridden_by_environment: bool,
    /// A PostgreSQL password is kept in the OS keyring for the saved URL.
    pub password_stored: bool,
    /// The default SQLite file, for the form's placeholder.
    pub default_sqlite_path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseSettingsInput {
    pub choice: DatabaseChoice,
    /// For PostgreSQL: stored in the OS keyring. `None` keeps the stored one.
    pub password: Option<String>,
}

fn default_sqlite_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DEFAULT_SQLITE_FILE)
}

/// A SQLite file named on the settings screen lives in the data directory: the
/// webview names a file there, never a path elsewhere (a desk whose data must live
/// elsewhere sets `SESAME_DATA_DIR`).
fn plain_file_name(name: &str) -> Result<&str, ServiceError> {
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control);
    if plain {
        Ok(name)
    } else {
        Err(ServiceError::BadDatabaseUrl {
            detail: format!("'{name}' is not a file name in the data folder"),
        })
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Splits a PostgreSQL URL into the URL without password and the password, refusing
/// anything that is not a PostgreSQL URL.
fn split_password(raw: &str) -> Result<(String, Option<String>), ServiceError> {
    let invalid = |detail: &str| ServiceError::BadDatabaseUrl {
        detail: detail.to_owned(),
    };
    let mut url = url::Url::parse(raw.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        return Err(invalid("the URL must start with postgres://"));
    }
    if url.host_str().unwrap_or("").is_empty() {
        return Err(invalid("the URL names no server"));
    }
    // A password (or user) given as a query parameter would end up in desk.json.
    if url
        .query_pairs()
        .any(|(k, _)| k.eq_ignore_ascii_case("password") || k.eq_ignore_ascii_case("user"))
    {
        return Err(invalid(
            "put the user before the server (postgres://user@server/base) and the password in its field, not in the URL's parameters",
        ));
    }
    let password = url.password().map(percent_decode);
    url.set_password(None)
        .map_err(|_| invalid("the URL cannot hold a password"))?;
    Ok((url.to_string(), password))
}

/// `p%40ss+1` → `p@ss+1` (a `+` in a URL's password is a plus, not a space).
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn password_slot(url_without_password: &str) -> Result<SecretEntry, ServiceError> {
    Ok(SecretEntry::for_account(&format!(
        "database:{url_without_password}"
    ))?)
}

/// The URL to connect with: the saved URL with the keyring's password put back.
fn with_password(url_without_password: &str) -> Result<String, ServiceError> {
    let Some(password) = password_slot(url_without_password)?.get()? else {
        return Ok(url_without_password.to_owned());
    };
    let mut url =
        url::Url::parse(url_without_password).map_err(|e| ServiceError::BadDatabaseUrl {
            detail: e.to_string(),
        })?;
    url.set_password(Some(&password))
        .map_err(|_| ServiceError::BadDatabaseUrl {
            detail: "the URL cannot hold a password".into(),
        })?;
    Ok(url.to_string())
}

fn url_for_choice(data_dir: &Path, choice: &DatabaseChoice) -> Result<String, ServiceError> {
    match choice {
        DatabaseChoice::Sqlite { path } => {
            let file = match path.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                Some(name) => data_dir.join(plain_file_name(name)?),
                None => default_sqlite_path(data_dir),
            };
            Ok(sqlite_url(&file))
        }
        DatabaseChoice::Postgres { url } => with_password(url),
    }
}

/// The database URL this desk opens: `SESAME_DATABASE_URL`, else the saved choice,
/// else the SQLite file in the data directory.
pub fn database_url_for(data_dir: &Path) -> Result<String, ServiceError> {
    if let Some(url) = environment_url() {
        return Ok(url);
    }
    match read_config(data_dir)?.database {
        Some(choice) => url_for_choice(data_dir, &choice),
        None => Ok(sqlite_url(&default_sqlite_path(data_dir))),
    }
}

fn environment_url() -> Option<String> {
    std::env::var("SESAME_DATABASE_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// The database settings as the settings screen shows them.
pub async fn database_settings(desk: &Desk) -> Result<DatabaseSettings, ServiceError> {
    let choice = read_config(&desk.data_dir)?
        .database
        .unwrap_or(DatabaseChoice::Sqlite { path: None });
    let password_stored = match &choice {
        DatabaseChoice::Postgres { url } => password_slot(url)?.get()?.is_some(),
        DatabaseChoice::Sqlite { .. } => false,
    };
    Ok(DatabaseSettings {
        choice,
        in_use: desk.store.location().to_owned(),
        overridden_by_environment: environment_url().is_some(),
        password_stored,
        default_sqlite_path: default_sqlite_path(&desk.data_dir).display().to_string(),
    })
}

/// Saves the database choice for the next start, after checking it opens (a PostgreSQL
/// queue is created and migrated if new). The password goes to the OS keyring only.
/// Nothing is saved when the connection fails.
pub async fn save_database_settings(
    desk: &Desk,
    input: DatabaseSettingsInput,
) -> Result<DatabaseSettings, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "database")?;
    let choice = match input.choice {
        DatabaseChoice::Sqlite { path } => {
            let path = path.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
            if let Some(name) = &path {
                plain_file_name(name)?;
            }
            DatabaseChoice::Sqlite { path }
        }
        DatabaseChoice::Postgres { url } => {
            let (url, inline) = split_password(&url)?;
            let password = input.password.filter(|p| !p.is_empty()).or(inline);
            if let Some(password) = &password {
                let mut with = url::Url::parse(&url).map_err(|e| ServiceError::BadDatabaseUrl {
                    detail: e.to_string(),
                })?;
                let _ = with.set_password(Some(password));
                probe(with.as_str()).await?;
                password_slot(&url)?.set(password)?;
            } else {
                probe(&with_password(&url)?).await?;
            }
            DatabaseChoice::Postgres { url }
        }
    };
    if let DatabaseChoice::Sqlite { .. } = &choice {
        probe(&url_for_choice(&desk.data_dir, &choice)?).await?;
    }
    let mut config = read_config(&desk.data_dir)?;
    config.database = Some(choice);
    write_config(&desk.data_dir, &config)?;
    database_settings(desk).await
}

/// Opens (creating and migrating if needed) and closes the database, so a wrong URL or
/// password is reported now, in the settings screen, not at the next start.
async fn probe(url: &str) -> Result<(), ServiceError> {
    let store = Store::open(url).await?;
    store.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_typed_in_the_url_is_taken_out_of_it() {
        let (url, password) =
            split_password("postgres://desk:p%40ss+1@db.example.org:5432/sesame").unwrap();
        assert_eq!(url, "postgres://desk@db.example.org:5432/sesame");
        assert_eq!(password.as_deref(), Some("p@ss+1"));
        let error =
            split_password("postgres://db.example.org/sesame?user=desk&password=x").unwrap_err();
        assert_eq!(
            sesame_core::ErrorCode::code(&error),
            "settings.bad_database_url"
        );
    }

    #[test]
    fn only_postgres_urls_with_a_server_are_accepted() {
        for bad in ["mysql://x@h/db", "not a url", "postgres:///sesame"] {
            let error = split_password(bad).unwrap_err();
            assert_eq!(
                sesame_core::ErrorCode::code(&error),
                "settings.bad_database_url",
                "{bad}"
            );
        }
    }

    #[test]
    fn without_a_saved_choice_the_desk_uses_its_sqlite_file() {
        let dir = tempfile::tempdir().unwrap();
        let config = read_config(dir.path()).unwrap();
        assert!(config.database.is_none());
        let url = url_for_choice(dir.path(), &DatabaseChoice::Sqlite { path: None }).unwrap();
        assert!(url.ends_with("sesame.sqlite3"), "{url}");
    }
}
