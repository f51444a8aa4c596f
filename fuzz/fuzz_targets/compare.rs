//! `compare` on two arbitrary drafts (the input split at its first NUL byte,
//! or in half): must not panic; every paragraph of each side must be in
//! exactly one lineage entry; the comparison's text rendering (wdiff marks)
//! and the drafts' text and Markdown renderings must not panic (the HTML
//! rendering moved to `accord-server`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len() / 2);
    let (a, b) = (&data[..cut], &data[(cut + 1).min(data.len())..]);
    let (Ok(old), Ok(new)) = (accord_core::decode(a, 1 << 20), accord_core::decode(b, 1 << 20)) else {
        return;
    };
    let (old, new) = (accord_core::parse(&old), accord_core::parse(&new));
    let c = accord_core::compare(&old, &new);
    let olds: usize = c.paragraphs.iter().map(|l| l.old.len()).sum();
    let news: usize = c.paragraphs.iter().map(|l| l.new.len()).sum();
    assert_eq!(olds, old.paragraphs.len());
    assert_eq!(news, new.paragraphs.len());
    let _ = accord_core::render::comparison_text(&c, &old, &new, &accord_core::render::WDIFF);
    let _ = accord_core::render::text(&new);
    let _ = accord_core::render::markdown(&old);
});
