//! Loan cards: a short-lived badge lent in place of one the holder forgot. The
//! original is suspended while the loan is out and resumed when the loan card comes
//! back or its last day has passed; both badges' histories say so.

use chrono::NaiveDate;
use sesame_core::{
    rules, rules_for, AuditEntity, Badge, BadgeAction, BadgeStatus, Clock, DomainError,
};
use sqlx::Row;
use uuid::Uuid;

use super::badges::{allocate_number, apply_badge_action, free_card, insert_badge};
use super::rows::{load_badge, load_holder};
use super::{
    append_audit, begin_write, get_uuid, load_policy, require_operator, Audit, Conn, DbRow, Now,
    Pool,
};
use crate::error::{Result, StoreError};
use crate::{BadgeLoan, LoanEnd, LoanInput, LoanRow};

const LOAN_COLUMNS: &str = "l.id, l.original_badge_id, l.loan_badge_id, l.lent_at, l.lent_by, \
     l.due_on, l.reason, l.ended_at, l.ended_by, l.ended_how";

fn loan_from_row(row: &DbRow) -> Result<BadgeLoan> {
    let ended_how: Option<String> = row.try_get("ended_how")?;
    Ok(BadgeLoan {
        id: get_uuid(row, "id")?,
        original_badge_id: get_uuid(row, "original_badge_id")?,
        loan_badge_id: get_uuid(row, "loan_badge_id")?,
        lent_at: row.try_get("lent_at")?,
        lent_by: row.try_get("lent_by")?,
        due_on: row.try_get("due_on")?,
        reason: row.try_get("reason")?,
        ended_at: row.try_get("ended_at")?,
        ended_by: row.try_get("ended_by")?,
        ended_how: match ended_how.as_deref() {
            None => None,
            Some("returned") => Some(LoanEnd::Returned),
            Some("expired") => Some(LoanEnd::Expired),
            Some(other) => return Err(StoreError::Corrupt(format!("unknown loan end '{other}'"))),
        },
    })
}

/// Lends a card in place of the active badge `input.original_badge_id`: a new badge
/// (new number, same holder and zones, active from today for `days` days, never
/// beyond the original nor the mission), bound to the loan card's UID when given;
/// the original is suspended until the loan ends. One transaction.
pub(crate) async fn lend_card(
    pool: &Pool,
    clock: &Clock,
    input: &LoanInput,
    operator: &str,
) -> Result<LoanRow> {
    require_operator(operator)?;
    let op = operator.trim();
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(DomainError::ReasonRequired {
            action: "lend_card".into(),
        }
        .into());
    }
    let now = Now::read(clock);
    let mut tx = begin_write(pool).await?;
    let original = load_badge(&mut tx, input.original_badge_id, true).await?;
    if original.status != BadgeStatus::Active {
        return Err(DomainError::LoanOfInactiveBadge {
            status: original.status.as_str().to_owned(),
        }
        .into());
    }
    if open_loan_by_card(&mut tx, original.id).await?.is_some() {
        return Err(DomainError::LoanOfLoanCard {
            number: original.number,
        }
        .into());
    }
    if open_loan_of(&mut tx, original.id).await?.is_some() {
        return Err(DomainError::LoanAlreadyOut {
            number: original.number,
        }
        .into());
    }
    let holder = load_holder(&mut tx, original.holder_id).await?;
    let policy = load_policy(&mut tx).await?;
    let rules = rules_for(&policy, &holder.details.category);
    let due_on = rules::loan_until(
        rules,
        &holder.details,
        original.valid_until,
        now.today,
        input.days,
    )?;
    let number = allocate_number(&mut tx, &policy, now).await?;
    let loan_badge_id = Uuid::now_v7();
    let serial = input
        .card_serial
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(serial) = serial {
        free_card(&mut tx, now.at, serial, loan_badge_id, &number, op).await?;
    }
    let loan_badge = Badge {
        id: loan_badge_id,
        number,
        holder_id: holder.id,
        request_id: original.request_id,
        card_serial: serial.map(str::to_owned),
        valid_from: now.today,
        valid_until: due_on,
        status: BadgeStatus::Active,
        zones: original.zones.clone(),
        status_reason: Some(format!("loan card for {}", original.number)),
        version: 1,
        created_at: now.at,
        updated_at: now.at,
    };
    insert_badge(&mut tx, &loan_badge).await?;
    let loan = BadgeLoan {
        id: Uuid::now_v7(),
        original_badge_id: original.id,
        loan_badge_id,
        lent_at: now.at,
        lent_by: op.to_owned(),
        due_on,
        reason: reason.to_owned(),
        ended_at: None,
        ended_by: None,
        ended_how: None,
    };
    sqlx::query(
        "INSERT INTO badge_loans (id, original_badge_id, loan_badge_id, lent_at, lent_by, due_on, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(loan.id.to_string())
    .bind(original.id.to_string())
    .bind(loan_badge_id.to_string())
    .bind(now.at)
    .bind(op)
    .bind(due_on)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        now.at,
        Audit {
            operator: op,
            entity: AuditEntity::Badge,
            entity_id: loan_badge_id.to_string(),
            request_id: Some(original.request_id),
            action: "lend_card",
            before: None,
            after: Some(serde_json::json!({
                "number": loan_badge.number,
                "loanOf": original.number,
                "dueOn": due_on,
                "cardSerial": loan_badge.card_serial,
            })),
            reason: Some(reason),
        },
    )
    .await?;
    let suspend_reason = format!("loan card {} out", loan_badge.number);
    let original = apply_badge_action(
        &mut tx,
        original.id,
        input.expected_version,
        &BadgeAction::Suspend,
        op,
        Some(&suspend_reason),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(LoanRow {
        loan,
        original,
        loan_badge,
        family_name: holder.details.family_name,
        given_names: holder.details.given_names,
    })
}

/// The loan card `loan_badge_id` came back: it is returned, the original resumed (if
/// still suspended for it), the loan ended.
pub(crate) async fn return_loan_card(
    pool: &Pool,
    clock: &Clock,
    loan_badge_id: Uuid,
    operator: &str,
) -> Result<LoanRow> {
    require_operator(operator)?;
    let now = Now::read(clock);
    let mut tx = begin_write(pool).await?;
    let loan_badge = load_badge(&mut tx, loan_badge_id, true).await?;
    let Some(loan) = open_loan_by_card(&mut tx, loan_badge_id).await? else {
        return Err(DomainError::NotALoanCard {
            number: loan_badge.number,
        }
        .into());
    };
    if loan_badge.status.holds_its_card() {
        apply_badge_action(
            &mut tx,
            loan_badge.id,
            loan_badge.version,
            &BadgeAction::Return,
            operator.trim(),
            None,
            now,
        )
        .await?;
    }
    let row = end_loan(&mut tx, loan, LoanEnd::Returned, operator.trim(), now).await?;
    tx.commit().await?;
    Ok(row)
}

/// Ends the loans whose last day is before `today`: the loan badge expires (if
/// housekeeping's expiry has not done it already), the original is resumed. One
/// transaction; `dry_run` only lists them.
pub(crate) async fn end_due_loans(
    pool: &Pool,
    clock: &Clock,
    today: NaiveDate,
    operator: &str,
    dry_run: bool,
) -> Result<Vec<LoanRow>> {
    require_operator(operator)?;
    let now = Now {
        today,
        ..Now::read(clock)
    };
    let mut tx = begin_write(pool).await?;
    let sql = format!(
        "SELECT {LOAN_COLUMNS} FROM badge_loans l WHERE l.ended_at IS NULL AND l.due_on < $1 ORDER BY l.due_on, l.id"
    );
    let due: Vec<BadgeLoan> = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(today)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(loan_from_row)
        .collect::<Result<_>>()?;
    let mut ended = Vec::with_capacity(due.len());
    for loan in due {
        if dry_run {
            ended.push(loan_row(&mut tx, loan).await?);
            continue;
        }
        let loan_badge = load_badge(&mut tx, loan.loan_badge_id, true).await?;
        // A loan card declared lost stays opposed (blocked); one that still works
        // expires (housekeeping's expiry usually did it already).
        let working = matches!(
            loan_badge.status,
            BadgeStatus::Issued | BadgeStatus::Active | BadgeStatus::Suspended
        );
        if working {
            apply_badge_action(
                &mut tx,
                loan_badge.id,
                loan_badge.version,
                &BadgeAction::Expire,
                operator.trim(),
                None,
                now,
            )
            .await?;
        }
        ended.push(end_loan(&mut tx, loan, LoanEnd::Expired, operator.trim(), now).await?);
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(ended)
}

/// The loans out now, the soonest due first.
pub(crate) async fn open_loans(pool: &Pool) -> Result<Vec<LoanRow>> {
    let mut conn = pool.acquire().await?;
    let sql = format!(
        "SELECT {LOAN_COLUMNS} FROM badge_loans l WHERE l.ended_at IS NULL ORDER BY l.due_on, l.lent_at"
    );
    let loans: Vec<BadgeLoan> = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(loan_from_row)
        .collect::<Result<_>>()?;
    let mut rows = Vec::with_capacity(loans.len());
    for loan in loans {
        rows.push(loan_row(&mut conn, loan).await?);
    }
    Ok(rows)
}

/// Closes `loan` and resumes its original badge when the loan left it suspended.
async fn end_loan(
    conn: &mut Conn,
    mut loan: BadgeLoan,
    how: LoanEnd,
    operator: &str,
    now: Now,
) -> Result<LoanRow> {
    sqlx::query(
        "UPDATE badge_loans SET ended_at = $1, ended_by = $2, ended_how = $3 WHERE id = $4 AND ended_at IS NULL",
    )
    .bind(now.at)
    .bind(operator)
    .bind(how.as_str())
    .bind(loan.id.to_string())
    .execute(&mut *conn)
    .await?;
    loan.ended_at = Some(now.at);
    loan.ended_by = Some(operator.to_owned());
    loan.ended_how = Some(how);
    let original = load_badge(conn, loan.original_badge_id, true).await?;
    let ended = format!("loan card {}", how.as_str());
    append_audit(
        conn,
        now.at,
        Audit {
            operator,
            entity: AuditEntity::Badge,
            entity_id: loan.loan_badge_id.to_string(),
            request_id: Some(original.request_id),
            action: "end_loan",
            before: None,
            after: Some(serde_json::json!({ "endedHow": how, "loanOf": original.number })),
            reason: Some(&ended),
        },
    )
    .await?;
    // Suspended for another reason since (a supervisor's decision) it stays so: only
    // the loan's own suspension is lifted.
    let suspended_by_loan = original.status == BadgeStatus::Suspended
        && original
            .status_reason
            .as_deref()
            .is_some_and(|r| r.starts_with("loan card "));
    if suspended_by_loan {
        apply_badge_action(
            conn,
            original.id,
            original.version,
            &BadgeAction::Resume,
            operator,
            Some(&ended),
            now,
        )
        .await?;
    }
    loan_row(conn, loan).await
}

async fn loan_row(conn: &mut Conn, loan: BadgeLoan) -> Result<LoanRow> {
    let original = load_badge(conn, loan.original_badge_id, false).await?;
    let loan_badge = load_badge(conn, loan.loan_badge_id, false).await?;
    let holder = load_holder(conn, original.holder_id).await?;
    Ok(LoanRow {
        loan,
        original,
        loan_badge,
        family_name: holder.details.family_name,
        given_names: holder.details.given_names,
    })
}

async fn open_loan_of(conn: &mut Conn, original: Uuid) -> Result<Option<BadgeLoan>> {
    open_loan_where(conn, "l.original_badge_id", original).await
}

async fn open_loan_by_card(conn: &mut Conn, loan_badge: Uuid) -> Result<Option<BadgeLoan>> {
    open_loan_where(conn, "l.loan_badge_id", loan_badge).await
}

async fn open_loan_where(conn: &mut Conn, column: &str, id: Uuid) -> Result<Option<BadgeLoan>> {
    let sql = format!(
        "SELECT {LOAN_COLUMNS} FROM badge_loans l WHERE {column} = $1 AND l.ended_at IS NULL"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(loan_from_row).transpose()
}
