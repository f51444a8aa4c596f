//! Prints a draft file to PDF and says how long it took: the measuring tool
//! behind `bench/print.sh` (until `accord export --to pdf` is wired).
//!
//! `cargo run --release -p accord-print --example print -- DRAFT.txt OUT.pdf [RUNS]`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        return Err("usage: print DRAFT OUT.pdf [RUNS]".into());
    };
    let runs: usize = args.get(3).map(|r| r.parse()).transpose()?.unwrap_or(1).max(1);
    let text = std::fs::read_to_string(input)?;
    let draft = accord_core::parse(&text);
    let options = accord_print::PrintOptions::default();
    let mut times = Vec::with_capacity(runs);
    let mut pdf = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        pdf = accord_print::draft_pdf(&draft, &options)?;
        times.push(t.elapsed().as_secs_f64());
    }
    std::fs::write(output, &pdf)?;
    let pages = accord_print::page_count(&[], &draft, &options)?;
    let first = times[0];
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{input}: {} paragraphs, {pages} pages, {} bytes; first run {:.3} s (fonts read), median of {runs} {:.3} s = {:.1} pages/s",
        draft.paragraphs.len(),
        pdf.len(),
        first,
        median,
        pages as f64 / median
    );
    Ok(())
}
