//! Mail through the outbox against a real SMTP server on loopback (Python's
//! `aiosmtpd`, started by each test on a free port): circulating a draft
//! delivers exactly one message to each entitled recipient and none to
//! anyone else (an observer gets no circulated draft); with the server down
//! the messages wait, failed with the connection's error and their attempts
//! counted, and are delivered once it starts; and the worker killed with
//! SIGKILL again and again during delivery loses no message (each
//! Message-ID reaches its recipient; repeats of one are counted).

#[path = "support/mail.rs"]
mod mail;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use accord_core::negotiation::{Action, Actor, Publication};
use accord_server::mail::MailConfig;
use accord_server::Workspace;
use accord_store::{OutboxState, Sqlite, Store};
use mail::*;

fn config(port: u16) -> MailConfig {
    let mut c = MailConfig::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Accord <accord@example.org>",
        Some("https://accord.example.org/".into()),
    )
    .unwrap();
    c.backoff = Duration::from_millis(100);
    c.max_backoff = Duration::from_millis(400);
    c.idle = Duration::from_millis(50);
    c
}

fn open(dir: &tempfile::TempDir) -> Arc<Workspace> {
    Workspace::open(Box::new(Sqlite::open(&dir.path().join("accord.sqlite3")).unwrap())).unwrap()
}

async fn outbox_settled(ws: &Workspace, p: &str) -> bool {
    ws.outbox(p).await.unwrap().iter().all(|m| m.state == OutboxState::Sent)
}

/// Waits (in steps of 50 ms, at most `steps` of them) until every message
/// of `p` is sent; whether it came to that.
async fn settles(ws: &Workspace, p: &str, steps: usize) -> bool {
    for _ in 0..steps {
        if outbox_settled(ws, p).await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circulated_draft_reaches_every_entitled_recipient_once() {
    if !smtp_server_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir);
    let delegations: Vec<String> = ["alpha", "beta"].map(String::from).to_vec();
    process_with_focal_points(&ws, "ocean", &delegations).await;
    let admin = Actor::Secretariat { name: "Test".into() };
    // Two focal points for alpha; the co-facilitator and an observer have one each.
    let alpha = Actor::Delegation { delegation: "alpha".into() };
    let points = vec![
        ("Ana Alpha".to_string(), "ana@alpha.example".to_string()),
        ("Bo Alpha".to_string(), "bo@alpha.example".to_string()),
    ];
    ws.set_focal_points("ocean", &admin, &alpha, points).await.unwrap();
    let norland = Actor::CoFacilitator { name: "Norland".into() };
    ws.set_focal_points("ocean", &admin, &norland, vec![("Nora".into(), "nora@norland.example".into())])
        .await
        .unwrap();
    let watcher = Actor::Observer { name: "Watcher".into() };
    ws.set_focal_points("ocean", &admin, &watcher, vec![("Wat".into(), "wat@observer.example".into())])
        .await
        .unwrap();
    // A delegation may not set another's focal points.
    let beta = Actor::Delegation { delegation: "beta".into() };
    assert!(ws.set_focal_points("ocean", &beta, &alpha, vec![]).await.is_err());
    assert!(ws
        .set_focal_points("ocean", &admin, &beta, vec![("X".into(), "not an address".into())])
        .await
        .is_err());

    // Internal: the co-facilitator only. Circulated: the delegations (not
    // the co-facilitator again, not the observer). Public: the observer.
    let d1 = import(&ws, "ocean", "Zero draft", Publication::Internal).await;
    let expected_internal: BTreeSet<&str> = ["nora@norland.example"].into();
    let outbox = ws.outbox("ocean").await.unwrap();
    let to: BTreeSet<&str> = outbox.iter().map(|m| m.recipient_email.as_str()).collect();
    assert_eq!(to, expected_internal);
    let circulate = Action::Publish { draft: d1.clone(), publication: Publication::Circulated };
    ws.execute("ocean", admin.clone(), circulate, None).await.unwrap();
    let publish = Action::Publish { draft: d1.clone(), publication: Publication::Public };
    ws.execute("ocean", admin.clone(), publish, None).await.unwrap();
    let outbox = ws.outbox("ocean").await.unwrap();
    assert!(outbox.iter().all(|m| m.state == OutboxState::Queued && m.attempts == 0));
    let per_event: BTreeMap<u64, BTreeSet<&str>> = outbox.iter().fold(BTreeMap::new(), |mut m, r| {
        m.entry(r.seq).or_insert_with(BTreeSet::new).insert(r.recipient_email.as_str());
        m
    });
    let lists: Vec<Vec<&str>> = per_event.values().map(|s| s.iter().copied().collect()).collect();
    assert_eq!(
        lists,
        [
            vec!["nora@norland.example"],
            vec!["ana@alpha.example", "bo@alpha.example", "fp@beta.example"],
            vec!["wat@observer.example"],
        ]
    );

    let port = free_port();
    let sink = Sink::start(port, &dir.path().join("received"));
    let worker = accord_server::mail::spawn(ws.clone(), config(port));
    let limit = Duration::from_secs(30);
    let settled = settles(&ws, "ocean", 600).await;
    assert!(settled, "the outbox was not delivered in {limit:?}: {:?}", ws.outbox("ocean").await.unwrap());
    // A moment more: nothing else arrives.
    tokio::time::sleep(Duration::from_millis(300)).await;
    worker.abort();
    let got = sink.received();
    let mut to: Vec<String> = got.iter().map(|m| m["to"][0].as_str().unwrap().to_string()).collect();
    to.sort();
    assert_eq!(
        to,
        [
            "ana@alpha.example",
            "bo@alpha.example",
            "fp@beta.example",
            "nora@norland.example",
            "wat@observer.example"
        ]
    );
    let ids: BTreeSet<&str> = got.iter().map(|m| m["message_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), got.len(), "a Message-ID arrived twice");
    let recorded: BTreeSet<&str> = outbox.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids, recorded, "what arrived is what the outbox recorded");
    for m in &got {
        assert_eq!(m["subject"], "Ocean data: Zero draft", "{m}");
        let text = m["text"].as_str().unwrap();
        assert!(text.starts_with("Dear "), "{text}");
        assert!(text.contains("Zero draft of \"Ocean data\""), "{text}");
        assert!(text.contains(&format!("https://accord.example.org/p/ocean/drafts/{d1}")), "{text}");
        let names: Vec<&str> =
            m["attachments"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["ocean-Zero_draft.txt", "ocean-Zero_draft.docx"], "{m}");
        assert!(m["attachments"][1]["size"].as_u64().unwrap() > 1000, "{m}");
    }
    let sent = ws.outbox("ocean").await.unwrap();
    assert!(
        sent.iter().all(|m| m.attempts == 1 && m.sent_at_ms.is_some() && m.last_error.is_none()),
        "{sent:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_server_down_messages_wait_and_go_once_it_is_up() {
    if !smtp_server_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir);
    let delegations: Vec<String> = (1..=5).map(|i| format!("d{i}")).collect();
    process_with_focal_points(&ws, "ocean", &delegations).await;
    let port = free_port();
    let worker = accord_server::mail::spawn(ws.clone(), config(port));
    import(&ws, "ocean", "Zero draft", Publication::Circulated).await;
    // Nobody listens: every message fails, is kept, and is tried again.
    let mut tried = Vec::new();
    for _ in 0..200 {
        tried = ws.outbox("ocean").await.unwrap();
        if tried.len() == 5 && tried.iter().all(|m| m.attempts >= 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(tried.len(), 5);
    for m in &tried {
        assert_eq!(m.state, OutboxState::Failed, "{m:?}");
        assert!(m.attempts >= 2, "{m:?}");
        assert!(m.next_attempt_at_ms.is_some(), "a connection failure is retried: {m:?}");
        assert!(m.last_error.as_deref().is_some_and(|e| !e.is_empty()), "{m:?}");
    }
    // The server comes up: each message is delivered, once.
    let sink = Sink::start(port, &dir.path().join("received"));
    let settled = settles(&ws, "ocean", 300).await;
    assert!(settled, "{:?}", ws.outbox("ocean").await.unwrap());
    tokio::time::sleep(Duration::from_millis(300)).await;
    worker.abort();
    let got = sink.received();
    let mut to: Vec<&str> = got.iter().map(|m| m["to"][0].as_str().unwrap()).collect();
    to.sort();
    assert_eq!(to, ["fp@d1.example", "fp@d2.example", "fp@d3.example", "fp@d4.example", "fp@d5.example"]);
    let done = ws.outbox("ocean").await.unwrap();
    assert!(done.iter().all(|m| m.last_error.is_none() && m.attempts >= 3), "{done:?}");
}

/// The child of the kill test: a worker on the store in
/// `ACCORD_MAIL_CHILD_STORE`, sending to `ACCORD_MAIL_CHILD_PORT`, until
/// killed. Run only by the kill test (it re-executes this binary).
#[test]
#[ignore = "the kill test's child process; run by `the_worker_killed_again_and_again_loses_nothing`"]
fn mail_worker_child() {
    let (Ok(store), Ok(port)) =
        (std::env::var("ACCORD_MAIL_CHILD_STORE"), std::env::var("ACCORD_MAIL_CHILD_PORT"))
    else {
        panic!("run by the kill test only");
    };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async move {
        let ws = Workspace::open(Box::new(Sqlite::open(std::path::Path::new(&store)).unwrap())).unwrap();
        let mut c = config(port.parse().unwrap());
        c.backoff = Duration::from_millis(20);
        accord_server::mail::spawn(ws, c);
        tokio::time::sleep(Duration::from_secs(600)).await;
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_killed_again_and_again_loses_nothing() {
    if !smtp_server_available() {
        return;
    }
    const KILLS: usize = 30;
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("accord.sqlite3");
    {
        let ws = open(&dir);
        let delegations: Vec<String> = (1..=40).map(|i| format!("d{i:02}")).collect();
        process_with_focal_points(&ws, "ocean", &delegations).await;
        for label in ["Zero draft", "Rev.1", "Rev.2", "Rev.3", "Rev.4"] {
            import(&ws, "ocean", label, Publication::Circulated).await;
        }
    }
    let expected: BTreeMap<String, String> = Sqlite::open(&store_path)
        .unwrap()
        .outbox("ocean")
        .unwrap()
        .into_iter()
        .map(|m| (m.message_id, m.recipient_email))
        .collect();
    assert_eq!(expected.len(), 200);
    let port = free_port();
    let sink = Sink::start(port, &dir.path().join("received"));
    let spawn_child = || {
        std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "mail_worker_child", "--nocapture", "--test-threads=1"])
            .env("ACCORD_MAIL_CHILD_STORE", &store_path)
            .env("ACCORD_MAIL_CHILD_PORT", port.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let sent = || {
        Sqlite::open(&store_path)
            .unwrap()
            .outbox("ocean")
            .unwrap()
            .iter()
            .filter(|m| m.state == OutboxState::Sent)
            .count()
    };
    // Kill the worker at varied moments while it delivers.
    let mut kills = 0;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    while kills < KILLS && sent() < expected.len() {
        let mut child = spawn_child();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let wait = 60 + seed % 240;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
    }
    let during = sent();
    // A last worker finishes the job.
    let mut child = spawn_child();
    let mut done = false;
    for _ in 0..1200 {
        if sent() == expected.len() {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(done, "not every message was delivered: {} of {}", sent(), expected.len());
    let got = sink.received();
    let mut copies: BTreeMap<String, usize> = BTreeMap::new();
    for m in &got {
        let id = m["message_id"].as_str().unwrap().to_string();
        assert_eq!(expected.get(&id).map(String::as_str), m["to"][0].as_str(), "{m}");
        *copies.entry(id).or_default() += 1;
    }
    // Nothing lost: every message recorded reached its recipient.
    assert_eq!(copies.len(), expected.len(), "messages lost");
    // A repeat (the same Message-ID) only when a kill fell between the
    // server's 250 and the store's "sent": at most one per kill.
    let repeats: usize = copies.values().map(|n| n - 1).sum();
    eprintln!(
        "kill test: {kills} SIGKILLs, {during} of {} sent before the last worker, {} transmissions, {repeats} repeated Message-IDs",
        expected.len(),
        got.len()
    );
    assert!(kills >= KILLS || during == expected.len(), "only {kills} kills");
    assert!(repeats <= kills, "{repeats} repeats for {kills} kills");
}

/// A server that starts on a log with mail still queued opens lazily (the
/// processes load in the background or when asked for): its worker must
/// wait for a message's process, not give the message up as "the process
/// is gone" — the CI's SIGKILL test lost one message so, under load.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_mail_is_sent_by_a_server_that_has_not_loaded_its_process_yet() {
    if !smtp_server_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let delegations: Vec<String> = (1..=3).map(|i| format!("d{i}")).collect();
    {
        let ws = open(&dir);
        process_with_focal_points(&ws, "ocean", &delegations).await;
        import(&ws, "ocean", "Zero draft", Publication::Circulated).await;
        assert_eq!(ws.outbox("ocean").await.unwrap().len(), 3);
    }
    // Reopened as `accord serve` opens it, and nothing loaded.
    let store = Sqlite::open(&dir.path().join("accord.sqlite3")).unwrap();
    let ws = Workspace::open_lazily(Box::new(store)).unwrap();
    assert!(ws.process("ocean").is_none(), "not loaded yet");
    let port = free_port();
    let sink = Sink::start(port, &dir.path().join("received"));
    let worker = accord_server::mail::spawn(ws.clone(), config(port));
    let settled = settles(&ws, "ocean", 300).await;
    worker.abort();
    let out = ws.outbox("ocean").await.unwrap();
    assert!(settled, "{out:?}");
    assert!(out.iter().all(|m| m.state == OutboxState::Sent), "every message sent: {out:?}");
    assert_eq!(sink.received().len(), 3);
}
