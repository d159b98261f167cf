//! The error that ends a command: what went wrong, and what to do about it.
//!
//! Anything that stops a command is an `Error` and exits with 2, following
//! ripgrep: 0 means all is well, 1 means `check` found problems in scripts,
//! 2 means the command itself could not do its job.

use std::fmt;
use std::io;
use std::path::Path;

#[derive(Debug)]
pub(crate) struct Error {
    message: String,
    help: Option<String>,
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Error {
        self.help = Some(help.into());
        self
    }

    /// An I/O failure on `path`, phrased for a person.
    pub(crate) fn io(action: &str, path: &Path, err: &io::Error) -> Error {
        let what = match err.kind() {
            io::ErrorKind::NotFound => "it does not exist".to_owned(),
            io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            io::ErrorKind::IsADirectory => "it is a folder".to_owned(),
            _ => err.to_string(),
        };
        Error::new(format!("cannot {action} {}: {what}", path.display()))
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn help_text(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Success,
    /// `check` found problems.
    Problems,
    /// A session ended by this signal (Ctrl-C, SIGTERM, SIGHUP).
    Signal(u8),
}
