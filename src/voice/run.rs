//! The edge of the voice: start the user's program, bound it, and keep what it says in the cache.
//!
//! The only place kindly starts another program. The program is run
//! directly (no shell), with no standard input, and is stopped when it
//! takes longer than the configured timeout. Its standard output must be a
//! WAV file; it is written to a temporary file in the cache folder, checked
//! with the same probe as every other sound file, and only then renamed
//! into place, so a crash or a bad clip never leaves a broken cache entry.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{argv, cache_key, fix_wav_sizes, plan, WavProblem};
use crate::config::Voice;
use crate::error::{Error, Result};
use crate::session::Session;

/// The most a voice may write for one clip: some twenty-five minutes of
/// CD-quality stereo, far past any prompt, and a bound on memory.
const MAX_CLIP_BYTES: usize = 256 * 1024 * 1024;

/// How much of the program's standard error is kept, for its last line.
const STDERR_TAIL: usize = 16 * 1024;

/// Give every step that should be spoken its clip, from the cache or by
/// running the voice, before anything plays. Returns each clip with its
/// length, for the timeline. `config` is named in messages.
pub fn speak(
    session: &mut Session,
    voice: &Voice,
    speak_prompts: bool,
    cache: &Path,
    config: Option<&Path>,
) -> Result<Vec<(PathBuf, Duration)>> {
    let utterances = plan(session, speak_prompts);
    let mut clips = Vec::with_capacity(utterances.len());
    let mut missing = Vec::new();
    for u in &utterances {
        let path = cache.join(cache_key(&voice.command, &u.text));
        match cached_length(&path) {
            Some(length) => clips.push((u.step, path, length)),
            None => missing.push((u, path)),
        }
    }
    if !missing.is_empty() {
        std::fs::create_dir_all(cache)
            .map_err(|e| Error::io("create the voice cache folder", cache, &e))?;
        let bar = crate::ui::task_bar(
            missing.len() as u64,
            "speaking prompts {wide_bar} {pos}/{len}",
        );
        for (u, path) in missing {
            let bytes = run(&argv(&voice.command, &u.text), voice.timeout)
                .map_err(|f| f.into_error(voice, config))?;
            let length = store(bytes, &path, voice, config)?;
            clips.push((u.step, path, length));
            bar.inc(1);
        }
        bar.finish_and_clear();
    }
    Ok(clips
        .into_iter()
        .map(|(step, path, length)| {
            if let Some(s) = session.steps.get_mut(step) {
                s.spoken = Some(path.clone());
            }
            (path, length)
        })
        .collect())
}

/// A cached clip's length, or `None` when it is absent or unusable (then
/// it is made again and replaced).
fn cached_length(path: &Path) -> Option<Duration> {
    crate::audio::probe(path).ok().map(|info| info.duration)
}

/// Check the clip and move it into the cache atomically.
fn store(
    mut bytes: Vec<u8>,
    path: &Path,
    voice: &Voice,
    config: Option<&Path>,
) -> Result<Duration> {
    let program = &voice.command[0];
    let fix = |what: &str| -> Error {
        Error::new(format!("the voice command `{program}` {what}")).help(help(config))
    };
    match fix_wav_sizes(&mut bytes) {
        Ok(()) => {}
        Err(WavProblem::NotWav) => {
            return Err(fix("did not write a WAV file to its standard output").help(format!(
                "kindly reads the speech from the program's standard output (espeak-ng needs \"--stdout\"); {}",
                help(config)
            )))
        }
        Err(WavProblem::NoData) => return Err(fix("wrote a WAV file with no sound in it")),
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".speaking-")
        .suffix(".wav")
        .tempfile_in(dir)
        .map_err(|e| Error::io("write to the voice cache", dir, &e))?;
    tmp.write_all(&bytes)
        .and_then(|()| tmp.flush())
        .map_err(|e| Error::io("write to the voice cache", tmp.path(), &e))?;
    let info = crate::audio::probe(tmp.path())
        .map_err(|e| fix(&format!("wrote audio kindly cannot play: {}", e.kind)))?;
    tmp.persist(path)
        .map_err(|e| Error::io("write to the voice cache", path, &e.error))?;
    Ok(info.duration)
}

fn help(config: Option<&Path>) -> String {
    let place = config.map_or("your config file".to_owned(), |p| p.display().to_string());
    format!("check `command` in the `[voice]` table of {place}, or add --no-voice to go on without speech")
}

/// Why running the voice failed.
#[derive(Debug)]
enum Failure {
    Start(std::io::Error),
    Status(ExitStatus, String),
    Timeout,
    TooMuch,
    Io(String),
}

impl Failure {
    fn into_error(self, voice: &Voice, config: Option<&Path>) -> Error {
        let program = &voice.command[0];
        let message = match self {
            Failure::Start(e) if e.kind() == std::io::ErrorKind::NotFound => {
                format!("cannot start the voice command: the program `{program}` was not found")
            }
            Failure::Start(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                format!("cannot start the voice command `{program}`: permission denied")
            }
            Failure::Start(e) => format!("cannot start the voice command `{program}`: {e}"),
            Failure::Status(status, last) => {
                let how = match status.code() {
                    Some(code) => format!("exit status {code}"),
                    None => "stopped by a signal".to_owned(),
                };
                if last.is_empty() {
                    format!("the voice command `{program}` failed ({how})")
                } else {
                    format!("the voice command `{program}` failed ({how}): {last}")
                }
            }
            Failure::Timeout => format!(
                "the voice command `{program}` took longer than {} over one prompt and was stopped",
                crate::duration::human(voice.timeout)
            ),
            Failure::TooMuch => format!(
                "the voice command `{program}` wrote more than {} MiB for one prompt",
                MAX_CLIP_BYTES >> 20
            ),
            Failure::Io(e) => format!("cannot read what the voice command `{program}` wrote: {e}"),
        };
        Error::new(message).help(help(config))
    }
}

/// Run `argv` with no stdin, collecting stdout and the tail of stderr on
/// threads (so neither pipe can fill and stall it), within `timeout`.
fn run(argv: &[String], timeout: Duration) -> std::result::Result<Vec<u8>, Failure> {
    let deadline = Instant::now() + timeout;
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(Failure::Start)?;
    let (out_tx, out_rx) = mpsc::channel();
    if let Some(mut out) = child.stdout.take() {
        std::thread::spawn(move || {
            let _ = out_tx.send(read_capped(&mut out));
        });
    }
    let (err_tx, err_rx) = mpsc::channel();
    if let Some(mut err) = child.stderr.take() {
        std::thread::spawn(move || {
            let _ = err_tx.send(read_tail(&mut err));
        });
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                // Our own child, by its handle: nothing else is touched.
                let _ = child.kill();
                let _ = child.wait();
                return Err(Failure::Timeout);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(Failure::Io(e.to_string())),
        }
    };
    // A program that leaves a child of its own holding the pipes open must
    // not hang us either: wait for the output only until the deadline.
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(500));
    let stderr = err_rx.recv_timeout(left).unwrap_or_default();
    if !status.success() {
        return Err(Failure::Status(status, last_line(&stderr)));
    }
    match out_rx.recv_timeout(left) {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(f)) => Err(f),
        Err(_) => Err(Failure::Timeout),
    }
}

fn read_capped(r: &mut impl Read) -> std::result::Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    let n = r
        .take(MAX_CLIP_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Failure::Io(e.to_string()))?;
    if n > MAX_CLIP_BYTES {
        // Drain the rest so the program is not blocked on a full pipe
        // while we report.
        let _ = std::io::copy(r, &mut std::io::sink());
        return Err(Failure::TooMuch);
    }
    Ok(buf)
}

fn read_tail(r: &mut impl Read) -> Vec<u8> {
    let mut tail = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n) = r.read(&mut chunk) {
        if n == 0 {
            break;
        }
        tail.extend_from_slice(&chunk[..n]);
        if tail.len() > STDERR_TAIL {
            tail.drain(..tail.len() - STDERR_TAIL);
        }
    }
    tail
}

/// The last non-blank line a program printed on stderr, trimmed and short.
fn last_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    line.chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into()]
    }

    #[test]
    fn exit_status_and_last_stderr_line() {
        match run(
            &sh("echo one >&2; echo 'no voice here' >&2; exit 3"),
            Duration::from_secs(10),
        ) {
            Err(Failure::Status(s, last)) => {
                assert_eq!(s.code(), Some(3));
                assert_eq!(last, "no voice here");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_program() {
        let r = run(&["kindly-no-such-program".into()], Duration::from_secs(5));
        assert!(matches!(r, Err(Failure::Start(e)) if e.kind() == std::io::ErrorKind::NotFound));
    }

    #[test]
    fn a_hung_program_is_stopped() {
        let start = Instant::now();
        let r = run(&["sleep".into(), "30".into()], Duration::from_millis(300));
        assert!(matches!(r, Err(Failure::Timeout)), "{r:?}");
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn output_is_collected() {
        let r = run(&sh("printf abc"), Duration::from_secs(10)).unwrap();
        assert_eq!(r, b"abc");
    }
}
