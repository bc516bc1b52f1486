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

/// Puts a failed save's validation details on the form's fields; the form's alert shows the
/// error when some detail names no field of the form, or when there are no details at all.
pub fn show_save_error(
    error: crate::api::FetchError,
    errors: RwSignal<FieldErrors>,
    alert: RwSignal<Option<crate::api::FetchError>>,
    fields: &[&str],
) {
    let mut placed = FieldErrors::default();
    let unplaced = placed.merge_server_details(error.details(), fields);
    let nothing_placed = placed.is_empty();
    errors.set(placed);
    alert.set((nothing_placed || !unplaced.is_empty()).then_some(error));
}

#[component]
pub fn CheckboxField(
    label: Key,
    value: RwSignal<bool>,
    #[prop(optional)] hint: Option<Key>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field checkbox-field">
            <label class="checkbox">
                <input
                    type="checkbox"
                    prop:checked=move || value.get()
                    on:change=move |ev| value.set(event_target_checked(&ev))
                />
                <span>{i18n.tr(label)}</span>
            </label>
            {hint.map(|k| view! { <p class="field-hint">{i18n.tr(k)}</p> })}
        </div>
    }
}

#[component]
pub fn TextAreaField(
    label: Key,
    value: RwSignal<String>,
    #[prop(default = 3)] rows: u32,
    #[prop(optional, into)] error: MaybeProp<Msg>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = util::next_id("textarea");
    view! {
        <div class="field wide" class:invalid=move || error.with(|e| e.is_some())>
            <label for=id.clone()>{i18n.tr(label)}</label>
            <textarea
                id=id
                rows=rows
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <p class="field-error" aria-live="polite">
                {move || error.get().map(|m| m.render(i18n.lang()))}
            </p>
        </div>
    }
}

/// Cancel and submit at the foot of a form.
#[component]
pub fn FormButtons(
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] on_cancel: Callback<()>,
    submit: Key,
) -> impl IntoView {
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

/// A decimal field's value: `None` when empty, `Err` when not a finite number.
pub fn parse_number(text: &str) -> Result<Option<f64>, Msg> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(Msg::Key(Key::NotANumber)),
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
