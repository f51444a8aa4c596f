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

/// A delegation's marked-up file: three authors, insertions, deletions, a
/// replacement, a move, a new paragraph, comments.
pub fn marked_up() -> Vec<u8> {
    let ins = |id: u32, author: &str, text: &str| {
        format!(
            r#"<w:ins w:id="{id}" w:author="{author}" w:date="2015-12-08T10:0{id}:00Z"><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>"#
        )
    };
    let del = |id: u32, author: &str, text: &str| {
        format!(
            r#"<w:del w:id="{id}" w:author="{author}" w:date="2015-12-08T11:0{id}:00Z"><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>"#
        )
    };
    let run = |t: &str| format!(r#"<w:r><w:t xml:space="preserve">{t}</w:t></w:r>"#);
    let body = [
        p("Preamble"),
        format!(
            "<w:p>{}{}{}{}</w:p>",
            run("1. Recalling its resolution 70/1"),
            ins(1, "Norway", " of 25 September 2015"),
            run(", and "),
            del(2, "G77", "noting with concern the gaps,")
        ),
        p("Operative part"),
        format!(
            r#"<w:p>{}<w:commentRangeStart w:id="7"/>{}{}{}<w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r>{}</w:p>"#,
            run("2. Decides to hold a meeting in "),
            del(3, "Norway", "2020"),
            ins(4, "Norway", "2025"),
            run(" at the latest"),
            run(";")
        ),
        // Paragraph 3 gains text from two authors; a comment without a range.
        // A new paragraph typed after it: Word marks this paragraph's mark inserted.
        format!(
            r#"<w:p><w:pPr><w:rPr><w:ins w:id="9" w:author="G77" w:date="2015-12-08T12:00:00Z"/></w:rPr></w:pPr>{}{}{}<w:r><w:commentReference w:id="8"/></w:r>{}</w:p>"#,
            run("3. Calls upon "),
            del(5, "European Union", "all "),
            ins(6, "G77", "developed "),
            run("States to act.")
        ),
        format!("<w:p>{}</w:p>", ins(8, "G77", "3 bis. Invites further action.")),
        format!(
            r#"<w:p>{}<w:moveFrom w:id="10" w:author="Norway" w:date="2015-12-09T09:00:00Z"><w:r><w:t xml:space="preserve">promptly </w:t></w:r></w:moveFrom>{}<w:moveTo w:id="11" w:author="Norway" w:date="2015-12-09T09:00:00Z"><w:r><w:t xml:space="preserve"> promptly</w:t></w:r></w:moveTo>{}</w:p>"#,
            run("4. Requests the secretariat to report "),
            run("to the Conference"),
            run(".")
        ),
    ]
    .concat();
    let comments = part(
        "comments",
        r#"<w:comment w:id="7" w:author="Norway" w:date="2015-12-08T10:30:00Z" w:initials="NO"><w:p><w:r><w:t>2025 reflects the review cycle.</w:t></w:r></w:p><w:p><w:r><w:t>See decision 1/CP.21.</w:t></w:r></w:p></w:comment>
           <w:comment w:id="8" w:author="G77" w:date="2015-12-08T10:40:00Z"><w:p><w:r><w:t>Common but differentiated responsibilities.</w:t></w:r></w:p></w:comment>"#,
    );
    package(&[("word/document.xml", document(&body)), ("word/comments.xml", comments)])
}
