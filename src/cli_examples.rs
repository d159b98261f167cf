//! The examples at the foot of each command's `--help`: two or three lines
//! a person can copy, kept beside the command line they belong to.

pub(super) const PLAY: &str = "\
Examples:
  kindly play self-compassion-break     play a bundled session
  kindly play ./evening.toml --plain    your own script, as plain lines
  kindly play loving-kindness --no-voice --from 3
  kindly play secure-base --resume      go on where you last stopped";

pub(super) const TIMER: &str = "\
Examples:
  kindly timer 20m                      a bell, twenty quiet minutes, a bell
  kindly timer --interval 10m           an open-ended sit, until you press q
  kindly timer 30m --interval 10m       a single strike every ten minutes
  kindly timer 20m --interval 3m..7m    a strike at a random time, 3 to 7 minutes apart
  kindly timer 20m --interval 3m..7m --seed 42   the same random strikes again
  kindly timer 15m --end-strikes 1      end with one soft strike, not three
  kindly timer --preset morning         a set-up from [presets.morning] in config.toml
  kindly timer --preset morning --interval 5m    the preset, with its interval changed
  kindly timer 10m --ambience rain --warmup 10s";

pub(super) const AGAIN: &str = "\
Examples:
  kindly again                          the last session, timer or pacer, as it was
  kindly again --silent                 the same, with text and timing only
  kindly again --volume 0.4 --ambience rain   the same, quieter, over rain";

pub(super) const BREATHE: &str = "\
Examples:
  kindly breathe                        coherent breathing for five minutes
  kindly breathe 4-7-8 --cycles 4       four slow 4-7-8 breaths
  kindly breathe box --for 2m --plain   each phase as a line (in 4, hold 4…)
  kindly breathe calm                   your own pattern, from [patterns] in config.toml
  kindly breathe --preset evening --cycles 6     a preset, with six breaths";

pub(super) const CHECK: &str = "\
Examples:
  kindly check evening.toml             every problem, with file:line:column
  kindly check ~/sessions/*.toml        many scripts at once
  kindly check shared/arrival.toml      a file of blocks that sessions include
  kindly check evening.toml --format json";

pub(super) const SHOW: &str = "\
Examples:
  kindly show breathing-pacer           the timeline, step by step
  kindly show self-compassion-break     blocks and includes expanded in place
  kindly show ./evening.toml --format json";

pub(super) const LIST: &str = "\
Examples:
  kindly list                           bundled sessions and your own
  kindly list --dir ~/shared-sessions   and the ones in another folder
  kindly list --recent                  the sessions you practised lately, newest first
  kindly list --format json";

pub(super) const NEW: &str = "\
Examples:
  kindly new morning-kindness           a starter in your sessions folder
  kindly new calm --template breathing  start from a breathing pacer
  kindly new letter -o - > letter.toml  print it instead";

pub(super) const RENDER: &str = "\
Examples:
  kindly render loving-kindness -o lk.wav
  kindly render ./evening.toml -o - --bits 24 | sox - evening.flac
  kindly render breathing-pacer -o bp.wav --ambience none --rate 44100";

pub(super) const SCHEMA: &str = "\
Examples:
  kindly schema > session.schema.json   for editors; a script's first line
                                        `#:schema ./session.schema.json` uses it
  taplo check --schema \"file://$PWD/session.schema.json\" evening.toml
  kindly new evening                    writes a script that points at a copy";

pub(super) const SOUNDS: &str = "\
Examples:
  kindly sounds list                    the built-in bells, cues and beds
  kindly sounds export ./sounds         each as a small WAV file";

pub(super) const STATS: &str = "\
Examples:
  kindly stats                          totals, this week and a calendar
  kindly stats --no-streaks             the same without streaks
  kindly stats self-compassion-break    one session's runs, lengths and calendar row
  kindly stats timer                    every timer you sat
  kindly stats --format json";

pub(super) const LOG: &str = "\
Examples:
  kindly log export > practice.csv      for a spreadsheet
  kindly log export --format json       for tools";

pub(super) const LOG_EXPORT: &str = LOG;

pub(super) const JOURNAL: &str = "\
Examples:
  kindly journal                        the days with entries
  kindly journal show today             today's answers
  kindly journal show 2025-01-07";

pub(super) const CONFIG: &str = "\
Examples:
  kindly config                         every setting and where it comes from
  kindly config --no-voice              what a flag would change
  kindly config --format json";

pub(super) const COMPLETIONS: &str = "\
Examples:
  source <(COMPLETE=bash kindly)        bash, for this shell (see README)
  COMPLETE=zsh kindly > ~/.zfunc/_kindly
  COMPLETE=fish kindly > ~/.config/fish/completions/kindly.fish";

pub(super) const MAN: &str = "\
Examples:
  kindly man | man -l -                 read the manual
  kindly man > ~/.local/share/man/man1/kindly.1";

pub(super) const SOUNDS_LIST: &str = "\
Examples:
  kindly sounds list                    every cue and bed, with its length
  kindly timer 10m --bell gong          then use one by its name";

pub(super) const SOUNDS_EXPORT: &str = "\
Examples:
  kindly sounds export ./sounds         each sound as a WAV file in ./sounds
  kindly sounds export ~/Music/kindly   to listen to them in another player";

pub(super) const VOICES_TRY: &str = "\
Examples:
  kindly voices try                     the voice that speaks now
  kindly voices try espeak-ng \"Breathe in, gently.\"
  kindly voices try festival -o sample.wav";

pub(super) const VOICES_USE: &str = "\
Examples:
  kindly voices use flite               speak with flite from now on
  kindly voices use auto                the best installed engine again
  kindly voices use off                 on-screen words and a soft cue only";

pub(super) const JOURNAL_SHOW: &str = "\
Examples:
  kindly journal show today             what you wrote today
  kindly journal show 2025-01-07        a day by its date";

pub(super) const REMIND: &str = "\
Examples:
  kindly remind add 08:00                       every morning at eight
  kindly remind add 19:30 loving-kindness --weekdays --unless-practised
  kindly remind list                            and the files kindly wrote
  kindly remind remove 1";

pub(super) const REMIND_ADD: &str = "\
Examples:
  kindly remind add 08:00                       a nudge every day at eight
  kindly remind add 07:15 self-compassion-break --weekdays
  kindly remind add 21:00 --unless-practised    only if the day had no practice
  kindly remind add 08:00 --via cron --dry-run  show the crontab line, add nothing";

pub(super) const REMIND_LIST: &str = "\
Examples:
  kindly remind list                            each reminder and its files
  kindly remind list --format json";

pub(super) const REMIND_REMOVE: &str = "\
Examples:
  kindly remind remove 2                        one reminder, and its files
  kindly remind remove all                      every reminder kindly set";
