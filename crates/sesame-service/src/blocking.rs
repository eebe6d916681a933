//! Work that would stall the async workers runs on tokio's blocking pool: keyring
//! calls (D-Bus on Linux), card readings (PC/SC waits for the card), PIN hashes
//! (Argon2 is slow on purpose) and photo work (every pixel of a frame).

use crate::error::ServiceError;

/// What the blocking work is, so that a task dying on the pool (a panic) is reported
/// as the failure of that work, with its own error code.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Blocking {
    Keyring,
    CardReader,
    PinHash,
    Photo,
}

impl Blocking {
    /// Runs `work` off the async workers and gives back its result.
    pub(crate) async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
    ) -> Result<T, ServiceError> {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| self.failed(e.to_string()))?
    }

    fn failed(self, detail: String) -> ServiceError {
        match self {
            Blocking::Keyring => ServiceError::KeyTask { detail },
            Blocking::CardReader => ServiceError::CardTask { detail },
            Blocking::PinHash => ServiceError::PinHash { detail },
            Blocking::Photo => ServiceError::PhotoTask { detail },
        }
    }
}
