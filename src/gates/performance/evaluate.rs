//! Evaluation: each benchmark against its budgets and the base run (significance tested), and
//! each artifact size against its budget. Returns findings and rows; `summary` renders no text.

use super::config::{CBudget, CSize, CSource, Test};
use super::formats::{self, Bench, Format, Side};
use super::sizes::{self, Compression, Measured};
use super::stats;
use super::units::{Dim, format_value};
use super::{BUDGET, REGRESSION, SIZE, SIZE_GROWTH, UNMATCHED, limit_pct, p_text, pct};
use crate::core::{Finding, Metric};
use crate::gate::Context;
use crate::gates::{Gate, GateError, GateMeta, GateReport};
use std::collections::{HashMap, HashSet};

pub(super) struct PerformanceGate {
    pub(super) meta: GateMeta,
    pub(super) confidence: f64,
    pub(super) test: Test,
    pub(super) sources: Vec<CSource>,
    pub(super) budgets: Vec<CBudget>,
    pub(super) sizes: Vec<CSize>,
}

/// One benchmark's comparison, a row of the summary table.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) source: String,
    pub(super) name: String,
    pub(super) dim: Dim,
    pub(super) base: Option<f64>,
    pub(super) head: Option<f64>,
    /// (head − base) / base.
    pub(super) change: Option<f64>,
    /// The change made positive when it is for the worse.
    pub(super) worse: Option<f64>,
    /// Confidence interval of `change`.
    pub(super) ci: Option<(f64, f64)>,
    pub(super) p: Option<f64>,
    pub(super) limits: Vec<String>,
    pub(super) verdict: Vec<&'static str>,
}

impl Row {
    pub(super) fn failing(&self) -> bool {
        self.verdict.iter().any(|v| matches!(*v, "regression" | "over budget" | "under budget"))
    }
}

impl Gate for PerformanceGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
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
                findings.push(UNMATCHED.finding(None, msg, &format!("{}\0{}", src.path, b.name)));
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
                findings.push(UNMATCHED.finding(None, msg, &format!("budget\0{}", b.name)));
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
        let summary = super::summary::blocks(self, &rows, &size_rows);
        let details = self.details(&rows, &size_rows);
        Ok(GateReport { findings, metrics, summary, details: Some(details) })
    }
}

/// A size budget's outcome.
pub(super) struct SizeRow {
    pub(super) head: u64,
    pub(super) base: Option<u64>,
    pub(super) files: Vec<(String, u64)>,
    pub(super) verdict: Vec<&'static str>,
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
                    findings.push(BUDGET.finding(None, msg, &fp));
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
                    findings.push(BUDGET.finding(None, msg, &fp));
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
                findings.push(REGRESSION.finding(None, msg, &fp));
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
                findings.push(SIZE.finding(None, msg, &s.path));
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
                findings.push(SIZE_GROWTH.finding(None, msg, &s.path));
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
