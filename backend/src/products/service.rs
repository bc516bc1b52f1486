//! Product master data rules: products; versioned BOMs and routings (drafts are edited, one
//! version is active, old ones are archived and never change again); BOM explosion; routing
//! work-instruction attachments. Every change is audited in its own transaction.

use std::collections::{HashMap, HashSet};

use diesel::Connection;
use mes_api_types::{
    BomId, MachineId, Page, ProductId, RoutingId, RoutingOperationId, WorkCenterId,
    master_data::{
        Attachment, Bom, BomInput, BomLine, BomNode, EligibleMachine, Product, ProductInput,
        ProductKind, Routing, RoutingInput, RoutingOperation, VersionStatus,
    },
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{
    models::{
        AttachmentMeta, BomLineRow, NewAttachment, NewBomLine, OWNER_ROUTING_OPERATION,
        OperationMachineRow, OperationRow, OperationValues, ProductRow, ProductValues, VersionRow,
    },
    queries::{self, ProductFilter, VersionFilter},
};
use crate::{
    audit,
    db::{DbConnection, now},
    error::{AppError, AppResult, Text},
    http::{extract::Actor, paging::PageRequest},
    plant::queries as plant,
    text,
    validate::{Errors, NAME_MAX, NOTE_MAX},
};

const UNIT_MAX: usize = 16;
const LINE_NOTE_MAX: usize = 200;
const INSTRUCTION_MAX: usize = 20_000;
const FILE_NAME_MAX: usize = 255;
const MAX_LINES: usize = 500;
const MAX_OPERATIONS: usize = 200;
const MAX_MACHINES_PER_OPERATION: usize = 100;
/// Deeper than any real product; also stops a corrupt (cyclic) structure.
const MAX_TREE_DEPTH: usize = 32;
/// A BOM tree larger than this is refused rather than sent.
const MAX_TREE_NODES: usize = 20_000;

/// Content types accepted as work instructions.
pub const ATTACHMENT_TYPES: [&str; 6] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/svg+xml",
    "application/pdf",
];

fn page_of<T>(page: PageRequest, items: Vec<T>, total: i64, id: impl Fn(&T) -> i64) -> Page<T> {
    let (items, next_cursor) = page.finish(items, id);
    Page {
        items,
        next_cursor,
        total,
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

// ---- Products ----

fn product_not_found(id: i64) -> AppError {
    AppError::NotFound(text!("产品 {id} 不存在", "Product {id} does not exist"))
}

fn products_to_api(conn: &mut DbConnection, rows: &[ProductRow]) -> AppResult<Vec<Product>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let (boms, routings) = queries::active_versions(conn, &ids)?;
    Ok(rows
        .iter()
        .map(|r| r.to_api(boms.get(&r.id).copied(), routings.get(&r.id).copied()))
        .collect())
}

pub fn load_product(conn: &mut DbConnection, id: i64) -> AppResult<Product> {
    let row = queries::find_product(conn, id)?.ok_or_else(|| product_not_found(id))?;
    products_to_api(conn, &[row])?
        .pop()
        .ok_or_else(|| product_not_found(id))
}

pub fn product_by_code(conn: &mut DbConnection, code: &str) -> AppResult<Product> {
    let code = code.trim();
    let not_found =
        || AppError::NotFound(text!("产品 {code} 不存在", "Product {code} does not exist"));
    let row = queries::find_product_by_code(conn, code)?.ok_or_else(not_found)?;
    products_to_api(conn, &[row])?.pop().ok_or_else(not_found)
}

pub fn list_products(
    conn: &mut DbConnection,
    filter: ProductFilter,
    page: PageRequest,
) -> AppResult<Page<Product>> {
    let (rows, total) = queries::list_products(conn, &filter, page.after, page.fetch())?;
    let items = products_to_api(conn, &rows)?;
    Ok(page_of(page, items, total, |p| p.id.0))
}

fn check_product(input: &ProductInput) -> AppResult<ProductValues> {
    let mut errors = Errors::new();
    let values = ProductValues {
        code: errors.code("code", &input.code),
        name: errors.name("name", &input.name, NAME_MAX),
        unit: errors.name("unit", &input.unit, UNIT_MAX),
        kind: input.kind.as_str().to_owned(),
        description: errors.note("description", &input.description, NOTE_MAX),
        active: input.active,
        updated_at: now(),
    };
    errors.finish()?;
    Ok(values)
}

fn product_code_taken(code: &str) -> AppError {
    AppError::Conflict(text!(
        "编码（code）{code} 已被其他产品使用",
        "The code {code} is already used by another product"
    ))
}

pub fn create_product(
    conn: &mut DbConnection,
    actor: &Actor,
    input: ProductInput,
) -> AppResult<Product> {
    let values = check_product(&input)?;
    conn.transaction(|conn| {
        if queries::find_product_by_code(conn, &values.code)?.is_some() {
            return Err(product_code_taken(&values.code));
        }
        let id = queries::insert_product(conn, &values)?;
        let product = load_product(conn, id)?;
        audit::created(conn, actor, "product", id, &product)?;
        Ok(product)
    })
}

pub fn update_product(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    input: ProductInput,
) -> AppResult<Product> {
    let values = check_product(&input)?;
    conn.transaction(|conn| {
        let before = load_product(conn, id)?;
        if queries::find_product_by_code(conn, &values.code)?.is_some_and(|o| o.id != id) {
            return Err(product_code_taken(&values.code));
        }
        if input.kind == ProductKind::Raw && before.kind != ProductKind::Raw {
            let refs = queries::product_references(conn, id)?;
            if refs.boms + refs.routings > 0 {
                return Err(AppError::Conflict(text!(
                    "该产品有物料清单或工艺路线，不能改为原材料",
                    "The product has BOMs or routings; it cannot become a raw material"
                )));
            }
        }
        queries::update_product(conn, id, &values)?;
        let after = load_product(conn, id)?;
        audit::updated(conn, actor, "product", id, &before, &after)?;
        Ok(after)
    })
}

pub fn delete_product(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        let before = load_product(conn, id)?;
        let r = queries::product_references(conn, id)?;
        let (boms, used, routings, orders) = (r.boms, r.used_in_boms, r.routings, r.work_orders);
        if boms + used + routings + orders > 0 {
            return Err(AppError::Conflict(text!(
                "产品仍被使用（物料清单版本 {boms} 个、作为组件 {used} 处、工艺路线版本 {routings} 个、工单 {orders} 处），不能删除；可改为停用",
                "The product is still in use ({boms} BOM version(s), component in {used} BOM line(s), {routings} routing version(s), {orders} work-order reference(s)); deactivate it instead"
            )));
        }
        queries::delete_product(conn, id)?;
        audit::deleted(conn, actor, "product", id, &before)?;
        Ok(())
    })
}

// ---- BOM explosion ----

struct Tree {
    products: HashMap<i64, ProductRow>,
    /// Active BOM of a product: version and lines (`None`: no active BOM).
    boms: HashMap<i64, Option<(i32, Vec<BomLineRow>)>>,
    nodes: usize,
}

impl Tree {
    fn bom(
        &mut self,
        conn: &mut DbConnection,
        product_id: i64,
    ) -> AppResult<Option<(i32, Vec<BomLineRow>)>> {
        if let Some(b) = self.boms.get(&product_id) {
            return Ok(b.clone());
        }
        let bom = match queries::active_bom_of(conn, product_id)? {
            Some(b) => {
                let lines = queries::bom_lines_of(conn, &[b.id])?;
                let missing: Vec<i64> = lines
                    .iter()
                    .map(|l| l.component_id)
                    .filter(|c| !self.products.contains_key(c))
                    .collect();
                self.products
                    .extend(queries::products_by_ids(conn, &missing)?);
                Some((b.version, lines))
            }
            None => None,
        };
        self.boms.insert(product_id, bom.clone());
        Ok(bom)
    }

    fn explode(
        &mut self,
        conn: &mut DbConnection,
        product_id: i64,
        quantity: f64,
        path: &mut Vec<i64>,
    ) -> AppResult<BomNode> {
        self.nodes += 1;
        if self.nodes > MAX_TREE_NODES {
            return Err(AppError::Unprocessable {
                message: text!(
                    "物料清单展开超过 {MAX_TREE_NODES} 个节点",
                    "The BOM explosion has more than {MAX_TREE_NODES} nodes"
                ),
                details: Vec::new(),
            });
        }
        let product = self
            .products
            .get(&product_id)
            .cloned()
            .ok_or_else(|| product_not_found(product_id))?;
        let bom = self.bom(conn, product_id)?;
        let mut node = BomNode {
            product_id: ProductId(product.id),
            product_code: product.code.clone(),
            product_name: product.name.clone(),
            kind: product.kind(),
            unit: product.unit.clone(),
            quantity: round6(quantity),
            bom_version: bom.as_ref().map(|(v, _)| *v),
            children: Vec::new(),
        };
        // Activation refuses cycles; this guard keeps a corrupt structure from looping anyway.
        if path.contains(&product_id) || path.len() >= MAX_TREE_DEPTH {
            return Ok(node);
        }
        if let Some((_, lines)) = bom {
            path.push(product_id);
            for line in lines {
                let need = quantity * line.quantity_per / (1.0 - line.scrap_factor);
                node.children
                    .push(self.explode(conn, line.component_id, need, path)?);
            }
            path.pop();
        }
        Ok(node)
    }
}

/// The multi-level explosion of a product's active BOMs for `quantity` units: each component's
/// requirement is parent requirement × quantity_per / (1 − scrap_factor).
pub fn bom_tree(conn: &mut DbConnection, product_id: i64, quantity: f64) -> AppResult<BomNode> {
    if !quantity.is_finite() || quantity <= 0.0 || quantity > 1e12 {
        return Err(AppError::invalid(
            "quantity",
            text!("数量必须大于 0", "The quantity must be greater than 0"),
        ));
    }
    let root =
        queries::find_product(conn, product_id)?.ok_or_else(|| product_not_found(product_id))?;
    let mut tree = Tree {
        products: HashMap::from([(root.id, root)]),
        boms: HashMap::new(),
        nodes: 0,
    };
    tree.explode(conn, product_id, quantity, &mut Vec::new())
}

// ---- Versions (shared by BOMs and routings) ----

fn immutable(what_zh: &str, what_en: &str, v: &VersionRow) -> AppError {
    let (version, status) = (v.version, v.status.clone());
    AppError::Conflict(text!(
        "{what_zh}第 {version} 版状态为 {status}，不能再修改；请复制为新版本后修改",
        "{what_en} version {version} is {status} and can no longer change; create a new version (copy it) instead"
    ))
}

fn product_for_version(
    conn: &mut DbConnection,
    product_id: ProductId,
    what_zh: &str,
    what_en: &str,
) -> AppResult<ProductRow> {
    let id = product_id.0;
    let product = queries::find_product(conn, id)?.ok_or_else(|| {
        AppError::invalid(
            "product_id",
            text!("产品 {id} 不存在", "Product {id} does not exist"),
        )
    })?;
    if product.kind() == ProductKind::Raw {
        let code = product.code.clone();
        return Err(AppError::invalid(
            "product_id",
            text!(
                "{code} 是外购原材料，不能有{what_zh}",
                "{code} is a bought raw material and cannot have a {what_en}"
            ),
        ));
    }
    Ok(product)
}

/// Another version of the product became active while this activation ran (the database
/// keeps one active version per product).
fn raced(e: diesel::result::Error) -> AppError {
    match AppError::from(e) {
        AppError::Conflict(_) => AppError::Conflict(text!(
            "同时有另一个版本被设为有效，请刷新后重试",
            "Another version was activated at the same time; reload and try again"
        )),
        other => other,
    }
}

fn same_product(existing: &VersionRow, requested: ProductId) -> AppResult<()> {
    if existing.product_id != requested.0 {
        return Err(AppError::invalid(
            "product_id",
            text!(
                "版本属于它的产品，不能改到其他产品",
                "A version stays with its product; it cannot move to another one"
            ),
        ));
    }
    Ok(())
}

// ---- BOMs ----

fn bom_not_found(id: i64) -> AppError {
    AppError::NotFound(text!("物料清单 {id} 不存在", "BOM {id} does not exist"))
}

fn boms_to_api(conn: &mut DbConnection, rows: &[VersionRow]) -> AppResult<Vec<Bom>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let lines = queries::bom_lines_of(conn, &ids)?;
    let product_ids: Vec<i64> = rows
        .iter()
        .map(|r| r.product_id)
        .chain(lines.iter().map(|l| l.component_id))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let products = queries::products_by_ids(conn, &product_ids)?;
    let mut by_bom: HashMap<i64, Vec<BomLine>> = HashMap::new();
    for l in lines {
        let component = products.get(&l.component_id);
        by_bom.entry(l.bom_id).or_default().push(BomLine {
            position: l.position,
            component_id: ProductId(l.component_id),
            component_code: component.map(|p| p.code.clone()).unwrap_or_default(),
            component_name: component.map(|p| p.name.clone()).unwrap_or_default(),
            unit: component.map(|p| p.unit.clone()).unwrap_or_default(),
            quantity_per: l.quantity_per,
            scrap_factor: l.scrap_factor,
            note: l.note,
        });
    }
    Ok(rows
        .iter()
        .map(|r| Bom {
            id: BomId(r.id),
            product_id: ProductId(r.product_id),
            product_code: products
                .get(&r.product_id)
                .map(|p| p.code.clone())
                .unwrap_or_default(),
            version: r.version,
            status: r.status(),
            note: r.note.clone(),
            lines: by_bom.remove(&r.id).unwrap_or_default(),
            updated_at: r.updated_at.and_utc(),
        })
        .collect())
}

pub fn load_bom(conn: &mut DbConnection, id: i64) -> AppResult<Bom> {
    let row = queries::find_bom(conn, id)?.ok_or_else(|| bom_not_found(id))?;
    boms_to_api(conn, &[row])?
        .pop()
        .ok_or_else(|| bom_not_found(id))
}

/// The product's active BOM, if it has one (what a work order copies at release).
pub fn active_bom(conn: &mut DbConnection, product_id: i64) -> AppResult<Option<Bom>> {
    match queries::active_bom_of(conn, product_id)? {
        Some(row) => Ok(boms_to_api(conn, &[row])?.pop()),
        None => Ok(None),
    }
}

pub fn list_boms(
    conn: &mut DbConnection,
    filter: VersionFilter,
    page: PageRequest,
) -> AppResult<Page<Bom>> {
    let (rows, total) = queries::list_boms(conn, &filter, page.after, page.fetch())?;
    let items = boms_to_api(conn, &rows)?;
    Ok(page_of(page, items, total, |b| b.id.0))
}

/// Whether `target` can be reached from `from` along `edges` (product → its components).
fn reaches(edges: &HashMap<i64, Vec<i64>>, from: i64, target: i64) -> bool {
    let mut stack = vec![from];
    let mut seen = HashSet::new();
    while let Some(p) = stack.pop() {
        if p == target {
            return true;
        }
        if seen.insert(p) {
            stack.extend(edges.get(&p).into_iter().flatten().copied());
        }
    }
    false
}

/// Lines (by index) whose component already contains `product` through active BOMs: making
/// them part of `product` would close a cycle.
fn cyclic_lines(
    conn: &mut DbConnection,
    product_id: i64,
    components: &[i64],
) -> AppResult<Vec<(usize, i64)>> {
    let mut edges: HashMap<i64, Vec<i64>> = HashMap::new();
    for (p, c) in queries::active_bom_edges(conn)? {
        edges.entry(p).or_default().push(c);
    }
    Ok(components
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != product_id && reaches(&edges, **c, product_id))
        .map(|(i, c)| (i, *c))
        .collect())
}

fn cycle_message(component: &str, product: &str) -> Text {
    text!(
        "组件 {component} 的有效物料清单已包含 {product}，会形成循环",
        "Component {component} already contains {product} through its active BOMs: that would be a cycle"
    )
}

struct CheckedBom {
    note: String,
    lines: Vec<NewBomLine>,
}

fn check_bom(
    conn: &mut DbConnection,
    input: &BomInput,
    product: &ProductRow,
) -> AppResult<CheckedBom> {
    let mut errors = Errors::new();
    let note = errors.note("note", &input.note, NOTE_MAX);
    if input.lines.len() > MAX_LINES {
        errors.add(
            "lines",
            text!("最多 {MAX_LINES} 行", "At most {MAX_LINES} lines"),
        );
    }
    let component_ids: Vec<i64> = input.lines.iter().map(|l| l.component_id.0).collect();
    let components = queries::products_by_ids(conn, &component_ids)?;
    let mut lines = Vec::with_capacity(input.lines.len());
    for (i, l) in input.lines.iter().enumerate() {
        let c = l.component_id.0;
        if c == product.id {
            errors.add(
                format!("lines[{i}].component_id"),
                text!("产品不能包含自身", "A product cannot contain itself"),
            );
        } else if !components.contains_key(&c) {
            errors.add(
                format!("lines[{i}].component_id"),
                text!("产品 {c} 不存在", "Product {c} does not exist"),
            );
        }
        errors.positive(&format!("lines[{i}].quantity_per"), l.quantity_per);
        if !l.scrap_factor.is_finite() || !(0.0..1.0).contains(&l.scrap_factor) {
            errors.add(
                format!("lines[{i}].scrap_factor"),
                text!(
                    "损耗率须满足 0 ≤ 损耗率 < 1",
                    "The scrap factor must be at least 0 and below 1"
                ),
            );
        }
        let note = errors.note(&format!("lines[{i}].note"), &l.note, LINE_NOTE_MAX);
        lines.push(NewBomLine {
            bom_id: 0,
            position: i32::try_from(i + 1).unwrap_or(i32::MAX),
            component_id: c,
            quantity_per: l.quantity_per,
            scrap_factor: l.scrap_factor,
            note,
        });
    }
    for (i, c) in cyclic_lines(conn, product.id, &component_ids)? {
        let code = components
            .get(&c)
            .map(|p| p.code.clone())
            .unwrap_or_default();
        errors.add(
            format!("lines[{i}].component_id"),
            cycle_message(&code, &product.code),
        );
    }
    errors.finish()?;
    Ok(CheckedBom { note, lines })
}

fn store_bom_lines(conn: &mut DbConnection, bom_id: i64, lines: Vec<NewBomLine>) -> AppResult<()> {
    let lines: Vec<NewBomLine> = lines
        .into_iter()
        .map(|l| NewBomLine { bom_id, ..l })
        .collect();
    queries::replace_bom_lines(conn, bom_id, &lines)?;
    Ok(())
}

/// Creates the product's next BOM version, as a draft.
pub fn create_bom(conn: &mut DbConnection, actor: &Actor, input: BomInput) -> AppResult<Bom> {
    conn.transaction(|conn| {
        let product = product_for_version(conn, input.product_id, "物料清单", "BOM")?;
        let checked = check_bom(conn, &input, &product)?;
        let version = queries::next_bom_version(conn, product.id)?;
        let id = queries::insert_bom(conn, product.id, version, &checked.note, now())?;
        store_bom_lines(conn, id, checked.lines)?;
        let bom = load_bom(conn, id)?;
        audit::created(conn, actor, "bom", id, &bom)?;
        Ok(bom)
    })
}

fn draft_bom(conn: &mut DbConnection, id: i64) -> AppResult<VersionRow> {
    let row = queries::find_bom(conn, id)?.ok_or_else(|| bom_not_found(id))?;
    if row.status() != VersionStatus::Draft {
        return Err(immutable("物料清单", "BOM", &row));
    }
    Ok(row)
}

/// Replaces a draft BOM's note and lines.
pub fn update_bom(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    input: BomInput,
) -> AppResult<Bom> {
    conn.transaction(|conn| {
        let row = draft_bom(conn, id)?;
        same_product(&row, input.product_id)?;
        let before = load_bom(conn, id)?;
        let product = product_for_version(conn, input.product_id, "物料清单", "BOM")?;
        let checked = check_bom(conn, &input, &product)?;
        queries::update_bom_note(conn, id, &checked.note, now())?;
        store_bom_lines(conn, id, checked.lines)?;
        let after = load_bom(conn, id)?;
        audit::updated(conn, actor, "bom", id, &before, &after)?;
        Ok(after)
    })
}

pub fn delete_bom(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        draft_bom(conn, id)?;
        let before = load_bom(conn, id)?;
        queries::delete_bom(conn, id)?;
        audit::deleted(conn, actor, "bom", id, &before)?;
        Ok(())
    })
}

/// Makes a draft (or an archived version again) the product's current BOM; the version active
/// until now is archived.
pub fn activate_bom(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Bom> {
    conn.transaction(|conn| {
        let before = load_bom(conn, id)?;
        let version = before.version;
        if before.status == VersionStatus::Active {
            return Err(AppError::Conflict(text!(
                "第 {version} 版已是有效版本",
                "Version {version} is already the active one"
            )));
        }
        if before.lines.is_empty() {
            return Err(AppError::Conflict(text!(
                "第 {version} 版没有任何组件行，不能生效",
                "Version {version} has no lines; it cannot become active"
            )));
        }
        let components: Vec<i64> = before.lines.iter().map(|l| l.component_id.0).collect();
        if let Some((i, _)) = cyclic_lines(conn, before.product_id.0, &components)?.first() {
            let component = before
                .lines
                .get(*i)
                .map(|l| l.component_code.clone())
                .unwrap_or_default();
            return Err(AppError::Conflict(cycle_message(
                &component,
                &before.product_code,
            )));
        }
        let at = now();
        if let Some(previous) = queries::active_bom_of(conn, before.product_id.0)? {
            let prev_before = load_bom(conn, previous.id)?;
            queries::set_bom_status(conn, previous.id, VersionStatus::Archived, at)?;
            let prev_after = load_bom(conn, previous.id)?;
            audit::updated(conn, actor, "bom", previous.id, &prev_before, &prev_after)?;
        }
        queries::set_bom_status(conn, id, VersionStatus::Active, at).map_err(raced)?;
        let after = load_bom(conn, id)?;
        audit::updated(conn, actor, "bom", id, &before, &after)?;
        Ok(after)
    })
}

/// A new draft version with the content of any version of the same product.
pub fn copy_bom(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Bom> {
    conn.transaction(|conn| {
        let source = queries::find_bom(conn, id)?.ok_or_else(|| bom_not_found(id))?;
        let lines = queries::bom_lines_of(conn, &[id])?;
        let version = queries::next_bom_version(conn, source.product_id)?;
        let new_id = queries::insert_bom(conn, source.product_id, version, &source.note, now())?;
        let lines = lines
            .into_iter()
            .map(|l| NewBomLine {
                bom_id: new_id,
                position: l.position,
                component_id: l.component_id,
                quantity_per: l.quantity_per,
                scrap_factor: l.scrap_factor,
                note: l.note,
            })
            .collect::<Vec<_>>();
        queries::replace_bom_lines(conn, new_id, &lines)?;
        let bom = load_bom(conn, new_id)?;
        audit::created(conn, actor, "bom", new_id, &bom)?;
        Ok(bom)
    })
}

// ---- Routings ----

fn routing_not_found(id: i64) -> AppError {
    AppError::NotFound(text!("工艺路线 {id} 不存在", "Routing {id} does not exist"))
}

fn routings_to_api(conn: &mut DbConnection, rows: &[VersionRow]) -> AppResult<Vec<Routing>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let ops = queries::operations_of(conn, &ids)?;
    let op_ids: Vec<i64> = ops.iter().map(|o| o.id).collect();
    let op_machines = queries::operation_machines(conn, &op_ids)?;
    let machine_ids: Vec<i64> = op_machines.iter().map(|m| m.machine_id).collect();
    let machines = queries::machines_by_ids(conn, &machine_ids)?;
    let wc_ids: Vec<i64> = ops.iter().map(|o| o.work_center_id).collect();
    let wc_codes = plant::work_center_codes(conn, &wc_ids)?;
    let product_ids: Vec<i64> = rows.iter().map(|r| r.product_id).collect();
    let products = queries::products_by_ids(conn, &product_ids)?;
    let mut files: HashMap<i64, Vec<Attachment>> = HashMap::new();
    for a in queries::attachments_of(conn, OWNER_ROUTING_OPERATION, &op_ids)? {
        files.entry(a.owner_id).or_default().push(a.to_api());
    }
    let mut machines_by_op: HashMap<i64, Vec<OperationMachineRow>> = HashMap::new();
    for m in op_machines {
        machines_by_op.entry(m.operation_id).or_default().push(m);
    }
    let mut ops_by_routing: HashMap<i64, Vec<RoutingOperation>> = HashMap::new();
    for o in ops {
        let eligible = machines_by_op
            .remove(&o.id)
            .unwrap_or_default()
            .into_iter()
            .map(|m| EligibleMachine {
                machine_id: MachineId(m.machine_id),
                machine_code: machines
                    .get(&m.machine_id)
                    .map(|(code, _)| code.clone())
                    .unwrap_or_default(),
                run_minutes_per_unit: m.run_minutes_per_unit.unwrap_or(o.run_minutes_per_unit),
            })
            .collect();
        ops_by_routing
            .entry(o.routing_id)
            .or_default()
            .push(RoutingOperation {
                id: RoutingOperationId(o.id),
                seq: o.seq,
                work_center_code: wc_codes.get(&o.work_center_id).cloned().unwrap_or_default(),
                work_center_id: WorkCenterId(o.work_center_id),
                attachments: files.remove(&o.id).unwrap_or_default(),
                machines: eligible,
                name: o.name,
                setup_minutes: o.setup_minutes,
                run_minutes_per_unit: o.run_minutes_per_unit,
                queue_minutes: o.queue_minutes,
                transfer_minutes: o.transfer_minutes,
                inspection_required: o.inspection_required,
                instruction: o.instruction,
                piece_rate: o.piece_rate,
            });
    }
    Ok(rows
        .iter()
        .map(|r| Routing {
            id: RoutingId(r.id),
            product_id: ProductId(r.product_id),
            product_code: products
                .get(&r.product_id)
                .map(|p| p.code.clone())
                .unwrap_or_default(),
            version: r.version,
            status: r.status(),
            note: r.note.clone(),
            operations: ops_by_routing.remove(&r.id).unwrap_or_default(),
            updated_at: r.updated_at.and_utc(),
        })
        .collect())
}

pub fn load_routing(conn: &mut DbConnection, id: i64) -> AppResult<Routing> {
    let row = queries::find_routing(conn, id)?.ok_or_else(|| routing_not_found(id))?;
    routings_to_api(conn, &[row])?
        .pop()
        .ok_or_else(|| routing_not_found(id))
}

/// The product's active routing, if it has one (what a work order copies at release).
pub fn active_routing(conn: &mut DbConnection, product_id: i64) -> AppResult<Option<Routing>> {
    match queries::active_routing_of(conn, product_id)? {
        Some(row) => Ok(routings_to_api(conn, &[row])?.pop()),
        None => Ok(None),
    }
}

pub fn list_routings(
    conn: &mut DbConnection,
    filter: VersionFilter,
    page: PageRequest,
) -> AppResult<Page<Routing>> {
    let (rows, total) = queries::list_routings(conn, &filter, page.after, page.fetch())?;
    let items = routings_to_api(conn, &rows)?;
    Ok(page_of(page, items, total, |r| r.id.0))
}

struct CheckedOperation {
    values: OperationValues,
    machines: Vec<OperationMachineRow>,
}

struct CheckedRouting {
    note: String,
    operations: Vec<CheckedOperation>,
}

fn check_routing(conn: &mut DbConnection, input: &RoutingInput) -> AppResult<CheckedRouting> {
    let mut errors = Errors::new();
    let note = errors.note("note", &input.note, NOTE_MAX);
    if input.operations.len() > MAX_OPERATIONS {
        errors.add(
            "operations",
            text!(
                "最多 {MAX_OPERATIONS} 道工序",
                "At most {MAX_OPERATIONS} operations"
            ),
        );
    }
    let wc_ids: Vec<i64> = input
        .operations
        .iter()
        .map(|o| o.work_center_id.0)
        .collect();
    let wc_codes = plant::work_center_codes(conn, &wc_ids)?;
    let machine_ids: Vec<i64> = input
        .operations
        .iter()
        .flat_map(|o| o.machines.iter().map(|m| m.machine_id.0))
        .collect();
    let machines = queries::machines_by_ids(conn, &machine_ids)?;
    let mut seqs: HashMap<i32, usize> = HashMap::new();
    let mut operations = Vec::with_capacity(input.operations.len());
    for (i, o) in input.operations.iter().enumerate() {
        let f = |name: &str| format!("operations[{i}].{name}");
        if o.seq <= 0 {
            errors.add(
                f("seq"),
                text!(
                    "工序号必须大于 0",
                    "The sequence number must be greater than 0"
                ),
            );
        } else if let Some(first) = seqs.insert(o.seq, i) {
            let seq = o.seq;
            errors.add(
                f("seq"),
                text!(
                    "工序号 {seq} 与第 {first} 道工序重复（从 0 计）",
                    "Sequence number {seq} is already used by operation {first} (counting from 0)"
                ),
            );
        }
        let name = errors.name(&f("name"), &o.name, NAME_MAX);
        let wc = o.work_center_id.0;
        let wc_code = wc_codes.get(&wc).cloned();
        if wc_code.is_none() {
            errors.add(
                f("work_center_id"),
                text!("工作中心 {wc} 不存在", "Work centre {wc} does not exist"),
            );
        }
        errors.non_negative(&f("setup_minutes"), o.setup_minutes);
        errors.non_negative(&f("run_minutes_per_unit"), o.run_minutes_per_unit);
        errors.non_negative(&f("queue_minutes"), o.queue_minutes);
        errors.non_negative(&f("transfer_minutes"), o.transfer_minutes);
        let instruction = errors.note(&f("instruction"), &o.instruction, INSTRUCTION_MAX);
        if let Some(rate) = o.piece_rate {
            errors.non_negative(&f("piece_rate"), rate);
        }
        if o.machines.len() > MAX_MACHINES_PER_OPERATION {
            errors.add(
                f("machines"),
                text!(
                    "每道工序最多 {MAX_MACHINES_PER_OPERATION} 台可选设备",
                    "At most {MAX_MACHINES_PER_OPERATION} eligible machines per operation"
                ),
            );
        }
        let mut seen = HashSet::new();
        let mut eligible = Vec::with_capacity(o.machines.len());
        for (j, m) in o.machines.iter().enumerate() {
            let field = format!("operations[{i}].machines[{j}].machine_id");
            let id = m.machine_id.0;
            match machines.get(&id) {
                None => errors.add(
                    field,
                    text!("设备 {id} 不存在", "Machine {id} does not exist"),
                ),
                Some((code, machine_wc)) if *machine_wc != wc && wc_code.is_some() => {
                    let wc_code = wc_code.clone().unwrap_or_default();
                    errors.add(
                        field,
                        text!(
                            "设备 {code} 不属于工作中心 {wc_code}",
                            "Machine {code} does not belong to work centre {wc_code}"
                        ),
                    );
                }
                Some((code, _)) => {
                    if !seen.insert(id) {
                        errors.add(
                            field,
                            text!("设备 {code} 重复列出", "Machine {code} is listed twice"),
                        );
                    }
                }
            }
            if let Some(run) = m.run_minutes_per_unit {
                errors.non_negative(
                    &format!("operations[{i}].machines[{j}].run_minutes_per_unit"),
                    run,
                );
            }
            eligible.push(OperationMachineRow {
                operation_id: 0,
                machine_id: id,
                run_minutes_per_unit: m.run_minutes_per_unit,
            });
        }
        operations.push(CheckedOperation {
            values: OperationValues {
                seq: o.seq,
                name,
                work_center_id: wc,
                setup_minutes: o.setup_minutes,
                run_minutes_per_unit: o.run_minutes_per_unit,
                queue_minutes: o.queue_minutes,
                transfer_minutes: o.transfer_minutes,
                inspection_required: o.inspection_required,
                instruction,
                piece_rate: o.piece_rate,
            },
            machines: eligible,
        });
    }
    errors.finish()?;
    Ok(CheckedRouting { note, operations })
}

fn store_machines(
    conn: &mut DbConnection,
    op_id: i64,
    machines: Vec<OperationMachineRow>,
) -> AppResult<()> {
    let rows: Vec<OperationMachineRow> = machines
        .into_iter()
        .map(|m| OperationMachineRow {
            operation_id: op_id,
            ..m
        })
        .collect();
    queries::set_operation_machines(conn, op_id, &rows)?;
    Ok(())
}

/// Creates the product's next routing version, as a draft.
pub fn create_routing(
    conn: &mut DbConnection,
    actor: &Actor,
    input: RoutingInput,
) -> AppResult<Routing> {
    conn.transaction(|conn| {
        let product = product_for_version(conn, input.product_id, "工艺路线", "routing")?;
        let checked = check_routing(conn, &input)?;
        let version = queries::next_routing_version(conn, product.id)?;
        let id = queries::insert_routing(conn, product.id, version, &checked.note, now())?;
        for op in checked.operations {
            let op_id = queries::insert_operation(conn, id, &op.values)?;
            store_machines(conn, op_id, op.machines)?;
        }
        let routing = load_routing(conn, id)?;
        audit::created(conn, actor, "routing", id, &routing)?;
        Ok(routing)
    })
}

fn draft_routing(conn: &mut DbConnection, id: i64) -> AppResult<VersionRow> {
    let row = queries::find_routing(conn, id)?.ok_or_else(|| routing_not_found(id))?;
    if row.status() != VersionStatus::Draft {
        return Err(immutable("工艺路线", "Routing", &row));
    }
    Ok(row)
}

/// Replaces a draft routing's note and operations. Operations are matched by `seq`: one whose
/// sequence number stays keeps its id and attachments; one left out is removed with its files.
pub fn update_routing(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    input: RoutingInput,
) -> AppResult<Routing> {
    conn.transaction(|conn| {
        let row = draft_routing(conn, id)?;
        same_product(&row, input.product_id)?;
        let before = load_routing(conn, id)?;
        let checked = check_routing(conn, &input)?;
        let mut existing: HashMap<i32, i64> = queries::operations_of(conn, &[id])?
            .into_iter()
            .map(|o| (o.seq, o.id))
            .collect();
        let kept: HashSet<i32> = checked.operations.iter().map(|o| o.values.seq).collect();
        let removed: Vec<i64> = existing
            .iter()
            .filter(|(seq, _)| !kept.contains(seq))
            .map(|(_, id)| *id)
            .collect();
        queries::delete_attachments_of(conn, OWNER_ROUTING_OPERATION, &removed)?;
        queries::delete_operations(conn, &removed)?;
        for op in checked.operations {
            let op_id = match existing.remove(&op.values.seq) {
                Some(op_id) => {
                    queries::update_operation(conn, op_id, &op.values)?;
                    op_id
                }
                None => queries::insert_operation(conn, id, &op.values)?,
            };
            store_machines(conn, op_id, op.machines)?;
        }
        queries::update_routing_note(conn, id, &checked.note, now())?;
        let after = load_routing(conn, id)?;
        audit::updated(conn, actor, "routing", id, &before, &after)?;
        Ok(after)
    })
}

pub fn delete_routing(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        draft_routing(conn, id)?;
        let before = load_routing(conn, id)?;
        let op_ids: Vec<i64> = before.operations.iter().map(|o| o.id.0).collect();
        queries::delete_attachments_of(conn, OWNER_ROUTING_OPERATION, &op_ids)?;
        queries::delete_routing(conn, id)?;
        audit::deleted(conn, actor, "routing", id, &before)?;
        Ok(())
    })
}

/// Makes a draft (or an archived version again) the product's current routing; the version
/// active until now is archived. Work orders released earlier keep their own copy.
pub fn activate_routing(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Routing> {
    conn.transaction(|conn| {
        let before = load_routing(conn, id)?;
        let version = before.version;
        if before.status == VersionStatus::Active {
            return Err(AppError::Conflict(text!(
                "第 {version} 版已是有效版本",
                "Version {version} is already the active one"
            )));
        }
        if before.operations.is_empty() {
            return Err(AppError::Conflict(text!(
                "第 {version} 版没有工序，不能生效",
                "Version {version} has no operations; it cannot become active"
            )));
        }
        let at = now();
        if let Some(previous) = queries::active_routing_of(conn, before.product_id.0)? {
            let prev_before = load_routing(conn, previous.id)?;
            queries::set_routing_status(conn, previous.id, VersionStatus::Archived, at)?;
            let prev_after = load_routing(conn, previous.id)?;
            audit::updated(
                conn,
                actor,
                "routing",
                previous.id,
                &prev_before,
                &prev_after,
            )?;
        }
        queries::set_routing_status(conn, id, VersionStatus::Active, at).map_err(raced)?;
        let after = load_routing(conn, id)?;
        audit::updated(conn, actor, "routing", id, &before, &after)?;
        Ok(after)
    })
}

/// A new draft version with the operations, eligible machines and attachments of any version of
/// the same product.
pub fn copy_routing(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Routing> {
    conn.transaction(|conn| {
        let source = queries::find_routing(conn, id)?.ok_or_else(|| routing_not_found(id))?;
        let version = queries::next_routing_version(conn, source.product_id)?;
        let new_id =
            queries::insert_routing(conn, source.product_id, version, &source.note, now())?;
        let ops: Vec<OperationRow> = queries::operations_of(conn, &[id])?;
        let op_ids: Vec<i64> = ops.iter().map(|o| o.id).collect();
        let mut machines: HashMap<i64, Vec<OperationMachineRow>> = HashMap::new();
        for m in queries::operation_machines(conn, &op_ids)? {
            machines.entry(m.operation_id).or_default().push(m);
        }
        let mut files: HashMap<i64, Vec<NewAttachment>> = HashMap::new();
        for f in queries::attachment_rows_of(conn, OWNER_ROUTING_OPERATION, &op_ids)? {
            files.entry(f.owner_id).or_default().push(f);
        }
        for op in ops {
            let copy_id = queries::insert_operation(conn, new_id, &op.values())?;
            store_machines(conn, copy_id, machines.remove(&op.id).unwrap_or_default())?;
            for f in files.remove(&op.id).unwrap_or_default() {
                queries::insert_attachment(
                    conn,
                    &NewAttachment {
                        owner_id: copy_id,
                        ..f
                    },
                )?;
            }
        }
        let routing = load_routing(conn, new_id)?;
        audit::created(conn, actor, "routing", new_id, &routing)?;
        Ok(routing)
    })
}

// ---- Attachments ----

/// The media type of a `Content-Type` header value, lower-cased, without parameters.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

pub fn unsupported_type(content_type: &str) -> AppError {
    let allowed = ATTACHMENT_TYPES.join(", ");
    let content_type = if content_type.is_empty() {
        "(none)".to_owned()
    } else {
        content_type.to_owned()
    };
    AppError::UnsupportedMediaType(text!(
        "不支持的文件类型 {content_type}；允许：{allowed}",
        "Unsupported file type {content_type}; allowed: {allowed}"
    ))
}

/// Whether the bytes are what the declared type says (so a script is not served as an image).
fn looks_like(content_type: &str, data: &[u8]) -> bool {
    let head = &data[..data.len().min(1024)];
    match content_type {
        "image/png" => data.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => data.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/gif" => data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a"),
        "image/webp" => data.starts_with(b"RIFF") && data.get(8..12) == Some(b"WEBP".as_slice()),
        "application/pdf" => head.windows(5).any(|w| w == b"%PDF-"),
        "image/svg+xml" => {
            let text = String::from_utf8_lossy(&data[..data.len().min(4096)]).to_ascii_lowercase();
            text.contains("<svg")
        }
        _ => false,
    }
}

fn check_file_name(name: &str) -> AppResult<String> {
    // Browsers may send a path; only the last part names the file.
    let name = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    if name.is_empty() || name == "." || name == ".." {
        return Err(AppError::invalid(
            "file_name",
            text!("请提供文件名", "Give the file a name"),
        ));
    }
    if name.chars().count() > FILE_NAME_MAX || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "file_name",
            text!(
                "文件名不能超过 {FILE_NAME_MAX} 个字符，且不能包含控制字符",
                "The file name must be at most {FILE_NAME_MAX} characters, without control characters"
            ),
        ));
    }
    Ok(name)
}

fn operation_not_found(id: i64) -> AppError {
    AppError::NotFound(text!(
        "工艺工序 {id} 不存在",
        "Routing operation {id} does not exist"
    ))
}

/// The routing of an operation, if that routing is a draft (attachments change only there).
fn draft_routing_of_operation(conn: &mut DbConnection, op_id: i64) -> AppResult<i64> {
    let op = queries::find_operation(conn, op_id)?.ok_or_else(|| operation_not_found(op_id))?;
    draft_routing(conn, op.routing_id)?;
    Ok(op.routing_id)
}

#[derive(Serialize)]
struct AttachmentSnapshot<'a> {
    #[serde(flatten)]
    attachment: &'a Attachment,
    owner_kind: &'a str,
    owner_id: i64,
    sha256: &'a str,
}

/// Stores a work-instruction file on an operation of a draft routing.
pub fn upload_attachment(
    conn: &mut DbConnection,
    actor: &Actor,
    operation_id: i64,
    file_name: &str,
    content_type: &str,
    data: Vec<u8>,
) -> AppResult<Attachment> {
    let content_type = media_type(content_type);
    if !ATTACHMENT_TYPES.contains(&content_type.as_str()) {
        return Err(unsupported_type(&content_type));
    }
    let file_name = check_file_name(file_name)?;
    if data.is_empty() {
        return Err(AppError::BadRequest(text!(
            "文件是空的",
            "The file is empty"
        )));
    }
    if !looks_like(&content_type, &data) {
        return Err(AppError::UnsupportedMediaType(text!(
            "文件内容与类型 {content_type} 不符",
            "The file's content is not {content_type}"
        )));
    }
    let sha256 = hex::encode(Sha256::digest(&data));
    conn.transaction(|conn| {
        draft_routing_of_operation(conn, operation_id)?;
        let row = NewAttachment {
            owner_kind: OWNER_ROUTING_OPERATION.to_owned(),
            owner_id: operation_id,
            file_name,
            content_type,
            size_bytes: i64::try_from(data.len()).unwrap_or(i64::MAX),
            sha256,
            data,
            created_at: now(),
        };
        let id = queries::insert_attachment(conn, &row)?;
        let meta = queries::find_attachment(conn, id)?.ok_or_else(|| attachment_not_found(id))?;
        let attachment = meta.to_api();
        audit::created(
            conn,
            actor,
            "attachment",
            id,
            &AttachmentSnapshot {
                attachment: &attachment,
                owner_kind: &meta.owner_kind,
                owner_id: meta.owner_id,
                sha256: &meta.sha256,
            },
        )?;
        Ok(attachment)
    })
}

fn attachment_not_found(id: i64) -> AppError {
    AppError::NotFound(text!("附件 {id} 不存在", "Attachment {id} does not exist"))
}

/// An attachment's description and bytes.
pub fn attachment_file(conn: &mut DbConnection, id: i64) -> AppResult<(AttachmentMeta, Vec<u8>)> {
    let meta = queries::find_attachment(conn, id)?.ok_or_else(|| attachment_not_found(id))?;
    let data = queries::attachment_data(conn, id)?.ok_or_else(|| attachment_not_found(id))?;
    Ok((meta, data))
}

pub fn delete_attachment(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        let meta = queries::find_attachment(conn, id)?.ok_or_else(|| attachment_not_found(id))?;
        if meta.owner_kind == OWNER_ROUTING_OPERATION {
            draft_routing_of_operation(conn, meta.owner_id)?;
        }
        queries::delete_attachment(conn, id)?;
        let attachment = meta.to_api();
        audit::deleted(
            conn,
            actor,
            "attachment",
            id,
            &AttachmentSnapshot {
                attachment: &attachment,
                owner_kind: &meta.owner_kind,
                owner_id: meta.owner_id,
                sha256: &meta.sha256,
            },
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reaches_follows_edges_and_stops_on_cycles() {
        let edges: HashMap<i64, Vec<i64>> =
            HashMap::from([(1, vec![2, 3]), (2, vec![4]), (4, vec![2]), (3, vec![])]);
        assert!(reaches(&edges, 1, 4));
        assert!(!reaches(&edges, 2, 1));
        assert!(!reaches(&edges, 3, 1));
        assert!(reaches(&edges, 5, 5));
    }

    #[test]
    fn file_content_must_match_its_type() {
        assert!(looks_like("image/png", b"\x89PNG\r\n\x1a\n...."));
        assert!(!looks_like("image/png", b"<script>alert(1)</script>"));
        assert!(looks_like("application/pdf", b"%PDF-1.7\n"));
        assert!(looks_like("image/webp", b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(!looks_like("image/webp", b"RIFF"));
        assert!(looks_like(
            "image/svg+xml",
            b"<?xml version=\"1.0\"?><SVG xmlns=\"\"/>"
        ));
        assert!(looks_like("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(looks_like("image/gif", b"GIF89a.."));
    }

    #[test]
    fn file_names_lose_their_path() {
        assert_eq!(
            check_file_name("C:\\docs\\作业指导书.pdf").ok().as_deref(),
            Some("作业指导书.pdf")
        );
        assert_eq!(check_file_name("/tmp/a.png").ok().as_deref(), Some("a.png"));
        assert!(check_file_name("dir/").is_err());
        assert!(check_file_name("..").is_err());
        assert!(check_file_name("a\nb.png").is_err());
        assert_eq!(media_type("Image/PNG; charset=binary"), "image/png");
    }
}
