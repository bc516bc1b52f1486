//! A modal dialog on the native `<dialog>` element: the browser traps focus, restores it on
//! close, dims the page and closes on Escape. The parent decides whether it exists (`<Show>`);
//! it opens as soon as it is mounted.

use leptos::{html, prelude::*};

use crate::{
    components::icons::{Icon, IconView},
    i18n::{Key, use_i18n},
    util,
};

#[component]
pub fn Modal(
    /// The heading, reactive so it follows the language.
    #[prop(into)]
    title: Signal<String>,
    /// Called when the user dismisses the dialog (close button or Escape).
    #[prop(into)]
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog_ref = NodeRef::<html::Dialog>::new();
    let title_id = util::next_id("dialog-title");
    let labelled_by = title_id.clone();
    Effect::new(move |_| {
        if let Some(dialog) = dialog_ref.get()
            && !dialog.open()
        {
            // Fails only if the element is not connected, in which case there is nothing to show.
            let _ = dialog.show_modal();
        }
    });
    view! {
        <dialog
            node_ref=dialog_ref
            class="modal"
            aria-labelledby=labelled_by
            on:cancel=move |ev: web_sys::Event| {
                ev.prevent_default();
                on_close.run(());
            }
        >
            <div class="modal-header">
                <h2 id=title_id>{move || title.get()}</h2>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=i18n.tr(Key::Close)
                    title=i18n.tr(Key::Close)
                    on:click=move |_| on_close.run(())
                >
                    <IconView icon=Icon::Close/>
                </button>
            </div>
            {children()}
        </dialog>
    }
}
