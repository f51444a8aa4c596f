//! Word (.docx) in and out.
//!
//! **In** ([`read`]): a Word document becomes the same [`Draft`] the text
//! parser makes of the same draft as text — because it *is* turned into that
//! text: one line per Word paragraph, blank lines between, numbers rendered
//! from Word's automatic numbering, footnote markers glued as in a PDF —
//! and parsed by `accord_core::parse`, so both paths share every rule and
//! every diagnostic. What only Word knows is put back afterwards: footnote
//! texts, headers and footers as furniture, and, beside the draft, the
//! tracked changes and comments of a marked-up file ([`Import`]). Positions
//! (`source_lines`, diagnostics' `line`) count Word paragraphs, 1-based, in
//! document order (table cells and text boxes included).
//!
//! **Out** ([`write`]): the clean draft as a .docx, and a comparison as
//! native Word tracked changes.

mod body;
mod import;
mod numbering;
mod package;
pub mod proposals;
pub mod redline;
mod styles;
pub mod write;
mod xml;

use accord_core::Draft;
use serde::Serialize;
use thiserror::Error;

pub use import::{read, read_accepted, read_with};
pub use numbering::format_number;
pub use package::Limits;

/// Why bytes could not be read as a Word document.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DocxError {
    /// An OLE compound file holding an encrypted package: Word's "Encrypt with Password".
    #[error(
        "the Word file is encrypted (password-protected); save it without a password and import it again"
    )]
    Encrypted,
    /// An OLE compound file that is not an encrypted package: a Word 97–2003 `.doc`.
    #[error("this is a Word 97–2003 .doc file, not a .docx; save it as .docx first")]
    LegacyDoc,
    /// A PDF given where a Word file was expected.
    #[error("this is a PDF file, not a Word document")]
    Pdf,
    /// Not a zip archive, or a damaged or truncated one.
    #[error("not a readable .docx (zip): {0}")]
    Zip(String),
    /// A zip without `word/document.xml` or a document without `w:body`.
    #[error("the package has no document body ({0})")]
    NoBody(String),
    /// A part inflates beyond the package's budget: a zip bomb, or a package far larger than any draft.
    #[error("the part {part} inflates beyond {limit} bytes, far more than its size in the file allows (a zip bomb?)")]
    TooLarge {
        /// The part's name.
        part: String,
        /// The budget left when it was read.
        limit: u64,
    },
    /// A part is not UTF-8 or UTF-16 text.
    #[error("the part {part} is not UTF-8 or UTF-16 text")]
    NotText {
        /// The part's name.
        part: String,
    },
    /// A part is not well-formed XML (or declares a DTD).
    #[error("{part}:{line}:{column}: not well-formed XML: {message}")]
    Xml {
        /// The part's name.
        part: String,
        /// 1-based line in the part.
        line: u32,
        /// 1-based column in the part.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// Elements nested deeper than any real document.
    #[error("the document nests elements more than 200 deep, far beyond any real document")]
    TooDeep,
}

/// What a tracked change does to the base text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Text added (`w:ins`, `w:moveTo`).
    Insert,
    /// Base text removed (`w:del`, `w:moveFrom`).
    Delete,
    /// Base text removed and text put in its place by the same author.
    Replace,
}

/// A tracked change, positioned in the base text (every change rejected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackedChange {
    /// Insert, delete or replace.
    pub kind: ChangeKind,
    /// The id of the draft paragraph it falls in; null when it falls in the
    /// title, a heading, a letter or other text outside the paragraphs.
    pub paragraph: Option<String>,
    /// Character offset in the paragraph's text where the change starts.
    pub start: u32,
    /// Character offset just past the deleted text (equal to `start` for an insertion).
    pub end: u32,
    /// The text inserted (`\n` stands for a paragraph break), empty for a deletion.
    pub inserted: String,
    /// The base text deleted, empty for an insertion.
    pub deleted: String,
    /// `w:author`.
    pub author: Option<String>,
    /// `w:date` (ISO 8601 as Word writes it).
    pub date: Option<String>,
    /// True for a move (`w:moveFrom`/`w:moveTo`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub moved: bool,
    /// The Word paragraph (1-based, as in `source_lines`) it was found in.
    pub source_paragraph: u32,
}

/// A comment (`comments.xml`) and the span of base text it is anchored to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The id of the draft paragraph its range starts in (null outside paragraphs).
    pub paragraph: Option<String>,
    /// Character offset where its range starts.
    pub start: u32,
    /// Character offset where its range ends (within the same paragraph).
    pub end: u32,
    /// `w:author`.
    pub author: Option<String>,
    /// `w:date`.
    pub date: Option<String>,
    /// The comment's text, its paragraphs joined by line breaks.
    pub text: String,
    /// The Word paragraph (1-based) its range starts in.
    pub source_paragraph: u32,
}

/// A Word document read: the draft (base text) and what Word kept beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The draft, as the text parser reads the base text.
    pub draft: Draft,
    /// Tracked changes, in document order.
    pub tracked_changes: Vec<TrackedChange>,
    /// Comments, in document order of their anchors.
    pub comments: Vec<Comment>,
}
