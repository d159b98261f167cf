//! Blocks and includes from the binary: `check` points into the included
//! file and at the line that included it, `show` and `render` play the
//! expanded session, and no include reaches outside the session's folder
//! tree and the person's session folders, or hangs on a special file.

use crate::test::Test;

const SHARED: &str = "[[blocks.arrive.steps]]\nkind = \"bell\"\n\n[[blocks.arrive.steps]]\nkind = \"pause\"\nduration = \"5s\"\ntext = \"Arriving.\"\n";

const SESSION: &str = "title = \"Shared\"\ninclude = [\"shared/arrive.toml\"]\n\n[[blocks.settle.steps]]\nkind = \"prompt\"\ntext = \"Settle.\"\nhold = \"4s\"\n\n[[steps]]\nuse = \"arrive\"\n\n[[steps]]\nuse = \"settle\"\nrepeat = 2\n\n[[steps]]\nuse = \"arrive\"\n";

/// The same session with every block written out by hand.
const FLAT: &str = "title = \"Shared\"\n\n[[steps]]\nkind = \"bell\"\n\n[[steps]]\nkind = \"pause\"\nduration = \"5s\"\ntext = \"Arriving.\"\n\n[[steps]]\nkind = \"prompt\"\ntext = \"Settle.\"\nhold = \"4s\"\n\n[[steps]]\nkind = \"prompt\"\ntext = \"Settle.\"\nhold = \"4s\"\n\n[[steps]]\nkind = \"bell\"\n\n[[steps]]\nkind = \"pause\"\nduration = \"5s\"\ntext = \"Arriving.\"\n";

fn pack() -> Test {
    Test::new()
        .write("pack/s.toml", SESSION)
        .write("pack/shared/arrive.toml", SHARED)
        .write("flat/s.toml", FLAT)
}

#[test]
fn check_points_into_the_included_file_and_at_the_line_that_included_it() {
    pack().args(["check", "pack/s.toml"]).run();
    let broken = SHARED.replace("duration", "duraton");
    let t = pack()
        .write("pack/shared/arrive.toml", broken)
        .args(["check", "pack/s.toml"])
        .status(1)
        .stderr_contains("error: unknown field `duraton` in this `pause` step")
        .stderr_contains("--> pack/shared/arrive.toml:6:1")
        .stderr_contains("note: `pack/shared/arrive.toml` is included here")
        .stderr_contains("--> pack/s.toml:2:12")
        .stderr_contains("help: did you mean `duration`?")
        .run();
    // Reported once, though the block is used twice.
    assert_eq!(t.stderr.matches("duraton").count(), 2, "{}", t.stderr);

    let t = pack()
        .write(
            "pack/shared/arrive.toml",
            SHARED.replace("duration", "duraton"),
        )
        .args(["check", "--format", "json", "pack/s.toml"])
        .status(1)
        .run();
    let d = &t.json()["diagnostics"][0];
    assert_eq!(d["file"], "pack/shared/arrive.toml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(1))
    );
    assert_eq!(d["notes"][0]["file"], "pack/s.toml");
    assert_eq!(d["notes"][0]["line"], 2);
}

#[test]
fn unknown_blocks_are_located_with_a_suggestion() {
    pack()
        .write(
            "pack/s.toml",
            SESSION.replace("use = \"settle\"", "use = \"setle\""),
        )
        .args(["check", "pack/s.toml"])
        .status(1)
        .stderr_contains("error: unknown block `setle`")
        .stderr_contains("--> pack/s.toml:13:7")
        .stderr_contains("help: did you mean `settle`?")
        .run();
}

#[test]
fn show_prints_the_expanded_timeline_and_render_plays_it() {
    let t = pack()
        .args(["show", "--no-voice", "--format", "json", "pack/s.toml"])
        .run();
    let steps = t.json()["steps"].as_array().unwrap().clone();
    let kinds: Vec<&str> = steps.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["bell", "pause", "prompt", "prompt", "bell", "pause"]
    );
    // Included steps are placed at the session's own `use` line; its own
    // blocks' steps keep theirs.
    let lines: Vec<u64> = steps.iter().map(|s| s["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [9, 9, 4, 4, 16, 16]);
    // Each step says which block it was written in.
    let blocks: Vec<&str> = steps.iter().map(|s| s["block"].as_str().unwrap()).collect();
    assert_eq!(
        blocks,
        ["arrive", "arrive", "settle", "settle", "arrive", "arrive"]
    );
    let t = pack()
        .args(["show", "--no-voice", "pack/s.toml"])
        .stdout_contains("6 steps")
        .run();
    assert_eq!(
        t.stdout.matches("[block settle]").count(),
        2,
        "{}",
        t.stdout
    );
    assert_eq!(
        t.stdout.matches("[block arrive]").count(),
        4,
        "{}",
        t.stdout
    );
    // A step written in the session itself names no block.
    let t = pack()
        .args(["show", "--no-voice", "--format", "json", "flat/s.toml"])
        .run();
    assert!(t.json()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["block"].is_null()));

    // The same samples as the session written out by hand.
    let with_blocks = pack()
        .args(["render", "--no-voice", "-q", "pack/s.toml", "-o", "out.wav"])
        .run();
    let by_hand = pack()
        .args(["render", "--no-voice", "-q", "flat/s.toml", "-o", "out.wav"])
        .run();
    let blocks = hound::WavReader::open(with_blocks.dir.path().join("out.wav")).unwrap();
    let flat = hound::WavReader::open(by_hand.dir.path().join("out.wav")).unwrap();
    assert_eq!(blocks.spec(), flat.spec());
    assert!(blocks.duration() > 48_000 * 20, "{}", blocks.duration());
    let a: Vec<i32> = blocks.into_samples::<i32>().map(Result::unwrap).collect();
    let b: Vec<i32> = flat.into_samples::<i32>().map(Result::unwrap).collect();
    assert!(a == b, "the expanded session sounds different");
}

#[test]
fn includes_cannot_leave_the_sandbox() {
    let t = pack().write("private/secret.toml", SHARED);
    let secret = t.path().join("private/secret.toml");
    std::os::unix::fs::symlink(&secret, t.path().join("pack/link.toml")).unwrap();
    let session = |include: &str| {
        format!("title = \"t\"\ninclude = [\"{include}\"]\n\n[[steps]]\nuse = \"arrive\"\n")
    };
    let t = t
        .write("pack/up.toml", session("../private/secret.toml"))
        .write("pack/abs.toml", session(&secret.display().to_string()))
        .write("pack/via-link.toml", session("link.toml"))
        .write("pack/dev.toml", session("/dev/zero"));
    let t = t
        .args([
            "check",
            "pack/up.toml",
            "pack/abs.toml",
            "pack/via-link.toml",
            "pack/dev.toml",
        ])
        .status(1)
        .stderr_contains("--> pack/up.toml:2:12")
        .stderr_contains("--> pack/abs.toml:2:12")
        .stderr_contains("--> pack/via-link.toml:2:12")
        .stderr_contains("--> pack/dev.toml:2:12")
        .stderr_contains("like `include = [\"shared/arrival.toml\"]`")
        .run();
    assert_eq!(
        t.stderr
            .matches("is outside the folders this session may include from")
            .count(),
        4,
        "{}",
        t.stderr
    );
    drop(t);
    // Play refuses before anything sounds.
    pack()
        .write("private/secret.toml", SHARED)
        .write("pack/up.toml", session("../private/secret.toml"))
        .args(["play", "--silent", "pack/up.toml"])
        .status(2)
        .stderr_contains("is outside the folders this session may include from")
        .run();

    // The person's own session folders are open to includes.
    let t = Test::new()
        .write("mine/shared.toml", SHARED)
        .write("pack/s.toml", session("../mine/shared.toml"));
    let mine = t.path().join("mine");
    t.write(
        "home/config.toml",
        format!("sessions = [\"{}\"]\n", mine.display()),
    )
    .args(["check", "pack/s.toml"])
    .run();
    // And so is kindly's own sessions folder.
    Test::new()
        .write("home/sessions/shared.toml", SHARED)
        .write("pack/s.toml", session("../home/sessions/shared.toml"))
        .args(["check", "pack/s.toml"])
        .run();
}

#[test]
fn special_files_and_folders_are_refused_without_hanging() {
    let t = pack();
    let fifo = t.path().join("pack/fifo.toml");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let t = t.write(
        "pack/s.toml",
        "title = \"t\"\ninclude = [\"fifo.toml\", \"shared\", \"none.toml\"]\n\n[[steps]]\nkind = \"bell\"\n",
    );
    t.args(["check", "pack/s.toml"])
        .status(1)
        .stderr_contains("`pack/fifo.toml` is not a regular file")
        .stderr_contains("`pack/shared` is a folder, not a file of blocks")
        .stderr_contains("there is no file `pack/none.toml` to include")
        .run();
}

#[test]
fn cycles_are_reported_with_their_chain() {
    Test::new()
        .write(
            "pack/s.toml",
            "title = \"t\"\ninclude = [\"a.toml\"]\n\n[[steps]]\nuse = \"x\"\n",
        )
        .write(
            "pack/a.toml",
            "include = [\"b.toml\"]\n\n[[blocks.x.steps]]\nkind = \"bell\"\n",
        )
        .write("pack/b.toml", "include = [\"a.toml\"]\n")
        .args(["check", "pack/s.toml"])
        .status(1)
        .stderr_contains(
            "error: including `a.toml` makes a cycle: pack/a.toml → pack/b.toml → pack/a.toml",
        )
        .stderr_contains("--> pack/b.toml:1:12")
        .stderr_contains("note: `pack/b.toml` is included here")
        .run();
}

/// The names `kindly list` gives in `t`'s folders.
fn listed(t: Test) -> Vec<String> {
    t.args(["list", "--format", "json"])
        .run()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn bundled_sessions_share_a_bundled_block_that_is_not_a_session() {
    for name in ["self-compassion-break", "mindful-breathing"] {
        Test::new().args(["check", name]).run();
    }
    let names = listed(Test::new());
    assert!(names.iter().any(|n| n == "self-compassion-break"));
    assert!(
        names
            .iter()
            .all(|n| !n.contains("arrival") && !n.contains("blocks")),
        "{names:?}"
    );
    // Run from a folder with no sessions/ beside it: the block is embedded.
    Test::new()
        .args([
            "show",
            "--no-voice",
            "--format",
            "json",
            "self-compassion-break",
        ])
        .stdout_contains("Arriving. Letting the breath be as it is.")
        .run();
}

#[test]
fn a_file_of_blocks_is_checked_but_neither_listed_nor_played() {
    let library = || {
        Test::new()
            .write("home/sessions/shared.toml", SHARED)
            .write(
                "home/sessions/mine.toml",
                "title = \"Mine\"\ninclude = [\"shared.toml\"]\n\n[[steps]]\nuse = \"arrive\"\n",
            )
    };
    library()
        .args(["check", "home/sessions/shared.toml", "mine"])
        .stderr_contains("checked 2 scripts: no problems")
        .run();
    let names = listed(library());
    assert!(names.contains(&"mine".to_owned()), "{names:?}");
    assert!(!names.contains(&"shared".to_owned()), "{names:?}");
    Test::new()
        .write("shared.toml", SHARED)
        .args(["play", "--silent", "shared.toml"])
        .status(2)
        .stderr_contains("shared.toml is a file of blocks, not a session")
        .run();
}

#[test]
fn a_copied_bundled_session_still_finds_the_bundled_blocks() {
    let text =
        std::fs::read_to_string(crate::test::root().join("sessions/self-compassion-break.toml"))
            .unwrap();
    let t = Test::new()
        .write("copy/self-compassion-break.toml", &text)
        .args([
            "show",
            "--no-voice",
            "--format",
            "json",
            "copy/self-compassion-break.toml",
        ])
        .stdout_contains("Arriving. Letting the breath be as it is.")
        .run();
    let copied = t.json()["duration"].as_f64();
    let bundled = Test::new()
        .args([
            "show",
            "--no-voice",
            "--format",
            "json",
            "self-compassion-break",
        ])
        .run()
        .json()["duration"]
        .as_f64();
    assert_eq!(copied, bundled);
}
