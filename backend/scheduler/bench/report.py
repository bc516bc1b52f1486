#!/usr/bin/env python3
"""Turn the outputs of run_all.sh into the Markdown tables of BENCHMARKS.md.

usage: report.py OUTDIR
"""
import json
import os
import sys


def load_jsonl(path):
    if not os.path.exists(path):
        return {}
    return {d["instance"]: d for d in map(json.loads, open(path)) if d}


def gap(v, b):
    return f"{100.0 * (v - b) / b:.2f}" if (v is not None and b) else "-"


def suite_table(path, cpsat=None, title=""):
    d = json.load(open(path))
    cp = load_jsonl(cpsat) if cpsat else {}
    head = "| instance | BKS | ours | gap % | best found ms | ms |"
    sep = "|---|---:|---:|---:|---:|---:|"
    if cp:
        head += " CP-SAT | CP-SAT gap % |"
        sep += "---:|---:|"
    rows = [f"**{title}** (mean gap {d['mean_gap_percent']} %, limit {d['time_limit_ms']} ms)", "", head, sep]
    for r in d["instances"]:
        line = (f"| {r['instance']} | {r['bks']} | {r['makespan']} | {r['gap_percent']} | "
                f"{r.get('best_found_ms', '-')} | {r['elapsed_ms']} |")
        if cp:
            c = cp.get(r["instance"], {})
            line += f" {c.get('makespan', '-')} | {gap(c.get('makespan'), r['bks'])} |"
        rows.append(line)
    if cp:
        gs = [100.0 * (cp[r["instance"]]["makespan"] - r["bks"]) / r["bks"]
              for r in d["instances"] if r["instance"] in cp and cp[r["instance"]]["makespan"]]
        if gs:
            rows.append(f"\nCP-SAT mean gap: {sum(gs) / len(gs):.3f} %")
    return "\n".join(rows) + "\n"


def pair_table(ours, cpsat, bks=None, title=""):
    o, c = load_jsonl(ours), load_jsonl(cpsat)
    rows = [f"**{title}**", "", "| instance | BKS (lit.) | ours | ours gap % | CP-SAT | CP-SAT gap % | CP-SAT bound |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for name in sorted(o):
        b = (bks or {}).get(name, {}).get("ub")
        cm = c.get(name, {}).get("makespan")
        rows.append(f"| {name} | {b or '-'} | {o[name]['makespan']} | {gap(o[name]['makespan'], b)} | "
                    f"{cm or '-'} | {gap(cm, b)} | {c.get(name, {}).get('bound', '-')} |")
    return "\n".join(rows) + "\n"


def main():
    out = sys.argv[1]
    bks = json.load(open(os.path.join(out, "ta", "bks.json")))
    print(suite_table(os.path.join(out, "jssp-1s.json"), title="ft06, ft10, ft20, la01-la40 at 1 s"))
    print(suite_table(os.path.join(out, "la21-40-10s.json"), os.path.join(out, "la-cpsat.jsonl"),
                      title="la21-la40 at 10 s"))
    print(suite_table(os.path.join(out, "fjsp-10s.json"), os.path.join(out, "mk-cpsat.jsonl"),
                      title="Brandimarte mk01-mk10 at 10 s"))
    print(pair_table(os.path.join(out, "ta-ours.jsonl"), os.path.join(out, "ta-cpsat.jsonl"), bks,
                     title="Taillard (regenerated) at 10 s, CP-SAT with 2 workers"))
    print(pair_table(os.path.join(out, "fjl-ours.jsonl"), os.path.join(out, "fjl-cpsat.jsonl"),
                     title="Larger flexible instances (bench/gen_fjsp.py) at 10 s"))
    print("**Plant**\n\n```json\n" + json.dumps(json.load(open(os.path.join(out, "plant.json"))), indent=1) + "\n```")


if __name__ == "__main__":
    main()
