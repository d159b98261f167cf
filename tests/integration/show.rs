//! `kindly show`: totals of every bundled session, and the JSON contract.

use crate::test::Test;

/// Total seconds of each bundled session with gates at the default 20 s.
/// A change here changes what people hear: update it deliberately.
const TOTALS: &[(&str, f64)] = &[
    ("self-compassion-break", 435.0),
    ("secure-base", 672.0),
    ("mindful-breathing", 648.0), // the shared arrival block (issue 15)
    ("compassionate-letter", 741.0),
    ("kind-self-talk", 521.0),
    ("loving-kindness", 800.0),
    ("reaching-out", 410.0),
    ("silent-sit", 1025.0),
    ("breathing-pacer", 500.0),
    ("three-minute-pause", 224.0),
    ("self-compassion-pause", 60.0),
    ("grounding", 194.0),
    ("backdraft-care", 190.0),
    ("soothing-touch", 204.0),
];

#[test]
fn totals_of_every_bundled_session() {
    for (name, total) in TOTALS {
        let doc = Test::new()
            .args(["show", name, "--format", "json"])
            .run()
            .json();
        assert_eq!(doc["duration"].as_f64(), Some(*total), "{name}");
        // Steps are contiguous and add up to the total.
        let mut at = 0.0;
        for step in doc["steps"].as_array().unwrap() {
            assert_eq!(
                step["start"].as_f64(),
                Some(at),
                "{name} step {}",
                step["index"]
            );
            assert!(
                step["theme"].is_string(),
                "{name} step {} has no theme",
                step["index"]
            );
            at += step["duration"].as_f64().unwrap();
        }
        assert!((at - total).abs() < 1e-6, "{name}: steps add to {at}");
    }
}

#[test]
fn gate_flag_changes_gated_steps_only() {
    let base = Test::new()
        .args(["show", "reaching-out", "--format", "json"])
        .run()
        .json();
    let long = Test::new()
        .args(["show", "reaching-out", "--format", "json", "--gate", "1m"])
        .run()
        .json();
    let gates = base["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["gate"].is_null())
        .count() as f64;
    assert!(gates >= 1.0);
    let grew = long["duration"].as_f64().unwrap() - base["duration"].as_f64().unwrap();
    assert_eq!(grew, gates * 40.0);
}

#[test]
fn json_contract_for_a_known_script() {
    let doc = Test::new()
        .write(
            "t.toml",
            r#"title = "Known"
[ambience]
sound = "rain"
volume = 0.25
[[steps]]
kind = "bell"
theme = "mindfulness"
sound = "woodblock"
strikes = 2
spacing = "3s"
[[steps]]
kind = "pause"
theme = "mindfulness"
duration = "10s"
interval = "4s"
interval_sound = "chime"
[[steps]]
kind = "breathe"
theme = "self-kindness"
pattern = "2-1-2"
cycles = 1
cue = "none"
[[steps]]
kind = "reflect"
theme = "attachment"
question = "Who helps?"
journal = true
"#,
        )
        .args(["show", "t.toml", "--format", "json", "--gate", "7s"])
        .run()
        .json();
    let steps = doc["steps"].as_array().unwrap();
    assert_eq!(doc["ambience"]["sound"], "rain");
    assert_eq!(doc["ambience"]["volume"], 0.25);
    let bell_len = steps[0]["duration"].as_f64().unwrap();
    let strikes: Vec<f64> = steps[0]["audio"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["start"].as_f64().unwrap())
        .collect();
    assert_eq!(strikes, vec![0.0, 3.0]);
    let bells: Vec<f64> = steps[1]["audio"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["start"].as_f64().unwrap() - bell_len)
        .collect();
    assert_eq!(bells, vec![4.0, 8.0]);
    assert_eq!(steps[1]["audio"][0]["sound"], "chime");
    assert_eq!(steps[2]["duration"], 5.0);
    assert_eq!(steps[2]["phases"].as_array().unwrap().len(), 3);
    assert!(steps[2]["audio"].as_array().unwrap().is_empty());
    assert_eq!(steps[3]["gate"], "journal");
    assert_eq!(steps[3]["duration"], 7.0);
    assert_eq!(steps[3]["text"], "Who helps?");
}

#[test]
fn human_table_wraps_and_explains_gates() {
    Test::new()
        .args(["show", "reaching-out"])
        .stdout_contains("   #   start  length  kind      what\n")
        .stdout_contains("wait")
        .stdout_contains("--gate")
        .run();
}
