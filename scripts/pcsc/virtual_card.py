#!/usr/bin/env python3
"""Virtual contactless card for PC/SC integration tests.

Connects to the vpcd virtual reader driver (Debian package `vsmartcard-vpcd`,
loaded by pcscd) over TCP and behaves like a contactless card sitting on a
PC/SC contactless reader:

  * ATR: a PC/SC part 3 contactless ATR (MIFARE Classic 1K by default).
  * `FF CA 00 00 Le` (PC/SC part 3 GET DATA, UID)  ->  UID || 90 00
  * `FF CA 01 00 Le` (historical bytes) and other P1/P2 -> 6A 81
  * any other command                                   -> 6D 00

While this process is connected, pcscd reports "card present" in the reader
slot that listens on PORT; when it disconnects (SIGTERM, SIGINT, or even
SIGKILL, since the kernel closes the socket), pcscd reports the card removed.

The vpcd wire protocol (see VirtualSmartcard.py in python3-virtualsmartcard
and vpcd.c in vsmartcard): every message is a 2-byte big-endian length
followed by that many bytes. A 1-byte message is a control command from vpcd
(0 power off, 1 power on, 2 reset, 4 "send ATR"; only 4 gets an answer);
anything longer is a command APDU and must be answered with a response APDU.

It speaks that protocol itself (standard library only): Debian 12's
python3-virtualsmartcard (vicc) installs outside Python's path and needs a
crypto module it does not declare.

--vanish-on-read leaves the reader on the first command, unanswered (a card
taken off while being read); --no-uid answers GET DATA UID with 6D 00 (a
contact card, or a reader without the PC/SC UID command).

Exit status: 0 after SIGTERM/SIGINT or when pcscd closes the connection,
2 on bad arguments, 3 if vpcd could not be reached within --connect-timeout.

Example:
  virtual_card.py --port 35963 --uid 04A224B2C35E80
"""

import argparse
import logging
import signal
import socket
import struct
import sys
import time

LOG = logging.getLogger("virtual_card")

# PC/SC part 3 ATRs for contactless cards (3B 8F 80 01 80 4F 0C A0 00 00 03 06
# SS NN NN 00 00 00 00 TCK, SS=03 ISO 14443 A part 3, NN NN = card name) and a
# minimal ISO 14443-4 ATR without historical bytes.
ATR_PRESETS = {
    "mifare1k": "3B8F8001804F0CA000000306030001000000006A",
    "mifare4k": "3B8F8001804F0CA0000003060300020000000069",
    "ultralight": "3B8F8001804F0CA0000003060300030000000068",
    "iso14443-4": "3B80800101",
}

VPCD_CTRL_OFF = 0
VPCD_CTRL_ON = 1
VPCD_CTRL_RESET = 2
VPCD_CTRL_ATR = 4

SW_OK = b"\x90\x00"
SW_FUNC_NOT_SUPPORTED = b"\x6a\x81"
SW_INS_NOT_SUPPORTED = b"\x6d\x00"
SW_WRONG_LENGTH = b"\x67\x00"
SW_END_OF_DATA = b"\x62\x82"


class Stop(Exception):
    """Raised by the signal handler to leave the main loop."""


class UidCard:
    """The card's behaviour: same interface as virtualsmartcard's SmartcardOS."""

    def __init__(self, uid, atr, vanish_on_read=False, no_uid=False):
        self.uid = uid
        self.atr = atr
        self.vanish_on_read = vanish_on_read
        self.no_uid = no_uid

    # SmartcardOS interface -------------------------------------------------
    def getATR(self):  # noqa: N802 (name fixed by virtualsmartcard)
        return self.atr

    def powerUp(self):  # noqa: N802
        LOG.debug("power up")

    def powerDown(self):  # noqa: N802
        LOG.debug("power down")

    def reset(self):
        LOG.debug("reset")

    def execute(self, apdu):
        if self.vanish_on_read:
            raise Stop("taken off while being read")
        rapdu = self._execute(bytes(apdu))
        LOG.info("C-APDU %s -> R-APDU %s", apdu.hex().upper(), rapdu.hex().upper())
        return rapdu

    # ---------------------------------------------------------------------
    def _execute(self, apdu):
        if len(apdu) < 4:
            return SW_WRONG_LENGTH
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        if cla != 0xFF or ins != 0xCA or self.no_uid:
            return SW_INS_NOT_SUPPORTED
        if p1 != 0x00 or p2 != 0x00:
            # FF CA 01 00 = historical bytes of the ATS: not for this card.
            return SW_FUNC_NOT_SUPPORTED
        if len(apdu) == 4:
            le = 0  # case 1 APDU: treat like Le = 00 (everything)
        elif len(apdu) == 5:
            le = apdu[4]
        else:
            return SW_WRONG_LENGTH
        if le == 0 or le == len(self.uid):
            return self.uid + SW_OK
        if le < len(self.uid):
            # PC/SC part 3: 6C XX, XX = the exact length.
            return bytes([0x6C, len(self.uid)])
        return self.uid + SW_END_OF_DATA


def _install_signal_handlers():
    def handler(signum, _frame):
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _connect(host, port, timeout):
    """Connect to vpcd, retrying until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            sock = socket.create_connection((host, port), timeout=2)
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except OSError as e:
            if time.monotonic() >= deadline:
                LOG.error("cannot connect to vpcd at %s:%d: %s", host, port, e)
                return None
            time.sleep(0.1)


def _recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def _send(sock, msg):
    sock.sendall(struct.pack("!H", len(msg)) + msg)


def run_builtin(card, sock):
    while True:
        hdr = _recv_exact(sock, 2)
        if hdr is None:
            LOG.info("vpcd closed the connection (pcscd stopped?)")
            return
        (size,) = struct.unpack("!H", hdr)
        msg = _recv_exact(sock, size) if size else b""
        if msg is None:
            LOG.info("vpcd closed the connection (pcscd stopped?)")
            return
        if size == 1:
            ctrl = msg[0]
            if ctrl == VPCD_CTRL_ATR:
                _send(sock, card.getATR())
            elif ctrl == VPCD_CTRL_ON:
                card.powerUp()
            elif ctrl == VPCD_CTRL_OFF:
                card.powerDown()
            elif ctrl == VPCD_CTRL_RESET:
                card.reset()
            else:
                LOG.warning("unknown vpcd control byte %#x", ctrl)
        elif size == 0:
            LOG.warning("empty message from vpcd")
        else:
            _send(sock, card.execute(msg))


def parse_hex(text, what):
    cleaned = text.replace(" ", "").replace(":", "")
    try:
        value = bytes.fromhex(cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError("%s must be hex, got %r" % (what, text))
    if not value:
        raise argparse.ArgumentTypeError("%s must not be empty" % what)
    return value


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1",
                    help="where pcscd/vpcd listens (default %(default)s)")
    ap.add_argument("--port", type=int, default=35963,
                    help="vpcd slot port (default %(default)s = 'Virtual PCD 00 00'; "
                         "35964 = 'Virtual PCD 00 01')")
    ap.add_argument("--uid", required=True, type=lambda s: parse_hex(s, "UID"),
                    help="card UID in hex, e.g. 04A224B2C35E80 (4, 7 or 10 bytes)")
    ap.add_argument("--atr", default="mifare1k",
                    help="ATR preset (%s) or ATR in hex (default %%(default)s)"
                         % ", ".join(ATR_PRESETS))
    ap.add_argument("--vanish-on-read", action="store_true",
                    help="leave the reader on the first command, unanswered: "
                         "a card taken off while it is being read")
    ap.add_argument("--no-uid", action="store_true",
                    help="answer GET DATA UID with 6D 00, as a contact card or a "
                         "reader without the PC/SC UID command does")
    ap.add_argument("--connect-timeout", type=float, default=10.0,
                    help="seconds to keep retrying while vpcd is not listening yet")
    ap.add_argument("-v", "--verbose", action="count", default=0,
                    help="-v: log APDUs, -vv: also vpcd control messages")
    args = ap.parse_args(argv)

    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s virtual_card[%(process)d] %(levelname)s %(message)s")

    try:
        atr = parse_hex(ATR_PRESETS.get(args.atr, args.atr), "ATR")
    except argparse.ArgumentTypeError as e:
        ap.error(str(e))
    if len(atr) > 33:
        ap.error("ATR longer than 33 bytes")
    if len(args.uid) > 10:
        ap.error("UID longer than 10 bytes")
    card = UidCard(args.uid, atr, vanish_on_read=args.vanish_on_read, no_uid=args.no_uid)

    _install_signal_handlers()
    try:
        sock = _connect(args.host, args.port, args.connect_timeout)
        if sock is None:
            return 3
        # One line on stdout so a test harness can wait for "card inserted".
        print("connected %s:%d uid=%s" % (args.host, args.port, args.uid.hex().upper()),
              flush=True)
        try:
            run_builtin(card, sock)
        finally:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        return 0
    except Stop as s:
        LOG.info("%s: card removed (disconnected from vpcd)", s)
        return 0


if __name__ == "__main__":
    sys.exit(main())
