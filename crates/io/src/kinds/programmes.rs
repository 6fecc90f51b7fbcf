//! Programmes: the training catalogue, keyed by programme code.


use nangluc_core::qualification::QualificationKind;
use nangluc_core::training::{Grant, Programme, Topic, TrainingKind};
use nangluc_core::{Entity, Fact, Validity};

use super::{ColType, Column, List, Need, RowCtx, read_all};
use crate::directory::Directory;
use crate::error::ImportError;
use crate::export::Value;
use crate::header::Layout;
use crate::parse;
use crate::plan::{Planner, dir_err};
use crate::sheet::Row;

use Need::*;

pub const COLUMNS: &[Column] = &[
    Column::new("code", "Mã chương trình", Required, ColType::Text).aliases(&["Mã CT"]).width(14.0),
    Column::new("name", "Tên chương trình", Required, ColType::Text).aliases(&["Chương trình", "Tên"]).width(40.0),
    Column::new("kind", "Đào tạo/bồi dưỡng", Required, ColType::List(List::TrainingKind)).aliases(&["Hình thức", "Loại", "Đào tạo hay bồi dưỡng"]).width(12.0),
    Column::new("topic", "Chủ đề", Required, ColType::List(List::Topic)).aliases(&["Nội dung", "Lĩnh vực"]).width(28.0),
    Column::new("legal_basis", "Căn cứ ban hành", Optional, ColType::Text)
        .aliases(&["Căn cứ", "Quyết định ban hành", "Văn bản ban hành"])
        .note("Quyết định, thông tư ban hành chương trình, ví dụ 421/QĐ-BNV ngày 02/6/2022.")
        .width(30.0),
    Column::new("duration_periods", "Thời lượng (tiết)", Required, ColType::Integer).aliases(&["Thời lượng", "Số tiết"]).width(10.0),
    Column::new("grant_kind", "Cấp trình độ loại", Optional, ColType::List(List::QualificationKind))
        .aliases(&["Loại chứng chỉ cấp"])
        .note("Loại trình độ mà người hoàn thành được công nhận; để trống nếu không có.")
        .width(24.0),
    Column::new("grant_level", "Cấp trình độ", Optional, ColType::List(List::Level)).aliases(&["Trình độ cấp"]).note("Bắt buộc nếu có loại trình độ.").width(18.0),
    Column::new("grant_field", "Chuyên ngành cấp", Optional, ColType::Text).width(18.0),
    Column::new("grant_language", "Ngôn ngữ cấp", Optional, ColType::List(List::Language)).width(14.0),
];

#[derive(Debug, Clone)]
pub struct Record {
    pub programme: Programme,
}

pub fn value(r: &Record, key: &str) -> Value {
    let p = &r.programme;
    let g = p.grants.as_ref();
    match key {
        "code" => Value::text(&p.code),
        "name" => Value::text(&p.name),
        "kind" => Value::text(p.kind.label()),
        "topic" => Value::text(p.topic.label()),
        "legal_basis" => Value::text(&p.legal_basis),
        "duration_periods" => Value::Int(p.duration_periods),
        "grant_kind" => Value::opt_text(g.map(|g| g.kind.label())),
        "grant_level" => Value::opt_text(g.map(|g| {
            nangluc_core::qualification::Level::from_code(g.kind, &g.level).map(|l| l.name()).unwrap_or(&g.level)
        })),
        "grant_field" => Value::opt_text(g.and_then(|g| g.field.as_deref())),
        "grant_language" => Value::opt_text(g.and_then(|g| g.language.as_deref()).map(parse::language_name)),
        _ => Value::Empty,
    }
}

fn read(ctx: &mut RowCtx) -> Option<Programme> {
    let code = ctx.req("code", |c| Ok(parse::text(c)));
    let name = ctx.req_text("name");
    let kind = ctx.req("kind", |c| parse::coded::<TrainingKind>(c, "đào tạo/bồi dưỡng", &[]));
    let topic = ctx.req("topic", |c| parse::coded::<Topic>(c, "chủ đề", &[]));
    let legal_basis = ctx.text("legal_basis").unwrap_or_default();
    let duration = ctx.req("duration_periods", parse::integer);
    let grant_kind: Option<QualificationKind> = ctx.opt("grant_kind", parse::qualification_kind);
    let mut grants = None;
    if let Some(k) = grant_kind {
        let level = ctx.req("grant_level", |c| parse::level(k, c));
        if level.is_none() && ctx.cell("grant_level").is_none() {
            ctx.error("grant_kind", "có loại trình độ được cấp nhưng thiếu trình độ");
        }
        let field = ctx.text("grant_field");
        let language = ctx.opt("grant_language", parse::language);
        grants = level.map(|l| Grant { kind: k, level: l.code.to_string(), field, language: language.filter(|_| k.has_language()) });
    }
    Some(Programme {
        code: code?,
        name: name?,
        kind: kind?,
        topic: topic?,
        legal_basis,
        duration_periods: duration?,
        grants: if grant_kind.is_some() { Some(grants?) } else { None },
    })
}

pub fn plan(layout: &Layout, rows: &[&Row], dir: &mut dyn Directory, p: &mut Planner) -> Result<(), Vec<ImportError>> {
    let progress = p.progress;
    let read_rows = read_all(layout, rows, progress, |ctx| Ok(read(ctx)), |c| c.code.clone(), |ctx, c, first| {
        ctx.error("code", format!("mã chương trình '{}' trùng với dòng {first}", c.code))
    })?;
    for (row, prog) in read_rows {
        match dir.programme_by_code(&prog.code).map_err(dir_err)? {
            Some(cur) => p.upsert(row, &cur, prog, Fact::Programme, None),
            None => p.create(row, Entity::New, Validity::since(p.today), Fact::Programme(prog)),
        }
    }
    Ok(())
}
