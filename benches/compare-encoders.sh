#!/usr/bin/env bash
# kindly rendering the reference session straight to Ogg Vorbis, MP3 and
# FLAC, against the usual peers encoding the same audio already rendered
# to WAV (sox -C 4, lame -V 5, flac -5), each pair alternating in the same
# run (the median of the pairs' ratios); the sizes at the default quality;
# and peak memory of the WAV, FLAC and Ogg renders for 20 and 120 minutes
# (MEMORY_FORMATS="wav flac ogg mp3" adds MP3, which takes minutes).
#
#   benches/compare-encoders.sh       # from the repository root
#   RUNS=5 benches/compare-encoders.sh
#
# Needs: sox (with Vorbis), lame, flac, GNU time, a release build (built here).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
KINDLY=target/release/kindly
REF=benches/reference.toml
# Its own data folder: the sound cache is filled by this first render.
export KINDLY_HOME=$WORK/home
$KINDLY render "$REF" -q -o "$WORK/ref.wav"

secs() { # wall-clock seconds of "$@", into a fresh file
  /usr/bin/time -f %e -o "$WORK/t" "$@" >/dev/null 2>&1
  tail -1 "$WORK/t"
}

# Each pair: kindly, then the peer, each into a file that has never
# existed; the pair's ratio is kindly's time over the peer's, and the
# median of the pairs' ratios is reported (a slow or lucky run cannot move
# it). Files are removed between pairs, outside the timing.
printf '| format | kindly render (median) | peer on the rendered WAV (median) | ratio (median of pairs) | kindly size |\n|---|---|---|---|---|\n'
for pair in "ogg|sox $WORK/ref.wav -C 4 $WORK/peer.ogg" \
            "mp3|lame --quiet -V 5 $WORK/ref.wav $WORK/peer.mp3" \
            "flac|flac --silent -f -5 $WORK/ref.wav -o $WORK/peer.flac"; do
  ext=${pair%%|*}; peer=${pair#*|}
  : >"$WORK/pairs"
  for _ in $(seq "$RUNS"); do
    rm -f "$WORK"/out.* "$WORK"/peer.*
    sync
    k=$(secs $KINDLY render "$REF" -q -o "$WORK/out.$ext")
    p=$(secs $peer)
    echo "$k $p" >>"$WORK/pairs"
  done
  size=$(stat -c %s "$WORK/out.$ext")
  python3 - "$WORK/pairs" "$ext" "$(echo "$peer" | sed "s|$WORK/||g")" "$size" <<'EOF'
import statistics as st, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
k, p = [r[0] for r in rows], [r[1] for r in rows]
ratio = st.median(a / b for a, b in zip(k, p))
print(f"| {sys.argv[2]} | {st.median(k):.2f} s | {st.median(p):.2f} s (`{sys.argv[3]}`) "
      f"| {ratio:.2f}x | {int(sys.argv[4]) / 1e6:.1f} MB |")
EOF
done

for ext in ${MEMORY_FORMATS:-wav flac ogg}; do
  for ref in benches/reference.toml benches/reference-120.toml; do
    rm -f "$WORK/mem.$ext"
    /usr/bin/time -v -o "$WORK/v" $KINDLY render "$ref" -q -o "$WORK/mem.$ext" >/dev/null 2>&1
    echo "peak RSS, $ref to $ext: $(grep 'Maximum resident' "$WORK/v" | awk '{print $NF}') KiB"
  done
done
