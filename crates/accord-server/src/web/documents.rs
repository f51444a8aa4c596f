//! Documents out through the web pages: a draft, a comparison and the
//! compilation downloaded as Word, PDF or Akoma Ntoso (the uploads are
//! `uploads.rs`).
//!
//! The read rules are the HTML pages' (a draft one may not read is a 404
//! exactly like an unknown one) and every change goes through
//! [`Workspace::execute`]. Writing and reading files is CPU work: it runs on
//! tokio's blocking pool, on copies taken under the process's lock, so the
//! async runtime and the lock are never held by a typesetter.

use super::*;

use accord_core::negotiation::{CompilationEntry, CompilationParagraph, Proposal};
use accord_core::Draft;
use accord_formats::akn::{AknOptions, Identity};
use axum::http::HeaderValue;

/// The media type of a Word document.
pub const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// The media type of a PDF.
pub const PDF_TYPE: &str = "application/pdf";
/// The media type of an Akoma Ntoso document (generic XML: AKN has no registered type).
pub const AKN_TYPE: &str = "application/xml; charset=utf-8";

/// A format a document is downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word (.docx).
    Docx,
    /// The circulation PDF.
    Pdf,
    /// Akoma Ntoso 3.0 (AKN4UN) XML.
    Akn,
}

impl Format {
    /// The format named `docx`, `pdf` or `akn` (also `xml`).
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            "akn" | "xml" => Some(Format::Akn),
            _ => None,
        }
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => DOCX_TYPE,
            Format::Pdf => PDF_TYPE,
            Format::Akn => AKN_TYPE,
        }
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Format::Docx => "Word file",
            Format::Pdf => "PDF",
            Format::Akn => "Akoma Ntoso file",
        }
    }

    /// Its file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Akn => "xml",
        }
    }
}

/// A file name stem from its parts (process, draft label…): ASCII letters,
/// digits, `.` and `_` kept, every other run of characters one `-`, so no
/// quote, slash or control character reaches a `Content-Disposition` header
/// or a user's disk. Falls back to `document` when nothing is left.
pub fn file_stem(parts: &[&str]) -> String {
    let mut out = String::new();
    for c in parts.join("-").chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut stem: String = out.trim_matches(['-', '.']).chars().take(120).collect();
    stem.truncate(stem.trim_end_matches(['-', '.']).len());
    if stem.is_empty() {
        "document".into()
    } else {
        stem
    }
}

/// The bytes as a download named `stem.ext`.
fn attachment(format: Format, stem: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{stem}.{}\"", format.extension());
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(format.content_type())),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            // A draft may be internal: never in a shared cache.
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
        ],
        bytes,
    )
        .into_response()
}

/// Runs CPU work on the blocking pool, at most one job per core at a time
/// (a burst of PDF requests queues instead of starting hundreds of
/// typesetters); a panic there is an error, not a crash.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    static JOBS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let jobs = JOBS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });
    let _permit = jobs.acquire().await.map_err(|_| "the server is stopping".to_string())?;
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| Err(format!("the task stopped: {e}")))
}

/// A document that could not be made: logged, and a 500 saying why.
fn failure(what: &str, message: &str) -> ApiError {
    tracing::error!(error = %message, document = what, "a download could not be made");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        format!("The {what} could not be made: {message}"),
    )
}

/// The Akoma Ntoso description of a process's drafts.
fn akn_options(s: &ProcessState, draft_id: &str) -> AknOptions {
    AknOptions {
        co_facilitators: s.info.co_facilitators.clone(),
        delegations: s.participants.iter().map(|p| p.name.clone()).collect(),
        adopted: s.adoption.as_ref().is_some_and(|a| a.draft == draft_id),
        ..AknOptions::default()
    }
}

/// The drafts of the process from the first to `id`, for the paragraphs'
/// identities (a GUID follows a paragraph's lineage through every draft).
fn series_to(s: &ProcessState, id: &str) -> Vec<Draft> {
    let end = s.drafts.iter().position(|d| d.id == id).map_or(0, |i| i + 1);
    s.drafts[..end].iter().map(|d| d.document.clone()).collect()
}

/// The identity of the last draft of `series`, carried from the first along
/// each comparison.
fn identity_along(series: &[Draft]) -> Option<Identity> {
    let (first, rest) = series.split_first()?;
    let mut identity = Identity::fresh(first, None);
    let mut previous = first;
    for d in rest {
        identity = identity.follow(&accord_core::compare(previous, d), d);
        previous = d;
    }
    Some(identity)
}

/// How the server prints: the Noto fonts where Debian puts them, or in the
/// directories `ACCORD_FONT_DIRS` names (separated by `:`) on other systems.
fn print_options() -> accord_print::PrintOptions {
    let mut options = accord_print::PrintOptions::default();
    if let Some(dirs) = std::env::var_os("ACCORD_FONT_DIRS") {
        options.font_dirs = std::env::split_paths(&dirs).collect();
    }
    options
}

fn draft_bytes(format: Format, series: Vec<Draft>, mut options: AknOptions) -> Result<Vec<u8>, String> {
    let draft = series.last().ok_or("the draft is gone")?;
    match format {
        Format::Docx => Ok(accord_formats::docx::write::draft(draft)),
        Format::Pdf => accord_print::draft_pdf(draft, &print_options()).map_err(|e| e.to_string()),
        Format::Akn => {
            options.identity = identity_along(&series);
            Ok(accord_formats::akn::write(draft, &options).into_bytes())
        }
    }
}

/// The route's parameters: process and draft.
type DraftPath = Path<(String, String)>;

/// `GET /p/{process}/drafts/{draft}/export.docx`.
pub(super) async fn draft_docx(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((p, d)): DraftPath,
) -> Response {
    draft_download(web, headers, p, d, Format::Docx).await
}

/// `GET /p/{process}/drafts/{draft}/export.pdf`.
pub(super) async fn draft_pdf(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((p, d)): DraftPath,
) -> Response {
    draft_download(web, headers, p, d, Format::Pdf).await
}

/// `GET /p/{process}/drafts/{draft}/export.xml`.
pub(super) async fn draft_xml(
    State(web): State<Web>,
    headers: HeaderMap,
    Path((p, d)): DraftPath,
) -> Response {
    draft_download(web, headers, p, d, Format::Akn).await
}

/// A draft of a process as a download in `format`.
async fn draft_download(web: Web, headers: HeaderMap, pid: String, did: String, format: Format) -> Response {
    let v = web.viewer(&headers).await;
    let back = format!("/p/{pid}/drafts/{did}");
    let job = in_process(&web, &pid, &v, |s, a| DraftFile::of(s, a, &pid, &did, format));
    let job = match job {
        Ok(j) => j,
        Err(e) => return login_or_error(&v, &headers, e, &back),
    };
    job.make().await.unwrap_or_else(|e| error_page(&v, &headers, e, &back))
}

/// A draft file to make: a copy of what it needs, taken under the process's
/// lock, made later on the blocking pool (the web download and the API's
/// `…/drafts/{draft}/export?format=` share it).
pub struct DraftFile {
    format: Format,
    stem: String,
    /// The drafts from the first to this one (only this one unless AKN).
    series: Vec<Draft>,
    options: AknOptions,
}

impl DraftFile {
    /// The file of draft `did` in `format` if `actor` may read it; a 404
    /// exactly like an unknown draft's if not.
    pub fn of(
        s: &ProcessState,
        actor: Option<&Actor>,
        pid: &str,
        did: &str,
        format: Format,
    ) -> Result<DraftFile, ApiError> {
        let d = policy::readable_draft(s, actor, did)
            .ok_or_else(|| ApiError::not_found(format!("no draft `{did}`")))?;
        let series = if format == Format::Akn { series_to(s, &d.id) } else { vec![d.document.clone()] };
        Ok(DraftFile { format, stem: file_stem(&[pid, &d.label]), series, options: akn_options(s, &d.id) })
    }

    /// Makes the file, off the async runtime: the download, or a 500 that
    /// says why (and is logged).
    pub async fn make(self) -> Result<Response, ApiError> {
        let DraftFile { format, stem, series, options } = self;
        match blocking(move || draft_bytes(format, series, options)).await {
            Ok(bytes) => Ok(attachment(format, &stem, bytes)),
            Err(m) => Err(failure(&format!("{} of the draft", format.label()), &m)),
        }
    }
}

/// The two drafts of a comparison as the viewer may read them.
struct PairCopy {
    stem: String,
    old: Draft,
    new: Draft,
    /// The drafts up to the old one (for the concordance's identities).
    old_series: Vec<Draft>,
    options: AknOptions,
    author: String,
    date: String,
}

fn pair_copy(
    s: &ProcessState,
    a: Option<&Actor>,
    pid: &str,
    old: &str,
    new: &str,
) -> Result<PairCopy, ApiError> {
    let find = |id: &str| {
        policy::readable_draft(s, a, id).ok_or_else(|| ApiError::not_found(format!("no draft `{id}`")))
    };
    let (o, n) = (find(old)?, find(new)?);
    let author = match s.info.co_facilitators.as_slice() {
        [] => "Co-facilitators".to_string(),
        names => names.join(" and "),
    };
    Ok(PairCopy {
        stem: file_stem(&[pid, &o.label, "to", &n.label]),
        old: o.document.clone(),
        new: n.document.clone(),
        old_series: series_to(s, &o.id),
        options: akn_options(s, &n.id),
        author,
        // The new draft's own date: the same comparison is the same file.
        date: accord_core::negotiation::rfc3339(n.at_ms),
    })
}

fn comparison_bytes(format: Format, p: PairCopy) -> Result<Vec<u8>, String> {
    let c = accord_core::compare(&p.old, &p.new);
    match format {
        Format::Docx => {
            let by = accord_formats::docx::redline::Authorship { author: p.author, date: p.date };
            Ok(accord_formats::docx::redline::comparison(&p.old, &p.new, &c, &by))
        }
        Format::Akn => {
            let identity = identity_along(&p.old_series);
            Ok(accord_formats::akn::concordance(&c, &p.old, &p.new, identity.as_ref(), &p.options)
                .into_bytes())
        }
        Format::Pdf => Err("a comparison is not printed; download it as Word".into()),
    }
}

/// `GET /p/{process}/compare/export.docx?old=…&new=…`: the comparison as
/// Word tracked changes (reject all: the old draft; accept all: the new).
pub(super) async fn compare_docx(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Query(q): Query<ComparePair>,
) -> Response {
    compare_download(web, headers, pid, q, Format::Docx).await
}

/// `GET /p/{process}/compare/export.xml?old=…&new=…`: the new draft in Akoma
/// Ntoso with the concordance from the old one.
pub(super) async fn compare_xml(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Query(q): Query<ComparePair>,
) -> Response {
    compare_download(web, headers, pid, q, Format::Akn).await
}

/// A comparison of two drafts as a download in `format`.
async fn compare_download(
    web: Web,
    headers: HeaderMap,
    pid: String,
    q: ComparePair,
    format: Format,
) -> Response {
    let v = web.viewer(&headers).await;
    let back = format!("/p/{pid}/compare?old={}&new={}", q.old, q.new);
    let copy = in_process(&web, &pid, &v, |s, a| pair_copy(s, a, &pid, &q.old, &q.new));
    let copy = match copy {
        Ok(c) => c,
        Err(e) => return login_or_error(&v, &headers, e, &back),
    };
    let stem = copy.stem.clone();
    match blocking(move || comparison_bytes(format, copy)).await {
        Ok(bytes) => attachment(format, &stem, bytes),
        Err(m) => error_page(&v, &headers, failure("comparison", &m), &back),
    }
}

/// `GET /p/{process}/compilation/export.docx`: the compilation text, every
/// live proposal the viewer may read attributed under its paragraph.
pub(super) async fn compilation_download(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
) -> Response {
    let v = web.viewer(&headers).await;
    let copy = in_process(&web, &pid, &v, |s, a| {
        let latest = policy::readable_latest(s, a)
            .ok_or_else(|| ApiError::not_found("no draft of this process is open to you yet"))?;
        let paragraphs: Vec<(accord_core::Paragraph, Vec<(Proposal, String)>)> = s
            .compilation()
            .into_iter()
            .map(|c| {
                let proposals = c
                    .proposals
                    .iter()
                    .filter(|e| policy::may_read_proposal(s, a, e.proposal))
                    .map(|e| (policy::proposal_as_seen(s, a, e.proposal), e.author_name.clone()))
                    .collect();
                (c.paragraph.clone(), proposals)
            })
            .collect();
        let title = format!("{}: compilation of proposals on {}", s.info.title, latest.label);
        Ok((file_stem(&[&pid, &latest.label, "compilation"]), title, paragraphs))
    });
    let (stem, title, paragraphs) = match copy {
        Ok(c) => c,
        Err(e) => return login_or_error(&v, &headers, e, &format!("/p/{pid}/compilation")),
    };
    let made = blocking(move || {
        let view: Vec<CompilationParagraph<'_>> = paragraphs
            .iter()
            .map(|(p, props)| CompilationParagraph {
                paragraph: p,
                proposals: props
                    .iter()
                    .map(|(q, name)| CompilationEntry { proposal: q, author_name: name.clone() })
                    .collect(),
            })
            .collect();
        Ok(accord_formats::docx::write::compilation(&title, &view))
    })
    .await;
    match made {
        Ok(bytes) => attachment(Format::Docx, &stem, bytes),
        Err(m) => error_page(&v, &headers, failure("compilation", &m), &format!("/p/{pid}/compilation")),
    }
}
