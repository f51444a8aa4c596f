//! `accord process export` and `accord process import` as a user runs them:
//! a process made with the CLI moves to another data directory whole (the
//! second export is the first, byte for byte), and importing it again, or
//! importing an altered file, is refused with nothing written.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn accord(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("ACCORD_DATABASE_URL")
        .output()
        .unwrap()
}

fn ok(args: &[&str], data: &Path) -> String {
    let out = accord(args, data);
    assert!(out.status.success(), "accord {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_process_moves_to_another_store_whole() {
    let dir = common::temp_dir("process-transfer");
    let (a, b) = (dir.join("a"), dir.join("b"));
    ok(&["process", "create", "ocean", "--title", "Ocean data", "--co-facilitator", "Norland"], &a);
    ok(&["process", "participant", "ocean", "estoria", "Estoria"], &a);
    let file = dir.join("ocean.jsonl");
    let f = file.to_str().unwrap();
    ok(&["process", "export", "ocean", "-o", f], &a);
    let first = std::fs::read_to_string(&file).unwrap();
    assert!(
        first.starts_with("{\"format\":\"accord-process/1\",\"process\":\"ocean\",\"events\":2,"),
        "{first}"
    );

    let out = accord(&["process", "import", f], &b);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("imported process `ocean`: 2 events"), "{said}");
    assert_eq!(ok(&["process", "export", "ocean"], &b), first, "the same history, byte for byte");

    // Again: refused, and the store keeps its two events.
    let again = accord(&["process", "import", f], &b);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already in this store; nothing imported"));
    assert_eq!(ok(&["process", "export", "ocean"], &b), first);

    // Altered: a name changed in the participant's event.
    let altered = dir.join("altered.jsonl");
    std::fs::write(&altered, first.replace("\"Estoria\"", "\"Estonia\"")).unwrap();
    let c = dir.join("c");
    let out = accord(&["process", "import", altered.to_str().unwrap()], &c);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("the file was altered; nothing imported"), "{said}");
    let none = accord(&["process", "export", "ocean"], &c);
    assert!(String::from_utf8_lossy(&none.stderr).contains("no process `ocean` in this store"));

    let missing = accord(&["process", "export", "nowhere"], &a);
    assert!(!missing.status.success());
}
