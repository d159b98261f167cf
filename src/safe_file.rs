//! Opening the files kindly reads, so that no file can hang or flood it.
//!
//! Whatever sits where kindly expects a file (a FIFO, `/dev/zero`, a
//! device, a folder, or a file swapped for one of those since it was last
//! looked at) is judged on the descriptor itself: the path is opened
//! non-blocking (a FIFO with no writer would otherwise block in `open`),
//! then `fstat` must say "regular file", and only then is blocking I/O
//! turned back on. Reads are bounded by a limit the caller states, so even
//! a file that grows while it is read cannot fill memory.
//!
//! Every reader of a person's or a script's files goes through here: the
//! practice log, journal day files, the sound and voice caches, the config
//! file, session scripts and sound files.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Why a path could not be opened as a regular file.
#[derive(Debug)]
pub(crate) enum OpenError {
    NotFound,
    Directory,
    /// A FIFO, a device or a socket.
    NotRegular,
    /// Larger than the caller's limit.
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    Io(io::Error),
}

impl OpenError {
    /// The same, as an `io::Error`, for callers that only report I/O.
    pub(crate) fn into_io(self) -> io::Error {
        match self {
            OpenError::Io(e) => e,
            other => io::Error::other(other.to_string()),
        }
    }
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::NotFound => f.write_str("no such file"),
            OpenError::Directory => f.write_str("it is a folder, not a file"),
            OpenError::NotRegular => f.write_str("not a regular file (a pipe, device or socket)"),
            OpenError::TooLarge { bytes, limit } => write!(
                f,
                "it is {} KiB, more than the {} KiB kindly reads from such a file",
                bytes.div_ceil(1024),
                limit.div_ceil(1024)
            ),
            OpenError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<io::Error> for OpenError {
    fn from(e: io::Error) -> OpenError {
        if e.kind() == io::ErrorKind::NotFound {
            OpenError::NotFound
        } else {
            OpenError::Io(e)
        }
    }
}

/// Open `path` for reading if, and only if, it is a regular file of at
/// most `limit` bytes. Never blocks in `open`. Returns the file and its
/// length.
pub(crate) fn open_regular(path: &Path, limit: u64) -> Result<(File, u64), OpenError> {
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(OpenError::Directory);
    }
    if !meta.is_file() {
        return Err(OpenError::NotRegular);
    }
    if meta.len() > limit {
        return Err(OpenError::TooLarge {
            bytes: meta.len(),
            limit,
        });
    }
    set_blocking(&file)?;
    Ok((file, meta.len()))
}

/// Read a whole regular file of at most `limit` bytes. A file that grows
/// past the limit while it is read is refused, not read on.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, OpenError> {
    let (file, len) = open_regular(path, limit)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(OpenError::TooLarge {
            bytes: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Open `path` for writing with `options`, refusing anything but a
/// regular file without blocking: opening a FIFO for writing blocks until
/// a reader comes, and a device would take whatever is written.
pub(crate) fn open_for_writing(
    options: &mut std::fs::OpenOptions,
    path: &Path,
) -> io::Result<File> {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(options, libc::O_NONBLOCK | libc::O_NOCTTY);
    let file = match options.open(path) {
        Ok(f) => f,
        // A FIFO with no reader refuses a non-blocking writer with ENXIO.
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
            return Err(OpenError::NotRegular.into_io());
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(OpenError::NotRegular.into_io());
    }
    set_blocking(&file)?;
    Ok(file)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

#[cfg(unix)]
fn set_blocking(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function's caller owns, with
    // flags read from that same descriptor.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_blocking(_file: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("log.jsonl");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        // A FIFO with no writer: a blocking open would never return.
        assert!(matches!(
            read_bounded(&fifo, 1024),
            Err(OpenError::NotRegular)
        ));
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(
            read_bounded(&zero, 1024),
            Err(OpenError::NotRegular)
        ));
        assert!(matches!(
            read_bounded(dir.path(), 1024),
            Err(OpenError::Directory)
        ));
        assert!(matches!(
            read_bounded(&dir.path().join("missing"), 1024),
            Err(OpenError::NotFound)
        ));
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap();
        assert!(matches!(
            read_bounded(&big, 1024),
            Err(OpenError::TooLarge { bytes: 2048, .. })
        ));
        assert_eq!(read_bounded(&big, 2048).unwrap().len(), 2048);
    }

    #[test]
    fn writers_refuse_special_files_too() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("day.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let mut o = std::fs::OpenOptions::new();
        o.append(true).create(true);
        assert!(open_for_writing(&mut o, &fifo).is_err());
        let mut o = std::fs::OpenOptions::new();
        o.append(true);
        assert!(open_for_writing(&mut o, Path::new("/dev/null")).is_err());
        let mut o = std::fs::OpenOptions::new();
        o.append(true).create(true);
        let mut f = open_for_writing(&mut o, &dir.path().join("ok.md")).unwrap();
        std::io::Write::write_all(&mut f, b"fine").unwrap();
    }

    #[test]
    fn an_opened_file_reads_blocking() {
        // After the check, reads are ordinary: a regular file read to the end.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        std::fs::write(&p, "hello").unwrap();
        let (mut f, len) = open_regular(&p, 10).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        assert_eq!((s.as_str(), len), ("hello", 5));
    }
}
