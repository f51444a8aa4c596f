//! The server's one error type: JSON with a stable code and a message a
//! person can act on. Internals never leak.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use accord_core::negotiation::DomainError;
use accord_workspace::WorkspaceError;

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// For a person.
    pub message: String,
    /// The current state of what was contested (conflicts).
    pub current: Option<serde_json::Value>,
    /// Seconds after which a retry may succeed (429: the `Retry-After` header).
    pub retry_after: Option<u64>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a serde_json::Value>,
}

impl ApiError {
    /// A 4xx or 5xx with a code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), current: None, retry_after: None }
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", message)
    }

    /// 401: no valid token.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not-found", message)
    }

    /// 503: the store cannot record the change now; nothing was recorded.
    pub fn unavailable(detail: &str) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            format!("the change could not be recorded and was not made ({detail}); try again"),
        )
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> ApiError {
        let status = match &e {
            DomainError::Forbidden(_) => StatusCode::FORBIDDEN,
            DomainError::NotFound(_) => StatusCode::NOT_FOUND,
            DomainError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            DomainError::Conflict { .. } => StatusCode::CONFLICT,
        };
        let current = match &e {
            DomainError::Conflict { current, .. } => Some(serde_json::to_value(current).unwrap_or_default()),
            _ => None,
        };
        ApiError { status, code: e.code(), message: e.to_string(), current, retry_after: None }
    }
}

impl From<WorkspaceError> for ApiError {
    fn from(e: WorkspaceError) -> ApiError {
        match e {
            WorkspaceError::Domain(e) => e.into(),
            WorkspaceError::Contended(_) => ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string()),
            WorkspaceError::Invalid(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.to_string())
            }
            WorkspaceError::KeyReused(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "idempotency-key-reused", e.to_string())
            }
            WorkspaceError::Unavailable(_) | WorkspaceError::Log(_) | WorkspaceError::InUse(_) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", e.to_string())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Logged once, here where it is answered (inside the request's span).
        if self.status.is_server_error() {
            tracing::error!(status = self.status.as_u16(), code = self.code, message = %self.message, "answered with an error");
        } else {
            tracing::debug!(status = self.status.as_u16(), code = self.code, message = %self.message, "refused");
        }
        let body =
            Body { error: Inner { code: self.code, message: &self.message, current: self.current.as_ref() } };
        let json = serde_json::to_string(&body).unwrap_or_else(|_| "{}".into());
        let res =
            (self.status, [(axum::http::header::CONTENT_TYPE, "application/json")], json).into_response();
        crate::api::with_retry_after(res, self.retry_after)
    }
}
