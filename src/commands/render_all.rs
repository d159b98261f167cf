//! `kindly render --all -o DIR`: every bundled and personal session into
//! one folder, for a phone, with one progress bar across the export.
//!
//! A manifest in the folder (`.kindly-render.json`) records, for each file
//! kindly wrote, a fingerprint of everything that shapes its audio: the
//! laid-out timeline (which names the voice's clips by their cache keys),
//! every sound file's size and modification time, the encoder settings,
//! the volume and kindly's version. A session whose fingerprint matches is
//! up to date and skipped, so running it again after editing one session
//! renders only that one. A file in the folder that kindly did not write is
//! never replaced.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::cli::RenderArgs;
use crate::dirs::Dirs;
use crate::encode::FileFormat;
use crate::error::{Error, Result, Status};
use crate::library::{Finder, BUNDLED};
use crate::render::RenderError;
use crate::session::SoundRef;
use crate::timeline::Frames;

use super::render::{check_quality, prepare, render_error, report, write_transcript, Prepared};
use super::{flags, settings};

const MANIFEST: &str = ".kindly-render.json";

pub(super) fn run(args: &RenderArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let flags = flags(&args.session_args, args.ambience.as_deref());
    let config = settings(dirs, &flags)?;
    // `render --all` writes Ogg unless `--format` says otherwise.
    let format = args.format.unwrap_or(FileFormat::Ogg);
    check_quality(format, args.quality)?;
    let dir = args.output.as_path();
    if dir == Path::new("-") || dir.is_file() {
        return Err(Error::new(format!(
            "--all writes one file per session, into a folder, not `{}`",
            dir.display()
        ))
        .help("name a folder with -o, such as `-o ~/Music/kindly`"));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::new(format!("cannot make the folder {}: {e}", dir.display())))?;

    // Bundled sessions by name; personal ones by path, named `my-NAME`
    // when a bundled session has the same name.
    let mut sessions: Vec<(String, String)> = BUNDLED
        .iter()
        .map(|b| (b.name.to_owned(), b.name.to_owned()))
        .collect();
    let finder = Finder::new(&config.session_dirs(), dirs);
    for (name, path) in finder.user_scripts() {
        // A file of blocks beside the sessions is not one to render.
        let blocks_file = crate::library::Script::read(&path).is_ok_and(|s| {
            s.parse_in(&super::include_roots(&config, dirs), &config.patterns)
                .blocks_file
        });
        if blocks_file {
            continue;
        }
        let file = if BUNDLED.iter().any(|b| b.name == name) {
            format!("my-{name}")
        } else {
            name
        };
        sessions.push((file, path.display().to_string()));
    }

    let mut manifest = read_manifest(dir);
    let mut failed = false;
    let mut todo: Vec<(PathBuf, Prepared, String)> = Vec::new();
    let mut current = 0usize;
    for (name, arg) in &sessions {
        let path = dir.join(format!("{name}.{}", format.name()));
        let key = file_key(&path);
        let prepared = match prepare(arg, args, &config, dirs, format) {
            Ok(p) => p,
            Err(e) => {
                failed = true;
                super::print_stderr(&format!("skipped {name}: {}\n", e.message()));
                continue;
            }
        };
        let print = fingerprint(&prepared, args);
        let ours = manifest.contains_key(&key);
        if path.exists() && !ours {
            failed = true;
            super::print_stderr(&format!(
                "skipped {name}: {} is there and kindly did not write it\n",
                path.display()
            ));
            continue;
        }
        let transcripts_there = !args.transcript || path.with_extension("vtt").exists();
        if path.exists() && manifest.get(&key) == Some(&print) && transcripts_there {
            current += 1;
            continue;
        }
        todo.push((path, prepared, print));
    }

    let total: u64 = todo.iter().map(|(_, p, _)| p.timeline.length.0).sum();
    let bar = if args.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        crate::ui::task_bar(
            total,
            "exporting {msg} {wide_bar} {percent:>3}% · {eta} left",
        )
    };
    let interrupts = crate::ui::Interrupts::start().ok();
    let signal = || interrupts.as_ref().and_then(crate::ui::Interrupts::signal);
    let mut before = 0u64;
    let mut wrote = Vec::new();
    let count = todo.len();
    for (i, (path, prepared, print)) in todo.into_iter().enumerate() {
        bar.set_message(format!("{}/{count}", i + 1));
        let mut progress = |done: Frames, _total: Frames| {
            bar.set_position(before + done.0);
            match signal() {
                Some(_) => ControlFlow::Break(()),
                None => ControlFlow::Continue(()),
            }
        };
        match prepared.render(Some(&path), &mut progress) {
            Ok(_) => {}
            Err(RenderError::Stopped) => {
                bar.finish_and_clear();
                super::print_stderr(&format!(
                    "stopped: nothing was written to {}; the {} before it are complete\n",
                    path.display(),
                    i
                ));
                let n = signal().unwrap_or(signal_hook::consts::SIGINT);
                return Ok(Status::Signal(u8::try_from(n).unwrap_or(2)));
            }
            Err(e) => {
                bar.finish_and_clear();
                return Err(render_error(e));
            }
        }
        let mut files = vec![path.clone()];
        if args.transcript {
            files.extend(write_transcript(
                &path,
                &prepared.title,
                &prepared.timeline,
            )?);
        }
        before += prepared.timeline.length.0;
        manifest.insert(file_key(&path), print);
        // After each file, so an interrupted export keeps what it finished.
        write_manifest(dir, &manifest)?;
        wrote.push((files, prepared.length()));
    }
    bar.finish_and_clear();
    if !args.quiet {
        for (files, length) in &wrote {
            report(files, *length);
        }
        super::print_stderr(&format!(
            "{} rendered into {}, {current} already up to date\n",
            wrote.len(),
            dir.display()
        ));
    }
    if failed {
        return Err(Error::new("some sessions were skipped (said above)")
            .help("fix or move those files, then run it again: the rest are up to date"));
    }
    Ok(Status::Success)
}

fn file_key(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Everything that shapes a session's file, hashed.
fn fingerprint(p: &Prepared, args: &RenderArgs) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    h.update(crate::synth::REVISION.to_le_bytes());
    h.update(format!("{:?}", p.timeline));
    h.update(format!("{:?}", p.spec));
    h.update(format!("{:?}", p.volume()));
    h.update(format!("transcript={}", args.transcript));
    let files = p
        .timeline
        .audio_events()
        .map(|e| &e.sound)
        .chain(p.timeline.ambience.as_ref().map(|b| &b.sound));
    for sound in files {
        if let SoundRef::File(path) = sound {
            let meta = std::fs::metadata(path).ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            h.update(format!("{}:{len}:{modified}", path.display()));
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn read_manifest(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(dir.join(MANIFEST))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn write_manifest(dir: &Path, manifest: &BTreeMap<String, String>) -> Result<()> {
    let path = dir.join(MANIFEST);
    let fail = |e: std::io::Error| Error::new(format!("cannot write {}: {e}", path.display()));
    let mut tmp = crate::render::temp_beside(&path, "json").map_err(fail)?;
    let text = serde_json::to_string_pretty(manifest).unwrap_or_default();
    std::io::Write::write_all(tmp.as_file_mut(), text.as_bytes()).map_err(fail)?;
    crate::render::readable_by_all(tmp.as_file()).map_err(fail)?;
    tmp.persist(&path).map_err(|e| fail(e.error))?;
    Ok(())
}
