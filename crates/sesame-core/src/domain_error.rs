//! Errors of the domain rules: refused transitions, invalid holder data, bad settings.

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("action '{action}' is not allowed on a request in status '{status}'")]
    IllegalRequestTransition { status: String, action: String },

    #[error("action '{action}' is not allowed on a badge in status '{status}'")]
    IllegalBadgeTransition { status: String, action: String },

    #[error("action '{action}' needs a reason")]
    ReasonRequired { action: String },

    #[error("the request is incomplete: missing {}", .missing.join(", "))]
    RequestIncomplete { missing: Vec<String> },

    #[error("the holder is not eligible: {}", .problems.join("; "))]
    NotEligible { problems: Vec<String> },

    #[error("field '{field}' is required")]
    FieldRequired { field: String },

    #[error("field '{field}' is too long ({length} characters, at most {max})")]
    FieldTooLong {
        field: String,
        length: usize,
        max: usize,
    },

    #[error("field '{field}' holds a control or text-direction character ({code_point})")]
    InvalidCharacters { field: String, code_point: String },

    #[error("'{value}' is not a valid e-mail address")]
    InvalidEmail { value: String },

    #[error("presence of {value} days per week is outside 0..=7")]
    InvalidPresenceDays { value: u8 },

    #[error("mission ends on {end} before it starts on {start}")]
    MissionDatesInverted { start: NaiveDate, end: NaiveDate },

    #[error("unknown holder category '{value}'")]
    UnknownCategory { value: String },

    #[error("wanted validity ends on {until} before it starts on {from}")]
    WantedDatesInverted { from: NaiveDate, until: NaiveDate },

    #[error("validity until {until} goes beyond the mission end {mission_end}")]
    ValidityBeyondMissionEnd {
        until: NaiveDate,
        mission_end: NaiveDate,
    },

    #[error("validity until {until} is longer than the {max_days} days allowed (at most {limit})")]
    ValidityTooLong {
        until: NaiveDate,
        max_days: u32,
        limit: NaiveDate,
    },

    #[error("validity until {until} is not after the current end {current}")]
    ValidityNotExtended {
        until: NaiveDate,
        current: NaiveDate,
    },

    #[error("badge number format '{template}' is invalid: {reason}")]
    InvalidBadgeNumberFormat { template: String, reason: String },

    #[error("eligibility rules are invalid: {reason}")]
    InvalidRules { reason: String },

    #[error("the badge is still valid until {valid_until}, it cannot expire on {today}")]
    BadgeNotYetExpired {
        valid_until: NaiveDate,
        today: NaiveDate,
    },

    // --- the badge's life after printing ---
    #[error("a day pass starting on {first_day} must be asked at least {notice_hours} hours before that day")]
    DayPassTooLate {
        first_day: NaiveDate,
        notice_hours: u32,
    },

    #[error("zone '{key}' does not exist")]
    UnknownZone { key: String },

    #[error("zone '{key}' is invalid: {reason}")]
    InvalidZone { key: String, reason: String },

    #[error("zone '{key}' is closed to new access requests")]
    ZoneInactive { key: String },

    #[error("zone '{zone}' is not asked for by this request")]
    ZoneNotRequested { zone: String },

    #[error("the approver of zone '{zone}' has already decided")]
    ZoneAlreadyDecided { zone: String },

    #[error("the approver has not decided yet for zone(s): {}", .zones.join(", "))]
    ZoneDecisionPending { zones: Vec<String> },

    #[error("this needs a {expected} request, not a {found} one")]
    WrongRequestKind { expected: String, found: String },

    #[error(
        "the accreditations carried over from the old badge must be confirmed before approval"
    )]
    AccreditationsUnconfirmed,

    #[error(
        "'{item}' was not on the old badge: only carried-over accreditations can be confirmed"
    )]
    AccreditationNotCarried { item: String },

    #[error("the loss or theft date {date} is in the future")]
    OppositionDateInFuture { date: NaiveDate },

    #[error("the replacement badge is already printed: the opposition cannot be lifted")]
    ReplacementAlreadyPrinted,

    #[error("category '{category}' offers no temporary badge")]
    TemporaryBadgeNotOffered { category: String },

    #[error("a badge in status '{status}' cannot be renewed")]
    BadgeNotRenewable { status: String },

    #[error(
        "a loan card is lent for 1 to {max} days (the category's temporary badge), not {days}"
    )]
    LoanDays { days: u32, max: u32 },

    #[error("a loan card is lent in place of an active badge, not one in status '{status}'")]
    LoanOfInactiveBadge { status: String },

    #[error("badge '{number}' already has a loan card out: its return comes first")]
    LoanAlreadyOut { number: String },

    #[error("badge '{number}' is not a loan card out")]
    NotALoanCard { number: String },

    #[error("badge '{number}' is itself a loan card: lend in place of the holder's own badge")]
    LoanOfLoanCard { number: String },

    #[error("the badge or the mission ended on {until}: no loan card in its place")]
    LoanPastValidity { until: NaiveDate },

    #[error("{name} has no day pass for {day}: they are not expected today")]
    VisitorNotExpected { name: String, day: NaiveDate },

    #[error("{name} already arrived today")]
    VisitorAlreadyIn { name: String },

    #[error("{name} has not arrived today")]
    VisitorNotIn { name: String },

    #[error("{name} already left")]
    VisitorAlreadyOut { name: String },

    #[error("{name} is on the refused visitors' list ({reason}): no badge without a supervisor lifting it")]
    RefusedVisitor { name: String, reason: String },

    #[error("a refused visitor needs a family name and a reason")]
    RefusedVisitorIncomplete,

    #[error("the host's name is needed, and their e-mail must be an address")]
    VisitHostInvalid,
}

crate::error_codes! {
    DomainError {
        Self::IllegalRequestTransition { .. } => "request.illegal_transition",
        Self::IllegalBadgeTransition { .. } => "badge.illegal_transition",
        Self::ReasonRequired { .. } => "request.reason_required",
        Self::RequestIncomplete { .. } => "request.incomplete",
        Self::NotEligible { .. } => "request.not_eligible",
        Self::FieldRequired { .. } => "holder.field_required",
        Self::FieldTooLong { .. } => "holder.field_too_long",
        Self::InvalidCharacters { .. } => "holder.invalid_characters",
        Self::InvalidEmail { .. } => "holder.invalid_email",
        Self::InvalidPresenceDays { .. } => "holder.invalid_presence_days",
        Self::MissionDatesInverted { .. } => "holder.mission_dates_inverted",
        Self::UnknownCategory { .. } => "holder.unknown_category",
        Self::WantedDatesInverted { .. } => "request.wanted_dates_inverted",
        Self::ValidityBeyondMissionEnd { .. } => "badge.validity_beyond_mission_end",
        Self::ValidityTooLong { .. } => "badge.validity_too_long",
        Self::ValidityNotExtended { .. } => "badge.validity_not_extended",
        Self::InvalidBadgeNumberFormat { .. } => "settings.invalid_badge_number_format",
        Self::InvalidRules { .. } => "settings.invalid_rules",
        Self::BadgeNotYetExpired { .. } => "badge.not_yet_expired",
        Self::DayPassTooLate { .. } => "day_pass.too_late",
        Self::UnknownZone { .. } => "zone.unknown",
        Self::InvalidZone { .. } => "zone.invalid",
        Self::ZoneInactive { .. } => "zone.inactive",
        Self::ZoneNotRequested { .. } => "zone.not_requested",
        Self::ZoneAlreadyDecided { .. } => "zone.already_decided",
        Self::ZoneDecisionPending { .. } => "zone.decision_pending",
        Self::WrongRequestKind { .. } => "request.wrong_kind",
        Self::AccreditationsUnconfirmed => "replacement.unconfirmed",
        Self::AccreditationNotCarried { .. } => "replacement.not_carried_over",
        Self::OppositionDateInFuture { .. } => "opposition.date_in_future",
        Self::ReplacementAlreadyPrinted => "opposition.replacement_printed",
        Self::TemporaryBadgeNotOffered { .. } => "opposition.no_temporary_badge",
        Self::BadgeNotRenewable { .. } => "renewal.badge_not_renewable",
        Self::LoanDays { .. } => "loan.bad_days",
        Self::LoanOfInactiveBadge { .. } => "loan.badge_not_active",
        Self::LoanAlreadyOut { .. } => "loan.already_out",
        Self::NotALoanCard { .. } => "loan.not_a_loan",
        Self::LoanOfLoanCard { .. } => "loan.of_loan_card",
        Self::LoanPastValidity { .. } => "loan.past_validity",
        Self::VisitorNotExpected { .. } => "visit.not_expected",
        Self::VisitorAlreadyIn { .. } => "visit.already_in",
        Self::VisitorNotIn { .. } => "visit.not_in",
        Self::VisitorAlreadyOut { .. } => "visit.already_out",
        Self::RefusedVisitor { .. } => "visit.refused_visitor",
        Self::RefusedVisitorIncomplete => "visit.refused_incomplete",
        Self::VisitHostInvalid => "visit.host_invalid",
    }
}
