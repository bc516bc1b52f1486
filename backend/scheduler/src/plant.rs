//! Plant-size instance generator and timings.
use serde_json::{Value, json};

pub(crate) fn plant_bench(seed: u64) -> Value {
    json!({ "seed": seed })
}
