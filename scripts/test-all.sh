#!/usr/bin/env bash
# Every test of the project, as CI runs it. Installs what it needs itself: the wasm32 target, the wasm-bindgen
# CLI at the Cargo.lock version (into .tools/), the npm build tools (binaryen, typescript, playwright-core) and
# Debian's Chromium for the playground's browser test.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== toolchain"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
cargo --version
node --version

echo "== format"
cargo fmt --all -- --check

echo "== lint"
cargo clippy --workspace --all-targets -- -D warnings
echo "== lint: the playground's wasm-only code (the app and the worker entry)"
cargo clippy -p karmada-policy-playground --target wasm32-unknown-unknown -- -D warnings

echo "== tests (unit, conformance, properties, CLI golden)"
cargo test --workspace

echo "== the pure core builds for wasm32-unknown-unknown"
cargo build -p karmada-policy-core --target wasm32-unknown-unknown

echo "== npm package (wasm-bindgen, wasm-opt)"
bash scripts/build-wasm.sh
export PATH="$PWD/.tools/bin:$PATH"

echo "== wasm facade tests (wasm-bindgen-test under Node)"
cargo test --target wasm32-unknown-unknown -p karmada-policy-wasm

echo "== Node: the npm package against the CLI on every vector"
node --test wasm/tests/node/

echo "== playground: build, then a browser test in Debian's Chromium (playwright-core)"
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
bash scripts/build-playground.sh
(cd playground/tests && npm ci --no-audit --no-fund --loglevel=error)
node --test playground/tests/

echo "== TypeScript consumer type-checks against the generated declarations"
wasm/tools/node_modules/.bin/tsc -p wasm/tests/ts/tsconfig.json
echo "tsc --noEmit: ok"
