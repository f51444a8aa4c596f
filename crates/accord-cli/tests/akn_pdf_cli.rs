//! The command line's Akoma Ntoso and PDF: `export --to akn|pdf`,
//! `compare --format akn` keeping GUIDs from an exported OLD, `parse FILE.xml`,
//! and `table --from-docx` tabling a marked-up Word file.
//!
//! xmllint and pdftotext are needed: under `CI` a missing tool fails the
//! test; locally the check is skipped with a message.

mod common;

use std::path::Path;
use std::process::Command;

use common::{accord, temp_dir, SEED};
use serde_json::Value;

const XSD: &str = "../../../shared/standards/akoma-ntoso/akomantoso30.xsd";

fn ok(args: &[&str]) -> Vec<u8> {
    let o = accord().args(args).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

/// True when `tool` runs; under CI its absence fails the test.
fn tool(tool: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{tool} is missing (CI installs it)");
        eprintln!("skipping the {tool} check: {tool} is not installed");
    }
    found
}

fn paragraphs(json: &[u8]) -> Vec<(String, String, String)> {
    let v: Value = serde_json::from_slice(json).unwrap();
    v["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].to_string(), p["text"].to_string(), p["status"].to_string()))
        .collect()
}

/// GUID of the `<paragraph>` (or other element) whose eId is `eid`.
fn guid_of(xml: &str, eid: &str) -> Option<String> {
    let at = xml.find(&format!("eId=\"{eid}\""))?;
    let tag_start = xml[..at].rfind('<')?;
    let tag = &xml[tag_start..tag_start + xml[tag_start..].find('>')?];
    let g = tag.find("GUID=\"")? + 6;
    Some(tag[g..g + tag[g..].find('"')?].to_owned())
}

#[test]
fn akoma_ntoso_out_validates_and_reads_back_with_guids_kept() {
    let dir = temp_dir("akn-cli");
    let xml_path = dir.join("seed.xml");
    ok(&["export", SEED, "--to", "akn", "--symbol", "A/70/L.1", "-o", xml_path.to_str().unwrap()]);
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    assert!(xml.contains("<akomaNtoso"), "{}", &xml[..200]);
    if tool("xmllint") {
        let o = Command::new("xmllint").args(["--noout", "--schema", XSD]).arg(&xml_path).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Read back by content: the same paragraphs, texts and statuses.
    assert_eq!(paragraphs(&ok(&["parse", xml_path.to_str().unwrap()])), paragraphs(&ok(&["parse", SEED])));

    // A revision: paragraph 3 deleted, every later number one less.
    let seed = std::fs::read_to_string(SEED).unwrap();
    let revised: String = seed
        .lines()
        .filter(|l| !l.starts_with("3. "))
        .map(|l| match l.split_once(". ").and_then(|(n, rest)| Some((n.parse::<u32>().ok()?, rest))) {
            Some((n, rest)) if n > 3 => format!("{}. {rest}\n", n - 1),
            _ => format!("{l}\n"),
        })
        .collect();
    let rev = dir.join("rev.txt");
    std::fs::write(&rev, &revised).unwrap();
    let out = dir.join("concordance.xml");
    ok(&[
        "compare",
        xml_path.to_str().unwrap(),
        rev.to_str().unwrap(),
        "--format",
        "akn",
        "-o",
        out.to_str().unwrap(),
    ]);
    let conc = std::fs::read_to_string(&out).unwrap();
    assert!(conc.contains("<passiveModifications>"), "no concordance");
    if tool("xmllint") {
        let o = Command::new("xmllint").args(["--noout", "--schema", XSD]).arg(&out).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Paragraph 10 of the seed is 9 in the revision, under the GUID it had.
    let old_guid = guid_of(&xml, "para_10").expect("para_10 in the export");
    let new_guid = guid_of(&conc, "para_9").expect("para_9 in the revision");
    assert_eq!(old_guid, new_guid, "the renumbered paragraph keeps its GUID");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn circulation_pdf_reads_back_as_the_draft() {
    let dir = temp_dir("pdf-cli");
    let pdf = dir.join("seed.pdf");
    ok(&["export", SEED, "--to", "pdf", "-o", pdf.to_str().unwrap()]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if tool("pdftotext") {
        // Accord reads its own PDF (through pdftotext) as the same draft.
        let back = paragraphs(&ok(&["parse", pdf.to_str().unwrap()]));
        let text = paragraphs(&ok(&["parse", SEED]));
        assert_eq!(back.len(), 70);
        assert_eq!(back, text);
    }
    // Never to a terminal, never half-written: a directory as output is refused, nothing left.
    let o = accord().args(["export", SEED, "--to", "pdf", "-o"]).arg(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cannot write"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 1, "{left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn data_ok(data: &Path, args: &[&str]) -> String {
    let o = accord().args(args).arg("--data-dir").arg(data).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_marked_up_word_file_is_tabled_change_by_change() {
    let dir = temp_dir("table-docx");
    let data = dir.join("data");
    data_ok(&data, &["process", "create", "ocean", "--title", "Ocean", "--co-facilitator", "Norland"]);
    data_ok(&data, &["process", "participant", "ocean", "estoria", "Estoria"]);
    data_ok(&data, &["import", "ocean", SEED, "--label", "Zero draft", "--as", "co-facilitator:Norland"]);
    // Estoria's expert edits the draft: a word replaced in paragraph 1, a
    // phrase struck in paragraph 5. Its Word file is the comparison as
    // tracked changes, by "Ana Ruiz".
    let seed = std::fs::read_to_string(SEED).unwrap();
    let d = accord_core::parse(&seed);
    let p1 = d.paragraphs.iter().find(|p| p.number.as_deref() == Some("1")).unwrap();
    let word = p1.text.split_whitespace().nth(3).unwrap();
    let edited = seed.replacen(p1.text.as_str(), &p1.text.replacen(word, "EXPRESSLY", 1), 1);
    let edited_path = dir.join("edited.txt");
    std::fs::write(&edited_path, &edited).unwrap();
    let docx = dir.join("estoria.docx");
    ok(&[
        "compare",
        SEED,
        edited_path.to_str().unwrap(),
        "--format",
        "docx",
        "--author",
        "Ana Ruiz",
        "-o",
        docx.to_str().unwrap(),
    ]);
    let table = |extra: &[&str]| {
        let mut args =
            vec!["table", "ocean", "--from-docx", docx.to_str().unwrap(), "--as", "delegation:estoria"];
        args.extend_from_slice(extra);
        accord().args(&args).arg("--data-dir").arg(&data).output().unwrap()
    };
    // The Word author is nobody we know: refused by name, nothing tabled.
    let o = table(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("Ana Ruiz"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let none: Value = serde_json::from_str(&data_ok(&data, &["proposals", "ocean"])).unwrap();
    assert_eq!(none.as_array().unwrap().len(), 0);
    // Mapped: one proposal per change, in Estoria's name, quoting the base text.
    let o = table(&["--author", "Ana Ruiz=estoria"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let tabled = report["tabled"].as_array().unwrap();
    assert!(!tabled.is_empty(), "{report}");
    let list: Value = serde_json::from_str(&data_ok(&data, &["proposals", "ocean"])).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), tabled.len());
    for p in list {
        assert_eq!(p["author"], "estoria");
        assert_eq!(p["paragraph"], Value::String(p1.id.clone()));
    }
    assert!(list.iter().any(|p| p["quote"].as_str().is_some_and(|q| q.contains(word))), "{list:?}");
    // The same file again tables nothing twice.
    let o = table(&["--author", "Ana Ruiz=estoria"]);
    assert!(o.status.success());
    let again: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(again["tabled"].as_array().unwrap().len(), 0);
    assert_eq!(again["not_tabled"].as_array().unwrap().len(), tabled.len());
    let _ = std::fs::remove_dir_all(&dir);
}

fn pdf_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().unwrap();
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn the_circulation_package_carries_its_letters_or_writes_one() {
    let dir = temp_dir("package");
    let data = dir.join("data");
    data_ok(&data, &["process", "create", "wsis", "--title", "WSIS review", "--co-facilitator", "Latvia"]);
    // A draft without letters, then a revision: the package writes a cover letter.
    let zero = "Draft outcome document\n\nThe General Assembly,\n\n1. Recalling its resolution 70/1;\n\n\
                2. Decides to act [by 2030];\n\n3. Requests the Secretary-General to report.\n";
    let rev = zero
        .replace("[by 2030]", "by 2030")
        .replace("3. Requests", "3. Invites Member States to act;\n\n4. Requests");
    for (label, text) in [("Zero draft", zero), ("Rev.1", rev.as_str())] {
        let file = dir.join(format!("{label}.txt"));
        std::fs::write(&file, text).unwrap();
        data_ok(
            &data,
            &["import", "wsis", file.to_str().unwrap(), "--label", label, "--as", "co-facilitator:Latvia"],
        );
    }
    let pdf = dir.join("package.pdf");
    data_ok(&data, &["package", "wsis", "-o", pdf.to_str().unwrap()]);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    if tool("pdftotext") {
        let text = pdf_text(&pdf);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("As co-facilitators of the intergovernmental negotiations on the WSIS review"),
            "{flat}"
        );
        assert!(flat.contains("1 paragraph was added"), "{flat}");
        assert!(flat.contains("1 bracket was resolved"), "{flat}");
        assert!(flat.contains("Invites Member States to act"), "{flat}");
    }
    // The seed travels with its own two letters.
    data_ok(&data, &["import", "wsis", SEED, "--label", "Rev.2", "--as", "co-facilitator:Latvia"]);
    data_ok(&data, &["package", "wsis", "-o", pdf.to_str().unwrap()]);
    if tool("pdftotext") {
        let flat = pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("THE PRESIDENT OF THE GENERAL ASSEMBLY"), "{}", &flat[..400.min(flat.len())]);
        assert!(!flat.contains("As co-facilitators of the intergovernmental negotiations on the WSIS"));
    }
    let o = accord()
        .args(["package", "wsis", "--draft", "d9", "-o"])
        .arg(&pdf)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no draft `d9`"));
    let _ = std::fs::remove_dir_all(&dir);
}
