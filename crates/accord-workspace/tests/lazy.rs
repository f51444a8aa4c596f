//! A workspace opened lazily (how `accord serve` starts on a large log)
//! holds no process at first, loads one when it is named or written, and
//! loads the rest in the background — each to exactly the state a full
//! replay gives, request keys included.

use accord_core::negotiation::{Action, Actor, Edit, Participant, ParticipantKind, ProcessInfo, Publication};
use accord_store::Sqlite;
use accord_workspace::transfer::state_hash;
use accord_workspace::{RequestKey, Workspace};

const PROCESSES: usize = 12;

fn open(path: &std::path::Path, lazily: bool) -> std::sync::Arc<Workspace> {
    let store = Box::new(Sqlite::open(path).unwrap());
    if lazily {
        Workspace::open_lazily(store).unwrap()
    } else {
        Workspace::open(store).unwrap()
    }
}

fn hashes(ws: &Workspace) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = ws
        .processes()
        .iter()
        .map(|s| {
            let state = s.state.read().unwrap();
            (state.id.clone(), state_hash(&state))
        })
        .collect();
    all.sort();
    all
}

fn table(k: usize) -> Action {
    Action::TableProposal {
        draft: "d1".into(),
        paragraph: "1".into(),
        on_behalf_of: "d0".into(),
        edit: Edit::Insert { at: 0, text: format!("Also {k}, ") },
        rationale: Some(format!("r{k}")),
        citation: None,
    }
}

async fn fill(ws: &Workspace) {
    let sec = Actor::Secretariat { name: "Ana".into() };
    for n in 0..PROCESSES {
        let p = format!("p{n}");
        let info = ProcessInfo {
            title: format!("Process {n}"),
            co_facilitators: vec!["N".into()],
            ..Default::default()
        };
        ws.execute(&p, sec.clone(), Action::CreateProcess { info }, None).await.unwrap();
        let participant = Participant {
            id: "d0".into(),
            name: "D0".into(),
            kind: ParticipantKind::MemberState,
            members: vec![],
        };
        ws.execute(&p, sec.clone(), Action::AddParticipant { participant }, None).await.unwrap();
        let canonical = accord_core::canonical::write(&accord_core::parse("Draft\n\n1. Decides to act.\n"));
        let import = Action::ImportDraft {
            label: "Zero".into(),
            canonical,
            publication: Publication::Circulated,
            lineage: None,
        };
        ws.execute(&p, Actor::CoFacilitator { name: "N".into() }, import, None).await.unwrap();
        let del = Actor::Delegation { delegation: "d0".into() };
        for k in 0..n {
            let key = RequestKey::new(&format!("key-{k}"), "table", &[b"x"]).unwrap();
            ws.execute_keyed(&p, del.clone(), table(k), Some(key)).await.unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lazy_workspace_loads_each_process_to_the_state_a_replay_gives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accord.sqlite3");
    let eager = open(&path, false);
    fill(&eager).await;
    let expected = hashes(&eager);
    assert_eq!(expected.len(), PROCESSES);
    drop(eager);

    let ws = open(&path, true);
    assert!(ws.processes().is_empty(), "nothing is replayed at open");
    assert_eq!(ws.loading.remaining(), PROCESSES);
    assert!(ws.process("p7").is_none() && ws.loading.contains("p7"));

    // Named: loaded, to the replay's state.
    ws.ensure_loaded("p7").await.unwrap();
    assert!(!ws.loading.contains("p7"));
    let p7 = state_hash(&ws.process("p7").unwrap().state.read().unwrap());
    assert_eq!(Some(&("p7".to_string(), p7)), expected.iter().find(|(p, _)| p == "p7"));
    // A name the log does not have is no process, and costs nothing kept.
    ws.ensure_loaded("nowhere").await.unwrap();
    assert!(ws.process("nowhere").is_none());

    // Written before it was loaded: the write sees the whole process, and a
    // retried request key is answered with its first outcome, not twice.
    let del = Actor::Delegation { delegation: "d0".into() };
    let retry = RequestKey::new("key-3", "table", &[b"x"]).unwrap();
    ws.execute_keyed("p9", del.clone(), table(3), Some(retry)).await.unwrap();
    let p9 = ws.process("p9").unwrap();
    assert_eq!(p9.state.read().unwrap().seq, 3 + 9, "the retried key recorded nothing");
    drop(p9);

    // The rest, in the background.
    ws.load_in_background();
    ws.loading.wait().await;
    assert!(ws.loading.is_done() && ws.loading.remaining() == 0);
    assert_eq!(hashes(&ws), expected, "every process as a full replay gives it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_whose_log_does_not_replay_is_not_served_and_the_node_is_not_ready() {
    use accord_store::{EventRecord, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accord.sqlite3");
    let eager = open(&path, false);
    fill(&eager).await;
    drop(eager);
    // An event no Accord wrote, after p3's six: its payload is not an event.
    let mut store = Sqlite::open(&path).unwrap();
    let bad = EventRecord {
        process: "p3".into(),
        seq: 7,
        at_ms: 0,
        actor: "secretariat:Ana".into(),
        action: "table-proposal".into(),
        against: None,
        idempotency_key: None,
        payload: "{\"not\": \"an event\"}".into(),
    };
    store.append(&[bad]).unwrap();
    drop(store);
    let ws = open(&path, true);
    ws.load_in_background();
    ws.loading.wait().await;
    let why = ws.loading.broken().expect("the node says why it is not ready");
    assert!(why.contains("p3") && why.contains("does not replay"), "{why}");
    assert!(ws.process("p3").is_none(), "a process half replayed is never served");
    assert!(ws.process("p4").is_some(), "the others are loaded");
}
