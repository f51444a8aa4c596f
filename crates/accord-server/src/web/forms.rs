//! The forms that change things, each one action through
//! [`Workspace::execute`] as the logged-in account's actor, and the pages
//! they live on (the working text, sessions).

use super::*;

/// The preview of a form that needs no confirmation: its action is taken at once.
pub(super) fn at_once<'a>(_: &Actor, _: &Action) -> Result<Option<confirm::Ask<'a>>, ApiError> {
    Ok(None)
}

/// Runs an action from a form, in two steps when `preview` asks for one
/// ([`confirm::two_step`]), then goes back (or answers JSON).
#[allow(clippy::too_many_arguments)]
pub(super) async fn act<'a>(
    web: &WebState,
    v: &Viewer,
    headers: &HeaderMap,
    pid: &str,
    form: &HashMap<String, String>,
    action: Result<Action, ApiError>,
    back: &str,
    preview: impl FnOnce(&Actor, &Action) -> Result<Option<confirm::Ask<'a>>, ApiError>,
) -> Response {
    let back = back_of(pid, form, back);
    let done = confirm::two_step(web, v, headers, pid, form, action, &back, preview).await;
    confirm::answer(headers, done, |_| back.clone())
}

/// Where a form goes back to: its own `back` field when it is a page of
/// this process, else `back`.
pub(super) fn back_of(pid: &str, form: &HashMap<String, String>, back: &str) -> String {
    form.get("back")
        .filter(|b| b.starts_with(&format!("/p/{pid}/")) && !b.contains("//"))
        .cloned()
        .unwrap_or_else(|| back.to_string())
}

/// Runs an action from a form as the viewer (CSRF, login and write quota
/// checked); the error page, going back to `back`, when it was not taken.
pub(super) async fn run_form(
    web: &WebState,
    v: &Viewer,
    headers: &HeaderMap,
    pid: &str,
    form: &HashMap<String, String>,
    action: Result<Action, ApiError>,
    back: &str,
) -> Result<accord_core::negotiation::Outcome, Response> {
    check_csrf(v, form).map_err(|e| error_page(v, headers, e, back))?;
    let action = action.map_err(|e| error_page(v, headers, e, back))?;
    run_action(web, v, pid, action).await.map_err(|e| error_page(v, headers, e, back))
}

/// Takes `action` as the viewer (login and write quota checked; the form's
/// token already was).
pub(super) async fn run_action(
    web: &WebState,
    v: &Viewer,
    pid: &str,
    action: Action,
) -> Result<accord_core::negotiation::Outcome, ApiError> {
    let actor = v.actor_in(pid).ok_or_else(|| ApiError::unauthorized("log in to act in this process"))?;
    web.writes.take(&actor.label())?;
    Ok(web.ws.execute(pid, actor, action, None).await?)
}

pub(super) fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map(String::as_str).unwrap_or("")
}

pub(super) fn number(form: &HashMap<String, String>, name: &str) -> Result<u64, ApiError> {
    field(form, name).trim().parse().map_err(|_| ApiError::bad_request(format!("`{name}` must be a number")))
}

/// The character span of `find` in `text`, which must occur exactly once.
pub(super) fn span_of(text: &str, find: &str) -> Result<[u32; 2], ApiError> {
    if find.trim().is_empty() {
        return Err(ApiError::bad_request("give the words of the paragraph the change concerns"));
    }
    let hits: Vec<usize> = text.match_indices(find).map(|(i, _)| i).collect();
    match hits.as_slice() {
        [at] => {
            let start = text[..*at].chars().count() as u32;
            Ok([start, start + find.chars().count() as u32])
        }
        [] => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("“{find}” is not in the paragraph; copy the words exactly as they stand"),
        )),
        many => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!(
                "“{find}” occurs {} times in the paragraph; give more words so it occurs once",
                many.len()
            ),
        )),
    }
}

pub(super) fn proposal_from_form(
    s: &ProcessState,
    form: &HashMap<String, String>,
    own: &str,
) -> Result<Action, ApiError> {
    let latest = s.latest().ok_or_else(|| ApiError::not_found("no draft yet"))?;
    let para_id = field(form, "paragraph");
    let para = latest
        .document
        .paragraphs
        .iter()
        .find(|p| p.id == para_id)
        .ok_or_else(|| ApiError::not_found(format!("no paragraph `{para_id}` in {}", latest.label)))?;
    let (find, text) = (field(form, "find"), field(form, "text").trim().to_string());
    let need_text = |what: &str| {
        if text.is_empty() {
            Err(ApiError::bad_request(format!("give the {what}")))
        } else {
            Ok(text.clone())
        }
    };
    let edit = match field(form, "kind") {
        "replace" => Edit::Replace { span: span_of(&para.text, find)?, text: need_text("new text")? },
        "insert" => {
            let at = if find.is_empty() {
                para.text.chars().count() as u32
            } else {
                span_of(&para.text, find)?[1]
            };
            let t = need_text("text to insert")?;
            let t = if t.starts_with([',', '.', ';', ':']) { t } else { format!(" {t}") };
            Edit::Insert { at, text: t }
        }
        "delete" => Edit::Delete { span: span_of(&para.text, find)? },
        "bracket" => Edit::Bracket { span: span_of(&para.text, find)? },
        "alternatives" => Edit::Alternatives {
            span: span_of(&para.text, find)?,
            alternatives: need_text("alternatives")?
                .split('/')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
        },
        "unbracket" => unbracket(para, find)?,
        "add-paragraph" => Edit::AddParagraph { text: need_text("new paragraph's text")? },
        "delete-paragraph" => Edit::DeleteParagraph,
        "move-paragraph" => {
            Edit::MoveParagraph { after: move_after(&latest.document, para, field(form, "after"))? }
        }
        other => return Err(ApiError::bad_request(format!("unknown kind of change `{other}`"))),
    };
    let citation = field(form, "citation").trim();
    let rationale = field(form, "rationale").trim();
    let on_behalf_of = match field(form, "on_behalf_of") {
        "" => own.to_string(),
        x => x.to_string(),
    };
    Ok(Action::TableProposal {
        draft: latest.id.clone(),
        paragraph: para.id.clone(),
        on_behalf_of,
        edit,
        rationale: (!rationale.is_empty()).then(|| rationale.to_string()),
        citation: (!citation.is_empty()).then(|| citation.to_string()),
    })
}

/// "Remove the brackets, keep the text": the innermost bracket of `para`
/// around the words `find` (the paragraph's only bracket when no words are
/// given) replaced by what it holds.
fn unbracket(para: &accord_core::Paragraph, find: &str) -> Result<Edit, ApiError> {
    let invalid = |m: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m);
    let bracket = if find.trim().is_empty() {
        match para.brackets.as_slice() {
            [one] => one,
            [] => return Err(invalid("the paragraph has no brackets to remove".into())),
            _ => {
                return Err(invalid(
                    "the paragraph has several brackets: give words of the one to remove".into(),
                ))
            }
        }
    } else {
        let [a, b] = span_of(&para.text, find)?;
        para.brackets
            .iter()
            .filter(|x| x.start <= a && b <= x.end)
            .max_by_key(|x| x.depth)
            .ok_or_else(|| invalid(format!("“{find}” is not inside brackets")))?
    };
    if bracket.opens_before || bracket.closes_after {
        return Err(invalid(
            "that bracket runs across paragraphs; propose replacing the words instead".into(),
        ));
    }
    if bracket.alternatives.is_some() || bracket.follows_bracket {
        return Err(invalid(format!(
            "{} holds alternatives: propose the wording you want with “Replace words” instead",
            bracket.text
        )));
    }
    let chars: Vec<char> = bracket.text.chars().collect();
    let inner: String = match chars.as_slice() {
        ['[', inner @ .., ']'] => inner.iter().collect(),
        _ => return Err(invalid(format!("{} is not a whole bracket of the paragraph", bracket.text))),
    };
    Ok(Edit::Replace { span: [bracket.start, bracket.end], text: inner })
}

/// The paragraph a moved paragraph follows: `after` is a paragraph number
/// of `draft` ("first" or empty: to the top).
fn move_after(
    draft: &accord_core::Draft,
    para: &accord_core::Paragraph,
    after: &str,
) -> Result<Option<String>, ApiError> {
    let after = after.trim();
    let after =
        after.strip_prefix("paragraph").or_else(|| after.strip_prefix("Paragraph")).map_or(after, str::trim);
    if after.is_empty() || after.eq_ignore_ascii_case("first") || after == "0" {
        return Ok(None);
    }
    let target = draft.paragraphs.iter().find(|p| p.number.as_deref() == Some(after)).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("there is no paragraph {after}; give the number of the paragraph it should follow"),
        )
    })?;
    if target.id == para.id {
        return Err(ApiError::bad_request(
            "a paragraph cannot follow itself: give another paragraph's number",
        ));
    }
    Ok(Some(target.id.clone()))
}

pub(super) async fn table_proposal(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let own = match v.actor_in(&pid) {
        Some(Actor::Delegation { delegation }) => delegation,
        _ => String::new(),
    };
    let action = match web.ws.process(&pid) {
        Some(slot) => match slot.state.read() {
            Ok(s) => proposal_from_form(&s, &form, &own),
            Err(_) => Err(ApiError::unavailable("lock")),
        },
        None => Err(ApiError::not_found(format!("no process `{pid}`"))),
    };
    let back = format!("/p/{pid}/compilation#para-{}", field(&form, "paragraph"));
    if let Err(e) = check_csrf(&v, &form) {
        return error_page(&v, &headers, e, &back);
    }
    // A refusal keeps what was typed: the compilation again, the form filled.
    let refused =
        |e| compilation::proposal_again(&web, &v, &headers, &pid, &form, compilation::Again::Refused(e));
    let action = match action {
        Ok(a) => a,
        Err(e) => return refused(e),
    };
    // "Preview": what the paragraph will read, checked as tabling would be,
    // nothing recorded; the form again below it.
    if field(&form, "step") == "preview" && !wants_json(&headers) {
        let preview = v
            .actor_in(&pid)
            .ok_or_else(|| ApiError::unauthorized("log in to table proposals"))
            .and_then(|actor| confirm::dry_run(&web, &pid, &actor, &action))
            .and_then(|checked| with_state(&web, &pid, |s| compilation::tabling_preview(s, &checked)));
        return match preview {
            Ok(html) => compilation::proposal_again(
                &web,
                &v,
                &headers,
                &pid,
                &form,
                compilation::Again::Preview(html),
            ),
            Err(e) => refused(e),
        };
    }
    match run_action(&web, &v, &pid, action).await {
        Ok(outcome) if wants_json(&headers) => axum::Json(outcome).into_response(),
        Ok(o) => Redirect::to(&format!("/p/{pid}/compilation#proposal-{}", o.proposal.unwrap_or_default()))
            .into_response(),
        Err(e) => refused(e),
    }
}

/// The co-facilitators publish the compilation, or take it back.
pub(super) async fn proposal_visibility(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let action = match field(&form, "visibility") {
        "public" => Ok(ProposalVisibility::Public),
        "participants" => Ok(ProposalVisibility::Participants),
        other => Err(ApiError::bad_request(format!("unknown visibility `{other}`"))),
    }
    .map(|visibility| Action::SetProposalVisibility { visibility });
    let back = format!("/p/{pid}/compilation");
    act(&web, &v, &headers, &pid, &form, action, &back, at_once).await
}

pub(super) async fn proposal_action(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, proposal, verb)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let own = match v.actor_in(&pid) {
        Some(Actor::Delegation { delegation }) => delegation,
        _ => String::new(),
    };
    let on_behalf_of = match field(&form, "on_behalf_of") {
        "" => own,
        x => x.to_string(),
    };
    let action = match verb.as_str() {
        "support" => Ok(Action::Support { proposal: proposal.clone(), on_behalf_of }),
        "oppose" => Ok(Action::Oppose { proposal: proposal.clone(), on_behalf_of }),
        "withdraw-stance" => Ok(Action::WithdrawStance { proposal: proposal.clone(), on_behalf_of }),
        "withdraw" => Ok(Action::Withdraw { proposal: proposal.clone() }),
        "revise" => number(&form, "base_revision").and_then(|base_revision| {
            let existing = web
                .ws
                .process(&pid)
                .and_then(|slot| {
                    slot.state.read().ok().and_then(|s| s.proposal(&proposal).map(|p| p.edit.clone()))
                })
                .ok_or_else(|| ApiError::not_found(format!("no proposal `{proposal}`")))?;
            let text = field(&form, "text").trim().to_string();
            let edit = match existing {
                Edit::Replace { span, .. } => Edit::Replace { span, text },
                Edit::Insert { at, .. } => Edit::Insert {
                    at,
                    text: if text.starts_with([',', '.', ';', ':']) { text } else { format!(" {text}") },
                },
                Edit::AddParagraph { .. } => Edit::AddParagraph { text },
                Edit::Alternatives { span, .. } => Edit::Alternatives {
                    span,
                    alternatives: text
                        .split('/')
                        .map(|a| a.trim().to_string())
                        .filter(|a| !a.is_empty())
                        .collect(),
                },
                other => other,
            };
            let rationale = Some(field(&form, "rationale").trim().to_string()).filter(|r| !r.is_empty());
            Ok(Action::Revise { proposal: proposal.clone(), base_revision, edit, rationale })
        }),
        "decide" => number(&form, "base_revision").and_then(|base_revision| {
            let decision = match field(&form, "decision") {
                "accept" => Decision::Accept,
                "set-aside" => Decision::SetAside,
                other => return Err(ApiError::bad_request(format!("unknown decision `{other}`"))),
            };
            let session = Some(field(&form, "session").to_string()).filter(|s| !s.is_empty());
            Ok(Action::Decide { proposal: proposal.clone(), decision, base_revision, session })
        }),
        other => Err(ApiError::not_found(format!("no action `{other}` on proposals"))),
    };
    let back = format!("/p/{pid}/compilation");
    // Withdrawing cannot be undone: a second step, said in words.
    let preview = |_: &Actor, _: &Action| {
        Ok((verb == "withdraw").then(|| withdrawal(&web, &pid, &proposal)).flatten().map(|message| {
            confirm::Ask::new(
                format!("/p/{pid}/proposals/{proposal}/withdraw"),
                format!("Withdraw {}?", compilation::proposal_name(&proposal)),
                message,
                "Yes, withdraw it",
            )
            .cancel_to(format!("{back}#proposal-{proposal}"))
        }))
    };
    act(&web, &v, &headers, &pid, &form, action, &back, preview).await
}

/// What withdrawing `proposal` does, in words (`None`: no such proposal,
/// which the action itself then reports).
fn withdrawal(web: &WebState, pid: &str, proposal: &str) -> Option<String> {
    let slot = web.ws.process(pid)?;
    let s = slot.state.read().ok()?;
    let p = s.proposal(proposal)?;
    let stances = p.supporters.len() + p.opponents.len();
    let number = s
        .draft(&p.draft)
        .and_then(|d| d.document.paragraphs.iter().find(|q| q.id == p.paragraph))
        .and_then(|q| q.number.clone())
        .unwrap_or_else(|| p.paragraph.clone());
    Some(format!(
        "{} ({} on paragraph {number}: {}) leaves the compilation for good{}; it cannot be tabled \
         again, only a new proposal can. The withdrawal is recorded with your delegation's name.",
        compilation::proposal_title(proposal),
        s.name_of(&p.author),
        p.describe(),
        if stances == 0 { String::new() } else { format!(", with its {stances} supports and oppositions") },
    ))
}

/// A working paragraph as the co-facilitators' page shows it.
pub struct WorkView {
    id: String,
    number: String,
    html: String,
    status: &'static str,
    status_class: &'static str,
    /// The current status's stable name: the one the status control selects.
    status_name: &'static str,
    /// The note on the current status ("given new figures").
    note: String,
    /// The text as it stands, the start of a compromise text.
    text: String,
    revision: u64,
    brackets: Vec<(usize, String, Vec<String>)>,
}

/// The statuses the control offers: stable name, words.
const STATUSES: [(&str, &str); 4] = [
    ("open", "Open"),
    ("suggested-for-closure", "Suggested for closure"),
    ("agreed-ad-ref", "Agreed ad ref"),
    ("agreed", "Agreed"),
];

#[derive(Template)]
#[template(path = "working.html")]
pub(super) struct WorkingPage {
    frame: Frame,
    nav: Nav,
    label: String,
    accepted: String,
    paragraphs: Vec<WorkView>,
    statuses: [(&'static str, &'static str); 4],
    can_edit: bool,
}

pub(super) async fn working_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
) -> Response {
    let v = web.viewer(&headers).await;
    let result = in_process(&web, &pid, &v, |s, a| {
        if !policy::may_read_working(s, a) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only the secretariat and co-facilitators see the working text",
            ));
        }
        let corpus = web.ws.corpus();
        let links = markup::Links::through(corpus.as_deref());
        let paragraphs = s
            .working_paragraphs()
            .into_iter()
            .map(|w| {
                let pv = para_view(w.paragraph, links);
                WorkView {
                    id: pv.id,
                    number: pv.number,
                    html: pv.html,
                    status: pv.status,
                    status_class: pv.status_class,
                    status_name: w.paragraph.status.as_str(),
                    note: w.paragraph.status_note.clone().unwrap_or_default(),
                    text: w.paragraph.text.clone(),
                    revision: w.revision,
                    brackets: w
                        .paragraph
                        .brackets
                        .iter()
                        .enumerate()
                        .map(|(i, b)| (i, b.text.clone(), b.alternatives.clone().unwrap_or_default()))
                        .collect(),
                }
            })
            .collect();
        Ok(WorkingPage {
            frame: frame(&v),
            nav: nav(s, a),
            label: s.latest().map(|d| d.label.clone()).unwrap_or_default(),
            accepted: if s.accepted.is_empty() { "none".into() } else { s.accepted.join(", ") },
            paragraphs,
            statuses: STATUSES,
            can_edit: policy::is_co_facilitator(s, a),
        })
    });
    match result {
        Ok(p) => page(&v, &p),
        Err(e) => login_or_error(&v, &headers, e, &format!("/p/{pid}/working")),
    }
}

pub(super) async fn working_action(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, paragraph, verb)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let session = Some(field(&form, "session").to_string()).filter(|s| !s.is_empty());
    let back = format!("/p/{pid}/working#para-{paragraph}");
    let action = number(&form, "base_revision").and_then(|base_revision| match verb.as_str() {
        "status" => {
            let status = Status::from_name(field(&form, "status"))
                .ok_or_else(|| ApiError::bad_request("unknown status"))?;
            let note = Some(field(&form, "note").trim().to_string()).filter(|n| !n.is_empty());
            Ok(Action::SetStatus { paragraph: paragraph.clone(), status, note, base_revision, session })
        }
        "compromise" => Ok(Action::WriteCompromise {
            paragraph: paragraph.clone(),
            text: field(&form, "text").to_string(),
            base_revision,
            session,
        }),
        other => Err(ApiError::not_found(format!("no action `{other}` on paragraphs"))),
    });
    // Taking an agreed paragraph back is a second step, said in words.
    let preview = |_: &Actor, action: &Action| {
        let Action::SetStatus { status, .. } = action else { return Ok(None) };
        Ok(reopened(&web, &pid, &paragraph, *status).map(|(number, was)| {
            confirm::Ask::new(
                format!("/p/{pid}/working/{paragraph}/status"),
                format!("Reopen paragraph {number}?"),
                format!(
                    "Paragraph {number} is {was}. Setting it to “{}” takes it back to negotiation; \
                     the change is recorded with your name and the note below.",
                    STATUSES.iter().find(|s| s.0 == status.as_str()).map_or("", |s| s.1)
                ),
                "Yes, reopen it",
            )
            .with_note("note", "Why (shown with the status)")
        }))
    };
    act(&web, &v, &headers, &pid, &form, action, &back, preview).await
}

/// The paragraph's number and current status in words, when setting it to
/// `to` would take an agreed (or agreed ad ref) paragraph back.
fn reopened(web: &WebState, pid: &str, paragraph: &str, to: Status) -> Option<(String, &'static str)> {
    let slot = web.ws.process(pid)?;
    let s = slot.state.read().ok()?;
    let p = s.working_paragraphs().into_iter().find(|w| w.paragraph.id == paragraph)?.paragraph;
    let was = match p.status {
        Status::Agreed => "agreed",
        Status::AgreedAdRef => "agreed ad referendum",
        _ => return None,
    };
    (to < p.status).then(|| (p.number.clone().unwrap_or_else(|| p.id.clone()), was))
}

pub(super) async fn bracket_action(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, paragraph, bracket)): Path<(String, String, usize)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let resolution = match (field(&form, "resolution"), form.get("choose")) {
        (_, Some(n)) => n
            .parse()
            .map(|alternative| BracketResolution::Choose { alternative })
            .map_err(|_| ApiError::bad_request("which alternative?")),
        ("keep", None) => Ok(BracketResolution::Keep),
        ("delete", None) => Ok(BracketResolution::Delete),
        _ => Err(ApiError::bad_request("keep, delete or choose an alternative")),
    };
    let action = resolution.and_then(|resolution| {
        Ok(Action::ResolveBracket {
            paragraph: paragraph.clone(),
            bracket,
            resolution,
            base_revision: number(&form, "base_revision")?,
            session: None,
        })
    });
    let back = format!("/p/{pid}/working#para-{paragraph}");
    act(&web, &v, &headers, &pid, &form, action, &back, at_once).await
}

pub(super) async fn produce_revision(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let publication = match field(&form, "publication") {
        "internal" => Publication::Internal,
        "public" => Publication::Public,
        _ => Publication::Circulated,
    };
    let date = Some(field(&form, "date").trim().to_string()).filter(|d| !d.is_empty());
    let mut action = Ok(Action::ProduceRevision {
        label: field(&form, "label").trim().to_string(),
        date,
        publication,
        canonical: None,
        lineage: None,
    });
    // The confirmed step carries the cover letter as the co-facilitators
    // edited it: it goes with the revision (its text is the working text's).
    if confirm::confirmed(&form) && !field(&form, "letter").trim().is_empty() {
        action = action.and_then(|a| with_letter(&web, &v, &pid, a, field(&form, "letter")));
    }
    let back = format!("/p/{pid}");
    // The first step says what the revision will be: counts, what is taken
    // in, the new numbering, and the cover letter to edit before it goes.
    let preview = |actor: &Actor, a: &Action| {
        let message = admin::revision_preview(&web, &pid, actor, a)?;
        let letter = admin::cover_letter_draft(&web, &pid, actor, a)?;
        Ok(Some(
            confirm::Ask::new(
                format!("/p/{pid}/revisions"),
                format!("Produce {}?", field(&form, "label").trim()),
                message,
                "Yes, produce the revision",
            )
            .with_area(
                "letter",
                "The cover letter, as it will be circulated (edit it here; paragraphs separated by an empty line)",
                letter,
            )
            .cancel_to(format!("/p/{pid}/working")),
        ))
    };
    act(&web, &v, &headers, &pid, &form, action, &back, preview).await
}

/// The most a cover letter's body may hold, in characters.
const LETTER_MAX_CHARS: usize = 20_000;

/// `action` (a revision) with its cover letter's body replaced by `letter`
/// (paragraphs separated by an empty line): the revision's text as it would
/// be made now, carrying the edited letter.
fn with_letter(
    web: &WebState,
    v: &Viewer,
    pid: &str,
    action: Action,
    letter: &str,
) -> Result<Action, ApiError> {
    if letter.chars().count() > LETTER_MAX_CHARS {
        return Err(ApiError::bad_request(format!(
            "the cover letter is longer than {LETTER_MAX_CHARS} characters; nothing was produced"
        )));
    }
    if letter.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(ApiError::bad_request("the cover letter holds control characters; nothing was produced"));
    }
    let actor = v.actor_in(pid).ok_or_else(|| ApiError::unauthorized("log in to act in this process"))?;
    let Action::ProduceRevision { label, date, publication, canonical: Some(text), .. } =
        confirm::dry_run(web, pid, &actor, &action)?
    else {
        return Ok(action);
    };
    let mut document = accord_core::canonical::read(&text);
    if document.letters.is_empty() {
        document.letters.push(accord_core::Letter::default());
    }
    document.letters[0].body = letter_paragraphs(letter);
    Ok(Action::ProduceRevision {
        label,
        date,
        publication,
        canonical: Some(accord_core::canonical::write(&document)),
        lineage: None,
    })
}

/// A letter typed in a text box as its paragraphs: separated by an empty
/// line, the lines of each joined by a space.
pub(super) fn letter_paragraphs(letter: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in letter.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// Reads the process's state for a form (`f` of it), or says why not.
pub(super) fn with_state<T>(
    web: &WebState,
    pid: &str,
    f: impl FnOnce(&ProcessState) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let slot = web.ws.process(pid).ok_or_else(|| ApiError::not_found(format!("no process `{pid}`")))?;
    let s = slot.state.read().map_err(|_| ApiError::unavailable("lock"))?;
    f(&s)
}
