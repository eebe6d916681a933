//! `sesamectl card`: the physical card, as the badge panel does it: the readers
//! connected, the card on the reader bound to a badge (or a UID typed), taken off
//! again, and "whose card is this?".

use std::process::ExitCode;

use sesame_service::{
    badge_by_number, bind_card, card_readers, identify_card, unbind_card, BindCardInput,
    CardReading, Desk, UnbindCardInput,
};

use crate::output::{coded, print_json};

#[derive(Debug, clap::Subcommand)]
pub enum CardCommand {
    /// The contactless readers connected, and whether a card lies on each.
    Readers {
        #[arg(long)]
        json: bool,
    },
    /// Binds a card to the badge NUMBER: the one laid on the reader (waiting up to
    /// 15 s), or the UID given.
    Bind {
        number: String,
        /// The card's UID in hexadecimal (e.g. 04:A2:24:B2:C3:5E:80) instead of reading it.
        #[arg(long)]
        uid: Option<String>,
        /// The reader to read on, as `card readers` names it (needed when several hold a card).
        #[arg(long)]
        reader: Option<String>,
    },
    /// Takes the card off the badge NUMBER.
    Unbind { number: String },
    /// Reads the card on the reader and names the badge it is bound to.
    Identify {
        #[arg(long)]
        reader: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(desk: &Desk, cmd: CardCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CardCommand::Readers { json } => {
            let readers = card_readers(desk).await.map_err(coded)?;
            if json {
                print_json(&readers)?;
            }
            for reader in readers.iter().filter(|_| !json) {
                let card = if reader.card_present {
                    "card present"
                } else {
                    "no card"
                };
                println!("{}\t{card}", reader.name);
            }
        }
        CardCommand::Bind {
            number,
            uid,
            reader,
        } => {
            let badge = badge_by_number(desk, number).await.map_err(coded)?;
            let input = BindCardInput {
                badge_id: badge.id.into(),
                expected_version: badge.version,
                typed_uid: uid,
                reader,
            };
            let bound = bind_card(desk, input).await.map_err(coded)?;
            let from = bound
                .reader
                .map(|r| format!(" (read on {r})"))
                .unwrap_or_default();
            println!(
                "card {} bound to badge {}{from}",
                bound.uid, bound.badge.number
            );
        }
        CardCommand::Unbind { number } => {
            let badge = badge_by_number(desk, number).await.map_err(coded)?;
            let input = UnbindCardInput {
                badge_id: badge.id.into(),
                expected_version: badge.version,
            };
            let badge = unbind_card(desk, input).await.map_err(coded)?;
            println!("badge {} has no card now", badge.number);
        }
        CardCommand::Identify { reader, json } => {
            let found = identify_card(desk, CardReading { reader })
                .await
                .map_err(coded)?;
            if json {
                print_json(&found)?;
            } else {
                match &found.badge {
                    Some(row) => println!(
                        "card {}: badge {} ({}) of {} {}",
                        found.uid,
                        row.badge.number,
                        row.badge.status.as_str(),
                        row.given_names,
                        row.family_name
                    ),
                    None => println!("card {}: bound to no badge", found.uid),
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
