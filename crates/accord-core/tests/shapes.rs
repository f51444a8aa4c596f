//! The shapes of issue 12, each read into the model as a reader sees it:
//! documents numbered decimally throughout (the SDG targets, built from
//! `../shared/corpus/sdg/` at test time), treaty hierarchy, number labels,
//! option blocks, editorial notes, unnumbered preambles, Word-saved text.
//! Every test also checks that no word is lost.

mod common;

use accord_core::{parse, Draft};

fn load(text: &str) -> Draft {
    let d = parse(text);
    assert_eq!(common::word_balance(text, &d), vec![], "no word lost");
    d
}

/// `key: value` entries of the corpus's flat YAML files (values folded over
/// indented continuation lines), in file order.
fn yaml_entries(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("  ") {
            if let Some((_, v)) = out.last_mut() {
                v.push(' ');
                v.push_str(rest.trim());
            }
        } else if let Some((k, v)) = line.split_once(": ") {
            out.push((k.to_owned(), v.trim().to_owned()));
        }
    }
    for (_, v) in out.iter_mut() {
        if v.starts_with('\'') && v.ends_with('\'') && v.len() >= 2 {
            *v = v[1..v.len() - 1].replace("''", "'");
        }
    }
    out
}

/// The 169 targets as `(goal, target, text)` in the order the 2030 Agenda
/// lists them: by goal, numbered targets before lettered ones.
fn sdg_targets() -> Vec<(u32, String, String)> {
    let text = common::read_shared("corpus/sdg/sdg-global-targets-en.yml");
    let mut targets: Vec<(u32, String, String)> = yaml_entries(&text)
        .into_iter()
        .filter_map(|(k, v)| {
            let k = k.strip_suffix("-title")?;
            let (g, t) = k.split_once('-')?;
            Some((g.parse().ok()?, t.to_owned(), v))
        })
        .collect();
    let order = |t: &str| t.parse::<u32>().map_or((1, 0, t.to_owned()), |n| (0, n, String::new()));
    targets.sort_by_key(|(g, t, _)| (*g, order(t)));
    targets
}

#[test]
fn sdg_targets_numbered_decimally_are_each_a_paragraph() {
    let targets = sdg_targets();
    assert_eq!(targets.len(), 169);
    // As saved from Word: one target per line, the number typed as text.
    let text: String = targets.iter().map(|(g, t, v)| format!("{g}.{t} {v}\n")).collect();
    let d = load(&text);
    let numbers: Vec<String> = targets.iter().map(|(g, t, _)| format!("{g}.{t}")).collect();
    let got: Vec<&str> = d.paragraphs.iter().map(|p| p.number.as_deref().unwrap_or("-")).collect();
    assert_eq!(got, numbers);
    for (p, (_, _, v)) in d.paragraphs.iter().zip(&targets) {
        assert_eq!(&p.text, v);
        assert_eq!(p.parent, None);
    }
    assert!(d.headings.is_empty(), "{:?}", d.headings);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
}

#[test]
fn sdg_goals_with_their_targets_below_them() {
    let goals = yaml_entries(&common::read_shared("corpus/sdg/sdg-global-goals-en.yml"));
    let targets = sdg_targets();
    let mut text = String::from("Transforming our world: the 2030 Agenda for Sustainable Development\n\n");
    for g in 1..=17u32 {
        let title = &goals.iter().find(|(k, _)| *k == format!("{g}-title")).unwrap().1;
        text.push_str(&format!("{g}. {title}\n"));
        for (_, t, v) in targets.iter().filter(|x| x.0 == g) {
            text.push_str(&format!("    {g}.{t}\t{v}\n"));
        }
    }
    let d = load(&text);
    let tops: Vec<&str> = d.paragraphs.iter().filter(|p| p.parent.is_none()).map(|p| p.id.as_str()).collect();
    let goal_ids: Vec<String> = (1..=17).map(|g| g.to_string()).collect();
    assert_eq!(tops, goal_ids);
    let subs: Vec<(&str, &str)> =
        d.paragraphs.iter().filter_map(|p| Some((p.number.as_deref()?, p.parent.as_deref()?))).collect();
    assert_eq!(subs.len(), 169);
    for (n, parent) in subs {
        assert_eq!(n.split('.').next(), Some(parent), "{n} under goal {parent}");
    }
}

/// The UDHR page of one language as a Word user would save it as text:
/// one paragraph per line, list items numbered `1.` with a tab.
fn udhr_text(lang: &str) -> String {
    let html = common::read_shared(&format!("corpus/udhr/udhr-{lang}.html"));
    let body = &html[html.find("<body").unwrap_or(0)..];
    let mut out = String::new();
    let mut item = 0;
    let mut pending_number = None;
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open + 1..close - 1];
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("ol", false) => item = 0,
            ("li", false) => {
                item += 1;
                pending_number = Some(item);
            }
            ("p" | "h1" | "h2", false) => {
                let end = rest[close..].find(&format!("</{name}")).map_or(rest.len(), |e| close + e);
                let text = rest[close..end].split_whitespace().collect::<Vec<_>>().join(" ");
                let text = text.replace("&amp;", "&").replace("&nbsp;", " ");
                if let Some(n) = pending_number.take() {
                    out.push_str(&format!("{n}.\t"));
                }
                out.push_str(&text);
                out.push('\n');
                rest = &rest[end..];
                continue;
            }
            _ => {}
        }
        rest = &rest[close..];
    }
    out
}

#[test]
fn universal_declaration_in_the_six_languages() {
    // The Arabic text gives the seven considerations in six paragraphs.
    for (lang, first_article, chapeau_like, considerations) in [
        ("eng", "Article 1", "The General Assembly", 7),
        ("fra", "Article premier", "L’Assemblée générale", 7),
        ("spa", "Artículo 1", "La Asamblea General,", 7),
        ("rus", "Статья 1", "Генеральная Ассамблея,", 7),
        ("arb", "المادة 1", "فإن الجمعية العامة", 6),
        ("cmn_hans", "第一条", "", 7),
    ] {
        let text = udhr_text(lang);
        let d = load(&text);
        let articles: Vec<&str> =
            d.headings.iter().filter(|h| h.number.is_some()).map(|h| h.id.as_str()).collect();
        assert_eq!(articles.len(), 30, "{lang}: {articles:?}");
        assert_eq!(articles[0], first_article, "{lang}");
        // The preamble: its considerations each a preambular paragraph of its own.
        let preamble = d.headings.iter().position(|h| h.number.is_none()).expect("a preamble heading");
        let first = d.headings[preamble].first_paragraph;
        let pre: Vec<_> = d.paragraphs[first..]
            .iter()
            .take_while(|p| p.kind == accord_core::ParagraphKind::Preambular)
            .collect();
        assert_eq!(
            pre.len(),
            considerations,
            "{lang}: {:?}",
            pre.iter().map(|p| &p.text).collect::<Vec<_>>()
        );
        assert!(pre.iter().all(|p| p.source_lines.first == p.source_lines.last), "{lang}: one line each");
        if !chapeau_like.is_empty() {
            assert!(
                d.paragraphs.iter().any(|p| p.text == chapeau_like),
                "{lang}: the chapeau its own paragraph"
            );
        }
        // Every article holds its own text; numbered items under Article 11 and 29.
        let art = |i: usize| {
            let h = d.headings.iter().filter(|h| h.number.is_some()).nth(i).unwrap();
            d.paragraphs.iter().filter(|p| p.heading.as_deref() == Some(h.id.as_str())).count()
        };
        assert!((0..30).all(|i| art(i) >= 1), "{lang}");
        assert_eq!(art(28), 3, "{lang}: Article 29 has three paragraphs");
        assert!(d.diagnostics.iter().all(|x| x.code != "unbalanced-bracket"), "{lang}");
    }
}

#[test]
fn treaty_structure_options_notes_and_outline() {
    let text = common::fixture("treaty-shapes.txt");
    let d = load(&text);
    let heading =
        |id: &str| d.headings.iter().position(|h| h.id == id).unwrap_or_else(|| panic!("heading {id}"));
    let parent = |id: &str| d.heading_parent(heading(id)).map(|h| h.id.as_str());
    // Parts, articles, chapters, a lettered subsection below a chapter.
    assert_eq!(parent("Article 1"), Some("A"));
    assert_eq!(d.headings[heading("Article 1")].title, "(DEFINITIONS)", "title on the next line");
    assert_eq!(parent("Article 2 bis"), Some("A"));
    assert_eq!(parent("Article 3 ter"), Some("A"));
    // A bracketed number keeps its brackets as written; the title is only the title.
    let ter = &d.headings[heading("Article 3 ter")];
    assert_eq!((ter.number.as_deref(), ter.title.as_str()), (Some("[Article 3 ter]"), "(COOPERATION)"));
    assert_eq!(parent("Article 8 bis"), Some("A"));
    assert_eq!(parent("B"), None);
    assert_eq!(parent("II"), Some("B"));
    assert_eq!(parent("B (2)"), Some("II"), "B. Mitigation under chapter II, not Part B again");
    assert_eq!(parent("MITIGATION"), Some("B (2)"));
    // "… as referred to in / Article 2." continues its sentence.
    assert!(!d.headings.iter().any(|h| h.id == "Article 2"));
    let p = |id: &str| d.paragraphs.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("paragraph {id}"));
    assert!(p("Article 2 bis.1").text.ends_with("as referred to in Article 2."));
    // Labels as drafters write them.
    assert_eq!(p("Article 2 bis.3 bis").text, "Parties may act jointly.");
    assert_eq!(p("Article 2 bis.3 ter").text, "Parties shall report jointly.");
    assert_eq!(p("Article 2 bis.3 quater").text, "Reports shall be public.");
    assert_eq!(p("Article 8 bis.17 quater").text, "[Parties shall support the mechanism.]");
    assert_eq!(p("Article 8 bis.1 alt").number.as_deref(), Some("1 alt"));
    // The editorial note stands where it is, between 3 quater and 4.
    let note = d.paragraphs.iter().position(|p| p.text == "{Substantive overlap with Article 4}").unwrap();
    assert_eq!(d.paragraphs[note - 1].id, "Article 2 bis.3 quater");
    assert_eq!(d.paragraphs[note + 1].id, "Article 2 bis.4");
    // Option blocks: labels that belong to what follows; an option with no text.
    assert_eq!(p("Article 3 ter Option 1").text, "(paragraphs 1-2)");
    assert_eq!(p("Article 3 ter Option 1").parent, None);
    assert_eq!(p("Article 3 ter Option 2").text, "");
    let none = p("Article 3 ter Option 3");
    assert_eq!((none.option.as_deref(), none.text.as_str()), (Some("Option 3"), "{No text required}"));
    assert_eq!(p("Article 3 ter.1#2").text, "Parties may cooperate on adaptation.");
    // The unnumbered preamble under its chapeau.
    let pre: Vec<&str> = d
        .paragraphs
        .iter()
        .filter(|p| p.kind == accord_core::ParagraphKind::Preambular)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        pre,
        [
            "The Parties to this Agreement,",
            "Recalling the objective of the Convention,",
            "Recognizing the need for an effective response,",
            "Have agreed as follows:"
        ]
    );
    assert!(d.diagnostics.iter().all(|x| x.code != "unbalanced-bracket"), "{:?}", d.diagnostics);
}

/// Each line its own Word paragraph (blank lines between): the article's
/// title in parentheses still belongs to it, and "Article 2." ending a
/// sentence after Article 2 bis is still no heading (numbers do not go back).
#[test]
fn treaty_shapes_a_paragraph_apart() {
    let text = "Article 1\n\n(DEFINITIONS)\n\n1. For the purposes of this Agreement.\n\n\
                Article 2 bis\n\n1. Each Party shall report as referred to in\n\nArticle 2.\n\n\
                2. Parties shall cooperate.\n";
    let d = load(text);
    let ids: Vec<(&str, &str)> = d.headings.iter().map(|h| (h.id.as_str(), h.title.as_str())).collect();
    assert_eq!(ids, [("Article 1", "(DEFINITIONS)"), ("Article 2 bis", "")]);
    let texts: Vec<&str> = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "For the purposes of this Agreement.",
            "Each Party shall report as referred to in Article 2.",
            "Parties shall cooperate."
        ]
    );
}

/// A paragraph broken across pages at a comma goes on in lower case on the
/// next page (after the running header); a new paragraph never starts so.
#[test]
fn a_page_break_after_a_comma_does_not_split_the_paragraph() {
    let text = "1.  Capacity-building should be country-driven, including at the national,\n\n\
                \u{c}Draft agreement\n\n      subnational and local levels.\n\n\
                2.  Parties shall cooperate,\n\n\u{c}Draft agreement\n\n3.  Parties shall report.\n";
    let d = load(text);
    let texts: Vec<&str> = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Capacity-building should be country-driven, including at the national, subnational and local levels.",
            "Parties shall cooperate,",
            "Parties shall report."
        ]
    );
}

/// Option blocks number their paragraphs afresh, each from where the block
/// began; what follows the block goes on from the highest number in it.
/// None of that is a duplicate or a gap.
#[test]
fn option_blocks_are_no_numbering_fault() {
    let text = "Article 4\n\n1. Parties shall act.\n\n2. Parties shall report.\n\n\
                Option 1: (paragraphs 3-4)\n3. Parties shall cooperate.\n4. Parties shall share.\n\n\
                Option II (paragraphs 3-5):\n3. Parties may cooperate.\n4. Parties may share.\n5. Parties may meet.\n\n\
                Option 3: (paragraph 3)\n3. No text.\n\n\
                6. The secretariat shall keep a registry.\n";
    let d = load(text);
    let numbering: Vec<_> = d.diagnostics.iter().filter(|x| x.code.starts_with("numbering")).collect();
    assert!(numbering.is_empty(), "{numbering:?}");
    let options: Vec<_> = d.paragraphs.iter().filter_map(|p| p.option.as_deref()).collect();
    assert_eq!(options, ["Option 1", "Option II", "Option 3"]);
    // A real duplicate outside options is still one.
    let d = load("1. Parties shall act.\n\n2. Parties shall report.\n\n2. Parties shall meet.\n");
    assert!(d.diagnostics.iter().any(|x| x.code == "numbering-duplicate"), "{:?}", d.diagnostics);
}

#[test]
fn a_heading_too_long_for_its_line_goes_on_in_capitals() {
    let text = "Draft decision\n\n\
        I.      ADOPTION OF THE [PARIS AGREEMENT] [PARIS IMPLEMENTING AGREEMENT UNDER THE\n        \
        UNITED NATIONS FRAMEWORK CONVENTION ON CLIMATE CHANGE]\n\
        1.      Decides to adopt the Agreement;\n\n\
        II.     INTENDED NATIONALLY DETERMINED CONTRIBUTIONS OF\n        \
        PARTIES\n\
        2.      Welcomes the contributions;\n\n\
        III.    DÉCISIONS VISANT À DONNER EFFET À L'ACCORD ET\n        \
        AUX TRAVAUX PRÉPARATOIRES\n\
        3.      Décide de lancer les travaux;\n\n\
        IV.     WORKSTREAM 2\n        \
        MITIGATION\n\
        4.      Decides to act.\n";
    let d = load(text);
    let titles: Vec<(&str, u32, u32)> =
        d.headings.iter().map(|h| (h.title.as_str(), h.source_lines.first, h.source_lines.last)).collect();
    assert_eq!(
        titles,
        vec![
            (
                "ADOPTION OF THE [PARIS AGREEMENT] [PARIS IMPLEMENTING AGREEMENT UNDER THE UNITED NATIONS \
                 FRAMEWORK CONVENTION ON CLIMATE CHANGE]",
                3,
                4
            ),
            ("INTENDED NATIONALLY DETERMINED CONTRIBUTIONS OF PARTIES", 7, 8),
            ("DÉCISIONS VISANT À DONNER EFFET À L'ACCORD ET AUX TRAVAUX PRÉPARATOIRES", 11, 12),
            // A complete title: the line below is a heading of its own.
            ("WORKSTREAM 2", 15, 15),
            ("MITIGATION", 16, 16),
        ]
    );
    assert_eq!(
        d.paragraphs.iter().map(|p| p.number.as_deref().unwrap_or("")).collect::<Vec<_>>(),
        ["1", "2", "3", "4"]
    );
}
