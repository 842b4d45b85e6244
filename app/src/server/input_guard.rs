//! The guard in front of the server functions: their input is checked
//! where server_fn would fail badly (an upload without a multipart boundary
//! panics inside it), and their errors get the status of their kind even
//! when server_fn answered before the function ran (arguments that do not
//! decode), so a malformed request is a 4xx, never a 5xx.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};

/// The server functions that read a multipart form (photo and file uploads).
/// server_fn 0.8 panics on such a request without a multipart boundary,
/// before the function runs; [`server_fn_input_guard`] answers those 400.
pub fn multipart_server_fns() -> [&'static str; 9] {
    use server_fn::ServerFn;
    [
        crate::api::evidence::UploadEvidence::PATH,
        crate::api::acceptance::UploadAcceptanceEvidence::PATH,
        crate::api::activity::ActivityPhoto::PATH,
        crate::api::funds::RecordSpending::PATH,
        crate::api::notice::UploadNoticeFile::PATH,
        crate::api::stock::StockGoodsPhoto::PATH,
        crate::api::rules::PublishRules::PATH,
        crate::api::households::PreviewImportFile::PATH,
        crate::api::households::ImportCommit::PATH,
    ]
}

/// The boundary of a `multipart/form-data` content type, if it has one
/// multer accepts: a token of letters, digits and `'+-._`, quoted or not,
/// 1 to 70 characters (RFC 2046). Anything else is refused, not guessed.
fn multipart_boundary(content_type: &str) -> Option<&str> {
    let mut parts = content_type.split(';');
    let essence = parts.next()?.trim();
    if !essence.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let boundary = parts.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim())
    })?;
    let boundary = boundary
        .strip_prefix('"')
        .and_then(|b| b.strip_suffix('"'))
        .unwrap_or(boundary);
    let plain = |c: char| c.is_ascii_alphanumeric() || "'+-._".contains(c);
    ((1..=70).contains(&boundary.len()) && boundary.chars().all(plain)).then_some(boundary)
}

/// A 400 with a Chinese message in the error format of server functions.
fn bad_request(message: &str) -> Response {
    let body = serde_json::to_string(&crate::error::AppError::invalid(message))
        .unwrap_or_else(|_| message.to_string());
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// Guards the server functions' input and their error statuses:
/// - an upload without a multipart boundary is answered 400 before it
///   reaches server_fn (which would panic);
/// - an error that server_fn answered 500 although it is not internal (its
///   arguments did not decode, before the function could set its status)
///   gets the status of its kind, so a malformed request is never a 5xx.
pub async fn server_fn_input_guard(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .unwrap_or("");
    let multipart_fn = multipart_server_fns().contains(&req.uri().path());
    let says_multipart = content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/");
    if (multipart_fn || says_multipart) && multipart_boundary(content_type).is_none() {
        return bad_request("上传格式有误，请通过页面选择文件上传");
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Error bodies are a few hundred bytes; a larger 500 is no error of a
    // server function and stays a 500.
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(_) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙，请稍后再试").into_response()
        }
    };
    if let Ok(err) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::multipart_boundary;

    #[test]
    fn a_multipart_content_type_needs_a_plain_boundary() {
        let browser = "multipart/form-data; boundary=----WebKitFormBoundaryu7vEXKzBqv1vG2bM";
        assert_eq!(
            multipart_boundary(browser),
            Some("----WebKitFormBoundaryu7vEXKzBqv1vG2bM")
        );
        assert_eq!(
            multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"abc\""),
            Some("abc")
        );
        for bad in [
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\"\"",
            "multipart/form-data; boundary=a b",
            "multipart/mixed; boundary=abc",
            "application/json",
            "",
        ] {
            assert_eq!(multipart_boundary(bad), None, "{bad}");
        }
    }
}
