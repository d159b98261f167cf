#!/usr/bin/env bash
# Cue timing error and drift of `kindly play` over a long session, against
# the loop a terminal user would otherwise write
# (`paplay bell.wav; sleep N`), both recorded from the same private
# PulseAudio server, each on its own null sink and both at once (so the
# run takes MINUTES, not twice that). Long: run it once and record the
# numbers. KINDLY=path runs another build of kindly.
#
#   cargo build --release && benches/play-drift.sh [MINUTES] [INTERVAL_S]
set -euo pipefail
cd "$(dirname "$0")/.."
MIN=${1:-20}
IV=${2:-300}
K=${KINDLY:-$PWD/target/release/kindly}
. benches/lib.sh
private_pulse kindly_null loop_null

record() { # record NAME SINK CMD...: the monitor, with the sink kept awake (lib.sh)
  local name=$1 sink=$2; shift 2
  local z=$(keep_awake $sink)
  parec -d $sink.monitor --raw --format=s16le --rate=48000 --channels=2 > $D/$name.raw & local r=$!
  sleep 0.3
  PULSE_SINK=$sink "$@" || true
  sleep 0.5; kill $r $z 2>/dev/null || true; wait $r $z 2>/dev/null || true
}

$K sounds export $D/sounds >/dev/null
N=$(( MIN * 60 / IV ))
# kindly: a woodblock now and every IV seconds, for MIN minutes; and the
# shell loop with the same bell, at the same time on the other sink.
record kindly kindly_null $K timer "${MIN}m" --bell woodblock --interval "${IV}s" --warmup 5s --plain > $D/kindly.log &
KR=$!
record loop loop_null bash -c "for i in \$(seq 0 $N); do paplay $D/sounds/woodblock.wav; sleep $IV; done"
wait $KR || true

python3 - "$D" "$IV" <<'PY'
import struct, sys
d, iv = sys.argv[1], float(sys.argv[2])
def onsets(path):
    data = open(path, 'rb').read(); n = len(data) // 4
    out, below = [], 7200
    for i in range(n):
        if abs(struct.unpack_from('<h', data, 4 * i)[0]) > 1600:
            if below >= 7200: out.append(i / 48000)
            below = 0
        else: below += 1
    return out
for name in ("kindly", "loop"):
    t = onsets(f"{d}/{name}.raw")
    errs = [(x - t[0]) - k * iv for k, x in enumerate(t[:len(t)])]
    errs = [e for e in errs if abs(e) < iv / 2]
    print(f"{name}: {len(t)} onsets, max error {max(map(abs, errs))*1000:.1f} ms, drift at end {errs[-1]*1000:+.1f} ms")
    print(f"  each, from the first: {' '.join(f'{e*1000:+.1f}' for e in errs)} ms")
PY
