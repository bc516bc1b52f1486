//! One module per screen.

pub mod audit;
pub mod board;
pub mod home;
pub mod login;
pub mod users;
