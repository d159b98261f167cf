//! `kindly check FILE...`: every problem in every script, located, in one run.

use crate::cli::{CheckArgs, OutputStyle};
use crate::diagnostic::{Diagnostic, Report, Severity};
use crate::dirs::Dirs;
use crate::error::{Result, Status};
use crate::library::Finder;

use super::{print_stderr, print_stdout, stderr_color, FileLengths};

pub(super) fn run(args: &CheckArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let finder = Finder::new(&[], dirs);
    // For the folders a script may read from (`sessions`, `allow`).
    let config = super::settings(dirs, &crate::config::Flags::default())?;
    let mut errors = 0usize;
    let mut warnings = 0usize;
    let mut unreadable = 0usize;
    let mut dirty_files = 0usize;
    let mut json = Vec::new();

    for arg in &args.files {
        let script = match finder.find(arg) {
            Ok(s) => s,
            Err(e) => {
                unreadable += 1;
                match args.format {
                    OutputStyle::Human => print_stderr(&format!("{e}\n\n")),
                    OutputStyle::Json => json.push(serde_json::json!({
                        "file": arg,
                        "severity": "error",
                        "code": "unreadable",
                        "message": e.message(),
                        "help": e.help_text(),
                    })),
                }
                continue;
            }
        };
        let mut parsed = script.parse_in(&super::include_roots(&config, dirs), &config.patterns);
        // Files are probed only for scripts that parsed: a script with
        // errors may name paths that are not what the author meant.
        if !parsed.has_errors() {
            let mut lengths = FileLengths::for_script(&script, &config);
            let probes: Vec<Diagnostic> = parsed
                .files
                .iter()
                .filter_map(|f| lengths.probe(f).err())
                .collect();
            parsed.diagnostics.extend(probes);
            // The script's own problems first, then each included file's.
            parsed.diagnostics.sort_by(|a, b| {
                let key = |d: &Diagnostic| {
                    let file = d.file().map(|f| f.name.clone());
                    (file, d.span.as_ref().map(|s| s.start))
                };
                key(a).cmp(&key(b))
            });
        }
        let report = Report {
            path: &script.display,
            source: &script.text,
            diagnostics: &parsed.diagnostics,
        };
        let e = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        errors += e;
        warnings += parsed.diagnostics.len() - e;
        if e > 0 {
            dirty_files += 1;
        }
        match args.format {
            OutputStyle::Human => print_stderr(&report.render(stderr_color())),
            OutputStyle::Json => json.extend(report.json()),
        }
    }

    let checked = args.files.len();
    match args.format {
        OutputStyle::Human => {
            print_stderr(&summary(checked, dirty_files, errors, warnings, unreadable))
        }
        OutputStyle::Json => {
            let doc = serde_json::json!({
                "diagnostics": json,
                "summary": {
                    "files": checked,
                    "errors": errors,
                    "warnings": warnings,
                    "unreadable": unreadable,
                }
            });
            print_stdout(&format!("{doc:#}\n"))?;
        }
    }
    if unreadable > 0 {
        return Err(crate::error::Error::new(format!(
            "{unreadable} of {checked} {} could not be read",
            plural(checked, "script", "scripts")
        )));
    }
    Ok(if errors > 0 {
        Status::Problems
    } else {
        Status::Success
    })
}

fn summary(
    files: usize,
    dirty: usize,
    errors: usize,
    warnings: usize,
    unreadable: usize,
) -> String {
    let what = plural(files, "script", "scripts");
    if errors == 0 && warnings == 0 && unreadable == 0 {
        return format!("checked {files} {what}: no problems\n");
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(format!(
            "{errors} {} in {dirty} of {files} {what}",
            plural(errors, "error", "errors")
        ));
    }
    if warnings > 0 {
        parts.push(format!(
            "{warnings} {}",
            plural(warnings, "warning", "warnings")
        ));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("checked {files} {what}: {}\n", parts.join(", "))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
