mod common;

use common::*;
use nangluc_core::Table;
use nangluc_io::kinds::SheetKind;
use nangluc_io::{Directory, MemoryDirectory, export, plan_file};

/// Imports staff (with roles), qualifications and training into the province.
fn populated() -> MemoryDirectory {
    let (mut dir, _) = province();
    let staff = xlsx(
        "nguon-nhan-su.xlsx",
        "Nhân sự",
        &[],
        &[
            ["Số định danh cá nhân", "Họ", "Tên đệm", "Tên", "Ngày sinh", "Giới tính", "Dân tộc", "Mã đơn vị", "Loại cán bộ", "Ngạch", "Chức vụ", "Ngày bổ nhiệm", "Diện BTV Tỉnh ủy quản lý", "Quy hoạch chức danh", "Nhiệm kỳ quy hoạch", "Từ ngày"]
                .iter()
                .map(|h| s(h))
                .collect(),
            vec![s("079085000111"), s("Lê"), s("Thị"), s("Bình"), s("05/03/1980"), s("Nữ"), s("Kinh"), s("SNV"), s("Công chức"), s("Chuyên viên chính"), s("Phó Giám đốc sở"), s("01/06/2021"), s("Có"), s("Giám đốc sở"), s("2025-2030"), s("01/01/2020")],
            vec![s("079085000222"), s("Nguyễn"), s("Văn"), s("An"), s("01/01/1985"), s("Nam"), s("Khmer"), s("26734"), s("Công chức"), C::E, C::E, C::E, C::E, C::E, C::E, s("01/07/2025")],
            vec![s("079085000333"), s("Trần"), s("Văn"), s("Đào"), s("02/02/1986"), s("Nam"), s("Kinh"), s("BVT"), s("Viên chức"), s("Bác sĩ chính (hạng II)"), C::E, C::E, C::E, C::E, C::E, C::E],
            vec![s("079085000444"), s("Phạm"), s("Thùy"), s("Dương"), s("03/03/1987"), s("Nữ"), s("Tày"), s("BVT"), s("Viên chức"), C::E, C::E, C::E, C::E, C::E, C::E, C::E],
            vec![s("079085000555"), s("Hồ"), C::E, s("Ân"), s("04/04/1988"), s("Nam"), s("Kinh"), s("SNV"), s("Công chức"), C::E, C::E, C::E, C::E, C::E, C::E, C::E],
            vec![s("079085000666"), s("Đỗ"), s("Ngọc"), s("Ánh"), s("05/05/1989"), s("Nữ"), s("Kinh"), s("SNV"), s("Công chức"), C::E, C::E, C::E, C::E, C::E, C::E, C::E],
        ],
    );
    let plan = plan_file(&staff, SheetKind::Staff, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    dir.apply(&plan.change_set);
    let quals = xlsx(
        "nguon-trinh-do.xlsx",
        "Trình độ",
        &[],
        &[
            vec![s("Số định danh cá nhân"), s("Loại trình độ"), s("Trình độ"), s("Chuyên ngành"), s("Ngôn ngữ"), s("Ngày cấp"), s("Số hiệu văn bằng, chứng chỉ")],
            vec![s("079085000111"), s("Chuyên môn"), s("ThS"), s("Luật"), C::E, s("15/07/2015"), s("ThS-1")],
            vec![s("079085000111"), s("Ngoại ngữ"), s("B2"), C::E, s("Tiếng Anh"), s("01/02/2019"), C::E],
            vec![s("079085000222"), s("Tiếng dân tộc thiểu số"), s("Giao tiếp được"), C::E, s("Khmer"), s("01/02/2020"), C::E],
        ],
    );
    let plan = plan_file(&quals, SheetKind::Qualifications, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    dir.apply(&plan.change_set);
    let training = xlsx(
        "nguon-dao-tao.xlsx",
        "Đào tạo",
        &[],
        &[
            vec![s("Số định danh cá nhân"), s("Mã chương trình"), s("Từ ngày"), s("Đến ngày"), s("Xếp loại"), s("Tỷ lệ chuyên cần (%)"), s("Kinh phí (đồng)"), s("Mã đơn vị cử đi học")],
            vec![s("079085000111"), s("QLNN-CV"), s("01/03/2024"), s("30/04/2024"), s("Giỏi"), s("95"), s("2800000"), s("SNV")],
            vec![s("079085000333"), s("TA-B1"), s("01/03/2023"), s("30/09/2023"), C::E, C::E, C::E, C::E],
        ],
    );
    let plan = plan_file(&training, SheetKind::Training, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    dir.apply(&plan.change_set);
    dir
}

#[test]
fn staff_export_imports_back_unchanged_and_sorted_the_vietnamese_way() {
    let mut dir = populated();
    let records = export::staff_records(&dir.knowledge, today());
    assert_eq!(records.len(), 6);
    let path = tmp("xuat-nhan-su.xlsx");
    export::staff(&records, today(), &path).unwrap();

    let wb = nangluc_io::read(&path).unwrap();
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.rows[0].cells[0].as_text(), "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC");
    assert_eq!(sheet.rows[1].cells[0].as_text(), "Tính đến ngày 01/03/2026: 6 người");
    let names: Vec<String> = sheet.rows[4..]
        .iter()
        .map(|r| format!("{} {} {}", r.cell(1).as_text(), r.cell(2).as_text(), r.cell(3).as_text()).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    // Given name first: An < Ánh < Ân < Bình < Dương < Đào.
    assert_eq!(names, ["Nguyễn Văn An", "Đỗ Ngọc Ánh", "Hồ Ân", "Lê Thị Bình", "Phạm Thùy Dương", "Trần Văn Đào"]);
    // The identity number stays text, dates are real dates shown dd/mm/yyyy.
    assert_eq!(sheet.rows[4].cells[0], nangluc_io::sheet::Cell::Text("079085000222".into()));
    assert_eq!(sheet.rows[4].cells[4], nangluc_io::sheet::Cell::Date(d(1985, 1, 1)));

    let plan = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(plan.change_set.ops.is_empty(), "{:#?}", plan.change_set.ops);
    assert_eq!(plan.report.tally(Table::People).unchanged.len(), 6);
    assert_eq!(plan.report.tally(Table::Employments).unchanged.len(), 6);
    assert_eq!(plan.report.tally(Table::Roles).unchanged.len(), 2);
}

#[test]
fn qualification_and_training_exports_import_back_unchanged() {
    let mut dir = populated();
    let path = tmp("xuat-trinh-do.xlsx");
    export::qualifications(&export::qualification_records(&dir.knowledge, today()), today(), &path).unwrap();
    let plan = plan_file(&path, SheetKind::Qualifications, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(plan.change_set.ops.is_empty(), "{:#?}", plan.change_set.ops);
    assert_eq!(plan.report.tally(Table::Qualifications).unchanged.len(), 3);
    let wb = nangluc_io::read(&path).unwrap();
    let first = &wb.sheets[0].rows[4];
    // Nguyễn Văn An sorts first; his Khmer certificate reads as people write it.
    assert_eq!(first.cells.iter().map(|c| c.as_text()).collect::<Vec<_>>()[..5], ["079085000222", "Nguyễn Văn An", "Tiếng dân tộc thiểu số", "Giao tiếp được", ""]);

    let path = tmp("xuat-dao-tao.xlsx");
    export::training(&export::training_records(&dir.knowledge, today()), today(), &path).unwrap();
    let plan = plan_file(&path, SheetKind::Training, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(plan.change_set.ops.is_empty(), "{:#?}", plan.change_set.ops);
    assert_eq!(plan.report.tally(Table::Enrolments).unchanged.len(), 2);
}

#[test]
fn unit_programme_and_class_exports_import_back_unchanged() {
    let (mut dir, _) = province();
    let path = tmp("xuat-don-vi.xlsx");
    export::units(&export::unit_records(&dir.knowledge, today()), today(), &path).unwrap();
    let plan = plan_file(&path, SheetKind::Units, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(plan.change_set.ops.is_empty(), "{:#?}", plan.change_set.ops);
    assert_eq!(plan.report.tally(Table::Units).unchanged.len(), 4);

    let path = tmp("xuat-chuong-trinh.xlsx");
    export::programmes(&export::programme_records(&dir.knowledge, today()), today(), &path).unwrap();
    let plan = plan_file(&path, SheetKind::Programmes, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(plan.change_set.ops.is_empty(), "{:#?}", plan.change_set.ops);
    assert_eq!(plan.report.tally(Table::Programmes).unchanged.len(), 2);
}

#[test]
fn units_programmes_and_classes_are_imported() {
    let (mut dir, ids) = province();
    // A new district under the province and a commune under the district, listed first.
    let units = xlsx(
        "don-vi.xlsx",
        "Đơn vị",
        &["DANH SÁCH ĐƠN VỊ"],
        &[
            vec![s("Mã đơn vị"), s("Tên đơn vị"), s("Cấp"), s("Loại hình"), s("Lĩnh vực"), s("Mã đơn vị cấp trên"), s("Vùng DTTS")],
            vec![s("26740"), s("UBND xã Phú Lý"), s("xã"), s("Cơ quan hành chính nhà nước"), s("Quản lý chung"), s("H-VC"), s("Có")],
            vec![s("H-VC"), s("UBND huyện Vĩnh Cửu"), s("Cấp huyện"), s("hành chính"), s("Quản lý chung"), s("75"), C::E],
            vec![s("SNV"), s("Sở Nội vụ tỉnh Đồng Nai"), s("Cấp tỉnh"), s("Cơ quan hành chính nhà nước"), s("Nội vụ"), s("75"), C::E],
            vec![s("123"), s("Xã sai mã"), s("Cấp xã"), s("Cơ quan hành chính nhà nước"), s("Quản lý chung"), s("75"), C::E],
        ],
    );
    let errors = plan_file(&units, SheetKind::Units, &mut dir, today()).unwrap_err();
    assert_eq!(messages(&errors), ["Sheet 'Đơn vị', dòng 6, cột 'Mã đơn vị': mã đơn vị hành chính cấp xã phải gồm đúng 5 chữ số"]);

    let units = xlsx(
        "don-vi-2.xlsx",
        "Đơn vị",
        &["DANH SÁCH ĐƠN VỊ"],
        &[
            vec![s("Mã đơn vị"), s("Tên đơn vị"), s("Cấp"), s("Loại hình"), s("Lĩnh vực"), s("Mã đơn vị cấp trên"), s("Vùng DTTS")],
            vec![s("26740"), s("UBND xã Phú Lý"), s("xã"), s("Cơ quan hành chính nhà nước"), s("Quản lý chung"), s("H-VC"), s("Có")],
            vec![s("H-VC"), s("UBND huyện Vĩnh Cửu"), s("Cấp huyện"), s("hành chính"), s("Quản lý chung"), s("75"), C::E],
            vec![s("SNV"), s("Sở Nội vụ tỉnh Đồng Nai"), s("Cấp tỉnh"), s("Cơ quan hành chính nhà nước"), s("Nội vụ"), s("75"), C::E],
        ],
    );
    let plan = plan_file(&units, SheetKind::Units, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    let t = plan.report.tally(Table::Units);
    assert_eq!((t.created, t.updated), (vec![3, 4], vec![5]));
    let facts: Vec<_> = plan
        .change_set
        .ops
        .iter()
        .filter_map(|op| match op {
            nangluc_core::Op::Record { entity, fact: nangluc_core::Fact::Unit(u), .. } => Some((*entity, u.clone())),
            _ => None,
        })
        .collect();
    let nangluc_core::Entity::Given(district) = facts[1].0 else { panic!() };
    assert_eq!(facts[0].1.parent_id, Some(district), "a parent further down the file");
    assert!(facts[0].1.minority_area);
    assert_eq!(facts[1].1.parent_id, Some(ids.province));
    assert_eq!((facts[2].0, facts[2].1.name.as_str()), (nangluc_core::Entity::Existing(ids.snv), "Sở Nội vụ tỉnh Đồng Nai"));
    dir.apply(&plan.change_set);
    assert!(plan_file(&units, SheetKind::Units, &mut dir, today()).unwrap().change_set.ops.is_empty());

    let programmes = xlsx(
        "chuong-trinh.xlsx",
        "Chương trình",
        &[],
        &[
            vec![s("Mã chương trình"), s("Tên chương trình"), s("Đào tạo/bồi dưỡng"), s("Chủ đề"), s("Thời lượng (tiết)"), s("Cấp trình độ loại"), s("Cấp trình độ")],
            vec![s("CDS-01"), s("Chuyển đổi số cho cán bộ xã"), s("Bồi dưỡng"), s("Chuyển đổi số"), s("40"), C::E, C::E],
            vec![s("QLNN-CVC"), s("QLNN ngạch chuyên viên chính"), s("bồi dưỡng"), s("quản lý nhà nước"), C::N(320.0), s("QLNN"), s("CVC")],
        ],
    );
    let plan = plan_file(&programmes, SheetKind::Programmes, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(plan.report.tally(Table::Programmes).created, vec![2, 3]);
    let nangluc_core::Op::Record { fact: nangluc_core::Fact::Programme(p), .. } = &plan.change_set.ops[1] else { panic!() };
    let g = p.grants.as_ref().unwrap();
    assert_eq!((p.duration_periods, g.level.as_str()), (320, "chuyen_vien_chinh"));
    dir.apply(&plan.change_set);

    let classes = xlsx(
        "lop.xlsx",
        "Lớp học",
        &[],
        &[
            vec![s("Mã lớp"), s("Mã chương trình"), s("Mã cơ sở đào tạo"), s("Ngày khai giảng"), s("Ngày bế giảng"), s("Địa điểm"), s("Hình thức học"), s("Sĩ số tối đa"), s("Trạng thái"), s("Kinh phí dự kiến (đồng)")],
            vec![s("CDS-01-2026-1"), s("CDS-01"), s("TCT"), s("02/03/2026"), s("06/03/2026"), s("Biên Hòa"), s("Trực tuyến"), s("50"), s("Đã phê duyệt"), s("120.000.000")],
            vec![s("X-1"), s("KHONG-CO"), s("TCT"), s("02/03/2026"), s("06/03/2026"), s("Biên Hòa"), s("Tập trung"), s("50"), s("Đề xuất"), C::E],
        ],
    );
    let errors = plan_file(&classes, SheetKind::Classes, &mut dir, today()).unwrap_err();
    assert_eq!(messages(&errors), ["Sheet 'Lớp học', dòng 3, cột 'Mã chương trình': mã chương trình 'KHONG-CO' không có trong danh mục"]);

    // A class proposed in the application has a target group the sheet does
    // not carry: importing the sheet again keeps it.
    let classes = xlsx(
        "lop-2.xlsx",
        "Lớp học",
        &[],
        &[
            vec![s("Mã lớp"), s("Mã chương trình"), s("Mã cơ sở đào tạo"), s("Ngày khai giảng"), s("Ngày bế giảng"), s("Địa điểm"), s("Hình thức học"), s("Sĩ số tối đa"), s("Trạng thái"), s("Kinh phí dự kiến (đồng)")],
            vec![s("CDS-01-2026-1"), s("CDS-01"), s("TCT"), s("02/03/2026"), s("06/03/2026"), s("Biên Hòa"), s("Trực tuyến"), s("50"), s("Đã phê duyệt"), s("120.000.000")],
        ],
    );
    let plan = plan_file(&classes, SheetKind::Classes, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    dir.apply(&plan.change_set);
    let cur = dir.class_by_code("CDS-01-2026-1").unwrap().unwrap();
    let mut grouped = cur.data.clone();
    grouped.target_group = Some("level == commune".into());
    let mut c = nangluc_core::ChangeSet::new("web", "Đối tượng của lớp");
    c.supersede(Table::Classes, cur.row_id);
    c.record(nangluc_core::Entity::Existing(cur.id), cur.valid, nangluc_core::Fact::Class(grouped));
    dir.apply(&c);
    let again = plan_file(&classes, SheetKind::Classes, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(again.change_set.ops.is_empty(), "{:#?}", again.change_set.ops);
    assert_eq!(again.report.tally(Table::Classes).unchanged, vec![2]);
}

/// A class list as a training office keeps it: headers in other words, a
/// merged title, dates as text and as Excel dates, costs with thousands dots.
fn class_file() -> std::path::PathBuf {
    xlsx(
        "lop-hoc.xlsx",
        "Lớp học",
        &["DANH SÁCH LỚP BỒI DƯỠNG NĂM 2026"],
        &[
            vec![s("Mã lớp"), s("Mã CT"), s("Cơ sở đào tạo"), s("Từ ngày"), s("Đến ngày"), s("Nơi học"), s("Hình thức"), s("Sĩ số tối thiểu"), s("Sĩ số"), s("Tình trạng"), s("Dự toán")],
            vec![s("QLNN-CV-2026-1"), s("QLNN-CV"), s("TCT"), s("02/03/2026"), s("30/04/2026"), s("Biên Hòa"), s("Tập trung"), s("30"), C::N(50.0), s("Đã phê duyệt"), s("120.000.000")],
            vec![s("TA-B1-2026-1"), s("TA-B1"), s("TCT"), C::D(d(2026, 5, 4)), C::D(d(2026, 9, 30)), s("Long Khánh"), s("Trực tuyến"), C::E, C::E, s("Đề xuất"), C::E],
        ],
    )
}

#[test]
fn a_class_list_is_imported_then_a_second_import_changes_nothing() {
    let (mut dir, ids) = province();
    let path = class_file();
    let plan = plan_file(&path, SheetKind::Classes, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(plan.report.tally(Table::Classes).created, vec![3, 4]);
    let classes: Vec<_> = plan
        .change_set
        .ops
        .iter()
        .filter_map(|op| match op {
            nangluc_core::Op::Record { fact: nangluc_core::Fact::Class(c), valid, .. } => Some((c.clone(), *valid)),
            _ => None,
        })
        .collect();
    let (first, valid) = &classes[0];
    assert_eq!((first.programme_id, first.institution_id), (ids.qlnn, ids.school));
    assert_eq!((first.starts_on, first.ends_on, valid.from), (d(2026, 3, 2), d(2026, 4, 30), d(2026, 3, 2)));
    assert_eq!((first.min_size, first.max_size, first.planned_cost), (30, 50, 120_000_000));
    assert_eq!(first.status, nangluc_core::training::ClassStatus::Approved);
    let (second, _) = &classes[1];
    assert_eq!((second.programme_id, second.place.as_str()), (ids.english, "Long Khánh"));
    assert_eq!((second.starts_on, second.ends_on), (d(2026, 5, 4), d(2026, 9, 30)));
    assert_eq!((second.form, second.status), (nangluc_core::training::StudyForm::Online, nangluc_core::training::ClassStatus::Proposed));
    assert_eq!((second.min_size, second.max_size, second.planned_cost), (0, 0, 0));
    dir.apply(&plan.change_set);

    let again = plan_file(&path, SheetKind::Classes, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(again.change_set.ops.is_empty(), "{:#?}", again.change_set.ops);
    assert_eq!(again.report.tally(Table::Classes).unchanged, vec![3, 4]);
}

#[test]
fn an_exported_class_list_imports_back_unchanged_and_a_changed_one_updates() {
    let (mut dir, _) = province();
    let plan = plan_file(class_file(), SheetKind::Classes, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    dir.apply(&plan.change_set);

    let path = tmp("xuat-lop.xlsx");
    let records = export::class_records(&dir.knowledge, today());
    assert_eq!(records.len(), 2);
    export::classes(&records, today(), &path).unwrap();
    let back = plan_file(&path, SheetKind::Classes, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(back.change_set.ops.is_empty(), "{:#?}", back.change_set.ops);
    assert_eq!(back.report.tally(Table::Classes).unchanged.len(), 2);

    // The same export with one class's status changed: one update, the other unchanged.
    let mut changed = records.clone();
    let i = changed.iter().position(|r| r.class.code == "TA-B1-2026-1").unwrap();
    changed[i].class.status = nangluc_core::training::ClassStatus::Approved;
    let path = tmp("xuat-lop-sua.xlsx");
    export::classes(&changed, today(), &path).unwrap();
    let update = plan_file(&path, SheetKind::Classes, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    let t = update.report.tally(Table::Classes);
    assert_eq!((t.created.len(), t.updated.len(), t.unchanged.len()), (0, 1, 1));
    dir.apply(&update.change_set);
    let again = plan_file(&path, SheetKind::Classes, &mut dir, today()).unwrap();
    assert!(again.change_set.ops.is_empty(), "{:#?}", again.change_set.ops);
}
