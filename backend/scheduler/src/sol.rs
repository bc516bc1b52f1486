//! Solution representation (machine assignment + sequences) and its exact evaluation.
//!
//! A solution fixes, for every non-frozen operation, a machine and its position in that
//! machine's sequence. Times follow as the semi-active schedule: every operation starts as early
//! as its job predecessor (+ lag), cross-job predecessors, release, machine predecessor and the
//! machine calendar allow.

use crate::inst::{Inst, NONE};
use crate::model::Time;
use crate::objective::{Cost, Objective, StabilityRef};

#[derive(Clone, Debug)]
pub(crate) struct Sol {
    /// Chosen alternative slot (index into the instance's alternative arrays) per op.
    pub alt: Vec<u32>,
    pub mach: Vec<u32>,
    pub dur: Vec<Time>,
    /// Per machine: non-frozen ops in processing order.
    pub seq: Vec<Vec<u32>>,
    pub mpred: Vec<u32>,
    pub msucc: Vec<u32>,
    pub pos: Vec<u32>,
}

impl Sol {
    /// Build from per-op alternative choices and machine sequences.
    pub fn new(inst: &Inst, alt: Vec<u32>, seq: Vec<Vec<u32>>) -> Sol {
        let n = inst.n;
        let mut mach = vec![NONE; n];
        let mut dur = vec![0; n];
        for i in 0..n {
            if let Some(f) = inst.fixed[i] {
                mach[i] = f.machine;
                dur[i] = f.end - f.start;
            } else {
                let a = alt[i] as usize;
                mach[i] = inst.alt_machine[a];
                dur[i] = inst.alt_dur[a];
            }
        }
        let mut s = Sol {
            alt,
            mach,
            dur,
            seq,
            mpred: vec![NONE; n],
            msucc: vec![NONE; n],
            pos: vec![NONE; n],
        };
        for k in 0..inst.m {
            s.relink(k, 0, s.seq[k].len());
        }
        s
    }

    /// Refresh links and positions for `seq[k][lo..hi]` and the neighbour on each side.
    pub fn relink(&mut self, k: usize, lo: usize, hi: usize) {
        let seq = &self.seq[k];
        let len = seq.len();
        let lo = lo.saturating_sub(1);
        let hi = (hi + 1).min(len);
        for p in lo..hi {
            let o = seq[p] as usize;
            self.pos[o] = p as u32;
            self.mpred[o] = if p > 0 { seq[p - 1] } else { NONE };
            self.msucc[o] = if p + 1 < len { seq[p + 1] } else { NONE };
        }
    }

    /// Move the op at `from` to index `to` of machine `k`'s sequence.
    pub fn shift(&mut self, k: usize, from: usize, to: usize) {
        let v = self.seq[k].remove(from);
        self.seq[k].insert(to, v);
        let (lo, hi) = if from < to { (from, to + 1) } else { (to, from + 1) };
        self.relink(k, lo, hi);
    }

    /// Move op `o` to alternative slot `a` (machine `inst.alt_machine[a]`) at index `to`.
    pub fn reassign(&mut self, inst: &Inst, o: usize, a: usize, to: usize) {
        let old = self.mach[o] as usize;
        let p = self.pos[o] as usize;
        self.seq[old].remove(p);
        self.relink(old, p, p);
        let k = inst.alt_machine[a] as usize;
        self.alt[o] = a as u32;
        self.mach[o] = k as u32;
        self.dur[o] = inst.alt_dur[a];
        self.seq[k].insert(to, o as u32);
        self.relink(k, to, to + 1);
    }
}

/// Times and derived data of one evaluated solution.
#[derive(Clone, Debug, Default)]
pub(crate) struct Times {
    pub start: Vec<Time>,
    pub end: Vec<Time>,
    /// Earliest start from all predecessors (before the calendar pushes it).
    pub ready: Vec<Time>,
    /// Earliest start from non-machine predecessors and release only.
    pub hj: Vec<Time>,
    /// Tail: longest path (in working durations) from the op's end to the end of the schedule.
    pub q: Vec<Time>,
    /// Tail over non-machine successors only.
    pub tj: Vec<Time>,
    /// Topological order of the non-frozen ops.
    pub order: Vec<u32>,
    indeg: Vec<u32>,
    stack: Vec<u32>,
    pub cost: Cost,
    pub makespan: Time,
}

impl Times {
    pub fn new(inst: &Inst) -> Times {
        let n = inst.n;
        let mut t = Times {
            start: vec![0; n],
            end: vec![0; n],
            ready: vec![0; n],
            hj: vec![0; n],
            q: vec![0; n],
            tj: vec![0; n],
            order: Vec::with_capacity(n),
            indeg: vec![0; n],
            stack: Vec::with_capacity(n),
            cost: Cost::default(),
            makespan: 0,
        };
        for i in 0..n {
            if let Some(f) = inst.fixed[i] {
                t.start[i] = f.start;
                t.end[i] = f.end;
                t.ready[i] = f.start;
                t.hj[i] = f.start;
            }
        }
        t
    }

    /// Compute start/end of every op (semi-active schedule). Returns false on a cycle.
    pub fn forward(&mut self, inst: &Inst, sol: &Sol) -> bool {
        let n = inst.n;
        self.order.clear();
        self.stack.clear();
        let mut free = 0usize;
        for i in 0..n {
            if inst.fixed[i].is_some() {
                continue;
            }
            free += 1;
            let d = inst.static_deg[i] + u32::from(sol.mpred[i] != NONE);
            self.indeg[i] = d;
            if d == 0 {
                self.stack.push(i as u32);
            }
        }
        while let Some(iu) = self.stack.pop() {
            let i = iu as usize;
            self.order.push(iu);
            let mut h = inst.release[i];
            let jp = inst.jpred[i];
            if jp != NONE {
                h = h.max(self.end[jp as usize] + inst.lag[i]);
            }
            for &x in inst.xpreds(i) {
                h = h.max(self.end[x as usize]);
            }
            self.hj[i] = h;
            let mp = sol.mpred[i];
            let r = if mp != NONE {
                h.max(self.end[mp as usize])
            } else {
                h
            };
            self.ready[i] = r;
            let (s, e) = inst.place(sol.mach[i] as usize, r, sol.dur[i]);
            self.start[i] = s;
            self.end[i] = e;
            let js = inst.jsucc[i];
            if js != NONE && inst.fixed[js as usize].is_none() {
                self.release_succ(js);
            }
            let ms = sol.msucc[i];
            if ms != NONE {
                self.release_succ(ms);
            }
            for &x in inst.xsuccs(i) {
                if inst.fixed[x as usize].is_none() {
                    self.release_succ(x);
                }
            }
        }
        self.order.len() == free
    }

    #[inline]
    fn release_succ(&mut self, s: u32) {
        let d = &mut self.indeg[s as usize];
        *d -= 1;
        if *d == 0 {
            self.stack.push(s);
        }
    }

    /// Tails in working durations (exact without calendars, an estimate with them).
    pub fn backward(&mut self, inst: &Inst, sol: &Sol) {
        for idx in (0..self.order.len()).rev() {
            let i = self.order[idx] as usize;
            let mut tj = 0;
            let js = inst.jsucc[i];
            if js != NONE && inst.fixed[js as usize].is_none() {
                let js = js as usize;
                tj = inst.lag[js] + sol.dur[js] + self.q[js];
            }
            for &x in inst.xsuccs(i) {
                let x = x as usize;
                if inst.fixed[x].is_none() {
                    tj = tj.max(sol.dur[x] + self.q[x]);
                }
            }
            self.tj[i] = tj;
            let ms = sol.msucc[i];
            self.q[i] = if ms != NONE {
                let ms = ms as usize;
                tj.max(sol.dur[ms] + self.q[ms])
            } else {
                tj
            };
        }
    }

    /// Objective value of the computed times.
    pub fn evaluate(
        &mut self,
        inst: &Inst,
        obj: &Objective,
        stab: Option<&StabilityRef>,
        mach: &[u32],
    ) {
        let mk = self.end.iter().copied().max().unwrap_or(0);
        self.makespan = mk;
        let mut c = obj.cost(inst, &self.end, mk);
        if let Some(s) = stab {
            c.primary += s.penalty(&self.start, Some(mach));
        }
        self.cost = c;
    }
}
