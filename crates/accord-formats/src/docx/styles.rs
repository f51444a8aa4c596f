//! Paragraph styles (`styles.xml`): which are headings or the title, and
//! which carry numbering, following `w:basedOn` chains.
//!
//! Word drafts mark their section headings with styles (Heading 1–3) or an
//! outline level, and list styles often carry the numbering themselves, so
//! a paragraph's style must be resolved before its number and role are
//! known.

use std::collections::HashMap;

use roxmltree::Node;

use super::xml::{child, children, val};

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    numbering: Option<(Option<String>, Option<usize>)>,
    outline: Option<u8>,
}

/// The document's paragraph styles by id.
#[derive(Debug, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    default: Option<String>,
}

impl Styles {
    /// Reads `styles.xml`'s root (`w:styles`).
    pub fn read(root: Node<'_, '_>) -> Styles {
        let mut out = Styles::default();
        for s in children(root, "style") {
            if super::xml::attr(s, "type").is_some_and(|t| t != "paragraph") {
                continue;
            }
            let Some(id) = super::xml::attr(s, "styleId") else { continue };
            let ppr = child(s, "pPr");
            let numbering = ppr.and_then(|p| child(p, "numPr")).map(|n| {
                (
                    child(n, "numId").and_then(val).map(str::to_owned),
                    child(n, "ilvl").and_then(val).and_then(|v| v.parse().ok()),
                )
            });
            let style = Style {
                name: child(s, "name").and_then(val).unwrap_or(id).to_owned(),
                based_on: child(s, "basedOn").and_then(val).map(str::to_owned),
                numbering,
                outline: ppr.and_then(|p| child(p, "outlineLvl")).and_then(val).and_then(|v| v.parse().ok()),
            };
            if super::xml::attr(s, "default").is_some_and(|d| d == "1" || d == "true") {
                out.default = Some(id.to_owned());
            }
            out.styles.insert(id.to_owned(), style);
        }
        out
    }

    /// The chain of styles from `id` through its `basedOn` ancestors (cycles cut).
    fn chain(&self, id: Option<&str>) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut cur = id.or(self.default.as_deref());
        while let Some(s) = cur.and_then(|c| self.styles.get(c)) {
            if out.len() > 32 || out.iter().any(|o: &&Style| std::ptr::eq(*o, s)) {
                break;
            }
            out.push(s);
            cur = s.based_on.as_deref();
        }
        out
    }

    /// The heading level a style gives (0 for Title, 1–9 for headings and
    /// outline levels), `None` for body text.
    pub fn heading(&self, id: Option<&str>) -> Option<u8> {
        for s in self.chain(id) {
            let name = s.name.to_ascii_lowercase();
            if name == "title" {
                return Some(0);
            }
            if let Some(n) = name.strip_prefix("heading").map(str::trim).and_then(|n| n.parse::<u8>().ok()) {
                return Some(n.clamp(1, 9));
            }
            if let Some(l) = s.outline.filter(|&l| l < 9) {
                return Some(l + 1);
            }
        }
        None
    }

    /// The numbering (instance, level) a style carries.
    pub fn numbering(&self, id: Option<&str>) -> Option<(String, usize)> {
        let chain = self.chain(id);
        let num = chain.iter().find_map(|s| s.numbering.as_ref().and_then(|n| n.0.clone()))?;
        let level = chain.iter().find_map(|s| s.numbering.as_ref().and_then(|n| n.1)).unwrap_or(0);
        Some((num, level))
    }

    /// The numbering level a style carries, if any.
    pub fn num_level(&self, id: Option<&str>) -> Option<usize> {
        self.chain(id).iter().find_map(|s| s.numbering.as_ref().and_then(|n| n.1))
    }
}
