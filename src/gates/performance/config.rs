//! `[performance]`: the policy table and its compiled form (budgets parsed, globs built).

use super::evaluate::PerformanceGate;
use super::formats::{Format, Options};
use super::sizes::Compression;
use super::units::{Dim, Quantity, parse_percent, parse_quantity};
use crate::core::matcher::{Globs, key};
use crate::core::{GateCommon, PolicyError, Seg, Settings};
use crate::gates::{Built, GateMeta, Policy};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

crate::core::settings::gate_config! {
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

pub(super) struct CSource {
    pub(super) format: Format,
    pub(super) path: String,
    pub(super) base: Option<String>,
    pub(super) max_regression: Option<f64>,
    pub(super) baseline: String,
    pub(super) opts: Options,
}

pub(super) struct CBudget {
    pub(super) name: String,
    pub(super) matcher: globset::GlobMatcher,
    pub(super) max: Option<(Quantity, String)>,
    pub(super) min: Option<(Quantity, String)>,
    pub(super) max_regression: Option<f64>,
}

pub(super) struct CSize {
    pub(super) path: String,
    pub(super) globs: Globs,
    pub(super) max: Option<(u64, String)>,
    pub(super) max_growth: Option<f64>,
    pub(super) compression: Compression,
    pub(super) base: Option<(String, Format)>,
}

pub(super) fn build(policy: &Policy) -> Built {
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
        meta: GateMeta::new("performance", settings, super::catalogue()),
        confidence,
        test: cfg.test.unwrap_or_default(),
        sources,
        budgets,
        sizes: size_budgets,
    })])
}
