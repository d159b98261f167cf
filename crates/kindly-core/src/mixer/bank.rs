//! `Bank`: the built-in sounds a timeline uses, rendered once at its format.
//!
//! Synthesis is pure but not free (a bowl is seconds of additive partials,
//! a rain loop tens of milliseconds), so each cue and bed is rendered once
//! per rate and shared by every strike through an `Arc`. `render` and the
//! tests have every sound rendered before the mixer starts. Live play
//! (`Bank::prepare`) renders only what the first moments need and leaves
//! the rest to background threads, so the first bell is not kept waiting
//! for a rain loop that fades in over five seconds anyway. Tests fill a bank
//! by hand with tiny exact buffers instead.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::session::SoundRef;
use crate::synth::{BedSound, Cue};
use crate::timeline::{Format, Frames, Timeline};

/// A rendered sound, or the promise of one: set once by whoever renders
/// it, then read by the audio thread with one atomic load and no lock.
#[derive(Debug, Clone)]
pub struct Rendered {
    data: Arc<OnceLock<Arc<Vec<f32>>>>,
    /// The length in frames, known before the sound is rendered, so the
    /// mixer can lay it out (and keep its place) while it is pending.
    pub(crate) frames: u64,
}

impl Rendered {
    /// `data`, interleaved at `channels`, already rendered.
    fn ready(data: Vec<f32>, channels: usize) -> Rendered {
        let r = Rendered::pending((data.len() / channels.max(1)) as u64);
        r.fill(data);
        r
    }

    fn pending(frames: u64) -> Rendered {
        Rendered {
            data: Arc::new(OnceLock::new()),
            frames,
        }
    }

    pub(crate) fn fill(&self, data: Vec<f32>) {
        let _ = self.data.set(Arc::new(data));
    }

    /// The samples, once rendered.
    #[inline]
    pub(crate) fn get(&self) -> Option<&Arc<Vec<f32>>> {
        self.data.get()
    }
}

/// Somewhere to keep rendered sounds between runs, so a session need not
/// synthesize its rain loop every time it starts (a tenth of a second of
/// CPU, which is most of what a two-minute session costs). The bank never
/// touches the disk itself: `play` passes the data folder's store
/// (`crate::sound_cache`), `render` and the tests none.
pub trait SoundStore: Send + Sync {
    /// The samples kept under `key`, if they are there, intact and `len`
    /// samples long.
    fn load(&self, key: &str, len: usize) -> Option<Vec<f32>>;
    /// Keep `samples` under `key`. A store that cannot is no worse off
    /// than having none: errors are the store's to swallow.
    fn store(&self, key: &str, samples: &[f32]);
}

/// Rendered built-in sounds at one format.
#[derive(Debug, Clone)]
pub struct Bank {
    format: Format,
    /// Mono.
    cues: HashMap<Cue, Rendered>,
    /// Seamless loops, interleaved at `format.channels`.
    beds: HashMap<BedSound, Rendered>,
}

/// How far ahead of the start `Bank::prepare` renders before play: the
/// cues heard this soon are rendered first, everything else meanwhile.
const LEAD: Duration = Duration::from_millis(500);
/// A bed fading in at least this slowly may come in late: its level over
/// the first tenth of a second is at most a tenth of its own.
const SLOW_FADE: Duration = Duration::from_secs(1);

impl Bank {
    pub fn new(format: Format) -> Bank {
        Bank {
            format,
            cues: HashMap::new(),
            beds: HashMap::new(),
        }
    }

    /// Every built-in sound `timeline` uses, rendered at its format before
    /// this returns: for `render`, where every frame must be exact.
    pub fn for_timeline(timeline: &Timeline) -> Bank {
        Bank::for_timeline_cached(timeline, None)
    }

    /// `for_timeline`, taking each sound from `store` when it has it (and
    /// offering it the ones it lacks): the stored sound is the rendered
    /// one bit for bit, so `render` writes the same bytes either way.
    pub fn for_timeline_cached(timeline: &Timeline, store: Option<&dyn SoundStore>) -> Bank {
        let mut bank = Bank::new(timeline.format);
        let all = sounds_in(timeline).into_iter().map(|(s, _)| s).collect();
        bank.render_now(all, store);
        bank
    }

    /// The sounds for playing `timeline` from frame `start` on a device:
    /// the cues heard within half a second of it are rendered before this
    /// returns; the rest render on background threads while the session
    /// begins. A sound still rendering when its time comes is silent until
    /// it is ready, in its place, so it comes in where it should. Only the
    /// bed of a session started from its beginning is left to the
    /// background although it starts at once, when it fades in from
    /// silence over a second or more (five by default): the tenth of a
    /// second it takes to render is lost in the fade.
    pub fn prepare(timeline: &Timeline, start: Frames, store: Option<Arc<dyn SoundStore>>) -> Bank {
        let mut bank = Bank::new(timeline.format);
        let rate = timeline.format.rate;
        let lead = start.0 + Frames::from_duration(LEAD, rate).0;
        let slow_fade = timeline
            .ambience
            .as_ref()
            .is_some_and(|a| a.fade >= Frames::from_duration(SLOW_FADE, rate));
        let (now, later): (Vec<_>, Vec<_>) =
            sounds_in(timeline).into_iter().partition(|(sound, first)| {
                let fades_in = matches!(sound, SoundRef::Bed(_)) && start.0 == 0 && slow_fade;
                first.0 < lead && !fades_in
            });
        bank.render_now(now.into_iter().map(|(s, _)| s).collect(), store.as_deref());
        // Soonest first: each sound gets its own thread, started in order.
        let format = bank.format;
        for (sound, _) in later {
            let Some(shape) = Shape::of(&sound, format) else {
                continue;
            };
            let slot = Rendered::pending(shape.frames as u64);
            bank.put(&sound, slot.clone());
            let job = {
                let (sound, store) = (sound.clone(), store.clone());
                move || slot.fill(cached(&sound, format, store.as_deref()))
            };
            let spawned = std::thread::Builder::new()
                .name("kindly-synth".into())
                .spawn(job);
            if spawned.is_err() {
                // No thread to spare: render it here, before play, instead.
                bank.render_now(vec![sound], store.as_deref());
            }
        }
        bank
    }

    /// Render `sounds` now (or take them from `store`), each on its own
    /// thread: each is a pure function of its kind and rate, so the bank
    /// is the same bit for bit however the work is split.
    fn render_now(&mut self, sounds: Vec<SoundRef>, store: Option<&dyn SoundStore>) {
        let format = self.format;
        let rendered = std::thread::scope(|scope| {
            let jobs: Vec<_> = sounds
                .into_iter()
                .filter_map(|sound| {
                    let shape = Shape::of(&sound, format)?;
                    let job = scope.spawn({
                        let sound = sound.clone();
                        move || cached(&sound, format, store)
                    });
                    Some((sound, shape, job))
                })
                .collect();
            jobs.into_iter()
                .map(|(sound, shape, job)| {
                    let data = job.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
                    (sound, Rendered::ready(data, shape.channels))
                })
                .collect::<Vec<_>>()
        });
        for (sound, r) in rendered {
            self.put(&sound, r);
        }
    }

    fn put(&mut self, sound: &SoundRef, r: Rendered) {
        match sound {
            SoundRef::Cue(c) => {
                self.cues.insert(*c, r);
            }
            SoundRef::Bed(b) => {
                self.beds.insert(*b, r);
            }
            SoundRef::File(_) => {}
        }
    }

    /// Use `mono` as the sound of `cue` (tests, and callers with their own).
    pub fn insert_cue(&mut self, cue: Cue, mono: Vec<f32>) {
        self.cues.insert(cue, Rendered::ready(mono, 1));
    }

    /// Use the stereo interleaved `stereo` loop as `bed`, converted to the
    /// bank's channel count.
    #[cfg(test)]
    pub(crate) fn insert_bed(&mut self, bed: BedSound, stereo: Vec<f32>) {
        let channels = usize::from(self.format.channels.max(1));
        let data = convert_bed(stereo, channels);
        self.beds.insert(bed, Rendered::ready(data, channels));
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Block until every sound is rendered, background ones included.
    pub fn wait(&self) {
        for r in self.cues.values().chain(self.beds.values()) {
            r.data.wait();
        }
    }

    /// Leave `sound` to be filled later through the returned slot (tests).
    #[cfg(test)]
    pub(crate) fn insert_pending(&mut self, sound: &SoundRef, frames: u64) -> Rendered {
        let slot = Rendered::pending(frames);
        self.put(sound, slot.clone());
        slot
    }

    pub fn cue(&self, cue: Cue) -> Option<Rendered> {
        self.cues.get(&cue).cloned()
    }

    pub(crate) fn bed(&self, bed: BedSound) -> Option<Rendered> {
        self.beds.get(&bed).cloned()
    }
}

/// A built-in sound's shape at a format, known without rendering it.
struct Shape {
    /// Its name, for the cache.
    name: &'static str,
    /// 1 for a cue; the format's channels for a bed.
    channels: usize,
    frames: usize,
}

impl Shape {
    /// `None` for a file: files are not built in.
    fn of(sound: &SoundRef, format: Format) -> Option<Shape> {
        let rate = format.rate;
        match sound {
            SoundRef::Cue(c) => Some(Shape {
                name: c.name(),
                channels: 1,
                frames: c.frames(rate),
            }),
            SoundRef::Bed(b) => Some(Shape {
                name: b.name(),
                channels: usize::from(format.channels.max(1)),
                frames: b.loop_frames(rate),
            }),
            SoundRef::File(_) => None,
        }
    }
}

/// A built-in sound at `format`, from `store` when it has it, else
/// rendered (and offered to `store`). Files are not built in: empty.
fn cached(sound: &SoundRef, format: Format, store: Option<&dyn SoundStore>) -> Vec<f32> {
    let Some(shape) = Shape::of(sound, format) else {
        return Vec::new();
    };
    let rate = format.rate;
    let key = format!(
        "{}-{rate}hz-{}ch-r{}",
        shape.name,
        shape.channels,
        crate::synth::REVISION
    );
    if let Some(data) = store.and_then(|s| s.load(&key, shape.frames * shape.channels)) {
        return data;
    }
    let data = match sound {
        SoundRef::Cue(c) => c.render(rate),
        SoundRef::Bed(b) => convert_bed(b.render_loop(rate), shape.channels),
        SoundRef::File(_) => Vec::new(),
    };
    if let Some(s) = store {
        s.store(&key, &data);
    }
    data
}

/// Each built-in sound `timeline` uses, once, with the frame it is first
/// heard at, soonest first.
fn sounds_in(timeline: &Timeline) -> Vec<(SoundRef, Frames)> {
    let mut found: Vec<(SoundRef, Frames)> = Vec::new();
    let events = timeline.audio_events().map(|e| (&e.sound, e.at));
    let bed = timeline.ambience.as_ref().map(|b| (&b.sound, Frames::ZERO));
    for (sound, at) in bed.into_iter().chain(events) {
        if matches!(sound, SoundRef::File(_)) {
            continue;
        }
        match found.iter_mut().find(|(s, _)| s == sound) {
            Some((_, first)) => *first = (*first).min(at),
            None => found.push((sound.clone(), at)),
        }
    }
    found.sort_by_key(|(_, at)| *at);
    found
}

/// A stereo bed loop at the bank's channel count. Stereo is kept as it
/// is, without a copy: a bed loop is the largest buffer kindly holds.
fn convert_bed(stereo: Vec<f32>, channels: usize) -> Vec<f32> {
    if channels == 2 {
        stereo
    } else {
        from_stereo(&stereo, channels)
    }
}

/// Stereo to `channels`: mono is the average; extra channels beyond two
/// get the average too, so a surround device hears the bed everywhere.
fn from_stereo(stereo: &[f32], channels: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(stereo.len() / 2 * channels);
    for f in stereo.chunks_exact(2) {
        let mid = 0.5 * (f[0] + f[1]);
        match channels {
            1 => out.push(mid),
            _ => {
                out.extend_from_slice(f);
                out.extend(std::iter::repeat_n(mid, channels - 2));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::session::Gain;
    use crate::timeline::{AudioEvent, Role, TimedStep};

    /// Woodblock at once, a bowl two seconds in, rain under it all.
    fn session(rate: u32, fade: Duration) -> Timeline {
        let at = |secs: u64, cue| AudioEvent {
            at: Frames(secs * u64::from(rate)),
            sound: SoundRef::Cue(cue),
            gain: Gain::UNITY,
            fade_in: Frames::ZERO,
            fade_out: Frames::ZERO,
            role: Role::Strike,
            until: None,
        };
        let length = Frames(20 * u64::from(rate));
        Timeline {
            id: "t".into(),
            title: "t".into(),
            format: Format { rate, channels: 2 },
            gate: Duration::from_secs(20),
            steps: vec![TimedStep {
                index: 0,
                kind: "pause",
                theme: None,
                text: None,
                start: Frames::ZERO,
                length,
                gate: None,
                audio: vec![at(0, Cue::Woodblock), at(2, Cue::Bowl)],
                display: vec![],
                line: None,
                speech_pending: false,
            }],
            ambience: Some(crate::timeline::Bed {
                sound: SoundRef::Bed(BedSound::Rain),
                gain: Gain::UNITY,
                fade: Frames::from_duration(fade, rate),
            }),
            length,
            seed: None,
        }
    }

    fn ready(bank: &Bank) -> Vec<&'static str> {
        let mut names: Vec<_> = (bank.cues.iter().map(|(c, r)| (c.name(), r)))
            .chain(bank.beds.iter().map(|(b, r)| (b.name(), r)))
            .filter(|(_, r)| r.get().is_some())
            .map(|(n, _)| n)
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn prepare_renders_the_first_moments_now_and_ends_with_the_whole_bank() {
        let t = session(4_000, Duration::from_secs(5));
        let bank = Bank::prepare(&t, Frames::ZERO, None);
        // The woodblock is heard at once: rendered before play.
        assert!(ready(&bank).contains(&"woodblock"));
        bank.wait();
        let whole = Bank::for_timeline(&t);
        assert_eq!(ready(&bank), ready(&whole));
        for (c, r) in &whole.cues {
            assert_eq!(bank.cues[c].get(), r.get(), "{}", c.name());
            assert_eq!(bank.cues[c].frames, r.frames);
        }
        for (b, r) in &whole.beds {
            assert_eq!(bank.beds[b].get(), r.get(), "{}", b.name());
            assert_eq!(bank.beds[b].frames, r.frames);
        }
    }

    /// A store in memory that counts what it is asked.
    #[derive(Default)]
    struct Memory {
        kept: std::sync::Mutex<HashMap<String, Vec<f32>>>,
        loads: std::sync::atomic::AtomicUsize,
    }

    impl SoundStore for Memory {
        fn load(&self, key: &str, len: usize) -> Option<Vec<f32>> {
            let kept = self.kept.lock().unwrap();
            let found = kept.get(key).filter(|d| d.len() == len).cloned();
            if found.is_some() {
                self.loads
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            found
        }

        fn store(&self, key: &str, samples: &[f32]) {
            self.kept
                .lock()
                .unwrap()
                .insert(key.to_owned(), samples.to_vec());
        }
    }

    #[test]
    fn a_store_keeps_each_sound_once_and_gives_it_back_unchanged() {
        let t = session(4_000, Duration::from_secs(5));
        let memory = Arc::new(Memory::default());
        let store = || Some(Arc::clone(&memory) as Arc<dyn SoundStore>);
        let first = Bank::prepare(&t, Frames::ZERO, store());
        first.wait();
        let mut keys: Vec<String> = memory.kept.lock().unwrap().keys().cloned().collect();
        keys.sort();
        let r = crate::synth::REVISION;
        assert_eq!(
            keys,
            [
                format!("bowl-4000hz-1ch-r{r}"),
                format!("rain-4000hz-2ch-r{r}"),
                format!("woodblock-4000hz-1ch-r{r}"),
            ]
        );
        let again = Bank::prepare(&t, Frames::ZERO, store());
        again.wait();
        assert_eq!(memory.loads.load(std::sync::atomic::Ordering::Relaxed), 3);
        let whole = Bank::for_timeline(&t);
        for (b, r) in &whole.beds {
            assert_eq!(again.beds[b].get(), r.get());
        }
        for (c, r) in &whole.cues {
            assert_eq!(again.cues[c].get(), r.get());
        }
    }

    #[test]
    fn a_bed_with_a_short_fade_or_a_later_start_is_rendered_before_play() {
        let quick = session(4_000, Duration::from_millis(100));
        assert!(ready(&Bank::prepare(&quick, Frames::ZERO, None)).contains(&"rain"));
        let slow = session(4_000, Duration::from_secs(5));
        // Started mid-session, the bed is heard at full level at once.
        assert!(ready(&Bank::prepare(&slow, Frames(4_000), None)).contains(&"rain"));
    }

    #[test]
    fn stereo_to_other_layouts() {
        assert_eq!(from_stereo(&[1.0, 0.0, 0.5, 0.5], 1), vec![0.5, 0.5]);
        assert_eq!(
            from_stereo(&[1.0, 0.0], 3),
            vec![1.0, 0.0, 0.5],
            "third channel gets the mid"
        );
    }
}
