//! Objectives: what "better plan" means.

use crate::inst::Inst;
use crate::model::{OpRef, Time};
use serde::{Deserialize, Serialize};

/// Objective value, compared lexicographically (`primary` first). Lower is better.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Cost {
    pub primary: i64,
    pub secondary: i64,
}

/// What to minimise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Objective {
    /// Total weighted tardiness, then makespan (the product default).
    #[default]
    WeightedTardinessThenMakespan,
    /// Makespan only (classic benchmarks).
    Makespan,
}

/// Stability term for replanning: penalise moving operations away from a reference plan.
///
/// Added to the primary objective, per reference entry: `per_time_unit * |start - reference
/// start|` plus `per_machine_change` when the machine differs. Replanning weights operations
/// inside the frozen horizon heavily and the rest lightly.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stability {
    pub reference: Vec<StabilityEntry>,
}

/// Where one operation was in the reference plan, and what moving it costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StabilityEntry {
    pub op: OpRef,
    /// Machine index in the reference plan.
    pub machine: usize,
    pub start: Time,
    pub per_time_unit: i64,
    pub per_machine_change: i64,
}

/// Stability compiled to op indices: (op, machine, start, per time unit, per machine change).
#[derive(Clone, Debug)]
pub(crate) struct StabilityRef {
    pub ops: Vec<(u32, u32, Time, i64, i64)>,
}

impl StabilityRef {
    pub fn compile(inst: &Inst, s: &Stability) -> StabilityRef {
        StabilityRef {
            ops: s
                .reference
                .iter()
                .filter(|e| e.op.job < inst.n_jobs && e.op.op < inst.job_ops(e.op.job).len())
                .map(|e| {
                    (
                        inst.op_index(e.op) as u32,
                        e.machine as u32,
                        e.start,
                        e.per_time_unit,
                        e.per_machine_change,
                    )
                })
                .filter(|&(i, ..)| !inst.is_fixed(i as usize))
                .collect(),
        }
    }

    /// Penalty of a placement.
    pub fn penalty(&self, start: &[Time], mach: &[u32]) -> i64 {
        let mut p = 0;
        for &(i, m, t, wt, wm) in &self.ops {
            p += wt * (start[i as usize] - t).abs();
            if mach[i as usize] != m {
                p += wm;
            }
        }
        p
    }
}

/// Total weighted tardiness given op ends.
pub(crate) fn weighted_tardiness(inst: &Inst, end: &[Time]) -> i64 {
    let mut t = 0;
    for j in 0..inst.n_jobs {
        if let Some(d) = inst.due[j] {
            let c = end[inst.job_last(j)];
            if c > d {
                t += inst.weight[j] * (c - d);
            }
        }
    }
    t
}

impl Objective {
    /// Cost without the stability term (added by the caller, who knows the machines).
    pub(crate) fn cost(&self, inst: &Inst, end: &[Time], makespan: Time) -> Cost {
        match self {
            Objective::Makespan => Cost {
                primary: makespan,
                secondary: 0,
            },
            Objective::WeightedTardinessThenMakespan => Cost {
                primary: weighted_tardiness(inst, end),
                secondary: makespan,
            },
        }
    }
}
