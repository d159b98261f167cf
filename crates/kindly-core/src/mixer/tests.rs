//! Mixer tests at tiny sample rates, with exact frame values and an
//! in-memory `SoundSource`: every expectation can be worked out by hand.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::dsp::{DUCK_DEPTH, LIMIT_CEILING};
use super::*;
use crate::session::{Gain, SoundRef};
use crate::synth::{BedSound, Cue};
use crate::timeline::{AudioEvent, Bed, Format, Gate, Role, TimedStep, Timeline};

/// Files as vectors, interleaved at the mixer's channel count.
#[derive(Default)]
struct FakeFiles(HashMap<PathBuf, Vec<f32>>, usize);

struct FakeStream {
    data: Arc<[f32]>,
    at: usize,
}

impl FrameStream for FakeStream {
    fn read(&mut self, out: &mut [f32]) -> usize {
        let n = out.len().min(self.data.len() - self.at);
        out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        n
    }
}

impl SoundSource for FakeFiles {
    fn open(
        &self,
        sound: &SoundRef,
        from: Frames,
    ) -> Result<Box<dyn FrameStream>, super::source::OpenError> {
        let SoundRef::File(p) = sound else {
            unreachable!()
        };
        let data = self
            .0
            .get(p)
            .ok_or_else(|| format!("{}: not found", p.display()))?;
        let at = (from.0 as usize * self.1).min(data.len());
        Ok(Box::new(FakeStream {
            data: data.clone().into(),
            at,
        }))
    }

    fn frames(&self, sound: &SoundRef) -> Option<Frames> {
        let SoundRef::File(p) = sound else {
            return None;
        };
        self.0.get(p).map(|d| Frames((d.len() / self.1) as u64))
    }
}

fn file(name: &str) -> SoundRef {
    SoundRef::File(PathBuf::from(name))
}

fn ev(at: u64, sound: SoundRef, gain: f32, role: Role) -> AudioEvent {
    AudioEvent {
        at: Frames(at),
        sound,
        gain: Gain::new_clamped(gain),
        fade_in: Frames::ZERO,
        fade_out: Frames::ZERO,
        role,
        until: None,
    }
}

/// Steps of the given lengths back to back, events placed by absolute frame.
fn timeline(rate: u32, channels: u16, lengths: &[u64], events: Vec<AudioEvent>) -> Timeline {
    let mut start = 0;
    let mut steps = Vec::new();
    for (index, &len) in lengths.iter().enumerate() {
        let audio = events
            .iter()
            .filter(|e| e.at.0 >= start && (e.at.0 < start + len || index == lengths.len() - 1))
            .cloned()
            .collect();
        steps.push(TimedStep {
            index,
            kind: "pause",
            theme: None,
            text: None,
            start: Frames(start),
            length: Frames(len),
            gate: None,
            audio,
            display: vec![],
            line: None,
            speech_pending: false,
        });
        start += len;
    }
    Timeline {
        id: "t".into(),
        title: "t".into(),
        format: Format { rate, channels },
        gate: Duration::from_secs(20),
        steps,
        ambience: None,
        length: Frames(start),
        seed: None,
    }
}

fn mixer(t: Timeline, bank: Bank, files: FakeFiles) -> Mixer {
    Mixer::new(Arc::new(t), &bank, Arc::new(files))
}

fn render_all(m: &mut Mixer) -> Vec<f32> {
    let mut out = Vec::new();
    let mut buf = vec![0.0; 7 * usize::from(m.timeline().format.channels)];
    loop {
        let n = m.fill(&mut buf);
        out.extend_from_slice(&buf[..n]);
        if n < buf.len() {
            return out;
        }
    }
}

fn bank(rate: u32, channels: u16) -> Bank {
    let mut b = Bank::new(Format { rate, channels });
    b.insert_cue(Cue::Woodblock, vec![0.5, 0.25, 0.125]);
    b
}

#[test]
fn cues_start_on_their_exact_frames() {
    let wood = SoundRef::Cue(Cue::Woodblock);
    let t = timeline(
        10,
        2,
        &[6, 6],
        vec![
            ev(0, wood.clone(), 1.0, Role::Strike),
            ev(4, wood.clone(), 0.5, Role::Strike),
            ev(7, wood, 1.0, Role::IntervalBell),
        ],
    );
    let mut m = mixer(t, bank(10, 2), FakeFiles::default());
    let out = render_all(&mut m);
    let left: Vec<f32> = out.iter().step_by(2).copied().collect();
    assert_eq!(
        left,
        vec![0.5, 0.25, 0.125, 0.0, 0.25, 0.125, 0.0625, 0.5, 0.25, 0.125, 0.0, 0.0]
    );
    // Mono cues reach both channels equally.
    assert!(out.chunks(2).all(|f| f[0] == f[1]));
    assert!(m.is_finished());
    assert!(m.handle().finished());
    assert_eq!(m.handle().position(), Frames(12));
}

#[test]
fn file_sounds_fade_in_and_out_linearly() {
    let mut files = FakeFiles(HashMap::new(), 1);
    files.0.insert("v.wav".into(), vec![0.8; 10]);
    let mut e = ev(2, file("v.wav"), 0.5, Role::Clip);
    e.fade_in = Frames(4);
    e.fade_out = Frames(2);
    let t = timeline(10, 1, &[14], vec![e]);
    let out = render_all(&mut mixer(t, bank(10, 1), files));
    let expect: Vec<f32> = [
        0.0, 0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0, 0.0, 0.0,
    ]
    .iter()
    .map(|f| f * 0.8 * 0.5)
    .collect();
    assert_eq!(out, expect);
}

fn with_bed(
    mut t: Timeline,
    bank: &mut Bank,
    level: f32,
    loop_frames: usize,
    fade: u64,
) -> Timeline {
    // A bed whose every frame is distinct (a ramp), so loop positions show.
    let stereo: Vec<f32> = (0..loop_frames)
        .flat_map(|i| {
            let v = level * (1.0 + i as f32 / loop_frames as f32) / 2.0;
            [v, v]
        })
        .collect();
    bank.insert_bed(BedSound::Rain, stereo);
    t.ambience = Some(Bed {
        sound: SoundRef::Bed(BedSound::Rain),
        gain: Gain::UNITY,
        fade: Frames(fade),
    });
    t
}

#[test]
fn bed_fades_in_and_out_with_the_timeline() {
    let mut b = Bank::new(Format {
        rate: 10,
        channels: 1,
    });
    b.insert_bed(BedSound::Rain, vec![0.5, 0.5]);
    let mut t = timeline(10, 1, &[10], vec![]);
    t.ambience = Some(Bed {
        sound: SoundRef::Bed(BedSound::Rain),
        gain: Gain::new_clamped(0.5),
        fade: Frames(4),
    });
    let out = render_all(&mut mixer(t, b, FakeFiles::default()));
    let f: Vec<f32> = out.iter().map(|x| x / 0.25).collect();
    assert_eq!(
        f,
        vec![0.0, 0.25, 0.5, 0.75, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0]
    );
}

#[test]
fn bed_ducks_under_a_voice_with_attack_and_release() {
    // At 10 Hz: attack 300 ms = 3 frames, release 800 ms = 8 frames.
    let mut files = FakeFiles(HashMap::new(), 1);
    files.0.insert("voice.wav".into(), vec![0.0; 5]);
    let mut b = Bank::new(Format {
        rate: 10,
        channels: 1,
    });
    b.insert_bed(BedSound::Rain, vec![0.5, 0.5]);
    let mut t = timeline(
        10,
        1,
        &[30],
        vec![ev(10, file("voice.wav"), 1.0, Role::Voice)],
    );
    t.ambience = Some(Bed {
        sound: SoundRef::Bed(BedSound::Rain),
        gain: Gain::UNITY,
        fade: Frames(0),
    });
    let out = render_all(&mut mixer(t, b, files));
    let env: Vec<f32> = out
        .iter()
        .map(|x| ((1.0 - x / 0.5) / (1.0 - DUCK_DEPTH) * 1000.0).round() / 1000.0)
        .collect();
    let expect = [
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, // before the attack
        0.333, 0.667, // attack: down by the voice's first frame
        1.0, 1.0, 1.0, 1.0, 1.0, // the voice, frames 10..15
        1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0.0, // release
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    ];
    assert_eq!(env, expect);
}

#[test]
fn loud_mixes_are_limited_below_the_ceiling() {
    let mut b = Bank::new(Format {
        rate: 10,
        channels: 2,
    });
    b.insert_cue(Cue::Gong, vec![1.0, -1.0, 0.7, 0.5]);
    let gong = SoundRef::Cue(Cue::Gong);
    let t = timeline(
        10,
        2,
        &[8],
        (0..4)
            .map(|_| ev(0, gong.clone(), 1.0, Role::Strike))
            .collect(),
    );
    let out = render_all(&mut mixer(t, b, FakeFiles::default()));
    assert!(out.iter().all(|x| x.abs() <= LIMIT_CEILING));
    assert!(out[0] > 0.88 && out[2] < -0.88);
    // Four strikes of 0.5 sum to 2.0, limited; silence stays silence.
    assert_eq!(&out[8..], &[0.0; 8]);
}

#[test]
fn pause_holds_the_clock_and_resumes_exactly() {
    let wood = SoundRef::Cue(Cue::Woodblock);
    let make = || {
        let t = timeline(10, 1, &[10], vec![ev(1, wood.clone(), 1.0, Role::Strike)]);
        mixer(t, bank(10, 1), FakeFiles::default())
    };
    let expect = render_all(&mut make());
    let mut m = make();
    let h = m.handle();
    let mut buf = [0.0; 2];
    m.fill(&mut buf);
    assert_eq!(h.position(), Frames(2));
    h.set_paused(true);
    let mut silent = [1.0; 5];
    assert_eq!(m.fill(&mut silent), 5);
    assert_eq!(silent, [0.0; 5]);
    assert_eq!(h.position(), Frames(2));
    h.set_paused(false);
    let rest = render_all(&mut m);
    assert_eq!([&buf[..], &rest[..]].concat(), expect);
}

fn gated(armed: bool) -> (Mixer, MixerHandle) {
    let wood = SoundRef::Cue(Cue::Woodblock);
    let mut b = bank(10, 1);
    let mut t = timeline(10, 1, &[2, 4, 3], vec![ev(6, wood, 1.0, Role::Strike)]);
    t.steps[1].gate = Some(Gate::Key);
    let t = with_bed(t, &mut b, 0.1, 5, 0);
    let m = mixer(t, b, FakeFiles::default());
    let h = m.handle();
    h.set_gates_armed(armed);
    (m, h)
}

#[test]
fn armed_gate_holds_until_released() {
    let (mut m, h) = gated(true);
    let mut buf = [0.0; 20];
    assert_eq!(m.fill(&mut buf), 20, "holding is not the end");
    assert_eq!(h.position(), Frames(6));
    assert!(h.holding());
    // The bed played on through the hold: 20 distinct loop frames.
    assert!(buf.iter().all(|&x| x > 0.0));
    assert!(!h.finished());
    h.release_gate();
    let mut rest = [0.0; 3];
    assert_eq!(m.fill(&mut rest), 3);
    assert!(!h.holding());
    // The woodblock at the next step's first frame, on top of the bed,
    // which is at loop position 20 mod 5 = 0.
    assert_eq!(rest[0], 0.5 + 0.05);
    assert_eq!(h.position(), Frames(9));
    assert_eq!(m.fill(&mut rest), 0);
    assert!(h.finished());
    // The 14 frames made while held (20 filled, 6 of them timeline) are
    // the time the person spent at the gate; nothing after adds to it.
    assert_eq!(h.held(), Frames(14));
}

#[test]
fn unarmed_gate_is_just_its_compiled_length() {
    let (mut m, h) = gated(false);
    let out = render_all(&mut m);
    assert_eq!(out.len(), 9);
    assert!(!h.holding());
    assert_eq!(out[6], 0.5 + 0.1 * (1.0 + 1.0 / 5.0) / 2.0);
}

#[test]
fn release_inside_a_gated_step_skips_to_the_next() {
    let (mut m, h) = gated(true);
    let mut buf = [0.0; 3];
    m.fill(&mut buf);
    assert_eq!(h.position(), Frames(3));
    h.release_gate();
    m.fill(&mut buf);
    assert_eq!(h.position(), Frames(9));
    assert_eq!(buf[0], 0.5 + 0.1 * (1.0 + 1.0 / 5.0) / 2.0);
}

/// A session with everything that carries state across step boundaries:
/// a bed whose loop does not divide the steps, a built-in bed fade, cues
/// and file sounds that ring into the next steps, ducking, the limiter, a
/// file bed.
fn busy(file_bed: bool) -> Mixer {
    busy_with(file("voice.wav"), file_bed)
}

/// `busy(false)` with every sound built in: the voice is a rendered
/// clip, so the whole timeline can be forked.
fn busy_built_in() -> Mixer {
    busy_with(SoundRef::Cue(Cue::Chime), false)
}

fn busy_with(voice: SoundRef, file_bed: bool) -> Mixer {
    let rate = 20;
    let mut files = FakeFiles(HashMap::new(), 2);
    let clip: Vec<f32> = (0..26).flat_map(|i| [i as f32 / 100.0, 0.1]).collect();
    files.0.insert("voice.wav".into(), clip);
    let amb: Vec<f32> = (0..23)
        .flat_map(|i| [0.3 + i as f32 / 100.0, -0.2])
        .collect();
    files.0.insert("amb.ogg".into(), amb);
    let mut b = Bank::new(Format { rate, channels: 2 });
    b.insert_cue(Cue::Bowl, (0..17).map(|i| 0.4 - i as f32 * 0.02).collect());
    b.insert_cue(Cue::Chime, (0..26).map(|i| i as f32 / 30.0).collect());
    let bowl = SoundRef::Cue(Cue::Bowl);
    let mut voice = ev(12, voice, 0.9, Role::Voice);
    voice.fade_in = Frames(3);
    voice.fade_out = Frames(4);
    let t = timeline(
        rate,
        2,
        &[10, 9, 13, 11, 8],
        vec![
            ev(0, bowl.clone(), 1.0, Role::Strike),
            ev(8, bowl.clone(), 0.7, Role::Strike),
            voice,
            // Loud enough together to reach the limiter.
            ev(25, bowl.clone(), 2.5, Role::BreathCue),
            ev(26, bowl.clone(), 2.5, Role::BreathCue),
            ev(40, bowl, 1.0, Role::IntervalBell),
        ],
    );
    let mut t = with_bed(t, &mut b, 0.5, 7, 6);
    if file_bed {
        t.ambience.as_mut().unwrap().sound = file("amb.ogg");
    }
    mixer(t, b, files)
}

#[test]
fn a_fork_makes_exactly_the_frames_after_its_point() {
    let full = render_all(&mut busy_built_in());
    assert_eq!(full.len(), 51 * 2);
    assert!(
        full.iter().any(|x| x.abs() > dsp::LIMIT_KNEE),
        "reaches the limiter"
    );
    for at in 1..51usize {
        let mut first = busy_built_in();
        let mut rest = first.fork_at(Frames(at as u64)).expect("all built in");
        let mut head = vec![0.0; at * 2];
        assert_eq!(first.fill(&mut head), at * 2);
        let tail = render_all(&mut rest);
        assert!(head == full[..at * 2], "the first part, split at {at}");
        assert!(tail == full[at * 2..], "the second part, split at {at}");
    }
    // Only strictly inside what is left.
    let m = busy_built_in();
    assert!(m.fork_at(Frames(0)).is_none());
    assert!(m.fork_at(Frames(51)).is_none());
}

#[test]
fn no_fork_where_it_could_differ() {
    // A file streams: its decoder would seek only approximately.
    assert!(busy(false).fork_at(Frames(20)).is_none());
    assert!(busy(true).fork_at(Frames(20)).is_none());
    // A gate could hold, the volume is ramping, or it is paused.
    let m = busy_built_in();
    m.handle().set_gates_armed(true);
    assert!(m.fork_at(Frames(20)).is_none());
    let m = busy_built_in();
    m.handle().set_volume(Gain::new_clamped(0.5));
    assert!(m.fork_at(Frames(1)).is_none(), "still ramping there");
    let m = busy_built_in();
    m.handle().set_paused(true);
    assert!(m.fork_at(Frames(20)).is_none());
}

#[test]
fn a_fork_plays_at_the_volume_it_was_forked_at() {
    // As render sets it: before the first frame, so the mix ramps to it
    // (over one frame at 20 Hz) and the fork starts at it.
    let quiet = || {
        let m = busy_built_in();
        m.handle().set_volume(Gain::new_clamped(0.5));
        m
    };
    let full = render_all(&mut quiet());
    assert!(full != render_all(&mut busy_built_in()));
    for at in 2..51usize {
        let mut first = quiet();
        let mut rest = first.fork_at(Frames(at as u64)).expect("past the ramp");
        let mut head = vec![0.0; at * 2];
        first.fill(&mut head);
        assert!(head == full[..at * 2], "split at {at}");
        assert!(render_all(&mut rest) == full[at * 2..], "split at {at}");
    }
}

#[test]
fn rendering_from_any_step_equals_the_tail_of_the_full_render() {
    for file_bed in [false, true] {
        let full = render_all(&mut busy(file_bed));
        assert_eq!(full.len(), 51 * 2);
        let steps: Vec<u64> = busy(file_bed)
            .timeline()
            .steps
            .iter()
            .map(|s| s.start.0)
            .collect();
        for (k, start) in steps.into_iter().enumerate() {
            let mut m = busy(file_bed);
            m.seek_to_step(k);
            let tail = render_all(&mut m);
            assert_eq!(
                tail,
                full[start as usize * 2..],
                "file bed {file_bed}, from step {k}"
            );
            // Through the handle, at a block boundary, as play does it.
            let mut m = busy(file_bed);
            let mut first = [0.0; 6];
            m.fill(&mut first);
            m.handle().seek_to_step(k);
            assert_eq!(render_all(&mut m), full[start as usize * 2..]);
        }
    }
}

#[test]
fn file_bed_loops_with_an_equal_power_crossfade() {
    // A 1 kHz rate gives a 75-frame crossfade over a 400-frame file.
    let mut files = FakeFiles(HashMap::new(), 1);
    files.0.insert("amb.wav".into(), vec![0.5; 400]);
    let mut t = timeline(1000, 1, &[1000], vec![]);
    t.ambience = Some(Bed {
        sound: file("amb.wav"),
        gain: Gain::UNITY,
        fade: Frames(0),
    });
    let out = render_all(&mut mixer(
        t,
        Bank::new(Format {
            rate: 1000,
            channels: 1,
        }),
        files,
    ));
    // Constant in, constant-power out: within the crossfade the level
    // bulges by at most sqrt(2) and never dips (no gap at the seam).
    assert!(
        out.iter().all(|&x| (0.5..=0.5 * 1.415).contains(&x)),
        "{out:?}"
    );
    assert_eq!(out[75..325], [0.5; 250]);
    assert!(out[325 + 37] > 0.7, "mid-crossfade, both halves sound");
}

#[test]
fn master_volume_ramps_without_steps() {
    let mut b = Bank::new(Format {
        rate: 100,
        channels: 1,
    });
    b.insert_bed(BedSound::Rain, vec![0.5, 0.5]);
    let mut t = timeline(100, 1, &[20], vec![]);
    t.ambience = Some(Bed {
        sound: SoundRef::Bed(BedSound::Rain),
        gain: Gain::UNITY,
        fade: Frames(0),
    });
    let mut m = mixer(t, b, FakeFiles::default());
    m.handle().set_volume(Gain::new_clamped(0.0));
    assert_eq!(m.handle().volume(), Gain::SILENT);
    let out = render_all(&mut m);
    // 30 ms at 100 Hz: three frames of ramp, then silence.
    let expect = [0.5 * (2.0 / 3.0), 0.5 * (1.0 / 3.0), 0.0, 0.0];
    for (o, e) in out[..4].iter().zip(expect) {
        assert!((o - e).abs() < 1e-6, "{o} vs {e}");
    }
    assert!(out[4..].iter().all(|&x| x == 0.0));
}

#[test]
fn a_pending_cue_is_silent_in_its_place_and_comes_in_when_ready() {
    let wood = SoundRef::Cue(Cue::Woodblock);
    let t = timeline(10, 1, &[6], vec![ev(1, wood, 1.0, Role::Strike)]);
    let mut b = Bank::new(Format {
        rate: 10,
        channels: 1,
    });
    let slot = b.insert_pending(&SoundRef::Cue(Cue::Woodblock), 3);
    let mut m = mixer(t, b, FakeFiles::default());
    let mut head = [9.0; 3];
    assert_eq!(m.fill(&mut head), 3);
    assert_eq!(head, [0.0; 3], "not rendered yet: silence");
    slot.fill(vec![0.5, 0.25, 0.125]);
    // It started at frame 1; frame 3 is its third sample.
    assert_eq!(render_all(&mut m), vec![0.125, 0.0, 0.0]);
}

#[test]
fn a_pending_bed_keeps_its_place_and_matches_the_render_once_ready() {
    let make = || {
        let mut b = Bank::new(Format {
            rate: 10,
            channels: 1,
        });
        let t = with_bed(timeline(10, 1, &[12], vec![]), &mut b, 0.5, 4, 0);
        (t, b)
    };
    let (t, b) = make();
    let whole = render_all(&mut mixer(t, b, FakeFiles::default()));

    let (t, mut b) = make();
    let slot = b.insert_pending(&SoundRef::Bed(BedSound::Rain), 4);
    assert!(b.bed(BedSound::Rain).unwrap().get().is_none());
    let mut m = mixer(t, b, FakeFiles::default());
    let mut head = [9.0; 5];
    assert_eq!(m.fill(&mut head), 5);
    assert_eq!(head, [0.0; 5]);
    // The same ramp `with_bed` made, in mono.
    slot.fill((0..4).map(|i| 0.5 * (1.0 + i as f32 / 4.0) / 2.0).collect());
    assert_eq!(render_all(&mut m), whole[5..]);
}

#[test]
fn a_file_that_cannot_be_opened_is_left_out_and_reported_once() {
    let t = timeline(10, 1, &[4], vec![ev(1, file("gone.wav"), 1.0, Role::Clip)]);
    let mut m = mixer(t, bank(10, 1), FakeFiles(HashMap::new(), 1));
    let handle = m.handle();
    assert_eq!(render_all(&mut m), vec![0.0; 4], "silence in its place");
    assert_eq!(handle.take_failed(), Some(file("gone.wav")));
    assert_eq!(handle.take_failed(), None);
}

#[test]
fn a_seek_is_published_before_anything_is_mixed() {
    let t = timeline(10, 1, &[4, 4, 4], vec![]);
    let mut m = mixer(t, bank(10, 1), FakeFiles::default());
    m.seek_to_step(2);
    assert_eq!(m.handle().position(), Frames(8));
}

/// Step 1 (frames 2..5) waits for its words; the bed plays on meanwhile.
fn awaiting_words() -> (Mixer, MixerHandle, Timeline, Bank) {
    let mut b = bank(10, 1);
    let mut t = timeline(10, 1, &[2, 3, 2], vec![]);
    t.steps[1].speech_pending = true;
    let t = with_bed(t, &mut b, 0.1, 5, 0);
    let m = mixer(t.clone(), b.clone(), FakeFiles::default());
    let h = m.handle();
    (m, h, t, b)
}

#[test]
fn a_step_waits_at_its_start_for_its_words() {
    let (mut m, h, _, _) = awaiting_words();
    let mut buf = [0.0; 12];
    // Not the end: the timeline stands at step 1's start, the bed goes on.
    assert_eq!(m.fill(&mut buf), 12);
    assert_eq!(h.position(), Frames(2));
    assert!(h.waiting_for_words());
    assert!(!h.holding(), "waiting for words is not a gate");
    assert!(buf.iter().all(|&x| x > 0.0));
    // Nothing a person presses at a gate moves it on.
    h.release_gate();
    assert_eq!(m.fill(&mut buf), 12);
    assert_eq!(h.position(), Frames(2));
}

#[test]
fn words_that_arrive_start_on_the_steps_first_frame_and_move_what_follows() {
    let (mut m, h, mut t, b) = awaiting_words();
    let mut buf = [0.0; 4];
    m.fill(&mut buf);
    assert!(h.waiting_for_words());
    // The words turned out 4 frames long, not the 3 estimated: step 1 and
    // everything after it move; step 0 is untouched.
    let words: Vec<f32> = vec![0.5; 4];
    let files = FakeFiles([(PathBuf::from("w.wav"), words)].into(), 1);
    t.steps[1].speech_pending = false;
    t.steps[1].length = Frames(4);
    t.steps[1].audio = vec![ev(2, file("w.wav"), 1.0, Role::Voice)];
    t.steps[2].start = Frames(6);
    t.length = Frames(8);
    h.replace(Replacement::new(Arc::new(t), &b, Arc::new(files)));
    let rest = render_all(&mut m);
    assert!(!h.waiting_for_words());
    assert_eq!(rest.len(), 6, "the step's 4 frames and the last step's 2");
    // The words on the first frame after the wait, over the ducked bed.
    assert!(rest[..4].iter().all(|&x| x > 0.5), "{rest:?}");
    assert!(rest[4..].iter().all(|&x| x < 0.2), "{rest:?}");
    assert_eq!(m.timeline().length, Frames(8));
}

#[test]
fn a_replacement_keeps_the_place_in_a_step_that_moved() {
    // The person skipped to step 2 while step 1 still waited for words.
    let (mut m, h, mut t, b) = awaiting_words();
    m.seek_to_step(2);
    let mut buf = [0.0; 1];
    m.fill(&mut buf);
    assert_eq!(h.position(), Frames(6));
    // Step 1's words made it 5 frames long, not 3: step 2 now starts at 7.
    t.steps[1].speech_pending = false;
    t.steps[1].length = Frames(5);
    t.steps[2].start = Frames(7);
    t.length = Frames(9);
    h.replace(Replacement::new(
        Arc::new(t),
        &b,
        Arc::new(FakeFiles::default()),
    ));
    m.fill(&mut buf);
    // One frame into step 2 before, two now: the place in the step is kept.
    assert_eq!(h.position(), Frames(9));
}

#[test]
fn a_new_bell_ducks_the_ring_before_it() {
    // A long ring at 20 Hz; the duck takes 150 ms, three frames. Quiet
    // enough that the limiter leaves the sum alone.
    let mut b = Bank::new(Format {
        rate: 20,
        channels: 1,
    });
    b.insert_cue(Cue::Bowl, vec![1.0; 12]);
    let bowl = SoundRef::Cue(Cue::Bowl);
    let mut first = ev(0, bowl.clone(), 0.25, Role::Strike);
    first.until = Some(Frames(4));
    let second = ev(4, bowl, 0.25, Role::IntervalBell);
    let t = timeline(20, 1, &[20], vec![first, second]);
    let out = render_all(&mut mixer(t, b, FakeFiles::default()));
    assert!(out[..4].iter().all(|s| *s == 0.25), "{out:?}");
    // Both ring while the first fades (2/3, 1/3, then nothing).
    let fading = &out[4..6];
    assert!(fading.windows(2).all(|w| w[0] > w[1]), "{out:?}");
    assert!(fading.iter().all(|s| *s > 0.25 && *s <= 0.5), "{out:?}");
    // Then only the new bell: without the duck this would be 0.5 until
    // frame 12.
    assert!(out[6..16].iter().all(|s| *s == 0.25), "{out:?}");
    assert!(out[16..].iter().all(|s| *s == 0.0), "{out:?}");
}
