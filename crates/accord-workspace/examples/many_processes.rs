//! Writes a SQLite store of many synthetic processes, for `bench/start.sh`
//! (how long a node takes to start serving on a large log).
//!
//! Usage: many_processes DATA_DIR PROCESSES EVENTS_PER_PROCESS

use accord_store::{Sqlite, Store};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, processes, events] = &args[..] else {
        return Err("usage: many_processes DATA_DIR PROCESSES EVENTS_PER_PROCESS".into());
    };
    let processes: u64 = processes.parse().map_err(|_| "PROCESSES: a number")?;
    let events: u64 = events.parse().map_err(|_| "EVENTS_PER_PROCESS: a number (at least 12)")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    let mut store =
        Sqlite::open(&std::path::Path::new(dir).join("accord.sqlite3")).map_err(|e| e.to_string())?;
    for p in 0..processes {
        let records = accord_workspace::synthetic::process(&format!("p{p}"), events)?;
        store.append(&records).map_err(|e| e.to_string())?;
    }
    eprintln!("{dir}: {processes} processes of {events} events");
    Ok(())
}
