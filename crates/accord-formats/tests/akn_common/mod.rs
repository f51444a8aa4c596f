//! Shared helpers for the Akoma Ntoso tests: the shared corpus, xmllint
//! against the OASIS schema, and the model comparison a round trip checks.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use accord_core::Draft;

/// `../shared` from the repository root.
pub fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(rel)
}

pub fn read_shared(rel: &str) -> String {
    let p = shared(rel);
    std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e} (tests need ../shared beside the repository)", p.display()))
}

/// True when xmllint runs; under `CI` its absence fails the test.
pub fn have_xmllint() -> bool {
    let ok = Command::new("xmllint").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "xmllint is missing (apt-get install libxml2-utils)");
        eprintln!("SKIPPING schema validation: xmllint is not installed (apt-get install libxml2-utils)");
    }
    ok
}

/// Validates each (name, xml) against the AKN 3.0 schema in one xmllint run;
/// panics with xmllint's messages when any is invalid.
pub fn validate(docs: &[(String, String)]) {
    if !have_xmllint() {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("akn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (i, (name, xml)) in docs.iter().enumerate() {
        let safe: String = name.chars().map(|c| if c.is_alphanumeric() { c } else { '_' }).collect();
        let f = dir.join(format!("{i:02}-{safe}.xml"));
        std::fs::write(&f, xml).unwrap();
        files.push(f);
    }
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(shared("standards/akoma-ntoso/akomantoso30.xsd"))
        .args(&files)
        .output()
        .expect("xmllint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "schema validation failed:\n{}", &stderr[..stderr.len().min(6000)]);
    for f in &files {
        let _ = std::fs::remove_file(f);
    }
    let _ = std::fs::remove_dir(&dir);
}

/// The model without what a round trip does not carry (the parser's diagnostics).
pub fn comparable(d: &Draft) -> Draft {
    let mut d = d.clone();
    d.diagnostics.clear();
    d
}

/// Asserts that `back` is `orig`, naming the first paragraph that differs.
pub fn assert_same(name: &str, orig: &Draft, back: &Draft) {
    let (a, b) = (comparable(orig), comparable(back));
    if a == b {
        return;
    }
    assert_eq!(a.paragraphs.len(), b.paragraphs.len(), "{name}: paragraph count");
    for (x, y) in a.paragraphs.iter().zip(&b.paragraphs) {
        assert_eq!(x, y, "{name}: paragraph {}", x.id);
    }
    assert_eq!(a.headings, b.headings, "{name}: headings");
    assert_eq!(a.letters, b.letters, "{name}: letters");
    assert_eq!(a.footnotes, b.footnotes, "{name}: footnotes");
    assert_eq!(a.front_matter, b.front_matter, "{name}: front matter");
    assert_eq!(a.furniture, b.furniture, "{name}: furniture");
    assert_eq!(a, b, "{name}: title, date or status");
}
