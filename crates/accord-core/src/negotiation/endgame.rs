//! The end game of a negotiation: the deadline for textual proposals, the
//! silence procedure and adoption.
//!
//! Every rule here is judged by the recorded time of the event
//! ([`Event::at_ms`], the store's clock), never by a clock read during
//! checking, so a replay of the log reaches the same state.
//!
//! - **Deadline.** After the deadline for textual proposals (from the instant
//!   itself), tabling and rewording a proposal are refused; support,
//!   opposition and decisions go on.
//! - **Silence.** Co-facilitators place the latest draft, circulated and
//!   without brackets, under silence until an instant. Until then its text is
//!   frozen, and a delegation or group may break silence on named paragraphs
//!   with its reasons: those paragraphs are reopened at once, the break
//!   recorded. A break at or after the instant is refused. The silence
//!   *passes* deterministically: the first event recorded at or after the
//!   instant is applied to the state with the silence settled — every
//!   paragraph not broken, and the title (no break names it), become agreed — so no clock event is
//!   needed and a replay settles it at the same place. [`ProcessState::as_of`]
//!   shows the settled state to a reader before any such event.
//! - **Adoption.** Refused with every obstacle readiness finds; then the text
//!   as adopted enters the series (status tags gone, preamble unnumbered under
//!   "The General Assembly,", operative paragraphs renumbered, lineage
//!   recorded, the date line "Text as adopted – DATE"), and the process
//!   becomes read-only.

use std::borrow::Cow;

use serde::Serialize;

use super::check::{check_text, delegation_of, invalid, not_found};
use super::clock::{self, local_time};
use super::commit::{Change, NewDraft};
use super::revision::renumber;
use super::*;
use crate::canonical;
use crate::model::{Draft, Paragraph, ParagraphKind};

/// The chapeau under which a General Assembly resolution's preamble stands.
pub const CHAPEAU: &str = "The General Assembly,";

/// The deadline for textual proposals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The instant, in milliseconds since the epoch (UTC).
    pub until_ms: i64,
    /// Who set it (an actor label).
    pub set_by: String,
    /// The session that set it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

/// One paragraph on which silence was broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SilenceBreak {
    /// The paragraph id in the working text.
    pub paragraph: String,
    /// The participant in whose name it was broken.
    pub by: String,
    /// Who acted (the delegation, when it broke in a group's name).
    pub broken_by: String,
    /// Why.
    pub reason: String,
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
}

/// A silence procedure on one draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Silence {
    /// The draft under silence.
    pub draft: String,
    /// Silence ends at this instant (milliseconds since the epoch).
    pub until_ms: i64,
    /// Who placed the draft under silence.
    pub started_by: String,
    /// When.
    pub started_at_ms: i64,
    /// The breaks, in order.
    pub breaks: Vec<SilenceBreak>,
    /// Whether the deadline was reached and its outcome applied.
    pub settled: bool,
}

/// Where a silence stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SilenceState {
    /// Under silence, unbroken so far.
    Running,
    /// Some delegation broke silence.
    Broken,
    /// The deadline came, unbroken: the text is agreed.
    Passed,
}

/// A break as `silence status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakStatus {
    /// Paragraph id.
    pub paragraph: String,
    /// In whose name.
    pub by: String,
    /// Why.
    pub reason: String,
    /// When, RFC 3339 in the process's time zone.
    pub at: String,
}

/// What `silence status` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SilenceStatus {
    /// `running`, `broken` or `passed`.
    pub state: SilenceState,
    /// The draft under silence.
    pub draft: String,
    /// The deadline, RFC 3339 in the process's time zone.
    pub until: String,
    /// The deadline as a delegate reads it, the zone named.
    pub until_local: String,
    /// The breaks, one per paragraph named.
    pub breaks: Vec<BreakStatus>,
}

/// The process's adoption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adoption {
    /// The draft holding the text as adopted.
    pub draft: String,
    /// Who adopted it.
    pub by: String,
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
}

/// What an end-game event changes.
#[derive(Debug)]
pub(super) enum EndgameChange {
    TimeZone(String),
    Deadline(Option<Deadline>),
    Silence(Silence),
    Break(Vec<(usize, SilenceBreak)>),
    Adopt(Box<(NewDraft, Adoption)>),
}

impl ProcessState {
    /// The process's time zone (IANA name).
    pub fn time_zone(&self) -> &str {
        self.time_zone.as_deref().unwrap_or(clock::DEFAULT_TIME_ZONE)
    }

    /// An instant shown in the process's time zone, the zone named.
    pub fn local_time(&self, ms: i64) -> String {
        local_time(ms, self.time_zone())
    }

    /// Whether the silence's deadline has come at `at_ms` and its outcome
    /// is still to be applied.
    fn silence_due(&self, at_ms: i64) -> bool {
        self.silence.as_ref().is_some_and(|s| !s.settled && at_ms >= s.until_ms)
    }

    /// The state as a reader sees it at `now_ms`: a silence whose deadline
    /// has come is settled (what the next recorded event will also do).
    pub fn as_of(&self, now_ms: i64) -> Cow<'_, ProcessState> {
        if self.silence_due(now_ms) {
            let mut s = self.clone();
            // As the next event will: its seq is the revision a reader sees.
            s.settle_silence(self.seq + 1, now_ms);
            Cow::Owned(s)
        } else {
            Cow::Borrowed(self)
        }
    }

    /// Applies `event` through `step` (check then commit), first settling a
    /// silence whose deadline the event's time has reached. On error nothing
    /// has changed.
    pub(super) fn apply_in_time(
        &mut self,
        event: &Event,
        step: impl FnOnce(&mut ProcessState) -> Result<Outcome, DomainError>,
    ) -> Result<Outcome, DomainError> {
        if !self.silence_due(event.at_ms) {
            return step(self);
        }
        // Rare (once per silence): settle a copy, so a refused event leaves
        // the state as it was.
        let mut next = self.clone();
        next.settle_silence(event.seq, event.at_ms);
        let out = step(&mut next)?;
        *self = next;
        Ok(out)
    }

    /// The silence's outcome at its deadline: every paragraph on which it was
    /// not broken, and the title, become agreed.
    fn settle_silence(&mut self, seq: u64, at_ms: i64) {
        let Some(silence) = self.silence.as_mut() else { return };
        silence.settled = true;
        let broken: Vec<String> = silence.breaks.iter().map(|b| b.paragraph.clone()).collect();
        for p in self.working.paragraphs.iter_mut() {
            if !broken.contains(&p.id) && (p.status != Status::Agreed || p.status_note.is_some()) {
                p.status = Status::Agreed;
                p.status_note = None;
                self.revisions.insert(p.id.clone(), seq);
            }
        }
        if self.working.title.is_some() {
            self.working.title_status = Status::Agreed;
            self.working.title_status_note = None;
        }
        let brackets = self.burn_down.last().map_or(0, |b| b.brackets);
        let not_agreed = self.working.paragraphs.iter().filter(|p| p.status != Status::Agreed).count();
        self.burn_down.push(BurnPoint { seq, at_ms, brackets, not_agreed });
    }

    /// Where the latest silence stands at `now_ms`.
    pub fn silence_status(&self, now_ms: i64) -> Option<SilenceStatus> {
        let s = self.silence.as_ref()?;
        let zone = self.time_zone();
        let state = if !s.breaks.is_empty() {
            SilenceState::Broken
        } else if s.settled || now_ms >= s.until_ms {
            SilenceState::Passed
        } else {
            SilenceState::Running
        };
        Some(SilenceStatus {
            state,
            draft: s.draft.clone(),
            until: clock::rfc3339_in(s.until_ms, zone),
            until_local: local_time(s.until_ms, zone),
            breaks: s
                .breaks
                .iter()
                .map(|b| BreakStatus {
                    paragraph: b.paragraph.clone(),
                    by: b.by.clone(),
                    reason: b.reason.clone(),
                    at: clock::rfc3339_in(b.at_ms, zone),
                })
                .collect(),
        })
    }

    /// The text as adopted, in plain text (`None` before adoption).
    pub fn adopted_text(&self) -> Option<String> {
        let a = self.adoption.as_ref()?;
        self.draft(&a.draft).map(|d| adopted_plain_text(&d.document))
    }

    /// Refuses every action once the process is adopted.
    pub(super) fn check_not_adopted(&self) -> Result<(), DomainError> {
        match &self.adoption {
            Some(a) => Err(DomainError::conflict(format!(
                "process `{}` is read-only: its text was adopted on {} ({})",
                self.id,
                self.local_time(a.at_ms),
                a.draft
            ))),
            None => Ok(()),
        }
    }

    /// Refuses a change to the text while a draft is under silence.
    pub(super) fn check_silence(&self, action: &Action) -> Result<(), DomainError> {
        let Some(s) = self.silence.as_ref().filter(|s| !s.settled) else { return Ok(()) };
        let frozen = match action {
            Action::Decide { decision, .. } => *decision == Decision::Accept,
            Action::ImportDraft { .. }
            | Action::TableProposal { .. }
            | Action::Revise { .. }
            | Action::SetStatus { .. }
            | Action::ResolveBracket { .. }
            | Action::WriteCompromise { .. }
            | Action::ProduceRevision { .. }
            | Action::StartSilence { .. }
            | Action::Adopt { .. } => true,
            _ => false,
        };
        if frozen {
            return Err(DomainError::conflict(format!(
                "draft {} is under silence until {}; its text cannot change until then (to {} now)",
                s.draft,
                self.local_time(s.until_ms),
                action.name().replace('-', " ")
            )));
        }
        Ok(())
    }

    /// Refuses tabling and rewording once the deadline for textual proposals
    /// has come, by the event's recorded time.
    pub(super) fn check_deadline(&self, event: &Event) -> Result<(), DomainError> {
        match &self.deadline {
            Some(d) if event.at_ms >= d.until_ms => invalid(format!(
                "the deadline for textual proposals was {}; no proposal may be tabled or reworded after it \
                 (support, opposition and decisions go on)",
                self.local_time(d.until_ms)
            )),
            _ => Ok(()),
        }
    }

    fn instant(&self, what: &str, text: &str) -> Result<i64, DomainError> {
        clock::parse_instant(text, self.time_zone()).map_err(|e| DomainError::Invalid(format!("{what}: {e}")))
    }

    /// Fills in what an end-game action derives from the state: instants
    /// normalised to UTC (so the log does not depend on the tz rules of the
    /// day it is read), and the text as adopted with its lineage.
    pub(super) fn prepare_endgame(&self, action: &mut Action, at_ms: i64) {
        let zone = self.time_zone().to_string();
        let normalise = |t: &mut String| {
            if let Ok(ms) = clock::parse_instant(t, &zone) {
                *t = rfc3339(ms);
            }
        };
        match action {
            Action::SetDeadline { until: Some(t), .. } | Action::StartSilence { until: t } => normalise(t),
            Action::Adopt { date, canonical: text, lineage } => {
                let date = date.get_or_insert_with(|| clock::local_date(at_ms, &zone));
                if self.latest().is_some() {
                    let (document, l) = self.adopted_draft(date);
                    *text = Some(canonical::write(&document));
                    *lineage = Some(l);
                }
            }
            _ => {}
        }
    }

    pub(super) fn set_time_zone(&self, zone: &str) -> Result<Change, DomainError> {
        clock::check_time_zone(zone).map_err(DomainError::Invalid)?;
        Ok(Change::Endgame(EndgameChange::TimeZone(zone.to_string())))
    }

    pub(super) fn set_deadline(
        &self,
        event: &Event,
        until: Option<&str>,
        session: Option<&str>,
    ) -> Result<Change, DomainError> {
        self.check_session(session)?;
        let deadline = match until {
            None => None,
            Some(t) => Some(Deadline {
                until_ms: self.instant("the deadline", t)?,
                set_by: event.actor.label(),
                session: session.map(str::to_string),
            }),
        };
        Ok(Change::Endgame(EndgameChange::Deadline(deadline)))
    }

    pub(super) fn start_silence(&self, event: &Event, until: &str) -> Result<Change, DomainError> {
        let Some(latest) = self.latest() else { return invalid("there is no draft to place under silence") };
        if latest.publication < Publication::Circulated {
            return invalid(format!(
                "draft {} is internal; circulate it before placing it under silence",
                latest.id
            ));
        }
        let until_ms = self.instant("the end of silence", until)?;
        if until_ms <= event.at_ms {
            return invalid(format!("silence must end after now; {} is past", self.local_time(until_ms)));
        }
        let readiness = crate::readiness::readiness(&self.working);
        if let Some(b) = readiness.obstacles.iter().find(|o| o.kind == "brackets") {
            return invalid(format!("a text under silence has no brackets: {}", b.message));
        }
        Ok(Change::Endgame(EndgameChange::Silence(Silence {
            draft: latest.id.clone(),
            until_ms,
            started_by: event.actor.label(),
            started_at_ms: event.at_ms,
            breaks: Vec::new(),
            settled: false,
        })))
    }

    pub(super) fn break_silence(
        &self,
        event: &Event,
        on_behalf_of: &str,
        paragraphs: &[String],
        reason: &str,
    ) -> Result<Change, DomainError> {
        let Some(s) = &self.silence else { return invalid("no draft is under silence") };
        if s.settled || event.at_ms >= s.until_ms {
            return Err(DomainError::conflict(format!(
                "silence on draft {} ended {}; a break at {} is too late",
                s.draft,
                self.local_time(s.until_ms),
                self.local_time(event.at_ms)
            )));
        }
        let acting = delegation_of(&event.actor);
        if !policy::may_act_for(self, acting, on_behalf_of) {
            return Err(DomainError::Forbidden(format!(
                "delegation `{acting}` may not break silence in the name of `{on_behalf_of}`"
            )));
        }
        check_text("the reason", reason)?;
        if reason.trim().is_empty() {
            return invalid("a break of silence gives its reasons");
        }
        if paragraphs.is_empty() {
            return invalid("a break of silence names the paragraphs it cannot accept");
        }
        let mut breaks = Vec::new();
        for id in paragraphs {
            let Some(k) = self.working.paragraphs.iter().position(|p| &p.id == id) else {
                return not_found(format!("draft {} has no paragraph `{id}`", s.draft));
            };
            if breaks.iter().all(|(j, _)| *j != k) {
                let b = SilenceBreak {
                    paragraph: id.clone(),
                    by: on_behalf_of.to_string(),
                    broken_by: acting.to_string(),
                    reason: reason.trim().to_string(),
                    at_ms: event.at_ms,
                };
                breaks.push((k, b));
            }
        }
        Ok(Change::Endgame(EndgameChange::Break(breaks)))
    }

    pub(super) fn adopt(
        &self,
        event: &Event,
        date: Option<&str>,
        prepared: Option<(&str, &Lineage)>,
    ) -> Result<Change, DomainError> {
        let Some(latest) = self.latest() else { return invalid("there is no draft to adopt") };
        let readiness = crate::readiness::readiness(&self.working);
        if !readiness.ready {
            let reasons: Vec<&str> = readiness.obstacles.iter().map(|o| o.message.as_str()).collect();
            let reasons = if reasons.is_empty() {
                "the text has no paragraphs".to_string()
            } else {
                reasons.join("; ")
            };
            return Err(DomainError::conflict(format!("the text cannot be adopted yet: {reasons}")));
        }
        let (document, lineage) = match prepared {
            Some((text, lineage)) => (canonical::read(text), lineage.clone()),
            None => {
                let date =
                    date.map_or_else(|| clock::local_date(event.at_ms, self.time_zone()), str::to_string);
                self.adopted_draft(&date)
            }
        };
        let publication = if self.info.public { Publication::Public } else { latest.publication };
        Ok(Change::Endgame(EndgameChange::Adopt(Box::new((
            NewDraft { label: "Text as adopted".into(), publication, produced: true, document, lineage },
            Adoption {
                draft: format!("d{}", self.drafts.len() + 1),
                by: event.actor.label(),
                at_ms: event.at_ms,
            },
        )))))
    }

    /// Makes an end-game change; returns whether it touched the text.
    pub(super) fn commit_endgame(&mut self, event: &Event, change: EndgameChange, out: &mut Outcome) -> bool {
        match change {
            EndgameChange::TimeZone(z) => self.time_zone = Some(z),
            EndgameChange::Deadline(d) => {
                if let Some(s) = d.as_ref().and_then(|d| d.session.clone()) {
                    let summary = format!(
                        "deadline for textual proposals: {}",
                        self.local_time(d.as_ref().map_or(0, |d| d.until_ms))
                    );
                    self.record_in_session(Some(&s), event.seq, event.action.name(), summary, Vec::new());
                    out.session = Some(s);
                }
                self.deadline = d;
            }
            EndgameChange::Silence(s) => {
                out.draft = Some(s.draft.clone());
                self.silence = Some(s);
            }
            EndgameChange::Break(breaks) => {
                for (k, b) in breaks {
                    let p = &mut self.working.paragraphs[k];
                    p.status = Status::Open;
                    p.status_note = Some(format!(
                        "silence broken by {}",
                        self.participants
                            .iter()
                            .find(|x| x.id == b.by)
                            .map_or(b.by.as_str(), |x| x.name.as_str())
                    ));
                    self.revisions.insert(p.id.clone(), event.seq);
                    out.paragraph = Some(p.id.clone());
                    if let Some(s) = self.silence.as_mut() {
                        s.breaks.push(b);
                    }
                }
                return true;
            }
            EndgameChange::Adopt(adopted) => {
                let (d, adoption) = *adopted;
                let accepted = std::mem::take(&mut self.accepted);
                let id = self.push_draft(&d.label, d.publication, true, event.at_ms, d.document, d.lineage);
                for p in self.proposals.iter_mut().filter(|p| accepted.contains(&p.id)) {
                    p.incorporated_in = Some(id.clone());
                }
                out.draft = Some(id);
                self.adoption = Some(adoption);
                return true;
            }
        }
        false
    }

    /// The text as adopted, built from the working text, and its lineage
    /// from the latest draft: status tags gone, the preamble unnumbered under
    /// the chapeau, operative paragraphs renumbered, the date line
    /// "Text as adopted – DATE".
    pub(super) fn adopted_draft(&self, date: &str) -> (Draft, Lineage) {
        let mut draft = self.working.clone();
        draft.diagnostics.clear();
        draft.furniture.clear();
        draft.letters.clear();
        draft.front_matter.clear();
        draft.title_status = Status::Open;
        draft.title_status_note = None;
        draft.date = Some(format!("Text as adopted – {}", date.trim()));
        // The preamble stands unnumbered under its chapeau, which the parser
        // reads as the preamble's first paragraph: one is added unless the
        // draft has its own ("We, the Heads of State and Government,").
        let has_chapeau = draft
            .paragraphs
            .iter()
            .find(|p| p.kind == ParagraphKind::Preambular)
            .is_some_and(|p| crate::parse::is_chapeau(&p.text, None));
        if let Some(k) = draft.paragraphs.iter().position(|p| p.kind == ParagraphKind::Preambular) {
            if !has_chapeau {
                let chapeau = Paragraph {
                    id: String::new(),
                    number: None,
                    text: CHAPEAU.into(),
                    parent: None,
                    option: None,
                    footnotes: Vec::new(),
                    brackets: Vec::new(),
                    references: Vec::new(),
                    emphasis: Vec::new(),
                    ..draft.paragraphs[k].clone()
                };
                draft.paragraphs.insert(k, chapeau);
                for h in draft.headings.iter_mut().filter(|h| h.first_paragraph > k) {
                    h.first_paragraph += 1;
                }
            }
        }
        // Top-level preambular paragraphs lose their numbers and take the ids
        // the parser gives unnumbered paragraphs.
        let mut ids: std::collections::BTreeMap<String, String> = Default::default();
        let mut n = 0;
        for p in draft.paragraphs.iter_mut() {
            p.status = Status::Open;
            p.status_note = None;
            if let Some(end) = source_note(p) {
                p.text.truncate(end);
            }
            if p.kind == ParagraphKind::Preambular && p.parent.is_none() && p.option.is_none() {
                n += 1;
                p.number = None;
                if !p.id.is_empty() {
                    ids.insert(p.id.clone(), format!("P{n}"));
                }
                p.id = format!("P{n}");
            } else if let Some(parent) = p.parent.clone() {
                if let Some(np) = ids.get(&parent).cloned() {
                    let id =
                        p.id.strip_prefix(parent.as_str())
                            .map_or_else(|| p.id.clone(), |r| format!("{np}{r}"));
                    ids.insert(p.id.clone(), id.clone());
                    p.id = id;
                    p.parent = Some(np);
                }
            }
        }
        // A heading over the preamble ("Preamble") gives way to the chapeau.
        let preamble_headings: Vec<String> = draft
            .headings
            .iter()
            .filter(|h| {
                draft
                    .paragraphs
                    .iter()
                    .find(|p| p.heading.as_ref() == Some(&h.id))
                    .is_some_and(|p| p.kind == ParagraphKind::Preambular)
            })
            .map(|h| h.id.clone())
            .collect();
        draft.headings.retain(|h| !preamble_headings.contains(&h.id));
        for p in draft.paragraphs.iter_mut() {
            if p.heading.as_ref().is_some_and(|h| preamble_headings.contains(h)) {
                p.heading = None;
            }
        }
        let renumbered = renumber(&mut draft);
        let draft = canonical::read(&canonical::write(&draft));
        let mut lineage = Lineage::new();
        if let Some(latest) = self.latest() {
            for p in &latest.document.paragraphs {
                let id = ids.get(&p.id).unwrap_or(&p.id);
                lineage.insert(p.id.clone(), renumbered.get(id).cloned());
            }
        }
        (draft, lineage)
    }
}

/// Where a drafting note citing the source of agreed language begins, when
/// the paragraph ends with one: a parenthesis after the sentence has ended,
/// holding a citation ("… unfinished business. (Paragraph 2 of Agenda
/// 2030)"). Such notes guide negotiators and are not part of the text as
/// adopted. Returns the byte offset to cut at.
fn source_note(p: &Paragraph) -> Option<usize> {
    let text = p.text.trim_end();
    if !text.ends_with(')') {
        return None;
    }
    // The parenthesis that the final `)` closes.
    let mut depth = 0usize;
    let mut open = None;
    for (i, c) in text.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let open = open?;
    let before = text[..open].trim_end();
    if !before.ends_with(['.', ';', ',', ':']) {
        return None;
    }
    let open_chars = text[..open].chars().count() as u32;
    p.references.iter().any(|r| r.start >= open_chars).then_some(before.len())
}

/// A draft as adopted, in plain text in the General Assembly's style: title,
/// date line, then headings and paragraphs, numbered paragraphs as `1. …`,
/// the preamble unnumbered under its chapeau.
pub fn adopted_plain_text(draft: &Draft) -> String {
    let mut out = String::new();
    if let Some(t) = &draft.title {
        out.push_str(t);
        out.push('\n');
    }
    if let Some(d) = &draft.date {
        out.push_str(d);
        out.push('\n');
    }
    out.push('\n');
    let mut headings = draft.headings.iter().peekable();
    for (i, p) in draft.paragraphs.iter().enumerate() {
        while let Some(h) = headings.next_if(|h| h.first_paragraph <= i) {
            let number = h.number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
            out.push_str(&format!("{number}{}\n\n", h.title));
        }
        match p.number.as_deref() {
            Some(n) if n.ends_with(')') => out.push_str(&format!("{n} {}\n\n", p.text)),
            Some(n) => out.push_str(&format!("{n}. {}\n\n", p.text)),
            None => out.push_str(&format!("{}\n\n", p.text)),
        }
    }
    for h in headings {
        out.push_str(&format!("{}\n\n", h.title));
    }
    out
}
