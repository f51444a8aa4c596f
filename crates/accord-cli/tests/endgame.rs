//! The end game through the `accord` binary on a SQLite workspace, with the
//! system clock: silence run to its end unbroken (then adoption prints the
//! text as adopted and the process is read-only), and silence broken by two
//! delegations (a late break refused, adoption refused naming the
//! paragraphs). Each silence lasts a few seconds of real time.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod common;
use common::*;

const CLEAN: &str = "Preamble\n\n1. Recalling its resolution 70/1,\n\n2. Noting the report,\n\n\
Operative\n\n3. Decides to act by 2030.\n\n4. Requests a report in due course.\n\n\
5. Invites all States to contribute.\n\n6. Decides to remain seized of the matter.\n";

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

fn run(data: &Path, args: &[&str]) -> Output {
    accord().args(args).arg("--data-dir").arg(data).output().unwrap()
}

fn ok(data: &Path, args: &[&str]) -> String {
    let o = run(data, args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn refused(data: &Path, args: &[&str]) -> String {
    let o = run(data, args);
    assert_eq!(o.status.code(), Some(1), "{args:?} should be refused");
    String::from_utf8(o.stderr).unwrap()
}

/// A process with three delegations and the clean draft, circulated.
fn process(data: &Path, id: &str) {
    ok(data, &["process", "create", id, "--title", "Test", "--co-facilitator", "Norland"]);
    for d in ["alpha", "beta", "gamma"] {
        ok(data, &["process", "participant", id, d, &d.to_uppercase()]);
    }
    let file = data.join("draft.txt");
    std::fs::write(&file, CLEAN).unwrap();
    ok(data, &["import", id, file.to_str().unwrap(), "--label", "Rev.2", "--as", "co-facilitator:Norland"]);
}

fn wait_until(ms: i64) {
    let left = ms - now_ms();
    if left > 0 {
        std::thread::sleep(Duration::from_millis(left as u64 + 50));
    }
}

fn status(data: &Path, id: &str) -> serde_json::Value {
    serde_json::from_str(&ok(data, &["silence", "status", id, "--format", "json"])).unwrap()
}

#[test]
fn silence_unbroken_then_adopted_and_read_only() {
    let data = temp_dir("endgame-quiet");
    process(&data, "quiet");
    let until = now_ms() + 2_500;
    let until_text = accord_core::negotiation::rfc3339(until);
    ok(&data, &["silence", "start", "quiet", "--until", &until_text, "--as", "co-facilitator:Norland"]);
    assert_eq!(status(&data, "quiet")["state"], "running");
    let text = ok(&data, &["silence", "status", "quiet"]);
    assert!(text.contains("(America/New_York): running"), "{text}");
    let early = refused(&data, &["adopt", "quiet", "--as", "co-facilitator:Norland"]);
    assert!(early.contains("under silence"), "{early}");
    wait_until(until);
    assert_eq!(status(&data, "quiet")["state"], "passed");
    let adopted = ok(&data, &["adopt", "quiet", "--as", "co-facilitator:Norland"]);
    assert!(adopted.contains("Text as adopted – "), "{adopted}");
    assert!(adopted.contains("The General Assembly,\n\nRecalling its resolution 70/1,"), "{adopted}");
    assert!(adopted.contains("\n1. Decides to act by 2030."), "{adopted}");
    let later = refused(
        &data,
        &["deadline", "quiet", "--until", "2030-01-01T00:00Z", "--as", "co-facilitator:Norland"],
    );
    assert!(later.contains("read-only"), "{later}");
}

#[test]
fn silence_broken_by_two_delegations_blocks_adoption() {
    let data = temp_dir("endgame-loud");
    process(&data, "loud");
    let until = now_ms() + 3_000;
    let until_text = accord_core::negotiation::rfc3339(until);
    ok(&data, &["silence", "start", "loud", "--until", &until_text, "--as", "co-facilitator:Norland"]);
    ok(
        &data,
        &[
            "silence",
            "break",
            "loud",
            "--paragraph",
            "3",
            "--reason",
            "Too early.",
            "--as",
            "delegation:alpha",
        ],
    );
    ok(
        &data,
        &[
            "silence",
            "break",
            "loud",
            "--paragraph",
            "5",
            "--reason",
            "Voluntary.",
            "--as",
            "delegation:beta",
        ],
    );
    wait_until(until);
    let late = refused(
        &data,
        &["silence", "break", "loud", "--paragraph", "6", "--reason", "Late.", "--as", "delegation:gamma"],
    );
    assert!(late.contains("too late"), "{late}");
    let s = status(&data, "loud");
    assert_eq!(s["state"], "broken");
    let breaks: Vec<(String, String)> = s["breaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["paragraph"].as_str().unwrap().into(), b["by"].as_str().unwrap().into()))
        .collect();
    assert_eq!(breaks, [("3".to_string(), "alpha".to_string()), ("5".into(), "beta".into())]);
    let no = refused(&data, &["adopt", "loud", "--as", "co-facilitator:Norland"]);
    assert!(no.contains("2 paragraphs still open: 3, 5"), "{no}");
}
