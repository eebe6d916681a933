//! The directory link against a real slapd (sesame-test-support's `ldap_server`).

mod directory;
