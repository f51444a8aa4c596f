//! The .docx package: a zip of XML parts, opened defensively.
//!
//! A zip can claim one size and inflate to another, and a small file can
//! inflate to gigabytes. Every part is read with both its declared size and
//! its actual inflated size checked against a budget that is relative to the
//! input (compressed XML is rarely more than 20× smaller) and absolute, so
//! that memory stays linear in the input whatever the archive says.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::DocxError;

/// How far a package may inflate: `min(input × ratio + floor, ceiling)` bytes
/// for all its parts together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How many times its own size a package may inflate to (Word's XML
    /// deflates about 10×; 100 leaves room for any real document).
    pub ratio: u64,
    /// Inflated bytes allowed whatever the input size, on top of the ratio.
    pub floor: u64,
    /// Inflated bytes never exceeded, whatever the input size.
    pub ceiling: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { ratio: 100, floor: 16 << 20, ceiling: 1 << 30 }
    }
}
/// More parts than any Word document has (images included).
const MAX_ENTRIES: usize = 100_000;

/// The parts of a package that the reader wants, inflated under a budget.
pub struct Package {
    archive: ZipArchive<Cursor<Vec<u8>>>,
    names: HashMap<String, usize>,
    budget: u64,
}

impl Package {
    /// Opens the zip, refusing what is not one (or a truncated one).
    pub fn open(bytes: Vec<u8>, limits: Limits) -> Result<Package, DocxError> {
        let size = bytes.len() as u64;
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Zip(e.to_string()))?;
        if archive.len() > MAX_ENTRIES {
            return Err(DocxError::Zip(format!(
                "{} entries, more than any Word document has",
                archive.len()
            )));
        }
        let mut names = HashMap::new();
        for (i, name) in archive.file_names_raw().enumerate() {
            // Part names are case-insensitive in OPC; some writers vary the case.
            names.insert(String::from_utf8_lossy(name).to_ascii_lowercase(), i);
        }
        let budget = size.saturating_mul(limits.ratio).saturating_add(limits.floor).min(limits.ceiling);
        Ok(Package { archive, names, budget })
    }

    /// Whether the package holds a part of this name.
    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(&name.to_ascii_lowercase())
    }

    /// The part's text (UTF-8, or UTF-16 with a byte-order mark), `None`
    /// when absent. Its inflated size counts against the package's budget.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, DocxError> {
        let Some(&index) = self.names.get(&name.to_ascii_lowercase()) else { return Ok(None) };
        let mut file = self.archive.by_index(index).map_err(|e| DocxError::Zip(format!("{name}: {e}")))?;
        if file.encrypted() {
            return Err(DocxError::Encrypted);
        }
        if file.size() > self.budget {
            return Err(DocxError::TooLarge { part: name.to_owned(), limit: self.budget });
        }
        let mut bytes = Vec::with_capacity(file.size() as usize);
        // Read one byte past the budget: a lying header cannot make us read more.
        (&mut file)
            .take(self.budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| DocxError::Zip(format!("{name}: {e}")))?;
        if bytes.len() as u64 > self.budget {
            return Err(DocxError::TooLarge { part: name.to_owned(), limit: self.budget });
        }
        self.budget -= bytes.len() as u64;
        let text = match bytes.as_slice() {
            [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => {
                let le = bytes[0] == 0xFF;
                let units: Vec<u16> =
                    bytes[2..]
                        .chunks_exact(2)
                        .map(|c| {
                            if le {
                                u16::from_le_bytes([c[0], c[1]])
                            } else {
                                u16::from_be_bytes([c[0], c[1]])
                            }
                        })
                        .collect();
                String::from_utf16(&units).map_err(|_| DocxError::NotText { part: name.to_owned() })?
            }
            _ => {
                let body = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
                String::from_utf8(body).map_err(|_| DocxError::NotText { part: name.to_owned() })?
            }
        };
        Ok(Some(text))
    }
}

/// The targets of a relationships part (`word/_rels/document.xml.rels`) by
/// type suffix (`header`, `footer`, `footnotes`, …), resolved against the
/// folder of the part they belong to.
pub fn relationships(xml: &str, folder: &str) -> Vec<(String, String)> {
    let Ok(doc) = super::xml::parse("rels", xml) else { return Vec::new() };
    let mut out = Vec::new();
    for r in doc.root_element().children().filter(|c| {
        c.has_tag_name(("http://schemas.openxmlformats.org/package/2006/relationships", "Relationship"))
            || c.tag_name().name() == "Relationship"
    }) {
        if super::xml::attr(r, "TargetMode") == Some("External") {
            continue;
        }
        let (Some(kind), Some(target)) = (super::xml::attr(r, "Type"), super::xml::attr(r, "Target")) else {
            continue;
        };
        let kind = kind.rsplit('/').next().unwrap_or(kind).to_owned();
        out.push((kind, resolve(folder, target)));
    }
    out
}

/// Resolves a relationship target (`../customXml/item1.xml`, `/word/x.xml`,
/// `header1.xml`) to a part name.
fn resolve(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn targets_resolve() {
        assert_eq!(super::resolve("word", "header1.xml"), "word/header1.xml");
        assert_eq!(super::resolve("word", "../customXml/a.xml"), "customXml/a.xml");
        assert_eq!(super::resolve("word", "/word/footnotes.xml"), "word/footnotes.xml");
        assert_eq!(super::resolve("", "word/document.xml"), "word/document.xml");
    }
}
