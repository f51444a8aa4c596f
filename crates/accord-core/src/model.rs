//! The document model of a negotiation draft.
//!
//! A [`Draft`] is what a co-facilitator circulates: covering letters, then the
//! document itself (title, date line, headings, paragraphs), plus what the
//! parser set aside (page furniture) and what it noticed (diagnostics).
//!
//! The model is flat where that keeps it simple to serialise and compare
//! (paragraphs in document order, each with the heading it stands under) and a
//! tree where the negotiation needs one: a paragraph's brackets nest, and
//! [`Paragraph::content`] gives the text as a tree of runs, brackets and
//! references. Offsets into paragraph text are in characters (Unicode scalar
//! values), never bytes, so that they mean the same thing in every language.

use serde::{Deserialize, Serialize};

/// A parsed draft package: letters and the document, as one value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Draft {
    /// The document's title, as written, without its status tag.
    pub title: Option<String>,
    /// The status tag on the title (`[Suggested for Closure]` after the title).
    pub title_status: Status,
    /// The qualifier of the title's status tag, when there is one.
    pub title_status_note: Option<String>,
    /// The date line under the title ("Draft Outcome Document – 7 December 2015").
    pub date: Option<String>,
    /// Lines in front of the document that are neither letters, title nor date
    /// (mastheads, "Non-paper", "Advance unedited version"), kept so nothing is lost.
    pub front_matter: Vec<Line>,
    /// The covering letters that travel with the draft, in order.
    pub letters: Vec<Letter>,
    /// Section headings in document order.
    pub headings: Vec<Heading>,
    /// Paragraphs in document order (sub-paragraphs and options included, each
    /// pointing at its parent).
    pub paragraphs: Vec<Paragraph>,
    /// Footnotes found at page bottoms.
    pub footnotes: Vec<Footnote>,
    /// Page headers, footers and page numbers set aside, with their source lines.
    pub furniture: Vec<Line>,
    /// What the parser noticed. Never fatal: the model above is always complete.
    pub diagnostics: Vec<Diagnostic>,
}

/// One line of the source kept verbatim (trimmed of surrounding blanks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// 1-based line number in the source.
    pub line: u32,
    /// The line's text, trimmed.
    pub text: String,
}

/// A covering letter: who writes, when, to whom, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Letter {
    /// Who sends it: the letterhead ("THE PRESIDENT OF THE GENERAL ASSEMBLY"),
    /// or the signatories when there is no letterhead.
    pub sender: String,
    /// Letterhead lines as written.
    pub letterhead: Vec<String>,
    /// The date line of the letter.
    pub date: Option<String>,
    /// The addressees ("All Permanent Representatives and Permanent Observers …").
    pub addressees: Vec<String>,
    /// The salutation ("Excellency,").
    pub salutation: Option<String>,
    /// Body paragraphs, from the first after the salutation to the closing formula.
    pub body: Vec<String>,
    /// Signature blocks, one per signatory, each as its lines.
    pub signatures: Vec<Vec<String>>,
    /// First and last source line of the letter.
    pub source_lines: SourceLines,
}

/// A first and last 1-based source line, inclusive. Serialised as `[first, last]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(from = "[u32; 2]", into = "[u32; 2]")]
pub struct SourceLines {
    /// First line.
    pub first: u32,
    /// Last line.
    pub last: u32,
}

/// A section heading: `1. ICT for Development`, `4.1. Enhanced Cooperation`,
/// `Article 2 (PURPOSE)`, or an unnumbered one such as `Preamble`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// The heading's identity: its number without trailing full stop (`1.1`,
    /// `Article 2`, `A`), or its title when unnumbered (`Preamble`).
    pub id: String,
    /// The number as written (`4.1.`), null when unnumbered.
    pub number: Option<String>,
    /// The title as written, after the number.
    pub title: String,
    /// Depth in the outline: 1 for `1.`, 2 for `1.1`, …
    pub level: u8,
    /// Index in [`Draft::paragraphs`] of the first paragraph after this heading
    /// (equal to the number of paragraphs before it), which places the heading
    /// among the paragraphs even when no paragraph stands under it.
    pub first_paragraph: usize,
    /// Source line range.
    pub source_lines: SourceLines,
}

/// The negotiation status of a paragraph (or of the title).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Under negotiation.
    #[default]
    Open,
    /// The co-facilitators suggest it is ready to close.
    SuggestedForClosure,
    /// Agreed ad referendum: pending capitals' confirmation.
    AgreedAdRef,
    /// Agreed.
    Agreed,
}

impl Status {
    /// The stable name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::SuggestedForClosure => "suggested-for-closure",
            Status::AgreedAdRef => "agreed-ad-ref",
            Status::Agreed => "agreed",
        }
    }

    /// Parses the stable name.
    pub fn from_name(name: &str) -> Option<Status> {
        Some(match name {
            "open" => Status::Open,
            "suggested-for-closure" => Status::SuggestedForClosure,
            "agreed-ad-ref" => Status::AgreedAdRef,
            "agreed" => Status::Agreed,
            _ => return None,
        })
    }

    /// The tag as a draft writes it, e.g. `Suggested for Closure`.
    pub fn tag(self) -> &'static str {
        match self {
            Status::Open => "Open",
            Status::SuggestedForClosure => "Suggested for Closure",
            Status::AgreedAdRef => "Agreed ad ref",
            Status::Agreed => "Agreed",
        }
    }
}

/// Whether a paragraph belongs to the preamble or the operative part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphKind {
    /// Preambular: "Recalling …", "Welcoming …".
    Preambular,
    /// Operative: "We reaffirm …", "Decides …", treaty articles.
    Operative,
}

impl ParagraphKind {
    /// The stable name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ParagraphKind::Preambular => "preambular",
            ParagraphKind::Operative => "operative",
        }
    }
}

/// A paragraph, sub-paragraph or paragraph-level alternative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Stable identity within the draft: the number as written (`12`,
    /// `12 bis`, `PP3`), `P1`, `P2`, … for unnumbered paragraphs in document
    /// order, qualified by the heading where numbering restarts under each
    /// heading (`Article 4.2`), and by the parent for sub-paragraphs
    /// (`12(a)`) and options (`Pp12 Option 1`).
    pub id: String,
    /// The number or label as written, without trailing full stop; null when unnumbered.
    pub number: Option<String>,
    /// Preambular or operative.
    pub kind: ParagraphKind,
    /// The id of the heading it stands under, null before the first heading.
    pub heading: Option<String>,
    /// For sub-paragraphs (`(a)`) and options: the id of the paragraph they belong to.
    pub parent: Option<String>,
    /// For paragraph-level alternatives: the label as written (`Option 1`, `Alt`).
    pub option: Option<String>,
    /// Negotiation status from the paragraph's tag.
    pub status: Status,
    /// The tag's qualifier ("given new figures").
    pub status_note: Option<String>,
    /// The text without label and status tag, lines joined with single spaces,
    /// brackets as in the source.
    pub text: String,
    /// Every bracketed span, outermost first within each nest.
    pub brackets: Vec<Bracket>,
    /// References to other texts found in `text`.
    pub references: Vec<Reference>,
    /// Footnote markers referred to from this paragraph.
    pub footnotes: Vec<String>,
    /// The source lines the paragraph came from.
    pub source_lines: SourceLines,
    /// Bold, italic and underlined spans over `text` (see [`Emphasis`]):
    /// empty for plain-text sources, which carry none.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub emphasis: Vec<Emphasis>,
}

/// How a span of text is set: the inline formatting a draft's source can
/// carry (a Word run's `w:i`, `w:b`, `w:u`; Markdown's `*…*`, `**…**`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmphasisKind {
    /// Italic: preambular verbs in UN drafts, titles of cited texts.
    Italic,
    /// Bold.
    Bold,
    /// Underlined.
    Underline,
}

impl EmphasisKind {
    /// The stable name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EmphasisKind::Italic => "italic",
            EmphasisKind::Bold => "bold",
            EmphasisKind::Underline => "underline",
        }
    }
}

/// A span of a paragraph's (or footnote's) text set in one emphasis.
///
/// Emphasis lies beside the text, never in it: the text is the same
/// characters with or without it, so brackets, comparison, lineage and
/// hashes see no difference. Spans of one kind never overlap or touch
/// (they are merged); spans of different kinds overlap freely (bold
/// italic). [`crate::emphasis`] keeps them so and carries them across edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Emphasis {
    /// Italic, bold or underline.
    pub kind: EmphasisKind,
    /// Character offset where it starts.
    pub start: u32,
    /// Character offset just past its end.
    pub end: u32,
}

/// A bracketed span of a paragraph's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bracket {
    /// The bracketed text including its brackets (those inside this paragraph).
    pub text: String,
    /// Character offset of the opening bracket in the paragraph text (or 0 when
    /// the bracket opened in an earlier paragraph).
    pub start: u32,
    /// Character offset just past the closing bracket (or the text's length
    /// when the bracket closes in a later paragraph).
    pub end: u32,
    /// Nesting depth: 1 for an outermost bracket.
    pub depth: u32,
    /// The `/`-separated options it holds (`[2020/2025]`), when it holds any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub alternatives: Option<Vec<String>>,
    /// True when this bracket directly follows another at the same depth with
    /// nothing but spaces between them: `[shall][should]` are alternatives.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub follows_bracket: bool,
    /// True when the bracket opened in an earlier paragraph or heading.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub opens_before: bool,
    /// True when the bracket closes in a later paragraph or heading.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub closes_after: bool,
}

/// What kind of text a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferenceKind {
    /// A resolution or decision symbol: `68/302`, `70/1`, `1/CP.21`.
    Resolution,
    /// A document symbol: `A/66/77`, `E/2009/92`, `FCCC/CP/2015/L.9/Rev.1`.
    Document,
    /// A paragraph of a named text: "paragraph 111 of the Tunis Agenda".
    Paragraph,
    /// An article of a named text: "Article 19 of the Universal Declaration …".
    Article,
}

/// A reference to another text, found in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// What it points at.
    pub kind: ReferenceKind,
    /// The reference as written.
    pub text: String,
    /// Character offset in the paragraph text.
    pub start: u32,
    /// Character offset just past it.
    pub end: u32,
    /// The symbol (`68/302`, `A/66/77`) for resolutions and documents.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub symbol: Option<String>,
    /// The paragraph or article numbers cited (`["111"]`, `["69", "71"]`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub targets: Vec<String>,
    /// The cited text's name ("Tunis Agenda for the Information Society"), when named.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub document: Option<String>,
}

/// A footnote from a page bottom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footnote {
    /// The marker as written (`1`, `*`).
    pub marker: String,
    /// The footnote's text, lines joined.
    pub text: String,
    /// Source line range.
    pub source_lines: SourceLines,
    /// Bold, italic and underlined spans over `text`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub emphasis: Vec<Emphasis>,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The model may not say what the author meant here; look at the source.
    Warning,
}

/// Something the parser noticed, pointing at the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A stable machine-readable code (`unbalanced-bracket`, `numbering-gap`, …).
    pub code: String,
    /// A sentence a person can act on.
    pub message: String,
    /// 1-based source line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Draft {
    /// The heading that `headings[index]` stands under: the nearest heading
    /// before it with a lower level (`Article 2` under `A. DRAFT AGREEMENT`,
    /// `B. Mitigation` under `IV. WORKSTREAM 2`), `None` at the top.
    pub fn heading_parent(&self, index: usize) -> Option<&Heading> {
        let level = self.headings.get(index)?.level;
        self.headings[..index].iter().rev().find(|h| h.level < level)
    }
}

/// A node of a paragraph's content tree (see [`Paragraph::content`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// A reference to another text.
    Reference(Reference),
    /// A bracket and what it holds.
    Bracket {
        /// The `/`-separated options, when the bracket holds alternatives.
        alternatives: Option<Vec<String>>,
        /// The bracket's content, without the brackets themselves.
        children: Vec<Inline>,
    },
}

impl Paragraph {
    /// The paragraph's content as a tree: text runs, brackets (nesting) and
    /// references. Brackets that open or close in another paragraph are shown
    /// as spans reaching this paragraph's edge.
    pub fn content(&self) -> Vec<Inline> {
        let chars: Vec<char> = self.text.chars().collect();
        let mut brackets: Vec<&Bracket> = self.brackets.iter().collect();
        brackets.sort_by_key(|b| (b.start, std::cmp::Reverse(b.end)));
        let mut refs: Vec<&Reference> = self.references.iter().collect();
        refs.sort_by_key(|r| r.start);
        build_inlines(&chars, 0, chars.len() as u32, &brackets, &refs)
    }
}

fn build_inlines(
    chars: &[char],
    from: u32,
    to: u32,
    brackets: &[&Bracket],
    refs: &[&Reference],
) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut pos = from;
    let mut i = 0;
    let text = |a: u32, b: u32| chars[a as usize..b as usize].iter().collect::<String>();
    let push_text = |out: &mut Vec<Inline>, a: u32, b: u32| {
        // References that lie wholly inside this run become nodes of their own.
        let mut p = a;
        for r in refs.iter().filter(|r| r.start >= a && r.end <= b) {
            if r.start < p {
                continue;
            }
            if r.start > p {
                out.push(Inline::Text(text(p, r.start)));
            }
            out.push(Inline::Reference((*r).clone()));
            p = r.end;
        }
        if b > p {
            out.push(Inline::Text(text(p, b)));
        }
    };
    while i < brackets.len() {
        let b = brackets[i];
        if b.start < pos || b.end > to {
            i += 1;
            continue;
        }
        push_text(&mut out, pos, b.start);
        // Children: brackets strictly inside this one.
        let mut j = i + 1;
        while j < brackets.len() && brackets[j].start < b.end {
            j += 1;
        }
        let inner_from = if b.opens_before { b.start } else { b.start + 1 };
        let inner_to = if b.closes_after { b.end } else { b.end.saturating_sub(1).max(inner_from) };
        let children = build_inlines(chars, inner_from, inner_to, &brackets[i + 1..j], refs);
        out.push(Inline::Bracket { alternatives: b.alternatives.clone(), children });
        pos = b.end;
        i = j;
    }
    if to > pos {
        push_text(&mut out, pos, to);
    }
    out
}

impl From<[u32; 2]> for SourceLines {
    fn from([first, last]: [u32; 2]) -> Self {
        SourceLines { first, last }
    }
}

impl From<SourceLines> for [u32; 2] {
    fn from(s: SourceLines) -> Self {
        [s.first, s.last]
    }
}
