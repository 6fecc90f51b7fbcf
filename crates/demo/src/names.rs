//! Vietnamese personal names, weighted roughly as they occur in the South.

use nangluc_core::person::{Ethnicity, Sex};
use rand::Rng;

use crate::pick_weighted;

/// Family names (họ) with weights in per mille (Nguyễn ≈ 35 %).
const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 350), ("Trần", 100), ("Lê", 85), ("Phạm", 60), ("Huỳnh", 50), ("Võ", 45),
    ("Phan", 40), ("Trương", 25), ("Bùi", 20), ("Đặng", 20), ("Đỗ", 18), ("Ngô", 18),
    ("Hồ", 17), ("Dương", 15), ("Đào", 10), ("Lý", 12), ("Đinh", 10), ("Lâm", 10),
    ("Mai", 8), ("Cao", 8), ("Tô", 6), ("Châu", 6), ("Hà", 6), ("Tạ", 5), ("Lương", 5),
    ("Thái", 5), ("Quách", 4), ("Hứa", 3), ("Kiều", 3), ("Văn", 3), ("La", 3), ("Âu", 2),
];

const MIDDLE_MALE: &[(&str, u32)] = &[
    ("Văn", 45), ("Hữu", 8), ("Đức", 6), ("Minh", 10), ("Thanh", 8), ("Ngọc", 4), ("Hoàng", 5),
    ("Quốc", 6), ("Công", 4), ("Tấn", 5), ("Trung", 3), ("Phước", 3), ("Thành", 4), ("Chí", 3),
];

const MIDDLE_FEMALE: &[(&str, u32)] = &[
    ("Thị", 45), ("Thị Thu", 6), ("Thị Ngọc", 6), ("Thị Kim", 5), ("Thị Mỹ", 5), ("Ngọc", 8),
    ("Thanh", 6), ("Minh", 4), ("Thị Thanh", 5), ("Hoàng", 3), ("Thùy", 3), ("Phương", 3), ("Bảo", 2),
];

const GIVEN_MALE: &[&str] = &[
    "Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Định", "Hải", "Hậu", "Hiếu", "Hòa", "Hoàng",
    "Hùng", "Huy", "Khang", "Khánh", "Kiệt", "Lâm", "Linh", "Lộc", "Long", "Luân", "Minh", "Nam",
    "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Phước", "Quang", "Quân", "Sang", "Sơn", "Tài", "Tâm",
    "Tân", "Thắng", "Thành", "Thiện", "Thịnh", "Thông", "Tiến", "Toàn", "Trí", "Trung", "Tú", "Tuấn",
    "Tùng", "Vinh", "Vũ", "Bảo", "Đông", "Giang", "Hiền", "Lợi", "Nhựt", "Tính", "Trọng", "Việt",
];

const GIVEN_FEMALE: &[&str] = &[
    "Anh", "Bích", "Châu", "Diễm", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hồng", "Huệ", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc",
    "Nhi", "Nhung", "Oanh", "Phượng", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thắm", "Thanh",
    "Thủy", "Thư", "Tiên", "Trang", "Trâm", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến",
    "Diệu", "Kiều", "Lệ", "Ly", "Mến", "Nguyệt", "Như", "Thơ", "Trúc", "Tươi", "Hậu", "Ánh", "Cúc",
];

// Names of ethnic minorities living in the province (Khmer along the border,
// Muslim Chăm, Xtiêng, Hoa in the towns).
const KHMER_FAMILY: &[&str] = &["Thạch", "Danh", "Sơn", "Kim", "Lâm", "Chau", "Néang", "Huỳnh"];
const KHMER_MALE: &[&str] = &["Sóc", "Sa Ri", "Pha", "Sô Phal", "Chanh Đa", "Kha", "Sang", "Ry", "Sà Rươn", "Vi Sal", "Sóc Kha", "Mạnh"];
const KHMER_FEMALE: &[&str] = &["Sa Rên", "Sô Phia", "Chăn Thu", "Sa Vy", "Mỹ Linh", "Srây Ních", "Thươl", "Kim Hương", "Sóc Thi", "Ra Ny"];
const CHAM_FAMILY: &[&str] = &["Mohamad", "Sa", "Ka", "Ma", "Hà"];
const CHAM_MALE: &[&str] = &["Ali", "Ismail", "Ha Sanh", "Mu Sa", "Sa Lim", "Rô Sít", "Yusuf"];
const CHAM_FEMALE: &[&str] = &["Sa Ri Mah", "Fa Ti Mah", "Ma Ry", "Ka Ri Mah", "Ro Ky Dah", "Ha Sa Nah"];
const XTIENG_FAMILY: &[&str] = &["Điểu", "Thị", "Lâm", "Điểu Thị"];
const HOA_FAMILY: &[&str] = &["Lâm", "Quách", "Tăng", "Hứa", "Trịnh", "Diệp", "Mã", "Lưu", "Trương", "Lý"];
const HOA_MIDDLE_MALE: &[&str] = &["Vĩnh", "Quốc", "Gia", "Tuấn", "Kiến"];
const HOA_MIDDLE_FEMALE: &[&str] = &["Mỹ", "Ngọc", "Tú", "Bội", "Huệ"];

/// (family, middle, given) for a person of this sex and ethnicity.
pub fn person_name<R: Rng>(rng: &mut R, sex: Sex, ethnicity: Ethnicity) -> (String, String, String) {
    let female = sex == Sex::Female;
    let pick = |rng: &mut R, list: &[&str]| list[rng.random_range(0..list.len())].to_string();
    match ethnicity.name() {
        "Khmer" => {
            let middle = if female { "Thị" } else if rng.random_bool(0.3) { "Văn" } else { "" };
            (pick(rng, KHMER_FAMILY), middle.into(), pick(rng, if female { KHMER_FEMALE } else { KHMER_MALE }))
        }
        "Chăm" => (pick(rng, CHAM_FAMILY), String::new(), pick(rng, if female { CHAM_FEMALE } else { CHAM_MALE })),
        "Xtiêng" => {
            let given = pick(rng, if female { GIVEN_FEMALE } else { GIVEN_MALE });
            (pick(rng, XTIENG_FAMILY), if female { "Thị".into() } else { String::new() }, given)
        }
        "Hoa" => {
            let middle = pick(rng, if female { HOA_MIDDLE_FEMALE } else { HOA_MIDDLE_MALE });
            (pick(rng, HOA_FAMILY), middle, pick(rng, if female { GIVEN_FEMALE } else { GIVEN_MALE }))
        }
        _ => {
            let family = FAMILY[pick_weighted(rng, FAMILY.iter().map(|f| f.1))].0.to_string();
            let middles = if female { MIDDLE_FEMALE } else { MIDDLE_MALE };
            let middle = middles[pick_weighted(rng, middles.iter().map(|m| m.1))].0.to_string();
            (family, middle, pick(rng, if female { GIVEN_FEMALE } else { GIVEN_MALE }))
        }
    }
}

/// A lecturer's or other outsider's full name.
pub fn full_name<R: Rng>(rng: &mut R) -> String {
    let sex = if rng.random_bool(0.45) { Sex::Female } else { Sex::Male };
    let (f, m, g) = person_name(rng, sex, Ethnicity::KINH);
    [f, m, g].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}
