//! The plant model: shift calendars, work centres, machines, stations, and the defect and
//! downtime reason lists. [`calendar`] turns a calendar into working time (pure, no database).

pub mod calendar;
pub mod handlers;
pub mod models;
pub mod queries;
pub mod routes;
pub mod service;
