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
import os, sys
path = sys.argv[1]
mib = os.path.getsize(path) / 1048576
print(f"package {os.path.basename(path)}: {mib:.2f} MiB   target <= 10 MiB   {'ok' if mib <= 10 else 'OVER'}")
PY

# The same release binary (features of `tauri build`), started as a desk would.
scripts/with-keyring.sh cargo bench -p sesame --features embed-ui --bench app_start -- "$@"
