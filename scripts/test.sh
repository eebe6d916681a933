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
scripts/fetch-test-photos.sh

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
