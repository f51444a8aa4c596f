//! The event log's history is kept: a log recorded in the format of
//! 2026-12-01 (the demo process and a workflow with every kind of action,
//! dumped as the store holds it) is committed under `tests/fixtures/`, and
//! replaying it must give the same state, whatever the code has become. A
//! change to the domain types that would break old logs fails here.
//!
//! The recording itself is here too, so live state and replay are compared
//! on a fresh log on every run. To record a new fixture (after a deliberate
//! format change, under a new name, keeping the old one):
//! `ACCORD_RECORD_LOG=path cargo test -p accord-workspace --test event_log record -- --ignored`
//! (it writes `path` and, beside it, the state it reached).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use accord_core::negotiation::{
    Action, Actor, BracketResolution, Decision, Edit, ProcessInfo, ProcessState, Publication,
};
use accord_core::Status;
use accord_store::{EventRecord, Sqlite, Store};
use accord_workspace::secrets::token_hash;
use accord_workspace::workspace::replay;
use accord_workspace::{demo, Workspace};

/// The log of 2026-12-01, before event payloads had a schema version.
const FIXTURE_2026_12: &str = include_str!("fixtures/event-log-2026-12-01.jsonl");
/// The same workflow recorded in schema version 1.
const FIXTURE_V1: &str = include_str!("fixtures/event-log-v1.jsonl");
/// The state both fixtures record.
const FIXTURE_STATE: &str = include_str!("fixtures/event-log-2026-12-01.state.txt");

/// A clock that starts on 2026-04-01 and moves a second per reading.
fn fixed_clock() -> Box<dyn Fn() -> i64 + Send + Sync> {
    let t = Arc::new(AtomicI64::new(1_775_000_000_000));
    Box::new(move || t.fetch_add(1000, Ordering::Relaxed))
}

/// A state in words: what a negotiation's participants would notice if it
/// changed (texts by hash, statuses, proposals, sessions).
fn summary(s: &ProcessState) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "process {} seq {} at {}", s.id, s.seq, s.at_ms);
    let _ = writeln!(out, "title {:?}; public {}", s.info.title, s.info.public);
    let ids: Vec<&str> = s.participants.iter().map(|p| p.id.as_str()).collect();
    let _ = writeln!(out, "participants {}", ids.join(" "));
    for d in &s.drafts {
        let text = accord_core::canonical::write(&d.document);
        let _ = writeln!(
            out,
            "draft {} {:?} {} produced {} paragraphs {} text {}",
            d.id,
            d.label,
            json(&d.publication),
            d.produced,
            d.document.paragraphs.len(),
            &token_hash(&text)[..16]
        );
    }
    let working = accord_core::canonical::write(&s.working);
    let _ = writeln!(out, "working text {}", &token_hash(&working)[..16]);
    for w in s.working_paragraphs() {
        let p = w.paragraph;
        let _ = writeln!(
            out,
            "  {} {} revision {} brackets {} text {}",
            p.id,
            json(&p.status),
            w.revision,
            p.brackets.len(),
            &token_hash(&p.text)[..12]
        );
    }
    for p in &s.proposals {
        let _ = writeln!(
            out,
            "proposal {} on {}/{} by {} {} revision {} for [{}] against [{}] edit {}",
            p.id,
            p.draft,
            p.paragraph,
            p.author,
            json(&p.state),
            p.revision,
            p.supporters.join(" "),
            p.opponents.join(" "),
            p.edit.kind()
        );
    }
    for x in &s.sessions {
        let _ = writeln!(out, "session {} {} decisions {}", x.id, x.date, x.decisions.len());
    }
    let _ = writeln!(out, "compilation {}", &token_hash(&s.compilation_text())[..16]);
    out
}

/// An enum as its JSON (its stable name in the log).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The records of a JSON Lines dump.
fn parse_log(text: &str) -> Vec<EventRecord> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
            let s = |k: &str| v[k].as_str().map(str::to_string);
            EventRecord {
                process: s("process").expect("process"),
                seq: v["seq"].as_u64().expect("seq"),
                at_ms: v["at_ms"].as_i64().expect("at_ms"),
                actor: s("actor").expect("actor"),
                action: s("action").expect("action"),
                against: s("against"),
                idempotency_key: s("idempotency_key"),
                payload: s("payload").expect("payload"),
            }
        })
        .collect()
}

/// A JSON Lines dump of records, as the store holds them.
fn dump_log(records: &[EventRecord]) -> String {
    records
        .iter()
        .map(|r| {
            serde_json::json!({
                "process": r.process, "seq": r.seq, "at_ms": r.at_ms, "actor": r.actor,
                "action": r.action, "against": r.against, "idempotency_key": r.idempotency_key,
                "payload": r.payload,
            })
            .to_string()
                + "\n"
        })
        .collect()
}

/// The demo, then every action the demo does not take, through the workspace.
async fn negotiate(ws: &Workspace) {
    demo::load(ws).await.expect("the demo loads");
    let p = demo::PROCESS;
    let state = || ws.process(p).expect("the demo process").state.read().unwrap().clone();
    let run = |actor: Actor, action: Action, key: Option<&str>| {
        let key = key.map(str::to_string);
        async move {
            let name = action.name();
            ws.execute(p, actor, action, key).await.unwrap_or_else(|e| panic!("{name}: {e}"))
        }
    };
    let secretariat = Actor::Secretariat { name: "Demo Secretariat".into() };
    let cofac = Actor::CoFacilitator { name: "Norland".into() };
    let del = |d: &str| Actor::Delegation { delegation: d.into() };

    let info = ProcessInfo { deadline: Some("2026-07-15".into()), ..state().info.clone() };
    run(secretariat.clone(), Action::UpdateProcess { info }, None).await;
    run(cofac.clone(), Action::Publish { draft: "d1".into(), publication: Publication::Circulated }, None)
        .await;

    // Proposals of the kinds the demo has not tabled, one with a request key.
    let d2 = state().latest().expect("Rev.1").document.clone();
    let text = |id: &str| d2.paragraphs.iter().find(|x| x.id == id).expect("paragraph").text.clone();
    let words = |t: &str, n: usize| -> [u32; 2] {
        let end = t.char_indices().filter(|(_, c)| *c == ' ').nth(n).map_or(t.len(), |(i, _)| i);
        [0, t[..end].chars().count() as u32]
    };
    let table = |by: &'static str, para: &'static str, edit: Edit, key: Option<&'static str>| {
        let action = Action::TableProposal {
            draft: "d2".into(),
            paragraph: para.into(),
            on_behalf_of: by.into(),
            edit,
            rationale: Some("For the fixture.".into()),
            citation: (by == "estoria").then(|| "paragraph 14 of resolution 70/1".into()),
        };
        run(del(by), action, key)
    };
    let bracket =
        table("norland", "15", Edit::Bracket { span: words(&text("15"), 3) }, Some("fixture-1")).await;
    let moved = table("estoria", "16", Edit::MoveParagraph { after: Some("18".into()) }, None).await;
    let replaced = table(
        "norland",
        "18",
        Edit::Replace { span: words(&text("18"), 1), text: "Recognizing".into() },
        None,
    )
    .await;
    let (bracket, moved, replaced) =
        (bracket.proposal.unwrap(), moved.proposal.unwrap(), replaced.proposal.unwrap());
    let revision = |id: &str| state().proposal(id).expect("proposal").revision;
    let rev = revision(&replaced);
    run(
        del("norland"),
        Action::Revise {
            proposal: replaced.clone(),
            base_revision: rev,
            edit: Edit::Replace { span: words(&text("18"), 1), text: "Recognizing also".into() },
            rationale: Some("Clearer.".into()),
        },
        None,
    )
    .await;
    run(del("estoria"), Action::Withdraw { proposal: moved }, None).await;
    let rev = revision(&bracket);
    run(
        cofac.clone(),
        Action::Decide { proposal: bracket, decision: Decision::SetAside, base_revision: rev, session: None },
        None,
    )
    .await;
    let rev = revision(&replaced);
    run(
        cofac.clone(),
        Action::Decide { proposal: replaced, decision: Decision::Accept, base_revision: rev, session: None },
        None,
    )
    .await;

    // The co-facilitators' own work on the working text.
    let s = state();
    // (paragraph, bracket index, revision, holds alternatives)
    let brackets: Vec<(String, usize, u64, bool)> = s
        .working_paragraphs()
        .iter()
        .flat_map(|w| {
            let b = w.paragraph.brackets.iter().enumerate();
            b.map(|(i, b)| (w.paragraph.id.clone(), i, w.revision, b.alternatives.is_some()))
        })
        .collect();
    let choose = brackets.iter().find(|b| b.3).expect("a bracket with alternatives").clone();
    let mut others = brackets.iter().filter(|b| !b.3 && b.0 != choose.0 && b.1 == 0);
    let keep = others.next().expect("a bracket to keep").clone();
    let delete = others.find(|b| b.0 != keep.0).expect("a bracket to delete").clone();
    for (b, resolution) in [
        (keep, BracketResolution::Keep),
        (delete, BracketResolution::Delete),
        (choose, BracketResolution::Choose { alternative: 0 }),
    ] {
        run(
            cofac.clone(),
            Action::ResolveBracket {
                paragraph: b.0.clone(),
                bracket: b.1,
                resolution,
                base_revision: b.2,
                session: None,
            },
            None,
        )
        .await;
    }
    let s = state();
    let first = s.working_paragraphs()[0].paragraph.id.clone();
    let rev = s.paragraph_revision(&first);
    run(
        cofac.clone(),
        Action::SetStatus {
            paragraph: first.clone(),
            status: Status::AgreedAdRef,
            note: Some("pending the figures".into()),
            base_revision: rev,
            session: None,
        },
        None,
    )
    .await;
    let rev = state().paragraph_revision("13");
    run(
        cofac.clone(),
        Action::WriteCompromise {
            paragraph: "13".into(),
            text: "We stress the need to protect sensitive ocean data [and of submarine cables].".into(),
            base_revision: rev,
            session: None,
        },
        None,
    )
    .await;
    run(
        cofac.clone(),
        Action::ProduceRevision {
            label: "Rev.2".into(),
            date: Some("2 May 2026".into()),
            publication: Publication::Circulated,
            canonical: None,
            lineage: None,
        },
        None,
    )
    .await;
    // A proposal on the new revision, supported and opposed.
    let d3 = state().latest().expect("Rev.2").document.clone();
    let para = d3.paragraphs.iter().find(|x| !x.text.is_empty()).expect("a paragraph").id.clone();
    let tabled = run(
        del("valdoria"),
        Action::TableProposal {
            draft: "d3".into(),
            paragraph: para,
            on_behalf_of: "g77".into(),
            edit: Edit::AddParagraph { text: "We invite Member States to share ocean data openly.".into() },
            rationale: None,
            citation: None,
        },
        None,
    )
    .await;
    let p = tabled.proposal.unwrap();
    run(del("kestrel"), Action::Support { proposal: p.clone(), on_behalf_of: "aosis".into() }, None).await;
    run(del("lutevia"), Action::Oppose { proposal: p, on_behalf_of: "eu".into() }, None).await;
}

/// Records the whole workflow on a fresh SQLite store; returns the store's
/// records and the live state's summary.
fn record() -> (Vec<EventRecord>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accord.sqlite3");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let live = rt.block_on(async {
        let ws = Workspace::open_with_clock(Box::new(Sqlite::open(&path).unwrap()), fixed_clock()).unwrap();
        negotiate(&ws).await;
        let slot = ws.process(demo::PROCESS).unwrap();
        let s = slot.state.read().unwrap();
        summary(&s)
    });
    drop(rt);
    let records = Sqlite::open(&path).unwrap().events().unwrap();
    (records, live)
}

#[test]
fn every_kind_of_action_replays_to_the_live_state() {
    let (records, live) = record();
    let mut kinds: Vec<&str> = records.iter().map(|r| r.action.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), 17, "the workflow takes every kind of action: {kinds:?}");
    for r in &records {
        assert!(r.payload.starts_with("{\"v\":1,"), "event {} is not written in schema version 1", r.seq);
    }
    let replayed = replay(&records).expect("the log replays");
    assert_eq!(summary(&replayed[demo::PROCESS]), live);
    // The same workflow on the same clock: the state the fixtures recorded,
    // but for the text of the revision Accord produced — its cover letter
    // summarises the comparison, whose wording and lineage improve. (The
    // recorded logs above still replay to their recorded text exactly.)
    assert_eq!(without_produced_text(&live), without_produced_text(FIXTURE_STATE));
}

/// The summary with the text hash of produced drafts (and of the working
/// text built on them) blanked.
fn without_produced_text(summary: &str) -> String {
    let mut produced = Vec::new();
    let mut out = String::new();
    for line in summary.lines() {
        let hash = line.rsplit_once(" text ").map(|(_, h)| h);
        let line = match hash {
            Some(h) if line.contains(" produced true ") => {
                produced.push(h.to_owned());
                line.replace(h, "<produced>")
            }
            Some(h) if line.starts_with("working text") && produced.iter().any(|p| p == h) => {
                line.replace(h, "<produced>")
            }
            _ => line.to_owned(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    assert!(!produced.is_empty(), "the workflow produces a revision");
    out
}

#[test]
fn the_log_of_2026_12_01_replays_to_the_state_it_recorded() {
    let records = parse_log(FIXTURE_2026_12);
    assert!(records.len() > 40, "{} records", records.len());
    assert!(records.iter().all(|r| !r.payload.contains("\"v\":")), "the 2026-12-01 log is unversioned");
    let states = replay(&records).expect("the committed log replays");
    assert_eq!(summary(&states[demo::PROCESS]), FIXTURE_STATE);
}

#[test]
fn the_log_of_schema_version_1_replays_to_the_state_it_recorded() {
    let records = parse_log(FIXTURE_V1);
    assert!(records.len() > 40, "{} records", records.len());
    let states = replay(&records).expect("the committed log replays");
    assert_eq!(summary(&states[demo::PROCESS]), FIXTURE_STATE);
}

#[test]
#[ignore = "writes a fixture: run with ACCORD_RECORD_LOG=path"]
fn record_fixture() {
    let path = std::env::var("ACCORD_RECORD_LOG").expect("ACCORD_RECORD_LOG names the file to write");
    let (records, live) = record();
    std::fs::write(&path, dump_log(&records)).unwrap();
    std::fs::write(format!("{}.state.txt", path.trim_end_matches(".jsonl")), live).unwrap();
}
