#!/usr/bin/env bash
# Builds the browser playground into playground/dist/ (static files: index.html, JS glue, wasm).
# Installs what it needs: the wasm32 target, the wasm-bindgen CLI at the Cargo.lock version, npm binaryen.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! "$root/.tools/bin/wasm-bindgen" --version 2>/dev/null | grep -q " $wb_version\$"; then
  echo "== installing wasm-bindgen-cli $wb_version into .tools (takes minutes, once)"
  cargo install wasm-bindgen-cli --version "$wb_version" --root "$root/.tools"
fi
[ -x wasm/tools/node_modules/.bin/wasm-opt ] || (cd wasm/tools && npm ci --no-audit --no-fund --loglevel=error)

echo "== playground wasm build"
cargo build -p karmada-policy-playground --target wasm32-unknown-unknown --profile wasm-release
out=playground/dist
rm -rf "$out"
mkdir -p "$out"
"$root/.tools/bin/wasm-bindgen" --target web --no-typescript --out-dir "$out" \
  target/wasm32-unknown-unknown/wasm-release/karmada-policy-playground.wasm
wasm/tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/karmada-policy-playground_bg.wasm" -o "$out/karmada-policy-playground_bg.wasm"
sed 's/karmada_policy_playground.js/karmada-policy-playground.js/' playground/index.html > "$out/index.html"
echo "== playground: $(du -sh "$out" | cut -f1) in $out ($(gzip -9 -c "$out/karmada-policy-playground_bg.wasm" | wc -c) bytes wasm gzip)"
