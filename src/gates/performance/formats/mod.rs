//! Benchmark result formats. Each parser turns one tool's output into [`Bench`] figures in
//! canonical units; errors name the file (and the line where the format has lines).

mod criterion;
mod generic;
mod gobench;
mod google;
mod hyperfine;
mod lighthouse;
mod pytest;

use super::units::Dim;
use crate::gate::Context;
use crate::gates::GateError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The tool that wrote a results file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A `target/criterion` directory (`<bench>/new/estimates.json` + `sample.json`).
    Criterion,
    /// `hyperfine --export-json`.
    Hyperfine,
    /// Google Benchmark `--benchmark_format=json` / `--benchmark_out`.
    GoogleBenchmark,
    /// `go test -bench . -benchmem` text output (repeat with `-count` for samples).
    GoBench,
    /// `pytest --benchmark-json` (samples with `--benchmark-save-data`).
    PytestBenchmark,
    /// A Lighthouse JSON report (selected audits and category scores).
    Lighthouse,
    /// `[{"name", "value", "unit", "samples"?}]` or `{"benchmarks": [...]}`.
    Json,
    /// `name,value,unit` with a header line.
    Csv,
}

/// One measured figure, in the canonical unit of its dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct Bench {
    pub name: String,
    pub dim: Dim,
    /// The point estimate (mean where the tool reports one).
    pub value: f64,
    /// Individual measurements (same unit), when the tool keeps them.
    pub samples: Vec<f64>,
}

impl Bench {
    pub fn new(name: impl Into<String>, dim: Dim, value: f64) -> Bench {
        Bench { name: name.into(), dim, value, samples: Vec::new() }
    }

    pub fn with_samples(mut self, samples: Vec<f64>) -> Bench {
        self.samples = samples;
        self
    }
}

/// Options some formats take.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Lighthouse: audit ids (and `category:<id>` scores) to read; empty reads the defaults.
    pub audits: Vec<String>,
}

/// Which results of a criterion tree to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side<'a> {
    /// The latest run (`new/`); for every other format, the file itself.
    Latest,
    /// A baseline criterion saved in the same tree (`base/`, or `--save-baseline NAME`).
    CriterionBaseline(&'a str),
}

/// Reads and parses the results at `path`. Missing, empty or malformed input is an error that
/// names the path.
pub fn load(
    cx: &Context<'_>,
    format: Format,
    path: &str,
    side: Side<'_>,
    opts: &Options,
) -> Result<Vec<Bench>, GateError> {
    let benches = if format == Format::Criterion {
        criterion::load(cx, path, side)?
    } else {
        let bytes = cx.input_file(path)?.ok_or_else(|| GateError::Input {
            path: path.to_string(),
            message: "benchmark results not found (produce them in an earlier CI step)".into(),
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(input(path, "the benchmark results file is empty"));
        }
        parse(format, path, &bytes, opts)?
    };
    // Criterion's `base/` may legitimately be absent (first run); every other input must hold results.
    if benches.is_empty() && side == Side::Latest {
        return Err(input(path, "no benchmark results found in it"));
    }
    check_unique(path, &benches)?;
    Ok(benches)
}

/// Parses one results file (every format but the criterion directory).
pub fn parse(format: Format, path: &str, bytes: &[u8], opts: &Options) -> Result<Vec<Bench>, GateError> {
    let mut out = match format {
        Format::Criterion => return Err(input(path, "criterion results are a directory, not a file")),
        Format::Hyperfine => hyperfine::parse(path, bytes)?,
        Format::GoogleBenchmark => google::parse(path, bytes)?,
        Format::GoBench => gobench::parse(path, bytes)?,
        Format::PytestBenchmark => pytest::parse(path, bytes)?,
        Format::Lighthouse => lighthouse::parse(path, bytes, &opts.audits)?,
        Format::Json => generic::parse_json(path, bytes)?,
        Format::Csv => generic::parse_csv(path, bytes)?,
    };
    for b in &mut out {
        if !b.value.is_finite() || b.samples.iter().any(|s| !s.is_finite()) {
            return Err(input(path, &format!("benchmark `{}` has a value that is not a finite number", b.name)));
        }
    }
    Ok(out)
}

fn check_unique(path: &str, benches: &[Bench]) -> Result<(), GateError> {
    let mut seen = std::collections::HashSet::new();
    for b in benches {
        if !seen.insert(b.name.as_str()) {
            return Err(input(path, &format!("benchmark `{}` appears more than once", b.name)));
        }
    }
    Ok(())
}

pub(crate) fn input(path: &str, message: &str) -> GateError {
    GateError::Input { path: path.to_string(), message: message.to_string() }
}

/// Deserialises JSON, naming the tool and the line and column of the problem.
pub(crate) fn json<T: serde::de::DeserializeOwned>(path: &str, bytes: &[u8], what: &str) -> Result<T, GateError> {
    serde_json::from_slice(bytes).map_err(|e| input(path, &format!("not a valid {what} JSON file: {e}")))
}

/// Mean of the values (callers ensure at least one).
pub(crate) fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}
