//! Operational endpoints: health, metrics, the OpenAPI document and its docs page.

pub mod handlers;
pub mod routes;
