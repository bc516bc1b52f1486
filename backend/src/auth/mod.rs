//! Sign-in (password, or badge + PIN at a station), sessions, and the caller's own profile.

pub mod handlers;
pub mod password;
pub mod ratelimit;
pub mod routes;
pub mod service;
pub mod session;
