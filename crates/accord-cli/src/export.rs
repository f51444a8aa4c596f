//! `accord export FILE --to FORMAT -o OUT`: a draft written in another
//! format, and the writing of binary outputs (`.docx`, `.pdf`) for other commands.
//!
//! One place decides how a binary document reaches the disk: whole or not
//! at all (a temporary file renamed into place), never to a terminal. A new
//! format is a variant of [`ExportFormat`] and an arm in [`run`].

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use crate::{read_draft, Failure, InputOptions};

/// What `accord export` writes.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// A Word document: title, date line, headings, auto-numbered paragraphs, footnotes.
    Docx,
    /// Akoma Ntoso 3.0 XML as the UN's AKN4UN guidelines use it (validates against the OASIS schema).
    Akn,
    /// The circulation PDF: the letters that travel with the draft, then the draft (A4, Noto fonts).
    Pdf,
}

/// The arguments of `accord export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The draft file (text, Word, PDF or Akoma Ntoso); `-` reads standard input.
    file: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    to: ExportFormat,
    /// Where to write it (`-` or absent: standard output, unless it is a terminal).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Akoma Ntoso: the document symbol (`A/70/L.33`) used in the FRBR IRIs.
    #[arg(long)]
    symbol: Option<String>,
    /// Akoma Ntoso: the text is adopted (a `resolution` in a publication, not a draft).
    #[arg(long)]
    adopted: bool,
    /// The text's language: ISO 639-1 (`en`, `fr`, `ar`, `zh`…); by default read from the text.
    #[arg(long)]
    language: Option<String>,
    /// PDF: the short title in the running header (default: the draft's title).
    #[arg(long)]
    running_title: Option<String>,
    /// PDF: leave out the letters that travel with the draft.
    #[arg(long)]
    no_letters: bool,
    #[command(flatten)]
    input: InputOptions,
}

/// Runs `accord export`.
pub fn run(args: ExportArgs) -> Result<ExitCode, Failure> {
    let draft = read_draft(&args.file, &args.input)?;
    let bytes = match args.to {
        ExportFormat::Docx => accord_formats::docx::write::draft(&draft),
        ExportFormat::Akn => {
            let options = accord_formats::akn::AknOptions {
                symbol: args.symbol.clone(),
                language: args.language.as_deref().map(iso_639_2),
                adopted: args.adopted,
                ..Default::default()
            };
            accord_formats::akn::write(&draft, &options).into_bytes()
        }
        ExportFormat::Pdf => {
            let options = accord_print::PrintOptions {
                running_title: args.running_title.clone(),
                language: args.language.clone(),
                include_letters: !args.no_letters,
                ..Default::default()
            };
            accord_print::draft_pdf(&draft, &options)
                .map_err(|e| Failure(format!("{}: cannot make the PDF: {e}", args.file.display())))?
        }
    };
    write_binary(args.output.as_deref(), &bytes)?;
    Ok(crate::report_diagnostics(&args.file, &draft, args.input.strict))
}

/// ISO 639-2 (`eng`), which Akoma Ntoso's IRIs use, from the two-letter
/// code people type (`en`); a three-letter code is kept as given.
pub fn iso_639_2(code: &str) -> String {
    let code = code.trim().to_lowercase();
    let three = match code.as_str() {
        "en" => "eng",
        "fr" => "fra",
        "es" => "spa",
        "ru" => "rus",
        "ar" => "ara",
        "zh" => "zho",
        "de" => "deu",
        "pt" => "por",
        _ => return code,
    };
    three.to_owned()
}

/// Writes a binary document to `path` atomically (temporary file, then
/// rename), or to standard output when no path (or `-`) is given and it is
/// not a terminal (text, such as XML, may go to a terminal).
pub fn write_binary(path: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    match path {
        Some(p) if p != Path::new("-") => {
            let name =
                p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
            let tmp = p.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
            let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, p));
            if let Err(e) = result {
                let _ = std::fs::remove_file(&tmp);
                return Err(Failure(format!("{}: cannot write: {e}", p.display())));
            }
            Ok(())
        }
        _ => {
            let mut out = io::stdout().lock();
            // XML is text a person can read; a zip or a PDF would garble the terminal.
            if out.is_terminal() && std::str::from_utf8(bytes).is_err() {
                return Err(Failure(
                    "this document is not for the terminal: give -o FILE (or redirect the output)".into(),
                ));
            }
            match out.write_all(bytes).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Failure(format!("cannot write output: {e}"))),
            }
        }
    }
}

/// Today as Word writes dates in tracked changes (`2026-12-01T00:00:00Z`).
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
}
