//! The co-facilitators' working text: how accepted proposals, resolved
//! brackets and compromises change it, and the next revision built from it
//! with its cover letter.

use std::collections::BTreeMap;

use super::check::invalid;
use super::commit::WorkingChange;
use super::revision::{added_after, renumber};
use super::*;
use crate::canonical;
use crate::model::{Draft, Letter, Paragraph};

impl ProcessState {
    /// What accepting proposal `i` does to the working text, computed
    /// without changing it: a conflict when the proposal no longer applies.
    pub(super) fn acceptance(&self, i: usize) -> Result<WorkingChange, DomainError> {
        let p = &self.proposals[i];
        let Some([_, para]) = &p.current else {
            return Err(DomainError::conflict(format!(
                "the paragraph {} was on is no longer in the latest draft",
                p.id
            )));
        };
        let Some(k) = self.working.paragraphs.iter().position(|x| &x.id == para) else {
            return Err(DomainError::conflict(format!("paragraph {para} was deleted from the working text")));
        };
        match &p.edit {
            Edit::AddParagraph { text } => {
                let after = &self.working.paragraphs[k];
                let (number, id) =
                    added_after(after, |id| self.working.paragraphs.iter().any(|x| x.id == id));
                let paragraph = Paragraph {
                    id,
                    number,
                    status: Status::Open,
                    status_note: None,
                    text: text.trim().to_string(),
                    brackets: Vec::new(),
                    references: Vec::new(),
                    footnotes: Vec::new(),
                    parent: None,
                    option: None,
                    emphasis: Vec::new(),
                    ..after.clone()
                };
                Ok(WorkingChange::Add { at: k + 1, paragraph: Box::new(paragraph) })
            }
            Edit::DeleteParagraph => Ok(WorkingChange::Remove { at: k }),
            Edit::MoveParagraph { after } => {
                let to = match after {
                    None => 0,
                    Some(a) if a == para => return invalid("a paragraph cannot move after itself"),
                    Some(a) => match self.working.paragraphs.iter().position(|x| &x.id == a) {
                        Some(j) if j > k => j,
                        Some(j) => j + 1,
                        None => {
                            return Err(DomainError::conflict(format!(
                                "paragraph {a} is no longer in the working text"
                            )))
                        }
                    },
                };
                Ok(WorkingChange::Move { from: k, to })
            }
            edit => match apply_edit(&self.working.paragraphs[k].text, edit, &p.quote, &p.before) {
                Ok(text) => Ok(WorkingChange::Text { at: k, text }),
                Err(e) => Err(DomainError::Conflict {
                    message: format!("{e}; write a compromise text instead"),
                    current: self.contested_paragraph(para),
                }),
            },
        }
    }

    /// Makes a change to the working text; returns the paragraph it changed.
    pub(super) fn change_working(&mut self, change: WorkingChange, seq: u64) -> String {
        let id = match change {
            WorkingChange::Text { at, text } => return self.set_working_text(at, text, seq),
            WorkingChange::Add { at, paragraph } => {
                let id = paragraph.id.clone();
                self.insert_working(at, *paragraph);
                id
            }
            WorkingChange::Remove { at } => {
                let gone = self.remove_working(at);
                self.deleted.push(gone.id.clone());
                gone.id
            }
            WorkingChange::Move { from, to } => {
                let moved = self.remove_working(from);
                let id = moved.id.clone();
                self.insert_working(to, moved);
                id
            }
        };
        self.revisions.insert(id.clone(), seq);
        self.rederive_working();
        id
    }

    /// Sets working paragraph `k`'s text; returns its id.
    pub(super) fn set_working_text(&mut self, k: usize, text: String, seq: u64) -> String {
        let p = &mut self.working.paragraphs[k];
        // Emphasis follows the edit (crate::emphasis: words replaced inside
        // an italic verb stay italic, words added at its edge are plain).
        p.emphasis = crate::emphasis::carry(&p.text, &p.emphasis, &text);
        p.text = text;
        let id = self.working.paragraphs[k].id.clone();
        self.revisions.insert(id.clone(), seq);
        self.rederive_working();
        id
    }

    /// Brackets and references derive from the text, document-wide, by the
    /// same code as parsing.
    fn rederive_working(&mut self) {
        self.working = canonical::read(&canonical::write(&self.working));
    }

    fn insert_working(&mut self, at: usize, p: Paragraph) {
        for h in self.working.headings.iter_mut() {
            if h.first_paragraph >= at && h.first_paragraph > 0 {
                h.first_paragraph += 1;
            }
        }
        self.working.paragraphs.insert(at, p);
    }

    fn remove_working(&mut self, at: usize) -> Paragraph {
        for h in self.working.headings.iter_mut() {
            if h.first_paragraph > at {
                h.first_paragraph -= 1;
            }
        }
        self.working.paragraphs.remove(at)
    }

    /// The next revision built from the working text, with its lineage from
    /// the latest draft.
    pub(super) fn next_revision(
        &self,
        label: &str,
        date: Option<&str>,
        actor: &Actor,
    ) -> (Draft, BTreeMap<String, Option<String>>) {
        let Some(latest) = self.latest() else { return (Draft::default(), BTreeMap::new()) };
        let mut draft = self.working.clone();
        draft.diagnostics.clear();
        draft.furniture.clear();
        if let Some(d) = date {
            draft.date = Some(d.to_string());
        }
        let renumbered = renumber(&mut draft);
        let mut draft = canonical::read(&canonical::write(&draft));
        // Lineage from the latest draft: through the working text's ids.
        let mut lineage = BTreeMap::new();
        for p in &latest.document.paragraphs {
            lineage.insert(p.id.clone(), renumbered.get(&p.id).cloned());
        }
        let comparison = crate::compare(&latest.document, &draft);
        draft.letters = vec![self.cover_letter(label, date, actor, latest, &comparison, &renumbered)];
        (canonical::read(&canonical::write(&draft)), lineage)
    }

    fn cover_letter(
        &self,
        label: &str,
        date: Option<&str>,
        actor: &Actor,
        latest: &DraftVersion,
        comparison: &crate::Comparison,
        renumbered: &BTreeMap<String, String>,
    ) -> Letter {
        let s = &comparison.summary;
        let count = |k: &str| s.relations.get(k).copied().unwrap_or(0);
        let mut body = vec![format!(
            "We have the honour to circulate {label} of the {}, which follows {} and reflects the \
             discussions held since.",
            self.info.title,
            crate::words::with_article(&latest.label)
        )];
        // A letter reads as prose: numbers below ten in words, no "0 moved".
        use crate::words::{and_list, number as n, upper_first};
        let mut fates = Vec::new();
        for (k, one, many) in [
            (count("unchanged"), "is unchanged", "are unchanged"),
            (count("changed"), "is changed", "are changed"),
            (count("renumbered"), "is only renumbered", "are only renumbered"),
            (count("moved"), "is moved", "are moved"),
            (count("merged"), "is merged with another", "are merged with others"),
            (count("deleted"), "is deleted", "are deleted"),
        ] {
            if k > 0 {
                fates.push(format!("{} {}", n(k), if k == 1 { one } else { many }));
            }
        }
        let new = match count("new") {
            0 => "no paragraph is new".to_string(),
            1 => "one paragraph is new".to_string(),
            k => format!("{} paragraphs are new", n(k)),
        };
        let changes = if s.old_paragraphs == 0 || fates.is_empty() {
            format!("{}.", upper_first(&new))
        } else {
            format!(
                "Of the {} {} of {}, {}; {new}.",
                n(s.old_paragraphs),
                if s.old_paragraphs == 1 { "paragraph" } else { "paragraphs" },
                crate::words::with_article(&latest.label),
                and_list(&fates)
            )
        };
        let brackets = match (s.brackets_resolved, s.brackets_open) {
            (0, 0) => "No bracket remains.".to_string(),
            (0, open) => format!(
                "No bracket was resolved; {} {}.",
                n(open),
                if open == 1 { "remains" } else { "remain" }
            ),
            (done, 0) => format!(
                "{} {} resolved and none remains.",
                upper_first(&n(done)),
                if done == 1 { "bracket was" } else { "brackets were" }
            ),
            (done, open) => format!(
                "{} {} resolved and {} {}.",
                upper_first(&n(done)),
                if done == 1 { "bracket was" } else { "brackets were" },
                n(open),
                if open == 1 { "remains" } else { "remain" }
            ),
        };
        let statuses = match s.statuses_changed {
            0 => String::new(),
            1 => " The status of one paragraph changed.".to_string(),
            k => format!(" The status of {} paragraphs changed.", n(k)),
        };
        body.push(format!("{changes} {brackets}{statuses}"));
        let accepted: Vec<String> = self
            .accepted
            .iter()
            .filter_map(|id| self.proposal(id))
            .map(|p| {
                // Readers' words: "proposal 6", the paragraph by its number.
                let name = match p.id.strip_prefix('p') {
                    Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                        format!("proposal {n}")
                    }
                    _ => p.id.clone(),
                };
                let number = latest
                    .document
                    .paragraphs
                    .iter()
                    .find(|q| q.id == p.paragraph)
                    .and_then(|q| q.number.clone())
                    .unwrap_or_else(|| p.paragraph.clone());
                format!("{name} ({}, paragraph {number})", self.name_of(&p.author))
            })
            .collect();
        if !accepted.is_empty() {
            body.push(format!("It takes in the following proposals: {}.", accepted.join("; ")));
        }
        let moved: Vec<String> = renumbered
            .iter()
            .filter(|(old, new)| old != new && latest.document.paragraphs.iter().any(|p| &&p.id == old))
            .map(|(old, new)| format!("{old} → {new}"))
            .collect();
        if !moved.is_empty() {
            body.push(format!("Paragraphs are renumbered: {}.", moved.join(", ")));
        }
        Letter {
            sender: match actor {
                Actor::CoFacilitator { name } => name.clone(),
                other => other.label(),
            },
            date: date.map(str::to_string),
            addressees: vec!["All Permanent Representatives and Permanent Observers".into()],
            salutation: Some("Excellency,".into()),
            body,
            ..Default::default()
        }
    }
}
