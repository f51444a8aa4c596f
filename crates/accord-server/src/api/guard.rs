//! The API's guards: a request body must say it is JSON (415 otherwise, on
//! the routes that take one), and every error answer is in the documented JSON form —
//! including the framework's own refusals (405 with an empty body, 413 and
//! malformed query strings in plain text), which no handler sees.

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::MAX_BODY_BYTES;
use crate::error::ApiError;

/// Longest framework message kept when it is rewritten as JSON.
const MAX_MESSAGE: usize = 4096;

/// Refuses a body that is not declared JSON (415). A layer of the routes
/// that take a body only, so that a method a route does not answer is a 405
/// whatever its body (before, a bodyless `PUT` on a GET route was a 415).
pub(super) async fn require_json(req: Request, next: Next) -> Response {
    if req.body().size_hint().exact() != Some(0) && !declares_json(&req) {
        return ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "the request body must be JSON, sent with `Content-Type: application/json`",
        )
        .into_response();
    }
    next.run(req).await
}

/// Rewrites the framework's non-JSON errors in the documented JSON form.
pub(super) async fn guard(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(res.headers()) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = match axum::body::to_bytes(body, MAX_MESSAGE).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_string(),
        Err(_) => String::new(),
    };
    // An answer's own headers stay (Allow on a 405, Retry-After on a 429).
    let mut out = as_json(status, &method, text).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}

/// The framework's refusal, as the API's error.
fn as_json(status: StatusCode, method: &Method, text: String) -> ApiError {
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "method-not-allowed",
            format!("{method} is not allowed on this route (its Allow header lists the methods it answers)"),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload-too-large",
            format!("the request body is larger than the limit of {} MiB", MAX_BODY_BYTES >> 20),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported-media-type", text),
        StatusCode::NOT_FOUND => ("not-found", text),
        StatusCode::UNPROCESSABLE_ENTITY => ("invalid", text),
        s if s.is_server_error() => ("unavailable", "the server could not answer; try again".to_string()),
        _ => ("bad-request", text),
    };
    let message =
        if message.is_empty() { status.canonical_reason().unwrap_or("refused").to_string() } else { message };
    ApiError::new(status, code, message)
}

fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(json_type)
}

fn declares_json(req: &Request<Body>) -> bool {
    is_json(req.headers())
}

/// `application/json`, or a `+json` type, with any parameters.
fn json_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::json_type;

    #[test]
    fn json_content_types_are_recognised() {
        assert!(json_type("application/json"));
        assert!(json_type("Application/JSON; charset=utf-8"));
        assert!(json_type("application/merge-patch+json"));
        assert!(!json_type("text/plain"));
        assert!(!json_type("application/x-www-form-urlencoded"));
        assert!(!json_type("text/json+html"));
    }
}
