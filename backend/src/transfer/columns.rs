//! The columns of each import kind: the name written in templates and exports (zh-CN and
//! English) and the synonyms ERP exports use. Headers match after normalising: any case,
//! spaces, `_`, `-`, `.`, `*` and a bracketed unit such as `(min)` or `（分钟）` ignored.
//! Columns the file has but no kind knows are ignored and listed in the job's `ignored_columns`.

use mes_api_types::{Lang, import::ImportKind};

#[derive(Debug)]
pub struct Column {
    /// The field it fills; also the English name's snake_case.
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// What the template's example row shows.
    pub example: &'static str,
}

impl Column {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.zh,
            Lang::En => self.en,
        }
    }
}

const fn col(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    example: &'static str,
) -> Column {
    Column {
        key,
        zh,
        en,
        aliases,
        required,
        example,
    }
}

const ACTIVE: Column = col(
    "active",
    "启用",
    "Active",
    &["是否启用", "有效", "enabled"],
    false,
    "是",
);

pub const MACHINES: &[Column] = &[
    col(
        "code",
        "设备编码",
        "Code",
        &[
            "设备编号",
            "设备代码",
            "编码",
            "编号",
            "machine code",
            "machine no",
            "machine",
            "asset no",
            "equipment code",
        ],
        true,
        "CNC-01",
    ),
    col(
        "name",
        "设备名称",
        "Name",
        &["名称", "设备", "machine name", "equipment name"],
        true,
        "数控车床 1 号",
    ),
    col(
        "work_center",
        "工作中心",
        "Work centre",
        &[
            "工作中心编码",
            "工作中心代码",
            "车间",
            "产线",
            "work center",
            "work center code",
            "work centre code",
            "wc",
        ],
        true,
        "WC-TURN",
    ),
    col(
        "kind",
        "设备类型",
        "Kind",
        &["类型", "型号", "type", "machine type", "model"],
        false,
        "CNC",
    ),
    col(
        "calendar",
        "日历",
        "Calendar",
        &["日历编码", "班次日历", "calendar code", "shift calendar"],
        false,
        "",
    ),
    col(
        "description",
        "描述",
        "Description",
        &["说明", "备注", "notes", "note", "remark"],
        false,
        "",
    ),
    ACTIVE,
];

pub const PRODUCTS: &[Column] = &[
    col(
        "code",
        "物料编码",
        "Code",
        &[
            "物料代码",
            "物料编号",
            "物料号",
            "产品编码",
            "存货编码",
            "料号",
            "品号",
            "编码",
            "item code",
            "item",
            "item no",
            "material",
            "material code",
            "part number",
            "part no",
            "product code",
            "sku",
        ],
        true,
        "P-1001",
    ),
    col(
        "name",
        "物料名称",
        "Name",
        &[
            "名称",
            "产品名称",
            "存货名称",
            "品名",
            "item name",
            "material name",
            "product name",
        ],
        true,
        "法兰盘",
    ),
    col(
        "unit",
        "单位",
        "Unit",
        &[
            "计量单位",
            "主计量单位",
            "uom",
            "unit of measure",
            "stock uom",
        ],
        false,
        "件",
    ),
    col(
        "kind",
        "类型",
        "Kind",
        &[
            "物料类型",
            "物料属性",
            "存货属性",
            "type",
            "item type",
            "material type",
            "item group",
        ],
        true,
        "成品",
    ),
    col(
        "description",
        "规格说明",
        "Details",
        &[
            "规格",
            "规格型号",
            "说明",
            "描述",
            "备注",
            "specification",
            "spec",
            "notes",
            "remark",
        ],
        false,
        "",
    ),
    ACTIVE,
];

pub const BOMS: &[Column] = &[
    col(
        "product",
        "父项编码",
        "Product",
        &[
            "父件编码",
            "父项物料编码",
            "母件编码",
            "产品编码",
            "成品编码",
            "parent",
            "parent code",
            "parent item",
            "product code",
            "assembly",
            "item code",
        ],
        true,
        "P-1001",
    ),
    col(
        "component",
        "子项编码",
        "Component",
        &[
            "子件编码",
            "子项物料编码",
            "组件编码",
            "材料编码",
            "child",
            "child code",
            "component code",
            "child item",
            "material",
        ],
        true,
        "M-2001",
    ),
    col(
        "quantity_per",
        "用量",
        "Quantity per",
        &[
            "单位用量",
            "数量",
            "子项用量",
            "qty",
            "quantity",
            "qty per",
            "usage",
        ],
        true,
        "2",
    ),
    col(
        "scrap_factor",
        "损耗率",
        "Scrap factor",
        &["损耗", "废品率", "scrap", "scrap rate", "loss"],
        false,
        "0.02",
    ),
    col(
        "note",
        "备注",
        "Note",
        &["说明", "notes", "remark"],
        false,
        "",
    ),
];

pub const ROUTINGS: &[Column] = &[
    col(
        "product",
        "产品编码",
        "Product",
        &[
            "物料编码",
            "料号",
            "product code",
            "item code",
            "item",
            "part number",
        ],
        true,
        "P-1001",
    ),
    col(
        "seq",
        "工序号",
        "Seq",
        &[
            "工序",
            "工序序号",
            "序号",
            "operation no",
            "operation",
            "op no",
            "op",
            "sequence",
            "step",
        ],
        true,
        "10",
    ),
    col(
        "name",
        "工序名称",
        "Name",
        &["名称", "operation name", "description"],
        true,
        "粗车",
    ),
    col(
        "work_center",
        "工作中心",
        "Work centre",
        &[
            "工作中心编码",
            "车间",
            "work center",
            "work center code",
            "work centre code",
            "wc",
        ],
        true,
        "WC-TURN",
    ),
    col(
        "setup_minutes",
        "准备时间",
        "Setup minutes",
        &["准备工时", "调机时间", "换型时间", "setup", "setup time"],
        false,
        "15",
    ),
    col(
        "run_minutes_per_unit",
        "单件工时",
        "Run minutes per unit",
        &[
            "加工时间",
            "单件时间",
            "标准工时",
            "run time",
            "run",
            "cycle time",
            "time per unit",
        ],
        false,
        "2.5",
    ),
    col(
        "queue_minutes",
        "排队时间",
        "Queue minutes",
        &["等待时间", "queue", "queue time"],
        false,
        "0",
    ),
    col(
        "transfer_minutes",
        "转运时间",
        "Transfer minutes",
        &[
            "搬运时间",
            "移动时间",
            "transfer",
            "move time",
            "transfer time",
        ],
        false,
        "0",
    ),
    col(
        "piece_rate",
        "计件单价",
        "Piece rate",
        &["单价", "计件工价", "工价", "rate", "piece price"],
        false,
        "",
    ),
    col(
        "inspection_required",
        "需检验",
        "Inspection required",
        &["检验", "是否检验", "质检", "inspection", "inspect", "qc"],
        false,
        "否",
    ),
    col(
        "instruction",
        "作业指导",
        "Instruction",
        &[
            "作业指导书",
            "工艺说明",
            "说明",
            "work instruction",
            "instructions",
            "notes",
        ],
        false,
        "",
    ),
    col(
        "machines",
        "可选设备",
        "Machines",
        &[
            "设备",
            "设备编码",
            "可用设备",
            "eligible machines",
            "machine",
            "machine codes",
            "resources",
        ],
        false,
        "CNC-01:2.5;CNC-02:3",
    ),
];

pub const WORK_ORDERS: &[Column] = &[
    col(
        "number",
        "工单号",
        "Number",
        &[
            "工单编号",
            "生产订单号",
            "生产订单",
            "订单号",
            "单号",
            "work order",
            "work order no",
            "order no",
            "order number",
            "wo",
            "wo no",
        ],
        false,
        "WO-000101",
    ),
    col(
        "product",
        "产品编码",
        "Product",
        &[
            "物料编码",
            "料号",
            "产品",
            "product code",
            "item code",
            "item",
            "part number",
        ],
        true,
        "P-1001",
    ),
    col(
        "quantity",
        "数量",
        "Quantity",
        &[
            "计划数量",
            "生产数量",
            "qty",
            "order qty",
            "planned qty",
            "qty to manufacture",
        ],
        true,
        "100",
    ),
    col(
        "due_at",
        "交期",
        "Due",
        &[
            "交货日期",
            "完工日期",
            "计划完工日期",
            "需求日期",
            "due date",
            "due",
            "delivery date",
            "expected delivery date",
            "end date",
        ],
        true,
        "2026-12-31",
    ),
    col(
        "release_at",
        "计划开工",
        "Release",
        &[
            "开工日期",
            "计划开工日期",
            "开始日期",
            "release date",
            "start date",
            "planned start date",
        ],
        false,
        "",
    ),
    col("priority", "优先级", "Priority", &["priority"], false, "3"),
    col(
        "customer",
        "客户",
        "Customer",
        &["客户名称", "customer name"],
        false,
        "",
    ),
    col(
        "sales_order",
        "销售订单",
        "Sales order",
        &["销售订单号", "订单号码", "so", "so no", "sales order no"],
        false,
        "",
    ),
    col(
        "notes",
        "备注",
        "Notes",
        &["说明", "note", "remark", "remarks"],
        false,
        "",
    ),
];

pub fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Machines => MACHINES,
        ImportKind::Products => PRODUCTS,
        ImportKind::Boms => BOMS,
        ImportKind::Routings => ROUTINGS,
        ImportKind::WorkOrders => WORK_ORDERS,
    }
}

/// Lower case without spaces, separators, required-markers and a bracketed unit.
pub fn normalise(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for c in header.trim().trim_start_matches('\u{feff}').chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || matches!(c, '_' | '-' | '.' | '*' | ':' | '：') => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The column a header names, if any: its own names, key and synonyms.
pub fn match_header(kind: ImportKind, header: &str) -> Option<&'static Column> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    columns(kind).iter().find(|c| {
        [c.key, c.zh, c.en]
            .iter()
            .chain(c.aliases.iter())
            .any(|name| normalise(name) == h)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_either_language_and_any_case() {
        let m = |h| match_header(ImportKind::Products, h).map(|c| c.key);
        assert_eq!(m("物料编码"), Some("code"));
        assert_eq!(m(" CODE "), Some("code"));
        assert_eq!(m("Item_Code"), Some("code"));
        assert_eq!(m("单位（pcs）"), Some("unit"));
        assert_eq!(m("*名称"), Some("name"));
        assert_eq!(m("colour"), None);
        let r = |h| match_header(ImportKind::Routings, h).map(|c| c.key);
        assert_eq!(r("Run (min)"), Some("run_minutes_per_unit"));
        assert_eq!(r("Run minutes per unit"), Some("run_minutes_per_unit"));
    }

    #[test]
    fn no_two_columns_of_a_kind_share_a_name() {
        for kind in ImportKind::ALL {
            let mut seen = std::collections::HashMap::new();
            for c in columns(kind) {
                for name in [c.key, c.zh, c.en].iter().chain(c.aliases.iter()) {
                    let n = normalise(name);
                    if let Some(other) = seen.insert(n.clone(), c.key) {
                        assert_eq!(other, c.key, "{kind:?}: {n} names {other} and {}", c.key);
                    }
                }
            }
        }
    }
}
