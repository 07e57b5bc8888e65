//! hyperfine `--export-json`: `{"results": [{"command", "mean", "times": [s...]}]}`.

use super::{Bench, json};
use crate::gates::GateError;
use crate::gates::performance::units::Dim;
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    results: Vec<Run>,
}

#[derive(Deserialize)]
struct Run {
    command: String,
    mean: f64,
    #[serde(default)]
    times: Option<Vec<f64>>,
}

pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Bench>, GateError> {
    let f: File = json(path, bytes, "hyperfine")?;
    Ok(f.results
        .into_iter()
        .map(|r| {
            let samples = r.times.unwrap_or_default().into_iter().map(|t| t * 1e9).collect();
            Bench::new(r.command, Dim::Time, r.mean * 1e9).with_samples(samples)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_commands_means_and_times() {
        let b =
            parse("h.json", br#"{"results":[{"command":"sleep 0.1","mean":0.1,"stddev":0.01,"times":[0.09,0.11]}]}"#)
                .unwrap();
        assert_eq!(b[0].name, "sleep 0.1");
        assert_eq!(b[0].value, 1e8);
        assert_eq!(b[0].samples, vec![0.09e9, 0.11e9]);
        let e = parse("h.json", br#"{"results":[{"command":1}]}"#).unwrap_err().to_string();
        assert!(e.starts_with("h.json: not a valid hyperfine JSON file") && e.contains("line 1"), "{e}");
    }
}
