//! Products and materials with their versioned BOMs and routings, the BOM explosion, and the
//! work-instruction files attached to routing operations.

pub mod handlers;
pub mod models;
pub mod queries;
pub mod routes;
pub mod service;
