#!/usr/bin/env bash
# Every test of the project, as CI runs it. Installs what it needs (the wasm target) itself.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== toolchain"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
cargo --version

echo "== format"
cargo fmt --all -- --check

echo "== lint"
cargo clippy --workspace --all-targets -- -D warnings

echo "== tests (unit, conformance, CLI golden)"
cargo test --workspace

echo "== core builds for wasm32-unknown-unknown"
cargo build -p karmada-policy-core --target wasm32-unknown-unknown
