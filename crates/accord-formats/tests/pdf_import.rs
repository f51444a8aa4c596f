//! PDF import: the same model as the `pdftotext -layout` twins for every
//! Paris PDF, and a precise error for encrypted, image-only and broken PDFs.

mod docx_support;

use accord_core::Draft;
use accord_formats::pdf::{self, PdfError};
use docx_support::tool;

const DRAFTS: &str = "../../../shared/drafts/unfccc-paris-2015";

fn shape(d: &Draft) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        d.paragraphs
            .iter()
            .map(|p| {
                let brackets: Vec<(&str, u32, u32)> =
                    p.brackets.iter().map(|b| (b.text.as_str(), b.start, b.depth)).collect();
                (&p.id, &p.number, p.kind, p.status, &p.text, &p.parent, &p.option, brackets, &p.footnotes)
            })
            .collect::<Vec<_>>(),
        d.headings.iter().map(|h| (&h.id, &h.title, h.level)).collect::<Vec<_>>(),
        d.footnotes.iter().map(|f| (&f.marker, &f.text)).collect::<Vec<_>>(),
        d.furniture.len(),
        (&d.title, &d.date),
    )
}

#[test]
fn every_paris_pdf_reads_as_its_text_twin() {
    if !tool("pdftotext") {
        return;
    }
    let mut checked = 0;
    for entry in std::fs::read_dir(DRAFTS).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let twin = std::fs::read_to_string(path.with_extension("txt")).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let draft = pdf::read(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let expected = accord_core::parse(&twin);
        assert!(draft.paragraphs.len() > 10, "{}", path.display());
        assert_eq!(shape(&draft), shape(&expected), "{}", path.display());
        // Through the format-blind entry point too.
        let import = accord_formats::read_draft(bytes, 1 << 30).unwrap();
        assert_eq!(import.draft.paragraphs.len(), expected.paragraphs.len());
        checked += 1;
    }
    assert_eq!(checked, 4, "the four Paris PDFs");
}

/// A one-page PDF with the given page content stream and extra trailer entries.
fn pdf_file(content: &str, resources: &str, trailer_extra: &str, extra_objects: &[&str]) -> Vec<u8> {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << {resources} >> >>"),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    objects.extend(extra_objects.iter().map(|s| (*s).to_owned()));
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
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

const FONT: &str = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>";

#[test]
fn a_pdf_with_text_is_read() {
    if !tool("pdftotext") {
        return;
    }
    let bytes = pdf_file("BT /F1 12 Tf 72 700 Td (1. Decides to act.) Tj ET", FONT, "", &[]);
    let d = pdf::read(&bytes).unwrap();
    assert_eq!(d.paragraphs[0].text, "Decides to act.");
}

#[test]
fn image_only_pdf_says_no_text_layer() {
    if !tool("pdftotext") {
        return;
    }
    // A page that paints a 1×1 image and no text: a scan, as far as text goes.
    let image = "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\u{0}\nendstream";
    let bytes = pdf_file("q 612 0 0 792 0 0 cm /Im1 Do Q", "/XObject << /Im1 5 0 R >>", "", &[image]);
    let err = pdf::read(&bytes).unwrap_err();
    assert!(matches!(err, PdfError::NoText { pages: 1 }), "{err}");
    assert!(err.to_string().contains("no text layer"));
}

#[test]
fn encrypted_pdf_says_encrypted() {
    if !tool("pdftotext") {
        return;
    }
    // A standard security handler whose user password is not empty: unreadable without it.
    let encrypt = "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef> /U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210> >>";
    let bytes = pdf_file(
        "BT /F1 12 Tf 72 700 Td (secret) Tj ET",
        FONT,
        "/Encrypt 5 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
        &[encrypt],
    );
    let err = pdf::read(&bytes).unwrap_err();
    assert_eq!(err, PdfError::Encrypted, "{err}");
}

#[test]
fn broken_pdf_says_damaged() {
    if !tool("pdftotext") {
        return;
    }
    let bytes = std::fs::read(format!("{DRAFTS}/8infnot.pdf")).unwrap();
    let err = pdf::read(&bytes[..4000]).unwrap_err();
    assert!(matches!(err, PdfError::Broken(_)), "{err}");
    assert!(err.to_string().starts_with("the PDF is damaged"), "{err}");
    assert_eq!(pdf::read(b"1. Decides.").unwrap_err(), PdfError::NotPdf);
}

#[test]
fn a_pdf_that_makes_poppler_complain_at_length_does_not_stall() {
    if !tool("pdftotext") {
        return;
    }
    // Thousands of bad hex strings: poppler writes far more than a pipe holds
    // to stderr (found by the fuzzer: reading stdout first stalled both sides).
    let content = format!("BT /F1 12 Tf 72 700 Td (1. Decides to act.) Tj ET {}", "<QQ> ".repeat(20_000));
    let bytes = pdf_file(&content, FONT, "", &[]);
    let started = std::time::Instant::now();
    let result = pdf::read(&bytes);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    match result {
        Ok(d) => assert_eq!(d.paragraphs[0].text, "Decides to act."),
        Err(e) => assert!(matches!(e, PdfError::Broken(_)), "{e}"),
    }
}

#[test]
fn missing_poppler_is_named() {
    let err = pdf::to_text_with(b"%PDF-1.4\n", "/nonexistent/pdftotext").unwrap_err();
    assert_eq!(err, PdfError::ToolMissing("/nonexistent/pdftotext".into()));
    assert!(err.to_string().contains("install poppler-utils"));
}
