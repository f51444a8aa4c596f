//! The files people bring through the web pages: a draft (text, Word or PDF)
//! for the secretariat's import, and a delegation's marked-up Word file, each
//! tracked change tabled as a proposal in its name.
//!
//! Both are `multipart/form-data` forms with the page's CSRF token, within
//! [`MAX_UPLOAD_BYTES`]; a file that cannot be read records nothing (the
//! event log unchanged) and the page gives the reader's own message. Reading
//! runs on the blocking pool ([`super::documents`]' `blocking`).

use super::documents::blocking;
use super::*;

use accord_core::Draft;
use accord_formats::docx::proposals::{self as word_proposals, AuthorMap, ProposalError};
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};

/// Largest file accepted by an upload form.
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

/// A multipart form's text fields and its file (name, bytes), if one was chosen.
type Upload = (HashMap<String, String>, Option<(String, Vec<u8>)>);

fn upload_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!(
                "the file is larger than the limit of {} MB: nothing was imported; send a smaller file",
                MAX_UPLOAD_BYTES >> 20
            ),
        )
    } else {
        ApiError::bad_request(format!("the upload could not be read: {}", e.body_text()))
    }
}

/// Reads an upload form (the body limit is the route's).
async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> Result<Upload, ApiError> {
    let mut m = multipart
        .map_err(|e| ApiError::bad_request(format!("the form could not be read: {}", e.body_text())))?;
    let mut form = HashMap::new();
    let mut file = None;
    while let Some(field) = m.next_field().await.map_err(upload_error)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(upload_error)?;
            if !bytes.is_empty() {
                file = Some((
                    if file_name.is_empty() { "the file".into() } else { file_name },
                    Vec::from(bytes),
                ));
            }
        } else {
            let text = field.text().await.map_err(upload_error)?;
            if text.len() > MAX_FORM_BYTES {
                return Err(ApiError::bad_request(format!("the field `{name}` is too long")));
            }
            form.insert(name, text);
        }
    }
    Ok((form, file))
}

/// The canonical form of an uploaded draft, as `accord import` makes it:
/// the file read by its content (text, Word, PDF), then checked as a draft.
fn canonical_of_upload(bytes: Vec<u8>) -> Result<String, String> {
    let text = accord_formats::read_text(bytes, MAX_UPLOAD_BYTES).map_err(|e| e.to_string())?;
    accord_workspace::import::canonical_of(&text).map_err(|e| e.to_string())
}

fn unprocessable(message: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
}

/// The process page again, its import form showing why the upload was
/// refused and what was typed (the file must be chosen again: browsers do
/// not let a page choose it).
fn import_refused(
    web: &WebState,
    v: &Viewer,
    headers: &HeaderMap,
    pid: &str,
    e: ApiError,
    form: &HashMap<String, String>,
) -> Response {
    if wants_json(headers) || e.status == StatusCode::UNAUTHORIZED || e.status == StatusCode::FORBIDDEN {
        return error_page(v, headers, e, &format!("/p/{pid}"));
    }
    match process_page(web, v, pid, String::new()) {
        Ok(mut p) => {
            p.import_error = e.message;
            p.import_label = field(form, "label").to_string();
            p.import_publication = match field(form, "publication") {
                x @ ("internal" | "public") => x.to_string(),
                _ => "circulated".into(),
            };
            let mut r = page(v, &p);
            *r.status_mut() = e.status;
            r
        }
        Err(_) => error_page(v, headers, e, &format!("/p/{pid}")),
    }
}

fn publication_of(form: &HashMap<String, String>) -> Publication {
    match field(form, "publication") {
        "internal" => Publication::Internal,
        "public" => Publication::Public,
        _ => Publication::Circulated,
    }
}

/// What importing `canonical` as `label` will do, in words.
fn import_preview(
    s: &ProcessState,
    file: &str,
    label: &str,
    publication: Publication,
    canonical: &str,
) -> String {
    let d = accord_core::canonical::read(canonical);
    let brackets: usize = d.paragraphs.iter().map(|p| p.brackets.len()).sum();
    let mut m = format!(
        "Import {file} as “{label}”, {}: {} paragraph{}",
        publication_label(publication),
        d.paragraphs.len(),
        if d.paragraphs.len() == 1 { "" } else { "s" }
    );
    if !d.headings.is_empty() {
        m.push_str(&format!(
            " under {} heading{}",
            d.headings.len(),
            if d.headings.len() == 1 { "" } else { "s" }
        ));
    }
    m.push_str(&match brackets {
        0 => ", no bracket".to_string(),
        1 => ", 1 bracket".to_string(),
        n => format!(", {n} brackets"),
    });
    if let Some(t) = &d.title {
        m.push_str(&format!(", titled “{t}”"));
    }
    if let Some(first) = d.paragraphs.first() {
        let words: String = first.text.chars().take(120).collect();
        let more = if first.text.chars().count() > 120 { "…" } else { "" };
        m.push_str(&format!(". It begins: “{words}{more}”"));
    }
    m.push_str(&match s.latest() {
        Some(prev) => format!(
            ". It becomes the next draft after {}, and live proposals follow their paragraphs into it.",
            prev.label
        ),
        None => ". It becomes the process's first draft.".to_string(),
    });
    m
}

/// `POST /p/{process}/import` (multipart): a draft file, read and checked,
/// then a confirmation that says what importing it will do (the text read
/// travels with the confirmation, in canonical form; nothing is recorded yet).
pub(super) async fn import_upload(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let v = web.viewer(&headers).await;
    let back = format!("/p/{pid}");
    // Who asks, from the headers alone, before the body is read: nobody
    // else's 50 MB is buffered. (The CSRF token is in the body, next.)
    let Some(actor) = v.actor_in(&pid) else {
        return error_page(&v, &headers, ApiError::unauthorized("log in to import a draft"), &back);
    };
    let probe = Action::ImportDraft {
        label: String::new(),
        canonical: String::new(),
        publication: Publication::Internal,
        lineage: None,
    };
    let allowed = in_process(&web, &pid, &v, |s, _| {
        policy::may_take(s, &actor, &probe).map_err(|m| ApiError::new(StatusCode::FORBIDDEN, "forbidden", m))
    });
    if let Err(e) = allowed {
        return error_page(&v, &headers, e, &back);
    }
    let (form, file) = match read_upload(multipart).await {
        Ok(u) => u,
        Err(e) => return import_refused(&web, &v, &headers, &pid, e, &HashMap::new()),
    };
    if let Err(e) = check_csrf(&v, &form) {
        return error_page(&v, &headers, e, &back);
    }
    let publication = publication_of(&form);
    let label = field(&form, "label").trim().to_string();
    if label.is_empty() {
        let e = ApiError::bad_request("give the draft's label (\"Rev.2\"); nothing was imported");
        return import_refused(&web, &v, &headers, &pid, e, &form);
    }
    let Some((name, bytes)) = file else {
        let e = ApiError::bad_request("choose a file to import; nothing was imported");
        return import_refused(&web, &v, &headers, &pid, e, &form);
    };
    let canonical = match blocking(move || canonical_of_upload(bytes)).await {
        Ok(c) => c,
        Err(m) => {
            let e = unprocessable(format!("{name}: {m}. Nothing was imported."));
            return import_refused(&web, &v, &headers, &pid, e, &form);
        }
    };
    let action = Action::ImportDraft {
        label: label.clone(),
        canonical: canonical.clone(),
        publication,
        lineage: None,
    };
    if wants_json(&headers) {
        // Scripts take the action at once, as with every form.
        if let Err(e) = web.writes.take(&actor.label()) {
            return error_page(&v, &headers, e, &back);
        }
        return match web.ws.execute(&pid, actor, action, None).await {
            Ok(o) => axum::Json(o).into_response(),
            Err(e) => error_page(&v, &headers, e.into(), &back),
        };
    }
    if let Err(e) = confirm::dry_run(&web, &pid, &actor, &action) {
        let e = ApiError { message: format!("{name}: {} Nothing was imported.", e.message), ..e };
        return import_refused(&web, &v, &headers, &pid, e, &form);
    }
    let message = match in_process(&web, &pid, &v, |s, _| {
        Ok(import_preview(s, &name, &label, publication, &canonical))
    }) {
        Ok(m) => m,
        Err(e) => return error_page(&v, &headers, e, &back),
    };
    let carried: HashMap<String, String> = [
        ("label", label.clone()),
        ("publication", field(&form, "publication").to_string()),
        ("canonical", canonical),
        ("file", name),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let ask = confirm::Ask {
        heading: format!("Import “{label}”?"),
        message,
        action: format!("/p/{pid}/import/confirm"),
        note: None,
        area: None,
        confirm_label: "Yes, import it",
        cancel: format!("/p/{pid}#import-h"),
    };
    confirm::ask(&v, &carried, ask)
}

/// `POST /p/{process}/import/confirm`: the confirmed import of a draft read
/// by [`import_upload`]; the text is checked again as any import is.
pub(super) async fn import_confirm(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    let label = field(&form, "label").trim().to_string();
    let action = Ok(Action::ImportDraft {
        label,
        canonical: field(&form, "canonical").to_string(),
        publication: publication_of(&form),
        lineage: None,
    });
    let back = format!("/p/{pid}");
    match run_form(&web, &v, &headers, &pid, &form, action, &back).await {
        Ok(o) => Redirect::to(&format!("/p/{pid}/drafts/{}", o.draft.unwrap_or_default())).into_response(),
        Err(r) => r,
    }
}

/// What a marked-up file gives: proposals placed on the latest draft, and
/// each change that could not be (where, what, why).
struct Plan {
    placed: Vec<word_proposals::TableableProposal>,
    unplaced: Vec<(String, String, String)>,
}

fn describe_change(c: &accord_formats::docx::TrackedChange) -> String {
    let author = c.author.as_deref().unwrap_or("no author");
    match (c.deleted.is_empty(), c.inserted.is_empty()) {
        (true, _) => format!("insert “{}” ({author})", c.inserted.trim()),
        (false, true) => format!("delete “{}” ({author})", c.deleted.trim()),
        (false, false) => format!("replace “{}” with “{}” ({author})", c.deleted.trim(), c.inserted.trim()),
    }
}

/// Reads a delegation's marked-up Word file against the latest draft.
/// `may_act_for` are the ids the uploader may table in the name of.
fn plan_markup(
    bytes: Vec<u8>,
    authors: &AuthorMap,
    may_act_for: &[String],
    latest: &Draft,
) -> Result<Plan, String> {
    if accord_formats::detect(&bytes) != accord_formats::Format::Docx {
        return Err("this is not a Word file: proposals come as a .docx with tracked changes".into());
    }
    let import = accord_formats::docx::read(&bytes).map_err(|e| e.to_string())?;
    if import.tracked_changes.is_empty() {
        return Err("the file has no tracked changes: nothing to table".into());
    }
    let ids: Vec<&str> = may_act_for.iter().map(String::as_str).collect();
    let found = word_proposals::proposals(&import, authors, &ids).map_err(|e| match e {
        ProposalError::UnknownAuthors(names) => format!(
            "unknown Word author(s): {}. Map each in “Word authors” as a line Name=delegation \
             (you may table for: {}). Nothing was tabled.",
            names.join(", "),
            may_act_for.join(", ")
        ),
        ProposalError::NoAuthor(n) => format!(
            "a tracked change in Word paragraph {n} has no author; map it with a line =delegation. Nothing was tabled."
        ),
        other => other.to_string(),
    })?;
    // A mapping to a delegation the uploader does not speak for refuses the file.
    if let Some(p) = found.proposals.iter().find(|p| !may_act_for.contains(&p.on_behalf_of)) {
        return Err(format!(
            "Word author “{}” is mapped to `{}`, in whose name you may not table (you may for: {}). Nothing was tabled.",
            p.word_author.as_deref().unwrap_or(""),
            p.on_behalf_of,
            may_act_for.join(", ")
        ));
    }
    let found = found.against(&import.draft, latest);
    let mut plan = Plan { placed: found.proposals, unplaced: Vec::new() };
    for u in found.unplaced {
        let at = format!("Word paragraph {}", u.change.source_paragraph);
        plan.unplaced.push((at, describe_change(&u.change), u.reason));
    }
    Ok(plan)
}

/// A short description of a proposal's edit, for the report.
trait EditSummary {
    fn edit_summary(&self) -> String;
}

impl EditSummary for word_proposals::TableableProposal {
    fn edit_summary(&self) -> String {
        match &self.edit {
            Edit::Insert { text, .. } => format!("insert “{}”", text.trim()),
            Edit::Delete { .. } => format!("delete “{}”", self.quote),
            Edit::Replace { text, .. } => format!("replace “{}” with “{text}”", self.quote),
            Edit::AddParagraph { text } => format!("add the paragraph “{text}”"),
            Edit::DeleteParagraph => "delete the paragraph".into(),
            other => format!("{other:?}"),
        }
    }
}

#[derive(Template)]
#[template(path = "markup.html")]
struct MarkupPage {
    frame: Frame,
    nav: Nav,
    file: String,
    /// (proposal id, its name for readers, paragraph number, change, in whose name)
    tabled: Vec<(String, String, String, String, String)>,
    /// (where, change, reason)
    unplaced: Vec<(String, String, String)>,
    failed: String,
}

/// `POST /p/{process}/compilation/markup` (multipart): a delegation's
/// marked-up Word file, each tracked change tabled as a proposal in its
/// name (comments as rationale), or nothing tabled when the file cannot be.
pub(super) async fn markup_upload(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let v = web.viewer(&headers).await;
    match table_markup(&web, &v, &pid, multipart).await {
        Ok(r) => r,
        Err(e) => error_page(&v, &headers, e, &format!("/p/{pid}/compilation")),
    }
}

/// [`markup_upload`] up to its page; `Err` is what it refused, tabling nothing
/// (or, when the process changed midway, nothing more).
async fn table_markup(
    web: &WebState,
    v: &Viewer,
    pid: &str,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let pid = pid.to_string();
    // Who asks before the body is read (see `import_upload`).
    let delegation = match v.actor_in(&pid) {
        Some(Actor::Delegation { delegation }) => delegation,
        Some(_) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "proposals are tabled by a delegation: log in as a member of the delegation",
            ))
        }
        None => return Err(ApiError::unauthorized("log in to table proposals")),
    };
    let (form, file) = read_upload(multipart).await?;
    check_csrf(v, &form)?;
    let Some((name, bytes)) = file else {
        return Err(ApiError::bad_request("choose the marked-up Word file"));
    };
    let authors = AuthorMap::parse(field(&form, "authors").lines().filter(|l| !l.trim().is_empty()))
        .map_err(|e| unprocessable(e.to_string()))?;
    let copy = in_process(web, &pid, v, |s, a| {
        let latest = policy::readable_latest(s, a)
            .ok_or_else(|| ApiError::not_found("no draft of this process is open to you yet"))?;
        let mut ids = vec![delegation.clone()];
        ids.extend(s.participants.iter().filter(|g| g.members.contains(&delegation)).map(|g| g.id.clone()));
        Ok((latest.id.clone(), latest.document.clone(), ids))
    });
    let (draft_id, latest, ids) = copy?;
    let plan = blocking(move || plan_markup(bytes, &authors, &ids, &latest))
        .await
        .map_err(|m| unprocessable(format!("{name}: {m}")))?;
    let actor = Actor::Delegation { delegation };
    let actions: Vec<Action> = plan.placed.iter().map(|p| p.action(&draft_id)).collect();
    // Every proposal is checked before the first is tabled: a file the rules
    // refuse (a deadline passed, a span no longer there) tables nothing.
    in_process(web, &pid, v, |s, _| {
        let refusals: Vec<String> = actions
            .iter()
            .zip(&plan.placed)
            .filter_map(|(action, p)| {
                confirm::check_in(web, s, &actor, Some(draft_id.clone()), action.clone())
                    .err()
                    .map(|e| format!("Word paragraph {} ({}): {e}", p.source_paragraph, p.edit_summary()))
            })
            .collect();
        if refusals.is_empty() {
            Ok(())
        } else {
            Err(unprocessable(format!("{name}: nothing was tabled. {}", refusals.join("; "))))
        }
    })?;
    // One file is one write of the quota: its changes are bounded by its size.
    web.writes.take(&actor.label())?;
    let mut tabled = Vec::new();
    let mut failed = String::new();
    for (action, p) in actions.into_iter().zip(&plan.placed) {
        match web.ws.execute(&pid, actor.clone(), action, None).await {
            Ok(o) => tabled.push((o.proposal.unwrap_or_default(), p)),
            Err(e) => {
                // Someone changed the process between the check and now: say
                // exactly what was tabled and where it stopped.
                failed = format!(
                    "Stopped at Word paragraph {}: {}. The proposals above were tabled; the rest were not.",
                    p.source_paragraph,
                    ApiError::from(e).message
                );
                break;
            }
        }
    }
    let result = in_process(web, &pid, v, |s, a| {
        let number_of = |id: &str| {
            s.latest()
                .and_then(|d| d.document.paragraphs.iter().find(|q| q.id == id))
                .and_then(|q| q.number.clone())
                .unwrap_or_else(|| id.to_string())
        };
        Ok(MarkupPage {
            frame: frame(v),
            nav: nav(s, a),
            file: name.clone(),
            tabled: tabled
                .iter()
                .map(|(id, p)| {
                    (
                        id.clone(),
                        compilation::proposal_title(id),
                        number_of(&p.paragraph),
                        p.edit_summary(),
                        s.name_of(&p.on_behalf_of),
                    )
                })
                .collect(),
            unplaced: plan.unplaced.clone(),
            failed: failed.clone(),
        })
    });
    result.map(|p| page(v, &p))
}
