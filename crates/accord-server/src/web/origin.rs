//! "Where does this come from?" for one paragraph of a draft: the paragraph
//! as each earlier draft of the process had it (followed back through each
//! draft's lineage, the words that changed marked), the proposals tabled on
//! it with their fate, and the texts it cites (resolutions and documents
//! linked to their source). Only the drafts and proposals the reader may
//! read are shown.

use super::*;

/// One draft's version of the paragraph.
pub struct OriginStep {
    /// "Rev.1" and its date line.
    draft: String,
    /// Where the draft is read, with the paragraph's anchor.
    href: String,
    /// The paragraph's number in it.
    number: String,
    /// Its text as HTML, the words changed since the draft before marked.
    html: String,
    /// "changed", "unchanged", "renumbered from 25", "first appears".
    what: String,
}

/// A proposal tabled on one of the paragraph's versions.
pub struct OriginProposal {
    /// Its id (for the link).
    id: String,
    /// "Proposal 8".
    name: String,
    /// "Valdoria, on paragraph 27 of Rev.1: replace …".
    what: String,
    /// Its fate, or "Live".
    fate: String,
}

#[derive(Template)]
#[template(path = "origin.html")]
pub(super) struct OriginPage {
    frame: Frame,
    nav: Nav,
    number: String,
    label: String,
    steps: Vec<OriginStep>,
    proposals: Vec<OriginProposal>,
    proposals_visible: bool,
    /// The texts it cites, with where each leads and what the check found.
    cites: Vec<OriginCite>,
    /// Passages of adopted texts it reuses (with a corpus).
    sources: Vec<OriginSource>,
    /// The server has a corpus of adopted texts to check against.
    has_corpus: bool,
}

/// A reference in the paragraph.
pub struct OriginCite {
    /// As written.
    text: String,
    /// Where it leads, when known.
    href: Option<String>,
    /// What the check against the corpus found, in words (empty: no check).
    check: String,
    /// `verified`, `mismatch`, `not-in-corpus`.
    class: &'static str,
    /// For a mismatch, the cited passage's text, to read beside the quotation.
    cited_text: String,
}

/// A passage of an adopted text the paragraph reuses.
pub struct OriginSource {
    /// "paragraph 2 of A/RES/70/1".
    name: String,
    href: String,
    /// "verbatim, 38 words" or "82 % alike, 31 words".
    how: String,
}

/// The origin page of paragraph `para` of draft `did`, as `v` may read it.
pub(super) fn origin_view(
    web: &WebState,
    v: &Viewer,
    pid: &str,
    did: &str,
    para: &str,
) -> Result<OriginPage, ApiError> {
    let (slot, actor) = visible(web, pid, v)?;
    let s = slot.state.read().map_err(|_| ApiError::unavailable("lock"))?;
    let a = actor.as_ref();
    let corpus = web.ws.corpus();
    let links = markup::Links::through(corpus.as_deref());
    let draft =
        policy::readable_draft(&s, a, did).ok_or_else(|| ApiError::not_found(format!("no draft `{did}`")))?;
    let here = draft
        .document
        .paragraphs
        .iter()
        .find(|p| p.id == para)
        .ok_or_else(|| ApiError::not_found(format!("no paragraph `{para}` in {}", draft.label)))?;
    // Back through the series: (draft, paragraph) newest first.
    let at = s.drafts.iter().position(|d| d.id == draft.id).unwrap_or(0);
    let mut chain: Vec<(usize, &accord_core::Paragraph)> = vec![(at, here)];
    let mut k = at;
    while k > 0 {
        let id = &chain.last().map(|c| c.1.id.clone()).unwrap_or_default();
        let Some(old_id) = s.drafts[k]
            .lineage
            .iter()
            .find(|(_, to)| to.as_deref() == Some(id.as_str()))
            .map(|(from, _)| from)
        else {
            break;
        };
        let Some(old) = s.drafts[k - 1].document.paragraphs.iter().find(|p| &p.id == old_id) else { break };
        chain.push((k - 1, old));
        k -= 1;
    }
    let mut steps = Vec::new();
    for (i, (d, p)) in chain.iter().enumerate() {
        let dv = &s.drafts[*d];
        if policy::readable_draft(&s, a, &dv.id).is_none() {
            continue;
        }
        let before = chain.get(i + 1).map(|(_, q)| *q);
        let number = p.number.clone().unwrap_or_default();
        let (changed, what) = match before {
            None => (Vec::new(), "first appears".to_string()),
            Some(q) if q.text == p.text => {
                let was = q.number.clone().unwrap_or_default();
                (
                    Vec::new(),
                    if was == number { "unchanged".into() } else { format!("renumbered from {was}") },
                )
            }
            Some(q) => (live::changed_spans(&q.text, &p.text), "changed".to_string()),
        };
        let date = dv.document.date.as_deref().map(str::trim).filter(|x| !x.is_empty());
        steps.push(OriginStep {
            draft: date.map_or_else(|| dv.label.clone(), |x| format!("{} · {x}", dv.label)),
            href: format!("/p/{pid}/drafts/{}#para-{}", dv.id, p.id),
            number,
            html: markup::paragraph_html_linked(p, &changed, links),
            what,
        });
    }
    let proposals_visible = policy::may_read_proposals(&s, a);
    let mut proposals = Vec::new();
    if proposals_visible {
        for q in &s.proposals {
            let on = chain.iter().find(|(d, p)| s.drafts[*d].id == q.draft && p.id == q.paragraph);
            let Some((d, p)) = on else { continue };
            if !policy::may_read_proposal(&s, a, q) {
                continue;
            }
            let fate = history::fate(&s, a, q);
            proposals.push(OriginProposal {
                id: q.id.clone(),
                name: compilation::proposal_title(&q.id),
                what: format!(
                    "{}, on paragraph {} of {}: {}",
                    s.name_of(&q.author),
                    p.number.clone().unwrap_or_default(),
                    s.drafts[*d].label,
                    q.describe()
                ),
                fate: if fate.is_empty() { "Live: not yet decided".into() } else { fate },
            });
        }
    }
    // The check of each citation, and the passages reused, against the corpus.
    let traced = corpus.as_deref().map(|index| {
        let one = accord_core::Draft { paragraphs: vec![here.clone()], ..Default::default() };
        accord_core::trace::trace(&one, index)
    });
    let cites = here
        .references
        .iter()
        .map(|r| {
            let check = traced.as_ref().and_then(|t| t.citations.iter().find(|c| c.text == r.text));
            let (check_words, class, cited_text) = match check {
                Some(c) => cite_check(c),
                None => (String::new(), "", String::new()),
            };
            OriginCite { text: r.text.clone(), href: links.href(r), check: check_words, class, cited_text }
        })
        .collect();
    let sources = traced
        .iter()
        .flat_map(|t| t.paragraphs.iter().flat_map(|p| &p.sources))
        .map(|src| OriginSource {
            name: format!("paragraph {} of {}", src.paragraph, src.document),
            href: markup::corpus_href(&src.document, Some(&src.paragraph)),
            how: if src.similarity >= 0.999 {
                format!("verbatim, {} words", src.words)
            } else {
                format!("{:.0} % alike, {} words", src.similarity * 100.0, src.words)
            },
        })
        .collect();
    Ok(OriginPage {
        frame: frame(v),
        nav: nav(&s, a),
        number: here.number.clone().unwrap_or_default(),
        label: draft.label.clone(),
        steps,
        proposals,
        proposals_visible,
        cites,
        sources,
        has_corpus: corpus.is_some(),
    })
}

/// A citation's check in words, its class, and the cited text of a mismatch.
fn cite_check(c: &accord_core::trace::Citation) -> (String, &'static str, String) {
    use accord_core::trace::CitationStatus;
    let target = c.target.as_deref().unwrap_or("?");
    let doc = c.document.as_deref().unwrap_or("the cited text");
    match c.status {
        CitationStatus::Verified => {
            (format!("Checked: paragraph {target} of {doc} holds this text."), "verified", String::new())
        }
        CitationStatus::Mismatch => {
            let found = c.found_in.as_deref().map(|f| format!(" It comes from {f}.")).unwrap_or_default();
            (
                format!("Does not match: paragraph {target} of {doc} reads otherwise.{found}"),
                "mismatch",
                c.cited_text.clone().unwrap_or_default(),
            )
        }
        CitationStatus::NotInCorpus => {
            let holds = c
                .corpus_holds
                .as_deref()
                .map(|h| format!(" (the corpus's copy holds {h})"))
                .unwrap_or_default();
            (
                format!("Not in the corpus: paragraph {target} of {doc} could not be checked{holds}."),
                "not-in-corpus",
                String::new(),
            )
        }
    }
}

/// `GET /p/{process}/drafts/{draft}/origin/{paragraph}`.
pub(super) async fn origin_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, did, para)): Path<(String, String, String)>,
) -> Response {
    let v = web.viewer(&headers).await;
    match origin_view(&web, &v, &pid, &did, &para) {
        Ok(p) => page(&v, &p),
        Err(e) => login_or_error(&v, &headers, e, &format!("/p/{pid}/drafts/{did}/origin/{para}")),
    }
}
