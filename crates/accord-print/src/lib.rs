//! # accord-print
//!
//! The circulation PDF: a draft typeset as a United Nations document — A4,
//! title and date line, headings, numbered paragraphs with hanging numbers,
//! status tags and brackets exactly as written, footnotes at the foot of
//! their page, a running header with the short title, page numbers — and the
//! package a President or the co-facilitators send: the letters, then the
//! draft.
//!
//! Typesetting is done by [typst](https://typst.app), used as a library: the
//! draft goes to a fixed template as JSON data, never as markup, so no text
//! of a draft can be read as a command. Fonts are the Noto families of the
//! Debian packages `fonts-noto-core` and `fonts-noto-cjk`, read from disk
//! (see [`fonts`]); Arabic is set right to left, Chinese broken between
//! characters by the rules of the language.
//!
//! ```no_run
//! let draft = accord_core::parse("Preamble\n\n1. Recalling its resolution 70/1,\n");
//! let pdf = accord_print::draft_pdf(&draft, &accord_print::PrintOptions::default()).unwrap();
//! assert!(pdf.starts_with(b"%PDF-"));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod data;
pub mod fonts;
mod letter;
mod world;

use std::path::PathBuf;

use accord_core::{Draft, Letter};
use typst::diag::{Severity, SourceDiagnostic};
use typst::layout::PagedDocument;

pub use letter::{CoverLetter, Session};

/// How to print a draft.
#[derive(Debug, Clone)]
pub struct PrintOptions {
    /// The short title in the running header; by default the draft's title,
    /// cut at a word to fit one line.
    pub running_title: Option<String>,
    /// The draft's language (`en`, `fr`, `ar`, `zh`, …); by default read from
    /// the script most of its text is written in. Arabic sets right to left.
    pub language: Option<String>,
    /// Directories searched, in order, for the Noto font files; by default
    /// [`fonts::DEBIAN_FONT_DIRS`].
    pub font_dirs: Vec<PathBuf>,
    /// Print the letters that travel with the draft ([`Draft::letters`])
    /// before it. On by default: a parsed draft package is letters and document.
    pub include_letters: bool,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            running_title: None,
            language: None,
            font_dirs: fonts::DEBIAN_FONT_DIRS.iter().map(PathBuf::from).collect(),
            include_letters: true,
        }
    }
}

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// A font file the template needs is not installed.
    #[error("font file {file} not found in {dirs}: install the Debian package {package}")]
    FontMissing {
        /// The file's name.
        file: &'static str,
        /// The Debian package that installs it.
        package: &'static str,
        /// The directories searched.
        dirs: String,
    },
    /// A font file could not be read.
    #[error("cannot read font file {}: {source}", path.display())]
    FontRead {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A font file holds no font typst can use.
    #[error("font file {} holds no usable font", path.display())]
    FontInvalid {
        /// The file.
        path: PathBuf,
    },
    /// The typesetter failed (a bug in the template, never in the draft).
    #[error("typesetting failed: {0}")]
    Typeset(String),
    /// Writing the PDF failed.
    #[error("writing the PDF failed: {0}")]
    Pdf(String),
}

/// The draft as a PDF: its letters (when [`PrintOptions::include_letters`]),
/// then the document.
pub fn draft_pdf(draft: &Draft, options: &PrintOptions) -> Result<Vec<u8>, PrintError> {
    package_pdf(&[], draft, options)
}

/// The circulation package: `letters` (a transmittal or a cover letter written
/// from the process, see [`CoverLetter`]), then the letters that travel with
/// the draft (when [`PrintOptions::include_letters`]), then the draft. Each
/// letter starts a page; the draft's pages are numbered from 1.
pub fn package_pdf(letters: &[Letter], draft: &Draft, options: &PrintOptions) -> Result<Vec<u8>, PrintError> {
    let document = typeset(letters, draft, options)?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|d| PrintError::Pdf(messages(&d)))
}

/// Lays the package out into pages (what [`package_pdf`] writes).
fn typeset(letters: &[Letter], draft: &Draft, options: &PrintOptions) -> Result<PagedDocument, PrintError> {
    let mut all: Vec<&Letter> = letters.iter().collect();
    if options.include_letters {
        all.extend(&draft.letters);
    }
    let fonts = fonts::load(&options.font_dirs, data::scripts(draft, &all))?;
    let doc = data::doc(draft, &all, options);
    // Serialising plain structs of strings and numbers cannot fail.
    let json = serde_json::to_vec(&doc).map_err(|e| PrintError::Typeset(e.to_string()))?;
    let world = world::PrintWorld::new(json, fonts);
    let result = typst::compile::<PagedDocument>(&world);
    result.output.map_err(|d| PrintError::Typeset(messages(&d)))
}

/// The number of pages the package takes (for measuring, and for callers
/// that report it).
pub fn page_count(letters: &[Letter], draft: &Draft, options: &PrintOptions) -> Result<usize, PrintError> {
    Ok(typeset(letters, draft, options)?.pages.len())
}

fn messages(diags: &[SourceDiagnostic]) -> String {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
