//! The messages holders get, in French and English, as plain text.
//!
//! Placeholders (`{name}`) are filled in one pass: a value is never read again as a
//! template, so a reason typed at the desk cannot pull in other fields. Values are
//! cleaned first (control characters and line breaks become spaces, length capped),
//! so nothing a holder or an operator typed can add a line to the subject or headers.

use chrono::{Datelike, NaiveDate};
use sesame_core::{DispatchMethod, RequestKind};
use sesame_store::{MailLanguage, MailTemplate};

/// Longest value put in a message (a refusal reason is the longest expected).
const MAX_VALUE_CHARS: usize = 500;

/// What a message may say about the holder, the request and the badge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFacts {
    pub given_names: String,
    pub family_name: String,
    pub request_kind: Option<RequestKind>,
    pub badge_number: Option<String>,
    /// The refusal's reason.
    pub reason: Option<String>,
    /// The day the event happened (received, printed, dispatched…), in the office's time.
    pub event_date: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// Days from today to `valid_until` (reminders).
    pub days_left: Option<i64>,
    pub dispatch_method: Option<DispatchMethod>,
    /// The signature: the office's name.
    pub office: String,
    /// The visitor who arrived (the host's message), with their organisation.
    pub visitor: Option<String>,
}

/// A message ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub body: String,
}

/// One text per language.
struct Text {
    fr: &'static str,
    en: &'static str,
}

impl Text {
    fn get(&self, language: MailLanguage) -> &'static str {
        match language {
            MailLanguage::Fr => self.fr,
            MailLanguage::En => self.en,
        }
    }
}

const GREETING: Text = Text {
    fr: "Bonjour {name},\n\n",
    en: "Dear {name},\n\n",
};

const CLOSING: Text = Text {
    fr: "\n\nCordialement,\n{office}\n",
    en: "\n\nKind regards,\n{office}\n",
};

const DEFAULT_OFFICE: Text = Text {
    fr: "Le bureau des badges",
    en: "The badge office",
};

const RECEIVED_SUBJECT: Text = Text {
    fr: "Votre demande de badge a bien été reçue",
    en: "Your badge request has been received",
};
const RECEIVED_BODY: Text = Text {
    fr: "Votre demande ({kind}) a bien été reçue par le bureau des badges le {date}.\n\
         Nous vous écrirons à chaque étape : décision, impression et remise de votre badge.",
    en: "The badge office received your request ({kind}) on {date}.\n\
         We will write to you at each step: decision, printing and delivery of your badge.",
};

const REFUSED_SUBJECT: Text = Text {
    fr: "Votre demande de badge n’a pas été acceptée",
    en: "Your badge request was not accepted",
};
const REFUSED_BODY: Text = Text {
    fr: "Votre demande ({kind}) n’a pas pu être acceptée.\n\n\
         Motif : {reason}\n\n\
         Pour toute question, ou pour présenter une nouvelle demande, adressez-vous au bureau des badges.",
    en: "Your request ({kind}) could not be accepted.\n\n\
         Reason: {reason}\n\n\
         For any question, or to make a new request, please contact the badge office.",
};
const NO_REASON: Text = Text {
    fr: "non précisé",
    en: "not given",
};

const PRINTED_SUBJECT: Text = Text {
    fr: "Votre badge n° {badge} est imprimé",
    en: "Your badge no. {badge} has been printed",
};
const PRINTED_BODY: Text = Text {
    fr: "Votre badge n° {badge} a été imprimé le {date}.\n\
         Il vous sera remis en main propre ou envoyé par courrier interne ; vous recevrez alors un autre message.",
    en: "Your badge no. {badge} was printed on {date}.\n\
         It will be handed to you or sent by internal mail; you will get another message then.",
};

const ARRIVED_SUBJECT: Text = Text {
    fr: "Votre visiteur est arrivé : {visitor}",
    en: "Your visitor has arrived: {visitor}",
};
const ARRIVED_BODY: Text = Text {
    fr: "{visitor} est arrivé(e) à l’accueil le {date} et vous attend.\n\
         Merci de venir l’y chercher.",
    en: "{visitor} arrived at the reception on {date} and is waiting for you.\n\
         Please come and meet them there.",
};
const SOMEONE: Text = Text {
    fr: "Un visiteur",
    en: "A visitor",
};

const SENT_SUBJECT: Text = Text {
    fr: "Votre badge n° {badge} vous a été envoyé",
    en: "Your badge no. {badge} has been sent to you",
};
const SENT_BODY: Text = Text {
    fr: "Votre badge n° {badge} vous a été envoyé par courrier interne le {date}.\n\
         Si vous ne l’avez pas reçu d’ici quelques jours, prévenez le bureau des badges.",
    en: "Your badge no. {badge} was sent to you by internal mail on {date}.\n\
         If you have not received it within a few days, please tell the badge office.",
};

const HANDED_SUBJECT: Text = Text {
    fr: "Votre badge n° {badge} vous a été remis",
    en: "Your badge no. {badge} has been handed to you",
};
const HANDED_BODY: Text = Text {
    fr: "Votre badge n° {badge} vous a été remis le {date}.\n\
         Gardez-le avec soin : en cas de perte ou de vol, prévenez aussitôt le bureau des badges pour qu’il soit bloqué.",
    en: "Your badge no. {badge} was handed to you on {date}.\n\
         Keep it safe: if it is lost or stolen, tell the badge office at once so that it is blocked.",
};

const EXPIRING_SUBJECT: Text = Text {
    fr: "Votre badge n° {badge} expire le {until}",
    en: "Your badge no. {badge} expires on {until}",
};
const EXPIRING_BODY: Text = Text {
    fr: "Votre badge n° {badge} arrive en fin de validité le {until} ({left}).\n\
         Si vous en avez encore besoin, demandez son renouvellement au bureau des badges avant cette date.",
    en: "Your badge no. {badge} stops working on {until} ({left}).\n\
         If you still need it, please ask the badge office to renew it before that day.",
};

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `21 novembre 2026` / `21 November 2026` (`1er` for the first day in French).
pub fn format_date(date: NaiveDate, language: MailLanguage) -> String {
    let month = date.month0() as usize;
    match language {
        MailLanguage::Fr if date.day() == 1 => format!("1er {} {}", MONTHS_FR[month], date.year()),
        MailLanguage::Fr => format!("{} {} {}", date.day(), MONTHS_FR[month], date.year()),
        MailLanguage::En => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
    }
}

fn days_left_phrase(days: i64, language: MailLanguage) -> String {
    match (language, days) {
        (MailLanguage::Fr, ..=0) => "aujourd’hui".to_owned(),
        (MailLanguage::Fr, 1) => "demain".to_owned(),
        (MailLanguage::Fr, n) => format!("dans {n} jours"),
        (MailLanguage::En, ..=0) => "today".to_owned(),
        (MailLanguage::En, 1) => "tomorrow".to_owned(),
        (MailLanguage::En, n) => format!("in {n} days"),
    }
}

fn kind_name(kind: RequestKind, language: MailLanguage) -> &'static str {
    let text = match kind {
        RequestKind::NewBadge => Text {
            fr: "nouveau badge",
            en: "new badge",
        },
        RequestKind::Renewal => Text {
            fr: "renouvellement de badge",
            en: "badge renewal",
        },
        RequestKind::Replacement => Text {
            fr: "remplacement de badge",
            en: "badge replacement",
        },
        RequestKind::Transfer => Text {
            fr: "transfert de badge",
            en: "badge transfer",
        },
        RequestKind::ZoneAccess => Text {
            fr: "accès à une zone sécurisée",
            en: "access to a secured zone",
        },
        RequestKind::DayPass => Text {
            fr: "badge visiteur à la journée",
            en: "visitor day pass",
        },
    };
    text.get(language)
}

/// A value safe to put anywhere in a message: one line, no control characters,
/// runs of spaces collapsed, at most [`MAX_VALUE_CHARS`] characters.
pub fn clean_value(value: &str) -> String {
    let spaced: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= MAX_VALUE_CHARS {
        joined
    } else {
        let mut cut: String = joined.chars().take(MAX_VALUE_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

/// Replaces each `{name}` of `template` with its value, in a single pass over the template.
/// Values are inserted as they are (cleaned by the caller); an unknown name is a bug in the
/// templates above, caught by the tests, and is left visible rather than dropped.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The subject and body of `template` in `language` for `facts`.
pub fn render(template: MailTemplate, language: MailLanguage, facts: &MailFacts) -> RenderedMail {
    let name = clean_value(&format!("{} {}", facts.given_names, facts.family_name));
    let office = match clean_value(&facts.office) {
        office if office.is_empty() => DEFAULT_OFFICE.get(language).to_owned(),
        office => office,
    };
    let kind = facts
        .request_kind
        .map(|k| kind_name(k, language))
        .unwrap_or_else(|| kind_name(RequestKind::NewBadge, language))
        .to_owned();
    let badge = clean_value(facts.badge_number.as_deref().unwrap_or("—"));
    let reason = match facts.reason.as_deref().map(clean_value) {
        Some(reason) if !reason.is_empty() => reason,
        _ => NO_REASON.get(language).to_owned(),
    };
    let date = format_date(facts.event_date, language);
    let until = facts
        .valid_until
        .map(|d| format_date(d, language))
        .unwrap_or_default();
    let left = days_left_phrase(facts.days_left.unwrap_or(0), language);
    let visitor = match facts.visitor.as_deref().map(clean_value) {
        Some(visitor) if !visitor.is_empty() => visitor,
        _ => SOMEONE.get(language).to_owned(),
    };
    let values: [(&str, &str); 9] = [
        ("name", &name),
        ("office", &office),
        ("kind", &kind),
        ("badge", &badge),
        ("reason", &reason),
        ("date", &date),
        ("until", &until),
        ("left", &left),
        ("visitor", &visitor),
    ];
    let handed_over = facts.dispatch_method == Some(DispatchMethod::HandedOver);
    let (subject, body) = match template {
        MailTemplate::RequestReceived => (RECEIVED_SUBJECT, RECEIVED_BODY),
        MailTemplate::RequestRefused => (REFUSED_SUBJECT, REFUSED_BODY),
        MailTemplate::BadgePrinted => (PRINTED_SUBJECT, PRINTED_BODY),
        MailTemplate::BadgeDispatched if handed_over => (HANDED_SUBJECT, HANDED_BODY),
        MailTemplate::BadgeDispatched => (SENT_SUBJECT, SENT_BODY),
        MailTemplate::BadgeExpiring => (EXPIRING_SUBJECT, EXPIRING_BODY),
        MailTemplate::VisitorArrived => (ARRIVED_SUBJECT, ARRIVED_BODY),
    };
    let body = [
        GREETING.get(language),
        body.get(language),
        CLOSING.get(language),
    ]
    .concat();
    RenderedMail {
        subject: fill(subject.get(language), &values),
        body: fill(&body, &values),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> MailFacts {
        MailFacts {
            given_names: "Zoé".into(),
            family_name: "Lefèvre-Martin".into(),
            request_kind: Some(RequestKind::NewBadge),
            badge_number: Some("B-000042".into()),
            reason: Some("Mission terminée".into()),
            event_date: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 1),
            days_left: Some(10),
            dispatch_method: Some(DispatchMethod::InternalMail),
            office: "Bureau des badges — Campus Nord".into(),
            visitor: None,
        }
    }

    #[test]
    fn every_template_fills_every_placeholder_in_both_languages() {
        for template in MailTemplate::ALL {
            for language in MailLanguage::ALL {
                for method in [DispatchMethod::InternalMail, DispatchMethod::HandedOver] {
                    let facts = MailFacts {
                        dispatch_method: Some(method),
                        ..facts()
                    };
                    let mail = render(template, language, &facts);
                    for text in [&mail.subject, &mail.body] {
                        assert!(
                            !text.contains('{') && !text.contains('}'),
                            "{template:?}/{language:?}: unfilled placeholder in {text}"
                        );
                    }
                    assert!(!mail.subject.contains('\n'), "{}", mail.subject);
                    assert!(mail.body.contains("Zoé Lefèvre-Martin"), "{}", mail.body);
                    assert!(mail.body.contains("Campus Nord"), "{}", mail.body);
                }
            }
        }
    }

    #[test]
    fn french_and_english_texts() {
        let fr = render(MailTemplate::RequestRefused, MailLanguage::Fr, &facts());
        assert_eq!(fr.subject, "Votre demande de badge n’a pas été acceptée");
        assert!(fr.body.starts_with("Bonjour Zoé Lefèvre-Martin,\n\n"));
        assert!(fr.body.contains("Motif : Mission terminée"));
        let en = render(MailTemplate::RequestRefused, MailLanguage::En, &facts());
        assert_eq!(en.subject, "Your badge request was not accepted");
        assert!(en.body.contains("Reason: Mission terminée"));
        let expiring = render(MailTemplate::BadgeExpiring, MailLanguage::Fr, &facts());
        assert_eq!(
            expiring.subject,
            "Votre badge n° B-000042 expire le 1er décembre 2026"
        );
        assert!(
            expiring.body.contains("(dans 10 jours)"),
            "{}",
            expiring.body
        );
        let expiring = render(MailTemplate::BadgeExpiring, MailLanguage::En, &facts());
        assert_eq!(
            expiring.subject,
            "Your badge no. B-000042 expires on 1 December 2026"
        );
        assert!(expiring.body.contains("(in 10 days)"));
    }

    #[test]
    fn dispatch_wording_follows_the_method() {
        let handed = MailFacts {
            dispatch_method: Some(DispatchMethod::HandedOver),
            ..facts()
        };
        assert!(
            render(MailTemplate::BadgeDispatched, MailLanguage::Fr, &handed)
                .subject
                .ends_with("vous a été remis")
        );
        assert!(
            render(MailTemplate::BadgeDispatched, MailLanguage::Fr, &facts())
                .body
                .contains("par courrier interne")
        );
    }

    #[test]
    fn typed_values_cannot_add_lines_or_placeholders() {
        let hostile = MailFacts {
            given_names: "Eve\r\nBcc: all@univ.example".into(),
            reason: Some("{office} {badge}\n\nCliquez ici".into()),
            ..facts()
        };
        let mail = render(MailTemplate::RequestRefused, MailLanguage::Fr, &hostile);
        assert!(mail
            .body
            .starts_with("Bonjour Eve Bcc: all@univ.example Lefèvre-Martin,\n"));
        // The reason's braces are kept as typed, not expanded.
        assert!(
            mail.body.contains("Motif : {office} {badge} Cliquez ici\n"),
            "{}",
            mail.body
        );
    }

    #[test]
    fn missing_reason_and_office_get_defaults() {
        let bare = MailFacts {
            reason: None,
            office: "  ".into(),
            ..facts()
        };
        let mail = render(MailTemplate::RequestRefused, MailLanguage::En, &bare);
        assert!(mail.body.contains("Reason: not given"));
        assert!(mail.body.ends_with("Kind regards,\nThe badge office\n"));
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(2000);
        let cleaned = clean_value(&long);
        assert_eq!(cleaned.chars().count(), MAX_VALUE_CHARS);
        assert!(cleaned.ends_with('…'));
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2027, 8, 15).unwrap();
        assert_eq!(format_date(d, MailLanguage::Fr), "15 août 2027");
        assert_eq!(format_date(d, MailLanguage::En), "15 August 2027");
        assert_eq!(days_left_phrase(1, MailLanguage::Fr), "demain");
        assert_eq!(days_left_phrase(0, MailLanguage::En), "today");
    }
}
