//! Station reporting (报工): the operators' tablet. Several operators sign in on one station
//! session (cookie `mes_station`); the queue of the station's machine; scanning; the operation
//! actions (start setup or run, pause with a reason, resume, report good / scrap / rework,
//! complete) with their phases and labour time; idempotent writes for offline tablets.
//!
//! [`actions::check`] is the pure state machine; the rest needs the database.

pub mod actions;
pub mod handlers;
pub mod models;
pub mod queries;
pub mod routes;
pub mod service;
