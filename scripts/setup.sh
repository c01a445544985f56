#!/usr/bin/env bash
# Create .venv (Python 3.11) and install Kawal TPS into it. Extra args: pip extras, e.g. "test".
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi

# Front-end libraries, served by our own server (no CDN), fetched from the npm registry by pinned
# version into a git-ignored static folder (not committed): jsQR decodes the camera's QR frames.
JSQR_VERSION=1.4.0
VENDOR=src/kawaltps/training/static/training/vendor/jsqr
if [ "$(cat "$VENDOR/VERSION" 2>/dev/null)" != "$JSQR_VERSION" ]; then
  if command -v npm >/dev/null; then
    npm install --silent --no-save --no-audit --no-fund --prefix build/npm "jsqr@$JSQR_VERSION" >/dev/null
    mkdir -p "$VENDOR"
    cp build/npm/node_modules/jsqr/dist/jsQR.js build/npm/node_modules/jsqr/LICENSE "$VENDOR/"
    echo "$JSQR_VERSION" > "$VENDOR/VERSION"
  else
    echo "setup: npm not found; the Bimtek camera scanner stays off (typing the code still works)" >&2
  fi
fi
