//! Text that typst markup would read as commands comes out of the PDF as
//! written: the draft is passed to the template as data, so `#`, `*`, `$`,
//! `\`, `]`, `@`, `<`, backticks and whole typst expressions are just
//! characters. Also: a draft with nothing in it still prints, and nothing a
//! draft says can make typst read a file.

mod common;

use accord_core::parse;
use accord_print::{draft_pdf, PrintOptions};
use proptest::prelude::*;

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A draft whose paragraphs say `texts`, and the printed text read back.
fn print_and_read(texts: &[String]) -> Option<String> {
    let mut src = String::from("Hostile Draft\n\nDraft – 1 January 2030\n\n");
    for (i, t) in texts.iter().enumerate() {
        src.push_str(&format!("{}. {t}\n", i + 1));
    }
    let draft = parse(&src);
    assert_eq!(draft.paragraphs.len(), texts.len(), "{src}");
    let pdf = draft_pdf(&draft, &PrintOptions::default()).expect("hostile text prints");
    common::pdftotext(&pdf)
}

#[test]
fn typst_markup_in_a_draft_is_printed_literally() {
    let texts: Vec<String> = [
        r#"We note #panic("boom") and #read("/etc/passwd") in the text."#,
        r#"The *bold* and _emph_ and `raw` and ```rust fn main()``` stay."#,
        r#"Costs of $x^2$ and \(escape\) and \u{41} and \\ and \ remain."#,
        r#"See <label> and @reference and // a comment and /* a block */ here."#,
        r#"= Not a heading, - not a list, + not an enum, / term: here."#,
        r#"Brackets [a]], [[b] and ]c[ with #{1 + 1} and #let x = 1 stay."#,
        r#"Quotes "straight" and 'single' and ~ and -- and --- and ... stay."#,
    ]
    .map(String::from)
    .to_vec();
    let Some(text) = print_and_read(&texts) else { return };
    let flat = squash(&text);
    for t in &texts {
        assert!(flat.contains(&squash(t)), "not printed literally: {t}\n---\n{text}");
    }
    assert!(!flat.contains("root:"), "a file was read");
}

fn hostile_word() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            '#', '*', '$', '\\', ']', '[', '@', '<', '>', '`', '_', '=', '~', '/', '{', '}', '(', ')', '"',
            '\'', '-', '+', ':', 'a', 'b', 'Z', '7',
        ]),
        1..8,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    // Each case typesets a PDF: a few cases, each with many hostile words.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn hostile_characters_come_out_as_written(words in prop::collection::vec(hostile_word(), 1..40)) {
        let body = format!("We decide {} accordingly.", words.join(" "));
        let draft = parse(&format!("Draft – 1 January 2030\n\n1. {body}\n"));
        // The parser owns what a paragraph is; the printer must give back its text.
        let text = draft.paragraphs.iter().map(|p| p.text.clone()).collect::<Vec<_>>().join(" ");
        let pdf = draft_pdf(&draft, &PrintOptions::default()).expect("prints");
        if let Some(back) = common::pdftotext(&pdf) {
            prop_assert!(squash(&back).contains(&squash(&text)), "{text}\n---\n{back}");
        }
    }
}

#[test]
fn an_empty_draft_prints() {
    let pdf = draft_pdf(&parse(""), &PrintOptions::default()).expect("an empty draft prints");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn missing_fonts_are_a_clear_error() {
    let options = PrintOptions { font_dirs: vec!["/nonexistent/accord".into()], ..PrintOptions::default() };
    let err = draft_pdf(&parse("1. We decide.\n"), &options).unwrap_err();
    assert!(err.to_string().contains("install the Debian package fonts-noto-core"), "{err}");
}
