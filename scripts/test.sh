#!/usr/bin/env bash
# The second command of the README: install with the test extras, lint, run every test.
# Uses DATABASE_URL / REDIS_URL when set (CI runs it on SQLite, then on PostgreSQL + Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's npm for the front-end libraries (the camera QR scanner)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm) >/dev/null
fi
./scripts/setup.sh test
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core) >/dev/null
fi
export KAWALTPS_DATA_DIR=${KAWALTPS_DATA_DIR:-$(mktemp -d /tmp/kawaltps-test.XXXXXX)}
.venv/bin/ruff check src tests bench scripts
.venv/bin/python -m pytest "$@"
