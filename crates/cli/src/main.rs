//! `nangluc`: the command line of NăngLực.
//!
//! Each command parses its arguments, calls the store or the domain, and prints
//! in Vietnamese. No domain logic lives here.

mod commands;
mod progress;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// NăngLực — quản lý đào tạo, bồi dưỡng cán bộ, công chức, viên chức.
///
/// Cơ sở dữ liệu mặc định là tệp SQLite `nangluc.db` trong thư mục hiện tại;
/// dùng `--db postgres://…` cho máy chủ PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "nangluc", version, about, long_about)]
struct Cli {
    /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL `postgres://…`.
    #[arg(long, global = true, env = "NANGLUC_DB", default_value = "nangluc.db")]
    db: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Tạo tỉnh mẫu (dữ liệu giả lập, tái lập được từ hạt giống) và nạp vào cơ sở dữ liệu.
    Demo(commands::demo::Args),
    /// Thống kê đội ngũ tại một ngày: theo cấp, loại, đơn vị, giới tính, dân tộc, trình độ.
    Stats(commands::stats::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => commands::demo::run(&cli.db, args),
        Command::Stats(args) => commands::stats::run(&cli.db, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}
