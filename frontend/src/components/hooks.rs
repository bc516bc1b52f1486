//! Live values for screens that stay open all shift: the clock, the server's health, the network.

use std::time::Duration;

use leptos::{ev, prelude::*, task::spawn_local};
use mes_api_types::system::Health;

use crate::{
    api::{self, FetchError},
    util,
};

/// The current time in milliseconds, ticking every `period`.
pub fn use_now(period: Duration) -> ReadSignal<f64> {
    let (now, set_now) = signal(util::now_ms());
    if let Ok(handle) = set_interval_with_handle(move || set_now.set(util::now_ms()), period) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// The latest answer of `GET /healthz`, polled while the component lives.
#[derive(Clone, Copy)]
pub struct HealthPoll {
    /// The last report the server gave (kept while it is unreachable, to show what was known).
    pub health: RwSignal<Option<Health>>,
    /// Whether the last poll got an answer; `None` before the first one returns.
    pub reachable: RwSignal<Option<bool>>,
    /// When the last successful poll returned (ms).
    pub updated_at: RwSignal<Option<f64>>,
    pub last_error: RwSignal<Option<FetchError>>,
}

impl HealthPoll {
    pub fn check(self) {
        spawn_local(async move {
            match api::health().await {
                Ok(health) => {
                    self.health.set(Some(health));
                    self.reachable.set(Some(true));
                    self.updated_at.set(Some(util::now_ms()));
                    self.last_error.set(None);
                }
                Err(error) => {
                    self.reachable.set(Some(false));
                    self.last_error.set(Some(error));
                }
            }
        });
    }
}

pub fn use_health(period: Duration) -> HealthPoll {
    let poll = HealthPoll {
        health: RwSignal::new(None),
        reachable: RwSignal::new(None),
        updated_at: RwSignal::new(None),
        last_error: RwSignal::new(None),
    };
    poll.check();
    if let Ok(handle) = set_interval_with_handle(move || poll.check(), period) {
        on_cleanup(move || handle.clear());
    }
    poll
}

/// The browser's own idea of being online (the network interface, not the server).
pub fn use_browser_online() -> ReadSignal<bool> {
    let (online, set_online) = signal(util::window().navigator().on_line());
    let on = window_event_listener(ev::online, move |_| set_online.set(true));
    let off = window_event_listener(ev::offline, move |_| set_online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    online
}

/// Keeps the browser tab's title in step with the screen and the language.
pub fn use_document_title(title: impl Fn() -> String + 'static) {
    Effect::new(move |_| util::document().set_title(&title()));
}
