//! `/audit` (admin): the append-only record of who changed what, with the values before and
//! after each change.

use std::collections::BTreeSet;

use leptos::{ev, prelude::*};
use mes_api_types::{
    Page,
    audit::{AuditAction, AuditEntry},
    auth::Role,
};
use serde_json::Value;

use crate::{
    api::{self, AuditQuery},
    components::{
        Loading,
        errors::error_list,
        form::{FieldErrors, Msg},
        icons::{Icon, IconView},
        pager::{CursorStack, Pager},
    },
    i18n::{self, Key, use_i18n},
    layouts::office::RequireRole,
    util,
};

const PAGE_SIZE: u32 = 50;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <RequireRole role=Role::Admin>
            <AuditTrail/>
        </RequireRole>
    }
}

/// The filter form's inputs; applied together with "search".
#[derive(Clone, Copy)]
struct FilterInputs {
    entity: RwSignal<String>,
    entity_id: RwSignal<String>,
    actor: RwSignal<String>,
    action: RwSignal<Option<AuditAction>>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

impl FilterInputs {
    fn new() -> Self {
        FilterInputs {
            entity: RwSignal::new(String::new()),
            entity_id: RwSignal::new(String::new()),
            actor: RwSignal::new(String::new()),
            action: RwSignal::new(None),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
        }
    }

    fn clear(self) {
        for s in [self.entity, self.entity_id, self.actor, self.from, self.to] {
            s.set(String::new());
        }
        self.action.set(None);
    }

    fn to_query(self) -> Result<AuditQuery, FieldErrors> {
        let mut errors = FieldErrors::default();
        let from = self.from.get_untracked();
        let to = self.to.get_untracked();
        let from_instant = if from.is_empty() {
            None
        } else {
            let instant = util::date_input_to_rfc3339(&from, false);
            if instant.is_none() {
                errors.add("from", Msg::Key(Key::InvalidDate));
            }
            instant
        };
        let to_instant = if to.is_empty() {
            None
        } else {
            let instant = util::date_input_to_rfc3339(&to, true);
            if instant.is_none() {
                errors.add("to", Msg::Key(Key::InvalidDate));
            }
            instant
        };
        // Dates as `YYYY-MM-DD` compare correctly as text.
        if !from.is_empty() && !to.is_empty() && from > to {
            errors.add("to", Msg::Key(Key::DateRangeReversed));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AuditQuery {
            entity: self.entity.get_untracked(),
            entity_id: self.entity_id.get_untracked(),
            actor: self.actor.get_untracked(),
            action: self.action.get_untracked(),
            from: from_instant,
            to: to_instant,
            limit: PAGE_SIZE,
            cursor: None,
        })
    }
}

#[component]
fn AuditTrail() -> impl IntoView {
    let i18n = use_i18n();
    let inputs = FilterInputs::new();
    let errors = RwSignal::new(FieldErrors::default());
    let applied = RwSignal::new(AuditQuery {
        limit: PAGE_SIZE,
        ..Default::default()
    });
    let cursors = CursorStack::new();
    let query = Memo::new(move |_| AuditQuery {
        cursor: cursors.current(),
        ..applied.get()
    });
    let entries = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_audit(&query).await }
    });
    let loaded = move || entries.get().and_then(Result::ok);
    let next_cursor = Signal::derive(move || loaded().and_then(|page| page.next_cursor));
    let total = Signal::derive(move || loaded().map(|page| page.total));

    let apply = move || match inputs.to_query() {
        Ok(query) => {
            errors.set(FieldErrors::default());
            cursors.reset();
            applied.set(query);
        }
        Err(e) => errors.set(e),
    };
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        apply();
    };
    let on_reset = move |_| {
        inputs.clear();
        apply();
    };
    let error_of = move |field: &'static str| {
        move || errors.with(|e| e.get(field).map(|m| m.render(i18n.lang())))
    };

    view! {
        <div class="page">
            <header class="page-header">
                <h1>{i18n.tr(Key::AuditTitle)}</h1>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| entries.refetch()
                >
                    <IconView icon=Icon::Refresh/>
                    {i18n.tr(Key::Refresh)}
                </button>
            </header>
            <form class="toolbar filters" role="search" on:submit=on_submit novalidate>
                <FilterText id="audit-entity" label=Key::EntityType value=inputs.entity placeholder=Key::EntityTypePlaceholder/>
                <FilterText id="audit-entity-id" label=Key::EntityId value=inputs.entity_id placeholder=Key::EntityIdPlaceholder/>
                <FilterText id="audit-actor" label=Key::Actor value=inputs.actor placeholder=Key::ActorPlaceholder/>
                <div class="field inline">
                    <label for="audit-action">{i18n.tr(Key::Action)}</label>
                    <select
                        id="audit-action"
                        on:change=move |ev| {
                            inputs.action.set(AuditAction::parse(&event_target_value(&ev)))
                        }
                    >
                        <option value="" selected=move || inputs.action.get().is_none()>
                            {i18n.tr(Key::AllActions)}
                        </option>
                        {[AuditAction::Create, AuditAction::Update, AuditAction::Delete]
                            .into_iter()
                            .map(|a| {
                                view! {
                                    <option
                                        value=a.as_str()
                                        selected=move || inputs.action.get() == Some(a)
                                    >
                                        {i18n.tr(i18n::action_key(a))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field inline" class:invalid=move || error_of("from")().is_some()>
                    <label for="audit-from">{i18n.tr(Key::DateFrom)}</label>
                    <input
                        id="audit-from"
                        type="date"
                        aria-describedby="audit-from-error"
                        prop:value=move || inputs.from.get()
                        on:change=move |ev| inputs.from.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="audit-from-error">{error_of("from")}</p>
                </div>
                <div class="field inline" class:invalid=move || error_of("to")().is_some()>
                    <label for="audit-to">{i18n.tr(Key::DateTo)}</label>
                    <input
                        id="audit-to"
                        type="date"
                        aria-describedby="audit-to-error"
                        prop:value=move || inputs.to.get()
                        on:change=move |ev| inputs.to.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="audit-to-error">{error_of("to")}</p>
                </div>
                <div class="toolbar-buttons">
                    <button type="submit" class="button primary">
                        <IconView icon=Icon::Search/>
                        {i18n.tr(Key::Search)}
                    </button>
                    <button type="button" class="button" on:click=on_reset>
                        {i18n.tr(Key::ClearFilters)}
                    </button>
                </div>
            </form>
            <Transition fallback=|| view! { <Loading/> }>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        entries.await.map(|page| view! { <AuditTable page=page/> })
                    })}
                </ErrorBoundary>
            </Transition>
            <Pager cursors=cursors next_cursor=next_cursor total=total/>
        </div>
    }
}

#[component]
fn FilterText(
    id: &'static str,
    label: Key,
    value: RwSignal<String>,
    placeholder: Key,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field inline">
            <label for=id>{i18n.tr(label)}</label>
            <input
                id=id
                type="text"
                autocomplete="off"
                placeholder=i18n.tr(placeholder)
                bind:value=value
            />
        </div>
    }
}

#[component]
fn AuditTable(page: Page<AuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! { <p class="empty">{i18n.tr(Key::NoAuditEntries)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table audit-table">
                <thead>
                    <tr>
                        <th scope="col" class="expander">
                            <span class="visually-hidden">{i18n.tr(Key::Changes)}</span>
                        </th>
                        <th scope="col">{i18n.tr(Key::Time)}</th>
                        <th scope="col">{i18n.tr(Key::Actor)}</th>
                        <th scope="col">{i18n.tr(Key::Action)}</th>
                        <th scope="col">{i18n.tr(Key::EntityType)}</th>
                        <th scope="col">{i18n.tr(Key::EntityId)}</th>
                        <th scope="col">{i18n.tr(Key::RemoteAddress)}</th>
                    </tr>
                </thead>
                {page.items.into_iter().map(|entry| view! { <AuditRow entry=entry/> }).collect_view()}
            </table>
        </div>
    }
    .into_any()
}

/// One entry, expandable to its field-by-field diff. Each entry is its own `<tbody>` so the
/// detail row stays with its summary row.
#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let expanded = RwSignal::new(false);
    let detail_id = format!("audit-detail-{}", entry.id);
    let action = entry.action;
    let actor = if entry.actor_id.is_none() && entry.actor_name.is_empty() {
        None
    } else {
        Some(entry.actor_name.clone())
    };
    let diff = StoredValue::new(diff_rows(entry.before.as_ref(), entry.after.as_ref()));
    let shown = match (&entry.before, &entry.after) {
        (Some(_), Some(_)) => Shown::BeforeAndAfter,
        (None, _) => Shown::After,
        (Some(_), None) => Shown::Before,
    };
    view! {
        <tbody class:open=move || expanded.get()>
            <tr>
                <td class="expander">
                    <button
                        type="button"
                        class="icon-button"
                        aria-expanded=move || expanded.get().to_string()
                        aria-controls=detail_id.clone()
                        aria-label=i18n.tr(Key::ShowChanges)
                        title=i18n.tr(Key::ShowChanges)
                        on:click=move |_| expanded.update(|e| *e = !*e)
                    >
                        <IconView icon=Icon::ChevronRight/>
                    </button>
                </td>
                <td class="nowrap">{util::format_datetime(&entry.at)}</td>
                <td>
                    {match actor {
                        Some(name) => name.into_any(),
                        None => view! { <em class="muted">{i18n.tr(Key::SystemActor)}</em> }.into_any(),
                    }}
                </td>
                <td>
                    <span
                        class="status-pill"
                        class:ok=action == AuditAction::Create
                        class:info=action == AuditAction::Update
                        class:danger=action == AuditAction::Delete
                    >
                        {i18n.tr(i18n::action_key(action))}
                    </span>
                </td>
                <td class="mono">{entry.entity.clone()}</td>
                <td class="mono">{entry.entity_id.clone()}</td>
                <td class="mono muted">{entry.remote_addr.clone().unwrap_or_else(|| "—".to_owned())}</td>
            </tr>
            <tr class="detail-row" id=detail_id hidden=move || !expanded.get()>
                <td></td>
                <td colspan="6">
                    <Show when=move || expanded.get()>
                        <DiffTable rows=diff.get_value() shown=shown/>
                    </Show>
                </td>
            </tr>
        </tbody>
    }
}

/// One field of a changed record: its value before and after (`None` = absent).
#[derive(Debug, Clone, PartialEq)]
struct DiffRow {
    field: String,
    before: Option<String>,
    after: Option<String>,
}

impl DiffRow {
    fn changed(&self) -> bool {
        self.before != self.after
    }
}

fn show_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Field-by-field comparison of two snapshots. Objects are compared per key: changed fields
/// first, then the rest, each group sorted by name; anything else is one `value` row.
fn diff_rows(before: Option<&Value>, after: Option<&Value>) -> Vec<DiffRow> {
    let as_object = |v: Option<&Value>| v.and_then(Value::as_object).cloned();
    let before_obj = as_object(before);
    let after_obj = as_object(after);
    let both_objects_or_absent =
        (before.is_none() || before_obj.is_some()) && (after.is_none() || after_obj.is_some());
    if both_objects_or_absent {
        let before_obj = before_obj.unwrap_or_default();
        let after_obj = after_obj.unwrap_or_default();
        let keys: BTreeSet<&String> = before_obj.keys().chain(after_obj.keys()).collect();
        let (mut changed, unchanged): (Vec<DiffRow>, Vec<DiffRow>) = keys
            .into_iter()
            .map(|key| DiffRow {
                field: key.clone(),
                before: before_obj.get(key).map(show_value),
                after: after_obj.get(key).map(show_value),
            })
            .partition(DiffRow::changed);
        changed.extend(unchanged);
        changed
    } else {
        vec![DiffRow {
            field: "value".to_owned(),
            before: before.map(show_value),
            after: after.map(show_value),
        }]
    }
}

/// Which snapshots an entry has: a create has only "after", a delete only "before".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    BeforeAndAfter,
    Before,
    After,
}

#[component]
fn DiffTable(rows: Vec<DiffRow>, shown: Shown) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="muted">{i18n.tr(Key::NoRecordedValues)}</p> }.into_any();
    }
    let cell = move |value: Option<String>| match value {
        Some(v) => view! { <code>{v}</code> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    };
    if shown != Shown::BeforeAndAfter {
        // A create or delete: one column of values, nothing to compare.
        return view! {
            <table class="diff-table">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(Key::Field)}</th>
                        <th scope="col">{i18n.tr(Key::Value)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let value = if shown == Shown::After { row.after } else { row.before };
                            view! {
                                <tr>
                                    <th scope="row" class="mono">{row.field}</th>
                                    <td>{cell(value)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any();
    }
    view! {
        <table class="diff-table">
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(Key::Field)}</th>
                    <th scope="col">{i18n.tr(Key::Before)}</th>
                    <th scope="col">{i18n.tr(Key::After)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let changed = row.changed();
                        view! {
                            <tr class:changed=changed>
                                <th scope="row" class="mono">
                                    {row.field}
                                    {changed
                                        .then(|| {
                                            view! {
                                                <span class="visually-hidden">
                                                    " (" {i18n.tr(Key::Changed)} ")"
                                                </span>
                                            }
                                        })}
                                </th>
                                <td>{cell(row.before)}</td>
                                <td>{cell(row.after)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn diff_lists_changed_fields_first() {
        let before = json!({"active": true, "roles": ["operator"], "username": "li", "zone": 1});
        let after = json!({"active": true, "roles": ["operator"], "username": "li", "zone": 2});
        let rows = diff_rows(Some(&before), Some(&after));
        let fields: Vec<_> = rows
            .iter()
            .map(|r| (r.field.as_str(), r.changed()))
            .collect();
        assert_eq!(
            fields,
            [
                ("zone", true),
                ("active", false),
                ("roles", false),
                ("username", false)
            ]
        );
    }

    #[test]
    fn diff_of_create_has_no_before() {
        let after = json!({"username": "wang"});
        let rows = diff_rows(None, Some(&after));
        assert_eq!(
            rows,
            [DiffRow {
                field: "username".into(),
                before: None,
                after: Some("wang".into())
            }]
        );
    }

    #[test]
    fn diff_of_non_objects_is_one_row() {
        let rows = diff_rows(Some(&json!(1)), Some(&json!(2)));
        assert_eq!(rows.len(), 1);
        assert!(rows[0].changed());
    }
}
