//! Blocks: named runs of steps that a session uses, repeats, and takes from included files.
//!
//! ```toml
//! include = ["blocks/arrival.toml"]   # more blocks, from files beside this one
//!
//! [[blocks.settle.steps]]
//! kind = "pause"
//! duration = "30s"
//!
//! [[steps]]
//! use = "arrival"                     # from blocks/arrival.toml
//! [[steps]]
//! use = "settle"
//! repeat = 3
//! ```
//!
//! The expansion walks the spanned tables of every file, so a problem in a
//! block is reported once, in the file and at the line where it is written,
//! however often the block is used; a problem in an included file carries
//! notes saying which line of which file brought it in. Each step is
//! checked by `validate`'s own step checker, in a checker for its file.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::include::{self, Includes, Node};
use super::suggest::{closest, one_of};
use super::validate::Cx;
use super::walk::{self, header_span, type_error, Span};
use super::Origin;
use crate::diagnostic::{Code, Diagnostic, Note};
use crate::session::Step;

/// The most times one `use` may repeat its block.
pub const MAX_REPEAT: u32 = 100;
/// The most steps a session may have once every block is expanded: far
/// past a day of practice, and small enough to build in an instant.
pub const MAX_EXPANDED_STEPS: u64 = 10_000;
/// How deep blocks may use blocks.
pub const MAX_BLOCK_DEPTH: usize = 16;

/// The keys of a step that uses a block.
pub(crate) const USE_KEYS: &[&str] = &["use", "repeat"];
/// The keys an included file may have.
pub(crate) const INCLUDED_KEYS: &[&str] = &["blocks", "include"];

/// One entry of a `steps` list: a step, or a use of a block.
enum Slot {
    /// `None`: the step had problems, already reported.
    Step(Option<Step>),
    Use(Use),
    /// A step with problems, already reported; the block it names, if
    /// any, counts as used (saying it is unused as well would be noise).
    Bad(Option<String>),
}

struct Use {
    name: String,
    span: Span,
    repeat: u32,
    /// Line of the `use` in its file.
    line: usize,
    /// The block it names, once resolved.
    target: Option<usize>,
}

struct Block {
    node: usize,
    name: String,
    name_span: Span,
    slots: Vec<Slot>,
    used: bool,
}

/// The session's steps with every block expanded, or `None` when a
/// problem was reported. `root` is the session's table and `array` its
/// `steps`; every file's problems end up in `cx`.
pub(super) fn steps(
    cx: &mut Cx<'_, '_>,
    root: &DeTable<'_>,
    array: &[Spanned<DeValue<'_>>],
    includes: &mut dyn Includes,
) -> Option<Vec<Step>> {
    expand_all(cx, root, array, includes, false)
}

/// A file with blocks and neither a title nor steps is a file of blocks
/// for sessions to include.
pub(super) fn is_blocks_file(doc: &DeTable<'_>) -> bool {
    doc.get("blocks").is_some() && doc.get("title").is_none() && doc.get("steps").is_none()
}

/// Check a file of blocks on its own, as `kindly check` does for its
/// author: its keys, its includes, every block, with no session around it
/// (so no block is unused).
pub(super) fn check_blocks_file(
    cx: &mut Cx<'_, '_>,
    doc: &DeTable<'_>,
    includes: &mut dyn Includes,
) {
    cx.refuse_voice_settings(doc, true);
    included_keys(cx, doc);
    let _ = expand_all(cx, doc, &[], includes, true);
}

fn expand_all(
    cx: &mut Cx<'_, '_>,
    root: &DeTable<'_>,
    array: &[Spanned<DeValue<'_>>],
    includes: &mut dyn Includes,
    blocks_file: bool,
) -> Option<Vec<Step>> {
    let mut diags = Vec::new();
    let nodes = include::load(root, cx.origin.dir, includes, &mut diags);
    for d in diags {
        cx.push(d);
    }
    // Every file is loaded and stays put; parse each included one again
    // to keep its spanned tables for the length of the expansion.
    let docs: Vec<Option<Spanned<DeTable<'_>>>> = nodes
        .iter()
        .skip(1)
        .map(|n| {
            let text = n.source.as_deref().map_or("", |s| s.text.as_str());
            walk::parse_document(text, include::HELP).ok()
        })
        .collect();
    let origins: Vec<Origin<'_>> = nodes
        .iter()
        .map(|n| Origin {
            id: cx.origin.id,
            dir: &n.dir,
        })
        .collect();
    let root_source: &str = cx.source;
    let patterns = cx.patterns;
    let mut cxs: Vec<Cx<'_, '_>> = nodes
        .iter()
        .zip(&origins)
        .map(|(n, o)| {
            Cx::new(
                n.source.as_deref().map_or(root_source, |s| &s.text),
                o,
                patterns,
            )
        })
        .collect();
    let tables: Vec<Option<&DeTable<'_>>> = std::iter::once(Some(root))
        .chain(docs.iter().map(|d| d.as_ref().map(|d| d.get_ref())))
        .collect();

    for (n, table) in tables.iter().enumerate().skip(1) {
        if let Some(table) = table {
            cxs[n].refuse_voice_settings(table, true);
            included_keys(&mut cxs[n], table);
        }
    }

    let mut blocks = Vec::new();
    for (n, table) in tables.iter().enumerate() {
        if let Some(v) = table.and_then(|t| t.get("blocks")) {
            define(&mut cxs[n], n, v, &mut blocks);
        }
    }
    let mut top: Vec<Slot> = array
        .iter()
        .enumerate()
        .map(|(i, item)| slot(&mut cxs[0], i, item))
        .collect();

    let scopes = scopes(&nodes, &blocks, &mut cxs);
    for b in 0..blocks.len() {
        let node = blocks[b].node;
        let mut slots = std::mem::take(&mut blocks[b].slots);
        resolve(&mut cxs[node], &scopes[node], &mut slots, &mut blocks);
        blocks[b].slots = slots;
    }
    resolve(&mut cxs[0], &scopes[0], &mut top, &mut blocks);
    for b in &blocks {
        if b.node == 0 && !b.used && !blocks_file {
            cxs[0].push(
                Diagnostic::warning(
                    Code::UnusedBlock,
                    format!("block `{}` is never used", b.name),
                )
                .at(b.name_span.clone())
                .help(format!(
                    "add a step `use = \"{}\"` where it should play, or remove the block",
                    b.name
                )),
            );
        }
    }

    let sizes = sizes(&mut cxs, &blocks);
    let mut total: u64 = 0;
    let mut ok = true;
    for s in &top {
        match s {
            Slot::Step(Some(_)) => total += 1,
            Slot::Use(u) => match u.target.and_then(|t| sizes[t]) {
                Some(n) => {
                    total = total.saturating_add(n.saturating_mul(u64::from(u.repeat)));
                    if total > MAX_EXPANDED_STEPS {
                        cxs[0].push(too_many(u.span.clone(), total));
                        ok = false;
                        break;
                    }
                }
                None => ok = false,
            },
            _ => ok = false,
        }
    }
    let good = ok
        && blocks.iter().enumerate().all(|(i, b)| {
            sizes[i].is_some()
                && b.slots
                    .iter()
                    .all(|s| !matches!(s, Slot::Bad(_) | Slot::Step(None)))
        });

    // Everything found in an included file is placed there, with the
    // lines that brought it in.
    for (n, c) in cxs.iter_mut().enumerate() {
        for d in std::mem::take(&mut c.diags) {
            let d = nodes[n].locate(d);
            cx.push(d);
        }
        for mut f in std::mem::take(&mut c.files) {
            f.file = nodes[n].source.clone();
            f.notes = nodes[n].via.clone();
            cx.files.push(f);
        }
    }
    if !good {
        return None;
    }
    let mut out = Vec::with_capacity(total as usize);
    for s in &top {
        match s {
            Slot::Step(Some(step)) => out.push(step.clone()),
            Slot::Use(u) => {
                let target = u.target.expect("resolved above");
                for _ in 0..u.repeat {
                    expand(&blocks, target, u.line, &mut out);
                }
            }
            _ => unreachable!("checked above"),
        }
    }
    Some(out)
}

/// Push block `b`'s steps. Steps written in an included file take
/// `line`, the line of the session's own `use` that brought them in: a
/// step's line is for messages about the session's script.
fn expand(blocks: &[Block], b: usize, line: usize, out: &mut Vec<Step>) {
    for s in &blocks[b].slots {
        match s {
            Slot::Step(Some(step)) => {
                let mut step = step.clone();
                step.block = Some(blocks[b].name.clone());
                if blocks[b].node != 0 {
                    step.line = Some(line);
                }
                out.push(step);
            }
            Slot::Use(u) => {
                let line = if blocks[b].node == 0 { u.line } else { line };
                let target = u.target.expect("resolved before expanding");
                for _ in 0..u.repeat {
                    expand(blocks, target, line, out);
                }
            }
            _ => unreachable!("expanded only when every slot is good"),
        }
    }
}

fn too_many(span: Span, total: u64) -> Diagnostic {
    let shown = if total >= u64::MAX / 2 {
        "far more".to_owned()
    } else {
        format!("{total}")
    };
    Diagnostic::error(
        Code::TooManySteps,
        format!("with its blocks expanded, this session would have {shown} steps"),
    )
    .at(span)
    .label(format!("more than {MAX_EXPANDED_STEPS} steps from here on"))
    .help("use fewer repeats, or a longer pause in place of many short steps")
}

/// An included file holds blocks and its own includes, nothing else.
fn included_keys(cx: &mut Cx<'_, '_>, table: &DeTable<'_>) {
    for (key, _) in table.iter() {
        let name: &str = key.get_ref();
        // `command` and `voice` were refused by `refuse_voice_settings`.
        if INCLUDED_KEYS.contains(&name) || name == "command" || name == "voice" {
            continue;
        }
        let d = walk::unknown_key(name, key.span(), "an included file", INCLUDED_KEYS);
        let d = if closest(name, INCLUDED_KEYS.iter().copied()).is_none() {
            d.help(
                "an included file holds only `[blocks.NAME]` tables (and its own `include`); \
                 the title and the steps belong to the session that includes it",
            )
        } else {
            d
        };
        cx.push(d);
    }
}

/// Read the `blocks` table of node `node` into `blocks`.
fn define(cx: &mut Cx<'_, '_>, node: usize, v: &Spanned<DeValue<'_>>, blocks: &mut Vec<Block>) {
    let DeValue::Table(table) = v.get_ref() else {
        cx.push(
            type_error("blocks", "a table of named blocks", v.get_ref(), v.span())
                .help("write each block as `[[blocks.NAME.steps]]` tables, like `[[blocks.arrival.steps]]`"),
        );
        return;
    };
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        if let Some(d) = bad_name(name, key.span()) {
            cx.push(d);
            continue;
        }
        let what = format!("block `{name}`");
        let DeValue::Table(entries) = value.get_ref() else {
            cx.push(
                type_error(name, "a table with `steps`", value.get_ref(), value.span()).help(
                    format!("write the block's steps under `[[blocks.{name}.steps]]` headers"),
                ),
            );
            continue;
        };
        for (k, _) in entries.iter() {
            let span = k.span();
            let k: &str = k.get_ref();
            if k != "steps" && k != "command" && k != "voice" {
                cx.push(walk::unknown_key(k, span, &what, &["steps"]));
            }
        }
        let anchor = header_span(cx.source, value.span());
        let steps = match entries.get("steps").map(|s| (s, s.get_ref())) {
            Some((_, DeValue::Array(a))) if !a.is_empty() => a,
            Some((s, DeValue::Array(_))) => {
                cx.push(
                    Diagnostic::error(Code::NoSteps, format!("{what} has no steps"))
                        .at(s.span())
                        .help(format!(
                            "add a step under a `[[blocks.{name}.steps]]` header"
                        )),
                );
                continue;
            }
            Some((s, other)) => {
                cx.push(
                    type_error("steps", "a list of tables", other, s.span())
                        .help(format!("write each step under its own `[[blocks.{name}.steps]]` header, with two brackets")),
                );
                continue;
            }
            None => {
                cx.push(
                    Diagnostic::error(Code::NoSteps, format!("{what} has no steps"))
                        .at(anchor)
                        .help(format!(
                            "add its steps under `[[blocks.{name}.steps]]` headers, for example:\n\n[[blocks.{name}.steps]]\nkind = \"bell\""
                        )),
                );
                continue;
            }
        };
        let slots = steps
            .iter()
            .enumerate()
            .map(|(i, item)| slot(cx, i, item))
            .collect();
        blocks.push(Block {
            node,
            name: name.to_owned(),
            name_span: key.span(),
            slots,
            used: false,
        });
    }
}

/// A block name is echoed in messages, so it holds no control codes and
/// is short enough to read.
fn bad_name(name: &str, span: Span) -> Option<Diagnostic> {
    let problem = if name.trim().is_empty() {
        "a block name is empty"
    } else if name.chars().any(super::read::is_forbidden_control) {
        "a block name holds a control character"
    } else if name.chars().count() > 100 {
        "a block name is over 100 characters long"
    } else {
        return None;
    };
    Some(
        Diagnostic::error(Code::BadBlockName, problem)
            .at(span)
            .help("name blocks with a few plain words, like `arrival` or `body-scan`"),
    )
}

/// One entry of a `steps` list, checked.
fn slot(cx: &mut Cx<'_, '_>, index: usize, item: &Spanned<DeValue<'_>>) -> Slot {
    let DeValue::Table(entries) = item.get_ref() else {
        return Slot::Step(cx.step(index, item));
    };
    let Some(name_value) = entries.get("use") else {
        return Slot::Step(cx.step(index, item));
    };
    let mut ok = true;
    for (key, _) in entries.iter() {
        let k: &str = key.get_ref();
        if USE_KEYS.contains(&k) {
            continue;
        }
        let d = walk::unknown_key(k, key.span(), "a step that uses a block", USE_KEYS);
        let d = if k == "kind"
            || super::keys::COMMON.contains(&k)
            || super::kinds::ALL
                .iter()
                .any(|kind| kind.keys().any(|x| x == k))
        {
            d.help("a step with `use` plays the block's steps as they are written; remove this, or write a step of its own")
        } else if closest(k, USE_KEYS.iter().copied()).is_none() {
            d.help("a step that uses a block has only `use` and `repeat`")
        } else {
            d
        };
        cx.push(d);
        ok = false;
    }
    let name = cx.string(name_value, "use").map(str::to_owned);
    let repeat = match entries.get("repeat") {
        None => Some(1),
        Some(v) => repeat(cx, v),
    };
    let line = cx
        .lines
        .position(header_span(cx.source, item.span()).start)
        .line;
    match (name, repeat, ok) {
        (Some(name), Some(repeat), true) => Slot::Use(Use {
            name,
            span: name_value.span(),
            repeat,
            line,
            target: None,
        }),
        (name, _, _) => Slot::Bad(name),
    }
}

fn repeat(cx: &mut Cx<'_, '_>, v: &Spanned<DeValue<'_>>) -> Option<u32> {
    let help = format!("write a whole number from 1 to {MAX_REPEAT}, like `repeat = 3`");
    let n = match walk::number(v, "repeat", "a whole number") {
        Ok(n) => n,
        Err(d) => {
            cx.push(d.help(help));
            return None;
        }
    };
    if n.fract() != 0.0 || !(1.0..=f64::from(MAX_REPEAT)).contains(&n) {
        cx.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("`repeat` must be a whole number from 1 to {MAX_REPEAT}"),
            )
            .at(v.span())
            .help(help),
        );
        return None;
    }
    Some(n as u32)
}

/// The blocks each file can use: its own, and those of every file it
/// includes, through them. A name defined in two files is a problem.
fn scopes(
    nodes: &[Node],
    blocks: &[Block],
    cxs: &mut [Cx<'_, '_>],
) -> Vec<BTreeMap<String, usize>> {
    let mut memo: Vec<Option<BTreeMap<String, usize>>> = vec![None; nodes.len()];
    let mut reported = std::collections::BTreeSet::new();
    for n in (0..nodes.len()).rev() {
        scope(n, nodes, blocks, cxs, &mut memo, &mut reported);
    }
    memo.into_iter().map(Option::unwrap_or_default).collect()
}

fn scope(
    n: usize,
    nodes: &[Node],
    blocks: &[Block],
    cxs: &mut [Cx<'_, '_>],
    memo: &mut Vec<Option<BTreeMap<String, usize>>>,
    reported: &mut std::collections::BTreeSet<(usize, usize)>,
) {
    if memo[n].is_some() {
        return;
    }
    // The include graph has no cycles (`include::load` refuses them) and
    // at most `MAX_INCLUDED_FILES` nodes, so this recursion is bounded.
    let mut own: BTreeMap<String, usize> = BTreeMap::new();
    for (i, b) in blocks.iter().enumerate().filter(|(_, b)| b.node == n) {
        own.insert(b.name.clone(), i);
    }
    for &child in &nodes[n].includes {
        scope(child, nodes, blocks, cxs, memo, reported);
        let theirs = memo[child].clone().unwrap_or_default();
        for (name, b) in theirs {
            match own.get(&name) {
                Some(&mine) if mine != b => {
                    if reported.insert((mine.min(b), mine.max(b))) {
                        let (first, second) = (&blocks[mine], &blocks[b]);
                        let d = Diagnostic::error(
                            Code::DuplicateBlock,
                            format!("block `{name}` is defined in two files"),
                        )
                        .at(second.name_span.clone())
                        .label("defined again here")
                        .note(Note {
                            message: format!("`{name}` is also defined here"),
                            file: nodes[first.node].source.clone(),
                            span: first.name_span.clone(),
                        })
                        .help("rename one of them: block names must be unique across a session and the files it includes");
                        cxs[second.node].push(d);
                    }
                }
                Some(_) => {}
                None => {
                    own.insert(name, b);
                }
            }
        }
    }
    memo[n] = Some(own);
}

/// Point every `use` in `slots` at its block, or report the name.
fn resolve(
    cx: &mut Cx<'_, '_>,
    scope: &BTreeMap<String, usize>,
    slots: &mut [Slot],
    blocks: &mut [Block],
) {
    for s in slots {
        if let Slot::Bad(Some(name)) = s {
            if let Some(&b) = scope.get(name) {
                blocks[b].used = true;
            }
        }
        let Slot::Use(u) = s else { continue };
        match scope.get(&u.name) {
            Some(&b) => {
                u.target = Some(b);
                blocks[b].used = true;
            }
            None => {
                let mut d =
                    Diagnostic::error(Code::UnknownBlock, format!("unknown block `{}`", u.name))
                        .at(u.span.clone())
                        .label("no block of this name");
                let names: Vec<&str> = scope.keys().map(String::as_str).collect();
                d = match closest(&u.name, names.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if names.is_empty() => d.help(format!(
                        "define it under a `[[blocks.{}.steps]]` header, or include the file that has it, like `include = [\"blocks/{}.toml\"]`",
                        u.name, u.name
                    )),
                    None => d.help(format!("the blocks here are {}", one_of(&names))),
                };
                cx.push(d);
            }
        }
    }
}

/// The number of steps each block expands to, or `None` where it cannot
/// be expanded: a block that uses itself, nests too deeply or uses an
/// unknown block. Cycles and depth are reported at the `use`.
fn sizes(cxs: &mut [Cx<'_, '_>], blocks: &[Block]) -> Vec<Option<u64>> {
    /// A block's steps and how deep its uses nest.
    type Size = Option<(u64, usize)>;
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done(Size),
    }
    fn too_deep(span: Span) -> Diagnostic {
        Diagnostic::error(
            Code::BlocksTooDeep,
            format!("blocks use blocks more than {MAX_BLOCK_DEPTH} deep here"),
        )
        .at(span)
        .help("use the inner blocks from the session's own steps")
    }
    fn visit(
        b: usize,
        blocks: &[Block],
        cxs: &mut [Cx<'_, '_>],
        state: &mut [State],
        stack: &mut Vec<usize>,
    ) -> Size {
        match state[b] {
            State::Done(n) => return n,
            State::Open => return None,
            State::New => {}
        }
        state[b] = State::Open;
        stack.push(b);
        let mut total: Size = Some((0, 1));
        for s in &blocks[b].slots {
            let n = match s {
                Slot::Step(_) | Slot::Bad(_) => Some((1, 1)),
                Slot::Use(u) => match u.target {
                    None => None,
                    Some(t) if state[t] == State::Open => {
                        let from = stack.iter().position(|&x| x == t).unwrap_or(0);
                        let mut chain: Vec<&str> = stack[from..]
                            .iter()
                            .map(|&x| blocks[x].name.as_str())
                            .collect();
                        chain.push(&blocks[t].name);
                        cxs[blocks[b].node].push(
                            Diagnostic::error(
                                Code::BlockCycle,
                                format!(
                                    "block `{}` uses itself: {}",
                                    blocks[t].name,
                                    chain.join(" → ")
                                ),
                            )
                            .at(u.span.clone())
                            .label("this use goes round again")
                            .help("a block cannot use itself, directly or through other blocks"),
                        );
                        None
                    }
                    // Bounds the recursion, whatever order blocks come in.
                    Some(_) if stack.len() >= MAX_BLOCK_DEPTH => {
                        cxs[blocks[b].node].push(too_deep(u.span.clone()));
                        None
                    }
                    Some(t) => match visit(t, blocks, cxs, state, stack) {
                        Some((_, depth)) if depth >= MAX_BLOCK_DEPTH => {
                            cxs[blocks[b].node].push(too_deep(u.span.clone()));
                            None
                        }
                        Some((n, depth)) => {
                            Some((n.saturating_mul(u64::from(u.repeat)), depth + 1))
                        }
                        None => None,
                    },
                },
            };
            total = match (total, n) {
                (Some((a, da)), Some((b, db))) => Some((a.saturating_add(b), da.max(db))),
                _ => None,
            };
        }
        stack.pop();
        state[b] = State::Done(total);
        total
    }
    let mut state = vec![State::New; blocks.len()];
    (0..blocks.len())
        .map(|b| visit(b, blocks, cxs, &mut state, &mut Vec::new()).map(|(n, _)| n))
        .collect()
}

/// The file of a located diagnostic, for tests.
#[cfg(test)]
pub(crate) fn file_name(d: &Diagnostic) -> Option<&str> {
    d.file().map(|f| f.name.as_str())
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::super::{parse_with, InMemory, Parsed};
    use super::*;
    use crate::diagnostic::{Position, Report};
    use crate::session::StepKind;

    /// `files` as an in-memory folder; the session is `s.toml` at its root.
    fn check(session: &str, files: &[(&str, &str)]) -> Parsed {
        let mut includes = InMemory {
            root: PathBuf::from("s.toml"),
            files: files
                .iter()
                .map(|(p, t)| (PathBuf::from(p), t.to_string()))
                .collect(),
            prefix: String::new(),
        };
        parse_with(
            session,
            &Origin {
                id: "s",
                dir: Path::new("."),
            },
            &mut includes,
            &crate::session::Patterns::default(),
        )
    }

    fn kinds(p: &Parsed) -> Vec<&'static str> {
        let s = p
            .session
            .as_ref()
            .unwrap_or_else(|| panic!("{:?}", p.diagnostics));
        s.steps
            .iter()
            .map(|s| match &s.kind {
                StepKind::Bell(_) => "bell",
                StepKind::Pause(_) => "pause",
                StepKind::Prompt(_) => "prompt",
                _ => "other",
            })
            .collect()
    }

    /// (code, file, line, column) of each diagnostic.
    fn found(
        p: &Parsed,
        session: &str,
        files: &[(&str, &str)],
    ) -> Vec<(&'static str, String, usize, usize)> {
        p.diagnostics
            .iter()
            .map(|d| {
                let name = file_name(d).unwrap_or("s.toml").to_owned();
                let text = files
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or(session, |(_, t)| t);
                let at = Position::of(text, d.span.clone().unwrap().start);
                (d.code.name(), name, at.line, at.column)
            })
            .collect()
    }

    const BLOCK: &str = "[[blocks.arrive.steps]]\nkind = \"bell\"\n[[blocks.arrive.steps]]\nkind = \"pause\"\nduration = 5\n";

    #[test]
    fn a_block_is_used_twice_and_repeated() {
        let src = format!("title = \"t\"\n{BLOCK}[[steps]]\nuse = \"arrive\"\n[[steps]]\nkind = \"prompt\"\ntext = \"hi\"\n[[steps]]\nuse = \"arrive\"\nrepeat = 2\n");
        let p = check(&src, &[]);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(
            kinds(&p),
            ["bell", "pause", "prompt", "bell", "pause", "bell", "pause"]
        );
        // Steps of the session's own blocks keep their own lines.
        let lines: Vec<_> = p.session.unwrap().steps.iter().map(|s| s.line).collect();
        assert_eq!(lines[0], Some(2));
        assert_eq!(lines[1], Some(4));
    }

    #[test]
    fn blocks_nest_and_come_from_included_files() {
        let shared = "include = [\"more/inner.toml\"]\n[[blocks.arrive.steps]]\nuse = \"inner\"\nrepeat = 3\n[[blocks.arrive.steps]]\nkind = \"pause\"\nduration = 5\n";
        let inner = "[[blocks.inner.steps]]\nkind = \"bell\"\n";
        let src = "title = \"t\"\ninclude = [\"shared/a.toml\"]\n[[steps]]\nuse = \"arrive\"\n[[steps]]\nuse = \"inner\"\n";
        let files = [("shared/a.toml", shared), ("shared/more/inner.toml", inner)];
        let p = check(src, &files);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(kinds(&p), ["bell", "bell", "bell", "pause", "bell"]);
        // Included steps are placed at the session's `use`.
        let lines: Vec<_> = p.session.unwrap().steps.iter().map(|s| s.line).collect();
        assert_eq!(lines, [Some(3), Some(3), Some(3), Some(3), Some(5)]);
    }

    #[test]
    fn a_problem_in_an_included_file_is_placed_there_with_the_line_that_included_it() {
        let shared = "[[blocks.arrive.steps]]\nkind = \"pause\"\nduraton = 5\n";
        let src = "title = \"t\"\ninclude = [\"shared.toml\"]\n[[steps]]\nuse = \"arrive\"\n[[steps]]\nuse = \"arrive\"\n";
        let files = [("shared.toml", shared)];
        let p = check(src, &files);
        // Once, though the block is used twice.
        assert_eq!(
            found(&p, src, &files),
            [("unknown-key", "shared.toml".into(), 3, 1)]
        );
        let d = &p.diagnostics[0];
        assert_eq!(d.notes().len(), 1);
        assert_eq!(d.notes()[0].file, None);
        assert_eq!(
            Position::of(src, d.notes()[0].span.start),
            Position {
                line: 2,
                column: 12
            }
        );
        let text = Report {
            path: "s.toml",
            source: src,
            diagnostics: &p.diagnostics,
        }
        .render(false);
        assert!(text.contains("--> shared.toml:3:1"), "{text}");
        assert!(text.contains("duraton = 5"), "{text}");
        assert!(
            text.contains("note: `shared.toml` is included here"),
            "{text}"
        );
        assert!(text.contains("--> s.toml:2:12"), "{text}");
        let json = Report {
            path: "s.toml",
            source: src,
            diagnostics: &p.diagnostics,
        }
        .json();
        assert_eq!(json[0]["file"], "shared.toml");
        assert_eq!(json[0]["notes"][0]["file"], "s.toml");
        assert_eq!(json[0]["notes"][0]["line"], 2);
    }

    #[test]
    fn nested_includes_carry_the_whole_chain() {
        let a = "include = [\"b.toml\"]\n";
        let b = "[[blocks.x.steps]]\nkind = \"bel\"\n";
        let src = "title = \"t\"\ninclude = [\"a.toml\"]\n[[steps]]\nuse = \"x\"\n";
        let p = check(src, &[("a.toml", a), ("b.toml", b)]);
        assert_eq!(
            found(&p, src, &[("b.toml", b)]),
            [("unknown-kind", "b.toml".into(), 2, 8)]
        );
        let notes: Vec<_> = p.diagnostics[0]
            .notes()
            .iter()
            .map(|n| n.file.as_deref().map(|f| f.name.clone()))
            .collect();
        assert_eq!(notes, [Some("a.toml".to_owned()), None]);
    }

    #[test]
    fn unknown_blocks_get_a_suggestion() {
        let src =
            format!("title = \"t\"\n{BLOCK}[[steps]]\nuse = \"arive\"\n[[steps]]\nuse = \"zzz\"\n");
        let p = check(&src, &[]);
        let c = found(&p, &src, &[]);
        assert_eq!(c[0], ("unused-block", "s.toml".into(), 2, 10));
        assert_eq!(c[1], ("unknown-block", "s.toml".into(), 8, 7));
        assert_eq!(
            p.diagnostics[1].help.as_deref(),
            Some("did you mean `arrive`?")
        );
        assert_eq!(
            p.diagnostics[2].help.as_deref(),
            Some("the blocks here are `arrive`")
        );
        assert!(p.session.is_none());
    }

    #[test]
    fn include_cycles_are_reported_with_their_chain() {
        let a = "include = [\"b.toml\"]\n[[blocks.x.steps]]\nkind = \"bell\"\n";
        let b = "include = [\"a.toml\", \"s.toml\"]\n";
        let src = "title = \"t\"\ninclude = [\"a.toml\"]\n[[steps]]\nuse = \"x\"\n";
        let files = [("a.toml", a), ("b.toml", b), ("s.toml", src)];
        let p = check(src, &files);
        let c = found(&p, src, &files);
        assert_eq!(
            c,
            [
                ("include-cycle", "b.toml".into(), 1, 12),
                ("include-cycle", "b.toml".into(), 1, 22)
            ]
        );
        assert!(
            p.diagnostics[0]
                .message
                .contains("a.toml → b.toml → a.toml"),
            "{}",
            p.diagnostics[0].message
        );
        assert!(
            p.diagnostics[1]
                .message
                .contains("this session → a.toml → b.toml → this session"),
            "{}",
            p.diagnostics[1].message
        );
        // A cycle is an error, but the blocks still expand where they can.
        assert!(p.has_errors());
    }

    #[test]
    fn a_diamond_is_not_a_cycle() {
        let a = "include = [\"c.toml\"]\n";
        let b = "include = [\"c.toml\"]\n";
        let c = "[[blocks.x.steps]]\nkind = \"bell\"\n";
        let src = "title = \"t\"\ninclude = [\"a.toml\", \"b.toml\"]\n[[steps]]\nuse = \"x\"\n";
        let p = check(src, &[("a.toml", a), ("b.toml", b), ("c.toml", c)]);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(kinds(&p), ["bell"]);
    }

    #[test]
    fn include_depth_is_bounded() {
        let files: Vec<(String, String)> = (0..20)
            .map(|i| {
                (
                    format!("f{i}.toml"),
                    format!("include = [\"f{}.toml\"]\n", i + 1),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let src = "title = \"t\"\ninclude = [\"f0.toml\"]\n[[steps]]\nkind = \"bell\"\n";
        let p = check(src, &refs);
        let codes: Vec<_> = p.diagnostics.iter().map(|d| d.code.name()).collect();
        assert_eq!(codes, ["include-too-deep"]);
        assert_eq!(file_name(&p.diagnostics[0]), Some("f7.toml"));
        assert_eq!(p.diagnostics[0].notes().len(), 8);
    }

    #[test]
    fn block_cycles_and_blowups_are_refused() {
        let src = "title = \"t\"\n[[blocks.a.steps]]\nuse = \"b\"\n[[blocks.b.steps]]\nuse = \"a\"\n[[steps]]\nuse = \"a\"\n";
        let p = check(src, &[]);
        let codes: Vec<_> = p.diagnostics.iter().map(|d| d.code.name()).collect();
        assert_eq!(codes, ["block-cycle"]);
        assert!(
            p.diagnostics[0].message.contains("a → b → a"),
            "{}",
            p.diagnostics[0].message
        );

        // 100^4 steps: counted, never built.
        let mut src = String::from("title = \"t\"\n[[blocks.b0.steps]]\nkind = \"bell\"\n");
        for i in 1..5 {
            src += &format!(
                "[[blocks.b{i}.steps]]\nuse = \"b{}\"\nrepeat = 100\n",
                i - 1
            );
        }
        src += "[[steps]]\nuse = \"b4\"\n";
        let p = check(&src, &[]);
        let codes: Vec<_> = p.diagnostics.iter().map(|d| d.code.name()).collect();
        assert_eq!(codes, ["too-many-steps"]);

        let mut src = String::from("title = \"t\"\n[[blocks.b0.steps]]\nkind = \"bell\"\n");
        for i in 1..30 {
            src += &format!("[[blocks.b{i}.steps]]\nuse = \"b{}\"\n", i - 1);
        }
        src += "[[steps]]\nuse = \"b29\"\n";
        let p = check(&src, &[]);
        assert!(
            p.diagnostics.iter().any(|d| d.code == Code::BlocksTooDeep),
            "{:?}",
            p.diagnostics
        );
    }

    #[test]
    fn use_steps_are_checked() {
        let src = format!("title = \"t\"\n{BLOCK}[[steps]]\nuse = \"arrive\"\nrepeat = 0\n[[steps]]\nuse = \"arrive\"\nkind = \"bell\"\n[[steps]]\nuse = 3\n[[steps]]\nuse = \"arrive\"\nrepeat = 1.5\n");
        let p = check(&src, &[]);
        let c: Vec<_> = found(&p, &src, &[])
            .into_iter()
            .map(|(c, _, l, col)| (c, l, col))
            .collect();
        assert_eq!(
            c,
            [
                ("out-of-range", 9, 10),
                ("unknown-key", 12, 1),
                ("wrong-type", 14, 7),
                ("out-of-range", 17, 10)
            ]
        );
    }

    #[test]
    fn included_files_hold_only_blocks_and_escapes_are_refused() {
        let shared =
            "title = \"x\"\n[[blocks.a.steps]]\nkind = \"bell\"\nsound = \"../../x.wav\"\n";
        let src = "title = \"t\"\ninclude = [\"shared/a.toml\", \"../up.toml\", \"/etc/passwd\", \"none.toml\"]\n[[steps]]\nuse = \"a\"\n";
        let files = [("shared/a.toml", shared)];
        let p = check(src, &files);
        let c = found(&p, src, &files);
        assert_eq!(
            c,
            [
                ("include-outside", "s.toml".into(), 2, 29),
                ("include-outside", "s.toml".into(), 2, 43),
                ("include-not-found", "s.toml".into(), 2, 58),
                ("unknown-key", "shared/a.toml".into(), 1, 1),
            ]
        );
        // Sound paths in an included file resolve against its own folder,
        // and say which file named them.
        let f = &p.files[0];
        assert_eq!(f.path, Path::new("shared/../../x.wav"));
        assert_eq!(
            f.file.as_deref().map(|f| f.name.as_str()),
            Some("shared/a.toml")
        );
        assert_eq!(f.notes.len(), 1);
    }

    #[test]
    fn duplicate_names_across_files_are_refused() {
        let a = "[[blocks.x.steps]]\nkind = \"bell\"\n";
        let src = "title = \"t\"\ninclude = [\"a.toml\"]\n[[blocks.x.steps]]\nkind = \"bell\"\n[[steps]]\nuse = \"x\"\n";
        let p = check(src, &[("a.toml", a)]);
        let codes: Vec<_> = p.diagnostics.iter().map(|d| d.code.name()).collect();
        assert_eq!(codes, ["duplicate-block"]);
        assert_eq!(p.diagnostics[0].notes()[0].file, None);
    }

    #[test]
    fn a_file_of_blocks_is_checked_on_its_own() {
        let file = "include = [\"b.toml\"]\n[[blocks.a.steps]]\nuse = \"b\"\n[[blocks.c.steps]]\nkind = \"bel\"\n";
        let b = "[[blocks.b.steps]]\nkind = \"bell\"\n";
        let p = check(file, &[("b.toml", b)]);
        assert!(p.blocks_file && p.session.is_none());
        let c = found(&p, file, &[]);
        assert_eq!(c, [("unknown-kind", "s.toml".into(), 5, 8)]);
        let p = check("[[blocks.a.steps]]\nkind = \"bell\"\n", &[]);
        assert!(
            p.blocks_file && p.diagnostics.is_empty(),
            "{:?}",
            p.diagnostics
        );
        let p = check("title = \"x\"\n[[blocks.a.steps]]\nkind = \"bell\"\n", &[]);
        assert!(!p.blocks_file && p.has_errors());
    }

    #[test]
    fn a_script_without_a_provider_cannot_include() {
        let p = super::super::parse(
            "title = \"t\"\ninclude = [\"a.toml\"]\n[[steps]]\nkind = \"bell\"\n",
            &Origin {
                id: "s",
                dir: Path::new("."),
            },
        );
        assert_eq!(p.diagnostics[0].code, Code::IncludeUnavailable);
    }
}
