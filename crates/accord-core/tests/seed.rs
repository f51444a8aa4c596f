//! Golden tests on the real seed: the WSIS+10 draft of 7 December 2015, as
//! extracted from the PDF (letters in front, page breaks inside paragraphs).

mod common;

use accord_core::{parse, ParagraphKind, ReferenceKind, Status};

fn seed() -> (String, accord_core::Draft) {
    let text = common::read_shared("seeds/000_a85ec3b89659f1a1.txt");
    let d = parse(&text);
    (text, d)
}

fn para<'a>(d: &'a accord_core::Draft, id: &str) -> &'a accord_core::Paragraph {
    d.paragraphs.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no paragraph {id}"))
}

#[test]
fn letters_title_and_date() {
    let (_, d) = seed();
    assert_eq!(d.letters.len(), 2);
    assert_eq!(d.letters[0].sender, "THE PRESIDENT OF THE GENERAL ASSEMBLY");
    assert_eq!(d.letters[0].date.as_deref(), Some("7 December, 2015"));
    assert_eq!(d.letters[0].salutation.as_deref(), Some("Excellency,"));
    assert!(d.letters[0].signatures.iter().flatten().any(|l| l == "Mogens Lykketoft"));
    assert_eq!(d.letters[0].addressees[0], "All Permanent Representatives");
    assert_eq!(d.letters[1].date.as_deref(), Some("7 December 2015"));
    assert_eq!(d.letters[1].signatures.len(), 2);
    assert_eq!(d.letters[1].signatures[0][0], "Jānis Mažeiks");
    assert_eq!(d.letters[1].signatures[1][0], "Lana Z. Nusseibeh");
    assert!(d.letters[1].body[0].starts_with("As co-facilitators"));
    assert_eq!(
        d.title.as_deref(),
        Some("Outcome Document of the High-Level Meeting of the General Assembly on the Overall Review of the Implementation of WSIS Outcomes")
    );
    assert_eq!(d.title_status, Status::SuggestedForClosure);
    assert_eq!(d.date.as_deref(), Some("Draft Outcome Document – 7 December 2015"));
    assert!(d.front_matter.is_empty());
}

#[test]
fn seventy_paragraphs_preamble_then_operative() {
    let (_, d) = seed();
    assert_eq!(d.paragraphs.len(), 70);
    for (i, p) in d.paragraphs.iter().enumerate() {
        let n = (i + 1).to_string();
        assert_eq!(p.number.as_deref(), Some(n.as_str()));
        assert_eq!(p.id, n);
        let want = if i < 5 { ParagraphKind::Preambular } else { ParagraphKind::Operative };
        assert_eq!(p.kind, want, "paragraph {n}");
        assert!(p.parent.is_none() && p.option.is_none());
    }
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
}

#[test]
fn headings_and_placement() {
    let (_, d) = seed();
    let ids: Vec<&str> = d.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["Preamble", "1", "1.1", "1.2", "1.3", "2", "3", "4", "4.1", "5"]);
    let levels: Vec<u8> = d.headings.iter().map(|h| h.level).collect();
    assert_eq!(levels, [1, 1, 2, 2, 2, 1, 1, 1, 2, 1]);
    assert_eq!(d.headings[8].number.as_deref(), Some("4.1."));
    assert_eq!(d.headings[8].title, "Enhanced Cooperation");
    let first_under =
        |h: &str| d.paragraphs.iter().find(|p| p.heading.as_deref() == Some(h)).map(|p| p.id.as_str());
    assert_eq!(first_under("Preamble"), Some("1"));
    assert_eq!(first_under("1"), Some("15"));
    assert_eq!(first_under("1.1"), Some("23"));
    assert_eq!(first_under("4.1"), Some("63"));
    assert_eq!(first_under("5"), Some("65"));
}

#[test]
fn statuses() {
    let (_, d) = seed();
    let sfc: Vec<&str> = d
        .paragraphs
        .iter()
        .filter(|p| p.status == Status::SuggestedForClosure)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(sfc.len(), 39);
    assert!(d.paragraphs.iter().all(|p| matches!(p.status, Status::Open | Status::SuggestedForClosure)));
    for id in ["23", "24"] {
        assert_eq!(para(&d, id).status_note.as_deref(), Some("given new figures"));
    }
    assert_eq!(d.paragraphs.iter().filter(|p| p.status_note.is_some()).count(), 2);
    // The tag is not part of the text, and never a bracket.
    assert!(d.paragraphs.iter().all(|p| !p.text.contains("Suggested for Closure")));
    assert!(para(&d, "1").text.ends_with("relevant WSIS stakeholders;"));
}

#[test]
fn thirteen_brackets_where_the_draft_has_them() {
    let (_, d) = seed();
    let with: Vec<(&str, usize)> = d
        .paragraphs
        .iter()
        .filter(|p| !p.brackets.is_empty())
        .map(|p| (p.id.as_str(), p.brackets.len()))
        .collect();
    assert_eq!(
        with,
        [
            ("12", 1),
            ("13", 1),
            ("32", 1),
            ("48", 1),
            ("53", 1),
            ("55", 1),
            ("56", 1),
            ("57", 1),
            ("58", 1),
            ("60", 1),
            ("64", 1),
            ("70", 2)
        ]
    );
    let p70 = para(&d, "70");
    assert_eq!(p70.brackets[0].text, "[for the General Assembly]");
    assert_eq!(p70.brackets[1].text, "[2020/2025]");
    assert_eq!(p70.brackets[1].alternatives.as_deref(), Some(&["2020".to_string(), "2025".to_string()][..]));
    // Offsets are characters into the text.
    for p in &d.paragraphs {
        for b in &p.brackets {
            let span: String =
                p.text.chars().skip(b.start as usize).take((b.end - b.start) as usize).collect();
            assert_eq!(span, b.text);
            assert_eq!(b.depth, 1);
        }
    }
    // Whole-paragraph and sentence brackets, punctuation outside kept outside.
    assert!(para(&d, "13").brackets[0].text.ends_with("stakeholders.]"));
    let p57 = para(&d, "57");
    assert!(p57.brackets[0].text.ends_with("all stakeholders]"));
    assert!(p57.text.contains("all stakeholders]. We reiterate"));
    let p64 = para(&d, "64");
    assert!(p64.text.ends_with("appropriate action]."));
    assert_eq!(para(&d, "12").brackets[0].text, "[foreign]");
}

#[test]
fn page_broken_paragraphs_are_joined() {
    let (_, d) = seed();
    for (id, joint) in [
        ("5", "strong political commitment to address"),
        ("11", "women in the information society and women's access"),
        ("17", "of which 2 billion are from developing countries"),
        ("39", "public and private investment, as well"),
        ("52", "threats of online harassment, intimidation"),
        ("57", "in their respective roles, of shared principles"),
        ("64", "Commission on Science and Technology for Development to re-establish"),
    ] {
        let p = para(&d, id);
        assert!(p.text.contains(joint), "paragraph {id}: {}", p.text);
        assert!(p.source_lines.last > p.source_lines.first, "paragraph {id} spans lines");
    }
    assert_eq!((para(&d, "5").source_lines.first, para(&d, "5").source_lines.last), (86, 88));
    assert_eq!(para(&d, "6").source_lines.first, 90);
}

#[test]
fn references() {
    let (_, d) = seed();
    let p1 = para(&d, "1");
    let r = &p1.references;
    assert!(r.iter().any(|r| r.kind == ReferenceKind::Paragraph
        && r.targets == ["111"]
        && r.document.as_deref() == Some("Tunis Agenda for the Information Society")));
    assert!(r.iter().any(|r| r.symbol.as_deref() == Some("68/302")));
    assert!(para(&d, "4").references.iter().any(|r| r.text == "Paragraph 2 of Agenda 2030"));
    assert!(para(&d, "4").references.iter().any(|r| r.symbol.as_deref() == Some("70/1")));
    let p5: Vec<_> = para(&d, "5").references.iter().filter(|r| r.kind == ReferenceKind::Paragraph).collect();
    assert_eq!(p5.len(), 2);
    assert_eq!(p5[1].document.as_deref(), Some("Addis Ababa Action Agenda"));
    let symbols: Vec<_> = para(&d, "63").references.iter().filter_map(|r| r.symbol.clone()).collect();
    assert_eq!(symbols, ["A/66/77", "E/2009/92"]);
    let p47 = &para(&d, "47").references[0];
    assert_eq!((p47.kind, p47.targets.as_slice()), (ReferenceKind::Article, &["19".to_string()][..]));
    assert_eq!(p47.document.as_deref(), Some("Universal Declaration of Human Rights"));
    let p55: Vec<_> = para(&d, "55").references.iter().filter_map(|r| r.symbol.clone()).collect();
    assert_eq!(p55, ["55/63", "56/121"]);
    // Fractions and years are not references.
    assert!(para(&d, "24").references.is_empty());
    assert!(para(&d, "70").references.is_empty());
}

#[test]
fn no_word_lost() {
    let (text, d) = seed();
    assert_eq!(common::word_balance(&text, &d), vec![]);
}

#[test]
fn readiness_verdict() {
    let (_, d) = seed();
    let r = accord_core::readiness(&d);
    assert!(!r.ready);
    assert_eq!(
        (r.counts.total, r.counts.open, r.counts.suggested_for_closure, r.counts.brackets),
        (70, 31, 39, 13)
    );
    let kinds: Vec<_> = r.obstacles.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        ["title-not-agreed", "paragraphs-open", "paragraphs-suggested-for-closure", "brackets"]
    );
    assert_eq!(r.sections.len(), 10);
    assert_eq!(r.sections[0].counts.total, 14);
}
