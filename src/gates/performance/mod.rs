//! Performance budgets: benchmark results (criterion, hyperfine, Google Benchmark, `go test
//! -bench`, pytest-benchmark, Lighthouse, generic JSON/CSV) against absolute budgets and the
//! base run, with Welch's t-test so noise alone does not fail a PR; and artifact sizes (raw or
//! gzip) against `max` and `max_growth`.

//!
//! Split like a cargo-deny check: `config` (the policy table and its compiled form),
//! `evaluate` (comparisons and findings), `summary` (the tables, as data).

pub mod config;
mod evaluate;
pub mod formats;
pub mod sizes;
pub mod stats;
mod summary;
pub mod units;

pub use config::{Budget, Config, SizeBudget, Source, Test};

use super::{Family, RuleInfo};
use crate::core::{Rule, Severity};

pub const FAMILY: Family = Family { name: "performance", build: config::build, catalogue };

/// Rows of the benchmark table in the Markdown summary (worst first); the JSON has them all.
pub(super) const MAX_TABLE_ROWS: usize = 200;

pub const REGRESSION: Rule = Rule::new(
    "performance.regression",
    Severity::Error,
    "A benchmark got worse against the base run by more than `max_regression`, and the change is statistically significant.",
    "Performance regressions merged one small step at a time add up; catching them at review time is cheapest.",
    "Find the slowdown (profile the benchmark named in the finding) and fix it. If it is an accepted trade-off, waive `performance.regression` with a reason, or raise `max_regression` in the base branch's policy.",
);

pub const BUDGET: Rule = Rule::new(
    "performance.budget",
    Severity::Error,
    "A benchmark is over its absolute `max` (or under its `min`) budget.",
    "Absolute budgets keep user-facing numbers (latency, page metrics, throughput) where the product needs them, however they drifted.",
    "Bring the figure back within the budget, or change the budget in a reviewed policy change.",
);

pub const UNMATCHED: Rule = Rule::new(
    "performance.unmatched",
    Severity::Warning,
    "Benchmark names do not line up: a benchmark of the base run is missing at head, or a budget matches no benchmark.",
    "A renamed or deleted benchmark silently escapes its budget; a budget that matches nothing checks nothing.",
    "Keep benchmark names stable (or update the budget globs with the rename); remove budgets for benchmarks that are gone.",
);

pub const SIZE: Rule = Rule::new(
    "performance.size",
    Severity::Error,
    "An artifact (binary, bundle) is larger than its `max` size budget.",
    "Artifact size is download time, memory and cold-start time for every user.",
    "Shrink the artifact (drop dependencies, enable LTO/strip, split bundles) or change the budget in a reviewed policy change.",
);

pub const SIZE_GROWTH: Rule = Rule::new(
    "performance.size-growth",
    Severity::Error,
    "An artifact grew by more than `max_growth` against the base.",
    "Size creeps up in small steps; a growth budget makes each step a decision.",
    "Find what grew (new dependency, debug info, inlined assets) and remove it, or waive `performance.size-growth` with a reason.",
);

/// Every rule this family declares.
pub const RULES: &[&Rule] = &[&REGRESSION, &BUDGET, &UNMATCHED, &SIZE, &SIZE_GROWTH];

fn catalogue() -> Vec<RuleInfo> {
    crate::core::rule::infos(RULES)
}

/// `0.123` → `+12.3%` (signed) or `12.3%`.
pub(super) fn pct(v: f64, signed: bool) -> String {
    if v.is_infinite() {
        return "∞".into();
    }
    let p = v * 100.0;
    let digits = if p.abs() >= 10.0 { 1 } else { 2 };
    if signed { format!("{p:+.digits$}%") } else { format!("{p:.digits$}%") }
}

/// A budget's percentage as written: `0.1` → `10%`, `0.025` → `2.5%`.
pub(super) fn limit_pct(v: f64) -> String {
    let s = format!("{:.2}", v * 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

pub(super) fn p_text(p: f64) -> String {
    if p < 0.001 { "<0.001".into() } else { format!("{p:.3}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_text() {
        assert_eq!(pct(0.1987, true), "+19.9%");
        assert_eq!(pct(-0.0123, true), "-1.23%");
        assert_eq!(pct(0.05, false), "5.00%");
        assert_eq!((limit_pct(0.1), limit_pct(0.025), limit_pct(0.03)), ("10%".into(), "2.5%".into(), "3%".into()));
        assert_eq!(p_text(0.0001), "<0.001");
        assert_eq!(p_text(0.4321), "0.432");
    }
}
