//! criterion.rs: `target/criterion/<bench>/{new,base}/{estimates,sample,benchmark}.json`.

use super::{Bench, Side, input, json};
use crate::gate::Context;
use crate::gates::GateError;
use crate::gates::performance::units::Dim;
use serde::Deserialize;

#[derive(Deserialize)]
struct Estimates {
    mean: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
}

#[derive(Deserialize)]
struct Sample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

#[derive(Deserialize)]
struct BenchmarkId {
    full_id: String,
}

/// Every benchmark of the criterion tree at `dir`: its mean estimate (ns per iteration) and,
/// from `sample.json`, the per-iteration time of each sample.
pub fn load(cx: &Context<'_>, dir: &str, side: Side<'_>) -> Result<Vec<Bench>, GateError> {
    let files = cx.repo.list_worktree(dir)?.ok_or_else(|| {
        input(dir, "criterion results not found (run `cargo bench` in an earlier CI step, or fix `path`)")
    })?;
    let leaf = match side {
        Side::Latest => "new",
        Side::CriterionBaseline(name) => name,
    };
    let suffix = format!("/{leaf}/estimates.json");
    let mut out = Vec::new();
    for est_path in files.iter().filter(|f| f.ends_with(&suffix)) {
        let bench_dir = &est_path[..est_path.len() - suffix.len()];
        let read = |name: &str| -> Result<Option<Vec<u8>>, GateError> {
            Ok(cx.input_file(&format!("{bench_dir}/{leaf}/{name}"))?)
        };
        let Some(bytes) = read("estimates.json")? else { continue };
        let est: Estimates = json(est_path, &bytes, "criterion estimates")?;
        let name = match read("benchmark.json")? {
            Some(b) => {
                json::<BenchmarkId>(&format!("{bench_dir}/{leaf}/benchmark.json"), &b, "criterion benchmark")?.full_id
            }
            None => bench_dir
                .strip_prefix(dir.trim_end_matches('/'))
                .unwrap_or(bench_dir)
                .trim_start_matches('/')
                .to_string(),
        };
        let mut bench = Bench::new(name, Dim::Time, est.mean.point_estimate);
        let sample_path = format!("{bench_dir}/{leaf}/sample.json");
        if let Some(b) = read("sample.json")? {
            let s: Sample = json(&sample_path, &b, "criterion sample")?;
            if s.iters.len() != s.times.len() || s.iters.iter().any(|i| *i <= 0.0) {
                return Err(input(
                    &sample_path,
                    "`iters` and `times` must have the same length and positive iteration counts",
                ));
            }
            bench.samples = s.times.iter().zip(&s.iters).map(|(t, i)| t / i).collect();
        }
        out.push(bench);
    }
    if out.is_empty() && side == Side::Latest {
        return Err(input(dir, &format!("no `*{suffix}` under this directory (is it criterion's output directory?)")));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
