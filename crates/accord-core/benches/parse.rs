//! Parse-throughput benchmark for `accord_core::parse` (std only, no criterion).
//!
//! Run:
//!   cargo bench -p accord-core --bench parse                 # the seed draft
//!   cargo bench -p accord-core --bench parse -- FILE         # any draft
//!   ACCORD_BENCH_INPUT=FILE cargo bench -p accord-core --bench parse
//!
//! Optional env: ACCORD_BENCH_SAMPLES (number of timed samples; default 20 for
//! inputs under 1 MB, 10 under 10 MB, 5 above).
//!
//! What is timed: `parse(&text)` only, from an in-memory `&str` (no file I/O,
//! no UTF-8 validation, no drop of the returned `Draft`). Small inputs are
//! parsed several times per sample so a sample lasts at least ~50 ms; the
//! per-parse time is the sample's total over its repetitions.
//!
//! For scale it also times byte-scan "floors" over the same buffer: a plain
//! `for` loop counting b'\n', `iter().filter().count()`, a chunked u8-sum
//! count that autovectorises, and `str::lines().count()`. A line-oriented
//! parser has to do at least that much scanning; the `parse/floor` column
//! says how many times slower parse is than each floor.
//!
//! MB = 10^6 bytes. The last line starting `RESULT ` is machine-readable
//! (space-separated key=value) and is consumed by bench/parse.sh.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const DEFAULT_SEED: &str = "../../../shared/seeds/000_a85ec3b89659f1a1.txt";
const MIN_SAMPLE: Duration = Duration::from_millis(50);

fn input_path() -> PathBuf {
    // cargo bench appends `--bench` (and may pass other flags): skip flags.
    if let Some(arg) = std::env::args().skip(1).find(|a| !a.starts_with('-')) {
        return PathBuf::from(arg);
    }
    if let Some(p) = std::env::var_os("ACCORD_BENCH_INPUT").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_SEED)
}

struct Stats {
    best: Duration,
    median: Duration,
    samples: usize,
    reps: u32,
}

/// Time `f` (one call = one unit of work): warm-up, calibrate repetitions so
/// a sample lasts at least MIN_SAMPLE, then `samples` samples.
/// `f` returns the time it wants counted (lets parse exclude the drop).
fn measure(samples: usize, mut f: impl FnMut() -> Duration) -> Stats {
    // Warm-up (caches, allocator, page faults) and calibration.
    let mut warm = f();
    for _ in 0..2 {
        warm = warm.min(f());
    }
    let per = warm.max(Duration::from_nanos(1));
    let reps = (MIN_SAMPLE.as_nanos() / per.as_nanos()).clamp(1, 1_000_000) as u32;
    let mut times: Vec<Duration> = (0..samples)
        .map(|_| {
            let mut total = Duration::ZERO;
            for _ in 0..reps {
                total += f();
            }
            total / reps
        })
        .collect();
    times.sort();
    Stats { best: times[0], median: times[times.len() / 2], samples, reps }
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-12)
}

/// Peak resident set size of this process in kB (Linux), if known.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn count_newlines_loop(bytes: &[u8]) -> usize {
    let mut n = 0usize;
    for &b in bytes {
        if b == b'\n' {
            n += 1;
        }
    }
    n
}

fn count_newlines_filter(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// SIMD-friendly count: per-chunk u8 sums autovectorise (still std only).
fn count_newlines_chunked(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|c| c.iter().map(|&b| u8::from(b == b'\n')).fold(0u8, u8::wrapping_add) as usize)
        .sum()
}

fn main() {
    let path = input_path();
    let raw = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bench parse: cannot read {}: {e}", path.display());
            std::process::exit(2);
        }
    };
    let text = match String::from_utf8(raw) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench parse: {} is not UTF-8 ({e}); using lossy decoding", path.display());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let size = text.len();
    let samples = std::env::var("ACCORD_BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(if size < 1_000_000 {
            20
        } else if size < 10_000_000 {
            10
        } else {
            5
        });

    // One untimed parse for the structural counts (and as an extra warm-up).
    let draft = accord_core::parse(black_box(&text));
    let paragraphs = draft.paragraphs.len();
    let diagnostics = draft.diagnostics.len();
    drop(draft);

    let parse = measure(samples, || {
        let t = Instant::now();
        let d = accord_core::parse(black_box(&text));
        let el = t.elapsed();
        black_box(&d);
        drop(d);
        el
    });

    let bytes = text.as_bytes();
    let timed = |f: fn(&[u8]) -> usize| {
        move || {
            let t = Instant::now();
            black_box(f(black_box(bytes)));
            t.elapsed()
        }
    };
    let floor_loop = measure(samples, timed(count_newlines_loop));
    let floor_filter = measure(samples, timed(count_newlines_filter));
    let floor_chunked = measure(samples, timed(count_newlines_chunked));
    let floor_lines = measure(samples, || {
        let t = Instant::now();
        black_box(black_box(text.as_str()).lines().count());
        t.elapsed()
    });
    let lines = count_newlines_loop(bytes);
    let rss = peak_rss_kb();

    println!("accord-core parse benchmark");
    println!("  input        {}", path.display());
    println!(
        "  size         {size} bytes ({:.3} MB), {lines} newlines, {paragraphs} paragraphs, {diagnostics} diagnostics",
        size as f64 / 1e6
    );
    println!(
        "  samples      {} x {} parse(s) each (per-parse time; MB = 1e6 bytes)",
        parse.samples, parse.reps
    );
    println!(
        "  {:<28} {:>12} {:>12} {:>10} {:>10} {:>14}",
        "what", "best", "median", "best MB/s", "med MB/s", "parse/floor"
    );
    let row = |name: &str, s: &Stats| {
        println!(
            "  {:<28} {:>12.3?} {:>12.3?} {:>10.1} {:>10.1} {:>13.1}x",
            name,
            s.best,
            s.median,
            mbps(size, s.best),
            mbps(size, s.median),
            parse.best.as_secs_f64() / s.best.as_secs_f64().max(1e-12),
        );
    };
    row("accord_core::parse", &parse);
    row("floor: for-loop b'\\n' count", &floor_loop);
    row("floor: iter().filter().count", &floor_filter);
    row("floor: chunked u8-sum count", &floor_chunked);
    row("floor: str::lines().count()", &floor_lines);
    let fastest = [&floor_loop, &floor_filter, &floor_chunked, &floor_lines]
        .iter()
        .map(|s| s.best)
        .min()
        .unwrap_or(Duration::ZERO);
    let pct = |floor: Duration| 100.0 * floor.as_secs_f64() / parse.best.as_secs_f64().max(1e-12);
    println!(
        "  parse runs at {:.2}% of the simple-loop floor's throughput and {:.2}% of the fastest floor's (best-of)",
        pct(floor_loop.best),
        pct(fastest),
    );
    if let Some(kb) = rss {
        println!(
            "  peak RSS     {:.1} MB (whole bench process, includes the input buffer; {:.2}x input)",
            kb as f64 / 1024.0,
            kb as f64 * 1024.0 / size.max(1) as f64
        );
    }
    println!(
        "RESULT bytes={size} paragraphs={paragraphs} diagnostics={diagnostics} samples={} reps={} \
best_s={:.9} median_s={:.9} best_mbps={:.3} median_mbps={:.3} floor_loop_mbps={:.3} floor_filter_mbps={:.3} \
floor_chunked_mbps={:.3} floor_lines_mbps={:.3} floor_fastest_mbps={:.3} peak_rss_kb={} input={}",
        parse.samples,
        parse.reps,
        parse.best.as_secs_f64(),
        parse.median.as_secs_f64(),
        mbps(size, parse.best),
        mbps(size, parse.median),
        mbps(size, floor_loop.best),
        mbps(size, floor_filter.best),
        mbps(size, floor_chunked.best),
        mbps(size, floor_lines.best),
        mbps(size, fastest),
        rss.map_or_else(|| "NA".to_string(), |k| k.to_string()),
        path.display(),
    );
}
