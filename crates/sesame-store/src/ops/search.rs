//! A request's search words: its holder's names, e-mail and HR number, and its badge
//! number, folded so that prefixes match whatever the case and accents.

use sesame_core::{text, HolderDetails};
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::{execute_all, Conn, Db, BULK_ROWS};
use crate::column_rows::{Column, ColumnRows};
use crate::error::Result;

/// The search words of a request whose holder is `holder` and badge `badge_number`.
pub(crate) fn terms_for(holder: &HolderDetails, badge_number: Option<&str>) -> Vec<String> {
    let mut terms = Vec::new();
    for source in [
        Some(holder.family_name.as_str()),
        Some(holder.given_names.as_str()),
        holder.email.as_deref(),
        holder.external_id.as_deref(),
        badge_number,
    ]
    .into_iter()
    .flatten()
    {
        terms.extend(text::search_terms(source));
    }
    // The badge number whole, so "B0000" prefixes work across its punctuation.
    if let Some(number) = badge_number {
        terms.push(text::fold(number));
    }
    terms.sort();
    terms.dedup();
    terms
}

/// The bit a search term starting with `first` sets in its request's
/// `search_initials`: one per letter a–z and digit 0–9, one for any other character.
/// A search word of one letter or digit matches exactly the requests with its bit set,
/// so the queue tests it on the sort's index rather than reading the word's terms
/// (`queue_search::push_search`). The migrations' backfill (`*_search_initials.sql`)
/// computes the same bits in SQL.
pub(crate) fn initial_bit(first: char) -> i64 {
    let index = match first {
        'a'..='z' => first as u32 - 'a' as u32,
        '0'..='9' => 26 + (first as u32 - '0' as u32),
        _ => 36,
    };
    1 << index
}

/// Whether a search word matches exactly the requests whose initials hold its first
/// character's bit: a single letter or digit.
pub(crate) fn initial_decides(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// The initials of `words`: the `search_initials` of a request whose search words
/// they are, or the initials a request must hold to match every word of a search.
pub(crate) fn initials_of<W: AsRef<str>>(words: impl IntoIterator<Item = W>) -> i64 {
    words
        .into_iter()
        .filter_map(|word| word.as_ref().chars().next())
        .fold(0, |bits, first| bits | initial_bit(first))
}

/// Replaces a request's search words (and the initials kept beside them).
pub(crate) async fn write_search_terms(
    conn: &mut Conn,
    request_id: Uuid,
    holder: &HolderDetails,
    badge_number: Option<&str>,
) -> Result<()> {
    sqlx::query("DELETE FROM search_terms WHERE request_id = $1")
        .bind(request_id.to_string())
        .execute(&mut *conn)
        .await?;
    let terms = terms_for(holder, badge_number);
    sqlx::query("UPDATE requests SET search_initials = $1 WHERE id = $2")
        .bind(initials_of(&terms))
        .bind(request_id.to_string())
        .execute(&mut *conn)
        .await?;
    let ids = vec![request_id.to_string(); terms.len()];
    execute_all(conn, term_inserts(terms, ids)).await
}

/// The INSERTs of search words: `terms[i]` is a word of the request `request_ids[i]`.
pub(crate) fn term_inserts(terms: Vec<String>, request_ids: Vec<String>) -> Vec<QueryBuilder<Db>> {
    <Db as ColumnRows>::inserts(
        "INSERT INTO search_terms (term, request_id) ",
        vec![Column::Text(terms), Column::Text(request_ids)],
        BULK_ROWS * 4,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_letter_and_digit_has_its_bit_and_other_characters_share_one() {
        assert_eq!(initial_bit('a'), 1);
        assert_eq!(initial_bit('z'), 1 << 25);
        assert_eq!(initial_bit('0'), 1 << 26);
        assert_eq!(initial_bit('9'), 1 << 35);
        assert_eq!(initial_bit('ı'), 1 << 36);
        assert_eq!(initial_bit('李'), 1 << 36);
        let terms: Vec<String> = ["martin", "marie", "m42", "42", "李"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            initials_of(&terms),
            initial_bit('m') | initial_bit('4') | (1 << 36)
        );
        assert_eq!(initials_of(Vec::<String>::new()), 0);
        assert!(initial_decides("m") && initial_decides("7"));
        assert!(!initial_decides("ma") && !initial_decides("ı") && !initial_decides(""));
    }
}
