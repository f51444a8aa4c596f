//! The reader's guard against hostile input, before any work on it:
//! the size limit, UTF-8 with the position of the first bad byte, XML
//! parsed without a DTD (so no entity expansion, no external entity, no
//! file or network access), and nesting no deeper than [`MAX_DEPTH`] —
//! checked in one pass over the tree so that the reader's recursion is
//! bounded. Every error names a line and column.

use roxmltree::Document;

use super::AknError;

/// The deepest element nesting accepted (real documents stay under 30).
pub const MAX_DEPTH: usize = 256;

/// The largest input accepted, in bytes.
pub const MAX_BYTES: usize = accord_core::DEFAULT_MAX_INPUT_BYTES;

fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line as u32, column as u32)
}

pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, AknError> {
    if bytes.len() > MAX_BYTES {
        return Err(AknError::TooLarge { size: bytes.len(), limit: MAX_BYTES });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let (line, column) = line_col(std::str::from_utf8(&bytes[..offset]).unwrap_or(""), offset);
        AknError::Encoding { offset, line, column }
    })
}

pub(crate) fn parse(text: &str) -> Result<Document<'_>, AknError> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        if let roxmltree::Error::DtdDetected = e {
            let (line, column) = line_col(text, text.find("<!DOCTYPE").unwrap_or(0));
            return AknError::Xml {
                line,
                column,
                message:
                    "a DTD (<!DOCTYPE …>) is not accepted: Akoma Ntoso needs none, and its entities could \
                          expand without bound or reach files"
                        .into(),
            };
        }
        // Errors found at the end of the input carry no position: the end is it.
        if matches!(e, roxmltree::Error::UnclosedRootNode | roxmltree::Error::UnexpectedEndOfStream) {
            let (line, column) = line_col(text, text.len());
            return AknError::Xml { line, column, message: format!("{e} (the file ends here)") };
        }
        let pos = e.pos();
        AknError::Xml { line: pos.row, column: pos.col, message: e.to_string() }
    })?;
    // Depth, in one pass: each node's depth is its parent's plus one.
    let mut depth = vec![0u16; doc.descendants().count() + 1];
    for n in doc.descendants() {
        let d = n.parent().map_or(0, |p| depth[p.id().get_usize()] + 1);
        if d as usize > MAX_DEPTH {
            let pos = doc.text_pos_at(n.range().start);
            return Err(AknError::TooDeep { line: pos.row, column: pos.col, limit: MAX_DEPTH });
        }
        depth[n.id().get_usize()] = d;
    }
    Ok(doc)
}
