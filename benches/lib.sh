# Shared by the playback benchmarks (play-cpu.sh, play-drift.sh): a private
# PulseAudio server with null sinks, ALSA's default device routed to it,
# stopped and removed when the script exits. Source it, then:
#
#   private_pulse SINK...     # sets D (its folder) and the client environment
#   ZERO=$(keep_awake SINK)   # a stream of zeros; kill $ZERO when done

private_pulse() {
  D=$(mktemp -d)
  trap 'kill $(cat $D/pid) 2>/dev/null; rm -rf $D' EXIT
  mkdir -p $D/run $D/home
  export XDG_RUNTIME_DIR=$D/run PULSE_RUNTIME_PATH=$D/run HOME=$D/home
  printf 'pcm.!default { type pulse }\nctl.!default { type pulse }\n' > $D/asound.conf
  local modules=() sink
  for sink in "$@"; do
    modules+=(-L "module-null-sink sink_name=$sink rate=48000")
  done
  pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit "${modules[@]}" \
    -L "module-native-protocol-unix socket=$D/native" >/dev/null 2>&1 & echo $! > $D/pid
  while [ ! -S $D/native ]; do sleep 0.05; done
  export PULSE_SERVER=unix:$D/native ALSA_CONFIG_PATH=$D/asound.conf
}

# An idle null sink sleeps for up to its maximum latency (about 2 s)
# before it mixes a new stream in, and its monitor never carries that
# stream's first moments; no real device does that. A low-latency stream
# of zeros keeps it waking every few milliseconds, as a sound card's clock
# would. Prints the stream's pid.
keep_awake() {
  pacat --playback -d "$1" --raw --format=s16le --rate=48000 --channels=2 \
    --latency-msec=10 /dev/zero >/dev/null 2>&1 &
  echo $!
  sleep 0.3
}
