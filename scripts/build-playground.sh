#!/usr/bin/env bash
# Builds the browser playground into playground/dist/ (static files): index.html, the wasm module and its
# wasm-bindgen glue (one module for the page and the evaluation worker), and ui.js, the CodeMirror editor and
# the worker pool bundled by esbuild from npm packages (installed with `npm ci`, no CDN, nothing fetched at run
# time). Fails when the page's wasm + JavaScript exceed 500,000 bytes gzip.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/wasm-tools.sh

echo "== playground wasm build"
cargo build -p karmada-policy-playground --target wasm32-unknown-unknown --profile wasm-release
out=playground/dist
rm -rf "$out"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  target/wasm32-unknown-unknown/wasm-release/karmada_policy_playground.wasm
wasm_opt "$out/karmada_policy_playground_bg.wasm"

echo "== playground JavaScript (CodeMirror 6 + worker pool, esbuild)"
web=playground/web
if [ ! -f "$web/node_modules/.package-lock.json" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
"$web/node_modules/.bin/esbuild" "ui=$web/main.js" "worker=$web/worker.js" --bundle --minify --format=esm --target=es2020 \
  --log-level=warning --outdir="$out"
cp playground/index.html "$out/index.html"

budget=500000
total=0
for f in "$out/karmada_policy_playground_bg.wasm" "$out/karmada_policy_playground.js" "$out/ui.js" "$out/worker.js"; do
  n=$(gzip -9 -c "$f" | wc -c)
  echo "   $(basename "$f"): $(wc -c <"$f") bytes, $n gzip"
  total=$((total + n))
done
echo "== playground: $total bytes gzip (wasm + JS; budget $budget) in $out"
if [ "$total" -gt "$budget" ]; then
  echo "error: the playground's wasm + JS are $total bytes gzip, over the $budget budget" >&2
  exit 1
fi
