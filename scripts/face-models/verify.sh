#!/usr/bin/env bash
# Compares the committed face models with the runtimes they come from (see verify.py):
# LiteRT and MediaPipe's own solutions for the MediaPipe models, face-api.js under Node
# (tfjs, plain JavaScript backend) for the descriptor, onnxruntime for the ONNX files.
# Environment: .cache/face-models-verify-venv (requirements-verify.txt plus MediaPipe from
# the sha256-checked wheel), .cache/face-models/node (tfjs and the checked face-api
# tarball), .cache/test-photos (scripts/fetch-test-photos.sh). Nothing in the repo changes.
#
# Usage: scripts/face-models/verify.sh [verify.py options, e.g. --dump-dir DIR or --models DIR]
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1  # keep __pycache__ out of the repo

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/.cache/face-models-verify-venv"
NODE_DIR="$ROOT/.cache/face-models/node"

mapfile -t packages < <("$HERE/convert.sh" --fetch-only)
wheel="${packages[0]}"
tarball="${packages[1]}"

bash "$ROOT/scripts/fetch-test-photos.sh" >/dev/null

if [[ ! -x "$VENV/bin/python" ]]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements-verify.txt"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$wheel"

mkdir -p "$NODE_DIR"
if [[ ! -d "$NODE_DIR/node_modules/@vladmandic/face-api" || ! -d "$NODE_DIR/node_modules/@tensorflow/tfjs" ]]; then
  [[ -f "$NODE_DIR/package.json" ]] || echo '{"private": true}' >"$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --silent --no-audit --no-fund \
    @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 "$tarball")
fi

# MediaPipe's C++ logging is chatty: its routine start-up lines are filtered out.
GLOG_minloglevel=2 TF_CPP_MIN_LOG_LEVEL=2 "$VENV/bin/python" "$HERE/verify.py" \
  --wheel "$wheel" --npm-tarball "$tarball" --node-modules "$NODE_DIR/node_modules" "$@" \
  2> >(grep -v -e 'inference_feedback_manager' -e 'XNNPACK delegate' -e 'All log messages before absl' \
         -e 'landmark_projection_calculator' -e 'gl_context' >&2)
