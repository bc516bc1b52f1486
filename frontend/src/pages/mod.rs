//! One module per screen.

pub mod audit;
pub mod board;
pub mod home;
pub mod login;
pub mod master_data;
pub mod reporting;
pub mod scheduling;
pub mod users;
pub mod work_order_detail;
pub mod work_orders;
