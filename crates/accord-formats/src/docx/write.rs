//! Word out: a draft as the .docx a UN delegate expects — title, date line,
//! headings in Heading styles, paragraphs numbered by Word's automatic
//! numbering where the numbers run in sequence, preambular verbs in
//! italics, status tags and brackets as written, footnotes as Word
//! footnotes — and (in [`super::redline`]) a comparison as tracked changes.
//!
//! Everything is written so that [`super::read`] gives the same draft back:
//! the layout is the one the reader turns into the text the parser reads.

use std::io::Write as _;

use accord_core::emphasis::{self, Style};
use accord_core::{Draft, Emphasis, EmphasisKind, Paragraph, ParagraphKind, Status};

/// A WordprocessingML fragment under construction.
pub(crate) type Xml = String;

/// Escapes text for XML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 cannot hold most control characters; a form feed is a page break.
            '\u{c}' => out.push_str("</w:t><w:br w:type=\"page\"/><w:t xml:space=\"preserve\">"),
            // A line break within a paragraph (an address block, a signature).
            '\n' => out.push_str("</w:t><w:br/><w:t xml:space=\"preserve\">"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A run of text, italic or not.
pub(crate) fn run(text: &str, italic: bool) -> Xml {
    styled_run(text, Style { italic, ..Style::default() })
}

/// A run of text set as `style` (`w:b`, `w:i`, `w:u`).
pub(crate) fn styled_run(text: &str, style: Style) -> Xml {
    if text.is_empty() {
        return String::new();
    }
    let props = run_props(style);
    let props = if props.is_empty() { props } else { format!("<w:rPr>{props}</w:rPr>") };
    format!(r#"<w:r>{props}<w:t xml:space="preserve">{}</w:t></w:r>"#, esc(text))
}

/// The run properties (inside `w:rPr`) that set `style`.
pub(crate) fn run_props(style: Style) -> String {
    let mut props = String::new();
    if style.bold {
        props.push_str("<w:b/>");
    }
    if style.italic {
        props.push_str("<w:i/>");
    }
    if style.underline {
        props.push_str(r#"<w:u w:val="single"/>"#);
    }
    props
}

/// Runs for `chars[from..to]`, cut where the emphasis changes.
pub(crate) fn styled_runs(chars: &[char], from: usize, to: usize, spans: &[Emphasis]) -> Xml {
    let mut out = String::new();
    let local = emphasis::slice(spans, from as u32, to as u32);
    for (a, b, style) in emphasis::pieces((to - from) as u32, &local) {
        let piece: String = chars[from + a as usize..from + b as usize].iter().collect();
        out.push_str(&styled_run(&piece, style));
    }
    out
}

/// The emphasis a paragraph is written with: its own when the draft carries
/// any (it came from a formatted source), otherwise the convention of UN
/// drafts — the preambular verb in italics.
pub(crate) fn written_emphasis(draft_has_emphasis: bool, p: &Paragraph) -> Vec<Emphasis> {
    if draft_has_emphasis {
        return p.emphasis.clone();
    }
    let verb = verb_chars(p) as u32;
    if verb == 0 {
        return Vec::new();
    }
    vec![Emphasis { kind: EmphasisKind::Italic, start: 0, end: verb }]
}

/// Whether any paragraph or footnote of the draft carries emphasis.
pub(crate) fn has_emphasis(draft: &Draft) -> bool {
    draft.paragraphs.iter().any(|p| !p.emphasis.is_empty())
        || draft.footnotes.iter().any(|f| !f.emphasis.is_empty())
}

/// A deleted run (the text as `w:delText`).
pub(crate) fn del_run(text: &str) -> Xml {
    if text.is_empty() {
        return String::new();
    }
    format!(
        r#"<w:r><w:delText xml:space="preserve">{}</w:delText></w:r>"#,
        esc(text).replace("w:t ", "w:delText ").replace("</w:t>", "</w:delText>")
    )
}

/// A paragraph of `style` holding `content`.
pub(crate) fn paragraph(
    style: Option<&str>,
    numbering: Option<(u32, u32)>,
    mark: &str,
    content: &str,
) -> Xml {
    let mut ppr = String::new();
    if let Some(s) = style {
        ppr.push_str(&format!(r#"<w:pStyle w:val="{s}"/>"#));
    }
    if let Some((num, lvl)) = numbering {
        ppr.push_str(&format!(r#"<w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr>"#));
    }
    if !mark.is_empty() {
        ppr.push_str(&format!("<w:rPr>{mark}</w:rPr>"));
    }
    let ppr = if ppr.is_empty() { String::new() } else { format!("<w:pPr>{ppr}</w:pPr>") };
    format!("<w:p>{ppr}{content}</w:p>")
}

/// The status tag as the draft writes it after a paragraph: ` [Agreed ad ref]`.
pub(crate) fn status_tag(status: Status, note: Option<&str>) -> String {
    match (status, note) {
        (Status::Open, _) => String::new(),
        (s, Some(n)) => format!(" [{}, {n}]", s.tag()),
        (s, None) => format!(" [{}]", s.tag()),
    }
}

/// A paragraph's label as typed: `12.`, `(a)`, `PP3`, `Option 1:`.
pub(crate) fn typed_label(p: &Paragraph) -> Option<String> {
    if let Some(o) = &p.option {
        return Some(format!("{o}:"));
    }
    let n = p.number.as_deref()?;
    Some(if n.starts_with('(') || n.ends_with(')') {
        n.to_owned()
    } else if n.starts_with(|c: char| c.is_ascii_digit())
        || n.chars().count() <= 4 && n.chars().all(|c| c.is_ascii_uppercase())
    {
        format!("{n}.")
    } else {
        n.to_owned()
    })
}

/// How many words open a preambular paragraph's verb ("Recalling", "Recalling also",
/// "Deeply concerned"): the words printed in italics.
pub(crate) fn verb_chars(p: &Paragraph) -> usize {
    if p.kind != ParagraphKind::Preambular {
        return 0;
    }
    let mut words = p.text.split(' ');
    let Some(first) = words.next() else { return 0 };
    if !first.starts_with(|c: char| c.is_uppercase()) || first.starts_with('[') {
        return 0;
    }
    let mut n = first.chars().count();
    // An adverb before the verb, or "also"/"further" after it, belongs to it.
    if let Some(second) = words.next() {
        let adverb_first = first.ends_with("ly");
        if adverb_first || matches!(second.trim_end_matches(','), "also" | "further" | "again" | "moreover") {
            n += 1 + second.chars().count();
        }
    }
    n
}

/// A paragraph's automatic number: (`w:numId`, `w:ilvl`).
type NumRef = (u32, u32);

/// The lowest numbering instance ids: 1 for paragraphs (decimal, `(a)`, `(i)`).
const FIRST_LIST: u32 = 1;

/// Decides which paragraphs Word numbers itself: top-level decimal numbers
/// that run in sequence (a gap starts a new list instance at the right
/// start), and `(a)`, `(b)` … under them. Returns per paragraph the
/// (instance, level), and the instances' start values.
fn plan_numbering(draft: &Draft) -> (Vec<Option<NumRef>>, Vec<(u32, i64)>) {
    let mut plan = vec![None; draft.paragraphs.len()];
    let mut instances: Vec<(u32, i64)> = Vec::new();
    let mut last: Option<i64> = None;
    let mut letter: Option<(usize, u8)> = None; // (parent index, last letter)
    let mut parent_auto: Option<usize> = None;
    for (i, p) in draft.paragraphs.iter().enumerate() {
        if p.option.is_some() {
            continue;
        }
        let Some(n) = p.number.as_deref() else { continue };
        if p.parent.is_none() {
            let Ok(v) = n.parse::<i64>() else {
                last = None;
                continue;
            };
            if last != Some(v - 1) || instances.is_empty() {
                instances.push((FIRST_LIST + instances.len() as u32, v));
            }
            plan[i] = Some((instances.last().map_or(FIRST_LIST, |x| x.0), 0));
            last = Some(v);
            parent_auto = Some(i);
            letter = None;
        } else if let (Some(par), [b'(', c @ b'a'..=b'z', b')']) = (parent_auto, n.as_bytes()) {
            let parent_ok = draft.paragraphs[par].id == *p.parent.as_deref().unwrap_or("");
            let expected = match letter {
                Some((pi, l)) if pi == par => l + 1,
                _ => b'a',
            };
            if parent_ok && *c == expected && *c <= b'z' {
                plan[i] = Some((instances.last().map_or(FIRST_LIST, |x| x.0), 1));
                letter = Some((par, *c));
            } else {
                letter = Some((usize::MAX, 0));
            }
        }
    }
    (plan, instances)
}

fn numbering_xml(instances: &[(u32, i64)]) -> Xml {
    let lvl = |i: u32, fmt: &str, text: &str, indent: u32| {
        format!(
            r#"<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{}" w:hanging="567"/></w:pPr></w:lvl>"#,
            indent
        )
    };
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>{}{}{}</w:abstractNum>"#,
        lvl(0, "decimal", "%1.", 567),
        lvl(1, "lowerLetter", "(%2)", 1134),
        lvl(2, "lowerRoman", "(%3)", 1701)
    );
    for (id, start) in instances {
        out.push_str(&format!(
            r#"<w:num w:numId="{id}"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>"#
        ));
    }
    out.push_str("</w:numbering>");
    out
}

pub(crate) const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn styles_xml() -> Xml {
    let heading = |n: u32, size: u32| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="{}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr></w:style>"#,
            n - 1
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="DateLine"><w:name w:val="Date line"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>{}{}{}<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="20"/></w:rPr></w:style><w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style></w:styles>"#,
        heading(1, 26),
        heading(2, 24),
        heading(3, 24)
    )
}

/// Writes the parts into a .docx package. Parts named `word/x.xml` get their
/// relationships from the document.
pub(crate) fn package(document: &str, numbering: Option<&str>, footnotes: Option<&str>) -> Vec<u8> {
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    );
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    );
    if numbering.is_some() {
        rels.push_str(r#"<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#);
        types.push_str(r#"<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>"#);
    }
    if footnotes.is_some() {
        rels.push_str(r#"<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>"#);
        types.push_str(r#"<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>"#);
    }
    rels.push_str("</Relationships>");
    types.push_str("</Types>");
    let root_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let styles = styles_xml();
    let mut parts: Vec<(&str, &str)> = vec![
        ("[Content_Types].xml", &types),
        ("_rels/.rels", root_rels),
        ("word/_rels/document.xml.rels", &rels),
        ("word/document.xml", document),
        ("word/styles.xml", &styles),
    ];
    if let Some(n) = numbering {
        parts.push(("word/numbering.xml", n));
    }
    if let Some(f) = footnotes {
        parts.push(("word/footnotes.xml", f));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        // Writing into memory cannot fail but for lack of memory.
        zip.start_file(name, options).expect("zip entry in memory");
        zip.write_all(text.as_bytes()).expect("zip write in memory");
    }
    zip.finish().expect("zip in memory").into_inner()
}

/// The body of `word/document.xml` wrapped in its root.
pub(crate) fn document(body: &str) -> Xml {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

/// Where the footnote markers stand in a paragraph's text: a marker glued
/// to the text as a PDF prints it (`years]1.`), found the way the parser
/// finds them. Returns (char offset, marker) in text order.
fn marker_positions(text: &str, markers: &[String]) -> Vec<(usize, usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for m in markers {
        let mc: Vec<char> = m.chars().collect();
        let found = (1..chars.len().saturating_sub(mc.len() - 1).max(1)).find(|&i| {
            chars.get(i..i + mc.len()) == Some(&mc[..])
                && !chars[i - 1].is_ascii_digit()
                && (chars[i - 1].is_lowercase()
                    || matches!(chars[i - 1], ']' | ')' | '.' | ',' | ';' | ':' | '”' | '"' | '}'))
                && chars.get(i + mc.len()).is_none_or(|c| !c.is_ascii_alphanumeric())
                && !out.iter().any(|(s, _, _): &(usize, usize, String)| *s == i)
        });
        if let Some(i) = found {
            out.push((i, i + mc.len(), m.clone()));
        }
    }
    out.sort();
    out
}

/// The covering letters as Word paragraphs: a multi-line block (letterhead,
/// a signature, the addressees) is one paragraph with line breaks, as a
/// letter is typed.
pub(crate) fn letter_blocks(draft: &Draft) -> Vec<String> {
    let mut out = Vec::new();
    for letter in &draft.letters {
        if !letter.letterhead.is_empty() {
            out.push(letter.letterhead.join("\n"));
        }
        out.extend(letter.date.iter().chain(&letter.salutation).chain(&letter.body).cloned());
        out.extend(letter.signatures.iter().map(|s| s.join("\n")));
        if !letter.addressees.is_empty() {
            out.push(letter.addressees.join("\n"));
        }
    }
    out
}

/// The clean draft as a .docx.
pub fn draft(draft: &Draft) -> Vec<u8> {
    let mut body = String::new();
    for line in &draft.front_matter {
        body.push_str(&paragraph(None, None, "", &run(&line.text, false)));
    }
    for block in letter_blocks(draft) {
        body.push_str(&paragraph(None, None, "", &run(&block, false)));
    }
    if let Some(t) = &draft.title {
        let text = format!("{t}{}", status_tag(draft.title_status, draft.title_status_note.as_deref()));
        body.push_str(&paragraph(Some("Title"), None, "", &run(&text, false)));
    }
    if let Some(d) = &draft.date {
        body.push_str(&paragraph(Some("DateLine"), None, "", &run(d, false)));
    }
    let (plan, instances) = plan_numbering(draft);
    let emphasised = has_emphasis(draft);
    let mut notes = Vec::new();
    let mut headings = draft.headings.iter().peekable();
    let heading_xml = |h: &accord_core::Heading| {
        let text = match &h.number {
            Some(n) => format!("{n} {}", h.title),
            None => h.title.clone(),
        };
        let style = format!("Heading{}", h.level.clamp(1, 3));
        paragraph(Some(&style), None, "", &run(&text, false))
    };
    for (i, p) in draft.paragraphs.iter().enumerate() {
        while let Some(h) = headings.next_if(|h| h.first_paragraph <= i) {
            body.push_str(&heading_xml(h));
        }
        let mut content = String::new();
        if plan[i].is_none() {
            if let Some(label) = typed_label(p) {
                content.push_str(&run(&format!("{label} "), false));
            }
        }
        let text = format!("{}{}", p.text, status_tag(p.status, p.status_note.as_deref()));
        let chars: Vec<char> = text.chars().collect();
        let spans = written_emphasis(emphasised, p);
        let markers = marker_positions(&p.text, &p.footnotes);
        let mut at = 0;
        for (start, end, m) in markers {
            if start < at {
                continue;
            }
            content.push_str(&styled_runs(&chars, at, start, &spans));
            at = start;
            if let Some(k) = draft.footnotes.iter().position(|f| f.marker == m) {
                let id = notes.len() + 1;
                notes.push(k);
                // The marker as the draft has it (not Word's count), so it reads back the same.
                // Set like the text around it, so a marker inside an italic span does not cut it.
                let props = run_props(emphasis::style_at(&spans, start as u32));
                content.push_str(&format!(
                    r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:customMarkFollows="1" w:id="{id}"/></w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>{props}</w:rPr><w:t>{}</w:t></w:r>"#,
                    esc(&m)
                ));
                at = end;
            }
        }
        content.push_str(&styled_runs(&chars, at, chars.len(), &spans));
        body.push_str(&paragraph(None, plan[i], "", &content));
    }
    for h in headings {
        body.push_str(&heading_xml(h));
    }
    let numbering = (!instances.is_empty()).then(|| numbering_xml(&instances));
    let footnotes = (!notes.is_empty()).then(|| {
        let mut f = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"#
        );
        for (id, k) in notes.iter().enumerate() {
            f.push_str(&format!(
                r#"<w:footnote w:id="{}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>{}</w:p></w:footnote>"#,
                id + 1,
                {
                    let f = &draft.footnotes[*k];
                    let chars: Vec<char> = format!(" {}", f.text).chars().collect();
                    let shifted: Vec<Emphasis> =
                        f.emphasis.iter().map(|e| Emphasis { start: e.start + 1, end: e.end + 1, ..*e }).collect();
                    styled_runs(&chars, 0, chars.len(), &shifted)
                }
            ));
        }
        f.push_str("</w:footnotes>");
        f
    });
    package(&document(&body), numbering.as_deref(), footnotes.as_deref())
}

/// The compilation text as a .docx: the latest draft's paragraphs, each
/// followed by its live proposals, every one attributed (`p3 — Norway:
/// replace "2020" with "2025"`), with supporters, opponents and rationale.
pub fn compilation(
    title: &str,
    paragraphs: &[accord_core::negotiation::CompilationParagraph<'_>],
) -> Vec<u8> {
    let mut body = paragraph(Some("Title"), None, "", &run(title, false));
    for cp in paragraphs {
        let p = cp.paragraph;
        let label = typed_label(p).map(|l| format!("{l} ")).unwrap_or_default();
        let text = format!("{label}{}{}", p.text, status_tag(p.status, p.status_note.as_deref()));
        body.push_str(&paragraph(None, None, "", &run(&text, false)));
        for e in &cp.proposals {
            let pr = e.proposal;
            let mut line = format!("{} — {}: {}", pr.id, e.author_name, pr.describe());
            if !pr.supporters.is_empty() {
                line.push_str(&format!(" (supported by {})", pr.supporters.join(", ")));
            }
            if !pr.opponents.is_empty() {
                line.push_str(&format!(" (opposed by {})", pr.opponents.join(", ")));
            }
            let mut content = run(&line, false);
            if let Some(r) = &pr.rationale {
                content.push_str(&run(&format!(" — {r}"), true));
            }
            body.push_str(&format!(r#"<w:p><w:pPr><w:ind w:left="720"/></w:pPr>{content}</w:p>"#));
        }
    }
    package(&document(&body), None, None)
}
