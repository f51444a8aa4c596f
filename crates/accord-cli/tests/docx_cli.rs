//! The command line with Word and PDF: formats told by content, the JSON
//! contract's `tracked_changes` and `comments`, `export --to docx` and
//! `compare --format docx`, written whole or not at all.

mod common;

use common::{accord, temp_dir, SEED};
use serde_json::Value;

fn run(args: &[&str]) -> std::process::Output {
    accord().args(args).output().unwrap()
}

#[test]
fn export_then_parse_compare_and_status_read_word() {
    let dir = temp_dir("docx-cli");
    let docx = dir.join("seed.docx");
    let o = run(&["export", SEED, "--to", "docx", "-o", docx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&docx).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    // Named .pdf, still read as Word: by content.
    let renamed = dir.join("seed-really-word.pdf");
    std::fs::write(&renamed, &bytes).unwrap();
    let o = run(&["parse", renamed.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let from_word: Value = serde_json::from_slice(&o.stdout).unwrap();
    let o = run(&["parse", SEED]);
    let from_text: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(from_word["paragraphs"].as_array().unwrap().len(), 70);
    for (a, b) in
        from_word["paragraphs"].as_array().unwrap().iter().zip(from_text["paragraphs"].as_array().unwrap())
    {
        assert_eq!((&a["id"], &a["text"], &a["status"]), (&b["id"], &b["text"], &b["status"]));
    }
    assert_eq!(from_word["tracked_changes"], Value::Array(vec![]));
    assert_eq!(from_text["comments"], Value::Array(vec![]));

    let o = run(&["status", docx.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("70 paragraphs"));

    // The comparison as tracked changes, read back: its changes carry the author.
    let changes = dir.join("changes.docx");
    let o = run(&[
        "compare",
        SEED,
        docx.to_str().unwrap(),
        "--format",
        "docx",
        "-o",
        changes.to_str().unwrap(),
        "--author",
        "Latvia",
        "--date",
        "2015-12-09T00:00:00Z",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["parse", changes.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["paragraphs"].as_array().unwrap().len(), 70);
    assert_eq!(v["tracked_changes"], Value::Array(vec![]), "identical drafts: no change");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_docx_is_not_written_to_a_terminal_and_bad_word_files_say_why() {
    let dir = temp_dir("docx-cli-bad");
    let truncated = dir.join("cut.docx");
    let o = run(&["export", SEED, "--to", "docx", "-o", truncated.to_str().unwrap()]);
    assert!(o.status.success());
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let o = run(&["parse", truncated.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cut.docx: not a readable .docx"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    // Output to a missing directory: an error, nothing left behind.
    let o = run(&["export", SEED, "--to", "docx", "-o", "/nonexistent/dir/out.docx"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot write"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_word_draft_imported_into_a_process_and_its_compilation_in_word() {
    let dir = temp_dir("docx-cli-ws");
    let data = dir.join("data");
    let d = data.to_str().unwrap();
    let docx = dir.join("zero.docx");
    assert!(run(&["export", SEED, "--to", "docx", "-o", docx.to_str().unwrap()]).status.success());
    let ok = |args: &[&str]| {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        o
    };
    ok(&[
        "process",
        "create",
        "wsis",
        "--title",
        "WSIS review",
        "--co-facilitator",
        "Latvia",
        "--data-dir",
        d,
    ]);
    ok(&["process", "participant", "wsis", "norway", "Norway", "--data-dir", d]);
    ok(&["import", "wsis", docx.to_str().unwrap(), "--label", "Zero draft", "--data-dir", d]);
    ok(&[
        "table",
        "wsis",
        "--paragraph",
        "12",
        "--edit",
        r#"{"kind":"insert","at":0,"text":"Further, "}"#,
        "--as",
        "delegation:norway",
        "--rationale",
        "nothing",
        "--data-dir",
        d,
    ]);
    let out = dir.join("compilation.docx");
    ok(&["compilation", "wsis", "--format", "docx", "-o", out.to_str().unwrap(), "--data-dir", d]);
    let o = ok(&["parse", out.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["title"], "WSIS review: compilation of proposals on Zero draft");
    let texts: Vec<&str> =
        v["paragraphs"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert!(texts.iter().any(|t| t.contains("p1 — Norway:")), "{texts:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
