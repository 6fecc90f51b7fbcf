//! Progress bars for long work, on standard error so output stays clean.

use indicatif::{ProgressBar, ProgressStyle};

pub fn bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {percent}% · {human_pos}/{human_len} · {per_sec} · còn {eta}")
            .expect("valid template")
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
        if self.rows % 10_000 == 0 {
            self.bar.set_position(self.rows);
        }
    }
}
