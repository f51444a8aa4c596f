//! Hostile and broken Word files: each gets a precise error, never a panic.

mod docx_support;

use accord_formats::docx::{self, DocxError};
use docx_support::*;

#[test]
fn truncated_zip() {
    let pkg = docx(&p("1. Decides to act."));
    for cut in [pkg.len() / 2, pkg.len() - 10, 30] {
        let err = docx::read(&pkg[..cut]).unwrap_err();
        assert!(matches!(err, DocxError::Zip(_)), "{cut}: {err}");
    }
}

#[test]
fn not_a_zip_at_all() {
    let err = docx::read(b"PK\x03\x04 this is not really a zip").unwrap_err();
    assert!(matches!(err, DocxError::Zip(_)), "{err}");
}

/// A package whose document inflates to about `bytes` bytes.
fn inflating(bytes: usize) -> Vec<u8> {
    let para = p("Decides to act. ");
    package(&[("word/document.xml", document(&para.repeat(bytes / para.len())))])
}

#[test]
fn zip_bomb_is_refused_by_actual_size() {
    // 4 MB from a few KB: past 10× the input (a budget scaled down for the test).
    let pkg = inflating(4_000_000);
    let limits = docx::Limits { ratio: 10, floor: 0, ceiling: 1 << 30 };
    let err = docx::read_with(&pkg, limits).unwrap_err();
    assert!(matches!(&err, DocxError::TooLarge { part, .. } if part == "word/document.xml"), "{err}");
    assert!(err.to_string().contains("zip bomb"));
    // The absolute ceiling holds whatever the ratio allows.
    let limits = docx::Limits { ratio: 1_000_000, floor: 0, ceiling: 1_000_000 };
    assert!(matches!(docx::read_with(&pkg, limits).unwrap_err(), DocxError::TooLarge { .. }));
    // The same file within the default budget is read.
    assert!(docx::read(&inflating(200_000)).is_ok());
}

#[test]
fn zip_bomb_with_a_lying_header_is_refused() {
    // The declared sizes rewritten small: reading stops at the budget anyway.
    let mut pkg = inflating(4_000_000);
    let lie = 1000u32.to_le_bytes();
    let mut i = 0;
    while i + 46 <= pkg.len() {
        if pkg[i..i + 4] == *b"PK\x03\x04" {
            pkg[i + 22..i + 26].copy_from_slice(&lie);
        } else if pkg[i..i + 4] == *b"PK\x01\x02" {
            pkg[i + 24..i + 28].copy_from_slice(&lie);
        }
        i += 1;
    }
    let limits = docx::Limits { ratio: 10, floor: 0, ceiling: 1 << 30 };
    let err = docx::read_with(&pkg, limits).unwrap_err();
    assert!(matches!(err, DocxError::TooLarge { .. } | DocxError::Zip(_)), "{err}");
}

#[test]
fn billion_laughs_is_refused() {
    let xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let err = docx::read(&package(&[("word/document.xml", xml)])).unwrap_err();
    match &err {
        DocxError::Xml { part, line, message, .. } => {
            assert_eq!(part, "word/document.xml");
            assert_eq!(*line, 1);
            assert!(message.contains("DTD"), "{message}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn malformed_xml_says_where() {
    let xml = format!("<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"{W}\"><w:body>\n<w:p><w:r><w:t>x</w:r></w:p></w:body></w:document>");
    let err = docx::read(&package(&[("word/document.xml", xml)])).unwrap_err();
    assert!(matches!(&err, DocxError::Xml { line: 3, .. }), "{err}");
    assert!(err.to_string().starts_with("word/document.xml:3:"), "{err}");
}

#[test]
fn no_body() {
    let err = docx::read(&package(&[("word/other.xml", part("x", ""))])).unwrap_err();
    assert!(matches!(err, DocxError::NoBody(_)), "{err}");
    let xml = format!(r#"<?xml version="1.0"?><w:document xmlns:w="{W}"></w:document>"#);
    let err = docx::read(&package(&[("word/document.xml", xml)])).unwrap_err();
    assert!(matches!(err, DocxError::NoBody(_)), "{err}");
}

/// An OLE compound file header followed by a directory naming the streams.
fn ole(streams: &[&str]) -> Vec<u8> {
    let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    b.resize(512, 0);
    for s in streams {
        let mut entry: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        entry.resize(128, 0);
        b.extend(entry);
    }
    b
}

#[test]
fn password_protected_docx_says_encrypted() {
    let err = docx::read(&ole(&["Root Entry", "EncryptionInfo", "EncryptedPackage"])).unwrap_err();
    assert_eq!(err, DocxError::Encrypted);
    assert!(err.to_string().contains("encrypted"));
    assert_eq!(docx::read(&ole(&["Root Entry", "WordDocument"])).unwrap_err(), DocxError::LegacyDoc);
}

#[test]
fn pdf_given_as_docx() {
    assert_eq!(docx::read(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj").unwrap_err(), DocxError::Pdf);
}

#[test]
fn docx_renamed_pdf_is_read_by_content() {
    // Format detection looks at bytes, so a .docx named .pdf is still a Word file.
    let pkg = docx(&p("1. Decides to act."));
    assert_eq!(accord_formats::detect(&pkg), accord_formats::Format::Docx);
    let import = accord_formats::read_draft(pkg, 1 << 20).unwrap();
    assert_eq!(import.draft.paragraphs[0].text, "Decides to act.");
    // And the PDF reader names what it was given.
    let err = accord_formats::pdf::to_text(&docx(&p("x"))).unwrap_err();
    assert_eq!(err, accord_formats::pdf::PdfError::NotPdf);
}

#[test]
fn absurd_nesting_is_refused() {
    let deep =
        format!("{}<w:p/>{}", "<w:sdt><w:sdtContent>".repeat(5000), "</w:sdtContent></w:sdt>".repeat(5000));
    let err = docx::read(&docx(&deep)).unwrap_err();
    assert_eq!(err, DocxError::TooDeep);
    let deep = format!(
        "<w:p>{}<w:r><w:t>x</w:t></w:r>{}</w:p>",
        "<w:hyperlink>".repeat(5000),
        "</w:hyperlink>".repeat(5000)
    );
    assert_eq!(docx::read(&docx(&deep)).unwrap_err(), DocxError::TooDeep);
}

#[test]
fn empty_document_is_an_empty_draft() {
    let d = docx::read(&docx("")).unwrap().draft;
    assert!(d.paragraphs.is_empty());
}
