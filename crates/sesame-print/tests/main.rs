//! The integration tests of `sesame-print`, one test binary for all of them: each file
//! beside this one is a module. One binary links the dependencies once, where one
//! binary per file linked them once per file (several GB of test binaries in all).

mod support;

mod designs;
mod dispatch_list;
mod errors;
mod hostile_templates;
mod pdf_output;
mod streaming;
mod templates;
