#!/usr/bin/env bash
# Rebuilds the face models in crates/sesame-photo/models/ from their registry packages:
#   PyPI mediapipe==0.10.21 (manylinux x86_64 wheel) -> face mesh, iris, segmentation
#   npm @vladmandic/face-api@1.7.15                   -> dlib face descriptor
# Both packages are fetched with their ordinary clients into .cache/face-models/downloads
# and checked against the sha256 pinned below before anything is read from them. The
# conversion runs in .cache/face-models-venv with the pinned requirements.txt, and is
# deterministic: a second run rewrites byte-identical files.
#
# Usage: scripts/face-models/convert.sh [OUTPUT_DIR]   (default crates/sesame-photo/models)
#        scripts/face-models/convert.sh --fetch-only    (downloads and checks; verify.sh uses it)
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1  # keep __pycache__ out of the repo

MEDIAPIPE_VERSION="0.10.21"
MEDIAPIPE_WHEEL="mediapipe-${MEDIAPIPE_VERSION}-cp311-cp311-manylinux_2_28_x86_64.whl"
MEDIAPIPE_SHA256="05dc4a9e593655a79558d05d6227d31018c2537a4bd3362b51e230cf22aecfe3"
FACE_API_VERSION="1.7.15"
FACE_API_TARBALL="vladmandic-face-api-${FACE_API_VERSION}.tgz"
FACE_API_SHA256="0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DOWNLOADS="$ROOT/.cache/face-models/downloads"
VENV="$ROOT/.cache/face-models-venv"

check_sha256() { # file expected
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  if [[ "$actual" != "$2" ]]; then
    echo "sha256 mismatch for $1: expected $2, got $actual" >&2
    echo "(delete the file to fetch it again; if the registry really serves new bytes, review before re-pinning)" >&2
    exit 1
  fi
}

fetch() {
  mkdir -p "$DOWNLOADS"
  if [[ ! -s "$DOWNLOADS/$MEDIAPIPE_WHEEL" ]]; then
    # The wheel is only read as a zip, never installed here: any Python can fetch it.
    python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
      --platform manylinux_2_28_x86_64 --dest "$DOWNLOADS" "mediapipe==$MEDIAPIPE_VERSION"
  fi
  check_sha256 "$DOWNLOADS/$MEDIAPIPE_WHEEL" "$MEDIAPIPE_SHA256"
  if [[ ! -s "$DOWNLOADS/$FACE_API_TARBALL" ]]; then
    (cd "$DOWNLOADS" && npm pack --silent "@vladmandic/face-api@$FACE_API_VERSION" >/dev/null)
  fi
  check_sha256 "$DOWNLOADS/$FACE_API_TARBALL" "$FACE_API_SHA256"
}

fetch
if [[ "${1:-}" == "--fetch-only" ]]; then
  echo "$DOWNLOADS/$MEDIAPIPE_WHEEL"
  echo "$DOWNLOADS/$FACE_API_TARBALL"
  exit 0
fi
OUT="${1:-$ROOT/crates/sesame-photo/models}"

if [[ ! -x "$VENV/bin/python" ]]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"

"$VENV/bin/python" "$HERE/convert.py" \
  --wheel "$DOWNLOADS/$MEDIAPIPE_WHEEL" \
  --npm-tarball "$DOWNLOADS/$FACE_API_TARBALL" \
  --out "$OUT"
