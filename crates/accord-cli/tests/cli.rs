//! The `accord` binary, run as a user runs it: real files, exit codes, stdout
//! and stderr.

use std::path::PathBuf;
use std::process::{Command, Output};

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord")).args(args).output().expect("run accord")
}

fn seed() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds/000_a85ec3b89659f1a1.txt")
        .to_string_lossy()
        .into_owned()
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn parse_json_is_the_documented_contract() {
    let o = accord(&["parse", &seed()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "accord-draft/1");
    for key in
        ["title", "title_status", "date", "letters", "headings", "paragraphs", "furniture", "diagnostics"]
    {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["title_status"], "suggested-for-closure");
    assert_eq!(v["letters"].as_array().unwrap().len(), 2);
    let paras = v["paragraphs"].as_array().unwrap();
    assert_eq!(paras.len(), 70);
    let p23 = &paras[22];
    assert_eq!(p23["number"], "23");
    assert_eq!(p23["kind"], "operative");
    assert_eq!(p23["heading"], "1.1");
    assert_eq!(p23["status"], "suggested-for-closure");
    assert_eq!(p23["status_note"], "given new figures");
    assert_eq!(p23["source_lines"], serde_json::json!([119, 119]));
    let b = &paras[69]["brackets"][1];
    assert_eq!(b["text"], "[2020/2025]");
    assert_eq!(b["depth"], 1);
    assert_eq!(b["alternatives"], serde_json::json!(["2020", "2025"]));
    let text = paras[69]["text"].as_str().unwrap();
    let start = b["start"].as_u64().unwrap() as usize;
    let end = b["end"].as_u64().unwrap() as usize;
    assert_eq!(text.chars().skip(start).take(end - start).collect::<String>(), "[2020/2025]");
}

#[test]
fn parse_text_markdown_and_canonical() {
    let o = accord(&["parse", &seed(), "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    let md = stdout(&o);
    assert!(md.contains("## 4.1. Enhanced Cooperation"));
    assert!(md.contains("**70.** We recognize"));
    let o = accord(&["parse", &seed(), "-f", "text"]);
    assert!(stdout(&o).contains("1.1 Bridging Digital Divides"));
    let o = accord(&["parse", &seed(), "--format", "canonical"]);
    let canonical = stdout(&o);
    assert!(canonical.starts_with("%accord-draft 1\n"));
    // The canonical form reads back to the same JSON.
    let p = temp_file("seed.accord", canonical.as_bytes());
    let again = accord(&["parse", p.to_str().unwrap()]);
    assert_eq!(stdout(&again), stdout(&accord(&["parse", &seed()])));
}

#[test]
fn status_dashboard() {
    let o = accord(&["status", &seed()]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(
        s.contains(
            "70 paragraphs: 31 open, 39 suggested for closure, 0 agreed ad ref, 0 agreed; 13 brackets"
        ),
        "{s}"
    );
    assert!(s.contains("NOT READY for adoption"));
    assert!(s.contains("[2020/2025]  (alternatives: 2020 | 2025)"));
    let o = accord(&["status", &seed(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ready"], false);
    assert_eq!(v["counts"]["suggested-for-closure"], 39);
    assert_eq!(v["brackets"].as_array().unwrap().len(), 13);
}

#[test]
fn an_agreed_draft_is_ready() {
    let p = temp_file(
        "agreed.txt",
        b"Final text - 1 May 2026 [Agreed]\n\n1. We agree. [Agreed]\n2. We decide. [Agreed]\n",
    );
    let o = accord(&["status", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("READY for adoption: every paragraph agreed, no bracket left."),
        "{}",
        stdout(&o)
    );
}

#[test]
fn bad_input_exits_1_with_a_precise_message() {
    let empty = temp_file("empty.txt", b"");
    let o = accord(&["parse", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("empty.txt: the input is empty"), "{}", stderr(&o));

    let latin1 = temp_file("latin1.txt", b"1. Pr\xe9ambule du texte.\n");
    let o = accord(&["parse", latin1.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not UTF-8: invalid byte 0xE9 at byte offset 5 (line 1, column 6)"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty(), "nothing half-written on stdout");

    let big = temp_file("big.txt", &[b'a'; 2048]);
    let o = accord(&["parse", big.to_str().unwrap(), "--max-size", "1024"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("over the limit of 1024 bytes"));

    let o = accord(&["parse", "/nonexistent/draft.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/nonexistent/draft.txt: cannot read"));

    // A PDF is read as a PDF now (by content): a broken one says so.
    let pdf = temp_file("draft.pdf", b"%PDF-1.7\n\x00\x01binary");
    let o = accord(&["parse", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("draft.pdf: the PDF is damaged"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());

    let binary = temp_file("draft.bin", b"1. text\x00\x01binary");
    let o = accord(&["parse", binary.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("looks binary"));
}

#[test]
fn diagnostics_go_to_stderr_and_strict_fails() {
    let p = temp_file("gap.txt", b"Draft - 1 May 2026\n\n1. One [open.\n3. Three.\n");
    let o = accord(&["parse", p.to_str().unwrap(), "--format", "text"]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("gap.txt:3:1: warning[numbering-gap]")
            || err.contains("gap.txt:4:1: warning[numbering-gap]"),
        "{err}"
    );
    assert!(err.contains("warning[unbalanced-bracket]"), "{err}");
    let o = accord(&["parse", p.to_str().unwrap(), "--strict"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn bad_usage_exits_2_and_help_is_everywhere() {
    assert_eq!(accord(&[]).status.code(), Some(2));
    assert_eq!(accord(&["parse"]).status.code(), Some(2));
    assert_eq!(accord(&["parse", "x", "--format", "yaml"]).status.code(), Some(2));
    assert_eq!(accord(&["frobnicate"]).status.code(), Some(2));
    for args in [&["--help"][..], &["parse", "--help"], &["status", "--help"]] {
        let o = accord(args);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("Usage: accord"));
    }
}

#[test]
fn reads_standard_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["status", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"1. We agree. [Agreed]\n").unwrap();
    let o = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_str(&String::from_utf8(o.stdout).unwrap()).unwrap();
    assert_eq!(v["counts"]["agreed"], 1);
}

fn compare_fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../accord-core/tests/compare")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn compare_json_text_and_html() {
    let (old, new) = (compare_fixture("relations.old.txt"), compare_fixture("relations.new.txt"));
    let o = accord(&["compare", &old, &new, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "accord-compare/1");
    for key in ["paragraphs", "headings", "brackets", "statuses", "summary"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let relations: Vec<&str> =
        v["paragraphs"].as_array().unwrap().iter().map(|l| l["relation"].as_str().unwrap()).collect();
    for r in ["unchanged", "renumbered", "changed", "moved", "split", "merged", "new", "deleted"] {
        assert!(relations.contains(&r), "{r} in {relations:?}");
    }

    // Piped text is plain: no colour codes, wdiff-style marks.
    let o = accord(&["compare", &old, &new]);
    let s = stdout(&o);
    assert!(!s.contains('\x1b'));
    assert!(s.contains("{+plans of action+}") || s.contains("[-action-]"), "{s}");
    assert!(s.starts_with("Comparison: 10 → 10 paragraphs"));

    let o = accord(&[
        "compare",
        &compare_fixture("classes.old.txt"),
        &compare_fixture("classes.new.txt"),
        "-f",
        "html",
    ]);
    let html = stdout(&o);
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<del>should</del>") && html.contains("<ins>must</ins>"));
    // Substantive changes come first.
    assert!(html.find("Substantive changes").unwrap() < html.find("Marginal changes").unwrap());
    assert!(html.contains("@media print"));
}

#[test]
fn compare_escapes_hostile_text_in_html() {
    let old = temp_file("hostile-old.txt", b"1. We agree on <b>cooperation</b>.\n");
    let new = temp_file("hostile-new.txt", b"1. We agree on <script>alert(1)</script> cooperation.\n");
    let o = accord(&["compare", old.to_str().unwrap(), new.to_str().unwrap(), "--format", "html"]);
    let html = stdout(&o);
    let body = &html[html.find("<body>").unwrap()..];
    assert!(!body.contains("<script") && !body.contains("<b>"), "{body}");
    assert!(body.contains("&lt;<ins>script</ins>&gt;"), "{body}");
}

#[test]
fn compare_bad_input_and_usage() {
    let empty = temp_file("empty-cmp.txt", b"");
    let o = accord(&["compare", empty.to_str().unwrap(), &seed()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("the input is empty"));
    assert_eq!(accord(&["compare", &seed()]).status.code(), Some(2));
    assert_eq!(accord(&["compare", "-", "-"]).status.code(), Some(1));
}

fn udhr(lang: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../../shared/corpus/udhr/udhr-{lang}.html"))
        .to_string_lossy()
        .into_owned()
}

#[test]
fn corpus_and_trace() {
    let dir = std::env::temp_dir().join(format!("accord-corpus-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let corpus = dir.to_str().unwrap();
    // Tracing without a corpus says what to do; so does serving one.
    let o = accord(&["trace", &seed(), "--corpus", corpus]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("accord corpus add"), "{}", stderr(&o));
    let data = dir.with_extension("data");
    let o =
        accord(&["serve", "--corpus", corpus, "--data-dir", data.to_str().unwrap(), "--addr", "127.0.0.1:0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no adopted texts here (add some with `accord corpus add"), "{}", stderr(&o));
    assert!(!data.exists(), "nothing opened before the corpus was read");

    let o = accord(&[
        "corpus",
        "add",
        &udhr("eng"),
        "--corpus",
        corpus,
        "--symbol",
        "A/RES/217(III)",
        "--alias",
        "UDHR",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The same document twice is refused, and nothing changes.
    let before = std::fs::read(dir.join("documents.json")).unwrap();
    let o = accord(&["corpus", "add", &udhr("eng"), "--corpus", corpus, "--symbol", "other"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already in the corpus as A/RES/217(III)"));
    assert_eq!(std::fs::read(dir.join("documents.json")).unwrap(), before);

    let o = accord(&["corpus", "index", "--corpus", corpus]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("index.json").exists());
    let o = accord(&["corpus", "list", "--corpus", corpus]);
    assert!(stdout(&o).starts_with("A/RES/217(III)\tUniversal Declaration of Human Rights"));

    let o = accord(&["trace", &seed(), "--corpus", corpus, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let p47 = v["paragraphs"].as_array().unwrap().iter().find(|p| p["id"] == "47").unwrap();
    assert_eq!(p47["sources"][0]["document"], "A/RES/217(III)");
    assert_eq!(p47["sources"][0]["paragraph"], "19");
    assert_eq!(p47["sources"][0]["draft_span"].as_array().unwrap().len(), 2);
    let c47 = v["citations"].as_array().unwrap().iter().find(|c| c["paragraph"] == "47").unwrap();
    assert_eq!((c47["status"].as_str(), c47["target"].as_str()), (Some("verified"), Some("19")));
    let c4 = v["citations"].as_array().unwrap().iter().find(|c| c["paragraph"] == "4").unwrap();
    assert_eq!(c4["status"], "not-in-corpus");
    assert!(c4["document"].is_null());

    let o = accord(&["trace", &seed(), "--corpus", corpus, "-f", "html"]);
    assert!(stdout(&o).contains("<mark>everyone has the right to freedom of opinion"));
    let _ = std::fs::remove_dir_all(&dir);
}
