//! Andon (安灯): one tap at a station calls maintenance, quality, material or a supervisor. A call
//! is open → acknowledged → resolved; response and resolution times are kept. Boards and the
//! office follow calls live through the shop-floor event stream (`GET /api/v1/events`).

pub mod handlers;
pub mod routes;
pub mod service;
