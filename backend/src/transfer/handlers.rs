use std::time::Duration;

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, ContentDisposition, DispositionParam, DispositionType},
    web,
};
use futures_util::StreamExt;
use mes_api_types::{
    ApiError, Lang,
    auth::Role,
    import::{ExportKind, FileFormat, ImportJob, ImportKind},
};
use serde::Deserialize;

use super::{
    export::{self, ExportFilter},
    print, service,
};
use crate::{
    auth::session::SessionUser,
    error::{AppError, AppResult},
    http::extract::{Actor, Query, parse_query},
    plant::{handlers as plant_h, service as plant},
    products::handlers as products_h,
    state::AppState,
    text,
    work_orders::{handlers as orders_h, service as orders},
};

/// `?lang=` for documents (templates, exports, print pages); the user's own language otherwise.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DocQuery {
    /// `zh-CN` or `en`; default: the signed-in user's language.
    pub lang: Option<Lang>,
}

fn doc_lang(requested: Option<Lang>, user: &SessionUser) -> Lang {
    requested.unwrap_or(user.language)
}

fn import_kind(slug: &str) -> AppResult<ImportKind> {
    ImportKind::from_slug(slug).ok_or_else(|| {
        let slug = slug.to_owned();
        AppError::NotFound(text!(
            "不支持导入“{slug}”（可用：machines, products, boms, routings, work-orders）",
            "Cannot import \"{slug}\" (use machines, products, boms, routings, work-orders)"
        ))
    })
}

fn attachment(file_name: &str, content_type: &str, data: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name.to_owned())],
        })
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(data)
}

fn content_type(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Csv => "text/csv; charset=utf-8",
        FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
}

fn too_large(limit: usize) -> AppError {
    let mib = format!("{:.1}", limit as f64 / (1024.0 * 1024.0));
    AppError::PayloadTooLarge(text!(
        "导入文件过大（上限 {mib} MiB）；请拆分后分批导入",
        "The import file is too large (limit {mib} MiB); split it and import the parts"
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The uploaded file's name: `.xlsx`/`.xls`/`.ods` read as a workbook (so does any file that
    /// is one), anything else as CSV.
    pub file_name: String,
}

/// Import an ERP export, all or nothing. The body is the file itself (CSV in UTF-8, UTF-8 with
/// BOM, UTF-16 or GBK/GB18030, delimiter `,` `;` or tab; or XLSX), at most `max_upload_bytes`
/// (413). The answer is 202 with the job: poll `GET /api/v1/import/jobs/{id}` until `done` or
/// `failed` (a small file is often finished in the answer already). A failed job stored nothing
/// and lists every bad row as `line`, `column`, `message`. Headers may be zh-CN or English;
/// unknown columns are ignored and listed in `ignored_columns`.
#[utoipa::path(post, path = "/api/v1/import/{kind}", tag = "import",
    params(("kind" = ImportKind, Path, description = "machines, products, boms, routings or work-orders"), ImportQuery),
    request_body(content = String, content_type = "application/octet-stream", description = "The raw file"),
    responses((status = 202, body = ImportJob), (status = 400, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError)))]
pub async fn start_import(
    state: web::Data<AppState>,
    actor: Actor,
    user: SessionUser,
    kind: web::Path<String>,
    query: Query<ImportQuery>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> AppResult<HttpResponse> {
    let kind = import_kind(&kind)?;
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if media.starts_with("multipart/") {
        return Err(AppError::UnsupportedMediaType(text!(
            "请直接以请求体发送文件（不用 multipart 表单），文件名放在 ?file_name= 中",
            "Send the file itself as the body (not a multipart form), its name in ?file_name="
        )));
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
    if data.is_empty() {
        return Err(AppError::invalid(
            "file",
            text!("文件为空", "The file is empty"),
        ));
    }
    let file_name = service::clean_file_name(&query.0.file_name);
    let id = service::spawn_import(state.clone(), actor, kind, file_name, data);
    // A small file is usually done at once: answer with its outcome rather than make the
    // client poll for it.
    for _ in 0..20 {
        if state.import_jobs.is_finished(&id) {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let lang = crate::http::lang::request_lang(&req);
    let job = state
        .import_jobs
        .get(&id, Some(user.id), true, lang)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("import job {id} vanished")))?;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/import/jobs/{id}")))
        .json(job))
}

/// An import job's progress and outcome (messages in the request's language). Jobs are kept an
/// hour after they end; each is visible to the user who started it and to admins.
#[utoipa::path(get, path = "/api/v1/import/jobs/{id}", tag = "import",
    params(("id" = String, Path, description = "Job id from the import's answer")),
    responses((status = 200, body = ImportJob), (status = 404, body = ApiError)))]
pub async fn get_import_job(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<String>,
    req: HttpRequest,
) -> AppResult<web::Json<ImportJob>> {
    let lang = crate::http::lang::request_lang(&req);
    let admin = user.roles.contains(&Role::Admin);
    state
        .import_jobs
        .get(&id, Some(user.id), admin, lang)
        .map(web::Json)
        .ok_or_else(|| {
            AppError::NotFound(text!(
                "导入任务不存在或已过期（任务结束一小时后删除）",
                "No such import job (jobs are removed an hour after they end)"
            ))
        })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TemplateQuery {
    /// `csv` (default) or `xlsx`.
    #[param(value_type = Option<String>)]
    pub format: Option<FileFormat>,
    /// `zh-CN` or `en`; default: the signed-in user's language.
    pub lang: Option<Lang>,
}

/// An import template: the kind's header row in the user's language and one example row.
#[utoipa::path(get, path = "/api/v1/import/{kind}/template", tag = "import",
    params(("kind" = ImportKind, Path, description = "machines, products, boms, routings or work-orders"), TemplateQuery),
    responses((status = 200, description = "The template file (CSV or XLSX)", content_type = "application/octet-stream"),
        (status = 404, body = ApiError)))]
pub async fn import_template(
    user: SessionUser,
    kind: web::Path<String>,
    query: Query<TemplateQuery>,
) -> AppResult<HttpResponse> {
    let kind = import_kind(&kind)?;
    let format = query.0.format.unwrap_or_default();
    let lang = doc_lang(query.0.lang, &user);
    let data = export::write(&export::template(kind, lang), format)?;
    let name = format!("{}-template.{}", kind.slug(), format.extension());
    Ok(attachment(&name, content_type(format), data))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`.
    #[param(value_type = Option<String>)]
    pub format: Option<FileFormat>,
    /// `zh-CN` or `en`; default: the signed-in user's language.
    pub lang: Option<Lang>,
}

/// The filter of `kind` read from the query (without `format` and `lang`), exactly as its list
/// endpoint reads it; `limit` and `cursor` are accepted and ignored (every row is exported).
fn export_filter(kind: ExportKind, query: &str) -> AppResult<(ExportFilter, ExportQuery)> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let (own, rest): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|(k, _)| k == "format" || k == "lang");
    let encode = |pairs: &[(String, String)]| {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    };
    let own: ExportQuery = parse_query(&encode(&own))?;
    let rest = encode(&rest);
    let filter = match kind {
        ExportKind::Machines => {
            ExportFilter::Machines(parse_query::<plant_h::MachineQuery>(&rest)?.filter())
        }
        ExportKind::WorkCenters => {
            ExportFilter::WorkCenters(parse_query::<plant_h::WorkCenterQuery>(&rest)?.filter())
        }
        ExportKind::Stations => {
            ExportFilter::Stations(parse_query::<plant_h::StationQuery>(&rest)?.filter())
        }
        ExportKind::Products => {
            ExportFilter::Products(parse_query::<products_h::ProductQuery>(&rest)?.filter())
        }
        ExportKind::Boms => ExportFilter::Boms(products_h::version_filter(&parse_query::<
            products_h::VersionQuery,
        >(&rest)?)),
        ExportKind::Routings => {
            ExportFilter::Routings(products_h::version_filter(&parse_query::<
                products_h::VersionQuery,
            >(&rest)?))
        }
        ExportKind::WorkOrders => ExportFilter::WorkOrders(Box::new(
            parse_query::<orders_h::WorkOrderQuery>(&rest)?.request()?,
        )),
    };
    Ok((filter, own))
}

/// Export every row of a list that its filters select, as CSV (UTF-8 with BOM) or XLSX, column
/// names in the user's language. Besides `format` and `lang`, the query takes the filters of the
/// kind's list: machines as `GET /api/v1/machines` (`q`, `work_center_id`, `status`, `active`),
/// work-centers (`q`, `active`), stations (`q`, `machine_id`, `work_center_id`, `active`),
/// products (`q`, `kind`, `active`), boms and routings (`product_id`, `status`; one row per BOM
/// line or operation), work-orders as `GET /api/v1/work-orders` (`status`, `product_id`, `q`,
/// `due_from`, `due_to`, `late`, `sort`, `dir`). The CSV of an importable kind imports again.
#[utoipa::path(get, path = "/api/v1/export/{kind}", tag = "import",
    params(("kind" = String, Path, description = "machines, work-centers, stations, products, boms, routings or work-orders"), ExportQuery),
    responses((status = 200, description = "The file (CSV or XLSX)", content_type = "application/octet-stream"),
        (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn export_list(
    state: web::Data<AppState>,
    user: SessionUser,
    kind: web::Path<String>,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let kind = ExportKind::from_slug(&kind).ok_or_else(|| {
        let slug = kind.into_inner();
        AppError::NotFound(text!(
            "不支持导出“{slug}”（可用：machines, work-centers, stations, products, boms, routings, work-orders）",
            "Cannot export \"{slug}\" (use machines, work-centers, stations, products, boms, routings, work-orders)"
        ))
    })?;
    let (filter, own) = export_filter(kind, req.query_string())?;
    let format = own.format.unwrap_or_default();
    let lang = doc_lang(own.lang, &user);
    let tz = service::plant_tz(&state);
    let data = state
        .db
        .run(move |conn| export::write(&export::build(conn, filter, lang, tz)?, format))
        .await?;
    let stamp = chrono::Utc::now().with_timezone(&tz).format("%Y%m%d-%H%M");
    let name = format!("{}-{stamp}.{}", kind.slug(), format.extension());
    Ok(attachment(&name, content_type(format), data))
}

fn html(page: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page)
}

/// The work order's A4 traveler (HTML to print): header data and a QR code `WO:<number>`, each
/// operation with its QR code `OP:<number>/<seq>` (what the station scanner reads), work centre,
/// machines, times, inspection flag, instruction summary and boxes to sign.
#[utoipa::path(get, path = "/api/v1/work-orders/{id}/traveler", tag = "work-orders",
    params(("id" = i64, Path, description = "Work order id"), DocQuery),
    responses((status = 200, description = "Print page", content_type = "text/html"), (status = 404, body = ApiError)))]
pub async fn traveler(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    query: Query<DocQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let lang = doc_lang(query.0.lang, &user);
    let tz = service::plant_tz(&state);
    let order = state.db.run(move |conn| orders::load(conn, id)).await?;
    Ok(html(print::traveler(&order, lang, tz)?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LabelQuery {
    /// Comma-separated ids, e.g. `1,2,5` (at most 500).
    pub ids: String,
    /// `zh-CN` or `en`; default: the signed-in user's language.
    pub lang: Option<Lang>,
}

const MAX_LABELS: usize = 500;

fn label_ids(text: &str) -> AppResult<Vec<i64>> {
    let mut ids = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let id = part.parse::<i64>().map_err(|_| {
            let part = part.to_owned();
            AppError::invalid("ids", text!("“{part}”不是编号", "\"{part}\" is not an id"))
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(AppError::invalid(
            "ids",
            text!("请至少选择一项", "Choose at least one"),
        ));
    }
    if ids.len() > MAX_LABELS {
        return Err(AppError::invalid(
            "ids",
            text!(
                "一次最多打印 {MAX_LABELS} 张标签",
                "At most {MAX_LABELS} labels at a time"
            ),
        ));
    }
    Ok(ids)
}

/// A sheet of machine labels: QR code `M:<code>`, code and name.
#[utoipa::path(get, path = "/api/v1/labels/machines", tag = "plant", params(LabelQuery),
    responses((status = 200, description = "Print page", content_type = "text/html"),
        (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn machine_labels(
    state: web::Data<AppState>,
    user: SessionUser,
    query: Query<LabelQuery>,
) -> AppResult<HttpResponse> {
    let ids = label_ids(&query.0.ids)?;
    let lang = doc_lang(query.0.lang, &user);
    let machines = state
        .db
        .run(move |conn| {
            ids.into_iter()
                .map(|id| plant::load_machine(conn, id))
                .collect::<AppResult<Vec<_>>>()
        })
        .await?;
    Ok(html(print::machine_labels(&machines, lang)?))
}

/// A sheet of station labels: QR code `ST:<code>`, code and name.
#[utoipa::path(get, path = "/api/v1/labels/stations", tag = "plant", params(LabelQuery),
    responses((status = 200, description = "Print page", content_type = "text/html"),
        (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn station_labels(
    state: web::Data<AppState>,
    user: SessionUser,
    query: Query<LabelQuery>,
) -> AppResult<HttpResponse> {
    let ids = label_ids(&query.0.ids)?;
    let lang = doc_lang(query.0.lang, &user);
    let stations = state
        .db
        .run(move |conn| {
            ids.into_iter()
                .map(|id| plant::load_station(conn, id))
                .collect::<AppResult<Vec<_>>>()
        })
        .await?;
    Ok(html(print::station_labels(&stations, lang)?))
}
