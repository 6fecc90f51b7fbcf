//! The small province of the proposal tests: twelve more civil servants,
//! six of them heads of division appointed in 2022; a leadership programme;
//! cost norms, offers, the school's capacity and the target mapping.
//! (See `tests/proposals.rs` for the figures worked by hand.)

use chrono::Utc;
use nangluc_core::employment::{Category, Employment, Post, PostRank};
use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
use nangluc_core::training::{Programme, Topic, TrainingKind};
use nangluc_core::{ChangeSet, Entity, Fact, Validity};
use nangluc_store::{CapacityRow, NewCostNorm, OfferRow, Stamp, Store};

use super::d;

pub const PLAN: &str = r#"
[plan]
id = "thu-nghiem-de-xuat"
name = "Kế hoạch đào tạo, bồi dưỡng thử nghiệm 2022–2028"
issuer = "UBND tỉnh"
period = [2022, 2028]

[[groups]]
id = "cong-chuc"
name = "Công chức"

[[groups.targets]]
id = "E1"
wording = "100% công chức lãnh đạo cấp phòng được bồi dưỡng lãnh đạo, quản lý trong 60 tháng kể từ ngày bổ nhiệm"
kind = "after_event"
event = "appointment"
months = 60
population = "category == civil_servant and is_leader"
criterion = "completed(topic: leadership, within: window)"

[[groups.targets]]
id = "R2"
wording = "100% công chức được bồi dưỡng kiến thức quản lý nhà nước"
kind = "ratio"
population = "category == civil_servant"
criterion = "completed(topic: state_management)"
min = 100
by = 2028
"#;

fn person(id: i64) -> Fact {
    Fact::Person(PersonDetails {
        identity_number: format!("0680850001{id:02}"),
        family_name: "Trần".into(),
        middle_name: "Văn".into(),
        given_name: format!("Số {id}"),
        birth_date: d(1980, 1, 1),
        sex: Sex::Male,
        ethnicity: Ethnicity::KINH,
    })
}

/// Adds the people, the programme and the configuration to a seeded store.
pub fn seed(store: &mut Store) {
    let since = Validity::since(d(2015, 1, 1));
    let mut c = ChangeSet::new("test", "Thêm công chức và chương trình lãnh đạo");
    for id in 10..=21 {
        c.record(Entity::Given(id), since, person(id));
        let post = (id <= 15).then(|| Post {
            code: "truong_phong".into(),
            rank: PostRank::Division,
            appointed_on: Some(d(2022, 3 + (id - 10) as u32, 1)),
            elected_on: None,
        });
        c.record(
            Entity::New,
            since,
            Fact::Employment(Employment {
                person_id: id,
                unit_id: 3,
                category: Category::CivilServant,
                rank: Some("01.003".into()),
                job_position_id: None,
                post,
                minority_area: false,
            }),
        );
    }
    c.record(
        Entity::Given(2),
        since,
        Fact::Programme(Programme {
            code: "LD-PHONG".into(),
            name: "Bồi dưỡng lãnh đạo, quản lý cấp phòng".into(),
            kind: TrainingKind::Retraining,
            topic: Topic::Leadership,
            legal_basis: "426/QĐ-BNV".into(),
            duration_periods: 80,
            grants: None,
        }),
    );
    store.apply(&c).unwrap();
    let s = Stamp::new("test", Utc::now());
    let rate = |item: &str, basis: &str, amount| NewCostNorm {
        issuer: None,
        form: None,
        item: item.into(),
        basis: basis.into(),
        amount,
        valid_from: d(2020, 1, 1),
        valid_to: None,
        source: "Bảng định mức thử".into(),
        unverified: false,
    };
    store
        .add_cost_norms(
            &[
                rate("thu_lao_giang_vien", "buoi", 1_000_000),
                rate("tai_lieu", "hoc_vien", 100_000),
                rate("to_chuc_lop", "lop", 2_000_000),
            ],
            &s,
        )
        .unwrap();
    store
        .set_programme_offers(
            &[
                OfferRow {
                    programme: "LD-PHONG".into(),
                    form: "full_time".into(),
                    sessions: 10,
                    study_days: 5,
                    duration_days: 14,
                    institutions: vec!["TCT".into()],
                },
                OfferRow {
                    programme: "QLNN-CVC".into(),
                    form: "part_time".into(),
                    sessions: 20,
                    study_days: 10,
                    duration_days: 30,
                    institutions: vec!["TCT".into()],
                },
            ],
            &s,
        )
        .unwrap();
    store
        .set_institution_capacities(
            &[CapacityRow {
                institution: "TCT".into(),
                classes_per_year: 6,
                province: None,
            }],
            &s,
        )
        .unwrap();
    store
        .set_target_programmes(
            "thu-nghiem-de-xuat",
            &[
                ("E1".into(), Some("LD-PHONG".into())),
                ("R2".into(), Some("QLNN-CVC".into())),
            ],
            &s,
        )
        .unwrap();
}
