//! One connection to the directory: bound with the service account, then searched.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::time::Duration;

use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError, Scope, SearchEntry, SearchOptions};

use crate::error::{DirectoryError, Result};
use crate::filter;
use crate::person::{DirectoryPerson, People, PersonKey};
use crate::settings::{DirectorySecurity, DirectorySettings};

/// Entries per page of a paged search: small enough for Active Directory's default
/// `MaxPageSize` (1000) and OpenLDAP's size limits.
const PAGE_SIZE: i32 = 200;
/// LDAP result codes the desk names.
const SIZE_LIMIT_EXCEEDED: u32 = 4;
const NO_SUCH_OBJECT: u32 = 32;
const INVALID_CREDENTIALS: u32 = 49;

/// A bound connection to the office's directory. Dropping it closes the connection.
pub struct Directory {
    ldap: Ldap,
    settings: DirectorySettings,
    timeout: Duration,
    /// Each mapped group's members (normalised DNs) with its category, once loaded.
    groups: Option<Vec<(HashSet<String>, String)>>,
}

impl Directory {
    /// Connects (LDAPS, StartTLS, or plain on loopback) and binds with the service
    /// account's `password`, or anonymously when the settings name no account.
    pub async fn connect(
        settings: &DirectorySettings,
        password: Option<&str>,
    ) -> Result<Directory> {
        if settings.host.is_empty() || settings.base_dn.is_empty() {
            return Err(DirectoryError::NotConfigured);
        }
        let timeout = Duration::from_secs(u64::from(settings.timeout_seconds.max(1)));
        let server = settings.url();
        let mut conn_settings = LdapConnSettings::new()
            .set_conn_timeout(timeout)
            .set_starttls(settings.security == DirectorySecurity::Starttls);
        if settings.security != DirectorySecurity::None {
            conn_settings = conn_settings.set_connector(tls_connector(settings)?);
        }
        let (conn, mut ldap) = within(
            timeout,
            &server,
            LdapConnAsync::with_settings(conn_settings, &server),
        )
        .await?
        .map_err(|error| connect_error(&server, error))?;
        ldap3::drive!(conn);
        if let Some(bind_dn) = &settings.bind_dn {
            // An empty password is an unauthenticated bind that servers accept silently.
            let password = password.filter(|p| !p.is_empty()).ok_or_else(|| {
                DirectoryError::PasswordMissing {
                    bind_dn: bind_dn.clone(),
                }
            })?;
            let result = within(timeout, &server, ldap.simple_bind(bind_dn, password))
                .await?
                .map_err(|error| connect_error(&server, error))?;
            if result.rc == INVALID_CREDENTIALS {
                return Err(DirectoryError::BadCredentials {
                    bind_dn: bind_dn.clone(),
                });
            }
            result.success().map_err(|error| failed(&error))?;
        }
        Ok(Directory {
            ldap,
            settings: settings.clone(),
            timeout,
            groups: None,
        })
    }

    /// People whose name, login or e-mail starts with each typed word; at most `limit`.
    pub async fn search(&mut self, text: &str, limit: usize) -> Result<Vec<DirectoryPerson>> {
        let Some(matching) = filter::people_matching(&self.settings, text) else {
            return Ok(Vec::new());
        };
        let mut people = self.limited_search(&matching, limit).await?;
        people.sort_by(|a, b| {
            (a.family_name.to_lowercase(), a.given_names.to_lowercase())
                .cmp(&(b.family_name.to_lowercase(), b.given_names.to_lowercase()))
        });
        if let Some(disabled) = &self.settings.disabled_filter {
            let disabled_matching = format!("(&{matching}{disabled})");
            let disabled: HashSet<String> = self
                .limited_search(&disabled_matching, limit)
                .await?
                .into_iter()
                .map(|p| normalise_dn(&p.dn))
                .collect();
            for person in &mut people {
                person.disabled = disabled.contains(&normalise_dn(&person.dn));
            }
        }
        self.add_categories(&mut people).await?;
        Ok(people)
    }

    /// Everyone under the base (paged), with their category and whether they are disabled.
    pub async fn everyone(&mut self) -> Result<People> {
        let person_filter = self.settings.person_filter.clone();
        let attributes = DirectoryPerson::wanted_attributes(&self.settings);
        let mut people: Vec<DirectoryPerson> = self
            .paged_search(&person_filter, attributes)
            .await?
            .into_iter()
            .map(|entry| DirectoryPerson::from_entry(&self.settings, entry.dn, &entry.attrs))
            .collect();
        if let Some(disabled) = filter::disabled_people(&self.settings) {
            let disabled: HashSet<String> = self
                .paged_search(&disabled, vec!["1.1".to_owned()])
                .await?
                .into_iter()
                .map(|entry| normalise_dn(&entry.dn))
                .collect();
            for person in &mut people {
                person.disabled = disabled.contains(&normalise_dn(&person.dn));
            }
        }
        self.add_categories(&mut people).await?;
        Ok(People::new(people))
    }

    /// The holder `key` names: by HR number when the directory knows it, by e-mail else.
    pub async fn find(&mut self, key: &PersonKey) -> Result<Option<DirectoryPerson>> {
        let attributes = self.settings.attributes.clone();
        let mut filters = Vec::new();
        if let Some(id) = key
            .external_id
            .as_deref()
            .filter(|_| !attributes.external_id.is_empty())
        {
            filters.push(filter::person_with(
                &self.settings,
                &attributes.external_id,
                id,
            ));
        }
        if let Some(email) = &key.email {
            filters.push(filter::person_with(
                &self.settings,
                &attributes.email,
                email,
            ));
        }
        for person_filter in filters {
            let mut found = self.limited_search(&person_filter, 1).await?;
            if !found.is_empty() {
                found.truncate(1);
                self.add_categories(&mut found).await?;
                return Ok(found.pop());
            }
        }
        Ok(None)
    }

    /// The person's photo as the directory stores it (JPEG, not yet checked).
    pub async fn photo(&mut self, dn: &str) -> Result<Vec<u8>> {
        let attribute = self.settings.attributes.photo.clone();
        if attribute.is_empty() {
            return Err(DirectoryError::NoPhoto { key: dn.to_owned() });
        }
        let server = self.settings.url();
        let search = self
            .ldap
            .search(dn, Scope::Base, "(objectClass=*)", vec![&attribute]);
        let ldap3::SearchResult(entries, result) = within(self.timeout, &server, search)
            .await?
            .map_err(|error| failed(&error))?;
        if result.rc == NO_SUCH_OBJECT {
            return Err(DirectoryError::PersonGone { key: dn.to_owned() });
        }
        result
            .success()
            .map_err(|error| self.search_refused(&error))?;
        let entry = entries
            .into_iter()
            .next()
            .map(SearchEntry::construct)
            .ok_or_else(|| DirectoryError::PersonGone { key: dn.to_owned() })?;
        let binary = entry
            .bin_attrs
            .iter()
            .find(|(name, _)| attribute_is(name, &attribute))
            .and_then(|(_, values)| values.first().cloned());
        let text = || {
            entry
                .attrs
                .iter()
                .find(|(name, _)| attribute_is(name, &attribute))
                .and_then(|(_, values)| values.first().map(|v| v.clone().into_bytes()))
        };
        binary
            .or_else(text)
            .filter(|bytes| !bytes.is_empty())
            .ok_or_else(|| DirectoryError::NoPhoto { key: dn.to_owned() })
    }

    /// Closes the connection politely (dropping it also closes it).
    pub async fn close(mut self) {
        let _ = self.ldap.unbind().await;
    }

    async fn limited_search(&mut self, filter: &str, limit: usize) -> Result<Vec<DirectoryPerson>> {
        let server = self.settings.url();
        let base = self.settings.base_dn.clone();
        let attributes = DirectoryPerson::wanted_attributes(&self.settings);
        let limit = i32::try_from(limit.max(1)).unwrap_or(i32::MAX);
        let search = self
            .ldap
            .with_search_options(SearchOptions::new().sizelimit(limit))
            .search(&base, Scope::Subtree, filter, attributes);
        let ldap3::SearchResult(entries, result) = within(self.timeout, &server, search)
            .await?
            .map_err(|error| failed(&error))?;
        if result.rc != SIZE_LIMIT_EXCEEDED {
            result
                .success()
                .map_err(|error| self.search_refused(&error))?;
        }
        Ok(entries
            .into_iter()
            .map(SearchEntry::construct)
            .map(|entry| DirectoryPerson::from_entry(&self.settings, entry.dn, &entry.attrs))
            .collect())
    }

    async fn paged_search(
        &mut self,
        filter: &str,
        attributes: Vec<String>,
    ) -> Result<Vec<SearchEntry>> {
        let server = self.settings.url();
        let base = self.settings.base_dn.clone();
        let adapters: Vec<Box<dyn Adapter<_, _>>> = vec![
            Box::new(EntriesOnly::new()),
            Box::new(PagedResults::new(PAGE_SIZE)),
        ];
        let mut stream = within(
            self.timeout,
            &server,
            self.ldap
                .streaming_search_with(adapters, &base, Scope::Subtree, filter, attributes),
        )
        .await?
        .map_err(|error| failed(&error))?;
        let mut entries = Vec::new();
        loop {
            let next = within(self.timeout, &server, stream.next())
                .await?
                .map_err(|error| failed(&error))?;
            match next {
                Some(entry) => entries.push(SearchEntry::construct(entry)),
                None => break,
            }
        }
        let result = stream.finish().await;
        result
            .success()
            .map_err(|error| self.search_refused(&error))?;
        Ok(entries)
    }

    /// Sets each person's category from the first mapped group that lists them.
    async fn add_categories(&mut self, people: &mut [DirectoryPerson]) -> Result<()> {
        if self.settings.groups.is_empty() || people.is_empty() {
            return Ok(());
        }
        if self.groups.is_none() {
            let mut groups = Vec::new();
            for group in self.settings.groups.clone() {
                groups.push((self.group_members(&group.group_dn).await?, group.category));
            }
            self.groups = Some(groups);
        }
        let groups = self.groups.as_deref().unwrap_or_default();
        for person in people {
            let dn = normalise_dn(&person.dn);
            person.category = groups
                .iter()
                .find(|(members, _)| members.contains(&dn))
                .map(|(_, category)| category.clone());
        }
        Ok(())
    }

    /// The members of a group (`member` of groupOfNames and Active Directory groups,
    /// `uniqueMember` of groupOfUniqueNames); a group that is gone has none.
    async fn group_members(&mut self, group_dn: &str) -> Result<HashSet<String>> {
        let server = self.settings.url();
        let search = self.ldap.search(
            group_dn,
            Scope::Base,
            "(objectClass=*)",
            vec!["member", "uniqueMember"],
        );
        let ldap3::SearchResult(entries, result) = within(self.timeout, &server, search)
            .await?
            .map_err(|error| failed(&error))?;
        if result.rc == NO_SUCH_OBJECT {
            return Ok(HashSet::new());
        }
        result
            .success()
            .map_err(|error| self.search_refused(&error))?;
        let attrs: HashMap<String, Vec<String>> = entries
            .into_iter()
            .next()
            .map(|entry| SearchEntry::construct(entry).attrs)
            .unwrap_or_default();
        Ok(attrs
            .into_iter()
            .filter(|(name, _)| attribute_is(name, "member") || attribute_is(name, "uniqueMember"))
            .flat_map(|(_, values)| values)
            .map(|dn| normalise_dn(&dn))
            .collect())
    }

    fn search_refused(&self, error: &LdapError) -> DirectoryError {
        DirectoryError::SearchRefused {
            base: self.settings.base_dn.clone(),
            detail: error.to_string(),
        }
    }
}

fn attribute_is(name: &str, wanted: &str) -> bool {
    // `jpegPhoto;binary` is the same attribute as `jpegPhoto`.
    name.split(';')
        .next()
        .unwrap_or(name)
        .eq_ignore_ascii_case(wanted)
}

/// DNs compared as the directory does: case and spaces around separators ignored.
fn normalise_dn(dn: &str) -> String {
    dn.split(',')
        .map(|rdn| rdn.split('=').map(str::trim).collect::<Vec<_>>().join("="))
        .collect::<Vec<_>>()
        .join(",")
        .to_lowercase()
}

fn tls_connector(settings: &DirectorySettings) -> Result<native_tls::TlsConnector> {
    let mut builder = native_tls::TlsConnector::builder();
    if let Some(pem) = &settings.ca_certificate {
        let certificate = native_tls::Certificate::from_pem(pem.as_bytes()).map_err(|e| {
            DirectoryError::BadSettings {
                field: "caCertificate".into(),
                detail: format!("is not a PEM certificate: {e}"),
            }
        })?;
        builder.add_root_certificate(certificate);
    }
    builder.build().map_err(|e| DirectoryError::Failed {
        detail: format!("TLS cannot be set up: {e}"),
    })
}

/// Runs one exchange with the server, giving up after the settings' timeout.
async fn within<T>(
    timeout: Duration,
    server: &str,
    exchange: impl Future<Output = T>,
) -> Result<T> {
    tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| DirectoryError::Timeout {
            server: server.to_owned(),
            seconds: timeout.as_secs(),
        })
}

fn connect_error(server: &str, error: LdapError) -> DirectoryError {
    match error {
        LdapError::Io { source } => DirectoryError::Unreachable {
            server: server.to_owned(),
            detail: source.to_string(),
        },
        LdapError::NativeTLS { source } => {
            let detail = source.to_string();
            if detail.contains("certificate") {
                DirectoryError::CertificateRefused {
                    server: server.to_owned(),
                    detail,
                }
            } else {
                DirectoryError::Unreachable {
                    server: server.to_owned(),
                    detail: format!("TLS failed: {detail}"),
                }
            }
        }
        LdapError::Timeout { .. } => DirectoryError::Timeout {
            server: server.to_owned(),
            seconds: 0,
        },
        LdapError::EndOfStream => DirectoryError::Unreachable {
            server: server.to_owned(),
            detail: "the server closed the connection".into(),
        },
        other => failed(&other),
    }
}

fn failed(error: &LdapError) -> DirectoryError {
    DirectoryError::Failed {
        detail: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_compare_without_case_nor_spaces() {
        assert_eq!(
            normalise_dn("CN=Marie Dupont, OU=People , DC=univ,dc=example"),
            normalise_dn("cn=marie dupont,ou=people,dc=univ,dc=example")
        );
    }

    #[test]
    fn attribute_options_are_the_same_attribute() {
        assert!(attribute_is("jpegPhoto;binary", "jpegphoto"));
        assert!(!attribute_is("jpegPhotos", "jpegPhoto"));
    }
}
