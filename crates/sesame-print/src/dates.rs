//! Validity dates as a badge office writes them, per locale.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Locale;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateStyle {
    /// fr "31/12/2026", en "31 Dec 2026" (never the ambiguous 12/31).
    #[default]
    Short,
    /// fr "1er janvier 2027", en "1 January 2027".
    Long,
}

const FR_MONTHS: [&str; 12] = [
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
const EN_MONTHS: [&str; 12] = [
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

pub fn format_date(date: NaiveDate, locale: Locale, style: DateStyle) -> String {
    let month = date.month0() as usize;
    match (locale, style) {
        (Locale::Fr, DateStyle::Short) => {
            format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
        }
        (Locale::Fr, DateStyle::Long) => {
            let day = if date.day() == 1 {
                "1er".to_string()
            } else {
                date.day().to_string()
            };
            format!("{day} {} {}", FR_MONTHS[month], date.year())
        }
        (Locale::En, DateStyle::Short) => {
            format!("{} {} {}", date.day(), &EN_MONTHS[month][..3], date.year())
        }
        (Locale::En, DateStyle::Long) => {
            format!("{} {} {}", date.day(), EN_MONTHS[month], date.year())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_per_locale_and_style() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let first = NaiveDate::from_ymd_opt(2027, 8, 1).unwrap();
        assert_eq!(format_date(d, Locale::Fr, DateStyle::Short), "31/12/2026");
        assert_eq!(
            format_date(d, Locale::Fr, DateStyle::Long),
            "31 décembre 2026"
        );
        assert_eq!(
            format_date(first, Locale::Fr, DateStyle::Long),
            "1er août 2027"
        );
        assert_eq!(format_date(d, Locale::En, DateStyle::Short), "31 Dec 2026");
        assert_eq!(
            format_date(first, Locale::En, DateStyle::Long),
            "1 August 2027"
        );
    }
}
