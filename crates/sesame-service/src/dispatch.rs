//! Dispatch and activation: printed badges leave the office by internal mail or are
//! handed over (with a dispatch list to print), and holders activate them.

use serde::{Deserialize, Serialize};
use sesame_core::{BadgeAction, BadgeStatus, DispatchMethod, ErrorCode};
use sesame_print::{render_dispatch_list, DispatchList, DispatchListRow, Locale};
use sesame_store::{BadgeBatchOutcome, BadgeQuery, BadgeSkip, DispatchSkip, DispatchedBadge};
use ts_rs::TS;
use uuid::Uuid;

use crate::output_folder::{Destination, NewFile};
use crate::{Desk, ExportedFile, RequestId, ServiceError};

/// Printed badges to send, and how.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DispatchInput {
    pub request_ids: Vec<RequestId>,
    pub method: DispatchMethod,
    /// Language of the dispatch list.
    pub locale: Locale,
}

/// What a dispatch did: the badges marked dispatched, those left alone with why, and
/// the dispatch list written to the print folder.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DispatchRun {
    /// The run's reference, on the list and in each audit entry.
    pub batch: Uuid,
    pub method: DispatchMethod,
    pub dispatched: Vec<DispatchedBadge>,
    pub skipped: Vec<DispatchSkip>,
    pub list: ExportedFile,
}

/// "DUPONT Zoé": the family name as the mail room sorts it.
fn holder_label(badge: &DispatchedBadge) -> String {
    format!(
        "{} {}",
        badge.family_name.trim().to_uppercase(),
        badge.given_names.trim()
    )
}

fn unit_label(badge: &DispatchedBadge) -> String {
    match (badge.unit.as_deref(), badge.organisation.as_deref()) {
        (Some(unit), _) if !unit.trim().is_empty() => unit.trim().to_owned(),
        (_, Some(organisation)) => organisation.trim().to_owned(),
        _ => String::new(),
    }
}

fn list_stem(method: DispatchMethod) -> &'static str {
    match method {
        DispatchMethod::InternalMail => "bordereau-envoi",
        DispatchMethod::HandedOver => "bordereau-remise",
    }
}

/// Marks printed badges dispatched and writes their dispatch list (A4 PDF) to the print
/// folder. The requests change only if the list was written; requests that are not
/// printed, or whose badge no longer works, are reported in `skipped`.
pub async fn dispatch_badges(
    desk: &Desk,
    input: DispatchInput,
) -> Result<DispatchRun, ServiceError> {
    let ids: Vec<Uuid> = input.request_ids.iter().map(|id| id.0).collect();
    if ids.is_empty() {
        return Err(ServiceError::NoBadgeSelected);
    }
    let mut file = NewFile::create(
        desk,
        &Destination::OutputFolder,
        list_stem(input.method),
        "pdf",
    )
    .map_err(|error| match error {
        ServiceError::ExportWrite { path, source } => ServiceError::ListUnwritable { path, source },
        other => other,
    })?;
    let today = desk.clock.today();
    let operator = desk.actor()?;
    let outcome = desk
        .store
        .dispatch_batch(&ids, input.method, &desk.actor()?, |batch, badges| {
            let list = DispatchList {
                reference: batch.to_string(),
                method: input.method,
                date: today,
                operator,
                rows: badges
                    .iter()
                    .map(|b| DispatchListRow {
                        holder: holder_label(b),
                        unit: unit_label(b),
                        badge_number: b.badge_number.clone(),
                    })
                    .collect(),
            };
            let pdf = render_dispatch_list(&list, input.locale)?;
            file.write_synced(&pdf)
                .map_err(|source| ServiceError::ListUnwritable {
                    path: file.target().display().to_string(),
                    source,
                })?;
            Ok::<_, ServiceError>(pdf.len() as u64)
        })
        .await?;
    let Some(bytes) = outcome.rendered else {
        return Err(ServiceError::NothingToDispatch {
            reasons: crate::error::left_out(
                outcome
                    .skipped
                    .iter()
                    .map(|s| (s.request_id.to_string(), &s.reason, s.detail.as_deref())),
            ),
        });
    };
    let target = file.persist().map_err(|e| ServiceError::ListNotMoved {
        path: e.target,
        temp: e.temp,
        source: e.source,
    })?;
    // Each holder hears that the badge is on its way (or was handed over).
    crate::mail::notify_each(
        desk,
        outcome.dispatched.iter().map(|b| b.request_id),
        sesame_mail::MailTemplate::BadgeDispatched,
    )
    .await;
    Ok(DispatchRun {
        batch: outcome.batch,
        method: outcome.method,
        dispatched: outcome.dispatched,
        skipped: outcome.skipped,
        list: ExportedFile {
            path: target.display().to_string(),
            bytes,
        },
    })
}

/// Records that holders activated their badges, by badge number (as the holder or the
/// access-control system reports them). Each badge is activated on its own, audited;
/// those that cannot be (unknown, already active, opposed…) are reported.
pub async fn record_activations(
    desk: &Desk,
    badge_numbers: Vec<String>,
) -> Result<BadgeBatchOutcome, ServiceError> {
    let numbers: Vec<String> = badge_numbers
        .iter()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    if numbers.is_empty() {
        return Err(ServiceError::NoBadgeSelected);
    }
    let mut outcome = BadgeBatchOutcome::default();
    for number in numbers {
        let skip = |badge_id: Uuid, code: &str, message: String| BadgeSkip {
            badge_id,
            badge_number: Some(number.clone()),
            code: code.to_owned(),
            message,
        };
        let badge = match desk.store.find_badge(&number).await {
            Ok(badge) => badge,
            Err(e) => {
                outcome
                    .skipped
                    .push(skip(Uuid::nil(), e.code(), e.to_string()));
                continue;
            }
        };
        if badge.status == BadgeStatus::Active {
            let e = sesame_core::DomainError::IllegalBadgeTransition {
                status: badge.status.as_str().to_owned(),
                action: "activate".to_owned(),
            };
            outcome
                .skipped
                .push(skip(badge.id, e.code(), e.to_string()));
            continue;
        }
        match desk
            .store
            .badge_transition(
                badge.id,
                badge.version,
                BadgeAction::Activate,
                &desk.actor()?,
                None,
            )
            .await
        {
            Ok(activated) => {
                let rows = desk
                    .store
                    .list_badges(&BadgeQuery {
                        holder_id: Some(activated.holder_id),
                        ..BadgeQuery::default()
                    })
                    .await?;
                if let Some(row) = rows.into_iter().find(|r| r.badge.id == activated.id) {
                    outcome.changed.push(row);
                }
            }
            Err(e) => outcome
                .skipped
                .push(skip(badge.id, e.code(), e.to_string())),
        }
    }
    Ok(outcome)
}
