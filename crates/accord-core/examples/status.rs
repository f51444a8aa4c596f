//! What `accord status FILE --format json` does, with only the core: read,
//! decode, parse, readiness, JSON out. For profiling the parser's share of the
//! command without building the whole CLI (`cargo build --release --example
//! status -p accord-core`, then `perf record target/release/examples/status FILE`).

use std::io::Write;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: status FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let text = accord_core::decode_owned(bytes, accord_core::DEFAULT_MAX_INPUT_BYTES).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let draft = accord_core::parse_owned(text);
    let r = accord_core::readiness(&draft);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, &r).expect("write");
    out.write_all(b"\n").and_then(|_| out.flush()).expect("write");
    std::mem::forget((draft, r));
}
