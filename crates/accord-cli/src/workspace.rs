//! `accord serve` and the commands that act on a negotiation workspace
//! directly (the same core and store as the server, no HTTP): create a
//! process, import a draft, table proposals, decide, produce the next
//! revision, print the compilation text and readiness, issue API tokens.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_core::negotiation::{
    Action, Actor, Decision, Edit, Participant, ParticipantKind, ProcessInfo, Publication,
};
use accord_workspace::{accounts, demo, import, secrets};
use clap::{Subcommand, ValueEnum};

use crate::store::open_exclusive_lock;
pub(crate) use crate::store::{open, open_exclusive, open_serving, store_url, StoreOptions};
use crate::{emit, emit_json, read_text, Failure, InputOptions};

#[derive(Subcommand)]
pub enum WorkspaceCommand {
    /// Serve the web pages and the JSON API.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Load the demo process (a fictional outcome document, two drafts, delegations, proposals) if absent.
        #[arg(long)]
        demo: bool,
        /// How the server logs to stderr: `text` for people, `json` for a log
        /// collector, `auto` (text on a terminal, JSON otherwise). The level
        /// is `ACCORD_LOG` (error, warn, info — the default —, debug, trace).
        #[arg(long, value_enum, default_value_t = LogFormat::Auto)]
        log_format: LogFormat,
        /// A proxy in front of this server (an address or a network, e.g.
        /// `127.0.0.1` or `10.0.0.0/8`; repeat or separate with commas):
        /// requests through it are from the client its `X-Forwarded-For`
        /// names, so login limits count clients, not the proxy. Never name an
        /// address clients can reach directly.
        #[arg(
            long = "trusted-proxy",
            value_name = "ADDRESS[/BITS]",
            env = "ACCORD_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<accord_server::proxies::Network>,
        #[command(flatten)]
        store: StoreOptions,
        #[command(flatten)]
        mail: crate::endgame::MailOptions,
        /// A corpus of adopted texts (a directory made by `accord corpus
        /// add`): citations in drafts link to the passages they cite, and
        /// each paragraph's "Where does this come from?" checks them.
        #[arg(long, value_name = "DIR", env = "ACCORD_CORPUS")]
        corpus: Option<PathBuf>,
    },
    /// Issue API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Manage web accounts.
    Account {
        #[command(subcommand)]
        action: AccountAction,
    },
    /// Create a process and register its participants.
    Process {
        #[command(subcommand)]
        action: ProcessAction,
    },
    /// Import the next draft of a process from its text.
    Import {
        /// The process id.
        process: String,
        /// The draft file (plain text or canonical form).
        file: PathBuf,
        /// Its label: "Zero draft", "Rev.1".
        #[arg(long)]
        label: String,
        /// Who may read it.
        #[arg(long, value_enum, default_value_t = PublicationArg::Circulated)]
        publication: PublicationArg,
        /// Who imports it (`secretariat:NAME` or `co-facilitator:NAME`).
        #[arg(long = "as", default_value = "secretariat:cli")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
        #[command(flatten)]
        input: InputOptions,
    },
    /// List the proposals of a process.
    Proposals {
        /// The process id.
        process: String,
        /// Only live proposals.
        #[arg(long)]
        live: bool,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Table a proposal as a delegation, or every tracked change of a marked-up Word file (--from-docx).
    Table {
        /// The process id.
        process: String,
        /// The paragraph id in the latest draft.
        #[arg(long, required_unless_present = "from_docx", conflicts_with = "from_docx")]
        paragraph: Option<String>,
        /// The edit as JSON: '{"kind":"replace","span":[19,23],"text":"2035"}'.
        #[arg(long, required_unless_present = "from_docx", conflicts_with = "from_docx")]
        edit: Option<String>,
        /// A delegation's Word file with tracked changes: one proposal per change, its comments the rationale.
        #[arg(long, value_name = "FILE.docx")]
        from_docx: Option<PathBuf>,
        /// With --from-docx: who a Word author is, "Jane Smith=norway" (repeatable). Unmapped authors
        /// must be participant ids, else nothing is tabled.
        #[arg(long = "author", value_name = "NAME=DELEGATION", requires = "from_docx")]
        authors: Vec<String>,
        /// In whose name (default: the acting delegation).
        #[arg(long)]
        on_behalf_of: Option<String>,
        /// Why.
        #[arg(long)]
        rationale: Option<String>,
        /// Who tables it: `delegation:ID`.
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Accept a proposal into the working text, or set it aside (co-facilitators).
    Decide {
        /// The process id.
        process: String,
        /// The proposal id (`p3`).
        proposal: String,
        /// The decision.
        #[arg(value_enum)]
        decision: DecisionArg,
        /// The session it was taken in.
        #[arg(long)]
        session: Option<String>,
        /// Who decides: `co-facilitator:NAME`.
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Produce the next revision from the working text (co-facilitators).
    Revise {
        /// The process id.
        process: String,
        /// Its label: "Rev.2".
        #[arg(long)]
        label: String,
        /// Its date line.
        #[arg(long)]
        date: Option<String>,
        /// Who may read it.
        #[arg(long, value_enum, default_value_t = PublicationArg::Circulated)]
        publication: PublicationArg,
        /// Who produces it: `co-facilitator:NAME`.
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Record any action given as JSON (see the README for the actions).
    Act {
        /// The process id.
        process: String,
        /// The action as JSON: '{"action":"set-status","paragraph":"12",…}'.
        action: String,
        /// Who acts (`delegation:ID`, `co-facilitator:NAME`, `secretariat:NAME`).
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Print the compilation text: the latest draft with every live proposal under its paragraph.
    Compilation {
        /// The process id.
        process: String,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = CompilationFormat::Text)]
        format: CompilationFormat,
        /// For `--format docx`: where to write the document.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Print what stands between the latest draft and adoption, and the bracket burn-down.
    Readiness {
        /// The process id.
        process: String,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        #[command(flatten)]
        store: StoreOptions,
    },
}

#[derive(Subcommand)]
pub enum TokenAction {
    /// Create a token for a participant; its secret is printed once and stored only as a hash.
    Create {
        /// The process it is for (omit only for a secretariat token valid in every process).
        #[arg(long)]
        process: Option<String>,
        /// Who acts with it: `delegation:ID`, `co-facilitator:NAME`, `secretariat:NAME`, `observer:NAME`.
        #[arg(long = "as")]
        actor: String,
        /// What it is for.
        #[arg(long, default_value = "")]
        label: String,
        #[command(flatten)]
        store: StoreOptions,
    },
}

#[derive(Subcommand)]
pub enum AccountAction {
    /// Create an account; the password is read from standard input (one line).
    Create {
        /// The login name.
        username: String,
        /// The process it belongs to (omit only for the secretariat).
        #[arg(long)]
        process: Option<String>,
        /// Who the account acts as: `delegation:ID`, `co-facilitator:NAME`, `secretariat:NAME`, `observer:NAME`.
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Give an account a new password, read from standard input (one line),
    /// or made up and printed with --generate. Works beside a running
    /// `accord serve` on the same data: the server reads accounts from the
    /// store at every login.
    ResetPassword {
        /// The login name.
        username: String,
        /// Make up a random password and print it, instead of reading one.
        #[arg(long)]
        generate: bool,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Create an invitation link (valid once) for a person to make their own account.
    Invite {
        /// The process.
        #[arg(long)]
        process: String,
        /// Who the account will act as.
        #[arg(long = "as")]
        actor: String,
        /// Days the link stays valid.
        #[arg(long, default_value_t = 7)]
        days: i64,
        #[command(flatten)]
        store: StoreOptions,
    },
}

#[derive(Subcommand)]
pub enum ProcessAction {
    /// Create a process.
    Create {
        /// Its id (a–z, 0–9, `-`): used in URLs.
        id: String,
        /// The outcome document or process name.
        #[arg(long)]
        title: String,
        /// The mandate.
        #[arg(long, default_value = "")]
        mandate: String,
        /// A co-facilitator (repeatable).
        #[arg(long = "co-facilitator")]
        co_facilitators: Vec<String>,
        /// Text-closing deadline (ISO date).
        #[arg(long)]
        deadline: Option<String>,
        /// Let the public see it.
        #[arg(long)]
        public: bool,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Register a delegation or a group.
    Participant {
        /// The process id.
        process: String,
        /// The participant's id (`norland`, `g77`).
        id: String,
        /// Its name.
        name: String,
        /// What it is.
        #[arg(long, value_enum, default_value_t = KindArg::MemberState)]
        kind: KindArg,
        /// For a group: a member delegation (repeatable).
        #[arg(long = "member")]
        members: Vec<String>,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Write a process with its whole history to a file (JSON Lines: a
    /// header with the state's hash, then every event as recorded).
    Export {
        /// The process id.
        process: String,
        /// The file to write (standard output if absent).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        store: StoreOptions,
    },
    /// Add a process from a file written by `accord process export`, after
    /// checking it whole and replaying it to the state hash it names.
    Import {
        /// The file.
        file: PathBuf,
        #[command(flatten)]
        store: StoreOptions,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PublicationArg {
    Internal,
    Circulated,
    Public,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DecisionArg {
    Accept,
    SetAside,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    MemberState,
    PermanentObserver,
    Group,
}

/// What `accord compilation` prints.
#[derive(Clone, Copy, ValueEnum)]
pub enum CompilationFormat {
    /// For the terminal.
    Text,
    /// The compilation as JSON.
    Json,
    /// A Word document, every proposal attributed (needs -o or a redirect).
    Docx,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

fn publication(p: PublicationArg) -> Publication {
    match p {
        PublicationArg::Internal => Publication::Internal,
        PublicationArg::Circulated => Publication::Circulated,
        PublicationArg::Public => Publication::Public,
    }
}

pub(crate) fn actor(label: &str) -> Result<Actor, Failure> {
    Actor::from_label(label).ok_or_else(|| {
        Failure(format!(
            "`{label}` is not a role: use delegation:ID, co-facilitator:NAME, secretariat:NAME or observer:NAME"
        ))
    })
}

/// A made-up password: 16 characters of a fresh token secret.
fn new_password() -> Result<String, Failure> {
    let secret = secrets::new_token_secret().map_err(Failure)?;
    Ok(secret.trim_start_matches("acc_").chars().take(16).collect())
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(format!("cannot start the runtime: {e}")))
}

pub(crate) fn act(
    store: &StoreOptions,
    process: &str,
    who: &str,
    action: Action,
) -> Result<ExitCode, Failure> {
    let who = actor(who)?;
    let (ws, _lock) = open_exclusive(store, "an accord command")?;
    let outcome = runtime()?
        .block_on(ws.execute(process, who, action, None))
        .map_err(|e| Failure(format!("{}: {e}", e.code())))?;
    emit_json(&outcome)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn with_state<T>(
    store: &StoreOptions,
    process: &str,
    f: impl FnOnce(&accord_core::negotiation::ProcessState) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let ws = open(store)?;
    let slot = ws.process(process).ok_or_else(|| Failure(format!("no process `{process}`")))?;
    let state = slot.state.read().map_err(|_| Failure("the state is unreadable".into()))?;
    f(&state)
}

pub fn run(command: WorkspaceCommand) -> Result<ExitCode, Failure> {
    match command {
        WorkspaceCommand::Serve { addr, demo, log_format, trusted_proxies, store, mail, corpus } => {
            init_logging(log_format)?;
            let trusted = accord_server::proxies::TrustedProxies::new(trusted_proxies);
            serve(addr, demo, trusted, &store, &mail, corpus.as_deref())
        }
        WorkspaceCommand::Token { action: TokenAction::Create { process, actor: who, label, store } } => {
            let who = actor(&who)?;
            if process.is_none() && !matches!(who, Actor::Secretariat { .. }) {
                return Err(Failure(
                    "only a secretariat token may be valid in every process; give --process".into(),
                ));
            }
            let ws = open(&store)?;
            let secret = runtime()?
                .block_on(ws.create_token(process, &who, &label))
                .map_err(|e| Failure(e.to_string()))?;
            emit(&format!("{secret}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        WorkspaceCommand::Account {
            action: AccountAction::Create { username, process, actor: who, store },
        } => {
            let who = actor(&who)?;
            if process.is_none() && !matches!(who, Actor::Secretariat { .. }) {
                return Err(Failure(
                    "only a secretariat account may span every process; give --process".into(),
                ));
            }
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .map_err(|e| Failure(format!("cannot read the password: {e}")))?;
            let password = password.trim_end_matches(['\n', '\r']);
            let ws = open(&store)?;
            runtime()?
                .block_on(accounts::create_account(&ws, &username, password, &who, process))
                .map_err(|e| Failure(e.to_string()))?;
            emit(&format!("account `{username}` created as {}\n", who.label()))?;
            Ok(ExitCode::SUCCESS)
        }
        WorkspaceCommand::Account { action: AccountAction::ResetPassword { username, generate, store } } => {
            let password = if generate {
                new_password()?
            } else {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .map_err(|e| Failure(format!("cannot read the password: {e}")))?;
                line.trim_end_matches(['\n', '\r']).to_string()
            };
            let ws = open(&store)?;
            runtime()?
                .block_on(accounts::reset_password(&ws, &username, &password))
                .map_err(|e| Failure(e.to_string()))?;
            if generate {
                emit(&format!("account `{username}`: new password {password}\n"))?;
            } else {
                emit(&format!("account `{username}`: password changed\n"))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        WorkspaceCommand::Account { action: AccountAction::Invite { process, actor: who, days, store } } => {
            let who = actor(&who)?;
            let ws = open(&store)?;
            let secret = runtime()?
                .block_on(accounts::create_invitation(&ws, Some(process), &who, days))
                .map_err(|e| Failure(e.to_string()))?;
            emit(&format!("/invite/{secret}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        WorkspaceCommand::Process { action } => match action {
            ProcessAction::Create { id, title, mandate, co_facilitators, deadline, public, store } => {
                let info =
                    ProcessInfo { title, mandate, co_facilitators, deadline, public, ..Default::default() };
                act(&store, &id, "secretariat:cli", Action::CreateProcess { info })
            }
            ProcessAction::Participant { process, id, name, kind, members, store } => {
                let kind = match kind {
                    KindArg::MemberState => ParticipantKind::MemberState,
                    KindArg::PermanentObserver => ParticipantKind::PermanentObserver,
                    KindArg::Group => ParticipantKind::Group,
                };
                let participant = Participant { id, name, kind, members };
                act(&store, &process, "secretariat:cli", Action::AddParticipant { participant })
            }
            ProcessAction::Export { process, output, store } => {
                crate::transfer::export(&process, output.as_deref(), &store)
            }
            ProcessAction::Import { file, store } => crate::transfer::import(&file, &store),
        },
        WorkspaceCommand::Import { process, file, label, publication: p, actor: who, store, input } => {
            let text = read_text(&file, &input)?;
            let canonical =
                import::canonical_of(&text).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
            act(
                &store,
                &process,
                &who,
                Action::ImportDraft { label, canonical, publication: publication(p), lineage: None },
            )
        }
        WorkspaceCommand::Proposals { process, live, store } => with_state(&store, &process, |s| {
            let list: Vec<_> = s
                .proposals
                .iter()
                .filter(|p| !live || p.state == accord_core::negotiation::ProposalState::Live)
                .collect();
            emit_json(&list)?;
            Ok(ExitCode::SUCCESS)
        }),
        WorkspaceCommand::Table { from_docx: Some(file), process, authors, actor: who, store, .. } => {
            crate::tabling::from_docx(&store, &process, &file, &authors, &who)
        }
        WorkspaceCommand::Table {
            process,
            paragraph,
            edit,
            on_behalf_of,
            rationale,
            actor: who,
            store,
            ..
        } => {
            // clap requires both without --from-docx.
            let (Some(paragraph), Some(edit)) = (paragraph, edit) else {
                return Err(Failure("give --paragraph and --edit, or --from-docx FILE.docx".into()));
            };
            let edit: Edit = serde_json::from_str(&edit).map_err(|e| Failure(format!("--edit: {e}")))?;
            let delegation = match actor(&who)? {
                Actor::Delegation { delegation } => delegation,
                _ => return Err(Failure("proposals are tabled by a delegation: --as delegation:ID".into())),
            };
            let draft = with_state(&store, &process, |s| {
                s.latest()
                    .map(|d| d.id.clone())
                    .ok_or_else(|| Failure(format!("process `{process}` has no draft yet")))
            })?;
            let action = Action::TableProposal {
                draft,
                paragraph,
                on_behalf_of: on_behalf_of.unwrap_or(delegation),
                edit,
                rationale,
                citation: None,
            };
            act(&store, &process, &who, action)
        }
        WorkspaceCommand::Decide { process, proposal, decision, session, actor: who, store } => {
            let base_revision = with_state(&store, &process, |s| {
                s.proposal(&proposal)
                    .map(|p| p.revision)
                    .ok_or_else(|| Failure(format!("no proposal `{proposal}`")))
            })?;
            let decision = match decision {
                DecisionArg::Accept => Decision::Accept,
                DecisionArg::SetAside => Decision::SetAside,
            };
            act(&store, &process, &who, Action::Decide { proposal, decision, base_revision, session })
        }
        WorkspaceCommand::Revise { process, label, date, publication: p, actor: who, store } => act(
            &store,
            &process,
            &who,
            Action::ProduceRevision {
                label,
                date,
                publication: publication(p),
                canonical: None,
                lineage: None,
            },
        ),
        WorkspaceCommand::Act { process, action, actor: who, store } => {
            let action: Action =
                serde_json::from_str(&action).map_err(|e| Failure(format!("the action: {e}")))?;
            act(&store, &process, &who, action)
        }
        WorkspaceCommand::Compilation { process, format, output, store } => {
            with_state(&store, &process, |s| {
                match format {
                    CompilationFormat::Text => emit(&s.compilation_text())?,
                    CompilationFormat::Json => emit_json(&s.compilation())?,
                    CompilationFormat::Docx => {
                        let draft = s.latest().map(|d| d.label.as_str()).unwrap_or("no draft yet");
                        let title = format!("{}: compilation of proposals on {draft}", s.info.title);
                        let bytes = accord_formats::docx::write::compilation(&title, &s.compilation());
                        crate::export::write_binary(output.as_deref(), &bytes)?;
                    }
                }
                Ok(ExitCode::SUCCESS)
            })
        }
        WorkspaceCommand::Readiness { process, format, store } => with_state(&store, &process, |s| {
            let latest =
                s.latest().ok_or_else(|| Failure(format!("process `{process}` has no draft yet")))?;
            let r = accord_core::readiness(&latest.document);
            match format {
                TextOrJson::Json => emit_json(&serde_json::json!({
                    "draft": latest.id, "readiness": r, "working": accord_core::readiness(&s.working), "burn_down": s.burn_down,
                }))?,
                TextOrJson::Text => {
                    let mut out = format!("{} ({})\n", latest.label, latest.id);
                    out.push_str(&crate::status_text(&latest.document, &r));
                    out.push_str("\nBracket burn-down (after each change to the text):\n");
                    for b in &s.burn_down {
                        out.push_str(&format!(
                            "  event {:>5}  {}  {:>4} brackets  {:>4} paragraphs not agreed\n",
                            b.seq,
                            accord_core::negotiation::rfc3339(b.at_ms),
                            b.brackets,
                            b.not_agreed
                        ));
                    }
                    emit(&out)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }),
    }
}

/// How `accord serve` writes its log.
#[derive(Clone, Copy, ValueEnum)]
pub enum LogFormat {
    /// Text on a terminal, JSON otherwise.
    Auto,
    /// One line a record, for people.
    Text,
    /// One JSON object a line.
    Json,
}

/// Sends the server's `tracing` records to stderr in `format`, at the level
/// `ACCORD_LOG` names (info by default).
fn init_logging(format: LogFormat) -> Result<(), Failure> {
    use std::io::IsTerminal;
    let level = match std::env::var("ACCORD_LOG") {
        Ok(l) => l
            .parse::<tracing::Level>()
            .map_err(|_| Failure(format!("ACCORD_LOG=`{l}`: use error, warn, info, debug or trace")))?,
        Err(_) => tracing::Level::INFO,
    };
    let terminal = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level);
    let set = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Auto if !terminal => builder.json().try_init(),
        LogFormat::Text | LogFormat::Auto => builder.with_ansi(terminal).try_init(),
    };
    set.map_err(|e| Failure(format!("cannot start logging: {e}")))
}

/// How to get a new password, with this store's option.
fn reset_hint(store: &StoreOptions) -> String {
    let data = match &store.database_url {
        Some(_) => "--database-url URL".to_string(),
        None => format!("--data-dir {}", store.data_dir.display()),
    };
    format!("to set a new one: accord account reset-password USERNAME --generate {data} (also while this server runs)")
}

fn serve(
    addr: SocketAddr,
    demo: bool,
    trusted: accord_server::proxies::TrustedProxies,
    store: &StoreOptions,
    mail: &crate::endgame::MailOptions,
    corpus: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let mail = mail.config()?;
    // The corpus before the store: a wrong directory is said at once.
    let corpus = match corpus {
        Some(dir) => {
            let documents = crate::corpus::load_documents(dir)?;
            if documents.is_empty() {
                return Err(Failure(format!(
                    "{}: no adopted texts here (add some with `accord corpus add FILE --corpus {}`)",
                    dir.display(),
                    dir.display()
                )));
            }
            eprintln!("accord: corpus {}: {} adopted texts", dir.display(), documents.len());
            Some(accord_core::trace::CorpusIndex::build(documents))
        }
        None => None,
    };
    // The lock first (SQLite): a second server is refused before it opens anything.
    let _lock = open_exclusive_lock(store, "accord serve")?;
    let ws = open_serving(store)?;
    if let Some(c) = corpus {
        ws.set_corpus(c);
    }
    let where_ = match &store.database_url {
        Some(_) => "PostgreSQL".to_string(),
        None => Path::new(&store.data_dir).join("accord.sqlite3").display().to_string(),
    };
    runtime()?.block_on(async move {
        // Other nodes may write to the same PostgreSQL database: follow them.
        if let Some(url) = store.database_url.as_deref().filter(|u| accord_store::is_postgres(u)) {
            accord_workspace::follow::follow(&ws, url).map_err(|e| Failure(e.to_string()))?;
        }
        ws.load_in_background();
        if demo {
            let tokens = demo::load(&ws).await.map_err(|e| Failure(format!("demo: {e}")))?;
            if !tokens.is_empty() {
                eprintln!("accord: loaded the demo process `{}`; tokens to try the API with:", demo::PROCESS);
                for (who, secret) in tokens {
                    eprintln!("  {who:<32} {secret}");
                }
                // Web accounts: one password for all, random, shown once.
                let password = new_password()?;
                demo::load_accounts(&ws, &password).await.map_err(|e| Failure(format!("demo accounts: {e}")))?;
                eprintln!("accord: demo web accounts (password for all: {password}):");
                for (user, role) in demo::ACCOUNTS {
                    eprintln!("  {user:<16} {role}");
                }
                eprintln!("accord: the password is shown only now; {}", reset_hint(store));
            } else {
                eprintln!(
                    "accord: the demo process `{}` was loaded at an earlier start; its web accounts keep the \
                     password printed then; {}",
                    demo::PROCESS,
                    reset_hint(store)
                );
            }
        }
        if let Some(config) = mail {
            accord_server::mail::spawn(ws.clone(), config);
        }
        accord_server::serve_behind(ws, addr, trusted, |bound| {
            eprintln!("accord: serving http://{bound}/api/ (store: {where_}); the API is described at /api/openapi.json");
        })
        .await
        .map_err(|e| Failure(format!("cannot serve on {addr}: {e}")))
    })?;
    Ok(ExitCode::SUCCESS)
}
