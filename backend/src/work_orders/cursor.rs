//! The work-order list's keyset cursor: the sort, the last row's sort key and id, and the total
//! counted on the first page. Opaque to clients (URL-safe base64 of a small JSON array).
//!
//! Every sort is total: `due_at, id`; `number` (unique); `priority, due_at, id`;
//! `created_at, id`; `status, due_at, id`; `quantity, id`. The next page starts strictly after
//! the cursor's key, so rows inserted or changed meanwhile never make a page skip or repeat
//! a row that stayed where it was.
//!
//! Counting every match is a full pass over the filter. It is done for the first page only and
//! carried in the cursor, so page 2,000 costs what page 2 costs; a cursor used with another
//! filter (see [`fingerprint`]) is counted afresh.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDateTime};
use mes_api_types::{SortDir, work_orders::WorkOrderSort};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::models::WorkOrderRow;

/// The value of the sort's first column.
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    Time(NaiveDateTime),
    Text(String),
    Int(i32),
    Float(f64),
}

/// Where a page ends, in sort order.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyset {
    pub value: SortValue,
    /// The due date, the tie-breaker of the priority and status sorts.
    pub due_at: Option<NaiveDateTime>,
    /// The final tie-breaker (not needed for `number`, which is unique).
    pub id: i64,
}

impl Keyset {
    pub fn of(sort: WorkOrderSort, row: &WorkOrderRow) -> Keyset {
        let (value, due_at) = match sort {
            WorkOrderSort::DueAt => (SortValue::Time(row.due_at), None),
            WorkOrderSort::Number => (SortValue::Text(row.number.clone()), None),
            WorkOrderSort::Priority => (SortValue::Int(row.priority), Some(row.due_at)),
            WorkOrderSort::CreatedAt => (SortValue::Time(row.created_at), None),
            WorkOrderSort::Status => (SortValue::Text(row.status.clone()), Some(row.due_at)),
            WorkOrderSort::Quantity => (SortValue::Float(row.quantity), None),
        };
        Keyset {
            value,
            due_at,
            id: row.id,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub sort: WorkOrderSort,
    pub dir: SortDir,
    pub after: Keyset,
    /// Matches counted on the first page.
    pub total: i64,
    /// [`fingerprint`] of the filter the total was counted for.
    pub filter: String,
}

fn micros(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

fn from_micros(v: &Value) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_micros(v.as_i64()?).map(|t| t.naive_utc())
}

impl Cursor {
    pub fn encode(&self) -> String {
        let value = match &self.after.value {
            SortValue::Time(t) => json!(micros(*t)),
            SortValue::Text(s) => json!(s),
            SortValue::Int(i) => json!(i),
            // The bits: a decimal float may not parse back to the very same value.
            SortValue::Float(f) => json!(f.to_bits()),
        };
        let wire = json!([
            self.sort.as_str(),
            self.dir.as_str(),
            value,
            self.after.due_at.map(micros),
            self.after.id,
            self.total,
            self.filter,
        ]);
        URL_SAFE_NO_PAD.encode(wire.to_string())
    }

    /// `None` for anything that is not a cursor this server made.
    pub fn decode(text: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim().as_bytes()).ok()?;
        let wire: Vec<Value> = serde_json::from_slice(&bytes).ok()?;
        let [sort, dir, value, due_at, id, total, filter] = wire.as_slice() else {
            return None;
        };
        let sort = WorkOrderSort::parse(sort.as_str()?)?;
        let dir = match dir.as_str()? {
            "asc" => SortDir::Asc,
            "desc" => SortDir::Desc,
            _ => return None,
        };
        let value = match sort {
            WorkOrderSort::DueAt | WorkOrderSort::CreatedAt => SortValue::Time(from_micros(value)?),
            WorkOrderSort::Number | WorkOrderSort::Status => {
                SortValue::Text(value.as_str()?.to_owned())
            }
            WorkOrderSort::Priority => SortValue::Int(i32::try_from(value.as_i64()?).ok()?),
            WorkOrderSort::Quantity => {
                let q = f64::from_bits(value.as_u64()?);
                if !q.is_finite() {
                    return None;
                }
                SortValue::Float(q)
            }
        };
        let due_at = match sort {
            WorkOrderSort::Priority | WorkOrderSort::Status => Some(from_micros(due_at)?),
            _ => None,
        };
        Some(Cursor {
            sort,
            dir,
            after: Keyset {
                value,
                due_at,
                id: id.as_i64()?,
            },
            total: total.as_i64().filter(|t| *t >= 0)?,
            filter: filter.as_str()?.to_owned(),
        })
    }
}

/// A short digest of a filter's canonical text: tells whether a cursor's total still applies.
pub fn fingerprint(canonical: &str) -> String {
    let digest = Sha256::digest(canonical.as_bytes());
    hex::encode(&digest[..6])
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_micro_opt(h, 30, 0, 123_456))
            .expect("valid time")
    }

    #[test]
    fn cursors_round_trip_for_every_sort() {
        let values = [
            (WorkOrderSort::DueAt, SortValue::Time(at(8)), None),
            (
                WorkOrderSort::Number,
                SortValue::Text("WO-000042".into()),
                None,
            ),
            (WorkOrderSort::Priority, SortValue::Int(2), Some(at(9))),
            (WorkOrderSort::CreatedAt, SortValue::Time(at(10)), None),
            (
                WorkOrderSort::Status,
                SortValue::Text("in_progress".into()),
                Some(at(11)),
            ),
            (WorkOrderSort::Quantity, SortValue::Float(12.75), None),
            (WorkOrderSort::Quantity, SortValue::Float(0.1 + 0.2), None),
        ];
        for (sort, value, due_at) in values {
            for dir in [SortDir::Asc, SortDir::Desc] {
                let cursor = Cursor {
                    sort,
                    dir,
                    after: Keyset {
                        value: value.clone(),
                        due_at,
                        id: 77,
                    },
                    total: 1234,
                    filter: fingerprint("status=released"),
                };
                let text = cursor.encode();
                assert!(
                    text.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                    "{text} is URL-safe"
                );
                assert_eq!(Cursor::decode(&text), Some(cursor));
            }
        }
    }

    #[test]
    fn garbage_is_not_a_cursor() {
        for bad in ["", "42", "!!!", "W10", &URL_SAFE_NO_PAD.encode("[1,2,3]")] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
        // A status sort without its due-date tie-breaker.
        let wire = json!(["status", "asc", "draft", null, 1, 0, "x"]).to_string();
        assert_eq!(Cursor::decode(&URL_SAFE_NO_PAD.encode(wire)), None);
        let negative = json!(["number", "asc", "A", null, 1, -5, "x"]).to_string();
        assert_eq!(Cursor::decode(&URL_SAFE_NO_PAD.encode(negative)), None);
        let nan = json!(["quantity", "asc", f64::NAN.to_bits(), null, 1, 5, "x"]).to_string();
        assert_eq!(Cursor::decode(&URL_SAFE_NO_PAD.encode(nan)), None);
    }
}
