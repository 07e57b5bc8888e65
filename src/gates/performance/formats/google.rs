//! Google Benchmark JSON: `{"benchmarks": [{"name", "run_name", "run_type", "real_time",
//! "time_unit", "aggregate_name"?}]}`. Repetitions (`--benchmark_repetitions`) become samples;
//! when only aggregates were reported, the `mean` aggregate is the value. `bytes_per_second` and
//! `items_per_second` counters become `name [bytes/s]` and `name [items/s]` rates.

use super::{Bench, input, json, mean};
use crate::gates::GateError;
use crate::gates::performance::units::{Dim, unit};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct File {
    benchmarks: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    #[serde(default)]
    run_name: Option<String>,
    #[serde(default)]
    run_type: Option<String>,
    #[serde(default)]
    aggregate_name: Option<String>,
    #[serde(default)]
    real_time: Option<f64>,
    #[serde(default)]
    time_unit: Option<String>,
    #[serde(default)]
    error_occurred: Option<bool>,
    #[serde(default)]
    bytes_per_second: Option<f64>,
    #[serde(default)]
    items_per_second: Option<f64>,
}

pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Bench>, GateError> {
    let f: File = json(path, bytes, "Google Benchmark")?;
    let mut runs: BTreeMap<(String, Dim), Vec<f64>> = BTreeMap::new();
    let mut means: BTreeMap<(String, Dim), f64> = BTreeMap::new();
    for e in f.benchmarks {
        if e.error_occurred == Some(true) {
            continue;
        }
        let Some(t) = e.real_time else {
            return Err(input(path, &format!("benchmark `{}` has no `real_time`", e.name)));
        };
        let unit_name = e.time_unit.as_deref().unwrap_or("ns");
        let factor = match unit(unit_name) {
            Some((Dim::Time, f)) => f,
            _ => return Err(input(path, &format!("benchmark `{}` has an unknown time_unit `{unit_name}`", e.name))),
        };
        let name = e.run_name.clone().unwrap_or_else(|| e.name.clone());
        let mut figures = vec![((name.clone(), Dim::Time), t * factor)];
        if let Some(b) = e.bytes_per_second {
            figures.push(((format!("{name} [bytes/s]"), Dim::Rate), b));
        }
        if let Some(i) = e.items_per_second {
            figures.push(((format!("{name} [items/s]"), Dim::Rate), i));
        }
        for (key, v) in figures {
            match e.run_type.as_deref() {
                Some("aggregate") => {
                    if e.aggregate_name.as_deref() == Some("mean") {
                        means.insert(key, v);
                    }
                }
                _ => runs.entry(key).or_default().push(v),
            }
        }
    }
    let mut out: Vec<Bench> = runs
        .into_iter()
        .map(|((name, dim), samples)| {
            let m = mean(&samples);
            let samples = if samples.len() > 1 { samples } else { Vec::new() };
            Bench::new(name, dim, m).with_samples(samples)
        })
        .collect();
    for ((name, dim), m) in means {
        if !out.iter().any(|b| b.name == name) {
            out.push(Bench::new(name, dim, m));
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repetitions_become_samples_and_aggregates_fill_in() {
        let j = br#"{"context":{},"benchmarks":[
          {"name":"BM_a","run_name":"BM_a","run_type":"iteration","real_time":10,"cpu_time":9,"time_unit":"us"},
          {"name":"BM_a","run_name":"BM_a","run_type":"iteration","real_time":12,"cpu_time":9,"time_unit":"us"},
          {"name":"BM_a_mean","run_name":"BM_a","run_type":"aggregate","aggregate_name":"mean","real_time":11,"time_unit":"us"},
          {"name":"BM_b_mean","run_name":"BM_b","run_type":"aggregate","aggregate_name":"mean","real_time":5,"time_unit":"ms"},
          {"name":"BM_c","run_type":"iteration","error_occurred":true,"error_message":"x"}]}"#;
        let b = parse("g.json", j).unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(
            (b[0].name.as_str(), b[0].value, b[0].samples.clone()),
            ("BM_a", 11_000.0, vec![10_000.0, 12_000.0])
        );
        assert_eq!((b[1].name.as_str(), b[1].value, b[1].samples.len()), ("BM_b", 5e6, 0));
        let bad = br#"{"benchmarks":[{"name":"x","real_time":1,"time_unit":"fortnights"}]}"#;
        assert!(parse("g.json", bad).unwrap_err().to_string().contains("unknown time_unit `fortnights`"));
    }

    #[test]
    fn real_output_with_repetitions_and_counters() {
        // tests/data/performance/google-benchmark: 3 benchmarks x 5 repetitions + aggregates.
        let j =
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/performance/google-benchmark/gbench.json"));
        let b = parse("gbench.json", j).unwrap();
        let names: Vec<&str> = b.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "BM_StringCopy/4096",
                "BM_StringCopy/4096 [bytes/s]",
                "BM_StringCopy/64",
                "BM_StringCopy/64 [bytes/s]",
                "BM_VectorPush"
            ]
        );
        assert!(b.iter().all(|b| b.samples.len() == 5));
        assert_eq!(b[1].dim, Dim::Rate);
        let (m, _) = crate::gates::performance::stats::mean_var(&b[4].samples);
        assert!((m - b[4].value).abs() < 1e-9 * m);
    }
}
