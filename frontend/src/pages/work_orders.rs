//! `/work-orders`: the work-order list. The server filters, sorts and pages (keyset), so the page
//! stays quick at 100,000 orders. The filter and sort live in the address, so a link or a reload
//! shows the same list.

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_query_map},
    params::ParamsMap,
};
use mes_api_types::{
    Page, ProductId, SortDir,
    auth::Role,
    import::ImportKind,
    work_orders::{WorkOrder, WorkOrderSort, WorkOrderStatus},
};

use crate::{
    api::{self, WorkOrderQuery},
    components::{
        Loading,
        data_exchange::{ExportButtons, ExportKind, ImportButton},
        errors::error_list,
        icons::{Icon, IconView},
        pager::{CursorStack, Pager},
        pickers::{ProductChoice, ProductPicker, SearchBox},
    },
    i18n::{Key, use_i18n},
    pages::work_order_detail::CreateWorkOrderDialog,
    session::use_session,
    util,
};

const PAGE_SIZES: [u32; 4] = [25, 50, 100, 200];
const DEFAULT_PAGE_SIZE: u32 = 50;
/// Who plans orders (create, release, hold, split); the server checks again.
pub const PLANNERS: [Role; 3] = [Role::Admin, Role::Manager, Role::Planner];

/// The list's filter as it is kept in the address.
#[derive(Debug, Clone, Default, PartialEq)]
struct ListFilter {
    statuses: Vec<WorkOrderStatus>,
    product_id: Option<ProductId>,
    q: String,
    /// `<input type="date">` values (plant time).
    due_from: String,
    due_to: String,
    late: bool,
    sort: WorkOrderSort,
    dir: SortDir,
    limit: u32,
}

impl ListFilter {
    fn from_params(params: &ParamsMap) -> Self {
        let get = |k: &str| params.get(k).unwrap_or_default();
        ListFilter {
            statuses: get("status")
                .split(',')
                .filter_map(WorkOrderStatus::parse)
                .collect(),
            product_id: get("product").parse().ok().map(ProductId),
            q: get("q"),
            due_from: get("from"),
            due_to: get("to"),
            late: get("late") == "1",
            sort: WorkOrderSort::parse(&get("sort")).unwrap_or_default(),
            dir: if get("dir") == "desc" {
                SortDir::Desc
            } else {
                SortDir::Asc
            },
            limit: get("size")
                .parse()
                .ok()
                .filter(|n| PAGE_SIZES.contains(n))
                .unwrap_or(DEFAULT_PAGE_SIZE),
        }
    }

    /// The address of the list with this filter; defaults are left out to keep links short.
    fn to_href(&self) -> String {
        let mut params: Vec<(&str, String)> = Vec::new();
        if !self.statuses.is_empty() {
            let s: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
            params.push(("status", s.join(",")));
        }
        if let Some(p) = self.product_id {
            params.push(("product", p.to_string()));
        }
        if !self.q.trim().is_empty() {
            params.push(("q", self.q.trim().to_owned()));
        }
        if !self.due_from.is_empty() {
            params.push(("from", self.due_from.clone()));
        }
        if !self.due_to.is_empty() {
            params.push(("to", self.due_to.clone()));
        }
        if self.late {
            params.push(("late", "1".to_owned()));
        }
        if self.sort != WorkOrderSort::default() {
            params.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.dir == SortDir::Desc {
            params.push(("dir", "desc".to_owned()));
        }
        if self.limit != DEFAULT_PAGE_SIZE {
            params.push(("size", self.limit.to_string()));
        }
        let query = crate::components::data_exchange::query_string(&params);
        if query.is_empty() {
            "/work-orders".to_owned()
        } else {
            format!("/work-orders?{query}")
        }
    }

    fn to_query(&self, cursor: Option<String>) -> WorkOrderQuery {
        WorkOrderQuery {
            statuses: self.statuses.clone(),
            product_id: self.product_id,
            q: self.q.clone(),
            due_from: util::date_input_to_rfc3339(&self.due_from, false),
            due_to: util::date_input_to_rfc3339(&self.due_to, true),
            late: self.late,
            sort: self.sort,
            dir: self.dir,
            limit: self.limit,
            cursor,
        }
    }
}

pub fn status_key(status: WorkOrderStatus) -> Key {
    match status {
        WorkOrderStatus::Draft => Key::WoDraft,
        WorkOrderStatus::Released => Key::WoReleased,
        WorkOrderStatus::InProgress => Key::WoInProgress,
        WorkOrderStatus::OnHold => Key::WoOnHold,
        WorkOrderStatus::Completed => Key::WoCompleted,
        WorkOrderStatus::Closed => Key::WoClosed,
        WorkOrderStatus::Cancelled => Key::WoCancelled,
    }
}

/// A coloured status label; the class names the status for styles and tests.
#[component]
pub fn StatusBadge(status: WorkOrderStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge wo-{}", status.as_str()) data-status=status.as_str()>
            {i18n.tr(status_key(status))}
        </span>
    }
}

/// A thin bar for a 0–1 share, with the percentage as its accessible value.
#[component]
pub fn ProgressBar(share: f64) -> impl IntoView {
    let percent = (share.clamp(0.0, 1.0) * 100.0).round();
    view! {
        <div class="progress-cell">
            <div
                class="progress"
                role="progressbar"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=percent.to_string()
            >
                <div class="progress-bar" style=format!("width: {percent}%")></div>
            </div>
            <span class="progress-label">{format!("{percent}%")}</span>
        </div>
    }
}

/// A quantity without a pointless `.0`.
pub fn qty(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// `2026-11-25` in plant time.
pub fn format_date(at: &chrono::DateTime<chrono::Utc>) -> String {
    util::format_datetime(at)[..10].to_owned()
}

#[component]
pub fn WorkOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let can_plan = Memo::new(move |_| session.has_any_role(&PLANNERS));
    let params = use_query_map();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| params.with(ListFilter::from_params));
    let cursors = CursorStack::new();
    // A new filter starts at page one.
    Effect::new(move |previous: Option<ListFilter>| {
        let current = filter.get();
        if previous.is_some_and(|p| p != current) {
            cursors.reset();
        }
        current
    });
    let apply = {
        let navigate = navigate.clone();
        move |change: &dyn Fn(&mut ListFilter)| {
            let mut next = filter.get_untracked();
            change(&mut next);
            if next == filter.get_untracked() {
                return;
            }
            // Back to page one first: a cursor only fits the filter and sort it was made for.
            cursors.reset();
            navigate(
                &next.to_href(),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    };
    let apply = StoredValue::new_local(apply);
    let set = move |change: &dyn Fn(&mut ListFilter)| apply.with_value(|a| a(change));

    let orders = LocalResource::new(move || {
        let query = filter.get().to_query(cursors.current());
        async move { api::list_work_orders(&query).await }
    });
    let loaded = move || orders.get().and_then(Result::ok);
    let next_cursor = Signal::derive(move || loaded().and_then(|page| page.next_cursor));
    let total = Signal::derive(move || loaded().map(|page| page.total));
    let export_filter = Signal::derive(move || filter.get().to_query(None).filter_params());

    // Search text and product choice are edited here and written to the address.
    let search = RwSignal::new(filter.get_untracked().q);
    Effect::new(move |_| {
        let q = search.get();
        if q != filter.get_untracked().q {
            set(&|f| f.q = q.clone());
        }
    });
    Effect::new(move |_| {
        let q = filter.get().q;
        if search.get_untracked() != q {
            search.set(q);
        }
    });
    let product = RwSignal::new(None::<ProductChoice>);
    // Restore the product's code in the picker from an address that only holds its id.
    Effect::new(move |_| {
        let wanted = filter.get().product_id;
        let shown = product.get_untracked().map(|p| p.id);
        match wanted {
            Some(id) if shown != Some(id) => {
                leptos::task::spawn_local(async move {
                    if let Ok(p) = api::get_product(id).await {
                        product.set(Some(ProductChoice::from(&p)));
                    }
                });
            }
            None if shown.is_some() => product.set(None),
            _ => {}
        }
    });
    // The user's choice goes to the address; the first run only reads (the address may hold a
    // product whose code is still being fetched).
    Effect::new(move |previous: Option<Option<ProductId>>| {
        let chosen = product.get().map(|p| p.id);
        if previous.is_some() && chosen != filter.get_untracked().product_id {
            set(&|f| f.product_id = chosen);
        }
        chosen
    });

    let create_open = RwSignal::new(false);
    let sort_by = move |column: WorkOrderSort| {
        set(&|f| {
            if f.sort == column {
                f.dir = match f.dir {
                    SortDir::Asc => SortDir::Desc,
                    SortDir::Desc => SortDir::Asc,
                };
            } else {
                f.sort = column;
                f.dir = SortDir::Asc;
            }
        })
    };

    view! {
        <div class="page wide">
            <header class="page-header">
                <h1>{i18n.tr(Key::WorkOrdersTitle)}</h1>
                <div class="page-actions">
                    <ExportButtons kind=ExportKind::WorkOrders filter=export_filter/>
                    <Show when=move || can_plan.get()>
                        <ImportButton kind=ImportKind::WorkOrders on_done=move || orders.refetch()/>
                        <button
                            type="button"
                            class="button primary"
                            on:click=move |_| create_open.set(true)
                        >
                            <IconView icon=Icon::Plus/>
                            {i18n.tr(Key::NewWorkOrder)}
                        </button>
                    </Show>
                </div>
            </header>
            <div class="toolbar filters" role="search">
                <SearchBox value=search placeholder=Key::WorkOrderSearchPlaceholder/>
                <ProductPicker label=Key::Product selected=product inline=true/>
                <div class="field inline">
                    <label for="wo-from">{i18n.tr(Key::DueFrom)}</label>
                    <input
                        id="wo-from"
                        type="date"
                        prop:value=move || filter.get().due_from
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set(&|f| f.due_from = v.clone())
                        }
                    />
                </div>
                <div class="field inline">
                    <label for="wo-to">{i18n.tr(Key::DueTo)}</label>
                    <input
                        id="wo-to"
                        type="date"
                        prop:value=move || filter.get().due_to
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set(&|f| f.due_to = v.clone())
                        }
                    />
                </div>
                <label class="checkbox toolbar-check">
                    <input
                        type="checkbox"
                        id="wo-late"
                        prop:checked=move || filter.get().late
                        on:change=move |ev| {
                            let late = event_target_checked(&ev);
                            set(&|f| f.late = late)
                        }
                    />
                    <span>{i18n.tr(Key::LateOnly)}</span>
                </label>
                <div class="toolbar-buttons">
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            set(&|f| {
                                *f = ListFilter {
                                    sort: f.sort,
                                    dir: f.dir,
                                    limit: f.limit,
                                    ..Default::default()
                                }
                            })
                        }
                    >
                        {i18n.tr(Key::ClearFilters)}
                    </button>
                </div>
            </div>
            <div class="status-filter" role="group" aria-label=i18n.tr(Key::Status)>
                {WorkOrderStatus::ALL
                    .into_iter()
                    .map(|status| {
                        let active = move || filter.with(|f| f.statuses.contains(&status));
                        view! {
                            <button
                                type="button"
                                class=format!("chip-toggle wo-{}", status.as_str())
                                aria-pressed=move || if active() { "true" } else { "false" }
                                data-status=status.as_str()
                                on:click=move |_| {
                                    set(&|f| {
                                        if f.statuses.contains(&status) {
                                            f.statuses.retain(|s| *s != status);
                                        } else {
                                            f.statuses.push(status);
                                        }
                                    })
                                }
                            >
                                {i18n.tr(status_key(status))}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <Transition fallback=|| view! { <Loading/> }>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        orders
                            .await
                            .map(|page| {
                                view! {
                                    <WorkOrderTable
                                        page=page
                                        sort=Signal::derive(move || {
                                            filter.with(|f| (f.sort, f.dir))
                                        })
                                        on_sort=Callback::new(sort_by)
                                    />
                                }
                            })
                    })}
                </ErrorBoundary>
            </Transition>
            <div class="list-footer">
                <div class="field inline page-size">
                    <label for="wo-size">{i18n.tr(Key::PageSize)}</label>
                    <select
                        id="wo-size"
                        on:change=move |ev| {
                            let size = event_target_value(&ev).parse().unwrap_or(DEFAULT_PAGE_SIZE);
                            set(&|f| f.limit = size)
                        }
                    >
                        {PAGE_SIZES
                            .into_iter()
                            .map(|n| {
                                view! {
                                    <option
                                        value=n.to_string()
                                        selected=move || filter.with(|f| f.limit == n)
                                    >
                                        {n.to_string()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <Pager cursors=cursors next_cursor=next_cursor total=total/>
            </div>
            <Show when=move || create_open.get()>
                <CreateWorkOrderDialog on_close=move || create_open.set(false)/>
            </Show>
        </div>
    }
}

#[component]
fn SortHeader(
    label: Key,
    column: WorkOrderSort,
    sort: Signal<(WorkOrderSort, SortDir)>,
    on_sort: Callback<WorkOrderSort>,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = move || match sort.get() {
        (s, SortDir::Asc) if s == column => "ascending",
        (s, SortDir::Desc) if s == column => "descending",
        _ => "none",
    };
    view! {
        <th scope="col" aria-sort=state class:num=numeric>
            <button type="button" class="sort-button" on:click=move |_| on_sort.run(column)>
                {i18n.tr(label)}
                <span class="sort-mark" aria-hidden="true">
                    {move || match state() {
                        "ascending" => "▲",
                        "descending" => "▼",
                        _ => "",
                    }}
                </span>
            </button>
        </th>
    }
}

#[component]
fn WorkOrderTable(
    page: Page<WorkOrder>,
    sort: Signal<(WorkOrderSort, SortDir)>,
    on_sort: Callback<WorkOrderSort>,
) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! { <p class="empty">{i18n.tr(Key::NoWorkOrdersFound)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table work-orders">
                <thead>
                    <tr>
                        <SortHeader label=Key::OrderNumber column=WorkOrderSort::Number sort=sort on_sort=on_sort/>
                        <th scope="col">{i18n.tr(Key::Product)}</th>
                        <SortHeader
                            label=Key::Quantity
                            column=WorkOrderSort::Quantity sort=sort on_sort=on_sort
                            numeric=true
                        />
                        <SortHeader label=Key::DueDate column=WorkOrderSort::DueAt sort=sort on_sort=on_sort/>
                        <SortHeader label=Key::Priority column=WorkOrderSort::Priority sort=sort on_sort=on_sort numeric=true/>
                        <SortHeader label=Key::Status column=WorkOrderSort::Status sort=sort on_sort=on_sort/>
                        <th scope="col">{i18n.tr(Key::Progress)}</th>
                        <th scope="col">{i18n.tr(Key::Customer)}</th>
                        <SortHeader label=Key::CreatedAt column=WorkOrderSort::CreatedAt sort=sort on_sort=on_sort/>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .items
                        .into_iter()
                        .map(|order| {
                            let href = format!("/work-orders/{}", order.id);
                            view! {
                                <tr class:late=order.late>
                                    <td class="mono">
                                        <A href=href>{order.number}</A>
                                    </td>
                                    <td>
                                        <span class="mono">{order.product_code}</span>
                                        <span class="muted cell-sub">{order.product_name}</span>
                                    </td>
                                    <td class="num nowrap">
                                        {qty(order.quantity)}
                                        <span class="unit">{order.unit}</span>
                                    </td>
                                    <td class="nowrap">
                                        {format_date(&order.due_at)}
                                        {order
                                            .late
                                            .then(|| {
                                                view! {
                                                    <span class="badge late-badge">
                                                        {i18n.tr(Key::Late)}
                                                    </span>
                                                }
                                            })}
                                    </td>
                                    <td class="num">
                                        <span class=format!("priority p{}", order.priority)>
                                            {order.priority}
                                        </span>
                                    </td>
                                    <td>
                                        <StatusBadge status=order.status/>
                                    </td>
                                    <td>
                                        <ProgressBar share=order.progress/>
                                    </td>
                                    <td class="ellipsis">{order.customer}</td>
                                    <td class="nowrap muted">{format_date(&order.created_at)}</td>
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

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&'static str, &str)]) -> ParamsMap {
        let mut map = ParamsMap::new();
        for (k, v) in pairs {
            map.insert(*k, (*v).to_owned());
        }
        map
    }

    #[test]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ignore = "uses the browser's encodeURIComponent (js-sys), which the host does not have"
    )]
    fn the_filter_survives_the_address() {
        let filter = ListFilter {
            statuses: vec![WorkOrderStatus::Released, WorkOrderStatus::OnHold],
            product_id: Some(ProductId(7)),
            q: "ACME".into(),
            due_from: "2026-11-01".into(),
            due_to: "2026-11-30".into(),
            late: true,
            sort: WorkOrderSort::Priority,
            dir: SortDir::Desc,
            limit: 100,
        };
        let href = filter.to_href();
        let query = href.split_once('?').unwrap().1;
        let mut map = ParamsMap::new();
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap();
            map.insert(k.to_owned(), v.replace("%2C", ","));
        }
        assert_eq!(ListFilter::from_params(&map), filter);
    }

    #[test]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ignore = "uses the browser's encodeURIComponent (js-sys), which the host does not have"
    )]
    fn defaults_make_a_bare_address_and_bad_values_fall_back() {
        assert_eq!(ListFilter::default_list().to_href(), "/work-orders");
        let parsed = ListFilter::from_params(&params(&[
            ("status", "released,bogus"),
            ("size", "7"),
            ("sort", "nonsense"),
        ]));
        assert_eq!(parsed.statuses, [WorkOrderStatus::Released]);
        assert_eq!(parsed.limit, DEFAULT_PAGE_SIZE);
        assert_eq!(parsed.sort, WorkOrderSort::DueAt);
    }

    #[test]
    fn quantities_drop_needless_decimals() {
        assert_eq!(qty(120.0), "120");
        assert_eq!(qty(2.5), "2.5");
        assert_eq!(qty(0.125), "0.125");
    }
}

#[cfg(test)]
impl ListFilter {
    fn default_list() -> Self {
        ListFilter::from_params(&ParamsMap::new())
    }
}
