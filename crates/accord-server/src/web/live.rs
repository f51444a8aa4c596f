//! The live screen: one working paragraph followed as the co-facilitators
//! edit it, over server-sent events.
//!
//! The server renders what the screen shows — the paragraph with its brackets
//! and references marked and the words that just changed in `<mark>` — with
//! the same template as the page itself, and the browser only swaps it in.
//! (The browser used to diff the texts itself and then wrote a field the event
//! did not carry: every follower's paragraph read "undefined" four seconds
//! after an edit.)
//!
//! What changed is computed against the text this connection last showed;
//! a viewer that reconnects names the revision it had (`Last-Event-ID`) and
//! gets the change against that revision's text, kept in a small [`History`].

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;

use accord_core::negotiation::{policy, Actor, ProcessState, Publication};
use accord_core::tokens::tokenize;
use accord_core::Paragraph;

use super::markup::{paragraph_html_linked, Links};
use super::{frame, in_process, login_or_error, nav, page, visible, Frame, Nav, Web, WebState};
use crate::error::ApiError;

/// Revisions of one paragraph kept for reconnecting viewers.
const KEPT_REVISIONS: usize = 8;
/// Paragraphs with a kept history; past this the history starts again (a
/// reconnecting viewer then gets the text without highlight, nothing worse).
const KEPT_PARAGRAPHS: usize = 4096;

/// A paragraph's kept texts: (revision, text), oldest first.
type Kept = VecDeque<(u64, Arc<str>)>;

/// The texts live viewers were last shown, by (process, paragraph), newest
/// last: bounded in both directions.
#[derive(Default)]
pub struct History {
    texts: Mutex<HashMap<(String, String), Kept>>,
}

impl History {
    /// Notes that `text` is the paragraph's text at `revision`.
    fn remember(&self, process: &str, para: &str, revision: u64, text: &str) {
        let Ok(mut map) = self.texts.lock() else { return };
        if map.len() >= KEPT_PARAGRAPHS && !map.contains_key(&(process.to_string(), para.to_string())) {
            map.clear();
        }
        let kept = map.entry((process.to_string(), para.to_string())).or_default();
        if kept.iter().any(|(r, _)| *r == revision) {
            return;
        }
        if kept.len() >= KEPT_REVISIONS {
            kept.pop_front();
        }
        kept.push_back((revision, text.into()));
    }

    /// The paragraph's text at `revision`, if it is still kept.
    fn text_at(&self, process: &str, para: &str, revision: u64) -> Option<Arc<str>> {
        let map = self.texts.lock().ok()?;
        let kept = map.get(&(process.to_string(), para.to_string()))?;
        kept.iter().find(|(r, _)| *r == revision).map(|(_, t)| t.clone())
    }
}

/// The character spans of `new` that are not in `old`, word by word: what
/// the live screen highlights.
pub fn changed_spans(old: &str, new: &str) -> Vec<(u32, u32)> {
    let (ot, nt) = (tokenize(old), tokenize(new));
    let ow: Vec<&str> = ot.iter().map(|t| t.text(old)).collect();
    let nw: Vec<&str> = nt.iter().map(|t| t.text(new)).collect();
    similar::capture_diff_slices(similar::Algorithm::Myers, &ow, &nw)
        .into_iter()
        .filter_map(|op| match op {
            similar::DiffOp::Insert { new_index, new_len, .. }
            | similar::DiffOp::Replace { new_index, new_len, .. } => {
                Some((nt[new_index].start, nt[new_index + new_len - 1].end))
            }
            similar::DiffOp::Equal { .. } | similar::DiffOp::Delete { .. } => None,
        })
        .collect()
}

/// The paragraph as the screen shows it: the fragment the page embeds and
/// each live event carries.
#[derive(Template)]
#[template(path = "live_text.html")]
pub struct LiveText {
    /// The paragraph's HTML, escaped, with changes marked.
    pub html: String,
}

impl LiveText {
    /// The fragment for `p`, marking what changed since `before`.
    fn new(p: &Paragraph, before: Option<&str>, links: Links<'_>) -> LiveText {
        let changed = match before {
            Some(old) if old != p.text => changed_spans(old, &p.text),
            _ => Vec::new(),
        };
        LiveText { html: paragraph_html_linked(p, &changed, links) }
    }
}

#[derive(Template)]
#[template(path = "live.html")]
struct LivePage {
    frame: Frame,
    nav: Nav,
    para: String,
    number: String,
    /// The paragraph's HTML, as `live_text.html` (included) shows it.
    html: String,
    text: String,
    revision: u64,
    can_edit: bool,
}

/// The working paragraph as live viewers receive it, if `actor` may follow it.
fn live_paragraph(s: &ProcessState, actor: Option<&Actor>, para: &str) -> Result<(Paragraph, u64), ApiError> {
    if policy::readable_latest(s, actor).is_none() {
        return Err(ApiError::not_found("no draft of this process is open to you yet"));
    }
    // The room: delegations, co-facilitators, the secretariat. The working
    // text is not published, so observers and the public do not follow it.
    if policy::visible_from(s, actor).is_none_or(|f| f > Publication::Circulated) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the live screen is shown to the delegations of the process",
        ));
    }
    let p = s
        .working
        .paragraphs
        .iter()
        .find(|p| p.id == para)
        .ok_or_else(|| ApiError::not_found(format!("no paragraph `{para}` in the working text")))?;
    Ok((p.clone(), s.paragraph_revision(para)))
}

/// `GET /p/{process}/live/{paragraph}`: the live screen.
pub(super) async fn live_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, para)): Path<(String, String)>,
) -> Response {
    let v = web.viewer(&headers).await;
    let result = in_process(&web, &pid, &v, |s, a| {
        let (p, revision) = live_paragraph(s, a, &para)?;
        web.live.remember(&pid, &para, revision, &p.text);
        Ok(LivePage {
            frame: frame(&v),
            nav: nav(s, a),
            para: para.clone(),
            number: p.number.clone().unwrap_or_else(|| p.id.clone()),
            html: LiveText::new(&p, None, Links::through(web.ws.corpus().as_deref())).html,
            text: p.text.clone(),
            revision,
            can_edit: policy::is_co_facilitator(s, a),
        })
    });
    match result {
        Ok(p) => page(&v, &p),
        Err(e) => login_or_error(&v, &headers, e, &format!("/p/{pid}/live/{para}")),
    }
}

/// The event for the paragraph as it stands, marking what changed since
/// `shown` (the text this viewer has); `shown` becomes the new text. `None`
/// when nothing changed for this viewer.
fn live_event(
    web: &WebState,
    pid: &str,
    actor: Option<&Actor>,
    para: &str,
    shown: &mut Option<(u64, Arc<str>)>,
) -> Option<SseEvent> {
    let slot = web.ws.process(pid)?;
    let s = slot.state.read().ok()?;
    match live_paragraph(&s, actor, para) {
        Ok((p, revision)) => {
            if shown.as_ref().is_some_and(|(r, _)| *r == revision) {
                return None;
            }
            web.live.remember(pid, para, revision, &p.text);
            let corpus = web.ws.corpus();
            let links = Links::through(corpus.as_deref());
            let html = LiveText::new(&p, shown.as_ref().map(|(_, t)| &**t), links).render().ok()?;
            *shown = Some((revision, p.text.as_str().into()));
            Some(SseEvent::default().event("paragraph").id(revision.to_string()).data(html))
        }
        Err(_) => Some(SseEvent::default().event("gone").data("{}")),
    }
}

/// `GET /p/{process}/live/{paragraph}/events`: the paragraph's changes as
/// server-sent events of rendered HTML.
pub(super) async fn live_events(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((pid, para)): Path<(String, String)>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, Response> {
    let v = web.viewer(&headers).await;
    let (slot, actor) = visible(&web, &pid, &v).map_err(|e| e.into_response())?;
    {
        let s = slot.state.read().map_err(|_| ApiError::unavailable("lock").into_response())?;
        live_paragraph(&s, actor.as_ref(), &para).map_err(|e| e.into_response())?;
    }
    // Subscribe before reading the current state, so no change falls between.
    let changes = BroadcastStream::new(web.ws.changes.subscribe());
    // A reconnecting viewer names the revision it has: it first gets the
    // paragraph as it stands, marked against that revision's text.
    let had = headers
        .get("last-event-id")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.trim().parse::<u64>().ok())
        .and_then(|r| web.live.text_at(&pid, &para, r).map(|t| (r, t)));
    let mut shown = had;
    let first = live_event(&web, &pid, actor.as_ref(), &para, &mut shown);
    let shown = Arc::new(Mutex::new(shown));
    let updates = changes.filter_map(move |c| {
        let relevant = match &c {
            Ok(c) => c.process == pid && c.paragraph.as_deref().is_none_or(|p| p == para),
            // Missed messages: send the current state.
            Err(_) => true,
        };
        let event = match shown.lock() {
            Ok(mut shown) if relevant => live_event(&web, &pid, actor.as_ref(), &para, &mut shown),
            _ => None,
        };
        async move { event.map(Ok) }
    });
    let stream = stream::iter(first.map(Ok)).chain(updates);
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_words_are_the_new_ones() {
        let old = "We stress the need to protect data.";
        let new = "We stress the urgent need to protect [sensitive] data.";
        let spans = changed_spans(old, new);
        let chars: Vec<char> = new.chars().collect();
        let words: Vec<String> =
            spans.iter().map(|&(a, b)| chars[a as usize..b as usize].iter().collect()).collect();
        assert_eq!(words, ["urgent", "[sensitive]"]);
        assert!(changed_spans(new, new).is_empty());
        assert!(changed_spans(new, "We stress").is_empty(), "deletions have nothing to highlight");
    }

    #[test]
    fn history_is_bounded() {
        let h = History::default();
        for r in 0..20u64 {
            h.remember("p", "1", r, &format!("text {r}"));
        }
        assert!(h.text_at("p", "1", 3).is_none(), "old revisions are dropped");
        assert_eq!(h.text_at("p", "1", 19).as_deref(), Some("text 19"));
        for i in 0..KEPT_PARAGRAPHS + 10 {
            h.remember("p", &i.to_string(), 1, "t");
        }
        assert!(h.texts.lock().unwrap().len() <= KEPT_PARAGRAPHS);
    }
}
