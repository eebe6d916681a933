//! Attacks on the desk, one module per hole closed: each test plays the attack and
//! shows it fails.

mod outbox_lease;
mod output_retention;
mod text_injection;
