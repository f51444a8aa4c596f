//! PDF pages laid out by two poppler processes at once give the text of
//! one: in page order, byte for byte, whether the split point from the page
//! count is right or too high (unused page objects counted).

mod docx_support;

use accord_formats::pdf::{self, PdfOptions};
use docx_support::tool;

const FONT: &str = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>";

/// A PDF of `pages` pages, page N holding paragraph N, and `decoys` page
/// objects that no page tree reaches.
fn pages_pdf(pages: usize, decoys: usize) -> Vec<u8> {
    // Objects: 1 catalog, 2 page tree, then per page (page, content), then decoys.
    let kids: Vec<String> = (0..pages).map(|k| format!("{} 0 R", 3 + 2 * k)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")),
    ];
    for k in 0..pages {
        let content = format!("BT /F1 12 Tf 72 700 Td ({}. Decides to act on page {}.) Tj ET", k + 1, k + 1);
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R /Resources << {FONT} >> >>",
            4 + 2 * k
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()));
    }
    for _ in 0..decoys {
        objects.push("<< /Type /Page /MediaBox [0 0 612 792] >>".to_owned());
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).into_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .into_bytes(),
    );
    out
}

fn with(processes: usize) -> PdfOptions {
    PdfOptions { processes, ..PdfOptions::default() }
}

#[test]
fn two_processes_give_the_text_of_one_in_page_order() {
    if !tool("pdftotext") {
        return;
    }
    for (pages, decoys) in [(9, 0), (7, 0), (3, 20), (12, 30), (2, 0)] {
        let bytes = pages_pdf(pages, decoys);
        let one = pdf::to_text_with_options(&bytes, &with(1)).unwrap();
        let two = pdf::to_text_with_options(&bytes, &with(2)).unwrap();
        assert_eq!(two, one, "{pages} pages, {decoys} unused page objects");
        assert_eq!(one.matches('\u{c}').count(), pages, "{pages} pages");
        let draft = pdf::read_with_options(&bytes, &with(2)).unwrap();
        let numbers: Vec<String> = draft.paragraphs.iter().filter_map(|p| p.number.clone()).collect();
        let expected: Vec<String> = (1..=pages).map(|n| n.to_string()).collect();
        assert_eq!(numbers, expected, "{pages} pages in order");
    }
}

#[test]
fn a_broken_pdf_is_named_the_same_with_two_processes() {
    if !tool("pdftotext") {
        return;
    }
    let mut bytes = pages_pdf(8, 0);
    // Cut through the page objects: both halves fail, the error is the one poppler gives.
    bytes.truncate(bytes.len() / 3);
    let one = pdf::to_text_with_options(&bytes, &with(1));
    let two = pdf::to_text_with_options(&bytes, &with(2));
    assert_eq!(format!("{two:?}"), format!("{one:?}"));
}
