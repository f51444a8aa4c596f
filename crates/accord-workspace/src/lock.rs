//! The data directory's lock: one writer of a SQLite data directory at a
//! time. Two servers on one directory would each keep their own state in
//! memory and refuse or lose each other's writes; the second refuses to
//! start instead, naming the first (its pid).
//!
//! The lock is the operating system's (`flock`-style, [`File::try_lock`]):
//! the kernel releases it when the holder exits, however it exits, so a
//! `kill -9` never leaves a stale lock behind. The pid written in the file is
//! only for the message.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::WorkspaceError;

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "accord.lock";

/// An exclusive hold on a data directory, released when dropped (or when
/// the process ends).
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
    path: PathBuf,
}

impl DataDirLock {
    /// Takes the lock of `dir` for this process, whose work is `what` (for
    /// the message another process gets: "accord serve", "a CLI command").
    /// Refuses at once if another process holds it.
    pub fn acquire(dir: &Path, what: &str) -> Result<DataDirLock, WorkspaceError> {
        let path = dir.join(LOCK_FILE);
        let cannot = |e: std::io::Error| {
            WorkspaceError::Unavailable(format!("{}: cannot open the lock file: {e}", path.display()))
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(cannot)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let holder =
                    if holder.is_empty() { "another process".to_string() } else { holder.to_string() };
                return Err(WorkspaceError::InUse(format!(
                    "the data directory {} is in use by {holder}; stop it first, or use another --data-dir",
                    dir.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(cannot(e)),
        }
        // Who holds it, for the message the next one gets.
        let written = file
            .set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{what} (pid {})", std::process::id()))
            .and_then(|()| file.flush());
        written.map_err(cannot)?;
        Ok(DataDirLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_hold_is_refused_naming_the_first_and_the_lock_is_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path(), "accord serve").unwrap();
        // A second open file description conflicts even within one process.
        let e = DataDirLock::acquire(dir.path(), "a CLI command").unwrap_err().to_string();
        assert!(e.contains(&format!("accord serve (pid {})", std::process::id())), "{e}");
        assert!(e.contains("in use"), "{e}");
        drop(first);
        let again = DataDirLock::acquire(dir.path(), "a CLI command").unwrap();
        assert!(again.path().ends_with(LOCK_FILE));
    }
}
