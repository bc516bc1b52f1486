#!/usr/bin/env python3
"""Solve job-shop / flexible job-shop files with Google OR-Tools CP-SAT, for comparison with
`mes bench jssp|fjsp`: interval variables + no_overlap per machine, minimise makespan.

usage: cpsat.py (jssp|fjsp) FILE... [--time-limit-ms N] [--workers W]
Prints one JSON object per file: {"instance", "makespan", "status", "bound", "elapsed_ms"},
after checking the schedule independently. Needs `pip install ortools`.
"""
import json
import os
import sys
import time

from ortools.sat.python import cp_model


def read_jssp(path):
    toks = open(path).read().split()
    n, m = int(toks[0]), int(toks[1])
    p, jobs = 2, []
    for _ in range(n):
        ops = []
        for _ in range(m):
            ops.append([(int(toks[p]), int(toks[p + 1]))])
            p += 2
        jobs.append(ops)
    return jobs


def read_fjsp(path):
    lines = [l.split() for l in open(path) if l.strip()]
    n = int(lines[0][0])
    jobs = []
    for j in range(n):
        t = [int(x) for x in lines[1 + j]]
        p, ops = 1, []
        for _ in range(t[0]):
            k = t[p]
            p += 1
            alts = []
            for _ in range(k):
                alts.append((t[p] - 1, t[p + 1]))
                p += 2
            ops.append(alts)
        jobs.append(ops)
    return jobs


def solve(jobs, limit_s, workers):
    model = cp_model.CpModel()
    horizon = sum(max(d for _, d in alts) for ops in jobs for alts in ops)
    per_machine = {}
    starts, ends, choice = [], [], []
    for j, ops in enumerate(jobs):
        sj, ej, cj = [], [], []
        for o, alts in enumerate(ops):
            s = model.NewIntVar(0, horizon, f"s{j}_{o}")
            e = model.NewIntVar(0, horizon, f"e{j}_{o}")
            if len(alts) == 1:
                m, d = alts[0]
                iv = model.NewIntervalVar(s, d, e, f"i{j}_{o}")
                per_machine.setdefault(m, []).append(iv)
                cj.append([(m, None)])
            else:
                lits = []
                for m, d in alts:
                    lit = model.NewBoolVar(f"x{j}_{o}_{m}")
                    iv = model.NewOptionalIntervalVar(s, d, e, lit, f"i{j}_{o}_{m}")
                    per_machine.setdefault(m, []).append(iv)
                    lits.append((m, lit))
                model.AddExactlyOne(l for _, l in lits)
                cj.append(lits)
            if o > 0:
                model.Add(s >= ej[-1])
            sj.append(s)
            ej.append(e)
        starts.append(sj)
        ends.append(ej)
        choice.append(cj)
    for ivs in per_machine.values():
        model.AddNoOverlap(ivs)
    mk = model.NewIntVar(0, horizon, "makespan")
    model.AddMaxEquality(mk, [e[-1] for e in ends])
    model.Minimize(mk)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit_s
    solver.parameters.num_workers = workers
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.StatusName(status), None
    sched = []
    for j, ops in enumerate(jobs):
        row = []
        for o, alts in enumerate(ops):
            lits = choice[j][o]
            m = lits[0][0] if lits[0][1] is None else next(m for m, l in lits if solver.Value(l))
            d = dict(alts)[m]
            row.append((m, solver.Value(starts[j][o]), d))
        sched.append(row)
    return sched, solver.StatusName(status), solver.BestObjectiveBound()


def check(sched):
    busy, mk = {}, 0
    for row in sched:
        t = 0
        for m, s, d in row:
            assert s >= t
            t = s + d
            mk = max(mk, t)
            busy.setdefault(m, []).append((s, s + d))
    for v in busy.values():
        v.sort()
        for a, b in zip(v, v[1:]):
            assert a[1] <= b[0]
    return mk


def main():
    args = sys.argv[1:]
    kind = args.pop(0)
    limit_ms, workers, files = 10000, 2, []
    while args:
        a = args.pop(0)
        if a == "--time-limit-ms":
            limit_ms = int(args.pop(0))
        elif a == "--workers":
            workers = int(args.pop(0))
        else:
            files.append(a)
    for f in files:
        t0 = time.time()
        jobs = read_jssp(f) if kind == "jssp" else read_fjsp(f)
        sched, status, bound = solve(jobs, limit_ms / 1000.0, workers)
        mk = check(sched) if sched else None
        print(json.dumps({
            "instance": os.path.splitext(os.path.basename(f))[0],
            "makespan": mk, "status": status, "bound": bound,
            "elapsed_ms": int((time.time() - t0) * 1000),
        }), flush=True)


if __name__ == "__main__":
    main()
