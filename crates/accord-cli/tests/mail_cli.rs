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
