//! Finding sessions: the bundled library, the user's folder, and script files.
//!
//! The bundled sessions are compiled into the binary so an installed
//! `kindly` works from any folder, fully offline.

pub mod includes;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::dirs::Dirs;
use crate::error::{Error, Result};
use crate::script::{self, Origin, Parsed};

/// A session shipped inside the binary.
pub(crate) struct Bundled {
    pub name: &'static str,
    pub source: &'static str,
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(Bundled { name: $name, source: include_str!(concat!("../sessions/", $name, ".toml")) }),*]
    };
}

/// Every file in `sessions/`; a test keeps this list and the folder equal.
pub(crate) const BUNDLED: &[Bundled] = bundled![
    "self-compassion-break",
    "secure-base",
    "mindful-breathing",
    "compassionate-letter",
    "kind-self-talk",
    "loving-kindness",
    "reaching-out",
    "silent-sit",
    "breathing-pacer",
    "three-minute-pause",
    "self-compassion-pause",
    "grounding",
    "backdraft-care",
    "soothing-touch",
];

/// Files of blocks that bundled sessions include, in `sessions/blocks/`:
/// embedded like the sessions, and not sessions themselves, so `kindly
/// list` never shows them. A test keeps this list and the folder equal.
pub(crate) const BUNDLED_BLOCKS: &[Bundled] = bundled!["blocks/arrival"];

/// Scripts larger than this are refused before reading: no real session
/// comes near it, and it bounds the work on a wrong argument.
pub(crate) const MAX_SCRIPT_BYTES: u64 = 16 * 1024 * 1024;

/// Where a script came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    Bundled,
    File(PathBuf),
}

/// A script's text, ready to parse.
#[derive(Debug, Clone)]
pub(crate) struct Script {
    pub id: String,
    pub source: Source,
    /// What messages call it: the path as given, or `<bundled>/name.toml`.
    pub display: String,
    pub text: String,
    /// Problems found while reading, such as bytes that are not UTF-8.
    pub read_problems: Vec<Diagnostic>,
}

impl Script {
    pub(crate) fn bundled(b: &Bundled) -> Script {
        Script {
            id: b.name.to_owned(),
            source: Source::Bundled,
            display: format!("<bundled>/{}.toml", b.name),
            text: b.source.to_owned(),
            read_problems: Vec::new(),
        }
    }

    /// Read a script file. Refuses folders, FIFOs, devices and huge files
    /// before reading a byte, so a wrong argument can never hang.
    pub(crate) fn read(path: &Path) -> Result<Script> {
        use crate::safe_file::{read_bounded, OpenError};
        let bytes = read_bounded(path, MAX_SCRIPT_BYTES).map_err(|e| match e {
            OpenError::Directory => Error::new(format!(
                "{} is a folder, not a session script",
                path.display()
            ))
            .help("give a `.toml` file, or use `--dir` to list the sessions in a folder"),
            OpenError::NotRegular => Error::new(format!(
                "{} is not a regular file (a pipe or a device?)",
                path.display()
            ))
            .help("save the script to a file and check that"),
            OpenError::TooLarge { bytes, .. } => Error::new(format!(
                "{} is {} MB, too large to be a session script",
                path.display(),
                bytes / (1024 * 1024)
            ))
            .help("session scripts are small TOML files; is this the right file?"),
            OpenError::NotFound => Error::io(
                "read",
                path,
                &std::io::Error::from(std::io::ErrorKind::NotFound),
            ),
            OpenError::Io(e) => Error::io("read", path, &e),
        })?;
        let display = path.display().to_string();
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "session".to_owned());
        let (text, read_problems) = decode_utf8(bytes);
        Ok(Script {
            id,
            source: Source::File(path.to_owned()),
            display,
            text,
            read_problems,
        })
    }

    /// The folder relative sound paths resolve against.
    pub(crate) fn dir(&self) -> PathBuf {
        // An empty folder joins to the bare relative path, so messages say
        // `sounds/x.ogg` rather than `./sounds/x.ogg`.
        match &self.source {
            Source::Bundled => PathBuf::new(),
            Source::File(p) => p.parent().map_or_else(PathBuf::new, Path::to_owned),
        }
    }

    /// Check the script; it may include files from its own folder tree
    /// and from `sessions`, the person's session folders, and name the
    /// person's breathing `patterns`.
    pub(crate) fn parse_in(
        &self,
        sessions: &[PathBuf],
        patterns: &crate::session::Patterns,
    ) -> Parsed {
        let dir = self.dir();
        let mut includes = includes::for_script(self, sessions);
        let mut parsed = script::parse_with(
            &self.text,
            &Origin {
                id: &self.id,
                dir: &dir,
            },
            includes.as_mut(),
            patterns,
        );
        if !self.read_problems.is_empty() {
            let mut all = self.read_problems.clone();
            all.append(&mut parsed.diagnostics);
            parsed.diagnostics = all;
            parsed.session = None;
        }
        parsed
    }
}

/// Text with invalid UTF-8 replaced, and a diagnostic at the first bad byte.
fn decode_utf8(bytes: Vec<u8>) -> (String, Vec<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, Vec::new()),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let d = Diagnostic::error(Code::NotUtf8, "this file is not valid UTF-8 text")
                .at(at..at + 1)
                .label("unreadable byte here")
                .help("session scripts are UTF-8 TOML; save the file as UTF-8 in your editor");
            (text, vec![d])
        }
    }
}

/// Places to look for sessions by name, most specific first.
pub(crate) struct Finder {
    pub dirs: Vec<PathBuf>,
}

impl Finder {
    /// `--dir` folders first, then the user's sessions folder.
    pub(crate) fn new(extra: &[PathBuf], dirs: Option<&Dirs>) -> Finder {
        let mut all = extra.to_vec();
        if let Some(d) = dirs {
            all.push(d.sessions());
        }
        Finder { dirs: all }
    }

    /// A name (`self-compassion-break`) or a path (`my.toml`, `./x`).
    /// User folders shadow the bundled library, so a copied and edited
    /// bundled session plays in place of the original.
    pub(crate) fn find(&self, arg: &str) -> Result<Script> {
        let path = Path::new(arg);
        let looks_like_path = arg.contains('/')
            || arg.contains(std::path::MAIN_SEPARATOR)
            || arg.ends_with(".toml")
            || path.is_file();
        if looks_like_path {
            return Script::read(path);
        }
        for dir in &self.dirs {
            let candidate = dir.join(format!("{arg}.toml"));
            if candidate.is_file() {
                return Script::read(&candidate);
            }
        }
        if let Some(b) = BUNDLED.iter().find(|b| b.name == arg) {
            return Ok(Script::bundled(b));
        }
        let mut names: Vec<String> = BUNDLED.iter().map(|b| b.name.to_owned()).collect();
        names.extend(self.user_scripts().into_iter().map(|(name, _)| name));
        let err = Error::new(format!("no session named `{arg}`"));
        Err(
            match script::did_you_mean(arg, names.iter().map(String::as_str)) {
                Some(help) => err.help(format!("{help} `kindly list` shows them all")),
                None => err.help("`kindly list` shows the sessions; to play a file, give its path"),
            },
        )
    }

    /// `(name, path)` of every `.toml` in the user folders, sorted by name.
    pub(crate) fn user_scripts(&self) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        for dir in &self.dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut here: Vec<(String, PathBuf)> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
                .filter_map(|p| Some((p.file_stem()?.to_string_lossy().into_owned(), p)))
                .collect();
            here.sort();
            out.extend(here);
        }
        out
    }
}

#[cfg(test)]
mod rules;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_list_matches_the_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = BUNDLED.iter().map(|b| b.name.to_owned()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn bundled_blocks_match_their_folder_and_are_not_sessions() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/blocks");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| format!("blocks/{}", p.file_stem().unwrap().to_string_lossy()))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = BUNDLED_BLOCKS.iter().map(|b| b.name.to_owned()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
        assert!(BUNDLED.iter().all(|b| !b.name.contains('/')));
    }

    #[test]
    fn utf8_problems_are_located() {
        let (text, d) = decode_utf8(b"title = \"a\xffb\"\n".to_vec());
        assert!(text.contains('\u{fffd}'));
        assert_eq!(d[0].span, Some(10..11));
        assert_eq!(d[0].code, Code::NotUtf8);
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let f = Finder { dirs: vec![] };
        let e = f.find("self-compasion-break").unwrap_err();
        assert!(e.help_text().unwrap().contains("self-compassion-break"));
    }
}
