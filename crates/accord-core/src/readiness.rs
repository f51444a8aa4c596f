//! "Nothing is agreed until everything is agreed": the status of a draft as a
//! whole, by section, and what stands between it and adoption.
//!
//! A draft is ready for adoption only when its title and every paragraph are
//! agreed (agreed ad ref is not yet agreed: capitals have still to confirm)
//! and no bracket remains anywhere in it.

use serde::Serialize;

use crate::model::{Draft, Status};

/// Counts of paragraphs by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// Paragraphs counted.
    pub total: usize,
    /// Open.
    pub open: usize,
    /// Suggested for closure.
    #[serde(rename = "suggested-for-closure")]
    pub suggested_for_closure: usize,
    /// Agreed ad ref.
    #[serde(rename = "agreed-ad-ref")]
    pub agreed_ad_ref: usize,
    /// Agreed.
    pub agreed: usize,
    /// Brackets (each counted once, in the paragraph where it opens).
    pub brackets: usize,
}

impl StatusCounts {
    fn add(&mut self, status: Status, brackets: usize) {
        self.total += 1;
        self.brackets += brackets;
        match status {
            Status::Open => self.open += 1,
            Status::SuggestedForClosure => self.suggested_for_closure += 1,
            Status::AgreedAdRef => self.agreed_ad_ref += 1,
            Status::Agreed => self.agreed += 1,
        }
    }
}

/// One section's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionStatus {
    /// The heading's id, null for paragraphs before the first heading.
    pub heading: Option<String>,
    /// The heading's title.
    pub title: Option<String>,
    /// Counts in the section.
    pub counts: StatusCounts,
}

/// A bracket still in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenBracket {
    /// The paragraph where it opens.
    pub paragraph: String,
    /// The bracketed text (within that paragraph).
    pub text: String,
    /// Nesting depth.
    pub depth: u32,
    /// Its alternatives, when it holds any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternatives: Option<Vec<String>>,
}

/// Something standing in the way of adoption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Obstacle {
    /// `title-not-agreed`, `paragraphs-open`, `paragraphs-suggested-for-closure`,
    /// `paragraphs-agreed-ad-ref`, `brackets`.
    pub kind: &'static str,
    /// The paragraphs concerned (empty for the title).
    pub paragraphs: Vec<String>,
    /// A sentence for the co-facilitators.
    pub message: String,
}

/// The dashboard of `accord status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// The title's status.
    pub title_status: Status,
    /// All paragraphs.
    pub counts: StatusCounts,
    /// By section, in document order.
    pub sections: Vec<SectionStatus>,
    /// Every bracket, with its paragraph.
    pub brackets: Vec<OpenBracket>,
    /// True only when everything is agreed and no bracket remains.
    pub ready: bool,
    /// What stands in the way, most fundamental first.
    pub obstacles: Vec<Obstacle>,
}

/// Computes the dashboard for a draft.
pub fn readiness(draft: &Draft) -> Readiness {
    let mut counts = StatusCounts::default();
    let mut sections: Vec<SectionStatus> = Vec::new();
    let mut brackets = Vec::new();
    let mut by_status: [Vec<String>; 4] = Default::default();
    // Headings and paragraphs are both in document order: a cursor finds
    // each section's heading (a search per section was quadratic: 11,000
    // sections × 11,000 headings on a 50 MB draft).
    let mut next_heading = 0;
    for p in &draft.paragraphs {
        let opened: Vec<_> = p.brackets.iter().filter(|b| !b.opens_before).collect();
        counts.add(p.status, opened.len());
        if sections.last().is_none_or(|s| s.heading != p.heading) {
            let title = p.heading.as_ref().and_then(|h| {
                let found = draft.headings[next_heading..].iter().position(|x| &x.id == h);
                let at = match found {
                    Some(k) => next_heading + k,
                    // Out of order (a hand-built draft): search from the start.
                    None => draft.headings.iter().position(|x| &x.id == h)?,
                };
                next_heading = at + 1;
                Some(draft.headings[at].title.clone())
            });
            sections.push(SectionStatus {
                heading: p.heading.clone(),
                title,
                counts: StatusCounts::default(),
            });
        }
        if let Some(s) = sections.last_mut() {
            s.counts.add(p.status, opened.len());
        }
        for b in opened {
            brackets.push(OpenBracket {
                paragraph: p.id.clone(),
                text: b.text.clone(),
                depth: b.depth,
                alternatives: b.alternatives.clone(),
            });
        }
        let slot = match p.status {
            Status::Open => 0,
            Status::SuggestedForClosure => 1,
            Status::AgreedAdRef => 2,
            Status::Agreed => 3,
        };
        by_status[slot].push(p.id.clone());
    }
    let mut obstacles = Vec::new();
    if draft.title.is_some() && draft.title_status != Status::Agreed {
        obstacles.push(Obstacle {
            kind: "title-not-agreed",
            paragraphs: Vec::new(),
            message: format!("the title is {}, not agreed", draft.title_status.as_str()),
        });
    }
    let [open, suggested, ad_ref, _] = by_status;
    let mut push = |kind: &'static str, ids: Vec<String>, what: &str| {
        if !ids.is_empty() {
            let message = format!("{} {} {what}: {}", ids.len(), plural(ids.len()), list(&ids));
            obstacles.push(Obstacle { kind, paragraphs: ids, message });
        }
    };
    push("paragraphs-open", open, "still open");
    push("paragraphs-suggested-for-closure", suggested, "suggested for closure, not yet agreed");
    push("paragraphs-agreed-ad-ref", ad_ref, "agreed ad ref, awaiting confirmation");
    if !brackets.is_empty() {
        let mut ids: Vec<String> = brackets.iter().map(|b| b.paragraph.clone()).collect();
        ids.dedup();
        let message = format!(
            "{} {} remain in {} {}: {}",
            brackets.len(),
            if brackets.len() == 1 { "bracket" } else { "brackets" },
            ids.len(),
            plural(ids.len()),
            list(&ids)
        );
        obstacles.push(Obstacle { kind: "brackets", paragraphs: ids, message });
    }
    Readiness {
        title_status: draft.title_status,
        counts,
        sections,
        brackets,
        ready: obstacles.is_empty() && !draft.paragraphs.is_empty(),
        obstacles,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "paragraph"
    } else {
        "paragraphs"
    }
}

/// The ids for a sentence: all of them up to 40, else the first 40 and a count
/// (the full list is in the obstacle's `paragraphs`).
fn list(ids: &[String]) -> String {
    const SHOWN: usize = 40;
    if ids.len() <= SHOWN {
        ids.join(", ")
    } else {
        format!("{} and {} more", ids[..SHOWN].join(", "), ids.len() - SHOWN)
    }
}
