//! `kindly timer` and `kindly breathe` set up: flags over a `--preset`
//! over config.toml over kindly's defaults, into the session they play.
//!
//! Only the deciding happens here; `play.rs` plays the result.

use std::time::Duration;

use crate::cli::{BreatheArgs, TimerArgs};
use crate::config::{Config, Preset, PresetKind};
use crate::error::{Error, Result};
use crate::quick::{self, Timer, END_STRIKES};
use crate::session::{BreathLength, BreathPattern, Breathe, Gain, Session};
use crate::synth::Cue;

/// A quick practice, decided.
pub(super) struct Quick {
    pub session: Session,
    /// From the preset, when no flag says: flags still win in `quick_start`.
    pub volume: Option<Gain>,
    pub ambience: Option<String>,
    /// The seed of random interval bells, for the practice log.
    pub seed: Option<u64>,
    /// An open-ended sit: ending it is how it is finished.
    pub open: bool,
}

/// The preset `name` for `want`, or an error that lists what there is.
fn preset<'c>(config: &'c Config, name: &str, want: PresetKind) -> Result<&'c Preset> {
    let Some(p) = config.preset(name) else {
        let names: Vec<&str> = config
            .presets
            .iter()
            .filter(|p| p.kind == want)
            .map(|p| p.name.as_str())
            .collect();
        let help = match crate::script::closest(name, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if names.is_empty() => format!(
                "add a `[presets.{name}]` table to config.toml; the README's \"Presets\" shows one, and `kindly list` lists yours"
            ),
            None => format!("your {} presets: {}", want.name(), names.join(", ")),
        };
        return Err(Error::new(format!("there is no preset `{name}`")).help(help));
    };
    if p.kind != want {
        return Err(Error::new(format!(
            "the preset `{name}` sets up `kindly {}`, not `kindly {}`",
            p.kind.name(),
            want.name()
        ))
        .help(format!(
            "run it with `kindly {} --preset {name}`",
            p.kind.name()
        )));
    }
    Ok(p)
}

pub(super) fn timer(args: &TimerArgs, config: &Config) -> Result<Quick> {
    let p = match &args.preset {
        Some(name) => Some(preset(config, name, PresetKind::Timer)?),
        None => None,
    };
    let bell = match &args.bell {
        Some(name) => Cue::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Cue::ALL.iter().map(|c| c.name()).collect();
            let help = match crate::script::closest(name, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("use one of {}", names.join(", ")),
            };
            Error::new(format!("`{name}` is not a bell")).help(help)
        })?,
        // The person's configured bell is theirs everywhere, timer too.
        None => p.and_then(|p| p.bell).unwrap_or(config.bell.value),
    };
    // No length anywhere: an open-ended sit, until the person ends it.
    let given = args
        .length
        .or(p.and_then(|p| p.length))
        .filter(|_| !args.open);
    let length = given.unwrap_or(quick::OPEN_ENDED);
    let interval = args.interval.or(p.and_then(|p| p.interval));
    let seed = args.seed.or(config.seed.value).unwrap_or(0);
    let timer = Timer {
        length,
        bell,
        interval,
        warmup: args.warmup.or(p.and_then(|p| p.warmup)),
        end_strikes: args
            .end_strikes
            .or(p.and_then(|p| p.end_strikes))
            .unwrap_or(END_STRIKES),
        seed,
        open: given.is_none(),
    };
    let session = timer.session().map_err(|e| {
        let help = if e.contains("strikes") {
            "give --end-strikes from 1 (one soft strike) to 12"
        } else {
            "give a length such as 20m"
        };
        Error::new(e).help(help)
    })?;
    Ok(Quick {
        session,
        volume: p.and_then(|p| p.volume),
        ambience: p.and_then(|p| p.ambience.clone()),
        seed: interval.filter(|i| i.is_random()).map(|_| seed),
        open: given.is_none(),
    })
}

pub(super) fn breathe(args: &BreatheArgs, config: &Config) -> Result<Quick> {
    let p = match &args.preset {
        Some(name) => Some(preset(config, name, PresetKind::Breathe)?),
        None => None,
    };
    let pattern = match (&args.pattern, p.and_then(|p| p.pattern.as_ref())) {
        (Some(text), _) => BreathPattern::parse_with(text, &config.patterns).map_err(|_| {
            let names = config.patterns.names();
            let help = match crate::script::closest(text, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "use {}, or seconds joined by `-` such as 4-2-6 (each 0.5 to 30)",
                    crate::script::one_of(&names)
                ),
            };
            Error::new(format!("`{text}` is not a breathing pattern")).help(help)
        })?,
        (None, Some((_, pattern))) => pattern.clone(),
        (None, None) => BreathPattern::coherent(),
    };
    let cycles = args.cycles.or(if args.for_.is_some() {
        None
    } else {
        p.and_then(|p| p.cycles)
    });
    let length = match (cycles, args.for_.or(p.and_then(|p| p.length))) {
        (Some(n), _) if n == 0 || n > Breathe::MAX_CYCLES => {
            return Err(Error::new(format!(
                "--cycles must be between 1 and {}",
                Breathe::MAX_CYCLES
            )))
        }
        (Some(n), _) => BreathLength::Cycles(n),
        (None, Some(d)) => BreathLength::Duration(d),
        (None, None) => BreathLength::Duration(Duration::from_secs(5 * 60)),
    };
    Ok(Quick {
        session: quick::breathe(pattern, length),
        volume: p.and_then(|p| p.volume),
        ambience: p.and_then(|p| p.ambience.clone()),
        seed: None,
        open: false,
    })
}
