#!/usr/bin/env bash
# kindly rendering the reference session straight to Ogg Vorbis, MP3 and
# FLAC, against the usual peers encoding the same audio already rendered
# to WAV (sox -C 4, lame -V 5, flac -5), each pair alternating in the same
# run; the sizes at the default quality; and peak memory of the Ogg render
# for 20 and 120 minutes.
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
$KINDLY render "$REF" -q -o "$WORK/ref.wav"

secs() { # wall-clock seconds of "$@", into a fresh file
  /usr/bin/time -f %e -o "$WORK/t" "$@" >/dev/null 2>&1
  tail -1 "$WORK/t"
}

printf '| format | kindly render | peer on the rendered WAV | ratio | kindly size |\n|---|---|---|---|---|\n'
for pair in "ogg|sox $WORK/ref.wav -C 4 $WORK/peer.ogg" \
            "mp3|lame --quiet -V 5 $WORK/ref.wav $WORK/peer.mp3" \
            "flac|flac --silent -f -5 $WORK/ref.wav -o $WORK/peer.flac"; do
  ext=${pair%%|*}; peer=${pair#*|}
  kb=999999; pb=999999
  for _ in $(seq "$RUNS"); do
    rm -f "$WORK"/out.* "$WORK"/peer.*
    k=$(secs $KINDLY render "$REF" -q -o "$WORK/out.$ext")
    p=$(secs $peer)
    kb=$(python3 -c "print(min($kb, $k))"); pb=$(python3 -c "print(min($pb, $p))")
  done
  size=$(stat -c %s "$WORK/out.$ext")
  printf '| %s | %.2f s | %.2f s (`%s`) | %.2f× | %.1f MB |\n' "$ext" "$kb" "$pb" \
    "$(echo "$peer" | sed "s|$WORK/||g")" "$(python3 -c "print($kb/$pb)")" \
    "$(python3 -c "print($size/1e6)")"
done

for ref in benches/reference.toml benches/reference-120.toml; do
  /usr/bin/time -v -o "$WORK/v" $KINDLY render "$ref" -q -o "$WORK/mem.ogg" >/dev/null 2>&1
  echo "peak RSS, $ref to Ogg: $(grep 'Maximum resident' "$WORK/v" | awk '{print $NF}') KiB"
done
