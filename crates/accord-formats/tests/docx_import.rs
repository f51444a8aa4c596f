//! Word import: automatic numbering, headings, notes, tables, furniture,
//! tracked changes and comments, each in a package written here by hand.

mod docx_support;

use accord_core::{ParagraphKind, Status};
use accord_formats::docx::{self, ChangeKind};
use docx_support::*;

/// A list definition: level 0 `%1.` decimal, level 1 `(%2)` lowerLetter,
/// level 2 `(%3)` lowerRoman; plus upperRoman and upperLetter lists.
fn numbering() -> String {
    let lvl = |i: u32, start: u32, fmt: &str, text: &str| {
        format!(
            r#"<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>"#
        )
    };
    let paragraphs = format!(
        r#"<w:abstractNum w:abstractNumId="0">{}{}{}</w:abstractNum>"#,
        lvl(0, 1, "decimal", "%1."),
        lvl(1, 1, "lowerLetter", "(%2)"),
        lvl(2, 1, "lowerRoman", "(%3)")
    );
    let chapters =
        format!(r#"<w:abstractNum w:abstractNumId="1">{}</w:abstractNum>"#, lvl(0, 1, "upperRoman", "%1."));
    let sections =
        format!(r#"<w:abstractNum w:abstractNumId="2">{}</w:abstractNum>"#, lvl(0, 1, "upperLetter", "%1."));
    part(
        "numbering",
        &format!(
            r#"{paragraphs}{chapters}{sections}
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="20"/></w:lvlOverride></w:num>
            <w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
            <w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>"#
        ),
    )
}

fn styles() -> String {
    part(
        "styles",
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
           <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
           <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
           <w:style w:type="paragraph" w:styleId="ListPara"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#,
    )
}

fn styled(style: &str, text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
}

#[test]
fn automatic_numbers_formats_restarts_and_continuations() {
    let body = [
        np(4, 0, "General provisions"),
        np(1, 0, "Recalling its resolution 70/1,"),
        np(1, 0, "Decides to convene a conference;"),
        np(1, 1, "Sharing information;"),
        np(1, 2, "In writing;"),
        np(1, 2, "Orally;"),
        np(1, 1, "Early warning systems;"),
        // Another instance of the same definition continues the list.
        np(2, 0, "Requests the Secretary-General to report;"),
        np(1, 1, "A sub-paragraph that restarts at (a);"),
        // A start override restarts it at 20.
        np(3, 0, "Decides to remain seized of the matter."),
        np(4, 0, "Final provisions"),
        np(5, 0, "Entry into force"),
    ]
    .concat();
    let pkg = package(&[
        ("word/document.xml", document(&body)),
        ("word/numbering.xml", numbering()),
        ("word/styles.xml", styles()),
    ]);
    let import = docx::read(&pkg).unwrap();
    let d = &import.draft;
    let numbers: Vec<(&str, Option<&str>)> =
        d.paragraphs.iter().map(|p| (p.id.as_str(), p.parent.as_deref())).collect();
    assert_eq!(
        numbers,
        [
            ("1", None),
            ("2", None),
            ("2(a)", Some("2")),
            ("2(a)(i)", Some("2(a)")),
            ("2(a)(ii)", Some("2(a)")),
            ("2(b)", Some("2")),
            ("3", None),
            ("3(a)", Some("3")),
            ("20", None),
        ],
        "{:#?}",
        d.paragraphs.iter().map(|p| (&p.id, &p.text)).collect::<Vec<_>>()
    );
    let ids: Vec<&str> = d.headings.iter().map(|h| h.id.as_str()).collect();
    assert!(ids.contains(&"I") && ids.contains(&"II"), "{:?}", d.headings);
    assert!(d.headings.iter().any(|h| h.title.contains("Entry into force")), "{:?}", d.headings);
    assert_eq!(d.paragraphs[0].text, "Recalling its resolution 70/1,");
    assert_eq!(d.paragraphs[0].kind, ParagraphKind::Preambular);
    assert_eq!(d.paragraphs[1].kind, ParagraphKind::Operative);
    // Positions count Word paragraphs: "Decides …" is the third.
    assert_eq!(d.paragraphs[1].source_lines.first, 3);
}

#[test]
fn numbering_from_a_style_and_headings_from_styles() {
    let body = [
        styled("Title", "Draft outcome document"),
        styled("Heading1", "Preamble"),
        styled("ListPara", "Recalling the Charter of the United Nations,"),
        styled("ListPara", "Reaffirming the 2030 Agenda, [Agreed ad ref]"),
        styled("Heading1", "Operative part"),
        styled("ListPara", "Decides to [hold/convene] a meeting in 2027;"),
    ]
    .concat();
    let pkg = package(&[
        ("word/document.xml", document(&body)),
        ("word/numbering.xml", numbering()),
        ("word/styles.xml", styles()),
    ]);
    let d = docx::read(&pkg).unwrap().draft;
    assert_eq!(d.title.as_deref(), Some("Draft outcome document"));
    let ids: Vec<&str> = d.paragraphs.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(d.paragraphs[1].status, Status::AgreedAdRef);
    assert_eq!(d.paragraphs[2].brackets[0].alternatives.as_deref().map(|a| a.len()), Some(2));
    let headings: Vec<&str> = d.headings.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(headings, ["Preamble", "Operative part"]);
}

#[test]
fn footnotes_tables_text_boxes_fields_headers_and_footers() {
    let body = [
        p("Preamble"),
        r#"<w:p><w:r><w:t>1. Recalling the Agreement</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:t>,</w:t></w:r></w:p>"#.to_owned(),
        // A field: its instructions are not text, its result is.
        r#"<w:p><w:r><w:t xml:space="preserve">2. Noting document </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF symbol </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>A/70/1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>,</w:t></w:r></w:p>"#.to_owned(),
        format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
            p("3. Decides to establish a registry;"),
            p("Proposed by the Group of 77"),
            p("4. Requests a report;"),
            p("Supported by the European Union")
        ),
        r#"<w:p><w:r><w:t>5. Invites all States to ratify;</w:t></w:r><w:r><w:drawing><wp:anchor xmlns:wp="x"><a:graphic xmlns:a="y"><a:graphicData><wps:wsp xmlns:wps="z"><wps:txbx><w:txbxContent><w:p><w:r><w:t>Box text kept</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"#.to_owned(),
    ]
    .concat();
    let footnotes = part(
        "footnotes",
        r#"<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
           <w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> FCCC/CP/2015/10/Add.1, decision 1/CP.21.</w:t></w:r></w:p></w:footnote>"#,
    );
    let header = part("hdr", &p("WG.2026.3.InformalNote"));
    let footer = part(
        "ftr",
        r#"<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>"#,
    );
    let pkg = package(&[
        ("word/document.xml", document(&body)),
        ("word/footnotes.xml", footnotes),
        ("word/header1.xml", header),
        ("word/footer1.xml", footer),
    ]);
    let d = docx::read(&pkg).unwrap().draft;
    let texts: Vec<(&str, &str)> = d.paragraphs.iter().map(|p| (p.id.as_str(), p.text.as_str())).collect();
    assert_eq!(texts[0], ("1", "Recalling the Agreement1,"));
    assert_eq!(texts[1], ("2", "Noting document A/70/1,"));
    // Every word is somewhere in the model (a short cell may read as a heading).
    let all: String = d
        .paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .chain(d.headings.iter().map(|h| h.title.as_str()))
        .chain(d.front_matter.iter().map(|l| l.text.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    for words in [
        "Decides to establish a registry;",
        "Proposed by the Group of 77",
        "Requests a report;",
        "Supported by the European Union",
        "Box text kept",
    ] {
        assert!(all.contains(words), "{words} lost: {texts:?}");
    }
    assert!(!all.contains("REF symbol"));
    assert_eq!(d.footnotes.len(), 1);
    assert_eq!(d.footnotes[0].marker, "1");
    assert_eq!(d.footnotes[0].text, "FCCC/CP/2015/10/Add.1, decision 1/CP.21.");
    assert_eq!(d.paragraphs[0].footnotes, ["1"]);
    let furniture: Vec<&str> = d.furniture.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(furniture, ["WG.2026.3.InformalNote", "Page 1"]);
}

#[test]
fn tracked_changes_every_character_author_and_date_accounted_for() {
    let import = docx::read(&marked_up()).unwrap();
    let d = &import.draft;
    let text = |id: &str| {
        d.paragraphs.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("{id}: {d:#?}")).text.clone()
    };
    // The base text: every change rejected.
    assert_eq!(text("1"), "Recalling its resolution 70/1, and noting with concern the gaps,");
    assert_eq!(text("2"), "Decides to hold a meeting in 2020 at the latest;");
    assert_eq!(text("3"), "Calls upon all States to act.");
    assert_eq!(text("4"), "Requests the secretariat to report promptly to the Conference.");
    assert_eq!(d.paragraphs.len(), 4, "the inserted paragraph is not in the base text");

    let c = &import.tracked_changes;
    let summary: Vec<(ChangeKind, Option<&str>, &str, &str, &str)> = c
        .iter()
        .map(|c| {
            (
                c.kind,
                c.paragraph.as_deref(),
                c.inserted.as_str(),
                c.deleted.as_str(),
                c.author.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (ChangeKind::Insert, Some("1"), " of 25 September 2015", "", "Norway"),
            (ChangeKind::Delete, Some("1"), "", "noting with concern the gaps,", "G77"),
            (ChangeKind::Replace, Some("2"), "2025", "2020", "Norway"),
            (ChangeKind::Delete, Some("3"), "", "all ", "European Union"),
            (ChangeKind::Insert, Some("3"), "developed ", "", "G77"),
            (ChangeKind::Insert, Some("3"), "\n3 bis. Invites further action.", "", "G77"),
            (ChangeKind::Delete, Some("4"), "", "promptly ", "Norway"),
            (ChangeKind::Insert, Some("4"), " promptly", "", "Norway"),
        ]
    );
    // Spans are in characters of the base paragraph text and quote it exactly.
    for ch in c.iter().filter(|c| !c.deleted.is_empty()) {
        let t: Vec<char> = text(ch.paragraph.as_deref().unwrap()).chars().collect();
        let quoted: String = t[ch.start as usize..ch.end as usize].iter().collect();
        assert_eq!(quoted, ch.deleted, "{ch:?}");
    }
    let p1: Vec<char> = text("1").chars().collect();
    assert_eq!(p1[..c[0].start as usize].iter().collect::<String>(), "Recalling its resolution 70/1");
    assert_eq!(c[2].date.as_deref(), Some("2015-12-08T11:03:00Z"));
    assert!(c[6].moved && c[7].moved);
    // Accepting every change gives the new text.
    let accepted = apply(&text("3"), c.iter().filter(|c| c.paragraph.as_deref() == Some("3")));
    assert_eq!(accepted, "Calls upon developed States to act.\n3 bis. Invites further action.");

    let comments = &import.comments;
    assert_eq!(comments.len(), 2);
    let quoted: String = text("2")
        .chars()
        .skip(comments[0].start as usize)
        .take((comments[0].end - comments[0].start) as usize)
        .collect();
    assert_eq!(quoted, "2020 at the latest");
    assert_eq!(comments[0].author.as_deref(), Some("Norway"));
    assert_eq!(comments[0].date.as_deref(), Some("2015-12-08T10:30:00Z"));
    assert_eq!(comments[0].text, "2025 reflects the review cycle.\nSee decision 1/CP.21.");
    assert_eq!((comments[1].paragraph.as_deref(), comments[1].start, comments[1].end), (Some("3"), 15, 15));
    assert_eq!(comments[1].author.as_deref(), Some("G77"));
}

/// Applies changes (sorted by position, none overlapping) to a base text.
fn apply<'a>(base: &str, changes: impl Iterator<Item = &'a docx::TrackedChange>) -> String {
    let chars: Vec<char> = base.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for c in changes {
        out.extend(&chars[at..c.start as usize]);
        out.push_str(&c.inserted);
        at = c.end as usize;
    }
    out.extend(&chars[at..]);
    out
}

#[test]
fn text_inserted_then_deleted_is_in_neither_reading() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">1. Decides to act </w:t></w:r><w:ins w:id="1" w:author="A" w:date="2015-12-01T00:00:00Z"><w:r><w:t xml:space="preserve">now </w:t></w:r><w:del w:id="2" w:author="B" w:date="2015-12-02T00:00:00Z"><w:r><w:delText xml:space="preserve">promptly </w:delText></w:r></w:del></w:ins><w:r><w:t>together.</w:t></w:r></w:p>"#;
    let pkg = docx(body);
    assert_eq!(docx::read(&pkg).unwrap().draft.paragraphs[0].text, "Decides to act together.");
    assert_eq!(docx::read_accepted(&pkg).unwrap().draft.paragraphs[0].text, "Decides to act now together.");
}
