//! The end game without a server: time zones and the deadline for textual
//! proposals, the silence procedure (unbroken, broken by two delegations, a
//! break one second late) and adoption, each judged by the events' recorded
//! times, with a replay of the log reaching the same state.

mod common;

use accord_core::negotiation::clock::parse_instant;
use accord_core::negotiation::{
    Action, Actor, BracketResolution, Decision, DomainError, Edit, Event, Outcome, Participant,
    ParticipantKind, ProcessInfo, ProcessState, Publication, SilenceState,
};
use accord_core::{canonical, parse, ParagraphKind, Status};

/// A clean draft: no brackets, two preambular and four operative paragraphs.
const CLEAN: &str = "Preamble\n\n1. Recalling its resolution 70/1,\n\n2. Noting the report,\n\n\
Operative\n\n3. Decides to act by 2030.\n\n4. Requests a report in due course. [Agreed]\n\n\
5. Invites all States to contribute.\n\n6. Decides to remain seized of the matter.\n";

fn cofac() -> Actor {
    Actor::CoFacilitator { name: "Norland".into() }
}
fn del(d: &str) -> Actor {
    Actor::Delegation { delegation: d.into() }
}
fn ny(text: &str) -> i64 {
    parse_instant(text, "America/New_York").unwrap()
}

/// A process, its log, and a clock the test sets.
struct Log {
    state: ProcessState,
    events: Vec<Event>,
    clock: i64,
}

impl Log {
    fn new(text: &str) -> Log {
        let mut log =
            Log { state: ProcessState::new("p"), events: Vec::new(), clock: ny("2026-12-01T09:00") };
        let secretariat = Actor::Secretariat { name: "Ana".into() };
        let info = ProcessInfo {
            title: "Test".into(),
            co_facilitators: vec!["Norland".into()],
            ..Default::default()
        };
        log.ok(secretariat.clone(), Action::CreateProcess { info });
        for (id, kind, members) in [
            ("alpha", ParticipantKind::MemberState, vec![]),
            ("beta", ParticipantKind::MemberState, vec![]),
            ("gamma", ParticipantKind::MemberState, vec![]),
            ("g", ParticipantKind::Group, vec!["beta".to_string()]),
        ] {
            let participant = Participant { id: id.into(), name: id.to_uppercase(), kind, members };
            log.ok(secretariat.clone(), Action::AddParticipant { participant });
        }
        let canonical = canonical::write(&parse(text));
        let import = Action::ImportDraft {
            label: "Rev.2".into(),
            canonical,
            publication: Publication::Circulated,
            lineage: None,
        };
        log.ok(cofac(), import);
        log
    }

    /// Acts at the log's clock plus one millisecond.
    fn try_act(&mut self, actor: Actor, action: Action) -> Result<Outcome, DomainError> {
        self.try_at(self.clock + 1, actor, action)
    }

    /// Acts at `at_ms` (the store's clock at the moment of the event).
    fn try_at(&mut self, at_ms: i64, actor: Actor, mut action: Action) -> Result<Outcome, DomainError> {
        self.clock = at_ms;
        self.state.prepare_at(&mut action, &actor, at_ms);
        let event = Event {
            process: "p".into(),
            seq: self.state.seq + 1,
            at_ms,
            actor,
            against: self.state.latest().map(|d| d.id.clone()),
            idempotency_key: None,
            action,
        };
        let before = serde_json::to_value(&self.state).unwrap();
        let checked = self.state.check(&event);
        let out = self.state.apply(&event);
        assert_eq!(checked.is_ok(), out.is_ok(), "check and apply agree on {:?}", event.action.name());
        match &out {
            Ok(_) => self.events.push(event),
            Err(_) => {
                assert_eq!(serde_json::to_value(&self.state).unwrap(), before, "a refusal changes nothing")
            }
        }
        out
    }

    fn ok(&mut self, actor: Actor, action: Action) -> Outcome {
        let name = action.name();
        self.try_act(actor, action).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn table(&mut self, at_ms: i64, paragraph: &str) -> Result<Outcome, DomainError> {
        let draft = self.state.latest().unwrap().id.clone();
        let action = Action::TableProposal {
            draft,
            paragraph: paragraph.into(),
            on_behalf_of: "alpha".into(),
            edit: Edit::AddParagraph { text: "Encourages cooperation.".into() },
            rationale: None,
            citation: None,
        };
        self.try_at(at_ms, del("alpha"), action)
    }

    fn status(&self, id: &str) -> (Status, Option<String>) {
        let p = self.state.working.paragraphs.iter().find(|p| p.id == id).unwrap();
        (p.status, p.status_note.clone())
    }

    fn replayed(&self) -> ProcessState {
        let state = ProcessState::replay("p", &self.events).unwrap();
        assert_eq!(state, self.state, "a replay of the log gives the same state");
        state
    }
}

fn adopt() -> Action {
    Action::Adopt { date: None, canonical: None, lineage: None }
}

fn break_silence(behalf: &str, paragraphs: &[&str], reason: &str) -> Action {
    Action::BreakSilence {
        on_behalf_of: behalf.into(),
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
        reason: reason.into(),
    }
}

fn message(r: Result<Outcome, DomainError>) -> String {
    r.expect_err("refused").to_string()
}

#[test]
fn tabling_closes_at_the_deadline_named_in_the_process_zone() {
    let mut log = Log::new(CLEAN);
    let deadline = ny("2026-12-04T18:00");
    log.ok(cofac(), Action::SetDeadline { until: Some("2026-12-04T18:00".into()), session: None });
    assert_eq!(log.state.deadline.as_ref().map(|d| d.until_ms), Some(deadline));
    // Recorded in UTC, so the log does not depend on tz rules when read.
    assert!(matches!(
        &log.events.last().unwrap().action,
        Action::SetDeadline { until: Some(u), .. } if u == "2026-12-04T23:00:00.000Z"
    ));
    let p = log.table(deadline - 1, "5").unwrap().proposal.unwrap();
    let late = message(log.table(deadline, "5"));
    assert!(late.contains("Friday 4 December 2026, 18:00 EST (America/New_York)"), "{late}");
    // Rewording is tabling text too; support, opposition and decisions go on.
    let revise = Action::Revise {
        proposal: p.clone(),
        base_revision: log.state.proposal(&p).unwrap().revision,
        edit: Edit::AddParagraph { text: "Encourages close cooperation.".into() },
        rationale: None,
    };
    assert!(message(log.try_at(deadline + 5, del("alpha"), revise)).contains("deadline"));
    log.ok(del("beta"), Action::Support { proposal: p.clone(), on_behalf_of: "beta".into() });
    log.ok(del("gamma"), Action::Oppose { proposal: p.clone(), on_behalf_of: "gamma".into() });
    let base_revision = log.state.proposal(&p).unwrap().revision;
    log.ok(cofac(), Action::Decide { proposal: p, decision: Decision::Accept, base_revision, session: None });
    // In another zone, the same instant is named in that zone.
    log.ok(cofac(), Action::SetTimeZone { zone: "Europe/Zurich".into() });
    let late = message(log.table(deadline + 60_000, "5"));
    assert!(late.contains("Saturday 5 December 2026, 00:00 CET (Europe/Zurich)"), "{late}");
    assert!(log.try_act(cofac(), Action::SetTimeZone { zone: "Geneva".into() }).is_err());
    // Lifted, tabling opens again.
    log.ok(cofac(), Action::SetDeadline { until: None, session: None });
    assert!(log.table(deadline + 120_000, "6").is_ok());
    // Only co-facilitators set deadlines.
    let set = Action::SetDeadline { until: Some("2026-12-20T18:00".into()), session: None };
    assert!(matches!(log.try_act(del("alpha"), set), Err(DomainError::Forbidden(_))));
    log.replayed();
}

#[test]
fn silence_unbroken_agrees_everything_and_adoption_follows() {
    let mut log = Log::new(CLEAN);
    let until = ny("2026-12-10T18:00");
    log.ok(cofac(), Action::StartSilence { until: "2026-12-10T18:00:00-05:00".into() });
    let status = log.state.silence_status(until - 1).unwrap();
    assert_eq!(status.state, SilenceState::Running);
    assert_eq!(status.until, "2026-12-10T18:00:00-05:00");
    assert!(status.breaks.is_empty());
    // Under silence the text is frozen, adoption included.
    assert!(message(log.table(until - 10, "3")).contains("under silence until Thursday 10 December 2026"));
    assert!(message(log.try_at(until - 5, cofac(), adopt())).contains("under silence"));
    // Before any event after the deadline, a reader already sees it passed.
    assert_eq!(log.state.silence_status(until).unwrap().state, SilenceState::Passed);
    let seen = log.state.as_of(until);
    assert!(seen.working.paragraphs.iter().all(|p| p.status == Status::Agreed));
    // The first event at or after the deadline settles it: adoption.
    let out = log.try_at(until + 60_000, cofac(), adopt()).unwrap();
    assert_eq!(out.draft.as_deref(), Some("d2"));
    assert!(log.state.silence.as_ref().unwrap().settled);
    let adopted = &log.state.drafts[1];
    assert_eq!(adopted.label, "Text as adopted");
    assert_eq!(adopted.document.date.as_deref(), Some("Text as adopted – 10 December 2026"));
    // Read-only, history kept.
    let refused = message(log.try_act(cofac(), Action::SetTimeZone { zone: "Europe/Paris".into() }));
    assert!(refused.contains("read-only"), "{refused}");
    assert!(message(log.table(until + 120_000, "3")).contains("read-only"));
    assert_eq!(log.state.drafts.len(), 2);
    log.replayed();
}

#[test]
fn silence_broken_by_two_delegations_reopens_their_paragraphs() {
    let mut log = Log::new(CLEAN);
    let until = ny("2026-12-10T18:00");
    log.ok(cofac(), Action::StartSilence { until: "2026-12-10T18:00".into() });
    log.try_at(until - 3_600_000, del("alpha"), break_silence("alpha", &["3"], "The date is premature."))
        .unwrap();
    // In a group's name, by a member; the same paragraph named twice counts once.
    log.try_at(until - 1_000, del("beta"), break_silence("g", &["5", "5"], "Contributions are voluntary."))
        .unwrap();
    assert_eq!(log.status("3"), (Status::Open, Some("silence broken by ALPHA".into())));
    assert_eq!(log.status("5").0, Status::Open);
    // A non-member may not break in a group's name; unknown paragraphs, empty reasons refused.
    let not_member = log.try_at(until - 900, del("alpha"), break_silence("g", &["4"], "No."));
    assert!(matches!(not_member, Err(DomainError::Forbidden(_))));
    assert!(log.try_at(until - 800, del("gamma"), break_silence("gamma", &["99"], "No.")).is_err());
    assert!(log.try_at(until - 700, del("gamma"), break_silence("gamma", &["4"], " ")).is_err());
    assert!(log.try_at(until - 600, del("gamma"), break_silence("gamma", &[], "No.")).is_err());
    // One second late.
    let late = message(log.try_at(until + 1_000, del("gamma"), break_silence("gamma", &["6"], "Too late.")));
    assert!(late.contains("too late") && late.contains("18:00:01 EST"), "{late}");
    let status = log.state.silence_status(until + 1_000).unwrap();
    assert_eq!(status.state, SilenceState::Broken);
    let breaks: Vec<(&str, &str)> =
        status.breaks.iter().map(|b| (b.paragraph.as_str(), b.by.as_str())).collect();
    assert_eq!(breaks, [("3", "alpha"), ("5", "g")]);
    assert_eq!(status.breaks[1].at, "2026-12-10T17:59:59-05:00");
    assert_eq!(status.breaks[0].reason, "The date is premature.");
    // Adoption is refused, naming the reopened paragraphs (the rest is agreed).
    let refused = message(log.try_at(until + 2_000, cofac(), adopt()));
    assert!(refused.contains("2 paragraphs still open: 3, 5"), "{refused}");
    assert!(!refused.contains("title"), "no break names the title: {refused}");
    let seen = log.state.as_of(until + 2_000);
    assert_eq!(seen.working.paragraphs.iter().filter(|p| p.status != Status::Agreed).count(), 2);
    // The co-facilitators settle the reopened paragraphs afterwards.
    log.try_at(
        until + 3_000,
        cofac(),
        Action::ScheduleSession {
            date: "2026-12-11".into(),
            time: String::new(),
            room: String::new(),
            agenda: vec!["3".into(), "5".into()],
        },
    )
    .unwrap();
    assert!(log.state.silence.as_ref().unwrap().settled);
    assert_eq!(log.state.working.paragraphs.iter().filter(|p| p.status != Status::Agreed).count(), 2);
    log.replayed();
}

#[test]
fn silence_needs_a_circulated_text_without_brackets_and_a_future_end() {
    let mut log = Log::new("1. Decides to act by [2030/2035].\n\n2. Requests a report.\n");
    let refused = message(log.try_act(cofac(), Action::StartSilence { until: "2026-12-10T18:00".into() }));
    assert!(refused.contains("no brackets") && refused.contains("1 bracket remain"), "{refused}");
    let mut log = Log::new(CLEAN);
    let past = message(log.try_act(cofac(), Action::StartSilence { until: "2026-11-30T18:00".into() }));
    assert!(past.contains("past"), "{past}");
    let nonsense = message(log.try_act(cofac(), Action::StartSilence { until: "soon".into() }));
    assert!(nonsense.contains("not a date and time"), "{nonsense}");
    assert!(matches!(
        log.try_act(del("alpha"), Action::StartSilence { until: "2026-12-10T18:00".into() }),
        Err(DomainError::Forbidden(_))
    ));
    assert!(log.try_act(del("alpha"), break_silence("alpha", &["3"], "No.")).is_err(), "no silence yet");
}

#[test]
fn adoption_refused_with_every_reason_from_readiness() {
    let mut log = Log::new("Preamble\n\n1. Recalling,\n\n2. Decides to act by [2030/2035].\n");
    let refused = message(log.try_act(cofac(), adopt()));
    for want in ["2 paragraphs still open", "1 bracket remain"] {
        assert!(refused.contains(want), "{want}: {refused}");
    }
}

/// Resolves every bracket of the working text (keeping the first
/// alternative, or the text) and agrees every paragraph.
fn resolve_and_agree(log: &mut Log) {
    loop {
        let next = log.state.working.paragraphs.iter().find(|p| !p.brackets.is_empty()).map(|p| {
            let resolution = match p.brackets[0].alternatives {
                Some(_) => BracketResolution::Choose { alternative: 0 },
                None => BracketResolution::Keep,
            };
            (p.id.clone(), resolution)
        });
        let Some((paragraph, resolution)) = next else { break };
        let base_revision = log.state.paragraph_revision(&paragraph);
        let action =
            Action::ResolveBracket { paragraph, bracket: 0, resolution, base_revision, session: None };
        log.ok(cofac(), action);
    }
    let ids: Vec<String> = log.state.working.paragraphs.iter().map(|p| p.id.clone()).collect();
    for paragraph in ids {
        let base_revision = log.state.paragraph_revision(&paragraph);
        let action =
            Action::SetStatus { paragraph, status: Status::Agreed, note: None, base_revision, session: None };
        log.ok(cofac(), action);
    }
}

#[test]
fn the_seed_adopted_parses_back_clean_renumbered_with_its_preamble_unnumbered() {
    let seed = common::read_shared("seeds/000_a85ec3b89659f1a1.txt");
    let mut log = Log::new(&seed);
    // A proposal on a paragraph that will be renumbered.
    let p = log.table(log.clock + 1, "20").unwrap().proposal.unwrap();
    resolve_and_agree(&mut log);
    // The title is still suggested for closure: silence settles it.
    assert!(message(log.try_act(cofac(), adopt())).contains("the title is suggested-for-closure"));
    let until = log.clock + 3_600_000;
    log.ok(cofac(), Action::StartSilence { until: accord_core::negotiation::rfc3339(until) });
    log.try_at(
        until,
        cofac(),
        Action::Adopt { date: Some("16 December 2015".into()), canonical: None, lineage: None },
    )
    .unwrap();
    let text = log.state.adopted_text().unwrap();
    assert!(text.contains("\nText as adopted – 16 December 2015\n"), "{}", &text[..300]);
    assert!(text.contains("\nThe General Assembly,\n"));
    let back = parse(&text);
    assert!(back.paragraphs.iter().all(|p| p.brackets.is_empty()), "no bracket");
    assert!(back.paragraphs.iter().all(|p| p.status == Status::Open && p.status_note.is_none()), "no tag");
    assert_eq!(back.title_status, Status::Open);
    assert!(!text.contains('[') && !text.contains("Suggested for Closure"));
    let preamble: Vec<_> = back.paragraphs.iter().filter(|p| p.kind == ParagraphKind::Preambular).collect();
    let operative: Vec<_> =
        back.paragraphs.iter().filter(|p| p.kind == ParagraphKind::Operative && p.parent.is_none()).collect();
    assert_eq!(preamble.len(), 6, "{:?}", preamble.iter().map(|p| &p.text[..20]).collect::<Vec<_>>());
    assert!(preamble.iter().all(|p| p.number.is_none()));
    assert_eq!(preamble[0].text, "The General Assembly,");
    assert!(preamble[1].text.starts_with("Recalling the request in paragraph 111"), "{}", preamble[1].text);
    let numbers: Vec<String> = operative.iter().map(|p| p.number.clone().unwrap_or_default()).collect();
    let want: Vec<String> = (1..=65).map(|n| n.to_string()).collect();
    assert_eq!(numbers, want, "operative paragraphs numbered from 1 without gaps");
    // Lineage: every paragraph of the draft finds its place; the proposal follows.
    let adopted = log.state.latest().unwrap();
    assert_eq!(adopted.lineage.get("6").cloned().flatten().as_deref(), Some("1"));
    assert_eq!(adopted.lineage.get("1").cloned().flatten().as_deref(), Some("P2"));
    assert!(adopted.lineage.values().all(Option::is_some));
    let proposal = log.state.proposal(&p).unwrap();
    assert_eq!(proposal.current.as_ref().map(|c| c[1].as_str()), Some("15"));
    log.replayed();
}
