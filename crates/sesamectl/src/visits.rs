//! `sesamectl visit`: the reception's side of day passes, as Badges › Day passes does
//! it: the day's visitors and where each is, arrival (the host e-mailed) and
//! departure, and the refused visitors' list intake checks.

use std::process::ExitCode;

use chrono::NaiveDate;
use sesame_service::{
    add_refused_visitor, check_in_visitor, check_out_visitor, refused_visitors,
    remove_refused_visitor, visitors_of_day, CheckInInput, CheckOutInput, Desk, NewRefusedVisitor,
    VisitorsDayInput,
};

use crate::output::{coded, print_json};

#[derive(Debug, clap::Subcommand)]
pub enum VisitCommand {
    /// The visitors expected on a day (default: today), with their host and whether
    /// they came and left.
    List {
        #[arg(long)]
        day: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Records the arrival of the visitor of day pass REQUEST_ID and e-mails their host.
    In { request_id: String },
    /// Records the departure of the visitor of day pass REQUEST_ID.
    Out {
        request_id: String,
        /// The badge was not given back.
        #[arg(long)]
        badge_not_returned: bool,
    },
    /// The refused visitors' list.
    Refused {
        #[arg(long)]
        json: bool,
    },
    /// Adds a person to the refused visitors' list (a supervisor's action).
    Refuse {
        #[arg(long)]
        family_name: String,
        #[arg(long, default_value = "")]
        given_names: String,
        #[arg(long)]
        organisation: Option<String>,
        #[arg(long)]
        reason: String,
    },
    /// Takes the entry ID off the refused visitors' list (a supervisor's action).
    Unrefuse { id: String },
}

pub async fn run(desk: &Desk, cmd: VisitCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        VisitCommand::List { day, json } => {
            let visitors = visitors_of_day(desk, VisitorsDayInput { day })
                .await
                .map_err(coded)?;
            if json {
                print_json(&visitors)?;
            }
            for v in visitors.iter().filter(|_| !json) {
                let host = v.host.as_ref().map_or("-", |h| h.name.as_str());
                let state = match &v.visit {
                    None => "expected".to_owned(),
                    Some(visit) => match (visit.checked_out_at, visit.badge_returned) {
                        (None, _) => format!("in since {}", visit.checked_in_at.format("%H:%M")),
                        (Some(_), _) if visit.automatic_checkout => {
                            "closed by housekeeping (badge not seen back)".to_owned()
                        }
                        (Some(at), Some(true)) => {
                            format!("left at {} (badge back)", at.format("%H:%M"))
                        }
                        (Some(at), _) => format!("left at {} (badge not back)", at.format("%H:%M")),
                    },
                };
                println!(
                    "{}\t{} {}\thost: {host}\t{state}",
                    v.request_id, v.given_names, v.family_name
                );
            }
        }
        VisitCommand::In { request_id } => {
            let request_id = request_id.parse().map_err(coded)?;
            let done = check_in_visitor(
                desk,
                CheckInInput {
                    request_id,
                    day: None,
                },
            )
            .await
            .map_err(coded)?;
            println!(
                "arrived on {}{}",
                done.visit.day,
                if done.host_told {
                    "; host told by e-mail"
                } else {
                    ""
                }
            );
        }
        VisitCommand::Out {
            request_id,
            badge_not_returned,
        } => {
            let request_id = request_id.parse().map_err(coded)?;
            let visit = check_out_visitor(
                desk,
                CheckOutInput {
                    request_id,
                    day: None,
                    badge_returned: !badge_not_returned,
                },
            )
            .await
            .map_err(coded)?;
            println!(
                "left on {}; badge {}",
                visit.day,
                if visit.badge_returned == Some(true) {
                    "back"
                } else {
                    "not back"
                }
            );
        }
        VisitCommand::Refused { json } => {
            let list = refused_visitors(desk).await.map_err(coded)?;
            if json {
                print_json(&list)?;
            }
            for r in list.iter().filter(|_| !json) {
                println!(
                    "{}\t{} {}\t{}",
                    r.id, r.given_names, r.family_name, r.reason
                );
            }
        }
        VisitCommand::Refuse {
            family_name,
            given_names,
            organisation,
            reason,
        } => {
            let entry = add_refused_visitor(
                desk,
                NewRefusedVisitor {
                    family_name,
                    given_names,
                    organisation,
                    reason,
                },
            )
            .await
            .map_err(coded)?;
            println!(
                "refused: {} {} ({})",
                entry.given_names, entry.family_name, entry.id
            );
        }
        VisitCommand::Unrefuse { id } => {
            let id = id.parse().map_err(coded)?;
            remove_refused_visitor(desk, id).await.map_err(coded)?;
            println!("taken off the refused visitors' list");
        }
    }
    Ok(ExitCode::SUCCESS)
}
