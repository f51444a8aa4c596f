//! `accord migrate`, `accord backup` and `accord restore`: what an operator
//! does to the store itself. The schema of a shared PostgreSQL database
//! changes when an operator says so (`accord serve` refuses a database that
//! is behind); SQLite, one node's own file, is copied online with
//! `VACUUM INTO` and put back only while no server holds it, the file it
//! replaces kept beside it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_store::{Sqlite, Store};
use accord_workspace::lock::DataDirLock;
use clap::Subcommand;

use crate::workspace::{store_url, StoreOptions};
use crate::{emit, Failure};

/// The commands on the store itself.
#[derive(Subcommand)]
pub enum OperationsCommand {
    /// Bring the store's schema up to this version of Accord. `accord serve`
    /// never migrates a shared PostgreSQL database by itself; run this once,
    /// with older nodes stopped, before starting the new version's nodes.
    Migrate {
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Write a consistent copy of the SQLite store to a new file, while the
    /// server runs (for PostgreSQL, use pg_dump).
    Backup {
        /// The backup file to write (must not exist).
        #[arg(long, short)]
        output: PathBuf,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Replace the SQLite store by a backup, with the server stopped. The
    /// backup is checked first (every process replayed); the store it
    /// replaces is kept beside it, renamed.
    Restore {
        /// The backup file (written by `accord backup`).
        backup: PathBuf,
        #[command(flatten)]
        store: StoreOptions,
    },
}

/// Runs one of them.
pub fn run(command: OperationsCommand) -> Result<ExitCode, Failure> {
    match command {
        OperationsCommand::Migrate { store } => migrate(&store),
        OperationsCommand::Backup { output, store } => backup(&output, &store),
        OperationsCommand::Restore { backup, store } => restore(&backup, &store),
    }
}

fn migrate(store: &StoreOptions) -> Result<ExitCode, Failure> {
    let url = store_url(store)?;
    let (before, after) = accord_store::migrate(&url).map_err(|e| Failure(e.to_string()))?;
    if before == after {
        emit(&format!("the schema is up to date (version {after})\n"))?;
    } else {
        emit(&format!("migrated the schema from version {before} to version {after}\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The SQLite file of the store, or why there is none.
fn sqlite_file(store: &StoreOptions, what: &str) -> Result<PathBuf, Failure> {
    match store.sqlite_dir() {
        Some(dir) => Ok(dir.join("accord.sqlite3")),
        None => Err(Failure(format!(
            "{what} is for the SQLite store; for PostgreSQL use pg_dump and pg_restore (or continuous archiving)"
        ))),
    }
}

/// Checks that `file` is a whole Accord store: every process replays.
/// Returns (events, processes).
fn check(file: &Path) -> Result<(usize, usize), Failure> {
    let mut store =
        Sqlite::open(file).map_err(|e| Failure(format!("{}: not an Accord store: {e}", file.display())))?;
    let records = store.events().map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    let states = accord_workspace::workspace::replay(&records)
        .map_err(|e| Failure(format!("{}: the log does not replay: {e}", file.display())))?;
    Ok((records.len(), states.len()))
}

fn backup(output: &Path, store: &StoreOptions) -> Result<ExitCode, Failure> {
    let file = sqlite_file(store, "accord backup")?;
    if !file.exists() {
        return Err(Failure(format!("{}: no store to back up", file.display())));
    }
    let mut live = Sqlite::open(&file).map_err(|e| Failure(e.to_string()))?;
    live.backup_to(output).map_err(|e| Failure(e.to_string()))?;
    drop(live);
    let (events, processes) = check(output)?;
    emit(&format!(
        "backed up {} to {}: {events} events of {processes} processes, checked by replaying them\n",
        file.display(),
        output.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn restore(backup: &Path, store: &StoreOptions) -> Result<ExitCode, Failure> {
    let file = sqlite_file(store, "accord restore")?;
    if !backup.is_file() {
        return Err(Failure(format!("{}: no such backup file", backup.display())));
    }
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure(format!("{}: cannot create the data directory: {e}", dir.display())))?;
    // No server may hold the store while it is replaced.
    let _lock = DataDirLock::acquire(&dir, "accord restore")
        .map_err(|e| Failure(format!("{e}; stop the server before restoring, then start it again")))?;
    // Checked on a copy in the data directory, which is then moved into place.
    let incoming = dir.join("accord.sqlite3.restoring");
    let _ = std::fs::remove_file(&incoming);
    std::fs::copy(backup, &incoming)
        .map_err(|e| Failure(format!("cannot copy {} into {}: {e}", backup.display(), dir.display())))?;
    let (events, processes) = match check(&incoming) {
        Ok(found) => found,
        Err(e) => {
            remove_with_journal(&incoming);
            return Err(e);
        }
    };
    remove_journal(&incoming);
    sync(&incoming)?;
    // The store it replaces, with its journal, kept under another name.
    let kept = if file.exists() {
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let kept = dir.join(format!("accord.sqlite3.before-restore-{stamp}"));
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", file.display()));
            if from.exists() {
                let to = PathBuf::from(format!("{}{suffix}", kept.display()));
                std::fs::rename(&from, &to)
                    .map_err(|e| Failure(format!("cannot set {} aside: {e}", from.display())))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&incoming, &file).map_err(|e| Failure(format!("cannot put the backup in place: {e}")))?;
    sync(&dir)?;
    let kept = kept.map_or(String::new(), |k| format!("; the store it replaces is kept as {}", k.display()));
    emit(&format!(
        "restored {} from {}: {events} events of {processes} processes{kept}\n",
        file.display(),
        backup.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Makes a file (or a directory's entries) durable.
fn sync(path: &Path) -> Result<(), Failure> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Failure(format!("cannot sync {}: {e}", path.display())))
}

/// Removes a database file's WAL and shared-memory files (closed cleanly,
/// they hold nothing the file lacks).
fn remove_journal(file: &Path) {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}

fn remove_with_journal(file: &Path) {
    remove_journal(file);
    let _ = std::fs::remove_file(file);
}
