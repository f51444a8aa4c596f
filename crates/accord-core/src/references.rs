//! References to other texts inside a paragraph: resolution and decision
//! symbols (`resolution 68/302`, `1/CP.21`), document symbols (`A/66/77`,
//! `E/2009/92`, `FCCC/CP/2015/L.9/Rev.1`), and citations of paragraphs and
//! articles of named texts ("paragraph 111 of the Tunis Agenda",
//! "(Paragraph 2 of Agenda 2030)", "Article 19 of the Universal Declaration
//! of Human Rights").
//!
//! The scanner works on bytes and recognises only ASCII patterns (symbols and
//! the English words "paragraph"/"article"), reporting character offsets.

use crate::model::{Reference, ReferenceKind};

/// Finds the references in `text`, in order, without overlaps.
pub(crate) fn find(text: &str) -> Vec<Reference> {
    // Most paragraphs cite nothing: three substring searches decide that
    // faster than the byte-by-byte scan below. ("PARAGRAPH 5" in capitals
    // is not looked for.)
    let maybe = text.contains('/') || text.contains("aragraph") || text.contains("rticle");
    if !maybe {
        return Vec::new();
    }
    let b = text.as_bytes();
    let mut found: Vec<(usize, usize, Reference)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' {
            if let Some((s, e, r)) = symbol_at(text, i, found.last().map(|f| f.1)) {
                if found.last().is_none_or(|f| f.1 <= s) {
                    found.push((s, e, r));
                }
                i = e.max(i + 1);
                continue;
            }
        } else if matches!(c, b'p' | b'P' | b'a' | b'A')
            && matches!(b.get(i + 1), Some(b'a' | b'A' | b'r' | b'R'))
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
        {
            if let Some((s, e, r)) = citation_at(text, i) {
                if found.last().is_none_or(|f| f.1 <= s) {
                    found.push((s, e, r));
                }
                i = e;
                continue;
            }
        }
        i += 1;
    }
    // Byte offsets to character offsets, in one pass.
    let mut out = Vec::with_capacity(found.len());
    let mut byte_pos = 0;
    let mut char_pos = 0u32;
    for (s, e, mut r) in found {
        char_pos += text[byte_pos..s].chars().count() as u32;
        let len = text[s..e].chars().count() as u32;
        r.start = char_pos;
        r.end = char_pos + len;
        char_pos += len;
        byte_pos = e;
        out.push(r);
    }
    out
}

fn is_symbol_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'/' || c == b'.' || c == b'-'
}

fn symbol_at(text: &str, slash: usize, previous_end: Option<usize>) -> Option<(usize, usize, Reference)> {
    let b = text.as_bytes();
    let mut s = slash;
    while s > 0 && is_symbol_byte(b[s - 1]) {
        s -= 1;
    }
    let mut e = slash + 1;
    while e < b.len() && is_symbol_byte(b[e]) {
        e += 1;
    }
    while e > slash + 1 && matches!(b[e - 1], b'.' | b'-') {
        e -= 1;
    }
    while s < slash && matches!(b[s], b'.' | b'-') {
        s += 1;
    }
    let token = &text[s..e];
    let parts: Vec<&str> = token.split('/').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let has_digit = token.bytes().any(|c| c.is_ascii_digit());
    let first = parts[0];
    let first_upper = !first.is_empty() && first.len() <= 6 && first.bytes().all(|c| c.is_ascii_uppercase());
    if first_upper && parts.len() >= 3 && has_digit {
        return Some((s, e, reference(ReferenceKind::Document, token, Some(token))));
    }
    let numeric = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit());
    // Decisions: 1/CP.21, 2/CMA.1.
    if parts.len() == 2 && numeric(parts[0]) {
        let second = parts[1];
        if let Some((body, session)) = second.split_once('.') {
            if (2..=4).contains(&body.len())
                && body.bytes().all(|c| c.is_ascii_uppercase())
                && numeric(session)
            {
                return Some((s, e, reference(ReferenceKind::Resolution, token, Some(token))));
            }
        }
        if numeric(second) {
            let years = parts.iter().all(|p| p.len() == 4);
            let keyword = preceded_by_keyword(text, s) || previous_end.is_some_and(|pe| chained(text, pe, s));
            if keyword && !years {
                return Some((s, e, reference(ReferenceKind::Resolution, token, Some(token))));
            }
        }
    }
    None
}

/// "resolution 68/302", "resolutions 55/63", "decision 1/CP.17", "A/RES/70/1".
fn preceded_by_keyword(text: &str, s: usize) -> bool {
    let before = text[..s].trim_end();
    let word_start =
        before.char_indices().rev().find(|(_, c)| !c.is_alphanumeric()).map_or(0, |(p, c)| p + c.len_utf8());
    let word = before[word_start..].to_ascii_lowercase();
    matches!(word.as_str(), "resolution" | "resolutions" | "decision" | "decisions")
}

/// "55/63 and 56/121", "68/302, 69/1": a list after a keyword.
fn chained(text: &str, previous_end: usize, s: usize) -> bool {
    if previous_end > s {
        return false;
    }
    let gap = text[previous_end..s].trim();
    matches!(gap, "," | "and" | ", and" | ";" | "or")
}

fn reference(kind: ReferenceKind, text: &str, symbol: Option<&str>) -> Reference {
    Reference {
        kind,
        text: text.to_owned(),
        start: 0,
        end: 0,
        symbol: symbol.map(str::to_owned),
        targets: Vec::new(),
        document: None,
    }
}

fn word_ci(text: &str, at: usize, word: &str) -> bool {
    text.len() >= at + word.len()
        && text.as_bytes()[at..at + word.len()].eq_ignore_ascii_case(word.as_bytes())
}

const NAME_JOINERS: &[&str] = &["for", "of", "on", "and", "the"];

/// "paragraph(s) N[, N][ and|to N] [of [the] Name]", "Article(s) N[, paragraph N] [of [the] Name]".
fn citation_at(text: &str, i: usize) -> Option<(usize, usize, Reference)> {
    let (kind, mut j) = if word_ci(text, i, "paragraphs") {
        (ReferenceKind::Paragraph, i + 10)
    } else if word_ci(text, i, "paragraph") {
        (ReferenceKind::Paragraph, i + 9)
    } else if word_ci(text, i, "articles") {
        (ReferenceKind::Article, i + 8)
    } else if word_ci(text, i, "article") {
        (ReferenceKind::Article, i + 7)
    } else {
        return None;
    };
    let b = text.as_bytes();
    if j < b.len() && b[j].is_ascii_alphabetic() {
        return None;
    }
    let mut targets: Vec<String> = Vec::new();
    let mut range_pending = false;
    let mut end;
    loop {
        let k = skip_spaces(b, j);
        let n_end = number_end(b, k);
        if n_end == k {
            break;
        }
        let n = &text[k..n_end];
        if range_pending {
            expand_range(&mut targets, n);
            range_pending = false;
        } else {
            targets.push(n.to_owned());
        }
        j = n_end;
        end = j;
        // Continue a list: ", 12", " and 12", " to 12", "-12".
        let k = skip_spaces(b, j);
        if k < b.len() && b[k] == b',' && number_end(b, skip_spaces(b, k + 1)) > skip_spaces(b, k + 1) {
            j = k + 1;
            continue;
        }
        if word_ci(text, k, "and ") {
            j = k + 3;
            continue;
        }
        if word_ci(text, k, "to ") || (k < b.len() && (b[k] == b'-' || text[k..].starts_with('–'))) {
            j = if word_ci(text, k, "to ") { k + 2 } else { k + text[k..].chars().next()?.len_utf8() };
            range_pending = true;
            continue;
        }
        let _ = end;
        break;
    }
    if targets.is_empty() {
        return None;
    }
    end = j;
    // "Article 4, paragraph 9 of the Convention": the paragraph is part of the article citation.
    if kind == ReferenceKind::Article {
        let k = skip_spaces(b, j);
        if k < b.len() && b[k] == b',' {
            let p = skip_spaces(b, k + 1);
            if word_ci(text, p, "paragraph ") {
                let ns = skip_spaces(b, p + 10);
                let ne = number_end(b, ns);
                if ne > ns {
                    let last = targets.len() - 1;
                    targets[last] = format!("{}({})", targets[last], &text[ns..ne]);
                    end = ne;
                }
            }
        }
    }
    // " of [the] Name": the name of the cited text.
    let mut document = None;
    let k = skip_spaces(b, end);
    if word_ci(text, k, "of ") {
        let mut n = skip_spaces(b, k + 3);
        if word_ci(text, n, "the ") {
            n = skip_spaces(b, n + 4);
        }
        if let Some(name_end) = name_end(text, n) {
            document = Some(text[n..name_end].to_owned());
            end = name_end;
        }
    }
    let mut r = reference(kind, &text[i..end], None);
    r.targets = targets;
    r.document = document;
    Some((i, end, r))
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    i
}

/// End of a paragraph/article number: digits, optionally followed by a
/// letter or `bis` ("12", "4.2", "12bis"), or a roman numeral.
fn number_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len()
        && (b[j].is_ascii_digit() || (b[j] == b'.' && j + 1 < b.len() && b[j + 1].is_ascii_digit() && j > i))
    {
        j += 1;
    }
    if j == i {
        return i;
    }
    if j < b.len() && b[j].is_ascii_alphanumeric() {
        return i; // "2030s", "5G": not a paragraph number
    }
    j
}

fn expand_range(targets: &mut Vec<String>, to: &str) {
    let from = targets.last().and_then(|t| t.parse::<u32>().ok());
    match (from, to.parse::<u32>()) {
        (Some(a), Ok(z)) if z > a && z - a <= 100 => targets.extend((a + 1..=z).map(|n| n.to_string())),
        _ => targets.push(to.to_owned()),
    }
}

/// End of a document name starting at `i`: capitalised words (and digits),
/// joined by small words only when a capitalised word follows.
fn name_end(text: &str, i: usize) -> Option<usize> {
    let starts_upper = |k: usize| text[k..].chars().next().is_some_and(|c| c.is_uppercase());
    let b = text.as_bytes();
    // "the 2030 Agenda": a year may open a name when a capitalised word follows.
    let year_first = {
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        digits == 4 && b.get(i + 4) == Some(&b' ') && starts_upper(i + 5)
    };
    if !starts_upper(i) && !year_first {
        return None;
    }
    let word_at = |k: usize| {
        let mut e = k;
        while e < b.len() && !matches!(b[e], b' ' | b',' | b';' | b':' | b'(' | b')' | b'[' | b']' | b'"') {
            e += 1;
        }
        // A full stop ends the name unless it belongs to an abbreviation ("No.").
        let mut w = e;
        while w > k && matches!(b[w - 1], b'.' | b'\'') {
            w -= 1;
        }
        w
    };
    let mut end = word_at(i);
    let mut k = end;
    loop {
        let s = skip_spaces(b, k);
        if s >= b.len() || s == k {
            break;
        }
        let e = word_at(s);
        if e == s {
            break;
        }
        let word = &text[s..e];
        if matches!(word, "Paragraph" | "Paragraphs" | "Article" | "Articles") {
            break; // the next citation begins
        }
        let capital = word.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if capital {
            end = e;
            k = e;
        } else if NAME_JOINERS.contains(&word) {
            k = e; // tentatively; kept only if a capitalised word follows
        } else {
            break;
        }
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (kind, text, symbol, targets, document) of each reference.
    type Found = (ReferenceKind, String, Option<String>, Vec<String>, Option<String>);

    fn refs(t: &str) -> Vec<Found> {
        find(t).into_iter().map(|r| (r.kind, r.text, r.symbol, r.targets, r.document)).collect()
    }

    #[test]
    fn a_year_may_open_a_document_name() {
        let r = refs("as noted (Paragraph 14 of the 2030 Agenda);");
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].4.as_deref(), Some("2030 Agenda"));
        assert_eq!(r[0].3, ["14"]);
        // A year alone is no name.
        let r = refs("see paragraph 3 of 2030 onwards");
        assert!(r.iter().all(|x| x.4.is_none()), "{r:?}");
    }

    #[test]
    fn symbols() {
        let r = refs("the General Assembly, in its resolution 68/302 of 31 July 2014, decided");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].2.as_deref(), Some("68/302"));
        let r = refs("reports (A/66/77; E/2009/92) and the work");
        assert_eq!(r.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(), vec!["A/66/77", "E/2009/92"]);
        assert!(r.iter().all(|x| x.0 == ReferenceKind::Document));
        let r = refs("UNGA resolutions 55/63 and 56/121 on");
        assert_eq!(r.len(), 2);
        assert!(refs("This means that 2/3 of the population").is_empty());
        assert!(refs("in [2020/2025], which").is_empty());
        assert_eq!(refs("decision 1/CP.21 and")[0].1, "1/CP.21");
        assert_eq!(refs("see FCCC/CP/2015/L.9/Rev.1.")[0].1, "FCCC/CP/2015/L.9/Rev.1");
    }

    #[test]
    fn citations() {
        let r = refs("the request in paragraph 111 of the Tunis Agenda for the Information Society to the General Assembly");
        assert_eq!(r[0].0, ReferenceKind::Paragraph);
        assert_eq!(r[0].3, vec!["111"]);
        assert_eq!(r[0].4.as_deref(), Some("Tunis Agenda for the Information Society"));
        let r = refs("business. (Paragraph 2 of Agenda 2030) [Suggested");
        assert_eq!(r[0].1, "Paragraph 2 of Agenda 2030");
        let r = refs("(Paragraph 62 of Agenda 2030 and Paragraph 1 of Addis Ababa Action Agenda)");
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].4.as_deref(), Some("Addis Ababa Action Agenda"));
        let r = refs("detailed in paragraphs 69 to 71 of the Tunis Agenda to enable");
        assert_eq!(r[0].3, vec!["69", "70", "71"]);
        let r = refs("commitment to Article 19 of the Universal Declaration of Human Rights, that");
        assert_eq!(r[0].0, ReferenceKind::Article);
        assert_eq!(r[0].4.as_deref(), Some("Universal Declaration of Human Rights"));
        let r = refs("identified in Article 4, paragraph 8, of the Convention");
        assert_eq!(r[0].3, vec!["4(8)"]);
        assert!(refs("the paragraph as a whole").is_empty());
    }

    #[test]
    fn offsets_are_characters() {
        let t = "Jānis cites résolution 70/1 — resolution 70/1.";
        let r = find(t);
        assert_eq!(r.len(), 1);
        let chars: Vec<char> = t.chars().collect();
        let got: String = chars[r[0].start as usize..r[0].end as usize].iter().collect();
        assert_eq!(got, "70/1");
    }
}
