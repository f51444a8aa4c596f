//! The JSON Schemas of the OpenAPI document: every request body and every
//! answer, by name (`#/components/schemas/NAME`), written as a table beside
//! the wire types of [`super::wire`] rather than derived (a derive crate such
//! as `utoipa` would need its trait on the core's types, or a mirror of the
//! whole draft and comparison contracts, and adds a proc-macro crate to
//! every CI build). What keeps the table honest is testing, not a macro: the
//! snapshot of the document, the in-process test that validates every
//! documented route's answer on the demo against its schema, and
//! Schemathesis in CI.
//!
//! Answers are closed (`additionalProperties: false`) so a field added to a
//! wire type without its schema fails the tests; requests are closed where
//! the server refuses unknown fields.

use serde_json::{json, Map, Value};

use super::limits::MAX_PAGE;
use accord_workspace::idempotency::MAX_KEY_LEN;

/// A reference to a named schema.
pub(super) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn string() -> Value {
    json!({"type": "string"})
}

fn opt_string() -> Value {
    json!({"type": ["string", "null"]})
}

/// An id a client chooses (a process's, a participant's).
fn id() -> Value {
    json!({"type": "string", "pattern": "^[a-z0-9_-]{1,64}$"})
}

fn count() -> Value {
    json!({"type": "integer", "minimum": 0})
}

fn millis() -> Value {
    json!({"type": "integer", "description": "Milliseconds since 1970 (UTC)."})
}

fn strings() -> Value {
    array(string())
}

fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}

fn one_of(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}

/// A closed object: `required` names, `properties` the rest.
fn object(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "required": required, "properties": properties, "additionalProperties": false})
}

/// An object that may carry more than it names (the event log, the whole state).
fn open_object(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "required": required, "properties": properties})
}

/// A `[first, last]` or `[start, end)` pair of numbers.
fn pair() -> Value {
    json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": u32::MAX}, "minItems": 2, "maxItems": 2})
}

/// A page of a list: `items` under `key`, and the cursor of the next page.
fn page(key: &str, item: Value, cursor: Value) -> Value {
    let mut props = Map::new();
    props.insert(key.into(), array(item));
    props.insert("next".into(), nullable(cursor));
    object(&[key, "next"], Value::Object(props))
}

const STATUS: &[&str] = &["open", "suggested-for-closure", "agreed-ad-ref", "agreed"];
/// What every paragraph carries.
const PARAGRAPH_FIELDS: &[&str] = &[
    "id",
    "number",
    "kind",
    "heading",
    "parent",
    "option",
    "status",
    "status_note",
    "text",
    "brackets",
    "references",
    "footnotes",
    "source_lines",
];
/// What every proposal carries (the rest only when it applies).
const PROPOSAL_FIELDS: &[&str] = &[
    "id",
    "draft",
    "paragraph",
    "author",
    "tabled_by",
    "edit",
    "quote",
    "before",
    "supporters",
    "opponents",
    "state",
    "revision",
    "tabled_at_ms",
    "current",
];
const PUBLICATION: &[&str] = &["internal", "circulated", "public"];

/// The request schemas (`…Request`) and answer schemas of the API.
pub(super) fn components() -> Value {
    let publication = reference("Publication");
    let session =
        json!({"type": ["string", "null"], "description": "The session in which it was done (`s1`)."});
    let base_revision = json!({"type": "integer", "minimum": 0, "maximum": u64::MAX, "description": "The revision the change is made against: the paragraph's (or proposal's) `revision` as last read; a stale one is a 409."});
    let info_props = json!({
        "title": {"type": "string", "minLength": 1},
        "mandate": string(),
        "opening": string(),
        "deadline": string(),
        "adoption": string(),
        "co_facilitators": strings(),
        "public": {"type": "boolean"}
    });
    let mut create_props = info_props.as_object().cloned().unwrap_or_default();
    create_props.insert("id".into(), id());
    let edit = json!({"oneOf": [
        edit_variant("insert", &["at", "text"], json!({"at": {"type": "integer", "minimum": 0, "maximum": u32::MAX}, "text": string()})),
        edit_variant("delete", &["span"], json!({"span": pair()})),
        edit_variant("replace", &["span", "text"], json!({"span": pair(), "text": string()})),
        edit_variant("bracket", &["span"], json!({"span": pair()})),
        edit_variant("alternatives", &["span", "alternatives"], json!({"span": pair(), "alternatives": strings()})),
        edit_variant("add-paragraph", &["text"], json!({"text": string()})),
        edit_variant("delete-paragraph", &[], json!({})),
        edit_variant("move-paragraph", &[], json!({"after": opt_string()})),
    ], "description": "What a proposal changes; spans are `[start, end)` in characters of the paragraph's text."});
    let counts = object(
        &["total", "open", "suggested-for-closure", "agreed-ad-ref", "agreed", "brackets"],
        json!({"total": count(), "open": count(), "suggested-for-closure": count(), "agreed-ad-ref": count(), "agreed": count(), "brackets": count()}),
    );
    let readiness = object(
        &["title_status", "counts", "sections", "brackets", "ready", "obstacles"],
        json!({
            "title_status": reference("Status"),
            "counts": counts,
            "sections": array(object(&["heading", "title", "counts"], json!({"heading": opt_string(), "title": opt_string(), "counts": counts}))),
            "brackets": array(object(&["paragraph", "text", "depth"], json!({"paragraph": string(), "text": string(), "depth": count(), "alternatives": strings()}))),
            "ready": {"type": "boolean"},
            "obstacles": array(reference("Obstacle")),
        }),
    );
    let link = object(
        &["relation", "old", "new", "class", "reasons", "similarity", "changes", "confidence", "evidence"],
        json!({
            "relation": one_of(&["unchanged", "renumbered", "changed", "moved", "split", "merged", "new", "deleted"]),
            "old": strings(), "new": strings(),
            "class": {"type": ["string", "null"], "enum": ["marginal", "substantive", null]},
            "reasons": strings(),
            "similarity": {"type": "number"},
            "changes": array(object(&["kind", "old", "new", "old_span", "new_span"], json!({"kind": string(), "old": string(), "new": string(), "old_span": pair(), "new_span": pair()}))),
            "confidence": {"type": ["number", "null"]},
            "evidence": strings(),
        }),
    );
    let tally = json!({"type": "object", "additionalProperties": count()});
    let mut p = paragraph_properties();
    p["revision"] = json!({"type": "integer", "minimum": 0, "description": "Pass as `base_revision` to change the paragraph."});
    let working_paragraph = object(&[PARAGRAPH_FIELDS, &["revision"]].concat(), p);
    let mut p = proposal_properties();
    p["author_name"] = string();
    let compilation_proposal = object(&[PROPOSAL_FIELDS, &["author_name"]].concat(), p);
    let mut c = Map::new();
    c.insert("Error".into(), object(&["error"], json!({"error": object(&["code", "message"], json!({
            "code": one_of(&["bad-request", "unauthorized", "forbidden", "not-found", "conflict", "invalid", "idempotency-key-reused", "method-not-allowed", "payload-too-large", "unsupported-media-type", "too-many-requests", "unavailable"]),
            "message": string(),
            "current": {"description": "For conflicts: the current state of what was contested (a 409 on a stale `base_revision`: the current revision; on adoption: `obstacles`)."}
        }))})));
    c.insert("Health".into(), object(&["status"], json!({"status": one_of(&["ok"])})));
    c.insert("Ready".into(), object(&["status"], json!({"status": one_of(&["ready"])})));
    c.insert("Status".into(), json!({"type": "string", "enum": STATUS, "description": "A paragraph's status (`open`: still negotiated)."}));
    c.insert("Publication".into(), json!({"type": "string", "enum": PUBLICATION, "description": "Who may read a draft: the secretariat and co-facilitators (`internal`), also the delegations (`circulated`), also observers and the public (`public`)."}));
    c.insert("Outcome".into(), object(&["seq", "revision"], json!({
            "seq": count(), "proposal": string(), "draft": string(), "session": string(), "paragraph": string(),
            "revision": {"type": "integer", "minimum": 0, "description": "The new revision of what changed: the next `base_revision`."}
        })));
    c.insert("Edit".into(), edit);
    c.insert("ProcessInfo".into(), object(&["title", "mandate", "co_facilitators", "public"], info_props));
    c.insert(
        "Participant".into(),
        object(
            &["id", "name", "kind"],
            json!({
                "id": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1},
                "kind": one_of(&["member-state", "permanent-observer", "group"]),
                "members": strings()
            }),
        ),
    );
    c.insert("ProcessSummary".into(), object(&["id", "title", "public", "drafts", "seq"], json!({"id": string(), "title": string(), "public": {"type": "boolean"}, "drafts": count(), "seq": count()})));
    c.insert(
        "ProcessList".into(),
        object(&["processes"], json!({"processes": array(reference("ProcessSummary"))})),
    );
    c.insert("DraftSummary".into(), object(&["id", "label", "publication", "produced", "at", "paragraphs"], json!({
            "id": string(), "label": string(), "publication": publication, "produced": {"type": "boolean"},
            "at": {"type": "string", "format": "date-time"}, "paragraphs": count()
        })));
    c.insert("DraftPage".into(), page("drafts", reference("DraftSummary"), string()));
    c.insert(
        "SessionDecision".into(),
        object(
            &["seq", "action", "summary", "paragraphs"],
            json!({"seq": count(), "action": string(), "summary": string(), "paragraphs": strings()}),
        ),
    );
    c.insert(
        "Session".into(),
        object(
            &["id", "date", "time", "room", "agenda", "decisions"],
            json!({
                "id": string(), "date": string(), "time": string(), "room": string(), "agenda": strings(),
                "decisions": array(reference("SessionDecision"))
            }),
        ),
    );
    c.insert("SessionPage".into(), page("sessions", reference("Session"), string()));
    c.insert(
        "Process".into(),
        object(
            &["id", "info", "participants", "drafts", "sessions", "seq"],
            json!({
                "id": string(), "info": reference("ProcessInfo"),
                "participants": array(reference("Participant")),
                "drafts": array(reference("DraftSummary")),
                "sessions": array(reference("Session")),
                "seq": count()
            }),
        ),
    );
    c.insert("Bracket".into(), object(&["text", "start", "end", "depth"], json!({
            "text": string(), "start": count(), "end": count(), "depth": count(), "alternatives": strings(),
            "follows_bracket": {"type": "boolean"}, "opens_before": {"type": "boolean"}, "closes_after": {"type": "boolean"}
        })));
    c.insert("Reference".into(), object(&["kind", "text", "start", "end"], json!({
            "kind": one_of(&["resolution", "document", "paragraph", "article"]),
            "text": string(), "start": count(), "end": count(), "symbol": string(), "targets": strings(), "document": string()
        })));
    c.insert("Paragraph".into(), object(PARAGRAPH_FIELDS, paragraph_properties()));
    c.insert("Heading".into(), object(&["id", "number", "title", "level", "first_paragraph", "source_lines"], json!({
            "id": string(), "number": opt_string(), "title": string(), "level": count(), "first_paragraph": count(), "source_lines": pair()
        })));
    c.insert("Document".into(), object(
            &["title", "title_status", "title_status_note", "date", "front_matter", "letters", "headings", "paragraphs", "footnotes", "furniture", "diagnostics"],
            json!({
                "title": opt_string(), "title_status": reference("Status"), "title_status_note": opt_string(), "date": opt_string(),
                "front_matter": array(reference("Line")),
                "letters": array(object(&["sender", "letterhead", "date", "addressees", "salutation", "body", "signatures", "source_lines"], json!({
                    "sender": string(), "letterhead": strings(), "date": opt_string(), "addressees": strings(), "salutation": opt_string(),
                    "body": strings(), "signatures": array(strings()), "source_lines": pair()
                }))),
                "headings": array(reference("Heading")),
                "paragraphs": array(reference("Paragraph")),
                "footnotes": array(object(&["marker", "text", "source_lines"], json!({"marker": string(), "text": string(), "source_lines": pair()}))),
                "furniture": array(reference("Line")),
                "diagnostics": array(object(&["severity", "code", "message", "line", "column"], json!({
                    "severity": string(), "code": string(), "message": string(), "line": count(), "column": count()
                })))
            }),
        ));
    c.insert("Line".into(), object(&["line", "text"], json!({"line": count(), "text": string()})));
    c.insert("Draft".into(), object(&["id", "label", "publication", "produced", "at", "document"], json!({
            "id": string(), "label": string(), "publication": publication, "produced": {"type": "boolean"},
            "at": {"type": "string", "format": "date-time"}, "document": reference("Document")
        })));
    c.insert("Comparison".into(), object(&["paragraphs", "headings", "brackets", "statuses", "summary"], json!({
            "front": array(object(&["field", "old", "new"], json!({"field": string(), "old": opt_string(), "new": opt_string()}))),
            "paragraphs": array(link.clone()),
            "headings": array(link),
            "brackets": array(object(&["old_paragraph", "new_paragraph", "text", "fate"], json!({
                "old_paragraph": opt_string(), "new_paragraph": opt_string(), "text": string(),
                "fate": one_of(&["open", "kept", "deleted", "chosen", "reworded", "new"]), "chosen": string(), "reworded": string()
            }))),
            "statuses": array(object(&["old", "new", "from", "to"], json!({"old": string(), "new": string(), "from": reference("Status"), "to": reference("Status")}))),
            "summary": object(
                &["old_paragraphs", "new_paragraphs", "relations", "classes", "substantive", "brackets", "brackets_resolved", "brackets_open", "statuses_changed"],
                json!({
                    "old_paragraphs": count(), "new_paragraphs": count(), "relations": tally, "classes": tally,
                    "substantive": array(object(&["old", "new", "reasons"], json!({"old": strings(), "new": strings(), "reasons": strings()}))),
                    "brackets": tally, "brackets_resolved": count(), "brackets_open": count(), "statuses_changed": count()
                }),
            ),
        })));
    c.insert("WorkingParagraph".into(), working_paragraph);
    c.insert("Working".into(), object(&["draft", "title", "headings", "paragraphs", "deleted", "accepted", "seq"], json!({
            "draft": opt_string(), "title": opt_string(), "headings": array(reference("Heading")),
            "paragraphs": array(reference("WorkingParagraph")), "deleted": strings(), "accepted": strings(), "seq": count()
        })));
    c.insert("Proposal".into(), object(PROPOSAL_FIELDS, proposal_properties()));
    c.insert("ProposalPage".into(), page("proposals", reference("Proposal"), string()));
    c.insert("CompilationProposal".into(), compilation_proposal);
    c.insert("Compilation".into(), object(&["draft", "label", "paragraphs", "proposals_visible", "next"], json!({
            "draft": string(), "label": string(),
            "paragraphs": array(object(&["paragraph", "proposals"], json!({"paragraph": reference("Paragraph"), "proposals": array(reference("CompilationProposal"))}))),
            "proposals_visible": {"type": "boolean"},
            "next": nullable(json!({"type": "string", "description": "The id of the page's last paragraph: pass as `after` for the next page."}))
        })));
    c.insert(
        "Obstacle".into(),
        object(
            &["kind", "paragraphs", "message"],
            json!({"kind": string(), "paragraphs": strings(), "message": string()}),
        ),
    );
    c.insert("Readiness".into(), object(&["draft", "readiness", "working", "burn_down"], json!({
            "draft": string(), "readiness": readiness.clone(), "working": nullable(readiness),
            "burn_down": nullable(array(object(&["seq", "at_ms", "brackets", "not_agreed"], json!({"seq": count(), "at_ms": millis(), "brackets": count(), "not_agreed": count()}))))
        })));
    c.insert("Silence".into(), object(&["state", "draft", "until", "until_local", "breaks"], json!({
            "state": one_of(&["running", "broken", "passed"]), "draft": string(), "until": string(), "until_local": string(),
            "breaks": array(object(&["paragraph", "by", "reason", "at"], json!({"paragraph": string(), "by": string(), "reason": string(), "at": string()})))
        })));
    c.insert("Endgame".into(), object(&["time_zone", "deadline", "silence", "adoption"], json!({
            "time_zone": string(),
            "deadline": nullable(object(&["until", "until_local", "seconds_left", "set_by"], json!({"until": string(), "until_local": string(), "seconds_left": count(), "set_by": string()}))),
            "silence": nullable(reference("Silence")),
            "adoption": nullable(object(&["draft", "by", "at"], json!({"draft": string(), "by": string(), "at": string()})))
        })));
    c.insert("FocalPoints".into(), object(&["focal_points"], json!({"focal_points": array(object(&["participant", "name", "email"], json!({"participant": string(), "name": string(), "email": string()})))})));
    c.insert("Outbox".into(), object(&["messages", "next"], json!({"next": nullable(json!({"type": "integer"})), "messages": array(object(
            &["id", "message_id", "seq", "kind", "draft", "to", "subject", "state", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at"],
            json!({
                "id": count(), "message_id": string(), "seq": count(), "kind": string(), "draft": string(),
                "to": object(&["participant", "name", "email"], json!({"participant": string(), "name": string(), "email": string()})),
                "subject": string(), "state": string(), "attempts": count(),
                "next_attempt_at": opt_string(), "last_error": opt_string(), "created_at": opt_string(), "sent_at": opt_string()
            }),
        ))})));
    c.insert(
        "Event".into(),
        open_object(
            &["v", "process", "seq", "at_ms", "actor", "action"],
            json!({
                "v": count(), "process": string(), "seq": count(), "at_ms": millis(),
                "actor": open_object(&["role"], json!({"role": string()})),
                "action": open_object(&["action"], json!({"action": string()}))
            }),
        ),
    );
    c.insert("EventPage".into(), page("events", reference("Event"), count()));
    c.insert("State".into(), open_object(&["id", "info", "participants", "drafts", "proposals", "sessions", "seq"], json!({
            "id": string(), "info": reference("ProcessInfo"), "participants": array(reference("Participant")),
            "proposals": array(reference("Proposal")), "sessions": array(reference("Session")), "seq": count()
        })));
    c.insert("CreateProcessRequest".into(), object(&["id", "title"], Value::Object(create_props)));
    c.insert(
        "ParticipantRequest".into(),
        object(
            &["id", "name", "kind"],
            json!({
                "id": id(), "name": {"type": "string", "minLength": 1},
                "kind": one_of(&["member-state", "permanent-observer", "group"]), "members": strings()
            }),
        ),
    );
    c.insert(
        "ImportDraftRequest".into(),
        object(
            &["label", "text"],
            json!({"label": string(), "text": string(), "publication": reference("Publication")}),
        ),
    );
    c.insert(
        "PublishRequest".into(),
        object(&["publication"], json!({"publication": reference("Publication")})),
    );
    c.insert(
        "ProposalVisibilityRequest".into(),
        object(&["visibility"], json!({"visibility": one_of(&["participants", "public"])})),
    );
    c.insert("StatusRequest".into(), object(&["status", "base_revision"], json!({"status": reference("Status"), "note": opt_string(), "base_revision": base_revision, "session": session})));
    let resolution = |kind: &str, alternative: bool| {
        let mut props =
            json!({"resolution": {"const": kind}, "base_revision": base_revision, "session": session});
        let mut required = vec!["resolution", "base_revision"];
        if alternative {
            props["alternative"] = json!({"type": "integer", "minimum": 0, "maximum": u32::MAX, "description": "Which alternative to keep (0: the first)."});
            required.push("alternative");
        }
        object(&required, props)
    };
    c.insert(
        "BracketRequest".into(),
        json!({"oneOf": [resolution("keep", false), resolution("delete", false), resolution("choose", true)]}),
    );
    c.insert(
        "CompromiseRequest".into(),
        object(
            &["text", "base_revision"],
            json!({"text": string(), "base_revision": base_revision, "session": session}),
        ),
    );
    c.insert("TableProposalRequest".into(), object(&["paragraph", "edit"], json!({
            "draft": opt_string(), "paragraph": string(), "on_behalf_of": opt_string(), "edit": reference("Edit"), "rationale": opt_string(), "citation": opt_string()
        })));
    c.insert("OnBehalfRequest".into(), object(&[], json!({"on_behalf_of": opt_string()})));
    c.insert(
        "ReviseRequest".into(),
        object(
            &["base_revision", "edit"],
            json!({"base_revision": base_revision, "edit": reference("Edit"), "rationale": opt_string()}),
        ),
    );
    c.insert("EmptyRequest".into(), object(&[], json!({})));
    c.insert("DecideRequest".into(), object(&["decision", "base_revision"], json!({"decision": one_of(&["accept", "set-aside"]), "base_revision": base_revision, "session": session})));
    c.insert(
        "RevisionRequest".into(),
        object(
            &["label"],
            json!({"label": string(), "date": opt_string(), "publication": reference("Publication")}),
        ),
    );
    c.insert(
        "SessionRequest".into(),
        object(&["date"], json!({"date": string(), "time": string(), "room": string(), "agenda": strings()})),
    );
    c.insert("DecisionRequest".into(), object(&["text"], json!({"text": string(), "paragraphs": strings()})));
    c.insert("TimeZoneRequest".into(), object(&["zone"], json!({"zone": string()})));
    c.insert("DeadlineRequest".into(), object(&[], json!({"until": opt_string(), "session": session})));
    c.insert("SilenceRequest".into(), object(&["until"], json!({"until": string()})));
    c.insert(
        "BreakRequest".into(),
        object(
            &["paragraphs", "reason"],
            json!({"paragraphs": strings(), "reason": string(), "on_behalf_of": opt_string()}),
        ),
    );
    c.insert("FocalPointsRequest".into(), object(&["participant", "focal_points"], json!({
            "participant": {"type": "string", "pattern": "^(secretariat|co-facilitator|delegation|observer):.", "description": "Whose, as an actor label: `delegation:estoria`, `observer:NAME`, `co-facilitator:NAME`."},
            "focal_points": array(object(&["name", "email"], json!({"name": string(), "email": string()})))
        })));
    c.insert("AdoptRequest".into(), object(&[], json!({"date": opt_string()})));
    Value::Object(c)
}

fn edit_variant(kind: &str, required: &[&str], mut properties: Value) -> Value {
    properties["kind"] = json!({"const": kind});
    let mut names = vec!["kind"];
    names.extend_from_slice(required);
    object(&names, properties)
}

fn paragraph_properties() -> Value {
    json!({
        "id": string(), "number": opt_string(), "kind": one_of(&["preambular", "operative"]),
        "heading": opt_string(), "parent": opt_string(), "option": opt_string(),
        "status": reference("Status"), "status_note": opt_string(), "text": string(),
        "brackets": array(reference("Bracket")), "references": array(reference("Reference")),
        "footnotes": strings(), "source_lines": pair()
    })
}

fn proposal_properties() -> Value {
    json!({
        "id": string(), "draft": string(), "paragraph": string(), "author": string(), "tabled_by": string(),
        "edit": reference("Edit"), "quote": string(), "before": string(), "rationale": string(), "citation": string(),
        "supporters": strings(), "opponents": strings(),
        "state": one_of(&["live", "withdrawn", "accepted", "set-aside"]),
        "revision": count(), "tabled_at_ms": millis(),
        "current": nullable(json!({"type": "array", "items": string(), "minItems": 2, "maxItems": 2, "description": "The latest draft and the paragraph the proposal's own paragraph became there."})),
        "decided_in": string(), "incorporated_in": string(), "revised_by": string(), "withdrawn_by": string()
    })
}

/// The page parameters of a list (`cursor`: the schema of `after`).
pub(super) fn page_parameters(cursor: Value) -> Vec<Value> {
    vec![
        json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": super::DEFAULT_PAGE}, "description": "Items in the page."}),
        json!({"name": "after", "in": "query", "required": false, "schema": cursor, "description": "The `next` of the previous page: the page starts after it."}),
    ]
}

/// The `Idempotency-Key` header of a write.
pub(super) fn idempotency_key() -> Value {
    json!({"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LEN, "pattern": "^[!-~]([ -~]*[!-~])?$"}, "description": "A key (visible ASCII, inner spaces allowed) of the client's choosing, scoped to the caller, the method and the route: a retried request with the same key and the same path and body is recorded once and answered with the first outcome (authorization is checked first); the same key with another path or body is refused with 422 `idempotency-key-reused`. The most recent keys are kept (100,000 over the server), across restarts."})
}
