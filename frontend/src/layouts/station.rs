//! The station layout (`/station/:machine_code`): a tablet at a machine, 1024×768 and up, used
//! with gloves and a barcode scanner. Big type, touch targets of 48 px or more, scan first.

use std::time::Duration;

use leptos::{ev, html, prelude::*, task::spawn_local};
use leptos_router::{
    NavigateOptions,
    components::Outlet,
    hooks::{use_navigate, use_params_map},
};
use mes_api_types::{
    UserId,
    station::{StationSession, StationSignIn},
};

use crate::{
    api::FetchError,
    components::{
        Loading,
        errors::{ErrorAlert, ErrorPanel},
        hooks::{use_browser_online, use_document_title, use_health, use_now},
        icons::{Icon, IconView},
        lang_switch::LanguageSwitch,
    },
    i18n::{self, Key, use_i18n},
    station::{
        self, StationContext,
        andon::AndonBar,
        api as station_api,
        outbox::{Waiting, provide_outbox, use_outbox},
        use_station,
    },
    util,
};

/// Where the tablet's session stands.
#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    /// Nobody signed in here.
    SignIn,
    Ready,
    /// No answer and nothing cached: the tablet never reached this station.
    Failed(FetchError),
}

#[component]
pub fn StationLayout() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("machine_code").unwrap_or_default()));
    let station = StationContext {
        code,
        session: RwSignal::new(None),
        acting: RwSignal::new(None),
    };
    provide_context(station);
    let outbox = provide_outbox();
    let load = RwSignal::new(Load::Loading);
    let adding = RwSignal::new(false);
    let now = use_now(Duration::from_secs(1));
    // The server's health doubles as the connection check: Wi-Fi can be up with the server
    // unreachable, and the browser's own flag only knows about the former.
    let health = use_health(Duration::from_secs(15));
    let browser_online = use_browser_online();
    let online = move || browser_online.get() && health.reachable.get() != Some(false);

    let fetch_session = move || {
        let code = code.get_untracked();
        spawn_local(async move {
            match station_api::session(&code).await {
                Ok(session) if !session.operators.is_empty() => {
                    station::cache(&format!("session.{code}"), &session);
                    station.session.set(Some(session));
                    load.set(Load::Ready);
                }
                Ok(_) => sign_in_needed(station, load, &code),
                Err(e) if e.is_unauthorized() => sign_in_needed(station, load, &code),
                Err(FetchError::Network(e)) => {
                    // Offline: keep working with who was signed in; writes queue meanwhile.
                    match station::cached::<StationSession>(&format!("session.{code}")) {
                        Some(session) => {
                            station.session.set(Some(session));
                            load.set(Load::Ready);
                        }
                        None => load.set(Load::Failed(FetchError::Network(e))),
                    }
                }
                Err(e) => load.set(Load::Failed(e)),
            }
        });
    };
    Effect::new(move |_| {
        code.track();
        fetch_session();
    });
    Effect::new(move |was_online: Option<bool>| {
        // Check at once when the network comes back rather than at the next poll.
        let is_online = browser_online.get();
        if was_online == Some(false) && is_online {
            health.check();
            fetch_session();
        }
        is_online
    });
    // Writes wait for a sign-in after the session ran out: ask for one.
    Effect::new(move |_| {
        if outbox.waiting() == Some(Waiting::SignIn) && load.get_untracked() == Load::Ready {
            sign_in_needed(station, load, &code.get_untracked());
        }
    });
    if let Some(storage) = util::local_storage() {
        // The installed app opens `/station`: it comes back to this machine.
        let _ = storage.set_item(LAST_STATION_KEY, &code.get_untracked());
    }
    use_document_title(move || i18n::station_title(i18n.lang(), &code.get()));
    let signed_in = Callback::new(move |session: StationSession| {
        let code = code.get_untracked();
        station::cache(&format!("session.{code}"), &session);
        station.session.set(Some(session));
        adding.set(false);
        load.set(Load::Ready);
        outbox.flush();
    });

    view! {
        <div class="station">
            <header class="station-header">
                <div class="station-id">
                    <span class="station-label">{i18n.tr(Key::Station)}</span>
                    <span class="station-code">{move || code.get()}</span>
                </div>
                <time class="station-clock">{move || util::format_clock(now.get())}</time>
                <div class="station-status">
                    <PendingBadge/>
                    <span class="net-status" class:online=online class:offline=move || !online() role="status">
                        <span class="net-dot" aria-hidden="true"></span>
                        {move || if online() { i18n.t(Key::Online) } else { i18n.t(Key::Offline) }}
                    </span>
                    <LanguageSwitch/>
                </div>
            </header>
            {move || {
                (load.get() == Load::Ready)
                    .then(|| view! { <Operators adding=adding on_empty=move || sign_in_needed(station, load, &code.get_untracked())/> })
            }}
            <Rejections/>
            <main class="station-main">
                {move || match load.get() {
                    Load::Loading => view! { <Loading/> }.into_any(),
                    Load::Ready if adding.get() => {
                        view! { <BadgeSignIn on_signed_in=signed_in on_cancel=Some(Callback::new(move |()| adding.set(false)))/> }
                            .into_any()
                    }
                    Load::Ready => view! { <Outlet/> }.into_any(),
                    Load::SignIn => view! { <BadgeSignIn on_signed_in=signed_in on_cancel=None/> }.into_any(),
                    Load::Failed(error) => {
                        view! {
                            <div class="station-panel">
                                <ErrorPanel error=error on_retry=move |_| fetch_session()/>
                            </div>
                        }
                            .into_any()
                    }
                }}
            </main>
            {move || (load.get() == Load::Ready).then(|| view! { <AndonBar/> })}
        </div>
    }
}

/// The app installed on a tablet opens `/station`; it returns to the machine it was last used at.
const LAST_STATION_KEY: &str = "mes.station.last";

/// `/station`: back to this tablet's machine, or ask for the machine code once.
#[component]
pub fn StationPicker() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let last = util::local_storage().and_then(|s| s.get_item(LAST_STATION_KEY).ok().flatten());
    if let Some(code) = last.filter(|c| !c.trim().is_empty()) {
        navigate(
            &format!("/station/{}", util::encode_uri_component(&code)),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    }
    let code = RwSignal::new(String::new());
    view! {
        <div class="station">
            <main class="station-main">
                <section class="station-panel signin-panel">
                    <h1>{i18n.tr(Key::StationPickTitle)}</h1>
                    <form
                        class="signin-fields"
                        on:submit=move |ev: ev::SubmitEvent| {
                            ev.prevent_default();
                            let value = code.get_untracked().trim().to_owned();
                            if !value.is_empty() {
                                navigate(&format!("/station/{}", util::encode_uri_component(&value)), Default::default());
                            }
                        }
                    >
                        <div class="field touch">
                            <label for="station-machine">{i18n.tr(Key::MachineCode)}</label>
                            <input id="station-machine" type="text" autocomplete="off" bind:value=code/>
                        </div>
                        <button type="submit" class="button primary touch block">{i18n.tr(Key::Open)}</button>
                    </form>
                </section>
            </main>
        </div>
    }
}

fn sign_in_needed(station: StationContext, load: RwSignal<Load>, code: &str) {
    station::forget(&format!("session.{code}"));
    station.session.set(None);
    station.acting.set(None);
    load.set(Load::SignIn);
}

/// How many writes wait on this tablet; tap for the list.
#[component]
fn PendingBadge() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let open = RwSignal::new(false);
    move || {
        let count = outbox.pending_count();
        (count > 0).then(|| {
            view! {
                <button
                    type="button"
                    class="button touch pending-badge"
                    data-pending=count
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {move || i18n::pending_writes(i18n.lang(), outbox.pending_count())}
                </button>
                {move || {
                    open.get()
                        .then(|| {
                            view! {
                                <div class="pending-list" role="dialog">
                                    <p class="muted">
                                        {move || match outbox.waiting() {
                                            Some(Waiting::SignIn) => i18n.t(Key::PendingNeedSignIn),
                                            Some(Waiting::Server) => i18n.t(Key::PendingServerBusy),
                                            _ => i18n.t(Key::PendingOffline),
                                        }}
                                    </p>
                                    <ul>
                                        {move || {
                                            outbox
                                                .pending()
                                                .into_iter()
                                                .map(|w| view! { <li>{w.label}</li> })
                                                .collect_view()
                                        }}
                                    </ul>
                                </div>
                            }
                        })
                }}
            }
        })
    }
}

/// Writes the server refused after they were queued: the operator must see each one.
#[component]
fn Rejections() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    move || {
        let rejected = outbox.rejected();
        (!rejected.is_empty()).then(|| {
            view! {
                <div class="station-rejections" role="alert">
                    {rejected
                        .into_iter()
                        .map(|w| {
                            let key = w.key.clone();
                            view! {
                                <div class="alert alert-error rejection">
                                    <div>
                                        <strong>{i18n.tr(Key::WriteRefused)} " " {w.label}</strong>
                                        <p>{w.message}</p>
                                    </div>
                                    <button type="button" class="button touch" on:click=move |_| outbox.dismiss(&key)>
                                        {i18n.tr(Key::Understood)}
                                    </button>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            }
        })
    }
}

/// Who is signed in here. Tap a name to act as that operator; each signs out on their own.
#[component]
fn Operators(
    adding: RwSignal<bool>,
    on_empty: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let station = use_station();
    let sign_out = move |user_id: UserId| {
        let code = station.station_code();
        spawn_local(async move {
            match station_api::sign_out(&code, user_id).await {
                Ok(())
                | Err(FetchError::Api {
                    status: 401 | 404, ..
                }) => {
                    station.session.update(|s| {
                        if let Some(s) = s {
                            s.operators.retain(|o| o.user_id != user_id);
                        }
                    });
                    let empty = station
                        .session
                        .with_untracked(|s| s.as_ref().is_none_or(|s| s.operators.is_empty()));
                    if empty {
                        on_empty();
                    } else if let Some(session) = station.session.get_untracked() {
                        station::cache(
                            &format!("session.{}", station.code.get_untracked()),
                            &session,
                        );
                    }
                }
                // Offline: signing out needs the server (it closes the labour time).
                Err(_) => {}
            }
        });
    };
    let acting = move || station.operator_id();
    view! {
        <div class="operators-bar" aria-label=i18n.tr(Key::SignedInOperators)>
            {move || {
                station
                    .session
                    .get()
                    .map(|s| s.operators)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|o| {
                        let id = o.user_id;
                        let name = if o.display_name.trim().is_empty() { o.username.clone() } else { o.display_name.clone() };
                        view! {
                            <div class="operator-chip" class:acting=move || { station.acting.track(); acting() == Some(id) }>
                                <button type="button" class="operator-name" on:click=move |_| station.acting.set(Some(id))>
                                    <IconView icon=Icon::Users/>
                                    {name}
                                </button>
                                <button type="button" class="button touch operator-out" on:click=move |_| sign_out(id)>
                                    <IconView icon=Icon::SignOut/>
                                    {i18n.tr(Key::SignOut)}
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" class="button touch" on:click=move |_| adding.set(true)>
                "+ " {i18n.tr(Key::AddOperator)}
            </button>
        </div>
    }
}

/// Badge and PIN sign-in. A keyboard-wedge scanner types the badge and Enter: Enter in the badge
/// field moves on to the PIN, which the operator types on the keypad.
#[component]
fn BadgeSignIn(
    on_signed_in: Callback<StationSession>,
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let station = use_station();
    let badge = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let badge_ref = NodeRef::<html::Input>::new();
    let pin_ref = NodeRef::<html::Input>::new();
    let missing = RwSignal::new(None::<Key>);
    let sign_in = Action::new_local(move |request: &StationSignIn| {
        let request = request.clone();
        let code = station.code.get_untracked();
        async move {
            let result = station_api::sign_in(&code, &request).await;
            match &result {
                Ok(session) => {
                    if let Some(newest) = session.operators.iter().max_by_key(|o| o.signed_in_at) {
                        station.acting.set(Some(newest.user_id));
                    }
                    on_signed_in.run(session.clone());
                }
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
            sign_in.dispatch(StationSignIn {
                badge: Some(badge_value),
                username: None,
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
                    {on_cancel
                        .map(|cancel| {
                            view! {
                                <button type="button" class="button touch block" on:click=move |_| cancel.run(())>
                                    {i18n.tr(Key::Cancel)}
                                </button>
                            }
                        })}
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
