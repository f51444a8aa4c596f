//! Why an action was refused, as a typed value. The core says what was
//! contested (a working paragraph with its revision, a proposal, the log's
//! position); the server decides how to show it (its JSON answers serialize
//! [`Contested`] as they always have), so the domain carries no JSON.

use serde::Serialize;

use super::Proposal;
use crate::model::Paragraph;

/// Why an action was refused. Each kind maps to one stable error code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DomainError {
    /// The actor may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Something named does not exist (or is not visible to the actor).
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed or makes no sense for the current state.
    #[error("{0}")]
    Invalid(String),
    /// Someone else changed the same thing first; `current` is its state now.
    #[error("{message}")]
    Conflict {
        /// What happened, for a person.
        message: String,
        /// The current state of the contested paragraph or proposal.
        current: Contested,
    },
}

impl DomainError {
    /// The stable machine-readable code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Forbidden(_) => "forbidden",
            DomainError::NotFound(_) => "not-found",
            DomainError::Invalid(_) => "invalid",
            DomainError::Conflict { .. } => "conflict",
        }
    }

    /// A conflict over something that can no longer be shown (it is gone).
    pub(crate) fn conflict(message: impl Into<String>) -> DomainError {
        DomainError::Conflict { message: message.into(), current: Contested::Nothing }
    }
}

/// What a conflict is about, as it stands now. Serialized untagged, so a
/// client reads the paragraph or proposal itself (`null` when it is gone).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Contested {
    /// Nothing to show: the paragraph or draft is gone.
    Nothing,
    /// A paragraph of the working text with the revision a writer must name.
    Paragraph(Box<ContestedParagraph>),
    /// A proposal as it stands.
    Proposal(Box<Proposal>),
    /// The log: the sequence number of its last event.
    Log {
        /// The last applied event.
        seq: u64,
    },
}

/// A working paragraph in a conflict: the paragraph and its revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContestedParagraph {
    /// The paragraph as it stands in the working text.
    #[serde(flatten)]
    pub paragraph: Paragraph,
    /// Pass this as `base_revision` to change it.
    pub revision: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The server answers `current` as these serialize: the same JSON the
    /// conflicts carried when they held JSON themselves.
    #[test]
    fn contested_serializes_as_the_thing_itself() {
        let json = |c: &Contested| serde_json::to_string(c).unwrap();
        assert_eq!(json(&Contested::Nothing), "null");
        assert_eq!(json(&Contested::Log { seq: 7 }), r#"{"seq":7}"#);
        let draft = crate::parse("3. Decides to act by [2030].\n");
        let paragraph = draft.paragraphs[0].clone();
        let flat = serde_json::to_value(&paragraph).unwrap();
        let c = Contested::Paragraph(Box::new(ContestedParagraph { paragraph, revision: 4 }));
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["revision"], 4);
        assert_eq!(v["text"], "Decides to act by [2030].");
        for (k, x) in flat.as_object().unwrap() {
            assert_eq!(&v[k], x, "{k}");
        }
    }
}
