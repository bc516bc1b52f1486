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
        let (lo, hi) = if from < to {
            (from, to + 1)
        } else {
            (to, from + 1)
        };
        self.relink(k, lo, hi);
    }

    /// Move op `o` to alternative slot `a` (machine `inst.alt_machine[a]`) at index `to`.
    pub fn reassign(&mut self, inst: &Inst, o: usize, a: usize, to: usize) {
        let old = self.mach[o] as usize;
        let p = self.pos[o] as usize;
        self.seq[old].remove(p);
        // everything after the removal point shifts down one place
        let len = self.seq[old].len();
        self.relink(old, p, len);
        let k = inst.alt_machine[a] as usize;
        self.alt[o] = a as u32;
        self.mach[o] = k as u32;
        self.dur[o] = inst.alt_dur[a];
        self.seq[k].insert(to, o as u32);
        let len = self.seq[k].len();
        self.relink(k, to, len);
    }
}

/// Head values of one op saved before an incremental update.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Saved {
    op: u32,
    start: Time,
    end: Time,
    ready: Time,
    hj: Time,
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
    /// Position of each op in `order`.
    pub opos: Vec<u32>,
    indeg: Vec<u32>,
    stack: Vec<u32>,
    mark: Vec<u32>,
    stamp: u32,
    buf: Vec<u32>,
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
            opos: vec![0; n],
            indeg: vec![0; n],
            stack: Vec::with_capacity(n),
            mark: vec![0; n],
            stamp: 0,
            buf: Vec::new(),
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

    /// Head of op `i` from its (already timed) predecessors; sets `hj`, `ready`, start, end.
    #[inline]
    fn time_op(&mut self, inst: &Inst, sol: &Sol, i: usize) {
        let mut h = inst.release[i];
        let jp = inst.jpred[i];
        if jp != NONE {
            h = h.max(self.end[jp as usize] + inst.lag[i]);
        }
        if inst.has_x {
            for &x in inst.xpreds(i) {
                h = h.max(self.end[x as usize]);
            }
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
    }

    /// Compute start/end of every op (semi-active schedule). Returns false on a cycle.
    pub fn forward(&mut self, inst: &Inst, sol: &Sol) -> bool {
        let n = inst.n;
        self.order.clear();
        self.stack.clear();
        let mut free = 0usize;
        for i in 0..n {
            if inst.frozen_flag[i] {
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
            self.opos[i] = self.order.len() as u32;
            self.order.push(iu);
            self.time_op(inst, sol, i);
            let js = inst.jsucc_free[i];
            if js != NONE {
                self.release_succ(js);
            }
            let ms = sol.msucc[i];
            if ms != NONE {
                self.release_succ(ms);
            }
            if inst.has_x {
                for &x in inst.xsuccs(i) {
                    if !inst.frozen_flag[x as usize] {
                        self.release_succ(x);
                    }
                }
            }
        }
        self.order.len() == free
    }

    /// Re-time after a move that changed machine arcs only around `touched` ops (the current
    /// times must be those of the graph before the move). Re-sorts the slice of the topological
    /// order spanned by them, then recomputes heads after and tails before it.
    /// Returns false (leaving times untouched) if the move made a cycle.
    ///
    /// Heads are only recomputed where a predecessor changed (or the op is in the slice), so a
    /// local move costs little even with calendars. With `log`, every overwritten head is saved
    /// there first so [`Times::rollback`] can restore it; `tails = false` skips the tails.
    pub fn update(
        &mut self,
        inst: &Inst,
        sol: &Sol,
        touched: &[u32],
        tails: bool,
        mut log: Option<&mut Vec<Saved>>,
    ) -> bool {
        let mut lo = usize::MAX;
        let mut hi = 0;
        for &x in touched {
            if x != NONE && !inst.frozen_flag[x as usize] {
                let p = self.opos[x as usize] as usize;
                lo = lo.min(p);
                hi = hi.max(p);
            }
        }
        if lo == usize::MAX {
            return true;
        }
        if hi > lo {
            // Kahn's algorithm restricted to the slice: arcs leaving or entering it are
            // consistent with the old order (see module docs of `tabu`).
            self.stamp = self.stamp.wrapping_add(1);
            if self.stamp == 0 {
                self.mark.iter_mut().for_each(|m| *m = 0);
                self.stamp = 1;
            }
            let st = self.stamp;
            self.buf.clear();
            self.buf.extend_from_slice(&self.order[lo..=hi]);
            for &x in &self.buf {
                self.mark[x as usize] = st;
            }
            self.stack.clear();
            for idx in (0..self.buf.len()).rev() {
                let x = self.buf[idx] as usize;
                let mut d = 0;
                let jp = inst.jpred[x];
                if jp != NONE && self.mark[jp as usize] == st {
                    d += 1;
                }
                let mp = sol.mpred[x];
                if mp != NONE && self.mark[mp as usize] == st {
                    d += 1;
                }
                if inst.has_x {
                    for &y in inst.xpreds(x) {
                        if self.mark[y as usize] == st {
                            d += 1;
                        }
                    }
                }
                self.indeg[x] = d;
                if d == 0 {
                    self.stack.push(x as u32);
                }
            }
            let mut p = lo;
            while let Some(xu) = self.stack.pop() {
                let x = xu as usize;
                self.order[p] = xu;
                p += 1;
                let js = inst.jsucc[x];
                if js != NONE && self.mark[js as usize] == st {
                    self.release_succ(js);
                }
                let ms = sol.msucc[x];
                if ms != NONE && self.mark[ms as usize] == st {
                    self.release_succ(ms);
                }
                if inst.has_x {
                    for &y in inst.xsuccs(x) {
                        if self.mark[y as usize] == st {
                            self.release_succ(y);
                        }
                    }
                }
            }
            if p != hi + 1 {
                let (order, buf) = (&mut self.order, &self.buf);
                order[lo..=hi].copy_from_slice(buf);
                return false;
            }
            for idx in lo..=hi {
                self.opos[self.order[idx] as usize] = idx as u32;
            }
        }
        // Slice ops are marked with `st` (when hi > lo) – always re-timed; others only when a
        // predecessor's end changed (`dirty` stamp).
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.mark.iter_mut().for_each(|m| *m = 0);
            self.stamp = 1;
        }
        let dst = self.stamp;
        for idx in lo..=hi {
            let i = self.order[idx] as usize;
            self.mark[i] = dst;
        }
        for &x in touched {
            if x != NONE && !inst.frozen_flag[x as usize] {
                self.mark[x as usize] = dst;
            }
        }
        for idx in lo..self.order.len() {
            let i = self.order[idx] as usize;
            let mut need = self.mark[i] == dst;
            if !need {
                let jp = inst.jpred[i];
                let mp = sol.mpred[i];
                need = (jp != NONE && self.mark[jp as usize] == dst)
                    || (mp != NONE && self.mark[mp as usize] == dst)
                    || (inst.has_x && inst.xpreds(i).iter().any(|&x| self.mark[x as usize] == dst));
                if !need {
                    continue;
                }
            }
            let (os, oe) = (self.start[i], self.end[i]);
            if let Some(l) = log.as_deref_mut() {
                l.push(Saved {
                    op: i as u32,
                    start: os,
                    end: oe,
                    ready: self.ready[i],
                    hj: self.hj[i],
                });
            }
            self.time_op(inst, sol, i);
            if self.end[i] != oe || self.start[i] != os {
                self.mark[i] = dst;
            }
        }
        if tails {
            // Tails are plain sums (no calendar lookups): recomputing them all before the
            // slice measured faster than dirty tracking.
            for idx in (0..=hi).rev() {
                let i = self.order[idx] as usize;
                self.tail_op(inst, sol, i);
            }
        }
        true
    }

    /// Undo the head changes recorded by [`Times::update`].
    pub fn rollback(&mut self, log: &[Saved]) {
        for s in log.iter().rev() {
            let i = s.op as usize;
            self.start[i] = s.start;
            self.end[i] = s.end;
            self.ready[i] = s.ready;
            self.hj[i] = s.hj;
        }
    }

    /// Restore a slice of the topological order (saved before an evaluation).
    pub fn restore_order(&mut self, lo: usize, saved: &[u32]) {
        self.order[lo..lo + saved.len()].copy_from_slice(saved);
        for (k, &x) in saved.iter().enumerate() {
            self.opos[x as usize] = (lo + k) as u32;
        }
    }

    /// Slice of the order spanned by `touched` (what `update` may re-sort).
    pub fn span(&self, inst: &Inst, touched: &[u32]) -> Option<(usize, usize)> {
        let mut lo = usize::MAX;
        let mut hi = 0;
        for &x in touched {
            if x != NONE && !inst.frozen_flag[x as usize] {
                let p = self.opos[x as usize] as usize;
                lo = lo.min(p);
                hi = hi.max(p);
            }
        }
        (lo != usize::MAX).then_some((lo, hi))
    }

    #[inline]
    fn tail_op(&mut self, inst: &Inst, sol: &Sol, i: usize) {
        let mut tj = 0;
        let js = inst.jsucc_free[i];
        if js != NONE {
            let js = js as usize;
            tj = inst.lag[js] + sol.dur[js] + self.q[js];
        }
        if inst.has_x {
            for &x in inst.xsuccs(i) {
                let x = x as usize;
                if !inst.frozen_flag[x] {
                    tj = tj.max(sol.dur[x] + self.q[x]);
                }
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
            self.tail_op(inst, sol, i);
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
        // Only ops without a non-frozen job successor can end last.
        let mk = inst
            .sink_ops
            .iter()
            .map(|&i| self.end[i as usize])
            .max()
            .unwrap_or(0);
        self.makespan = mk;
        let mut c = obj.cost(inst, &self.end, mk);
        if let Some(s) = stab {
            c.primary += s.penalty(&self.start, mach);
        }
        self.cost = c;
    }
}
