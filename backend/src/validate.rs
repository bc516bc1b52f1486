//! Field checks shared by the master-data forms: collect every problem of a request, each with
//! its field path (`operations[2].machines[0].machine_id`), and answer them all at once.

use crate::{
    error::{AppError, AppResult, Detail, Text},
    text,
};

/// Longest code (machines, products, reasons …): what a scanner or ERP export carries.
pub const CODE_MAX: usize = 64;
/// Longest name.
pub const NAME_MAX: usize = 200;
/// Longest description or note.
pub const NOTE_MAX: usize = 2000;

/// The problems found so far in one request.
#[derive(Debug, Default)]
pub struct Errors(Vec<Detail>);

impl Errors {
    pub fn new() -> Errors {
        Errors::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: Text) {
        self.0.push(Detail::field(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was found, else one 400 listing every problem.
    pub fn finish(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }

    /// A code: trimmed, 1 to [`CODE_MAX`] characters, no spaces or control characters inside
    /// (codes are printed as QR codes and typed by scanners). Returns the trimmed code.
    pub fn code(&mut self, field: &str, value: &str) -> String {
        let code = value.trim();
        let n = code.chars().count();
        if n == 0 {
            self.add(field, text!("编码不能为空", "The code must not be empty"));
        } else if n > CODE_MAX {
            self.add(
                field,
                text!(
                    "编码不能超过 {CODE_MAX} 个字符",
                    "The code must be at most {CODE_MAX} characters"
                ),
            );
        } else if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.add(
                field,
                text!(
                    "编码不能包含空格或控制字符",
                    "The code must not contain spaces or control characters"
                ),
            );
        }
        code.to_owned()
    }

    /// A required single-line text, trimmed, at most `max` characters.
    pub fn name(&mut self, field: &str, value: &str, max: usize) -> String {
        let name = value.trim();
        if name.is_empty() {
            self.add(field, text!("不能为空", "Must not be empty"));
        } else if name.chars().count() > max {
            self.add(
                field,
                text!("不能超过 {max} 个字符", "Must be at most {max} characters"),
            );
        } else if name.chars().any(char::is_control) {
            self.add(
                field,
                text!("不能包含控制字符", "Must not contain control characters"),
            );
        }
        name.to_owned()
    }

    /// An optional free text (may be empty, may span lines), trimmed, at most `max` characters.
    pub fn note(&mut self, field: &str, value: &str, max: usize) -> String {
        let note = value.trim();
        if note.chars().count() > max {
            self.add(
                field,
                text!("不能超过 {max} 个字符", "Must be at most {max} characters"),
            );
        }
        note.to_owned()
    }

    /// A finite number ≥ 0 (durations).
    pub fn non_negative(&mut self, field: &str, value: f64) {
        if !value.is_finite() || value < 0.0 {
            self.add(
                field,
                text!("必须是不小于 0 的数", "Must be a number of at least 0"),
            );
        }
    }

    /// A finite number > 0 (quantities).
    pub fn positive(&mut self, field: &str, value: f64) {
        if !value.is_finite() || value <= 0.0 {
            self.add(field, text!("必须大于 0", "Must be greater than 0"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem() {
        let mut e = Errors::new();
        assert_eq!(e.code("code", "  CNC-01 "), "CNC-01");
        assert!(e.is_empty());
        e.code("a", "   ");
        e.code("b", "CNC 01");
        e.code("c", &"x".repeat(CODE_MAX + 1));
        e.name("d", "", NAME_MAX);
        e.note("e", &"y".repeat(NOTE_MAX + 1), NOTE_MAX);
        e.non_negative("f", -1.0);
        e.non_negative("g", f64::NAN);
        e.positive("h", 0.0);
        match e.finish() {
            Err(AppError::Validation(d)) => {
                let fields: Vec<_> = d.iter().filter_map(|d| d.field.as_deref()).collect();
                assert_eq!(fields, ["a", "b", "c", "d", "e", "f", "g", "h"]);
            }
            other => panic!("expected validation errors, got {other:?}"),
        }
    }
}
