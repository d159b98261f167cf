#!/usr/bin/env bash
# The WAV render against the honest floor: `dd` writing the same number of
# bytes from /dev/zero. Both write into a FRESH file every run (a name that
# has never existed), so neither pays the kernel for freeing an old file's
# pages, as `> out.wav` over a previous render would. The two alternate,
# kindly then dd, and each pair's ratio is taken, so a machine that slows
# down in the middle moves both. Between pairs (outside the timing) both
# files are removed and the disk synced, so dirty pages never pile up into
# writeback that would throttle whichever run comes next.
#
#   benches/wav-floor.sh            # 9 pairs, from the repository root
#   PAIRS=15 benches/wav-floor.sh
#
# Needs: bash 5 (EPOCHREALTIME), GNU time (/usr/bin/time), python3, a release build (built here).
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-9}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
KINDLY=$PWD/target/release/kindly
REF=$PWD/benches/reference.toml
# Its own data folder, so the sound cache is kindly's, filled by the
# warm-up render below, as it is after a person's first render or play.
export KINDLY_HOME=$WORK/home
"$KINDLY" render "$REF" -q -o "$WORK/warm.wav"
BYTES=$(stat -c %s "$WORK/warm.wav")
rm -f "$WORK/warm.wav"

run() { # wall seconds (to the microsecond) and CPU seconds of "$@"
  local start=$EPOCHREALTIME end
  /usr/bin/time -f '%U %S' -o "$WORK/t" "$@" >/dev/null 2>&1
  end=$EPOCHREALTIME
  awk -v w="$(python3 -c "print($end - $start)")" '{printf "%.4f %.2f\n", w, $1 + $2}' "$WORK/t"
}

: >"$WORK/pairs"
for i in $(seq "$PAIRS"); do
  k=$(run "$KINDLY" render "$REF" -q -o "$WORK/kindly-$i.wav")
  d=$(run dd if=/dev/zero of="$WORK/dd-$i.wav" bs=512K count="$BYTES" iflag=count_bytes status=none)
  echo "$k $d" >>"$WORK/pairs"
  [ "$(stat -c %s "$WORK/kindly-$i.wav")" = "$BYTES" ]
  rm -f "$WORK"/kindly-*.wav "$WORK"/dd-*.wav
  sync
done

python3 - "$WORK/pairs" "$BYTES" <<'EOF'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
med = lambda xs: statistics.median(xs)
kw, kc, dw, dc = ([r[i] for r in rows] for i in range(4))
print(f"{len(rows)} alternating pairs, {int(sys.argv[2])} bytes each, into fresh files")
print(f"  kindly render  wall median {med(kw):.3f} s  (min {min(kw):.3f}, max {max(kw):.3f})  cpu {med(kc):.2f} s")
print(f"  dd (the floor) wall median {med(dw):.3f} s  (min {min(dw):.3f}, max {max(dw):.3f})  cpu {med(dc):.2f} s")
print(f"  kindly / dd, median of the pairs' ratios: wall {med([a / b for a, b in zip(kw, dw)]):.2f}x")
EOF
