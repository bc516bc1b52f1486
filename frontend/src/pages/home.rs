//! The office home: welcome, the system's health, and where the shop-floor screens are.

use std::time::Duration;

use leptos::prelude::*;
use mes_api_types::system::Health;

use crate::{
    components::{
        Loading,
        errors::ErrorPanel,
        hooks::{HealthPoll, use_health, use_now},
        icons::{Icon, IconView},
    },
    i18n::{self, Key, use_i18n},
    session::use_session,
    util,
};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let now = use_now(Duration::from_secs(30));
    let health = use_health(Duration::from_secs(30));
    let name = move || {
        session
            .me()
            .map(|me| {
                if me.display_name.trim().is_empty() {
                    me.username
                } else {
                    me.display_name
                }
            })
            .unwrap_or_default()
    };
    let roles = move || session.me().map(|me| me.roles).unwrap_or_default();
    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{move || i18n::welcome(i18n.lang(), &name())}</h1>
                    <p class="muted">{move || util::format_long_date(now.get(), i18n.lang())}</p>
                </div>
            </header>
            <div class="card-grid">
                <HealthCard poll=health/>
                <section class="card" aria-labelledby="home-account">
                    <h2 id="home-account">{i18n.tr(Key::YourAccount)}</h2>
                    <dl class="facts">
                        <dt>{i18n.tr(Key::Username)}</dt>
                        <dd>{move || session.me().map(|me| me.username)}</dd>
                        <dt>{i18n.tr(Key::Roles)}</dt>
                        <dd class="chips">
                            {move || {
                                roles()
                                    .into_iter()
                                    .map(|role| {
                                        view! {
                                            <span class="chip">{i18n.tr(i18n::role_key(role))}</span>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </dd>
                    </dl>
                </section>
                <section class="card" aria-labelledby="home-screens">
                    <h2 id="home-screens">{i18n.tr(Key::ShopFloorScreens)}</h2>
                    <dl class="facts">
                        <dt>{i18n.tr(Key::BoardScreen)}</dt>
                        <dd>
                            <a href="/board" target="_blank" rel="noopener">
                                "/board"
                            </a>
                            <p class="muted small">{i18n.tr(Key::BoardScreenHint)}</p>
                        </dd>
                        <dt>{i18n.tr(Key::StationScreen)}</dt>
                        <dd>
                            <code>"/station/<machine-code>"</code>
                            <p class="muted small">{i18n.tr(Key::StationScreenHint)}</p>
                        </dd>
                    </dl>
                </section>
            </div>
        </div>
    }
}

#[component]
fn HealthCard(poll: HealthPoll) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="home-health">
            <div class="card-title-row">
                <h2 id="home-health">{i18n.tr(Key::SystemHealth)}</h2>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=i18n.tr(Key::Refresh)
                    title=i18n.tr(Key::Refresh)
                    on:click=move |_| poll.check()
                >
                    <IconView icon=Icon::Refresh/>
                </button>
            </div>
            {move || match (poll.health.get(), poll.reachable.get()) {
                (_, None) => view! { <Loading/> }.into_any(),
                (_, Some(false)) => {
                    let error = poll.last_error.get().unwrap_or(crate::api::FetchError::Network(String::new()));
                    view! { <ErrorPanel error=error/> }.into_any()
                }
                (Some(health), Some(true)) => view! { <HealthFacts health=health/> }.into_any(),
                (None, Some(true)) => view! { <Loading/> }.into_any(),
            }}
            <p class="muted small">
                {move || {
                    poll.updated_at
                        .get()
                        .map(|at| i18n::updated_at(i18n.lang(), &util::format_clock(at)))
                }}
            </p>
        </section>
    }
}

/// Translates the health report's words; anything else the server says is shown as it is.
pub fn health_status_key(status: &str) -> Option<Key> {
    match status {
        "ok" => Some(Key::HealthOk),
        "degraded" => Some(Key::HealthDegraded),
        _ => None,
    }
}

pub fn database_kind(backend: &str) -> &str {
    match backend {
        "sqlite" => "SQLite",
        "postgres" => "PostgreSQL",
        other => other,
    }
}

#[component]
fn HealthFacts(health: Health) -> impl IntoView {
    let i18n = use_i18n();
    let ok = health.status == "ok";
    let status = health.status.clone();
    let database = health.database.clone();
    view! {
        <dl class="facts">
            <dt>{i18n.tr(Key::Status)}</dt>
            <dd>
                <span class="status-pill" class:ok=ok class:warn=!ok>
                    {move || {
                        health_status_key(&status)
                            .map(|k| i18n.t(k).to_owned())
                            .unwrap_or_else(|| status.clone())
                    }}
                </span>
            </dd>
            <dt>{i18n.tr(Key::Database)}</dt>
            <dd>
                {move || {
                    health_status_key(&database)
                        .map(|k| i18n.t(k).to_owned())
                        .unwrap_or_else(|| database.clone())
                }}
                " · "
                {database_kind(&health.backend).to_owned()}
            </dd>
            <dt>{i18n.tr(Key::Version)}</dt>
            <dd>{health.version.clone()}</dd>
        </dl>
    }
}
