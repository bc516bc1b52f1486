//! `mes bench jssp|fjsp|jssp-suite` against the real binary. The schedules are checked here by a
//! checker that reads the instance file itself and shares no code with the solver.

use std::path::PathBuf;

use mes_tests::cli::mes;
use serde_json::Value;

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(path)
}

fn numbers(line: &str) -> Vec<i64> {
    line.split_whitespace()
        .map(|t| t.parse::<f64>().expect("number") as i64)
        .collect()
}

fn run_json(args: &[&str]) -> Value {
    let out = mes(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "mes {args:?}: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "one JSON object: {stdout}"
    );
    serde_json::from_str(stdout.trim()).expect("JSON on stdout")
}

/// One scheduled operation: job, machine, start, end.
type Scheduled = (usize, i64, i64, i64);

/// Checks job precedence and that no machine runs two operations at once; returns the makespan.
fn check(jobs: &[Vec<Scheduled>]) -> i64 {
    let mut by_machine: Vec<(i64, i64, i64, usize)> = Vec::new();
    for ops in jobs {
        for pair in ops.windows(2) {
            assert!(
                pair[1].2 >= pair[0].3,
                "job {}: an operation starts at {} before its predecessor ends at {}",
                pair[0].0,
                pair[1].2,
                pair[0].3
            );
        }
        for &(job, machine, start, end) in ops {
            assert!(start >= 0, "job {job}: negative start");
            by_machine.push((machine, start, end, job));
        }
    }
    by_machine.sort();
    for pair in by_machine.windows(2) {
        if pair[0].0 == pair[1].0 {
            assert!(
                pair[1].1 >= pair[0].2,
                "machine {}: jobs {} and {} overlap",
                pair[0].0,
                pair[0].3,
                pair[1].3
            );
        }
    }
    jobs.iter().flatten().map(|o| o.3).max().unwrap_or(0)
}

#[test]
fn bench_jssp_prints_a_feasible_schedule_for_ft06() {
    let file = data("jssp/ft06.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = numbers(lines.next().unwrap());
    let routings: Vec<Vec<(i64, i64)>> = lines
        .take(header[0] as usize)
        .map(|l| numbers(l).chunks(2).map(|p| (p[0], p[1])).collect())
        .collect();

    let result = run_json(&[
        "bench",
        "jssp",
        file.to_str().unwrap(),
        "--time-limit-ms",
        "300",
        "--seed",
        "3",
    ]);
    assert_eq!(result["instance"], "ft06");
    assert!(result["elapsed_ms"].as_u64().is_some());
    let starts = result["starts"].as_array().expect("starts");
    assert_eq!(starts.len(), routings.len());
    let jobs: Vec<Vec<Scheduled>> = routings
        .iter()
        .zip(starts)
        .enumerate()
        .map(|(j, (routing, starts))| {
            let starts = starts.as_array().unwrap();
            assert_eq!(
                starts.len(),
                routing.len(),
                "job {j}: one start per operation"
            );
            routing
                .iter()
                .zip(starts)
                .map(|(&(machine, time), s)| {
                    let s = s.as_i64().unwrap();
                    (j, machine, s, s + time)
                })
                .collect()
        })
        .collect();
    let makespan = check(&jobs);
    assert_eq!(result["makespan"].as_i64(), Some(makespan));
    // 55 is ft06's proven optimum: no feasible schedule can be shorter.
    assert!(makespan >= 55, "makespan {makespan} below the optimum");
}

#[test]
fn bench_fjsp_prints_a_feasible_schedule_for_mk01() {
    let file = data("fjsp/mk01.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = numbers(lines.next().unwrap());
    // Per job, per operation: eligible (machine numbered from 1, time).
    let routings: Vec<Vec<Vec<(i64, i64)>>> = lines
        .take(header[0] as usize)
        .map(|l| {
            let n = numbers(l);
            let mut ops = Vec::new();
            let mut i = 1;
            for _ in 0..n[0] {
                let k = n[i] as usize;
                ops.push(
                    (0..k)
                        .map(|a| (n[i + 1 + 2 * a], n[i + 2 + 2 * a]))
                        .collect(),
                );
                i += 1 + 2 * k;
            }
            ops
        })
        .collect();

    let result = run_json(&[
        "bench",
        "fjsp",
        file.to_str().unwrap(),
        "--time-limit-ms",
        "300",
    ]);
    assert_eq!(result["instance"], "mk01");
    let planned = result["ops"].as_array().expect("ops");
    assert_eq!(planned.len(), routings.len());
    let jobs: Vec<Vec<Scheduled>> = routings
        .iter()
        .zip(planned)
        .enumerate()
        .map(|(j, (routing, planned))| {
            let planned = planned.as_array().unwrap();
            assert_eq!(planned.len(), routing.len());
            routing
                .iter()
                .zip(planned)
                .map(|(eligible, op)| {
                    let machine = op["machine"].as_i64().unwrap();
                    let start = op["start"].as_i64().unwrap();
                    let time = eligible
                        .iter()
                        .find(|(m, _)| *m == machine)
                        .unwrap_or_else(|| panic!("job {j}: machine {machine} not eligible"))
                        .1;
                    (j, machine, start, start + time)
                })
                .collect()
        })
        .collect();
    let makespan = check(&jobs);
    assert_eq!(result["makespan"].as_i64(), Some(makespan));
    // 40 is mk01's proven optimum.
    assert!(makespan >= 40);
}

#[test]
fn bench_jssp_suite_reports_the_gap_to_the_best_known_value() {
    let dir = data("jssp");
    let result = run_json(&[
        "bench",
        "jssp-suite",
        dir.to_str().unwrap(),
        "--time-limit-ms",
        "200",
    ]);
    let rows = result["instances"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["instance"], "ft06");
    assert_eq!(rows[0]["bks"], 55);
    let makespan = rows[0]["makespan"].as_f64().unwrap();
    let gap = rows[0]["gap_percent"].as_f64().unwrap();
    assert!((gap - 100.0 * (makespan - 55.0) / 55.0).abs() < 0.01);
}

#[test]
fn bench_rejects_a_malformed_instance_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.txt");
    std::fs::write(&file, "2 2\n0 1 1 2\n0 1 9 2\n").unwrap();
    let out = mes(&["bench", "jssp", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3"), "{stderr}");
}

#[test]
fn scheduling_bench_commands_have_help() {
    for what in [
        "jssp",
        "jssp-suite",
        "fjsp",
        "fjsp-suite",
        "plant",
        "schedule",
    ] {
        let out = mes(&["bench", what, "--help"]);
        assert!(out.status.success(), "mes bench {what} --help");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
    }
}
