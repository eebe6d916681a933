//! Sésame's domain model, free of I/O and of Tauri.
//!
//! Everything that crosses the IPC boundary derives `ts_rs::TS` so the UI's
//! TypeScript types are generated from here (see `src-tauri/src/bindings.rs`).
//!
//! Identifiers are UUID v7 (time-ordered), shown and stored as text.

pub mod audit;
pub mod badge;
pub mod clock;
pub mod domain_error;
pub mod error;
pub mod holder;
pub mod operator;
pub mod request;
pub mod retention;
pub mod rules;
pub mod text;
pub mod zone;

pub use audit::{AuditEntity, AuditEntry};
pub use badge::{next_badge_status, Badge, BadgeAction, BadgeNumberFormat, BadgeStatus};
pub use clock::Clock;
pub use domain_error::DomainError;
pub use error::{AppError, CountersignNeed, ErrorCode, ErrorCodes};
pub use holder::{Holder, HolderDetails};
pub use operator::{Operator, OperatorRole};
pub use request::{
    allowed_actions, missing_items, next_status, AttachmentKind, DispatchMethod, MediaType,
    MissingItem, ReplacementCause, Request, RequestAction, RequestDetails, RequestFacts,
    RequestKind, RequestStatus, Stamp, StampColumns,
};
pub use retention::{RetentionCutoffs, RetentionPolicy};
pub use rules::{
    evaluate, rules_for, strict_rules, CategoryRules, Eligibility, EligibilityProblem,
    EnglishDateOrder, PhotoPolicy, Policy, WantedDates,
};
pub use zone::{Zone, ZoneDecision, ZoneDetails, ZoneKind, ZoneVerdict};
