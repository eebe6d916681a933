//! Runs `crates/sesamectl/src/photo.rs` on its own, so that the `sesamectl photo` module is
//! built and tried with this crate: `cargo run -p sesame-photo --example sesamectl_photo -- check FILE`.
#[path = "../../sesamectl/src/output.rs"]
mod output;
#[path = "../../sesamectl/src/photo.rs"]
mod photo;

use std::future::Future;
use std::process::ExitCode;
use std::task::{Context, Poll, Waker};

use clap::Parser;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    cmd: photo::PhotoCommand,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // photo::run never waits on I/O readiness, so one poll completes it.
    let mut future = std::pin::pin!(photo::run(cli.cmd));
    let result = match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(result) => result,
        Poll::Pending => unreachable!("photo::run does not suspend"),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            output::print_error(&error);
            ExitCode::from(2)
        }
    }
}
