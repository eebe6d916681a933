//! A person as the directory describes them, in the holder's terms.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::settings::DirectorySettings;

/// One person found in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryPerson {
    /// The entry's DN: the key to fetch their photo.
    pub dn: String,
    pub login: Option<String>,
    pub family_name: String,
    pub given_names: String,
    pub email: Option<String>,
    pub unit: Option<String>,
    pub external_id: Option<String>,
    /// From the first mapped group they belong to.
    pub category: Option<String>,
    /// Disabled in the directory (by the settings' disabled filter).
    pub disabled: bool,
}

/// How a holder is found in the directory: their HR number first, their e-mail else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonKey {
    pub external_id: Option<String>,
    pub email: Option<String>,
}

impl PersonKey {
    pub fn is_empty(&self) -> bool {
        self.external_id.is_none() && self.email.is_none()
    }
}

impl std::fmt::Display for PersonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.external_id, &self.email) {
            (Some(id), _) => write!(f, "{id}"),
            (None, Some(email)) => write!(f, "{email}"),
            (None, None) => write!(f, "?"),
        }
    }
}

/// The first value of an attribute, trimmed, if any (names are case-insensitive).
fn first(attrs: &HashMap<String, Vec<String>>, name: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    attrs
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .and_then(|(_, values)| values.first())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

impl DirectoryPerson {
    pub(crate) fn from_entry(
        settings: &DirectorySettings,
        dn: String,
        attrs: &HashMap<String, Vec<String>>,
    ) -> DirectoryPerson {
        let a = &settings.attributes;
        let login = first(attrs, &a.login);
        let family_name = first(attrs, &a.family_name)
            .or_else(|| first(attrs, "cn"))
            .unwrap_or_default();
        DirectoryPerson {
            dn,
            family_name,
            given_names: first(attrs, &a.given_names).unwrap_or_default(),
            email: first(attrs, &a.email).map(|e| e.to_lowercase()),
            unit: first(attrs, &a.unit),
            external_id: first(attrs, &a.external_id),
            login,
            category: None,
            disabled: false,
        }
    }

    /// The attributes a search asks for (never the photo: it is fetched alone).
    pub(crate) fn wanted_attributes(settings: &DirectorySettings) -> Vec<String> {
        let a = &settings.attributes;
        [
            &a.login,
            &a.family_name,
            &a.given_names,
            &a.email,
            &a.unit,
            &a.external_id,
        ]
        .into_iter()
        .filter(|name| !name.is_empty())
        .cloned()
        .chain(std::iter::once("cn".to_owned()))
        .collect()
    }
}

/// Everyone in the directory, found by HR number or e-mail.
#[derive(Debug, Default)]
pub struct People {
    people: Vec<DirectoryPerson>,
    by_external_id: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
}

impl People {
    pub(crate) fn new(people: Vec<DirectoryPerson>) -> People {
        let mut index = People::default();
        for (i, person) in people.iter().enumerate() {
            if let Some(id) = &person.external_id {
                index.by_external_id.entry(id.to_lowercase()).or_insert(i);
            }
            if let Some(email) = &person.email {
                index.by_email.entry(email.to_lowercase()).or_insert(i);
            }
        }
        index.people = people;
        index
    }

    /// The holder `key` names: by HR number when they have one the directory knows,
    /// by e-mail otherwise.
    pub fn find(&self, key: &PersonKey) -> Option<&DirectoryPerson> {
        let by_id = key
            .external_id
            .as_ref()
            .and_then(|id| self.by_external_id.get(&id.to_lowercase()));
        let by_email = || {
            key.email
                .as_ref()
                .and_then(|email| self.by_email.get(&email.to_lowercase()))
        };
        by_id.or_else(by_email).map(|&i| &self.people[i])
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &DirectoryPerson> {
        self.people.iter()
    }
}
