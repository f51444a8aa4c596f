//! Arbitrary UTF-8 behind the canonical header: the canonical reader must
//! not panic.
#![no_main]

use accord_core::{canonical, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let mut text = String::with_capacity(canonical::HEADER.len() + 1 + body.len());
    text.push_str("%accord-draft 1\n");
    text.push_str(body);
    let _ = parse(&text);
});
