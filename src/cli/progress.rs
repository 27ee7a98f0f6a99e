//! A progress bar on stderr for long runs: shown from the start when there
//! are many targets, else only once the run has taken more than a second;
//! never when stderr is not a terminal (CI logs, pipes) or with
//! `GITOPSC_NO_PROGRESS` set.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// More targets than this show the bar at once.
const MANY_TARGETS: usize = 50;
/// A run longer than this shows the bar whatever the count.
const SLOW: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    visible: AtomicBool,
}

impl Progress {
    pub fn new(total: usize, verb: &str) -> Progress {
        let enabled = std::io::stderr().is_terminal()
            && std::env::var_os("GITOPSC_NO_PROGRESS").is_none()
            && total > 1;
        Progress::with(enabled, total, verb)
    }

    fn with(enabled: bool, total: usize, verb: &str) -> Progress {
        let bar = enabled.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
            // The template is a constant known to parse.
            let style =
                ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} targets {elapsed}")
                    .expect("valid progress template")
                    .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(verb.to_string());
            bar
        });
        let p = Progress {
            bar,
            start: Instant::now(),
            visible: AtomicBool::new(false),
        };
        if total > MANY_TARGETS {
            p.show();
        }
        p
    }

    fn show(&self) {
        if let Some(bar) = &self.bar
            && !self.visible.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// One more target done.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if self.start.elapsed() > SLOW {
                self.show();
            }
        }
    }

    #[cfg(test)]
    fn is_visible(&self) -> bool {
        self.visible.load(Ordering::Relaxed)
    }

    /// Removes the bar, leaving the terminal as it was.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_for_a_short_run_visible_for_many_targets() {
        let few = Progress::with(true, 3, "building");
        few.inc();
        assert!(!few.is_visible());
        let many = Progress::with(true, 51, "building");
        assert!(many.is_visible());
        many.finish();
        let off = Progress::with(false, 500, "building");
        off.inc();
        assert!(!off.is_visible());
    }
}
