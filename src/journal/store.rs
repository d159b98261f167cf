//! The journal's files: `journal/YYYY-MM-DD.md`, private to their owner.
//!
//! The folder is mode 0700 and each file 0600, set explicitly every time we
//! write (so a folder made by an older version, or by hand, is fixed too).
//! An entry is appended like a practice record: `O_APPEND`, one `write`,
//! `sync_data`. A new day's file is made with `create_new`, its heading and
//! first entry in the same write, so two processes cannot both write the
//! heading, and a crash leaves at worst one entry cut short. A write that
//! fails (a full disk) is undone: the file is truncated back to its length
//! before, or a new day's file removed, so an entry is saved whole or not
//! at all.

use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{day_heading, entry_block, Entry};
use crate::dirs::Dirs;
use crate::error::{Error, Result};
use crate::practice::store::write_once;

pub(crate) fn day_file(dirs: &Dirs, day: Date) -> PathBuf {
    dirs.journal().join(format!("{day}.md"))
}

/// Save an entry in its day's file; returns the file.
pub(crate) fn append(dirs: &Dirs, entry: &Entry) -> Result<PathBuf> {
    let path = day_file(dirs, entry.at.date());
    append_to(&dirs.journal(), &path, entry, entry.at.date()).map_err(|e| {
        Error::io("save your journal entry in", &path, &e)
            .help("check that the folder is writable, or set KINDLY_HOME to use another folder")
    })?;
    Ok(path)
}

fn append_to(folder: &Path, path: &Path, entry: &Entry, day: Date) -> io::Result<()> {
    private_folder(folder)?;
    let block = entry_block(entry);
    let mut options = OpenOptions::new();
    options.append(true).create_new(true);
    set_mode(&mut options);
    match crate::safe_file::open_for_writing(&mut options, path) {
        Ok(mut file) => {
            let text = format!("{}{block}", day_heading(day));
            let written = write_once(&mut file, text.as_bytes()).and_then(|()| file.sync_data());
            if let Err(e) = written {
                // A failed first save leaves no day file, not an empty or
                // half-written one.
                drop(file);
                let _ = fs::remove_file(path);
                return Err(e);
            }
            sync_folder(folder);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let mut file =
                crate::safe_file::open_for_writing(OpenOptions::new().append(true), path)?;
            private_file(path)?;
            let before = file.metadata()?.len();
            let written = write_once(&mut file, block.as_bytes()).and_then(|()| file.sync_data());
            if let Err(e) = written {
                // Whole or not at all: an entry cut off mid-word (a full
                // disk) is taken back, so "not saved" is the truth.
                let _ = file.set_len(before).and_then(|()| file.sync_data());
                return Err(e);
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Days that have a journal file, oldest first. No folder: no days.
pub(crate) fn days(dirs: &Dirs) -> Result<Vec<Date>> {
    let folder = dirs.journal();
    let read = match fs::read_dir(&folder) {
        Ok(r) => r,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read the journal folder", &folder, &e)),
    };
    let mut days: Vec<Date> = read
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name();
            let stem = name.to_str()?.strip_suffix(".md")?;
            super::plain_date(stem)
        })
        .collect();
    days.sort();
    Ok(days)
}

/// A day's file as text (invalid UTF-8 from hand edits is replaced, not
/// fatal), or `None` if there is no file for that day.
pub(crate) fn read_day(dirs: &Dirs, day: Date) -> Result<Option<String>> {
    let path = day_file(dirs, day);
    // A day of writing is kilobytes; more is not a day file.
    match crate::safe_file::read_bounded(&path, 16 << 20) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(crate::safe_file::OpenError::NotFound) => Ok(None),
        Err(e) => Err(Error::new(format!("cannot read {}: {e}", path.display()))
            .help("move that file aside; journal day files are plain Markdown files")),
    }
}

fn private_folder(folder: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder)?;
    set_permissions(folder, 0o700)
}

fn private_file(path: &Path) -> io::Result<()> {
    set_permissions(path, 0o600)
}

#[cfg(unix)]
fn set_permissions(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = fs::metadata(path)?.permissions().mode() & 0o777;
    if current != mode {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_permissions(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

fn set_mode(options: &mut OpenOptions) {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, 0o600);
    #[cfg(not(unix))]
    let _ = options;
}

/// Make a new file's name durable too. Best effort: the entry itself is
/// already synced, and some file systems refuse to sync folders.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(f) = fs::File::open(folder) {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::summaries;
    use crate::local_time::LocalTime;

    fn entry(at: &str, answer: &str) -> Entry {
        Entry {
            at: LocalTime::parse(at).unwrap(),
            session: "s".into(),
            title: "Kind Letter".into(),
            question: "What do you need?".into(),
            answer: answer.into(),
        }
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    /// A full disk, for real: a 64 KiB tmpfs mounted for this test. Needs
    /// root (CI runs as root); skipped with a reason otherwise.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_saves_nothing_rather_than_part() {
        use std::process::Command;
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: mounting a small tmpfs needs root");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .status();
        if !mounted.is_ok_and(|s| s.success()) {
            eprintln!("skipped: cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?)");
            return;
        }
        struct Unmount<'a>(&'a Path);
        impl Drop for Unmount<'_> {
            fn drop(&mut self) {
                let _ = std::process::Command::new("umount").arg(self.0).status();
            }
        }
        let _unmount = Unmount(dir.path());
        let dirs = Dirs::in_one_folder(dir.path().join("home"));
        let day: Date = "2026-11-28".parse().unwrap();

        // The first save of the day fails: no file is left.
        let huge = "kind words ".repeat(20_000);
        assert!(append(&dirs, &entry("2026-11-28T07:00:00+01:00", &huge)).is_err());
        assert!(!day_file(&dirs, day).exists());

        // A later save fails: the file is exactly as it was.
        append(&dirs, &entry("2026-11-28T08:00:00+01:00", "rest")).unwrap();
        let before = fs::read(day_file(&dirs, day)).unwrap();
        assert!(append(&dirs, &entry("2026-11-28T09:00:00+01:00", &huge)).is_err());
        assert_eq!(fs::read(day_file(&dirs, day)).unwrap(), before);
    }

    #[test]
    fn entries_go_to_their_day_with_one_heading_per_file() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = Dirs::in_one_folder(dir.path().join("home"));
        let p1 = append(&dirs, &entry("2026-11-28T07:00:00+01:00", "rest")).unwrap();
        let p2 = append(&dirs, &entry("2026-11-28T21:00:00+01:00", "sleep")).unwrap();
        append(&dirs, &entry("2026-11-29T00:10:00+01:00", "again")).unwrap();
        assert_eq!(p1, p2);
        assert!(p1.ends_with("journal/2026-11-28.md"));
        let text = read_day(&dirs, "2026-11-28".parse().unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(text.matches("# Journal, 2026-11-28").count(), 1);
        let words: Vec<String> = summaries(&text)
            .into_iter()
            .map(|s| s.first_words)
            .collect();
        assert_eq!(words, vec!["rest", "sleep"]);
        assert_eq!(
            days(&dirs).unwrap(),
            vec!["2026-11-28".parse().unwrap(), "2026-11-29".parse().unwrap()]
        );
        assert_eq!(
            read_day(&dirs, "2020-01-01".parse().unwrap()).unwrap(),
            None
        );
    }

    #[cfg(unix)]
    #[test]
    fn files_are_0600_in_a_0700_folder_even_if_made_looser_before() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let dirs = Dirs::in_one_folder(dir.path().to_owned());
        fs::create_dir_all(dirs.journal()).unwrap();
        fs::set_permissions(dirs.journal(), fs::Permissions::from_mode(0o755)).unwrap();
        let old = dirs.journal().join("2026-11-28.md");
        fs::write(&old, "# by hand\n").unwrap();
        fs::set_permissions(&old, fs::Permissions::from_mode(0o644)).unwrap();

        append(&dirs, &entry("2026-11-28T07:00:00+01:00", "a")).unwrap();
        let new = append(&dirs, &entry("2026-11-30T07:00:00+01:00", "b")).unwrap();
        assert_eq!(mode(&dirs.journal()), 0o700);
        assert_eq!(mode(&old), 0o600);
        assert_eq!(mode(&new), 0o600);
        assert!(fs::read_to_string(&old)
            .unwrap()
            .starts_with("# by hand\n\n## 07:00"));
    }

    #[test]
    fn no_folder_means_no_days_and_stray_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = Dirs::in_one_folder(dir.path().to_owned());
        assert!(days(&dirs).unwrap().is_empty());
        fs::create_dir_all(dirs.journal()).unwrap();
        for name in [
            "notes.md",
            "2026-13-01.md",
            "2026-11-28.txt",
            ".2026-11-28.md.swp",
        ] {
            fs::write(dirs.journal().join(name), "x").unwrap();
        }
        assert!(days(&dirs).unwrap().is_empty());
    }
}
