//! The parser for drafts as they arrive: text extracted from a PDF or a Word
//! file, with or without page breaks, wrapped at a page width or one line
//! per paragraph.
//!
//! It runs in passes, each owning one decision:
//! 1. [`crate::source`]: lines, page breaks;
//! 2. [`crate::furniture`]: page headers, footers, page numbers, footnotes;
//! 3. here: where the document starts (after any covering letters), then
//!    the body, line by line, into units (headings and paragraphs), joining
//!    wrapped lines and paragraphs broken across pages;
//! 4. [`crate::front`]: letters, title and date line in front of the document;
//! 5. here again: labels to numbers and ids, status tags, preambular or
//!    operative, sub-paragraphs and options to their parents, numbering checks;
//! 6. [`crate::brackets`] over the whole body, [`crate::references`] per paragraph.
//!
//! It never fails and never panics: whatever it cannot place it still keeps,
//! and says so in a diagnostic with line and column.

// foldhash: ids come from the draft, so keep some resistance to crafted
// collisions, at a fraction of SipHash's cost on a hot path.
use foldhash::HashMap;

use crate::brackets::{self, Locate};
use crate::canonical;
use crate::front;
use crate::furniture::{self, Role};
use crate::label::{self, Label, LabelKind};
use crate::lines::{self, Ending};
use crate::markdown;
use crate::model::*;
use crate::references;
use crate::source::{self, SrcLine};
use crate::status;

/// Parses a draft. Reads Accord's canonical form when the text starts with
/// its header line, and plain text otherwise. Never fails: problems are
/// reported in [`Draft::diagnostics`].
pub fn parse(text: &str) -> Draft {
    if canonical::is_canonical(text) {
        return canonical::read(text);
    }
    if markdown::is_markdown(text) {
        return build(cut_markdown(text));
    }
    let cut = cut(text, &[]);
    build(cut)
}

/// Markdown turned into the plain shape line for line, cut with its `#`
/// lines as headings, and what the conversion set aside put back.
fn cut_markdown(text: &str) -> Cut {
    let plain = markdown::to_plain(text);
    let mut cut = cut(&plain.text, &plain.headings);
    cut.footnotes.extend(plain.footnotes);
    cut.furniture.extend(plain.furniture);
    cut.furniture.sort_by_key(|l| l.line);
    let mut front = plain.front_matter;
    front.append(&mut cut.front.front_matter);
    cut.front.front_matter = front;
    cut
}

/// As [`parse`], taking the text by value: it is freed as soon as the lines
/// are cut into units (whose texts are copies), so a large input and the
/// model built from it are never in memory at the same time in full.
pub fn parse_owned(text: String) -> Draft {
    if canonical::is_canonical(&text) {
        return canonical::read(&text);
    }
    if markdown::is_markdown(&text) {
        let cut = cut_markdown(&text);
        drop(text);
        return build(cut);
    }
    let cut = cut(&text, &[]);
    drop(text);
    build(cut)
}

/// What the first stage takes from the text: everything owned, nothing
/// borrowed, so the text can go before the model is built.
struct Cut {
    front: front::Front,
    furniture: Vec<crate::model::Line>,
    footnotes: Vec<crate::model::Footnote>,
    units: Vec<Unit>,
}

/// `headings`: 1-based lines known to be headings (Markdown `#` lines), sorted.
fn cut(text: &str, headings: &[u32]) -> Cut {
    let src = source::split_lines(text);
    let layout = furniture::detect(&src);
    let mut body: Vec<SrcLine<'_>> = Vec::with_capacity(src.len());
    body.extend(src.iter().zip(&layout.roles).filter(|(_, r)| **r == Role::Body).map(|(l, _)| *l));
    drop(src);
    let start = document_start(&body);
    let front = front::read(&body[..start]);
    let units = segment(&body[start..], headings);
    Cut { front, furniture: layout.furniture, footnotes: layout.footnotes, units }
}

fn build(cut: Cut) -> Draft {
    let Cut { front, furniture, footnotes, units } = cut;
    let mut draft = Draft {
        title: front.title,
        title_status: front.title_status,
        title_status_note: front.title_status_note,
        date: front.date,
        front_matter: front.front_matter,
        letters: front.letters,
        furniture,
        footnotes,
        ..Draft::default()
    };
    assemble(units, &mut draft);
    draft
}

/// A heading or paragraph as cut from the lines, before interpretation.
#[derive(Debug)]
pub(crate) struct Unit {
    pub heading: bool,
    pub label: Option<Label>,
    /// For headings: the number as written (`4.1.`).
    pub written: Option<String>,
    pub text: String,
    /// (character offset in `text`, source line, source column) at each line start.
    pub segments: Vec<(u32, u32, u32)>,
    pub chars: u32,
    pub first_line: u32,
    /// Column of the unit's first character (its label, when it has one).
    pub first_column: u32,
    pub last_line: u32,
    /// The raw last line, to judge whether the next line continues it.
    pub last_raw_len: usize,
    pub last_text_ending: Ending,
}

impl Unit {
    fn new(heading: bool, label: Option<Label>, line: &SrcLine<'_>) -> Unit {
        let t = line.text();
        // `[Article 3 ter] (COOPERATION)`: a heading whose number alone is
        // bracketed keeps its brackets in the number as written, not an
        // empty `[]` in its title.
        let closed = label.as_ref().filter(|l| {
            heading && l.leading_brackets > 0 && t[l.rest..].starts_with(&"]".repeat(l.leading_brackets))
        });
        let (text, segments) = match &label {
            Some(l) if closed.is_some() => {
                let rest = t[l.rest + l.leading_brackets..].trim_start();
                let col = line.text_column() + t[..t.len() - rest.len()].chars().count() as u32;
                (rest.to_owned(), vec![(0, line.no, col)])
            }
            Some(l) => {
                let rest = &t[l.rest..];
                let label_chars = t[..l.rest].chars().count() as u32;
                let col = line.text_column();
                let mut text = "[".repeat(l.leading_brackets);
                text.push_str(rest);
                let mut segs = vec![(0, line.no, col)];
                if l.leading_brackets > 0 {
                    segs.push((l.leading_brackets as u32, line.no, col + label_chars));
                } else {
                    segs[0].2 = col + label_chars;
                }
                (text, segs)
            }
            None => (t.to_owned(), vec![(0, line.no, line.text_column())]),
        };
        let chars = text.chars().count() as u32;
        let written = match (&label, heading) {
            (Some(l), true) if closed.is_some() => Some(t[..l.rest + l.leading_brackets].to_owned()),
            (Some(l), true) => Some(t[l.leading_brackets..l.written_end].to_owned()),
            _ => None,
        };
        Unit {
            heading,
            label,
            written,
            last_text_ending: unit_ending(&text),
            text,
            segments,
            chars,
            first_line: line.no,
            first_column: line.text_column(),
            last_line: line.no,
            last_raw_len: line.raw.chars().count(),
        }
    }

    fn push_line(&mut self, line: &SrcLine<'_>) {
        let t = line.text();
        let before = self.text.len();
        lines::join_onto(&mut self.text, t);
        let added_space = self.text.len() - before > t.len();
        let offset = self.chars + u32::from(added_space && before > 0);
        self.segments.push((offset, line.no, line.text_column()));
        self.chars = offset + t.chars().count() as u32;
        self.last_line = line.no;
        self.last_raw_len = line.raw.chars().count();
        self.last_text_ending = unit_ending(t);
    }

    fn is_label_only(&self) -> bool {
        self.label.is_some() && self.text.trim().is_empty()
    }
}

/// How a unit's latest line ends. A status tag closes a paragraph, whatever
/// stands before it.
fn unit_ending(line: &str) -> Ending {
    match status::find_tag(line) {
        Some(tag) if tag.range.end == line.len() => Ending::Terminal,
        _ => lines::ending(line),
    }
}

/// Is this the first line of the document proper (after letters and title)?
fn is_structural(line: &str, next: Option<&str>) -> bool {
    if let Some(l) = label::read(line) {
        let rest = &line[l.rest..];
        match l.kind {
            LabelKind::Number { dotted, suffixed, levels, .. } => return dotted || suffixed || levels > 1,
            LabelKind::Series { .. } | LabelKind::Outline => return true,
            LabelKind::Keyword => return keyword_heading_rest(rest),
            LabelKind::Sub | LabelKind::Option => {}
        }
    }
    is_section_keyword(line) || is_chapeau(line, next)
}

/// "Preamble", "PREAMBLE", "Preambular paragraphs", "Operative part".
fn is_section_keyword(t: &str) -> bool {
    if t.len() > 32 {
        return false;
    }
    let lower = t.trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace()).to_lowercase();
    matches!(
        lower.as_str(),
        "preamble"
            | "preambular paragraphs"
            | "preambular part"
            | "operative paragraphs"
            | "operative part"
            | "préambule"
            | "preámbulo"
            | "преамбула"
            | "الديباجة"
            | "序言"
    )
}

/// "The General Assembly,", "We, the Heads of State and Government …,",
/// "The Parties to this Agreement,", "The Conference of the Parties,".
pub(crate) fn is_chapeau(t: &str, next: Option<&str>) -> bool {
    let t = t.trim_start_matches(['[', ' ']);
    // Cheap tests first: this runs on every line.
    let opens = t.starts_with("The ") || t.starts_with("We, ") || t.starts_with("We the ");
    if !opens || !t.trim_end_matches(']').ends_with(',') || t.len() > 400 {
        return false;
    }
    let words = t.split_whitespace().count();
    let lower = t.to_lowercase();
    let body =
        ["assembly", "council", "parties", "conference", "heads of state", "commission", "members", "states"]
            .iter()
            .any(|w| lower.contains(w));
    body && words <= 40 && next.is_none_or(|n| !lines::starts_lowercase(n))
}

/// After `Article 2`: `(PURPOSE)`, `– Purpose`, `: Purpose`, a capitalised
/// title, or nothing. "Article 19 of the Declaration" is not a heading.
fn keyword_heading_rest(rest: &str) -> bool {
    // `[Article 3 ter] (MECHANISM …)`: the bracket closing round the label.
    let rest = rest.trim().trim_start_matches(']').trim_start();
    if rest.is_empty() {
        return true;
    }
    if lines::ending(rest) == Ending::Terminal && !rest.ends_with(':') || rest.split_whitespace().count() > 15
    {
        return false;
    }
    rest.starts_with(['(', ':', '–', '-', '—', '.'])
        || lines::first_letter(rest).is_some_and(|c| c.is_uppercase())
}

fn document_start(body: &[SrcLine<'_>]) -> usize {
    let next_text = |i: usize| body[i + 1..].iter().find(|l| !l.is_blank()).map(|l| l.text());
    // Skip covering letters: the document starts after the last closing formula.
    let lower_has =
        |l: &SrcLine<'_>, w: &str| l.text().contains("onsideration") && l.text().to_lowercase().contains(w);
    let letter_end = body
        .iter()
        .rposition(|l| {
            lower_has(l, "highest consideration")
                || (lower_has(l, "assurances of") && lower_has(l, "consideration"))
        })
        .map_or(0, |i| i + 1);
    let from = if body[..letter_end]
        .iter()
        .any(|l| l.text().to_lowercase().starts_with("excellenc") || l.text().starts_with("Dear "))
    {
        letter_end
    } else {
        0
    };
    if let Some(i) =
        (from..body.len()).find(|&i| !body[i].is_blank() && is_structural(body[i].text(), next_text(i)))
    {
        return i;
    }
    // No structure at all: the first real paragraph starts the document.
    (from..body.len())
        .find(|&i| {
            body[i].text().split_whitespace().count() >= 12
                && lines::ending(body[i].text()) == Ending::Terminal
        })
        .unwrap_or(from)
}

/// The keyword and number of a keyword heading (`Article 12` → (`article`,
/// 12)), for the rule that article numbers do not go backwards.
/// An inserted number (`Article 2 bis`) comes after its plain one: "Article 2"
/// after "Article 2 bis" goes backwards.
fn keyword_value(number: &str) -> Option<(String, (u32, bool))> {
    let (word, mark) = number.split_once(' ')?;
    let digits: String = mark.chars().take_while(|c| c.is_ascii_digit()).collect();
    let inserted = mark[digits.len()..].trim_start().starts_with(|c: char| c.is_alphabetic());
    Some((word.to_lowercase(), (digits.parse().ok()?, inserted)))
}

/// Layout facts that decide whether a line continues the one before.
struct Wrap {
    /// True when the text is wrapped at a page width (PDF extraction with
    /// layout), false for one line per paragraph.
    wrapped: bool,
    /// A line this long (in characters) reached the right margin.
    full: usize,
    /// Lines far longer than a page is wide: each holds a whole paragraph.
    whole_lines: bool,
}

fn wrap_facts(lines_: &[SrcLine<'_>]) -> Wrap {
    let mut evidence = 0usize;
    let mut non_blank = 0usize;
    let mut lengths: Vec<usize> = Vec::new();
    for w in lines_.windows(2) {
        if w[0].is_blank() {
            continue;
        }
        non_blank += 1;
        lengths.push(w[0].raw.chars().count());
        if !w[1].is_blank()
            && lines::ending(w[0].text()) != Ending::Terminal
            && lines::starts_lowercase(w[1].text())
        {
            evidence += 1;
        }
    }
    lengths.sort_unstable();
    let p90 = lengths.get(lengths.len() * 9 / 10).copied().unwrap_or(0);
    // A page is at most ~130 characters wide once extracted; lines of whole
    // paragraphs (saved from Word) run far longer, whatever their openings.
    let wrapped = evidence >= 3 && evidence * 20 >= non_blank && p90 <= 200;
    Wrap { wrapped, full: p90 * 9 / 10, whole_lines: p90 > 200 }
}

/// The expected numbers after the paragraphs so far.
struct Numbering {
    last: Option<u32>,
}

impl Numbering {
    fn plausible(&self, value: u32) -> bool {
        value == 1 || self.last.is_none_or(|l| value == l + 1 || value == l)
    }
}

/// Cuts the body into units.
fn segment(body: &[SrcLine<'_>], headings: &[u32]) -> Vec<Unit> {
    let wrap = wrap_facts(body);
    // At most one unit per non-blank line; untouched capacity costs no memory.
    let mut units: Vec<Unit> = Vec::with_capacity(body.iter().filter(|l| !l.is_blank()).count());
    let mut blank_before = true;
    let mut numbering = Numbering { last: None };
    // The last keyword heading's word and number (`article`, 6).
    let mut last_keyword: Option<(String, (u32, bool))> = None;
    for (k, line) in body.iter().enumerate() {
        if line.is_blank() {
            blank_before = true;
            continue;
        }
        let t = line.text();
        if !headings.is_empty() && headings.binary_search(&line.no).is_ok() {
            // A heading by markup: numbered if its label is a heading's.
            let label = label::read(t).filter(|l| {
                matches!(l.kind, LabelKind::Keyword | LabelKind::Outline | LabelKind::Number { .. })
            });
            units.push(Unit::new(true, label, line));
            blank_before = false;
            continue;
        }
        let next = body[k + 1..].iter().find(|l| !l.is_blank());
        let next_text = next.map(|l| l.text());
        let blank_after = body.get(k + 1).is_none_or(|l| l.is_blank());
        let mut label = label::read(t);

        // A status tag alone on its line belongs to the unit before.
        let tag_only =
            t.starts_with('[') && t.ends_with(']') && status::read_tag(&t[1..t.len() - 1]).is_some();
        if let Some(cur) = units.last_mut() {
            if tag_only && !cur.heading {
                cur.push_line(line);
                blank_before = false;
                continue;
            }
        }
        // A number where a sentence is running on is not a new paragraph.
        if let (Some(l), Some(cur)) = (&label, units.last()) {
            if let LabelKind::Number { value, levels, .. } = l.kind {
                // An option label's range (`Option 2: (paragraphs 2-3)`) runs into nothing.
                let block_label = cur.label.as_ref().is_some_and(|l| l.kind == LabelKind::Option)
                    && is_block_option_text(&cur.text);
                let running = cur.last_text_ending == Ending::Open
                    && !cur.heading
                    && !cur.is_label_only()
                    && !block_label
                    && !is_editorial_note(&cur.text);
                if running && (!blank_before || levels == 1) && !numbering.plausible(value) {
                    label = None;
                }
            }
        }
        // Keyword labels that do not make a heading ("Article 19 of …") are text.
        // Nor does one that ends a running sentence ("… as set out in /
        // Article 2."), or one whose number goes back within its part
        // ("Article 2" after "Article 6").
        if let Some(l) = &label {
            if l.kind == LabelKind::Keyword {
                let running = !blank_before
                    && units.last().is_some_and(|u| {
                        !u.heading && !u.is_label_only() && u.last_text_ending == Ending::Open
                    });
                let value = keyword_value(&l.number);
                let backwards = match (&last_keyword, &value) {
                    (Some((word, last)), Some((w, v))) => word == w && v < last,
                    _ => false,
                };
                if !keyword_heading_rest(&t[l.rest..]) || running || backwards {
                    label = None;
                } else if let Some(v) = value {
                    last_keyword = Some(v);
                }
            } else if l.kind == LabelKind::Outline {
                // A new part (`B. DRAFT DECISION`) numbers its articles afresh.
                last_keyword = None;
            }
        }

        if let Some(cur) = units.last_mut() {
            if continues(cur, line, label.as_ref(), blank_before, &wrap) {
                cur.push_line(line);
                blank_before = false;
                continue;
            }
        }

        let heading = match &label {
            Some(l) => is_labelled_heading(t, l, next_text, &numbering),
            None => is_plain_heading(t, next_text, blank_before, blank_after, units.last()),
        };
        if !heading {
            // `3 bis` after 2 stands for 3: the next plain number may be 4.
            if let Some(Label { kind: LabelKind::Number { value, suffixed, levels: 1, .. }, .. }) = &label {
                if !*suffixed || numbering.last.is_some_and(|l| *value > l) {
                    numbering.last = Some(*value);
                }
            }
        }
        // `2. Option 1: …`: the number introduces options, the first of which
        // starts on the number's line.
        if let Some(l) = label.as_ref().filter(|l| !heading && l.leading_brackets == 0) {
            if matches!(l.kind, LabelKind::Number { .. } | LabelKind::Series { .. }) {
                let offset = line.indent() + l.rest;
                let rest = &line.raw[offset..];
                if let Some(opt) = label::read(rest).filter(|o| o.kind == LabelKind::Option) {
                    let head = SrcLine::new(line.no, &line.raw[..offset], false);
                    units.push(Unit::new(false, label::read(head.text()), &head));
                    let tail = SrcLine::new(line.no, rest, false);
                    let mut option = Unit::new(false, Some(opt), &tail);
                    let shift = line.raw[..offset].chars().count() as u32;
                    for s in option.segments.iter_mut() {
                        s.2 += shift;
                    }
                    units.push(option);
                    blank_before = false;
                    continue;
                }
            }
        }
        units.push(Unit::new(heading, label, line));
        blank_before = false;
    }
    units
}

/// Does `line` continue the unit before it?
fn continues(cur: &Unit, line: &SrcLine<'_>, label: Option<&Label>, blank_before: bool, wrap: &Wrap) -> bool {
    let t = line.text();
    if cur.heading {
        // `Article 1` then `(DEFINITIONS)` or `Definitions` on the next line:
        // the article's title.
        let bare_keyword =
            cur.label.as_ref().is_some_and(|l| l.kind == LabelKind::Keyword) && cur.text.trim().is_empty();
        // A title in parentheses is the article's even a paragraph apart
        // (each on its own Word paragraph): nothing else opens with one.
        let parenthesised = t.starts_with('(') && t.ends_with(')');
        let title = bare_keyword
            && label.is_none()
            && (!blank_before || parenthesised)
            && t.chars().count() <= 120
            && lines::ending(t) == Ending::Open
            && (t.starts_with('(') || lines::is_title_like(t));
        // A heading too long for its line goes on in capitals on the next
        // (`I. ADOPTION OF THE [PARIS AGREEMENT] [… UNDER THE` then `UNITED
        // NATIONS … CHANGE]`) when its line cannot end it.
        let wrapped = !blank_before
            && label.is_none()
            && !is_section_keyword(t)
            && t.chars().count() <= 120
            && lines::is_capitals(t)
            && lines::title_runs_on(&cur.text);
        return title || wrapped;
    }
    if cur.is_label_only() {
        return label.is_none() && !is_section_keyword(t);
    }
    if label.is_some() || is_section_keyword(t) || lines::bullet(t) {
        return false;
    }
    // An editorial note on its own line (`{Substantive overlap with …}`)
    // stands where it is: it neither joins the paragraph before nor takes
    // the lines after.
    if is_editorial_note(t) || is_editorial_note(&cur.text) {
        return false;
    }
    let ending = cur.last_text_ending;
    if blank_before {
        // A paragraph broken across pages: it stopped mid-sentence, or at a
        // comma and goes on in lower case ("…, including / small island
        // developing States"), which no new paragraph does.
        let after_comma = ending == Ending::Comma && lines::starts_lowercase(t);
        return (ending == Ending::Open || after_comma) && !is_chapeau(t, None);
    }
    // A line at the hanging indent of a numbered paragraph (where its text
    // starts after the label) goes on with that paragraph.
    let hang = cur.segments.iter().filter(|s| s.1 == cur.first_line).map(|s| s.2).max();
    let hanging =
        cur.label.is_some() && hang.is_some_and(|h| h > cur.first_column && line.text_column() == h);
    if hanging && !blank_before {
        return true;
    }
    // Saved from Word, one paragraph per line: every line is a paragraph,
    // whatever it opens with (Russian preambular paragraphs start lower-case
    // after "…; и").
    if !wrap.wrapped && wrap.whole_lines {
        return lines::starts_with_continuation_punct(t);
    }
    if lines::starts_lowercase(t) || lines::starts_with_continuation_punct(t) {
        return true;
    }
    match ending {
        // One paragraph per line (text saved from Word): a capital after a
        // line left open starts the next paragraph ("The General Assembly"
        // then "Proclaims …").
        Ending::Open => wrap.wrapped || !lines::first_letter(t).is_some_and(char::is_uppercase),
        Ending::Comma | Ending::Terminal => wrap.wrapped && cur.last_raw_len >= wrap.full && wrap.full > 40,
    }
}

fn is_labelled_heading(t: &str, l: &Label, next: Option<&str>, numbering: &Numbering) -> bool {
    let rest = t[l.rest..].trim();
    let rest_untagged = match status::find_tag(rest) {
        Some(tag) => rest[..tag.range.start].trim_end(),
        None => rest,
    };
    // Byte length first: most numbered lines are long paragraphs.
    let short = rest_untagged.len() <= 400
        && rest_untagged.chars().count() <= 100
        && rest_untagged.split_whitespace().count() <= 12;
    let next_continues = next.is_some_and(lines::starts_lowercase);
    match l.kind {
        LabelKind::Keyword => true,
        LabelKind::Outline => {
            short
                && !rest_untagged.is_empty()
                && lines::ending(rest_untagged) == Ending::Open
                && !next_continues
        }
        LabelKind::Number { value, levels, suffixed, .. } => {
            if rest_untagged.is_empty() || !short || next_continues || suffixed {
                return false;
            }
            if lines::ending(rest_untagged) != Ending::Open {
                return false;
            }
            let starts_upper =
                lines::first_letter(rest_untagged).is_some_and(|c| c.is_uppercase() || c.is_numeric());
            if !starts_upper || !lines::is_title_like(rest_untagged) {
                return false;
            }
            // The numbering decides: `1. ICT for Development` after paragraph 14.
            let next_same = next.and_then(label::read).is_some_and(|n| n.number == l.number);
            levels > 1 || numbering.last.is_some_and(|last| value != last + 1) || next_same
        }
        LabelKind::Series { .. } | LabelKind::Sub | LabelKind::Option => false,
    }
}

fn is_plain_heading(
    t: &str,
    next: Option<&str>,
    blank_before: bool,
    blank_after: bool,
    prev: Option<&Unit>,
) -> bool {
    if is_section_keyword(t) {
        return true;
    }
    let first = t.chars().next();
    if !first.is_some_and(|c| c.is_alphabetic() || c == '[') {
        return false;
    }
    if t.len() > 320 || lines::ending(t) != Ending::Open || t.chars().count() > 80 {
        return false;
    }
    let words = t.split_whitespace().count();
    if words > 8 {
        return false;
    }
    if !lines::is_title_like(t) || !lines::first_letter(t).is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    if next.is_some_and(lines::starts_lowercase) {
        return false;
    }
    let prev_closed = prev.is_none_or(|p| p.heading || p.last_text_ending != Ending::Open);
    // A title in capitals only (`MITIGATION`, `GLOBAL STOCKTAKE`) is a
    // heading even when the layout leaves no blank line around it.
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = letters >= 4 && !t.chars().any(|c| c.is_lowercase());
    (blank_before && blank_after || capitals) && prev_closed
}

/// Source positions of unit characters, for diagnostics.
struct UnitMap<'a> {
    /// Each unit's (character offset, line, column) at its line starts.
    positions: &'a [Vec<(u32, u32, u32)>],
    /// Characters trimmed from the front of each unit's text.
    leading: &'a [u32],
}

impl Locate for UnitMap<'_> {
    fn locate(&self, unit: usize, offset: u32) -> (u32, u32) {
        let offset = offset + self.leading[unit];
        let segs = &self.positions[unit];
        let k = segs.partition_point(|s| s.0 <= offset).saturating_sub(1);
        let (start, line, col) = segs[k];
        (line, col + offset.saturating_sub(start))
    }
}

fn warn(diagnostics: &mut Vec<Diagnostic>, code: &str, message: String, line: u32, column: u32) {
    diagnostics.push(Diagnostic { severity: Severity::Warning, code: code.into(), message, line, column });
}

/// Is this the first word of a preambular paragraph ("Recalling", "Deeply
/// concerned", "Mindful", French "Rappelant", Spanish "Recordando")?
fn preambular_opening(text: &str) -> bool {
    // Chinese writes no spaces: the opening is a prefix.
    const CHINESE: &[&str] = &[
        "鉴于",
        "回顾",
        "忆及",
        "认识到",
        "注意到",
        "重申",
        "欢迎",
        "强调",
        "考虑到",
        "深信",
        "意识到",
        "铭记",
        "申明",
        "关切",
    ];
    let start = text.trim_start_matches(|c: char| !c.is_alphabetic());
    if CHINESE.iter().any(|w| start.starts_with(w)) {
        return true;
    }
    let first = text
        .trim_start_matches(|c: char| !c.is_alphabetic())
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    let lower = first.to_lowercase();
    const WORDS: &[&str] = &[
        "mindful",
        "aware",
        "conscious",
        "cognizant",
        "cognisant",
        "deeply",
        "gravely",
        "further",
        "also",
        "having",
        "in",
        "pursuant",
        "bearing",
        "convinced",
        "determined",
        "desirous",
        "acknowledging",
        "recognizing",
        "noting",
        "being",
        "guided",
        "reiterating",
        "emphasizing",
        "stressing",
        "welcoming",
        "recalling",
        "reaffirming",
        "expressing",
        "taking",
        "alarmed",
        "concerned",
        "considering",
        "affirming",
        "underlining",
        "firmly",
        "strongly",
        "profoundly",
        "seriously",
        "acting",
        "whereas",
        // Russian gerunds that open preambular paragraphs.
        "принимая",
        "признавая",
        "учитывая",
        "напоминая",
        "ссылаясь",
        "отмечая",
        "подтверждая",
        "вновь",
        "будучи",
        "считая",
        "сознавая",
        "приветствуя",
        "выражая",
        "подчеркивая",
        "руководствуясь",
        "исходя",
        // Arabic: "whereas" (لما/ولما), "and whereas", "recalling" (إذ تشير).
        "لما",
        "لمّا",
        "ولما",
        "ولمّا",
        "إذ",
        "وإذ",
        "حيث",
        "وحيث",
        // French and Spanish forms the suffix rule misses.
        "rappelant",
        "reconnaissant",
        "considérant",
        "consciente",
        "convaincue",
        "soulignant",
        "tomando",
        "teniendo",
        "reconociendo",
        "recordando",
    ];
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    let n = lower.chars().count();
    n >= 5
        && (lower.ends_with("ing")
            || lower.ends_with("ed")
            || lower.ends_with("ant")
            || lower.ends_with("ando")
            || lower.ends_with("iendo")
            || lower.ends_with("ado"))
}

/// Turns units into headings and paragraphs, with ids, statuses, kinds, parents,
/// brackets, references and diagnostics.
pub(crate) fn assemble(units: Vec<Unit>, draft: &mut Draft) {
    let mut diagnostics = Vec::new();
    let mut statuses: Vec<(Status, Option<String>)> = Vec::with_capacity(units.len());
    let mut units = units;
    // Status tags out of the text first: they are not brackets.
    for u in units.iter_mut() {
        let mut st = (Status::Open, None);
        if !u.heading {
            if let Some(tag) = status::find_tag(&u.text) {
                st = (tag.status, tag.note);
                let removed_front = tag.range.start == 0 && tag.range.end < u.text.len();
                let removed_chars = u.text[tag.range.clone()].chars().count() as u32;
                u.text.replace_range(tag.range, "");
                if removed_front {
                    for s in u.segments.iter_mut() {
                        s.0 = s.0.saturating_sub(removed_chars);
                    }
                    if let Some(first) = u.segments.first_mut() {
                        first.2 += removed_chars;
                    }
                }
                u.chars = u.chars.saturating_sub(removed_chars);
            }
        }
        statuses.push(st);
    }

    // Numbering is checked on the labels before they move into the model.
    check_numbering(&units, &mut diagnostics);

    // Headings and paragraphs in order.
    let restart = numbering_restarts(&units);
    // Units are consumed as the model grows, and their memory given back as
    // it goes (the units and the finished paragraphs never peak together):
    // reversed once, popped from the end, shrunk when half empty.
    let unit_count = units.len();
    units.reverse();
    let mut positions: Vec<Vec<(u32, u32, u32)>> = Vec::with_capacity(unit_count);
    // Heading ids used so far, with how many times each: a repeated heading
    // ("Preamble" of an agreement and of its decision) becomes "Preamble (2)".
    let mut heading_ids: HashMap<String, u32> = HashMap::default();
    let mut current_heading: Option<String> = None;
    let mut outline_seen = false;
    let mut in_preamble = true;
    let mut unnumbered = 0u32;
    let mut top: Option<(usize, ParagraphKind, bool)> = None; // (index, kind, label-only or ends with ':')
    let mut sub_letter: Option<(String, String)> = None; // (id, inner) of the current (a)-level sub
    let mut ids = Ids::default();
    let mut paragraph_units: Vec<usize> = Vec::new();
    let mut option_parent: Option<String> = None;
    // The option whose sub-paragraphs may follow (it ends with ':' or has no text).
    let mut current_option: Option<String> = None;
    // The paragraph whose options a decimal sub-item interrupted.
    let mut outer_option_parent: Option<String> = None;
    // Bulleted items under the current paragraph so far.
    let mut bullets = 0u32;
    // Footnote markers glued to a paragraph's label (`3ter.4`), by paragraph.
    let mut label_footnotes: Vec<(usize, String)> = Vec::new();

    // Leading blanks trimmed off each paragraph's text, to map offsets back.
    let mut leading: Vec<u32> = vec![0; unit_count];
    for ui in 0..unit_count {
        if units.len() < units.capacity() / 2 && units.capacity() > 1024 {
            units.shrink_to_fit();
        }
        let Some(mut owned) = units.pop() else { break };
        let u = &mut owned;
        // Where the unit's text starts, for diagnostics, before its line
        // positions move to the bracket matcher.
        let text_column = u.segments.first().map_or(u.first_column, |s| s.2);
        positions.push(std::mem::take(&mut u.segments));
        if u.heading {
            leading[ui] = (u.text.len() - u.text.trim_start().len()) as u32;
            let (id, number, title, level) = heading_parts(u, outline_seen);
            if matches!(u.label.as_ref().map(|l| &l.kind), Some(LabelKind::Outline))
                || id.starts_with("Part")
                || id.starts_with("Chapter")
            {
                outline_seen = true;
            }
            let mut unique = id.clone();
            let count = heading_ids.entry(id.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                unique = format!("{id} ({count})");
                // A title that itself reads "X (2)" cannot collide: bump until free.
                while heading_ids.contains_key(&unique) {
                    *heading_ids.get_mut(&id).expect("just inserted") += 1;
                    unique = format!("{id} ({})", heading_ids[&id]);
                }
                heading_ids.insert(unique.clone(), 1);
            }
            if is_section_keyword(&title) && number.is_none() {
                in_preamble = true;
            } else if level <= 1 && !in_preamble && !is_section_keyword(&title) {
                // A new part (e.g. "B. DRAFT DECISION") may bring its own preamble.
                in_preamble = matches!(u.label.as_ref().map(|l| &l.kind), Some(LabelKind::Outline));
            }
            draft.headings.push(Heading {
                id: unique.clone(),
                number,
                title,
                level,
                first_paragraph: draft.paragraphs.len(),
                source_lines: SourceLines { first: u.first_line, last: u.last_line },
            });
            current_heading = Some(unique);
            top = None;
            sub_letter = None;
            option_parent = None;
            current_option = None;
            continue;
        }
        let (status, status_note) = std::mem::take(&mut statuses[ui]);
        let taken_label = u.label.take();
        let label = taken_label.as_ref();
        // The text moves into the model: no copy of the draft is kept twice.
        let mut text = std::mem::take(&mut u.text);
        text.truncate(text.trim_end().len());
        let lead = text.len() - text.trim_start().len();
        leading[ui] = text[..lead].chars().count() as u32;
        text.drain(..lead);
        text.shrink_to_fit();
        let u = &*u;
        let mut number = None;
        let mut option = None;
        let mut parent = None;
        let id;
        let kind;
        match label.map(|l| &l.kind) {
            Some(LabelKind::Sub) => {
                let l = label.expect("label present");
                let inner = l.number.trim_matches(|c| c == '(' || c == ')').to_owned();
                // `(i)` under `(a)` is nested; `(i)` after `(h)` is the next letter.
                let roman = inner.bytes().all(|b| matches!(b, b'i' | b'v' | b'x'));
                let nested =
                    roman && sub_letter.as_ref().is_some_and(|(_, prev)| !is_next_letter(prev, &inner));
                // An option's own sub-paragraphs (`Option (b):` then `(a)`,
                // `(b)`) belong to the option, not to the paragraph above it.
                let parent_id = if nested {
                    sub_letter.as_ref().map(|s| s.0.clone())
                } else if let Some(o) = &current_option {
                    Some(o.clone())
                } else {
                    top.as_ref().map(|t| draft.paragraphs[t.0].id.clone())
                };
                number = Some(l.number.clone());
                kind = top.as_ref().map_or(
                    if in_preamble { ParagraphKind::Preambular } else { ParagraphKind::Operative },
                    |t| t.1,
                );
                match parent_id {
                    Some(p) => {
                        id = unique_id(&mut ids, format!("{p}{}", l.number));
                        parent = Some(p);
                    }
                    None => {
                        warn(
                            &mut diagnostics,
                            "unplaced-paragraph",
                            format!("sub-paragraph {} has no paragraph to belong to; kept as a paragraph of its own", l.number),
                            u.first_line,
                            text_column,
                        );
                        id = unique_id(&mut ids, l.number.clone());
                    }
                }
                // Only a letter opens a level that romans nest under: `(i)`
                // after `(h)` is a letter, `(ii)` after `(i)` its sibling.
                let letter =
                    !roman || sub_letter.as_ref().is_some_and(|(_, prev)| is_next_letter(prev, &inner));
                if !nested && letter {
                    sub_letter = Some((id.clone(), inner));
                }
            }
            Some(LabelKind::Option) => {
                let l = label.expect("label present");
                option = Some(l.number.clone());
                // A label at the margin with no text of its own (`Option 1:`,
                // `Option 2: (paragraphs 3-3quater)`, `Option I {…}`) right
                // before a numbered paragraph opens a block of paragraphs: it
                // belongs to what follows, never to the paragraph before.
                let block_of = units.last().filter(|_| is_block_option_text(&text)).and_then(|next| {
                    let nl = next.label.as_ref().filter(|_| !next.heading)?;
                    matches!(nl.kind, LabelKind::Number { levels: 1, .. } | LabelKind::Series { .. }).then(
                        || match (&current_heading, restart) {
                            (Some(h), true) => format!("{h}.{}", nl.number),
                            _ => nl.number.clone(),
                        },
                    )
                });
                if block_of.is_some() {
                    option_parent = None;
                }
                if option_parent.is_none() && block_of.is_none() {
                    option_parent = top.as_ref().filter(|t| t.2).map(|t| draft.paragraphs[t.0].id.clone());
                }
                // `3. [Option 1: …` `3.1 Option (a): …` `3.2 …` `Option 2:`:
                // an option continues the series its predecessor stands in,
                // here paragraph 3's, not the sub-item 3.1's.
                if let (Some(outer), Some(prev)) = (&outer_option_parent, previous_option(&l.number)) {
                    let inner_has =
                        option_parent.as_ref().is_some_and(|p| ids.contains(&format!("{p} {prev}")));
                    if !inner_has && ids.contains(&format!("{outer} {prev}")) {
                        option_parent = Some(outer.clone());
                    }
                }
                kind = top.as_ref().map_or(
                    if in_preamble { ParagraphKind::Preambular } else { ParagraphKind::Operative },
                    |t| t.1,
                );
                // `Alt OP3:` is the alternative to paragraph OP3: `OP3 alt`.
                // Only `Alt`/`Alternative` with a paragraph's own name does
                // this: `Option 2` after paragraph 2 is the second option.
                let named = l
                    .number
                    .split_once(' ')
                    .filter(|(word, _)| word.to_lowercase().starts_with("alt"))
                    .map(|(_, mark)| mark)
                    .filter(|mark| {
                        mark.bytes().any(|b| b.is_ascii_digit())
                            && mark.bytes().any(|b| b.is_ascii_alphabetic())
                            && ids.contains(mark)
                    });
                if let Some(mark) = named {
                    let mark = mark.to_owned();
                    id = unique_id(&mut ids, format!("{mark} alt"));
                    parent = Some(mark);
                    option_parent = None;
                } else {
                    // An option standing for itself or opening a block is named
                    // by its heading (`Article 2 Option II`), else by the
                    // paragraph it opens (`25 Option 1`).
                    let named_by = match (&option_parent, &current_heading, &block_of) {
                        (Some(_), _, _) => None,
                        (None, Some(h), _) => Some(h.clone()),
                        (None, None, next) => next.clone(),
                    };
                    match (&option_parent, named_by) {
                        (Some(p), _) => {
                            id = unique_id(&mut ids, format!("{p} {}", l.number));
                            parent = Some(p.clone());
                        }
                        (None, Some(by)) => id = unique_id(&mut ids, format!("{by} {}", l.number)),
                        (None, None) => {
                            unnumbered += 1;
                            id = unique_id(&mut ids, format!("P{unnumbered}"));
                        }
                    }
                }
                let introduces = text.ends_with(':') || is_block_option_text(&text);
                current_option = introduces.then(|| id.clone());
                sub_letter = None;
            }
            None if lines::bullet(&text) && top.as_ref().is_some_and(|t| t.2) => {
                // `• [Party;]` under "the following terms are defined:": an
                // item of the paragraph that introduces the list.
                let t = top.as_ref().expect("checked");
                let p = draft.paragraphs[t.0].id.clone();
                kind = t.1;
                bullets += 1;
                id = unique_id(&mut ids, format!("{p} •{bullets}"));
                parent = Some(p);
            }
            _ => {
                // A decimal sub-item (`3.1` under 3) keeps its paragraph's
                // option series open for the options that follow it.
                let decimal_sub =
                    matches!(label.map(|l| &l.kind), Some(LabelKind::Number { levels: 2.., .. }));
                if decimal_sub && option_parent.is_some() && outer_option_parent.is_none() {
                    outer_option_parent = option_parent.take();
                } else if !decimal_sub {
                    outer_option_parent = None;
                }
                option_parent = None;
                sub_letter = None;
                current_option = None;
                bullets = 0;
                kind = match label.map(|l| &l.kind) {
                    Some(LabelKind::Series { preambular }) => {
                        if !preambular {
                            in_preamble = false;
                        }
                        if *preambular {
                            ParagraphKind::Preambular
                        } else {
                            ParagraphKind::Operative
                        }
                    }
                    _ => {
                        if is_chapeau(&text, None) {
                            in_preamble = true;
                            ParagraphKind::Preambular
                        } else if in_preamble && (text.is_empty() || preambular_opening(&text)) {
                            ParagraphKind::Preambular
                        } else if in_preamble && text.to_lowercase().starts_with("have agreed") {
                            in_preamble = false;
                            ParagraphKind::Preambular
                        } else {
                            in_preamble = false;
                            ParagraphKind::Operative
                        }
                    }
                };
                match label {
                    Some(l) => {
                        let qualify = |n: &str| match (&current_heading, restart) {
                            (Some(h), true) if matches!(l.kind, LabelKind::Number { .. }) => {
                                format!("{h}.{n}")
                            }
                            _ => n.to_owned(),
                        };
                        let mut written = l.number.clone();
                        // `3.1`, `16 ter.2`: a decimal sub-item of a paragraph
                        // already read belongs to it; `3ter.4` with no paragraph
                        // `3 ter` before it and a footnote 4 is `3 ter` with a
                        // footnote marker glued on.
                        if let LabelKind::Number { levels: 2.., suffixed, .. } = l.kind {
                            if let Some((head, tail)) = l.number.rsplit_once('.') {
                                let parent_id = qualify(head);
                                // Sub-items count from 1: `3ter.4` with no `3ter.3`
                                // before it is a footnote marker when footnote 4 exists.
                                let in_sequence = tail == "1"
                                    || tail.parse::<u32>().map_or(true, |k| {
                                        k == 0 || ids.contains(&qualify(&format!("{head}.{}", k - 1)))
                                    });
                                let footnote = suffixed && draft.footnotes.iter().any(|f| f.marker == tail);
                                if ids.contains(&parent_id) && (in_sequence || !footnote) {
                                    parent = Some(parent_id);
                                } else if footnote {
                                    label_footnotes.push((draft.paragraphs.len(), tail.to_owned()));
                                    written = head.to_owned();
                                }
                            }
                        }
                        id = unique_id(&mut ids, qualify(&written));
                        number = Some(written);
                    }
                    None => {
                        unnumbered += 1;
                        id = unique_id(&mut ids, format!("P{unnumbered}"));
                    }
                }
                let introduces = introduces_list(&text);
                top = Some((draft.paragraphs.len(), kind, introduces));
            }
        }
        paragraph_units.push(ui);
        if draft.paragraphs.len() == draft.paragraphs.capacity() {
            // Grow by half, never past what the remaining units can make:
            // no doubling overshoot on a large draft.
            let more = (draft.paragraphs.len() / 2).max(256).min(units.len() + 1);
            draft.paragraphs.reserve_exact(more);
        }
        draft.paragraphs.push(Paragraph {
            id,
            number,
            kind,
            heading: current_heading.clone(),
            parent,
            option,
            status,
            status_note,
            text,
            brackets: Vec::new(),
            references: Vec::new(),
            footnotes: Vec::new(),
            source_lines: SourceLines { first: u.first_line, last: u.last_line },
        });
    }

    drop(statuses);
    // What bracket matching needs from the units: each unit's text (now in
    // the model) and where its characters came from. The units go before the
    // last allocations, so they and the finished model never peak together.
    drop(units);
    // The paragraphs grew as the units shrank; drop the growth slack.
    draft.paragraphs.shrink_to_fit();
    let mut paragraph_of_unit: Vec<u32> = vec![u32::MAX; unit_count];
    for (pi, &ui) in paragraph_units.iter().enumerate() {
        paragraph_of_unit[ui] = pi as u32;
    }
    let mut heading_index = 0;
    let mut slots: Vec<(bool, u32)> = Vec::with_capacity(unit_count); // (is paragraph, index)
    for &p in &paragraph_of_unit {
        if p != u32::MAX {
            slots.push((true, p));
        } else {
            slots.push((false, heading_index));
            heading_index += 1;
        }
    }
    drop(paragraph_of_unit);
    // Brackets over headings and paragraphs together, in order.
    let texts: Vec<&str> = slots
        .iter()
        .map(|&(is_paragraph, i)| {
            if is_paragraph {
                draft.paragraphs[i as usize].text.as_str()
            } else {
                draft.headings[i as usize].title.as_str()
            }
        })
        .collect();
    let map = UnitMap { positions: &positions, leading: &leading };
    let per_unit = brackets::match_brackets(&texts, &map, &mut diagnostics);
    drop(texts);
    let markers: Vec<&str> = draft.footnotes.iter().map(|f| f.marker.as_str()).collect();
    for (&(is_paragraph, i), bs) in slots.iter().zip(per_unit) {
        if is_paragraph {
            let p = &mut draft.paragraphs[i as usize];
            p.brackets = bs;
            p.references = references::find(&p.text);
            if !markers.is_empty() {
                p.footnotes = footnote_refs(&p.text, &markers);
            }
        }
    }
    for (i, marker) in label_footnotes {
        let p = &mut draft.paragraphs[i];
        if !p.footnotes.contains(&marker) {
            p.footnotes.insert(0, marker);
        }
    }
    crate::outline::assign_levels(&mut draft.headings, is_section_keyword);
    diagnostics.sort_by_key(|d| (d.line, d.column));
    draft.diagnostics.extend(diagnostics);
}

/// A whole line in braces: an editorial note (`{placement to be determined}`).
fn is_editorial_note(t: &str) -> bool {
    let t = t.trim();
    t.starts_with('{') && t.ends_with('}') && t[1..].find('}').is_some_and(|i| i + 2 == t.len())
}

/// The text of an option label that opens a block of paragraphs: nothing,
/// the range it covers (`(paragraphs 3-3quater)`), editorial notes in braces.
fn is_block_option_text(text: &str) -> bool {
    // Editorial notes out, wherever they stand.
    let mut rest = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => rest.push(c),
            _ => {}
        }
    }
    let rest = rest.trim().trim_end_matches(':').trim();
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return inner.to_lowercase().starts_with("para");
    }
    rest.is_empty()
}

/// The option label before this one in its series: `Option 2` → `Option 1`,
/// `Option (c)` → `Option (b)`, `Option III` → `Option II`.
fn previous_option(label: &str) -> Option<String> {
    let (word, mark) = label.split_once(' ')?;
    let (open, inner, close) = match mark.strip_prefix('(').and_then(|m| m.strip_suffix(')')) {
        Some(inner) => ("(", inner, ")"),
        None => ("", mark, ""),
    };
    let prev = if let Ok(n) = inner.parse::<u32>() {
        n.checked_sub(1).filter(|n| *n > 0)?.to_string()
    } else if let [c] = inner.as_bytes() {
        if *c == b'a' || *c == b'A' {
            return None;
        }
        char::from(c - 1).to_string()
    } else {
        const ROMANS: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
        let k = ROMANS.iter().position(|r| *r == inner)?;
        ROMANS.get(k.checked_sub(1)?)?.to_string()
    };
    Some(format!("{word} {open}{prev}{close}"))
}

/// True when a paragraph's text introduces what follows: nothing of its own,
/// or a colon at the end (`[… the following terms are defined:]`).
fn introduces_list(text: &str) -> bool {
    text.is_empty() || text.trim_end().trim_end_matches([']', ')', '}', '"', '”']).ends_with(':')
}

/// True when `next` is the letter after `prev` (`h` → `i`).
fn is_next_letter(prev: &str, next: &str) -> bool {
    match (prev.as_bytes(), next.as_bytes()) {
        ([p], [n]) => *n == p + 1,
        _ => false,
    }
}

/// Paragraph ids seen so far. Plain numbers (most ids) are kept in a bit set,
/// so the common case costs no allocation and no hashing.
#[derive(Default)]
struct Ids {
    numbers: Vec<u64>,
    others: HashMap<String, u32>,
}

impl Ids {
    fn contains(&self, id: &str) -> bool {
        match plain_number(id) {
            Some(n) => self.numbers.get(n / 64).is_some_and(|w| w & (1 << (n % 64)) != 0),
            None => self.others.contains_key(id),
        }
    }
}

fn plain_number(id: &str) -> Option<usize> {
    if id.is_empty() || id.len() > 7 || !id.bytes().all(|b| b.is_ascii_digit()) || id.starts_with('0') {
        return None;
    }
    id.parse().ok()
}

fn unique_id(ids: &mut Ids, id: String) -> String {
    if let Some(n) = plain_number(&id) {
        if ids.numbers.len() <= n / 64 {
            ids.numbers.resize(n / 64 + 1, 0);
        }
        let word = &mut ids.numbers[n / 64];
        if *word & (1 << (n % 64)) == 0 {
            *word |= 1 << (n % 64);
            return id;
        }
    }
    let n = ids.others.entry(id.clone()).or_insert(0);
    *n += 1;
    match (*n, plain_number(&id)) {
        (1, None) => id,
        // A repeated plain number: its first use is in the bit set.
        (k, Some(_)) => format!("{id}#{}", k + 1),
        (k, None) => format!("{id}#{k}"),
    }
}

fn heading_parts(u: &Unit, outline_seen: bool) -> (String, Option<String>, String, u8) {
    let title = u.text.trim().to_owned();
    match &u.label {
        Some(l) => {
            let level = match l.kind {
                LabelKind::Number { levels, .. } => levels,
                LabelKind::Outline => 1,
                LabelKind::Keyword => {
                    let lower = l.number.to_lowercase();
                    if lower.starts_with("part") || lower.starts_with("chapter") || lower.starts_with("annex")
                    {
                        1
                    } else if outline_seen {
                        2
                    } else {
                        1
                    }
                }
                _ => 1,
            };
            (l.number.clone(), u.written.clone(), title, level)
        }
        None => (title.clone(), None, title, 1),
    }
}

/// True when paragraph numbering starts again under headings (a treaty's
/// articles): then paragraph ids are qualified by their heading.
fn numbering_restarts(units: &[Unit]) -> bool {
    let mut seen_one = false;
    let mut restarts = 0;
    let mut after_heading = false;
    for u in units {
        if u.heading {
            after_heading = true;
            continue;
        }
        if let Some(Label { kind: LabelKind::Number { value, suffixed: false, levels: 1, .. }, .. }) =
            &u.label
        {
            if after_heading && *value == 1 && seen_one {
                restarts += 1;
            }
            seen_one |= *value == 1;
            after_heading = false;
        }
    }
    restarts >= 1
}

/// A set of paragraph numbers, as bits: numbers are dense and small.
#[derive(Default)]
struct NumberSet(Vec<u64>);

impl NumberSet {
    fn contains(&self, n: u32) -> bool {
        self.0.get(n as usize / 64).is_some_and(|w| w & (1 << (n % 64)) != 0)
    }
    fn insert(&mut self, n: u32) {
        let i = n as usize / 64;
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        self.0[i] |= 1 << (n % 64);
    }
    fn remove(&mut self, n: u32) {
        if let Some(w) = self.0.get_mut(n as usize / 64) {
            *w &= !(1 << (n % 64));
        }
    }
    fn clear(&mut self) {
        self.0.clear();
    }
}

/// Numbering gaps, duplicates and disorder among top-level numbered paragraphs.
fn check_numbering(units: &[Unit], diagnostics: &mut Vec<Diagnostic>) {
    let mut last: Option<u32> = None;
    let mut seen = NumberSet::default();
    let mut heading_since = false;
    // Each option of a block numbers its paragraphs from where the block
    // began (`Option 1: 3.` / `Option 2: 3.`, `3bis`): the last number before
    // the first option, and the numbers an option added undone at the next
    // (an undo list, so the check stays linear).
    let mut before_options: Option<Option<u32>> = None;
    let mut added_in_option: Vec<u32> = Vec::new();
    let mut number_column: Option<u32> = None;
    // The highest number any option of the current block reached: the
    // paragraphs after the block follow it.
    let mut block_max: Option<u32> = None;
    for u in units {
        if u.heading {
            heading_since = true;
            before_options = None;
            block_max = None;
            added_in_option.clear();
            continue;
        }
        // A block's options stand at the margin of the numbers; one at a
        // paragraph's hanging indent is an alternative inside that paragraph.
        let at_margin = number_column.is_none_or(|c| u.first_column <= c);
        if let Some(l) = u.label.as_ref().filter(|l| l.kind == LabelKind::Option && at_margin) {
            // `Option 1` (`I`, `(a)`, `A`) opens a new block.
            if is_first_option(&l.number) {
                // A new block follows the last one's highest number.
                last = last.max(block_max);
                before_options = None;
                added_in_option.clear();
            }
            match before_options {
                Some(l) => {
                    for v in added_in_option.drain(..) {
                        seen.remove(v);
                    }
                    last = l;
                }
                None => before_options = Some(last),
            }
            continue;
        }
        let Some(Label { kind: LabelKind::Number { value, suffixed, levels: 1, .. }, number, .. }) = &u.label
        else {
            continue;
        };
        let (line, column) = (u.first_line, u.first_column);
        number_column = Some(column);
        if *suffixed {
            if !seen.contains(*value) {
                warn(
                    diagnostics,
                    "numbering-order",
                    format!("paragraph {number} has no paragraph {value} before it"),
                    line,
                    column,
                );
            }
            continue;
        }
        if *value == 1 && heading_since && last.is_some() {
            seen.clear();
            last = None;
        }
        heading_since = false;
        if let Some(l) = last {
            if seen.contains(*value) {
                warn(
                    diagnostics,
                    "numbering-duplicate",
                    format!("paragraph number {value} is used twice"),
                    line,
                    column,
                );
            } else if *value > l.max(block_max.unwrap_or(0)) + 1 {
                let l = l.max(block_max.unwrap_or(0));
                let missing =
                    if *value == l + 2 { format!("{}", l + 1) } else { format!("{}–{}", l + 1, value - 1) };
                warn(
                    diagnostics,
                    "numbering-gap",
                    format!("paragraph {value} follows {l}: {missing} missing"),
                    line,
                    column,
                );
            } else if *value <= l {
                warn(diagnostics, "numbering-order", format!("paragraph {value} follows {l}"), line, column);
            }
        }
        if before_options.is_some() {
            if !seen.contains(*value) {
                added_in_option.push(*value);
            }
            block_max = block_max.max(Some(*value));
        }
        seen.insert(*value);
        last = Some(*value);
    }
}

/// `Option 1`, `Option I`, `Option (a)`, `Option A`: the first of a block.
fn is_first_option(number: &str) -> bool {
    let last = number.split_whitespace().last().unwrap_or("");
    matches!(last.trim_matches(|c: char| !c.is_alphanumeric()), "1" | "I" | "i" | "a" | "A")
}

/// Footnote markers glued to text: `[[Preamble]1`, `circumstances.2`.
fn footnote_refs(text: &str, markers: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && i > 0 {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let prev = text[..i].chars().next_back();
            let before_prev = text[..i].chars().rev().nth(1);
            let glued = prev.is_some_and(|c| {
                c.is_lowercase() || matches!(c, ']' | ')' | '.' | ',' | ';' | ':' | '”' | '"' | '}')
            }) && !before_prev.is_some_and(|c| c.is_ascii_digit());
            let free_after = j >= b.len() || !b[j].is_ascii_alphanumeric();
            if glued && free_after && !prev.is_some_and(|c| c.is_ascii_digit()) {
                let m = &text[i..j];
                if markers.contains(&m) && !out.iter().any(|x: &String| x == m) {
                    out.push(m.to_owned());
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}
