//! The demo plant's model and products: a small Chinese machinery plant making gear reducers,
//! conveyor sections, hydraulic power units and kits. Three calendars (two shifts, day shift,
//! round the clock), 5 work centres with 25 machines and a station each, defect and downtime
//! reasons, 40 products (15 raw, 15 semi-finished, 10 finished) with active 3-level BOMs and an
//! active routing for every made product. Everything goes through the services (validated and
//! audited) in one transaction, and nothing is random.

use std::collections::HashMap;

use diesel::Connection;
use mes_api_types::{
    CalendarId, MachineId, ProductId, WorkCenterId,
    master_data::{
        BomInput, BomLineInput, CalendarException, CalendarExceptionKind, CalendarInput,
        EligibleMachineInput, MachineInput, ProductInput, ProductKind, ReasonInput, RoutingInput,
        RoutingOperationInput, Shift, StationInput, TimeRange, WorkCenterInput,
    },
};

use crate::{
    db::DbConnection,
    error::AppResult,
    http::extract::Actor,
    plant::{queries as plant_queries, queries::ReasonList, service as plant},
    products::service as products,
};

fn shift(name: &str, days: &[u8], start: &str, end: &str, breaks: &[(&str, &str)]) -> Shift {
    Shift {
        name: name.into(),
        weekdays: days.to_vec(),
        start: start.into(),
        end: end.into(),
        breaks: breaks
            .iter()
            .map(|(s, e)| TimeRange {
                start: (*s).into(),
                end: (*e).into(),
            })
            .collect(),
    }
}

fn exception(
    day: &str,
    kind: CalendarExceptionKind,
    times: Option<(&str, &str)>,
    note: &str,
) -> Option<CalendarException> {
    Some(CalendarException {
        day: day.parse().ok()?,
        kind,
        start: times.map(|(s, _)| s.into()),
        end: times.map(|(_, e)| e.into()),
        note: note.into(),
    })
}

/// Public holidays of the plant (China, as the demo's dates run).
fn holidays() -> Vec<CalendarException> {
    let days: &[(&str, &str)] = &[
        ("2026-10-01", "国庆节"),
        ("2026-10-02", "国庆节"),
        ("2026-10-03", "国庆节"),
        ("2026-10-04", "国庆节"),
        ("2026-10-05", "国庆节"),
        ("2026-10-06", "国庆节"),
        ("2026-10-07", "国庆节"),
        ("2027-01-01", "元旦"),
        ("2027-02-05", "春节"),
        ("2027-02-06", "春节"),
        ("2027-02-07", "春节"),
        ("2027-02-08", "春节"),
        ("2027-02-09", "春节"),
        ("2027-02-10", "春节"),
        ("2027-02-11", "春节"),
        ("2027-04-05", "清明节"),
        ("2027-05-01", "劳动节"),
        ("2027-05-02", "劳动节"),
        ("2027-05-03", "劳动节"),
    ];
    days.iter()
        .filter_map(|(d, n)| exception(d, CalendarExceptionKind::Holiday, None, n))
        .collect()
}

fn calendar_inputs() -> Vec<CalendarInput> {
    const WEEKDAYS: &[u8] = &[1, 2, 3, 4, 5];
    let mut two_shift_exceptions = holidays();
    // Year-end rush: the day shift works on Saturdays as overtime.
    for day in [
        "2026-12-05",
        "2026-12-12",
        "2026-12-19",
        "2026-12-26",
        "2027-01-09",
        "2027-01-16",
    ] {
        two_shift_exceptions.extend(exception(
            day,
            CalendarExceptionKind::Overtime,
            Some(("08:00", "16:30")),
            "周六加班（早班）",
        ));
    }
    two_shift_exceptions.extend(exception(
        "2027-01-18",
        CalendarExceptionKind::Shutdown,
        Some(("08:00", "12:00")),
        "电力检修停产",
    ));
    let spring_festival: Vec<CalendarException> = holidays()
        .into_iter()
        .filter(|e| e.note == "春节")
        .collect();
    vec![
        CalendarInput {
            code: "CAL-2S".into(),
            name: "两班制".into(),
            description: "周一至周五早班、中班；节假日休息；年底周六加班".into(),
            shifts: vec![
                shift("早班", WEEKDAYS, "08:00", "16:30", &[("12:00", "12:30")]),
                shift("中班", WEEKDAYS, "16:30", "01:00", &[("20:30", "21:00")]),
            ],
            exceptions: two_shift_exceptions,
        },
        CalendarInput {
            code: "CAL-1S".into(),
            name: "常日班".into(),
            description: "周一至周五白班，周六上午班".into(),
            shifts: vec![
                shift("白班", WEEKDAYS, "08:00", "17:00", &[("12:00", "13:00")]),
                shift("周六班", &[6], "08:00", "12:00", &[]),
            ],
            exceptions: holidays(),
        },
        CalendarInput {
            code: "CAL-3S".into(),
            name: "三班制（连续生产）".into(),
            description: "周一至周六三班倒，仅春节停机".into(),
            shifts: vec![
                shift(
                    "早班",
                    &[1, 2, 3, 4, 5, 6],
                    "08:00",
                    "16:00",
                    &[("12:00", "12:20")],
                ),
                shift(
                    "中班",
                    &[1, 2, 3, 4, 5, 6],
                    "16:00",
                    "24:00",
                    &[("20:00", "20:20")],
                ),
                shift(
                    "夜班",
                    &[1, 2, 3, 4, 5, 6],
                    "00:00",
                    "08:00",
                    &[("04:00", "04:20")],
                ),
            ],
            exceptions: spring_festival,
        },
    ]
}

/// (code, name, calendar, description)
const WORK_CENTERS: &[(&str, &str, &str, &str)] = &[
    ("WC-CUT", "下料", "CAL-2S", "激光、等离子、锯床、剪板下料"),
    ("WC-CNC", "数控加工", "CAL-2S", "数控车床与加工中心"),
    ("WC-WLD", "焊接", "CAL-2S", "焊接机器人与 CO2 气保焊"),
    ("WC-ASM", "装配", "CAL-1S", "总装线、装配台、喷漆房"),
    ("WC-QC", "检验包装", "CAL-1S", "三坐标检测、检验台、包装"),
];

/// (code, name, work centre, kind, own calendar)
const MACHINES: &[(&str, &str, &str, &str, Option<&str>)] = &[
    ("CUT-01", "光纤激光切割机 6kW", "WC-CUT", "激光切割", None),
    ("CUT-02", "数控等离子切割机", "WC-CUT", "等离子切割", None),
    ("CUT-03", "带锯床 GZ4240", "WC-CUT", "锯床", None),
    (
        "CUT-04",
        "数控剪板机 QC12K-8×3200",
        "WC-CUT",
        "剪板机",
        None,
    ),
    ("CNC-01", "数控车床 CK6150 #1", "WC-CNC", "数控车床", None),
    ("CNC-02", "数控车床 CK6150 #2", "WC-CNC", "数控车床", None),
    ("CNC-03", "数控车床 CK6163", "WC-CNC", "数控车床", None),
    ("CNC-04", "斜床身数控车床 TCK50", "WC-CNC", "数控车床", None),
    (
        "CNC-05",
        "立式加工中心 VMC850 #1",
        "WC-CNC",
        "加工中心",
        None,
    ),
    (
        "CNC-06",
        "立式加工中心 VMC850 #2",
        "WC-CNC",
        "加工中心",
        None,
    ),
    ("CNC-07", "卧式加工中心 HMC630", "WC-CNC", "加工中心", None),
    (
        "CNC-08",
        "五轴加工中心 DMU65",
        "WC-CNC",
        "五轴加工中心",
        Some("CAL-3S"),
    ),
    (
        "WLD-01",
        "弧焊机器人工作站 #1",
        "WC-WLD",
        "焊接机器人",
        None,
    ),
    (
        "WLD-02",
        "弧焊机器人工作站 #2",
        "WC-WLD",
        "焊接机器人",
        None,
    ),
    ("WLD-03", "CO2 气保焊机 NB-500 #1", "WC-WLD", "气保焊", None),
    ("WLD-04", "CO2 气保焊机 NB-500 #2", "WC-WLD", "气保焊", None),
    ("WLD-05", "CO2 气保焊机 NB-350", "WC-WLD", "气保焊", None),
    ("ASM-01", "减速机总装线", "WC-ASM", "装配线", None),
    ("ASM-02", "装配台 1#", "WC-ASM", "装配台", None),
    ("ASM-03", "装配台 2#", "WC-ASM", "装配台", None),
    ("ASM-04", "喷漆房", "WC-ASM", "喷涂", None),
    ("QC-01", "三坐标测量机 Global S", "WC-QC", "检测设备", None),
    ("QC-02", "检验与试验台", "WC-QC", "试验台", None),
    ("QC-03", "包装线", "WC-QC", "包装", None),
    ("QC-04", "自动打包机", "WC-QC", "包装", None),
];

/// (code, 中文, English)
const DEFECT_REASONS: &[(&str, &str, &str)] = &[
    ("D01", "尺寸超差", "Dimension out of tolerance"),
    ("D02", "表面划伤", "Surface scratch"),
    ("D03", "毛刺未清", "Burrs not removed"),
    ("D04", "焊缝气孔", "Weld porosity"),
    ("D05", "焊接变形", "Weld distortion"),
    ("D06", "螺纹损坏", "Damaged thread"),
    ("D07", "漏装零件", "Missing part"),
    ("D08", "装配错误", "Wrong assembly"),
    ("D09", "漆膜不良", "Paint defect"),
    ("D10", "原材料缺陷", "Material defect"),
    ("D99", "其他", "Other"),
];

/// (code, 中文, English, planned)
const DOWNTIME_REASONS: &[(&str, &str, &str, bool)] = &[
    ("DT01", "换型调机", "Changeover", true),
    ("DT02", "计划保养", "Planned maintenance", true),
    ("DT03", "设备故障", "Breakdown", false),
    ("DT04", "等待物料", "Waiting for material", false),
    ("DT05", "换刀", "Tool change", true),
    ("DT06", "质量问题停机", "Quality hold", false),
    ("DT07", "缺少人员", "No operator", false),
    ("DT08", "无生产任务", "No order", true),
    ("DT09", "停电", "Power outage", false),
    ("DT10", "程序调试", "Program debugging", false),
    ("DT99", "其他", "Other", false),
];

/// (code, name, unit, kind)
const PRODUCTS: &[(&str, &str, &str, ProductKind)] = &[
    ("RM-PL-Q235-10", "钢板 Q235 δ10", "kg", ProductKind::Raw),
    ("RM-PL-Q235-6", "钢板 Q235 δ6", "kg", ProductKind::Raw),
    ("RM-PL-Q345-20", "钢板 Q345B δ20", "kg", ProductKind::Raw),
    ("RM-BAR-45-50", "圆钢 45# Ø50", "kg", ProductKind::Raw),
    ("RM-BAR-45-80", "圆钢 45# Ø80", "kg", ProductKind::Raw),
    ("RM-PIPE-20-89", "无缝钢管 20# Ø89×6", "m", ProductKind::Raw),
    ("RM-AL-6061-30", "铝板 6061-T6 δ30", "kg", ProductKind::Raw),
    (
        "RM-BLT-M12",
        "六角螺栓 M12×40 8.8级",
        "pcs",
        ProductKind::Raw,
    ),
    (
        "RM-BLT-M16",
        "六角螺栓 M16×60 8.8级",
        "pcs",
        ProductKind::Raw,
    ),
    ("RM-NUT-M12", "六角螺母 M12 8级", "pcs", ProductKind::Raw),
    (
        "RM-BRG-6308",
        "深沟球轴承 6308-2RS",
        "pcs",
        ProductKind::Raw,
    ),
    ("RM-SEAL-65", "骨架油封 65×90×10", "pcs", ProductKind::Raw),
    ("RM-PAINT-GR", "环氧底漆 中灰", "kg", ProductKind::Raw),
    (
        "RM-WIRE-ER50",
        "实心焊丝 ER50-6 Ø1.2",
        "kg",
        ProductKind::Raw,
    ),
    (
        "RM-MOTOR-4KW",
        "三相异步电机 YE3-112M-4 4kW",
        "pcs",
        ProductKind::Raw,
    ),
    ("SF-BASE-A", "泵站底座焊接件", "pcs", ProductKind::Semi),
    ("SF-FRAME-B", "输送机机架焊接件", "pcs", ProductKind::Semi),
    ("SF-SHAFT-50", "托辊轴 Ø50", "pcs", ProductKind::Semi),
    ("SF-SHAFT-80", "减速机输出轴 Ø80", "pcs", ProductKind::Semi),
    ("SF-GEAR-Z40", "斜齿轮 m3 Z40", "pcs", ProductKind::Semi),
    ("SF-FLANGE-89", "法兰 DN80 PN16", "pcs", ProductKind::Semi),
    ("SF-HOUSING-W", "减速机壳体焊接件", "pcs", ProductKind::Semi),
    (
        "SF-HOUSING-M",
        "减速机壳体（机加工）",
        "pcs",
        ProductKind::Semi,
    ),
    ("SF-COVER", "轴承端盖", "pcs", ProductKind::Semi),
    ("SF-PLATE-MT", "安装板", "pcs", ProductKind::Semi),
    ("SF-ROLLER", "托辊 Ø89×500", "pcs", ProductKind::Semi),
    ("SF-GEARSHAFT-ASM", "齿轮轴组件", "pcs", ProductKind::Semi),
    ("SF-BRACKET", "电机支架", "pcs", ProductKind::Semi),
    ("SF-GUARD", "联轴器防护罩", "pcs", ProductKind::Semi),
    ("SF-PIPE-SP", "法兰管段 DN80×1500", "pcs", ProductKind::Semi),
    ("FG-RED-100", "减速机 JZQ-100", "pcs", ProductKind::Finished),
    ("FG-RED-150", "减速机 JZQ-150", "pcs", ProductKind::Finished),
    (
        "FG-CONV-500",
        "皮带输送机标准段 B500",
        "pcs",
        ProductKind::Finished,
    ),
    (
        "FG-CONV-800",
        "皮带输送机标准段 B800",
        "pcs",
        ProductKind::Finished,
    ),
    ("FG-PUMP-ST", "液压泵站 HPS-4", "pcs", ProductKind::Finished),
    ("FG-MOUNT-KIT", "电机安装套件", "set", ProductKind::Finished),
    (
        "FG-SPOOL-80",
        "法兰管段 DN80（成品）",
        "pcs",
        ProductKind::Finished,
    ),
    ("FG-ROLLER-SET", "托辊组 B500", "set", ProductKind::Finished),
    ("FG-GUARD-KIT", "防护罩组件", "set", ProductKind::Finished),
    (
        "FG-DRIVE-UNIT",
        "输送机驱动单元",
        "pcs",
        ProductKind::Finished,
    ),
];

/// (product, [(component, quantity per, scrap factor)])
type BomDef = (&'static str, &'static [(&'static str, f64, f64)]);

const BOMS: &[BomDef] = &[
    (
        "SF-BASE-A",
        &[
            ("RM-PL-Q235-10", 45.0, 0.08),
            ("RM-PL-Q235-6", 12.0, 0.08),
            ("RM-WIRE-ER50", 0.8, 0.05),
        ],
    ),
    (
        "SF-FRAME-B",
        &[
            ("RM-PL-Q345-20", 60.0, 0.1),
            ("RM-PIPE-20-89", 2.4, 0.03),
            ("RM-WIRE-ER50", 1.2, 0.05),
        ],
    ),
    ("SF-SHAFT-50", &[("RM-BAR-45-50", 9.5, 0.05)]),
    ("SF-SHAFT-80", &[("RM-BAR-45-80", 21.0, 0.05)]),
    ("SF-GEAR-Z40", &[("RM-BAR-45-80", 14.0, 0.06)]),
    ("SF-FLANGE-89", &[("RM-PL-Q345-20", 6.5, 0.12)]),
    (
        "SF-HOUSING-W",
        &[
            ("RM-PL-Q235-10", 38.0, 0.08),
            ("RM-PL-Q235-6", 9.0, 0.08),
            ("RM-WIRE-ER50", 0.6, 0.05),
        ],
    ),
    ("SF-HOUSING-M", &[("SF-HOUSING-W", 1.0, 0.02)]),
    ("SF-COVER", &[("RM-AL-6061-30", 3.2, 0.15)]),
    ("SF-PLATE-MT", &[("RM-PL-Q235-10", 7.8, 0.08)]),
    (
        "SF-ROLLER",
        &[
            ("RM-PIPE-20-89", 0.55, 0.03),
            ("SF-SHAFT-50", 1.0, 0.0),
            ("RM-BRG-6308", 2.0, 0.0),
            ("RM-SEAL-65", 2.0, 0.02),
            ("RM-WIRE-ER50", 0.1, 0.05),
        ],
    ),
    (
        "SF-GEARSHAFT-ASM",
        &[
            ("SF-SHAFT-80", 1.0, 0.0),
            ("SF-GEAR-Z40", 1.0, 0.0),
            ("RM-BRG-6308", 2.0, 0.0),
        ],
    ),
    (
        "SF-BRACKET",
        &[("RM-PL-Q235-6", 8.5, 0.08), ("RM-WIRE-ER50", 0.2, 0.05)],
    ),
    (
        "SF-GUARD",
        &[("RM-PL-Q235-6", 5.2, 0.1), ("RM-WIRE-ER50", 0.1, 0.05)],
    ),
    (
        "SF-PIPE-SP",
        &[
            ("RM-PIPE-20-89", 1.5, 0.03),
            ("SF-FLANGE-89", 2.0, 0.0),
            ("RM-WIRE-ER50", 0.3, 0.05),
        ],
    ),
    (
        "FG-RED-100",
        &[
            ("SF-HOUSING-M", 1.0, 0.0),
            ("SF-GEARSHAFT-ASM", 1.0, 0.0),
            ("SF-COVER", 2.0, 0.0),
            ("RM-SEAL-65", 2.0, 0.02),
            ("RM-BLT-M12", 8.0, 0.01),
            ("RM-PAINT-GR", 0.8, 0.1),
        ],
    ),
    (
        "FG-RED-150",
        &[
            ("SF-HOUSING-M", 1.0, 0.0),
            ("SF-GEARSHAFT-ASM", 2.0, 0.0),
            ("SF-COVER", 2.0, 0.0),
            ("RM-SEAL-65", 4.0, 0.02),
            ("RM-BLT-M12", 12.0, 0.01),
            ("RM-PAINT-GR", 1.2, 0.1),
        ],
    ),
    (
        "FG-CONV-500",
        &[
            ("SF-FRAME-B", 1.0, 0.0),
            ("SF-ROLLER", 6.0, 0.0),
            ("RM-BLT-M16", 12.0, 0.01),
            ("RM-PAINT-GR", 2.5, 0.1),
        ],
    ),
    (
        "FG-CONV-800",
        &[
            ("SF-FRAME-B", 1.0, 0.0),
            ("SF-ROLLER", 8.0, 0.0),
            ("RM-BLT-M16", 16.0, 0.01),
            ("RM-PAINT-GR", 3.2, 0.1),
        ],
    ),
    (
        "FG-PUMP-ST",
        &[
            ("SF-BASE-A", 1.0, 0.0),
            ("RM-MOTOR-4KW", 1.0, 0.0),
            ("SF-BRACKET", 1.0, 0.0),
            ("SF-PIPE-SP", 2.0, 0.0),
            ("RM-BLT-M12", 8.0, 0.01),
            ("RM-NUT-M12", 8.0, 0.01),
            ("RM-PAINT-GR", 1.5, 0.1),
        ],
    ),
    (
        "FG-MOUNT-KIT",
        &[
            ("SF-BRACKET", 1.0, 0.0),
            ("SF-PLATE-MT", 1.0, 0.0),
            ("RM-BLT-M12", 4.0, 0.0),
            ("RM-NUT-M12", 4.0, 0.0),
        ],
    ),
    (
        "FG-SPOOL-80",
        &[("SF-PIPE-SP", 1.0, 0.0), ("RM-PAINT-GR", 0.4, 0.1)],
    ),
    (
        "FG-ROLLER-SET",
        &[
            ("SF-ROLLER", 3.0, 0.0),
            ("SF-PLATE-MT", 2.0, 0.0),
            ("RM-BLT-M12", 4.0, 0.0),
            ("RM-NUT-M12", 4.0, 0.0),
        ],
    ),
    (
        "FG-GUARD-KIT",
        &[
            ("SF-GUARD", 2.0, 0.0),
            ("RM-BLT-M12", 6.0, 0.0),
            ("RM-PAINT-GR", 0.5, 0.1),
        ],
    ),
    (
        "FG-DRIVE-UNIT",
        &[
            ("SF-BASE-A", 1.0, 0.0),
            ("RM-MOTOR-4KW", 1.0, 0.0),
            ("SF-GEARSHAFT-ASM", 1.0, 0.0),
            ("SF-GUARD", 1.0, 0.0),
            ("RM-BLT-M16", 8.0, 0.01),
            ("RM-PAINT-GR", 1.0, 0.1),
        ],
    ),
];

/// One kind of operation: where it runs, its times (minutes) and its work instruction.
struct Op {
    name: &'static str,
    wc: &'static str,
    setup: f64,
    run: f64,
    queue: f64,
    transfer: f64,
    /// Eligible machines, each with its own run time relative to `run` (1.0 = the same).
    machines: &'static [(&'static str, f64)],
    inspect: bool,
    instruction: &'static str,
}

const LASER: Op = Op {
    name: "激光下料",
    wc: "WC-CUT",
    setup: 15.0,
    run: 3.0,
    queue: 60.0,
    transfer: 15.0,
    machines: &[("CUT-01", 1.0), ("CUT-02", 1.5)],
    inspect: false,
    instruction: "按排版程序切割，首件核对外形尺寸；清除割渣，零件按图号分类放置。",
};
const SAW: Op = Op {
    name: "锯床下料",
    wc: "WC-CUT",
    setup: 5.0,
    run: 2.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("CUT-03", 1.0)],
    inspect: false,
    instruction: "按定尺长度下料，长度公差 ±1mm，端面垂直度 ≤0.5mm。",
};
const SHEAR: Op = Op {
    name: "剪板下料",
    wc: "WC-CUT",
    setup: 5.0,
    run: 1.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("CUT-04", 1.0)],
    inspect: false,
    instruction: "按展开尺寸剪板，对角线差 ≤1mm，去除毛刺。",
};
const WELD_ROBOT: Op = Op {
    name: "机器人焊接",
    wc: "WC-WLD",
    setup: 30.0,
    run: 12.0,
    queue: 60.0,
    transfer: 15.0,
    machines: &[("WLD-01", 1.0), ("WLD-02", 1.1), ("WLD-03", 1.8)],
    inspect: false,
    instruction: "装夹到专用焊接工装，调用对应焊接程序；焊后目视检查焊缝，无气孔、夹渣、咬边。",
};
const WELD: Op = Op {
    name: "CO2 气保焊",
    wc: "WC-WLD",
    setup: 10.0,
    run: 20.0,
    queue: 60.0,
    transfer: 15.0,
    machines: &[("WLD-03", 1.0), ("WLD-04", 1.1), ("WLD-05", 1.2)],
    inspect: false,
    instruction: "按焊接工艺卡施焊，焊脚高度 6mm，焊后清理飞溅并校正变形。",
};
const TURN: Op = Op {
    name: "数控车削",
    wc: "WC-CNC",
    setup: 20.0,
    run: 8.0,
    queue: 45.0,
    transfer: 10.0,
    machines: &[
        ("CNC-01", 1.0),
        ("CNC-02", 1.0),
        ("CNC-03", 1.1),
        ("CNC-04", 0.85),
    ],
    inspect: false,
    instruction: "粗车、精车外圆及端面；轴承位公差 k6，表面粗糙度 Ra1.6；首件送检。",
};
const KEYWAY: Op = Op {
    name: "铣键槽",
    wc: "WC-CNC",
    setup: 10.0,
    run: 4.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("CNC-05", 1.0), ("CNC-06", 1.0)],
    inspect: false,
    instruction: "V 形块装夹，键槽宽度公差 N9，对称度 0.03。",
};
const MILL: Op = Op {
    name: "加工中心铣削",
    wc: "WC-CNC",
    setup: 30.0,
    run: 15.0,
    queue: 60.0,
    transfer: 15.0,
    machines: &[("CNC-05", 1.0), ("CNC-06", 1.0), ("CNC-07", 0.8)],
    inspect: false,
    instruction: "以底面及两销孔定位，铣安装面、钻攻螺纹孔；首件三坐标检测合格后批量加工。",
};
const BORE: Op = Op {
    name: "镗轴承孔",
    wc: "WC-CNC",
    setup: 45.0,
    run: 25.0,
    queue: 60.0,
    transfer: 15.0,
    machines: &[("CNC-07", 1.0), ("CNC-08", 0.7)],
    inspect: true,
    instruction: "一次装夹镗两端轴承孔，孔径公差 H7，同轴度 Ø0.02；每件自检并记录。",
};
const GEAR: Op = Op {
    name: "齿形加工",
    wc: "WC-CNC",
    setup: 40.0,
    run: 30.0,
    queue: 60.0,
    transfer: 15.0,
    machines: &[("CNC-08", 1.0), ("CNC-07", 1.4)],
    inspect: false,
    instruction: "调用齿形加工程序，精度 7 级；齿面粗糙度 Ra1.6。",
};
const CLEAN: Op = Op {
    name: "清洗备件",
    wc: "WC-ASM",
    setup: 5.0,
    run: 6.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("ASM-02", 1.0), ("ASM-03", 1.0)],
    inspect: false,
    instruction: "零件清洗去油污、铁屑，吹干后按装配清单配套。",
};
const ASSEMBLE: Op = Op {
    name: "装配",
    wc: "WC-ASM",
    setup: 15.0,
    run: 25.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("ASM-01", 1.0), ("ASM-02", 1.25), ("ASM-03", 1.25)],
    inspect: false,
    instruction: "按装配图装配；轴承加热装配（≤120℃），螺栓按力矩表拧紧并做防松标记。",
};
const KIT: Op = Op {
    name: "配套组装",
    wc: "WC-ASM",
    setup: 5.0,
    run: 8.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("ASM-02", 1.0), ("ASM-03", 1.0)],
    inspect: false,
    instruction: "按配套清单清点零件和紧固件，预装检查后装袋。",
};
const PAINT: Op = Op {
    name: "喷漆",
    wc: "WC-ASM",
    setup: 20.0,
    run: 10.0,
    queue: 120.0,
    transfer: 15.0,
    machines: &[("ASM-04", 1.0)],
    inspect: false,
    instruction: "喷砂除锈至 Sa2.5，喷环氧底漆一道，干膜厚度 ≥60μm；加工面涂防锈油不喷漆。",
};
const RUN_TEST: Op = Op {
    name: "跑合试验",
    wc: "WC-QC",
    setup: 10.0,
    run: 30.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("QC-02", 1.0)],
    inspect: true,
    instruction: "空载正反转各 30 分钟，温升 ≤40K，无异响、无渗漏；记录噪声和温度。",
};
const PRESSURE_TEST: Op = Op {
    name: "压力试验",
    wc: "WC-QC",
    setup: 10.0,
    run: 15.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("QC-02", 1.0)],
    inspect: true,
    instruction: "1.5 倍工作压力保压 10 分钟，无渗漏、无压降。",
};
const CMM: Op = Op {
    name: "三坐标检测",
    wc: "WC-QC",
    setup: 10.0,
    run: 12.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("QC-01", 1.0)],
    inspect: true,
    instruction: "按检测程序测量关键尺寸与形位公差，打印报告随件流转。",
};
const INSPECT: Op = Op {
    name: "检验",
    wc: "WC-QC",
    setup: 5.0,
    run: 6.0,
    queue: 30.0,
    transfer: 10.0,
    machines: &[("QC-02", 1.0), ("QC-01", 1.5)],
    inspect: true,
    instruction: "按检验规程检查外观和关键尺寸，填写检验记录；合格品挂合格证。",
};
const PACK: Op = Op {
    name: "包装",
    wc: "WC-QC",
    setup: 5.0,
    run: 5.0,
    queue: 0.0,
    transfer: 0.0,
    machines: &[("QC-03", 1.0), ("QC-04", 0.8)],
    inspect: false,
    instruction: "清洁、防锈处理后装箱，箱外标明产品编码、数量和生产批号。",
};

/// (product, factor on run times, operations in order)
const ROUTINGS: &[(&str, f64, &[Op])] = &[
    ("SF-BASE-A", 1.5, &[LASER, WELD_ROBOT, MILL, INSPECT]),
    ("SF-FRAME-B", 2.0, &[LASER, SAW, WELD, INSPECT]),
    ("SF-SHAFT-50", 0.6, &[SAW, TURN, KEYWAY, INSPECT]),
    ("SF-SHAFT-80", 1.2, &[SAW, TURN, KEYWAY, CMM]),
    ("SF-GEAR-Z40", 1.0, &[SAW, TURN, GEAR, CMM]),
    ("SF-FLANGE-89", 0.5, &[LASER, TURN, MILL]),
    ("SF-HOUSING-W", 1.8, &[LASER, SHEAR, WELD_ROBOT, INSPECT]),
    ("SF-HOUSING-M", 1.0, &[MILL, BORE, CMM]),
    ("SF-COVER", 0.5, &[LASER, TURN, INSPECT]),
    ("SF-PLATE-MT", 0.4, &[LASER, MILL, INSPECT]),
    ("SF-ROLLER", 0.7, &[SAW, TURN, WELD, ASSEMBLE, INSPECT]),
    ("SF-GEARSHAFT-ASM", 0.8, &[CLEAN, ASSEMBLE, INSPECT]),
    ("SF-BRACKET", 0.6, &[SHEAR, LASER, WELD, INSPECT]),
    ("SF-GUARD", 0.5, &[SHEAR, LASER, WELD]),
    ("SF-PIPE-SP", 0.8, &[SAW, WELD, PRESSURE_TEST]),
    ("FG-RED-100", 1.0, &[CLEAN, ASSEMBLE, RUN_TEST, PAINT, PACK]),
    (
        "FG-RED-150",
        1.4,
        &[CLEAN, ASSEMBLE, RUN_TEST, PAINT, INSPECT, PACK],
    ),
    ("FG-CONV-500", 1.5, &[ASSEMBLE, PAINT, INSPECT, PACK]),
    ("FG-CONV-800", 1.9, &[ASSEMBLE, PAINT, INSPECT, PACK]),
    (
        "FG-PUMP-ST",
        1.6,
        &[ASSEMBLE, PRESSURE_TEST, PAINT, INSPECT, PACK],
    ),
    ("FG-MOUNT-KIT", 0.5, &[KIT, INSPECT, PACK]),
    ("FG-SPOOL-80", 0.6, &[PAINT, PRESSURE_TEST, PACK]),
    ("FG-ROLLER-SET", 0.8, &[KIT, INSPECT, PACK]),
    ("FG-GUARD-KIT", 0.5, &[PAINT, KIT, PACK]),
    (
        "FG-DRIVE-UNIT",
        1.5,
        &[ASSEMBLE, RUN_TEST, PAINT, INSPECT, PACK],
    ),
];

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn id_of(map: &HashMap<String, i64>, code: &str) -> AppResult<i64> {
    map.get(code).copied().ok_or_else(|| {
        crate::error::AppError::Internal(anyhow::anyhow!("demo data names unknown code {code}"))
    })
}

/// Fills the plant model and products. Does nothing when work centres exist already.
pub fn fill_plant(conn: &mut DbConnection, actor: &Actor) -> AppResult<()> {
    if plant_queries::count_work_centers(conn)? > 0 {
        return Ok(());
    }
    conn.transaction(|conn| {
        let mut calendars: HashMap<String, i64> = HashMap::new();
        for input in calendar_inputs() {
            let cal = plant::create_calendar(conn, actor, input)?;
            calendars.insert(cal.code, cal.id.0);
        }
        let mut wcs: HashMap<String, i64> = HashMap::new();
        for (code, name, cal, description) in WORK_CENTERS {
            let wc = plant::create_work_center(
                conn,
                actor,
                WorkCenterInput {
                    code: (*code).into(),
                    name: (*name).into(),
                    description: (*description).into(),
                    calendar_id: Some(CalendarId(id_of(&calendars, cal)?)),
                    active: true,
                },
            )?;
            wcs.insert(wc.code, wc.id.0);
        }
        let mut machines: HashMap<String, i64> = HashMap::new();
        for (code, name, wc, kind, cal) in MACHINES {
            let calendar_id = match cal {
                Some(c) => Some(CalendarId(id_of(&calendars, c)?)),
                None => None,
            };
            let m = plant::create_machine(
                conn,
                actor,
                MachineInput {
                    code: (*code).into(),
                    name: (*name).into(),
                    work_center_id: WorkCenterId(id_of(&wcs, wc)?),
                    kind: (*kind).into(),
                    calendar_id,
                    description: String::new(),
                    active: true,
                },
            )?;
            machines.insert(m.code, m.id.0);
            plant::create_station(
                conn,
                actor,
                StationInput {
                    code: format!("T-{code}"),
                    name: format!("{name} 工位终端"),
                    machine_id: Some(MachineId(m.id.0)),
                    work_center_id: None,
                    active: true,
                },
            )?;
        }
        plant::create_station(
            conn,
            actor,
            StationInput {
                code: "T-ASM".into(),
                name: "装配车间看板终端".into(),
                machine_id: None,
                work_center_id: Some(WorkCenterId(id_of(&wcs, "WC-ASM")?)),
                active: true,
            },
        )?;
        for (i, (code, zh, en)) in DEFECT_REASONS.iter().enumerate() {
            plant::create_reason(
                conn,
                actor,
                ReasonList::Defect,
                ReasonInput {
                    code: (*code).into(),
                    name_zh: (*zh).into(),
                    name_en: (*en).into(),
                    planned: false,
                    active: true,
                    position: i32::try_from(i * 10).unwrap_or(0),
                },
            )?;
        }
        for (i, (code, zh, en, planned)) in DOWNTIME_REASONS.iter().enumerate() {
            plant::create_reason(
                conn,
                actor,
                ReasonList::Downtime,
                ReasonInput {
                    code: (*code).into(),
                    name_zh: (*zh).into(),
                    name_en: (*en).into(),
                    planned: *planned,
                    active: true,
                    position: i32::try_from(i * 10).unwrap_or(0),
                },
            )?;
        }
        let mut items: HashMap<String, i64> = HashMap::new();
        for (code, name, unit, kind) in PRODUCTS {
            let p = products::create_product(
                conn,
                actor,
                ProductInput {
                    code: (*code).into(),
                    name: (*name).into(),
                    unit: (*unit).into(),
                    kind: *kind,
                    description: String::new(),
                    active: true,
                },
            )?;
            items.insert(p.code, p.id.0);
        }
        for (product, lines) in BOMS {
            let lines = lines
                .iter()
                .map(|(component, qty, scrap)| {
                    Ok(BomLineInput {
                        component_id: ProductId(id_of(&items, component)?),
                        quantity_per: *qty,
                        scrap_factor: *scrap,
                        note: String::new(),
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            let bom = products::create_bom(
                conn,
                actor,
                BomInput {
                    product_id: ProductId(id_of(&items, product)?),
                    note: "初始版本".into(),
                    lines,
                },
            )?;
            products::activate_bom(conn, actor, bom.id.0)?;
        }
        for (product, factor, ops) in ROUTINGS {
            let mut operations = Vec::with_capacity(ops.len());
            for (i, op) in ops.iter().enumerate() {
                let run = round1(op.run * factor);
                let eligible = op
                    .machines
                    .iter()
                    .map(|(code, rel)| {
                        Ok(EligibleMachineInput {
                            machine_id: MachineId(id_of(&machines, code)?),
                            run_minutes_per_unit: (*rel != 1.0).then(|| round1(run * rel)),
                        })
                    })
                    .collect::<AppResult<Vec<_>>>()?;
                operations.push(RoutingOperationInput {
                    seq: i32::try_from((i + 1) * 10).unwrap_or(i32::MAX),
                    name: op.name.into(),
                    work_center_id: WorkCenterId(id_of(&wcs, op.wc)?),
                    setup_minutes: op.setup,
                    run_minutes_per_unit: run,
                    queue_minutes: op.queue,
                    transfer_minutes: op.transfer,
                    inspection_required: op.inspect,
                    instruction: op.instruction.into(),
                    // Piece work pays about 0.6 yuan per minute of standard run time.
                    piece_rate: Some((run * 0.6 * 100.0).round() / 100.0),
                    machines: eligible,
                });
            }
            let routing = products::create_routing(
                conn,
                actor,
                RoutingInput {
                    product_id: ProductId(id_of(&items, product)?),
                    note: "初始版本".into(),
                    operations,
                },
            )?;
            products::activate_routing(conn, actor, routing.id.0)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_tables_are_consistent() {
        let products: Vec<&str> = PRODUCTS.iter().map(|p| p.0).collect();
        assert_eq!(products.len(), 40);
        let count = |k| PRODUCTS.iter().filter(|p| p.3 == k).count();
        assert_eq!(
            (
                count(ProductKind::Raw),
                count(ProductKind::Semi),
                count(ProductKind::Finished)
            ),
            (15, 15, 10)
        );
        assert_eq!(MACHINES.len(), 25);
        let made: Vec<&str> = PRODUCTS
            .iter()
            .filter(|p| p.3 != ProductKind::Raw)
            .map(|p| p.0)
            .collect();
        for code in &made {
            assert!(BOMS.iter().any(|b| b.0 == *code), "{code} has a BOM");
            let routing = ROUTINGS.iter().find(|r| r.0 == *code);
            assert!(
                routing.is_some_and(|r| (3..=6).contains(&r.2.len())),
                "{code} has 3–6 operations"
            );
        }
        for (_, lines) in BOMS {
            for (c, _, _) in *lines {
                assert!(products.contains(c), "{c} is a product");
            }
        }
        for (_, _, ops) in ROUTINGS {
            for op in *ops {
                for (m, _) in op.machines {
                    let machine = MACHINES.iter().find(|x| x.0 == *m);
                    assert!(machine.is_some_and(|x| x.2 == op.wc), "{m} is in {}", op.wc);
                }
            }
        }
        assert_eq!(calendar_inputs().len(), 3);
    }
}
