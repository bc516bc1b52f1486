//! Who is signed in on this browser, as the server's session cookie says.

use leptos::{prelude::*, task::spawn_local};
use mes_api_types::{
    Lang,
    auth::{Me, PreferencesUpdate, Role},
};

use crate::{
    api::{self, FetchError},
    i18n::I18n,
};

/// The sign-in state. The cookie is HttpOnly, so only `GET /auth/me` can tell.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Not asked yet (the board never asks).
    Unknown,
    Checking,
    SignedOut,
    /// Was signed in, then the server answered 401: the session ran out or was revoked.
    Expired,
    SignedIn(Me),
    /// `/auth/me` could not be answered (server down, network gone).
    Unreachable(FetchError),
}

/// A copyable summary of [`Auth`], so layouts re-render only when the phase changes, not when
/// the user's details do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Loading,
    SignedOut,
    Expired,
    SignedIn,
    Unreachable,
}

#[derive(Clone, Copy)]
pub struct Session {
    auth: RwSignal<Auth>,
    i18n: I18n,
}

impl Session {
    pub fn phase(self) -> Phase {
        self.auth.with(|auth| match auth {
            Auth::Unknown | Auth::Checking => Phase::Loading,
            Auth::SignedOut => Phase::SignedOut,
            Auth::Expired => Phase::Expired,
            Auth::SignedIn(_) => Phase::SignedIn,
            Auth::Unreachable(_) => Phase::Unreachable,
        })
    }

    pub fn me(self) -> Option<Me> {
        self.auth.with(|auth| match auth {
            Auth::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    pub fn unreachable_error(self) -> Option<FetchError> {
        self.auth.with(|auth| match auth {
            Auth::Unreachable(e) => Some(e.clone()),
            _ => None,
        })
    }

    pub fn has_role(self, role: Role) -> bool {
        self.auth
            .with(|auth| matches!(auth, Auth::SignedIn(me) if me.roles.contains(&role)))
    }

    /// Whether the signed-in user has at least one of `roles`.
    pub fn has_any_role(self, roles: &[Role]) -> bool {
        self.auth.with(
            |auth| matches!(auth, Auth::SignedIn(me) if me.roles.iter().any(|r| roles.contains(r))),
        )
    }

    /// Asks the server who is signed in, once; later calls do nothing.
    pub fn ensure_checked(self) {
        if self.auth.with_untracked(|a| *a == Auth::Unknown) {
            self.recheck();
        }
    }

    /// Asks the server again (after "retry" on an unreachable server).
    pub fn recheck(self) {
        self.auth.set(Auth::Checking);
        spawn_local(async move {
            match api::me().await {
                Ok(me) => self.signed_in(me),
                Err(e) if e.is_unauthorized() => self.auth.set(Auth::SignedOut),
                Err(e) => self.auth.set(Auth::Unreachable(e)),
            }
        });
    }

    /// After a successful sign-in: the user's saved language applies.
    pub fn signed_in(self, me: Me) {
        if me.language != self.i18n.lang_untracked() {
            self.i18n.set(me.language);
        }
        self.auth.set(Auth::SignedIn(me));
    }

    pub fn signed_out(self) {
        self.auth.set(Auth::SignedOut);
    }

    /// A call answered 401 while signed in: send the user to sign in again.
    pub fn expire(self) {
        if self.auth.with_untracked(|a| matches!(a, Auth::SignedIn(_))) {
            self.auth.set(Auth::Expired);
        }
    }

    /// Switches the language here and, when signed in, saves it as the user's preference so it
    /// follows them to other devices. A failed save keeps the local switch.
    pub fn change_language(self, lang: Lang) {
        self.i18n.set(lang);
        if self.auth.with_untracked(|a| matches!(a, Auth::SignedIn(_))) {
            spawn_local(async move {
                match api::update_preferences(&PreferencesUpdate { language: lang }).await {
                    Ok(me) => self.auth.update(|auth| {
                        if let Auth::SignedIn(current) = auth {
                            *current = me;
                        }
                    }),
                    Err(e) if e.is_unauthorized() => self.expire(),
                    Err(_) => {}
                }
            });
        }
    }
}

pub fn provide_session(i18n: I18n) -> Session {
    let session = Session {
        auth: RwSignal::new(Auth::Unknown),
        i18n,
    };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
