#!/usr/bin/env bash
# Fetches the real photographs the sesame-photo tests use, from the scikit-image
# wheel on PyPI (skimage/data/: NASA public-domain and CC0 images), into
# .cache/test-photos/. Idempotent: does nothing when the photos are already there.
# The photos are never committed (.cache/ is git-ignored).
set -euo pipefail

SKIMAGE_VERSION="0.25.2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
WHEELS="$CACHE/wheels"
OUT="$CACHE/test-photos"
PHOTOS=(astronaut.png camera.png chelsea.png coffee.png horse.png rocket.jpg)

missing=0
for photo in "${PHOTOS[@]}"; do
  [[ -s "$OUT/$photo" ]] || missing=1
done
if [[ $missing -eq 0 ]]; then
  echo "test photos already in $OUT"
  exit 0
fi

mkdir -p "$WHEELS" "$OUT"
wheel="$(ls "$WHEELS"/scikit_image-"$SKIMAGE_VERSION"-*.whl 2>/dev/null | head -n1 || true)"
if [[ -z "$wheel" ]]; then
  python3 -m pip download --quiet --no-deps --only-binary=:all: \
    --dest "$WHEELS" "scikit-image==$SKIMAGE_VERSION"
  wheel="$(ls "$WHEELS"/scikit_image-"$SKIMAGE_VERSION"-*.whl | head -n1)"
fi

members=()
for photo in "${PHOTOS[@]}"; do
  members+=("skimage/data/$photo")
done
python3 - "$wheel" "$OUT" "${members[@]}" <<'PY'
import os, sys, zipfile
wheel, out, members = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as archive:
    for member in members:
        target = os.path.join(out, os.path.basename(member))
        with archive.open(member) as src, open(target + ".part", "wb") as dst:
            dst.write(src.read())
        os.replace(target + ".part", target)
PY
echo "test photos written to $OUT: ${PHOTOS[*]}"
