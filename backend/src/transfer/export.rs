//! Export of every list to CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX, with the
//! list's own filters and every matching row (the list is paged through to its end). Column
//! names and words (kinds, yes/no) are in the user's language; the columns of an importable kind
//! are its import columns first, so an exported file imports again as it is.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use mes_api_types::{
    Lang, Page,
    import::{ExportKind, FileFormat},
    master_data::ProductKind,
};

use super::columns::{self, Column};
use crate::{
    db::DbConnection,
    error::{AppError, AppResult},
    http::paging::{MAX_LIMIT, PageRequest},
    plant::{
        queries::{MachineFilter, StationFilter, WorkCenterFilter},
        service as plant,
    },
    products::{
        queries::{ProductFilter, VersionFilter},
        service as products,
    },
    text,
    work_orders::service::{self as orders, ListRequest},
};

/// The list filter of each export kind, as its list endpoint reads it.
#[derive(Debug, Clone)]
pub enum ExportFilter {
    Machines(MachineFilter),
    WorkCenters(WorkCenterFilter),
    Stations(StationFilter),
    Products(ProductFilter),
    Boms(VersionFilter),
    Routings(VersionFilter),
    WorkOrders(Box<ListRequest>),
}

impl ExportFilter {
    pub fn kind(&self) -> ExportKind {
        match self {
            ExportFilter::Machines(_) => ExportKind::Machines,
            ExportFilter::WorkCenters(_) => ExportKind::WorkCenters,
            ExportFilter::Stations(_) => ExportKind::Stations,
            ExportFilter::Products(_) => ExportKind::Products,
            ExportFilter::Boms(_) => ExportKind::Boms,
            ExportFilter::Routings(_) => ExportKind::Routings,
            ExportFilter::WorkOrders(_) => ExportKind::WorkOrders,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Number(n)
    }
}

impl From<i32> for Cell {
    fn from(n: i32) -> Cell {
        Cell::Number(f64::from(n))
    }
}

/// An unset number (a piece rate nobody pays) is an empty cell, not 0.
impl From<Option<f64>> for Cell {
    fn from(n: Option<f64>) -> Cell {
        n.map_or(Cell::Text(String::new()), Cell::Number)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        Cell::Text(s.unwrap_or_default())
    }
}

/// A table to write: a header row and data rows.
#[derive(Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// `(zh, en)` of a column that only exports have (nothing reads it back).
type Extra = (&'static str, &'static str);

fn headers(lang: Lang, import: &[&Column], extra: &[Extra]) -> Vec<String> {
    import
        .iter()
        .map(|c| c.name(lang).to_owned())
        .chain(extra.iter().map(|(zh, en)| match lang {
            Lang::ZhCn => (*zh).to_owned(),
            Lang::En => (*en).to_owned(),
        }))
        .collect()
}

fn pick(all: &'static [Column], keys: &[&str]) -> Vec<&'static Column> {
    keys.iter()
        .filter_map(|k| all.iter().find(|c| c.key == *k))
        .collect()
}

pub fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (lang, b) {
        (Lang::ZhCn, true) => "是",
        (Lang::ZhCn, false) => "否",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    }
}

pub fn kind_word(kind: ProductKind, lang: Lang) -> &'static str {
    match (lang, kind) {
        (Lang::ZhCn, ProductKind::Raw) => "原材料",
        (Lang::ZhCn, ProductKind::Semi) => "半成品",
        (Lang::ZhCn, ProductKind::Finished) => "成品",
        (Lang::En, k) => k.as_str(),
    }
}

/// Plant time, to the second: what people type and what imports read back exactly.
pub fn plant_time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Pages through a list to its end.
fn all_pages<T>(
    mut fetch: impl FnMut(Option<String>) -> AppResult<Page<T>>,
    mut each: impl FnMut(T),
) -> AppResult<()> {
    let mut cursor = None;
    loop {
        let page = fetch(cursor)?;
        page.items.into_iter().for_each(&mut each);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(()),
        }
    }
}

fn page(cursor: Option<String>) -> AppResult<PageRequest> {
    PageRequest::new(Some(MAX_LIMIT), cursor.as_deref())
}

/// Every row the filter selects, as a sheet in `lang`.
pub fn build(
    conn: &mut DbConnection,
    filter: ExportFilter,
    lang: Lang,
    tz: Tz,
) -> AppResult<Sheet> {
    let kind = filter.kind();
    let mut sheet = Sheet {
        name: kind.slug().to_owned(),
        ..Sheet::default()
    };
    let rows = &mut sheet.rows;
    match filter {
        ExportFilter::Machines(f) => {
            let cols = pick(
                columns::MACHINES,
                &[
                    "code",
                    "name",
                    "work_center",
                    "kind",
                    "calendar",
                    "description",
                    "active",
                ],
            );
            sheet.headers = headers(lang, &cols, &[("设备状态", "Machine status")]);
            all_pages(
                |c| plant::list_machines(conn, f.clone(), page(c)?),
                |m| {
                    rows.push(vec![
                        m.code.into(),
                        m.name.into(),
                        m.work_center_code.into(),
                        m.kind.into(),
                        m.calendar_code.into(),
                        m.description.into(),
                        yes_no(m.active, lang).into(),
                        m.status.as_str().into(),
                    ])
                },
            )?;
        }
        ExportFilter::WorkCenters(f) => {
            sheet.headers = headers(
                lang,
                &[],
                &[
                    ("工作中心编码", "Code"),
                    ("名称", "Name"),
                    ("描述", "Description"),
                    ("日历", "Calendar"),
                    ("启用", "Active"),
                    ("设备数", "Machines"),
                ],
            );
            all_pages(
                |c| plant::list_work_centers(conn, f.clone(), page(c)?),
                |w| {
                    rows.push(vec![
                        w.code.into(),
                        w.name.into(),
                        w.description.into(),
                        w.calendar_code.into(),
                        yes_no(w.active, lang).into(),
                        (w.machine_count as f64).into(),
                    ])
                },
            )?;
        }
        ExportFilter::Stations(f) => {
            sheet.headers = headers(
                lang,
                &[],
                &[
                    ("工位编码", "Code"),
                    ("名称", "Name"),
                    ("设备", "Machine"),
                    ("工作中心", "Work centre"),
                    ("启用", "Active"),
                ],
            );
            all_pages(
                |c| plant::list_stations(conn, f.clone(), page(c)?),
                |s| {
                    rows.push(vec![
                        s.code.into(),
                        s.name.into(),
                        s.machine_code.into(),
                        s.work_center_code.into(),
                        yes_no(s.active, lang).into(),
                    ])
                },
            )?;
        }
        ExportFilter::Products(f) => {
            let cols = pick(
                columns::PRODUCTS,
                &["code", "name", "unit", "kind", "description", "active"],
            );
            sheet.headers = headers(
                lang,
                &cols,
                &[
                    ("BOM 版本", "BOM version"),
                    ("工艺路线版本", "Routing version"),
                ],
            );
            let version = |v: Option<i32>| v.map(Cell::from).unwrap_or(Cell::Text(String::new()));
            all_pages(
                |c| products::list_products(conn, f.clone(), page(c)?),
                |p| {
                    rows.push(vec![
                        p.code.into(),
                        p.name.into(),
                        p.unit.into(),
                        kind_word(p.kind, lang).into(),
                        p.description.into(),
                        yes_no(p.active, lang).into(),
                        version(p.active_bom_version),
                        version(p.active_routing_version),
                    ])
                },
            )?;
        }
        ExportFilter::Boms(f) => {
            let cols = pick(
                columns::BOMS,
                &[
                    "product",
                    "component",
                    "quantity_per",
                    "scrap_factor",
                    "note",
                ],
            );
            sheet.headers = headers(
                lang,
                &cols,
                &[
                    ("子项名称", "Component name"),
                    ("单位", "Unit"),
                    ("版本", "Version"),
                    ("版本状态", "Version status"),
                ],
            );
            all_pages(
                |c| products::list_boms(conn, f.clone(), page(c)?),
                |b| {
                    for l in b.lines {
                        rows.push(vec![
                            b.product_code.clone().into(),
                            l.component_code.into(),
                            l.quantity_per.into(),
                            l.scrap_factor.into(),
                            l.note.into(),
                            l.component_name.into(),
                            l.unit.into(),
                            b.version.into(),
                            b.status.as_str().into(),
                        ]);
                    }
                },
            )?;
        }
        ExportFilter::Routings(f) => {
            let cols = pick(
                columns::ROUTINGS,
                &[
                    "product",
                    "seq",
                    "name",
                    "work_center",
                    "setup_minutes",
                    "run_minutes_per_unit",
                    "queue_minutes",
                    "transfer_minutes",
                    "piece_rate",
                    "inspection_required",
                    "instruction",
                    "machines",
                ],
            );
            sheet.headers = headers(
                lang,
                &cols,
                &[("版本", "Version"), ("版本状态", "Version status")],
            );
            all_pages(
                |c| products::list_routings(conn, f.clone(), page(c)?),
                |r| {
                    for o in r.operations {
                        let machines: Vec<String> = o
                            .machines
                            .iter()
                            .map(|m| format!("{}:{}", m.machine_code, m.run_minutes_per_unit))
                            .collect();
                        rows.push(vec![
                            r.product_code.clone().into(),
                            o.seq.into(),
                            o.name.into(),
                            o.work_center_code.into(),
                            o.setup_minutes.into(),
                            o.run_minutes_per_unit.into(),
                            o.queue_minutes.into(),
                            o.transfer_minutes.into(),
                            o.piece_rate.into(),
                            yes_no(o.inspection_required, lang).into(),
                            o.instruction.into(),
                            machines.join(";").into(),
                            r.version.into(),
                            r.status.as_str().into(),
                        ]);
                    }
                },
            )?;
        }
        ExportFilter::WorkOrders(request) => {
            let cols = pick(
                columns::WORK_ORDERS,
                &[
                    "number",
                    "product",
                    "quantity",
                    "due_at",
                    "release_at",
                    "priority",
                    "customer",
                    "sales_order",
                ],
            );
            sheet.headers = headers(
                lang,
                &cols,
                &[
                    ("产品名称", "Product name"),
                    ("单位", "Unit"),
                    ("工单状态", "Order status"),
                    ("良品数", "Good"),
                    ("报废数", "Scrap"),
                    ("进度", "Progress"),
                    ("逾期", "Late"),
                ],
            );
            let mut request = *request;
            request.limit = Some(MAX_LIMIT);
            all_pages(
                |c| {
                    request.cursor = c;
                    orders::list(conn, &request)
                },
                |o| {
                    rows.push(vec![
                        o.number.into(),
                        o.product_code.into(),
                        o.quantity.into(),
                        plant_time(o.due_at, tz).into(),
                        o.release_at.map(|t| plant_time(t, tz)).into(),
                        o.priority.into(),
                        o.customer.into(),
                        o.sales_order.into(),
                        o.product_name.into(),
                        o.unit.into(),
                        o.status.as_str().into(),
                        o.qty_good.into(),
                        o.qty_scrap.into(),
                        o.progress.into(),
                        yes_no(o.late, lang).into(),
                    ])
                },
            )?;
        }
    }
    Ok(sheet)
}

fn number_text(n: f64) -> String {
    // `{}` prints 2.5 as "2.5" and 100.0 as "100": what a person would type.
    format!("{n}")
}

/// CSV with a UTF-8 byte-order mark: Excel then reads Chinese text correctly.
pub fn write_csv(sheet: &Sheet) -> AppResult<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let fail = |e: csv::Error| AppError::Internal(e.into());
        writer.write_record(&sheet.headers).map_err(fail)?;
        for row in &sheet.rows {
            writer
                .write_record(row.iter().map(|c| match c {
                    Cell::Text(s) => s.clone(),
                    Cell::Number(n) => number_text(*n),
                }))
                .map_err(fail)?;
        }
        writer.flush().map_err(|e| AppError::Internal(e.into()))?;
    }
    Ok(out)
}

pub fn write_xlsx(sheet: &Sheet) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name(&sheet.name).map_err(fail)?;
    for (c, h) in sheet.headers.iter().enumerate() {
        let c = u16::try_from(c).map_err(|e| AppError::Internal(e.into()))?;
        ws.write_string_with_format(0, c, h, &bold).map_err(fail)?;
        ws.set_column_width(c, 16).map_err(fail)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| AppError::Unprocessable {
            message: text!(
                "行数超过 XLSX 上限，请改用 CSV 或缩小筛选范围",
                "Too many rows for XLSX; use CSV or a narrower filter"
            ),
            details: Vec::new(),
        })?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|e| AppError::Internal(e.into()))?;
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s).map_err(fail)?;
                }
                Cell::Number(n) => {
                    ws.write_number(r, c, *n).map_err(fail)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}

pub fn write(sheet: &Sheet, format: FileFormat) -> AppResult<Vec<u8>> {
    match format {
        FileFormat::Csv => write_csv(sheet),
        FileFormat::Xlsx => write_xlsx(sheet),
    }
}

/// An import template: the kind's columns in `lang` and one example row.
pub fn template(kind: mes_api_types::import::ImportKind, lang: Lang) -> Sheet {
    let cols = columns::columns(kind);
    Sheet {
        name: kind.slug().to_owned(),
        headers: cols.iter().map(|c| c.name(lang).to_owned()).collect(),
        rows: vec![cols.iter().map(|c| Cell::Text(example(c, lang))).collect()],
    }
}

/// Example words follow the language; codes and numbers are the same in both.
fn example(c: &Column, lang: Lang) -> String {
    match (c.key, lang) {
        ("active" | "inspection_required", _) => yes_no(c.example == "是", lang).to_owned(),
        ("kind", _) if c.example == "成品" => kind_word(ProductKind::Finished, lang).to_owned(),
        ("name", Lang::En) if c.example == "数控车床 1 号" => "CNC lathe 1".into(),
        ("name", Lang::En) if c.example == "法兰盘" => "Flange".into(),
        ("name", Lang::En) if c.example == "粗车" => "Rough turning".into(),
        ("unit", Lang::En) => "pcs".into(),
        _ => c.example.to_owned(),
    }
}
