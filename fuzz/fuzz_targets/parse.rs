//! bytes -> decode (1 MiB limit) -> parse, then check invariants and the
//! canonical round trip.
#![no_main]

use accord_core::{canonical, decode, parse};
use libfuzzer_sys::fuzz_target;

const MAX_BYTES: usize = 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data, MAX_BYTES) else {
        return;
    };
    let draft = parse(&text);

    for p in &draft.paragraphs {
        let len = p.text.chars().count();
        for b in &p.brackets {
            assert!(
                b.start <= b.end && (b.end as usize) <= len,
                "bracket out of range in paragraph {:?}: start {} end {} text chars {}",
                p.id,
                b.start,
                b.end,
                len
            );
        }
    }
    for d in &draft.diagnostics {
        assert!(d.line >= 1, "diagnostic with line 0: {d:?}");
    }

    let written = canonical::write(&draft);
    let _ = parse(&written);
});
