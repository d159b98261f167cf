//! Includes: the files a session takes blocks from, read through a provider the caller passes in.
//!
//! The core opens no files, so `include = ["shared/arrival.toml"]` is
//! resolved by an `Includes` the caller supplies: the binary's reads the
//! disk inside a sandbox, or the bundled files compiled into it, and tests
//! use `InMemory`. This module walks the include graph: it asks for each
//! file once, reports cycles with their chain, and bounds the depth and
//! the number of files, so no graph, however made, can hang the checker.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use super::walk::{self, Span};
use crate::diagnostic::{Code, Diagnostic, Note, SourceFile};

/// How deep includes may nest: far past any real library of blocks.
pub const MAX_INCLUDE_DEPTH: usize = 8;
/// How many files one session may take blocks from, all told.
pub const MAX_INCLUDED_FILES: usize = 64;
/// The largest included file a provider should read. Blocks are a few
/// lines each; this bounds the work a hostile graph can ask for.
pub const MAX_INCLUDE_BYTES: u64 = 1024 * 1024;

/// One included file, as the provider found it.
#[derive(Debug, Clone)]
pub struct Included {
    /// Identifies the file however it was named (a resolved path, or a
    /// bundled name), so that cycles and repeats are recognised.
    pub key: PathBuf,
    /// What messages call it, such as `shared/arrival.toml`.
    pub name: String,
    /// The folder its own sound paths are resolved against.
    pub dir: PathBuf,
    pub text: String,
}

/// Reads included files for the checker.
pub trait Includes {
    /// The key of the session itself, if it has one, so that a file that
    /// includes the session is reported as a cycle.
    fn root_key(&self) -> Option<PathBuf> {
        None
    }

    /// The file `request` names, as written in the file with key `from`
    /// (`None`: the session itself). `Err` says why it cannot be read; the
    /// checker puts it at the request.
    fn read(&mut self, from: Option<&Path>, request: &str) -> Result<Included, Diagnostic>;
}

/// For scripts with no file behind them (text given in a test, a
/// template): any include is refused.
pub struct NoIncludes;

impl Includes for NoIncludes {
    fn read(&mut self, _from: Option<&Path>, request: &str) -> Result<Included, Diagnostic> {
        Err(Diagnostic::error(
            Code::IncludeUnavailable,
            format!("cannot include `{request}` here"),
        )
        .help("includes are read for session files; save the script to a file and check that"))
    }
}

/// Files held in memory, named by paths relative to one root: the
/// bundled blocks, and tests. Requests resolve against the including
/// file's folder; a request that would leave the root is refused.
#[derive(Debug, Clone, Default)]
pub struct InMemory {
    /// The session's own path, relative to the root.
    pub root: PathBuf,
    pub files: Vec<(PathBuf, String)>,
    /// How these files are named in messages: `<bundled>/` for bundled ones.
    pub prefix: String,
}

impl Includes for InMemory {
    fn root_key(&self) -> Option<PathBuf> {
        Some(self.root.clone())
    }

    fn read(&mut self, from: Option<&Path>, request: &str) -> Result<Included, Diagnostic> {
        let from = from.unwrap_or(&self.root);
        let dir = from.parent().unwrap_or(Path::new(""));
        let key = resolve_within(dir, request).ok_or_else(|| outside(request))?;
        match self.files.iter().find(|(p, _)| *p == key) {
            Some((_, text)) => Ok(Included {
                name: format!("{}{}", self.prefix, key.display()),
                dir: key.parent().map(Path::to_owned).unwrap_or_default(),
                key,
                text: text.clone(),
            }),
            None => Err(Diagnostic::error(
                Code::IncludeNotFound,
                format!("there is no file `{request}` to include"),
            )
            .label("not found")
            .help(format!(
                "the path is relative to this file's folder{}",
                match self.files.is_empty() {
                    true => String::new(),
                    false => format!(
                        "; the files there are {}",
                        self.files
                            .iter()
                            .map(|(p, _)| format!("`{}`", p.display()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            ))),
        }
    }
}

/// `request` joined to `dir` with `.` and `..` taken out, or `None` when
/// it is absolute or climbs out of the root `dir` is relative to.
pub fn resolve_within(dir: &Path, request: &str) -> Option<PathBuf> {
    let request = Path::new(request);
    if request.is_absolute() || request.has_root() {
        return None;
    }
    let mut out = PathBuf::new();
    for c in dir.components().chain(request.components()) {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// The refusal for a path that leaves the folders includes may read.
pub fn outside(request: &str) -> Diagnostic {
    Diagnostic::error(
        Code::IncludeOutside,
        format!("`{request}` is outside the folders this session may include from"),
    )
    .label("refused")
    .help(
        "a session may include files in its own folder and the folders below it, \
         and from your `sessions` folders; move the file there and name it relative \
         to this script, like `include = [\"shared/arrival.toml\"]`",
    )
}

/// One file of the include graph.
pub(super) struct Node {
    /// `None` for the session itself: its diagnostics need no file.
    pub source: Option<Arc<SourceFile>>,
    pub key: Option<PathBuf>,
    pub dir: PathBuf,
    /// The files this one includes, as indices into the graph.
    pub includes: Vec<usize>,
    /// Where this file was brought in, innermost first: the notes every
    /// problem inside it carries.
    pub via: Vec<Note>,
}

impl Node {
    /// `d` placed in this file, with the chain that brought it in.
    pub fn locate(&self, mut d: Diagnostic) -> Diagnostic {
        if let (None, Some(source)) = (d.file(), &self.source) {
            d = d.in_file(source);
            for note in &self.via {
                d = d.note(note.clone());
            }
        }
        d
    }

    pub fn name(&self) -> &str {
        self.source.as_deref().map_or("this session", |s| &s.name)
    }
}

/// Every file reachable from the session's `include`, each read once.
/// `root` is the session's parsed table; problems go to `diags`.
pub(super) fn load(
    root: &DeTable<'_>,
    root_dir: &Path,
    includes: &mut dyn Includes,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Node> {
    let mut nodes = vec![Node {
        source: None,
        key: includes.root_key(),
        dir: root_dir.to_owned(),
        includes: Vec::new(),
        via: Vec::new(),
    }];
    let requests = requests(root, &nodes[0], diags);
    let mut walker = Walker {
        includes,
        nodes,
        diags,
    };
    walker.visit(0, requests, &mut vec![0]);
    nodes = walker.nodes;
    nodes
}

struct Walker<'a, 'd> {
    includes: &'a mut dyn Includes,
    nodes: Vec<Node>,
    diags: &'d mut Vec<Diagnostic>,
}

impl Walker<'_, '_> {
    /// Follow the `requests` of node `at`; `stack` is the chain from the
    /// session to `at`, to recognise a cycle.
    fn visit(&mut self, at: usize, wanted: Vec<(String, Span)>, stack: &mut Vec<usize>) {
        for (request, span) in wanted {
            if self.nodes.len() >= MAX_INCLUDED_FILES {
                let d = Diagnostic::error(
                    Code::TooManyIncludes,
                    format!("this session takes blocks from more than {MAX_INCLUDED_FILES} files"),
                )
                .at(span)
                .help("gather the blocks into fewer files");
                self.diags.push(self.nodes[at].locate(d));
                return;
            }
            let from = self.nodes[at].key.clone();
            let found = match self.includes.read(from.as_deref(), &request) {
                Ok(found) => found,
                Err(d) => {
                    let d = self.nodes[at].locate(d.at(span));
                    self.diags.push(d);
                    continue;
                }
            };
            let key = Some(found.key.clone());
            if let Some(i) = stack.iter().position(|&n| self.nodes[n].key == key) {
                let mut chain: Vec<&str> =
                    stack[i..].iter().map(|&n| self.nodes[n].name()).collect();
                chain.push(self.nodes[stack[i]].name());
                let d = Diagnostic::error(
                    Code::IncludeCycle,
                    format!("including `{request}` makes a cycle: {}", chain.join(" → ")),
                )
                .at(span)
                .label("includes a file that includes this one")
                .help("a file cannot include itself, directly or through others; move the shared blocks into a file that both include");
                self.diags.push(self.nodes[at].locate(d));
                continue;
            }
            if let Some(seen) = self.nodes.iter().position(|n| n.key == key) {
                // Included again by another path: the same blocks, read once.
                if !self.nodes[at].includes.contains(&seen) {
                    self.nodes[at].includes.push(seen);
                }
                continue;
            }
            if stack.len() > MAX_INCLUDE_DEPTH {
                let d = Diagnostic::error(
                    Code::IncludeTooDeep,
                    format!("includes nest more than {MAX_INCLUDE_DEPTH} files deep here"),
                )
                .at(span)
                .help("include the blocks from a file nearer the session");
                self.diags.push(self.nodes[at].locate(d));
                continue;
            }
            let source = Arc::new(SourceFile {
                name: found.name,
                text: found.text,
            });
            let mut via = vec![Note {
                message: format!("`{}` is included here", source.name),
                file: self.nodes[at].source.clone(),
                span,
            }];
            via.extend(self.nodes[at].via.iter().cloned());
            let node = Node {
                source: Some(Arc::clone(&source)),
                key,
                dir: found.dir,
                includes: Vec::new(),
                via,
            };
            let index = self.nodes.len();
            self.nodes.push(node);
            self.nodes[at].includes.push(index);
            // Parsed here only for its own includes; the blocks are read
            // from a second parse, once every file is loaded and stays put.
            let inner = match walk::parse_document(&source.text, HELP) {
                Ok(doc) => requests(doc.get_ref(), &self.nodes[index], self.diags),
                Err(ds) => {
                    for d in ds {
                        let d = self.nodes[index].locate(d);
                        self.diags.push(d);
                    }
                    Vec::new()
                }
            };
            stack.push(index);
            self.visit(index, inner, stack);
            stack.pop();
        }
    }
}

pub(super) const HELP: &str = "fix the TOML syntax here; see docs/session-format.md for examples";

/// The paths in a table's `include`, with their spans; problems with the
/// list itself go to `diags`, placed in `node`'s file.
fn requests(table: &DeTable<'_>, node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<(String, Span)> {
    let Some(value) = table.get("include") else {
        return Vec::new();
    };
    let items = match value.get_ref() {
        DeValue::Array(items) => items,
        other => {
            let d = walk::type_error("include", "a list of file paths", other, value.span())
                .help("write `include = [\"shared/arrival.toml\"]`, with square brackets");
            diags.push(node.locate(d));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items.iter() {
        match walk::string(item, "include") {
            Ok(s) if s.trim().is_empty() => diags.push(
                node.locate(
                    Diagnostic::error(Code::EmptyText, "an `include` path is empty")
                        .at(item.span())
                        .help("name a file relative to this one, or remove the entry"),
                ),
            ),
            Ok(s) if s.chars().any(super::read::is_forbidden_control) => diags.push(
                node.locate(
                    Diagnostic::error(
                        Code::ControlCharacter,
                        "an `include` path holds a control character",
                    )
                    .at(item.span())
                    .help("remove it; file names here are plain text"),
                ),
            ),
            Ok(s) => out.push((s.to_owned(), item.span())),
            Err(d) => diags.push(node.locate(d)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_inside_the_root_only() {
        let r = |d: &str, p: &str| resolve_within(Path::new(d), p);
        assert_eq!(r("", "a.toml"), Some(PathBuf::from("a.toml")));
        assert_eq!(r("blocks", "../a.toml"), Some(PathBuf::from("a.toml")));
        assert_eq!(
            r("blocks", "./x/../b.toml"),
            Some(PathBuf::from("blocks/b.toml"))
        );
        assert_eq!(r("", "../a.toml"), None);
        assert_eq!(r("blocks", "../../a.toml"), None);
        assert_eq!(r("", "/etc/passwd"), None);
    }
}
