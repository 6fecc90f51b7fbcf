//! The annual plan: "KẾ HOẠCH Đào tạo, bồi dưỡng cán bộ, công chức, viên
//! chức năm YYYY", with its annexes on landscape pages: I. the targets' status
//! and need per year, II. classes per programme per year, III. the budget by
//! source.

use std::collections::BTreeSet;

use docx_rs::Docx;
use nangluc_engine::result::{Ratio, show_share};

use super::layout::{
    Align, Block, LANDSCAPE_TEXT, Row, annex_heading, assemble, body, closing_block, col, group, head, header_table,
    heading, roman, row, table, title,
};
use super::{AnnualPlanDoc, ProgrammeClasses, TextSection, common};
use crate::format::{date_vi, number_vi};

fn n(v: u64) -> String {
    number_vi(v as i64)
}

/// Blank for 0, as the plans' annexes leave empty the years without need.
fn n_or_blank(v: u64) -> String {
    if v == 0 { String::new() } else { n(v) }
}

/// Which annexes the plan has, in order, with their numbers.
struct Annexes {
    targets: Option<usize>,
    classes: Option<usize>,
    budget: Option<usize>,
}

impl Annexes {
    fn of(doc: &AnnualPlanDoc) -> Annexes {
        let mut next = 0;
        let mut take = |present: bool| {
            present.then(|| {
                next += 1;
                next
            })
        };
        Annexes {
            targets: take(doc.result.targets.iter().any(|t| t.kind.is_ratio())),
            classes: take(!doc.programmes.is_empty()),
            budget: take(!doc.budget.is_empty()),
        }
    }
}

fn see(annex: Option<usize>) -> String {
    annex.map(|a| format!(" (chi tiết tại Phụ lục {})", roman(a))).unwrap_or_default()
}

/// A programme, its audience, and (classes, person-times) for each year.
type ProgrammeRow = (String, String, Vec<(u64, u64)>);

/// The programmes grouped by (programme, audience) in order of first
/// appearance, with their counts per year.
fn programme_rows(items: &[ProgrammeClasses]) -> (Vec<i32>, Vec<ProgrammeRow>) {
    let years: Vec<i32> = items.iter().map(|p| p.year).collect::<BTreeSet<_>>().into_iter().collect();
    let mut rows: Vec<ProgrammeRow> = Vec::new();
    for p in items {
        let yi = years.iter().position(|y| *y == p.year).unwrap_or(0);
        let i = match rows.iter().position(|r| r.0 == p.programme && r.1 == p.audience) {
            Some(i) => i,
            None => {
                rows.push((p.programme.clone(), p.audience.clone(), vec![(0, 0); years.len()]));
                rows.len() - 1
            }
        };
        rows[i].2[yi].0 += p.classes;
        rows[i].2[yi].1 += p.person_times;
    }
    (years, rows)
}

fn targets_section(doc: &AnnualPlanDoc, number: usize, annex: Option<usize>) -> Vec<Block> {
    let r = &doc.result;
    let mut out: Vec<Block> = vec![heading(format!("{}. CHỈ TIÊU", roman(number))).into()];
    out.push(
        body(format!(
            "Căn cứ kết quả thực hiện {} tính đến ngày {}{}, năm {} tập trung đào tạo, bồi dưỡng để bảo đảm các chỉ tiêu sau{}:",
            r.plan_name,
            date_vi(r.as_of),
            if r.forecast { " (dự báo)" } else { "" },
            doc.year,
            see(annex)
        ))
        .into(),
    );
    for (gi, (group_name, targets)) in common::groups(r, &doc.groups).into_iter().enumerate() {
        out.push(heading(format!("{}. {}", gi + 1, group_name)).into());
        for t in targets {
            let line = if t.kind.is_ratio() {
                let mut s = format!("- {}: ", t.wording.trim_end_matches('.'));
                if let Some(h) = t.threshold {
                    s.push_str(&format!("chỉ tiêu {} đến năm {}; ", h.min, h.by));
                }
                s.push_str(&format!(
                    "hiện có {}/{} người đạt ({})",
                    n(t.met),
                    n(t.population),
                    show_share(t.share)
                ));
                if t.needed > 0 {
                    s.push_str(&format!("; cần đào tạo, bồi dưỡng thêm {} người", n(t.needed)));
                    if let Some(y) = t.need_by_year.iter().find(|y| y.year == doc.year) {
                        s.push_str(&format!(", trong đó năm {}: {} người", doc.year, n(y.count)));
                    }
                }
                s.push('.');
                s
            } else {
                format!("- {}: kết quả {}; {}.", t.wording.trim_end_matches('.'), n(t.met), t.status.label().to_lowercase())
            };
            out.push(body(line).into());
        }
    }
    out
}

fn text_section(number: usize, s: &TextSection) -> Vec<Block> {
    let mut out: Vec<Block> = vec![heading(format!("{}. {}", roman(number), s.heading.to_uppercase())).into()];
    out.extend(s.paragraphs.iter().map(|p| Block::from(body(p))));
    out
}

fn annex_targets(doc: &AnnualPlanDoc, number: usize, attached: &str) -> Vec<Block> {
    let r = &doc.result;
    let years: Vec<i32> = r
        .targets
        .iter()
        .filter(|t| t.kind.is_ratio())
        .flat_map(|t| t.horizons.iter().flat_map(|h| h.need_by_year.iter().map(|y| y.year)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let fixed = 700 + 1000 + 900 + 1100 + 1000 + 1100 + 1000;
    let year_w = if years.is_empty() { 0 } else { ((LANDSCAPE_TEXT - fixed - 3500) / years.len()).min(1000) };
    let wording_w = LANDSCAPE_TEXT - fixed - year_w * years.len();
    let mut cols = vec![
        col(700, Align::Center),
        col(wording_w, Align::Left),
        col(1000, Align::Center),
        col(900, Align::Center),
        col(1100, Align::Right),
        col(1000, Align::Right),
        col(1100, Align::Right),
        col(1000, Align::Right),
    ];
    cols.extend(years.iter().map(|_| col(year_w, Align::Right)));
    let heads = vec![
        head("STT"),
        head("Chỉ tiêu"),
        head("Ngưỡng"),
        head("Đến năm"),
        head("Đối tượng (người)"),
        group("Thực trạng", 2),
        group("Nhu cầu đào tạo, bồi dưỡng (người)", 1 + years.len()),
    ];
    let year_heads: Vec<String> = years.iter().map(|y| format!("Năm {y}")).collect();
    let mut sub: Vec<&str> = vec!["Số lượng đạt", "Tỉ lệ", "Tổng số"];
    sub.extend(year_heads.iter().map(String::as_str));
    let mut rows: Vec<Row> = Vec::new();
    for (gi, (group_name, targets)) in common::groups(r, &doc.groups).into_iter().enumerate() {
        let targets: Vec<_> = targets.into_iter().filter(|t| t.kind.is_ratio()).collect();
        if targets.is_empty() {
            continue;
        }
        rows.push(Row { cells: vec![roman(gi + 1), group_name.to_string()], bold: true, indent: None });
        for (ti, t) in targets.iter().enumerate() {
            for (hi, h) in t.horizons.iter().enumerate() {
                let first = hi == 0;
                let mut threshold = h.min.to_string();
                if let Some(s) = h.stretch {
                    threshold.push_str(&format!(" (phấn đấu {s})"));
                }
                let mut cells = vec![
                    if first { (ti + 1).to_string() } else { String::new() },
                    if first { format!("{}. {}", t.id, t.wording) } else { String::new() },
                    threshold,
                    h.by.to_string(),
                    n(t.population),
                    n(t.met),
                    show_share(t.share),
                    n(h.needed),
                ];
                cells.extend(years.iter().map(|y| {
                    n_or_blank(h.need_by_year.iter().find(|x| x.year == *y).map(|x| x.count).unwrap_or(0))
                }));
                rows.push(row(cells));
            }
        }
    }
    let mut out: Vec<Block> = annex_heading(
        number,
        &[
            "THỰC TRẠNG VÀ NHU CẦU ĐÀO TẠO, BỒI DƯỠNG THEO CHỈ TIÊU".into(),
            format!("(Số liệu tính đến ngày {})", date_vi(r.as_of)),
        ],
        attached,
        LANDSCAPE_TEXT,
    )
    .into_iter()
    .map(Block::from)
    .collect();
    out.push(table(&cols, &heads, &sub, &rows).into());
    out
}

fn annex_classes(doc: &AnnualPlanDoc, number: usize, attached: &str) -> Vec<Block> {
    let (years, items) = programme_rows(&doc.programmes);
    let pairs = years.len() + usize::from(years.len() > 1);
    let pair_w = ((LANDSCAPE_TEXT - 700 - 6000) / pairs.max(1)).min(2000);
    let rest = LANDSCAPE_TEXT - 700 - pair_w * pairs;
    let prog_w = rest * 55 / 100;
    let mut cols = vec![col(700, Align::Center), col(prog_w, Align::Left), col(rest - prog_w, Align::Left)];
    cols.extend((0..pairs * 2).map(|_| col(pair_w / 2, Align::Right)));
    let mut heads = vec![head("STT"), head("Chương trình đào tạo, bồi dưỡng"), head("Đối tượng")];
    let mut sub = Vec::new();
    if years.len() > 1 {
        heads.push(group("Tổng số", 2));
        sub.extend(["Số lớp", "Số lượt"]);
    }
    for y in &years {
        heads.push(group(format!("Năm {y}"), 2));
        sub.extend(["Số lớp", "Số lượt"]);
    }
    let mut totals = vec![(0u64, 0u64); years.len()];
    let mut rows = Vec::new();
    for (i, (programme, audience, per_year)) in items.iter().enumerate() {
        let mut cells = vec![(i + 1).to_string(), programme.clone(), audience.clone()];
        if years.len() > 1 {
            let c: u64 = per_year.iter().map(|x| x.0).sum();
            let p: u64 = per_year.iter().map(|x| x.1).sum();
            cells.extend([n(c), n(p)]);
        }
        for (yi, (c, p)) in per_year.iter().enumerate() {
            totals[yi].0 += c;
            totals[yi].1 += p;
            cells.extend([n_or_blank(*c), n_or_blank(*p)]);
        }
        rows.push(row(cells));
    }
    let mut total = vec![String::new(), "Tổng cộng".to_string(), String::new()];
    if years.len() > 1 {
        total.extend([n(totals.iter().map(|x| x.0).sum()), n(totals.iter().map(|x| x.1).sum())]);
    }
    for (c, p) in &totals {
        total.extend([n(*c), n(*p)]);
    }
    rows.push(Row { cells: total, bold: true, indent: None });
    let year_text = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("GIAI ĐOẠN {a} - {b}"),
        (Some(a), _) => format!("NĂM {a}"),
        _ => format!("NĂM {}", doc.year),
    };
    let mut out: Vec<Block> = annex_heading(
        number,
        &[format!("SỐ LỚP VÀ SỐ LƯỢT ĐÀO TẠO, BỒI DƯỠNG THEO CHƯƠNG TRÌNH {year_text}")],
        attached,
        LANDSCAPE_TEXT,
    )
    .into_iter()
    .map(Block::from)
    .collect();
    out.push(table(&cols, &heads, &sub, &rows).into());
    out
}

fn annex_budget(doc: &AnnualPlanDoc, number: usize, attached: &str) -> Vec<Block> {
    let total: u64 = doc.budget.iter().map(|b| b.amount).sum();
    let cols = vec![
        col(700, Align::Center),
        col(6000, Align::Left),
        col(2800, Align::Right),
        col(1400, Align::Right),
        col(LANDSCAPE_TEXT - 10900, Align::Left),
    ];
    let heads = vec![head("STT"), head("Nguồn kinh phí"), head("Số tiền (đồng)"), head("Tỉ lệ"), head("Ghi chú")];
    let mut rows: Vec<Row> = doc
        .budget
        .iter()
        .enumerate()
        .map(|(i, b)| {
            row(vec![
                (i + 1).to_string(),
                b.source.clone(),
                n(b.amount),
                show_share(Ratio::of(b.amount, total)),
                b.note.clone(),
            ])
        })
        .collect();
    rows.push(Row {
        cells: vec![String::new(), "Tổng cộng".into(), n(total), show_share(Ratio::of(total, total)), String::new()],
        bold: true,
        indent: None,
    });
    let mut out: Vec<Block> = annex_heading(
        number,
        &[format!("KINH PHÍ THỰC HIỆN KẾ HOẠCH NĂM {} THEO NGUỒN", doc.year)],
        attached,
        LANDSCAPE_TEXT,
    )
    .into_iter()
    .map(Block::from)
    .collect();
    out.push(table(&cols, &heads, &[], &rows).into());
    out
}

/// Builds the annual plan as a docx-rs document.
pub(crate) fn annual_plan_docx(doc: &AnnualPlanDoc) -> Docx {
    let h = &doc.header;
    let annexes = Annexes::of(doc);
    let mut main: Vec<Block> = vec![header_table(h).into()];
    main.extend(
        title(
            "KẾ HOẠCH",
            &[format!("Đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm {}", doc.year)],
        )
        .into_iter()
        .map(Block::from),
    );
    main.extend(doc.legal_basis.iter().map(|b| Block::from(body(b))));
    main.push(
        body(format!(
            "{} ban hành Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm {} như sau:",
            h.issuer_name, doc.year
        ))
        .into(),
    );
    let mut section = 0;
    let mut next = || {
        section += 1;
        section
    };
    if !doc.purpose.is_empty() {
        main.extend(text_section(
            next(),
            &TextSection { heading: "Mục đích, yêu cầu".into(), paragraphs: doc.purpose.clone() },
        ));
    }
    main.extend(targets_section(doc, next(), annexes.targets));
    if !doc.programmes.is_empty() {
        main.push(heading(format!("{}. NỘI DUNG, CHƯƠNG TRÌNH ĐÀO TẠO, BỒI DƯỠNG", roman(next()))).into());
        let this_year: Vec<&ProgrammeClasses> = doc.programmes.iter().filter(|p| p.year == doc.year).collect();
        let classes: u64 = this_year.iter().map(|p| p.classes).sum();
        let times: u64 = this_year.iter().map(|p| p.person_times).sum();
        main.push(
            body(format!(
                "Năm {} tổ chức {} lớp với {} lượt cán bộ, công chức, viên chức tham gia{}, gồm:",
                doc.year,
                n(classes),
                n(times),
                see(annexes.classes)
            ))
            .into(),
        );
        let (_, items) = programme_rows(&this_year.into_iter().cloned().collect::<Vec<_>>());
        let count = items.len();
        for (i, (programme, _, per_year)) in items.iter().enumerate() {
            let (c, p) = per_year.first().copied().unwrap_or((0, 0));
            let end = if i + 1 == count { "." } else { ";" };
            main.push(body(format!("- {programme}: {} lớp, {} lượt{end}", n(c), n(p))).into());
        }
    }
    if !doc.budget.is_empty() {
        main.push(heading(format!("{}. KINH PHÍ THỰC HIỆN", roman(next()))).into());
        let total: u64 = doc.budget.iter().map(|b| b.amount).sum();
        main.push(body(format!("Tổng kinh phí dự kiến: {} đồng{}, gồm:", n(total), see(annexes.budget))).into());
        let count = doc.budget.len();
        for (i, b) in doc.budget.iter().enumerate() {
            let end = if i + 1 == count { "." } else { ";" };
            main.push(body(format!("- {}: {} đồng{end}", b.source, n(b.amount))).into());
        }
    }
    for s in &doc.sections {
        main.extend(text_section(next(), s));
    }
    main.push(
        body(doc.closing.clone().unwrap_or_else(|| {
            format!(
                "Trên đây là Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm {} của {}. Trong quá trình \
                 tổ chức thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị, địa phương kịp thời báo cáo về Sở \
                 Nội vụ để tổng hợp, báo cáo {} xem xét, chỉ đạo./.",
                doc.year, h.issuer_name, h.issuer_name
            )
        }))
        .keep_next(true)
        .into(),
    );
    main.push(closing_block(h).into());

    let attached = format!(
        "(Kèm theo Kế hoạch số {} ngày {} của {})",
        h.number.trim(),
        date_vi(h.date),
        h.issuer_name
    );
    let mut annex_blocks: Vec<Block> = Vec::new();
    let start_page = |blocks: Vec<Block>, out: &mut Vec<Block>| {
        let mut blocks = blocks.into_iter();
        if let Some(Block::P(p)) = blocks.next() {
            // Each annex after the first begins a page; the first follows the section break.
            out.push(Block::P(if out.is_empty() { p } else { Box::new(p.page_break_before(true)) }));
        }
        out.extend(blocks);
    };
    if let Some(a) = annexes.targets {
        start_page(annex_targets(doc, a, &attached), &mut annex_blocks);
    }
    if let Some(a) = annexes.classes {
        start_page(annex_classes(doc, a, &attached), &mut annex_blocks);
    }
    if let Some(a) = annexes.budget {
        start_page(annex_budget(doc, a, &attached), &mut annex_blocks);
    }
    assemble(main, annex_blocks)
}
