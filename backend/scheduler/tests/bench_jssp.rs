//! Runs the `jssp` bench entry on ft06 and checks its output with an independent checker:
//! its own parser of the instance format and its own feasibility rules (nothing shared with
//! the solver).

use std::path::PathBuf;

/// ft06 (Fisher & Thompson 1963), standard format; optimum 55.
const FT06: &str = "6 6
2 1 0 3 1 6 3 7 5 3 4 6
1 8 2 5 4 10 5 10 0 10 3 4
2 5 3 4 5 8 0 9 1 1 4 7
1 5 0 5 2 5 3 3 4 8 5 9
2 9 1 3 4 5 5 4 0 3 3 1
1 3 3 3 5 9 0 10 4 4 2 1
";

/// Independent reading of the format: `(machine, time)` pairs per job.
fn read_instance(text: &str) -> Vec<Vec<(u64, u64)>> {
    let mut nums = text
        .split_ascii_whitespace()
        .map(|t| t.parse::<u64>().unwrap());
    let jobs = nums.next().unwrap();
    let machines = nums.next().unwrap();
    (0..jobs)
        .map(|_| {
            (0..machines)
                .map(|_| (nums.next().unwrap(), nums.next().unwrap()))
                .collect()
        })
        .collect()
}

/// Recompute the makespan of `starts` after checking job order and machine exclusivity.
fn verify(inst: &[Vec<(u64, u64)>], starts: &[Vec<i64>]) -> Result<i64, String> {
    if starts.len() != inst.len() {
        return Err("wrong number of jobs".into());
    }
    let mut busy: Vec<(u64, i64, i64)> = Vec::new();
    let mut makespan = 0;
    for (j, ops) in inst.iter().enumerate() {
        if starts[j].len() != ops.len() {
            return Err(format!("job {j}: wrong number of operations"));
        }
        let mut ready = 0i64;
        for (o, &(m, p)) in ops.iter().enumerate() {
            let s = starts[j][o];
            if s < ready {
                return Err(format!("job {j} op {o} starts at {s} before {ready}"));
            }
            ready = s + p as i64;
            makespan = makespan.max(ready);
            busy.push((m, s, ready));
        }
    }
    for a in 0..busy.len() {
        for b in 0..a {
            let (ma, sa, ea) = busy[a];
            let (mb, sb, eb) = busy[b];
            if ma == mb && sa < eb && sb < ea {
                return Err(format!("overlap on machine {ma}"));
            }
        }
    }
    Ok(makespan)
}

#[test]
fn jssp_entry_on_ft06_is_feasible_and_optimal() {
    // Prefer the shared benchmark file beside the project; fall back to the copy above.
    let shared =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/jssp/ft06.txt");
    let path = if shared.exists() {
        shared
    } else {
        let p = std::env::temp_dir().join(format!("ft06-{}.txt", std::process::id()));
        std::fs::write(&p, FT06).unwrap();
        p
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let inst = read_instance(&text);
    let out = mes_scheduler::bench::run(&[
        "jssp".to_string(),
        path.to_string_lossy().into_owned(),
        // A work budget rather than a clock: deterministic, and fast enough in debug builds.
        "--iterations".to_string(),
        "5000".to_string(),
        "--time-limit-ms".to_string(),
        "60000".to_string(),
        "--seed".to_string(),
        "7".to_string(),
    ])
    .expect("bench runs");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(v["instance"], "ft06");
    let starts: Vec<Vec<i64>> = serde_json::from_value(v["starts"].clone()).unwrap();
    let reported = v["makespan"].as_i64().unwrap();
    let actual = verify(&inst, &starts).expect("feasible schedule");
    assert_eq!(actual, reported, "reported makespan matches the schedule");
    assert_eq!(reported, 55, "ft06 is solved to optimality");
    assert!(v["elapsed_ms"].as_u64().is_some());
}

#[test]
fn malformed_files_give_line_numbers() {
    let dir = std::env::temp_dir();
    let p = dir.join(format!("bad-{}.txt", std::process::id()));
    std::fs::write(&p, "2 2\n0 1 1 2\n0 x 1 2\n").unwrap();
    let err = mes_scheduler::bench::run(&["jssp".into(), p.to_string_lossy().into_owned()])
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 3"), "{err}");
    std::fs::write(&p, "2 3 1.5\n1 2 1 3 2 4\n1 1 9 5\n").unwrap();
    let err = mes_scheduler::bench::run(&["fjsp".into(), p.to_string_lossy().into_owned()])
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 3") && err.contains("machine 9"), "{err}");
    let _ = std::fs::remove_file(&p);
}
