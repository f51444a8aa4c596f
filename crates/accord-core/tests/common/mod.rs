//! Shared helpers for the integration tests: where the shared corpus lives,
//! and the word count that the no-word-lost checks compare.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use accord_core::{Draft, Status};

/// `../shared` from the repository root, as the tests see it.
pub fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(rel)
}

pub fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn read_shared(rel: &str) -> String {
    let p = shared(rel);
    std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e} (tests need ../shared beside the repository)", p.display()))
}

/// Words as maximal runs of letters or of digits, so that `1bis` and `1 bis`
/// count the same, and glued footnote markers (`Preamble]1`) are words of their own.
pub fn words(text: &str, into: &mut BTreeMap<String, i64>, sign: i64) {
    let mut cur = String::new();
    let mut cur_digit = false;
    let flush = |cur: &mut String, into: &mut BTreeMap<String, i64>| {
        if !cur.is_empty() {
            *into.entry(std::mem::take(cur)).or_default() += sign;
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            let d = c.is_numeric();
            if !cur.is_empty() && d != cur_digit {
                flush(&mut cur, into);
            }
            cur_digit = d;
            cur.push(c);
        } else {
            flush(&mut cur, into);
        }
    }
    flush(&mut cur, into);
}

fn tag(status: Status, note: Option<&str>) -> String {
    if status == Status::Open {
        return String::new();
    }
    format!("{} {}", status.tag(), note.unwrap_or(""))
}

/// Every word the model holds, as the source would have shown it.
pub fn model_words(d: &Draft, into: &mut BTreeMap<String, i64>) {
    let mut add = |t: &str| words(t, into, -1);
    if let Some(t) = &d.title {
        add(t);
    }
    add(&tag(d.title_status, d.title_status_note.as_deref()));
    if let Some(t) = &d.date {
        add(t);
    }
    for l in d.front_matter.iter().chain(&d.furniture) {
        add(&l.text);
    }
    for l in &d.letters {
        for t in l.letterhead.iter().chain(&l.addressees).chain(&l.body).chain(l.signatures.iter().flatten())
        {
            add(t);
        }
        if let Some(t) = &l.date {
            add(t);
        }
        if let Some(t) = &l.salutation {
            add(t);
        }
    }
    for h in &d.headings {
        add(h.number.as_deref().unwrap_or(""));
        add(&h.title);
    }
    for p in &d.paragraphs {
        add(p.option.as_deref().or(p.number.as_deref()).unwrap_or(""));
        add(&p.text);
        add(&tag(p.status, p.status_note.as_deref()));
        // A footnote marker glued to the label (`3ter.4`) is in no text.
        let mut in_text = BTreeMap::new();
        words(&p.text, &mut in_text, 1);
        for m in p.footnotes.iter().filter(|m| !in_text.contains_key(m.as_str())) {
            add(m);
        }
    }
    for f in &d.footnotes {
        add(&f.marker);
        add(&f.text);
    }
}

/// The words of `source` that the model lacks (positive) or invents (negative).
pub fn word_balance(source: &str, d: &Draft) -> Vec<(String, i64)> {
    let mut counts = BTreeMap::new();
    words(source, &mut counts, 1);
    model_words(d, &mut counts);
    counts.into_iter().filter(|(_, n)| *n != 0).collect()
}
