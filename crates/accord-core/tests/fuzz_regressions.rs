//! Inputs that once crashed the parser (found by `fuzz/`), kept as tests:
//! each must parse, and its canonical form must read back, without a panic.

use std::path::PathBuf;

#[test]
fn fuzz_regressions_parse() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The canonical target feeds its input after the canonical header.
        let bytes = if name.starts_with("canonical") {
            [accord_core::canonical::HEADER.as_bytes(), b"\n", &bytes].concat()
        } else {
            bytes
        };
        if let Ok(text) = accord_core::decode(&bytes, 1 << 20) {
            let d = accord_core::parse(&text);
            let _ = accord_core::parse(&accord_core::canonical::write(&d));
        }
        seen += 1;
    }
    assert!(seen >= 2, "the regression inputs are there");
}
