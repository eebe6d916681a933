//! Ids as the UI and the command line send them (text), for the lifecycle services.

use uuid::Uuid;

use crate::ServiceError;

pub(crate) fn parse_id(value: &str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(value.trim()).map_err(|_| ServiceError::BadId {
        value: value.to_string(),
    })
}
