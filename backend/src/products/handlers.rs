use actix_web::{HttpRequest, HttpResponse, http::header, web};
use futures_util::StreamExt;
use mes_api_types::{
    ApiError, Page,
    master_data::{
        Attachment, Bom, BomInput, BomNode, Product, ProductInput, ProductKind, Routing,
        RoutingInput, VersionStatus,
    },
};
use serde::Deserialize;

use super::{
    queries::{ProductFilter, VersionFilter},
    service,
};
use crate::{
    error::{AppError, AppResult},
    http::{
        extract::{Actor, Json, Query},
        paging::PageRequest,
    },
    state::AppState,
    text,
};

// ---- Products ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProductQuery {
    /// Part of the code or name.
    pub q: Option<String>,
    pub kind: Option<ProductKind>,
    pub active: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl ProductQuery {
    /// The filter it selects (also what exports of the list use).
    pub fn filter(&self) -> ProductFilter {
        ProductFilter {
            q: self.q.clone(),
            kind: self.kind.map(|k| k.as_str().to_owned()),
            active: self.active,
        }
    }
}

/// List products and materials.
#[utoipa::path(get, path = "/api/v1/products", tag = "products", params(ProductQuery),
    responses((status = 200, body = Page<Product>), (status = 400, body = ApiError)))]
pub async fn list_products(
    state: web::Data<AppState>,
    query: Query<ProductQuery>,
) -> AppResult<web::Json<Page<Product>>> {
    let q = query.0;
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let filter = q.filter();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list_products(conn, filter, page))
            .await?,
    ))
}

/// Create a product or material.
#[utoipa::path(post, path = "/api/v1/products", tag = "products", request_body = ProductInput,
    responses((status = 201, body = Product), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_product(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<ProductInput>,
) -> AppResult<HttpResponse> {
    let product = state
        .db
        .run(move |conn| service::create_product(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(product))
}

/// One product.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "products", params(("id" = i64, Path, description = "Product id")),
    responses((status = 200, body = Product), (status = 404, body = ApiError)))]
pub async fn get_product(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<Product>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::load_product(conn, id))
            .await?,
    ))
}

/// The product with this code.
#[utoipa::path(get, path = "/api/v1/products/by-code/{code}", tag = "products", params(("code" = String, Path, description = "Product code")),
    responses((status = 200, body = Product), (status = 404, body = ApiError)))]
pub async fn get_product_by_code(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> AppResult<web::Json<Product>> {
    let code = code.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::product_by_code(conn, &code))
            .await?,
    ))
}

/// Replace a product; `active: false` retires it.
#[utoipa::path(put, path = "/api/v1/products/{id}", tag = "products", params(("id" = i64, Path, description = "Product id")),
    request_body = ProductInput,
    responses((status = 200, body = Product), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_product(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<ProductInput>,
) -> AppResult<web::Json<Product>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update_product(conn, &actor, id, body.0))
            .await?,
    ))
}

/// Delete a product nothing refers to (no BOM, routing or order).
#[utoipa::path(delete, path = "/api/v1/products/{id}", tag = "products", params(("id" = i64, Path, description = "Product id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_product(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete_product(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BomTreeQuery {
    /// Quantity of the product to explode for (default 1).
    pub quantity: Option<f64>,
}

/// Multi-level explosion of the product's active BOMs: each node's quantity is what the
/// requested quantity needs, scrap included (parent × quantity_per / (1 − scrap_factor)).
#[utoipa::path(get, path = "/api/v1/products/{id}/bom-tree", tag = "products",
    params(("id" = i64, Path, description = "Product id"), BomTreeQuery),
    responses((status = 200, body = BomNode), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn bom_tree(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<BomTreeQuery>,
) -> AppResult<web::Json<BomNode>> {
    let id = id.into_inner();
    let quantity = query.0.quantity.unwrap_or(1.0);
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::bom_tree(conn, id, quantity))
            .await?,
    ))
}

// ---- BOMs and routings ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct VersionQuery {
    pub product_id: Option<i64>,
    pub status: Option<VersionStatus>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub fn version_filter(q: &VersionQuery) -> VersionFilter {
    VersionFilter {
        product_id: q.product_id,
        status: q.status.map(|s| s.as_str().to_owned()),
    }
}

/// List BOM versions, newest first.
#[utoipa::path(get, path = "/api/v1/boms", tag = "products", params(VersionQuery),
    responses((status = 200, body = Page<Bom>), (status = 400, body = ApiError)))]
pub async fn list_boms(
    state: web::Data<AppState>,
    query: Query<VersionQuery>,
) -> AppResult<web::Json<Page<Bom>>> {
    let q = query.0;
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let filter = version_filter(&q);
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list_boms(conn, filter, page))
            .await?,
    ))
}

/// Create the product's next BOM version, as a draft.
#[utoipa::path(post, path = "/api/v1/boms", tag = "products", request_body = BomInput,
    responses((status = 201, body = Bom), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_bom(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<BomInput>,
) -> AppResult<HttpResponse> {
    let bom = state
        .db
        .run(move |conn| service::create_bom(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(bom))
}

/// One BOM version.
#[utoipa::path(get, path = "/api/v1/boms/{id}", tag = "products", params(("id" = i64, Path, description = "BOM id")),
    responses((status = 200, body = Bom), (status = 404, body = ApiError)))]
pub async fn get_bom(state: web::Data<AppState>, id: web::Path<i64>) -> AppResult<web::Json<Bom>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::load_bom(conn, id))
            .await?,
    ))
}

/// Replace a draft BOM (active and archived versions never change: 409).
#[utoipa::path(put, path = "/api/v1/boms/{id}", tag = "products", params(("id" = i64, Path, description = "BOM id")),
    request_body = BomInput,
    responses((status = 200, body = Bom), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_bom(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<BomInput>,
) -> AppResult<web::Json<Bom>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update_bom(conn, &actor, id, body.0))
            .await?,
    ))
}

/// Delete a draft BOM.
#[utoipa::path(delete, path = "/api/v1/boms/{id}", tag = "products", params(("id" = i64, Path, description = "BOM id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_bom(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete_bom(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Make this version the product's current BOM; the previously active one is archived. Refused
/// (409) when it would make a product contain itself.
#[utoipa::path(post, path = "/api/v1/boms/{id}/activate", tag = "products", params(("id" = i64, Path, description = "BOM id")),
    responses((status = 200, body = Bom), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn activate_bom(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<web::Json<Bom>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::activate_bom(conn, &actor, id))
            .await?,
    ))
}

/// Copy any version into the product's next draft version.
#[utoipa::path(post, path = "/api/v1/boms/{id}/copy", tag = "products", params(("id" = i64, Path, description = "BOM id")),
    responses((status = 201, body = Bom), (status = 404, body = ApiError)))]
pub async fn copy_bom(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let bom = state
        .db
        .run(move |conn| service::copy_bom(conn, &actor, id))
        .await?;
    Ok(HttpResponse::Created().json(bom))
}

/// List routing versions, newest first.
#[utoipa::path(get, path = "/api/v1/routings", tag = "products", params(VersionQuery),
    responses((status = 200, body = Page<Routing>), (status = 400, body = ApiError)))]
pub async fn list_routings(
    state: web::Data<AppState>,
    query: Query<VersionQuery>,
) -> AppResult<web::Json<Page<Routing>>> {
    let q = query.0;
    let page = PageRequest::new(q.limit, q.cursor.as_deref())?;
    let filter = version_filter(&q);
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::list_routings(conn, filter, page))
            .await?,
    ))
}

/// Create the product's next routing version, as a draft.
#[utoipa::path(post, path = "/api/v1/routings", tag = "products", request_body = RoutingInput,
    responses((status = 201, body = Routing), (status = 400, body = ApiError), (status = 409, body = ApiError)))]
pub async fn create_routing(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<RoutingInput>,
) -> AppResult<HttpResponse> {
    let routing = state
        .db
        .run(move |conn| service::create_routing(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(routing))
}

/// One routing version with its operations, eligible machines and attachments.
#[utoipa::path(get, path = "/api/v1/routings/{id}", tag = "products", params(("id" = i64, Path, description = "Routing id")),
    responses((status = 200, body = Routing), (status = 404, body = ApiError)))]
pub async fn get_routing(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> AppResult<web::Json<Routing>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::load_routing(conn, id))
            .await?,
    ))
}

/// Replace a draft routing (active and archived versions never change: 409). Operations are
/// matched by `seq`: an operation whose number stays keeps its id and attachments.
#[utoipa::path(put, path = "/api/v1/routings/{id}", tag = "products", params(("id" = i64, Path, description = "Routing id")),
    request_body = RoutingInput,
    responses((status = 200, body = Routing), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn update_routing(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<RoutingInput>,
) -> AppResult<web::Json<Routing>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::update_routing(conn, &actor, id, body.0))
            .await?,
    ))
}

/// Delete a draft routing and its attachments.
#[utoipa::path(delete, path = "/api/v1/routings/{id}", tag = "products", params(("id" = i64, Path, description = "Routing id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_routing(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete_routing(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Make this version the product's current routing (it needs at least one operation); the
/// previously active one is archived. Released work orders keep their own copy.
#[utoipa::path(post, path = "/api/v1/routings/{id}/activate", tag = "products", params(("id" = i64, Path, description = "Routing id")),
    responses((status = 200, body = Routing), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn activate_routing(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<web::Json<Routing>> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::activate_routing(conn, &actor, id))
            .await?,
    ))
}

/// Copy any version (operations, machines, attachments) into the product's next draft version.
#[utoipa::path(post, path = "/api/v1/routings/{id}/copy", tag = "products", params(("id" = i64, Path, description = "Routing id")),
    responses((status = 201, body = Routing), (status = 404, body = ApiError)))]
pub async fn copy_routing(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let routing = state
        .db
        .run(move |conn| service::copy_routing(conn, &actor, id))
        .await?;
    Ok(HttpResponse::Created().json(routing))
}

// ---- Attachments ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file's name as shown to users (a path is cut to its last part).
    pub file_name: String,
}

fn too_large(limit: usize) -> AppError {
    let mib = limit as f64 / (1024.0 * 1024.0);
    let mib = format!("{mib:.1}");
    AppError::PayloadTooLarge(text!(
        "文件过大（上限 {mib} MiB）",
        "The file is too large (limit {mib} MiB)"
    ))
}

/// Attach a work instruction (image or PDF) to an operation of a draft routing. The body is the
/// file itself, with its `Content-Type`: image/png, image/jpeg, image/gif, image/webp,
/// image/svg+xml or application/pdf (415 otherwise); at most `max_upload_bytes` (413).
#[utoipa::path(post, path = "/api/v1/routing-operations/{id}/attachments", tag = "products",
    params(("id" = i64, Path, description = "Routing operation id"), UploadQuery),
    request_body(content = String, content_type = "application/octet-stream", description = "The raw file"),
    responses((status = 201, body = Attachment), (status = 400, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError)))]
pub async fn upload_attachment(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<UploadQuery>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let content_type = service::media_type(
        req.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    if !service::ATTACHMENT_TYPES.contains(&content_type.as_str()) {
        return Err(service::unsupported_type(&content_type));
    }
    let limit = state.config.max_upload_bytes;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let mut data = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            AppError::BadRequest(text!(
                "读取上传文件失败：{e}",
                "Could not read the uploaded file: {e}"
            ))
        })?;
        if data.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        data.extend_from_slice(&chunk);
    }
    let file_name = query.0.file_name;
    let attachment = state
        .db
        .run(move |conn| {
            service::upload_attachment(conn, &actor, id, &file_name, &content_type, data)
        })
        .await?;
    Ok(HttpResponse::Created().json(attachment))
}

/// `filename` for `Content-Disposition`: an ASCII fallback plus the UTF-8 name (RFC 6266).
fn content_disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The attachment's bytes, with its content type, shown inline. `ETag` is the SHA-256 of the
/// content; `If-None-Match` with it answers 304.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "products", params(("id" = i64, Path, description = "Attachment id")),
    responses((status = 200, description = "The file, with its own Content-Type", content_type = "application/octet-stream"),
        (status = 304, description = "Not modified"), (status = 404, body = ApiError)))]
pub async fn get_attachment(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (meta, data) = state
        .db
        .run(move |conn| service::attachment_file(conn, id))
        .await?;
    let etag = format!("\"{}\"", meta.sha256);
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"));
    if meta.content_type == "image/svg+xml" {
        // An SVG opened on its own must not run scripts in the app's origin. (Not for PDFs:
        // browsers' PDF viewers refuse to run in a sandboxed document.)
        response.insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
        ));
    }
    if matches {
        return Ok(response.finish());
    }
    Ok(response
        .insert_header((header::CONTENT_TYPE, meta.content_type.clone()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(&meta.file_name),
        ))
        .body(data))
}

/// Delete an attachment of a draft routing's operation.
#[utoipa::path(delete, path = "/api/v1/attachments/{id}", tag = "products", params(("id" = i64, Path, description = "Attachment id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn delete_attachment(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .run(move |conn| service::delete_attachment(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_keeps_unicode_names() {
        assert_eq!(
            content_disposition("作业 1.pdf"),
            "inline; filename=\"__ 1.pdf\"; filename*=UTF-8''%E4%BD%9C%E4%B8%9A%201.pdf"
        );
        assert_eq!(
            content_disposition("a\"b.png"),
            "inline; filename=\"a_b.png\"; filename*=UTF-8''a%22b.png"
        );
    }
}
