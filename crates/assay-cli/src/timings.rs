//! `ASSAY_TIMINGS=1`: where the time of a run goes, printed to stderr as one
//! line of phases (`bench/corpus.py` reads it). Off by default: no output,
//! no cost beyond reading a clock per phase.

use std::io::Write as _;
use std::time::{Duration, Instant};

/// The environment variable that turns phase timings on.
const ENV_VAR: &str = "ASSAY_TIMINGS";

pub(crate) struct Timings {
    enabled: bool,
    last: Instant,
    phases: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub(crate) fn from_env() -> Self {
        Self {
            enabled: std::env::var_os(ENV_VAR).is_some_and(|v| !v.is_empty() && v != "0"),
            last: Instant::now(),
            phases: Vec::new(),
        }
    }

    /// The phase `name` ended now (it began when the previous one ended).
    pub(crate) fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.last));
        self.last = now;
    }

    /// `assay: timings: walk=1.2ms read+parse=30.5ms … total=80.1ms`.
    pub(crate) fn print(&self) {
        if !self.enabled {
            return;
        }
        let total: Duration = self.phases.iter().map(|(_, d)| *d).sum();
        let mut line = String::from("assay: timings:");
        for (name, duration) in self.phases.iter().chain([&("total", total)]) {
            line.push_str(&format!(" {name}={:.1}ms", duration.as_secs_f64() * 1000.0));
        }
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}
