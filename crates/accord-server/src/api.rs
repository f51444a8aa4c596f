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
use accord_workspace::{ProcessSlot, Workspace};

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
}

impl std::ops::Deref for ApiState {
    type Target = Workspace;
    fn deref(&self) -> &Workspace {
        &self.ws
    }
}

/// One documented route.
struct Endpoint {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    who: &'static str,
    request: Option<Value>,
}

struct Api {
    router: Router<Ws>,
    endpoints: Vec<Endpoint>,
}

impl Api {
    fn route(
        mut self,
        method: &'static str,
        path: &'static str,
        summary: &'static str,
        who: &'static str,
        request: Option<Value>,
        handler: MethodRouter<Ws>,
    ) -> Api {
        self.router = self.router.route(path, handler);
        self.endpoints.push(Endpoint { method, path, summary, who, request });
        self
    }

    fn get<H, T>(self, path: &'static str, summary: &'static str, who: &'static str, h: H) -> Api
    where
        H: Handler<T, Ws>,
        T: 'static,
    {
        self.route("get", path, summary, who, None, get(h))
    }

    fn post<H, T, R: Serialize>(
        self,
        path: &'static str,
        summary: &'static str,
        who: &'static str,
        example: R,
        h: H,
    ) -> Api
    where
        H: Handler<T, Ws>,
        T: 'static,
    {
        let example = serde_json::to_value(example).ok();
        self.route("post", path, summary, who, example, post(h))
    }
}

/// The API's router, with the OpenAPI document built from the same table.
pub fn router(ws: Arc<Workspace>) -> Router {
    let ws: Ws = Arc::new(ApiState { ws, drafts: Mutex::default(), compilations: Mutex::default() });
    let api = Api { router: Router::new(), endpoints: Vec::new() }
        .get("/api/health", "Liveness: the server answers", "anyone", health)
        .get("/api/processes", "Processes the caller may see", "anyone", list_processes)
        .post(
            "/api/processes",
            "Create a process",
            "secretariat",
            CreateProcessRequest { id: "ocean-data".into(), info: example_info() },
            create_process,
        )
        .get("/api/processes/{process}", "A process: description, participants, drafts, sessions", "anyone who may see it", get_process)
        .post(
            "/api/processes/{process}/participants",
            "Register (or change) a delegation or group",
            "secretariat",
            Participant {
                id: "g77".into(),
                name: "Group of 77 and China".into(),
                kind: accord_core::negotiation::ParticipantKind::Group,
                members: vec!["estoria".into()],
            },
            add_participant,
        )
        .get("/api/processes/{process}/drafts", "The series of drafts the caller may read", "readers", list_drafts)
        .post(
            "/api/processes/{process}/drafts",
            "Import the next draft from its text (plain text as extracted from PDF or Word, or Accord's canonical form)",
            "secretariat, co-facilitator",
            ImportDraftRequest { label: "Zero draft".into(), text: "1. We agree …".into(), publication: Publication::Circulated },
            import_draft,
        )
        .get("/api/processes/{process}/drafts/{draft}", "A draft: its document in the `accord parse` JSON contract", "readers of the draft", get_draft)
        .post(
            "/api/processes/{process}/drafts/{draft}/publication",
            "Change who may read a draft",
            "secretariat, co-facilitator",
            PublishRequest { publication: Publication::Public },
            publish,
        )
        .get(
            "/api/processes/{process}/drafts/{draft}/compare/{other}",
            "Compare two drafts (the `accord compare` JSON contract)",
            "readers of both drafts",
            compare_drafts,
        )
        .get("/api/processes/{process}/working", "The working text: the latest draft with the co-facilitators' changes, and each paragraph's revision", "secretariat, co-facilitator", get_working)
        .post(
            "/api/processes/{process}/working/{paragraph}/status",
            "Set a paragraph's status (open: reopened)",
            "co-facilitator",
            StatusRequest { status: Status::AgreedAdRef, note: None, base_revision: 7, session: Some("s1".into()) },
            set_status,
        )
        .post(
            "/api/processes/{process}/working/{paragraph}/brackets/{bracket}",
            "Resolve a bracket: keep, delete, or choose an alternative",
            "co-facilitator",
            BracketRequest { resolution: BracketResolution::Choose { alternative: 1 }, base_revision: 7, session: None },
            resolve_bracket,
        )
        .post(
            "/api/processes/{process}/working/{paragraph}/compromise",
            "Write a compromise text for a paragraph",
            "co-facilitator",
            CompromiseRequest { text: "We agree to act by 2030.".into(), base_revision: 7, session: None },
            write_compromise,
        )
        .get("/api/processes/{process}/proposals", "Proposals the caller may read (`?state=live`, `?paragraph=12`)", "readers", list_proposals)
        .post(
            "/api/processes/{process}/proposals",
            "Table a proposal against a paragraph (default: of the latest draft, in the caller's own name)",
            "delegation",
            TableProposalRequest {
                draft: None,
                paragraph: "12".into(),
                on_behalf_of: Some("g77".into()),
                edit: Edit::Replace { span: [19, 23], text: "2035".into() },
                rationale: Some("Aligns with the 2035 review.".into()),
                citation: None,
            },
            table_proposal,
        )
        .get("/api/processes/{process}/proposals/{proposal}", "One proposal", "readers", get_proposal)
        .post(
            "/api/processes/{process}/proposals/{proposal}/support",
            "Support a proposal",
            "delegation",
            OnBehalfRequest { on_behalf_of: None },
            support,
        )
        .post(
            "/api/processes/{process}/proposals/{proposal}/oppose",
            "Oppose a proposal",
            "delegation",
            OnBehalfRequest { on_behalf_of: None },
            oppose,
        )
        .post(
            "/api/processes/{process}/proposals/{proposal}/revise",
            "Revise one's own proposal",
            "delegation (author)",
            ReviseRequest { base_revision: 9, edit: Edit::Delete { span: [0, 10] }, rationale: None },
            revise,
        )
        .post("/api/processes/{process}/proposals/{proposal}/withdraw", "Withdraw one's own proposal", "delegation (author)", json!({}), withdraw)
        .post(
            "/api/processes/{process}/proposals/{proposal}/decide",
            "Accept a proposal into the working text, or set it aside",
            "co-facilitator",
            DecideRequest { decision: Decision::Accept, base_revision: 9, session: Some("s1".into()) },
            decide,
        )
        .post(
            "/api/processes/{process}/revisions",
            "Produce the next revision from the working text: renumbered, with a cover letter",
            "co-facilitator",
            RevisionRequest { label: "Rev.1".into(), date: Some("7 April 2026".into()), publication: Publication::Circulated },
            produce_revision,
        )
        .get("/api/processes/{process}/sessions", "Sessions, with their agendas and decisions", "delegations and up", list_sessions)
        .post(
            "/api/processes/{process}/sessions",
            "Schedule an informal session",
            "secretariat, co-facilitator",
            SessionRequest { date: "2026-04-14".into(), time: "10:00–13:00".into(), room: "CR 4".into(), agenda: vec!["12".into()] },
            schedule_session,
        )
        .post(
            "/api/processes/{process}/sessions/{session}/decisions",
            "Record a decision taken in a session",
            "secretariat, co-facilitator",
            DecisionRequest { text: "Paragraphs 12 to 15 go to a small group.".into(), paragraphs: vec!["12".into()] },
            record_decision,
        )
        .get("/api/processes/{process}/compilation", "The compilation text: the latest draft with every live proposal under its paragraph (`?format=text`)", "readers of the latest draft", compilation)
        .get("/api/processes/{process}/readiness", "Readiness for adoption, and the bracket burn-down", "readers of the latest draft", readiness)
        .get("/api/processes/{process}/events", "The event log, for audit (`?after=SEQ`)", "secretariat, co-facilitator", events)
        .get("/api/processes/{process}/state", "The whole derived state, for audit: what replaying the log must rebuild", "secretariat", full_state);
    let openapi = Arc::new(openapi(&api.endpoints));
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

fn openapi(endpoints: &[Endpoint]) -> Value {
    let mut paths = serde_json::Map::new();
    for e in endpoints {
        let params: Vec<Value> = e
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut op = json!({
            "summary": e.summary,
            "description": format!("Who may call it: {}.", e.who),
            "parameters": params,
            "security": [{"bearer": []}, {}],
            "responses": {
                "200": {"description": "Success", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {"$ref": "#/components/responses/Error"},
                "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"},
                "404": {"$ref": "#/components/responses/Error"},
                "409": {"$ref": "#/components/responses/Error"},
                "422": {"$ref": "#/components/responses/Error"},
                "503": {"$ref": "#/components/responses/Error"}
            }
        });
        if let Some(example) = &e.request {
            op["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": {"type": "object"}, "example": example}}
            });
            op["parameters"]
                .as_array_mut()
                .into_iter()
                .for_each(|p| p.push(json!({"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string"}, "description": "A key of the client's choosing: a retried request with the same key is recorded once and answered with the first outcome."})));
        }
        paths.entry(e.path.to_string()).or_insert_with(|| json!({}))[e.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Accord negotiation workspace API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Processes, drafts, proposals, decisions and sessions of intergovernmental text negotiations. Authenticate with `Authorization: Bearer TOKEN` (tokens from `accord token create`); without a token you are the public."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string", "enum": ["bad-request", "unauthorized", "forbidden", "not-found", "conflict", "invalid", "payload-too-large", "unavailable"]},
                        "message": {"type": "string"},
                        "current": {"description": "For conflicts: the current state of what was contested."}
                    }}}
                }
            },
            "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
        }
    })
}

// ---------------------------------------------------------------------------
// Request types: what clients send. Unknown fields are refused, so a typo is
// an error rather than a silently ignored field.

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateProcessRequest {
    id: String,
    #[serde(flatten)]
    info: ProcessInfo,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportDraftRequest {
    label: String,
    text: String,
    #[serde(default)]
    publication: Publication,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishRequest {
    publication: Publication,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableProposalRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    draft: Option<String>,
    paragraph: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_behalf_of: Option<String>,
    edit: Edit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rationale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    citation: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct OnBehalfRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_behalf_of: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviseRequest {
    base_revision: u64,
    edit: Edit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rationale: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecideRequest {
    decision: Decision,
    base_revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusRequest {
    status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    base_revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct BracketRequest {
    #[serde(flatten)]
    resolution: BracketResolution,
    base_revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompromiseRequest {
    text: String,
    base_revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RevisionRequest {
    label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(default)]
    publication: Publication,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionRequest {
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    room: String,
    #[serde(default)]
    agenda: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionRequest {
    text: String,
    #[serde(default)]
    paragraphs: Vec<String>,
}

// ---------------------------------------------------------------------------
// Plumbing: who calls, what they sent, how to answer.

/// Reads a JSON body, with the line and column of what is wrong.
fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::bad_request("the request needs a JSON body"));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(format!(
            "malformed request body at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })
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

fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => {
            let k = v.to_str().map_err(|_| ApiError::bad_request("Idempotency-Key must be text"))?;
            if k.is_empty() || k.len() > 200 {
                return Err(ApiError::bad_request("Idempotency-Key must be 1–200 characters"));
            }
            Ok(Some(k.to_string()))
        }
    }
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

fn created(outcome: &Outcome) -> Response {
    json_response(StatusCode::CREATED, serde_json::to_string(outcome).unwrap_or_default())
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

fn read(slot: &ProcessSlot) -> Result<std::sync::RwLockReadGuard<'_, ProcessState>, ApiError> {
    slot.state.read().map_err(|_| ApiError::unavailable("lock"))
}

/// Whether `actor` may read proposal `p` (the draft it was tabled on and the
/// draft it now stands in must both be readable).
/// Whether `actor` may read proposal `p`: they may read the draft it was
/// tabled on.
fn may_read_proposal(s: &ProcessState, actor: Option<&Actor>, p: &Proposal) -> bool {
    policy::readable_draft(s, actor, &p.draft).is_some()
}

/// A proposal as `actor` may see it: where it stands in a draft they may not
/// read is not theirs to know.
fn proposal_for(s: &ProcessState, actor: Option<&Actor>, p: &Proposal) -> Proposal {
    let mut p = p.clone();
    let hidden = |d: &str| policy::readable_draft(s, actor, d).is_none();
    if p.current.as_ref().is_some_and(|[d, _]| hidden(d)) {
        p.current = None;
    }
    if p.incorporated_in.as_deref().is_some_and(hidden) {
        p.incorporated_in = None;
    }
    p
}

async fn run(
    ws: &Workspace,
    process: &str,
    headers: &HeaderMap,
    action: Action,
) -> Result<Outcome, ApiError> {
    let actor = caller(ws, headers, Some(process))
        .await?
        .ok_or_else(|| ApiError::unauthorized("changes need a token: `Authorization: Bearer TOKEN`"))?;
    if !matches!(action, Action::CreateProcess { .. }) {
        visible_process(ws, process, Some(&actor))?;
    }
    Ok(ws.execute(process, actor, action, key(headers)?).await?)
}

// ---------------------------------------------------------------------------
// Handlers.

async fn health() -> Response {
    ok(&json!({"status": "ok"}))
}

#[derive(Serialize)]
struct ProcessSummary<'a> {
    id: &'a str,
    title: &'a str,
    public: bool,
    drafts: usize,
    seq: u64,
}

async fn list_processes(State(ws): State<Ws>, headers: HeaderMap) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, None).await?;
    let mut out = Vec::new();
    for slot in ws.processes() {
        let s = read(&slot)?;
        if policy::may_see_process(&s, actor.as_ref()) {
            out.push(
                serde_json::to_value(ProcessSummary {
                    id: &s.id,
                    title: &s.info.title,
                    public: s.info.public,
                    drafts: policy::readable_drafts(&s, actor.as_ref()).count(),
                    seq: s.seq,
                })
                .unwrap_or_default(),
            );
        }
    }
    Ok(ok(&json!({ "processes": out })))
}

async fn create_process(
    State(ws): State<Ws>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let req: CreateProcessRequest = body(&bytes)?;
    let outcome = run(&ws, &req.id, &headers, Action::CreateProcess { info: req.info }).await?;
    Ok(created(&outcome))
}

#[derive(Serialize)]
struct DraftSummary<'a> {
    id: &'a str,
    label: &'a str,
    publication: Publication,
    produced: bool,
    at: String,
    paragraphs: usize,
}

fn draft_summaries<'a>(s: &'a ProcessState, actor: Option<&Actor>) -> Vec<DraftSummary<'a>> {
    policy::readable_drafts(s, actor)
        .map(|d| DraftSummary {
            id: &d.id,
            label: &d.label,
            publication: d.publication,
            produced: d.produced,
            at: accord_core::negotiation::rfc3339(d.at_ms),
            paragraphs: d.document.paragraphs.len(),
        })
        .collect()
}

async fn get_process(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let delegate_or_up =
        policy::visible_from(&s, actor.as_ref()).is_some_and(|f| f <= Publication::Circulated);
    Ok(ok(&json!({
        "id": s.id,
        "info": s.info,
        "participants": if delegate_or_up { serde_json::to_value(&s.participants).unwrap_or_default() } else { json!([]) },
        "drafts": draft_summaries(&s, actor.as_ref()),
        "sessions": if delegate_or_up { serde_json::to_value(&s.sessions).unwrap_or_default() } else { json!([]) },
        "seq": s.seq,
    })))
}

async fn add_participant(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let participant: Participant = body(&bytes)?;
    let outcome = run(&ws, &p, &headers, Action::AddParticipant { participant }).await?;
    Ok(created(&outcome))
}

async fn list_drafts(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    Ok(ok(&json!({ "drafts": draft_summaries(&s, actor.as_ref()) })))
}

async fn import_draft(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let req: ImportDraftRequest = body(&bytes)?;
    let canonical = canonical_of(&req.text)?;
    let action =
        Action::ImportDraft { label: req.label, canonical, publication: req.publication, lineage: None };
    let outcome = run(&ws, &p, &headers, action).await?;
    Ok(created(&outcome))
}

/// Parses a draft's text (plain or canonical) and writes its canonical form,
/// or says why it is not a draft ([`accord_workspace::import::canonical_of`]).
pub fn canonical_of(text: &str) -> Result<String, ApiError> {
    Ok(accord_workspace::import::canonical_of(text)?)
}

async fn get_draft(
    State(ws): State<Ws>,
    Path((p, d)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let draft = policy::readable_draft(&s, actor.as_ref(), &d)
        .ok_or_else(|| ApiError::not_found(format!("no draft `{d}` in process `{p}`")))?;
    // Drafts never change once in the series (only who may read them), so
    // the whole answer is serialized once and shared, not copied, by every
    // response.
    let generation = slot.generation();
    let mut cache = ws.drafts.lock().map_err(|_| ApiError::unavailable("lock"))?;
    let key = (p.clone(), d.clone(), draft.publication);
    if cache.get(&key).is_some_and(|(g, _)| *g != generation) {
        cache.remove(&key);
    }
    let body = cache
        .entry(key)
        .or_insert_with(|| {
            let head = json!({
                "id": draft.id, "label": draft.label, "publication": draft.publication,
                "produced": draft.produced, "at": accord_core::negotiation::rfc3339(draft.at_ms),
            })
            .to_string();
            let document = serde_json::to_string(&draft.document).unwrap_or_default();
            let mut out = String::with_capacity(head.len() + document.len() + 16);
            out.push_str(&head[..head.len() - 1]);
            out.push_str(",\"document\":");
            out.push_str(&document);
            out.push('}');
            (generation, Bytes::from(out))
        })
        .1
        .clone();
    Ok(json_bytes(body))
}

async fn publish(
    State(ws): State<Ws>,
    Path((p, d)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let req: PublishRequest = body(&bytes)?;
    let outcome = run(&ws, &p, &headers, Action::Publish { draft: d, publication: req.publication }).await?;
    Ok(ok(&outcome))
}

async fn compare_drafts(
    State(ws): State<Ws>,
    Path((p, a, b)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let find = |id: &str| {
        policy::readable_draft(&s, actor.as_ref(), id)
            .ok_or_else(|| ApiError::not_found(format!("no draft `{id}` in process `{p}`")))
    };
    let (old, new) = (find(&a)?, find(&b)?);
    Ok(ok(&accord_core::compare(&old.document, &new.document)))
}

async fn get_working(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    if !policy::may_read_working(&s, actor.as_ref()) {
        return Err(DomainError::Forbidden(
            "only the secretariat and co-facilitators see the working text".into(),
        )
        .into());
    }
    Ok(ok(&json!({
        "draft": s.latest().map(|d| &d.id),
        "title": s.working.title,
        "headings": s.working.headings,
        "paragraphs": s.working_paragraphs(),
        "deleted": s.deleted,
        "accepted": s.accepted,
        "seq": s.seq,
    })))
}

async fn set_status(
    State(ws): State<Ws>,
    Path((p, para)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: StatusRequest = body(&bytes)?;
    let action = Action::SetStatus {
        paragraph: para,
        status: r.status,
        note: r.note,
        base_revision: r.base_revision,
        session: r.session,
    };
    Ok(ok(&run(&ws, &p, &headers, action).await?))
}

async fn resolve_bracket(
    State(ws): State<Ws>,
    Path((p, para, n)): Path<(String, String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: BracketRequest = body(&bytes)?;
    let bracket: usize =
        n.parse().map_err(|_| ApiError::bad_request(format!("bracket `{n}` is not a number")))?;
    let action = Action::ResolveBracket {
        paragraph: para,
        bracket,
        resolution: r.resolution,
        base_revision: r.base_revision,
        session: r.session,
    };
    Ok(ok(&run(&ws, &p, &headers, action).await?))
}

async fn write_compromise(
    State(ws): State<Ws>,
    Path((p, para)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: CompromiseRequest = body(&bytes)?;
    let action = Action::WriteCompromise {
        paragraph: para,
        text: r.text,
        base_revision: r.base_revision,
        session: r.session,
    };
    Ok(ok(&run(&ws, &p, &headers, action).await?))
}

#[derive(Deserialize)]
struct ProposalFilter {
    state: Option<String>,
    paragraph: Option<String>,
}

async fn list_proposals(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    Query(f): Query<ProposalFilter>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let list: Vec<Proposal> = s
        .proposals
        .iter()
        .filter(|x| may_read_proposal(&s, actor.as_ref(), x))
        .map(|x| proposal_for(&s, actor.as_ref(), x))
        .filter(|x| f.state.as_deref().is_none_or(|st| serde_json::to_value(x.state).is_ok_and(|v| v == st)))
        .filter(|x| {
            f.paragraph
                .as_deref()
                .is_none_or(|para| x.current.as_ref().is_some_and(|c| c[1] == para) || x.paragraph == para)
        })
        .collect();
    Ok(ok(&json!({ "proposals": list })))
}

async fn table_proposal(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: TableProposalRequest = body(&bytes)?;
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let own = match &actor {
        Some(Actor::Delegation { delegation }) => Some(delegation.clone()),
        _ => None,
    };
    let draft = match r.draft {
        Some(d) => d,
        None => {
            let slot = visible_process(&ws, &p, actor.as_ref())?;
            let s = read(&slot)?;
            s.latest()
                .map(|d| d.id.clone())
                .ok_or_else(|| ApiError::not_found("the process has no draft yet"))?
        }
    };
    let action = Action::TableProposal {
        draft,
        paragraph: r.paragraph,
        on_behalf_of: r.on_behalf_of.or(own).unwrap_or_default(),
        edit: r.edit,
        rationale: r.rationale,
        citation: r.citation,
    };
    Ok(created(&run(&ws, &p, &headers, action).await?))
}

async fn get_proposal(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let proposal = s
        .proposal(&id)
        .filter(|x| may_read_proposal(&s, actor.as_ref(), x))
        .ok_or_else(|| ApiError::not_found(format!("no proposal `{id}` in process `{p}`")))?;
    Ok(ok(&proposal_for(&s, actor.as_ref(), proposal)))
}

fn own_name(headers_actor: &Option<Actor>, given: Option<String>) -> String {
    given
        .or_else(|| match headers_actor {
            Some(Actor::Delegation { delegation }) => Some(delegation.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

async fn stance(
    ws: Ws,
    p: String,
    id: String,
    headers: HeaderMap,
    bytes: Bytes,
    support: bool,
) -> Result<Response, ApiError> {
    let r: OnBehalfRequest = if bytes.is_empty() { OnBehalfRequest::default() } else { body(&bytes)? };
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let on_behalf_of = own_name(&actor, r.on_behalf_of);
    let action = if support {
        Action::Support { proposal: id, on_behalf_of }
    } else {
        Action::Oppose { proposal: id, on_behalf_of }
    };
    Ok(ok(&run(&ws, &p, &headers, action).await?))
}

async fn support(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    stance(ws, p, id, headers, bytes, true).await
}

async fn oppose(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    stance(ws, p, id, headers, bytes, false).await
}

async fn revise(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: ReviseRequest = body(&bytes)?;
    let action =
        Action::Revise { proposal: id, base_revision: r.base_revision, edit: r.edit, rationale: r.rationale };
    Ok(ok(&run(&ws, &p, &headers, action).await?))
}

async fn withdraw(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Ok(ok(&run(&ws, &p, &headers, Action::Withdraw { proposal: id }).await?))
}

async fn decide(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: DecideRequest = body(&bytes)?;
    let action = Action::Decide {
        proposal: id,
        decision: r.decision,
        base_revision: r.base_revision,
        session: r.session,
    };
    Ok(ok(&run(&ws, &p, &headers, action).await?))
}

async fn produce_revision(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: RevisionRequest = body(&bytes)?;
    let action = Action::ProduceRevision {
        label: r.label,
        date: r.date,
        publication: r.publication,
        canonical: None,
        lineage: None,
    };
    Ok(created(&run(&ws, &p, &headers, action).await?))
}

async fn list_sessions(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    if policy::visible_from(&s, actor.as_ref()).is_none_or(|f| f > Publication::Circulated) {
        return Err(
            DomainError::Forbidden("sessions are shown to the delegations of the process".into()).into()
        );
    }
    Ok(ok(&json!({ "sessions": s.sessions })))
}

async fn schedule_session(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: SessionRequest = body(&bytes)?;
    let action = Action::ScheduleSession { date: r.date, time: r.time, room: r.room, agenda: r.agenda };
    Ok(created(&run(&ws, &p, &headers, action).await?))
}

async fn record_decision(
    State(ws): State<Ws>,
    Path((p, session)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: DecisionRequest = body(&bytes)?;
    let action = Action::RecordDecision { session, text: r.text, paragraphs: r.paragraphs };
    Ok(created(&run(&ws, &p, &headers, action).await?))
}

#[derive(Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

async fn compilation(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    Query(q): Query<FormatQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let latest = policy::readable_latest(&s, actor.as_ref())
        .ok_or_else(|| ApiError::not_found("no draft of this process is open to you yet"))?;
    match q.format.as_deref() {
        None | Some("json") => {}
        Some("text") => {
            let text = s.compilation_text();
            return Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response());
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!("unknown format `{other}`; use json or text")))
        }
    }
    // Every reader of the latest draft sees the same compilation: cache it
    // for the state it reflects.
    let mut cache = ws.compilations.lock().map_err(|_| ApiError::unavailable("lock"))?;
    let key = (p.clone(), slot.generation());
    let json = match cache.get(&key) {
        Some((seq, json)) if *seq == s.seq => json.clone(),
        _ => {
            let json = Bytes::from(
                serde_json::to_string(&json!({
                    "draft": latest.id,
                    "label": latest.label,
                    "paragraphs": s.compilation(),
                }))
                .unwrap_or_default(),
            );
            cache.retain(|(process, _), _| *process != p);
            cache.insert(key, (s.seq, json.clone()));
            json
        }
    };
    Ok(json_bytes(json))
}

async fn readiness(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let latest = policy::readable_latest(&s, actor.as_ref())
        .ok_or_else(|| ApiError::not_found("no draft of this process is open to you yet"))?;
    let working = policy::may_read_working(&s, actor.as_ref()).then(|| accord_core::readiness(&s.working));
    Ok(ok(&json!({
        "draft": latest.id,
        "readiness": accord_core::readiness(&latest.document),
        "working": working,
        "burn_down": if working.is_some() { serde_json::to_value(&s.burn_down).unwrap_or_default() } else { Value::Null },
    })))
}

#[derive(Deserialize)]
struct EventsQuery {
    after: Option<u64>,
}

async fn events(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    Query(q): Query<EventsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    {
        let s = read(&slot)?;
        if !policy::may_read_working(&s, actor.as_ref()) {
            return Err(DomainError::Forbidden(
                "only the secretariat and co-facilitators read the event log".into(),
            )
            .into());
        }
    }
    let records = ws.process_events(&p).await?;
    let after = q.after.unwrap_or(0);
    let list: Vec<Value> = records
        .into_iter()
        .filter(|r| r.seq > after)
        .filter_map(|r| serde_json::from_str::<Value>(&r.payload).ok())
        .collect();
    Ok(ok(&json!({ "events": list })))
}

async fn full_state(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    if !matches!(actor, Some(Actor::Secretariat { .. })) {
        return Err(DomainError::Forbidden("only the secretariat reads the whole state".into()).into());
    }
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    Ok(ok(&*s))
}
