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
D=$(mktemp -d)
trap 'kill $(cat $D/pid) 2>/dev/null; rm -rf $D' EXIT
mkdir -p $D/run $D/home
export XDG_RUNTIME_DIR=$D/run PULSE_RUNTIME_PATH=$D/run HOME=$D/home
printf 'pcm.!default { type pulse }\nctl.!default { type pulse }\n' > $D/asound.conf
pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit \
  -L "module-null-sink sink_name=kindly_null rate=48000" \
  -L "module-native-protocol-unix socket=$D/native" >/dev/null 2>&1 & echo $! > $D/pid
while [ ! -S $D/native ]; do sleep 0.05; done
export PULSE_SERVER=unix:$D/native ALSA_CONFIG_PATH=$D/asound.conf
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

# Launch to first audio frame. An idle null sink sleeps for up to its
# maximum latency (about 2 s) before it mixes a new stream in, which no
# real device does; a low-latency stream of zeros keeps it waking every
# few milliseconds, as a sound card's interrupts would. first-frame.py
# timestamps the monitor's chunks as they arrive.
pacat --playback --raw --format=s16le --rate=48000 --channels=2 --latency-msec=10 /dev/zero &
ZERO=$!
sleep 0.3
for i in $(seq $RUNS); do
  KINDLY_TRACE=1 benches/first-frame.py $K play --plain $D/s.toml 2> $D/trace >> $D/k.ff
  grep '^first-frame' $D/trace | awk '{print $2}' >> $D/k.in
  benches/first-frame.py aplay -q $D/s.wav 2>/dev/null >> $D/a.ff
done
kill $ZERO; wait $ZERO 2>/dev/null || true
echo "launch to first frame, end to end: kindly $(best < $D/k.ff) ms (runs: $(tr '\n' ' ' < $D/k.ff)), aplay $(best < $D/a.ff) ms (runs: $(tr '\n' ' ' < $D/a.ff))"
echo "launch to first buffer handed to the device, in process: kindly $(sort -g $D/k.in | head -n 1) ms (runs: $(tr '\n' ' ' < $D/k.in))"
