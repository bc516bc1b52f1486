//! A realistic plant-size instance and the `bench plant` timings.
//!
//! Time unit: minutes from Monday 00:00 of the first week. 25 machines in 5 work centres, two
//! shifts (06:00–14:00, 14:00–22:00, each with a 30 min break) Monday to Friday, one machine per
//! centre also working Saturday morning; 300 orders of 5 operations routed through the centres,
//! each operation eligible on 2–4 machines of its centre with machine-specific times and setups,
//! 30 min transfer between operations, staggered releases, due dates, priorities 1–3, some
//! assembly orders waiting for component orders, and planned maintenance blocks.

use crate::model::{Alternative, Calendar, Interval, Job, Machine, Operation, Problem, Time};
use crate::objective::Objective;
use crate::plan::Plan;
use crate::replan::{Event, ReplanOptions, replan};
use crate::rng::Rng;
use crate::solver::{SolveOptions, solve};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub const DAY: Time = 24 * 60;
const CENTRES: usize = 5;
const PER_CENTRE: usize = 5;

/// Generate the plant instance (deterministic for a seed). Public so the product's demo data
/// and tests can use it.
pub fn generate_plant(seed: u64) -> Problem {
    generate(seed, 300, 5)
}

/// Same generator with another size (orders × operations per order).
pub fn generate(seed: u64, orders: usize, ops_per_order: usize) -> Problem {
    let mut rng = Rng::new(seed ^ 0x5EED_71A4);
    let shifts = [
        Interval::new(6 * 60, 10 * 60),
        Interval::new(10 * 60 + 30, 14 * 60),
        Interval::new(14 * 60, 18 * 60),
        Interval::new(18 * 60 + 30, 22 * 60),
    ];
    let mut machines = Vec::new();
    for c in 0..CENTRES {
        for k in 0..PER_CENTRE {
            let mut cal = Calendar::weekly(0, DAY, 5, &shifts);
            if k == 0 {
                // Saturday morning shift on the first machine of each centre.
                if let Calendar::Periodic { working, .. } = &mut cal {
                    working.push(Interval::new(5 * DAY + 6 * 60, 5 * DAY + 12 * 60));
                }
            }
            let mut m = Machine::new((c * PER_CENTRE + k) as u64 + 1).with_calendar(cal);
            // Preventive maintenance: one 4 h block on some weekday of the first three weeks.
            if rng.chance(0.6) {
                let week = rng.below(3) as Time;
                let day = rng.below(5) as Time;
                let s = week * 7 * DAY + day * DAY + 6 * 60;
                m.blocked.push(Interval::new(s, s + 4 * 60));
            }
            machines.push(m);
        }
    }
    // Per machine speed factor (percent) so alternatives differ.
    let speed: Vec<i64> = (0..machines.len()).map(|_| rng.range(80, 130)).collect();
    let mut jobs = Vec::with_capacity(orders);
    for o in 0..orders {
        // Routings mostly flow through the centres in order, sometimes skipping or swapping.
        let mut centres: Vec<usize> = (0..ops_per_order).map(|k| k % CENTRES).collect();
        if rng.chance(0.3) && ops_per_order > 2 {
            let a = rng.below(ops_per_order - 1);
            centres.swap(a, a + 1);
        }
        let qty_factor = rng.range(1, 4);
        let mut ops = Vec::with_capacity(ops_per_order);
        let mut work = 0;
        for &c in &centres {
            let base = rng.range(20, 60) * qty_factor;
            let n_elig = 2 + rng.below(3);
            let mut ks: Vec<usize> = (0..PER_CENTRE).collect();
            for x in 0..n_elig {
                let y = x + rng.below(PER_CENTRE - x);
                ks.swap(x, y);
            }
            let mut alts = Vec::new();
            for &k in &ks[..n_elig] {
                let m = c * PER_CENTRE + k;
                alts.push(Alternative {
                    machine: m,
                    processing: (base * speed[m] / 100).max(1),
                    setup: rng.range(10, 45),
                });
            }
            work += base + 30;
            let mut op = Operation::with_alternatives(alts);
            op.min_lag = 30;
            ops.push(op);
        }
        ops[0].min_lag = 0;
        let mut job = Job::new(1000 + o as u64, ops);
        // Releases staggered over the first two weeks.
        job.release = (rng.below(10) as Time / 5) * 7 * DAY + (rng.below(5) as Time) * DAY;
        // Due: release + a multiple of the work, in calendar time (working ~45% of the week).
        job.due = Some(job.release + work * rng.range(3, 8) + 3 * DAY);
        job.weight = rng.range(1, 3);
        // About 10% are assembly orders waiting for one or two earlier component orders.
        if o >= 10 && rng.chance(0.1) {
            let a = o - 1 - rng.below(9);
            job.predecessors.push(a);
            if rng.chance(0.5) {
                let b = o - 1 - rng.below(9);
                if b != a {
                    job.predecessors.push(b);
                }
            }
            job.predecessors.sort_unstable();
        }
        jobs.push(job);
    }
    Problem { machines, jobs }
}

fn kpis(p: &Plan) -> Value {
    json!({
        "total_weighted_tardiness": p.total_weighted_tardiness,
        "late_jobs": p.late_jobs,
        "makespan": p.makespan,
    })
}

/// `bench plant`: first feasible time, quality after a fixed time, replan after a breakdown.
pub(crate) fn plant_bench(seed: u64, quality_ms: u64) -> Value {
    let problem = generate_plant(seed);
    // 1. First feasible plan: dispatch only (no search), including model compilation.
    let t0 = Instant::now();
    let first = solve(
        &problem,
        &SolveOptions {
            time_limit: Some(Duration::ZERO),
            seed,
            ..Default::default()
        },
    )
    .expect("generated plant is valid");
    let first_ms = t0.elapsed().as_secs_f64() * 1000.0;
    // 2. Quality after `quality_ms`.
    let t1 = Instant::now();
    let improved = solve(
        &problem,
        &SolveOptions {
            objective: Objective::WeightedTardinessThenMakespan,
            time_limit: Some(Duration::from_millis(quality_ms)),
            seed,
            ..Default::default()
        },
    )
    .expect("generated plant is valid");
    let improved_ms = t1.elapsed().as_millis() as u64;
    // 3. The machine with the most work planned in the next day breaks down on Tuesday at
    // 10:00 for 8 hours (the worst case for a one-machine breakdown at that time).
    let now = DAY + 10 * 60;
    let mut busy = vec![0; problem.machines.len()];
    for ops in &improved.plan.ops {
        for o in ops {
            busy[o.machine] += (o.end.min(now + DAY) - o.start.max(now)).max(0);
        }
    }
    let machine = (0..busy.len()).max_by_key(|&k| busy[k]).unwrap_or(0);
    let events = vec![Event::MachineDown {
        machine,
        from: now,
        until: now + 8 * 60,
    }];
    let t2 = Instant::now();
    let rp = replan(
        &problem,
        &improved.plan,
        now,
        &events,
        &ReplanOptions {
            frozen_horizon: DAY,
            ..Default::default()
        },
    )
    .expect("replan of a valid plan");
    let replan_ms = t2.elapsed().as_millis() as u64;
    // The same event repaired without any search: the knock-on effect alone.
    let repair = replan(
        &problem,
        &improved.plan,
        now,
        &events,
        &ReplanOptions {
            frozen_horizon: DAY,
            solve: SolveOptions {
                time_limit: Some(Duration::ZERO),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .expect("replan of a valid plan");
    let horizon_end = now + DAY;
    let in_horizon = rp
        .moves
        .iter()
        .filter(|m| m.from.is_some_and(|(_, s)| s >= now && s < horizon_end))
        .count();
    let ops: usize = problem.jobs.iter().map(|j| j.operations.len()).sum();
    json!({
        "instance": format!("plant seed {seed}: {} orders, {ops} operations, {} machines",
            problem.jobs.len(), problem.machines.len()),
        "first_feasible_ms": (first_ms * 10.0).round() / 10.0,
        "first_feasible": kpis(&first.plan),
        "improved_after_ms": improved_ms,
        "improved": kpis(&improved.plan),
        "improved_iterations": improved.stats.iterations,
        "replan": {
            "event": format!("machine {machine} down {now}..{} (min)", now + 8 * 60),
            "elapsed_ms": replan_ms,
            "moved_ops": rp.moves.len(),
            "moved_in_frozen_horizon": in_horizon,
            "moved_by_event": rp.moves.iter().filter(|m| matches!(m.reason, crate::replan::MoveReason::Event(_))).count(),
            "plan": kpis(&rp.plan),
            "repair_only": {
                "moved_ops": repair.moves.len(),
                "moved_by_event": repair.moves.iter().filter(|m| matches!(m.reason, crate::replan::MoveReason::Event(_))).count(),
                "plan": kpis(&repair.plan),
            },
        },
    })
}
