//! The second step of an action that is hard to take back (reopening an
//! agreed paragraph, withdrawing a proposal): a page that says what the
//! action will do and repeats the form with `confirm=yes`, so the check
//! holds without JavaScript. Every value reaches the page through the
//! template's escaping.

use super::*;

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
    confirm_label: String,
    cancel: String,
}

/// What a confirmation page asks.
pub(super) struct Ask<'a> {
    pub heading: String,
    pub message: String,
    pub action: String,
    pub note: Option<(&'a str, &'a str)>,
    pub confirm_label: &'a str,
    pub cancel: String,
}

/// The confirmation page for `form`, which is carried over.
pub(super) fn ask(v: &Viewer, form: &HashMap<String, String>, ask: Ask<'_>) -> Response {
    let note_field = ask.note.map(|(name, _)| name);
    let mut fields: Vec<(String, String)> = form
        .iter()
        .filter(|(k, _)| k.as_str() != "csrf" && k.as_str() != CONFIRMED.0 && Some(k.as_str()) != note_field)
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
            confirm_label: ask.confirm_label.to_string(),
            cancel: ask.cancel,
        },
    )
}
