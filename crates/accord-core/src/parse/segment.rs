//! Pass 3 of the parser: the body, line by line, into units (headings and
//! paragraphs) — where the document starts, which lines are headings, and
//! which lines go on with the unit before them (wrapped lines, hanging
//! indents, paragraphs broken across pages).

use super::*;

/// How a unit's latest line ends. A status tag closes a paragraph, whatever
/// stands before it.
pub(super) fn unit_ending(line: &str) -> Ending {
    match status::find_tag(line) {
        Some(tag) if tag.range.end == line.len() => Ending::Terminal,
        _ => lines::ending(line),
    }
}

/// Is this the first line of the document proper (after letters and title)?
pub(super) fn is_structural(line: &str, next: Option<&str>) -> bool {
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
pub(super) fn is_section_keyword(t: &str) -> bool {
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
pub(super) fn keyword_heading_rest(rest: &str) -> bool {
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

pub(super) fn document_start(body: &[SrcLine<'_>]) -> usize {
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
pub(super) fn keyword_value(number: &str) -> Option<(String, (u32, bool))> {
    let (word, mark) = number.split_once(' ')?;
    let digits: String = mark.chars().take_while(|c| c.is_ascii_digit()).collect();
    let inserted = mark[digits.len()..].trim_start().starts_with(|c: char| c.is_alphabetic());
    Some((word.to_lowercase(), (digits.parse().ok()?, inserted)))
}

/// Layout facts that decide whether a line continues the one before.
pub(super) struct Wrap {
    /// True when the text is wrapped at a page width (PDF extraction with
    /// layout), false for one line per paragraph.
    wrapped: bool,
    /// A line this long (in characters) reached the right margin.
    full: usize,
    /// Lines far longer than a page is wide: each holds a whole paragraph.
    whole_lines: bool,
}

pub(super) fn wrap_facts(lines_: &[SrcLine<'_>]) -> Wrap {
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
pub(super) struct Numbering {
    last: Option<u32>,
}

impl Numbering {
    fn plausible(&self, value: u32) -> bool {
        value == 1 || self.last.is_none_or(|l| value == l + 1 || value == l)
    }
}

/// Cuts the body into units.
pub(super) fn segment(body: &[SrcLine<'_>], headings: &[u32]) -> Vec<Unit> {
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
pub(super) fn continues(
    cur: &Unit,
    line: &SrcLine<'_>,
    label: Option<&Label>,
    blank_before: bool,
    wrap: &Wrap,
) -> bool {
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

pub(super) fn is_labelled_heading(t: &str, l: &Label, next: Option<&str>, numbering: &Numbering) -> bool {
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

pub(super) fn is_plain_heading(
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
