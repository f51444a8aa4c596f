//! Where the workspace lives and how a command opens it: the store options
//! every workspace command takes, the store's URL, and the data directory's
//! lock (SQLite: one writer at a time, and what to do when a server holds it).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use accord_workspace::lock::DataDirLock;
use accord_workspace::Workspace;
use clap::Args;

use crate::Failure;

/// Where the workspace lives.
#[derive(Args, Clone)]
pub struct StoreOptions {
    /// The data directory (the SQLite database `accord.sqlite3` goes in it; created if missing).
    #[arg(long, default_value = "accord-data", env = "ACCORD_DATA_DIR")]
    pub(crate) data_dir: PathBuf,
    /// A PostgreSQL URL (`postgres://user@host/db`) to use instead of SQLite.
    #[arg(long, env = "ACCORD_DATABASE_URL")]
    pub(crate) database_url: Option<String>,
}

impl StoreOptions {
    /// The SQLite data directory, when the store is SQLite.
    pub(crate) fn sqlite_dir(&self) -> Option<&Path> {
        self.database_url.is_none().then_some(self.data_dir.as_path())
    }
}

/// The store's URL: the PostgreSQL URL, or the SQLite file in the data
/// directory (created if missing).
pub(crate) fn store_url(store: &StoreOptions) -> Result<String, Failure> {
    Ok(match &store.database_url {
        Some(u) => u.clone(),
        None => {
            std::fs::create_dir_all(&store.data_dir).map_err(|e| {
                Failure(format!("{}: cannot create the data directory: {e}", store.data_dir.display()))
            })?;
            store.data_dir.join("accord.sqlite3").to_string_lossy().into_owned()
        }
    })
}

pub(crate) fn open(store: &StoreOptions) -> Result<Arc<Workspace>, Failure> {
    // PostgreSQL's client must be opened outside the async runtime.
    let backend = accord_store::open(&store_url(store)?).map_err(|e| Failure(e.to_string()))?;
    Workspace::open(backend).map_err(|e| Failure(e.to_string()))
}

/// As [`open`], for a server: a shared PostgreSQL database must already be
/// at this version's schema (`accord migrate`); a SQLite file is migrated.
pub(crate) fn open_serving(store: &StoreOptions) -> Result<Arc<Workspace>, Failure> {
    let backend = accord_store::open_for_serving(&store_url(store)?).map_err(|e| Failure(e.to_string()))?;
    // At once, however long the log: processes load as they are asked for
    // and in the background (`accord_workspace::loading`).
    Workspace::open_lazily(backend).map_err(|e| Failure(e.to_string()))
}

/// Opens the workspace holding its data directory's lock (SQLite): for
/// `serve` and the commands that record events, so two writers never keep
/// diverging states of one store ([`accord_workspace::lock`]). Token and
/// account commands and readers open without it, beside a running server.
pub(crate) fn open_exclusive(
    store: &StoreOptions,
    what: &str,
) -> Result<(Arc<Workspace>, Option<DataDirLock>), Failure> {
    let lock = open_exclusive_lock(store, what)?;
    Ok((open(store)?, lock))
}

/// The data directory's lock, for SQLite (PostgreSQL needs none).
pub(crate) fn open_exclusive_lock(store: &StoreOptions, what: &str) -> Result<Option<DataDirLock>, Failure> {
    Ok(match &store.database_url {
        Some(_) => None,
        None => {
            std::fs::create_dir_all(&store.data_dir).map_err(|e| {
                Failure(format!("{}: cannot create the data directory: {e}", store.data_dir.display()))
            })?;
            Some(DataDirLock::acquire(&store.data_dir, what).map_err(|e| in_use(store, what, e))?)
        }
    })
}

/// The refusal of a command whose data directory another process holds: when
/// that is a running server, what to do instead (the server keeps the
/// negotiation in memory and would never see a change written behind it).
fn in_use(store: &StoreOptions, what: &str, e: accord_workspace::WorkspaceError) -> Failure {
    let holder =
        std::fs::read_to_string(store.data_dir.join(accord_workspace::lock::LOCK_FILE)).unwrap_or_default();
    let holder = holder.trim();
    // A second server gets the lock's own message (stop the first, or another directory).
    if !holder.starts_with("accord serve") || what == "accord serve" {
        return Failure(e.to_string());
    }
    Failure(format!(
        "{what}: the data directory {} is in use by a running server ({holder}), which would not see a \
         change written behind its back, so nothing was done. Make the change through the running server (its web \
         pages, or its API under /api/ with a token from `accord token create`), or stop the server and run \
         this command again.",
        store.data_dir.display()
    ))
}
