//! Print pages: the A4 work-order traveler and QR label sheets for machines and stations. Plain
//! HTML with print CSS, QR codes inline as SVG; what the codes say is [`ScanCode`]'s text, the
//! one the station scanner resolves.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use mes_api_types::{
    Lang,
    master_data::{Machine, Station},
    work_orders::{ScanCode, WorkOrderDetail},
};
use qrcode::{EcLevel, QrCode, render::svg};

use crate::error::{AppError, AppResult};

/// Text safe inside HTML elements and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A QR code as an inline `<svg>` (no XML declaration), `size_px` wide at least.
pub fn qr_svg(content: &str, size_px: u32) -> AppResult<String> {
    let code = QrCode::with_error_correction_level(content.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("QR code for {content:?}: {e}")))?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(size_px, size_px)
        .quiet_zone(true)
        .build();
    let start = svg.find("<svg").unwrap_or(0);
    let label = esc(content);
    Ok(svg[start..].replacen(
        "<svg ",
        &format!("<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" data-code=\"{label}\" "),
        1,
    ))
}

struct Words {
    lang: Lang,
}

impl Words {
    fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

const STYLE: &str = r#"
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", Arial, sans-serif;
  font-size: 10pt; color: #000; margin: 0; }
.sheet { width: 186mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
.head { display: flex; justify-content: space-between; gap: 6mm; border-bottom: 0.6mm solid #000;
  padding-bottom: 3mm; margin-bottom: 3mm; }
.fields { display: grid; grid-template-columns: auto 1fr auto 1fr; gap: 1mm 3mm; align-content: start; }
.fields dt { font-weight: bold; white-space: nowrap; }
.fields dd { margin: 0; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.3mm solid #000; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; font-size: 9pt; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; }
td.qr-cell { width: 24mm; padding: 0.5mm; }
svg.qr { display: block; width: 100%; height: auto; }
.head svg.qr { width: 32mm; }
.sign { height: 10mm; min-width: 18mm; }
.signatures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; margin-top: 5mm; }
.signatures div { border: 0.3mm solid #000; height: 18mm; padding: 1mm; font-weight: bold; }
.instr { font-size: 8.5pt; }
.code { font-family: monospace; font-size: 8pt; text-align: center; }
.labels { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; }
.label { border: 0.3mm dashed #888; padding: 3mm; text-align: center; break-inside: avoid;
  page-break-inside: avoid; }
.label svg.qr { width: 40mm; margin: 0 auto; }
.label .title { font-size: 12pt; font-weight: bold; margin-top: 1mm; }
.no-print { margin: 4mm 0; }
@media print { .no-print { display: none; } }
"#;

fn page(lang: Lang, title: &str, body: &str) -> String {
    let tag = lang.tag();
    let title = esc(title);
    let print = match lang {
        Lang::ZhCn => "打印",
        Lang::En => "Print",
    };
    format!(
        "<!doctype html>\n<html lang=\"{tag}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>{STYLE}</style></head><body><div class=\"sheet\">\
         <div class=\"no-print\"><button type=\"button\" onclick=\"window.print()\">{print}</button></div>\
         {body}</div></body></html>\n"
    )
}

fn local(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

fn minutes(m: f64) -> String {
    format!("{}", (m * 100.0).round() / 100.0)
}

/// First lines of a work instruction: the traveler shows a summary, the station the whole text.
fn summary(text: &str) -> String {
    const MAX: usize = 160;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX {
        flat
    } else {
        let cut: String = flat.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

pub fn traveler(order: &WorkOrderDetail, lang: Lang, tz: Tz) -> AppResult<String> {
    let w = Words { lang };
    let o = &order.order;
    let code = ScanCode::WorkOrder {
        number: o.number.clone(),
    }
    .to_string();
    let mut body = String::new();
    let field = |body: &mut String, name: &str, value: &str| {
        let _ = write!(body, "<dt>{}</dt><dd>{}</dd>", esc(name), esc(value));
    };
    let _ = write!(
        body,
        "<div class=\"head\"><div><h1>{} {}</h1><dl class=\"fields\">",
        w.t("生产工单流转卡", "Work order traveler"),
        esc(&o.number)
    );
    field(
        &mut body,
        w.t("产品", "Product"),
        &format!("{} {}", o.product_code, o.product_name),
    );
    field(
        &mut body,
        w.t("数量", "Quantity"),
        &format!("{} {}", o.quantity, o.unit),
    );
    field(&mut body, w.t("交期", "Due"), &local(o.due_at, tz));
    field(
        &mut body,
        w.t("计划开工", "Release"),
        &o.release_at.map(|t| local(t, tz)).unwrap_or_default(),
    );
    field(
        &mut body,
        w.t("优先级", "Priority"),
        &o.priority.to_string(),
    );
    field(&mut body, w.t("状态", "Status"), o.status.as_str());
    field(&mut body, w.t("客户", "Customer"), &o.customer);
    field(&mut body, w.t("销售订单", "Sales order"), &o.sales_order);
    field(
        &mut body,
        w.t("工艺版本", "Routing version"),
        &order
            .routing_version
            .map(|v| v.to_string())
            .unwrap_or_default(),
    );
    field(
        &mut body,
        w.t("BOM 版本", "BOM version"),
        &order.bom_version.map(|v| v.to_string()).unwrap_or_default(),
    );
    let _ = write!(
        body,
        "</dl>{}</div><div>{}<div class=\"code\">{}</div></div></div>",
        if order.notes.is_empty() {
            String::new()
        } else {
            format!(
                "<p><b>{}</b> {}</p>",
                w.t("备注：", "Notes:"),
                esc(&order.notes)
            )
        },
        qr_svg(&code, 120)?,
        esc(&code)
    );

    let _ = write!(
        body,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        w.t("扫码", "Scan"),
        w.t("工序", "Op"),
        w.t("名称 / 作业指导", "Name / instruction"),
        w.t("工作中心", "Work centre"),
        w.t("设备（单件工时）", "Machines (min/unit)"),
        w.t("准备(分)", "Setup (min)"),
        w.t("单件(分)", "Run (min/unit)"),
        w.t("检验", "Inspect"),
        w.t("良品", "Good"),
        w.t("报废", "Scrap"),
        w.t("签名 / 日期", "Signature / date"),
    );
    for op in &order.operations {
        let code = ScanCode::Operation {
            number: o.number.clone(),
            seq: op.seq,
        }
        .to_string();
        let machines: Vec<String> = op
            .machines
            .iter()
            .map(|m| {
                format!(
                    "{} ({})",
                    esc(&m.machine_code),
                    minutes(m.run_minutes_per_unit)
                )
            })
            .collect();
        let machines = if machines.is_empty() {
            esc(w.t("工作中心内任一设备", "any machine of the work centre"))
        } else {
            machines.join("<br>")
        };
        let _ = write!(
            body,
            "<tr><td class=\"qr-cell\">{}<div class=\"code\">{}</div></td><td class=\"num\">{}</td>\
             <td><b>{}</b><div class=\"instr\">{}</div></td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>\
             <td class=\"sign\"></td><td class=\"sign\"></td><td class=\"sign\"></td></tr>",
            qr_svg(&code, 80)?,
            esc(&code),
            op.seq,
            esc(&op.name),
            esc(&summary(&op.instruction)),
            esc(&op.work_center_code),
            machines,
            minutes(op.setup_minutes),
            minutes(op.run_minutes_per_unit),
            if op.inspection_required {
                w.t("☑ 需检验", "☑ required")
            } else {
                "—"
            },
        );
    }
    if order.operations.is_empty() {
        let _ = write!(
            body,
            "<tr><td colspan=\"11\">{}</td></tr>",
            w.t(
                "工单尚未下达，还没有工序（下达时从当前工艺路线复制）",
                "Not released yet: no operations (release copies them from the current routing)"
            )
        );
    }
    body.push_str("</tbody></table>");

    if !order.materials.is_empty() {
        let _ = write!(
            body,
            "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            w.t("物料需求", "Materials"),
            w.t("物料", "Material"),
            w.t("需求数量", "Required"),
            w.t("单位", "Unit"),
        );
        for m in &order.materials {
            let _ = write!(
                body,
                "<tr><td>{} {}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&m.product_code),
                esc(&m.product_name),
                (m.quantity_required * 1000.0).round() / 1000.0,
                esc(&m.unit)
            );
        }
        body.push_str("</tbody></table>");
    }
    let _ = write!(
        body,
        "<div class=\"signatures\"><div>{}</div><div>{}</div><div>{}</div></div>",
        w.t("计划员", "Planner"),
        w.t("质检员", "Inspector"),
        w.t("班组长", "Supervisor"),
    );
    let title = format!("{} {}", w.t("流转卡", "Traveler"), o.number);
    Ok(page(lang, &title, &body))
}

/// One label per thing: its QR code, code and name.
fn labels(lang: Lang, title: &str, items: &[(String, String, String)]) -> AppResult<String> {
    let mut body = String::from("<div class=\"labels\">");
    for (code, id, name) in items {
        let _ = write!(
            body,
            "<div class=\"label\">{}<div class=\"title\">{}</div><div>{}</div><div class=\"code\">{}</div></div>",
            qr_svg(code, 150)?,
            esc(id),
            esc(name),
            esc(code)
        );
    }
    body.push_str("</div>");
    Ok(page(lang, title, &body))
}

pub fn machine_labels(machines: &[Machine], lang: Lang) -> AppResult<String> {
    let items: Vec<_> = machines
        .iter()
        .map(|m| {
            let code = ScanCode::Machine {
                code: m.code.clone(),
            };
            (code.to_string(), m.code.clone(), m.name.clone())
        })
        .collect();
    let w = Words { lang };
    labels(lang, w.t("设备标签", "Machine labels"), &items)
}

pub fn station_labels(stations: &[Station], lang: Lang) -> AppResult<String> {
    let items: Vec<_> = stations
        .iter()
        .map(|s| {
            let code = ScanCode::Station {
                code: s.code.clone(),
            };
            (code.to_string(), s.code.clone(), s.name.clone())
        })
        .collect();
    let w = Words { lang };
    labels(lang, w.t("工位标签", "Station labels"), &items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_is_inline_svg_with_its_content() {
        let svg = qr_svg("WO:<1>", 100).unwrap();
        assert!(svg.starts_with("<svg class=\"qr\""));
        assert!(svg.contains("data-code=\"WO:&lt;1&gt;\""));
        assert!(!svg.contains("<?xml"));
    }

    #[test]
    fn summaries_are_short() {
        assert_eq!(summary("a\n  b"), "a b");
        assert_eq!(summary(&"x".repeat(500)).chars().count(), 161);
    }
}
