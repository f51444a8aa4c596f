//! The secretariat's forms for setting a process up on the web: create the
//! process, register its delegations and groups (each delegation with an
//! invitation link for an account), invite observers, and change who reads a
//! draft.
//!
//! Each action is two steps ([`confirm::two_step`]), so that it says what it
//! will do before it does it. Who may is `policy`'s rule, checked at both
//! steps by the workspace.

use super::*;

use accord_core::negotiation::{Participant, ParticipantKind, ProcessInfo};
use accord_core::words::and_list;

use super::confirm::{answer, two_step, Ask};

/// A short id for links made of a name: "Ocean Data 2027" → `ocean-data-2027`.
pub(super) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase).map(plain_letter) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 64 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A Latin letter without its accent (`ô` → `o`), for ids made of names.
fn plain_letter(c: char) -> char {
    const FROM: &str = "àáâãäåāăąçćčďèéêëēėęěğìíîïīįıľłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž";
    const TO: &str = "aaaaaaaaacccdeeeeeeeegiiiiiiillnnnoooooooorrssstuuuuuuuuyyzzz";
    FROM.chars().position(|f| f == c).and_then(|i| TO.chars().nth(i)).unwrap_or(c)
}

/// The trimmed value of a field, `None` when empty.
fn optional(form: &HashMap<String, String>, name: &str) -> Option<String> {
    Some(field(form, name).trim().to_string()).filter(|s| !s.is_empty())
}

/// A date as the pages show it: "9 December 2026" (an ISO date), else as given.
pub(super) fn date_words(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = iso.trim().splitn(3, '-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            match (m.parse::<usize>(), d.parse::<u32>()) {
                (Ok(m @ 1..=12), Ok(d @ 1..=31)) => format!("{d} {} {y}", MONTHS[m - 1]),
                _ => iso.to_string(),
            }
        }
        _ => iso.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Creating a process.

/// The process a creation form describes: its id and description.
fn process_from_form(form: &HashMap<String, String>) -> (String, ProcessInfo) {
    let title = field(form, "title").trim().to_string();
    let id = optional(form, "id").unwrap_or_else(|| slug(&title));
    let info = ProcessInfo {
        title,
        mandate: field(form, "mandate").trim().to_string(),
        opening: optional(form, "opening"),
        deadline: optional(form, "deadline"),
        adoption: optional(form, "adoption"),
        co_facilitators: field(form, "co_facilitators")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        public: field(form, "public") == "yes",
    };
    (id, info)
}

fn describe_process(id: &str, info: &ProcessInfo) -> String {
    let mut out = format!("Create the process “{}”, at the address /p/{id}", info.title);
    if !info.mandate.is_empty() {
        out.push_str(&format!(", mandated by {}", info.mandate));
    }
    out.push('.');
    for (what, date) in [
        ("It opens", &info.opening),
        ("The text closes", &info.deadline),
        ("Adoption is planned", &info.adoption),
    ] {
        if let Some(d) = date {
            out.push_str(&format!(" {what} on {}.", date_words(d)));
        }
    }
    match info.co_facilitators.as_slice() {
        [] => out
            .push_str(" No co-facilitator yet: nobody can decide on proposals until the process names one."),
        [one] => out.push_str(&format!(" Co-facilitator: {one}.")),
        many => out.push_str(&format!(" Co-facilitators: {}.", many.join(", "))),
    }
    out.push_str(if info.public {
        " The public sees the process and the drafts you make public."
    } else {
        " Only its participants see it: the public does not."
    });
    out.push_str(
        " It is recorded with your name; its title, dates and co-facilitators can be changed later.",
    );
    out
}

/// `POST /processes`: the secretariat creates a process (two steps).
pub(super) async fn create_process(
    State(web): State<Web>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let (id, info) = process_from_form(&form);
    let global_secretariat = v
        .account
        .as_ref()
        .is_some_and(|a| matches!(a.actor, Actor::Secretariat { .. }) && a.process.is_none());
    if !global_secretariat {
        let e = if v.account.is_none() {
            ApiError::unauthorized("log in as the secretariat to create a process")
        } else {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only the secretariat creates processes (with an account not tied to one process)",
            )
        };
        return error_page(&v, &headers, e, "/");
    }
    let message = describe_process(&id, &info);
    let heading = format!("Create “{}”?", info.title);
    let action = Ok(Action::CreateProcess { info });
    let preview =
        |_: &Actor, _: &Action| Ok(Some(Ask::new("/processes", heading, message, "Yes, create the process")));
    match two_step(&web, &v, &headers, &id, &form, action, "/", preview).await {
        Ok(_) if wants_json(&headers) => axum::Json(serde_json::json!({ "process": id })).into_response(),
        done => answer(&headers, done, |_| format!("/p/{id}#participants-h")),
    }
}

/// What changing a process's description from `was` to `now` does, in words.
fn describe_update(was: &ProcessInfo, now: &ProcessInfo) -> String {
    let date = |d: &Option<String>| d.as_deref().map(date_words).unwrap_or_else(|| "none".into());
    let mut changes = Vec::new();
    if was.title != now.title {
        changes.push(format!("the title from “{}” to “{}”", was.title, now.title));
    }
    if was.mandate != now.mandate {
        changes.push(format!("the mandate from “{}” to “{}”", was.mandate, now.mandate));
    }
    for (what, a, b) in [
        ("the opening", &was.opening, &now.opening),
        ("the text-closing date", &was.deadline, &now.deadline),
        ("the planned adoption", &was.adoption, &now.adoption),
    ] {
        if a != b {
            changes.push(format!("{what} from {} to {}", date(a), date(b)));
        }
    }
    if was.co_facilitators != now.co_facilitators {
        let names = |c: &[String]| if c.is_empty() { "none".to_string() } else { c.join(", ") };
        let mut m = format!(
            "the co-facilitators from {} to {}",
            names(&was.co_facilitators),
            names(&now.co_facilitators)
        );
        let gone: Vec<&String> =
            was.co_facilitators.iter().filter(|c| !now.co_facilitators.contains(c)).collect();
        if !gone.is_empty() {
            let gone: Vec<&str> = gone.iter().map(|c| c.as_str()).collect();
            m.push_str(&format!(" ({} may then no longer decide or edit)", gone.join(", ")));
        }
        changes.push(m);
    }
    if was.public != now.public {
        changes.push(if now.public {
            "makes the process public: the public then sees it and its public drafts".to_string()
        } else {
            "makes the process private: the public no longer sees it".to_string()
        });
    }
    if changes.is_empty() {
        "Nothing changes: the description is as it stands.".into()
    } else {
        format!("This changes {}. It is recorded with your name.", changes.join("; "))
    }
}

/// `POST /p/{process}/settings`: the secretariat changes the process's title,
/// mandate, dates, co-facilitators or publicity (two steps).
pub(super) async fn update_process(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let back = format!("/p/{pid}#settings");
    let (_, info) = process_from_form(&form);
    let Some(was) = web.ws.process(&pid).and_then(|slot| slot.state.read().ok().map(|s| s.info.clone()))
    else {
        return error_page(&v, &headers, ApiError::not_found(format!("no process `{pid}`")), "/");
    };
    let message = describe_update(&was, &info);
    let action = Ok(Action::UpdateProcess { info });
    let route = format!("/p/{pid}/settings");
    let preview = |_: &Actor, _: &Action| {
        Ok(Some(Ask::new(route, "Change the process's description?", message, "Yes, change it")))
    };
    let done = two_step(&web, &v, &headers, &pid, &form, action, &back, preview).await;
    answer(&headers, done, |_| format!("/p/{pid}"))
}

/// What producing the revision `action` will make, in words: counts, the
/// accepted proposals taken in, the new numbering, the cover letter's opening.
/// `action` is prepared (its text made) and checked here, nothing recorded.
pub(super) fn revision_preview(
    web: &WebState,
    pid: &str,
    actor: &Actor,
    action: &Action,
) -> Result<String, ApiError> {
    let action = confirm::dry_run(web, pid, actor, action)?;
    let slot = web.ws.process(pid).ok_or_else(|| ApiError::not_found(format!("no process `{pid}`")))?;
    let s = slot.state.read().map_err(|_| ApiError::unavailable("lock"))?;
    let (
        Action::ProduceRevision { label, publication, canonical: Some(text), lineage: Some(lineage), .. },
        Some(prev),
    ) = (&action, s.latest())
    else {
        return Err(ApiError::bad_request("give the revision's label (\"Rev.2\")"));
    };
    let new = accord_core::canonical::read(text);
    let brackets = |d: &accord_core::Draft| d.paragraphs.iter().map(|p| p.brackets.len()).sum::<usize>();
    let mut m = format!(
        "Produce “{label}” from the working text of {}, {}: {} paragraphs (now {}), {} brackets (now {}).",
        prev.label,
        publication_label(*publication),
        new.paragraphs.len(),
        prev.document.paragraphs.len(),
        brackets(&new),
        brackets(&prev.document)
    );
    let number = |d: &accord_core::Draft, id: &str| {
        d.paragraphs
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.number.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let accepted: Vec<String> = s
        .accepted
        .iter()
        .filter_map(|id| s.proposal(id))
        .map(|p| {
            let on = p
                .current
                .as_ref()
                .map(|[_, para]| format!(", paragraph {}", number(&prev.document, para)))
                .unwrap_or_default();
            format!("{} ({}{on})", compilation::proposal_name(&p.id), s.name_of(&p.author))
        })
        .collect();
    m.push_str(&match accepted.as_slice() {
        [] => " No accepted proposal is waiting to be taken in.".to_string(),
        many => format!(" Accepted proposals taken in: {}.", many.join(", ")),
    });
    // The new numbering, where it changes, in the old draft's order.
    let mut renumbered = Vec::new();
    let mut deleted = Vec::new();
    for p in &prev.document.paragraphs {
        let old = p.number.clone().unwrap_or_else(|| p.id.clone());
        match lineage.get(&p.id) {
            Some(Some(to)) => {
                let now = number(&new, to);
                if now != old {
                    renumbered.push(format!("{old} → {now}"));
                }
            }
            _ => deleted.push(old),
        }
    }
    if !deleted.is_empty() {
        m.push_str(&format!(" Paragraphs deleted: {}.", deleted.join(", ")));
    }
    match renumbered.len() {
        0 => m.push_str(" The numbering does not change."),
        n if n <= 12 => m.push_str(&format!(" New numbering: {}.", renumbered.join(", "))),
        n => m.push_str(&format!(" New numbering: {}, and {} more.", renumbered[..12].join(", "), n - 12)),
    }
    if let Some(letter) = new.letters.first() {
        let body = letter.body.join(" ");
        let opening: String = body.chars().take(300).collect();
        let more = if body.chars().count() > 300 { "…" } else { "" };
        m.push_str(&format!(" Its cover letter, from {}, begins: “{opening}{more}”", letter.sender));
    }
    Ok(m)
}

/// The cover letter of the revision `action` will make, as the text box of
/// the confirmation shows it for editing: the generated body, then what a
/// co-facilitator adds before signing — the paragraphs to focus on (where
/// brackets remain), the next informal sessions (date, time, room) and the
/// focal points. Paragraphs separated by an empty line.
pub(super) fn cover_letter_draft(
    web: &WebState,
    pid: &str,
    actor: &Actor,
    action: &Action,
) -> Result<String, ApiError> {
    let Action::ProduceRevision { canonical: Some(text), .. } = confirm::dry_run(web, pid, actor, action)?
    else {
        return Ok(String::new());
    };
    let new = accord_core::canonical::read(&text);
    let mut body: Vec<String> = new.letters.first().map(|l| l.body.clone()).unwrap_or_default();
    let open: Vec<String> = new
        .paragraphs
        .iter()
        .filter(|p| !p.brackets.is_empty() && !matches!(p.status, Status::Agreed | Status::AgreedAdRef))
        .filter_map(|p| p.number.clone())
        .collect();
    if !open.is_empty() {
        body.push(format!(
            "We invite delegations to focus on {} {}, where brackets remain.",
            if open.len() == 1 { "paragraph" } else { "paragraphs" },
            and_list(&open)
        ));
    }
    let slot = web.ws.process(pid).ok_or_else(|| ApiError::not_found(format!("no process `{pid}`")))?;
    let s = slot.state.read().map_err(|_| ApiError::unavailable("lock"))?;
    let now = accord_core::negotiation::clock::rfc3339_in(web.ws.now_ms(), s.time_zone());
    let today = now.get(..10).unwrap_or_default();
    let next: Vec<String> = s
        .sessions
        .iter()
        .filter(|x| x.date.as_str() >= today)
        .map(|x| sessions::session_title(x).replacen("Informal session of ", "", 1).replace(" · ", " in "))
        .collect();
    match next.as_slice() {
        [] => {}
        [one] => body.push(format!("The next informal session will be held on {one}.")),
        many => body.push(format!("The next informal sessions will be held on {}.", and_list(many))),
    }
    let focal: Vec<String> = web
        .ws
        .focal_points(pid)
        .into_iter()
        .filter(|f| f.actor.starts_with("co-facilitator:") || f.actor.starts_with("secretariat:"))
        .map(|f| format!("{} ({})", f.name, f.email))
        .collect();
    if !focal.is_empty() {
        body.push(format!("For any question, please contact {}.", and_list(&focal)));
    }
    body.push("Please accept, Excellency, the assurances of our highest consideration.".into());
    Ok(body.join("\n\n"))
}

// ---------------------------------------------------------------------------
// Participants and invitations.

fn kind_words(kind: ParticipantKind) -> &'static str {
    match kind {
        ParticipantKind::MemberState => "Member State delegation",
        ParticipantKind::PermanentObserver => "Permanent Observer delegation",
        ParticipantKind::Group => "group of delegations",
    }
}

/// A participant as the process page lists it: name, what it is, members.
pub struct ParticipantView {
    /// Its name.
    pub name: String,
    /// What it is, in words.
    pub kind: &'static str,
    /// For a group: its members' names.
    pub members: String,
}

/// The participants of a process as the process page lists them.
pub(super) fn participant_views(s: &ProcessState) -> Vec<ParticipantView> {
    s.participants
        .iter()
        .map(|p| ParticipantView {
            name: p.name.clone(),
            kind: kind_words(p.kind),
            members: p.members.iter().map(|m| s.name_of(m)).collect::<Vec<_>>().join(", "),
        })
        .collect()
}

/// `POST /p/{process}/participants`: the secretariat registers a delegation
/// or a group (two steps); a delegation comes with an invitation link.
pub(super) async fn register(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let back = format!("/p/{pid}#participants-h");
    let name = field(&form, "name").trim().to_string();
    let id = optional(&form, "id").unwrap_or_else(|| slug(&name));
    let kind = match field(&form, "kind") {
        "permanent-observer" => ParticipantKind::PermanentObserver,
        "group" => ParticipantKind::Group,
        _ => ParticipantKind::MemberState,
    };
    // Members are checkboxes `member-ID`, in the process's order.
    let found = web.ws.process(&pid).and_then(|slot| {
        let s = slot.state.read().ok()?;
        let members: Vec<&Participant> = s
            .participants
            .iter()
            .filter(|p| form.get(&format!("member-{}", p.id)).is_some_and(|x| x == "yes"))
            .collect();
        let ids: Vec<String> = members.iter().map(|p| p.id.clone()).collect();
        let names: Vec<String> = members.iter().map(|p| p.name.clone()).collect();
        let existing = s.participant(&id).map(|p| format!("{} ({})", p.name, kind_words(p.kind)));
        Some((ids, names, existing, s.info.title.clone()))
    });
    let Some((member_ids, member_names, existing, title)) = found else {
        return error_page(&v, &headers, ApiError::not_found(format!("no process `{pid}`")), "/");
    };
    if kind == ParticipantKind::Group && member_ids.is_empty() {
        let e = ApiError::bad_request("a group needs its members: tick the delegations it speaks for");
        return error_page(&v, &headers, e, &back);
    }
    let member_ids = if kind == ParticipantKind::Group { member_ids } else { Vec::new() };
    let message = {
        let mut m = match &existing {
            Some(was) => {
                format!("`{id}` is registered as {was}: this replaces it with {name}, a {}", kind_words(kind))
            }
            None => format!("Register {name} as a {} of “{title}”", kind_words(kind)),
        };
        if kind == ParticipantKind::Group {
            m.push_str(&format!(
                ", speaking for {}: each member may table and take positions in the group's name",
                member_names.join(", ")
            ));
        } else {
            m.push_str(
                ". It then reads the drafts circulated to delegations and may table proposals. \
                 An invitation link for an account of the delegation is made next (valid 7 days, usable once)",
            );
        }
        m.push('.');
        m
    };
    let participant = Participant { id: id.clone(), name: name.clone(), kind, members: member_ids };
    let action = Ok(Action::AddParticipant { participant });
    let heading = format!("Register {name}?");
    let route = format!("/p/{pid}/participants");
    let preview = |_: &Actor, _: &Action| Ok(Some(Ask::new(route, heading, message, "Yes, register it")));
    match two_step(&web, &v, &headers, &pid, &form, action, &back, preview).await {
        Ok(o) if wants_json(&headers) => axum::Json(o).into_response(),
        Ok(_) if kind == ParticipantKind::Group => Redirect::to(&back).into_response(),
        Ok(_) => {
            let role = Actor::Delegation { delegation: id };
            invitation_page(&web, &v, &headers, &pid, &role, format!("{name}'s delegation")).await
        }
        Err(r) => r,
    }
}

/// The process page with a fresh invitation link for `role`.
async fn invitation_page(
    web: &WebState,
    v: &Viewer,
    headers: &HeaderMap,
    pid: &str,
    role: &Actor,
    whom: String,
) -> Response {
    match auth::create_invitation(&web.ws, Some(pid.to_string()), role, 7).await {
        Ok(secret) => match process_page(web, v, pid, format!("/invite/{secret}")) {
            Ok(mut p) => {
                p.invitation_for = whom;
                p.endgame = endgame::section(web, v, pid).await;
                page(v, &p)
            }
            Err(e) => error_page(v, headers, e, "/"),
        },
        Err(e) => error_page(v, headers, e.into(), &format!("/p/{pid}")),
    }
}

/// `POST /p/{process}/observers`: the secretariat makes an invitation link
/// for an observer (an account that reads what is public, changes nothing).
pub(super) async fn invite_observer(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let back = format!("/p/{pid}#participants-h");
    if let Err(e) = check_csrf(&v, &form) {
        return error_page(&v, &headers, e, &back);
    }
    if let Err(e) = visible(&web, &pid, &v) {
        return error_page(&v, &headers, e, "/");
    }
    if !matches!(v.actor_in(&pid), Some(Actor::Secretariat { .. })) {
        let e = ApiError::new(StatusCode::FORBIDDEN, "forbidden", "only the secretariat invites observers");
        return error_page(&v, &headers, e, &back);
    }
    let name = field(&form, "name").trim().to_string();
    if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        let e =
            ApiError::bad_request("give the observer's name (their organization), at most 200 characters");
        return error_page(&v, &headers, e, &back);
    }
    let role = Actor::Observer { name: name.clone() };
    invitation_page(&web, &v, &headers, &pid, &role, format!("observer {name}")).await
}

// ---------------------------------------------------------------------------
// Publication.

/// `POST /p/{process}/drafts/{draft}/publication`: who reads a draft (two steps).
pub(super) async fn publication(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, did)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let back = format!("/p/{pid}#drafts-h");
    let publication = match field(&form, "publication") {
        "internal" => Ok(Publication::Internal),
        "circulated" => Ok(Publication::Circulated),
        "public" => Ok(Publication::Public),
        other => Err(ApiError::bad_request(format!("unknown circulation `{other}`"))),
    };
    let (label, was, public_process) = match web.ws.process(&pid).and_then(|slot| {
        let s = slot.state.read().ok()?;
        let d = s.draft(&did)?;
        Some((d.label.clone(), d.publication, s.info.public))
    }) {
        Some(x) => x,
        None => return error_page(&v, &headers, ApiError::not_found(format!("no draft `{did}`")), &back),
    };
    let message = match &publication {
        Ok(p) if *p == was => format!("{label} is already {}: nothing changes.", publication_label(was)),
        Ok(p) => {
            let who = match p {
                Publication::Internal => "only the secretariat and the co-facilitators read it".to_string(),
                Publication::Circulated => "every delegation of the process reads it".to_string(),
                Publication::Public if public_process => {
                    "delegations, observers and the public read it".to_string()
                }
                Publication::Public => {
                    "delegations and observers read it (the process itself is not public)".to_string()
                }
            };
            let back_note =
                if p < &was { " Those who read it before keep any copy they downloaded." } else { "" };
            format!("{label} is {} now; after this {who}.{back_note}", publication_label(was))
        }
        Err(_) => String::new(),
    };
    let heading = match &publication {
        Ok(p) => format!("Make {label} {}?", publication_label(*p)),
        Err(_) => String::new(),
    };
    let action = publication.map(|publication| Action::Publish { draft: did.clone(), publication });
    let route = format!("/p/{pid}/drafts/{did}/publication");
    let preview =
        |_: &Actor, _: &Action| Ok(Some(Ask::new(route, heading, message, "Yes, change who reads it")));
    let done = two_step(&web, &v, &headers, &pid, &form, action, &back, preview).await;
    answer(&headers, done, |_| back.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ids_the_rules_accept() {
        assert_eq!(slug("Ocean Data 2027"), "ocean-data-2027");
        assert_eq!(slug("  Côte d'Ivoire "), "cote-d-ivoire");
        assert_eq!(slug("Türkiye"), "turkiye");
        assert_eq!(slug("Group of 77 and China"), "group-of-77-and-china");
        assert_eq!(slug("!!!"), "");
        assert!(slug(&"a".repeat(300)).len() <= 64);
    }

    /// Every slug is empty or an id the rules accept (a–z, 0–9, `-`; at most
    /// 64 bytes), never starting or ending with `-`: over every string of up
    /// to three characters from a pool of awkward ones, and long ones.
    #[test]
    fn every_slug_is_a_valid_id_or_empty() {
        let pool =
            ['a', 'Z', '9', ' ', '-', '_', 'é', 'ß', 'ı', '中', '\u{0301}', '\n', '/', '.', 'Ø', '\u{202e}'];
        let mut inputs: Vec<String> = vec!["x".repeat(200), "é".repeat(100), "a-".repeat(70)];
        for a in pool {
            for b in pool {
                for c in pool {
                    inputs.push([a, b, c].iter().collect());
                }
            }
        }
        for input in inputs {
            let s = slug(&input);
            let valid = s.len() <= 64
                && !s.starts_with('-')
                && !s.ends_with('-')
                && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            assert!(valid, "{input:?} → {s:?}");
            assert!(
                s.is_empty()
                    != input
                        .chars()
                        .flat_map(char::to_lowercase)
                        .map(plain_letter)
                        .any(|c| c.is_ascii_alphanumeric()),
                "{input:?} → {s:?}"
            );
        }
    }

    #[test]
    fn iso_dates_read_as_words() {
        assert_eq!(date_words("2026-12-09"), "9 December 2026");
        assert_eq!(date_words("2026-13-09"), "2026-13-09");
        assert_eq!(date_words("next week"), "next week");
    }
}
