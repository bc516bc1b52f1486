//! The operators' tablet at a machine (`/station/{machine-code}`): who is signed in, the
//! machine's queue, one operation's screen with its actions, andon calls, and the outbox that
//! keeps every write safe while the network is gone.

pub mod andon;
pub mod api;
pub mod operation;
pub mod outbox;
pub mod queue;

use leptos::prelude::*;
use mes_api_types::{
    UserId,
    station::{StationMachine, StationSession},
};
use serde::{Serialize, de::DeserializeOwned};

use crate::util;

/// The station this tablet is, for the station's pages.
#[derive(Clone, Copy)]
pub struct StationContext {
    /// As in the address: a machine code (or a station code).
    pub code: Memo<String>,
    pub session: RwSignal<Option<StationSession>>,
    /// The operator the next action is recorded for (tap a name to switch).
    pub acting: RwSignal<Option<UserId>>,
}

impl StationContext {
    /// The station's own code for the API (the session knows it; before that, the address).
    pub fn station_code(self) -> String {
        self.session
            .with(|s| s.as_ref().map(|s| s.station_code.clone()))
            .unwrap_or_else(|| self.code.get())
    }

    /// The machine this tablet works at: the one named in the address, else the station's first.
    pub fn machine(self) -> Option<StationMachine> {
        let code = self.code.get();
        self.session.with(|s| {
            s.as_ref().and_then(|s| {
                s.machines
                    .iter()
                    .find(|m| m.code.eq_ignore_ascii_case(&code))
                    .or_else(|| s.machines.first())
                    .cloned()
            })
        })
    }

    /// Who acts: the chosen operator while signed in, else the first signed in.
    pub fn operator_id(self) -> Option<UserId> {
        let chosen = self.acting.get_untracked();
        self.session.with_untracked(|s| {
            let operators = s
                .as_ref()
                .map(|s| s.operators.as_slice())
                .unwrap_or_default();
            operators
                .iter()
                .find(|o| Some(o.user_id) == chosen)
                .or_else(|| operators.first())
                .map(|o| o.user_id)
        })
    }
}

pub fn use_station() -> StationContext {
    expect_context::<StationContext>()
}

/// The last good answer for `key`, so that a tablet that reloads offline still shows its work.
pub fn cached<T: DeserializeOwned>(key: &str) -> Option<T> {
    util::local_storage()
        .and_then(|s| {
            s.get_item(&format!("mes.station.cache.{key}"))
                .ok()
                .flatten()
        })
        .and_then(|text| serde_json::from_str(&text).ok())
}

pub fn cache<T: Serialize>(key: &str, value: &T) {
    if let (Some(storage), Ok(text)) = (util::local_storage(), serde_json::to_string(value)) {
        let _ = storage.set_item(&format!("mes.station.cache.{key}"), &text);
    }
}

pub fn forget(key: &str) {
    if let Some(storage) = util::local_storage() {
        let _ = storage.remove_item(&format!("mes.station.cache.{key}"));
    }
}

/// A quantity as operators read it: no trailing zeros.
pub fn qty(value: f64) -> String {
    if value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::qty;

    #[test]
    fn quantities_drop_trailing_zeros() {
        assert_eq!(qty(12.0), "12");
        assert_eq!(qty(2.5), "2.5");
        assert_eq!(qty(0.125), "0.125");
        assert_eq!(qty(1.10), "1.1");
    }
}
