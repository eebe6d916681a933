//! Who runs the command: every subcommand that reads or writes the queue signs in
//! first, as the app's window does, with the operator's name (`--operator`, else
//! the OS account) and PIN. PINs are never taken as arguments (they would stay in
//! the shell history): they are asked on the terminal, or read one per line from
//! standard input with `--pin-stdin` (the sign-in PIN first, then any PIN the
//! command asks for). The unattended housekeeping run signs in with the token a
//! supervisor set up (`operator housekeeping-token`), read from a file.

use std::io::BufRead;
use std::path::Path;

use anyhow::Context;
use sesame_service::{Desk, SignInInput};

use crate::output::coded;

/// Asks for PINs on the terminal, or reads them one per line from stdin.
pub struct PinReader {
    lines: Option<std::io::Lines<std::io::StdinLock<'static>>>,
}

impl PinReader {
    pub fn new(from_stdin: bool) -> PinReader {
        PinReader {
            lines: from_stdin.then(|| std::io::stdin().lock().lines()),
        }
    }

    pub fn read(&mut self, prompt: &str) -> anyhow::Result<String> {
        if let Some(lines) = self.lines.as_mut() {
            let line = lines
                .next()
                .context("standard input ended before the PIN")?
                .context("cannot read the PIN from standard input")?;
            return Ok(line.trim().to_owned());
        }
        rpassword::prompt_password(prompt)
            .context("no terminal to ask the PIN on; use --pin-stdin")
            .map(|pin| pin.trim().to_owned())
    }

    /// A new PIN: asked twice on a terminal, read once from stdin.
    pub fn read_new(&mut self, prompt: &str) -> anyhow::Result<String> {
        let pin = self.read(prompt)?;
        if self.lines.is_none() && self.read("the same PIN again: ")? != pin {
            anyhow::bail!("the two PINs differ; nothing was changed");
        }
        Ok(pin)
    }
}

/// Signs `name` (or the OS account) in with the PIN the reader gives.
pub async fn sign_in(
    desk: &Desk,
    name: Option<String>,
    pins: &mut PinReader,
) -> anyhow::Result<()> {
    let state = sesame_service::sign_in_state(desk).await.map_err(coded)?;
    if state.setup_needed {
        anyhow::bail!(
            "no supervisor can sign in to this queue yet: run `sesamectl operator setup` first"
        );
    }
    let name = name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(state.suggested_operator);
    if name.trim().is_empty() {
        anyhow::bail!("who is signing in? give --operator NAME");
    }
    let pin = pins.read(&format!("PIN for {name}: "))?;
    sesame_service::sign_in(desk, SignInInput { name, pin })
        .await
        .map_err(coded)?;
    Ok(())
}

/// Signs the housekeeping account in with the token in `token_file`.
pub async fn sign_in_housekeeping(desk: &Desk, token_file: &Path) -> anyhow::Result<()> {
    let token = std::fs::read_to_string(token_file).with_context(|| {
        format!(
            "cannot read the housekeeping token {} (a supervisor writes it with `sesamectl operator housekeeping-token`)",
            token_file.display()
        )
    })?;
    sesame_service::sign_in_housekeeping(desk, &token)
        .await
        .map_err(coded)?;
    Ok(())
}
