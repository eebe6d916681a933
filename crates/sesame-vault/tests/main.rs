//! The integration tests of `sesame-vault`, one test binary for all of them: each file
//! beside this one is a module. One binary links the dependencies once, where one
//! binary per file linked them once per file (several GB of test binaries in all).

mod common;

mod backup;
mod bound_attachments;
mod encrypted_store;
mod keyring;
mod postgres;
