//! Getting data in and out: import of ERP exports (CSV or XLSX, all or nothing, as background
//! jobs), export of every list (CSV or XLSX), and print pages (work-order travelers, QR labels).

pub mod columns;
pub mod export;
pub mod handlers;
pub mod import;
pub mod jobs;
pub mod print;
pub mod routes;
pub mod service;
pub mod table;
