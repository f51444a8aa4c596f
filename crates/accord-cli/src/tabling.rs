//! `accord table P --from-docx FILE.docx --as delegation:X`: a delegation's
//! marked-up Word file tabled as proposals, one per tracked change, each
//! comment its rationale.
//!
//! Nothing is guessed: Word authors must be participants or be mapped with
//! `--author "Name=delegation"` (else nothing is tabled), and a change is
//! tabled only where the file's paragraph reads exactly as the process's
//! latest draft (else it is listed as not placed, with the reason).

use std::path::Path;
use std::process::ExitCode;

use accord_core::negotiation::Action;
use accord_formats::docx::proposals::{proposals, AuthorMap, Unplaced};
use serde::Serialize;

use crate::workspace::{actor, open_exclusive, runtime, StoreOptions};
use crate::{emit_json, read_import, Failure, InputOptions};

/// What `--from-docx` reports (as JSON on standard output).
#[derive(Serialize)]
struct Report {
    /// The proposals tabled, as the workspace answered each.
    tabled: Vec<serde_json::Value>,
    /// The tracked changes that were not tabled, and why.
    not_tabled: Vec<Unplaced>,
}

/// Tables every tracked change of `file` on the latest draft of `process`.
pub(crate) fn from_docx(
    store: &StoreOptions,
    process: &str,
    file: &Path,
    mappings: &[String],
    who: &str,
) -> Result<ExitCode, Failure> {
    let actor = actor(who)?;
    let import = read_import(file, &InputOptions::default())?;
    if import.tracked_changes.is_empty() {
        return Err(Failure(format!(
            "{}: the file has no tracked changes: nothing to table (did Word keep \"Track Changes\" on?)",
            file.display()
        )));
    }
    let authors = AuthorMap::parse(mappings.iter().map(String::as_str))
        .map_err(|e| Failure(format!("--author: {e}")))?;
    let (ws, _lock) = open_exclusive(store, "accord table --from-docx")?;
    let slot = ws.process(process).ok_or_else(|| Failure(format!("no process `{process}`")))?;
    let (draft_id, found) = {
        let state = slot.state.read().map_err(|_| Failure("the state is unreadable".into()))?;
        let latest =
            state.latest().ok_or_else(|| Failure(format!("process `{process}` has no draft yet")))?;
        let participants: Vec<&str> = state.participants.iter().map(|p| p.id.as_str()).collect();
        let mut found = proposals(&import, &authors, &participants)
            .map_err(|e| Failure(format!("{}: {e}", file.display())))?
            .against(&import.draft, &latest.document);
        // The same file tabled twice tables nothing twice.
        let (fresh, repeated): (Vec<_>, Vec<_>) = found.proposals.into_iter().partition(|p| {
            !state.proposals.iter().any(|q| {
                q.draft == latest.id
                    && q.paragraph == p.paragraph
                    && q.author == p.on_behalf_of
                    && q.edit == p.edit
            })
        });
        found.proposals = fresh;
        found.unplaced.extend(repeated.into_iter().map(|p| Unplaced {
            reason: format!("already tabled by {} on paragraph {}", p.on_behalf_of, p.paragraph),
            change: p.change_of(),
        }));
        (latest.id.clone(), found)
    };
    let rt = runtime()?;
    let mut report = Report { tabled: Vec::new(), not_tabled: found.unplaced };
    for p in found.proposals {
        let action = Action::TableProposal {
            draft: draft_id.clone(),
            paragraph: p.paragraph.clone(),
            on_behalf_of: p.on_behalf_of.clone(),
            edit: p.edit.clone(),
            rationale: p.rationale.clone(),
            citation: None,
        };
        match rt.block_on(ws.execute(process, actor.clone(), action, None)) {
            Ok(outcome) => report.tabled.push(serde_json::to_value(&outcome).unwrap_or_default()),
            Err(e) => {
                // Those before stay tabled (each is its own durable event);
                // say exactly where it stopped.
                emit_json(&report)?;
                return Err(Failure(format!(
                    "{}: the change in Word paragraph {} (paragraph {}) was refused: {}: {e}; {} tabled before it",
                    file.display(),
                    p.source_paragraph,
                    p.paragraph,
                    e.code(),
                    report.tabled.len()
                )));
            }
        }
    }
    emit_json(&report)?;
    for u in &report.not_tabled {
        eprintln!(
            "accord: {}: Word paragraph {}: not tabled: {}",
            file.display(),
            u.change.source_paragraph,
            u.reason
        );
    }
    eprintln!(
        "accord: {} proposal(s) tabled, {} change(s) not tabled",
        report.tabled.len(),
        report.not_tabled.len()
    );
    Ok(ExitCode::SUCCESS)
}
