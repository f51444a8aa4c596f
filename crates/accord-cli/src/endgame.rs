//! The end game from the command line: a process's time zone, the deadline
//! for textual proposals, the silence procedure (`accord silence start |
//! break | status`) and adoption (`accord adopt`), acting on the workspace
//! directly as the other workspace commands do. The rules are the core's;
//! this file only reads arguments and prints answers. Also the mail side of
//! the end game: focal points (`accord focal-point`), the outbox (`accord
//! outbox`) and `accord serve`'s mail options.

use std::process::ExitCode;

use accord_core::negotiation::{clock, Action, SilenceStatus};
use clap::Subcommand;

use crate::workspace::{act, actor, open, open_exclusive, runtime, with_state, StoreOptions, TextOrJson};
use crate::{emit, emit_json, Failure};

/// The end-game commands, flattened into the CLI's command list.
#[derive(Subcommand)]
pub enum EndgameCommand {
    /// Set a process's time zone (IANA name, e.g. Europe/Zurich); deadlines are read and shown in it.
    TimeZone {
        /// The process id.
        process: String,
        /// The IANA time zone name.
        zone: String,
        /// Who sets it: `co-facilitator:NAME` or `secretariat:NAME`.
        #[arg(long = "as", default_value = "secretariat:cli")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Set the deadline for textual proposals, or lift it with --clear (co-facilitators).
    Deadline {
        /// The process id.
        process: String,
        /// When: `2026-12-04T18:00:00-05:00`, or `2026-12-04T18:00` in the process's time zone.
        #[arg(long, required_unless_present = "clear")]
        until: Option<String>,
        /// Lift the deadline.
        #[arg(long, conflicts_with = "until")]
        clear: bool,
        /// The session that set it.
        #[arg(long)]
        session: Option<String>,
        /// Who sets it: `co-facilitator:NAME`.
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// The silence procedure: start it, break it, or see where it stands.
    Silence {
        #[command(subcommand)]
        action: SilenceAction,
    },
    /// Set the focal points of a participant (the people mail for it goes to), replacing its list.
    FocalPoint {
        /// The process id.
        process: String,
        /// Whose: `delegation:ID`, `observer:NAME`, `co-facilitator:NAME`.
        participant: String,
        /// A focal point, `Name <name@example.org>` (repeat for several; none clears the list).
        #[arg(long = "point")]
        points: Vec<String>,
        /// Who sets them: the secretariat, a co-facilitator, or the participant itself.
        #[arg(long = "as", default_value = "secretariat:cli")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// The mail a process's events caused: each message's recipient and state (queued, sent, failed with the server's answer).
    Outbox {
        /// The process id.
        process: String,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Adopt the text (co-facilitators): refused with every reason until nothing stands in the way; prints the text as adopted.
    Adopt {
        /// The process id.
        process: String,
        /// The date of the date line ("16 December 2026"); today in the process's time zone by default.
        #[arg(long)]
        date: Option<String>,
        /// Who adopts it: `co-facilitator:NAME`.
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
}

/// `accord serve`'s mail: the outbox is delivered by SMTP when `--smtp-url` is given.
#[derive(clap::Args, Clone)]
pub struct MailOptions {
    /// Deliver the outbox through this SMTP server: `smtp://host[:port]` (plain SMTP; credentials from
    /// ACCORD_SMTP_USERNAME and ACCORD_SMTP_PASSWORD, never logged).
    #[arg(long)]
    smtp_url: Option<String>,
    /// The sender of the mail.
    #[arg(long, default_value = "Accord <accord@localhost.localdomain>")]
    mail_from: String,
    /// The web application's public address, for the links in the mail (`https://accord.example.org`).
    #[arg(long)]
    public_url: Option<String>,
    /// The first retry's delay in milliseconds; each further retry doubles it, up to 15 minutes.
    #[arg(long, default_value_t = 2000)]
    mail_retry_ms: u64,
}

impl MailOptions {
    /// The worker's configuration, if mail is to be sent.
    pub fn config(&self) -> Result<Option<accord_server::mail::MailConfig>, Failure> {
        let Some(url) = &self.smtp_url else { return Ok(None) };
        let mut c = accord_server::mail::MailConfig::new(url, &self.mail_from, self.public_url.clone())
            .map_err(|e| Failure(e.to_string()))?;
        c.backoff = std::time::Duration::from_millis(self.mail_retry_ms.max(1));
        Ok(Some(c))
    }
}

/// `accord silence …`.
#[derive(Subcommand)]
pub enum SilenceAction {
    /// Place the latest draft under silence until a deadline (co-facilitators).
    Start {
        /// The process id.
        process: String,
        /// When silence ends: `2026-12-10T18:00:00-05:00`, or a time in the process's zone.
        #[arg(long)]
        until: String,
        /// Who: `co-facilitator:NAME`.
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Break silence on named paragraphs, with the reasons (a delegation, for itself or its group).
    Break {
        /// The process id.
        process: String,
        /// A paragraph it cannot accept (repeat for several).
        #[arg(long = "paragraph", required = true)]
        paragraphs: Vec<String>,
        /// Why.
        #[arg(long)]
        reason: String,
        /// In whose name (default: the acting delegation).
        #[arg(long)]
        on_behalf_of: Option<String>,
        /// Who: `delegation:ID`.
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Where the silence stands: running, broken (by whom, on what) or passed.
    Status {
        /// The process id.
        process: String,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        #[command(flatten)]
        store: StoreOptions,
    },
}

/// The workspace's clock: the system's, as `accord serve` records events.
fn now_ms() -> i64 {
    accord_workspace::secrets::system_clock()
}

/// Runs one end-game command.
pub fn run(command: EndgameCommand) -> Result<ExitCode, Failure> {
    match command {
        EndgameCommand::TimeZone { process, zone, actor: who, store } => {
            act(&store, &process, &who, Action::SetTimeZone { zone })
        }
        EndgameCommand::Deadline { process, until, clear, session, actor: who, store } => {
            let until = if clear { None } else { until };
            act(&store, &process, &who, Action::SetDeadline { until, session })
        }
        EndgameCommand::Silence { action: SilenceAction::Start { process, until, actor: who, store } } => {
            act(&store, &process, &who, Action::StartSilence { until })
        }
        EndgameCommand::Silence {
            action: SilenceAction::Break { process, paragraphs, reason, on_behalf_of, actor: who, store },
        } => {
            let on_behalf_of = match (on_behalf_of, actor(&who)?) {
                (Some(name), _) => name,
                (None, accord_core::negotiation::Actor::Delegation { delegation }) => delegation,
                (None, _) => {
                    return Err(Failure("silence is broken by a delegation: --as delegation:ID".into()))
                }
            };
            act(&store, &process, &who, Action::BreakSilence { on_behalf_of, paragraphs, reason })
        }
        EndgameCommand::Silence { action: SilenceAction::Status { process, format, store } } => {
            with_state(&store, &process, |s| {
                let status = s
                    .silence_status(now_ms())
                    .ok_or_else(|| Failure(format!("process `{process}` has never been under silence")))?;
                match format {
                    TextOrJson::Json => emit_json(&status)?,
                    TextOrJson::Text => emit(&status_text(&status))?,
                }
                Ok(ExitCode::SUCCESS)
            })
        }
        EndgameCommand::FocalPoint { process, participant, points, actor: who, store } => {
            let (by, whose) = (actor(&who)?, actor(&participant)?);
            let points = points.iter().map(|p| focal_point(p)).collect::<Result<Vec<_>, _>>()?;
            let (ws, _lock) = open_exclusive(&store, "accord focal-point")?;
            runtime()?
                .block_on(ws.set_focal_points(&process, &by, &whose, points))
                .map_err(|e| Failure(format!("{}: {e}", e.code())))?;
            Ok(ExitCode::SUCCESS)
        }
        EndgameCommand::Outbox { process, format, store } => {
            let ws = open(&store)?;
            if ws.process(&process).is_none() {
                return Err(Failure(format!("no process `{process}`")));
            }
            let messages = runtime()?.block_on(ws.outbox(&process)).map_err(|e| Failure(e.to_string()))?;
            match format {
                TextOrJson::Json => {
                    let list: Vec<serde_json::Value> =
                        messages.iter().map(accord_workspace::outbox::message_json).collect();
                    emit_json(&serde_json::json!({ "messages": list }))?
                }
                TextOrJson::Text => emit(&outbox_text(&messages))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        EndgameCommand::Adopt { process, date, actor: who, store } => {
            let who = actor(&who)?;
            let (ws, _lock) = open_exclusive(&store, "accord adopt")?;
            // The date line is the day of adoption where the process sits.
            let date = match date {
                Some(d) => d,
                None => {
                    let slot =
                        ws.process(&process).ok_or_else(|| Failure(format!("no process `{process}`")))?;
                    let zone = slot.state.read().map_err(|_| Failure("the state is unreadable".into()))?;
                    clock::local_date(now_ms(), zone.time_zone())
                }
            };
            let action = Action::Adopt { date: Some(date), canonical: None, lineage: None };
            runtime()?
                .block_on(ws.execute(&process, who, action, None))
                .map_err(|e| Failure(format!("{}: {e}", e.code())))?;
            let slot = ws.process(&process).ok_or_else(|| Failure(format!("no process `{process}`")))?;
            let state = slot.state.read().map_err(|_| Failure("the state is unreadable".into()))?;
            emit(&state.adopted_text().unwrap_or_default())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The silence status for a terminal.
fn status_text(s: &SilenceStatus) -> String {
    let state = match s.state {
        accord_core::negotiation::SilenceState::Running => "running",
        accord_core::negotiation::SilenceState::Broken => "broken",
        accord_core::negotiation::SilenceState::Passed => "passed",
    };
    let mut out = format!("Draft {} under silence until {}: {state}\n", s.draft, s.until_local);
    for b in &s.breaks {
        out.push_str(&format!(
            "  paragraph {} — broken by {} at {}: {}\n",
            b.paragraph, b.by, b.at, b.reason
        ));
    }
    out
}

/// `Name <address>` (or a bare address, the name then being the address).
fn focal_point(text: &str) -> Result<(String, String), Failure> {
    let text = text.trim();
    let (name, email) = match text.rsplit_once('<') {
        Some((name, rest)) => {
            let email =
                rest.strip_suffix('>').ok_or_else(|| Failure(format!("`{text}`: give `Name <address>`")))?;
            (name.trim().trim_matches('"').to_string(), email.trim().to_string())
        }
        None => (text.to_string(), text.to_string()),
    };
    accord_workspace::outbox::check_focal_point(&name, &email).map_err(Failure)?;
    Ok((name, email))
}

/// The outbox for a terminal: one line per message.
fn outbox_text(messages: &[accord_store::OutboxRecord]) -> String {
    if messages.is_empty() {
        return "No mail yet (set focal points with `accord focal-point`).\n".into();
    }
    let mut out = String::new();
    for m in messages {
        out.push_str(&format!(
            "#{} event {} {} → {} <{}> ({}): {} after {} attempt(s){}\n",
            m.id,
            m.seq,
            m.kind,
            m.recipient_name,
            m.recipient_email,
            m.recipient_actor,
            m.state.as_str(),
            m.attempts,
            m.last_error.as_deref().map(|e| format!(" — {e}")).unwrap_or_default()
        ));
    }
    out
}
