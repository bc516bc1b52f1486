//! Paging for cursor-paginated lists: the API hands out an opaque `next_cursor`; going back
//! means remembering the cursors of the pages already seen.

use leptos::prelude::*;

use crate::i18n::{self, Key, use_i18n};

/// The cursors of the pages visited so far; the last one is the page shown. `None` is page one.
#[derive(Clone, Copy)]
pub struct CursorStack(RwSignal<Vec<Option<String>>>);

impl CursorStack {
    pub fn new() -> Self {
        CursorStack(RwSignal::new(vec![None]))
    }

    /// The cursor of the page shown (tracked).
    pub fn current(self) -> Option<String> {
        self.0.with(|c| c.last().cloned().flatten())
    }

    /// Back to page one (after a filter changed).
    pub fn reset(self) {
        if self.0.with_untracked(|c| c.len() > 1) {
            self.0.set(vec![None]);
        }
    }

    fn page(self) -> usize {
        self.0.with(Vec::len)
    }
}

#[component]
pub fn Pager(
    cursors: CursorStack,
    /// The `next_cursor` of the page shown; `None` on the last page.
    #[prop(into)]
    next_cursor: Signal<Option<String>>,
    #[prop(into)] total: Signal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let has_prev = move || cursors.page() > 1;
    let has_next = move || next_cursor.with(Option::is_some);
    view! {
        <nav class="pager" aria-label=i18n.tr(Key::Pagination)>
            <span class="pager-total">
                {move || total.get().map(|t| i18n::total_count(i18n.lang(), t))}
            </span>
            <button
                type="button"
                class="button"
                disabled=move || !has_prev()
                on:click=move |_| {
                    cursors.0.update(|c| {
                        if c.len() > 1 {
                            c.pop();
                        }
                    })
                }
            >
                {i18n.tr(Key::PreviousPage)}
            </button>
            <span class="pager-page" aria-current="page">
                {move || i18n::page_number(i18n.lang(), cursors.page())}
            </span>
            <button
                type="button"
                class="button"
                disabled=move || !has_next()
                on:click=move |_| {
                    if let Some(next) = next_cursor.get_untracked() {
                        cursors.0.update(|c| c.push(Some(next)));
                    }
                }
            >
                {i18n.tr(Key::NextPage)}
            </button>
        </nav>
    }
}
