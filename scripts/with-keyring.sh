#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (GNOME Keyring) on a private
# D-Bus session bus, as the vault's keyring tests need:
#
#   scripts/with-keyring.sh cargo nextest run -p sesame-vault
#
# The keyring files live in a throwaway folder (never the user's own keyring), unlocked
# with the password "test", and are deleted when the command ends. The daemon and the
# bus end with the session. Needs the Debian packages dbus and gnome-keyring.
set -euo pipefail

die() { echo "with-keyring: $*" >&2; exit 1; }
[ "$#" -gt 0 ] || die "usage: scripts/with-keyring.sh COMMAND [ARGS...]"
command -v dbus-run-session >/dev/null || die "dbus-run-session not found (apt-get install dbus)"
command -v gnome-keyring-daemon >/dev/null || die "gnome-keyring-daemon not found (apt-get install gnome-keyring)"

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/sesame-keyring.XXXXXX")"
trap 'rm -rf "$keyring_home"' EXIT

# The inner shell gets the folder and the command as positional parameters, so any
# argument (spaces, quotes, globs) reaches the command unchanged.
dbus-run-session -- sh -c '
    keyring_home="$1"; shift
    mkdir -p "$keyring_home/data" "$keyring_home/run"
    chmod 700 "$keyring_home/run"
    printf %s test | XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run" \
        gnome-keyring-daemon --unlock --components=secrets >/dev/null \
        || { echo "with-keyring: gnome-keyring-daemon did not start" >&2; exit 1; }
    exec "$@"
' with-keyring "$keyring_home" "$@"
