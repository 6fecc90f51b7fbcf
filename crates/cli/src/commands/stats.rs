//! `nangluc stats`: the workforce in figures as of a date.

use anyhow::Result;
use nangluc_core::AsOf;

use super::{number, open_store, parse_date, today};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Ngày xem số liệu (dd/mm/yyyy); mặc định hôm nay.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// Chỉ dùng những gì đã ghi nhận đến hết ngày này (tái lập báo cáo đã ký).
    #[arg(long, value_parser = parse_date)]
    as_known_at: Option<chrono::NaiveDate>,
}

pub fn run(db: &str, args: Args) -> Result<()> {
    let mut store = open_store(db)?;
    let date = args.as_of.unwrap_or_else(today);
    let as_of = AsOf { date, known_at: args.as_known_at.map(AsOf::end_of_day) };
    print(&mut store, &as_of)
}

pub fn print(store: &mut nangluc_store::Store, as_of: &AsOf) -> Result<()> {
    let stats = store.stats(as_of)?;
    let known = match as_of.known_at {
        Some(k) => format!(", theo dữ liệu ghi nhận đến {}", k.format("%d/%m/%Y")),
        None => String::new(),
    };
    println!("Đội ngũ tại ngày {}{known} ({})", as_of.date.format("%d/%m/%Y"), store.backend_name());
    for section in &stats.sections {
        println!("\n{}", section.title);
        let width = section.rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
        for (label, count) in &section.rows {
            let pad = width - label.chars().count();
            println!("  {label}{} {:>10}", " ".repeat(pad), number(*count));
        }
    }
    Ok(())
}
