//! `accord serve`'s log: JSON lines when asked, one `request` span per
//! request naming the route template, and no secret in it — not the API
//! token, not an invitation link's secret, not their hashes — even at the
//! most detailed level. A spawned server, because the log is its stderr.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{accord, http, temp_dir, token};
use serde_json::json;

#[test]
fn the_log_is_json_with_request_spans_and_no_secrets() {
    let data = temp_dir("logging");
    let admin = token(&data, None, "secretariat:Test");
    let out = accord()
        .args(["account", "invite", "--process", "logged", "--as", "delegation:alpha", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let invite = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let invite_secret = invite.trim_start_matches("/invite/").to_string();

    let mut child = accord()
        .args(["serve", "--addr", "127.0.0.1:0", "--log-format", "json", "--data-dir"])
        .arg(&data)
        .env("ACCORD_LOG", "trace")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = BufReader::new(child.stderr.take().unwrap());
    let kept = lines.clone();
    std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://").nth(1) {
                let _ = tx.send(rest.split('/').next().unwrap().to_string());
            }
            kept.lock().unwrap().push(line);
        }
    });
    let addr = rx.recv_timeout(Duration::from_secs(60)).expect("the server serves");

    let (st, _) = http(
        &addr,
        "POST",
        "/api/processes",
        Some(&admin),
        None,
        Some(&json!({"id": "logged", "title": "Logged", "co_facilitators": ["A"]})),
    )
    .unwrap();
    assert_eq!(st, 201);
    assert_eq!(http(&addr, "GET", "/api/processes/nowhere", Some(&admin), None, None).unwrap().0, 404);
    assert_eq!(http(&addr, "GET", "/api/processes", Some("acc_wrong"), None, None).unwrap().0, 401);
    let (st, _) = http(&addr, "GET", &format!("{invite}?again={invite_secret}"), None, None, None).unwrap();
    assert_eq!(st, 200);
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    std::thread::sleep(Duration::from_millis(100));

    let lines = lines.lock().unwrap().clone();
    let records: Vec<serde_json::Value> = lines.iter().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(records.len() >= 4, "too few JSON log records:\n{}", lines.join("\n"));
    let routes: Vec<&str> = records
        .iter()
        .filter_map(|r| r["span"]["route"].as_str().or(r["spans"][0]["route"].as_str()))
        .collect();
    assert!(routes.contains(&"/api/processes"), "no request span names its route: {routes:?}");
    assert!(
        routes.contains(&"/invite/{secret}"),
        "the invitation's route is logged as its template: {routes:?}"
    );
    let hash = accord_workspace::secrets::token_hash;
    let all = lines.join("\n");
    for (what, secret) in
        [("the API token", admin.as_str()), ("the invitation secret", invite_secret.as_str())]
    {
        assert!(!all.contains(secret), "{what} is in the log:\n{all}");
        assert!(!all.contains(&hash(secret)), "{what}'s hash is in the log:\n{all}");
    }
}
