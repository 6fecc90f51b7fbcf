//! Editing the five source plans in place: every target can be given a new
//! note or removed, and the rest of each plan reads exactly as before.

use nangluc_engine::Plan;
use nangluc_engine::edit::{remove_target, set_target_fields, toml_string};

fn plans() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert_eq!(out.len(), 5);
    out
}

#[test]
fn every_target_of_the_source_plans_can_be_edited_and_removed() {
    let mut seen = 0;
    for (name, src) in plans() {
        let plan = Plan::parse(&src, &name).unwrap();
        for t in &plan.targets {
            seen += 1;
            let edited =
                set_target_fields(&src, &t.id, &[("note", Some(toml_string("Ghi chú mới")))])
                    .unwrap();
            let after =
                Plan::parse(&edited, &name).unwrap_or_else(|e| panic!("{name} {}: {e:?}", t.id));
            assert_eq!(
                after.target(&t.id).unwrap().note.as_deref(),
                Some("Ghi chú mới"),
                "{name} {}",
                t.id
            );
            for (a, b) in plan.targets.iter().zip(&after.targets) {
                if a.id != t.id {
                    assert_eq!(
                        (&a.wording, &a.horizons, &a.quota, &a.note),
                        (&b.wording, &b.horizons, &b.quota, &b.note),
                        "{name} {}",
                        a.id
                    );
                }
            }
            let removed = remove_target(&src, &t.id).unwrap();
            let after = Plan::parse(&removed, &name)
                .unwrap_or_else(|e| panic!("{name} without {}: {e:?}", t.id));
            let ids: Vec<&str> = after.targets.iter().map(|x| x.id.as_str()).collect();
            let expected: Vec<&str> = plan
                .targets
                .iter()
                .map(|x| x.id.as_str())
                .filter(|id| *id != t.id)
                .collect();
            assert_eq!(ids, expected, "{name} without {}", t.id);
            assert_eq!(
                after.duties.len(),
                plan.duties.len(),
                "{name}: the duties stay"
            );
        }
    }
    // The 47 targets of targets.md, some split into a, b…
    assert!(seen >= 47, "{seen}");
}
