#!/usr/bin/env bash
# Installs what Sésame needs on Debian/Ubuntu, skipping what is already there.
#   scripts/setup.sh          build and run the app (WebKitGTK, npm packages)
#   scripts/setup.sh --test   also what the test suite needs (WebDriver, Xvfb,
#                             PostgreSQL, PDF tools, keyring, cargo tools)
# macOS and Windows: see README.md ("Other systems").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WANT_TEST=0
[[ "${1:-}" == "--test" ]] && WANT_TEST=1

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

BUILD_PACKAGES=(build-essential pkg-config file curl libwebkit2gtk-4.1-dev libssl-dev libdbus-1-dev libclang-dev libpcsclite-dev fonts-dejavu-core)
TEST_PACKAGES=(webkit2gtk-driver xvfb xauth dbus gnome-keyring postgresql poppler-utils qpdf zbar-tools zxing-cpp-tools unzip python3 python3-venv faketime openssl pcscd vsmartcard-vpcd slapd ldap-utils)

missing_packages() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      printf '%s ' "$pkg"
    fi
  done
}

install_apt() {
  local missing
  missing="$(missing_packages "$@")"
  [[ -z "$missing" ]] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "Missing system packages: $missing (install their equivalents; see README.md)" >&2
    exit 1
  fi
  local sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  say "apt-get install $missing"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

packages=("${BUILD_PACKAGES[@]}")
((WANT_TEST)) && packages+=("${TEST_PACKAGES[@]}")
install_apt "${packages[@]}"

command -v cargo >/dev/null || { echo "Rust is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20+ with npm is required" >&2; exit 1; }

# Install the UI's npm packages when the lock file changed since the last install.
# `npm install` rather than `npm ci`: the registry reachable here lacks the
# macOS/Windows builds of @tauri-apps/cli, so the lock file cannot list them and
# `npm ci` refuses it as out of sync; `npm install` follows the lock file for
# everything it lists.
stamp="$ROOT/ui/node_modules/.sesame-lock-stamp"
if [[ ! -f "$stamp" ]] || ! cmp -s "$ROOT/ui/package-lock.json" "$stamp"; then
  say "npm install (ui/, from package-lock.json)"
  npm --prefix "$ROOT/ui" install --no-audit --no-fund --loglevel=error
  cp "$ROOT/ui/package-lock.json" "$stamp"
fi

if ((WANT_TEST)); then
  if ! command -v cargo-nextest >/dev/null; then
    say "cargo install cargo-nextest"
    cargo install cargo-nextest --locked
  fi
  if ! command -v tauri-driver >/dev/null; then
    say "cargo install tauri-driver"
    cargo install tauri-driver --version 2.1.0 --locked
  fi
fi
say "ready"
