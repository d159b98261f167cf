#!/usr/bin/env bash
# Render the reference session with kindly, with the sox pipeline a terminal
# user would write, and time a raw write of the same number of bytes; then
# peak memory for 20- and 120-minute sessions. Results are the best of
# RUNS runs (default 5), each written to a fresh file (no unlink of an old
# one inside the timing).
#
#   benches/compare-sox.sh            # from the repository root
#   RUNS=9 benches/compare-sox.sh
#
# Needs: sox, GNU time (/usr/bin/time), a release build (built here).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
KINDLY=target/release/kindly

# The bowl as a file, the way a sox user would have it: kindly's own export.
$KINDLY sounds export "$WORK/sounds" >/dev/null
BOWL="$WORK/sounds/bowl.wav"

# The session length: 20 minutes plus the last bowl's ring, read from the
# timeline so all three write exactly the same bytes.
FRAMES=$($KINDLY show benches/reference.toml --format json |
  python3 -c 'import json,sys; t=json.load(sys.stdin); print(round(t["duration"]*t["rate"]))')
SECS=$(python3 -c "print($FRAMES/48000)")
BYTES=$((FRAMES * 4 + 44))

best() { # best wall-clock seconds of RUNS runs of "$@" (output file: $OUT)
  local best=999999 t
  for _ in $(seq "$RUNS"); do
    rm -f "$OUT"
    /usr/bin/time -f %e -o "$WORK/t" "$@" >/dev/null 2>&1
    t=$(tail -1 "$WORK/t")
    best=$(python3 -c "print(min($best, $t))")
  done
  echo "$best"
}

kindly_render() { $KINDLY render benches/reference.toml -o "$OUT"; }
sox_render() {
  # The bed, then each bowl padded to its minute mark; -v 1 keeps sox -m
  # from dividing every input by the number of inputs.
  local inputs=(-v 1 "|sox -n -r 48000 -c 2 -p synth $SECS brownnoise vol 0.3 fade 5 $SECS 5")
  for m in 0 5 10 15 20; do
    inputs+=(-v 0.8 "|sox $BOWL -p rate 48000 channels 2 pad $((m * 60))")
  done
  sox -m "${inputs[@]}" -b 16 "$OUT" trim 0 "$FRAMES"s
}
raw_write() { head -c "$BYTES" /dev/zero > "$OUT"; }

export -f kindly_render sox_render raw_write
export KINDLY BOWL SECS FRAMES BYTES

export OUT="$WORK/kindly.wav"; K=$(best bash -c kindly_render)
export OUT="$WORK/sox.wav";    S=$(best bash -c sox_render)
export OUT="$WORK/raw.bin";    R=$(best bash -c raw_write)

rss() { # peak resident memory in KiB of rendering $1
  rm -f "$WORK/m.wav"
  /usr/bin/time -v $KINDLY render "$1" -o "$WORK/m.wav" 2>&1 >/dev/null |
    awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}'
}
M20=$(rss benches/reference.toml)
M120=$(rss benches/reference-120.toml)

echo "reference session: $FRAMES frames ($SECS s) at 48 kHz stereo 16-bit, $BYTES bytes"
echo "best of $RUNS runs, wall clock:"
printf '  kindly render  %6.3f s\n' "$K"
printf '  sox pipeline   %6.3f s   (kindly is %.1fx faster)\n' "$S" "$(python3 -c "print($S/$K)")"
printf '  raw write      %6.3f s   (kindly takes %.2fx the raw write)\n' "$R" "$(python3 -c "print($K/$R)")"
echo "peak RSS: 20 min ${M20} KiB, 120 min ${M120} KiB"
