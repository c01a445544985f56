#!/usr/bin/env bash
# The first command of the README: install, set up the demo election on SQLite, serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/kawaltps demo "$@"
