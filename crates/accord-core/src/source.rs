//! From bytes to text: the only place that decides whether input is readable.
//!
//! The parser proper never fails; what can fail is turning bytes into text.
//! This module refuses empty input, input over a size limit and input that is
//! not text, saying exactly where it went wrong, and accepts the encodings
//! real drafts arrive in: UTF-8 (with or without byte-order mark) and UTF-16
//! with a byte-order mark (what Word's "Unicode text" export writes), or
//! without one when the text shows which (the zero high bytes of Latin text).

use thiserror::Error;

/// The default limit on input size: far above any real draft (the longest
/// Paris negotiating text is 0.4 MB), low enough to refuse a wrong file fast.
pub const DEFAULT_MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// Why bytes could not be read as a draft.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    /// Nothing to parse.
    #[error("the input is empty")]
    Empty,
    /// Only whitespace.
    #[error("the input holds only whitespace ({bytes} bytes)")]
    Blank {
        /// Size of the input.
        bytes: usize,
    },
    /// Larger than the limit.
    #[error("the input is {bytes} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input.
        bytes: usize,
        /// The limit in force.
        limit: usize,
    },
    /// Not UTF-8 (and no UTF-16 byte-order mark).
    #[error(
        "the input is not UTF-8: invalid byte 0x{byte:02X} at byte offset {offset} (line {line}, column {column}); convert it first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
    )]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// The invalid byte.
        byte: u8,
        /// 1-based line of the offending byte.
        line: usize,
        /// 1-based column (in characters) of the offending byte.
        column: usize,
    },
    /// A UTF-16 file with an unpaired surrogate or an odd length.
    #[error("the input is not valid UTF-16: {problem} at byte offset {offset}")]
    BadUtf16 {
        /// Byte offset of the problem.
        offset: usize,
        /// What is wrong.
        problem: &'static str,
    },
    /// Binary data (a NUL byte), e.g. a PDF or DOCX given instead of text.
    #[error("the input looks binary (NUL byte at byte offset {offset}); give the text extracted from it (e.g. `pdftotext -layout FILE.pdf`)")]
    Binary {
        /// Byte offset of the NUL byte.
        offset: usize,
    },
}

/// Turns raw bytes into draft text, or says precisely why not.
pub fn decode(bytes: &[u8], max_bytes: usize) -> Result<String, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(InputError::TooLarge { bytes: bytes.len(), limit: max_bytes });
    }
    let text = match bytes {
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, u16::from_le_bytes, 2)?,
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, u16::from_be_bytes, 2)?,
        _ if utf16_without_bom(bytes).is_some() => {
            let little = utf16_without_bom(bytes) == Some(Endian::Little);
            decode_utf16(bytes, if little { u16::from_le_bytes } else { u16::from_be_bytes }, 0)?
        }
        _ => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            let bom = bytes.len() - body.len();
            match std::str::from_utf8(body) {
                Ok(s) => s.to_owned(),
                Err(e) => {
                    let offset = e.valid_up_to();
                    let before = &body[..offset];
                    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                    // `before` is valid UTF-8 up to `offset` by construction.
                    let column =
                        std::str::from_utf8(&before[line_start..]).map_or(0, |s| s.chars().count()) + 1;
                    return Err(InputError::NotUtf8 {
                        offset: offset + bom,
                        byte: body[offset],
                        line,
                        column,
                    });
                }
            }
        }
    };
    check_text(&text, bytes.len())?;
    Ok(text)
}

/// Like [`decode`], taking ownership of the bytes so that UTF-8 input (the
/// usual case) becomes text without a copy: a 50 MB draft costs 50 MB, not 100.
pub fn decode_owned(bytes: Vec<u8>, max_bytes: usize) -> Result<String, InputError> {
    if bytes.is_empty()
        || bytes.len() > max_bytes
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || utf16_without_bom(&bytes).is_some()
    {
        return decode(&bytes, max_bytes);
    }
    let len = bytes.len();
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            check_text(&text, len)?;
            Ok(text)
        }
        // The slice path reports where the bad byte is.
        Err(e) => decode(e.as_bytes(), max_bytes),
    }
}

/// Text that is binary (a NUL byte) or blank is not a draft.
fn check_text(text: &str, bytes: usize) -> Result<(), InputError> {
    if let Some(offset) = text.bytes().position(|b| b == 0) {
        return Err(InputError::Binary { offset });
    }
    if text.trim().is_empty() {
        return Err(InputError::Blank { bytes });
    }
    Ok(())
}

/// Byte order of UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

/// UTF-16 without a byte-order mark, recognised from its first kilobytes:
/// text in Latin, Cyrillic or Arabic script has a zero high byte in most of
/// its code units (and UTF-8 text has no NUL at all). Which byte of the pair
/// is zero says the byte order.
fn utf16_without_bom(bytes: &[u8]) -> Option<Endian> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut zero_even, mut zero_odd) = (0, 0);
    for c in head.chunks_exact(2) {
        zero_even += usize::from(c[0] == 0 && c[1] != 0);
        zero_odd += usize::from(c[1] == 0 && c[0] != 0);
    }
    // Most units with one zero byte, all on the same side.
    if zero_odd * 10 >= pairs * 6 && zero_even == 0 {
        Some(Endian::Little)
    } else if zero_even * 10 >= pairs * 6 && zero_odd == 0 {
        Some(Endian::Big)
    } else {
        None
    }
}

/// Decodes UTF-16 code units; `skip` is the byte-order mark's length, so that
/// offsets in errors count from the start of the input.
fn decode_utf16(body: &[u8], word: fn([u8; 2]) -> u16, skip: usize) -> Result<String, InputError> {
    if !body.len().is_multiple_of(2) {
        return Err(InputError::BadUtf16 { offset: skip + body.len() - 1, problem: "odd number of bytes" });
    }
    let units = body.chunks_exact(2).map(|c| word([c[0], c[1]]));
    let mut out = String::with_capacity(body.len() / 2);
    for (i, r) in char::decode_utf16(units).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(InputError::BadUtf16 { offset: skip + 2 * i, problem: "unpaired surrogate" })
            }
        }
    }
    Ok(out)
}

/// One physical line of the source.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SrcLine<'a> {
    /// 1-based line number.
    pub no: u32,
    /// The line without its terminator and without trailing whitespace.
    pub raw: &'a str,
    /// True when a form feed (a PDF page break) preceded this line.
    pub page_break: bool,
    /// Byte length of the leading whitespace, computed once: every pass asks.
    lead: u32,
}

impl<'a> SrcLine<'a> {
    /// A line from its number, its text (trailing whitespace already removed)
    /// and whether a page break preceded it.
    pub fn new(no: u32, raw: &'a str, page_break: bool) -> SrcLine<'a> {
        let raw = raw.trim_end();
        let lead = (raw.len() - raw.trim_start().len()) as u32;
        SrcLine { no, raw, page_break, lead }
    }
    /// The text without leading whitespace.
    pub fn text(&self) -> &'a str {
        &self.raw[self.lead as usize..]
    }
    /// Indentation in bytes of whitespace (a space or tab is one).
    pub fn indent(&self) -> usize {
        self.lead as usize
    }
    /// True for a blank line.
    pub fn is_blank(&self) -> bool {
        self.raw.is_empty()
    }
    /// 1-based column, in characters, of the first non-blank character.
    pub fn text_column(&self) -> u32 {
        self.raw[..self.indent()].chars().count() as u32 + 1
    }
}

/// Splits text into physical lines, recording page breaks (form feeds) and
/// dropping the form feeds themselves.
pub(crate) fn split_lines(text: &str) -> Vec<SrcLine<'_>> {
    let mut out = Vec::with_capacity(text.bytes().filter(|&b| b == b'\n').count() + 1);
    let mut pending_break = false;
    for (i, mut line) in text.split('\n').enumerate() {
        line = line.strip_suffix('\r').unwrap_or(line);
        // pdftotext puts the form feed at the start of a page's first line;
        // a line may also consist of the form feed alone.
        let mut page_break = pending_break;
        pending_break = false;
        if line.contains('\u{c}') {
            let (head, tail) = line.rsplit_once('\u{c}').unwrap_or(("", line));
            if head.trim_matches(|c: char| c == '\u{c}' || c.is_whitespace()).is_empty() {
                page_break = true;
                line = tail;
            } else {
                // A form feed in the middle of text: treat it as a space.
                page_break = page_break || line.starts_with('\u{c}');
            }
        }
        out.push(SrcLine::new((i + 1) as u32, line, page_break));
    }
    // A trailing newline produces an empty last line that is not in the file.
    if text.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_empty_and_blank() {
        assert_eq!(decode(b"", 10), Err(InputError::Empty));
        assert_eq!(decode(b" \n\t\n", 10), Err(InputError::Blank { bytes: 4 }));
    }

    #[test]
    fn refuses_oversize() {
        assert_eq!(decode(b"abcdef", 5), Err(InputError::TooLarge { bytes: 6, limit: 5 }));
    }

    #[test]
    fn reports_offset_line_and_column_of_bad_byte() {
        let err = decode(b"one\ntw\xE9o\n", 100).unwrap_err();
        assert_eq!(err, InputError::NotUtf8 { offset: 6, byte: 0xE9, line: 2, column: 3 });
        assert!(err.to_string().contains("byte offset 6"));
    }

    #[test]
    fn reads_utf16_with_bom_and_strips_utf8_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Préambule".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le, 100).unwrap(), "Préambule");
        assert_eq!(decode(b"\xEF\xBB\xBFabc", 100).unwrap(), "abc");
    }

    /// UTF-16 saved without a byte-order mark was refused as "binary".
    #[test]
    fn reads_utf16_without_bom_in_either_order() {
        let text = "Préambule\n\n1. Décide d’agir [d’ici 2030].\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le, 1000).unwrap(), text);
        assert_eq!(decode(&be, 1000).unwrap(), text);
        assert_eq!(decode_owned(le.clone(), 1000).unwrap(), text);
        // An odd length is named as UTF-16 gone wrong, not as binary.
        let cut = &le[..le.len() - 1];
        assert!(matches!(
            decode(cut, 1000),
            Err(InputError::BadUtf16 { problem: "odd number of bytes", .. })
        ));
        // Binary with NULs here and there is still binary.
        assert!(matches!(decode(b"%PDF-1.4\0\0\x01\x02", 100), Err(InputError::Binary { .. })));
    }

    #[test]
    fn owned_decoding_agrees_with_borrowed() {
        for input in [
            &b"abc"[..],
            b"\xEF\xBB\xBFabc",
            b"",
            b"  \n",
            b"one\ntw\xE9o\n",
            b"a\0b",
            &[0xFF, 0xFE, b'a', 0],
        ] {
            assert_eq!(decode_owned(input.to_vec(), 100), decode(input, 100), "{input:?}");
        }
    }

    #[test]
    fn refuses_binary() {
        assert!(matches!(decode(b"%PDF-1.4\0\0", 100), Err(InputError::Binary { offset: 8 })));
    }

    #[test]
    fn splits_lines_and_marks_page_breaks() {
        let lines = split_lines("a\r\n\u{c}b  \nc\n");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].raw, "b");
        assert!(lines[1].page_break);
        assert!(!lines[2].page_break);
    }
}
