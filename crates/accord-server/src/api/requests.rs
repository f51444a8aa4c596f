//! Request bodies: what clients send, each route's own type (described in
//! the OpenAPI document by [`super::schema`]). Unknown fields are refused,
//! so a typo is an error rather than a silently ignored field.

use super::*;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateProcessRequest {
    pub(super) id: String,
    #[serde(flatten)]
    pub(super) info: ProcessInfo,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ImportDraftRequest {
    pub(super) label: String,
    pub(super) text: String,
    #[serde(default)]
    pub(super) publication: Publication,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PublishRequest {
    pub(super) publication: Publication,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProposalVisibilityRequest {
    pub(super) visibility: accord_core::negotiation::ProposalVisibility,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TableProposalRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) draft: Option<String>,
    pub(super) paragraph: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) on_behalf_of: Option<String>,
    pub(super) edit: EditRequest,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rationale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) citation: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct OnBehalfRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) on_behalf_of: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReviseRequest {
    pub(super) base_revision: u64,
    pub(super) edit: EditRequest,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rationale: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DecideRequest {
    pub(super) decision: Decision,
    pub(super) base_revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) session: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusRequest {
    pub(super) status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) note: Option<String>,
    pub(super) base_revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) session: Option<String>,
}

/// `POST …/brackets/{bracket}`: `{"resolution": "keep" | "delete" | "choose",
/// "alternative": N (with choose), "base_revision", "session"}` — flat, so
/// that unknown fields can be refused (serde cannot refuse them beside a
/// flattened enum).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BracketRequest {
    pub(super) resolution: ResolutionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) alternative: Option<usize>,
    pub(super) base_revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) session: Option<String>,
}

/// How a bracket is resolved.
#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub(super) enum ResolutionKind {
    /// Keep the bracketed text, without its brackets.
    Keep,
    /// Delete the bracketed text.
    Delete,
    /// Keep one of its alternatives (`alternative`).
    Choose,
}

impl BracketRequest {
    /// The core's resolution, or why the request does not make one.
    pub(super) fn resolution(&self) -> Result<BracketResolution, ApiError> {
        match (self.resolution, self.alternative) {
            (ResolutionKind::Keep, None) => Ok(BracketResolution::Keep),
            (ResolutionKind::Delete, None) => Ok(BracketResolution::Delete),
            (ResolutionKind::Choose, Some(alternative)) => Ok(BracketResolution::Choose { alternative }),
            (ResolutionKind::Choose, None) => {
                Err(ApiError::bad_request("`choose` needs the `alternative` to keep"))
            }
            (_, Some(_)) => Err(ApiError::bad_request("`alternative` goes only with `choose`")),
        }
    }
}

/// `POST …/participants`: a delegation or group (the core's [`Participant`],
/// with unknown fields refused).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ParticipantRequest {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) kind: accord_core::negotiation::ParticipantKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) members: Vec<String>,
}

impl From<ParticipantRequest> for Participant {
    fn from(r: ParticipantRequest) -> Participant {
        Participant { id: r.id, name: r.name, kind: r.kind, members: r.members }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CompromiseRequest {
    pub(super) text: String,
    pub(super) base_revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) session: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RevisionRequest {
    pub(super) label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) date: Option<String>,
    #[serde(default)]
    pub(super) publication: Publication,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SessionRequest {
    pub(super) date: String,
    #[serde(default)]
    pub(super) time: String,
    #[serde(default)]
    pub(super) room: String,
    #[serde(default)]
    pub(super) agenda: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DecisionRequest {
    pub(super) text: String,
    #[serde(default)]
    pub(super) paragraphs: Vec<String>,
}

/// A body that carries nothing (`{}`), for the writes whose path says it all.
#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct EmptyRequest {}

/// What a proposal changes, as clients send it: the core's [`Edit`], with
/// unknown fields refused (a misspelt `spam` is an error, not a silently
/// ignored field).
#[derive(Serialize, Deserialize, Clone)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub(super) enum EditRequest {
    /// Insert `text` at character offset `at`.
    Insert { at: u32, text: String },
    /// Delete a span.
    Delete { span: [u32; 2] },
    /// Replace a span by `text`.
    Replace { span: [u32; 2], text: String },
    /// Bracket a span.
    Bracket { span: [u32; 2] },
    /// Offer alternatives for a span.
    Alternatives { span: [u32; 2], alternatives: Vec<String> },
    /// A new paragraph after this one.
    AddParagraph { text: String },
    /// Delete the whole paragraph.
    DeleteParagraph,
    /// Move the paragraph after another (`null`: first).
    MoveParagraph {
        #[serde(default)]
        after: Option<String>,
    },
}

impl From<EditRequest> for Edit {
    fn from(e: EditRequest) -> Edit {
        match e {
            EditRequest::Insert { at, text } => Edit::Insert { at, text },
            EditRequest::Delete { span } => Edit::Delete { span },
            EditRequest::Replace { span, text } => Edit::Replace { span, text },
            EditRequest::Bracket { span } => Edit::Bracket { span },
            EditRequest::Alternatives { span, alternatives } => Edit::Alternatives { span, alternatives },
            EditRequest::AddParagraph { text } => Edit::AddParagraph { text },
            EditRequest::DeleteParagraph => Edit::DeleteParagraph,
            EditRequest::MoveParagraph { after } => Edit::MoveParagraph { after },
        }
    }
}
