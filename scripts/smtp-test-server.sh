#!/usr/bin/env bash
# A real SMTP server on loopback for the e-mail tests (aiosmtpd from PyPI, in a venv
# under .cache/smtp-venv, created once).
#
#   scripts/smtp-test-server.sh install
#       Creates the venv and installs aiosmtpd if needed (idempotent); prints the venv's python.
#   scripts/smtp-test-server.sh run --port PORT --maildir DIR [--user NAME --password PASS]
#       Serves SMTP on 127.0.0.1:PORT until killed. Each message accepted is written to
#       DIR as <n>.json: the envelope ("mail_from", "rcpt_tos", "login"), the headers and
#       body decoded as a mail program shows them ("from", "to", "subject", "body"…) and
#       the message as sent ("raw"), written whole (temporary name, then rename) so a reader never sees half a file.
#       Recipients whose local part starts with "reject" are refused for good (550),
#       "later" ones temporarily (451), so the tests can check both kinds of failure.
#       With --user/--password, AUTH PLAIN/LOGIN is required (plain connection allowed:
#       it is loopback only).
#
# The Rust tests (crates/sesame-mail/tests) call `install` then `run` themselves.
set -euo pipefail

AIOSMTPD_VERSION="1.4.6"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.cache/smtp-venv"
STAMP="$VENV/.aiosmtpd-$AIOSMTPD_VERSION"

die() { echo "smtp-test-server: $*" >&2; exit 1; }

install() {
  if [[ -f "$STAMP" && -x "$VENV/bin/python" ]]; then
    return 0
  fi
  command -v python3 >/dev/null || die "python3 not found (apt-get install python3 python3-venv)"
  mkdir -p "$ROOT/.cache"
  # Several test processes may install at once: one does it, the others wait.
  exec 9>"$ROOT/.cache/smtp-venv.lock"
  flock 9
  if [[ ! -f "$STAMP" ]]; then
    rm -rf "$VENV"
    python3 -m venv "$VENV" || die "cannot create a venv (apt-get install python3-venv)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      "aiosmtpd==$AIOSMTPD_VERSION" >&2 || die "pip could not install aiosmtpd==$AIOSMTPD_VERSION"
    touch "$STAMP"
  fi
  flock -u 9
}

cmd="${1:-}"
[[ -n "$cmd" ]] && shift
case "$cmd" in
  install)
    install
    echo "$VENV/bin/python"
    ;;
  run)
    install
    exec "$VENV/bin/python" - "$@" <<'PY'
import argparse, email, email.policy, json, os, signal, sys, threading, warnings

# AUTH without TLS is the point here (loopback only): no warning about it.
warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--maildir", required=True)
parser.add_argument("--user")
parser.add_argument("--password")
args = parser.parse_args()
os.makedirs(args.maildir, exist_ok=True)
counter = [0]
lock = threading.Lock()


class Sink:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 No such mailbox here"
        if local.startswith("later"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with lock:
            counter[0] += 1
            n = counter[0]
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": session.auth_data if session.authenticated else None,
            # The headers and body as a mail program shows them (encodings undone).
            "from": str(message["from"]),
            "to": str(message["to"]),
            "reply_to": str(message["reply-to"]) if message["reply-to"] else None,
            "subject": str(message["subject"]),
            "message_id": str(message["message-id"]) if message["message-id"] else None,
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "body": message.get_content(),
            "raw": raw.decode("ascii", "replace"),
        }
        path = os.path.join(args.maildir, f"{n:04d}.json")
        with open(path + ".part", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.replace(path + ".part", path)
        return "250 Message accepted"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == args.user
        and auth_data.password.decode() == args.password
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data.login.decode() if ok else None)


kwargs = {}
if args.user:
    kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=False)
controller = Controller(Sink(), hostname="127.0.0.1", port=args.port, decode_data=False, **kwargs)
controller.start()
print(f"smtp-test-server: listening on 127.0.0.1:{args.port}", file=sys.stderr, flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
stop.wait()
controller.stop()
PY
    ;;
  *)
    die "usage: scripts/smtp-test-server.sh install | run --port PORT --maildir DIR [--user U --password P]"
    ;;
esac
