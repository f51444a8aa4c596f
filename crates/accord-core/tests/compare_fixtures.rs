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

/// A draft without headings (a resolution's operative part) is one place:
/// a paragraph rewritten below the similarity threshold but standing under
/// its own number between matched neighbours is changed, not deleted and
/// new; the link says it rests on the number, for a person to confirm.
#[test]
fn a_rewritten_paragraph_under_no_heading_keeps_its_place() {
    let old = accord_core::parse(
        "Draft\n\n1. We agree to act.\n\n2. We urge Member States to share ocean data openly and freely with all partners.\n\n3. We note it.\n",
    );
    let new = accord_core::parse(
        "Draft\n\n1. We agree to act.\n\n2. We urge Member States to consider sharing fisheries records with regional partners.\n\n3. We note it.\n",
    );
    let c = accord_core::compare(&old, &new);
    let link = c.paragraphs.iter().find(|l| l.old == ["2"]).unwrap();
    assert_eq!(
        (link.relation.as_str(), link.new.as_slice()),
        ("changed", ["2".to_string()].as_slice()),
        "{link:?}"
    );
    assert!(link.evidence.contains(accord_core::compare::Evidence::SameNumber), "{link:?}");
    assert!(link.confidence.is_some_and(|x| x <= 0.75), "{link:?}");
}
