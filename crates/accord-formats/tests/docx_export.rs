//! Word out: the clean draft reads back to the same model (golden on the
//! seed and the fixtures, property test on generated drafts), and a
//! comparison as tracked changes gives the new draft when every change is
//! accepted and the old one when every change is rejected — on the seed
//! against a revision with renumbering, a split, a merge and a move —
//! and opens in LibreOffice.

mod docx_support;

use accord_core::Draft;
use accord_formats::docx::{self, redline};
use docx_support::*;
use proptest::prelude::*;

const FIXTURES: &str = "../accord-core/tests/fixtures";
const SEED: &str = "../../../shared/seeds/000_a85ec3b89659f1a1.txt";

fn shape(d: &Draft) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        d.paragraphs
            .iter()
            .map(|p| {
                let brackets: Vec<&str> = p.brackets.iter().map(|b| b.text.as_str()).collect();
                (
                    &p.id,
                    &p.number,
                    p.kind,
                    p.status,
                    &p.status_note,
                    &p.text,
                    &p.parent,
                    &p.option,
                    &p.heading,
                    brackets,
                    &p.footnotes,
                )
            })
            .collect::<Vec<_>>(),
        d.headings
            .iter()
            .map(|h| (&h.id, &h.number, &h.title, h.level, h.first_paragraph))
            .collect::<Vec<_>>(),
        (&d.title, d.title_status, &d.date),
        d.footnotes.iter().map(|f| (&f.marker, &f.text)).collect::<Vec<_>>(),
        d.letters.iter().map(|l| (&l.sender, &l.date, &l.body)).collect::<Vec<_>>(),
    )
}

fn seed() -> String {
    std::fs::read_to_string(SEED).unwrap()
}

#[test]
fn clean_draft_reads_back_the_same() {
    let mut texts = vec![("seed".to_owned(), seed())];
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            texts.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
    for (name, text) in texts {
        let draft = accord_core::parse(&text);
        let bytes = docx::write::draft(&draft);
        let back = docx::read(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(shape(&back.draft), shape(&draft), "{name}");
        assert!(back.tracked_changes.is_empty());
    }
}

#[test]
fn clean_draft_uses_word_numbering_italics_and_styles() {
    let draft = accord_core::parse(&seed());
    let bytes = docx::write::draft(&draft);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains(r#"<w:pStyle w:val="Title"/>"#));
    assert!(xml.contains(r#"<w:pStyle w:val="Heading1"/>"#));
    // 70 paragraphs numbered by Word, none typed.
    assert_eq!(xml.matches("<w:numPr>").count(), 70);
    assert!(!xml.contains(">1. Recalling"));
    // The preambular verb in italics, the rest not.
    assert!(xml.contains(r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">Recalling</w:t></w:r><w:r><w:t xml:space="preserve"> the request"#), "{}", &xml[..3000]);
    assert!(zip.by_name("word/numbering.xml").is_ok());
}

#[test]
fn footnotes_go_out_as_word_footnotes() {
    let text = "Draft decision -/CP.21\n\nPreamble\n\n1. Recalling the Agreement [every five years]1,\n\n2. Noting the report2 of the secretariat,\n";
    let mut draft = accord_core::parse(text);
    draft.footnotes = vec![
        accord_core::Footnote {
            marker: "1".into(),
            text: "To be discussed.".into(),
            source_lines: [9, 9].into(),
            emphasis: Vec::new(),
        },
        accord_core::Footnote {
            marker: "2".into(),
            text: "FCCC/CP/2015/1.".into(),
            source_lines: [10, 10].into(),
            emphasis: Vec::new(),
        },
    ];
    draft.paragraphs[0].footnotes = vec!["1".into()];
    draft.paragraphs[1].footnotes = vec!["2".into()];
    let back = docx::read(&docx::write::draft(&draft)).unwrap().draft;
    assert_eq!(shape(&back), shape(&draft));
}

/// The seed revised: paragraph 3 deleted (everything after renumbered),
/// paragraph 9 split in two, 19 and 20 merged, 26 moved after 28, words
/// changed in 12 and 15.
fn revision(seed: &str) -> String {
    let draft = accord_core::parse(seed);
    let lines: Vec<&str> = seed.lines().collect();
    let line_of = |id: &str| {
        let p = draft.paragraphs.iter().find(|p| p.id == id).unwrap();
        (p.source_lines.first as usize - 1, p.source_lines.last as usize - 1)
    };
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    let mut drop = vec![false; lines.len()];
    // Edits on whole lines (each of these paragraphs is one line in the seed).
    let (l3, _) = line_of("3");
    drop[l3] = true;
    let (l9, _) = line_of("9");
    let nine = out[l9].clone();
    let cut = nine.find(", which have seen").unwrap();
    out[l9] = format!("{}.\n9. These have seen{}", &nine[..cut], &nine[cut + ", which have seen".len()..]);
    let (l19, _) = line_of("19");
    let (l20, _) = line_of("20");
    let twenty = out[l20].split_once(". ").unwrap().1.to_owned();
    out[l19] = format!("{} {twenty}", out[l19]);
    drop[l20] = true;
    let (l26, _) = line_of("26");
    let (l28, _) = line_of("28");
    let moved = out[l26].clone();
    drop[l26] = true;
    out[l28] = format!("{}\n{moved}", out[l28]);
    let (l12, _) = line_of("12");
    out[l12] = out[l12].replace("[foreign] occupation", "foreign occupation");
    let (l15, _) = line_of("15");
    out[l15] = out[l15].replace("We commit to harnessing", "We strongly commit to harnessing");
    let text: String = out.iter().zip(&drop).filter(|(_, d)| !**d).map(|(l, _)| format!("{l}\n")).collect();
    // Renumber the paragraphs 1, 2, 3 … in order (headings keep theirs).
    let revised = accord_core::parse(&text);
    let firsts: std::collections::HashSet<usize> = revised
        .paragraphs
        .iter()
        .filter(|p| p.number.is_some())
        .map(|p| p.source_lines.first as usize - 1)
        .collect();
    let mut n = 0;
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if firsts.contains(&i) {
                if let Some((_, rest)) = l.split_once(". ") {
                    n += 1;
                    return format!("{n}. {rest}\n");
                }
            }
            format!("{l}\n")
        })
        .collect()
}

#[test]
fn comparison_accepted_is_new_and_rejected_is_old() {
    let old_text = seed();
    let new_text = revision(&old_text);
    let old = accord_core::parse(&old_text);
    let new = accord_core::parse(&new_text);
    assert_eq!(new.paragraphs.len(), old.paragraphs.len() - 1, "one deleted, one split, one merged");
    let c = accord_core::compare(&old, &new);
    let relations: Vec<&str> = c.paragraphs.iter().map(|l| l.relation.as_str()).collect();
    for r in ["renumbered", "split", "merged", "moved", "deleted", "changed"] {
        assert!(relations.contains(&r), "the revision has no {r}: {relations:?}");
    }
    let by = redline::Authorship { author: "Co-facilitators".into(), date: "2015-12-09T00:00:00Z".into() };
    let bytes = redline::comparison(&old, &new, &c, &by);
    let rejected = docx::read(&bytes).unwrap();
    assert_eq!(shape(&rejected.draft), shape(&old), "Reject all gives the old draft");
    let accepted = docx::read_accepted(&bytes).unwrap();
    assert_eq!(shape(&accepted.draft), shape(&new), "Accept all gives the new draft");
    // Every change is by the co-facilitators, dated, and the move is a Word move.
    assert!(!rejected.tracked_changes.is_empty());
    assert!(rejected.tracked_changes.iter().all(|t| t.author.as_deref() == Some("Co-facilitators")
        && t.date.as_deref() == Some("2015-12-09T00:00:00Z")));
    assert!(rejected.tracked_changes.iter().any(|t| t.moved));
    let renumbered = rejected.tracked_changes.iter().find(|t| t.paragraph.as_deref() == Some("5")).unwrap();
    assert_eq!((renumbered.deleted.as_str(), renumbered.inserted.as_str()), ("5.", "4."), "{renumbered:?}");

    if !tool("soffice") {
        return;
    }
    let dir = temp_dir("lo-redline");
    let file = dir.join("comparison.docx");
    std::fs::write(&file, &bytes).unwrap();
    soffice(std::slice::from_ref(&file), "pdf", &dir);
    let pdf = std::fs::read(dir.join("comparison.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 10_000, "LibreOffice made a PDF of it");
    soffice(std::slice::from_ref(&file), "txt:Text (encoded):UTF8", &dir);
    let txt = std::fs::read_to_string(dir.join("comparison.txt")).unwrap();
    assert!(txt.contains("We strongly commit to harnessing"), "{}", &txt[..txt.len().min(2000)]);
    // LibreOffice reads them as tracked changes, not as text: its own
    // document (ODF) holds one changed region per insertion and deletion,
    // each by our author.
    let file = dir.join("comparison.docx");
    soffice(&[file], "odt", &dir);
    let mut odt = zip::ZipArchive::new(std::fs::File::open(dir.join("comparison.odt")).unwrap()).unwrap();
    let mut content = String::new();
    std::io::Read::read_to_string(&mut odt.by_name("content.xml").unwrap(), &mut content).unwrap();
    let regions = content.matches("<text:changed-region").count();
    assert!(
        content.contains("<text:insertion>") && content.contains("<text:deletion>"),
        "no tracked changes in LibreOffice"
    );
    assert!(
        regions >= rejected.tracked_changes.len(),
        "{regions} regions for {} changes",
        rejected.tracked_changes.len()
    );
    assert!(content.contains("<dc:creator>Co-facilitators</dc:creator>"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("States".to_owned()),
        Just("Parties".to_owned()),
        Just("development".to_owned()),
        Just("the".to_owned()),
        Just("[shall/should]".to_owned()),
        Just("[climate]".to_owned()),
        Just("2030".to_owned()),
        "[a-z]{2,9}",
    ]
}

fn paragraph_text() -> impl Strategy<Value = String> {
    (prop::collection::vec(word(), 3..16), prop_oneof![Just(";"), Just("."), Just(",")], 0..4u8).prop_map(
        |(words, end, status)| {
            let tag = match status {
                1 => " [Agreed ad ref]",
                2 => " [Suggested for Closure]",
                _ => "",
            };
            format!("{}{end}{tag}", words.join(" "))
        },
    )
}

fn draft_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(paragraph_text(), 1..5),
        prop::collection::vec((paragraph_text(), prop::collection::vec(paragraph_text(), 0..3)), 1..8),
    )
        .prop_map(|(pre, ops)| {
            let mut s = String::from("Draft resolution\n\nPreamble\n\n");
            let mut n = 0;
            for p in pre {
                n += 1;
                s.push_str(&format!("{n}. Recalling {p}\n"));
            }
            s.push_str("\nOperative part\n\n");
            for (p, subs) in ops {
                n += 1;
                s.push_str(&format!("{n}. Decides {p}\n"));
                for (k, sub) in subs.iter().enumerate() {
                    s.push_str(&format!("({}) {sub}\n", (b'a' + k as u8) as char));
                }
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn written_then_read_is_the_same_model(text in draft_text()) {
        let draft = accord_core::parse(&text);
        let back = docx::read(&docx::write::draft(&draft)).unwrap().draft;
        prop_assert_eq!(shape(&back), shape(&draft));
    }

    #[test]
    fn comparison_of_generated_drafts_accepts_and_rejects(a in draft_text(), b in draft_text()) {
        let (old, new) = (accord_core::parse(&a), accord_core::parse(&b));
        let c = accord_core::compare(&old, &new);
        let by = redline::Authorship { author: "G77".into(), date: "2026-01-01T00:00:00Z".into() };
        let bytes = redline::comparison(&old, &new, &c, &by);
        let (rejected, accepted) = (docx::read(&bytes).unwrap().draft, docx::read_accepted(&bytes).unwrap().draft);
        prop_assert_eq!(shape(&rejected), shape(&old));
        prop_assert_eq!(shape(&accepted), shape(&new));
    }
}
