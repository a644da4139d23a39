#!/usr/bin/env bash
# Builds the browser playground into playground/dist/ (static files: index.html, JS glue, wasm).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/wasm-tools.sh

echo "== playground wasm build"
cargo build -p karmada-policy-playground --target wasm32-unknown-unknown --profile wasm-release
out=playground/dist
rm -rf "$out"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  target/wasm32-unknown-unknown/wasm-release/karmada-policy-playground.wasm
wasm_opt "$out/karmada-policy-playground_bg.wasm"
sed 's/karmada_policy_playground.js/karmada-policy-playground.js/' playground/index.html > "$out/index.html"
echo "== playground: $(du -sh "$out" | cut -f1) in $out ($(gzip -9 -c "$out/karmada-policy-playground_bg.wasm" | wc -c) bytes wasm gzip)"
