#!/usr/bin/env bash
# The main job: builds the playground and serves it on http://127.0.0.1:${PORT:-8080}/ with the seed tutorial
# scenario loaded (the CLI with no arguments evaluates the same scenario).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-playground.sh
port=${PORT:-8080}
echo "== serving the playground on http://127.0.0.1:$port/ (Ctrl-C to stop)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory playground/dist
