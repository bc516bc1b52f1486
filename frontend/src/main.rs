//! The MES web app: office, station and board screens in one client-side rendered Leptos app.

mod api;
mod app;
mod components;
mod i18n;
mod layouts;
mod pages;
mod scheduling_api;
mod session;
mod station;
mod util;

fn main() {
    console_error_panic_hook::set_once();
    util::remove_boot_splash();
    leptos::mount::mount_to_body(app::App);
}
