//! Editing a plan file's text in place: set or remove a target's keys, add a
//! target to a group, remove a target — every other line (comments, layout,
//! the other targets) stays as written. The result is a plan file like any
//! other, to be checked by [`crate::Plan::parse`]; [`field_at`] says which key
//! of a target a line of it belongs to, so that an error can be shown beside
//! the field of a form that caused it. [`line_diff`] compares two texts.
//!
//! Positions come from the TOML parser's spans, so a multi-line string or a
//! `[` inside a string is never mistaken for a table header.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// Why a text could not be edited (the plan or the group is not there, the
/// file does not parse). In Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

/// A target's value as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldText {
    /// A string, decoded.
    Str(String),
    /// A list of strings, decoded.
    List(Vec<String>),
    /// Anything else, as written (`80`, `{ min = 30, max = 50 }`, `2025-12-31`).
    Raw(String),
}

struct Key {
    name: String,
    /// From the key to the end of its value.
    span: Range<usize>,
    value: FieldText,
}

struct TargetAt {
    id: String,
    group: String,
    header: Range<usize>,
    /// The keys written in the target's own table (not in its sub-tables).
    keys: Vec<Key>,
}

struct GroupAt {
    id: String,
    header: Range<usize>,
}

struct Layout {
    /// Where every table header (`[plan]`, `[[groups]]`…) starts, with its text.
    headers: Vec<(usize, String)>,
    groups: Vec<GroupAt>,
    targets: Vec<TargetAt>,
}

fn syntax(src: &str) -> Result<DeTable<'_>, EditError> {
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        return Err(EditError(
            "tệp kế hoạch đang có lỗi cú pháp TOML: hãy sửa trong trình soạn toàn văn trước".into(),
        ));
    }
    Ok(doc.into_inner())
}

fn header_text(src: &str, span: &Range<usize>) -> Option<String> {
    let text = src.get(span.clone())?;
    text.starts_with('[')
        .then(|| text.chars().filter(|c| !c.is_whitespace()).collect())
}

fn collect_headers(src: &str, v: &toml::Spanned<DeValue<'_>>, out: &mut Vec<(usize, String)>) {
    match v.get_ref() {
        DeValue::Table(t) => {
            if let Some(h) = header_text(src, &v.span()) {
                out.push((v.span().start, h));
            }
            for (_, x) in t.iter() {
                collect_headers(src, x, out);
            }
        }
        DeValue::Array(items) => {
            for x in items.iter() {
                collect_headers(src, x, out);
            }
        }
        _ => {}
    }
}

fn field_text(src: &str, v: &toml::Spanned<DeValue<'_>>) -> FieldText {
    match v.get_ref() {
        DeValue::String(s) => FieldText::Str(s.to_string()),
        DeValue::Array(items)
            if !items.is_empty()
                && items
                    .iter()
                    .all(|i| matches!(i.get_ref(), DeValue::String(_))) =>
        {
            FieldText::List(
                items
                    .iter()
                    .filter_map(|i| match i.get_ref() {
                        DeValue::String(s) => Some(s.to_string()),
                        _ => None,
                    })
                    .collect(),
            )
        }
        _ => FieldText::Raw(src.get(v.span()).unwrap_or_default().to_string()),
    }
}

fn str_key(t: &DeTable<'_>, key: &str) -> String {
    t.iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .and_then(|(_, v)| match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

fn layout(src: &str) -> Result<Layout, EditError> {
    let doc = syntax(src)?;
    let mut headers = Vec::new();
    for (_, v) in doc.iter() {
        collect_headers(src, v, &mut headers);
    }
    headers.sort();
    let mut groups = Vec::new();
    let mut targets = Vec::new();
    let groups_v = doc
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == "groups")
        .map(|(_, v)| v);
    if let Some(DeValue::Array(gs)) = groups_v.map(|v| v.get_ref()) {
        for g in gs.iter() {
            let DeValue::Table(gt) = g.get_ref() else {
                continue;
            };
            let gid = str_key(gt, "id");
            groups.push(GroupAt {
                id: gid.clone(),
                header: g.span(),
            });
            let ts = gt
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == "targets")
                .map(|(_, v)| v);
            let Some(DeValue::Array(ts)) = ts.map(|v| v.get_ref()) else {
                continue;
            };
            for tv in ts.iter() {
                let DeValue::Table(tt) = tv.get_ref() else {
                    continue;
                };
                let header = tv.span();
                let keys = tt
                    .iter()
                    // A key written as a sub-table's header (`[[groups.targets.sub_quotas]]`)
                    // is not in the target's own lines.
                    .filter(|(_, v)| !is_header_table(src, v) && !is_array_of_headers(src, v))
                    .map(|(k, v)| Key {
                        name: k.get_ref().to_string(),
                        span: k.span().start..v.span().end,
                        value: field_text(src, v),
                    })
                    .collect();
                targets.push(TargetAt {
                    id: str_key(tt, "id"),
                    group: gid.clone(),
                    header,
                    keys,
                });
            }
        }
    }
    Ok(Layout {
        headers,
        groups,
        targets,
    })
}

/// A table written under its own header (`[groups.targets.annex]`), not inline.
fn is_header_table(src: &str, v: &toml::Spanned<DeValue<'_>>) -> bool {
    matches!(v.get_ref(), DeValue::Table(_)) && header_text(src, &v.span()).is_some()
}

fn is_array_of_headers(src: &str, v: &toml::Spanned<DeValue<'_>>) -> bool {
    match v.get_ref() {
        DeValue::Array(items) => items.iter().any(|i| is_header_table(src, i)),
        _ => false,
    }
}

fn line_start(src: &str, at: usize) -> usize {
    src[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(src: &str, at: usize) -> usize {
    src[at..].find('\n').map_or(src.len(), |i| at + i + 1)
}

/// The start of a header's line, moved up over the comment lines just above it
/// (they describe it).
fn block_start(src: &str, header: usize) -> usize {
    let mut start = line_start(src, header);
    while start > 0 {
        let prev = line_start(src, start - 1);
        if src[prev..start].trim_start().starts_with('#') {
            start = prev;
        } else {
            break;
        }
    }
    start
}

impl Layout {
    fn target(&self, id: &str) -> Result<&TargetAt, EditError> {
        self.targets
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| EditError(format!("không có chỉ tiêu '{id}' trong kế hoạch")))
    }

    /// Where the block of the header at `from` ends: at the next header that
    /// is not inside it (`inside` tells which are).
    fn block_end(&self, src: &str, from: usize, inside: impl Fn(&str) -> bool) -> usize {
        self.headers
            .iter()
            .find(|(at, text)| *at > from && !inside(text))
            .map_or(src.len(), |(at, _)| block_start(src, *at))
    }
}

fn in_target(h: &str) -> bool {
    h.starts_with("[[groups.targets.") || h.starts_with("[groups.targets.")
}

fn in_group(h: &str) -> bool {
    h.starts_with("[[groups.") || h.starts_with("[groups.")
}

/// A TOML string: basic, or multi-line basic when the text has line breaks
/// (long expressions are written so).
pub fn toml_string(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    let escape = |s: &str, multi: bool| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' if multi => out.push('\n'),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
                c => out.push(c),
            }
        }
        out
    };
    let s = s.trim();
    if s.contains('\n') {
        format!("\"\"\"\n{}\n\"\"\"", escape(s, true))
    } else {
        format!("\"{}\"", escape(s, false))
    }
}

/// A TOML list of strings.
pub fn toml_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// The keys of a target as written, in the file's order.
pub fn target_values(src: &str, id: &str) -> Result<Vec<(String, FieldText)>, EditError> {
    let l = layout(src)?;
    let t = l.target(id)?;
    let mut keys: Vec<&Key> = t.keys.iter().collect();
    keys.sort_by_key(|k| k.span.start);
    Ok(keys
        .into_iter()
        .map(|k| (k.name.clone(), k.value.clone()))
        .collect())
}

/// The id of the group a target is in.
pub fn target_group(src: &str, id: &str) -> Result<String, EditError> {
    Ok(layout(src)?.target(id)?.group.clone())
}

/// Sets (`Some`, a TOML value as text) or removes (`None`) keys of a target.
/// A key already written is rewritten where it is; a new one is added after
/// the target's last key.
pub fn set_target_fields(
    src: &str,
    id: &str,
    fields: &[(&str, Option<String>)],
) -> Result<String, EditError> {
    let l = layout(src)?;
    let t = l.target(id)?;
    let own_end = t
        .keys
        .iter()
        .map(|k| k.span.end)
        .max()
        .unwrap_or(t.header.end);
    let insert_at = line_end(src, own_end);
    // (range replaced, new text), applied from the end of the file backwards.
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut added = String::new();
    for (name, value) in fields {
        match (t.keys.iter().find(|k| k.name == *name), value) {
            (Some(k), Some(v)) => edits.push((k.span.clone(), format!("{name} = {v}"))),
            (Some(k), None) => {
                let end = line_end(src, k.span.end);
                let start = line_start(src, k.span.start);
                // Only whole lines go: a comment after the value goes with it.
                edits.push((start..end, String::new()));
            }
            (None, Some(v)) => added.push_str(&format!("{name} = {v}\n")),
            (None, None) => {}
        }
    }
    if !added.is_empty() {
        let prefix = if insert_at > 0 && !src[..insert_at].ends_with('\n') {
            "\n"
        } else {
            ""
        };
        edits.push((insert_at..insert_at, format!("{prefix}{added}")));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse((r.start, r.end)));
    let mut out = src.to_string();
    for (range, text) in edits {
        out.replace_range(range, &text);
    }
    Ok(out)
}

/// Adds a target at the end of a group, its keys in the order given (TOML
/// values as text).
pub fn add_target(src: &str, group: &str, fields: &[(&str, String)]) -> Result<String, EditError> {
    let l = layout(src)?;
    let g = l
        .groups
        .iter()
        .find(|g| g.id == group)
        .ok_or_else(|| EditError(format!("không có nhóm chỉ tiêu '{group}' trong kế hoạch")))?;
    let at = l.block_end(src, g.header.start, in_group);
    let mut block = String::from("[[groups.targets]]\n");
    for (k, v) in fields {
        block.push_str(&format!("{k} = {v}\n"));
    }
    let (before, after) = src.split_at(at);
    let before = before.trim_end();
    let mut out = String::with_capacity(src.len() + block.len() + 4);
    out.push_str(before);
    out.push_str(if before.is_empty() { "" } else { "\n\n" });
    out.push_str(&block);
    if !after.is_empty() {
        out.push('\n');
        out.push_str(after);
    }
    Ok(out)
}

/// Removes a target: its header, its keys, its sub-tables and the comment
/// lines just above it.
pub fn remove_target(src: &str, id: &str) -> Result<String, EditError> {
    let l = layout(src)?;
    let t = l.target(id)?;
    let start = block_start(src, t.header.start);
    let end = l.block_end(src, t.header.start, in_target);
    let mut out = String::with_capacity(src.len());
    out.push_str(&src[..start]);
    out.push_str(&src[end..]);
    Ok(out)
}

/// The key of target `id` written on `line` (from 1), if any: where an
/// error the engine found in an edited target belongs on its form.
pub fn field_at(src: &str, id: &str, line: usize) -> Option<String> {
    let l = layout(src).ok()?;
    let t = l.target(id).ok()?;
    let line_of = |at: usize| src[..at.min(src.len())].matches('\n').count() + 1;
    t.keys
        .iter()
        .find(|k| {
            (line_of(k.span.start)..=line_of(k.span.end.saturating_sub(1).max(k.span.start)))
                .contains(&line)
        })
        .map(|k| k.name.clone())
}

/// One line of a comparison of two texts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiffLine {
    /// ' ' kept, '-' only in the old text, '+' only in the new.
    pub tag: char,
    /// Line numbers (from 1) in the old and the new text.
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub text: String,
}

/// The lines of `old` and `new` aligned on their longest common subsequence.
/// Plans are a few hundred lines: the quadratic table is small.
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: common lines of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let mut out = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(DiffLine {
                tag: ' ',
                old: Some(i + 1),
                new: Some(j + 1),
                text: a[i].to_string(),
            });
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[at(i, j + 1)] >= lcs[at(i + 1, j)]) {
            out.push(DiffLine {
                tag: '+',
                old: None,
                new: Some(j + 1),
                text: b[j].to_string(),
            });
            j += 1;
        } else {
            out.push(DiffLine {
                tag: '-',
                old: Some(i + 1),
                new: None,
                text: a[i].to_string(),
            });
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Plan;

    const SRC: &str = r#"# Kế hoạch thử.
[plan]
id = "t"
name = "Kế hoạch thử"
issuer = "UBND tỉnh"
period = [2021, 2025]

[[groups]]
id = "a"
name = "Nhóm A"

# Chỉ tiêu 1: trình độ.
[[groups.targets]]
id = "1"
wording = "100% công chức có trình độ đại học" # theo văn bản
kind = "ratio"
population = """
category == civil_servant
"""
criterion = "education >= dai_hoc"
min = 100

[[groups.targets]]
id = "2"
wording = "Mỗi năm cử 30 người đi học thạc sĩ, trong đó 3 tiến sĩ"
kind = "quota"
per_year = { min = 30 }
levels = ["thac_si", "tien_si"]

[[groups.targets.sub_quotas]]
name = "tiến sĩ"
min = 3
levels = ["tien_si"]

[[groups]]
id = "b"
name = "Nhóm B"

[[groups.targets]]
id = "3"
wording = "50% viên chức được bồi dưỡng"
kind = "ratio"
population = "category == public_employee"
criterion = "completed(topic: title_standard)"
min = 50
"#;

    fn parse(src: &str) -> Plan {
        Plan::parse(src, "t.toml").unwrap_or_else(|e| panic!("{e:?}\n{src}"))
    }

    #[test]
    fn the_fixture_is_a_plan() {
        assert_eq!(parse(SRC).targets.len(), 3);
    }

    #[test]
    fn setting_a_key_rewrites_only_its_value() {
        let out = set_target_fields(
            SRC,
            "1",
            &[("min", Some("80".into())), ("by", Some("2024".into()))],
        )
        .unwrap();
        let p = parse(&out);
        let h = p.target("1").unwrap().horizons[0];
        assert_eq!((h.min.0, h.by), (8000, 2024));
        // Every other line is as it was, comments included.
        assert!(out.contains("# Chỉ tiêu 1: trình độ.\n[[groups.targets]]\nid = \"1\""));
        assert!(
            out.contains("min = 80\nby = 2024\n\n[[groups.targets]]\nid = \"2\""),
            "{out}"
        );
        assert_eq!(out.replace("min = 80\nby = 2024\n", "min = 100\n"), SRC);
        // The other targets keep their values.
        assert_eq!(p.target("3").unwrap().horizons[0].min.0, 5000);
    }

    #[test]
    fn strings_are_escaped_and_multi_line_expressions_stay_multi_line() {
        let wording = "100% \"công chức\" \\ cấp xã";
        let expr = "category == civil_servant\nand level == commune";
        let out = set_target_fields(
            SRC,
            "1",
            &[
                ("wording", Some(toml_string(wording))),
                ("population", Some(toml_string(expr))),
                ("note", None),
            ],
        )
        .unwrap();
        let p = parse(&out);
        let t = p.target("1").unwrap();
        assert_eq!(t.wording, wording);
        assert_eq!(t.population.as_ref().unwrap().src.trim(), expr);
        // The comment after the old wording stays; the key kept its place.
        assert!(out.contains("cấp xã\" # theo văn bản"), "{out}");
        assert!(out.find("wording =").unwrap() < out.find("kind = \"ratio\"").unwrap());
    }

    #[test]
    fn removing_a_key_removes_its_lines() {
        let out = set_target_fields(
            SRC,
            "2",
            &[
                ("levels", None),
                ("per_year", Some("{ min = 20, max = 40 }".into())),
            ],
        )
        .unwrap();
        let p = parse(&out);
        let q = p.target("2").unwrap().quota.as_ref().unwrap();
        assert!(
            q.filter.levels.is_empty(),
            "the target's own levels are gone"
        );
        assert_eq!(
            q.sub_quotas[0].filter.levels,
            vec!["tien_si".to_string()],
            "the sub-quota's stay"
        );
        assert_eq!(
            (q.per_year.unwrap().min, q.per_year.unwrap().max),
            (Some(20), Some(40))
        );
    }

    #[test]
    fn values_are_read_as_written() {
        let v = target_values(SRC, "2").unwrap();
        let names: Vec<&str> = v.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            vec!["id", "wording", "kind", "per_year", "levels"],
            "in the file's order, no sub-table"
        );
        assert_eq!(v[3].1, FieldText::Raw("{ min = 30 }".into()));
        assert_eq!(
            v[4].1,
            FieldText::List(vec!["thac_si".into(), "tien_si".into()])
        );
        let one = target_values(SRC, "1").unwrap();
        assert_eq!(
            one.iter().find(|(k, _)| k == "population").unwrap().1,
            FieldText::Str("category == civil_servant\n".into())
        );
        assert_eq!(target_group(SRC, "3").unwrap(), "b");
        assert!(target_values(SRC, "9").is_err());
    }

    #[test]
    fn a_target_is_added_at_the_end_of_its_group() {
        let out = add_target(
            SRC,
            "a",
            &[
                ("id", toml_string("1b")),
                ("wording", toml_string("Mới")),
                ("kind", toml_string("ratio")),
                ("criterion", toml_string("it >= co_ban")),
                ("min", "70".into()),
            ],
        )
        .unwrap();
        let p = parse(&out);
        let ids: Vec<&str> = p.targets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["1", "2", "1b", "3"]);
        assert_eq!(p.target("1b").unwrap().group, "a");
        assert_eq!(
            p.target("2")
                .unwrap()
                .quota
                .as_ref()
                .unwrap()
                .sub_quotas
                .len(),
            1,
            "the sub-quota stays with 2"
        );
        // At the end of the last group too.
        let end = add_target(
            SRC,
            "b",
            &[
                ("id", toml_string("4")),
                ("kind", toml_string("ratio")),
                ("criterion", toml_string("true")),
                ("min", "1".into()),
                ("wording", toml_string("x")),
            ],
        )
        .unwrap();
        assert_eq!(parse(&end).targets.last().unwrap().id, "4");
        assert!(add_target(SRC, "z", &[]).is_err());
    }

    #[test]
    fn a_target_goes_with_its_sub_tables_and_comments() {
        let out = remove_target(SRC, "2").unwrap();
        let p = parse(&out);
        let ids: Vec<&str> = p.targets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["1", "3"]);
        assert!(!out.contains("tiến sĩ"));
        let first = remove_target(SRC, "1").unwrap();
        assert!(
            !first.contains("Chỉ tiêu 1: trình độ"),
            "its comment went with it"
        );
        assert_eq!(parse(&first).targets.len(), 2);
        let last = remove_target(SRC, "3").unwrap();
        assert_eq!(parse(&last).groups.len(), 2, "the group stays");
    }

    #[test]
    fn an_error_line_names_its_field() {
        let out = set_target_fields(
            SRC,
            "1",
            &[("criterion", Some(toml_string("educaton >= dai_hoc")))],
        )
        .unwrap();
        let errors = Plan::parse(&out, "t.toml").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.contains("có phải 'education'"),
            "{}",
            errors[0].message
        );
        assert_eq!(
            field_at(&out, "1", errors[0].line).as_deref(),
            Some("criterion")
        );
        // A line inside a multi-line value belongs to its key.
        let pop_line = SRC
            .lines()
            .position(|l| l == "category == civil_servant")
            .unwrap()
            + 1;
        assert_eq!(field_at(SRC, "1", pop_line).as_deref(), Some("population"));
        assert_eq!(field_at(SRC, "1", 1), None);
    }

    #[test]
    fn a_broken_file_is_not_edited() {
        let broken = SRC.replace("min = 50", "min = = 50");
        assert!(set_target_fields(&broken, "1", &[("min", Some("1".into()))]).is_err());
    }

    #[test]
    fn lines_are_compared_on_their_common_part() {
        let d = line_diff("a\nb\nc\nd", "a\nc\nd\ne");
        let tags: String = d.iter().map(|l| l.tag).collect();
        assert_eq!(tags, " -  +");
        assert_eq!(
            d[1],
            DiffLine {
                tag: '-',
                old: Some(2),
                new: None,
                text: "b".into()
            }
        );
        assert_eq!(
            d[4],
            DiffLine {
                tag: '+',
                old: None,
                new: Some(4),
                text: "e".into()
            }
        );
        assert!(line_diff("x", "x").iter().all(|l| l.tag == ' '));
    }
}
