//! Emphasis in the model: Markdown emphasis read into it (issue 12,
//! "`*emphasis*` as emphasis") — the markers leave the text, their spans
//! lie on the paragraph's characters, on the real Paris Agreement as
//! published and on the shapes a Markdown draft uses (list items,
//! sub-items, continuation lines, bold, both) — and spans kept sane across
//! any edit of the text (property test).

use accord_core::{EmphasisKind, Paragraph};

const PARIS: &str = "../../../shared/drafts/unfccc-paris-2015/";

fn spans(p: &Paragraph) -> Vec<(EmphasisKind, String)> {
    let chars: Vec<char> = p.text.chars().collect();
    p.emphasis.iter().map(|e| (e.kind, chars[e.start as usize..e.end as usize].iter().collect())).collect()
}

fn starting<'d>(d: &'d accord_core::Draft, words: &str) -> &'d Paragraph {
    d.paragraphs
        .iter()
        .find(|p| p.text.starts_with(words))
        .unwrap_or_else(|| panic!("no paragraph {words:?}"))
}

#[test]
fn the_paris_agreement_keeps_its_italic_preambular_verbs() {
    use EmphasisKind::Italic;
    let md = std::fs::read_to_string(format!("{PARIS}paris-agreement-final-12-dec-2015.md")).unwrap();
    let d = accord_core::parse(&md);
    assert_eq!(spans(starting(&d, "Being Parties")), [(Italic, "Being".to_owned())]);
    assert_eq!(
        spans(starting(&d, "Also recognizing the specific")),
        [(Italic, "Also recognizing".to_owned())]
    );
    assert_eq!(spans(starting(&d, "Taking full account")), [(Italic, "Taking full account".to_owned())]);
    // Every preambular paragraph written `*Verb* …` opens with its verb in italics.
    let written =
        md.lines().filter(|l| l.starts_with('*') && l[1..].contains("* ") && !l.starts_with("* ")).count();
    let italic_openings = d
        .paragraphs
        .iter()
        .filter(|p| p.emphasis.first().is_some_and(|e| e.kind == Italic && e.start == 0))
        .count();
    assert!(written >= 15, "{written}");
    assert_eq!(italic_openings, written);
    // The chapeau is set plain in the source, and stays so.
    assert!(starting(&d, "The Parties to this Agreement").emphasis.is_empty());
    // The text is the text: no marker left in any paragraph.
    assert!(d.paragraphs.iter().all(|p| !p.text.contains("*Being")));
}

#[test]
fn list_items_sub_items_continuations_bold_and_both() {
    use EmphasisKind::*;
    let md = "## Article 1\n\n1. The *purpose* of this **Agreement** is:\n\n    1.  To ***hold*** the increase;\n\n2. Parties _shall_ act\n   and **report\n   regularly**.\n\n## Article 2\n\n1. a_b_c stays 2 * 3 plain.\n\n[^1]: note\n";
    let d = accord_core::parse(md);
    let first = &d.paragraphs[0];
    assert_eq!(first.text, "The purpose of this Agreement is:");
    assert_eq!(spans(first), [(Italic, "purpose".to_owned()), (Bold, "Agreement".to_owned())]);
    let sub = &d.paragraphs[1];
    assert_eq!(sub.text, "To hold the increase;");
    assert_eq!(spans(sub), [(Italic, "hold".to_owned()), (Bold, "hold".to_owned())]);
    let second = d.paragraphs.iter().find(|p| p.text.starts_with("Parties")).unwrap();
    assert_eq!(second.text, "Parties shall act and report regularly.");
    // A span left open at a line's end closes there (line by line).
    assert_eq!(spans(second), [(Italic, "shall".to_owned()), (Bold, "report".to_owned())]);
    let plain = d.paragraphs.iter().find(|p| p.text.starts_with("a_b_c")).unwrap();
    assert!(plain.emphasis.is_empty(), "{:?}", plain.emphasis);
}

mod carrying {
    use accord_core::emphasis::{carry, normalize};
    use accord_core::{Emphasis, EmphasisKind};
    use proptest::prelude::*;

    fn kind() -> impl Strategy<Value = EmphasisKind> {
        prop_oneof![Just(EmphasisKind::Italic), Just(EmphasisKind::Bold), Just(EmphasisKind::Underline)]
    }

    proptest! {
        /// Any edit of any text keeps any spans well formed: inside the new
        /// text, normalized, and those wholly before the edit unchanged.
        #[test]
        fn spans_stay_sane_across_any_edit(
            old in "[a-cé ]{0,40}",
            cut in (0usize..41, 0usize..41),
            insert in "[a-cé ]{0,12}",
            raw in prop::collection::vec((kind(), 0u32..40, 1u32..10), 0..6),
        ) {
            let chars: Vec<char> = old.chars().collect();
            let (a, b) = (cut.0.min(chars.len()), cut.1.min(chars.len()));
            let (a, b) = (a.min(b), a.max(b));
            let new: String = chars[..a].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(&chars[b..]).collect();
            let len = chars.len() as u32;
            let spans = normalize(raw.into_iter().map(|(kind, s, n)| Emphasis { kind, start: s, end: s + n }).collect(), len);
            let carried = carry(&old, &spans, &new);
            let new_len = new.chars().count() as u32;
            prop_assert_eq!(&normalize(carried.clone(), new_len), &carried);
            prop_assert!(carried.iter().all(|e| e.start < e.end && e.end <= new_len));
            // Spans ending before the first changed character are kept as they were.
            let prefix = old.chars().zip(new.chars()).take_while(|(x, y)| x == y).count() as u32;
            for s in spans.iter().filter(|s| s.end < prefix) {
                prop_assert!(carried.contains(s), "{:?} lost in {:?}", s, carried);
            }
            // No edit: no change.
            prop_assert_eq!(carry(&old, &spans, &old), spans.clone());
        }
    }
}
