//! The compiled instance: the problem flattened into arrays the search loops over.

use crate::calendar::{Timeline, working_intervals};
use crate::model::{Calendar, Interval, ModelError, OpRef, Problem, Time};

pub(crate) const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
pub(crate) struct FixedOp {
    pub machine: u32,
    pub start: Time,
    pub end: Time,
}

#[derive(Clone, Debug)]
pub(crate) struct Inst {
    pub n: usize,
    pub m: usize,
    pub n_jobs: usize,
    pub job_of: Vec<u32>,
    /// First op of job j is `job_start[j]`; ops of a job are contiguous.
    pub job_start: Vec<u32>,
    pub jpred: Vec<u32>,
    pub jsucc: Vec<u32>,
    /// Minimum lag after the job predecessor's end.
    pub lag: Vec<Time>,
    pub release: Vec<Time>,
    /// Cross-job predecessors (CSR): end of pred <= start of op.
    pub xpred_idx: Vec<u32>,
    pub xpred: Vec<u32>,
    pub xsucc_idx: Vec<u32>,
    pub xsucc: Vec<u32>,
    /// Alternatives (CSR): machine and working duration (setup + processing).
    pub alt_idx: Vec<u32>,
    pub alt_machine: Vec<u32>,
    pub alt_dur: Vec<Time>,
    pub alt_setup: Vec<Time>,
    pub fixed: Vec<Option<FixedOp>>,
    /// Number of non-frozen predecessors that are not machine predecessors.
    pub static_deg: Vec<u32>,
    pub timelines: Vec<Option<Timeline>>,
    pub due: Vec<Option<Time>>,
    pub weight: Vec<i64>,
    /// True when no calendars, blocks or frozen ops exist: times are plain longest paths.
    pub plain: bool,
    /// Smallest duration over alternatives, per op (for bounds and rules).
    pub min_dur: Vec<Time>,
    pub frozen_flag: Vec<bool>,
    /// Job successor if it is not frozen, else NONE.
    pub jsucc_free: Vec<u32>,
    /// Any cross-job precedence at all (lets the hot loops skip the CSR lookups).
    pub has_x: bool,
    /// Ops that can end last: those without a non-frozen job successor.
    pub sink_ops: Vec<u32>,
}

impl Inst {
    pub fn alts(&self, i: usize) -> std::ops::Range<usize> {
        self.alt_idx[i] as usize..self.alt_idx[i + 1] as usize
    }

    pub fn xpreds(&self, i: usize) -> &[u32] {
        &self.xpred[self.xpred_idx[i] as usize..self.xpred_idx[i + 1] as usize]
    }

    pub fn xsuccs(&self, i: usize) -> &[u32] {
        &self.xsucc[self.xsucc_idx[i] as usize..self.xsucc_idx[i + 1] as usize]
    }

    pub fn job_ops(&self, j: usize) -> std::ops::Range<usize> {
        self.job_start[j] as usize..self.job_start[j + 1] as usize
    }

    pub fn job_last(&self, j: usize) -> usize {
        self.job_start[j + 1] as usize - 1
    }

    pub fn is_fixed(&self, i: usize) -> bool {
        self.fixed[i].is_some()
    }

    pub fn op_ref(&self, i: usize) -> OpRef {
        let j = self.job_of[i] as usize;
        OpRef {
            job: j,
            op: i - self.job_start[j] as usize,
        }
    }

    pub fn op_index(&self, r: OpRef) -> usize {
        self.job_start[r.job] as usize + r.op
    }

    /// Earliest `(start, end)` on machine `m` for `work` units from `t`.
    #[inline]
    pub fn place(&self, m: usize, t: Time, work: Time) -> (Time, Time) {
        match &self.timelines[m] {
            None => (t, t + work),
            Some(tl) => tl.place(t, work),
        }
    }

    /// Alternative slot recorded for a frozen op (its machine's, or the first if not eligible).
    pub fn frozen_alt(&self, i: usize) -> u32 {
        let m = self.fixed[i].map_or(0, |f| f.machine as usize);
        self.alt_for(i, m).unwrap_or(self.alt_idx[i] as usize) as u32
    }

    /// Alternative slot index of machine `m` for op `i`, if eligible.
    pub fn alt_for(&self, i: usize, m: usize) -> Option<usize> {
        self.alts(i).find(|&a| self.alt_machine[a] as usize == m)
    }

    pub fn compile(p: &Problem) -> Result<Inst, ModelError> {
        let m = p.machines.len();
        let n_jobs = p.jobs.len();
        let mut job_start = Vec::with_capacity(n_jobs + 1);
        let mut n = 0usize;
        for (j, job) in p.jobs.iter().enumerate() {
            if job.operations.is_empty() {
                return Err(ModelError::NoOperations { job: j });
            }
            if job.weight < 0 {
                return Err(ModelError::NegativeTime {
                    what: format!("weight of job {j}"),
                });
            }
            job_start.push(n as u32);
            n += job.operations.len();
        }
        job_start.push(n as u32);
        validate_jobs(p)?;
        for (k, mach) in p.machines.iter().enumerate() {
            if let Calendar::Periodic {
                period, working, ..
            } = &mach.calendar
            {
                if *period <= 0 {
                    return Err(ModelError::BadCalendar {
                        machine: k,
                        reason: "period must be positive".into(),
                    });
                }
                if working.iter().all(|i| i.is_empty()) {
                    return Err(ModelError::BadCalendar {
                        machine: k,
                        reason: "periodic calendar without working time".into(),
                    });
                }
            }
        }

        let mut job_of = vec![0u32; n];
        let mut jpred = vec![NONE; n];
        let mut jsucc = vec![NONE; n];
        let mut lag = vec![0; n];
        let mut release = vec![0; n];
        let mut alt_idx = vec![0u32];
        let mut alt_machine = Vec::new();
        let mut alt_dur = Vec::new();
        let mut alt_setup = Vec::new();
        let mut fixed = vec![None; n];
        let mut xp: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut min_dur = vec![0; n];
        let mut due = Vec::with_capacity(n_jobs);
        let mut weight = Vec::with_capacity(n_jobs);

        // Generous horizon for materialising periodic calendars: everything fixed, plus all
        // work and lags done one after another.
        let mut t_lo = 0;
        let mut t_hi = 0;
        let mut total_work: Time = 0;

        for (j, job) in p.jobs.iter().enumerate() {
            due.push(job.due);
            weight.push(job.weight);
            t_lo = t_lo.min(job.release);
            t_hi = t_hi.max(job.release);
            for (k, op) in job.operations.iter().enumerate() {
                let i = job_start[j] as usize + k;
                let r = OpRef { job: j, op: k };
                job_of[i] = j as u32;
                release[i] = job.release;
                if k > 0 {
                    jpred[i] = (i - 1) as u32;
                    jsucc[i - 1] = i as u32;
                }
                if op.min_lag < 0 {
                    return Err(ModelError::NegativeTime {
                        what: format!("min_lag of operation {k} of job {j}"),
                    });
                }
                lag[i] = op.min_lag;
                total_work += op.min_lag;
                if op.alternatives.is_empty() {
                    return Err(ModelError::NoAlternatives(r));
                }
                let mut maxd = 0;
                let mut mind = Time::MAX;
                for a in &op.alternatives {
                    if a.machine >= m {
                        return Err(ModelError::UnknownMachine {
                            op: r,
                            machine: a.machine,
                        });
                    }
                    if a.processing < 0 || a.setup < 0 {
                        return Err(ModelError::NegativeTime {
                            what: format!("duration of operation {k} of job {j}"),
                        });
                    }
                    alt_machine.push(a.machine as u32);
                    alt_dur.push(a.duration());
                    alt_setup.push(a.setup);
                    maxd = maxd.max(a.duration());
                    mind = mind.min(a.duration());
                }
                min_dur[i] = mind;
                total_work += maxd;
                alt_idx.push(alt_machine.len() as u32);
                if k == 0 {
                    for &pj in &job.predecessors {
                        xp[i].push(job_start[pj + 1] - 1);
                    }
                }
                for &pj in &op.after_jobs {
                    xp[i].push(job_start[pj + 1] - 1);
                }
                if let Some(f) = &op.frozen {
                    if f.machine >= m {
                        return Err(ModelError::UnknownMachine {
                            op: r,
                            machine: f.machine,
                        });
                    }
                    t_lo = t_lo.min(f.start);
                    t_hi = t_hi.max(f.start).max(f.end.unwrap_or(f.start));
                }
            }
        }
        for mach in &p.machines {
            for b in &mach.blocked {
                t_lo = t_lo.min(b.start);
                t_hi = t_hi.max(b.end);
            }
        }
        let max_period = p
            .machines
            .iter()
            .map(|mc| match &mc.calendar {
                Calendar::Periodic {
                    period, working, ..
                } => {
                    let w: Time = crate::calendar::normalise(working.clone())
                        .iter()
                        .map(|i| i.end.min(*period) - i.start.max(0))
                        .filter(|&l| l > 0)
                        .sum::<Time>()
                        .max(1);
                    // elapsed time needed for `total_work` working units, plus slack
                    (total_work / w + 2) * period
                }
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        let horizon_lo = t_lo - 1;
        let horizon_hi = t_hi.saturating_add(total_work).saturating_add(max_period);

        // Frozen ops: compute ends on calendars without the hard blocks themselves.
        let base_tl: Vec<Option<Timeline>> = p
            .machines
            .iter()
            .map(|mc| {
                let w = working_intervals(&mc.calendar, horizon_lo, horizon_hi);
                if w.is_none() && mc.blocked.is_empty() {
                    None
                } else {
                    Some(Timeline::new(w, &mc.blocked, Vec::new()))
                }
            })
            .collect();
        let mut hard: Vec<Vec<Interval>> = vec![Vec::new(); m];
        for (j, job) in p.jobs.iter().enumerate() {
            for (k, op) in job.operations.iter().enumerate() {
                let Some(f) = &op.frozen else { continue };
                let i = job_start[j] as usize + k;
                let end = match f.end {
                    Some(e) => e.max(f.start),
                    None => {
                        let a = op
                            .alternatives
                            .iter()
                            .find(|a| a.machine == f.machine)
                            .ok_or(ModelError::FrozenNeedsEnd(OpRef { job: j, op: k }))?;
                        match &base_tl[f.machine] {
                            None => f.start + a.duration(),
                            Some(tl) => tl.place(f.start, a.duration()).1.max(f.start),
                        }
                    }
                };
                fixed[i] = Some(FixedOp {
                    machine: f.machine as u32,
                    start: f.start,
                    end,
                });
                hard[f.machine].push(Interval::new(f.start, end));
            }
        }
        let mut plain = true;
        let timelines: Vec<Option<Timeline>> = p
            .machines
            .iter()
            .enumerate()
            .map(|(k, mc)| {
                let w = working_intervals(&mc.calendar, horizon_lo, horizon_hi);
                if w.is_none() && mc.blocked.is_empty() && hard[k].is_empty() {
                    None
                } else {
                    plain = false;
                    Some(Timeline::new(w, &mc.blocked, std::mem::take(&mut hard[k])))
                }
            })
            .collect();

        let mut xpred_idx = vec![0u32];
        let mut xpred = Vec::new();
        let mut xs: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, v) in xp.iter_mut().enumerate() {
            v.sort_unstable();
            v.dedup();
            for &q in v.iter() {
                xpred.push(q);
                xs[q as usize].push(i as u32);
            }
            xpred_idx.push(xpred.len() as u32);
        }
        let mut xsucc_idx = vec![0u32];
        let mut xsucc = Vec::new();
        for v in &xs {
            xsucc.extend_from_slice(v);
            xsucc_idx.push(xsucc.len() as u32);
        }
        let mut static_deg = vec![0u32; n];
        for i in 0..n {
            let mut d = 0;
            if jpred[i] != NONE && fixed[jpred[i] as usize].is_none() {
                d += 1;
            }
            for &q in &xpred[xpred_idx[i] as usize..xpred_idx[i + 1] as usize] {
                if fixed[q as usize].is_none() {
                    d += 1;
                }
            }
            static_deg[i] = d;
        }
        let frozen_flag: Vec<bool> = fixed.iter().map(|f| f.is_some()).collect();
        let jsucc_free = jsucc
            .iter()
            .map(|&s| {
                if s != NONE && !frozen_flag[s as usize] {
                    s
                } else {
                    NONE
                }
            })
            .collect();
        let has_x = !xpred.is_empty();
        let sink_ops = (0..n as u32)
            .filter(|&i| jsucc[i as usize] == NONE || fixed[jsucc[i as usize] as usize].is_some())
            .collect();
        Ok(Inst {
            sink_ops,
            frozen_flag,
            jsucc_free,
            has_x,
            n,
            m,
            n_jobs,
            job_of,
            job_start,
            jpred,
            jsucc,
            lag,
            release,
            xpred_idx,
            xpred,
            xsucc_idx,
            xsucc,
            alt_idx,
            alt_machine,
            alt_dur,
            alt_setup,
            fixed,
            static_deg,
            timelines,
            due,
            weight,
            plain,
            min_dur,
        })
    }
}

/// Check job references and that job-level precedences are acyclic.
fn validate_jobs(p: &Problem) -> Result<(), ModelError> {
    let nj = p.jobs.len();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); nj];
    let mut indeg = vec![0usize; nj];
    for (j, job) in p.jobs.iter().enumerate() {
        let mut preds: Vec<usize> = job.predecessors.clone();
        for (k, op) in job.operations.iter().enumerate() {
            for &a in &op.after_jobs {
                if a >= nj {
                    return Err(ModelError::UnknownJob {
                        what: format!("after_jobs of operation {k} of job {j}"),
                        job: a,
                    });
                }
            }
            preds.extend_from_slice(&op.after_jobs);
        }
        for &q in &preds {
            if q >= nj {
                return Err(ModelError::UnknownJob {
                    what: format!("predecessors of job {j}"),
                    job: q,
                });
            }
            succ[q].push(j);
            indeg[j] += 1;
        }
    }
    let mut stack: Vec<usize> = (0..nj).filter(|&j| indeg[j] == 0).collect();
    let mut seen = 0;
    while let Some(j) = stack.pop() {
        seen += 1;
        for &s in &succ[j] {
            indeg[s] -= 1;
            if indeg[s] == 0 {
                stack.push(s);
            }
        }
    }
    if seen < nj {
        let j = (0..nj).find(|&j| indeg[j] > 0).unwrap_or(0);
        return Err(ModelError::PrecedenceCycle { job: j });
    }
    Ok(())
}
