//! Benchmark entry points (`mes bench ...`): classic job-shop and flexible job-shop files, suites
//! with gaps to best-known values, and plant-size timings.
//!
//! Every entry returns a `serde_json::Value` (or an error) so the `mes` binary only prints it.

use crate::model::{Alternative, Job, Machine, Operation, Problem, Time};
use crate::objective::Objective;
use crate::solver::{SolveOptions, SolveStats, solve};
use serde_json::{Value, json};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A malformed instance file: 1-based line number and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Any failure of a bench command, as a message for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BenchError(pub String);

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BenchError {}

fn err(msg: impl Into<String>) -> BenchError {
    BenchError(msg.into())
}

/// Classic job shop: `jobs[j]` = `(machine, time)` per operation, machines from 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsspInstance {
    pub machines: usize,
    pub jobs: Vec<Vec<(usize, Time)>>,
}

/// Flexible job shop: `jobs[j][o]` = eligible `(machine, time)` pairs, machines from 0
/// (the file's numbering minus one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FjspInstance {
    pub machines: usize,
    pub jobs: Vec<Vec<Vec<(usize, Time)>>>,
}

/// Non-blank lines with their 1-based numbers.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

fn int(tok: &str, line: usize, what: &str) -> Result<i64, ParseError> {
    tok.parse::<i64>().map_err(|_| ParseError {
        line,
        message: format!("{what}: expected an integer, found {tok:?}"),
    })
}

fn perr(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// Parse the standard (OR-Library) job-shop format.
pub fn parse_jssp(text: &str) -> Result<JsspInstance, ParseError> {
    let mut it = lines(text);
    let (hl, header) = it.next().ok_or_else(|| perr(1, "empty file"))?;
    let h: Vec<&str> = header.split_whitespace().collect();
    if h.len() != 2 {
        return Err(perr(
            hl,
            format!("header must be `jobs machines`, found {header:?}"),
        ));
    }
    let nj = int(h[0], hl, "number of jobs")?;
    let nm = int(h[1], hl, "number of machines")?;
    if nj <= 0 || nm <= 0 || nj > 1_000_000 || nm > 100_000 {
        return Err(perr(hl, "numbers of jobs and machines must be positive"));
    }
    let (nj, nm) = (nj as usize, nm as usize);
    let mut jobs = Vec::with_capacity(nj);
    let mut last_line = hl;
    for j in 0..nj {
        let (ln, l) = it.next().ok_or_else(|| {
            perr(
                last_line + 1,
                format!("expected {nj} job lines, found only {j}"),
            )
        })?;
        last_line = ln;
        let toks: Vec<&str> = l.split_whitespace().collect();
        if !toks.len().is_multiple_of(2) {
            return Err(perr(
                ln,
                "odd number of values: expected `machine time` pairs",
            ));
        }
        if toks.is_empty() {
            return Err(perr(ln, "job without operations"));
        }
        let mut ops = Vec::with_capacity(toks.len() / 2);
        for pair in toks.chunks(2) {
            let m = int(pair[0], ln, "machine")?;
            let t = int(pair[1], ln, "processing time")?;
            if m < 0 || m as usize >= nm {
                return Err(perr(ln, format!("machine {m} out of range 0..{}", nm - 1)));
            }
            if t < 0 {
                return Err(perr(ln, format!("negative processing time {t}")));
            }
            ops.push((m as usize, t));
        }
        jobs.push(ops);
    }
    if let Some((ln, _)) = it.next() {
        return Err(perr(
            ln,
            format!("unexpected data after the {nj} job lines"),
        ));
    }
    Ok(JsspInstance { machines: nm, jobs })
}

/// Parse the Brandimarte flexible job-shop format (machines numbered from 1 in the file).
pub fn parse_fjsp(text: &str) -> Result<FjspInstance, ParseError> {
    let mut it = lines(text);
    let (hl, header) = it.next().ok_or_else(|| perr(1, "empty file"))?;
    let h: Vec<&str> = header.split_whitespace().collect();
    if h.len() != 2 && h.len() != 3 {
        return Err(perr(
            hl,
            format!("header must be `jobs machines [avg]`, found {header:?}"),
        ));
    }
    let nj = int(h[0], hl, "number of jobs")?;
    let nm = int(h[1], hl, "number of machines")?;
    if h.len() == 3 && h[2].parse::<f64>().is_err() {
        return Err(perr(
            hl,
            format!("third header field must be a number, found {:?}", h[2]),
        ));
    }
    if nj <= 0 || nm <= 0 || nj > 1_000_000 || nm > 100_000 {
        return Err(perr(hl, "numbers of jobs and machines must be positive"));
    }
    let (nj, nm) = (nj as usize, nm as usize);
    let mut jobs = Vec::with_capacity(nj);
    let mut last_line = hl;
    for j in 0..nj {
        let (ln, l) = it.next().ok_or_else(|| {
            perr(
                last_line + 1,
                format!("expected {nj} job lines, found only {j}"),
            )
        })?;
        last_line = ln;
        let toks: Vec<&str> = l.split_whitespace().collect();
        let mut p = 0;
        let mut next = |what: &str| -> Result<i64, ParseError> {
            let t = toks
                .get(p)
                .ok_or_else(|| perr(ln, format!("line ends early: expected {what}")))?;
            p += 1;
            int(t, ln, what)
        };
        let n_ops = next("number of operations")?;
        if n_ops <= 0 {
            return Err(perr(ln, "a job needs at least one operation"));
        }
        let mut ops = Vec::with_capacity(n_ops as usize);
        for o in 0..n_ops {
            let k = next("number of eligible machines")?;
            if k <= 0 {
                return Err(perr(
                    ln,
                    format!("operation {} has no eligible machine", o + 1),
                ));
            }
            let mut alts = Vec::with_capacity(k as usize);
            for _ in 0..k {
                let m = next("machine")?;
                let t = next("processing time")?;
                if m < 1 || m as usize > nm {
                    return Err(perr(ln, format!("machine {m} out of range 1..{nm}")));
                }
                if t < 0 {
                    return Err(perr(ln, format!("negative processing time {t}")));
                }
                alts.push((m as usize - 1, t));
            }
            ops.push(alts);
        }
        if p != toks.len() {
            return Err(perr(
                ln,
                format!(
                    "{} values left over after {n_ops} operations",
                    toks.len() - p
                ),
            ));
        }
        jobs.push(ops);
    }
    if let Some((ln, _)) = it.next() {
        return Err(perr(
            ln,
            format!("unexpected data after the {nj} job lines"),
        ));
    }
    Ok(FjspInstance { machines: nm, jobs })
}

impl JsspInstance {
    pub fn to_problem(&self) -> Problem {
        Problem {
            machines: (0..self.machines).map(|k| Machine::new(k as u64)).collect(),
            jobs: self
                .jobs
                .iter()
                .enumerate()
                .map(|(j, ops)| {
                    Job::new(
                        j as u64,
                        ops.iter().map(|&(m, t)| Operation::on(m, t)).collect(),
                    )
                })
                .collect(),
        }
    }
}

impl FjspInstance {
    pub fn to_problem(&self) -> Problem {
        Problem {
            machines: (0..self.machines).map(|k| Machine::new(k as u64)).collect(),
            jobs: self
                .jobs
                .iter()
                .enumerate()
                .map(|(j, ops)| {
                    Job::new(
                        j as u64,
                        ops.iter()
                            .map(|alts| {
                                Operation::with_alternatives(
                                    alts.iter().map(|&(m, t)| Alternative::new(m, t)).collect(),
                                )
                            })
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

/// Options shared by the bench commands.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    pub time_limit_ms: u64,
    pub seed: u64,
    pub threads: usize,
    /// Work budget instead of (or with) the time limit: deterministic runs.
    pub iterations: Option<u64>,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            time_limit_ms: 10_000,
            seed: 0,
            threads: 0,
            iterations: None,
        }
    }
}

impl BenchOptions {
    fn solve_options(&self) -> SolveOptions {
        SolveOptions {
            objective: Objective::Makespan,
            time_limit: Some(Duration::from_millis(self.time_limit_ms)),
            iteration_limit: self.iterations,
            seed: self.seed,
            threads: self.threads,
            ..Default::default()
        }
    }
}

/// With `MES_BENCH_DEBUG` set, print search statistics on stderr (stdout stays one object).
fn debug_stats(s: &crate::solver::SolveStats) {
    if std::env::var_os("MES_BENCH_DEBUG").is_some() {
        eprintln!("{}", serde_json::to_string(s).unwrap_or_default());
    }
}

fn instance_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read(path: &Path) -> Result<String, BenchError> {
    std::fs::read_to_string(path).map_err(|e| err(format!("{}: {e}", path.display())))
}

/// `jssp FILE`: solve a job-shop file; `{"instance","makespan","starts","elapsed_ms"}`.
pub fn jssp(path: &Path, opts: &BenchOptions) -> Result<Value, BenchError> {
    jssp_run(path, opts).map(|r| r.0)
}

fn jssp_run(path: &Path, opts: &BenchOptions) -> Result<(Value, SolveStats), BenchError> {
    let t0 = Instant::now();
    let inst = parse_jssp(&read(path)?).map_err(|e| err(format!("{}: {e}", path.display())))?;
    let res = solve(&inst.to_problem(), &opts.solve_options()).map_err(|e| err(e.to_string()))?;
    debug_stats(&res.stats);
    let starts: Vec<Vec<Time>> = res
        .plan
        .ops
        .iter()
        .map(|ops| ops.iter().map(|o| o.start).collect())
        .collect();
    let v = json!({
        "instance": instance_name(path),
        "makespan": res.plan.makespan,
        "starts": starts,
        "elapsed_ms": t0.elapsed().as_millis() as u64,
    });
    Ok((v, res.stats))
}

/// `fjsp FILE`: solve a Brandimarte file; machines in the output numbered as in the file.
pub fn fjsp(path: &Path, opts: &BenchOptions) -> Result<Value, BenchError> {
    fjsp_run(path, opts).map(|r| r.0)
}

fn fjsp_run(path: &Path, opts: &BenchOptions) -> Result<(Value, SolveStats), BenchError> {
    let t0 = Instant::now();
    let inst = parse_fjsp(&read(path)?).map_err(|e| err(format!("{}: {e}", path.display())))?;
    let res = solve(&inst.to_problem(), &opts.solve_options()).map_err(|e| err(e.to_string()))?;
    debug_stats(&res.stats);
    let ops: Vec<Vec<Value>> = res
        .plan
        .ops
        .iter()
        .map(|ops| {
            ops.iter()
                .map(|o| json!({"machine": o.machine + 1, "start": o.start}))
                .collect()
        })
        .collect();
    let v = json!({
        "instance": instance_name(path),
        "makespan": res.plan.makespan,
        "ops": ops,
        "elapsed_ms": t0.elapsed().as_millis() as u64,
    });
    Ok((v, res.stats))
}

/// Best known value of an instance from a `bks.json` entry (`optimum`, else `ub`).
fn bks_value(entry: &Value) -> Option<i64> {
    entry
        .get("optimum")
        .and_then(Value::as_i64)
        .or_else(|| entry.get("ub").and_then(Value::as_i64))
}

/// One instance run: the printed object plus the solver's statistics.
type RunOne = fn(&Path, &BenchOptions) -> Result<(Value, SolveStats), BenchError>;

fn suite(dir: &Path, opts: &BenchOptions, run: RunOne) -> Result<Value, BenchError> {
    let bks: Value = match std::fs::read_to_string(dir.join("bks.json")) {
        Ok(s) => serde_json::from_str(&s).map_err(|e| err(format!("bks.json: {e}")))?,
        Err(_) => json!({}),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| err(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    let mut gaps = Vec::new();
    for f in &files {
        let (r, stats) = run(f, opts)?;
        let name = r["instance"].as_str().unwrap_or_default().to_string();
        let mk = r["makespan"].as_i64().unwrap_or(0);
        let best = bks.get(&name).and_then(bks_value);
        let gap = best.map(|b| 100.0 * (mk - b) as f64 / b as f64);
        if let Some(g) = gap {
            gaps.push(g);
        }
        rows.push(json!({
            "instance": name,
            "makespan": mk,
            "bks": best,
            "gap_percent": gap.map(|g| (g * 100.0).round() / 100.0),
            "elapsed_ms": r["elapsed_ms"],
            "best_found_ms": stats.best_found_ms,
        }));
    }
    let mean = if gaps.is_empty() {
        None
    } else {
        Some((gaps.iter().sum::<f64>() / gaps.len() as f64 * 1000.0).round() / 1000.0)
    };
    Ok(json!({
        "instances": rows,
        "mean_gap_percent": mean,
        "time_limit_ms": opts.time_limit_ms,
    }))
}

/// `jssp-suite DIR`: every `*.txt` in DIR, gap to `DIR/bks.json`.
pub fn jssp_suite(dir: &Path, opts: &BenchOptions) -> Result<Value, BenchError> {
    suite(dir, opts, jssp_run)
}

/// `fjsp-suite DIR`: every `*.txt` in DIR, gap to `DIR/bks.json`.
pub fn fjsp_suite(dir: &Path, opts: &BenchOptions) -> Result<Value, BenchError> {
    suite(dir, opts, fjsp_run)
}

/// `plant`: plant-size timings (first feasible plan, quality after `quality_ms`, replan after
/// a machine breakdown).
pub fn plant(seed: u64, quality_ms: u64) -> Value {
    crate::plant::plant_bench(seed, quality_ms)
}

/// A suite result as a Markdown table (for humans and BENCHMARKS.md).
pub fn suite_table(v: &Value) -> String {
    let mut s =
        String::from("| instance | BKS | makespan | gap % | ms |\n|---|---:|---:|---:|---:|\n");
    for r in v["instances"].as_array().into_iter().flatten() {
        s += &format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r["instance"].as_str().unwrap_or(""),
            r["bks"],
            r["makespan"],
            r["gap_percent"],
            r["best_found_ms"],
            r["elapsed_ms"]
        );
    }
    s += &format!("\nmean gap: {} %\n", v["mean_gap_percent"]);
    s
}

/// Command-line entry: `ARGS` after `bench`, e.g. `["jssp", "ft10.txt", "--time-limit-ms", "1000"]`.
/// Returns the text to print on stdout.
pub fn run(args: &[String]) -> Result<String, BenchError> {
    let usage = "usage: bench (jssp FILE | jssp-suite DIR | fjsp FILE | fjsp-suite DIR | plant) \
                 [--time-limit-ms N] [--seed S] [--threads T] [--iterations I] [--table]";
    let cmd = args.first().ok_or_else(|| err(usage))?;
    let mut opts = BenchOptions::default();
    let mut positional = Vec::new();
    let mut table = false;
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        let mut val = |name: &str| -> Result<u64, BenchError> {
            i += 1;
            args.get(i)
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| err(format!("{name} needs a non-negative integer")))
        };
        match a {
            "--time-limit-ms" => opts.time_limit_ms = val(a)?,
            "--seed" => opts.seed = val(a)?,
            "--threads" => opts.threads = val(a)? as usize,
            "--iterations" => opts.iterations = Some(val(a)?),
            "--table" => table = true,
            _ if a.starts_with("--") => return Err(err(format!("unknown option {a}\n{usage}"))),
            _ => positional.push(a.to_string()),
        }
        i += 1;
    }
    let path = || -> Result<PathBuf, BenchError> {
        positional
            .first()
            .map(PathBuf::from)
            .ok_or_else(|| err(format!("{cmd} needs a path\n{usage}")))
    };
    let v = match cmd.as_str() {
        "jssp" => jssp(&path()?, &opts)?,
        "fjsp" => fjsp(&path()?, &opts)?,
        "jssp-suite" | "fjsp-suite" => {
            let v = if cmd == "jssp-suite" {
                jssp_suite(&path()?, &opts)?
            } else {
                fjsp_suite(&path()?, &opts)?
            };
            if table {
                return Ok(suite_table(&v));
            }
            v
        }
        "plant" => plant(opts.seed, opts.time_limit_ms.min(10_000)),
        _ => return Err(err(format!("unknown bench command {cmd:?}\n{usage}"))),
    };
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jssp_errors_carry_line_numbers() {
        let e = parse_jssp("").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse_jssp("2 2\n0 1 1 2\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        let e = parse_jssp("\n2 2\n0 1 1 2\n\n0 1 5 2\n").unwrap_err();
        assert_eq!((e.line, e.message.contains("machine 5")), (5, true), "{e}");
        let e = parse_jssp("2 2\n0 1 1\n0 1 1 2\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse_jssp("2 2\n0 1 1 2\n0 1 1 -2\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse_jssp("2 2\n0 1 1 2\n0 1 1 2\n7\n").unwrap_err();
        assert_eq!(e.line, 4);
        let e = parse_jssp("2 two\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(parse_jssp("2 2\n0 1 1 2\n1 3 0 4\n").is_ok());
    }

    #[test]
    fn fjsp_errors_carry_line_numbers() {
        let ok = "2 3\n2 1 1 5 2 2 3 3 4\n1 1 3 2\n";
        let inst = parse_fjsp(ok).unwrap();
        assert_eq!(inst.jobs[0][1], vec![(1, 3), (2, 4)]);
        assert!(parse_fjsp("2 3 2.5\n1 1 1 5\n1 1 3 2\n").is_ok());
        let e = parse_fjsp("2 3 abc\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse_fjsp("2 3\n2 1 1 5 2 2 3\n1 1 3 2\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = parse_fjsp("2 3\n1 1 1 5 9\n1 1 3 2\n").unwrap_err();
        assert!(e.line == 2 && e.message.contains("left over"), "{e}");
        let e = parse_fjsp("2 3\n1 1 0 5\n1 1 3 2\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse_fjsp("2 3\n1 1 1 5\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse_fjsp("2 3\n1 0\n1 1 3 2\n").unwrap_err();
        assert_eq!(e.line, 2);
    }
}
