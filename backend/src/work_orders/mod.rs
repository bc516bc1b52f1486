//! Work orders (工单): numbering, the lifecycle draft → released → in progress → completed →
//! closed (plus on hold and cancelled), release copying the routing and BOM into the order,
//! split, progress rolled up from the operations, and the order's timeline.
//!
//! [`lifecycle`], [`progress`] and [`cursor`] are pure (no database, no HTTP).

pub mod cursor;
pub mod handlers;
pub mod lifecycle;
pub mod models;
pub mod progress;
pub mod queries;
pub mod routes;
pub mod service;
