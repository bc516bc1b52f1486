//! The office (desktop) layout: header with the user menu and language switch, navigation for
//! every domain, and the guard that sends signed-out visitors to the sign-in page.

use leptos::{ev, html, prelude::*, task::spawn_local};
use leptos_router::{
    NavigateOptions,
    components::{A, Outlet, Redirect},
    hooks::{use_location, use_navigate},
};
use mes_api_types::auth::{PasswordChange, Role};
use wasm_bindgen::JsCast;

use crate::{
    api::{self, FetchError},
    components::{
        Loading,
        dialog::Modal,
        errors::{ErrorAlert, ErrorPanel, Forbidden},
        form::{FieldErrors, Msg, TextField, field_error},
        hooks::use_document_title,
        icons::{Icon, IconView},
        lang_switch::LanguageSwitch,
        notice::{NoticeArea, use_notices},
    },
    i18n::{Key, use_i18n},
    session::{Phase, use_session},
    util,
};

#[component]
pub fn OfficeLayout() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    session.ensure_checked();
    let phase = Memo::new(move |_| session.phase());
    let location = use_location();
    use_document_title(move || i18n.t(Key::DocumentTitle).to_owned());
    move || match phase.get() {
        Phase::Loading => view! { <div class="boot-screen"><Loading/></div> }.into_any(),
        phase @ (Phase::SignedOut | Phase::Expired) => {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let mut path = "/login".to_owned();
            if here != "/" {
                path.push_str(&format!("?next={}", util::encode_uri_component(&here)));
            }
            if phase == Phase::Expired {
                path.push_str(if path.contains('?') { "&" } else { "?" });
                path.push_str("expired=1");
            }
            view! {
                <Redirect
                    path=path
                    options=NavigateOptions { replace: true, ..Default::default() }
                />
            }
            .into_any()
        }
        Phase::Unreachable => {
            let error = session
                .unreachable_error()
                .unwrap_or_else(|| FetchError::Network(String::new()));
            view! {
                <main class="standalone">
                    <ErrorPanel error=error on_retry=move |_| session.recheck()/>
                </main>
            }
            .into_any()
        }
        Phase::SignedIn => view! { <OfficeShell/> }.into_any(),
    }
}

/// Shows its children only to users with `role`; others get the "no permission" page.
#[component]
pub fn RequireRole(role: Role, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let allowed = Memo::new(move |_| session.has_role(role));
    move || {
        if allowed.get() {
            children().into_any()
        } else {
            view! { <Forbidden/> }.into_any()
        }
    }
}

/// The domains of the product, in the order the plant works through them. Those without a
/// screen yet are listed, disabled, so people see what is coming rather than an empty page.
const COMING_DOMAINS: [(Icon, Key); 5] = [
    (Icon::Quality, Key::NavQuality),
    (Icon::Equipment, Key::NavEquipment),
    (Icon::Maintenance, Key::NavMaintenance),
    (Icon::Energy, Key::NavEnergy),
    (Icon::Dashboards, Key::NavDashboards),
];

#[component]
fn OfficeShell() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = Memo::new(move |_| session.has_role(Role::Admin));
    let password_dialog = RwSignal::new(false);
    view! {
        <div class="office">
            <header class="topbar">
                <A href="/" attr:class="brand">
                    <span class="brand-mark">"MES"</span>
                    <span class="brand-name">{i18n.tr(Key::ProductName)}</span>
                </A>
                <div class="topbar-actions">
                    <LanguageSwitch/>
                    <UserMenu on_change_password=move || password_dialog.set(true)/>
                </div>
            </header>
            <div class="office-body">
                <nav class="sidenav" aria-label=i18n.tr(Key::MainNavigation)>
                    <ul>
                        <li>
                            <A href="/" exact=true attr:class="nav-item">
                                <IconView icon=Icon::Home/>
                                <span>{i18n.tr(Key::NavHome)}</span>
                            </A>
                        </li>
                        <li>
                            <A href="/work-orders" attr:class="nav-item">
                                <IconView icon=Icon::WorkOrders/>
                                <span>{i18n.tr(Key::NavWorkOrders)}</span>
                            </A>
                        </li>
                        <li>
                            <A href="/scheduling" attr:class="nav-item">
                                <IconView icon=Icon::Scheduling/>
                                <span>{i18n.tr(Key::NavScheduling)}</span>
                            </A>
                        </li>
                        <li>
                            <A href="/reporting" attr:class="nav-item">
                                <IconView icon=Icon::Reporting/>
                                <span>{i18n.tr(Key::NavReporting)}</span>
                            </A>
                        </li>
                        <li>
                            <A href="/master-data" attr:class="nav-item">
                                <IconView icon=Icon::MasterData/>
                                <span>{i18n.tr(Key::NavMasterData)}</span>
                            </A>
                        </li>
                        {COMING_DOMAINS
                            .into_iter()
                            .map(|(icon, key)| {
                                view! {
                                    <li>
                                        <span
                                            class="nav-item disabled"
                                            aria-disabled="true"
                                            title=i18n.tr(Key::ComingHint)
                                        >
                                            <IconView icon=icon/>
                                            <span>{i18n.tr(key)}</span>
                                            <span class="badge-coming">{i18n.tr(Key::Coming)}</span>
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                        <Show when=move || is_admin.get()>
                            <li class="nav-section" role="presentation">
                                {i18n.tr(Key::NavAdministration)}
                            </li>
                            <li>
                                <A href="/users" attr:class="nav-item">
                                    <IconView icon=Icon::Users/>
                                    <span>{i18n.tr(Key::NavUsers)}</span>
                                </A>
                            </li>
                            <li>
                                <A href="/audit" attr:class="nav-item">
                                    <IconView icon=Icon::Audit/>
                                    <span>{i18n.tr(Key::NavAudit)}</span>
                                </A>
                            </li>
                        </Show>
                    </ul>
                </nav>
                <main class="office-main" id="main">
                    <NoticeArea/>
                    <Outlet/>
                </main>
            </div>
            <Show when=move || password_dialog.get()>
                <ChangePasswordDialog on_close=move || password_dialog.set(false)/>
            </Show>
        </div>
    }
}

#[component]
fn UserMenu(#[prop(into)] on_change_password: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let signing_out = RwSignal::new(false);
    let sign_out_error = RwSignal::new(None::<FetchError>);
    let container = NodeRef::<html::Div>::new();

    // Close when a click lands outside the menu, or on Escape.
    let click = window_event_listener(ev::click, move |ev| {
        if !open.get_untracked() {
            return;
        }
        let inside = match (container.get_untracked(), ev.target()) {
            (Some(container), Some(target)) => target
                .dyn_ref::<web_sys::Node>()
                .is_some_and(|node| container.contains(Some(node))),
            _ => false,
        };
        if !inside {
            open.set(false);
        }
    });
    let key = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || {
        click.remove();
        key.remove();
    });

    let sign_out = move |_| {
        open.set(false);
        signing_out.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::logout().await;
            signing_out.set(false);
            match result {
                // 401: the session had already ended; the user is signed out either way.
                Err(e) if !e.is_unauthorized() => sign_out_error.set(Some(e)),
                _ => {
                    navigate(
                        "/login",
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                    session.signed_out();
                }
            }
        });
    };

    let display_name = move || {
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
    let initial = move || display_name().chars().next().unwrap_or('?').to_string();
    let username = move || session.me().map(|me| me.username).unwrap_or_default();

    view! {
        <div class="user-menu" node_ref=container>
            <button
                type="button"
                class="user-button"
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                disabled=move || signing_out.get()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="avatar" aria-hidden="true">{initial}</span>
                <span class="user-name">{display_name}</span>
                <IconView icon=Icon::ChevronDown/>
            </button>
            <Show when=move || open.get()>
                <div class="menu" role="menu" aria-label=i18n.tr(Key::UserMenu)>
                    <p class="menu-heading" role="presentation">
                        <span class="muted small">{i18n.tr(Key::SignedInAs)}</span>
                        <strong>{username}</strong>
                    </p>
                    <button
                        type="button"
                        role="menuitem"
                        class="menu-item"
                        on:click=move |_| {
                            open.set(false);
                            on_change_password.run(());
                        }
                    >
                        <IconView icon=Icon::Key/>
                        {i18n.tr(Key::ChangePassword)}
                    </button>
                    <a
                        role="menuitem"
                        class="menu-item"
                        href="/api/docs"
                        target="_blank"
                        rel="noopener"
                        on:click=move |_| open.set(false)
                    >
                        <IconView icon=Icon::Docs/>
                        {i18n.tr(Key::ApiDocs)}
                    </a>
                    <button type="button" role="menuitem" class="menu-item" on:click=sign_out.clone()>
                        <IconView icon=Icon::SignOut/>
                        {i18n.tr(Key::SignOut)}
                    </button>
                </div>
            </Show>
            <Show when=move || sign_out_error.with(Option::is_some)>
                <div class="menu menu-error">
                    <ErrorAlert error=sign_out_error/>
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| sign_out_error.set(None)
                    >
                        {i18n.tr(Key::Close)}
                    </button>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn ChangePasswordDialog(#[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let server_error = RwSignal::new(None::<FetchError>);
    let save = Action::new_local(move |change: &PasswordChange| {
        let change = change.clone();
        async move { api::change_password(&change).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            notices.success(i18n.t(Key::PasswordChanged).to_owned());
            on_close.run(());
        }
        Some(Err(e)) => {
            let mut field_errors = FieldErrors::default();
            let unplaced = field_errors
                .merge_server_details(e.details(), &["current_password", "new_password"]);
            errors.set(field_errors);
            // Field problems (a wrong current password) show on their fields; the rest, and a
            // 401 (the session ended meanwhile), in the alert.
            let placed_all = unplaced.is_empty() && !errors.with_untracked(FieldErrors::is_empty);
            server_error.set((!placed_all).then_some(e));
        }
        None => {}
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let mut field_errors = FieldErrors::default();
        if current.with_untracked(String::is_empty) {
            field_errors.add("current_password", Msg::Key(Key::Required));
        }
        if new.with_untracked(String::is_empty) {
            field_errors.add("new_password", Msg::Key(Key::Required));
        } else if new.with_untracked(|n| {
            !(crate::pages::users::PASSWORD_LENGTH).contains(&n.chars().count())
        }) {
            field_errors.add("new_password", Msg::Key(Key::PasswordRules));
        }
        if new.get_untracked() != confirm.get_untracked() {
            field_errors.add("confirm", Msg::Key(Key::PasswordsDiffer));
        }
        let valid = field_errors.is_empty();
        errors.set(field_errors);
        server_error.set(None);
        if valid {
            save.dispatch(PasswordChange {
                current_password: current.get_untracked(),
                new_password: new.get_untracked(),
            });
        }
    };
    view! {
        <Modal title=Signal::derive(move || i18n.t(Key::ChangePassword).to_owned()) on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=server_error/>
                <TextField
                    label=Key::CurrentPassword
                    value=current
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    autofocus=true
                    error=field_error(errors, "current_password")
                />
                <TextField
                    label=Key::NewPassword
                    value=new
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                    error=field_error(errors, "new_password")
                />
                <TextField
                    label=Key::ConfirmPassword
                    value=confirm
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                    error=field_error(errors, "confirm")
                />
                <div class="form-actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>
                        {i18n.tr(Key::Cancel)}
                    </button>
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>
                        {move || {
                            if save.pending().get() { i18n.t(Key::Saving) } else { i18n.t(Key::Save) }
                        }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
