//! `/master-data/…`: the plant model (work centres, machines, stations, shift calendars, reason
//! lists) and product data (products with their versioned BOMs and routings).

pub mod calendars;
pub mod plant;
pub mod product;
pub mod products;
pub mod reasons;

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use mes_api_types::Page;

use crate::{
    components::pager::{CursorStack, Pager},
    i18n::{Key, use_i18n},
    pages::work_orders::PLANNERS,
    session::use_session,
};

const TABS: [(&str, Key); 6] = [
    ("/master-data/products", Key::Products),
    ("/master-data/work-centers", Key::WorkCenters),
    ("/master-data/machines", Key::Machines),
    ("/master-data/stations", Key::Stations),
    ("/master-data/calendars", Key::Calendars),
    ("/master-data/reasons", Key::Reasons),
];

/// Rows per master-data page.
pub const PAGE_SIZE: u32 = 50;

#[component]
pub fn MasterDataLayout() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page wide">
            <header class="page-header">
                <h1>{i18n.tr(Key::NavMasterData)}</h1>
            </header>
            <nav class="tabs" aria-label=i18n.tr(Key::NavMasterData)>
                {TABS
                    .into_iter()
                    .map(|(href, key)| view! { <A href=href attr:class="tab">{i18n.tr(key)}</A> })
                    .collect_view()}
            </nav>
            <Outlet/>
        </div>
    }
}

/// Whether the signed-in user maintains master data (the server checks again).
pub fn can_edit_master_data() -> Memo<bool> {
    let session = use_session();
    Memo::new(move |_| session.has_any_role(&PLANNERS))
}

/// The pager under a master-data list.
#[component]
pub fn ListPager<T: Clone + Send + Sync + 'static>(
    cursors: CursorStack,
    page: LocalResource<Result<Page<T>, crate::api::FetchError>>,
) -> impl IntoView {
    let loaded = move || page.get().and_then(Result::ok);
    let next_cursor = Signal::derive(move || loaded().and_then(|p| p.next_cursor));
    let total = Signal::derive(move || loaded().map(|p| p.total));
    view! { <Pager cursors=cursors next_cursor=next_cursor total=total/> }
}

/// A yes/no cell.
#[component]
pub fn ActiveCell(active: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="status-pill" class:ok=active class:off=!active>
            {move || if active { i18n.t(Key::Active) } else { i18n.t(Key::Disabled) }}
        </span>
    }
}

/// The edit button of a table row.
#[component]
pub fn EditButton(
    #[prop(into)] label: String,
    #[prop(into)] on_click: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button
            type="button"
            class="button small"
            aria-label=move || format!("{} {}", i18n.t(Key::Edit), label)
            on:click=move |_| on_click.run(())
        >
            {i18n.tr(Key::Edit)}
        </button>
    }
}
