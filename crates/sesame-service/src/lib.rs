//! Sésame's application services: the one place where a user action becomes
//! calls into the core crates. The Tauri commands and `sesamectl` both call
//! these functions and nothing below them, so the two can never disagree.
//! Each public function is one user action taking the [`Desk`] first.

mod desk;
mod error;
mod info;
pub mod paths;
mod queue;

pub use desk::Desk;
pub use error::ServiceError;
pub use info::{app_info, AppInfo};
pub use queue::{
    create_request, get_policy, get_request, list_requests, queue_counts, request_history,
    transition_request,
    TransitionInput,
};
