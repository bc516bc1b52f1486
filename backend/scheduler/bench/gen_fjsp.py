#!/usr/bin/env python3
"""Generate larger flexible job-shop instances in Brandimarte format (machines from 1).

usage: gen_fjsp.py OUTDIR  -> fj30x10m10.txt, fj50x15m15.txt, fj100x10m20.txt
Each operation is eligible on 2-4 random machines with times U[10,99] scaled per machine.
"""
import os
import random
import sys

SPECS = [("fj30x10m10", 30, 10, 10, 1), ("fj50x15m15", 50, 15, 15, 2), ("fj100x10m20", 100, 10, 20, 3)]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, n, ops, m, seed in SPECS:
        rnd = random.Random(seed)
        lines = [f"{n} {m} 3"]
        for _ in range(n):
            parts = [str(ops)]
            for _ in range(ops):
                k = rnd.randint(2, 4)
                base = rnd.randint(10, 99)
                ms = rnd.sample(range(1, m + 1), k)
                parts.append(str(k))
                for mm in ms:
                    parts += [str(mm), str(max(1, int(base * rnd.uniform(0.8, 1.3))))]
            lines.append(" ".join(parts))
        with open(os.path.join(out, name + ".txt"), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
