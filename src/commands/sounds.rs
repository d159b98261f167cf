//! `kindly sounds`: list the built-in sounds, or export them as WAV files.

use std::io::Write;
use std::path::Path;

use crate::cli::SoundsCommand;
use crate::encode::{encode, wav_header, SampleFormat};
use crate::error::{Error, Result, Status};
use crate::overwrite::{self, Existing};
use crate::synth::{export_set, BedSound, Cue, ExportedSound};

use super::print_stdout;

/// The bytes of a 16-bit WAV, exactly as `render` writes them: same header,
/// same rounding, so a re-export is byte-identical.
fn wav16(sound: &ExportedSound) -> Vec<u8> {
    let ch = usize::from(sound.channels.max(1));
    let frames = (sound.samples.len() / ch) as u64;
    let mut bytes = wav_header(
        SampleFormat::Int16,
        sound.sample_rate,
        sound.channels,
        frames,
    )
    .unwrap_or_default();
    let at = bytes.len();
    bytes.resize(at + frames as usize * ch * 2, 0);
    encode(
        SampleFormat::Int16,
        &sound.samples[..frames as usize * ch],
        &mut bytes[at..],
    );
    bytes
}

/// `kindly sounds export DIR`: write every built-in sound, each through a
/// temporary file renamed into place. Nothing already there is replaced
/// without `--force` (the `overwrite` rule), and every name is checked
/// before the first file is written, so a refusal leaves DIR as it was.
fn export(dir: &Path, force: bool) -> Result<Status> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, &e))?;
    let sounds = export_set();
    for sound in &sounds {
        overwrite::check(&dir.join(&sound.file_name), &[], Existing::Keep, force)?;
    }
    for sound in sounds {
        let path = dir.join(&sound.file_name);
        let write = || -> std::io::Result<()> {
            let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
            tmp.write_all(&wav16(&sound))?;
            crate::render::readable_by_all(tmp.as_file())?;
            tmp.persist(&path).map_err(|e| e.error)?;
            Ok(())
        };
        write().map_err(|e| Error::io("write", &path, &e))?;
    }
    Ok(Status::Success)
}

pub(super) fn run(cmd: &SoundsCommand) -> Result<Status> {
    match cmd {
        SoundsCommand::List => {
            let mut out = String::from("cues (bells, prompts, breath):\n");
            for c in Cue::ALL {
                out.push_str(&format!(
                    "  {:<12} {}\n",
                    c.name(),
                    crate::duration::human(c.length())
                ));
            }
            out.push_str("beds (ambience):\n");
            for b in BedSound::ALL {
                out.push_str(&format!("  {}\n", b.name()));
            }
            print_stdout(&out)?;
            Ok(Status::Success)
        }
        SoundsCommand::Export { dir, force } => export(dir, *force),
    }
}
