//! Short confirmations ("user created") shown at the top of the page for a few seconds, and
//! announced to screen readers.

use std::time::Duration;

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Notices {
    current: RwSignal<Option<(u64, String)>>,
    counter: StoredValue<u64>,
}

impl Notices {
    /// Shows `text` (already translated) and hides it after a few seconds.
    pub fn success(self, text: String) {
        let id = self.counter.get_value() + 1;
        self.counter.set_value(id);
        self.current.set(Some((id, text)));
        set_timeout(
            move || {
                // Only hide this notice, not a newer one shown meanwhile.
                if self
                    .current
                    .with_untracked(|c| c.as_ref().is_some_and(|(n, _)| *n == id))
                {
                    self.current.set(None);
                }
            },
            Duration::from_secs(5),
        );
    }
}

pub fn provide_notices() {
    provide_context(Notices {
        current: RwSignal::new(None),
        counter: StoredValue::new(0),
    });
}

pub fn use_notices() -> Notices {
    expect_context::<Notices>()
}

/// Where notices appear; one per layout.
#[component]
pub fn NoticeArea() -> impl IntoView {
    let notices = use_notices();
    view! {
        <div class="notice-area" role="status" aria-live="polite">
            {move || {
                notices
                    .current
                    .get()
                    .map(|(_, text)| view! { <div class="notice notice-success">{text}</div> })
            }}
        </div>
    }
}
