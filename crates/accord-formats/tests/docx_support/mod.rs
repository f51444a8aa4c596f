//! Word packages written by hand for the tests: WordprocessingML is simple
//! enough that a test can say exactly what a delegation's file holds.
#![allow(dead_code)]

use std::io::Write;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A .docx of these parts, with the content types and relationships Word writes.
pub fn package(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut all: Vec<(String, String)> = parts.iter().map(|(n, t)| ((*n).to_owned(), t.clone())).collect();
    if !parts.iter().any(|(n, _)| *n == "_rels/.rels") {
        all.push((
            "_rels/.rels".into(),
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.into(),
        ));
    }
    if !parts.iter().any(|(n, _)| *n == "word/_rels/document.xml.rels") {
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for (i, (name, _)) in parts.iter().enumerate() {
            let Some(file) = name.strip_prefix("word/") else { continue };
            let kind = match file.trim_end_matches(".xml").trim_end_matches(char::is_numeric) {
                "numbering" => "numbering",
                "styles" => "styles",
                "footnotes" => "footnotes",
                "endnotes" => "endnotes",
                "comments" => "comments",
                "header" => "header",
                "footer" => "footer",
                _ => continue,
            };
            rels.push_str(&format!(r#"<Relationship Id="r{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{file}"/>"#));
        }
        rels.push_str("</Relationships>");
        all.push(("word/_rels/document.xml.rels".into(), rels));
    }
    all.push(("[Content_Types].xml".into(), r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.into()));
    for (name, text) in &all {
        zip.start_file(name.as_str(), opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// `word/document.xml` around these body paragraphs.
pub fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
}

/// A part with the `w` namespace declared on its root.
pub fn part(root: &str, inner: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:{root} xmlns:w="{W}">{inner}</w:{root}>"#)
}

/// A plain paragraph.
pub fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

/// A paragraph numbered by list `num` at `level`.
pub fn np(num: u32, level: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
    )
}

/// A package of just this body.
pub fn docx(body: &str) -> Vec<u8> {
    package(&[("word/document.xml", document(body))])
}

/// Whether an external tool runs; when it does not, the test fails under
/// `CI` and is skipped (saying so) elsewhere.
pub fn tool(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{program} is required under CI but was not found");
        eprintln!("SKIPPED: {program} is not installed");
    }
    found
}

/// Converts files with LibreOffice in one call (it is slow to start), with a
/// private profile so parallel runs do not share one. `to` is a filter such
/// as `docx:"MS Word 2007 XML"`, `txt:Text`, `pdf`.
pub fn soffice(files: &[std::path::PathBuf], to: &str, outdir: &std::path::Path) {
    let profile = outdir.join("lo-profile");
    let status = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(outdir)
        .args(files)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("soffice runs");
    assert!(status.success(), "soffice failed: {status}");
}

/// A fresh directory under the system's temporary folder.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-formats-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
