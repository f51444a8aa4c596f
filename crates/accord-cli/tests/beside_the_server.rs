//! The command line beside a running `accord serve` on the same data (issue
//! 15): a command that would record an event (import a draft, create a
//! process) refuses, saying a server is running and what to do instead, and
//! writes nothing; `accord account reset-password` works beside it (logins
//! read the store), and the first start says how to get a new password.
//! Real processes: the server is a child `accord serve --demo`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{accord, temp_dir, Server};

/// A raw HTTP/1.1 exchange: status, the whole head, and the body.
fn exchange(addr: &str, request: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

/// Whether the web login form accepts `username` with `password`.
fn logs_in(addr: &str, username: &str, password: &str) -> bool {
    let (_, head, body) =
        exchange(addr, &format!("GET /login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"));
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").filter(|c| c.starts_with("accord_csrf=")))
        .and_then(|c| c.split(';').next())
        .expect("a CSRF cookie")
        .to_string();
    let csrf = body.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap();
    let form = format!("csrf={csrf}&username={username}&password={password}&next=%2F");
    let (status, head, _) = exchange(
        addr,
        &format!(
            "POST /login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        ),
    );
    status == 303 && head.contains("accord_session=")
}

fn run(args: &[&str], data: &std::path::Path, stdin: &str) -> (bool, String, String) {
    let mut child = accord()
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn the_cli_refuses_to_write_behind_a_server_and_resets_passwords_beside_it() {
    let data = temp_dir("beside");
    let server = Server::start_with(&data, &["--demo"]);
    let first_start = server.stderr.join("\n");
    let password = first_start
        .split("password for all: ")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .expect("the demo password is printed")
        .to_string();
    assert!(
        first_start.contains("accord account reset-password USERNAME --generate --data-dir"),
        "{first_start}"
    );
    assert!(logs_in(&server.addr, "valdoria", &password));

    // Import and process creation: refused, saying a server runs and what to do.
    let draft = data.join("rev.txt");
    std::fs::write(&draft, "Draft\n\n1. We decide to act.\n").unwrap();
    for args in [
        vec!["import", "ocean-data", draft.to_str().unwrap(), "--label", "Rev.9"],
        vec!["process", "create", "beside", "--title", "Beside the server"],
    ] {
        let (ok, _, stderr) = run(&args, &data, "");
        assert!(!ok, "{args:?} wrote behind the server: {stderr}");
        let pid = server.child.id();
        for needle in [
            "in use by a running server",
            &format!("pid {pid}"),
            "API",
            "stop the server",
            "nothing was done",
        ] {
            assert!(stderr.contains(needle), "{args:?}: `{needle}` not in {stderr}");
        }
    }

    // A new password, beside the running server: the old one stops working at once.
    let (ok, stdout, stderr) = run(&["account", "reset-password", "valdoria", "--generate"], &data, "");
    assert!(ok, "{stderr}");
    let new = stdout.trim().rsplit(' ').next().unwrap().to_string();
    assert_eq!(new.len(), 16, "{stdout}");
    assert!(logs_in(&server.addr, "valdoria", &new), "the new password works on the running server");
    assert!(!logs_in(&server.addr, "valdoria", &password), "the old one no longer does");
    // From standard input; a too-short password and an unknown account are refused.
    let (ok, _, stderr) = run(&["account", "reset-password", "kestrel"], &data, "a long enough passphrase\n");
    assert!(ok, "{stderr}");
    assert!(logs_in(&server.addr, "kestrel", "a+long+enough+passphrase"));
    let (ok, _, stderr) = run(&["account", "reset-password", "kestrel"], &data, "short\n");
    assert!(!ok && !stderr.is_empty());
    let (ok, _, stderr) = run(&["account", "reset-password", "nobody-here", "--generate"], &data, "");
    assert!(!ok && stderr.contains("no account `nobody-here`"), "{stderr}");
    drop(server);

    // The next start says the password was printed before, and how to get a new one.
    let again = Server::start_with(&data, &["--demo"]);
    let second = again.stderr.join("\n");
    assert!(!second.contains("password for all"), "{second}");
    assert!(second.contains("accord account reset-password USERNAME --generate --data-dir"), "{second}");
    drop(again);
    let _ = std::fs::remove_dir_all(&data);
}
