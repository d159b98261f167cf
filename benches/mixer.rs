//! Mixer throughput without the disk: the reference session (20 min bed,
//! five bowls) mixed and converted to 16-bit in memory, best of 5.
//!
//! `cargo bench --bench mixer`. The end-to-end comparison with sox and a
//! raw write is `benches/compare-sox.sh`; this isolates the engine's share.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kindly::encode::{self, Spec};
use kindly::mixer::{Bank, Mixer, NoFiles};
use kindly::render::{render_to_writer, SampleFormat};
use kindly::session::{Gain, SoundRef};
use kindly::synth::{BedSound, Cue};
use kindly::timeline::{AudioEvent, Bed, Format, Frames, Role, TimedStep, Timeline};

fn reference() -> Timeline {
    let format = Format::default();
    let rate = format.rate;
    let secs = |s: u64| Frames::from_duration(Duration::from_secs(s), rate);
    let ring = Frames::from_duration(Cue::Bowl.length(), rate);
    let length = secs(20 * 60) + ring;
    let audio = (0..5)
        .map(|k| AudioEvent {
            at: secs(k * 300),
            sound: SoundRef::Cue(Cue::Bowl),
            gain: Gain::new_clamped(0.8),
            fade_in: Frames::ZERO,
            fade_out: Frames::ZERO,
            role: Role::Strike,
            until: None,
        })
        .collect();
    Timeline {
        id: "reference".into(),
        title: "reference".into(),
        format,
        gate: Duration::from_secs(20),
        steps: vec![TimedStep {
            index: 0,
            kind: "bell",
            theme: None,
            text: None,
            start: Frames::ZERO,
            length,
            gate: None,
            audio,
            display: vec![],
            line: None,
            speech_pending: false,
        }],
        ambience: Some(Bed {
            sound: SoundRef::Bed(BedSound::BrownNoise),
            gain: Gain::new_clamped(0.3),
            fade: secs(5),
        }),
        length,
        seed: None,
    }
}

/// Counts bytes and drops them: the engine's cost alone.
struct Sink(u64);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let timeline = Arc::new(reference());
    let started = Instant::now();
    let bank = Bank::for_timeline(&timeline);
    println!("bank (synthesis of bowl and bed): {:?}", started.elapsed());
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let mut mixer = Mixer::new(Arc::clone(&timeline), &bank, Arc::new(NoFiles));
        let mut sink = Sink(0);
        let started = Instant::now();
        let spec = Spec::new(encode::FileFormat::Wav, SampleFormat::Int16);
        render_to_writer(&mut mixer, &spec, &mut sink, &mut |_, _| {
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
        best = best.min(started.elapsed());
        assert_eq!(sink.0, 44 + timeline.length.0 * 4);
    }
    let audio = timeline.duration().as_secs_f64();
    println!(
        "mix + 16-bit encode of {audio:.0} s: best {best:?} ({:.0}x real time)",
        audio / best.as_secs_f64()
    );
}
