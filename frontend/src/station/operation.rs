//! One operation at the machine: its quantities, the actions its state allows, the report pad,
//! and the work instruction with the product's drawings. Every action goes through the outbox,
//! so it is kept on the tablet when the network is gone and applied once when it returns.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_params_map};
use mes_api_types::{
    WorkOrderOperationId,
    master_data::{Attachment, Reason},
    station::{
        ActionResult, CompleteRequest, DefectQuantity, OperationView, PauseRequest, PhaseKind,
        ReportRequest, ResumeRequest, StartRequest, StationAction,
    },
};
use serde::Serialize;

use super::{
    api, cache, cached,
    outbox::{Outcome, use_outbox},
    qty, use_station,
};
use crate::{
    api::FetchError,
    components::{
        Loading,
        errors::{ErrorAlert, ErrorPanel},
        icons::{Icon, IconView},
    },
    i18n::{self, Key, use_i18n},
    util,
};

/// What the last action came to, shown above the actions.
#[derive(Debug, Clone, PartialEq)]
enum Notice {
    Done(Vec<String>),
    Queued,
    Refused(String),
}

#[component]
pub fn StationOperation() -> impl IntoView {
    let i18n = use_i18n();
    let station = use_station();
    let outbox = use_outbox();
    let params = use_params_map();
    let navigate = use_navigate();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("operation_id").and_then(|v| v.parse::<i64>().ok()))
    });
    let view_data = RwSignal::new(None::<OperationView>);
    let error = RwSignal::new(None::<FetchError>);
    let stale = RwSignal::new(false);
    let notice = RwSignal::new(None::<Notice>);
    let pad = RwSignal::new(None::<PadMode>);
    let pausing = RwSignal::new(false);
    let supervisor_override = RwSignal::new(false);

    let refresh = move || {
        let Some(id) = id.get_untracked() else { return };
        spawn_local(async move {
            match api::operation(WorkOrderOperationId(id)).await {
                Ok(op) => {
                    cache(&format!("op.{id}"), &op);
                    view_data.set(Some(op));
                    stale.set(false);
                    error.set(None);
                }
                Err(FetchError::Network(e)) => match cached::<OperationView>(&format!("op.{id}")) {
                    Some(op) => {
                        view_data.set(Some(op));
                        stale.set(true);
                    }
                    None => error.set(Some(FetchError::Network(e))),
                },
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        outbox.applied();
        refresh();
    });

    // Sends one action through the outbox and says what became of it.
    let act =
        move |path: String, body: String, label: String, then: Option<(String, String, String)>| {
            spawn_local(async move {
                let outcome = outbox.submit(path, body, label).await;
                let mut warnings = Vec::new();
                let mut queued = false;
                match outcome {
                    Outcome::Applied(body) => {
                        if let Ok(result) = serde_json::from_str::<ActionResult>(&body) {
                            warnings.extend(result.warnings.into_iter().map(|w| w.message));
                        }
                    }
                    Outcome::Queued => queued = true,
                    Outcome::Rejected(message) => {
                        notice.set(Some(Notice::Refused(message)));
                        return;
                    }
                }
                if let Some((path, body, label)) = then {
                    match outbox.submit(path, body, label).await {
                        Outcome::Applied(body) => {
                            if let Ok(result) = serde_json::from_str::<ActionResult>(&body) {
                                warnings.extend(result.warnings.into_iter().map(|w| w.message));
                            }
                        }
                        Outcome::Queued => queued = true,
                        Outcome::Rejected(message) => {
                            notice.set(Some(Notice::Refused(message)));
                            return;
                        }
                    }
                }
                notice.set(Some(if queued {
                    Notice::Queued
                } else {
                    Notice::Done(warnings)
                }));
            });
        };

    let label_for = move |op: &OperationView, action: Key| {
        format!(
            "{} {} / {}",
            i18n.t(action),
            op.work_order_number,
            op.operation.seq
        )
    };
    let path_for = move |op: &OperationView, verb: &str| {
        format!("/api/v1/operations/{}/{verb}", op.operation.id.0)
    };

    let start = move |phase: PhaseKind| {
        let Some(op) = view_data.get_untracked() else {
            return;
        };
        let Some(machine) = station.machine() else {
            notice.set(Some(Notice::Refused(i18n.t(Key::NoMachineHere).to_owned())));
            return;
        };
        let body = json(&StartRequest {
            machine_id: machine.id,
            phase,
            operator_id: station.operator_id(),
        });
        let key = if phase == PhaseKind::Setup {
            Key::StartSetup
        } else {
            Key::StartRun
        };
        act(path_for(&op, "start"), body, label_for(&op, key), None);
    };
    let pause = Callback::new(move |reason: Reason| {
        pausing.set(false);
        let Some(op) = view_data.get_untracked() else {
            return;
        };
        let body = json(&PauseRequest {
            downtime_reason_id: reason.id,
            note: None,
            operator_id: station.operator_id(),
        });
        act(
            path_for(&op, "pause"),
            body,
            label_for(&op, Key::Pause),
            None,
        );
    });
    let resume = move || {
        let Some(op) = view_data.get_untracked() else {
            return;
        };
        let body = json(&ResumeRequest {
            operator_id: station.operator_id(),
        });
        act(
            path_for(&op, "resume"),
            body,
            label_for(&op, Key::Resume),
            None,
        );
    };
    let complete_request = move |op: &OperationView| {
        (
            path_for(op, "complete"),
            json(&CompleteRequest {
                supervisor_override: supervisor_override.get_untracked(),
                note: None,
                operator_id: station.operator_id(),
            }),
            label_for(op, Key::Complete),
        )
    };
    let complete = move || {
        let Some(op) = view_data.get_untracked() else {
            return;
        };
        let (path, body, label) = complete_request(&op);
        act(path, body, label, None);
    };
    let report = Callback::new(move |(mode, request): (PadMode, ReportRequest)| {
        pad.set(None);
        let Some(op) = view_data.get_untracked() else {
            return;
        };
        let request = ReportRequest {
            supervisor_override: supervisor_override.get_untracked(),
            operator_id: station.operator_id(),
            ..request
        };
        let scrap: f64 = request.scrap.iter().map(|d| d.quantity).sum();
        let label = format!(
            "{} · {}",
            label_for(&op, Key::Report),
            i18n::report_summary(i18n.lang_untracked(), &qty(request.good), &qty(scrap))
        );
        let then = (mode == PadMode::Finish).then(|| complete_request(&op));
        act(path_for(&op, "report"), json(&request), label, then);
    });

    let back = move |_| {
        navigate(
            &format!(
                "/station/{}",
                util::encode_uri_component(&station.code.get_untracked())
            ),
            Default::default(),
        )
    };

    view! {
        <section class="station-panel operation-screen">
            <div class="operation-top">
                <button type="button" class="button touch" on:click=back>
                    "← " {i18n.tr(Key::Queue)}
                </button>
                {move || stale.get().then(|| view! { <span class="badge warn">{i18n.tr(Key::ShownFromTablet)}</span> })}
            </div>
            {move || {
                if let Some(e) = error.get().filter(|_| view_data.with(Option::is_none)) {
                    return view! { <ErrorPanel error=e on_retry=move |_| refresh()/> }.into_any();
                }
                let Some(op) = view_data.get() else { return view! { <Loading/> }.into_any() };
                let allowed = op.allowed_actions.clone();
                let can = move |a: StationAction| allowed.contains(&a);
                let o = op.operation.clone();
                let phase = op.phase.as_ref().map(|p| p.kind);
                let finish_qty = if o.qty_available > 0.0 { o.qty_available.min(o.qty_remaining.max(0.0)) } else { o.qty_remaining.max(0.0) };
                view! {
                    <header class="operation-head">
                        <h1>
                            <span class="mono">{op.work_order_number.clone()} " / " {o.seq}</span>
                            " " {o.name.clone()}
                        </h1>
                        <p class="lead">{op.product_code.clone()} " " {op.product_name.clone()}</p>
                        <p class="phase-line">
                            {match phase {
                                Some(PhaseKind::Setup) => view! { <span class="badge info big">{i18n.tr(Key::PhaseSetup)}</span> }.into_any(),
                                Some(PhaseKind::Run) => view! { <span class="badge ok big">{i18n.tr(Key::PhaseRun)}</span> }.into_any(),
                                Some(PhaseKind::Paused) => view! { <span class="badge warn big">{i18n.tr(Key::PhasePaused)}</span> }.into_any(),
                                None => view! { <span class="badge big">{i18n.tr(Key::PhaseIdle)}</span> }.into_any(),
                            }}
                        </p>
                    </header>
                    <dl class="qty-cards">
                        <div><dt>{i18n.tr(Key::QtyPlanned)}</dt><dd>{qty(op.order_quantity)}</dd></div>
                        <div class="good"><dt>{i18n.tr(Key::QtyGood)}</dt><dd data-qty="good">{qty(o.qty_good)}</dd></div>
                        <div class="scrap"><dt>{i18n.tr(Key::QtyScrap)}</dt><dd data-qty="scrap">{qty(o.qty_scrap)}</dd></div>
                        <div><dt>{i18n.tr(Key::QtyAvailable)}</dt><dd>{qty(o.qty_available)}</dd></div>
                        <div><dt>{i18n.tr(Key::QtyRemaining)}</dt><dd>{qty(o.qty_remaining)}</dd></div>
                    </dl>
                    {move || notice.get().map(|n| match n {
                        Notice::Done(warnings) if warnings.is_empty() => view! { <div class="alert alert-success" role="status">{i18n.tr(Key::Saved)}</div> }.into_any(),
                        Notice::Done(warnings) => view! {
                            <div class="alert alert-warning" role="status">
                                <strong>{i18n.tr(Key::SavedWithWarnings)}</strong>
                                <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                            </div>
                        }.into_any(),
                        Notice::Queued => view! { <div class="alert alert-info" role="status">{i18n.tr(Key::QueuedOnTablet)}</div> }.into_any(),
                        Notice::Refused(m) => view! { <div class="alert alert-error" role="alert">{m}</div> }.into_any(),
                    })}
                    <div class="station-actions">
                        {can(StationAction::StartSetup).then(|| view! {
                            <button type="button" class="button touch action" on:click=move |_| start(PhaseKind::Setup)>{i18n.tr(Key::StartSetup)}</button>
                        })}
                        {can(StationAction::StartRun).then(|| view! {
                            <button type="button" class="button primary touch action" on:click=move |_| start(PhaseKind::Run)>{i18n.tr(Key::StartRun)}</button>
                        })}
                        {can(StationAction::Resume).then(|| view! {
                            <button type="button" class="button primary touch action" on:click=move |_| resume()>{i18n.tr(Key::Resume)}</button>
                        })}
                        {(can(StationAction::Report) && can(StationAction::Complete)).then(|| view! {
                            <button type="button" class="button primary touch action" on:click=move |_| pad.set(Some(PadMode::Finish))>{i18n.tr(Key::ReportAndComplete)}</button>
                        })}
                        {can(StationAction::Report).then(|| view! {
                            <button type="button" class="button touch action" on:click=move |_| pad.set(Some(PadMode::Report))>{i18n.tr(Key::Report)}</button>
                        })}
                        {can(StationAction::Pause).then(|| view! {
                            <button type="button" class="button touch action warn" on:click=move |_| pausing.set(true)>{i18n.tr(Key::Pause)}</button>
                        })}
                        {can(StationAction::Complete).then(|| view! {
                            <button type="button" class="button touch action" on:click=move |_| complete()>{i18n.tr(Key::Complete)}</button>
                        })}
                        <label class="override-toggle">
                            <input type="checkbox" bind:checked=supervisor_override/>
                            {i18n.tr(Key::SupervisorOverride)}
                        </label>
                    </div>
                    {move || pad.get().map(|mode| view! {
                        <ReportPad mode=mode initial_good=if mode == PadMode::Finish { finish_qty } else { 0.0 } unit=op.unit.clone()
                            on_submit=report on_cancel=Callback::new(move |()| pad.set(None))/>
                    })}
                    {move || pausing.get().then(|| view! {
                        <ReasonPicker list="downtime" title=Key::PauseWhy on_pick=pause on_cancel=Callback::new(move |()| pausing.set(false))/>
                    })}
                    <Instruction text=o.instruction.clone() files=o.attachments.clone() drawings=op.product_attachments.clone()/>
                }
                    .into_any()
            }}
        </section>
    }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PadMode {
    /// Report what is left and complete, in one go.
    Finish,
    Report,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DefectMode {
    Scrap,
    Rework,
}

/// Good quantity with big steppers, then scrap or rework by defect reason: one tap on a reason
/// counts one piece.
#[component]
fn ReportPad(
    mode: PadMode,
    initial_good: f64,
    unit: String,
    on_submit: Callback<(PadMode, ReportRequest)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let good = RwSignal::new(qty(initial_good));
    let defect_mode = RwSignal::new(DefectMode::Scrap);
    // (reason, scrap or rework, quantity)
    let lines = RwSignal::new(Vec::<(Reason, DefectMode, f64)>::new());
    let reasons = LocalResource::new(|| api::reasons("defect"));
    let invalid = RwSignal::new(false);
    let step = move |delta: f64| {
        good.update(|g| {
            let value = g.trim().parse::<f64>().unwrap_or(0.0) + delta;
            *g = qty(value.max(0.0));
        })
    };
    let add = move |reason: Reason| {
        let kind = defect_mode.get_untracked();
        lines.update(|lines| {
            match lines
                .iter_mut()
                .find(|(r, k, _)| r.id == reason.id && *k == kind)
            {
                Some(line) => line.2 += 1.0,
                None => lines.push((reason, kind, 1.0)),
            }
        })
    };
    let submit = move || {
        let Ok(good_value) = good.get_untracked().trim().parse::<f64>() else {
            invalid.set(true);
            return;
        };
        if good_value < 0.0 || !good_value.is_finite() {
            invalid.set(true);
            return;
        }
        let lines = lines.get_untracked();
        let pick = |kind: DefectMode| {
            lines
                .iter()
                .filter(|(_, k, q)| *k == kind && *q > 0.0)
                .map(|(r, _, q)| DefectQuantity {
                    reason_id: r.id,
                    quantity: *q,
                })
                .collect::<Vec<_>>()
        };
        on_submit.run((
            mode,
            ReportRequest {
                good: good_value,
                scrap: pick(DefectMode::Scrap),
                rework: pick(DefectMode::Rework),
                supervisor_override: false,
                note: None,
                operator_id: None,
            },
        ));
    };
    view! {
        <div class="report-pad" role="dialog" aria-labelledby="report-title">
            <h2 id="report-title">
                {if mode == PadMode::Finish { i18n.tr(Key::ReportAndComplete) } else { i18n.tr(Key::Report) }}
            </h2>
            <div class="pad-good">
                <label for="report-good">{i18n.tr(Key::QtyGood)} " (" {unit} ")"</label>
                <div class="stepper">
                    <button type="button" class="key" on:click=move |_| step(-1.0)>"−1"</button>
                    <input id="report-good" type="text" inputmode="decimal" autocomplete="off" bind:value=good/>
                    <button type="button" class="key" on:click=move |_| step(1.0)>"+1"</button>
                    <button type="button" class="key" on:click=move |_| step(10.0)>"+10"</button>
                </div>
                {move || invalid.get().then(|| view! { <div class="alert alert-error">{i18n.tr(Key::QtyInvalid)}</div> })}
            </div>
            <div class="pad-defects">
                <div class="segmented" role="group">
                    <button type="button" class="button touch" class:selected=move || defect_mode.get() == DefectMode::Scrap
                        on:click=move |_| defect_mode.set(DefectMode::Scrap)>{i18n.tr(Key::QtyScrap)}</button>
                    <button type="button" class="button touch" class:selected=move || defect_mode.get() == DefectMode::Rework
                        on:click=move |_| defect_mode.set(DefectMode::Rework)>{i18n.tr(Key::QtyRework)}</button>
                </div>
                <div class="reason-grid">
                    {move || reasons.get().map(|r| match r {
                        Ok(list) => list.into_iter().map(|reason| {
                            let name = i18n::reason_name(i18n.lang(), &reason.name_zh, &reason.name_en);
                            let r = reason.clone();
                            view! { <button type="button" class="button touch reason" on:click=move |_| add(r.clone())>{name}</button> }
                        }).collect_view().into_any(),
                        Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    })}
                </div>
                <ul class="defect-lines">
                    {move || lines.get().into_iter().enumerate().map(|(i, (reason, kind, quantity))| {
                        let name = i18n::reason_name(i18n.lang(), &reason.name_zh, &reason.name_en);
                        view! {
                            <li>
                                <span>{if kind == DefectMode::Scrap { i18n.t(Key::QtyScrap) } else { i18n.t(Key::QtyRework) }} " · " {name}</span>
                                <input type="text" inputmode="decimal" class="defect-qty" prop:value=qty(quantity)
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev).trim().parse::<f64>().unwrap_or(0.0).max(0.0);
                                        lines.update(|l| if let Some(line) = l.get_mut(i) { line.2 = v });
                                    }/>
                                <button type="button" class="button touch" aria-label=i18n.tr(Key::Remove)
                                    on:click=move |_| lines.update(|l| { if i < l.len() { l.remove(i); } })>"×"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
            <div class="pad-buttons">
                <button type="button" class="button touch" on:click=move |_| on_cancel.run(())>{i18n.tr(Key::Cancel)}</button>
                <button type="button" class="button primary touch" on:click=move |_| submit()>{i18n.tr(Key::Confirm)}</button>
            </div>
        </div>
    }
}

/// Big buttons, one per reason: one tap picks and sends.
#[component]
pub fn ReasonPicker(
    list: &'static str,
    title: Key,
    on_pick: Callback<Reason>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reasons = LocalResource::new(move || api::reasons(list));
    view! {
        <div class="report-pad" role="dialog">
            <h2>{i18n.tr(title)}</h2>
            <div class="reason-grid">
                {move || reasons.get().map(|r| match r {
                    Ok(list) => list.into_iter().map(|reason| {
                        let name = i18n::reason_name(i18n.lang(), &reason.name_zh, &reason.name_en);
                        let r = reason.clone();
                        view! { <button type="button" class="button touch reason" on:click=move |_| on_pick.run(r.clone())>{name}</button> }
                    }).collect_view().into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                })}
            </div>
            <div class="pad-buttons">
                <button type="button" class="button touch" on:click=move |_| on_cancel.run(())>{i18n.tr(Key::Cancel)}</button>
            </div>
        </div>
    }
}

/// The work instruction: text, images shown, PDFs and other files one tap away.
#[component]
fn Instruction(text: String, files: Vec<Attachment>, drawings: Vec<Attachment>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = text.trim().is_empty() && files.is_empty() && drawings.is_empty();
    let file_view = |file: Attachment| {
        let url = format!("/api/v1/attachments/{}", file.id.0);
        if file.content_type.starts_with("image/") {
            view! { <figure><img src=url.clone() alt=file.file_name.clone() loading="lazy"/><figcaption>{file.file_name.clone()}</figcaption></figure> }.into_any()
        } else {
            view! { <a class="button touch file-link" href=url target="_blank" rel="noopener"><IconView icon=Icon::Docs/>{file.file_name.clone()}</a> }.into_any()
        }
    };
    view! {
        <section class="instruction" aria-labelledby="instruction-title">
            <h2 id="instruction-title">{i18n.tr(Key::WorkInstruction)}</h2>
            {empty.then(|| view! { <p class="muted">{i18n.tr(Key::NoInstruction)}</p> })}
            {(!text.trim().is_empty()).then(|| view! { <div class="instruction-text">{text}</div> })}
            <div class="instruction-files">{files.into_iter().map(file_view).collect_view()}</div>
            {(!drawings.is_empty()).then(|| view! {
                <h3>{i18n.tr(Key::Drawings)}</h3>
                <div class="instruction-files">{drawings.into_iter().map(file_view).collect_view()}</div>
            })}
        </section>
    }
}
