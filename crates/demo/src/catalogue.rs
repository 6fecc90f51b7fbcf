//! The catalogue: programmes, institutions, lecturers, job positions and their
//! competency frames. Like the geography it does not depend on the seed, except
//! for lecturers' names.

use std::collections::HashMap;

use chrono::NaiveDate;
use nangluc_core::employment::REFORM_2025;
use nangluc_core::position::{JobPosition, PositionGroup, PositionRequirement};
use nangluc_core::qualification::QualificationKind as Q;
use nangluc_core::training::{Grant, Institution, InstitutionKind as IK, Lecturer, Programme, StudyForm as F, Topic as T, TrainingKind};
use nangluc_core::Validity;
use rand::Rng;

use crate::{date, names};

/// A programme with what the generator needs to run it.
pub struct Prog {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: TrainingKind,
    pub topic: T,
    pub legal: &'static str,
    /// Periods (tiết); for degrees (đào tạo), days of the course.
    pub periods: i64,
    pub grant: Option<(Q, &'static str, Option<&'static str>, Option<&'static str>)>,
    /// Run in classes (else individual study at a university or abroad).
    pub classed: bool,
    pub inst: &'static str,
    /// Cost per learner in đồng.
    pub cost: i64,
    pub form: F,
    /// Classes may start on `[runs_from, runs_to)`.
    pub runs_from: NaiveDate,
    pub runs_to: Option<NaiveDate>,
}

impl Prog {
    /// Length of a class in calendar days.
    pub fn days(&self) -> i64 {
        match self.kind {
            TrainingKind::Training => self.periods,
            // Eight periods a day, five days a week; part-time and online spread wider.
            TrainingKind::Retraining => {
                let days = (self.periods as f64 / 8.0 * 7.0 / 5.0).ceil() as i64;
                match self.form {
                    F::FullTime => days,
                    _ => days * 2,
                }
                .max(1)
            }
        }
    }
}

const ND101: &str = "Nghị định số 101/2017/NĐ-CP ngày 01/9/2017 của Chính phủ (sửa đổi, bổ sung bởi Nghị định số 89/2021/NĐ-CP ngày 18/10/2021)";
const TT01_2014: &str = "Thông tư số 01/2014/TT-BGDĐT ngày 24/01/2014 ban hành Khung năng lực ngoại ngữ 6 bậc dùng cho Việt Nam";
const THS: &str = "Thông tư số 23/2021/TT-BGDĐT ngày 30/8/2021 ban hành Quy chế tuyển sinh và đào tạo trình độ thạc sĩ";
const TS: &str = "Thông tư số 18/2021/TT-BGDĐT ngày 28/6/2021 ban hành Quy chế tuyển sinh và đào tạo trình độ tiến sĩ";
const CK: &str = "Quy chế đào tạo chuyên khoa của Bộ Y tế; Kế hoạch phát triển nguồn nhân lực y tế của tỉnh";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    date(y, m, day)
}

#[allow(clippy::too_many_arguments)]
fn p(code: &'static str, name: &'static str, kind: TrainingKind, topic: T, legal: &'static str, periods: i64, grant: Option<(Q, &'static str, Option<&'static str>, Option<&'static str>)>, classed: bool, inst: &'static str, cost: i64, form: F) -> Prog {
    Prog { code, name, kind, topic, legal, periods, grant, classed, inst, cost, form, runs_from: d(2015, 1, 1), runs_to: None }
}

pub fn programmes() -> Vec<Prog> {
    use TrainingKind::{Retraining as R, Training as D};
    let mut v = vec![
        p("QLNN_CV", "Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên và tương đương", R, T::StateManagement, "Quyết định số 423/QĐ-BNV ngày 02/6/2022 của Bộ trưởng Bộ Nội vụ", 200, Some((Q::StateManagement, "chuyen_vien", None, None)), true, "TCT", 4_500_000, F::PartTime),
        p("QLNN_CVC", "Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên chính và tương đương", R, T::StateManagement, "Quyết định số 421/QĐ-BNV ngày 02/6/2022 của Bộ trưởng Bộ Nội vụ", 160, Some((Q::StateManagement, "chuyen_vien_chinh", None, None)), true, "TCT", 7_000_000, F::PartTime),
        p("QLNN_CVCC", "Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên cao cấp và tương đương", R, T::StateManagement, "Quyết định số 422/QĐ-BNV ngày 02/6/2022 của Bộ trưởng Bộ Nội vụ", 240, Some((Q::StateManagement, "chuyen_vien_cao_cap", None, None)), true, "HVHC", 18_000_000, F::FullTime),
        p("LD_SO", "Bồi dưỡng lãnh đạo, quản lý cấp sở và tương đương", R, T::Leadership, "Quyết định số 425/QĐ-BNV ngày 02/6/2022 của Bộ trưởng Bộ Nội vụ", 200, Some((Q::Leadership, "cap_so", None, None)), true, "HVHC", 15_000_000, F::FullTime),
        p("LD_HUYEN", "Bồi dưỡng lãnh đạo, quản lý cấp huyện và tương đương", R, T::Leadership, "Quyết định số 424/QĐ-BNV ngày 02/6/2022 của Bộ trưởng Bộ Nội vụ; không tổ chức từ ngày 01/7/2025 (kết thúc hoạt động cấp huyện)", 200, Some((Q::Leadership, "cap_huyen", None, None)), true, "HVHC", 15_000_000, F::FullTime),
        p("LD_PHONG", "Bồi dưỡng lãnh đạo, quản lý cấp phòng và tương đương", R, T::Leadership, "Quyết định số 426/QĐ-BNV ngày 02/6/2022 của Bộ trưởng Bộ Nội vụ", 200, Some((Q::Leadership, "cap_phong", None, None)), true, "TCT", 6_000_000, F::PartTime),
        p("LD_PHONG_171", "Bồi dưỡng lãnh đạo, quản lý cấp phòng (chương trình 4 tuần theo Nghị định số 171/2025/NĐ-CP)", R, T::Leadership, "Nghị định số 171/2025/NĐ-CP của Chính phủ về đào tạo, bồi dưỡng công chức", 160, Some((Q::Leadership, "cap_phong", None, None)), true, "TCT", 6_500_000, F::FullTime),
        p("LD_XA", "Bồi dưỡng kiến thức quản lý nhà nước và kỹ năng lãnh đạo cho Chủ tịch, Phó Chủ tịch Ủy ban nhân dân cấp xã", R, T::Leadership, ND101, 80, None, true, "TCT", 2_500_000, F::FullTime),
        p("QL_TRUONG", "Bồi dưỡng cán bộ quản lý cơ sở giáo dục phổ thông", R, T::Leadership, "Thông tư số 14/2018/TT-BGDĐT ngày 20/7/2018 ban hành quy định chuẩn hiệu trưởng cơ sở giáo dục phổ thông", 120, Some((Q::Leadership, "cap_phong", None, None)), true, "DHSP", 3_500_000, F::PartTime),
        p("QL_BV", "Bồi dưỡng quản lý bệnh viện", R, T::Leadership, "Thông tư số 22/2013/TT-BYT ngày 09/8/2013 hướng dẫn đào tạo liên tục cho cán bộ y tế", 120, Some((Q::Leadership, "cap_phong", None, None)), true, "DHYD", 5_000_000, F::PartTime),
        p("LLCT_SC", "Bồi dưỡng sơ cấp lý luận chính trị", R, T::PoliticalTheory, "Quy định của Ban Bí thư về chương trình sơ cấp lý luận chính trị", 160, Some((Q::PoliticalTheory, "so_cap", None, None)), true, "TCT", 1_500_000, F::PartTime),
        p("LLCT_TC", "Trung cấp lý luận chính trị - hành chính", D, T::PoliticalTheory, "Chương trình trung cấp lý luận chính trị của Học viện Chính trị quốc gia Hồ Chí Minh", 240, Some((Q::PoliticalTheory, "trung_cap", None, None)), true, "TCT", 9_000_000, F::WorkStudy),
        p("LLCT_CC", "Cao cấp lý luận chính trị", D, T::PoliticalTheory, "Chương trình cao cấp lý luận chính trị của Học viện Chính trị quốc gia Hồ Chí Minh", 540, Some((Q::PoliticalTheory, "cao_cap", None, None)), true, "HVCT2", 25_000_000, F::WorkStudy),
        p("NN_A2", "Bồi dưỡng tiếng Anh bậc 2 (A2) theo Khung năng lực ngoại ngữ 6 bậc", R, T::ForeignLanguage, TT01_2014, 150, Some((Q::ForeignLanguage, "2", None, Some("en"))), true, "DHSP", 3_000_000, F::PartTime),
        p("NN_B1", "Bồi dưỡng tiếng Anh bậc 3 (B1) theo Khung năng lực ngoại ngữ 6 bậc", R, T::ForeignLanguage, TT01_2014, 200, Some((Q::ForeignLanguage, "3", None, Some("en"))), true, "DHSP", 4_000_000, F::PartTime),
        p("NN_B2", "Bồi dưỡng tiếng Anh bậc 4 (B2) theo Khung năng lực ngoại ngữ 6 bậc", R, T::ForeignLanguage, TT01_2014, 300, Some((Q::ForeignLanguage, "4", None, Some("en"))), true, "DHSP", 6_000_000, F::PartTime),
        p("NN_C1", "Bồi dưỡng tiếng Anh bậc 5 (C1) theo Khung năng lực ngoại ngữ 6 bậc", R, T::ForeignLanguage, TT01_2014, 400, Some((Q::ForeignLanguage, "5", None, Some("en"))), true, "DHSP", 9_000_000, F::PartTime),
        p("TH_CB", "Bồi dưỡng kỹ năng ứng dụng công nghệ thông tin cơ bản (mô đun IU01–IU06)", R, T::It, "Thông tư số 03/2014/TT-BTTTT ngày 11/3/2014 quy định Chuẩn kỹ năng sử dụng công nghệ thông tin", 120, Some((Q::It, "co_ban", None, None)), true, "CDTN", 1_500_000, F::PartTime),
        p("TH_NC", "Bồi dưỡng kỹ năng ứng dụng công nghệ thông tin nâng cao (mô đun IU07–IU15)", R, T::It, "Thông tư số 03/2014/TT-BTTTT ngày 11/3/2014 quy định Chuẩn kỹ năng sử dụng công nghệ thông tin", 160, Some((Q::It, "nang_cao", None, None)), true, "CDTN", 2_500_000, F::PartTime),
        p("KHMER", "Bồi dưỡng tiếng Khmer cho cán bộ, công chức, viên chức công tác ở vùng đồng bào dân tộc thiểu số", R, T::MinorityLanguage, "Kế hoạch đào tạo, bồi dưỡng tiếng dân tộc thiểu số của tỉnh theo Nghị định số 101/2017/NĐ-CP", 200, Some((Q::MinorityLanguage, "giao_tiep", None, Some("khmer"))), true, "DHTV", 5_000_000, F::PartTime),
        p("KT_DAN_TOC", "Bồi dưỡng kiến thức dân tộc cho cán bộ, công chức, viên chức", R, T::ProfessionalUpdate, "Quyết định số 771/QĐ-TTg ngày 26/6/2018 của Thủ tướng Chính phủ phê duyệt Đề án bồi dưỡng kiến thức dân tộc", 40, None, true, "TCT", 1_200_000, F::FullTime),
        p("QPAN_3", "Bồi dưỡng kiến thức quốc phòng và an ninh cho đối tượng 3", R, T::DefenceSecurity, "Nghị định số 13/2014/NĐ-CP ngày 25/02/2014 (sửa đổi, bổ sung bởi Nghị định số 139/2020/NĐ-CP)", 80, Some((Q::DefenceSecurity, "doi_tuong_3", None, None)), true, "GDQP", 4_000_000, F::FullTime),
        p("QPAN_4", "Bồi dưỡng kiến thức quốc phòng và an ninh cho đối tượng 4", R, T::DefenceSecurity, "Nghị định số 13/2014/NĐ-CP ngày 25/02/2014 (sửa đổi, bổ sung bởi Nghị định số 139/2020/NĐ-CP)", 40, Some((Q::DefenceSecurity, "doi_tuong_4", None, None)), true, "BCHQS", 1_200_000, F::FullTime),
        p("DD_VC", "Bồi dưỡng đạo đức nghề nghiệp viên chức", R, T::ProfessionalEthics, ND101, 16, None, true, "SNV", 400_000, F::Online),
        p("PL_CN", "Cập nhật kiến thức pháp luật và đạo đức công vụ", R, T::LawUpdate, ND101, 16, None, true, "SNV", 500_000, F::FullTime),
        p("KN_CV", "Bồi dưỡng kỹ năng, phương pháp thực thi công vụ", R, T::PublicServiceSkills, ND101, 40, None, true, "TCT", 1_200_000, F::FullTime),
        p("CDS", "Bồi dưỡng kiến thức, kỹ năng chuyển đổi số cho cán bộ, công chức, viên chức", R, T::DigitalTransformation, "Quyết định số 146/QĐ-TTg ngày 28/01/2022 của Thủ tướng Chính phủ phê duyệt Đề án nâng cao nhận thức, phổ cập kỹ năng và phát triển nguồn nhân lực chuyển đổi số quốc gia", 24, None, true, "SNV", 300_000, F::Online),
        p("ATTT", "Bồi dưỡng an toàn thông tin và chuyển đổi số cho cán bộ chuyên trách công nghệ thông tin", R, T::DigitalTransformation, "Chỉ thị số 14/CT-TTg ngày 07/6/2019 của Thủ tướng Chính phủ về tăng cường bảo đảm an toàn, an ninh mạng", 40, None, true, "DHCNTT", 3_000_000, F::FullTime),
        p("CQ2C", "Bồi dưỡng vận hành mô hình chính quyền địa phương hai cấp", R, T::LawUpdate, "Luật Tổ chức chính quyền địa phương số 72/2025/QH15", 24, None, true, "TCT", 600_000, F::FullTime),
        p("HDND", "Bồi dưỡng kỹ năng hoạt động cho đại biểu Hội đồng nhân dân nhiệm kỳ 2021-2026", R, T::CouncilSkills, "Kế hoạch bồi dưỡng đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2021-2026", 40, None, true, "TCT", 1_500_000, F::FullTime),
        p("BDTX_GV", "Bồi dưỡng thường xuyên giáo viên", R, T::ProfessionalUpdate, "Thông tư số 17/2019/TT-BGDĐT ngày 01/11/2019 ban hành Quy chế bồi dưỡng thường xuyên giáo viên, cán bộ quản lý cơ sở giáo dục", 120, None, true, "SGD", 300_000, F::Online),
        p("CME", "Đào tạo liên tục, cập nhật kiến thức y khoa", R, T::ProfessionalUpdate, "Thông tư số 22/2013/TT-BYT ngày 09/8/2013 hướng dẫn đào tạo liên tục cho cán bộ y tế", 48, None, true, "SYT", 1_000_000, F::PartTime),
        p("CM_XA", "Bồi dưỡng chuyên môn, nghiệp vụ cho công chức cấp xã", R, T::ProfessionalUpdate, ND101, 40, None, true, "SNV", 800_000, F::FullTime),
        p("KCT", "Bồi dưỡng người hoạt động không chuyên trách ở cấp xã", R, T::PublicServiceSkills, ND101, 24, None, true, "SNV", 500_000, F::FullTime),
        p("VT_LT", "Bồi dưỡng nghiệp vụ văn thư, lưu trữ", R, T::ProfessionalUpdate, "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư", 40, None, true, "SNV", 1_000_000, F::FullTime),
        p("CDNN_MN", "Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp giáo viên mầm non hạng II", R, T::TitleStandard, "Thông tư số 01/2021/TT-BGDĐT ngày 02/02/2021", 120, Some((Q::TitleStandard, "dat", Some("V.07.02.25"), None)), true, "DHSP", 3_000_000, F::PartTime),
        p("CDNN_TH", "Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp giáo viên tiểu học hạng II", R, T::TitleStandard, "Thông tư số 02/2021/TT-BGDĐT ngày 02/02/2021", 120, Some((Q::TitleStandard, "dat", Some("V.07.03.28"), None)), true, "DHSP", 3_000_000, F::PartTime),
        p("CDNN_THCS", "Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp giáo viên trung học cơ sở hạng II", R, T::TitleStandard, "Thông tư số 03/2021/TT-BGDĐT ngày 02/02/2021", 120, Some((Q::TitleStandard, "dat", Some("V.07.05.14"), None)), true, "DHSP", 3_000_000, F::PartTime),
        p("CDNN_THPT", "Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp giáo viên trung học phổ thông hạng II", R, T::TitleStandard, "Thông tư số 04/2021/TT-BGDĐT ngày 02/02/2021", 120, Some((Q::TitleStandard, "dat", Some("V.07.05.17"), None)), true, "DHSP", 3_000_000, F::PartTime),
        p("CDNN_BS", "Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp bác sĩ chính (hạng II)", R, T::TitleStandard, "Thông tư liên tịch số 10/2015/TTLT-BYT-BNV ngày 27/5/2015", 120, Some((Q::TitleStandard, "dat", Some("V.08.01.02"), None)), true, "DHYD", 4_000_000, F::PartTime),
        p("CDNN_DD", "Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp điều dưỡng hạng III", R, T::TitleStandard, "Thông tư liên tịch số 26/2015/TTLT-BYT-BNV ngày 07/10/2015", 120, Some((Q::TitleStandard, "dat", Some("V.08.05.13"), None)), true, "DHYD", 3_000_000, F::PartTime),
        p("DH_SP", "Đào tạo nâng trình độ chuẩn được đào tạo của giáo viên (đại học sư phạm)", D, T::Undergraduate, "Nghị định số 71/2020/NĐ-CP ngày 30/6/2020 quy định lộ trình nâng trình độ chuẩn được đào tạo của giáo viên", 730, Some((Q::Education, "dai_hoc", Some("su_pham"), None)), true, "DHSP", 16_000_000, F::WorkStudy),
        p("DH_YK", "Đào tạo đại học ngành Y khoa (liên thông)", D, T::Undergraduate, CK, 1460, Some((Q::Education, "dai_hoc", Some("y_khoa"), None)), false, "DHYD", 80_000_000, F::FullTime),
        p("DH_LUAT", "Đào tạo đại học ngành Luật (văn bằng 2, vừa làm vừa học) cho cán bộ, công chức cấp xã", D, T::Undergraduate, ND101, 730, Some((Q::Education, "dai_hoc", Some("luat"), None)), true, "DHL", 20_000_000, F::WorkStudy),
        p("CK1", "Đào tạo bác sĩ chuyên khoa cấp I", D, T::MedicalSpecialist, CK, 730, Some((Q::Education, "chuyen_khoa_1", Some("y_khoa"), None)), false, "DHYD", 60_000_000, F::FullTime),
        p("CK2", "Đào tạo bác sĩ chuyên khoa cấp II", D, T::MedicalSpecialist, CK, 730, Some((Q::Education, "chuyen_khoa_2", Some("y_khoa"), None)), false, "DHYD", 90_000_000, F::FullTime),
        p("THS_LUAT", "Đào tạo trình độ thạc sĩ ngành Luật", D, T::Postgraduate, THS, 730, Some((Q::Education, "thac_si", Some("luat"), None)), false, "DHL", 70_000_000, F::WorkStudy),
        p("THS_KT", "Đào tạo trình độ thạc sĩ ngành Quản lý kinh tế", D, T::Postgraduate, THS, 730, Some((Q::Education, "thac_si", Some("kinh_te"), None)), false, "DHKT", 70_000_000, F::WorkStudy),
        p("THS_QLC", "Đào tạo trình độ thạc sĩ ngành Quản lý công", D, T::Postgraduate, THS, 730, Some((Q::Education, "thac_si", Some("quan_ly_nha_nuoc"), None)), false, "HVHC", 70_000_000, F::WorkStudy),
        p("THS_GD", "Đào tạo trình độ thạc sĩ ngành Quản lý giáo dục", D, T::Postgraduate, THS, 730, Some((Q::Education, "thac_si", Some("su_pham"), None)), false, "DHSP", 60_000_000, F::WorkStudy),
        p("THS_CNTT", "Đào tạo trình độ thạc sĩ ngành Hệ thống thông tin", D, T::Postgraduate, THS, 730, Some((Q::Education, "thac_si", Some("cntt"), None)), false, "DHCNTT", 75_000_000, F::WorkStudy),
        p("THS_NN", "Đào tạo trình độ thạc sĩ ngành Khoa học cây trồng (nông nghiệp công nghệ cao)", D, T::Postgraduate, THS, 730, Some((Q::Education, "thac_si", Some("nong_nghiep"), None)), false, "DHNL", 65_000_000, F::WorkStudy),
        p("TS_KT", "Đào tạo trình độ tiến sĩ ngành Quản lý kinh tế", D, T::Postgraduate, TS, 1460, Some((Q::Education, "tien_si", Some("kinh_te"), None)), false, "DHKT", 200_000_000, F::WorkStudy),
        p("TS_QLC", "Đào tạo trình độ tiến sĩ ngành Quản lý công", D, T::Postgraduate, TS, 1460, Some((Q::Education, "tien_si", Some("quan_ly_nha_nuoc"), None)), false, "HVHC", 200_000_000, F::WorkStudy),
        p("NN_NGOAI", "Bồi dưỡng năng lực lãnh đạo, quản lý cho cán bộ trẻ ở nước ngoài (Singapore)", R, T::Abroad, "Đề án đào tạo, bồi dưỡng cán bộ lãnh đạo, quản lý trẻ ở nước ngoài của tỉnh; Thông tư số 03/2023/TT-BNV", 120, None, false, "NUS", 150_000_000, F::FullTime),
    ];
    for prog in &mut v {
        match prog.code {
            "LD_HUYEN" | "LD_PHONG" => prog.runs_to = Some(REFORM_2025),
            "LD_PHONG_171" => prog.runs_from = REFORM_2025,
            "CQ2C" => (prog.runs_from, prog.runs_to) = (d(2025, 5, 15), Some(d(2026, 7, 1))),
            "CDS" => prog.runs_from = d(2022, 3, 1),
            "DH_SP" => prog.runs_from = d(2020, 8, 1),
            "HDND" => prog.runs_from = d(2021, 6, 15),
            "CDNN_MN" | "CDNN_TH" | "CDNN_THCS" | "CDNN_THPT" => prog.runs_from = d(2021, 3, 20),
            _ => {}
        }
    }
    v
}

impl Prog {
    pub fn to_programme(&self) -> Programme {
        Programme {
            code: self.code.into(),
            name: self.name.into(),
            kind: self.kind,
            topic: self.topic,
            legal_basis: self.legal.into(),
            duration_periods: self.periods,
            grants: self.grant.map(|(kind, level, field, language)| Grant {
                kind,
                level: level.into(),
                field: field.map(Into::into),
                language: language.map(Into::into),
            }),
        }
    }
}

/// Institutions: national ones, and those of each old province that merged.
pub struct Institutions {
    /// (entity id, validity, institution) rows.
    pub rows: Vec<(i64, Validity, Institution)>,
    national: HashMap<&'static str, i64>,
    /// Key → [old Tây Ninh, old Long An, new province].
    zoned: HashMap<&'static str, [i64; 3]>,
}

const ZONED: &[(&str, &str, IK)] = &[
    ("TCT", "Trường Chính trị", IK::PoliticalSchool),
    ("SNV", "Sở Nội vụ", IK::Department),
    ("SGD", "Sở Giáo dục và Đào tạo", IK::Department),
    ("SYT", "Sở Y tế", IK::Department),
    ("BCHQS", "Bộ Chỉ huy Quân sự", IK::Department),
];

const NATIONAL: &[(&str, &str, IK)] = &[
    ("HVHC", "Học viện Hành chính Quốc gia", IK::Academy),
    ("HVCT2", "Học viện Chính trị khu vực II", IK::Academy),
    ("DHSP", "Trường Đại học Sư phạm Thành phố Hồ Chí Minh", IK::University),
    ("DHYD", "Trường Đại học Y Dược Thành phố Hồ Chí Minh", IK::University),
    ("DHKT", "Trường Đại học Kinh tế Thành phố Hồ Chí Minh", IK::University),
    ("DHL", "Trường Đại học Luật Thành phố Hồ Chí Minh", IK::University),
    ("DHNL", "Trường Đại học Nông Lâm Thành phố Hồ Chí Minh", IK::University),
    ("DHCNTT", "Trường Đại học Công nghệ Thông tin - Đại học Quốc gia Thành phố Hồ Chí Minh", IK::University),
    ("DHTV", "Trường Đại học Trà Vinh", IK::University),
    ("GDQP", "Trung tâm Giáo dục quốc phòng và an ninh - Đại học Quốc gia Thành phố Hồ Chí Minh", IK::Centre),
    ("CDTN", "Trường Cao đẳng Tây Ninh", IK::College),
    ("NUS", "Trường Chính sách công Lý Quang Diệu - Đại học Quốc gia Singapore", IK::Abroad),
];

impl Institutions {
    pub fn build() -> Institutions {
        let since = d(2015, 1, 1);
        let mut rows = Vec::new();
        let mut national = HashMap::new();
        let mut zoned = HashMap::new();
        let mut id = 0;
        for (key, name, kind) in NATIONAL {
            id += 1;
            let inst = Institution { code: key.to_string(), name: name.to_string(), kind: *kind };
            if *key == "HVHC" {
                // Renamed on 1 March 2025 when it joined the Hồ Chí Minh National Academy of Politics.
                let renamed = d(2025, 3, 1);
                rows.push((id, Validity::between(since, renamed), inst.clone()));
                rows.push((id, Validity::since(renamed), Institution { name: "Học viện Hành chính và Quản trị công".into(), ..inst }));
            } else {
                rows.push((id, Validity::since(since), inst));
            }
            national.insert(*key, id);
        }
        for (key, name, kind) in ZONED {
            let mut ids = [0; 3];
            for (z, (suffix, province, valid)) in [
                ("72", "tỉnh Tây Ninh", Validity::between(since, REFORM_2025)),
                ("80", if *key == "TCT" { "Long An" } else { "tỉnh Long An" }, Validity::between(since, REFORM_2025)),
                ("TN", "tỉnh Tây Ninh", Validity::since(REFORM_2025)),
            ]
            .into_iter()
            .enumerate()
            {
                id += 1;
                let inst = Institution { code: format!("{key}.{suffix}"), name: format!("{name} {province}"), kind: *kind };
                rows.push((id, valid, inst));
                ids[z] = id;
            }
            zoned.insert(*key, ids);
        }
        Institutions { rows, national, zoned }
    }

    /// The institution that runs a class of `key` for a zone on a date.
    pub fn resolve(&self, key: &str, zone: u8, on: NaiveDate) -> i64 {
        if let Some(id) = self.national.get(key) {
            return *id;
        }
        let ids = self.zoned[key];
        if on >= REFORM_2025 { ids[2] } else { ids[zone as usize] }
    }

    /// Lecturers of the schools and academies; guests come from departments.
    pub fn lecturers<R: Rng>(&self, rng: &mut R) -> Vec<(i64, Validity, Lecturer)> {
        let mut out = Vec::new();
        let mut id = 0;
        let mut add = |rng: &mut R, inst: i64, n: usize, from: NaiveDate, to: Option<NaiveDate>| {
            for _ in 0..n {
                id += 1;
                let guest = rng.random_bool(0.45);
                let management_years = if guest { rng.random_range(5..=25) } else { rng.random_range(0..=15) };
                let valid = Validity { from, to };
                out.push((id, valid, Lecturer { institution_id: inst, full_name: names::full_name(rng), guest, management_years }));
            }
        };
        let since = d(2015, 1, 1);
        let [tn, la, new] = self.zoned["TCT"];
        add(rng, tn, 12, since, Some(REFORM_2025));
        add(rng, la, 14, since, Some(REFORM_2025));
        add(rng, new, 22, REFORM_2025, None);
        for key in ["HVHC", "HVCT2", "DHSP", "DHYD", "GDQP", "DHTV"] {
            add(rng, self.national[key], 4, since, None);
        }
        add(rng, self.zoned["SNV"][2], 5, REFORM_2025, None);
        out
    }
}

/// When a requirement of a competency frame applies.
#[derive(Clone, Copy)]
enum Era {
    Always,
    BeforeReform,
    FromReform,
    /// Teachers' standards of the Law on Education 2019.
    Before2020,
    From2020,
}

type Req = (Q, &'static str, Option<&'static str>, Era);

/// Job positions: code, name, group, competency frame.
const POSITIONS: &[(&str, &str, PositionGroup, &[Req])] = {
    use Era::*;
    use PositionGroup::*;
    const SM: Req = (Q::StateManagement, "chuyen_vien", None, Always);
    const FL2: Req = (Q::ForeignLanguage, "2", None, Always);
    const IT: Req = (Q::It, "co_ban", None, Always);
    const UNI: Req = (Q::Education, "dai_hoc", None, Always);
    &[
        ("LD_TINH", "Lãnh đạo cấp tỉnh", Leadership, &[UNI, (Q::PoliticalTheory, "cao_cap", None, Always), (Q::StateManagement, "chuyen_vien_cao_cap", None, Always), (Q::Leadership, "cap_tinh", None, Always)]),
        ("LD_SO", "Lãnh đạo cấp sở và tương đương", Leadership, &[UNI, (Q::PoliticalTheory, "cao_cap", None, Always), (Q::StateManagement, "chuyen_vien_chinh", None, Always), (Q::Leadership, "cap_so", None, Always), FL2]),
        ("LD_HUYEN", "Lãnh đạo cấp huyện", Leadership, &[UNI, (Q::PoliticalTheory, "cao_cap", None, Always), (Q::StateManagement, "chuyen_vien_chinh", None, Always), (Q::Leadership, "cap_huyen", None, Always)]),
        ("LD_PHONG", "Trưởng phòng, Phó Trưởng phòng và tương đương", Leadership, &[UNI, (Q::PoliticalTheory, "trung_cap", None, Always), SM, (Q::Leadership, "cap_phong", None, Always)]),
        ("LD_XA", "Lãnh đạo cấp xã", Leadership, &[(Q::Education, "trung_cap", None, BeforeReform), (Q::Education, "dai_hoc", None, FromReform), (Q::PoliticalTheory, "trung_cap", None, Always), (Q::StateManagement, "chuyen_vien", None, FromReform)]),
        ("QL_TRUONG", "Hiệu trưởng, Phó Hiệu trưởng", Leadership, &[(Q::Education, "dai_hoc", Some("su_pham"), Always), (Q::Leadership, "cap_phong", None, Always)]),
        ("QL_YTE", "Giám đốc, Phó Giám đốc cơ sở y tế", Leadership, &[(Q::Education, "chuyen_khoa_1", Some("y_khoa"), Always), (Q::PoliticalTheory, "trung_cap", None, Always), (Q::Leadership, "cap_phong", None, Always)]),
        ("QL_TT", "Giám đốc trung tâm", Leadership, &[UNI, (Q::Leadership, "cap_phong", None, Always)]),
        ("CV_TCCB", "Chuyên viên tổ chức cán bộ", Professional, &[UNI, SM, FL2, IT]),
        ("CV_PHAP_CHE", "Chuyên viên pháp chế", Professional, &[(Q::Education, "dai_hoc", Some("luat"), Always), SM, FL2, IT]),
        ("CV_KHDT", "Chuyên viên kế hoạch, đầu tư", Professional, &[(Q::Education, "dai_hoc", Some("kinh_te"), Always), SM, IT]),
        ("CV_NGAN_SACH", "Chuyên viên quản lý ngân sách", Professional, &[(Q::Education, "dai_hoc", Some("tai_chinh"), Always), SM, IT]),
        ("CV_CNTT", "Chuyên viên công nghệ thông tin", Professional, &[(Q::Education, "dai_hoc", Some("cntt"), Always), (Q::It, "nang_cao", None, Always), FL2]),
        ("CV_NONG_NGHIEP", "Chuyên viên quản lý nông nghiệp", Professional, &[(Q::Education, "dai_hoc", Some("nong_nghiep"), Always), SM]),
        ("CV_DAT_DAI", "Chuyên viên quản lý đất đai, môi trường", Professional, &[(Q::Education, "dai_hoc", Some("moi_truong"), Always), SM]),
        ("CV_XAY_DUNG", "Chuyên viên quản lý xây dựng, giao thông", Professional, &[(Q::Education, "dai_hoc", Some("xay_dung"), Always), SM]),
        ("CV_VAN_HOA", "Chuyên viên quản lý văn hóa, thể thao và du lịch", Professional, &[(Q::Education, "dai_hoc", Some("van_hoa"), Always), SM]),
        ("CV_GIAO_DUC", "Chuyên viên quản lý giáo dục", Professional, &[(Q::Education, "dai_hoc", Some("su_pham"), Always), SM]),
        ("CV_Y_TE", "Chuyên viên quản lý y tế", Professional, &[(Q::Education, "dai_hoc", Some("y_khoa"), Always), SM]),
        ("CV_DAN_TOC", "Chuyên viên công tác dân tộc", Professional, &[UNI, SM, (Q::MinorityLanguage, "giao_tiep", None, Always)]),
        ("THANH_TRA", "Thanh tra viên", Professional, &[UNI, SM, IT]),
        ("CV_DANG_DOAN_THE", "Chuyên viên cơ quan Đảng, Mặt trận và đoàn thể", Professional, &[UNI, (Q::PoliticalTheory, "trung_cap", None, Always)]),
        ("CV_TONG_HOP", "Chuyên viên tổng hợp", Professional, &[UNI, SM, FL2, IT]),
        ("XA_VP", "Công chức Văn phòng - Thống kê cấp xã", Professional, &[(Q::Education, "trung_cap", None, BeforeReform), (Q::Education, "dai_hoc", None, FromReform), IT]),
        ("XA_TU_PHAP", "Công chức Tư pháp - Hộ tịch cấp xã", Professional, &[(Q::Education, "trung_cap", Some("luat"), BeforeReform), (Q::Education, "dai_hoc", Some("luat"), FromReform)]),
        ("XA_DIA_CHINH", "Công chức Địa chính - Xây dựng - Đô thị và Môi trường cấp xã", Professional, &[(Q::Education, "trung_cap", None, BeforeReform), (Q::Education, "dai_hoc", None, FromReform)]),
        ("XA_TAI_CHINH", "Công chức Tài chính - Kế toán cấp xã", Professional, &[(Q::Education, "trung_cap", Some("tai_chinh"), BeforeReform), (Q::Education, "dai_hoc", Some("tai_chinh"), FromReform)]),
        ("XA_VHXH", "Công chức Văn hóa - Xã hội cấp xã", Professional, &[(Q::Education, "trung_cap", None, BeforeReform), (Q::Education, "dai_hoc", None, FromReform)]),
        ("XA_KCT", "Người hoạt động không chuyên trách ở cấp xã", Support, &[(Q::Education, "trung_cap", None, Always)]),
        ("GV_MN", "Giáo viên mầm non", Professional, &[(Q::Education, "trung_cap", Some("su_pham"), Before2020), (Q::Education, "cao_dang", Some("su_pham"), From2020), (Q::TitleStandard, "dat", None, Always)]),
        ("GV_TH", "Giáo viên tiểu học", Professional, &[(Q::Education, "trung_cap", Some("su_pham"), Before2020), (Q::Education, "dai_hoc", Some("su_pham"), From2020), (Q::TitleStandard, "dat", None, Always)]),
        ("GV_THCS", "Giáo viên trung học cơ sở", Professional, &[(Q::Education, "cao_dang", Some("su_pham"), Before2020), (Q::Education, "dai_hoc", Some("su_pham"), From2020), (Q::TitleStandard, "dat", None, Always)]),
        ("GV_THPT", "Giáo viên trung học phổ thông", Professional, &[(Q::Education, "dai_hoc", Some("su_pham"), Always), (Q::TitleStandard, "dat", None, Always)]),
        ("GIANG_VIEN", "Giảng viên", Professional, &[(Q::Education, "thac_si", None, Always)]),
        ("GV_CHINH_TRI", "Giảng viên trường chính trị", Professional, &[(Q::Education, "thac_si", None, Always), (Q::PoliticalTheory, "cao_cap", None, Always)]),
        ("BAC_SI", "Bác sĩ", Professional, &[(Q::Education, "dai_hoc", Some("y_khoa"), Always)]),
        ("DIEU_DUONG", "Điều dưỡng", Professional, &[(Q::Education, "cao_dang", Some("dieu_duong"), Always)]),
        ("VC_VAN_HOA", "Viên chức văn hóa, thông tin", Professional, &[(Q::Education, "cao_dang", None, Always)]),
        ("VC_KY_THUAT", "Viên chức kỹ thuật nông nghiệp", Professional, &[(Q::Education, "dai_hoc", Some("nong_nghiep"), Always)]),
        ("KE_TOAN", "Kế toán", Support, &[(Q::Education, "trung_cap", Some("tai_chinh"), Always)]),
        ("VAN_THU", "Văn thư - lưu trữ", Support, &[(Q::Education, "trung_cap", None, Always)]),
        ("HO_TRO", "Nhân viên hỗ trợ, phục vụ", Support, &[]),
    ]
};

pub struct Positions {
    pub positions: Vec<(i64, Validity, JobPosition)>,
    pub requirements: Vec<(i64, Validity, PositionRequirement)>,
    ids: HashMap<&'static str, i64>,
}

impl Positions {
    pub fn build() -> Positions {
        let since = d(2015, 1, 1);
        let standard = d(2020, 7, 1);
        let mut positions = Vec::new();
        let mut requirements = Vec::new();
        let mut ids = HashMap::new();
        for (i, (code, name, group, reqs)) in POSITIONS.iter().enumerate() {
            let id = i as i64 + 1;
            // District leadership ends with the district level.
            let valid = if *code == "LD_HUYEN" { Validity::between(since, REFORM_2025) } else { Validity::since(since) };
            positions.push((id, valid, JobPosition { code: code.to_string(), name: name.to_string(), group: *group }));
            ids.insert(*code, id);
            for (kind, min, field, era) in reqs.iter() {
                let rvalid = match era {
                    Era::Always => valid,
                    Era::BeforeReform => Validity::between(since, REFORM_2025),
                    Era::FromReform => Validity::since(REFORM_2025),
                    Era::Before2020 => Validity::between(since, standard),
                    Era::From2020 => Validity::since(standard),
                };
                let rid = requirements.len() as i64 + 1;
                requirements.push((rid, rvalid, PositionRequirement { position_id: id, kind: *kind, min_level: min.to_string(), field: field.map(Into::into) }));
            }
        }
        Positions { positions, requirements, ids }
    }

    pub fn id(&self, code: &str) -> i64 {
        *self.ids.get(code).unwrap_or_else(|| panic!("no position {code}"))
    }
}
