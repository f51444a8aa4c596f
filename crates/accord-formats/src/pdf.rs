//! PDF import: the PDF's text as `pdftotext -layout` lays it out, which is
//! the text the core parser was built and tested on (the Paris `.txt` twins
//! are exactly that output), then parsed by `accord_core::parse`.
//!
//! Parity decided the choice: `pdftotext -layout` reproduces the twins byte
//! for byte, so the draft from a PDF is the draft from its twin; a pure-Rust
//! reader would need its own layout pass to reach that (columns, running
//! headers, footnotes at page bottoms). Encrypted, image-only and broken PDFs
//! are told apart and named.
//!
//! Poppler runs as a subprocess on a private temporary file (mode 0600,
//! removed when done), never on its standard input: on a damaged
//! cross-reference table poppler seeks for objects far past the end of the
//! input, which on a pipe means reading and caching stdin without end — the
//! fuzzer found 13–15 KB PDFs that made it run for minutes and grow past 10 GB,
//! where the same file on disk is read in 0.1 s. Whatever the file, the
//! child runs under a time limit scaled with the input (killed and reaped
//! when it runs out), its standard output is read up to a bound (text
//! absurdly larger than the file is refused) and its standard error is
//! drained at the same time, keeping only its tail, so no pipe can fill and
//! stall it.
//!
//! When a core is free (two cores or more, the load below the cores less
//! one), a PDF of several pages is laid out by two poppler processes at once, the first half of the pages and the
//! rest, joined in order: `-layout` lays out each page on its own, so the
//! joined text is byte for byte the text of one run (the twins' parity
//! tests check it), in a little more than half the time. The split point
//! comes from counting the file's page objects, which needs no parsing; a
//! wrong count only makes the halves uneven (the second starts where the
//! first stops and runs to the last page), never changes the text.

use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use accord_core::Draft;
use thiserror::Error;

/// The program that lays the text out; `ACCORD_PDFTOTEXT` may name another path.
pub const PDFTOTEXT: &str = "pdftotext";

/// Environment variable: the base time limit in seconds (default 10).
pub const TIMEOUT_ENV: &str = "ACCORD_PDF_TIMEOUT";

/// Environment variable: how many poppler processes lay out one PDF (1 or
/// 2). Unset: 2 when a core is free — two cores or more and a one-minute
/// load average below the cores less one — else 1.
pub const PROCESSES_ENV: &str = "ACCORD_PDF_PROCESSES";

/// How much of poppler's standard error is kept for the error message.
const STDERR_TAIL: usize = 16 * 1024;

/// Limits on one run of `pdftotext`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfOptions {
    /// The program to run (`pdftotext` on the `PATH` by default).
    pub program: String,
    /// Time allowed whatever the size.
    pub base_timeout: Duration,
    /// Time allowed in addition per started MiB of input.
    pub timeout_per_mib: Duration,
    /// Text allowed whatever the size, in bytes.
    pub base_text_bytes: usize,
    /// Text allowed in addition per byte of input (layout pads lines with
    /// spaces and streams are compressed: a real draft's text stays well
    /// under 20 times its PDF).
    pub text_bytes_per_input_byte: usize,
    /// How many poppler processes lay out one PDF at once: 2 splits the
    /// pages in two halves (see the module documentation), 1 does not.
    pub processes: usize,
}

impl Default for PdfOptions {
    /// `pdftotext` (or `ACCORD_PDFTOTEXT`), 10 s (or `ACCORD_PDF_TIMEOUT`
    /// seconds) plus 1 s per MiB, and 32 MiB plus 64 bytes per byte of text;
    /// two processes when a core is free (or as `ACCORD_PDF_PROCESSES` says).
    fn default() -> Self {
        let program = std::env::var("ACCORD_PDFTOTEXT").unwrap_or_else(|_| PDFTOTEXT.to_owned());
        let base = std::env::var(TIMEOUT_ENV).ok().and_then(|s| s.trim().parse::<f64>().ok());
        let base = base.filter(|s| s.is_finite() && *s > 0.0).unwrap_or(10.0);
        let processes = std::env::var(PROCESSES_ENV).ok().and_then(|s| s.trim().parse::<usize>().ok());
        PdfOptions {
            processes: processes.unwrap_or_else(free_core_processes).clamp(1, 2),
            program,
            base_timeout: Duration::from_secs_f64(base.min(86_400.0)),
            timeout_per_mib: Duration::from_secs(1),
            base_text_bytes: 32 << 20,
            text_bytes_per_input_byte: 64,
        }
    }
}

impl PdfOptions {
    /// The time limit for an input of `len` bytes.
    pub fn timeout_for(&self, len: usize) -> Duration {
        let mib = u32::try_from(len.div_ceil(1 << 20)).unwrap_or(u32::MAX);
        self.base_timeout.saturating_add(self.timeout_per_mib.saturating_mul(mib))
    }

    /// The largest text accepted from an input of `len` bytes.
    pub fn text_limit_for(&self, len: usize) -> usize {
        self.base_text_bytes.saturating_add(self.text_bytes_per_input_byte.saturating_mul(len))
    }
}

/// Why a PDF could not be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The bytes do not start like a PDF.
    #[error("not a PDF file (no %PDF- header)")]
    NotPdf,
    /// The PDF needs a password to be read.
    #[error("the PDF is encrypted (password-protected); give a copy without a password")]
    Encrypted,
    /// The PDF has pages but no text on them: a scan.
    #[error("the PDF has no text layer ({pages} page(s) of images only: a scan?); run OCR on it first")]
    NoText {
        /// Pages seen.
        pages: usize,
    },
    /// Poppler could not read it.
    #[error("the PDF is damaged or not a PDF poppler can read: {0}")]
    Broken(String),
    /// Poppler did not finish within the time limit (it was stopped).
    #[error("the PDF could not be read in {seconds} s: damaged or too complex")]
    TimedOut {
        /// The limit, in whole seconds (rounded up).
        seconds: u64,
    },
    /// The text poppler laid out is absurdly larger than the file.
    #[error("the PDF's text exceeds {limit} bytes, far more than a {input} byte file holds: refused as damaged or hostile")]
    TooMuchText {
        /// The bound that was passed.
        limit: usize,
        /// The size of the PDF.
        input: usize,
    },
    /// Poppler's `pdftotext` is not installed.
    #[error("reading PDF needs poppler's pdftotext, which was not found ({0}); install poppler-utils")]
    ToolMissing(String),
    /// The subprocess failed in another way.
    #[error("running pdftotext failed: {0}")]
    Io(String),
}

/// The PDF's text as `pdftotext -layout` writes it (pages separated by form
/// feeds), under the default limits ([`PdfOptions::default`]).
pub fn to_text(bytes: &[u8]) -> Result<String, PdfError> {
    to_text_with_options(bytes, &PdfOptions::default())
}

/// As [`to_text`], running this `pdftotext` program.
pub fn to_text_with(bytes: &[u8], program: &str) -> Result<String, PdfError> {
    to_text_with_options(bytes, &PdfOptions { program: program.to_owned(), ..PdfOptions::default() })
}

/// As [`to_text`], under these limits.
pub fn to_text_with_options(bytes: &[u8], options: &PdfOptions) -> Result<String, PdfError> {
    if !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let io = |e: std::io::Error| PdfError::Io(e.to_string());
    let mut file = tempfile::Builder::new().prefix("accord-").suffix(".pdf").tempfile().map_err(io)?;
    file.write_all(bytes).and_then(|()| file.flush()).map_err(io)?;
    let limit = options.text_limit_for(bytes.len());
    let timeout = options.timeout_for(bytes.len());
    let pages = if options.processes >= 2 { count_page_objects(bytes) } else { 0 };
    let spawn = |first: Option<usize>, last: Option<usize>| {
        let mut command = Command::new(&options.program);
        command.arg("-layout").args(["-enc", "UTF-8"]);
        if let Some(f) = first {
            command.arg("-f").arg(f.to_string());
        }
        if let Some(l) = last {
            command.arg("-l").arg(l.to_string());
        }
        command.arg(file.path()).arg("-").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        command.spawn().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                PdfError::ToolMissing(options.program.clone())
            } else {
                PdfError::Io(e.to_string())
            }
        })
    };
    let stdout = if pages >= MIN_PAGES_TO_SPLIT {
        let middle = pages / 2;
        let first = spawn(None, Some(middle))?;
        let second = match spawn(Some(middle + 1), None) {
            Ok(c) => c,
            Err(e) => {
                reap(first);
                return Err(e);
            }
        };
        let (one, two) = std::thread::scope(|s| {
            let other = s.spawn(|| run_bounded(second, timeout, limit));
            let one = run_bounded(first, timeout, limit);
            let two = other.join().unwrap_or_else(|_| Err(PdfError::Io("reading pdftotext panicked".into())));
            (one, two)
        });
        let mut text = outcome(one?, bytes, limit, false)?;
        text.extend_from_slice(&outcome(two?, bytes, limit, true)?);
        if text.len() > limit {
            return Err(PdfError::TooMuchText { limit, input: bytes.len() });
        }
        text
    } else {
        outcome(run_bounded(spawn(None, None)?, timeout, limit)?, bytes, limit, false)?
    };
    drop(file);
    let text = String::from_utf8(stdout)
        .map_err(|_| PdfError::Io("pdftotext wrote text that is not UTF-8".into()))?;
    if text.chars().all(|c| c.is_whitespace()) {
        let pages = text.matches('\u{c}').count().max(1);
        return Err(PdfError::NoText { pages });
    }
    Ok(text)
}

/// The draft in a PDF: its text laid out, then parsed.
pub fn read(bytes: &[u8]) -> Result<Draft, PdfError> {
    Ok(accord_core::parse_owned(to_text(bytes)?))
}

/// As [`read`], under these limits.
pub fn read_with_options(bytes: &[u8], options: &PdfOptions) -> Result<Draft, PdfError> {
    Ok(accord_core::parse_owned(to_text_with_options(bytes, options)?))
}

/// 2 when a second poppler would find a core of its own, else 1: on a
/// machine already busy the second process only adds its own start-up (the
/// halves cost 10–20 % more CPU than one run) to the wait for a core.
/// Linux's `/proc/loadavg` tells how many tasks are runnable at this instant
/// (its fourth field, `runnable/total`, this reader among them); elsewhere
/// the core count alone decides. Not the one-minute load average: a reader
/// run again and again (a batch of PDFs, the bench) raises it to one core's
/// worth by itself and would never split on an otherwise idle machine.
fn free_core_processes() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runnable = std::fs::read_to_string("/proc/loadavg").ok().and_then(|s| runnable_tasks(&s));
    processes_for(cores, runnable)
}

/// The runnable count of a `/proc/loadavg` line (`0.19 0.47 1.03 1/80 6404`).
fn runnable_tasks(loadavg: &str) -> Option<usize> {
    loadavg.split_whitespace().nth(3)?.split('/').next()?.parse().ok()
}

/// Two processes when, besides this reader, fewer tasks are runnable than
/// there are cores left.
fn processes_for(cores: usize, runnable: Option<usize>) -> usize {
    match runnable {
        _ if cores < 2 => 1,
        Some(r) if r.saturating_sub(1) > cores - 2 => 1,
        _ => 2,
    }
}

/// Fewer pages than this are laid out by one process: a second one would
/// cost more to start than it saves.
const MIN_PAGES_TO_SPLIT: usize = 6;

/// What a run of poppler gave: its text, or the error its end and its
/// standard error say. For the second half (`tail`), a first page past the
/// last is no text: the count was too high and the first half ran to the end.
fn outcome(run: Run, bytes: &[u8], limit: usize, tail: bool) -> Result<Vec<u8>, PdfError> {
    let status = match run.end {
        End::Exited(status) => status,
        End::TimedOut(limit) => {
            return Err(PdfError::TimedOut { seconds: limit.as_secs() + u64::from(limit.subsec_nanos() > 0) })
        }
        End::TooMuchText => return Err(PdfError::TooMuchText { limit, input: bytes.len() }),
    };
    if status.success() {
        return Ok(run.stdout);
    }
    let stderr = String::from_utf8_lossy(&run.stderr);
    if tail && stderr.contains("Wrong page range") {
        return Ok(Vec::new());
    }
    if stderr.contains("password") || stderr.contains("ncrypt") || has_encrypt_dictionary(bytes) {
        return Err(PdfError::Encrypted);
    }
    let reason = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("unreadable").trim();
    // Poppler's own lines are short; a flood of garbage is cut.
    let reason: String = reason.chars().take(300).collect();
    Err(PdfError::Broken(reason))
}

/// Stops and reaps a child that will not be read.
fn reap(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// The page objects written in the file's bytes (`/Type /Page`, not
/// `/Pages`): the page count of most PDFs, zero where the page objects are
/// compressed in object streams (then one process lays out everything).
/// One pass over the bytes, no parsing.
fn count_page_objects(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut rest = bytes;
    while let Some(k) = rest.windows(5).position(|w| w == b"/Type") {
        rest = &rest[k + 5..];
        let after = rest.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(rest.len());
        let name = &rest[after..];
        if name.starts_with(b"/Page") && !name.get(5).is_some_and(|b| b.is_ascii_alphanumeric()) {
            count += 1;
        }
    }
    count
}

/// How a bounded run ended.
enum End {
    Exited(ExitStatus),
    TimedOut(Duration),
    TooMuchText,
}

/// What a bounded run gave.
struct Run {
    end: End,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Waits for `child` at most `timeout`, reading at most `max_stdout` bytes of
/// its standard output and the tail of its standard error, each on its own
/// thread. A child that runs out of time or writes too much is killed and
/// reaped before this returns: no zombie, no stray process.
fn run_bounded(mut child: Child, timeout: Duration, max_stdout: usize) -> Result<Run, PdfError> {
    let (Some(mut out), Some(mut err)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(PdfError::Io("the child's pipes were not opened".into()));
    };
    let overflow = AtomicBool::new(false);
    let started = Instant::now();
    // The output's end (the child exits, or writes past the bound) wakes the
    // waiting thread at once: no polling latency on the common path.
    let (closed, output_closed) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        let flag = &overflow;
        let stdout = s.spawn(move || {
            let mut text = Vec::new();
            // One byte past the bound tells "at the bound" from "beyond it".
            let read = (&mut out).take(max_stdout as u64 + 1).read_to_end(&mut text);
            if text.len() > max_stdout {
                flag.store(true, Ordering::SeqCst);
                text.clear();
            }
            drop(closed);
            read.map(|_| text)
        });
        let stderr = s.spawn(move || {
            let (mut tail, mut chunk) = (Vec::new(), [0u8; 8192]);
            loop {
                match err.read(&mut chunk) {
                    Ok(0) | Err(_) => return tail,
                    Ok(n) => {
                        tail.extend_from_slice(&chunk[..n]);
                        if tail.len() > 2 * STDERR_TAIL {
                            tail.drain(..tail.len() - STDERR_TAIL);
                        }
                    }
                }
            }
        });
        let _ = output_closed.recv_timeout(timeout);
        // The output is closed (or time is up): the child has exited or
        // exits now; a child that closed its output and went on running is
        // waited for, briefly polled, until the time limit.
        let mut pause = Duration::from_micros(100);
        let end = loop {
            if overflow.load(Ordering::SeqCst) {
                break End::TooMuchText;
            }
            match child.try_wait() {
                Ok(Some(status)) => break End::Exited(status),
                Ok(None) => {}
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(PdfError::Io(e.to_string()));
                }
            }
            if started.elapsed() >= timeout {
                break End::TimedOut(timeout);
            }
            std::thread::sleep(pause.min(timeout.saturating_sub(started.elapsed())));
            pause = (pause * 2).min(Duration::from_millis(20));
        };
        if !matches!(end, End::Exited(_)) {
            // Killing closes the pipes, which ends both reader threads.
            let _ = child.kill();
            let _ = child.wait();
        }
        let stdout = stdout.join().map_err(|_| PdfError::Io("reading pdftotext's output panicked".into()))?;
        let stderr = stderr.join().map_err(|_| PdfError::Io("reading pdftotext's errors panicked".into()))?;
        if overflow.load(Ordering::SeqCst) {
            return Ok(Run { end: End::TooMuchText, stdout: Vec::new(), stderr });
        }
        let stdout = stdout.map_err(|e| PdfError::Io(e.to_string()))?;
        Ok(Run { end, stdout, stderr })
    })
}

/// Whether the trailer names an `/Encrypt` dictionary.
fn has_encrypt_dictionary(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

#[cfg(test)]
mod tests {
    use super::{processes_for, runnable_tasks};

    #[test]
    fn the_runnable_count_is_the_fourth_field() {
        assert_eq!(runnable_tasks("0.19 0.47 1.03 1/80 6404\n"), Some(1));
        assert_eq!(runnable_tasks("3.40 2.00 1.00 12/300 99"), Some(12));
        assert_eq!(runnable_tasks("0.19 0.47"), None);
        assert_eq!(runnable_tasks("a b c x/y z"), None);
    }

    #[test]
    fn a_second_process_only_where_a_core_is_free() {
        // This reader alone on two cores: the other core is free.
        assert_eq!(processes_for(2, Some(1)), 2);
        // One other task running: no core left for a second poppler.
        assert_eq!(processes_for(2, Some(2)), 1);
        assert_eq!(processes_for(4, Some(3)), 2);
        assert_eq!(processes_for(4, Some(4)), 1);
        assert_eq!(processes_for(1, Some(1)), 1);
        // Nothing known: the core count decides.
        assert_eq!(processes_for(2, None), 2);
        assert_eq!(processes_for(1, None), 1);
    }
}
