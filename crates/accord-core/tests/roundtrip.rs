//! Accord's canonical form reads back to the same model: on the seed, on the
//! Paris drafts, and on random drafts in the shapes real ones take.

mod common;

use accord_core::{canonical, parse, Draft};
use proptest::prelude::*;

fn without_diagnostics(mut d: Draft) -> Draft {
    d.diagnostics.clear();
    d
}

fn assert_round_trip(d: &Draft) {
    let written = canonical::write(d);
    let back = parse(&written);
    assert!(back.diagnostics.iter().all(|x| x.code != "canonical-syntax"), "{:?}", back.diagnostics);
    assert_eq!(without_diagnostics(back), without_diagnostics(d.clone()));
}

#[test]
fn seed_round_trips() {
    let seed = common::read_shared("seeds/000_a85ec3b89659f1a1.txt");
    assert_round_trip(&parse(&seed));
    assert_eq!(accord_core::parse_owned(seed.clone()), parse(&seed));
}

#[test]
fn paris_drafts_round_trip() {
    for f in [
        "8infnot.txt",
        "11infnot.txt",
        "adp_compilation_4dec15_10am.txt",
        "negotiating_text_12022015@2200.txt",
    ] {
        assert_round_trip(&parse(&common::read_shared(&format!("drafts/unfccc-paris-2015/{f}"))));
    }
}

#[test]
fn text_with_line_breaks_goes_inline() {
    let mut d = parse("1. First paragraph.\n2. Second paragraph.\n");
    d.paragraphs[0].text = "two\nlines and a %directive".into();
    assert_round_trip(&d);
}

#[test]
fn malformed_canonical_records_are_reported_not_fatal() {
    let d = parse("%accord-draft 1\n%paragraph {not json\ntext\n%bogus {}\nx\n");
    assert!(d.diagnostics.iter().any(|x| x.code == "canonical-syntax" && x.line == 2));
    assert!(d.paragraphs.is_empty());
}

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "the",
        "States",
        "shall",
        "should",
        "cooperate",
        "development",
        "Internet",
        "resolution",
        "70/1",
        "2030",
        "rights",
        "Agenda",
        "measures",
        "é",
        "日本",
        "—",
        "and/or",
        "A/66/77",
        "paragraph 12 of the Tunis Agenda",
    ])
    .prop_map(str::to_owned)
}

/// A sentence with optional brackets, nested brackets and alternatives.
fn sentence() -> impl Strategy<Value = String> {
    (prop::collection::vec(word(), 3..12), 0u8..5, prop::sample::select(vec![".", ";", ",", ":"])).prop_map(
        |(words, shape, end)| {
            let mut s = String::from("We ");
            for (i, w) in words.iter().enumerate() {
                let w = match (shape, i) {
                    (1, 1) => format!("[{w}]"),
                    (2, 2) => format!("[{w} [{w}/{w}]]"),
                    (3, 1) => format!("[{w}][{w}]"),
                    (4, 0) => format!("[2020/2025] {w}"),
                    _ => w.clone(),
                };
                s.push_str(&w);
                s.push(' ');
            }
            s.pop();
            s.push_str(end);
            s
        },
    )
}

fn draft_text() -> impl Strategy<Value = String> {
    let para = (sentence(), 0u8..6, any::<bool>());
    (prop::collection::vec(para, 1..25), any::<bool>(), any::<bool>()).prop_map(|(paras, headings, paged)| {
        let mut t = String::from("Draft outcome document – 3 March 2026\n\n");
        let mut n = 0;
        let mut section = 0;
        for (i, (s, kind, tag)) in paras.iter().enumerate() {
            if headings && i % 5 == 0 {
                section += 1;
                t.push_str(&format!("\n{section}. Section Title Number {section}\n\n"));
            }
            if paged && i % 7 == 6 {
                t.push_str(&format!("\n\u{c}Page {} of 9\n", i / 7 + 1));
            }
            let tag = if *tag { " [Suggested for Closure]" } else { "" };
            match kind {
                0 => t.push_str(&format!("({}) {s}\n", (b'a' + (i % 20) as u8) as char)),
                1 => t.push_str(&format!("Option {}: {s}\n", i % 3 + 1)),
                2 => t.push_str(&format!("PP{} Recalling {s}{tag}\n", i + 1)),
                _ => {
                    n += 1;
                    t.push_str(&format!("{n}. {s}{tag}\n"));
                }
            }
        }
        t
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn written_then_parsed_is_the_same_model(text in draft_text()) {
        let d = parse(&text);
        let back = parse(&canonical::write(&d));
        prop_assert_eq!(without_diagnostics(back), without_diagnostics(d));
    }

    #[test]
    fn brackets_are_well_formed_and_no_word_is_lost(text in draft_text()) {
        let d = parse(&text);
        prop_assert_eq!(common::word_balance(&text, &d), vec![]);
        for p in &d.paragraphs {
            let len = p.text.chars().count() as u32;
            for b in &p.brackets {
                prop_assert!(b.start <= b.end && b.end <= len);
                let span: String = p.text.chars().skip(b.start as usize).take((b.end - b.start) as usize).collect();
                prop_assert_eq!(&span, &b.text);
                prop_assert!(b.opens_before || span.starts_with('['));
                prop_assert!(b.closes_after || span.ends_with(']'));
            }
        }
    }

    #[test]
    fn parsing_by_value_gives_the_same_model(text in draft_text()) {
        prop_assert_eq!(accord_core::parse_owned(text.clone()), parse(&text));
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let d = parse(&text);
        let _ = parse(&canonical::write(&d));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any two drafts compare without a panic, every paragraph of each side
    /// in exactly one lineage entry, and the renderings hold.
    #[test]
    fn any_two_drafts_compare(a in draft_text(), b in draft_text()) {
        let (old, new) = (parse(&a), parse(&b));
        let c = accord_core::compare(&old, &new);
        let mut olds: Vec<&String> = c.paragraphs.iter().flat_map(|l| &l.old).collect();
        let mut news: Vec<&String> = c.paragraphs.iter().flat_map(|l| &l.new).collect();
        olds.sort();
        olds.dedup();
        news.sort();
        news.dedup();
        prop_assert_eq!(olds.len(), old.paragraphs.len());
        prop_assert_eq!(news.len(), new.paragraphs.len());
        let _ = accord_core::render::comparison_text(&c, &old, &new, &accord_core::render::WDIFF);
        // A draft compared with itself: nothing but unchanged paragraphs.
        let same = accord_core::compare(&old, &old);
        prop_assert!(same.paragraphs.iter().all(|l| l.relation == accord_core::compare::Relation::Unchanged));
    }
}
