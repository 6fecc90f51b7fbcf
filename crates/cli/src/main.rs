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
    /// Chạy ứng dụng web (chỉ tiêu, kế hoạch giai đoạn, hồ sơ, lớp học và cử học, đề xuất lớp, nhập tệp, kế hoạch năm, kinh phí, cam kết và đền bù, nhiệm vụ, tài khoản, nhật ký, API JSON); in địa chỉ và các tài khoản mẫu.
    Serve(commands::serve::Args),
    /// Kiểm tra một tệp kế hoạch (chỉ tiêu, biểu thức) mà không đánh giá.
    Check(commands::plan::CheckArgs),
    /// Đánh giá các chỉ tiêu của một kế hoạch tại một ngày: đối tượng, số đạt, tỉ lệ, còn thiếu.
    Evaluate(commands::plan::EvaluateArgs),
    /// So sánh hai phiên bản kế hoạch: ai vào, ai ra khỏi đối tượng, kết quả thay đổi thế nào.
    Diff(commands::plan::DiffArgs),
    /// Ghi tệp Excel mẫu để nhập một loại dữ liệu.
    Template(commands::files::TemplateArgs),
    /// Nhập tệp Excel/CSV: kiểm tra mọi dòng, ghi tất cả hoặc không ghi gì.
    Import(commands::files::ImportArgs),
    /// Xuất danh sách ra Excel, sắp xếp theo thứ tự tiếng Việt.
    Export(commands::files::ExportArgs),
    /// Đề xuất lớp: ai cần học gì, các lớp 40–50 người đến năm cuối kỳ, dự toán, lựa chọn trong trần kinh phí.
    Propose(commands::propose::Args),
    /// Văn bản để ký (Word): kế hoạch năm của tỉnh kèm phụ lục, báo cáo sơ kết, tổng kết.
    Report(commands::report::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => commands::demo::run(&cli.db, args),
        Command::Stats(args) => commands::stats::run(&cli.db, args),
        Command::Serve(args) => commands::serve::run(&cli.db, args),
        Command::Check(args) => commands::plan::check(args),
        Command::Evaluate(args) => commands::plan::evaluate(&cli.db, args),
        Command::Diff(args) => commands::plan::diff(&cli.db, args),
        Command::Template(args) => commands::files::template(&cli.db, args),
        Command::Import(args) => commands::files::import(&cli.db, args),
        Command::Export(args) => commands::files::export(&cli.db, args),
        Command::Report(args) => commands::report::run(&cli.db, args),
        Command::Propose(args) => commands::propose::run(&cli.db, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}
