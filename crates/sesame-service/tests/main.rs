//! The integration tests of `sesame-service`, one test binary for all of them: each file
//! beside this one is a module. One binary links the dependencies once, where one
//! binary per file linked them once per file (several GB of test binaries in all).

mod access_exports;
mod attacks;
mod badge_cards;
mod badge_designer;
mod badge_inactivity;
mod badge_oppositions_and_renewals;
mod badge_search;
mod badge_templates;
mod badge_zones;
mod data_keys;
mod database_settings;
mod day_passes;
mod directory;
mod dispatch_and_activation;
mod error_codes;
mod first_start;
mod holder_mail;
mod holder_rights;
mod housekeeping;
mod id_documents;
mod loan_cards;
mod operators;
mod path_confinement;
mod photo_bulk_import;
mod photo_renewals;
mod photo_station;
mod printing;
mod sign_in;
