#!/usr/bin/env bash
# Regenerate every English catalogue from the source, fill it from the translation tables
# (locale/en_*.py) and any extra .po files given (e.g. both sides of a merge), then compile.
# Usage: scripts/i18n.sh [EXTRA.po ...]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KT="$ROOT/.venv/bin/kawaltps"
export KAWALTPS_DATA_DIR=${KAWALTPS_DATA_DIR:-$(mktemp -d)}
own=()  # apps with a catalogue of their own
for dir in src/kawaltps/*/locale; do own+=("$(basename "$(dirname "$dir")")"); done
for app in "${own[@]}"; do
  (cd "src/kawaltps/$app" && "$KT" makemessages -l en --no-wrap >/dev/null)
  echo "$app: $(.venv/bin/python scripts/fill_po.py "src/kawaltps/$app/locale/en/LC_MESSAGES/django.po" \
       "src/kawaltps/$app/locale/en_$app.py" "$@" | sed -n 1p)"
done
ignore=(); for app in "${own[@]}"; do ignore+=(-i "$app"); done
(cd src/kawaltps && "$KT" makemessages -l en --no-wrap "${ignore[@]}" >/dev/null)
echo "project: $(.venv/bin/python scripts/fill_po.py src/kawaltps/locale/en/LC_MESSAGES/django.po \
     src/kawaltps/locale/en_core.py "$@" | sed -n 1p)"
(cd src/kawaltps && "$KT" compilemessages -l en >/dev/null)
