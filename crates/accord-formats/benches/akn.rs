//! Akoma Ntoso export and import throughput (std only, no criterion).
//!
//! Run: `cargo bench -p accord-formats --bench akn -- DRAFT.txt OUT.xml`
//! (the seed when no draft is given). The draft is parsed once, untimed;
//! then `akn::write` and `akn::read` are timed, best of
//! `ACCORD_BENCH_SAMPLES` (default 3) runs each. The export is written to
//! OUT.xml so that `bench/akn.sh` can time `xmllint --noout` on the same XML.
//! MB = 10^6 bytes; the last line starting `RESULT ` is machine-readable.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use accord_formats::akn::{self, AknOptions};

fn best<T>(samples: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..samples {
        let start = Instant::now();
        let out = black_box(f());
        best = best.min(start.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one sample"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let input = args.first().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds/000_a85ec3b89659f1a1.txt")
    });
    let out = args.get(1).map(PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("akn-bench.xml"));
    let samples = std::env::var("ACCORD_BENCH_SAMPLES").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(&input).expect("input draft reads");
    let draft = accord_core::parse(&text);
    let (w, xml) = best(samples, || akn::write(&draft, &AknOptions::default()));
    std::fs::write(&out, &xml).expect("export written");
    let (r, back) = best(samples, || akn::read(xml.as_bytes()).expect("export reads back"));
    assert_eq!(back.paragraphs.len(), draft.paragraphs.len());
    let mb = |n: usize| n as f64 / 1e6;
    println!(
        "input {} MB, {} paragraphs; AKN {} MB\nwrite {:.3} s ({:.1} MB of XML/s)\nread  {:.3} s ({:.1} MB of XML/s)",
        mb(text.len()),
        draft.paragraphs.len(),
        mb(xml.len()),
        w.as_secs_f64(),
        mb(xml.len()) / w.as_secs_f64(),
        r.as_secs_f64(),
        mb(xml.len()) / r.as_secs_f64()
    );
    println!(
        "RESULT input_bytes={} xml_bytes={} paragraphs={} write_s={:.6} read_s={:.6}",
        text.len(),
        xml.len(),
        draft.paragraphs.len(),
        w.as_secs_f64(),
        r.as_secs_f64()
    );
}
