use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use mes_api_types::{
    CalendarId, MachineId, ReasonId, StationId, WorkCenterId,
    master_data::{
        CalendarException, CalendarExceptionKind, Machine, MachineStatus, Reason, Station,
        WorkCenter,
    },
};

use super::calendar::{ExceptionModel, MinuteRange, format_minute};
use crate::db::schema::{
    calendar_breaks, calendar_exceptions, calendar_shifts, calendars, defect_reasons,
    downtime_reasons, machines, stations, work_centers,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendars)]
pub struct CalendarRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = calendars)]
pub struct NewCalendarRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendar_shifts)]
pub struct ShiftRow {
    pub id: i64,
    pub calendar_id: i64,
    pub name: String,
    pub weekdays: i16,
    pub start_minute: i32,
    pub end_minute: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = calendar_shifts)]
pub struct NewShiftRow {
    pub calendar_id: i64,
    pub name: String,
    pub weekdays: i16,
    pub start_minute: i32,
    pub end_minute: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendar_breaks)]
pub struct BreakRow {
    pub id: i64,
    pub shift_id: i64,
    pub start_minute: i32,
    pub end_minute: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendar_exceptions)]
pub struct ExceptionRow {
    pub id: i64,
    pub calendar_id: i64,
    pub day: NaiveDate,
    pub kind: String,
    pub start_minute: Option<i32>,
    pub end_minute: Option<i32>,
    pub note: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = calendar_exceptions)]
pub struct NewExceptionRow {
    pub calendar_id: i64,
    pub day: NaiveDate,
    pub kind: String,
    pub start_minute: Option<i32>,
    pub end_minute: Option<i32>,
    pub note: String,
}

pub fn exception_kind_str(kind: CalendarExceptionKind) -> &'static str {
    match kind {
        CalendarExceptionKind::Holiday => "holiday",
        CalendarExceptionKind::Overtime => "overtime",
        CalendarExceptionKind::Shutdown => "shutdown",
    }
}

fn exception_kind_parse(s: &str) -> CalendarExceptionKind {
    match s {
        "overtime" => CalendarExceptionKind::Overtime,
        "shutdown" => CalendarExceptionKind::Shutdown,
        _ => CalendarExceptionKind::Holiday,
    }
}

impl ExceptionRow {
    pub fn range(&self) -> Option<MinuteRange> {
        match (self.start_minute, self.end_minute) {
            (Some(s), Some(e)) => Some(MinuteRange::new(s, e)),
            _ => None,
        }
    }

    pub fn to_model(&self) -> ExceptionModel {
        ExceptionModel {
            day: self.day,
            kind: exception_kind_parse(&self.kind),
            range: self.range(),
        }
    }

    pub fn to_api(&self) -> CalendarException {
        let range = self.range();
        CalendarException {
            day: self.day,
            kind: exception_kind_parse(&self.kind),
            start: range.map(|r| format_minute(r.start, false)),
            end: range.map(|r| format_minute(r.end, true)),
            note: self.note.clone(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = work_centers)]
pub struct WorkCenterRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub calendar_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = work_centers, treat_none_as_null = true)]
pub struct WorkCenterValues {
    pub code: String,
    pub name: String,
    pub description: String,
    pub calendar_id: Option<i64>,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

impl WorkCenterRow {
    pub fn to_api(&self, calendar_code: Option<String>, machine_count: i64) -> WorkCenter {
        WorkCenter {
            id: WorkCenterId(self.id),
            code: self.code.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            calendar_id: self.calendar_id.map(CalendarId),
            calendar_code,
            active: self.active,
            machine_count,
            updated_at: self.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = machines)]
pub struct MachineRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub work_center_id: i64,
    pub kind: String,
    pub status: String,
    pub calendar_id: Option<i64>,
    pub description: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a create or a `PUT` writes; `status` is not among it (the shop floor drives it).
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = machines, treat_none_as_null = true)]
pub struct MachineValues {
    pub code: String,
    pub name: String,
    pub work_center_id: i64,
    pub kind: String,
    pub calendar_id: Option<i64>,
    pub description: String,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

impl MachineRow {
    pub fn to_api(&self, work_center_code: String, calendar_code: Option<String>) -> Machine {
        Machine {
            id: MachineId(self.id),
            code: self.code.clone(),
            name: self.name.clone(),
            work_center_id: WorkCenterId(self.work_center_id),
            work_center_code,
            kind: self.kind.clone(),
            status: MachineStatus::parse(&self.status).unwrap_or(MachineStatus::Offline),
            calendar_id: self.calendar_id.map(CalendarId),
            calendar_code,
            description: self.description.clone(),
            active: self.active,
            updated_at: self.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = stations)]
pub struct StationRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub machine_id: Option<i64>,
    pub work_center_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = stations, treat_none_as_null = true)]
pub struct StationValues {
    pub code: String,
    pub name: String,
    pub machine_id: Option<i64>,
    pub work_center_id: Option<i64>,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

impl StationRow {
    pub fn to_api(
        &self,
        machine_code: Option<String>,
        work_center_code: Option<String>,
    ) -> Station {
        Station {
            id: StationId(self.id),
            code: self.code.clone(),
            name: self.name.clone(),
            machine_id: self.machine_id.map(MachineId),
            machine_code,
            work_center_id: self.work_center_id.map(WorkCenterId),
            work_center_code,
            active: self.active,
            updated_at: self.updated_at.and_utc(),
        }
    }
}

/// A row of either reason list; `planned` is always false for defect reasons.
#[derive(Debug, Clone)]
pub struct ReasonRow {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub planned: bool,
    pub active: bool,
    pub position: i32,
}

impl ReasonRow {
    pub fn to_api(&self) -> Reason {
        Reason {
            id: ReasonId(self.id),
            code: self.code.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            planned: self.planned,
            active: self.active,
            position: self.position,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = defect_reasons)]
pub struct DefectReasonRow {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
    pub position: i32,
}

impl From<DefectReasonRow> for ReasonRow {
    fn from(r: DefectReasonRow) -> ReasonRow {
        ReasonRow {
            id: r.id,
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            planned: false,
            active: r.active,
            position: r.position,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = downtime_reasons)]
pub struct DowntimeReasonRow {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub planned: bool,
    pub active: bool,
    pub position: i32,
}

impl From<DowntimeReasonRow> for ReasonRow {
    fn from(r: DowntimeReasonRow) -> ReasonRow {
        ReasonRow {
            id: r.id,
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            planned: r.planned,
            active: r.active,
            position: r.position,
        }
    }
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = defect_reasons)]
pub struct DefectReasonValues {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
    pub position: i32,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = downtime_reasons)]
pub struct DowntimeReasonValues {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub planned: bool,
    pub active: bool,
    pub position: i32,
}
