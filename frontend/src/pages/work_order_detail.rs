//! `/work-orders/{id}`: one order: header, progress, operations, material, timeline, and the
//! actions its state allows. Also the dialogs that create, edit and split orders.

use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
};
use mes_api_types::{
    WorkOrderId,
    auth::Role,
    work_orders::{
        NewWorkOrder, OperationStatus, SplitRequest, TransitionRequest, WorkOrderAction,
        WorkOrderDetail, WorkOrderEvent, WorkOrderStatus, WorkOrderUpdate,
    },
};

use crate::{
    api::{self, FetchError},
    components::{
        Loading,
        data_exchange::{PrintLink, traveler_url},
        dialog::Modal,
        errors::{ErrorAlert, ErrorPanel},
        form::{FieldErrors, Msg, TextField, field_error},
        icons::{Icon, IconView},
        notice::use_notices,
        pickers::{ProductChoice, ProductPicker},
    },
    i18n::{self, Key, use_i18n},
    pages::work_orders::{PLANNERS, ProgressBar, StatusBadge, qty},
    session::use_session,
    util,
};

/// Start and complete are for the floor's supervisors too; the rest is planning.
fn action_roles(action: WorkOrderAction) -> &'static [Role] {
    match action {
        WorkOrderAction::Start | WorkOrderAction::Complete => {
            &[Role::Admin, Role::Manager, Role::Planner, Role::Supervisor]
        }
        _ => &PLANNERS,
    }
}

fn action_key(action: WorkOrderAction) -> Key {
    match action {
        WorkOrderAction::Release => Key::ActionRelease,
        WorkOrderAction::Start => Key::ActionStart,
        WorkOrderAction::Complete => Key::ActionComplete,
        WorkOrderAction::Close => Key::ActionClose,
        WorkOrderAction::Hold => Key::ActionHold,
        WorkOrderAction::Resume => Key::ActionResume,
        WorkOrderAction::Cancel => Key::ActionCancel,
        WorkOrderAction::Reopen => Key::ActionReopen,
    }
}

/// Hold and cancel need a reason the timeline keeps.
fn needs_reason(action: WorkOrderAction) -> bool {
    matches!(action, WorkOrderAction::Hold | WorkOrderAction::Cancel)
}

fn operation_status_key(status: OperationStatus) -> Key {
    match status {
        OperationStatus::Pending => Key::OpPending,
        OperationStatus::InProgress => Key::OpInProgress,
        OperationStatus::Paused => Key::OpPaused,
        OperationStatus::Done => Key::OpDone,
    }
}

fn event_key(kind: &str) -> Option<Key> {
    Some(match kind {
        "created" => Key::EventCreated,
        "updated" => Key::EventUpdated,
        "released" => Key::EventReleased,
        "started" => Key::EventStarted,
        "completed" => Key::EventCompleted,
        "closed" => Key::EventClosed,
        "held" => Key::EventHeld,
        "resumed" => Key::EventResumed,
        "cancelled" => Key::EventCancelled,
        "reopened" => Key::EventReopened,
        "split" => Key::EventSplit,
        "split_from" => Key::EventSplitFrom,
        "reported" => Key::EventReported,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Dialog {
    Closed,
    Edit,
    Split,
    Reason(WorkOrderAction),
}

#[component]
pub fn WorkOrderDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|id| id.parse().ok()).map(WorkOrderId))
    });
    let detail = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::get_work_order(id).await,
                None => Err(FetchError::Api {
                    status: 404,
                    error: mes_api_types::ApiError {
                        error: mes_api_types::ErrorKind::NotFound,
                        message: String::new(),
                        details: Vec::new(),
                    },
                }),
            }
        }
    });
    let i18n = use_i18n();
    view! {
        <div class="page wide">
            <nav class="breadcrumb">
                <A href="/work-orders">{i18n.tr(Key::WorkOrdersTitle)}</A>
            </nav>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(order) => {
                            view! { <OrderView order=order on_changed=move || detail.refetch()/> }
                                .into_any()
                        }
                        Err(error) => {
                            view! { <ErrorPanel error=error on_retry=move || detail.refetch()/> }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn OrderView(order: WorkOrderDetail, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let notices = use_notices();
    // The router's navigate function is not `Send`; callbacks reach it through the arena.
    let navigate = StoredValue::new_local(use_navigate());
    let dialog = RwSignal::new(Dialog::Closed);
    let action_error = RwSignal::new(None::<FetchError>);
    let id = order.order.id;
    let lock_version = order.lock_version;
    let number = order.order.number.clone();
    let status = order.order.status;

    let transition = Action::new_local(
        move |(action, reason): &(WorkOrderAction, Option<String>)| {
            let action = *action;
            let request = TransitionRequest {
                reason: reason.clone(),
                lock_version: Some(lock_version),
            };
            async move {
                (
                    action,
                    api::transition_work_order(id, action, &request).await,
                )
            }
        },
    );
    Effect::new({
        let number = number.clone();
        move |_| {
            if let Some((action, result)) = transition.value().get() {
                match result {
                    Ok(_) => {
                        action_error.set(None);
                        dialog.set(Dialog::Closed);
                        notices.success(i18n::order_action_done(
                            i18n.lang_untracked(),
                            &number,
                            i18n::text(i18n.lang_untracked(), action_key(action)),
                        ));
                        on_changed.run(());
                    }
                    Err(e) => {
                        dialog.set(Dialog::Closed);
                        action_error.set(Some(e));
                    }
                }
            }
        }
    });

    let actions: Vec<WorkOrderAction> = order
        .allowed_actions
        .iter()
        .copied()
        .filter(|a| session.has_any_role(action_roles(*a)))
        .collect();
    let can_plan = session.has_any_role(&PLANNERS);
    let can_edit = can_plan && status == WorkOrderStatus::Draft;
    let can_split = can_plan
        && matches!(
            status,
            WorkOrderStatus::Draft
                | WorkOrderStatus::Released
                | WorkOrderStatus::InProgress
                | WorkOrderStatus::OnHold
        )
        && order.order.qty_remaining > 0.0;
    let order = StoredValue::new(order);
    let o = order.get_value();
    let progress_share = o.order.progress;
    let product_code = o.order.product_code.clone();
    let on_split = Callback::new(move |child: WorkOrderDetail| {
        dialog.set(Dialog::Closed);
        notices.success(i18n::order_split(
            i18n.lang_untracked(),
            &child.order.number,
        ));
        navigate.with_value(|go| {
            go(
                &format!("/work-orders/{}", child.order.id),
                Default::default(),
            )
        });
    });

    view! {
        <header class="page-header detail-header">
            <div class="title-block">
                <h1 class="mono">{o.order.number.clone()}</h1>
                <StatusBadge status=status/>
                {o.order.late.then(|| view! { <span class="badge late-badge">{i18n.tr(Key::Late)}</span> })}
            </div>
            <div class="page-actions" role="group" aria-label=i18n.tr(Key::Actions)>
                {(status != WorkOrderStatus::Draft)
                    .then(|| view! { <PrintLink href=traveler_url(id) label=Key::PrintTraveler/> })}
                {can_edit
                    .then(|| {
                        view! {
                            <button type="button" class="button" on:click=move |_| dialog.set(Dialog::Edit)>
                                <IconView icon=Icon::Edit/>
                                {i18n.tr(Key::Edit)}
                            </button>
                        }
                    })}
                {can_split
                    .then(|| {
                        view! {
                            <button type="button" class="button" on:click=move |_| dialog.set(Dialog::Split)>
                                {i18n.tr(Key::Split)}
                            </button>
                        }
                    })}
                {actions
                    .into_iter()
                    .map(|action| {
                        let primary = matches!(
                            action,
                            WorkOrderAction::Release | WorkOrderAction::Resume | WorkOrderAction::Complete
                        );
                        let danger = action == WorkOrderAction::Cancel;
                        view! {
                            <button
                                type="button"
                                class="button"
                                class:primary=primary
                                class:danger=danger
                                data-action=action.as_str()
                                disabled=move || transition.pending().get()
                                on:click=move |_| {
                                    if needs_reason(action) {
                                        dialog.set(Dialog::Reason(action));
                                    } else {
                                        transition.dispatch_local((action, None));
                                    }
                                }
                            >
                                {i18n.tr(action_key(action))}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </header>
        <ErrorAlert error=action_error/>
        <div class="detail-grid">
            <section class="card">
                <h2>{i18n.tr(Key::OrderDetails)}</h2>
                <dl class="facts two-col">
                    <dt>{i18n.tr(Key::Product)}</dt>
                    <dd>
                        <A href=format!("/master-data/products/{}", o.order.product_id)>
                            <span class="mono">{product_code}</span>
                        </A>
                        " "
                        {o.order.product_name.clone()}
                    </dd>
                    <dt>{i18n.tr(Key::Quantity)}</dt>
                    <dd>{format!("{} {}", qty(o.order.quantity), o.order.unit)}</dd>
                    <dt>{i18n.tr(Key::DueDate)}</dt>
                    <dd>{util::format_datetime(&o.order.due_at)[..16].to_owned()}</dd>
                    <dt>{i18n.tr(Key::Priority)}</dt>
                    <dd>{o.order.priority}</dd>
                    <dt>{i18n.tr(Key::Customer)}</dt>
                    <dd>{dash(&o.order.customer)}</dd>
                    <dt>{i18n.tr(Key::SalesOrder)}</dt>
                    <dd>{dash(&o.order.sales_order)}</dd>
                    <dt>{i18n.tr(Key::RoutingVersion)}</dt>
                    <dd>{o.routing_version.map(|v| format!("v{v}")).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{i18n.tr(Key::BomVersion)}</dt>
                    <dd>{o.bom_version.map(|v| format!("v{v}")).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{i18n.tr(Key::ScanCode)}</dt>
                    <dd class="mono">{o.scan_code.clone()}</dd>
                    {o.hold_reason.clone().map(|reason| view! {
                        <dt>{i18n.tr(Key::HoldReason)}</dt>
                        <dd>{reason}</dd>
                    })}
                    {(!o.notes.is_empty()).then(|| view! {
                        <dt>{i18n.tr(Key::Notes)}</dt>
                        <dd class="pre">{o.notes.clone()}</dd>
                    })}
                </dl>
                <RelatedOrders order=o.clone()/>
            </section>
            <section class="card">
                <h2>{i18n.tr(Key::Progress)}</h2>
                <div class="kpis">
                    <div class="kpi ok">
                        <span class="kpi-label">{i18n.tr(Key::QtyGood)}</span>
                        <span class="kpi-value">{qty(o.order.qty_good)}</span>
                    </div>
                    <div class="kpi danger">
                        <span class="kpi-label">{i18n.tr(Key::QtyScrap)}</span>
                        <span class="kpi-value">{qty(o.order.qty_scrap)}</span>
                    </div>
                    <div class="kpi">
                        <span class="kpi-label">{i18n.tr(Key::QtyRemaining)}</span>
                        <span class="kpi-value">{qty(o.order.qty_remaining)}</span>
                    </div>
                </div>
                <ProgressBar share=progress_share/>
                <dl class="facts">
                    <dt>{i18n.tr(Key::ReleasedAt)}</dt>
                    <dd>{o.released_at.map(|t| util::format_datetime(&t)).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{i18n.tr(Key::StartedAt)}</dt>
                    <dd>{o.started_at.map(|t| util::format_datetime(&t)).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{i18n.tr(Key::CompletedAt)}</dt>
                    <dd>{o.completed_at.map(|t| util::format_datetime(&t)).unwrap_or_else(|| "—".into())}</dd>
                </dl>
            </section>
        </div>
        <section class="section">
            <h2>{i18n.tr(Key::Operations)}</h2>
            <OperationsTable order=o.clone()/>
        </section>
        <section class="section">
            <h2>{i18n.tr(Key::MaterialRequirements)}</h2>
            <MaterialsTable order=o.clone()/>
        </section>
        <section class="section">
            <h2>{i18n.tr(Key::Timeline)}</h2>
            <Timeline events=o.events.clone()/>
        </section>
        {move || match dialog.get() {
            Dialog::Closed => None,
            Dialog::Edit => Some(view! {
                <WorkOrderFormDialog
                    existing=order.get_value()
                    on_close=move || dialog.set(Dialog::Closed)
                    on_saved=move |_: WorkOrderDetail| {
                        dialog.set(Dialog::Closed);
                        on_changed.run(());
                    }
                />
            }.into_any()),
            Dialog::Split => Some(view! {
                <SplitDialog
                    order=order.get_value()
                    on_close=move || dialog.set(Dialog::Closed)
                    on_split=on_split
                />
            }.into_any()),
            Dialog::Reason(action) => Some(view! {
                <ReasonDialog
                    action=action
                    pending=transition.pending()
                    on_close=move || dialog.set(Dialog::Closed)
                    on_confirm=move |reason: String| {
                        transition.dispatch_local((action, Some(reason)));
                    }
                />
            }.into_any()),
        }}
    }
}

fn dash(text: &str) -> String {
    if text.trim().is_empty() {
        "—".to_owned()
    } else {
        text.to_owned()
    }
}

#[component]
fn RelatedOrders(order: WorkOrderDetail) -> impl IntoView {
    let i18n = use_i18n();
    let parent = order.order.parent_id;
    let children = order.children;
    let predecessors = order.predecessors;
    let link = |r: mes_api_types::work_orders::WorkOrderRef| {
        view! {
            <A href=format!("/work-orders/{}", r.id) attr:class="chip">
                <span class="mono">{r.number}</span>
                <StatusBadge status=r.status/>
            </A>
        }
    };
    (parent.is_some() || !children.is_empty() || !predecessors.is_empty()).then(|| {
        view! {
            <dl class="facts related">
                {parent.map(|p| view! {
                    <dt>{i18n.tr(Key::SplitFrom)}</dt>
                    <dd><A href=format!("/work-orders/{p}")>{i18n.tr(Key::OpenParentOrder)}</A></dd>
                })}
                {(!children.is_empty()).then(|| view! {
                    <dt>{i18n.tr(Key::SplitOrders)}</dt>
                    <dd class="chips">{children.into_iter().map(link).collect_view()}</dd>
                })}
                {(!predecessors.is_empty()).then(|| view! {
                    <dt>{i18n.tr(Key::WaitsFor)}</dt>
                    <dd class="chips">{predecessors.into_iter().map(link).collect_view()}</dd>
                })}
            </dl>
        }
    })
}

#[component]
fn OperationsTable(order: WorkOrderDetail) -> impl IntoView {
    let i18n = use_i18n();
    if order.operations.is_empty() {
        let hint = if order.order.status == WorkOrderStatus::Draft {
            Key::OperationsAfterRelease
        } else {
            Key::NoOperations
        };
        return view! { <p class="empty">{i18n.tr(hint)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table operations">
                <thead>
                    <tr>
                        <th scope="col" class="num">{i18n.tr(Key::Seq)}</th>
                        <th scope="col">{i18n.tr(Key::Operation)}</th>
                        <th scope="col">{i18n.tr(Key::WorkCenter)}</th>
                        <th scope="col">{i18n.tr(Key::Machines)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::SetupMin)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::RunMinPerUnit)}</th>
                        <th scope="col">{i18n.tr(Key::Status)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::QtyGood)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::QtyScrap)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::QtyRemaining)}</th>
                    </tr>
                </thead>
                <tbody>
                    {order
                        .operations
                        .into_iter()
                        .map(|op| {
                            let machines = if op.machines.is_empty() {
                                None
                            } else {
                                Some(
                                    op.machines
                                        .iter()
                                        .map(|m| format!("{} ({} min)", m.machine_code, qty(m.run_minutes_per_unit)))
                                        .collect::<Vec<_>>()
                                        .join(", "),
                                )
                            };
                            view! {
                                <tr data-seq=op.seq>
                                    <td class="num">{op.seq}</td>
                                    <td>
                                        {op.name}
                                        {op.inspection_required.then(|| view! {
                                            <span class="chip subtle">{i18n.tr(Key::InspectionRequired)}</span>
                                        })}
                                        {(!op.instruction.is_empty()).then(|| view! {
                                            <span class="muted cell-sub">{op.instruction.clone()}</span>
                                        })}
                                    </td>
                                    <td class="mono">{op.work_center_code}</td>
                                    <td>
                                        {match machines {
                                            Some(m) => view! { <span class="mono small">{m}</span> }.into_any(),
                                            None => view! { <span class="muted">{i18n.tr(Key::AnyMachine)}</span> }.into_any(),
                                        }}
                                        {op.planned_machine_code.map(|m| view! {
                                            <span class="cell-sub">{move || i18n::planned_on(i18n.lang(), &m)}</span>
                                        })}
                                    </td>
                                    <td class="num">{qty(op.setup_minutes)}</td>
                                    <td class="num">{qty(op.run_minutes_per_unit)}</td>
                                    <td>
                                        <span class=format!("badge op-{}", op.status.as_str())>
                                            {i18n.tr(operation_status_key(op.status))}
                                        </span>
                                    </td>
                                    <td class="num">{qty(op.qty_good)}</td>
                                    <td class="num">{qty(op.qty_scrap)}</td>
                                    <td class="num">{qty(op.qty_remaining)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn MaterialsTable(order: WorkOrderDetail) -> impl IntoView {
    let i18n = use_i18n();
    if order.materials.is_empty() {
        let hint = if order.order.status == WorkOrderStatus::Draft {
            Key::MaterialsAfterRelease
        } else {
            Key::NoMaterials
        };
        return view! { <p class="empty">{i18n.tr(hint)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(Key::Code)}</th>
                        <th scope="col">{i18n.tr(Key::Name)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::QtyRequired)}</th>
                        <th scope="col" class="num">{i18n.tr(Key::QtyIssued)}</th>
                        <th scope="col">{i18n.tr(Key::Unit)}</th>
                    </tr>
                </thead>
                <tbody>
                    {order
                        .materials
                        .into_iter()
                        .map(|m| view! {
                            <tr>
                                <td class="mono">
                                    <A href=format!("/master-data/products/{}", m.product_id)>{m.product_code}</A>
                                </td>
                                <td>{m.product_name}</td>
                                <td class="num">{qty(m.quantity_required)}</td>
                                <td class="num">{qty(m.quantity_issued)}</td>
                                <td>{m.unit}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The event's details as short `key: value` text (reasons, quantities, split numbers).
fn event_detail(detail: &serde_json::Value) -> String {
    match detail {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(" · "),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[component]
fn Timeline(events: Vec<WorkOrderEvent>) -> impl IntoView {
    let i18n = use_i18n();
    if events.is_empty() {
        return view! { <p class="empty">{i18n.tr(Key::NoEvents)}</p> }.into_any();
    }
    view! {
        <ol class="timeline">
            {events
                .into_iter()
                .map(|e| {
                    let kind = e.kind.clone();
                    let detail = event_detail(&e.detail);
                    view! {
                        <li class=format!("event event-{}", e.kind)>
                            <time class="nowrap muted">{util::format_datetime(&e.at)}</time>
                            <strong>
                                {move || event_key(&kind).map(|k| i18n.t(k).to_owned()).unwrap_or_else(|| kind.clone())}
                            </strong>
                            <span>{e.actor_name}</span>
                            {(!detail.is_empty()).then(|| view! { <span class="muted small">{detail}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// The API's field names, so server validation details land on the right input.
const ORDER_FIELDS: [&str; 7] = [
    "product_id",
    "quantity",
    "due_at",
    "priority",
    "customer",
    "sales_order",
    "notes",
];

/// Create (no `existing`) or edit a draft order.
#[component]
pub fn WorkOrderFormDialog(
    #[prop(optional)] existing: Option<WorkOrderDetail>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<WorkOrderDetail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let o = existing.as_ref();
    let product = RwSignal::new(o.map(|o| ProductChoice {
        id: o.order.product_id,
        code: o.order.product_code.clone(),
        name: o.order.product_name.clone(),
        unit: o.order.unit.clone(),
    }));
    let quantity = RwSignal::new(o.map(|o| qty(o.order.quantity)).unwrap_or_default());
    let due = RwSignal::new(
        o.map(|o| util::utc_to_datetime_local(&o.order.due_at))
            .unwrap_or_default(),
    );
    let priority = RwSignal::new(o.map(|o| o.order.priority).unwrap_or(3));
    let customer = RwSignal::new(o.map(|o| o.order.customer.clone()).unwrap_or_default());
    let sales_order = RwSignal::new(o.map(|o| o.order.sales_order.clone()).unwrap_or_default());
    let notes = RwSignal::new(o.map(|o| o.notes.clone()).unwrap_or_default());
    let errors = RwSignal::new(FieldErrors::default());
    let server_error = RwSignal::new(None::<FetchError>);
    let edit = o.map(|o| (o.order.id, o.lock_version));
    let edit_number = o.map(|o| o.order.number.clone());
    let is_edit = edit.is_some();

    let save = Action::new_local(move |order: &NewWorkOrder| {
        let order = order.clone();
        async move {
            match edit {
                Some((id, lock)) => {
                    let update = WorkOrderUpdate {
                        product_id: Some(order.product_id),
                        quantity: Some(order.quantity),
                        due_at: Some(order.due_at),
                        priority: order.priority,
                        customer: Some(order.customer),
                        sales_order: Some(order.sales_order),
                        notes: Some(order.notes),
                        lock_version: Some(lock),
                        ..Default::default()
                    };
                    api::update_work_order(id, &update).await
                }
                None => api::create_work_order(&order).await,
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            let lang = i18n.lang_untracked();
            notices.success(if is_edit {
                i18n::order_saved(lang, &saved.order.number)
            } else {
                i18n::order_created(lang, &saved.order.number)
            });
            on_saved.run(saved);
        }
        Some(Err(error)) => {
            let mut e = FieldErrors::default();
            let unplaced = e.merge_server_details(error.details(), &ORDER_FIELDS);
            errors.set(e);
            server_error.set(
                (!unplaced.is_empty() || errors.with_untracked(FieldErrors::is_empty))
                    .then_some(error),
            );
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let chosen = product.get_untracked();
        if chosen.is_none() {
            e.add("product_id", Msg::Key(Key::ChooseProduct));
        }
        let amount = quantity.get_untracked().trim().parse::<f64>().ok();
        match amount {
            None if quantity.with_untracked(|q| q.trim().is_empty()) => {
                e.add("quantity", Msg::Key(Key::Required))
            }
            Some(q) if q > 0.0 && q.is_finite() => {}
            _ => e.add("quantity", Msg::Key(Key::PositiveNumber)),
        }
        let due_at = util::datetime_local_to_utc(&due.get_untracked());
        if due_at.is_none() {
            e.add("due_at", Msg::Key(Key::Required));
        }
        errors.set(e.clone());
        server_error.set(None);
        if let (true, Some(p), Some(q), Some(due_at)) = (e.is_empty(), chosen, amount, due_at) {
            save.dispatch_local(NewWorkOrder {
                number: None,
                product_id: p.id,
                quantity: q,
                due_at,
                release_at: None,
                priority: Some(priority.get_untracked()),
                customer: customer.get_untracked().trim().to_owned(),
                sales_order: sales_order.get_untracked().trim().to_owned(),
                notes: notes.get_untracked().trim().to_owned(),
                predecessors: Vec::new(),
            });
        }
    };
    let title = Signal::derive(move || match &edit_number {
        Some(number) => i18n::edit_order_title(i18n.lang(), number),
        None => i18n.t(Key::NewWorkOrder).to_owned(),
    });
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=server_error/>
                <div class="form-grid">
                    <ProductPicker
                        label=Key::Product
                        selected=product
                        required=true
                        autofocus=true
                        error=field_error(errors, "product_id")
                    />
                    <TextField
                        label=Key::Quantity
                        value=quantity
                        inputmode="decimal"
                        required=true
                        error=field_error(errors, "quantity")
                    />
                    <TextField
                        label=Key::DueDate
                        value=due
                        input_type="datetime-local"
                        required=true
                        error=field_error(errors, "due_at")
                    />
                    <div class="field">
                        <label for="wo-priority">{i18n.tr(Key::Priority)}</label>
                        <select
                            id="wo-priority"
                            on:change=move |ev| priority.set(event_target_value(&ev).parse().unwrap_or(3))
                        >
                            {(1..=5)
                                .map(|p| view! {
                                    <option value=p.to_string() selected=move || priority.get() == p>
                                        {move || i18n::priority_label(i18n.lang(), p)}
                                    </option>
                                })
                                .collect_view()}
                        </select>
                        <p class="field-error">{move || field_error(errors, "priority").get().map(|m| m.render(i18n.lang()))}</p>
                    </div>
                    <TextField label=Key::Customer value=customer maxlength=200 error=field_error(errors, "customer")/>
                    <TextField label=Key::SalesOrder value=sales_order maxlength=100 error=field_error(errors, "sales_order")/>
                </div>
                <div class="field">
                    <label for="wo-notes">{i18n.tr(Key::Notes)}</label>
                    <textarea id="wo-notes" rows="3" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                    <p class="field-error">{move || field_error(errors, "notes").get().map(|m| m.render(i18n.lang()))}</p>
                </div>
                <div class="form-actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>
                        {i18n.tr(Key::Cancel)}
                    </button>
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>
                        {move || if save.pending().get() { i18n.t(Key::Saving) } else if is_edit { i18n.t(Key::Save) } else { i18n.t(Key::Create) }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

/// "New work order" from the list: opens the new order's page once created.
#[component]
pub fn CreateWorkOrderDialog(#[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let navigate = StoredValue::new_local(use_navigate());
    view! {
        <WorkOrderFormDialog
            on_close=on_close
            on_saved=move |order: WorkOrderDetail| {
                navigate.with_value(|go| go(&format!("/work-orders/{}", order.order.id), Default::default()))
            }
        />
    }
}

#[component]
fn SplitDialog(
    order: WorkOrderDetail,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_split: Callback<WorkOrderDetail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = order.order.id;
    let remaining = order.order.qty_remaining;
    let quantity = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let server_error = RwSignal::new(None::<FetchError>);
    let split = Action::new_local(move |request: &SplitRequest| {
        let request = request.clone();
        async move { api::split_work_order(id, &request).await }
    });
    Effect::new(move |_| match split.value().get() {
        Some(Ok(child)) => on_split.run(child),
        Some(Err(error)) => {
            let mut e = FieldErrors::default();
            let unplaced = e.merge_server_details(error.details(), &["quantity", "due_at"]);
            errors.set(e);
            server_error.set(
                (!unplaced.is_empty() || errors.with_untracked(FieldErrors::is_empty))
                    .then_some(error),
            );
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let amount = quantity.get_untracked().trim().parse::<f64>().ok();
        match amount {
            Some(q) if q > 0.0 && q < remaining => {}
            Some(_) => e.add(
                "quantity",
                Msg::Server(i18n::split_range(i18n.lang_untracked(), &qty(remaining))),
            ),
            None => e.add("quantity", Msg::Key(Key::PositiveNumber)),
        }
        let due_at = util::datetime_local_to_utc(&due.get_untracked());
        errors.set(e.clone());
        if let (true, Some(q)) = (e.is_empty(), amount) {
            split.dispatch_local(SplitRequest {
                quantity: q,
                due_at,
            });
        }
    };
    let number = order.order.number.clone();
    let title = Signal::derive(move || i18n::split_title(i18n.lang(), &number));
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=server_error/>
                <p class="muted">{move || i18n::split_hint(i18n.lang(), &qty(remaining))}</p>
                <div class="form-grid">
                    <TextField label=Key::SplitQuantity value=quantity inputmode="decimal" required=true autofocus=true error=field_error(errors, "quantity")/>
                    <TextField label=Key::NewDueDate value=due input_type="datetime-local" hint=Key::KeepDueDateHint error=field_error(errors, "due_at")/>
                </div>
                <div class="form-actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{i18n.tr(Key::Cancel)}</button>
                    <button type="submit" class="button primary" disabled=move || split.pending().get()>{i18n.tr(Key::Split)}</button>
                </div>
            </form>
        </Modal>
    }
}

#[component]
fn ReasonDialog(
    action: WorkOrderAction,
    pending: Memo<bool>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_confirm: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_owned();
        missing.set(text.is_empty());
        if !text.is_empty() {
            on_confirm.run(text);
        }
    };
    let title = Signal::derive(move || i18n.t(action_key(action)).to_owned());
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <div class="field" class:invalid=move || missing.get()>
                    <label for="wo-reason">{i18n.tr(Key::Reason)}<span class="required" aria-hidden="true">" *"</span></label>
                    <textarea id="wo-reason" rows="3" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    <p class="field-error">{move || missing.get().then(|| i18n.t(Key::Required))}</p>
                </div>
                <div class="form-actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{i18n.tr(Key::Cancel)}</button>
                    <button type="submit" class="button primary" class:danger=action == WorkOrderAction::Cancel disabled=move || pending.get()>
                        {i18n.tr(action_key(action))}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
