//! The state of one process, derived from its events, and what it answers:
//! drafts, proposals, the working text, the compilation. It changes only
//! through [`ProcessState::apply`], which runs the check step
//! ([`ProcessState::check`], in `check.rs` and `handlers.rs`: pure, it reads
//! the state and says what the event will change) and then commits that
//! change (`commit.rs`), which cannot fail: a refused event leaves the state
//! exactly as it was.

use std::collections::BTreeMap;

use serde::Serialize;

use super::check::Origin;
use super::*;
use crate::canonical;
use crate::model::Draft;

/// Everything known about one process.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ProcessState {
    /// Its id.
    pub id: String,
    /// Its description.
    pub info: ProcessInfo,
    /// Delegations and groups, in order of registration.
    pub participants: Vec<Participant>,
    /// The drafts, oldest first.
    pub drafts: Vec<DraftVersion>,
    /// The co-facilitators' text in progress: the latest draft plus what they
    /// changed and accepted since.
    pub working: Draft,
    /// Revision of each working paragraph changed since the latest draft.
    pub revisions: BTreeMap<String, u64>,
    /// Revision of every working paragraph not in `revisions`.
    pub working_base: u64,
    /// Paragraphs deleted from the working text since the latest draft.
    pub deleted: Vec<String>,
    /// Proposals accepted since the latest draft.
    pub accepted: Vec<String>,
    /// All proposals, in order.
    pub proposals: Vec<Proposal>,
    /// Sessions, in order.
    pub sessions: Vec<Session>,
    /// The bracket burn-down.
    pub burn_down: Vec<BurnPoint>,
    /// The last applied event.
    pub seq: u64,
    /// When the last event was applied.
    pub at_ms: i64,
    /// Outcomes by idempotency key.
    pub keys: BTreeMap<String, Outcome>,
    /// The process's time zone, when set (see [`ProcessState::time_zone`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// The deadline for textual proposals, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Deadline>,
    /// The latest silence procedure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silence: Option<Silence>,
    /// Who reads the proposals (participants only until the co-facilitators
    /// publish the compilation).
    #[serde(default)]
    pub proposal_visibility: ProposalVisibility,
    /// The adoption, once adopted: the process is then read-only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adoption: Option<Adoption>,
}

impl ProcessState {
    /// The state of a process before its first event.
    pub fn new(id: &str) -> ProcessState {
        ProcessState { id: id.to_string(), ..Default::default() }
    }

    /// Rebuilds a state from its events, in order.
    pub fn replay<'a>(
        id: &str,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<ProcessState, DomainError> {
        let mut s = ProcessState::new(id);
        for e in events {
            s.apply_recorded(e)?;
        }
        Ok(s)
    }

    /// Whether the process exists (its creation was applied).
    pub fn exists(&self) -> bool {
        self.seq > 0
    }

    /// The participant with this id.
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// A participant's display name (its id when unknown).
    pub fn name_of(&self, id: &str) -> String {
        self.participant(id).map_or_else(|| id.to_string(), |p| p.name.clone())
    }

    /// Whether `name` is one of the process's co-facilitators.
    pub fn is_co_facilitator(&self, name: &str) -> bool {
        self.info.co_facilitators.iter().any(|c| c == name)
    }

    /// The latest draft.
    pub fn latest(&self) -> Option<&DraftVersion> {
        self.drafts.last()
    }

    /// A draft by id.
    pub fn draft(&self, id: &str) -> Option<&DraftVersion> {
        self.drafts.iter().find(|d| d.id == id)
    }

    /// A proposal by id.
    pub fn proposal(&self, id: &str) -> Option<&Proposal> {
        self.proposals.iter().find(|p| p.id == id)
    }

    /// The outcome recorded for an idempotency key, if that request was
    /// already applied.
    pub fn outcome_for_key(&self, key: &str) -> Option<&Outcome> {
        self.keys.get(key)
    }

    /// The revision of a working paragraph.
    pub fn paragraph_revision(&self, id: &str) -> u64 {
        self.revisions.get(id).copied().unwrap_or(self.working_base)
    }

    /// The working text's paragraphs with their revisions.
    pub fn working_paragraphs(&self) -> Vec<WorkingParagraph<'_>> {
        self.working
            .paragraphs
            .iter()
            .map(|p| WorkingParagraph { paragraph: p, revision: self.paragraph_revision(&p.id) })
            .collect()
    }

    /// The current state of a working paragraph, as a conflict carries it.
    pub(super) fn contested_paragraph(&self, id: &str) -> Contested {
        match self.working.paragraphs.iter().find(|p| p.id == id) {
            Some(p) => Contested::Paragraph(Box::new(ContestedParagraph {
                paragraph: p.clone(),
                revision: self.paragraph_revision(id),
            })),
            None => Contested::Nothing,
        }
    }

    /// The compilation text: the latest draft with the live proposals on each
    /// paragraph. Proposals are those `visible` lets through.
    pub fn compilation(&self) -> Vec<CompilationParagraph<'_>> {
        let Some(latest) = self.latest() else { return Vec::new() };
        let mut by_paragraph: BTreeMap<&str, Vec<&Proposal>> = BTreeMap::new();
        for p in &self.proposals {
            if p.state != ProposalState::Live {
                continue;
            }
            if let Some([d, para]) = &p.current {
                if d == &latest.id {
                    by_paragraph.entry(para.as_str()).or_default().push(p);
                }
            }
        }
        latest
            .document
            .paragraphs
            .iter()
            .map(|para| CompilationParagraph {
                paragraph: para,
                proposals: by_paragraph
                    .remove(para.id.as_str())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| CompilationEntry { proposal: p, author_name: self.name_of(&p.author) })
                    .collect(),
            })
            .collect()
    }

    /// The compilation text as plain text: each paragraph of the latest
    /// draft, then its live proposals, attributed, with supporters and
    /// opponents.
    pub fn compilation_text(&self) -> String {
        self.compilation_text_showing(true)
    }

    /// The compilation text, with its proposals or (for a reader who may
    /// not read them) without: the latest draft's paragraphs only.
    pub fn compilation_text_showing(&self, proposals: bool) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let Some(latest) = self.latest() else { return out };
        let title = latest.document.title.as_deref().unwrap_or(&self.info.title);
        let _ = writeln!(
            out,
            "{title}\nCompilation text of {} ({}), with {} live proposals\n",
            latest.label,
            latest.id,
            self.proposals.iter().filter(|p| p.state == ProposalState::Live).count()
        );
        let mut heading = None;
        for entry in self.compilation() {
            let p = entry.paragraph;
            if p.heading != heading {
                heading = p.heading.clone();
                if let Some(h) =
                    heading.as_ref().and_then(|h| latest.document.headings.iter().find(|x| &x.id == h))
                {
                    let _ =
                        writeln!(out, "{}\n", [h.number.as_deref().unwrap_or(""), &h.title].join(" ").trim());
                }
            }
            let number = p.number.as_deref().map(|n| format!("{n}. ")).unwrap_or_default();
            let status =
                if p.status == Status::Open { String::new() } else { format!(" [{}]", p.status.tag()) };
            let _ = writeln!(out, "{number}{}{status}", p.text);
            for e in entry.proposals.iter().filter(|_| proposals) {
                let q = e.proposal;
                let by = if q.author == q.tabled_by {
                    e.author_name.clone()
                } else {
                    format!("{} (tabled by {})", e.author_name, self.name_of(&q.tabled_by))
                };
                let what = q.describe();
                let _ = writeln!(out, "    {} — {by}: {what}", q.id);
                let names =
                    |ids: &[String]| ids.iter().map(|i| self.name_of(i)).collect::<Vec<_>>().join(", ");
                if !q.supporters.is_empty() {
                    let _ = writeln!(out, "        supported by {}", names(&q.supporters));
                }
                if !q.opponents.is_empty() {
                    let _ = writeln!(out, "        opposed by {}", names(&q.opponents));
                }
                if let Some(r) = &q.rationale {
                    let _ = writeln!(out, "        rationale: {r}");
                }
            }
            out.push('\n');
        }
        out
    }

    /// Fills in what an action derives from the state, so that the log
    /// records it and a replay reads it instead of computing it again: the
    /// lineage of an imported draft (from `compare`), the text and lineage of
    /// a produced revision. Whatever a client put there is replaced, except
    /// the letters of a revision's text (its cover letter, as edited).
    pub fn prepare(&self, action: &mut Action, actor: &Actor) {
        self.prepare_at(action, actor, self.at_ms);
    }

    /// [`ProcessState::prepare`] for an event to be recorded at `at_ms`
    /// (the date line of an adopted text is that day's, in the process's
    /// time zone).
    pub fn prepare_at(&self, action: &mut Action, actor: &Actor, at_ms: i64) {
        self.prepare_endgame(action, at_ms);
        match action {
            Action::ImportDraft { canonical: text, lineage, .. } => {
                *lineage = match self.latest() {
                    Some(prev) if canonical::is_canonical(text) => {
                        Some(lineage_by_comparison(&prev.document, &canonical::read(text)))
                    }
                    _ => None,
                };
            }
            Action::ProduceRevision { label, date, canonical: text, lineage, .. } => {
                if self.latest().is_some() && !label.trim().is_empty() {
                    // A revision is dated the day it is produced, unless told
                    // otherwise: never the date line of the draft it follows.
                    if date.as_deref().is_none_or(|d| d.trim().is_empty()) {
                        *date = Some(super::clock::local_date(at_ms, self.time_zone()));
                    }
                    // A request may carry a text for its letters only: the
                    // cover letter as its signatories edited it. The text
                    // itself is always the working text's.
                    let letters = text
                        .as_deref()
                        .filter(|t| canonical::is_canonical(t))
                        .map(|t| canonical::read(t).letters)
                        .filter(|l| !l.is_empty());
                    let (mut document, l) = self.next_revision(label, date.as_deref(), actor);
                    if let Some(letters) = letters {
                        document.letters = letters;
                    }
                    *text = Some(canonical::write(&document));
                    *lineage = Some(l);
                } else {
                    *text = None;
                    *lineage = None;
                }
            }
            _ => {}
        }
    }

    /// Checks `event`, a new request, against every rule in force and
    /// applies it. On error nothing has changed.
    pub fn apply(&mut self, event: &Event) -> Result<Outcome, DomainError> {
        self.apply_in_time(event, |s| {
            let change = s.plan(event, Origin::Request)?;
            Ok(s.commit(event, change))
        })
    }

    /// Applies `event`, read from the log: it is checked for what its change
    /// needs (sequence, existence, revisions), not for request rules added
    /// since it was recorded, so an existing history always replays. On error
    /// nothing has changed.
    pub fn apply_recorded(&mut self, event: &Event) -> Result<Outcome, DomainError> {
        self.apply_in_time(event, |s| {
            let change = s.plan(event, Origin::Log)?;
            Ok(s.commit(event, change))
        })
    }

    /// Whether `event` would be applied as a new request, without applying it.
    pub fn check(&self, event: &Event) -> Result<(), DomainError> {
        self.as_of(event.at_ms).plan(event, Origin::Request).map(drop)
    }

    pub(super) fn record_burn_down(&mut self, event: &Event) {
        let brackets = self
            .working
            .paragraphs
            .iter()
            .map(|p| p.brackets.iter().filter(|b| !b.opens_before).count())
            .sum();
        let not_agreed = self.working.paragraphs.iter().filter(|p| p.status != Status::Agreed).count();
        let point = BurnPoint { seq: event.seq, at_ms: event.at_ms, brackets, not_agreed };
        if self.burn_down.last().is_some_and(|l| l.brackets == brackets && l.not_agreed == not_agreed) {
            return;
        }
        self.burn_down.push(point);
    }

    pub(super) fn push_draft(
        &mut self,
        label: &str,
        publication: Publication,
        produced: bool,
        at_ms: i64,
        document: Draft,
        lineage: BTreeMap<String, Option<String>>,
    ) -> String {
        let id = format!("d{}", self.drafts.len() + 1);
        // Proposals follow their paragraph into the new draft.
        if let Some(prev) = self.latest().map(|d| d.id.clone()) {
            for p in self.proposals.iter_mut() {
                if let Some([d, para]) = &p.current {
                    if *d == prev {
                        p.current = lineage.get(para).cloned().flatten().map(|n| [id.clone(), n]);
                    }
                }
            }
        }
        self.working = document.clone();
        self.revisions.clear();
        self.deleted.clear();
        self.working_base = self.seq + 1;
        self.drafts.push(DraftVersion {
            id: id.clone(),
            label: label.trim().to_string(),
            publication,
            produced,
            at_ms,
            document,
            lineage,
        });
        id
    }

    /// The id paragraph `paragraph` of draft `draft` has in draft `target`,
    /// the same draft or a later one, followed through each draft's lineage
    /// (`None`: deleted on the way, or `target` is earlier).
    pub fn paragraph_in(&self, draft: &str, paragraph: &str, target: &str) -> Option<String> {
        let start = self.drafts.iter().position(|d| d.id == draft)?;
        let end = self.drafts.iter().position(|d| d.id == target)?;
        let mut id = paragraph.to_string();
        for d in self.drafts.get(start + 1..=end)? {
            id = d.lineage.get(&id).cloned().flatten()?;
        }
        Some(id)
    }

    /// Where paragraph `paragraph` of draft `draft` stands in the latest draft.
    pub(super) fn follow(&self, draft: &str, paragraph: &str) -> Option<[String; 2]> {
        let start = self.drafts.iter().position(|d| d.id == draft)?;
        let mut id = paragraph.to_string();
        for d in &self.drafts[start + 1..] {
            id = d.lineage.get(&id).cloned().flatten()?;
        }
        Some([self.drafts.last()?.id.clone(), id])
    }
}

/// Lineage between two drafts from `compare`: each old paragraph to the new
/// paragraph that continues it (the first, when it was split).
pub(crate) fn lineage_by_comparison(old: &Draft, new: &Draft) -> BTreeMap<String, Option<String>> {
    let comparison = crate::compare(old, new);
    let mut lineage: BTreeMap<String, Option<String>> =
        old.paragraphs.iter().map(|p| (p.id.clone(), None)).collect();
    for link in &comparison.paragraphs {
        if let Some(first) = link.new.first() {
            for o in &link.old {
                lineage.insert(o.clone(), Some(first.clone()));
            }
        }
    }
    lineage
}
