//! A builder for running `kindly` in a scratch folder and comparing its output whole.
//!
//! Modelled on just's `tests/test.rs`: write files, give arguments, state the
//! expected stdout, stderr and exit status. Full comparisons make every change
//! to a message visible in review.
//!
//! Every command a test starts comes from here, sealed: a cleared
//! environment with the test's own `KINDLY_HOME`, `HOME` and XDG folders,
//! so nothing of the person running the tests (their `config.toml`,
//! sessions, caches, `KINDLY_*` switches) can change what a test sees.
//! `sealed.rs` proves it.

// Not every test module uses every part of the builder.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_kindly");

/// The programs kindly speaks with when it finds them.
pub const SPEECH_ENGINES: &[&str] = &[
    "piper",
    "say",
    "text2wave",
    "festival",
    "flite",
    "espeak-ng",
    "espeak",
];

/// A `PATH` with every program of the real one but the speech engines, so
/// that what a test hears (and how long a spoken session lasts) does not
/// depend on which engines the machine has. Tests of the voice put the
/// engines they mean back with `path_with`.
pub fn quiet_path() -> String {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kindly-quiet-path-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let real = std::env::var_os("PATH").unwrap_or_default();
        for d in std::env::split_paths(&real) {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name();
                if SPEECH_ENGINES.iter().any(|s| name == *s) {
                    continue;
                }
                // The first of a name on PATH wins, as in a shell.
                let _ = std::os::unix::fs::symlink(e.path(), dir.join(&name));
            }
        }
        dir
    })
    .display()
    .to_string()
}

/// `quiet_path` with `engines` (their real programs) put back, in a
/// folder of its own.
pub fn path_with(engines: &[&str], dir: &Path) -> String {
    std::fs::create_dir_all(dir).unwrap();
    for engine in engines {
        if let Some(real) = which(engine) {
            let _ = std::os::unix::fs::symlink(real, dir.join(engine));
        }
    }
    format!("{}:{}", dir.display(), quiet_path())
}

/// Where `program` is on the real `PATH`.
pub fn which(program: &str) -> Option<PathBuf> {
    let real = std::env::var_os("PATH")?;
    std::env::split_paths(&real)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// What a test's kindly may take from the environment of the person
/// running the tests: nothing that says where files are or how kindly
/// behaves, only the time zone (so "today" agrees with the test's own
/// clock), the locale, where temporary files go, and what coverage and
/// backtraces need. Everything else is cleared.
pub const PASSED_THROUGH: &[&str] = &[
    "TZ",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
    "RUST_BACKTRACE",
    "LLVM_PROFILE_FILE",
];

/// The environment every command of a test starts from, inside `dir`:
/// kindly's own `KINDLY_HOME`, and a made-up person's `HOME` and XDG
/// folders (which do not exist until something makes them), so neither
/// kindly nor a speech engine nor a sound server it starts can read the
/// real person's `config.toml`, sessions, caches or dotfiles.
pub fn sealed_env(dir: &Path) -> BTreeMap<String, String> {
    let home = dir.join("person");
    let at = |p: &Path| p.display().to_string();
    BTreeMap::from([
        ("NO_COLOR".into(), "1".into()),
        ("PATH".into(), quiet_path()),
        ("KINDLY_HOME".into(), at(&dir.join("home"))),
        ("HOME".into(), at(&home)),
        ("XDG_CONFIG_HOME".into(), at(&home.join(".config"))),
        ("XDG_DATA_HOME".into(), at(&home.join(".local/share"))),
        ("XDG_CACHE_HOME".into(), at(&home.join(".cache"))),
        ("XDG_STATE_HOME".into(), at(&home.join(".local/state"))),
        ("XDG_RUNTIME_DIR".into(), at(&home.join("run"))),
    ])
}

/// A command that starts from `env` alone (and `PASSED_THROUGH`), never
/// from the environment of the person running the tests.
pub fn sealed_command(
    program: impl AsRef<std::ffi::OsStr>,
    env: &BTreeMap<String, String>,
) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear();
    for key in PASSED_THROUGH {
        if let Some(value) = std::env::var_os(key) {
            cmd.env(key, value);
        }
    }
    cmd.envs(env);
    cmd
}

/// kindly sealed in `dir`, a test's own folder that several commands
/// share (`dir/home` is its `KINDLY_HOME`), for tests that start, signal
/// or race processes themselves. `Test` is the way for everything else.
pub fn kindly_in(dir: &Path) -> Command {
    command_in(dir, BIN)
}

/// `program` sealed in `dir` as `kindly_in` seals kindly: for the sound
/// server and its tools, which read a person's dotfiles as kindly would.
pub fn command_in(dir: &Path, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = sealed_command(program, &sealed_env(dir));
    cmd.current_dir(dir).stdin(Stdio::null());
    cmd
}

/// `text` quoted for a POSIX shell.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

pub struct Test {
    pub dir: tempfile::TempDir,
    program: PathBuf,
    args: Vec<String>,
    env: BTreeMap<String, String>,
    cwd: Option<PathBuf>,
    stdin: Option<Vec<u8>>,
    stdout: Option<String>,
    stderr: Option<String>,
    stdout_contains: Vec<String>,
    stderr_contains: Vec<String>,
    status: i32,
    deadline: Option<Duration>,
}

impl Test {
    pub fn new() -> Test {
        let dir = tempfile::tempdir().expect("temp dir");
        let env = sealed_env(dir.path());
        Test {
            dir,
            program: PathBuf::from(BIN),
            args: Vec::new(),
            env,
            cwd: None,
            stdin: None,
            stdout: None,
            stderr: None,
            stdout_contains: Vec::new(),
            stderr_contains: Vec::new(),
            status: 0,
            deadline: None,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Run another program (bash for completions, say) in the same
    /// sealed environment instead of kindly.
    pub fn program(mut self, program: impl Into<PathBuf>) -> Test {
        self.program = program.into();
        self
    }

    /// One argument: text, or a path (tests' paths are UTF-8).
    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Test {
        self.args.push(arg.as_ref().to_string_lossy().into_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.args.extend(
            args.into_iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned()),
        );
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Test {
        let value = value.as_ref().to_string_lossy().into_owned();
        self.env.insert(key.into(), value);
        self
    }

    pub fn envs<I, K, V>(mut self, vars: I) -> Test
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<std::ffi::OsStr>,
    {
        for (key, value) in vars {
            self = self.env(key.as_ref(), value);
        }
        self
    }

    /// Run without `key` (the sealed environment has no other source for
    /// it): kindly without `KINDLY_HOME` finds its folders by XDG, which
    /// are the test's own.
    pub fn env_remove(mut self, key: &str) -> Test {
        self.env.remove(key);
        self
    }

    /// Run in `dir` instead of the test's folder.
    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Test {
        self.cwd = Some(dir.into());
        self
    }

    /// Kill the command and fail if it has not ended by then: a FIFO or a
    /// device must never hang kindly.
    pub fn deadline(mut self, within: Duration) -> Test {
        self.deadline = Some(within);
        self
    }

    pub fn write(self, name: &str, content: impl AsRef<[u8]>) -> Test {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, content).unwrap();
        self
    }

    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Test {
        self.stdin = Some(input.into());
        self
    }

    pub fn stdout(mut self, expected: impl Into<String>) -> Test {
        self.stdout = Some(expected.into());
        self
    }

    pub fn stderr(mut self, expected: impl Into<String>) -> Test {
        self.stderr = Some(expected.into());
        self
    }

    pub fn stdout_contains(mut self, part: impl Into<String>) -> Test {
        self.stdout_contains.push(part.into());
        self
    }

    pub fn stderr_contains(mut self, part: impl Into<String>) -> Test {
        self.stderr_contains.push(part.into());
        self
    }

    pub fn status(mut self, code: i32) -> Test {
        self.status = code;
        self
    }

    /// The environment the command gets (besides `PASSED_THROUGH`).
    pub fn environment(&self) -> &BTreeMap<String, String> {
        &self.env
    }

    /// Run and check everything stated; returns the output for more checks.
    pub fn run(self) -> Finished {
        let output = self.output();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let context = format!(
            "{} {}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
            self.program.display(),
            self.args.join(" ")
        );
        assert_eq!(
            output.status.code(),
            Some(self.status),
            "exit status\n{context}"
        );
        if let Some(expected) = &self.stdout {
            assert_eq!(&stdout, expected, "stdout\n{context}");
        }
        if let Some(expected) = &self.stderr {
            assert_eq!(&stderr, expected, "stderr\n{context}");
        }
        for part in &self.stdout_contains {
            assert!(
                stdout.contains(part.as_str()),
                "stdout lacks {part:?}\n{context}"
            );
        }
        for part in &self.stderr_contains {
            assert!(
                stderr.contains(part.as_str()),
                "stderr lacks {part:?}\n{context}"
            );
        }
        assert!(!stderr.contains("panicked"), "panic\n{context}");
        Finished {
            stdout,
            stderr,
            bytes: output.stdout,
            dir: self.dir,
        }
    }

    /// The sealed command, with arguments and folder, for a test that
    /// starts it itself (to signal it, or to run several at once).
    /// Standard input is empty unless the test sets it.
    pub fn command(&self) -> Command {
        let mut cmd = sealed_command(&self.program, &self.env);
        cmd.args(&self.args)
            .current_dir(self.cwd.as_deref().unwrap_or(self.dir.path()))
            .stdin(Stdio::null());
        cmd
    }

    /// Start the command with its output captured.
    pub fn spawn(&self) -> Child {
        self.command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the program runs")
    }

    /// The command as one shell line, for a tmux pane: `env -i` first,
    /// since the pane's shell inherits the tmux server's environment,
    /// which is the test process's own. The pane's `TERM` (the terminal
    /// tmux is) goes through unless the test names one.
    pub fn shell_line(&self) -> String {
        let mut words = vec!["env".to_owned(), "-i".to_owned()];
        for key in PASSED_THROUGH {
            if let Ok(value) = std::env::var(key) {
                words.push(shell_quote(&format!("{key}={value}")));
            }
        }
        if !self.env.contains_key("TERM") {
            words.push("\"TERM=$TERM\"".to_owned());
        }
        for (key, value) in &self.env {
            words.push(shell_quote(&format!("{key}={value}")));
        }
        words.push(shell_quote(&self.program.display().to_string()));
        words.extend(self.args.iter().map(|a| shell_quote(a)));
        format!(
            "cd {} && {}",
            shell_quote(
                &self
                    .cwd
                    .as_deref()
                    .unwrap_or(self.dir.path())
                    .display()
                    .to_string()
            ),
            words.join(" ")
        )
    }

    /// Run with nothing checked: for a test that judges the status itself.
    pub fn output(&self) -> Output {
        let mut cmd = self.command();
        cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("the program runs");
        if let Some(input) = &self.stdin {
            // A program that stops reading early is its own business.
            let _ = child.stdin.take().unwrap().write_all(input);
        }
        let Some(within) = self.deadline else {
            return child.wait_with_output().expect("the program finishes");
        };
        // Output is collected on another thread, so a full pipe cannot
        // stall the deadline.
        let pid = child.id();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(child.wait_with_output()));
        match rx.recv_timeout(within) {
            Ok(output) => output.expect("the program finishes"),
            Err(_) => {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                panic!("{} {} hung", self.program.display(), self.args.join(" "));
            }
        }
    }
}

pub struct Finished {
    pub stdout: String,
    pub stderr: String,
    /// stdout as it came, for binary output such as a WAV.
    pub bytes: Vec<u8>,
    pub dir: tempfile::TempDir,
}

impl Finished {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).expect("stdout is JSON")
    }
}

/// Send `signal` (a name kill(1) knows: `INT`, `TERM`, `HUP`) to `child`,
/// as a terminal or a service manager would.
pub fn send_signal(child: &std::process::Child, signal: &str) {
    let sent = std::process::Command::new("kill")
        .args(["-s", signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -s {signal} failed");
}

/// Whether every program in `needed` is on `PATH`. If not, the test says
/// it was skipped, or fails under `KINDLY_E2E=required` (CI), where a
/// skipped test would be a pass that checked nothing.
pub fn tools(needed: &[&str]) -> bool {
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|p| which(p).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let why = format!("{} not installed", missing.join(", "));
    assert!(
        std::env::var("KINDLY_E2E").as_deref() != Ok("required"),
        "KINDLY_E2E=required but {why}"
    );
    eprintln!("skipped: {why}");
    false
}

/// The practice log a test's runs wrote (in `dir/home`, the sealed
/// home), a record a line.
pub fn practice_log(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("home/practice-log.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A 16-bit WAV's format and interleaved samples, as hound reads them.
pub fn read_wav(path: &Path) -> (hound::WavSpec, Vec<i16>) {
    let mut r = hound::WavReader::open(path)
        .unwrap_or_else(|e| panic!("{} is not a WAV: {e}", path.display()));
    let spec = r.spec();
    (spec, r.samples::<i16>().map(Result::unwrap).collect())
}

/// Make a FIFO at `path`.
pub fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

/// A file's permission bits.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The one-second tone in the fixtures, as a WAV file's bytes.
pub fn tone() -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/audio/tone.wav")).unwrap()
}

/// The repository root, for reaching `sessions/` and fixtures.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
