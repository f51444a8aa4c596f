//! `accord package P -o OUT.pdf`: the circulation package of a process's
//! draft, as a President's office or the co-facilitators send it — the
//! letters, then the draft.
//!
//! A draft imported with its letters (the seed: a transmittal and a cover
//! letter) travels with them. A draft without letters gets a cover letter
//! written from the process: what changed since the previous draft, the
//! paragraphs still in brackets as the focus, the next informal sessions,
//! signed by the co-facilitators.

use std::path::PathBuf;
use std::process::ExitCode;

use accord_core::negotiation::ProcessState;
use accord_print::{CoverLetter, PrintOptions, Session};

use crate::export::write_binary;
use crate::workspace::{with_state, StoreOptions};
use crate::Failure;

/// The arguments of `accord package`.
#[derive(clap::Args)]
pub struct PackageArgs {
    /// The process id.
    process: String,
    /// The draft (`d2`); by default the latest.
    #[arg(long)]
    draft: Option<String>,
    /// Where to write the PDF (`-` or absent: standard output, unless it is a terminal).
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    store: StoreOptions,
}

/// Runs `accord package`.
pub fn run(args: PackageArgs) -> Result<ExitCode, Failure> {
    let (letters, draft) = with_state(&args.store, &args.process, |s| {
        let version = match &args.draft {
            Some(id) => {
                s.draft(id).ok_or_else(|| Failure(format!("process `{}` has no draft `{id}`", s.id)))?
            }
            None => s.latest().ok_or_else(|| Failure(format!("process `{}` has no draft yet", s.id)))?,
        };
        let letters = if version.document.letters.is_empty() {
            vec![cover_letter(s, &version.id).to_letter()]
        } else {
            Vec::new()
        };
        Ok((letters, version.document.clone()))
    })?;
    let pdf = accord_print::package_pdf(&letters, &draft, &PrintOptions::default())
        .map_err(|e| Failure(format!("cannot make the PDF: {e}")))?;
    write_binary(args.output.as_deref(), &pdf)?;
    Ok(ExitCode::SUCCESS)
}

/// Paragraphs named as the focus, at most: a letter lists a handful.
const FOCUS_MAX: usize = 12;

/// The cover letter of draft `id` written from the process.
fn cover_letter(s: &ProcessState, id: &str) -> CoverLetter {
    let at = s.drafts.iter().position(|d| d.id == id).unwrap_or(0);
    let version = &s.drafts[at];
    let mut changes = Vec::new();
    if let Some(previous) = at.checked_sub(1).map(|i| &s.drafts[i]) {
        let c = accord_core::compare(&previous.document, &version.document);
        let count = |k: &str| c.summary.relations.get(k).copied().unwrap_or(0);
        let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        for (k, one, many) in [
            (count("changed"), "paragraph was amended", "paragraphs were amended"),
            (count("new"), "paragraph was added", "paragraphs were added"),
            (count("deleted"), "paragraph was deleted", "paragraphs were deleted"),
            (count("merged"), "paragraph was merged", "paragraphs were merged"),
            (c.summary.brackets_resolved, "bracket was resolved", "brackets were resolved"),
        ] {
            if k > 0 {
                changes.push(n(k, one, many));
            }
        }
    }
    let focus: Vec<String> = version
        .document
        .paragraphs
        .iter()
        .filter(|p| !p.brackets.is_empty())
        .map(|p| p.number.clone().unwrap_or_else(|| p.id.clone()))
        .take(FOCUS_MAX)
        .collect();
    // Sessions not yet held: nothing decided in them yet.
    let sessions = s
        .sessions
        .iter()
        .filter(|x| x.decisions.is_empty())
        .map(|x| Session {
            date: x.date.clone(),
            time: (!x.time.is_empty()).then(|| x.time.clone()),
            room: (!x.room.is_empty()).then(|| x.room.clone()),
        })
        .collect();
    CoverLetter {
        date: version.document.date.clone(),
        process: Some(format!("the intergovernmental negotiations on the {}", s.info.title)),
        changes,
        focus_paragraphs: focus,
        sessions,
        signatures: s
            .info
            .co_facilitators
            .iter()
            .map(|c| vec![c.clone(), "Co-facilitator".to_owned()])
            .collect(),
        ..CoverLetter::default()
    }
}
