#!/usr/bin/env python3
"""Launch to first audio frame, end to end, through a PulseAudio null sink.

    first-frame.py CMD...   (PULSE_SERVER etc. already set; sink kindly_null)

Reads the sink's monitor through `parec` with a small latency, timestamping
each chunk as it arrives, launches CMD, and reports the time from launch to
the arrival of the first chunk holding a non-silent sample. The monitor
receives a frame when the sink mixes it, so this counts the process's
start, its own start-up, and the sound server's prebuffering: what a
person waits before the sound can start. Prints milliseconds. CMD's
stderr is passed through (so `KINDLY_TRACE=1` lines show).
"""
import os, subprocess, sys, time, array

rec = subprocess.Popen(
    ["parec", "-d", "kindly_null.monitor", "--raw", "--format=s16le",
     "--rate=48000", "--channels=2", "--latency-msec=2"],
    stdout=subprocess.PIPE, bufsize=0)
fd = rec.stdout.fileno()
os.set_blocking(fd, False)
import select
# Let the recording settle, discarding what it holds.
end = time.monotonic() + 0.5
while time.monotonic() < end:
    select.select([fd], [], [], 0.05)
    try:
        os.read(fd, 1 << 16)
    except BlockingIOError:
        pass
t0 = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
first = None
carry = b""
limit = float(os.environ.get("FIRST_FRAME_TIMEOUT", "5"))
while time.monotonic() - t0 < limit:
    select.select([fd], [], [], 0.05)
    try:
        data = os.read(fd, 1 << 16)
    except BlockingIOError:
        continue
    now = time.monotonic()
    data = carry + data
    usable = len(data) // 2 * 2
    samples = array.array("h", data[:usable])
    carry = data[usable:]
    if any(abs(s) > 300 for s in samples):
        first = now - t0
        break
proc.terminate()
proc.wait()
rec.terminate()
rec.wait()
print("no sound" if first is None else "%.0f" % (first * 1000))
