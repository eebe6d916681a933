#!/usr/bin/env bash
# Installs what is missing, builds and opens Sésame on its embedded default:
# a SQLite database in the OS data directory, created and migrated on first start.
# Set SESAME_DATABASE_URL=postgres://… to share one queue between desks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
# `tauri dev` starts Vite (ui/) and the Rust app, rebuilding on change.
exec npm --prefix ui exec -- tauri dev "$@"
