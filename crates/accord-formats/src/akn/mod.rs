//! Akoma Ntoso 3.0 as the UN's AKN4UN guidelines use it for General Assembly
//! texts: export of a [`Draft`], its concordance with the previous draft, and
//! import back into the same model.
//!
//! Why it exists: Akoma Ntoso is the UN's document standard; the Secretariat
//! and researchers need drafts in it, with paragraphs whose identity (`GUID`,
//! `wId`) survives renumbering from one draft to the next.
//!
//! What goes where (see `write.rs`):
//! - a draft is `<statement name="resolutionDraft">`; an adopted text is
//!   `<statement name="resolution">` inside `<documentCollection
//!   name="publicationResolution">`;
//! - covering letters in `coverPage`, front matter, title and date line in
//!   `preface`, the leading preambular paragraphs as `recitals` in
//!   `preamble`, everything else in `mainBody` (headings as `division` /
//!   `subdivision`, `article` for treaty articles; paragraphs as `paragraph`,
//!   sub-paragraphs as `subparagraph`, paragraph-level options as
//!   `hcontainer name="option"`);
//! - brackets as `<inline name="bracket">` holding their own `[` `]`, nested as
//!   they nest; a bracket that crosses a paragraph boundary is cut there and
//!   each piece marked `class="opens-before"` / `class="closes-after"`;
//!   alternatives as `<inline name="option">` inside their bracket;
//! - statuses as `workflow/step@outcome` pointing at a `TLCConcept`;
//!   footnotes as `authorialNote` where first cited (uncited ones in
//!   `meta/notes`); references to other texts as `ref`;
//! - what AKN has no place for (source lines, Accord's paragraph ids, page
//!   furniture) as attributes and elements in Accord's own namespace
//!   [`ACCORD_NS`], which the schema allows everywhere (`anyAttribute
//!   namespace="##other"`, `proprietary`), so the export validates and
//!   reads back to the same model.

#![forbid(unsafe_code)]

mod concordance;
mod dates;
mod identity;
mod inline;
mod input;
mod read;
mod write;
mod xml;

pub use concordance::concordance;
pub use identity::{guid, Identity};
pub use input::{MAX_BYTES, MAX_DEPTH};
pub use read::{read, read_identity};
pub use write::write;

use accord_core::Draft;

/// The Akoma Ntoso 3.0 namespace.
pub const AKN_NS: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// Accord's namespace for what Akoma Ntoso has no element for (source lines,
/// Accord's ids, page furniture). Foreign attributes are allowed by the schema.
pub const ACCORD_NS: &str = "https://accord.un-negotiations.org/ns/akn/1";

/// How to describe a draft in Akoma Ntoso beyond what the draft itself says:
/// who is involved, when, which symbol, which language.
#[derive(Debug, Clone, Default)]
pub struct AknOptions {
    /// The document symbol (`A/70/L.33`), used in the FRBR IRIs; `draft` when absent.
    pub symbol: Option<String>,
    /// The draft's date as `YYYY-MM-DD`; when absent it is read from the
    /// date line (`7 December 2015`), else from the letters.
    pub date: Option<String>,
    /// The date the file is generated (`YYYY-MM-DD`), for the manifestation;
    /// the draft's date when absent (so the same draft gives the same bytes).
    pub generated: Option<String>,
    /// ISO 639-2 language code of the text (`eng`, `fra`, `spa`, `rus`, `ara`, `zho`).
    pub language: Option<String>,
    /// The co-facilitators, by name (each a `TLCPerson`, with the
    /// `TLCOrganization` "Co-facilitators" as the drafts' author).
    pub co_facilitators: Vec<String>,
    /// Delegations and groups named in the negotiation ("G77 and China",
    /// "European Union"), each a `TLCOrganization`.
    pub delegations: Vec<String>,
    /// True once the text is adopted: a `resolution` inside a publication.
    pub adopted: bool,
    /// The paragraphs' identity (GUID and original eId) from their lineage;
    /// fresh identities from the draft when absent (see [`Identity`]).
    pub identity: Option<Identity>,
}

/// Why an Akoma Ntoso file could not be read.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AknError {
    /// Not well-formed XML, or XML this reader refuses (a DTD, entities).
    #[error("line {line}, column {column}: {message}")]
    Xml {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// The bytes are not UTF-8.
    #[error("byte {offset} (line {line}, column {column}): not UTF-8")]
    Encoding {
        /// Byte offset of the first bad byte.
        offset: usize,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// Well-formed XML that is not an Akoma Ntoso document we can read.
    #[error("line {line}, column {column}: {message}")]
    NotAkn {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is missing or unexpected.
        message: String,
    },
    /// Elements nested deeper than any real document (a hostile file).
    #[error("line {line}, column {column}: elements nested deeper than {limit}")]
    TooDeep {
        /// 1-based line of the element past the limit.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The limit.
        limit: usize,
    },
    /// Larger than the reader accepts.
    #[error("the file is {size} bytes; at most {limit} are read")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        limit: usize,
    },
}

/// The export of one draft with default options: fresh identities.
pub fn write_default(draft: &Draft) -> String {
    write(draft, &AknOptions::default())
}
