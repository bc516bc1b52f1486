//! `/login`: username and password; afterwards back to the page the user wanted.

use leptos::{ev, prelude::*};
use leptos_router::{NavigateOptions, components::Redirect, hooks::use_query_map};
use mes_api_types::auth::LoginRequest;

use crate::{
    api::{self, FetchError},
    components::{
        errors::ErrorAlert,
        form::{FieldErrors, Msg, TextField, field_error},
        hooks::use_document_title,
        lang_switch::LanguageSwitch,
    },
    i18n::{Key, use_i18n},
    session::{Phase, use_session},
    util,
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    session.ensure_checked();
    let query = use_query_map();
    use_document_title(move || i18n.t(Key::DocumentTitle).to_owned());
    let next = Memo::new(move |_| util::safe_next(query.with(|q| q.get("next"))));
    let expired = move || query.with(|q| q.get("expired").is_some());

    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    // Signing in changes the session; the redirect below then takes the user on.
    let login = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        async move {
            let me = api::login(&request).await?;
            session.signed_in(me);
            Ok::<(), FetchError>(())
        }
    });
    // Wrong credentials are the expected failure here, not an ended session: show them inline.
    let failure = Signal::derive(move || login.value().get().and_then(Result::err));

    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let mut field_errors = FieldErrors::default();
        if username.with_untracked(|u| u.trim().is_empty()) {
            field_errors.add("username", Msg::Key(Key::Required));
        }
        if password.with_untracked(String::is_empty) {
            field_errors.add("password", Msg::Key(Key::Required));
        }
        let valid = field_errors.is_empty();
        errors.set(field_errors);
        if valid {
            login.dispatch(LoginRequest {
                username: username.get_untracked().trim().to_owned(),
                password: password.get_untracked(),
            });
        }
    };

    view! {
        // Signed in (just now, or already in another tab) goes on to the page they wanted.
        <Show when=move || session.phase() == Phase::SignedIn>
            <Redirect
                path=next.get_untracked()
                options=NavigateOptions { replace: true, ..Default::default() }
            />
        </Show>
        <main class="login-page">
            <div class="login-lang">
                <LanguageSwitch/>
            </div>
            <section class="login-card" aria-labelledby="login-title">
                <div class="login-brand">
                    <span class="brand-mark large">"MES"</span>
                    <span class="login-product">{i18n.tr(Key::ProductName)}</span>
                </div>
                <h1 id="login-title">{i18n.tr(Key::SignInTitle)}</h1>
                <Show when=expired>
                    <div class="alert alert-info" role="status">{i18n.tr(Key::SessionExpired)}</div>
                </Show>
                <form class="form" on:submit=on_submit novalidate>
                    <LoginFailure failure=failure/>
                    <TextField
                        label=Key::Username
                        value=username
                        autocomplete="username"
                        required=true
                        autofocus=true
                        error=field_error(errors, "username")
                    />
                    <TextField
                        label=Key::Password
                        value=password
                        input_type="password"
                        autocomplete="current-password"
                        required=true
                        error=field_error(errors, "password")
                    />
                    <button
                        type="submit"
                        class="button primary block"
                        disabled=move || login.pending().get()
                    >
                        {move || {
                            if login.pending().get() {
                                i18n.t(Key::SigningIn)
                            } else {
                                i18n.t(Key::SignIn)
                            }
                        }}
                    </button>
                </form>
            </section>
        </main>
    }
}

/// A failed sign-in: 401 and 429 carry the server's message in the user's language; anything
/// else (server down) gets the general error alert.
#[component]
fn LoginFailure(failure: Signal<Option<FetchError>>) -> impl IntoView {
    let i18n = use_i18n();
    let credentials_error = move || {
        failure.with(|f| match f {
            Some(e) if e.is_unauthorized() => Some(
                e.server_message()
                    .map(str::to_owned)
                    .unwrap_or_else(|| i18n.t(Key::WrongCredentials).to_owned()),
            ),
            _ => None,
        })
    };
    let other_error = Signal::derive(move || failure.get().filter(|e| !e.is_unauthorized()));
    view! {
        {move || {
            credentials_error()
                .map(|message| view! { <div class="alert alert-error" role="alert">{message}</div> })
        }}
        <ErrorAlert error=other_error/>
    }
}
