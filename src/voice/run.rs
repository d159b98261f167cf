//! The edge of the voice: start the speech engine, bound it, and keep what it says in the cache.
//!
//! The only place kindly starts another program. The program is run
//! directly (no shell) in a process group of its own, the words reach it
//! on standard input or in a text file (never as options), and the whole
//! group is stopped when it takes longer than the configured timeout, so
//! no helper process outlives it. Each sentence's WAV (from standard
//! output, or from a file the engine writes) is decoded, and `speech`
//! joins, paces and levels the sentences into one clip; the clip is
//! written to a temporary file in the cache folder, checked with the same
//! probe as every other sound file, and only then renamed into place, so a
//! crash or a bad clip never leaves a broken cache entry.
//!
//! `Pool` synthesizes clips on a few background threads, in the order they
//! will be heard: `speak` waits for all of them (show, render, clock
//! outputs), live play takes each as it comes (`commands::play`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::engine::{Recipe, TextIn, WavOut, OUT_FILE, TEXT_FILE};
use super::speech::{self, Mono};
use super::{fix_wav_sizes, plan, Voice, WavProblem};
use crate::error::{Error, Result};
use crate::session::Session;

/// The most a voice may write for one sentence: some twenty-five minutes
/// of CD-quality stereo, far past any prompt, and a bound on memory.
const MAX_CLIP_BYTES: usize = 256 * 1024 * 1024;

/// How much of the program's standard error is kept, for its last line.
const STDERR_TAIL: usize = 16 * 1024;

/// How many engines run at once. Speech engines are single-threaded; two
/// keep a two-core machine's audio thread in time.
pub(crate) const WORKERS: usize = 2;

/// One clip to make: the words of `step`, to be kept at `path`.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub step: usize,
    pub text: String,
    pub path: PathBuf,
}

/// A clip made (its length), or why not.
#[derive(Debug)]
pub(crate) struct Done {
    pub step: usize,
    pub path: PathBuf,
    pub result: Result<Duration>,
}

/// Background synthesis, in order, on at most [`WORKERS`] threads.
pub(crate) struct Pool {
    pub done: mpsc::Receiver<Done>,
    cancel: Arc<AtomicBool>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

/// A temporary file or folder of an interrupted run, older than this, is
/// left over and removed.
const STALE: Duration = Duration::from_secs(600);

impl Pool {
    /// Start making `jobs` (already in the order they will be heard).
    pub(crate) fn start(voice: &Voice, jobs: Vec<Job>, config: Option<&Path>) -> Pool {
        if let Some(dir) = jobs.first().and_then(|j| j.path.parent()) {
            prune_stale(dir);
        }
        let (tx, done) = mpsc::channel();
        let queue = Arc::new(Mutex::new(jobs.into_iter()));
        let cancel = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::with_capacity(WORKERS);
        for _ in 0..WORKERS {
            let queue = Arc::clone(&queue);
            let tx = tx.clone();
            let voice = voice.clone();
            let config = config.map(Path::to_owned);
            let cancel = Arc::clone(&cancel);
            workers.push(std::thread::spawn(move || loop {
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                let next = queue.lock().ok().and_then(|mut q| q.next());
                let Some(job) = next else { break };
                let result = synthesize(&voice, &job.text, &job.path, config.as_deref());
                let sent = tx.send(Done {
                    step: job.step,
                    path: job.path,
                    result,
                });
                if sent.is_err() {
                    // Nobody is listening any more: the session ended.
                    break;
                }
            }));
        }
        Pool {
            done,
            cancel,
            workers,
        }
    }

    /// Start no more jobs, and wait for those under way (each bounded by
    /// the timeout), so none leaves a temporary file behind.
    pub(crate) fn stop(self) {
        self.cancel.store(true, Ordering::Relaxed);
        drop(self.done);
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Remove what an interrupted run left in the voice cache: temporary
/// clips and work folders, once they are old enough not to be another
/// run's.
fn prune_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE);
        if stale && e.file_name().to_string_lossy().starts_with(".speaking-") {
            let p = e.path();
            let _ = std::fs::remove_dir_all(&p).or_else(|_| std::fs::remove_file(&p));
        }
    }
}

/// The clips a session needs: those already in the cache, with their
/// lengths, and the jobs still to do, in the order they will be heard.
pub(crate) fn plan_clips(
    session: &Session,
    voice: &Voice,
    speak_prompts: bool,
    cache: &Path,
) -> (Vec<(usize, PathBuf, Duration)>, Vec<Job>) {
    let mut ready = Vec::new();
    let mut jobs = Vec::new();
    for u in plan(session, speak_prompts) {
        let path = cache.join(voice.cache_key(&u.text));
        match cached_length(&path) {
            Some(length) => ready.push((u.step, path, length)),
            None => jobs.push(Job {
                step: u.step,
                path,
                text: u.text,
            }),
        }
    }
    (ready, jobs)
}

/// Give every step that should be spoken its clip, from the cache or by
/// running the voice, before anything plays. Returns each clip with its
/// length, for the timeline. `config` is named in messages.
pub(crate) fn speak(
    session: &mut Session,
    voice: &Voice,
    speak_prompts: bool,
    cache: &Path,
    config: Option<&Path>,
) -> Result<Vec<(PathBuf, Duration)>> {
    let (mut clips, jobs) = plan_clips(session, voice, speak_prompts, cache);
    if !jobs.is_empty() {
        std::fs::create_dir_all(cache)
            .map_err(|e| Error::io("create the voice cache folder", cache, &e))?;
        let bar = crate::ui::task_bar(jobs.len() as u64, "speaking prompts {wide_bar} {pos}/{len}");
        let count = jobs.len();
        let pool = Pool::start(voice, jobs, config);
        for _ in 0..count {
            let Ok(done) = pool.done.recv() else { break };
            match done.result {
                Ok(length) => clips.push((done.step, done.path, length)),
                Err(e) => {
                    bar.finish_and_clear();
                    pool.stop();
                    return Err(e);
                }
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
        pool.stop();
    }
    clips.sort_by_key(|(step, _, _)| *step);
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
pub(crate) fn cached_length(path: &Path) -> Option<Duration> {
    crate::audio::probe(path).ok().map(|info| info.duration)
}

/// Speak `text` with `voice` into the cache file `path`: each sentence
/// through the engine, then paced and levelled as one clip.
pub(crate) fn synthesize(
    voice: &Voice,
    text: &str,
    path: &Path,
    config: Option<&Path>,
) -> Result<Duration> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io("create the voice cache folder", dir, &e))?;
    let work = tempfile::Builder::new()
        .prefix(".speaking-")
        .tempdir_in(dir)
        .map_err(|e| Error::io("write to the voice cache", dir, &e))?;
    let mut sentences = Vec::new();
    for sentence in speech::sentences(text) {
        let bytes = run_recipe(&voice.recipe, &sentence, work.path(), voice.timeout)
            .map_err(|f| f.into_error(voice, config))?;
        sentences.push(decode(bytes, voice, config)?);
    }
    let program = voice.recipe.program();
    let samples = speech::finish(&sentences, voice.shape).ok_or_else(|| {
        Error::new(format!(
            "the voice command `{program}` wrote a WAV file with no sound in it"
        ))
        .help(help(config))
    })?;
    store(&samples, path, voice, config)
}

/// Run the recipe for one sentence and return the WAV it made.
fn run_recipe(
    recipe: &Recipe,
    sentence: &str,
    work: &Path,
    timeout: Duration,
) -> std::result::Result<Vec<u8>, Failure> {
    let text_file = work.join("text.txt");
    let out_file = work.join("speech.wav");
    let _ = std::fs::remove_file(&out_file);
    let words = super::speakable(sentence);
    let argv: Vec<String> = recipe
        .argv
        .iter()
        .enumerate()
        .map(|(i, a)| match a.as_str() {
            _ if i == 0 => a.clone(),
            TEXT_FILE => text_file.display().to_string(),
            OUT_FILE => out_file.display().to_string(),
            _ if recipe.text_in == TextIn::Arg => a.replace(super::PLACEHOLDER, &words),
            _ => a.clone(),
        })
        .collect();
    let stdin = match recipe.text_in {
        TextIn::Stdin => Some(format!("{words}\n").into_bytes()),
        TextIn::File => {
            std::fs::write(&text_file, format!("{words}\n"))
                .map_err(|e| Failure::Io(e.to_string()))?;
            None
        }
        TextIn::Arg => None,
    };
    let stdout = run(&argv, stdin, timeout)?;
    match recipe.wav_out {
        WavOut::Stdout => Ok(stdout),
        WavOut::File => read_output(&out_file),
    }
}

/// The engine's output file: a regular file, within the size bound.
fn read_output(path: &Path) -> std::result::Result<Vec<u8>, Failure> {
    let meta = std::fs::symlink_metadata(path).map_err(|_| Failure::NoFile)?;
    if !meta.is_file() {
        return Err(Failure::NoFile);
    }
    if meta.len() > MAX_CLIP_BYTES as u64 {
        return Err(Failure::TooMuch);
    }
    let mut f = std::fs::File::open(path).map_err(|e| Failure::Io(e.to_string()))?;
    read_capped(&mut f)
}

/// A sentence's WAV as mono samples. Programs writing into a pipe cannot
/// fill in the sizes, so they are made true first.
fn decode(mut bytes: Vec<u8>, voice: &Voice, config: Option<&Path>) -> Result<Mono> {
    let program = voice.recipe.program();
    let fail = |what: String| -> Error {
        Error::new(format!("the voice command `{program}` {what}")).help(help(config))
    };
    match fix_wav_sizes(&mut bytes) {
        Ok(()) => {}
        Err(WavProblem::NotWav) => {
            let place = match voice.recipe.wav_out {
                WavOut::Stdout => " to its standard output",
                WavOut::File => "",
            };
            return Err(Error::new(format!(
                "the voice command `{program}` did not write a WAV file{place}"
            ))
            .help(format!(
                "kindly reads the speech from the program's standard output (espeak-ng needs \"--stdout\"); {}",
                help(config)
            )));
        }
        Err(WavProblem::NoData) => return Err(fail("wrote a WAV file with no sound in it".into())),
    }
    let reader = hound::WavReader::new(std::io::Cursor::new(bytes))
        .map_err(|e| fail(format!("wrote audio kindly cannot read: {e}")))?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    if spec.sample_rate == 0 || !(4_000..=384_000).contains(&spec.sample_rate) {
        return Err(fail(format!(
            "wrote audio at an unusable rate ({} Hz)",
            spec.sample_rate
        )));
    }
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .filter_map(|s| s.ok())
            .collect(),
        hound::SampleFormat::Int => {
            let bits = spec.bits_per_sample;
            if !(8..=32).contains(&bits) {
                return Err(fail(format!(
                    "wrote {bits}-bit audio, which kindly cannot read"
                )));
            }
            let scale = 1.0 / (1u64 << (bits - 1)) as f32;
            reader
                .into_samples::<i32>()
                .filter_map(|s| s.ok())
                .map(|s| s as f32 * scale)
                .collect()
        }
    };
    let samples = interleaved
        .chunks(channels)
        .map(|f| f.iter().sum::<f32>() / channels as f32)
        .collect();
    Ok(Mono {
        rate: spec.sample_rate,
        samples,
    })
}

/// Write the clip and move it into the cache atomically, after checking
/// it reads back as audio.
fn store(samples: &[f32], path: &Path, voice: &Voice, config: Option<&Path>) -> Result<Duration> {
    let program = voice.recipe.program();
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".speaking-")
        .suffix(".wav")
        .tempfile_in(dir)
        .map_err(|e| Error::io("write to the voice cache", dir, &e))?;
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: speech::RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let written = (|| -> std::result::Result<(), hound::Error> {
        let mut w = hound::WavWriter::new(std::io::BufWriter::new(tmp.as_file()), spec)?;
        for &x in samples {
            w.write_sample((x.clamp(-1.0, 1.0) * 32767.0).round() as i16)?;
        }
        w.finalize()
    })();
    written.map_err(|e| {
        Error::new(format!(
            "cannot write to the voice cache {}: {e}",
            dir.display()
        ))
    })?;
    let info = crate::audio::probe(tmp.path()).map_err(|e| {
        Error::new(format!(
            "the voice command `{program}` made audio kindly cannot play: {}",
            e.kind
        ))
        .help(help(config))
    })?;
    tmp.persist(path)
        .map_err(|e| Error::io("write to the voice cache", path, &e.error))?;
    Ok(info.duration)
}

fn help(config: Option<&Path>) -> String {
    let place = config.map_or("your config file".to_owned(), |p| p.display().to_string());
    format!("`kindly voices` shows the engines kindly found; check the `[voice]` table of {place}, or add --no-voice to go on without speech")
}

/// Why running the voice failed.
#[derive(Debug)]
enum Failure {
    Start(std::io::Error),
    Status(ExitStatus, String),
    Timeout,
    TooMuch,
    /// The engine succeeded but left no output file.
    NoFile,
    Io(String),
}

impl Failure {
    fn into_error(self, voice: &Voice, config: Option<&Path>) -> Error {
        let program = voice.recipe.program();
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
                "the voice command `{program}` took longer than {} over one sentence and was stopped",
                crate::duration::human(voice.timeout)
            ),
            Failure::TooMuch => format!(
                "the voice command `{program}` wrote more than {} MiB for one sentence",
                MAX_CLIP_BYTES >> 20
            ),
            Failure::NoFile => format!("the voice command `{program}` wrote no sound file"),
            Failure::Io(e) => format!("cannot read what the voice command `{program}` wrote: {e}"),
        };
        Error::new(message).help(help(config))
    }
}

/// Run `argv` in a process group of its own, with `stdin` (or nothing)
/// as its standard input, collecting stdout and the tail of stderr on
/// threads (so no pipe can fill and stall it), within `timeout`. On a
/// timeout the whole group is killed, so an engine's helpers go too.
fn run(
    argv: &[String],
    stdin: Option<Vec<u8>>,
    timeout: Duration,
) -> std::result::Result<Vec<u8>, Failure> {
    let deadline = Instant::now() + timeout;
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(Failure::Start)?;
    if let (Some(mut pipe), Some(bytes)) = (child.stdin.take(), stdin) {
        // On a thread: a program that does not read its input must not
        // block us on a full pipe. Dropping the pipe ends its input.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
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
                kill_group(&mut child);
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

/// Kill our child's process group (it leads it: `process_group(0)`), then
/// reap the child. Only that group is touched.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals that process group;
        // it has no memory-safety preconditions.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
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
            None,
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
        let r = run(
            &["kindly-no-such-program".into()],
            None,
            Duration::from_secs(5),
        );
        assert!(matches!(r, Err(Failure::Start(e)) if e.kind() == std::io::ErrorKind::NotFound));
    }

    #[test]
    fn a_hung_program_is_stopped() {
        let start = Instant::now();
        let r = run(
            &["sleep".into(), "30".into()],
            None,
            Duration::from_millis(300),
        );
        assert!(matches!(r, Err(Failure::Timeout)), "{r:?}");
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn words_arrive_on_stdin() {
        let r = run(
            &sh("cat"),
            Some(b"-w /etc/passwd".to_vec()),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(r, b"-w /etc/passwd");
    }

    #[test]
    fn a_timeout_ends_the_whole_group() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("pid");
        let script = format!("sleep 30 & echo $! > {}; wait", pidfile.display());
        let r = run(&sh(&script), None, Duration::from_millis(500));
        assert!(matches!(r, Err(Failure::Timeout)), "{r:?}");
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The grandchild is gone (or a zombie about to be reaped by init).
        let alive = || {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| !s.contains(") Z "))
                .unwrap_or(false)
        };
        let until = Instant::now() + Duration::from_secs(5);
        while alive() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(), "the voice's helper {pid} outlived the timeout");
    }

    #[test]
    fn output_is_collected() {
        let r = run(&sh("printf abc"), None, Duration::from_secs(10)).unwrap();
        assert_eq!(r, b"abc");
    }
}
