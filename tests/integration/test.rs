//! A builder for running `kindly` in a scratch folder and comparing its output whole.
//!
//! Modelled on just's `tests/test.rs`: write files, give arguments, state the
//! expected stdout, stderr and exit status. Full comparisons make every change
//! to a message visible in review.

// Not every test module uses every part of the builder.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

pub struct Test {
    pub dir: tempfile::TempDir,
    args: Vec<String>,
    env: BTreeMap<String, String>,
    stdin: Option<Vec<u8>>,
    stdout: Option<String>,
    stderr: Option<String>,
    stdout_contains: Vec<String>,
    stderr_contains: Vec<String>,
    status: i32,
}

impl Test {
    pub fn new() -> Test {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut env = BTreeMap::new();
        env.insert("NO_COLOR".into(), "1".into());
        env.insert("PATH".into(), quiet_path());
        env.insert(
            "KINDLY_HOME".into(),
            dir.path().join("home").display().to_string(),
        );
        Test {
            dir,
            args: Vec::new(),
            env,
            stdin: None,
            stdout: None,
            stderr: None,
            stdout_contains: Vec::new(),
            stderr_contains: Vec::new(),
            status: 0,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Test {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.insert(key.into(), value.into());
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

    /// Run and check everything stated; returns the output for more checks.
    pub fn run(self) -> Finished {
        let output = self.command_output();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let context = format!(
            "kindly {}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
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
            dir: self.dir,
        }
    }

    fn command_output(&self) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.args(&self.args)
            .current_dir(self.dir.path())
            .env_remove("KINDLY_CONFIG")
            .envs(&self.env)
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("kindly runs");
        if let Some(input) = &self.stdin {
            child.stdin.take().unwrap().write_all(input).unwrap();
        }
        child.wait_with_output().expect("kindly finishes")
    }
}

pub struct Finished {
    pub stdout: String,
    pub stderr: String,
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

/// The repository root, for reaching `sessions/` and fixtures.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
