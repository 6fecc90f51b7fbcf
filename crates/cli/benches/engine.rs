//! Benchmark of the target engine (not a test: nothing here is timed by `cargo test`).
//!
//! ```text
//! NANGLUC_BENCH_SQLITE=/tmp/bench-2m.db \
//! NANGLUC_BENCH_PG=postgres://postgres@127.0.0.1:5432/nangluc_bench \
//! cargo bench -p nangluc --bench engine -- --reps 5
//! ```
//!
//! Arguments (after `--`) or environment variables:
//!
//! * `--sqlite PATH` / `NANGLUC_BENCH_SQLITE`: a SQLite database to load the snapshot from;
//! * `--pg URL` / `NANGLUC_BENCH_PG`: a PostgreSQL database to load it from, and to run the
//!   plain-SQL versions of three targets on;
//! * `--reps N` / `NANGLUC_BENCH_REPS`: repetitions of each timed evaluation (median; default 5);
//! * `--as-of YYYY-MM-DD` / `NANGLUC_BENCH_AS_OF`: the evaluation date, also the snapshot's
//!   "today" (default 2026-11-23, the day the benchmark databases were generated);
//! * `--per-target` / `NANGLUC_BENCH_PER_TARGET=1`: also time each person target alone (profiling).
//! * `--dump DIR` / `NANGLUC_BENCH_DUMP`: instead of timing, write every plan's full result (JSON,
//!   missing lists on) as of the date, as of an earlier date, as of a forecast date and for one
//!   unit's subtree into DIR, to check that a change of the engine leaves the answers unchanged
//!   (`diff -r` two dumps).
//!
//! It prints: the snapshot load time from each database (separately), the process's resident
//! memory (VmRSS, and VmHWM: the peak) and the engine's own estimate of the snapshot's heap;
//! the evaluation of all plan files in `plans/` with the snapshot in memory (median of N runs,
//! with the `missing` lists on and off); and, on PostgreSQL, for one ratio (R), one
//! after-event (E) and one window (W) target, the same computation as a hand-written SQL query,
//! timed in the same run, asserting that population and met agree.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use chrono::NaiveDate;
use nangluc_core::knowledge::KnowledgeSink;
use nangluc_core::{Fact, Versioned};
use nangluc_engine::{Options, Plan, Snapshot, SnapshotBuilder, evaluate_plans, evaluate_with};
use nangluc_store::Store;

struct Args {
    sqlite: Option<String>,
    pg: Option<String>,
    reps: usize,
    as_of: NaiveDate,
    per_target: bool,
    dump: Option<String>,
}

fn args() -> Result<Args> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut a = Args {
        sqlite: env("NANGLUC_BENCH_SQLITE"),
        pg: env("NANGLUC_BENCH_PG"),
        reps: env("NANGLUC_BENCH_REPS").map(|v| v.parse()).transpose()?.unwrap_or(5),
        as_of: env("NANGLUC_BENCH_AS_OF").map(|v| v.parse()).transpose()?.unwrap_or(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
        per_target: env("NANGLUC_BENCH_PER_TARGET").is_some_and(|v| v != "0"),
        dump: env("NANGLUC_BENCH_DUMP"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--sqlite" => a.sqlite = it.next(),
            "--pg" => a.pg = it.next(),
            "--reps" => a.reps = it.next().context("--reps N")?.parse()?,
            "--as-of" => a.as_of = it.next().context("--as-of YYYY-MM-DD")?.parse()?,
            "--per-target" => a.per_target = true,
            "--dump" => a.dump = it.next(),
            // cargo bench passes --bench; ignore anything else.
            _ => {}
        }
    }
    ensure!(a.reps > 0, "--reps must be at least 1");
    if a.sqlite.is_none() && a.pg.is_none() {
        bail!("nothing to read: give --sqlite PATH and/or --pg URL (or NANGLUC_BENCH_SQLITE / NANGLUC_BENCH_PG)");
    }
    Ok(a)
}

/// A field of /proc/self/status in MiB (VmRSS: resident now, VmHWM: peak resident).
fn status_mib(field: &str) -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn fmt_ms(d: Duration) -> String {
    let m = ms(d);
    if m >= 100.0 { format!("{m:.0} ms") } else { format!("{m:.1} ms") }
}

struct Counting<'a> {
    inner: &'a mut SnapshotBuilder,
    rows: u64,
}

impl KnowledgeSink for Counting<'_> {
    fn row(&mut self, row: Versioned<Fact>) {
        self.rows += 1;
        self.inner.row(row);
    }
}

struct Loaded {
    snap: Snapshot,
    rows: u64,
    secs: f64,
    rss_before: f64,
    rss_after: f64,
    hwm: f64,
}

fn load(url: &str, today: NaiveDate) -> Result<Loaded> {
    let rss_before = status_mib("VmRSS");
    let t = Instant::now();
    let mut store = Store::open(url).with_context(|| format!("cannot open {}", nangluc_store::redact(url)))?;
    let mut builder = SnapshotBuilder::new(None);
    let mut sink = Counting { inner: &mut builder, rows: 0 };
    store.visit_knowledge(None, &mut sink)?;
    let rows = sink.rows;
    let snap = builder.finish(today);
    let secs = t.elapsed().as_secs_f64();
    Ok(Loaded { snap, rows, secs, rss_before, rss_after: status_mib("VmRSS"), hwm: status_mib("VmHWM") })
}

fn plans() -> Result<Vec<Plan>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans");
    let mut files: Vec<_> = std::fs::read_dir(&dir)?.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let plan = Plan::parse(&text, &name).map_err(|e| anyhow::anyhow!("{name}: {} errors, first: {}", e.len(), e[0]))?;
        out.push(plan);
    }
    Ok(out)
}

fn one_target(plans: &[Plan], plan_id: &str, target: &str) -> Result<Plan> {
    let plan = plans.iter().find(|p| p.id == plan_id).with_context(|| format!("no plan {plan_id}"))?;
    let mut one = plan.clone();
    one.targets.retain(|t| t.id == target);
    ensure!(one.targets.len() == 1, "no target {target} in {plan_id}");
    Ok(one)
}

/// (plan, target, population, met) of every target.
type Counts = Vec<(String, String, u64, u64)>;

/// Counts of every target of every plan (to check that two snapshots agree).
fn counts(plans: &[Plan], snap: &Snapshot, as_of: NaiveDate) -> Counts {
    let opts = Options { unit: None, missing: false, pace: false };
    plans
        .iter()
        .flat_map(|p| evaluate_with(p, snap, as_of, &opts).targets.into_iter().map(move |t| (p.id.clone(), t.id, t.population, t.met)))
        .collect()
}

// ---------------------------------------------------------------------------
// The three targets as plain SQL on PostgreSQL. $1 is the as-of date. The
// reading is "what is believed now" (superseded_at IS NULL), as the snapshot
// built with known_at = None. A row version holds on d when
// valid_from <= d AND (valid_to IS NULL OR valid_to > d); rows with an empty
// validity (valid_to <= valid_from) are ignored, as the engine does.
// ---------------------------------------------------------------------------

/// Common part: each person's employment on d (the one that started last,
/// as the engine picks it), the person's details known on d, and the unit
/// it is counted in on d's unit tree (following mergers/renames to the
/// successor unit when the employment's unit no longer exists on d).
const BASE: &str = "
WITH RECURSIVE
emp AS (
    SELECT DISTINCT ON (person_id) person_id, unit_id, category, post_code, appointed_on, elected_on
    FROM employments
    WHERE superseded_at IS NULL AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)
    ORDER BY person_id, valid_from DESC, id DESC, row_id DESC
),
tree AS (
    SELECT DISTINCT ON (id) id, level
    FROM units
    WHERE superseded_at IS NULL AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)
    ORDER BY id, valid_from DESC
),
succ AS (
    SELECT DISTINCT ON (unit_id) unit_id, successor_id
    FROM unit_changes
    WHERE superseded_at IS NULL AND successor_id IS NOT NULL AND (valid_to IS NULL OR valid_to > valid_from)
    ORDER BY unit_id, id, valid_from, row_id
),
walk (start, cur, n) AS (
    SELECT u, u, 0 FROM (SELECT DISTINCT unit_id AS u FROM emp) s
    UNION ALL
    SELECT w.start, s.successor_id, w.n + 1 FROM walk w JOIN succ s ON s.unit_id = w.cur
    WHERE w.n < 16 AND NOT EXISTS (SELECT 1 FROM tree t WHERE t.id = w.cur)
),
placed AS (
    SELECT DISTINCT ON (w.start) w.start AS unit_id, t.level
    FROM walk w JOIN tree t ON t.id = w.cur
    ORDER BY w.start, w.n
),
base AS (
    SELECT e.*, pl.level
    FROM emp e LEFT JOIN placed pl ON pl.unit_id = e.unit_id
    WHERE EXISTS (
        SELECT 1 FROM people d
        WHERE d.id = e.person_id AND d.superseded_at IS NULL AND d.valid_from <= $1 AND (d.valid_to IS NULL OR d.valid_to > $1)
    )
)";

/// A completed training of person `pop.person_id` ending in [lo, hi], on the
/// enrolment's version as it stands on d (the latest version starting on or
/// before d; a completion stays a fact after its version closed).
fn completed_sql(lo: &str, hi: &str, topic: Option<&str>) -> String {
    let topic = topic
        .map(|t| {
            format!(
                " AND (SELECT p.topic FROM programmes p WHERE p.id = e.programme_id AND p.superseded_at IS NULL \
                 AND (p.valid_to IS NULL OR p.valid_to > p.valid_from) ORDER BY p.valid_from DESC, p.row_id DESC LIMIT 1) = '{t}'"
            )
        })
        .unwrap_or_default();
    format!(
        "EXISTS (
        SELECT 1 FROM enrolments e
        WHERE e.person_id = pop.person_id AND e.superseded_at IS NULL
          AND e.valid_from <= $1 AND (e.valid_to IS NULL OR e.valid_to > e.valid_from)
          AND e.status = 'completed' AND e.ends_on >= {lo} AND e.ends_on <= {hi}{topic}
          AND NOT EXISTS (
              SELECT 1 FROM enrolments n
              WHERE n.id = e.id AND n.superseded_at IS NULL AND n.valid_from <= $1
                AND (n.valid_to IS NULL OR n.valid_to > n.valid_from)
                AND (n.valid_from, n.row_id) > (e.valid_from, e.row_id)))"
    )
}

/// Tây Ninh 9 (R): commune cadres and civil servants with a university degree or higher.
fn sql_ratio() -> String {
    format!(
        "{BASE},
pop AS (
    SELECT person_id FROM base
    WHERE category IN ('commune_cadre', 'commune_civil_servant')
       OR (category IN ('cadre', 'civil_servant') AND level = 'commune')
)
SELECT count(*),
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM qualifications q
           WHERE q.person_id = pop.person_id AND q.superseded_at IS NULL AND q.kind = 'education'
             AND q.level IN ('dai_hoc', 'thac_si', 'chuyen_khoa_1', 'tien_si', 'chuyen_khoa_2')
             AND GREATEST(q.valid_from, q.obtained_on) <= $1 AND (q.valid_to IS NULL OR q.valid_to > $1)))
FROM pop"
    )
}

/// Đồng Nai 31 (E): leaders managed by the Standing Committee trained in leadership within 24
/// months of their appointment or election (events since 1 January 2022, the plan's start).
fn sql_after_event() -> String {
    format!(
        "{BASE},
pop AS (
    SELECT person_id, GREATEST(appointed_on, elected_on) AS ev
    FROM base
    WHERE post_code IS NOT NULL
      AND EXISTS (
          SELECT 1 FROM roles r
          WHERE r.person_id = base.person_id AND r.superseded_at IS NULL AND r.kind = 'standing_committee_managed'
            AND r.valid_from <= $1 AND (r.valid_to IS NULL OR r.valid_to > $1))
)
SELECT count(*),
       count(*) FILTER (WHERE ev IS NOT NULL AND {})
FROM pop
WHERE ev IS NULL OR ev >= DATE '2022-01-01'",
        completed_sql("pop.ev", "LEAST($1, (pop.ev + INTERVAL '24 months')::date)", Some("leadership"))
    )
}

/// Tây Ninh 11 (W): non-professional commune workers with any training completed in the last
/// 24 months.
fn sql_window() -> String {
    format!(
        "{BASE},
pop AS (SELECT person_id FROM base WHERE category = 'non_professional')
SELECT count(*), count(*) FILTER (WHERE {}) FROM pop",
        completed_sql("($1 - INTERVAL '24 months')::date", "$1", None)
    )
}

/// Writes every plan's full result for a few points of view into `dir` (see `--dump`).
fn dump(plans: &[Plan], snap: &Snapshot, as_of: NaiveDate, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    // A unit below the top: the first unit row with a parent in the first plan's first result.
    let first = evaluate_with(&plans[0], snap, as_of, &Options::default());
    let unit = first.targets.iter().flat_map(|t| &t.by_unit).find(|u| u.parent_id.is_some()).map(|u| u.code.clone());
    let earlier = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
    let later = as_of + chrono::Days::new(400);
    let views = [("now", as_of, None), ("earlier", earlier, None), ("forecast", later, None), ("unit", as_of, unit)];
    for p in plans {
        for (label, d, unit) in &views {
            let opts = Options { unit: unit.clone(), ..Options::default() };
            let r = evaluate_with(p, snap, *d, &opts);
            let path = dir.join(format!("{}-{label}.json", p.id));
            std::fs::write(&path, serde_json::to_string_pretty(&r)?)?;
        }
    }
    println!("results written to {}", dir.display());
    Ok(())
}

fn main() -> Result<()> {
    let a = args()?;
    let plans = plans()?;
    let n_targets: usize = plans.iter().map(|p| p.targets.len()).sum();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("NăngLực engine benchmark — as of {}, {} plan files, {} targets, {} cores, {} repetitions", a.as_of, plans.len(), n_targets, cores, a.reps);
    println!();

    // 1. Loading the snapshot, from each database separately.
    let mut snap: Option<Snapshot> = None;
    let mut reference: Option<(&str, Counts)> = None;
    println!("{:<32} {:>12} {:>12} {:>10} {:>12} {:>12} {:>12}", "snapshot load", "people", "rows", "seconds", "RSS +MiB", "peak MiB", "est. MiB");
    for (name, url) in [("SQLite", a.sqlite.as_deref()), ("PostgreSQL", a.pg.as_deref())] {
        let Some(url) = url else { continue };
        drop(snap.take()); // drop the previous one before measuring the next
        let l = load(url, a.as_of)?;
        println!(
            "{:<32} {:>12} {:>12} {:>10.1} {:>12.0} {:>12.0} {:>12.0}",
            format!("from {name}"),
            l.snap.people(),
            l.rows,
            l.secs,
            l.rss_after - l.rss_before,
            l.hwm,
            l.snap.heap_bytes() as f64 / 1048576.0
        );
        let c = counts(&plans, &l.snap, a.as_of);
        if let Some((other, rc)) = &reference {
            ensure!(*rc == c, "the snapshots from {other} and {name} give different figures");
        } else {
            reference = Some((name, c));
        }
        snap = Some(l.snap);
    }
    let snap = snap.expect("a snapshot");
    if a.sqlite.is_some() && a.pg.is_some() {
        println!("(both snapshots give the same population and met for all {n_targets} targets)");
    }
    println!();

    if let Some(dir) = &a.dump {
        return dump(&plans, &snap, a.as_of, Path::new(dir));
    }

    // 2. Evaluating every plan with the snapshot in memory.
    println!("{:<48} {:>12} {:>12} {:>12}", "evaluation, all plans (snapshot in memory)", "median", "min", "max");
    // All plans together (`evaluate_plans`: one pass per date for all their
    // targets), then one plan at a time (`evaluate_with`, as the CLI does).
    let refs: Vec<&Plan> = plans.iter().collect();
    for together in [true, false] {
        for missing in [false, true] {
            let opts = Options { unit: None, missing, pace: true };
            let mut times = Vec::new();
            let mut listed = 0usize;
            for _ in 0..a.reps {
                let t = Instant::now();
                let rs = if together { evaluate_plans(&refs, &snap, a.as_of, &opts) } else { plans.iter().map(|p| evaluate_with(p, &snap, a.as_of, &opts)).collect() };
                times.push(t.elapsed());
                listed = rs.iter().flat_map(|r| &r.targets).map(|t| t.missing.len()).sum::<usize>();
                std::hint::black_box(&rs);
            }
            let (lo, hi) = (*times.iter().min().unwrap(), *times.iter().max().unwrap());
            println!(
                "{:<48} {:>12} {:>12} {:>12}",
                format!("{n_targets} targets {}, missing {} ({listed} rows)", if together { "together" } else { "plan by plan" }, if missing { "on" } else { "off" }),
                fmt_ms(median(times)),
                fmt_ms(lo),
                fmt_ms(hi)
            );
        }
    }
    println!("peak resident memory so far (VmHWM): {:.0} MiB", status_mib("VmHWM"));
    println!();

    if a.per_target {
        println!("{:<40} {:>6} {:>12}", "per target (alone, missing off, pace on)", "kind", "time");
        let opts = Options { unit: None, missing: false, pace: true };
        let mut all = Vec::new();
        for p in &plans {
            for t in &p.targets {
                let one = one_target(&plans, &p.id, &t.id)?;
                let start = Instant::now();
                std::hint::black_box(evaluate_with(&one, &snap, a.as_of, &opts));
                all.push((format!("{} {}", p.id, t.id), t.kind.letter(), start.elapsed()));
            }
        }
        all.sort_by_key(|x| std::cmp::Reverse(x.2));
        for (name, letter, d) in all {
            println!("{name:<40} {letter:>6} {:>12}", fmt_ms(d));
        }
        println!();
    }

    // 3. Three targets as plain SQL on PostgreSQL, against the engine on the same data.
    let Some(pg) = &a.pg else {
        println!("(no PostgreSQL URL: the SQL comparison is skipped)");
        return Ok(());
    };
    let mut client = postgres::Client::connect(pg, postgres::NoTls).context("connect for the SQL comparison")?;
    let cases = [
        ("R", "tay-ninh-2021-2025", "9", sql_ratio()),
        ("E", "dong-nai-143-2023", "31", sql_after_event()),
        ("W", "tay-ninh-2021-2025", "11", sql_window()),
    ];
    let sql_reps = a.reps.min(3);
    println!(
        "{:<28} {:>10} {:>10} {:>12} {:>12} {:>8}   (engine: one-target plan, missing and pace off; SQL: median of {sql_reps})",
        "target", "population", "met", "engine", "SQL", "SQL/eng"
    );
    let opts = Options { unit: None, missing: false, pace: false };
    for (letter, plan_id, target, sql) in cases {
        let one = one_target(&plans, plan_id, target)?;
        let mut et = Vec::new();
        let mut eng = (0, 0);
        for _ in 0..a.reps {
            let t = Instant::now();
            let r = evaluate_with(&one, &snap, a.as_of, &opts);
            et.push(t.elapsed());
            eng = (r.targets[0].population, r.targets[0].met);
        }
        let mut st = Vec::new();
        let mut got = (0, 0);
        for _ in 0..sql_reps {
            let t = Instant::now();
            let row = client.query_one(sql.as_str(), &[&a.as_of]).with_context(|| format!("SQL of {plan_id} {target}"))?;
            st.push(t.elapsed());
            got = (row.get::<_, i64>(0) as u64, row.get::<_, i64>(1) as u64);
        }
        let (e, s) = (median(et), median(st));
        println!(
            "{:<28} {:>10} {:>10} {:>12} {:>12} {:>7.0}×",
            format!("{letter}: {plan_id} {target}"),
            eng.0,
            eng.1,
            fmt_ms(e),
            fmt_ms(s),
            ms(s) / ms(e)
        );
        ensure!(eng == got, "{plan_id} {target}: the engine says population {} met {}, SQL says population {} met {}", eng.0, eng.1, got.0, got.1);
    }
    println!("(engine and SQL agree on population and met for the three targets)");
    println!("peak resident memory (VmHWM): {:.0} MiB", status_mib("VmHWM"));
    Ok(())
}
