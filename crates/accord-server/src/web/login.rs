//! Logging in and out, and invitations: the login page (with where to go
//! next, on this site only), sessions started and ended, an invitation link
//! turned into an account.

use super::*;

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::HeaderValue;
use axum::Extension;

use auth::LoginError;

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    frame: Frame,
    error: String,
    username: String,
    next: String,
}

#[derive(serde::Deserialize)]
pub(super) struct Next {
    next: Option<String>,
}

pub(super) fn safe_next(next: Option<&str>) -> String {
    // Only paths on this site: no open redirect.
    // A browser drops tabs and newlines from a URL, so `/\t/evil` would
    // become `//evil`: refuse any control or space character outright.
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

pub(super) async fn login_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(q): Query<Next>,
) -> Response {
    let v = web.viewer_with_form(&headers).await;
    let next = safe_next(q.next.as_deref());
    page(&v, &LoginPage { frame: frame(&v), error: String::new(), username: String::new(), next })
}

pub(super) async fn login(
    State(web): State<Web>,
    address: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    if check_csrf(&v, &form).is_err() {
        return error_page(
            &v,
            &headers,
            ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "the login form's security token is missing; reload the page",
            ),
            "/login",
        );
    }
    let username = form.get("username").cloned().unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let next = safe_next(form.get("next").map(String::as_str));
    match web.login(&username, &password, address.map(|Extension(ConnectInfo(a))| a.ip())).await {
        Ok(secret) => {
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                auth::set_cookie(SESSION_COOKIE, &secret, auth::SESSION_MS / 1000, v.secure),
            );
            r
        }
        Err(error) => {
            let status = match &error {
                LoginError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                LoginError::Refused => StatusCode::UNAUTHORIZED,
                LoginError::Unavailable(cause) => {
                    tracing::error!(%cause, "a login could not be recorded");
                    StatusCode::SERVICE_UNAVAILABLE
                }
            };
            let message = error.to_string();
            let mut r = page(&v, &LoginPage { frame: frame(&v), error: message, username, next });
            *r.status_mut() = status;
            if let LoginError::Throttled { seconds } = error {
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            r
        }
    }
}

pub(super) async fn logout(
    State(web): State<Web>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    if let Err(e) = check_csrf(&v, &form) {
        return error_page(&v, &headers, e, "/");
    }
    if let Some(h) = &v.session {
        web.logout(h).await;
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(header::SET_COOKIE, auth::set_cookie(SESSION_COOKIE, "", 0, v.secure));
    r
}

#[derive(Template)]
#[template(path = "invite.html")]
pub(super) struct InvitePage {
    frame: Frame,
    role: String,
    process: String,
    error: String,
}

pub(super) async fn invitation(web: &WebState, secret: &str) -> Option<accord_store::InvitationRecord> {
    accord_workspace::accounts::invitation(&web.ws, secret).await
}

pub(super) async fn invite_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(secret): Path<String>,
) -> Response {
    let v = web.viewer_with_form(&headers).await;
    match invitation(&web, &secret).await {
        Some(i) => page(
            &v,
            &InvitePage {
                frame: frame(&v),
                role: i.actor,
                process: i.process.unwrap_or_default(),
                error: String::new(),
            },
        ),
        None => error_page(
            &v,
            &headers,
            ApiError::not_found("this invitation link is unknown, used or expired"),
            "/",
        ),
    }
}

pub(super) async fn accept_invite(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    if let Err(e) = check_csrf(&v, &form) {
        return error_page(&v, &headers, e, "/");
    }
    let Some(inv) = invitation(&web, &secret).await else {
        return error_page(
            &v,
            &headers,
            ApiError::not_found("this invitation link is unknown, used or expired"),
            "/",
        );
    };
    let username = form.get("username").cloned().unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let retry = |error: String| {
        let mut r = page(
            &v,
            &InvitePage {
                frame: frame(&v),
                role: inv.actor.clone(),
                process: inv.process.clone().unwrap_or_default(),
                error,
            },
        );
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    let account =
        match accord_workspace::accounts::accept_invitation(&web.ws, &secret, &username, &password).await {
            Ok(a) => a,
            Err(WorkspaceError::Invalid(m)) => return retry(m),
            Err(e) => return error_page(&v, &headers, e.into(), "/"),
        };
    let process = account.process.clone();
    match web.start_session(account).await {
        Ok(secret) => {
            let to = process.map(|p| format!("/p/{p}")).unwrap_or_else(|| "/".into());
            let mut r = Redirect::to(&to).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                auth::set_cookie(SESSION_COOKIE, &secret, auth::SESSION_MS / 1000, v.secure),
            );
            r
        }
        Err(e) => error_page(&v, &headers, ApiError::unavailable(&e), "/login"),
    }
}

pub(super) async fn invite(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let v = web.viewer(&headers).await;
    if let Err(e) = check_csrf(&v, &form) {
        return error_page(&v, &headers, e, &format!("/p/{pid}"));
    }
    if !matches!(v.actor_in(&pid), Some(Actor::Secretariat { .. })) {
        return error_page(
            &v,
            &headers,
            ApiError::new(StatusCode::FORBIDDEN, "forbidden", "only the secretariat invites"),
            &format!("/p/{pid}"),
        );
    }
    let Some(role) = form.get("role").and_then(|r| Actor::from_label(r)) else {
        return error_page(&v, &headers, ApiError::bad_request("choose a role"), &format!("/p/{pid}"));
    };
    match auth::create_invitation(&web.ws, Some(pid.clone()), &role, 7).await {
        Ok(secret) => match process_page(&web, &v, &pid, format!("/invite/{secret}")) {
            Ok(p) => page(&v, &p),
            Err(e) => error_page(&v, &headers, e, "/"),
        },
        Err(e) => error_page(&v, &headers, e.into(), &format!("/p/{pid}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_a_path_on_this_site_only() {
        assert_eq!(safe_next(Some("/p/ocean-data")), "/p/ocean-data");
        for bad in
            ["//evil.example/", "/\t/evil.example/", "/\\evil", "https://evil.example", "/ /x", "/\n/evil"]
        {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
