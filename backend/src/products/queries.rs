use std::collections::HashMap;

use diesel::prelude::*;
use mes_api_types::master_data::VersionStatus;

use super::models::{
    AttachmentMeta, BomLineRow, BomRow, NewAttachment, NewBomLine, OperationMachineRow,
    OperationRow, OperationValues, ProductRow, ProductValues, RoutingRow, VersionRow,
};
use crate::db::{
    DbConnection,
    schema::{
        attachments, bom_lines, boms, machines, products, routing_operation_machines,
        routing_operations, routings, work_order_materials, work_orders,
    },
    sql::{contains_pattern, lower},
};

// ---- Products ----

pub fn find_product(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ProductRow>> {
    products::table
        .find(id)
        .select(ProductRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_product_by_code(
    conn: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<ProductRow>> {
    products::table
        .filter(products::code.eq(code))
        .select(ProductRow::as_select())
        .first(conn)
        .optional()
}

pub fn products_by_ids(
    conn: &mut DbConnection,
    ids: &[i64],
) -> QueryResult<HashMap<i64, ProductRow>> {
    let rows: Vec<ProductRow> = products::table
        .filter(products::id.eq_any(ids))
        .select(ProductRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

#[derive(Debug, Default, Clone)]
pub struct ProductFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub active: Option<bool>,
}

pub fn list_products(
    conn: &mut DbConnection,
    filter: &ProductFilter,
    after: Option<i64>,
    fetch: i64,
) -> QueryResult<(Vec<ProductRow>, i64)> {
    let pattern = filter
        .q
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(contains_pattern);
    let filtered = || {
        let mut query = products::table.into_boxed();
        if let Some(p) = &pattern {
            query = query.filter(
                lower(products::code)
                    .like(p.clone())
                    .escape('\\')
                    .or(lower(products::name).like(p.clone()).escape('\\')),
            );
        }
        if let Some(kind) = &filter.kind {
            query = query.filter(products::kind.eq(kind.clone()));
        }
        if let Some(active) = filter.active {
            query = query.filter(products::active.eq(active));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered();
    if let Some(after) = after {
        page = page.filter(products::id.gt(after));
    }
    let rows = page
        .order(products::id.asc())
        .limit(fetch)
        .select(ProductRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert_product(conn: &mut DbConnection, values: &ProductValues) -> QueryResult<i64> {
    diesel::insert_into(products::table)
        .values((values, products::created_at.eq(values.updated_at)))
        .returning(products::id)
        .get_result(conn)
}

pub fn update_product(
    conn: &mut DbConnection,
    id: i64,
    values: &ProductValues,
) -> QueryResult<usize> {
    diesel::update(products::table.find(id))
        .set(values)
        .execute(conn)
}

pub fn delete_product(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(products::table.find(id)).execute(conn)
}

/// Versions of the active BOM and routing of each product.
pub fn active_versions(
    conn: &mut DbConnection,
    product_ids: &[i64],
) -> QueryResult<(HashMap<i64, i32>, HashMap<i64, i32>)> {
    let active = VersionStatus::Active.as_str();
    let b: Vec<(i64, i32)> = boms::table
        .filter(boms::product_id.eq_any(product_ids))
        .filter(boms::status.eq(active))
        .select((boms::product_id, boms::version))
        .load(conn)?;
    let r: Vec<(i64, i32)> = routings::table
        .filter(routings::product_id.eq_any(product_ids))
        .filter(routings::status.eq(active))
        .select((routings::product_id, routings::version))
        .load(conn)?;
    Ok((b.into_iter().collect(), r.into_iter().collect()))
}

/// What refers to a product, counted.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProductReferences {
    pub boms: i64,
    pub used_in_boms: i64,
    pub routings: i64,
    pub work_orders: i64,
}

pub fn product_references(conn: &mut DbConnection, id: i64) -> QueryResult<ProductReferences> {
    let materials: i64 = work_order_materials::table
        .filter(work_order_materials::product_id.eq(id))
        .count()
        .get_result(conn)?;
    let orders: i64 = work_orders::table
        .filter(work_orders::product_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(ProductReferences {
        boms: boms::table
            .filter(boms::product_id.eq(id))
            .count()
            .get_result(conn)?,
        used_in_boms: bom_lines::table
            .filter(bom_lines::component_id.eq(id))
            .count()
            .get_result(conn)?,
        routings: routings::table
            .filter(routings::product_id.eq(id))
            .count()
            .get_result(conn)?,
        work_orders: orders + materials,
    })
}

// ---- BOMs ----

pub fn find_bom(conn: &mut DbConnection, id: i64) -> QueryResult<Option<VersionRow>> {
    Ok(boms::table
        .find(id)
        .select(BomRow::as_select())
        .first(conn)
        .optional()?
        .map(Into::into))
}

#[derive(Debug, Default, Clone)]
pub struct VersionFilter {
    pub product_id: Option<i64>,
    pub status: Option<String>,
}

/// Newest version first within a product; `before` continues below that id.
pub fn list_boms(
    conn: &mut DbConnection,
    filter: &VersionFilter,
    before: Option<i64>,
    fetch: i64,
) -> QueryResult<(Vec<VersionRow>, i64)> {
    let filtered = || {
        let mut query = boms::table.into_boxed();
        if let Some(p) = filter.product_id {
            query = query.filter(boms::product_id.eq(p));
        }
        if let Some(s) = &filter.status {
            query = query.filter(boms::status.eq(s.clone()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered();
    if let Some(before) = before {
        page = page.filter(boms::id.lt(before));
    }
    let rows: Vec<BomRow> = page
        .order(boms::id.desc())
        .limit(fetch)
        .select(BomRow::as_select())
        .load(conn)?;
    Ok((rows.into_iter().map(Into::into).collect(), total))
}

pub fn next_bom_version(conn: &mut DbConnection, product_id: i64) -> QueryResult<i32> {
    let max: Option<i32> = boms::table
        .filter(boms::product_id.eq(product_id))
        .select(diesel::dsl::max(boms::version))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn insert_bom(
    conn: &mut DbConnection,
    product_id: i64,
    version: i32,
    note: &str,
    at: chrono::NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(boms::table)
        .values((
            boms::product_id.eq(product_id),
            boms::version.eq(version),
            boms::status.eq(VersionStatus::Draft.as_str()),
            boms::note.eq(note),
            boms::created_at.eq(at),
            boms::updated_at.eq(at),
        ))
        .returning(boms::id)
        .get_result(conn)
}

pub fn update_bom_note(
    conn: &mut DbConnection,
    id: i64,
    note: &str,
    at: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(boms::table.find(id))
        .set((boms::note.eq(note), boms::updated_at.eq(at)))
        .execute(conn)
}

pub fn set_bom_status(
    conn: &mut DbConnection,
    id: i64,
    status: VersionStatus,
    at: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(boms::table.find(id))
        .set((boms::status.eq(status.as_str()), boms::updated_at.eq(at)))
        .execute(conn)
}

pub fn delete_bom(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(boms::table.find(id)).execute(conn)
}

pub fn bom_lines_of(conn: &mut DbConnection, bom_ids: &[i64]) -> QueryResult<Vec<BomLineRow>> {
    bom_lines::table
        .filter(bom_lines::bom_id.eq_any(bom_ids))
        .order((
            bom_lines::bom_id.asc(),
            bom_lines::position.asc(),
            bom_lines::id.asc(),
        ))
        .select(BomLineRow::as_select())
        .load(conn)
}

pub fn replace_bom_lines(
    conn: &mut DbConnection,
    bom_id: i64,
    lines: &[NewBomLine],
) -> QueryResult<()> {
    diesel::delete(bom_lines::table.filter(bom_lines::bom_id.eq(bom_id))).execute(conn)?;
    for line in lines {
        diesel::insert_into(bom_lines::table)
            .values(line)
            .execute(conn)?;
    }
    Ok(())
}

pub fn active_bom_of(conn: &mut DbConnection, product_id: i64) -> QueryResult<Option<VersionRow>> {
    Ok(boms::table
        .filter(boms::product_id.eq(product_id))
        .filter(boms::status.eq(VersionStatus::Active.as_str()))
        .select(BomRow::as_select())
        .first(conn)
        .optional()?
        .map(Into::into))
}

/// Every (product, component) edge of the active BOMs: the graph cycles are looked for in.
pub fn active_bom_edges(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64)>> {
    bom_lines::table
        .inner_join(boms::table)
        .filter(boms::status.eq(VersionStatus::Active.as_str()))
        .select((boms::product_id, bom_lines::component_id))
        .distinct()
        .load(conn)
}

// ---- Routings ----

pub fn find_routing(conn: &mut DbConnection, id: i64) -> QueryResult<Option<VersionRow>> {
    Ok(routings::table
        .find(id)
        .select(RoutingRow::as_select())
        .first(conn)
        .optional()?
        .map(Into::into))
}

/// Newest first; `before` continues below that id.
pub fn list_routings(
    conn: &mut DbConnection,
    filter: &VersionFilter,
    before: Option<i64>,
    fetch: i64,
) -> QueryResult<(Vec<VersionRow>, i64)> {
    let filtered = || {
        let mut query = routings::table.into_boxed();
        if let Some(p) = filter.product_id {
            query = query.filter(routings::product_id.eq(p));
        }
        if let Some(s) = &filter.status {
            query = query.filter(routings::status.eq(s.clone()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered();
    if let Some(before) = before {
        page = page.filter(routings::id.lt(before));
    }
    let rows: Vec<RoutingRow> = page
        .order(routings::id.desc())
        .limit(fetch)
        .select(RoutingRow::as_select())
        .load(conn)?;
    Ok((rows.into_iter().map(Into::into).collect(), total))
}

pub fn next_routing_version(conn: &mut DbConnection, product_id: i64) -> QueryResult<i32> {
    let max: Option<i32> = routings::table
        .filter(routings::product_id.eq(product_id))
        .select(diesel::dsl::max(routings::version))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn insert_routing(
    conn: &mut DbConnection,
    product_id: i64,
    version: i32,
    note: &str,
    at: chrono::NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(routings::table)
        .values((
            routings::product_id.eq(product_id),
            routings::version.eq(version),
            routings::status.eq(VersionStatus::Draft.as_str()),
            routings::note.eq(note),
            routings::created_at.eq(at),
            routings::updated_at.eq(at),
        ))
        .returning(routings::id)
        .get_result(conn)
}

pub fn update_routing_note(
    conn: &mut DbConnection,
    id: i64,
    note: &str,
    at: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(routings::table.find(id))
        .set((routings::note.eq(note), routings::updated_at.eq(at)))
        .execute(conn)
}

pub fn set_routing_status(
    conn: &mut DbConnection,
    id: i64,
    status: VersionStatus,
    at: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(routings::table.find(id))
        .set((
            routings::status.eq(status.as_str()),
            routings::updated_at.eq(at),
        ))
        .execute(conn)
}

pub fn delete_routing(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(routings::table.find(id)).execute(conn)
}

pub fn active_routing_of(
    conn: &mut DbConnection,
    product_id: i64,
) -> QueryResult<Option<VersionRow>> {
    Ok(routings::table
        .filter(routings::product_id.eq(product_id))
        .filter(routings::status.eq(VersionStatus::Active.as_str()))
        .select(RoutingRow::as_select())
        .first(conn)
        .optional()?
        .map(Into::into))
}

pub fn operations_of(
    conn: &mut DbConnection,
    routing_ids: &[i64],
) -> QueryResult<Vec<OperationRow>> {
    routing_operations::table
        .filter(routing_operations::routing_id.eq_any(routing_ids))
        .order((
            routing_operations::routing_id.asc(),
            routing_operations::seq.asc(),
        ))
        .select(OperationRow::as_select())
        .load(conn)
}

pub fn find_operation(conn: &mut DbConnection, id: i64) -> QueryResult<Option<OperationRow>> {
    routing_operations::table
        .find(id)
        .select(OperationRow::as_select())
        .first(conn)
        .optional()
}

pub fn operation_machines(
    conn: &mut DbConnection,
    operation_ids: &[i64],
) -> QueryResult<Vec<OperationMachineRow>> {
    routing_operation_machines::table
        .filter(routing_operation_machines::operation_id.eq_any(operation_ids))
        .order((
            routing_operation_machines::operation_id.asc(),
            routing_operation_machines::machine_id.asc(),
        ))
        .select(OperationMachineRow::as_select())
        .load(conn)
}

pub fn insert_operation(
    conn: &mut DbConnection,
    routing_id: i64,
    values: &OperationValues,
) -> QueryResult<i64> {
    diesel::insert_into(routing_operations::table)
        .values((values, routing_operations::routing_id.eq(routing_id)))
        .returning(routing_operations::id)
        .get_result(conn)
}

pub fn update_operation(
    conn: &mut DbConnection,
    id: i64,
    values: &OperationValues,
) -> QueryResult<usize> {
    diesel::update(routing_operations::table.find(id))
        .set(values)
        .execute(conn)
}

pub fn delete_operations(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(routing_operations::table.filter(routing_operations::id.eq_any(ids)))
        .execute(conn)
}

pub fn set_operation_machines(
    conn: &mut DbConnection,
    operation_id: i64,
    rows: &[OperationMachineRow],
) -> QueryResult<()> {
    diesel::delete(
        routing_operation_machines::table
            .filter(routing_operation_machines::operation_id.eq(operation_id)),
    )
    .execute(conn)?;
    for row in rows {
        diesel::insert_into(routing_operation_machines::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Code and work centre of each machine.
pub fn machines_by_ids(
    conn: &mut DbConnection,
    ids: &[i64],
) -> QueryResult<HashMap<i64, (String, i64)>> {
    let rows: Vec<(i64, String, i64)> = machines::table
        .filter(machines::id.eq_any(ids))
        .select((machines::id, machines::code, machines::work_center_id))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, c, wc)| (id, (c, wc))).collect())
}

// ---- Attachments ----

pub fn attachments_of(
    conn: &mut DbConnection,
    owner_kind: &str,
    owner_ids: &[i64],
) -> QueryResult<Vec<AttachmentMeta>> {
    attachments::table
        .filter(attachments::owner_kind.eq(owner_kind))
        .filter(attachments::owner_id.eq_any(owner_ids))
        .order(attachments::id.asc())
        .select(AttachmentMeta::as_select())
        .load(conn)
}

pub fn find_attachment(conn: &mut DbConnection, id: i64) -> QueryResult<Option<AttachmentMeta>> {
    attachments::table
        .find(id)
        .select(AttachmentMeta::as_select())
        .first(conn)
        .optional()
}

pub fn attachment_data(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Vec<u8>>> {
    attachments::table
        .find(id)
        .select(attachments::data)
        .first(conn)
        .optional()
}

/// Full rows (bytes included) of some owners' attachments, for copying them.
pub fn attachment_rows_of(
    conn: &mut DbConnection,
    owner_kind: &str,
    owner_ids: &[i64],
) -> QueryResult<Vec<NewAttachment>> {
    attachments::table
        .filter(attachments::owner_kind.eq(owner_kind))
        .filter(attachments::owner_id.eq_any(owner_ids))
        .order(attachments::id.asc())
        .select(NewAttachment::as_select())
        .load(conn)
}

pub fn insert_attachment(conn: &mut DbConnection, row: &NewAttachment) -> QueryResult<i64> {
    diesel::insert_into(attachments::table)
        .values(row)
        .returning(attachments::id)
        .get_result(conn)
}

pub fn delete_attachment(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(attachments::table.find(id)).execute(conn)
}

pub fn delete_attachments_of(
    conn: &mut DbConnection,
    owner_kind: &str,
    owner_ids: &[i64],
) -> QueryResult<usize> {
    diesel::delete(
        attachments::table
            .filter(attachments::owner_kind.eq(owner_kind))
            .filter(attachments::owner_id.eq_any(owner_ids)),
    )
    .execute(conn)
}
