#!/usr/bin/env bash
# The app itself, as a desk installs and starts it: builds the release `.deb` and
# prints its size, then starts the release app on a queue of 100 000 requests under
# Xvfb (through WebDriver) and prints the time to the sign-in form, from signing in
# to the queue drawn, and the memory of the app and its web view at rest
# (benches/app_start.rs). Arguments go to the benchmark (`--rows N`).
#
#   scripts/bench-app.sh [--rows N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

scripts/setup.sh --test

# The package: the UI built and embedded, the release binary, the .deb around it.
scripts/package-deb.sh
deb="$(ls -t target/release/bundle/deb/*.deb | head -n 1)"
python3 - "$deb" <<'PY'
import lzma, os, sys
path = sys.argv[1]
mib = os.path.getsize(path) / 1048576
print(f"package {os.path.basename(path)}: {mib:.2f} MiB   target <= 10 MiB   {'ok' if mib <= 10 else 'OVER'}")

# What the binary carries besides its code, each compressed as the package is
# (xz -9): what is left of the package is the code.
def packed(paths):
    data = b"".join(open(p, "rb").read() for p in paths)
    return len(data) / 1048576, len(lzma.compress(data, preset=9)) / 1048576
def files(folder, suffixes):
    return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(suffixes))
parts = [
    ("face models", files("crates/sesame-photo/models", (".onnx",))),
    ("fonts", files("crates/sesame-print/assets/fonts", (".ttf",))),
    ("screens (ui/dist)", [os.path.join(d, f) for d, _, fs in os.walk("ui/dist") for f in fs]),
]
print("  inside it, compressed with xz -9 (MiB):")
embedded = 0.0
for name, paths in parts:
    raw, xz = packed(paths)
    embedded += xz
    print(f"    {name:<20} {xz:6.2f}   ({raw:.2f} uncompressed)")
print(f"    {'the rest (code)':<20} {mib - embedded:6.2f}")
PY

# The same release binary (features of `tauri build`), started as a desk would.
scripts/with-keyring.sh cargo bench -p sesame --features embed-ui --bench app_start -- "$@"
