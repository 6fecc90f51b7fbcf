//! A person's life: who they are, where they worked from hiring to today (or
//! retirement), the posts and roles they held, what they had learnt before and
//! what training they took since 2019.

use std::collections::{HashMap, VecDeque};

use chrono::{Datelike, Duration, NaiveDate};
use nangluc_core::employment::{Category, Employment, Post, PostRank, POSTS, REFORM_2025};
use nangluc_core::law::RetirementSchedule;
use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
use nangluc_core::qualification::{Level, Qualification, QualificationKind as Q};
use nangluc_core::role::{Role as PersonRole, RoleKind};
use nangluc_core::time::age_on;
use nangluc_core::unit::{Sector, UnitLevel};
use nangluc_core::{Fact, Validity};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::geography::{Geography, Role, Unit};
use crate::training::{self, ClassBook};
use crate::{date, names, BulkRow, World};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    TeacherMN,
    TeacherTH,
    TeacherTHCS,
    TeacherTHPT,
    College,
    SchoolSupport,
    Doctor,
    Nurse,
    OtherPE,
    PolSchool,
    ProvincialCS,
    DistrictCS,
    MassCadre,
    CommuneCadre,
    CommuneCS,
    NonProfessional,
}

use Track as T;

/// Rank-and-file staff by track: weight (of 10,000), share of women. Leaders
/// (about 9 % at demo size) come on top, from the units' posts.
const TRACKS: &[(Track, u32, f64)] = &[
    (T::TeacherMN, 1000, 0.95),
    (T::TeacherTH, 1600, 0.68),
    (T::TeacherTHCS, 1300, 0.6),
    (T::TeacherTHPT, 800, 0.52),
    (T::College, 80, 0.5),
    (T::SchoolSupport, 350, 0.55),
    (T::Doctor, 300, 0.45),
    (T::Nurse, 650, 0.72),
    (T::OtherPE, 450, 0.5),
    (T::PolSchool, 30, 0.5),
    (T::ProvincialCS, 850, 0.45),
    (T::DistrictCS, 350, 0.42),
    (T::MassCadre, 200, 0.55),
    (T::CommuneCadre, 180, 0.3),
    (T::CommuneCS, 260, 0.42),
    (T::NonProfessional, 450, 0.4),
];

/// Where a track works, before and from the reform: unit roles and weights.
fn track_roles(track: Track, after: bool) -> &'static [(Role, u32)] {
    use Role as R;
    match (track, after) {
        (T::TeacherMN, _) => &[(R::Kindergarten, 10)],
        (T::TeacherTH, _) => &[(R::Primary, 10)],
        (T::TeacherTHCS, _) => &[(R::LowerSecondary, 10)],
        (T::TeacherTHPT, _) => &[(R::UpperSecondary, 10)],
        (T::College, _) => &[(R::College, 10)],
        (T::SchoolSupport, _) => &[(R::Kindergarten, 10), (R::Primary, 10), (R::LowerSecondary, 10), (R::UpperSecondary, 15)],
        (T::Doctor | T::Nurse, false) => &[(R::Hospital, 60), (R::DistrictHealth, 30), (R::HealthStation, 3)],
        (T::Doctor | T::Nurse, true) => &[(R::Hospital, 60), (R::DistrictHealth, 30), (R::HealthStation, 9)],
        (T::OtherPE, false) => &[(R::ProvincialCentre, 20), (R::DistrictCulture, 8)],
        (T::OtherPE, true) => &[(R::ProvincialCentre, 20)],
        (T::PolSchool, _) => &[(R::PoliticalSchool, 10)],
        (T::ProvincialCS, _) => &[(R::Department, 10), (R::PartyBoard, 6), (R::Council, 6)],
        (T::DistrictCS, false) => &[(R::District, 10), (R::DistrictParty, 4)],
        (T::DistrictCS, true) => &[(R::Commune, 10)],
        (T::MassCadre, false) => &[(R::MassOrg, 10), (R::District, 2)],
        (T::MassCadre, true) => &[(R::MassOrg, 10)],
        (T::CommuneCadre, _) => &[(R::Commune, 10), (R::CommuneParty, 5)],
        (T::CommuneCS | T::NonProfessional, _) => &[(R::Commune, 10)],
    }
}

/// Cumulative weights of units for each track, before and from the reform.
pub struct Pools {
    before: Vec<Vec<(usize, u32)>>,
    after: Vec<Vec<(usize, u32)>>,
}

impl Pools {
    pub fn build(geo: &Geography) -> Pools {
        let build = |after: bool| {
            TRACKS
                .iter()
                .map(|(track, _, _)| {
                    let mut cum = 0;
                    let mut v = Vec::new();
                    for (role, w) in track_roles(*track, after) {
                        for (i, u) in geo.with_role(*role) {
                            if (after && u.after_reform()) || (!after && u.before_reform()) {
                                cum += w * if u.key == "bv_dk" { 3 } else { 1 };
                                v.push((i, cum));
                            }
                        }
                    }
                    v
                })
                .collect()
        };
        Pools { before: build(false), after: build(true) }
    }

    fn pick<R: Rng>(&self, rng: &mut R, track: Track, on: NaiveDate) -> usize {
        let t = TRACKS.iter().position(|x| x.0 == track).unwrap();
        let pool = if on >= REFORM_2025 { &self.after[t] } else { &self.before[t] };
        let total = pool.last().unwrap().1;
        let x = rng.random_range(0..total);
        pool[pool.partition_point(|(_, c)| *c <= x)].0
    }
}

/// A leadership post of a unit, filled by one person.
#[derive(Debug, Clone)]
pub struct Slot {
    unit: usize,
    post: &'static str,
    /// Where the holder goes at the reform and with which post.
    after: Option<(usize, &'static str)>,
}

fn slots(geo: &Geography) -> Vec<Slot> {
    use Role as R;
    let mut out = Vec::new();
    for (i, u) in geo.units.iter().enumerate() {
        let posts: &[&'static str] = match u.role {
            R::ProvincialParty => &["bi_thu_tinh_uy", "pho_bi_thu_tinh_uy", "pho_bi_thu_tinh_uy"],
            R::Ubnd => &["chu_tich_ubnd_tinh", "pho_chu_tich_ubnd_tinh", "pho_chu_tich_ubnd_tinh", "pho_chu_tich_ubnd_tinh"],
            R::PartyBoard => &["truong_ban", "pho_truong_ban", "pho_truong_ban"],
            R::Department => &["giam_doc_so", "pho_giam_doc_so", "pho_giam_doc_so"],
            R::PoliticalSchool => &["hieu_truong_truong_chinh_tri"],
            R::College => &["hieu_truong_cao_dang"],
            R::UpperSecondary => &["hieu_truong", "pho_hieu_truong", "pho_hieu_truong"],
            R::Kindergarten | R::Primary | R::LowerSecondary if i % 2 == 0 => &["hieu_truong", "pho_hieu_truong", "pho_hieu_truong"],
            R::Kindergarten | R::Primary | R::LowerSecondary => &["hieu_truong", "pho_hieu_truong"],
            R::Hospital => &["giam_doc_benh_vien", "pho_giam_doc_benh_vien", "pho_giam_doc_benh_vien"],
            R::ProvincialCentre | R::DistrictHealth | R::DistrictCulture => &["giam_doc_trung_tam"],
            R::District => &["chu_tich_ubnd_huyen", "pho_chu_tich_ubnd_huyen", "pho_chu_tich_ubnd_huyen"],
            R::DistrictParty => &["bi_thu_huyen_uy"],
            R::Commune => &["chu_tich_ubnd_xa", "pho_chu_tich_ubnd_xa", "chu_tich_hdnd_xa"],
            R::CommuneParty => &["bi_thu_dang_uy_xa"],
            _ => &[],
        };
        if !u.before_reform() {
            continue; // new units take their leaders from the old ones
        }
        for (k, post) in posts.iter().enumerate() {
            let after = if u.after_reform() {
                Some((i, *post))
            } else if matches!(u.role, R::District | R::DistrictParty) {
                // District leaders became party secretaries of the new communes
                // (or deputies of a department when there are too few communes).
                let d = &geo.districts[u.district.unwrap()];
                let k = if u.role == R::DistrictParty { 0 } else { k + 1 };
                match (d.new_parties.get(k), d.new_communes.get(k)) {
                    (Some(p), _) => Some((*p, "bi_thu_dang_uy_xa")),
                    _ => Some((geo.new_depts["noi_vu"], "pho_giam_doc_so")),
                }
            } else if let Some(&to) = u.reform_to.first() {
                let head_stays = u.primary && !post.starts_with("pho_");
                let new_post = match (*post, head_stays) {
                    // The district's leaders took the new communes' party posts.
                    ("bi_thu_dang_uy_xa", true) => Some((to, "chu_tich_hdnd_xa")),
                    ("chu_tich_hdnd_xa", true) => Some((to, "pho_chu_tich_ubnd_xa")),
                    (p, true) => Some((to, p)),
                    (p, false) => Some((to, deputy(p))),
                };
                // Party secretaries' new posts are in the commune, not the committee.
                new_post.map(|(unit, p)| {
                    let unit = if p != "bi_thu_dang_uy_xa" && geo.units[unit].role == R::CommuneParty {
                        (geo.units[unit].versions[0].1.parent_id.unwrap() - 1) as usize
                    } else {
                        unit
                    };
                    (unit, p)
                })
            } else {
                None
            };
            out.push(Slot { unit: i, post, after });
        }
    }
    out
}

/// The deputy post of a head post (a deputy stays a deputy).
fn deputy(post: &'static str) -> &'static str {
    match post {
        "chu_tich_ubnd_tinh" => "pho_chu_tich_ubnd_tinh",
        "bi_thu_tinh_uy" => "pho_bi_thu_tinh_uy",
        "giam_doc_so" | "hieu_truong_truong_chinh_tri" | "hieu_truong_cao_dang" => "pho_giam_doc_so",
        "truong_ban" => "pho_truong_ban",
        "chu_tich_ubnd_xa" | "chu_tich_hdnd_xa" | "bi_thu_dang_uy_xa" => "pho_chu_tich_ubnd_xa",
        "giam_doc_trung_tam" => "giam_doc_trung_tam",
        "truong_phong" => "pho_truong_phong",
        p => p,
    }
}

fn post_rank(code: &str) -> PostRank {
    POSTS.iter().find(|p| p.0 == code).map(|p| p.2).unwrap_or(PostRank::Division)
}

fn elected(code: &str) -> bool {
    ["chu_tich", "pho_chu_tich", "bi_thu", "pho_bi_thu"].iter().any(|p| code.starts_with(p))
}

/// One period of employment.
#[derive(Debug, Clone)]
struct Seg {
    from: NaiveDate,
    unit: usize,
    category: Category,
    rank: Option<&'static str>,
    position: &'static str,
    post: Option<Post>,
}

/// What a person holds, to decide what training they still need.
#[derive(Debug, Default, Clone)]
struct Held {
    edu: u8,
    fl: u8,
    it: u8,
    llct: u8,
    sm: u8,
    lead: u8,
    qpan: u8,
    khmer: bool,
    title: bool,
}

impl Held {
    fn add(&mut self, kind: Q, level: &str) {
        let r = Level::from_code(kind, level).map(|l| l.rank).unwrap_or(0);
        let slot = match kind {
            Q::Education => &mut self.edu,
            Q::ForeignLanguage => &mut self.fl,
            Q::It => &mut self.it,
            Q::PoliticalTheory => &mut self.llct,
            Q::StateManagement => &mut self.sm,
            Q::Leadership => &mut self.lead,
            Q::DefenceSecurity => &mut self.qpan,
            Q::MinorityLanguage => {
                self.khmer = true;
                return;
            }
            Q::TitleStandard => {
                self.title = true;
                return;
            }
        };
        *slot = (*slot).max(r);
    }
}

/// Generator state that lives across people: bounded, whatever their number.
pub struct PeopleState {
    slots: Vec<Slot>,
    done: u64,
    total: u64,
    employment_id: i64,
    role_id: i64,
    qualification_id: i64,
    enrolment_id: i64,
    classes: ClassBook,
    /// Serial counters per identity-number prefix (birth province, century-sex, year).
    serials: HashMap<u32, u32>,
    retirement: RetirementSchedule,
}

/// Scales the yearly training probabilities.
const RATE: f64 = 1.2;

const OTHER_PROVINCES: &[u16] = &[79, 83, 82, 87, 86, 89, 94, 38, 40, 42, 36, 74, 75, 77, 70, 1];

fn ladder(track: Track, sector: Sector) -> &'static [&'static str] {
    match track {
        T::TeacherMN => &["V.07.02.26", "V.07.02.25", "V.07.02.24"],
        T::TeacherTH => &["V.07.03.29", "V.07.03.28", "V.07.03.27"],
        T::TeacherTHCS => &["V.07.05.15", "V.07.05.14", "V.07.05.13"],
        T::TeacherTHPT => &["V.07.05.18", "V.07.05.17", "V.07.05.16"],
        T::Doctor => &["V.08.01.03", "V.08.01.02", "V.08.01.01"],
        T::Nurse => &["V.08.05.14", "V.08.05.13", "V.08.05.12"],
        T::OtherPE if sector == Sector::Agriculture => &["V.05.02.07"],
        T::OtherPE => &["V.10.03.08"],
        T::SchoolSupport => &["01.005"],
        T::College | T::PolSchool | T::NonProfessional => &[],
        _ => &["01.004", "01.003", "01.002", "01.001"],
    }
}

/// The programme that prepares the step to `ladder[step]`.
fn step_programme(track: Track, step: usize) -> Option<&'static str> {
    match (track, step) {
        (T::TeacherMN, 1) => Some("CDNN_MN"),
        (T::TeacherTH, 1) => Some("CDNN_TH"),
        (T::TeacherTHCS, 1) => Some("CDNN_THCS"),
        (T::TeacherTHPT, 1) => Some("CDNN_THPT"),
        (T::Doctor, 1) => Some("CDNN_BS"),
        (T::Nurse, 1) => Some("CDNN_DD"),
        (T::ProvincialCS | T::DistrictCS | T::CommuneCS | T::CommuneCadre | T::MassCadre, 1) => Some("QLNN_CV"),
        (T::ProvincialCS | T::DistrictCS | T::CommuneCS | T::CommuneCadre | T::MassCadre, 2) => Some("QLNN_CVC"),
        (T::ProvincialCS | T::DistrictCS | T::CommuneCS | T::CommuneCadre | T::MassCadre, 3) => Some("QLNN_CVCC"),
        _ => None,
    }
}

fn is_cs_track(t: Track) -> bool {
    matches!(t, T::ProvincialCS | T::DistrictCS | T::MassCadre | T::CommuneCadre | T::CommuneCS)
}

fn is_teacher(t: Track) -> bool {
    matches!(t, T::TeacherMN | T::TeacherTH | T::TeacherTHCS | T::TeacherTHPT)
}

/// The track a leader of a unit belongs to for ranks, qualifications and training.
fn track_of_unit(role: Role) -> Track {
    use Role as R;
    match role {
        R::Kindergarten => T::TeacherMN,
        R::Primary => T::TeacherTH,
        R::LowerSecondary => T::TeacherTHCS,
        R::UpperSecondary => T::TeacherTHPT,
        R::College => T::College,
        R::Hospital | R::DistrictHealth | R::HealthStation => T::Doctor,
        R::ProvincialCentre | R::DistrictCulture => T::OtherPE,
        R::PoliticalSchool => T::PolSchool,
        R::District | R::DistrictParty => T::DistrictCS,
        R::Commune | R::CommuneParty => T::CommuneCS,
        R::MassOrg => T::MassCadre,
        _ => T::ProvincialCS,
    }
}

fn category_of(track: Track, on: NaiveDate) -> Category {
    let c = match track {
        T::ProvincialCS | T::DistrictCS => Category::CivilServant,
        T::MassCadre => Category::Cadre,
        T::CommuneCadre => Category::CommuneCadre,
        T::CommuneCS => Category::CommuneCivilServant,
        T::NonProfessional => Category::NonProfessional,
        _ => Category::PublicEmployee,
    };
    if on >= REFORM_2025 { c.after_reform_2025() } else { c }
}

fn leader_category(post: &str, unit: &Unit, on: NaiveDate) -> Category {
    let c = if elected(post) || post == "truong_ban" {
        if matches!(unit.role, Role::Commune | Role::CommuneParty) { Category::CommuneCadre } else { Category::Cadre }
    } else if matches!(post, "giam_doc_so" | "pho_giam_doc_so" | "pho_truong_ban" | "truong_phong" | "pho_truong_phong") {
        Category::CivilServant
    } else {
        Category::PublicEmployee
    };
    if on >= REFORM_2025 { c.after_reform_2025() } else { c }
}

fn leader_position(post: &str, unit: &Unit) -> &'static str {
    post_position(post, unit.sector == Sector::Health)
}

fn post_position(post: &str, health: bool) -> &'static str {
    match post {
        "chu_tich_ubnd_tinh" | "pho_chu_tich_ubnd_tinh" | "bi_thu_tinh_uy" | "pho_bi_thu_tinh_uy" => "LD_TINH",
        "giam_doc_so" | "pho_giam_doc_so" | "truong_ban" | "pho_truong_ban" | "hieu_truong_truong_chinh_tri" | "hieu_truong_cao_dang" => "LD_SO",
        "bi_thu_huyen_uy" | "chu_tich_ubnd_huyen" | "pho_chu_tich_ubnd_huyen" => "LD_HUYEN",
        "hieu_truong" | "pho_hieu_truong" => "QL_TRUONG",
        "giam_doc_benh_vien" | "pho_giam_doc_benh_vien" => "QL_YTE",
        "giam_doc_trung_tam" if health => "QL_YTE",
        "giam_doc_trung_tam" => "QL_TT",
        "truong_phong" | "pho_truong_phong" => "LD_PHONG",
        _ => "LD_XA",
    }
}

/// The leadership programme a post asks for, by the date of appointment.
fn leadership_programme(post: &str, on: NaiveDate) -> &'static str {
    match post_position(post, false) {
        "LD_TINH" => "QLNN_CVCC",
        "LD_SO" => "LD_SO",
        "LD_HUYEN" if on < REFORM_2025 => "LD_HUYEN",
        "LD_HUYEN" => "LD_SO",
        "QL_TRUONG" => "QL_TRUONG",
        "QL_YTE" => "QL_BV",
        "LD_XA" => "LD_XA",
        _ if on >= REFORM_2025 => "LD_PHONG_171",
        _ => "LD_PHONG",
    }
}

fn position_for<R: Rng>(rng: &mut R, track: Track, unit: &Unit) -> &'static str {
    let pick = |rng: &mut R, l: &[&'static str]| l[rng.random_range(0..l.len())];
    match track {
        T::TeacherMN => "GV_MN",
        T::TeacherTH => "GV_TH",
        T::TeacherTHCS => "GV_THCS",
        T::TeacherTHPT => "GV_THPT",
        T::College => "GIANG_VIEN",
        T::PolSchool => "GV_CHINH_TRI",
        T::SchoolSupport => pick(rng, &["KE_TOAN", "VAN_THU", "HO_TRO", "HO_TRO"]),
        T::Doctor => "BAC_SI",
        T::Nurse => "DIEU_DUONG",
        T::OtherPE if unit.sector == Sector::Agriculture => "VC_KY_THUAT",
        T::OtherPE => pick(rng, &["VC_VAN_HOA", "VC_VAN_HOA", "KE_TOAN", "HO_TRO"]),
        T::NonProfessional => "XA_KCT",
        T::CommuneCS => pick(rng, &["XA_VP", "XA_TU_PHAP", "XA_DIA_CHINH", "XA_TAI_CHINH", "XA_VHXH"]),
        T::CommuneCadre | T::MassCadre => "CV_DANG_DOAN_THE",
        T::ProvincialCS | T::DistrictCS => {
            if rng.random_bool(0.08) {
                return pick(rng, &["VAN_THU", "KE_TOAN"]);
            }
            if matches!(unit.role, Role::PartyBoard | Role::DistrictParty | Role::MassOrg) {
                return "CV_DANG_DOAN_THE";
            }
            if unit.role == Role::Commune || unit.role == Role::District {
                let mut l = vec!["CV_TONG_HOP", "CV_TCCB", "CV_PHAP_CHE", "CV_KHDT", "CV_NONG_NGHIEP", "CV_DAT_DAI", "CV_XAY_DUNG", "CV_VAN_HOA", "CV_GIAO_DUC", "CV_Y_TE", "THANH_TRA", "CV_CNTT"];
                if unit.minority {
                    l.push("CV_DAN_TOC");
                }
                return pick(rng, &l);
            }
            match unit.sector {
                Sector::HomeAffairs => pick(rng, &["CV_TCCB", "CV_TCCB", "CV_TONG_HOP"]),
                Sector::Justice => pick(rng, &["CV_PHAP_CHE", "THANH_TRA"]),
                Sector::Finance => pick(rng, &["CV_KHDT", "CV_NGAN_SACH"]),
                Sector::Agriculture => pick(rng, &["CV_NONG_NGHIEP", "CV_DAT_DAI"]),
                Sector::Construction => "CV_XAY_DUNG",
                Sector::Culture => "CV_VAN_HOA",
                Sector::Education => "CV_GIAO_DUC",
                Sector::Health => "CV_Y_TE",
                Sector::Information | Sector::Science => pick(rng, &["CV_CNTT", "CV_TONG_HOP"]),
                Sector::EthnicAffairs => "CV_DAN_TOC",
                Sector::Industry => pick(rng, &["CV_KHDT", "CV_TONG_HOP"]),
                _ => pick(rng, &["CV_TONG_HOP", "CV_PHAP_CHE", "CV_CNTT"]),
            }
        }
    }
}

/// The field of study a position asks for (or a plausible one).
fn field_for<R: Rng>(rng: &mut R, position: &str) -> &'static str {
    let f = match position {
        "CV_PHAP_CHE" | "XA_TU_PHAP" | "THANH_TRA" => "luat",
        "CV_KHDT" => "kinh_te",
        "CV_NGAN_SACH" | "XA_TAI_CHINH" | "KE_TOAN" => "tai_chinh",
        "CV_CNTT" => "cntt",
        "CV_NONG_NGHIEP" | "VC_KY_THUAT" => "nong_nghiep",
        "CV_DAT_DAI" | "XA_DIA_CHINH" => "moi_truong",
        "CV_XAY_DUNG" => "xay_dung",
        "CV_VAN_HOA" | "VC_VAN_HOA" | "XA_VHXH" => "van_hoa",
        "CV_GIAO_DUC" | "GV_MN" | "GV_TH" | "GV_THCS" | "GV_THPT" | "QL_TRUONG" => "su_pham",
        "CV_Y_TE" | "BAC_SI" | "QL_YTE" => "y_khoa",
        "DIEU_DUONG" => "dieu_duong",
        "CV_DANG_DOAN_THE" | "GV_CHINH_TRI" => ["chinh_tri", "quan_ly_nha_nuoc", "luat"][rng.random_range(0..3)],
        _ => ["quan_ly_nha_nuoc", "kinh_te", "luat", "quan_ly_nha_nuoc"][rng.random_range(0..4)],
    };
    // Some studied something else than their position asks.
    if rng.random_bool(0.07) {
        return ["kinh_te", "luat", "quan_ly_nha_nuoc", "cntt", "nong_nghiep"][rng.random_range(0..5)];
    }
    f
}

/// Everything decided about one person before rows are written.
struct Life {
    track: Track,
    sex: Sex,
    birth: NaiveDate,
    hire: NaiveDate,
    end: Option<NaiveDate>,
    segs: Vec<Seg>,
    ethnicity: Ethnicity,
    /// Baseline qualifications (not from the training history).
    quals: Vec<(Q, &'static str, Option<&'static str>, Option<&'static str>, NaiveDate)>,
    /// (programme code, year) the person is sent to for a reason (a promotion,
    /// an appointment).
    planned: Vec<(&'static str, i32)>,
    roles: Vec<(Validity, PersonRole)>,
    leader: bool,
}

impl Life {
    fn seg_on(&self, d: NaiveDate) -> Option<&Seg> {
        if d < self.hire || self.end.is_some_and(|e| d >= e) {
            return None;
        }
        self.segs.iter().rev().find(|s| s.from <= d)
    }
}

impl PeopleState {
    pub fn new(world: &World, rng: &mut ChaCha8Rng) -> PeopleState {
        let scale = (world.config.people as f64 / 40_000.0).min(1.0);
        let mut kept: Vec<Slot> = slots(&world.geo).into_iter().filter(|_| rng.random_bool(scale)).collect();
        kept.truncate(world.config.people as usize);
        PeopleState {
            slots: kept,
            done: 0,
            total: world.config.people,
            employment_id: 0,
            role_id: 0,
            qualification_id: 0,
            enrolment_id: 0,
            classes: ClassBook::default(),
            serials: HashMap::new(),
            retirement: RetirementSchedule::default(),
        }
    }

    /// Sizes of the state kept across people (class buckets, serial counters).
    #[cfg(test)]
    pub fn held(&self) -> (usize, usize) {
        (self.classes.buckets(), self.serials.len())
    }

    /// Writes the next person's rows; false when everyone is done.
    pub fn next_person(&mut self, world: &World, rng: &mut ChaCha8Rng, out: &mut VecDeque<BulkRow>) -> bool {
        if self.done >= self.total {
            return false;
        }
        let idx = self.done as usize;
        self.done += 1;
        let person_id = self.done as i64;
        let life = if idx < self.slots.len() {
            let slot = self.slots[idx].clone();
            self.leader_life(world, rng, &slot)
        } else {
            self.staff_life(world, rng)
        };
        self.emit(world, rng, person_id, life, out);
        true
    }

    fn draw_birth<R: Rng>(&self, rng: &mut R, today: NaiveDate, ages: (i32, i32), sex: Sex) -> NaiveDate {
        for _ in 0..50 {
            let age = loop {
                let a = rng.random_range(ages.0..=ages.1);
                let w = match a {
                    ..25 => 0.5,
                    25..30 => 0.9,
                    30..50 => 1.0,
                    50..58 => 0.85,
                    _ => 0.6,
                };
                if rng.random_bool(w) {
                    break a;
                }
            };
            let birth = date(today.year() - age, 1, 1) - Duration::days(rng.random_range(0..365));
            if self.retirement.retirement_date(birth, sex) >= date(2019, 6, 1) {
                return birth;
            }
        }
        date(today.year() - 40, 6, 15)
    }

    fn ethnicity<R: Rng>(rng: &mut R, minority_area: bool) -> Ethnicity {
        let x: f64 = rng.random();
        let code = if minority_area {
            match x {
                x if x < 0.22 => 5,  // Khmer
                x if x < 0.25 => 17, // Chăm
                x if x < 0.27 => 22, // Xtiêng
                x if x < 0.29 => 4,  // Hoa
                _ => 1,
            }
        } else {
            match x {
                x if x < 0.012 => 5,
                x if x < 0.027 => 4,
                x if x < 0.029 => 17,
                x if x < 0.031 => [2, 6, 7][rng.random_range(0..3)], // Tày, Mường, Nùng from the North
                _ => 1,
            }
        };
        Ethnicity::from_code(code).unwrap()
    }

    fn end_of_service<R: Rng>(&self, rng: &mut R, today: NaiveDate, birth: NaiveDate, sex: Sex, hire: NaiveDate) -> Option<NaiveDate> {
        let retire = self.retirement.retirement_date(birth, sex);
        let mut end = (retire <= today).then_some(retire);
        // A few leave early (moved to business, family reasons).
        if rng.random_bool(0.03) {
            let from = hire.max(date(2019, 1, 1)) + Duration::days(30);
            if from < today {
                let quit = from + Duration::days(rng.random_range(0..(today - from).num_days().max(1)));
                end = Some(end.map_or(quit, |e| e.min(quit)));
            }
        }
        end.filter(|e| *e > hire)
    }

    fn staff_life(&mut self, world: &World, rng: &mut ChaCha8Rng) -> Life {
        let today = world.clock.today;
        let track = TRACKS[crate::pick_weighted(rng, TRACKS.iter().map(|t| t.1))].0;
        let female = TRACKS.iter().find(|t| t.0 == track).unwrap().2;
        let sex = if rng.random_bool(female) { Sex::Female } else { Sex::Male };
        let birth = self.draw_birth(rng, today, (22, 64), sex);
        let hire_age = match track {
            t if is_teacher(t) => rng.random_range(21..=26),
            T::Doctor => rng.random_range(24..=30),
            T::NonProfessional => rng.random_range(22..=40),
            _ => rng.random_range(22..=30),
        };
        let mut hire = date(birth.year() + hire_age, 1, 1) + Duration::days(rng.random_range(0..365));
        if hire > today - Duration::days(60) {
            let earliest = date(birth.year() + 21, birth.month(), 1);
            hire = earliest + Duration::days(rng.random_range(0..((today - earliest).num_days() - 30).max(1)));
        }
        let end = self.end_of_service(rng, today, birth, sex, hire);
        let unit = world.pools.pick(rng, track, hire);
        let u = &world.geo.units[unit];
        let ethnicity = Self::ethnicity(rng, u.minority);
        let lad = ladder(track, u.sector);
        let mut step = usize::from(is_cs_track(track) && !(track == T::CommuneCS && birth.year() < 1980 && rng.random_bool(0.4)));
        if track == T::Nurse && rng.random_bool(0.5) {
            step = 1;
        }
        let position = position_for(rng, track, u);
        let mut life = Life { track, sex, birth, hire, end, segs: Vec::new(), ethnicity, quals: Vec::new(), planned: Vec::new(), roles: Vec::new(), leader: false };
        life.segs.push(Seg { from: hire, unit, category: category_of(track, hire), rank: lad.get(step).copied(), position, post: None });

        // Events of a career: promotions, a move, a division post, the reform.
        let mut events: Vec<(NaiveDate, u8)> = Vec::new();
        let stop = end.unwrap_or(today);
        let mut when = hire;
        for _ in step + 1..lad.len().min(step + 3) {
            when += Duration::days(rng.random_range(7 * 365..13 * 365));
            if when < stop && rng.random_bool(if step == 0 { 0.7 } else { 0.45 }) {
                events.push((when, 1));
            } else {
                break;
            }
        }
        if rng.random_bool(0.18) {
            let d = hire + Duration::days(rng.random_range(3 * 365..20 * 365));
            if d < stop {
                events.push((d, 2));
            }
        }
        let division_post = matches!(track, T::ProvincialCS | T::DistrictCS) && rng.random_bool(0.16);
        if division_post {
            let d = hire + Duration::days(rng.random_range(6 * 365..18 * 365));
            if d < stop - Duration::days(30) {
                events.push((d, 3));
            }
        }
        if hire < REFORM_2025 && stop > REFORM_2025 {
            events.push((REFORM_2025, 4));
        }
        events.sort();
        for (d, kind) in events {
            let mut s = life.segs.last().unwrap().clone();
            s.from = d;
            match kind {
                1 => {
                    step += 1;
                    s.rank = lad.get(step).copied();
                    if let Some(p) = step_programme(track, step) {
                        plan_before(rng, &mut life.planned, p, d);
                    }
                }
                2 => {
                    s.unit = world.pools.pick(rng, track, d);
                    if s.post.is_some() {
                        let mut p = s.post.clone().unwrap();
                        p.appointed_on = Some(d);
                        s.post = Some(p);
                    }
                }
                3 => {
                    let code = if rng.random_bool(0.35) { "truong_phong" } else { "pho_truong_phong" };
                    s.post = Some(Post { code: code.into(), rank: PostRank::Division, appointed_on: Some(d), elected_on: None });
                    s.position = "LD_PHONG";
                    plan_before(rng, &mut life.planned, leadership_programme(code, d), d);
                }
                _ => {
                    let cur = &world.geo.units[s.unit];
                    if track == T::NonProfessional && rng.random_bool(0.65) {
                        life.end = Some(REFORM_2025);
                        break;
                    }
                    if !cur.after_reform() {
                        s.unit = if matches!(cur.role, Role::District | Role::DistrictParty) && rng.random_bool(0.25) {
                            let depts: Vec<_> = world.geo.new_depts.values().copied().collect();
                            let mut depts = depts;
                            depts.sort();
                            depts[rng.random_range(0..depts.len())]
                        } else if cur.reform_to.is_empty() {
                            world.pools.pick(rng, track, d)
                        } else {
                            cur.reform_to[rng.random_range(0..cur.reform_to.len())]
                        };
                        if let Some(mut p) = s.post.clone() {
                            p.appointed_on = Some(REFORM_2025);
                            s.post = Some(p);
                        }
                    }
                    s.category = s.category.after_reform_2025();
                }
            }
            life.segs.push(s);
        }
        self.baseline(world, rng, &mut life);
        self.staff_roles(world, rng, &mut life);
        life
    }

    fn leader_life(&mut self, world: &World, rng: &mut ChaCha8Rng, slot: &Slot) -> Life {
        let today = world.clock.today;
        let u = &world.geo.units[slot.unit];
        let track = track_of_unit(u.role);
        let rank = post_rank(slot.post);
        let ages = match rank {
            PostRank::Province => (48, 60),
            PostRank::Department => (37, 59),
            PostRank::Division => (31, 58),
        };
        let female = match track {
            t if is_teacher(t) => 0.6,
            _ => 0.3,
        };
        let sex = if rng.random_bool(female) { Sex::Female } else { Sex::Male };
        let birth = self.draw_birth(rng, today, ages, sex);
        let hire = date(birth.year() + rng.random_range(22..=27), 1, 1) + Duration::days(rng.random_range(0..365));
        let end = self.end_of_service(rng, today, birth, sex, hire);
        let ethnicity = Self::ethnicity(rng, u.minority);
        let lad = ladder(track, u.sector);
        let step = 1.min(lad.len().saturating_sub(1));
        let start_position = match track {
            T::ProvincialCS | T::DistrictCS | T::MassCadre => "CV_TONG_HOP",
            T::CommuneCS => "XA_VP",
            t => position_for(rng, t, u),
        };
        let start_category = if track == T::CommuneCS { category_of(T::CommuneCS, hire) } else { category_of(track, hire) };
        let mut life = Life { track, sex, birth, hire, end, segs: Vec::new(), ethnicity, quals: Vec::new(), planned: Vec::new(), roles: Vec::new(), leader: true };
        life.segs.push(Seg { from: hire, unit: slot.unit, category: start_category, rank: lad.get(step).copied(), position: start_position, post: None });

        // Appointment: old units' leaders were in post before the reform.
        let latest = if u.after_reform() { today - Duration::days(30) } else { REFORM_2025 - Duration::days(30) };
        let earliest = (hire + Duration::days(5 * 365)).max(date(2012, 1, 1));
        let stop = end.unwrap_or(today);
        let appointed = if earliest < latest.min(stop) {
            let term = if slot.post.starts_with("bi_thu") { date(2020, 10, 15) } else { date(2021, 6, 28) };
            if elected(slot.post) && rng.random_bool(0.6) && term > earliest && term < latest.min(stop) {
                term + Duration::days(rng.random_range(0..12))
            } else {
                earliest + Duration::days(rng.random_range(0..(latest.min(stop) - earliest).num_days().max(1)))
            }
        } else {
            latest.min(stop) - Duration::days(1)
        };
        let appointed = appointed.max(hire + Duration::days(365));
        if appointed >= stop {
            // Retired before taking up the post: an ordinary career at the unit.
            self.baseline(world, rng, &mut life);
            return life;
        }
        let post = |code: &'static str, on: NaiveDate| Post {
            code: code.into(),
            rank: post_rank(code),
            appointed_on: (!elected(code) || on == REFORM_2025).then_some(on),
            elected_on: elected(code).then_some(on).filter(|_| on != REFORM_2025),
        };
        let mut s = life.segs[0].clone();
        s.from = appointed;
        s.post = Some(post(slot.post, appointed));
        s.category = leader_category(slot.post, u, appointed);
        s.position = leader_position(slot.post, u);
        if lad.len() > 2 && rank != PostRank::Division {
            s.rank = lad.get(2).copied();
        }
        life.segs.push(s);
        plan_before(rng, &mut life.planned, leadership_programme(slot.post, appointed), appointed);
        if rank != PostRank::Division && is_cs_track(track) {
            plan_before(rng, &mut life.planned, "QLNN_CVC", appointed);
        }
        if appointed < REFORM_2025 && stop > REFORM_2025
            && let Some((unit, code)) = slot.after {
                let nu = &world.geo.units[unit];
                let mut s = life.segs.last().unwrap().clone();
                s.from = REFORM_2025;
                if unit != slot.unit || code != slot.post {
                    s.unit = unit;
                    s.post = Some(post(code, REFORM_2025));
                    s.position = leader_position(code, nu);
                    plan_before(rng, &mut life.planned, leadership_programme(code, REFORM_2025), REFORM_2025 + Duration::days(400));
                }
                s.category = leader_category(code, nu, REFORM_2025);
                life.segs.push(s);
            }
        self.baseline(world, rng, &mut life);
        self.leader_roles(world, rng, &mut life);
        life
    }

    /// Qualifications held before the training history, by track and post.
    fn baseline<R: Rng>(&self, world: &World, rng: &mut R, life: &mut Life) {
        let today = world.clock.today;
        let graduated = (life.hire - Duration::days(rng.random_range(30..700))).max(date(life.birth.year() + 19, 7, 1));
        let first = &life.segs[0];
        let position = life.segs.iter().map(|s| s.position).find(|p| !p.starts_with("LD_") && !p.starts_with("QL_")).unwrap_or(first.position);
        let field = field_for(rng, position);
        let old = life.birth.year() < 1980;
        let x: f64 = rng.random();
        let edu: Option<&'static str> = match life.track {
            T::TeacherMN => Some(if old { ["trung_cap", "cao_dang", "dai_hoc"][(x * 2.2) as usize] } else { ["cao_dang", "dai_hoc"][(x * 2.0) as usize] }),
            T::TeacherTH => Some(if old { ["trung_cap", "cao_dang", "dai_hoc", "dai_hoc"][(x * 4.0) as usize] } else { ["cao_dang", "dai_hoc", "dai_hoc", "dai_hoc"][(x * 4.0) as usize] }),
            T::TeacherTHCS => Some(if old && x < 0.4 || x < 0.1 { "cao_dang" } else { "dai_hoc" }),
            T::Nurse => Some(if old { ["trung_cap", "cao_dang", "dai_hoc"][(x * 2.5) as usize] } else { ["cao_dang", "cao_dang", "dai_hoc"][(x * 3.0) as usize] }),
            T::NonProfessional => [None, Some("so_cap"), Some("trung_cap"), Some("trung_cap"), Some("cao_dang")][(x * 5.0) as usize],
            T::CommuneCS | T::CommuneCadre => Some(if (old && x < 0.35) || x < 0.12 { "trung_cap" } else { "dai_hoc" }),
            T::SchoolSupport => Some(["trung_cap", "cao_dang", "dai_hoc"][(x * 3.0) as usize]),
            _ => Some("dai_hoc"),
        };
        if let Some(level) = edu {
            life.quals.push((Q::Education, level, Some(field), None, graduated));
        }
        let years_in = |rng: &mut R, lo: i64, hi: i64| graduated + Duration::days(rng.random_range(lo..hi) * 365 + rng.random_range(0..300));
        // Postgraduate degrees and medical specialities taken before the history.
        let higher = match life.track {
            T::Doctor => [None, Some("chuyen_khoa_1"), Some("chuyen_khoa_1"), Some("thac_si"), None][(rng.random::<f64>() * 5.0) as usize],
            T::College | T::PolSchool => Some("thac_si"),
            T::ProvincialCS if rng.random_bool(0.18) => Some("thac_si"),
            T::TeacherTHPT if rng.random_bool(0.1) => Some("thac_si"),
            _ if life.leader && rng.random_bool(0.35) => Some("thac_si"),
            _ => None,
        };
        if let Some(level) = higher {
            let on = years_in(rng, 4, 12);
            if on < date(2019, 1, 1) && on > life.hire {
                life.quals.push((Q::Education, level, Some(field), None, on));
                if level == "chuyen_khoa_1" && rng.random_bool(0.15) {
                    life.quals.push((Q::Education, "chuyen_khoa_2", Some("y_khoa"), None, on + Duration::days(5 * 365)));
                }
                if life.leader && level == "thac_si" && rng.random_bool(0.12) {
                    life.quals.push((Q::Education, "tien_si", Some(field), None, on + Duration::days(5 * 365)));
                }
            }
        }
        let top_rank = life.segs.iter().filter_map(|s| s.post.as_ref().map(|p| p.rank)).max();
        let cs = is_cs_track(life.track) || life.track == T::PolSchool;
        // Political theory.
        let llct = match top_rank {
            Some(PostRank::Province | PostRank::Department) => Some(if rng.random_bool(0.88) { "cao_cap" } else { "trung_cap" }),
            Some(PostRank::Division) => Some(if rng.random_bool(0.15) { "cao_cap" } else if rng.random_bool(0.85) { "trung_cap" } else { "so_cap" }),
            None if cs => [None, Some("so_cap"), Some("so_cap"), Some("trung_cap"), Some("trung_cap")][rng.random_range(0..5)],
            None => [None, None, None, Some("so_cap"), Some("so_cap"), Some("trung_cap")][rng.random_range(0..6)],
        };
        if let Some(l) = llct {
            life.quals.push((Q::PoliticalTheory, l, None, None, years_in(rng, 3, 15)));
        }
        // State management, mostly before the history.
        let sm = match top_rank {
            Some(PostRank::Province) => Some("chuyen_vien_cao_cap"),
            Some(PostRank::Department) => Some(if rng.random_bool(0.3) { "chuyen_vien_cao_cap" } else { "chuyen_vien_chinh" }),
            Some(PostRank::Division) if cs => Some(if rng.random_bool(0.4) { "chuyen_vien_chinh" } else { "chuyen_vien" }),
            _ if cs && rng.random_bool(0.7) => Some("chuyen_vien"),
            _ => None,
        };
        if let Some(l) = sm {
            life.quals.push((Q::StateManagement, l, None, None, years_in(rng, 2, 14)));
        }
        // Foreign language: old A/B certificates mapped to levels; leaders
        // under 40 more often at level 4.
        let young = age_on(life.birth, today) < 40;
        // Shares of: none, level 1, 2, 3, 4, 5.
        let fl_probs: [f64; 6] = if life.leader {
            if young { [0.05, 0.05, 0.3, 0.45, 0.12, 0.03] } else { [0.08, 0.07, 0.35, 0.4, 0.08, 0.02] }
        } else if is_teacher(life.track) && rng.random_bool(0.08) {
            [0.0, 0.0, 0.0, 0.1, 0.5, 0.4] // English teachers
        } else if cs {
            [0.12, 0.08, 0.4, 0.32, 0.07, 0.01]
        } else {
            [0.3, 0.1, 0.35, 0.2, 0.04, 0.01]
        };
        let mut x: f64 = rng.random();
        for (lvl, p) in fl_probs.iter().enumerate() {
            if x < *p {
                if lvl > 0 {
                    life.quals.push((Q::ForeignLanguage, ["1", "2", "3", "4", "5", "6"][lvl - 1], None, Some("en"), years_in(rng, 0, 10)));
                }
                break;
            }
            x -= p;
        }
        if rng.random_bool(if cs || life.leader { 0.8 } else { 0.6 }) {
            let level = if rng.random_bool(0.12) { "nang_cao" } else { "co_ban" };
            life.quals.push((Q::It, level, None, None, years_in(rng, 0, 8)));
        }
        if cs && rng.random_bool(0.45) || life.leader && rng.random_bool(0.6) {
            let level = if life.leader || rng.random_bool(0.3) { "doi_tuong_3" } else { "doi_tuong_4" };
            life.quals.push((Q::DefenceSecurity, level, None, None, years_in(rng, 2, 12)));
        }
        let minority = world.geo.units[first.unit].minority;
        if life.ethnicity == Ethnicity::KHMER && rng.random_bool(0.7) || minority && rng.random_bool(0.12) {
            life.quals.push((Q::MinorityLanguage, "giao_tiep", None, Some("khmer"), years_in(rng, 0, 10)));
        }
        if matches!(top_rank, Some(PostRank::Department | PostRank::Province)) && rng.random_bool(0.5) {
            let level = if life.segs.iter().any(|s| s.position == "LD_HUYEN") { "cap_huyen" } else { "cap_so" };
            life.quals.push((Q::Leadership, level, None, None, years_in(rng, 8, 16)));
        }
        if let Some(code) = life.segs[0].rank.filter(|_| rng.random_bool(0.25))
            && code.starts_with("V.0") {
                life.quals.push((Q::TitleStandard, "dat", Some(code_static(code)), None, years_in(rng, 3, 10)));
            }
        // Nothing from the future, nothing before graduating.
        life.quals.retain(|q| q.4 <= today && q.4 >= graduated);
    }

    fn staff_roles<R: Rng>(&mut self, world: &World, rng: &mut R, life: &mut Life) {
        let today = world.clock.today;
        let on = date(2021, 5, 23);
        // People's Council delegates among commune and district staff.
        if let Some(seg) = life.seg_on(on) {
            let u = &world.geo.units[seg.unit];
            let level = match (life.track, u.role) {
                (T::CommuneCadre, _) if rng.random_bool(0.35) => Some(UnitLevel::Commune),
                (T::CommuneCS, _) if rng.random_bool(0.06) => Some(UnitLevel::Commune),
                (T::DistrictCS | T::MassCadre, Role::District | Role::DistrictParty) if rng.random_bool(0.04) => Some(UnitLevel::District),
                (T::ProvincialCS | T::MassCadre, _) if rng.random_bool(0.004) => Some(UnitLevel::Province),
                _ => None,
            };
            if let Some(level) = level {
                delegate(life, level, today, rng);
            }
        }
        // Party cell secretaries.
        if rng.random_bool(0.045) {
            let from = life.hire + Duration::days(rng.random_range(4 * 365..15 * 365));
            if from < life.end.unwrap_or(today).min(today) {
                let to = if rng.random_bool(0.3) { Some(from + Duration::days(rng.random_range(700..1900))) } else { None };
                let to = match (to, life.end) {
                    (Some(t), Some(e)) => Some(t.min(e)),
                    (t, e) => t.or(e),
                };
                let to = to.filter(|t| *t > from);
                life.roles.push((Validity { from, to }, PersonRole { person_id: 0, kind: RoleKind::PartyCellSecretary, term: None, level: None, post: None, approved_on: Some(from) }));
            }
        }
        // Some heads of division are planned for department posts.
        if let Some(s) = life.segs.iter().find(|s| s.post.is_some())
            && rng.random_bool(0.3) {
                succession(life, s.from, "pho_giam_doc_so", UnitLevel::Province, today, rng);
            }
    }

    fn leader_roles<R: Rng>(&mut self, world: &World, rng: &mut R, life: &mut Life) {
        let today = world.clock.today;
        let stop = life.end.unwrap_or(today);
        let posted: Vec<Seg> = life.segs.iter().filter(|s| s.post.is_some()).cloned().collect();
        let Some(first) = posted.first() else { return };
        let top = posted.iter().map(|s| s.post.as_ref().unwrap().rank).max().unwrap();
        let code = first.post.as_ref().unwrap().code.clone();
        // Managed by the Provincial Party Standing Committee: department rank and up.
        if top >= PostRank::Department {
            let from = posted.iter().find(|s| s.post.as_ref().unwrap().rank >= PostRank::Department).unwrap().from;
            life.roles.push((Validity { from, to: life.end }, PersonRole { person_id: 0, kind: RoleKind::StandingCommitteeManaged, term: None, level: Some(UnitLevel::Province), post: None, approved_on: Some(from) }));
        }
        // Provincial party executive committee, term 2020-2025 and the next.
        let executive = top == PostRank::Province || (top == PostRank::Department && (!code.starts_with("pho_") && rng.random_bool(0.6)));
        if executive {
            let (a, b) = (date(2020, 10, 15), date(2025, 10, 10));
            if life.seg_on(a).is_some() {
                life.roles.push((Validity { from: a, to: Some(b.min(stop)) }, PersonRole { person_id: 0, kind: RoleKind::PartyExecutiveMember, term: Some("2020-2025".into()), level: Some(UnitLevel::Province), post: None, approved_on: Some(a) }));
            }
            if b < today && life.seg_on(b).is_some() && rng.random_bool(0.6) {
                life.roles.push((Validity { from: b, to: life.end }, PersonRole { person_id: 0, kind: RoleKind::PartyExecutiveMember, term: Some("2025-2030".into()), level: Some(UnitLevel::Province), post: None, approved_on: Some(b) }));
            }
        }
        // People's Council delegates.
        let u = &world.geo.units[first.unit];
        let level = match u.role {
            Role::Ubnd | Role::ProvincialParty => Some(UnitLevel::Province),
            Role::Department | Role::PartyBoard if rng.random_bool(if code.starts_with("pho_") { 0.15 } else { 0.4 }) => Some(UnitLevel::Province),
            Role::District | Role::DistrictParty => Some(UnitLevel::District),
            Role::Commune | Role::CommuneParty => Some(UnitLevel::Commune),
            _ => None,
        };
        if let Some(level) = level
            && life.seg_on(date(2021, 5, 23)).is_some() {
                delegate(life, level, today, rng);
            }
        // Succession planning for the next post up.
        if rng.random_bool(0.4) {
            let planned = match code.as_str() {
                "pho_chu_tich_ubnd_tinh" | "pho_bi_thu_tinh_uy" | "giam_doc_so" | "truong_ban" => Some(("pho_chu_tich_ubnd_tinh", UnitLevel::Province)),
                "pho_giam_doc_so" | "pho_truong_ban" | "chu_tich_ubnd_huyen" | "pho_chu_tich_ubnd_huyen" | "bi_thu_huyen_uy" => Some(("giam_doc_so", UnitLevel::Province)),
                "pho_hieu_truong" => Some(("hieu_truong", UnitLevel::Commune)),
                "pho_giam_doc_benh_vien" => Some(("giam_doc_benh_vien", UnitLevel::Province)),
                "pho_chu_tich_ubnd_xa" | "chu_tich_hdnd_xa" => Some(("chu_tich_ubnd_xa", UnitLevel::Commune)),
                "chu_tich_ubnd_xa" | "bi_thu_dang_uy_xa" => Some(("pho_giam_doc_so", UnitLevel::Province)),
                _ => None,
            };
            if let Some((post, level)) = planned {
                succession(life, first.from, post, level, today, rng);
            }
        }
    }

    fn identity<R: Rng>(&mut self, rng: &mut R, zone: u8, birth: NaiveDate, sex: Sex) -> String {
        let home = if zone == 0 { 72 } else { 80 };
        let province = if rng.random_bool(0.82) { home } else if rng.random_bool(0.3) { 152 - home } else { OTHER_PROVINCES[rng.random_range(0..OTHER_PROVINCES.len())] };
        let century_sex = match (birth.year() >= 2000, sex) {
            (false, Sex::Male) => 0,
            (false, Sex::Female) => 1,
            (true, Sex::Male) => 2,
            (true, Sex::Female) => 3,
        };
        let yy = (birth.year() % 100) as u32;
        let key = (province as u32) * 1000 + century_sex * 100 + yy;
        let n = self.serials.entry(key).or_insert(0);
        *n += 1;
        // An affine bijection of 0..10^6 spreads the serials over the range.
        let serial = (u64::from(*n) * 7919 + u64::from(key) * 104_729) % 1_000_000;
        format!("{province:03}{century_sex}{yy:02}{serial:06}")
    }

    fn emit(&mut self, world: &World, rng: &mut ChaCha8Rng, person_id: i64, mut life: Life, out: &mut VecDeque<BulkRow>) {
        let clock = world.clock;
        let today = clock.today;
        let zone = world.geo.units[life.segs[0].unit].zone;
        let (family_name, middle_name, given_name) = names::person_name(rng, life.sex, life.ethnicity);
        let details = PersonDetails { identity_number: self.identity(rng, zone, life.birth, life.sex), family_name, middle_name, given_name, birth_date: life.birth, sex: life.sex, ethnicity: life.ethnicity };
        let recorded = clock.at(rng, life.hire);
        // A few records were corrected after the migration: a mistyped birth date.
        if rng.random_bool(0.003) {
            let wrong = PersonDetails { birth_date: life.birth + Duration::days(rng.random_range(1..40)), ..details.clone() };
            let fixed = clock.late(rng, life.hire, 60, 900);
            if fixed > recorded {
                out.push_back(BulkRow { id: person_id, valid: Validity::since(wrong.birth_date), fact: Fact::Person(wrong), recorded_at: recorded, superseded_at: Some(fixed) });
                out.push_back(BulkRow { id: person_id, valid: Validity::since(life.birth), fact: Fact::Person(details), recorded_at: fixed, superseded_at: None });
            } else {
                out.push_back(BulkRow { id: person_id, valid: Validity::since(life.birth), fact: Fact::Person(details), recorded_at: recorded, superseded_at: None });
            }
        } else {
            out.push_back(BulkRow { id: person_id, valid: Validity::since(life.birth), fact: Fact::Person(details), recorded_at: recorded, superseded_at: None });
        }

        // Employment periods (consecutive segments that changed nothing merge).
        let end = life.end;
        life.segs.dedup_by(|b, a| a.unit == b.unit && a.category == b.category && a.rank == b.rank && a.position == b.position && a.post == b.post);
        for i in 0..life.segs.len() {
            let s = &life.segs[i];
            let to = life.segs.get(i + 1).map(|n| n.from).or(end);
            let valid = Validity { from: s.from, to };
            if valid.is_empty() || s.from > today {
                continue;
            }
            let unit = &world.geo.units[s.unit];
            let e = Employment {
                person_id,
                unit_id: unit.id,
                category: s.category,
                rank: s.rank.map(Into::into),
                job_position_id: Some(world.positions.id(s.position)),
                post: s.post.clone(),
                minority_area: unit.minority,
            };
            self.employment_id += 1;
            if matches!(s.category, Category::CommuneCadre | Category::CommuneCivilServant) {
                // The law set the end of these categories: never recorded open-ended.
                let recorded_at = clock.at(rng, valid.from);
                out.push_back(BulkRow { id: self.employment_id, valid, fact: Fact::Employment(e), recorded_at, superseded_at: None });
            } else {
                history_rows(&clock, rng, self.employment_id, valid, Fact::Employment(e), out);
            }
        }

        for (valid, mut role) in std::mem::take(&mut life.roles) {
            if valid.is_empty() || valid.from > today {
                continue;
            }
            role.person_id = person_id;
            self.role_id += 1;
            history_rows(&clock, rng, self.role_id, valid, Fact::Role(role), out);
        }

        let mut held = Held::default();
        life.quals.sort_by_key(|q| q.4);
        for (kind, level, field, language, on) in std::mem::take(&mut life.quals) {
            held.add(kind, level);
            let q = Qualification { person_id, kind, level: level.into(), field: field.map(Into::into), language: language.map(Into::into), obtained_on: on, evidence: None, enrolment_id: None };
            self.qualification_id += 1;
            let rec = clock.at(rng, on);
            let x: f64 = rng.random();
            if x < 0.003 && kind == Q::ForeignLanguage {
                // Entered one level too high, corrected after a review.
                let wrong = Qualification { level: ((level.as_bytes()[0] - b'0') + 1).to_string(), ..q.clone() };
                let fixed = clock.late(rng, on, 90, 700);
                if fixed > rec {
                    out.push_back(BulkRow { id: self.qualification_id, valid: Validity::since(on), fact: Fact::Qualification(wrong), recorded_at: rec, superseded_at: Some(fixed) });
                    out.push_back(BulkRow { id: self.qualification_id, valid: Validity::since(on), fact: Fact::Qualification(q), recorded_at: fixed, superseded_at: None });
                    continue;
                }
            }
            // Some certificates are reported long after they were obtained.
            let rec = if x > 0.99 { clock.late(rng, on, 180, 900).max(rec) } else { rec };
            out.push_back(BulkRow { id: self.qualification_id, valid: Validity::since(on), fact: Fact::Qualification(q), recorded_at: rec, superseded_at: None });
        }

        self.training(world, rng, person_id, &life, &mut held, out);
    }

    /// The training history since 2019: yearly programmes by group, and those
    /// planned for promotions and appointments.
    fn training(&mut self, world: &World, rng: &mut ChaCha8Rng, person_id: i64, life: &Life, held: &mut Held, out: &mut VecDeque<BulkRow>) {
        let today = world.clock.today;
        let first_year = 2019.max(life.hire.year() + 1);
        let last_year = match life.end {
            Some(e) => e.year() - 1,
            None => today.year() + 1,
        };
        let mut wishes: Vec<(&'static str, i32)> = Vec::new();
        let delegate = life.roles.iter().any(|r| r.1.kind == RoleKind::CouncilDelegate);
        for year in first_year..=last_year {
            let mid = date(year, 6, 30).min(today).max(life.hire);
            let Some(seg) = life.seg_on(mid) else { continue };
            let u = &world.geo.units[seg.unit];
            let track = if life.leader { track_of_unit(u.role) } else { life.track };
            let age = year - life.birth.year();
            let next = year > today.year();
            // Next year's plan is thinner: only half a year is planned.
            // RATE tunes the whole history to about ten enrolments a person.
            let f = if next { 0.5 * RATE } else { RATE };
            let mut want = |code: &'static str, p: f64, rng: &mut ChaCha8Rng| {
                if rng.random_bool((p * f).min(1.0)) {
                    wishes.push((code, year));
                }
            };
            let health = matches!(track, T::Doctor | T::Nurse);
            if is_teacher(track) {
                if year >= 2020 {
                    want("BDTX_GV", 0.8, rng);
                }
                want("DD_VC", 0.22, rng);
                if !held.title && (2021..=2025).contains(&year) {
                    let code = match track {
                        T::TeacherMN => "CDNN_MN",
                        T::TeacherTH => "CDNN_TH",
                        T::TeacherTHCS => "CDNN_THCS",
                        _ => "CDNN_THPT",
                    };
                    want(code, 0.25, rng);
                }
                let need = match track {
                    T::TeacherMN => 3,
                    T::TeacherTHPT => 0,
                    _ => 4,
                };
                if held.edu < need && year >= 2020 {
                    want("DH_SP", 0.3, rng);
                }
            } else if health {
                want("CME", 0.75, rng);
                want("DD_VC", 0.22, rng);
                if !held.title {
                    want(if track == T::Doctor && life.track != T::Nurse { "CDNN_BS" } else { "CDNN_DD" }, 0.12, rng);
                }
                if life.track == T::Doctor && held.edu == 4 && age < 50 {
                    want("CK1", 0.06, rng);
                } else if life.track == T::Doctor && held.edu == 5 && age < 52 {
                    want("CK2", 0.02, rng);
                }
                if life.track == T::Nurse && held.edu < 4 && age < 40 {
                    want("DH_YK", 0.01, rng);
                }
            } else if track == T::NonProfessional {
                want("KCT", 0.48, rng);
                want("PL_CN", 0.15, rng);
            } else if is_cs_track(track) {
                want("PL_CN", 0.4, rng);
                want("KN_CV", 0.3, rng);
                if held.sm == 0 {
                    want("QLNN_CV", 0.3, rng);
                }
                if held.llct < 2 {
                    want("LLCT_TC", 0.08, rng);
                }
                if held.qpan < 2 {
                    want("QPAN_3", 0.08, rng);
                }
                if held.edu == 4 && age < 45 {
                    let code = match seg.position {
                        "CV_PHAP_CHE" | "THANH_TRA" | "XA_TU_PHAP" => "THS_LUAT",
                        "CV_CNTT" => "THS_CNTT",
                        "CV_NONG_NGHIEP" | "CV_DAT_DAI" => "THS_NN",
                        "CV_GIAO_DUC" => "THS_GD",
                        "CV_KHDT" | "CV_NGAN_SACH" => "THS_KT",
                        _ => "THS_QLC",
                    };
                    want(code, 0.025, rng);
                }
                if matches!(u.role, Role::Commune | Role::CommuneParty) {
                    want("CM_XA", 0.35, rng);
                    if held.edu < 4 && age < 50 {
                        want("DH_LUAT", 0.12, rng);
                    }
                }
                match seg.position {
                    "CV_CNTT" => want("ATTT", 0.5, rng),
                    "VAN_THU" => want("VT_LT", 0.3, rng),
                    _ => {}
                }
                if year == 2025 {
                    want("CQ2C", 0.7, rng);
                }
            } else {
                want("DD_VC", 0.35, rng);
                want("KN_CV", 0.2, rng);
                want("PL_CN", 0.12, rng);
                if seg.position == "VAN_THU" {
                    want("VT_LT", 0.2, rng);
                }
                if matches!(track, T::College | T::PolSchool) && held.edu < 6 && age < 45 {
                    want(if track == T::PolSchool { "THS_QLC" } else { "THS_GD" }, 0.03, rng);
                }
                if track == T::PolSchool && held.llct < 3 {
                    want("LLCT_CC", 0.1, rng);
                }
            }
            // Common to all groups.
            if year >= 2022 {
                want("CDS", if is_cs_track(track) { 0.25 } else { 0.12 }, rng);
            }
            if held.it == 0 {
                want("TH_CB", 0.05, rng);
            } else if held.it == 1 && seg.position == "CV_CNTT" {
                want("TH_NC", 0.2, rng);
            }
            match held.fl {
                0 | 1 => want("NN_A2", 0.03, rng),
                2 => want("NN_B1", if life.leader { 0.08 } else { 0.04 }, rng),
                3 => want("NN_B2", if life.leader && age < 40 { 0.03 } else if life.leader { 0.015 } else { 0.005 }, rng),
                4 => want("NN_C1", 0.003, rng),
                _ => {}
            }
            if held.qpan == 0 && !is_cs_track(track) {
                want("QPAN_4", 0.05, rng);
            }
            if u.minority {
                if !held.khmer && life.ethnicity != Ethnicity::KHMER {
                    want("KHMER", 0.12, rng);
                }
                want("KT_DAN_TOC", 0.05, rng);
            } else if seg.position == "CV_DAN_TOC" && !held.khmer {
                want("KHMER", 0.2, rng);
            }
            if held.llct == 0 {
                want("LLCT_SC", 0.04, rng);
            }
            if delegate && (2021..=2024).contains(&year) {
                want("HDND", [0.45, 0.3, 0.2, 0.15][(year - 2021) as usize], rng);
            }
            if life.leader {
                let rank = seg.post.as_ref().map(|p| p.rank);
                if held.llct < 3 && rank >= Some(PostRank::Department) {
                    want("LLCT_CC", 0.12, rng);
                }
                if held.sm < 2 && is_cs_track(track) {
                    want("QLNN_CVC", 0.08, rng);
                }
                if held.sm < 3 && rank >= Some(PostRank::Department) {
                    want("QLNN_CVCC", 0.08, rng);
                }
                if age < 45 && (2023..=2026).contains(&year) && rank.is_some() {
                    want("NN_NGOAI", 0.004, rng);
                }
                if held.edu == 5 && rank >= Some(PostRank::Department) && age < 50 {
                    want(if rng.random_bool(0.5) { "TS_KT" } else { "TS_QLC" }, 0.01, rng);
                }
                if matches!(seg.position, "LD_XA") && year == 2025 {
                    want("LD_XA", 0.5, rng);
                }
            }
        }
        for &(code, year) in &life.planned {
            if year >= first_year && year <= last_year {
                wishes.push((code, year));
            }
        }
        // Year by year, in a shuffled order within the year.
        wishes.sort_by_key(|w| w.1);
        let mut i = 0;
        while i < wishes.len() {
            let j = wishes[i..].iter().position(|w| w.1 != wishes[i].1).map_or(wishes.len(), |k| i + k);
            for k in (i + 1..j).rev() {
                let r = rng.random_range(i..=k);
                wishes.swap(k, r);
            }
            i = j;
        }
        let mut taken: Vec<(&'static str, i32)> = Vec::new();
        for (code, year) in wishes {
            let prog = world.prog(code);
            let p = &world.progs[prog];
            // Once-only programmes are not repeated; yearly ones once a year.
            let once = p.grant.is_some() || matches!(p.topic, nangluc_core::training::Topic::Leadership | nangluc_core::training::Topic::CouncilSkills);
            if taken.iter().any(|t| t.0 == code && (once || t.1 == year)) {
                continue;
            }
            if let Some((kind, level, _, _)) = p.grant {
                let have = match kind {
                    Q::MinorityLanguage => held.khmer,
                    Q::TitleStandard => held.title,
                    _ => {
                        let need = Level::from_code(kind, level).map_or(0, |l| l.rank);
                        let h = match kind {
                            Q::Education => held.edu,
                            Q::ForeignLanguage => held.fl,
                            Q::It => held.it,
                            Q::PoliticalTheory => held.llct,
                            Q::StateManagement => held.sm,
                            Q::Leadership => held.lead,
                            Q::DefenceSecurity => held.qpan,
                            _ => 0,
                        };
                        h >= need
                    }
                };
                if have {
                    continue;
                }
            }
            let Some(mid) = life.seg_on(date(year, 6, 30).min(today).max(life.hire)) else { continue };
            let zone = world.geo.units[mid.unit].zone;
            let Some(seat) = self.classes.seat(world, rng, prog, year, zone, out) else { continue };
            // Only while employed: the unit at the start sends the learner.
            let Some(at_start) = life.seg_on(seat.starts.min(today)) else { continue };
            if seat.ends > life.end.unwrap_or(seat.ends) {
                continue;
            }
            taken.push((code, year));
            self.enrolment_id += 1;
            let unit_id = world.geo.units[at_start.unit].id;
            let outcome = training::enrol(world, rng, self.enrolment_id, &mut self.qualification_id, person_id, prog, &seat, unit_id, out);
            if outcome.completed_on.is_some()
                && let Some((kind, level, _, _)) = p.grant {
                    held.add(kind, level);
                }
        }
    }
}

/// A rank code as a static string (the ladder's codes are static already).
fn code_static(code: &'static str) -> &'static str {
    code
}

/// Plans a programme before a dated event: mostly the year before, sometimes
/// the same year or the year after (then the standard is met late).
fn plan_before<R: Rng>(rng: &mut R, planned: &mut Vec<(&'static str, i32)>, code: &'static str, event: NaiveDate) {
    let x: f64 = rng.random();
    let year = if x < 0.7 { event.year() - 1 } else if x < 0.85 { event.year() - 2 } else { event.year() + 1 };
    planned.push((code, year));
}

fn delegate<R: Rng>(life: &mut Life, level: UnitLevel, today: NaiveDate, rng: &mut R) {
    let elected = date(2021, 5, 23);
    let next = date(2026, 3, 15);
    let mut to = if level == UnitLevel::District { REFORM_2025 } else { next };
    if let Some(e) = life.end {
        to = to.min(e);
    }
    if to > elected {
        life.roles.push((Validity::between(elected, to), PersonRole { person_id: 0, kind: RoleKind::CouncilDelegate, term: Some("2021-2026".into()), level: Some(level), post: None, approved_on: Some(elected) }));
    }
    // Re-elected for 2026-2031 (district councils no longer exist).
    if level != UnitLevel::District && next <= today && life.end.is_none_or(|e| e > next) && rng.random_bool(0.55) {
        life.roles.push((Validity { from: next, to: life.end }, PersonRole { person_id: 0, kind: RoleKind::CouncilDelegate, term: Some("2026-2031".into()), level: Some(level), post: None, approved_on: Some(next) }));
    }
}

fn succession<R: Rng>(life: &mut Life, since: NaiveDate, post: &str, level: UnitLevel, today: NaiveDate, rng: &mut R) {
    let (term, approved) = if rng.random_bool(0.55) {
        ("2025-2030", date(2023, 3, 1) + Duration::days(rng.random_range(0..300)))
    } else {
        ("2026-2031", date(2025, 8, 1) + Duration::days(rng.random_range(0..300)))
    };
    let approved = approved.max(since + Duration::days(30));
    if approved > today || life.end.is_some_and(|e| e <= approved) {
        return;
    }
    life.roles.push((Validity { from: approved, to: life.end }, PersonRole { person_id: 0, kind: RoleKind::SuccessionPlanning, term: Some(term.into()), level: Some(level), post: Some(post.into()), approved_on: Some(approved) }));
}

/// Rows of a fact about a person: if it ended after go-live, the open row known
/// until the end was recorded, then the closed one.
fn history_rows<R: Rng>(clock: &crate::Clock, rng: &mut R, id: i64, valid: Validity, fact: Fact, out: &mut VecDeque<BulkRow>) {
    let opened = clock.at(rng, valid.from);
    if let Some(to) = valid.to.filter(|t| *t <= clock.today) {
        let closed = clock.at(rng, to);
        if opened < closed {
            out.push_back(BulkRow { id, valid: Validity::since(valid.from), fact: fact.clone(), recorded_at: opened, superseded_at: Some(closed) });
            out.push_back(BulkRow { id, valid, fact, recorded_at: closed, superseded_at: None });
            return;
        }
    }
    out.push_back(BulkRow { id, valid, fact, recorded_at: opened, superseded_at: None });
}
