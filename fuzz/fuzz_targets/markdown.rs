//! Markdown drafts: arbitrary UTF-8 behind a YAML front matter (which makes
//! `parse` take the Markdown path, `accord_core::markdown`) must not panic,
//! and the draft has the parse target's invariants: brackets within their
//! paragraph, diagnostics on a line ≥ 1,
//! and the canonical round trip parses.
#![no_main]

use accord_core::{canonical, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let text = format!("---\ntitle: x\n---\n{body}");
    assert!(accord_core::markdown::is_markdown(&text));
    let draft = parse(&text);
    for p in &draft.paragraphs {
        let len = p.text.chars().count();
        for b in &p.brackets {
            assert!(b.start <= b.end && b.end as usize <= len, "bracket {b:?} outside {:?}", p.id);
        }
    }
    for d in &draft.diagnostics {
        assert!(d.line >= 1, "diagnostic with line 0: {d:?}");
    }
    let _ = parse(&canonical::write(&draft));
});
