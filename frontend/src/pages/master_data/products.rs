//! The product list: raw materials, semi-finished and finished products.

use leptos::prelude::*;
use leptos_router::components::A;
use mes_api_types::{
    import::ImportKind,
    master_data::{Product, ProductInput, ProductKind},
};

use crate::{
    api::{self, FetchError, ListQuery},
    components::{
        Loading,
        data_exchange::{ExportButtons, ExportKind, ImportButton},
        dialog::Modal,
        errors::{ErrorAlert, error_list},
        form::{
            CheckboxField, FieldErrors, FormButtons, Msg, TextAreaField, TextField, field_error,
            show_save_error,
        },
        icons::{Icon, IconView},
        notice::use_notices,
        pager::CursorStack,
        pickers::SearchBox,
    },
    i18n::{self, Key, use_i18n},
    pages::master_data::{ActiveCell, EditButton, ListPager, PAGE_SIZE, can_edit_master_data},
};

const PRODUCT_FIELDS: [&str; 6] = ["code", "name", "unit", "kind", "description", "active"];

pub fn kind_key(kind: ProductKind) -> Key {
    match kind {
        ProductKind::Raw => Key::KindRaw,
        ProductKind::Semi => Key::KindSemi,
        ProductKind::Finished => Key::KindFinished,
    }
}

#[component]
pub fn ProductsTab() -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = can_edit_master_data();
    let search = RwSignal::new(String::new());
    let kind = RwSignal::new(None::<ProductKind>);
    let cursors = CursorStack::new();
    let editing = RwSignal::new(None::<Option<Product>>);
    let list = LocalResource::new(move || {
        let query = ListQuery {
            q: search.get(),
            limit: PAGE_SIZE,
            cursor: cursors.current(),
        };
        let kind = kind.get();
        async move { api::list_products(&query, kind).await }
    });
    let filter = Signal::derive(move || {
        let mut f = Vec::new();
        let q = search.get();
        if !q.trim().is_empty() {
            f.push(("q", q.trim().to_owned()));
        }
        if let Some(k) = kind.get() {
            f.push(("kind", k.as_str().to_owned()));
        }
        f
    });
    view! {
        <div class="toolbar">
            <SearchBox value=search placeholder=Key::CodeOrNameSearch on_change=move || cursors.reset()/>
            <div class="field inline">
                <label for="product-kind">{i18n.tr(Key::ProductKind)}</label>
                <select id="product-kind" on:change=move |ev| { kind.set(ProductKind::parse(&event_target_value(&ev))); cursors.reset(); }>
                    <option value="" selected=move || kind.get().is_none()>{i18n.tr(Key::AllKinds)}</option>
                    {ProductKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == Some(k)>{i18n.tr(kind_key(k))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="toolbar-buttons">
                <ExportButtons kind=ExportKind::Products filter=filter/>
                <Show when=move || can_edit.get()>
                    <ImportButton kind=ImportKind::Products on_done=move || list.refetch()/>
                    <button type="button" class="button primary" on:click=move |_| editing.set(Some(None))>
                        <IconView icon=Icon::Plus/>
                        {i18n.tr(Key::NewProduct)}
                    </button>
                </Show>
            </div>
        </div>
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=error_list>
                {move || Suspend::new(async move {
                    list.await.map(|page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">{i18n.tr(Key::NothingFound)}</p> }.into_any();
                        }
                        view! {
                            <div class="table-wrap">
                                <table class="table products">
                                    <thead>
                                        <tr>
                                            <th scope="col">{i18n.tr(Key::Code)}</th>
                                            <th scope="col">{i18n.tr(Key::Name)}</th>
                                            <th scope="col">{i18n.tr(Key::ProductKind)}</th>
                                            <th scope="col">{i18n.tr(Key::Unit)}</th>
                                            <th scope="col">{i18n.tr(Key::ActiveRouting)}</th>
                                            <th scope="col">{i18n.tr(Key::ActiveBom)}</th>
                                            <th scope="col">{i18n.tr(Key::Status)}</th>
                                            <th scope="col" class="actions"><span class="visually-hidden">{i18n.tr(Key::Actions)}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|p| {
                                            let code = p.code.clone();
                                            let row = p.clone();
                                            let version = |v: Option<i32>| v.map(|v| format!("v{v}")).unwrap_or_else(|| "—".into());
                                            view! {
                                                <tr class:inactive=!p.active>
                                                    <td class="mono"><A href=format!("/master-data/products/{}", p.id)>{p.code.clone()}</A></td>
                                                    <td>{p.name.clone()}</td>
                                                    <td><span class=format!("badge kind-{}", p.kind.as_str())>{i18n.tr(kind_key(p.kind))}</span></td>
                                                    <td>{p.unit.clone()}</td>
                                                    <td>{version(p.active_routing_version)}</td>
                                                    <td>{version(p.active_bom_version)}</td>
                                                    <td><ActiveCell active=p.active/></td>
                                                    <td class="actions">
                                                        <Show when=move || can_edit.get()>
                                                            <EditButton label=code.clone() on_click={
                                                                let row = row.clone();
                                                                move || editing.set(Some(Some(row.clone())))
                                                            }/>
                                                        </Show>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
        <ListPager cursors=cursors page=list/>
        {move || editing.get().map(|existing| view! {
            <ProductDialog
                existing=existing
                on_close=move || editing.set(None)
                on_saved=move |_: Product| { editing.set(None); list.refetch(); }
            />
        })}
    }
}

#[component]
pub fn ProductDialog(
    existing: Option<Product>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<Product>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let e = existing.as_ref();
    let id = e.map(|p| p.id);
    let code = RwSignal::new(e.map(|p| p.code.clone()).unwrap_or_default());
    let name = RwSignal::new(e.map(|p| p.name.clone()).unwrap_or_default());
    let unit = RwSignal::new(
        e.map(|p| p.unit.clone())
            .unwrap_or_else(|| "pcs".to_owned()),
    );
    let kind = RwSignal::new(e.map(|p| p.kind).unwrap_or(ProductKind::Finished));
    let description = RwSignal::new(e.map(|p| p.description.clone()).unwrap_or_default());
    let active = RwSignal::new(e.is_none_or(|p| p.active));
    let errors = RwSignal::new(FieldErrors::default());
    let alert = RwSignal::new(None::<FetchError>);
    let save = Action::new_local(move |input: &ProductInput| {
        let input = input.clone();
        async move { api::save_product(id, &input).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            notices.success(i18n::saved_record(i18n.lang_untracked(), &saved.code));
            on_saved.run(saved);
        }
        Some(Err(error)) => show_save_error(error, errors, alert, &PRODUCT_FIELDS),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        for (field, value) in [("code", code), ("name", name), ("unit", unit)] {
            if value.with_untracked(|v| v.trim().is_empty()) {
                e.add(field, Msg::Key(Key::Required));
            }
        }
        errors.set(e.clone());
        alert.set(None);
        if e.is_empty() {
            save.dispatch_local(ProductInput {
                code: code.get_untracked().trim().to_owned(),
                name: name.get_untracked().trim().to_owned(),
                unit: unit.get_untracked().trim().to_owned(),
                kind: kind.get_untracked(),
                description: description.get_untracked().trim().to_owned(),
                active: active.get_untracked(),
            });
        }
    };
    let title = Signal::derive(move || {
        i18n.t(if id.is_some() {
            Key::EditProduct
        } else {
            Key::NewProduct
        })
        .to_owned()
    });
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=alert/>
                <div class="form-grid">
                    <TextField label=Key::Code value=code required=true autofocus=true maxlength=64 error=field_error(errors, "code")/>
                    <TextField label=Key::Name value=name required=true maxlength=200 error=field_error(errors, "name")/>
                    <div class="field" class:invalid=move || field_error(errors, "kind").with(Option::is_some)>
                        <label for="product-form-kind">{i18n.tr(Key::ProductKind)}</label>
                        <select id="product-form-kind" on:change=move |ev| {
                            if let Some(k) = ProductKind::parse(&event_target_value(&ev)) { kind.set(k) }
                        }>
                            {ProductKind::ALL.into_iter().map(|k| view! {
                                <option value=k.as_str() selected=move || kind.get() == k>{i18n.tr(kind_key(k))}</option>
                            }).collect_view()}
                        </select>
                        <p class="field-error">{move || field_error(errors, "kind").get().map(|m| m.render(i18n.lang()))}</p>
                    </div>
                    <TextField label=Key::Unit value=unit required=true maxlength=16 hint=Key::UnitHint error=field_error(errors, "unit")/>
                    <CheckboxField label=Key::Active value=active/>
                </div>
                <TextAreaField label=Key::Description value=description error=field_error(errors, "description")/>
                <FormButtons pending=save.pending() on_cancel=on_close submit=Key::Save/>
            </form>
        </Modal>
    }
}
