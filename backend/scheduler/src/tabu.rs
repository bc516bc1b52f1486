//! Tabu search on the disjunctive graph.
//!
//! * Neighbourhood: critical blocks of a critical path (to the makespan, to late jobs, to
//!   displaced operations) with N7-style moves (Zhang et al. 2007: an operation of a block moved
//!   to the block's front or back, the first/last one moved into the block), plus, for operations
//!   with several eligible machines, reassignment to another machine at any position
//!   (Mastrolilli & Gambardella 2000).
//! * Evaluation: for pure makespan, moves are ranked by the classic head/tail estimate
//!   (Balas & Vazacopoulos 1998) in O(block length); for other objectives (weighted tardiness,
//!   stability) each candidate is evaluated exactly by re-timing the schedule.
//! * Acyclicity: sufficient conditions on the current times mark a move safe; an unsafe move is
//!   only taken after the re-timing confirms it has no cycle.
//! * Tabu attributes: the machine-order pairs a move reverses (and, for reassignment, the machine
//!   left), with randomised tenure. Stagnation triggers a restart from an elite solution with a
//!   random perturbation.

use crate::calendar::INF;
use crate::inst::{Inst, NONE};
use crate::model::Time;
use crate::objective::{Cost, Objective, StabilityRef};
use crate::rng::Rng;
use crate::sol::{Sol, Times};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

type Pool = Vec<(Cost, Sol)>;

fn lock(p: &Mutex<Pool>) -> std::sync::MutexGuard<'_, Pool> {
    p.lock().unwrap_or_else(|e| e.into_inner())
}

/// Flexible instances: how many best-estimated moves are evaluated exactly per step.
const RERANK: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mv {
    /// Move the op at index `from` of machine `k` to index `to`.
    Shift { k: u32, from: u32, to: u32 },
    /// Move `op` to alternative slot `alt` at index `to` of that machine's sequence.
    Reassign { op: u32, alt: u32, to: u32 },
}

/// Forbidden machine orders `a before b` until an iteration.
enum TabuPairs {
    Dense { n: usize, v: Vec<u32> },
    Sparse(HashMap<u64, u32>),
}

impl TabuPairs {
    fn new(n: usize) -> Self {
        if n <= 3000 {
            TabuPairs::Dense {
                n,
                v: vec![0; n * n],
            }
        } else {
            TabuPairs::Sparse(HashMap::new())
        }
    }
    #[inline]
    fn get(&self, a: u32, b: u32) -> u32 {
        match self {
            TabuPairs::Dense { n, v } => v[a as usize * n + b as usize],
            TabuPairs::Sparse(h) => h.get(&((a as u64) << 32 | b as u64)).copied().unwrap_or(0),
        }
    }
    #[inline]
    fn set(&mut self, a: u32, b: u32, until: u32) {
        match self {
            TabuPairs::Dense { n, v } => v[a as usize * *n + b as usize] = until,
            TabuPairs::Sparse(h) => {
                if h.len() > 1 << 20 {
                    h.clear();
                }
                h.insert((a as u64) << 32 | b as u64, until);
            }
        }
    }
    fn clear(&mut self) {
        match self {
            TabuPairs::Dense { v, .. } => v.iter_mut().for_each(|x| *x = 0),
            TabuPairs::Sparse(h) => h.clear(),
        }
    }
}

/// Limits and shared signals for one search thread.
pub(crate) struct Limits<'a> {
    pub deadline: Option<Instant>,
    pub max_iters: Option<u64>,
    pub cancel: Option<&'a AtomicBool>,
    /// Internal stop signal (another thread proved optimality).
    pub stop: Option<&'a AtomicBool>,
    /// Path-relinking pool shared by the threads (time-limited runs only).
    pub shared_pool: Option<&'a Mutex<Pool>>,
    /// Stop when the cost reaches this (a proven lower bound).
    pub target: Option<Cost>,
    /// Called on each new best of this thread (cost, iteration).
    pub on_improve: Option<&'a (dyn Fn(Cost, u64) + Sync)>,
    /// Called every 1024 iterations with the iterations done since the last call.
    pub on_iters: Option<&'a (dyn Fn(u64) + Sync)>,
}

pub(crate) struct Search<'a> {
    inst: &'a Inst,
    obj: Objective,
    stab: Option<&'a StabilityRef>,
    exact: bool,
    pub sol: Sol,
    pub t: Times,
    rng: Rng,
    tabu: TabuPairs,
    tabu_mach: Vec<u32>,
    titer: u32,
    tenure_lo: u32,
    tenure_hi: u32,
    pub best: Sol,
    pub best_cost: Cost,
    elite: Vec<(Cost, Sol)>,
    pub iters: u64,
    /// Iterations already passed to `on_iters`.
    reported: u64,
    // scratch buffers
    path: Vec<u32>,
    cands: Vec<(Time, Mv, bool)>,
    exact_cands: Vec<Mv>,
    seg: Vec<(u32, Time)>,
    touched: Vec<u32>,
    shifts: Vec<(u32, u32, u32)>,
    order_buf: Vec<u32>,
    log: Vec<crate::sol::Saved>,
    flexible: bool,
}

impl<'a> Search<'a> {
    pub fn new(
        inst: &'a Inst,
        obj: Objective,
        stab: Option<&'a StabilityRef>,
        start: Sol,
        seed: u64,
    ) -> Search<'a> {
        let exact = !(obj == Objective::Makespan && stab.is_none());
        let mut t = Times::new(inst);
        let ok = t.forward(inst, &start);
        debug_assert!(ok, "start solution must be acyclic");
        t.backward(inst, &start);
        t.evaluate(inst, &obj, stab, &start.mach);
        let jobs_per_machine = inst.n_jobs / inst.m.max(1);
        // Zhang et al.'s tenure 10 + n/m, shortened a little (measured better here).
        let lo = (10 + jobs_per_machine) as u32 * 4 / 5;
        let hi = if inst.n_jobs <= 2 * inst.m {
            lo * 14 / 10
        } else {
            lo * 15 / 10
        };
        let flexible = (0..inst.n).any(|i| !inst.is_fixed(i) && inst.alts(i).len() > 1);
        Search {
            inst,
            obj,
            stab,
            exact,
            best: start.clone(),
            best_cost: t.cost,
            sol: start,
            t,
            rng: Rng::new(seed),
            tabu: TabuPairs::new(inst.n),
            tabu_mach: vec![0; if flexible { inst.n * inst.m } else { 0 }],
            titer: 1,
            tenure_lo: lo,
            tenure_hi: hi.max(lo + 1),
            elite: Vec::new(),
            iters: 0,
            reported: 0,
            path: Vec::new(),
            cands: Vec::new(),
            exact_cands: Vec::new(),
            seg: Vec::new(),
            touched: Vec::new(),
            shifts: Vec::new(),
            order_buf: Vec::new(),
            log: Vec::new(),
            flexible,
        }
    }

    fn retime(&mut self) -> bool {
        if !self.t.forward(self.inst, &self.sol) {
            return false;
        }
        self.t.backward(self.inst, &self.sol);
        self.t
            .evaluate(self.inst, &self.obj, self.stab, &self.sol.mach);
        true
    }

    /// Apply a move and return its inverse.
    fn apply(&mut self, mv: Mv) -> Mv {
        match mv {
            Mv::Shift { k, from, to } => {
                self.sol.shift(k as usize, from as usize, to as usize);
                Mv::Shift {
                    k,
                    from: to,
                    to: from,
                }
            }
            Mv::Reassign { op, alt, to } => {
                let o = op as usize;
                let inv = Mv::Reassign {
                    op,
                    alt: self.sol.alt[o],
                    to: self.sol.pos[o],
                };
                self.sol.reassign(self.inst, o, alt as usize, to as usize);
                inv
            }
        }
    }

    /// Record tabu attributes of a move about to be applied.
    fn make_tabu(&mut self, mv: Mv) {
        let tenure =
            self.tenure_lo + self.rng.below((self.tenure_hi - self.tenure_lo) as usize) as u32;
        let until = self.titer + tenure;
        match mv {
            Mv::Shift { k, from, to } => {
                let seq = &self.sol.seq[k as usize];
                let u = seq[from as usize];
                if to < from {
                    for &x in &seq[to as usize..from as usize] {
                        self.tabu.set(x, u, until);
                    }
                } else {
                    for &x in &seq[from as usize + 1..=to as usize] {
                        self.tabu.set(u, x, until);
                    }
                }
            }
            Mv::Reassign { op, .. } => {
                let old = self.sol.mach[op as usize] as usize;
                self.tabu_mach[op as usize * self.inst.m + old] = until;
            }
        }
    }

    fn is_tabu(&self, mv: Mv) -> bool {
        match mv {
            Mv::Shift { k, from, to } => {
                let seq = &self.sol.seq[k as usize];
                let u = seq[from as usize];
                if to < from {
                    seq[to as usize..from as usize]
                        .iter()
                        .any(|&x| self.tabu.get(u, x) > self.titer)
                } else {
                    seq[from as usize + 1..=to as usize]
                        .iter()
                        .any(|&x| self.tabu.get(x, u) > self.titer)
                }
            }
            Mv::Reassign { op, alt, .. } => {
                let k = self.inst.alt_machine[alt as usize] as usize;
                self.tabu_mach[op as usize * self.inst.m + k] > self.titer
            }
        }
    }

    /// Trace a critical path backwards from op `from` through binding predecessors.
    fn trace(&mut self, from: usize) {
        let inst = self.inst;
        let t = &self.t;
        self.path.clear();
        let mut cur = from;
        loop {
            self.path.push(cur as u32);
            let r = t.ready[cur];
            let mut choice = NONE;
            let mut count = 0;
            let mp = self.sol.mpred[cur];
            if mp != NONE && t.end[mp as usize] == r {
                choice = mp;
                count = 1;
            }
            let jp = inst.jpred[cur];
            if jp != NONE && !inst.is_fixed(jp as usize) && t.end[jp as usize] + inst.lag[cur] == r
            {
                count += 1;
                if self.rng.below(count) == 0 {
                    choice = jp;
                }
            }
            for &x in inst.xpreds(cur) {
                if !inst.is_fixed(x as usize) && t.end[x as usize] == r {
                    count += 1;
                    if self.rng.below(count) == 0 {
                        choice = x;
                    }
                }
            }
            if choice == NONE || self.path.len() > inst.n {
                break;
            }
            cur = choice as usize;
        }
        self.path.reverse();
    }

    /// Head/tail estimate of the longest path through the segment a shift changes.
    fn estimate_shift(&mut self, k: usize, from: usize, to: usize) -> Time {
        let inst = self.inst;
        let seq = &self.sol.seq[k];
        let t = &self.t;
        let dur = &self.sol.dur;
        let (lo, hi) = if from < to { (from, to) } else { (to, from) };
        self.seg.clear();
        let u = seq[from];
        if to < from {
            self.seg.push((u, 0));
            for &x in &seq[to..from] {
                self.seg.push((x, 0));
            }
        } else {
            for &x in &seq[from + 1..=to] {
                self.seg.push((x, 0));
            }
            self.seg.push((u, 0));
        }
        let mut e_prev = if lo > 0 {
            t.end[seq[lo - 1] as usize]
        } else {
            -INF
        };
        for s in self.seg.iter_mut() {
            let x = s.0 as usize;
            let r = t.hj[x].max(e_prev);
            s.1 = r;
            e_prev = if inst.plain {
                r + dur[x]
            } else {
                let (st, en) = inst.place(k, r, dur[x]);
                s.1 = st;
                en
            };
        }
        let mut q_next = if hi + 1 < seq.len() {
            let y = seq[hi + 1] as usize;
            dur[y] + t.q[y]
        } else {
            0
        };
        let mut est = 0;
        for &(x, r) in self.seg.iter().rev() {
            let x = x as usize;
            let q = t.tj[x].max(q_next);
            est = est.max(r + dur[x] + q);
            q_next = dur[x] + q;
        }
        est
    }

    /// Sufficient acyclicity condition of a shift (see module docs).
    fn shift_safe(&self, k: usize, from: usize, to: usize) -> bool {
        let inst = self.inst;
        let seq = &self.sol.seq[k];
        let t = &self.t;
        let u = seq[from] as usize;
        let v = seq[to] as usize;
        if to < from {
            // u moves before v: no non-machine predecessor of u may be reachable from v.
            let ev = t.end[v];
            let jp = inst.jpred[u];
            if jp != NONE && !inst.is_fixed(jp as usize) && t.end[jp as usize] >= ev {
                return false;
            }
            inst.xpreds(u)
                .iter()
                .all(|&x| inst.is_fixed(x as usize) || t.end[x as usize] < ev)
        } else {
            let sv = t.start[v];
            let js = inst.jsucc[u];
            if js != NONE && !inst.is_fixed(js as usize) && t.start[js as usize] <= sv {
                return false;
            }
            inst.xsuccs(u)
                .iter()
                .all(|&x| inst.is_fixed(x as usize) || t.start[x as usize] > sv)
        }
    }

    /// Acyclicity condition for inserting `v` between `a` and `b` (either may be NONE).
    fn insert_safe(&self, v: usize, a: u32, b: u32) -> bool {
        let inst = self.inst;
        let t = &self.t;
        if b != NONE {
            let eb = t.end[b as usize];
            let jp = inst.jpred[v];
            if jp != NONE && (jp == b || t.end[jp as usize] >= eb) {
                return false;
            }
            if inst
                .xpreds(v)
                .iter()
                .any(|&x| x == b || t.end[x as usize] >= eb)
            {
                return false;
            }
        }
        if a != NONE {
            let sa = t.start[a as usize];
            let js = inst.jsucc[v];
            if js != NONE && (js == a || t.start[js as usize] <= sa) {
                return false;
            }
            if inst
                .xsuccs(v)
                .iter()
                .any(|&x| x == a || t.start[x as usize] <= sa)
            {
                return false;
            }
        }
        true
    }

    /// N7 moves of the blocks of the current path, as (k, from, to).
    fn block_moves(&self, out: &mut Vec<(u32, u32, u32)>) {
        let path = &self.path;
        let sol = &self.sol;
        let mut i = 0;
        while i < path.len() {
            let mut j = i;
            while j + 1 < path.len() && sol.mpred[path[j + 1] as usize] == path[j] {
                j += 1;
            }
            if j > i {
                let k = sol.mach[path[i] as usize];
                let p0 = sol.pos[path[i] as usize];
                let pk = sol.pos[path[j] as usize];
                let len = pk - p0;
                // to the front / to the back
                for x in 1..=len {
                    out.push((k, p0 + x, p0));
                }
                for x in 0..len {
                    out.push((k, p0 + x, pk));
                }
                // first op into the interior, last op into the interior
                for x in 2..len {
                    out.push((k, p0, p0 + x));
                }
                for x in 1..len.saturating_sub(1) {
                    out.push((k, pk, p0 + x));
                }
            }
            i = j + 1;
        }
    }

    /// Generate estimate-ranked candidates from the current path into `self.cands`.
    fn estimate_candidates(&mut self) {
        self.cands.clear();
        let mut shifts = std::mem::take(&mut self.shifts);
        shifts.clear();
        self.block_moves(&mut shifts);
        for &(k, from, to) in &shifts {
            let est = self.estimate_shift(k as usize, from as usize, to as usize);
            let safe = self.shift_safe(k as usize, from as usize, to as usize);
            self.cands.push((est, Mv::Shift { k, from, to }, safe));
        }
        self.shifts = shifts;
        if self.flexible {
            for pi in 0..self.path.len() {
                let v = self.path[pi] as usize;
                self.reassign_candidates(v);
            }
        }
    }

    /// Reassignment of `v` to each other eligible machine at every position.
    fn reassign_candidates(&mut self, v: usize) {
        let inst = self.inst;
        if inst.alts(v).len() < 2 {
            return;
        }
        let t = &self.t;
        let cur = self.sol.mach[v];
        for a in inst.alts(v) {
            let k = inst.alt_machine[a];
            if k == cur {
                continue;
            }
            let p = inst.alt_dur[a];
            let seq = &self.sol.seq[k as usize];
            let hj = t.hj[v];
            let tj = t.tj[v];
            let mut best: Option<(Time, u32, bool)> = None;
            for to in 0..=seq.len() {
                let pa = if to > 0 { seq[to - 1] } else { NONE };
                let pb = if to < seq.len() { seq[to] } else { NONE };
                let r = if pa != NONE {
                    hj.max(t.end[pa as usize])
                } else {
                    hj
                };
                let q = if pb != NONE {
                    tj.max(self.sol.dur[pb as usize] + t.q[pb as usize])
                } else {
                    tj
                };
                let e = if inst.plain {
                    r + p
                } else {
                    inst.place(k as usize, r, p).1
                };
                let est = e + q;
                if best.is_none_or(|b| est < b.0) {
                    let safe = self.insert_safe(v, pa, pb);
                    if safe {
                        best = Some((est, to as u32, safe));
                    }
                }
            }
            if let Some((est, to, safe)) = best {
                self.cands.push((
                    est,
                    Mv::Reassign {
                        op: v as u32,
                        alt: a as u32,
                        to,
                    },
                    safe,
                ));
            }
        }
    }

    /// Pick the makespan-critical end op (random among ties). Only ops without a non-frozen
    /// job successor can end last, so those are scanned.
    fn makespan_op(&mut self) -> Option<usize> {
        let inst = self.inst;
        let t = &self.t;
        let mk = inst
            .sink_ops
            .iter()
            .filter(|&&i| !inst.frozen_flag[i as usize])
            .map(|&i| t.end[i as usize])
            .max()?;
        let mut pick = None;
        let mut c = 0;
        for &i in &inst.sink_ops {
            let i = i as usize;
            if !inst.frozen_flag[i] && t.end[i] == mk {
                c += 1;
                if self.rng.below(c) == 0 {
                    pick = Some(i);
                }
            }
        }
        pick
    }

    /// One estimate-mode step. Returns false if no move was possible.
    fn step_estimate(&mut self) -> bool {
        let Some(end_op) = self.makespan_op() else {
            return false;
        };
        self.trace(end_op);
        self.estimate_candidates();
        if self.cands.is_empty() {
            return false;
        }
        let best_mk = self.best_cost.primary;
        // Flexible instances: the reassignment estimate only sees the path through the moved
        // op, so the few best-estimated moves are re-ranked by their exact makespan.
        if self.flexible
            && RERANK > 0
            && let Some(ci) = self.pick_reranked(best_mk)
        {
            let (_, mv, safe) = self.cands.swap_remove(ci);
            if self.try_move(mv, safe) {
                return true;
            }
        }
        loop {
            // best admissible by estimate, random among ties
            let mut pick: Option<usize> = None;
            let mut pick_est = Time::MAX;
            let mut ties = 0;
            for (ci, &(est, mv, _)) in self.cands.iter().enumerate() {
                if est > pick_est {
                    continue;
                }
                if self.is_tabu(mv) && est >= best_mk {
                    continue;
                }
                if est < pick_est {
                    pick_est = est;
                    pick = Some(ci);
                    ties = 1;
                } else {
                    ties += 1;
                    if self.rng.below(ties) == 0 {
                        pick = Some(ci);
                    }
                }
            }
            let ci = match pick {
                Some(ci) => ci,
                // everything tabu: take a random move
                None => self.rng.below(self.cands.len()),
            };
            let (_, mv, safe) = self.cands.swap_remove(ci);
            if self.try_move(mv, safe) {
                return true;
            }
            if self.cands.is_empty() {
                return false;
            }
        }
    }

    /// Among the `RERANK` best admissible candidates by estimate, the one with the best exact
    /// cost (cyclic ones skipped).
    fn pick_reranked(&mut self, best_mk: Time) -> Option<usize> {
        let mut order: Vec<usize> = (0..self.cands.len())
            .filter(|&ci| {
                let (est, mv, _) = self.cands[ci];
                est < best_mk || !self.is_tabu(mv)
            })
            .collect();
        for x in (1..order.len()).rev() {
            let y = self.rng.below(x + 1);
            order.swap(x, y);
        }
        order.sort_by_key(|&ci| self.cands[ci].0);
        order.truncate(RERANK);
        let mut best: Option<(Cost, usize)> = None;
        for ci in order {
            let mv = self.cands[ci].1;
            if let Some(c) = self.eval_exact(mv)
                && best.is_none_or(|b| c < b.0)
            {
                best = Some((c, ci));
            }
        }
        best.map(|b| b.1)
    }

    /// Ops whose machine arcs a move changes, plus the op that gets a new machine predecessor.
    fn fill_touched(&self, mv: Mv, touched: &mut Vec<u32>) {
        touched.clear();
        match mv {
            Mv::Shift { k, from, to } => {
                let seq = &self.sol.seq[k as usize];
                let (lo, hi) = if from < to { (from, to) } else { (to, from) };
                touched.extend_from_slice(&seq[lo as usize..=hi as usize]);
                // gets a new machine predecessor: its head must be redone
                if (hi as usize) + 1 < seq.len() {
                    touched.push(seq[hi as usize + 1]);
                }
            }
            Mv::Reassign { op, alt, to } => {
                let o = op as usize;
                touched.extend_from_slice(&[op, self.sol.mpred[o], self.sol.msucc[o]]);
                let seq = &self.sol.seq[self.inst.alt_machine[alt as usize] as usize];
                let to = to as usize;
                if to > 0 {
                    touched.push(seq[to - 1]);
                }
                if to < seq.len() {
                    touched.push(seq[to]);
                }
            }
        }
    }

    /// Apply `mv` (with tabu bookkeeping) and retime; undo it if it made a cycle.
    fn try_move(&mut self, mv: Mv, safe: bool) -> bool {
        let mut touched = std::mem::take(&mut self.touched);
        self.fill_touched(mv, &mut touched);
        self.make_tabu(mv);
        let inv = self.apply(mv);
        let ok = self.t.update(self.inst, &self.sol, &touched, true, None);
        self.touched = touched;
        if ok {
            self.t
                .evaluate(self.inst, &self.obj, self.stab, &self.sol.mach);
            return true;
        }
        debug_assert!(!safe, "a move judged safe produced a cycle");
        // `update` left the times of the old graph in place.
        self.apply(inv);
        false
    }

    /// Exact cost of a move (None if it makes a cycle); the state is left unchanged.
    fn eval_exact(&mut self, mv: Mv) -> Option<Cost> {
        let mut touched = std::mem::take(&mut self.touched);
        self.fill_touched(mv, &mut touched);
        let (lo, hi) = self.t.span(self.inst, &touched)?;
        let mut order_buf = std::mem::take(&mut self.order_buf);
        order_buf.clear();
        order_buf.extend_from_slice(&self.t.order[lo..=hi]);
        let mut log = std::mem::take(&mut self.log);
        log.clear();
        let saved = (self.t.cost, self.t.makespan);
        let inv = self.apply(mv);
        let ok = self
            .t
            .update(self.inst, &self.sol, &touched, false, Some(&mut log));
        let cost = if ok {
            self.t
                .evaluate(self.inst, &self.obj, self.stab, &self.sol.mach);
            let c = self.t.cost;
            self.t.rollback(&log);
            self.t.restore_order(lo, &order_buf);
            Some(c)
        } else {
            None
        };
        (self.t.cost, self.t.makespan) = saved;
        self.apply(inv);
        self.touched = touched;
        self.order_buf = order_buf;
        self.log = log;
        cost
    }

    /// Targets for exact mode: the makespan op, late jobs, displaced reference ops.
    fn exact_targets(&mut self) -> Vec<usize> {
        let inst = self.inst;
        let mut targets = Vec::new();
        if self.obj == Objective::WeightedTardinessThenMakespan {
            let mut late: Vec<(usize, i64)> = Vec::new();
            for j in 0..inst.n_jobs {
                let l = inst.job_last(j);
                if let Some(d) = inst.due[j] {
                    let c = self.t.end[l];
                    if c > d && !inst.is_fixed(l) && inst.weight[j] > 0 {
                        late.push((l, inst.weight[j] * (c - d)));
                    }
                }
            }
            // One late job per step, drawn in proportion to its weighted tardiness (several
            // per step measured worse: fewer, cheaper steps win).
            if !late.is_empty() {
                let tot: i64 = late.iter().map(|x| x.1).sum();
                let mut r = self.rng.range(0, tot.max(1) - 1);
                let mut idx = 0;
                for (ii, x) in late.iter().enumerate() {
                    if r < x.1 {
                        idx = ii;
                        break;
                    }
                    r -= x.1;
                }
                targets.push(late[idx].0);
            }
        }
        if let Some(s) = self.stab {
            let displaced: Vec<usize> = s
                .ops
                .iter()
                .filter(|&&(i, _, t0, ..)| self.t.start[i as usize] > t0)
                .map(|&(i, ..)| i as usize)
                .collect();
            if !displaced.is_empty() {
                targets.push(displaced[self.rng.below(displaced.len())]);
            }
        }
        if (targets.is_empty() || self.rng.chance(0.3))
            && let Some(e) = self.makespan_op()
        {
            targets.push(e);
        }
        targets
    }

    /// One exact-mode step: candidates from several critical paths, each re-timed exactly.
    fn step_exact(&mut self, max_cands: usize) -> bool {
        let inst = self.inst;
        let targets = self.exact_targets();
        let mut shifts = Vec::new();
        let mut reassign_ops = Vec::new();
        for tgt in targets {
            self.trace(tgt);
            self.block_moves(&mut shifts);
            if self.flexible {
                for &v in &self.path {
                    if inst.alts(v as usize).len() > 1 {
                        reassign_ops.push(v);
                    }
                }
            }
        }
        shifts.sort_unstable();
        shifts.dedup();
        reassign_ops.sort_unstable();
        reassign_ops.dedup();
        self.exact_cands.clear();
        for (k, from, to) in shifts {
            self.exact_cands.push(Mv::Shift { k, from, to });
        }
        for v in reassign_ops {
            let v = v as usize;
            let sv = self.t.start[v];
            for a in inst.alts(v) {
                let k = inst.alt_machine[a] as usize;
                if k == self.sol.mach[v] as usize {
                    continue;
                }
                // positions around the op's current start time on the other machine
                let seq = &self.sol.seq[k];
                let p = seq.partition_point(|&x| self.t.start[x as usize] < sv);
                let lo = p.saturating_sub(1);
                let hi = (p + 1).min(seq.len());
                for to in lo..=hi {
                    self.exact_cands.push(Mv::Reassign {
                        op: v as u32,
                        alt: a as u32,
                        to: to as u32,
                    });
                }
            }
        }
        if self.exact_cands.is_empty() {
            return false;
        }
        // random subset if too many
        let nc = self.exact_cands.len();
        if nc > max_cands {
            for x in 0..max_cands {
                let y = x + self.rng.below(nc - x);
                self.exact_cands.swap(x, y);
            }
            self.exact_cands.truncate(max_cands);
        }
        let mut best: Option<(Cost, Mv)> = None;
        let mut ties = 0;
        let cands = std::mem::take(&mut self.exact_cands);
        for &mv in &cands {
            let tabu = self.is_tabu(mv);
            let Some(c) = self.eval_exact(mv) else {
                continue;
            };
            if tabu && c >= self.best_cost {
                continue;
            }
            match best {
                Some((bc, _)) if c > bc => {}
                Some((bc, _)) if c == bc => {
                    ties += 1;
                    if self.rng.below(ties) == 0 {
                        best = Some((c, mv));
                    }
                }
                _ => {
                    best = Some((c, mv));
                    ties = 1;
                }
            }
        }
        let chosen = match best {
            Some((_, mv)) => mv,
            None => cands[self.rng.below(cands.len())],
        };
        self.exact_cands = cands;
        self.try_move(chosen, false)
    }

    fn record_best(&mut self) -> bool {
        if self.t.cost < self.best_cost {
            self.best_cost = self.t.cost;
            self.best.clone_from(&self.sol);
            true
        } else {
            false
        }
    }

    fn push_elite(&mut self) {
        const ELITE: usize = 8;
        let c = self.t.cost;
        if self.elite.iter().any(|(ec, _)| *ec == c) {
            return;
        }
        if self.elite.len() < ELITE {
            self.elite.push((c, self.sol.clone()));
        } else if let Some(w) = (0..self.elite.len()).max_by_key(|&i| self.elite[i].0)
            && c < self.elite[w].0
        {
            self.elite[w] = (c, self.sol.clone());
        }
    }

    /// Restart from an elite solution with a few random critical moves.
    fn restart(&mut self) {
        let src = if self.elite.is_empty() || self.rng.chance(0.5) {
            self.best.clone()
        } else {
            self.elite[self.rng.below(self.elite.len())].1.clone()
        };
        self.sol = src;
        let ok = self.retime();
        debug_assert!(ok);
        self.tabu.clear();
        if !self.tabu_mach.is_empty() {
            self.tabu_mach.iter_mut().for_each(|x| *x = 0);
        }
        self.titer = 1;
        let kicks = 2 + self.rng.below(6);
        self.kick(kicks);
    }

    /// Run until a limit is hit. Returns the number of iterations done.
    pub fn run(&mut self, lim: &Limits) -> u64 {
        if let Some(f) = lim.on_improve {
            f(self.best_cost, 0);
        }
        // Plain job shops get tabu search inside path relinking; everything else the iterated
        // tabu search with elite restarts.
        if self.use_relinking() {
            self.run_relinking(lim);
        } else {
            self.run_restarts(lim);
        }
        if let Some(f) = lim.on_iters {
            f(self.iters - self.reported);
        }
        self.iters
    }

    /// Path relinking needs a common machine assignment and the estimate-driven search.
    fn use_relinking(&self) -> bool {
        !self.exact && !self.flexible && self.inst.n >= 30
    }

    fn stall_limit(&self) -> u64 {
        let n = self.inst.n as u64;
        // Short walks pay off inside path relinking (measured on ft10/la24/la29/la38); the
        // restart driver, used for flexible and calendar instances, keeps longer ones.
        if self.exact {
            200 + n / 2
        } else if self.use_relinking() {
            // Small instances: more, shorter walks (ft10 at 1 s: 7-8/10 seeds vs 6/10).
            if n < 150 { 200 + 5 * n } else { 500 + 10 * n }
        } else {
            2000 + 20 * n
        }
    }

    fn should_stop(&self, lim: &Limits) -> bool {
        if lim.target.is_some_and(|tg| self.best_cost <= tg)
            || lim.max_iters.is_some_and(|m| self.iters >= m)
        {
            return true;
        }
        (self.exact || self.iters & 15 == 0)
            && (lim.deadline.is_some_and(|d| Instant::now() >= d)
                || lim.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
                || lim.stop.is_some_and(|c| c.load(Ordering::Relaxed)))
    }

    /// Iteration bookkeeping shared by the drivers.
    fn tick(&mut self, lim: &Limits) {
        self.iters += 1;
        if self.iters - self.reported >= 1024 {
            if let Some(f) = lim.on_iters {
                f(self.iters - self.reported);
            }
            self.reported = self.iters;
        }
        self.titer += 1;
        if self.titer > u32::MAX - 1_000_000 {
            self.clear_tabu();
        }
    }

    fn clear_tabu(&mut self) {
        self.tabu.clear();
        self.tabu_mach.iter_mut().for_each(|x| *x = 0);
        self.titer = 1;
    }

    /// One tabu step; updates the thread's best. Returns (moved, improved the thread best).
    fn step(&mut self, lim: &Limits) -> (bool, bool) {
        let moved = if self.exact {
            // Few candidates, many iterations: 12 beat 48 by 15-25 % tardiness on the plant.
            self.step_exact(12)
        } else {
            self.step_estimate()
        };
        if !moved {
            return (false, false);
        }
        if self.record_best() {
            if let Some(f) = lim.on_improve {
                f(self.best_cost, self.iters);
            }
            return (true, true);
        }
        (true, false)
    }

    /// Iterated tabu search: after `stall_limit` steps without a new best, restart from the
    /// best or an elite solution with a random kick.
    fn run_restarts(&mut self, lim: &Limits) {
        let stall_limit = self.stall_limit();
        let mut stall = 0u64;
        let mut fails = 0;
        while !self.should_stop(lim) {
            self.tick(lim);
            let (moved, improved) = self.step(lim);
            if !moved {
                fails += 1;
                if fails > 20 {
                    break;
                }
                self.restart();
                stall = 0;
                continue;
            }
            fails = 0;
            if improved {
                stall = 0;
                self.push_elite();
            } else {
                stall += 1;
                if stall > stall_limit {
                    self.push_elite();
                    self.restart();
                    stall = 0;
                }
            }
        }
    }

    /// Tabu walk from the current solution until `stall_limit` steps without improving the
    /// walk's own best; returns that best.
    fn walk(&mut self, lim: &Limits, stall_limit: u64) -> (Cost, Sol) {
        self.clear_tabu();
        let mut best = (self.t.cost, self.sol.clone());
        self.record_best();
        let mut stall = 0;
        while stall <= stall_limit && !self.should_stop(lim) {
            self.tick(lim);
            let (moved, _) = self.step(lim);
            if !moved {
                break;
            }
            if self.t.cost < best.0 {
                best.0 = self.t.cost;
                best.1.clone_from(&self.sol);
                stall = 0;
            } else {
                stall += 1;
            }
        }
        best
    }

    /// Path relinking over a small pool of tabu-improved solutions (after Peng, Lü & Cheng
    /// 2015): walk from one elite solution towards another by swaps that copy the guide's
    /// machine positions, stop part-way, improve the result by tabu search, and let it replace
    /// the worst pool member if it is better and new.
    fn run_relinking(&mut self, lim: &Limits) {
        const POOL: usize = 8;
        let stall_limit = self.stall_limit();
        // With a wall-clock limit the threads share one pool (one relinking run with two
        // workers converges faster than two half-length runs); with a work budget each thread
        // keeps its own so the result is reproducible.
        let local = Mutex::new(Vec::new());
        let pool: &Mutex<Pool> = lim.shared_pool.unwrap_or(&local);
        let first = self.walk(lim, stall_limit);
        lock(pool).push(first);
        while lock(pool).len() < POOL && !self.should_stop(lim) {
            let s =
                crate::dispatch::dispatch(self.inst, crate::dispatch::Rule::Random, &mut self.rng);
            self.set_solution(s);
            let w = self.walk(lim, stall_limit);
            let mut p = lock(pool);
            if !p.iter().any(|x| x.1.seq == w.1.seq) {
                p.push(w);
            }
        }
        let mut no_update = 0;
        while !self.should_stop(lim) {
            let (a, b) = {
                let p = lock(pool);
                if p.len() < 2 {
                    break;
                }
                let i = self.rng.below(p.len());
                let mut j = self.rng.below(p.len() - 1);
                if j >= i {
                    j += 1;
                }
                (p[i].1.clone(), p[j].1.clone())
            };
            let child = self.relink(&a, &b);
            self.set_solution(child);
            let w = self.walk(lim, stall_limit);
            {
                let mut p = lock(pool);
                let worst = (0..p.len()).max_by_key(|&k| p[k].0).unwrap_or(0);
                if w.0 < p[worst].0 && !p.iter().any(|x| x.1.seq == w.1.seq) {
                    p[worst] = w;
                    no_update = 0;
                } else {
                    no_update += 1;
                }
            }
            // A converged pool gets fresh blood: half of it re-seeded around the best.
            if no_update > 2 * POOL {
                no_update = 0;
                {
                    let mut p = lock(pool);
                    p.sort_by_key(|x| x.0);
                    p.truncate(POOL / 2);
                }
                while lock(pool).len() < POOL && !self.should_stop(lim) {
                    self.set_solution(self.best.clone());
                    let kicks = 4 + self.rng.below(12);
                    self.kick(kicks);
                    let w = self.walk(lim, stall_limit);
                    lock(pool).push(w);
                }
            }
        }
    }

    fn set_solution(&mut self, s: Sol) {
        self.sol = s;
        let ok = self.retime();
        debug_assert!(ok);
    }

    /// Random critical moves (diversification).
    fn kick(&mut self, kicks: usize) {
        for _ in 0..kicks {
            let Some(e) = self.makespan_op() else { return };
            self.trace(e);
            self.estimate_candidates();
            if self.cands.is_empty() {
                return;
            }
            let ci = self.rng.below(self.cands.len());
            let (_, mv, safe) = self.cands[ci];
            self.try_move(mv, safe);
        }
    }

    /// A solution part-way from `from` towards `guide` (same machine assignment): repeatedly
    /// swap into a random differing position the op the guide has there, skipping swaps that
    /// would make a cycle; stop after a random 1/4..1/2 of the initial distance.
    fn relink(&mut self, from: &Sol, guide: &Sol) -> Sol {
        let mut cur = from.clone();
        let mut diff: Vec<(u32, u32)> = Vec::new();
        for k in 0..self.inst.m {
            for (p, (&a, &b)) in cur.seq[k].iter().zip(&guide.seq[k]).enumerate() {
                if a != b {
                    diff.push((k as u32, p as u32));
                }
            }
        }
        let d0 = diff.len();
        if d0 == 0 {
            return cur;
        }
        let steps = d0 / 4 + self.rng.below(d0 / 4 + 1);
        let mut t = Times::new(self.inst);
        let mut done = 0;
        while done < steps && !diff.is_empty() {
            let di = self.rng.below(diff.len());
            let (k, p) = diff.swap_remove(di);
            let (k, p) = (k as usize, p as usize);
            let g = guide.seq[k][p];
            if cur.seq[k][p] == g {
                continue;
            }
            let q = cur.pos[g as usize] as usize;
            cur.seq[k].swap(p, q);
            cur.relink(k, p.min(q), p.max(q) + 1);
            if t.forward(self.inst, &cur) {
                done += 1;
            } else {
                cur.seq[k].swap(p, q);
                cur.relink(k, p.min(q), p.max(q) + 1);
            }
        }
        cur
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::{Rule, dispatch};
    use crate::inst::Inst;

    /// The block-move estimate should track the true makespan closely on a plain job shop.
    #[test]
    fn estimate_quality() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/bench/jssp/ft10.txt"
        ));
        let Ok(text) = text else { return };
        let p = crate::bench::parse_jssp(&text).unwrap().to_problem();
        let inst = Inst::compile(&p).unwrap();
        let mut rng = Rng::new(1);
        let start = dispatch(&inst, Rule::Mwkr, &mut rng);
        let mut s = Search::new(&inst, Objective::Makespan, None, start, 3);
        let (mut below, mut equal, mut above, mut cyc) = (0, 0, 0, 0);
        for _ in 0..200 {
            let e = s.makespan_op().unwrap();
            s.trace(e);
            s.estimate_candidates();
            let cands = s.cands.clone();
            for (est, mv, safe) in cands {
                let inv = s.apply(mv);
                let mut t = Times::new(&inst);
                if t.forward(&inst, &s.sol) {
                    t.evaluate(&inst, &Objective::Makespan, None, &s.sol.mach);
                    let real = t.cost.primary;
                    if est < real {
                        below += 1
                    } else if est == real {
                        equal += 1
                    } else {
                        above += 1
                    }
                } else {
                    assert!(!safe);
                    cyc += 1;
                }
                s.apply(inv);
            }
            let (_, mv, safe) = s.cands[s.rng.below(s.cands.len())];
            s.try_move(mv, safe);
        }
        // The estimate is exact for most moves and never lets a "safe" move make a cycle
        // (asserted above).
        assert!(
            equal > below + above,
            "below {below} equal {equal} above {above} cyclic {cyc}"
        );
    }
}
