//! The language switch: each language named in itself, so anyone can find their own.

use leptos::prelude::*;
use mes_api_types::Lang;

use crate::{
    i18n::{self, Key, use_i18n},
    session::use_session,
};

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <div class="lang-switch" role="group" aria-label=i18n.tr(Key::Language)>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <button
                            type="button"
                            lang=lang.tag()
                            aria-pressed=move || (i18n.lang() == lang).to_string()
                            on:click=move |_| {
                                if i18n.lang_untracked() != lang {
                                    session.change_language(lang);
                                }
                            }
                        >
                            {i18n::endonym(lang)}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
