//! Documents in and out through the web pages, in process (`tower::ServiceExt`
//! on a temporary SQLite store): each download's status, headers and content
//! read back by the formats' own readers, the public/private rule, the
//! secretariat's upload with every kind of bad file (the event log unchanged),
//! and a delegation's marked-up Word file tabled as proposals.

#[path = "../../accord-formats/tests/docx_support/mod.rs"]
mod docx_support;
mod web_support;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use accord_core::negotiation::{Action, Actor, Participant, ParticipantKind, ProcessInfo, Publication};
use accord_server::{app, Workspace};
use accord_store::Sqlite;
use accord_workspace::accounts::create_account;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";
const ZERO: &str = "Draft outcome on ocean data\n\n\
    1. Recalling its resolution 70/1 of 25 September 2015,\n\n\
    2. Decides to convene [a high-level meeting] in 2027 to review progress;\n\n\
    3. Requests the Secretary-General to report on the implementation.\n";
const INTERNAL: &str = "Draft outcome on ocean data\n\n\
    1. Recalling its resolution 70/1 of 25 September 2015,\n\n\
    2. Decides to convene a high-level meeting in 2028 to review progress;\n\n\
    3. Requests the Secretary-General to report on the implementation.\n";

fn clock() -> Box<dyn Fn() -> i64 + Send + Sync> {
    let t = Arc::new(AtomicI64::new(1_775_000_000_000));
    Box::new(move || t.fetch_add(1000, Ordering::Relaxed))
}

struct Fixture {
    app: axum::Router,
    ws: Arc<Workspace>,
    _dir: tempfile::TempDir,
}

/// An answer: status, headers, body.
struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// A logged-in browser: its session cookie and the CSRF token its forms carry.
struct Browser {
    cookie: String,
    csrf: String,
}

async fn execute(ws: &Workspace, actor: &Actor, action: Action) {
    ws.execute("ocean", actor.clone(), action, None).await.unwrap_or_else(|e| panic!("{e}"));
}

/// Process `ocean` (public), Norway and a group it belongs to, a public zero
/// draft (d1) and an internal revision (d2); accounts for the secretariat,
/// Norway and Valdoria (another delegation).
async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Sqlite::open(&dir.path().join("accord.sqlite3")).unwrap();
    let ws = Workspace::open_with_clock(Box::new(store), clock()).unwrap();
    let sec = Actor::Secretariat { name: "Ana".into() };
    let info = ProcessInfo {
        title: "Ocean data".into(),
        co_facilitators: vec!["Norland".into()],
        public: true,
        ..Default::default()
    };
    execute(&ws, &sec, Action::CreateProcess { info }).await;
    for (id, name, kind, members) in [
        ("norway", "Norway", ParticipantKind::MemberState, vec![]),
        ("valdoria", "Valdoria", ParticipantKind::MemberState, vec![]),
        ("nordic", "Nordic group", ParticipantKind::Group, vec!["norway".to_string()]),
    ] {
        let participant = Participant { id: id.into(), name: name.into(), kind, members };
        execute(&ws, &sec, Action::AddParticipant { participant }).await;
    }
    for (label, text, publication) in
        [("Zero draft", ZERO, Publication::Public), ("Rev.1 (internal)", INTERNAL, Publication::Internal)]
    {
        let canonical = accord_workspace::import::canonical_of(text).unwrap();
        let action = Action::ImportDraft { label: label.into(), canonical, publication, lineage: None };
        execute(&ws, &sec, action).await;
    }
    for (user, actor) in [
        ("ana", sec.clone()),
        ("norway1", Actor::Delegation { delegation: "norway".into() }),
        ("valdoria1", Actor::Delegation { delegation: "valdoria".into() }),
    ] {
        create_account(&ws, user, PASSWORD, &actor, Some("ocean".into())).await.unwrap();
    }
    Fixture { app: app(ws.clone()), ws, _dir: dir }
}

fn set_cookie(a: &Answer, name: &str) -> String {
    a.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next().filter(|kv| kv.starts_with(&format!("{name}="))))
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_string()
}

fn csrf_in(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string()
}

/// A multipart body of text fields and one file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----accord-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Fixture {
    async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let body = axum::body::to_bytes(res.into_body(), 256 << 20).await.unwrap().to_vec();
        Answer { status, headers, body }
    }

    async fn get(&self, path: &str, who: Option<&Browser>) -> Answer {
        let mut req = Request::get(path);
        if let Some(b) = who {
            req = req.header(header::COOKIE, &b.cookie);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    async fn login(&self, user: &str) -> Browser {
        let page = self.get("/login", None).await;
        let pre = set_cookie(&page, "accord_csrf");
        let csrf = csrf_in(&page.text());
        let form = format!("csrf={csrf}&username={user}&password={}&next=/", PASSWORD.replace(' ', "+"));
        let req = Request::post("/login")
            .header(header::COOKIE, &pre)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let done = self.send(req).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "login as {user}: {}", done.text());
        let cookie = set_cookie(&done, "accord_session");
        let home = self.get("/p/ocean", Some(&Browser { cookie: cookie.clone(), csrf: String::new() })).await;
        Browser { cookie, csrf: csrf_in(&home.text()) }
    }

    async fn upload(
        &self,
        path: &str,
        who: &Browser,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Answer {
        let mut all = vec![("csrf", who.csrf.as_str())];
        all.extend_from_slice(fields);
        let (content_type, body) = multipart(&all, file);
        let req = Request::post(path)
            .header(header::COOKIE, &who.cookie)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Imports a draft file as the process page does: the upload answers a
    /// confirmation that says what the file holds (nothing recorded yet),
    /// whose own form then imports it. Answers the second step.
    async fn import(&self, who: &Browser, fields: &[(&str, &str)], file: (&str, &[u8])) -> Answer {
        let before = self.events().await;
        let ask = self.upload("/p/ocean/import", who, fields, Some(file)).await;
        assert_eq!(ask.status, StatusCode::OK, "{}", ask.text());
        assert!(ask.text().contains("Yes, import it"), "{}", ask.text());
        assert_eq!(self.events().await, before, "the first step records nothing");
        let carried = web_support::hidden_fields(&ask.text(), "/p/ocean/import/confirm");
        let body =
            web_support::encode(&carried.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>());
        let req = Request::post("/p/ocean/import/confirm")
            .header(header::COOKIE, &who.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    async fn events(&self) -> usize {
        self.ws.process_events("ocean").await.unwrap().len()
    }

    fn draft(&self, id: &str) -> accord_core::Draft {
        let slot = self.ws.process("ocean").unwrap();
        let s = slot.state.read().unwrap();
        s.draft(id).unwrap().document.clone()
    }
}

fn texts(d: &accord_core::Draft) -> Vec<String> {
    d.paragraphs.iter().map(|p| p.text.clone()).collect()
}

fn assert_download(a: &Answer, content_type: &str, file_name: &str) {
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.header(header::CONTENT_TYPE), content_type);
    assert_eq!(a.header(header::CONTENT_DISPOSITION), format!("attachment; filename=\"{file_name}\""));
    assert_eq!(a.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
}

/// The part of `html` from `start` up to `end` (both must be there).
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let a = html.find(start).unwrap_or_else(|| panic!("no {start} in {html}"));
    let b = html[a..].find(end).map(|b| a + b).unwrap_or_else(|| panic!("no {end} after {start}"));
    &html[a..b]
}

/// Whether `program` runs; under `CI` it must.
fn tool(program: &str) -> bool {
    docx_support::tool(program)
}

#[tokio::test]
async fn a_public_draft_downloads_as_word_pdf_and_akoma_ntoso() {
    let f = fixture().await;
    let zero = f.draft("d1");

    let docx = f.get("/p/ocean/drafts/d1/export.docx", None).await;
    assert_download(&docx, accord_server::web::Format::Docx.content_type(), "ocean-Zero-draft.docx");
    let back = accord_formats::docx::read(&docx.body).unwrap().draft;
    assert_eq!(texts(&back), texts(&zero));

    let xml = f.get("/p/ocean/drafts/d1/export.xml", None).await;
    assert_download(&xml, "application/xml; charset=utf-8", "ocean-Zero-draft.xml");
    let back = accord_formats::akn::read(&xml.body).unwrap();
    assert_eq!(texts(&back), texts(&zero));
    assert!(xml.text().contains("<inline name=\"bracket\""), "the bracket is kept");

    let pdf = f.get("/p/ocean/drafts/d1/export.pdf", None).await;
    assert_download(&pdf, "application/pdf", "ocean-Zero-draft.pdf");
    assert!(pdf.body.starts_with(b"%PDF-"));
    if tool("pdftotext") {
        let text = accord_formats::pdf::to_text(&pdf.body).unwrap();
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("Recalling its resolution 70/1 of 25 September 2015,"), "{words}");
    }

    // The page offers the three downloads beside the HTML export.
    let page = f.get("/p/ocean/drafts/d1", None).await.text();
    insta::assert_snapshot!("draft_downloads", between(&page, "<p class=\"downloads\">", "</p>"));
    for link in [
        "export.docx\" download>Word (.docx)",
        "export.pdf\" download>PDF",
        "export.xml\" download>Akoma Ntoso (XML)",
    ] {
        assert!(page.contains(link), "{link} missing");
    }
}

#[tokio::test]
async fn the_api_exports_a_draft_as_the_page_downloads_it() {
    let f = fixture().await;
    let api = f.get("/api/processes/ocean/drafts/d1/export?format=docx", None).await;
    let page = f.get("/p/ocean/drafts/d1/export.docx", None).await;
    assert_download(&api, accord_server::web::Format::Docx.content_type(), "ocean-Zero-draft.docx");
    assert_eq!(api.body, page.body);
    let xml = f.get("/api/processes/ocean/drafts/d1/export?format=akn", None).await;
    assert_eq!(texts(&accord_formats::akn::read(&xml.body).unwrap()), texts(&f.draft("d1")));
    let internal = f.get("/api/processes/ocean/drafts/d2/export?format=docx", None).await;
    assert_eq!(internal.status, StatusCode::NOT_FOUND);
    let e: serde_json::Value = serde_json::from_slice(&internal.body).unwrap();
    assert_eq!(e["error"]["code"], "not-found", "{e}");
    let bad = f.get("/api/processes/ocean/drafts/d1/export?format=odt", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("give docx, pdf or akn"), "{}", bad.text());
}

#[tokio::test]
async fn a_draft_one_may_not_read_is_a_404_like_an_unknown_one() {
    let f = fixture().await;
    for ext in ["docx", "pdf", "xml"] {
        let internal = f.get(&format!("/p/ocean/drafts/d2/export.{ext}"), None).await;
        let unknown = f.get(&format!("/p/ocean/drafts/d9/export.{ext}"), None).await;
        assert_eq!(internal.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(internal.text().replace("d2", "d9"), unknown.text(), "the same page, but for the id");
        assert!(internal.header(header::CONTENT_DISPOSITION).is_empty());
    }
    // A delegation does not read an internal draft either; the secretariat does.
    let norway = f.login("norway1").await;
    assert_eq!(f.get("/p/ocean/drafts/d2/export.docx", Some(&norway)).await.status, StatusCode::NOT_FOUND);
    let ana = f.login("ana").await;
    let docx = f.get("/p/ocean/drafts/d2/export.docx", Some(&ana)).await;
    assert_download(&docx, accord_server::web::Format::Docx.content_type(), "ocean-Rev.1-internal.docx");
    assert_eq!(texts(&accord_formats::docx::read(&docx.body).unwrap().draft), texts(&f.draft("d2")));
    // Comparing with it is refused the same way.
    let cmp = f.get("/p/ocean/compare/export.docx?old=d1&new=d2", None).await;
    assert_eq!(cmp.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_comparison_downloads_as_tracked_changes_and_as_a_concordance() {
    let f = fixture().await;
    let ana = f.login("ana").await;
    let docx = f.get("/p/ocean/compare/export.docx?old=d1&new=d2", Some(&ana)).await;
    assert_download(
        &docx,
        accord_server::web::Format::Docx.content_type(),
        "ocean-Zero-draft-to-Rev.1-internal.docx",
    );
    // Reject all: the old draft; accept all: the new one.
    let import = accord_formats::docx::read(&docx.body).unwrap();
    // The changes are the co-facilitators', dated with the new draft.
    assert!(!import.tracked_changes.is_empty());
    for c in &import.tracked_changes {
        assert_eq!(c.author.as_deref(), Some("Norland"), "{c:?}");
        assert!(c.date.as_deref().is_some_and(|d| d.starts_with("2026-")), "{c:?}");
    }
    let rejected = import.draft;
    let accepted = accord_formats::docx::read_accepted(&docx.body).unwrap().draft;
    assert_eq!(texts(&rejected), texts(&f.draft("d1")));
    assert_eq!(texts(&accepted), texts(&f.draft("d2")));

    let xml = f.get("/p/ocean/compare/export.xml?old=d1&new=d2", Some(&ana)).await;
    assert_download(&xml, "application/xml; charset=utf-8", "ocean-Zero-draft-to-Rev.1-internal.xml");
    let text = xml.text();
    assert!(text.contains("passiveModifications") && text.contains("textualMod"), "{text}");
    assert_eq!(texts(&accord_formats::akn::read(&xml.body).unwrap()), texts(&f.draft("d2")));
    // Each paragraph keeps its GUID from the draft's own export.
    let own = f.get("/p/ocean/drafts/d2/export.xml", Some(&ana)).await;
    let guids = |xml: &[u8]| {
        let id = accord_formats::akn::read_identity(xml).unwrap();
        let mut g: Vec<String> = id.paragraphs.values().map(|i| i.guid.clone()).collect();
        g.sort();
        g
    };
    assert_eq!(guids(&xml.body), guids(&own.body));

    let page = f.get("/p/ocean/compare?old=d1&new=d2", Some(&ana)).await.text();
    assert!(page.contains("compare/export.docx?old=d1&amp;new=d2"), "{page}");
}

#[tokio::test]
async fn the_secretariat_imports_word_pdf_and_text_files_by_their_content() {
    let f = fixture().await;
    let ana = f.login("ana").await;
    let page = f.get("/p/ocean", Some(&ana)).await.text();
    let form =
        between(&page, "<section aria-labelledby=\"import-h\">", "</section>").replace(&ana.csrf, "[csrf]");
    insta::assert_snapshot!("import_form", form);

    // A Word file, named as a PDF: read by its content.
    let word = accord_formats::docx::write::draft(&f.draft("d2"));
    let done = f.import(&ana, &[("label", "Rev.2"), ("publication", "public")], ("rev2.pdf", &word)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    assert_eq!(done.header(header::LOCATION), "/p/ocean/drafts/d3");
    assert_eq!(texts(&f.draft("d3")), texts(&f.draft("d2")));

    // Text.
    let done = f.import(&ana, &[("label", "Rev.3")], ("rev3.txt", ZERO.as_bytes())).await;
    assert_eq!(done.header(header::LOCATION), "/p/ocean/drafts/d4", "{}", done.text());
    assert_eq!(texts(&f.draft("d4")), texts(&f.draft("d1")));

    // Akoma Ntoso (the zero draft's own export).
    let xml = f.get("/p/ocean/drafts/d1/export.xml", None).await.body;
    let done = f.import(&ana, &[("label", "Rev.3 bis")], ("rev3.xml", &xml)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let d = done.header(header::LOCATION).rsplit('/').next().unwrap().to_string();
    assert_eq!(texts(&f.draft(&d)), texts(&f.draft("d1")));

    // A PDF (our own print of the zero draft).
    if tool("pdftotext") {
        let pdf = accord_print::draft_pdf(&f.draft("d1"), &accord_print::PrintOptions::default()).unwrap();
        let done = f.import(&ana, &[("label", "Rev.4")], ("rev4.pdf", &pdf)).await;
        assert_eq!(done.header(header::LOCATION), "/p/ocean/drafts/d6", "{}", done.text());
        let imported = f.draft("d6");
        assert_eq!(imported.paragraphs.len(), 3);
        assert_eq!(imported.paragraphs[0].text, f.draft("d1").paragraphs[0].text);
    }
}

/// An OLE compound file naming an encrypted package (Word's "Encrypt with Password").
fn encrypted_docx() -> Vec<u8> {
    let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    b.resize(512, 0);
    for s in ["Root Entry", "EncryptionInfo", "EncryptedPackage"] {
        let mut entry: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        entry.resize(128, 0);
        b.extend(entry);
    }
    b
}

/// A one-page PDF with no text on it (what a scan gives).
const IMAGE_ONLY_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// A PDF with a password (the standard security handler, an owner and a
/// user password that poppler cannot open without).
const ENCRYPTED_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n\
4 0 obj<</Filter/Standard/V 1/R 2/O(0123456789abcdef0123456789abcdef)/U(0123456789abcdef0123456789abcdef)/P -4>>endobj\n\
trailer<</Root 1 0 R/Encrypt 4 0 R/ID[<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>]>>\n%%EOF\n";

#[tokio::test]
async fn bad_files_get_the_importers_error_and_nothing_is_imported() {
    let f = fixture().await;
    let ana = f.login("ana").await;
    let word = accord_formats::docx::write::draft(&f.draft("d1"));
    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated.docx", word[..word.len() / 2].to_vec(), "not a readable .docx (zip)"),
        ("secret.docx", encrypted_docx(), "the Word file is encrypted (password-protected)"),
        (
            "no-body.docx",
            docx_support::package(&[("word/styles.xml", docx_support::part("styles", ""))]),
            "no document body",
        ),
        ("empty.txt", b"\n\n   \n".to_vec(), "the input holds only whitespace"),
        ("broken.pdf", b"%PDF-1.7\nthis is not a PDF body at all".to_vec(), "PDF"),
    ];
    if tool("pdftotext") {
        cases.push(("scan.pdf", IMAGE_ONLY_PDF.to_vec(), "the PDF has no text layer"));
        cases.push(("locked.pdf", ENCRYPTED_PDF.to_vec(), "the PDF is encrypted (password-protected)"));
    }
    let before = f.events().await;
    for (name, bytes, expected) in &cases {
        let done = f.upload("/p/ocean/import", &ana, &[("label", "Rev.9")], Some((name, bytes))).await;
        assert_eq!(done.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", done.text());
        let page = done.text();
        assert!(page.contains(name) && page.contains(expected), "{name}: {page}");
        assert!(page.contains("Nothing was imported."), "{page}");
        // The process page again, the form as it was typed.
        assert!(page.contains("id=\"import-error\"") && page.contains("value=\"Rev.9\""), "{page}");
        assert_eq!(f.events().await, before, "{name}: the log is unchanged");
    }

    // Over the limit: a clear 413, nothing imported.
    let big = vec![b'a'; accord_server::web::MAX_UPLOAD_BYTES + 1024];
    let done = f.upload("/p/ocean/import", &ana, &[("label", "Rev.9")], Some(("big.txt", &big))).await;
    assert_eq!(done.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", done.text());
    assert!(done.text().contains("larger than the limit of 50 MB"), "{}", done.text());

    // Without the form's token, or as a delegation: refused, nothing read.
    let stale = Browser { cookie: ana.cookie.clone(), csrf: "forged".into() };
    let done =
        f.upload("/p/ocean/import", &stale, &[("label", "Rev.9")], Some(("z.txt", ZERO.as_bytes()))).await;
    assert_eq!(done.status, StatusCode::FORBIDDEN);
    let nobody = Browser { cookie: String::new(), csrf: String::new() };
    let done =
        f.upload("/p/ocean/import", &nobody, &[("label", "Rev.9")], Some(("z.txt", ZERO.as_bytes()))).await;
    assert_eq!(done.status, StatusCode::UNAUTHORIZED, "{}", done.text());
    let norway = f.login("norway1").await;
    let done =
        f.upload("/p/ocean/import", &norway, &[("label", "Rev.9")], Some(("z.txt", ZERO.as_bytes()))).await;
    assert_eq!(done.status, StatusCode::FORBIDDEN, "{}", done.text());
    assert!(
        done.text().contains("only the secretariat or a co-facilitator may import draft"),
        "{}",
        done.text()
    );
    assert!(!f.get("/p/ocean", Some(&norway)).await.text().contains("/p/ocean/import"));
    assert_eq!(f.events().await, before, "the log is unchanged");
}

/// Imports the formats' marked-up file's base text as the latest draft (d3).
async fn marked_up_base(f: &Fixture) -> Vec<u8> {
    let ana = f.login("ana").await;
    let file = docx_support::marked_up();
    let done = f.import(&ana, &[("label", "Rev.2")], ("base.docx", &file)).await;
    assert_eq!(done.header(header::LOCATION), "/p/ocean/drafts/d3", "{}", done.text());
    file
}

#[tokio::test]
async fn a_delegations_marked_up_word_file_becomes_its_proposals() {
    let f = fixture().await;
    let file = marked_up_base(&f).await;
    let norway = f.login("norway1").await;
    let page = f.get("/p/ocean/compilation", Some(&norway)).await.text();
    assert!(page.contains("action=\"/p/ocean/compilation/markup\""), "{page}");
    let before = f.events().await;

    // Unknown authors: named, nothing tabled.
    let done = f.upload("/p/ocean/compilation/markup", &norway, &[], Some(("marked.docx", &file))).await;
    assert_eq!(done.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", done.text());
    let text = done.text();
    assert!(text.contains("unknown Word author(s): European Union, G77, Norway"), "{text}");
    assert!(text.contains("Nothing was tabled"), "{text}");
    // Mapped to a delegation Norway does not speak for: refused.
    let foreign = "Norway=norway\nG77=nordic\nEuropean Union=valdoria";
    let done = f
        .upload("/p/ocean/compilation/markup", &norway, &[("authors", foreign)], Some(("marked.docx", &file)))
        .await;
    assert_eq!(done.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(done.text().contains("in whose name you may not table"), "{}", done.text());
    // Not a Word file.
    let done =
        f.upload("/p/ocean/compilation/markup", &norway, &[], Some(("marked.docx", ZERO.as_bytes()))).await;
    assert!(done.text().contains("not a Word file"), "{}", done.text());
    assert_eq!(f.events().await, before, "nothing was tabled");

    // Mapped: each change a proposal in its delegation's name, the moves said.
    let authors = "Norway=norway\nG77=nordic\nEuropean Union=norway\n";
    let done = f
        .upload("/p/ocean/compilation/markup", &norway, &[("authors", authors)], Some(("marked.docx", &file)))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let report = done.text();
    assert!(report.contains("Tabled (6)") && report.contains("Not placed (2)"), "{report}");
    assert!(report.contains("paragraph move"), "{report}");
    insta::assert_snapshot!(
        "markup_report",
        between(&report, "<h1>", "<p><a href=\"/p/ocean/compilation\">")
    );
    assert_eq!(f.events().await, before + 6);
    {
        let slot = f.ws.process("ocean").unwrap();
        let s = slot.state.read().unwrap();
        let got: Vec<(&str, &str)> =
            s.proposals.iter().map(|p| (p.paragraph.as_str(), p.author.as_str())).collect();
        assert_eq!(
            got,
            [
                ("1", "norway"),
                ("1", "nordic"),
                ("2", "norway"),
                ("3", "norway"),
                ("3", "nordic"),
                ("3", "nordic")
            ]
        );
        assert_eq!(
            s.proposals[2].rationale.as_deref(),
            Some("2025 reflects the review cycle.\nSee decision 1/CP.21.")
        );
        assert_eq!(s.proposals[2].quote, "2020");
        assert!(s.proposals.iter().all(|p| p.draft == "d3"));
    }

    // The compilation downloads with every proposal attributed.
    let docx = f.get("/p/ocean/compilation/export.docx", Some(&norway)).await;
    assert_download(&docx, accord_server::web::Format::Docx.content_type(), "ocean-Rev.2-compilation.docx");
    let back = texts(&accord_formats::docx::read(&docx.body).unwrap().draft).join("\n");
    assert!(back.contains("p3 — Norway: replace \"2020\" with \"2025\""), "{back}");
    assert!(back.contains("Nordic group"), "{back}");
}

#[tokio::test]
async fn only_a_delegation_tables_from_word_and_a_changed_paragraph_is_not_placed() {
    let f = fixture().await;
    let file = marked_up_base(&f).await;
    let ana = f.login("ana").await;
    let done = f.upload("/p/ocean/compilation/markup", &ana, &[], Some(("marked.docx", &file))).await;
    assert_eq!(done.status, StatusCode::FORBIDDEN, "{}", done.text());

    // A later draft whose paragraph 2 reads otherwise: that change is not placed.
    let current = f.draft("d3");
    let mut text = accord_core::canonical::write(&current);
    let old = &current.paragraphs[1].text;
    text = text.replacen(old.as_str(), &old.replace("latest", "very latest"), 1);
    assert!(text.contains("very latest"), "paragraph 2 holds “latest”: {old}");
    let action = Action::ImportDraft {
        label: "Rev.3".into(),
        canonical: text,
        publication: Publication::Circulated,
        lineage: None,
    };
    execute(&f.ws, &Actor::Secretariat { name: "Ana".into() }, action).await;
    let norway = f.login("norway1").await;
    let authors = "Norway=norway\nG77=norway\nEuropean Union=norway";
    let done = f
        .upload("/p/ocean/compilation/markup", &norway, &[("authors", authors)], Some(("marked.docx", &file)))
        .await;
    let report = done.text();
    assert!(report.contains("Tabled (5)") && report.contains("Not placed (3)"), "{report}");
    assert!(report.contains("does not stand in the draft as in the file"), "{report}");
}

/// Typesetting runs on the blocking pool: on a one-thread runtime, a health
/// check answers while a large draft's PDF is still being made.
#[tokio::test(flavor = "current_thread")]
async fn typesetting_does_not_hold_the_runtime() {
    let f = fixture().await;
    let sec = Actor::Secretariat { name: "Ana".into() };
    let mut text = String::from("Draft outcome on ocean data\n\n");
    for i in 1..=400 {
        text.push_str(&format!(
            "{i}. Decides to convene [a high-level meeting] in {} to review progress;\n\n",
            2000 + i
        ));
    }
    let canonical = accord_workspace::import::canonical_of(&text).unwrap();
    let action = Action::ImportDraft {
        label: "Long".into(),
        canonical,
        publication: Publication::Public,
        lineage: None,
    };
    execute(&f.ws, &sec, action).await;
    let req = Request::get("/p/ocean/drafts/d3/export.pdf").body(Body::empty()).unwrap();
    let pdf = tokio::spawn(f.app.clone().oneshot(req));
    tokio::task::yield_now().await;
    let health = f.send(Request::get("/api/health").body(Body::empty()).unwrap()).await;
    assert_eq!(health.status, StatusCode::OK);
    assert!(!pdf.is_finished(), "the PDF was made on the runtime's only thread");
    let res = pdf.await.unwrap().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[test]
fn file_names_are_safe() {
    use accord_server::web::file_stem;
    assert_eq!(file_stem(&["ocean", "Rev.1 (internal)"]), "ocean-Rev.1-internal");
    assert_eq!(file_stem(&["p", "\"; rm -rf /\r\n"]), "p-rm-rf");
    assert_eq!(file_stem(&["..", "../.."]), "document");
    assert_eq!(file_stem(&["bbnj", "مسودة"]), "bbnj");
    assert!(file_stem(&["x", &"y".repeat(500)]).len() <= 120);
}
