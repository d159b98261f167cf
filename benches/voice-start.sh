#!/usr/bin/env bash
# Launch to first sound with a cold voice cache: kindly's streaming
# synthesis against serial pre-synthesis (every clip made before anything
# plays, as kindly did before it streamed), for festival and flite, on a
# session that opens with a bell (self-compassion-break) and one that
# opens with words. Both through a private PulseAudio null sink, measured
# from its monitor (first-frame.py), alternating, RUNS each.
#
#   cargo build --release
#   OLD=/path/to/kindly-before-streaming RUNS=3 benches/voice-start.sh
#
# OLD is a build of kindly from before streaming (commit 6af4728), which
# speaks only through a configured `command`; the same engines are given
# to it through a small wrapper with the same calm settings.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
K=$PWD/target/release/kindly
OLD=${OLD:?set OLD to a kindly built from commit 6af4728}
. benches/lib.sh
private_pulse kindly_null
ZERO=$(keep_awake kindly_null)
export FIRST_FRAME_TIMEOUT=60
cat > $D/words.toml <<'TOML'
title = "Words first"
format = 1
[[steps]]
kind = "prompt"
text = "Welcome. Let yourself arrive here, just as you are."
hold = "2s"
[[steps]]
kind = "prompt"
text = "Notice the places where your body is supported. There is nothing you need to do."
hold = "2s"
[[steps]]
kind = "bell"
TOML
# The wrapper the old build speaks through: the engine's recipe, its WAV
# through a temporary file.
cat > $D/old-voice.sh <<'SH'
#!/bin/sh
t=$(mktemp --suffix=.wav); trap 'rm -f $t' EXIT
case "$1" in
  festival) printf '%s\n' "$2" | text2wave -o $t -eval '(voice_cmu_us_slt_arctic_hts)' -eval '(set! hts_engine_params (append hts_engine_params (list (list "-r" 0.602))))' >/dev/null ;;
  flite) printf '%s\n' "$2" > $t.txt; flite -voice slt --setf duration_stretch=1.763 -f $t.txt -o $t; rm -f $t.txt ;;
esac
cat $t
SH
chmod +x $D/old-voice.sh
measure() { # label home-setup command...
  local label=$1; shift
  benches/first-frame.py "$@" 2>/dev/null
}
for engine in festival flite; do
  for session in self-compassion-break $D/words.toml; do
    name=$(basename $session .toml)
    for i in $(seq $RUNS); do
      rm -rf $D/new $D/old; mkdir -p $D/new $D/old
      printf '[voice]\nengine = "%s"\n' $engine > $D/new/config.toml
      printf '[voice]\ncommand = ["%s", "%s", "{text}"]\ntimeout = "10m"\n' $D/old-voice.sh $engine > $D/old/config.toml
      KINDLY_HOME=$D/new benches/first-frame.py $K play --plain $session 2>/dev/null >> $D/$engine-$name.new
      KINDLY_HOME=$D/old benches/first-frame.py $OLD play --plain $session 2>/dev/null >> $D/$engine-$name.old
    done
    echo "$engine, $name: streaming $(sort -n $D/$engine-$name.new | sed -n "$(( (RUNS+1)/2 ))p") ms (runs: $(tr '\n' ' ' < $D/$engine-$name.new)), serial $(sort -n $D/$engine-$name.old | sed -n "$(( (RUNS+1)/2 ))p") ms (runs: $(tr '\n' ' ' < $D/$engine-$name.old))"
  done
done
# The engines' own time for the first clip of words.toml, for the target
# (first clip + 150 ms).
for engine in festival flite; do
  rm -rf $D/t; mkdir -p $D/t
  s=$(date +%s.%N)
  KINDLY_HOME=$D/t $K voices try $engine "Welcome. Let yourself arrive here, just as you are." -o $D/t/c.wav 2>/dev/null
  e=$(date +%s.%N)
  echo "$engine: the first clip alone takes $(echo "($e - $s) * 1000" | bc | cut -d. -f1) ms"
done
kill $ZERO; wait $ZERO 2>/dev/null || true
