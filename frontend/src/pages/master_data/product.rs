//! `/master-data/products/{id}`: one product with its versioned routings and BOMs. Drafts are
//! edited; activating a draft makes it the version new orders copy at release and archives the
//! previous one; active and archived versions never change (a new version starts as a copy).

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use mes_api_types::{
    MachineId, ProductId, WorkCenterId,
    master_data::{
        Bom, BomInput, BomLineInput, BomNode, EligibleMachineInput, Machine, Product, Routing,
        RoutingInput, RoutingOperationInput, VersionStatus, WorkCenter,
    },
};

use crate::{
    api::{self, FetchError, ListQuery, Versioned},
    components::{
        Loading,
        dialog::Modal,
        errors::{ErrorAlert, ErrorPanel},
        form::{FieldErrors, FormButtons, Msg, TextAreaField, parse_number, show_save_error},
        icons::{Icon, IconView},
        notice::use_notices,
        pickers::{ProductChoice, ProductPicker, use_work_centers},
    },
    i18n::{self, Key, use_i18n},
    pages::{
        master_data::{
            can_edit_master_data,
            products::{ProductDialog, kind_key},
        },
        work_orders::qty,
    },
    util,
};

fn version_status_key(status: VersionStatus) -> Key {
    match status {
        VersionStatus::Draft => Key::VersionDraft,
        VersionStatus::Active => Key::VersionActive,
        VersionStatus::Archived => Key::VersionArchived,
    }
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|v| v.parse().ok()).map(ProductId))
    });
    let product = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::get_product(id).await,
                None => Err(FetchError::Unexpected("no product id".into())),
            }
        }
    });
    let i18n = use_i18n();
    view! {
        <nav class="breadcrumb">
            <A href="/master-data/products">{i18n.tr(Key::Products)}</A>
        </nav>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(p) => view! { <ProductView product=p on_changed=move || product.refetch()/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e on_retry=move || product.refetch()/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProductView(product: Product, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = can_edit_master_data();
    let editing = RwSignal::new(false);
    let id = product.id;
    let stored = StoredValue::new(product.clone());
    // BOM and routing changes show in the product's "active version" too.
    let versions_changed = Callback::new(move |()| on_changed.run(()));
    view! {
        <header class="section-header product-header">
            <div class="title-block">
                <h2 class="mono">{product.code.clone()}</h2>
                <span class="product-name">{product.name.clone()}</span>
                <span class=format!("badge kind-{}", product.kind.as_str())>{i18n.tr(kind_key(product.kind))}</span>
                <span class="chip subtle">{product.unit.clone()}</span>
            </div>
            <Show when=move || can_edit.get()>
                <button type="button" class="button" on:click=move |_| editing.set(true)>
                    <IconView icon=Icon::Edit/>
                    {i18n.tr(Key::Edit)}
                </button>
            </Show>
        </header>
        {(!product.description.is_empty()).then(|| view! { <p class="muted">{product.description.clone()}</p> })}
        <RoutingSection product_id=id on_changed=versions_changed/>
        <BomSection product_id=id on_changed=versions_changed/>
        <Show when=move || editing.get()>
            <ProductDialog
                existing=Some(stored.get_value())
                on_close=move || editing.set(false)
                on_saved=move |_: Product| { editing.set(false); on_changed.run(()); }
            />
        </Show>
    }
}

/// The version to show first: the draft being worked on, else the active one, else the newest.
fn preferred<T>(
    versions: &[T],
    status: impl Fn(&T) -> VersionStatus,
    id: impl Fn(&T) -> i64,
) -> Option<i64> {
    versions
        .iter()
        .find(|v| status(v) == VersionStatus::Draft)
        .or_else(|| versions.iter().find(|v| status(v) == VersionStatus::Active))
        .or_else(|| versions.first())
        .map(id)
}

/// Version chips plus the buttons that act on versions (shared by routings and BOMs).
#[component]
fn VersionBar(
    kind: Versioned,
    /// (id, version, status) of every version, newest first.
    versions: Vec<(i64, i32, VersionStatus)>,
    selected: RwSignal<Option<i64>>,
    #[prop(into)] on_edit: Callback<Option<i64>>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let can_edit = can_edit_master_data();
    let error = RwSignal::new(None::<FetchError>);
    let has_draft = versions.iter().any(|v| v.2 == VersionStatus::Draft);
    let status_of = {
        let versions = versions.clone();
        move |id: Option<i64>| versions.iter().find(|v| Some(v.0) == id).map(|v| v.2)
    };
    let selected_status = Signal::derive(move || status_of(selected.get()));
    let act = Action::new_local(move |(what, id): &(&'static str, i64)| {
        let (what, id) = (*what, *id);
        async move {
            let result = match what {
                "activate" => api::activate_version(kind, id).await,
                "copy" => api::copy_version(kind, id).await,
                _ => api::delete_version(kind, id).await,
            };
            (what, result)
        }
    });
    Effect::new(move |_| {
        if let Some((what, result)) = act.value().get() {
            match result {
                Ok(()) => {
                    error.set(None);
                    let key = match what {
                        "activate" => Key::VersionActivated,
                        "copy" => Key::VersionCopied,
                        _ => Key::DraftDeleted,
                    };
                    notices.success(i18n.t(key).to_owned());
                    if what != "copy" {
                        selected.set(None);
                    }
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <div class="version-bar">
            <div class="versions" role="tablist" aria-label=i18n.tr(Key::Versions)>
                {versions.into_iter().map(|(id, version, status)| view! {
                    <button
                        type="button"
                        role="tab"
                        class=format!("version-chip version-{}", status.as_str())
                        aria-selected=move || if selected.get() == Some(id) { "true" } else { "false" }
                        on:click=move |_| selected.set(Some(id))
                    >
                        {format!("v{version}")}
                        <span class="version-status">{i18n.tr(version_status_key(status))}</span>
                    </button>
                }).collect_view()}
            </div>
            <Show when=move || can_edit.get()>
                <div class="toolbar-buttons">
                    {move || match (selected.get(), selected_status.get()) {
                        (Some(id), Some(VersionStatus::Draft)) => view! {
                            <button type="button" class="button" on:click=move |_| on_edit.run(Some(id))>
                                <IconView icon=Icon::Edit/>{i18n.tr(Key::EditDraft)}
                            </button>
                            <button type="button" class="button primary" data-action="activate" disabled=move || act.pending().get() on:click=move |_| { act.dispatch_local(("activate", id)); }>
                                {i18n.tr(Key::Activate)}
                            </button>
                            <button type="button" class="button danger-outline" disabled=move || act.pending().get() on:click=move |_| { act.dispatch_local(("delete", id)); }>
                                <IconView icon=Icon::Trash/>{i18n.tr(Key::DeleteDraft)}
                            </button>
                        }.into_any(),
                        (Some(id), Some(_)) if !has_draft => view! {
                            <button type="button" class="button" disabled=move || act.pending().get() on:click=move |_| { act.dispatch_local(("copy", id)); }>
                                <IconView icon=Icon::Plus/>{i18n.tr(Key::NewVersionFromThis)}
                            </button>
                        }.into_any(),
                        (None, _) if !has_draft => view! {
                            <button type="button" class="button primary" data-action="new-version" on:click=move |_| on_edit.run(None)>
                                <IconView icon=Icon::Plus/>{i18n.tr(Key::NewVersion)}
                            </button>
                        }.into_any(),
                        _ => ().into_any(),
                    }}
                </div>
            </Show>
        </div>
        <ErrorAlert error=error/>
    }
}

// ---- Routings ----

#[component]
fn RoutingSection(product_id: ProductId, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let routings = LocalResource::new(move || async move {
        api::list_routings(product_id, None).await.map(|p| p.items)
    });
    let selected = RwSignal::new(None::<i64>);
    let editing = RwSignal::new(None::<Option<Routing>>);
    let changed = Callback::new(move |()| {
        routings.refetch();
        on_changed.run(());
    });
    view! {
        <section class="section" id="routings">
            <h2>{i18n.tr(Key::Routing)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match routings.await {
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        Ok(list) => {
                            if selected.get_untracked().is_none_or(|s| !list.iter().any(|r| r.id.0 == s)) {
                                selected.set(preferred(&list, |r| r.status, |r| r.id.0));
                            }
                            let versions = list.iter().map(|r| (r.id.0, r.version, r.status)).collect();
                            let list = StoredValue::new(list);
                            let edit_version = move |id: Option<i64>| {
                                editing.set(Some(id.and_then(|id| list.with_value(|l| l.iter().find(|r| r.id.0 == id).cloned()))))
                            };
                            view! {
                                <VersionBar
                                    kind=Versioned::Routing
                                    versions=versions
                                    selected=selected
                                    on_edit=edit_version
                                    on_changed=changed
                                />
                                {move || {
                                    let shown = selected.get().and_then(|id| list.with_value(|l| l.iter().find(|r| r.id.0 == id).cloned()));
                                    match shown {
                                        Some(r) => view! { <RoutingTable routing=r/> }.into_any(),
                                        None => view! { <p class="empty">{i18n.tr(Key::NoRoutingYet)}</p> }.into_any(),
                                    }
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
            {move || editing.get().map(|existing| view! {
                <RoutingEditor
                    product_id=product_id
                    existing=existing
                    on_close=move || editing.set(None)
                    on_saved=move |saved: Routing| {
                        editing.set(None);
                        selected.set(Some(saved.id.0));
                        changed.run(());
                    }
                />
            })}
        </section>
    }
}

#[component]
fn RoutingTable(routing: Routing) -> impl IntoView {
    let i18n = use_i18n();
    if routing.operations.is_empty() {
        return view! { <p class="empty">{i18n.tr(Key::NoOperationsYet)}</p> }.into_any();
    }
    view! {
        {(!routing.note.is_empty()).then(|| view! { <p class="muted">{routing.note.clone()}</p> })}
        <div class="table-wrap">
            <table class="table routing">
                <thead>
                    <tr>
                        <th scope="col" class="num">{i18n.tr(Key::Seq)}</th>
                        <th scope="col">{i18n.tr(Key::Operation)}</th>
                        <th scope="col">{i18n.tr(Key::WorkCenter)}</th>
                        <th scope="col">{i18n.tr(Key::EligibleMachines)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::SetupMin)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::RunMinPerUnit)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::QueueMin)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::TransferMin)}</th>
                        <th scope="col">{i18n.tr(Key::InspectionRequired)}</th>
                    </tr>
                </thead>
                <tbody>
                    {routing.operations.into_iter().map(|op| view! {
                        <tr>
                            <td class="num">{op.seq}</td>
                            <td>
                                {op.name}
                                {(!op.instruction.is_empty()).then(|| view! { <span class="muted cell-sub pre">{op.instruction.clone()}</span> })}
                                {(!op.attachments.is_empty()).then(|| view! {
                                    <span class="cell-sub">
                                        {op.attachments.iter().map(|a| view! {
                                            <a href=format!("/api/v1/attachments/{}", a.id) target="_blank" rel="noopener" class="attachment">{a.file_name.clone()}</a>
                                        }).collect_view()}
                                    </span>
                                })}
                            </td>
                            <td class="mono">{op.work_center_code}</td>
                            <td>
                                {if op.machines.is_empty() {
                                    view! { <span class="muted">{i18n.tr(Key::AnyMachine)}</span> }.into_any()
                                } else {
                                    view! {
                                        <span class="chips">
                                            {op.machines.into_iter().map(|m| view! {
                                                <span class="chip"><span class="mono">{m.machine_code}</span>" "{format!("{} min", qty(m.run_minutes_per_unit))}</span>
                                            }).collect_view()}
                                        </span>
                                    }.into_any()
                                }}
                            </td>
                            <td class="num">{qty(op.setup_minutes)}</td>
                            <td class="num">{qty(op.run_minutes_per_unit)}</td>
                            <td class="num">{qty(op.queue_minutes)}</td>
                            <td class="num">{qty(op.transfer_minutes)}</td>
                            <td>{op.inspection_required.then(|| view! { <span class="chip subtle">{i18n.tr(Key::Yes)}</span> })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One eligible machine being edited.
#[derive(Clone, Copy)]
struct MachineRow {
    key: usize,
    machine: RwSignal<Option<MachineId>>,
    run: RwSignal<String>,
}

/// One operation being edited.
#[derive(Clone, Copy)]
struct OpRow {
    key: usize,
    seq: RwSignal<String>,
    name: RwSignal<String>,
    work_center: RwSignal<Option<WorkCenterId>>,
    setup: RwSignal<String>,
    run: RwSignal<String>,
    queue: RwSignal<String>,
    transfer: RwSignal<String>,
    piece_rate: RwSignal<String>,
    inspection: RwSignal<bool>,
    instruction: RwSignal<String>,
    machines: RwSignal<Vec<MachineRow>>,
}

fn next_key() -> usize {
    util::next_id("row")
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_default()
}

fn number_text(n: f64) -> String {
    if n == 0.0 { String::new() } else { qty(n) }
}

#[component]
fn CellInput(
    value: RwSignal<String>,
    label: Key,
    error: Signal<Option<String>>,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] wide: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="cell-field" class:invalid=move || error.with(Option::is_some) class:wide=wide>
            <input
                type="text"
                inputmode=numeric.then_some("decimal")
                class:num=numeric
                aria-label=i18n.tr(label)
                placeholder=i18n.tr(label)
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <span class="field-error">{move || error.get()}</span>
        </div>
    }
}

#[component]
fn RoutingEditor(
    product_id: ProductId,
    existing: Option<Routing>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<Routing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let work_centers = use_work_centers();
    let machines = LocalResource::new(|| async {
        let query = ListQuery {
            limit: 500,
            ..Default::default()
        };
        api::list_machines(&query, None, None)
            .await
            .map(|p| p.items)
            .unwrap_or_default()
    });
    let id = existing.as_ref().map(|r| r.id);
    let note = RwSignal::new(
        existing
            .as_ref()
            .map(|r| r.note.clone())
            .unwrap_or_default(),
    );
    let new_op = |seq: i32| OpRow {
        key: next_key(),
        seq: RwSignal::new(seq.to_string()),
        name: RwSignal::new(String::new()),
        work_center: RwSignal::new(None),
        setup: RwSignal::new(String::new()),
        run: RwSignal::new(String::new()),
        queue: RwSignal::new(String::new()),
        transfer: RwSignal::new(String::new()),
        piece_rate: RwSignal::new(String::new()),
        inspection: RwSignal::new(false),
        instruction: RwSignal::new(String::new()),
        machines: RwSignal::new(Vec::new()),
    };
    let initial: Vec<OpRow> = match &existing {
        Some(r) if !r.operations.is_empty() => r
            .operations
            .iter()
            .map(|op| OpRow {
                key: next_key(),
                seq: RwSignal::new(op.seq.to_string()),
                name: RwSignal::new(op.name.clone()),
                work_center: RwSignal::new(Some(op.work_center_id)),
                setup: RwSignal::new(number_text(op.setup_minutes)),
                run: RwSignal::new(number_text(op.run_minutes_per_unit)),
                queue: RwSignal::new(number_text(op.queue_minutes)),
                transfer: RwSignal::new(number_text(op.transfer_minutes)),
                piece_rate: RwSignal::new(op.piece_rate.map(qty).unwrap_or_default()),
                inspection: RwSignal::new(op.inspection_required),
                instruction: RwSignal::new(op.instruction.clone()),
                machines: RwSignal::new(
                    op.machines
                        .iter()
                        .map(|m| MachineRow {
                            key: next_key(),
                            machine: RwSignal::new(Some(m.machine_id)),
                            run: RwSignal::new(
                                if m.run_minutes_per_unit == op.run_minutes_per_unit {
                                    String::new()
                                } else {
                                    qty(m.run_minutes_per_unit)
                                },
                            ),
                        })
                        .collect(),
                ),
            })
            .collect(),
        _ => vec![new_op(10)],
    };
    let rows = RwSignal::new(initial);
    let errors = RwSignal::new(FieldErrors::default());
    let alert = RwSignal::new(None::<FetchError>);
    let save = Action::new_local(move |input: &RoutingInput| {
        let input = input.clone();
        async move { api::save_routing(id, &input).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            notices.success(i18n::routing_saved(i18n.lang_untracked(), saved.version));
            on_saved.run(saved);
        }
        Some(Err(error)) => {
            let count = rows.with_untracked(Vec::len);
            let fields = routing_fields(count);
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            show_save_error(error, errors, alert, &fields);
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let mut operations = Vec::new();
        for (i, row) in rows.get_untracked().into_iter().enumerate() {
            let f = |name: &str| format!("operations[{i}].{name}");
            let seq = row.seq.get_untracked().trim().parse::<i32>();
            if seq.is_err() {
                e.add(&f("seq"), Msg::Key(Key::WholeNumber));
            }
            if row.name.with_untracked(|n| n.trim().is_empty()) {
                e.add(&f("name"), Msg::Key(Key::Required));
            }
            if row.work_center.get_untracked().is_none() {
                e.add(&f("work_center_id"), Msg::Key(Key::Required));
            }
            let mut number =
                |name: &str, value: RwSignal<String>| match parse_number(&value.get_untracked()) {
                    Ok(n) => n.unwrap_or(0.0),
                    Err(msg) => {
                        e.add(&f(name), msg);
                        0.0
                    }
                };
            let setup = number("setup_minutes", row.setup);
            let run = number("run_minutes_per_unit", row.run);
            let queue = number("queue_minutes", row.queue);
            let transfer = number("transfer_minutes", row.transfer);
            // Empty: not paid by the piece (unlike the times, which default to 0).
            let piece_rate = match parse_number(&row.piece_rate.get_untracked()) {
                Ok(n) => n,
                Err(msg) => {
                    e.add(&f("piece_rate"), msg);
                    None
                }
            };
            let mut eligible = Vec::new();
            for (j, m) in row.machines.get_untracked().into_iter().enumerate() {
                let field = format!("operations[{i}].machines[{j}].machine_id");
                let own_run = match parse_number(&m.run.get_untracked()) {
                    Ok(n) => n,
                    Err(msg) => {
                        e.add(
                            &format!("operations[{i}].machines[{j}].run_minutes_per_unit"),
                            msg,
                        );
                        None
                    }
                };
                match m.machine.get_untracked() {
                    Some(machine_id) => eligible.push(EligibleMachineInput {
                        machine_id,
                        run_minutes_per_unit: own_run,
                    }),
                    None => e.add(&field, Msg::Key(Key::Required)),
                }
            }
            if let (Ok(seq), Some(work_center_id)) = (seq, row.work_center.get_untracked()) {
                operations.push(RoutingOperationInput {
                    seq,
                    name: row.name.get_untracked().trim().to_owned(),
                    work_center_id,
                    setup_minutes: setup,
                    run_minutes_per_unit: run,
                    queue_minutes: queue,
                    transfer_minutes: transfer,
                    piece_rate,
                    inspection_required: row.inspection.get_untracked(),
                    instruction: row.instruction.get_untracked().trim().to_owned(),
                    machines: eligible,
                });
            }
        }
        errors.set(e.clone());
        alert.set(None);
        if e.is_empty() {
            save.dispatch_local(RoutingInput {
                product_id,
                note: note.get_untracked().trim().to_owned(),
                operations,
            });
        }
    };
    let add_op = move |_| {
        let next_seq = rows.with_untracked(|r| {
            r.iter()
                .filter_map(|o| o.seq.get_untracked().trim().parse::<i32>().ok())
                .max()
                .unwrap_or(0)
                + 10
        });
        rows.update(|r| r.push(new_op(next_seq)));
    };
    let title = Signal::derive(move || match &existing {
        Some(r) => i18n::edit_routing_title(i18n.lang(), r.version),
        None => i18n.t(Key::NewRoutingVersion).to_owned(),
    });
    view! {
        <Modal title=title on_close=on_close>
            <form class="form editor" on:submit=on_submit novalidate>
                <ErrorAlert error=alert/>
                <div class="op-list">
                    <For each=move || rows.get() key=|r| r.key let:row>
                        <OperationEditor
                            row=row
                            index=Signal::derive(move || rows.with(|r| r.iter().position(|x| x.key == row.key).unwrap_or(0)))
                            errors=errors
                            work_centers=work_centers
                            machines=machines
                            on_remove=move || rows.update(|r| r.retain(|x| x.key != row.key))
                        />
                    </For>
                </div>
                <button type="button" class="button" data-action="add-operation" on:click=add_op>
                    <IconView icon=Icon::Plus/>{i18n.tr(Key::AddOperation)}
                </button>
                <TextAreaField label=Key::VersionNote value=note rows=2/>
                <FormButtons pending=save.pending() on_cancel=on_close submit=Key::SaveDraft/>
            </form>
        </Modal>
    }
}

fn routing_fields(count: usize) -> Vec<String> {
    let mut fields = vec!["operations".to_owned(), "note".to_owned()];
    for i in 0..count {
        for name in [
            "seq",
            "name",
            "work_center_id",
            "setup_minutes",
            "run_minutes_per_unit",
            "queue_minutes",
            "transfer_minutes",
            "piece_rate",
            "instruction",
        ] {
            fields.push(format!("operations[{i}].{name}"));
        }
        for j in 0..20 {
            fields.push(format!("operations[{i}].machines[{j}].machine_id"));
            fields.push(format!(
                "operations[{i}].machines[{j}].run_minutes_per_unit"
            ));
        }
    }
    fields
}

#[component]
fn OperationEditor(
    row: OpRow,
    index: Signal<usize>,
    errors: RwSignal<FieldErrors>,
    work_centers: LocalResource<Vec<WorkCenter>>,
    machines: LocalResource<Vec<Machine>>,
    #[prop(into)] on_remove: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let err = move |name: &'static str| {
        Signal::derive(move || {
            let field = format!("operations[{}].{name}", index.get());
            errors.with(|e| e.get(&field).map(|m| m.render(i18n.lang())))
        })
    };
    let wc_error = err("work_center_id");
    view! {
        <fieldset class="op-row" data-op=move || index.get()>
            <legend class="visually-hidden">{move || format!("{} {}", i18n.t(Key::Operation), index.get() + 1)}</legend>
            <div class="op-grid">
                <label class="mini">{i18n.tr(Key::Seq)}<CellInput value=row.seq label=Key::Seq error=err("seq") numeric=true/></label>
                <label class="mini grow">{i18n.tr(Key::Operation)}<CellInput value=row.name label=Key::OperationName error=err("name") wide=true/></label>
                <label class="mini">
                    {i18n.tr(Key::WorkCenter)}
                    <div class="cell-field" class:invalid=move || wc_error.with(Option::is_some)>
                        <select
                            aria-label=i18n.tr(Key::WorkCenter)
                            on:change=move |ev| row.work_center.set(event_target_value(&ev).parse().ok().map(WorkCenterId))
                        >
                            <option value="" disabled selected=move || row.work_center.get().is_none()>{i18n.tr(Key::ChooseOne)}</option>
                            {move || work_centers.get().unwrap_or_default().into_iter().map(|wc| {
                                let id = wc.id;
                                view! { <option value=id.0.to_string() selected=move || row.work_center.get() == Some(id)>{format!("{} · {}", wc.code, wc.name)}</option> }
                            }).collect_view()}
                        </select>
                        <span class="field-error">{move || wc_error.get()}</span>
                    </div>
                </label>
                <label class="mini">{i18n.tr(Key::SetupMin)}<CellInput value=row.setup label=Key::SetupMin error=err("setup_minutes") numeric=true/></label>
                <label class="mini">{i18n.tr(Key::RunMinPerUnit)}<CellInput value=row.run label=Key::RunMinPerUnit error=err("run_minutes_per_unit") numeric=true/></label>
                <label class="mini">{i18n.tr(Key::QueueMin)}<CellInput value=row.queue label=Key::QueueMin error=err("queue_minutes") numeric=true/></label>
                <label class="mini">{i18n.tr(Key::TransferMin)}<CellInput value=row.transfer label=Key::TransferMin error=err("transfer_minutes") numeric=true/></label>
                <label class="mini">{i18n.tr(Key::PieceRate)}<CellInput value=row.piece_rate label=Key::PieceRate error=err("piece_rate") numeric=true/></label>
                <label class="checkbox mini-check">
                    <input type="checkbox" prop:checked=move || row.inspection.get() on:change=move |ev| row.inspection.set(event_target_checked(&ev))/>
                    <span>{i18n.tr(Key::InspectionRequired)}</span>
                </label>
                <button type="button" class="icon-button" aria-label=i18n.tr(Key::RemoveOperation) title=i18n.tr(Key::RemoveOperation) on:click=move |_| on_remove.run(())>
                    <IconView icon=Icon::Trash/>
                </button>
            </div>
            <div class="op-sub">
                <label class="mini grow">
                    {i18n.tr(Key::WorkInstruction)}
                    <textarea rows="2" prop:value=move || row.instruction.get() on:input=move |ev| row.instruction.set(event_target_value(&ev))></textarea>
                </label>
                <div class="eligible">
                    <span class="mini-label">{i18n.tr(Key::EligibleMachines)}</span>
                    <For each=move || row.machines.get() key=|m| m.key let:m>
                        <EligibleMachineEditor
                            m=m
                            op_index=index
                            index=Signal::derive(move || row.machines.with(|v| v.iter().position(|x| x.key == m.key).unwrap_or(0)))
                            work_center=row.work_center
                            machines=machines
                            errors=errors
                            on_remove=move || row.machines.update(|v| v.retain(|x| x.key != m.key))
                        />
                    </For>
                    <button type="button" class="button small" on:click=move |_| row.machines.update(|v| v.push(MachineRow { key: next_key(), machine: RwSignal::new(None), run: RwSignal::new(String::new()) }))>
                        <IconView icon=Icon::Plus/>{i18n.tr(Key::AddMachine)}
                    </button>
                    <Show when=move || row.machines.with(Vec::is_empty)>
                        <span class="muted small">{i18n.tr(Key::AnyMachine)}</span>
                    </Show>
                </div>
            </div>
        </fieldset>
    }
}

#[component]
fn EligibleMachineEditor(
    m: MachineRow,
    op_index: Signal<usize>,
    index: Signal<usize>,
    work_center: RwSignal<Option<WorkCenterId>>,
    machines: LocalResource<Vec<Machine>>,
    errors: RwSignal<FieldErrors>,
    #[prop(into)] on_remove: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let err = move |name: &'static str| {
        Signal::derive(move || {
            let field = format!(
                "operations[{}].machines[{}].{name}",
                op_index.get(),
                index.get()
            );
            errors.with(|e| e.get(&field).map(|msg| msg.render(i18n.lang())))
        })
    };
    let machine_error = err("machine_id");
    view! {
        <div class="eligible-row">
            <div class="cell-field" class:invalid=move || machine_error.with(Option::is_some)>
                <select aria-label=i18n.tr(Key::Machine) on:change=move |ev| m.machine.set(event_target_value(&ev).parse().ok().map(MachineId))>
                    <option value="" disabled selected=move || m.machine.get().is_none()>{i18n.tr(Key::ChooseOne)}</option>
                    {move || {
                        let wc = work_center.get();
                        machines.get().unwrap_or_default().into_iter()
                            .filter(|x| wc.is_none_or(|wc| x.work_center_id == wc) || Some(x.id) == m.machine.get_untracked())
                            .map(|x| {
                                let id = x.id;
                                view! { <option value=id.0.to_string() selected=move || m.machine.get() == Some(id)>{format!("{} · {}", x.code, x.name)}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <span class="field-error">{move || machine_error.get()}</span>
            </div>
            <CellInput value=m.run label=Key::OwnRunTime error=err("run_minutes_per_unit") numeric=true/>
            <button type="button" class="icon-button" aria-label=i18n.tr(Key::Remove) title=i18n.tr(Key::Remove) on:click=move |_| on_remove.run(())>
                <IconView icon=Icon::Close/>
            </button>
        </div>
    }
}

// ---- BOMs ----

#[component]
fn BomSection(product_id: ProductId, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let boms =
        LocalResource::new(
            move || async move { api::list_boms(product_id).await.map(|p| p.items) },
        );
    let tree = LocalResource::new(move || async move { api::bom_tree(product_id, 1.0).await });
    let selected = RwSignal::new(None::<i64>);
    let editing = RwSignal::new(None::<Option<Bom>>);
    let changed = Callback::new(move |()| {
        boms.refetch();
        tree.refetch();
        on_changed.run(());
    });
    view! {
        <section class="section" id="boms">
            <h2>{i18n.tr(Key::Bom)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match boms.await {
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        Ok(list) => {
                            if selected.get_untracked().is_none_or(|s| !list.iter().any(|b| b.id.0 == s)) {
                                selected.set(preferred(&list, |b| b.status, |b| b.id.0));
                            }
                            let versions = list.iter().map(|b| (b.id.0, b.version, b.status)).collect();
                            let list = StoredValue::new(list);
                            let edit_version = move |id: Option<i64>| {
                                editing.set(Some(id.and_then(|id| list.with_value(|l| l.iter().find(|b| b.id.0 == id).cloned()))))
                            };
                            view! {
                                <VersionBar
                                    kind=Versioned::Bom
                                    versions=versions
                                    selected=selected
                                    on_edit=edit_version
                                    on_changed=changed
                                />
                                {move || {
                                    let shown = selected.get().and_then(|id| list.with_value(|l| l.iter().find(|b| b.id.0 == id).cloned()));
                                    match shown {
                                        Some(b) => view! { <BomTable bom=b/> }.into_any(),
                                        None => view! { <p class="empty">{i18n.tr(Key::NoBomYet)}</p> }.into_any(),
                                    }
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
            <h3>{i18n.tr(Key::BomTree)}</h3>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match tree.await {
                        Ok(node) if !node.children.is_empty() => view! { <ul class="tree" role="tree"><TreeNode node=node/></ul> }.into_any(),
                        Ok(_) => view! { <p class="empty">{i18n.tr(Key::NoActiveBom)}</p> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {move || editing.get().map(|existing| view! {
                <BomEditor
                    product_id=product_id
                    existing=existing
                    on_close=move || editing.set(None)
                    on_saved=move |saved: Bom| {
                        editing.set(None);
                        selected.set(Some(saved.id.0));
                        changed.run(());
                    }
                />
            })}
        </section>
    }
}

/// One level of the exploded BOM, for one unit of the product.
#[component]
fn TreeNode(node: BomNode) -> impl IntoView {
    let i18n = use_i18n();
    let children = node.children;
    view! {
        <li role="treeitem" class=format!("tree-node kind-{}", node.kind.as_str())>
            <div class="tree-line">
                <A href=format!("/master-data/products/{}", node.product_id)><span class="mono">{node.product_code}</span></A>
                <span>{node.product_name}</span>
                <span class=format!("badge kind-{}", node.kind.as_str())>{i18n.tr(kind_key(node.kind))}</span>
                <span class="tree-qty">{format!("{} {}", qty(node.quantity), node.unit)}</span>
                {node.bom_version.map(|v| view! { <span class="muted small">{format!("BOM v{v}")}</span> })}
            </div>
            {(!children.is_empty()).then(|| view! {
                <ul role="group">
                    {children.into_iter().map(|child| view! { <TreeNode node=child/> }.into_any()).collect_view()}
                </ul>
            })}
        </li>
    }
}

#[component]
fn BomTable(bom: Bom) -> impl IntoView {
    let i18n = use_i18n();
    if bom.lines.is_empty() {
        return view! { <p class="empty">{i18n.tr(Key::NoComponentsYet)}</p> }.into_any();
    }
    view! {
        {(!bom.note.is_empty()).then(|| view! { <p class="muted">{bom.note.clone()}</p> })}
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col" class="num">{i18n.tr(Key::Position)}</th>
                        <th scope="col">{i18n.tr(Key::Component)}</th>
                        <th scope="col">{i18n.tr(Key::Name)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::QuantityPer)}</th>
                        <th scope="col">{i18n.tr(Key::Unit)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::ScrapFactor)}</th>
                        <th scope="col">{i18n.tr(Key::Notes)}</th>
                    </tr>
                </thead>
                <tbody>
                    {bom.lines.into_iter().map(|l| view! {
                        <tr>
                            <td class="num">{l.position}</td>
                            <td class="mono"><A href=format!("/master-data/products/{}", l.component_id)>{l.component_code}</A></td>
                            <td>{l.component_name}</td>
                            <td class="num">{qty(l.quantity_per)}</td>
                            <td>{l.unit}</td>
                            <td class="num">{format!("{}%", qty((l.scrap_factor * 1000.0).round() / 10.0))}</td>
                            <td>{l.note}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[derive(Clone, Copy)]
struct LineRow {
    key: usize,
    component: RwSignal<Option<ProductChoice>>,
    quantity: RwSignal<String>,
    scrap: RwSignal<String>,
    note: RwSignal<String>,
}

#[component]
fn BomEditor(
    product_id: ProductId,
    existing: Option<Bom>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<Bom>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let id = existing.as_ref().map(|b| b.id);
    let note = RwSignal::new(
        existing
            .as_ref()
            .map(|b| b.note.clone())
            .unwrap_or_default(),
    );
    let new_line = || LineRow {
        key: next_key(),
        component: RwSignal::new(None),
        quantity: RwSignal::new(String::new()),
        scrap: RwSignal::new(String::new()),
        note: RwSignal::new(String::new()),
    };
    let initial: Vec<LineRow> = match &existing {
        Some(b) if !b.lines.is_empty() => b
            .lines
            .iter()
            .map(|l| LineRow {
                key: next_key(),
                component: RwSignal::new(Some(ProductChoice {
                    id: l.component_id,
                    code: l.component_code.clone(),
                    name: l.component_name.clone(),
                    unit: l.unit.clone(),
                })),
                quantity: RwSignal::new(qty(l.quantity_per)),
                scrap: RwSignal::new(number_text(l.scrap_factor)),
                note: RwSignal::new(l.note.clone()),
            })
            .collect(),
        _ => vec![new_line()],
    };
    let rows = RwSignal::new(initial);
    let errors = RwSignal::new(FieldErrors::default());
    let alert = RwSignal::new(None::<FetchError>);
    let save = Action::new_local(move |input: &BomInput| {
        let input = input.clone();
        async move { api::save_bom(id, &input).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            notices.success(i18n::bom_saved(i18n.lang_untracked(), saved.version));
            on_saved.run(saved);
        }
        Some(Err(error)) => {
            let count = rows.with_untracked(Vec::len);
            let mut fields = vec!["lines".to_owned(), "note".to_owned()];
            for i in 0..count {
                for name in ["component_id", "quantity_per", "scrap_factor", "note"] {
                    fields.push(format!("lines[{i}].{name}"));
                }
            }
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            show_save_error(error, errors, alert, &fields);
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let mut lines = Vec::new();
        for (i, row) in rows.get_untracked().into_iter().enumerate() {
            let f = |name: &str| format!("lines[{i}].{name}");
            let component = row.component.get_untracked();
            if component.is_none() {
                e.add(&f("component_id"), Msg::Key(Key::ChooseProduct));
            }
            let quantity = match parse_number(&row.quantity.get_untracked()) {
                Ok(Some(q)) if q > 0.0 => Some(q),
                Ok(None) => {
                    e.add(&f("quantity_per"), Msg::Key(Key::Required));
                    None
                }
                Ok(Some(_)) => {
                    e.add(&f("quantity_per"), Msg::Key(Key::PositiveNumber));
                    None
                }
                Err(m) => {
                    e.add(&f("quantity_per"), m);
                    None
                }
            };
            let scrap = match parse_number(&row.scrap.get_untracked()) {
                Ok(s) if (0.0..1.0).contains(&s.unwrap_or(0.0)) => s.unwrap_or(0.0),
                Ok(_) => {
                    e.add(&f("scrap_factor"), Msg::Key(Key::ScrapFactorRange));
                    0.0
                }
                Err(m) => {
                    e.add(&f("scrap_factor"), m);
                    0.0
                }
            };
            if let (Some(c), Some(q)) = (component, quantity) {
                lines.push(BomLineInput {
                    component_id: c.id,
                    quantity_per: q,
                    scrap_factor: scrap,
                    note: row.note.get_untracked().trim().to_owned(),
                });
            }
        }
        errors.set(e.clone());
        alert.set(None);
        if e.is_empty() {
            save.dispatch_local(BomInput {
                product_id,
                note: note.get_untracked().trim().to_owned(),
                lines,
            });
        }
    };
    let title = Signal::derive(move || match &existing {
        Some(b) => i18n::edit_bom_title(i18n.lang(), b.version),
        None => i18n.t(Key::NewBomVersion).to_owned(),
    });
    view! {
        <Modal title=title on_close=on_close>
            <form class="form editor" on:submit=on_submit novalidate>
                <ErrorAlert error=alert/>
                <p class="muted small">{i18n.tr(Key::ScrapFactorHint)}</p>
                <div class="bom-lines">
                    <For each=move || rows.get() key=|r| r.key let:row>
                        <BomLineEditor
                            row=row
                            index=Signal::derive(move || rows.with(|r| r.iter().position(|x| x.key == row.key).unwrap_or(0)))
                            errors=errors
                            on_remove=move || rows.update(|r| r.retain(|x| x.key != row.key))
                        />
                    </For>
                </div>
                <button type="button" class="button" data-action="add-line" on:click=move |_| rows.update(|r| r.push(new_line()))>
                    <IconView icon=Icon::Plus/>{i18n.tr(Key::AddComponent)}
                </button>
                <TextAreaField label=Key::VersionNote value=note rows=2/>
                <FormButtons pending=save.pending() on_cancel=on_close submit=Key::SaveDraft/>
            </form>
        </Modal>
    }
}

#[component]
fn BomLineEditor(
    row: LineRow,
    index: Signal<usize>,
    errors: RwSignal<FieldErrors>,
    #[prop(into)] on_remove: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let err = move |name: &'static str| {
        Signal::derive(move || {
            let field = format!("lines[{}].{name}", index.get());
            errors.with(|e| e.get(&field).map(|m| m.render(i18n.lang())))
        })
    };
    let component_error = Signal::derive(move || {
        let field = format!("lines[{}].component_id", index.get());
        errors.with(|e| e.get(&field).cloned())
    });
    view! {
        <div class="bom-line">
            <ProductPicker label=Key::Component selected=row.component error=component_error/>
            <label class="mini">{i18n.tr(Key::QuantityPer)}<CellInput value=row.quantity label=Key::QuantityPer error=err("quantity_per") numeric=true/></label>
            <label class="mini">{i18n.tr(Key::ScrapFactor)}<CellInput value=row.scrap label=Key::ScrapFactor error=err("scrap_factor") numeric=true/></label>
            <label class="mini grow">{i18n.tr(Key::Notes)}<CellInput value=row.note label=Key::Notes error=err("note") wide=true/></label>
            <button type="button" class="icon-button" aria-label=i18n.tr(Key::Remove) title=i18n.tr(Key::Remove) on:click=move |_| on_remove.run(())>
                <IconView icon=Icon::Trash/>
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draft_is_shown_first_then_the_active_version() {
        let versions = [
            (3, VersionStatus::Archived),
            (2, VersionStatus::Active),
            (1, VersionStatus::Draft),
        ];
        assert_eq!(preferred(&versions, |v| v.1, |v| v.0), Some(1));
        let versions = [(3, VersionStatus::Archived), (2, VersionStatus::Active)];
        assert_eq!(preferred(&versions, |v| v.1, |v| v.0), Some(2));
        let versions = [(3, VersionStatus::Archived)];
        assert_eq!(preferred(&versions, |v| v.1, |v| v.0), Some(3));
        assert_eq!(
            preferred(&[] as &[(i64, VersionStatus)], |v| v.1, |v| v.0),
            None
        );
    }
}
