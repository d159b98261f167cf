#!/usr/bin/env bash
# CPU time of `kindly play` against `aplay` of the same session
# pre-rendered, both through the same private PulseAudio null sink, in the
# same run; plus launch to first audio frame (from the sink's monitor).
#
#   cargo build --release && benches/play-cpu.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
LEN=${1:-120}
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
read kc kw < <(cpu $K play --plain $D/s.toml)
read ac aw < <(cpu aplay -q $D/s.wav)
echo "kindly play: ${kc}s CPU over ${kw}s"
echo "aplay:       ${ac}s CPU over ${aw}s"
awk -v k=$kc -v a=$ac 'BEGIN { printf "ratio: %.2fx\n", (a > 0 ? k / a : 0) }'

# Launch to first audio frame: record the monitor, note the launch time,
# and find the first non-zero sample (the woodblock at frame 0). An idle
# null sink's monitor delivers nothing, so a stream of zeros keeps it
# running and the recording on the wall clock.
paplay --raw --format=s16le --rate=48000 --channels=2 /dev/zero &
ZERO=$!
sleep 0.3
parec -d kindly_null.monitor --raw --format=s16le --rate=48000 --channels=2 --latency-msec=5 > $D/rec.raw &
REC=$!
sleep 0.5
t0=$(date +%s.%N)
$K play --plain $D/s.toml >/dev/null &
KP=$!
sleep 1.5
kill $KP; wait $KP 2>/dev/null || true
kill $REC $ZERO; wait $REC $ZERO 2>/dev/null || true
python3 - "$D/rec.raw" "$t0" <<'PY'
import struct, sys, os
data = open(sys.argv[1], 'rb').read()
n = len(data) // 4
first = next((i for i in range(n) if abs(struct.unpack_from('<h', data, 4*i)[0]) > 300), None)
# The recording's sample 0 is 0.5 s before launch (parec ran first).
print("launch to first audio frame: %.0f ms" % ((first / 48000 - 0.5) * 1000) if first else "no sound")
PY
