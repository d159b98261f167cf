//! `kindly render` to WAV, FLAC, Ogg Vorbis and MP3, read back by ffprobe
//! and ffmpeg (independent readers), and the transcript by a strict WebVTT
//! parse.

use std::path::Path;
use std::process::Command;

use crate::test::Test;

/// Steps with exact lengths: chapters at 0, 5 and 9 s (the 2 s pause has
/// no words, so no chapter), 11 s in all.
const WALK: &str = r#"title = "A short walk"
summary = "Two prompts & a rest, <for tests>."
author = "Test Author"
format = 1

[[steps]]
kind = "prompt"
text = "Let yourself arrive. Notice your feet."
hold = "3s"

[[steps]]
kind = "pause"
duration = "2s"

[[steps]]
kind = "pause"
duration = "4s"
text = "Resting with the breath --> slowly."

[[steps]]
kind = "prompt"
text = "Thank yourself."
hold = "2s"
"#;

fn ffprobe(path: &Path) -> serde_json::Value {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_format",
            "-show_streams",
            "-show_chapters",
        ])
        .args(["-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe runs (apt-get install ffmpeg)");
    assert!(
        out.status.success(),
        "ffprobe rejects {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn render(args: &[&str]) -> crate::test::Finished {
    Test::new()
        .write("walk.toml", WALK)
        .args(["render", "--no-voice", "walk.toml"])
        .args(args.iter().copied())
        .run()
}

/// A tag by name, whatever case the container gives it.
fn tag<'a>(tags: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    tags.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

#[test]
fn every_format_reads_back_with_its_codec_length_tags_and_chapters() {
    for (ext, format_name, codec) in [
        ("flac", "flac", "flac"),
        ("ogg", "ogg", "vorbis"),
        ("mp3", "mp3", "mp3"),
    ] {
        let name = format!("walk.{ext}");
        let t = render(&["-o", &name]);
        let info = ffprobe(&t.dir.path().join(&name));
        let format = &info["format"];
        let stream = &info["streams"][0];
        assert_eq!(format["format_name"], format_name, "{ext}");
        assert_eq!(stream["codec_name"], codec, "{ext}");
        assert_eq!(stream["sample_rate"], "48000", "{ext}");
        assert_eq!(stream["channels"], 2, "{ext}");
        let duration: f64 = format["duration"].as_str().unwrap().parse().unwrap();
        // MP3 rounds to whole 1152-sample frames (24 ms).
        assert!((duration - 11.0).abs() < 0.03, "{ext} lasts {duration}");
        // Ogg keeps its comments on the stream, FLAC and MP3 on the format.
        let tags = if ext == "ogg" {
            &stream["tags"]
        } else {
            &format["tags"]
        };
        assert_eq!(tag(tags, "title"), Some("A short walk"), "{ext}: {tags}");
        assert_eq!(tag(tags, "artist"), Some("kindly"), "{ext}");
        assert_eq!(tag(tags, "album"), Some("kindly sessions"), "{ext}");
        assert_eq!(
            tag(tags, "comment"),
            Some("Two prompts & a rest, <for tests>."),
            "{ext}"
        );
        let credits = tag(tags, "credits").unwrap_or_default();
        assert!(
            credits.contains("Session by Test Author."),
            "{ext}: {credits}"
        );
        let chapters: Vec<(String, String, String)> = info["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["start_time"].as_str().unwrap().to_owned(),
                    c["end_time"].as_str().unwrap().to_owned(),
                    c["tags"]["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expect = [
            ("0.000000", "5.000000", "Let yourself arrive."),
            (
                "5.000000",
                "9.000000",
                "Resting with the breath --> slowly.",
            ),
            ("9.000000", "11.000000", "Thank yourself."),
        ]
        .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()));
        assert_eq!(chapters, expect, "{ext}");
        assert!(
            t.stderr.contains(&format!("wrote {name} (0:11, ")),
            "{ext}: {}",
            t.stderr
        );
    }
}

/// Decoded by ffmpeg, the FLAC holds exactly the WAV's samples.
#[test]
fn flac_is_lossless_against_the_wav() {
    let t = Test::new()
        .write("walk.toml", WALK)
        .args(["render", "--no-voice", "walk.toml", "-o", "walk.wav", "-q"])
        .stderr("")
        .run();
    let dir = t.dir.path();
    Test::new()
        .args(["render", "--no-voice"])
        .arg(dir.join("walk.toml").display().to_string())
        .arg("-o")
        .arg(dir.join("walk.flac").display().to_string())
        .run();
    let pcm = |file: &str| {
        let out = Command::new("ffmpeg")
            .args(["-v", "error", "-i"])
            .arg(dir.join(file))
            .args(["-f", "s16le", "-"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let wav = pcm("walk.wav");
    assert_eq!(wav.len(), 11 * 48_000 * 4);
    assert!(wav.iter().any(|&b| b != 0), "the walk is not silent");
    assert!(pcm("walk.flac") == wav, "FLAC decodes to other samples");
    // The reference decoder checks the MD5 of the samples that STREAMINFO
    // carries against what it decodes, at 16 and 24 bits.
    if !crate::test::tools(&["flac"]) {
        return;
    }
    Test::new()
        .args(["render", "--no-voice", "--bits", "24"])
        .arg(dir.join("walk.toml").display().to_string())
        .arg("-o")
        .arg(dir.join("walk24.flac").display().to_string())
        .run();
    for file in ["walk.flac", "walk24.flac"] {
        let out = Command::new("flac")
            .args(["--test", "--silent"])
            .arg(dir.join(file))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "flac --test {file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn mono_and_standard_output_with_format() {
    let t = render(&["-o", "-", "--format", "ogg", "--mono", "--quality", "-1"]);
    let dir = t.dir.path();
    // Once more at the default quality, the bytes kept as they came
    // through the pipe.
    let out = Test::new()
        .env("KINDLY_HOME", dir.join("home"))
        .args(["render", "--no-voice"])
        .arg(dir.join("walk.toml"))
        .args(["-o", "-", "--format", "ogg", "--mono"])
        .run();
    std::fs::write(dir.join("piped.ogg"), &out.bytes).unwrap();
    let info = ffprobe(&dir.join("piped.ogg"));
    assert_eq!(info["streams"][0]["codec_name"], "vorbis");
    assert_eq!(info["streams"][0]["channels"], 1);
    assert_eq!(info["chapters"].as_array().unwrap().len(), 3);
}

#[test]
fn a_name_that_says_another_format_is_refused_and_nothing_is_written() {
    let t = render_status(&["-o", "walk.m4a"], 2);
    assert!(
        t.stderr.contains("kindly does not write .m4a files"),
        "{}",
        t.stderr
    );
    assert!(t.stderr.contains("wav, flac, ogg, mp3"), "{}", t.stderr);
    let t2 = render_status(&["-o", "walk.mp3", "--format", "ogg"], 2);
    assert!(
        t2.stderr
            .contains("named as MP3, but --format asks for Ogg Vorbis"),
        "{}",
        t2.stderr
    );
    let t3 = render_status(&["-o", "walk.flac", "--quality", "5"], 2);
    assert!(t3.stderr.contains("FLAC is lossless"), "{}", t3.stderr);
    let t4 = render_status(&["-o", "walk.ogg", "--quality", "11"], 2);
    assert!(t4.stderr.contains("use -1 to 10"), "{}", t4.stderr);
    for t in [t, t2, t3, t4] {
        let left: Vec<_> = std::fs::read_dir(t.dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "walk.toml" && n != "home")
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

fn render_status(args: &[&str], status: i32) -> crate::test::Finished {
    Test::new()
        .write("walk.toml", WALK)
        .args(["render", "--no-voice", "walk.toml"])
        .args(args.iter().copied())
        .status(status)
        .run()
}

/// A WebVTT cue as a strict reader sees it.
#[derive(Debug, PartialEq)]
struct VttCue {
    start_ms: u64,
    end_ms: u64,
    text: String,
}

/// The WebVTT file format, strictly: the signature, blank-line separated
/// blocks, `HH:MM:SS.mmm --> HH:MM:SS.mmm` timings that do not go back,
/// no `-->` in a cue's text, only the three escapes decoded.
fn parse_vtt(text: &str) -> Vec<VttCue> {
    assert!(!text.contains('\r'), "line ends are \\n");
    let mut blocks = text.split("\n\n");
    let head = blocks.next().unwrap();
    assert!(
        head == "WEBVTT" || head.starts_with("WEBVTT "),
        "signature: {head:?}"
    );
    let time = |s: &str| -> u64 {
        let b = s.as_bytes();
        assert!(
            s.len() == 12 && b[2] == b':' && b[5] == b':' && b[8] == b'.',
            "timestamp {s:?}"
        );
        let n = |r: std::ops::Range<usize>| s[r].parse::<u64>().expect("digits");
        let (m, sec) = (n(3..5), n(6..8));
        assert!(m < 60 && sec < 60, "timestamp {s:?}");
        n(0..2) * 3_600_000 + m * 60_000 + sec * 1000 + n(9..12)
    };
    let mut cues: Vec<VttCue> = Vec::new();
    for block in blocks {
        if block.is_empty() {
            continue;
        }
        if block.starts_with("NOTE") {
            assert!(!block.contains("-->"), "a NOTE holds no -->: {block:?}");
            continue;
        }
        let mut lines = block.lines();
        let mut timing = lines.next().unwrap();
        if !timing.contains("-->") {
            timing = lines.next().expect("a cue has a timing line");
        }
        let (a, b) = timing.split_once(" --> ").expect("timing line");
        let (start_ms, end_ms) = (time(a), time(b));
        assert!(start_ms < end_ms, "{timing}");
        if let Some(last) = cues.last() {
            assert!(start_ms >= last.start_ms, "cues in order");
        }
        let body: Vec<&str> = lines.collect();
        assert!(!body.is_empty(), "a cue has text");
        let raw = body.join("\n");
        assert!(
            !raw.contains("-->") && !raw.contains('<'),
            "cue text {raw:?}"
        );
        let text = raw
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        cues.push(VttCue {
            start_ms,
            end_ms,
            text,
        });
    }
    cues
}

#[test]
fn transcript_times_every_prompt_in_webvtt_and_lrc() {
    let t = render(&["-o", "walk.ogg", "--transcript"]);
    let dir = t.dir.path();
    let vtt = std::fs::read_to_string(dir.join("walk.vtt")).unwrap();
    let cue = |start_ms, end_ms, text: &str| VttCue {
        start_ms,
        end_ms,
        text: text.into(),
    };
    assert_eq!(
        parse_vtt(&vtt),
        [
            cue(0, 3000, "Let yourself arrive. Notice your feet."),
            cue(5000, 9000, "Resting with the breath --> slowly."),
            cue(9000, 11000, "Thank yourself."),
        ]
    );
    let lrc = std::fs::read_to_string(dir.join("walk.lrc")).unwrap();
    assert_eq!(
        lrc,
        "[ti:A short walk]\n[ar:kindly]\n[al:kindly sessions]\n[length:00:11]\n\
         [00:00.00]Let yourself arrive. Notice your feet.\n[00:03.00]\n\
         [00:05.00]Resting with the breath --> slowly.\n\
         [00:09.00]Thank yourself.\n[00:11.00]\n"
    );
    assert!(t.stderr.contains("wrote walk.vtt"), "{}", t.stderr);
    // Standard output has no name to put a transcript beside.
    let t = render_status(&["-o", "-", "--transcript"], 2);
    assert!(
        t.stderr.contains("--transcript writes NAME.vtt"),
        "{}",
        t.stderr
    );
}

/// `kindly` in `dir`, with `dir/home` for its home: a test's folder used
/// by several runs.
fn kindly_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Test::new()
        .current_dir(dir)
        .env("KINDLY_HOME", dir.join("home"))
        .args(args.iter().copied())
        .output()
}

/// The whole library into a folder: every bundled session and the personal
/// ones, titled; a file kindly did not write is kept and reported; a second
/// run renders only what changed.
#[test]
fn render_all_exports_the_library_and_skips_what_is_up_to_date() {
    let t = Test::new()
        .write("home/sessions/walk.toml", WALK)
        .write(
            "home/sessions/silent-sit.toml",
            WALK.replace("A short walk", "My sit"),
        )
        .write("phone/breathing-pacer.ogg", "a person's own file");
    let dir = t.path().to_owned();
    // 8 kHz mono keeps the test quick; the formats are tested above.
    let args = [
        "render",
        "--all",
        "--no-voice",
        "-o",
        "phone",
        "--rate",
        "8000",
        "--mono",
        "--transcript",
    ];
    let first = kindly_in(&dir, &args);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("skipped breathing-pacer: phone/breathing-pacer.ogg is there and kindly did not write it"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("phone/breathing-pacer.ogg")).unwrap(),
        "a person's own file"
    );
    let phone = dir.join("phone");
    for b in [
        "self-compassion-break",
        "secure-base",
        "silent-sit",
        "walk",
        "my-silent-sit",
    ] {
        let info = ffprobe(&phone.join(format!("{b}.ogg")));
        let title = tag(&info["streams"][0]["tags"], "title")
            .unwrap_or_default()
            .to_owned();
        assert!(!title.is_empty(), "{b} has no title");
        assert!(phone.join(format!("{b}.vtt")).is_file(), "{b}.vtt");
        if b == "my-silent-sit" {
            assert_eq!(title, "My sit");
        }
    }
    let again = kindly_in(&dir, &args);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("0 rendered into phone"), "{stderr}");
    // Editing one session renders that one only.
    std::fs::write(
        dir.join("home/sessions/walk.toml"),
        WALK.replace("A short walk", "A longer walk"),
    )
    .unwrap();
    let edited = kindly_in(&dir, &args);
    let stderr = String::from_utf8_lossy(&edited.stderr);
    assert!(stderr.contains("wrote phone/walk.ogg"), "{stderr}");
    assert!(stderr.contains("1 rendered into phone"), "{stderr}");
    let info = ffprobe(&phone.join("walk.ogg"));
    assert_eq!(
        tag(&info["streams"][0]["tags"], "title"),
        Some("A longer walk")
    );
}
