//! Mail from the command line: `accord focal-point` sets who mail for a
//! participant goes to, `accord outbox --format json` shows what events
//! caused, and `accord serve --smtp-url` delivers it to a real SMTP server
//! on loopback (Python's `aiosmtpd`; under `CI` its absence fails the test,
//! locally the test skips saying so).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::*;

fn run(data: &Path, args: &[&str]) -> Output {
    accord().args(args).arg("--data-dir").arg(data).output().unwrap()
}

fn ok(data: &Path, args: &[&str]) -> String {
    let o = run(data, args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn outbox(data: &Path) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_str(&ok(data, &["outbox", "ocean", "--format", "json"])).unwrap();
    v["messages"].as_array().unwrap().clone()
}

fn aiosmtpd() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but Python's aiosmtpd is missing (`pip install aiosmtpd`)"
        );
        eprintln!(
            "skipping: Python's aiosmtpd is not installed (`pip install aiosmtpd`); with CI set this fails"
        );
    }
    ok
}

/// The SMTP server of the server crate's mail tests, killed when dropped.
struct Sink(std::process::Child);

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn focal_points_outbox_and_delivery_by_accord_serve() {
    if !aiosmtpd() {
        return;
    }
    let data = temp_dir("mail-cli");
    ok(&data, &["process", "create", "ocean", "--title", "Ocean data", "--co-facilitator", "Norland"]);
    for d in ["alpha", "beta"] {
        ok(&data, &["process", "participant", "ocean", d, &d.to_uppercase()]);
    }
    ok(
        &data,
        &[
            "focal-point",
            "ocean",
            "delegation:alpha",
            "--point",
            "Ana Alpha <ana@alpha.example>",
            "--point",
            "bo@alpha.example",
        ],
    );
    ok(&data, &["focal-point", "ocean", "delegation:beta", "--point", "Bea <bea@beta.example>"]);
    ok(&data, &["focal-point", "ocean", "observer:Watcher", "--point", "Wat <wat@observer.example>"]);
    let bad = run(&data, &["focal-point", "ocean", "delegation:beta", "--point", "Bea <not an address>"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not an e-mail address"), "{bad:?}");
    let text = ok(&data, &["outbox", "ocean"]);
    assert!(text.contains("No mail yet"), "{text}");

    let file = data.join("draft.txt");
    std::fs::write(&file, "Zero draft\n\n1. We agree to act by 2030.\n\n2. We decide to review.\n").unwrap();
    ok(
        &data,
        &[
            "import",
            "ocean",
            file.to_str().unwrap(),
            "--label",
            "Zero draft",
            "--as",
            "co-facilitator:Norland",
        ],
    );
    // Circulated to delegations: their three focal points, not the observer.
    let queued = outbox(&data);
    let mut to: Vec<&str> = queued.iter().map(|m| m["to"]["email"].as_str().unwrap()).collect();
    to.sort();
    assert_eq!(to, ["ana@alpha.example", "bea@beta.example", "bo@alpha.example"]);
    assert!(queued.iter().all(|m| m["state"] == "queued" && m["attempts"] == 0), "{queued:?}");

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let received = data.join("received");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../accord-server/tests/support/smtp_sink.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(port.to_string())
        .arg(&received)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready");
    let _sink = Sink(child);
    let smtp = format!("smtp://127.0.0.1:{port}");
    let _server = Server::start_with(
        &data,
        &["--smtp-url", &smtp, "--public-url", "https://accord.example.org", "--mail-retry-ms", "100"],
    );
    let start = Instant::now();
    let sent = loop {
        let now = outbox(&data);
        if now.iter().all(|m| m["state"] == "sent") {
            break now;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "not delivered: {now:?}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(sent.iter().all(|m| m["attempts"] == 1 && m["sent_at"].is_string()), "{sent:?}");
    let got: Vec<serde_json::Value> = std::fs::read_dir(&received)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap())
        .collect();
    let mut to: Vec<&str> = got.iter().map(|m| m["to"][0].as_str().unwrap()).collect();
    to.sort();
    assert_eq!(to, ["ana@alpha.example", "bea@beta.example", "bo@alpha.example"]);
    assert!(got
        .iter()
        .all(|m| m["text"].as_str().unwrap().contains("https://accord.example.org/p/ocean/drafts/d1")));
    let text = ok(&data, &["outbox", "ocean"]);
    assert!(
        text.contains("Ana Alpha <ana@alpha.example> (delegation:alpha): sent after 1 attempt(s)"),
        "{text}"
    );
}

/// `accord serve` killed with SIGKILL again and again while it delivers a
/// circulation to 40 delegations × 5 drafts: no message is lost; a repeat
/// of a Message-ID happens only when a kill falls between the server's 250
/// and the store's "sent" (at most one per kill), and is counted.
#[test]
fn accord_serve_killed_thirty_times_during_circulation_loses_no_mail() {
    if !aiosmtpd() {
        return;
    }
    const KILLS: usize = 30;
    let data = temp_dir("mail-kills");
    ok(&data, &["process", "create", "ocean", "--title", "Ocean data", "--co-facilitator", "Norland"]);
    for i in 1..=40 {
        let d = format!("d{i:02}");
        ok(&data, &["process", "participant", "ocean", &d, &d.to_uppercase()]);
        ok(
            &data,
            &["focal-point", "ocean", &format!("delegation:{d}"), "--point", &format!("fp@{d}.example")],
        );
    }
    let file = data.join("draft.txt");
    for label in ["Zero draft", "Rev.1", "Rev.2", "Rev.3", "Rev.4"] {
        std::fs::write(&file, format!("{label}\n\n1. We agree to act by 2030.\n\n2. We decide to review.\n"))
            .unwrap();
        ok(
            &data,
            &["import", "ocean", file.to_str().unwrap(), "--label", label, "--as", "co-facilitator:Norland"],
        );
    }
    let expected: std::collections::BTreeMap<String, String> = outbox(&data)
        .iter()
        .map(|m| {
            (m["message_id"].as_str().unwrap().to_string(), m["to"]["email"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(expected.len(), 200);

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let received = data.join("received");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../accord-server/tests/support/smtp_sink.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(port.to_string())
        .arg(&received)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready");
    let _sink = Sink(child);
    let smtp = format!("smtp://127.0.0.1:{port}");
    let args = ["--smtp-url", smtp.as_str(), "--mail-retry-ms", "20"];
    let sent = || outbox(&data).iter().filter(|m| m["state"] == "sent").count();
    let mut kills = 0;
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    while kills < KILLS && sent() < expected.len() {
        let mut server = Server::start_with(&data, &args);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(20 + seed % 200));
        server.kill(); // SIGKILL
        kills += 1;
    }
    let during = sent();
    let server = Server::start_with(&data, &args);
    let start = Instant::now();
    while sent() < expected.len() {
        assert!(start.elapsed() < Duration::from_secs(60), "not delivered: {} of {}", sent(), expected.len());
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    drop(server);
    let mut copies: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut transmissions = 0;
    for e in std::fs::read_dir(&received).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "json") {
            let m: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap();
            let id = m["message_id"].as_str().unwrap().to_string();
            assert_eq!(expected.get(&id).map(String::as_str), m["to"][0].as_str(), "{m}");
            *copies.entry(id).or_default() += 1;
            transmissions += 1;
        }
    }
    assert_eq!(copies.len(), expected.len(), "messages lost");
    let repeats: usize = copies.values().map(|n| n - 1).sum();
    eprintln!(
        "accord serve kill test: {kills} SIGKILLs, {during} of {} sent before the last start, {transmissions} transmissions, {repeats} repeated Message-IDs",
        expected.len()
    );
    assert!(kills == KILLS || during == expected.len(), "only {kills} kills");
    assert!(repeats <= kills, "{repeats} repeats for {kills} kills");
}

/// The SMTP credentials come from the environment and appear nowhere: not
/// in the log (at trace level), not in the outbox's recorded answers.
#[test]
fn smtp_credentials_are_never_logged() {
    if !aiosmtpd() {
        return;
    }
    let data = temp_dir("mail-secret");
    ok(&data, &["process", "create", "ocean", "--title", "Ocean data", "--co-facilitator", "Norland"]);
    ok(&data, &["process", "participant", "ocean", "alpha", "ALPHA"]);
    ok(&data, &["focal-point", "ocean", "delegation:alpha", "--point", "ana@alpha.example"]);
    let file = data.join("draft.txt");
    std::fs::write(&file, "Zero draft\n\n1. We agree to act by 2030.\n").unwrap();
    ok(
        &data,
        &[
            "import",
            "ocean",
            file.to_str().unwrap(),
            "--label",
            "Zero draft",
            "--as",
            "co-facilitator:Norland",
        ],
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../accord-server/tests/support/smtp_sink.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(port.to_string())
        .arg(data.join("received"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let _sink = Sink(child);
    const SECRET: &str = "s3cret-Passw0rd-for-the-relay";
    let log = std::fs::File::create(data.join("serve.log")).unwrap();
    let mut serve = accord()
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--mail-retry-ms",
            "50",
            "--smtp-url",
        ])
        .arg(format!("smtp://127.0.0.1:{port}"))
        .arg("--data-dir")
        .arg(&data)
        .env("ACCORD_LOG", "trace")
        .env("ACCORD_SMTP_USERNAME", "accord")
        .env("ACCORD_SMTP_PASSWORD", SECRET)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    // The sink offers no authentication: every attempt fails, and is recorded.
    let start = Instant::now();
    let tried = loop {
        let now = outbox(&data);
        if now.iter().all(|m| m["attempts"].as_u64().unwrap_or(0) >= 2) {
            break now;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no attempt recorded: {now:?}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(tried.iter().all(|m| m["state"] == "failed" && m["last_error"].is_string()), "{tried:?}");
    let recorded = serde_json::to_string(&tried).unwrap();
    assert!(!recorded.contains(SECRET), "the password is in the outbox: {recorded}");
    let logged = std::fs::read_to_string(data.join("serve.log")).unwrap();
    assert!(logged.contains("mail attempt"), "the attempts are logged: {logged}");
    assert!(!logged.contains(SECRET), "the password is in the log");
}
