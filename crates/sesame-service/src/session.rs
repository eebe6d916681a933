//! Who works at this desk and what they may do: the supervisor guard that
//! sensitive service functions call first, and the countersign that lets a
//! supervisor authorise one sensitive action at a clerk's desk.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sesame_core::OperatorRole;
use ts_rs::TS;

use crate::{Desk, ServiceError};

/// How long a supervisor's countersign lets a clerk's desk do sensitive actions:
/// long enough for the action at hand, short enough that a desk left open is not
/// a supervisor's desk for the rest of the day.
pub const ELEVATION_WINDOW: Duration = Duration::from_secs(5 * 60);

/// The actions only a supervisor (or a clerk with a supervisor's countersign) may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveAction {
    Reprint,
    LiftOpposition,
    ChangeZones,
    Purge,
    KeyExport,
    ManageOperators,
    EraseHolder,
    ChangeSettings,
    /// Saving a photo over a refusal, when the office's rules ask for a supervisor.
    OverridePhotoCheck,
    /// Writing a holder's archive: every decrypted ID scan and photo leaves the database.
    ExportHolderData,
    /// Recording a zone decision when this desk's operator is not the zone's approver.
    DecideZoneAccess,
}

impl SensitiveAction {
    pub const ALL: [SensitiveAction; 11] = [
        Self::Reprint,
        Self::LiftOpposition,
        Self::ChangeZones,
        Self::Purge,
        Self::KeyExport,
        Self::ManageOperators,
        Self::EraseHolder,
        Self::ChangeSettings,
        Self::OverridePhotoCheck,
        Self::ExportHolderData,
        Self::DecideZoneAccess,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reprint => "reprint",
            Self::LiftOpposition => "lift_opposition",
            Self::ChangeZones => "change_zones",
            Self::Purge => "purge",
            Self::KeyExport => "key_export",
            Self::ManageOperators => "manage_operators",
            Self::EraseHolder => "erase_holder",
            Self::ChangeSettings => "change_settings",
            Self::OverridePhotoCheck => "override_photo_check",
            Self::ExportHolderData => "export_holder_data",
            Self::DecideZoneAccess => "decide_zone_access",
        }
    }
}

impl std::fmt::Display for SensitiveAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A supervisor's countersign at a clerk's desk: one action on one target, used
/// up by the first check it passes, and only within its window.
#[derive(Debug, Clone)]
pub(crate) struct Elevation {
    pub(crate) supervisor: String,
    pub(crate) action: SensitiveAction,
    /// What the action acts on (`operator:bob`, `badges:<numbers>`, `request:<id>`…).
    pub(crate) target: String,
    pub(crate) until: Instant,
    /// `until` as wall-clock time, for the UI and the audit log.
    pub(crate) until_utc: chrono::DateTime<chrono::Utc>,
}

/// Who signed in at this desk.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub(crate) name: String,
    pub(crate) role: OperatorRole,
    pub(crate) account: Account,
}

/// A person at the desk, or the unattended housekeeping run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Account {
    Person,
    /// `sesamectl housekeeping --service-account`: proved by the token set up by a
    /// supervisor, and allowed the retention purge and nothing else sensitive.
    Housekeeping,
}

/// The desk's session: who signed in (nobody when the desk opens), their role
/// (read from the operators table at sign-in and refreshed by `desk_session`),
/// any countersign in force, and the lock.
#[derive(Debug, Default)]
pub(crate) struct OperatorSession {
    pub(crate) signed_in: Option<SignedIn>,
    pub(crate) elevation: Option<Elevation>,
    /// Locked after inactivity: nothing but the operator's PIN opens it again.
    pub(crate) locked: bool,
    /// The intake form's draft (see `intake_draft.rs`): cleared with the session
    /// and by the lock.
    pub(crate) intake_draft: Option<String>,
}

impl OperatorSession {
    /// The supervisor whose countersign is in force now, if any.
    fn countersigned_by(&self, now: Instant) -> Option<&str> {
        self.elevation
            .as_ref()
            .filter(|e| now < e.until)
            .map(|e| e.supervisor.as_str())
    }

    /// True when a countersign in force covers `action` on `target`.
    fn countersign_covers(&self, action: SensitiveAction, target: &str, now: Instant) -> bool {
        self.elevation
            .as_ref()
            .is_some_and(|e| now < e.until && e.action == action && e.target == target)
    }

    /// The signed-in operator, if the desk is open to them now.
    fn open_to(&self) -> Result<&SignedIn, ServiceError> {
        let signed_in = self
            .signed_in
            .as_ref()
            .ok_or(ServiceError::SignInRequired)?;
        if self.locked {
            return Err(ServiceError::DeskLocked {
                operator: signed_in.name.clone(),
            });
        }
        Ok(signed_in)
    }
}

impl Desk {
    /// The gate in front of everything that reads or writes the queue: the name of
    /// the operator signed in at this desk, or `operator.sign_in_required` when
    /// nobody is, `operator.desk_locked` while the desk is locked. Both shells call
    /// it before any command but the sign-in ones; service functions that record
    /// who acted get the name from it too.
    pub fn require_signed_in(&self) -> Result<String, ServiceError> {
        Ok(self.session().open_to()?.name.clone())
    }

    /// The operator acting now (see [`Desk::require_signed_in`]).
    pub(crate) fn actor(&self) -> Result<String, ServiceError> {
        self.require_signed_in()
    }

    /// Refuses `action` on `target` unless this desk's operator is a supervisor
    /// or a supervisor countersigned this very action on this very target at this
    /// desk less than [`ELEVATION_WINDOW`] ago (the countersign is then used up);
    /// refuses everything while nobody is signed in or the desk is locked. The
    /// housekeeping account may purge and nothing else. Sensitive service
    /// functions call it before touching anything; the refusal names the action
    /// and target so the UI can ask for exactly that countersign.
    pub fn require_supervisor(
        &self,
        action: SensitiveAction,
        target: &str,
    ) -> Result<(), ServiceError> {
        let mut session = self.session();
        let signed_in = session.open_to()?;
        if signed_in.account == Account::Housekeeping {
            return if action == SensitiveAction::Purge {
                Ok(())
            } else {
                Err(ServiceError::HousekeepingOnly {
                    action: action.to_string(),
                })
            };
        }
        if signed_in.role == OperatorRole::Supervisor {
            return Ok(());
        }
        let operator = signed_in.name.clone();
        if session.countersign_covers(action, target, Instant::now()) {
            session.elevation = None;
            return Ok(());
        }
        Err(ServiceError::SupervisorRequired {
            action,
            target: target.to_owned(),
            operator,
        })
    }

    /// The operator signed in at this desk (locked or not), if anyone is.
    pub fn operator(&self) -> Option<String> {
        self.session().signed_in.as_ref().map(|s| s.name.clone())
    }

    /// The role of this desk's operator (a clerk's rights when nobody is signed in).
    pub fn role(&self) -> OperatorRole {
        self.session()
            .signed_in
            .as_ref()
            .map_or(OperatorRole::Clerk, |s| s.role)
    }

    /// The supervisor whose countersign is in force at this desk, if any.
    pub fn countersigned_by(&self) -> Option<String> {
        self.session()
            .countersigned_by(Instant::now())
            .map(str::to_owned)
    }

    pub(crate) fn session(&self) -> std::sync::MutexGuard<'_, OperatorSession> {
        crate::sync::lock(&self.session)
    }
}
