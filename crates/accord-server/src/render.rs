//! HTML renderings of what the core computes, as askama templates (which
//! escape): a comparison of two drafts — one view built from the core's
//! [`Comparison`], shown as the standalone page (`accord compare -f html`,
//! the export link) and as the fragment the web page embeds — and the
//! agreed-language trace (`accord trace -f html`). The core writes no HTML.

use std::sync::OnceLock;

use askama::Template;

use std::collections::BTreeMap;

use accord_core::compare::{Class, Comparison, Evidence, Fate, Link};
use accord_core::render::{LinkedTexts, SECTIONS};
use accord_core::Draft;

use crate::web::markup::esc;

/// The comparison's stylesheet, as the standalone page carries it.
pub const COMPARISON_CSS: &str = include_str!("../static/comparison.css");

/// What a comparison compares, as its reader is told: each draft's label
/// and date ("Zero draft, 1 May 2026").
#[derive(Debug, Clone, Default)]
pub struct Sides {
    /// The old draft, in words.
    pub old: String,
    /// The new draft, in words.
    pub new: String,
}

impl Sides {
    /// The sides as the drafts name themselves (their dates), for a
    /// comparison of two files that have no label in a process.
    pub fn of(old: &Draft, new: &Draft) -> Sides {
        let side = |what: &str, d: &Draft| match d.date.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            Some(date) => format!("{what}, {date}"),
            None => what.to_string(),
        };
        Sides { old: side("Old draft", old), new: side("New draft", new) }
    }
}

/// What caused the changes of a comparison, by the old draft's paragraph id:
/// (what, link) — "proposal 7 (Valdoria), accepted in the informal session
/// of 9 December", to the proposal's history. Empty for two files compared
/// outside a process.
pub type Causes = BTreeMap<String, Vec<(String, String)>>;

/// Links below this confidence rest more on structure than on words: the
/// page asks a person to confirm them.
const CONFIRM_BELOW: f64 = 0.8;

/// A piece of evidence as a reader says it.
fn evidence_words(e: Evidence) -> &'static str {
    match e {
        Evidence::IdenticalText => "the same text",
        Evidence::SameNumber => "the same number",
        Evidence::SameHeading => "the same heading",
        Evidence::SameSlot => "the same place between matched paragraphs",
        Evidence::SharedWords => "shared words",
        Evidence::BesideLinked => "next to a matched paragraph",
        Evidence::WithinParagraph => "inside a matched paragraph",
        Evidence::Consolidated => "options consolidated",
        Evidence::HeadingMoved => "moved under another heading",
    }
}

/// Paragraph `id`'s number in `d` ("12"), or the id when it has none.
fn number_in(d: &Draft, id: &str) -> String {
    d.paragraphs.iter().find(|p| p.id == id).and_then(|p| p.number.clone()).unwrap_or_else(|| id.to_string())
}

/// A status as a reader says it: "agreed ad ref".
fn status_words(s: accord_core::Status) -> String {
    s.tag().to_lowercase()
}

/// A status change: old number, new number, from, to, what caused it.
type StatusLine = (String, String, String, String, Vec<(String, String)>);

/// One paragraph entry of a section.
pub struct EntryView {
    class: &'static str,
    anchor: String,
    old_links: Vec<(String, String)>,
    new_links: Vec<(String, String)>,
    relation: &'static str,
    targets: Vec<String>,
    reasons: String,
    /// The proposals and decisions that caused it: (what, link).
    causes: Vec<(String, String)>,
    /// For a link a person should confirm: how sure it is and on what, in words.
    uncertain: String,
    old_html: String,
    new_html: String,
}

/// A section of the comparison ("Substantive changes").
pub struct SectionView {
    heading: &'static str,
    entries: Vec<EntryView>,
}

/// What the comparison templates show.
pub struct ComparisonView {
    title: String,
    /// What is compared: the old and the new draft, in words.
    sides: Sides,
    old_paragraphs: usize,
    new_paragraphs: usize,
    substantive: usize,
    marginal: usize,
    brackets_resolved: usize,
    brackets_open: usize,
    statuses_changed: usize,
    relations: Vec<(String, usize)>,
    groups: Vec<SectionView>,
    /// (paragraph, bracket text, fate)
    brackets: Vec<(String, String, String)>,
    /// (field, old, new)
    front: Vec<(String, String, String)>,
    /// (old paragraph, new paragraph, from, to)
    statuses: Vec<StatusLine>,
}

#[derive(Template)]
#[template(path = "comparison/page.html")]
struct PageTemplate<'a> {
    css: &'a str,
    body: &'a ComparisonView,
}

#[derive(Template)]
#[template(path = "comparison/body.html")]
struct BodyTemplate<'a> {
    body: &'a ComparisonView,
}

/// Marks spans of `text` (character offsets) with `open`/`close`, escaping
/// the text.
fn mark_spans(text: &str, spans: &[[u32; 2]], open: &str, close: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + spans.len() * 16);
    let mut pos = 0usize;
    let mut sorted: Vec<[u32; 2]> = spans.iter().copied().filter(|s| s[1] > s[0]).collect();
    sorted.sort_unstable();
    for [s, e] in sorted {
        let (s, e) = (s as usize, (e as usize).min(chars.len()));
        if s < pos || s >= chars.len() {
            continue;
        }
        out.push_str(&esc(&chars[pos..s].iter().collect::<String>()));
        out.push_str(open);
        out.push_str(&esc(&chars[s..e].iter().collect::<String>()));
        out.push_str(close);
        pos = e;
    }
    out.push_str(&esc(&chars[pos.min(chars.len())..].iter().collect::<String>()));
    out
}

/// A link target's id for a paragraph of one side.
fn anchor(side: &str, id: &str) -> String {
    format!("{side}-{}", id.replace(|c: char| !c.is_alphanumeric(), "_"))
}

fn entry(l: &Link, texts: &LinkedTexts<'_>, old: &Draft, new: &Draft, causes: &Causes) -> EntryView {
    let (ot, nt) = texts.texts(l);
    let del: Vec<[u32; 2]> = l.changes.iter().map(|ch| ch.old_span).collect();
    let ins: Vec<[u32; 2]> = l.changes.iter().map(|ch| ch.new_span).collect();
    let first = l
        .new
        .first()
        .map(|i| anchor("new", i))
        .or_else(|| l.old.first().map(|i| anchor("old", i)))
        .unwrap_or_default();
    // Every id of the entry is a link target, so moved and split paragraphs link both ways.
    let targets = l
        .old
        .iter()
        .map(|i| anchor("old", i))
        .chain(l.new.iter().map(|i| anchor("new", i)))
        .filter(|a| *a != first)
        .collect();
    let links = |side: &str, d: &Draft, ids: &[String]| {
        ids.iter().map(|id| (anchor(side, id), number_in(d, id))).collect()
    };
    let mut caused: Vec<(String, String)> = Vec::new();
    for c in l.old.iter().filter_map(|id| causes.get(id)).flatten() {
        if !caused.contains(c) {
            caused.push(c.clone());
        }
    }
    let uncertain = match l.confidence {
        Some(c) if c < CONFIRM_BELOW => {
            let on: Vec<&str> = l.evidence.iter().map(evidence_words).collect();
            format!(
                "An uncertain link ({:.0} % sure, on {}): check that these are the same paragraph.",
                c * 100.0,
                if on.is_empty() {
                    "little".to_string()
                } else {
                    accord_core::words::and_list(&on.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                }
            )
        }
        _ => String::new(),
    };
    EntryView {
        class: match (l.class == Some(Class::Substantive), uncertain.is_empty()) {
            (true, true) => "pair substantive",
            (true, false) => "pair substantive uncertain",
            (false, true) => "pair",
            (false, false) => "pair uncertain",
        },
        causes: caused,
        uncertain,
        anchor: first,
        old_links: links("old", old, &l.old),
        new_links: links("new", new, &l.new),
        relation: l.relation.as_str(),
        targets,
        reasons: l.reasons.join("; "),
        old_html: mark_spans(&ot, &del, "<del>", "</del>"),
        new_html: mark_spans(&nt, &ins, "<ins>", "</ins>"),
    }
}

impl ComparisonView {
    /// The view of comparison `c` of `old` with `new`, the sides named as
    /// `sides` says (a process's labels and dates), each change linked to
    /// what `causes` says caused it.
    pub fn between(
        c: &Comparison,
        old: &Draft,
        new: &Draft,
        sides: Sides,
        causes: &Causes,
    ) -> ComparisonView {
        let texts = LinkedTexts::new(old, new);
        let s = &c.summary;
        let groups = SECTIONS
            .iter()
            .map(|(heading, pick)| SectionView {
                heading,
                entries: c
                    .paragraphs
                    .iter()
                    .filter(|l| pick(l))
                    .map(|l| entry(l, &texts, old, new, causes))
                    .collect(),
            })
            .filter(|g| !g.entries.is_empty())
            .collect();
        // Brackets in the new draft's order (those whose paragraph is gone
        // after, in the old draft's), each paragraph by its number and each
        // fate in words.
        let position = |d: &Draft, id: &str| d.paragraphs.iter().position(|p| p.id == id);
        let mut ordered: Vec<(usize, usize, usize, &accord_core::compare::BracketFate)> = c
            .brackets
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let in_new = b.new_paragraph.as_deref().and_then(|id| position(new, id));
                let in_old = b.old_paragraph.as_deref().and_then(|id| position(old, id));
                match in_new {
                    Some(n) => (0, n, i, b),
                    None => (1, in_old.unwrap_or(usize::MAX), i, b),
                }
            })
            .collect();
        ordered.sort_by_key(|(gone, at, i, _)| (*gone, *at, *i));
        let brackets = ordered
            .into_iter()
            .map(|(_, _, _, b)| {
                let fate = match b.fate {
                    Fate::Open => "still open".to_string(),
                    Fate::Kept => "brackets removed, words kept".to_string(),
                    Fate::Deleted => "deleted with its words".to_string(),
                    Fate::Chosen => format!("alternative chosen: {}", b.chosen.as_deref().unwrap_or("")),
                    Fate::Reworded => format!("reworded: {}", b.reworded.as_deref().unwrap_or("")),
                    Fate::New => "new in this draft".to_string(),
                };
                let at = match (&b.new_paragraph, &b.old_paragraph) {
                    (Some(n), _) => number_in(new, n),
                    (None, Some(o)) => format!("{} (old; paragraph deleted)", number_in(old, o)),
                    (None, None) => String::new(),
                };
                (at, b.text.clone(), fate)
            })
            .collect();
        let none = |v: &Option<String>| v.as_deref().unwrap_or("(none)").to_string();
        ComparisonView {
            title: new.title.as_deref().or(old.title.as_deref()).unwrap_or("Draft").to_string(),
            sides,
            old_paragraphs: s.old_paragraphs,
            new_paragraphs: s.new_paragraphs,
            substantive: s.classes.get("substantive").copied().unwrap_or(0),
            marginal: s.classes.get("marginal").copied().unwrap_or(0),
            brackets_resolved: s.brackets_resolved,
            brackets_open: s.brackets_open,
            statuses_changed: s.statuses_changed,
            relations: s.relations.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            groups,
            brackets,
            front: c.front.iter().map(|f| (f.field.to_string(), none(&f.old), none(&f.new))).collect(),
            statuses: {
                let mut st: Vec<&accord_core::compare::StatusChange> = c.statuses.iter().collect();
                st.sort_by_key(|x| position(new, &x.new).unwrap_or(usize::MAX));
                st.into_iter()
                    .map(|x| {
                        (
                            number_in(old, &x.old),
                            number_in(new, &x.new),
                            status_words(x.from),
                            status_words(x.to),
                            causes.get(&x.old).cloned().unwrap_or_default(),
                        )
                    })
                    .collect()
            },
        }
    }
}

/// The comparison as one self-contained HTML page: summary on top,
/// substantive changes first, old and new side by side with deletions and
/// insertions marked, links between moved and split paragraphs, readable in print.
pub fn comparison_html(c: &Comparison, old: &Draft, new: &Draft) -> String {
    comparison_html_between(c, old, new, Sides::of(old, new), &Causes::new())
}

/// [`comparison_html`], the sides named as `sides` says, each change linked
/// to what caused it.
pub fn comparison_html_between(
    c: &Comparison,
    old: &Draft,
    new: &Draft,
    sides: Sides,
    causes: &Causes,
) -> String {
    let view = ComparisonView::between(c, old, new, sides, causes);
    PageTemplate { css: COMPARISON_CSS, body: &view }.render().unwrap_or_default() + "\n"
}

/// The comparison's body and its styles scoped to `.comparison`, for a page
/// that embeds it in an element of that class.
pub fn comparison_fragment(c: &Comparison, old: &Draft, new: &Draft) -> String {
    comparison_fragment_between(c, old, new, Sides::of(old, new), &Causes::new())
}

/// [`comparison_fragment`], the sides named as `sides` says, each change
/// linked to what caused it.
pub fn comparison_fragment_between(
    c: &Comparison,
    old: &Draft,
    new: &Draft,
    sides: Sides,
    causes: &Causes,
) -> String {
    static SCOPED: OnceLock<String> = OnceLock::new();
    let css = SCOPED.get_or_init(|| scope_css(COMPARISON_CSS, ".comparison"));
    let view = ComparisonView::between(c, old, new, sides, causes);
    format!("<style>{css}</style>{}", BodyTemplate { body: &view }.render().unwrap_or_default())
}

/// Prefixes every selector of a stylesheet with `scope`, so a standalone
/// page's rules apply only inside the element that embeds it (`body` becomes
/// the scope itself). Handles flat rules and `@media` blocks.
pub fn scope_css(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let selectors = rest[..open].trim();
        if selectors.starts_with('@') {
            // An at-rule: keep it, scope the rules inside.
            out.push_str(selectors);
            out.push('{');
            rest = &rest[open + 1..];
            continue;
        }
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let scoped: Vec<String> = selectors
            .split(',')
            .map(|sel| {
                let sel = sel.trim();
                if sel == "body" || sel == "html" {
                    scope.to_string()
                } else {
                    format!("{scope} {sel}")
                }
            })
            .collect();
        out.push_str(&scoped.join(","));
        out.push_str(&rest[open..(close + 1).min(rest.len())]);
        rest = &rest[(close + 1).min(rest.len())..];
        // Closing braces of at-rules.
        while let Some(r) = rest.trim_start().strip_prefix('}') {
            out.push('}');
            rest = r;
        }
    }
    out
}

/// A source of a paragraph: (document, paragraph, words, similarity, passage).
type SourceView = (String, String, usize, String, String);

#[derive(Template)]
#[template(path = "trace.html")]
struct TracePage {
    /// (paragraph, its sources)
    paragraphs: Vec<(String, Vec<SourceView>)>,
    /// (paragraph, citation, check)
    citations: Vec<(String, String, &'static str)>,
}

/// The agreed-language trace of `draft` as a standalone page: each paragraph's
/// sources with the reused passage marked, then the citation checks, each
/// named by `check`.
pub fn trace_html(
    t: &accord_core::trace::Trace,
    draft: &Draft,
    check: impl Fn(accord_core::trace::CitationStatus) -> &'static str,
) -> String {
    let passage = |text: &str, [a, b]: [u32; 2]| -> String {
        text.chars().skip(a as usize).take(b.saturating_sub(a) as usize).collect()
    };
    let paragraphs = t
        .paragraphs
        .iter()
        .map(|p| {
            let text = draft.paragraphs.iter().find(|q| q.id == p.id).map_or("", |q| q.text.as_str());
            let sources = p
                .sources
                .iter()
                .map(|s| {
                    let similarity = format!("{:.2}", s.similarity);
                    (
                        s.document.clone(),
                        s.paragraph.clone(),
                        s.words,
                        similarity,
                        passage(text, s.draft_span),
                    )
                })
                .collect();
            (p.id.clone(), sources)
        })
        .collect();
    let citations =
        t.citations.iter().map(|c| (c.paragraph.clone(), c.text.clone(), check(c.status))).collect();
    TracePage { paragraphs, citations }.render().unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_styles_are_scoped() {
        let css = "body{font:x}h1{a:b}.pair h3,del{c:d}@media (max-width:40rem){.pair{e:f}}a{g:h}";
        assert_eq!(
            scope_css(css, ".cmp"),
            ".cmp{font:x}.cmp h1{a:b}.cmp .pair h3,.cmp del{c:d}@media (max-width:40rem){.cmp .pair{e:f}}.cmp a{g:h}"
        );
    }

    #[test]
    fn the_page_marks_changes_and_escapes_the_drafts() {
        let old = accord_core::parse("Draft <b>\n\n1. States should act.\n\n2. We note [x].\n");
        let new = accord_core::parse("Draft <b>\n\n1. States must act <now>.\n\n2. We note [x].\n");
        let c = accord_core::compare(&old, &new);
        let html = comparison_html(&c, &old, &new);
        assert!(html.starts_with("<!doctype html>"), "{html}");
        assert!(html.contains("<del>should</del>") && html.contains("<ins>must</ins>"), "{html}");
        assert!(html.contains("&lt;now&gt;") && !html.contains("<now>"), "{html}");
        assert!(html.contains("@media print"));
        let fragment = comparison_fragment(&c, &old, &new);
        assert!(fragment.starts_with("<style>.comparison{") && !fragment.contains("<body>"), "{fragment}");
    }

    #[test]
    fn the_comparison_says_what_it_compares_and_lists_brackets_in_the_new_order_in_words() {
        let old = accord_core::parse("Draft\n\n1. We act [now].\n\n2. We note [x].\n");
        let new = accord_core::parse("Draft\n\n1. We note x.\n\n2. We act [now].\n\n3. We add [z].\n");
        let c = accord_core::compare(&old, &new);
        let sides = Sides { old: "Zero draft, 1 May 2026".into(), new: "Rev.1, 9 May 2026".into() };
        let html = comparison_html_between(&c, &old, &new, sides, &Causes::new());
        assert!(
            html.contains("Comparing <strong class=\"side-old\">Zero draft, 1 May 2026</strong>")
                && html.contains("<strong class=\"side-new\">Rev.1, 9 May 2026</strong>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"side\">Rev.1, 9 May 2026</span>"),
            "each column says which draft"
        );
        let table =
            html.split("<h2>Brackets, in the order of Rev.1, 9 May 2026</h2>").nth(1).expect("brackets");
        let rows: Vec<&str> =
            table.split("<tr><td>").skip(1).map(|r| r.split("</tr>").next().unwrap()).collect();
        assert_eq!(rows.len(), 3, "{table}");
        assert!(rows[0].starts_with("1</td><td>[x]</td><td>brackets removed, words kept"), "{rows:?}");
        assert!(rows[1].starts_with("2</td><td>[now]</td><td>still open"), "{rows:?}");
        assert!(rows[2].starts_with("3</td><td>[z]</td><td>new in this draft"), "{rows:?}");
        // Without a process, the drafts are "old" and "new".
        let plain = comparison_html(&c, &old, &new);
        assert!(plain.contains("Comparing <strong class=\"side-old\">Old draft</strong>"), "{plain}");
    }

    #[test]
    fn a_link_resting_on_structure_asks_a_person_to_confirm_it() {
        let old = accord_core::parse(
            "Draft\n\n1. We agree to act.\n\n2. We urge Member States to share ocean data openly and freely with all partners.\n\n3. We note it.\n",
        );
        let new = accord_core::parse(
            "Draft\n\n1. We agree to act.\n\n2. We urge Member States to consider sharing fisheries records with regional partners.\n\n3. We note it.\n",
        );
        let c = accord_core::compare(&old, &new);
        let link = c.paragraphs.iter().find(|l| l.old == ["2"]).expect("paragraph 2 linked");
        assert!(link.confidence.is_some_and(|x| x < CONFIRM_BELOW), "{link:?}");
        let html = comparison_html(&c, &old, &new);
        let note = html
            .split("<p class=\"uncertain-link\">")
            .nth(1)
            .expect("an uncertain link")
            .split("</p>")
            .next()
            .unwrap();
        assert!(
            note.starts_with("An uncertain link (")
                && note.contains("% sure, on ")
                && note.contains("the same number"),
            "{note}"
        );
        assert!(note.ends_with("check that these are the same paragraph."), "{note}");
        // The identical paragraphs are sure: one note only.
        assert_eq!(html.matches("<p class=\"uncertain-link\">").count(), 1, "{html}");
        // Causes, when given, are linked under the entry of the old paragraph.
        let causes = Causes::from([(
            "2".to_string(),
            vec![("Proposal 3 (Norland): replace".to_string(), "/p/x/proposals/p3".to_string())],
        )]);
        let html = comparison_html_between(&c, &old, &new, Sides::of(&old, &new), &causes);
        assert!(html.contains("<p class=\"causes\">From <a href=\"/p/x/proposals/p3\">Proposal 3 (Norland): replace</a></p>"), "{html}");
    }
}
