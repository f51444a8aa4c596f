//! The end game over HTTP: the process's time zone, the deadline for textual
//! proposals, the silence procedure (start, break, status) and adoption.
//!
//! The rules are the core's (`accord_core::negotiation::endgame`): each
//! write is an [`Action`] recorded through the workspace, judged by the
//! store's clock at the moment of the event, so a replay of the log reaches
//! the same state. The answers mirror the CLI's JSON (`accord silence status
//! --format json`), so a client can use either.

use super::*;

/// `POST …/time-zone`: the process's IANA time zone.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TimeZoneRequest {
    /// The IANA name, e.g. `Europe/Zurich`.
    pub zone: String,
}

/// `POST …/deadline`: the deadline for textual proposals (`until: null`
/// lifts it).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DeadlineRequest {
    /// RFC 3339, or a date and time in the process's zone; absent or null: lift it.
    #[serde(default)]
    pub until: Option<String>,
    /// The session that set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

/// `POST …/silence`: place the latest draft under silence.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SilenceRequest {
    /// When silence ends: RFC 3339, or a date and time in the process's zone.
    pub until: String,
}

/// `POST …/silence/breaks`: break silence on named paragraphs.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BreakRequest {
    /// The paragraphs the delegation cannot accept (working text ids).
    pub paragraphs: Vec<String>,
    /// Why.
    pub reason: String,
    /// In whose name (default: the calling delegation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<String>,
}

/// `POST …/adopt`: adopt the text.
#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct AdoptRequest {
    /// The date of the date line ("16 December 2026"); the day of the event
    /// in the process's zone when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

pub(super) async fn set_time_zone(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: TimeZoneRequest = body(&bytes)?;
    Ok(created(&run(&ws, &p, &headers, &bytes, Action::SetTimeZone { zone: r.zone }).await?))
}

pub(super) async fn set_deadline(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: DeadlineRequest = body(&bytes)?;
    let action = Action::SetDeadline { until: r.until, session: r.session };
    Ok(created(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn start_silence(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: SilenceRequest = body(&bytes)?;
    Ok(created(&run(&ws, &p, &headers, &bytes, Action::StartSilence { until: r.until }).await?))
}

pub(super) async fn break_silence(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: BreakRequest = body(&bytes)?;
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let on_behalf_of = match (r.on_behalf_of, &actor) {
        (Some(name), _) => name,
        (None, Some(Actor::Delegation { delegation })) => delegation.clone(),
        // Let the core refuse who may not break silence, in its own words.
        (None, _) => String::new(),
    };
    let action = Action::BreakSilence { on_behalf_of, paragraphs: r.paragraphs, reason: r.reason };
    Ok(created(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn adopt(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    // An empty body adopts with today's date.
    let r: AdoptRequest = if bytes.is_empty() { AdoptRequest::default() } else { body(&bytes)? };
    let action = Action::Adopt { date: r.date, canonical: None, lineage: None };
    match run(&ws, &p, &headers, &bytes, action).await {
        Ok(outcome) => Ok(created(&outcome)),
        Err(mut e) => {
            // A refusal lists every obstacle, each with its paragraphs, so a
            // client can show them rather than parse the message.
            if e.status == StatusCode::CONFLICT && e.current.as_ref().is_none_or(Value::is_null) {
                if let Some(slot) = ws.process(&p) {
                    let s = read(&slot)?;
                    let now = ws.now_ms();
                    let r = accord_core::readiness(&s.as_of(now).working);
                    if !r.ready {
                        e.current = Some(json!({ "obstacles": r.obstacles }));
                    }
                }
            }
            Err(e)
        }
    }
}

/// `GET …/silence`: `{state, draft, until, until_local, breaks: [{paragraph, by, reason, at}]}`.
pub(super) async fn silence_status(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let status = s
        .silence_status(ws.now_ms())
        .ok_or_else(|| ApiError::not_found(format!("process `{p}` has never been under silence")))?;
    Ok(ok(&status))
}

/// What `GET …/endgame` answers: where the end game stands, in one read.
#[derive(Serialize)]
pub(crate) struct EndgameView {
    /// The process's time zone (IANA name).
    pub time_zone: String,
    /// The deadline for textual proposals, if set.
    pub deadline: Option<DeadlineView>,
    /// The silence, if there ever was one.
    pub silence: Option<accord_core::negotiation::SilenceStatus>,
    /// The adoption, if done: the draft holding the text as adopted, who, when.
    pub adoption: Option<AdoptionView>,
}

/// A deadline as readers see it.
#[derive(Serialize)]
pub(crate) struct DeadlineView {
    /// RFC 3339 in the process's zone.
    pub until: String,
    /// As a delegate reads it, the zone named.
    pub until_local: String,
    /// Seconds left (0 once passed).
    pub seconds_left: i64,
    /// Who set it.
    pub set_by: String,
}

/// An adoption as readers see it.
#[derive(Serialize)]
pub(crate) struct AdoptionView {
    /// The draft holding the text as adopted.
    pub draft: String,
    /// Who adopted it.
    pub by: String,
    /// When, RFC 3339 in the process's zone.
    pub at: String,
}

impl EndgameView {
    /// Where the end game of `s` stands at `now_ms`.
    pub(crate) fn of(s: &ProcessState, now_ms: i64) -> EndgameView {
        use accord_core::negotiation::clock;
        let zone = s.time_zone();
        EndgameView {
            time_zone: zone.to_string(),
            deadline: s.deadline.as_ref().map(|d| DeadlineView {
                until: clock::rfc3339_in(d.until_ms, zone),
                until_local: s.local_time(d.until_ms),
                seconds_left: ((d.until_ms - now_ms) / 1000).max(0),
                set_by: d.set_by.clone(),
            }),
            silence: s.silence_status(now_ms),
            adoption: s.adoption.as_ref().map(|a| AdoptionView {
                draft: a.draft.clone(),
                by: a.by.clone(),
                at: clock::rfc3339_in(a.at_ms, zone),
            }),
        }
    }
}

/// `GET …/endgame`: time zone, deadline with the time left, silence, adoption.
pub(super) async fn endgame(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    Ok(ok(&EndgameView::of(&s, ws.now_ms())))
}

/// `POST …/focal-points`: replace a participant's focal points.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FocalPointsRequest {
    /// Whose, as an actor label: `delegation:estoria`, `observer:NAME`, `co-facilitator:NAME`.
    pub participant: String,
    /// The people mail for it goes to (empty: none).
    pub focal_points: Vec<FocalPoint>,
}

/// A focal point.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FocalPoint {
    /// The person's name.
    pub name: String,
    /// Their e-mail address.
    pub email: String,
}

pub(super) async fn set_focal_points(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: FocalPointsRequest = body(&bytes)?;
    let actor = caller(&ws, &headers, Some(&p))
        .await?
        .ok_or_else(|| ApiError::unauthorized("changes need a token: `Authorization: Bearer TOKEN`"))?;
    ws.writes.take(&actor.label())?;
    visible_process(&ws, &p, Some(&actor))?;
    let whose = Actor::from_label(&r.participant).ok_or_else(|| {
        ApiError::bad_request(format!(
            "`{}` is not a participant: give delegation:ID, observer:NAME or co-facilitator:NAME",
            r.participant
        ))
    })?;
    let points = r.focal_points.into_iter().map(|f| (f.name, f.email)).collect();
    ws.set_focal_points(&p, &actor, &whose, points).await?;
    Ok(ok(&focal_points_of(&ws, &p, Some(&actor))))
}

/// The focal points `actor` may see: all of them for the secretariat and
/// co-facilitators, a participant's own otherwise.
fn focal_points_of(ws: &Workspace, p: &str, actor: Option<&Actor>) -> super::wire::FocalPoints {
    let all = ws.process(p).is_some_and(|slot| {
        slot.state.read().is_ok_and(|s| {
            matches!(actor, Some(Actor::Secretariat { .. })) || policy::is_co_facilitator(&s, actor)
        })
    });
    let own = actor.map(Actor::label);
    let focal_points = ws
        .focal_points(p)
        .into_iter()
        .filter(|f| all || own.as_deref() == Some(f.actor.as_str()))
        .map(|f| super::wire::FocalPointView { participant: f.actor, name: f.name, email: f.email })
        .collect();
    super::wire::FocalPoints { focal_points }
}

pub(super) async fn get_focal_points(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p))
        .await?
        .ok_or_else(|| ApiError::unauthorized("focal points need a token: `Authorization: Bearer TOKEN`"))?;
    visible_process(&ws, &p, Some(&actor))?;
    Ok(ok(&focal_points_of(&ws, &p, Some(&actor))))
}

/// `GET …/outbox`: every message the process's events caused, with its state.
/// `GET …/outbox?limit=&after=ID`: a page of the outbox.
#[derive(Deserialize)]
pub(super) struct OutboxQuery {
    /// The id of the previous page's last message.
    after: Option<i64>,
    limit: Option<usize>,
}

pub(super) async fn outbox(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    Query(q): Query<OutboxQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let limit = PageQuery { limit: q.limit, after: None }.limit()?;
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let admin = matches!(actor, Some(Actor::Secretariat { .. }))
        || policy::is_co_facilitator(&*read(&slot)?, actor.as_ref());
    if !admin {
        return Err(DomainError::Forbidden(
            "the outbox is the secretariat's and the co-facilitators'".into(),
        )
        .into());
    }
    // The store's messages come in id order; the answer is one page of them.
    let after = q.after.unwrap_or(i64::MIN);
    let records = ws.outbox(&p).await?;
    let mut page: Vec<_> = records.iter().filter(|m| m.id > after).take(limit + 1).collect();
    let next = if page.len() > limit {
        page.truncate(limit);
        page.last().map(|m| m.id)
    } else {
        None
    };
    let messages: Vec<Value> = page.into_iter().map(accord_workspace::outbox::message_json).collect();
    Ok(ok(&json!({ "messages": messages, "next": next })))
}
