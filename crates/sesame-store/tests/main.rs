//! The integration tests of `sesame-store`, one test binary for all of them: each file
//! beside this one is a module. One binary links the dependencies once, where one
//! binary per file linked them once per file (several GB of test binaries in all).

mod access_exports;
mod attachments;
mod audit;
mod badges;
mod csv_import;
mod day_passes;
mod expiry_rules;
mod hostile_csv;
mod lifecycle;
mod loans;
mod opening;
mod operators;
mod oppositions;
mod ops_layering;
mod outbox;
mod printing;
mod queue_search;
mod renewals;
mod requests;
mod retention;
mod templates;
mod test_binaries;
mod visits;
mod zones;
