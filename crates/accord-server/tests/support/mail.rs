//! What the mail tests share: a real SMTP server on loopback (Python's
//! `aiosmtpd`, `smtp_sink.py`) writing what it accepts to a directory, and
//! a process whose participants have focal points.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use accord_core::negotiation::{Action, Actor, Participant, ParticipantKind, ProcessInfo, Publication};
use accord_server::Workspace;
use serde_json::Value;

/// Whether Python's `aiosmtpd` is installed; under `CI` its absence fails
/// the test, locally the test is skipped with a message.
pub fn smtp_server_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but Python's aiosmtpd is missing (`pip install aiosmtpd`): the mail tests cannot run"
        );
        eprintln!(
            "skipping: Python's aiosmtpd is not installed (`pip install aiosmtpd`); with CI set this fails"
        );
    }
    ok
}

/// A free TCP port on loopback (free when asked; the server binds it next).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The SMTP server, stopped when dropped.
pub struct Sink {
    child: Child,
    pub dir: PathBuf,
    pub port: u16,
}

impl Sink {
    /// Starts the server on `port`, writing to `dir`; returns once it listens.
    pub fn start(port: u16, dir: &Path) -> Sink {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        Sink { child, dir: dir.to_path_buf(), port }
    }

    /// Every message received so far.
    pub fn received(&self) -> Vec<Value> {
        received(&self.dir)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every message written to `dir`.
pub fn received(dir: &Path) -> Vec<Value> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out = Vec::new();
    for e in entries.flatten() {
        if e.path().extension().is_some_and(|x| x == "json") {
            out.push(serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap());
        }
    }
    out
}

/// Waits until `done` holds, or panics after `limit` naming `what`.
pub async fn wait_for(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A non-public process `p` with co-facilitator Norland and delegations
/// `delegations`, each given one focal point `NAME <d@D.example>`.
pub async fn process_with_focal_points(ws: &Arc<Workspace>, p: &str, delegations: &[String]) {
    let admin = Actor::Secretariat { name: "Test".into() };
    let info = ProcessInfo {
        title: "Ocean data".into(),
        mandate: String::new(),
        opening: None,
        deadline: None,
        adoption: None,
        co_facilitators: vec!["Norland".into()],
        public: false,
    };
    ws.execute(p, admin.clone(), Action::CreateProcess { info }, None).await.unwrap();
    for d in delegations {
        let participant = Participant {
            id: d.clone(),
            name: d.to_uppercase(),
            kind: ParticipantKind::MemberState,
            members: vec![],
        };
        ws.execute(p, admin.clone(), Action::AddParticipant { participant }, None).await.unwrap();
        let whose = Actor::Delegation { delegation: d.clone() };
        let point = (format!("{} focal point", d.to_uppercase()), format!("fp@{d}.example"));
        ws.set_focal_points(p, &admin, &whose, vec![point]).await.unwrap();
    }
}

/// Imports a small draft labelled `label` at `publication`.
pub async fn import(ws: &Arc<Workspace>, p: &str, label: &str, publication: Publication) -> String {
    let text = format!("{label}\n\n1. We agree to act by 2030.\n\n2. We decide to review the matter.\n");
    let canonical = accord_server::api::canonical_of(&text).unwrap();
    let by = Actor::CoFacilitator { name: "Norland".into() };
    let action = Action::ImportDraft { label: label.into(), canonical, publication, lineage: None };
    ws.execute(p, by, action, None).await.unwrap();
    let slot = ws.process(p).unwrap();
    let id = slot.state.read().unwrap().latest().unwrap().id.clone();
    id
}
