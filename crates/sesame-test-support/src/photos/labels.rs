//! The labelled real portraits (tests/portraits/labels.csv), fetched by
//! scripts/fetch-portraits.sh into .cache/portraits/.

use std::collections::BTreeMap;
use std::path::PathBuf;

use sesame_photo::{import_path, ImportLimits, ImportedPhoto};

/// One fault column of labels.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Yes,
    No,
    Unclear,
}

impl Label {
    fn parse(text: &str) -> Option<Label> {
        match text {
            "yes" => Some(Label::Yes),
            "no" => Some(Label::No),
            "unclear" => Some(Label::Unclear),
            _ => None,
        }
    }
}

/// The fault columns, in labels.csv's order.
pub const FAULTS: [&str; 23] = [
    "eyes_closed",
    "mouth_open",
    "smile",
    "yaw_turned",
    "pitch_tilted",
    "roll_tilted",
    "busy_background",
    "dark_background",
    "several_faces",
    "glasses",
    "glasses_glare",
    "dark_glasses",
    "head_covering",
    "occlusion",
    "uneven_light",
    "too_dark",
    "too_bright",
    "blurred",
    "greyscale",
    "compressed",
    "off_centre",
    "small_face",
    "face_cut_off",
];

/// A labelled picture: a real portrait, or a variant derived from one.
#[derive(Debug, Clone)]
pub struct Labels {
    values: BTreeMap<&'static str, Label>,
}

impl Labels {
    pub fn get(&self, fault: &str) -> Label {
        *self
            .values
            .get(fault)
            .unwrap_or_else(|| panic!("no label column {fault}"))
    }
    pub fn set(&mut self, fault: &str, label: Label) -> &mut Labels {
        let key = FAULTS
            .iter()
            .find(|f| **f == fault)
            .unwrap_or_else(|| panic!("no label column {fault}"));
        self.values.insert(key, label);
        self
    }
    pub fn with(mut self, fault: &str, label: Label) -> Labels {
        self.set(fault, label);
        self
    }
    /// Every fault label "no" (a clean derived picture starts from this).
    pub fn none() -> Labels {
        Labels {
            values: FAULTS.iter().map(|f| (*f, Label::No)).collect(),
        }
    }
}

/// One row of labels.csv.
#[derive(Debug, Clone)]
pub struct Portrait {
    pub file: String,
    pub licence_status: String,
    pub faces: u32,
    pub labels: Labels,
}

impl Portrait {
    /// "unverified" rows are left out by default (their source is not confirmed).
    pub fn verified(&self) -> bool {
        self.licence_status != "unverified"
    }

    pub fn path(&self) -> PathBuf {
        portraits_dir().join(&self.file)
    }

    /// The photo as Sésame imports it (EXIF orientation applied), or a failure naming
    /// the script to run.
    pub fn import(&self) -> ImportedPhoto {
        let path = self.path();
        if !path.exists() {
            panic!(
                "portrait {} is missing: run scripts/fetch-portraits.sh first",
                path.display()
            );
        }
        import_path(&path, &ImportLimits::default())
            .unwrap_or_else(|e| panic!("portrait {} does not import: {e}", path.display()))
    }
}

pub use crate::portraits::portraits_dir;

fn labels_csv() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sesame-photo/tests/portraits/labels.csv")
}

/// Splits one CSV line (double-quoted fields may hold commas and "" for a quote).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    out
}

/// The labelled portraits; `include_unverified` adds the 5 rows whose source is not
/// confirmed. Panics, naming scripts/fetch-portraits.sh, when a photo is missing.
pub fn portraits(include_unverified: bool) -> Vec<Portrait> {
    let text = std::fs::read_to_string(labels_csv()).expect("labels.csv is in the repository");
    let mut lines = text.lines();
    let header = fields(lines.next().expect("labels.csv has a header"));
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("labels.csv has no column {name}"))
    };
    let (file, status, faces) = (column("file"), column("licence_status"), column("faces"));
    let columns: Vec<(&'static str, usize)> = FAULTS.iter().map(|f| (*f, column(f))).collect();
    let mut out = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let row = fields(line);
        let mut labels = Labels::none();
        for (fault, at) in &columns {
            let label = Label::parse(&row[*at])
                .unwrap_or_else(|| panic!("{}: {fault} is {:?}", row[file], row[*at]));
            labels.set(fault, label);
        }
        let portrait = Portrait {
            file: row[file].clone(),
            licence_status: row[status].clone(),
            faces: row[faces].parse().unwrap_or(0),
            labels,
        };
        if include_unverified || portrait.verified() {
            out.push(portrait);
        }
    }
    let missing: Vec<&str> = out
        .iter()
        .filter(|p| !p.path().exists())
        .map(|p| p.file.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "portraits missing from {} ({}): run scripts/fetch-portraits.sh first",
        portraits_dir().display(),
        missing.join(", ")
    );
    out
}

pub fn portrait(all: &[Portrait], file: &str) -> Portrait {
    all.iter()
        .find(|p| p.file == file)
        .unwrap_or_else(|| panic!("{file} is not in labels.csv"))
        .clone()
}
