//! Small inline SVG charts for the dashboard: a progress bar with the
//! threshold and stretch markers, and a trend sparkline. Only presentation
//! attributes (no `style`), so they pass the site's content security policy.

use std::fmt::Write;

/// The colour of a target's status (`met`, `on_track`, `at_risk`, `not_applicable`).
pub fn status_colour(status: &str) -> &'static str {
    match status {
        "met" => "#1e7d3a",
        "on_track" => "#0b5cad",
        "at_risk" => "#b3261e",
        _ => "#8a94a0",
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar from 0 to 100 %: the share filled in the status colour, a solid
/// marker at the threshold and a dashed one at the stretch value. Shares are
/// fractions (0.1708).
pub fn progress_bar(
    share: Option<f64>,
    min: Option<f64>,
    stretch: Option<f64>,
    status: &str,
    label: &str,
) -> String {
    const W: f64 = 300.0;
    const H: f64 = 14.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="meter" role="img" aria-label="{l}" viewBox="0 0 {W} {H}" width="100%" height="{H}" preserveAspectRatio="none"><title>{l}</title><rect x="0" y="0" width="{W}" height="{H}" rx="3" fill="#e6e9ee"/>"##,
        l = esc(label)
    );
    if let Some(v) = share {
        let w = (v.clamp(0.0, 1.0) * W).max(if v > 0.0 { 2.0 } else { 0.0 });
        let _ = write!(
            s,
            r#"<rect x="0" y="0" width="{w:.1}" height="{H}" rx="3" fill="{}"/>"#,
            status_colour(status)
        );
    }
    if let Some(m) = stretch {
        let x = (m.clamp(0.0, 1.0) * W).clamp(1.0, W - 1.0);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="0" x2="{x:.1}" y2="{H}" stroke="#1d2733" stroke-width="2" stroke-dasharray="3 2" vector-effect="non-scaling-stroke"/>"##
        );
    }
    if let Some(m) = min {
        let x = (m.clamp(0.0, 1.0) * W).clamp(1.0, W - 1.0);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="0" x2="{x:.1}" y2="{H}" stroke="#1d2733" stroke-width="2" vector-effect="non-scaling-stroke"/>"##
        );
    }
    s.push_str("</svg>");
    s
}

/// A sparkline of shares over time: one point per (label, share), with the
/// threshold as a dashed line. Points without a share are skipped.
pub fn sparkline(points: &[(String, Option<f64>)], min: Option<f64>, label: &str) -> String {
    const W: f64 = 132.0;
    const H: f64 = 36.0;
    const PAD: f64 = 4.0;
    let y = |v: f64| H - PAD - v.clamp(0.0, 1.0) * (H - 2.0 * PAD);
    let n = points.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            W / 2.0
        } else {
            PAD + i as f64 * (W - 2.0 * PAD) / (n - 1) as f64
        }
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="spark" role="img" aria-label="{l}" viewBox="0 0 {W} {H}" width="{W}" height="{H}"><title>{l}</title><rect x="0" y="0" width="{W}" height="{H}" fill="#f7f8fa"/>"##,
        l = esc(label)
    );
    if let Some(m) = min {
        let _ = write!(
            s,
            r##"<line x1="0" y1="{yy:.1}" x2="{W}" y2="{yy:.1}" stroke="#8a94a0" stroke-width="1" stroke-dasharray="3 2"/>"##,
            yy = y(m)
        );
    }
    let pts: Vec<(f64, f64, &str, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (l, v))| v.map(|v| (x(i), y(v), l.as_str(), v)))
        .collect();
    if pts.len() > 1 {
        let line: Vec<String> = pts
            .iter()
            .map(|(px, py, _, _)| format!("{px:.1},{py:.1}"))
            .collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#0b5cad" stroke-width="1.6"/>"##,
            line.join(" ")
        );
    }
    for (i, (px, py, l, v)) in pts.iter().enumerate() {
        let last = i + 1 == pts.len();
        let _ = write!(
            s,
            r##"<circle cx="{px:.1}" cy="{py:.1}" r="{}" fill="{}"><title>{}: {}</title></circle>"##,
            if last { 3.0 } else { 2.0 },
            if last { "#a3161a" } else { "#0b5cad" },
            esc(l),
            crate::fmt::percent((v * 10_000.0).round() as i64, 10_000)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_without_inline_styles() {
        let b = progress_bar(Some(0.5), Some(0.8), Some(1.0), "at_risk", "50 % <80 %");
        assert!(b.starts_with("<svg") && b.ends_with("</svg>"));
        assert!(b.contains("width=\"150.0\"") && b.contains("#b3261e"));
        assert!(b.contains("&lt;80 %") && !b.contains("style="));
        let s = sparkline(
            &[
                ("2021".into(), Some(0.1)),
                ("2022".into(), None),
                ("2023".into(), Some(0.3)),
            ],
            Some(0.8),
            "xu hướng",
        );
        assert!(s.contains("<polyline") && s.matches("<circle").count() == 2);
    }
}
