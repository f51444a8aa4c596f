//! A delegation's marked-up Word file as the proposals the workspace can
//! table: each tracked change becomes an edit on its paragraph (insert,
//! delete, replace, a new or deleted paragraph) with the base text it
//! touches quoted, each comment on it the rationale, and whatever cannot be
//! placed is listed with the reason.
//!
//! Word authors are people ("Jane Smith"), proposals are tabled by
//! delegations: every author must be mapped (`"Jane Smith=norway"`) or be a
//! known participant id itself. An unknown author is refused with a message
//! naming it — never guessed, because a proposal in the wrong name is worse
//! than none.

use std::collections::BTreeSet;
use std::collections::HashMap;

use accord_core::negotiation::Edit;
use serde::Serialize;
use thiserror::Error;

use super::{ChangeKind, Import, TrackedChange};

/// Why the changes of a file cannot be tabled.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ProposalError {
    /// Word authors that are neither mapped nor participants.
    #[error("unknown Word author(s): {}; map each with --author \"Name=delegation\"", .0.join(", "))]
    UnknownAuthors(Vec<String>),
    /// A change without an author.
    #[error("a tracked change in Word paragraph {0} has no author; map it with --author \"=delegation\"")]
    NoAuthor(u32),
    /// An `--author` mapping that is not `Name=delegation`.
    #[error("the author mapping {0:?} is not Name=delegation")]
    BadMapping(String),
}

/// Word author → delegation (participant id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorMap(HashMap<String, String>);

impl AuthorMap {
    /// Reads `"Name=delegation"` mappings (the name may be empty: changes without an author).
    pub fn parse<'a>(mappings: impl IntoIterator<Item = &'a str>) -> Result<AuthorMap, ProposalError> {
        let mut map = HashMap::new();
        for m in mappings {
            let (name, delegation) =
                m.rsplit_once('=').ok_or_else(|| ProposalError::BadMapping(m.to_owned()))?;
            if delegation.trim().is_empty() {
                return Err(ProposalError::BadMapping(m.to_owned()));
            }
            map.insert(name.trim().to_owned(), delegation.trim().to_owned());
        }
        Ok(AuthorMap(map))
    }
}

/// A proposal ready to table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableableProposal {
    /// The paragraph id in the draft the file was read against.
    pub paragraph: String,
    /// The delegation it is tabled in the name of.
    pub on_behalf_of: String,
    /// What it changes.
    pub edit: Edit,
    /// The base text the edit touches (empty for an insertion).
    pub quote: String,
    /// The comments on it, joined.
    pub rationale: Option<String>,
    /// The Word author, as written.
    pub word_author: Option<String>,
    /// The Word paragraph (1-based) it came from.
    pub source_paragraph: u32,
    /// The tracked change it was made from (to report it if it cannot be tabled).
    #[serde(skip)]
    pub(crate) change: TrackedChange,
}

/// A tracked change that could not become a proposal, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unplaced {
    /// The change.
    pub change: TrackedChange,
    /// Why not, in words.
    pub reason: String,
}

/// The result: proposals and what could not be placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Proposals {
    /// One per tracked change that maps to an edit, in document order.
    pub proposals: Vec<TableableProposal>,
    /// The rest.
    pub unplaced: Vec<Unplaced>,
}

impl TableableProposal {
    /// The tracked change it was made from.
    pub fn change_of(self) -> TrackedChange {
        self.change
    }

    /// The action that tables it on `draft` (the draft its paragraph is in).
    pub fn action(&self, draft: &str) -> accord_core::negotiation::Action {
        accord_core::negotiation::Action::TableProposal {
            draft: draft.to_owned(),
            paragraph: self.paragraph.clone(),
            on_behalf_of: self.on_behalf_of.clone(),
            edit: self.edit.clone(),
            rationale: self.rationale.clone(),
            citation: None,
        }
    }
}

impl Proposals {
    /// Places each proposal on the paragraph of `current` (the draft it is
    /// tabled on) that reads exactly as its paragraph in `file` (the
    /// marked-up file's base text): the one of the same id, else the only
    /// paragraph with that text (a file whose numbering Word changed). A
    /// file made from another draft, or a paragraph edited since, would put
    /// an edit at the wrong place: those are unplaced, with the reason.
    pub fn against(mut self, file: &accord_core::Draft, current: &accord_core::Draft) -> Proposals {
        let text_of = |id: &str| file.paragraphs.iter().find(|p| p.id == id).map(|p| p.text.as_str());
        let mut kept = Vec::with_capacity(self.proposals.len());
        for mut p in std::mem::take(&mut self.proposals) {
            let text = text_of(&p.paragraph).unwrap_or("");
            let same_id = current.paragraphs.iter().find(|q| q.id == p.paragraph && q.text == text);
            let mut by_text = current.paragraphs.iter().filter(|q| q.text == text);
            let only = match (by_text.next(), by_text.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            };
            match same_id.or(only) {
                Some(q) => {
                    p.paragraph = q.id.clone();
                    kept.push(p);
                }
                None => {
                    let reason = format!(
                        "paragraph {} does not stand in the draft as in the file (made from another draft, \
                         or edited since); table it by hand",
                        p.paragraph
                    );
                    self.unplaced.push(Unplaced { change: p.change, reason });
                }
            }
        }
        self.proposals = kept;
        self
    }
}

/// Turns a marked-up file's tracked changes into proposals. `participants`
/// are the ids an author may be without a mapping.
pub fn proposals(
    import: &Import,
    authors: &AuthorMap,
    participants: &[&str],
) -> Result<Proposals, ProposalError> {
    // Authors first: refuse the whole file before anything is tabled.
    let mut unknown = BTreeSet::new();
    for c in &import.tracked_changes {
        let name = c.author.as_deref().unwrap_or("");
        if !authors.0.contains_key(name) && !participants.contains(&name) {
            if name.is_empty() {
                return Err(ProposalError::NoAuthor(c.source_paragraph));
            }
            unknown.insert(name.to_owned());
        }
    }
    if !unknown.is_empty() {
        return Err(ProposalError::UnknownAuthors(unknown.into_iter().collect()));
    }
    let text_of: HashMap<&str, Vec<char>> =
        import.draft.paragraphs.iter().map(|p| (p.id.as_str(), p.text.chars().collect())).collect();
    let index_of: HashMap<&str, usize> =
        import.draft.paragraphs.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let mut out = Proposals::default();
    for c in &import.tracked_changes {
        let name = c.author.as_deref().unwrap_or("");
        let delegation = authors.0.get(name).cloned().unwrap_or_else(|| name.to_owned());
        let unplaced = |reason: &str| Unplaced { change: c.clone(), reason: reason.to_owned() };
        let Some(pid) = c.paragraph.as_deref() else {
            out.unplaced
                .push(unplaced("it falls outside the paragraphs (in the title, a heading or a letter)"));
            continue;
        };
        let text = &text_of[pid];
        let quote: String = text[c.start as usize..c.end as usize].iter().collect();
        let mut paragraph = pid.to_owned();
        let edit = if c.moved {
            out.unplaced.push(unplaced("it is part of a paragraph move; table the move by hand"));
            continue;
        } else if c.inserted.contains('\n') || c.deleted.contains('\n') {
            let whole = c.start == 0 && c.end as usize == text.len();
            match (c.kind, c.inserted.strip_prefix('\n'), c.inserted.strip_suffix('\n')) {
                (ChangeKind::Insert, Some(rest), _)
                    if c.start as usize == text.len() && !rest.contains('\n') && !rest.is_empty() =>
                {
                    Edit::AddParagraph { text: rest.to_owned() }
                }
                (ChangeKind::Insert, _, Some(rest))
                    if c.start == 0 && !rest.contains('\n') && !rest.is_empty() =>
                {
                    // A paragraph before this one is a paragraph after the previous one.
                    match index_of[pid].checked_sub(1) {
                        Some(prev) => {
                            paragraph = import.draft.paragraphs[prev].id.clone();
                            Edit::AddParagraph { text: rest.to_owned() }
                        }
                        None => {
                            out.unplaced.push(unplaced("a new first paragraph has no paragraph to follow"));
                            continue;
                        }
                    }
                }
                (ChangeKind::Delete, _, _) if whole && c.deleted.trim_end_matches('\n') == quote => {
                    Edit::DeleteParagraph
                }
                _ => {
                    out.unplaced.push(unplaced(
                        "it splits or joins paragraphs, which is not one edit on one paragraph",
                    ));
                    continue;
                }
            }
        } else {
            match c.kind {
                ChangeKind::Insert => Edit::Insert { at: c.start, text: c.inserted.clone() },
                ChangeKind::Delete => Edit::Delete { span: [c.start, c.end] },
                ChangeKind::Replace => Edit::Replace { span: [c.start, c.end], text: c.inserted.clone() },
            }
        };
        if !matches!(edit, Edit::Insert { .. } | Edit::AddParagraph { .. })
            && quote != c.deleted.trim_end_matches('\n')
        {
            out.unplaced.push(unplaced("the deleted text does not stand at its place in the paragraph"));
            continue;
        }
        // Comments touching the change's span are its rationale.
        let notes: Vec<&str> = import
            .comments
            .iter()
            .filter(|m| {
                m.paragraph.as_deref() == Some(pid)
                    && m.start <= c.end
                    && m.end >= c.start
                    && !m.text.is_empty()
            })
            .map(|m| m.text.as_str())
            .collect();
        out.proposals.push(TableableProposal {
            paragraph,
            on_behalf_of: delegation,
            edit,
            quote: if matches!(c.kind, ChangeKind::Insert) { String::new() } else { quote },
            rationale: (!notes.is_empty()).then(|| notes.join("\n")),
            word_author: c.author.clone(),
            source_paragraph: c.source_paragraph,
            change: c.clone(),
        });
    }
    Ok(out)
}
