//! Work centres, machines and stations.

use leptos::prelude::*;
use mes_api_types::{
    MachineId, StationId, WorkCenterId,
    import::ImportKind,
    master_data::{
        Machine, MachineInput, MachineStatus, Station, StationInput, WorkCenter, WorkCenterInput,
    },
};

use crate::{
    api::{self, FetchError, ListQuery},
    components::{
        Loading,
        data_exchange::{ExportButtons, ExportKind, ImportButton, PrintLink, machine_labels_url},
        dialog::Modal,
        errors::{ErrorAlert, error_list},
        form::{
            CheckboxField, FieldErrors, FormButtons, Msg, TextAreaField, TextField, field_error,
            show_save_error,
        },
        icons::{Icon, IconView},
        notice::use_notices,
        pager::CursorStack,
        pickers::{CalendarSelect, SearchBox, WorkCenterSelect, use_work_centers},
    },
    i18n::{self, Key, use_i18n},
    pages::master_data::{ActiveCell, EditButton, ListPager, PAGE_SIZE, can_edit_master_data},
};

/// Required text: trimmed, not empty.
fn require(errors: &mut FieldErrors, field: &str, value: &str) {
    if value.trim().is_empty() {
        errors.add(field, Msg::Key(Key::Required));
    }
}

// ---- Work centres ----

const WORK_CENTER_FIELDS: [&str; 5] = ["code", "name", "description", "calendar_id", "active"];

#[component]
pub fn WorkCentersTab() -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = can_edit_master_data();
    let search = RwSignal::new(String::new());
    let cursors = CursorStack::new();
    let editing = RwSignal::new(None::<Option<WorkCenter>>);
    let list = LocalResource::new(move || {
        let query = ListQuery {
            q: search.get(),
            limit: PAGE_SIZE,
            cursor: cursors.current(),
        };
        async move { api::list_work_centers(&query).await }
    });
    let filter = Signal::derive(move || {
        let q = search.get();
        if q.trim().is_empty() {
            Vec::new()
        } else {
            vec![("q", q.trim().to_owned())]
        }
    });
    view! {
        <div class="toolbar">
            <SearchBox value=search placeholder=Key::CodeOrNameSearch on_change=move || cursors.reset()/>
            <div class="toolbar-buttons">
                <ExportButtons kind=ExportKind::WorkCenters filter=filter/>
                <Show when=move || can_edit.get()>
                    <button type="button" class="button primary" on:click=move |_| editing.set(Some(None))>
                        <IconView icon=Icon::Plus/>
                        {i18n.tr(Key::NewWorkCenter)}
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
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{i18n.tr(Key::Code)}</th>
                                            <th scope="col">{i18n.tr(Key::Name)}</th>
                                            <th scope="col">{i18n.tr(Key::Calendar)}</th>
                                            <th scope="col" class="num">{i18n.tr(Key::MachineCount)}</th>
                                            <th scope="col">{i18n.tr(Key::Status)}</th>
                                            <th scope="col" class="actions"><span class="visually-hidden">{i18n.tr(Key::Actions)}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|wc| {
                                            let code = wc.code.clone();
                                            let row = wc.clone();
                                            view! {
                                                <tr class:inactive=!wc.active>
                                                    <td class="mono">{wc.code}</td>
                                                    <td>
                                                        {wc.name}
                                                        {(!wc.description.is_empty()).then(|| view! { <span class="muted cell-sub">{wc.description.clone()}</span> })}
                                                    </td>
                                                    <td class="mono">{wc.calendar_code.unwrap_or_else(|| "—".into())}</td>
                                                    <td class="num">{wc.machine_count}</td>
                                                    <td><ActiveCell active=wc.active/></td>
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
            <WorkCenterDialog
                existing=existing
                on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); list.refetch(); }
            />
        })}
    }
}

#[component]
fn WorkCenterDialog(
    existing: Option<WorkCenter>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let e = existing.as_ref();
    let id = e.map(|w| w.id);
    let code = RwSignal::new(e.map(|w| w.code.clone()).unwrap_or_default());
    let name = RwSignal::new(e.map(|w| w.name.clone()).unwrap_or_default());
    let description = RwSignal::new(e.map(|w| w.description.clone()).unwrap_or_default());
    let calendar = RwSignal::new(e.and_then(|w| w.calendar_id));
    let active = RwSignal::new(e.is_none_or(|w| w.active));
    let errors = RwSignal::new(FieldErrors::default());
    let alert = RwSignal::new(None::<FetchError>);
    let save = Action::new_local(move |input: &WorkCenterInput| {
        let input = input.clone();
        async move { api::save_work_center(id, &input).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            notices.success(i18n::saved_record(i18n.lang_untracked(), &saved.code));
            on_saved.run(());
        }
        Some(Err(error)) => show_save_error(error, errors, alert, &WORK_CENTER_FIELDS),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        require(&mut e, "code", &code.get_untracked());
        require(&mut e, "name", &name.get_untracked());
        errors.set(e.clone());
        alert.set(None);
        if e.is_empty() {
            save.dispatch_local(WorkCenterInput {
                code: code.get_untracked().trim().to_owned(),
                name: name.get_untracked().trim().to_owned(),
                description: description.get_untracked().trim().to_owned(),
                calendar_id: calendar.get_untracked(),
                active: active.get_untracked(),
            });
        }
    };
    let title = Signal::derive(move || {
        i18n.t(if id.is_some() {
            Key::EditWorkCenter
        } else {
            Key::NewWorkCenter
        })
        .to_owned()
    });
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=alert/>
                <div class="form-grid">
                    <TextField label=Key::Code value=code required=true autofocus=true maxlength=32 error=field_error(errors, "code")/>
                    <TextField label=Key::Name value=name required=true maxlength=100 error=field_error(errors, "name")/>
                    <CalendarSelect label=Key::Calendar value=calendar empty=Key::NoCalendar error=field_error(errors, "calendar_id")/>
                    <CheckboxField label=Key::Active value=active/>
                </div>
                <TextAreaField label=Key::Description value=description error=field_error(errors, "description")/>
                <FormButtons pending=save.pending() on_cancel=on_close submit=Key::Save/>
            </form>
        </Modal>
    }
}

// ---- Machines ----

const MACHINE_FIELDS: [&str; 7] = [
    "code",
    "name",
    "work_center_id",
    "kind",
    "calendar_id",
    "description",
    "active",
];

pub fn machine_status_key(status: MachineStatus) -> Key {
    match status {
        MachineStatus::Idle => Key::MachineIdle,
        MachineStatus::Running => Key::MachineRunning,
        MachineStatus::Setup => Key::MachineSetup,
        MachineStatus::Down => Key::MachineDown,
        MachineStatus::Maintenance => Key::MachineMaintenance,
        MachineStatus::Offline => Key::MachineOffline,
    }
}

#[component]
pub fn MachinesTab() -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = can_edit_master_data();
    let search = RwSignal::new(String::new());
    let work_center = RwSignal::new(None::<WorkCenterId>);
    let status = RwSignal::new(None::<MachineStatus>);
    let cursors = CursorStack::new();
    let work_centers = use_work_centers();
    let editing = RwSignal::new(None::<Option<Machine>>);
    let selected = RwSignal::new(Vec::<MachineId>::new());
    Effect::new(move |_| {
        work_center.track();
        status.track();
        cursors.reset();
    });
    let list = LocalResource::new(move || {
        let query = ListQuery {
            q: search.get(),
            limit: PAGE_SIZE,
            cursor: cursors.current(),
        };
        let (wc, st) = (work_center.get(), status.get());
        async move { api::list_machines(&query, wc, st).await }
    });
    let filter = Signal::derive(move || {
        let mut f = Vec::new();
        let q = search.get();
        if !q.trim().is_empty() {
            f.push(("q", q.trim().to_owned()));
        }
        if let Some(wc) = work_center.get() {
            f.push(("work_center_id", wc.to_string()));
        }
        if let Some(s) = status.get() {
            f.push(("status", s.as_str().to_owned()));
        }
        f
    });
    let labels_href = Signal::derive(move || machine_labels_url(&selected.get()));
    view! {
        <div class="toolbar">
            <SearchBox value=search placeholder=Key::CodeOrNameSearch on_change=move || cursors.reset()/>
            <WorkCenterSelect label=Key::WorkCenter value=work_center work_centers=work_centers empty=Key::AllWorkCenters inline=true/>
            <div class="field inline">
                <label for="machine-status">{i18n.tr(Key::Status)}</label>
                <select id="machine-status" on:change=move |ev| status.set(MachineStatus::parse(&event_target_value(&ev)))>
                    <option value="" selected=move || status.get().is_none()>{i18n.tr(Key::AllStatuses)}</option>
                    {MachineStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || status.get() == Some(s)>{i18n.tr(machine_status_key(s))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="toolbar-buttons">
                <Show when=move || !selected.with(Vec::is_empty)>
                    <PrintLink href=labels_href label=Key::PrintLabels/>
                </Show>
                <ExportButtons kind=ExportKind::Machines filter=filter/>
                <Show when=move || can_edit.get()>
                    <ImportButton kind=ImportKind::Machines on_done=move || list.refetch()/>
                    <button type="button" class="button primary" on:click=move |_| editing.set(Some(None))>
                        <IconView icon=Icon::Plus/>
                        {i18n.tr(Key::NewMachine)}
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
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col" class="select"><span class="visually-hidden">{i18n.tr(Key::SelectForLabels)}</span></th>
                                            <th scope="col">{i18n.tr(Key::Code)}</th>
                                            <th scope="col">{i18n.tr(Key::Name)}</th>
                                            <th scope="col">{i18n.tr(Key::WorkCenter)}</th>
                                            <th scope="col">{i18n.tr(Key::MachineKind)}</th>
                                            <th scope="col">{i18n.tr(Key::MachineState)}</th>
                                            <th scope="col">{i18n.tr(Key::Calendar)}</th>
                                            <th scope="col">{i18n.tr(Key::Status)}</th>
                                            <th scope="col" class="actions"><span class="visually-hidden">{i18n.tr(Key::Actions)}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|m| {
                                            let code = m.code.clone();
                                            let row = m.clone();
                                            let edit_row = m.clone();
                                            let id = m.id;
                                            view! {
                                                <tr class:inactive=!m.active>
                                                    <td class="select">
                                                        <input
                                                            type="checkbox"
                                                            aria-label=move || format!("{} {}", i18n.t(Key::SelectForLabels), row.code)
                                                            prop:checked=move || selected.with(|s| s.contains(&id))
                                                            on:change=move |ev| {
                                                                let on = event_target_checked(&ev);
                                                                selected.update(|s| { s.retain(|x| *x != id); if on { s.push(id); } });
                                                            }
                                                        />
                                                    </td>
                                                    <td class="mono">{m.code.clone()}</td>
                                                    <td>{m.name.clone()}</td>
                                                    <td class="mono">{m.work_center_code.clone()}</td>
                                                    <td>{m.kind.clone()}</td>
                                                    <td><span class=format!("badge machine-{}", m.status.as_str())>{i18n.tr(machine_status_key(m.status))}</span></td>
                                                    <td class="mono">{m.calendar_code.clone().unwrap_or_else(|| "—".into())}</td>
                                                    <td><ActiveCell active=m.active/></td>
                                                    <td class="actions">
                                                        <Show when=move || can_edit.get()>
                                                            <EditButton label=code.clone() on_click={
                                                                let edit_row = edit_row.clone();
                                                                move || editing.set(Some(Some(edit_row.clone())))
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
            <MachineDialog
                existing=existing
                work_centers=work_centers
                on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); list.refetch(); }
            />
        })}
    }
}

#[component]
fn MachineDialog(
    existing: Option<Machine>,
    work_centers: LocalResource<Vec<WorkCenter>>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let e = existing.as_ref();
    let id = e.map(|m| m.id);
    let code = RwSignal::new(e.map(|m| m.code.clone()).unwrap_or_default());
    let name = RwSignal::new(e.map(|m| m.name.clone()).unwrap_or_default());
    let work_center = RwSignal::new(e.map(|m| m.work_center_id));
    let kind = RwSignal::new(e.map(|m| m.kind.clone()).unwrap_or_default());
    let calendar = RwSignal::new(e.and_then(|m| m.calendar_id));
    let description = RwSignal::new(e.map(|m| m.description.clone()).unwrap_or_default());
    let active = RwSignal::new(e.is_none_or(|m| m.active));
    let errors = RwSignal::new(FieldErrors::default());
    let alert = RwSignal::new(None::<FetchError>);
    let save = Action::new_local(move |input: &MachineInput| {
        let input = input.clone();
        async move { api::save_machine(id, &input).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            notices.success(i18n::saved_record(i18n.lang_untracked(), &saved.code));
            on_saved.run(());
        }
        Some(Err(error)) => show_save_error(error, errors, alert, &MACHINE_FIELDS),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        require(&mut e, "code", &code.get_untracked());
        require(&mut e, "name", &name.get_untracked());
        if work_center.get_untracked().is_none() {
            e.add("work_center_id", Msg::Key(Key::Required));
        }
        errors.set(e.clone());
        alert.set(None);
        if let (true, Some(wc)) = (e.is_empty(), work_center.get_untracked()) {
            save.dispatch_local(MachineInput {
                code: code.get_untracked().trim().to_owned(),
                name: name.get_untracked().trim().to_owned(),
                work_center_id: wc,
                kind: kind.get_untracked().trim().to_owned(),
                calendar_id: calendar.get_untracked(),
                description: description.get_untracked().trim().to_owned(),
                active: active.get_untracked(),
            });
        }
    };
    let title = Signal::derive(move || {
        i18n.t(if id.is_some() {
            Key::EditMachine
        } else {
            Key::NewMachine
        })
        .to_owned()
    });
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=alert/>
                <div class="form-grid">
                    <TextField label=Key::Code value=code required=true autofocus=true maxlength=32 error=field_error(errors, "code")/>
                    <TextField label=Key::Name value=name required=true maxlength=100 error=field_error(errors, "name")/>
                    <WorkCenterSelect label=Key::WorkCenter value=work_center work_centers=work_centers required=true error=field_error(errors, "work_center_id")/>
                    <TextField label=Key::MachineKind value=kind maxlength=64 hint=Key::MachineKindHint error=field_error(errors, "kind")/>
                    <CalendarSelect label=Key::Calendar value=calendar empty=Key::WorkCenterCalendar error=field_error(errors, "calendar_id")/>
                    <CheckboxField label=Key::Active value=active/>
                </div>
                <TextAreaField label=Key::Description value=description error=field_error(errors, "description")/>
                <FormButtons pending=save.pending() on_cancel=on_close submit=Key::Save/>
            </form>
        </Modal>
    }
}

// ---- Stations ----

const STATION_FIELDS: [&str; 5] = ["code", "name", "machine_id", "work_center_id", "active"];

#[component]
pub fn StationsTab() -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = can_edit_master_data();
    let search = RwSignal::new(String::new());
    let cursors = CursorStack::new();
    let editing = RwSignal::new(None::<Option<Station>>);
    let list = LocalResource::new(move || {
        let query = ListQuery {
            q: search.get(),
            limit: PAGE_SIZE,
            cursor: cursors.current(),
        };
        async move { api::list_stations(&query).await }
    });
    let filter = Signal::derive(move || {
        let q = search.get();
        if q.trim().is_empty() {
            Vec::new()
        } else {
            vec![("q", q.trim().to_owned())]
        }
    });
    view! {
        <div class="toolbar">
            <SearchBox value=search placeholder=Key::CodeOrNameSearch on_change=move || cursors.reset()/>
            <div class="toolbar-buttons">
                <ExportButtons kind=ExportKind::Stations filter=filter/>
                <Show when=move || can_edit.get()>
                    <button type="button" class="button primary" on:click=move |_| editing.set(Some(None))>
                        <IconView icon=Icon::Plus/>
                        {i18n.tr(Key::NewStation)}
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
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{i18n.tr(Key::Code)}</th>
                                            <th scope="col">{i18n.tr(Key::Name)}</th>
                                            <th scope="col">{i18n.tr(Key::BoundTo)}</th>
                                            <th scope="col">{i18n.tr(Key::Status)}</th>
                                            <th scope="col" class="actions"><span class="visually-hidden">{i18n.tr(Key::Actions)}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|st| {
                                            let code = st.code.clone();
                                            let bound = match (&st.machine_code, &st.work_center_code) {
                                                (Some(m), _) => (Key::Machine, m.clone()),
                                                (None, Some(w)) => (Key::WorkCenter, w.clone()),
                                                (None, None) => (Key::WorkCenter, "—".to_owned()),
                                            };
                                            let row = st.clone();
                                            view! {
                                                <tr class:inactive=!st.active>
                                                    <td class="mono">{st.code}</td>
                                                    <td>{st.name}</td>
                                                    <td><span class="muted">{i18n.tr(bound.0)}</span>" "<span class="mono">{bound.1}</span></td>
                                                    <td><ActiveCell active=st.active/></td>
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
            <StationDialog
                existing=existing
                on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); list.refetch(); }
            />
        })}
    }
}

/// Every machine, for the station's binding (plants have tens to hundreds).
fn use_all_machines() -> LocalResource<Vec<Machine>> {
    LocalResource::new(|| async {
        let query = ListQuery {
            limit: 500,
            ..Default::default()
        };
        api::list_machines(&query, None, None)
            .await
            .map(|p| p.items)
            .unwrap_or_default()
    })
}

#[component]
fn StationDialog(
    existing: Option<Station>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let work_centers = use_work_centers();
    let machines = use_all_machines();
    let e = existing.as_ref();
    let id: Option<StationId> = e.map(|s| s.id);
    let code = RwSignal::new(e.map(|s| s.code.clone()).unwrap_or_default());
    let name = RwSignal::new(e.map(|s| s.name.clone()).unwrap_or_default());
    let bind_machine = RwSignal::new(e.is_none_or(|s| s.machine_id.is_some()));
    let machine = RwSignal::new(e.and_then(|s| s.machine_id));
    let work_center = RwSignal::new(e.and_then(|s| s.work_center_id));
    let active = RwSignal::new(e.is_none_or(|s| s.active));
    let errors = RwSignal::new(FieldErrors::default());
    let alert = RwSignal::new(None::<FetchError>);
    let save = Action::new_local(move |input: &StationInput| {
        let input = input.clone();
        async move { api::save_station(id, &input).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            notices.success(i18n::saved_record(i18n.lang_untracked(), &saved.code));
            on_saved.run(());
        }
        Some(Err(error)) => show_save_error(error, errors, alert, &STATION_FIELDS),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        require(&mut e, "code", &code.get_untracked());
        require(&mut e, "name", &name.get_untracked());
        let by_machine = bind_machine.get_untracked();
        if by_machine && machine.get_untracked().is_none() {
            e.add("machine_id", Msg::Key(Key::Required));
        }
        if !by_machine && work_center.get_untracked().is_none() {
            e.add("work_center_id", Msg::Key(Key::Required));
        }
        errors.set(e.clone());
        alert.set(None);
        if e.is_empty() {
            save.dispatch_local(StationInput {
                code: code.get_untracked().trim().to_owned(),
                name: name.get_untracked().trim().to_owned(),
                machine_id: if by_machine {
                    machine.get_untracked()
                } else {
                    None
                },
                work_center_id: if by_machine {
                    None
                } else {
                    work_center.get_untracked()
                },
                active: active.get_untracked(),
            });
        }
    };
    let title = Signal::derive(move || {
        i18n.t(if id.is_some() {
            Key::EditStation
        } else {
            Key::NewStation
        })
        .to_owned()
    });
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=alert/>
                <div class="form-grid">
                    <TextField label=Key::Code value=code required=true autofocus=true maxlength=32 error=field_error(errors, "code")/>
                    <TextField label=Key::Name value=name required=true maxlength=100 error=field_error(errors, "name")/>
                </div>
                <fieldset class="fieldset">
                    <legend>{i18n.tr(Key::BoundTo)}</legend>
                    <div class="radio-row">
                        <label class="checkbox">
                            <input type="radio" name="station-binding" prop:checked=move || bind_machine.get() on:change=move |_| bind_machine.set(true)/>
                            <span>{i18n.tr(Key::Machine)}</span>
                        </label>
                        <label class="checkbox">
                            <input type="radio" name="station-binding" prop:checked=move || !bind_machine.get() on:change=move |_| bind_machine.set(false)/>
                            <span>{i18n.tr(Key::WorkCenter)}</span>
                        </label>
                    </div>
                    <Show
                        when=move || bind_machine.get()
                        fallback=move || view! {
                            <WorkCenterSelect label=Key::WorkCenter value=work_center work_centers=work_centers required=true error=field_error(errors, "work_center_id")/>
                        }
                    >
                        <div class="field" class:invalid=move || field_error(errors, "machine_id").with(Option::is_some)>
                            <label for="station-machine">{i18n.tr(Key::Machine)}<span class="required" aria-hidden="true">" *"</span></label>
                            <select id="station-machine" on:change=move |ev| machine.set(event_target_value(&ev).parse().ok().map(MachineId))>
                                <option value="" disabled selected=move || machine.get().is_none()>{i18n.tr(Key::ChooseOne)}</option>
                                {move || machines.get().unwrap_or_default().into_iter().map(|m| {
                                    let mid = m.id;
                                    view! { <option value=mid.0.to_string() selected=move || machine.get() == Some(mid)>{format!("{} · {}", m.code, m.name)}</option> }
                                }).collect_view()}
                            </select>
                            <p class="field-error">{move || field_error(errors, "machine_id").get().map(|m| m.render(i18n.lang()))}</p>
                        </div>
                    </Show>
                </fieldset>
                <CheckboxField label=Key::Active value=active/>
                <FormButtons pending=save.pending() on_cancel=on_close submit=Key::Save/>
            </form>
        </Modal>
    }
}
