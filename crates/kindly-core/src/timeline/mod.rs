//! The timeline compiler: a `Session` becomes steps at exact frame offsets.
//!
//! Pure: no clock, no files, no device. The lengths of referenced audio
//! files come in through `SoundLengths`, which the caller fills by probing
//! the files at the edge. `kindly show`, `render` and `play` all use this,
//! so what `show` prints is what plays.

mod frames;

pub use frames::{Format, Frames};

use std::time::Duration;

use crate::session::{Ambience, Gain, Hold, Phase, Session, SoundRef, Step, StepKind, Theme};
use crate::synth::Cue;

/// How long a gated step (`hold = "key"`, `reflect`) lasts when nobody is
/// there to press a key: rendering, or playing without a terminal.
pub const DEFAULT_GATE: Duration = Duration::from_secs(20);

/// With a recorded voice and no written `hold`, the pause after the words.
pub(crate) const VOICE_SETTLE: Duration = Duration::from_secs(3);

/// The prompt cue sits under the words on screen, softer than a bell.
const PROMPT_CUE_GAIN: Gain = Gain::new_clamped(0.8);

/// Fades on clips and voices, so no file starts or stops with a click.
const CLIP_FADE: Duration = Duration::from_millis(10);

/// The length of each sound the session uses. Built-in sounds know their own
/// length; files are measured by the caller.
pub trait SoundLengths {
    fn length(&self, sound: &SoundRef) -> Option<Duration>;
}

/// Built-in lengths only: for sessions that use no files, and for tests.
pub struct BuiltinLengths;

impl SoundLengths for BuiltinLengths {
    fn length(&self, sound: &SoundRef) -> Option<Duration> {
        match sound {
            SoundRef::Cue(c) => Some(c.length()),
            SoundRef::Bed(b) => Some(b.loop_length()),
            SoundRef::File(_) => None,
        }
    }
}

/// Options that change how the session is laid out.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub format: Format,
    /// The length of a gate when nobody presses a key.
    pub gate: Duration,
    /// Where random interval bells (`interval = "3m..7m"`) fall: the same
    /// seed lays them out the same way (`--seed`).
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            format: Format::default(),
            gate: DEFAULT_GATE,
            seed: 0,
        }
    }
}

/// A compiled session.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub id: String,
    pub title: String,
    pub format: Format,
    pub gate: Duration,
    pub steps: Vec<TimedStep>,
    pub ambience: Option<Bed>,
    /// Sum of all step lengths.
    pub length: Frames,
    /// The seed random interval bells were laid out with; `None` when the
    /// session has none, so nothing depends on it.
    pub seed: Option<u64>,
}

/// The bed under the whole session.
#[derive(Debug, Clone, PartialEq)]
pub struct Bed {
    pub sound: SoundRef,
    pub gain: Gain,
    pub fade: Frames,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimedStep {
    pub index: usize,
    pub kind: &'static str,
    pub theme: Option<Theme>,
    pub text: Option<String>,
    pub start: Frames,
    pub length: Frames,
    /// Present when the step waits for a person.
    pub gate: Option<Gate>,
    /// Absolute frame offsets, sorted by `at`.
    pub audio: Vec<AudioEvent>,
    /// Absolute frame offsets, sorted by `at`.
    pub display: Vec<DisplayEvent>,
    /// The script line of the step, for messages.
    pub line: Option<usize>,
    /// Its words are still being synthesized: its length is an estimate,
    /// its voice is not in `audio` yet, and the mixer waits at its start
    /// until a timeline with the words replaces this one.
    pub speech_pending: bool,
}

impl TimedStep {
    pub fn end(&self) -> Frames {
        self.start + self.length
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// `hold = "key"`: any key goes on.
    Key,
    /// `reflect`: Enter goes on; `journal` asks for a typed answer.
    Reflect { journal: bool },
}

/// One sound starting.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioEvent {
    pub at: Frames,
    pub sound: SoundRef,
    pub gain: Gain,
    pub fade_in: Frames,
    pub fade_out: Frames,
    pub role: Role,
    /// A later bell begins here while this one still rings: the mixer
    /// fades this one out quickly from here (`DUCK_BELL`), so the new
    /// strike is heard clearly and rings do not pile up.
    pub until: Option<Frames>,
}

/// How quickly a ringing bell fades when a new one strikes over it: fast
/// enough to clear the way, slow enough not to click.
pub(crate) const DUCK_BELL: Duration = Duration::from_millis(150);

/// Why a sound plays; decides ducking and how displays describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Strike,
    IntervalBell,
    BreathCue,
    /// An `audio` step's file. The bed ducks under it.
    Clip,
    /// A prompt's recorded or spoken words. The bed ducks under it.
    Voice,
    /// The soft cue marking words that are shown but not spoken.
    PromptCue,
}

impl Role {
    /// Bells: a new one fades the ring of the one before (see `until`).
    pub(crate) fn is_bell(self) -> bool {
        matches!(self, Role::Strike | Role::IntervalBell)
    }

    pub(crate) fn ducks_bed(self) -> bool {
        matches!(self, Role::Clip | Role::Voice)
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Strike => "strike",
            Role::IntervalBell => "interval-bell",
            Role::BreathCue => "breath-cue",
            Role::Clip => "clip",
            Role::Voice => "voice",
            Role::PromptCue => "prompt-cue",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DisplayEvent {
    pub at: Frames,
    pub show: Show,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Show {
    Text(String),
    Phase { phase: Phase, length: Frames },
}

/// Why a session could not be laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingLength(pub SoundRef);

impl Timeline {
    pub fn compile(
        session: &Session,
        options: &Options,
        lengths: &dyn SoundLengths,
    ) -> Result<Timeline, MissingLength> {
        let rate = options.format.rate;
        let mut start = Frames::ZERO;
        let mut steps = Vec::with_capacity(session.steps.len());
        let mut random = false;
        for (index, step) in session.steps.iter().enumerate() {
            let timed = compile_step(index, step, start, options, lengths)?;
            random |= matches!(&step.kind, StepKind::Pause(p) if p.interval.is_some_and(|i| i.is_random()));
            start = timed.end();
            steps.push(timed);
        }
        duck_bells(&mut steps, rate, lengths);
        let ambience = session.ambience.as_ref().map(|a: &Ambience| Bed {
            sound: a.sound.clone(),
            gain: a.volume,
            fade: Frames::from_duration(a.fade, rate),
        });
        Ok(Timeline {
            id: session.id.clone(),
            title: session.title.clone(),
            format: options.format,
            gate: options.gate,
            steps,
            ambience,
            length: start,
            seed: random.then_some(options.seed),
        })
    }

    pub fn duration(&self) -> Duration {
        self.length.to_duration(self.format.rate)
    }

    /// The step playing at `frame`; the last step at or past the end.
    pub fn step_at(&self, frame: Frames) -> Option<usize> {
        if self.steps.is_empty() {
            return None;
        }
        let i = self.steps.partition_point(|s| s.start <= frame);
        Some(i.saturating_sub(1))
    }

    /// Whether any step still waits for its words.
    pub(crate) fn has_pending_speech(&self) -> bool {
        self.steps.iter().any(|s| s.speech_pending)
    }

    /// Every audio event in start order.
    pub fn audio_events(&self) -> impl Iterator<Item = &AudioEvent> {
        self.steps.iter().flat_map(|s| s.audio.iter())
    }
}

fn compile_step(
    index: usize,
    step: &Step,
    start: Frames,
    options: &Options,
    lengths: &dyn SoundLengths,
) -> Result<TimedStep, MissingLength> {
    let rate = options.format.rate;
    let frames = |d: Duration| Frames::from_duration(d, rate);
    let length_of = |s: &SoundRef| lengths.length(s).ok_or_else(|| MissingLength(s.clone()));
    let event = |at: Duration, sound: &SoundRef, gain: Gain, role: Role| AudioEvent {
        at: start + frames(at),
        sound: sound.clone(),
        gain,
        fade_in: Frames::ZERO,
        fade_out: Frames::ZERO,
        role,
        until: None,
    };
    let mut audio = Vec::new();
    let mut display = Vec::new();
    let mut gate = None;
    let pending = step.speech_pending;
    if let Some(cue) = &step.prompt_cue {
        audio.push(event(Duration::ZERO, cue, PROMPT_CUE_GAIN, Role::PromptCue));
    }
    if let Some(text) = step.kind.text() {
        display.push(DisplayEvent {
            at: start,
            show: Show::Text(text.to_owned()),
        });
    }

    let length: Duration = match &step.kind {
        StepKind::Bell(b) => {
            for k in 0..b.strikes {
                audio.push(event(b.spacing * k, &b.sound, b.volume, Role::Strike));
            }
            let rung = b.spacing * (b.strikes - 1) + length_of(&b.sound)?;
            b.hold.unwrap_or(rung)
        }
        StepKind::Prompt(p) => {
            let mut speech = Duration::ZERO;
            // A recorded clip wins over synthesized speech.
            let voice = p.voice.as_ref().or(step.spoken.as_ref());
            if let Some(voice) = voice {
                let sound = SoundRef::File(voice.clone());
                speech = length_of(&sound)?;
                let mut e = event(Duration::ZERO, &sound, Gain::UNITY, Role::Voice);
                e.fade_in = frames(CLIP_FADE);
                e.fade_out = frames(CLIP_FADE);
                if !(pending && p.voice.is_none()) {
                    audio.push(e);
                }
            }
            let after = match p.hold {
                Hold::For(d) => d,
                Hold::Reading(d) if voice.is_none() => d,
                Hold::Reading(_) => VOICE_SETTLE,
                Hold::Key => {
                    gate = Some(Gate::Key);
                    options.gate
                }
            };
            speech + after
        }
        StepKind::Pause(p) => {
            if let Some(interval) = p.interval {
                // Each pause draws its own bells, so two random pauses of
                // one session do not ring in step.
                let seed = crate::session::salted(options.seed, index as u64);
                for at in interval.times(p.duration, seed) {
                    audio.push(event(
                        at,
                        &p.interval_sound,
                        crate::session::Bell::DEFAULT_VOLUME,
                        Role::IntervalBell,
                    ));
                }
            }
            p.duration
        }
        StepKind::Breathe(b) => {
            let mut at = Duration::ZERO;
            for _ in 0..b.cycles() {
                for (phase, d) in b.pattern.phases() {
                    display.push(DisplayEvent {
                        at: start + frames(at),
                        show: Show::Phase {
                            phase: *phase,
                            length: frames(at + *d) - frames(at),
                        },
                    });
                    if let Some(cue) = b.cue.cue(*phase).map(SoundRef::Cue) {
                        audio.push(event(
                            at,
                            &cue,
                            breath_cue_gain(*phase, &cue),
                            Role::BreathCue,
                        ));
                    }
                    at += *d;
                }
            }
            at
        }
        StepKind::Audio(a) => {
            let sound = SoundRef::File(a.file.clone());
            let mut e = event(Duration::ZERO, &sound, a.volume, Role::Clip);
            e.fade_in = frames(CLIP_FADE);
            e.fade_out = frames(CLIP_FADE);
            audio.push(e);
            length_of(&sound)?
        }
        StepKind::Reflect(r) => {
            gate = Some(Gate::Reflect { journal: r.journal });
            options.gate
        }
    };
    // Other spoken steps: the words start with the step, which lasts at
    // least as long as they do. A reflect step's wait starts after them,
    // like a prompt's hold.
    let mut length = length;
    if let (Some(path), false) = (&step.spoken, matches!(step.kind, StepKind::Prompt(_))) {
        let sound = SoundRef::File(path.clone());
        let speech = length_of(&sound)?;
        let mut e = event(Duration::ZERO, &sound, Gain::UNITY, Role::Voice);
        e.fade_in = frames(CLIP_FADE);
        e.fade_out = frames(CLIP_FADE);
        if !pending {
            audio.insert(0, e);
        }
        length = match step.kind {
            StepKind::Reflect(_) => speech + length,
            _ => length.max(speech),
        };
    }
    Ok(TimedStep {
        index,
        kind: step.kind.name(),
        theme: step.theme,
        text: step.kind.text().map(str::to_owned),
        start,
        length: frames(length),
        gate,
        audio,
        display,
        line: step.line,
        speech_pending: pending && step.spoken.is_some(),
    })
}

/// Mark each bell that still rings when a later bell begins, so the new
/// one ducks it. The strikes of one bell step ring over each other, as
/// a bowl struck three times does; a bell from a later step, or an
/// interval bell, clears the ring before it. This is what lets an
/// interval be shorter than the bell's ring.
fn duck_bells(steps: &mut [TimedStep], rate: u32, lengths: &dyn SoundLengths) {
    // (step, event, role, end of its ring)
    let mut ringing: Vec<(usize, usize, Role, Frames)> = Vec::new();
    let mut marks: Vec<(usize, usize, Frames)> = Vec::new();
    for (s, step) in steps.iter().enumerate() {
        for (k, e) in step.audio.iter().enumerate() {
            if !e.role.is_bell() {
                continue;
            }
            ringing.retain(|&(rs, rk, role, end)| {
                if end <= e.at {
                    return false;
                }
                let layered = rs == s && role == Role::Strike && e.role == Role::Strike;
                if !layered {
                    marks.push((rs, rk, e.at));
                }
                layered
            });
            let ring = lengths
                .length(&e.sound)
                .map_or(u64::MAX, |d| Frames::from_duration(d, rate).0);
            ringing.push((s, k, e.role, Frames(e.at.0.saturating_add(ring))));
        }
    }
    for (s, k, at) in marks {
        steps[s].audio[k].until = Some(at);
    }
}

/// Breath cues are quieter than bells: a held breath gets only a whisper,
/// so the pacer guides without pulling attention to itself.
fn breath_cue_gain(phase: Phase, cue: &SoundRef) -> Gain {
    let base = match cue {
        SoundRef::Cue(Cue::Chime) => 0.35,
        _ => 0.5,
    };
    let scale = match phase {
        Phase::Inhale | Phase::Exhale => 1.0,
        Phase::HoldIn | Phase::HoldOut => 0.5,
    };
    Gain::new_clamped(base * scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{parse, Origin};
    use std::path::Path;

    fn compile_at(source: &str, rate: u32) -> Timeline {
        let session = crate::script::session_for_tests(source);
        let options = Options {
            format: Format { rate, channels: 2 },
            gate: Duration::from_secs(20),
            ..Options::default()
        };
        Timeline::compile(&session, &options, &BuiltinLengths).unwrap()
    }

    #[test]
    fn steps_follow_each_other_exactly() {
        // At 1 Hz every frame is a second: the schedule can be read off.
        let t = compile_at(
            "title = \"t\"\n\
             [[steps]]\nkind = \"bell\"\nsound = \"woodblock\"\nstrikes = 3\nspacing = 2\n\
             [[steps]]\nkind = \"pause\"\nduration = \"10s\"\ninterval = \"3s\"\ninterval_sound = \"chime\"\n\
             [[steps]]\nkind = \"prompt\"\ntext = \"go\"\nhold = \"key\"\n",
            1,
        );
        let starts: Vec<u64> = t.steps.iter().map(|s| s.start.0).collect();
        // Bell: 2 * 2 s + woodblock ring; pause 10 s; gate 20 s.
        let ring = Frames::from_duration(Cue::Woodblock.length(), 1).0;
        let bell_len = 4 + ring;
        assert_eq!(starts, vec![0, bell_len, bell_len + 10]);
        assert_eq!(t.length.0, bell_len + 30);
        let strikes: Vec<u64> = t.steps[0].audio.iter().map(|e| e.at.0).collect();
        assert_eq!(strikes, vec![0, 2, 4]);
        let bells: Vec<u64> = t.steps[1].audio.iter().map(|e| e.at.0 - bell_len).collect();
        assert_eq!(bells, vec![3, 6, 9]);
        assert_eq!(t.steps[2].gate, Some(Gate::Key));
    }

    #[test]
    fn breath_phases_are_display_and_audio_events() {
        let t = compile_at(
            "title = \"t\"\n[[steps]]\nkind = \"breathe\"\npattern = \"4-7-8\"\ncycles = 2\n",
            48_000,
        );
        let s = &t.steps[0];
        assert_eq!(s.length, Frames(19 * 2 * 48_000));
        let phases: Vec<(u64, Phase)> = s
            .display
            .iter()
            .filter_map(|d| match d.show {
                Show::Phase { phase, .. } => Some((d.at.0 / 48_000, phase)),
                _ => None,
            })
            .collect();
        assert_eq!(
            phases,
            vec![
                (0, Phase::Inhale),
                (4, Phase::HoldIn),
                (11, Phase::Exhale),
                (19, Phase::Inhale),
                (23, Phase::HoldIn),
                (30, Phase::Exhale)
            ]
        );
        assert_eq!(s.audio.len(), 6);
    }

    #[test]
    fn breathing_in_and_out_sound_different_and_holds_keep_the_tone_quieter() {
        let t = compile_at(
            "title = \"t\"\n[[steps]]\nkind = \"breathe\"\npattern = \"box\"\ncycles = 1\n",
            1,
        );
        let cues: Vec<(SoundRef, Gain)> = t.steps[0]
            .audio
            .iter()
            .map(|e| (e.sound.clone(), e.gain))
            .collect();
        let (high, low) = (
            SoundRef::Cue(Cue::SoftTone),
            SoundRef::Cue(Cue::SoftToneLow),
        );
        assert_eq!(
            cues,
            vec![
                (high.clone(), Gain::new_clamped(0.5)),
                (high, Gain::new_clamped(0.25)),
                (low.clone(), Gain::new_clamped(0.5)),
                (low, Gain::new_clamped(0.25)),
            ]
        );
    }

    #[test]
    fn any_rate_no_drift() {
        // Fractional phases at an odd rate: starts are sums of rounded
        // durations, so the total equals the rounded whole.
        let t = compile_at(
            "title = \"t\"\n[[steps]]\nkind = \"breathe\"\npattern = \"5.5-5.5\"\ncycles = 100\n",
            44_100,
        );
        assert_eq!(
            t.length,
            Frames::from_duration(Duration::from_secs(1100), 44_100)
        );
        assert_eq!(t.step_at(Frames(0)), Some(0));
        assert_eq!(t.step_at(Frames(u64::MAX)), Some(0));
    }

    /// Every file is 4 s long: a stand-in for synthesized speech.
    struct FourSeconds;
    impl SoundLengths for FourSeconds {
        fn length(&self, sound: &SoundRef) -> Option<Duration> {
            match sound {
                SoundRef::File(_) => Some(Duration::from_secs(4)),
                other => BuiltinLengths.length(other),
            }
        }
    }

    #[test]
    fn spoken_steps_make_room_for_the_words() {
        let mut session = crate::script::session_for_tests(
            "title = \"t\"\n\
             [[steps]]\nkind = \"prompt\"\ntext = \"a\"\nhold = 2\n\
             [[steps]]\nkind = \"prompt\"\ntext = \"b\"\n\
             [[steps]]\nkind = \"pause\"\nduration = 10\ntext = \"c\"\nspeak = true\n\
             [[steps]]\nkind = \"pause\"\nduration = 1\ntext = \"d\"\nspeak = true\n\
             [[steps]]\nkind = \"reflect\"\nquestion = \"e\"\nspeak = true\n",
        );
        for step in &mut session.steps {
            step.spoken = Some("/cache/x.wav".into());
        }
        let options = Options {
            format: Format {
                rate: 1,
                channels: 2,
            },
            gate: Duration::from_secs(20),
            ..Options::default()
        };
        let t = Timeline::compile(&session, &options, &FourSeconds).unwrap();
        let lengths: Vec<u64> = t.steps.iter().map(|s| s.length.0).collect();
        // hold after speech; settle after speech; pause at least as long
        // as its words; reflect's wait after them.
        assert_eq!(lengths, vec![4 + 2, 4 + 3, 10, 4, 4 + 20]);
        for s in &t.steps {
            assert_eq!(s.audio[0].role, Role::Voice);
            assert_eq!(s.audio[0].at, s.start);
        }
    }

    #[test]
    fn files_need_lengths() {
        let parsed = parse(
            "title = \"t\"\n[[steps]]\nkind = \"audio\"\nfile = \"a.wav\"\n",
            &Origin {
                id: "t",
                dir: Path::new("/s"),
            },
        );
        let err = Timeline::compile(
            &parsed.session.unwrap(),
            &Options::default(),
            &BuiltinLengths,
        )
        .unwrap_err();
        assert_eq!(err, MissingLength(SoundRef::File("/s/a.wav".into())));
    }
}
