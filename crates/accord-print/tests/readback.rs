//! The circulation PDF read back: what `pdftotext -layout` reads from the
//! PDF of a draft parses again into the same draft — every paragraph, its
//! number, status and brackets — for the seed (letters and all), and the
//! Arabic and Chinese UDHR read back in their own order with their fonts
//! embedded. Needs Poppler's `pdftotext` and `pdffonts` (fails under `CI`
//! without them, skips with a message otherwise).

mod common;

use accord_core::{parse, Draft};
use accord_print::{draft_pdf, PrintOptions};

const SEED: &str = "seeds/000_a85ec3b89659f1a1.txt";

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What must survive the round trip, paragraph by paragraph.
fn essentials(
    d: &Draft,
) -> Vec<(String, Option<String>, String, Option<String>, String, Vec<(String, u32)>)> {
    d.paragraphs
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                p.number.clone(),
                p.status.as_str().to_owned(),
                p.status_note.clone(),
                squash(&p.text),
                p.brackets.iter().map(|b| (squash(&b.text), b.depth)).collect(),
            )
        })
        .collect()
}

#[test]
fn the_seed_reads_back_to_the_same_paragraphs_statuses_and_brackets() {
    let draft = parse(&common::read_shared(SEED));
    assert_eq!(draft.paragraphs.len(), 70);
    let pdf = draft_pdf(&draft, &PrintOptions::default()).expect("the seed prints");
    let Some(text) = common::pdftotext(&pdf) else { return };
    let back = parse(&text);
    let (want, got) = (essentials(&draft), essentials(&back));
    for (w, g) in want.iter().zip(&got) {
        assert_eq!(w, g, "paragraph {} differs after the round trip", w.0);
    }
    assert_eq!(want.len(), got.len(), "paragraph count after the round trip");
    let brackets = |d: &Draft| d.paragraphs.iter().map(|p| p.brackets.len()).sum::<usize>();
    assert_eq!(brackets(&draft), brackets(&back));
    // The rest of the document reads back too.
    assert_eq!(back.title, draft.title);
    assert_eq!(back.title_status, draft.title_status);
    assert_eq!(back.date, draft.date);
    let headings =
        |d: &Draft| d.headings.iter().map(|h| (h.number.clone(), h.title.clone())).collect::<Vec<_>>();
    assert_eq!(headings(&back), headings(&draft));
    assert_eq!(back.letters.len(), draft.letters.len(), "letters after the round trip");
    for (b, d) in back.letters.iter().zip(&draft.letters) {
        assert_eq!(b.letterhead, d.letterhead);
        assert_eq!(b.date, d.date);
        assert_eq!(b.salutation, d.salutation);
        assert_eq!(b.body, d.body);
        assert_eq!(b.addressees, d.addressees);
        // A signature line longer than the page is wide wraps: compare the words.
        let words = |s: &[Vec<String>]| s.iter().map(|l| squash(&l.join(" "))).collect::<Vec<_>>();
        assert_eq!(words(&b.signatures), words(&d.signatures));
    }
    // Running headers and page numbers are page furniture, not text.
    assert!(back.furniture.iter().any(|l| l.text.starts_with("Page ")), "{:?}", back.furniture);
}

#[test]
fn the_seed_embeds_noto_serif() {
    let draft = parse(&common::read_shared(SEED));
    let pdf = draft_pdf(&draft, &PrintOptions::default()).expect("the seed prints");
    let Some(table) = common::pdffonts(&pdf) else { return };
    let serif = common::fonts_named(&table, "NotoSerif");
    assert!(!serif.is_empty() && serif.iter().all(|(_, emb)| *emb), "{table}");
    // Nothing else: no fallback font crept in for a missing glyph.
    let others: Vec<&str> = table.lines().skip(2).filter(|l| !l.contains("NotoSerif")).collect();
    assert!(others.is_empty(), "{table}");
}

/// Prints the UDHR of `lang`, reads it back, and checks the paragraphs'
/// text with `norm` applied to both sides; returns the PDF.
fn udhr_reads_back(lang: &str, norm: fn(&str) -> String) -> Option<(Vec<u8>, String)> {
    let draft = parse(&common::udhr_draft_text(lang));
    assert!(draft.paragraphs.len() >= 30, "{lang}: {} paragraphs", draft.paragraphs.len());
    let pdf = draft_pdf(&draft, &PrintOptions::default()).expect("the UDHR prints");
    let text = common::pdftotext(&pdf)?;
    let back = parse(&text);
    let texts = |d: &Draft| d.paragraphs.iter().map(|p| (p.id.clone(), norm(&p.text))).collect::<Vec<_>>();
    let (want, got) = (texts(&draft), texts(&back));
    for (w, g) in want.iter().zip(&got) {
        assert_eq!(w, g, "{lang}: paragraph {} differs after the round trip", w.0);
    }
    assert_eq!(want.len(), got.len(), "{lang}: paragraph count after the round trip");
    assert_eq!(back.title.as_deref().map(norm), draft.title.as_deref().map(norm), "{lang}: title");
    Some((pdf, text))
}

#[test]
fn arabic_reads_back_right_to_left_in_logical_order() {
    let Some((pdf, _)) = udhr_reads_back("arb", squash) else { return };
    let Some(table) = common::pdffonts(&pdf) else { return };
    let naskh = common::fonts_named(&table, "NotoNaskhArabic");
    assert!(!naskh.is_empty() && naskh.iter().all(|(_, emb)| *emb), "{table}");
}

#[test]
fn chinese_reads_back_and_breaks_lines_by_its_rules() {
    // Chinese has no spaces: a line end reads back as one, so compare without them.
    let no_space = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let Some((pdf, text)) = udhr_reads_back("cmn_hans", no_space) else { return };
    // No line starts with closing punctuation (kinsoku): the typesetter kept it on the line before.
    for line in text.lines() {
        let t = line.trim_start();
        assert!(
            !t.starts_with(['，', '。', '、', '；', '：', '）', '”']),
            "line starts with closing punctuation: {t}"
        );
    }
    let Some(table) = common::pdffonts(&pdf) else { return };
    let cjk = common::fonts_named(&table, "NotoSerifCJK");
    assert!(!cjk.is_empty() && cjk.iter().all(|(_, emb)| *emb), "{table}");
}
