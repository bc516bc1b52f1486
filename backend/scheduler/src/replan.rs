//! Replanning: repair a published plan after shop-floor events.
//!
//! Operations that started before `now` stay where they are (frozen); nothing new starts before
//! `now`; the previous plan is the warm start, so the search only changes what it must or what
//! clearly pays; moves of operations that were due to start inside the frozen horizon cost a
//! stability penalty. Each moved operation is reported with the event that caused it, found by
//! following the chain of binding predecessors in the new plan back to an operation the event
//! touched directly.

use crate::inst::{Inst, NONE};
use crate::model::{Interval, Job, ModelError, OpRef, Operation, Problem, Time};
use crate::objective::{Stability, StabilityEntry, StabilityRef};
use crate::plan::Plan;
use crate::sol::Times;
use crate::solver::{SolveOptions, SolveStats, solve_compiled};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Something that happened on the shop floor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The machine cannot work in `[from, until)` (breakdown; use an estimate of the repair
    /// time; a later `MachineUp` shortens it).
    MachineDown {
        machine: usize,
        from: Time,
        until: Time,
    },
    /// The machine works again from `at`: blocked intervals covering `at` end there.
    MachineUp { machine: usize, at: Time },
    /// A new order to fit in (appended to the problem's jobs).
    RushOrder { job: Job },
    /// Actual times of an operation: started at `start` on `machine`; `end` is the actual end
    /// if `finished`, else the expected end (`None` = planned duration from `start`).
    OperationProgress {
        op: OpRef,
        machine: usize,
        start: Time,
        end: Option<Time>,
        finished: bool,
    },
    /// Scrap that must be remade: `remake` becomes a new job (released now, with the job's due
    /// date and weight); if `rejoin_before` is `Some(k)`, operation `k` of the job waits for it.
    Scrap {
        job: usize,
        remake: Vec<Operation>,
        rejoin_before: Option<usize>,
    },
    /// More work on an operation not yet done (extra quantity): `extra` is added to its
    /// processing time on every eligible machine.
    ExtraWork { op: OpRef, extra: Time },
}

/// Options of [`replan`].
#[derive(Clone, Debug)]
pub struct ReplanOptions {
    /// Operations planned to start in `[now, now + frozen_horizon)` are penalised for moving.
    pub frozen_horizon: Time,
    /// Penalty per time unit an operation inside the frozen horizon moves.
    pub per_time_unit: i64,
    /// Penalty when such an operation changes machine.
    pub per_machine_change: i64,
    /// Lighter penalties for operations planned after the horizon, so the repair does not
    /// reshuffle the whole plan for a marginal gain (0 = free to move).
    pub beyond_per_time_unit: i64,
    pub beyond_per_machine_change: i64,
    /// Search settings; the default limits the repair to 500 ms.
    pub solve: SolveOptions,
}

impl Default for ReplanOptions {
    fn default() -> Self {
        ReplanOptions {
            frozen_horizon: 0,
            per_time_unit: 10,
            per_machine_change: 600,
            beyond_per_time_unit: 1,
            beyond_per_machine_change: 60,
            solve: SolveOptions {
                time_limit: Some(Duration::from_millis(500)),
                ..Default::default()
            },
        }
    }
}

/// Why an operation moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoveReason {
    /// Caused (directly or through the operations it waits for) by `events[i]`.
    Event(usize),
    /// Moved by the optimiser to improve the plan.
    Reoptimised,
}

/// One operation that changed between the previous and the new plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub op: OpRef,
    pub job_id: u64,
    /// `(machine, start)` in the previous plan; `None` for new work.
    pub from: Option<(usize, Time)>,
    pub to: (usize, Time),
    pub reason: MoveReason,
}

/// Result of [`replan`].
#[derive(Clone, Debug)]
pub struct ReplanResult {
    /// The problem with the events applied and started operations frozen: the base for the
    /// next replan.
    pub problem: Problem,
    pub plan: Plan,
    pub moves: Vec<Move>,
    pub stats: SolveStats,
}

/// Direct effects of events on operations, for move attribution.
#[derive(Default)]
struct Causes {
    /// (machine, interval, event) of downtime.
    down: Vec<(usize, Interval, usize)>,
    /// op -> event for ops touched directly (progress, extra work, new jobs, rejoin waits).
    direct: Vec<(OpRef, usize)>,
    new_jobs: Vec<(usize, usize)>,
}

/// Repair `previous` (a plan of `problem`) at time `now` after `events`.
pub fn replan(
    problem: &Problem,
    previous: &Plan,
    now: Time,
    events: &[Event],
    options: &ReplanOptions,
) -> Result<ReplanResult, ModelError> {
    let t0 = Instant::now();
    if previous.ops.len() != problem.jobs.len()
        || previous
            .ops
            .iter()
            .zip(&problem.jobs)
            .any(|(p, j)| p.len() != j.operations.len())
    {
        return Err(ModelError::BadEvent {
            index: 0,
            reason: "the previous plan does not match the problem".into(),
        });
    }
    let mut p = problem.clone();
    let mut causes = Causes::default();
    let mut progressed: Vec<OpRef> = Vec::new();
    let bad = |index: usize, reason: &str| ModelError::BadEvent {
        index,
        reason: reason.into(),
    };
    let check_op = |p: &Problem, r: OpRef, e: usize| -> Result<(), ModelError> {
        if r.job < p.jobs.len() && r.op < p.jobs[r.job].operations.len() {
            Ok(())
        } else {
            Err(bad(e, "unknown operation"))
        }
    };
    for (e, ev) in events.iter().enumerate() {
        match ev {
            Event::MachineDown {
                machine,
                from,
                until,
            } => {
                let mc = p
                    .machines
                    .get_mut(*machine)
                    .ok_or_else(|| bad(e, "unknown machine"))?;
                if until <= from {
                    return Err(bad(e, "empty downtime"));
                }
                let iv = Interval::new(*from, *until);
                mc.blocked.push(iv);
                causes.down.push((*machine, iv, e));
            }
            Event::MachineUp { machine, at } => {
                let mc = p
                    .machines
                    .get_mut(*machine)
                    .ok_or_else(|| bad(e, "unknown machine"))?;
                for b in mc.blocked.iter_mut() {
                    if b.start < *at && *at < b.end {
                        b.end = *at;
                    }
                }
                for d in causes.down.iter_mut() {
                    if d.0 == *machine && d.1.start < *at && *at < d.1.end {
                        d.1.end = *at;
                    }
                }
            }
            Event::RushOrder { job } => {
                let mut job = job.clone();
                job.release = job.release.max(now);
                p.jobs.push(job);
                causes.new_jobs.push((p.jobs.len() - 1, e));
            }
            Event::OperationProgress {
                op,
                machine,
                start,
                end,
                finished,
            } => {
                check_op(&p, *op, e)?;
                if *machine >= p.machines.len() {
                    return Err(bad(e, "unknown machine"));
                }
                let prev = previous.ops.get(op.job).and_then(|v| v.get(op.op));
                let end = match end {
                    Some(x) => *x,
                    None => {
                        let d = prev.map_or_else(
                            || {
                                p.jobs[op.job].operations[op.op]
                                    .alternatives
                                    .iter()
                                    .find(|a| a.machine == *machine)
                                    .map_or(0, |a| a.duration())
                            },
                            |pv| pv.end - pv.start,
                        );
                        *start + d
                    }
                };
                // A running operation cannot end in the past.
                let end = if *finished { end } else { end.max(now) };
                p.jobs[op.job].operations[op.op].frozen = Some(crate::model::Frozen {
                    machine: *machine,
                    start: *start,
                    end: Some(end.max(*start)),
                });
                progressed.push(*op);
                causes.direct.push((*op, e));
            }
            Event::Scrap {
                job,
                remake,
                rejoin_before,
            } => {
                let base = p
                    .jobs
                    .get(*job)
                    .ok_or_else(|| bad(e, "unknown job"))?
                    .clone();
                if remake.is_empty() {
                    return Err(bad(e, "remake without operations"));
                }
                let mut rj = Job::new(base.id, remake.clone());
                rj.release = now;
                rj.due = base.due;
                rj.weight = base.weight;
                p.jobs.push(rj);
                let ri = p.jobs.len() - 1;
                causes.new_jobs.push((ri, e));
                if let Some(k) = rejoin_before {
                    check_op(&p, OpRef { job: *job, op: *k }, e)?;
                    p.jobs[*job].operations[*k].after_jobs.push(ri);
                    causes.direct.push((OpRef { job: *job, op: *k }, e));
                }
            }
            Event::ExtraWork { op, extra } => {
                check_op(&p, *op, e)?;
                if *extra < 0 {
                    return Err(bad(e, "negative extra work"));
                }
                for a in p.jobs[op.job].operations[op.op].alternatives.iter_mut() {
                    a.processing += extra;
                }
                causes.direct.push((*op, e));
            }
        }
    }
    // Freeze what has started according to the previous plan; nothing else starts before now.
    for (j, ops) in previous.ops.iter().enumerate() {
        for (k, po) in ops.iter().enumerate() {
            let op = &mut p.jobs[j].operations[k];
            // Ops pinned in the future stay as they are (their end follows the new calendar);
            // past ones become facts with an explicit end, so new downtime cannot stretch them.
            if progressed.contains(&OpRef { job: j, op: k }) || po.start >= now {
                continue;
            }
            {
                // A started op on a machine that went down is interrupted for the overlap.
                // It pauses when the downtime begins and resumes when it ends.
                let mut end = po.end;
                let run_from = now.max(po.start);
                for (m, iv, _) in &causes.down {
                    if *m == po.machine && iv.start < end && iv.end > run_from {
                        end += iv.end - iv.start.max(run_from);
                    }
                }
                op.frozen = Some(crate::model::Frozen {
                    machine: po.machine,
                    start: po.start,
                    end: Some(end),
                });
            }
        }
    }
    // A pin in the future that now collides with a running operation (stretched by downtime)
    // cannot be kept: release it to the optimiser.
    let mut started: Vec<(usize, Time, Time)> = Vec::new();
    for (j, ops) in previous.ops.iter().enumerate() {
        for (k, po) in ops.iter().enumerate() {
            if let Some(f) = p.jobs[j].operations[k].frozen
                && f.start < now
            {
                started.push((f.machine, f.start, f.end.unwrap_or(po.end)));
            }
        }
    }
    for (j, ops) in previous.ops.iter().enumerate() {
        for (k, po) in ops.iter().enumerate() {
            let op = &mut p.jobs[j].operations[k];
            if let Some(f) = op.frozen {
                let end = f.end.unwrap_or(po.end).max(f.start + 1);
                if f.start >= now
                    && started
                        .iter()
                        .any(|&(m, s, e)| m == f.machine && s < end && f.start < e)
                {
                    op.frozen = None;
                }
            }
        }
    }
    for job in p.jobs.iter_mut() {
        if job.operations.iter().any(|o| o.frozen.is_none()) {
            job.release = job.release.max(now);
        }
    }
    let horizon_end = now.saturating_add(options.frozen_horizon);
    let mut reference = Vec::new();
    for (j, ops) in previous.ops.iter().enumerate() {
        for (k, po) in ops.iter().enumerate() {
            if po.start < now {
                continue;
            }
            let inside = po.start < horizon_end;
            let (per_time_unit, per_machine_change) = if inside {
                (options.per_time_unit, options.per_machine_change)
            } else {
                (
                    options.beyond_per_time_unit,
                    options.beyond_per_machine_change,
                )
            };
            if per_time_unit == 0 && per_machine_change == 0 {
                continue;
            }
            reference.push(StabilityEntry {
                op: OpRef { job: j, op: k },
                machine: po.machine,
                start: po.start,
                per_time_unit,
                per_machine_change,
            });
        }
    }
    let stability = Stability { reference };
    let inst = Inst::compile(&p)?;
    let stab = StabilityRef::compile(&inst, &stability);
    let mut so = options.solve.clone();
    so.stability = Some(stability);
    so.warm_start = Some(previous.clone());
    let (res, sol) = solve_compiled(&inst, Some(&stab), &so, t0);

    // Attribution. An op moved because of the events if it moves already when the previous
    // sequences are only re-timed (pure knock-on); the event is found by following binding
    // predecessors in that re-timed schedule, where the chains are the old ones. Ops that
    // only move in the optimised plan were moved by the optimiser.
    let mut t = Times::new(&inst);
    let ok = t.forward(&inst, &sol);
    debug_assert!(ok);
    let repair = crate::solver::sol_from_plan(&inst, previous, &so.objective, Some(&stab))
        .and_then(|rs| {
            let mut rt = Times::new(&inst);
            rt.forward(&inst, &rs).then_some((rs, rt))
        });
    let plan = res.plan;
    let mut moves = Vec::new();
    for i in 0..inst.n {
        let r = inst.op_ref(i);
        let new = plan.op(r);
        let old = previous.ops.get(r.job).and_then(|v| v.get(r.op));
        if old.is_some_and(|o| o.machine == new.machine && o.start == new.start) {
            continue;
        }
        let reason = match (&repair, old) {
            (Some((rs, rt)), Some(o)) => {
                if rs.mach[i] as usize == o.machine && rt.start[i] == o.start {
                    MoveReason::Reoptimised
                } else {
                    attribute(&inst, &rs.mach, &rs.mpred, rt, i, &causes, previous)
                }
            }
            _ => attribute(&inst, &sol.mach, &sol.mpred, &t, i, &causes, previous),
        };
        moves.push(Move {
            op: r,
            job_id: p.jobs[r.job].id,
            from: old.map(|o| (o.machine, o.start)),
            to: (new.machine, new.start),
            reason,
        });
    }
    let mut stats = res.stats;
    stats.elapsed_ms = t0.elapsed().as_millis() as u64;
    Ok(ReplanResult {
        problem: p,
        plan,
        moves,
        stats,
    })
}

/// The event that (transitively) caused op `i` to move, following binding predecessors.
fn attribute(
    inst: &Inst,
    mach: &[u32],
    mpred: &[u32],
    t: &Times,
    i: usize,
    causes: &Causes,
    previous: &Plan,
) -> MoveReason {
    let mut cur = i;
    for _ in 0..inst.n {
        let r = inst.op_ref(cur);
        if let Some(&(_, e)) = causes.new_jobs.iter().find(|(j, _)| *j == r.job) {
            return MoveReason::Event(e);
        }
        if let Some(&(_, e)) = causes.direct.iter().find(|(o, _)| *o == r) {
            return MoveReason::Event(e);
        }
        // Downtime on the machine it was planned on or now runs on, during its old or new time.
        let old = previous.ops.get(r.job).and_then(|v| v.get(r.op));
        for &(m, iv, e) in &causes.down {
            let hit_old =
                old.is_some_and(|o| o.machine == m && o.start < iv.end && iv.start < o.end);
            let hit_new = mach[cur] as usize == m && t.start[cur] < iv.end && iv.start < t.end[cur];
            if hit_old || hit_new {
                return MoveReason::Event(e);
            }
        }
        // Follow the binding predecessor.
        let rdy = t.ready[cur];
        let mut next = NONE;
        let jp = inst.jpred[cur];
        if jp != NONE && t.end[jp as usize] + inst.lag[cur] == rdy {
            next = jp;
        }
        let mp = mpred[cur];
        if next == NONE && mp != NONE && t.end[mp as usize] == rdy {
            next = mp;
        }
        if next == NONE {
            for &x in inst.xpreds(cur) {
                if t.end[x as usize] == rdy {
                    next = x;
                }
            }
        }
        if next == NONE {
            break;
        }
        cur = next as usize;
    }
    MoveReason::Reoptimised
}
