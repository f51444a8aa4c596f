//! Helpers shared by the integration tests that run `accord serve` and talk
//! to it over HTTP: a temp data directory, tokens from the CLI, a server on a
//! free port, and a minimal HTTP/1.1 client (no client library needed).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

pub const SEED: &str = "../../../shared/seeds/000_a85ec3b89659f1a1.txt";

pub fn accord() -> Command {
    Command::new(env!("CARGO_BIN_EXE_accord"))
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Creates a token with the CLI (the server is not running yet).
pub fn token(data: &Path, process: Option<&str>, actor: &str) -> String {
    let mut cmd = accord();
    cmd.args(["token", "create", "--as", actor, "--data-dir"]).arg(data);
    if let Some(p) = process {
        cmd.args(["--process", p]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub struct Server {
    pub child: Child,
    pub addr: String,
    pub stderr: Vec<String>,
}

impl Server {
    pub fn start(data: &Path) -> Server {
        Self::start_with(data, &[])
    }

    pub fn start_with(data: &Path, extra: &[&str]) -> Server {
        let mut child = accord()
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .args(extra)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut stderr = Vec::new();
        let addr = loop {
            let line = lines.next().expect("the server exited before serving").unwrap();
            if let Some(rest) = line.split("http://").nth(1) {
                break rest.split('/').next().unwrap().to_string();
            }
            stderr.push(line);
        };
        // Keep draining stderr so the server never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr, stderr }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One HTTP/1.1 request; `Err` when the connection fails (server gone).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(t) = token {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    if let Some(k) = key {
        req.push_str(&format!("Idempotency-Key: {k}\r\n"));
    }
    req.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let raw = String::from_utf8_lossy(&raw);
    let (head, rest) =
        raw.split_once("\r\n\r\n").ok_or_else(|| std::io::Error::other("truncated response"))?;
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let value = serde_json::from_str(rest).unwrap_or(Value::String(rest.to_string()));
    Ok((status, value))
}

pub struct Client<'a> {
    pub addr: &'a str,
    pub process: &'a str,
}

impl Client<'_> {
    pub fn get(&self, path: &str, token: &str) -> (u16, Value) {
        http(self.addr, "GET", &format!("/api/processes/{}{path}", self.process), Some(token), None, None)
            .unwrap()
    }
    pub fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        http(
            self.addr,
            "POST",
            &format!("/api/processes/{}{path}", self.process),
            Some(token),
            None,
            Some(&body),
        )
        .unwrap()
    }
    pub fn ok(&self, path: &str, token: &str, body: Value) -> Value {
        let (status, v) = self.post(path, token, body.clone());
        assert!(status == 200 || status == 201, "POST {path} {body} → {status} {v}");
        v
    }
}

/// A form request (or a page) with a cookie; the status, the head and the body.
pub fn form(addr: &str, method: &str, path: &str, cookie: &str, body: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_string(), rest.to_string())
}

/// The `name=value` of a cookie the response sets.
pub fn set_cookie(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_string())
}

/// The CSRF token a page's form carries.
pub fn csrf_in(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string()
}

/// Logs in through the form; returns the session cookie.
pub fn log_in(addr: &str, user: &str, password: &str) -> String {
    let (_, head, html) = form(addr, "GET", "/login", "", "");
    let pre = set_cookie(&head, "accord_csrf").unwrap();
    let csrf = csrf_in(&html);
    let (status, head, _) = form(
        addr,
        "POST",
        "/login",
        &pre,
        &format!("csrf={csrf}&username={user}&password={password}&next=/"),
    );
    assert_eq!(status, 303, "login as {user}");
    assert!(head.to_lowercase().contains("httponly") && head.contains("SameSite=Lax"), "{head}");
    set_cookie(&head, "accord_session").unwrap()
}

/// A database of the test's own on the server `base` names; its URL.
pub fn fresh_database(base: &str, name: &str) -> String {
    let mut client = postgres::Client::connect(base, postgres::NoTls).expect("connect to PostgreSQL");
    // One statement at a time: neither may run inside a transaction block.
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .expect("drop the old database");
    client.batch_execute(&format!("CREATE DATABASE {name}")).expect("create the test's database");
    let (url, query) = base.split_once('?').map_or((base, None), |(u, q)| (u, Some(q)));
    let (server, _) = url.rsplit_once('/').expect("a database URL has a path");
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}
