//! The compilation page: the latest draft with every live proposal under its
//! paragraph, who tabled, supports and opposes it, and its standalone export.

use super::*;

use accord_core::negotiation::ProposalState;

/// A proposal as the compilation shows it.
pub struct PropView {
    id: String,
    /// Its name for readers: "proposal 7".
    label: String,
    author: String,
    tabled_by: String,
    what: String,
    rationale: String,
    supporters: String,
    opponents: String,
    /// The viewer's own stance on it, in words ("Norway supports it; the
    /// Nordic group opposes it"), empty when it has none.
    stance: String,
    /// The stances the viewer may take back: (in whose name, that name,
    /// "support" or "opposition").
    stances: Vec<(String, String, &'static str)>,
    /// In the viewer's name or one of its groups' (no support or opposition).
    own: bool,
    /// The viewer may revise or withdraw it (tabled it, or speaks for the group).
    may_change: bool,
    /// Who may revise or withdraw it, in words.
    who_may_change: String,
    /// The delegation that last revised it (empty: as tabled).
    revised_by: String,
    revision: u64,
    /// The proposal's own wording, when it has one (what a revision changes).
    new_text: Option<String>,
    /// When it was tabled, in the process's time zone ("9 December 2026").
    tabled_on: String,
    /// Its fate, once decided or withdrawn (empty: live).
    fate: String,
}

/// A paragraph of the compilation.
pub struct CompParaView {
    id: String,
    number: String,
    html: String,
    status: &'static str,
    status_class: &'static str,
    proposals: Vec<PropView>,
    /// Accepted, set-aside and withdrawn proposals on it: shown folded.
    decided: Vec<PropView>,
    /// Its proposal form, refused: shown open, as typed.
    typed: Option<Typed>,
}

#[derive(Template)]
#[template(path = "compilation.html")]
pub(super) struct CompilationPage {
    frame: Frame,
    nav: Nav,
    title: String,
    label: String,
    notice: String,
    paragraphs: Vec<CompParaView>,
    can_table: bool,
    can_decide: bool,
    names: Vec<(String, String)>,
    next_label: String,
    /// The viewer reads the proposals (else: the paragraphs only).
    proposals_visible: bool,
    /// The co-facilitators have published the compilation.
    published: bool,
    /// What a reader who may not read the proposals is told.
    hidden_note: &'static str,
    /// Decided proposals whose paragraph is no longer in the text.
    orphans: Vec<PropView>,
    /// The sessions a decision may be recorded in: id, title.
    sessions: Vec<(String, String)>,
    /// The session decisions go to by default: the latest one that has
    /// begun (by its date), none before the first.
    current_session: String,
    kinds: [(&'static str, &'static str); 9],
    /// Why a proposal on no paragraph of the page was refused.
    refusal: String,
}

/// A proposal form as it was typed, and why it was refused.
#[derive(Default)]
pub struct Typed {
    /// The paragraph's id.
    pub paragraph: String,
    /// The kind of change chosen.
    pub kind: String,
    /// The words it concerns.
    pub find: String,
    /// The new text.
    pub text: String,
    /// In whose name.
    pub on_behalf_of: String,
    /// The rationale.
    pub rationale: String,
    /// The paragraph number a moved paragraph follows.
    pub after: String,
    /// The agreed language it rests on.
    pub citation: String,
    /// Why it was not tabled (empty: it was not refused).
    pub error: String,
    /// What the paragraph will read once the proposal is accepted, the change
    /// marked (HTML, escaped): the preview before tabling.
    pub preview: String,
}

/// Why the compilation is shown again with a proposal form as typed.
pub(super) enum Again {
    /// The proposal was refused.
    Refused(ApiError),
    /// The viewer asked for a preview (HTML of what the paragraph will read).
    Preview(String),
}

/// A proposal's name for readers: `p7` → "proposal 7" (another id as it is).
pub(super) fn proposal_name(id: &str) -> String {
    match id.strip_prefix('p') {
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => format!("proposal {n}"),
        _ => id.to_string(),
    }
}

/// [`proposal_name`] opening a sentence: "Proposal 7".
pub(super) fn proposal_title(id: &str) -> String {
    let name = proposal_name(id);
    let mut c = name.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// What tabling `action` proposes, shown before it is tabled: the paragraph
/// as it will read once accepted, the change marked (HTML, escaped).
pub(super) fn tabling_preview(s: &ProcessState, action: &Action) -> Result<String, ApiError> {
    let Action::TableProposal { draft, paragraph, edit, .. } = action else {
        return Err(ApiError::bad_request("not a proposal"));
    };
    let d = s.draft(draft).ok_or_else(|| ApiError::not_found("no such draft"))?;
    let k = d
        .document
        .paragraphs
        .iter()
        .position(|p| p.id == *paragraph)
        .ok_or_else(|| ApiError::not_found("no such paragraph"))?;
    let para = &d.document.paragraphs[k];
    let number = para.number.clone().unwrap_or_default();
    let number_of = |id: &str| {
        d.document.paragraphs.iter().find(|p| p.id == id).and_then(|p| p.number.clone()).unwrap_or_default()
    };
    let html = |p: &accord_core::Paragraph, changed: &[(u32, u32)]| {
        format!(
            "<p dir=\"auto\"><span class=\"num\">{}</span> {}</p>",
            esc(&p.number.clone().unwrap_or_default()),
            markup::paragraph_html_marked(p, changed)
        )
    };
    Ok(match edit {
        Edit::DeleteParagraph => {
            format!("<p>Paragraph {} is deleted:</p><del>{}</del>", esc(&number), html(para, &[]))
        }
        Edit::MoveParagraph { after } => format!(
            "<p>Paragraph {} moves {}.</p>",
            esc(&number),
            match after {
                Some(a) => format!("after paragraph {}", esc(&number_of(a))),
                None => "to the top of the text".to_string(),
            }
        ),
        Edit::AddParagraph { text } => {
            let mut doc = d.document.clone();
            let mut added = para.clone();
            added.text = text.clone();
            added.number = Some(String::new());
            doc.paragraphs.insert(k + 1, added);
            let doc = accord_core::canonical::read(&accord_core::canonical::write(&doc));
            let new = &doc.paragraphs[k + 1];
            let all = [(0, new.text.chars().count() as u32)];
            format!("<p>A new paragraph after paragraph {}:</p>{}", esc(&number), html(new, &all))
        }
        _ => {
            let span = edit.span().unwrap_or_default();
            let quote: String =
                para.text.chars().skip(span[0] as usize).take((span[1] - span[0]) as usize).collect();
            let text = accord_core::negotiation::apply_edit(&para.text, edit, &quote, "")
                .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.to_string()))?;
            let mut doc = d.document.clone();
            doc.paragraphs[k].text = text;
            // Brackets derive from the whole text, by the parser's own rules.
            let doc = accord_core::canonical::read(&accord_core::canonical::write(&doc));
            let new = doc.paragraphs.iter().find(|p| p.id == *paragraph).unwrap_or(&doc.paragraphs[k]);
            let changed = live::changed_spans(&para.text, &new.text);
            let taken_out = match edit {
                Edit::Replace { .. } | Edit::Delete { .. } if !quote.trim().is_empty() => {
                    format!("<p class=\"muted\">Taken out: <del>{}</del></p>", esc(&quote))
                }
                _ => String::new(),
            };
            format!("<p>Paragraph {} will read:</p>{}{taken_out}", esc(&number), html(new, &changed))
        }
    })
}

/// The kinds of change the proposal form offers: stable name, words.
pub(super) const KINDS: [(&str, &str); 9] = [
    ("replace", "Replace words"),
    ("insert", "Insert after words"),
    ("delete", "Delete words"),
    ("bracket", "Bracket words"),
    ("unbracket", "Remove the brackets around words, keep the text"),
    ("alternatives", "Offer alternatives to words"),
    ("add-paragraph", "Add a paragraph after this one"),
    ("move-paragraph", "Move this paragraph"),
    ("delete-paragraph", "Delete this paragraph"),
];

/// What a reader who may not read the proposals is told.
const PROPOSALS_HIDDEN: &str =
    "The proposals (who tabled what, and who supports or opposes it) are shown to \
     the participants of the process until the co-facilitators publish the compilation.";

pub(super) fn compilation_view(web: &WebState, v: &Viewer, pid: &str) -> Result<CompilationPage, ApiError> {
    let (slot, actor) = visible(web, pid, v)?;
    let s = slot.state.read().map_err(|_| ApiError::unavailable("lock"))?;
    let a = actor.as_ref();
    let latest = policy::readable_latest(&s, a)
        .ok_or_else(|| ApiError::not_found("no draft of this process is open to you yet"))?;
    let own = match a {
        Some(Actor::Delegation { delegation }) => Some(delegation.clone()),
        _ => None,
    };
    let names_of = |ids: &[String]| ids.iter().map(|i| s.name_of(i)).collect::<Vec<_>>().join(", ");
    // Whom the viewer speaks for: its delegation, then its groups.
    let mut names = Vec::new();
    if let Some(d) = &own {
        names.push((d.clone(), s.name_of(d)));
        for g in s.participants.iter().filter(|g| g.members.contains(d)) {
            names.push((g.id.clone(), g.name.clone()));
        }
    }
    let stance_of = |q: &accord_core::negotiation::Proposal| {
        let said: Vec<String> = names
            .iter()
            .filter_map(|(id, name)| {
                if q.supporters.contains(id) {
                    Some(format!("{name} supports it"))
                } else if q.opponents.contains(id) {
                    Some(format!("{name} opposes it"))
                } else {
                    None
                }
            })
            .collect();
        said.join("; ")
    };
    let stances_of = |q: &accord_core::negotiation::Proposal| -> Vec<(String, String, &'static str)> {
        names
            .iter()
            .filter_map(|(id, name)| {
                let what = if q.supporters.contains(id) {
                    "support"
                } else if q.opponents.contains(id) {
                    "opposition"
                } else {
                    return None;
                };
                Some((id.clone(), name.clone(), what))
            })
            .collect()
    };
    let proposals_visible = policy::may_read_proposals(&s, a);
    let view = |q: &accord_core::negotiation::Proposal| PropView {
        id: q.id.clone(),
        label: proposal_name(&q.id),
        stance: stance_of(q),
        stances: stances_of(q),
        author: s.name_of(&q.author),
        tabled_by: if q.tabled_by == q.author { String::new() } else { s.name_of(&q.tabled_by) },
        what: q.describe(),
        rationale: q.rationale.clone().unwrap_or_default(),
        supporters: names_of(&q.supporters),
        opponents: names_of(&q.opponents),
        own: own.as_deref().is_some_and(|d| policy::may_act_for(&s, d, &q.author)),
        may_change: own.as_deref().is_some_and(|d| policy::may_change_proposal(&s, d, q)),
        who_may_change: policy::who_may_change_proposal(&s, q),
        revised_by: q.revised_by.as_deref().map(|d| s.name_of(d)).unwrap_or_default(),
        revision: q.revision,
        new_text: match &q.edit {
            Edit::Replace { text, .. } | Edit::AddParagraph { text } => Some(text.clone()),
            Edit::Insert { text, .. } => Some(text.trim().to_string()),
            Edit::Alternatives { alternatives, .. } => Some(alternatives.join(" / ")),
            _ => None,
        },
        tabled_on: accord_core::negotiation::clock::local_date(q.tabled_at_ms, s.time_zone()),
        fate: history::fate(&s, a, q),
    };
    // Decided proposals stay on record under the paragraph they now stand on.
    let latest_id = s.latest().map(|d| d.id.clone()).unwrap_or_default();
    let corpus = web.ws.corpus();
    let links = markup::Links::through(corpus.as_deref());
    let mut decided: HashMap<&str, Vec<PropView>> = HashMap::new();
    let mut orphans = Vec::new();
    if proposals_visible {
        for q in s.proposals.iter().filter(|q| q.state != ProposalState::Live) {
            if !policy::may_read_proposal(&s, a, q) {
                continue;
            }
            match &q.current {
                Some([d, para]) if *d == latest_id => decided.entry(para.as_str()).or_default().push(view(q)),
                Some(_) => {}
                None => orphans.push(view(q)),
            }
        }
    }
    let paragraphs = s
        .compilation()
        .into_iter()
        .map(|mut c| {
            if !proposals_visible {
                c.proposals.clear();
            }
            let pv = para_view(c.paragraph, links);
            CompParaView {
                decided: decided.remove(c.paragraph.id.as_str()).unwrap_or_default(),
                typed: None,
                id: pv.id,
                number: pv.number,
                html: pv.html,
                status: pv.status,
                status_class: pv.status_class,
                proposals: c.proposals.iter().map(|e| view(e.proposal)).collect(),
            }
        })
        .collect();
    Ok(CompilationPage {
        frame: frame(v),
        nav: nav(&s, a),
        title: s.info.title.clone(),
        label: latest.label.clone(),
        notice: String::new(),
        paragraphs,
        can_table: own.is_some(),
        can_decide: policy::is_co_facilitator(&s, a),
        names,
        next_label: format!("Rev.{}", s.drafts.len()),
        proposals_visible,
        published: s.proposal_visibility == ProposalVisibility::Public,
        hidden_note: PROPOSALS_HIDDEN,
        orphans,
        sessions: s.sessions.iter().map(|x| (x.id.clone(), sessions::session_title(x))).collect(),
        current_session: {
            let now = accord_core::negotiation::clock::rfc3339_in(web.ws.now_ms(), s.time_zone());
            let today = now.get(..10).unwrap_or_default();
            s.sessions
                .iter()
                .filter(|x| x.date.as_str() <= today)
                .max_by(|a, b| a.date.cmp(&b.date))
                .map(|x| x.id.clone())
                .unwrap_or_default()
        },
        refusal: String::new(),
        kinds: KINDS,
    })
}

/// The compilation again, the proposal form open and filled as it was
/// typed: above it the refusal (the status is the refusal's), or the
/// preview the viewer asked for.
pub(super) fn proposal_again(
    web: &WebState,
    v: &Viewer,
    headers: &HeaderMap,
    pid: &str,
    form: &HashMap<String, String>,
    again: Again,
) -> Response {
    let keep = !wants_json(headers)
        && !matches!(&again, Again::Refused(e) if matches!(e.status, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS));
    let page_again = keep.then(|| compilation_view(web, v, pid).ok()).flatten();
    let (error, preview, status) = match &again {
        Again::Refused(e) => (e.message.clone(), String::new(), e.status),
        Again::Preview(html) => (String::new(), html.clone(), StatusCode::OK),
    };
    match page_again {
        Some(mut c) => {
            let typed = Typed {
                paragraph: field(form, "paragraph").to_string(),
                kind: field(form, "kind").to_string(),
                find: field(form, "find").to_string(),
                text: field(form, "text").to_string(),
                on_behalf_of: field(form, "on_behalf_of").to_string(),
                rationale: field(form, "rationale").to_string(),
                after: field(form, "after").to_string(),
                citation: field(form, "citation").to_string(),
                error: error.clone(),
                preview,
            };
            match c.paragraphs.iter_mut().find(|p| p.id == typed.paragraph) {
                Some(p) => p.typed = Some(typed),
                None => c.refusal = error,
            }
            let mut r = page(v, &c);
            *r.status_mut() = status;
            r
        }
        None => match again {
            Again::Refused(e) => error_page(v, headers, e, &format!("/p/{pid}/compilation")),
            Again::Preview(_) => error_page(
                v,
                headers,
                ApiError::bad_request("no preview here"),
                &format!("/p/{pid}/compilation"),
            ),
        },
    }
}

pub(super) async fn compilation_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
) -> Response {
    let v = web.viewer(&headers).await;
    match compilation_view(&web, &v, &pid) {
        Ok(p) => page(&v, &p),
        Err(e) => login_or_error(&v, &headers, e, &format!("/p/{pid}/compilation")),
    }
}

pub(super) async fn compilation_export(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
) -> Response {
    let v = web.viewer(&headers).await;
    match compilation_view(&web, &v, &pid) {
        Ok(c) => {
            let mut body = format!(
                "<h1>{}</h1><p class=\"muted\">Compilation text: {}</p>",
                esc(&c.title),
                esc(&c.label)
            );
            if !c.proposals_visible {
                body.push_str(&format!("<p>{}</p>", esc(PROPOSALS_HIDDEN)));
            }
            for p in &c.paragraphs {
                body.push_str(&format!(
                    "<section class=\"paragraph\"><p dir=\"auto\"><span class=\"num\">{}</span> {}</p>",
                    esc(&p.number),
                    p.html
                ));
                for q in &p.proposals {
                    body.push_str(&format!(
                        "<div class=\"proposal\"><p><strong>{}</strong> — {}: {}</p>{}{}</div>",
                        esc(&q.id),
                        esc(&q.author),
                        esc(&q.what),
                        if q.supporters.is_empty() {
                            String::new()
                        } else {
                            format!("<p>Supported by {}</p>", esc(&q.supporters))
                        },
                        if q.opponents.is_empty() {
                            String::new()
                        } else {
                            format!("<p>Opposed by {}</p>", esc(&q.opponents))
                        },
                    ));
                }
                body.push_str("</section>");
            }
            standalone(&c.title, &body)
        }
        Err(e) => error_page(&v, &headers, e, &format!("/p/{pid}")),
    }
}
