//! Buttons and dialogs for the import/export/print endpoints: CSV and XLSX export of every list,
//! the import dialog (upload, progress, bad rows), the A4 work-order traveler and machine labels.
//! Kept together so the details of those endpoints are adjusted in one place.

use std::time::Duration;

use leptos::prelude::*;
use mes_api_types::{
    ErrorDetail, MachineId, WorkOrderId,
    import::{ImportJob, ImportKind, ImportStatus},
};
use wasm_bindgen::JsCast;

use crate::{
    api::{self, FetchError},
    components::{
        dialog::Modal,
        errors::ErrorAlert,
        icons::{Icon, IconView},
    },
    i18n::{self, Key, use_i18n},
};

/// What a list exports as, in the URL: `/api/v1/export/{kind}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    WorkOrders,
    Products,
    Machines,
    WorkCenters,
    Stations,
}

impl ExportKind {
    fn slug(self) -> &'static str {
        match self {
            ExportKind::WorkOrders => "work-orders",
            ExportKind::Products => "products",
            ExportKind::Machines => "machines",
            ExportKind::WorkCenters => "work-centers",
            ExportKind::Stations => "stations",
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (as `encodeURIComponent`,
/// but in Rust so it also runs in host tests).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `a=1&b=2` from parameters, each value URL-encoded.
pub fn query_string(params: &[(&str, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The export URL for a list with its current filter.
pub fn export_url(kind: ExportKind, format: &str, filter: &[(&str, String)]) -> String {
    let mut params = vec![("format", format.to_owned())];
    params.extend(filter.iter().map(|(k, v)| (*k, v.clone())));
    format!("/api/v1/export/{}?{}", kind.slug(), query_string(&params))
}

/// "Export CSV" and "Export XLSX" links that download the list as filtered now.
#[component]
pub fn ExportButtons(
    kind: ExportKind,
    /// The list's filter as query parameters (the same ones the list endpoint takes).
    #[prop(into)]
    filter: Signal<Vec<(&'static str, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let url = move |format: &'static str| filter.with(|f| export_url(kind, format, f));
    view! {
        <div class="button-group" role="group" aria-label=i18n.tr(Key::Export)>
            <a class="button" href=move || url("csv") download data-export="csv">
                <IconView icon=Icon::Download/>
                {i18n.tr(Key::ExportCsv)}
            </a>
            <a class="button" href=move || url("xlsx") download data-export="xlsx">
                {i18n.tr(Key::ExportXlsx)}
            </a>
        </div>
    }
}

/// The printable A4 traveler of an order (opens in a new tab, which prints itself).
pub fn traveler_url(id: WorkOrderId) -> String {
    format!("/api/v1/work-orders/{id}/traveler")
}

/// QR labels for machines.
pub fn machine_labels_url(ids: &[MachineId]) -> String {
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    format!("/api/v1/labels/machines?ids={}", ids.join(","))
}

#[component]
pub fn PrintLink(#[prop(into)] href: Signal<String>, label: Key) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="button" href=move || href.get() target="_blank" rel="noopener">
            <IconView icon=Icon::Print/>
            {i18n.tr(label)}
        </a>
    }
}

/// An "Import" button and its dialog.
#[component]
pub fn ImportButton(
    kind: ImportKind,
    /// Called after an import stored its rows, so the list reloads.
    #[prop(into)]
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="button" on:click=move |_| open.set(true)>
            <IconView icon=Icon::Upload/>
            {i18n.tr(Key::Import)}
        </button>
        <Show when=move || open.get()>
            <ImportDialog
                kind=kind
                on_close=move || open.set(false)
                on_done=on_done
            />
        </Show>
    }
}

/// The upload: the file itself is the body with its content type, its name in `?file_name=`
/// (as for work-instruction attachments); the answer is the job to follow.
async fn start_import(kind: ImportKind, file: web_sys::File) -> Result<ImportJob, FetchError> {
    let content_type = if file.type_().is_empty() {
        "application/octet-stream".to_owned()
    } else {
        file.type_()
    };
    let url = format!(
        "/api/v1/import/{}?file_name={}",
        kind.slug(),
        encode_component(&file.name())
    );
    api::upload(&url, &content_type, file.unchecked_into()).await
}

#[component]
fn ImportDialog(
    kind: ImportKind,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let job = RwSignal::new(None::<ImportJob>);
    let error = RwSignal::new(None::<FetchError>);
    let no_file = RwSignal::new(false);
    let upload = Action::new_local(move |file: &web_sys::File| {
        let file = file.clone();
        async move { start_import(kind, file).await }
    });
    Effect::new(move |_| match upload.value().get() {
        Some(Ok(started)) => job.set(Some(started)),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    // Follow the job until it is done or failed.
    let poll = StoredValue::new(None::<IntervalHandle>);
    Effect::new(move |_| {
        let running = job.with(|j| {
            j.as_ref().is_some_and(|j| {
                matches!(j.status, ImportStatus::Validating | ImportStatus::Writing)
            })
        });
        if running && poll.get_value().is_none() {
            let handle = set_interval_with_handle(
                move || {
                    let Some(id) = job.with_untracked(|j| j.as_ref().map(|j| j.id.clone())) else {
                        return;
                    };
                    leptos::task::spawn_local(async move {
                        match api::import_job(&id).await {
                            Ok(update) => job.set(Some(update)),
                            Err(e) => error.set(Some(e)),
                        }
                    });
                },
                Duration::from_millis(700),
            );
            poll.set_value(handle.ok());
        } else if !running && let Some(handle) = poll.get_value() {
            handle.clear();
            poll.set_value(None);
            if job.with_untracked(|j| j.as_ref().is_some_and(|j| j.status == ImportStatus::Done)) {
                on_done.run(());
            }
        }
    });
    on_cleanup(move || {
        if let Some(handle) = poll.get_value() {
            handle.clear();
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        no_file.set(file.is_none());
        if let Some(file) = file {
            job.set(None);
            upload.dispatch_local(file);
        }
    };
    let title = Signal::derive(move || i18n::import_title(i18n.lang(), kind));
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=error/>
                <p class="muted">{i18n.tr(Key::ImportHint)}</p>
                <div class="field" class:invalid=move || no_file.get()>
                    <label for="import-file">{i18n.tr(Key::ImportFile)}</label>
                    <input
                        id="import-file"
                        node_ref=file_input
                        type="file"
                        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    />
                    <p class="field-error">
                        {move || no_file.get().then(|| i18n.t(Key::ChooseFileFirst))}
                    </p>
                </div>
                {move || job.get().map(|j| view! { <ImportProgress job=j/> })}
                <div class="form-actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>
                        {i18n.tr(Key::Close)}
                    </button>
                    <button
                        type="submit"
                        class="button primary"
                        disabled=move || {
                            upload.pending().get()
                                || job.with(|j| {
                                    j.as_ref()
                                        .is_some_and(|j| {
                                            matches!(
                                                j.status,
                                                ImportStatus::Validating | ImportStatus::Writing
                                            )
                                        })
                                })
                        }
                    >
                        {i18n.tr(Key::StartImport)}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

#[component]
fn ImportProgress(job: ImportJob) -> impl IntoView {
    let i18n = use_i18n();
    let share = if job.total_rows == 0 {
        0.0
    } else {
        job.processed_rows as f64 / job.total_rows as f64
    };
    let status = job.status;
    let (processed, total, created, updated) =
        (job.processed_rows, job.total_rows, job.created, job.updated);
    let errors = job.errors;
    view! {
        <div class="import-progress" role="status">
            <div class="progress large">
                <div class="progress-bar" style=format!("width: {:.1}%", share * 100.0)></div>
            </div>
            <p>
                {move || match status {
                    ImportStatus::Validating => i18n::import_checking(i18n.lang(), processed, total),
                    ImportStatus::Writing => i18n.t(Key::ImportWriting).to_owned(),
                    ImportStatus::Done => i18n::import_done(i18n.lang(), created, updated),
                    ImportStatus::Failed => i18n.t(Key::ImportFailed).to_owned(),
                }}
            </p>
            {(!errors.is_empty()).then(|| view! { <BadRows errors=errors/> })}
        </div>
    }
}

/// Every bad row of a refused import: line, column, reason.
#[component]
fn BadRows(errors: Vec<ErrorDetail>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap bad-rows">
            <table class="table compact">
                <thead>
                    <tr>
                        <th scope="col" class="num">{i18n.tr(Key::Line)}</th>
                        <th scope="col">{i18n.tr(Key::Column)}</th>
                        <th scope="col">{i18n.tr(Key::Problem)}</th>
                    </tr>
                </thead>
                <tbody>
                    {errors
                        .into_iter()
                        .map(|e| {
                            view! {
                                <tr>
                                    <td class="num">{e.line.map(|l| l.to_string())}</td>
                                    <td>{e.column.or(e.field)}</td>
                                    <td>{e.message}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_links_carry_the_list_filter_encoded() {
        let filter = [
            ("status", "released,on_hold".to_owned()),
            ("q", "客户 A&B".to_owned()),
        ];
        assert_eq!(
            export_url(ExportKind::WorkOrders, "xlsx", &filter),
            "/api/v1/export/work-orders?format=xlsx&status=released%2Con_hold\
             &q=%E5%AE%A2%E6%88%B7%20A%26B"
        );
        assert_eq!(
            machine_labels_url(&[MachineId(3), MachineId(14)]),
            "/api/v1/labels/machines?ids=3,14"
        );
        assert_eq!(
            traveler_url(WorkOrderId(42)),
            "/api/v1/work-orders/42/traveler"
        );
    }
}
