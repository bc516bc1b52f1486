//! Shift calendars: weekly shifts with breaks, and exceptions (holidays, overtime, shutdowns).

use leptos::prelude::*;
use mes_api_types::master_data::{
    Calendar, CalendarException, CalendarExceptionKind, CalendarInput, Shift, TimeRange,
};

use crate::{
    api::{self, FetchError, ListQuery},
    components::{
        Loading,
        dialog::Modal,
        errors::{ErrorAlert, error_list},
        form::{
            FieldErrors, FormButtons, Msg, TextAreaField, TextField, field_error, show_save_error,
        },
        icons::{Icon, IconView},
        notice::use_notices,
        pager::CursorStack,
        pickers::SearchBox,
    },
    i18n::{self, Key, use_i18n},
    pages::{
        master_data::{EditButton, ListPager, PAGE_SIZE, can_edit_master_data},
        work_orders::qty,
    },
    util,
};

const WEEKDAYS: [(u8, Key); 7] = [
    (1, Key::Mon),
    (2, Key::Tue),
    (3, Key::Wed),
    (4, Key::Thu),
    (5, Key::Fri),
    (6, Key::Sat),
    (7, Key::Sun),
];

fn exception_key(kind: CalendarExceptionKind) -> Key {
    match kind {
        CalendarExceptionKind::Holiday => Key::Holiday,
        CalendarExceptionKind::Overtime => Key::Overtime,
        CalendarExceptionKind::Shutdown => Key::Shutdown,
    }
}

fn exception_kind(s: &str) -> CalendarExceptionKind {
    match s {
        "overtime" => CalendarExceptionKind::Overtime,
        "shutdown" => CalendarExceptionKind::Shutdown,
        _ => CalendarExceptionKind::Holiday,
    }
}

fn exception_str(kind: CalendarExceptionKind) -> &'static str {
    match kind {
        CalendarExceptionKind::Holiday => "holiday",
        CalendarExceptionKind::Overtime => "overtime",
        CalendarExceptionKind::Shutdown => "shutdown",
    }
}

/// Breaks typed as `12:00-12:30, 18:00-18:20`.
fn parse_breaks(text: &str) -> Option<Vec<TimeRange>> {
    text.split([',', '，', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (start, end) = p.split_once(['-', '–'])?;
            Some(TimeRange {
                start: start.trim().to_owned(),
                end: end.trim().to_owned(),
            })
        })
        .collect()
}

fn format_breaks(breaks: &[TimeRange]) -> String {
    breaks
        .iter()
        .map(|b| format!("{}-{}", b.start, b.end))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn CalendarsTab() -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = can_edit_master_data();
    let search = RwSignal::new(String::new());
    let cursors = CursorStack::new();
    let editing = RwSignal::new(None::<Option<Calendar>>);
    let list = LocalResource::new(move || {
        let query = ListQuery {
            q: search.get(),
            limit: PAGE_SIZE,
            cursor: cursors.current(),
        };
        async move { api::list_calendars(&query).await }
    });
    view! {
        <div class="toolbar">
            <SearchBox value=search placeholder=Key::CodeOrNameSearch on_change=move || cursors.reset()/>
            <div class="toolbar-buttons">
                <Show when=move || can_edit.get()>
                    <button type="button" class="button primary" on:click=move |_| editing.set(Some(None))>
                        <IconView icon=Icon::Plus/>
                        {i18n.tr(Key::NewCalendar)}
                    </button>
                </Show>
            </div>
        </div>
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=error_list>
                {move || Suspend::new(async move {
                    list.await.map(|page| {
                        if page.items.is_empty() {
                            return view! { <p class="empty">{i18n.tr(Key::NothingFound)}</p> }.into_any();
                        }
                        view! {
                            <div class="table-wrap">
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{i18n.tr(Key::Code)}</th>
                                            <th scope="col">{i18n.tr(Key::Name)}</th>
                                            <th scope="col">{i18n.tr(Key::Shifts)}</th>
                                            <th scope="col" class="num">{i18n.tr(Key::WeeklyHours)}</th>
                                            <th scope="col" class="num">{i18n.tr(Key::Exceptions)}</th>
                                            <th scope="col" class="actions"><span class="visually-hidden">{i18n.tr(Key::Actions)}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|c| {
                                            let code = c.code.clone();
                                            let row = c.clone();
                                            view! {
                                                <tr>
                                                    <td class="mono">{c.code}</td>
                                                    <td>{c.name}</td>
                                                    <td>
                                                        <span class="chips">
                                                            {c.shifts.into_iter().map(|s| view! {
                                                                <span class="chip">{format!("{} {}–{}", s.name, s.start, s.end)}</span>
                                                            }).collect_view()}
                                                        </span>
                                                    </td>
                                                    <td class="num">{qty((c.weekly_hours * 10.0).round() / 10.0)}</td>
                                                    <td class="num">{c.exceptions.len()}</td>
                                                    <td class="actions">
                                                        <Show when=move || can_edit.get()>
                                                            <EditButton label=code.clone() on_click={
                                                                let row = row.clone();
                                                                move || editing.set(Some(Some(row.clone())))
                                                            }/>
                                                        </Show>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
        <ListPager cursors=cursors page=list/>
        {move || editing.get().map(|existing| view! {
            <CalendarDialog
                existing=existing
                on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); list.refetch(); }
            />
        })}
    }
}

#[derive(Clone, Copy)]
struct ShiftRow {
    key: usize,
    name: RwSignal<String>,
    weekdays: RwSignal<Vec<u8>>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    breaks: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct ExceptionRow {
    key: usize,
    day: RwSignal<String>,
    kind: RwSignal<CalendarExceptionKind>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    note: RwSignal<String>,
}

fn key() -> usize {
    util::next_id("cal")
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_default()
}

fn shift_row(s: Option<&Shift>) -> ShiftRow {
    ShiftRow {
        key: key(),
        name: RwSignal::new(s.map(|s| s.name.clone()).unwrap_or_default()),
        weekdays: RwSignal::new(
            s.map(|s| s.weekdays.clone())
                .unwrap_or_else(|| vec![1, 2, 3, 4, 5]),
        ),
        start: RwSignal::new(s.map(|s| s.start.clone()).unwrap_or_else(|| "08:00".into())),
        end: RwSignal::new(s.map(|s| s.end.clone()).unwrap_or_else(|| "16:00".into())),
        breaks: RwSignal::new(s.map(|s| format_breaks(&s.breaks)).unwrap_or_default()),
    }
}

fn exception_row(e: Option<&CalendarException>) -> ExceptionRow {
    ExceptionRow {
        key: key(),
        day: RwSignal::new(e.map(|e| e.day.to_string()).unwrap_or_default()),
        kind: RwSignal::new(e.map(|e| e.kind).unwrap_or(CalendarExceptionKind::Holiday)),
        start: RwSignal::new(e.and_then(|e| e.start.clone()).unwrap_or_default()),
        end: RwSignal::new(e.and_then(|e| e.end.clone()).unwrap_or_default()),
        note: RwSignal::new(e.map(|e| e.note.clone()).unwrap_or_default()),
    }
}

/// The message of one field of a row, in the current language.
fn error_text(
    errors: RwSignal<FieldErrors>,
    lang: mes_api_types::Lang,
    field: String,
) -> Option<String> {
    errors.with(|e| e.get(&field).map(|m| m.render(lang)))
}

#[component]
fn CalendarDialog(
    existing: Option<Calendar>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let e = existing.as_ref();
    let id = e.map(|c| c.id);
    let code = RwSignal::new(e.map(|c| c.code.clone()).unwrap_or_default());
    let name = RwSignal::new(e.map(|c| c.name.clone()).unwrap_or_default());
    let description = RwSignal::new(e.map(|c| c.description.clone()).unwrap_or_default());
    let shifts: RwSignal<Vec<ShiftRow>> = RwSignal::new(match e {
        Some(c) => c.shifts.iter().map(|s| shift_row(Some(s))).collect(),
        None => vec![shift_row(None)],
    });
    let exceptions = RwSignal::new(
        e.map(|c| {
            c.exceptions
                .iter()
                .map(|x| exception_row(Some(x)))
                .collect()
        })
        .unwrap_or_default(),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let alert = RwSignal::new(None::<FetchError>);
    let save = Action::new_local(move |input: &CalendarInput| {
        let input = input.clone();
        async move { api::save_calendar(id, &input).await }
    });
    let known_fields = move || {
        let mut fields = vec![
            "code".to_owned(),
            "name".to_owned(),
            "description".to_owned(),
            "shifts".to_owned(),
            "exceptions".to_owned(),
        ];
        for i in 0..shifts.with_untracked(Vec::len) {
            for f in ["name", "weekdays", "start", "end", "breaks"] {
                fields.push(format!("shifts[{i}].{f}"));
            }
        }
        for i in 0..exceptions.with_untracked(Vec::len) {
            for f in ["day", "kind", "start", "end", "note"] {
                fields.push(format!("exceptions[{i}].{f}"));
            }
        }
        fields
    };
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            notices.success(i18n::saved_record(i18n.lang_untracked(), &saved.code));
            on_saved.run(());
        }
        Some(Err(error)) => {
            let fields = known_fields();
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            show_save_error(error, errors, alert, &fields);
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        for (field, value) in [("code", code), ("name", name)] {
            if value.with_untracked(|v| v.trim().is_empty()) {
                e.add(field, Msg::Key(Key::Required));
            }
        }
        let mut shift_list = Vec::new();
        for (i, s) in shifts.get_untracked().into_iter().enumerate() {
            if s.name.with_untracked(|n| n.trim().is_empty()) {
                e.add(&format!("shifts[{i}].name"), Msg::Key(Key::Required));
            }
            if s.weekdays.with_untracked(Vec::is_empty) {
                e.add(
                    &format!("shifts[{i}].weekdays"),
                    Msg::Key(Key::ChooseWeekdays),
                );
            }
            let breaks = parse_breaks(&s.breaks.get_untracked());
            if breaks.is_none() {
                e.add(&format!("shifts[{i}].breaks"), Msg::Key(Key::BreaksFormat));
            }
            let mut weekdays = s.weekdays.get_untracked();
            weekdays.sort_unstable();
            shift_list.push(Shift {
                name: s.name.get_untracked().trim().to_owned(),
                weekdays,
                start: s.start.get_untracked(),
                end: s.end.get_untracked(),
                breaks: breaks.unwrap_or_default(),
            });
        }
        let mut exception_list = Vec::new();
        for (i, x) in exceptions.get_untracked().into_iter().enumerate() {
            let day = x.day.get_untracked().parse::<chrono::NaiveDate>();
            let kind = x.kind.get_untracked();
            let optional = |v: RwSignal<String>| Some(v.get_untracked()).filter(|t| !t.is_empty());
            match day {
                Ok(day) => exception_list.push(CalendarException {
                    day,
                    kind,
                    start: optional(x.start),
                    end: optional(x.end),
                    note: x.note.get_untracked().trim().to_owned(),
                }),
                Err(_) => e.add(&format!("exceptions[{i}].day"), Msg::Key(Key::Required)),
            }
        }
        errors.set(e.clone());
        alert.set(None);
        if e.is_empty() {
            save.dispatch_local(CalendarInput {
                code: code.get_untracked().trim().to_owned(),
                name: name.get_untracked().trim().to_owned(),
                description: description.get_untracked().trim().to_owned(),
                shifts: shift_list,
                exceptions: exception_list,
            });
        }
    };
    let title = Signal::derive(move || {
        i18n.t(if id.is_some() {
            Key::EditCalendar
        } else {
            Key::NewCalendar
        })
        .to_owned()
    });
    view! {
        <Modal title=title on_close=on_close>
            <form class="form editor" on:submit=on_submit novalidate>
                <ErrorAlert error=alert/>
                <div class="form-grid">
                    <TextField label=Key::Code value=code required=true autofocus=true maxlength=32 error=field_error(errors, "code")/>
                    <TextField label=Key::Name value=name required=true maxlength=100 error=field_error(errors, "name")/>
                </div>
                <TextAreaField label=Key::Description value=description rows=2/>
                <fieldset class="fieldset">
                    <legend>{i18n.tr(Key::Shifts)}</legend>
                    <For each=move || shifts.get() key=|s| s.key let:s>
                        {
                            let index = move || shifts.with(|v| v.iter().position(|x| x.key == s.key).unwrap_or(0));
                            view! {
                                <div class="shift-row">
                                    <label class="mini">{i18n.tr(Key::ShiftName)}
                                        <input type="text" prop:value=move || s.name.get() on:input=move |ev| s.name.set(event_target_value(&ev))/>
                                        <span class="field-error">{move || error_text(errors, i18n.lang(), format!("shifts[{}].name", index()))}</span>
                                    </label>
                                    <div class="weekdays" role="group" aria-label=i18n.tr(Key::Weekdays)>
                                        {WEEKDAYS.into_iter().map(|(d, k)| view! {
                                            <label class="day-toggle">
                                                <input type="checkbox" prop:checked=move || s.weekdays.with(|w| w.contains(&d)) on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    s.weekdays.update(|w| { w.retain(|x| *x != d); if on { w.push(d); } });
                                                }/>
                                                <span>{i18n.tr(k)}</span>
                                            </label>
                                        }).collect_view()}
                                        <span class="field-error">{move || error_text(errors, i18n.lang(), format!("shifts[{}].weekdays", index()))}</span>
                                    </div>
                                    <label class="mini">{i18n.tr(Key::ShiftStart)}
                                        <input type="time" prop:value=move || s.start.get() on:change=move |ev| s.start.set(event_target_value(&ev))/>
                                        <span class="field-error">{move || error_text(errors, i18n.lang(), format!("shifts[{}].start", index()))}</span>
                                    </label>
                                    <label class="mini">{i18n.tr(Key::ShiftEnd)}
                                        <input type="time" prop:value=move || s.end.get() on:change=move |ev| s.end.set(event_target_value(&ev))/>
                                        <span class="field-error">{move || error_text(errors, i18n.lang(), format!("shifts[{}].end", index()))}</span>
                                    </label>
                                    <label class="mini grow">{i18n.tr(Key::Breaks)}
                                        <input type="text" placeholder="12:00-12:30" prop:value=move || s.breaks.get() on:input=move |ev| s.breaks.set(event_target_value(&ev))/>
                                        <span class="field-error">{move || error_text(errors, i18n.lang(), format!("shifts[{}].breaks", index()))}</span>
                                    </label>
                                    <button type="button" class="icon-button" aria-label=i18n.tr(Key::Remove) title=i18n.tr(Key::Remove) on:click=move |_| shifts.update(|v| v.retain(|x| x.key != s.key))>
                                        <IconView icon=Icon::Trash/>
                                    </button>
                                </div>
                            }
                        }
                    </For>
                    <button type="button" class="button small" on:click=move |_| shifts.update(|v| v.push(shift_row(None)))>
                        <IconView icon=Icon::Plus/>{i18n.tr(Key::AddShift)}
                    </button>
                </fieldset>
                <fieldset class="fieldset">
                    <legend>{i18n.tr(Key::Exceptions)}</legend>
                    <For each=move || exceptions.get() key=|x| x.key let:x>
                        {
                            let index = move || exceptions.with(|v| v.iter().position(|y| y.key == x.key).unwrap_or(0));
                            view! {
                                <div class="shift-row">
                                    <label class="mini">{i18n.tr(Key::Day)}
                                        <input type="date" prop:value=move || x.day.get() on:change=move |ev| x.day.set(event_target_value(&ev))/>
                                        <span class="field-error">{move || error_text(errors, i18n.lang(), format!("exceptions[{}].day", index()))}</span>
                                    </label>
                                    <label class="mini">{i18n.tr(Key::ExceptionKind)}
                                        <select on:change=move |ev| x.kind.set(exception_kind(&event_target_value(&ev)))>
                                            {[CalendarExceptionKind::Holiday, CalendarExceptionKind::Overtime, CalendarExceptionKind::Shutdown].into_iter().map(|k| view! {
                                                <option value=exception_str(k) selected=move || x.kind.get() == k>{i18n.tr(exception_key(k))}</option>
                                            }).collect_view()}
                                        </select>
                                    </label>
                                    <Show when=move || x.kind.get() != CalendarExceptionKind::Holiday>
                                        <label class="mini">{i18n.tr(Key::ShiftStart)}
                                            <input type="time" prop:value=move || x.start.get() on:change=move |ev| x.start.set(event_target_value(&ev))/>
                                            <span class="field-error">{move || error_text(errors, i18n.lang(), format!("exceptions[{}].start", index()))}</span>
                                        </label>
                                        <label class="mini">{i18n.tr(Key::ShiftEnd)}
                                            <input type="time" prop:value=move || x.end.get() on:change=move |ev| x.end.set(event_target_value(&ev))/>
                                            <span class="field-error">{move || error_text(errors, i18n.lang(), format!("exceptions[{}].end", index()))}</span>
                                        </label>
                                    </Show>
                                    <label class="mini grow">{i18n.tr(Key::Notes)}
                                        <input type="text" prop:value=move || x.note.get() on:input=move |ev| x.note.set(event_target_value(&ev))/>
                                    </label>
                                    <button type="button" class="icon-button" aria-label=i18n.tr(Key::Remove) title=i18n.tr(Key::Remove) on:click=move |_| exceptions.update(|v| v.retain(|y| y.key != x.key))>
                                        <IconView icon=Icon::Trash/>
                                    </button>
                                </div>
                            }
                        }
                    </For>
                    <button type="button" class="button small" on:click=move |_| exceptions.update(|v| v.push(exception_row(None)))>
                        <IconView icon=Icon::Plus/>{i18n.tr(Key::AddException)}
                    </button>
                </fieldset>
                <FormButtons pending=save.pending() on_cancel=on_close submit=Key::Save/>
            </form>
        </Modal>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_are_read_in_either_punctuation() {
        let breaks = parse_breaks("12:00-12:30， 18:00–18:20").unwrap();
        assert_eq!(format_breaks(&breaks), "12:00-12:30, 18:00-18:20");
        assert_eq!(parse_breaks("").unwrap(), []);
        assert!(parse_breaks("noon").is_none());
    }
}
