//! The limits around poppler: inputs the fuzzer found that made
//! `pdftotext` hang (when fed on standard input) give a draft or a clear
//! error within the time limit; a child that runs too long is stopped, one
//! that writes too much text is refused, one that writes much to standard
//! error does not stall.

mod docx_support;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use accord_formats::pdf::{self, PdfError, PdfOptions};
use docx_support::tool;

/// The tests run one at a time: a script written by one test while another
/// forks a child is held open for writing in that child until it execs, and
/// running it then fails with "Text file busy" (ETXTBSY).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A stand-in for `pdftotext`: a shell script with this body (it `exec`s its
/// last command, so that killing it closes the pipes).
fn fake_pdftotext(dir: &tempfile::TempDir, body: &str) -> String {
    let path: PathBuf = dir.path().join("pdftotext");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_str().unwrap().to_owned()
}

fn options(program: String, timeout: Duration) -> PdfOptions {
    PdfOptions { program, base_timeout: timeout, ..PdfOptions::default() }
}

#[test]
fn the_fuzzers_hanging_pdfs_answer_within_the_limit() {
    let _serial = serial();
    if !tool("pdftotext") {
        return;
    }
    for name in ["fuzz-timeout-1.pdf", "fuzz-timeout-2.pdf"] {
        let bytes = std::fs::read(format!("tests/fixtures/pdf/{name}")).unwrap();
        let limit = PdfOptions::default().timeout_for(bytes.len());
        let started = Instant::now();
        let result = pdf::read(&bytes);
        let took = started.elapsed();
        // On stdin poppler ran for minutes and grew past 10 GB on these;
        // from a file it reads them in well under a second.
        assert!(took < limit + Duration::from_secs(2), "{name}: {took:?}");
        assert!(
            took < Duration::from_secs(5),
            "{name} took {took:?}: the file is not given to poppler as a file"
        );
        match result {
            Ok(draft) => assert!(draft.diagnostics.iter().all(|d| d.line >= 1), "{name}"),
            Err(e) => assert!(
                matches!(e, PdfError::Broken(_) | PdfError::NoText { .. } | PdfError::TimedOut { .. }),
                "{name}: {e}"
            ),
        }
    }
}

#[test]
fn a_child_that_runs_too_long_is_stopped_with_a_clear_error() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let program = fake_pdftotext(&dir, "exec sleep 30");
    let started = Instant::now();
    let opts = PdfOptions { timeout_per_mib: Duration::ZERO, ..options(program, Duration::from_millis(300)) };
    let err = pdf::to_text_with_options(b"%PDF-1.4\n", &opts).unwrap_err();
    let took = started.elapsed();
    assert_eq!(err, PdfError::TimedOut { seconds: 1 });
    assert_eq!(err.to_string(), "the PDF could not be read in 1 s: damaged or too complex");
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn text_absurdly_larger_than_the_file_is_refused() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let program = fake_pdftotext(&dir, "exec yes 'Decides to act.'");
    let opts = PdfOptions { base_text_bytes: 1 << 20, ..options(program, Duration::from_secs(20)) };
    let started = Instant::now();
    let err = pdf::to_text_with_options(b"%PDF-1.4\n", &opts).unwrap_err();
    assert_eq!(err, PdfError::TooMuchText { limit: (1 << 20) + 64 * 9, input: 9 });
    assert!(err.to_string().contains("refused"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn text_at_the_bound_is_kept() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let program = fake_pdftotext(&dir, "printf '1. Decides to act.\\n'");
    // 19 bytes of text, a bound of exactly 19.
    let opts = PdfOptions {
        base_text_bytes: 19,
        text_bytes_per_input_byte: 0,
        ..options(program, Duration::from_secs(20))
    };
    assert_eq!(pdf::to_text_with_options(b"%PDF-1.4\n", &opts).unwrap(), "1. Decides to act.\n");
    let opts = PdfOptions { base_text_bytes: 18, ..opts };
    assert!(matches!(pdf::to_text_with_options(b"%PDF-1.4\n", &opts), Err(PdfError::TooMuchText { .. })));
}

#[test]
fn a_child_writing_much_to_stderr_and_stdout_does_not_stall() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    // 4 MB on each pipe, interleaved, far more than either pipe holds.
    let body = "i=0; while [ $i -lt 64 ]; do head -c 65536 /dev/zero | tr '\\0' e >&2; \
                head -c 65536 /dev/zero | tr '\\0' o; i=$((i+1)); done\n\
                echo >&2; echo 'Syntax Error: the last word' >&2; exit 1";
    let program = fake_pdftotext(&dir, body);
    let started = Instant::now();
    let err =
        pdf::to_text_with_options(b"%PDF-1.4\n", &options(program, Duration::from_secs(30))).unwrap_err();
    assert_eq!(err, PdfError::Broken("Syntax Error: the last word".into()));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn the_time_limit_grows_with_the_input() {
    let o = PdfOptions { base_timeout: Duration::from_secs(10), ..PdfOptions::default() };
    assert_eq!(o.timeout_for(0), Duration::from_secs(10));
    assert_eq!(o.timeout_for(1), Duration::from_secs(11));
    assert_eq!(o.timeout_for(1 << 20), Duration::from_secs(11));
    assert_eq!(o.timeout_for((1 << 20) + 1), Duration::from_secs(12));
    assert_eq!(o.timeout_for(50 << 20), Duration::from_secs(60));
    assert_eq!(o.timeout_for(usize::MAX), Duration::from_secs(10) + Duration::from_secs(u64::from(u32::MAX)));
}

#[test]
fn the_temporary_file_is_removed() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    // The fake prints the path it was given, then we check it is gone.
    let program = fake_pdftotext(&dir, "printf '%s\\n' \"$4\"");
    let path = pdf::to_text_with_options(b"%PDF-1.4\n", &options(program, Duration::from_secs(20))).unwrap();
    let path = path.trim();
    assert!(path.ends_with(".pdf"), "{path}");
    assert!(!std::path::Path::new(path).exists(), "{path} left behind");
}

#[test]
fn a_child_that_closes_its_output_and_runs_on_is_stopped_too() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let program = fake_pdftotext(&dir, "exec >&-\nexec sleep 30");
    let opts = PdfOptions { timeout_per_mib: Duration::ZERO, ..options(program, Duration::from_millis(400)) };
    let started = Instant::now();
    let err = pdf::to_text_with_options(b"%PDF-1.4\n", &opts).unwrap_err();
    assert_eq!(err, PdfError::TimedOut { seconds: 1 });
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}
