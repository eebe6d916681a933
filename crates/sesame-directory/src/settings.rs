//! The office's directory settings, shared by every desk through the queue database.
//! The bind password is not here: it is in each desk's OS keyring.

use serde::{Deserialize, Serialize};
use sesame_core::text::is_loopback_host;
use ts_rs::TS;

use crate::error::{DirectoryError, Result};

/// How the connection to the directory is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DirectorySecurity {
    /// Plain LDAP upgraded with StartTLS, which is required (port 389).
    #[default]
    Starttls,
    /// LDAPS: TLS from the first byte (port 636).
    Tls,
    /// No encryption: only accepted for a server on this machine (loopback).
    None,
}

/// Which kind of server the attribute names were preset for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DirectoryKind {
    #[default]
    OpenLdap,
    ActiveDirectory,
}

/// The attribute that holds each detail of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryAttributes {
    /// The login, unique in the directory (`uid`, `sAMAccountName`).
    pub login: String,
    pub family_name: String,
    pub given_names: String,
    pub email: String,
    pub unit: String,
    /// The HR number, matched with the holder's external id (`employeeNumber`, `employeeID`).
    pub external_id: String,
    /// A JPEG photo (`jpegPhoto`, `thumbnailPhoto`); empty when the directory has none.
    pub photo: String,
}

impl DirectoryAttributes {
    pub fn preset(kind: DirectoryKind) -> DirectoryAttributes {
        let (login, unit, external_id, photo) = match kind {
            DirectoryKind::OpenLdap => ("uid", "ou", "employeeNumber", "jpegPhoto"),
            DirectoryKind::ActiveDirectory => (
                "sAMAccountName",
                "department",
                "employeeID",
                "thumbnailPhoto",
            ),
        };
        DirectoryAttributes {
            login: login.into(),
            family_name: "sn".into(),
            given_names: "givenName".into(),
            email: "mail".into(),
            unit: unit.into(),
            external_id: external_id.into(),
            photo: photo.into(),
        }
    }

    fn all(&self) -> [(&'static str, &str); 7] {
        [
            ("login", &self.login),
            ("familyName", &self.family_name),
            ("givenNames", &self.given_names),
            ("email", &self.email),
            ("unit", &self.unit),
            ("externalId", &self.external_id),
            ("photo", &self.photo),
        ]
    }
}

impl Default for DirectoryAttributes {
    fn default() -> Self {
        Self::preset(DirectoryKind::OpenLdap)
    }
}

/// Members of a directory group get a badge category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupCategory {
    /// The group's DN, e.g. `cn=staff,ou=groups,dc=univ,dc=example`.
    pub group_dn: String,
    /// A category key of the eligibility rules, e.g. `staff`.
    pub category: String,
}

/// What the directory settings page edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectorySettings {
    /// Off: intake has no directory search and housekeeping does not sync.
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub kind: DirectoryKind,
    #[serde(default)]
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    #[serde(default)]
    pub security: DirectorySecurity,
    /// The office's CA certificate (PEM) when the server's is not signed by one the
    /// system trusts: trusted in addition to the system's.
    #[serde(default)]
    pub ca_certificate: Option<String>,
    /// The service account's DN; `None` binds anonymously.
    #[serde(default)]
    pub bind_dn: Option<String>,
    /// Where people are searched, e.g. `ou=people,dc=univ,dc=example`.
    #[serde(default)]
    pub base_dn: String,
    /// Which entries are people.
    #[serde(default = "default_person_filter")]
    pub person_filter: String,
    /// Which people are disabled (their badges are leavers' badges), e.g. Active
    /// Directory's `(userAccountControl:1.2.840.113556.1.4.803:=2)`; `None`: only people
    /// gone from the directory count as leavers.
    #[serde(default)]
    pub disabled_filter: Option<String>,
    #[serde(default)]
    pub attributes: DirectoryAttributes,
    /// The first group a person belongs to gives their category. Holders of these
    /// categories are the directory's: synced, and listed when they leave.
    #[serde(default)]
    pub groups: Vec<GroupCategory>,
    /// Housekeeping updates holders' names, e-mails and units from the directory.
    #[serde(default)]
    pub sync_in_housekeeping: bool,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u16,
}

fn default_port() -> u16 {
    389
}

fn default_timeout() -> u16 {
    10
}

fn default_person_filter() -> String {
    "(objectClass=inetOrgPerson)".into()
}

impl Default for DirectorySettings {
    fn default() -> Self {
        DirectorySettings {
            enabled: false,
            kind: DirectoryKind::OpenLdap,
            host: String::new(),
            port: default_port(),
            security: DirectorySecurity::Starttls,
            ca_certificate: None,
            bind_dn: None,
            base_dn: String::new(),
            person_filter: default_person_filter(),
            disabled_filter: None,
            attributes: DirectoryAttributes::default(),
            groups: Vec::new(),
            sync_in_housekeeping: false,
            timeout_seconds: default_timeout(),
        }
    }
}

fn invalid(field: &str, detail: impl Into<String>) -> DirectoryError {
    DirectoryError::BadSettings {
        field: field.to_owned(),
        detail: detail.into(),
    }
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A filter must be one parenthesised expression: `(objectClass=person)`.
fn check_filter(field: &str, filter: &str) -> Result<()> {
    let mut depth = 0i32;
    for c in filter.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            break;
        }
    }
    if !filter.starts_with('(') || !filter.ends_with(')') || depth != 0 {
        return Err(invalid(
            field,
            format!("'{filter}' is not an LDAP filter in parentheses, e.g. (objectClass=person)"),
        ));
    }
    Ok(())
}

impl DirectorySettings {
    /// Trims every field and turns blank optional ones into `None`.
    pub fn normalised(mut self) -> Self {
        self.host = self.host.trim().to_owned();
        self.base_dn = self.base_dn.trim().to_owned();
        self.person_filter = self.person_filter.trim().to_owned();
        self.bind_dn = blank_to_none(self.bind_dn);
        self.disabled_filter = blank_to_none(self.disabled_filter);
        self.ca_certificate = blank_to_none(self.ca_certificate);
        let a = &mut self.attributes;
        for value in [
            &mut a.login,
            &mut a.family_name,
            &mut a.given_names,
            &mut a.email,
            &mut a.unit,
            &mut a.external_id,
            &mut a.photo,
        ] {
            *value = value.trim().to_owned();
        }
        self.groups = self
            .groups
            .into_iter()
            .map(|g| GroupCategory {
                group_dn: g.group_dn.trim().to_owned(),
                category: g.category.trim().to_lowercase(),
            })
            .filter(|g| !g.group_dn.is_empty() || !g.category.is_empty())
            .collect();
        self
    }

    /// Checks the settings' shape; an enabled directory needs a server and a base.
    pub fn validate(&self) -> Result<()> {
        if self.host.chars().any(|c| c.is_whitespace() || c == '/') {
            return Err(invalid(
                "host",
                format!(
                    "'{}' must be a host name without spaces nor scheme",
                    self.host
                ),
            ));
        }
        if self.port == 0 {
            return Err(invalid("port", "must be between 1 and 65535"));
        }
        if self.security == DirectorySecurity::None
            && !self.host.is_empty()
            && !is_loopback_host(&self.host)
        {
            return Err(invalid(
                "security",
                format!(
                    "an unencrypted connection is only allowed to a server on this machine, not '{}'",
                    self.host
                ),
            ));
        }
        if let Some(pem) = &self.ca_certificate {
            native_tls::Certificate::from_pem(pem.as_bytes())
                .map_err(|e| invalid("caCertificate", format!("is not a PEM certificate: {e}")))?;
        }
        check_filter("personFilter", &self.person_filter)?;
        if let Some(filter) = &self.disabled_filter {
            check_filter("disabledFilter", filter)?;
        }
        for (field, value) in self.attributes.all() {
            let required = field != "photo" && field != "unit" && field != "externalId";
            if (required && value.is_empty())
                || !value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ';')
            {
                return Err(invalid(
                    &format!("attributes.{field}"),
                    format!("'{value}' is not an attribute name"),
                ));
            }
        }
        for group in &self.groups {
            if group.group_dn.is_empty() || !group.group_dn.contains('=') {
                return Err(invalid(
                    "groups",
                    format!("'{}' is not a group DN", group.group_dn),
                ));
            }
            if group.category.is_empty() {
                return Err(invalid(
                    "groups",
                    format!("the group '{}' gives no category", group.group_dn),
                ));
            }
        }
        if !(1..=120).contains(&self.timeout_seconds) {
            return Err(invalid("timeoutSeconds", "must be between 1 and 120"));
        }
        if self.enabled {
            if self.host.is_empty() {
                return Err(invalid("host", "a directory in use needs its server"));
            }
            if self.base_dn.is_empty() {
                return Err(invalid(
                    "baseDn",
                    "a directory in use needs where people are",
                ));
            }
        }
        Ok(())
    }

    /// `ldaps://host:port` or `ldap://host:port`.
    pub fn url(&self) -> String {
        let scheme = match self.security {
            DirectorySecurity::Tls => "ldaps",
            _ => "ldap",
        };
        let host = if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!("{scheme}://{host}:{}", self.port)
    }

    /// The categories whose holders are the directory's.
    pub fn directory_categories(&self) -> Vec<&str> {
        let mut categories: Vec<&str> = self.groups.iter().map(|g| g.category.as_str()).collect();
        categories.sort_unstable();
        categories.dedup();
        categories
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_use() -> DirectorySettings {
        DirectorySettings {
            enabled: true,
            host: "ldap.univ.example".into(),
            base_dn: "ou=people,dc=univ,dc=example".into(),
            ..DirectorySettings::default()
        }
    }

    #[test]
    fn a_plain_connection_is_only_for_this_machine() {
        let mut settings = in_use();
        settings.security = DirectorySecurity::None;
        let err = settings.validate().unwrap_err();
        assert!(
            matches!(err, DirectoryError::BadSettings { ref field, .. } if field == "security")
        );
        settings.host = "127.0.0.1".into();
        settings.validate().unwrap();
    }

    #[test]
    fn filters_and_attribute_names_are_checked() {
        let mut settings = in_use();
        settings.person_filter = "objectClass=person".into();
        assert!(settings.validate().is_err());
        settings.person_filter = "(&(objectClass=person)(mail=*)".into();
        assert!(settings.validate().is_err());
        settings.person_filter = "(&(objectClass=person)(mail=*))".into();
        settings.validate().unwrap();
        settings.attributes.email = "mail)(uid=*".into();
        let err = settings.validate().unwrap_err();
        assert!(
            matches!(err, DirectoryError::BadSettings { ref field, .. } if field == "attributes.email")
        );
    }

    #[test]
    fn a_directory_in_use_needs_its_server_and_base() {
        let mut settings = in_use();
        settings.base_dn.clear();
        assert!(settings.validate().is_err());
        settings.enabled = false;
        settings.validate().unwrap();
    }

    #[test]
    fn group_categories_are_normalised_and_listed_once() {
        let settings = DirectorySettings {
            groups: vec![
                GroupCategory {
                    group_dn: " cn=staff,ou=groups,dc=x ".into(),
                    category: " Staff ".into(),
                },
                GroupCategory {
                    group_dn: "cn=faculty,ou=groups,dc=x".into(),
                    category: "staff".into(),
                },
                GroupCategory {
                    group_dn: String::new(),
                    category: String::new(),
                },
            ],
            ..in_use()
        }
        .normalised();
        assert_eq!(settings.groups.len(), 2);
        assert_eq!(settings.directory_categories(), vec!["staff"]);
        settings.validate().unwrap();
    }

    #[test]
    fn the_url_follows_the_security() {
        let mut settings = in_use();
        settings.port = 636;
        settings.security = DirectorySecurity::Tls;
        assert_eq!(settings.url(), "ldaps://ldap.univ.example:636");
        settings.security = DirectorySecurity::Starttls;
        settings.host = "::1".into();
        assert_eq!(settings.url(), "ldap://[::1]:636");
    }
}
