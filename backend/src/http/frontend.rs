//! Serves the web app. Release builds carry `frontend/dist` inside the binary, so one file is the
//! whole install; `frontend_dir` in the config serves a folder instead (frontend development).
//! Unknown non-API paths return `index.html`: the client-side router owns them (`/board`,
//! `/station/M-01`), so deep links and reloads work.

use std::{borrow::Cow, path::Path};

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use rust_embed::RustEmbed;

use crate::{error::AppError, state::AppState, text};

#[derive(RustEmbed)]
#[folder = "../frontend/dist/"]
#[allow_missing = true]
struct Embedded;

/// The default service: API paths that matched no route are JSON 404s; everything else is the app.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
        return Err(AppError::NotFound(text!(
            "没有这个接口：{path}",
            "No such API route: {path}"
        )));
    }
    let file = path.trim_start_matches('/');
    let dir = state.config.frontend_dir.as_deref();
    if !file.is_empty() && !file.contains("..") {
        if let Some(response) = asset(dir, file, &req) {
            return Ok(response);
        }
        // A missing file with an extension is a broken link, not a client route.
        if Path::new(file).extension().is_some() {
            return Err(AppError::NotFound(text!(
                "文件不存在：{path}",
                "No such file: {path}"
            )));
        }
    }
    Ok(asset(dir, "index.html", &req).unwrap_or_else(not_built))
}

fn asset(dir: Option<&Path>, file: &str, req: &HttpRequest) -> Option<HttpResponse> {
    let (data, etag): (Cow<'static, [u8]>, String) = match dir {
        Some(dir) => {
            let bytes = std::fs::read(dir.join(file)).ok()?;
            let etag = format!("\"{:x}\"", bytes.len());
            (Cow::Owned(bytes), etag)
        }
        None => {
            let file = Embedded::get(file)?;
            let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..12]));
            (file.data, etag)
        }
    };
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return Some(
            HttpResponse::NotModified()
                .insert_header((header::ETAG, etag))
                .finish(),
        );
    }
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    // index.html names its assets with `?v=<content hash>`: such a URL never changes content, so
    // browsers may keep it; everything else is revalidated each time (a 304 is cheap).
    let versioned = req.query_string().split('&').any(|p| p.starts_with("v="));
    let cache = if versioned && file != "index.html" {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Some(
        HttpResponse::Ok()
            .content_type(mime.as_ref())
            .insert_header((header::CACHE_CONTROL, cache))
            .insert_header((header::ETAG, etag))
            .body(data.into_owned()),
    )
}

fn not_built() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .content_type("text/html; charset=utf-8")
        .body(
            "<!doctype html><meta charset=utf-8><title>MES</title>\
             <p>前端尚未构建：请运行 <code>frontend/build.sh</code> 后重新构建 mes。</p>\
             <p>The frontend is not built: run <code>frontend/build.sh</code>, then rebuild mes.</p>",
        )
}
