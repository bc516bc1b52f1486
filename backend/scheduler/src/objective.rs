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
/// Added to the primary objective: `per_time_unit * |start - reference start|` plus
/// `per_machine_change` when the machine differs. Put into `reference` only the operations whose
/// moves should cost something (replanning uses those starting inside the frozen horizon).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stability {
    /// `(operation, machine index, start)` in the reference plan.
    pub reference: Vec<(OpRef, usize, Time)>,
    pub per_time_unit: i64,
    pub per_machine_change: i64,
}

/// Stability compiled to op indices.
#[derive(Clone, Debug)]
pub(crate) struct StabilityRef {
    pub ops: Vec<(u32, u32, Time)>,
    pub per_time_unit: i64,
    pub per_machine_change: i64,
}

impl StabilityRef {
    pub fn compile(inst: &Inst, s: &Stability) -> StabilityRef {
        StabilityRef {
            ops: s
                .reference
                .iter()
                .filter(|(r, _, _)| r.job < inst.n_jobs && r.op < inst.job_ops(r.job).len())
                .map(|&(r, m, t)| (inst.op_index(r) as u32, m as u32, t))
                .filter(|&(i, _, _)| !inst.is_fixed(i as usize))
                .collect(),
            per_time_unit: s.per_time_unit,
            per_machine_change: s.per_machine_change,
        }
    }

    /// Penalty of a placement; needs the machine per op.
    pub fn penalty(&self, start: &[Time], mach: Option<&[u32]>) -> i64 {
        let mut p = 0;
        for &(i, m, t) in &self.ops {
            p += self.per_time_unit * (start[i as usize] - t).abs();
            if let Some(mach) = mach
                && mach[i as usize] != m
            {
                p += self.per_machine_change;
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
