//! Reports over station data. The piece-rate and labour report (计件): per operator per day,
//! week or month, good quantity per operation × its rate, and hours from labour entries; as
//! JSON, CSV (UTF-8 with BOM, for Excel) or XLSX.

pub mod handlers;
pub mod routes;
pub mod service;
