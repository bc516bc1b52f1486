//! The app: contexts and the client-side routes. The server answers every non-API path with
//! index.html, so every screen below is reachable by a deep link.

use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Redirect, Route, Router, Routes},
    path,
};

use crate::{
    components::{errors::NotFoundPage, notice::provide_notices},
    i18n::provide_i18n,
    layouts::{
        board::BoardLayout,
        office::OfficeLayout,
        station::{StationLayout, StationPicker},
    },
    pages::{
        audit::AuditPage,
        board::BoardOverview,
        home::HomePage,
        login::LoginPage,
        master_data::{
            MasterDataLayout,
            calendars::CalendarsTab,
            plant::{MachinesTab, StationsTab, WorkCentersTab},
            product::ProductPage,
            products::ProductsTab,
            reasons::ReasonsTab,
        },
        reporting::ReportingPage,
        scheduling::SchedulingPage,
        users::UsersPage,
        work_order_detail::WorkOrderDetailPage,
        work_orders::WorkOrdersPage,
    },
    session::provide_session,
    station::{operation::StationOperation, queue::StationQueue},
};

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    provide_session(i18n);
    provide_notices();
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/login") view=LoginPage/>
                // Tablet at a machine: operators sign in with badge and PIN.
                <Route path=path!("/station") view=StationPicker/>
                <ParentRoute path=path!("/station/:machine_code") view=StationLayout>
                    <Route path=path!("") view=StationQueue/>
                    <Route path=path!("op/:operation_id") view=StationOperation/>
                </ParentRoute>
                // Wall screen: no sign-in, no input.
                <ParentRoute path=path!("/board") view=BoardLayout>
                    <Route path=path!("") view=BoardOverview/>
                </ParentRoute>
                // Desktop: everything else needs a signed-in user.
                <ParentRoute path=path!("") view=OfficeLayout>
                    <Route path=path!("") view=HomePage/>
                    <Route path=path!("users") view=UsersPage/>
                    <Route path=path!("audit") view=AuditPage/>
                    <Route path=path!("work-orders") view=WorkOrdersPage/>
                    <Route path=path!("reporting") view=ReportingPage/>
                    <Route path=path!("work-orders/:id") view=WorkOrderDetailPage/>
                    <Route path=path!("scheduling") view=SchedulingPage/>
                    <ParentRoute path=path!("master-data") view=MasterDataLayout>
                        <Route
                            path=path!("")
                            view=|| view! { <Redirect path="/master-data/products"/> }
                        />
                        <Route path=path!("products") view=ProductsTab/>
                        <Route path=path!("products/:id") view=ProductPage/>
                        <Route path=path!("work-centers") view=WorkCentersTab/>
                        <Route path=path!("machines") view=MachinesTab/>
                        <Route path=path!("stations") view=StationsTab/>
                        <Route path=path!("calendars") view=CalendarsTab/>
                        <Route path=path!("reasons") view=ReasonsTab/>
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
