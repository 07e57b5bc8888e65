//! pytest-benchmark `--benchmark-json`: `{"benchmarks": [{"fullname", "stats": {"mean", "data"?}}]}`
//! (seconds; `data` holds every round with `--benchmark-save-data`).

use super::{Bench, json};
use crate::gates::GateError;
use crate::gates::performance::units::Dim;
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    benchmarks: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    #[serde(default)]
    fullname: Option<String>,
    stats: Stats,
}

#[derive(Deserialize)]
struct Stats {
    mean: f64,
    #[serde(default)]
    data: Option<Vec<f64>>,
}

pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Bench>, GateError> {
    let f: File = json(path, bytes, "pytest-benchmark")?;
    Ok(f.benchmarks
        .into_iter()
        .map(|e| {
            let samples = e.stats.data.unwrap_or_default().into_iter().map(|t| t * 1e9).collect();
            Bench::new(e.fullname.unwrap_or(e.name), Dim::Time, e.stats.mean * 1e9).with_samples(samples)
        })
        .collect())
}
