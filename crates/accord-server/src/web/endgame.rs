//! The end game on the web: the process home's section (deadline and the
//! time left, silence and who broke it on what, adoption, what was
//! circulated to whom and when), its forms (co-facilitators: deadline,
//! silence, adoption; delegations: break silence), and the Atom feed of a
//! process's public drafts. The rules are the core's, reached through the
//! same actions as the API and the CLI.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use accord_core::negotiation::{clock, policy, rfc3339, Action, Actor, SilenceState};

use super::auth::{Viewer, WebState};
use super::forms::{act, at_once, field};
use super::Web;
use crate::error::ApiError;

#[derive(Template)]
#[template(path = "endgame.html")]
struct Section {
    pid: String,
    csrf: String,
    time_zone: String,
    /// The deadline as read, and the time left.
    deadline: Option<(String, String)>,
    /// The silence's state name and its sentence.
    silence: Option<(&'static str, String)>,
    /// Paragraph, by, reason, when.
    breaks: Vec<(String, String, String, String)>,
    /// The adopted draft and when.
    adopted: Option<(String, String)>,
    /// When, what, to whom, state.
    circulation: Vec<(String, String, String, String)>,
    is_cofac: bool,
    can_break: bool,
}

/// One event's mail, as the section lists it.
#[derive(Default)]
struct Sent {
    at_ms: i64,
    what: String,
    to: Vec<String>,
    /// Messages by state.
    states: BTreeMap<&'static str, usize>,
}

/// "2 days 3 hours left", "40 minutes left", or "passed".
pub fn time_left(now_ms: i64, until_ms: i64) -> String {
    let s = (until_ms - now_ms) / 1000;
    if s <= 0 {
        return "passed".into();
    }
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (d, h) {
        (0, 0) => format!("{} left", unit(m.max(1), "minute")),
        (0, _) => format!("{} {} left", unit(h, "hour"), unit(m, "minute")),
        _ => format!("{} {} left", unit(d, "day"), unit(h, "hour")),
    }
}

/// The process home's end-game section as `v` may see it ("" when there is
/// nothing to show them).
pub(super) async fn section(web: &WebState, v: &Viewer, pid: &str) -> String {
    let actor = v.actor_in(pid);
    let a = actor.as_ref();
    let now = web.ws.now_ms();
    let (mut page, admin) = {
        let Some(slot) = web.ws.process(pid) else { return String::new() };
        let Ok(s) = slot.state.read() else { return String::new() };
        let s = s.as_of(now);
        let is_cofac = policy::is_co_facilitator(&s, a);
        let admin = is_cofac || matches!(a, Some(Actor::Secretariat { .. }));
        let status = s.silence_status(now);
        let silence = status.as_ref().map(|st| match st.state {
            SilenceState::Running => (
                "running",
                format!(
                    "Draft under silence until {} ({}).",
                    st.until_local,
                    time_left(now, s.silence.as_ref().map_or(now, |x| x.until_ms))
                ),
            ),
            SilenceState::Broken => ("broken", format!("Silence broken; it was to end {}.", st.until_local)),
            SilenceState::Passed => {
                ("passed", format!("Silence passed unbroken at {}: the text is agreed.", st.until_local))
            }
        });
        let name = |id: &str| s.participant(id).map_or(id.to_string(), |p| p.name.clone());
        let breaks = s
            .silence
            .iter()
            .flat_map(|x| &x.breaks)
            .map(|b| (b.paragraph.clone(), name(&b.by), b.reason.clone(), s.local_time(b.at_ms)))
            .collect();
        let delegation =
            matches!(a, Some(Actor::Delegation { delegation }) if s.participant(delegation).is_some());
        let running = status.as_ref().is_some_and(|st| st.state != SilenceState::Passed)
            && s.silence.as_ref().is_some_and(|x| now < x.until_ms);
        let page = Section {
            pid: pid.to_string(),
            csrf: v.csrf.clone(),
            time_zone: s.time_zone().to_string(),
            deadline: s.deadline.as_ref().map(|d| (s.local_time(d.until_ms), time_left(now, d.until_ms))),
            silence,
            breaks,
            adopted: s.adoption.as_ref().map(|x| (x.draft.clone(), s.local_time(x.at_ms))),
            circulation: Vec::new(),
            is_cofac,
            can_break: delegation && running && s.adoption.is_none(),
        };
        (page, admin)
    };
    // What was sent to whom: everything for those who run the process, one's
    // own mail for a participant.
    let own = a.map(Actor::label);
    if let Ok(messages) = web.ws.outbox(pid).await {
        let mut by_event: BTreeMap<u64, Sent> = BTreeMap::new();
        for m in messages.iter().filter(|m| admin || own.as_deref() == Some(m.recipient_actor.as_str())) {
            let e = by_event.entry(m.seq).or_insert_with(|| Sent {
                at_ms: m.created_at_ms,
                what: m.subject.clone(),
                ..Sent::default()
            });
            e.to.push(format!("{} ({})", m.recipient_name, m.recipient_actor));
            *e.states.entry(m.state.as_str()).or_default() += 1;
        }
        let zone = page.time_zone.clone();
        page.circulation = by_event
            .into_values()
            .rev()
            .map(|e| {
                let states = e.states.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ");
                (clock::local_time(e.at_ms, &zone), e.what, e.to.join("; "), states)
            })
            .collect();
    }
    let nothing = page.deadline.is_none()
        && page.silence.is_none()
        && page.adopted.is_none()
        && page.circulation.is_empty()
        && !page.is_cofac;
    if nothing {
        return String::new();
    }
    page.render().unwrap_or_default()
}

/// `POST /p/{p}/endgame/{verb}`: deadline, clear-deadline, silence, break, adopt.
pub(super) async fn action(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, verb)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let text = |name: &str| field(&form, name).trim().to_string();
    let action = match verb.as_str() {
        "deadline" => Ok(Action::SetDeadline { until: Some(text("until")), session: None }),
        "clear-deadline" => Ok(Action::SetDeadline { until: None, session: None }),
        "silence" => Ok(Action::StartSilence { until: text("until") }),
        "adopt" => Ok(Action::Adopt {
            date: Some(text("date")).filter(|d| !d.is_empty()),
            canonical: None,
            lineage: None,
        }),
        "break" => match v.actor_in(&pid) {
            Some(Actor::Delegation { delegation }) => {
                let paragraphs: Vec<String> = text("paragraphs")
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect();
                Ok(Action::BreakSilence { on_behalf_of: delegation, paragraphs, reason: text("reason") })
            }
            _ => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "silence is broken by a delegation")),
        },
        other => Err(ApiError::not_found(format!("no end-game action `{other}`"))),
    };
    act(&web, &v, &headers, &pid, &form, action, &format!("/p/{pid}#endgame"), at_once).await
}

/// `GET /p/{p}/feed.atom`: the process's public drafts, newest first (RFC
/// 4287). Only what the public may read; a process the public may not see
/// is not found.
pub(super) async fn feed(State(web): State<Web>, Path(pid): Path<String>) -> Response {
    let Some(slot) = web.ws.process(&pid) else { return not_found(&pid) };
    let Ok(s) = slot.state.read() else { return not_found(&pid) };
    if !policy::may_see_process(&s, None) {
        return not_found(&pid);
    }
    let drafts: Vec<_> = policy::readable_drafts(&s, None).collect();
    let updated = drafts.last().map_or(s.at_ms, |d| d.at_ms);
    let esc = super::markup::esc;
    let author = if s.info.co_facilitators.is_empty() {
        "Accord".to_string()
    } else {
        s.info.co_facilitators.join(", ")
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    xml.push_str(&format!("  <id>tag:accord,2026:p/{}</id>\n", esc(&pid)));
    xml.push_str(&format!("  <title>{}</title>\n", esc(&s.info.title)));
    xml.push_str(&format!("  <subtitle>Public drafts of {}</subtitle>\n", esc(&s.info.title)));
    xml.push_str(&format!("  <updated>{}</updated>\n", rfc3339(updated)));
    xml.push_str(&format!("  <author><name>{}</name></author>\n", esc(&author)));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"/p/{}/feed.atom\"/>\n",
        esc(&pid)
    ));
    xml.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"/p/{}\"/>\n", esc(&pid)));
    for d in drafts.iter().rev() {
        let href = format!("/p/{}/drafts/{}", esc(&pid), esc(&d.id));
        let summary = format!(
            "{} — {} paragraphs, entered {}",
            d.label,
            d.document.paragraphs.len(),
            s.local_time(d.at_ms)
        );
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>tag:accord,2026:p/{}/drafts/{}</id>\n", esc(&pid), esc(&d.id)));
        xml.push_str(&format!("    <title>{}</title>\n", esc(&d.label)));
        xml.push_str(&format!("    <updated>{}</updated>\n", rfc3339(d.at_ms)));
        xml.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{href}\"/>\n"));
        xml.push_str(&format!(
            "    <link rel=\"enclosure\" type=\"application/pdf\" href=\"{href}/export.pdf\"/>\n"
        ));
        xml.push_str(&format!("    <summary>{}</summary>\n", esc(&summary)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    ([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response()
}

fn not_found(pid: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("no public process `{pid}`"),
    )
        .into_response()
}
