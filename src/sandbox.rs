//! Which files a script may read: its own folder tree, and more only for
//! scripts the person has said they trust.
//!
//! A script can come from anyone (a download, a shared pack), and naming a
//! file is enough to learn whether it exists. So a path that leaves the
//! script's folder, absolute or through `..` or a symbolic link, is open
//! only to scripts in the person's session folders (`sessions` in
//! config.toml, `--dir`) or when it lies in a folder listed in `allow`.
//! The refusal is a diagnostic at the path, before anything is opened, so
//! `check` and `play` say the same and no file is probed.
//!
//! This is an edge module: it resolves symbolic links on the file system.
//! Paths are compared after that, so a link inside the folder that points
//! out of it is out.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::script::FileRef;

/// The folders one script may read from.
#[derive(Debug, Clone)]
pub(crate) struct Sandbox {
    /// `None`: every path is open (a trusted script).
    open: Option<Vec<PathBuf>>,
}

impl Sandbox {
    /// No limits: bundled sessions, and code that reads no script.
    pub(crate) fn open() -> Sandbox {
        Sandbox { open: None }
    }

    /// For a script at `script`: its folder tree and `allow`, or everything
    /// when it lies in one of `sessions`.
    pub(crate) fn for_script(script: &Path, sessions: &[PathBuf], allow: &[PathBuf]) -> Sandbox {
        let script = real(script);
        if sessions.iter().any(|d| script.starts_with(real(d))) {
            return Sandbox::open();
        }
        let mut open: Vec<PathBuf> = allow.iter().map(|d| real(d)).collect();
        if let Some(dir) = script.parent() {
            open.push(dir.to_owned());
        }
        Sandbox { open: Some(open) }
    }

    /// `Err` with a located refusal when `file` lies outside.
    pub(crate) fn check(&self, file: &FileRef) -> Result<(), Diagnostic> {
        let Some(open) = &self.open else {
            return Ok(());
        };
        let path = real(&file.path);
        if open.iter().any(|d| path.starts_with(d)) {
            return Ok(());
        }
        Err(file.locate(
            Diagnostic::error(
                Code::OutsideFolder,
                format!("`{}` is outside this script's folder", file.path.display()),
            )
            .help(
                "a script may read files in its own folder; to let it read this one, \
             move the script into one of your `sessions` folders, or add the folder \
             to config.toml, like `allow = [\"~/Music\"]`",
            ),
        ))
    }
}

/// `path` made absolute, with `.` and `..` taken out and symbolic links
/// resolved as far as the path exists. A path that does not exist is
/// judged by where it would be.
pub(crate) fn real(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                // `..` after a link means the link's parent: resolve first.
                out = out.canonicalize().unwrap_or(out);
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    if let Ok(r) = out.canonicalize() {
        return r;
    }
    // The longest part that exists, resolved, with the rest on it.
    let mut rest = Vec::new();
    let mut head = out.clone();
    while let Some(name) = head.file_name().map(ToOwned::to_owned) {
        head.pop();
        rest.push(name);
        if let Ok(mut r) = head.canonicalize() {
            r.extend(rest.iter().rev());
            return r;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &Path) -> FileRef {
        FileRef {
            path: path.to_owned(),
            span: 0..1,
            file: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn a_script_reads_its_own_tree_and_nothing_else_unless_trusted() {
        let root = tempfile::tempdir().unwrap();
        let pack = root.path().join("pack");
        let private = root.path().join("private");
        let music = root.path().join("music");
        for d in [&pack.join("sounds"), &private, &music] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(private.join("secret.wav"), b"x").unwrap();
        std::os::unix::fs::symlink(private.join("secret.wav"), pack.join("link.wav")).unwrap();
        let script = pack.join("s.toml");

        let stranger = Sandbox::for_script(&script, &[], &[]);
        assert!(stranger.check(&file(&pack.join("sounds/a.wav"))).is_ok());
        assert!(stranger.check(&file(&pack.join("sounds/../b.wav"))).is_ok());
        for outside in [
            pack.join("../private/secret.wav"),
            private.join("secret.wav"),
            pack.join("link.wav"),
            PathBuf::from("/etc/passwd"),
            pack.join("sounds/../../private/none.wav"),
        ] {
            let d = stranger.check(&file(&outside)).unwrap_err();
            assert_eq!(d.code, Code::OutsideFolder, "{}", outside.display());
        }

        let allowed = Sandbox::for_script(&script, &[], std::slice::from_ref(&music));
        assert!(allowed.check(&file(&music.join("rain.ogg"))).is_ok());
        assert!(allowed.check(&file(&private.join("secret.wav"))).is_err());

        let own = Sandbox::for_script(&script, &[root.path().to_owned()], &[]);
        assert!(own.check(&file(&private.join("secret.wav"))).is_ok());
    }
}
