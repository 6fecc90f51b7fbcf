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
    /// Tệp kế hoạch giai đoạn (TOML) để nhập vào cơ sở dữ liệu và áp dụng. Kế hoạch được lưu
    /// trong cơ sở dữ liệu thành các phiên bản (sửa tại /period-plan). Không có --plan: áp dụng
    /// phiên bản đang có hiệu lực trong cơ sở dữ liệu; lần chạy đầu (chưa có kế hoạch nào) nhập
    /// tệp mặc định plans/tay-ninh-2021-2025.toml. Có --plan TỆP: tệp được kiểm tra; nếu nội dung
    /// khác phiên bản đang áp dụng của kế hoạch cùng mã ([plan] id) thì được nhập thành phiên bản
    /// mới (chưa có kế hoạch mã đó: phiên bản 1), giống hệt thì không tạo phiên bản nào; rồi kế
    /// hoạch đó được áp dụng.
    #[arg(long, value_name = "TỆP")]
    plan: Option<PathBuf>,
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
    if let Some(file) = args.plan {
        config.plan = nangluc_web::PlanChoice::File(file);
    }
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
