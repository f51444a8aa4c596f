//! The JSON API under `/api/`. Each route is declared once, in [`router`],
//! together with its documentation, so the OpenAPI document served at
//! `/api/openapi.json` is generated from the same table that routes requests
//! and cannot drift from it.
//!
//! Writes go through [`Workspace::execute`]; reads take a process's read
//! lock and answer from memory (drafts, which never change once in the
//! series, and the compilation text are cached as serialized JSON).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::handler::Handler;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use accord_core::negotiation::{
    policy, Action, Actor, BracketResolution, Decision, DomainError, Edit, Outcome, Participant, ProcessInfo,
    ProcessState, Proposal, Publication,
};
use accord_core::Status;

use crate::error::ApiError;
use accord_workspace::idempotency::MAX_KEY_LEN;
use accord_workspace::{ProcessSlot, RequestKey, Workspace};

mod endgame;
mod guard;
mod handlers;
mod limits;
mod openapi;
mod requests;
mod schema;
mod wire;
use endgame::*;
pub use handlers::canonical_of;
use handlers::*;
pub(crate) use limits::with_retry_after;
pub(crate) use limits::RateLimiter;
use limits::{page, PageQuery};
pub use limits::{Limits, DEFAULT_PAGE, MAX_PAGE};
use openapi::{Endpoint, Reply};
use requests::*;

/// Largest request body accepted (a draft of a few hundred pages fits).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

type Ws = Arc<ApiState>;

/// An answer serialized once, with the state it reflects.
type Cached<K> = Mutex<HashMap<K, (u64, Bytes)>>;

/// The API's state: the workspace, and answers serialized once and shared.
pub struct ApiState {
    ws: Arc<Workspace>,
    /// A draft's JSON by (process, draft, publication), with the process's
    /// generation it was made in (drafts never change once in the series,
    /// but a reload after a store failure may take a draft back).
    drafts: Cached<(String, String, Publication)>,
    /// The compilation's JSON by (process, generation), with the seq it reflects.
    compilations: Cached<(String, u64)>,
    /// Each actor's write quota.
    writes: Arc<RateLimiter>,
}

impl std::ops::Deref for ApiState {
    type Target = Workspace;
    fn deref(&self) -> &Workspace {
        &self.ws
    }
}

struct Api {
    router: Router<Ws>,
    endpoints: Vec<Endpoint>,
}

impl Api {
    fn route(
        mut self,
        method: &'static str,
        doc: (&'static str, &'static str, &'static str),
        request: Option<(&'static str, Value)>,
        reply: Reply,
        handler: MethodRouter<Ws>,
    ) -> Api {
        let (path, summary, who) = doc;
        self.router = self.router.route(path, handler);
        let keyed = request.is_some();
        self.endpoints.push(Endpoint {
            method,
            path,
            summary,
            who,
            request,
            query: Vec::new(),
            reply,
            keyed,
        });
        self
    }

    /// The write just added takes no `Idempotency-Key`: it is not an event,
    /// and a retry of it reaches the same state by itself.
    fn unkeyed(mut self) -> Api {
        if let Some(e) = self.endpoints.last_mut() {
            e.keyed = false;
        }
        self
    }

    /// Query parameters of the route just added.
    fn with_query(mut self, query: Vec<Value>) -> Api {
        if let Some(e) = self.endpoints.last_mut() {
            e.query.extend(query);
        }
        self
    }

    /// A list: a GET with a page (`?limit=&after=`); `after` is the id of the
    /// last item of the previous page (`cursor` describes it), and the
    /// answer's `next` the cursor of the next page (null on the last).
    fn list<H, T>(
        self,
        path: &'static str,
        summary: &'static str,
        who: &'static str,
        cursor: Value,
        schema: &'static str,
        h: H,
    ) -> Api
    where
        H: Handler<T, Ws>,
        T: 'static,
    {
        self.get(path, summary, who, Reply::ok(schema), h).with_query(schema::page_parameters(cursor))
    }

    fn get<H, T>(
        self,
        path: &'static str,
        summary: &'static str,
        who: &'static str,
        reply: Reply,
        h: H,
    ) -> Api
    where
        H: Handler<T, Ws>,
        T: 'static,
    {
        self.route("get", (path, summary, who), None, reply, get(h))
    }

    #[allow(clippy::too_many_arguments)]
    fn post<H, T, R: Serialize>(
        self,
        path: &'static str,
        summary: &'static str,
        who: &'static str,
        request: &'static str,
        example: R,
        reply: Reply,
        h: H,
    ) -> Api
    where
        H: Handler<T, Ws>,
        T: 'static,
    {
        let example = serde_json::to_value(example).unwrap_or(Value::Null);
        let handler = post(h).route_layer(axum::middleware::from_fn(guard::require_json));
        self.route("post", (path, summary, who), Some((request, example)), reply, handler)
    }
}

/// The API's router, with the OpenAPI document built from the same table.
pub fn router(ws: Arc<Workspace>) -> Router {
    router_with(ws, Limits::default())
}

/// As [`router`], with the write quota given.
pub fn router_with(ws: Arc<Workspace>, limits: Limits) -> Router {
    router_sharing(ws, Arc::new(RateLimiter::new(limits)))
}

/// As [`router`], drawing writes from the quota `writes` (shared with the pages).
pub(crate) fn router_sharing(ws: Arc<Workspace>, writes: Arc<RateLimiter>) -> Router {
    let ws: Ws = Arc::new(ApiState { ws, drafts: Mutex::default(), compilations: Mutex::default(), writes });
    let api = Api { router: Router::new(), endpoints: Vec::new() }
        .get("/api/health", "Liveness: the server answers", "anyone", Reply::ok("Health"), health)
        .get("/api/ready", "Readiness: the store accepts changes (503 with the reason when it does not, e.g. a read-only database)", "anyone", Reply::ok("Ready"), ready)
        .get("/api/processes", "Processes the caller may see", "anyone", Reply::ok("ProcessList"), list_processes)
        .post(
            "/api/processes",
            "Create a process",
            "secretariat", "CreateProcessRequest",
            CreateProcessRequest { id: "ocean-data".into(), info: example_info() }, Reply::created("Outcome"),
            create_process,
        )
        .get("/api/processes/{process}", "A process: description, participants, drafts, sessions", "anyone who may see it", Reply::ok("Process"), get_process)
        .post(
            "/api/processes/{process}/participants",
            "Register (or change) a delegation or group",
            "secretariat", "ParticipantRequest",
            ParticipantRequest {
                id: "g77".into(),
                name: "Group of 77 and China".into(),
                kind: accord_core::negotiation::ParticipantKind::Group,
                members: vec!["estoria".into()],
            }, Reply::created("Outcome"),
            add_participant,
        )
        .list("/api/processes/{process}/drafts", "The series of drafts the caller may read, a page at a time", "readers", json!({"type": "string", "minLength": 1}), "DraftPage", list_drafts)
        .post(
            "/api/processes/{process}/drafts",
            "Import the next draft from its text (plain text as extracted from PDF or Word, or Accord's canonical form)",
            "secretariat, co-facilitator", "ImportDraftRequest",
            ImportDraftRequest { label: "Zero draft".into(), text: "1. We agree …".into(), publication: Publication::Circulated }, Reply::created("Outcome"),
            import_draft,
        )
        .get("/api/processes/{process}/drafts/{draft}", "A draft: its document in the `accord parse` JSON contract", "readers of the draft", Reply::ok("Draft"), get_draft)
        .get("/api/processes/{process}/drafts/{draft}/export", "A draft as a file: `?format=docx` (Word), `pdf` (the circulation PDF) or `akn` (Akoma Ntoso XML), as the web page downloads it", "readers of the draft", Reply::binary(), export_draft)
        .with_query(vec![json!({"name": "format", "in": "query", "required": true, "schema": {"type": "string", "enum": ["docx", "pdf", "akn"]}})])
        .post(
            "/api/processes/{process}/drafts/{draft}/publication",
            "Change who may read a draft",
            "secretariat, co-facilitator", "PublishRequest",
            PublishRequest { publication: Publication::Public }, Reply::ok("Outcome"),
            publish,
        )
        .get(
            "/api/processes/{process}/drafts/{draft}/compare/{other}",
            "Compare two drafts (the `accord compare` JSON contract)",
            "readers of both drafts", Reply::ok("Comparison"),
            compare_drafts,
        )
        .get("/api/processes/{process}/working", "The working text: the latest draft with the co-facilitators' changes, and each paragraph's revision", "secretariat, co-facilitator", Reply::ok("Working"), get_working)
        .post(
            "/api/processes/{process}/working/{paragraph}/status",
            "Set a paragraph's status (open: reopened)",
            "co-facilitator", "StatusRequest",
            StatusRequest { status: Status::AgreedAdRef, note: None, base_revision: 7, session: Some("s1".into()) }, Reply::ok("Outcome"),
            set_status,
        )
        .post(
            "/api/processes/{process}/working/{paragraph}/brackets/{bracket}",
            "Resolve a bracket: keep, delete, or choose an alternative",
            "co-facilitator", "BracketRequest",
            BracketRequest { resolution: ResolutionKind::Choose, alternative: Some(1), base_revision: 7, session: None }, Reply::ok("Outcome"),
            resolve_bracket,
        )
        .post(
            "/api/processes/{process}/working/{paragraph}/compromise",
            "Write a compromise text for a paragraph",
            "co-facilitator", "CompromiseRequest",
            CompromiseRequest { text: "We agree to act by 2030.".into(), base_revision: 7, session: None }, Reply::ok("Outcome"),
            write_compromise,
        )
        .list("/api/processes/{process}/proposals", "Proposals the caller may read (`?state=live`, `?paragraph=12`), a page at a time", "readers", json!({"type": "string", "minLength": 1}), "ProposalPage", list_proposals)
        .with_query(vec![
            json!({"name": "state", "in": "query", "required": false, "schema": {"type": "string", "enum": ["live", "withdrawn", "accepted", "set-aside"]}, "description": "Only proposals in this state."}),
            json!({"name": "paragraph", "in": "query", "required": false, "schema": {"type": "string"}, "description": "Only proposals on this paragraph (its id where the proposal now stands, or where it was tabled)."}),
        ])
        .post(
            "/api/processes/{process}/proposals",
            "Table a proposal against a paragraph (default: of the latest draft, in the caller's own name)",
            "delegation", "TableProposalRequest",
            TableProposalRequest {
                draft: None,
                paragraph: "12".into(),
                on_behalf_of: Some("g77".into()),
                edit: EditRequest::Replace { span: [19, 23], text: "2035".into() },
                rationale: Some("Aligns with the 2035 review.".into()),
                citation: None,
            }, Reply::created("Outcome"),
            table_proposal,
        )
        .get("/api/processes/{process}/proposals/{proposal}", "One proposal", "readers", Reply::ok("Proposal"), get_proposal)
        .post(
            "/api/processes/{process}/proposals/{proposal}/support",
            "Support a proposal",
            "delegation", "OnBehalfRequest",
            OnBehalfRequest { on_behalf_of: None }, Reply::ok("Outcome"),
            support,
        )
        .post(
            "/api/processes/{process}/proposals/{proposal}/oppose",
            "Oppose a proposal",
            "delegation", "OnBehalfRequest",
            OnBehalfRequest { on_behalf_of: None }, Reply::ok("Outcome"),
            oppose,
        )
        .post(
            "/api/processes/{process}/proposals/{proposal}/withdraw-stance",
            "Take back one's support or opposition (in one's own name or a group's one speaks for)",
            "delegation", "OnBehalfRequest",
            OnBehalfRequest { on_behalf_of: None }, Reply::ok("Outcome"),
            withdraw_stance,
        )
        .post(
            "/api/processes/{process}/proposals/{proposal}/revise",
            "Revise one's own proposal",
            "delegation (author)", "ReviseRequest",
            ReviseRequest { base_revision: 9, edit: EditRequest::Delete { span: [0, 10] }, rationale: None }, Reply::ok("Outcome"),
            revise,
        )
        .post("/api/processes/{process}/proposals/{proposal}/withdraw", "Withdraw one's own proposal", "delegation (author)", "EmptyRequest", json!({}), Reply::ok("Outcome"), withdraw)
        .post(
            "/api/processes/{process}/proposals/{proposal}/decide",
            "Accept a proposal into the working text, or set it aside",
            "co-facilitator", "DecideRequest",
            DecideRequest { decision: Decision::Accept, base_revision: 9, session: Some("s1".into()) }, Reply::ok("Outcome"),
            decide,
        )
        .post(
            "/api/processes/{process}/revisions",
            "Produce the next revision from the working text: renumbered, with a cover letter",
            "co-facilitator", "RevisionRequest",
            RevisionRequest { label: "Rev.1".into(), date: Some("7 April 2026".into()), publication: Publication::Circulated }, Reply::created("Outcome"),
            produce_revision,
        )
        .list("/api/processes/{process}/sessions", "Sessions, with their agendas and decisions, a page at a time", "delegations and up", json!({"type": "string", "minLength": 1}), "SessionPage", list_sessions)
        .post(
            "/api/processes/{process}/sessions",
            "Schedule an informal session",
            "secretariat, co-facilitator", "SessionRequest",
            SessionRequest { date: "2026-04-14".into(), time: "10:00–13:00".into(), room: "CR 4".into(), agenda: vec!["12".into()] }, Reply::created("Outcome"),
            schedule_session,
        )
        .post(
            "/api/processes/{process}/sessions/{session}/decisions",
            "Record a decision taken in a session",
            "secretariat, co-facilitator", "DecisionRequest",
            DecisionRequest { text: "Paragraphs 12 to 15 go to a small group.".into(), paragraphs: vec!["12".into()] }, Reply::created("Outcome"),
            record_decision,
        )
        .get("/api/processes/{process}/compilation", "The compilation text: the latest draft with every live proposal under its paragraph (`?format=text`); the proposals only for those who may read them (`proposals_visible`)", "readers of the latest draft", Reply::ok("Compilation").or("text/plain", json!({"type": "string"})), compilation)
        .with_query({
            let mut q = schema::page_parameters(json!({"type": "string", "minLength": 1, "description": "A paragraph id"}));
            q.push(json!({"name": "format", "in": "query", "required": false, "schema": {"type": "string", "enum": ["json", "text"], "default": "json"}, "description": "`text`: the whole compilation as plain text (not paged)."}));
            q
        })
        .post(
            "/api/processes/{process}/proposal-visibility",
            "Who reads the proposals: `participants` (the default) or `public` (the compilation published to observers and the public)",
            "co-facilitator", "ProposalVisibilityRequest",
            ProposalVisibilityRequest { visibility: accord_core::negotiation::ProposalVisibility::Public }, Reply::ok("Outcome"),
            set_proposal_visibility,
        )
        .get("/api/processes/{process}/readiness", "Readiness for adoption, and the bracket burn-down", "readers of the latest draft", Reply::ok("Readiness"), readiness)
        .get("/api/processes/{process}/endgame", "Where the end game stands: time zone, deadline for textual proposals (with the seconds left), silence, adoption", "anyone who may see the process", Reply::ok("Endgame"), endgame)
        .post("/api/processes/{process}/time-zone", "Set the process's time zone (IANA name); deadlines are read and shown in it", "secretariat, co-facilitator", "TimeZoneRequest", TimeZoneRequest { zone: "America/New_York".into() }, Reply::created("Outcome"), set_time_zone)
        .post(
            "/api/processes/{process}/deadline",
            "Set the deadline for textual proposals (`until`: RFC 3339, or a local time in the process's zone), or lift it (`until: null`)",
            "co-facilitator", "DeadlineRequest",
            DeadlineRequest { until: Some("2026-12-04T18:00".into()), session: None }, Reply::created("Outcome"),
            set_deadline,
        )
        .get("/api/processes/{process}/silence", "Where the silence stands: {state: running|broken|passed, draft, until, until_local, breaks: [{paragraph, by, reason, at}]}", "anyone who may see the process", Reply::ok("Silence"), silence_status)
        .post("/api/processes/{process}/silence", "Place the latest draft (circulated, without brackets) under silence until an instant", "co-facilitator", "SilenceRequest", SilenceRequest { until: "2026-12-10T18:00:00-05:00".into() }, Reply::created("Outcome"), start_silence)
        .post(
            "/api/processes/{process}/silence/breaks",
            "Break silence on named paragraphs with the reasons (refused at or after the deadline)",
            "delegation (for itself or its group)", "BreakRequest",
            BreakRequest { paragraphs: vec!["12".into()], reason: "We cannot accept the new target date.".into(), on_behalf_of: None }, Reply::created("Outcome"),
            break_silence,
        )
        .get("/api/processes/{process}/focal-points", "Focal points (name, e-mail) mail goes to: all of them for the secretariat and co-facilitators, one's own otherwise", "participants", Reply::ok("FocalPoints"), get_focal_points)
        .post(
            "/api/processes/{process}/focal-points",
            "Replace a participant's focal points (a replacement: a retry reaches the same state, so it takes no Idempotency-Key)",
            "secretariat, co-facilitator, or the participant itself", "FocalPointsRequest",
            FocalPointsRequest { participant: "delegation:estoria".into(), focal_points: vec![FocalPoint { name: "Ana Pérez".into(), email: "ana.perez@estoria-mission.example".into() }] }, Reply::ok("FocalPoints"),
            set_focal_points,
        )
        .unkeyed()
        .get("/api/processes/{process}/outbox", "The mail the process's events caused: each message's recipient and state (queued, sent, failed with the server's answer), attempts; a page at a time", "secretariat, co-facilitator", Reply::ok("Outbox"), outbox)
        .with_query(schema::page_parameters(json!({"type": "integer", "description": "A message id"})))
        .post("/api/processes/{process}/adopt", "Adopt the text: refused (409) with every obstacle (`current.obstacles`) until none is left; then the text as adopted enters the series and the process becomes read-only", "co-facilitator", "AdoptRequest", AdoptRequest { date: Some("16 December 2026".into()) }, Reply::created("Outcome"), adopt)
        .list("/api/processes/{process}/events", "The event log, for audit, a page at a time (`?after=SEQ`: the events after that sequence number)", "secretariat, co-facilitator", json!({"type": "integer", "minimum": 0}), "EventPage", events)
        .get("/api/processes/{process}/state", "The whole derived state, for audit: what replaying the log must rebuild", "secretariat", Reply::ok("State"), full_state);
    let openapi = Arc::new(openapi::document(&api.endpoints));
    api.router
        .route(
            "/api/openapi.json",
            get(move || {
                let doc = openapi.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], doc.to_string()) }
            }),
        )
        .fallback(|| async {
            ApiError::not_found("no such route; the API is described at /api/openapi.json")
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(guard::guard))
        .with_state(ws)
}

fn example_info() -> ProcessInfo {
    ProcessInfo {
        title: "Outcome document of the High-level Meeting on Ocean Data".into(),
        mandate: "resolution 79/418".into(),
        opening: Some("2026-03-03".into()),
        deadline: Some("2026-06-30".into()),
        adoption: Some("2026-09-22".into()),
        co_facilitators: vec!["Norland".into(), "Estoria".into()],
        public: false,
    }
}

// ---------------------------------------------------------------------------
// Plumbing: who calls, what they sent, how to answer.

/// Reads a JSON body, with the line and column of what is wrong.
fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::bad_request("the request needs a JSON body"));
    }
    // serde would read a struct from an array too (`[null, null]`): every
    // body is an object.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::bad_request("the request body must be a JSON object (`{…}`)"));
    }
    serde_json::from_slice(bytes).or_else(|e| {
        // A number is its value, as JSON Schema reads it: `7.0` is the
        // integer 7. Only on that refusal is the body read a second time.
        let integral = || {
            let mut v: Value = serde_json::from_slice(bytes).ok()?;
            integral_numbers(&mut v).then(|| serde_json::from_value(v).ok())?
        };
        match e.classify() {
            serde_json::error::Category::Data if e.to_string().contains("floating point") => integral(),
            _ => None,
        }
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "malformed request body at line {}, column {}: {e}",
                e.line(),
                e.column()
            ))
        })
    })
}

/// Rewrites integral floats (`7.0`) as integers; whether any was.
fn integral_numbers(v: &mut Value) -> bool {
    match v {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 2f64.powi(53)) else {
                return false;
            };
            *v = if f < 0.0 { Value::from(f as i64) } else { Value::from(f as u64) };
            true
        }
        Value::Array(items) => items.iter_mut().fold(false, |any, x| integral_numbers(x) | any),
        Value::Object(map) => map.values_mut().fold(false, |any, x| integral_numbers(x) | any),
        _ => false,
    }
}

/// The actor behind the request's bearer token (`None`: the public).
async fn caller(
    ws: &Workspace,
    headers: &HeaderMap,
    process: Option<&str>,
) -> Result<Option<Actor>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let value = value.to_str().map_err(|_| ApiError::unauthorized("the Authorization header is not text"))?;
    let Some(secret) = value.strip_prefix("Bearer ").map(str::trim) else {
        return Err(ApiError::unauthorized("use `Authorization: Bearer TOKEN`"));
    };
    let Some(grant) = ws.token(secret).await? else {
        return Err(ApiError::unauthorized("this token is not known; ask the secretariat for one"));
    };
    if let (Some(scope), Some(p)) = (&grant.process, process) {
        if scope != p {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("this token is for process `{scope}`, not `{p}`"),
            ));
        }
    }
    if grant.process.is_some() && process.is_none() {
        // A process token outside any process: it is still its actor, but
        // sees only what its process allows (handled per process).
    }
    Actor::from_label(&grant.actor)
        .map(Some)
        .ok_or_else(|| ApiError::unavailable("a stored token names an unknown role"))
}

/// What a write handler needs of the request besides its body: the headers
/// (who calls) and what scopes an `Idempotency-Key` (the method and route
/// template) and fingerprints it (the concrete path).
pub(super) struct Call {
    headers: HeaderMap,
    scope: String,
    path: String,
}

impl std::ops::Deref for Call {
    type Target = HeaderMap;
    fn deref(&self) -> &HeaderMap {
        &self.headers
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Call {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Call, Self::Rejection> {
        let route = parts.extensions.get::<axum::extract::MatchedPath>().map_or("", |m| m.as_str());
        Ok(Call {
            headers: parts.headers.clone(),
            scope: format!("{} {route}", parts.method),
            path: parts.uri.path().to_string(),
        })
    }
}

/// The request's `Idempotency-Key`, scoped to its route and fingerprinted
/// with its path and body ([`accord_workspace::idempotency`]).
fn key(call: &Call, body: &[u8]) -> Result<Option<RequestKey>, ApiError> {
    let Some(v) = call.headers.get("idempotency-key") else { return Ok(None) };
    let k = v.to_str().map_err(|_| ApiError::bad_request("Idempotency-Key must be text"))?;
    if k.is_empty() || k.len() > MAX_KEY_LEN {
        return Err(ApiError::bad_request(format!("Idempotency-Key must be 1–{MAX_KEY_LEN} characters")));
    }
    RequestKey::new(k, &call.scope, &[call.path.as_bytes(), body])
        .map(Some)
        .map_err(|e| ApiError::bad_request(e.to_string()))
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A cached JSON answer: the bytes are shared, not copied.
fn json_bytes(body: Bytes) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn ok<T: Serialize>(value: &T) -> Response {
    json_response(StatusCode::OK, serde_json::to_string(value).unwrap_or_default())
}

/// 201: a write recorded its event.
fn created(outcome: &Outcome) -> Response {
    let view = wire::OutcomeView::from(outcome);
    json_response(StatusCode::CREATED, serde_json::to_string(&view).unwrap_or_default())
}

/// 200: a write changed what exists.
fn done(outcome: &Outcome) -> Response {
    ok(&wire::OutcomeView::from(outcome))
}

/// The process, if the caller may see it (otherwise 404, not 403: a
/// process's existence is itself not public).
fn visible_process(ws: &Workspace, id: &str, actor: Option<&Actor>) -> Result<Arc<ProcessSlot>, ApiError> {
    let slot = ws.process(id).ok_or_else(|| ApiError::not_found(format!("no process `{id}`")))?;
    let visible = slot.state.read().is_ok_and(|s| policy::may_see_process(&s, actor));
    if visible {
        Ok(slot)
    } else {
        Err(ApiError::not_found(format!("no process `{id}`")))
    }
}

/// `GET …/drafts/{draft}/export?format=docx|pdf|akn`: the web download's file.
async fn export_draft(
    State(ws): State<Ws>,
    Path((p, d)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let name = q.get("format").map_or("", String::as_str);
    let format = crate::web::Format::from_name(name)
        .ok_or_else(|| ApiError::bad_request(format!("format `{name}`: give docx, pdf or akn")))?;
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let file = crate::web::DraftFile::of(&*read(&slot)?, actor.as_ref(), &p, &d, format)?;
    file.make().await
}

fn read(slot: &ProcessSlot) -> Result<std::sync::RwLockReadGuard<'_, ProcessState>, ApiError> {
    slot.state.read().map_err(|_| ApiError::unavailable("lock"))
}

/// Whether `actor` may read proposal `p` (`policy::may_read_proposal`: the
/// process's proposal visibility and the draft it was tabled on).
fn may_read_proposal(s: &ProcessState, actor: Option<&Actor>, p: &Proposal) -> bool {
    policy::may_read_proposal(s, actor, p)
}

async fn run(
    ws: &ApiState,
    process: &str,
    call: &Call,
    body: &[u8],
    action: Action,
) -> Result<Outcome, ApiError> {
    let actor = caller(ws, call, Some(process))
        .await?
        .ok_or_else(|| ApiError::unauthorized("changes need a token: `Authorization: Bearer TOKEN`"))?;
    ws.writes.take(&actor.label())?;
    if !matches!(action, Action::CreateProcess { .. }) {
        visible_process(ws, process, Some(&actor))?;
    }
    let key = key(call, body)?;
    Ok(ws.execute_keyed(process, actor, action, key).await?)
}
