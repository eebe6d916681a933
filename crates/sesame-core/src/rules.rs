//! Eligibility rules per holder category, and how long a badge may be valid.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::badge::BadgeNumberFormat;
use crate::domain_error::DomainError;
use crate::holder::HolderDetails;
use crate::request::{AttachmentKind, RequestKind};

/// The rules for one category of holders (staff, contractor, student, visitor…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryRules {
    /// Stable key stored on holders, e.g. `contractor`.
    pub key: String,
    pub label_fr: String,
    pub label_en: String,
    /// Below this many days of presence per week a permanent badge is refused and a day pass proposed.
    pub min_presence_days_per_week: u8,
    /// Longest validity of a permanent badge, counted from its first valid day.
    pub max_validity_days: u32,
    /// Longest span of a day pass.
    pub max_day_pass_days: u32,
    /// A permanent badge needs a known mission end date (validity is bounded by it).
    pub require_mission_end: bool,
    pub require_photo: bool,
    /// Documents that must be attached before review (e.g. ID front and back).
    pub required_documents: Vec<AttachmentKind>,
    /// E-mail domains accepted for this category; empty means any.
    pub allowed_email_domains: Vec<String>,
    /// A dispatched badge not activated by its holder after this many days is listed.
    #[serde(default = "default_activation_days")]
    pub activation_days: u32,
    /// Badges expiring within this many days are listed and their holders reminded.
    #[serde(default = "default_expiry_notice_days")]
    pub expiry_notice_days: u32,
    /// An active badge not seen at any door for this many days is flagged as unused.
    #[serde(default = "default_inactivity_days")]
    pub inactivity_days: u32,
    /// Hours of notice a day pass needs before the start of its first day (0: same day allowed).
    #[serde(default = "default_day_pass_notice_hours")]
    pub day_pass_notice_hours: u32,
    /// Days a temporary badge lasts while a lost or stolen one is replaced; 0: none offered.
    #[serde(default)]
    pub temporary_badge_days: u32,
    /// A renewal reuses the holder's last photo when it is at most this many days old.
    #[serde(default = "default_renewal_photo_max_age_days")]
    pub renewal_photo_max_age_days: u32,
    /// Housekeeping expires a badge this many days after its first passage at a door
    /// (from the usage log), e.g. a visitor's card; 0: no such rule.
    #[serde(default)]
    pub expire_days_after_first_use: u32,
    /// Housekeeping deactivates an active badge unused for this many days, without a
    /// review (the inactivity list still shows them sooner); 0: never automatically.
    #[serde(default)]
    pub deactivate_unused_days: u32,
    /// Housekeeping expires the badges of holders whose mission has ended, even when
    /// a badge's own validity runs longer (a mission cut short).
    #[serde(default)]
    pub expire_at_mission_end: bool,
}

fn default_day_pass_notice_hours() -> u32 {
    24
}

fn default_renewal_photo_max_age_days() -> u32 {
    3 * 365
}

fn default_activation_days() -> u32 {
    14
}

fn default_expiry_notice_days() -> u32 {
    30
}

fn default_inactivity_days() -> u32 {
    90
}

impl CategoryRules {
    pub fn new(key: &str, label_fr: &str, label_en: &str) -> Self {
        Self {
            key: key.to_owned(),
            label_fr: label_fr.to_owned(),
            label_en: label_en.to_owned(),
            min_presence_days_per_week: 2,
            max_validity_days: 5 * 365,
            max_day_pass_days: 5,
            require_mission_end: false,
            require_photo: true,
            required_documents: Vec::new(),
            allowed_email_domains: Vec::new(),
            activation_days: default_activation_days(),
            expiry_notice_days: default_expiry_notice_days(),
            inactivity_days: default_inactivity_days(),
            day_pass_notice_hours: default_day_pass_notice_hours(),
            temporary_badge_days: 0,
            renewal_photo_max_age_days: default_renewal_photo_max_age_days(),
            expire_days_after_first_use: 0,
            deactivate_unused_days: 0,
            expire_at_mission_end: false,
        }
    }
}

/// The longest idle-lock delay accepted: a working day.
pub const MAX_LOCK_AFTER_MINUTES: u32 = 8 * 60;

/// All settings the queue rules read: categories and the badge number format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub categories: Vec<CategoryRules>,
    pub badge_number_format: BadgeNumberFormat,
    /// Minutes without input after which a desk locks until its operator's PIN
    /// is typed; 0 turns the idle lock off.
    #[serde(default)]
    pub lock_after_minutes: u32,
    /// How dates are typed in the English interface (French: always day/month/year).
    #[serde(default)]
    pub english_date_order: EnglishDateOrder,
    /// How long personal data is kept before the purge removes it.
    #[serde(default)]
    pub retention: crate::retention::RetentionPolicy,
    /// What the desk may do when the photo checks refuse a photo.
    #[serde(default)]
    pub photo: PhotoPolicy,
}

/// The order of day, month and year in dates typed in the English interface: the
/// office's choice, never the computer's locale (French always writes day/month/year).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EnglishDateOrder {
    #[default]
    DayMonthYear,
    MonthDayYear,
    YearMonthDay,
}

/// The office's rule for photos the checks did not accept. A refusal other than no
/// face, several faces or an unreadable file may be overridden by the operator with a
/// reason, recorded with the photo; the office may ask for a supervisor's countersign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct PhotoPolicy {
    /// Saving a photo over a refusal needs a supervisor (or a supervisor's countersign).
    pub override_needs_supervisor: bool,
}

impl Default for Policy {
    fn default() -> Self {
        let staff = CategoryRules::new("staff", "Personnel", "Staff");
        let contractor = CategoryRules {
            max_validity_days: 365,
            require_mission_end: true,
            required_documents: vec![AttachmentKind::IdDocumentFront],
            ..CategoryRules::new("contractor", "Prestataire", "Contractor")
        };
        let student = CategoryRules {
            max_validity_days: 365,
            require_mission_end: true,
            ..CategoryRules::new("student", "Étudiant", "Student")
        };
        let visitor = CategoryRules {
            max_validity_days: 30,
            require_photo: false,
            required_documents: vec![AttachmentKind::IdDocumentFront],
            ..CategoryRules::new("visitor", "Visiteur", "Visitor")
        };
        Self {
            categories: vec![staff, contractor, student, visitor],
            badge_number_format: BadgeNumberFormat::default(),
            lock_after_minutes: 0,
            english_date_order: EnglishDateOrder::default(),
            retention: Default::default(),
            photo: PhotoPolicy::default(),
        }
    }
}

/// The rules applied to a holder whose category is not (or no longer) in the settings:
/// the strictest completeness (an ID document required), so nothing slips through.
pub fn strict_rules() -> &'static CategoryRules {
    static STRICT: std::sync::LazyLock<CategoryRules> =
        std::sync::LazyLock::new(|| CategoryRules {
            required_documents: vec![AttachmentKind::IdDocumentFront],
            ..CategoryRules::new("unknown", "Inconnue", "Unknown")
        });
    &STRICT
}

/// The rules of `category`, or [`strict_rules`] when the settings do not have it.
pub fn rules_for<'p>(policy: &'p Policy, category: &str) -> &'p CategoryRules {
    policy.category(category).unwrap_or(strict_rules())
}

impl Policy {
    pub fn category(&self, key: &str) -> Option<&CategoryRules> {
        self.categories.iter().find(|c| c.key == key)
    }

    pub fn category_keys(&self) -> Vec<&str> {
        self.categories.iter().map(|c| c.key.as_str()).collect()
    }

    /// Refuses settings that would make the rules meaningless.
    pub fn validate(&self) -> Result<(), DomainError> {
        let invalid = |reason: String| Err(DomainError::InvalidRules { reason });
        if self.categories.is_empty() {
            return invalid("at least one category is needed".into());
        }
        self.retention.validate()?;
        if self.lock_after_minutes > MAX_LOCK_AFTER_MINUTES {
            return invalid(format!(
                "the idle lock delay {} is above {MAX_LOCK_AFTER_MINUTES} minutes",
                self.lock_after_minutes
            ));
        }
        for (i, c) in self.categories.iter().enumerate() {
            if c.key.trim().is_empty() || c.key != c.key.trim().to_lowercase() {
                return invalid(format!(
                    "category key '{}' must be lowercase, not blank",
                    c.key
                ));
            }
            if self.categories[..i].iter().any(|o| o.key == c.key) {
                return invalid(format!("category key '{}' appears twice", c.key));
            }
            if c.min_presence_days_per_week > 7 {
                return invalid(format!(
                    "category '{}': minimum presence {} is above 7 days",
                    c.key, c.min_presence_days_per_week
                ));
            }
            if c.max_validity_days == 0 || c.max_day_pass_days == 0 {
                return invalid(format!(
                    "category '{}': validities must be at least one day",
                    c.key
                ));
            }
            if c.activation_days == 0 || c.inactivity_days == 0 {
                return invalid(format!(
                    "category '{}': activation and inactivity delays must be at least one day",
                    c.key
                ));
            }
            if c.deactivate_unused_days > 0 && c.deactivate_unused_days < c.inactivity_days {
                return invalid(format!(
                    "category '{}': automatic deactivation after {} days unused comes before the inactivity list shows the badge ({} days)",
                    c.key, c.deactivate_unused_days, c.inactivity_days
                ));
            }
        }
        self.badge_number_format.validate()
    }
}

/// Why a holder may not get the badge asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum EligibilityProblem {
    /// Present too few days a week for a permanent badge: a day pass is the answer.
    #[serde(rename_all = "camelCase")]
    PresenceBelowMinimum {
        days: u8,
        minimum: u8,
    },
    MissionEndMissing,
    #[serde(rename_all = "camelCase")]
    MissionEnded {
        mission_end: NaiveDate,
    },
    #[serde(rename_all = "camelCase")]
    EmailDomainNotAllowed {
        domain: String,
    },
    EmailMissing,
    #[serde(rename_all = "camelCase")]
    DayPassTooLong {
        days: u32,
        maximum: u32,
    },
    DayPassDatesMissing,
    #[serde(rename_all = "camelCase")]
    UnknownCategory {
        category: String,
    },
}

impl std::fmt::Display for EligibilityProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PresenceBelowMinimum { days, minimum } => write!(
                f,
                "present {days} days a week, {minimum} needed for a permanent badge (propose a day pass)"
            ),
            Self::MissionEndMissing => write!(f, "the mission end date is required"),
            Self::MissionEnded { mission_end } => write!(f, "the mission ended on {mission_end}"),
            Self::EmailDomainNotAllowed { domain } => {
                write!(f, "e-mail domain '{domain}' is not allowed for this category")
            }
            Self::EmailMissing => write!(f, "an e-mail address is required for this category"),
            Self::DayPassTooLong { days, maximum } => {
                write!(f, "a day pass of {days} days exceeds the {maximum} allowed")
            }
            Self::DayPassDatesMissing => write!(f, "a day pass needs its first and last day"),
            Self::UnknownCategory { category } => write!(f, "unknown category '{category}'"),
        }
    }
}

/// The verdict on a holder for one kind of request, with the validity it would get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Eligibility {
    pub problems: Vec<EligibilityProblem>,
    /// True when a permanent badge is refused only for presence: the desk should offer a day pass.
    pub propose_day_pass: bool,
    pub valid_from: NaiveDate,
    /// `None` when no validity can be computed (see the problems).
    pub valid_until: Option<NaiveDate>,
}

impl Eligibility {
    pub fn is_eligible(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Dates wanted on the request (day passes need both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WantedDates {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// Evaluates eligibility on `today` for a request of `kind`.
pub fn evaluate(
    policy: &Policy,
    holder: &HolderDetails,
    kind: RequestKind,
    wanted: WantedDates,
    today: NaiveDate,
) -> Eligibility {
    let mut problems = Vec::new();
    let valid_from = [Some(today), wanted.from, holder.mission_start]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(today);
    let Some(rules) = policy.category(&holder.category) else {
        return Eligibility {
            problems: vec![EligibilityProblem::UnknownCategory {
                category: holder.category.clone(),
            }],
            propose_day_pass: false,
            valid_from,
            valid_until: None,
        };
    };

    if !rules.allowed_email_domains.is_empty() {
        match holder.email_domain() {
            None => problems.push(EligibilityProblem::EmailMissing),
            Some(domain) => {
                let allowed = rules.allowed_email_domains.iter().any(|d| {
                    d.trim()
                        .trim_start_matches('@')
                        .eq_ignore_ascii_case(&domain)
                });
                if !allowed {
                    problems.push(EligibilityProblem::EmailDomainNotAllowed { domain });
                }
            }
        }
    }
    if let Some(end) = holder.mission_end {
        if end < today {
            problems.push(EligibilityProblem::MissionEnded { mission_end: end });
        }
    }

    let mut propose_day_pass = false;
    let valid_until = if kind == RequestKind::DayPass {
        match (wanted.from, wanted.until) {
            (Some(from), Some(until)) => {
                let days = (until - from).num_days() + 1;
                let days = u32::try_from(days).unwrap_or(0);
                if days > rules.max_day_pass_days {
                    problems.push(EligibilityProblem::DayPassTooLong {
                        days,
                        maximum: rules.max_day_pass_days,
                    });
                }
                Some(bound_by_mission(until, holder.mission_end))
            }
            _ => {
                problems.push(EligibilityProblem::DayPassDatesMissing);
                None
            }
        }
    } else {
        if kind.issues_permanent_badge()
            && holder.presence_days_per_week < rules.min_presence_days_per_week
        {
            problems.push(EligibilityProblem::PresenceBelowMinimum {
                days: holder.presence_days_per_week,
                minimum: rules.min_presence_days_per_week,
            });
            propose_day_pass = true;
        }
        if rules.require_mission_end && holder.mission_end.is_none() {
            problems.push(EligibilityProblem::MissionEndMissing);
        }
        let longest = max_valid_until(valid_from, rules.max_validity_days);
        let until = wanted.until.map_or(longest, |w| w.min(longest));
        Some(bound_by_mission(until, holder.mission_end))
    };
    // Only the presence rule stands in the way: a day pass would be accepted.
    propose_day_pass = propose_day_pass
        && problems
            .iter()
            .all(|p| matches!(p, EligibilityProblem::PresenceBelowMinimum { .. }));

    Eligibility {
        problems,
        propose_day_pass,
        valid_from,
        valid_until,
    }
}

/// The last valid day of a validity of `days` days starting on `from`.
pub fn max_valid_until(from: NaiveDate, days: u32) -> NaiveDate {
    from.checked_add_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(NaiveDate::MAX)
}

fn bound_by_mission(until: NaiveDate, mission_end: Option<NaiveDate>) -> NaiveDate {
    mission_end.map_or(until, |end| until.min(end))
}

/// Checks a new end of validity (renewal, extension) against the mission and the category.
pub fn check_extension(
    rules: &CategoryRules,
    holder: &HolderDetails,
    current_until: NaiveDate,
    new_until: NaiveDate,
    today: NaiveDate,
) -> Result<(), DomainError> {
    if new_until <= current_until {
        return Err(DomainError::ValidityNotExtended {
            until: new_until,
            current: current_until,
        });
    }
    if let Some(mission_end) = holder.mission_end {
        if new_until > mission_end {
            return Err(DomainError::ValidityBeyondMissionEnd {
                until: new_until,
                mission_end,
            });
        }
    }
    let limit = max_valid_until(today, rules.max_validity_days);
    if new_until > limit {
        return Err(DomainError::ValidityTooLong {
            until: new_until,
            max_days: rules.max_validity_days,
            limit,
        });
    }
    Ok(())
}

/// The furthest a badge may be extended to on `today`: the mission end, bounded by the
/// category's longest validity (counted from today, as [`check_extension`] does).
pub fn extension_limit(
    rules: &CategoryRules,
    holder: &HolderDetails,
    today: NaiveDate,
) -> NaiveDate {
    bound_by_mission(
        max_valid_until(today, rules.max_validity_days),
        holder.mission_end,
    )
}

/// Refuses a day pass asked less than `day_pass_notice_hours` before the start (00:00,
/// desk time) of its first day. With no notice (0) a pass for the same day is accepted;
/// a first day already gone never is.
pub fn check_day_pass_notice(
    rules: &CategoryRules,
    first_day: NaiveDate,
    asked_at: NaiveDateTime,
) -> Result<(), DomainError> {
    let starts = first_day.and_time(NaiveTime::MIN);
    let notice = TimeDelta::hours(i64::from(rules.day_pass_notice_hours));
    let too_late = if rules.day_pass_notice_hours == 0 {
        first_day < asked_at.date()
    } else {
        starts - asked_at < notice
    };
    if too_late {
        return Err(DomainError::DayPassTooLate {
            first_day,
            notice_hours: rules.day_pass_notice_hours,
        });
    }
    Ok(())
}

/// The last day of a loan card lent today for `days` days, in place of a badge the
/// holder forgot: 1 to the category's `temporary_badge_days`, never beyond the
/// original badge nor the mission.
pub fn loan_until(
    rules: &CategoryRules,
    holder: &HolderDetails,
    original_valid_until: NaiveDate,
    today: NaiveDate,
    days: u32,
) -> Result<NaiveDate, DomainError> {
    if rules.temporary_badge_days == 0 {
        return Err(DomainError::TemporaryBadgeNotOffered {
            category: rules.key.clone(),
        });
    }
    if !(1..=rules.temporary_badge_days).contains(&days) {
        return Err(DomainError::LoanDays {
            days,
            max: rules.temporary_badge_days,
        });
    }
    let until = bound_by_mission(
        max_valid_until(today, days).min(original_valid_until),
        holder.mission_end,
    );
    if until < today {
        // The original or the mission ended already (housekeeping has not expired
        // the badge yet): nothing to stand in for.
        return Err(DomainError::LoanPastValidity { until });
    }
    Ok(until)
}

/// The last day of a temporary badge handed out on `today` while a badge is replaced:
/// the category's `temporary_badge_days`, never beyond the old badge nor the mission.
/// `None` when the category offers no temporary badge.
pub fn temporary_badge_until(
    rules: &CategoryRules,
    holder: &HolderDetails,
    old_valid_until: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if rules.temporary_badge_days == 0 {
        return None;
    }
    let until = max_valid_until(today, rules.temporary_badge_days).min(old_valid_until);
    let until = bound_by_mission(until, holder.mission_end);
    (until >= today).then_some(until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::holder::tests::sample;

    #[test]
    fn an_unknown_category_gets_the_strict_rules() {
        let policy = Policy::default();
        let staff = policy.category("staff").expect("a default category");
        assert_eq!(rules_for(&policy, "staff"), staff);
        let unknown = rules_for(&policy, "removed-category");
        assert_eq!(unknown.key, "unknown");
        assert_eq!(
            unknown.required_documents,
            vec![AttachmentKind::IdDocumentFront]
        );
        assert!(std::ptr::eq(unknown, strict_rules()));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn default_policy_is_valid_and_has_four_categories() {
        let p = Policy::default();
        assert_eq!(p.validate(), Ok(()));
        assert_eq!(
            p.category_keys(),
            vec!["staff", "contractor", "student", "visitor"]
        );
        assert_eq!(p.category("staff").unwrap().min_presence_days_per_week, 2);
    }

    #[test]
    fn eligible_staff_gets_validity_bounded_by_mission_end() {
        let p = Policy::default();
        let h = sample(); // mission ends 2027-12-31, staff max 5 years
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert!(e.is_eligible(), "{:?}", e.problems);
        assert_eq!(e.valid_from, d(2026, 3, 1));
        assert_eq!(e.valid_until, Some(d(2027, 12, 31)));
    }

    #[test]
    fn validity_bounded_by_max_days_when_mission_longer() {
        let p = Policy::default();
        let mut h = sample();
        h.category = "contractor".into(); // 365 days
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert_eq!(e.valid_until, Some(d(2027, 2, 28)));
        // contractor needs an ID document, which is about completeness, not eligibility
        assert!(e.is_eligible());
    }

    #[test]
    fn validity_starts_at_mission_start_when_later() {
        let p = Policy::default();
        let mut h = sample();
        h.mission_start = Some(d(2026, 6, 1));
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert_eq!(e.valid_from, d(2026, 6, 1));
    }

    #[test]
    fn one_day_a_week_proposes_a_day_pass() {
        let p = Policy::default();
        let mut h = sample();
        h.presence_days_per_week = 1;
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert_eq!(
            e.problems,
            vec![EligibilityProblem::PresenceBelowMinimum {
                days: 1,
                minimum: 2
            }]
        );
        assert!(e.propose_day_pass);
        // exactly the minimum is enough
        h.presence_days_per_week = 2;
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert!(e.is_eligible());
    }

    #[test]
    fn minimum_is_configurable_per_category() {
        let mut p = Policy::default();
        p.categories[0].min_presence_days_per_week = 4;
        let mut h = sample();
        h.presence_days_per_week = 3;
        let e = evaluate(
            &p,
            &h,
            RequestKind::Renewal,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert!(!e.is_eligible());
        h.category = "student".into();
        let e = evaluate(
            &p,
            &h,
            RequestKind::Renewal,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert!(e.is_eligible(), "{:?}", e.problems);
    }

    #[test]
    fn day_pass_ignores_presence_and_needs_dates() {
        let p = Policy::default();
        let mut h = sample();
        h.presence_days_per_week = 0;
        let e = evaluate(
            &p,
            &h,
            RequestKind::DayPass,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert_eq!(e.problems, vec![EligibilityProblem::DayPassDatesMissing]);
        let wanted = WantedDates {
            from: Some(d(2026, 3, 2)),
            until: Some(d(2026, 3, 3)),
        };
        let e = evaluate(&p, &h, RequestKind::DayPass, wanted, d(2026, 3, 1));
        assert!(e.is_eligible());
        assert_eq!(
            (e.valid_from, e.valid_until),
            (d(2026, 3, 2), Some(d(2026, 3, 3)))
        );
        let wanted = WantedDates {
            from: Some(d(2026, 3, 2)),
            until: Some(d(2026, 3, 12)),
        };
        let e = evaluate(&p, &h, RequestKind::DayPass, wanted, d(2026, 3, 1));
        assert_eq!(
            e.problems,
            vec![EligibilityProblem::DayPassTooLong {
                days: 11,
                maximum: 5
            }]
        );
    }

    #[test]
    fn email_domain_rule() {
        let mut p = Policy::default();
        p.categories[0].allowed_email_domains = vec!["@univ.fr".into(), "cnrs.fr".into()];
        let mut h = sample();
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert_eq!(
            e.problems,
            vec![EligibilityProblem::EmailDomainNotAllowed {
                domain: "example.fr".into()
            }]
        );
        assert!(!e.propose_day_pass);
        h.email = Some("zoe@CNRS.fr".into());
        assert!(evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1)
        )
        .is_eligible());
        h.email = None;
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert_eq!(e.problems, vec![EligibilityProblem::EmailMissing]);
    }

    #[test]
    fn ended_mission_and_missing_end() {
        let p = Policy::default();
        let mut h = sample();
        h.mission_end = Some(d(2026, 2, 1));
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert!(e.problems.contains(&EligibilityProblem::MissionEnded {
            mission_end: d(2026, 2, 1)
        }));
        h.category = "contractor".into();
        h.mission_end = None;
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert_eq!(e.problems, vec![EligibilityProblem::MissionEndMissing]);
        h.category = "martian".into();
        let e = evaluate(
            &p,
            &h,
            RequestKind::NewBadge,
            WantedDates::default(),
            d(2026, 3, 1),
        );
        assert_eq!(e.valid_until, None);
        assert!(!e.is_eligible());
    }

    #[test]
    fn extension_rules() {
        let p = Policy::default();
        let rules = p.category("staff").unwrap();
        let h = sample();
        let today = d(2026, 3, 1);
        assert!(check_extension(rules, &h, d(2026, 12, 31), d(2027, 6, 30), today).is_ok());
        assert!(matches!(
            check_extension(rules, &h, d(2026, 12, 31), d(2028, 1, 1), today),
            Err(DomainError::ValidityBeyondMissionEnd { .. })
        ));
        assert!(matches!(
            check_extension(rules, &h, d(2026, 12, 31), d(2026, 12, 31), today),
            Err(DomainError::ValidityNotExtended { .. })
        ));
        let mut h2 = h.clone();
        h2.mission_end = None;
        assert!(matches!(
            check_extension(rules, &h2, d(2026, 12, 31), d(2040, 1, 1), today),
            Err(DomainError::ValidityTooLong { .. })
        ));
    }

    #[test]
    fn day_pass_notice_is_counted_to_the_first_morning() {
        let p = Policy::default();
        let visitor = p.category("visitor").unwrap();
        assert_eq!(visitor.day_pass_notice_hours, 24);
        let first = d(2026, 3, 10);
        let at = |day: u32, h: u32| d(2026, 3, day).and_hms_opt(h, 0, 0).unwrap();
        // the day before at midnight: exactly 24 h
        assert_eq!(check_day_pass_notice(visitor, first, at(9, 0)), Ok(()));
        assert_eq!(
            check_day_pass_notice(visitor, first, at(9, 1)),
            Err(DomainError::DayPassTooLate {
                first_day: first,
                notice_hours: 24
            })
        );
        assert!(check_day_pass_notice(visitor, first, at(10, 8)).is_err());
        let mut relaxed = visitor.clone();
        relaxed.day_pass_notice_hours = 0;
        assert!(check_day_pass_notice(&relaxed, first, at(9, 23)).is_ok());
        assert!(check_day_pass_notice(&relaxed, first, at(10, 17)).is_ok());
        assert!(check_day_pass_notice(&relaxed, first, at(11, 0)).is_err());
        relaxed.day_pass_notice_hours = 72;
        assert!(check_day_pass_notice(&relaxed, first, at(7, 1)).is_err());
        assert!(check_day_pass_notice(&relaxed, first, at(7, 0)).is_ok());
    }

    #[test]
    fn extension_limit_and_temporary_badges() {
        let p = Policy::default();
        let mut rules = p.category("contractor").unwrap().clone();
        let mut h = sample(); // mission ends 2027-12-31
        let today = d(2026, 3, 1);
        assert_eq!(extension_limit(&rules, &h, today), d(2027, 2, 28));
        h.mission_end = Some(d(2026, 9, 30));
        assert_eq!(extension_limit(&rules, &h, today), d(2026, 9, 30));

        assert_eq!(
            temporary_badge_until(&rules, &h, d(2026, 6, 30), today),
            None
        );
        assert_eq!(
            loan_until(&rules, &h, d(2026, 6, 30), today, 1),
            Err(DomainError::TemporaryBadgeNotOffered {
                category: rules.key.clone()
            })
        );
        rules.temporary_badge_days = 15;
        assert_eq!(
            temporary_badge_until(&rules, &h, d(2026, 6, 30), today),
            Some(d(2026, 3, 15))
        );
        // A loan: today only, a few days, never longer than the category allows.
        assert_eq!(loan_until(&rules, &h, d(2026, 6, 30), today, 1), Ok(today));
        assert_eq!(
            loan_until(&rules, &h, d(2026, 6, 30), today, 3),
            Ok(d(2026, 3, 3))
        );
        for days in [0, 16] {
            assert_eq!(
                loan_until(&rules, &h, d(2026, 6, 30), today, days),
                Err(DomainError::LoanDays { days, max: 15 })
            );
        }
        assert_eq!(
            loan_until(&rules, &h, d(2026, 3, 2), today, 5),
            Ok(d(2026, 3, 2))
        );
        assert_eq!(
            loan_until(&rules, &h, d(2026, 2, 28), today, 1),
            Err(DomainError::LoanPastValidity {
                until: d(2026, 2, 28)
            })
        );
        // never beyond the old badge
        assert_eq!(
            temporary_badge_until(&rules, &h, d(2026, 3, 5), today),
            Some(d(2026, 3, 5))
        );
        // nor the mission
        h.mission_end = Some(d(2026, 3, 3));
        assert_eq!(
            temporary_badge_until(&rules, &h, d(2026, 6, 30), today),
            Some(d(2026, 3, 3))
        );
        let old: CategoryRules = serde_json::from_str(
            &serde_json::to_string(&CategoryRules::new("x", "X", "X"))
                .unwrap()
                .replace(",\"dayPassNoticeHours\":24", "")
                .replace(",\"temporaryBadgeDays\":0", "")
                .replace(",\"renewalPhotoMaxAgeDays\":1095", ""),
        )
        .unwrap();
        assert_eq!(
            old,
            CategoryRules::new("x", "X", "X"),
            "stored policies still load"
        );
    }

    #[test]
    fn invalid_policies_are_refused() {
        let mut p = Policy::default();
        p.categories.push(CategoryRules::new("staff", "x", "y"));
        assert!(p.validate().is_err());
        let mut p = Policy::default();
        p.categories[0].max_validity_days = 0;
        assert!(p.validate().is_err());
        let mut p = Policy::default();
        p.categories[0].key = "Staff".into();
        assert!(p.validate().is_err());
        assert!(Policy {
            categories: vec![],
            ..Policy::default()
        }
        .validate()
        .is_err());
    }
}
