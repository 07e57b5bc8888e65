//! `go test -bench . -benchmem` text: `BenchmarkName-8  1000  1234 ns/op  56 B/op  2 allocs/op`.
//! `ns/op` is the benchmark itself; every other metric becomes `Name [unit]`. Repeated lines
//! (`-count N`) are samples.

use super::{Bench, input, mean};
use crate::gates::GateError;
use crate::gates::performance::units::{Dim, unit};
use std::collections::BTreeMap;

pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Bench>, GateError> {
    let text = std::str::from_utf8(bytes).map_err(|e| input(path, &format!("not UTF-8 text: {e}")))?;
    let mut series: BTreeMap<String, (Dim, Vec<f64>)> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let at = |msg: String| input(path, &format!("line {}: {msg}", i + 1));
        let mut fields = line.split_whitespace();
        let Some(first) = fields.next().filter(|f| f.starts_with("Benchmark")) else { continue };
        let rest: Vec<&str> = fields.collect();
        // `go test -v` prints the bare name on its own line before the result line.
        let Some(iters) = rest.first() else { continue };
        if iters.parse::<u64>().is_err() {
            continue;
        }
        let name = strip_procs(first);
        let metrics = &rest[1..];
        if metrics.is_empty() || metrics.len() % 2 != 0 {
            return Err(at(format!("expected `value unit` pairs after the iteration count in `{}`", line.trim())));
        }
        for pair in metrics.chunks(2) {
            let value: f64 = pair[0].parse().map_err(|_| at(format!("`{}` is not a number", pair[0])))?;
            let (key, dim, factor) = metric(&name, pair[1]);
            let entry = series.entry(key).or_insert((dim, Vec::new()));
            entry.1.push(value * factor);
        }
    }
    Ok(series
        .into_iter()
        .map(|(name, (dim, samples))| {
            let m = mean(&samples);
            let samples = if samples.len() > 1 { samples } else { Vec::new() };
            Bench::new(name, dim, m).with_samples(samples)
        })
        .collect())
}

/// `BenchmarkFoo/bar-8` → `BenchmarkFoo/bar` (the GOMAXPROCS suffix).
fn strip_procs(name: &str) -> String {
    match name.rsplit_once('-') {
        Some((head, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => head.to_string(),
        _ => name.to_string(),
    }
}

fn metric(name: &str, unit_name: &str) -> (String, Dim, f64) {
    match unit_name {
        "ns/op" => (name.to_string(), Dim::Time, 1.0),
        "B/op" => (format!("{name} [B/op]"), Dim::Bytes, 1.0),
        "allocs/op" => (format!("{name} [allocs/op]"), Dim::Count, 1.0),
        other => {
            let (dim, f) = unit(other).unwrap_or((Dim::Count, 1.0));
            (format!("{name} [{other}]"), dim, f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "goos: linux\ngoarch: amd64\npkg: example.com/x\ncpu: Example CPU\n\
BenchmarkParse-8   \t  500000\t      2400 ns/op\t     512 B/op\t       7 allocs/op\n\
BenchmarkParse-8   \t  500000\t      2600 ns/op\t     512 B/op\t       7 allocs/op\n\
BenchmarkCopy/size=1k-8\t 1000000\t      1000 ns/op\t 1024.00 MB/s\n\
PASS\nok  \texample.com/x\t3.2s\n";

    #[test]
    fn reads_benchmem_lines_and_repeats() {
        let b = parse("go.txt", OUT.as_bytes()).unwrap();
        let names: Vec<&str> = b.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "BenchmarkCopy/size=1k",
                "BenchmarkCopy/size=1k [MB/s]",
                "BenchmarkParse",
                "BenchmarkParse [B/op]",
                "BenchmarkParse [allocs/op]"
            ]
        );
        assert_eq!((b[2].value, b[2].samples.clone()), (2500.0, vec![2400.0, 2600.0]));
        assert_eq!((b[1].dim, b[1].value), (Dim::Rate, 1.024e9));
        assert_eq!((b[3].dim, b[3].value), (Dim::Bytes, 512.0));
        assert_eq!((b[4].dim, b[4].value), (Dim::Count, 7.0));
    }

    #[test]
    fn real_output_with_benchmem_and_count() {
        // tests/data/performance/go-bench: `go test -bench . -benchmem -count 5` (Go 1.19).
        let t = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/performance/go-bench/gobench.txt"));
        let b = parse("gobench.txt", t).unwrap();
        let names: Vec<&str> = b.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "BenchmarkCopy/size=4096",
                "BenchmarkCopy/size=4096 [B/op]",
                "BenchmarkCopy/size=4096 [MB/s]",
                "BenchmarkCopy/size=4096 [allocs/op]",
                "BenchmarkCopy/size=64",
                "BenchmarkCopy/size=64 [B/op]",
                "BenchmarkCopy/size=64 [MB/s]",
                "BenchmarkCopy/size=64 [allocs/op]",
                "BenchmarkJoin",
                "BenchmarkJoin [B/op]",
                "BenchmarkJoin [allocs/op]"
            ]
        );
        assert!(b.iter().all(|b| b.samples.len() == 5));
        assert_eq!((b[1].dim, b[1].value), (Dim::Bytes, 4096.0));
        assert_eq!(b[8].samples, vec![3255.0, 2980.0, 1282.0, 1308.0, 1065.0]);
    }

    #[test]
    fn malformed_lines_name_the_line() {
        let e = parse("go.txt", b"goos: linux\nBenchmarkX-8 100 12 ns/op 5\n").unwrap_err().to_string();
        assert!(e.starts_with("go.txt: line 2: expected `value unit` pairs"), "{e}");
        let e = parse("go.txt", b"BenchmarkX-8 100 fast ns/op\n").unwrap_err().to_string();
        assert!(e.contains("line 1: `fast` is not a number"), "{e}");
    }
}
