//! The negotiation domain without a server: events applied to a process's
//! state, the rules of who may do what, every kind of proposal accepted into
//! the working text, the next revision renumbered with its lineage, and the
//! log replayed to the same state.

use accord_core::negotiation::{
    Action, Actor, BracketResolution, Contested, Decision, DomainError, Edit, Event, Outcome, Participant,
    ParticipantKind, ProcessInfo, ProcessState, ProposalState, Publication,
};
use accord_core::{canonical, Status};

const DRAFT: &str = "Preamble\n\n1. Recalling its resolution 70/1,\n\n2. Noting the report,\n\n\
Operative\n\n3. Decides to act by [2030/2035].\n\n4. Requests a report [in due course].\n\n\
5. Invites all States to contribute.\n\n6. Decides to remain seized of the matter.\n";

struct Log {
    state: ProcessState,
    events: Vec<Event>,
    clock: i64,
}

fn secretariat() -> Actor {
    Actor::Secretariat { name: "Ana".into() }
}
fn cofac() -> Actor {
    Actor::CoFacilitator { name: "Norland".into() }
}
fn del(d: &str) -> Actor {
    Actor::Delegation { delegation: d.into() }
}

impl Log {
    fn new() -> Log {
        Log::with_draft(accord_core::parse(DRAFT))
    }

    fn with_draft(draft: accord_core::Draft) -> Log {
        let mut log = Log { state: ProcessState::new("p"), events: Vec::new(), clock: 1_000 };
        let info = ProcessInfo {
            title: "Test".into(),
            co_facilitators: vec!["Norland".into()],
            ..Default::default()
        };
        log.ok(secretariat(), Action::CreateProcess { info });
        for (id, kind, members) in [
            ("alpha", ParticipantKind::MemberState, vec![]),
            ("beta", ParticipantKind::MemberState, vec![]),
            ("g", ParticipantKind::Group, vec!["beta".to_string()]),
        ] {
            let participant = Participant { id: id.into(), name: id.to_uppercase(), kind, members };
            log.ok(secretariat(), Action::AddParticipant { participant });
        }
        let canonical = canonical::write(&draft);
        log.ok(
            cofac(),
            Action::ImportDraft {
                label: "Zero draft".into(),
                canonical,
                publication: Publication::Circulated,
                lineage: None,
            },
        );
        log
    }

    fn try_act(&mut self, actor: Actor, mut action: Action) -> Result<Outcome, DomainError> {
        self.clock += 1;
        self.state.prepare(&mut action, &actor);
        let event = Event {
            process: "p".into(),
            seq: self.state.seq + 1,
            at_ms: self.clock,
            actor,
            against: self.state.latest().map(|d| d.id.clone()),
            idempotency_key: None,
            action,
        };
        let before = serde_json::to_value(&self.state).unwrap();
        let out = self.state.apply(&event);
        match &out {
            Ok(_) => self.events.push(event),
            // A refused event changes nothing.
            Err(_) => assert_eq!(serde_json::to_value(&self.state).unwrap(), before),
        }
        out
    }

    fn ok(&mut self, actor: Actor, action: Action) -> Outcome {
        let name = action.name();
        self.try_act(actor, action).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn table(&mut self, by: &str, behalf: &str, paragraph: &str, edit: Edit) -> String {
        let draft = self.state.latest().unwrap().id.clone();
        let action = Action::TableProposal {
            draft,
            paragraph: paragraph.into(),
            on_behalf_of: behalf.into(),
            edit,
            rationale: None,
            citation: None,
        };
        self.ok(del(by), action).proposal.unwrap()
    }

    fn accept(&mut self, proposal: &str) {
        let base_revision = self.state.proposal(proposal).unwrap().revision;
        self.ok(
            cofac(),
            Action::Decide {
                proposal: proposal.into(),
                decision: Decision::Accept,
                base_revision,
                session: None,
            },
        );
    }

    fn text(&self, draft: usize, id: &str) -> String {
        let d = &self.state.drafts[draft].document;
        d.paragraphs.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no {id}")).text.clone()
    }
}

fn span(text: &str, phrase: &str) -> [u32; 2] {
    accord_core::negotiation::phrase_span(text, phrase).unwrap()
}

#[test]
fn who_may_do_what() {
    let mut log = Log::new();
    let table = |on_behalf: &str| Action::TableProposal {
        draft: "d1".into(),
        paragraph: "5".into(),
        on_behalf_of: on_behalf.into(),
        edit: Edit::DeleteParagraph,
        rationale: None,
        citation: None,
    };
    // A delegation in its own name or its group's; not another's, not a group it is not in.
    assert!(log.try_act(del("alpha"), table("alpha")).is_ok());
    assert!(log.try_act(del("beta"), table("g")).is_ok());
    assert!(matches!(log.try_act(del("alpha"), table("beta")), Err(DomainError::Forbidden(_))));
    assert!(matches!(log.try_act(del("alpha"), table("g")), Err(DomainError::Forbidden(_))));
    // Co-facilitators do not table; delegations do not decide or set statuses; the secretariat does neither.
    assert!(matches!(log.try_act(cofac(), table("alpha")), Err(DomainError::Forbidden(_))));
    let status = |actor: Actor, log: &mut Log| {
        let base_revision = log.state.paragraph_revision("3");
        log.try_act(
            actor,
            Action::SetStatus {
                paragraph: "3".into(),
                status: Status::Agreed,
                note: None,
                base_revision,
                session: None,
            },
        )
    };
    assert!(matches!(status(del("alpha"), &mut log), Err(DomainError::Forbidden(_))));
    assert!(matches!(status(secretariat(), &mut log), Err(DomainError::Forbidden(_))));
    assert!(matches!(
        status(Actor::CoFacilitator { name: "Impostor".into() }, &mut log),
        Err(DomainError::Forbidden(_))
    ));
    assert!(status(cofac(), &mut log).is_ok());
    // Only the author (or a member of the authoring group) withdraws.
    assert!(matches!(
        log.try_act(del("alpha"), Action::Withdraw { proposal: "p2".into() }),
        Err(DomainError::Forbidden(_))
    ));
    assert!(log.try_act(del("beta"), Action::Withdraw { proposal: "p2".into() }).is_ok());
}

#[test]
fn every_kind_of_proposal_lands_in_the_next_revision_with_renumbering_and_lineage() {
    let mut log = Log::new();
    let p3 = log.text(0, "3");
    let p4 = log.text(0, "4");
    let insert = log.table(
        "alpha",
        "alpha",
        "5",
        Edit::Insert { at: span(&log.text(0, "5"), "States")[1], text: " and organizations".into() },
    );
    let replace =
        log.table("beta", "g", "3", Edit::Replace { span: span(&p3, "act"), text: "take action".into() });
    let delete = log.table("alpha", "alpha", "4", Edit::Delete { span: span(&p4, " [in due course]") });
    let bracket =
        log.table("alpha", "alpha", "2", Edit::Bracket { span: span(&log.text(0, "2"), "the report") });
    let alternatives = log.table(
        "beta",
        "beta",
        "6",
        Edit::Alternatives {
            span: span(&log.text(0, "6"), "remain seized"),
            alternatives: vec!["consider".into()],
        },
    );
    let add = log.table("alpha", "alpha", "3", Edit::AddParagraph { text: "Urges States to report.".into() });
    let moved = log.table("beta", "beta", "6", Edit::MoveParagraph { after: Some("3".into()) });
    let gone = log.table("alpha", "alpha", "1", Edit::DeleteParagraph);
    let live = log.table("beta", "beta", "5", Edit::Bracket { span: [0, 7] });
    for p in [&insert, &replace, &delete, &bracket, &alternatives, &add, &moved, &gone] {
        log.accept(p);
    }
    // A bracket resolved and a status set, from the current revision.
    let base = log.state.paragraph_revision("3");
    log.ok(
        cofac(),
        Action::ResolveBracket {
            paragraph: "3".into(),
            bracket: 0,
            resolution: BracketResolution::Choose { alternative: 0 },
            base_revision: base,
            session: None,
        },
    );
    // The same revision again is a conflict carrying the paragraph as it is now.
    match log.try_act(
        cofac(),
        Action::SetStatus {
            paragraph: "3".into(),
            status: Status::Agreed,
            note: None,
            base_revision: base,
            session: None,
        },
    ) {
        Err(DomainError::Conflict { current: Contested::Paragraph(p), .. }) => {
            assert_eq!(p.paragraph.text, "Decides to take action by 2030.")
        }
        other => panic!("{other:?}"),
    }
    let out = log.ok(
        cofac(),
        Action::ProduceRevision {
            label: "Rev.1".into(),
            date: Some("1 May".into()),
            publication: Publication::Circulated,
            canonical: None,
            lineage: None,
        },
    );
    assert_eq!(out.draft.as_deref(), Some("d2"));
    let rev = &log.state.drafts[1].document;
    let numbered: Vec<(&str, &str)> =
        rev.paragraphs.iter().map(|p| (p.number.as_deref().unwrap_or(""), p.text.as_str())).collect();
    assert_eq!(
        numbered,
        [
            ("1", "Noting [the report],"),
            ("2", "Decides to take action by 2030."),
            // Moved after 3 once "3 bis" was already there: it comes first.
            ("3", "Decides to [remain seized/consider] of the matter."),
            ("4", "Urges States to report."),
            ("5", "Requests a report."),
            ("6", "Invites all States and organizations to contribute."),
        ]
    );
    assert_eq!(rev.date.as_deref(), Some("1 May"));
    assert!(rev.letters[0].body.join(" ").contains("Rev.1"));
    // Lineage: every proposal knows where its paragraph went.
    let at = |id: &str| log.state.proposal(id).unwrap().current.clone().map(|c| c[1].clone());
    assert_eq!(at(&live), Some("6".into()), "5 became 6");
    assert_eq!(log.state.proposal(&live).unwrap().state, ProposalState::Live);
    assert_eq!(at(&gone), None);
    assert_eq!(log.state.proposal(&add).unwrap().incorporated_in.as_deref(), Some("d2"));
    assert_eq!(log.state.drafts[1].lineage.get("1"), Some(&None));
    assert_eq!(log.state.drafts[1].lineage.get("6"), Some(&Some("3".into())));
    // Replaying the log from empty gives the same state.
    let replayed = ProcessState::replay("p", &log.events).unwrap();
    assert_eq!(serde_json::to_value(&replayed).unwrap(), serde_json::to_value(&log.state).unwrap());
}

#[test]
fn an_accepted_edit_follows_its_words_and_refuses_when_they_are_gone() {
    let mut log = Log::new();
    let p3 = log.text(0, "3");
    let first = log.table(
        "alpha",
        "alpha",
        "3",
        Edit::Replace { span: span(&p3, "Decides"), text: "Resolves".into() },
    );
    let second = log.table("beta", "beta", "3", Edit::Delete { span: span(&p3, "Decides to ") });
    log.accept(&first);
    // The words the second proposal deletes are no longer there: a conflict, not a guess.
    let base_revision = log.state.proposal(&second).unwrap().revision;
    match log.try_act(
        cofac(),
        Action::Decide { proposal: second.clone(), decision: Decision::Accept, base_revision, session: None },
    ) {
        Err(DomainError::Conflict { message, .. }) => {
            assert!(message.contains("no longer in the paragraph"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(log.state.proposal(&second).unwrap().state, ProposalState::Live);
    // A proposal that moved on (revised) cannot be decided on its old revision.
    log.ok(
        del("beta"),
        Action::Revise {
            proposal: second.clone(),
            base_revision,
            edit: Edit::Delete { span: span(&p3, " by [2030/2035]") },
            rationale: None,
        },
    );
    assert!(matches!(
        log.try_act(
            cofac(),
            Action::Decide {
                proposal: second.clone(),
                decision: Decision::SetAside,
                base_revision,
                session: None
            }
        ),
        Err(DomainError::Conflict { .. })
    ));
    log.accept(&second);
    let working = log.state.working.paragraphs.iter().find(|p| p.id == "3").unwrap();
    assert_eq!(working.text, "Resolves to act.");
}

#[test]
fn malformed_requests_are_refused_and_change_nothing() {
    let mut log = Log::new();
    let t = |paragraph: &str, edit: Edit| Action::TableProposal {
        draft: "d1".into(),
        paragraph: paragraph.into(),
        on_behalf_of: "alpha".into(),
        edit,
        rationale: None,
        citation: None,
    };
    assert!(matches!(
        log.try_act(del("alpha"), t("99", Edit::DeleteParagraph)),
        Err(DomainError::NotFound(_))
    ));
    assert!(matches!(
        log.try_act(del("alpha"), t("3", Edit::Delete { span: [5, 500] })),
        Err(DomainError::Invalid(_))
    ));
    assert!(matches!(
        log.try_act(del("alpha"), t("3", Edit::Delete { span: [5, 5] })),
        Err(DomainError::Invalid(_))
    ));
    assert!(matches!(
        log.try_act(
            del("alpha"),
            t("3", Edit::Alternatives { span: [0, 7], alternatives: vec!["a/b".into()] })
        ),
        Err(DomainError::Invalid(_))
    ));
    assert!(matches!(
        log.try_act(del("alpha"), t("3", Edit::AddParagraph { text: "x\u{0}".into() })),
        Err(DomainError::Invalid(_))
    ));
    assert!(matches!(
        log.try_act(del("alpha"), t("3", Edit::AddParagraph { text: "x".repeat(70_000) })),
        Err(DomainError::Invalid(_))
    ));
    // Out of order or for another process: refused.
    let event = Event {
        process: "p".into(),
        seq: 99,
        at_ms: 0,
        actor: secretariat(),
        against: None,
        idempotency_key: None,
        action: Action::RecordDecision { session: "s1".into(), text: "x".into(), paragraphs: vec![] },
    };
    assert!(matches!(log.state.apply(&event), Err(DomainError::Conflict { .. })));
    assert!(matches!(
        log.state.apply(&Event { process: "q".into(), seq: log.state.seq + 1, ..event }),
        Err(DomainError::Invalid(_))
    ));
}

/// A delegation that may not read a proposal's draft (it was set back to
/// internal) is answered as if the proposal did not exist, whatever it tries.
#[test]
fn a_proposal_one_may_not_read_is_a_proposal_that_does_not_exist() {
    let mut log = Log::new();
    let p3 = log.text(0, "3");
    let id = log.table("alpha", "alpha", "3", Edit::Replace { span: span(&p3, "act"), text: "work".into() });
    let withdrawn = log.table("alpha", "alpha", "4", Edit::DeleteParagraph);
    log.ok(del("alpha"), Action::Withdraw { proposal: withdrawn.clone() });
    log.ok(cofac(), Action::Publish { draft: "d1".into(), publication: Publication::Internal });
    let attempts = |p: &str| {
        vec![
            (del("beta"), Action::Support { proposal: p.into(), on_behalf_of: "beta".into() }),
            (del("beta"), Action::Oppose { proposal: p.into(), on_behalf_of: "g".into() }),
            (
                del("alpha"),
                Action::Revise {
                    proposal: p.into(),
                    base_revision: 0,
                    edit: Edit::DeleteParagraph,
                    rationale: None,
                },
            ),
            (del("alpha"), Action::Withdraw { proposal: p.into() }),
        ]
    };
    for p in [id.as_str(), withdrawn.as_str(), "p99"] {
        for (actor, action) in attempts(p) {
            let name = action.name();
            match log.try_act(actor, action) {
                Err(DomainError::NotFound(m)) => assert_eq!(m, format!("no proposal `{p}`"), "{name}"),
                other => panic!("{name} on {p}: {other:?}"),
            }
        }
    }
    // Circulated again, the withdrawn one is a conflict that shows only
    // what the delegation may read: not where it stands in an internal draft.
    log.ok(cofac(), Action::Publish { draft: "d1".into(), publication: Publication::Circulated });
    log.ok(
        cofac(),
        Action::ProduceRevision {
            label: "Rev.1".into(),
            date: None,
            publication: Publication::Internal,
            canonical: None,
            lineage: None,
        },
    );
    match log
        .try_act(del("beta"), Action::Support { proposal: withdrawn.clone(), on_behalf_of: "beta".into() })
    {
        Err(DomainError::Conflict { current: Contested::Proposal(p), .. }) => {
            assert_eq!(p.id, withdrawn);
            assert_eq!(p.current, None, "d2 is internal");
        }
        other => panic!("{other:?}"),
    }
    let seen = log.state.proposal(&withdrawn).unwrap().current.clone();
    assert_eq!(seen.map(|[d, _]| d), Some("d2".to_string()), "the co-facilitators see where it stands");
}

/// Malformed proposals are refused with a message naming what is wrong.
#[test]
fn refusals_name_what_is_wrong() {
    let mut log = Log::new();
    let refuse = |log: &mut Log, paragraph: &str, edit: Edit, citation: Option<String>| {
        let action = Action::TableProposal {
            draft: "d1".into(),
            paragraph: paragraph.into(),
            on_behalf_of: "alpha".into(),
            edit,
            rationale: None,
            citation,
        };
        match log.try_act(del("alpha"), action) {
            Err(e) => e,
            Ok(o) => panic!("accepted: {o:?}"),
        }
    };
    let e = refuse(&mut log, "3", Edit::Delete { span: [9, 3] }, None);
    assert_eq!(e.to_string(), "span [9, 3] is reversed: it ends before it starts");
    let e = refuse(&mut log, "3", Edit::DeleteParagraph, Some("r".repeat(1 << 20)));
    assert!(e.to_string().starts_with("the citation is 1048576 bytes"), "{e}");
    let alternatives = vec!["a".repeat(40_000), "b".repeat(40_000)];
    let e = refuse(&mut log, "3", Edit::Alternatives { span: [0, 7], alternatives }, None);
    assert!(e.to_string().starts_with("the 2 alternatives are 80002 bytes together"), "{e}");
    let e = refuse(&mut log, "5", Edit::MoveParagraph { after: Some("5".into()) }, None);
    assert_eq!(e, DomainError::Invalid("paragraph 5 cannot move after itself".into()));

    // A paragraph the co-facilitators took out of the working text.
    let gone = log.table("alpha", "alpha", "6", Edit::DeleteParagraph);
    log.accept(&gone);
    let e = refuse(&mut log, "6", Edit::Delete { span: [0, 7] }, None);
    assert!(matches!(&e, DomainError::Conflict { .. }), "{e:?}");
    assert!(e.to_string().contains("deleted from the working text"), "{e}");
}

/// A span edge inside a letter written with a combining mark is refused.
#[test]
fn a_span_never_splits_a_letter_from_its_marks() {
    let draft = "Operative\n\n1. De\u{301}cide d'agir.\n";
    let mut log = Log::new();
    let canonical = canonical::write(&accord_core::parse(draft));
    let import = Action::ImportDraft {
        label: "Rev.1".into(),
        canonical,
        publication: Publication::Circulated,
        lineage: None,
    };
    log.ok(cofac(), import);
    let table = |span: [u32; 2]| Action::TableProposal {
        draft: "d2".into(),
        paragraph: "1".into(),
        on_behalf_of: "alpha".into(),
        edit: Edit::Replace { span, text: "Decides".into() },
        rationale: None,
        citation: None,
    };
    match log.try_act(del("alpha"), table([0, 2])) {
        Err(DomainError::Invalid(m)) => assert!(m.contains("falls inside \"e\u{301}\""), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(log.try_act(del("alpha"), table([0, 6])).is_ok());
}

/// A delegation's add-paragraph of 30,000 nested pairs, once accepted, made
/// the working text's JSON grow with the square of its length (a 60 KB
/// paragraph answered 902 MB); now its brackets stop at the depth cap.
#[test]
fn a_deeply_bracketed_proposal_stays_linear_in_the_working_text() {
    let mut log = Log::new();
    let text = format!("Decides {}to act{}.", "[".repeat(30_000), "]".repeat(30_000));
    let id = log.table("alpha", "alpha", "6", Edit::AddParagraph { text: text.clone() });
    log.accept(&id);
    let p = log.state.working.paragraphs.iter().find(|p| p.text == text).expect("added");
    assert_eq!(p.brackets.len(), accord_core::MAX_BRACKET_DEPTH as usize);
    let json = serde_json::to_string(&log.state.working_paragraphs()).unwrap();
    assert!(json.len() < 20 * text.len() + 10_000, "{} bytes of JSON", json.len());
}

/// Rules added since an event was recorded do not refuse it on replay: a
/// support the old rules let through (on a proposal whose draft had gone
/// internal) and a span inside a letter with its marks are still history.
#[test]
fn a_log_recorded_under_older_rules_still_replays() {
    let mut log = Log::new();
    let p3 = log.text(0, "3");
    let id = log.table("alpha", "alpha", "3", Edit::Replace { span: span(&p3, "act"), text: "work".into() });
    log.ok(cofac(), Action::Publish { draft: "d1".into(), publication: Publication::Internal });
    let mut events = log.events.clone();
    let next = |action: Action, actor: Actor| Event {
        process: "p".into(),
        seq: events.len() as u64 + 1,
        at_ms: 9_000 + events.len() as i64,
        actor,
        against: Some("d1".into()),
        idempotency_key: None,
        action,
    };
    let support = next(Action::Support { proposal: id.clone(), on_behalf_of: "beta".into() }, del("beta"));
    assert!(matches!(log.state.clone().apply(&support), Err(DomainError::NotFound(_))));
    events.push(support);
    let mut state = ProcessState::replay("p", &events).expect("the old support replays");
    assert_eq!(state.proposal(&id).unwrap().supporters, vec!["beta".to_string()]);

    // A span edge inside "e + ◌́", accepted before spans kept letters whole.
    let draft = canonical::write(&accord_core::parse("Operative\n\n1. De\u{301}cide.\n"));
    let import = Action::ImportDraft {
        label: "Rev.1".into(),
        canonical: draft,
        publication: Publication::Circulated,
        lineage: None,
    };
    let mut import = Event { seq: state.seq + 1, action: import, actor: cofac(), ..events[0].clone() };
    state.prepare(&mut import.action, &cofac());
    state.apply(&import).unwrap();
    let split = Event {
        seq: state.seq + 1,
        actor: del("alpha"),
        action: Action::TableProposal {
            draft: "d2".into(),
            paragraph: "1".into(),
            on_behalf_of: "alpha".into(),
            edit: Edit::Delete { span: [1, 2] },
            rationale: None,
            citation: None,
        },
        ..events[0].clone()
    };
    assert!(matches!(state.clone().apply(&split), Err(DomainError::Invalid(_))));
    assert!(state.apply_recorded(&split).is_ok());
}

/// Issue 15: a proposal tabled in a group's name is revised or withdrawn
/// only by the delegation that tabled it or the group's focal point (its
/// first member); another member is refused, naming who may; the state
/// records who revised and who withdrew.
#[test]
fn only_the_tabler_or_the_focal_point_changes_a_group_proposal() {
    let mut log = Log::new();
    for (id, kind, members) in [
        ("gamma", ParticipantKind::MemberState, vec![]),
        ("delta", ParticipantKind::MemberState, vec![]),
        ("h", ParticipantKind::Group, vec!["alpha".to_string(), "gamma".to_string(), "delta".to_string()]),
    ] {
        let participant = Participant { id: id.into(), name: id.to_uppercase(), kind, members };
        log.ok(secretariat(), Action::AddParticipant { participant });
    }
    let text = log.text(0, "5");
    let edit = |t: &str| Edit::Replace { span: span(&text, "all States"), text: t.into() };
    let revise = |log: &Log, p: &str, t: &str| Action::Revise {
        proposal: p.into(),
        base_revision: log.state.proposal(p).unwrap().revision,
        edit: edit(t),
        rationale: None,
    };
    // Gamma tables in the group's name; Delta (another member) may not revise or withdraw it.
    let p = log.table("gamma", "h", "5", edit("Member States"));
    let refused = log.try_act(del("delta"), revise(&log, &p, "all Member States"));
    match refused {
        Err(DomainError::Forbidden(m)) => {
            assert!(m.contains("GAMMA (who tabled it)") && m.contains("ALPHA (the focal point of H)"), "{m}")
        }
        other => panic!("another member revised a colleague's proposal: {other:?}"),
    }
    assert!(matches!(
        log.try_act(del("delta"), Action::Withdraw { proposal: p.clone() }),
        Err(DomainError::Forbidden(_))
    ));
    // Delta may still support it in the group's name or its own.
    log.ok(del("delta"), Action::Support { proposal: p.clone(), on_behalf_of: "delta".into() });
    // The tabler revises; the state says who.
    log.ok(del("gamma"), revise(&log, &p, "all Member States"));
    assert_eq!(log.state.proposal(&p).unwrap().revised_by.as_deref(), Some("gamma"));
    // The focal point revises and withdraws it.
    log.ok(del("alpha"), revise(&log, &p, "every Member State"));
    assert_eq!(log.state.proposal(&p).unwrap().revised_by.as_deref(), Some("alpha"));
    log.ok(del("alpha"), Action::Withdraw { proposal: p.clone() });
    let q = log.state.proposal(&p).unwrap();
    assert_eq!((q.state, q.withdrawn_by.as_deref()), (ProposalState::Withdrawn, Some("alpha")));
    // A proposal in a delegation's own name: only that delegation (no focal point).
    let own = log.table("gamma", "gamma", "5", edit("States Members"));
    assert!(matches!(
        log.try_act(del("alpha"), Action::Withdraw { proposal: own.clone() }),
        Err(DomainError::Forbidden(_)) | Err(DomainError::NotFound(_))
    ));
    // The same after a replay of the log.
    let mut replayed = ProcessState::new("p");
    for e in &log.events {
        replayed.apply(e).unwrap();
    }
    assert_eq!(replayed.proposal(&p).unwrap().withdrawn_by.as_deref(), Some("alpha"));

    // A withdrawal by another member, recorded when any member could, replays.
    let q = log.table("gamma", "h", "5", edit("the States"));
    let old = Event {
        process: "p".into(),
        seq: log.state.seq + 1,
        at_ms: 99_000,
        actor: del("delta"),
        against: Some("d1".into()),
        idempotency_key: None,
        action: Action::Withdraw { proposal: q.clone() },
    };
    assert!(matches!(log.state.clone().apply(&old), Err(DomainError::Forbidden(_))));
    let mut events = log.events.clone();
    events.push(old);
    let state = ProcessState::replay("p", &events).expect("the old withdrawal replays");
    assert_eq!(state.proposal(&q).unwrap().withdrawn_by.as_deref(), Some("delta"));
}

#[test]
fn a_delegations_live_proposals_on_a_draft_are_bounded() {
    use accord_core::negotiation::MAX_LIVE_PROPOSALS;
    let mut log = Log::new();
    let tabling_for = |by: &str, n: usize| Action::TableProposal {
        draft: "d1".into(),
        paragraph: "5".into(),
        on_behalf_of: by.into(),
        edit: Edit::Insert { at: 0, text: format!("Also {n}, ") },
        rationale: None,
        citation: None,
    };
    let tabling = |n: usize| tabling_for("alpha", n);
    // Applied directly: the helper's before/after snapshot of the whole
    // state per event would make this quadratic.
    let event = |state: &ProcessState, actor: Actor, action: Action| Event {
        process: "p".into(),
        seq: state.seq + 1,
        at_ms: 10_000 + state.seq as i64,
        actor,
        against: Some("d1".into()),
        idempotency_key: None,
        action,
    };
    for n in 0..MAX_LIVE_PROPOSALS {
        let e = event(&log.state, del("alpha"), tabling(n));
        log.state.apply(&e).unwrap_or_else(|err| panic!("proposal {n}: {err}"));
        log.events.push(e);
    }
    let one_more = event(&log.state, del("alpha"), tabling(MAX_LIVE_PROPOSALS));
    let err = log.state.clone().apply(&one_more).unwrap_err();
    assert!(matches!(err, DomainError::Invalid(_)), "{err}");
    assert!(err.to_string().contains("already has 2000 live proposals on draft `d1`"), "{err}");
    // Another delegation is not held back by alpha's.
    let beta = tabling_for("beta", 0);
    assert!(log.state.clone().apply(&event(&log.state, del("beta"), beta)).is_ok());
    // A log recorded before the bound replays whole.
    let mut replayed = ProcessState::replay("p", &log.events).unwrap();
    assert!(replayed.apply_recorded(&one_more).is_ok());
    // Withdrawing one frees a place.
    let withdraw = event(&log.state, del("alpha"), Action::Withdraw { proposal: "p1".into() });
    log.state.apply(&withdraw).unwrap();
    let again = event(&log.state, del("alpha"), tabling(MAX_LIVE_PROPOSALS));
    assert!(log.state.apply(&again).is_ok());
}

/// Emphasis travels in the log inside the canonical draft, follows accepted
/// edits by the rule of `accord_core::emphasis`, lands in the next revision,
/// and the log replays to the same state.
#[test]
fn emphasis_follows_accepted_edits_into_the_revision_and_replays() {
    use accord_core::{Emphasis, EmphasisKind::*};
    let mut draft = accord_core::parse(DRAFT);
    let italic = |start, end| Emphasis { kind: Italic, start, end };
    // "Recalling its resolution" italic (a verb and more, to see a word replaced inside it).
    draft.paragraphs[0].emphasis = vec![italic(0, 24)];
    // "Noting" italic, "the report" bold.
    draft.paragraphs[1].emphasis = vec![italic(0, 6), Emphasis { kind: Bold, start: 7, end: 17 }];
    let mut log = Log::with_draft(draft);
    assert_eq!(log.state.drafts[0].document.paragraphs[0].emphasis, [italic(0, 24)]);
    let p1 = log.text(0, "1");
    let inside =
        log.table("alpha", "alpha", "1", Edit::Replace { span: span(&p1, "its"), text: "all its".into() });
    let p2 = log.text(0, "2");
    let at_edge = log.table(
        "beta",
        "beta",
        "2",
        Edit::Insert { at: span(&p2, "Noting")[1], text: " with concern".into() },
    );
    log.accept(&inside);
    log.accept(&at_edge);
    let working = |id: &str| log.state.working.paragraphs.iter().find(|p| p.id == id).unwrap().clone();
    assert_eq!(working("1").text, "Recalling all its resolution 70/1,");
    assert_eq!(working("1").emphasis, [italic(0, 28)], "words replaced inside the span stay italic");
    assert_eq!(working("2").text, "Noting with concern the report,");
    assert_eq!(working("2").emphasis, [italic(0, 6), Emphasis { kind: Bold, start: 20, end: 30 }]);
    log.ok(
        cofac(),
        Action::ProduceRevision {
            label: "Rev.1".into(),
            date: None,
            publication: Publication::Circulated,
            canonical: None,
            lineage: None,
        },
    );
    let rev = &log.state.drafts[1].document;
    assert_eq!(rev.paragraphs[0].emphasis, [italic(0, 28)]);
    let replayed = ProcessState::replay("p", &log.events).unwrap();
    assert_eq!(serde_json::to_value(&replayed).unwrap(), serde_json::to_value(&log.state).unwrap());
    // A canonical draft of before emphasis (no attribute) reads as none and
    // writes back byte for byte.
    let old = canonical::write(&accord_core::parse(DRAFT));
    assert!(!old.contains("emphasis"));
    assert_eq!(canonical::write(&canonical::read(&old)), old);
}

/// Issue 15: a delegation takes back its stance (its own or its group's);
/// the proposal is as if it had taken none, the take-back is refused where
/// there is no stance or the name is not the delegation's to speak for, and
/// the log replays to the same state.
#[test]
fn a_stance_is_taken_back_by_whom_it_speaks_for() {
    let mut log = Log::new();
    let text = log.text(0, "3");
    let p = log.table("alpha", "alpha", "3", Edit::Replace { span: span(&text, "act"), text: "work".into() });
    let take_back = |who: &str| Action::WithdrawStance { proposal: p.clone(), on_behalf_of: who.into() };
    log.ok(del("beta"), Action::Support { proposal: p.clone(), on_behalf_of: "beta".into() });
    log.ok(del("beta"), Action::Oppose { proposal: p.clone(), on_behalf_of: "g".into() });
    let before = log.state.proposal(&p).unwrap().revision;
    log.ok(del("beta"), take_back("beta"));
    let q = log.state.proposal(&p).unwrap();
    assert_eq!((q.supporters.clone(), q.opponents.clone()), (vec![], vec!["g".to_string()]));
    assert!(q.revision > before, "a take-back is a change of the proposal");
    // Nothing left to take back in that name; the author never had a stance.
    for (actor, who) in [("beta", "beta"), ("alpha", "alpha")] {
        match log.try_act(del(actor), take_back(who)) {
            Err(DomainError::Invalid(m)) => assert!(m.contains(who) && m.contains(&p), "{m}"),
            other => panic!("{actor} took back {who}'s stance that was none: {other:?}"),
        }
    }
    // Alpha may not take back the group's opposition: it does not speak for G.
    assert!(matches!(log.try_act(del("alpha"), take_back("g")), Err(DomainError::Forbidden(_))));
    log.ok(del("beta"), take_back("g"));
    let q = log.state.proposal(&p).unwrap();
    assert!(q.supporters.is_empty() && q.opponents.is_empty(), "{q:?}");
    // Taken again after a take-back.
    log.ok(del("beta"), Action::Support { proposal: p.clone(), on_behalf_of: "g".into() });
    let mut replayed = ProcessState::new("p");
    for e in &log.events {
        replayed.apply(e).unwrap();
    }
    assert_eq!(replayed.proposal(&p), log.state.proposal(&p));
    assert_eq!(replayed.proposal(&p).unwrap().supporters, vec!["g".to_string()]);
}
