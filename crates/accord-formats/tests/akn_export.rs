//! Every export validates against the OASIS Akoma Ntoso 3.0 schema, holds
//! every paragraph and bracket of the model, and reads back into the same
//! model: the seed, the Paris drafts, the demo drafts and the Universal
//! Declaration in the six official languages; adopted texts too.

mod akn_common;

use accord_core::trace::CorpusDocument;
use accord_core::{parse, Draft};
use accord_formats::akn::{self, AknOptions};
use akn_common::*;

const PARIS: &[&str] =
    &["negotiating_text_12022015@2200.txt", "8infnot.txt", "11infnot.txt", "adp_compilation_4dec15_10am.txt"];

/// (file, ISO 639-2 code) of the six UDHR texts.
const UDHR: &[(&str, &str)] = &[
    ("udhr-arb.html", "ara"),
    ("udhr-cmn_hans.html", "zho"),
    ("udhr-eng.html", "eng"),
    ("udhr-fra.html", "fra"),
    ("udhr-rus.html", "rus"),
    ("udhr-spa.html", "spa"),
];

fn demo(name: &str) -> String {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../accord-workspace/demo").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The Universal Declaration as a draft: its name as the title, the
/// preamble's paragraphs as `PP1` … and each article as a numbered paragraph.
fn udhr(file: &str) -> Draft {
    let html = read_shared(&format!("corpus/udhr/{file}"));
    let doc = CorpusDocument::from_article_html(&html, "A/RES/217(III)").expect("UDHR HTML reads");
    let mut text = format!("{}\n\n", doc.name);
    for u in &doc.units {
        if u.number.starts_with("PP") {
            text.push_str(&format!("{} {}\n\n", u.number, u.text));
        } else {
            text.push_str(&format!("{}. {}\n\n", u.number, u.text));
        }
    }
    let d = parse(&text);
    assert!(d.paragraphs.len() >= 30, "{file}: {} paragraphs", d.paragraphs.len());
    d
}

/// Every draft the issue names, with the options to export it.
fn all_drafts() -> Vec<(String, Draft, AknOptions)> {
    let mut out = Vec::new();
    let seed = parse(&read_shared("seeds/000_a85ec3b89659f1a1.txt"));
    out.push(("seed".to_string(), seed.clone(), AknOptions::default()));
    out.push((
        "seed adopted".to_string(),
        seed,
        AknOptions {
            adopted: true,
            symbol: Some("A/RES/70/125".into()),
            co_facilitators: vec!["Janis Mazeiks".into(), "Lana Zaki Nusseibeh".into()],
            delegations: vec![
                "Group of 77 and China".into(),
                "European Union".into(),
                "United States".into(),
            ],
            ..AknOptions::default()
        },
    ));
    for f in PARIS {
        out.push((
            f.to_string(),
            parse(&read_shared(&format!("drafts/unfccc-paris-2015/{f}"))),
            AknOptions::default(),
        ));
    }
    for f in ["zero-draft.txt", "rev1.txt"] {
        let o = AknOptions {
            co_facilitators: vec!["Halvard Strand".into(), "Marisol Quent".into()],
            delegations: vec!["Norland".into(), "Estoria".into(), "G77 and China".into()],
            ..AknOptions::default()
        };
        out.push((format!("demo {f}"), parse(&demo(f)), o));
    }
    for (f, lang) in UDHR {
        out.push((
            f.to_string(),
            udhr(f),
            AknOptions { language: Some(lang.to_string()), ..AknOptions::default() },
        ));
    }
    out
}

fn count(xml: &str, needle: &str) -> usize {
    xml.matches(needle).count()
}

#[test]
fn every_export_validates_holds_everything_and_reads_back() {
    let drafts = all_drafts();
    let mut docs = Vec::new();
    eprintln!("| draft | paragraphs | brackets | bytes |");
    for (name, d, options) in &drafts {
        let xml = akn::write(d, options);
        // Every paragraph is an element carrying its Accord id, with an eId and a GUID.
        let paragraphs =
            count(&xml, " accord:heading=") + d.paragraphs.iter().filter(|p| p.heading.is_none()).count();
        assert_eq!(paragraphs, d.paragraphs.len(), "{name}: paragraphs");
        assert_eq!(count(&xml, " GUID="), d.paragraphs.len() + d.headings.len(), "{name}: GUIDs");
        // Every bracket (each piece of one that crosses paragraphs) is an inline.
        let brackets: usize = d.paragraphs.iter().map(|p| p.brackets.len()).sum();
        assert_eq!(count(&xml, "<inline name=\"bracket\""), brackets, "{name}: brackets");
        let back = akn::read(xml.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_same(name, d, &back);
        eprintln!("| {name} | {} | {brackets} | {} |", d.paragraphs.len(), xml.len());
        docs.push((name.clone(), xml));
    }
    validate(&docs);
}

#[test]
fn a_draft_is_a_statement_and_an_adopted_text_a_publication() {
    let d = parse(&read_shared("seeds/000_a85ec3b89659f1a1.txt"));
    let xml = akn::write(&d, &AknOptions::default());
    assert!(xml.contains("<statement name=\"resolutionDraft\""));
    assert!(xml.contains("<FRBRuri value=\"/akn/un/statement/deliberation/unga/2015-12-07/"));
    assert!(xml.contains("<TLCOrganization eId=\"generalAssembly\""));
    assert!(xml.contains("<TLCConcept eId=\"suggestedForClosure\""));
    // Paragraph 23 is suggested for closure "given new figures".
    assert!(xml.contains(
        "outcome=\"#suggestedForClosure\" refersTo=\"#para_23\" accord:note=\"given new figures\"/>"
    ));
    // The preambular paragraphs are recitals under the heading "Preamble".
    assert!(xml.contains("<preamble>\n<recitals eId=\"sec_Preamble\""));
    assert_eq!(count(&xml, "<recital "), 5);
    // The two covering letters.
    assert_eq!(count(&xml, "<container name=\"letter\""), 2);
    let adopted = akn::write(
        &d,
        &AknOptions { adopted: true, delegations: vec!["European Union".into()], ..AknOptions::default() },
    );
    assert!(adopted.contains("<documentCollection name=\"publicationResolution\""));
    assert!(adopted.contains("<statement name=\"resolution\""));
    assert!(adopted.contains("/akn/un/statement/deliberation/unga/2015-12-07/draft-resolution"));
    assert!(adopted.contains("showAs=\"European Union\""));
    assert_same("adopted", &d, &akn::read(adopted.as_bytes()).unwrap());
}

#[test]
fn brackets_nest_and_cross_paragraphs_with_markers() {
    let d = parse(
        "1. We agree to meet in [2020/2025] and [to [review] the text].\n\n\
         2. [The Parties shall cooperate.\n\n3. They shall report.] 5 December 2015\n",
    );
    let xml = akn::write(&d, &AknOptions::default());
    assert!(xml.contains(
        "<inline name=\"bracket\" accord:depth=\"1\" accord:alternatives=\"[&quot;2020&quot;,&quot;2025&quot;]\">[<inline name=\"option\">2020</inline>/<inline name=\"option\">2025</inline>]</inline>"
    ));
    assert!(xml.contains(
        "<inline name=\"bracket\" accord:depth=\"1\">[to <inline name=\"bracket\" accord:depth=\"2\">[review]</inline> the text]</inline>"
    ));
    assert!(xml.contains(
        "<inline name=\"bracket\" class=\"closes-after\" accord:depth=\"1\">[The Parties shall cooperate.</inline>"
    ));
    assert!(xml.contains(
        "<inline name=\"bracket\" class=\"opens-before\" accord:depth=\"1\">They shall report.]</inline>"
    ));
    // Read with the brackets derived from the text instead (as for another tool's file): the same.
    let plain = xml.replace(" accord:depth=\"1\"", "").replace(" accord:depth=\"2\"", "");
    assert_same("brackets derived", &d, &akn::read(plain.as_bytes()).unwrap());
    validate(&[("brackets".into(), xml.clone())]);
    assert_same("brackets", &d, &akn::read(xml.as_bytes()).unwrap());
}

#[test]
fn emphasis_is_b_i_u_innermost_valid_and_reads_back() {
    use accord_core::{Emphasis, EmphasisKind::*};
    let mut d = parse("Preamble\n\n1. Recalling [its [resolution 70/1]] & more,\n\n2. Noting the report,\n");
    let p = &mut d.paragraphs[0];
    let at = |s: &str| p.text.find(s).map(|b| p.text[..b].chars().count() as u32).unwrap();
    // Italic from the verb into the nested bracket and the reference; bold and
    // underline overlapping it.
    p.emphasis = vec![
        Emphasis { kind: Italic, start: 0, end: at("tion") },
        Emphasis { kind: Bold, start: at("its"), end: at("70/1") + 2 },
        Emphasis { kind: Underline, start: at("& more"), end: at("more") + 4 },
    ];
    p.emphasis =
        accord_core::emphasis::normalize(std::mem::take(&mut p.emphasis), p.text.chars().count() as u32);
    let xml = akn::write(&d, &AknOptions::default());
    assert!(xml.contains("<i>Recalling </i>"), "{xml}");
    assert!(xml.contains("<b><i>its </i></b>"), "{xml}");
    assert!(xml.contains("<u>&amp; more</u>"), "{xml}");
    validate(&[("emphasis".into(), xml.clone())]);
    assert_same("emphasis", &d, &akn::read(xml.as_bytes()).unwrap());
}

#[test]
fn what_xml_cannot_hold_still_reads_back() {
    let mut d = parse("1. First paragraph.\n\n2. Second <paragraph> & \"quotes\".\n");
    d.paragraphs[0].text = "form\u{c}feed, CR\r\nLF, tab\tand NUL\u{0} & <markup>".into();
    d.paragraphs[1].status_note = Some("given\tnew \"figures\"".into());
    d.paragraphs[1].status = accord_core::Status::AgreedAdRef;
    d.title = Some("Title with\nline break".into());
    let xml = akn::write(&d, &AknOptions::default());
    validate(&[("control characters".into(), xml.clone())]);
    assert_same("control characters", &d, &akn::read(xml.as_bytes()).unwrap());
}

#[test]
fn an_empty_draft_is_still_valid() {
    let d = Draft::default();
    let xml = akn::write(&d, &AknOptions::default());
    validate(&[("empty".into(), xml.clone())]);
    assert_same("empty", &d, &akn::read(xml.as_bytes()).unwrap());
}
