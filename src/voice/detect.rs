//! The edge that finds which speech engines are installed: `PATH`, festival's voice, piper's models.
//!
//! Looking only: nothing is run. A program counts when an executable file
//! of its name is on `PATH`. festival counts only with the HTS voice its
//! recipe asks for (without it festival falls back to a far rougher
//! voice), and piper only with a voice model: `voice.model`, or the first
//! `.onnx` file (English ones first) in the folders `dirs` names.

use std::path::{Path, PathBuf};

use super::engine::Engine;

/// Where festival's voices are installed by Debian, Fedora, Homebrew and
/// source builds.
const FESTIVAL_VOICE_ROOTS: &[&str] = &[
    "/usr/share/festival/voices",
    "/usr/local/share/festival/voices",
    "/usr/lib/festival/voices",
    "/opt/homebrew/share/festival/voices",
];

const SLT_HTS: &str = "us/cmu_us_slt_arctic_hts";

/// What is installed.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Found {
    /// In quality order.
    pub engines: Vec<Engine>,
    /// piper's voice model, when piper is usable.
    pub model: Option<PathBuf>,
    /// Engines whose program is there but which lack what they need,
    /// with what is missing: for `kindly voices`.
    pub incomplete: Vec<(Engine, String)>,
}

/// Look for every engine. `path` is the `PATH` to search; `model` the
/// configured piper model; `model_dirs` where else to look for one.
pub(crate) fn installed(
    path: Option<&std::ffi::OsStr>,
    model: Option<&Path>,
    model_dirs: &[PathBuf],
) -> Found {
    let mut found = Found::default();
    let dirs: Vec<PathBuf> = path
        .map(|p| std::env::split_paths(p).collect())
        .unwrap_or_default();
    for engine in Engine::ALL {
        if !dirs
            .iter()
            .any(|d| is_executable(&d.join(engine.program())))
        {
            continue;
        }
        match engine {
            Engine::Festival => {
                if FESTIVAL_VOICE_ROOTS.iter().any(|r| Path::new(r).join(SLT_HTS).is_dir()) {
                    found.engines.push(engine);
                } else {
                    found.incomplete.push((
                        engine,
                        "its voice cmu_us_slt_arctic_hts is missing (apt install festvox-us-slt-hts)".into(),
                    ));
                }
            }
            Engine::Piper => match model.map(Path::to_owned).or_else(|| first_model(model_dirs)) {
                Some(m) if m.is_file() => {
                    found.model = Some(m);
                    found.engines.push(engine);
                }
                Some(m) => found
                    .incomplete
                    .push((engine, format!("its model {} is not a file", m.display()))),
                None => found.incomplete.push((
                    engine,
                    "it has no voice model: set `model` in [voice], or put an .onnx voice in a piper models folder".into(),
                )),
            },
            _ => found.engines.push(engine),
        }
    }
    found
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The first `.onnx` model in `dirs` (with its `.onnx.json` beside it, as
/// piper needs), English voices first, then by name, so the choice is
/// stable.
fn first_model(dirs: &[PathBuf]) -> Option<PathBuf> {
    let mut models: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "onnx"))
        .filter(|p| {
            let mut json = p.clone().into_os_string();
            json.push(".json");
            Path::new(&json).is_file()
        })
        .collect();
    models.sort_by_key(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (!name.starts_with("en"), name)
    });
    models.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn program(dir: &Path, name: &str) {
        let p = dir.join(name);
        std::fs::write(&p, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn finds_programs_on_path_and_piper_only_with_a_model() {
        let bin = tempfile::tempdir().unwrap();
        let models = tempfile::tempdir().unwrap();
        program(bin.path(), "flite");
        program(bin.path(), "piper");
        std::fs::write(bin.path().join("espeak-ng"), "not executable").unwrap();
        let path = bin.path().as_os_str();
        let f = installed(Some(path), None, &[models.path().to_owned()]);
        assert_eq!(f.engines, vec![Engine::Flite]);
        assert_eq!(f.incomplete.len(), 1);
        // A model without its .json is not a voice piper can load.
        std::fs::write(models.path().join("en_US-amy-medium.onnx"), "m").unwrap();
        std::fs::write(models.path().join("de_DE-x.onnx"), "m").unwrap();
        std::fs::write(models.path().join("de_DE-x.onnx.json"), "{}").unwrap();
        let f = installed(Some(path), None, &[models.path().to_owned()]);
        assert_eq!(f.model, Some(models.path().join("de_DE-x.onnx")));
        std::fs::write(models.path().join("en_US-amy-medium.onnx.json"), "{}").unwrap();
        let f = installed(Some(path), None, &[models.path().to_owned()]);
        assert_eq!(f.engines, vec![Engine::Piper, Engine::Flite]);
        assert_eq!(f.model, Some(models.path().join("en_US-amy-medium.onnx")));
        assert_eq!(installed(None, None, &[]).engines, vec![]);
    }
}
