//! How every form takes its action: at once, or in two steps when the
//! action is hard to take back or needs saying first (creating a process,
//! reopening an agreed paragraph, withdrawing a proposal, producing a
//! revision). The first step checks the action against the process's rules
//! as they stand ([`dry_run`], recording nothing) and answers a page that
//! says what it will do and repeats the form with `confirm=yes`, so the
//! check holds without JavaScript; the second takes it. Every value reaches
//! the page through the template's escaping.

use super::*;

use accord_core::negotiation::{Event, Outcome};

/// The name and value a confirmed form carries to say "yes, do it".
pub(super) const CONFIRMED: (&str, &str) = ("confirm", "yes");

/// Whether the form is the confirmed second step.
pub(super) fn confirmed(form: &HashMap<String, String>) -> bool {
    form.get(CONFIRMED.0).is_some_and(|v| v == CONFIRMED.1)
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub(super) struct ConfirmPage {
    frame: Frame,
    heading: String,
    /// What the action will do, in words.
    message: String,
    /// Where the confirmed form goes.
    action: String,
    /// The first step's fields, carried over unchanged (never the CSRF token,
    /// which the page sets afresh, nor an earlier confirmation).
    fields: Vec<(String, String)>,
    /// A note the second step asks for (field name, label, current value).
    note: Option<(String, String, String)>,
    /// A longer text the second step lets one edit (field name, label, text).
    area: Option<(String, String, String)>,
    confirm_label: String,
    cancel: String,
}

/// What a confirmation page asks.
pub(super) struct Ask<'a> {
    /// The question: "Register Norland?".
    pub heading: String,
    /// What the action will do, in words.
    pub message: String,
    /// Where the confirmed form goes.
    pub action: String,
    /// A field the second step asks for: (name, label).
    pub note: Option<(&'a str, &'a str)>,
    /// A longer text the second step lets one edit: (name, label, the text
    /// proposed).
    pub area: Option<(&'a str, &'a str, String)>,
    /// The confirming button's words.
    pub confirm_label: &'a str,
    /// Where "Cancel" goes (empty: where the form came from).
    pub cancel: String,
}

impl<'a> Ask<'a> {
    /// A confirmation of the form posted to `action`, cancelled back where
    /// it came from.
    pub(super) fn new(
        action: impl Into<String>,
        heading: impl Into<String>,
        message: impl Into<String>,
        confirm_label: &'a str,
    ) -> Self {
        Ask {
            heading: heading.into(),
            message: message.into(),
            action: action.into(),
            note: None,
            area: None,
            confirm_label,
            cancel: String::new(),
        }
    }

    /// The same, letting one edit `text` in field `name` before confirming.
    pub(super) fn with_area(self, name: &'a str, label: &'a str, text: String) -> Self {
        Ask { area: Some((name, label, text)), ..self }
    }

    /// The same, asking for a note in field `name`.
    pub(super) fn with_note(self, name: &'a str, label: &'a str) -> Self {
        Ask { note: Some((name, label)), ..self }
    }

    /// The same, "Cancel" going to `to`.
    pub(super) fn cancel_to(self, to: impl Into<String>) -> Self {
        Ask { cancel: to.into(), ..self }
    }
}

/// Checks `action` as `actor` against process `pid` as it stands (a process
/// not yet created: as a new one), recording nothing, and gives it back
/// prepared (a revision's text made): the promise a confirmation page makes
/// holds when it is confirmed, unless someone changed the process meanwhile.
pub(super) fn dry_run(web: &WebState, pid: &str, actor: &Actor, action: &Action) -> Result<Action, ApiError> {
    let check = |s: &ProcessState| {
        let mut action = action.clone();
        s.prepare(&mut action, actor);
        let against = s.latest().map(|d| d.id.clone());
        check_in(web, s, actor, against, action).map_err(ApiError::from)
    };
    match web.ws.process(pid) {
        Some(slot) => check(&*slot.state.read().map_err(|_| ApiError::unavailable("lock"))?),
        None => check(&ProcessState::new(pid)),
    }
}

/// Checks the (prepared) `action` as the next event of `s`, taken by
/// `actor` against draft `against`, recording nothing; gives it back.
pub(super) fn check_in(
    web: &WebState,
    s: &ProcessState,
    actor: &Actor,
    against: Option<String>,
    action: Action,
) -> Result<Action, accord_core::negotiation::DomainError> {
    let event = Event {
        process: s.id.clone(),
        seq: s.seq + 1,
        at_ms: web.ws.now_ms().max(s.at_ms),
        actor: actor.clone(),
        against,
        idempotency_key: None,
        action,
    };
    s.check(&event).map(|()| event.action)
}

/// A form's action, in one step or two. Scripts asking for JSON, and the
/// confirmed second step, take it at once. Otherwise the token, the login
/// and the action are checked, and `preview` (given the actor and the
/// action) says whether a first step is needed: `None` takes the action at
/// once; `Some(ask)` dry-runs it and answers the confirmation page. `Err` is
/// the page to answer (the confirmation, or an error going back to `back`);
/// `Ok` the action's outcome.
#[allow(clippy::too_many_arguments)]
pub(super) async fn two_step<'a>(
    web: &WebState,
    v: &Viewer,
    headers: &HeaderMap,
    pid: &str,
    form: &HashMap<String, String>,
    action: Result<Action, ApiError>,
    back: &str,
    preview: impl FnOnce(&Actor, &Action) -> Result<Option<Ask<'a>>, ApiError>,
) -> Result<Outcome, Response> {
    if confirmed(form) || wants_json(headers) {
        return run_form(web, v, headers, pid, form, action, back).await;
    }
    let fail = |e: ApiError| error_page(v, headers, e, back);
    check_csrf(v, form).map_err(fail)?;
    let actor =
        v.actor_in(pid).ok_or_else(|| fail(ApiError::unauthorized("log in to act in this process")))?;
    let action = action.map_err(fail)?;
    let Some(mut ask) = preview(&actor, &action).map_err(fail)? else {
        return run_action(web, v, pid, action).await.map_err(fail);
    };
    dry_run(web, pid, &actor, &action).map_err(fail)?;
    if ask.cancel.is_empty() {
        ask.cancel = back.to_string();
    }
    Err(self::ask(v, form, ask))
}

/// The answer to a form once [`two_step`] is through: the outcome as JSON
/// to a script, else a redirect to `to(outcome)`; the page it gave otherwise.
pub(super) fn answer(
    headers: &HeaderMap,
    done: Result<Outcome, Response>,
    to: impl FnOnce(&Outcome) -> String,
) -> Response {
    match done {
        Ok(o) if wants_json(headers) => axum::Json(o).into_response(),
        Ok(o) => Redirect::to(&to(&o)).into_response(),
        Err(r) => r,
    }
}

/// The confirmation page for `form`, which is carried over.
pub(super) fn ask(v: &Viewer, form: &HashMap<String, String>, ask: Ask<'_>) -> Response {
    let note_field = ask.note.map(|(name, _)| name);
    let area_field = ask.area.as_ref().map(|(name, _, _)| *name);
    let mut fields: Vec<(String, String)> = form
        .iter()
        .filter(|(k, _)| {
            k.as_str() != "csrf"
                && k.as_str() != CONFIRMED.0
                && Some(k.as_str()) != note_field
                && Some(k.as_str()) != area_field
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // The same page for the same form: a stable order.
    fields.sort();
    let note =
        ask.note.map(|(name, label)| (name.to_string(), label.to_string(), field(form, name).to_string()));
    page(
        v,
        &ConfirmPage {
            frame: frame(v),
            heading: ask.heading,
            message: ask.message,
            action: ask.action,
            fields,
            note,
            area: ask.area.map(|(name, label, text)| (name.to_string(), label.to_string(), text)),
            confirm_label: ask.confirm_label.to_string(),
            cancel: ask.cancel,
        },
    )
}
