//! Constructive heuristics: Giffler–Thompson style list scheduling with priority rules.
//!
//! Gives a feasible plan at once (the "anytime" first answer) and the start points of the search.
//! Works with calendars, blocks, frozen operations and flexible machines: each step takes the
//! (operation, machine) pair that can finish first, and among the operations that could start on
//! that machine before it finishes, picks one by the rule.

use crate::calendar::INF;
use crate::inst::{Inst, NONE};
use crate::model::Time;
use crate::rng::Rng;
use crate::sol::Sol;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Most work remaining in the job (good for makespan).
    Mwkr,
    /// Apparent tardiness cost (weighted tardiness).
    Atc,
    /// Least slack (due date minus remaining work).
    Slack,
    /// Random priorities (diversification).
    Random,
}

struct Cand {
    op: u32,
    /// Per alternative: cached (start, end) and the machine version it was computed for.
    slots: Vec<(Time, Time, u64)>,
}

/// Remaining work of the job from op `i` on (inclusive), with lags.
fn remaining_work(inst: &Inst) -> Vec<Time> {
    let mut rem = vec![0; inst.n];
    for j in 0..inst.n_jobs {
        let mut acc = 0;
        for i in inst.job_ops(j).rev() {
            acc += inst.min_dur[i];
            rem[i] = acc;
            acc += inst.lag[i];
        }
    }
    rem
}

pub(crate) fn dispatch(inst: &Inst, rule: Rule, rng: &mut Rng) -> Sol {
    let n = inst.n;
    let rem = remaining_work(inst);
    let pbar = {
        let s: Time = inst.min_dur.iter().sum();
        (s as f64 / n.max(1) as f64).max(1.0)
    };
    let noise: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
    let mut deg: Vec<u32> = inst.static_deg.clone();
    let mut end = vec![0 as Time; n];
    let mut done = vec![false; n];
    for i in 0..n {
        if let Some(f) = inst.fixed[i] {
            end[i] = f.end;
            done[i] = true;
        }
    }
    let mut free = vec![-INF; inst.m];
    let mut version = vec![1u64; inst.m];
    let mut seq: Vec<Vec<u32>> = vec![Vec::new(); inst.m];
    let mut alt = vec![NONE; n];
    for (i, a) in alt.iter_mut().enumerate() {
        if inst.fixed[i].is_some() {
            *a = inst.frozen_alt(i);
        }
    }
    let head = |i: usize, end: &[Time]| -> Time {
        let mut h = inst.release[i];
        let jp = inst.jpred[i];
        if jp != NONE {
            h = h.max(end[jp as usize] + inst.lag[i]);
        }
        for &x in inst.xpreds(i) {
            h = h.max(end[x as usize]);
        }
        h
    };
    let mut ready: Vec<Cand> = Vec::new();
    for i in 0..n {
        if !done[i] && deg[i] == 0 {
            ready.push(Cand {
                op: i as u32,
                slots: vec![(0, 0, 0); inst.alts(i).len()],
            });
        }
    }
    let mut heads = vec![0 as Time; n];
    for c in &ready {
        heads[c.op as usize] = head(c.op as usize, &end);
    }
    while !ready.is_empty() {
        // Refresh caches and find the earliest completion.
        let mut best = (Time::MAX, Time::MAX, usize::MAX);
        for c in ready.iter_mut() {
            let i = c.op as usize;
            for (s, a) in inst.alts(i).enumerate() {
                let k = inst.alt_machine[a] as usize;
                let slot = &mut c.slots[s];
                if slot.2 != version[k] {
                    let (st, en) = inst.place(k, heads[i].max(free[k]), inst.alt_dur[a]);
                    *slot = (st, en, version[k]);
                }
                if (slot.1, slot.0) < (best.0, best.1) {
                    best = (slot.1, slot.0, k);
                }
            }
        }
        let (e_star, _, k_star) = best;
        // Conflict set on k_star: ops that could start there before e_star.
        let mut pick: Option<(f64, usize, usize)> = None;
        for (ci, c) in ready.iter().enumerate() {
            let i = c.op as usize;
            for (s, a) in inst.alts(i).enumerate() {
                if inst.alt_machine[a] as usize != k_star {
                    continue;
                }
                let (st, en, _) = c.slots[s];
                if st >= e_star && en != e_star {
                    continue;
                }
                let j = inst.job_of[i] as usize;
                let p = inst.alt_dur[a].max(1) as f64;
                let prio = match rule {
                    Rule::Mwkr => rem[i] as f64 + noise[i] * 1e-3,
                    Rule::Random => noise[i],
                    Rule::Atc => match inst.due[j] {
                        Some(d) => {
                            let slack = (d - st - rem[i]).max(0) as f64;
                            inst.weight[j] as f64 / p * (-slack / (2.0 * pbar)).exp()
                                + noise[i] * 1e-12
                        }
                        None => 1e-9 * rem[i] as f64 / pbar,
                    },
                    Rule::Slack => match inst.due[j] {
                        Some(d) => -((d - st - rem[i]) as f64) / inst.weight[j].max(1) as f64,
                        None => -1e15 + rem[i] as f64,
                    },
                };
                // Prefer the op with the higher priority; among equal, the earlier end.
                if pick.is_none_or(|(bp, _, _)| prio > bp) {
                    pick = Some((prio, ci, s));
                }
            }
        }
        let (_, ci, s) = pick.expect("conflict set contains the earliest-completing op");
        let c = ready.swap_remove(ci);
        let i = c.op as usize;
        let a = inst.alts(i).start + s;
        let (_, en, _) = c.slots[s];
        alt[i] = a as u32;
        end[i] = en;
        done[i] = true;
        free[k_star] = en;
        version[k_star] += 1;
        seq[k_star].push(i as u32);
        let mut release = |x: u32, ready: &mut Vec<Cand>, end: &[Time], heads: &mut [Time]| {
            let x = x as usize;
            if inst.fixed[x].is_some() {
                return;
            }
            deg[x] -= 1;
            if deg[x] == 0 {
                heads[x] = head(x, end);
                ready.push(Cand {
                    op: x as u32,
                    slots: vec![(0, 0, 0); inst.alts(x).len()],
                });
            }
        };
        if inst.jsucc[i] != NONE {
            release(inst.jsucc[i], &mut ready, &end, &mut heads);
        }
        for &x in inst.xsuccs(i) {
            release(x, &mut ready, &end, &mut heads);
        }
    }
    Sol::new(inst, alt, seq)
}
