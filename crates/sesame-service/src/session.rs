//! Who works at this desk and what they may do: the supervisor guard that
//! sensitive service functions call first, and the countersign that lets a
//! supervisor authorise one sensitive action at a clerk's desk.

use std::sync::Mutex;
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

/// A supervisor's countersign at a clerk's desk.
#[derive(Debug, Clone)]
pub(crate) struct Elevation {
    pub(crate) supervisor: String,
    /// The one action countersigned, or `None` for any during the window.
    pub(crate) action: Option<SensitiveAction>,
    pub(crate) until: Instant,
    /// `until` as wall-clock time, for the UI and the audit log.
    pub(crate) until_utc: chrono::DateTime<chrono::Utc>,
}

/// The desk's operator as known at run time: the role (read from the operators
/// table when the desk opens) and any countersign in force.
#[derive(Debug)]
pub(crate) struct OperatorSession {
    pub(crate) role: OperatorRole,
    pub(crate) elevation: Option<Elevation>,
    /// Locked after inactivity: sensitive actions wait for the operator's PIN.
    pub(crate) locked: bool,
}

impl OperatorSession {
    pub(crate) fn new(role: OperatorRole) -> Mutex<OperatorSession> {
        Mutex::new(OperatorSession {
            role,
            elevation: None,
            locked: false,
        })
    }

    /// The supervisor whose countersign is in force now, if any.
    fn countersigned_by(&self, now: Instant) -> Option<&str> {
        self.elevation
            .as_ref()
            .filter(|e| now < e.until)
            .map(|e| e.supervisor.as_str())
    }

    /// True when a countersign in force covers `action`.
    fn countersign_covers(&self, action: SensitiveAction, now: Instant) -> bool {
        self.elevation
            .as_ref()
            .is_some_and(|e| now < e.until && e.action.is_none_or(|a| a == action))
    }
}

impl Desk {
    /// Refuses `action` unless this desk's operator is a supervisor or a
    /// supervisor countersigned at this desk (for this action, or for any)
    /// less than [`ELEVATION_WINDOW`] ago; refuses everything while the desk is locked.
    /// Sensitive service functions call it before touching anything.
    pub fn require_supervisor(&self, action: SensitiveAction) -> Result<(), ServiceError> {
        let session = self.session();
        if session.locked {
            return Err(ServiceError::DeskLocked {
                operator: self.operator.clone(),
            });
        }
        if session.role == OperatorRole::Supervisor
            || session.countersign_covers(action, Instant::now())
        {
            return Ok(());
        }
        Err(ServiceError::SupervisorRequired {
            action,
            operator: self.operator.clone(),
        })
    }

    /// The role of this desk's operator.
    pub fn role(&self) -> OperatorRole {
        self.session().role
    }

    /// The supervisor whose countersign is in force at this desk, if any.
    pub fn countersigned_by(&self) -> Option<String> {
        self.session()
            .countersigned_by(Instant::now())
            .map(str::to_owned)
    }

    pub(crate) fn session(&self) -> std::sync::MutexGuard<'_, OperatorSession> {
        // A panic while holding this lock cannot leave the session half-written
        // (each update is one assignment), so a poisoned lock is still usable.
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
