//! A PDF that cannot be typeset (here: no fonts where the server is told
//! to look) is a clear 500 page saying why, not a hang or a dropped
//! connection. Its own test binary: it changes the process's environment.

use std::sync::Arc;

use accord_core::negotiation::{Action, Actor, ProcessInfo, Publication};
use accord_server::{app, Workspace};
use accord_store::Sqlite;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

#[tokio::test]
async fn a_pdf_that_cannot_be_typeset_is_a_clear_500() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("ACCORD_FONT_DIRS", dir.path().join("no-fonts-here"));
    let store = Sqlite::open(&dir.path().join("accord.sqlite3")).unwrap();
    let ws: Arc<Workspace> = Workspace::open(Box::new(store)).unwrap();
    let sec = Actor::Secretariat { name: "Ana".into() };
    let info = ProcessInfo { title: "Ocean data".into(), public: true, ..Default::default() };
    ws.execute("ocean", sec.clone(), Action::CreateProcess { info }, None).await.unwrap();
    let canonical = accord_workspace::import::canonical_of("Draft\n\n1. We agree to act.\n").unwrap();
    let action = Action::ImportDraft {
        label: "Zero draft".into(),
        canonical,
        publication: Publication::Public,
        lineage: None,
    };
    ws.execute("ocean", sec, action, None).await.unwrap();
    let req = Request::get("/p/ocean/drafts/d1/export.pdf").body(Body::empty()).unwrap();
    let res = app(ws).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(res.headers().get(header::CONTENT_DISPOSITION).is_none());
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("Something went wrong"), "{page}");
    assert!(page.contains("The PDF of the draft could not be made: font file"), "{page}");
    assert!(page.contains("install the Debian package fonts-noto"), "{page}");
}
