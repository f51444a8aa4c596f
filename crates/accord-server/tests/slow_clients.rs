//! Slow clients (issue 11, item 5): 20,000 connections that sent half a
//! request and stopped exhausted the descriptors and `/api/health` timed
//! out. Now a connection must send its headers in time (an idle keep-alive
//! too), a body must keep coming, and connections beyond a limit are closed
//! at once — while server-sent events stream on. Real sockets, small limits.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use accord_server::listen::{serve_on, ConnectionLimits};
use common::fixture;

const LIMITS: ConnectionLimits = ConnectionLimits {
    max_connections: 16,
    header_timeout: Duration::from_millis(400),
    body_timeout: Duration::from_millis(400),
};

/// Reads until the server closes the connection (or `limit` passes); the
/// bytes read, and whether it closed.
fn until_closed(s: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (out, true),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return (out, true),
            Err(_) => return (out, false),
        }
    }
}

fn health(addr: &str) -> Option<Duration> {
    let start = Instant::now();
    let mut s = TcpStream::connect(addr).ok()?;
    s.write_all(format!("GET /api/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes())
        .ok()?;
    let (bytes, _) = until_closed(&mut s, Duration::from_secs(5));
    String::from_utf8_lossy(&bytes).starts_with("HTTP/1.1 200").then(|| start.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_requests_are_cut_and_the_server_keeps_serving() {
    let f = fixture().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_on(listener, accord_server::app(f.ws.clone()), LIMITS, async {
        let _ = stopped.await;
    }));

    let a = addr.clone();
    let report = tokio::task::spawn_blocking(move || {
        // Twice the limit of connections, each with half a request's headers.
        let mut slow: Vec<TcpStream> = (0..32)
            .map(|_| {
                let mut s = TcpStream::connect(&a).unwrap();
                s.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n").unwrap();
                s
            })
            .collect();
        // Every one is closed by the server: beyond the limit at once, the
        // others when their headers are late.
        let start = Instant::now();
        let closed = slow.iter_mut().map(|s| until_closed(s, Duration::from_secs(3)).1).filter(|c| *c).count();
        let all_closed_in = start.elapsed();
        let health_after = health(&a);

        // A body that stops half way: answered (an error) and closed.
        let mut s = TcpStream::connect(&a).unwrap();
        s.write_all(b"POST /api/processes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":").unwrap();
        let (answer, body_closed) = until_closed(&mut s, Duration::from_secs(3));

        // An idle keep-alive connection is closed too.
        let mut idle = TcpStream::connect(&a).unwrap();
        idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let (first, idle_closed) = until_closed(&mut idle, Duration::from_secs(3));
        (closed, all_closed_in, health_after, String::from_utf8_lossy(&answer).to_string(), body_closed, String::from_utf8_lossy(&first).to_string(), idle_closed)
    })
    .await
    .unwrap();
    let (closed, all_closed_in, health_after, answer, body_closed, first, idle_closed) = report;
    eprintln!("32 half requests on a limit of 16: {closed} closed by the server in {all_closed_in:?}; health then in {health_after:?}");
    assert_eq!(closed, 32);
    assert!(all_closed_in < Duration::from_secs(2), "{all_closed_in:?}");
    assert!(health_after.is_some_and(|t| t < Duration::from_secs(1)), "{health_after:?}");
    assert!(body_closed, "a stalled body keeps its connection: {answer}");
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    assert!(first.starts_with("HTTP/1.1 200") && idle_closed, "{first}");

    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(15), server).await.expect("the server stops").unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_sent_events_outlive_the_header_timeout() {
    let f = fixture().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_on(listener, accord_server::app(f.ws.clone()), LIMITS, async {
        let _ = stopped.await;
    }));
    // A delegate logged in to the web application (the live screen is theirs).
    let delegate = accord_core::negotiation::Actor::Delegation { delegation: "estoria".into() };
    accord_workspace::accounts::create_account(
        &f.ws,
        "estoria",
        "a long pass phrase 42",
        &delegate,
        Some("ocean".into()),
    )
    .await
    .unwrap();
    let session = accord_store::WebSessionRecord {
        hash: accord_workspace::secrets::token_hash("session-secret"),
        username: "estoria".into(),
        csrf: "csrf".into(),
        expires_at_ms: i64::MAX / 2,
    };
    f.ws.with_store(move |st| st.add_web_session(&session)).await.unwrap().unwrap();
    let a = addr.clone();
    let mut s = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(&a).unwrap();
        s.write_all(b"GET /p/ocean/live/1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nCookie: accord_session=session-secret\r\n\r\n").unwrap();
        s
    })
    .await
    .unwrap();
    // Three header timeouts later, a change is recorded; the stream shows it.
    tokio::time::sleep(LIMITS.header_timeout * 3).await;
    let cofac = accord_core::negotiation::Actor::CoFacilitator { name: "Norland".into() };
    let action = accord_core::negotiation::Action::SetStatus {
        paragraph: "1".into(),
        status: accord_core::Status::AgreedAdRef,
        note: None,
        base_revision: 3,
        session: None,
    };
    f.ws.execute("ocean", cofac, action, None).await.expect("the change is recorded");
    let text = tokio::task::spawn_blocking(move || {
        let (bytes, closed) = until_closed(&mut s, Duration::from_secs(2));
        (String::from_utf8_lossy(&bytes).to_string(), closed)
    })
    .await
    .unwrap();
    let (text, closed) = text;
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(!closed, "the event stream was closed: {text}");
    assert!(text.matches("data:").count() >= 2, "the change did not arrive: {text}");
}
