//! A quick engine timing that builds without the CLI, web and io crates (for
//! iterating on the engine; the benchmark of record is `cargo bench -p nangluc
//! --bench engine`, see docs/benchmarks.md).
//!
//! ```text
//! cargo run --release -p nangluc-engine --example quick -- DB [REPS] [--off] [--dump DIR [--unit CODE]]
//! ```
//!
//! Loads the snapshot from DB (SQLite path or postgres:// URL), then times all
//! plans of `plans/` evaluated together (`evaluate_plans`) and one by one
//! (`evaluate_with`), missing lists off and on; the evaluation date is
//! 2026-11-23 unless `NANGLUC_BENCH_AS_OF` says otherwise. `--dump DIR` writes
//! every plan's full result (as of the date, 30/06/2024, a forecast to
//! 31/12/2027, and one unit's subtree now and at 31/12/2025) instead, to
//! compare two versions with `diff -r`.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use nangluc_engine::{Options, Plan, Snapshot, SnapshotBuilder, evaluate_plans, evaluate_with};

/// CPU time of the process so far (user + system), in ms: on a shared machine
/// a steadier measure of the work than the wall time.
fn cpu_ms() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<&str> = s.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0.0) + f.get(12).and_then(|x| x.parse().ok()).unwrap_or(0.0);
    ticks * 10.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let db = args.first().expect("DB path or URL");
    let reps: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let dump = args.iter().position(|a| a == "--dump").and_then(|i| args.get(i + 1));
    let as_of: NaiveDate = std::env::var("NANGLUC_BENCH_AS_OF").ok().and_then(|v| v.parse().ok()).unwrap_or(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
    files.sort();
    let plans: Vec<Plan> = files.iter().map(|f| Plan::parse(&std::fs::read_to_string(f).unwrap(), &f.file_name().unwrap().to_string_lossy()).unwrap()).collect();
    let refs: Vec<&Plan> = plans.iter().collect();

    let t = Instant::now();
    let mut store = nangluc_store::Store::open(db).expect("open the database");
    let mut b = SnapshotBuilder::new(None);
    store.visit_knowledge(None, &mut b).expect("read the database");
    let snap: Snapshot = b.finish(as_of);
    let secs = t.elapsed().as_secs_f64();
    let hwm = mib("VmHWM");
    // Closing the database unmaps SQLite's memory-mapped file (up to 1 GiB of
    // file pages counted in VmRSS); what stays is the snapshot.
    drop(store);
    eprintln!(
        "snapshot: {} people in {secs:.1} s, estimate {} MiB; resident {} MiB ({} MiB anonymous), peak while loading {hwm} MiB",
        snap.people(),
        snap.heap_bytes() >> 20,
        mib("VmRSS"),
        mib("RssAnon"),
    );
    // From here the peak (VmHWM) is that of the evaluations, the snapshot in
    // memory: writing 5 to clear_refs resets it to the current resident size.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();

    if let Some(dir) = dump {
        // The points of view of `nangluc evaluate PLAN --format json` (same file
        // names as scripts/bench-dump.sh), so the two dumps compare with `diff -r`.
        let dir = Path::new(dir);
        std::fs::create_dir_all(dir).unwrap();
        let unit = args.iter().position(|a| a == "--unit").and_then(|i| args.get(i + 1)).cloned().unwrap_or_else(|| {
            let first = evaluate_with(&plans[0], &snap, as_of, &Options::default());
            first.targets.iter().flat_map(|t| &t.by_unit).find(|u| u.parent_id.is_some()).map(|u| u.code.clone()).unwrap_or_default()
        });
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let views = [
            ("now", as_of, None),
            ("2024", ymd(2024, 6, 30), None),
            ("2027", ymd(2027, 12, 31), None),
            ("unit", as_of, Some(unit.clone())),
            ("unit-2025", ymd(2025, 12, 31), Some(unit)),
        ];
        for (p, f) in plans.iter().zip(&files) {
            let stem = f.file_stem().unwrap().to_string_lossy();
            for (label, d, unit) in &views {
                let r = evaluate_with(p, &snap, *d, &Options { unit: unit.clone(), ..Options::default() });
                std::fs::write(dir.join(format!("{stem}-{label}.json")), serde_json::to_string_pretty(&r).unwrap()).unwrap();
            }
        }
        eprintln!("results written to {}", dir.display());
        return;
    }

    // `--off`: only the plans together with the missing lists off (for a profiler).
    let only_off = args.iter().any(|a| a == "--off");
    for missing in [false, true] {
        if missing && only_off {
            break;
        }
        let opts = Options { unit: None, missing, pace: true };
        let mut together = Vec::new();
        let mut apart = Vec::new();
        let (mut cpu_together, mut cpu_apart) = (0.0, 0.0);
        for _ in 0..reps {
            let (t, c) = (Instant::now(), cpu_ms());
            std::hint::black_box(evaluate_plans(&refs, &snap, as_of, &opts));
            together.push(t.elapsed().as_secs_f64() * 1000.0);
            cpu_together += cpu_ms() - c;
            if only_off {
                apart.push(0.0);
                continue;
            }
            let (t, c) = (Instant::now(), cpu_ms());
            for p in &plans {
                std::hint::black_box(evaluate_with(p, &snap, as_of, &opts));
            }
            apart.push(t.elapsed().as_secs_f64() * 1000.0);
            cpu_apart += cpu_ms() - c;
        }
        together.sort_by(f64::total_cmp);
        apart.sort_by(f64::total_cmp);
        println!(
            "missing {}: together median {:.1} ms (min {:.1}; CPU {:.0} ms per run), one plan at a time median {:.1} ms (min {:.1}; CPU {:.0} ms)",
            if missing { "on " } else { "off" },
            together[reps / 2],
            together[0],
            cpu_together / reps as f64,
            apart[reps / 2],
            apart[0],
            cpu_apart / reps as f64
        );
    }
    if reset {
        eprintln!("peak resident (VmHWM) during the evaluations, snapshot included: {} MiB", mib("VmHWM"));
    } else {
        eprintln!("peak resident (VmHWM) since start: {} MiB", mib("VmHWM"));
    }
}

/// A field of /proc/self/status in MiB.
fn mib(k: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find(|l| l.starts_with(k)).and_then(|l| l.split_whitespace().nth(1)).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0) >> 10
}
