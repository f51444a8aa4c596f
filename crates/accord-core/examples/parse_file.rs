//! Parses a draft file twice and prints how long each parse took and what it
//! found: a quick check of a draft, or of a change to the parser.
//!
//! `cargo run --release -p accord-core --example phase -- FILE`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: phase FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let text = accord_core::decode(&bytes, usize::MAX).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    for run in 1..=2 {
        let t = std::time::Instant::now();
        let d = accord_core::parse(&text);
        let took = t.elapsed();
        println!(
            "run {run}: {:?}, {:.1} MB/s: {} paragraphs, {} headings, {} diagnostics",
            took,
            text.len() as f64 / 1e6 / took.as_secs_f64(),
            d.paragraphs.len(),
            d.headings.len(),
            d.diagnostics.len()
        );
    }
}
