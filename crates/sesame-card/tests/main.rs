//! The card crate's integration tests: one binary (see ARCHITECTURE.md).

mod virtual_reader;
