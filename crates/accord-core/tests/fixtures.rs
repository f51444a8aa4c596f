//! Drafts in other real shapes, written for these tests: an adopted
//! resolution (unnumbered preamble under a chapeau, sub-paragraphs, page
//! footers with a document symbol), a PP/OP compilation (nested brackets with
//! alternatives, `bis` and `Alt` paragraphs, every status tag), a treaty text
//! laid out by `pdftotext -layout` (articles, options, footnote, running
//! headers over form feeds), a political declaration under "We, …," and a
//! malformed draft.

mod common;

use accord_core::{parse, ParagraphKind, Status};

fn load(name: &str) -> (String, accord_core::Draft) {
    let text = common::fixture(name);
    let d = parse(&text);
    assert_eq!(common::word_balance(&text, &d), vec![], "{name}: no word lost");
    (text, d)
}

fn ids(d: &accord_core::Draft) -> Vec<&str> {
    d.paragraphs.iter().map(|p| p.id.as_str()).collect()
}

#[test]
fn adopted_resolution() {
    let (_, d) = load("adopted-resolution.txt");
    assert_eq!(d.title.as_deref(), Some("81/12. Strengthening cooperation on coastal resilience"));
    assert_eq!(d.date.as_deref(), Some("Resolution adopted by the General Assembly on 28 October 2026"));
    assert_eq!(ids(&d), ["P1", "P2", "P3", "P4", "P5", "1", "2", "2(a)", "2(b)", "2(c)", "3", "4", "P6"]);
    let kinds: Vec<_> = d.paragraphs.iter().map(|p| p.kind).collect();
    assert!(kinds[..5].iter().all(|k| *k == ParagraphKind::Preambular));
    assert!(kinds[5..].iter().all(|k| *k == ParagraphKind::Operative));
    assert_eq!(d.paragraphs[0].text, "The General Assembly,");
    assert_eq!(d.paragraphs[7].parent.as_deref(), Some("2"));
    // Footers set aside, and paragraph 3 is not broken by them.
    let furniture: Vec<_> = d.furniture.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(furniture, ["Page 1 of 2", "A/RES/81/12", "Page 2 of 2", "A/RES/81/12"]);
    assert!(d
        .paragraphs
        .iter()
        .any(|p| p.references.iter().any(|r| r.symbol.as_deref() == Some("A/81/204"))));
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
}

#[test]
fn compilation_with_pp_op_labels_nested_alternatives_and_all_statuses() {
    let (_, d) = load("compilation-pp-op.txt");
    assert_eq!(ids(&d), ["PP1", "PP2", "PP3", "OP1", "OP2", "OP2 bis", "OP3", "OP3 alt", "OP4"]);
    let p = |id: &str| d.paragraphs.iter().find(|p| p.id == id).unwrap();
    assert_eq!(p("PP1").status, Status::AgreedAdRef);
    assert_eq!(p("PP2").status, Status::Agreed);
    assert_eq!(p("OP1").status, Status::SuggestedForClosure);
    assert_eq!(p("OP3").status_note.as_deref(), Some("pending figures"));
    assert_eq!(p("PP1").kind, ParagraphKind::Preambular);
    assert_eq!(p("OP1").kind, ParagraphKind::Operative);
    let pp2 = &p("PP2").brackets;
    assert_eq!(pp2.len(), 3);
    assert_eq!(
        (pp2[0].text.as_str(), pp2[0].depth),
        ("[a common heritage [of humankind/of all peoples]]", 1)
    );
    assert_eq!(
        pp2[1].alternatives.as_deref(),
        Some(&["of humankind".to_string(), "of all peoples".to_string()][..])
    );
    assert_eq!(pp2[1].depth, 2);
    assert!(pp2[2].follows_bracket);
    assert!(p("PP3").brackets.iter().any(|b| b.text == "[plastic pollution]" && b.follows_bracket));
    assert_eq!(
        p("OP2").brackets[0].alternatives,
        None,
        "[50/75] is a fraction-like pair, not years: kept whole"
    );
    assert_eq!(p("OP3 alt").parent.as_deref(), Some("OP3"));
    assert_eq!(p("OP3 alt").option.as_deref(), Some("Alt OP3"));
    assert!(p("OP4").references.iter().any(|r| r.symbol.as_deref() == Some("A/CONF.232/2023/4")));
    let r = accord_core::readiness(&d);
    assert!(!r.ready);
    assert_eq!((r.counts.agreed, r.counts.agreed_ad_ref), (1, 1));
}

#[test]
fn treaty_layout_with_pages_options_and_footnote() {
    let (_, d) = load("treaty-layout.txt");
    assert_eq!(d.title.as_deref(), Some("Note by the Co-Chairs"));
    assert_eq!(d.date.as_deref(), Some("9 March 2026"));
    let h: Vec<_> = d.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(h, ["Article 1", "Article 2", "Article 3"]);
    assert_eq!(
        ids(&d),
        [
            "Article 1.1",
            "Article 1.2",
            "Article 1.2(a)",
            "Article 1.2(b)",
            "Article 2.1",
            "Article 2.2",
            "Article 2.2 Option 1",
            "Article 2.2 Option 2",
            "Article 2.3",
            "Article 3.1"
        ]
    );
    let p = |id: &str| d.paragraphs.iter().find(|p| p.id == id).unwrap();
    assert_eq!(
        p("Article 1.1").text,
        "The purpose of this Agreement is to strengthen the global response to coastal hazards, including [sea-level rise][storm surge], with a view to protecting people and ecosystems."
    );
    assert_eq!(
        p("Article 2.2 Option 2").brackets[0].alternatives.as_deref(),
        Some(&["biennially".to_string(), "every three years".to_string()][..])
    );
    assert_eq!(p("Article 2.1").footnotes, ["1"]);
    assert_eq!(d.footnotes.len(), 1);
    assert_eq!(d.footnotes[0].text, "[The periodicity is subject to further discussion.]");
    // Paragraph 3 starts on page 2, after the running header.
    assert!(p("Article 2.3").text.starts_with("The secretariat shall maintain"));
    assert_eq!(d.furniture.len(), 6);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
}

#[test]
fn declaration_under_we_chapeau() {
    let (_, d) = load("preamble-chapeau-we.txt");
    assert_eq!(ids(&d), ["P1", "1", "2", "3"]);
    assert_eq!(d.paragraphs[0].kind, ParagraphKind::Preambular);
    assert_eq!(d.paragraphs[1].kind, ParagraphKind::Operative);
    assert_eq!(
        d.paragraphs[2].brackets[0].alternatives.as_deref(),
        Some(&["digital divides".to_string(), "digital gaps".to_string()][..])
    );
}

#[test]
fn malformed_draft_is_read_with_diagnostics_pointing_at_the_source() {
    let (_, d) = load("malformed.txt");
    assert_eq!(ids(&d), ["1", "2", "4", "4#2"]);
    let codes: Vec<(&str, u32, u32)> =
        d.diagnostics.iter().map(|x| (x.code.as_str(), x.line, x.column)).collect();
    assert_eq!(
        codes,
        [("unbalanced-bracket", 4, 38), ("numbering-gap", 5, 1), ("numbering-duplicate", 6, 1)],
        "{:?}",
        d.diagnostics
    );
    // The matched pair spans paragraphs 1 and 2; the stray `]` is text.
    assert!(d.paragraphs[0].brackets[0].closes_after);
    assert!(d.paragraphs[1].brackets[0].opens_before);
    assert_eq!(d.paragraphs[1].status, Status::SuggestedForClosure);
}
