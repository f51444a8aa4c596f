//! `accord backup` and `accord restore` (SQLite) and `accord migrate`: an
//! online copy taken while the server takes writes, put back with the
//! server stopped, the replaced store kept; and what each refuses.

use std::process::Output;

use serde_json::json;

mod common;
use common::*;

fn run(args: &[&str]) -> Output {
    accord().args(args).output().unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn seq(addr: &str, admin: &str) -> u64 {
    http(addr, "GET", "/api/processes/bk/state", Some(admin), None, None).unwrap().1["seq"].as_u64().unwrap()
}

#[test]
fn a_backup_taken_while_serving_restores_the_negotiation_as_it_was() {
    let data = temp_dir("backup");
    let dir = data.to_str().unwrap();
    let admin = token(&data, None, "secretariat:Test");
    let cofac = token(&data, Some("bk"), "co-facilitator:A");
    let del = token(&data, Some("bk"), "delegation:alpha");
    let backup = data.with_extension("backup.sqlite3");
    let _ = std::fs::remove_file(&backup);
    let at_backup;
    {
        let server = Server::start(&data);
        let c = Client { addr: &server.addr, process: "bk" };
        let (st, _) = http(
            &server.addr,
            "POST",
            "/api/processes",
            Some(&admin),
            None,
            Some(&json!({"id": "bk", "title": "Backed up", "co_facilitators": ["A"]})),
        )
        .unwrap();
        assert_eq!(st, 201);
        c.ok("/participants", &admin, json!({"id": "alpha", "name": "Alpha", "kind": "member-state"}));
        c.ok("/drafts", &cofac, json!({"label": "Zero draft", "text": "1. We agree.\n\n2. We act [now].\n", "publication": "circulated"}));
        for n in 0..20 {
            c.ok("/proposals", &del, json!({"paragraph": "2", "edit": {"kind": "insert", "at": 0, "text": "Also, "}, "rationale": format!("r{n}")}));
        }
        // Online, beside the running server.
        let out = run(&["backup", "-o", backup.to_str().unwrap(), "--data-dir", dir]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("checked by replaying them"), "{}", text(&out));
        at_backup = seq(&server.addr, &admin);
        // A second backup to the same file is refused: nothing is overwritten.
        let again = run(&["backup", "-o", backup.to_str().unwrap(), "--data-dir", dir]);
        assert!(!again.status.success() && text(&again).contains("already exists"), "{}", text(&again));
        // Changes after the backup, which the restore will take back.
        for n in 20..30 {
            c.ok("/proposals", &del, json!({"paragraph": "2", "edit": {"kind": "insert", "at": 0, "text": "Also, "}, "rationale": format!("r{n}")}));
        }
        assert_eq!(seq(&server.addr, &admin), at_backup + 10);
        // Not while the server runs.
        let busy = run(&["restore", backup.to_str().unwrap(), "--data-dir", dir]);
        assert!(!busy.status.success() && text(&busy).contains("stop the server"), "{}", text(&busy));
    }
    // Not from a file that is no store; the store is untouched.
    let junk = data.with_extension("junk");
    std::fs::write(&junk, "not a database").unwrap();
    let bad = run(&["restore", junk.to_str().unwrap(), "--data-dir", dir]);
    assert!(!bad.status.success() && text(&bad).contains("not an Accord store"), "{}", text(&bad));
    {
        let server = Server::start(&data);
        assert_eq!(seq(&server.addr, &admin), at_backup + 10, "a refused restore changed nothing");
    }
    let out = run(&["restore", backup.to_str().unwrap(), "--data-dir", dir]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("is kept as"), "{}", text(&out));
    let kept: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with("accord.sqlite3.before-restore-") && !n.ends_with("-wal") && !n.ends_with("-shm")
        })
        .collect();
    assert_eq!(kept.len(), 1, "the replaced store is kept beside it");
    let server = Server::start(&data);
    assert_eq!(seq(&server.addr, &admin), at_backup, "the store is as it was at the backup");
    // Tokens and accounts came back with it: the delegation still tables.
    let c = Client { addr: &server.addr, process: "bk" };
    c.ok(
        "/proposals",
        &del,
        json!({"paragraph": "2", "edit": {"kind": "insert", "at": 0, "text": "Again, "}}),
    );
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_file(&backup);
    let _ = std::fs::remove_file(&junk);
}

#[test]
fn migrate_says_what_it_did_and_backup_names_pg_dump_for_postgresql() {
    let data = temp_dir("migrate");
    let dir = data.to_str().unwrap();
    let out = run(&["migrate", "--data-dir", dir]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("migrated the schema from version 0 to version"), "{}", text(&out));
    let again = run(&["migrate", "--data-dir", dir]);
    assert!(text(&again).contains("the schema is up to date"), "{}", text(&again));
    let pg = run(&["backup", "-o", "x", "--database-url", "postgres://nobody@127.0.0.1:1/none"]);
    assert!(!pg.status.success() && text(&pg).contains("pg_dump"), "{}", text(&pg));
    let _ = std::fs::remove_dir_all(&data);
}
