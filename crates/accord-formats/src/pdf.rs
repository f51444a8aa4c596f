//! PDF import: the PDF's text as `pdftotext -layout` lays it out, which is
//! the text the core parser was built and tested on (the Paris `.txt` twins
//! are exactly that output), then parsed by `accord_core::parse`.
//!
//! Poppler runs as a subprocess, the bytes on its standard input: no
//! temporary file, nothing written. Parity decided the choice: `pdftotext
//! -layout` reproduces the twins byte for byte, so the draft from a PDF is
//! the draft from its twin; a pure-Rust reader would need its own layout pass
//! to reach that (columns, running headers, footnotes at page bottoms).
//! Encrypted, image-only and broken PDFs are told apart and named.

use std::io::Write;
use std::process::{Command, Stdio};

use accord_core::Draft;
use thiserror::Error;

/// The program that lays the text out; `ACCORD_PDFTOTEXT` may name another path.
pub const PDFTOTEXT: &str = "pdftotext";

/// Why a PDF could not be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The bytes do not start like a PDF.
    #[error("not a PDF file (no %PDF- header)")]
    NotPdf,
    /// The PDF needs a password to be read.
    #[error("the PDF is encrypted (password-protected); give a copy without a password")]
    Encrypted,
    /// The PDF has pages but no text on them: a scan.
    #[error("the PDF has no text layer ({pages} page(s) of images only: a scan?); run OCR on it first")]
    NoText {
        /// Pages seen.
        pages: usize,
    },
    /// Poppler could not read it.
    #[error("the PDF is damaged or not a PDF poppler can read: {0}")]
    Broken(String),
    /// Poppler's `pdftotext` is not installed.
    #[error("reading PDF needs poppler's pdftotext, which was not found ({0}); install poppler-utils")]
    ToolMissing(String),
    /// The subprocess failed in another way.
    #[error("running pdftotext failed: {0}")]
    Io(String),
}

/// The PDF's text as `pdftotext -layout` writes it (pages separated by form feeds).
pub fn to_text(bytes: &[u8]) -> Result<String, PdfError> {
    let program = std::env::var("ACCORD_PDFTOTEXT").unwrap_or_else(|_| PDFTOTEXT.to_owned());
    to_text_with(bytes, &program)
}

/// As [`to_text`], running this `pdftotext` program.
pub fn to_text_with(bytes: &[u8], program: &str) -> Result<String, PdfError> {
    if !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let mut child = Command::new(program)
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                PdfError::ToolMissing(program.to_owned())
            } else {
                PdfError::Io(e.to_string())
            }
        })?;
    // Feed stdin from a thread while the output is read: poppler may write
    // before it has read everything, and stdout and stderr are drained
    // together (`wait_with_output`) so that neither pipe can fill and stall it.
    let mut stdin = child.stdin.take().ok_or_else(|| PdfError::Io("no stdin".into()))?;
    let output = std::thread::scope(|s| {
        s.spawn(move || {
            // A PDF poppler stops reading early makes a broken pipe: not our error.
            let _ = stdin.write_all(bytes);
        });
        child.wait_with_output()
    });
    let output = output.map_err(|e| PdfError::Io(e.to_string()))?;
    let (status, stdout) = (output.status, output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !status.success() {
        if stderr.contains("password") || stderr.contains("ncrypt") || has_encrypt_dictionary(bytes) {
            return Err(PdfError::Encrypted);
        }
        let reason = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("unreadable").trim();
        return Err(PdfError::Broken(reason.to_owned()));
    }
    let text = String::from_utf8(stdout)
        .map_err(|_| PdfError::Io("pdftotext wrote text that is not UTF-8".into()))?;
    if text.chars().all(|c| c.is_whitespace()) {
        let pages = text.matches('\u{c}').count().max(1);
        return Err(PdfError::NoText { pages });
    }
    Ok(text)
}

/// The draft in a PDF: its text laid out, then parsed.
pub fn read(bytes: &[u8]) -> Result<Draft, PdfError> {
    Ok(accord_core::parse_owned(to_text(bytes)?))
}

/// Whether the trailer names an `/Encrypt` dictionary.
fn has_encrypt_dictionary(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}
