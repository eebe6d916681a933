//! Text folding for search: "Zoé" and "ZOE" both become "zoe".
//!
//! The store keeps a folded copy of names, e-mail and badge numbers that Rust
//! fills, so both SQLite and PostgreSQL compare plain ASCII-ish lowercase text
//! without collations or extensions, and the query is folded the same way.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercases, strips accents and maps ligatures, keeping every other character.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ł' | 'Ł' => out.push('l'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Splits folded text into search terms: runs of letters and digits.
///
/// An e-mail address also yields itself whole so a pasted address matches.
pub fn search_terms(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut terms: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let trimmed = folded.trim();
    if trimmed.contains('@') && !trimmed.contains(char::is_whitespace) {
        terms.push(trimmed.to_owned());
    }
    terms.sort();
    terms.dedup();
    terms
}

/// The key the queue sorts holders by: "family given", folded.
pub fn sort_key(family_name: &str, given_names: &str) -> String {
    let mut key = fold(family_name.trim());
    key.push(' ');
    key.push_str(&fold(given_names.trim()));
    key
}

/// The first character a name, an address or another one-line identity field must not
/// hold: C0 and C1 controls (a name has no tab or line break), DEL, the line and
/// paragraph separators, and the Unicode bidi controls that make text read in another
/// order than it is stored (`U+202E` turns "gpj.exe" around on screen and in print).
/// The zero-width joiner stays allowed: some scripts need it inside names.
pub fn first_forbidden_char(text: &str) -> Option<char> {
    text.chars().find(|&c| is_forbidden_in_identity_text(c))
}

fn is_forbidden_in_identity_text(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `localhost`, `127.x.x.x` or `::1`: a server on this very machine.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_accents_and_case() {
        assert_eq!(fold("Zoé"), "zoe");
        assert_eq!(fold("ÉLODIE Çelik"), "elodie celik");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Œuvre Lætitia"), "oeuvre laetitia");
        assert_eq!(fold("Łukasz Søren"), "lukasz soren");
    }

    #[test]
    fn terms_split_on_punctuation_and_keep_email_whole() {
        assert_eq!(
            search_terms("Jean-Pierre  d'Arc"),
            vec!["arc", "d", "jean", "pierre"]
        );
        let terms = search_terms("Zoé.Martin@Example.fr");
        assert!(terms.contains(&"zoe.martin@example.fr".to_owned()));
        assert!(terms.contains(&"zoe".to_owned()));
        assert!(terms.contains(&"example".to_owned()));
    }

    #[test]
    fn terms_of_blank_text_are_empty() {
        assert!(search_terms("  -- ").is_empty());
    }

    #[test]
    fn sort_key_orders_by_family_then_given() {
        assert!(sort_key("Émile", "Zoé") < sort_key("Eznik", "Anne"));
        assert_eq!(sort_key(" Dupont ", "Zoé"), "dupont zoe");
    }

    #[test]
    fn identity_text_refuses_controls_and_bidi_overrides() {
        for bad in [
            "Zo\u{202E}gpj.exe",
            "a\tb",
            "a\nb",
            "a\rb",
            "\u{0}",
            "\u{7F}",
            "\u{85}",
            "\u{9B}",
            "\u{061C}x",
            "\u{200E}",
            "\u{200F}",
            "\u{2028}",
            "\u{202A}",
            "\u{202D}",
            "\u{2066}",
            "\u{2069}",
        ] {
            assert!(first_forbidden_char(bad).is_some(), "{bad:?} accepted");
        }
        assert_eq!(first_forbidden_char("Zoé\u{202E}x"), Some('\u{202E}'));
        for good in [
            "Zoé",
            "Jean-Pierre d'Arc",
            "O’Brien",
            "محمد",
            "李小龍",
            "क्\u{200D}ष",
            "zoe.martin@example.fr",
            "+33 6 12 34 56 78",
        ] {
            assert_eq!(first_forbidden_char(good), None, "{good:?} refused");
        }
    }
}
