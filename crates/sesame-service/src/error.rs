//! The service layer's error: any core crate's error, keeping its code.

use sesame_core::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Paths(#[from] crate::paths::PathsError),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] sesame_store::StoreError),
    #[error("'{value}' is not a valid request id")]
    BadId { value: String },
}

impl ErrorCode for ServiceError {
    fn code(&self) -> &'static str {
        match self {
            ServiceError::Paths(e) => e.code(),
            ServiceError::DataDir { .. } => "paths.data_dir_unwritable",
            ServiceError::Store(e) => e.code(),
            ServiceError::BadId { .. } => "request.bad_id",
        }
    }
}
