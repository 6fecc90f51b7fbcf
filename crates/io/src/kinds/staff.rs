//! Staff: a person, their current employment and roles, one row each.


use std::collections::HashMap;

use chrono::NaiveDate;
use nangluc_core::employment::{Category, Employment, Post, REFORM_2025, post_name, rank_name};
use nangluc_core::person::PersonDetails;
use nangluc_core::role::{Role, RoleKind};
use nangluc_core::unit::{UnitLevel, UnitVersion};
use nangluc_core::{Entity, Fact, Table, Validity};

use super::{ColType, Column, List, Need, RowCtx, read_all};
use crate::directory::{Current, Directory};
use crate::error::ImportError;
use crate::export::Value;
use crate::format::date_vi;
use crate::header::{Layout, norm};
use crate::parse;
use crate::plan::{Planner, dir_err};
use crate::sheet::{Cell, Row};

use Need::*;

pub const COLUMNS: &[Column] = &[
    super::IDENTITY,
    Column::new("family_name", "Họ", RequiredUnless("full_name"), ColType::Text).width(12.0),
    Column::new("middle_name", "Tên đệm", Optional, ColType::Text).aliases(&["Tên lót", "Chữ đệm"]).width(14.0),
    Column::new("given_name", "Tên", RequiredUnless("full_name"), ColType::Text).width(10.0),
    Column::new("full_name", "Họ và tên", ImportOnly, ColType::Text)
        .aliases(&["Họ tên", "Họ, tên", "Họ và tên đầy đủ", "Họ tên đầy đủ"])
        .note("Thay cho ba cột Họ, Tên đệm, Tên: chữ đầu là họ, chữ cuối là tên. Họ kép (Tôn Nữ, Âu Dương…) cần ba cột riêng."),
    Column::new("birth_date", "Ngày sinh", Required, ColType::Date)
        .aliases(&["Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày"])
        .width(12.0),
    Column::new("sex", "Giới tính", Required, ColType::List(List::Sex)).aliases(&["Phái", "Nam/Nữ"]).note("Cũng nhận: nam, nữ, NU, M, F.").width(9.0),
    Column::new("ethnicity", "Dân tộc", Required, ColType::List(List::Ethnicity)).note("Tên một trong 54 dân tộc hoặc mã 1–54.").width(12.0),
    Column::new("unit_code", "Mã đơn vị", Required, ColType::Text)
        .aliases(&["Mã cơ quan", "Mã cơ quan, đơn vị", "Mã ĐV"])
        .note("Mã cơ quan, đơn vị nơi đang công tác, phải có trong hệ thống.")
        .width(12.0),
    Column::new("unit_name", "Tên đơn vị", Info, ColType::Text)
        .aliases(&["Cơ quan, đơn vị", "Đơn vị công tác", "Tên cơ quan"])
        .note("Chỉ để đọc; khi nhập, hệ thống dùng mã đơn vị.")
        .width(30.0),
    Column::new("category", "Loại cán bộ", Required, ColType::List(List::Category))
        .aliases(&["Đối tượng", "Phân loại", "Loại", "Cán bộ/Công chức/Viên chức"])
        .note("Cán bộ, công chức cấp xã chỉ dùng cho thời gian trước 01/07/2025.")
        .width(18.0),
    Column::new("rank", "Ngạch, chức danh nghề nghiệp", Optional, ColType::List(List::Rank))
        .aliases(&["Ngạch", "Chức danh nghề nghiệp", "Ngạch/CDNN", "Ngạch, CDNN", "Mã ngạch"])
        .note("Tên hoặc mã ngạch (01.003…), mã chức danh nghề nghiệp (V.07.05.14…).")
        .width(24.0),
    Column::new("job_position", "Vị trí việc làm", Optional, ColType::JobPosition)
        .aliases(&["Mã vị trí việc làm", "VTVL", "Mã VTVL", "Vị trí việc làm hiện tại"])
        .note("Để trống: không có vị trí việc làm.")
        .width(26.0),
    Column::new("post", "Chức vụ", Optional, ColType::List(List::Post))
        .aliases(&["Chức vụ lãnh đạo", "Chức vụ hiện tại", "Chức vụ lãnh đạo, quản lý"])
        .width(22.0),
    Column::new("appointed_on", "Ngày bổ nhiệm", Optional, ColType::Date).note("Ngày bổ nhiệm chức vụ.").width(12.0),
    Column::new("elected_on", "Ngày bầu", Optional, ColType::Date).aliases(&["Ngày bầu cử"]).note("Ngày được bầu giữ chức vụ.").width(12.0),
    Column::new("minority_area", "Công tác ở vùng DTTS", Optional, ColType::YesNo)
        .aliases(&["Vùng DTTS", "Vùng đồng bào DTTS", "Vùng dân tộc thiểu số", "Vùng đồng bào dân tộc thiểu số"])
        .note("Để trống: giữ giá trị đang lưu; người mới hoặc chuyển đơn vị thì lấy theo đơn vị.")
        .width(12.0),
    Column::new("since", "Công tác tại đơn vị từ ngày", Optional, ColType::Date)
        .aliases(&["Từ ngày", "Ngày bắt đầu", "Ngày bắt đầu công tác"])
        .note("Để trống: ngày nhập. Một ngày sau ngày đang lưu nghĩa là thay đổi (chuyển đơn vị, nâng ngạch…) từ ngày đó.")
        .width(14.0),
    Column::new("council_term", "Đại biểu HĐND nhiệm kỳ", Optional, ColType::Term).aliases(&["Đại biểu HĐND", "Nhiệm kỳ HĐND"]).width(14.0),
    Column::new("council_level", "Cấp HĐND", Optional, ColType::List(List::UnitLevel)).width(12.0),
    Column::new("managed", "Diện Ban Thường vụ Tỉnh ủy quản lý", Optional, ColType::YesNo)
        .aliases(&["Diện BTV Tỉnh ủy quản lý", "Diện BTV quản lý", "Diện Tỉnh ủy quản lý"])
        .width(14.0),
    Column::new("planned_post", "Quy hoạch chức danh", Optional, ColType::List(List::Post)).aliases(&["Quy hoạch"]).width(22.0),
    Column::new("planned_term", "Nhiệm kỳ quy hoạch", Optional, ColType::Term).width(14.0),
];

/// One staff row as exported: the person, the employment that holds, its unit
/// and the person's roles that hold.
#[derive(Debug, Clone)]
pub struct Record {
    pub person: PersonDetails,
    pub unit: UnitVersion,
    pub employment: Employment,
    /// The name of the employment's job position.
    pub job_position: Option<String>,
    pub since: NaiveDate,
    pub roles: Vec<Role>,
}

impl Record {
    fn role(&self, kind: RoleKind) -> Option<&Role> {
        self.roles.iter().find(|r| r.kind == kind)
    }
}

/// The value of a column for an export.
pub fn value(r: &Record, key: &str) -> Value {
    let e = &r.employment;
    let post = e.post.as_ref();
    match key {
        "identity_number" => Value::text(&r.person.identity_number),
        "family_name" => Value::text(&r.person.family_name),
        "middle_name" => Value::text(&r.person.middle_name),
        "given_name" => Value::text(&r.person.given_name),
        "full_name" => Value::text(r.person.full_name()),
        "birth_date" => Value::Date(r.person.birth_date),
        "sex" => Value::text(r.person.sex.label()),
        "ethnicity" => Value::text(r.person.ethnicity.name()),
        "unit_code" => Value::text(&r.unit.code),
        "unit_name" => Value::text(&r.unit.name),
        "category" => Value::text(e.category.label()),
        "rank" => Value::opt_text(e.rank.as_deref().map(|c| rank_name(c).unwrap_or(c))),
        "job_position" => Value::opt_text(r.job_position.as_deref()),
        "post" => Value::opt_text(post.map(|p| post_name(&p.code).unwrap_or(&p.code))),
        "appointed_on" => Value::opt_date(post.and_then(|p| p.appointed_on)),
        "elected_on" => Value::opt_date(post.and_then(|p| p.elected_on)),
        "minority_area" => Value::yes(e.minority_area),
        "since" => Value::Date(r.since),
        "council_term" => Value::opt_text(r.role(RoleKind::CouncilDelegate).and_then(|x| x.term.as_deref())),
        "council_level" => Value::opt_text(r.role(RoleKind::CouncilDelegate).and_then(|x| x.level).map(|l| l.label())),
        "managed" => Value::yes(r.role(RoleKind::StandingCommitteeManaged).is_some()),
        "planned_post" => Value::opt_text(
            r.role(RoleKind::SuccessionPlanning).and_then(|x| x.post.as_deref()).map(|c| post_name(c).unwrap_or(c)),
        ),
        "planned_term" => Value::opt_text(r.role(RoleKind::SuccessionPlanning).and_then(|x| x.term.as_deref())),
        _ => Value::Empty,
    }
}

/// A row read and checked, before comparing with what is recorded.
struct Read {
    row: u32,
    person: PersonDetails,
    unit: Current<UnitVersion>,
    category: Category,
    /// `None`: the column is absent (keep what is recorded).
    rank: Option<Option<String>>,
    job_position: Option<Option<i64>>,
    post: Option<Option<Post>>,
    minority_area: Option<bool>,
    since: Option<NaiveDate>,
    council: Option<(String, Option<Option<UnitLevel>>)>,
    managed: bool,
    planning: Option<(String, Option<String>)>,
}

fn names(ctx: &mut RowCtx) -> Option<(String, String, String)> {
    if ctx.has("family_name") || ctx.has("given_name") || !ctx.has("full_name") {
        let family = ctx.req_text("family_name");
        let middle = ctx.text("middle_name").unwrap_or_default();
        let given = ctx.req_text("given_name");
        Some((family?, middle, given?))
    } else {
        let full = ctx.req_text("full_name")?;
        ctx.opt("full_name", |_| parse::split_full_name(&full))
    }
}

/// The job positions, by code and by normalised code or name, with the
/// validity of each version; built once per file.
struct Positions {
    by_code: HashMap<String, Vec<(i64, Validity)>>,
    by_key: HashMap<String, Vec<(i64, Validity)>>,
}

impl Positions {
    fn load(dir: &mut dyn Directory) -> Result<Positions, String> {
        let mut by_code: HashMap<String, Vec<(i64, Validity)>> = HashMap::new();
        let mut by_key: HashMap<String, Vec<(i64, Validity)>> = HashMap::new();
        for p in dir.job_positions()? {
            by_code.entry(p.data.code.clone()).or_default().push((p.id, p.valid));
            for key in [norm(&p.data.code), norm(&p.data.name)] {
                by_key.entry(key).or_default().push((p.id, p.valid));
            }
        }
        Ok(Positions { by_code, by_key })
    }

    /// The position a cell names (its exact code, else one code or name
    /// written any way) that had not ended when the employment starts. Only an
    /// end counts: a catalogue recorded in 2015 still names the post of
    /// someone who started in 2000.
    fn find(&self, cell: &Cell, on: NaiveDate) -> Result<i64, String> {
        let text = parse::text(cell);
        let versions = self.by_code.get(&text).or_else(|| self.by_key.get(&norm(&text)));
        let Some(versions) = versions else {
            return Err(format!("vị trí việc làm '{text}' không có trong hệ thống"));
        };
        let mut open: Vec<i64> = versions.iter().filter(|(_, v)| v.to.is_none_or(|to| on < to)).map(|(id, _)| *id).collect();
        open.sort_unstable();
        open.dedup();
        match open.as_slice() {
            [id] => Ok(*id),
            [] => {
                let ended = versions.iter().filter_map(|(_, v)| v.to).max().unwrap_or(on);
                Err(format!("vị trí việc làm '{text}' đã hết hiệu lực từ ngày {}", date_vi(ended)))
            }
            _ => Err(format!("tên vị trí việc làm '{text}' ứng với nhiều vị trí; hãy ghi mã vị trí")),
        }
    }
}

fn read(ctx: &mut RowCtx, dir: &mut dyn Directory, positions: &Positions, today: NaiveDate) -> Result<Option<Read>, String> {
    let identity = ctx.req("identity_number", parse::identity_number);
    let names = names(ctx);
    let birth = ctx.req("birth_date", parse::date);
    if let Some(b) = birth.filter(|b| *b > today) {
        ctx.error("birth_date", format!("ngày sinh {} ở sau ngày hôm nay", date_vi(b)));
    }
    let sex = ctx.req("sex", parse::sex);
    let ethnicity = ctx.req("ethnicity", parse::ethnicity);
    let mut unit = None;
    if let Some(code) = ctx.req_text("unit_code") {
        unit = dir.unit_by_code(&code, today)?;
        if unit.is_none() {
            ctx.error("unit_code", format!("mã đơn vị '{code}' không có trong hệ thống"));
        }
    }
    let since = ctx.opt("since", parse::date);
    let category = ctx.req("category", parse::category);
    let on = since.unwrap_or(today);
    if let Some(c) = category.filter(|c| !c.in_force_on(on)) {
        ctx.error(
            "category",
            format!("loại '{}' không còn từ ngày {}; dùng '{}'", c.label(), date_vi(REFORM_2025), c.after_reform_2025().label()),
        );
    }
    let rank = ctx.present("rank", parse::rank);
    let job_position = ctx.present("job_position", |c| positions.find(c, on));
    let appointed_on = ctx.opt("appointed_on", parse::date);
    let elected_on = ctx.opt("elected_on", parse::date);
    let post = ctx.present("post", parse::post).map(|p| {
        p.map(|(code, rank)| Post { code, rank, appointed_on, elected_on })
    });
    let minority_area = ctx.opt("minority_area", parse::yes_no);
    let council_term = ctx.opt("council_term", parse::term);
    let council_level = ctx.present("council_level", |c| parse::coded::<UnitLevel>(c, "cấp", &[]));
    let managed = ctx.opt("managed", parse::yes_no).unwrap_or(false);
    let planned_post = ctx.opt("planned_post", parse::planned_post);
    let planned_term = ctx.opt("planned_term", parse::term);
    if planned_post.is_none() && planned_term.is_some() {
        ctx.error("planned_term", "có nhiệm kỳ quy hoạch nhưng thiếu chức danh quy hoạch");
    }
    let (Some(identity_number), Some((family_name, middle_name, given_name)), Some(birth_date), Some(sex), Some(ethnicity), Some(unit), Some(category)) =
        (identity, names, birth, sex, ethnicity, unit, category)
    else {
        return Ok(None);
    };
    Ok(Some(Read {
        row: ctx.number(),
        person: PersonDetails { identity_number, family_name, middle_name, given_name, birth_date, sex, ethnicity },
        unit,
        category,
        rank,
        job_position,
        post,
        minority_area,
        since,
        council: council_term.map(|t| (t, council_level)),
        managed,
        planning: planned_post.map(|p| (p, planned_term)),
    }))
}

pub fn plan(layout: &Layout, rows: &[&Row], dir: &mut dyn Directory, p: &mut Planner) -> Result<(), Vec<ImportError>> {
    let today = p.today;
    let progress = p.progress;
    let positions = Positions::load(dir).map_err(dir_err)?;
    let read_rows = read_all(layout, rows, progress, |ctx| read(ctx, dir, &positions, today), |r| r.person.identity_number.clone(), |ctx, r, first| {
        ctx.error("identity_number", format!("số định danh '{}' trùng với dòng {first}", r.person.identity_number))
    })?;
    for (_, r) in read_rows {
        upsert(r, dir, p).map_err(dir_err)?;
    }
    Ok(())
}

fn upsert(r: Read, dir: &mut dyn Directory, p: &mut Planner) -> Result<(), String> {
    let today = p.today;
    let existing = dir.person_by_identity(&r.person.identity_number, today)?;
    let person_id = match &existing {
        Some(cur) => {
            p.upsert(r.row, cur, r.person.clone(), Fact::Person, None);
            cur.id
        }
        None => {
            let id = dir.reserve_id(Table::People)?;
            p.create(r.row, Entity::Given(id), Validity::since(r.person.birth_date), Fact::Person(r.person.clone()));
            id
        }
    };
    let jobs = if existing.is_some() { dir.employment_of(person_id, today)? } else { Vec::new() };
    let current = jobs.iter().find(|j| j.data.unit_id == r.unit.id).or(jobs.first());
    let employment = Employment {
        person_id,
        unit_id: r.unit.id,
        category: r.category,
        rank: r.rank.unwrap_or_else(|| current.and_then(|c| c.data.rank.clone())),
        job_position_id: r.job_position.unwrap_or_else(|| current.and_then(|c| c.data.job_position_id)),
        post: r.post.unwrap_or_else(|| current.and_then(|c| c.data.post.clone())),
        // Empty: what is recorded at the same unit, else the unit's.
        minority_area: r.minority_area.unwrap_or(match current {
            Some(c) if c.data.unit_id == r.unit.id => c.data.minority_area,
            _ => r.unit.data.minority_area,
        }),
    };
    match current {
        Some(cur) => p.upsert(r.row, cur, employment, Fact::Employment, r.since),
        None => p.create(r.row, Entity::New, Validity::since(r.since.unwrap_or(today)), Fact::Employment(employment)),
    }
    let mut wanted = Vec::new();
    if let Some((term, level)) = r.council {
        wanted.push((RoleKind::CouncilDelegate, Some(term), level, None));
    }
    if r.managed {
        // The file has no term or level for these roles: keep what is recorded.
        wanted.push((RoleKind::StandingCommitteeManaged, None, None, None));
    }
    if let Some((post, term)) = r.planning {
        wanted.push((RoleKind::SuccessionPlanning, term, None, Some(post)));
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let roles = if existing.is_some() { dir.roles_of(person_id, today)? } else { Vec::new() };
    for (kind, term, level, post) in wanted {
        let cur = roles
            .iter()
            .find(|x| x.data.kind == kind && (post.is_none() || x.data.post == post))
            .or_else(|| roles.iter().find(|x| x.data.kind == kind));
        let role = Role {
            person_id,
            kind,
            // Columns the file lacks (or leaves empty) keep what is recorded.
            term: term.or_else(|| cur.and_then(|c| c.data.term.clone())),
            level: level.unwrap_or_else(|| cur.and_then(|c| c.data.level)),
            post,
            approved_on: cur.and_then(|c| c.data.approved_on),
        };
        match cur {
            Some(c) => p.upsert(r.row, c, role, Fact::Role, None),
            None => p.create(r.row, Entity::New, Validity::since(today), Fact::Role(role)),
        }
    }
    Ok(())
}
