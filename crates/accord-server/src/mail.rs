//! The mail worker: delivers the outbox (messages recorded with the events
//! that caused them, `accord_workspace::outbox`) by SMTP, with retries and
//! exponential back-off, and records each attempt's outcome in the store.
//!
//! **Delivery guarantee.** A message is marked sent right after the mail
//! server's 250 to its data. A crash (SIGKILL, power) between that 250 and
//! the store's commit of "sent" — a window of one store write, milliseconds
//! — leaves it queued, and the next worker sends it again: delivery is *at
//! least once*. Every attempt carries the same `Message-ID` (derived from
//! the process, the event and the recipient), so a receiving system that
//! drops repeats of a Message-ID it has seen (most mail stores and clients
//! do) shows it once. Nothing is ever lost: a message leaves the queue only
//! once a server accepted it, or refused it for good (a 5xx answer, or its
//! recipient no longer entitled to read the draft).
//!
//! Credentials come from the environment (`ACCORD_SMTP_USERNAME`,
//! `ACCORD_SMTP_PASSWORD`) and are never logged. Plain SMTP only (no TLS
//! stack in the build): use a relay on the host or the private network.

use std::sync::Arc;
use std::time::Duration;

use accord_core::negotiation::{policy, Actor};
use accord_store::{OutboxRecord, OutboxState, OutboxUpdate};
use accord_workspace::Workspace;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

/// Messages taken from the outbox per round.
const BATCH: usize = 50;
/// The longest an SMTP exchange may stall.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Drafts' attachments kept between messages (a circulation sends the same
/// files to every recipient): at most this many drafts.
const FILES_CACHED: usize = 4;

/// A draft's attachments (name, bytes, MIME type), by (process, draft).
type Files = Arc<Vec<(String, Vec<u8>, &'static str)>>;
type FileCache = std::sync::Mutex<std::collections::HashMap<(String, String), Files>>;

/// Why the mail configuration is unusable.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The `--smtp-url` is not `smtp://host[:port]`.
    #[error("--smtp-url `{0}`: give smtp://host[:port] (plain SMTP; port 25 by default)")]
    Url(String),
    /// The sender address does not parse.
    #[error("--mail-from `{0}`: {1}")]
    From(String, String),
}

/// How the worker sends.
#[derive(Clone)]
pub struct MailConfig {
    /// The SMTP server's host.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// `ACCORD_SMTP_USERNAME` / `ACCORD_SMTP_PASSWORD`, if both are set.
    credentials: Option<(String, String)>,
    /// The sender.
    pub from: Mailbox,
    /// The web application's address, for the links (`--public-url`).
    pub public_url: Option<String>,
    /// The first retry's delay; each further one doubles, up to `max_backoff`.
    pub backoff: Duration,
    /// The longest delay between attempts.
    pub max_backoff: Duration,
    /// How long the worker waits when nothing is due.
    pub idle: Duration,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the credentials.
        f.debug_struct("MailConfig").field("host", &self.host).field("port", &self.port).finish()
    }
}

impl MailConfig {
    /// From `smtp://host[:port]`, the sender and the public URL; the
    /// credentials from the environment.
    pub fn new(smtp_url: &str, from: &str, public_url: Option<String>) -> Result<MailConfig, MailError> {
        let rest = smtp_url.strip_prefix("smtp://").ok_or_else(|| MailError::Url(smtp_url.into()))?;
        let rest = rest.trim_end_matches('/');
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| MailError::Url(smtp_url.into()))?),
            None => (rest, 25),
        };
        if host.is_empty() || host.contains(['/', '@', ' ']) {
            return Err(MailError::Url(smtp_url.into()));
        }
        let from: Mailbox = from.parse().map_err(|e| MailError::From(from.into(), format!("{e}")))?;
        let credentials = match (std::env::var("ACCORD_SMTP_USERNAME"), std::env::var("ACCORD_SMTP_PASSWORD"))
        {
            (Ok(u), Ok(p)) if !u.is_empty() => Some((u, p)),
            _ => None,
        };
        Ok(MailConfig {
            host: host.trim_start_matches('[').trim_end_matches(']').to_string(),
            port,
            credentials,
            from,
            public_url: public_url.map(|u| u.trim_end_matches('/').to_string()),
            backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(15 * 60),
            idle: Duration::from_millis(500),
        })
    }

    fn transport(&self) -> SmtpTransport {
        let mut b = SmtpTransport::builder_dangerous(&self.host).port(self.port).timeout(Some(SMTP_TIMEOUT));
        if let Some((u, p)) = &self.credentials {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        b.build()
    }

    /// The delay before attempt `attempts + 1`.
    fn delay(&self, attempts: u32) -> Duration {
        let factor = 1u32.checked_shl(attempts.saturating_sub(1)).unwrap_or(u32::MAX);
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// Starts the worker on the current runtime; it runs until the process ends.
pub fn spawn(ws: Arc<Workspace>, config: MailConfig) -> tokio::task::JoinHandle<()> {
    tracing::info!(host = %config.host, port = config.port, "mail worker started");
    tokio::spawn(async move {
        let transport = Arc::new(config.transport());
        let cache: Arc<FileCache> = Arc::default();
        loop {
            let due = match ws.outbox_due(BATCH).await {
                Ok(d) => d,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the outbox");
                    Vec::new()
                }
            };
            if due.is_empty() {
                tokio::time::sleep(config.idle).await;
                continue;
            }
            // A claim lasts CLAIM_MS: a batch is left, for whoever claims it
            // next, once there is no longer time for one more attempt
            // (the transport's timeout) within it.
            let claimed = std::time::Instant::now();
            let last_start =
                Duration::from_millis(accord_store::CLAIM_MS as u64).saturating_sub(SMTP_TIMEOUT * 2);
            for m in due {
                if claimed.elapsed() > last_start {
                    break;
                }
                deliver(&ws, &config, &transport, &cache, m).await;
            }
        }
    })
}

/// One attempt at one message, its outcome recorded.
async fn deliver(
    ws: &Arc<Workspace>,
    config: &MailConfig,
    transport: &Arc<SmtpTransport>,
    cache: &Arc<FileCache>,
    m: OutboxRecord,
) {
    let attempts = m.attempts.saturating_add(1);
    // A server just started loads its processes in the background: the
    // message waits for its process (a process not there yet is no reason
    // to give a message up — the CI's SIGKILL test lost one so, under load).
    if let Err(e) = ws.ensure_loaded(&m.process).await {
        let update = retry(ws, config, attempts, format!("the process is not loaded yet: {e}"));
        if let Err(e) = ws.record_attempt(m.id, update).await {
            tracing::warn!(error = %e, message_id = %m.message_id, "cannot record a mail attempt");
        }
        return;
    }
    // Building (a Word file) and sending block: both off the async threads.
    let (w, c, t, k, record) = (ws.clone(), config.clone(), transport.clone(), cache.clone(), m.clone());
    let outcome =
        tokio::task::spawn_blocking(move || build(&w, &c, &k, &record).map(|message| t.send(&message))).await;
    let update = match outcome {
        Ok(Err(reason)) => refused(attempts, reason),
        Err(e) => retry(ws, config, attempts, format!("the sending task failed: {e}")),
        Ok(Ok(sent)) => match sent {
            Ok(_) => OutboxUpdate {
                state: OutboxState::Sent,
                attempts,
                next_attempt_at_ms: None,
                last_error: None,
                sent_at_ms: Some(ws.now_ms()),
            },
            Err(e) if e.is_permanent() => refused(attempts, e.to_string()),
            Err(e) => retry(ws, config, attempts, e.to_string()),
        },
    };
    tracing::info!(
        process = %m.process,
        seq = m.seq,
        message_id = %m.message_id,
        state = update.state.as_str(),
        attempts,
        error = update.last_error.as_deref().unwrap_or(""),
        "mail attempt"
    );
    if let Err(e) = ws.record_attempt(m.id, update).await {
        // Not recorded: it stays due and is tried again (at least once).
        tracing::warn!(error = %e, message_id = %m.message_id, "cannot record a mail attempt");
    }
}

fn refused(attempts: u32, reason: String) -> OutboxUpdate {
    OutboxUpdate {
        state: OutboxState::Failed,
        attempts,
        next_attempt_at_ms: None,
        last_error: Some(reason),
        sent_at_ms: None,
    }
}

fn retry(ws: &Workspace, config: &MailConfig, attempts: u32, reason: String) -> OutboxUpdate {
    let delay = i64::try_from(config.delay(attempts).as_millis()).unwrap_or(i64::MAX);
    OutboxUpdate {
        state: OutboxState::Failed,
        attempts,
        next_attempt_at_ms: Some(ws.now_ms().saturating_add(delay)),
        last_error: Some(reason),
        sent_at_ms: None,
    }
}

/// The message as sent: the recorded text, the links, and the draft's files
/// — if the recipient may still read the draft (its publication may have
/// been narrowed since the event).
fn build(
    ws: &Workspace,
    config: &MailConfig,
    cache: &FileCache,
    m: &OutboxRecord,
) -> Result<Message, String> {
    let to: Mailbox = format!("{} <{}>", quoted(&m.recipient_name), m.recipient_email)
        .parse()
        .map_err(|e| format!("the recipient's address does not parse: {e}"))?;
    let mut text = m.body.clone();
    let mut files: Files = Arc::default();
    if let Some(draft) = &m.draft {
        let slot = ws.process(&m.process).ok_or("the process is gone")?;
        let s = slot.state.read().map_err(|_| "the process's state is unreadable")?;
        let actor = Actor::from_label(&m.recipient_actor).ok_or("the recipient's role is unknown")?;
        let d = policy::readable_draft(&s, Some(&actor), draft)
            .ok_or("the recipient may no longer read this draft: not sent")?;
        if let Some(base) = &config.public_url {
            let p = &m.process;
            text.push_str(&format!("\nThe draft: {base}/p/{p}/drafts/{draft}\n"));
            let index = s.drafts.iter().position(|x| x.id == d.id).unwrap_or(0);
            let previous =
                s.drafts[..index].iter().rev().find(|x| policy::may_read(&s, Some(&actor), x.publication));
            if let Some(prev) = previous {
                text.push_str(&format!(
                    "Compared with {}: {base}/p/{p}/compare?old={}&new={draft}\n",
                    prev.label, prev.id
                ));
            }
            text.push_str(&format!("PDF: {base}/p/{p}/drafts/{draft}/export.pdf\n"));
        }
        let key = (m.process.clone(), d.id.clone());
        let cached = cache.lock().ok().and_then(|c| c.get(&key).cloned());
        files = match cached {
            Some(f) => f,
            None => {
                // The files are made from a copy, the process's lock released:
                // a Word file of a long draft takes a while.
                let (label, document) = (d.label.clone(), d.document.clone());
                drop(s);
                let made = draft_files(&m.process, &label, &document);
                if let Ok(mut c) = cache.lock() {
                    if c.len() >= FILES_CACHED {
                        c.clear();
                    }
                    c.insert(key, made.clone());
                }
                made
            }
        };
    }
    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(text));
    for (name, bytes, kind) in files.iter() {
        let kind = ContentType::parse(kind).map_err(|e| e.to_string())?;
        parts = parts.singlepart(Attachment::new(name.clone()).body(bytes.clone(), kind));
    }
    let at = std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(m.created_at_ms).unwrap_or(0));
    Message::builder()
        .message_id(Some(m.message_id.clone()))
        .from(config.from.clone())
        .to(to)
        .subject(m.subject.clone())
        .date(at)
        .multipart(parts)
        .map_err(|e| format!("the message cannot be built: {e}"))
}

/// A draft's attachments: its text and its Word file.
fn draft_files(process: &str, label: &str, document: &accord_core::Draft) -> Files {
    let stem = file_stem(process, label);
    Arc::new(vec![
        (
            format!("{stem}.txt"),
            accord_core::render::text(document).into_bytes(),
            "text/plain; charset=utf-8",
        ),
        (
            format!("{stem}.docx"),
            accord_formats::docx::write::draft(document),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ])
}

/// A display name as a quoted string.
fn quoted(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control() && *c != '"' && *c != '\\').collect();
    format!("\"{clean}\"")
}

/// A file name from the process and the draft's label.
fn file_stem(process: &str, label: &str) -> String {
    format!("{process}-{label}")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '.' { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_and_bad_ones_are_refused() {
        let c = MailConfig::new("smtp://127.0.0.1:2525", "Accord <accord@example.org>", None).unwrap();
        assert_eq!((c.host.as_str(), c.port), ("127.0.0.1", 2525));
        let c = MailConfig::new("smtp://mail.example.org", "accord@example.org", None).unwrap();
        assert_eq!(c.port, 25);
        for bad in ["http://x", "smtp://", "smtp://host:99999", "smtp://user@host"] {
            assert!(MailConfig::new(bad, "accord@example.org", None).is_err(), "{bad}");
        }
        assert!(MailConfig::new("smtp://h", "not an address", None).is_err());
    }

    #[test]
    fn back_off_doubles_up_to_its_ceiling() {
        let mut c = MailConfig::new("smtp://h", "a@b.org", None).unwrap();
        c.backoff = Duration::from_secs(2);
        c.max_backoff = Duration::from_secs(60);
        let d: Vec<u64> = (1..=8).map(|a| c.delay(a).as_secs()).collect();
        assert_eq!(d, [2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(c.delay(1000).as_secs(), 60);
    }
}
