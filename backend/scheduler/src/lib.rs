//! Finite-capacity scheduling solver for the MES: pure Rust, no database, no HTTP, no async.
//!
//! # Using it
//!
//! 1. **Build a [`Problem`]**: one [`Machine`] per machine (its [`Calendar`] of shifts and its
//!    `blocked` maintenance/downtime intervals), one [`Job`] per released work order with its
//!    routing as [`Operation`]s in order. Each operation lists its eligible machines
//!    ([`Alternative`]: machine index, processing time, setup time), a `min_lag` (transfer or
//!    queue time after the previous operation), optional `after_jobs`, and `frozen` for
//!    operations that started or that the planner pinned. Jobs carry `release` (material
//!    available), `due`, `weight` (priority) and `predecessors` (component orders an assembly
//!    order waits for). Times are plain `i64` in a unit of your choice (e.g. minutes since the
//!    plan origin); intervals are half-open.
//! 2. **Call [`solve`]** with [`SolveOptions`]: objective (default: total weighted tardiness,
//!    then makespan), time limit and/or iteration limit, seed, threads, an optional
//!    [`Progress`] to poll (or a callback) and a cancel flag. A dispatch-rule plan exists within
//!    milliseconds; tabu search improves it until the limit. With an iteration limit and no
//!    time limit the result is deterministic for a seed.
//! 3. **Read the [`Plan`]**: `plan.ops[job][op]` gives machine, start (setup start), setup end
//!    and end; `plan.jobs` gives completion, tardiness and, for late orders, the bottleneck
//!    machine per order (delivery forecast); [`Plan::machine_sequences`] gives the dispatch
//!    list per machine; [`Machine::working_time`] gives available hours for load views.
//! 4. **Replan** with [`replan`]`(problem, &previous_plan, now, &events, &options)` when the
//!    shop floor reports an [`Event`] (machine down/up, rush order, actual operation times,
//!    scrap to remake, extra work). Started operations stay fixed, nothing new starts before
//!    `now`, moves inside the frozen horizon are penalised (those after it lightly), and
//!    [`ReplanResult::moves`] lists what moved and which event caused it. `ReplanResult::problem` (events applied, started
//!    operations frozen) is the base for the next replan.
//!
//! ```
//! use mes_scheduler::*;
//! use std::time::Duration;
//!
//! let shifts = [Interval::new(6 * 60, 14 * 60), Interval::new(14 * 60, 22 * 60)];
//! let calendar = Calendar::weekly(0, 24 * 60, 5, &shifts); // Mon-Fri, two shifts, minutes
//! let machines = vec![
//!     Machine::new(101).with_calendar(calendar.clone()),
//!     Machine::new(102).with_calendar(calendar),
//! ];
//! let mut order = Job::new(
//!     7, // work order id
//!     vec![
//!         // turning on either machine (the second one is slower), then deburring
//!         Operation::with_alternatives(vec![
//!             Alternative { machine: 0, processing: 90, setup: 20 },
//!             Alternative { machine: 1, processing: 120, setup: 10 },
//!         ]),
//!         Operation { min_lag: 30, ..Operation::on(1, 45) },
//!     ],
//! );
//! order.due = Some(2 * 24 * 60);
//! let problem = Problem { machines, jobs: vec![order] };
//!
//! let options = SolveOptions { time_limit: Some(Duration::from_millis(50)), ..Default::default() };
//! let plan = solve(&problem, &options).unwrap().plan;
//! assert!(plan.ops[0][0].start >= 6 * 60); // nothing before the first shift
//! assert_eq!(plan.late_jobs, 0);
//!
//! // Machine 1 breaks down at 07:00 for four hours.
//! let events = [Event::MachineDown { machine: 1, from: 7 * 60, until: 11 * 60 }];
//! let repaired = replan(&problem, &plan, 7 * 60, &events, &ReplanOptions::default()).unwrap();
//! for m in &repaired.moves {
//!     println!("{:?} {:?} -> {:?} because {:?}", m.op, m.from, m.to, m.reason);
//! }
//! ```
//!
//! # Semantics worth knowing
//! - Work is resumable across non-working time (breaks, nights, blocked intervals): an
//!   operation's end is its start plus its duration counted in working time. Setup counts as
//!   work on the machine. Transfer lags run in calendar time.
//! - Frozen operations are fixed facts: others never overlap them nor span across them.
//! - Zero-duration operations are instants and occupy no machine time.
//! - Calendars given as explicit intervals are open-ended after the last interval (the machine
//!   counts as available there): give intervals covering the horizon, or use
//!   [`Calendar::Periodic`].
//!
//! # Algorithms
//! Dispatch rules (MWKR, ATC, slack; Giffler–Thompson style) for the first plan;
//! tabu search on critical paths with N7 block moves ranked by head/tail estimates
//! (Nowicki–Smutnicki, Balas–Vazacopoulos, Zhang et al.) and machine reassignment
//! (Mastrolilli–Gambardella) for flexible operations; exact incremental re-timing for weighted
//! tardiness and stability; elite restarts with perturbation; one independent search per core.
//! The [`bench`](mod@bench) module holds the benchmark commands (`mes bench ...`).

mod calendar;
mod dispatch;
mod inst;
mod model;
mod objective;
mod plan;
mod replan;
mod rng;
mod sol;
mod solver;
mod tabu;

pub mod bench;
pub mod plant;

pub use model::*;
pub use objective::{Cost, Objective, Stability, StabilityEntry};
pub use plan::{JobOutcome, Plan, PlannedOp};
pub use replan::{Event, Move, MoveReason, ReplanOptions, ReplanResult, replan};
pub use solver::{Progress, SolveOptions, SolveResult, SolveStats, solve};
