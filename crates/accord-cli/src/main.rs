//! `accord`: the command line of Accord.
//!
//! A thin shell over `accord-core`: it reads files, decodes them, calls the
//! core, and prints. Exit codes: 0 success, 1 bad input (unreadable file,
//! not text, too large, or diagnostics under `--strict`), 2 bad usage.
#![forbid(unsafe_code)]

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_core::{Draft, Readiness};
use clap::{Parser, Subcommand, ValueEnum};

mod corpus;
mod endgame;
mod export;
mod operations;
mod package;
mod store;
mod tabling;
mod transfer;
mod workspace;

#[derive(Parser)]
#[command(
    name = "accord",
    version,
    about = "Run intergovernmental text negotiations: read and compare drafts, trace agreed language, and keep the negotiation (drafts, proposals, decisions) in a workspace served over HTTP."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a draft (a Word .docx, a PDF, plain text, or Accord's canonical form: told by content) and print its model.
    Parse {
        /// The draft file; `-` reads standard input.
        file: PathBuf,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ParseFormat::Json)]
        format: ParseFormat,
        #[command(flatten)]
        input: InputOptions,
    },
    /// Compare two drafts: which paragraph became which, what changed word by word, what matters, what became of each bracket.
    Compare {
        /// The older draft; `-` reads standard input.
        old: PathBuf,
        /// The newer draft.
        new: PathBuf,
        /// Output format (text is coloured on a terminal, plain when piped).
        #[arg(long, short, value_enum, default_value_t = CompareFormat::Text)]
        format: CompareFormat,
        /// For `--format docx` or `akn`: where to write the document.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// For `--format docx`: the author of the tracked changes.
        #[arg(long, default_value = "Co-facilitators")]
        author: String,
        /// For `--format docx`: the date of the tracked changes (ISO 8601; default today).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        input: InputOptions,
    },
    /// Write a draft as Word, Akoma Ntoso or PDF: `accord export DRAFT --to docx|akn|pdf -o OUT`.
    Export(export::ExportArgs),
    /// The circulation package of a process's draft as a PDF: its letters (or a cover letter written from the process), then the draft.
    Package(package::PackageArgs),
    /// Manage the corpus of adopted texts that drafts are traced against.
    Corpus {
        #[command(subcommand)]
        action: CorpusAction,
    },
    /// Trace every paragraph of a draft to the adopted texts it reuses, and check its citations.
    Trace {
        /// The draft file; `-` reads standard input.
        file: PathBuf,
        /// The corpus directory.
        #[arg(long, default_value = DEFAULT_CORPUS)]
        corpus: PathBuf,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = TraceFormat::Text)]
        format: TraceFormat,
        #[command(flatten)]
        input: InputOptions,
    },
    #[command(flatten)]
    Workspace(workspace::WorkspaceCommand),
    #[command(flatten)]
    Endgame(endgame::EndgameCommand),
    #[command(flatten)]
    Operations(operations::OperationsCommand),
    /// Show where a draft stands: paragraphs by status and section, every bracket, and whether it is ready for adoption.
    Status {
        /// The draft file; `-` reads standard input.
        file: PathBuf,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = StatusFormat::Text)]
        format: StatusFormat,
        #[command(flatten)]
        input: InputOptions,
    },
}

#[derive(clap::Args)]
struct InputOptions {
    /// Refuse inputs larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = accord_core::DEFAULT_MAX_INPUT_BYTES)]
    max_size: usize,
    /// Exit with status 1 when the parser reports any diagnostic.
    #[arg(long)]
    strict: bool,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions { max_size: accord_core::DEFAULT_MAX_INPUT_BYTES, strict: false }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    /// The model as JSON (the documented contract).
    Json,
    /// The draft for reading in a terminal.
    Text,
    /// The draft as Markdown.
    Markdown,
    /// Accord's canonical text form, which `accord parse` reads back to the same model.
    Canonical,
}

#[derive(Clone, Copy, ValueEnum)]
enum CompareFormat {
    /// For the terminal.
    Text,
    /// The documented contract.
    Json,
    /// One self-contained page to e-mail or print.
    Html,
    /// A Word document of tracked changes: "Accept all" gives NEW, "Reject all" OLD (needs -o or a redirect).
    Docx,
    /// NEW as Akoma Ntoso with the concordance from OLD (`passiveModifications`); each paragraph keeps
    /// its GUID along the lineage, from OLD's own GUIDs when OLD is an Akoma Ntoso file.
    Akn,
}

const DEFAULT_CORPUS: &str = "accord-corpus";

/// A comparison on a colour terminal: deletions struck through in red,
/// insertions green, headings bold (the core writes no terminal codes).
const TERMINAL_COLOURS: accord_core::render::Marks<'static> = accord_core::render::Marks {
    deleted: ("\x1b[31;9m", "\x1b[0m"),
    inserted: ("\x1b[32m", "\x1b[0m"),
    heading: ("\x1b[1m", "\x1b[0m"),
};

#[derive(Subcommand)]
enum CorpusAction {
    /// Add adopted texts: plain-text drafts (paragraphs keep their numbers) or HTML
    /// with one `<article data-number="N">` per article (the Universal Declaration).
    Add {
        /// The files to add.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The corpus directory (created if missing).
        #[arg(long, default_value = DEFAULT_CORPUS)]
        corpus: PathBuf,
        /// The document's symbol (default: from the file name). Only with one file.
        #[arg(long)]
        symbol: Option<String>,
        /// The name drafts cite it by (default: the title, or the HTML `<h1>`).
        #[arg(long)]
        name: Option<String>,
        /// Another name drafts use (repeatable): "UDHR", "Agenda 2030".
        #[arg(long = "alias")]
        aliases: Vec<String>,
        /// Its adoption date.
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        input: InputOptions,
    },
    /// Build the index used by `accord trace` (done on the fly when missing).
    Index {
        /// The corpus directory.
        #[arg(long, default_value = DEFAULT_CORPUS)]
        corpus: PathBuf,
    },
    /// List the documents in the corpus.
    List {
        /// The corpus directory.
        #[arg(long, default_value = DEFAULT_CORPUS)]
        corpus: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum TraceFormat {
    /// For the terminal.
    Text,
    /// The documented contract.
    Json,
    /// One self-contained page.
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusFormat {
    /// A dashboard for the terminal.
    Text,
    /// The same as JSON.
    Json,
}

/// A failure the user must act on; printed as `accord: FILE: message`.
struct Failure(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse { file, format, input } => run_parse(&file, format, &input),
        Command::Status { file, format, input } => run_status(&file, format, &input),
        Command::Compare { old, new, format, output, author, date, input } => {
            let docx = DocxOut { output, author, date };
            run_compare(&old, &new, format, &docx, &input)
        }
        Command::Export(args) => export::run(args),
        Command::Package(args) => package::run(args),
        Command::Corpus { action } => corpus::run(action),
        Command::Trace { file, corpus, format, input } => corpus::trace(&file, &corpus, format, &input),
        Command::Workspace(command) => workspace::run(command),
        Command::Endgame(command) => endgame::run(command),
        Command::Operations(command) => operations::run(command),
    };
    match result {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("accord: {message}");
            ExitCode::from(1)
        }
    }
}

fn read_draft(file: &Path, input: &InputOptions) -> Result<Draft, Failure> {
    Ok(read_import(file, input)?.draft)
}

/// Reads a draft in any format (text, Word, PDF: told by content), with a
/// Word file's tracked changes and comments.
fn read_import(file: &Path, input: &InputOptions) -> Result<accord_formats::docx::Import, Failure> {
    // By value: the bytes are freed once cut into paragraphs, before the model grows.
    accord_formats::read_draft(read_bytes(file, input)?, input.max_size)
        .map_err(|e| Failure(format!("{}: {e}", file.display())))
}

/// Reads a file (or standard input for `-`) as draft text, within the size
/// limit: a PDF's laid-out text, a Word file's draft in canonical form.
fn read_text(file: &Path, input: &InputOptions) -> Result<String, Failure> {
    accord_formats::read_text(read_bytes(file, input)?, input.max_size)
        .map_err(|e| Failure(format!("{}: {e}", file.display())))
}

/// Reads a file (or standard input for `-`) within the size limit.
fn read_bytes(file: &Path, input: &InputOptions) -> Result<Vec<u8>, Failure> {
    let name = file.display();
    let mut bytes = Vec::new();
    let read = if file == Path::new("-") {
        io::stdin().lock().take(input.max_size as u64 + 1).read_to_end(&mut bytes).map(|_| ())
    } else {
        match std::fs::metadata(file) {
            Ok(m) if m.is_dir() => return Err(Failure(format!("{name}: is a directory, not a draft file"))),
            Ok(m) if m.len() > input.max_size as u64 => {
                return Err(Failure(format!(
                    "{name}: the input is {} bytes, over the limit of {} bytes (raise it with --max-size)",
                    m.len(),
                    input.max_size
                )))
            }
            _ => {}
        }
        std::fs::File::open(file)
            .and_then(|f| f.take(input.max_size as u64 + 1).read_to_end(&mut bytes))
            .map(|_| ())
    };
    read.map_err(|e| Failure(format!("{name}: cannot read: {e}")))?;
    Ok(bytes)
}

fn report_diagnostics(file: &Path, draft: &Draft, strict: bool) -> ExitCode {
    let mut err = io::stderr().lock();
    for d in &draft.diagnostics {
        let _ =
            writeln!(err, "{}:{}:{}: warning[{}]: {}", file.display(), d.line, d.column, d.code, d.message);
    }
    if strict && !draft.diagnostics.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes a value as pretty JSON straight to standard output (no copy of a
/// large document in memory); a closed pipe is not an error.
fn emit_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let result = serde_json::to_writer_pretty(&mut out, value)
        .map_err(io::Error::from)
        .and_then(|_| out.write_all(b"\n"))
        .and_then(|_| out.flush());
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure(format!("cannot write output: {e}"))),
    }
}

/// Writes to standard output; a closed pipe (`accord parse … | head`) is not an error.
fn emit(s: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure(format!("cannot write output: {e}"))),
    }
}

#[derive(serde::Serialize)]
struct ParseOutput<'a> {
    /// Names the contract so consumers can check what they read.
    schema: &'static str,
    #[serde(flatten)]
    draft: &'a Draft,
    /// A Word file's tracked changes (empty for text and PDF).
    tracked_changes: &'a [accord_formats::docx::TrackedChange],
    /// A Word file's comments (empty for text and PDF).
    comments: &'a [accord_formats::docx::Comment],
}

fn run_parse(file: &Path, format: ParseFormat, input: &InputOptions) -> Result<ExitCode, Failure> {
    let import = read_import(file, input)?;
    let draft = &import.draft;
    let code = match format {
        ParseFormat::Json => {
            emit_json(&ParseOutput {
                schema: "accord-draft/1",
                draft,
                tracked_changes: &import.tracked_changes,
                comments: &import.comments,
            })?;
            if input.strict && !draft.diagnostics.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        ParseFormat::Text => {
            emit(&accord_core::render::text(draft))?;
            report_diagnostics(file, draft, input.strict)
        }
        ParseFormat::Markdown => {
            emit(&accord_core::render::markdown(draft))?;
            report_diagnostics(file, draft, input.strict)
        }
        ParseFormat::Canonical => {
            emit(&accord_core::canonical::write(draft))?;
            report_diagnostics(file, draft, input.strict)
        }
    };
    Ok(code)
}

#[derive(serde::Serialize)]
struct CompareOutput<'a> {
    schema: &'static str,
    #[serde(flatten)]
    comparison: &'a accord_core::Comparison,
}

/// Where and as whom `compare --format docx` writes.
struct DocxOut {
    output: Option<PathBuf>,
    author: String,
    date: Option<String>,
}

fn run_compare(
    old: &Path,
    new: &Path,
    format: CompareFormat,
    docx: &DocxOut,
    input: &InputOptions,
) -> Result<ExitCode, Failure> {
    if old == Path::new("-") && new == Path::new("-") {
        return Err(Failure("only one of OLD and NEW can be standard input".into()));
    }
    // The two drafts are read and parsed at the same time, one per core.
    let (old_draft, new_draft) = std::thread::scope(|scope| {
        let other = scope.spawn(|| read_draft(new, input));
        let first = read_draft(old, input);
        (first, other.join().unwrap_or_else(|_| Err(Failure("the parser stopped unexpectedly".into()))))
    });
    let (old_draft, new_draft) = (old_draft?, new_draft?);
    let c = accord_core::compare(&old_draft, &new_draft);
    match format {
        CompareFormat::Json => {
            emit_json(&CompareOutput { schema: "accord-compare/1", comparison: &c })?;
        }
        CompareFormat::Text => {
            use std::io::IsTerminal;
            let color = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let marks = if color { &TERMINAL_COLOURS } else { &accord_core::render::WDIFF };
            emit(&accord_core::render::comparison_text(&c, &old_draft, &new_draft, marks))?;
        }
        CompareFormat::Html => emit(&accord_server::render::comparison_html(&c, &old_draft, &new_draft))?,
        CompareFormat::Docx => {
            let by = accord_formats::docx::redline::Authorship {
                author: docx.author.clone(),
                date: docx.date.clone().unwrap_or_else(export::today),
            };
            let bytes = accord_formats::docx::redline::comparison(&old_draft, &new_draft, &c, &by);
            export::write_binary(docx.output.as_deref(), &bytes)?;
        }
        CompareFormat::Akn => {
            // OLD exported by Accord carries its paragraphs' GUIDs: keep them.
            let identity = match old == Path::new("-") {
                true => None,
                false => {
                    let bytes = read_bytes(old, input)?;
                    (accord_formats::detect(&bytes) == accord_formats::Format::Xml)
                        .then(|| accord_formats::akn::read_identity(&bytes).ok())
                        .flatten()
                }
            };
            let xml = accord_formats::akn::concordance(
                &c,
                &old_draft,
                &new_draft,
                identity.as_ref(),
                &accord_formats::akn::AknOptions::default(),
            );
            export::write_binary(docx.output.as_deref(), xml.as_bytes())?;
        }
    }
    let a = report_diagnostics(old, &old_draft, input.strict);
    let b = report_diagnostics(new, &new_draft, input.strict);
    // The process ends here: freeing millions of small allocations one by one
    // would cost a tenth of the run on a large draft, for nothing.
    std::mem::forget((old_draft, new_draft, c));
    Ok(if a == ExitCode::SUCCESS { b } else { a })
}

fn run_status(file: &Path, format: StatusFormat, input: &InputOptions) -> Result<ExitCode, Failure> {
    let draft = read_draft(file, input)?;
    let r = accord_core::readiness(&draft);
    let code = match format {
        StatusFormat::Json => {
            emit_json(&r)?;
            if input.strict && !draft.diagnostics.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        StatusFormat::Text => {
            emit(&status_text(&draft, &r))?;
            report_diagnostics(file, &draft, input.strict)
        }
    };
    // The process ends here: freeing the model's many small allocations one
    // by one would cost a tenth of the run on a large draft, for nothing.
    std::mem::forget((draft, r));
    Ok(code)
}

fn status_text(draft: &Draft, r: &Readiness) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    if let Some(t) = &draft.title {
        let _ = writeln!(s, "{t}");
    }
    if let Some(d) = &draft.date {
        let _ = writeln!(s, "{d}");
    }
    let _ = writeln!(s, "Title: {}", r.title_status.as_str());
    let c = &r.counts;
    let _ = writeln!(
        s,
        "\n{} paragraphs: {} open, {} suggested for closure, {} agreed ad ref, {} agreed; {} brackets\n",
        c.total, c.open, c.suggested_for_closure, c.agreed_ad_ref, c.agreed, c.brackets
    );
    let _ = writeln!(
        s,
        "{:<48} {:>5} {:>5} {:>5} {:>6} {:>6} {:>8}",
        "Section", "paras", "open", "sfc", "adref", "agreed", "brackets"
    );
    for sec in &r.sections {
        let name = match (&sec.heading, &sec.title) {
            (Some(h), Some(t)) if h != t => format!("{h} {t}"),
            (Some(h), _) => h.clone(),
            (None, _) => "(before the first heading)".into(),
        };
        let name: String =
            if name.chars().count() > 48 { name.chars().take(47).chain(['…']).collect() } else { name };
        let k = &sec.counts;
        let _ = writeln!(
            s,
            "{name:<48} {:>5} {:>5} {:>5} {:>6} {:>6} {:>8}",
            k.total, k.open, k.suggested_for_closure, k.agreed_ad_ref, k.agreed, k.brackets
        );
    }
    if !r.brackets.is_empty() {
        let _ = writeln!(s, "\nBrackets:");
        for b in &r.brackets {
            let text: String = if b.text.chars().count() > 90 {
                b.text.chars().take(89).chain(['…']).collect()
            } else {
                b.text.clone()
            };
            let alts = b
                .alternatives
                .as_ref()
                .map(|a| format!("  (alternatives: {})", a.join(" | ")))
                .unwrap_or_default();
            let _ = writeln!(s, "  {:>8}  {text}{alts}", b.paragraph);
        }
    }
    let _ = writeln!(s, "\nNothing is agreed until everything is agreed.");
    if r.ready {
        let _ = writeln!(s, "READY for adoption: every paragraph agreed, no bracket left.");
    } else {
        let _ = writeln!(s, "NOT READY for adoption:");
        for o in &r.obstacles {
            let _ = writeln!(s, "  - {}", o.message);
        }
    }
    s
}
