//! Two writers on one SQLite data directory (issue 11, item 7): a second
//! `accord serve`, or a command that records events, refuses with a message
//! naming the holder's pid, through an OS file lock that the kernel releases
//! on any exit — a `kill -9` leaves no stale lock. Real processes: the lock
//! is between processes.

mod common;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{accord, http, temp_dir, token, Server};

/// Runs `cmd` to its end, or fails the test if it is still running after
/// `limit` (a second server that did not refuse would serve forever).
fn finishes(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("still running after {limit:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn serve(data: &std::path::Path) -> Command {
    let mut cmd = accord();
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--data-dir"]).arg(data);
    cmd
}

#[test]
fn a_second_writer_on_a_data_directory_refuses_naming_the_first() {
    let data = temp_dir("lock");
    let admin = token(&data, None, "secretariat:Test");
    let mut first = Server::start(&data);
    let pid = first.child.id();

    // A second server: refused at once, naming the first's pid.
    let out = finishes(serve(&data), Duration::from_secs(20));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the second server started: {stderr}");
    assert!(stderr.contains(&format!("accord serve (pid {pid})")), "{stderr}");
    assert!(stderr.contains("in use"), "{stderr}");

    // A command that records an event: refused the same way, nothing recorded.
    let mut create = accord();
    create.args(["process", "create", "beside", "--title", "Beside the server", "--data-dir"]).arg(&data);
    let out = finishes(create, Duration::from_secs(20));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the CLI wrote beside the server: {stderr}");
    assert!(stderr.contains(&format!("pid {pid}")), "{stderr}");
    let (st, _) = http(&first.addr, "GET", "/api/processes/beside", Some(&admin), None, None).unwrap();
    assert_eq!(st, 404);

    // Tokens may still be issued while the server runs (it finds them in the store).
    let del = token(&data, Some("beside"), "delegation:alpha");
    assert!(del.starts_with("acc_"), "{del}");

    // kill -9: the kernel releases the lock; the next server starts.
    first.kill();
    let second = Server::start(&data);
    let (st, _) = http(&second.addr, "GET", "/api/health", None, None, None).unwrap();
    assert_eq!(st, 200);
    drop(second);

    // And with no server, the CLI writes.
    let mut create = accord();
    create.args(["process", "create", "after", "--title", "After the server", "--data-dir"]).arg(&data);
    let out = finishes(create, Duration::from_secs(20));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&data);
}
