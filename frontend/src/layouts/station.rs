//! The station layout (`/station/:machine_code`): a tablet at a machine, 1024×768 and up, used
//! with gloves and a barcode scanner. Big type, touch targets of 48 px or more, scan first.

use std::time::Duration;

use leptos::{ev, html, prelude::*, task::spawn_local};
use leptos_router::{components::Outlet, hooks::use_params_map};
use mes_api_types::auth::BadgeLoginRequest;

use crate::{
    api::{self, FetchError},
    components::{
        Loading,
        errors::{ErrorAlert, ErrorPanel},
        hooks::{use_browser_online, use_document_title, use_health, use_now},
        icons::{Icon, IconView},
        lang_switch::LanguageSwitch,
    },
    i18n::{self, Key, use_i18n},
    session::{Phase, use_session},
    util,
};

/// The machine this tablet belongs to, for the station's pages.
#[derive(Clone, Copy)]
pub struct StationContext {
    pub machine_code: Memo<String>,
}

#[component]
pub fn StationLayout() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    session.ensure_checked();
    let params = use_params_map();
    let machine_code =
        Memo::new(move |_| params.with(|p| p.get("machine_code").unwrap_or_default()));
    provide_context(StationContext { machine_code });
    let now = use_now(Duration::from_secs(1));
    // The server's health doubles as the connection check: Wi-Fi can be up with the server
    // unreachable, and the browser's own flag only knows about the former.
    let health = use_health(Duration::from_secs(15));
    let browser_online = use_browser_online();
    let online = move || browser_online.get() && health.reachable.get() != Some(false);
    Effect::new(move |was_online: Option<bool>| {
        // Check at once when the network comes back rather than at the next poll.
        let is_online = browser_online.get();
        if was_online == Some(false) && is_online {
            health.check();
        }
        is_online
    });
    let phase = Memo::new(move |_| session.phase());
    use_document_title(move || i18n::station_title(i18n.lang(), &machine_code.get()));

    view! {
        <div class="station">
            <header class="station-header">
                <div class="station-id">
                    <span class="station-label">{i18n.tr(Key::Station)}</span>
                    <span class="station-code">{move || machine_code.get()}</span>
                </div>
                <time class="station-clock">{move || util::format_clock(now.get())}</time>
                <div class="station-status">
                    <span class="net-status" class:online=online class:offline=move || !online() role="status">
                        <span class="net-dot" aria-hidden="true"></span>
                        {move || if online() { i18n.t(Key::Online) } else { i18n.t(Key::Offline) }}
                    </span>
                    <Operators/>
                    <LanguageSwitch/>
                </div>
            </header>
            <main class="station-main">
                {move || match phase.get() {
                    Phase::Loading => view! { <Loading/> }.into_any(),
                    Phase::SignedIn => view! { <Outlet/> }.into_any(),
                    Phase::SignedOut | Phase::Expired => view! { <BadgeSignIn/> }.into_any(),
                    Phase::Unreachable => {
                        let error = session
                            .unreachable_error()
                            .unwrap_or_else(|| FetchError::Network(String::new()));
                        view! {
                            <div class="station-panel">
                                <ErrorPanel error=error on_retry=move |_| session.recheck()/>
                            </div>
                        }
                            .into_any()
                    }
                }}
            </main>
        </div>
    }
}

/// Who is signed in here, with a large sign-out button.
#[component]
fn Operators() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        signing_out.set(true);
        spawn_local(async move {
            // Signed out either way: a failed call leaves the cookie to expire on its own, and
            // the next operator must not work under this name.
            let _ = api::logout().await;
            signing_out.set(false);
            session.signed_out();
        });
    };
    move || {
        session.me().map(|me| {
            let name = if me.display_name.trim().is_empty() {
                me.username.clone()
            } else {
                me.display_name.clone()
            };
            view! {
                <div class="operators" aria-label=i18n.tr(Key::SignedInOperators)>
                    <span class="operator-chip">{name}</span>
                    <button
                        type="button"
                        class="button touch"
                        disabled=move || signing_out.get()
                        on:click=sign_out
                    >
                        <IconView icon=Icon::SignOut/>
                        {i18n.tr(Key::SignOut)}
                    </button>
                </div>
            }
        })
    }
}

/// Badge and PIN sign-in. A keyboard-wedge scanner types the badge and Enter: Enter in the badge
/// field moves on to the PIN, which the operator types on the keypad.
#[component]
fn BadgeSignIn() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let badge = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let badge_ref = NodeRef::<html::Input>::new();
    let pin_ref = NodeRef::<html::Input>::new();
    let missing = RwSignal::new(None::<Key>);
    let sign_in = Action::new_local(move |request: &BadgeLoginRequest| {
        let request = request.clone();
        async move {
            let result = api::badge_login(&request).await;
            match &result {
                Ok(me) => session.signed_in(me.clone()),
                Err(_) => {
                    pin.set(String::new());
                    if let Some(input) = pin_ref.get_untracked() {
                        let _ = input.focus();
                    }
                }
            }
            result.map(drop)
        }
    });
    Effect::new(move |_| {
        if let Some(input) = badge_ref.get() {
            let _ = input.focus();
        }
    });
    let failure = Signal::derive(move || sign_in.value().get().and_then(Result::err));
    // Wrong badge or PIN is the expected failure: the server's words, without an error title.
    let credentials_error = move || {
        failure.with(|f| match f {
            Some(e) if e.is_unauthorized() => Some(
                e.server_message()
                    .map(str::to_owned)
                    .unwrap_or_else(|| i18n.t(Key::WrongBadgeOrPin).to_owned()),
            ),
            _ => None,
        })
    };
    let other_error = Signal::derive(move || failure.get().filter(|e| !e.is_unauthorized()));

    let submit = move || {
        let badge_value = badge.get_untracked().trim().to_owned();
        let pin_value = pin.get_untracked();
        if badge_value.is_empty() {
            missing.set(Some(Key::ScanBadgeFirst));
            if let Some(input) = badge_ref.get_untracked() {
                let _ = input.focus();
            }
        } else if pin_value.is_empty() {
            missing.set(Some(Key::EnterPin));
            if let Some(input) = pin_ref.get_untracked() {
                let _ = input.focus();
            }
        } else {
            missing.set(None);
            sign_in.dispatch(BadgeLoginRequest {
                badge: badge_value,
                pin: pin_value,
            });
        }
    };
    let on_badge_key = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            if pin.with_untracked(String::is_empty) {
                if !badge.with_untracked(|b| b.trim().is_empty())
                    && let Some(input) = pin_ref.get_untracked()
                {
                    missing.set(None);
                    let _ = input.focus();
                }
            } else {
                submit();
            }
        }
    };
    let press = move |digit: char| {
        pin.update(|p| {
            if p.len() < 8 {
                p.push(digit);
            }
        })
    };

    view! {
        <section class="station-panel signin-panel" aria-labelledby="signin-title">
            <h1 id="signin-title">{i18n.tr(Key::BadgeSignInTitle)}</h1>
            <p class="lead">{i18n.tr(Key::BadgeSignInHint)}</p>
            <form
                class="signin-form"
                novalidate
                on:submit=move |ev: ev::SubmitEvent| {
                    ev.prevent_default();
                    submit();
                }
            >
                <div class="signin-fields">
                    <div class="field touch">
                        <label for="station-badge">{i18n.tr(Key::Badge)}</label>
                        <input
                            id="station-badge"
                            node_ref=badge_ref
                            type="text"
                            autocomplete="off"
                            autocapitalize="characters"
                            spellcheck="false"
                            enterkeyhint="next"
                            bind:value=badge
                            on:keydown=on_badge_key
                        />
                    </div>
                    <div class="field touch">
                        <label for="station-pin">{i18n.tr(Key::Pin)}</label>
                        <input
                            id="station-pin"
                            node_ref=pin_ref
                            type="password"
                            inputmode="numeric"
                            autocomplete="off"
                            maxlength="8"
                            enterkeyhint="go"
                            bind:value=pin
                        />
                    </div>
                    <div class="signin-messages" aria-live="assertive">
                        {move || {
                            missing
                                .get()
                                .map(|k| view! { <div class="alert alert-info">{i18n.tr(k)}</div> })
                        }}
                        {move || {
                            credentials_error()
                                .map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })
                        }}
                        <ErrorAlert error=other_error/>
                    </div>
                    <button
                        type="submit"
                        class="button primary touch block"
                        disabled=move || sign_in.pending().get()
                    >
                        {move || {
                            if sign_in.pending().get() {
                                i18n.t(Key::SigningIn)
                            } else {
                                i18n.t(Key::SignIn)
                            }
                        }}
                    </button>
                </div>
                <div class="keypad" role="group" aria-label=i18n.tr(Key::PinKeypad)>
                    {['1', '2', '3', '4', '5', '6', '7', '8', '9']
                        .into_iter()
                        .map(|d| {
                            view! {
                                <button type="button" class="key" on:click=move |_| press(d)>
                                    {d.to_string()}
                                </button>
                            }
                        })
                        .collect_view()}
                    <button
                        type="button"
                        class="key key-action"
                        on:click=move |_| pin.set(String::new())
                    >
                        {i18n.tr(Key::Clear)}
                    </button>
                    <button type="button" class="key" on:click=move |_| press('0')>
                        "0"
                    </button>
                    <button
                        type="button"
                        class="key key-action"
                        aria-label=i18n.tr(Key::DeleteDigit)
                        on:click=move |_| {
                            pin.update(|p| {
                                p.pop();
                            })
                        }
                    >
                        "⌫"
                    </button>
                </div>
            </form>
        </section>
    }
}
