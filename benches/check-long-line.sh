#!/usr/bin/env bash
# `kindly check` on a 1 MB script whose steps are all on one line, each
# with an unknown sound: 30 000 problems on one line. Text and JSON.
# Usage: cargo build --release && benches/check-long-line.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir/long.toml" <<'PY'
import sys
steps = ", ".join('{kind = "bell", sound = "nope%d"}' % i for i in range(30000))
open(sys.argv[1], "w").write('title = "t"\nsteps = [' + steps + "]\n")
PY
ls -l "$dir/long.toml" | awk '{print "script:", $5, "bytes"}'
for format in human json; do
  start=$(date +%s.%N)
  KINDLY_HOME="$dir/home" target/release/kindly check --format "$format" "$dir/long.toml" >/dev/null 2>"$dir/err" || true
  end=$(date +%s.%N)
  printf '%s: %.2f s, %s\n' "$format" "$(echo "$end - $start" | bc)" "$(tail -1 "$dir/err")"
done
