//! The one integration-test binary: API tests run on SQLite and PostgreSQL (each test on a fresh
//! database), CLI tests run the real `mes` binary, and the browser test drives Chromium.

mod access;
mod audit;
mod auth;
mod cli;
mod e2e;
mod errors;
mod migrations;
mod plant;
mod products;
mod scheduling;
mod scheduling_bench;
mod station;
mod system;
mod transfer;
mod users;
mod work_orders;
