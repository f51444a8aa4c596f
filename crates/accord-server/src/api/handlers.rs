//! The API's handlers: each reads who calls and what they sent, acts
//! through the workspace or reads its state, and answers JSON.

use super::wire::*;
use super::*;
use accord_core::negotiation::CompilationParagraph;

pub(super) async fn health() -> Response {
    ok(&Health { status: "ok" })
}

pub(super) async fn ready(State(ws): State<Ws>) -> Result<Response, ApiError> {
    ws.check_writable().await.map_err(|e| {
        let reason = match e {
            accord_workspace::WorkspaceError::Unavailable(m) => m,
            other => other.to_string(),
        };
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            format!("the store refuses changes ({reason})"),
        )
    })?;
    Ok(ok(&Health { status: "ready" }))
}

pub(super) async fn list_processes(State(ws): State<Ws>, headers: HeaderMap) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, None).await?;
    let mut out = Vec::new();
    for slot in ws.processes() {
        let s = read(&slot)?;
        if policy::may_see_process(&s, actor.as_ref()) {
            out.push(ProcessSummary {
                id: s.id.clone(),
                title: s.info.title.clone(),
                public: s.info.public,
                drafts: policy::readable_drafts(&s, actor.as_ref()).count(),
                seq: s.seq,
            });
        }
    }
    Ok(ok(&ProcessList { processes: out }))
}

pub(super) async fn create_process(
    State(ws): State<Ws>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let req: CreateProcessRequest = body(&bytes)?;
    let outcome = run(&ws, &req.id, &headers, &bytes, Action::CreateProcess { info: req.info }).await?;
    Ok(created(&outcome))
}

pub(super) fn draft_summaries<'a>(s: &'a ProcessState, actor: Option<&Actor>) -> Vec<DraftSummary<'a>> {
    policy::readable_drafts(s, actor)
        .map(|d| DraftSummary { head: DraftHead::of(d), paragraphs: d.document.paragraphs.len() })
        .collect()
}

pub(super) async fn get_process(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let delegate_or_up =
        policy::visible_from(&s, actor.as_ref()).is_some_and(|f| f <= Publication::Circulated);
    Ok(ok(&ProcessView {
        id: &s.id,
        info: &s.info,
        participants: if delegate_or_up { &s.participants } else { &[] },
        drafts: draft_summaries(&s, actor.as_ref()),
        sessions: if delegate_or_up { &s.sessions } else { &[] },
        seq: s.seq,
    }))
}

pub(super) async fn add_participant(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let participant: Participant = body::<ParticipantRequest>(&bytes)?.into();
    let outcome = run(&ws, &p, &headers, &bytes, Action::AddParticipant { participant }).await?;
    Ok(created(&outcome))
}

pub(super) async fn list_drafts(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let summaries = draft_summaries(&s, actor.as_ref());
    let (list, next) = page(&summaries, |d| d.head.id, |_| true, |_| true, &q)?;
    Ok(ok(&DraftPage { drafts: list, next }))
}

pub(super) async fn import_draft(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let req: ImportDraftRequest = body(&bytes)?;
    let canonical = canonical_of(&req.text)?;
    let action =
        Action::ImportDraft { label: req.label, canonical, publication: req.publication, lineage: None };
    let outcome = run(&ws, &p, &headers, &bytes, action).await?;
    Ok(created(&outcome))
}

/// Parses a draft's text (plain or canonical) and writes its canonical form,
/// or says why it is not a draft ([`accord_workspace::import::canonical_of`]).
pub fn canonical_of(text: &str) -> Result<String, ApiError> {
    Ok(accord_workspace::import::canonical_of(text)?)
}

pub(super) async fn get_draft(
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
            let head = serde_json::to_string(&DraftHead::of(draft)).unwrap_or_default();
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

pub(super) async fn publish(
    State(ws): State<Ws>,
    Path((p, d)): Path<(String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let req: PublishRequest = body(&bytes)?;
    let outcome =
        run(&ws, &p, &headers, &bytes, Action::Publish { draft: d, publication: req.publication }).await?;
    Ok(done(&outcome))
}

pub(super) async fn set_proposal_visibility(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let req: ProposalVisibilityRequest = body(&bytes)?;
    let action = Action::SetProposalVisibility { visibility: req.visibility };
    Ok(done(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn compare_drafts(
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

pub(super) async fn get_working(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    // A silence whose deadline has come is shown settled, as the next event will record it.
    let s = s.as_of(ws.now_ms());
    if !policy::may_read_working(&s, actor.as_ref()) {
        return Err(DomainError::Forbidden(
            "only the secretariat and co-facilitators see the working text".into(),
        )
        .into());
    }
    Ok(ok(&WorkingView {
        draft: s.latest().map(|d| d.id.as_str()),
        title: s.working.title.as_deref(),
        headings: &s.working.headings,
        paragraphs: s.working_paragraphs(),
        deleted: &s.deleted,
        accepted: &s.accepted,
        seq: s.seq,
    }))
}

pub(super) async fn set_status(
    State(ws): State<Ws>,
    Path((p, para)): Path<(String, String)>,
    headers: Call,
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
    Ok(done(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn resolve_bracket(
    State(ws): State<Ws>,
    Path((p, para, n)): Path<(String, String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: BracketRequest = body(&bytes)?;
    let bracket: usize =
        n.parse().map_err(|_| ApiError::bad_request(format!("bracket `{n}` is not a number")))?;
    let action = Action::ResolveBracket {
        paragraph: para,
        bracket,
        resolution: r.resolution()?,
        base_revision: r.base_revision,
        session: r.session,
    };
    Ok(done(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn write_compromise(
    State(ws): State<Ws>,
    Path((p, para)): Path<(String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: CompromiseRequest = body(&bytes)?;
    let action = Action::WriteCompromise {
        paragraph: para,
        text: r.text,
        base_revision: r.base_revision,
        session: r.session,
    };
    Ok(done(&run(&ws, &p, &headers, &bytes, action).await?))
}

/// A proposal's state as a list filter (`?state=live`): an unknown one is
/// a 400, not an empty list.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub(super) enum StateFilter {
    Live,
    Withdrawn,
    Accepted,
    SetAside,
}

impl StateFilter {
    fn admits(self, state: accord_core::negotiation::ProposalState) -> bool {
        use accord_core::negotiation::ProposalState as S;
        matches!(
            (self, state),
            (StateFilter::Live, S::Live)
                | (StateFilter::Withdrawn, S::Withdrawn)
                | (StateFilter::Accepted, S::Accepted)
                | (StateFilter::SetAside, S::SetAside)
        )
    }
}

#[derive(Deserialize)]
pub(super) struct ProposalFilter {
    state: Option<StateFilter>,
    paragraph: Option<String>,
    limit: Option<usize>,
    after: Option<String>,
}

pub(super) async fn list_proposals(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    Query(f): Query<ProposalFilter>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let q = PageQuery { limit: f.limit, after: f.after };
    // Filtered by reference and cut to a page before anything is copied: a
    // reader of a long list costs one page.
    let (list, next) = page(
        &s.proposals,
        |x| &x.id,
        |x| may_read_proposal(&s, actor.as_ref(), x),
        |x| {
            f.state.is_none_or(|st| st.admits(x.state))
                && f.paragraph.as_deref().is_none_or(|para| {
                    let x = ProposalView::of(&s, actor.as_ref(), x);
                    x.current.is_some_and(|c| c[1] == para) || x.paragraph == para
                })
        },
        &q,
    )?;
    let proposals = list.into_iter().map(|x| ProposalView::of(&s, actor.as_ref(), x)).collect();
    Ok(ok(&ProposalPage { proposals, next }))
}

pub(super) async fn table_proposal(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
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
        edit: r.edit.into(),
        rationale: r.rationale,
        citation: r.citation,
    };
    Ok(created(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn get_proposal(
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
    Ok(ok(&ProposalView::of(&s, actor.as_ref(), proposal)))
}

pub(super) fn own_name(headers_actor: &Option<Actor>, given: Option<String>) -> String {
    given
        .or_else(|| match headers_actor {
            Some(Actor::Delegation { delegation }) => Some(delegation.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

pub(super) async fn stance(
    ws: Ws,
    p: String,
    id: String,
    headers: Call,
    bytes: Bytes,
    support: Option<bool>,
) -> Result<Response, ApiError> {
    let r: OnBehalfRequest = if bytes.is_empty() { OnBehalfRequest::default() } else { body(&bytes)? };
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let on_behalf_of = own_name(&actor, r.on_behalf_of);
    let action = match support {
        Some(true) => Action::Support { proposal: id, on_behalf_of },
        Some(false) => Action::Oppose { proposal: id, on_behalf_of },
        None => Action::WithdrawStance { proposal: id, on_behalf_of },
    };
    Ok(done(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn support(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    stance(ws, p, id, headers, bytes, Some(true)).await
}

pub(super) async fn oppose(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    stance(ws, p, id, headers, bytes, Some(false)).await
}

pub(super) async fn withdraw_stance(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    stance(ws, p, id, headers, bytes, None).await
}

pub(super) async fn revise(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: ReviseRequest = body(&bytes)?;
    let action = Action::Revise {
        proposal: id,
        base_revision: r.base_revision,
        edit: r.edit.into(),
        rationale: r.rationale,
    };
    Ok(done(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn withdraw(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    if !bytes.is_empty() {
        body::<EmptyRequest>(&bytes)?;
    }
    Ok(done(&run(&ws, &p, &headers, &bytes, Action::Withdraw { proposal: id }).await?))
}

pub(super) async fn decide(
    State(ws): State<Ws>,
    Path((p, id)): Path<(String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: DecideRequest = body(&bytes)?;
    let action = Action::Decide {
        proposal: id,
        decision: r.decision,
        base_revision: r.base_revision,
        session: r.session,
    };
    Ok(done(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn produce_revision(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
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
    Ok(created(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn list_sessions(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    Query(q): Query<PageQuery>,
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
    let (list, next) = page(&s.sessions, |x| &x.id, |_| true, |_| true, &q)?;
    Ok(ok(&SessionPage { sessions: list, next }))
}

pub(super) async fn schedule_session(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: SessionRequest = body(&bytes)?;
    let action = Action::ScheduleSession { date: r.date, time: r.time, room: r.room, agenda: r.agenda };
    Ok(created(&run(&ws, &p, &headers, &bytes, action).await?))
}

pub(super) async fn record_decision(
    State(ws): State<Ws>,
    Path((p, session)): Path<(String, String)>,
    headers: Call,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let r: DecisionRequest = body(&bytes)?;
    let action = Action::RecordDecision { session, text: r.text, paragraphs: r.paragraphs };
    Ok(created(&run(&ws, &p, &headers, &bytes, action).await?))
}

#[derive(Deserialize)]
pub(super) struct CompilationQuery {
    format: Option<String>,
    limit: Option<usize>,
    after: Option<String>,
}

pub(super) async fn compilation(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    Query(q): Query<CompilationQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    let latest = policy::readable_latest(&s, actor.as_ref())
        .ok_or_else(|| ApiError::not_found("no draft of this process is open to you yet"))?;
    let proposals_visible = policy::may_read_proposals(&s, actor.as_ref());
    // The text is whole, but a `limit` out of range or an empty `after` is
    // refused whatever the format (Schemathesis: both were accepted with
    // `format=text`).
    PageQuery { limit: q.limit, after: q.after.clone() }.check()?;
    match q.format.as_deref() {
        None | Some("json") => {}
        Some("text") => {
            let text = s.compilation_text_showing(proposals_visible);
            return Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response());
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!("unknown format `{other}`; use json or text")))
        }
    }
    let first_page = q.after.is_none() && q.limit.is_none();
    let page_query = PageQuery { limit: q.limit, after: q.after };
    // Every reader of the proposals sees the same first page: cache it for
    // the state it reflects.
    let key = (p.clone(), slot.generation());
    if proposals_visible && first_page {
        let cache = ws.compilations.lock().map_err(|_| ApiError::unavailable("lock"))?;
        if let Some((seq, json)) = cache.get(&key).filter(|(seq, _)| *seq == s.seq) {
            debug_assert_eq!(*seq, s.seq);
            return Ok(json_bytes(json.clone()));
        }
    }
    let mut paragraphs = s.compilation();
    if !proposals_visible {
        // Until the co-facilitators publish it: the paragraphs only.
        paragraphs.iter_mut().for_each(|c| c.proposals.clear());
    }
    let (page, next) = compilation_page(&paragraphs, &page_query)?;
    let view = CompilationView {
        draft: &latest.id,
        label: &latest.label,
        paragraphs: &page,
        proposals_visible,
        next,
    };
    let json = Bytes::from(serde_json::to_string(&view).unwrap_or_default());
    if proposals_visible && first_page {
        let mut cache = ws.compilations.lock().map_err(|_| ApiError::unavailable("lock"))?;
        cache.retain(|(process, _), _| *process != p);
        cache.insert(key, (s.seq, json.clone()));
    }
    Ok(json_bytes(json))
}

/// One page of the compilation: at most `limit` paragraphs, and fewer once
/// the page holds a page's worth of proposals (a paragraph's proposals are
/// never split), so that no page grows with the whole negotiation.
fn compilation_page<'a>(
    paragraphs: &[CompilationParagraph<'a>],
    q: &PageQuery,
) -> Result<(Vec<CompilationParagraph<'a>>, Option<String>), ApiError> {
    let (mut page, mut next) = page(paragraphs, |c| &c.paragraph.id, |_| true, |_| true, q)?;
    let mut proposals = 0;
    if let Some(cut) = page.iter().position(|c| {
        proposals += c.proposals.len();
        proposals >= MAX_PAGE
    }) {
        if cut + 1 < page.len() {
            page.truncate(cut + 1);
            next = page.last().map(|c| c.paragraph.id.clone());
        }
    }
    Ok((page.into_iter().cloned().collect(), next))
}

pub(super) async fn readiness(
    State(ws): State<Ws>,
    Path(p): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let actor = caller(&ws, &headers, Some(&p)).await?;
    let slot = visible_process(&ws, &p, actor.as_ref())?;
    let s = read(&slot)?;
    // A silence whose deadline has come is shown settled, as the next event will record it.
    let s = s.as_of(ws.now_ms());
    let latest = policy::readable_latest(&s, actor.as_ref())
        .ok_or_else(|| ApiError::not_found("no draft of this process is open to you yet"))?;
    let working = policy::may_read_working(&s, actor.as_ref()).then(|| accord_core::readiness(&s.working));
    let burn_down = working.is_some().then_some(s.burn_down.as_slice());
    Ok(ok(&ReadinessView {
        draft: &latest.id,
        readiness: accord_core::readiness(&latest.document),
        working,
        burn_down,
    }))
}

#[derive(Deserialize)]
pub(super) struct EventsQuery {
    after: Option<u64>,
    limit: Option<usize>,
}

pub(super) async fn events(
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
    let limit = PageQuery { limit: q.limit, after: None }.limit()?;
    // One page read from the store, not the whole log.
    let records = ws.process_events_after(&p, q.after.unwrap_or(0), limit + 1).await?;
    let mut page: Vec<(u64, Value)> = records
        .into_iter()
        .filter_map(|r| serde_json::from_str::<Value>(&r.payload).ok().map(|v| (r.seq, v)))
        .collect();
    let next = if page.len() > limit {
        page.truncate(limit);
        page.last().map(|(seq, _)| *seq)
    } else {
        None
    };
    let events = page.into_iter().map(|(_, v)| v).collect();
    Ok(ok(&EventPage { events, next }))
}

pub(super) async fn full_state(
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
