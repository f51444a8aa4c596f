//! Word import on hostile input: raw bytes (a package, or anything else),
//! and — so that the fuzzer reaches the XML walker rather than stopping at
//! the zip layer — input that is not a zip wrapped into a valid package as
//! its parts (split at NUL bytes: document, numbering, styles, footnotes,
//! comments). Must never panic; every tracked change and comment span must
//! lie within its paragraph; the Accept-all reading must not panic either.
#![no_main]

use std::io::Write;

use accord_formats::docx;
use libfuzzer_sys::fuzz_target;

const PARTS: [&str; 5] =
    ["word/document.xml", "word/numbering.xml", "word/styles.xml", "word/footnotes.xml", "word/comments.xml"];

fn package(data: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut rels = String::from(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#);
    for (i, (name, part)) in PARTS.iter().zip(data.split(|b| *b == 0)).enumerate() {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(part).unwrap();
        if i > 0 {
            let kind = name.trim_start_matches("word/").trim_end_matches(".xml");
            rels.push_str(&format!(r#"<Relationship Id="r{i}" Type="http://x/{kind}" Target="{kind}.xml"/>"#));
        }
    }
    rels.push_str("</Relationships>");
    zip.start_file("word/_rels/document.xml.rels", opts).unwrap();
    zip.write_all(rels.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn check(import: &docx::Import) {
    let len = |id: &Option<String>| {
        id.as_ref().and_then(|id| import.draft.paragraphs.iter().find(|p| &p.id == id)).map(|p| p.text.chars().count())
    };
    for c in &import.tracked_changes {
        assert!(c.start <= c.end, "{c:?}");
        if let Some(l) = len(&c.paragraph) {
            assert!(c.end as usize <= l, "{c:?} beyond {l}");
        }
    }
    for c in &import.comments {
        assert!(c.start <= c.end, "{c:?}");
        if let Some(l) = len(&c.paragraph) {
            assert!(c.end as usize <= l, "{c:?} beyond {l}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") { data.to_vec() } else { package(data) };
    if let Ok(import) = docx::read(&bytes) {
        check(&import);
        // Writing the draft out and reading it back must not panic either.
        let _ = docx::read(&docx::write::draft(&import.draft));
    }
    if let Ok(import) = docx::read_accepted(&bytes) {
        check(&import);
    }
});
