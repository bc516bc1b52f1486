//! Pure mapping from the plant's open work to the solver's [`Problem`] and back: no database,
//! no HTTP. Times in the problem are whole minutes from the plan origin (the moment the run
//! starts), so nothing new is planned before it.
//!
//! - one machine per active machine; its calendar is the working intervals expanded over the
//!   horizon (none: always available); a machine that is down or in maintenance is blocked
//!   from the origin for the assumed repair time;
//! - one job per open order (released, in progress) with its open operations in sequence; each
//!   eligible machine with its own run time × the quantity still to make, plus setup;
//! - the lag before an operation is the previous operation's transfer time plus its own queue
//!   time;
//! - started operations are frozen where they run, expected to end when the rest of the
//!   quantity is done; pinned operations are frozen at the planner's machine and time;
//! - due date and release time in minutes; priority 1 (rush) … 5 (low) gives weight 16 … 1.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use mes_scheduler::{Alternative, Calendar, Frozen, Interval, Job, Machine, Operation, Problem};

/// One machine and when it works.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineInput {
    pub id: i64,
    /// Working intervals over the expansion range; `None`: no calendar, always available.
    pub working: Option<Vec<(DateTime<Utc>, DateTime<Utc>)>>,
    /// Down or in maintenance now.
    pub unavailable: bool,
}

/// One open (not done) operation of an order.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationInput {
    pub id: i64,
    pub seq: i32,
    pub setup_minutes: f64,
    pub queue_minutes: f64,
    pub transfer_minutes: f64,
    /// Good and scrap quantities reported so far.
    pub qty_good: f64,
    pub qty_scrap: f64,
    /// Where and since when it runs (status in progress or paused).
    pub started: Option<(i64, DateTime<Utc>)>,
    /// Eligible machines with their run minutes per unit.
    pub eligible: Vec<(i64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderInput {
    pub id: i64,
    pub quantity: f64,
    pub due_at: DateTime<Utc>,
    pub release_at: Option<DateTime<Utc>>,
    pub priority: i32,
    /// Orders that must finish first (components of an assembly).
    pub predecessors: Vec<i64>,
    /// Open operations in sequence.
    pub operations: Vec<OperationInput>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PinInput {
    pub operation_id: i64,
    pub machine_id: i64,
    pub start: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModelInput {
    pub origin: DateTime<Utc>,
    pub machines: Vec<MachineInput>,
    pub orders: Vec<OrderInput>,
    pub pins: Vec<PinInput>,
    /// How long an unavailable machine is assumed to stay so.
    pub down_estimate_minutes: i64,
}

/// Why an order was left out of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub order_id: i64,
    pub operation_id: i64,
}

/// The problem plus the ids behind its indices.
#[derive(Debug, Clone)]
pub struct Model {
    pub origin: DateTime<Utc>,
    pub problem: Problem,
    /// `machine_ids[i]` is the database id of `problem.machines[i]`.
    pub machine_ids: Vec<i64>,
    /// `order_ids[j]` is the order of `problem.jobs[j]`.
    pub order_ids: Vec<i64>,
    /// `operation_ids[j][k]` is the operation of `problem.jobs[j].operations[k]`.
    pub operation_ids: Vec<Vec<i64>>,
    /// Orders with an operation no active machine can do: not planned.
    pub skipped: Vec<Skipped>,
}

/// Priority 1 (rush) … 5 (lowest) as a tardiness weight: each step doubles.
pub fn priority_weight(priority: i32) -> i64 {
    1 << (5 - priority.clamp(1, 5))
}

/// Minutes from `origin` to `t`, rounded up (an operation never starts before its time).
pub fn minutes_from(origin: DateTime<Utc>, t: DateTime<Utc>) -> i64 {
    let seconds = (t - origin).num_seconds();
    seconds.div_euclid(60) + i64::from(seconds.rem_euclid(60) != 0)
}

pub fn time_at(origin: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    origin + Duration::minutes(minutes)
}

fn whole_minutes(m: f64) -> i64 {
    if m.is_finite() && m > 0.0 {
        m.ceil() as i64
    } else {
        0
    }
}

/// Where `work` minutes of machine time starting at `from` end, across the working intervals
/// (sorted, disjoint) and blocked intervals; open-ended after the last interval like the solver.
fn finish_after(working: &[Interval], blocked: &[Interval], from: i64, work: i64) -> i64 {
    let mut t = from;
    let mut left = work;
    let free = |start: i64, end: i64| -> Vec<Interval> {
        let mut pieces = vec![Interval::new(start, end)];
        for b in blocked {
            pieces = pieces
                .into_iter()
                .flat_map(|p| {
                    if !p.overlaps(b) {
                        return vec![p];
                    }
                    let mut out = Vec::new();
                    if p.start < b.start {
                        out.push(Interval::new(p.start, b.start));
                    }
                    if b.end < p.end {
                        out.push(Interval::new(b.end, p.end));
                    }
                    out
                })
                .collect();
        }
        pieces
    };
    let last_end = working.last().map_or(i64::MIN, |w| w.end);
    for w in working {
        for piece in free(w.start.max(t), w.end) {
            if piece.is_empty() {
                continue;
            }
            if left <= piece.len() {
                return piece.start + left;
            }
            left -= piece.len();
            t = piece.end;
        }
    }
    // After the last interval the machine counts as available, except where blocked.
    let mut t = t.max(last_end);
    for piece in free(t, i64::MAX / 4) {
        if left <= piece.len() {
            return piece.start + left;
        }
        left -= piece.len();
        t = piece.end;
    }
    t
}

/// Builds the solver's problem from the plant's open work.
pub fn build(input: &ModelInput) -> Model {
    let origin = input.origin;
    let mut machine_index: HashMap<i64, usize> = HashMap::new();
    let mut machines = Vec::with_capacity(input.machines.len());
    let mut working_of: Vec<Vec<Interval>> = Vec::with_capacity(input.machines.len());
    for m in &input.machines {
        machine_index.insert(m.id, machines.len());
        let mut machine = Machine::new(m.id as u64);
        let intervals: Vec<Interval> = m
            .working
            .iter()
            .flatten()
            .map(|(a, b)| Interval::new(minutes_from(origin, *a), minutes_from(origin, *b)))
            .filter(|i| !i.is_empty())
            .collect();
        if m.working.is_some() {
            machine.calendar = Calendar::Intervals(intervals.clone());
            working_of.push(intervals);
        } else {
            working_of.push(vec![Interval::new(i64::MIN / 4, i64::MAX / 4)]);
        }
        if m.unavailable {
            machine
                .blocked
                .push(Interval::new(0, input.down_estimate_minutes.max(1)));
        }
        machines.push(machine);
    }

    let pins: HashMap<i64, PinInput> = input.pins.iter().map(|p| (p.operation_id, *p)).collect();
    let mut skipped = Vec::new();
    let mut jobs = Vec::new();
    let mut order_ids = Vec::new();
    let mut operation_ids = Vec::new();
    'orders: for order in &input.orders {
        if order.operations.is_empty() {
            continue;
        }
        let mut operations = Vec::with_capacity(order.operations.len());
        let mut previous_transfer = 0.0;
        for op in &order.operations {
            let remaining = (order.quantity - op.qty_good).max(0.0);
            let setup = whole_minutes(op.setup_minutes);
            let alternatives: Vec<Alternative> = op
                .eligible
                .iter()
                .filter_map(|&(machine_id, run)| {
                    machine_index.get(&machine_id).map(|&machine| Alternative {
                        machine,
                        processing: whole_minutes(run * remaining),
                        setup,
                    })
                })
                .collect();
            let started = op
                .started
                .and_then(|(m, at)| machine_index.get(&m).map(|&i| (i, at)));
            if alternatives.is_empty() && started.is_none() {
                skipped.push(Skipped {
                    order_id: order.id,
                    operation_id: op.id,
                });
                continue 'orders;
            }
            let mut operation = Operation::with_alternatives(alternatives);
            operation.min_lag = whole_minutes(previous_transfer + op.queue_minutes);
            previous_transfer = op.transfer_minutes;
            if let Some((machine, at)) = started {
                let start = minutes_from(origin, at).min(0);
                let run = op
                    .eligible
                    .iter()
                    .find(|(id, _)| machine_index.get(id) == Some(&machine))
                    .or(op.eligible.first())
                    .map_or(0.0, |e| e.1);
                // Setup is done once it started; what is left runs from now at the earliest.
                let made = op.qty_good + op.qty_scrap;
                let whole = setup + whole_minutes(run * (made + remaining));
                let working = &working_of[machine];
                let blocked = &machines[machine].blocked;
                let end = finish_after(working, blocked, start, whole).max(finish_after(
                    working,
                    blocked,
                    0,
                    whole_minutes(run * remaining),
                ));
                operation.frozen = Some(Frozen {
                    machine,
                    start,
                    end: Some(end.max(start + 1)),
                });
            } else if let Some(pin) = pins.get(&op.id)
                && let Some(&machine) = machine_index.get(&pin.machine_id)
                && operation.alternatives.iter().any(|a| a.machine == machine)
            {
                operation.frozen = Some(Frozen {
                    machine,
                    start: minutes_from(origin, pin.start).max(0),
                    end: None,
                });
            }
            operations.push(operation);
        }
        let mut job = Job::new(order.id as u64, operations);
        job.due = Some(minutes_from(origin, order.due_at));
        job.release = order
            .release_at
            .map_or(0, |r| minutes_from(origin, r).max(0));
        job.weight = priority_weight(order.priority);
        order_ids.push(order.id);
        operation_ids.push(order.operations.iter().map(|o| o.id).collect());
        jobs.push((job, order));
    }
    let job_index: HashMap<i64, usize> = order_ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let jobs: Vec<Job> = jobs
        .into_iter()
        .map(|(mut job, order)| {
            job.predecessors = order
                .predecessors
                .iter()
                .filter_map(|p| job_index.get(p).copied())
                .collect();
            job
        })
        .collect();
    Model {
        origin,
        problem: Problem { machines, jobs },
        machine_ids: input.machines.iter().map(|m| m.id).collect(),
        order_ids,
        operation_ids,
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
    }

    fn op(id: i64, eligible: Vec<(i64, f64)>) -> OperationInput {
        OperationInput {
            id,
            seq: id as i32 * 10,
            setup_minutes: 0.0,
            queue_minutes: 0.0,
            transfer_minutes: 0.0,
            qty_good: 0.0,
            qty_scrap: 0.0,
            started: None,
            eligible,
        }
    }

    fn order(id: i64, operations: Vec<OperationInput>) -> OrderInput {
        OrderInput {
            id,
            quantity: 10.0,
            due_at: at(16, 0),
            release_at: None,
            priority: 3,
            predecessors: vec![],
            operations,
        }
    }

    fn input(orders: Vec<OrderInput>) -> ModelInput {
        ModelInput {
            origin: at(8, 0),
            machines: vec![
                MachineInput {
                    id: 101,
                    working: Some(vec![(at(6, 0), at(14, 0)), (at(14, 30), at(22, 0))]),
                    unavailable: false,
                },
                MachineInput {
                    id: 102,
                    working: None,
                    unavailable: false,
                },
            ],
            orders,
            pins: vec![],
            down_estimate_minutes: 240,
        }
    }

    #[test]
    fn maps_quantities_setup_lags_due_dates_and_weights() {
        let mut first = op(1, vec![(101, 1.5), (102, 2.0)]);
        first.setup_minutes = 20.0;
        first.transfer_minutes = 15.0;
        first.qty_good = 4.0;
        let mut second = op(2, vec![(102, 0.25)]);
        second.queue_minutes = 30.0;
        let mut o = order(7, vec![first, second]);
        o.priority = 1;
        o.release_at = Some(at(9, 0));
        let model = build(&input(vec![o]));

        assert_eq!(model.machine_ids, vec![101, 102]);
        assert_eq!(model.order_ids, vec![7]);
        assert_eq!(model.operation_ids, vec![vec![1, 2]]);
        let job = &model.problem.jobs[0];
        assert_eq!(job.id, 7);
        assert_eq!(job.weight, 16);
        assert_eq!(job.due, Some(8 * 60));
        assert_eq!(job.release, 60);
        // Six of ten still to make: 1.5 × 6 = 9 minutes on 101, 2 × 6 = 12 on 102.
        let alts = &job.operations[0].alternatives;
        assert_eq!(
            alts,
            &vec![
                Alternative {
                    machine: 0,
                    processing: 9,
                    setup: 20
                },
                Alternative {
                    machine: 1,
                    processing: 12,
                    setup: 20
                },
            ]
        );
        assert_eq!(job.operations[0].min_lag, 0);
        // 10 × 0.25 = 2.5 minutes, rounded up; lag = transfer before + queue.
        assert_eq!(job.operations[1].alternatives[0].processing, 3);
        assert_eq!(job.operations[1].min_lag, 45);
        assert_eq!(
            model.problem.machines[0].calendar,
            Calendar::Intervals(vec![Interval::new(-120, 360), Interval::new(390, 840)])
        );
        assert_eq!(model.problem.machines[1].calendar, Calendar::Always);
    }

    #[test]
    fn started_operations_are_frozen_until_the_rest_is_made() {
        let mut running = op(1, vec![(101, 6.0)]);
        running.started = Some((101, at(7, 0)));
        running.qty_good = 8.0;
        running.qty_scrap = 2.0;
        let mut o = order(3, vec![running, op(2, vec![(102, 1.0)])]);
        o.quantity = 20.0;
        let model = build(&input(vec![o]));
        let frozen = model.problem.jobs[0].operations[0].frozen.unwrap();
        assert_eq!((frozen.machine, frozen.start), (0, -60));
        // Made 10 (8 good, 2 scrap) and 12 still to make: 22 × 6 = 132 minutes from 07:00.
        assert_eq!(frozen.end, Some(-60 + 132));
        assert!(model.problem.jobs[0].operations[1].frozen.is_none());
    }

    #[test]
    fn an_overrunning_operation_ends_after_now_and_skips_breaks() {
        let mut running = op(1, vec![(101, 60.0)]);
        running.started = Some((101, at(6, 0)));
        running.qty_good = 4.0;
        let model = build(&input(vec![order(3, vec![running])]));
        let frozen = model.problem.jobs[0].operations[0].frozen.unwrap();
        // 6 left × 60 = 360 minutes from 08:00: 08:00-14:00 exactly; the planned whole
        // (10 × 60 from 06:00) ends at 14:00 + 120 after the 30-minute break: 16:30.
        assert_eq!(frozen.end, Some(8 * 60 + 30));
    }

    #[test]
    fn down_machines_are_blocked_and_pins_frozen_on_eligible_machines() {
        let mut i = input(vec![
            order(1, vec![op(10, vec![(101, 1.0), (102, 1.0)])]),
            order(2, vec![op(20, vec![(101, 1.0)])]),
        ]);
        i.machines[0].unavailable = true;
        i.pins = vec![
            PinInput {
                operation_id: 10,
                machine_id: 102,
                start: at(12, 0),
            },
            // Not eligible: ignored.
            PinInput {
                operation_id: 20,
                machine_id: 102,
                start: at(12, 0),
            },
        ];
        let model = build(&i);
        assert_eq!(
            model.problem.machines[0].blocked,
            vec![Interval::new(0, 240)]
        );
        assert!(model.problem.machines[1].blocked.is_empty());
        assert_eq!(
            model.problem.jobs[0].operations[0].frozen,
            Some(Frozen {
                machine: 1,
                start: 240,
                end: None
            })
        );
        assert_eq!(model.problem.jobs[1].operations[0].frozen, None);
    }

    #[test]
    fn orders_no_machine_can_do_are_skipped_and_predecessors_mapped() {
        let mut assembly = order(5, vec![op(50, vec![(102, 1.0)])]);
        assembly.predecessors = vec![4, 99];
        let model = build(&input(vec![
            order(3, vec![op(30, vec![(999, 1.0)])]),
            order(4, vec![op(40, vec![(101, 1.0)])]),
            assembly,
        ]));
        assert_eq!(model.order_ids, vec![4, 5]);
        assert_eq!(
            model.skipped,
            vec![Skipped {
                order_id: 3,
                operation_id: 30
            }]
        );
        // Order 99 is not open (done or unknown): no constraint.
        assert_eq!(model.problem.jobs[1].predecessors, vec![0]);
    }

    #[test]
    fn priorities_double_the_weight_per_step() {
        assert_eq!(
            (1..=5).map(priority_weight).collect::<Vec<_>>(),
            vec![16, 8, 4, 2, 1]
        );
        assert_eq!(priority_weight(0), 16);
    }

    #[test]
    fn minutes_round_up_both_sides_of_the_origin() {
        let o = at(8, 0);
        assert_eq!(minutes_from(o, o + Duration::seconds(61)), 2);
        assert_eq!(minutes_from(o, o - Duration::seconds(61)), -1);
        assert_eq!(minutes_from(o, o - Duration::seconds(60)), -1);
        assert_eq!(time_at(o, 90), at(9, 30));
    }

    #[test]
    fn the_model_solves_within_calendars() {
        let model = build(&input(vec![order(
            1,
            vec![op(1, vec![(101, 60.0)]), op(2, vec![(102, 1.0)])],
        )]));
        let options = mes_scheduler::SolveOptions {
            time_limit: Some(std::time::Duration::from_millis(20)),
            ..Default::default()
        };
        let plan = mes_scheduler::solve(&model.problem, &options).unwrap().plan;
        // 600 minutes from 08:00 on 101: 360 until 14:00, the break, 240 more: 18:30.
        assert_eq!(plan.ops[0][0].start, 0);
        assert_eq!(plan.ops[0][0].end, 10 * 60 + 30);
        assert!(plan.ops[0][1].start >= plan.ops[0][0].end);
    }
}
