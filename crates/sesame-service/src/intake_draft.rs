//! The intake form's draft: what the operator typed before saving, kept so that a
//! refused save, a closed form or a reloaded window loses nothing. It holds a
//! holder's name, e-mail and dates, so it lives in the desk's memory, for the
//! operator signed in, and nowhere else: never in the webview's storage or on
//! disk, and gone when the desk locks or the operator signs out.

use crate::{Desk, ServiceError};

/// A draft is a form's worth of text: anything bigger is not a draft.
pub const MAX_INTAKE_DRAFT_BYTES: usize = 16 * 1024;

/// The draft kept for the operator signed in, if any (the form's JSON, as saved).
pub async fn intake_draft(desk: &Desk) -> Result<Option<String>, ServiceError> {
    desk.require_signed_in()?;
    Ok(desk.session().intake_draft.clone())
}

/// Keeps `draft` (the form's JSON) for the operator signed in, or forgets it (`None`).
pub async fn save_intake_draft(desk: &Desk, draft: Option<String>) -> Result<(), ServiceError> {
    desk.require_signed_in()?;
    if let Some(text) = &draft {
        if text.len() > MAX_INTAKE_DRAFT_BYTES {
            return Err(ServiceError::DraftTooLarge {
                bytes: text.len(),
                max: MAX_INTAKE_DRAFT_BYTES,
            });
        }
    }
    desk.session().intake_draft = draft;
    Ok(())
}
