//! SQL helpers both backends share.

use diesel::sql_types::Text;

diesel::define_sql_function! {
    /// `lower(text)`: case-insensitive search that behaves the same on SQLite and PostgreSQL.
    fn lower(x: Text) -> Text;
}

/// A `LIKE` pattern matching `needle` anywhere, with `%`, `_` and `\` in it taken literally
/// (use with `.escape('\\')`). Lower-cased for use against `lower(column)`.
pub fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for ch in needle.trim().to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}
