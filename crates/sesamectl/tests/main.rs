//! The integration tests of `sesamectl`, one test binary for all of them: each file
//! beside this one is a module. One binary links the dependencies once, where one
//! binary per file linked them once per file (several GB of test binaries in all).

#[cfg(unix)]
mod access_control;
mod crash_safety;
mod data_protection;
mod database_logins;
mod directory;
mod exports;
mod housekeeping_and_follow_up;
mod keys_and_backups;
mod mail_outbox;
mod office;
mod queue_pages;
mod sign_in;
mod templates;
mod visits;
