//! The OpenAPI 3 document, generated from the route table (every route's `#[utoipa::path]` plus
//! its access rule), and a self-contained docs page (no CDN: plants are often offline).

use std::collections::BTreeMap;

use utoipa::openapi::{
    ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathItem, PathsBuilder, RefOr,
    path::Operation,
    schema::Schema,
    security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme},
};

use super::{Access, RouteInfo};

pub const SESSION_SCHEME: &str = "session_cookie";

pub fn document<'a>(
    routes: impl Iterator<
        Item = (
            &'a RouteInfo,
            &'a [String],
            Operation,
            &'a [(String, RefOr<Schema>)],
        ),
    >,
) -> OpenApi {
    let mut paths = PathsBuilder::new();
    let mut schemas: BTreeMap<String, RefOr<Schema>> = BTreeMap::new();
    for (info, tags, mut operation, route_schemas) in routes {
        if !tags.is_empty() {
            operation.tags = Some(tags.to_vec());
        }
        let rule = match info.access {
            Access::Public => "Access: public.".to_owned(),
            Access::Authenticated => "Access: any signed-in user.".to_owned(),
            Access::Roles(_) => format!("Access: roles {}.", info.access.describe()),
        };
        operation.description = Some(match operation.description.take() {
            Some(d) if !d.is_empty() => format!("{d}\n\n{rule}"),
            _ => rule,
        });
        if info.access != Access::Public {
            operation.security = Some(vec![SecurityRequirement::new::<_, _, &str>(
                SESSION_SCHEME,
                [],
            )]);
        }
        let method = utoipa_method(&info.method);
        paths = paths.path(info.path.clone(), PathItem::new(method, operation));
        for (name, schema) in route_schemas {
            schemas
                .entry(name.clone())
                .or_insert_with(|| schema.clone());
        }
    }
    let components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .security_scheme(
            SESSION_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::session::COOKIE_NAME,
                "Session cookie set by POST /api/v1/auth/login or /api/v1/auth/badge-login",
            ))),
        )
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("MES API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Manufacturing execution system API. JSON over HTTP; times are RFC 3339 UTC. \
                     Errors are `{\"error\": kind, \"message\": text, \"details\": [...]}` with the \
                     message in the language of `Accept-Language` (zh-CN default, en).",
                ))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components))
        .build()
}

fn utoipa_method(m: &actix_web::http::Method) -> utoipa::openapi::HttpMethod {
    use actix_web::http::Method;
    use utoipa::openapi::HttpMethod as H;
    match *m {
        Method::POST => H::Post,
        Method::PUT => H::Put,
        Method::DELETE => H::Delete,
        Method::PATCH => H::Patch,
        Method::HEAD => H::Head,
        Method::OPTIONS => H::Options,
        Method::TRACE => H::Trace,
        _ => H::Get,
    }
}

/// A readable, dependency-free page listing every operation, grouped by tag.
pub fn docs_page(doc: &OpenApi) -> String {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let tag = op
                .tags
                .as_ref()
                .and_then(|t| t.first().cloned())
                .unwrap_or_else(|| "other".into());
            let summary = op.summary.clone().unwrap_or_default();
            let description = op.description.clone().unwrap_or_default();
            groups.entry(tag).or_default().push(format!(
                "<div class=op><span class='m {m}'>{method}</span> <code>{path}</code> <b>{summary}</b><p>{description}</p></div>",
                m = method.to_ascii_lowercase(),
                path = escape(path),
                summary = escape(&summary),
                description = escape(&description).replace("\n\n", "<br>"),
            ));
        }
    }
    let body: String = groups
        .into_iter()
        .map(|(tag, ops)| format!("<h2>{}</h2>{}", escape(&tag), ops.concat()))
        .collect();
    format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>MES API</title>\
         <meta name=viewport content='width=device-width,initial-scale=1'>\
         <style>body{{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1f2933}}\
         .op{{border:1px solid #d9e2ec;border-radius:6px;padding:.5em .8em;margin:.4em 0}}.op p{{margin:.3em 0 0;color:#52606d}}\
         .m{{display:inline-block;min-width:4.5em;font-weight:600;font-family:monospace}}.get{{color:#0b69a3}}.post{{color:#0e7c3a}}\
         .put,.patch{{color:#a15c07}}.delete{{color:#ba2525}}</style>\
         <h1>MES API {version}</h1><p>Machine-readable document: <a href=/api/v1/openapi.json>/api/v1/openapi.json</a>. \
         Sign in with <code>POST /api/v1/auth/login</code>; the session cookie authorises the other calls.</p>{body}</html>",
        version = escape(&doc.info.version),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
