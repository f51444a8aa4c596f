//! A cover letter written from the process, for drafts that come without
//! one: who sends it, what changed since the previous draft, which
//! paragraphs the co-facilitators propose as the focus, and when the next
//! informal sessions meet — in the formulas such letters use, so a package
//! printed from the workspace reads like one a President's office sends.

use accord_core::words::and_list as list;
use accord_core::{Letter, SourceLines};

/// An informal session announced in a cover letter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Session {
    /// The day, as it should read ("9 December 2015").
    pub date: String,
    /// The hours, when known ("10 a.m. – 1 p.m.").
    pub time: Option<String>,
    /// The room, when known ("Conference Room C").
    pub room: Option<String>,
}

/// What a cover letter says; [`CoverLetter::to_letter`] writes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CoverLetter {
    /// Letterhead lines ("Permanent Mission of Latvia to the United Nations").
    pub letterhead: Vec<String>,
    /// The letter's date line.
    pub date: Option<String>,
    /// What the negotiation is, as it follows "As co-facilitators of"
    /// ("the intergovernmental negotiations on the WSIS review").
    pub process: Option<String>,
    /// What changed since the previous draft, one item each.
    pub changes: Vec<String>,
    /// The paragraph numbers proposed as the focus of the next sessions.
    pub focus_paragraphs: Vec<String>,
    /// The next informal sessions.
    pub sessions: Vec<Session>,
    /// Signature blocks, one per signatory, each as its lines.
    pub signatures: Vec<Vec<String>>,
    /// The addressees; by default all permanent representatives and observers.
    pub addressees: Vec<String>,
}

/// A sentence ends with a full stop, whatever the caller wrote.
fn sentence(text: &str) -> String {
    let t = text.trim_end().trim_end_matches([';', ',', ':']);
    if t.ends_with(['.', '!', '?']) {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

impl CoverLetter {
    /// The letter, as the model holds letters (and as [`crate::package_pdf`] prints them).
    pub fn to_letter(&self) -> Letter {
        let mut body = Vec::new();
        body.push(match &self.process {
            Some(p) => format!("As co-facilitators of {p}, we are pleased to enclose the updated draft."),
            None => "We are pleased to enclose the updated draft.".to_owned(),
        });
        match self.changes.as_slice() {
            [] => {}
            [one] => body.push(format!("Compared with the previous draft, {}", sentence(&lower_first(one)))),
            many => {
                let items: Vec<String> =
                    many.iter().map(|c| c.trim_end().trim_end_matches(['.', ';', ',']).to_owned()).collect();
                body.push(format!("Compared with the previous draft: {}.", items.join("; ")));
            }
        }
        match self.focus_paragraphs.as_slice() {
            [] => {}
            [one] => body.push(format!(
                "We would recommend paragraph {one} as the focus of the next informal consultations."
            )),
            many => body.push(format!(
                "We would recommend paragraphs {} as the focus of the next informal consultations.",
                list(many)
            )),
        }
        if !self.sessions.is_empty() {
            let sessions: Vec<String> = self
                .sessions
                .iter()
                .map(|s| {
                    let details: Vec<&str> = s.time.iter().chain(&s.room).map(String::as_str).collect();
                    if details.is_empty() {
                        format!("on {}", s.date)
                    } else {
                        format!("on {} ({})", s.date, details.join(", "))
                    }
                })
                .collect();
            let verb = if sessions.len() == 1 { "session will be held" } else { "sessions will be held" };
            body.push(format!("The next informal {verb} {}.", list(&sessions)));
        }
        body.push("Please accept, Excellency, the assurances of our highest consideration.".to_owned());
        let addressees = if self.addressees.is_empty() {
            vec![
                "All Permanent Representatives and".to_owned(),
                "Permanent Observers to the United Nations".to_owned(),
                "New York".to_owned(),
            ]
        } else {
            self.addressees.clone()
        };
        let sender = if self.letterhead.is_empty() {
            self.signatures.iter().filter_map(|s| s.first().cloned()).collect::<Vec<_>>().join(", ")
        } else {
            self.letterhead.join(" ")
        };
        Letter {
            sender,
            letterhead: self.letterhead.clone(),
            date: self.date.clone(),
            addressees,
            salutation: Some("Excellency,".to_owned()),
            body,
            signatures: self.signatures.clone(),
            source_lines: SourceLines::default(),
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.trim().chars();
    match c.next() {
        // Keep acronyms and names ("ICT", "Paragraph 12") as written.
        Some(f)
            if f.is_uppercase()
                && c.clone().next().is_some_and(char::is_lowercase)
                && !s.starts_with("Paragraph") =>
        {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cover_letter_says_what_changed_the_focus_and_the_sessions() {
        let l = CoverLetter {
            letterhead: vec!["Permanent Mission of Latvia".into()],
            date: Some("7 December 2015".into()),
            process: Some("the review of the outcomes of the WSIS".into()),
            changes: vec!["Paragraphs 12 and 13 were merged".into(), "a new paragraph 24 bis;".into()],
            focus_paragraphs: vec!["12".into(), "24".into(), "31".into()],
            sessions: vec![
                Session {
                    date: "9 December".into(),
                    time: Some("10 a.m. – 1 p.m.".into()),
                    room: Some("Conference Room C".into()),
                },
                Session { date: "10 December".into(), time: None, room: None },
            ],
            signatures: vec![vec!["Jānis Mažeiks".into(), "Ambassador".into()]],
            addressees: vec![],
        }
        .to_letter();
        assert_eq!(l.salutation.as_deref(), Some("Excellency,"));
        let body = l.body.join("\n");
        assert!(
            body.contains(
                "Compared with the previous draft: Paragraphs 12 and 13 were merged; a new paragraph 24 bis."
            ),
            "{body}"
        );
        assert!(body.contains("paragraphs 12, 24 and 31 as the focus"), "{body}");
        assert!(
            body.contains("sessions will be held on 9 December (10 a.m. – 1 p.m., Conference Room C) and on 10 December."),
            "{body}"
        );
        assert!(l.body.last().is_some_and(|b| b.starts_with("Please accept, Excellency")));
        assert_eq!(l.addressees[0], "All Permanent Representatives and");
        assert_eq!(l.sender, "Permanent Mission of Latvia");
    }

    #[test]
    fn one_change_reads_as_a_sentence() {
        let l = CoverLetter { changes: vec!["Several words were bracketed".into()], ..Default::default() }
            .to_letter();
        assert_eq!(l.body[1], "Compared with the previous draft, several words were bracketed.");
        assert_eq!(l.sender, "");
    }
}
