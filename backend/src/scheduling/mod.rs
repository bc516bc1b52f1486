//! Scheduling (排程): solver runs over the released work, versioned plans the planner compares
//! and publishes, dispatch lists per machine, pins, automatic replanning on shop-floor events,
//! and the views — Gantt (SVG), delivery forecast (交期) and load (负荷).
//!
//! [`model`] and [`gantt`] are pure (no database, no HTTP); the solver is `mes_scheduler`.

pub mod dispatch;
pub mod gantt;
pub mod handlers;
pub mod model;
pub mod models;
pub mod queries;
pub mod replan;
pub mod routes;
pub mod service;
pub mod views;

pub use dispatch::dispatch_sequence;
