//! Choosing master data in forms: a product by search (there may be thousands), work centres
//! and calendars from a short list.

use std::time::Duration;

use leptos::{ev, prelude::*};
use mes_api_types::{
    CalendarId, ProductId, WorkCenterId,
    master_data::{Calendar, Product, WorkCenter},
};

use crate::{
    api::{self, ListQuery},
    components::{
        form::Msg,
        icons::{Icon, IconView},
    },
    i18n::{Key, use_i18n},
    util,
};

/// Plants have few work centres and calendars: one page holds them all.
const SHORT_LIST: u32 = 500;
const PRODUCT_MATCHES: u32 = 12;

/// The product a form refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductChoice {
    pub id: ProductId,
    pub code: String,
    pub name: String,
    pub unit: String,
}

impl From<&Product> for ProductChoice {
    fn from(p: &Product) -> Self {
        ProductChoice {
            id: p.id,
            code: p.code.clone(),
            name: p.name.clone(),
            unit: p.unit.clone(),
        }
    }
}

/// A search field with suggestions (code and name); typing a code exactly, or picking a
/// suggestion, chooses the product.
#[component]
pub fn ProductPicker(
    label: Key,
    selected: RwSignal<Option<ProductChoice>>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] error: MaybeProp<Msg>,
    /// Shown inline in a toolbar (no error line).
    #[prop(optional)]
    inline: bool,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = util::next_id("product");
    let list_id = format!("{id}-options");
    let input_ref = NodeRef::<leptos::html::Input>::new();
    if autofocus {
        Effect::new(move |_| {
            if let Some(input) = input_ref.get() {
                let _ = input.focus();
            }
        });
    }
    let text = RwSignal::new(selected.get_untracked().map(|p| p.code).unwrap_or_default());
    // Keep the text in step when the choice is set from outside (a link restoring a filter).
    Effect::new(move |_| {
        if let Some(p) = selected.get()
            && text.get_untracked() != p.code
        {
            text.set(p.code);
        }
    });
    let search = RwSignal::new(String::new());
    let matches = LocalResource::new(move || {
        let q = search.get();
        async move {
            if q.trim().is_empty() {
                return Vec::new();
            }
            let query = ListQuery {
                q,
                limit: PRODUCT_MATCHES,
                cursor: None,
            };
            api::list_products(&query, None)
                .await
                .map(|page| page.items)
                .unwrap_or_default()
        }
    });
    let choose_exact = move |value: &str| {
        let found = matches.with_untracked(|m| {
            m.as_ref()
                .and_then(|m| m.iter().find(|p| p.code.eq_ignore_ascii_case(value.trim())))
                .map(ProductChoice::from)
        });
        if found.is_some() || value.trim().is_empty() {
            selected.set(found);
        } else if selected.with_untracked(|s| s.as_ref().is_some_and(|s| s.code != value)) {
            selected.set(None);
        }
    };
    // Once the suggestions for the typed text arrive, an exact code match chooses it.
    Effect::new(move |_| {
        if matches.get().is_some() {
            choose_exact(&text.get_untracked());
        }
    });
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        choose_exact(&value);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || search.set(text.get_untracked()),
            Duration::from_millis(200),
        );
        pending.set_value(handle.ok());
    };
    let has_error = move || error.with(|e| e.is_some());
    view! {
        <div class="field" class:inline=inline class:invalid=has_error>
            <label for=id.clone()>
                {i18n.tr(label)}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <input
                node_ref=input_ref
                id=id
                type="search"
                list=list_id.clone()
                autocomplete="off"
                placeholder=i18n.tr(Key::ProductSearchPlaceholder)
                aria-invalid=move || has_error().then_some("true")
                prop:value=move || text.get()
                on:input=on_input
            />
            <datalist id=list_id>
                {move || {
                    matches
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|p| view! { <option value=p.code.clone()>{p.name.clone()}</option> })
                        .collect_view()
                }}
            </datalist>
            <p class="field-hint chosen">
                {move || selected.get().map(|p| format!("{} · {} ({})", p.code, p.name, p.unit))}
            </p>
            {(!inline)
                .then(|| {
                    view! {
                        <p class="field-error" aria-live="polite">
                            {move || error.get().map(|m| m.render(i18n.lang()))}
                        </p>
                    }
                })}
        </div>
    }
}

/// Every work centre, for selects.
pub fn use_work_centers() -> LocalResource<Vec<WorkCenter>> {
    LocalResource::new(|| async {
        let query = ListQuery {
            limit: SHORT_LIST,
            ..Default::default()
        };
        api::list_work_centers(&query)
            .await
            .map(|p| p.items)
            .unwrap_or_default()
    })
}

/// Every calendar, for selects.
pub fn use_calendars() -> LocalResource<Vec<Calendar>> {
    LocalResource::new(|| async {
        let query = ListQuery {
            limit: SHORT_LIST,
            ..Default::default()
        };
        api::list_calendars(&query)
            .await
            .map(|p| p.items)
            .unwrap_or_default()
    })
}

#[component]
pub fn WorkCenterSelect(
    label: Key,
    value: RwSignal<Option<WorkCenterId>>,
    work_centers: LocalResource<Vec<WorkCenter>>,
    #[prop(optional)] required: bool,
    /// Label of the empty choice; without it there is none.
    #[prop(optional)]
    empty: Option<Key>,
    #[prop(optional, into)] error: MaybeProp<Msg>,
    #[prop(optional)] inline: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = util::next_id("work-center");
    view! {
        <div class="field" class:inline=inline class:invalid=move || error.with(|e| e.is_some())>
            <label for=id.clone()>
                {i18n.tr(label)}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <select
                id=id
                on:change=move |ev| {
                    value.set(event_target_value(&ev).parse().ok().map(WorkCenterId))
                }
            >
                <option value="" selected=move || value.get().is_none() disabled=empty.is_none()>
                    {move || empty.map(|k| i18n.t(k)).unwrap_or(i18n.t(Key::ChooseOne))}
                </option>
                {move || {
                    work_centers
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|wc| {
                            let wc_id = wc.id;
                            view! {
                                <option
                                    value=wc_id.0.to_string()
                                    selected=move || value.get() == Some(wc_id)
                                >
                                    {format!("{} · {}", wc.code, wc.name)}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            {(!inline)
                .then(|| {
                    view! {
                        <p class="field-error" aria-live="polite">
                            {move || error.get().map(|m| m.render(i18n.lang()))}
                        </p>
                    }
                })}
        </div>
    }
}

#[component]
pub fn CalendarSelect(
    label: Key,
    value: RwSignal<Option<CalendarId>>,
    /// What "no calendar" means here (the work centre's, or always available).
    empty: Key,
    #[prop(optional, into)] error: MaybeProp<Msg>,
) -> impl IntoView {
    let i18n = use_i18n();
    let calendars = use_calendars();
    let id = util::next_id("calendar");
    view! {
        <div class="field" class:invalid=move || error.with(|e| e.is_some())>
            <label for=id.clone()>{i18n.tr(label)}</label>
            <select
                id=id
                on:change=move |ev| value.set(event_target_value(&ev).parse().ok().map(CalendarId))
            >
                <option value="" selected=move || value.get().is_none()>
                    {i18n.tr(empty)}
                </option>
                {move || {
                    calendars
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|c| {
                            let c_id = c.id;
                            view! {
                                <option
                                    value=c_id.0.to_string()
                                    selected=move || value.get() == Some(c_id)
                                >
                                    {format!("{} · {}", c.code, c.name)}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <p class="field-error" aria-live="polite">
                {move || error.get().map(|m| m.render(i18n.lang()))}
            </p>
        </div>
    }
}

/// A search box that applies what was typed once the user pauses.
#[component]
pub fn SearchBox(
    /// The applied search text.
    value: RwSignal<String>,
    placeholder: Key,
    /// Called with each applied change (to reset paging).
    #[prop(optional, into)]
    on_change: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = util::next_id("search");
    let text = RwSignal::new(value.get_untracked());
    Effect::new(move |_| {
        let applied = value.get();
        if text.get_untracked().trim() != applied.trim() {
            text.set(applied);
        }
    });
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: ev::Event| {
        text.set(event_target_value(&ev));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                value.set(text.get_untracked());
                if let Some(cb) = on_change {
                    cb.run(());
                }
            },
            Duration::from_millis(300),
        );
        pending.set_value(handle.ok());
    };
    view! {
        <div class="field inline grow">
            <label for=id.clone()>{i18n.tr(Key::Search)}</label>
            <div class="input-with-icon">
                <IconView icon=Icon::Search/>
                <input
                    id=id
                    type="search"
                    placeholder=i18n.tr(placeholder)
                    prop:value=move || text.get()
                    on:input=on_input
                />
            </div>
        </div>
    }
}
