//! What the Tauri shell keeps between commands: the opened desk, or why it
//! could not be opened (the window still opens and says so).

use sesame_core::AppError;
use sesame_service::Desk;

pub struct DeskState {
    opened: Result<Desk, AppError>,
}

impl DeskState {
    pub fn new(opened: Result<Desk, AppError>) -> Self {
        Self { opened }
    }

    /// The desk, or the error that prevented opening it at startup.
    pub fn desk(&self) -> Result<&Desk, AppError> {
        self.opened.as_ref().map_err(Clone::clone)
    }

    /// The desk once its operator signed in and while it is not locked: what every
    /// command but the sign-in ones gets (`operator.sign_in_required`,
    /// `operator.desk_locked` otherwise).
    pub fn signed_in_desk(&self) -> Result<&Desk, AppError> {
        let desk = self.desk()?;
        desk.require_signed_in().map_err(|e| e.to_app_error())?;
        Ok(desk)
    }
}
