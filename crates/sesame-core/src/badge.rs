//! Badges: numbers, validity, statuses and their transitions.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain_error::DomainError;
use crate::request::ReplacementCause;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BadgeStatus {
    /// Number assigned and card made, not yet activated by the holder.
    Issued,
    Active,
    Suspended,
    /// Declared lost or stolen (or damaged): blocked at once.
    Opposed,
    Expired,
    Deactivated,
    Returned,
}

impl BadgeStatus {
    pub const ALL: [BadgeStatus; 7] = [
        Self::Issued,
        Self::Active,
        Self::Suspended,
        Self::Opposed,
        Self::Expired,
        Self::Deactivated,
        Self::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Opposed => "opposed",
            Self::Expired => "expired",
            Self::Deactivated => "deactivated",
            Self::Returned => "returned",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the badge still holds its physical card: the card may be given to
    /// another badge only once this one expired, was deactivated or came back. An
    /// opposed badge keeps it: a card declared lost or stolen stays blocked until the
    /// opposition is lifted or the badge is returned.
    pub fn holds_its_card(self) -> bool {
        matches!(
            self,
            Self::Issued | Self::Active | Self::Suspended | Self::Opposed
        )
    }
}

/// A stored badge. Its number is never given to another badge, even after deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    pub id: Uuid,
    pub number: String,
    pub holder_id: Uuid,
    /// The request that issued it.
    pub request_id: Uuid,
    /// Physical card serial or RFID UID, when known.
    pub card_serial: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: BadgeStatus,
    pub zones: Vec<String>,
    pub status_reason: Option<String>,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum BadgeAction {
    Activate,
    Suspend,
    Resume,
    /// Extends validity (checked against the mission end and the category).
    #[serde(rename_all = "camelCase")]
    Renew {
        valid_until: NaiveDate,
    },
    Oppose {
        cause: ReplacementCause,
    },
    /// A replacement request takes over: the old badge stops working.
    Replace {
        cause: ReplacementCause,
    },
    Deactivate,
    Return,
    Expire,
    /// The opposed card was found (supervisor): it works again.
    LiftOpposition,
}

impl BadgeAction {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Activate => "activate",
            Self::Suspend => "suspend",
            Self::Resume => "resume",
            Self::Renew { .. } => "renew",
            Self::Oppose { .. } => "oppose",
            Self::Replace { .. } => "replace",
            Self::Deactivate => "deactivate",
            Self::Return => "return",
            Self::Expire => "expire",
            Self::LiftOpposition => "lift_opposition",
        }
    }

    pub fn needs_reason(&self) -> bool {
        matches!(
            self,
            Self::Suspend | Self::Oppose { .. } | Self::Deactivate | Self::LiftOpposition
        )
    }
}

/// Decides a badge's next status. Validity checks for `Renew` are in `rules::check_extension`;
/// `Expire` checks the date here.
pub fn next_badge_status(
    status: BadgeStatus,
    action: &BadgeAction,
    reason: Option<&str>,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> Result<BadgeStatus, DomainError> {
    use BadgeAction as A;
    use BadgeStatus as S;
    let live = matches!(status, S::Issued | S::Active | S::Suspended);
    let target = match action {
        A::Activate if status == S::Issued => Some(S::Active),
        A::Suspend if status == S::Active => Some(S::Suspended),
        A::Resume if status == S::Suspended => Some(S::Active),
        A::Renew { .. } if matches!(status, S::Active | S::Expired | S::Issued) => {
            Some(match status {
                S::Issued => S::Issued,
                _ => S::Active,
            })
        }
        A::Oppose { .. } if live || status == S::Expired => Some(S::Opposed),
        A::Replace { .. } if status == S::Opposed => Some(S::Opposed),
        A::Replace { .. } if live || status == S::Expired => Some(S::Deactivated),
        A::Deactivate if live || matches!(status, S::Opposed | S::Expired) => Some(S::Deactivated),
        A::Return if status != S::Returned => Some(S::Returned),
        A::Expire if live => Some(S::Expired),
        A::LiftOpposition if status == S::Opposed => Some(S::Active),
        _ => None,
    }
    .ok_or_else(|| DomainError::IllegalBadgeTransition {
        status: status.as_str().to_owned(),
        action: action.name().to_owned(),
    })?;
    if action.needs_reason() && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(DomainError::ReasonRequired {
            action: action.name().to_owned(),
        });
    }
    if *action == A::Expire && valid_until >= today {
        return Err(DomainError::BadgeNotYetExpired { valid_until, today });
    }
    Ok(target)
}

/// How badge numbers look: a template with `{seq}` or `{seq:N}` (zero-padded to N digits),
/// and optionally `{year}` (4 digits) or `{yy}`.
///
/// The sequence is one counter for the whole office and never goes back, so a number
/// is never reused even when the template changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadgeNumberFormat {
    pub template: String,
}

impl Default for BadgeNumberFormat {
    fn default() -> Self {
        Self {
            template: "B{seq:6}".to_owned(),
        }
    }
}

impl BadgeNumberFormat {
    pub fn new(template: &str) -> Result<Self, DomainError> {
        let format = Self {
            template: template.to_owned(),
        };
        format.validate()?;
        Ok(format)
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        let invalid = |reason: &str| {
            Err(DomainError::InvalidBadgeNumberFormat {
                template: self.template.clone(),
                reason: reason.to_owned(),
            })
        };
        let mut seq_count = 0;
        for token in tokens(&self.template) {
            match token {
                Token::Literal(text) => {
                    if text.contains(['{', '}']) {
                        return invalid("unbalanced braces");
                    }
                    if text
                        .chars()
                        .any(|c| c.is_control() || c == ';' || c == ',' || c == '"')
                    {
                        return invalid(
                            "control characters, quotes, commas and semicolons are not allowed",
                        );
                    }
                }
                Token::Seq(width) => {
                    seq_count += 1;
                    if width > 12 {
                        return invalid("the sequence is at most 12 digits wide");
                    }
                }
                Token::Year | Token::ShortYear => {}
                Token::Unknown => {
                    return invalid("unknown placeholder (use {seq}, {seq:N}, {year}, {yy})")
                }
            }
        }
        if seq_count != 1 {
            return invalid("exactly one {seq} placeholder is needed");
        }
        if self.template.chars().count() > 40 {
            return invalid("at most 40 characters");
        }
        Ok(())
    }

    /// The number for sequence value `seq` issued on `date`.
    pub fn render(&self, seq: u64, date: NaiveDate) -> String {
        let mut out = String::new();
        for token in tokens(&self.template) {
            match token {
                Token::Literal(text) => out.push_str(text),
                Token::Seq(width) => out.push_str(&format!("{seq:0width$}", width = width)),
                Token::Year => out.push_str(&format!("{:04}", date.year())),
                Token::ShortYear => out.push_str(&format!("{:02}", date.year().rem_euclid(100))),
                Token::Unknown => {}
            }
        }
        out
    }
}

enum Token<'a> {
    Literal(&'a str),
    Seq(usize),
    Year,
    ShortYear,
    Unknown,
}

fn tokens(template: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(start) => {
                if start > 0 {
                    out.push(Token::Literal(&rest[..start]));
                }
                let Some(len) = rest[start..].find('}') else {
                    out.push(Token::Literal(&rest[start..]));
                    break;
                };
                let inner = &rest[start + 1..start + len];
                out.push(match inner {
                    "seq" => Token::Seq(1),
                    "year" => Token::Year,
                    "yy" => Token::ShortYear,
                    _ => match inner.strip_prefix("seq:").map(str::parse::<usize>) {
                        Some(Ok(width)) if width >= 1 => Token::Seq(width),
                        _ => Token::Unknown,
                    },
                });
                rest = &rest[start + len + 1..];
            }
            None => {
                out.push(Token::Literal(rest));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use BadgeAction as A;
    use BadgeStatus as S;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn step(status: S, action: A) -> Result<S, DomainError> {
        next_badge_status(status, &action, Some("why"), d(2026, 12, 31), d(2026, 6, 1))
    }

    #[test]
    fn lifecycle_moves() {
        assert_eq!(step(S::Issued, A::Activate), Ok(S::Active));
        assert_eq!(step(S::Active, A::Suspend), Ok(S::Suspended));
        assert_eq!(step(S::Suspended, A::Resume), Ok(S::Active));
        assert_eq!(
            step(
                S::Active,
                A::Oppose {
                    cause: ReplacementCause::Stolen
                }
            ),
            Ok(S::Opposed)
        );
        assert_eq!(
            step(
                S::Opposed,
                A::Replace {
                    cause: ReplacementCause::Stolen
                }
            ),
            Ok(S::Opposed)
        );
        assert_eq!(
            step(
                S::Active,
                A::Replace {
                    cause: ReplacementCause::Damaged
                }
            ),
            Ok(S::Deactivated)
        );
        assert_eq!(
            step(
                S::Expired,
                A::Renew {
                    valid_until: d(2027, 1, 1)
                }
            ),
            Ok(S::Active)
        );
        assert_eq!(step(S::Deactivated, A::Return), Ok(S::Returned));
        assert_eq!(step(S::Opposed, A::Deactivate), Ok(S::Deactivated));
        assert_eq!(step(S::Opposed, A::LiftOpposition), Ok(S::Active));
        assert!(step(S::Active, A::LiftOpposition).is_err());
        assert_eq!(
            next_badge_status(
                S::Opposed,
                &A::LiftOpposition,
                None,
                d(2026, 12, 31),
                d(2026, 6, 1)
            ),
            Err(DomainError::ReasonRequired {
                action: "lift_opposition".into()
            })
        );
    }

    #[test]
    fn illegal_badge_moves_are_refused() {
        for (status, action) in [
            (S::Returned, A::Return),
            (S::Returned, A::Activate),
            (S::Opposed, A::Activate),
            (S::Opposed, A::Resume),
            (
                S::Deactivated,
                A::Renew {
                    valid_until: d(2027, 1, 1),
                },
            ),
            (S::Active, A::Activate),
            (S::Issued, A::Resume),
            (
                S::Deactivated,
                A::Oppose {
                    cause: ReplacementCause::Lost,
                },
            ),
        ] {
            let err = step(status, action.clone()).unwrap_err();
            assert!(
                matches!(err, DomainError::IllegalBadgeTransition { .. }),
                "{status:?} {action:?}"
            );
        }
        assert_eq!(
            step(S::Returned, A::Activate).unwrap_err().to_string(),
            "action 'activate' is not allowed on a badge in status 'returned'"
        );
    }

    #[test]
    fn reasons_and_expiry_guards() {
        assert_eq!(
            next_badge_status(
                S::Active,
                &A::Deactivate,
                None,
                d(2026, 12, 31),
                d(2026, 6, 1)
            ),
            Err(DomainError::ReasonRequired {
                action: "deactivate".into()
            })
        );
        assert!(matches!(
            next_badge_status(S::Active, &A::Expire, None, d(2026, 12, 31), d(2026, 6, 1)),
            Err(DomainError::BadgeNotYetExpired { .. })
        ));
        assert_eq!(
            next_badge_status(S::Active, &A::Expire, None, d(2026, 5, 31), d(2026, 6, 1)),
            Ok(S::Expired)
        );
    }

    #[test]
    fn number_formats() {
        let date = d(2026, 3, 1);
        assert_eq!(BadgeNumberFormat::default().render(42, date), "B000042");
        let f = BadgeNumberFormat::new("SES-{year}-{seq:5}").unwrap();
        assert_eq!(f.render(7, date), "SES-2026-00007");
        let f = BadgeNumberFormat::new("{yy}{seq}").unwrap();
        assert_eq!(f.render(1234567, date), "261234567");
        // a sequence wider than the padding is never truncated
        let f = BadgeNumberFormat::new("{seq:2}").unwrap();
        assert_eq!(f.render(123, date), "123");
    }

    #[test]
    fn invalid_number_formats() {
        for bad in [
            "B",
            "{seq}{seq}",
            "{seq:0}",
            "{sequence}",
            "B{seq",
            "B}{seq}",
            "=1+{seq}",
            "a;{seq}",
            "{seq:13}",
        ] {
            let err = BadgeNumberFormat::new(bad);
            if bad == "=1+{seq}" {
                // '=' is harmless in a number; CSV export neutralises formulas anyway
                assert!(err.is_ok());
                continue;
            }
            assert!(
                matches!(err, Err(DomainError::InvalidBadgeNumberFormat { .. })),
                "{bad} should be refused"
            );
        }
    }
}
