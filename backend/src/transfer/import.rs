//! Import of ERP exports, all or nothing. Every row goes through the same service functions the
//! API uses (their validation, audit and rules), inside ONE transaction; a row a service refuses,
//! or a cell that cannot be read, becomes a `line, column, reason` error, and any error rolls the
//! whole file back after every row has been checked. Existing codes (machine, product, order
//! number) are updated with the columns the file has; other fields keep their value.
//!
//! BOMs and routings come one row per BOM line / operation; the rows of one product form the
//! product's new version, which is made the active one (the previous active version is archived).
//! A product's existing draft is replaced rather than left beside the new version.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use mes_api_types::{
    Lang, MachineId, ProductId, WorkCenterId,
    import::{ImportKind, ImportStatus},
    master_data::{
        BomInput, BomLineInput, EligibleMachineInput, MachineInput, ProductInput, ProductKind,
        RoutingInput, RoutingOperationInput,
    },
    work_orders::{NewWorkOrder, WorkOrderUpdate},
};

use super::{
    columns::{self, Column, normalise},
    table::{Row, Table},
};
use crate::{
    db::{DbConnection, write_transaction},
    error::{AppError, AppResult, Detail, Text},
    http::{extract::Actor, paging::PageRequest},
    plant::{queries as plant_q, service as plant},
    products::{queries as products_q, service as products},
    text,
    work_orders::{queries as orders_q, service as orders},
};

/// How far an import is: called as rows are checked and written.
pub type Progress<'a> = &'a mut dyn FnMut(ImportStatus, u64);

/// What an import did. `errors` non-empty means nothing was stored.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub total_rows: u64,
    pub created: u64,
    pub updated: u64,
    pub errors: Vec<Detail>,
    /// Headers that name no column of the kind (their cells are not read).
    pub ignored_columns: Vec<String>,
}

/// Imports `table` as `kind`. `Err` only for faults (database unreachable); bad rows are in the
/// report's `errors`.
pub fn import(
    conn: &mut DbConnection,
    actor: &Actor,
    tz: Tz,
    kind: ImportKind,
    table: &Table,
    progress: Progress<'_>,
) -> AppResult<ImportReport> {
    let sheet = Sheet::new(kind, table);
    let mut report = ImportReport {
        total_rows: table.rows.len() as u64,
        ignored_columns: sheet.ignored.clone(),
        ..ImportReport::default()
    };
    if !sheet.errors.is_empty() {
        report.errors = sheet.errors;
        return Ok(report);
    }
    if table.rows.is_empty() {
        let line = table.header_line.max(1);
        report.errors.push(Detail {
            field: None,
            line: Some(line),
            column: None,
            message: text!(
                "文件中没有数据行（只有表头或为空）",
                "The file has no data rows (only a header, or nothing)"
            ),
        });
        return Ok(report);
    }
    progress(ImportStatus::Validating, 0);
    let outcome = write_transaction(conn, |conn| {
        let mut run = Run {
            conn,
            actor,
            tz,
            sheet: &sheet,
            errors: Vec::new(),
            created: 0,
            updated: 0,
            processed: 0,
            progress: &mut *progress,
            cache: Cache::default(),
        };
        match kind {
            ImportKind::Machines => run.machines(&table.rows)?,
            ImportKind::Products => run.products(&table.rows)?,
            ImportKind::Boms => run.boms(&table.rows)?,
            ImportKind::Routings => run.routings(&table.rows)?,
            ImportKind::WorkOrders => run.work_orders(&table.rows)?,
        }
        if run.errors.is_empty() {
            Ok((run.created, run.updated))
        } else {
            run.errors.sort_by_key(|d| d.line);
            Err(Abort::Rows(run.errors))
        }
    });
    match outcome {
        Ok((created, updated)) => {
            report.created = created;
            report.updated = updated;
        }
        Err(Abort::Rows(errors)) => report.errors = errors,
        Err(Abort::Fault(e)) => return Err(e),
    }
    Ok(report)
}

/// Why the import transaction is rolled back.
enum Abort {
    Rows(Vec<Detail>),
    Fault(AppError),
}

impl From<diesel::result::Error> for Abort {
    fn from(e: diesel::result::Error) -> Self {
        Abort::Fault(e.into())
    }
}

impl From<AppError> for Abort {
    fn from(e: AppError) -> Self {
        Abort::Fault(e)
    }
}

// ---- The header row ----

/// Where each known column is in the file, and in which language the file speaks.
struct Sheet {
    kind: ImportKind,
    headers: Vec<String>,
    index: HashMap<&'static str, usize>,
    lang: Lang,
    ignored: Vec<String>,
    errors: Vec<Detail>,
}

impl Sheet {
    fn new(kind: ImportKind, table: &Table) -> Sheet {
        let lang = if table.headers.iter().any(|h| !h.is_ascii()) {
            Lang::ZhCn
        } else {
            Lang::En
        };
        let line = table.header_line.max(1);
        let mut sheet = Sheet {
            kind,
            headers: table.headers.clone(),
            index: HashMap::new(),
            lang,
            ignored: Vec::new(),
            errors: Vec::new(),
        };
        for (i, header) in table.headers.iter().enumerate() {
            if header.trim().is_empty() {
                continue;
            }
            match columns::match_header(kind, header) {
                Some(c) => {
                    if let Some(first) = sheet.index.insert(c.key, i) {
                        let first = table.headers[first].clone();
                        sheet.errors.push(Detail::cell(
                            line,
                            header.clone(),
                            text!(
                                "与列“{first}”是同一列，只能出现一次",
                                "Names the same column as \"{first}\"; it may appear only once"
                            ),
                        ));
                    }
                }
                None => sheet.ignored.push(header.clone()),
            }
        }
        for c in columns::columns(kind)
            .iter()
            .filter(|c| c.required && !sheet.index.contains_key(c.key))
        {
            let (zh, en) = (c.zh, c.en);
            sheet.errors.push(Detail::cell(
                line,
                c.name(lang),
                text!(
                    "缺少必填列“{zh}”（也可写作 {en}）",
                    "The required column \"{en}\" is missing (also accepted: {zh})"
                ),
            ));
        }
        sheet
    }

    fn column(&self, key: &str) -> &'static Column {
        columns::columns(self.kind)
            .iter()
            .find(|c| c.key == key)
            .unwrap_or(&columns::columns(self.kind)[0])
    }

    /// The column's header as the file writes it, or its name in the file's language.
    fn column_name(&self, key: &str) -> String {
        match self.index.get(key) {
            Some(&i) => self.headers[i].clone(),
            None => self.column(key).name(self.lang).to_owned(),
        }
    }

    fn has(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }
}

// ---- Cells ----

/// Reading one row's cells, collecting every problem.
struct Cells<'a> {
    sheet: &'a Sheet,
    row: &'a Row,
    errors: Vec<Detail>,
}

impl<'a> Cells<'a> {
    fn new(sheet: &'a Sheet, row: &'a Row) -> Cells<'a> {
        Cells {
            sheet,
            row,
            errors: Vec::new(),
        }
    }

    fn error(&mut self, key: &str, message: Text) {
        self.errors.push(Detail::cell(
            self.row.line,
            self.sheet.column_name(key),
            message,
        ));
    }

    /// `None` when the file has no such column; otherwise the trimmed cell.
    fn text(&self, key: &str) -> Option<String> {
        self.sheet
            .index
            .get(key)
            .map(|&i| self.row.cell(i).to_owned())
    }

    fn required(&mut self, key: &str) -> String {
        let value = self.text(key).unwrap_or_default();
        if value.is_empty() {
            self.error(key, text!("不能为空", "Must not be empty"));
        }
        value
    }

    /// A blank cell is `None`; so is a bad one, after recording the error.
    fn number(&mut self, key: &str) -> Option<f64> {
        let raw = self.text(key).filter(|s| !s.is_empty())?;
        match parse_number(&raw) {
            Some(n) => Some(n),
            None => {
                self.error(key, text!("“{raw}”不是数字", "\"{raw}\" is not a number"));
                None
            }
        }
    }

    fn required_number(&mut self, key: &str) -> Option<f64> {
        if self.text(key).unwrap_or_default().is_empty() {
            self.error(key, text!("不能为空", "Must not be empty"));
            return None;
        }
        self.number(key)
    }

    fn integer(&mut self, key: &str) -> Option<i32> {
        let raw = self.text(key).filter(|s| !s.is_empty())?;
        match parse_number(&raw)
            .filter(|n| n.fract() == 0.0 && n.abs() < f64::from(i32::MAX))
            .map(|n| n as i32)
        {
            Some(n) => Some(n),
            None => {
                self.error(
                    key,
                    text!("“{raw}”不是整数", "\"{raw}\" is not a whole number"),
                );
                None
            }
        }
    }

    fn flag(&mut self, key: &str) -> Option<bool> {
        let raw = self.text(key).filter(|s| !s.is_empty())?;
        match parse_flag(&raw) {
            Some(b) => Some(b),
            None => {
                self.error(
                    key,
                    text!(
                        "“{raw}”不是是/否（可用：是、否、Y、N、true、false、1、0）",
                        "\"{raw}\" is not yes or no (use yes, no, Y, N, true, false, 1, 0)"
                    ),
                );
                None
            }
        }
    }

    fn time(&mut self, key: &str, tz: Tz) -> Option<DateTime<Utc>> {
        let raw = self.text(key).filter(|s| !s.is_empty())?;
        match parse_time(&raw, tz) {
            Some(t) => Some(t),
            None => {
                self.error(
                    key,
                    text!(
                        "“{raw}”不是日期（例如 2026-03-31、2026/3/31 或 2026-03-31 17:00）",
                        "\"{raw}\" is not a date (e.g. 2026-03-31, 2026/3/31 or 2026-03-31 17:00)"
                    ),
                );
                None
            }
        }
    }
}

/// `1,234.5` and full-width digits read as numbers; `5%` as 0.05.
pub fn parse_number(raw: &str) -> Option<f64> {
    let mut s: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            c => c,
        })
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let percent = s.ends_with('%');
    if percent {
        s.pop();
    }
    let n: f64 = s.parse().ok().filter(|n: &f64| n.is_finite())?;
    Some(if percent { n / 100.0 } else { n })
}

pub fn parse_flag(raw: &str) -> Option<bool> {
    match normalise(raw).as_str() {
        "是" | "y" | "yes" | "true" | "1" | "x" | "√" | "✓" | "✔" | "需要" | "需" | "启用"
        | "有效" | "active" | "on" | "t" => Some(true),
        "否" | "n" | "no" | "false" | "0" | "不需要" | "无需" | "不" | "停用" | "禁用" | "无效"
        | "inactive" | "off" | "f" => Some(false),
        _ => None,
    }
}

pub fn parse_kind(raw: &str) -> Option<ProductKind> {
    match normalise(raw).as_str() {
        "raw" | "rawmaterial" | "material" | "purchased" | "buy" | "原材料" | "原料" | "材料"
        | "外购件" | "采购件" | "外购" => Some(ProductKind::Raw),
        "semi" | "semifinished" | "semifinishedgood" | "intermediate" | "subassembly"
        | "半成品" | "自制件" | "中间品" => Some(ProductKind::Semi),
        "finished" | "finishedgood" | "finishedgoods" | "fg" | "product" | "成品" | "产成品"
        | "产品" => Some(ProductKind::Finished),
        _ => None,
    }
}

/// RFC 3339, or a plant-time date with an optional time. A bare date means the end of that day:
/// an order due on the 31st is on time all that day.
pub fn parse_time(raw: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    const WITH_TIME: [&str; 8] = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y.%m.%d %H:%M",
        "%Y年%m月%d日 %H:%M",
    ];
    const DATE_ONLY: [&str; 6] = [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y.%m.%d",
        "%Y%m%d",
        "%Y年%m月%d日",
        "%d.%m.%Y",
    ];
    let local = WITH_TIME
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            DATE_ONLY
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
                .and_then(|d| Some(d.and_time(NaiveTime::from_hms_opt(23, 59, 59)?)))
        })?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// `CNC-01:2.5;CNC-02:3;CNC-03`: machine codes, each with its own run minutes per unit or none.
pub fn parse_machines(raw: &str) -> Result<Vec<(String, Option<f64>)>, Text> {
    let mut out = Vec::new();
    for part in raw
        .split([';', '；', ',', '，', '|', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (code, minutes) = match part.split_once([':', '：', '=']) {
            Some((code, minutes)) => {
                let minutes = minutes.trim();
                let run = parse_number(minutes).ok_or_else(|| {
                    text!(
                        "“{part}”中的“{minutes}”不是数字（格式：设备编码:单件工时;…）",
                        "\"{minutes}\" in \"{part}\" is not a number (format: CODE:minutes;…)"
                    )
                })?;
                (code.trim(), Some(run))
            }
            None => (part, None),
        };
        out.push((code.to_owned(), minutes));
    }
    Ok(out)
}

/// `lines[3].component_id` → (3, "component"); `operations[1].machines[0].machine_id` →
/// (1, "machines"); `work_center_id` → (0, "work_center").
fn field_position(field: &str) -> (usize, String) {
    let mut index = 0;
    let mut rest = field;
    for prefix in ["lines[", "operations["] {
        if let Some(after) = field.strip_prefix(prefix)
            && let Some((i, tail)) = after.split_once(']')
        {
            index = i.parse().unwrap_or(0);
            rest = tail.trim_start_matches('.');
        }
    }
    let first = rest.split(['.', '[']).next().unwrap_or(rest);
    let key = first.strip_suffix("_id").unwrap_or(first);
    (index, key.to_owned())
}

// ---- The run ----

#[derive(Default)]
struct Cache {
    work_centers: HashMap<String, Option<i64>>,
    calendars: HashMap<String, Option<i64>>,
    products: HashMap<String, Option<i64>>,
    machines: HashMap<String, Option<(i64, i64)>>,
}

struct Run<'c, 'p> {
    conn: &'c mut DbConnection,
    actor: &'c Actor,
    tz: Tz,
    sheet: &'c Sheet,
    errors: Vec<Detail>,
    created: u64,
    updated: u64,
    processed: u64,
    progress: &'c mut (dyn FnMut(ImportStatus, u64) + 'p),
    cache: Cache,
}

impl Run<'_, '_> {
    fn advance(&mut self, rows: usize) {
        self.processed += rows as u64;
        let status = if self.errors.is_empty() {
            ImportStatus::Writing
        } else {
            ImportStatus::Validating
        };
        (self.progress)(status, self.processed);
    }

    /// A refusal by a service becomes errors on the rows (`lines[i]` of a group) it concerns.
    fn refused(&mut self, lines: &[u64], key_column: &str, e: AppError) -> Result<(), Abort> {
        let first = lines.first().copied().unwrap_or(0);
        let cell = |sheet: &Sheet, index: usize, key: &str, message: Text| {
            let line = lines.get(index).copied().unwrap_or(first);
            let key = if sheet.has(key) { key } else { key_column };
            Detail::cell(line, sheet.column_name(key), message)
        };
        match e {
            AppError::Validation(details) => {
                for d in details {
                    let (index, key) = field_position(d.field.as_deref().unwrap_or(key_column));
                    self.errors.push(cell(self.sheet, index, &key, d.message));
                }
            }
            AppError::Unprocessable { message, details } if details.is_empty() => {
                self.errors.push(cell(self.sheet, 0, key_column, message));
            }
            AppError::BadRequest(message)
            | AppError::Conflict(message)
            | AppError::NotFound(message) => {
                self.errors.push(cell(self.sheet, 0, key_column, message));
            }
            other => return Err(Abort::Fault(other)),
        }
        Ok(())
    }

    fn work_center(&mut self, code: &str) -> AppResult<Option<i64>> {
        if let Some(id) = self.cache.work_centers.get(code) {
            return Ok(*id);
        }
        let id = plant_q::work_center_id_by_code(self.conn, code)?;
        self.cache.work_centers.insert(code.to_owned(), id);
        Ok(id)
    }

    fn calendar(&mut self, code: &str) -> AppResult<Option<i64>> {
        if let Some(id) = self.cache.calendars.get(code) {
            return Ok(*id);
        }
        let id = plant_q::calendar_id_by_code(self.conn, code)?;
        self.cache.calendars.insert(code.to_owned(), id);
        Ok(id)
    }

    fn product(&mut self, code: &str) -> AppResult<Option<i64>> {
        if let Some(id) = self.cache.products.get(code) {
            return Ok(*id);
        }
        let id = products_q::find_product_by_code(self.conn, code)?.map(|p| p.id);
        self.cache.products.insert(code.to_owned(), id);
        Ok(id)
    }

    /// The machine's id and work centre.
    fn machine(&mut self, code: &str) -> AppResult<Option<(i64, i64)>> {
        if let Some(m) = self.cache.machines.get(code) {
            return Ok(*m);
        }
        let m = plant_q::find_machine_by_code(self.conn, code)?.map(|m| (m.id, m.work_center_id));
        self.cache.machines.insert(code.to_owned(), m);
        Ok(m)
    }

    fn known_work_center(&mut self, c: &mut Cells<'_>, code: &str) -> AppResult<Option<i64>> {
        if code.is_empty() {
            return Ok(None);
        }
        let id = self.work_center(code)?;
        if id.is_none() {
            c.error(
                "work_center",
                text!(
                    "工作中心 {code} 不存在",
                    "Work centre {code} does not exist"
                ),
            );
        }
        Ok(id)
    }

    fn known_product(
        &mut self,
        c: &mut Cells<'_>,
        key: &str,
        code: &str,
    ) -> AppResult<Option<i64>> {
        if code.is_empty() {
            return Ok(None);
        }
        let id = self.product(code)?;
        if id.is_none() {
            c.error(
                key,
                text!("物料 {code} 不存在", "Product {code} does not exist"),
            );
        }
        Ok(id)
    }

    /// Keeps the first line of each key; a later row with the same key is an error.
    fn duplicate(
        seen: &mut HashMap<String, u64>,
        c: &mut Cells<'_>,
        column: &str,
        key: String,
        shown: &str,
    ) {
        if key.is_empty() {
            return;
        }
        if let Some(first) = seen.get(&key) {
            let first = *first;
            c.error(
                column,
                text!(
                    "{shown} 在文件中重复（第 {first} 行已出现）",
                    "{shown} appears twice in the file (first on line {first})"
                ),
            );
        } else {
            seen.insert(key, c.row.line);
        }
    }

    // ---- Machines ----

    fn machines(&mut self, rows: &[Row]) -> Result<(), Abort> {
        let mut seen = HashMap::new();
        for row in rows {
            let sheet = self.sheet;
            let mut c = Cells::new(sheet, row);
            let code = c.required("code");
            let name = c.required("name");
            let wc_code = c.required("work_center");
            let kind = c.text("kind");
            let calendar = c.text("calendar");
            let description = c.text("description");
            let active = c.flag("active");
            Self::duplicate(&mut seen, &mut c, "code", code.clone(), &code);
            let work_center_id = self.known_work_center(&mut c, &wc_code)?;
            let calendar_id = match calendar.as_deref() {
                Some(code) if !code.is_empty() => {
                    let id = self.calendar(code)?;
                    if id.is_none() {
                        c.error(
                            "calendar",
                            text!("日历 {code} 不存在", "Calendar {code} does not exist"),
                        );
                    }
                    Some(id)
                }
                Some(_) => Some(None),
                None => None,
            };
            let (Some(work_center_id), true) = (work_center_id, c.errors.is_empty()) else {
                self.errors.append(&mut c.errors);
                self.advance(1);
                continue;
            };
            let existing = plant_q::find_machine_by_code(self.conn, &code)?;
            let input = MachineInput {
                code,
                name,
                work_center_id: WorkCenterId(work_center_id),
                kind: kind
                    .or_else(|| existing.as_ref().map(|m| m.kind.clone()))
                    .unwrap_or_default(),
                calendar_id: calendar_id
                    .unwrap_or_else(|| existing.as_ref().and_then(|m| m.calendar_id))
                    .map(mes_api_types::CalendarId),
                description: description
                    .or_else(|| existing.as_ref().map(|m| m.description.clone()))
                    .unwrap_or_default(),
                active: active
                    .or_else(|| existing.as_ref().map(|m| m.active))
                    .unwrap_or(true),
            };
            let result = match &existing {
                Some(m) => plant::update_machine(self.conn, self.actor, m.id, input).map(|_| false),
                None => plant::create_machine(self.conn, self.actor, input).map(|_| true),
            };
            self.count(result, &[row.line], "code")?;
            self.advance(1);
        }
        Ok(())
    }

    fn count(&mut self, result: AppResult<bool>, lines: &[u64], key: &str) -> Result<(), Abort> {
        match result {
            Ok(true) => self.created += 1,
            Ok(false) => self.updated += 1,
            Err(e) => self.refused(lines, key, e)?,
        }
        Ok(())
    }

    // ---- Products ----

    fn products(&mut self, rows: &[Row]) -> Result<(), Abort> {
        let mut seen = HashMap::new();
        for row in rows {
            let mut c = Cells::new(self.sheet, row);
            let code = c.required("code");
            let name = c.required("name");
            let unit = c.text("unit").filter(|u| !u.is_empty());
            let kind_text = c.required("kind");
            let kind = if kind_text.is_empty() {
                None
            } else {
                let kind = parse_kind(&kind_text);
                if kind.is_none() {
                    c.error(
                        "kind",
                        text!(
                            "未知类型“{kind_text}”（可用：原材料、半成品、成品 或 raw、semi、finished）",
                            "Unknown kind \"{kind_text}\" (use raw, semi, finished or 原材料, 半成品, 成品)"
                        ),
                    );
                }
                kind
            };
            let description = c.text("description");
            let active = c.flag("active");
            Self::duplicate(&mut seen, &mut c, "code", code.clone(), &code);
            let (Some(kind), true) = (kind, c.errors.is_empty()) else {
                self.errors.append(&mut c.errors);
                self.advance(1);
                continue;
            };
            let existing = products_q::find_product_by_code(self.conn, &code)?;
            let input = ProductInput {
                code,
                name,
                unit: unit
                    .or_else(|| existing.as_ref().map(|p| p.unit.clone()))
                    .unwrap_or_else(|| "pcs".into()),
                kind,
                description: description
                    .or_else(|| existing.as_ref().map(|p| p.description.clone()))
                    .unwrap_or_default(),
                active: active
                    .or_else(|| existing.as_ref().map(|p| p.active))
                    .unwrap_or(true),
            };
            let result = match &existing {
                Some(p) => {
                    products::update_product(self.conn, self.actor, p.id, input).map(|_| false)
                }
                None => products::create_product(self.conn, self.actor, input).map(|_| true),
            };
            self.count(result, &[row.line], "code")?;
            self.advance(1);
        }
        Ok(())
    }

    /// Rows grouped by their product cell, in the order products first appear.
    fn by_product<'r>(&self, rows: &'r [Row]) -> Vec<(String, Vec<&'r Row>)> {
        let column = self.sheet.index.get("product").copied().unwrap_or(0);
        let mut groups: Vec<(String, Vec<&Row>)> = Vec::new();
        let mut position: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let code = row.cell(column).to_owned();
            match position.get(&code) {
                Some(&i) => groups[i].1.push(row),
                None => {
                    position.insert(code.clone(), groups.len());
                    groups.push((code, vec![row]));
                }
            }
        }
        groups
    }

    // ---- BOMs ----

    fn boms(&mut self, rows: &[Row]) -> Result<(), Abort> {
        for (product_code, group) in self.by_product(rows) {
            let mut seen = HashMap::new();
            let mut product_id = None;
            let mut lines = Vec::new();
            let mut group_ok = true;
            for row in &group {
                let mut c = Cells::new(self.sheet, row);
                let product = c.required("product");
                let component = c.required("component");
                let quantity_per = c.required_number("quantity_per");
                let scrap_factor = c.number("scrap_factor").unwrap_or(0.0);
                let note = c.text("note").unwrap_or_default();
                Self::duplicate(
                    &mut seen,
                    &mut c,
                    "component",
                    component.clone(),
                    &format!("{product} → {component}"),
                );
                product_id = self.known_product(&mut c, "product", &product)?;
                let component_id = self.known_product(&mut c, "component", &component)?;
                if let (Some(component_id), Some(quantity_per), true) =
                    (component_id, quantity_per, c.errors.is_empty())
                {
                    lines.push(BomLineInput {
                        component_id: ProductId(component_id),
                        quantity_per,
                        scrap_factor,
                        note,
                    });
                } else {
                    group_ok = false;
                    self.errors.append(&mut c.errors);
                }
            }
            let line_numbers: Vec<u64> = group.iter().map(|r| r.line).collect();
            if let (Some(product_id), true) = (product_id, group_ok && !product_code.is_empty()) {
                let input = BomInput {
                    product_id: ProductId(product_id),
                    note: String::new(),
                    lines,
                };
                let result = self.store_bom(product_id, input);
                self.count(result, &line_numbers, "product")?;
            }
            self.advance(group.len());
        }
        Ok(())
    }

    /// The product's new active BOM: its draft replaced, or a new version; `true` if it had none.
    fn store_bom(&mut self, product_id: i64, input: BomInput) -> AppResult<bool> {
        let filter = |status: &str| products_q::VersionFilter {
            product_id: Some(product_id),
            status: Some(status.to_owned()),
        };
        let one = PageRequest::new(Some(1), None)?;
        let draft = products::list_boms(self.conn, filter("draft"), one)?;
        let had_any = products::list_boms(
            self.conn,
            products_q::VersionFilter {
                product_id: Some(product_id),
                status: None,
            },
            one,
        )?
        .total
            > 0;
        let bom = match draft.items.first() {
            Some(d) => products::update_bom(self.conn, self.actor, d.id.0, input)?,
            None => products::create_bom(self.conn, self.actor, input)?,
        };
        products::activate_bom(self.conn, self.actor, bom.id.0)?;
        Ok(!had_any)
    }

    // ---- Routings ----

    fn routings(&mut self, rows: &[Row]) -> Result<(), Abort> {
        for (product_code, group) in self.by_product(rows) {
            let mut seen = HashMap::new();
            let mut product_id = None;
            let mut operations = Vec::new();
            let mut group_ok = true;
            for row in &group {
                let mut c = Cells::new(self.sheet, row);
                let product = c.required("product");
                let seq = if c.text("seq").unwrap_or_default().is_empty() {
                    c.error("seq", text!("不能为空", "Must not be empty"));
                    None
                } else {
                    c.integer("seq")
                };
                let name = c.required("name");
                let wc_code = c.required("work_center");
                let setup_minutes = c.number("setup_minutes").unwrap_or(0.0);
                let run_minutes_per_unit = c.number("run_minutes_per_unit").unwrap_or(0.0);
                let queue_minutes = c.number("queue_minutes").unwrap_or(0.0);
                let transfer_minutes = c.number("transfer_minutes").unwrap_or(0.0);
                // Empty: not paid by the piece.
                let piece_rate = c.number("piece_rate");
                let inspection_required = c.flag("inspection_required").unwrap_or(false);
                let instruction = c.text("instruction").unwrap_or_default();
                let machine_cell = c.text("machines").unwrap_or_default();
                if let Some(seq) = seq {
                    Self::duplicate(
                        &mut seen,
                        &mut c,
                        "seq",
                        seq.to_string(),
                        &format!("{product} / {seq}"),
                    );
                }
                product_id = self.known_product(&mut c, "product", &product)?;
                let work_center_id = self.known_work_center(&mut c, &wc_code)?;
                let mut machines = Vec::new();
                match parse_machines(&machine_cell) {
                    Ok(list) => {
                        for (code, run) in list {
                            match self.machine(&code)? {
                                Some((id, _)) => machines.push(EligibleMachineInput {
                                    machine_id: MachineId(id),
                                    run_minutes_per_unit: run,
                                }),
                                None => c.error(
                                    "machines",
                                    text!("设备 {code} 不存在", "Machine {code} does not exist"),
                                ),
                            }
                        }
                    }
                    Err(message) => c.error("machines", message),
                }
                if let (Some(seq), Some(work_center_id), true) =
                    (seq, work_center_id, c.errors.is_empty())
                {
                    operations.push(RoutingOperationInput {
                        seq,
                        name,
                        work_center_id: WorkCenterId(work_center_id),
                        setup_minutes,
                        run_minutes_per_unit,
                        queue_minutes,
                        transfer_minutes,
                        piece_rate,
                        inspection_required,
                        instruction,
                        machines,
                    });
                } else {
                    group_ok = false;
                    self.errors.append(&mut c.errors);
                }
            }
            let line_numbers: Vec<u64> = group.iter().map(|r| r.line).collect();
            if let (Some(product_id), true) = (product_id, group_ok && !product_code.is_empty()) {
                let input = RoutingInput {
                    product_id: ProductId(product_id),
                    note: String::new(),
                    operations,
                };
                let result = self.store_routing(product_id, input);
                self.count(result, &line_numbers, "product")?;
            }
            self.advance(group.len());
        }
        Ok(())
    }

    fn store_routing(&mut self, product_id: i64, input: RoutingInput) -> AppResult<bool> {
        let filter = |status: Option<&str>| products_q::VersionFilter {
            product_id: Some(product_id),
            status: status.map(str::to_owned),
        };
        let one = PageRequest::new(Some(1), None)?;
        let draft = products::list_routings(self.conn, filter(Some("draft")), one)?;
        let had_any = products::list_routings(self.conn, filter(None), one)?.total > 0;
        let routing = match draft.items.first() {
            Some(d) => products::update_routing(self.conn, self.actor, d.id.0, input)?,
            None => products::create_routing(self.conn, self.actor, input)?,
        };
        products::activate_routing(self.conn, self.actor, routing.id.0)?;
        Ok(!had_any)
    }

    // ---- Work orders ----

    fn work_orders(&mut self, rows: &[Row]) -> Result<(), Abort> {
        let mut seen = HashMap::new();
        let tz = self.tz;
        for row in rows {
            let mut c = Cells::new(self.sheet, row);
            let number = c.text("number").unwrap_or_default();
            let product = c.required("product");
            let quantity = c.required_number("quantity");
            let due_at = if c.text("due_at").unwrap_or_default().is_empty() {
                c.error("due_at", text!("不能为空", "Must not be empty"));
                None
            } else {
                c.time("due_at", tz)
            };
            let release_at = c.time("release_at", tz);
            let priority = c.integer("priority");
            let customer = c.text("customer");
            let sales_order = c.text("sales_order");
            let notes = c.text("notes");
            Self::duplicate(&mut seen, &mut c, "number", number.clone(), &number);
            let product_id = self.known_product(&mut c, "product", &product)?;
            let (Some(product_id), Some(quantity), Some(due_at), true) =
                (product_id, quantity, due_at, c.errors.is_empty())
            else {
                self.errors.append(&mut c.errors);
                self.advance(1);
                continue;
            };
            let existing = if number.is_empty() {
                None
            } else {
                orders_q::find_by_number(self.conn, &number)?
            };
            let result = match existing {
                Some(order) => orders::update(
                    self.conn,
                    self.actor,
                    order.id,
                    WorkOrderUpdate {
                        product_id: Some(ProductId(product_id)),
                        quantity: Some(quantity),
                        due_at: Some(due_at),
                        release_at,
                        priority,
                        customer,
                        sales_order,
                        notes,
                        predecessors: None,
                        lock_version: None,
                    },
                )
                .map(|_| false),
                None => orders::create(
                    self.conn,
                    self.actor,
                    NewWorkOrder {
                        number: (!number.is_empty()).then_some(number),
                        product_id: ProductId(product_id),
                        quantity,
                        due_at,
                        release_at,
                        priority,
                        customer: customer.unwrap_or_default(),
                        sales_order: sales_order.unwrap_or_default(),
                        notes: notes.unwrap_or_default(),
                        predecessors: Vec::new(),
                    },
                )
                .map(|_| true),
            };
            let key = if self.sheet.has("number") {
                "number"
            } else {
                "product"
            };
            self.count(result, &[row.line], key)?;
            self.advance(1);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_flags_and_times() {
        assert_eq!(parse_number("1,234.5"), Some(1234.5));
        assert_eq!(parse_number("５%"), Some(0.05));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_flag("是"), Some(true));
        assert_eq!(parse_flag("No"), Some(false));
        assert_eq!(parse_flag("maybe"), None);
        assert_eq!(parse_kind("半成品"), Some(ProductKind::Semi));
        assert_eq!(parse_kind("Finished Goods"), Some(ProductKind::Finished));
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let t = parse_time("2026/3/31", tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-31T15:59:59+00:00");
        let t = parse_time("2026-03-31 08:00", tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-31T00:00:00+00:00");
        assert_eq!(parse_time("31/31/2026", tz), None);
    }

    #[test]
    fn machine_cells() {
        let m = parse_machines("CNC-01:2.5;CNC-02：3 , CNC-03").unwrap();
        assert_eq!(
            m,
            vec![
                ("CNC-01".to_owned(), Some(2.5)),
                ("CNC-02".to_owned(), Some(3.0)),
                ("CNC-03".to_owned(), None)
            ]
        );
        assert!(parse_machines("CNC-01:fast").is_err());
        assert!(parse_machines("").unwrap().is_empty());
    }

    #[test]
    fn service_fields_name_rows_and_columns() {
        assert_eq!(
            field_position("lines[3].component_id"),
            (3, "component".into())
        );
        assert_eq!(
            field_position("operations[1].machines[0].machine_id"),
            (1, "machines".into())
        );
        assert_eq!(field_position("work_center_id"), (0, "work_center".into()));
        assert_eq!(field_position("code"), (0, "code".into()));
    }
}
