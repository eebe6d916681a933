#!/usr/bin/env bash
# Runs every check and test of Sésame, installing what is missing first.
# This is the README's test command; .ci/run calls exactly this.
#
# Order: cheap static checks first (a formatting slip fails in seconds), then
# the UI, then one cargo build of everything, then all tests (Rust unit and
# integration tests against SQLite and a throwaway PostgreSQL, and the
# end-to-end tests driving the real window under Xvfb).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "Installing what is missing"
scripts/setup.sh --test

step "cargo fmt --check"
cargo fmt --all -- --check

step "UI: svelte-check, Vitest, production build"
npm --prefix ui run check
npm --prefix ui test
npm --prefix ui run build

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --features embed-ui --locked -- -D warnings

step "Test data (real photographs from PyPI scikit-image, not committed)"
if [[ -x scripts/fetch-test-photos.sh ]]; then scripts/fetch-test-photos.sh; fi

step "Throwaway PostgreSQL on loopback"
PG_STOP=""
if [[ -x scripts/pg-test-server.sh ]]; then
  eval "$(scripts/pg-test-server.sh start)"
  PG_STOP="scripts/pg-test-server.sh stop"
fi
trap '${PG_STOP:-true}' EXIT

step "cargo nextest (unit, store on SQLite and PostgreSQL, keyring, end-to-end)"
# with-keyring.sh runs the tests inside a private D-Bus session with an unlocked
# GNOME Keyring, so the encryption-key tests use a real Secret Service.
scripts/with-keyring.sh cargo nextest run --workspace --features embed-ui --locked --no-fail-fast
