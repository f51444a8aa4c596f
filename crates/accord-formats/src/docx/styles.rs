//! Paragraph styles (`styles.xml`): which are headings or the title, and
//! which carry numbering, following `w:basedOn` chains.
//!
//! Word drafts mark their section headings with styles (Heading 1–3) or an
//! outline level, and list styles often carry the numbering themselves, so
//! a paragraph's style must be resolved before its number and role are
//! known. Styles (paragraph and character) and the document defaults also
//! carry run properties: bold, italic, underline, which a run inherits
//! unless it sets them itself.

use std::collections::HashMap;

use roxmltree::Node;

use accord_core::emphasis::Style as Emphasis;

use super::xml::{child, children, val};

/// Bold, italic, underline as a run-properties element sets them: `None`
/// where it says nothing (the style below decides).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunProps {
    bold: Option<bool>,
    italic: Option<bool>,
    underline: Option<bool>,
}

impl RunProps {
    /// Reads a `w:rPr` element. `w:b w:val="0"` (or `false`, `off`) is off;
    /// `w:u w:val="none"` is no underline; the complex-script forms
    /// (`w:bCs`, `w:iCs`: Arabic) count where the plain ones are absent.
    pub fn read(rpr: Option<Node<'_, '_>>) -> RunProps {
        let Some(rpr) = rpr else { return RunProps::default() };
        let flag = |name: &str| {
            child(rpr, name).map(|t| val(t).is_none_or(|v| !matches!(v, "0" | "false" | "off" | "none")))
        };
        RunProps {
            bold: flag("b").or_else(|| flag("bCs")),
            italic: flag("i").or_else(|| flag("iCs")),
            underline: flag("u"),
        }
    }

    /// These properties over `base`: what they set wins.
    pub fn over(self, base: Emphasis) -> Emphasis {
        Emphasis {
            bold: self.bold.unwrap_or(base.bold),
            italic: self.italic.unwrap_or(base.italic),
            underline: self.underline.unwrap_or(base.underline),
        }
    }
}

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    numbering: Option<(Option<String>, Option<usize>)>,
    outline: Option<u8>,
    run: RunProps,
}

/// The document's paragraph styles by id, its character styles' run
/// properties, and the default run properties.
#[derive(Debug, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    default: Option<String>,
    characters: HashMap<String, Style>,
    run_default: RunProps,
}

impl Styles {
    /// Reads `styles.xml`'s root (`w:styles`).
    pub fn read(root: Node<'_, '_>) -> Styles {
        let mut out = Styles::default();
        let defaults = child(root, "docDefaults").and_then(|d| child(d, "rPrDefault"));
        out.run_default = RunProps::read(defaults.and_then(|d| child(d, "rPr")));
        for s in children(root, "style") {
            let Some(id) = super::xml::attr(s, "styleId") else { continue };
            let run = RunProps::read(child(s, "rPr"));
            match super::xml::attr(s, "type") {
                Some("character") => {
                    let based_on = child(s, "basedOn").and_then(val).map(str::to_owned);
                    out.characters.insert(id.to_owned(), Style { based_on, run, ..Style::default() });
                    continue;
                }
                Some(t) if t != "paragraph" => continue,
                _ => {}
            }
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
                run,
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
        chain_in(&self.styles, id.or(self.default.as_deref()))
    }

    /// How the runs of a paragraph of style `id` are set when they set
    /// nothing themselves: the document default, then the style chain
    /// from its root to `id` (the nearest style wins).
    pub fn paragraph_run(&self, id: Option<&str>) -> Emphasis {
        self.chain(id).iter().rev().fold(self.run_default.over(Emphasis::default()), |e, s| s.run.over(e))
    }

    /// How a run is set: its own properties (`w:rPr`) over its character
    /// style (`w:rStyle`) over the paragraph's.
    pub fn run(&self, paragraph: Emphasis, rpr: Option<Node<'_, '_>>) -> Emphasis {
        let rstyle = rpr.and_then(|r| child(r, "rStyle")).and_then(val);
        let base = chain_in(&self.characters, rstyle).iter().rev().fold(paragraph, |e, s| s.run.over(e));
        RunProps::read(rpr).over(base)
    }
}

/// The chain of styles from `id` through `basedOn` in `styles` (cycles and
/// chains longer than any real document's cut).
fn chain_in<'s>(styles: &'s HashMap<String, Style>, id: Option<&str>) -> Vec<&'s Style> {
    let mut out = Vec::new();
    let mut cur = id;
    while let Some(s) = cur.and_then(|c| styles.get(c)) {
        if out.len() > 32 || out.iter().any(|o: &&Style| std::ptr::eq(*o, s)) {
            break;
        }
        out.push(s);
        cur = s.based_on.as_deref();
    }
    out
}

impl Styles {
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
