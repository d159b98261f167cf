//! The log file itself: append one record, read them all.
//!
//! Appending is crash- and concurrency-safe:
//! - the file is opened with `O_APPEND`, so the kernel moves to the end and
//!   writes in one step, and two kindly processes never overwrite each other;
//! - each record goes out in a single `write` (a few hundred bytes; local
//!   file systems do not split such writes), then `sync_data`;
//! - if the file does not end in a newline (a crash cut the last record
//!   short), the new record starts with one, so the damage stays confined to
//!   the broken line and every later record is whole;
//! - that check and the write happen under an exclusive `File::lock`, because
//!   a reader can see another process's write half done and would otherwise
//!   add a needless empty line.
//!
//! Reading never fails on content. Lines that are not records (cut short,
//! edited by hand, from a newer kindly) are skipped and reported, and the
//! file is never rewritten.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::{decode, encode, Record};
use crate::dirs::Dirs;
use crate::error::{Error, Result};

/// Every readable record, and the lines that were skipped.
#[derive(Debug, Default)]
pub struct Log {
    pub records: Vec<Record>,
    pub skipped: Vec<Skipped>,
}

/// A line that was not a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// Counted from 1, as editors count.
    pub line: usize,
    pub reason: String,
}

impl Log {
    /// Warnings for stderr, one per skipped line (at most a few, then a count).
    pub fn warnings(&self, path: &Path) -> String {
        const SHOWN: usize = 5;
        let mut out = String::new();
        for s in self.skipped.iter().take(SHOWN) {
            out.push_str(&format!(
                "warning: skipped line {} of {}: {}\n",
                s.line,
                path.display(),
                s.reason
            ));
        }
        if self.skipped.len() > SHOWN {
            out.push_str(&format!(
                "warning: skipped {} more lines of {}\n",
                self.skipped.len() - SHOWN,
                path.display()
            ));
        }
        if !self.skipped.is_empty() {
            out.push_str(
                "note: a line cut short by a crash is harmless; kindly never rewrites the log, \
                 so remove such lines by hand if the warning bothers you\n",
            );
        }
        out
    }
}

/// Parse the whole log. Pure: the caller reads the bytes.
pub fn parse(bytes: &[u8]) -> Log {
    let mut log = Log::default();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let Ok(text) = std::str::from_utf8(raw) else {
            log.skipped.push(Skipped {
                line: i + 1,
                reason: "not UTF-8 text".into(),
            });
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match decode(text.trim_end_matches('\r')) {
            Ok(r) => log.records.push(r),
            Err(e) => log.skipped.push(Skipped {
                line: i + 1,
                reason: e.to_string(),
            }),
        }
    }
    log
}

/// Read the log at `path`. A missing file is an empty log.
/// A log of a lifetime of daily practice is a few megabytes; a log larger
/// than this is not one (a link to `/dev/zero`, say) and is not read.
pub const MAX_LOG_BYTES: u64 = 64 << 20;

pub fn read_from(path: &Path) -> Result<Log> {
    match crate::safe_file::read_bounded(path, MAX_LOG_BYTES) {
        Ok(bytes) => Ok(parse(&bytes)),
        Err(crate::safe_file::OpenError::NotFound) => Ok(Log::default()),
        Err(e) => Err(Error::new(format!(
            "cannot read the practice log {}: {e}",
            path.display()
        ))
        .help("move that file aside, or set KINDLY_HOME to use another folder")),
    }
}

pub fn read(dirs: &Dirs) -> Result<Log> {
    read_from(&dirs.practice_log())
}

/// Append one record to the log in `dirs`.
pub fn append(dirs: &Dirs, record: &Record) -> Result<()> {
    append_to(&dirs.practice_log(), record)
}

pub fn append_to(path: &Path, record: &Record) -> Result<()> {
    append_line(path, &encode(record)).map_err(|e| {
        Error::io("add to the practice log", path, &e)
            .help("check that the folder is writable, or set KINDLY_HOME to use another folder")
    })
}

fn append_line(path: &Path, line: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = OpenOptions::new();
    options.append(true).create(true).read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = crate::safe_file::open_for_writing(&mut options, path)?;
    // O_APPEND alone keeps concurrent records whole, but the repair of a
    // line cut short by a crash reads the last byte first, and another
    // process may be mid-write at that moment (a reader can see a partial
    // write). An exclusive advisory lock makes check-then-append one step.
    // The kernel drops it when a process dies, even by `kill -9`.
    file.lock()?;
    let mut buf = Vec::with_capacity(line.len() + 2);
    if !ends_with_newline(&file)? {
        buf.push(b'\n');
    }
    buf.extend_from_slice(line.as_bytes());
    buf.push(b'\n');
    write_once(&mut file, &buf)?;
    file.sync_data()
}

/// One `write` call for the whole buffer. A short write only happens when
/// the disk is full or a limit is hit; we then finish the line (so the log
/// stays line-shaped) and let the error, if any, surface.
pub(crate) fn write_once(file: &mut File, buf: &[u8]) -> io::Result<()> {
    let n = loop {
        match file.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => break other?,
        }
    };
    file.write_all(&buf[n..])
}

/// Whether the file is empty or ends in `\n`, read with a positioned read
/// so the append position is not disturbed.
pub(crate) fn ends_with_newline(file: &File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    let mut last = [0u8; 1];
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(file, &mut last, len - 1)?;
    #[cfg(windows)]
    {
        let n = std::os::windows::fs::FileExt::seek_read(file, &mut last, len - 1)?;
        if n == 0 {
            return Ok(true);
        }
    }
    Ok(last[0] == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::LocalTime;
    use crate::practice::{Kind, Outcome};
    use std::time::Duration;

    fn record(n: u64) -> Record {
        Record {
            kind: Kind::Timer,
            session: format!("s{n}"),
            title: "Timer".into(),
            started: LocalTime::parse("2026-11-28T07:30:00+01:00").unwrap(),
            planned: Duration::from_secs(60),
            practised: Duration::from_secs(n),
            outcome: Outcome::Completed,
            themes: vec![],
            theme_seconds: vec![],
            again: Vec::new(),
            seed: None,
        }
    }

    #[test]
    fn an_empty_or_missing_log_has_no_records() {
        let dir = tempfile::tempdir().unwrap();
        let log = read_from(&dir.path().join("nope.jsonl")).unwrap();
        assert!(log.records.is_empty() && log.skipped.is_empty());
        let log = parse(b"");
        assert!(log.records.is_empty() && log.skipped.is_empty());
    }

    #[test]
    fn appends_one_line_each_and_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/er/log.jsonl");
        for n in 1..=3 {
            append_to(&path, &record(n)).unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.ends_with('\n'));
        let log = read_from(&path).unwrap();
        assert_eq!(log.records, vec![record(1), record(2), record(3)]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_truncated_last_line_is_skipped_and_the_next_record_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        append_to(&path, &record(1)).unwrap();
        let whole = encode(&record(2));
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&whole.as_bytes()[..whole.len() / 2]).unwrap();
        drop(f);
        let log = read_from(&path).unwrap();
        assert_eq!(log.records, vec![record(1)]);
        assert_eq!(log.skipped.len(), 1);
        assert_eq!(log.skipped[0].line, 2);

        append_to(&path, &record(3)).unwrap();
        let log = read_from(&path).unwrap();
        assert_eq!(log.records, vec![record(1), record(3)]);
        assert_eq!(log.skipped.len(), 1);
    }

    #[test]
    fn garbage_lines_are_skipped_with_their_numbers() {
        let mut bytes = encode(&record(1)).into_bytes();
        bytes.extend_from_slice(b"\n\n  \nhello\n\xff\xfe\n{}\r\n");
        bytes.extend_from_slice(encode(&record(2)).as_bytes());
        bytes.extend_from_slice(b"\r\n");
        let log = parse(&bytes);
        assert_eq!(log.records, vec![record(1), record(2)]);
        let lines: Vec<usize> = log.skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![4, 5, 6]);
        let w = log.warnings(Path::new("log.jsonl"));
        assert!(w.starts_with("warning: skipped line 4 of log.jsonl: not a complete record"));
        assert!(w.contains("line 5 of log.jsonl: not UTF-8 text"));
    }

    #[test]
    fn many_warnings_are_summarised() {
        let log = parse("x\n".repeat(9).as_bytes());
        let w = log.warnings(Path::new("l"));
        assert_eq!(w.matches("warning: skipped line").count(), 5);
        assert!(w.contains("skipped 4 more lines of l"));
    }
}
