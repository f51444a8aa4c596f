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

use crate::model::{Footnote, Line, SourceLines};

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
        keep(&mut out, &list_item(raw, &refs));
    }
    out.footnotes.extend(footnote.take());
    out.text.pop();
    out
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
fn list_item(raw: &str, refs: &[String]) -> String {
    let indent: usize =
        raw.chars().take_while(|c| *c == ' ' || *c == '\t').map(|c| if c == '\t' { 4 } else { 1 }).sum();
    let t = raw.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = digits > 0 && digits <= 4 && t[digits..].starts_with(". ");
    let pad = " ".repeat(indent);
    if ordered && indent >= 2 {
        return format!("{pad}({}) {}", &t[..digits], inline(t[digits + 2..].trim_start(), refs));
    }
    if let Some(rest) = t.strip_prefix("* ").or_else(|| t.strip_prefix("- ")).or_else(|| t.strip_prefix("+ "))
    {
        return format!("{pad}• {}", inline(rest, refs));
    }
    format!("{pad}{}", inline(t, refs))
}

/// Inline Markdown out: emphasis and strike-through markers, `[^n]`
/// references glued as markers, `[text][label]` and `[text](url)` links to
/// their text, backslash escapes. Brackets that are not links are the
/// draft's own and stay.
fn inline(s: &str, refs: &[String]) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '*' | '_' if is_emphasis(&chars, i) => {
                i += 1;
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
