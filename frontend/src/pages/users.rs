//! `/users` (admin): find, create, edit and disable accounts; set badges and PINs for station
//! sign-in; reset passwords.

use std::time::Duration;

use leptos::{ev, prelude::*};
use mes_api_types::{
    Lang, Page,
    auth::{NewUser, Role, User, UserUpdate},
};

use crate::{
    api::{self, FetchError, UserQuery},
    components::{
        Loading,
        dialog::Modal,
        errors::{ErrorAlert, error_list},
        form::{FieldErrors, Msg, TextField, field_error},
        icons::{Icon, IconView},
        notice::use_notices,
        pager::{CursorStack, Pager},
    },
    i18n::{self, Key, use_i18n},
    layouts::office::RequireRole,
    util,
};

// Client-side checks mirror the server's rules (backend/src/users/service.rs) so most mistakes
// show before a round trip; the server checks again and its messages land on the same fields.
pub const PASSWORD_LENGTH: std::ops::RangeInclusive<usize> = 8..=200;
const USERNAME_LENGTH: std::ops::RangeInclusive<usize> = 2..=64;
const MAX_DISPLAY_NAME: usize = 100;
const MAX_BADGE: usize = 64;
const PIN_MIN: usize = 4;
const PIN_MAX: usize = 8;
const PAGE_SIZE: u32 = 25;

/// The API's field names, so server validation details land on the right input.
const FORM_FIELDS: [&str; 8] = [
    "username",
    "display_name",
    "password",
    "roles",
    "language",
    "badge_code",
    "pin",
    "active",
];

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <RequireRole role=Role::Admin>
            <UsersAdmin/>
        </RequireRole>
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Dialog {
    Closed,
    Create,
    Edit(mes_api_types::UserId),
}

#[component]
fn UsersAdmin() -> impl IntoView {
    let i18n = use_i18n();
    let search_input = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let role = RwSignal::new(None::<Role>);
    let active = RwSignal::new(None::<bool>);
    let cursors = CursorStack::new();
    let dialog = RwSignal::new(Dialog::Closed);

    // Search as the admin types, once they pause.
    let pending_search = StoredValue::new(None::<TimeoutHandle>);
    let on_search_input = move |ev: ev::Event| {
        search_input.set(event_target_value(&ev));
        if let Some(handle) = pending_search.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                search.set(search_input.get_untracked());
                cursors.reset();
            },
            Duration::from_millis(300),
        );
        pending_search.set_value(handle.ok());
    };

    let query = Memo::new(move |_| UserQuery {
        q: search.get(),
        role: role.get(),
        active: active.get(),
        limit: PAGE_SIZE,
        cursor: cursors.current(),
    });
    let users = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_users(&query).await }
    });
    let loaded = move || users.get().and_then(Result::ok);
    let next_cursor = Signal::derive(move || loaded().and_then(|page| page.next_cursor));
    let total = Signal::derive(move || loaded().map(|page| page.total));
    let on_saved = Callback::new(move |()| {
        dialog.set(Dialog::Closed);
        users.refetch();
    });

    view! {
        <div class="page">
            <header class="page-header">
                <h1>{i18n.tr(Key::UsersTitle)}</h1>
                <button
                    type="button"
                    class="button primary"
                    on:click=move |_| dialog.set(Dialog::Create)
                >
                    <IconView icon=Icon::Plus/>
                    {i18n.tr(Key::NewUser)}
                </button>
            </header>
            <div class="toolbar" role="search">
                <div class="field inline grow">
                    <label for="users-search">{i18n.tr(Key::Search)}</label>
                    <div class="input-with-icon">
                        <IconView icon=Icon::Search/>
                        <input
                            id="users-search"
                            type="search"
                            placeholder=i18n.tr(Key::UserSearchPlaceholder)
                            prop:value=move || search_input.get()
                            on:input=on_search_input
                        />
                    </div>
                </div>
                <div class="field inline">
                    <label for="users-role">{i18n.tr(Key::Role)}</label>
                    <select
                        id="users-role"
                        on:change=move |ev| {
                            role.set(Role::parse(&event_target_value(&ev)));
                            cursors.reset();
                        }
                    >
                        <option value="" selected=move || role.get().is_none()>
                            {i18n.tr(Key::AllRoles)}
                        </option>
                        {Role::ALL
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <option value=r.as_str() selected=move || role.get() == Some(r)>
                                        {i18n.tr(i18n::role_key(r))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field inline">
                    <label for="users-active">{i18n.tr(Key::Status)}</label>
                    <select
                        id="users-active"
                        on:change=move |ev| {
                            active
                                .set(
                                    match event_target_value(&ev).as_str() {
                                        "true" => Some(true),
                                        "false" => Some(false),
                                        _ => None,
                                    },
                                );
                            cursors.reset();
                        }
                    >
                        <option value="" selected=move || active.get().is_none()>
                            {i18n.tr(Key::AllStatuses)}
                        </option>
                        <option value="true" selected=move || active.get() == Some(true)>
                            {i18n.tr(Key::Active)}
                        </option>
                        <option value="false" selected=move || active.get() == Some(false)>
                            {i18n.tr(Key::Disabled)}
                        </option>
                    </select>
                </div>
            </div>
            <Transition fallback=|| view! { <Loading/> }>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        users
                            .await
                            .map(|page| {
                                view! {
                                    <UsersTable
                                        page=page
                                        on_edit=move |id| dialog.set(Dialog::Edit(id))
                                    />
                                }
                            })
                    })}
                </ErrorBoundary>
            </Transition>
            <Pager cursors=cursors next_cursor=next_cursor total=total/>
            {move || match dialog.get() {
                Dialog::Closed => None,
                Dialog::Create => {
                    Some(
                        view! {
                            <CreateUserDialog
                                on_close=move || dialog.set(Dialog::Closed)
                                on_saved=on_saved
                            />
                        }
                            .into_any(),
                    )
                }
                Dialog::Edit(id) => {
                    Some(
                        view! {
                            <EditUserDialog
                                id=id
                                on_close=move || dialog.set(Dialog::Closed)
                                on_saved=on_saved
                            />
                        }
                            .into_any(),
                    )
                }
            }}
        </div>
    }
}

#[component]
fn UsersTable(
    page: Page<User>,
    #[prop(into)] on_edit: Callback<mes_api_types::UserId>,
) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! { <p class="empty">{i18n.tr(Key::NoUsersFound)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(Key::Username)}</th>
                        <th scope="col">{i18n.tr(Key::DisplayName)}</th>
                        <th scope="col">{i18n.tr(Key::Roles)}</th>
                        <th scope="col">{i18n.tr(Key::Language)}</th>
                        <th scope="col">{i18n.tr(Key::Badge)}</th>
                        <th scope="col">{i18n.tr(Key::Status)}</th>
                        <th scope="col">{i18n.tr(Key::LastLogin)}</th>
                        <th scope="col" class="actions">
                            <span class="visually-hidden">{i18n.tr(Key::Actions)}</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .items
                        .into_iter()
                        .map(|user| {
                            let id = user.id;
                            let active = user.active;
                            let username = user.username.clone();
                            view! {
                                <tr class:inactive=!active>
                                    <td class="mono">{user.username}</td>
                                    <td>{user.display_name}</td>
                                    <td>
                                        <div class="chips">
                                            {user
                                                .roles
                                                .into_iter()
                                                .map(|role| {
                                                    view! {
                                                        <span class="chip">
                                                            {i18n.tr(i18n::role_key(role))}
                                                        </span>
                                                    }
                                                })
                                                .collect_view()}
                                        </div>
                                    </td>
                                    <td>{i18n::endonym(user.language)}</td>
                                    <td class="mono">
                                        {user.badge_code.unwrap_or_else(|| "—".to_owned())}
                                        {user
                                            .has_pin
                                            .then(|| {
                                                view! {
                                                    <span class="chip subtle">{i18n.tr(Key::HasPin)}</span>
                                                }
                                            })}
                                    </td>
                                    <td>
                                        <span class="status-pill" class:ok=active class:off=!active>
                                            {move || {
                                                if active {
                                                    i18n.t(Key::Active)
                                                } else {
                                                    i18n.t(Key::Disabled)
                                                }
                                            }}
                                        </span>
                                    </td>
                                    <td class="nowrap">
                                        {user
                                            .last_login_at
                                            .map(|at| util::format_datetime(&at))
                                            .unwrap_or_else(|| "—".to_owned())}
                                    </td>
                                    <td class="actions">
                                        <button
                                            type="button"
                                            class="button small"
                                            aria-label=move || {
                                                format!("{} {}", i18n.t(Key::Edit), username)
                                            }
                                            on:click=move |_| on_edit.run(id)
                                        >
                                            <IconView icon=Icon::Edit/>
                                            {i18n.tr(Key::Edit)}
                                        </button>
                                    </td>
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

/// The values of the user form, shared by "create" and "edit".
#[derive(Clone, Copy)]
struct UserForm {
    username: RwSignal<String>,
    display_name: RwSignal<String>,
    password: RwSignal<String>,
    roles: RwSignal<Vec<Role>>,
    language: RwSignal<Lang>,
    badge: RwSignal<String>,
    pin: RwSignal<String>,
    active: RwSignal<bool>,
    /// Edit only: take the PIN away (the badge alone then no longer signs in).
    remove_pin: RwSignal<bool>,
    errors: RwSignal<FieldErrors>,
    server_error: RwSignal<Option<FetchError>>,
}

impl UserForm {
    fn new(user: Option<&User>) -> Self {
        UserForm {
            username: RwSignal::new(user.map(|u| u.username.clone()).unwrap_or_default()),
            display_name: RwSignal::new(user.map(|u| u.display_name.clone()).unwrap_or_default()),
            password: RwSignal::new(String::new()),
            roles: RwSignal::new(user.map(|u| u.roles.clone()).unwrap_or_default()),
            language: RwSignal::new(user.map(|u| u.language).unwrap_or_default()),
            badge: RwSignal::new(user.and_then(|u| u.badge_code.clone()).unwrap_or_default()),
            pin: RwSignal::new(String::new()),
            active: RwSignal::new(user.is_none_or(|u| u.active)),
            remove_pin: RwSignal::new(false),
            errors: RwSignal::new(FieldErrors::default()),
            server_error: RwSignal::new(None),
        }
    }

    /// Checks what the client can; `creating` makes username and password required.
    fn validate(self, creating: bool) -> bool {
        let mut errors = FieldErrors::default();
        if creating {
            let username = self.username.get_untracked().trim().to_lowercase();
            if username.is_empty() {
                errors.add("username", Msg::Key(Key::Required));
            } else if !USERNAME_LENGTH.contains(&username.len())
                || !username.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
                })
            {
                errors.add("username", Msg::Key(Key::UsernameRules));
            }
        }
        let display_name = self.display_name.get_untracked();
        if !creating && display_name.trim().is_empty() {
            errors.add("display_name", Msg::Key(Key::Required));
        } else if display_name.trim().chars().count() > MAX_DISPLAY_NAME {
            errors.add("display_name", Msg::MaxLength(MAX_DISPLAY_NAME));
        }
        let password_len = self.password.with_untracked(|p| p.chars().count());
        if creating && password_len == 0 {
            errors.add("password", Msg::Key(Key::Required));
        } else if password_len > 0 && !PASSWORD_LENGTH.contains(&password_len) {
            errors.add("password", Msg::Key(Key::PasswordRules));
        }
        if self.roles.with_untracked(Vec::is_empty) {
            errors.add("roles", Msg::Key(Key::ChooseRole));
        }
        let badge = self.badge.get_untracked();
        let badge = badge.trim();
        if badge.chars().count() > MAX_BADGE || badge.chars().any(char::is_whitespace) {
            errors.add("badge_code", Msg::Key(Key::BadgeRules));
        }
        let pin = self.pin.get_untracked();
        if !self.remove_pin.get_untracked()
            && !pin.is_empty()
            && (!pin.chars().all(|c| c.is_ascii_digit())
                || !(PIN_MIN..=PIN_MAX).contains(&pin.len()))
        {
            errors.add("pin", Msg::PinLength(PIN_MIN, PIN_MAX));
        }
        let valid = errors.is_empty();
        self.errors.set(errors);
        self.server_error.set(None);
        valid
    }

    /// Shows a failed save: validation details on their fields, the rest in the alert.
    fn show_error(self, error: FetchError) {
        let mut errors = FieldErrors::default();
        let unplaced = errors.merge_server_details(error.details(), &FORM_FIELDS);
        let placed_all = unplaced.is_empty() && !errors.is_empty();
        self.errors.set(errors);
        self.server_error.set((!placed_all).then_some(error));
    }

    fn optional(value: RwSignal<String>) -> Option<String> {
        Some(value.get_untracked().trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn new_user(self) -> NewUser {
        NewUser {
            username: self.username.get_untracked().trim().to_lowercase(),
            display_name: Self::optional(self.display_name),
            password: self.password.get_untracked(),
            roles: self.roles.get_untracked(),
            language: Some(self.language.get_untracked()),
            badge_code: Self::optional(self.badge),
            pin: Some(self.pin.get_untracked()).filter(|p| !p.is_empty()),
        }
    }

    /// Only what changed, so a save never overwrites a field someone else just edited.
    fn update(self, original: &User) -> UserUpdate {
        let display_name = self.display_name.get_untracked().trim().to_owned();
        let mut roles = self.roles.get_untracked();
        roles.sort();
        let mut original_roles = original.roles.clone();
        original_roles.sort();
        let language = self.language.get_untracked();
        let active = self.active.get_untracked();
        let badge = self.badge.get_untracked().trim().to_owned();
        UserUpdate {
            display_name: (display_name != original.display_name).then_some(display_name),
            roles: (roles != original_roles).then_some(roles),
            language: (language != original.language).then_some(language),
            active: (active != original.active).then_some(active),
            // "" removes the badge.
            badge_code: (badge != original.badge_code.clone().unwrap_or_default()).then_some(badge),
            // "" removes the PIN.
            pin: if self.remove_pin.get_untracked() {
                original.has_pin.then(String::new)
            } else {
                Some(self.pin.get_untracked()).filter(|p| !p.is_empty())
            },
            password: Some(self.password.get_untracked()).filter(|p| !p.is_empty()),
        }
    }
}

#[component]
fn CreateUserDialog(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let form = UserForm::new(None);
    let save = Action::new_local(move |user: &NewUser| {
        let user = user.clone();
        async move { api::create_user(&user).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(user)) => {
            notices.success(i18n::user_created(i18n.lang_untracked(), &user.username));
            on_saved.run(());
        }
        Some(Err(e)) => form.show_error(e),
        None => {}
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if form.validate(true) {
            save.dispatch(form.new_user());
        }
    };
    view! {
        <Modal title=Signal::derive(move || i18n.t(Key::NewUser).to_owned()) on_close=on_close>
            <form class="form" on:submit=on_submit novalidate>
                <ErrorAlert error=form.server_error/>
                <div class="form-grid">
                    <TextField
                        label=Key::Username
                        value=form.username
                        autocomplete="off"
                        required=true
                        autofocus=true
                        maxlength=*USERNAME_LENGTH.end()
                        hint=Key::UsernameHint
                        error=field_error(form.errors, "username")
                    />
                    <TextField
                        label=Key::DisplayName
                        value=form.display_name
                        autocomplete="off"
                        maxlength=MAX_DISPLAY_NAME
                        hint=Key::DisplayNameHint
                        error=field_error(form.errors, "display_name")
                    />
                    <TextField
                        label=Key::InitialPassword
                        value=form.password
                        input_type="password"
                        autocomplete="new-password"
                        required=true
                        hint=Key::InitialPasswordHint
                        error=field_error(form.errors, "password")
                    />
                    <LanguageSelect value=form.language/>
                </div>
                <RoleChecklist selected=form.roles error=field_error(form.errors, "roles")/>
                <StationSignInFields form=form/>
                <FormActions pending=save.pending() on_cancel=on_close submit=Key::CreateUser/>
            </form>
        </Modal>
    }
}

#[component]
fn EditUserDialog(
    id: mes_api_types::UserId,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Fetched afresh: the list may be minutes old.
    let user = LocalResource::new(move || api::get_user(id));
    let title = Signal::derive(move || {
        user.get()
            .and_then(Result::ok)
            .map(|u| i18n::edit_user_title(i18n.lang(), &u.username))
            .unwrap_or_else(|| i18n.t(Key::EditUser).to_owned())
    });
    view! {
        <Modal title=title on_close=on_close>
            <Suspense fallback=|| view! { <Loading/> }>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        user.await
                            .map(|user| {
                                view! { <EditUserForm user=user on_close=on_close on_saved=on_saved/> }
                            })
                    })}
                </ErrorBoundary>
            </Suspense>
        </Modal>
    }
}

#[component]
fn EditUserForm(user: User, on_close: Callback<()>, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let form = UserForm::new(Some(&user));
    let original = StoredValue::new(user);
    let save = Action::new_local(move |update: &UserUpdate| {
        let update = update.clone();
        async move { api::update_user(id_of(original), &update).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(user)) => {
            notices.success(i18n::user_saved(i18n.lang_untracked(), &user.username));
            on_saved.run(());
        }
        Some(Err(e)) => form.show_error(e),
        None => {}
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if !form.validate(false) {
            return;
        }
        let update = original.with_value(|u| form.update(u));
        if update == UserUpdate::default() {
            on_close.run(());
        } else {
            save.dispatch(update);
        }
    };
    let has_pin = original.with_value(|u| u.has_pin);
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <ErrorAlert error=form.server_error/>
            <div class="form-grid">
                <div class="field">
                    <span class="label">{i18n.tr(Key::Username)}</span>
                    <p class="readonly mono">{original.with_value(|u| u.username.clone())}</p>
                </div>
                <TextField
                    label=Key::DisplayName
                    value=form.display_name
                    autocomplete="off"
                    required=true
                    autofocus=true
                    maxlength=MAX_DISPLAY_NAME
                    error=field_error(form.errors, "display_name")
                />
                <LanguageSelect value=form.language/>
                <div class="field">
                    <span class="label">{i18n.tr(Key::Status)}</span>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            prop:checked=move || form.active.get()
                            on:change=move |ev| form.active.set(event_target_checked(&ev))
                        />
                        <span>{i18n.tr(Key::AccountActive)}</span>
                    </label>
                    <p class="field-hint">{i18n.tr(Key::AccountActiveHint)}</p>
                </div>
            </div>
            <RoleChecklist selected=form.roles error=field_error(form.errors, "roles")/>
            <fieldset class="fieldset">
                <legend>{i18n.tr(Key::ResetPassword)}</legend>
                <TextField
                    label=Key::NewPassword
                    value=form.password
                    input_type="password"
                    autocomplete="new-password"
                    hint=Key::LeaveEmptyToKeep
                    error=field_error(form.errors, "password")
                />
            </fieldset>
            <StationSignInFields form=form has_pin=has_pin/>
            <FormActions pending=save.pending() on_cancel=on_close submit=Key::Save/>
        </form>
    }
}

fn id_of(user: StoredValue<User>) -> mes_api_types::UserId {
    user.with_value(|u| u.id)
}

/// Badge and PIN: how an operator signs in at a station tablet.
#[component]
fn StationSignInFields(form: UserForm, #[prop(optional)] has_pin: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="fieldset">
            <legend>{i18n.tr(Key::StationSignIn)}</legend>
            <div class="form-grid">
                <TextField
                    label=Key::Badge
                    value=form.badge
                    autocomplete="off"
                    maxlength=MAX_BADGE
                    hint=Key::BadgeHint
                    error=field_error(form.errors, "badge_code")
                />
                <div class="field-stack">
                    <TextField
                        label=Key::Pin
                        value=form.pin
                        input_type="password"
                        inputmode="numeric"
                        autocomplete="new-password"
                        maxlength=PIN_MAX
                        hint=if has_pin { Key::PinKeepHint } else { Key::PinHint }
                        disabled=Signal::derive(move || form.remove_pin.get())
                        error=field_error(form.errors, "pin")
                    />
                    {has_pin
                        .then(|| {
                            view! {
                                <label class="checkbox">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || form.remove_pin.get()
                                        on:change=move |ev| {
                                            form.remove_pin.set(event_target_checked(&ev))
                                        }
                                    />
                                    <span>{i18n.tr(Key::RemovePin)}</span>
                                </label>
                            }
                        })}
                </div>
            </div>
        </fieldset>
    }
}

#[component]
fn LanguageSelect(value: RwSignal<Lang>) -> impl IntoView {
    let i18n = use_i18n();
    let id = util::next_id("language");
    view! {
        <div class="field">
            <label for=id.clone()>{i18n.tr(Key::Language)}</label>
            <select
                id=id
                on:change=move |ev| {
                    let tag = event_target_value(&ev);
                    if let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == tag) {
                        value.set(lang);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.tag() selected=move || value.get() == lang>
                                {i18n::endonym(lang)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn RoleChecklist(selected: RwSignal<Vec<Role>>, error: Signal<Option<Msg>>) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = util::next_id("roles-error");
    let described_by = error_id.clone();
    view! {
        <fieldset
            class="fieldset"
            class:invalid=move || error.with(Option::is_some)
            aria-describedby=described_by
        >
            <legend>
                {i18n.tr(Key::Roles)}
                <span class="required" aria-hidden="true">" *"</span>
            </legend>
            <div class="checkbox-grid">
                {Role::ALL
                    .into_iter()
                    .map(|role| {
                        view! {
                            <label class="checkbox">
                                <input
                                    type="checkbox"
                                    value=role.as_str()
                                    prop:checked=move || selected.with(|s| s.contains(&role))
                                    on:change=move |ev| {
                                        let checked = event_target_checked(&ev);
                                        selected
                                            .update(|s| {
                                                s.retain(|r| *r != role);
                                                if checked {
                                                    s.push(role);
                                                    s.sort();
                                                }
                                            });
                                    }
                                />
                                <span>{i18n.tr(i18n::role_key(role))}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="field-error" id=error_id aria-live="polite">
                {move || error.get().map(|m| m.render(i18n.lang()))}
            </p>
        </fieldset>
    }
}

#[component]
fn FormActions(pending: Memo<bool>, on_cancel: Callback<()>, submit: Key) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-actions">
            <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                {i18n.tr(Key::Cancel)}
            </button>
            <button type="submit" class="button primary" disabled=move || pending.get()>
                {move || if pending.get() { i18n.t(Key::Saving) } else { i18n.t(submit) }}
            </button>
        </div>
    }
}
