//! The demo province: old Tỉnh Long An (80) and old Tỉnh Tây Ninh (72) until
//! 30/06/2025, then one Tỉnh Tây Ninh (80) with two levels of local government.
//!
//! The geography does not depend on the seed: every demo database describes the
//! same province, only the people differ.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use nangluc_core::employment::REFORM_2025;
use nangluc_core::unit::{Sector, UnitChange, UnitChangeKind, UnitKind, UnitLevel, UnitVersion};
use nangluc_core::Validity;

use crate::date;

/// What a unit is for the generator: decides who works there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Root,
    ProvincialParty,
    PartyBoard,
    Ubnd,
    Department,
    Council,
    MassOrg,
    PoliticalSchool,
    College,
    UpperSecondary,
    Hospital,
    ProvincialCentre,
    District,
    DistrictParty,
    DistrictHealth,
    DistrictCulture,
    Commune,
    CommuneParty,
    HealthStation,
    Kindergarten,
    Primary,
    LowerSecondary,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub id: i64,
    pub role: Role,
    /// 0: old Tây Ninh, 1: old Long An (for new units: where they sit).
    pub zone: u8,
    pub minority: bool,
    pub sector: Sector,
    pub key: String,
    pub versions: Vec<(Validity, UnitVersion)>,
    /// Where the staff go when the unit ends at the reform.
    pub reform_to: Vec<usize>,
    /// Whether this unit is the first predecessor of `reform_to[0]` (its head
    /// keeps the head post).
    pub primary: bool,
    /// Index into `Geography::districts` for district and commune units.
    pub district: Option<usize>,
}

impl Unit {
    pub fn from(&self) -> NaiveDate {
        self.versions[0].0.from
    }
    pub fn to(&self) -> Option<NaiveDate> {
        self.versions.last().unwrap().0.to
    }
    pub fn valid_on(&self, d: NaiveDate) -> bool {
        self.from() <= d && self.to().is_none_or(|t| d < t)
    }
    pub fn name(&self) -> &str {
        &self.versions.last().unwrap().1.name
    }
    /// Whether the unit exists before the reform (old or continuing).
    pub fn before_reform(&self) -> bool {
        self.from() < REFORM_2025
    }
    /// Whether the unit exists from the reform on (new or continuing).
    pub fn after_reform(&self) -> bool {
        self.to().is_none()
    }
}

pub struct DistrictInfo {
    pub unit: usize,
    pub short: &'static str,
    pub zone: u8,
    /// The new communes formed from its old communes.
    pub new_communes: Vec<usize>,
    /// New commune party committees, in the same order.
    pub new_parties: Vec<usize>,
}

pub struct Geography {
    pub units: Vec<Unit>,
    pub changes: Vec<UnitChange>,
    pub districts: Vec<DistrictInfo>,
    /// Departments of the new province by key.
    pub new_depts: HashMap<&'static str, usize>,
}

/// Units existed long before the data; the provinces were re-established in 1976.
pub fn founded() -> NaiveDate {
    date(1976, 1, 1)
}

struct DistrictDef {
    name: &'static str,
    short: &'static str,
    code: &'static str,
    /// 0 huyện, 1 thị xã, 2 thành phố.
    town: u8,
    /// Became a town on 1 Feb 2020 (Nghị quyết 865/NQ-UBTVQH14).
    upgraded_2020: bool,
    communes: &'static [&'static str],
    minority: &'static [&'static str],
    new_names: &'static [&'static str],
}

const TAY_NINH: &[DistrictDef] = &[
    DistrictDef { name: "Thành phố Tây Ninh", short: "Tây Ninh", code: "703", town: 2, upgraded_2020: false,
        communes: &["Phường 1", "Phường 2", "Phường 3", "Phường IV", "Phường Hiệp Ninh", "Phường Ninh Sơn", "Phường Ninh Thạnh", "Xã Bình Minh", "Xã Thạnh Tân", "Xã Tân Bình"],
        minority: &[], new_names: &["Phường Tân Ninh", "Phường Bình Minh", "Phường Ninh Thạnh"] },
    DistrictDef { name: "Huyện Tân Biên", short: "Tân Biên", code: "705", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Tân Biên", "Xã Tân Lập", "Xã Thạnh Bắc", "Xã Tân Bình", "Xã Thạnh Bình", "Xã Thạnh Tây", "Xã Hòa Hiệp", "Xã Tân Phong", "Xã Mỏ Công", "Xã Trà Vong"],
        minority: &["Xã Tân Lập", "Xã Hòa Hiệp", "Xã Thạnh Bắc", "Xã Tân Bình", "Xã Mỏ Công"], new_names: &[] },
    DistrictDef { name: "Huyện Tân Châu", short: "Tân Châu", code: "706", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Tân Châu", "Xã Tân Hà", "Xã Tân Đông", "Xã Tân Hội", "Xã Tân Hòa", "Xã Suối Ngô", "Xã Suối Dây", "Xã Tân Hiệp", "Xã Thạnh Đông", "Xã Tân Thành", "Xã Tân Phú", "Xã Tân Hưng"],
        minority: &["Xã Tân Hà", "Xã Tân Đông", "Xã Tân Hòa", "Xã Suối Ngô", "Xã Suối Dây"], new_names: &[] },
    DistrictDef { name: "Huyện Dương Minh Châu", short: "Dương Minh Châu", code: "707", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Dương Minh Châu", "Xã Suối Đá", "Xã Phan", "Xã Phước Ninh", "Xã Phước Minh", "Xã Bàu Năng", "Xã Chà Là", "Xã Cầu Khởi", "Xã Bến Củi", "Xã Lộc Ninh", "Xã Truông Mít"],
        minority: &["Xã Suối Đá"], new_names: &[] },
    DistrictDef { name: "Huyện Châu Thành", short: "Châu Thành", code: "708", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Châu Thành", "Xã Hảo Đước", "Xã Phước Vinh", "Xã Đồng Khởi", "Xã Thái Bình", "Xã An Cơ", "Xã Biên Giới", "Xã Hòa Thạnh", "Xã Trí Bình", "Xã Hòa Hội", "Xã An Bình", "Xã Thanh Điền", "Xã Thành Long", "Xã Ninh Điền", "Xã Long Vĩnh"],
        minority: &["Xã Biên Giới", "Xã Hòa Thạnh", "Xã Hòa Hội", "Xã Thành Long", "Xã Ninh Điền", "Xã Phước Vinh", "Xã Long Vĩnh"], new_names: &[] },
    DistrictDef { name: "Thị xã Hòa Thành", short: "Hòa Thành", code: "709", town: 1, upgraded_2020: true,
        communes: &["Phường Long Hoa", "Phường Hiệp Tân", "Phường Long Thành Bắc", "Phường Long Thành Trung", "Xã Trường Hòa", "Xã Trường Đông", "Xã Trường Tây", "Xã Long Thành Nam"],
        minority: &[], new_names: &["Phường Long Hoa", "Phường Hòa Thành"] },
    DistrictDef { name: "Huyện Gò Dầu", short: "Gò Dầu", code: "710", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Gò Dầu", "Xã Thạnh Đức", "Xã Cẩm Giang", "Xã Hiệp Thạnh", "Xã Bàu Đồn", "Xã Phước Thạnh", "Xã Phước Đông", "Xã Phước Trạch", "Xã Thanh Phước"],
        minority: &[], new_names: &[] },
    DistrictDef { name: "Huyện Bến Cầu", short: "Bến Cầu", code: "711", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Bến Cầu", "Xã Long Chữ", "Xã Long Phước", "Xã Long Giang", "Xã Tiên Thuận", "Xã Long Khánh", "Xã Lợi Thuận", "Xã Long Thuận", "Xã An Thạnh"],
        minority: &["Xã Long Phước", "Xã Long Khánh", "Xã Long Thuận", "Xã Tiên Thuận", "Xã Lợi Thuận"], new_names: &[] },
    DistrictDef { name: "Thị xã Trảng Bàng", short: "Trảng Bàng", code: "712", town: 1, upgraded_2020: true,
        communes: &["Phường Trảng Bàng", "Phường An Tịnh", "Phường Lộc Hưng", "Phường Gia Bình", "Phường Gia Lộc", "Phường An Hòa", "Xã Hưng Thuận", "Xã Đôn Thuận", "Xã Phước Chỉ", "Xã Phước Bình"],
        minority: &["Xã Phước Chỉ", "Xã Phước Bình"], new_names: &["Phường Trảng Bàng", "Phường An Tịnh", "Phường Gia Lộc"] },
];

const LONG_AN: &[DistrictDef] = &[
    DistrictDef { name: "Thành phố Tân An", short: "Tân An", code: "794", town: 2, upgraded_2020: false,
        communes: &["Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Phường 6", "Phường 7", "Phường Tân Khánh", "Phường Khánh Hậu", "Xã Hướng Thọ Phú", "Xã Nhơn Thạnh Trung", "Xã Lợi Bình Nhơn", "Xã Bình Tâm", "Xã An Vĩnh Ngãi"],
        minority: &[], new_names: &["Phường Long An", "Phường Tân An", "Phường Khánh Hậu"] },
    DistrictDef { name: "Thị xã Kiến Tường", short: "Kiến Tường", code: "795", town: 1, upgraded_2020: false,
        communes: &["Phường 1", "Phường 2", "Phường 3", "Xã Thạnh Trị", "Xã Bình Hiệp", "Xã Bình Tân", "Xã Tuyên Thạnh", "Xã Thạnh Hưng"],
        minority: &["Xã Bình Hiệp"], new_names: &["Phường Kiến Tường"] },
    DistrictDef { name: "Huyện Tân Hưng", short: "Tân Hưng", code: "796", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Tân Hưng", "Xã Hưng Hà", "Xã Hưng Điền B", "Xã Hưng Điền", "Xã Thạnh Hưng", "Xã Hưng Thạnh", "Xã Vĩnh Thạnh", "Xã Vĩnh Châu B", "Xã Vĩnh Lợi", "Xã Vĩnh Đại", "Xã Vĩnh Châu A", "Xã Vĩnh Bửu"],
        minority: &["Xã Hưng Hà", "Xã Hưng Điền B", "Xã Hưng Điền"], new_names: &[] },
    DistrictDef { name: "Huyện Vĩnh Hưng", short: "Vĩnh Hưng", code: "797", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Vĩnh Hưng", "Xã Hưng Điền A", "Xã Khánh Hưng", "Xã Thái Trị", "Xã Vĩnh Trị", "Xã Thái Bình Trung", "Xã Vĩnh Bình", "Xã Vĩnh Thuận", "Xã Tuyên Bình", "Xã Tuyên Bình Tây"],
        minority: &["Xã Hưng Điền A", "Xã Khánh Hưng", "Xã Thái Trị", "Xã Thái Bình Trung"], new_names: &[] },
    DistrictDef { name: "Huyện Mộc Hóa", short: "Mộc Hóa", code: "798", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Bình Phong Thạnh", "Xã Bình Hòa Đông", "Xã Bình Hòa Tây", "Xã Bình Hòa Trung", "Xã Bình Thạnh", "Xã Tân Lập", "Xã Tân Thành"],
        minority: &["Xã Bình Hòa Tây", "Xã Bình Thạnh"], new_names: &[] },
    DistrictDef { name: "Huyện Tân Thạnh", short: "Tân Thạnh", code: "799", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Tân Thạnh", "Xã Bắc Hòa", "Xã Hậu Thạnh Tây", "Xã Nhơn Hòa Lập", "Xã Tân Lập", "Xã Hậu Thạnh Đông", "Xã Nhơn Hòa", "Xã Kiến Bình", "Xã Tân Thành", "Xã Tân Bình", "Xã Tân Ninh", "Xã Nhơn Ninh", "Xã Tân Hòa"],
        minority: &[], new_names: &[] },
    DistrictDef { name: "Huyện Thạnh Hóa", short: "Thạnh Hóa", code: "800", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Thạnh Hóa", "Xã Tân Hiệp", "Xã Thuận Bình", "Xã Thạnh Phước", "Xã Thạnh Phú", "Xã Thuận Nghĩa Hòa", "Xã Thủy Đông", "Xã Thủy Tây", "Xã Tân Tây", "Xã Tân Đông", "Xã Thạnh An"],
        minority: &[], new_names: &[] },
    DistrictDef { name: "Huyện Đức Huệ", short: "Đức Huệ", code: "801", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Đông Thành", "Xã Mỹ Quý Đông", "Xã Mỹ Thạnh Bắc", "Xã Mỹ Quý Tây", "Xã Mỹ Thạnh Tây", "Xã Mỹ Thạnh Đông", "Xã Bình Thành", "Xã Bình Hòa Bắc", "Xã Bình Hòa Hưng", "Xã Bình Hòa Nam", "Xã Mỹ Bình"],
        minority: &["Xã Mỹ Quý Tây", "Xã Mỹ Thạnh Tây", "Xã Bình Hòa Hưng"], new_names: &[] },
    DistrictDef { name: "Huyện Đức Hòa", short: "Đức Hòa", code: "802", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Hậu Nghĩa", "Thị trấn Hiệp Hòa", "Thị trấn Đức Hòa", "Xã Lộc Giang", "Xã An Ninh Đông", "Xã An Ninh Tây", "Xã Tân Mỹ", "Xã Hiệp Hòa", "Xã Đức Lập Thượng", "Xã Đức Lập Hạ", "Xã Tân Phú", "Xã Mỹ Hạnh Bắc", "Xã Đức Hòa Thượng", "Xã Hòa Khánh Tây", "Xã Hòa Khánh Đông", "Xã Mỹ Hạnh Nam", "Xã Hòa Khánh Nam", "Xã Đức Hòa Đông", "Xã Đức Hòa Hạ", "Xã Hựu Thạnh"],
        minority: &[], new_names: &[] },
    DistrictDef { name: "Huyện Bến Lức", short: "Bến Lức", code: "803", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Bến Lức", "Xã Thạnh Lợi", "Xã Lương Bình", "Xã Thạnh Hòa", "Xã Lương Hòa", "Xã Tân Hòa", "Xã Tân Bửu", "Xã An Thạnh", "Xã Bình Đức", "Xã Mỹ Yên", "Xã Thanh Phú", "Xã Long Hiệp", "Xã Thạnh Đức", "Xã Phước Lợi", "Xã Nhựt Chánh"],
        minority: &[], new_names: &[] },
    DistrictDef { name: "Huyện Thủ Thừa", short: "Thủ Thừa", code: "804", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Thủ Thừa", "Xã Long Thạnh", "Xã Tân Thành", "Xã Long Thuận", "Xã Mỹ Lạc", "Xã Mỹ Thạnh", "Xã Bình An", "Xã Nhị Thành", "Xã Mỹ An", "Xã Bình Thạnh", "Xã Mỹ Phú", "Xã Tân Long"],
        minority: &[], new_names: &[] },
    DistrictDef { name: "Huyện Tân Trụ", short: "Tân Trụ", code: "805", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Tân Trụ", "Xã Tân Bình", "Xã Quê Mỹ Thạnh", "Xã Lạc Tấn", "Xã Bình Trinh Đông", "Xã Tân Phước Tây", "Xã Bình Lãng", "Xã Bình Tịnh", "Xã Đức Tân", "Xã Nhựt Ninh"],
        minority: &[], new_names: &[] },
    DistrictDef { name: "Huyện Cần Đước", short: "Cần Đước", code: "806", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Cần Đước", "Xã Long Trạch", "Xã Long Khê", "Xã Long Định", "Xã Phước Vân", "Xã Long Hòa", "Xã Long Cang", "Xã Long Sơn", "Xã Tân Trạch", "Xã Mỹ Lệ", "Xã Tân Lân", "Xã Phước Tuy", "Xã Long Hựu Đông", "Xã Tân Ân", "Xã Phước Đông", "Xã Long Hựu Tây", "Xã Tân Chánh"],
        minority: &[], new_names: &[] },
    DistrictDef { name: "Huyện Cần Giuộc", short: "Cần Giuộc", code: "807", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Cần Giuộc", "Xã Phước Lý", "Xã Long Thượng", "Xã Long Hậu", "Xã Phước Hậu", "Xã Mỹ Lộc", "Xã Phước Lại", "Xã Phước Lâm", "Xã Thuận Thành", "Xã Phước Vĩnh Tây", "Xã Phước Vĩnh Đông", "Xã Long An", "Xã Long Phụng", "Xã Đông Thạnh", "Xã Tân Tập"],
        minority: &[], new_names: &[] },
    DistrictDef { name: "Huyện Châu Thành", short: "Châu Thành", code: "808", town: 0, upgraded_2020: false,
        communes: &["Thị trấn Tầm Vu", "Xã Bình Quới", "Xã Hòa Phú", "Xã Phú Ngãi Trị", "Xã Vĩnh Công", "Xã Thuận Mỹ", "Xã Hiệp Thạnh", "Xã Phước Tân Hưng", "Xã Thanh Phú Long", "Xã Dương Xuân Hội", "Xã An Lục Long", "Xã Long Trì", "Xã Thanh Vĩnh Đông"],
        minority: &[], new_names: &[] },
];

/// Provincial departments before the reform: key, name pattern, sector,
/// successor key, in which old provinces (bit 0 Tây Ninh, bit 1 Long An).
const OLD_DEPTS: &[(&str, &str, Sector, &str, u8)] = &[
    ("vp_ubnd", "Văn phòng Ủy ban nhân dân tỉnh {}", Sector::General, "vp_ubnd", 3),
    ("noi_vu", "Sở Nội vụ tỉnh {}", Sector::HomeAffairs, "noi_vu", 3),
    ("tu_phap", "Sở Tư pháp tỉnh {}", Sector::Justice, "tu_phap", 3),
    ("khdt", "Sở Kế hoạch và Đầu tư tỉnh {}", Sector::Finance, "tai_chinh", 3),
    ("tai_chinh", "Sở Tài chính tỉnh {}", Sector::Finance, "tai_chinh", 3),
    ("cong_thuong", "Sở Công Thương tỉnh {}", Sector::Industry, "cong_thuong", 3),
    ("nn_ptnt", "Sở Nông nghiệp và Phát triển nông thôn tỉnh {}", Sector::Agriculture, "nn_mt", 3),
    ("tn_mt", "Sở Tài nguyên và Môi trường tỉnh {}", Sector::Agriculture, "nn_mt", 3),
    ("gtvt", "Sở Giao thông vận tải tỉnh {}", Sector::Construction, "xay_dung", 3),
    ("xay_dung", "Sở Xây dựng tỉnh {}", Sector::Construction, "xay_dung", 3),
    ("tt_tt", "Sở Thông tin và Truyền thông tỉnh {}", Sector::Information, "kh_cn", 3),
    ("kh_cn", "Sở Khoa học và Công nghệ tỉnh {}", Sector::Science, "kh_cn", 3),
    ("ld_tbxh", "Sở Lao động - Thương binh và Xã hội tỉnh {}", Sector::HomeAffairs, "noi_vu", 3),
    ("vh_tt_dl", "Sở Văn hóa, Thể thao và Du lịch tỉnh {}", Sector::Culture, "vh_tt_dl", 3),
    ("gd_dt", "Sở Giáo dục và Đào tạo tỉnh {}", Sector::Education, "gd_dt", 3),
    ("y_te", "Sở Y tế tỉnh {}", Sector::Health, "y_te", 3),
    ("thanh_tra", "Thanh tra tỉnh {}", Sector::Justice, "thanh_tra", 3),
    ("ban_dan_toc", "Ban Dân tộc tỉnh {}", Sector::EthnicAffairs, "dan_toc_ton_giao", 1),
    ("ngoai_vu", "Sở Ngoại vụ tỉnh {}", Sector::General, "vp_ubnd", 1),
    ("bql_kkt", "Ban Quản lý Khu kinh tế tỉnh {}", Sector::Industry, "bql_kkt", 3),
];

const NEW_DEPTS: &[(&str, &str, Sector)] = &[
    ("vp_ubnd", "Văn phòng Ủy ban nhân dân tỉnh Tây Ninh", Sector::General),
    ("noi_vu", "Sở Nội vụ tỉnh Tây Ninh", Sector::HomeAffairs),
    ("tu_phap", "Sở Tư pháp tỉnh Tây Ninh", Sector::Justice),
    ("tai_chinh", "Sở Tài chính tỉnh Tây Ninh", Sector::Finance),
    ("cong_thuong", "Sở Công Thương tỉnh Tây Ninh", Sector::Industry),
    ("nn_mt", "Sở Nông nghiệp và Môi trường tỉnh Tây Ninh", Sector::Agriculture),
    ("xay_dung", "Sở Xây dựng tỉnh Tây Ninh", Sector::Construction),
    ("kh_cn", "Sở Khoa học và Công nghệ tỉnh Tây Ninh", Sector::Science),
    ("vh_tt_dl", "Sở Văn hóa, Thể thao và Du lịch tỉnh Tây Ninh", Sector::Culture),
    ("gd_dt", "Sở Giáo dục và Đào tạo tỉnh Tây Ninh", Sector::Education),
    ("y_te", "Sở Y tế tỉnh Tây Ninh", Sector::Health),
    ("thanh_tra", "Thanh tra tỉnh Tây Ninh", Sector::Justice),
    ("dan_toc_ton_giao", "Sở Dân tộc và Tôn giáo tỉnh Tây Ninh", Sector::EthnicAffairs),
    ("bql_kkt", "Ban Quản lý Khu kinh tế tỉnh Tây Ninh", Sector::Industry),
];

/// Party boards: key, name pattern, successor key.
const OLD_PARTY: &[(&str, &str, &str)] = &[
    ("vp_tu", "Văn phòng Tỉnh ủy {}", "vp_tu"),
    ("btc", "Ban Tổ chức Tỉnh ủy {}", "btc"),
    ("btg", "Ban Tuyên giáo Tỉnh ủy {}", "btg_dv"),
    ("bdv", "Ban Dân vận Tỉnh ủy {}", "btg_dv"),
    ("ubkt", "Ủy ban Kiểm tra Tỉnh ủy {}", "ubkt"),
    ("bnc", "Ban Nội chính Tỉnh ủy {}", "bnc"),
];
const NEW_PARTY: &[(&str, &str)] = &[
    ("vp_tu", "Văn phòng Tỉnh ủy Tây Ninh"),
    ("btc", "Ban Tổ chức Tỉnh ủy Tây Ninh"),
    ("btg_dv", "Ban Tuyên giáo và Dân vận Tỉnh ủy Tây Ninh"),
    ("ubkt", "Ủy ban Kiểm tra Tỉnh ủy Tây Ninh"),
    ("bnc", "Ban Nội chính Tỉnh ủy Tây Ninh"),
];

const OLD_MASS: &[(&str, &str)] = &[
    ("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {}"),
    ("doan", "Tỉnh đoàn {}"),
    ("hlhpn", "Hội Liên hiệp Phụ nữ tỉnh {}"),
    ("hnd", "Hội Nông dân tỉnh {}"),
];

/// Provincial public service units: key, name pattern, sector, parent
/// department key, role, successor key (`None`: the unit continues).
const OLD_PS: &[(&str, &str, Sector, &str, Role, Option<&str>)] = &[
    ("bv_dk", "Bệnh viện Đa khoa tỉnh {}", Sector::Health, "y_te", Role::Hospital, None),
    ("bv_yhct", "Bệnh viện Y dược cổ truyền tỉnh {}", Sector::Health, "y_te", Role::Hospital, None),
    ("bv_lao", "Bệnh viện Lao và Bệnh phổi tỉnh {}", Sector::Health, "y_te", Role::Hospital, None),
    ("cdc", "Trung tâm Kiểm soát bệnh tật tỉnh {}", Sector::Health, "y_te", Role::ProvincialCentre, Some("cdc")),
    ("cd", "Trường Cao đẳng {}", Sector::Education, "gd_dt", Role::College, None),
    ("ttvh", "Trung tâm Văn hóa - Nghệ thuật tỉnh {}", Sector::Culture, "vh_tt_dl", Role::ProvincialCentre, Some("ttvh")),
    ("tv", "Thư viện tỉnh {}", Sector::Culture, "vh_tt_dl", Role::ProvincialCentre, Some("tv")),
    ("dai", "Đài Phát thanh và Truyền hình {}", Sector::Information, "vp_ubnd", Role::ProvincialCentre, Some("bao_pt")),
    ("kn", "Trung tâm Khuyến nông tỉnh {}", Sector::Agriculture, "nn_ptnt", Role::ProvincialCentre, Some("dv_nn")),
    ("cntt", "Trung tâm Công nghệ thông tin và Truyền thông tỉnh {}", Sector::Information, "tt_tt", Role::ProvincialCentre, Some("cds")),
];
const NEW_PS: &[(&str, &str, Sector, &str)] = &[
    ("cdc", "Trung tâm Kiểm soát bệnh tật tỉnh Tây Ninh", Sector::Health, "y_te"),
    ("ttvh", "Trung tâm Văn hóa - Nghệ thuật tỉnh Tây Ninh", Sector::Culture, "vh_tt_dl"),
    ("tv", "Thư viện tỉnh Tây Ninh", Sector::Culture, "vh_tt_dl"),
    ("bao_pt", "Báo và Phát thanh, Truyền hình Tây Ninh", Sector::Information, "vp_ubnd"),
    ("dv_nn", "Trung tâm Dịch vụ nông nghiệp tỉnh Tây Ninh", Sector::Agriculture, "nn_mt"),
    ("cds", "Trung tâm Chuyển đổi số tỉnh Tây Ninh", Sector::Information, "kh_cn"),
];

const DECISION_PROVINCE: &str = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh";
const DECISION_COMMUNE: &str = "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp các đơn vị hành chính cấp xã của tỉnh Tây Ninh năm 2025";
const DECISION_DISTRICT: &str = "Luật Tổ chức chính quyền địa phương số 72/2025/QH15: kết thúc hoạt động của đơn vị hành chính cấp huyện từ ngày 01/7/2025";
const DECISION_DEPT: &str = "Quyết định của Ủy ban nhân dân tỉnh Tây Ninh về việc thành lập các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh";
const DECISION_PARTY: &str = "Quyết định của Bộ Chính trị về việc hợp nhất Đảng bộ tỉnh Long An và Đảng bộ tỉnh Tây Ninh";
const DECISION_PS: &str = "Quyết định của Ủy ban nhân dân tỉnh Tây Ninh về việc sắp xếp, tổ chức lại đơn vị sự nghiệp công lập";

fn short_of(commune: &str) -> &str {
    for p in ["Thị trấn ", "Phường ", "Xã "] {
        if let Some(s) = commune.strip_prefix(p) {
            return s;
        }
    }
    commune
}

struct Builder {
    units: Vec<Unit>,
    changes: Vec<UnitChange>,
}

#[allow(clippy::too_many_arguments)]
impl Builder {
    fn add(&mut self, role: Role, zone: u8, key: &str, code: String, name: String, level: UnitLevel, kind: UnitKind, sector: Sector, parent: Option<usize>, minority: bool, valid: Validity) -> usize {
        let idx = self.units.len();
        let version = UnitVersion { code, name, level, kind, sector, parent_id: parent.map(|p| p as i64 + 1), minority_area: minority };
        self.units.push(Unit { id: idx as i64 + 1, role, zone, minority, sector, key: key.to_string(), versions: vec![(valid, version)], reform_to: Vec::new(), primary: false, district: None });
        idx
    }

    fn old(&mut self, role: Role, zone: u8, key: &str, code: String, name: String, level: UnitLevel, kind: UnitKind, sector: Sector, parent: Option<usize>, minority: bool) -> usize {
        self.add(role, zone, key, code, name, level, kind, sector, parent, minority, Validity::between(founded(), REFORM_2025))
    }

    fn fresh(&mut self, role: Role, zone: u8, key: &str, code: String, name: String, level: UnitLevel, kind: UnitKind, sector: Sector, parent: Option<usize>, minority: bool) -> usize {
        self.add(role, zone, key, code, name, level, kind, sector, parent, minority, Validity::since(REFORM_2025))
    }

    /// A unit that continues through the reform with another parent (and maybe name).
    fn continuing(&mut self, role: Role, zone: u8, key: &str, code: String, name: String, level: UnitLevel, sector: Sector, parent_before: usize, parent_after: usize, new_name: Option<String>, minority: bool) -> usize {
        let idx = self.add(role, zone, key, code, name, level, UnitKind::PublicService, sector, Some(parent_before), minority, Validity::between(founded(), REFORM_2025));
        let mut v = self.units[idx].versions[0].1.clone();
        v.parent_id = Some(parent_after as i64 + 1);
        if let Some(n) = new_name {
            v.name = n;
        }
        if matches!(level, UnitLevel::District) {
            v.level = UnitLevel::Province;
        }
        self.units[idx].versions.push((Validity::since(REFORM_2025), v));
        idx
    }

    fn change(&mut self, from: usize, kind: UnitChangeKind, to: Option<usize>, decision: &str) {
        self.changes.push(UnitChange { unit_id: from as i64 + 1, kind, successor_id: to.map(|t| t as i64 + 1), date: REFORM_2025, decision: decision.to_string() });
    }

    fn merge(&mut self, from: usize, to: usize, decision: &str) {
        self.change(from, UnitChangeKind::MergedInto, Some(to), decision);
        self.units[from].reform_to = vec![to];
        let first = !self.units.iter().any(|u| u.primary && u.reform_to.first() == Some(&to));
        self.units[from].primary = first;
    }
}

impl Geography {
    pub fn build() -> Geography {
        use Role as R;
        use UnitKind as K;
        use UnitLevel as L;
        let mut b = Builder { units: Vec::new(), changes: Vec::new() };

        // The new province first: old units point at their successors.
        let root = b.fresh(R::Root, 1, "tinh", "80".into(), "Tỉnh Tây Ninh".into(), L::Province, K::State, Sector::General, None, false);
        let tu = b.fresh(R::ProvincialParty, 1, "tinh_uy", "80.TU".into(), "Tỉnh ủy Tây Ninh".into(), L::Province, K::Party, Sector::Politics, Some(root), false);
        let ubnd = b.fresh(R::Ubnd, 1, "ubnd", "80.UBND".into(), "Ủy ban nhân dân tỉnh Tây Ninh".into(), L::Province, K::State, Sector::General, Some(root), false);
        let hdnd = b.fresh(R::Council, 1, "hdnd", "80.HDND".into(), "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Tây Ninh".into(), L::Province, K::Council, Sector::General, Some(root), false);
        let mttq = b.fresh(R::MassOrg, 1, "mttq", "80.MTTQ".into(), "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Tây Ninh".into(), L::Province, K::MassOrganisation, Sector::General, Some(root), false);
        let school = b.fresh(R::PoliticalSchool, 1, "tct", "80.TCT".into(), "Trường Chính trị tỉnh Tây Ninh".into(), L::Province, K::PublicService, Sector::Politics, Some(tu), false);
        let mut new_party = HashMap::new();
        for (key, name) in NEW_PARTY {
            let i = b.fresh(R::PartyBoard, 1, key, format!("80.{}", key.to_uppercase()), name.to_string(), L::Province, K::Party, Sector::Politics, Some(tu), false);
            new_party.insert(*key, i);
        }
        let mut new_depts = HashMap::new();
        for (key, name, sector) in NEW_DEPTS {
            let i = b.fresh(R::Department, 1, key, format!("80.{}", key.to_uppercase()), name.to_string(), L::Province, K::State, *sector, Some(ubnd), false);
            new_depts.insert(*key, i);
        }
        let mut new_ps = HashMap::new();
        for (key, name, sector, parent) in NEW_PS {
            let parent = if *key == "bao_pt" { tu } else { new_depts[parent] };
            let i = b.fresh(R::ProvincialCentre, 1, key, format!("80.{}", key.to_uppercase()), name.to_string(), L::Province, K::PublicService, *sector, Some(parent), false);
            new_ps.insert(*key, i);
        }

        let mut districts = Vec::new();
        let mut used_names: HashSet<String> = HashSet::new();
        for (zone, (pcode, pname, defs)) in [("72", "Tây Ninh", TAY_NINH), ("80", "Long An", LONG_AN)].into_iter().enumerate() {
            let zone = zone as u8;
            let fmt = |p: &str| p.replace("{}", pname);
            let oroot = b.old(R::Root, zone, "tinh", pcode.into(), format!("Tỉnh {pname}"), L::Province, K::State, Sector::General, None, false);
            b.merge(oroot, root, DECISION_PROVINCE);
            let otu = b.old(R::ProvincialParty, zone, "tinh_uy", format!("{pcode}.TU"), format!("Tỉnh ủy {pname}"), L::Province, K::Party, Sector::Politics, Some(oroot), false);
            b.merge(otu, tu, DECISION_PARTY);
            let oubnd = b.old(R::Ubnd, zone, "ubnd", format!("{pcode}.UBND"), format!("Ủy ban nhân dân tỉnh {pname}"), L::Province, K::State, Sector::General, Some(oroot), false);
            b.merge(oubnd, ubnd, DECISION_PROVINCE);
            let ohdnd = b.old(R::Council, zone, "hdnd", format!("{pcode}.HDND"), format!("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh {pname}"), L::Province, K::Council, Sector::General, Some(oroot), false);
            b.merge(ohdnd, hdnd, DECISION_PROVINCE);
            for (key, name) in OLD_MASS {
                let i = b.old(R::MassOrg, zone, key, format!("{pcode}.{}", key.to_uppercase()), fmt(name), L::Province, K::MassOrganisation, Sector::General, Some(oroot), false);
                b.merge(i, mttq, DECISION_PARTY);
            }
            let school_name = if zone == 0 { "Trường Chính trị tỉnh Tây Ninh".to_string() } else { "Trường Chính trị Long An".to_string() };
            let oschool = b.old(R::PoliticalSchool, zone, "tct", format!("{pcode}.TCT"), school_name, L::Province, K::PublicService, Sector::Politics, Some(otu), false);
            b.merge(oschool, school, DECISION_PARTY);
            for (key, name, succ) in OLD_PARTY {
                let i = b.old(R::PartyBoard, zone, key, format!("{pcode}.{}", key.to_uppercase()), fmt(name), L::Province, K::Party, Sector::Politics, Some(otu), false);
                b.merge(i, new_party[succ], DECISION_PARTY);
            }
            let mut odepts = HashMap::new();
            for (key, name, sector, succ, mask) in OLD_DEPTS {
                if mask & (1 << zone) == 0 {
                    continue;
                }
                let i = b.old(R::Department, zone, key, format!("{pcode}.{}", key.to_uppercase()), fmt(name), L::Province, K::State, *sector, Some(oubnd), false);
                b.merge(i, new_depts[succ], DECISION_DEPT);
                odepts.insert(*key, i);
            }
            let mut ocult = oroot;
            for (key, name, sector, parent, role, succ) in OLD_PS {
                let code = format!("{pcode}.{}", key.to_uppercase());
                let i = match succ {
                    Some(s) => {
                        let i = b.old(*role, zone, key, code, fmt(name), L::Province, K::PublicService, *sector, Some(odepts[parent]), false);
                        b.merge(i, new_ps[s], DECISION_PS);
                        i
                    }
                    None => {
                        let new_parent = new_depts[OLD_DEPTS.iter().find(|d| d.0 == *parent).unwrap().3];
                        b.continuing(*role, zone, key, code, fmt(name), L::Province, *sector, odepts[parent], new_parent, None, false)
                    }
                };
                if *key == "ttvh" {
                    ocult = i;
                }
            }
            let _ = ocult;
            let sgd = odepts["gd_dt"];
            let syt = odepts["y_te"];
            let new_sgd = new_depts["gd_dt"];
            let new_syt = new_depts["y_te"];
            // The specialised upper-secondary school of each old province.
            let chuyen = if zone == 0 { "Trường THPT chuyên Hoàng Lê Kha" } else { "Trường THPT chuyên Long An" };
            b.continuing(R::UpperSecondary, zone, "thpt", format!("{pcode}.THPT.00"), chuyen.into(), L::Province, Sector::Education, sgd, new_sgd, None, false);

            let mut commune_code = if zone == 0 { 25459 } else { 27685 };
            let mut thpt_no = 1;
            for def in defs {
                let prefix = match def.town {
                    2 => "Thành ủy",
                    1 => "Thị ủy",
                    _ => "Huyện ủy",
                };
                let any_minority = !def.minority.is_empty();
                let d = b.old(R::District, zone, "huyen", def.code.into(), def.name.into(), L::District, K::State, Sector::General, Some(oroot), any_minority);
                if def.upgraded_2020 {
                    // Huyện until 1 Feb 2020, thị xã after (Nghị quyết 865/NQ-UBTVQH14).
                    let mut v = b.units[d].versions[0].1.clone();
                    let upgrade = date(2020, 2, 1);
                    b.units[d].versions[0].0 = Validity::between(founded(), upgrade);
                    b.units[d].versions[0].1.name = format!("Huyện {}", def.short);
                    v.name = def.name.into();
                    b.units[d].versions.push((Validity::between(upgrade, REFORM_2025), v));
                }
                b.change(d, UnitChangeKind::Dissolved, None, DECISION_DISTRICT);
                let dp = b.old(R::DistrictParty, zone, "huyen_uy", format!("{}.HU", def.code), format!("{prefix} {}", def.short), L::District, K::Party, Sector::Politics, Some(d), false);
                b.change(dp, UnitChangeKind::Dissolved, None, DECISION_DISTRICT);
                let sector_name = if def.town == 0 { format!("huyện {}", def.short) } else { def.name.to_lowercase().replacen(&def.short.to_lowercase(), def.short, 1) };
                b.continuing(R::DistrictHealth, zone, "ttyt", format!("{}.TTYT", def.code), format!("Trung tâm Y tế {sector_name}"), L::District, Sector::Health, syt, new_syt, Some(format!("Trung tâm Y tế khu vực {}", def.short)), any_minority);
                let dc = b.old(R::DistrictCulture, zone, "ttvh_huyen", format!("{}.TTVH", def.code), format!("Trung tâm Văn hóa, Thể thao và Truyền thanh {sector_name}"), L::District, K::PublicService, Sector::Culture, Some(d), false);
                b.merge(dc, new_ps["ttvh"], DECISION_PS);
                let thpts = 2 + usize::from(def.communes.len() >= 14);
                for k in 0..thpts {
                    let name = if k == 0 { format!("Trường THPT {}", def.short) } else { format!("Trường THPT {}", short_of(def.communes[k * 3 + 1])) };
                    let minority = k > 0 && def.minority.contains(&def.communes[k * 3 + 1]);
                    b.continuing(R::UpperSecondary, zone, "thpt", format!("{pcode}.THPT.{thpt_no:02}"), name, L::Province, Sector::Education, sgd, new_sgd, None, minority);
                    thpt_no += 1;
                }

                // Old communes, each with its party committee, health station and schools.
                let n = def.communes.len();
                let groups = ((n as f64 / 2.9).round() as usize).max(1);
                let mut info = DistrictInfo { unit: d, short: def.short, zone, new_communes: Vec::new(), new_parties: Vec::new() };
                let mut olds = Vec::new();
                for (ci, cname) in def.communes.iter().enumerate() {
                    let code = format!("{commune_code:05}");
                    commune_code += 3;
                    let minority = def.minority.contains(cname);
                    let short = short_of(cname);
                    let label = if short.chars().next().is_some_and(|c| c.is_ascii_digit()) || short == "IV" { format!("{cname} ({})", def.short) } else { short.to_string() };
                    let c = b.old(R::Commune, zone, "xa", code.clone(), cname.to_string(), L::Commune, K::State, Sector::General, Some(d), minority);
                    let party_name = if cname.starts_with("Xã") { format!("Đảng ủy xã {short}") } else if cname.starts_with("Phường") { format!("Đảng ủy {}", cname) } else { format!("Đảng ủy thị trấn {short}") };
                    let cp = b.old(R::CommuneParty, zone, "dang_uy_xa", format!("{code}.DU"), party_name, L::Commune, K::Party, Sector::Politics, Some(c), minority);
                    let hs = b.old(R::HealthStation, zone, "tram_y_te", format!("{code}.TYT"), format!("Trạm Y tế {}", cname.replacen("Xã", "xã", 1).replacen("Thị trấn", "thị trấn", 1).replacen("Phường", "phường", 1)), L::Commune, K::PublicService, Sector::Health, Some(c), minority);
                    let mut schools = Vec::new();
                    for (role, kind_name, suffix) in [(R::Kindergarten, "Trường Mầm non", "MN"), (R::Primary, "Trường Tiểu học", "TH"), (R::LowerSecondary, "Trường THCS", "THCS")] {
                        let s = b.add(role, zone, "truong", format!("{code}.{suffix}"), format!("{kind_name} {label}"), L::Commune, K::PublicService, Sector::Education, Some(c), minority, Validity::between(founded(), REFORM_2025));
                        schools.push(s);
                    }
                    b.units[c].district = Some(districts.len());
                    olds.push((ci * groups / n, c, cp, hs, schools, code, cname));
                }
                // New communes: about three old ones each.
                for g in 0..groups {
                    let members: Vec<_> = olds.iter().filter(|o| o.0 == g).collect();
                    let ward = def.town > 0 && members.iter().any(|m| m.6.starts_with("Phường"));
                    let kind_word = if ward { "Phường" } else { "Xã" };
                    let mut candidates: Vec<String> = Vec::new();
                    if let Some(n) = def.new_names.get(g) {
                        candidates.push(n.to_string());
                    }
                    if g == 0 {
                        candidates.push(format!("{kind_word} {}", def.short));
                    }
                    for m in &members {
                        let s = short_of(m.6);
                        if !(s.chars().next().is_some_and(|c| c.is_ascii_digit()) || s == "IV") {
                            candidates.push(format!("{kind_word} {s}"));
                        }
                    }
                    candidates.push(format!("{kind_word} {} {}", def.short, g + 1));
                    let name = candidates.into_iter().find(|c| !used_names.contains(c)).unwrap();
                    used_names.insert(name.clone());
                    let minority = members.iter().any(|m| def.minority.contains(m.6));
                    let code = members[0].5.clone();
                    let nc = b.fresh(R::Commune, zone, "xa", code.clone(), name.clone(), L::Commune, K::State, Sector::General, Some(root), minority);
                    let short = short_of(&name).to_string();
                    let lower = if ward { "phường" } else { "xã" };
                    let np = b.fresh(R::CommuneParty, zone, "dang_uy_xa", format!("{code}.DU"), format!("Đảng ủy {lower} {short}"), L::Commune, K::Party, Sector::Politics, Some(nc), minority);
                    let nh = b.fresh(R::HealthStation, zone, "tram_y_te", format!("{code}.TYT"), format!("Trạm Y tế {lower} {short}"), L::Commune, K::PublicService, Sector::Health, Some(nc), minority);
                    b.units[nc].district = Some(districts.len());
                    info.new_communes.push(nc);
                    info.new_parties.push(np);
                    for m in &members {
                        b.merge(m.1, nc, DECISION_COMMUNE);
                        b.merge(m.2, np, DECISION_COMMUNE);
                        b.merge(m.3, nh, DECISION_PS);
                        // Schools stay and come under the new commune.
                        for &s in &m.4 {
                            let mut v = b.units[s].versions[0].1.clone();
                            v.parent_id = Some(nc as i64 + 1);
                            b.units[s].versions[0].0 = Validity::between(founded(), REFORM_2025);
                            b.units[s].versions.push((Validity::since(REFORM_2025), v));
                        }
                    }
                }
                // Some communes were split: the last commune of the first group
                // gives part of its area to the second group's new commune.
                if groups >= 2 {
                    let last = olds.iter().rfind(|o| o.0 == 0).unwrap();
                    let (c, first) = (last.1, info.new_communes[0]);
                    b.changes.retain(|ch| !(ch.unit_id == c as i64 + 1 && ch.kind == UnitChangeKind::MergedInto));
                    b.change(c, UnitChangeKind::SplitInto, Some(first), DECISION_COMMUNE);
                    b.change(c, UnitChangeKind::SplitInto, Some(info.new_communes[1]), DECISION_COMMUNE);
                    b.units[c].reform_to = vec![first, info.new_communes[1]];
                }
                // District staff go to the new communes (and some to departments).
                b.units[d].reform_to = info.new_communes.clone();
                b.units[d].district = Some(districts.len());
                b.units[dp].reform_to = info.new_parties.clone();
                b.units[dp].district = Some(districts.len());
                districts.push(info);
            }
        }
        Geography { units: b.units, changes: b.changes, districts, new_depts }
    }

    pub fn with_role(&self, role: Role) -> impl Iterator<Item = (usize, &Unit)> {
        self.units.iter().enumerate().filter(move |(_, u)| u.role == role)
    }
}
