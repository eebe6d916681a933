#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (GNOME Keyring) on a private
# D-Bus session bus, as the vault's keyring tests need:
#
#   scripts/with-keyring.sh cargo nextest run -p sesame-vault
#
# The keyring files live in a throwaway folder (never the user's own keyring), unlocked
# with the password "test", and are deleted when the command ends. The daemon and the
# bus end with the session. Needs the Debian packages dbus and gnome-keyring.
#
# gnome-keyring-daemon aborts now and then under a long test run (a GLib assertion,
# `trap int3` in the kernel log). So the daemon runs in the foreground under a loop
# that starts it again, unlocked, on the same files (the secrets written before the
# crash are on disk); and the private bus has no service files, so D-Bus can never
# start a default daemon instead (a locked keyring, or the user's own).
set -euo pipefail

die() { echo "with-keyring: $*" >&2; exit 1; }
[ "$#" -gt 0 ] || die "usage: scripts/with-keyring.sh COMMAND [ARGS...]"
command -v dbus-run-session >/dev/null || die "dbus-run-session not found (apt-get install dbus)"
command -v dbus-send >/dev/null || die "dbus-send not found (apt-get install dbus)"
command -v gnome-keyring-daemon >/dev/null || die "gnome-keyring-daemon not found (apt-get install gnome-keyring)"

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/sesame-keyring.XXXXXX")"
trap '[ -n "${WITH_KEYRING_KEEP:-}" ] || rm -rf "$keyring_home"' EXIT
mkdir -p "$keyring_home/data" "$keyring_home/run"
chmod 700 "$keyring_home/run"

# The session bus of dbus-run-session's default configuration, without its service
# directories: nothing is started on demand.
cat >"$keyring_home/bus.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="max_incoming_bytes">1000000000</limit>
  <limit name="max_incoming_unix_fds">250000000</limit>
  <limit name="max_outgoing_bytes">1000000000</limit>
  <limit name="max_outgoing_unix_fds">250000000</limit>
  <limit name="max_message_size">1000000000</limit>
  <limit name="service_start_timeout">120000</limit>
  <limit name="auth_timeout">240000</limit>
  <limit name="pending_fd_timeout">150000</limit>
  <limit name="max_completed_connections">100000</limit>
  <limit name="max_incomplete_connections">10000</limit>
  <limit name="max_connections_per_user">100000</limit>
  <limit name="max_names_per_connection">50000</limit>
  <limit name="max_match_rules_per_connection">50000</limit>
  <limit name="max_replies_per_connection">50000</limit>
</busconfig>
EOF

# The inner shell gets the folder and the command as positional parameters, so any
# argument (spaces, quotes, globs) reaches the command unchanged.
dbus-run-session --config-file="$keyring_home/bus.conf" -- bash -c '
    keyring_home="$1"; shift
    export XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run"

    # The keeper: starts the daemon again whenever it ends, until told to stop. Its
    # output goes to a log, not to the command'"'"'s output, which it would otherwise
    # hold open after the command ended.
    (
        while [ ! -e "$keyring_home/stop" ]; do
            code=0
            printf %s test | gnome-keyring-daemon --foreground --replace --unlock --components=secrets || code=$?
            [ -e "$keyring_home/stop" ] || echo "with-keyring: the daemon ended (status $code), starting it again" >&2
            sleep 0.2
        done
    ) >>"$keyring_home/daemon.log" 2>&1 </dev/null &
    keeper=$!

    stop_keeper() {
        touch "$keyring_home/stop"
        pkill -TERM -P "$keeper" 2>/dev/null || true
        wait "$keeper" 2>/dev/null || true
    }

    serving() {
        dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
            | grep -q "boolean true"
    }
    for _ in $(seq 100); do serving && break; sleep 0.1; done
    if ! serving; then
        stop_keeper
        echo "with-keyring: gnome-keyring-daemon did not start" >&2
        cat "$keyring_home/daemon.log" >&2
        exit 1
    fi

    status=0
    "$@" || status=$?
    stop_keeper
    if grep -q "starting it again" "$keyring_home/daemon.log"; then
        echo "with-keyring: gnome-keyring-daemon crashed during the run and was restarted:" >&2
        grep "starting it again" "$keyring_home/daemon.log" >&2
    fi
    exit "$status"
' with-keyring "$keyring_home" "$@"
