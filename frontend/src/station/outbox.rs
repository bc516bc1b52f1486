//! The tablet's outbox: every station write (start, pause, report, complete, andon) is first
//! stored on the device with an idempotency key made here, then sent. When Wi-Fi drops, writes
//! stay queued in `localStorage` (so a reload or a flat battery loses nothing) and are replayed
//! in order when the server answers again; the server applies each key once, so a write whose
//! answer was lost in transit is not counted twice. A write the server refuses for good (the
//! order was cancelled meanwhile) is kept in a list the operator must acknowledge: nothing is
//! dropped silently.

use std::time::Duration;

use leptos::{ev, prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};

use crate::{
    api::{Call, FetchError},
    util,
};

const PENDING_KEY: &str = "mes.station.outbox";
const REJECTED_KEY: &str = "mes.station.rejected";
/// How often a non-empty outbox retries while the server does not answer.
const RETRY_EVERY: Duration = Duration::from_secs(4);

/// A write waiting to be applied by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingWrite {
    /// Sent as `Idempotency-Key`; the same on every retry.
    pub key: String,
    pub path: String,
    /// The JSON body, serialised once so that every retry sends exactly the same bytes.
    pub body: String,
    /// What the operator did, for the pending list ("报工 WO-0001 / 20").
    pub label: String,
    /// Milliseconds since the epoch, on the tablet's clock.
    pub queued_at: f64,
}

/// A write the server refused: shown until the operator acknowledges it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedWrite {
    pub key: String,
    pub label: String,
    pub message: String,
    pub at: f64,
}

/// Why queued writes are waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// No answer from the server (network down, server restarting).
    Offline,
    /// The station session ended (401): an operator must sign in again, then they are sent.
    SignIn,
    /// The server answered 5xx or 429: it retries.
    Server,
}

/// What became of a submitted write.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Applied: the server's JSON answer.
    Applied(String),
    /// Stored on the tablet; it is sent when the server answers again.
    Queued,
    /// Refused for good, with the server's message (also kept in the rejected list).
    Rejected(String),
}

#[derive(Clone, Copy)]
pub struct Outbox {
    pending: RwSignal<Vec<PendingWrite>>,
    rejected: RwSignal<Vec<RejectedWrite>>,
    waiting: RwSignal<Option<Waiting>>,
    /// Counts writes applied; views refetch when it changes.
    applied: RwSignal<u64>,
    sending: StoredValue<bool>,
}

pub fn provide_outbox() -> Outbox {
    let outbox = Outbox {
        pending: RwSignal::new(load(PENDING_KEY)),
        rejected: RwSignal::new(load(REJECTED_KEY)),
        waiting: RwSignal::new(None),
        applied: RwSignal::new(0),
        sending: StoredValue::new(false),
    };
    provide_context(outbox);
    // Replay at once when the browser says the network is back, and keep trying meanwhile
    // (Wi-Fi can be up while the server is not).
    let online = window_event_listener(ev::online, move |_| outbox.flush());
    on_cleanup(move || online.remove());
    if let Ok(retry) = set_interval_with_handle(
        move || {
            if !outbox.pending.with_untracked(Vec::is_empty) {
                outbox.flush();
            }
        },
        RETRY_EVERY,
    ) {
        on_cleanup(move || retry.clear());
    }
    outbox.flush();
    outbox
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

impl Outbox {
    pub fn pending_count(self) -> usize {
        self.pending.with(Vec::len)
    }

    pub fn pending(self) -> Vec<PendingWrite> {
        self.pending.get()
    }

    pub fn rejected(self) -> Vec<RejectedWrite> {
        self.rejected.get()
    }

    pub fn waiting(self) -> Option<Waiting> {
        self.waiting.get()
    }

    /// Changes whenever the server applied a write (tracked).
    pub fn applied(self) -> u64 {
        self.applied.get()
    }

    /// The operator has read a refusal.
    pub fn dismiss(self, key: &str) {
        self.rejected.update(|r| r.retain(|w| w.key != key));
        save(REJECTED_KEY, &self.rejected.get_untracked());
    }

    /// Stores the write, then sends what is queued, in order. The write is on the device
    /// before the first byte goes out, so a reload mid-request cannot lose it.
    pub async fn submit(self, path: String, body: String, label: String) -> Outcome {
        let key = new_key();
        let write = PendingWrite {
            key: key.clone(),
            path,
            body,
            label,
            queued_at: js_sys::Date::now(),
        };
        self.pending.update(|p| p.push(write));
        save(PENDING_KEY, &self.pending.get_untracked());
        self.send_queued(Some(&key))
            .await
            .unwrap_or(Outcome::Queued)
    }

    /// Sends what is queued, in the background.
    pub fn flush(self) {
        spawn_local(async move {
            self.send_queued(None).await;
        });
    }

    /// Sends queued writes oldest first until the queue is empty or the server stops answering.
    /// Returns what became of `wanted` if it was sent in this pass.
    async fn send_queued(self, wanted: Option<&str>) -> Option<Outcome> {
        if self.sending.get_value() {
            return None;
        }
        self.sending.set_value(true);
        let mut outcome = None;
        while let Some(write) = self.pending.with_untracked(|p| p.first().cloned()) {
            let result = Call::post(write.path.clone())
                .header("Idempotency-Key", write.key.clone())
                .json_text(write.body.clone())
                .send()
                .await;
            let done = match result {
                Ok(response) => {
                    let body = response.text().await.unwrap_or_default();
                    self.applied.update(|n| *n += 1);
                    Outcome::Applied(body)
                }
                Err(FetchError::Network(_)) => {
                    self.waiting.set(Some(Waiting::Offline));
                    break;
                }
                Err(FetchError::Api { status: 401, .. }) => {
                    self.waiting.set(Some(Waiting::SignIn));
                    break;
                }
                Err(FetchError::Api { status, .. }) if status == 429 || status >= 500 => {
                    self.waiting.set(Some(Waiting::Server));
                    break;
                }
                Err(error) => {
                    let message = error
                        .server_message()
                        .map(str::to_owned)
                        .unwrap_or_else(|| error.to_string());
                    self.rejected.update(|r| {
                        r.push(RejectedWrite {
                            key: write.key.clone(),
                            label: write.label.clone(),
                            message: message.clone(),
                            at: js_sys::Date::now(),
                        })
                    });
                    save(REJECTED_KEY, &self.rejected.get_untracked());
                    Outcome::Rejected(message)
                }
            };
            self.pending.update(|p| p.retain(|w| w.key != write.key));
            save(PENDING_KEY, &self.pending.get_untracked());
            self.waiting.set(None);
            if wanted == Some(write.key.as_str()) {
                outcome = Some(done);
            }
        }
        self.sending.set_value(false);
        outcome
    }
}

/// A random version-4 UUID. `crypto.randomUUID` exists only on HTTPS pages, and plant tablets
/// often reach `mes` over plain HTTP on the LAN; `getRandomValues` works on both.
fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto at all (very old browser): time and Math.random still make clashes
        // practically impossible within one tablet's queue.
        let seed = js_sys::Date::now().to_bits();
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = ((seed >> ((i % 8) * 8)) as u8) ^ ((js_sys::Math::random() * 256.0) as u8);
        }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn load<T: for<'de> Deserialize<'de>>(key: &str) -> Vec<T> {
    util::local_storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save<T: Serialize>(key: &str, items: &[T]) {
    if let (Some(storage), Ok(text)) = (util::local_storage(), serde_json::to_string(items)) {
        // A full storage is the one case a write cannot be kept; the send below still tries.
        let _ = storage.set_item(key, &text);
    }
}
