//! `nangluc template`, `import`, `export`: the province's spreadsheets.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use nangluc_core::{AsOf, Table};
use nangluc_io::{SheetKind, StoreDirectory, export};

use super::{number, open_store, parse_date, today};

fn parse_kind(s: &str) -> Result<SheetKind, String> {
    SheetKind::from_code(s).ok_or_else(|| {
        let all: Vec<&str> = SheetKind::ALL.iter().map(|k| k.code()).collect();
        format!("loại dữ liệu '{s}' không có; chọn một trong: {}", all.join(", "))
    })
}

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// Loại dữ liệu: units, staff, qualifications, training, programmes, classes.
    #[arg(value_parser = parse_kind)]
    kind: SheetKind,
    /// Tệp mẫu sẽ ghi (.xlsx).
    file: PathBuf,
}

pub fn template(db: &str, args: TemplateArgs) -> Result<()> {
    // The province's own lists (job positions) come from its database when
    // there is one; a template is written without them otherwise.
    let mut catalogue = nangluc_io::template::Catalogue::default();
    if db.starts_with("postgres") || std::path::Path::new(db).exists() {
        let mut store = open_store(db)?;
        let as_of = AsOf::date(today());
        for row in store.as_of(Table::JobPositions, &as_of)? {
            if let nangluc_core::Fact::JobPosition(p) = row.data {
                catalogue.job_positions.push(p.name);
            }
        }
    }
    nangluc_io::template::write_with(args.kind, &catalogue, &args.file)?;
    println!("Đã ghi mẫu '{}' vào '{}'.", args.kind.sheet_name(), args.file.display());
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Tệp cần nhập: .xlsx, .xls, .ods hoặc .csv.
    file: PathBuf,
    /// Loại dữ liệu (mặc định: đoán theo tên trang tính và tiêu đề cột).
    #[arg(long, value_parser = parse_kind)]
    kind: Option<SheetKind>,
    /// Chỉ kiểm tra và báo cáo, không ghi gì vào cơ sở dữ liệu.
    #[arg(long)]
    dry_run: bool,
}

pub fn import(db: &str, args: ImportArgs) -> Result<()> {
    let workbook = nangluc_io::read(&args.file).map_err(|e| anyhow::anyhow!("{e}"))?;
    let kind = match args.kind {
        Some(k) => k,
        None => guess_kind(&workbook)?,
    };
    let mut store = open_store(db)?;
    let rows = nangluc_io::data_row_count(&workbook, kind);
    let bar = crate::progress::bar(rows as u64, "Kiểm tra từng dòng");
    let planned = nangluc_io::plan_import_with_progress(&workbook, kind, &mut StoreDirectory::new(&mut store), today(), &|n| {
        bar.set_position(n)
    });
    bar.finish_and_clear();
    let plan = match planned {
        Ok(plan) => plan,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            bail!(
                "tệp '{}' có {} lỗi; không có dữ liệu nào được ghi. Sửa các lỗi trên rồi nhập lại.",
                args.file.display(),
                number(errors.len() as i64)
            );
        }
    };
    println!("{}", plan.report);
    if args.dry_run {
        println!("Chạy thử: không ghi gì vào cơ sở dữ liệu.");
    } else if plan.change_set.ops.is_empty() {
        println!("Không có gì thay đổi.");
    } else {
        let bar = crate::progress::bar(plan.change_set.ops.len() as u64, "Ghi vào cơ sở dữ liệu");
        let applied = store.apply_with_progress(&plan.change_set, &mut |n| bar.set_position(n))?;
        bar.finish_and_clear();
        println!("Đã ghi {} thao tác trong một giao dịch (lần thay đổi số {}).", number(plan.change_set.ops.len() as i64), applied.change_id);
    }
    Ok(())
}

/// The kind whose sheet name or headers the workbook matches.
fn guess_kind(workbook: &nangluc_io::Workbook) -> Result<SheetKind> {
    match nangluc_io::header::matching_kinds(workbook).as_slice() {
        [one] => Ok(*one),
        [] => bail!("không nhận ra loại dữ liệu của tệp '{}'; hãy chỉ rõ bằng --kind", workbook.file_name),
        many => bail!(
            "tệp '{}' khớp nhiều loại dữ liệu ({}); hãy chỉ rõ bằng --kind",
            workbook.file_name,
            many.iter().map(|k| k.code()).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Loại dữ liệu: units, staff, qualifications, training, programmes, classes.
    #[arg(value_parser = parse_kind)]
    kind: SheetKind,
    /// Tệp sẽ ghi (.xlsx).
    file: PathBuf,
    /// Chỉ đơn vị có mã này và các đơn vị trực thuộc.
    #[arg(long)]
    unit: Option<String>,
    /// Tính đến ngày (dd/mm/yyyy); mặc định hôm nay.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
}

pub fn export(db: &str, args: ExportArgs) -> Result<()> {
    let mut store = open_store(db)?;
    let on = args.as_of.unwrap_or_else(today);
    // Read only the tables this kind needs: a training export needs the
    // enrolments, a staff list does not.
    let mut knowledge = nangluc_core::Knowledge::default();
    store.visit_tables(None, tables_for(args.kind), &mut knowledge)?;
    if let Some(code) = &args.unit {
        restrict_to_unit(&mut store, &mut knowledge, code, on)?;
    }
    let path = &args.file;
    // The records copy what they need: the knowledge is dropped before the
    // workbook is laid out, so the two are never in memory together.
    macro_rules! export {
        ($records:ident, $write:ident) => {{
            let r = export::$records(&knowledge, on);
            drop(knowledge);
            export::$write(&r, on, path)?;
            r.len()
        }};
    }
    let rows = match args.kind {
        SheetKind::Staff => export!(staff_records, staff),
        SheetKind::Qualifications => export!(qualification_records, qualifications),
        SheetKind::Training => export!(training_records, training),
        SheetKind::Units => export!(unit_records, units),
        SheetKind::Programmes => export!(programme_records, programmes),
        SheetKind::Classes => export!(class_records, classes),
    };
    println!("Đã ghi {} dòng '{}' vào '{}'.", number(rows as i64), args.kind.sheet_name(), path.display());
    Ok(())
}

/// The tables an export of `kind` reads.
fn tables_for(kind: SheetKind) -> &'static [Table] {
    use Table::*;
    match kind {
        SheetKind::Staff => &[Units, People, Employments, Roles, JobPositions],
        SheetKind::Qualifications => &[Units, People, Employments, Qualifications],
        SheetKind::Training => &[Units, People, Employments, Enrolments, Programmes, Classes],
        SheetKind::Units => &[Units],
        SheetKind::Programmes => &[Programmes],
        SheetKind::Classes => &[Programmes, Institutions, Classes],
    }
}

/// Keeps only the people employed in the unit's subtree on the date (and
/// their rows), and the units of that subtree.
fn restrict_to_unit(store: &mut nangluc_store::Store, k: &mut nangluc_core::Knowledge, code: &str, on: NaiveDate) -> Result<()> {
    let as_of = AsOf::date(on);
    let unit = k
        .units
        .iter()
        .find(|u| u.data.code == code && u.valid.contains(on) && u.recording.superseded_at.is_none())
        .map(|u| u.id)
        .with_context(|| format!("không có đơn vị mã '{code}' tại ngày {}", on.format("%d/%m/%Y")))?;
    let units: std::collections::HashSet<i64> = store.unit_subtree(unit, &as_of)?.into_iter().collect();
    let people: std::collections::HashSet<i64> = store.people_in_unit(unit, &as_of, true)?.into_iter().collect();
    k.units.retain(|u| units.contains(&u.id));
    k.people.retain(|p| people.contains(&p.id));
    k.employments.retain(|e| people.contains(&e.data.person_id));
    k.roles.retain(|r| people.contains(&r.data.person_id));
    k.qualifications.retain(|q| people.contains(&q.data.person_id));
    k.enrolments.retain(|e| people.contains(&e.data.person_id));
    Ok(())
}
