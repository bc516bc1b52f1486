//! Property tests on random instances: every plan the solver returns must satisfy the model's
//! rules, checked here by code that does not share anything with the solver.

use mes_scheduler::{
    Alternative, Calendar, Event, Frozen, Interval, Job, Machine, Objective, Operation, Plan,
    Problem, ReplanOptions, SolveOptions, Time, replan, solve,
};
use proptest::prelude::*;
use std::time::Duration;

/// Working intervals of a machine as the test understands the model: the calendar's intervals
/// (or everything), after the last one everything, minus blocked intervals.
fn working(m: &Machine) -> Vec<(Time, Time)> {
    const BIG: Time = 1 << 40;
    let mut w: Vec<(Time, Time)> = match &m.calendar {
        Calendar::Always => vec![(-BIG, BIG)],
        Calendar::Intervals(v) => {
            let mut v: Vec<(Time, Time)> = v.iter().map(|i| (i.start, i.end)).collect();
            v.sort();
            let last = v.iter().map(|x| x.1).max().unwrap_or(-BIG);
            v.push((last, BIG));
            // merge overlaps so no instant counts twice
            let mut merged: Vec<(Time, Time)> = Vec::new();
            for (s, e) in v {
                match merged.last_mut() {
                    Some(l) if s <= l.1 => l.1 = l.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            merged
        }
        Calendar::Periodic {
            origin,
            period,
            working,
        } => {
            // 400 repetitions cover any plan these tests make
            let mut v = Vec::new();
            for k in -2..400 {
                for w in working {
                    v.push((origin + k * period + w.start, origin + k * period + w.end));
                }
            }
            v.sort();
            let mut merged: Vec<(Time, Time)> = Vec::new();
            for (s, e) in v {
                match merged.last_mut() {
                    Some(l) if s <= l.1 => l.1 = l.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            merged
        }
    };
    for b in &m.blocked {
        let mut out = Vec::new();
        for &(s, e) in &w {
            if b.end <= s || b.start >= e {
                out.push((s, e));
            } else {
                if s < b.start {
                    out.push((s, b.start));
                }
                if b.end < e {
                    out.push((b.end, e));
                }
            }
        }
        w = out;
    }
    w
}

fn work_between(w: &[(Time, Time)], a: Time, b: Time) -> Time {
    w.iter().map(|&(s, e)| (e.min(b) - s.max(a)).max(0)).sum()
}

fn is_working(w: &[(Time, Time)], t: Time) -> bool {
    w.iter().any(|&(s, e)| s <= t && t < e)
}

/// Check a plan against every rule of the model. Returns a description of the first violation.
fn check(p: &Problem, plan: &Plan) -> Result<(), String> {
    let wk: Vec<Vec<(Time, Time)>> = p.machines.iter().map(working).collect();
    let mut per_machine: Vec<Vec<(Time, Time, bool, String)>> = vec![Vec::new(); p.machines.len()];
    for (j, job) in p.jobs.iter().enumerate() {
        for (k, op) in job.operations.iter().enumerate() {
            let po = plan.ops[j][k];
            let name = format!("job {j} op {k}");
            if po.end < po.start {
                return Err(format!("{name}: ends before it starts"));
            }
            if let Some(f) = op.frozen {
                if po.machine != f.machine || po.start != f.start {
                    return Err(format!("{name}: frozen placement changed"));
                }
                if let Some(e) = f.end
                    && po.end != e
                {
                    return Err(format!("{name}: frozen end changed"));
                }
            } else {
                if po.start < job.release {
                    return Err(format!("{name}: starts before release"));
                }
                let alt = op
                    .alternatives
                    .iter()
                    .find(|a| a.machine == po.machine)
                    .ok_or(format!("{name}: machine {} not eligible", po.machine))?;
                let d = alt.setup + alt.processing;
                let w = &wk[po.machine];
                if work_between(w, po.start, po.end) != d {
                    return Err(format!(
                        "{name}: working time in [start,end) is not its duration"
                    ));
                }
                if d > 0 {
                    if !is_working(w, po.start) {
                        return Err(format!("{name}: starts in non-working time"));
                    }
                    if work_between(w, po.start, po.end - 1) != d - 1 {
                        return Err(format!("{name}: end is not where its work completes"));
                    }
                }
            }
            if k > 0 {
                let prev = plan.ops[j][k - 1];
                if op.frozen.is_none() && po.start < prev.end + op.min_lag {
                    return Err(format!("{name}: violates precedence/transfer lag"));
                }
            }
            let mut waits: Vec<usize> = op.after_jobs.clone();
            if k == 0 {
                waits.extend_from_slice(&job.predecessors);
            }
            for q in waits {
                let last = plan.ops[q].last().expect("job has ops");
                if op.frozen.is_none() && po.start < last.end {
                    return Err(format!("{name}: starts before job {q} completes"));
                }
            }
            per_machine[po.machine].push((po.start, po.end, op.frozen.is_some(), name));
        }
    }
    for (m, v) in per_machine.iter_mut().enumerate() {
        v.sort();
        for a in 0..v.len() {
            for b in a + 1..v.len() {
                let (s1, e1, _, n1) = &v[a];
                let (s2, e2, _, n2) = &v[b];
                // zero-length ops occupy no machine time (documented in the model)
                if s1 < e1 && s2 < e2 && s1 < e2 && s2 < e1 {
                    return Err(format!(
                        "machine {m}: {n1} {:?} overlaps {n2} {:?}",
                        v[a], v[b]
                    ));
                }
            }
        }
    }
    // reported KPIs
    let mk = plan.ops.iter().flatten().map(|o| o.end).max().unwrap_or(0);
    if mk != plan.makespan {
        return Err(format!("makespan {} reported, {mk} actual", plan.makespan));
    }
    Ok(())
}

fn interval() -> impl Strategy<Value = Interval> {
    (0i64..120, 1i64..40).prop_map(|(s, l)| Interval::new(s, s + l))
}

fn machine() -> impl Strategy<Value = Machine> {
    (
        prop::bool::ANY,
        prop::collection::vec(interval(), 1..5),
        prop::collection::vec(interval(), 0..3),
    )
        .prop_map(|(always, work, blocked)| Machine {
            id: 0,
            calendar: if always {
                Calendar::Always
            } else {
                Calendar::Intervals(work)
            },
            blocked,
        })
}

#[derive(Clone, Debug)]
struct OpSpec {
    machines: Vec<usize>,
    times: Vec<(Time, Time)>,
    lag: Time,
}

fn op_spec(n_machines: usize) -> impl Strategy<Value = OpSpec> {
    (
        prop::sample::subsequence((0..n_machines).collect::<Vec<_>>(), 1..=n_machines.min(3)),
        prop::collection::vec((0i64..12, 0i64..4), 3),
        0i64..6,
    )
        .prop_map(|(machines, times, lag)| OpSpec {
            machines,
            times,
            lag,
        })
}

fn problem() -> impl Strategy<Value = Problem> {
    (1usize..5).prop_flat_map(|nm| {
        (
            prop::collection::vec(machine(), nm),
            prop::collection::vec(
                (
                    prop::collection::vec(op_spec(nm), 1..5),
                    0i64..30,
                    prop::option::of(0i64..150),
                    1i64..4,
                    prop::option::of(0usize..8),
                ),
                1..7,
            ),
            prop::collection::vec(prop::bool::ANY, 8),
            prop::collection::vec(0i64..80, 8),
        )
            .prop_map(move |(machines, jobs, freeze, fstart)| {
                let mut used_machine = vec![false; nm];
                let mut out = Vec::new();
                for (j, (ops, release, due, weight, pred)) in jobs.into_iter().enumerate() {
                    let mut operations: Vec<Operation> = ops
                        .iter()
                        .map(|s| Operation {
                            alternatives: s
                                .machines
                                .iter()
                                .zip(&s.times)
                                .map(|(&m, &(p, st))| Alternative {
                                    machine: m,
                                    processing: p,
                                    setup: st,
                                })
                                .collect(),
                            min_lag: s.lag,
                            after_jobs: vec![],
                            frozen: None,
                        })
                        .collect();
                    let predecessors: Vec<usize> = pred.filter(|&q| q < j).into_iter().collect();
                    // Freeze the first op of some jobs without predecessors, one per machine.
                    if predecessors.is_empty() && freeze[j % 8] {
                        let m = operations[0].alternatives[0].machine;
                        if !used_machine[m] {
                            used_machine[m] = true;
                            operations[0].frozen = Some(Frozen {
                                machine: m,
                                start: fstart[j % 8],
                                end: None,
                            });
                        }
                    }
                    out.push(Job {
                        id: j as u64,
                        release,
                        due: due.map(|d| d + release),
                        weight,
                        predecessors,
                        operations,
                    });
                }
                Problem {
                    machines,
                    jobs: out,
                }
            })
    })
}

fn budget(seed: u64, objective: Objective, iterations: u64) -> SolveOptions {
    SolveOptions {
        objective,
        time_limit: None,
        iteration_limit: Some(iterations),
        seed,
        threads: 2,
        ..Default::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn plans_respect_all_constraints(p in problem(), seed in 0u64..1000, mk in prop::bool::ANY) {
        let obj = if mk { Objective::Makespan } else { Objective::WeightedTardinessThenMakespan };
        let res = solve(&p, &budget(seed, obj, 300)).expect("valid problem");
        prop_assert_eq!(check(&p, &res.plan), Ok(()));
        // the dispatch-only plan too
        let first = solve(&p, &budget(seed, obj, 0)).expect("valid problem");
        prop_assert_eq!(check(&p, &first.plan), Ok(()));
        prop_assert!(res.plan.cost <= first.plan.cost);
    }

    #[test]
    fn same_seed_and_budget_give_the_same_plan(p in problem(), seed in 0u64..1000) {
        let a = solve(&p, &budget(seed, Objective::default(), 200)).expect("valid");
        let b = solve(&p, &budget(seed, Objective::default(), 200)).expect("valid");
        prop_assert_eq!(a.plan, b.plan);
    }

    #[test]
    fn replan_keeps_started_operations(p in problem(), seed in 0u64..1000, now in 0i64..100,
                                       down in 0usize..4, len in 1i64..60) {
        let first = solve(&p, &budget(seed, Objective::default(), 100)).expect("valid");
        let machine = down % p.machines.len();
        let events = vec![Event::MachineDown { machine, from: now, until: now + len }];
        let opts = ReplanOptions {
            frozen_horizon: 30,
            solve: budget(seed, Objective::default(), 100),
            ..Default::default()
        };
        let r = replan(&p, &first.plan, now, &events, &opts).expect("replan");
        prop_assert_eq!(check(&r.problem, &r.plan), Ok(()));
        for (j, ops) in first.plan.ops.iter().enumerate() {
            for (k, before) in ops.iter().enumerate() {
                let after = r.plan.ops[j][k];
                if before.start < now {
                    prop_assert_eq!((before.machine, before.start), (after.machine, after.start));
                } else if p.jobs[j].operations[k].frozen.is_none() {
                    prop_assert!(after.start >= now, "job {} op {} starts before now", j, k);
                }
            }
        }
        // Every change is reported.
        for (j, ops) in first.plan.ops.iter().enumerate() {
            for (k, before) in ops.iter().enumerate() {
                let after = r.plan.ops[j][k];
                let changed = (before.machine, before.start) != (after.machine, after.start);
                let listed = r.moves.iter().any(|m| m.op.job == j && m.op.op == k);
                prop_assert_eq!(changed, listed);
            }
        }
    }
}

#[test]
fn rush_order_and_scrap_are_planned() {
    let machines = (0..3).map(Machine::new).collect();
    let jobs = (0..4)
        .map(|j| {
            let mut job = Job::new(
                j,
                (0..3)
                    .map(|k| Operation::on(((j + k) % 3) as usize, 5 + j as Time))
                    .collect(),
            );
            job.due = Some(40);
            job
        })
        .collect();
    let p = Problem { machines, jobs };
    let first = solve(&p, &budget(1, Objective::default(), 200)).expect("valid");
    let mut rush = Job::new(99, vec![Operation::on(0, 4), Operation::on(1, 4)]);
    rush.due = Some(20);
    rush.weight = 10;
    let events = vec![
        Event::RushOrder { job: rush },
        Event::Scrap {
            job: 1,
            remake: vec![Operation::on(1, 3)],
            rejoin_before: Some(2),
        },
    ];
    let opts = ReplanOptions {
        frozen_horizon: 10,
        solve: SolveOptions {
            time_limit: Some(Duration::from_millis(200)),
            iteration_limit: Some(300),
            ..Default::default()
        },
        ..Default::default()
    };
    let r = replan(&p, &first.plan, 5, &events, &opts).expect("replan");
    assert_eq!(r.problem.jobs.len(), 6);
    assert_eq!(check(&r.problem, &r.plan), Ok(()));
    // New work is reported as moves caused by its event.
    assert!(r.moves.iter().any(|m| m.op.job == 4
        && m.from.is_none()
        && m.reason == mes_scheduler::MoveReason::Event(0)));
    assert!(
        r.moves
            .iter()
            .any(|m| m.op.job == 5 && m.reason == mes_scheduler::MoveReason::Event(1))
    );
    // The rush order starts no earlier than now.
    assert!(r.plan.ops[4][0].start >= 5);
}

#[test]
fn working_time_and_bottleneck() {
    let shifts = [
        Interval::new(6 * 60, 14 * 60),
        Interval::new(14 * 60, 22 * 60),
    ];
    let mut m = Machine::new(1).with_calendar(Calendar::weekly(0, 24 * 60, 5, &shifts));
    // Monday: 16 h; a week: 80 h; a 2 h block on Tuesday morning.
    assert_eq!(m.working_time(0, 24 * 60), 16 * 60);
    assert_eq!(m.working_time(0, 7 * 24 * 60), 80 * 60);
    m.blocked
        .push(Interval::new(24 * 60 + 8 * 60, 24 * 60 + 10 * 60));
    assert_eq!(m.working_time(0, 7 * 24 * 60), 78 * 60);
    assert_eq!(Machine::new(2).working_time(10, 25), 15);

    // Two orders on one machine, the second can only be late: its bottleneck is machine 0.
    let mut a = Job::new(1, vec![Operation::on(0, 10)]);
    a.due = Some(10);
    a.weight = 5;
    let mut b = Job::new(2, vec![Operation::on(1, 1), Operation::on(0, 10)]);
    b.due = Some(12);
    let p = Problem {
        machines: vec![Machine::new(0), Machine::new(1)],
        jobs: vec![a, b],
    };
    let r = solve(&p, &budget(1, Objective::default(), 50)).expect("valid");
    assert_eq!(r.plan.late_jobs, 1);
    assert_eq!(r.plan.jobs[1].bottleneck, Some(0));
    assert_eq!(r.plan.jobs[0].bottleneck, None);
}

#[test]
fn degenerate_problems_do_not_panic() {
    let opts = SolveOptions {
        time_limit: Some(Duration::from_millis(50)),
        ..Default::default()
    };
    // nothing to plan
    let empty = Problem::default();
    let r = solve(&empty, &opts).expect("empty problem is valid");
    assert!(r.plan.ops.is_empty());
    // all frozen, zero durations, a job waiting for another
    let mut a = Job::new(1, vec![Operation::on(0, 0), Operation::on(0, 0)]);
    a.operations[0].frozen = Some(Frozen {
        machine: 0,
        start: 5,
        end: None,
    });
    let mut b = Job::new(2, vec![Operation::on(0, 3)]);
    b.predecessors = vec![0];
    let p = Problem {
        machines: vec![Machine::new(0)],
        jobs: vec![a, b],
    };
    let r = solve(&p, &opts).expect("valid");
    assert_eq!(check(&p, &r.plan), Ok(()));
    // invalid input is an error, not a panic
    let bad = Problem {
        machines: vec![Machine::new(0)],
        jobs: vec![Job::new(1, vec![Operation::on(3, 1)])],
    };
    assert!(solve(&bad, &opts).is_err());
    let mut cyc = Problem {
        machines: vec![Machine::new(0)],
        jobs: vec![
            Job::new(1, vec![Operation::on(0, 1)]),
            Job::new(2, vec![Operation::on(0, 1)]),
        ],
    };
    cyc.jobs[0].predecessors = vec![1];
    cyc.jobs[1].predecessors = vec![0];
    assert!(solve(&cyc, &opts).is_err());
}

#[test]
fn cancel_flag_and_progress() {
    use mes_scheduler::Progress;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let p = mes_scheduler::plant::generate(3, 40, 5);
    let cancel = Arc::new(AtomicBool::new(false));
    let progress = Arc::new(Progress::new());
    let opts = SolveOptions {
        time_limit: Some(Duration::from_secs(60)),
        cancel: Some(cancel.clone()),
        progress: Some(progress.clone()),
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let res = std::thread::scope(|s| {
        let h = s.spawn(|| solve(&p, &opts));
        std::thread::sleep(Duration::from_millis(300));
        assert!(!progress.is_done());
        cancel.store(true, Ordering::Relaxed);
        h.join().expect("solver thread")
    })
    .expect("valid");
    assert!(
        t0.elapsed() < Duration::from_secs(10),
        "cancel stops the run"
    );
    assert!(progress.is_done());
    assert!(progress.iterations() > 0);
    assert_eq!(progress.best(), Some(res.plan.cost));
    assert_eq!(check(&p, &res.plan), Ok(()));
}
