mod common;

use common::*;
use nangluc_core::person::Sex;
use nangluc_core::qualification::QualificationKind;
use nangluc_core::training::{EnrolmentStatus, FundingSource};
use nangluc_core::{Entity, Fact, Op, Table, Validity};
use nangluc_io::{MemoryDirectory, SheetKind, plan_file};

fn with_people() -> (MemoryDirectory, Ids, i64, i64) {
    let (mut dir, ids) = province();
    let a = person("079085000111", "Lê", "Văn", "Bình", d(1980, 3, 5), Sex::Male);
    let a = dir.record(Validity::since(a.birth_date), Fact::Person(a));
    let b = person("072190001234", "Nguyễn", "Thị", "Ánh", d(1990, 1, 2), Sex::Female);
    let b = dir.record(Validity::since(b.birth_date), Fact::Person(b));
    (dir, ids, a, b)
}

fn qualifications_of(ops: &[Op]) -> Vec<nangluc_core::qualification::Qualification> {
    ops.iter()
        .filter_map(|op| match op {
            Op::Record { fact: Fact::Qualification(q), .. } => Some(q.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn qualifications_as_people_write_them() {
    let (mut dir, _, a, b) = with_people();
    let path = xlsx(
        "trinh-do.xlsx",
        "Trình độ",
        &["BẢNG TỔNG HỢP TRÌNH ĐỘ"],
        &[
            vec![s("Họ tên"), s("CCCD"), s("Loại"), s("Trình độ"), s("Chuyên ngành"), s("Tiếng"), s("Ngày cấp"), s("Số hiệu")],
            vec![s("Lê Văn Bình"), s("079085000111"), s("Chuyên môn"), s("ThS"), s("Luật"), C::E, s("15/07/2015"), s("ThS-123")],
            vec![s("Lê Văn Bình"), s("079085000111"), s("Ngoại ngữ"), s("B2"), C::E, s("Tiếng Anh"), C::N(44000.0), C::E],
            vec![s("Nguyễn Thị Ánh"), C::N(72190001234.0), s("LLCT"), s("cao cấp"), C::E, C::E, C::D(d(2022, 5, 20)), C::E],
        ],
    );
    let plan = plan_file(&path, SheetKind::Qualifications, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    let qs = qualifications_of(&plan.change_set.ops);
    assert_eq!(qs.len(), 3);
    assert_eq!((qs[0].person_id, qs[0].kind, qs[0].level.as_str(), qs[0].field.as_deref()), (a, QualificationKind::Education, "thac_si", Some("Luật")));
    assert_eq!(qs[0].evidence.as_deref(), Some("ThS-123"));
    assert_eq!((qs[1].kind, qs[1].level.as_str(), qs[1].language.as_deref()), (QualificationKind::ForeignLanguage, "4", Some("en")));
    assert_eq!(qs[1].obtained_on, d(2020, 6, 18));
    assert_eq!((qs[2].person_id, qs[2].kind, qs[2].level.as_str()), (b, QualificationKind::PoliticalTheory, "cao_cap"));
    assert_eq!(plan.report.tally(Table::Qualifications).created, vec![3, 4, 5]);
    let Op::Record { valid, entity, .. } = &plan.change_set.ops[0] else { panic!() };
    assert_eq!((*valid, *entity), (Validity::since(d(2015, 7, 15)), Entity::New));

    dir.apply(&plan.change_set);
    let again = plan_file(&path, SheetKind::Qualifications, &mut dir, today()).unwrap();
    assert!(again.change_set.ops.is_empty());
    assert_eq!(again.report.tally(Table::Qualifications).unchanged, vec![3, 4, 5]);
}

#[test]
fn a_changed_certificate_number_updates_the_qualification() {
    let (mut dir, _, _, _) = with_people();
    let rows = |evidence: &str| {
        vec![
            vec![s("Số định danh cá nhân"), s("Loại trình độ"), s("Trình độ"), s("Ngày cấp"), s("Số hiệu văn bằng, chứng chỉ")],
            vec![s("079085000111"), s("Tin học"), s("Cơ bản"), s("01/02/2019"), s(evidence)],
        ]
    };
    let first = plan_file(xlsx("tin-hoc-1.xlsx", "Trình độ", &[], &rows("A-1")), SheetKind::Qualifications, &mut dir, today()).unwrap();
    dir.apply(&first.change_set);
    let row_id = dir.knowledge.qualifications[0].row_id;
    let id = dir.knowledge.qualifications[0].id;
    let second = plan_file(xlsx("tin-hoc-2.xlsx", "Trình độ", &[], &rows("A-2")), SheetKind::Qualifications, &mut dir, today()).unwrap();
    assert_eq!(second.change_set.ops.len(), 2);
    assert_eq!(second.change_set.ops[0], Op::Supersede { table: Table::Qualifications, row_id });
    let Op::Record { entity, fact: Fact::Qualification(q), .. } = &second.change_set.ops[1] else { panic!() };
    assert_eq!((*entity, q.evidence.as_deref()), (Entity::Existing(id), Some("A-2")));
    assert_eq!(second.report.tally(Table::Qualifications).updated, vec![2]);
}

#[test]
fn qualification_errors_name_their_place() {
    let (mut dir, _, _, _) = with_people();
    let path = xlsx(
        "trinh-do-loi.xlsx",
        "Trình độ",
        &[],
        &[
            vec![s("Số định danh cá nhân"), s("Loại trình độ"), s("Trình độ"), s("Ngôn ngữ"), s("Ngày cấp")],
            vec![s("079085000999"), s("Ngoại ngữ"), s("bậc 7"), C::E, s("2020-13-01")],
            vec![s("079085000111"), s("Bằng lái"), s("B2"), C::E, s("01/01/2020")],
            vec![s("079085000111"), s("Tin học"), s("Cơ bản"), C::E, s("01/01/2020")],
            vec![s("079085000111"), s("tin hoc"), s("co ban"), C::E, s("1/1/2020")],
        ],
    );
    let errors = plan_file(&path, SheetKind::Qualifications, &mut dir, today()).unwrap_err();
    assert_eq!(
        messages(&errors),
        vec![
            "Sheet 'Trình độ', dòng 2, cột 'Trình độ': 'bậc 7' không phải trình độ ngoại ngữ (Bậc 1 (A1), Bậc 2 (A2), Bậc 3 (B1), Bậc 4 (B2), Bậc 5 (C1), Bậc 6 (C2))",
            "Sheet 'Trình độ', dòng 2, cột 'Ngôn ngữ': phải ghi ngôn ngữ cho loại 'Ngoại ngữ'",
            "Sheet 'Trình độ', dòng 2, cột 'Ngày cấp': '2020-13-01' không phải ngày hợp lệ",
            "Sheet 'Trình độ', dòng 2, cột 'Số định danh cá nhân': không có người có số định danh '079085000999' trong hệ thống; hãy nhập danh sách nhân sự trước",
            "Sheet 'Trình độ', dòng 3, cột 'Loại trình độ': 'Bằng lái' không có trong danh mục loại trình độ",
            "Sheet 'Trình độ', dòng 5: trùng với dòng 4 (cùng người, loại, trình độ, ngôn ngữ, chuyên ngành và ngày cấp)",
        ]
    );
}

#[test]
fn training_history_is_matched_on_person_programme_and_end_date() {
    let (mut dir, ids, a, _) = with_people();
    let path = xlsx(
        "dao-tao.xlsx",
        "Quá trình đào tạo",
        &["QUÁ TRÌNH ĐÀO TẠO, BỒI DƯỠNG", ""],
        &[
            vec![s("Số CCCD"), s("Họ và tên"), s("Mã chương trình"), s("Từ ngày"), s("Đến ngày"), s("Trạng thái"), s("Kinh phí (đồng)"), s("Nguồn kinh phí"), s("Đơn vị cử đi học")],
            vec![s("079085000111"), s("Lê Văn Bình"), s("QLNN-CV"), s("01/03/2024"), s("30/04/2024"), C::E, s("2.800.000"), s("NSNN"), s("SNV")],
            vec![s("079085000111"), s("Lê Văn Bình"), s("TA-B1"), s("01/09/2025"), s("30/06/2026"), s("Đang học"), C::E, s("Cá nhân"), C::E],
        ],
    );
    let plan = plan_file(&path, SheetKind::Training, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    let es: Vec<_> = plan
        .change_set
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Record { fact: Fact::Enrolment(e), valid, .. } => Some((e.clone(), *valid)),
            _ => None,
        })
        .collect();
    assert_eq!(es.len(), 2);
    let (done, valid) = &es[0];
    assert_eq!((done.person_id, done.programme_id, done.status), (a, ids.qlnn, EnrolmentStatus::Completed));
    assert_eq!((done.cost, done.funding, done.nominated_by), (2_800_000, FundingSource::StateBudget, Some(ids.snv)));
    assert_eq!(*valid, Validity::since(d(2024, 3, 1)));
    assert_eq!((es[1].0.status, es[1].0.funding, es[1].0.cost), (EnrolmentStatus::Enrolled, FundingSource::Learner, 0));
    dir.apply(&plan.change_set);
    assert!(plan_file(&path, SheetKind::Training, &mut dir, today()).unwrap().change_set.ops.is_empty());

    let bad = xlsx(
        "dao-tao-loi.xlsx",
        "Đào tạo",
        &[],
        &[
            vec![s("Số định danh cá nhân"), s("Mã chương trình"), s("Từ ngày"), s("Đến ngày")],
            vec![s("079085000111"), s("KHONG-CO"), s("01/03/2024"), s("30/02/2024")],
            vec![s("079085000111"), s("QLNN-CV"), s("01/05/2024"), s("30/04/2024")],
        ],
    );
    let errors = plan_file(&bad, SheetKind::Training, &mut dir, today()).unwrap_err();
    assert_eq!(
        messages(&errors),
        vec![
            "Sheet 'Đào tạo', dòng 2, cột 'Mã chương trình': mã chương trình 'KHONG-CO' không có trong danh mục",
            "Sheet 'Đào tạo', dòng 2, cột 'Đến ngày': '30/02/2024' không phải ngày hợp lệ",
            "Sheet 'Đào tạo', dòng 3, cột 'Đến ngày': ngày kết thúc 30/04/2024 ở trước ngày bắt đầu 01/05/2024",
        ]
    );
}
