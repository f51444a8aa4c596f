//! Reading drafts written in Markdown (as the Paris Agreement drafts are kept
//! on the web): `##` headings, numbered and nested lists, `*emphasis*`,
//! `[^n]` footnotes, kramdown attributes, link references, YAML front matter.
//!
//! Markdown is turned, line for line, into the plain shape the text parser
//! already reads — a heading line, `1. …` paragraphs, nested items as
//! `(1) …` sub-paragraphs, bullets as `• …`, footnote references glued to the
//! word as PDF extraction leaves them — so both shapes land in the same
//! model by the same rules. Line numbers are kept, so every source span
//! points into the Markdown file. What is not text (front matter, link
//! definitions, `{:toc}`) is kept as front matter or furniture, never lost.
//!
//! Emphasis (`*x*`, `_x_` italic, `**x**`, `__x__` bold, `***x***` both)
//! is taken out of the text with its place noted, line by line (a span
//! left open closes at its line's end), and laid on the parsed paragraphs
//! afterwards by [`place_emphasis`].

use crate::model::{Draft, Emphasis, EmphasisKind, Footnote, Line, SourceLines};

/// An emphasised span of one output line: (1-based line, start, end in
/// characters of the plain line, kind).
pub(crate) type LineSpan = (u32, u32, u32, EmphasisKind);

/// True when the text is Markdown rather than plain text: YAML front matter,
/// or several `#` headings, footnote definitions or emphasised openings.
pub fn is_markdown(text: &str) -> bool {
    if text.starts_with("---\n") || text.starts_with("---\r\n") {
        return text[3..].contains("\n---");
    }
    let mut evidence = 0;
    for line in text.lines().take(4000) {
        let t = line.trim_start();
        let hashes = t.bytes().take_while(|b| *b == b'#').count();
        let heading = (1..=6).contains(&hashes) && t[hashes..].starts_with(char::is_whitespace);
        let footnote = t.starts_with("[^") && t.contains("]:");
        let strong = t.starts_with("**") || t.starts_with("*[");
        if heading || footnote || strong {
            evidence += 1;
        }
        if evidence >= 3 {
            return true;
        }
    }
    false
}

/// A Markdown draft turned into plain text, with what was taken out of it.
#[derive(Debug, Default)]
pub(crate) struct Plain {
    /// The text, one output line per input line.
    pub text: String,
    /// 1-based lines that are headings (`#` lines), in order.
    pub headings: Vec<u32>,
    /// `[^n]: …` definitions.
    pub footnotes: Vec<Footnote>,
    /// Link definitions and kramdown markup (`{:toc}`), set aside.
    pub furniture: Vec<Line>,
    /// The YAML front matter, verbatim.
    pub front_matter: Vec<Line>,
    /// Emphasis taken out of body lines.
    pub emphasis: Vec<LineSpan>,
}

/// Converts a Markdown draft (see the module documentation).
pub(crate) fn to_plain(text: &str) -> Plain {
    let mut out = Plain { text: String::with_capacity(text.len()), ..Plain::default() };
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let refs = link_labels(&lines);
    let mut in_front = lines.first() == Some(&"---");
    let mut footnote: Option<Footnote> = None;
    for (i, raw) in lines.iter().enumerate() {
        let no = i as u32 + 1;
        let keep = |out: &mut Plain, s: &str| {
            out.text.push_str(s);
            out.text.push('\n');
        };
        if in_front {
            if i > 0 && *raw == "---" {
                in_front = false;
            }
            out.front_matter.push(Line { line: no, text: raw.trim().to_owned() });
            keep(&mut out, "");
            continue;
        }
        let t = raw.trim_start();
        // A footnote definition and its indented continuation lines.
        if let Some((marker, body)) = footnote_definition(t) {
            out.footnotes.extend(footnote.take());
            footnote = Some(Footnote {
                marker: marker.to_owned(),
                text: inline(body, &refs),
                source_lines: SourceLines { first: no, last: no },
                emphasis: Vec::new(),
            });
            keep(&mut out, "");
            continue;
        }
        if let Some(f) = footnote.as_mut() {
            if raw.starts_with([' ', '\t']) && !t.is_empty() {
                crate::lines::join_onto(&mut f.text, &inline(t, &refs));
                f.source_lines.last = no;
                keep(&mut out, "");
                continue;
            }
            if !t.is_empty() {
                out.footnotes.extend(footnote.take());
            }
        }
        if is_furniture(t) {
            out.furniture.push(Line { line: no, text: t.to_owned() });
            keep(&mut out, "");
            continue;
        }
        let hashes = t.bytes().take_while(|b| *b == b'#').count();
        // `##` then a space (or the no-break space some editors leave).
        if (1..=6).contains(&hashes) && t[hashes..].chars().next().is_none_or(char::is_whitespace) {
            let title = inline(t[hashes..].trim().trim_end_matches('#').trim_end(), &refs);
            out.headings.push(no);
            keep(&mut out, &title);
            continue;
        }
        let mut spans = Vec::new();
        let item = list_item(raw, &refs, &mut spans);
        out.emphasis.extend(spans.into_iter().map(|(s, e, k)| (no, s, e, k)));
        keep(&mut out, &item);
    }
    out.footnotes.extend(footnote.take());
    out.text.pop();
    out
}

/// Lays the emphasis taken out of the lines of `plain` (the converted text)
/// onto the paragraphs parsed from it: each paragraph line found in the
/// paragraph's text (its label taken off the first, one space joining the
/// next), and its spans moved with it. A line not found keeps its words
/// and loses its emphasis; the text is never touched. Linear in the text.
pub(crate) fn place_emphasis(draft: &mut Draft, plain: &str, spans: &[LineSpan]) {
    if spans.is_empty() {
        return;
    }
    let lines: Vec<&str> = plain.split('\n').collect();
    let mut by_line: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for (j, p) in draft.paragraphs.iter().enumerate() {
        let last = p.source_lines.last.min(p.source_lines.first.saturating_add(lines.len() as u32));
        for l in p.source_lines.first..=last {
            by_line.entry(l).or_insert(j);
        }
    }
    let mut k = 0;
    while k < spans.len() {
        let Some(&j) = by_line.get(&spans[k].0) else {
            k += 1;
            continue;
        };
        let p = &mut draft.paragraphs[j];
        let (first, last) = (p.source_lines.first, p.source_lines.last);
        let par: Vec<char> = p.text.chars().collect();
        let mut cursor: Option<usize> = None;
        let mut found = Vec::new();
        for no in first..=last.min(lines.len() as u32) {
            let line: Vec<char> = lines[no as usize - 1].trim_end().chars().collect();
            if line.iter().all(|c| c.is_whitespace()) {
                continue;
            }
            let lead = line.iter().take_while(|c| c.is_whitespace()).count();
            let matches = |at: usize, d: usize| {
                let m = (line.len() - d).min(30);
                m > 0 && par.get(at..at + m) == Some(&line[d..d + m])
            };
            let place = match cursor {
                None => (lead..=line.len().min(lead + 80)).find(|&d| matches(0, d)).map(|d| (0, d)),
                Some(c) => (c..c + 4).find(|&at| matches(at, lead)).map(|at| (at, lead)),
            };
            let Some((at, d)) = place else { break };
            cursor = Some(at + line.len() - d);
            while k < spans.len() && spans[k].0 < no {
                k += 1;
            }
            while k < spans.len() && spans[k].0 == no {
                let (_, s, e, kind) = spans[k];
                let map = |x: u32| (at + (x as usize).saturating_sub(d)).min(par.len()) as u32;
                found.push(Emphasis { kind, start: map(s), end: map(e) });
                k += 1;
            }
        }
        // Spans of lines not reached (or not found) are dropped.
        while k < spans.len() && spans[k].0 <= last {
            k += 1;
        }
        p.emphasis =
            crate::emphasis::normalize([std::mem::take(&mut p.emphasis), found].concat(), par.len() as u32);
    }
}

/// `[^12]: text` → (`12`, `text`).
fn footnote_definition(t: &str) -> Option<(&str, &str)> {
    let rest = t.strip_prefix("[^")?;
    let (marker, body) = rest.split_once("]:")?;
    (!marker.is_empty() && marker.len() <= 8 && !marker.contains(' ')).then(|| (marker, body.trim()))
}

/// Link definitions (`[source]: http://…`) and kramdown markup.
fn is_furniture(t: &str) -> bool {
    if t.starts_with("{:") && t.ends_with('}') || t == "* TOC" || t == "- TOC" {
        return true;
    }
    link_definition(t).is_some()
}

fn link_definition(t: &str) -> Option<&str> {
    let rest = t.strip_prefix('[')?;
    let (label, target) = rest.split_once("]:")?;
    let target = target.trim();
    let url = target.starts_with("http") || target.starts_with('/') || target.starts_with('#');
    (url && !label.starts_with('^') && !label.is_empty()).then_some(label)
}

/// The labels of the document's link definitions, lower-cased: only these
/// make `[text][label]` a link (drafts are full of `[a][b]` alternatives).
fn link_labels(lines: &[&str]) -> Vec<String> {
    lines.iter().filter_map(|l| link_definition(l.trim_start())).map(|l| l.to_lowercase()).collect()
}

/// A list item as the text parser reads it: `1. ` at the margin stays a
/// paragraph number, a nested `1. ` becomes `(1) `, `* ` / `- ` a bullet.
fn list_item(raw: &str, refs: &[String], spans: &mut Vec<(u32, u32, EmphasisKind)>) -> String {
    let indent: usize =
        raw.chars().take_while(|c| *c == ' ' || *c == '\t').map(|c| if c == '\t' { 4 } else { 1 }).sum();
    let t = raw.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = digits > 0 && digits <= 4 && t[digits..].starts_with(". ");
    let pad = " ".repeat(indent);
    let (prefix, body) = if ordered && indent >= 2 {
        (format!("{pad}({}) ", &t[..digits]), t[digits + 2..].trim_start())
    } else if let Some(rest) =
        t.strip_prefix("* ").or_else(|| t.strip_prefix("- ")).or_else(|| t.strip_prefix("+ "))
    {
        (format!("{pad}• "), rest)
    } else {
        (pad, t)
    };
    let shift = prefix.chars().count() as u32;
    let text = inline_marked(body, refs, &mut Some(&mut *spans));
    for s in spans.iter_mut() {
        s.0 += shift;
        s.1 += shift;
    }
    prefix + &text
}

/// Inline Markdown out: emphasis and strike-through markers, `[^n]`
/// references glued as markers, `[text][label]` and `[text](url)` links to
/// their text, backslash escapes. Brackets that are not links are the
/// draft's own and stay.
fn inline(s: &str, refs: &[String]) -> String {
    inline_marked(s, refs, &mut None)
}

/// As [`inline`], noting where emphasis stood (in characters of the result)
/// when `spans` is given.
fn inline_marked(s: &str, refs: &[String], spans: &mut Option<&mut Vec<(u32, u32, EmphasisKind)>>) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    // Where the open italic and bold spans started, in characters of `out`.
    let (mut italic, mut bold): (Option<u32>, Option<u32>) = (None, None);
    // (bytes, characters) of `out` counted so far: counting only what was
    // added since keeps a long line linear.
    let mut counted = (0usize, 0u32);
    // A marker closes the open span when it follows a word (`word*`) and
    // opens one when a word follows it (`*word`), as CommonMark's flanking
    // rules say; `regularly**.` with nothing open opens nothing.
    let toggle = |open: &mut Option<u32>,
                  kind,
                  at: u32,
                  (opens, closes): (bool, bool),
                  spans: &mut Option<&mut Vec<_>>| {
        match open.take() {
            Some(start) if closes => {
                if let Some(v) = spans.as_deref_mut() {
                    if start < at {
                        v.push((start, at, kind));
                    }
                }
            }
            Some(start) => *open = Some(start),
            None if opens => *open = Some(at),
            None => {}
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '*' | '_' if is_emphasis(&chars, i) => {
                counted = (out.len(), counted.1 + out[counted.0..].chars().count() as u32);
                let len = counted.1;
                let run = chars[i..].iter().take_while(|&&x| x == c).count();
                // CommonMark's flanking: a marker opens before a word (or before
                // punctuation when it follows a space or punctuation), closes after one.
                let (before, after) = (i.checked_sub(1).map(|k| chars[k]), chars.get(i + run).copied());
                let space = |x: Option<char>| x.is_none_or(char::is_whitespace);
                let punct = |x: Option<char>| x.is_some_and(|x| !x.is_alphanumeric() && !x.is_whitespace());
                let opens = !space(after) && (!punct(after) || space(before) || punct(before));
                let closes = !space(before) && (!punct(before) || space(after) || punct(after));
                let flanks = (opens, closes);
                if run >= 2 {
                    toggle(&mut bold, EmphasisKind::Bold, len, flanks, spans);
                }
                if run % 2 == 1 {
                    toggle(&mut italic, EmphasisKind::Italic, len, flanks, spans);
                }
                i += run;
                continue;
            }
            '~' if chars.get(i + 1) == Some(&'~') => {
                i += 2;
                continue;
            }
            '[' if chars.get(i + 1) == Some(&'^') => {
                if let Some(close) = chars[i..].iter().position(|c| *c == ']') {
                    // Glued to a word as in PDF text; after a number a space
                    // keeps `2015` and marker `1` two words.
                    if out.ends_with(|c: char| c.is_numeric()) {
                        out.push(' ');
                    }
                    out.extend(&chars[i + 2..i + close]);
                    i += close + 1;
                    continue;
                }
            }
            '[' => {
                if let Some(end) = link_end(&chars, i, refs) {
                    let close = i + chars[i..].iter().position(|c| *c == ']').unwrap_or(0);
                    out.push_str(&inline(&chars[i + 1..close].iter().collect::<String>(), refs));
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    let end = out.chars().count() as u32;
    for (open, kind) in [(italic, EmphasisKind::Italic), (bold, EmphasisKind::Bold)] {
        if let (Some(start), Some(v)) = (open, spans.as_deref_mut()) {
            if start < end {
                v.push((start, end, kind));
            }
        }
    }
    out
}

/// `*`/`_` that open or close emphasis: next to a letter, bracket or quote on
/// one side and not a space-surrounded operator (`2 * 3`).
fn is_emphasis(chars: &[char], i: usize) -> bool {
    let mut a = i;
    while a > 0 && chars[a - 1] == chars[i] {
        a -= 1;
    }
    let mut b = i;
    while b + 1 < chars.len() && chars[b + 1] == chars[i] {
        b += 1;
    }
    let before = a.checked_sub(1).map(|k| chars[k]);
    let after = chars.get(b + 1).copied();
    let word = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    if chars[i] == '_' {
        // `no_toc`, `snake_case`: inside a word it is a letter.
        return !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric));
    }
    word(before) || word(after)
}

/// Where `[text][label]` (label defined) or `[text](http…)` ends, if a link.
fn link_end(chars: &[char], i: usize, refs: &[String]) -> Option<usize> {
    let close = i + chars[i..].iter().position(|c| *c == ']')?;
    match chars.get(close + 1) {
        Some('[') => {
            let end = close + 1 + chars[close + 1..].iter().position(|c| *c == ']')?;
            let label: String = chars[close + 2..end].iter().collect();
            let label = if label.is_empty() { chars[i + 1..close].iter().collect() } else { label };
            refs.contains(&label.to_lowercase()).then_some(end + 1)
        }
        Some('(') => {
            let target: String = chars[close + 2..].iter().take(8).collect();
            if !(target.starts_with("http") || target.starts_with('/') || target.starts_with('#')) {
                return None;
            }
            Some(close + 1 + chars[close + 1..].iter().position(|c| *c == ')')? + 1)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_markdown_by_content() {
        assert!(is_markdown("---\ntitle: X\n---\n\n## Article 1\n"));
        assert!(is_markdown("## Preamble\n\n*Recalling* x,\n\n## Article 1\n\n[^1]: note\n"));
        assert!(!is_markdown("Article 1\n\n1. Parties shall [act][decide].\n"));
    }

    #[test]
    fn lines_become_the_plain_shape() {
        let md = "---\ntitle: Paris Agreement\n---\n## Article 2 *(purpose)*\n{:.no_toc}\n\n**Option 1:**\n\n1. The purpose[^3] is [to enhance][to achieve]:\n\n    1.  Hold *the* increase;\n    * a bullet\n\n[^3]: A note\n  that goes on.\n[src]: http://unfccc.int\n";
        let p = to_plain(md);
        let lines: Vec<&str> = p.text.split('\n').collect();
        assert_eq!(lines.len(), md.split('\n').count());
        assert_eq!(lines[3], "Article 2 (purpose)");
        assert_eq!(p.headings, [4]);
        assert_eq!(lines[6], "Option 1:");
        assert_eq!(lines[8], "1. The purpose3 is [to enhance][to achieve]:");
        assert_eq!(lines[10], "    (1) Hold the increase;");
        assert_eq!(lines[11], "    • a bullet");
        assert_eq!(p.footnotes.len(), 1);
        assert_eq!(p.footnotes[0].text, "A note that goes on.");
        assert_eq!(
            p.furniture.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            ["{:.no_toc}", "[src]: http://unfccc.int"]
        );
        assert_eq!(inline("the [final text][src] here", &["src".into()]), "the final text here");
        assert_eq!(inline("2 * 3 and no_toc", &[]), "2 * 3 and no_toc");
    }
}
