//! Error bodies in the caller's language. Errors are rendered in zh-CN when they are raised
//! (the request is not at hand there); this middleware re-renders them when the request asked
//! for another language with `Accept-Language`.

use actix_web::{
    Error, HttpRequest,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
};
use mes_api_types::Lang;

use crate::error::RenderedError;

pub fn request_lang(req: &HttpRequest) -> Lang {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

pub async fn localize_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Read before routing: holding a clone of the request across `next` would break routing.
    let lang = request_lang(req.request());
    let res = next.call(req).await?.map_into_boxed_body();
    let rendered = res.response().extensions().get::<RenderedError>().cloned();
    match rendered {
        Some(RenderedError(err)) if lang != Lang::default() => {
            let body = serde_json::to_string(&err.body(lang)).unwrap_or_default();
            Ok(res.map_body(|_, _| BoxBody::new(body)))
        }
        _ => Ok(res),
    }
}
