//! Several `accord serve` nodes on one PostgreSQL database (issue 17): three
//! nodes behind a real nginx (the configuration in `deploy/nginx/`) taking
//! writes and serving live screens while one of them is killed with SIGKILL
//! and restarted; and two nodes writing the same paragraph at once.
//!
//! Needs a PostgreSQL server (`ACCORD_TEST_POSTGRES_URL`, which `.ci/run`
//! sets) and nginx; with `CI` set, a missing one fails the test. Each test
//! makes a database of its own, so the nodes follow nothing but the test.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

mod common;
use common::*;

const PROCESS: &str = "nodes";
const PASSWORD: &str = "correct horse battery staple";

/// What the test needs from outside, or why it skips (failing under CI).
fn requirements(test: &str) -> Option<(String, PathBuf)> {
    let url = std::env::var("ACCORD_TEST_POSTGRES_URL").ok();
    let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].iter().map(PathBuf::from).find(|p| p.exists());
    match (url, nginx) {
        (Some(u), Some(n)) => Some((u, n)),
        (u, n) => {
            let missing = if u.is_none() { "ACCORD_TEST_POSTGRES_URL" } else { "nginx" };
            let _ = n;
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but {missing} is missing: the several-nodes test `{test}` cannot run");
            }
            eprintln!("skipping `{test}`: {missing} is missing (with CI set this fails)");
            None
        }
    }
}

/// A database of the test's own, migrated as an operator would (`accord
/// migrate`) before any node starts.
fn migrated_database(base: &str, name: &str) -> String {
    let url = fresh_database(base, name);
    let out = accord().args(["migrate", "--database-url", &url]).output().unwrap();
    assert!(out.status.success(), "accord migrate: {}", String::from_utf8_lossy(&out.stderr));
    url
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One `accord serve` node.
struct Node {
    child: Child,
    addr: String,
}

impl Node {
    fn start(url: &str, data: &Path, port: u16) -> Node {
        let mut child = accord()
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--database-url", url, "--data-dir"])
            .arg(data)
            // Behind nginx on loopback, as `deploy/nginx/` documents.
            .args(["--trusted-proxy", "127.0.0.1"])
            // The test's clients write far faster than a delegation would.
            .env("ACCORD_WRITE_BURST", "1000000")
            .env("ACCORD_WRITE_RATE", "1000000")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("the node exited before serving").unwrap();
            if let Some(rest) = line.split("http://").nth(1) {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        // The node's log, for a failure's message.
        let log = data.join(format!("node-{port}.log"));
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
            for line in lines.map_while(Result::ok) {
                let _ = writeln!(f, "{line}");
            }
        });
        Node { child, addr }
    }

    fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// nginx with the documented configuration, pointed at `nodes`.
struct Proxy {
    child: Child,
    addr: String,
    dir: PathBuf,
}

impl Proxy {
    fn start(nginx: &Path, nodes: &[&str], dir: &Path) -> Proxy {
        let documented =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/nginx/accord.conf"))
                .expect("deploy/nginx/accord.conf");
        let port = free_port();
        let mut conf = String::new();
        let mut upstreams_written = false;
        for line in documented.lines() {
            let t = line.trim_start();
            if t.starts_with("server 127.0.0.1:") {
                if !upstreams_written {
                    for n in nodes {
                        conf.push_str(&format!("    server {n} max_fails=1 fail_timeout=3s;\n"));
                    }
                    upstreams_written = true;
                }
            } else if t.starts_with("listen ") {
                conf.push_str(&format!("    listen 127.0.0.1:{port};\n"));
            } else {
                conf.push_str(line);
                conf.push('\n');
            }
        }
        assert!(upstreams_written, "the documented configuration names its nodes");
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("accord.conf"), conf).unwrap();
        let d = dir.display();
        let main = format!(
            "user root;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 4096; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
               fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
               include {d}/accord.conf;\n}}\n"
        );
        std::fs::write(dir.join("nginx.conf"), main).unwrap();
        let child = Command::new(nginx)
            .args(["-p"])
            .arg(dir)
            .args(["-c"])
            .arg(dir.join("nginx.conf"))
            .args(["-g", "daemon off;"])
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let addr = format!("127.0.0.1:{port}");
        let started = Instant::now();
        while TcpStream::connect(&addr).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "nginx did not start: {}", log(dir));
            std::thread::sleep(Duration::from_millis(50));
        }
        Proxy { child, addr, dir: dir.to_path_buf() }
    }
}

fn log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = &self.dir;
    }
}

fn cli_token(url: &str, process: Option<&str>, actor: &str) -> String {
    let mut cmd = accord();
    cmd.args(["token", "create", "--as", actor, "--database-url", url]);
    if let Some(p) = process {
        cmd.args(["--process", p]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn cli_account(url: &str, username: &str, actor: &str) {
    let mut child = accord()
        .args(["account", "create", username, "--process", PROCESS, "--as", actor, "--database-url", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The SHA-256 of a node's whole derived state (as the secretariat reads it).
fn state_hash(addr: &str, admin: &str) -> Option<(String, u64)> {
    match http(addr, "GET", &format!("/api/processes/{PROCESS}/state"), Some(admin), None, None) {
        Ok((200, v)) => {
            Some((hex(&Sha256::digest(v.to_string().as_bytes())), v["seq"].as_u64().unwrap_or(0)))
        }
        _ => None,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Waits until every node answers the same state; that state's hash and seq.
fn converged(addrs: &[String], admin: &str) -> (String, u64) {
    let started = Instant::now();
    loop {
        let hashes: Vec<Option<(String, u64)>> = addrs.iter().map(|a| state_hash(a, admin)).collect();
        if let Some(Some(first)) = hashes.first() {
            if hashes.iter().all(|h| h.as_ref() == Some(first)) {
                return first.clone();
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the nodes did not converge: {:?}",
            hashes.iter().map(|h| h.as_ref().map(|(_, s)| *s)).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The revision of working paragraph `para` as one node has it.
fn paragraph_revision(addr: &str, token: &str, para: &str) -> Option<u64> {
    let (status, v) =
        http(addr, "GET", &format!("/api/processes/{PROCESS}/working"), Some(token), None, None).ok()?;
    if status != 200 {
        return None;
    }
    v["paragraphs"].as_array()?.iter().find(|p| p["id"] == para)?["revision"].as_u64()
}

/// What one live viewer saw: the revisions it was sent, and its reconnections.
#[derive(Default, Debug)]
struct Seen {
    revisions: Vec<u64>,
    reconnections: u32,
}

/// Follows the live screen of `para` at `first` until `stop`; reconnects
/// through `proxy` (naming the revision it had) whenever the stream ends.
fn follow_live(
    first: String,
    proxy: String,
    cookie: String,
    para: &str,
    stop: Arc<AtomicBool>,
) -> Arc<Mutex<Seen>> {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let out = seen.clone();
    let path = format!("/p/{PROCESS}/live/{para}/events");
    std::thread::spawn(move || {
        let mut addr = first;
        while !stop.load(Ordering::Acquire) {
            let last = seen.lock().unwrap().revisions.last().copied();
            if let Ok(stream) = TcpStream::connect(&addr) {
                stream.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
                let mut req = format!(
                    "GET {path} HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n"
                );
                if let Some(r) = last {
                    req.push_str(&format!("Last-Event-ID: {r}\r\n"));
                }
                req.push_str("\r\n");
                let mut w = &stream;
                if w.write_all(req.as_bytes()).is_ok() {
                    let mut reader = BufReader::new(&stream);
                    let mut line = Vec::new();
                    loop {
                        if stop.load(Ordering::Acquire) {
                            return;
                        }
                        match reader.read_until(b'\n', &mut line) {
                            Ok(0) => break,
                            Ok(_) => {
                                let text = String::from_utf8_lossy(&line);
                                if let Some(id) = text
                                    .trim_end()
                                    .strip_prefix("id: ")
                                    .or(text.trim_end().strip_prefix("id:"))
                                {
                                    if let Ok(r) = id.trim().parse::<u64>() {
                                        seen.lock().unwrap().revisions.push(r);
                                    }
                                }
                                line.clear();
                            }
                            Err(e)
                                if matches!(
                                    e.kind(),
                                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                                ) => {}
                            Err(_) => break,
                        }
                    }
                }
            }
            // The stream ended (its node died): through the proxy from now on.
            seen.lock().unwrap().reconnections += 1;
            addr = proxy.clone();
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    out
}

/// Every proposal's rationale, counted, read a page at a time through `addr`.
fn rationales(addr: &str, token: &str) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    let mut path = format!("/api/processes/{PROCESS}/proposals");
    loop {
        let (status, list) = http(addr, "GET", &path, Some(token), None, None).unwrap();
        assert_eq!(status, 200, "{list}");
        for p in list["proposals"].as_array().unwrap() {
            *seen.entry(p["rationale"].as_str().unwrap_or_default().to_string()).or_default() += 1;
        }
        match list["next"].as_str() {
            Some(cursor) => path = format!("/api/processes/{PROCESS}/proposals?after={cursor}"),
            None => return seen,
        }
    }
}

/// Sets up the process through `addr`: participants, a draft, accounts.
fn set_up(url: &str, addr: &str, delegations: usize) -> (String, String, Vec<String>) {
    let admin = cli_token(url, None, "secretariat:Test");
    let cofac = cli_token(url, Some(PROCESS), "co-facilitator:A");
    let dels: Vec<String> =
        (0..delegations).map(|d| cli_token(url, Some(PROCESS), &format!("delegation:d{d}"))).collect();
    let c = Client { addr, process: PROCESS };
    let (st, v) = http(
        addr,
        "POST",
        "/api/processes",
        Some(&admin),
        None,
        Some(&json!({"id": PROCESS, "title": "Several nodes", "co_facilitators": ["A"]})),
    )
    .unwrap();
    assert_eq!(st, 201, "{v}");
    // Each through the proxy, so through whichever node: each must see the last.
    for d in 0..delegations {
        c.ok(
            "/participants",
            &admin,
            json!({"id": format!("d{d}"), "name": format!("D{d}"), "kind": "member-state"}),
        );
    }
    c.ok(
        "/drafts",
        &cofac,
        json!({"label": "Zero draft", "text": "1. We agree.\n\n2. We act [now].\n\n3. We review.\n", "publication": "circulated"}),
    );
    (admin, cofac, dels)
}

#[test]
fn three_nodes_behind_nginx_lose_nothing_when_one_is_killed() {
    let Some((base, nginx)) = requirements("three_nodes_behind_nginx_lose_nothing_when_one_is_killed") else {
        return;
    };
    let url = migrated_database(&base, &format!("accord_nodes_three_{}", std::process::id()));
    let data = temp_dir("nodes-three");
    let ports = [free_port(), free_port(), free_port()];
    let mut nodes: Vec<Node> = ports.iter().map(|p| Node::start(&url, &data, *p)).collect();
    let addrs: Vec<String> = nodes.iter().map(|n| n.addr.clone()).collect();
    let proxy =
        Proxy::start(&nginx, &addrs.iter().map(String::as_str).collect::<Vec<_>>(), &data.join("nginx"));
    eprintln!("three nodes at {addrs:?} behind nginx at {}", proxy.addr);
    let (admin, cofac, dels) = set_up(&url, &proxy.addr, 6);
    converged(&addrs, &admin);
    eprintln!("set up");

    // Viewers: two on each node directly, logged in through the proxy (a
    // session made on one node is good on every node).
    cli_account(&url, "viewer", "delegation:d0");
    let cookie = log_in(&proxy.addr, "viewer", &PASSWORD.replace(' ', "+"));
    let stop_viewers = Arc::new(AtomicBool::new(false));
    let viewers: Vec<Arc<Mutex<Seen>>> = addrs
        .iter()
        .flat_map(|a| [a.clone(), a.clone()])
        .map(|a| follow_live(a, proxy.addr.clone(), cookie.clone(), "2", stop_viewers.clone()))
        .collect();

    // Writers: six delegations table proposals through the proxy; the
    // co-facilitator keeps rewriting paragraph 2 (what the viewers follow).
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Arc<Mutex<HashSet<String>>> = Arc::default();
    let statuses: Arc<Mutex<Vec<(Instant, u16)>>> = Arc::default();
    let compromises = Arc::new(AtomicU64::new(0));
    let mut writers = Vec::new();
    for (d, token) in dels.iter().enumerate() {
        let (stop, ack, statuses, token, proxy) =
            (stop.clone(), acknowledged.clone(), statuses.clone(), token.clone(), proxy.addr.clone());
        writers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Acquire) {
                let key = format!("d{d}-{n}");
                let body = json!({"paragraph": "3", "edit": {"kind": "insert", "at": 0, "text": "Also, "}, "rationale": key});
                // The same request, with the same key, until it is acknowledged.
                let since = Instant::now();
                loop {
                    assert!(since.elapsed() < Duration::from_secs(60), "tabling {key}: no answer but 5xx for a minute");
                    match http(&proxy, "POST", &format!("/api/processes/{PROCESS}/proposals"), Some(&token), Some(&key), Some(&body)) {
                        Ok((201, _)) => {
                            statuses.lock().unwrap().push((Instant::now(), 201));
                            ack.lock().unwrap().insert(key.clone());
                            break;
                        }
                        Ok((status, v)) => {
                            statuses.lock().unwrap().push((Instant::now(), status));
                            assert!(status >= 500, "tabling {key}: {status} {v}");
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        Err(_) => {
                            statuses.lock().unwrap().push((Instant::now(), 599));
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    }
                }
                n += 1;
            }
        }));
    }
    {
        let (stop, statuses, cofac, proxy, compromises) =
            (stop.clone(), statuses.clone(), cofac.clone(), proxy.addr.clone(), compromises.clone());
        writers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Acquire) {
                let Some(rev) = paragraph_revision(&proxy, &cofac, "2") else {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                let body = json!({"text": format!("We act [now], version {n}."), "base_revision": rev});
                match http(
                    &proxy,
                    "POST",
                    &format!("/api/processes/{PROCESS}/working/2/compromise"),
                    Some(&cofac),
                    None,
                    Some(&body),
                ) {
                    Ok((s @ (200 | 201), _)) => {
                        statuses.lock().unwrap().push((Instant::now(), s));
                        compromises.fetch_add(1, Ordering::Relaxed);
                        n += 1;
                    }
                    // Read on a node a moment behind: a real conflict, said so.
                    Ok((409, _)) => {}
                    Ok((status, v)) => {
                        statuses.lock().unwrap().push((Instant::now(), status));
                        assert!(status >= 500, "compromise: {status} {v}");
                    }
                    Err(_) => statuses.lock().unwrap().push((Instant::now(), 599)),
                }
                std::thread::sleep(Duration::from_millis(30));
            }
        }));
    }

    eprintln!("viewers and writers started");
    std::thread::sleep(Duration::from_secs(4));
    let killed_at = Instant::now();
    nodes[1].kill();
    std::thread::sleep(Duration::from_secs(1));
    nodes[1] = Node::start(&url, &data, ports[1]);
    let restarted_at = Instant::now();
    std::thread::sleep(Duration::from_secs(4));
    stop.store(true, Ordering::Release);
    for w in writers {
        w.join().expect("a writer failed");
    }
    eprintln!("writers stopped");

    // Every node ends with the same state.
    let (hash, seq) = converged(&addrs, &admin);
    // Every acknowledged proposal is there once; nothing else is.
    let ack = acknowledged.lock().unwrap().clone();
    let seen = rationales(&proxy.addr, &dels[0]);
    let missing: Vec<&String> = ack.iter().filter(|k| !seen.contains_key(*k)).collect();
    eprintln!(
        "{} acknowledged, {} recorded, {} missing: {:?}",
        ack.len(),
        seen.len(),
        missing.len(),
        &missing[..missing.len().min(20)]
    );
    for k in &ack {
        assert_eq!(seen.get(k), Some(&1), "acknowledged proposal {k} lost or doubled");
    }
    assert_eq!(seen.len(), ack.len(), "proposals recorded that no client had acknowledged");
    // No 5xx but around the kill: in flight on the killed node, or sent to
    // it before nginx saw it was gone.
    let window = killed_at..restarted_at + Duration::from_secs(2);
    let statuses = statuses.lock().unwrap();
    let outside: Vec<_> = statuses.iter().filter(|(t, s)| *s >= 500 && !window.contains(t)).collect();
    assert!(
        outside.is_empty(),
        "5xx outside the kill: {:?}",
        outside.iter().map(|(_, s)| s).collect::<Vec<_>>()
    );
    let failed = statuses.iter().filter(|(_, s)| *s >= 500).count();
    // Every viewer ends on the paragraph's last revision.
    let last = paragraph_revision(&addrs[0], &cofac, "2").unwrap();
    let started = Instant::now();
    loop {
        let behind: Vec<usize> = viewers
            .iter()
            .enumerate()
            .filter(|(_, v)| v.lock().unwrap().revisions.last() != Some(&last))
            .map(|(i, _)| i)
            .collect();
        if behind.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "viewers {behind:?} did not reach revision {last}: {:?}",
            viewers.iter().map(|v| v.lock().unwrap().revisions.last().copied()).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    stop_viewers.store(true, Ordering::Release);
    let reconnected: u32 = viewers.iter().map(|v| v.lock().unwrap().reconnections).sum();
    assert!(reconnected >= 2, "the killed node's two viewers reconnected through the proxy");
    let updates: usize = viewers.iter().map(|v| v.lock().unwrap().revisions.len()).sum();
    eprintln!(
        "three nodes: {} proposals and {} compromise texts acknowledged, {failed} answers 5xx or cut around the \
         kill, state {seq} events ({}), {} live updates to {} viewers, {reconnected} reconnections",
        ack.len(),
        compromises.load(Ordering::Relaxed),
        &hash[..12],
        updates,
        viewers.len()
    );
    assert!(
        ack.len() > 100 && compromises.load(Ordering::Relaxed) > 10,
        "the run did too little to prove anything"
    );
    drop(proxy);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn two_nodes_writing_the_same_paragraph_never_diverge() {
    let Some((base, _)) = requirements("two_nodes_writing_the_same_paragraph_never_diverge") else {
        return;
    };
    let url = migrated_database(&base, &format!("accord_nodes_two_{}", std::process::id()));
    let data = temp_dir("nodes-two");
    let a = Node::start(&url, &data, free_port());
    let b = Node::start(&url, &data, free_port());
    let addrs = vec![a.addr.clone(), b.addr.clone()];
    // Set up on one node, used at once on the other.
    let (admin, cofac, dels) = set_up(&url, &a.addr, 4);

    // Writes that do not conflict (tabling on one paragraph from both nodes
    // at once) all succeed: a node that was behind catches up and retries.
    let tabled: Vec<_> = dels
        .iter()
        .enumerate()
        .map(|(d, token)| {
            let (token, addrs) = (token.clone(), addrs.clone());
            std::thread::spawn(move || {
                let mut answers: HashMap<u16, usize> = HashMap::new();
                for n in 0..60 {
                    let body = json!({"paragraph": "2", "edit": {"kind": "insert", "at": 0, "text": "Also, "}, "rationale": format!("d{d}-{n}")});
                    let (status, v) = http(&addrs[n % 2], "POST", &format!("/api/processes/{PROCESS}/proposals"), Some(&token), None, Some(&body)).unwrap();
                    if status != 201 {
                        eprintln!("tabling d{d}-{n}: {status} {v}");
                    }
                    *answers.entry(status).or_default() += 1;
                }
                answers
            })
        })
        .collect();
    for t in tabled {
        let answers = t.join().unwrap();
        assert_eq!(
            answers.get(&201),
            Some(&60),
            "every proposal tabled at once on two nodes is recorded: {answers:?}"
        );
    }
    // Writes that do conflict (two co-facilitators rewriting paragraph 2
    // from the same revision, one on each node): one wins, the other gets
    // 409 with the paragraph as it now stands.
    for round in 0..20 {
        let (_, seq) = converged(&addrs, &admin);
        let rev = paragraph_revision(&a.addr, &cofac, "2").unwrap();
        let racers: Vec<_> = addrs
            .iter()
            .enumerate()
            .map(|(i, addr)| {
                let (addr, cofac) = (addr.clone(), cofac.clone());
                std::thread::spawn(move || {
                    let body = json!({"text": format!("We act [now], round {round} by node {i}."), "base_revision": rev});
                    http(&addr, "POST", &format!("/api/processes/{PROCESS}/working/2/compromise"), Some(&cofac), None, Some(&body)).unwrap()
                })
            })
            .collect();
        let answers: Vec<(u16, Value)> = racers.into_iter().map(|r| r.join().unwrap()).collect();
        let mut statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
        statuses.sort();
        assert_eq!(statuses, vec![200, 409], "round {round} after event {seq}: {answers:?}");
        let (_, conflict) = answers.iter().find(|(s, _)| *s == 409).unwrap();
        let winner = answers.iter().find(|(s, _)| *s == 200).unwrap();
        let _ = winner;
        assert!(
            conflict.to_string().contains(&format!("round {round} by node")),
            "the 409 shows the paragraph as the winner left it: {conflict}"
        );
    }
    let (hash, seq) = converged(&addrs, &admin);
    let seen = rationales(&b.addr, &dels[0]);
    assert_eq!(seen.len(), 240);
    assert!(seen.values().all(|&n| n == 1));
    eprintln!(
        "two nodes: 240 proposals tabled at once, 20 races decided, state {seq} events ({})",
        &hash[..12]
    );
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_node_refuses_a_database_behind_its_schema_until_it_is_migrated() {
    let Some((base, _)) = requirements("a_node_refuses_a_database_behind_its_schema_until_it_is_migrated")
    else {
        return;
    };
    let url = fresh_database(&base, &format!("accord_nodes_migrate_{}", std::process::id()));
    let data = temp_dir("nodes-migrate");
    let out = accord()
        .args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url, "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("accord migrate"), "{said}");
    let out = accord().args(["migrate", "--database-url", &url]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && said.contains("from version 0 to version"), "{said}");
    let node = Node::start(&url, &data, free_port());
    let (st, _) = http(&node.addr, "GET", "/readyz", None, None, None).unwrap();
    assert!(st == 200 || st == 503, "the migrated database is served");
    let _ = std::fs::remove_dir_all(&data);
}

/// One login attempt through the form on `addr`, as the client `client`
/// (the address a proxy in front of the node names); the answer's status.
fn login_as_client(addr: &str, client: &str, user: &str, password: &str) -> u16 {
    let (_, head, html) = form(addr, "GET", "/login", "", "");
    let pre = set_cookie(&head, "accord_csrf").unwrap();
    let body =
        format!("csrf={}&username={user}&password={}&next=/", csrf_in(&html), password.replace(' ', "+"));
    let mut s = TcpStream::connect(addr).unwrap();
    let req = format!(
        "POST /login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {pre}\r\n\
         X-Forwarded-For: {client}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = String::new();
    let _ = std::io::Read::read_to_string(&mut s, &mut raw);
    raw.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[test]
fn login_limits_hold_across_nodes_and_count_clients_behind_the_proxy() {
    let Some((base, _)) = requirements("login_limits_hold_across_nodes_and_count_clients_behind_the_proxy")
    else {
        return;
    };
    let url = migrated_database(&base, &format!("accord_nodes_login_{}", std::process::id()));
    let data = temp_dir("nodes-login");
    let a = Node::start(&url, &data, free_port());
    let b = Node::start(&url, &data, free_port());
    set_up(&url, &a.addr, 1);
    cli_account(&url, "ana", "delegation:d0");
    // A guesser alternating between the nodes gets one allowance, not one
    // per node: the sixth wrong password in a row waits, on either node.
    let guesser = "198.51.100.7";
    for n in 0..5 {
        let node = if n % 2 == 0 { &a } else { &b };
        assert_eq!(login_as_client(&node.addr, guesser, "ana", "wrong"), 401, "wrong password {n}");
    }
    assert_eq!(login_as_client(&a.addr, guesser, "ana", "wrong"), 429, "node a counts node b's failures");
    assert_eq!(login_as_client(&b.addr, guesser, "ana", PASSWORD), 429, "even the right password waits");
    // The owner, at another address behind the same proxy, is not slowed:
    // the node counts the client the proxy names, not the proxy.
    assert_eq!(login_as_client(&b.addr, "203.0.113.20", "ana", PASSWORD), 303);
    let _ = std::fs::remove_dir_all(&data);
}
