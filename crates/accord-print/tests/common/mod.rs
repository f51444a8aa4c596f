//! Shared helpers for the PDF tests: the shared corpus, the Poppler tools
//! that read a PDF back (`pdftotext`, `pdffonts`), and the Universal
//! Declaration of Human Rights as a draft.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// `../shared` from the repository root, as the tests see it.
pub fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(rel)
}

pub fn read_shared(rel: &str) -> String {
    let p = shared(rel);
    std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e} (tests need ../shared beside the repository)", p.display()))
}

/// Runs a Poppler tool on `pdf`. `None` (with a line saying so) when the tool
/// is not installed — unless `CI` is set, where a missing tool fails the test.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("accord-print-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let path = dir.join(format!("{}.pdf", COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
    std::fs::write(&path, pdf).expect("write the PDF");
    let out = Command::new(tool).args(args).arg(&path).arg("-").output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8(o.stdout).expect("UTF-8 from poppler")),
        Ok(o) => panic!("{tool} failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("{tool} is required under CI (Debian package poppler-utils): {e}")
        }
        Err(e) => {
            eprintln!("SKIPPED: {tool} not available ({e}); install poppler-utils");
            None
        }
    }
}

/// The PDF's text as `pdftotext -layout` reads it.
pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    poppler("pdftotext", &["-layout", "-enc", "UTF-8"], pdf)
}

/// The `pdffonts` table of the PDF (it takes no `-` for output, so the path only).
pub fn pdffonts(pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("accord-print-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let path = dir.join(format!("fonts-{}.pdf", COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
    std::fs::write(&path, pdf).expect("write the PDF");
    let out = Command::new("pdffonts").arg(&path).output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => panic!("pdffonts failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("pdffonts is required under CI (poppler-utils): {e}")
        }
        Err(e) => {
            eprintln!("SKIPPED: pdffonts not available ({e}); install poppler-utils");
            None
        }
    }
}

/// The embedded fonts whose name contains `family`, from a `pdffonts` table:
/// (name, embedded) for each.
pub fn fonts_named(table: &str, family: &str) -> Vec<(String, bool)> {
    table
        .lines()
        .skip(2)
        .filter(|l| l.contains(family))
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            // name type encoding emb sub uni object ID: `emb` is the 4th column
            // from the end of the flags (yes/no), counted from the right.
            let n = cols.len();
            let emb = n >= 5 && cols[n - 5] == "yes";
            (cols[0].to_owned(), emb)
        })
        .collect()
}

/// The UDHR of one language (`arb`, `cmn_hans`, …) as a draft text: the
/// title, the preamble's paragraphs and each article's text as numbered
/// paragraphs, markup stripped.
pub fn udhr_draft_text(lang: &str) -> String {
    let html = read_shared(&format!("corpus/udhr/udhr-{lang}.html"));
    let strip = |s: &str| {
        let mut text = String::new();
        let mut in_tag = false;
        for c in s.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    text.push(' ');
                }
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let mut paragraphs = Vec::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find("<p>") {
        let body = &rest[i + 3..];
        let end = body.find("</p>").unwrap_or(body.len());
        paragraphs.push(strip(&body[..end]));
        rest = &body[end..];
    }
    let title =
        html.find("<h1>").map(|i| strip(&html[i + 4..i + 4 + html[i + 4..].find("</h1>").unwrap_or(0)]));
    let mut s = String::new();
    if let Some(t) = title {
        s.push_str(&t);
        s.push_str("\n\n10/12/1948\n\n");
    }
    for (i, p) in paragraphs.iter().enumerate() {
        s.push_str(&format!("{}. {p}\n", i + 1));
    }
    s
}

/// Bidirectional controls Poppler wraps right-to-left runs in.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Arabic vowel marks (harakat, tanween, shadda, sukun, dagger alef).
pub fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064b}'..='\u{065f}' | '\u{0670}')
}

/// Length of the longest common subsequence of two word lists.
pub fn lcs_len(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { cur[j].max(prev[j + 1]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}
