//! The board layout (`/board`): a wall screen at 1920×1080, dark, read from across the hall.
//! Nothing to click; everything on it updates itself, so it never needs a reload.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::{
    components::hooks::{use_document_title, use_now},
    i18n::{Key, use_i18n},
    util,
};

#[component]
pub fn BoardLayout() -> impl IntoView {
    let i18n = use_i18n();
    let now = use_now(Duration::from_secs(1));
    use_document_title(move || format!("{} · MES", i18n.t(Key::BoardTitle)));
    // The page behind the board is dark too, so no light edge shows on odd screen sizes.
    let body = util::document().body();
    if let Some(body) = &body {
        let _ = body.class_list().add_1("board-body");
    }
    on_cleanup(move || {
        if let Some(body) = util::document().body() {
            let _ = body.class_list().remove_1("board-body");
        }
    });
    view! {
        <div class="board">
            <header class="board-header">
                <div class="board-brand">
                    <span class="brand-mark">"MES"</span>
                    <span class="board-title">{i18n.tr(Key::BoardTitle)}</span>
                </div>
                <div class="board-time">
                    <time class="board-clock">{move || util::format_clock(now.get())}</time>
                    <span class="board-date">{move || util::format_long_date(now.get(), i18n.lang())}</span>
                </div>
            </header>
            <main class="board-main">
                <Outlet/>
            </main>
        </div>
    }
}
