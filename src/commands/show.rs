//! `kindly show`: the compiled timeline as a table or JSON, the author's dry run.

use std::io::IsTerminal;

use serde_json::json;

use crate::cli::{OutputStyle, ShowArgs};
use crate::dirs::Dirs;
use crate::duration::{clock, human};
use crate::error::{Result, Status};
use crate::session::{Session, StepKind};
use crate::timeline::{Gate, Show, TimedStep, Timeline};

use super::prepare::{load, Speech};
use super::{flags, print_stdout, settings};

pub(super) fn run(args: &ShowArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let flags = flags(&args.session_args, None);
    let config = settings(dirs, &flags)?;
    let loaded = load(&args.session, &config, dirs, Speech::Wait)?
        .prepare(&config, crate::timeline::Format::default())?;
    let text = match args.format {
        OutputStyle::Human => {
            let width = terminal_width();
            table(
                &loaded.session,
                &loaded.timeline,
                &loaded.script.display,
                width,
            )
        }
        OutputStyle::Json => format!("{:#}\n", to_json(&loaded.session, &loaded.timeline)),
    };
    print_stdout(&text)?;
    Ok(Status::Success)
}

fn terminal_width() -> usize {
    if !std::io::stdout().is_terminal() {
        return 80;
    }
    // The last column stays free: a line that fills it cannot be told
    // from one the terminal wrapped, and some terminals wrap it anyway.
    crossterm::terminal::size()
        .map(|(w, _)| usize::from(w).saturating_sub(1))
        .unwrap_or(80)
        .clamp(20, 120)
}

/// The narrowest column of step words worth keeping beside the times.
const NARROWEST: usize = 24;
/// The indent of a step's words under its line on a narrow terminal.
const UNDER: &str = "      ";

/// Wrapped at spaces only: a long word overflows rather than breaks.
fn wrap(text: &str, width: usize) -> Vec<std::borrow::Cow<'_, str>> {
    textwrap::wrap(
        text,
        textwrap::Options::new(width.max(1)).break_words(false),
    )
}

/// The human timeline. Step text is wrapped under its own column.
pub(crate) fn table(session: &Session, t: &Timeline, origin: &str, width: usize) -> String {
    let rate = t.format.rate;
    let mut out = String::new();
    out.push_str(&format!("{}\n{origin}\n", t.title));
    if let Some(summary) = &session.summary {
        for line in wrap(summary, width) {
            out.push_str(&format!("{line}\n"));
        }
    }
    let mut facts = vec![human(t.duration()), format!("{} steps", t.steps.len())];
    if let Some(bed) = &t.ambience {
        facts.push(format!(
            "ambience {} at {}, {} fades",
            bed.sound,
            bed.gain,
            human(bed.fade.to_duration(rate))
        ));
    }
    if let Some(seed) = t.seed {
        facts.push(format!(
            "random bells from seed {seed} (--seed {seed} lays them out again)"
        ));
    }
    out.push_str(&format!("{}\n", facts.join(" · ")));
    if !session.tags.is_empty() {
        out.push_str(&format!("tags: {}\n", session.tags.join(", ")));
    }
    out.push('\n');

    const HEAD: &str = "   #   start  length  kind      ";
    out.push_str(&format!("{HEAD}what\n"));
    let indent = " ".repeat(HEAD.len());
    let text_width = width.saturating_sub(HEAD.len());
    for (step, model) in t.steps.iter().zip(&session.steps) {
        let marker = if step.gate.is_some() { "*" } else { " " };
        let lead = format!(
            "{marker}{:>3}  {:>6}  {:>6}  {:<8}  ",
            step.index + 1,
            clock(step.start.to_duration(rate)),
            clock(step.length.to_duration(rate)),
            step.kind,
        );
        let mut what = describe(step, &model.kind, rate);
        if model.spoken.is_some()
            && !matches!(&model.kind, StepKind::Prompt(p) if p.voice.is_some())
        {
            what.push_str(" [spoken]");
        }
        if let Some(block) = &model.block {
            what.push_str(&format!(" [block {block}]"));
        }
        out.push_str(&lead);
        if text_width >= NARROWEST {
            let mut lines = wrap(&what, text_width).into_iter();
            out.push_str(lines.next().as_deref().unwrap_or(""));
            out.push('\n');
            for line in lines {
                out.push_str(&format!("{indent}{line}\n"));
            }
        } else {
            // A narrow terminal: the words go under the step's line.
            out.truncate(out.trim_end().len());
            out.push('\n');
            for line in wrap(&what, width.saturating_sub(UNDER.len())) {
                out.push_str(&format!("{UNDER}{line}\n"));
            }
        }
    }
    out.push_str(&format!("\ntotal {}\n", human(t.duration())));
    let gates = t.steps.iter().filter(|s| s.gate.is_some()).count();
    if gates > 0 {
        out.push_str(&format!(
            "* {gates} {} for you (a key press, or Enter after a question) and \
             take{} as long as you need. The times above count each as {}, the \
             pause used when nobody is at the keyboard; change it with --gate.\n",
            if gates == 1 {
                "step waits"
            } else {
                "steps wait"
            },
            if gates == 1 { "s" } else { "" },
            human(t.gate),
        ));
    }
    out
}

/// The words of a step, or what it does when it has none.
fn describe(step: &TimedStep, kind: &StepKind, rate: u32) -> String {
    let sound = match kind {
        StepKind::Bell(b) if b.strikes > 1 => {
            format!("{} ×{}, every {}", b.sound, b.strikes, human(b.spacing))
        }
        StepKind::Bell(b) => b.sound.to_string(),
        StepKind::Pause(p) => match p.interval {
            Some(i) if i.is_random() => {
                // The strikes this seed gives, so the dry run is what plays.
                let at: Vec<String> = step
                    .audio
                    .iter()
                    .filter(|e| e.role == crate::timeline::Role::IntervalBell)
                    .map(|e| clock(e.at.to_duration(rate)))
                    .collect();
                let at = if at.is_empty() {
                    "none fall in this pause".to_owned()
                } else {
                    format!("at {}", at.join(", "))
                };
                format!("{} at random every {i}, {at}", p.interval_sound)
            }
            Some(i) => format!("{} every {i}", p.interval_sound),
            None if p.text.is_none() => "silence".to_owned(),
            None => String::new(),
        },
        StepKind::Breathe(b) => {
            use crate::session::Phase;
            let cue = match (b.cue.cue(Phase::Inhale), b.cue.cue(Phase::Exhale)) {
                (None, _) | (_, None) => "no cue".to_owned(),
                (Some(i), Some(o)) if i == o => i.name().to_owned(),
                (Some(i), Some(o)) => format!("{} in, {} out", i.name(), o.name()),
            };
            format!("{} × {} breaths, {cue}", b.pattern, b.cycles())
        }
        StepKind::Audio(a) => a.file.display().to_string(),
        StepKind::Prompt(p) => match &p.voice {
            Some(v) => format!("voice {}", v.display()),
            None => String::new(),
        },
        StepKind::Reflect(r) if r.journal => "answer kept in your journal".to_owned(),
        StepKind::Reflect(_) => String::new(),
    };
    match (&step.text, sound.is_empty()) {
        (Some(text), true) => text.clone(),
        (Some(text), false) => format!("{text} [{sound}]"),
        (None, _) => sound,
    }
}

/// The JSON contract for tools and tests: seconds as numbers, events flat.
pub(crate) fn to_json(session: &Session, t: &Timeline) -> serde_json::Value {
    let rate = t.format.rate;
    let secs = |f: crate::timeline::Frames| f.secs(rate);
    let steps: Vec<_> = t
        .steps
        .iter()
        .zip(&session.steps)
        .map(|(s, model)| {
            let audio: Vec<_> = s
                .audio
                .iter()
                .map(|e| {
                    json!({
                        "sound": e.sound.to_string(),
                        "start": secs(e.at),
                        "gain": round3(e.gain.get()),
                        "role": e.role.name(),
                    })
                })
                .collect();
            let phases: Vec<_> = s
                .display
                .iter()
                .filter_map(|d| match &d.show {
                    Show::Phase { phase, length } => Some(json!({
                        "phase": phase.label(),
                        "start": secs(d.at),
                        "duration": secs(*length),
                    })),
                    Show::Text(_) => None,
                })
                .collect();
            json!({
                "index": s.index,
                "kind": s.kind,
                "theme": s.theme.map(|t| t.name()),
                "start": secs(s.start),
                "duration": secs(s.length),
                "text": s.text,
                "gate": s.gate.map(|g| match g {
                    Gate::Key => "key",
                    Gate::Reflect { journal: true } => "journal",
                    Gate::Reflect { journal: false } => "enter",
                }),
                "line": s.line,
                "block": model.block,
                "audio": audio,
                "phases": phases,
            })
        })
        .collect();
    json!({
        "id": t.id,
        "title": t.title,
        "summary": session.summary,
        "tags": session.tags,
        "themes": session.themes().iter().map(|t| t.name()).collect::<Vec<_>>(),
        "duration": secs(t.length),
        "gate": t.gate.as_secs_f64(),
        "rate": rate,
        "seed": t.seed,
        "ambience": t.ambience.as_ref().map(|b| json!({
            "sound": b.sound.to_string(),
            "volume": round3(b.gain.get()),
            "fade": secs(b.fade),
        })),
        "steps": steps,
    })
}

/// Gains are f32; print them as the author wrote them, not as 0.800000011.
fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}
