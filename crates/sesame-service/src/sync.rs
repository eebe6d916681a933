//! Locks over the desk's plain shared state (the camera's frames, the session, an
//! import's progress).

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, even if a thread panicked while holding it: every value behind
/// these locks is set, taken or replaced whole in one step, so a panic cannot leave
/// one half-written, and refusing it would only turn one failure into many.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
