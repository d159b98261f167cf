//! kindly never overwrites a person's file by surprise: `render` over its
//! own inputs or a read-only file, `sounds export` over anything.

use std::os::unix::fs::PermissionsExt;

use crate::test::{tone, Test};

const SESSION: &str =
    "title = \"t\"\nformat = 1\n\n[[steps]]\nkind = \"audio\"\nfile = \"mine.wav\"\n";

#[test]
fn render_refuses_its_own_inputs() {
    // The script itself is kept safe twice over: kindly writes no .toml.
    for (target, refusal) in [
        ("mine.wav", "is one of this session's own files"),
        ("./mine.wav", "is one of this session's own files"),
        ("s.toml", "kindly does not write .toml files"),
    ] {
        let done = Test::new()
            .write("s.toml", SESSION)
            .write("mine.wav", tone())
            .args(["render", "s.toml", "-o", target])
            .status(2)
            .stderr_contains(refusal)
            .run();
        assert_eq!(
            std::fs::read(done.dir.path().join("mine.wav")).unwrap(),
            tone()
        );
        assert_eq!(
            std::fs::read_to_string(done.dir.path().join("s.toml")).unwrap(),
            SESSION
        );
    }
}

#[test]
fn render_keeps_a_read_only_file_unless_forced() {
    let t = Test::new()
        .write("s.toml", SESSION)
        .write("mine.wav", tone())
        .write("keep.wav", "my recording");
    let keep = t.path().join("keep.wav");
    std::fs::set_permissions(&keep, std::fs::Permissions::from_mode(0o444)).unwrap();
    let done = t
        .args(["render", "s.toml", "-o", "keep.wav"])
        .status(2)
        .stderr_contains("keep.wav is read-only; kindly will not replace it")
        .stderr_contains("--force")
        .run();
    let keep = done.dir.path().join("keep.wav");
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "my recording");

    // Rendering again over its own earlier, writable output is fine.
    let t = Test::new()
        .write("s.toml", SESSION)
        .write("mine.wav", tone())
        .write("out.wav", "old render");
    let done = t.args(["render", "s.toml", "-o", "out.wav"]).run();
    let out = std::fs::read(done.dir.path().join("out.wav")).unwrap();
    assert_eq!(&out[..4], b"RIFF");
}

#[test]
fn sounds_export_replaces_nothing_without_force() {
    let t = Test::new().write("dir/bowl.wav", "my own bowl");
    let bowl = t.path().join("dir/bowl.wav");
    std::fs::set_permissions(&bowl, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::os::unix::fs::symlink(
        t.path().join("elsewhere.wav"),
        t.path().join("dir/rain.wav"),
    )
    .unwrap();
    let done = t
        .args(["sounds", "export", "dir"])
        .status(2)
        .stderr_contains("--force")
        .run();
    let dir = done.dir.path().join("dir");
    assert_eq!(
        std::fs::read_to_string(dir.join("bowl.wav")).unwrap(),
        "my own bowl"
    );
    // Refused before writing anything, and the link was not followed.
    assert!(!done.dir.path().join("elsewhere.wav").exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);

    let t = Test::new();
    std::os::unix::fs::symlink(t.path().join("elsewhere.wav"), t.path().join("rain.wav")).unwrap();
    std::fs::create_dir(t.path().join("d")).unwrap();
    std::fs::rename(t.path().join("rain.wav"), t.path().join("d/rain.wav")).unwrap();
    t.args(["sounds", "export", "d"])
        .status(2)
        .stderr_contains("d/rain.wav is a symbolic link")
        .run();

    let done = Test::new()
        .write("dir/bowl.wav", "my own bowl")
        .args(["sounds", "export", "dir", "--force"])
        .run();
    let bowl = std::fs::read(done.dir.path().join("dir/bowl.wav")).unwrap();
    assert_eq!(&bowl[..4], b"RIFF");
}
