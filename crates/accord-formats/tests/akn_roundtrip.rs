//! Round trip model → AKN → model on generated drafts: drafts parsed from
//! generated text in the shapes real ones take (sections, preambles,
//! sub-paragraphs, options, statuses, nested, adjacent and cross-paragraph
//! brackets, references), and models built directly with arbitrary text
//! (markup characters, control characters, line breaks, any script), odd
//! ids and parents, and headings anywhere.

mod akn_common;

use accord_core::{
    canonical, parse, Draft, Footnote, Heading, Letter, Line, Paragraph, ParagraphKind, SourceLines, Status,
};
use accord_formats::akn::{self, AknOptions};
use proptest::prelude::*;

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "the",
        "States",
        "shall",
        "should",
        "cooperate",
        "development",
        "resolution 70/1",
        "2030",
        "A/66/77",
        "paragraph 12 of the Tunis Agenda",
        "é",
        "日本",
        "حقوق",
        "—",
        "and/or",
        "&",
        "<b>",
        "\"q\"",
    ])
    .prop_map(str::to_owned)
}

fn sentence() -> impl Strategy<Value = String> {
    (prop::collection::vec(word(), 3..10), 0u8..7).prop_map(|(words, shape)| {
        let mut s = String::from("We ");
        for (i, w) in words.iter().enumerate() {
            let w = match (shape, i) {
                (1, 1) => format!("[{w}]"),
                (2, 2) => format!("[{w} [{w}/{w}]]"),
                (3, 1) => format!("[{w}][{w}]"),
                (4, 0) => format!("[2020/2025] {w}"),
                (5, 0) => format!("[{w}"), // opens here, closes in a later paragraph (or never)
                (6, 1) => format!("{w}]"),
                _ => w.clone(),
            };
            s.push_str(&w);
            s.push(' ');
        }
        s.pop();
        s.push('.');
        s
    })
}

fn draft_text() -> impl Strategy<Value = String> {
    let para = (sentence(), 0u8..7, 0u8..4);
    (prop::collection::vec(para, 1..25), any::<bool>()).prop_map(|(paras, headings)| {
        let mut t = String::from("Draft outcome document – 3 March 2026\n\n");
        let (mut n, mut section) = (0, 0);
        for (i, (s, kind, tag)) in paras.iter().enumerate() {
            if headings && i % 5 == 2 {
                section += 1;
                t.push_str(&format!("\n{section}. Section Title Number {section}\n\n"));
            }
            let tag = ["", " [Suggested for Closure]", " [Agreed ad ref]", " [Agreed]"][*tag as usize];
            match kind {
                0 => t.push_str(&format!("({}) {s}\n", (b'a' + (i % 20) as u8) as char)),
                1 => t.push_str(&format!("Option {}: {s}\n", i % 3 + 1)),
                2 => t.push_str(&format!("PP{} Recalling {s}{tag}\n", i + 1)),
                3 => t.push_str(&format!("Recalling {s}\n\n")),
                _ => {
                    n += 1;
                    t.push_str(&format!("{n}. {s}{tag}\n\n"));
                }
            }
        }
        t
    })
}

/// Any text, with what XML cannot hold literally.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{0,40}", "[ a-z\\[\\]/&<>\"'\r\n\t\u{0}\u{c}\u{1f}\u{fffe}é日]{0,40}", sentence(),]
}

fn plain() -> impl Strategy<Value = String> {
    "[ a-zA-Z0-9().&<>\"'/é日-]{0,12}"
}

fn model() -> impl Strategy<Value = Draft> {
    let status = prop::sample::select(vec![
        Status::Open,
        Status::SuggestedForClosure,
        Status::AgreedAdRef,
        Status::Agreed,
    ]);
    let paragraph = (
        plain(),
        prop::option::of(plain()),
        any::<bool>(),
        prop::option::of(plain()),
        prop::option::of(0usize..30),
        prop::option::of(plain()),
        status.clone(),
        prop::option::of(plain()),
        any_text(),
        prop::collection::vec(plain(), 0..2),
        (0u32..500, 0u32..5),
    );
    let heading = (plain(), prop::option::of(plain()), any_text(), 0u8..5, 0usize..30, 0u32..500);
    (
        prop::collection::vec(paragraph, 0..20),
        prop::collection::vec(heading, 0..6),
        prop::option::of(any_text()),
        status,
        prop::option::of(plain()),
        prop::option::of(any_text()),
        prop::collection::vec((0u32..99, any_text()), 0..3),
        prop::collection::vec((plain(), any_text()), 0..3),
        prop::collection::vec(
            (
                any_text(),
                prop::collection::vec(any_text(), 0..3),
                prop::collection::vec(prop::collection::vec(any_text(), 0..2), 0..2),
            ),
            0..2,
        ),
    )
        .prop_map(|(ps, hs, title, title_status, title_note, date, lines, notes, letters)| {
            let n = ps.len();
            let ids: Vec<String> = ps.iter().map(|p| p.0.clone()).collect();
            let paragraphs = ps
                .into_iter()
                .map(|(id, number, pre, heading, parent, option, status, note, text, footnotes, (l, k))| {
                    Paragraph {
                        id,
                        number,
                        kind: if pre { ParagraphKind::Preambular } else { ParagraphKind::Operative },
                        heading,
                        parent: parent.and_then(|j| ids.get(j).cloned()),
                        option,
                        status,
                        status_note: note,
                        text,
                        brackets: Vec::new(),
                        references: Vec::new(),
                        footnotes,
                        source_lines: SourceLines { first: l, last: l + k },
                        emphasis: Vec::new(),
                    }
                })
                .collect();
            let mut headings: Vec<Heading> = hs
                .into_iter()
                .map(|(id, number, title, level, first, l)| Heading {
                    id,
                    number,
                    title,
                    level,
                    first_paragraph: first.min(n),
                    source_lines: SourceLines { first: l, last: l },
                })
                .collect();
            headings.sort_by_key(|h| h.first_paragraph);
            let d = Draft {
                title_status: if title.is_some() { title_status } else { Status::Open },
                title_status_note: title.as_ref().and(title_note),
                title,
                date,
                front_matter: lines.iter().map(|(l, t)| Line { line: *l, text: t.clone() }).collect(),
                furniture: lines.into_iter().map(|(l, text)| Line { line: l + 1, text }).collect(),
                footnotes: notes
                    .into_iter()
                    .map(|(marker, text)| Footnote {
                        marker,
                        text,
                        source_lines: SourceLines { first: 1, last: 2 },
                        emphasis: Vec::new(),
                    })
                    .collect(),
                letters: letters
                    .into_iter()
                    .map(|(sender, body, signatures)| Letter {
                        sender,
                        body,
                        signatures,
                        date: Some("1 May 2026".into()),
                        ..Letter::default()
                    })
                    .collect(),
                headings,
                paragraphs,
                diagnostics: Vec::new(),
            };
            // Brackets and references as the parser derives them from the text.
            canonical::read(&canonical::write(&d))
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn parsed_drafts_read_back_the_same(text in draft_text(), adopted in any::<bool>()) {
        let d = parse(&text);
        let xml = akn::write(&d, &AknOptions { adopted, ..AknOptions::default() });
        let back = akn::read(xml.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        prop_assert_eq!(akn_common::comparable(&back), akn_common::comparable(&d));
    }

    #[test]
    fn any_model_reads_back_the_same(d in model()) {
        let xml = akn::write(&d, &AknOptions::default());
        let back = akn::read(xml.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        akn_common::assert_same("model", &d, &back);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = akn::read(&bytes);
        let mut xml = b"<akomaNtoso xmlns:accord=\"https://accord.un-negotiations.org/ns/akn/1\"><statement><mainBody>".to_vec();
        xml.extend(&bytes);
        let _ = akn::read(&xml);
    }
}

/// A handful of the generated models validate against the schema too.
#[test]
fn generated_models_validate() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut docs = Vec::new();
    for i in 0..24 {
        let d = model().new_tree(&mut runner).unwrap().current();
        docs.push((
            format!("model {i}"),
            akn::write(&d, &AknOptions { adopted: i % 2 == 0, ..AknOptions::default() }),
        ));
        let t = draft_text().new_tree(&mut runner).unwrap().current();
        docs.push((format!("text {i}"), akn::write(&parse(&t), &AknOptions::default())));
    }
    akn_common::validate(&docs);
}
