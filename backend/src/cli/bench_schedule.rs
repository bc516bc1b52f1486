//! `mes bench schedule --database URL`: the product's scheduling path at plant scale, on a real
//! database (e.g. one filled by `mes demo`): building the model from the database, the first
//! feasible plan, the plan after the time limit, storing and publishing it, and a replan after
//! the busiest machine breaks down (model, repair, store, publish). Prints one JSON object.

use std::{collections::HashMap, time::Instant};

use chrono::Utc;
use serde_json::{Value, json};

use crate::{
    db::Db,
    http::extract::Actor,
    plant::calendar::parse_tz,
    scheduling::{
        queries,
        replan::{self, Trigger},
        service,
    },
};

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub fn run(database: &str, timezone: &str, time_limit_ms: u64) -> Result<(), String> {
    let tz = parse_tz(timezone).ok_or_else(|| format!("`{timezone}` is not an IANA time zone"))?;
    let db = Db::open(database, Some(2))?;
    let mut conn = db.get().map_err(err)?;

    let t = Instant::now();
    let model = service::build_model(&mut conn, tz, service::origin_now()).map_err(err)?;
    let model_ms = t.elapsed().as_secs_f64() * 1000.0;
    let operations: usize = model.problem.jobs.iter().map(|j| j.operations.len()).sum();
    if operations == 0 {
        return Err("no released work to schedule: fill the database first (mes demo)".into());
    }

    let first = mes_scheduler::solve(
        &model.problem,
        &mes_scheduler::SolveOptions {
            time_limit: Some(std::time::Duration::ZERO),
            ..Default::default()
        },
    )
    .map_err(err)?;

    let actor = Actor::system("bench");
    let t = Instant::now();
    let plan = service::begin_run(&mut conn, &actor, Some(time_limit_ms), "bench").map_err(err)?;
    service::execute_run(&db, &service::Runs::new(), tz, plan.id);
    let run_ms = t.elapsed().as_millis() as u64;
    let t = Instant::now();
    service::publish(&mut conn, &actor, plan.id).map_err(err)?;
    let publish_ms = t.elapsed().as_millis() as u64;
    let solved = queries::find_plan(&mut conn, plan.id)
        .map_err(err)?
        .ok_or("the plan vanished")?;

    // The machine with the most planned operations breaks down now.
    let mut per_machine: HashMap<i64, usize> = HashMap::new();
    for op in queries::planned_ops(&mut conn, plan.id).map_err(err)? {
        *per_machine.entry(op.machine_id).or_default() += 1;
    }
    let (busiest, _) = per_machine
        .into_iter()
        .max_by_key(|&(id, n)| (n, -id))
        .ok_or("the plan has no operations")?;
    let t = Instant::now();
    let outcome = replan::replan(
        &mut conn,
        tz,
        &[Trigger::MachineDown {
            machine_id: busiest,
            at: Utc::now(),
        }],
    )
    .map_err(err)?
    .ok_or("nothing to replan")?;
    let replan_ms = t.elapsed().as_millis() as u64;

    let v: Value = json!({
        "orders": model.problem.jobs.len(),
        "operations": operations,
        "machines": model.problem.machines.len(),
        "model_build_ms": (model_ms * 10.0).round() / 10.0,
        "first_feasible_us": first.stats.first_feasible_us,
        "first_feasible_late_orders": first.plan.late_jobs,
        "time_limit_ms": time_limit_ms,
        "run_ms": run_ms,
        "late_orders": solved.late_orders,
        "weighted_tardiness_minutes": solved.total_weighted_tardiness_minutes,
        "publish_ms": publish_ms,
        "replan": {
            "machine_id": busiest,
            "total_ms": replan_ms,
            "moves": outcome.moves,
            "published": outcome.published,
        },
    });
    println!("{v}");
    Ok(())
}
