//! The comparison in the co-facilitators' terms: counts by relation, class
//! and bracket fate, the substantive changes to focus on, status changes on
//! linked paragraphs, and changes to the document's front.

use std::collections::BTreeMap;

use crate::model::{Draft, Paragraph};

use super::{BracketFate, Class, Fate, FrontChange, Link, StatusChange, SubstantiveChange, Summary};

/// What changed in the title, its status and the date line.
pub(super) fn front_changes(old: &Draft, new: &Draft) -> Vec<FrontChange> {
    let status = |d: &Draft| {
        d.title.as_ref().map(|_| match &d.title_status_note {
            Some(n) => format!("{}, {n}", d.title_status.as_str()),
            None => d.title_status.as_str().to_string(),
        })
    };
    let mut out = Vec::new();
    for (field, o, n) in [
        ("title", old.title.clone(), new.title.clone()),
        ("title-status", status(old), status(new)),
        ("date", old.date.clone(), new.date.clone()),
    ] {
        if o != n {
            out.push(FrontChange { field, old: o, new: n });
        }
    }
    out
}
/// Records a change of status tag between two linked paragraphs.
pub(super) fn status_change(op: &Paragraph, np: &Paragraph, statuses: &mut Vec<StatusChange>) {
    if op.status != np.status {
        statuses.push(StatusChange {
            old: op.id.clone(),
            new: np.id.clone(),
            from: op.status,
            to: np.status,
        });
    }
}

pub(super) fn summarize(
    old: &Draft,
    new: &Draft,
    links: &[Link],
    brackets: &[BracketFate],
    statuses: &[StatusChange],
) -> Summary {
    let mut relations = BTreeMap::new();
    let mut classes = BTreeMap::new();
    let mut substantive = Vec::new();
    for l in links {
        *relations.entry(l.relation.as_str()).or_insert(0) += 1;
        match l.class {
            Some(Class::Substantive) => {
                *classes.entry("substantive").or_insert(0) += 1;
                substantive.push(SubstantiveChange {
                    old: l.old.clone(),
                    new: l.new.clone(),
                    reasons: l.reasons.clone(),
                });
            }
            Some(Class::Marginal) => *classes.entry("marginal").or_insert(0) += 1,
            None => {}
        }
    }
    let mut fates = BTreeMap::new();
    for b in brackets {
        let name = match b.fate {
            Fate::Open => "open",
            Fate::Kept => "kept",
            Fate::Deleted => "deleted",
            Fate::Chosen => "chosen",
            Fate::Reworded => "reworded",
            Fate::New => "new",
        };
        *fates.entry(name).or_insert(0) += 1;
    }
    let brackets_resolved =
        brackets.iter().filter(|b| matches!(b.fate, Fate::Kept | Fate::Deleted | Fate::Chosen)).count();
    let brackets_open = new.paragraphs.iter().flat_map(|p| &p.brackets).filter(|b| !b.opens_before).count();
    Summary {
        old_paragraphs: old.paragraphs.len(),
        new_paragraphs: new.paragraphs.len(),
        relations,
        classes,
        substantive,
        brackets: fates,
        brackets_resolved,
        brackets_open,
        statuses_changed: statuses.len(),
    }
}
