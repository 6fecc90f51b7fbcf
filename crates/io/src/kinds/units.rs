//! Units: one row per unit version, keyed by unit code.

use std::collections::HashMap;

use chrono::NaiveDate;
use nangluc_core::unit::{Sector, UnitKind, UnitLevel, UnitVersion, check_admin_code};
use nangluc_core::{Entity, Fact, Table, Validity};

use super::{ColType, Column, List, Need, RowCtx, check_duplicate};
use crate::directory::{Current, Directory};
use crate::error::ImportError;
use crate::export::Value;
use crate::header::Layout;
use crate::parse;
use crate::plan::{Planner, dir_err};
use crate::sheet::Row;

use Need::*;

pub const COLUMNS: &[Column] = &[
    Column::new("code", "Mã đơn vị", Required, ColType::Text)
        .aliases(&["Mã cơ quan", "Mã ĐV", "Mã cơ quan, đơn vị"])
        .note("Mã hành chính (chỉ gồm chữ số): tỉnh 2 chữ số, xã 5 chữ số; cơ quan, đơn vị khác: mã nội bộ có chữ cái (SNV…).")
        .width(12.0),
    Column::new("name", "Tên đơn vị", Required, ColType::Text).aliases(&["Tên cơ quan", "Tên cơ quan, đơn vị", "Cơ quan, đơn vị"]).width(36.0),
    Column::new("level", "Cấp", Required, ColType::List(List::UnitLevel)).aliases(&["Cấp hành chính", "Cấp đơn vị"]).width(12.0),
    Column::new("kind", "Loại hình", Required, ColType::List(List::UnitKind)).aliases(&["Loại hình đơn vị", "Loại đơn vị"]).width(26.0),
    Column::new("sector", "Lĩnh vực", Required, ColType::List(List::Sector)).aliases(&["Ngành", "Ngành, lĩnh vực"]).width(20.0),
    Column::new("parent_code", "Mã đơn vị cấp trên", Optional, ColType::Text)
        .aliases(&["Mã đơn vị trực thuộc", "Đơn vị cấp trên", "Mã cấp trên"])
        .note("Để trống cho tỉnh. Đơn vị cấp trên có trong tệp hoặc trong hệ thống.")
        .width(14.0),
    Column::new("minority_area", "Vùng đồng bào DTTS", Optional, ColType::YesNo).aliases(&["Vùng DTTS", "Vùng dân tộc thiểu số"]).width(12.0),
    Column::new("valid_from", "Hiệu lực từ ngày", Optional, ColType::Date)
        .aliases(&["Từ ngày", "Ngày hiệu lực"])
        .note("Để trống: ngày nhập. Với đơn vị đã có, một ngày sau ngày đang lưu nghĩa là thay đổi (đổi tên…) từ ngày đó.")
        .width(12.0),
];

#[derive(Debug, Clone)]
pub struct Record {
    pub unit: UnitVersion,
    pub parent_code: Option<String>,
    pub valid_from: NaiveDate,
}

pub fn value(r: &Record, key: &str) -> Value {
    let u = &r.unit;
    match key {
        "code" => Value::text(&u.code),
        "name" => Value::text(&u.name),
        "level" => Value::text(u.level.label()),
        "kind" => Value::text(u.kind.label()),
        "sector" => Value::text(u.sector.label()),
        "parent_code" => Value::opt_text(r.parent_code.as_deref()),
        "minority_area" => Value::yes(u.minority_area),
        "valid_from" => Value::Date(r.valid_from),
        _ => Value::Empty,
    }
}

struct Read {
    row: u32,
    unit: UnitVersion,
    parent_code: Option<String>,
    valid_from: Option<NaiveDate>,
}

fn read(ctx: &mut RowCtx) -> Option<Read> {
    let code = ctx.req("code", |c| Ok(parse::text(c)));
    let name = ctx.req_text("name");
    let level = ctx.req("level", |c| parse::coded::<UnitLevel>(c, "cấp", &[("tinh", UnitLevel::Province), ("huyen", UnitLevel::District), ("xa", UnitLevel::Commune), ("tw", UnitLevel::Central)]));
    // Numeric codes are administrative codes; departments at the same level
    // (Sở Nội vụ…) carry internal codes such as "SNV".
    if let (Some(code), Some(level)) = (&code, level)
        && code.bytes().all(|b| b.is_ascii_digit())
        && let Err(e) = check_admin_code(level, code) {
            ctx.error("code", e);
        }
    let kind = ctx.req("kind", |c| parse::coded::<UnitKind>(c, "loại hình đơn vị", &[("dang", UnitKind::Party), ("hanh chinh", UnitKind::State), ("su nghiep", UnitKind::PublicService), ("don vi su nghiep", UnitKind::PublicService)]));
    let sector = ctx.req("sector", |c| parse::coded::<Sector>(c, "lĩnh vực", &[]));
    let parent_code = ctx.text("parent_code");
    let minority_area = ctx.opt("minority_area", parse::yes_no).unwrap_or(false);
    let valid_from = ctx.opt("valid_from", parse::date);
    Some(Read {
        row: ctx.number(),
        unit: UnitVersion { code: code?, name: name?, level: level?, kind: kind?, sector: sector?, parent_id: None, minority_area },
        parent_code,
        valid_from,
    })
}

pub fn plan(layout: &Layout, rows: &[&Row], dir: &mut dyn Directory, p: &mut Planner) -> Result<(), Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut read_rows = Vec::new();
    let mut seen = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if i % super::PROGRESS_ROWS == 0 {
            (p.progress)(i as u64);
        }
        let mut ctx = RowCtx { layout, row, errors: &mut errors };
        if let Some(r) = read(&mut ctx) {
            if let Some(first) = check_duplicate(&mut seen, r.unit.code.clone(), r.row) {
                ctx.error("code", format!("mã đơn vị '{}' trùng với dòng {first}", r.unit.code));
            }
            read_rows.push((*row, r));
        }
    }
    (p.progress)(rows.len() as u64);
    // Parents may be in the file or recorded already.
    let mut existing: HashMap<String, Option<Current<UnitVersion>>> = HashMap::new();
    for (_, r) in &read_rows {
        let on = r.valid_from.unwrap_or(p.today);
        existing.insert(r.unit.code.clone(), dir.unit_by_code(&r.unit.code, on).map_err(dir_err)?);
    }
    let mut parents: HashMap<String, i64> = HashMap::new();
    for (row, r) in &read_rows {
        let Some(pc) = &r.parent_code else { continue };
        let mut ctx = RowCtx { layout, row, errors: &mut errors };
        if *pc == r.unit.code {
            ctx.error("parent_code", "đơn vị không thể là cấp trên của chính nó");
        } else if !seen.contains_key(pc) {
            match dir.unit_by_code(pc, r.valid_from.unwrap_or(p.today)).map_err(dir_err)? {
                Some(u) => {
                    parents.insert(pc.clone(), u.id);
                }
                None => ctx.error("parent_code", format!("mã đơn vị cấp trên '{pc}' không có trong tệp và trong hệ thống")),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Ids first, so that a unit can name a parent created further down the file.
    let mut ids: HashMap<String, (i64, bool)> = HashMap::new();
    for (_, r) in &read_rows {
        let id = match &existing[&r.unit.code] {
            Some(cur) => (cur.id, false),
            None => (dir.reserve_id(Table::Units).map_err(dir_err)?, true),
        };
        ids.insert(r.unit.code.clone(), id);
    }
    for (_, mut r) in read_rows {
        r.unit.parent_id = r.parent_code.as_ref().map(|pc| ids.get(pc).map(|x| x.0).unwrap_or_else(|| parents[pc]));
        match &existing[&r.unit.code] {
            Some(cur) => p.upsert(r.row, cur, r.unit, Fact::Unit, r.valid_from),
            None => {
                let id = ids[&r.unit.code].0;
                p.create(r.row, Entity::Given(id), Validity::since(r.valid_from.unwrap_or(p.today)), Fact::Unit(r.unit));
            }
        }
    }
    Ok(())
}
