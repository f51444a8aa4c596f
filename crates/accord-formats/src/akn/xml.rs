//! Writing XML text and attribute values so that they read back exactly.
//!
//! XML parsers normalise what they read: `\r` in text becomes `\n`, tabs
//! and line breaks in attribute values become spaces, and most control
//! characters cannot appear at all (not even as character references, in
//! XML 1.0). Drafts extracted from PDFs can hold any of these, so text is
//! escaped here and the characters XML cannot carry are written as an empty
//! `<inline name="controlCharacter" accord:char="12"/>` that the reader turns
//! back into the character.

/// True for a character XML 1.0 can carry (literally or as a reference).
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `s` as element text: markup characters and `\r` escaped.
/// Characters XML cannot hold become `controlCharacter` elements when
/// `markup` is true (mixed content), U+FFFD otherwise.
pub(crate) fn text(out: &mut String, s: &str, markup: bool) {
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let rep: Option<&str> = match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '\r' => Some("&#13;"),
            c if !xml_char(c) => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        start = i + c.len_utf8();
        match rep {
            Some(r) => out.push_str(r),
            None if markup => {
                out.push_str("<inline name=\"controlCharacter\" accord:char=\"");
                out.push_str(&(c as u32).to_string());
                out.push_str("\"/>");
            }
            None => out.push('\u{FFFD}'),
        }
    }
    out.push_str(&s[start..]);
}

/// Appends `s` as an attribute value (for double quotes): markup, quotes and
/// whitespace other than spaces escaped; characters XML cannot hold become U+FFFD.
pub(crate) fn attr_value(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\t' => "&#9;",
            '\n' => "&#10;",
            '\r' => "&#13;",
            c if !xml_char(c) => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
}

/// Appends ` name="value"`.
pub(crate) fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    attr_value(out, value);
    out.push('"');
}

/// An `eId`-safe form of an Accord id: letters and digits kept, every other
/// run of characters one `_` (`12(a)` → `12_a`, `Pp12 Option 1` → `Pp12_Option_1`).
pub(crate) fn id_part(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut gap = false;
    for c in id.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_what_xml_cannot_hold() {
        let mut s = String::new();
        text(&mut s, "a<b>&c\r\u{c}d", true);
        assert_eq!(s, "a&lt;b&gt;&amp;c&#13;<inline name=\"controlCharacter\" accord:char=\"12\"/>d");
        let mut s = String::new();
        attr(&mut s, "x", "q\"\t\n");
        assert_eq!(s, " x=\"q&quot;&#9;&#10;\"");
        assert_eq!(id_part("12(a)"), "12_a");
        assert_eq!(id_part("Pp12 Option 1"), "Pp12_Option_1");
        assert_eq!(id_part("(("), "x");
    }
}
