//! The sessions page: informal sessions scheduled with their agendas by
//! paragraph number, the decisions recorded in them, and how pages name
//! a session and its decisions.

use super::*;

/// A session as the pages show it.
pub struct SessionView {
    id: String,
    /// "Informal session of 9 December 2026, 10:00–13:00 · Conference Room 4".
    heading: String,
    /// The agenda: (paragraph id, its number).
    agenda: Vec<(String, String)>,
    decisions: Vec<String>,
}

/// Paragraph `id`'s number in the working text (the id itself when it has none).
pub(super) fn number_in_working(s: &ProcessState, id: &str) -> String {
    s.working
        .paragraphs
        .iter()
        .find(|p| p.id == id)
        .and_then(|p| p.number.clone())
        .unwrap_or_else(|| id.to_string())
}

/// A session's decision for a reader: paragraphs by their numbers and
/// delegations by their names, not the ids the log keeps.
pub(super) fn decision_words(
    s: &ProcessState,
    session: &accord_core::negotiation::Session,
    d: &accord_core::negotiation::SessionDecision,
) -> String {
    let numbers: Vec<String> = d.paragraphs.iter().map(|p| number_in_working(s, p)).collect();
    let on = match numbers.as_slice() {
        [] => String::new(),
        [one] => format!(" (paragraph {one})"),
        many => format!(" (paragraphs {})", many.join(", ")),
    };
    match d.action {
        "decide" => {
            // The summary names the proposal: "accepted p3 (replace by valdoria)".
            let decided = d.summary.split_whitespace().find_map(|w| {
                s.proposals.iter().find(|p| p.id == w && p.decided_in.as_deref() == Some(session.id.as_str()))
            });
            match decided {
                Some(p) => format!(
                    "{} {} of {}: {}{on}",
                    if d.summary.starts_with("accepted") { "Accepted" } else { "Set aside" },
                    compilation::proposal_name(&p.id),
                    s.name_of(&p.author),
                    p.describe()
                ),
                None => d.summary.clone(),
            }
        }
        "record-decision" => format!("{}{on}", d.summary),
        _ => {
            let mut words = d.summary.clone();
            for (id, n) in d.paragraphs.iter().zip(&numbers) {
                words = words.replace(&format!("paragraph {id}:"), &format!("paragraph {n}:"));
            }
            let mut c = words.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        }
    }
}

/// "Informal session of 9 December 2026, 10:00 · Room 4".
pub(super) fn session_title(x: &accord_core::negotiation::Session) -> String {
    let mut t = format!("Informal session of {}", admin::date_words(&x.date));
    if !x.time.is_empty() {
        t.push_str(&format!(", {}", x.time));
    }
    if !x.room.is_empty() {
        t.push_str(&format!(" · {}", x.room));
    }
    t
}

/// A session in one line, its agenda by paragraph numbers.
pub(super) fn session_line(s: &ProcessState, x: &accord_core::negotiation::Session) -> String {
    let agenda: Vec<String> = x.agenda.iter().map(|a| number_in_working(s, a)).collect();
    match agenda.as_slice() {
        [] => session_title(x),
        [one] => format!("{} — agenda: paragraph {one}", session_title(x)),
        many => format!("{} — agenda: paragraphs {}", session_title(x), many.join(", ")),
    }
}

/// The working text's paragraph ids for a list of paragraph numbers (or ids)
/// separated by commas: "3, 5, 12".
pub(super) fn paragraphs_by_number(s: &ProcessState, list: &str) -> Result<Vec<String>, ApiError> {
    list.split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            let a = a.strip_prefix("paragraph").or_else(|| a.strip_prefix("Paragraph")).map_or(a, str::trim);
            s.working
                .paragraphs
                .iter()
                .find(|p| p.number.as_deref() == Some(a))
                .or_else(|| s.working.paragraphs.iter().find(|p| p.id == a))
                .map(|p| p.id.clone())
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid",
                        format!("the working text has no paragraph {a}; give paragraph numbers separated by commas"),
                    )
                })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "sessions.html")]
pub(super) struct SessionsPage {
    frame: Frame,
    nav: Nav,
    sessions: Vec<SessionView>,
    can_edit: bool,
}

pub(super) async fn sessions_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
) -> Response {
    let v = web.viewer(&headers).await;
    let result = in_process(&web, &pid, &v, |s, a| {
        if policy::visible_from(s, a).is_none_or(|f| f > Publication::Circulated) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "sessions are shown to the delegations of the process",
            ));
        }
        let can_edit = matches!(a, Some(Actor::Secretariat { .. })) || policy::is_co_facilitator(s, a);
        let sessions = s
            .sessions
            .iter()
            .map(|x| SessionView {
                id: x.id.clone(),
                heading: session_title(x),
                agenda: x.agenda.iter().map(|p| (p.clone(), number_in_working(s, p))).collect(),
                decisions: x.decisions.iter().map(|d| decision_words(s, x, d)).collect(),
            })
            .collect();
        Ok(SessionsPage { frame: frame(&v), nav: nav(s, a), sessions, can_edit })
    });
    match result {
        Ok(p) => page(&v, &p),
        Err(e) => login_or_error(&v, &headers, e, &format!("/p/{pid}/sessions")),
    }
}

/// `POST /p/{process}/sessions`: a session is scheduled (two steps), its
/// agenda given by paragraph numbers.
pub(super) async fn schedule_session(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let (date, time, room) = (
        field(&form, "date").trim().to_string(),
        field(&form, "time").trim().to_string(),
        field(&form, "room").trim().to_string(),
    );
    let agenda = with_state(&web, &pid, |s| paragraphs_by_number(s, field(&form, "agenda")));
    let line = with_state(&web, &pid, |s| {
        let session = accord_core::negotiation::Session {
            id: String::new(),
            date: date.clone(),
            time: time.clone(),
            room: room.clone(),
            agenda: agenda.as_ref().cloned().unwrap_or_default(),
            decisions: Vec::new(),
        };
        Ok(session_line(s, &session))
    })
    .unwrap_or_default();
    let action = agenda.map(|agenda| Action::ScheduleSession { date, time, room, agenda });
    let back = format!("/p/{pid}/sessions");
    let preview = |_: &Actor, _: &Action| {
        Ok(Some(confirm::Ask::new(
            back.clone(),
            "Schedule this session?",
            format!(
                "Schedule: {line}. Every delegation of the process sees it on the sessions page and the \
                 process's home; decisions can then be recorded in it."
            ),
            "Yes, schedule it",
        )))
    };
    let done = confirm::two_step(&web, &v, &headers, &pid, &form, action, &back, preview).await;
    confirm::answer(&headers, done, |o| format!("{back}#session-{}", o.session.clone().unwrap_or_default()))
}

/// `POST /p/{process}/sessions/{session}/decisions`: a decision of the
/// session is recorded (two steps), with the paragraphs it concerns.
pub(super) async fn record_decision(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, session)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let text = field(&form, "text").trim().to_string();
    let paragraphs = with_state(&web, &pid, |s| paragraphs_by_number(s, field(&form, "paragraphs")));
    let message = with_state(&web, &pid, |s| {
        let title = s.sessions.iter().find(|x| x.id == session).map(session_title).unwrap_or_default();
        let numbers: Vec<String> = paragraphs
            .as_ref()
            .map(|ps| ps.iter().map(|p| number_in_working(s, p)).collect())
            .unwrap_or_default();
        let on = match numbers.as_slice() {
            [] => String::new(),
            [one] => format!(" (on paragraph {one})"),
            many => format!(" (on paragraphs {})", many.join(", ")),
        };
        Ok(format!(
            "Record in the {}: “{text}”{on}. It is recorded with your name and shown to every delegation; \
             a record is not removed, only followed by another.",
            title.replacen("Informal session", "informal session", 1)
        ))
    })
    .unwrap_or_default();
    let action =
        paragraphs.map(|paragraphs| Action::RecordDecision { session: session.clone(), text, paragraphs });
    let back = format!("/p/{pid}/sessions#session-{session}");
    let route = format!("/p/{pid}/sessions/{session}/decisions");
    let preview = |_: &Actor, _: &Action| {
        Ok(Some(confirm::Ask::new(route, "Record this decision?", message, "Yes, record it")))
    };
    let done = confirm::two_step(&web, &v, &headers, &pid, &form, action, &back, preview).await;
    confirm::answer(&headers, done, |_| back.clone())
}
