//! `nangluc report`: the documents to sign, as Word files — the province's
//! annual plan with its annexes (from the aggregated annual plan, the ledger
//! and the evaluation of the period plan) and the mid-term or final review.
//! The same documents the web application offers for download.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use nangluc_engine::{Options, Plan, PlanResult};
use nangluc_io::docx::ReviewKind;

use super::plan::{load_snapshot, read_plan};
use super::{open_store, parse_date, today};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Kind {
    /// Sơ kết (giữa giai đoạn).
    MidTerm,
    /// Tổng kết (cuối giai đoạn).
    Final,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Kế hoạch đào tạo, bồi dưỡng năm của tỉnh kèm phụ lục (từ kế hoạch năm đã tổng hợp).
    AnnualPlan {
        /// Năm kế hoạch.
        #[arg(long)]
        year: i32,
        /// Tệp kế hoạch giai đoạn (TOML) mà kế hoạch năm thực hiện; mặc định là
        /// phiên bản đang áp dụng trong cơ sở dữ liệu (trang "Kế hoạch giai đoạn"),
        /// hoặc plans/tay-ninh-2021-2025.toml khi cơ sở dữ liệu chưa có kế hoạch.
        #[arg(long)]
        plan: Option<PathBuf>,
        /// Tệp Word ghi ra (.docx).
        #[arg(long, short)]
        output: PathBuf,
        /// Ghi thêm các bảng số liệu chỉ tiêu ra tệp Excel này.
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Báo cáo sơ kết hoặc tổng kết kế hoạch giai đoạn.
    Review {
        #[arg(long, value_enum)]
        kind: Kind,
        /// Ngày đánh giá (dd/mm/yyyy); mặc định hôm nay.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Tệp kế hoạch giai đoạn; mặc định như ở `annual-plan`.
        #[arg(long)]
        plan: Option<PathBuf>,
        #[arg(long, short)]
        output: PathBuf,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
}

/// The plan a report is written for: the file given, else the version the
/// application follows in the database (what the browser's documents use),
/// else the default plan file.
fn period_plan(db: &str, file: Option<&Path>) -> Result<Plan> {
    if let Some(path) = file {
        return read_plan(path);
    }
    let mut store = open_store(db)?;
    match store.followed_period_plan()? {
        Some((row, version)) => {
            eprintln!(
                "Kế hoạch giai đoạn: '{}', phiên bản {} trong cơ sở dữ liệu.",
                row.key, version.version
            );
            Plan::parse(&version.text, &row.key).map_err(|errors| {
                anyhow::anyhow!(
                    "kế hoạch '{}' phiên bản {} có {} lỗi: {}",
                    row.key,
                    version.version,
                    errors.len(),
                    errors.first().map(|e| e.to_string()).unwrap_or_default()
                )
            })
        }
        None => nangluc_web::period_plan::read_file(Path::new(nangluc_web::targets::DEFAULT_PLAN))
            .map(|(_, plan)| plan)
            .map_err(|e| anyhow::anyhow!(e)),
    }
}

fn evaluate(db: &str, plan: &Plan, as_of: NaiveDate) -> Result<PlanResult> {
    let snapshot = load_snapshot(db, None)?;
    Ok(nangluc_engine::evaluate_with(
        plan,
        &snapshot,
        as_of,
        &Options::default(),
    ))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("không ghi được '{}'", path.display()))?;
    eprintln!("Đã ghi '{}'.", path.display());
    Ok(())
}

pub fn run(db: &str, args: Args) -> Result<()> {
    let day = today();
    match args.what {
        What::AnnualPlan {
            year,
            plan,
            output,
            xlsx,
        } => {
            let plan = period_plan(db, plan.as_deref())?;
            let result = evaluate(db, &plan, day)?;
            let mut store = open_store(db)?;
            if let Some(path) = &xlsx {
                let sheets =
                    nangluc_web::documents::annual_plan_sheets(&mut store, &result, year, day)?;
                nangluc_io::export::write_tables(&sheets, path)?;
                eprintln!("Đã ghi bảng số liệu vào '{}'.", path.display());
            }
            let bytes = nangluc_web::documents::annual_plan(&mut store, &plan, result, year, day)?;
            write(&output, &bytes)
        }
        What::Review {
            kind,
            as_of,
            plan,
            output,
            xlsx,
        } => {
            let plan = period_plan(db, plan.as_deref())?;
            let as_of = as_of.unwrap_or(day);
            let result = evaluate(db, &plan, as_of)?;
            let mut store = open_store(db)?;
            if let Some(path) = &xlsx {
                // The same tables as the browser's download.
                let sheets =
                    nangluc_web::documents::review_sheets(&mut store, &plan, &result, as_of)?;
                nangluc_io::export::write_tables(&sheets, path)?;
                eprintln!("Đã ghi bảng số liệu vào '{}'.", path.display());
            }
            let kind = match kind {
                Kind::MidTerm => ReviewKind::MidTerm,
                Kind::Final => ReviewKind::Final,
            };
            let bytes = nangluc_web::documents::review(&mut store, &plan, result, kind, as_of)?;
            write(&output, &bytes)
        }
    }
}
