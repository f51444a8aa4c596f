//! # accord-formats
//!
//! The files a negotiation runs on, to and from Accord's document model: Word
//! (`.docx`, with automatic numbering, footnotes, tracked changes and
//! comments), PDF, and Akoma Ntoso 3.0 as the UN's AKN4UN guidelines use it.
//!
//! It exists so that `accord-core` stays free of file formats and their
//! crates: the core reads text and knows the model; this crate turns bytes
//! into that model and the model into bytes. Every reader refuses hostile
//! input (zip and XML bombs, entities, absurd nesting) with a precise error,
//! never a panic, in time and memory linear in the input.

#![forbid(unsafe_code)]

pub mod akn;
pub mod docx;
pub mod pdf;

/// Why a file could not be read as a draft, whatever its format.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Text that could not be decoded.
    #[error(transparent)]
    Text(#[from] accord_core::InputError),
    /// A Word file that could not be read.
    #[error("{0}")]
    Docx(#[from] docx::DocxError),
    /// A PDF that could not be read.
    #[error("{0}")]
    Pdf(#[from] pdf::PdfError),
    /// An XML file that is not an Akoma Ntoso document Accord reads.
    #[error("Akoma Ntoso: {0}")]
    Akn(#[from] akn::AknError),
}

/// Reads a draft from bytes in any format Accord reads, told by content
/// ([`detect`]): text, Word, PDF or Akoma Ntoso. The tracked changes and comments are
/// empty for anything but a Word file.
pub fn read_draft(bytes: Vec<u8>, max_bytes: usize) -> Result<docx::Import, ReadError> {
    let plain = |draft| docx::Import { draft, tracked_changes: Vec::new(), comments: Vec::new() };
    if bytes.len() > max_bytes {
        return Err(accord_core::InputError::TooLarge { bytes: bytes.len(), limit: max_bytes }.into());
    }
    match detect(&bytes) {
        Format::Docx => Ok(docx::read(&bytes)?),
        Format::Pdf => Ok(plain(pdf::read(&bytes)?)),
        Format::Xml => Ok(plain(akn::read(&bytes)?)),
        Format::Text => Ok(plain(accord_core::parse_owned(accord_core::decode_owned(bytes, max_bytes)?))),
    }
}

/// The draft in `bytes` as text the core parser reads back to the same
/// draft: text as it is, a PDF's laid-out text, a Word file's draft in
/// Accord's canonical form (for what stores drafts as text).
pub fn read_text(bytes: Vec<u8>, max_bytes: usize) -> Result<String, ReadError> {
    if bytes.len() > max_bytes {
        return Err(accord_core::InputError::TooLarge { bytes: bytes.len(), limit: max_bytes }.into());
    }
    match detect(&bytes) {
        Format::Docx => Ok(accord_core::canonical::write(&docx::read(&bytes)?.draft)),
        Format::Pdf => Ok(pdf::to_text(&bytes)?),
        Format::Xml => Ok(accord_core::canonical::write(&akn::read(&bytes)?)),
        Format::Text => Ok(accord_core::decode_owned(bytes, max_bytes)?),
    }
}

/// What a file is, judged by its content, never by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text (UTF-8 or UTF-16), read by `accord_core::parse`.
    Text,
    /// A Word document: a zip package (`PK\x03\x04`) holding `word/document.xml`.
    Docx,
    /// A PDF file (`%PDF-`).
    Pdf,
    /// An XML document: Akoma Ntoso when its root is `akomaNtoso`.
    Xml,
}

/// Tells the format of `bytes` from their first bytes.
///
/// A zip that is not a Word document (or an encrypted Word file, which is an
/// OLE compound file) is still reported as [`Format::Docx`] or
/// [`Format::Text`]; the reader for that format then says precisely what is
/// wrong with it.
pub fn detect(bytes: &[u8]) -> Format {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Format::Docx;
    }
    // An encrypted .docx is an OLE2 compound file; the Word reader names it.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Format::Docx;
    }
    // PDF allows up to 1024 bytes of junk before the header.
    if bytes.len() >= 5 && bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    let head = &start[..start.len().min(512)];
    let trimmed = head.iter().position(|b| !b.is_ascii_whitespace()).map_or(&head[..0], |i| &head[i..]);
    if trimmed.starts_with(b"<?xml")
        || trimmed.starts_with(b"<akomaNtoso")
        || trimmed.starts_with(b"<an:akomaNtoso")
    {
        return Format::Xml;
    }
    Format::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(detect(b"PK\x03\x04rest"), Format::Docx);
        assert_eq!(detect(b"%PDF-1.7\n"), Format::Pdf);
        assert_eq!(detect(b"\xEF\xBB\xBF<?xml version=\"1.0\"?><akomaNtoso/>"), Format::Xml);
        assert_eq!(detect(b"  \n<akomaNtoso xmlns=\"x\"/>"), Format::Xml);
        assert_eq!(detect(b"1. Recalling its resolution 70/1,"), Format::Text);
        assert_eq!(detect(b""), Format::Text);
        assert_eq!(detect(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Format::Docx);
    }
}
