//! Akoma Ntoso export and import throughput (std only, no criterion).
//!
//! Run: `cargo bench -p accord-formats --bench akn -- DRAFT.txt OUT.xml`
//! (the seed when no draft is given). The draft is parsed once, untimed;
//! then `akn::write` and `akn::read` are timed, best of
//! `ACCORD_BENCH_SAMPLES` (default 3) runs each, wall and CPU time. The export is written to
//! OUT.xml so that `bench/akn.sh` can time `xmllint --noout` on the same XML.
//! MB = 10^6 bytes; the last line starting `RESULT ` is machine-readable.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use accord_formats::akn::{self, AknOptions};

/// This process's CPU time (user + system) from `/proc/self/stat`, in
/// seconds (clock ticks of 10 ms); 0 where there is no /proc. On a shared
/// machine wall time mostly measures the queue for a core: CPU time is the
/// fair figure, and the one GNU time gives for xmllint.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|x| x.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

/// Best wall time and best CPU time over `samples` runs, and the last result.
fn best<T>(samples: usize, mut f: impl FnMut() -> T) -> (Duration, f64, T) {
    let (mut best, mut best_cpu) = (Duration::MAX, f64::MAX);
    let mut last = None;
    for _ in 0..samples {
        drop(last.take());
        let (start, cpu) = (Instant::now(), cpu_seconds());
        let out = black_box(f());
        best = best.min(start.elapsed());
        best_cpu = best_cpu.min(cpu_seconds() - cpu);
        last = Some(out);
    }
    (best, best_cpu, last.expect("at least one sample"))
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
    let (w, wc, xml) = best(samples, || akn::write(&draft, &AknOptions::default()));
    std::fs::write(&out, &xml).expect("export written");
    let (r, rc, back) = best(samples, || akn::read(xml.as_bytes()).expect("export reads back"));
    assert_eq!(back.paragraphs.len(), draft.paragraphs.len());
    let mb = |n: usize| n as f64 / 1e6;
    println!(
        "input {} MB, {} paragraphs; AKN {} MB\nwrite {:.3} s wall, {:.2} s CPU ({:.1} MB of XML/s)\nread  {:.3} s wall, {:.2} s CPU ({:.1} MB of XML/s)",
        mb(text.len()),
        draft.paragraphs.len(),
        mb(xml.len()),
        w.as_secs_f64(),
        wc,
        mb(xml.len()) / wc.max(0.01),
        r.as_secs_f64(),
        rc,
        mb(xml.len()) / rc.max(0.01)
    );
    println!(
        "RESULT input_bytes={} xml_bytes={} paragraphs={} write_s={:.6} read_s={:.6} write_cpu={:.2} read_cpu={:.2}",
        text.len(),
        xml.len(),
        draft.paragraphs.len(),
        w.as_secs_f64(),
        r.as_secs_f64(),
        wc,
        rc
    );
}
