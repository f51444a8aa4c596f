//! Bold, italic and underline through Word: read from run properties,
//! character and paragraph styles and the document defaults (`w:val="0"`
//! off), placed on the paragraph's characters (the text unchanged), and
//! written back so that reading our own .docx gives the same spans.

mod docx_support;

use accord_core::emphasis;
use accord_core::{Emphasis, EmphasisKind};
use accord_formats::docx;
use docx_support::*;
use proptest::prelude::*;

fn r(props: &str, text: &str) -> String {
    format!(r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn spans_of(p: &accord_core::Paragraph) -> Vec<(EmphasisKind, String)> {
    let chars: Vec<char> = p.text.chars().collect();
    p.emphasis.iter().map(|e| (e.kind, chars[e.start as usize..e.end as usize].iter().collect())).collect()
}

#[test]
fn run_properties_styles_and_defaults_set_the_spans() {
    use EmphasisKind::*;
    let styles = part(
        "styles",
        r#"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24"/></w:rPr></w:rPrDefault></w:docDefaults>
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
        <w:style w:type="paragraph" w:styleId="Chapeau"><w:name w:val="Chapeau"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
        <w:style w:type="character" w:styleId="Verb"><w:name w:val="Verb"/><w:rPr><w:i/></w:rPr></w:style>"#,
    );
    let body = [
        format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>{}{}</w:p>",
            r("<w:i/>", "Recalling"),
            r("", " its resolution 70/1,")
        ),
        // A character style; bold then turned off by w:val="0"; an underline.
        format!(
            "<w:p>{}{}{}{}{}</w:p>",
            r(r#"<w:rStyle w:val="Verb"/>"#, "Noting"),
            r(r#"<w:b/>"#, " with "),
            r(r#"<w:b w:val="0"/>"#, "concern"),
            r(r#"<w:u w:val="single"/>"#, " the report"),
            r(r#"<w:u w:val="none"/>"#, " of the Secretary-General,"),
        ),
        // A bold paragraph style, its runs bold unless they turn it off.
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Chapeau"/></w:pPr>{}{}</w:p>"#,
            r("", "Decides"),
            r(r#"<w:b w:val="false"/><w:i/>"#, " to act;"),
        ),
        // Arabic: the complex-script italic.
        format!("<w:p>{}{}</w:p>", r("<w:iCs/><w:rtl/>", "إذ تشير"), r("", " إلى قرارها،")),
    ]
    .concat();
    let numbering = part(
        "numbering",
        r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
    );
    let bytes = package(&[
        ("word/document.xml", document(&body)),
        ("word/styles.xml", styles),
        ("word/numbering.xml", numbering),
    ]);
    let d = docx::read(&bytes).unwrap().draft;
    let ps = &d.paragraphs;
    assert_eq!(ps.len(), 4, "{ps:#?}");
    // The text is the text: emphasis lies beside it.
    assert_eq!(ps[0].text, "Recalling its resolution 70/1,");
    assert_eq!(spans_of(&ps[0]), [(Italic, "Recalling".to_owned())]);
    assert_eq!(ps[1].text, "Noting with concern the report of the Secretary-General,");
    assert_eq!(
        spans_of(&ps[1]),
        [(Italic, "Noting".into()), (Bold, " with ".into()), (Underline, " the report".into())]
    );
    assert_eq!(spans_of(&ps[2]), [(Bold, "Decides".into()), (Italic, " to act;".into())]);
    assert_eq!(spans_of(&ps[3]), [(Italic, "إذ تشير".into())]);
}

#[test]
fn a_plain_text_draft_goes_out_with_italic_verbs_and_comes_back_with_them() {
    let text = "Draft resolution\n\nPreamble\n\n1. Recalling also its resolution 70/1,\n\n2. Deeply concerned by the report,\n\nOperative part\n\n3. Decides to act.\n";
    let draft = accord_core::parse(text);
    assert!(draft.paragraphs.iter().all(|p| p.emphasis.is_empty()));
    let back = docx::read(&docx::write::draft(&draft)).unwrap().draft;
    let spans: Vec<_> = back.paragraphs.iter().map(spans_of).collect();
    use EmphasisKind::Italic;
    assert_eq!(
        spans,
        [vec![(Italic, "Recalling also".to_owned())], vec![(Italic, "Deeply concerned".into())], vec![]]
    );
    // From then on the model's own spans are written: the round trip is exact.
    let again = docx::read(&docx::write::draft(&back)).unwrap().draft;
    assert_eq!(again.paragraphs, back.paragraphs);
}

#[test]
fn a_footnote_marker_inside_an_italic_span_does_not_cut_it_and_notes_keep_theirs() {
    let text = "Draft decision\n\nPreamble\n\n1. Recalling the Agreement1 and its goals,\n";
    let mut draft = accord_core::parse(text);
    draft.footnotes = vec![accord_core::Footnote {
        marker: "1".into(),
        text: "Adopted in Paris.".into(),
        source_lines: [9, 9].into(),
        emphasis: vec![Emphasis { kind: EmphasisKind::Italic, start: 0, end: 7 }],
    }];
    draft.paragraphs[0].footnotes = vec!["1".into()];
    draft.paragraphs[0].emphasis = vec![Emphasis { kind: EmphasisKind::Italic, start: 0, end: 24 }];
    let back = docx::read(&docx::write::draft(&draft)).unwrap().draft;
    assert_eq!(back.paragraphs[0].text, draft.paragraphs[0].text);
    assert_eq!(back.paragraphs[0].emphasis, draft.paragraphs[0].emphasis);
    // The footnote's own emphasis goes out and comes back too.
    assert_eq!(back.footnotes[0].text, "Adopted in Paris.");
    assert_eq!(back.footnotes[0].emphasis, draft.footnotes[0].emphasis);
}

/// Raw spans: (paragraph, kind, start, length), the paragraph and start
/// taken modulo what the draft has.
fn raw_spans() -> impl Strategy<Value = Vec<(usize, EmphasisKind, u32, u32)>> {
    let kind =
        prop_oneof![Just(EmphasisKind::Italic), Just(EmphasisKind::Bold), Just(EmphasisKind::Underline)];
    prop::collection::vec((0..16usize, kind, 0..200u32, 1..14u32), 1..20)
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("States".to_owned()),
        Just("[shall/should]".to_owned()),
        Just("2030".to_owned()),
        Just("développement".to_owned()),
        "[a-z]{2,9}",
    ]
}

fn draft_text() -> impl Strategy<Value = String> {
    (prop::collection::vec(prop::collection::vec(word(), 2..12), 1..8), 0..8usize).prop_map(
        |(ps, preambular)| {
            let mut text = String::from("Draft resolution\n\nPreamble\n\n");
            let preambular = preambular.min(ps.len());
            for (n, words) in ps.iter().enumerate() {
                if n == preambular {
                    text.push_str("Operative part\n\n");
                }
                let (verb, end) = if n < preambular { ("Recalling", ',') } else { ("Decides", ';') };
                text.push_str(&format!("{}. {verb} {}{end}\n\n", n + 1, words.join(" ")));
            }
            text
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Any spans on any paragraphs: our .docx read back gives the same spans
    /// over the same text.
    #[test]
    fn our_docx_read_back_gives_the_same_spans(text in draft_text(), raw in raw_spans()) {
        let mut draft = accord_core::parse(&text);
        let count = draft.paragraphs.len();
        for (k, kind, start, n) in raw {
            let p = &mut draft.paragraphs[k % count];
            let len = p.text.chars().count() as u32;
            let start = start % len.max(1);
            p.emphasis.push(Emphasis { kind, start, end: start + n });
        }
        for p in &mut draft.paragraphs {
            let len = p.text.chars().count() as u32;
            p.emphasis = emphasis::normalize(std::mem::take(&mut p.emphasis), len);
        }
        let back = docx::read(&docx::write::draft(&draft)).unwrap().draft;
        prop_assert_eq!(back.paragraphs.len(), draft.paragraphs.len());
        for (b, d) in back.paragraphs.iter().zip(&draft.paragraphs) {
            prop_assert_eq!(&b.text, &d.text);
            prop_assert_eq!(&b.emphasis, &d.emphasis, "paragraph {}", d.id);
        }
    }
}
