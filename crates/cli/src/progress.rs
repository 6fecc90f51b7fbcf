//! Progress bars for long work, on standard error so output stays clean.

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

use crate::commands::number;

pub fn bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    // Counts written the Vietnamese way (85.186, not 85,186), the rate whole.
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {percent}% · {pos_vi}/{len_vi} · {rate_vi} · còn {eta}")
            .expect("valid template")
            .with_key("pos_vi", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", number(s.pos() as i64));
            })
            .with_key("len_vi", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", number(s.len().unwrap_or(0) as i64));
            })
            .with_key("rate_vi", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}/giây", number(s.per_sec() as i64));
            })
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// A spinner for work of unknown length, counting rows.
pub fn spinner(what: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template("{spinner} {msg}: {human_pos} bản ghi · {per_sec}").expect("valid template"));
    bar.set_message(what.to_string());
    bar
}

/// Passes rows on to a sink and counts them on a progress bar.
pub struct CountingSink<'a, S: nangluc_core::KnowledgeSink> {
    pub inner: &'a mut S,
    pub bar: &'a ProgressBar,
    pub rows: u64,
}

impl<S: nangluc_core::KnowledgeSink> nangluc_core::KnowledgeSink for CountingSink<'_, S> {
    fn row(&mut self, row: nangluc_core::Versioned<nangluc_core::Fact>) {
        self.inner.row(row);
        self.rows += 1;
        if self.rows.is_multiple_of(10_000) {
            self.bar.set_position(self.rows);
        }
    }
}
