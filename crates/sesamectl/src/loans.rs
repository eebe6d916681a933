//! `sesamectl loan`: loan cards, as Badges › Loan cards does it: lend one in place
//! of a forgotten badge, take it back, list those out.

use std::process::ExitCode;

use sesame_service::{
    badge_by_number, lend_card, open_loans, return_loan_card, Desk, LendCardInput, LoanCardInput,
};

use crate::output::{coded, print_json};

#[derive(Debug, clap::Subcommand)]
pub enum LoanCommand {
    /// Lends a card in place of the active badge NUMBER (suspended until the loan ends).
    Lend {
        number: String,
        /// How many days, today included (1 to the category's temporary badge days).
        #[arg(long, default_value_t = 1)]
        days: u32,
        /// Why (forgotten, left at home…).
        #[arg(long)]
        reason: String,
        /// The loan card's UID in hexadecimal.
        #[arg(long, conflicts_with = "read")]
        uid: Option<String>,
        /// Reads the loan card's UID on the desk's reader.
        #[arg(long)]
        read: bool,
        #[arg(long, requires = "read")]
        reader: Option<String>,
    },
    /// The loan card NUMBER came back: returned, the original resumed.
    Return { number: String },
    /// The loans out now, the soonest due first.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(desk: &Desk, cmd: LoanCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        LoanCommand::Lend {
            number,
            days,
            reason,
            uid,
            read,
            reader,
        } => {
            let badge = badge_by_number(desk, number).await.map_err(coded)?;
            let input = LendCardInput {
                badge_id: badge.id.into(),
                expected_version: badge.version,
                days,
                reason,
                typed_uid: uid,
                read_card: read,
                reader,
            };
            let loan = lend_card(desk, input).await.map_err(coded)?;
            let card = loan
                .loan_badge
                .card_serial
                .as_deref()
                .map(|c| format!(", card {c}"))
                .unwrap_or_default();
            println!(
                "loan card {} until {}{card}; badge {} suspended meanwhile",
                loan.loan_badge.number, loan.loan.due_on, loan.original.number
            );
        }
        LoanCommand::Return { number } => {
            let badge = badge_by_number(desk, number).await.map_err(coded)?;
            let loan = return_loan_card(
                desk,
                LoanCardInput {
                    loan_badge_id: badge.id.into(),
                },
            )
            .await
            .map_err(coded)?;
            println!(
                "loan card {} returned; badge {} is {}",
                loan.loan_badge.number,
                loan.original.number,
                loan.original.status.as_str()
            );
        }
        LoanCommand::List { json } => {
            let loans = open_loans(desk).await.map_err(coded)?;
            if json {
                print_json(&loans)?;
            } else {
                for l in &loans {
                    println!(
                        "{}  until {}  {} {}  for badge {}  ({})",
                        l.loan_badge.number,
                        l.loan.due_on,
                        l.given_names,
                        l.family_name,
                        l.original.number,
                        l.loan.reason
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
