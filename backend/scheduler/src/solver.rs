//! `solve`: dispatch rules for an immediate plan, then parallel tabu search until a limit.

use crate::dispatch::{Rule, dispatch};
use crate::inst::{Inst, NONE};
use crate::model::{ModelError, Problem, Time};
use crate::objective::{Cost, Objective, Stability, StabilityRef};
use crate::plan::Plan;
use crate::rng::{Rng, splitmix64};
use crate::sol::{Sol, Times};
use crate::tabu::{Limits, Search};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Live progress of a run, readable from another thread while `solve` works.
#[derive(Default)]
pub struct Progress {
    iterations: AtomicU64,
    improvements: AtomicU64,
    best: Mutex<Option<Cost>>,
    done: AtomicBool,
    #[allow(clippy::type_complexity)]
    callback: Option<Box<dyn Fn(Cost) + Send + Sync>>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("iterations", &self.iterations())
            .field("best", &self.best())
            .field("done", &self.is_done())
            .finish()
    }
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    /// Progress that also calls `f` on every new best cost (from the worker threads).
    pub fn with_callback(f: impl Fn(Cost) + Send + Sync + 'static) -> Self {
        Progress {
            callback: Some(Box::new(f)),
            ..Default::default()
        }
    }

    /// Search iterations done so far, over all threads.
    pub fn iterations(&self) -> u64 {
        self.iterations.load(Ordering::Relaxed)
    }

    pub fn improvements(&self) -> u64 {
        self.improvements.load(Ordering::Relaxed)
    }

    /// Best objective value found so far.
    pub fn best(&self) -> Option<Cost> {
        *self.best.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Relaxed)
    }

    fn offer(&self, c: Cost) {
        let mut b = self.best.lock().unwrap_or_else(|e| e.into_inner());
        if b.is_none_or(|x| c < x) {
            *b = Some(c);
            self.improvements.fetch_add(1, Ordering::Relaxed);
            if let Some(f) = &self.callback {
                f(c);
            }
        }
    }
}

/// How to run [`solve`].
///
/// The search stops at the first of: time limit, iteration limit, cancel flag, or a proven
/// optimum (the plan reaches a lower bound). Give at least one of them; with none it runs until
/// cancelled. A zero limit returns the dispatch-rule plan only.
#[derive(Clone, Debug)]
pub struct SolveOptions {
    pub objective: Objective,
    /// Wall-clock limit for the improvement phase (`None` = only the iteration limit).
    pub time_limit: Option<Duration>,
    /// Work limit: tabu iterations per thread. With this and no time limit a run is
    /// deterministic for a given seed.
    pub iteration_limit: Option<u64>,
    pub seed: u64,
    /// Search threads; 0 = one per core, at most 2.
    pub threads: usize,
    pub stability: Option<Stability>,
    /// A plan (for the same problem) to start from: machine choices and orders are kept where
    /// still valid; new operations are inserted.
    pub warm_start: Option<Plan>,
    /// Set to true from another thread to stop early; the best plan so far is returned.
    pub cancel: Option<Arc<AtomicBool>>,
    pub progress: Option<Arc<Progress>>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            objective: Objective::default(),
            time_limit: Some(Duration::from_secs(10)),
            iteration_limit: None,
            seed: 0,
            threads: 0,
            stability: None,
            warm_start: None,
            cancel: None,
            progress: None,
        }
    }
}

/// Statistics of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SolveStats {
    pub iterations: u64,
    pub threads: usize,
    /// Time to the first feasible plan (dispatch rule), microseconds.
    pub first_feasible_us: u64,
    pub initial_cost: Cost,
    /// When the returned plan's cost was first reached.
    pub best_found_ms: u64,
    pub elapsed_ms: u64,
}

/// A plan plus how it was found.
#[derive(Clone, Debug)]
pub struct SolveResult {
    pub plan: Plan,
    pub stats: SolveStats,
}

/// Lower bound on the makespan (valid with calendars, which only stretch time).
pub(crate) fn makespan_lower_bound(inst: &Inst) -> Time {
    let mut lb = 0;
    let mut fixed_any = false;
    for i in 0..inst.n {
        if let Some(f) = inst.fixed[i] {
            lb = lb.max(f.end);
            fixed_any = true;
        }
    }
    for j in 0..inst.n_jobs {
        let mut t = inst.release[inst.job_start[j] as usize];
        for i in inst.job_ops(j) {
            t += inst.lag[i] + inst.min_dur[i];
        }
        lb = lb.max(t);
    }
    if fixed_any || inst.xpred.iter().any(|_| true) {
        return lb;
    }
    let rmin = inst.release.iter().copied().min().unwrap_or(0);
    let mut load = vec![0; inst.m];
    let mut total = 0;
    for i in 0..inst.n {
        total += inst.min_dur[i];
        if inst.alts(i).len() == 1 {
            load[inst.alt_machine[inst.alt_idx[i] as usize] as usize] += inst.min_dur[i];
        }
    }
    let used: std::collections::BTreeSet<u32> = inst.alt_machine.iter().copied().collect();
    let mload = load.iter().copied().max().unwrap_or(0);
    let m = used.len().max(1) as Time;
    lb.max(rmin + mload).max(rmin + (total + m - 1) / m)
}

/// Build a solution from a plan: keep machine choices and start order, insert the rest.
pub(crate) fn sol_from_plan(
    inst: &Inst,
    plan: &Plan,
    obj: &Objective,
    stab: Option<&StabilityRef>,
) -> Option<Sol> {
    let n = inst.n;
    let mut alt = vec![NONE; n];
    let mut keyed: Vec<Vec<(Time, u32)>> = vec![Vec::new(); inst.m];
    let mut missing = Vec::new();
    for (i, slot) in alt.iter_mut().enumerate() {
        if inst.fixed[i].is_some() {
            *slot = inst.frozen_alt(i);
            continue;
        }
        let r = inst.op_ref(i);
        let prev = plan.ops.get(r.job).and_then(|v| v.get(r.op));
        match prev.and_then(|p| inst.alt_for(i, p.machine).map(|a| (a, p))) {
            Some((a, p)) => {
                *slot = a as u32;
                keyed[p.machine].push((p.start, i as u32));
            }
            None => missing.push(i),
        }
    }
    // Missing ops (new jobs): provisionally on their first eligible machine at a time key that
    // follows their own chain, then each is moved to its best place below.
    for &i in &missing {
        let j = inst.job_of[i] as usize;
        let mut key = inst.release[i];
        for x in inst.job_start[j] as usize..i {
            key += inst.min_dur[x] + inst.lag[x + 1];
        }
        let a = inst.alt_idx[i] as usize;
        alt[i] = a as u32;
        keyed[inst.alt_machine[a] as usize].push((key, i as u32));
    }
    let seq: Vec<Vec<u32>> = keyed
        .into_iter()
        .map(|mut v| {
            v.sort_unstable();
            v.into_iter().map(|x| x.1).collect()
        })
        .collect();
    let mut sol = Sol::new(inst, alt, seq);
    let mut t = Times::new(inst);
    if !t.forward(inst, &sol) {
        return None;
    }
    for &i in &missing {
        // Try each eligible machine: right after the ops that start before the op's head, or
        // at the end. Keep the best by exact evaluation.
        let mut best: Option<(Cost, usize, usize)> = None;
        let cur_a = sol.alt[i] as usize;
        let cur_pos = sol.pos[i] as usize;
        let head = t.hj[i];
        for a in inst.alts(i) {
            let k = inst.alt_machine[a] as usize;
            let mut positions = Vec::new();
            let seq_k: Vec<u32> = sol.seq[k]
                .iter()
                .copied()
                .filter(|&x| x as usize != i)
                .collect();
            let p = seq_k.partition_point(|&x| t.start[x as usize] < head);
            positions.push(p);
            positions.push(seq_k.len());
            positions.dedup();
            for to in positions {
                sol.reassign(inst, i, a, to);
                let mut tt = Times::new(inst);
                if tt.forward(inst, &sol) {
                    tt.evaluate(inst, obj, stab, &sol.mach);
                    if best.is_none_or(|b| tt.cost < b.0) {
                        best = Some((tt.cost, a, to));
                    }
                }
                sol.reassign(inst, i, cur_a, cur_pos);
            }
        }
        let (_, a, to) = best?;
        sol.reassign(inst, i, a, to);
        if !t.forward(inst, &sol) {
            return None;
        }
    }
    Some(sol)
}

/// Solve a problem: an immediate dispatch plan, then tabu search until a limit.
pub fn solve(problem: &Problem, options: &SolveOptions) -> Result<SolveResult, ModelError> {
    let t0 = Instant::now();
    let inst = Inst::compile(problem)?;
    let stab = options
        .stability
        .as_ref()
        .map(|s| StabilityRef::compile(&inst, s));
    Ok(solve_compiled(&inst, stab.as_ref(), options, t0).0)
}

pub(crate) fn solve_compiled(
    inst: &Inst,
    stab: Option<&StabilityRef>,
    options: &SolveOptions,
    t0: Instant,
) -> (SolveResult, Sol) {
    let obj = options.objective;
    let mut rng = Rng::new(options.seed);
    let eval = |sol: &Sol| -> Times {
        let mut t = Times::new(inst);
        let ok = t.forward(inst, sol);
        debug_assert!(ok);
        t.evaluate(inst, &obj, stab, &sol.mach);
        t
    };
    // First feasible plan: warm start if given, else the rule that suits the objective.
    let mut starts: Vec<(Cost, Sol)> = Vec::new();
    if let Some(w) = &options.warm_start
        && let Some(s) = sol_from_plan(inst, w, &obj, stab)
    {
        let c = eval(&s).cost;
        starts.push((c, s));
    }
    let first_rule = match obj {
        Objective::Makespan => Rule::Mwkr,
        Objective::WeightedTardinessThenMakespan => Rule::Atc,
    };
    if starts.is_empty() {
        let s = dispatch(inst, first_rule, &mut rng);
        let c = eval(&s).cost;
        starts.push((c, s));
    }
    let first_feasible_us = t0.elapsed().as_micros() as u64;
    let searching = options.time_limit.is_none_or(|d| !d.is_zero())
        && options.iteration_limit.is_none_or(|i| i > 0);
    // A warm start (replanning, planner edits) is the only start: the point is to stay close.
    if searching && starts.len() == 1 && options.warm_start.is_none() {
        for rule in [Rule::Mwkr, Rule::Atc, Rule::Slack, Rule::Random] {
            if rule != first_rule {
                let s = dispatch(inst, rule, &mut rng);
                let c = eval(&s).cost;
                starts.push((c, s));
            }
        }
    }
    starts.sort_by_key(|x| x.0);
    let initial_cost = starts[0].0;
    if let Some(p) = &options.progress {
        p.offer(initial_cost);
    }

    let threads = if options.threads == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(2)
    } else {
        options.threads
    };
    let mut best_sol = starts[0].1.clone();
    let mut iterations = 0;
    let mut best_found_ms = t0.elapsed().as_millis() as u64;
    if searching {
        let target = if stab.is_none() {
            let lb = makespan_lower_bound(inst);
            Some(match obj {
                Objective::Makespan => Cost {
                    primary: lb,
                    secondary: 0,
                },
                Objective::WeightedTardinessThenMakespan => Cost {
                    primary: 0,
                    secondary: lb,
                },
            })
        } else {
            None
        };
        let deadline = options.time_limit.map(|d| t0 + d);
        // With a wall-clock limit a thread that proves optimality stops the others; in pure
        // work-budget mode threads never look at each other, so the result is reproducible.
        let stop = AtomicBool::new(false);
        let best_seen = Mutex::new((initial_cost, t0.elapsed()));
        let shared_pool = Mutex::new(Vec::new());
        let share_stop = deadline.is_some();
        let progress = options.progress.clone();
        let on_improve = |c: Cost, _it: u64| {
            if let Some(p) = &progress {
                p.offer(c);
            }
            let mut b = best_seen.lock().unwrap_or_else(|e| e.into_inner());
            if c < b.0 {
                *b = (c, t0.elapsed());
            }
            if share_stop && target.is_some_and(|t| c <= t) {
                stop.store(true, Ordering::Relaxed);
            }
        };
        let on_iters = |k: u64| {
            if let Some(p) = &progress {
                p.iterations.fetch_add(k, Ordering::Relaxed);
            }
        };
        let cancel_flag = options.cancel.clone();
        let seeds: Vec<u64> = (0..threads)
            .map(|i| {
                let mut s = options.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                splitmix64(&mut s)
            })
            .collect();
        let results: Vec<(Cost, Sol, u64)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|ti| {
                    // thread 0 starts from the best start, others from the next ones
                    let start = starts[ti % starts.len().min(2)].1.clone();
                    let seed = seeds[ti];
                    let on_improve = &on_improve;
                    let on_iters = &on_iters;
                    let stop = &stop;
                    let shared_pool = &shared_pool;
                    let cancel_flag = &cancel_flag;
                    scope.spawn(move || {
                        let lim = Limits {
                            deadline,
                            max_iters: options.iteration_limit,
                            cancel: cancel_flag.as_deref(),
                            stop: if share_stop { Some(stop) } else { None },
                            shared_pool: if share_stop { Some(shared_pool) } else { None },
                            target,
                            on_improve: Some(on_improve),
                            on_iters: Some(on_iters),
                        };
                        let mut s = Search::new(inst, obj, stab, start, seed);
                        let it = s.run(&lim);
                        (s.best_cost, s.best, it)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("search thread panicked"))
                .collect()
        });
        let mut best: Option<(Cost, usize)> = None;
        for (ti, (c, _, it)) in results.iter().enumerate() {
            iterations += it;
            if best.is_none_or(|b| *c < b.0) {
                best = Some((*c, ti));
            }
        }
        let (bc, bi) = best.expect("at least one thread");
        best_found_ms = best_seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .as_millis() as u64;
        if bc <= initial_cost {
            best_sol = results[bi].1.clone();
        }
    }
    let mut t = Times::new(inst);
    let ok = t.forward(inst, &best_sol);
    debug_assert!(ok);
    t.evaluate(inst, &obj, stab, &best_sol.mach);
    let plan = Plan::build(inst, &best_sol, &t);
    if let Some(p) = &options.progress {
        p.offer(plan.cost);
        p.done.store(true, Ordering::Relaxed);
    }
    let res = SolveResult {
        plan,
        stats: SolveStats {
            iterations,
            threads,
            first_feasible_us,
            initial_cost,
            best_found_ms,
            elapsed_ms: t0.elapsed().as_millis() as u64,
        },
    };
    (res, best_sol)
}
