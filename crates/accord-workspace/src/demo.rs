//! The demo process `serve --demo` loads: our own writing, a fictional
//! outcome document in the shape of a real draft (a zero draft and Rev.1),
//! fictional delegations and groups, proposals and a scheduled session.
//! Everything goes through [`Workspace::execute`], as a client's requests
//! would, so the demo's history is in the event log like any other.

use accord_core::negotiation::{
    Action, Actor, Decision, Edit, Participant, ParticipantKind, ProcessInfo, Publication,
};

use crate::error::WorkspaceError;
use crate::import::canonical_of;
use crate::workspace::Workspace;

/// The demo process's id.
pub const PROCESS: &str = "ocean-data";
/// The zero draft.
pub const ZERO_DRAFT: &str = include_str!("../demo/zero-draft.txt");
/// Rev.1.
pub const REV1: &str = include_str!("../demo/rev1.txt");

const DELEGATIONS: &[(&str, &str, ParticipantKind)] = &[
    ("norland", "Norland", ParticipantKind::MemberState),
    ("estoria", "Estoria", ParticipantKind::MemberState),
    ("valdoria", "Valdoria", ParticipantKind::MemberState),
    ("kestrel", "Kestrel Islands", ParticipantKind::MemberState),
    ("marenia", "Marenia", ParticipantKind::MemberState),
    ("lutevia", "Lutevia", ParticipantKind::MemberState),
    ("aurelia", "Aurelia", ParticipantKind::PermanentObserver),
];

const GROUPS: &[(&str, &str, &[&str])] = &[
    ("g77", "Group of 77 and China", &["valdoria", "kestrel", "marenia"]),
    ("eu", "European Union", &["lutevia", "norland"]),
    ("aosis", "Alliance of Small Island States", &["kestrel"]),
];

/// The character span of `phrase` in paragraph `paragraph` of `text`'s draft.
fn span(text: &str, paragraph: &str, phrase: &str) -> Result<[u32; 2], WorkspaceError> {
    let draft = accord_core::parse(text);
    let p = draft
        .paragraphs
        .iter()
        .find(|p| p.id == paragraph)
        .ok_or_else(|| WorkspaceError::Invalid(format!("demo: no paragraph {paragraph}")))?;
    let at = p
        .text
        .find(phrase)
        .ok_or_else(|| WorkspaceError::Invalid(format!("demo: no `{phrase}` in {paragraph}")))?;
    let start = p.text[..at].chars().count() as u32;
    Ok([start, start + phrase.chars().count() as u32])
}

/// Loads the demo process into `ws` unless it is already there. Returns the
/// tokens made for trying it, as (who, secret) pairs.
pub async fn load(ws: &Workspace) -> Result<Vec<(String, String)>, WorkspaceError> {
    ws.ensure_loaded(PROCESS).await?;
    if ws.process(PROCESS).is_some() {
        return Ok(Vec::new());
    }
    let secretariat = Actor::Secretariat { name: "Demo Secretariat".into() };
    let cofac = Actor::CoFacilitator { name: "Norland".into() };
    let del = |d: &str| Actor::Delegation { delegation: d.into() };
    let run = |actor: Actor, action: Action| async move { ws.execute(PROCESS, actor, action, None).await };

    let info = ProcessInfo {
        title: "Outcome document of the High-level Meeting on Ocean Data for Sustainable Development".into(),
        mandate: "resolution 79/418".into(),
        opening: Some("2026-03-03".into()),
        deadline: Some("2026-06-30".into()),
        adoption: Some("2026-09-22".into()),
        co_facilitators: vec!["Norland".into(), "Estoria".into()],
        public: true,
    };
    run(secretariat.clone(), Action::CreateProcess { info }).await?;
    for (id, name, kind) in DELEGATIONS {
        let participant =
            Participant { id: (*id).into(), name: (*name).into(), kind: *kind, members: Vec::new() };
        run(secretariat.clone(), Action::AddParticipant { participant }).await?;
    }
    for (id, name, members) in GROUPS {
        let participant = Participant {
            id: (*id).into(),
            name: (*name).into(),
            kind: ParticipantKind::Group,
            members: members.iter().map(|m| (*m).to_string()).collect(),
        };
        run(secretariat.clone(), Action::AddParticipant { participant }).await?;
    }
    let canonical = canonical_of(ZERO_DRAFT)?;
    run(
        cofac.clone(),
        Action::ImportDraft {
            label: "Zero draft".into(),
            canonical,
            publication: Publication::Public,
            lineage: None,
        },
    )
    .await?;

    // Proposals on the zero draft: they follow their paragraphs into Rev.1.
    let table = |by: &'static str,
                 draft: &'static str,
                 paragraph: &'static str,
                 on_behalf: &'static str,
                 edit: Edit,
                 why: &'static str| {
        let action = Action::TableProposal {
            draft: draft.into(),
            paragraph: paragraph.into(),
            on_behalf_of: on_behalf.into(),
            edit,
            rationale: (!why.is_empty()).then(|| why.to_string()),
            citation: None,
        };
        run(del(by), action)
    };
    table(
        "valdoria",
        "d1",
        "17",
        "g77",
        Edit::Delete { span: span(ZERO_DRAFT, "17", "[on voluntary and mutually agreed terms]")? },
        "Technology transfer is a commitment under the Convention.",
    )
    .await?;
    table("lutevia", "d1", "24", "eu", Edit::AddParagraph { text: "We encourage the use of innovative financing instruments, including blended finance, for ocean data infrastructure.".into() }, "Public funding alone will not close the gap.").await?;
    table(
        "marenia",
        "d1",
        "12",
        "marenia",
        Edit::DeleteParagraph,
        "A new facility duplicates existing networks.",
    )
    .await?;

    let canonical = canonical_of(REV1)?;
    run(
        cofac.clone(),
        Action::ImportDraft {
            label: "Rev.1".into(),
            canonical,
            publication: Publication::Public,
            lineage: None,
        },
    )
    .await?;

    // Proposals on Rev.1.
    table(
        "kestrel",
        "d2",
        "27",
        "aosis",
        Edit::Replace { span: span(REV1, "27", "[2031/2033]")?, text: "2031".into() },
        "Small island States need the earliest stocktaking.",
    )
    .await?;
    table(
        "norland",
        "d2",
        "13",
        "eu",
        Edit::Delete { span: span(REV1, "13", " [and of critical undersea infrastructure]")? },
        "Covered by national security law.",
    )
    .await?;
    table(
        "estoria",
        "d2",
        "20",
        "estoria",
        Edit::Insert { at: span(REV1, "20", "gender-responsive")?[1], text: ", inclusive".into() },
        "",
    )
    .await?;
    table("valdoria", "d2", "10", "g77", Edit::Alternatives { span: span(REV1, "10", "[while respecting the rights and jurisdiction of coastal States as set out in the Convention]")?, alternatives: vec!["with full respect for the sovereign rights of coastal States".into()] }, "Closer to the Convention's own words.").await?;
    run(del("marenia"), Action::Support { proposal: "p4".into(), on_behalf_of: "g77".into() }).await?;
    run(del("lutevia"), Action::Oppose { proposal: "p4".into(), on_behalf_of: "eu".into() }).await?;
    run(del("aurelia"), Action::Support { proposal: "p6".into(), on_behalf_of: "aurelia".into() }).await?;
    run(del("kestrel"), Action::Oppose { proposal: "p5".into(), on_behalf_of: "kestrel".into() }).await?;

    let session = run(
        cofac.clone(),
        Action::ScheduleSession {
            date: "2026-04-14".into(),
            time: "10:00–13:00".into(),
            room: "Conference Room 4".into(),
            agenda: vec!["10".into(), "13".into(), "17".into(), "20".into(), "27".into()],
        },
    )
    .await?;
    let s = session.session.unwrap_or_default();
    let p6 = ws
        .process(PROCESS)
        .and_then(|slot| slot.state.read().ok().and_then(|st| st.proposal("p6").map(|p| p.revision)))
        .unwrap_or(0);
    run(
        cofac.clone(),
        Action::Decide {
            proposal: "p6".into(),
            decision: Decision::Accept,
            base_revision: p6,
            session: Some(s.clone()),
        },
    )
    .await?;
    run(
        cofac,
        Action::RecordDecision {
            session: s,
            text: "Paragraph 17 goes to informal consultations led by the co-facilitators.".into(),
            paragraphs: vec!["17".into()],
        },
    )
    .await?;

    let mut tokens = Vec::new();
    for actor in [
        secretariat,
        Actor::CoFacilitator { name: "Norland".into() },
        del("norland"),
        del("valdoria"),
        del("kestrel"),
        Actor::Observer { name: "Demo observer".into() },
    ] {
        let secret = ws.create_token(Some(PROCESS.into()), &actor, "demo").await?;
        tokens.push((actor.label(), secret));
    }
    Ok(tokens)
}

/// The demo's web accounts: (username, role). Their password is given to
/// [`load_accounts`] (the CLI makes a random one and prints it).
pub const ACCOUNTS: &[(&str, &str)] = &[
    ("secretariat", "secretariat:Demo Secretariat"),
    ("norland-cofac", "co-facilitator:Norland"),
    ("estoria-cofac", "co-facilitator:Estoria"),
    ("norland", "delegation:norland"),
    ("valdoria", "delegation:valdoria"),
    ("kestrel", "delegation:kestrel"),
    ("lutevia", "delegation:lutevia"),
    ("observer", "observer:Demo observer"),
];

/// Creates the demo's web accounts, all with `password`, unless they exist.
pub async fn load_accounts(ws: &Workspace, password: &str) -> Result<(), WorkspaceError> {
    for (username, role) in ACCOUNTS {
        let actor = Actor::from_label(role)
            .ok_or_else(|| WorkspaceError::Invalid(format!("bad demo role {role}")))?;
        let process = (!matches!(actor, Actor::Secretariat { .. })).then(|| PROCESS.to_string());
        match crate::accounts::create_account(ws, username, password, &actor, process).await {
            Ok(()) => {}
            Err(WorkspaceError::Invalid(e)) if e.contains("taken") => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
