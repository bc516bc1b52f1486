//! Labelled form fields with inline validation messages.

use leptos::{html, prelude::*};
use mes_api_types::{ErrorDetail, Lang};

use crate::{
    i18n::{self, Key, use_i18n},
    util,
};

/// A validation message: translated on the client, or the server's own (already translated).
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    Server(String),
    MaxLength(usize),
    PinLength(usize, usize),
}

impl Msg {
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Msg::Key(key) => i18n::text(lang, *key).to_owned(),
            Msg::Server(text) => text.clone(),
            Msg::MaxLength(n) => i18n::max_length(lang, *n),
            Msg::PinLength(min, max) => i18n::pin_length(lang, *min, *max),
        }
    }
}

/// Messages per field name (the API's field names, so server details land on the right input).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors(Vec<(String, Msg)>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, msg: Msg) {
        if self.get(field).is_none() {
            self.0.push((field.to_owned(), msg));
        }
    }

    pub fn get(&self, field: &str) -> Option<&Msg> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Puts server validation details on their fields; returns the ones that name no field the
    /// form shows, for the form's general alert.
    pub fn merge_server_details(
        &mut self,
        details: &[ErrorDetail],
        known_fields: &[&str],
    ) -> Vec<String> {
        let mut unplaced = Vec::new();
        for detail in details {
            match detail.field.as_deref() {
                Some(field) if known_fields.contains(&field) => {
                    self.add(field, Msg::Server(detail.message.clone()));
                }
                Some(field) => unplaced.push(format!("{field}: {}", detail.message)),
                None => unplaced.push(detail.message.clone()),
            }
        }
        unplaced
    }
}

/// The message for one field of a form's errors, reactive.
pub fn field_error(errors: RwSignal<FieldErrors>, field: &'static str) -> Signal<Option<Msg>> {
    Signal::derive(move || errors.with(|e| e.get(field).cloned()))
}

#[component]
pub fn TextField(
    label: Key,
    value: RwSignal<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional, into)] error: MaybeProp<Msg>,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional, into)] disabled: MaybeProp<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = util::next_id("field");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let input_ref = NodeRef::<html::Input>::new();
    if autofocus {
        Effect::new(move |_| {
            if let Some(input) = input_ref.get() {
                let _ = input.focus();
            }
        });
    }
    let has_error = move || error.with(|e| e.is_some());
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if has_error() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:invalid=has_error>
            <label for=id.clone()>
                {i18n.tr(label)}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <input
                node_ref=input_ref
                id=id
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                required=required
                disabled=move || disabled.get().unwrap_or(false)
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
                bind:value=value
            />
            {hint.map(|k| view! { <p class="field-hint" id=hint_id>{i18n.tr(k)}</p> })}
            <p class="field-error" id=error_id aria-live="polite">
                {move || error.get().map(|m| m.render(i18n.lang()))}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(field: Option<&str>, message: &str) -> ErrorDetail {
        ErrorDetail {
            field: field.map(str::to_owned),
            message: message.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn server_details_land_on_their_fields() {
        let mut errors = FieldErrors::default();
        errors.add("username", Msg::Key(Key::Required));
        let unplaced = errors.merge_server_details(
            &[
                detail(Some("username"), "taken"),
                detail(Some("pin"), "4 to 8 digits"),
                detail(Some("limit"), "too big"),
                detail(None, "general"),
            ],
            &["username", "pin"],
        );
        // The client's own message on a field stays; the server's goes on free fields.
        assert_eq!(errors.get("username"), Some(&Msg::Key(Key::Required)));
        assert_eq!(
            errors.get("pin"),
            Some(&Msg::Server("4 to 8 digits".into()))
        );
        assert_eq!(unplaced, ["limit: too big", "general"]);
    }
}
