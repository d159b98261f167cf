//! Spoken guidance: which steps are spoken, by which engine, and the cache key.
//!
//! Pure here: `plan` (which steps), `engine` (the recipes for the offline
//! engines kindly knows, and `choose`), `speech` (sentences, pace, one
//! loudness), the cache key. A person's own command is a template (argv
//! with `{text}` where the words go); the words fill that one argument and
//! are never seen by a shell. A synthesized clip is a WAV file in the
//! cache, named by a hash of everything that changes its sound, so the
//! same words in the same voice are synthesized once. `run` is the edge
//! that starts the program and writes the cache; `detect` the edge that
//! looks for installed engines.
//!
//! Invariant: the engine and any command come only from the user's config
//! file or flags. A session script supplies words, never a program or an
//! argument of its own choosing (the script checker refuses any attempt,
//! see `script::validate`).

mod detect;
pub(crate) mod engine;
mod run;
pub(crate) mod speech;

use std::time::Duration;

use sha2::{Digest, Sha256};

pub(crate) use detect::{installed, Found};
pub(crate) use engine::{choose, Choice, Engine, Recipe, Wanted, Why};
pub(crate) use run::{cached_length, plan_clips, speak, synthesize, Done, Job, Pool};
pub(crate) use speech::Shape;

/// Where the text goes in a voice command from config.toml: the words are
/// passed as that one argument.
pub(crate) const PLACEHOLDER: &str = "{text}";

use crate::session::{Session, SoundRef, StepKind};

/// Bumped whenever `speech` changes what a clip sounds like, so no stale
/// clip is played after an upgrade.
const PIPELINE: &str = "kindly-voice-2";

/// A voice ready to speak: how to run it, how to shape its clips, and the
/// longest one sentence may take.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Voice {
    pub recipe: Recipe,
    pub shape: Shape,
    pub timeout: Duration,
}

impl Voice {
    /// The cache file's name for `text`: covers the recipe (program,
    /// arguments with the rate and model, how text goes in and out), the
    /// pause, the pipeline's revision and loudness target, and the words.
    pub(crate) fn cache_key(&self, text: &str) -> String {
        let mut parts = self.recipe.argv.clone();
        parts.push(format!(
            "{:?}/{:?}",
            self.recipe.text_in, self.recipe.wav_out
        ));
        parts.push(format!(
            "{PIPELINE} pause={}ms lufs={} rate={}",
            self.shape.pause.as_millis(),
            speech::TARGET_LUFS,
            speech::RATE
        ));
        cache_key(&parts, text)
    }
}

/// Give the steps that should have been spoken, but are not, the prompt
/// cue at their start, so a person with closed eyes hears that there is
/// something new to read. Pure.
pub(crate) fn mark_unspoken(session: &mut Session, speak_prompts: bool, cue: Option<&SoundRef>) {
    let Some(cue) = cue else { return };
    let wanted: Vec<usize> = plan(session, speak_prompts)
        .iter()
        .map(|u| u.step)
        .collect();
    for i in wanted {
        if let Some(step) = session.steps.get_mut(i) {
            if step.spoken.is_none() {
                step.prompt_cue = Some(cue.clone());
            }
        }
    }
}

/// Words to synthesize for one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Utterance {
    /// Index into `session.steps`.
    pub step: usize,
    pub text: String,
}

/// The steps to speak, in order: prompts (unless `speak = false`, or
/// `speak_prompts` is off and they do not ask), any step with
/// `speak = true`, never a prompt with a recorded `voice`.
pub(crate) fn plan(session: &Session, speak_prompts: bool) -> Vec<Utterance> {
    session
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, step)| {
            let wanted = match &step.kind {
                StepKind::Prompt(p) if p.voice.is_some() => false,
                StepKind::Prompt(_) => step.speak.unwrap_or(speak_prompts),
                _ => step.speak == Some(true),
            };
            let text = speakable(step.kind.text()?);
            (wanted && !text.is_empty()).then_some(Utterance { step: i, text })
        })
        .collect()
}

/// The words as the program receives them. Control characters become
/// spaces (a NUL could not be passed at all), and words that start with
/// `-` get a leading space, so that no prompt can be read as an option
/// such as espeak-ng's `-w FILE`.
pub(crate) fn speakable(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.starts_with('-') {
        format!(" {trimmed}")
    } else {
        trimmed.to_owned()
    }
}

/// The cache file's name for `text` in the voice `command`: SHA-256 of an
/// unambiguous encoding (a version tag, then each argument and the text,
/// each prefixed by its length), as hex. SHA-256 is a fixed standard, so
/// the names stay the same across versions, platforms and builds, and a
/// collision that plays the wrong words is not a practical concern.
pub(crate) fn cache_key(command: &[String], text: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"kindly-voice-1\0");
    h.update((command.len() as u64).to_le_bytes());
    for part in command.iter().map(String::as_str).chain([text]) {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut hex = String::with_capacity(digest.len() * 2 + 4);
    for b in digest.iter() {
        hex.push_str(&format!("{b:02x}"));
    }
    hex.push_str(".wav");
    hex
}

/// Why bytes from a voice command are not a usable WAV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WavProblem {
    NotWav,
    NoData,
}

/// Make a streamed WAV's sizes true. A program writing WAV to a pipe
/// cannot seek back to fill in the sizes, so espeak-ng (and others) put a
/// placeholder such as 0x7ffff000 there; the audio probe rightly calls
/// such a file truncated. This sets the RIFF size and the `data` chunk's
/// size to what was actually written.
pub(crate) fn fix_wav_sizes(bytes: &mut [u8]) -> Result<(), WavProblem> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(WavProblem::NotWav);
    }
    let total = u32::try_from(bytes.len() - 8).map_err(|_| WavProblem::NotWav)?;
    bytes[4..8].copy_from_slice(&total.to_le_bytes());
    let mut at = 12usize;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        if id == b"data" {
            let actual = (bytes.len() - at - 8) as u32;
            if actual == 0 {
                return Err(WavProblem::NoData);
            }
            // 0 and 0xFFFFFFFF are what programs writing into a pipe put
            // here (text2wave, ffmpeg, sox); a size past the end, a cut.
            if size == 0 || size > actual {
                bytes[at + 4..at + 8].copy_from_slice(&actual.to_le_bytes());
            }
            return Ok(());
        }
        // Chunks are padded to an even length.
        let next = (size as usize).saturating_add(size as usize & 1);
        at = at.saturating_add(8).saturating_add(next);
    }
    Err(WavProblem::NoData)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(src: &str) -> Session {
        crate::test_support::session(src)
    }

    #[test]
    fn what_is_spoken() {
        let s = session(
            "title = \"t\"\n\
             [[steps]]\nkind = \"bell\"\ntext = \"Arriving.\"\n\
             [[steps]]\nkind = \"prompt\"\ntext = \"One.\"\n\
             [[steps]]\nkind = \"prompt\"\ntext = \"Two.\"\nspeak = false\n\
             [[steps]]\nkind = \"prompt\"\ntext = \"Three.\"\nvoice = \"three.wav\"\n\
             [[steps]]\nkind = \"pause\"\nduration = 5\ntext = \"Rest.\"\nspeak = true\n\
             [[steps]]\nkind = \"reflect\"\nquestion = \"What?\"\nspeak = true\n",
        );
        let spoken = |prompts| -> Vec<usize> { plan(&s, prompts).iter().map(|u| u.step).collect() };
        assert_eq!(spoken(true), vec![1, 4, 5]);
        assert_eq!(spoken(false), vec![4, 5]);
        assert_eq!(plan(&s, true)[0].text, "One.");
    }

    #[test]
    fn words_never_become_options() {
        assert_eq!(speakable("-w /tmp/x"), " -w /tmp/x");
        assert_eq!(speakable("  --help "), " --help");
        assert_eq!(speakable("a\u{0}b\nc"), "a b c");
        assert_eq!(speakable("Breathe in."), "Breathe in.");
    }

    #[test]
    fn cache_keys_are_stable_and_unambiguous() {
        let cmd = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let k = cache_key(&cmd(&["espeak-ng", "--stdout", "{text}"]), "Hello.");
        // Pinned (computed independently with Python's hashlib): changing
        // the encoding would orphan every cached clip.
        assert_eq!(
            k,
            "9951c9f97847d5be5f56569156b4b589158598f6dbe0ad97884d2c9312ffaa50.wav"
        );
        assert_ne!(
            k,
            cache_key(&cmd(&["espeak-ng", "--stdout", "{text}"]), "Hello")
        );
        assert_ne!(
            cache_key(&cmd(&["a", "b"]), "c"),
            cache_key(&cmd(&["a"]), "bc")
        );
        assert_ne!(cache_key(&cmd(&["ab"]), ""), cache_key(&cmd(&["a"]), "b"));
    }

    #[test]
    fn streamed_wav_sizes_are_fixed() {
        let mut wav = Vec::new();
        wav.extend_from_slice(b"RIFF\x24\xf0\xff\x7fWAVEfmt ");
        wav.extend_from_slice(&16u32.to_le_bytes());
        wav.extend_from_slice(&[1, 0, 1, 0, 0x22, 0x56, 0, 0, 0x44, 0xac, 0, 0, 2, 0, 16, 0]);
        wav.extend_from_slice(b"data\x00\xf0\xff\x7f");
        wav.extend_from_slice(&[1, 0, 2, 0]);
        fix_wav_sizes(&mut wav).unwrap();
        assert_eq!(&wav[4..8], &(wav.len() as u32 - 8).to_le_bytes());
        assert_eq!(&wav[40..44], &4u32.to_le_bytes());
        assert_eq!(
            fix_wav_sizes(&mut b"hello".to_vec()),
            Err(WavProblem::NotWav)
        );
        let header_only = &mut wav[..44].to_vec();
        assert_eq!(fix_wav_sizes(header_only), Err(WavProblem::NoData));
        // A hostile chunk size cannot overflow or loop.
        let mut weird = b"RIFF\0\0\0\0WAVEjunk\xff\xff\xff\xff".to_vec();
        assert_eq!(fix_wav_sizes(&mut weird), Err(WavProblem::NoData));
    }
}
