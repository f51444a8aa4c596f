//! A delegation's marked-up Word file as proposals: one per change,
//! attributed through the author map, comments as rationale, what cannot be
//! placed said, unknown authors refused.

mod docx_support;

use accord_core::negotiation::Edit;
use accord_formats::docx::{self, proposals};
use docx_support::*;

#[test]
fn each_change_becomes_an_attributed_proposal() {
    let import = docx::read(&marked_up()).unwrap();
    let authors = proposals::AuthorMap::parse(["Norway=norway", "G77=g77", "European Union=eu"]).unwrap();
    let out = proposals::proposals(&import, &authors, &[]).unwrap();
    let got: Vec<(&str, &str, &Edit, &str)> = out
        .proposals
        .iter()
        .map(|p| (p.paragraph.as_str(), p.on_behalf_of.as_str(), &p.edit, p.quote.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("1", "norway", &Edit::Insert { at: 29, text: " of 25 September 2015".into() }, ""),
            ("1", "g77", &Edit::Delete { span: [35, 64] }, "noting with concern the gaps,"),
            ("2", "norway", &Edit::Replace { span: [29, 33], text: "2025".into() }, "2020"),
            ("3", "eu", &Edit::Delete { span: [11, 15] }, "all "),
            ("3", "g77", &Edit::Insert { at: 15, text: "developed ".into() }, ""),
            ("3", "g77", &Edit::AddParagraph { text: "3 bis. Invites further action.".into() }, ""),
        ]
    );
    // The comment on "2020 at the latest" is the rationale of the replacement.
    assert_eq!(
        out.proposals[2].rationale.as_deref(),
        Some("2025 reflects the review cycle.\nSee decision 1/CP.21.")
    );
    assert_eq!(out.proposals[4].rationale.as_deref(), Some("Common but differentiated responsibilities."));
    assert_eq!(out.proposals[0].rationale, None);
    // The move could not be one edit: said, not dropped.
    assert_eq!(out.unplaced.len(), 2);
    assert!(out.unplaced.iter().all(|u| u.change.moved && u.reason.contains("move")));
    // Every change is accounted for.
    assert_eq!(out.proposals.len() + out.unplaced.len(), import.tracked_changes.len());
}

#[test]
fn participants_need_no_mapping_and_unknown_authors_are_refused() {
    let import = docx::read(&marked_up()).unwrap();
    let authors = proposals::AuthorMap::parse(["European Union=eu"]).unwrap();
    let out = proposals::proposals(&import, &authors, &["Norway", "G77"]).unwrap();
    assert_eq!(out.proposals[0].on_behalf_of, "Norway");
    let err = proposals::proposals(&import, &authors, &["Norway"]).unwrap_err();
    assert_eq!(err, proposals::ProposalError::UnknownAuthors(vec!["G77".into()]));
    assert!(err.to_string().contains("--author \"Name=delegation\""));
    assert!(proposals::AuthorMap::parse(["Norway"]).is_err());
    assert!(proposals::AuthorMap::parse(["Norway="]).is_err());
}

mod workspace {
    //! The proposals tabled in a process (the domain's own checks apply
    //! them), then the compilation written as .docx, every proposal attributed.
    use accord_core::negotiation::{
        Action, Actor, Event, Participant, ParticipantKind, ProcessInfo, ProcessState, Publication,
    };
    use accord_formats::docx::{self, proposals};

    fn act(state: &mut ProcessState, actor: Actor, mut action: Action) {
        state.prepare(&mut action, &actor);
        let event = Event {
            process: "p".into(),
            seq: state.seq + 1,
            at_ms: 1_000 + state.seq as i64,
            actor,
            against: state.latest().map(|d| d.id.clone()),
            idempotency_key: None,
            action,
        };
        state.apply(&event).unwrap_or_else(|e| panic!("{e:?}"));
    }

    #[test]
    fn tabled_from_word_and_compiled_to_word() {
        let import = docx::read(&super::marked_up()).unwrap();
        let mut state = ProcessState::new("p");
        let secretariat = Actor::Secretariat { name: "Ana".into() };
        let info = ProcessInfo {
            title: "WSIS".into(),
            co_facilitators: vec!["Latvia".into()],
            ..Default::default()
        };
        act(&mut state, secretariat.clone(), Action::CreateProcess { info });
        for id in ["norway", "g77", "eu"] {
            let participant = Participant {
                id: id.into(),
                name: id.to_uppercase(),
                kind: ParticipantKind::MemberState,
                members: vec![],
            };
            act(&mut state, secretariat.clone(), Action::AddParticipant { participant });
        }
        let canonical = accord_core::canonical::write(&import.draft);
        let cofac = Actor::CoFacilitator { name: "Latvia".into() };
        act(
            &mut state,
            cofac,
            Action::ImportDraft {
                label: "Rev.1".into(),
                canonical,
                publication: Publication::Circulated,
                lineage: None,
            },
        );
        let draft = state.latest().unwrap().id.clone();
        let authors = proposals::AuthorMap::parse(["Norway=norway", "G77=g77", "European Union=eu"]).unwrap();
        let found = proposals::proposals(&import, &authors, &[]).unwrap();
        for p in &found.proposals {
            let actor = Actor::Delegation { delegation: p.on_behalf_of.clone() };
            act(
                &mut state,
                actor,
                Action::TableProposal {
                    draft: draft.clone(),
                    paragraph: p.paragraph.clone(),
                    on_behalf_of: p.on_behalf_of.clone(),
                    edit: p.edit.clone(),
                    rationale: p.rationale.clone(),
                    citation: None,
                },
            );
        }
        assert_eq!(state.proposals.len(), found.proposals.len());
        for (tabled, p) in state.proposals.iter().zip(&found.proposals) {
            assert_eq!(tabled.quote, p.quote, "{tabled:?}");
            assert_eq!(tabled.author, p.on_behalf_of);
        }
        let bytes = docx::write::compilation("Compilation of proposals", &state.compilation());
        let back = docx::read(&bytes).unwrap().draft;
        let all: Vec<&str> = back.paragraphs.iter().map(|p| p.text.as_str()).collect();
        let text = all.join("\n");
        assert!(text.contains("p3 — NORWAY: replace \"2020\" with \"2025\""), "{text}");
        assert!(text.contains("2025 reflects the review cycle."), "{text}");
        assert!(text.contains("EU: delete \"all \""), "{text}");
    }
}
