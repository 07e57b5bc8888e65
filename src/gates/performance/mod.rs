//! Performance budgets: benchmark results (criterion, hyperfine, Google Benchmark, `go test
//! -bench`, pytest-benchmark, Lighthouse, generic JSON/CSV) against absolute budgets and the
//! base run, with Welch's t-test so noise alone does not fail a PR; and artifact sizes (raw or
//! gzip) against `max` and `max_growth`.

pub mod formats;
pub mod sizes;
pub mod stats;
pub mod units;

use super::{Built, Family, Gate, GateError, GateReport, RuleInfo};
use crate::engine::Context;
use crate::finding::{Finding, Metric, Severity};
use crate::matcher::{Globs, key};
use crate::policy::{GateCommon, Policy, PolicyError, Seg, Settings};
use formats::{Bench, Format, Options, Side};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sizes::{Compression, Measured};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use units::{Dim, Quantity, format_value, parse_percent, parse_quantity};

crate::gate_config! {
    /// `[performance]`: benchmark results and artifact sizes against budgets and the base branch.
    pub struct Config {
        /// Confidence level of the significance test and of the intervals shown (default 0.95).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub confidence: Option<f64>,
        /// Significance test on samples: `welch` (t-test on the means, default) or `mann-whitney`
        /// (rank test, robust to outliers). The interval shown is always that of the difference of means.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub test: Option<Test>,
        /// Benchmark result files (or criterion directories) written by earlier CI steps.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub benchmarks: Vec<Source>,
        /// Limits by benchmark name glob: absolute `max`/`min` and `max_regression` against the base.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub budgets: Vec<Budget>,
        /// Artifact size budgets (binaries, bundles).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub sizes: Vec<SizeBudget>,
    }
}

/// The significance test applied where both sides have samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Test {
    #[default]
    Welch,
    MannWhitney,
}

/// One results file of the head run, and where the base figures come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The tool that wrote the results.
    pub format: Format,
    /// The results of this run (a file; for `criterion` the `target/criterion` directory).
    pub path: String,
    /// The base run's results in the same format (e.g. a downloaded artifact). For `criterion`
    /// it defaults to criterion's own `base/` estimates in `path`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Largest slowdown against the base for every benchmark of this file (`"5%"`), unless a
    /// `budgets` entry sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_regression: Option<String>,
    /// `criterion` only: the saved baseline to compare with when `base` is not given (`base`
    /// by default, as written by `cargo bench -- --save-baseline base`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// `lighthouse` only: audit ids (and `category:<id>` scores) to read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audits: Vec<String>,
}

/// Limits for the benchmarks whose name matches `name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Benchmark name glob (`*` matches any characters, `/` included).
    pub name: String,
    /// Highest allowed value (`"200 ms"`, `"64 KiB"`); applies to figures of the same dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// Lowest allowed value (`"10k ops/s"`, `"0.9"` for a score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Largest change for the worse against the base (`"5%"`); with samples, only a
    /// statistically significant change counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_regression: Option<String>,
}

/// A size budget for the files a glob matches (summed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SizeBudget {
    /// Path glob of the artifact(s), relative to the repository root.
    pub path: String,
    /// Largest allowed total size (`"12 MB"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// Largest growth against the base (`"3%"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_growth: Option<String>,
    /// `none` (default), `gzip` or `brotli`.
    #[serde(default)]
    pub compression: Compression,
    /// Sizes recorded by the base run (`json`/`csv` results: name = path, value, unit). Without
    /// it the base sizes are those of the files committed at the base revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
}

pub const FAMILY: Family = Family { name: "performance", build, catalogue };

/// Rows of the benchmark table in the Markdown summary (worst first); the JSON has them all.
const MAX_TABLE_ROWS: usize = 200;

const REGRESSION: &str = "performance.regression";
const BUDGET: &str = "performance.budget";
const UNMATCHED: &str = "performance.unmatched";
const SIZE: &str = "performance.size";
const SIZE_GROWTH: &str = "performance.size-growth";

fn catalogue() -> Vec<RuleInfo> {
    vec![
        RuleInfo::new(
            REGRESSION,
            Severity::Error,
            "A benchmark got worse against the base run by more than `max_regression`, and the change is statistically significant.",
            "Performance regressions merged one small step at a time add up; catching them at review time is cheapest.",
            "Find the slowdown (profile the benchmark named in the finding) and fix it. If it is an accepted trade-off, waive `performance.regression` with a reason, or raise `max_regression` in the base branch's policy.",
        ),
        RuleInfo::new(
            BUDGET,
            Severity::Error,
            "A benchmark is over its absolute `max` (or under its `min`) budget.",
            "Absolute budgets keep user-facing numbers (latency, page metrics, throughput) where the product needs them, however they drifted.",
            "Bring the figure back within the budget, or change the budget in a reviewed policy change.",
        ),
        RuleInfo::new(
            UNMATCHED,
            Severity::Warning,
            "Benchmark names do not line up: a benchmark of the base run is missing at head, or a budget matches no benchmark.",
            "A renamed or deleted benchmark silently escapes its budget; a budget that matches nothing checks nothing.",
            "Keep benchmark names stable (or update the budget globs with the rename); remove budgets for benchmarks that are gone.",
        ),
        RuleInfo::new(
            SIZE,
            Severity::Error,
            "An artifact (binary, bundle) is larger than its `max` size budget.",
            "Artifact size is download time, memory and cold-start time for every user.",
            "Shrink the artifact (drop dependencies, enable LTO/strip, split bundles) or change the budget in a reviewed policy change.",
        ),
        RuleInfo::new(
            SIZE_GROWTH,
            Severity::Error,
            "An artifact grew by more than `max_growth` against the base.",
            "Size creeps up in small steps; a growth budget makes each step a decision.",
            "Find what grew (new dependency, debug info, inlined assets) and remove it, or waive `performance.size-growth` with a reason.",
        ),
    ]
}

struct CSource {
    format: Format,
    path: String,
    base: Option<String>,
    max_regression: Option<f64>,
    baseline: String,
    opts: Options,
}

struct CBudget {
    name: String,
    matcher: globset::GlobMatcher,
    max: Option<(Quantity, String)>,
    min: Option<(Quantity, String)>,
    max_regression: Option<f64>,
}

struct CSize {
    path: String,
    globs: Globs,
    max: Option<(u64, String)>,
    max_growth: Option<f64>,
    compression: Compression,
    base: Option<(String, Format)>,
}

struct PerformanceGate {
    settings: Settings,
    confidence: f64,
    test: Test,
    sources: Vec<CSource>,
    budgets: Vec<CBudget>,
    sizes: Vec<CSize>,
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.performance else { return Ok(Vec::new()) };
    let mut errors = Vec::new();
    let root = vec![Seg::from("performance")];
    let confidence = cfg.confidence.unwrap_or(0.95);
    if !(confidence > 0.5 && confidence < 1.0) {
        errors.push(PolicyError::at(
            key(&root, &["confidence".into()]),
            format!("confidence must be between 0.5 and 1 (exclusive), e.g. 0.95; got {confidence}"),
        ));
    }
    let pct = |text: &Option<String>, at: Vec<Seg>, errors: &mut Vec<PolicyError>| -> Option<f64> {
        let t = text.as_ref()?;
        parse_percent(t).map_err(|m| errors.push(PolicyError::at(at, m))).ok()
    };
    let qty = |text: &Option<String>, at: Vec<Seg>, errors: &mut Vec<PolicyError>| -> Option<(Quantity, String)> {
        let t = text.as_ref()?;
        parse_quantity(t).map(|q| (q, t.clone())).map_err(|m| errors.push(PolicyError::at(at, m))).ok()
    };
    let path_ok = |p: &str, at: Vec<Seg>, errors: &mut Vec<PolicyError>| {
        if crate::repo::confine(p).is_err() {
            errors.push(PolicyError::at(
                at,
                format!("`{p}` must be a path inside the repository (no leading `/` or `..`)"),
            ));
        }
    };

    let mut sources = Vec::new();
    for (i, s) in cfg.benchmarks.iter().enumerate() {
        let at = key(&root, &["benchmarks".into(), Seg::Index(i)]);
        path_ok(&s.path, key(&at, &["path".into()]), &mut errors);
        if let Some(b) = &s.base {
            path_ok(b, key(&at, &["base".into()]), &mut errors);
        }
        if !s.audits.is_empty() && s.format != Format::Lighthouse {
            errors.push(PolicyError::at(
                key(&at, &["audits".into()]),
                "`audits` only applies to `format = \"lighthouse\"`",
            ));
        }
        if let Some(b) = &s.baseline {
            if s.format != Format::Criterion {
                errors.push(PolicyError::at(
                    key(&at, &["baseline".into()]),
                    "`baseline` only applies to `format = \"criterion\"`",
                ));
            } else if b.is_empty() || b == "new" || b.contains(['/', '\\']) || b.starts_with('.') {
                errors.push(PolicyError::at(
                    key(&at, &["baseline".into()]),
                    format!("`{b}` is not a criterion baseline name"),
                ));
            }
        }
        let max_regression = pct(&s.max_regression, key(&at, &["max_regression".into()]), &mut errors);
        sources.push(CSource {
            baseline: s.baseline.clone().unwrap_or_else(|| "base".into()),
            format: s.format,
            path: s.path.clone(),
            base: s.base.clone(),
            max_regression,
            opts: Options { audits: s.audits.clone() },
        });
    }

    let mut budgets = Vec::new();
    for (i, b) in cfg.budgets.iter().enumerate() {
        let at = key(&root, &["budgets".into(), Seg::Index(i)]);
        let matcher = match globset::GlobBuilder::new(&b.name).literal_separator(false).build() {
            Ok(g) => Some(g.compile_matcher()),
            Err(e) => {
                errors.push(PolicyError::at(
                    key(&at, &["name".into()]),
                    format!("invalid glob `{}`: {}", b.name, e.kind()),
                ));
                None
            }
        };
        let max = qty(&b.max, key(&at, &["max".into()]), &mut errors);
        let min = qty(&b.min, key(&at, &["min".into()]), &mut errors);
        let max_regression = pct(&b.max_regression, key(&at, &["max_regression".into()]), &mut errors);
        if b.max.is_none() && b.min.is_none() && b.max_regression.is_none() {
            errors.push(PolicyError::at(at.clone(), "a budget needs `max`, `min` or `max_regression`"));
        }
        if let Some(matcher) = matcher {
            budgets.push(CBudget { name: b.name.clone(), matcher, max, min, max_regression });
        }
    }

    let mut size_budgets = Vec::new();
    for (i, s) in cfg.sizes.iter().enumerate() {
        let at = key(&root, &["sizes".into(), Seg::Index(i)]);
        let globs =
            Globs::new(std::slice::from_ref(&s.path), &key(&at, &["path".into()])).map_err(|e| errors.push(e)).ok();
        let max = qty(&s.max, key(&at, &["max".into()]), &mut errors).and_then(|(q, t)| {
            if q.dim == Dim::Bytes {
                Some((q.value.round() as u64, t))
            } else {
                errors.push(PolicyError::at(
                    key(&at, &["max".into()]),
                    format!("`{t}` is not a size (use B, kB, MB, KiB, MiB...)"),
                ));
                None
            }
        });
        let max_growth = pct(&s.max_growth, key(&at, &["max_growth".into()]), &mut errors);
        if s.max.is_none() && s.max_growth.is_none() {
            errors.push(PolicyError::at(at.clone(), "a size budget needs `max` or `max_growth`"));
        }
        let base = match &s.base {
            None => None,
            Some(b) => {
                path_ok(b, key(&at, &["base".into()]), &mut errors);
                match b.rsplit('.').next() {
                    Some("json") => Some((b.clone(), Format::Json)),
                    Some("csv") => Some((b.clone(), Format::Csv)),
                    _ => {
                        errors.push(PolicyError::at(
                            key(&at, &["base".into()]),
                            format!("`{b}` must be a `.json` or `.csv` file of `name,value,unit` sizes"),
                        ));
                        None
                    }
                }
            }
        };
        if let Some(globs) = globs {
            size_budgets.push(CSize { path: s.path.clone(), globs, max, max_growth, compression: s.compression, base });
        }
    }
    if cfg.benchmarks.is_empty() && cfg.sizes.is_empty() {
        errors.push(PolicyError::at(root.clone(), "`[performance]` needs `benchmarks` or `sizes`"));
    }
    if !cfg.budgets.is_empty() && cfg.benchmarks.is_empty() {
        errors.push(PolicyError::at(key(&root, &["budgets".into()]), "`budgets` need `benchmarks` to apply to"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let settings = Settings::resolve(&policy.defaults, &[cfg.common()]);
    Ok(vec![Box::new(PerformanceGate {
        settings,
        confidence,
        test: cfg.test.unwrap_or_default(),
        sources,
        budgets,
        sizes: size_budgets,
    })])
}

/// One benchmark's comparison, a row of the summary table.
#[derive(Debug, Clone)]
struct Row {
    source: String,
    name: String,
    dim: Dim,
    base: Option<f64>,
    head: Option<f64>,
    /// (head − base) / base.
    change: Option<f64>,
    /// The change made positive when it is for the worse.
    worse: Option<f64>,
    /// Confidence interval of `change`.
    ci: Option<(f64, f64)>,
    p: Option<f64>,
    limits: Vec<String>,
    verdict: Vec<&'static str>,
}

impl Row {
    fn failing(&self) -> bool {
        self.verdict.iter().any(|v| matches!(*v, "regression" | "over budget" | "under budget"))
    }
}

impl Gate for PerformanceGate {
    fn id(&self) -> &str {
        "performance"
    }

    fn settings(&self) -> Settings {
        self.settings
    }

    fn rules(&self) -> Vec<RuleInfo> {
        catalogue()
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut findings = Vec::new();
        let mut rows = Vec::new();
        let mut budget_hits = vec![false; self.budgets.len()];

        for src in &self.sources {
            let head = formats::load(cx, src.format, &src.path, Side::Latest, &src.opts)?;
            let base = match (&src.base, src.format) {
                (Some(b), _) => Some(formats::load(cx, src.format, b, Side::Latest, &src.opts)?),
                (None, Format::Criterion) => {
                    Some(formats::load(cx, src.format, &src.path, Side::CriterionBaseline(&src.baseline), &src.opts)?)
                }
                (None, _) => None,
            };
            let base_index: HashMap<(&str, Dim), &Bench> =
                base.iter().flatten().map(|b| ((b.name.as_str(), b.dim), b)).collect();
            let head_index: HashSet<(&str, Dim)> = head.iter().map(|h| (h.name.as_str(), h.dim)).collect();
            for h in &head {
                let b = base_index.get(&(h.name.as_str(), h.dim)).copied();
                if src.format == Format::Criterion && src.base.is_none() {
                    if let Some(b) = b.filter(|b| !b.samples.is_empty() && b.samples == h.samples) {
                        return Err(GateError::Input {
                            path: src.path.clone(),
                            message: format!(
                                "criterion's `{}/` for `{}` is the same run as `new/` (a plain `cargo bench` copies `new/` over `base/`); save the base branch's run with `cargo bench -- --save-baseline {0}` and run the PR with `cargo bench -- --baseline {0}`",
                                src.baseline, b.name
                            ),
                        });
                    }
                }
                let row = self.compare(src, h, b, base.is_some(), &mut budget_hits, &mut findings);
                rows.push(row);
            }
            for b in base.iter().flatten() {
                if head_index.contains(&(b.name.as_str(), b.dim)) {
                    continue;
                }
                let msg = format!(
                    "benchmark `{}` is in the base results but not at head ({}); was it renamed or removed?",
                    b.name, src.path
                );
                findings.push(
                    Finding::new(UNMATCHED, Severity::Warning, None, msg, &format!("{}\0{}", src.path, b.name))
                        .with_help(fix(UNMATCHED)),
                );
                rows.push(Row {
                    source: src.path.clone(),
                    name: b.name.clone(),
                    dim: b.dim,
                    base: Some(b.value),
                    head: None,
                    change: None,
                    worse: None,
                    ci: None,
                    p: None,
                    limits: Vec::new(),
                    verdict: vec!["missing at head"],
                });
            }
        }
        for (b, hit) in self.budgets.iter().zip(&budget_hits) {
            if !hit {
                let msg = format!("budget `{}` matches no benchmark of a matching unit; it checks nothing", b.name);
                findings.push(
                    Finding::new(UNMATCHED, Severity::Warning, None, msg, &format!("budget\0{}", b.name))
                        .with_help(fix(UNMATCHED)),
                );
            }
        }

        let mut size_rows = Vec::new();
        for s in &self.sizes {
            size_rows.push(self.check_size(cx, s, &mut findings)?);
        }

        rows.sort_by(|a, b| {
            b.failing()
                .cmp(&a.failing())
                .then(b.worse.unwrap_or(f64::NEG_INFINITY).total_cmp(&a.worse.unwrap_or(f64::NEG_INFINITY)))
                .then(a.name.cmp(&b.name))
                .then(a.source.cmp(&b.source))
        });
        let regressions = rows.iter().filter(|r| r.verdict.contains(&"regression")).count();
        let mut metrics = vec![
            Metric { name: "benchmarks".into(), value: rows.len() as f64, unit: None },
            Metric { name: "regressions".into(), value: regressions as f64, unit: None },
        ];
        for (s, m) in &size_rows {
            metrics.push(Metric {
                name: match s.compression {
                    Compression::None => format!("size:{}", s.path),
                    c => format!("size:{} ({})", s.path, c.as_str()),
                },
                value: m.head as f64,
                unit: Some("B".into()),
            });
        }
        let summary = self.summary(&rows, &size_rows);
        let details = self.details(&rows, &size_rows);
        Ok(GateReport { findings, metrics, summary: Some(summary), details: Some(details) })
    }
}

/// A size budget's outcome.
struct SizeRow {
    head: u64,
    base: Option<u64>,
    files: Vec<(String, u64)>,
    verdict: Vec<&'static str>,
}

impl PerformanceGate {
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &self,
        src: &CSource,
        h: &Bench,
        b: Option<&Bench>,
        has_base: bool,
        budget_hits: &mut [bool],
        findings: &mut Vec<Finding>,
    ) -> Row {
        let mut row = Row {
            source: src.path.clone(),
            name: h.name.clone(),
            dim: h.dim,
            base: b.map(|b| b.value),
            head: Some(h.value),
            change: None,
            worse: None,
            ci: None,
            p: None,
            limits: Vec::new(),
            verdict: Vec::new(),
        };
        let fp = format!("{}\0{}", src.path, h.name);
        let mut threshold = src.max_regression;
        for (i, budget) in self.budgets.iter().enumerate() {
            if !budget.matcher.is_match(&h.name) {
                continue;
            }
            if let Some(t) = budget.max_regression {
                budget_hits[i] = true;
                threshold = Some(threshold.map_or(t, |cur: f64| cur.min(t)));
            }
            if let Some((q, text)) = budget.max.as_ref().filter(|(q, _)| q.dim.comparable(h.dim)) {
                budget_hits[i] = true;
                row.limits.push(format!("≤ {text}"));
                if h.value > q.value {
                    row.verdict.push("over budget");
                    let msg = format!(
                        "benchmark `{}` is {}, over its budget of {text} (budget `{}`)",
                        h.name,
                        format_value(h.value, h.dim),
                        budget.name
                    );
                    findings.push(Finding::new(BUDGET, Severity::Error, None, msg, &fp).with_help(fix(BUDGET)));
                }
            }
            if let Some((q, text)) = budget.min.as_ref().filter(|(q, _)| q.dim.comparable(h.dim)) {
                budget_hits[i] = true;
                row.limits.push(format!("≥ {text}"));
                if h.value < q.value {
                    row.verdict.push("under budget");
                    let msg = format!(
                        "benchmark `{}` is {}, under its minimum of {text} (budget `{}`)",
                        h.name,
                        format_value(h.value, h.dim),
                        budget.name
                    );
                    findings.push(Finding::new(BUDGET, Severity::Error, None, msg, &fp).with_help(fix(BUDGET)));
                }
            }
        }
        if let Some(t) = threshold {
            row.limits.insert(0, format!("Δ ≤ {}", limit_pct(t)));
        }
        let Some(b) = b else {
            row.verdict.push(if has_base { "new (not in base)" } else { "no base" });
            return row;
        };
        if b.value == 0.0 {
            row.verdict.push("base is 0");
            return row;
        }
        let change = (h.value - b.value) / b.value;
        let sign = if h.dim.higher_is_better() { -1.0 } else { 1.0 };
        let worse = sign * change;
        row.change = Some(change);
        row.worse = Some(worse);
        let welch = stats::welch(&b.samples, &h.samples, self.confidence);
        if let Some(w) = &welch {
            row.ci = Some((w.ci.0 / b.value, w.ci.1 / b.value));
        }
        row.p = match self.test {
            Test::Welch => welch.map(|w| w.p),
            Test::MannWhitney => stats::mann_whitney(&b.samples, &h.samples).map(|(_, p)| p),
        };
        let alpha = 1.0 - self.confidence;
        let significant = row.p.is_none_or(|p| p < alpha);
        match threshold {
            Some(t) if worse > t && significant => {
                row.verdict.push("regression");
                let evidence = match (row.p, row.ci) {
                    (Some(p), Some(ci)) => format!(
                        ", {:.0}% CI {} … {}, p {}",
                        self.confidence * 100.0,
                        pct(ci.0, true),
                        pct(ci.1, true),
                        p_text(p)
                    ),
                    _ => ", no samples to test significance".into(),
                };
                let msg = format!(
                    "benchmark `{}` regressed by {} against the base ({} → {}{evidence}); the budget allows {}",
                    h.name,
                    pct(worse, false),
                    format_value(b.value, b.dim),
                    format_value(h.value, h.dim),
                    limit_pct(t)
                );
                findings.push(Finding::new(REGRESSION, Severity::Error, None, msg, &fp).with_help(fix(REGRESSION)));
            }
            Some(t) if worse > t => row.verdict.push("within noise"),
            _ => {}
        }
        if row.verdict.is_empty() {
            row.verdict.push("ok");
        }
        row
    }

    fn check_size<'s>(
        &self,
        cx: &Context<'_>,
        s: &'s CSize,
        findings: &mut Vec<Finding>,
    ) -> Result<(&'s CSize, SizeRow), GateError> {
        let head = sizes::measure_head(cx, &s.path, &s.globs, s.compression)?;
        if head.files.is_empty() {
            return Err(GateError::Input {
                path: s.path.clone(),
                message: "no file matches this size budget (build the artifact in an earlier CI step, or fix `path`)"
                    .into(),
            });
        }
        let base: Option<Measured> = match (&s.base, s.max_growth) {
            (Some((path, format)), _) => sizes::measure_base_file(cx, path, *format, &s.globs)?,
            (None, Some(_)) => sizes::measure_base_commit(cx, &s.path, &s.globs, s.compression)?,
            (None, None) => None,
        };
        let how = match s.compression {
            Compression::None => String::new(),
            c => format!(" ({})", c.as_str()),
        };
        let mut verdict = Vec::new();
        if let Some((max, text)) = &s.max {
            if head.total > *max {
                verdict.push("over budget");
                let msg = format!(
                    "`{}` is {}{how}, over its budget of {text}",
                    s.path,
                    format_value(head.total as f64, Dim::Bytes)
                );
                findings.push(Finding::new(SIZE, Severity::Error, None, msg, &s.path).with_help(fix(SIZE)));
            }
        }
        if let (Some(t), Some(b)) = (s.max_growth, &base) {
            let growth =
                if b.total == 0 { f64::INFINITY } else { (head.total as f64 - b.total as f64) / b.total as f64 };
            if growth > t {
                verdict.push("grew too much");
                let msg = format!(
                    "`{}` grew by {} against the base ({} → {}{how}); the budget allows {}",
                    s.path,
                    pct(growth, false),
                    format_value(b.total as f64, Dim::Bytes),
                    format_value(head.total as f64, Dim::Bytes),
                    limit_pct(t)
                );
                findings
                    .push(Finding::new(SIZE_GROWTH, Severity::Error, None, msg, &s.path).with_help(fix(SIZE_GROWTH)));
            }
        }
        if s.max_growth.is_some() && base.is_none() {
            verdict.push("no base");
        }
        if verdict.is_empty() {
            verdict.push("ok");
        }
        Ok((s, SizeRow { head: head.total, base: base.map(|b| b.total), files: head.files, verdict }))
    }

    fn summary(&self, rows: &[Row], size_rows: &[(&CSize, SizeRow)]) -> String {
        let mut out = String::new();
        let conf = format!("{:.0}%", self.confidence * 100.0);
        if !rows.is_empty() {
            let multi = self.sources.len() > 1;
            let _ = writeln!(
                out,
                "**Benchmarks** (worst first; change with its {conf} confidence interval where samples exist)\n"
            );
            let _ = writeln!(
                out,
                "| benchmark |{} base | head | change | p | budget | verdict |\n|---|{}---|---|---|---|---|---|",
                if multi { " results |" } else { "" },
                if multi { "---|" } else { "" }
            );
            for r in rows.iter().take(MAX_TABLE_ROWS) {
                let val = |v: Option<f64>| v.map(|v| format_value(v, r.dim)).unwrap_or_else(|| "—".into());
                let change = match (r.change, r.ci) {
                    (Some(c), Some((lo, hi))) => format!("{} ({} … {})", pct(c, true), pct(lo, true), pct(hi, true)),
                    (Some(c), None) => pct(c, true),
                    _ => "—".into(),
                };
                let p = r.p.map(p_text).unwrap_or_else(|| "—".into());
                let budget = if r.limits.is_empty() { "—".into() } else { r.limits.join(", ") };
                let source = if multi { format!(" `{}` |", cell(&r.source)) } else { String::new() };
                let _ = writeln!(
                    out,
                    "| `{}` |{source} {} | {} | {change} | {p} | {budget} | {} |",
                    cell(&r.name),
                    val(r.base),
                    val(r.head),
                    verdict_text(&r.verdict, r.failing())
                );
            }
            if rows.len() > MAX_TABLE_ROWS {
                let _ = writeln!(
                    out,
                    "\n…and {} more benchmarks (better ones; every row is in the JSON report's `details`).",
                    rows.len() - MAX_TABLE_ROWS
                );
            }
            out.push('\n');
        }
        if !size_rows.is_empty() {
            let _ = writeln!(
                out,
                "**Sizes**\n\n| files | base | head | change | budget | verdict |\n|---|---|---|---|---|---|"
            );
            for (s, r) in size_rows {
                let bytes = |v: u64| format_value(v as f64, Dim::Bytes);
                let change = match r.base {
                    Some(b) if b > 0 => pct((r.head as f64 - b as f64) / b as f64, true),
                    _ => "—".into(),
                };
                let mut budget = Vec::new();
                if let Some((_, t)) = &s.max {
                    budget.push(format!("≤ {t}"));
                }
                if let Some(g) = s.max_growth {
                    budget.push(format!("Δ ≤ {}", limit_pct(g)));
                }
                let failing = r.verdict.iter().any(|v| matches!(*v, "over budget" | "grew too much"));
                let _ = writeln!(
                    out,
                    "| `{}` ({}, {} file{}) | {} | {} | {change} | {} | {} |",
                    cell(&s.path),
                    s.compression.as_str(),
                    r.files.len(),
                    if r.files.len() == 1 { "" } else { "s" },
                    r.base.map(bytes).unwrap_or_else(|| "—".into()),
                    bytes(r.head),
                    budget.join(", "),
                    verdict_text(&r.verdict, failing)
                );
            }
            out.push('\n');
        }
        out
    }

    fn details(&self, rows: &[Row], size_rows: &[(&CSize, SizeRow)]) -> serde_json::Value {
        let mut sorted: Vec<&Row> = rows.iter().collect();
        sorted.sort_by(|a, b| (&a.source, &a.name).cmp(&(&b.source, &b.name)));
        let benchmarks: Vec<serde_json::Value> = sorted
            .iter()
            .map(|r| {
                serde_json::json!({
                    "results": r.source,
                    "name": r.name,
                    "dimension": r.dim.as_str(),
                    "base": r.base,
                    "head": r.head,
                    "change": r.change,
                    "ci": r.ci.map(|(a, b)| [a, b]),
                    "p": r.p,
                    "budget": r.limits,
                    "verdict": r.verdict,
                })
            })
            .collect();
        let sizes: Vec<serde_json::Value> = size_rows
            .iter()
            .map(|(s, r)| {
                serde_json::json!({
                    "path": s.path,
                    "compression": s.compression.as_str(),
                    "base": r.base,
                    "head": r.head,
                    "files": r.files.iter().map(|(p, n)| serde_json::json!({"path": p, "bytes": n})).collect::<Vec<_>>(),
                    "verdict": r.verdict,
                })
            })
            .collect();
        let test = match self.test {
            Test::Welch => "welch",
            Test::MannWhitney => "mann-whitney",
        };
        serde_json::json!({ "confidence": self.confidence, "test": test, "benchmarks": benchmarks, "sizes": sizes })
    }
}

/// The `fix` text of a built-in rule.
fn fix(id: &str) -> String {
    catalogue().into_iter().find(|r| r.id == id).map(|r| r.fix).unwrap_or_default()
}

/// `0.123` → `+12.3%` (signed) or `12.3%`.
fn pct(v: f64, signed: bool) -> String {
    if v.is_infinite() {
        return "∞".into();
    }
    let p = v * 100.0;
    let digits = if p.abs() >= 10.0 { 1 } else { 2 };
    if signed { format!("{p:+.digits$}%") } else { format!("{p:.digits$}%") }
}

/// A budget's percentage as written: `0.1` → `10%`, `0.025` → `2.5%`.
fn limit_pct(v: f64) -> String {
    let s = format!("{:.2}", v * 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

fn p_text(p: f64) -> String {
    if p < 0.001 { "<0.001".into() } else { format!("{p:.3}") }
}

fn verdict_text(verdict: &[&str], failing: bool) -> String {
    let icon = if failing {
        "❌"
    } else if verdict.iter().any(|v| *v != "ok" && *v != "within noise") {
        "⚠️"
    } else {
        "✅"
    };
    format!("{icon} {}", verdict.join(", "))
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('`', "'").replace('\n', " ")
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
