//! The offline speech engines kindly knows: how to run each one calmly.
//!
//! Pure: a recipe says which program to run, with which arguments, how
//! the words go in (standard input or a text file, never the command line,
//! so no prompt can be read as an option or run past the argv limit) and
//! how the WAV comes out (standard output, or a file kindly names and
//! reads). Finding which engines are installed is the edge's job
//! (`detect`); choosing one of those found is `choose`, here.
//!
//! Every recipe is tuned to the same calm pace, [`CALM_WPM`] words a
//! minute measured on the speech itself, where the engines' own defaults
//! run at 170–210. Each engine's knob is a different quantity (words a
//! minute, a duration stretch, a speed ratio), so each recipe carries the
//! figure measured for it at its default, and scales that.

use std::path::PathBuf;

/// The pace every engine is set to at `voice.rate = 1`: words a minute over
/// the speech, pauses between sentences not counted. Teachers of guided
/// practice speak at 100–135.
pub(crate) const CALM_WPM: f64 = 118.0;

/// An engine kindly has a recipe for, in order of quality: `auto` takes the
/// first one installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Engine {
    Piper,
    Say,
    Festival,
    Flite,
    EspeakNg,
    Espeak,
}

/// How the words reach the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextIn {
    /// `{text}` in the arguments, as one argument: a person's own command.
    Arg,
    Stdin,
    /// A UTF-8 file whose path replaces [`TEXT_FILE`] in the arguments.
    File,
}

/// How the sound comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WavOut {
    Stdout,
    /// A file whose path replaces [`OUT_FILE`] in the arguments. Needed for
    /// programs that seek back to finish the header (`text2wave` writes a
    /// zero data length into a pipe), or write nothing to stdout.
    File,
}

/// Stands for the text file's path in a recipe's arguments.
pub(crate) const TEXT_FILE: &str = "{textfile}";
/// Stands for the output file's path in a recipe's arguments.
pub(crate) const OUT_FILE: &str = "{outfile}";

/// One way to run a program for one sentence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Recipe {
    pub engine: Option<Engine>,
    /// Program, then arguments, with [`TEXT_FILE`] and [`OUT_FILE`] where
    /// those paths go.
    pub argv: Vec<String>,
    pub text_in: TextIn,
    pub wav_out: WavOut,
}

impl Engine {
    pub(crate) const ALL: [Engine; 6] = [
        Engine::Piper,
        Engine::Say,
        Engine::Festival,
        Engine::Flite,
        Engine::EspeakNg,
        Engine::Espeak,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Engine::Piper => "piper",
            Engine::Say => "say",
            Engine::Festival => "festival",
            Engine::Flite => "flite",
            Engine::EspeakNg => "espeak-ng",
            Engine::Espeak => "espeak",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The program looked for on `PATH`.
    pub(crate) fn program(self) -> &'static str {
        match self {
            Engine::Festival => "text2wave",
            other => other.name(),
        }
    }

    /// A line for `kindly voices`: what it sounds like and where people get it.
    pub(crate) fn about(self) -> &'static str {
        match self {
            Engine::Piper => "neural voices, the most natural (pip install piper-tts, and a voice model)",
            Engine::Say => "the macOS system voice",
            Engine::Festival => "festival with the HTS voice cmu_us_slt_arctic_hts (apt install festival festvox-us-slt-hts)",
            Engine::Flite => "festival's small sibling, voice slt (apt install flite)",
            Engine::EspeakNg => "clear but robotic, on most Linux desktops (apt install espeak-ng)",
            Engine::Espeak => "espeak-ng's older form",
        }
    }

    /// Words a minute at the engine's default speed, measured here on the
    /// speech of calm guidance sentences (trimmed of leading and trailing
    /// silence). Piper and say could not be measured here; their figures
    /// come from their documented defaults.
    fn default_wpm(self) -> f64 {
        match self {
            Engine::Piper => 165.0,
            Engine::Say => 175.0,
            Engine::Festival => 196.0,
            Engine::Flite => 208.0,
            Engine::EspeakNg | Engine::Espeak => 206.0,
        }
    }

    /// The recipe at `rate` (1 is [`CALM_WPM`]); `model` is piper's voice.
    pub(crate) fn recipe(self, rate: f64, model: Option<&PathBuf>) -> Recipe {
        let rate = rate.clamp(0.5, 2.0);
        // How much slower than the engine's default: >1 is slower.
        let stretch = self.default_wpm() / (CALM_WPM * rate);
        let s = |v: &str| v.to_owned();
        let (argv, text_in, wav_out) = match self {
            Engine::Piper => (
                vec![
                    s("piper"),
                    s("--model"),
                    model.map_or_else(String::new, |m| m.display().to_string()),
                    s("--output_file"),
                    s(OUT_FILE),
                    s("--length_scale"),
                    format!("{stretch:.2}"),
                    s("--sentence_silence"),
                    s("0"),
                ],
                TextIn::Stdin,
                WavOut::File,
            ),
            Engine::Say => (
                vec![
                    s("say"),
                    s("-r"),
                    format!("{:.0}", CALM_WPM * rate),
                    s("--file-format=WAVE"),
                    s("--data-format=LEI16@22050"),
                    s("-o"),
                    s(OUT_FILE),
                    s("-f"),
                    s(TEXT_FILE),
                ],
                TextIn::File,
                WavOut::File,
            ),
            // HTS voices ignore Duration_Stretch; hts_engine's own speed
            // ratio (-r) is what slows them.
            Engine::Festival => (
                vec![
                    s("text2wave"),
                    s("-eval"),
                    s("(voice_cmu_us_slt_arctic_hts)"),
                    s("-eval"),
                    format!(
                        "(set! hts_engine_params (append hts_engine_params (list (list \"-r\" {:.3}))))",
                        1.0 / stretch
                    ),
                    s("-o"),
                    s(OUT_FILE),
                    s(TEXT_FILE),
                ],
                TextIn::File,
                WavOut::File,
            ),
            Engine::Flite => (
                vec![
                    s("flite"),
                    s("-voice"),
                    s("slt"),
                    s("--setf"),
                    format!("duration_stretch={stretch:.3}"),
                    s("-f"),
                    s(TEXT_FILE),
                    s("-o"),
                    s(OUT_FILE),
                ],
                TextIn::File,
                WavOut::File,
            ),
            Engine::EspeakNg | Engine::Espeak => (
                vec![
                    s(self.program()),
                    s("-v"),
                    s("en-us+f3"),
                    s("-s"),
                    format!("{:.0}", (175.0 / stretch).max(80.0)),
                    s("--stdout"),
                    s("--stdin"),
                ],
                TextIn::Stdin,
                WavOut::Stdout,
            ),
        };
        Recipe {
            engine: Some(self),
            argv,
            text_in,
            wav_out,
        }
    }
}

impl Recipe {
    /// A person's own program from `[voice] command`: `{text}` is replaced
    /// by the sentence, as one argument. The rate is theirs to set.
    pub(crate) fn command(argv: Vec<String>) -> Recipe {
        Recipe {
            engine: None,
            argv,
            text_in: TextIn::Arg,
            wav_out: WavOut::Stdout,
        }
    }

    /// The program's name, for messages.
    pub(crate) fn program(&self) -> &str {
        self.argv.first().map_or("", String::as_str)
    }
}

/// Why this voice and not another: `kindly voices` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// `engine = "auto"` (the default) took the best one installed.
    Auto,
    /// `engine` or `command` in config.toml.
    Config,
    /// `--voice` on the command line.
    Flag,
}

impl Why {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Why::Auto => "the best engine installed (engine = \"auto\")",
            Why::Config => "set in config.toml",
            Why::Flag => "set by --voice",
        }
    }
}

/// What a person asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Wanted {
    Auto,
    Off,
    Engine(Engine),
    Command(Vec<String>),
}

impl Wanted {
    /// `auto`, `off`, or an engine's name.
    pub(crate) fn parse(name: &str) -> Option<Wanted> {
        match name {
            "auto" => Some(Wanted::Auto),
            "off" | "none" => Some(Wanted::Off),
            other => Engine::from_name(other).map(Wanted::Engine),
        }
    }

    /// Every name `parse` takes, for messages and completions.
    pub(crate) fn names() -> Vec<&'static str> {
        let mut names = vec!["auto", "off"];
        names.extend(Engine::ALL.iter().map(|e| e.name()));
        names
    }
}

/// The outcome of choosing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Choice {
    Speak {
        recipe: Recipe,
        why: Why,
    },
    /// Speech is off (`off`, `--no-voice`), or `auto` found nothing.
    Silent {
        why: Why,
        found_none: bool,
    },
    /// The engine asked for is not installed.
    Missing {
        engine: Engine,
        why: Why,
    },
}

/// Pick the voice: `wanted` and where it came from, `found` the engines
/// installed in quality order. Pure.
pub(crate) fn choose(
    wanted: &Wanted,
    why: Why,
    found: &[Engine],
    rate: f64,
    model: Option<&PathBuf>,
) -> Choice {
    match wanted {
        Wanted::Off => Choice::Silent {
            why,
            found_none: false,
        },
        Wanted::Command(argv) => Choice::Speak {
            recipe: Recipe::command(argv.clone()),
            why,
        },
        Wanted::Engine(e) if found.contains(e) => Choice::Speak {
            recipe: e.recipe(rate, model),
            why,
        },
        Wanted::Engine(e) => Choice::Missing { engine: *e, why },
        Wanted::Auto => match Engine::ALL.into_iter().find(|e| found.contains(e)) {
            Some(e) => Choice::Speak {
                recipe: e.recipe(rate, model),
                why,
            },
            None => Choice::Silent {
                why,
                found_none: true,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_takes_the_best_installed() {
        let found = [Engine::EspeakNg, Engine::Flite, Engine::Festival];
        match choose(&Wanted::Auto, Why::Auto, &found, 1.0, None) {
            Choice::Speak { recipe, why } => {
                assert_eq!(recipe.engine, Some(Engine::Festival));
                assert_eq!(why, Why::Auto);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            choose(&Wanted::Auto, Why::Auto, &[], 1.0, None),
            Choice::Silent {
                why: Why::Auto,
                found_none: true
            }
        );
        assert_eq!(
            choose(
                &Wanted::Engine(Engine::Piper),
                Why::Config,
                &found,
                1.0,
                None
            ),
            Choice::Missing {
                engine: Engine::Piper,
                why: Why::Config
            }
        );
    }

    #[test]
    fn names_round_trip() {
        for e in Engine::ALL {
            assert_eq!(Engine::from_name(e.name()), Some(e));
            assert_eq!(Wanted::parse(e.name()), Some(Wanted::Engine(e)));
        }
        assert_eq!(Wanted::parse("off"), Some(Wanted::Off));
        assert_eq!(Wanted::parse("robot"), None);
    }

    #[test]
    fn every_engine_is_slowed_to_the_calm_pace() {
        // espeak's -s is words a minute at its own scale: 175 is its
        // default, so a calm pace asks for well under that.
        let es = Engine::EspeakNg.recipe(1.0, None);
        let s: f64 = es.argv[4].parse().unwrap();
        assert!((90.0..=110.0).contains(&s), "{s}");
        // A faster rate asks for faster speech.
        let fast: f64 = Engine::EspeakNg.recipe(1.5, None).argv[4].parse().unwrap();
        assert!(fast > s);
        let fl = Engine::Flite.recipe(1.0, None);
        assert!(fl
            .argv
            .iter()
            .any(|a| a.starts_with("duration_stretch=1.7")));
        let fe = Engine::Festival.recipe(1.0, None);
        assert!(fe.argv.iter().any(|a| a.contains("\"-r\" 0.60")), "{fe:?}");
    }

    #[test]
    fn no_recipe_puts_words_on_the_command_line() {
        for e in Engine::ALL {
            let r = e.recipe(1.0, Some(&PathBuf::from("/m/en.onnx")));
            assert_eq!(r.argv[0], e.program());
            match r.text_in {
                TextIn::File => assert!(r.argv.iter().any(|a| a == TEXT_FILE)),
                TextIn::Stdin => assert!(!r.argv.iter().any(|a| a == TEXT_FILE)),
                TextIn::Arg => panic!("{e:?} puts words in its argv"),
            }
            match r.wav_out {
                WavOut::File => assert!(r.argv.iter().any(|a| a == OUT_FILE)),
                WavOut::Stdout => assert!(!r.argv.iter().any(|a| a == OUT_FILE)),
            }
        }
    }
}
