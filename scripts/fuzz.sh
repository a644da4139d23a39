#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, one after the other (not part of CI's critical path).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); builds without a sanitizer so the stable toolchain suffices.
# Usage: scripts/fuzz.sh [seconds per target, default 600]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-600}
cargo fuzz build -s none
for t in parse evaluate validate structured; do
  mkdir -p "corpus/$t" "artifacts/$t"
  # The repository keeps only a small seed corpus; the working corpus grows under fuzz/corpus (ignored by git).
  [ "$t" = structured ] || cp -n seeds/*.yaml "corpus/$t/"
  echo "== fuzz $t for ${secs}s"
  cargo fuzz run -s none "$t" "corpus/$t" -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 2>&1 | tee "/tmp/fuzz-$t.log" | grep -E 'stat::|Done|SUMMARY|panicked|deadly' || true
done
