//! A stranger's file name never reaches the terminal as control codes:
//! `check` and `list` show ESC, BEL and the rest as visible symbols.

use crate::test::Test;

#[test]
fn a_file_name_with_escapes_is_shown_not_obeyed() {
    // Sets the window title, then clears the screen, when printed raw.
    let name = "\u{1b}]0;owned\u{7}\u{1b}[2J.toml";
    let t = Test::new().write(name, "title = \"T\"\n\n[[steps]]\nkind = \"bel\"\n");
    let f = t
        .arg("check")
        .arg(name)
        .status(1)
        .stderr_contains("␛]0;owned␇␛[2J.toml")
        .run();
    assert!(!f.stderr.contains('\u{1b}'), "{}", f.stderr);
    assert!(!f.stderr.contains('\u{7}'), "{}", f.stderr);

    // And in `list`, from a session folder.
    let t = Test::new().write(
        &format!("mine/{name}"),
        "title = \"T\"\n\n[[steps]]\nkind = \"bell\"\n",
    );
    let mine = t.path().join("mine");
    let f = t
        .args(["list", "--dir"])
        .arg(mine.display().to_string())
        .stdout_contains("␛]0;owned␇␛[2J")
        .run();
    assert!(!f.stdout.contains('\u{1b}'), "{}", f.stdout);
}
