//! The one rule for writing where a file may already be: kindly never
//! replaces a person's file by surprise.
//!
//! Every command that writes a file a person names asks `check` first.
//! Without `--force`:
//! - a file the command itself reads (a render's script, sounds and voice
//!   clips) is never the output: that would destroy the input;
//! - a read-only file is never replaced (renaming over it would hide the
//!   0444 that said "keep this");
//! - a symlink is never followed or replaced;
//! - with `Existing::Keep` (`new`, `sounds export`), nothing that exists
//!   is replaced. `render` uses `Existing::Replace`: rendering again over
//!   its own earlier output is what a person expects.

use std::path::Path;

use crate::error::Error;

/// What to do with an ordinary, writable file already at the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Refuse it (without --force).
    Keep,
    /// Replace it: it is this command's own earlier output.
    Replace,
}

/// Whether `target` may be written, given the files this command reads.
pub(crate) fn check(
    target: &Path,
    inputs: &[&Path],
    existing: Existing,
    force: bool,
) -> Result<(), Error> {
    if force {
        return Ok(());
    }
    let Ok(link) = std::fs::symlink_metadata(target) else {
        return Ok(()); // nothing there
    };
    let hint = "choose another name, or add --force to replace it";
    if inputs.iter().any(|input| same_file(input, target)) {
        return Err(Error::new(format!(
            "{} is one of this session's own files; writing there would destroy it",
            target.display()
        ))
        .help("choose another name for the output"));
    }
    if link.file_type().is_symlink() {
        return Err(Error::new(format!(
            "{} is a symbolic link; kindly does not write through or over links",
            target.display()
        ))
        .help(hint));
    }
    if !link.is_file() {
        // Folders, FIFOs and devices: the writer decides (render writes
        // into a FIFO; a folder fails with its own message).
        return Ok(());
    }
    if link.permissions().readonly() {
        return Err(Error::new(format!(
            "{} is read-only; kindly will not replace it",
            target.display()
        ))
        .help(hint));
    }
    match existing {
        Existing::Replace => Ok(()),
        Existing::Keep => {
            Err(Error::new(format!("{} already exists", target.display())).help(hint))
        }
    }
}

/// Whether two paths name the same file (same device and inode), however
/// they are spelled: `./a.wav`, an absolute path, a hard link.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        std::fs::write(p("out.wav"), "x").unwrap();
        std::fs::write(p("voice.wav"), "x").unwrap();
        std::fs::write(p("kept.wav"), "x").unwrap();
        let mut ro = std::fs::metadata(p("kept.wav")).unwrap().permissions();
        ro.set_readonly(true);
        std::fs::set_permissions(p("kept.wav"), ro).unwrap();
        std::os::unix::fs::symlink(p("out.wav"), p("link.wav")).unwrap();

        let voice = p("voice.wav");
        let inputs: &[&Path] = &[&voice];
        let refused = |t: &str, e| check(&p(t), inputs, e, false).unwrap_err().to_string();
        assert!(check(&p("new.wav"), inputs, Existing::Keep, false).is_ok());
        assert!(check(&p("out.wav"), inputs, Existing::Replace, false).is_ok());
        assert!(refused("out.wav", Existing::Keep).contains("already exists"));
        assert!(refused("kept.wav", Existing::Replace).contains("read-only"));
        assert!(refused("link.wav", Existing::Replace).contains("symbolic link"));
        // The same input spelt another way is still the input.
        let other = dir.path().join(".").join("voice.wav");
        assert!(check(&other, inputs, Existing::Replace, false)
            .unwrap_err()
            .to_string()
            .contains("own files"));
        for t in ["out.wav", "kept.wav", "link.wav", "voice.wav"] {
            assert!(check(&p(t), inputs, Existing::Keep, true).is_ok());
        }
    }
}
