//! Building blocks shared by the pages.

pub mod data_exchange;
pub mod dialog;
pub mod errors;
pub mod form;
pub mod hooks;
pub mod icons;
pub mod lang_switch;
pub mod notice;
pub mod pager;
pub mod pickers;

use leptos::prelude::*;

use crate::i18n::{Key, use_i18n};

/// A quiet "loading" line for the first load of a page or panel.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {i18n.tr(Key::Loading)}
        </p>
    }
}
