//! User accounts and their roles, managed by admins.

pub mod handlers;
pub mod models;
pub mod queries;
pub mod routes;
pub mod service;
