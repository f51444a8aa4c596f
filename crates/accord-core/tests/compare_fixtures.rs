//! Hand-written old/new pairs, one per relation, class rule and bracket fate,
//! with the expected comparison as JSON (`tests/compare/*.expected.json`).
//! Set ACCORD_BLESS=1 to rewrite the expected files after an intended change,
//! then read the diff before committing it.

use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/compare")
}

fn check(name: &str) {
    let read =
        |suffix: &str| std::fs::read_to_string(dir().join(format!("{name}.{suffix}"))).expect("fixture");
    let old = accord_core::parse(&read("old.txt"));
    let new = accord_core::parse(&read("new.txt"));
    assert!(old.diagnostics.is_empty() && new.diagnostics.is_empty(), "{name}: fixtures parse cleanly");
    let got = serde_json::to_string_pretty(&accord_core::compare(&old, &new)).expect("json") + "\n";
    let path = dir().join(format!("{name}.expected.json"));
    if std::env::var_os("ACCORD_BLESS").is_some() {
        std::fs::write(&path, &got).expect("write expected");
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(got, want, "{name}: comparison differs from {}", path.display());
}

#[test]
fn every_relation() {
    check("relations");
}

#[test]
fn every_class_rule() {
    check("classes");
}

#[test]
fn every_bracket_fate_and_status_change() {
    check("brackets");
}
