//! `nangluc demo`: generate the demo province and load it.

use anyhow::{Result, bail};

use super::{number, open_store, today};
use crate::progress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Số người của tỉnh mẫu (tối đa 2.000.000 cho đo hiệu năng).
    #[arg(long, default_value_t = 40_000)]
    people: u64,
    /// Hạt giống: cùng hạt giống cho cùng dữ liệu.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Xóa dữ liệu NăngLực đang có trong cơ sở dữ liệu rồi tạo lại.
    #[arg(long)]
    replace: bool,
}

/// About how many rows one person brings (history, qualifications, training).
const ROWS_PER_PERSON: u64 = 17;

pub fn run(db: &str, args: Args) -> Result<()> {
    if !(1..=2_000_000).contains(&args.people) {
        bail!("số người phải từ 1 đến 2.000.000 (đã cho {})", number(args.people as i64));
    }
    let mut store = open_store(db)?;
    if args.replace {
        store.reset()?;
    } else if !store.is_empty()? {
        bail!(
            "cơ sở dữ liệu '{}' đã có dữ liệu; dùng `nangluc demo --replace` để xóa và tạo lại tỉnh mẫu",
            super::redact(db)
        );
    }
    load(&mut store, db, args.people, args.seed)
}

/// Generates the demo province and loads it, with a progress bar, then prints
/// its figures.
pub fn load(store: &mut nangluc_store::Store, db: &str, people: u64, seed: u64) -> Result<()> {
    let config = nangluc_demo::DemoConfig { people, seed, today: today() };
    eprintln!(
        "Tạo tỉnh mẫu: {} người, hạt giống {}, vào {} ({})",
        number(people as i64),
        seed,
        super::redact(db),
        store.backend_name()
    );
    let started = std::time::Instant::now();
    let bar = progress::bar(people * ROWS_PER_PERSON, "Nạp dữ liệu");
    let rows = store.bulk_load(
        "demo",
        &format!("Tạo tỉnh mẫu ({people} người, hạt giống {seed})"),
        nangluc_demo::generate(&config),
        &mut |n| {
            if n > bar.length().unwrap_or(0) {
                bar.set_length(n);
            }
            bar.set_position(n)
        },
    )?;
    bar.finish_and_clear();
    eprintln!(
        "Đã nạp {} bản ghi trong {:.1} giây.\n",
        number(rows as i64),
        started.elapsed().as_secs_f64()
    );
    let duties = load_duties(store)?;
    eprintln!("Đã nạp {duties} nhiệm vụ của bảng phân công trách nhiệm (kế hoạch tỉnh Sóc Trăng).\n");
    let settings = nangluc_web::proposals::seed_demo_config(store, chrono::Utc::now())?;
    eprintln!("Đã ghi {settings} dòng cấu hình đề xuất lớp (định mức chi tạm tính, cách tổ chức chương trình, năng lực cơ sở).\n");
    super::stats::print(store, &nangluc_core::AsOf::date(config.today))
}

/// The responsibility matrix of the Sóc Trăng plan (its annex), entered as
/// the demo province's duties: a matrix to follow from the first start.
const MATRIX: &str = include_str!("../../../../plans/soc-trang-2021-2025.toml");

fn load_duties(store: &mut nangluc_store::Store) -> Result<usize> {
    let plan = nangluc_engine::Plan::parse(MATRIX, "soc-trang-2021-2025.toml")
        .map_err(|e| anyhow::anyhow!("kế hoạch Sóc Trăng kèm theo có lỗi: {}", e.len()))?;
    Ok(nangluc_web::annual::import_plan_duties(store, "demo", &plan, chrono::Utc::now())?)
}
