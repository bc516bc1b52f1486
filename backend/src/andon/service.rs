//! Andon call rules: where a call is raised, who answers it, and the open → acknowledged →
//! resolved sequence.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use mes_api_types::{
    AndonCallId, MachineId, StationId,
    events::ShopEvent,
    station::{AndonCall, AndonKind, AndonQuery, AndonStatus, AndonUpdate, NewAndonCall},
};
use serde_json::json;

use crate::{
    audit,
    db::{
        DbConnection,
        schema::{andon_calls, machines, stations, users},
        write_transaction,
    },
    error::{AppError, AppResult, Detail},
    http::idempotency::Effect,
    station::{queries as station_queries, service::Acting},
    text,
};

const NOTE_MAX: usize = 500;
const LIST_MAX: i64 = 500;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = andon_calls)]
struct CallRow {
    id: i64,
    machine_id: Option<i64>,
    station_id: Option<i64>,
    kind: String,
    status: String,
    note: String,
    raised_by: Option<i64>,
    raised_at: NaiveDateTime,
    acknowledged_by: Option<i64>,
    acknowledged_at: Option<NaiveDateTime>,
    resolved_by: Option<i64>,
    resolved_at: Option<NaiveDateTime>,
    resolution_note: String,
}

fn not_found(id: i64) -> AppError {
    AppError::NotFound(text!(
        "安灯呼叫 {id} 不存在",
        "Andon call {id} does not exist"
    ))
}

fn note_of(note: Option<&str>) -> AppResult<String> {
    let note = note.map(str::trim).unwrap_or_default().to_owned();
    if note.chars().count() > NOTE_MAX {
        return Err(AppError::invalid(
            "note",
            text!(
                "备注不能超过 {NOTE_MAX} 个字符",
                "The note is at most {NOTE_MAX} characters"
            ),
        ));
    }
    Ok(note)
}

fn seconds(from: NaiveDateTime, to: Option<NaiveDateTime>) -> Option<i64> {
    to.map(|t| (t - from).num_seconds().max(0))
}

fn to_api(conn: &mut DbConnection, rows: Vec<CallRow>) -> AppResult<Vec<AndonCall>> {
    let machine_ids: Vec<i64> = rows.iter().filter_map(|r| r.machine_id).collect();
    let station_ids: Vec<i64> = rows.iter().filter_map(|r| r.station_id).collect();
    let user_ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.raised_by, r.acknowledged_by, r.resolved_by])
        .flatten()
        .collect();
    let machine_codes: HashMap<i64, String> = machines::table
        .filter(machines::id.eq_any(&machine_ids))
        .select((machines::id, machines::code))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let station_codes: HashMap<i64, String> = stations::table
        .filter(stations::id.eq_any(&station_ids))
        .select((stations::id, stations::code))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let names: HashMap<i64, String> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let name = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned());
    Ok(rows
        .into_iter()
        .map(|r| AndonCall {
            id: AndonCallId(r.id),
            kind: AndonKind::parse(&r.kind).unwrap_or(AndonKind::Supervisor),
            status: AndonStatus::parse(&r.status).unwrap_or(AndonStatus::Open),
            machine_id: r.machine_id.map(MachineId),
            machine_code: r.machine_id.and_then(|m| machine_codes.get(&m).cloned()),
            station_id: r.station_id.map(StationId),
            station_code: r.station_id.and_then(|s| station_codes.get(&s).cloned()),
            note: r.note,
            raised_by: name(r.raised_by),
            raised_at: r.raised_at.and_utc(),
            acknowledged_by: name(r.acknowledged_by),
            acknowledged_at: r.acknowledged_at.map(|t| t.and_utc()),
            resolved_by: name(r.resolved_by),
            resolved_at: r.resolved_at.map(|t| t.and_utc()),
            resolution_note: r.resolution_note,
            response_seconds: seconds(r.raised_at, r.acknowledged_at),
            resolution_seconds: seconds(r.raised_at, r.resolved_at),
        })
        .collect())
}

fn load(conn: &mut DbConnection, id: i64) -> AppResult<CallRow> {
    andon_calls::table
        .find(id)
        .select(CallRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| not_found(id))
}

fn one(conn: &mut DbConnection, id: i64) -> AppResult<AndonCall> {
    let row = load(conn, id)?;
    Ok(to_api(conn, vec![row])?.remove(0))
}

/// Calls, newest first; open and acknowledged ones first when no status is asked for.
pub fn list(conn: &mut DbConnection, query: &AndonQuery) -> AppResult<Vec<AndonCall>> {
    let mut q = andon_calls::table.into_boxed();
    if let Some(status) = query.status {
        q = q.filter(andon_calls::status.eq(status.as_str()));
    }
    if let Some(machine) = query.machine_id {
        q = q.filter(andon_calls::machine_id.eq(machine.0));
    }
    let rows = q
        .order((andon_calls::raised_at.desc(), andon_calls::id.desc()))
        .limit(LIST_MAX)
        .select(CallRow::as_select())
        .load(conn)?;
    to_api(conn, rows)
}

fn event(row: &CallRow) -> ShopEvent {
    ShopEvent::Andon {
        call_id: row.id,
        status: row.status.clone(),
        kind: row.kind.clone(),
        machine_id: row.machine_id.map(MachineId),
        at: row
            .resolved_at
            .or(row.acknowledged_at)
            .unwrap_or(row.raised_at)
            .and_utc(),
    }
}

/// Raises a call at a machine, or at a station (on its machine when it has one). Without
/// either, a tablet's own station is meant.
pub fn raise(
    conn: &mut DbConnection,
    acting: &Acting,
    request: &NewAndonCall,
) -> AppResult<Effect<AndonCall>> {
    let note = note_of(request.note.as_deref())?;
    write_transaction(conn, |conn| {
        let mut errors = Vec::new();
        let station = match request
            .station
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(code) => match station_queries::station_by_code(conn, code)? {
                Some(s) => Some(s),
                None => {
                    errors.push(Detail::field(
                        "station",
                        text!("工位 {code} 不存在", "Station {code} does not exist"),
                    ));
                    None
                }
            },
            None => match acting.station_id {
                Some(id) => station_queries::station(conn, id)?,
                None => None,
            },
        };
        let machine_id = match request.machine_id {
            Some(m) => {
                if station_queries::machine(conn, m.0)?.is_none() {
                    errors.push(Detail::field(
                        "machine_id",
                        text!("设备 {m} 不存在", "Machine {m} does not exist"),
                    ));
                }
                Some(m.0)
            }
            None => station.as_ref().and_then(|s| s.machine_id),
        };
        if errors.is_empty() && machine_id.is_none() && station.is_none() {
            errors.push(Detail::field(
                "machine_id",
                text!(
                    "请指明设备或工位",
                    "Name the machine or the station the call is for"
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let at = crate::db::now();
        let id: i64 = diesel::insert_into(andon_calls::table)
            .values((
                andon_calls::machine_id.eq(machine_id),
                andon_calls::station_id.eq(station.as_ref().map(|s| s.id)),
                andon_calls::kind.eq(request.kind.as_str()),
                andon_calls::status.eq(AndonStatus::Open.as_str()),
                andon_calls::note.eq(&note),
                andon_calls::raised_by.eq(acting.actor.user_id),
                andon_calls::raised_at.eq(at),
            ))
            .returning(andon_calls::id)
            .get_result(conn)?;
        let row = load(conn, id)?;
        audit::created(conn, &acting.actor, "andon_call", id, &row)?;
        let events = vec![event(&row)];
        Ok(Effect {
            status: actix_web::http::StatusCode::CREATED,
            body: one(conn, id)?,
            events,
        })
    })
}

/// open → acknowledged (someone is on the way).
pub fn acknowledge(
    conn: &mut DbConnection,
    acting: &Acting,
    id: i64,
    request: &AndonUpdate,
) -> AppResult<Effect<AndonCall>> {
    transition(conn, acting, id, AndonStatus::Acknowledged, request)
}

/// open or acknowledged → resolved. Resolving an open call acknowledges it at the same time.
pub fn resolve(
    conn: &mut DbConnection,
    acting: &Acting,
    id: i64,
    request: &AndonUpdate,
) -> AppResult<Effect<AndonCall>> {
    transition(conn, acting, id, AndonStatus::Resolved, request)
}

fn transition(
    conn: &mut DbConnection,
    acting: &Acting,
    id: i64,
    to: AndonStatus,
    request: &AndonUpdate,
) -> AppResult<Effect<AndonCall>> {
    let note = note_of(request.note.as_deref())?;
    write_transaction(conn, |conn| {
        let before = load(conn, id)?;
        let from = AndonStatus::parse(&before.status).unwrap_or(AndonStatus::Open);
        let at = crate::db::now();
        let user = acting.actor.user_id;
        match (from, to) {
            (AndonStatus::Open, AndonStatus::Acknowledged) => {
                diesel::update(andon_calls::table.find(id))
                    .set((
                        andon_calls::status.eq(to.as_str()),
                        andon_calls::acknowledged_by.eq(user),
                        andon_calls::acknowledged_at.eq(at),
                    ))
                    .execute(conn)?;
            }
            (AndonStatus::Open | AndonStatus::Acknowledged, AndonStatus::Resolved) => {
                diesel::update(andon_calls::table.find(id))
                    .set((
                        andon_calls::status.eq(to.as_str()),
                        andon_calls::acknowledged_by.eq(before.acknowledged_by.or(user)),
                        andon_calls::acknowledged_at.eq(before.acknowledged_at.unwrap_or(at)),
                        andon_calls::resolved_by.eq(user),
                        andon_calls::resolved_at.eq(at),
                        andon_calls::resolution_note.eq(&note),
                    ))
                    .execute(conn)?;
            }
            (AndonStatus::Resolved, _) => {
                return Err(AppError::Conflict(text!(
                    "该安灯呼叫已解决",
                    "The andon call is resolved already"
                )));
            }
            _ => {
                return Err(AppError::Conflict(text!(
                    "该安灯呼叫已确认",
                    "The andon call is acknowledged already"
                )));
            }
        }
        let after = load(conn, id)?;
        audit::updated(
            conn,
            &acting.actor,
            "andon_call",
            id,
            &json!({"status": before.status}),
            &after,
        )?;
        let events = vec![event(&after)];
        Ok(Effect::ok(one(conn, id)?, events))
    })
}
