//! `kindly new NAME`: a commented starter script that passes `check`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{NewArgs, Template};
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};

use super::{print_stderr, print_stdout};

pub(super) fn run(args: &NewArgs, dirs: Option<&Dirs>) -> Result<Status> {
    validate_name(&args.name)?;
    let to_stdout = args.output.as_deref() == Some(Path::new("-"));
    let target = match (&args.output, dirs) {
        (Some(p), _) if to_stdout => p.clone(),
        (Some(p), _) if p.is_dir() => p.join(format!("{}.toml", args.name)),
        (Some(p), _) => p.clone(),
        (None, Some(d)) => d.sessions().join(format!("{}.toml", args.name)),
        (None, None) => {
            return Err(
                Error::new("cannot find your home folder to keep sessions in")
                    .help("set KINDLY_HOME, or give a path with -o"),
            )
        }
    };
    // The local copy serves standard output too: editors need no network.
    // Without a data folder, a schema beside the script (`kindly schema >
    // session.schema.json`) is the one place left to point at.
    let schema = match dirs {
        Some(d) => schema_reference(d)?,
        None => "./session.schema.json".to_owned(),
    };
    let text = starter(args.template, &args.name, &schema);
    if to_stdout {
        print_stdout(&text)?;
        return Ok(Status::Success);
    }
    write_new(&target, &text, args.force)?;
    print_stderr(&format!(
        "wrote {}\nnext: `kindly show {0}` for the timeline, `kindly play {0}` to try it\n",
        target.display()
    ));
    Ok(Status::Success)
}

/// The starter text for `template`, titled from `name`.
pub(crate) fn starter(template: Template, name: &str, schema: &str) -> String {
    let body = match template {
        Template::Basic => include_str!("../templates/basic.toml"),
        Template::Breathing => include_str!("../templates/breathing.toml"),
        Template::Reflection => include_str!("../templates/reflection.toml"),
    };
    body.replace("{schema}", schema)
        .replace("{title}", &title_from(name))
}

/// `morning-kindness` → `Morning kindness`.
fn title_from(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars)
            .collect::<String>()
            .replace('"', "'"),
        None => String::new(),
    }
}

fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::new(format!("`{name}` is not a usable session name"))
            .help("use letters, digits and dashes, such as `morning-kindness`; use -o to choose a path"))
    }
}

/// Keep a current copy of the schema in the data folder and point new
/// scripts at it, so editors validate them without any network.
fn schema_reference(dirs: &Dirs) -> Result<String> {
    let path = dirs.schema_file();
    let schema = crate::script::json_schema();
    if std::fs::read_to_string(&path).ok().as_deref() != Some(schema.as_str()) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, &e))?;
        }
        std::fs::write(&path, schema).map_err(|e| Error::io("write", &path, &e))?;
    }
    let absolute = std::path::absolute(&path).unwrap_or(path);
    Ok(format!("file://{}", absolute.display()))
}

fn write_new(target: &PathBuf, text: &str, force: bool) -> Result<()> {
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, &e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(target).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::new(format!("{} already exists", target.display()))
                .help("choose another name, or add --force to replace it")
        } else {
            Error::io("create", target, &e)
        }
    })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io("write", target, &e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{parse, Origin};

    #[test]
    fn every_template_passes_check() {
        for t in [Template::Basic, Template::Breathing, Template::Reflection] {
            let text = starter(t, "morning-kindness", "file:///x.json");
            assert!(text.starts_with("#:schema file:///x.json\n"));
            assert!(text.contains("title = \"Morning kindness\""));
            let p = parse(
                &text,
                &Origin {
                    id: "m",
                    dir: Path::new("."),
                },
            );
            assert!(p.diagnostics.is_empty(), "{t:?}: {:?}", p.diagnostics);
        }
    }

    #[test]
    fn names() {
        assert!(validate_name("morning-kindness").is_ok());
        assert!(validate_name("../evil").is_err());
        assert!(validate_name("").is_err());
    }
}
