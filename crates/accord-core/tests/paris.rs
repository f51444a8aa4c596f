//! The real Paris Agreement drafts (UNFCCC, 2015), as `pdftotext -layout`
//! extracted them: running headers, page numbers, footnotes, articles,
//! sub-paragraphs, options, nested and adjacent brackets. The parser must
//! read them without losing a word.

mod common;

use accord_core::parse;

const FILES: &[&str] =
    &["negotiating_text_12022015@2200.txt", "8infnot.txt", "11infnot.txt", "adp_compilation_4dec15_10am.txt"];

fn draft(name: &str) -> (String, accord_core::Draft) {
    let text = common::read_shared(&format!("drafts/unfccc-paris-2015/{name}"));
    let d = parse(&text);
    (text, d)
}

#[test]
fn no_word_is_lost_in_any_paris_draft() {
    eprintln!("| file | paragraphs | headings | brackets | deepest nesting | footnotes | furniture lines | diagnostics |");
    eprintln!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for name in FILES {
        let (text, d) = draft(name);
        let balance = common::word_balance(&text, &d);
        assert!(balance.is_empty(), "{name}: words lost (+) or invented (-): {balance:?}");
        let brackets: usize =
            d.paragraphs.iter().flat_map(|p| &p.brackets).filter(|b| !b.opens_before).count();
        let deepest = d.paragraphs.iter().flat_map(|p| &p.brackets).map(|b| b.depth).max().unwrap_or(0);
        eprintln!(
            "| {name} | {} | {} | {brackets} | {deepest} | {} | {} | {} |",
            d.paragraphs.len(),
            d.headings.len(),
            d.footnotes.len(),
            d.furniture.len(),
            d.diagnostics.len()
        );
    }
}

#[test]
fn page_furniture_is_set_aside() {
    let (_, d) = draft("adp_compilation_4dec15_10am.txt");
    assert!(d.furniture.iter().any(|l| l.text == "1 of 46"));
    assert!(d.furniture.iter().any(|l| l.text == "46 of 46"));
    assert!(
        d.furniture.iter().filter(|l| l.text == "ADP 2-12 – Draft agreement and draft decision").count()
            >= 40
    );
    for p in &d.paragraphs {
        assert!(!p.text.contains(" of 46"), "{}: {}", p.id, p.text);
        assert!(!p.text.contains("ADP 2-12 –"), "{}: {}", p.id, p.text);
    }
    let (_, d) = draft("8infnot.txt");
    assert_eq!(d.furniture.iter().filter(|l| l.text.starts_with("Page ")).count(), 20);
}

#[test]
fn articles_paragraphs_and_sub_paragraphs() {
    let (_, d) = draft("8infnot.txt");
    let h: Vec<&str> = d.headings.iter().map(|h| h.id.as_str()).collect();
    assert!(h.contains(&"Article 2") && h.contains(&"Article 3"));
    let art2 = d.headings.iter().find(|h| h.id == "Article 2").unwrap();
    assert_eq!(art2.title, "(PURPOSE)");
    // Numbering restarts in every article: ids are qualified.
    let p = d.paragraphs.iter().find(|p| p.id == "Article 2.2").expect("Article 2.2");
    assert!(p.text.starts_with("Parties recognize that deep cuts"));
    // A paragraph broken across the page end reads on.
    assert!(p.text.contains("above pre-industrial levels, without prejudice"), "{}", p.text);
    let a = d.paragraphs.iter().find(|p| p.id == "Article 3.3(a)").expect("Article 3.3(a)");
    assert_eq!(a.parent.as_deref(), Some("Article 3.3"));
    assert_eq!(a.text, "[Be quantified or quantifiable;]");
    // Adjacent alternative brackets.
    let p = d.paragraphs.iter().find(|p| p.id == "Article 3.2").unwrap();
    let adj: Vec<_> = p.brackets.iter().filter(|b| b.follows_bracket).map(|b| b.text.as_str()).collect();
    assert!(adj.contains(&"[should]") && adj.contains(&"[other]"), "{adj:?}");
    // Preambular paragraphs labelled Pp.
    let pp1 = d.paragraphs.iter().find(|p| p.number.as_deref() == Some("Pp1")).unwrap();
    assert_eq!(pp1.kind, accord_core::ParagraphKind::Preambular);
}

#[test]
fn options_nesting_and_footnotes() {
    let (_, d) = draft("11infnot.txt");
    let opt = d.paragraphs.iter().find(|p| p.id == "Pp12 Option 1").expect("Pp12 Option 1");
    assert_eq!(opt.parent.as_deref(), Some("Pp12"));
    assert!(opt.text.starts_with("Recognizing the importance and special characteristics of land use"));
    assert!(d.paragraphs.iter().any(|p| p.id == "Pp12 Option 2"));
    assert!(d
        .footnotes
        .iter()
        .any(|f| f.marker == "1" && f.text.starts_with("The version of 23 October 2015@23:30")));
    assert!(d.footnotes.iter().any(|f| f.marker == "*"));
    let deepest = d.paragraphs.iter().flat_map(|p| &p.brackets).map(|b| b.depth).max().unwrap();
    assert!(deepest >= 3, "nested brackets: {deepest}");

    let (_, d) = draft("negotiating_text_12022015@2200.txt");
    let f1 = d.footnotes.iter().find(|f| f.marker == "1").expect("footnote 1");
    assert!(f1.text.starts_with("[Headings and subheadings used throughout"));
    assert!(f1.text.ends_with("or thereafter.]"));
}
