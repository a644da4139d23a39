#!/usr/bin/env bash
# Builds the npm package into wasm/pkg/ (web, nodejs and bundler builds) with no download tools.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/wasm-tools.sh

echo "== wasm build"
cargo build -p karmada-policy-wasm --target wasm32-unknown-unknown --profile wasm-release
wasm=target/wasm32-unknown-unknown/wasm-release/karmada_policy_wasm.wasm

out=wasm/pkg
rm -rf "$out"
mkdir -p "$out"
for target in web nodejs bundler; do
  dir=$target
  [ "$target" = nodejs ] && dir=node
  wasm-bindgen --target "$target" --out-dir "$out/$dir" "$wasm"
  wasm_opt "$out/$dir/karmada_policy_wasm_bg.wasm"
done
# wasm-bindgen's web and bundler glue is ES modules, the nodejs glue CommonJS.
echo '{"type": "module"}' > "$out/web/package.json"
echo '{"type": "module"}' > "$out/bundler/package.json"
echo '{"type": "commonjs"}' > "$out/node/package.json"
cp wasm/npm/package.json wasm/npm/README.md "$out/"

raw=$(wc -c < "$out/web/karmada_policy_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/web/karmada_policy_wasm_bg.wasm" | wc -c)
echo "== wasm size: $raw bytes, $gz bytes gzip -9 (budget 250000)"
if [ "$gz" -gt 250000 ]; then
  echo "error: the optimized core wasm is over its 250 KB gzip budget (issue 7)" >&2
  exit 1
fi
