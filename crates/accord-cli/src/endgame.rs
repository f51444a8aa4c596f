//! The end game from the command line: a process's time zone, the deadline
//! for textual proposals, the silence procedure (`accord silence start |
//! break | status`) and adoption (`accord adopt`), acting on the workspace
//! directly as the other workspace commands do. The rules are the core's;
//! this file only reads arguments and prints answers.

use std::process::ExitCode;

use accord_core::negotiation::{clock, Action, SilenceStatus};
use clap::Subcommand;

use crate::workspace::{act, actor, open_exclusive, runtime, with_state, StoreOptions, TextOrJson};
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
