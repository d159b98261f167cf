//! A stranger's script reaches only its own folder tree: a sound outside
//! it (absolute, `..`, or a link out) is refused, with how to allow it,
//! unless the script is one of the person's own or the folder is allowed.

use crate::test::{tone, Test};

const SCRIPT: &str =
    "title = \"Borrowed\"\n\n[[steps]]\nkind = \"audio\"\nfile = \"../private/secret.wav\"\n";

#[test]
fn a_downloaded_script_cannot_reach_outside_its_folder() {
    let t = Test::new()
        .write("downloads/private/secret.wav", tone())
        .write("downloads/pack/s.toml", SCRIPT);
    let finished = t
        .args(["check", "downloads/pack/s.toml"])
        .status(1)
        .stderr_contains("`downloads/pack/../private/secret.wav` is outside this script's folder")
        .stderr_contains("allow = [\"~/Music\"]")
        .run();
    drop(finished);

    // An absolute path and a link out are the same refusal, and play
    // refuses before anything sounds.
    let t = Test::new().write("private/secret.wav", tone());
    let secret = t.path().join("private/secret.wav");
    let t = t
        .write(
            "pack/abs.toml",
            format!(
                "title = \"A\"\n\n[[steps]]\nkind = \"audio\"\nfile = \"{}\"\n",
                secret.display()
            ),
        )
        .write(
            "pack/link.toml",
            "title = \"L\"\n\n[[steps]]\nkind = \"audio\"\nfile = \"link.wav\"\n",
        );
    std::os::unix::fs::symlink(&secret, t.path().join("pack/link.wav")).unwrap();
    t.args(["check", "pack/abs.toml", "pack/link.toml"])
        .status(1)
        .stderr_contains("pack/abs.toml:5:8")
        .stderr_contains("pack/link.toml:5:8")
        .run();
    let t = Test::new().write("private/secret.wav", tone());
    let t = t.write(
        "pack/s.toml",
        "title = \"B\"\n\n[[steps]]\nkind = \"audio\"\nfile = \"../private/secret.wav\"\n",
    );
    t.args(["play", "--silent", "pack/s.toml"])
        .status(2)
        .stderr_contains("is outside this script's folder")
        .run();
}

#[test]
fn its_own_folder_tree_is_open() {
    Test::new()
        .write("pack/sounds/rain.wav", tone())
        .write(
            "pack/s.toml",
            "title = \"Own\"\n\n[[steps]]\nkind = \"audio\"\nfile = \"sounds/../sounds/rain.wav\"\n",
        )
        .args(["check", "pack/s.toml"])
        .run();
}

#[test]
fn allowed_folders_and_the_persons_own_sessions_are_open() {
    // A folder listed in `allow`, shown by `kindly config`.
    let t = Test::new()
        .write("downloads/private/secret.wav", tone())
        .write("downloads/pack/s.toml", SCRIPT);
    let private = t.path().join("downloads/private");
    let t = t.write(
        "home/config.toml",
        format!("allow = [\"{}\"]\n", private.display()),
    );
    let t = t.args(["check", "downloads/pack/s.toml"]).run();
    drop(t);

    let t = Test::new().write("private/x", "");
    let private = t.path().join("private");
    t.write(
        "home/config.toml",
        format!("allow = [\"{}\"]\n", private.display()),
    )
    .arg("config")
    .stdout_contains("allow")
    .stdout_contains(private.display().to_string())
    .run();

    // A script in the person's session folders is theirs.
    let t = Test::new()
        .write("private/secret.wav", tone())
        .write("mine/s.toml", SCRIPT);
    let mine = t.path().join("mine");
    t.write(
        "home/config.toml",
        format!("sessions = [\"{}\"]\n", mine.display()),
    )
    .args(["check", "mine/s.toml"])
    .run();
}
