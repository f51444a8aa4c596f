//! The draft as data for the typst template.
//!
//! The template never sees the draft as markup: every title, paragraph and
//! letter line travels as a JSON string that typst sets as text, so `#`, `*`,
//! `$`, `\`, `]`, `@`, `<` and backticks come out as written, with nothing to
//! escape and nothing to get wrong. What the template needs to lay a draft
//! out is worked out here: the label in front of each paragraph, its depth,
//! where its footnote markers sit, the status tag after it, the language.

use std::collections::HashMap;

use accord_core::{Draft, Letter, Paragraph, Status};
use serde::Serialize;

use crate::fonts::{self, Primary, Scripts};
use crate::PrintOptions;

/// Everything the template sets.
#[derive(Debug, Serialize)]
pub(crate) struct Doc<'a> {
    /// Text language (`en`, `ar`, `zh`), for line breaking and the PDF's metadata.
    pub lang: &'static str,
    /// Set right to left.
    pub rtl: bool,
    /// Font families in fallback order.
    pub fonts: Vec<&'static str>,
    /// The short title in the running header.
    pub running_title: String,
    /// The PDF's title metadata.
    pub pdf_title: String,
    /// Letters printed before the document, each from a new page.
    pub letters: Vec<LetterData<'a>>,
    /// Lines in front of the title (mastheads, "Non-paper").
    pub front: Vec<&'a str>,
    /// The document's title.
    pub title: Option<&'a str>,
    /// The title's status tag as written (`[Suggested for Closure]`).
    pub title_tag: Option<String>,
    /// The date line.
    pub date: Option<&'a str>,
    /// Headings and paragraphs in document order.
    pub blocks: Vec<Block<'a>>,
}

/// A letter, line by line.
#[derive(Debug, Serialize)]
pub(crate) struct LetterData<'a> {
    pub letterhead: &'a [String],
    pub date: Option<&'a str>,
    pub salutation: Option<&'a str>,
    /// Each body paragraph as runs (see [`pieces`]).
    pub body: Vec<Vec<Run>>,
    pub signatures: &'a [Vec<String>],
    pub addressees: &'a [String],
}

impl<'a> From<&'a Letter> for LetterData<'a> {
    fn from(l: &'a Letter) -> Self {
        LetterData {
            letterhead: &l.letterhead,
            date: l.date.as_deref(),
            salutation: l.salutation.as_deref(),
            body: l.body.iter().map(|b| pieces(b)).collect(),
            signatures: &l.signatures,
            addressees: &l.addressees,
        }
    }
}

/// A heading or a paragraph.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Block<'a> {
    /// A section heading.
    Heading { number: Option<&'a str>, title: &'a str, level: u8 },
    /// A paragraph, sub-paragraph or option.
    Paragraph {
        /// The hanging label (`12.`, `(a)`, `Option 1:`), none when unnumbered.
        label: Option<String>,
        /// 0 for a paragraph, 1 for its sub-paragraphs, …
        depth: usize,
        /// The text, cut where footnote markers sit.
        runs: Vec<Run>,
        /// The status tag as written, after the text.
        tag: Option<String>,
    },
}

/// How a piece of text is set: italic, bold, underlined (each written only when on).
#[derive(Debug, Serialize, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Set {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    italic: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    bold: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    underline: bool,
}

/// A piece of paragraph text.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Run {
    /// Text as written.
    Text {
        text: String,
        #[serde(flatten)]
        set: Set,
    },
    /// A word no line may break inside (see [`pieces`]).
    Keep {
        keep: String,
        #[serde(flatten)]
        set: Set,
    },
    /// A footnote marker, with the note set at the foot of the page.
    Note { marker: String, note: String },
}

/// The status tag as a draft writes it: `[Suggested for Closure, given new figures]`.
pub(crate) fn status_tag(status: Status, note: Option<&str>) -> Option<String> {
    (status != Status::Open).then(|| match note {
        Some(n) => format!("[{}, {n}]", status.tag()),
        None => format!("[{}]", status.tag()),
    })
}

/// The label printed in a paragraph's hanging indent.
fn label(p: &Paragraph) -> Option<String> {
    if let Some(o) = &p.option {
        return Some(format!("{o}:"));
    }
    let n = p.number.as_deref()?;
    // Top-level numbers lost their full stop in the model ("12", "12 bis");
    // sub-paragraph labels are written whole ("(a)", "i)").
    let ends_alnum = n.chars().next_back().is_some_and(char::is_alphanumeric);
    Some(if p.parent.is_none() && ends_alnum { format!("{n}.") } else { n.to_owned() })
}

/// Nesting depth of each paragraph: parents come before their children.
fn depths(draft: &Draft) -> Vec<usize> {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    draft
        .paragraphs
        .iter()
        .map(|p| {
            let d = p.parent.as_deref().and_then(|id| by_id.get(id)).map_or(0, |d| (d + 1).min(6));
            by_id.insert(&p.id, d);
            d
        })
        .collect()
}

/// Where `marker` is glued to the text as a footnote reference (`circumstances.2`,
/// `Agenda1`): the byte range of its first such occurrence.
fn marker_at(text: &str, marker: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = text[from..].find(marker).map(|i| i + from) {
        let j = i + marker.len();
        let prev = text[..i].chars().next_back();
        let next = text[j..].chars().next();
        let glued = prev.is_some_and(|c| {
            c.is_lowercase() || matches!(c, ']' | ')' | '.' | ',' | ';' | ':' | '”' | '"' | '}')
        });
        let digits = marker.starts_with(|c: char| c.is_ascii_digit());
        let free_before = !(digits && prev.is_some_and(|c| c.is_ascii_digit()));
        let free_after = next.is_none_or(|c| !c.is_alphanumeric());
        if glued && free_before && free_after {
            return Some((i, j));
        }
        from = j;
    }
    None
}

/// Longest word kept whole; a longer one may break (and would overflow the line otherwise).
const KEEP_MAX: usize = 80;

/// A line may break inside `word` at more places than `pdftotext` reads back
/// without a space: after `/` (web addresses, `and/or`), after a dash, after
/// a closing bracket (`}Z`), after a hyphen that does not stand between
/// letters (`10-year`). So a word with any sign inside it, other than a hyphen
/// between letters or an apostrophe, is kept whole. Words of Chinese,
/// Japanese or Korean text are never kept whole: they break between characters.
fn breaks_badly(word: &str) -> bool {
    if word.chars().count() > KEEP_MAX || word.chars().any(fonts::is_cjk) {
        return false;
    }
    let chars: Vec<char> = word.chars().collect();
    let letter = |c: char| c.is_alphanumeric() || is_mark(c);
    chars.iter().enumerate().take(chars.len().saturating_sub(1)).any(|(i, &c)| match c {
        c if letter(c) => false,
        '\'' | '’' => false,
        '-' => !(i > 0 && chars[i - 1].is_alphabetic() && letter(chars[i + 1])),
        _ => true,
    })
}

/// Combining marks (Latin accents, Arabic vowels): part of the letter they sit on.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}')
}

/// Text cut into runs: words a line must not break inside are kept apart.
pub(crate) fn pieces(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        // Words are maximal runs of non-space characters (ASCII space splits
        // all the text a draft uses between words; other spaces stay inside).
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let end = text[i..].find(' ').map_or(text.len(), |j| i + j);
        let word = &text[i..end];
        if breaks_badly(word) {
            if i > plain_from {
                out.push(Run::Text { text: text[plain_from..i].to_owned(), set: Set::default() });
            }
            out.push(Run::Keep { keep: word.to_owned(), set: Set::default() });
            plain_from = end;
        }
        i = end;
    }
    if plain_from < text.len() || out.is_empty() {
        out.push(Run::Text { text: text[plain_from..].to_owned(), set: Set::default() });
    }
    out
}

/// [`pieces`] of the paragraph's bytes `from..to`, cut where its emphasis
/// changes and set as it says.
fn styled_pieces(p: &Paragraph, from: usize, to: usize) -> Vec<Run> {
    if p.emphasis.is_empty() {
        return pieces(&p.text[from..to]);
    }
    // Character offsets of the spans as byte offsets of the text.
    let bytes: Vec<usize> = p.text.char_indices().map(|(b, _)| b).chain([p.text.len()]).collect();
    let len = (bytes.len() - 1) as u32;
    let mut out = Vec::new();
    for (a, b, style) in accord_core::emphasis::pieces(len, &p.emphasis) {
        let (x, y) = (bytes[a as usize].max(from), bytes[b as usize].min(to));
        if x >= y {
            continue;
        }
        let set = Set { italic: style.italic, bold: style.bold, underline: style.underline };
        for mut run in pieces(&p.text[x..y]) {
            if let Run::Text { set: s, .. } | Run::Keep { set: s, .. } = &mut run {
                *s = set;
            }
            out.push(run);
        }
    }
    out
}

/// Cuts a paragraph's text at its footnote markers; markers that cannot be
/// found in the text go after it, so no note is lost.
fn runs(p: &Paragraph, notes: &HashMap<&str, &str>, trailing: &[(&str, &str)]) -> Vec<Run> {
    let mut cuts: Vec<(usize, usize, &str)> = Vec::new();
    let mut unplaced: Vec<&str> = Vec::new();
    for m in &p.footnotes {
        let found = notes.contains_key(m.as_str()).then(|| marker_at(&p.text, m)).flatten();
        match found {
            Some((a, b)) if !cuts.iter().any(|&(x, y, _)| a < y && x < b) => cuts.push((a, b, m)),
            _ if notes.contains_key(m.as_str()) => unplaced.push(m),
            _ => {}
        }
    }
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut pos = 0;
    for (a, b, m) in cuts {
        if a > pos {
            out.extend(styled_pieces(p, pos, a));
        }
        out.push(Run::Note { marker: m.to_owned(), note: notes[m].to_owned() });
        pos = b;
    }
    if pos < p.text.len() || out.is_empty() {
        out.extend(styled_pieces(p, pos, p.text.len()));
    }
    for m in unplaced {
        out.push(Run::Note { marker: m.to_owned(), note: notes[m].to_owned() });
    }
    for (m, n) in trailing {
        out.push(Run::Note { marker: (*m).to_owned(), note: (*n).to_owned() });
    }
    out
}

/// The running header's short title: the caller's, else the title cut at a
/// word boundary to fit one line, else the date line.
fn running_title(draft: &Draft, options: &PrintOptions) -> String {
    if let Some(t) = &options.running_title {
        return t.clone();
    }
    let Some(title) = draft.title.as_deref().or(draft.date.as_deref()) else {
        return String::new();
    };
    const MAX: usize = 70;
    if title.chars().count() <= MAX {
        return title.to_owned();
    }
    let mut out = String::new();
    for w in title.split_whitespace() {
        if out.chars().count() + w.chars().count() + 2 > MAX {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    // A header ending in a sentence's full stop would read as body text.
    let out = out.trim_end_matches([',', ';', ':', '.']);
    format!("{out} …")
}

/// The script most of the draft's letters are written in.
fn primary(draft: &Draft) -> Primary {
    let (mut arabic, mut cjk, mut other) = (0usize, 0usize, 0usize);
    let texts = draft.paragraphs.iter().map(|p| p.text.as_str()).chain(draft.title.as_deref());
    for c in texts.flat_map(str::chars).filter(|c| c.is_alphabetic()) {
        if fonts::is_arabic(c) {
            arabic += 1;
        } else if fonts::is_cjk(c) {
            cjk += 1;
        } else {
            other += 1;
        }
    }
    if arabic > other && arabic >= cjk {
        Primary::Arabic
    } else if cjk * 2 > other && cjk > arabic {
        // A Chinese character carries a word's worth of letters.
        Primary::Chinese
    } else {
        Primary::Latin
    }
}

/// Every text a PDF of `draft` with `letters` sets, to know which fonts it needs.
pub(crate) fn scripts(draft: &Draft, letters: &[&Letter]) -> Scripts {
    let mut s = Scripts::default();
    let mut add = |t: &str| s = s.union(Scripts::of(t));
    for l in letters {
        l.letterhead
            .iter()
            .chain(&l.body)
            .chain(&l.addressees)
            .chain(l.signatures.iter().flatten())
            .for_each(|t| add(t));
        l.date.iter().chain(&l.salutation).for_each(|t| add(t));
    }
    draft.title.iter().chain(&draft.date).for_each(|t| add(t));
    draft.front_matter.iter().for_each(|l| add(&l.text));
    draft.headings.iter().for_each(|h| add(&h.title));
    draft.paragraphs.iter().for_each(|p| add(&p.text));
    draft.footnotes.iter().for_each(|f| add(&f.text));
    s
}

/// The template's data for `draft`, after `letters`.
pub(crate) fn doc<'a>(draft: &'a Draft, letters: &[&'a Letter], options: &PrintOptions) -> Doc<'a> {
    let primary = primary(draft);
    let (lang, rtl) = match (&options.language, primary) {
        (Some(l), _) => (language(l), l.starts_with("ar") || l.starts_with("he") || l.starts_with("fa")),
        (None, Primary::Arabic) => ("ar", true),
        (None, Primary::Chinese) => ("zh", false),
        (None, Primary::Latin) => ("en", false),
    };
    let notes: HashMap<&str, &str> =
        draft.footnotes.iter().map(|f| (f.marker.as_str(), f.text.as_str())).collect();
    // Footnotes no paragraph refers to go under the last paragraph.
    let referred: std::collections::HashSet<&str> =
        draft.paragraphs.iter().flat_map(|p| p.footnotes.iter().map(String::as_str)).collect();
    let orphans: Vec<(&str, &str)> = draft
        .footnotes
        .iter()
        .filter(|f| !referred.contains(f.marker.as_str()))
        .map(|f| (f.marker.as_str(), f.text.as_str()))
        .collect();
    let depth = depths(draft);
    let mut blocks = Vec::with_capacity(draft.paragraphs.len() + draft.headings.len());
    let mut headings = draft.headings.iter().peekable();
    let last = draft.paragraphs.len().saturating_sub(1);
    for (i, p) in draft.paragraphs.iter().enumerate() {
        while let Some(h) = headings.next_if(|h| h.first_paragraph <= i) {
            blocks.push(Block::Heading { number: h.number.as_deref(), title: &h.title, level: h.level });
        }
        let trailing: &[(&str, &str)] = if i == last { &orphans } else { &[] };
        blocks.push(Block::Paragraph {
            label: label(p),
            depth: depth[i],
            runs: runs(p, &notes, trailing),
            tag: status_tag(p.status, p.status_note.as_deref()),
        });
    }
    for h in headings {
        blocks.push(Block::Heading { number: h.number.as_deref(), title: &h.title, level: h.level });
    }
    Doc {
        lang,
        rtl,
        fonts: fonts::families(match (rtl, lang) {
            (true, _) => Primary::Arabic,
            (false, "zh" | "ja" | "ko") => Primary::Chinese,
            _ => primary,
        }),
        running_title: running_title(draft, options),
        pdf_title: draft.title.clone().or_else(|| draft.date.clone()).unwrap_or_default(),
        letters: letters.iter().map(|l| LetterData::from(*l)).collect(),
        front: draft.front_matter.iter().map(|l| l.text.as_str()).collect(),
        title: draft.title.as_deref(),
        title_tag: status_tag(draft.title_status, draft.title_status_note.as_deref()),
        date: draft.date.as_deref(),
        blocks,
    }
}

/// A language code typst knows: the primary subtag, lower-case, two or three letters.
fn language(tag: &str) -> &'static str {
    let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    match primary.as_str() {
        "ar" => "ar",
        "zh" => "zh",
        "fr" => "fr",
        "es" => "es",
        "ru" => "ru",
        "ja" => "ja",
        "ko" => "ko",
        "he" => "he",
        "fa" => "fa",
        "de" => "de",
        "pt" => "pt",
        _ => "en",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footnote_markers_are_found_where_they_are_glued() {
        assert_eq!(marker_at("in these circumstances.2 We", "2"), Some((23, 24)));
        assert_eq!(marker_at("adopted 2015, and the Agenda1", "1"), Some((28, 29)));
        // A number in the text is not a marker.
        assert_eq!(marker_at("resolution 70/1 of 25 September", "1"), None);
        assert_eq!(marker_at("in 12 places", "2"), None);
    }

    #[test]
    fn words_that_would_break_badly_are_kept_whole() {
        let runs = pieces(
            "see <http://un.org/ws10/Side-Events>, 2/3 of a 10-year plan, multi-stakeholder and 10am–1pm",
        );
        let kept: Vec<&str> = runs
            .iter()
            .filter_map(|r| match r {
                Run::Keep { keep, .. } => Some(keep.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(kept, ["<http://un.org/ws10/Side-Events>,", "2/3", "10-year", "10am–1pm"]);
        assert!(matches!(pieces("}Z").as_slice(), [Run::Keep { .. }]));
        assert!(matches!(pieces("Co-Facilitators, it’s the end.").as_slice(), [Run::Text { .. }]));
        // Nothing is lost or added.
        let joined: String = runs
            .iter()
            .map(|r| match r {
                Run::Keep { keep, .. } => keep.as_str(),
                Run::Text { text, .. } => text.as_str(),
                Run::Note { .. } => "",
            })
            .collect();
        assert_eq!(
            joined,
            "see <http://un.org/ws10/Side-Events>, 2/3 of a 10-year plan, multi-stakeholder and 10am–1pm"
        );
        // Chinese breaks between characters.
        assert!(matches!(pieces("人人/生而自由").as_slice(), [Run::Text { .. }]));
    }

    #[test]
    fn labels_keep_what_was_written() {
        let d = accord_core::parse(
            "Preamble\n\n1. Recalling its resolution 70/1,\n\n1. Decides to:\n(a) Hold a meeting;\n(b) Report;\n",
        );
        let labels: Vec<_> = d.paragraphs.iter().map(label).collect();
        assert_eq!(labels[0].as_deref(), Some("1."));
        assert!(labels.iter().any(|l| l.as_deref() == Some("(a)")), "{labels:?}");
    }

    #[test]
    fn long_titles_are_cut_at_a_word_for_the_header() {
        let d = accord_core::parse(
            "Outcome Document of the High-Level Meeting of the General Assembly on the Overall Review of the Implementation of WSIS Outcomes\n\nDraft Outcome Document – 7 December 2015\n\n1. We reaffirm.\n",
        );
        let t = running_title(&d, &PrintOptions::default());
        assert!(t.chars().count() <= 72 && t.ends_with(" …"), "{t}");
        assert!(t.starts_with("Outcome Document of the High-Level Meeting"), "{t}");
    }
}
