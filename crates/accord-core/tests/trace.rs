//! Agreed language on the seed: with the Universal Declaration in the corpus,
//! paragraph 47 is traced to Article 19 and paragraph 49 to Article 29, both
//! citations are verified, and the Agenda 2030 citations of paragraphs 4 and 5
//! cannot be checked. The same works in French and Spanish.

mod common;

use accord_core::parse;
use accord_core::trace::{trace, CitationStatus, CorpusDocument, CorpusIndex, MIN_REUSE_WORDS};

fn udhr(lang: &str) -> CorpusDocument {
    let html = common::read_shared(&format!("corpus/udhr/udhr-{lang}.html"));
    CorpusDocument::from_article_html(&html, &format!("A/RES/217(III) {lang}")).expect("articles")
}

#[test]
fn the_declaration_is_read_article_by_article() {
    let d = udhr("eng");
    assert_eq!(d.name, "Universal Declaration of Human Rights");
    assert_eq!(d.language.as_deref(), Some("en"));
    let articles: Vec<&str> =
        d.units.iter().filter(|u| !u.number.starts_with("PP")).map(|u| u.number.as_str()).collect();
    assert_eq!(articles.len(), 30);
    let a19 = d.units.iter().find(|u| u.number == "19").unwrap();
    assert!(a19.text.starts_with("Everyone has the right to freedom of opinion and expression;"));
    assert!(d.units.iter().any(|u| u.number == "PP1" && u.text.starts_with("Whereas recognition")));
}

#[test]
fn seed_paragraphs_47_and_49_reuse_articles_19_and_29() {
    let seed = parse(&common::read_shared("seeds/000_a85ec3b89659f1a1.txt"));
    let index = CorpusIndex::build(vec![udhr("eng")]);
    let t = trace(&seed, &index);
    let sources =
        |id: &str| t.paragraphs.iter().find(|p| p.id == id).map(|p| p.sources.clone()).unwrap_or_default();
    let s47 = sources("47");
    assert_eq!(s47[0].paragraph, "19");
    assert!(s47[0].words >= 30 && s47[0].similarity >= 0.85, "{s47:?}");
    let p47 = seed.paragraphs.iter().find(|p| p.id == "47").unwrap();
    let span: String = p47
        .text
        .chars()
        .skip(s47[0].draft_span[0] as usize)
        .take((s47[0].draft_span[1] - s47[0].draft_span[0]) as usize)
        .collect();
    assert!(span.starts_with("everyone has the right to freedom of opinion"), "{span}");
    assert!(span.ends_with("regardless of frontiers"), "{span}");
    let s49 = sources("49");
    assert_eq!(s49[0].paragraph, "29");
    assert!(s49[0].words >= 60, "their/his folded: one passage across the article: {s49:?}");
    // Silent reuse too: paragraph 48 borrows Article 12 ("No one shall be
    // subjected to arbitrary interference with his privacy, family, home or
    // correspondence") without saying so. Nothing else is long enough.
    let s48 = sources("48");
    assert_eq!(s48[0].paragraph, "12", "{s48:?}");
    let traced: Vec<&str> = t.paragraphs.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(traced, ["47", "48", "49"]);
    assert!(t.paragraphs.iter().flat_map(|p| &p.sources).all(|s| s.words >= MIN_REUSE_WORDS));

    let cite = |id: &str| t.citations.iter().filter(|c| c.paragraph == id).collect::<Vec<_>>();
    let c47 = cite("47");
    assert_eq!(c47.len(), 1);
    assert_eq!((c47[0].status, c47[0].target.as_deref()), (CitationStatus::Verified, Some("19")));
    assert_eq!(cite("49")[0].status, CitationStatus::Verified);
    for id in ["4", "5"] {
        let c = cite(id);
        assert!(!c.is_empty() && c.iter().all(|c| c.status == CitationStatus::NotInCorpus), "{id}: {c:?}");
        assert!(c.iter().any(|c| c.text.contains("Agenda 2030")));
    }
}

#[test]
fn a_wrong_article_is_a_mismatch_with_the_right_source() {
    let draft = parse(
        "1. We recall Article 18 of the Universal Declaration of Human Rights, that everyone has the right to \
         freedom of opinion and expression; this right includes freedom to hold opinions without interference.\n",
    );
    let t = trace(&draft, &CorpusIndex::build(vec![udhr("eng")]));
    let c = &t.citations[0];
    assert_eq!(c.status, CitationStatus::Mismatch);
    assert_eq!(c.found_in.as_deref(), Some("A/RES/217(III) eng 19"));
}

#[test]
fn french_and_spanish_drafts_are_traced_to_the_same_article() {
    let fr = parse(
        "1. Nous réaffirmons que tout individu a droit à la liberté d'opinion et d'expression, ce qui implique \
         le droit de ne pas être inquiété pour ses opinions et celui de chercher, de recevoir et de répandre, \
         sans considérations de frontières, les informations et les idées par quelque moyen d'expression que ce soit.\n",
    );
    let es = parse(
        "1. Reafirmamos que todo individuo tiene derecho a la libertad de opinión y de expresión; este derecho \
         incluye el de no ser molestado a causa de sus opiniones, el de investigar y recibir informaciones y \
         opiniones, y el de difundirlas, sin limitación de fronteras, por cualquier medio de expresión.\n",
    );
    let index = CorpusIndex::build(vec![udhr("fra"), udhr("spa"), udhr("eng")]);
    for (d, symbol) in [(fr, "A/RES/217(III) fra"), (es, "A/RES/217(III) spa")] {
        let t = trace(&d, &index);
        let s = &t.paragraphs[0].sources[0];
        assert_eq!((s.document.as_str(), s.paragraph.as_str()), (symbol, "19"), "{t:?}");
        assert!(s.similarity >= 0.8, "{s:?}");
    }
}

/// The 2030 Agenda's targets (`1.1` … `17.19`) from the YAML the UN
/// publishes (`key-title: text`, continuation lines indented), as a corpus document.
fn sdg_targets() -> CorpusDocument {
    let yaml = common::read_shared("corpus/sdg/sdg-global-targets-en.yml");
    let mut units: Vec<accord_core::trace::CorpusUnit> = Vec::new();
    for line in yaml.lines() {
        if let Some((key, text)) = line.split_once("-title: ").filter(|_| !line.starts_with(' ')) {
            units.push(accord_core::trace::CorpusUnit {
                number: key.replace('-', "."),
                text: text.to_owned(),
            });
        } else if let Some(u) = units.last_mut() {
            u.text.push(' ');
            u.text.push_str(line.trim());
        }
    }
    CorpusDocument {
        symbol: "A/RES/70/1".into(),
        name: "Transforming our world: the 2030 Agenda for Sustainable Development".into(),
        aliases: vec![
            "Agenda 2030".into(),
            "2030 Agenda".into(),
            "2030 Agenda for Sustainable Development".into(),
        ],
        date: Some("25 September 2015".into()),
        language: Some("en".into()),
        units,
    }
}

#[test]
fn a_paragraph_the_corpus_copy_lacks_is_not_in_the_corpus_and_what_it_holds_is_named() {
    let sdg = sdg_targets();
    assert_eq!(sdg.units.len(), 169);
    let seed = parse(&common::read_shared("seeds/000_a85ec3b89659f1a1.txt"));
    let t = trace(&seed, &CorpusIndex::build(vec![udhr("eng"), sdg]));
    // "(Paragraph 2 of Agenda 2030)" and "(Paragraph 62 of Agenda 2030 …)":
    // the corpus holds the resolution's targets, not its paragraphs.
    let agenda: Vec<_> = t.citations.iter().filter(|c| c.document.as_deref() == Some("A/RES/70/1")).collect();
    assert!(agenda.iter().any(|c| c.target.as_deref() == Some("2")), "{:?}", t.citations);
    assert!(agenda.iter().any(|c| c.target.as_deref() == Some("62")), "{:?}", t.citations);
    for c in agenda {
        assert_eq!(c.status, CitationStatus::NotInCorpus, "{c:?}");
        assert_eq!(c.corpus_holds.as_deref(), Some("169 paragraphs or articles, 1.1 to 17.19"), "{c:?}");
        assert!(c.cited_text.is_none());
    }
    // The Declaration's citations are still verified beside it.
    assert!(t.citations.iter().filter(|c| c.paragraph == "47").all(|c| c.status == CitationStatus::Verified));
}

#[test]
fn a_mismatch_shows_the_cited_text_beside_the_quotation() {
    let draft = parse(
        "1. We recall Article 18 of the Universal Declaration of Human Rights, that everyone has the right to \
         freedom of opinion and expression; this right includes freedom to hold opinions without interference.\n",
    );
    let t = trace(&draft, &CorpusIndex::build(vec![udhr("eng")]));
    let c = &t.citations[0];
    assert_eq!(c.status, CitationStatus::Mismatch);
    let cited = c.cited_text.as_deref().expect("the cited article's text");
    assert!(
        cited.starts_with("Everyone has the right to freedom of thought, conscience and religion"),
        "{cited}"
    );
    assert!(c.corpus_holds.is_none());
}
