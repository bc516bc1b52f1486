//! Translations: zh-CN (the default) and English.
//!
//! Every user-visible string is a [`Key`]; each language module maps every key with an exhaustive
//! `match`, so a missing translation is a compile error rather than a blank on a plant screen.
//! Strings with values in them are functions here that `match` on the language, for the same
//! reason. (leptos_i18n was considered; see frontend/README.md for why it is not used.)

mod en;
mod keys;
mod zh_cn;

pub use keys::Key;
use leptos::prelude::*;
use mes_api_types::{ErrorKind, Lang, audit::AuditAction, auth::Role, import::ImportKind};

use crate::util;

const STORAGE_KEY: &str = "mes.language";

/// The text of `key` in `lang`.
pub fn text(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::ZhCn => zh_cn::text(key),
        Lang::En => en::text(key),
    }
}

/// The current UI language, provided at the root of the app.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// The current language without subscribing.
    pub fn lang_untracked(self) -> Lang {
        self.lang.get_untracked()
    }

    /// The text of `key` in the current language (tracked).
    pub fn t(self, key: Key) -> &'static str {
        text(self.lang.get(), key)
    }

    /// A reactive text for views and attributes: `{i18n.tr(Key::SignIn)}`.
    pub fn tr(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// Switches the UI language on this device. Signed-in users also save it on the server:
    /// see [`crate::session::Session::change_language`].
    pub fn set(self, lang: Lang) {
        if let Some(storage) = util::local_storage() {
            // A full or disabled storage only loses the preference for the next visit.
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
        self.lang.set(lang);
    }
}

fn parse_tag(tag: &str) -> Option<Lang> {
    Lang::ALL
        .into_iter()
        .find(|l| l.tag().eq_ignore_ascii_case(tag))
}

/// Creates the language context: `?lang=` in the address (for wall boards set up once), else the
/// language saved on this device, else zh-CN. Keeps `<html lang>` and the API client in step.
pub fn provide_i18n() -> I18n {
    let from_query = util::query_param("lang").and_then(|tag| parse_tag(&tag));
    let saved = util::local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|tag| parse_tag(&tag));
    let initial = from_query.or(saved).unwrap_or_default();
    crate::api::set_language(initial);
    let i18n = I18n {
        lang: RwSignal::new(initial),
    };
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        crate::api::set_language(lang);
        if let Some(html) = util::document().document_element() {
            let _ = html.set_attribute("lang", lang.tag());
        }
    });
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The name a language is shown with in the switch: its own name, whatever the UI language.
pub fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "中文",
        Lang::En => "English",
    }
}

pub fn role_key(role: Role) -> Key {
    match role {
        Role::Admin => Key::RoleAdmin,
        Role::Manager => Key::RoleManager,
        Role::Planner => Key::RolePlanner,
        Role::Supervisor => Key::RoleSupervisor,
        Role::Quality => Key::RoleQuality,
        Role::Maintenance => Key::RoleMaintenance,
        Role::Operator => Key::RoleOperator,
    }
}

pub fn action_key(action: AuditAction) -> Key {
    match action {
        AuditAction::Create => Key::AuditActionCreate,
        AuditAction::Update => Key::AuditActionUpdate,
        AuditAction::Delete => Key::AuditActionDelete,
    }
}

/// The title shown above an API error of this kind.
pub fn error_title_key(kind: ErrorKind) -> Key {
    match kind {
        ErrorKind::BadRequest => Key::ErrorBadRequest,
        ErrorKind::Validation => Key::ErrorValidation,
        ErrorKind::Unauthorized => Key::ErrorUnauthorized,
        ErrorKind::Forbidden => Key::ErrorForbidden,
        ErrorKind::NotFound => Key::ErrorNotFound,
        ErrorKind::MethodNotAllowed => Key::ErrorMethodNotAllowed,
        ErrorKind::Conflict => Key::ErrorConflict,
        ErrorKind::PayloadTooLarge => Key::ErrorPayloadTooLarge,
        ErrorKind::UnsupportedMediaType => Key::ErrorUnsupportedMediaType,
        ErrorKind::Unprocessable => Key::ErrorUnprocessable,
        ErrorKind::RateLimited => Key::ErrorRateLimited,
        ErrorKind::Internal => Key::ErrorInternal,
        ErrorKind::Unavailable => Key::ErrorUnavailable,
    }
}

// Texts with values in them.

pub fn welcome(lang: Lang, name: &str) -> String {
    match lang {
        Lang::ZhCn => format!("欢迎，{name}"),
        Lang::En => format!("Welcome, {name}"),
    }
}

pub fn total_count(lang: Lang, total: i64) -> String {
    match lang {
        Lang::ZhCn => format!("共 {total} 条"),
        Lang::En if total == 1 => "1 record".to_owned(),
        Lang::En => format!("{total} records"),
    }
}

pub fn page_number(lang: Lang, page: usize) -> String {
    match lang {
        Lang::ZhCn => format!("第 {page} 页"),
        Lang::En => format!("Page {page}"),
    }
}

pub fn updated_at(lang: Lang, time: &str) -> String {
    match lang {
        Lang::ZhCn => format!("更新于 {time}"),
        Lang::En => format!("Updated {time}"),
    }
}

pub fn edit_user_title(lang: Lang, username: &str) -> String {
    match lang {
        Lang::ZhCn => format!("编辑用户：{username}"),
        Lang::En => format!("Edit user: {username}"),
    }
}

pub fn user_created(lang: Lang, username: &str) -> String {
    match lang {
        Lang::ZhCn => format!("已创建用户 {username}。"),
        Lang::En => format!("User {username} created."),
    }
}

pub fn user_saved(lang: Lang, username: &str) -> String {
    match lang {
        Lang::ZhCn => format!("已保存用户 {username} 的更改。"),
        Lang::En => format!("Changes to {username} saved."),
    }
}

pub fn max_length(lang: Lang, max: usize) -> String {
    match lang {
        Lang::ZhCn => format!("最多 {max} 个字符。"),
        Lang::En => format!("At most {max} characters."),
    }
}

pub fn pin_length(lang: Lang, min: usize, max: usize) -> String {
    match lang {
        Lang::ZhCn => format!("PIN 须为 {min}–{max} 位数字。"),
        Lang::En => format!("The PIN must be {min}–{max} digits."),
    }
}

pub fn station_title(lang: Lang, machine_code: &str) -> String {
    match lang {
        Lang::ZhCn => format!("工位 {machine_code}"),
        Lang::En => format!("Station {machine_code}"),
    }
}

pub fn http_status(lang: Lang, status: u16) -> String {
    match lang {
        Lang::ZhCn => format!("HTTP 状态 {status}"),
        Lang::En => format!("HTTP status {status}"),
    }
}

/// "line 3, column B" in an error detail from an uploaded file.
pub fn detail_position(lang: Lang, line: Option<u64>, column: Option<&str>) -> Option<String> {
    match (lang, line, column) {
        (_, None, None) => None,
        (Lang::ZhCn, Some(l), Some(c)) => Some(format!("第 {l} 行，{c} 列")),
        (Lang::ZhCn, Some(l), None) => Some(format!("第 {l} 行")),
        (Lang::ZhCn, None, Some(c)) => Some(format!("{c} 列")),
        (Lang::En, Some(l), Some(c)) => Some(format!("line {l}, column {c}")),
        (Lang::En, Some(l), None) => Some(format!("line {l}")),
        (Lang::En, None, Some(c)) => Some(format!("column {c}")),
    }
}

pub fn import_title(lang: Lang, kind: ImportKind) -> String {
    let (zh, en) = match kind {
        ImportKind::Machines => ("设备", "machines"),
        ImportKind::Products => ("物料", "products"),
        ImportKind::Boms => ("BOM", "BOMs"),
        ImportKind::Routings => ("工艺路线", "routings"),
        ImportKind::WorkOrders => ("工单", "work orders"),
    };
    match lang {
        Lang::ZhCn => format!("导入{zh}"),
        Lang::En => format!("Import {en}"),
    }
}

pub fn import_checking(lang: Lang, processed: u64, total: u64) -> String {
    match lang {
        Lang::ZhCn => format!("正在检查：{processed} / {total} 行"),
        Lang::En => format!("Checking: {processed} of {total} rows"),
    }
}

pub fn import_done(lang: Lang, created: u64, updated: u64) -> String {
    match lang {
        Lang::ZhCn => format!("导入完成：新建 {created} 条，更新 {updated} 条。"),
        Lang::En => format!("Import done: {created} created, {updated} updated."),
    }
}

pub fn order_action_done(lang: Lang, number: &str, action: &str) -> String {
    match lang {
        Lang::ZhCn => format!("工单 {number}：{action}成功。"),
        Lang::En => format!("{number}: {action} done."),
    }
}

pub fn order_split(lang: Lang, number: &str) -> String {
    match lang {
        Lang::ZhCn => format!("已拆分出工单 {number}。"),
        Lang::En => format!("Order {number} split off."),
    }
}

pub fn order_created(lang: Lang, number: &str) -> String {
    match lang {
        Lang::ZhCn => format!("已创建工单 {number}。"),
        Lang::En => format!("Work order {number} created."),
    }
}

pub fn order_saved(lang: Lang, number: &str) -> String {
    match lang {
        Lang::ZhCn => format!("已保存工单 {number}。"),
        Lang::En => format!("Work order {number} saved."),
    }
}

pub fn edit_order_title(lang: Lang, number: &str) -> String {
    match lang {
        Lang::ZhCn => format!("编辑工单：{number}"),
        Lang::En => format!("Edit work order: {number}"),
    }
}

pub fn split_title(lang: Lang, number: &str) -> String {
    match lang {
        Lang::ZhCn => format!("拆分工单：{number}"),
        Lang::En => format!("Split work order: {number}"),
    }
}

pub fn split_hint(lang: Lang, remaining: &str) -> String {
    match lang {
        Lang::ZhCn => {
            format!("剩余数量 {remaining}。拆分出的数量将成为一个新工单，工艺与原工单相同。")
        }
        Lang::En => format!(
            "{remaining} remaining. The quantity split off becomes a new order with the same routing."
        ),
    }
}

pub fn split_range(lang: Lang, remaining: &str) -> String {
    match lang {
        Lang::ZhCn => format!("须大于 0 且小于剩余数量 {remaining}。"),
        Lang::En => format!("Must be more than 0 and less than the {remaining} remaining."),
    }
}

pub fn priority_label(lang: Lang, priority: i32) -> String {
    let (zh, en) = match priority {
        1 => ("紧急", "rush"),
        2 => ("高", "high"),
        3 => ("普通", "normal"),
        4 => ("低", "low"),
        _ => ("最低", "lowest"),
    };
    match lang {
        Lang::ZhCn => format!("{priority} – {zh}"),
        Lang::En => format!("{priority} – {en}"),
    }
}

pub fn planned_on(lang: Lang, machine: &str) -> String {
    match lang {
        Lang::ZhCn => format!("计划设备 {machine}"),
        Lang::En => format!("planned on {machine}"),
    }
}

pub fn saved_record(lang: Lang, code: &str) -> String {
    match lang {
        Lang::ZhCn => format!("已保存 {code}。"),
        Lang::En => format!("{code} saved."),
    }
}

pub fn routing_saved(lang: Lang, version: i32) -> String {
    match lang {
        Lang::ZhCn => format!("已保存工艺路线草稿 v{version}。"),
        Lang::En => format!("Routing draft v{version} saved."),
    }
}

pub fn bom_saved(lang: Lang, version: i32) -> String {
    match lang {
        Lang::ZhCn => format!("已保存 BOM 草稿 v{version}。"),
        Lang::En => format!("BOM draft v{version} saved."),
    }
}

pub fn edit_routing_title(lang: Lang, version: i32) -> String {
    match lang {
        Lang::ZhCn => format!("编辑工艺路线草稿 v{version}"),
        Lang::En => format!("Edit routing draft v{version}"),
    }
}

pub fn edit_bom_title(lang: Lang, version: i32) -> String {
    match lang {
        Lang::ZhCn => format!("编辑 BOM 草稿 v{version}"),
        Lang::En => format!("Edit BOM draft v{version}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_cjk(c: char) -> bool {
        ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c)
    }

    #[test]
    fn every_text_is_present_and_trimmed() {
        for &key in Key::ALL {
            for lang in Lang::ALL {
                let t = text(lang, key);
                assert!(!t.is_empty(), "{key:?} is empty in {}", lang.tag());
                assert_eq!(t, t.trim(), "{key:?} has stray spaces in {}", lang.tag());
            }
        }
    }

    #[test]
    fn english_texts_hold_no_chinese() {
        for &key in Key::ALL {
            let t = text(Lang::En, key);
            assert!(!t.chars().any(is_cjk), "{key:?} in English: {t}");
        }
    }

    #[test]
    fn chinese_texts_are_translated() {
        // Texts that are the same in both languages on purpose (codes, abbreviations).
        const SAME: &[Key] = &[Key::Pin];
        for &key in Key::ALL.iter().filter(|k| !SAME.contains(k)) {
            let t = text(Lang::ZhCn, key);
            assert!(
                t.chars().any(is_cjk),
                "{key:?} in zh-CN looks untranslated: {t}"
            );
        }
    }
}

pub fn pending_writes(lang: Lang, count: usize) -> String {
    match lang {
        Lang::ZhCn => format!("待提交 {count} 条"),
        Lang::En if count == 1 => "1 waiting to send".to_owned(),
        Lang::En => format!("{count} waiting to send"),
    }
}

pub fn available_qty(lang: Lang, qty: &str, unit: &str) -> String {
    match lang {
        Lang::ZhCn => format!("可加工 {qty} {unit}"),
        Lang::En => format!("{qty} {unit} available"),
    }
}

pub fn nothing_to_do_here(lang: Lang, code: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{code}：没有可在本工位加工的工序。"),
        Lang::En => format!("{code}: no open operation for this station."),
    }
}

pub fn other_place_code(lang: Lang, code: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{code} 是设备或工位标签，请扫描工单或工序二维码。"),
        Lang::En => {
            format!("{code} is a machine or station label: scan a work-order or operation code.")
        }
    }
}

pub fn report_summary(lang: Lang, good: &str, scrap: &str) -> String {
    match lang {
        Lang::ZhCn => format!("良品 {good}，报废 {scrap}"),
        Lang::En => format!("good {good}, scrap {scrap}"),
    }
}

/// A configurable reason's name in the UI language (the other one when that is empty).
pub fn reason_name(lang: Lang, zh: &str, en: &str) -> String {
    let (first, second) = match lang {
        Lang::ZhCn => (zh, en),
        Lang::En => (en, zh),
    };
    if first.trim().is_empty() {
        second
    } else {
        first
    }
    .to_owned()
}

pub fn andon_kind(lang: Lang, kind: mes_api_types::station::AndonKind) -> &'static str {
    use mes_api_types::station::AndonKind::*;
    match (lang, kind) {
        (Lang::ZhCn, Maintenance) => "维修",
        (Lang::ZhCn, Quality) => "质量",
        (Lang::ZhCn, Material) => "物料",
        (Lang::ZhCn, Supervisor) => "班组长",
        (Lang::En, Maintenance) => "Maintenance",
        (Lang::En, Quality) => "Quality",
        (Lang::En, Material) => "Material",
        (Lang::En, Supervisor) => "Supervisor",
    }
}

pub fn minutes(lang: Lang, minutes: i64) -> String {
    match lang {
        Lang::ZhCn => format!("{minutes} 分钟"),
        Lang::En => format!("{minutes} min"),
    }
}

/// A solver time limit: `15 秒` / `15 s`.
pub fn seconds(lang: Lang, seconds: u64) -> String {
    match lang {
        Lang::ZhCn => format!("{seconds} 秒"),
        Lang::En => format!("{seconds} s"),
    }
}

/// A plan by its version: `计划 v3` / `Plan v3`.
pub fn plan_version(lang: Lang, version: i32) -> String {
    match lang {
        Lang::ZhCn => format!("计划 v{version}"),
        Lang::En => format!("Plan v{version}"),
    }
}
