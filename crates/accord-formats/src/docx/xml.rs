//! Small helpers over `roxmltree` for WordprocessingML: elements and
//! attributes found by local name, so that both the transitional
//! (`schemas.openxmlformats.org`) and the strict (`purl.oclc.org`)
//! namespaces are read alike.

use roxmltree::{Document, Node, ParsingOptions};

use super::DocxError;

/// Parses one part of the package. DTDs stay refused (roxmltree's default):
/// that is what keeps entity expansion ("billion laughs") out.
pub fn parse<'a>(part: &str, text: &'a str) -> Result<Document<'a>, DocxError> {
    let options = ParsingOptions { allow_dtd: false, ..ParsingOptions::default() };
    Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        let message = match e {
            roxmltree::Error::DtdDetected => {
                "it declares a DTD, which a Word part never does (entity expansion is refused)".to_owned()
            }
            other => other.to_string(),
        };
        DocxError::Xml { part: part.to_owned(), line: pos.row, column: pos.col, message }
    })
}

/// The element's attribute with this local name (`w:val`, `w:id`, …).
pub fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes().find(|a| a.name() == name).map(|a| a.value())
}

/// `w:val` of an element.
pub fn val<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    attr(node, "val")
}

/// The first child element with this local name.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

/// The child elements with this local name.
pub fn children<'a, 'i: 'a>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// Whether a toggle property (`w:b`, `w:i`, `w:vanish`) is on: present and
/// not `w:val="0"`/`"false"`.
pub fn toggle(props: Option<Node<'_, '_>>, name: &str) -> bool {
    props
        .and_then(|p| child(p, name))
        .is_some_and(|t| val(t).is_none_or(|v| v != "0" && v != "false" && v != "off"))
}
