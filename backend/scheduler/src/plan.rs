//! The solver's answer: when and where every operation runs.

use crate::inst::Inst;
use crate::model::{OpRef, Time};
use crate::objective::Cost;
use crate::sol::{Sol, Times};
use serde::{Deserialize, Serialize};

/// One scheduled operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedOp {
    /// Index into [`crate::Problem::machines`].
    pub machine: usize,
    /// Start of setup (or of processing when there is no setup).
    pub start: Time,
    /// End of setup = start of processing (equals `start` without setup).
    pub setup_end: Time,
    pub end: Time,
    /// Frozen in the problem (started or pinned): the solver did not place it.
    pub frozen: bool,
}

/// Per-job outcome (delivery forecast).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobOutcome {
    pub completion: Time,
    /// `max(0, completion - due)`; 0 without a due date.
    pub tardiness: Time,
    /// For a late order: the machine in front of which it waits longest (queue time between
    /// being ready for an operation and starting it) - what makes it late.
    pub bottleneck: Option<usize>,
}

/// A complete plan for a [`crate::Problem`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// `ops[job][op]`, same shape as the problem's jobs.
    pub ops: Vec<Vec<PlannedOp>>,
    pub jobs: Vec<JobOutcome>,
    pub makespan: Time,
    pub total_weighted_tardiness: i64,
    pub late_jobs: usize,
    /// Objective value the solver optimised (includes any stability penalty).
    pub cost: Cost,
}

impl Plan {
    pub fn op(&self, r: OpRef) -> &PlannedOp {
        &self.ops[r.job][r.op]
    }

    /// Dispatch lists: per machine, its operations in start order.
    pub fn machine_sequences(&self, n_machines: usize) -> Vec<Vec<OpRef>> {
        let mut seqs: Vec<Vec<(Time, OpRef)>> = vec![Vec::new(); n_machines];
        for (j, ops) in self.ops.iter().enumerate() {
            for (k, o) in ops.iter().enumerate() {
                if o.machine < n_machines {
                    seqs[o.machine].push((o.start, OpRef { job: j, op: k }));
                }
            }
        }
        seqs.into_iter()
            .map(|mut v| {
                v.sort();
                v.into_iter().map(|x| x.1).collect()
            })
            .collect()
    }

    pub(crate) fn build(inst: &Inst, sol: &Sol, t: &Times) -> Plan {
        let mut ops = Vec::with_capacity(inst.n_jobs);
        let mut jobs = Vec::with_capacity(inst.n_jobs);
        let mut twt = 0;
        let mut late = 0;
        for j in 0..inst.n_jobs {
            let mut v = Vec::with_capacity(inst.job_ops(j).len());
            for i in inst.job_ops(j) {
                let k = sol.mach[i] as usize;
                let frozen = inst.is_fixed(i);
                let setup = if frozen {
                    inst.alt_for(i, k).map_or(0, |a| inst.alt_setup[a])
                } else {
                    inst.alt_setup[sol.alt[i] as usize]
                };
                let setup_end = if setup == 0 {
                    t.start[i]
                } else if frozen {
                    // its own interval is a hard block in the timeline: plain arithmetic
                    (t.start[i] + setup).min(t.end[i])
                } else {
                    inst.place(k, t.start[i], setup).1.min(t.end[i])
                };
                v.push(PlannedOp {
                    machine: k,
                    start: t.start[i],
                    setup_end,
                    end: t.end[i],
                    frozen,
                });
            }
            let c = t.end[inst.job_last(j)];
            let tard = inst.due[j].map_or(0, |d| (c - d).max(0));
            let bottleneck = if tard > 0 {
                inst.job_ops(j)
                    .filter(|&i| !inst.is_fixed(i))
                    .map(|i| (t.start[i] - t.hj[i], sol.mach[i] as usize))
                    .filter(|&(wait, _)| wait > 0)
                    .max()
                    .map(|(_, k)| k)
            } else {
                None
            };
            if tard > 0 {
                late += 1;
                twt += tard * inst.weight[j];
            }
            jobs.push(JobOutcome {
                completion: c,
                tardiness: tard,
                bottleneck,
            });
            ops.push(v);
        }
        Plan {
            ops,
            jobs,
            makespan: t.end.iter().copied().max().unwrap_or(0),
            total_weighted_tardiness: twt,
            late_jobs: late,
            cost: t.cost,
        }
    }
}
