mod common;

use common::*;
use nangluc_core::employment::Category;
use nangluc_core::person::{Ethnicity, Sex};
use nangluc_core::{Entity, Fact, Op, Table, Validity};
use nangluc_io::{Directory, MemoryDirectory, SheetKind, plan_file};

#[test]
fn a_messy_file_is_read_as_people_meant_it() {
    let (mut dir, ids) = province();
    let path = messy_staff_file();
    let plan = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_or_else(|e| panic!("{:#?}", e));
    // Three title rows, the header on row 4, data on rows 5–7.
    assert_eq!(plan.report.sheet, "DS cán bộ");
    assert_eq!(plan.report.rows, 3);
    assert_eq!(plan.report.tally(Table::People).created, vec![5, 6, 7]);
    assert_eq!(plan.report.tally(Table::Employments).created, vec![5, 6, 7]);
    assert_eq!(plan.change_set.actor, format!("import:{}", path.file_name().unwrap().to_string_lossy()));

    let people: Vec<_> = plan
        .change_set
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Record { fact: Fact::Person(p), entity, valid } => Some((p.clone(), *entity, *valid)),
            _ => None,
        })
        .collect();
    assert_eq!(people.len(), 3);
    let (anh, entity, valid) = &people[0];
    assert_eq!(anh.identity_number, "072190001234");
    assert_eq!(anh.family_name, "Nguyễn");
    assert_eq!(anh.middle_name, "Thị");
    assert_eq!(anh.given_name, "Ánh");
    assert_eq!(anh.given_name.chars().count(), 3, "composed to NFC");
    assert_eq!(anh.birth_date, d(1980, 3, 5));
    assert_eq!(anh.sex, Sex::Female);
    assert!(matches!(entity, Entity::Given(_)));
    assert_eq!(*valid, Validity::since(d(1980, 3, 5)));
    let binh = &people[1].0;
    assert_eq!((binh.birth_date, binh.sex), (d(1980, 3, 5), Sex::Male));
    let dao = &people[2].0;
    assert_eq!((dao.family_name.as_str(), dao.middle_name.as_str(), dao.given_name.as_str()), ("Trần", "Thị", "Đào"));
    assert_eq!((dao.birth_date, dao.sex, dao.ethnicity), (d(1990, 12, 31), Sex::Female, Ethnicity::from_name("Tày").unwrap()));

    let jobs: Vec<_> = plan
        .change_set
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Record { fact: Fact::Employment(e), valid, .. } => Some((e.clone(), *valid)),
            _ => None,
        })
        .collect();
    assert_eq!(jobs[0].0.unit_id, ids.snv);
    assert_eq!(jobs[0].0.category, Category::CivilServant);
    assert_eq!(jobs[0].0.rank.as_deref(), Some("01.003"));
    assert_eq!(jobs[0].1, Validity::since(today()));
    assert_eq!(jobs[1].0.rank.as_deref(), Some("01.002"));
    assert_eq!((jobs[2].0.unit_id, jobs[2].0.category, jobs[2].0.rank.clone()), (ids.hospital, Category::PublicEmployee, None));
    // The employment refers to the person's reserved id.
    let Entity::Given(anh_id) = people[0].1 else { unreachable!() };
    assert_eq!(jobs[0].0.person_id, anh_id);
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let (mut dir, _) = province();
    let path = messy_staff_file();
    let first = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap();
    assert_eq!(first.change_set.ops.len(), 6);
    dir.apply(&first.change_set);
    let second = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap();
    assert!(second.change_set.ops.is_empty(), "{:#?}", second.change_set.ops);
    assert_eq!(second.report.tally(Table::People).unchanged, vec![5, 6, 7]);
    assert_eq!(second.report.tally(Table::Employments).unchanged, vec![5, 6, 7]);
    assert!(second.report.tally(Table::People).created.is_empty());
}

fn header() -> Vec<C> {
    ["Số định danh cá nhân", "Họ", "Tên đệm", "Tên", "Ngày sinh", "Giới tính", "Dân tộc", "Mã đơn vị", "Loại cán bộ"].iter().map(|h| s(h)).collect()
}

#[allow(clippy::too_many_arguments)]
fn row(id: &str, family: &str, middle: &str, given: &str, birth: &str, sex: &str, eth: &str, unit: &str, cat: &str) -> Vec<C> {
    [id, family, middle, given, birth, sex, eth, unit, cat].iter().map(|v| if v.is_empty() { C::E } else { s(v) }).collect()
}

#[test]
fn a_row_with_five_errors_reports_all_five_and_no_plan() {
    let (mut dir, _) = province();
    let path = xlsx(
        "nam-loi.xlsx",
        "Nhân sự",
        &[],
        &[
            header(),
            row("079085000111", "Lê", "Văn", "Bình", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức"),
            row("12345", "Phạm", "", "Cường", "31/02/1980", "X", "Kinhh", "SNV", "Hợp đồng"),
        ],
    );
    let errors = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_err();
    assert_eq!(
        messages(&errors),
        vec![
            "Sheet 'Nhân sự', dòng 3, cột 'Số định danh cá nhân': số định danh cá nhân '12345' phải gồm đúng 12 chữ số",
            "Sheet 'Nhân sự', dòng 3, cột 'Ngày sinh': '31/02/1980' không phải ngày hợp lệ",
            "Sheet 'Nhân sự', dòng 3, cột 'Giới tính': 'X' không có trong danh mục giới tính (Nam, Nữ)",
            "Sheet 'Nhân sự', dòng 3, cột 'Dân tộc': 'Kinhh' không có trong danh mục 54 dân tộc",
            "Sheet 'Nhân sự', dòng 3, cột 'Loại cán bộ': 'Hợp đồng' không có trong danh mục loại cán bộ \
             (Cán bộ, Công chức, Cán bộ cấp xã, Công chức cấp xã, Viên chức, Người hoạt động không chuyên trách cấp xã)",
        ]
    );
}

#[test]
fn errors_across_rows_are_all_collected_and_nothing_is_planned() {
    let (mut dir, _) = province();
    let before = dir.knowledge.clone();
    let path = xlsx(
        "cheo.xlsx",
        "Nhân sự",
        &[],
        &[
            header(),
            row("079085000111", "Lê", "Văn", "Bình", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức"),
            row("079085000111", "Lê", "Văn", "Bính", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức"),
            row("079085000333", "Hà", "", "", "05/03/1980", "Nam", "Kinh", "XYZ", "Công chức cấp xã"),
        ],
    );
    let errors = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_err();
    assert_eq!(
        messages(&errors),
        vec![
            "Sheet 'Nhân sự', dòng 3, cột 'Số định danh cá nhân': số định danh '079085000111' trùng với dòng 2",
            "Sheet 'Nhân sự', dòng 4, cột 'Tên': không được để trống",
            "Sheet 'Nhân sự', dòng 4, cột 'Mã đơn vị': mã đơn vị 'XYZ' không có trong hệ thống",
            "Sheet 'Nhân sự', dòng 4, cột 'Loại cán bộ': loại 'Công chức cấp xã' không còn từ ngày 01/07/2025; dùng 'Công chức'",
        ]
    );
    assert_eq!(dir.knowledge, before, "a failed plan reserves nothing that is recorded");
}

#[test]
fn missing_columns_and_missing_header_are_reported() {
    let (mut dir, _) = province();
    let path = xlsx("thieu-cot.xlsx", "Nhân sự", &[], &[vec![s("Họ và tên"), s("Ngày sinh"), s("Giới tính")], vec![s("Lê Văn Bình"), s("05/03/1980"), s("Nam")]]);
    let errors = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_err();
    assert_eq!(
        messages(&errors),
        vec![
            "Sheet 'Nhân sự', dòng 1: thiếu cột bắt buộc 'Số định danh cá nhân'",
            "Sheet 'Nhân sự', dòng 1: thiếu cột bắt buộc 'Dân tộc'",
            "Sheet 'Nhân sự', dòng 1: thiếu cột bắt buộc 'Mã đơn vị'",
            "Sheet 'Nhân sự', dòng 1: thiếu cột bắt buộc 'Loại cán bộ'",
        ]
    );
    let path = xlsx("khong-tieu-de.xlsx", "Sheet1", &[], &[vec![s("a"), s("b")], vec![s("1"), s("2")]]);
    let errors = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().starts_with("Tệp '"), "{}", errors[0]);
    assert!(errors[0].to_string().contains("không tìm thấy dòng tiêu đề của nhân sự trong 15 dòng đầu"), "{}", errors[0]);
}

#[test]
fn dry_run_counts_created_updated_unchanged_with_row_numbers() {
    let (mut dir, ids) = province();
    let binh = person("079085000111", "Lê", "Văn", "Bình", d(1980, 3, 5), Sex::Male);
    let binh_id = dir.record(Validity::since(binh.birth_date), Fact::Person(binh));
    let job = nangluc_core::employment::Employment {
        person_id: binh_id,
        unit_id: ids.snv,
        category: Category::CivilServant,
        rank: None,
        job_position_id: None,
        post: None,
        minority_area: false,
    };
    dir.record(Validity::since(d(2020, 1, 1)), Fact::Employment(job));
    let cuong = person("079085000444", "Phạm", "", "Cường", d(1985, 1, 1), Sex::Male);
    let cuong_id = dir.record(Validity::since(cuong.birth_date), Fact::Person(cuong));
    let cuong_row = dir.knowledge.people.last().unwrap().row_id;

    let path = xlsx(
        "dry-run.xlsx",
        "Nhân sự",
        &[],
        &[
            header(),
            // Unchanged person and employment.
            row("079085000111", "Lê", "Văn", "Bình", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức"),
            // Corrected birth date: the person is updated; no employment yet: created.
            row("079085000444", "Phạm", "", "Cường", "02/01/1985", "Nam", "Kinh", "BVT", "Viên chức"),
            // New person.
            row("079190000555", "Võ", "Thị", "Sáu", "01/06/1992", "Nữ", "Kinh", "26734", "Công chức"),
        ],
    );
    let plan = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap();
    let people = plan.report.tally(Table::People);
    assert_eq!((people.created, people.updated, people.unchanged), (vec![4], vec![3], vec![2]));
    let jobs = plan.report.tally(Table::Employments);
    assert_eq!((jobs.created, jobs.updated, jobs.unchanged), (vec![3, 4], vec![], vec![2]));
    // The update supersedes the recorded row and records a new version of the same person.
    assert_eq!(plan.change_set.ops[0], Op::Supersede { table: Table::People, row_id: cuong_row });
    let Op::Record { entity, valid, fact: Fact::Person(p) } = &plan.change_set.ops[1] else { panic!("{:?}", plan.change_set.ops[1]) };
    assert_eq!(*entity, Entity::Existing(cuong_id));
    assert_eq!(*valid, Validity::since(d(1985, 1, 1)), "a correction keeps the row's validity");
    assert_eq!(p.birth_date, d(1985, 1, 2));
    // The commune is in an ethnic-minority area: the new employment says so.
    let sau_job = plan.change_set.ops.iter().rev().find_map(|op| match op {
        Op::Record { fact: Fact::Employment(e), .. } => Some(e.clone()),
        _ => None,
    });
    assert!(sau_job.unwrap().minority_area);
    let text = plan.report.to_string();
    assert!(text.contains("- Người: thêm mới 1 (dòng 4); cập nhật 1 (dòng 3); không đổi 1"), "{text}");
    // A dry run applies nothing: the directory still has two people.
    assert_eq!(dir.knowledge.people.len(), 2);
}

#[test]
fn a_later_start_date_ends_the_recorded_employment_and_starts_a_new_one() {
    let (mut dir, ids) = province();
    let binh = person("079085000111", "Lê", "Văn", "Bình", d(1980, 3, 5), Sex::Male);
    let binh_id = dir.record(Validity::since(binh.birth_date), Fact::Person(binh));
    let job = nangluc_core::employment::Employment {
        person_id: binh_id,
        unit_id: ids.snv,
        category: Category::CivilServant,
        rank: Some("01.003".into()),
        job_position_id: None,
        post: None,
        minority_area: false,
    };
    let job_id = dir.record(Validity::since(d(2020, 1, 1)), Fact::Employment(job.clone()));
    let mut h = header();
    h.push(s("Ngạch"));
    h.push(s("Từ ngày"));
    let mut r = row("079085000111", "Lê", "Văn", "Bình", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức");
    r.push(s("Chuyên viên chính"));
    r.push(s("01/01/2026"));
    let path = xlsx("nang-ngach.xlsx", "Nhân sự", &[], &[h, r]);
    let plan = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap();
    let ops = &plan.change_set.ops;
    assert_eq!(ops.len(), 3, "{ops:#?}");
    assert!(matches!(ops[0], Op::Supersede { table: Table::Employments, .. }));
    assert_eq!(ops[1], Op::Record { entity: Entity::Existing(job_id), valid: Validity::between(d(2020, 1, 1), d(2026, 1, 1)), fact: Fact::Employment(job.clone()) });
    let promoted = nangluc_core::employment::Employment { rank: Some("01.002".into()), ..job };
    assert_eq!(ops[2], Op::Record { entity: Entity::Existing(job_id), valid: Validity::since(d(2026, 1, 1)), fact: Fact::Employment(promoted) });
    dir.apply(&plan.change_set);
    assert!(plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap().change_set.ops.is_empty());
    assert_eq!(dir.employment_of(binh_id, d(2025, 6, 1)).unwrap()[0].data.rank.as_deref(), Some("01.003"));
}

#[test]
fn roles_are_read_from_the_staff_sheet() {
    let (mut dir, _) = province();
    let mut h = header();
    h.extend([s("Chức vụ"), s("Ngày bổ nhiệm"), s("Đại biểu HĐND nhiệm kỳ"), s("Cấp HĐND"), s("Diện BTV Tỉnh ủy quản lý"), s("Quy hoạch chức danh"), s("Nhiệm kỳ quy hoạch")]);
    let mut r = row("079085000111", "Lê", "Văn", "Bình", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức");
    r.extend([s("Phó Giám đốc sở"), s("15/06/2021"), s("2021 – 2026"), s("Cấp tỉnh"), s("x"), s("Giám đốc sở"), s("2025-2030")]);
    let path = xlsx("vai-tro.xlsx", "Nhân sự", &[], &[h, r]);
    let plan = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap();
    let roles: Vec<_> = plan
        .change_set
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Record { fact: Fact::Role(r), .. } => Some(r.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(roles.len(), 3);
    assert_eq!(roles[0].term.as_deref(), Some("2021-2026"));
    assert_eq!(roles[0].level, Some(nangluc_core::unit::UnitLevel::Province));
    assert_eq!(roles[1].kind, nangluc_core::role::RoleKind::StandingCommitteeManaged);
    assert_eq!((roles[2].post.as_deref(), roles[2].term.as_deref()), (Some("giam_doc_so"), Some("2025-2030")));
    let post = plan.change_set.ops.iter().find_map(|op| match op {
        Op::Record { fact: Fact::Employment(e), .. } => e.post.clone(),
        _ => None,
    });
    let post = post.unwrap();
    assert_eq!((post.code.as_str(), post.appointed_on), ("pho_giam_doc_so", Some(d(2021, 6, 15))));
    dir.apply(&plan.change_set);
    assert!(plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap().change_set.ops.is_empty());
}

/// The province's job positions: two of them, and an old one that ended.
fn with_positions() -> (MemoryDirectory, Ids, i64, i64) {
    use nangluc_core::position::{JobPosition, PositionGroup};
    let (mut dir, ids) = province();
    let since = Validity::since(d(2015, 1, 1));
    let pos = |code: &str, name: &str| Fact::JobPosition(JobPosition { code: code.into(), name: name.into(), group: PositionGroup::Professional });
    let tccb = dir.record(since, pos("CV_TCCB", "Chuyên viên tổ chức cán bộ"));
    let bac_si = dir.record(since, pos("BAC_SI", "Bác sĩ"));
    dir.record(Validity::between(d(2015, 1, 1), d(2025, 7, 1)), pos("LD_HUYEN", "Lãnh đạo cấp huyện"));
    (dir, ids, tccb, bac_si)
}

#[test]
fn the_job_position_is_read_by_code_or_name_and_exported_back() {
    let (mut dir, _, tccb, bac_si) = with_positions();
    let mut h = header();
    h.push(s("VTVL"));
    let with = |mut r: Vec<C>, p: &str| {
        r.push(if p.is_empty() { C::E } else { s(p) });
        r
    };
    let path = xlsx(
        "vtvl.xlsx",
        "Nhân sự",
        &[],
        &[
            h.clone(),
            with(row("079085000111", "Lê", "Văn", "Bình", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức"), "CV_TCCB"),
            with(row("079085000222", "Trần", "Thị", "Hoa", "01/02/1985", "Nữ", "Kinh", "BVT", "Viên chức"), "bac si"),
            with(row("079085000333", "Phạm", "", "Cường", "01/01/1990", "Nam", "Kinh", "SNV", "Công chức"), ""),
        ],
    );
    let plan = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    let positions: Vec<Option<i64>> = plan
        .change_set
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Record { fact: Fact::Employment(e), .. } => Some(e.job_position_id),
            _ => None,
        })
        .collect();
    assert_eq!(positions, [Some(tccb), Some(bac_si), None]);
    dir.apply(&plan.change_set);
    assert!(plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap().change_set.ops.is_empty());

    // Exported with the position's name, and imported back unchanged.
    let records = nangluc_io::export::staff_records(&dir.knowledge, today());
    let names: Vec<Option<&str>> = {
        let mut r: Vec<_> = records.iter().map(|r| (r.person.identity_number.as_str(), r.job_position.as_deref())).collect();
        r.sort();
        r.into_iter().map(|(_, p)| p).collect()
    };
    assert_eq!(names, [Some("Chuyên viên tổ chức cán bộ"), Some("Bác sĩ"), None]);
    let exported = tmp("xuat-vtvl.xlsx");
    nangluc_io::export::staff(&records, today(), &exported).unwrap();
    let back = plan_file(&exported, SheetKind::Staff, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(back.change_set.ops.is_empty(), "{:#?}", back.change_set.ops);

    // A changed position updates the employment; a column left out keeps it.
    let moved = xlsx("vtvl-doi.xlsx", "Nhân sự", &[], &[h, with(row("079085000222", "Trần", "Thị", "Hoa", "01/02/1985", "Nữ", "Kinh", "BVT", "Viên chức"), "CV_TCCB")]);
    let plan = plan_file(&moved, SheetKind::Staff, &mut dir, today()).unwrap();
    assert_eq!(plan.report.tally(Table::Employments).updated, vec![2]);
    let without = xlsx("khong-vtvl.xlsx", "Nhân sự", &[], &[header(), row("079085000222", "Trần", "Thị", "Hoa", "01/02/1985", "Nữ", "Kinh", "BVT", "Viên chức")]);
    assert!(plan_file(&without, SheetKind::Staff, &mut dir, today()).unwrap().change_set.ops.is_empty());
}

#[test]
fn an_unknown_or_ended_job_position_is_an_error_at_its_place() {
    let (mut dir, _, _, _) = with_positions();
    let mut h = header();
    h.push(s("Vị trí việc làm"));
    let mut a = row("079085000111", "Lê", "Văn", "Bình", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức");
    a.push(s("Kế toán trưởng"));
    let mut b = row("079085000222", "Trần", "Thị", "Hoa", "01/02/1985", "Nữ", "Kinh", "SNV", "Công chức");
    b.push(s("LD_HUYEN"));
    // The same position is right for an employment that started before it
    // ended, even before the catalogue recorded it (2015).
    let mut c = row("079085000333", "Phạm", "", "Cường", "01/01/1975", "Nam", "Kinh", "SNV", "Công chức");
    c.push(s("Lãnh đạo cấp huyện"));
    c.push(s("01/01/2010"));
    h.push(s("Từ ngày"));
    let path = xlsx("vtvl-sai.xlsx", "Nhân sự", &[], &[h, a, b, c]);
    let errors = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_err();
    assert_eq!(
        messages(&errors),
        [
            "Sheet 'Nhân sự', dòng 2, cột 'Vị trí việc làm': vị trí việc làm 'Kế toán trưởng' không có trong hệ thống",
            "Sheet 'Nhân sự', dòng 3, cột 'Vị trí việc làm': vị trí việc làm 'LD_HUYEN' đã hết hiệu lực từ ngày 01/07/2025",
        ]
    );
}

#[test]
fn the_staff_template_offers_the_provinces_job_positions() {
    let catalogue = nangluc_io::template::Catalogue { job_positions: vec!["Chuyên viên tổ chức cán bộ".into(), "Bác sĩ".into()] };
    let with = tmp("mau-vtvl.xlsx");
    nangluc_io::template::write_with(SheetKind::Staff, &catalogue, &with).unwrap();
    let without = tmp("mau-khong-vtvl.xlsx");
    nangluc_io::template::write(SheetKind::Staff, &without).unwrap();
    let sheet = |path: &std::path::Path| {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
        xml
    };
    assert!(sheet(&with).contains("\"Chuyên viên tổ chức cán bộ,Bác sĩ\""), "an inline drop-down of the positions");
    assert!(!sheet(&without).contains("Bác sĩ"));
    // Either way the column is there, and the template reads back as an empty import.
    let (mut dir, _) = province();
    let plan = plan_file(&with, SheetKind::Staff, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(plan.report.rows, 0);
}

#[test]
fn a_long_file_reports_its_progress_row_by_row() {
    let (mut dir, _) = province();
    let mut rows = vec![header()];
    for i in 0..600 {
        rows.push(row(&format!("0790850{i:05}"), "Lê", "Văn", "An", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức"));
    }
    let path = xlsx("dai.xlsx", "Nhân sự", &[], &rows);
    let workbook = nangluc_io::read(&path).unwrap();
    assert_eq!(nangluc_io::data_row_count(&workbook, SheetKind::Staff), 600);
    let seen = std::cell::RefCell::new(Vec::new());
    let plan = nangluc_io::plan_import_with_progress(&workbook, SheetKind::Staff, &mut dir, today(), &|n| seen.borrow_mut().push(n))
        .unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(plan.report.tally(Table::People).created.len(), 600);
    // Every few hundred rows, then the end.
    assert_eq!(seen.into_inner(), [0, 256, 512, 600]);
}
