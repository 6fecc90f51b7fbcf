//! Classes: runs of a programme, keyed by class code.


use nangluc_core::training::{Class, ClassStatus, StudyForm};
use nangluc_core::{Entity, Fact, Validity};

use super::{ColType, Column, List, Need, RowCtx, read_all};
use crate::directory::Directory;
use crate::error::ImportError;
use crate::export::Value;
use crate::format::date_vi;
use crate::header::Layout;
use crate::parse;
use crate::plan::{Planner, dir_err};
use crate::sheet::Row;

use Need::*;

pub const COLUMNS: &[Column] = &[
    Column::new("code", "Mã lớp", Required, ColType::Text).width(14.0),
    Column::new("programme_code", "Mã chương trình", Required, ColType::Text).aliases(&["Mã CT"]).note("Phải có trong danh mục chương trình.").width(14.0),
    Column::new("institution_code", "Mã cơ sở đào tạo", Required, ColType::Text)
        .aliases(&["Mã cơ sở đào tạo, bồi dưỡng", "Cơ sở đào tạo", "Mã đơn vị tổ chức"])
        .note("Phải có trong hệ thống.")
        .width(14.0),
    Column::new("starts_on", "Ngày khai giảng", Required, ColType::Date).aliases(&["Từ ngày", "Ngày bắt đầu"]).width(12.0),
    Column::new("ends_on", "Ngày bế giảng", Required, ColType::Date).aliases(&["Đến ngày", "Ngày kết thúc"]).width(12.0),
    Column::new("place", "Địa điểm", Required, ColType::Text).aliases(&["Địa điểm tổ chức", "Nơi học"]).width(24.0),
    Column::new("form", "Hình thức học", Required, ColType::List(List::StudyForm)).aliases(&["Hình thức", "Hình thức tổ chức"]).width(16.0),
    Column::new("min_size", "Sĩ số tối thiểu", Optional, ColType::Integer).note("Để trống: 0.").width(10.0),
    Column::new("max_size", "Sĩ số tối đa", Optional, ColType::Integer).aliases(&["Sĩ số"]).note("Để trống: 0.").width(10.0),
    Column::new("status", "Trạng thái", Required, ColType::List(List::ClassStatus)).aliases(&["Tình trạng"]).width(16.0),
    Column::new("planned_cost", "Kinh phí dự kiến (đồng)", Optional, ColType::Integer).aliases(&["Kinh phí", "Dự toán"]).note("Để trống: 0.").width(16.0),
];

#[derive(Debug, Clone)]
pub struct Record {
    pub class: Class,
    pub programme_code: String,
    pub institution_code: String,
}

pub fn value(r: &Record, key: &str) -> Value {
    let c = &r.class;
    match key {
        "code" => Value::text(&c.code),
        "programme_code" => Value::text(&r.programme_code),
        "institution_code" => Value::text(&r.institution_code),
        "starts_on" => Value::Date(c.starts_on),
        "ends_on" => Value::Date(c.ends_on),
        "place" => Value::text(&c.place),
        "form" => Value::text(c.form.label()),
        "min_size" => Value::Int(c.min_size),
        "max_size" => Value::Int(c.max_size),
        "status" => Value::text(c.status.label()),
        "planned_cost" => Value::Int(c.planned_cost),
        _ => Value::Empty,
    }
}

fn read(ctx: &mut RowCtx, dir: &mut dyn Directory) -> Result<Option<Class>, String> {
    let code = ctx.req("code", |c| Ok(parse::text(c)));
    let mut programme_id = None;
    if let Some(pc) = ctx.req_text("programme_code") {
        programme_id = dir.programme_by_code(&pc)?.map(|c| c.id);
        if programme_id.is_none() {
            ctx.error("programme_code", format!("mã chương trình '{pc}' không có trong danh mục"));
        }
    }
    let mut institution_id = None;
    if let Some(ic) = ctx.req_text("institution_code") {
        institution_id = dir.institution_by_code(&ic)?.map(|c| c.id);
        if institution_id.is_none() {
            ctx.error("institution_code", format!("mã cơ sở đào tạo '{ic}' không có trong hệ thống"));
        }
    }
    let starts_on = ctx.req("starts_on", parse::date);
    let ends_on = ctx.req("ends_on", parse::date);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s {
            ctx.error("ends_on", format!("ngày bế giảng {} ở trước ngày khai giảng {}", date_vi(e), date_vi(s)));
        }
    let place = ctx.req_text("place");
    let form = ctx.req("form", |c| parse::coded::<StudyForm>(c, "hình thức học", &[]));
    let min_size = ctx.opt("min_size", parse::integer).unwrap_or(0);
    let max_size = ctx.opt("max_size", parse::integer).unwrap_or(0);
    if max_size > 0 && min_size > max_size {
        ctx.error("min_size", format!("sĩ số tối thiểu {min_size} lớn hơn sĩ số tối đa {max_size}"));
    }
    let status = ctx.req("status", |c| parse::coded::<ClassStatus>(c, "trạng thái lớp", &[]));
    let planned_cost = ctx.opt("planned_cost", parse::integer).unwrap_or(0);
    let (Some(code), Some(programme_id), Some(institution_id), Some(starts_on), Some(ends_on), Some(place), Some(form), Some(status)) =
        (code, programme_id, institution_id, starts_on, ends_on, place, form, status)
    else {
        return Ok(None);
    };
    Ok(Some(Class { code, programme_id, institution_id, starts_on, ends_on, place, form, min_size, max_size, status, planned_cost, target_group: None, unit_quotas: Vec::new() }))
}

pub fn plan(layout: &Layout, rows: &[&Row], dir: &mut dyn Directory, p: &mut Planner) -> Result<(), Vec<ImportError>> {
    let progress = p.progress;
    let read_rows = read_all(layout, rows, progress, |ctx| read(ctx, dir), |c| c.code.clone(), |ctx, c, first| {
        ctx.error("code", format!("mã lớp '{}' trùng với dòng {first}", c.code))
    })?;
    for (row, class) in read_rows {
        match dir.class_by_code(&class.code).map_err(dir_err)? {
            // The sheet has no target group: a class keeps the one it was proposed with.
            Some(cur) => {
                let class = Class { target_group: cur.data.target_group.clone(), unit_quotas: cur.data.unit_quotas.clone(), ..class };
                p.upsert(row, &cur, class, Fact::Class, None)
            }
            None => {
                let valid = Validity::since(class.starts_on);
                p.create(row, Entity::New, valid, Fact::Class(class))
            }
        }
    }
    Ok(())
}
