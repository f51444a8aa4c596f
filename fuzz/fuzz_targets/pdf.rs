//! PDF import on hostile input: whatever the bytes, `pdf::read` returns a
//! draft or a named error, never panics (poppler runs as a subprocess; what
//! is fuzzed is our handling of its exit, output and errors, and the parser
//! on what it lays out). Poppler works on a temporary file under the
//! reader's time limit; a run sets `ACCORD_PDF_TIMEOUT` below libFuzzer's
//! `-timeout` (see `campaign.sh`).
#![no_main]

use accord_formats::pdf;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A PDF header makes every input reach poppler.
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend_from_slice(data);
    match pdf::read(&bytes) {
        Ok(draft) => {
            for d in &draft.diagnostics {
                assert!(d.line >= 1);
            }
        }
        Err(pdf::PdfError::ToolMissing(p)) => panic!("pdftotext missing: {p}"),
        // Poppler stopped by the reader's time limit: the right answer, but
        // counted (`campaign.sh` greps this line) so that hangs stay visible.
        Err(e @ pdf::PdfError::TimedOut { .. }) => {
            eprintln!("poppler timed out ({} bytes): {e}", bytes.len())
        }
        Err(_) => {}
    }
});
