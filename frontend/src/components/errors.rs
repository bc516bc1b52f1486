//! How failures look: API errors with a translated title and the server's message, network
//! failures, "no permission", "not found". A 401 anywhere means the session ended: the panel
//! tells the session, and the office layout sends the user to sign in again.

use leptos::prelude::*;
use leptos_router::components::A;
use mes_api_types::ErrorKind;

use crate::{
    api::FetchError,
    i18n::{self, Key, use_i18n},
    session::use_session,
};

/// The title for a failed call.
pub fn error_title(error: &FetchError) -> Key {
    match error {
        FetchError::Network(_) => Key::ErrorNetwork,
        FetchError::Api { error, .. } => i18n::error_title_key(error.error),
        FetchError::Unexpected(_) => Key::ErrorUnexpected,
    }
}

/// What to tell the user below the title: the server's message when it sent one, else a
/// translated explanation.
pub fn error_explanation(error: &FetchError) -> Option<Key> {
    match error {
        FetchError::Network(_) => Some(Key::ErrorNetworkHint),
        FetchError::Unexpected(_) => Some(Key::ErrorUnexpectedHint),
        FetchError::Api { .. } if error.server_message().is_some() => None,
        FetchError::Api { error, .. } => match error.error {
            ErrorKind::Internal => Some(Key::ErrorInternalHint),
            ErrorKind::Unavailable => Some(Key::ErrorUnavailableHint),
            _ => None,
        },
    }
}

/// A one-line message for a failed form submission (shown in the form's alert area).
#[component]
pub fn ErrorAlert(#[prop(into)] error: Signal<Option<FetchError>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    Effect::new(move |_| {
        if error.with(|e| e.as_ref().is_some_and(FetchError::is_unauthorized)) {
            session.expire();
        }
    });
    move || {
        error.get().map(|error| {
            let title = error_title(&error);
            let explanation = error_explanation(&error);
            let message = error.server_message().map(str::to_owned);
            view! {
                <div class="alert alert-error" role="alert">
                    <strong>{i18n.tr(title)}</strong>
                    {message.map(|m| view! { <span>{m}</span> })}
                    {explanation.map(|k| view! { <span>{i18n.tr(k)}</span> })}
                </div>
            }
        })
    }
}

/// A full panel for a failed load, with its details and an optional retry.
#[component]
pub fn ErrorPanel(
    error: FetchError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    if error.is_unauthorized() {
        // After this render, not during it: expiring re-renders the layout around this panel.
        Effect::new(move |_| session.expire());
    }
    if error.kind() == Some(ErrorKind::Forbidden) {
        return view! { <Forbidden/> }.into_any();
    }
    let title = error_title(&error);
    let explanation = error_explanation(&error);
    let message = error.server_message().map(str::to_owned);
    let status = match &error {
        FetchError::Api { status, .. } => Some(*status),
        _ => None,
    };
    let details = error.details().to_vec();
    view! {
        <section class="error-panel" role="alert">
            <h2>{i18n.tr(title)}</h2>
            {message.map(|m| view! { <p class="error-message">{m}</p> })}
            {explanation.map(|k| view! { <p>{i18n.tr(k)}</p> })}
            {(!details.is_empty())
                .then(|| {
                    view! {
                        <ul class="error-details">
                            {details
                                .into_iter()
                                .map(|d| {
                                    let position = move || {
                                        i18n::detail_position(
                                            i18n.lang(),
                                            d.line,
                                            d.column.as_deref(),
                                        )
                                    };
                                    view! {
                                        <li>
                                            {d.field.clone().map(|f| view! { <code>{f}</code> " " })}
                                            {move || position().map(|p| format!("{p}: "))}
                                            {d.message.clone()}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {status
                .map(|s| {
                    view! { <p class="muted small">{move || i18n::http_status(i18n.lang(), s)}</p> }
                })}
            {on_retry
                .map(|retry| {
                    view! {
                        <button class="button" type="button" on:click=move |_| retry.run(())>
                            {i18n.tr(Key::Retry)}
                        </button>
                    }
                })}
        </section>
    }
    .into_any()
}

/// The fallback of an `<ErrorBoundary>`: API errors as panels, anything else generically.
pub fn error_list(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| match error.downcast_ref::<FetchError>() {
                Some(fetch_error) => view! { <ErrorPanel error=fetch_error.clone()/> }.into_any(),
                None => view! {
                    <section class="error-panel" role="alert">
                        <h2>{i18n.tr(Key::ErrorUnexpected)}</h2>
                        <p>{i18n.tr(Key::ErrorUnexpectedHint)}</p>
                    </section>
                }
                .into_any(),
            })
            .collect_view()
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="status-page">
            <p class="status-code">"403"</p>
            <h1>{i18n.tr(Key::ForbiddenTitle)}</h1>
            <p>{i18n.tr(Key::ForbiddenText)}</p>
            <A href="/">{i18n.tr(Key::BackHome)}</A>
        </section>
    }
}

/// The page for client routes that do not exist.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="standalone">
            <section class="status-page">
                <p class="status-code">"404"</p>
                <h1>{i18n.tr(Key::NotFoundTitle)}</h1>
                <p>{i18n.tr(Key::NotFoundText)}</p>
                <A href="/">{i18n.tr(Key::BackHome)}</A>
            </section>
        </main>
    }
}
