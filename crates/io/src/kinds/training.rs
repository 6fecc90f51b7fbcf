//! Training history: one row per person per course (completions and enrolments).


use chrono::NaiveDate;
use nangluc_core::person::PersonDetails;
use nangluc_core::training::{Enrolment, EnrolmentStatus, FundingSource, Programme};
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
    super::IDENTITY,
    Column::new("person_name", "Họ và tên", Info, ColType::Text)
        .aliases(&["Họ tên", "Họ, tên"])
        .note("Chỉ để đọc; khi nhập, hệ thống tìm người theo số định danh.")
        .width(24.0),
    Column::new("programme_code", "Mã chương trình", Required, ColType::Text)
        .aliases(&["Mã CT", "Mã chương trình đào tạo, bồi dưỡng"])
        .note("Phải có trong danh mục chương trình.")
        .width(14.0),
    Column::new("programme_name", "Tên chương trình", Info, ColType::Text)
        .aliases(&["Chương trình", "Tên khóa học", "Nội dung đào tạo, bồi dưỡng"])
        .note("Chỉ để đọc; khi nhập, hệ thống dùng mã chương trình.")
        .width(32.0),
    Column::new("class_code", "Mã lớp", Optional, ColType::Text).note("Nếu học theo một lớp đã có trong hệ thống.").width(14.0),
    Column::new("starts_on", "Từ ngày", Required, ColType::Date).aliases(&["Ngày bắt đầu", "Ngày khai giảng"]).width(12.0),
    Column::new("ends_on", "Đến ngày", Required, ColType::Date).aliases(&["Ngày kết thúc", "Ngày bế giảng"]).width(12.0),
    Column::new("status", "Trạng thái", Optional, ColType::List(List::EnrolmentStatus))
        .aliases(&["Tình trạng", "Kết quả học tập"])
        .note("Để trống: Hoàn thành.")
        .width(14.0),
    Column::new("result", "Xếp loại", Optional, ColType::Text).aliases(&["Kết quả", "Xếp loại tốt nghiệp"]).note("Như ghi trên chứng chỉ: Giỏi, Khá, Đạt…").width(10.0),
    Column::new("certificate", "Số chứng chỉ", Optional, ColType::Text)
        .aliases(&["Số giấy chứng nhận", "Số hiệu chứng chỉ", "Số văn bằng, chứng chỉ"])
        .width(16.0),
    Column::new("attendance_pct", "Tỷ lệ chuyên cần (%)", Optional, ColType::Integer).aliases(&["Chuyên cần"]).note("Từ 0 đến 100.").width(10.0),
    Column::new("cost", "Kinh phí (đồng)", Optional, ColType::Integer).aliases(&["Kinh phí", "Chi phí"]).note("Để trống: 0.").width(14.0),
    Column::new("funding", "Nguồn kinh phí", Optional, ColType::List(List::Funding))
        .aliases(&["Nguồn"])
        .note("Để trống: Ngân sách nhà nước. Cũng nhận: NSNN.")
        .width(18.0),
    Column::new("nominated_by", "Mã đơn vị cử đi học", Optional, ColType::Text).aliases(&["Đơn vị cử", "Đơn vị cử đi học"]).width(12.0),
];

/// One exported row.
#[derive(Debug, Clone)]
pub struct Record {
    pub person: PersonDetails,
    pub programme: Programme,
    pub class_code: Option<String>,
    pub nominated_by_code: Option<String>,
    pub enrolment: Enrolment,
}

pub fn value(r: &Record, key: &str) -> Value {
    let e = &r.enrolment;
    match key {
        "identity_number" => Value::text(&r.person.identity_number),
        "person_name" => Value::text(r.person.full_name()),
        "programme_code" => Value::text(&r.programme.code),
        "programme_name" => Value::text(&r.programme.name),
        "class_code" => Value::opt_text(r.class_code.as_deref()),
        "starts_on" => Value::Date(e.starts_on),
        "ends_on" => Value::Date(e.ends_on),
        "status" => Value::text(e.status.label()),
        "result" => Value::opt_text(e.result.as_deref()),
        "certificate" => Value::opt_text(e.certificate.as_deref()),
        "attendance_pct" => e.attendance_pct.map(Value::Int).unwrap_or(Value::Empty),
        "cost" => Value::Int(e.cost),
        "funding" => Value::text(e.funding.label()),
        "nominated_by" => Value::opt_text(r.nominated_by_code.as_deref()),
        _ => Value::Empty,
    }
}

fn read(ctx: &mut RowCtx, dir: &mut dyn Directory, p: &Planner) -> Result<Option<Enrolment>, String> {
    let identity = ctx.req("identity_number", parse::identity_number);
    let mut programme_id = None;
    if let Some(code) = ctx.req_text("programme_code") {
        programme_id = dir.programme_by_code(&code)?.map(|c| c.id);
        if programme_id.is_none() {
            ctx.error("programme_code", format!("mã chương trình '{code}' không có trong danh mục"));
        }
    }
    let mut class_id = None;
    if let Some(code) = ctx.text("class_code") {
        match dir.class_by_code(&code)? {
            None => ctx.error("class_code", format!("mã lớp '{code}' không có trong hệ thống")),
            Some(c) if programme_id.is_some_and(|p| p != c.data.programme_id) => {
                ctx.error("class_code", format!("lớp '{code}' thuộc chương trình khác"))
            }
            Some(c) => class_id = Some(c.id),
        }
    }
    let starts_on = ctx.req("starts_on", parse::date);
    let ends_on = ctx.req("ends_on", parse::date);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s {
            ctx.error("ends_on", format!("ngày kết thúc {} ở trước ngày bắt đầu {}", date_vi(e), date_vi(s)));
        }
    let status = ctx.opt("status", |c| {
        parse::coded(c, "trạng thái học", &[("da hoan thanh", EnrolmentStatus::Completed), ("hoan thanh", EnrolmentStatus::Completed), ("dat", EnrolmentStatus::Completed)])
    });
    let status = status.unwrap_or(EnrolmentStatus::Completed);
    if let Some(e) = ends_on.filter(|e| status == EnrolmentStatus::Completed && *e > p.today) {
        ctx.error("ends_on", format!("khóa học chưa kết thúc (đến ngày {}) mà trạng thái là Hoàn thành", date_vi(e)));
    }
    let result = ctx.text("result");
    let certificate = ctx.text("certificate");
    let attendance_pct = ctx.opt("attendance_pct", |c| {
        parse::integer(c).and_then(|n| if (0..=100).contains(&n) { Ok(n) } else { Err(format!("tỷ lệ chuyên cần {n} phải từ 0 đến 100")) })
    });
    let cost = ctx.opt("cost", parse::integer).unwrap_or(0);
    let funding = ctx
        .opt("funding", |c| parse::coded(c, "nguồn kinh phí", &[("nsnn", FundingSource::StateBudget), ("ngan sach", FundingSource::StateBudget)]))
        .unwrap_or(FundingSource::StateBudget);
    let mut nominated_by = None;
    if let Some(code) = ctx.text("nominated_by") {
        nominated_by = dir.unit_by_code(&code, starts_on.unwrap_or(p.today))?.map(|u| u.id);
        if nominated_by.is_none() {
            ctx.error("nominated_by", format!("mã đơn vị '{code}' không có trong hệ thống"));
        }
    }
    let person_id = match &identity {
        Some(id) => ctx.known_person(dir, id, p.today)?,
        None => None,
    };
    let (Some(person_id), Some(programme_id), Some(starts_on), Some(ends_on)) = (person_id, programme_id, starts_on, ends_on) else {
        return Ok(None);
    };
    Ok(Some(Enrolment {
        person_id,
        programme_id,
        class_id,
        nominated_by,
        status,
        starts_on,
        ends_on,
        attendance_pct,
        result,
        certificate,
        cost,
        funding,
        note: None,
    }))
}

/// What identifies a training record: (person, programme, end date).
fn key(e: &Enrolment) -> (i64, i64, NaiveDate) {
    (e.person_id, e.programme_id, e.ends_on)
}

pub fn plan(layout: &Layout, rows: &[&Row], dir: &mut dyn Directory, p: &mut Planner) -> Result<(), Vec<ImportError>> {
    let progress = p.progress;
    let read_rows = read_all(layout, rows, progress, |ctx| read(ctx, dir, p), key, |ctx, _, first| {
        ctx.row_error(format!("trùng với dòng {first} (cùng người, chương trình và ngày kết thúc)"))
    })?;
    for (row, e) in read_rows {
        let held = dir.enrolments_of(e.person_id).map_err(dir_err)?;
        // A record stays true after the course ends: valid from its start, open-ended.
        match held.iter().find(|h| key(&h.data) == key(&e)) {
            // The sheet has no nomination reason: a record keeps the one it has.
            Some(cur) => p.upsert(row, cur, Enrolment { note: cur.data.note.clone(), ..e }, Fact::Enrolment, None),
            None => p.create(row, Entity::New, Validity::since(e.starts_on), Fact::Enrolment(e)),
        }
    }
    Ok(())
}
