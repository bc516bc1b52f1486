//! Defect reasons (scrap, rework) and downtime reasons, each named in Chinese and English.

use leptos::prelude::*;
use mes_api_types::master_data::{Reason, ReasonInput};

use crate::{
    api::{self, FetchError, ListQuery, ReasonList},
    components::{
        Loading,
        dialog::Modal,
        errors::{ErrorAlert, error_list},
        form::{
            CheckboxField, FieldErrors, FormButtons, Msg, TextField, field_error, show_save_error,
        },
        icons::{Icon, IconView},
        notice::use_notices,
        pager::CursorStack,
        pickers::SearchBox,
    },
    i18n::{self, Key, use_i18n},
    pages::master_data::{ActiveCell, EditButton, ListPager, PAGE_SIZE, can_edit_master_data},
};

const REASON_FIELDS: [&str; 6] = [
    "code", "name_zh", "name_en", "planned", "active", "position",
];

#[component]
pub fn ReasonsTab() -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = can_edit_master_data();
    let which = RwSignal::new(ReasonList::Defect);
    let search = RwSignal::new(String::new());
    let cursors = CursorStack::new();
    let editing = RwSignal::new(None::<Option<Reason>>);
    let list = LocalResource::new(move || {
        let query = ListQuery {
            q: search.get(),
            limit: PAGE_SIZE,
            cursor: cursors.current(),
        };
        let which = which.get();
        async move { api::list_reasons(which, &query).await }
    });
    let switch = move |to: ReasonList| {
        which.set(to);
        cursors.reset();
    };
    view! {
        <div class="toolbar">
            <div class="segmented" role="group" aria-label=i18n.tr(Key::Reasons)>
                <button type="button" aria-pressed=move || (which.get() == ReasonList::Defect).to_string() on:click=move |_| switch(ReasonList::Defect)>
                    {i18n.tr(Key::DefectReasons)}
                </button>
                <button type="button" aria-pressed=move || (which.get() == ReasonList::Downtime).to_string() on:click=move |_| switch(ReasonList::Downtime)>
                    {i18n.tr(Key::DowntimeReasons)}
                </button>
            </div>
            <SearchBox value=search placeholder=Key::CodeOrNameSearch on_change=move || cursors.reset()/>
            <div class="toolbar-buttons">
                <Show when=move || can_edit.get()>
                    <button type="button" class="button primary" on:click=move |_| editing.set(Some(None))>
                        <IconView icon=Icon::Plus/>
                        {i18n.tr(Key::NewReason)}
                    </button>
                </Show>
            </div>
        </div>
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=error_list>
                {move || Suspend::new(async move {
                    let downtime = which.get_untracked() == ReasonList::Downtime;
                    list.await.map(|page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">{i18n.tr(Key::NothingFound)}</p> }.into_any();
                        }
                        view! {
                            <div class="table-wrap">
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col" class="num">{i18n.tr(Key::Position)}</th>
                                            <th scope="col">{i18n.tr(Key::Code)}</th>
                                            <th scope="col">{i18n.tr(Key::NameZh)}</th>
                                            <th scope="col">{i18n.tr(Key::NameEn)}</th>
                                            {downtime.then(|| view! { <th scope="col">{i18n.tr(Key::PlannedStop)}</th> })}
                                            <th scope="col">{i18n.tr(Key::Status)}</th>
                                            <th scope="col" class="actions"><span class="visually-hidden">{i18n.tr(Key::Actions)}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|r| {
                                            let code = r.code.clone();
                                            let row = r.clone();
                                            view! {
                                                <tr class:inactive=!r.active>
                                                    <td class="num">{r.position}</td>
                                                    <td class="mono">{r.code}</td>
                                                    <td>{r.name_zh}</td>
                                                    <td>{r.name_en}</td>
                                                    {downtime.then(|| view! { <td>{r.planned.then(|| view! { <span class="chip subtle">{i18n.tr(Key::Yes)}</span> })}</td> })}
                                                    <td><ActiveCell active=r.active/></td>
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
            <ReasonDialog
                which=which.get_untracked()
                existing=existing
                on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); list.refetch(); }
            />
        })}
    }
}

#[component]
fn ReasonDialog(
    which: ReasonList,
    existing: Option<Reason>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let e = existing.as_ref();
    let id = e.map(|r| r.id);
    let code = RwSignal::new(e.map(|r| r.code.clone()).unwrap_or_default());
    let name_zh = RwSignal::new(e.map(|r| r.name_zh.clone()).unwrap_or_default());
    let name_en = RwSignal::new(e.map(|r| r.name_en.clone()).unwrap_or_default());
    let planned = RwSignal::new(e.is_some_and(|r| r.planned));
    let active = RwSignal::new(e.is_none_or(|r| r.active));
    let position = RwSignal::new(
        e.map(|r| r.position.to_string())
            .unwrap_or_else(|| "0".into()),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let alert = RwSignal::new(None::<FetchError>);
    let save = Action::new_local(move |input: &ReasonInput| {
        let input = input.clone();
        async move { api::save_reason(which, id, &input).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            notices.success(i18n::saved_record(i18n.lang_untracked(), &saved.code));
            on_saved.run(());
        }
        Some(Err(error)) => show_save_error(error, errors, alert, &REASON_FIELDS),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        for (field, value) in [("code", code), ("name_zh", name_zh), ("name_en", name_en)] {
            if value.with_untracked(|v| v.trim().is_empty()) {
                e.add(field, Msg::Key(Key::Required));
            }
        }
        let pos = position.get_untracked().trim().parse::<i32>();
        if pos.is_err() {
            e.add("position", Msg::Key(Key::WholeNumber));
        }
        errors.set(e.clone());
        alert.set(None);
        if let (true, Ok(position)) = (e.is_empty(), pos) {
            save.dispatch_local(ReasonInput {
                code: code.get_untracked().trim().to_owned(),
                name_zh: name_zh.get_untracked().trim().to_owned(),
                name_en: name_en.get_untracked().trim().to_owned(),
                planned: which == ReasonList::Downtime && planned.get_untracked(),
                active: active.get_untracked(),
                position,
            });
        }
    };
    let title = Signal::derive(move || {
        i18n.t(if id.is_some() {
            Key::EditReason
        } else {
            Key::NewReason
        })
        .to_owned()
    });
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=alert/>
                <div class="form-grid">
                    <TextField label=Key::Code value=code required=true autofocus=true maxlength=32 error=field_error(errors, "code")/>
                    <TextField label=Key::Position value=position inputmode="numeric" error=field_error(errors, "position")/>
                    <TextField label=Key::NameZh value=name_zh required=true maxlength=100 error=field_error(errors, "name_zh")/>
                    <TextField label=Key::NameEn value=name_en required=true maxlength=100 error=field_error(errors, "name_en")/>
                    {(which == ReasonList::Downtime).then(|| view! { <CheckboxField label=Key::PlannedStop value=planned hint=Key::PlannedStopHint/> })}
                    <CheckboxField label=Key::Active value=active/>
                </div>
                <FormButtons pending=save.pending() on_cancel=on_close submit=Key::Save/>
            </form>
        </Modal>
    }
}
