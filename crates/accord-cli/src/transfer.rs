//! `accord process export` and `accord process import`: one negotiation with
//! its whole history moved between stores (SQLite and PostgreSQL) as a
//! checked file ([`accord_workspace::transfer`]).

use std::path::Path;
use std::process::ExitCode;

use accord_workspace::lock::DataDirLock;
use accord_workspace::transfer;

use crate::workspace::{store_url, StoreOptions};
use crate::{emit, Failure};

/// Writes process `process`'s file to `output` (or standard output).
pub(crate) fn export(
    process: &str,
    output: Option<&Path>,
    store: &StoreOptions,
) -> Result<ExitCode, Failure> {
    let mut backend = accord_store::open(&store_url(store)?).map_err(|e| Failure(e.to_string()))?;
    let records = backend.process_events(process).map_err(|e| Failure(e.to_string()))?;
    if records.is_empty() {
        return Err(Failure(format!("no process `{process}` in this store")));
    }
    let text =
        transfer::write(process, &records).map_err(|e| Failure(format!("process `{process}`: {e}")))?;
    match output {
        Some(path) => {
            crate::export::write_binary(Some(path), text.as_bytes())?;
            eprintln!("exported process `{process}`: {} events to {}", records.len(), path.display());
        }
        None => emit(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads, checks and appends a process file; refuses a process the store
/// already holds. Nothing is written unless everything checks.
pub(crate) fn import(file: &Path, store: &StoreOptions) -> Result<ExitCode, Failure> {
    let text = std::fs::read_to_string(file).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    let checked =
        transfer::read(&text).map_err(|e| Failure(format!("{}: {e}; nothing imported", file.display())))?;
    let process = &checked.header.process;
    let url = store_url(store)?;
    // A server on the same SQLite data directory would not see the events.
    let _lock = match store.sqlite_dir() {
        Some(dir) => {
            Some(DataDirLock::acquire(dir, "accord process import").map_err(|e| Failure(e.to_string()))?)
        }
        None => None,
    };
    let mut backend = accord_store::open(&url).map_err(|e| Failure(e.to_string()))?;
    let existing = backend.process_events_after(process, 0, 1).map_err(|e| Failure(e.to_string()))?;
    if !existing.is_empty() {
        return Err(Failure(format!("process `{process}` is already in this store; nothing imported")));
    }
    backend.append(&checked.records).map_err(|e| Failure(format!("{e}; nothing imported")))?;
    eprintln!(
        "imported process `{process}`: {} events, replayed to state sha256 {}",
        checked.records.len(),
        checked.header.state_sha256
    );
    Ok(ExitCode::SUCCESS)
}
