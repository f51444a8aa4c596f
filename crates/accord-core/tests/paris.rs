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

/// (numbered or unnumbered paragraphs, sub-paragraphs, options) under a heading.
fn counts(d: &accord_core::Draft, heading: &str) -> (usize, usize, usize) {
    let under = || d.paragraphs.iter().filter(|p| p.heading.as_deref() == Some(heading));
    let paragraphs = under().filter(|p| p.parent.is_none() && p.option.is_none()).count();
    let subs = under().filter(|p| p.parent.is_some() && p.option.is_none()).count();
    let options = under().filter(|p| p.option.is_some()).count();
    (paragraphs, subs, options)
}

/// Counted by hand, reading the text as a delegate would: numbered and
/// unnumbered paragraphs, sub-paragraphs (`(a)`, `3.1`, `16 ter.2`, bullets
/// under a paragraph that introduces them), options (inline `Option 1:`,
/// margin labels opening a block, `Option II: No text`).
#[test]
fn hand_counted_articles_of_each_draft() {
    type Articles = &'static [(&'static str, (usize, usize, usize))];
    let expected: &[(&str, Articles)] = &[
        // 5 October: Article 3 has 13 paragraphs and 3(a)-(c); Article 4 has
        // 11 paragraphs with 5(a)-(c), 6(a)-(d), 7(a)-(c).
        ("8infnot.txt", &[("Article 2", (2, 0, 0)), ("Article 3", (13, 3, 0)), ("Article 4", (11, 10, 0))]),
        // 23 October: Option I (paragraphs 1-2, 1(a)-(c)) / Option II: No text;
        // Article 2bis: Option I (paragraphs 1-4) / Option II: No text.
        ("11infnot.txt", &[("Article 2", (2, 3, 2)), ("Article 2 bis", (4, 0, 2))]),
        // 4 December: Article 2 as on 23 October but 1(a)-(b); Article 7:
        // 1 with (a)-(c), Option 1 (paragraphs 2-3) and Option 2 (paragraphs
        // 2-3), 4 (2 options), 5, 6 (4 options), 7 (2 options).
        ("adp_compilation_4dec15_10am.txt", &[("Article 2", (2, 2, 2)), ("Article 7", (9, 3, 10))]),
        // 12 February: B. Definitions is one chapeau and 11 bulleted terms;
        // C. General/Objective: 0-12 ter (16 numbered) and two notes; 3.1-3.3
        // twice (one with bis and ter) and 6.1-6.2 as sub-items; 34 options
        // (3 for 2, 3 for 3 with 4 for 3.1, 4 for 5, 3 for 6, 2 for 7, 3 for
        // 8, 4 for 9, 3 for 10, 2 for 11, 3 for 12).
        ("negotiating_text_12022015@2200.txt", &[("B", (1, 11, 0)), ("C", (18, 10, 34))]),
    ];
    for (name, articles) in expected {
        let (_, d) = draft(name);
        for (heading, want) in *articles {
            assert_eq!(counts(&d, heading), *want, "{name}, {heading}");
        }
    }
}

#[test]
fn options_belong_to_what_follows_them() {
    let (_, d) = draft("adp_compilation_4dec15_10am.txt");
    let p = |id: &str| d.paragraphs.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("{id}"));
    // `Option 2: (paragraphs 2-3)` opens a block; its paragraph 2 is not swallowed.
    assert_eq!(p("Article 7 Option 2").text, "(paragraphs 2-3)");
    assert!(p("Article 7.2#2").text.starts_with("Parties share a long-term vision regarding"));
    // An option with no text is an option.
    let none = p("Article 2 Option II");
    assert_eq!((none.option.as_deref(), none.text.as_str()), (Some("Option II"), "No text"));
    // `Option 2` after paragraph 2 is the second option of its paragraph, not `2 alt`.
    let (_, d) = draft("negotiating_text_12022015@2200.txt");
    let p = |id: &str| d.paragraphs.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("{id}"));
    assert_eq!(p("2 Option 2").parent.as_deref(), Some("2"));
    // After 3.1's own options (a)-(d) and 3.2, 3.3, `Option 2` is paragraph 3's.
    assert_eq!(p("3.1 Option (d)").parent.as_deref(), Some("3.1"));
    assert_eq!(p("3 Option 2").parent.as_deref(), Some("3"));
    assert_eq!(p("3.2").parent.as_deref(), Some("3"));
    assert!(!d.paragraphs.iter().any(|p| p.id.ends_with(" alt")), "no Option read as an Alt paragraph");
}

#[test]
fn every_footnote_found_in_order() {
    let want: &[(&str, usize)] = &[
        ("8infnot.txt", 5),
        ("11infnot.txt", 17),
        ("adp_compilation_4dec15_10am.txt", 24),
        ("negotiating_text_12022015@2200.txt", 10),
    ];
    for (name, n) in want {
        let (_, d) = draft(name);
        let numbered: Vec<&str> =
            d.footnotes.iter().map(|f| f.marker.as_str()).filter(|m| *m != "*").collect();
        let expected: Vec<String> = (1..=*n).map(|k| k.to_string()).collect();
        assert_eq!(numbered, expected, "{name}");
        assert!(d.footnotes.iter().all(|f| !f.text.is_empty()), "{name}: a footnote without text");
    }
    // Footnote 1 ends mid-sentence; footnote 2 is still its own.
    let (_, d) = draft("adp_compilation_4dec15_10am.txt");
    assert_eq!(d.footnotes[1].text, "Overlaps with option b.");
    // A footnote marker glued to a label: `3ter.4` is paragraph 3 ter, footnote 4.
    let (_, d) = draft("11infnot.txt");
    let p = d.paragraphs.iter().find(|p| p.text.starts_with("Notwithstanding paragraphs 2 and 3")).unwrap();
    assert_eq!(p.number.as_deref(), Some("3 ter"));
    assert!(p.footnotes.contains(&"4".to_string()));
}

#[test]
fn headings_form_a_hierarchy() {
    let (_, d) = draft("adp_compilation_4dec15_10am.txt");
    let parent = |id: &str| {
        let i = d.headings.iter().position(|h| h.id == id).unwrap_or_else(|| panic!("{id}"));
        d.heading_parent(i).map(|h| h.id.as_str())
    };
    assert_eq!(parent("A"), None);
    assert_eq!(parent("Article 7"), Some("A"));
    assert_eq!(parent("Article 2 bis"), Some("A"));
    assert_eq!(parent("B"), None);
    assert_eq!(parent("III"), Some("B"));
    assert_eq!(parent("MITIGATION"), Some("III"));
    // `[B. Mitigation]` under chapter IV is a subsection, not Part B again.
    assert_eq!(parent("B (2)"), Some("IV"));
    assert_eq!(parent("V"), Some("B"));
    // "… as set out in / Article 2." ends a sentence: not a heading.
    let (_, d) = draft("11infnot.txt");
    let article_2 =
        d.headings.iter().filter(|h| h.id == "Article 2" || h.id.starts_with("Article 2 (")).count();
    assert_eq!(article_2, 1, "one Article 2");
}

const MARKDOWN: &[&str] = &[
    "paris-agreement-draft-23-oct-2015.md",
    "paris-draft-decision-23-oct-2015-edited-6-nov.md",
    "paris-agreement-draft-4-dec-2015.md",
    "paris-agreement-draft-9-dec-2015.md",
    "paris-agreement-final-12-dec-2015.md",
    "paris-agreement-29-jan-2016-with-editorial-corrections.md",
];

/// The Markdown source with what is markup, not text, taken out: the labels
/// of reference links (`[text][label]` reads "text"), emphasis markers
/// (`*R*ecognizing` is one word), and the syntax of footnote references
/// (`[^1]` is the marker `1`).
fn markdown_words_source(md: &str) -> String {
    let labels: Vec<String> = md
        .lines()
        .filter_map(|l| l.strip_prefix('[')?.split_once("]:").map(|(k, _)| format!("][{k}]")))
        .filter(|k| !k.starts_with("][^"))
        .collect();
    let mut s = md.to_owned();
    for l in labels {
        s = s.replace(&l, "]");
    }
    // Footnote definitions keep their marker as a word of their own.
    let s: String = s
        .lines()
        .map(|l| if l.trim_start().starts_with("[^") { l.to_owned() } else { l.replace("[^", " ") })
        .collect::<Vec<_>>()
        .join("\n");
    s.replace(['*', '~'], "")
}

#[test]
fn markdown_drafts_read_into_the_same_model() {
    for name in MARKDOWN {
        let md = common::read_shared(&format!("drafts/unfccc-paris-2015/{name}"));
        let d = parse(&md);
        let balance = common::word_balance(&markdown_words_source(&md), &d);
        assert!(balance.is_empty(), "{name}: words lost (+) or invented (-): {balance:?}");
        assert!(d.paragraphs.len() > 50, "{name}: {} paragraphs", d.paragraphs.len());
        for p in &d.paragraphs {
            assert!(!p.text.contains("[^") && !p.text.starts_with('#'), "{name} {}: {}", p.id, p.text);
            assert!(!p.text.contains("**"), "{name} {}: {}", p.id, p.text);
        }
    }
    // The adopted Agreement: 29 articles, the preamble under its chapeau,
    // nested list items as sub-paragraphs.
    let md = common::read_shared("drafts/unfccc-paris-2015/paris-agreement-final-12-dec-2015.md");
    let d = parse(&md);
    let articles = d.headings.iter().filter(|h| h.id.starts_with("Article ")).count();
    assert_eq!(articles, 29);
    let preamble: Vec<_> = d.paragraphs.iter().filter(|p| p.heading.as_deref() == Some("Preamble")).collect();
    assert_eq!(preamble[0].text, "The Parties to this Agreement,");
    assert_eq!(preamble.len(), 18, "chapeau, 16 preambular paragraphs, 'Have agreed as follows:'");
    assert!(preamble.iter().all(|p| p.kind == accord_core::ParagraphKind::Preambular));
    let sub = d.paragraphs.iter().find(|p| p.id == "Article 2.1(1)").expect("Article 2.1(1)");
    assert_eq!(sub.parent.as_deref(), Some("Article 2.1"));
    assert!(sub.text.starts_with("Holding the increase in the global average temperature"));
    // Footnotes from `[^n]:` definitions, referred to where `[^n]` stood.
    let md = common::read_shared("drafts/unfccc-paris-2015/paris-agreement-draft-23-oct-2015.md");
    let d = parse(&md);
    assert!(d
        .footnotes
        .iter()
        .any(|f| f.marker == "1" && f.text.starts_with("The version of 23 October 2015@23:30")));
}
