//! A request's search words: its holder's names, e-mail and HR number, and its badge
//! number, folded so that prefixes match whatever the case and accents.

use sesame_core::{text, HolderDetails};
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::{execute_all, Conn, Db, BULK_ROWS};
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
    let id = request_id.to_string();
    let rows: Vec<(String, String)> = terms_for(holder, badge_number)
        .into_iter()
        .map(|t| (t, id.clone()))
        .collect();
    insert_term_rows(conn, rows).await
}

/// Inserts `(term, request id)` rows in multi-row statements.
pub(crate) async fn insert_term_rows(conn: &mut Conn, rows: Vec<(String, String)>) -> Result<()> {
    execute_all(conn, term_inserts(&rows)).await
}

/// The multi-row INSERTs of `(term, request id)` rows.
pub(crate) fn term_inserts(rows: &[(String, String)]) -> Vec<QueryBuilder<Db>> {
    rows.chunks(BULK_ROWS * 4)
        .map(|chunk| {
            let mut builder: QueryBuilder<Db> =
                QueryBuilder::new("INSERT INTO search_terms (term, request_id) ");
            builder.push_values(chunk, |mut b, (term, id)| {
                b.push_bind(term.clone()).push_bind(id.clone());
            });
            builder
        })
        .collect()
}
