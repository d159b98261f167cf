//! `SoundRef`: a sound named by a script, either built in or a file.

use std::fmt;
use std::path::PathBuf;

use crate::synth::{BedSound, Cue};

/// Where a sound comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SoundRef {
    Cue(Cue),
    Bed(BedSound),
    /// A path already resolved against the session file's folder.
    File(PathBuf),
}

impl SoundRef {
    pub fn builtin(name: &str) -> Option<SoundRef> {
        Cue::from_name(name)
            .map(SoundRef::Cue)
            .or_else(|| BedSound::from_name(name).map(SoundRef::Bed))
    }

    /// A script value names a file when it has a path separator or an
    /// extension; a bare word is a built-in name. This keeps `bowl` and
    /// `bowl.wav` unambiguous without a second field.
    pub fn looks_like_file(value: &str) -> bool {
        value.contains('/')
            || value.contains('\\')
            || std::path::Path::new(value).extension().is_some()
    }
}

impl fmt::Display for SoundRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SoundRef::Cue(c) => f.write_str(c.name()),
            SoundRef::Bed(b) => f.write_str(b.name()),
            SoundRef::File(p) => write!(f, "{}", p.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_or_builtin() {
        assert!(!SoundRef::looks_like_file("bowl"));
        assert!(!SoundRef::looks_like_file("brown-noise"));
        assert!(SoundRef::looks_like_file("bowl.wav"));
        assert!(SoundRef::looks_like_file("sounds/rain"));
        assert_eq!(
            SoundRef::builtin("rain"),
            Some(SoundRef::Bed(BedSound::Rain))
        );
        assert_eq!(SoundRef::builtin("gong"), Some(SoundRef::Cue(Cue::Gong)));
        assert_eq!(SoundRef::builtin("gongs"), None);
    }
}
