//! Many rows in one INSERT, sent the way each backend takes them fastest.
//!
//! An import writes ~7 search words and ~2 zones per request. As a multi-row `VALUES`
//! list, PostgreSQL parses and plans every row of every statement (two bound values a
//! row, 1 600 rows a statement): ~2 µs a row on top of its index work, 1.5–2 s of an
//! import of 100 000 requests into 1 000 000. Bound as one array per column and
//! unpacked with `UNNEST`, a statement is the same few nodes whatever its rows.
//! SQLite has no arrays and parses a statement once per shape: it keeps `VALUES`.

use sqlx::{Postgres, QueryBuilder, Sqlite};

/// One column of the rows to insert, its values in row order.
pub(crate) enum Column {
    Text(Vec<String>),
    BigInt(Vec<i64>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Self::Text(values) => values.len(),
            Self::BigInt(values) => values.len(),
        }
    }
}

/// How a backend inserts rows given column by column.
pub(crate) trait ColumnRows: sqlx::Database {
    /// The statements inserting the rows `columns` hold (all of the same length) with
    /// `insert`, an `INSERT INTO table (a, b) ` naming the columns in their order:
    /// `rows_per_statement` rows a statement where the backend lists them one by one.
    fn inserts(
        insert: &str,
        columns: Vec<Column>,
        rows_per_statement: usize,
    ) -> Vec<QueryBuilder<Self>>;
}

impl ColumnRows for Sqlite {
    fn inserts(
        insert: &str,
        columns: Vec<Column>,
        rows_per_statement: usize,
    ) -> Vec<QueryBuilder<Self>> {
        let rows = rows_of(&columns);
        let per = rows_per_statement.max(1);
        (0..rows)
            .step_by(per)
            .map(|start| {
                let end = (start + per).min(rows);
                let mut builder = QueryBuilder::new(insert);
                builder.push_values(start..end, |mut row, i| {
                    for column in &columns {
                        match column {
                            Column::Text(values) => row.push_bind(values[i].clone()),
                            Column::BigInt(values) => row.push_bind(values[i]),
                        };
                    }
                });
                builder
            })
            .collect()
    }
}

impl ColumnRows for Postgres {
    fn inserts(
        insert: &str,
        columns: Vec<Column>,
        _rows_per_statement: usize,
    ) -> Vec<QueryBuilder<Self>> {
        if rows_of(&columns) == 0 {
            return Vec::new();
        }
        let mut builder = QueryBuilder::new(insert);
        builder.push("SELECT * FROM UNNEST(");
        let mut arrays = builder.separated(", ");
        for column in columns {
            match column {
                Column::Text(values) => arrays.push_bind(values).push_unseparated("::text[]"),
                Column::BigInt(values) => arrays.push_bind(values).push_unseparated("::int8[]"),
            };
        }
        builder.push(")");
        vec![builder]
    }
}

/// The rows `columns` hold; they must all hold as many.
fn rows_of(columns: &[Column]) -> usize {
    let rows = columns.first().map_or(0, Column::len);
    assert!(
        columns.iter().all(|c| c.len() == rows),
        "columns of one insert hold as many values"
    );
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSERT: &str = "INSERT INTO request_zones (request_id, position) ";

    /// The SQL of the statements inserting `rows` rows (an id and a number each).
    fn statements<Db: ColumnRows>(rows: usize, rows_per_statement: usize) -> Vec<String> {
        let columns = vec![
            Column::Text((0..rows).map(|i| format!("id{i}")).collect()),
            Column::BigInt((0..rows).map(|i| i as i64).collect()),
        ];
        Db::inserts(INSERT, columns, rows_per_statement)
            .iter()
            .map(|statement| statement.sql().as_str().to_owned())
            .collect()
    }

    #[test]
    fn sqlite_lists_the_rows_a_statement_at_a_time() {
        assert_eq!(
            statements::<Sqlite>(5, 2),
            [
                format!("{INSERT}VALUES (?, ?), (?, ?)"),
                format!("{INSERT}VALUES (?, ?), (?, ?)"),
                format!("{INSERT}VALUES (?, ?)"),
            ]
        );
        assert!(statements::<Sqlite>(0, 2).is_empty());
    }

    #[test]
    fn postgres_sends_one_array_a_column() {
        assert_eq!(
            statements::<Postgres>(5000, 2),
            [format!(
                "{INSERT}SELECT * FROM UNNEST($1::text[], $2::int8[])"
            )]
        );
        assert!(statements::<Postgres>(0, 2).is_empty());
    }

    #[test]
    #[should_panic(expected = "as many values")]
    fn columns_of_unequal_lengths_are_refused() {
        let _ = <Postgres as ColumnRows>::inserts(
            INSERT,
            vec![Column::Text(vec!["a".into()]), Column::BigInt(vec![])],
            2,
        );
    }
}
