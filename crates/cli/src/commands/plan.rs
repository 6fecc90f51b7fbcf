//! `nangluc check`, `evaluate`, `diff`: plan files and the target engine.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use nangluc_core::AsOf;
use nangluc_engine::result::show_share;
use nangluc_engine::{Options, Plan, PlanResult, Snapshot, SnapshotBuilder};

use super::{number, open_store, parse_date, today};

/// Reads and checks a plan file; every error is printed with its line and column.
pub fn read_plan(path: &Path) -> Result<Plan> {
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp kế hoạch '{}'", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Plan::parse(&text, &name).map_err(|errors| {
        for e in &errors {
            eprintln!("{e}");
        }
        anyhow::anyhow!("tệp kế hoạch '{}' có {} lỗi", path.display(), errors.len())
    })
}

/// Reads what the store knew at `known_at` into the engine's compact snapshot,
/// row by row (bounded memory), with a progress spinner.
pub fn load_snapshot(db: &str, known_at: Option<NaiveDate>) -> Result<Snapshot> {
    let mut store = open_store(db)?;
    let known_at = known_at.map(AsOf::end_of_day);
    let spinner = crate::progress::spinner("Đọc dữ liệu");
    let mut builder = SnapshotBuilder::new(known_at);
    let mut sink = crate::progress::CountingSink { inner: &mut builder, bar: &spinner, rows: 0 };
    store.visit_knowledge(known_at, &mut sink)?;
    spinner.finish_and_clear();
    Ok(builder.finish(today()))
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Tệp kế hoạch (TOML).
    plan: PathBuf,
}

pub fn check(args: CheckArgs) -> Result<()> {
    let plan = read_plan(&args.plan)?;
    println!(
        "Kế hoạch '{}' hợp lệ: {} chỉ tiêu trong {} nhóm, {} nhiệm vụ.",
        plan.name,
        plan.targets.len(),
        plan.groups.len(),
        plan.duties.len()
    );
    Ok(())
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct EvaluateArgs {
    /// Tệp kế hoạch (TOML).
    plan: PathBuf,
    /// Ngày đánh giá (dd/mm/yyyy); sau hôm nay là dự báo.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Chỉ dùng dữ liệu đã ghi nhận đến hết ngày này (tái lập báo cáo đã ký).
    #[arg(long, value_parser = parse_date)]
    as_known_at: Option<NaiveDate>,
    /// Chỉ đơn vị có mã này và các đơn vị trực thuộc.
    #[arg(long)]
    unit: Option<String>,
    /// Dạng kết quả.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Tệp ghi kết quả (bắt buộc với xlsx; mặc định in ra màn hình).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub fn evaluate(db: &str, args: EvaluateArgs) -> Result<()> {
    let plan = read_plan(&args.plan)?;
    let snapshot = load_snapshot(db, args.as_known_at)?;
    let as_of = args.as_of.unwrap_or_else(today);
    let options = Options { unit: args.unit.clone(), ..Options::default() };
    let result = nangluc_engine::evaluate_with(&plan, &snapshot, as_of, &options);
    match args.format {
        Format::Table => {
            let text = table(&result);
            match &args.output {
                Some(path) => std::fs::write(path, text).with_context(|| format!("không ghi được '{}'", path.display()))?,
                None => print!("{text}"),
            }
        }
        Format::Json => {
            let json = serde_json::to_string_pretty(&result)?;
            match &args.output {
                Some(path) => std::fs::write(path, json).with_context(|| format!("không ghi được '{}'", path.display()))?,
                None => println!("{json}"),
            }
        }
        Format::Xlsx => {
            let Some(path) = &args.output else { bail!("kết quả dạng xlsx cần tệp ghi: thêm --output TỆP.xlsx") };
            nangluc_io::results::write_plan_result(&result, path)?;
            eprintln!("Đã ghi kết quả vào '{}'.", path.display());
        }
    }
    Ok(())
}

/// The readable table: one line per target.
fn table(r: &PlanResult) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "{}", r.plan_name);
    let mut when = format!("Đánh giá tại ngày {}", r.as_of.format("%d/%m/%Y"));
    if r.forecast {
        when.push_str(" (dự báo)");
    }
    if let Some(k) = r.known_at {
        let _ = write!(when, ", theo dữ liệu ghi nhận đến {}", k.format("%d/%m/%Y"));
    }
    if let Some(u) = &r.unit {
        let _ = write!(when, ", đơn vị {u}");
    }
    let _ = writeln!(out, "{when}\n");
    let header = ["Mã", "Loại", "Chỉ tiêu", "Ngưỡng", "Đối tượng", "Đạt", "Tỉ lệ", "Còn thiếu", "Trạng thái"];
    let rows: Vec<[String; 9]> = r
        .targets
        .iter()
        .map(|t| {
            let threshold = t
                .threshold
                .map(|h| format!("{} ({})", h.min, h.by))
                .or_else(|| t.per_year.last().and_then(|y| y.min.map(|m| format!("≥ {}/năm", number(m as i64)))))
                .unwrap_or_default();
            let ratio = t.kind.is_ratio();
            [
                t.id.clone(),
                t.letter.to_string(),
                shorten(&t.wording, 48),
                threshold,
                if ratio { number(t.population as i64) } else { String::new() },
                number(t.met as i64),
                if ratio { show_share(t.share) } else { String::new() },
                number(t.needed as i64),
                t.status.label().to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            // Numbers align right, text left.
            if (4..=7).contains(&i) {
                let _ = write!(s, "{}{cell}  ", " ".repeat(pad));
            } else {
                let _ = write!(s, "{cell}{}  ", " ".repeat(pad));
            }
        }
        s.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&header.map(String::from)));
    let _ = writeln!(out, "{}", "─".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row));
    }
    for w in &r.warnings {
        let _ = writeln!(out, "Lưu ý: {w}");
    }
    out
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// Kế hoạch đang áp dụng.
    old: PathBuf,
    /// Kế hoạch sửa đổi.
    new: PathBuf,
    /// Ngày đánh giá (dd/mm/yyyy); mặc định hôm nay.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// In kết quả dạng JSON.
    #[arg(long)]
    json: bool,
}

pub fn diff(db: &str, args: DiffArgs) -> Result<()> {
    let old = read_plan(&args.old)?;
    let new = read_plan(&args.new)?;
    let snapshot = load_snapshot(db, None)?;
    let as_of = args.as_of.unwrap_or_else(today);
    let d = nangluc_engine::diff(&old, &new, &snapshot, as_of);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&d)?);
        return Ok(());
    }
    println!("So sánh kế hoạch tại ngày {}", as_of.format("%d/%m/%Y"));
    for id in &d.added {
        println!("+ Chỉ tiêu mới: {id}");
    }
    for id in &d.removed {
        println!("- Chỉ tiêu bỏ: {id}");
    }
    for t in &d.changed {
        println!(
            "\n~ {} (thay đổi: {}): đối tượng {} → {}, đạt {} → {}, tỉ lệ {} → {}, còn thiếu {} → {}",
            t.id,
            t.changed.join(", "),
            number(t.before.population as i64),
            number(t.after.population as i64),
            number(t.before.met as i64),
            number(t.after.met as i64),
            show_share(t.before.share),
            show_share(t.after.share),
            number(t.before.needed as i64),
            number(t.after.needed as i64),
        );
        let names = |v: &[nangluc_engine::diff::PersonRef]| {
            let shown: Vec<&str> = v.iter().take(10).map(|p| p.name.as_str()).collect();
            let more = if v.len() > 10 { format!(" và {} người khác", number(v.len() as i64 - 10)) } else { String::new() };
            format!("{}{more}", shown.join(", "))
        };
        if !t.entered.is_empty() {
            println!("  vào đối tượng ({}): {}", number(t.entered.len() as i64), names(&t.entered));
        }
        if !t.left.is_empty() {
            println!("  ra khỏi đối tượng ({}): {}", number(t.left.len() as i64), names(&t.left));
        }
    }
    if d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty() {
        println!("Hai kế hoạch không khác nhau.");
    }
    Ok(())
}
