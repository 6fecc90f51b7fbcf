//! `nangluc serve`: the web application.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Địa chỉ và cổng phục vụ.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Đánh dấu cookie `Secure` (khi trang được phục vụ qua https, sau một reverse proxy).
    #[arg(long)]
    secure_cookies: bool,
    /// Không tạo các tài khoản mẫu khi cơ sở dữ liệu chưa có tài khoản nào.
    #[arg(long)]
    no_demo_accounts: bool,
    /// Tệp kế hoạch (TOML) mà trang theo dõi chỉ tiêu áp dụng; kiểm tra khi khởi động.
    #[arg(long, default_value = nangluc_web::targets::DEFAULT_PLAN)]
    plan: PathBuf,
    /// Nếu cơ sở dữ liệu chưa có dữ liệu, tạo tỉnh mẫu (40.000 người) trước khi chạy.
    #[arg(long)]
    demo: bool,
}

pub fn run(db: &str, args: Args) -> Result<()> {
    if args.demo {
        let mut store = super::open_store(db)?;
        if store.is_empty()? {
            super::demo::load(&mut store, db, 40_000, 2025)?;
            println!();
        } else {
            // A demo database made before the proposed plan existed gets its
            // configuration (nothing is written once cost norms are recorded).
            nangluc_web::proposals::seed_demo_config(&mut store, chrono::Utc::now())?;
        }
    }
    let mut config = nangluc_web::ServeConfig::new(db, args.addr);
    config.secure_cookies = args.secure_cookies;
    config.demo_accounts = !args.no_demo_accounts;
    config.plan = Some(args.plan);
    let runtime =
        tokio::runtime::Runtime::new().context("không khởi động được bộ chạy bất đồng bộ")?;
    runtime
        .block_on(nangluc_web::serve(config))
        .with_context(|| {
            format!(
                "máy chủ web trên cơ sở dữ liệu '{}' dừng vì lỗi",
                super::redact(db)
            )
        })
}
