//! Reading the files a session includes: inside its sandbox, never a special file, never a huge one.
//!
//! A session from a stranger may name any path in `include`, so the path
//! is resolved (`..`, symbolic links) before anything is opened, and must
//! lie in the session's own folder tree or one of the person's `sessions`
//! folders: `allow` opens sounds only, not scripts. The file is then read
//! through `safe_file`, so a FIFO, a device or a folder is refused without
//! blocking, and a file past `MAX_INCLUDE_BYTES` is refused unread.
//! Bundled sessions include bundled files, compiled into the binary.

use std::path::{Path, PathBuf};

use super::{Script, Source, BUNDLED_BLOCKS};
use crate::diagnostic::{Code, Diagnostic};
use crate::safe_file::{read_bounded, OpenError};
use crate::sandbox::real;
use crate::script::{include_outside, InMemory, Included, Includes, MAX_INCLUDE_BYTES};

/// The provider for `script`: bundled files for a bundled session, the
/// disk inside the sandbox for a file. `sessions` are the person's folders.
pub(crate) fn for_script(script: &Script, sessions: &[PathBuf]) -> Box<dyn Includes> {
    match &script.source {
        Source::Bundled => Box::new(InMemory {
            root: PathBuf::from(format!("{}.toml", script.id)),
            files: BUNDLED_BLOCKS
                .iter()
                .map(|b| {
                    (
                        PathBuf::from(format!("{}.toml", b.name)),
                        b.source.to_owned(),
                    )
                })
                .collect(),
            prefix: "<bundled>/".into(),
        }),
        Source::File(path) => Box::new(Disk::new(path, sessions)),
    }
}

/// Included files on disk, for a session file.
pub(crate) struct Disk {
    /// The session, resolved.
    root: PathBuf,
    /// The session's folder as the person named it, for messages.
    shown_dir: PathBuf,
    /// The folders includes may come from, resolved.
    open: Vec<PathBuf>,
}

impl Disk {
    pub(crate) fn new(script: &Path, sessions: &[PathBuf]) -> Disk {
        let root = real(script);
        let mut open: Vec<PathBuf> = root.parent().map(Path::to_owned).into_iter().collect();
        open.extend(sessions.iter().map(|d| real(d)));
        Disk {
            root,
            shown_dir: script.parent().map(Path::to_owned).unwrap_or_default(),
            open,
        }
    }

    /// How messages name `path` (resolved): beside the session as the
    /// person named it, when it is in the session's folder.
    fn shown(&self, path: &Path) -> PathBuf {
        match self.root.parent().and_then(|d| path.strip_prefix(d).ok()) {
            Some(rest) => self.shown_dir.join(rest),
            None => path.to_owned(),
        }
    }
}

impl Includes for Disk {
    fn root_key(&self) -> Option<PathBuf> {
        Some(self.root.clone())
    }

    fn read(&mut self, from: Option<&Path>, request: &str) -> Result<Included, Diagnostic> {
        let from = from.unwrap_or(&self.root);
        let dir = from.parent().unwrap_or(Path::new("/"));
        // Resolved before it is opened: `..` and links are judged by where
        // they lead, and what is opened is what was judged.
        let path = real(&dir.join(request));
        if !self.open.iter().any(|d| path.starts_with(d)) {
            return Err(include_outside(request));
        }
        let shown = self.shown(&path);
        let name = shown.display().to_string();
        let bytes = match read_bounded(&path, MAX_INCLUDE_BYTES) {
            // A bundled session copied out to be edited still finds the
            // bundled blocks it names, when no file of that name is there.
            Err(OpenError::NotFound) if bundled(request).is_some() => {
                return Ok(bundled(request).expect("checked just above"));
            }
            other => other,
        };
        let bytes = bytes.map_err(|e| {
            let (code, message, help) = match e {
                OpenError::NotFound => (
                    Code::IncludeNotFound,
                    format!("there is no file `{name}` to include"),
                    "the path is relative to the folder of the file that includes it".to_owned(),
                ),
                OpenError::Directory => (
                    Code::IncludeNotAFile,
                    format!("`{name}` is a folder, not a file of blocks"),
                    "name a `.toml` file in it".to_owned(),
                ),
                OpenError::NotRegular => (
                    Code::IncludeNotAFile,
                    format!("`{name}` is not a regular file (a pipe or a device?)"),
                    "include a file of blocks saved on disk".to_owned(),
                ),
                OpenError::TooLarge { .. } => (
                    Code::IncludeTooLarge,
                    format!("`{name}` is too large to include: {e}"),
                    "a file of blocks is a few lines of TOML; is this the right file?".to_owned(),
                ),
                OpenError::Io(e) => (
                    Code::IncludeUnreadable,
                    format!("cannot read `{name}`: {e}"),
                    "check that the file is readable".to_owned(),
                ),
            };
            Diagnostic::error(code, message)
                .label("cannot include this")
                .help(help)
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Diagnostic::error(Code::NotUtf8, format!("`{name}` is not UTF-8 text"))
                .help("files of blocks are UTF-8 TOML; save it as UTF-8 in your editor")
        })?;
        Ok(Included {
            key: path,
            dir: shown.parent().map(Path::to_owned).unwrap_or_default(),
            name,
            text,
        })
    }
}

/// The bundled file of blocks `request` names (such as
/// `blocks/arrival.toml`), as a bundled session would include it.
fn bundled(request: &str) -> Option<Included> {
    let key = crate::script::resolve_within(Path::new(""), request)?;
    let b = BUNDLED_BLOCKS
        .iter()
        .find(|b| Path::new(&format!("{}.toml", b.name)) == key)?;
    Some(Included {
        name: format!("<bundled>/{}", key.display()),
        dir: PathBuf::new(),
        key: PathBuf::from("<bundled>").join(&key),
        text: b.source.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(disk: &mut Disk, request: &str) -> Result<Included, &'static str> {
        disk.read(None, request).map_err(|d| d.code.name())
    }

    #[test]
    fn includes_stay_in_the_sandbox_and_refuse_special_files() {
        let root = tempfile::tempdir().unwrap();
        let pack = root.path().join("pack");
        let mine = root.path().join("mine");
        let private = root.path().join("private");
        for d in [&pack.join("shared"), &mine, &private] {
            std::fs::create_dir_all(d).unwrap();
        }
        let blocks = "[[blocks.a.steps]]\nkind = \"bell\"\n";
        std::fs::write(pack.join("shared/a.toml"), blocks).unwrap();
        std::fs::write(mine.join("m.toml"), blocks).unwrap();
        std::fs::write(private.join("p.toml"), blocks).unwrap();
        std::os::unix::fs::symlink(private.join("p.toml"), pack.join("link.toml")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", pack.join("zero.toml")).unwrap();
        let fifo = pack.join("fifo.toml");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        std::fs::write(
            pack.join("big.toml"),
            vec![b'#'; MAX_INCLUDE_BYTES as usize + 1],
        )
        .unwrap();
        std::fs::write(pack.join("bad.toml"), b"\xff\xfe").unwrap();

        let mut disk = Disk::new(&pack.join("s.toml"), std::slice::from_ref(&mine));
        let got = read(&mut disk, "shared/a.toml").unwrap();
        assert_eq!(got.text, blocks);
        assert_eq!(got.name, pack.join("shared/a.toml").display().to_string());
        assert_eq!(got.dir, pack.join("shared"));
        // An included file's own includes resolve against its folder.
        let again = disk.read(Some(&got.key), "../shared/./a.toml").unwrap();
        assert_eq!(again.key, got.key);
        // The person's sessions folder is open; anything else is not.
        assert!(read(&mut disk, &mine.join("m.toml").display().to_string()).is_ok());
        assert!(read(&mut disk, "../mine/m.toml").is_ok());
        for outside in [
            "../private/p.toml",
            "link.toml",
            "/etc/passwd",
            "shared/../../private/p.toml",
        ] {
            assert_eq!(
                read(&mut disk, outside).unwrap_err(),
                "include-outside",
                "{outside}"
            );
        }
        // A link to a device leads out of the folder; a device in an open
        // folder is refused as not a file, without reading.
        assert_eq!(read(&mut disk, "zero.toml").unwrap_err(), "include-outside");
        let mut dev = Disk::new(&pack.join("s.toml"), &[PathBuf::from("/dev")]);
        assert_eq!(
            read(&mut dev, "/dev/zero").unwrap_err(),
            "include-not-a-file"
        );
        assert_eq!(
            read(&mut disk, "fifo.toml").unwrap_err(),
            "include-not-a-file"
        );
        assert_eq!(read(&mut disk, "shared").unwrap_err(), "include-not-a-file");
        assert_eq!(
            read(&mut disk, "big.toml").unwrap_err(),
            "include-too-large"
        );
        assert_eq!(read(&mut disk, "bad.toml").unwrap_err(), "not-utf8");
        assert_eq!(
            read(&mut disk, "none.toml").unwrap_err(),
            "include-not-found"
        );
        // A copy of a bundled session finds the bundled blocks, unless a
        // file of that name is beside it.
        let copy = read(&mut disk, "blocks/arrival.toml").unwrap();
        assert_eq!(copy.name, "<bundled>/blocks/arrival.toml");
        assert!(copy.text.contains("[[blocks.arrival.steps]]"));
        std::fs::create_dir_all(pack.join("blocks")).unwrap();
        std::fs::write(pack.join("blocks/arrival.toml"), blocks).unwrap();
        assert_eq!(read(&mut disk, "blocks/arrival.toml").unwrap().text, blocks);
    }
}
