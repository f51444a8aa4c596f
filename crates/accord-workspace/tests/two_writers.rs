//! Two workspaces on one store, as two nodes on one database are: here two
//! connections to one SQLite file, so the test runs everywhere (the
//! PostgreSQL nodes with their listener are tested in
//! `crates/accord-cli/tests/nodes.rs`). A workspace that is behind and writes
//! is refused by the store, rebuilds the process from the log and records
//! its action after the other's; the two never diverge; catching up applies
//! the other's events without a write.

use accord_core::negotiation::{Action, Actor, Edit, Participant, ParticipantKind, ProcessInfo, Publication};
use accord_store::Sqlite;
use accord_workspace::transfer::state_hash;
use accord_workspace::{CatchUp, Workspace};

fn open(path: &std::path::Path) -> std::sync::Arc<Workspace> {
    Workspace::open(Box::new(Sqlite::open(path).unwrap())).unwrap()
}

fn table(k: usize) -> Action {
    Action::TableProposal {
        draft: "d1".into(),
        paragraph: "1".into(),
        on_behalf_of: format!("d{}", k % 2),
        edit: Edit::Insert { at: 0, text: format!("Also {k}, ") },
        rationale: Some(format!("r{k}")),
        citation: None,
    }
}

fn hash(ws: &Workspace) -> String {
    state_hash(&ws.process("two").unwrap().state.read().unwrap())
}

/// A process "two" with two delegations and a draft: four events.
async fn set_up(path: &std::path::Path) -> std::sync::Arc<Workspace> {
    let a = open(path);
    let sec = Actor::Secretariat { name: "Ana".into() };
    let info = ProcessInfo { title: "Two".into(), co_facilitators: vec!["N".into()], ..Default::default() };
    a.execute("two", sec.clone(), Action::CreateProcess { info }, None).await.unwrap();
    for d in 0..2 {
        let participant = Participant {
            id: format!("d{d}"),
            name: format!("D{d}"),
            kind: ParticipantKind::MemberState,
            members: vec![],
        };
        a.execute("two", sec.clone(), Action::AddParticipant { participant }, None).await.unwrap();
    }
    let text = "Draft\n\n1. Decides to act.\n\n2. Requests a report.\n";
    let canonical = accord_core::canonical::write(&accord_core::parse(text));
    let import = Action::ImportDraft {
        label: "Zero".into(),
        canonical,
        publication: Publication::Circulated,
        lineage: None,
    };
    a.execute("two", Actor::CoFacilitator { name: "N".into() }, import, None).await.unwrap();
    a
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_writers_on_one_log_never_diverge() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accord.sqlite3");
    let a = set_up(&path).await;

    // B opens after A's four events and finds the process in the log.
    let b = open(&path);
    assert_eq!(hash(&a), hash(&b));
    // A writes; B does not know. B's next write is refused by the store
    // (event 5 exists), B rebuilds and records it as event 6.
    let del = |k: usize| Actor::Delegation { delegation: format!("d{}", k % 2) };
    let first = a.execute("two", del(0), table(0), None).await.unwrap();
    let second = b.execute("two", del(1), table(1), None).await.unwrap();
    assert_eq!((first.seq, second.seq), (5, 6));
    // A catches up without writing: the other's event applied, once.
    assert_eq!(a.catch_up("two").await.unwrap(), CatchUp::Current(1));
    assert_eq!(a.catch_up("two").await.unwrap(), CatchUp::Current(0));
    assert_eq!(hash(&a), hash(&b));

    // Both at once, many times: every action recorded, once, in one order.
    let mut tasks = Vec::new();
    for k in 2..42 {
        let ws = if k % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move { ws.execute("two", del(k), table(k), None).await }));
    }
    let mut seqs = Vec::new();
    for t in tasks {
        seqs.push(t.await.unwrap().expect("a valid action is recorded, whichever writer was first").seq);
    }
    seqs.sort();
    assert_eq!(seqs, (7..47).collect::<Vec<u64>>(), "each action one event, no gap, none twice");
    a.catch_up("two").await.unwrap();
    b.catch_up("two").await.unwrap();
    assert_eq!(hash(&a), hash(&b), "the two never diverge");
    // A new workspace replaying the log agrees with both.
    assert_eq!(hash(&open(&path)), hash(&a));
    // A name the log does not hold is absent, and kept nowhere.
    assert_eq!(a.catch_up("nowhere").await.unwrap(), CatchUp::Absent);
    assert!(a.process("nowhere").is_none());
}

/// A request that goes away while its event is on the way to the store (a
/// client hanging up): the store's answer still settles the process, so the
/// node goes on catching up with the other writer. Left unsettled, the event
/// would count as in flight forever and every catch-up would answer "busy".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_whose_request_goes_away_is_still_settled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accord.sqlite3");
    let a = set_up(&path).await;
    let b = open(&path);
    let del = |k: usize| Actor::Delegation { delegation: format!("d{}", k % 2) };
    // The store's thread is kept busy a moment, so the event waits in its
    // queue; the request goes away meanwhile.
    let busy = {
        let a = a.clone();
        tokio::spawn(async move {
            a.with_store(|_| std::thread::sleep(std::time::Duration::from_millis(300))).await.unwrap()
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let gone =
        tokio::time::timeout(std::time::Duration::from_millis(50), a.execute("two", del(0), table(0), None))
            .await;
    assert!(gone.is_err(), "the request is dropped before the store answers");
    busy.await.unwrap();
    let mut durable = a.process("two").unwrap().durable.subscribe();
    tokio::time::timeout(std::time::Duration::from_secs(10), durable.wait_for(|d| *d >= 5))
        .await
        .expect("the dropped request's event is settled as durable")
        .unwrap();
    drop(durable);
    // The other writer goes on; this one catches up, not "busy" for ever.
    assert_eq!(b.execute("two", del(1), table(1), None).await.unwrap().seq, 6);
    let mut caught = None;
    for _ in 0..200 {
        match a.catch_up("two").await.unwrap() {
            CatchUp::Busy => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            other => {
                caught = Some(other);
                break;
            }
        }
    }
    assert_eq!(caught, Some(CatchUp::Current(1)), "the other writer's event is applied");
    assert_eq!(hash(&a), hash(&b));
    assert_eq!(a.execute("two", del(0), table(2), None).await.unwrap().seq, 7);
}
