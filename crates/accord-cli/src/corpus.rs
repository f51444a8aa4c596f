//! `accord corpus …` and `accord trace`: the corpus of adopted texts lives in
//! a directory (`documents.json`, and `index.json` once indexed); files are
//! written whole to a temporary name and renamed, so an interrupted command
//! never leaves a half-written corpus.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_core::trace::{CitationStatus, CorpusDocument, CorpusIndex, Trace};

use crate::{emit, emit_json, read_draft, read_text, CorpusAction, Failure, InputOptions, TraceFormat};

fn documents_path(dir: &Path) -> PathBuf {
    dir.join("documents.json")
}

fn index_path(dir: &Path) -> PathBuf {
    dir.join("index.json")
}

pub(crate) fn load_documents(dir: &Path) -> Result<Vec<CorpusDocument>, Failure> {
    let path = documents_path(dir);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| Failure(format!("{}: not a corpus file: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Failure(format!("{}: cannot read: {e}", path.display()))),
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| Failure(format!("{}: cannot write: {e}", path.display())))
}

pub(crate) fn run(action: CorpusAction) -> Result<ExitCode, Failure> {
    match action {
        CorpusAction::Add { files, corpus, symbol, name, aliases, date, input } => {
            if files.len() > 1 && (symbol.is_some() || name.is_some()) {
                return Err(Failure("--symbol and --name apply to one file at a time".into()));
            }
            std::fs::create_dir_all(&corpus)
                .map_err(|e| Failure(format!("{}: cannot create: {e}", corpus.display())))?;
            let mut docs = load_documents(&corpus)?;
            for file in &files {
                let text = read_text(file, &input)?;
                let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let symbol = symbol.clone().unwrap_or(stem);
                let mut doc = if text.contains("<article data-number=") {
                    CorpusDocument::from_article_html(&text, &symbol).ok_or_else(|| {
                        Failure(format!("{}: no articles found in the HTML", file.display()))
                    })?
                } else {
                    let draft = accord_core::parse(&text);
                    if draft.paragraphs.is_empty() {
                        return Err(Failure(format!("{}: no paragraphs found", file.display())));
                    }
                    let title = draft.title.clone().unwrap_or_else(|| symbol.clone());
                    CorpusDocument::from_draft(&draft, &symbol, &title)
                };
                if let Some(n) = &name {
                    doc.name = n.clone();
                }
                doc.aliases.extend(aliases.iter().cloned());
                if date.is_some() {
                    doc.date = date.clone();
                }
                if let Some(same) = docs.iter().find(|d| d.symbol == doc.symbol || d.units == doc.units) {
                    return Err(Failure(format!(
                        "{}: already in the corpus as {} ({}); nothing added",
                        file.display(),
                        same.symbol,
                        same.name
                    )));
                }
                eprintln!("added {} — {} ({} paragraphs or articles)", doc.symbol, doc.name, doc.units.len());
                docs.push(doc);
            }
            let bytes = serde_json::to_vec_pretty(&docs).map_err(|e| Failure(e.to_string()))?;
            write_whole(&documents_path(&corpus), &bytes)?;
            // The index no longer matches: remove it so trace rebuilds it.
            let _ = std::fs::remove_file(index_path(&corpus));
            Ok(ExitCode::SUCCESS)
        }
        CorpusAction::Index { corpus } => {
            let docs = load_documents(&corpus)?;
            if docs.is_empty() {
                return Err(Failure(format!(
                    "{}: the corpus is empty; add documents first",
                    corpus.display()
                )));
            }
            let total = docs.len();
            let mut index = CorpusIndex::default();
            for (k, d) in docs.into_iter().enumerate() {
                eprint!(
                    "\rindexing {}/{total}: {:<40}",
                    k + 1,
                    d.symbol.chars().take(40).collect::<String>()
                );
                index.add(d);
            }
            index.finish();
            eprintln!("\rindexed {total} documents{:40}", "");
            let bytes = serde_json::to_vec(&index).map_err(|e| Failure(e.to_string()))?;
            write_whole(&index_path(&corpus), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        CorpusAction::List { corpus } => {
            let docs = load_documents(&corpus)?;
            let mut out = String::new();
            for d in &docs {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{} units\n",
                    d.symbol,
                    d.name,
                    d.date.as_deref().unwrap_or("-"),
                    d.language.as_deref().unwrap_or("-"),
                    d.units.len()
                ));
            }
            if docs.is_empty() {
                out.push_str("(the corpus is empty)\n");
            }
            emit(&out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load_index(dir: &Path) -> Result<CorpusIndex, Failure> {
    if let Ok(bytes) = std::fs::read(index_path(dir)) {
        if let Ok(mut index) = serde_json::from_slice::<CorpusIndex>(&bytes) {
            index.prepare();
            return Ok(index);
        }
    }
    let docs = load_documents(dir)?;
    if docs.is_empty() {
        return Err(Failure(format!(
            "{}: no corpus here; add adopted texts with `accord corpus add FILE --corpus {}`",
            dir.display(),
            dir.display()
        )));
    }
    Ok(CorpusIndex::build(docs))
}

pub(crate) fn trace(
    file: &Path,
    corpus: &Path,
    format: TraceFormat,
    input: &InputOptions,
) -> Result<ExitCode, Failure> {
    let index = load_index(corpus)?;
    let draft = read_draft(file, input)?;
    let t = accord_core::trace::trace(&draft, &index);
    match format {
        TraceFormat::Json => emit_json(&t)?,
        TraceFormat::Text => emit(&trace_text(&t, &draft))?,
        TraceFormat::Html => emit(&accord_server::render::trace_html(&t, &draft, status_name))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn span(text: &str, [a, b]: [u32; 2]) -> String {
    text.chars().skip(a as usize).take((b - a) as usize).collect()
}

fn status_name(s: CitationStatus) -> &'static str {
    match s {
        CitationStatus::Verified => "verified",
        CitationStatus::Mismatch => "MISMATCH",
        CitationStatus::NotInCorpus => "not in corpus",
    }
}

fn trace_text(t: &Trace, draft: &accord_core::Draft) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} paragraphs reuse adopted text; {} citations checked\n",
        t.paragraphs.len(),
        t.citations.len()
    ));
    for p in &t.paragraphs {
        let text = draft.paragraphs.iter().find(|q| q.id == p.id).map(|q| q.text.as_str()).unwrap_or("");
        for s in &p.sources {
            out.push_str(&format!(
                "\n{} ← {} {} ({} words, similarity {:.2})\n    «{}»\n",
                p.id,
                s.document,
                s.paragraph,
                s.words,
                s.similarity,
                span(text, s.draft_span)
            ));
        }
    }
    if !t.citations.is_empty() {
        out.push_str("\nCitations\n");
        for c in &t.citations {
            out.push_str(&format!(
                "  {:>6}  {} — {}{}\n",
                c.paragraph,
                c.text,
                status_name(c.status),
                c.found_in.as_deref().map(|f| format!(" (the text comes from {f})")).unwrap_or_default()
            ));
        }
    }
    out
}
