//! `nangluc propose`: the proposed training plan over the database — who
//! needs what, the classes to the horizon, their cost, and what a ceiling
//! funds — printed as a table, JSON or an Excel workbook. The same draft the
//! web application makes (`nangluc_web::proposals`), not saved.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use nangluc_engine::Options;
use nangluc_web::proposals::{self, ProposalRequest};

use super::plan::{Format, load_snapshot, read_plan};
use super::{number, open_store, today};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Tệp kế hoạch giai đoạn (TOML).
    plan: PathBuf,
    /// Năm kế hoạch: các lớp khai giảng từ đầu năm này (hoặc từ hôm nay).
    #[arg(long)]
    year: i32,
    /// Năm cuối để rải các lớp; mặc định năm cuối của kế hoạch giai đoạn.
    #[arg(long)]
    horizon: Option<i32>,
    /// Trần kinh phí (đồng, viết liền hoặc có dấu chấm: 2.000.000.000); mặc định không giới hạn.
    #[arg(long, value_parser = parse_dong)]
    ceiling: Option<i64>,
    /// Sĩ số tối thiểu của một lớp.
    #[arg(long, default_value_t = 40)]
    class_min: u32,
    /// Sĩ số tối đa của một lớp.
    #[arg(long, default_value_t = 50)]
    class_max: u32,
    /// Dạng kết quả.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Tệp ghi kết quả (bắt buộc với xlsx; mặc định in ra màn hình).
    #[arg(long, short = 'o', alias = "output")]
    out: Option<PathBuf>,
}

fn parse_dong(s: &str) -> Result<i64, String> {
    let t: String = s.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    match t.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(format!("'{s}' không phải số tiền (đồng) hợp lệ")),
    }
}

pub fn run(db: &str, args: Args) -> Result<()> {
    let plan = read_plan(&args.plan)?;
    let today = today();
    let as_of = proposals::as_of_for(args.year, today);
    let snapshot = load_snapshot(db, None)?;
    let result = nangluc_engine::evaluate_with(&plan, &snapshot, as_of, &Options::default());
    let mut store = open_store(db)?;
    let req = ProposalRequest {
        year: args.year,
        horizon: args.horizon,
        ceiling: args.ceiling,
        ceiling_per_year: None,
        class_min: Some(args.class_min),
        class_max: Some(args.class_max),
    };
    let draft = proposals::build_draft(&mut store, &plan, &result, &req, today).map_err(|e| anyhow::anyhow!("{e}"))?;
    let row = nangluc_store::ProposalRow {
        id: 0,
        plan_id: plan.id.clone(),
        year: args.year,
        horizon: draft.proposal.settings.horizon,
        draft: String::new(),
        version: 0,
        created_at: Utc::now(),
        created_by: "nangluc".into(),
        updated_at: Utc::now(),
        updated_by: "nangluc".into(),
    };
    let view = proposals::view_of(&draft, &row, Vec::new(), false, false);
    match args.format {
        Format::Table => write_text(&args.out, &table(&view))?,
        Format::Json => write_text(&args.out, &serde_json::to_string_pretty(&view)?)?,
        Format::Xlsx => {
            let Some(path) = &args.out else {
                bail!("kết quả dạng xlsx cần tệp ghi: thêm --out TỆP.xlsx")
            };
            let bytes = proposals::workbook(&view, &draft).map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::write(path, bytes).with_context(|| format!("không ghi được '{}'", path.display()))?;
            eprintln!("Đã ghi đề xuất vào '{}'.", path.display());
        }
    }
    Ok(())
}

fn write_text(out: &Option<PathBuf>, text: &str) -> Result<()> {
    match out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("không ghi được '{}'", path.display())),
        None => {
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            Ok(())
        }
    }
}

fn dong(n: i64) -> String {
    format!("{} đ", number(n))
}

/// Columns padded to their widest cell; numbers to the right.
fn grid(header: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    use std::fmt::Write;
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - cell.chars().count());
            if right.contains(&i) {
                let _ = write!(s, "{pad}{cell}  ");
            } else {
                let _ = write!(s, "{cell}{pad}  ");
            }
        }
        s.trim_end().to_string()
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>()));
    let _ = writeln!(out, "{}", "─".repeat(widths.iter().sum::<usize>() + 2 * (widths.len().saturating_sub(1))));
    for r in rows {
        let _ = writeln!(out, "{}", line(r));
    }
    out
}

/// The readable table: totals, the classes year by year, the unfunded
/// classes and why, the people not placed by reason.
fn table(p: &proposals::ProposalView) -> String {
    use std::fmt::Write;
    let f = &p.funding;
    let mut out = String::new();
    let _ = writeln!(out, "Đề xuất lớp đào tạo, bồi dưỡng năm {}–{}", p.year, p.horizon);
    let _ = writeln!(out, "{}", p.plan_name);
    let _ = writeln!(out, "Sĩ số {}–{}; trần kinh phí {}.", p.class_min, p.class_max, p.ceiling_label);
    let _ = writeln!(out, "{}.\n", f.summary);
    let _ = writeln!(
        out,
        "Khoảng thiếu thu hẹp: {} (có kinh phí) + {} (chưa có kinh phí) + {} (chưa xếp lớp).\n",
        number(i64::from(f.gap_closed)),
        number(i64::from(f.gap_unfunded)),
        number(i64::from(f.gap_unplaced))
    );
    for y in &p.years {
        let ceiling = y.ceiling.map(|c| format!(", trần {}", dong(c))).unwrap_or_default();
        let _ = writeln!(
            out,
            "Năm {}: {}/{} lớp có kinh phí, {} / {}{ceiling}",
            y.year,
            y.funded_classes,
            y.classes.len(),
            dong(y.funded_cost),
            dong(y.cost)
        );
        let rows: Vec<Vec<String>> = y
            .classes
            .iter()
            .map(|c| {
                vec![
                    c.code.clone(),
                    c.institution.clone(),
                    format!("{} – {}", c.starts_on, c.ends_on),
                    c.size.to_string(),
                    dong(c.cost),
                    c.gap_units.to_string(),
                    match (c.e_people, c.deadline) {
                        (0, _) => String::new(),
                        (n, Some(d)) => format!("{n}, hạn {d}"),
                        (n, None) => n.to_string(),
                    },
                    if c.late_seats > 0 { c.late_seats.to_string() } else { String::new() },
                    if c.funded { "có".into() } else { "chưa".into() },
                ]
            })
            .collect();
        out.push_str(&grid(
            &["Mã lớp", "Cơ sở", "Thời gian", "Sĩ số", "Dự toán", "Khoảng thiếu", "Loại E", "Trễ hạn", "Kinh phí"],
            &rows,
            &[3, 4, 5],
        ));
        out.push('\n');
    }
    if p.years.is_empty() {
        let _ = writeln!(out, "Không có lớp nào được đề xuất.\n");
    }
    if !p.unfunded.is_empty() {
        let _ = writeln!(out, "Lớp chưa có kinh phí:");
        let rows: Vec<Vec<String>> = p
            .unfunded
            .iter()
            .map(|u| vec![u.code.clone(), u.size.to_string(), dong(u.cost), u.gap_units.to_string(), u.why.clone()])
            .collect();
        out.push_str(&grid(&["Mã lớp", "Sĩ số", "Dự toán", "Khoảng thiếu", "Lý do"], &rows, &[1, 2, 3]));
        out.push('\n');
    }
    if !p.unplaced_by_reason.is_empty() {
        let _ = writeln!(out, "Người chưa xếp được lớp:");
        for r in &p.unplaced_by_reason {
            let _ = writeln!(
                out,
                "  {}: {} người (khoảng thiếu {})",
                r.reason,
                number(i64::from(r.people)),
                number(i64::from(r.gap_units))
            );
        }
    }
    for w in &p.warnings {
        let _ = writeln!(out, "Lưu ý: {w}");
    }
    out
}
