//! A proposal's history: who tabled it and when, who supported or opposed it
//! and in whose name, each revision of its wording, and its fate — read from
//! the process's event log, which alone knows who acted for whom. The
//! compilation links each proposal here, and says its fate in one line
//! ([`fate`]) from the state.

use super::*;

use accord_core::negotiation::{Event, Proposal, ProposalState};

/// A proposal's fate in words, when it is decided or withdrawn:
/// "Accepted by the co-facilitators in the informal session of 9 December
/// 2026, 10:00 · Room 4; taken into Rev.2".
pub(super) fn fate(s: &ProcessState, actor: Option<&Actor>, p: &Proposal) -> String {
    let session = p
        .decided_in
        .as_deref()
        .and_then(|id| s.sessions.iter().find(|x| x.id == id))
        .map(|x| format!(" in the {}", sessions::session_title(x).replacen("Informal", "informal", 1)))
        .unwrap_or_default();
    let into = p
        .incorporated_in
        .as_deref()
        .and_then(|d| policy::readable_draft(s, actor, d))
        .map(|d| format!("; taken into {}", d.label))
        .unwrap_or_default();
    match p.state {
        ProposalState::Live => String::new(),
        ProposalState::Accepted => format!("Accepted by the co-facilitators{session}{into}"),
        ProposalState::SetAside => format!("Set aside by the co-facilitators{session}"),
        ProposalState::Withdrawn => match &p.withdrawn_by {
            Some(d) => format!("Withdrawn by {}", s.name_of(d)),
            None => "Withdrawn".into(),
        },
    }
}

/// Who an actor label is, for a reader: "Valdoria", "Norland (co-facilitator)".
fn who(s: &ProcessState, actor: &Actor) -> String {
    match actor {
        Actor::Delegation { delegation } => s.name_of(delegation),
        Actor::CoFacilitator { name } => format!("{name} (co-facilitator)"),
        Actor::Secretariat { name } => format!("{name} (secretariat)"),
        Actor::Observer { name } => name.clone(),
    }
}

/// " in the name of the Nordic group", when someone acted for another.
fn in_name_of(s: &ProcessState, actor: &Actor, on_behalf_of: &str) -> String {
    match actor {
        Actor::Delegation { delegation } if delegation == on_behalf_of => String::new(),
        _ => format!(" in the name of {}", s.name_of(on_behalf_of)),
    }
}

/// The new wording an edit carries, for the history.
fn wording(edit: &Edit) -> Option<String> {
    match edit {
        Edit::Replace { text, .. } | Edit::AddParagraph { text } => Some(text.clone()),
        Edit::Insert { text, .. } => Some(text.trim().to_string()),
        Edit::Alternatives { alternatives, .. } => Some(alternatives.join(" / ")),
        _ => None,
    }
}

/// One line of a proposal's history: when, and what happened.
pub struct Step {
    when: String,
    what: String,
}

/// The steps of proposal `p` (the `n`-th tabled) in `events`, in order.
fn steps(s: &ProcessState, p: &Proposal, n: usize, events: &[Event]) -> Vec<Step> {
    let mut out = Vec::new();
    let mut tabled = 0;
    for e in events {
        let what = match &e.action {
            Action::TableProposal { on_behalf_of, rationale, .. } => {
                tabled += 1;
                if tabled != n {
                    continue;
                }
                let mut w =
                    format!("Tabled by {}{}", who(s, &e.actor), in_name_of(s, &e.actor, on_behalf_of));
                if let Some(r) = rationale {
                    w.push_str(&format!(", with the rationale “{r}”"));
                }
                w
            }
            Action::Support { proposal, on_behalf_of } if *proposal == p.id => {
                format!("Supported by {}{}", who(s, &e.actor), in_name_of(s, &e.actor, on_behalf_of))
            }
            Action::Oppose { proposal, on_behalf_of } if *proposal == p.id => {
                format!("Opposed by {}{}", who(s, &e.actor), in_name_of(s, &e.actor, on_behalf_of))
            }
            Action::WithdrawStance { proposal, on_behalf_of } if *proposal == p.id => {
                format!("Stance taken back by {}{}", who(s, &e.actor), in_name_of(s, &e.actor, on_behalf_of))
            }
            Action::Revise { proposal, edit, rationale, .. } if *proposal == p.id => {
                let mut w = format!("Revised by {}", who(s, &e.actor));
                if let Some(t) = wording(edit) {
                    w.push_str(&format!(": now “{t}”"));
                }
                if let Some(r) = rationale {
                    w.push_str(&format!(" (rationale: “{r}”)"));
                }
                w
            }
            Action::Withdraw { proposal } if *proposal == p.id => {
                format!("Withdrawn by {}", who(s, &e.actor))
            }
            Action::Decide { proposal, decision, session, .. } if *proposal == p.id => {
                let verb = match decision {
                    Decision::Accept => "Accepted",
                    Decision::SetAside => "Set aside",
                };
                let place = session
                    .as_deref()
                    .and_then(|id| s.sessions.iter().find(|x| x.id == id))
                    .map(|x| {
                        format!(" in the {}", sessions::session_title(x).replacen("Informal", "informal", 1))
                    })
                    .unwrap_or_default();
                format!("{verb} by {}{place}", who(s, &e.actor))
            }
            _ => continue,
        };
        out.push(Step { when: s.local_time(e.at_ms), what });
    }
    out
}

#[derive(Template)]
#[template(path = "proposal.html")]
struct ProposalPage {
    frame: Frame,
    nav: Nav,
    /// Its name for readers: "Proposal 7".
    name: String,
    author: String,
    what: String,
    /// "paragraph 27 of Rev.2" (where it stands now) or where it was tabled.
    place: String,
    /// The paragraph's anchor on the compilation, when it stands there.
    anchor: Option<String>,
    fate: String,
    supporters: String,
    opponents: String,
    steps: Vec<Step>,
}

/// `GET /p/{process}/proposals/{proposal}`: the proposal's history, for
/// those who may read it (as the compilation: `policy::may_read_proposal`).
pub(super) async fn proposal_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, id)): Path<(String, String)>,
) -> Response {
    let v = web.viewer(&headers).await;
    let here = format!("/p/{pid}/proposals/{id}");
    // Who may read it first, before the log is read.
    let allowed = in_process(&web, &pid, &v, |s, a| {
        s.proposal(&id)
            .filter(|p| policy::may_read_proposal(s, a, p))
            .map(|_| ())
            .ok_or_else(|| ApiError::not_found(format!("no proposal `{id}`")))
    });
    if let Err(e) = allowed {
        return login_or_error(&v, &headers, e, &here);
    }
    let events: Vec<Event> = match web.ws.process_events(&pid).await {
        Ok(records) => records.iter().filter_map(|r| serde_json::from_str(&r.payload).ok()).collect(),
        Err(e) => return error_page(&v, &headers, e.into(), &format!("/p/{pid}/compilation")),
    };
    let result = in_process(&web, &pid, &v, |s, a| {
        let p = s.proposal(&id).ok_or_else(|| ApiError::not_found(format!("no proposal `{id}`")))?;
        let p = policy::proposal_as_seen(s, a, p);
        // Proposals are numbered in the order they were tabled: `p7` is the seventh.
        let n = s.proposals.iter().position(|q| q.id == p.id).map_or(0, |i| i + 1);
        let names = |ids: &[String]| ids.iter().map(|i| s.name_of(i)).collect::<Vec<_>>().join(", ");
        let (place, anchor) = match &p.current {
            Some([d, para]) => {
                let label = s.draft(d).map(|x| x.label.clone()).unwrap_or_default();
                let number = s
                    .draft(d)
                    .and_then(|x| x.document.paragraphs.iter().find(|q| q.id == *para))
                    .and_then(|q| q.number.clone())
                    .unwrap_or_else(|| para.clone());
                (format!("paragraph {number} of {label}"), Some(para.clone()))
            }
            None => ("a paragraph no longer in the text".to_string(), None),
        };
        Ok(ProposalPage {
            frame: frame(&v),
            nav: nav(s, a),
            name: compilation::proposal_title(&p.id),
            author: s.name_of(&p.author),
            what: p.describe(),
            place,
            anchor,
            fate: fate(s, a, &p),
            supporters: names(&p.supporters),
            opponents: names(&p.opponents),
            steps: steps(s, &p, n, &events),
        })
    });
    match result {
        Ok(p) => page(&v, &p),
        Err(e) => login_or_error(&v, &headers, e, &here),
    }
}
