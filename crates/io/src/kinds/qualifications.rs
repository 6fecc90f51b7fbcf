//! Qualifications: one row per diploma or certificate of a person.


use nangluc_core::person::PersonDetails;
use nangluc_core::qualification::{Qualification, QualificationKind};
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
    super::IDENTITY,
    Column::new("person_name", "Họ và tên", Info, ColType::Text)
        .aliases(&["Họ tên", "Họ, tên"])
        .note("Chỉ để đọc; khi nhập, hệ thống tìm người theo số định danh.")
        .width(24.0),
    Column::new("kind", "Loại trình độ", Required, ColType::List(List::QualificationKind))
        .aliases(&["Loại", "Loại văn bằng, chứng chỉ", "Loại bằng"])
        .note("Cũng nhận: Chuyên môn, LLCT, QLNN, Ngoại ngữ, Tin học, QP-AN.")
        .width(24.0),
    Column::new("level", "Trình độ", Required, ColType::List(List::Level))
        .aliases(&["Cấp độ", "Bậc", "Mức", "Trình độ đạt được"])
        .note("Theo thang của loại: Đại học, Thạc sĩ (ThS)…; ngoại ngữ Bậc 1–6 (A1…C2, B2 = bậc 4); LLCT Sơ cấp, Trung cấp, Cao cấp, Cử nhân; QLNN Chuyên viên, Chuyên viên chính (CVC), Chuyên viên cao cấp (CVCC).")
        .width(18.0),
    Column::new("field", "Chuyên ngành", Optional, ColType::Text)
        .aliases(&["Ngành", "Chuyên ngành đào tạo", "Ngành đào tạo"])
        .note("Ngành học; với tiêu chuẩn chức danh nghề nghiệp: mã chức danh.")
        .width(22.0),
    Column::new("language", "Ngôn ngữ", Optional, ColType::List(List::Language))
        .aliases(&["Tiếng", "Ngoại ngữ", "Thứ tiếng"])
        .note("Bắt buộc với ngoại ngữ và tiếng dân tộc thiểu số.")
        .width(16.0),
    Column::new("obtained_on", "Ngày cấp", Required, ColType::Date)
        .aliases(&["Ngày cấp bằng", "Ngày cấp chứng chỉ", "Ngày cấp văn bằng", "Ngày tốt nghiệp"])
        .width(12.0),
    Column::new("evidence", "Số hiệu văn bằng, chứng chỉ", Optional, ColType::Text)
        .aliases(&["Số văn bằng", "Số hiệu", "Số chứng chỉ", "Số bằng", "Số hiệu văn bằng"])
        .width(20.0),
];

/// One exported row.
#[derive(Debug, Clone)]
pub struct Record {
    pub person: PersonDetails,
    pub qualification: Qualification,
}

pub fn value(r: &Record, key: &str) -> Value {
    let q = &r.qualification;
    match key {
        "identity_number" => Value::text(&r.person.identity_number),
        "person_name" => Value::text(r.person.full_name()),
        "kind" => Value::text(q.kind.label()),
        "level" => Value::text(q.level().map(|l| l.name()).unwrap_or(&q.level)),
        "field" => Value::opt_text(q.field.as_deref()),
        "language" => Value::opt_text(q.language.as_deref().map(parse::language_name)),
        "obtained_on" => Value::Date(q.obtained_on),
        "evidence" => Value::opt_text(q.evidence.as_deref()),
        _ => Value::Empty,
    }
}

fn read(ctx: &mut RowCtx, dir: &mut dyn Directory, p: &Planner) -> Result<Option<Qualification>, String> {
    let identity = ctx.req("identity_number", parse::identity_number);
    let kind = ctx.req("kind", parse::qualification_kind);
    let level = match kind {
        Some(k) => ctx.req("level", |c| parse::level(k, c)),
        None => None,
    };
    let field = ctx.text("field");
    let language = ctx.opt("language", parse::language);
    if let Some(k) = kind.filter(|k| k.has_language() && language.is_none() && ctx.cell("language").is_none()) {
        if ctx.has("language") {
            ctx.error("language", format!("phải ghi ngôn ngữ cho loại '{}'", k.label()));
        } else {
            ctx.row_error(format!("thiếu cột 'Ngôn ngữ' cho loại '{}'", k.label()));
        }
    }
    let obtained_on = ctx.req("obtained_on", parse::date);
    let evidence = ctx.text("evidence");
    let person_id = match &identity {
        Some(id) => ctx.known_person(dir, id, p.today)?,
        None => None,
    };
    let (Some(person_id), Some(kind), Some(level), Some(obtained_on)) = (person_id, kind, level, obtained_on) else {
        return Ok(None);
    };
    Ok(Some(Qualification {
        person_id,
        kind,
        level: level.code.to_string(),
        field,
        language: if kind.has_language() { language } else { None },
        obtained_on,
        evidence,
        enrolment_id: None,
    }))
}

/// What identifies a qualification: (person, kind, level, language, field, date).
fn key(q: &Qualification) -> (i64, QualificationKind, String, Option<String>, Option<String>, chrono::NaiveDate) {
    (q.person_id, q.kind, q.level.clone(), q.language.clone(), q.field.clone(), q.obtained_on)
}

pub fn plan(layout: &Layout, rows: &[&Row], dir: &mut dyn Directory, p: &mut Planner) -> Result<(), Vec<ImportError>> {
    let progress = p.progress;
    let read_rows = read_all(layout, rows, progress, |ctx| read(ctx, dir, p), key, |ctx, _, first| {
        ctx.row_error(format!("trùng với dòng {first} (cùng người, loại, trình độ, ngôn ngữ, chuyên ngành và ngày cấp)"))
    })?;
    for (row, mut q) in read_rows {
        let held = dir.qualifications_of(q.person_id).map_err(dir_err)?;
        match held.iter().find(|h| key(&h.data) == key(&q)) {
            Some(cur) => {
                q.enrolment_id = cur.data.enrolment_id;
                p.upsert(row, cur, q, Fact::Qualification, None);
            }
            None => p.create(row, Entity::New, Validity::since(q.obtained_on), Fact::Qualification(q)),
        }
    }
    Ok(())
}
