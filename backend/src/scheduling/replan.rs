//! Replanning on shop-floor events: a subscriber on the [`EventBus`] collects a burst of
//! events (machine down or back up, rush order released, operation started, completed off
//! plan, scrap reported), then repairs the published plan with `mes_scheduler::replan`: started
//! operations stay, moves inside the frozen horizon are penalised, and every move is stored with
//! the event that caused it. With auto-replan on the repair is published at once; otherwise it
//! waits as a proposal.

use std::{
    collections::{HashMap, HashSet},
    time::Duration as StdDuration,
};

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use mes_api_types::{
    events::ShopEvent, master_data::MachineStatus, scheduling::PlanKind,
    work_orders::WorkOrderStatus,
};
use mes_scheduler::{
    Event, Job, JobOutcome, MoveReason, OpRef, Plan, PlannedOp, Problem, ReplanOptions,
    SolveOptions,
};

use super::{
    model::{self, Model, minutes_from},
    models::*,
    queries, service,
};
use crate::{
    db::{Db, DbConnection, now, write_transaction},
    error::AppResult,
    events::EventBus,
    http::extract::Actor,
};

/// Events closer together than this are handled by one replan.
pub const DEBOUNCE: StdDuration = StdDuration::from_secs(2);
/// Search time of a repair (the whole replan answers within a second at plant size).
const REPAIR_TIME_LIMIT: StdDuration = StdDuration::from_millis(400);
/// A completion this far from its planned end moves the rest of the plan.
const OFF_PLAN_MINUTES: i64 = 5;

/// What the replanner acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    MachineDown {
        machine_id: i64,
        at: DateTime<Utc>,
    },
    MachineUp {
        machine_id: i64,
        at: DateTime<Utc>,
    },
    RushOrder {
        work_order_id: i64,
    },
    OperationStarted {
        operation_id: i64,
    },
    OperationCompleted {
        operation_id: i64,
        at: DateTime<Utc>,
    },
    Scrap {
        operation_id: i64,
    },
}

impl Trigger {
    pub fn kind(&self) -> &'static str {
        match self {
            Trigger::MachineDown { .. } => "machine_down",
            Trigger::MachineUp { .. } => "machine_up",
            Trigger::RushOrder { .. } => "rush_order",
            Trigger::OperationStarted { .. } => "operation_started",
            Trigger::OperationCompleted { .. } => "operation_completed",
            Trigger::Scrap { .. } => "scrap",
        }
    }

    fn describe(&self) -> String {
        match self {
            Trigger::MachineDown { machine_id, .. } => format!("machine {machine_id} down"),
            Trigger::MachineUp { machine_id, .. } => format!("machine {machine_id} back up"),
            Trigger::RushOrder { work_order_id } => format!("rush order {work_order_id}"),
            Trigger::OperationStarted { operation_id } => {
                format!("operation {operation_id} started")
            }
            Trigger::OperationCompleted { operation_id, .. } => {
                format!("operation {operation_id} completed off plan")
            }
            Trigger::Scrap { operation_id } => format!("scrap on operation {operation_id}"),
        }
    }
}

/// Machines the replanner has seen go down: their next working status means "back up".
#[derive(Debug, Default)]
pub struct Translator {
    down: HashSet<i64>,
}

impl Translator {
    /// The trigger an event stands for, if it is one.
    pub fn translate(&mut self, event: &ShopEvent) -> Option<Trigger> {
        match event {
            ShopEvent::MachineStatus {
                machine_id,
                status,
                at,
            } => match status {
                MachineStatus::Down | MachineStatus::Maintenance => {
                    self.down.insert(machine_id.0);
                    Some(Trigger::MachineDown {
                        machine_id: machine_id.0,
                        at: *at,
                    })
                }
                MachineStatus::Idle | MachineStatus::Running | MachineStatus::Setup => self
                    .down
                    .remove(&machine_id.0)
                    .then_some(Trigger::MachineUp {
                        machine_id: machine_id.0,
                        at: *at,
                    }),
                MachineStatus::Offline => None,
            },
            ShopEvent::WorkOrderStatus {
                work_order_id,
                status: WorkOrderStatus::Released,
                priority: 1,
                ..
            } => Some(Trigger::RushOrder {
                work_order_id: work_order_id.0,
            }),
            ShopEvent::OperationStarted { operation_id, .. } => Some(Trigger::OperationStarted {
                operation_id: operation_id.0,
            }),
            ShopEvent::OperationCompleted {
                operation_id, at, ..
            } => Some(Trigger::OperationCompleted {
                operation_id: operation_id.0,
                at: *at,
            }),
            ShopEvent::Reported {
                operation_id,
                scrap,
                ..
            } if *scrap > 0.0 => Some(Trigger::Scrap {
                operation_id: operation_id.0,
            }),
            _ => None,
        }
    }
}

/// Starts the replanner on the server's runtime: it lives as long as the bus.
pub fn spawn(db: Db, events: &EventBus, tz: Tz) {
    let mut receiver = events.subscribe();
    let bus = events.clone();
    actix_web::rt::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        let mut translator = Translator::default();
        loop {
            let first = match receiver.recv().await {
                Ok(e) => e,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "replanner fell behind the event bus");
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            let mut triggers: Vec<Trigger> = translator.translate(&first).into_iter().collect();
            if triggers.is_empty() {
                continue;
            }
            // Collect the rest of the burst.
            let deadline = tokio::time::Instant::now() + DEBOUNCE;
            loop {
                match tokio::time::timeout_at(deadline, receiver.recv()).await {
                    Ok(Ok(e)) => triggers.extend(translator.translate(&e)),
                    Ok(Err(RecvError::Lagged(_))) => continue,
                    Ok(Err(RecvError::Closed)) => return,
                    Err(_) => break,
                }
            }
            let db = db.clone();
            let result = actix_web::web::block(move || {
                let mut conn = db.get()?;
                replan(&mut conn, tz, &triggers)
            })
            .await;
            match result {
                Ok(Ok(Some(outcome))) => {
                    tracing::info!(
                        plan_id = outcome.plan_id,
                        published = outcome.published,
                        moves = outcome.moves,
                        elapsed_ms = outcome.elapsed_ms,
                        "replanned"
                    );
                    if outcome.published {
                        service::announce_published(&bus, outcome.plan_id);
                    }
                }
                Ok(Ok(None)) => {}
                Ok(Err(e)) => tracing::error!(error = %e, "replan failed"),
                Err(e) => tracing::error!(error = %e, "replan task failed"),
            }
        }
    });
}

/// What a replan did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub plan_id: i64,
    pub published: bool,
    pub moves: usize,
    pub elapsed_ms: u64,
}

/// Repairs the published plan after `triggers`; `None` when there is nothing to repair (no
/// published plan, or no trigger changes anything).
pub fn replan(conn: &mut DbConnection, tz: Tz, triggers: &[Trigger]) -> AppResult<Option<Outcome>> {
    let started = std::time::Instant::now();
    let Some(published) = queries::published_plan(conn)? else {
        return Ok(None);
    };
    let published_ops: HashMap<i64, PlannedOpRow> = queries::planned_ops(conn, published.id)?
        .into_iter()
        .map(|p| (p.operation_id, p))
        .collect();
    // A completion on time changes nothing.
    let triggers: Vec<&Trigger> = triggers
        .iter()
        .filter(|t| match t {
            Trigger::OperationCompleted { operation_id, at } => published_ops
                .get(operation_id)
                .is_none_or(|p| (minutes_from(utc(p.end_at), *at)).abs() >= OFF_PLAN_MINUTES),
            _ => true,
        })
        .collect();
    if triggers.is_empty() {
        return Ok(None);
    }
    let settings = queries::settings(conn)?;
    let origin = service::origin_now();
    let model = service::build_model(conn, tz, origin)?;
    let repair = Repair::new(&model, &published_ops);

    let machine_index: HashMap<i64, usize> = model
        .machine_ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let mut events: Vec<Event> = Vec::new();
    let mut labels: Vec<&'static str> = Vec::new();
    let rush_orders: HashSet<i64> = triggers
        .iter()
        .filter_map(|t| match t {
            Trigger::RushOrder { work_order_id } => Some(*work_order_id),
            _ => None,
        })
        .collect();
    for (job, order_id) in repair.new_jobs.iter().zip(&repair.new_order_ids) {
        events.push(Event::RushOrder { job: job.clone() });
        labels.push(if rush_orders.contains(order_id) {
            "rush_order"
        } else {
            "new_work"
        });
    }
    let down_minutes = i64::from(settings.down_estimate_minutes);
    for t in &triggers {
        match t {
            Trigger::MachineDown { machine_id, at } => {
                if let Some(&m) = machine_index.get(machine_id) {
                    let from = minutes_from(origin, *at).max(-down_minutes + 1);
                    events.push(Event::MachineDown {
                        machine: m,
                        from,
                        until: from + down_minutes,
                    });
                    labels.push("machine_down");
                }
            }
            Trigger::MachineUp { machine_id, at } => {
                if let Some(&m) = machine_index.get(machine_id) {
                    events.push(Event::MachineUp {
                        machine: m,
                        at: minutes_from(origin, *at).max(0),
                    });
                    labels.push("machine_up");
                }
            }
            Trigger::OperationStarted { operation_id } | Trigger::Scrap { operation_id } => {
                if let Some(&r) = repair.op_refs.get(operation_id)
                    && let Some(f) = repair.problem.jobs[r.job].operations[r.op].frozen
                    && f.start <= 0
                {
                    events.push(Event::OperationProgress {
                        op: r,
                        machine: f.machine,
                        start: f.start,
                        end: f.end,
                        finished: false,
                    });
                    labels.push(match t {
                        Trigger::Scrap { .. } => "scrap",
                        _ => "operation_started",
                    });
                }
            }
            Trigger::RushOrder { .. } | Trigger::OperationCompleted { .. } => {}
        }
    }

    let options = ReplanOptions {
        frozen_horizon: i64::from(settings.frozen_horizon_minutes),
        solve: SolveOptions {
            time_limit: Some(REPAIR_TIME_LIMIT),
            ..Default::default()
        },
        ..Default::default()
    };
    let result = mes_scheduler::replan(&repair.problem, &repair.previous, 0, &events, &options)
        .map_err(|e| anyhow::anyhow!("replan: {e}"))?;

    // The repaired problem is the base problem plus the new jobs, in event order.
    let mut order_ids = repair.order_ids.clone();
    order_ids.extend(&repair.new_order_ids);
    let mut operation_ids = repair.operation_ids.clone();
    operation_ids.extend(repair.new_operation_ids.iter().cloned());
    let solved = Model {
        origin,
        problem: result.problem.clone(),
        machine_ids: model.machine_ids.clone(),
        order_ids,
        operation_ids,
        skipped: model.skipped.clone(),
    };

    let auto = settings.auto_replan;
    let first = triggers[0];
    let reason = triggers
        .iter()
        .map(|t| t.describe())
        .collect::<Vec<_>>()
        .join("; ");
    let actor = Actor::system("scheduler");
    let at = |m: i64| -> NaiveDateTime { model::time_at(origin, m).naive_utc() };
    let outcome = write_transaction(conn, |conn| -> AppResult<Outcome> {
        let version = queries::next_version(conn)?;
        let plan_id = queries::insert_plan(
            conn,
            &NewPlanRow {
                version,
                status: "running".into(),
                kind: PlanKind::Replan.as_str().into(),
                trigger_kind: first.kind().into(),
                reason: reason.clone(),
                base_plan_id: Some(published.id),
                origin: origin.naive_utc(),
                time_limit_ms: REPAIR_TIME_LIMIT.as_millis() as i64,
                created_by: None,
                created_by_name: actor.name.clone(),
                created_at: now(),
            },
        )?;
        let rows = service::plan_rows(plan_id, &solved, &result.plan);
        let moves: Vec<MoveRow> = result
            .moves
            .iter()
            .map(|m| MoveRow {
                plan_id,
                operation_id: solved.operation_ids[m.op.job][m.op.op],
                from_machine_id: m.from.map(|(machine, _)| solved.machine_ids[machine]),
                from_start: m.from.map(|(_, start)| at(start)),
                to_machine_id: solved.machine_ids[m.to.0],
                to_start: at(m.to.1),
                reason: match m.reason {
                    MoveReason::Event(i) => labels.get(i).copied().unwrap_or("reoptimised"),
                    MoveReason::Reoptimised => "reoptimised",
                }
                .to_owned(),
            })
            .collect();
        service::store_plan(
            conn,
            plan_id,
            &result.plan,
            &rows,
            &moves,
            result.stats.iterations,
            "proposed",
        )?;
        let plan = queries::find_plan(conn, plan_id)?;
        crate::audit::created(conn, &actor, "schedule_plan", plan_id, &plan)?;
        if auto {
            service::publish(conn, &actor, plan_id)?;
        }
        Ok(Outcome {
            plan_id,
            published: auto,
            moves: moves.len(),
            elapsed_ms: started.elapsed().as_millis() as u64,
        })
    })?;
    Ok(Some(outcome))
}

/// The published plan restated on the current problem: orders it planned form the base problem
/// with its placements as the previous plan; orders it does not know yet are new jobs.
struct Repair {
    problem: Problem,
    previous: Plan,
    order_ids: Vec<i64>,
    operation_ids: Vec<Vec<i64>>,
    op_refs: HashMap<i64, OpRef>,
    new_jobs: Vec<Job>,
    new_order_ids: Vec<i64>,
    new_operation_ids: Vec<Vec<i64>>,
}

impl Repair {
    fn new(model: &Model, published: &HashMap<i64, PlannedOpRow>) -> Repair {
        let machine_index: HashMap<i64, usize> = model
            .machine_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i))
            .collect();
        let known: Vec<bool> = model
            .operation_ids
            .iter()
            .map(|ops| {
                ops.iter().all(|op| {
                    published
                        .get(op)
                        .is_some_and(|p| machine_index.contains_key(&p.machine_id))
                })
            })
            .collect();
        // New positions: known jobs first, then new ones in the order they are appended.
        let mut position = vec![0usize; known.len()];
        let mut next = 0;
        for pass in [true, false] {
            for (j, &k) in known.iter().enumerate() {
                if k == pass {
                    position[j] = next;
                    next += 1;
                }
            }
        }
        let remap = |job: &Job| -> Job {
            let mut job = job.clone();
            job.predecessors = job.predecessors.iter().map(|&p| position[p]).collect();
            job
        };
        let mut repair = Repair {
            problem: Problem {
                machines: model.problem.machines.clone(),
                jobs: Vec::new(),
            },
            previous: Plan {
                ops: Vec::new(),
                jobs: Vec::new(),
                makespan: 0,
                total_weighted_tardiness: 0,
                late_jobs: 0,
                cost: Default::default(),
            },
            order_ids: Vec::new(),
            operation_ids: Vec::new(),
            op_refs: HashMap::new(),
            new_jobs: Vec::new(),
            new_order_ids: Vec::new(),
            new_operation_ids: Vec::new(),
        };
        let origin = model.origin;
        for (j, job) in model.problem.jobs.iter().enumerate() {
            if !known[j] {
                repair.new_jobs.push(remap(job));
                repair.new_order_ids.push(model.order_ids[j]);
                repair
                    .new_operation_ids
                    .push(model.operation_ids[j].clone());
                continue;
            }
            let index = repair.problem.jobs.len();
            let mut ops = Vec::with_capacity(job.operations.len());
            for (k, op) in job.operations.iter().enumerate() {
                let id = model.operation_ids[j][k];
                repair.op_refs.insert(id, OpRef { job: index, op: k });
                let p = &published[&id];
                let planned = match op.frozen {
                    // Running now: where it runs, as the model expects it to end.
                    Some(f) if f.start < 0 => PlannedOp {
                        machine: f.machine,
                        start: f.start,
                        setup_end: f.start,
                        end: f.end.unwrap_or(f.start),
                        frozen: true,
                    },
                    _ => {
                        let start = minutes_from(origin, utc(p.setup_start));
                        let setup_end = minutes_from(origin, utc(p.run_start));
                        let end = minutes_from(origin, utc(p.end_at));
                        // Not started although planned in the past: it starts now at the earliest.
                        let shift = (-start).max(0);
                        PlannedOp {
                            machine: machine_index[&p.machine_id],
                            start: start + shift,
                            setup_end: setup_end + shift,
                            end: end + shift,
                            frozen: op.frozen.is_some(),
                        }
                    }
                };
                ops.push(planned);
            }
            let completion = ops.last().map_or(0, |o| o.end);
            repair.previous.makespan = repair.previous.makespan.max(completion);
            repair.previous.ops.push(ops);
            repair.previous.jobs.push(JobOutcome {
                completion,
                tardiness: 0,
                bottleneck: None,
            });
            repair.problem.jobs.push(remap(job));
            repair.order_ids.push(model.order_ids[j]);
            repair.operation_ids.push(model.operation_ids[j].clone());
        }
        repair
    }
}
