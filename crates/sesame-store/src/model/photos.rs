//! Badge photos: how a saved photo's checks came out and why it was saved anyway, and
//! how often each check is overridden (a check overridden often is miscalibrated).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A check's verdict that the operator had to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    Warn,
    Fail,
}

impl CheckOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Warn => "warn",
            Self::Fail => "fail",
        }
    }

    pub fn parse(value: &str) -> Option<CheckOutcome> {
        match value {
            "warn" => Some(Self::Warn),
            "fail" => Some(Self::Fail),
            _ => None,
        }
    }
}

/// One check a saved badge photo failed or warned on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoCheckOutcome {
    /// The check's name (`eyes_open`, `background`…).
    pub check: String,
    pub outcome: CheckOutcome,
    /// The operator saved the photo over this verdict, with a reason.
    pub overridden: bool,
}

/// Why a badge photo was saved although some checks did not accept it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoOverride {
    pub reason: String,
    /// The supervisor who countersigned, when the office's rules ask for one.
    pub countersigned_by: Option<String>,
}

/// What a badge photo's checks said when it was saved, recorded with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoReview {
    pub outcomes: Vec<PhotoCheckOutcome>,
    pub overridden: Option<PhotoOverride>,
}

/// How often one check stopped a photo, and how often the operator overrode it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoCheckRate {
    pub check: String,
    #[ts(type = "number")]
    pub refused: i64,
    #[ts(type = "number")]
    pub refusals_overridden: i64,
    #[ts(type = "number")]
    pub warned: i64,
    #[ts(type = "number")]
    pub warnings_overridden: i64,
}

/// The photo checks' record since outcomes are kept: the supervisor's calibration view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoCheckStats {
    #[ts(type = "number")]
    pub photos_saved: i64,
    #[ts(type = "number")]
    pub photos_overridden: i64,
    /// Checks that stopped at least one photo, the most overridden first.
    pub checks: Vec<PhotoCheckRate>,
}
