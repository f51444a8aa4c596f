//! The web application: pages rendered by the server (askama templates,
//! compiled into the binary, escaping by default), plain `<form>`s that work
//! without JavaScript, and the live screen over server-sent events.
//!
//! Every change a page makes goes through [`Workspace::execute`] as the
//! logged-in account's actor, so the rules of `negotiation::policy` apply to
//! the browser exactly as to the API.

mod admin;
pub mod auth;
mod compilation;
mod confirm;
mod corpus;
mod documents;
mod endgame;
mod forms;
mod history;
pub mod live;
mod login;
pub mod markup;
mod origin;
mod sessions;
mod throttle;
mod uploads;

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Form, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use accord_core::negotiation::{
    policy, Action, Actor, BracketResolution, Decision, Edit, ProcessState, ProposalVisibility, Publication,
};
use accord_core::{Paragraph, Status};

use crate::error::ApiError;
use accord_workspace::{ProcessSlot, Workspace, WorkspaceError};
use auth::{Viewer, WebState, CSRF_COOKIE, SESSION_COOKIE};
use markup::esc;

pub use documents::{file_stem, DraftFile, Format};
use forms::*;
use login::*;
use sessions::*;
pub use uploads::MAX_UPLOAD_BYTES;

/// Largest form accepted (a compromise text or a proposal, with room).
pub const MAX_FORM_BYTES: usize = 256 * 1024;

type Web = Arc<WebState>;

/// The web application's router.
pub(crate) fn router(ws: Arc<Workspace>, writes: Arc<crate::api::RateLimiter>) -> Router {
    let web = WebState::new(ws, writes);
    Router::new()
        .route("/", get(index))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/invite/{secret}", get(invite_page).post(accept_invite))
        .route(
            "/static/accord.css",
            get(|| async { static_file("text/css", include_str!("../../static/accord.css")) }),
        )
        .route(
            "/static/accord.js",
            get(|| async { static_file("text/javascript", include_str!("../../static/accord.js")) }),
        )
        .route("/corpus", get(corpus::corpus_index))
        .route("/corpus/{*symbol}", get(corpus::corpus_document))
        .route("/processes", post(admin::create_process))
        .route("/p/{process}", get(process_home))
        .route("/p/{process}/participants", post(admin::register))
        .route("/p/{process}/settings", post(admin::update_process))
        .route("/p/{process}/observers", post(admin::invite_observer))
        .route("/p/{process}/drafts/{draft}/publication", post(admin::publication))
        .route("/p/{process}/invitations", post(invite))
        .route("/p/{process}/endgame/{verb}", post(endgame::action))
        .route("/p/{process}/feed.atom", get(endgame::feed))
        .route("/p/{process}/drafts/{draft}", get(draft_page))
        .route("/p/{process}/drafts/{draft}/export.html", get(draft_export))
        .route("/p/{process}/drafts/{draft}/origin/{paragraph}", get(origin::origin_page))
        .route("/p/{process}/drafts/{draft}/export.docx", get(documents::draft_docx))
        .route("/p/{process}/drafts/{draft}/export.pdf", get(documents::draft_pdf))
        .route("/p/{process}/drafts/{draft}/export.xml", get(documents::draft_xml))
        .route("/p/{process}/compare", get(compare_page))
        .route("/p/{process}/compare/export.html", get(compare_export))
        .route("/p/{process}/compare/export.docx", get(documents::compare_docx))
        .route("/p/{process}/compare/export.xml", get(documents::compare_xml))
        .route("/p/{process}/compilation", get(compilation::compilation_page))
        .route("/p/{process}/compilation/export.html", get(compilation::compilation_export))
        .route("/p/{process}/compilation/export.docx", get(documents::compilation_download))
        .route("/p/{process}/compilation/visibility", post(proposal_visibility))
        .route(
            "/p/{process}/compilation/markup",
            post(uploads::markup_upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/p/{process}/import",
            post(uploads::import_upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/p/{process}/import/confirm",
            post(uploads::import_confirm).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/p/{process}/proposals", post(table_proposal))
        .route("/p/{process}/proposals/{proposal}", get(history::proposal_page))
        .route("/p/{process}/proposals/{proposal}/{verb}", post(proposal_action))
        .route("/p/{process}/working", get(working_page))
        .route("/p/{process}/working/{paragraph}/{verb}", post(working_action))
        .route("/p/{process}/working/{paragraph}/brackets/{bracket}", post(bracket_action))
        .route("/p/{process}/revisions", post(produce_revision))
        .route("/p/{process}/sessions", get(sessions_page).post(schedule_session))
        .route("/p/{process}/sessions/{session}/decisions", post(record_decision))
        .route("/p/{process}/live/{paragraph}", get(live::live_page))
        .route("/p/{process}/live/{paragraph}/events", get(live::live_events))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .with_state(web)
}

fn static_file(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

// ---------------------------------------------------------------------------
// Frames every page shares.

/// What the base template needs.
pub struct Frame {
    who: Option<String>,
    csrf: String,
}

/// What the process navigation needs.
pub struct Nav {
    pid: String,
    latest: Option<String>,
    can_work: bool,
    can_sessions: bool,
}

fn frame(v: &Viewer) -> Frame {
    Frame {
        who: v.account.as_ref().map(|a| format!("{} ({})", a.username, a.actor.label())),
        csrf: v.csrf.clone(),
    }
}

fn nav(s: &ProcessState, actor: Option<&Actor>) -> Nav {
    Nav {
        pid: s.id.clone(),
        latest: policy::readable_drafts(s, actor).next_back().map(|d| d.id.clone()),
        can_work: policy::may_read_working(s, actor),
        can_sessions: policy::visible_from(s, actor).is_some_and(|f| f <= Publication::Circulated),
    }
}

/// Renders a page, setting the logged-out CSRF cookie when one was made.
fn page(v: &Viewer, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => {
            let mut r = Html(html).into_response();
            if let Some(c) = &v.set_csrf_cookie {
                r.headers_mut()
                    .append(header::SET_COOKIE, auth::set_cookie(CSRF_COOKIE, c, 86_400, v.secure));
            }
            r
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be rendered").into_response(),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    frame: Frame,
    heading: String,
    message: String,
    class: &'static str,
    back: String,
}

/// An error as a page (or as JSON for scripts that ask for it).
fn error_page(v: &Viewer, headers: &HeaderMap, e: ApiError, back: &str) -> Response {
    if wants_json(headers) {
        return e.into_response();
    }
    let heading = match e.status {
        StatusCode::CONFLICT => "Someone changed this first",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::UNAUTHORIZED => "Please log in",
        StatusCode::PAYLOAD_TOO_LARGE => "The file is too large",
        StatusCode::INTERNAL_SERVER_ERROR => "Something went wrong",
        StatusCode::TOO_MANY_REQUESTS => "Too many changes at once",
        _ => "The change was not made",
    };
    let retry_after = e.retry_after;
    let mut r = page(
        v,
        &MessagePage {
            frame: frame(v),
            heading: heading.into(),
            message: e.message,
            class: "error",
            back: back.to_string(),
        },
    );
    *r.status_mut() = e.status;
    crate::api::with_retry_after(r, retry_after)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|a| a.to_str().ok()).is_some_and(|a| a.contains("application/json"))
}

/// The process if this viewer may see it.
fn visible(web: &WebState, pid: &str, v: &Viewer) -> Result<(Arc<ProcessSlot>, Option<Actor>), ApiError> {
    let actor = v.actor_in(pid);
    let slot = web.ws.process(pid).ok_or_else(|| ApiError::not_found(format!("no process `{pid}`")))?;
    let ok = slot.state.read().is_ok_and(|s| policy::may_see_process(&s, actor.as_ref()));
    if ok {
        Ok((slot, actor))
    } else if v.account.is_none() {
        Err(ApiError::unauthorized("log in to see this process"))
    } else {
        Err(ApiError::not_found(format!("no process `{pid}`")))
    }
}

/// Runs `f` on the state of a process the viewer may see, with the actor
/// they are in it.
fn in_process<T>(
    web: &WebState,
    pid: &str,
    v: &Viewer,
    f: impl FnOnce(&ProcessState, Option<&Actor>) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let (slot, actor) = visible(web, pid, v)?;
    let s = slot.state.read().map_err(|_| ApiError::unavailable("lock"))?;
    f(&s, actor.as_ref())
}

fn status_label(s: Status) -> (&'static str, &'static str) {
    match s {
        // Open paragraphs carry their badge too: the margin says every status.
        Status::Open => ("Open", "open"),
        other => (other.tag(), other.as_str()),
    }
}

/// A paragraph as pages show it.
pub struct ParaView {
    id: String,
    number: String,
    html: String,
    status: &'static str,
    status_class: &'static str,
}

fn para_view(p: &Paragraph, links: markup::Links<'_>) -> ParaView {
    let (status, status_class) = status_label(p.status);
    ParaView {
        id: p.id.clone(),
        number: p.number.clone().unwrap_or_default(),
        html: markup::paragraph_html_linked(p, &[], links),
        status,
        status_class,
    }
}

fn check_csrf(v: &Viewer, form: &HashMap<String, String>) -> Result<(), ApiError> {
    match form.get("csrf") {
        Some(t) if !v.csrf.is_empty() && t.as_bytes() == v.csrf.as_bytes() && v.set_csrf_cookie.is_none() => {
            Ok(())
        }
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the form's security token is missing or stale; reload the page and try again",
        )),
    }
}

// ---------------------------------------------------------------------------
// Pages.

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    frame: Frame,
    processes: Vec<(String, String, usize)>,
    /// The viewer is the secretariat, not tied to one process: may create one.
    can_create: bool,
}

async fn index(State(web): State<Web>, headers: HeaderMap) -> Response {
    let v = web.viewer(&headers).await;
    let mut processes = Vec::new();
    for slot in web.ws.processes() {
        if let Ok(s) = slot.state.read() {
            let actor = v.actor_in(&s.id);
            if s.exists() && policy::may_see_process(&s, actor.as_ref()) {
                let n = policy::readable_drafts(&s, actor.as_ref()).count();
                processes.push((s.id.clone(), s.info.title.clone(), n));
            }
        }
    }
    let can_create = v
        .account
        .as_ref()
        .is_some_and(|a| matches!(a.actor, Actor::Secretariat { .. }) && a.process.is_none());
    page(&v, &IndexPage { frame: frame(&v), processes, can_create })
}

#[derive(Template)]
#[template(path = "process.html")]
struct ProcessPage {
    frame: Frame,
    nav: Nav,
    title: String,
    mandate: String,
    co_facilitators: String,
    /// Opening, text-closing and adoption dates in words ("" when unknown).
    dates: String,
    drafts: Vec<DraftRow>,
    /// May change who reads a draft (the secretariat, a co-facilitator).
    can_publish: bool,
    circulations: [(&'static str, &'static str); 3],
    has_readiness: bool,
    ready: bool,
    readiness_line: String,
    obstacles: Vec<String>,
    status_svg: String,
    burn_svg: String,
    sessions: Vec<String>,
    is_secretariat: bool,
    /// May import a draft (the secretariat, a co-facilitator).
    can_import: bool,
    participants: Vec<(String, String)>,
    /// Every delegation and group, for the secretariat's list.
    registered: Vec<admin::ParticipantView>,
    cofac_names: Vec<String>,
    invitation: String,
    /// Whom the invitation link is for, in words.
    invitation_for: String,
    /// Why the last upload was refused, shown by the import form.
    import_error: String,
    /// The import form's label and circulation as they were typed.
    import_label: String,
    import_publication: String,
    /// The end game's section, rendered by `endgame::section`.
    endgame: String,
    /// The process's description, for the secretariat's form that changes it.
    info: accord_core::negotiation::ProcessInfo,
}

/// A draft in the process page's list.
pub struct DraftRow {
    id: String,
    label: String,
    /// Its circulation's stable name (what the circulation control selects).
    publication: &'static str,
    /// Its circulation in words.
    circulation: &'static str,
    paragraphs: usize,
    entered: String,
}

/// The circulations a draft may have: stable name, words.
const CIRCULATIONS: [(&str, &str); 3] =
    [("internal", "internal"), ("circulated", "circulated to delegations"), ("public", "public")];

fn publication_name(p: Publication) -> &'static str {
    match p {
        Publication::Internal => "internal",
        Publication::Circulated => "circulated",
        Publication::Public => "public",
    }
}

fn publication_label(p: Publication) -> &'static str {
    match p {
        Publication::Internal => "internal",
        Publication::Circulated => "circulated to delegations",
        Publication::Public => "public",
    }
}

fn process_page(web: &WebState, v: &Viewer, pid: &str, invitation: String) -> Result<ProcessPage, ApiError> {
    let (slot, actor) = visible(web, pid, v)?;
    let s = slot.state.read().map_err(|_| ApiError::unavailable("lock"))?;
    let a = actor.as_ref();
    let drafts: Vec<_> = policy::readable_drafts(&s, a)
        .map(|d| DraftRow {
            id: d.id.clone(),
            label: d.label.clone(),
            publication: publication_name(d.publication),
            circulation: publication_label(d.publication),
            paragraphs: d.document.paragraphs.len(),
            entered: admin::date_words(&accord_core::negotiation::rfc3339(d.at_ms)[..10]),
        })
        .collect();
    let latest = policy::readable_drafts(&s, a).next_back();
    let (has_readiness, ready, readiness_line, obstacles, status_svg) = match latest {
        Some(d) => {
            let r = accord_core::readiness(&d.document);
            let line = if r.ready {
                format!("{} is ready for adoption: every paragraph agreed, no bracket left.", d.label)
            } else {
                format!(
                    "{}: {} of {} paragraphs agreed, {} brackets open — not ready for adoption.",
                    d.label, r.counts.agreed, r.counts.total, r.counts.brackets
                )
            };
            (
                true,
                r.ready,
                line,
                r.obstacles.iter().map(|o| o.message.clone()).collect(),
                markup::status_svg(&r.sections),
            )
        }
        None => (false, false, String::new(), Vec::new(), String::new()),
    };
    let delegate_or_up = policy::visible_from(&s, a).is_some_and(|f| f <= Publication::Circulated);
    let burn_svg = if delegate_or_up { markup::burn_down_svg(&s.burn_down) } else { String::new() };
    let sessions = if delegate_or_up {
        s.sessions.iter().map(|x| sessions::session_line(&s, x)).collect()
    } else {
        Vec::new()
    };
    let dates =
        [("opens", &s.info.opening), ("text closes", &s.info.deadline), ("adoption", &s.info.adoption)]
            .iter()
            .filter_map(|(what, d)| d.as_ref().map(|d| format!("{what} {}", admin::date_words(d))))
            .collect::<Vec<_>>()
            .join(" · ");
    Ok(ProcessPage {
        frame: frame(v),
        nav: nav(&s, a),
        title: s.info.title.clone(),
        mandate: s.info.mandate.clone(),
        co_facilitators: s.info.co_facilitators.join(", "),
        dates,
        drafts,
        can_publish: policy::may_read_working(&s, a),
        circulations: CIRCULATIONS,
        has_readiness,
        ready,
        readiness_line,
        obstacles,
        status_svg,
        burn_svg,
        sessions,
        is_secretariat: matches!(a, Some(Actor::Secretariat { .. })),
        can_import: policy::may_read_working(&s, a),
        participants: s
            .participants
            .iter()
            .filter(|p| p.kind != accord_core::negotiation::ParticipantKind::Group)
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect(),
        registered: admin::participant_views(&s),
        cofac_names: s.info.co_facilitators.clone(),
        invitation,
        invitation_for: String::new(),
        import_error: String::new(),
        import_label: String::new(),
        import_publication: "circulated".into(),
        endgame: String::new(),
        info: s.info.clone(),
    })
}

async fn process_home(State(web): State<Web>, headers: HeaderMap, Path(pid): Path<String>) -> Response {
    let v = web.viewer(&headers).await;
    match process_page(&web, &v, &pid, String::new()) {
        Ok(mut p) => {
            p.endgame = endgame::section(&web, &v, &pid).await;
            page(&v, &p)
        }
        Err(e) => login_or_error(&v, &headers, e, &format!("/p/{pid}")),
    }
}

fn login_or_error(v: &Viewer, headers: &HeaderMap, e: ApiError, here: &str) -> Response {
    if e.status == StatusCode::UNAUTHORIZED && !wants_json(headers) {
        return Redirect::to(&format!("/login?next={}", here.replace('&', "%26"))).into_response();
    }
    error_page(v, headers, e, "/")
}

/// An item of a draft page.
pub enum Item {
    /// A heading: id, text, level.
    Heading(String, String, u8),
    /// A paragraph.
    Paragraph(ParaView),
}

#[derive(Template)]
#[template(path = "draft.html")]
struct DraftPage {
    frame: Frame,
    nav: Nav,
    did: String,
    title: String,
    label: String,
    date: String,
    title_status: &'static str,
    title_status_class: &'static str,
    drafts: Vec<(String, String)>,
    /// The letters that came with the draft (folded), as HTML.
    letters: String,
    article: Arc<str>,
}

fn heading_anchor(id: &str) -> String {
    format!("h-{}", id.replace(|c: char| !c.is_ascii_alphanumeric(), "-"))
}

fn draft_items(d: &accord_core::Draft, links: markup::Links<'_>) -> (Vec<(String, String, u8)>, Vec<Item>) {
    let mut items = Vec::new();
    let mut headings = d.headings.iter().peekable();
    let mut toc = Vec::new();
    for (i, p) in d.paragraphs.iter().enumerate() {
        while let Some(h) = headings.next_if(|h| h.first_paragraph <= i) {
            let text = [h.number.as_deref().unwrap_or(""), &h.title].join(" ").trim().to_string();
            toc.push((heading_anchor(&h.id), text.clone(), h.level));
            items.push(Item::Heading(heading_anchor(&h.id), text, h.level));
        }
        items.push(Item::Paragraph(para_view(p, links)));
    }
    (toc, items)
}

async fn draft_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, did)): Path<(String, String)>,
) -> Response {
    let v = web.viewer(&headers).await;
    let result = in_process(&web, &pid, &v, |s, a| {
        let d = policy::readable_draft(s, a, &did)
            .ok_or_else(|| ApiError::not_found(format!("no draft `{did}`")))?;
        let article = web.draft_article(&pid, &did, &d.document);
        let (ts, tc) = status_label(d.document.title_status);
        Ok(DraftPage {
            frame: frame(&v),
            nav: nav(s, a),
            did: did.clone(),
            title: d.document.title.clone().unwrap_or_else(|| s.info.title.clone()),
            label: d.label.clone(),
            date: d.document.date.clone().unwrap_or_default(),
            title_status: if ts.is_empty() { "Open" } else { ts },
            title_status_class: tc,
            drafts: policy::readable_drafts(s, a).map(|x| (x.id.clone(), x.label.clone())).collect(),
            letters: markup::letters_html(&d.document.letters, false),
            article,
        })
    });
    match result {
        Ok(p) => page(&v, &p),
        Err(e) => login_or_error(&v, &headers, e, &format!("/p/{pid}/drafts/{did}")),
    }
}

/// A self-contained page (styles inline) for e-mail or printing.
fn standalone(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{}</style></head><body><main>{body}</main></body></html>",
        esc(title),
        include_str!("../../static/accord.css")
    );
    Html(html).into_response()
}

/// A draft's table of contents and its headings and paragraphs as HTML (the
/// draft page's article and the standalone export share it). Drafts never
/// change, so the page caches it.
fn draft_article(pid: &str, did: &str, d: &accord_core::Draft, links: markup::Links<'_>) -> String {
    let (toc, items) = draft_items(d, links);
    let mut out = String::with_capacity(d.paragraphs.iter().map(|p| p.text.len() * 2 + 200).sum());
    out.push_str("<nav aria-labelledby=\"toc-h\" class=\"toc\"><h2 id=\"toc-h\">Contents</h2><ol>");
    for (id, text, level) in &toc {
        out.push_str(&format!("<li class=\"level-{level}\"><a href=\"#{id}\">{}</a></li>", esc(text)));
    }
    out.push_str("</ol></nav>");
    for item in items {
        match item {
            Item::Heading(id, text, level) => {
                out.push_str(&format!("<h2 id=\"{id}\" class=\"heading level-{level}\">{}</h2>", esc(&text)))
            }
            Item::Paragraph(p) => out.push_str(&format!(
                "<section class=\"paragraph status-{}\" id=\"para-{}\" aria-label=\"Paragraph {}\"><p dir=\"auto\"><span class=\"num\">{}</span> {} {}</p><p class=\"origin-link\"><a href=\"/p/{}/drafts/{}/origin/{}\">Where does paragraph {} come from?</a></p></section>",
                p.status_class,
                esc(&p.id),
                esc(&p.number),
                esc(&p.number),
                p.html,
                if p.status.is_empty() {
                    String::new()
                } else {
                    format!("<span class=\"badge {}\">{}</span>", p.status_class, p.status)
                },
                esc(pid),
                esc(did),
                esc(&p.id),
                esc(&p.number),
            )),
        }
    }
    out
}

async fn draft_export(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, did)): Path<(String, String)>,
) -> Response {
    let v = web.viewer(&headers).await;
    let result = in_process(&web, &pid, &v, |s, a| {
        let d = policy::readable_draft(s, a, &did)
            .ok_or_else(|| ApiError::not_found(format!("no draft `{did}`")))?;
        let title = d.document.title.clone().unwrap_or_else(|| s.info.title.clone());
        // The same article the draft page shows, from the same cache.
        let article = web.draft_article(&pid, &did, &d.document);
        let letters = markup::letters_html(&d.document.letters, true);
        let body =
            format!("<h1>{}</h1><p class=\"muted\">{}</p>{letters}{article}", esc(&title), esc(&d.label));
        Ok(standalone(&title, &body))
    });
    result.unwrap_or_else(|e| error_page(&v, &headers, e, &format!("/p/{pid}")))
}

#[derive(serde::Deserialize)]
struct ComparePair {
    old: String,
    new: String,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    frame: Frame,
    nav: Nav,
    old: String,
    new: String,
    body: String,
}

/// The comparison of two drafts of a process the viewer may read: as a
/// standalone page (`standalone`) or as the fragment a page embeds.
fn comparison(
    web: &WebState,
    v: &Viewer,
    pid: &str,
    q: &ComparePair,
    standalone: bool,
) -> Result<(String, Nav), ApiError> {
    let (slot, actor) = visible(web, pid, v)?;
    let s = slot.state.read().map_err(|_| ApiError::unavailable("lock"))?;
    let a = actor.as_ref();
    let find = |id: &str| {
        policy::readable_draft(&s, a, id).ok_or_else(|| ApiError::not_found(format!("no draft `{id}`")))
    };
    let (old, new) = (find(&q.old)?, find(&q.new)?);
    let c = accord_core::compare(&old.document, &new.document);
    // What is compared, in the reader's words: label and date of each side.
    // A date line may name a draft before its date ("Rev.1 – 7 April
    // 2026"): the date only, after the label.
    let side = |d: &accord_core::negotiation::DraftVersion| {
        let line = d.document.date.as_deref().map(str::trim).unwrap_or_default();
        let date = line.split_once(" – ").or_else(|| line.split_once(" - ")).map_or(line, |(_, x)| x.trim());
        if date.is_empty() {
            d.label.clone()
        } else {
            format!("{}, {date}", d.label)
        }
    };
    let sides = crate::render::Sides { old: side(old), new: side(new) };
    let causes = causes(&s, a, &old.id, &new.id, pid);
    let html = if standalone {
        crate::render::comparison_html_between(&c, &old.document, &new.document, sides, &causes)
    } else {
        crate::render::comparison_fragment_between(&c, &old.document, &new.document, sides, &causes)
    };
    Ok((html, nav(&s, a)))
}

/// The proposals taken into the drafts after `old` up to `new`, by the
/// paragraph of `old` they changed, as the reader may read them: what
/// caused each change of the comparison, linked to the proposal's history.
fn causes(s: &ProcessState, a: Option<&Actor>, old: &str, new: &str, pid: &str) -> crate::render::Causes {
    let mut out = crate::render::Causes::new();
    let index = |id: &str| s.drafts.iter().position(|d| d.id == id);
    let (Some(from), Some(to)) = (index(old), index(new)) else { return out };
    if from >= to || !policy::may_read_proposals(s, a) {
        return out;
    }
    for p in s.proposals.iter().filter(|p| policy::may_read_proposal(s, a, p)) {
        let taken = p.incorporated_in.as_deref().and_then(index).is_some_and(|i| from < i && i <= to);
        let Some(para) = taken.then(|| s.paragraph_in(&p.draft, &p.paragraph, old)).flatten() else {
            continue;
        };
        let what =
            format!("{} ({}): {}", compilation::proposal_name(&p.id), s.name_of(&p.author), p.describe());
        let what = accord_core::words::upper_first(&what);
        out.entry(para).or_default().push((what, format!("/p/{pid}/proposals/{}", p.id)));
    }
    // The co-facilitators' decisions in sessions while `old` was the latest
    // draft (statuses, brackets, compromise texts, recorded decisions); a
    // decision on a proposal is linked through the proposal above.
    for x in &s.sessions {
        for d in x.decisions.iter().filter(|d| d.draft.as_deref() == Some(old) && d.action != "decide") {
            let what = format!("{}: {}", sessions::session_title(x), d.summary);
            for para in &d.paragraphs {
                let entry = out.entry(para.clone()).or_default();
                let link = (what.clone(), format!("/p/{pid}/sessions#session-{}", x.id));
                if !entry.contains(&link) {
                    entry.push(link);
                }
            }
        }
    }
    out
}

async fn compare_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Query(q): Query<ComparePair>,
) -> Response {
    let v = web.viewer(&headers).await;
    match comparison(&web, &v, &pid, &q, false) {
        Ok((body, nav)) => page(&v, &ComparePage { frame: frame(&v), nav, old: q.old, new: q.new, body }),
        Err(e) => login_or_error(&v, &headers, e, &format!("/p/{pid}")),
    }
}

async fn compare_export(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Query(q): Query<ComparePair>,
) -> Response {
    let v = web.viewer(&headers).await;
    match comparison(&web, &v, &pid, &q, true) {
        Ok((html, _)) => Html(html).into_response(),
        Err(e) => error_page(&v, &headers, e, &format!("/p/{pid}")),
    }
}
