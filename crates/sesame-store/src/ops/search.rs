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

/// Replaces a request's search words.
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
