//! Small browser helpers: storage, the address, time formatting in plant (browser-local) time.

use std::cell::Cell;

use chrono::{DateTime, Utc};
use mes_api_types::Lang;
use wasm_bindgen::JsValue;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("the app runs in a browser window")
}

pub fn document() -> web_sys::Document {
    window().document().expect("the window has a document")
}

pub fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Removes the "loading" note that index.html shows until the WASM app starts.
pub fn remove_boot_splash() {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
}

/// A query parameter of the current address, read once (outside the router).
pub fn query_param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

pub fn encode_uri_component(s: &str) -> String {
    js_sys::encode_uri_component(s).into()
}

/// Only same-site paths are followed after sign-in, never another origin (`//evil`, `https:`).
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.starts_with("/\\")
                && !next.starts_with("/login") =>
        {
            next
        }
        _ => "/".to_owned(),
    }
}

/// A page-unique id for `for`/`aria-describedby` pairs.
pub fn next_id(prefix: &str) -> String {
    thread_local! {
        static NEXT: Cell<u32> = const { Cell::new(0) };
    }
    let n = NEXT.with(|c| {
        let n = c.get() + 1;
        c.set(n);
        n
    });
    format!("{prefix}-{n}")
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn two(n: u32) -> String {
    format!("{n:02}")
}

fn js_date(ms: f64) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(ms))
}

/// `2026-11-25 14:03:09` in plant time, for tables: unambiguous in every language.
pub fn format_datetime(at: &DateTime<Utc>) -> String {
    let d = js_date(at.timestamp_millis() as f64);
    format!(
        "{}-{}-{} {}:{}:{}",
        d.get_full_year(),
        two(d.get_month() + 1),
        two(d.get_date()),
        two(d.get_hours()),
        two(d.get_minutes()),
        two(d.get_seconds())
    )
}

/// `14:03:09` in plant time.
pub fn format_clock(ms: f64) -> String {
    let d = js_date(ms);
    format!(
        "{}:{}:{}",
        two(d.get_hours()),
        two(d.get_minutes()),
        two(d.get_seconds())
    )
}

/// The date with the weekday, as the language writes it ("2026年11月25日星期三").
pub fn format_long_date(ms: f64, lang: Lang) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [
        ("weekday", "long"),
        ("year", "numeric"),
        ("month", "long"),
        ("day", "numeric"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_date(ms)
        .to_locale_date_string(lang.tag(), &options)
        .into()
}

/// A `<input type="date">` value (`2026-11-25`, plant time) as the RFC 3339 instant at the start
/// of that day, or at the start of the next day when `end_of_day` (an exclusive upper bound).
pub fn date_input_to_rfc3339(value: &str, end_of_day: bool) -> Option<String> {
    let mut parts = value.trim().splitn(3, '-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    // Month is 0-based in JS; the day overflow (day + 1) rolls into the next month as intended.
    let day = if end_of_day { day + 1 } else { day };
    let d = js_sys::Date::new_with_year_month_day(year, month as i32 - 1, day as i32);
    if d.get_time().is_nan() {
        return None;
    }
    Some(d.to_iso_string().into())
}

/// A `<input type="datetime-local">` value (`2026-11-25T16:00`, plant time) as an instant.
pub fn datetime_local_to_utc(value: &str) -> Option<DateTime<Utc>> {
    if value.trim().is_empty() {
        return None;
    }
    // Without a zone, JS reads date-time strings as local time: the plant's.
    let d = js_sys::Date::new(&JsValue::from_str(value.trim()));
    if d.get_time().is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(d.get_time() as i64)
}

/// An instant as a `<input type="datetime-local">` value in plant time.
pub fn utc_to_datetime_local(at: &DateTime<Utc>) -> String {
    let d = js_date(at.timestamp_millis() as f64);
    format!(
        "{}-{}-{}T{}:{}",
        d.get_full_year(),
        two(d.get_month() + 1),
        two(d.get_date()),
        two(d.get_hours()),
        two(d.get_minutes())
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        let next = |s: &str| safe_next(Some(s.to_owned()));
        assert_eq!(next("/users?role=admin"), "/users?role=admin");
        assert_eq!(next("/station/M-01"), "/station/M-01");
        assert_eq!(next("//evil.example/"), "/");
        assert_eq!(next("/\\evil.example"), "/");
        assert_eq!(next("https://evil.example/"), "/");
        assert_eq!(next("/login?next=/"), "/");
        assert_eq!(safe_next(None), "/");
    }
}
