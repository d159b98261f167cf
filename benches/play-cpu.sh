#!/usr/bin/env bash
# CPU time of `kindly play` against `aplay` of the same session
# pre-rendered, both through the same private PulseAudio null sink, in the
# same run (best of RUNS each, alternating); plus launch to first audio
# frame, end to end (from the sink's monitor) and in-process
# (`KINDLY_TRACE=1`), with aplay's as the peer.
#
#   cargo build --release && RUNS=3 benches/play-cpu.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
LEN=${1:-120}
RUNS=${RUNS:-3}
K=$PWD/target/release/kindly
. benches/lib.sh
private_pulse kindly_null
cat > $D/s.toml <<TOML
title = "bench"
format = 1
[ambience]
sound = "rain"
[[steps]]
kind = "bell"
sound = "woodblock"
[[steps]]
kind = "pause"
duration = "${LEN}s"
interval = "10s"
interval_sound = "bowl"
TOML
$K render $D/s.toml -o $D/s.wav
cpu() { /usr/bin/time -f '%U %S %e' "$@" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.2f %.2f\n", $1+$2, $3}'; }
best() { sort -n | head -n 1; }
for i in $(seq $RUNS); do
  cpu $K play --plain $D/s.toml >> $D/k.cpu
  cpu aplay -q $D/s.wav >> $D/a.cpu
done
read kc kw < <(best < $D/k.cpu)
read ac aw < <(best < $D/a.cpu)
echo "kindly play: ${kc}s CPU over ${kw}s (best of $RUNS: $(cut -d' ' -f1 $D/k.cpu | tr '\n' ' '))"
echo "aplay:       ${ac}s CPU over ${aw}s (best of $RUNS: $(cut -d' ' -f1 $D/a.cpu | tr '\n' ' '))"
awk -v k=$kc -v a=$ac 'BEGIN { printf "ratio: %.2fx\n", (a > 0 ? k / a : 0) }'

# Launch to first audio frame, with the sink kept awake (see lib.sh).
# first-frame.py timestamps the monitor's chunks as they arrive.
ZERO=$(keep_awake kindly_null)
for i in $(seq $RUNS); do
  KINDLY_TRACE=1 benches/first-frame.py $K play --plain $D/s.toml 2> $D/trace >> $D/k.ff
  grep '^first-frame' $D/trace | awk '{print $2}' >> $D/k.in
  benches/first-frame.py aplay -q $D/s.wav 2>/dev/null >> $D/a.ff
done
kill $ZERO; wait $ZERO 2>/dev/null || true
echo "launch to first frame, end to end: kindly $(best < $D/k.ff) ms (runs: $(tr '\n' ' ' < $D/k.ff)), aplay $(best < $D/a.ff) ms (runs: $(tr '\n' ' ' < $D/a.ff))"
echo "launch to first buffer handed to the device, in process: kindly $(sort -g $D/k.in | head -n 1) ms (runs: $(tr '\n' ' ' < $D/k.in))"
