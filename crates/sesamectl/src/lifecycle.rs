//! `sesamectl zones|oppose|lift-opposition|confirm-carried-over|visitors|renew|extend`:
//! zones and their approvers, loss and theft, day-pass visitors, renewals and extensions.
//! Badges are named by their number.
//!
//! Exit status: 0 done; 2 error (nothing done, `error[code]: message` on stderr).

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use sesame_core::{ReplacementCause, ZoneDetails, ZoneKind, ZoneVerdict};
use sesame_service::{
    ConfirmCarriedOverInput, DeclareOppositionInput, Desk, Destination, ExtendBadgeInput,
    LiftOppositionInput, RenewBadgeInput, RequestId, SaveZoneInput, VisitorsDayInput,
    ZoneDecisionInput, ZoneRightsExportInput, ZoneRightsFormat,
};

use crate::output::{coded, print_json};

#[derive(Debug, clap::Subcommand)]
pub enum LifecycleCommand {
    /// Secured zones: list, create or change, approvers' decisions, rights export.
    Zones {
        #[command(subcommand)]
        cmd: ZonesCommand,
    },
    /// Declares a badge lost, stolen or damaged: it is blocked at once and a replacement
    /// request (new number at print, same zones and services) is opened.
    Oppose {
        /// The badge number.
        badge: String,
        #[arg(long, value_enum)]
        cause: CauseArg,
        /// When it happened (YYYY-MM-DD); default today.
        #[arg(long)]
        on: Option<NaiveDate>,
        /// What happened, in a few words (kept in the audit log).
        #[arg(long)]
        circumstances: String,
        /// Hands out a temporary badge (if the holder's category offers one).
        #[arg(long)]
        temporary: bool,
        #[arg(long)]
        json: bool,
    },
    /// The opposed badge was found: it works again and its unprinted replacement is
    /// cancelled. Supervisor only.
    LiftOpposition {
        badge: String,
        #[arg(long)]
        reason: String,
    },
    /// Confirms the zones and services a replacement request keeps from the old badge
    /// (needed before its approval). Without --zone/--service, keeps them all.
    ConfirmCarriedOver {
        request_id: String,
        #[arg(long = "zone")]
        zones: Vec<String>,
        #[arg(long = "service")]
        services: Vec<String>,
        /// Keeps only the zones and services named (possibly none).
        #[arg(long)]
        only: bool,
    },
    /// Lists the visitors expected on a day (day passes covering it).
    Visitors {
        /// The day (YYYY-MM-DD); default today.
        #[arg(long)]
        day: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Opens a renewal for a badge's holder, reusing their photo when recent enough.
    Renew {
        badge: String,
        /// Last valid day wished (bounded by the rules).
        #[arg(long)]
        until: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Extends a badge when the mission end moved (never beyond it nor the category maximum).
    Extend {
        badge: String,
        /// The holder's new mission end.
        #[arg(long)]
        mission_end: Option<NaiveDate>,
        /// The new last valid day; default as far as allowed.
        #[arg(long)]
        until: Option<NaiveDate>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum ZonesCommand {
    /// Lists the zones and their approvers.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Creates a zone, or changes it when it exists (supervisor only).
    Save {
        key: String,
        #[arg(long)]
        label_fr: String,
        #[arg(long)]
        label_en: String,
        #[arg(long, value_enum)]
        kind: KindArg,
        #[arg(long)]
        approver_name: String,
        #[arg(long)]
        approver_email: String,
        /// Closes the zone to new access requests.
        #[arg(long)]
        closed: bool,
    },
    /// Records a zone approver's answer on a zone-access request.
    Decide {
        request_id: String,
        zone: String,
        #[arg(long, value_enum)]
        verdict: VerdictArg,
        /// Required for a refusal.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Writes the badge ↔ zone rights for the access-control system (active badges
    /// granted, opposed and suspended ones blocked).
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// Writes the export to this file instead of the output folder.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CauseArg {
    Lost,
    Stolen,
    Damaged,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    Building,
    CarPark,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum VerdictArg {
    Approved,
    Refused,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
}

async fn badge_by_number(desk: &Desk, number: &str) -> anyhow::Result<sesame_core::Badge> {
    sesame_service::badge_by_number(desk, number.to_owned())
        .await
        .map_err(coded)
}

fn parse_request_id(text: &str) -> anyhow::Result<RequestId> {
    text.parse().map_err(coded)
}

pub async fn run(desk: &Desk, cmd: LifecycleCommand) -> anyhow::Result<ExitCode> {
    let today = desk.clock().today();
    match cmd {
        LifecycleCommand::Zones { cmd } => run_zones(desk, cmd).await?,
        LifecycleCommand::Oppose {
            badge,
            cause,
            on,
            circumstances,
            temporary,
            json,
        } => {
            let badge = badge_by_number(desk, &badge).await?;
            let outcome = sesame_service::declare_opposition(
                desk,
                DeclareOppositionInput {
                    badge_id: badge.id.into(),
                    expected_version: badge.version,
                    cause: match cause {
                        CauseArg::Lost => ReplacementCause::Lost,
                        CauseArg::Stolen => ReplacementCause::Stolen,
                        CauseArg::Damaged => ReplacementCause::Damaged,
                    },
                    occurred_on: on.unwrap_or(today),
                    circumstances,
                    temporary_badge: temporary,
                },
            )
            .await
            .map_err(coded)?;
            if json {
                print_json(&outcome)?;
            } else {
                println!("badge {} opposed", outcome.badge.number);
                println!("replacement request {}", outcome.replacement.request.id);
                if let Some(temporary) = &outcome.temporary_badge {
                    println!(
                        "temporary badge {} valid until {}",
                        temporary.number, temporary.valid_until
                    );
                }
            }
        }
        LifecycleCommand::LiftOpposition { badge, reason } => {
            let badge = badge_by_number(desk, &badge).await?;
            let badge = sesame_service::lift_opposition(
                desk,
                LiftOppositionInput {
                    badge_id: badge.id.into(),
                    expected_version: badge.version,
                    reason,
                },
            )
            .await
            .map_err(coded)?;
            println!("badge {} is {}", badge.number, badge.status.as_str());
        }
        LifecycleCommand::ConfirmCarriedOver {
            request_id,
            zones,
            services,
            only,
        } => {
            let request_id = parse_request_id(&request_id)?;
            let carried = sesame_service::carried_over(desk, request_id)
                .await
                .map_err(coded)?;
            let (zones, services) = if only || !zones.is_empty() || !services.is_empty() {
                (zones, services)
            } else {
                (carried.old_zones.clone(), carried.old_services.clone())
            };
            let version = sesame_service::get_request(desk, request_id)
                .await
                .map_err(coded)?
                .request
                .version;
            let detail = sesame_service::confirm_carried_over(
                desk,
                ConfirmCarriedOverInput {
                    request_id,
                    expected_version: version,
                    zones,
                    services,
                },
            )
            .await
            .map_err(coded)?;
            println!(
                "confirmed from badge {}: zones [{}], services [{}]",
                carried.previous_badge_number,
                detail.request.details.zones.join(", "),
                detail.request.details.services.join(", ")
            );
        }
        LifecycleCommand::Visitors { day, json } => {
            let visitors = sesame_service::visitors_of_day(desk, VisitorsDayInput { day })
                .await
                .map_err(coded)?;
            if json {
                print_json(&visitors)?;
            } else {
                for v in &visitors {
                    println!(
                        "{} {}\t{}\t{}..{}\t{}\t{}",
                        v.family_name,
                        v.given_names,
                        v.organisation.as_deref().unwrap_or(""),
                        v.first_day,
                        v.last_day,
                        v.status.as_str(),
                        v.badge_number.as_deref().unwrap_or("-")
                    );
                }
                eprintln!("{} visitor(s) on {}", visitors.len(), day.unwrap_or(today));
            }
        }
        LifecycleCommand::Renew { badge, until, json } => {
            let badge = badge_by_number(desk, &badge).await?;
            let outcome = sesame_service::renew_badge(
                desk,
                RenewBadgeInput {
                    badge_id: badge.id.into(),
                    wanted_until: until,
                    notes: None,
                },
            )
            .await
            .map_err(coded)?;
            if json {
                print_json(&outcome)?;
            } else {
                println!("renewal request {}", outcome.request.request.id);
                println!(
                    "{}",
                    if outcome.photo_reused {
                        "photo reused"
                    } else {
                        "a new photo is needed"
                    }
                );
            }
        }
        LifecycleCommand::Extend {
            badge,
            mission_end,
            until,
        } => {
            let badge = badge_by_number(desk, &badge).await?;
            let badge = sesame_service::extend_badge(
                desk,
                ExtendBadgeInput {
                    badge_id: badge.id.into(),
                    expected_version: badge.version,
                    mission_end,
                    valid_until: until,
                },
            )
            .await
            .map_err(coded)?;
            println!("badge {} valid until {}", badge.number, badge.valid_until);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_zones(desk: &Desk, cmd: ZonesCommand) -> anyhow::Result<()> {
    match cmd {
        ZonesCommand::List { json } => {
            let zones = sesame_service::list_zones(desk).await.map_err(coded)?;
            if json {
                print_json(&zones)?;
            } else {
                for z in &zones {
                    println!(
                        "{}\t{}\t{}\t{} <{}>{}",
                        z.details.key,
                        z.details.kind.as_str(),
                        z.details.label_fr,
                        z.details.approver_name,
                        z.details.approver_email,
                        if z.details.active { "" } else { "\tclosed" }
                    );
                }
            }
        }
        ZonesCommand::Save {
            key,
            label_fr,
            label_en,
            kind,
            approver_name,
            approver_email,
            closed,
        } => {
            let existing = sesame_service::list_zones(desk)
                .await
                .map_err(coded)?
                .into_iter()
                .find(|z| z.details.key == key.trim());
            let zone = sesame_service::save_zone(
                desk,
                SaveZoneInput {
                    zone: ZoneDetails {
                        key,
                        label_fr,
                        label_en,
                        kind: match kind {
                            KindArg::Building => ZoneKind::Building,
                            KindArg::CarPark => ZoneKind::CarPark,
                        },
                        approver_name,
                        approver_email,
                        active: !closed,
                    },
                    expected_version: existing.map(|z| z.version),
                },
            )
            .await
            .map_err(coded)?;
            println!("zone {} saved (version {})", zone.details.key, zone.version);
        }
        ZonesCommand::Decide {
            request_id,
            zone,
            verdict,
            reason,
        } => {
            let approvals = sesame_service::record_zone_decision(
                desk,
                ZoneDecisionInput {
                    request_id: parse_request_id(&request_id)?,
                    zone,
                    verdict: match verdict {
                        VerdictArg::Approved => ZoneVerdict::Approved,
                        VerdictArg::Refused => ZoneVerdict::Refused,
                    },
                    reason,
                },
            )
            .await
            .map_err(coded)?;
            if approvals.pending.is_empty() {
                println!("every approver has answered");
            } else {
                println!("still awaiting: {}", approvals.pending.join(", "));
            }
        }
        ZonesCommand::Export { format, out } => {
            let file = sesame_service::export_zone_rights(
                desk,
                ZoneRightsExportInput {
                    format: match format {
                        FormatArg::Csv => ZoneRightsFormat::Csv,
                        FormatArg::Json => ZoneRightsFormat::Json,
                    },
                    destination: out.map_or(Destination::OutputFolder, Destination::Path),
                },
            )
            .await
            .map_err(coded)?;
            println!("{}", file.path);
        }
    }
    Ok(())
}
