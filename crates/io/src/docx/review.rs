//! The mid-term and final review reports: "BÁO CÁO Sơ kết / Tổng kết thực
//! hiện Kế hoạch …": each target against its threshold by group, by unit, and
//! the groups the plans ask to encourage (women, ethnic minorities, remote
//! areas).

use std::collections::HashMap;

use docx_rs::Docx;
use nangluc_engine::result::{Ratio, Status, UnitBreakdown, show_share};
use nangluc_engine::{PlanResult, TargetResult};

use super::layout::{
    Align, Block, PORTRAIT_TEXT, Row, assemble, body, caption, closing_block, col, group, head, header_table, heading,
    roman, row, table, title,
};
use super::{InclusionRow, InclusionTable, ReviewDoc, common};
use crate::format::{date_vi, number_vi};

fn n(v: u64) -> String {
    number_vi(v as i64)
}

fn threshold(t: &TargetResult) -> String {
    match t.threshold {
        Some(h) => format!("{} ({})", h.min, h.by),
        None => String::new(),
    }
}

fn summary(r: &PlanResult) -> String {
    let count = |s: Status| r.targets.iter().filter(|t| t.status == s).count();
    let mut s = format!(
        "Kế hoạch có {} chỉ tiêu; đến ngày {}{}: {} chỉ tiêu đã đạt, {} chỉ tiêu đúng tiến độ, {} chỉ tiêu có nguy cơ không đạt",
        r.targets.len(),
        date_vi(r.as_of),
        if r.forecast { " (dự báo)" } else { "" },
        count(Status::Met),
        count(Status::OnTrack),
        count(Status::AtRisk)
    );
    let na = count(Status::NotApplicable);
    if na > 0 {
        s.push_str(&format!(", {na} chỉ tiêu không áp dụng (không có đối tượng)"));
    }
    s.push('.');
    s
}

fn group_table(targets: &[&TargetResult]) -> docx_rs::Table {
    let cols = [
        col(700, Align::Center),
        col(PORTRAIT_TEXT - 700 - 1050 - 950 - 850 - 1000 - 900 - 1450, Align::Left),
        col(1050, Align::Center),
        col(950, Align::Right),
        col(850, Align::Right),
        col(1000, Align::Right),
        col(900, Align::Right),
        col(1450, Align::Center),
    ];
    let heads = [
        head("STT"),
        head("Chỉ tiêu"),
        head("Ngưỡng (năm)"),
        head("Đối tượng"),
        head("Đạt"),
        head("Tỉ lệ"),
        head("Còn thiếu"),
        head("Đánh giá"),
    ];
    let rows: Vec<Row> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let ratio = t.kind.is_ratio();
            row(vec![
                (i + 1).to_string(),
                format!("{}. {}", t.id, t.wording),
                threshold(t),
                if ratio { n(t.population) } else { String::new() },
                n(t.met),
                if ratio { show_share(t.share) } else { String::new() },
                n(t.needed),
                t.status.label().to_string(),
            ])
        })
        .collect();
    table(&cols, &heads, &[], &rows)
}

/// How deep each unit sits in the breakdown (0: no parent in the list).
fn depths(units: &[UnitBreakdown]) -> Vec<usize> {
    let parent: HashMap<i64, Option<i64>> = units.iter().filter_map(|u| u.unit_id.map(|id| (id, u.parent_id))).collect();
    units
        .iter()
        .map(|u| {
            let mut d = 0;
            let mut p = u.parent_id;
            while let Some(id) = p {
                match parent.get(&id) {
                    Some(next) if d < 32 => {
                        d += 1;
                        p = *next;
                    }
                    _ => break,
                }
            }
            d
        })
        .collect()
}

fn unit_table(t: &TargetResult, max_depth: Option<usize>) -> Option<docx_rs::Table> {
    let cols = [
        col(700, Align::Center),
        col(PORTRAIT_TEXT - 700 - 1100 - 1000 - 1100 - 1100, Align::Left),
        col(1100, Align::Right),
        col(1000, Align::Right),
        col(1100, Align::Right),
        col(1100, Align::Right),
    ];
    let heads = [head("STT"), head("Đơn vị"), head("Đối tượng"), head("Đạt"), head("Tỉ lệ"), head("Còn thiếu")];
    let depth = depths(&t.by_unit);
    let rows: Vec<Row> = t
        .by_unit
        .iter()
        .zip(depth)
        .filter(|(u, d)| u.population > 0 && max_depth.is_none_or(|m| *d <= m))
        .enumerate()
        .map(|(i, (u, d))| {
            let name = if u.code.is_empty() || u.unit_id.is_none() { u.name.clone() } else { format!("{} ({})", u.name, u.code) };
            Row {
                cells: vec![(i + 1).to_string(), name, n(u.population), n(u.met), show_share(u.share), n(u.needed)],
                bold: d == 0 && u.unit_id.is_some(),
                indent: Some((1, 240 * d as i32)),
            }
        })
        .collect();
    (!rows.is_empty()).then(|| table(&cols, &heads, &[], &rows))
}

fn inclusion_table(t: &InclusionTable) -> docx_rs::Table {
    let fixed = 600 + 1000 + 3 * (900 + 950);
    let cols = [
        col(600, Align::Center),
        col(PORTRAIT_TEXT - fixed, Align::Left),
        col(1000, Align::Right),
        col(900, Align::Right),
        col(950, Align::Right),
        col(900, Align::Right),
        col(950, Align::Right),
        col(900, Align::Right),
        col(950, Align::Right),
    ];
    let heads = [
        head("STT"),
        head(if t.label_heading.is_empty() { "Nội dung" } else { t.label_heading.as_str() }),
        head("Tổng số"),
        group("Nữ", 2),
        group("Dân tộc thiểu số", 2),
        group("Vùng sâu, vùng xa, vùng đặc biệt khó khăn", 2),
    ];
    let sub = ["Số lượng", "Tỉ lệ", "Số lượng", "Tỉ lệ", "Số lượng", "Tỉ lệ"];
    let line = |label: String, r: &InclusionRow| {
        vec![
            label,
            n(r.total),
            n(r.women),
            show_share(Ratio::of(r.women, r.total)),
            n(r.ethnic_minority),
            show_share(Ratio::of(r.ethnic_minority, r.total)),
            n(r.remote_area),
            show_share(Ratio::of(r.remote_area, r.total)),
        ]
    };
    let mut rows: Vec<Row> = t
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = vec![(i + 1).to_string()];
            cells.extend(line(r.label.clone(), r));
            row(cells)
        })
        .collect();
    let total = InclusionRow {
        label: "Tổng cộng".into(),
        total: t.rows.iter().map(|r| r.total).sum(),
        women: t.rows.iter().map(|r| r.women).sum(),
        ethnic_minority: t.rows.iter().map(|r| r.ethnic_minority).sum(),
        remote_area: t.rows.iter().map(|r| r.remote_area).sum(),
    };
    let mut cells = vec![String::new()];
    cells.extend(line(total.label.clone(), &total));
    rows.push(Row { cells, bold: true, indent: None });
    table(&cols, &heads, &sub, &rows)
}

/// Builds the review report as a docx-rs document.
pub(crate) fn review_report_docx(doc: &ReviewDoc) -> Docx {
    let h = &doc.header;
    let r = &doc.result;
    let kind = doc.kind.label();
    let mut main: Vec<Block> = vec![header_table(h).into()];
    main.extend(title("BÁO CÁO", &[format!("{kind} thực hiện {}", doc.plan_title)]).into_iter().map(Block::from));
    main.push(
        body(format!(
            "Thực hiện {}, {} báo cáo {} kết quả thực hiện tính đến ngày {}{} như sau:",
            doc.plan_title,
            h.issuer_name,
            kind.to_lowercase(),
            date_vi(r.as_of),
            if r.forecast { " (số liệu dự báo)" } else { "" }
        ))
        .into(),
    );
    let mut section = 0;
    let mut next = || {
        section += 1;
        section
    };

    main.push(heading(format!("{}. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", roman(next()))).into());
    main.push(body(summary(r)).into());
    for (gi, (group_name, targets)) in common::groups(r, &doc.groups).into_iter().enumerate() {
        main.push(heading(format!("{}. {}", gi + 1, group_name)).into());
        main.push(group_table(&targets).into());
        main.push(body("").into());
    }

    let unit_targets: Vec<(&TargetResult, docx_rs::Table)> = r
        .targets
        .iter()
        .filter(|t| t.kind.is_ratio())
        .filter_map(|t| unit_table(t, doc.unit_depth).map(|tb| (t, tb)))
        .collect();
    if !unit_targets.is_empty() {
        main.push(heading(format!("{}. KẾT QUẢ THEO ĐƠN VỊ", roman(next()))).into());
        for (i, (t, tb)) in unit_targets.into_iter().enumerate() {
            let mut line = format!("{}. Chỉ tiêu {}: {}", i + 1, t.id, t.wording.trim_end_matches('.'));
            if let Some(th) = t.threshold {
                line.push_str(&format!(" (ngưỡng {} đến năm {})", th.min, th.by));
            }
            main.push(heading(line).into());
            main.push(tb.into());
            main.push(body("").into());
        }
    }

    if !doc.inclusion.is_empty() {
        main.push(
            heading(format!(
                "{}. CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NỮ, NGƯỜI DÂN TỘC THIỂU SỐ, CÔNG TÁC TẠI VÙNG SÂU, VÙNG XA",
                roman(next())
            ))
            .into(),
        );
        main.push(
            body(
                "Kế hoạch khuyến khích cán bộ, công chức, viên chức nữ, người dân tộc thiểu số; cán bộ, công chức, \
                 viên chức công tác tại vùng sâu, vùng xa, vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn tham \
                 gia học tập. Kết quả như sau:",
            )
            .into(),
        );
        for t in &doc.inclusion {
            main.push(caption(&t.caption).into());
            main.push(inclusion_table(t).into());
            main.push(body("").into());
        }
    }

    for s in &doc.sections {
        main.push(heading(format!("{}. {}", roman(next()), s.heading.to_uppercase())).into());
        main.extend(s.paragraphs.iter().map(|p| Block::from(body(p))));
    }
    main.push(
        body(doc.closing.clone().unwrap_or_else(|| {
            format!("Trên đây là báo cáo {} thực hiện {} của {}./.", kind.to_lowercase(), doc.plan_title, h.issuer_name)
        }))
        .keep_next(true)
        .into(),
    );
    main.push(closing_block(h).into());
    assemble(main, Vec::new())
}
