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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_output_with_saved_data() {
        // tests/data/performance/pytest-benchmark (pytest-benchmark 5.3.1, --benchmark-save-data).
        let j =
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/performance/pytest-benchmark/base.json"));
        let b = parse("base.json", j).unwrap();
        assert_eq!(
            b.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
            ["test_tiny.py::test_sleep", "test_tiny.py::test_sum"]
        );
        for x in &b {
            let (m, _) = crate::gates::performance::stats::mean_var(&x.samples);
            assert!(x.samples.len() >= 20 && (m - x.value).abs() < 1e-6 * m, "{x:?}");
        }
    }
}
