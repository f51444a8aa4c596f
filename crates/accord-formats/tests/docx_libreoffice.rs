//! LibreOffice as the other side: our text fixtures and the seed converted
//! to .docx by `soffice`, with typed numbers (text → .docx) and with Word
//! automatic numbering (HTML `<ol start=N>` → .docx), import to the same
//! paragraphs and headings as the text itself.

mod docx_support;

use std::path::PathBuf;

use accord_core::Draft;
use docx_support::*;

const FIXTURES: &str = "../accord-core/tests/fixtures";
const SEED: &str = "../../../shared/seeds/000_a85ec3b89659f1a1.txt";

/// What must agree: every paragraph's identity, number, kind, status, text,
/// parent and brackets, every heading, the title and the date line.
fn shape(d: &Draft) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        d.paragraphs
            .iter()
            .map(|p| {
                let brackets: Vec<&str> = p.brackets.iter().map(|b| b.text.as_str()).collect();
                (&p.id, &p.number, p.kind, p.status, &p.text, &p.parent, &p.heading, brackets)
            })
            .collect::<Vec<_>>(),
        d.headings.iter().map(|h| (&h.id, &h.number, &h.title, h.level)).collect::<Vec<_>>(),
        d.title.clone(),
        d.date.clone(),
        d.footnotes.iter().map(|f| (&f.marker, &f.text)).collect::<Vec<_>>(),
    )
}

/// The text as HTML, each run of `N. text` paragraphs an `<ol start=N>`:
/// LibreOffice turns those into Word's automatic numbering.
fn numbered_html(text: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut out = String::from("<html><head><meta charset=\"utf-8\"></head><body>\n");
    let mut open: Option<u64> = None;
    for line in text.lines() {
        let t = line.trim();
        let number = t.split_once(". ").and_then(|(n, rest)| Some((n.parse::<u64>().ok()?, rest)));
        if let Some((n, rest)) = number {
            if open != Some(n.wrapping_sub(1)) {
                if open.is_some() {
                    out.push_str("</ol>\n");
                }
                out.push_str(&format!("<ol start=\"{n}\">\n"));
            }
            out.push_str(&format!("<li>{}</li>\n", esc(rest)));
            open = Some(n);
            continue;
        }
        if open.is_some() && t.is_empty() {
            continue;
        }
        if open.take().is_some() {
            out.push_str("</ol>\n");
        }
        out.push_str(&format!("<p>{}</p>\n", esc(t)));
    }
    if open.is_some() {
        out.push_str("</ol>\n");
    }
    out.push_str("</body></html>\n");
    out
}

#[test]
fn libreoffice_docx_imports_like_the_text() {
    if !tool("soffice") {
        return;
    }
    let dir = temp_dir("lo-import");
    let mut sources: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            sources.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    sources.push(("seed".into(), std::fs::read_to_string(SEED).unwrap()));
    sources.sort();
    let mut inputs: Vec<PathBuf> = Vec::new();
    for (name, text) in &sources {
        let typed = dir.join(format!("{name}.txt"));
        std::fs::write(&typed, text).unwrap();
        inputs.push(typed);
        // Automatic numbering for drafts one paragraph a line (a page layout keeps its typed numbers).
        if !text.contains('\u{c}') {
            let auto = dir.join(format!("{name}-auto.html"));
            std::fs::write(&auto, numbered_html(text)).unwrap();
            inputs.push(auto);
        }
    }
    soffice(&inputs, "docx:MS Word 2007 XML", &dir);
    let mut checked = Vec::new();
    let mut automatic = 0;
    for (name, text) in &sources {
        let expected = accord_core::parse(text);
        for variant in [name.clone(), format!("{name}-auto")] {
            let path = dir.join(format!("{variant}.docx"));
            if !path.exists() {
                assert!(variant.ends_with("-auto"), "LibreOffice made no {variant}.docx");
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            if variant.ends_with("-auto") {
                // The numbers really are Word's: in numbering, not in the text.
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
                let mut xml = String::new();
                std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
                    .unwrap();
                if expected
                    .paragraphs
                    .iter()
                    .any(|p| p.number.as_deref().is_some_and(|n| n.parse::<u32>().is_ok()))
                {
                    assert!(xml.contains("<w:numPr>"), "{variant}: no automatic numbering");
                    automatic += 1;
                }
            }
            let import = accord_formats::docx::read(&bytes).unwrap_or_else(|e| panic!("{variant}: {e}"));
            assert_eq!(shape(&import.draft), shape(&expected), "{variant}.docx differs from {name}.txt");
            assert!(import.tracked_changes.is_empty() && import.comments.is_empty());
            checked.push(variant);
        }
    }
    assert!(automatic >= 4, "automatic numbering checked on {automatic} files: {checked:?}");
    assert!(checked.iter().any(|c| c == "seed-auto"), "{checked:?}");
    eprintln!("checked: {checked:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
