# Sourced by the wasm build scripts: installs (once) and puts on PATH what a wasm build needs, with no download
# tool: the wasm32 target, the wasm-bindgen CLI at the exact Cargo.lock version (into .tools/), and the npm build
# tools (binaryen's wasm-opt, typescript). Defines wasm_opt FILE (in place, -Oz tuned for gzip).
root=$(pwd)
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! "$root/.tools/bin/wasm-bindgen" --version 2>/dev/null | grep -q " $wb_version\$"; then
  echo "== installing wasm-bindgen-cli $wb_version into .tools (takes minutes, once)"
  # no --locked: a pinned dependency of the CLI is missing from the registry mirror
  cargo install wasm-bindgen-cli --version "$wb_version" --root "$root/.tools"
fi
export PATH="$root/.tools/bin:$PATH"
[ -x wasm/tools/node_modules/.bin/wasm-opt ] || (cd wasm/tools && npm ci --no-audit --no-fund --loglevel=error)

# -ocimfs=0: no inlining of functions with one caller. It saves raw bytes but renumbers locals inside the
# big callers, which breaks the repetition gzip lives on: 363 KB -> 314 KB gzip for the npm core with it off.
# --reorder-functions-by-name puts the instantiations of one generic side by side (268 KB -> 260 KB gzip).
# --low-memory-unused (Rust puts the stack first: the first 1 KiB is never addressed) and --zero-filled-memory
# (the module's own memory starts zeroed) let it fold more constant addresses (-0.6 KB gzip).
# --strip-producers and --strip-target-features drop two custom sections no engine reads (the toolchain's
# names and versions, the features the linker saw): -0.25 KB gzip.
# -O2 -s 1 --converge rather than -Oz: more raw bytes but fewer after gzip (248.1 KB vs 249.9 KB for the npm
# core: -Oz's extra shrinking breaks repetitions), and the speed passes of -O2.
wasm_opt() {
  wasm/tools/node_modules/.bin/wasm-opt -O2 -s 1 --converge -ocimfs=0 --reorder-functions-by-name --low-memory-unused \
    --zero-filled-memory --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue "$1" -o "$1"
}
