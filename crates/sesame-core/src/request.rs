//! Badge requests and their lifecycle, as an explicit state machine.
//!
//! `submitted → incomplete | awaiting_photo → ready_for_review → approved | refused
//!  → printed → dispatched → activated`, plus `cancelled` before printing.
//! [`next_status`] is the only place that decides a move; the store calls it and
//! writes nothing when it refuses.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain_error::DomainError;
use crate::rules::{CategoryRules, Eligibility};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    NewBadge,
    /// Renewal or extension of an existing badge.
    Renewal,
    /// After loss, theft or damage of a badge.
    Replacement,
    /// Transfer of accreditations from an old badge to a new one.
    Transfer,
    /// Access to a secured zone on an existing badge: nothing is printed.
    ZoneAccess,
    DayPass,
}

impl RequestKind {
    pub const ALL: [RequestKind; 6] = [
        Self::NewBadge,
        Self::Renewal,
        Self::Replacement,
        Self::Transfer,
        Self::ZoneAccess,
        Self::DayPass,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewBadge => "new_badge",
            Self::Renewal => "renewal",
            Self::Replacement => "replacement",
            Self::Transfer => "transfer",
            Self::ZoneAccess => "zone_access",
            Self::DayPass => "day_pass",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Whether the request ends with a card being printed.
    pub fn prints_a_card(self) -> bool {
        self != Self::ZoneAccess
    }

    /// Whether the badge issued is a permanent one (subject to the presence rule).
    pub fn issues_permanent_badge(self) -> bool {
        matches!(
            self,
            Self::NewBadge | Self::Renewal | Self::Replacement | Self::Transfer
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Submitted,
    Incomplete,
    AwaitingPhoto,
    ReadyForReview,
    Approved,
    Refused,
    Printed,
    Dispatched,
    Activated,
    Cancelled,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 10] = [
        Self::Submitted,
        Self::Incomplete,
        Self::AwaitingPhoto,
        Self::ReadyForReview,
        Self::Approved,
        Self::Refused,
        Self::Printed,
        Self::Dispatched,
        Self::Activated,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Incomplete => "incomplete",
            Self::AwaitingPhoto => "awaiting_photo",
            Self::ReadyForReview => "ready_for_review",
            Self::Approved => "approved",
            Self::Refused => "refused",
            Self::Printed => "printed",
            Self::Dispatched => "dispatched",
            Self::Activated => "activated",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Still being put together: attachments and declarations may change.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Submitted | Self::Incomplete | Self::AwaitingPhoto | Self::ReadyForReview
        )
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Refused | Self::Activated | Self::Cancelled)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Photo,
    IdDocumentFront,
    IdDocumentBack,
    Other,
    /// A badge photo replaced by a newer one: kept so it can be restored, until the
    /// retention purge removes it with the ID scans.
    PreviousPhoto,
}

impl AttachmentKind {
    pub const ALL: [AttachmentKind; 5] = [
        Self::Photo,
        Self::IdDocumentFront,
        Self::IdDocumentBack,
        Self::Other,
        Self::PreviousPhoto,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::IdDocumentFront => "id_document_front",
            Self::IdDocumentBack => "id_document_back",
            Self::Other => "other",
            Self::PreviousPhoto => "previous_photo",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    Jpeg,
    Png,
    Pdf,
}

impl MediaType {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
        }
    }

    pub fn from_mime(value: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::Pdf]
            .into_iter()
            .find(|m| m.mime() == value)
    }

    /// Recognises the bytes by their signature, never by a file name.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DispatchMethod {
    InternalMail,
    HandedOver,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReplacementCause {
    Lost,
    Stolen,
    Damaged,
}

/// Who recorded something and when (consent, certification, a step of the lifecycle).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Stamp {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What a request asks for, as entered at the desk or imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestDetails {
    pub kind: RequestKind,
    pub zones: Vec<String>,
    pub services: Vec<String>,
    /// First day wanted (day passes; otherwise a wish bounded by the rules).
    pub wanted_from: Option<NaiveDate>,
    pub wanted_until: Option<NaiveDate>,
    /// The badge this request replaces, renews or transfers from.
    pub previous_badge_id: Option<Uuid>,
    pub replacement_cause: Option<ReplacementCause>,
    pub notes: Option<String>,
}

impl RequestDetails {
    pub fn new(kind: RequestKind) -> Self {
        Self {
            kind,
            zones: Vec::new(),
            services: Vec::new(),
            wanted_from: None,
            wanted_until: None,
            previous_badge_id: None,
            replacement_cause: None,
            notes: None,
        }
    }

    /// Trims zone and service names, drops blanks and duplicates (order kept).
    pub fn normalised(mut self) -> Self {
        fn clean(list: Vec<String>) -> Vec<String> {
            let mut out: Vec<String> = Vec::with_capacity(list.len());
            for item in list {
                let item = item.trim().to_owned();
                if !item.is_empty() && !out.contains(&item) {
                    out.push(item);
                }
            }
            out
        }
        self.zones = clean(self.zones);
        self.services = clean(self.services);
        self.notes = self
            .notes
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        self
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        if let (Some(from), Some(until)) = (self.wanted_from, self.wanted_until) {
            if until < from {
                return Err(DomainError::WantedDatesInverted { from, until });
            }
        }
        Ok(())
    }
}

/// A stored request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub id: Uuid,
    pub holder_id: Uuid,
    #[serde(flatten)]
    pub details: RequestDetails,
    pub status: RequestStatus,
    /// Optimistic concurrency: every change bumps it; a change must name the version it saw.
    #[ts(type = "number")]
    pub version: i64,
    pub image_rights_consent: Option<Stamp>,
    pub photo_certified: Option<Stamp>,
    /// Reason of the last refusal, cancellation or return for completion.
    pub status_reason: Option<String>,
    pub submitted: Stamp,
    /// Approval or refusal.
    pub reviewed: Option<Stamp>,
    pub printed: Option<Stamp>,
    pub dispatched: Option<Stamp>,
    pub dispatch_method: Option<DispatchMethod>,
    pub activated: Option<Stamp>,
    /// A desk that took the request to print (claims expire, see the store).
    pub print_claim: Option<Stamp>,
    pub updated_at: DateTime<Utc>,
}

/// What a request still lacks before review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MissingItem {
    Photo,
    IdDocumentFront,
    IdDocumentBack,
    ImageRightsConsent,
    PhotoCertification,
}

impl MissingItem {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::IdDocumentFront => "id_document_front",
            Self::IdDocumentBack => "id_document_back",
            Self::ImageRightsConsent => "image_rights_consent",
            Self::PhotoCertification => "photo_certification",
        }
    }
}

/// The facts about a request that guards read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFacts {
    pub attachments: Vec<AttachmentKind>,
    pub image_rights_consent: bool,
    pub photo_certified: bool,
}

/// What must be present before review, for this kind and category.
pub fn missing_items(
    kind: RequestKind,
    rules: &CategoryRules,
    facts: &RequestFacts,
) -> Vec<MissingItem> {
    let mut missing = Vec::new();
    let has = |k: AttachmentKind| facts.attachments.contains(&k);
    let needs_photo = rules.require_photo && kind.prints_a_card();
    if needs_photo {
        if !has(AttachmentKind::Photo) {
            missing.push(MissingItem::Photo);
        }
        if !facts.photo_certified {
            missing.push(MissingItem::PhotoCertification);
        }
        if !facts.image_rights_consent {
            missing.push(MissingItem::ImageRightsConsent);
        }
    }
    for doc in &rules.required_documents {
        match doc {
            AttachmentKind::IdDocumentFront if !has(*doc) => {
                missing.push(MissingItem::IdDocumentFront)
            }
            AttachmentKind::IdDocumentBack if !has(*doc) => {
                missing.push(MissingItem::IdDocumentBack)
            }
            AttachmentKind::Photo if !has(*doc) && !missing.contains(&MissingItem::Photo) => {
                missing.push(MissingItem::Photo)
            }
            _ => {}
        }
    }
    missing
}

/// Everything a desk can do to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum RequestAction {
    /// Moves an open request to where its completeness puts it
    /// (awaiting photo, incomplete, or ready for review).
    Evaluate,
    MarkIncomplete,
    AwaitPhoto,
    MarkReady,
    Approve,
    Refuse,
    MarkPrinted,
    Dispatch {
        method: DispatchMethod,
    },
    Activate,
    Cancel,
    /// The holder agreed to the use of their image (recorded by the operator).
    RecordImageRightsConsent,
    /// The operator certifies the photo is representative of the holder.
    CertifyPhoto,
}

/// Where a request keeps one of its stamps: the column of who and of when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StampColumns {
    pub by: &'static str,
    pub at: &'static str,
}

impl RequestAction {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Evaluate => "evaluate",
            Self::MarkIncomplete => "mark_incomplete",
            Self::AwaitPhoto => "await_photo",
            Self::MarkReady => "mark_ready",
            Self::Approve => "approve",
            Self::Refuse => "refuse",
            Self::MarkPrinted => "mark_printed",
            Self::Dispatch { .. } => "dispatch",
            Self::Activate => "activate",
            Self::Cancel => "cancel",
            Self::RecordImageRightsConsent => "record_image_rights_consent",
            Self::CertifyPhoto => "certify_photo",
        }
    }

    pub fn needs_reason(&self) -> bool {
        matches!(self, Self::Refuse | Self::Cancel | Self::MarkIncomplete)
    }

    /// The columns of the stamp (who, when) this action leaves on the request, if any.
    pub fn stamp_columns(&self) -> Option<StampColumns> {
        let (by, at) = match self {
            Self::Approve | Self::Refuse => ("reviewed_by", "reviewed_at"),
            Self::MarkPrinted => ("printed_by", "printed_at"),
            Self::Dispatch { .. } => ("dispatched_by", "dispatched_at"),
            Self::Activate => ("activated_by", "activated_at"),
            Self::RecordImageRightsConsent => ("consent_by", "consent_at"),
            Self::CertifyPhoto => ("photo_certified_by", "photo_certified_at"),
            Self::Evaluate
            | Self::MarkIncomplete
            | Self::AwaitPhoto
            | Self::MarkReady
            | Self::Cancel => return None,
        };
        Some(StampColumns { by, at })
    }

    /// True when the action ends a desk's claim on the request to print it: the card
    /// was printed, or the request will never be.
    pub fn ends_print_claim(&self) -> bool {
        matches!(self, Self::MarkPrinted | Self::Cancel)
    }

    /// One of each action, to list what is allowed from a status.
    pub fn all() -> Vec<RequestAction> {
        vec![
            Self::Evaluate,
            Self::MarkIncomplete,
            Self::AwaitPhoto,
            Self::MarkReady,
            Self::Approve,
            Self::Refuse,
            Self::MarkPrinted,
            Self::Dispatch {
                method: DispatchMethod::InternalMail,
            },
            Self::Activate,
            Self::Cancel,
            Self::RecordImageRightsConsent,
            Self::CertifyPhoto,
        ]
    }
}

/// Decides the status after `action`, or refuses it. Pure: the caller writes the result.
///
/// `missing` and `eligibility` are the guards for review and approval.
pub fn next_status(
    status: RequestStatus,
    kind: RequestKind,
    action: &RequestAction,
    reason: Option<&str>,
    missing: &[MissingItem],
    eligibility: &Eligibility,
) -> Result<RequestStatus, DomainError> {
    use RequestAction as A;
    let target = allowed_target(status, kind, action, missing).ok_or_else(|| {
        DomainError::IllegalRequestTransition {
            status: status.as_str().to_owned(),
            action: action.name().to_owned(),
        }
    })?;
    if action.needs_reason() && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(DomainError::ReasonRequired {
            action: action.name().to_owned(),
        });
    }
    let incomplete = || DomainError::RequestIncomplete {
        missing: missing.iter().map(|m| m.as_str().to_owned()).collect(),
    };
    match action {
        A::MarkReady if !missing.is_empty() => return Err(incomplete()),
        A::Approve if !missing.is_empty() => return Err(incomplete()),
        A::Approve if !eligibility.is_eligible() => {
            return Err(DomainError::NotEligible {
                problems: eligibility
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            })
        }
        _ => {}
    }
    Ok(target)
}

/// The status an action leads to from `status`, ignoring guards; `None` when illegal.
fn allowed_target(
    status: RequestStatus,
    kind: RequestKind,
    action: &RequestAction,
    missing: &[MissingItem],
) -> Option<RequestStatus> {
    use RequestAction as A;
    use RequestStatus as S;

    let pre_review = matches!(status, S::Submitted | S::Incomplete | S::AwaitingPhoto);
    match action {
        A::Evaluate if pre_review => Some(if missing.is_empty() {
            S::ReadyForReview
        } else if missing.iter().all(|m| *m == MissingItem::Photo) {
            S::AwaitingPhoto
        } else {
            S::Incomplete
        }),
        A::MarkIncomplete
            if matches!(status, S::Submitted | S::AwaitingPhoto | S::ReadyForReview) =>
        {
            Some(S::Incomplete)
        }
        A::AwaitPhoto if matches!(status, S::Submitted | S::Incomplete) => Some(S::AwaitingPhoto),
        A::MarkReady if pre_review => Some(S::ReadyForReview),
        A::Approve if status == S::ReadyForReview => Some(S::Approved),
        A::Refuse if status.is_open() => Some(S::Refused),
        A::MarkPrinted if status == S::Approved && kind.prints_a_card() => Some(S::Printed),
        A::Dispatch { .. } if status == S::Printed => Some(S::Dispatched),
        A::Activate if status == S::Dispatched => Some(S::Activated),
        A::Activate if status == S::Approved && !kind.prints_a_card() => Some(S::Activated),
        A::Cancel if status.is_open() || status == S::Approved => Some(S::Cancelled),
        A::RecordImageRightsConsent | A::CertifyPhoto if status.is_open() => Some(status),
        _ => None,
    }
}

/// The actions the desk may offer now (guards included), for the UI's buttons.
pub fn allowed_actions(
    status: RequestStatus,
    kind: RequestKind,
    missing: &[MissingItem],
    eligibility: &Eligibility,
) -> Vec<String> {
    RequestAction::all()
        .iter()
        .filter(|a| next_status(status, kind, a, Some("reason"), missing, eligibility).is_ok())
        .map(|a| a.name().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{EligibilityProblem, Policy};
    use RequestAction as A;
    use RequestStatus as S;

    #[test]
    fn each_stamping_action_names_its_own_columns() {
        let stamps: Vec<(&str, Option<StampColumns>)> = RequestAction::all()
            .iter()
            .map(|a| (a.name(), a.stamp_columns()))
            .collect();
        for (name, columns) in &stamps {
            if let Some(c) = columns {
                assert!(
                    c.by.ends_with("_by") && c.at.ends_with("_at"),
                    "{name}: {c:?}"
                );
                assert_eq!(c.by.trim_end_matches("_by"), c.at.trim_end_matches("_at"));
            }
        }
        let stamped = |a: A| a.stamp_columns().map(|c| c.by);
        assert_eq!(stamped(A::Approve), Some("reviewed_by"));
        assert_eq!(stamped(A::Refuse), Some("reviewed_by"));
        assert_eq!(stamped(A::MarkPrinted), Some("printed_by"));
        assert_eq!(stamped(A::Activate), Some("activated_by"));
        assert_eq!(stamped(A::CertifyPhoto), Some("photo_certified_by"));
        assert_eq!(stamped(A::RecordImageRightsConsent), Some("consent_by"));
        assert_eq!(stamped(A::Cancel), None);
        assert_eq!(stamped(A::Evaluate), None);
        assert!(A::MarkPrinted.ends_print_claim() && A::Cancel.ends_print_claim());
        assert!(!A::Approve.ends_print_claim());
    }

    fn eligible() -> Eligibility {
        Eligibility {
            problems: vec![],
            propose_day_pass: false,
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 31),
        }
    }

    fn step(status: S, action: A) -> Result<S, DomainError> {
        next_status(
            status,
            RequestKind::NewBadge,
            &action,
            Some("because"),
            &[],
            &eligible(),
        )
    }

    #[test]
    fn happy_path_to_activation() {
        let mut s = S::Submitted;
        for (action, expected) in [
            (A::Evaluate, S::ReadyForReview),
            (A::Approve, S::Approved),
            (A::MarkPrinted, S::Printed),
            (
                A::Dispatch {
                    method: DispatchMethod::HandedOver,
                },
                S::Dispatched,
            ),
            (A::Activate, S::Activated),
        ] {
            s = step(s, action).unwrap();
            assert_eq!(s, expected);
        }
        assert!(s.is_final());
    }

    #[test]
    fn evaluate_routes_by_what_is_missing() {
        let e = eligible();
        let k = RequestKind::NewBadge;
        assert_eq!(
            next_status(
                S::Submitted,
                k,
                &A::Evaluate,
                None,
                &[MissingItem::Photo],
                &e
            ),
            Ok(S::AwaitingPhoto)
        );
        assert_eq!(
            next_status(
                S::Submitted,
                k,
                &A::Evaluate,
                None,
                &[MissingItem::Photo, MissingItem::IdDocumentFront],
                &e
            ),
            Ok(S::Incomplete)
        );
        assert_eq!(
            next_status(S::AwaitingPhoto, k, &A::Evaluate, None, &[], &e),
            Ok(S::ReadyForReview)
        );
    }

    #[test]
    fn illegal_transitions_are_refused_with_names() {
        let err = step(S::Submitted, A::Approve).unwrap_err();
        assert_eq!(
            err,
            DomainError::IllegalRequestTransition {
                status: "submitted".into(),
                action: "approve".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "action 'approve' is not allowed on a request in status 'submitted'"
        );
        for (status, action) in [
            (S::Refused, A::Approve),
            (S::Approved, A::Approve),
            (S::Printed, A::MarkPrinted),
            (S::Submitted, A::MarkPrinted),
            (S::Printed, A::Cancel),
            (S::Activated, A::Refuse),
            (S::Cancelled, A::Evaluate),
            (S::Approved, A::CertifyPhoto),
            (S::ReadyForReview, A::Activate),
            (
                S::Approved,
                A::Dispatch {
                    method: DispatchMethod::InternalMail,
                },
            ),
        ] {
            assert!(
                matches!(
                    step(status, action.clone()),
                    Err(DomainError::IllegalRequestTransition { .. })
                ),
                "{status:?} + {action:?} should be illegal"
            );
        }
    }

    #[test]
    fn zone_access_skips_printing() {
        let e = eligible();
        let k = RequestKind::ZoneAccess;
        assert!(next_status(S::Approved, k, &A::MarkPrinted, None, &[], &e).is_err());
        assert_eq!(
            next_status(S::Approved, k, &A::Activate, None, &[], &e),
            Ok(S::Activated)
        );
        // and needs no photo
        let rules = Policy::default().categories[0].clone();
        assert!(missing_items(k, &rules, &RequestFacts::default()).is_empty());
    }

    #[test]
    fn reasons_are_required_for_refusal_cancel_and_incomplete() {
        let e = eligible();
        for action in [A::Refuse, A::Cancel, A::MarkIncomplete] {
            for reason in [None, Some("  ")] {
                assert_eq!(
                    next_status(
                        S::ReadyForReview,
                        RequestKind::NewBadge,
                        &action,
                        reason,
                        &[],
                        &e
                    ),
                    Err(DomainError::ReasonRequired {
                        action: action.name().into()
                    })
                );
            }
        }
        assert_eq!(step(S::ReadyForReview, A::Refuse), Ok(S::Refused));
    }

    #[test]
    fn guards_on_ready_and_approve() {
        let e = eligible();
        let k = RequestKind::NewBadge;
        let missing = [MissingItem::ImageRightsConsent];
        assert_eq!(
            next_status(S::Incomplete, k, &A::MarkReady, None, &missing, &e),
            Err(DomainError::RequestIncomplete {
                missing: vec!["image_rights_consent".into()]
            })
        );
        assert!(matches!(
            next_status(S::ReadyForReview, k, &A::Approve, None, &missing, &e),
            Err(DomainError::RequestIncomplete { .. })
        ));
        let mut not = eligible();
        not.problems.push(EligibilityProblem::PresenceBelowMinimum {
            days: 1,
            minimum: 2,
        });
        let err = next_status(S::ReadyForReview, k, &A::Approve, None, &[], &not).unwrap_err();
        assert_eq!(err.to_string(), "the holder is not eligible: present 1 days a week, 2 needed for a permanent badge (propose a day pass)");
    }

    #[test]
    fn declarations_keep_status_while_open() {
        assert_eq!(
            step(S::AwaitingPhoto, A::CertifyPhoto),
            Ok(S::AwaitingPhoto)
        );
        assert_eq!(
            step(S::ReadyForReview, A::RecordImageRightsConsent),
            Ok(S::ReadyForReview)
        );
    }

    #[test]
    fn missing_items_follow_the_category() {
        let policy = Policy::default();
        let staff = policy.category("staff").unwrap();
        let contractor = policy.category("contractor").unwrap();
        let visitor = policy.category("visitor").unwrap();
        let none = RequestFacts::default();
        assert_eq!(
            missing_items(RequestKind::NewBadge, staff, &none),
            vec![
                MissingItem::Photo,
                MissingItem::PhotoCertification,
                MissingItem::ImageRightsConsent
            ]
        );
        assert!(missing_items(RequestKind::NewBadge, contractor, &none)
            .contains(&MissingItem::IdDocumentFront));
        assert_eq!(
            missing_items(RequestKind::DayPass, visitor, &none),
            vec![MissingItem::IdDocumentFront]
        );
        let full = RequestFacts {
            attachments: vec![AttachmentKind::Photo, AttachmentKind::IdDocumentFront],
            image_rights_consent: true,
            photo_certified: true,
        };
        assert!(missing_items(RequestKind::NewBadge, contractor, &full).is_empty());
    }

    #[test]
    fn allowed_actions_lists_buttons() {
        let acts = allowed_actions(S::ReadyForReview, RequestKind::NewBadge, &[], &eligible());
        assert_eq!(
            acts,
            vec![
                "mark_incomplete",
                "approve",
                "refuse",
                "cancel",
                "record_image_rights_consent",
                "certify_photo"
            ]
        );
        assert_eq!(
            allowed_actions(S::Printed, RequestKind::NewBadge, &[], &eligible()),
            vec!["dispatch"]
        );
        assert!(allowed_actions(S::Refused, RequestKind::NewBadge, &[], &eligible()).is_empty());
    }

    #[test]
    fn enums_round_trip_through_strings() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::json!(s.as_str())
            );
        }
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.as_str())
            );
        }
        for k in AttachmentKind::ALL {
            assert_eq!(AttachmentKind::parse(k.as_str()), Some(k));
        }
        let a: RequestAction =
            serde_json::from_str(r#"{"type":"dispatch","method":"internal_mail"}"#).unwrap();
        assert_eq!(
            a,
            A::Dispatch {
                method: DispatchMethod::InternalMail
            }
        );
    }

    #[test]
    fn media_sniffing() {
        assert_eq!(
            MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(b"GIF89a"), None);
        assert_eq!(
            MediaType::from_mime("application/pdf"),
            Some(MediaType::Pdf)
        );
    }
}
