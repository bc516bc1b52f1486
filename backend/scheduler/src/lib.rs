//! Finite-capacity scheduling solver (placeholder docs, expanded below).

mod calendar;
mod dispatch;
mod inst;
mod model;
mod objective;
mod plan;
mod rng;
mod sol;
mod solver;
mod tabu;

pub use model::*;
pub use objective::{Cost, Objective, Stability};
pub use plan::{JobOutcome, Plan, PlannedOp};
pub use solver::{Progress, SolveOptions, SolveResult, SolveStats, solve};
pub mod bench;
pub mod plant;
mod replan;
pub use replan::{Event, Move, MoveReason, ReplanOptions, ReplanResult, replan};
