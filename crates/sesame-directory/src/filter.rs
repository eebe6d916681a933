//! Search filters built from what the operator types: every value escaped (RFC 4515),
//! so a name with `*` or `)` is searched as typed and never widens the filter.

use ldap3::ldap_escape;

use crate::settings::DirectorySettings;

/// People whose name, login or e-mail starts with each typed word (in any order):
/// "dup ma" finds Marie Dupont.
pub fn people_matching(settings: &DirectorySettings, text: &str) -> Option<String> {
    let a = &settings.attributes;
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| ldap_escape(w).into_owned())
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut filter = format!("(&{}", settings.person_filter);
    for word in &words {
        filter.push_str(&format!(
            "(|({sn}={w}*)({given}={w}*)({login}={w}*)({mail}={w}*))",
            sn = a.family_name,
            given = a.given_names,
            login = a.login,
            mail = a.email,
            w = word,
        ));
    }
    filter.push(')');
    Some(filter)
}

/// The person whose `attribute` is exactly `value`.
pub fn person_with(settings: &DirectorySettings, attribute: &str, value: &str) -> String {
    format!(
        "(&{}({attribute}={}))",
        settings.person_filter,
        ldap_escape(value)
    )
}

/// Every disabled person (only asked when the settings say how to tell).
pub fn disabled_people(settings: &DirectorySettings) -> Option<String> {
    settings
        .disabled_filter
        .as_ref()
        .map(|disabled| format!("(&{}{disabled})", settings.person_filter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_are_escaped_and_each_must_match() {
        let settings = DirectorySettings::default();
        let filter = people_matching(&settings, " dup*) ma ").unwrap();
        assert_eq!(
            filter,
            "(&(objectClass=inetOrgPerson)\
             (|(sn=dup\\2a\\29*)(givenName=dup\\2a\\29*)(uid=dup\\2a\\29*)(mail=dup\\2a\\29*))\
             (|(sn=ma*)(givenName=ma*)(uid=ma*)(mail=ma*)))"
        );
        assert_eq!(people_matching(&settings, "   "), None);
    }
}
