//! `read FILE…`: reads each draft (text, Word or PDF, told by content) into
//! the model, end to end as the CLI does, and prints its paragraph count.
//! Used by `bench/docx.sh` and `bench/pdf.sh` to time Accord's readers
//! without building the whole `accord` binary in release mode.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
                continue;
            }
        };
        match accord_formats::read_draft(bytes, accord_core::DEFAULT_MAX_INPUT_BYTES) {
            Ok(import) => println!(
                "{path}: {} paragraphs, {} tracked changes, {} comments",
                import.draft.paragraphs.len(),
                import.tracked_changes.len(),
                import.comments.len()
            ),
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
