//! The performance gate end to end: real benchmark outputs (criterion, hyperfine,
//! pytest-benchmark; see tests/data/performance/README.md) in real git repositories.

use crate::common::{TestRepo, gate, rules};
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/performance");

/// A repository whose `main` holds `policy`, now on branch `pr` with one commit.
fn repo(policy: &str) -> TestRepo {
    let r = TestRepo::new();
    r.write("gates.toml", policy).write("src/lib.rs", "pub fn a() {}\n");
    r.commit("base");
    r.branch("pr");
    r.write("src/lib.rs", "pub fn a() {}\npub fn b() {}\n");
    r.commit("change");
    r
}

/// Copies a fixture file or directory into the worktree (like an earlier CI step's output).
fn copy(r: &TestRepo, from: &str, to: &str) {
    fn walk(src: &Path, dst: &Path) {
        if src.is_dir() {
            std::fs::create_dir_all(dst).unwrap();
            for e in std::fs::read_dir(src).unwrap() {
                let e = e.unwrap();
                walk(&e.path(), &dst.join(e.file_name()));
            }
        } else {
            std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
            std::fs::copy(src, dst).unwrap();
        }
    }
    walk(&Path::new(DATA).join(from), &r.file(to));
}

fn row<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    gate(report, "performance")["details"]["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("no benchmark {name}"))
}

const CRITERION: &str = r#"version = 1
[performance]
benchmarks = [{ format = "criterion", path = "target/criterion" }]
budgets = [{ name = "tiny/sleep", max_regression = "10%" }]
"#;

#[test]
fn criterion_rerun_of_the_same_code_passes() {
    // gen1: +12.9% but not significant (heavy load on the machine); gen2: +6%, significant but
    // below the 10% budget. Either way, noise alone does not fail the gate.
    for (run, verdict) in [("gen1-noise", "within noise"), ("gen2-noise", "ok")] {
        let r = repo(CRITERION);
        copy(&r, &format!("criterion/{run}"), "target/criterion");
        let (code, report) = r.json_report(&[]);
        assert_eq!(code, 0, "{run}: {report:#}");
        assert_eq!(gate(&report, "performance")["conclusion"], "pass");
        let sleep = row(&report, "tiny/sleep");
        assert_eq!(sleep["verdict"], serde_json::json!([verdict]), "{run}: {sleep}");
        // Two real runs: the figures differ.
        assert_ne!(sleep["base"], sleep["head"]);
        let change = sleep["change"].as_f64().unwrap();
        assert!(change.abs() < 0.15, "{run}: {change}");
        let ci = sleep["ci"].as_array().unwrap();
        let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
        assert!(lo < change && change < hi, "{run}: {ci:?}");
        if verdict == "within noise" {
            assert!(change > 0.10 && lo < 0.0 && sleep["p"].as_f64().unwrap() > 0.05, "{run}: {sleep}");
        }
    }
}

#[test]
fn criterion_twenty_percent_slowdown_fails() {
    for run in ["gen1-slow", "gen2-slow"] {
        let r = repo(CRITERION);
        copy(&r, &format!("criterion/{run}"), "target/criterion");
        let (code, report) = r.json_report(&[]);
        assert_eq!(code, 1, "{run}: {report:#}");
        assert_eq!(rules(&report), ["performance.regression"]);
        let f = &gate(&report, "performance")["findings"][0];
        let msg = f["message"].as_str().unwrap();
        assert!(msg.starts_with("benchmark `tiny/sleep` regressed by "), "{msg}");
        assert!(msg.contains("95% CI") && msg.contains("the budget allows 10%"), "{msg}");
        let sleep = row(&report, "tiny/sleep");
        assert!(sleep["ci"][0].as_f64().unwrap() > 0.10, "{run}: {sleep}");
        assert!(sleep["p"].as_f64().unwrap() < 0.001, "{run}: {sleep}");
        // The summary lists the worst regression first.
        let summary = &crate::common::summary(gate(&report, "performance"));
        let first_row = summary.lines().find(|l| l.starts_with("| `")).unwrap();
        assert!(first_row.starts_with("| `tiny/sleep` |") && first_row.contains("❌ regression"), "{summary}");
        assert!(summary.contains("| `tiny/sum` |"), "{summary}");
    }
}

const HYPERFINE: &str = r#"version = 1
[performance]
benchmarks = [{ format = "hyperfine", path = "bench/head.json", base = "bench/base.json", max_regression = "10%" }]
"#;

#[test]
fn hyperfine_noise_passes_and_slowdown_fails() {
    let r = repo(HYPERFINE);
    copy(&r, "hyperfine/base.json", "bench/base.json");
    copy(&r, "hyperfine/head-same.json", "bench/head.json");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(row(&report, "sleep-20ms")["verdict"], serde_json::json!(["ok"]));

    copy(&r, "hyperfine/head-slow.json", "bench/head.json");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(rules(&report), ["performance.regression"]);
    let sleep = row(&report, "sleep-20ms");
    assert!(sleep["change"].as_f64().unwrap() > 0.2);
    assert!(sleep["p"].as_f64().unwrap() < 0.05);
}

#[test]
fn mann_whitney_is_robust_to_one_outlier() {
    // hyperfine's slow run has one 133 ms outlier among ~25 ms runs. The rank test sees that
    // nearly every run got slower; the verdict is the same either way, with a smaller p.
    for test in ["welch", "mann-whitney"] {
        let r = repo(&HYPERFINE.replace("[performance]", &format!("[performance]\ntest = \"{test}\"")));
        copy(&r, "hyperfine/base.json", "bench/base.json");
        copy(&r, "hyperfine/head-slow.json", "bench/head.json");
        let (code, report) = r.json_report(&[]);
        assert_eq!(code, 1, "{test}: {report:#}");
        let p = row(&report, "sleep-20ms")["p"].as_f64().unwrap();
        assert!(p < 0.05, "{test}: {p}");
        if test == "mann-whitney" {
            assert!(p < 1e-6, "{p}");
            assert_eq!(gate(&report, "performance")["details"]["test"], "mann-whitney");
        }
    }
}

#[test]
fn a_large_but_insignificant_change_is_noise() {
    // Two samples each, far apart: a 50% change in the means, but nowhere near significant.
    let r = repo(
        r#"version = 1
[performance]
benchmarks = [{ format = "json", path = "head.json", base = "base.json", max_regression = "5%" }]
"#,
    );
    r.write("base.json", r#"[{"name":"x","value":10,"unit":"ms","samples":[5,15]}]"#);
    r.write("head.json", r#"[{"name":"x","value":15,"unit":"ms","samples":[2,28]}]"#);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(row(&report, "x")["verdict"], serde_json::json!(["within noise"]));
    // Without samples there is nothing to test, and the point estimates decide.
    r.write("base.json", r#"[{"name":"x","value":10,"unit":"ms"}]"#);
    r.write("head.json", r#"[{"name":"x","value":15,"unit":"ms"}]"#);
    let (code, report) = r.json_report(&[]);
    assert_eq!((code, rules(&report)), (1, vec!["performance.regression".to_string()]));
    assert!(gate(&report, "performance")["findings"][0]["message"].as_str().unwrap().contains("no samples"));
}

#[test]
fn pytest_benchmark_results_with_saved_data() {
    let r = repo(
        r#"version = 1
[performance]
benchmarks = [{ format = "pytest-benchmark", path = "head.json", base = "base.json" }]
budgets = [{ name = "*test_sum", max = "50 ms" }, { name = "*::test_sleep", max = "1 µs" }]
"#,
    );
    copy(&r, "pytest-benchmark/base.json", "base.json");
    copy(&r, "pytest-benchmark/head.json", "head.json");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    // Only the absurd 1 µs budget on a 1 ms sleep fails; both benchmarks had samples.
    assert_eq!(rules(&report), ["performance.budget"]);
    let msg = gate(&report, "performance")["findings"][0]["message"].as_str().unwrap().to_string();
    assert!(
        msg.starts_with("benchmark `test_tiny.py::test_sleep` is 1.") && msg.contains("over its budget of 1 µs"),
        "{msg}"
    );
    let sum = row(&report, "test_tiny.py::test_sum");
    assert!(sum["ci"].is_array() && sum["p"].is_number(), "{sum}");
}

#[test]
fn go_bench_and_lighthouse_absolute_budgets() {
    let r = repo(
        r#"version = 1
[performance]
benchmarks = [
  { format = "go-bench", path = "go.txt" },
  { format = "lighthouse", path = "lh.json" },
]
budgets = [
  { name = "BenchmarkParse", max = "2 µs" },
  { name = "BenchmarkParse*", max = "1 KiB" },
  { name = "category:performance", min = "0.9" },
  { name = "BenchmarkGone", max = "1 s" },
]
"#,
    );
    r.write("go.txt", "goos: linux\nBenchmarkParse-8 \t 500000\t 2400 ns/op\t 512 B/op\t 7 allocs/op\nPASS\n");
    r.write(
        "lh.json",
        r#"{"audits":{"largest-contentful-paint":{"numericValue":2100,"numericUnit":"millisecond"}},"categories":{"performance":{"score":0.85}}}"#,
    );
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    let msgs: Vec<String> = gate(&report, "performance")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(msgs.len(), 3, "{msgs:#?}");
    assert!(msgs.iter().any(|m| m.starts_with("performance.budget benchmark `BenchmarkParse` is 2.4 µs")), "{msgs:#?}");
    assert!(
        msgs.iter().any(|m| m.starts_with("performance.budget benchmark `category:performance` is 0.85")),
        "{msgs:#?}"
    );
    assert!(msgs.iter().any(|m| m.starts_with("performance.unmatched budget `BenchmarkGone`")), "{msgs:#?}");
    // 512 B/op is within 1 KiB; the time budget does not apply to the bytes figure.
    assert_eq!(row(&report, "BenchmarkParse [B/op]")["verdict"], serde_json::json!(["no base"]));
}

#[test]
fn names_missing_at_head_and_new_ones_are_reported() {
    let r = repo(
        r#"version = 1
[performance]
benchmarks = [{ format = "csv", path = "head.csv", base = "base.csv", max_regression = "5%" }]
"#,
    );
    r.write("base.csv", "name,value,unit\nparse,10,ms\nrender,5,ms\n");
    r.write("head.csv", "name,value,unit\nparse,10.1,ms\nrender_v2,5,ms\n");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "warnings do not fail: {report:#}");
    let g = gate(&report, "performance");
    assert_eq!(rules(&report), ["performance.unmatched"]);
    assert!(g["findings"][0]["message"].as_str().unwrap().contains("`render` is in the base results but not at head"));
    assert_eq!(row(&report, "render")["verdict"], serde_json::json!(["missing at head"]));
    assert_eq!(row(&report, "render_v2")["verdict"], serde_json::json!(["new (not in base)"]));
    assert_eq!(row(&report, "parse")["verdict"], serde_json::json!(["ok"]));
}

#[test]
fn missing_empty_and_corrupt_results_fail_closed_naming_the_path() {
    let r = repo(HYPERFINE);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3, "{report:#}");
    let g = gate(&report, "performance");
    assert_eq!(g["conclusion"], "error");
    assert!(g["error"].as_str().unwrap().starts_with("bench/head.json: benchmark results not found"), "{g:#}");

    r.write("bench/head.json", "  \n");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3);
    assert_eq!(gate(&report, "performance")["error"], "bench/head.json: the benchmark results file is empty");

    r.write("bench/head.json", "{\"results\": [\n  {\"command\": \"x\", \"mean\": \"slow\"}]}");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3);
    let e = gate(&report, "performance")["error"].as_str().unwrap().to_string();
    assert!(e.starts_with("bench/head.json: not a valid hyperfine JSON file") && e.contains("line 2"), "{e}");

    // Head is fine, the base artifact is missing: also an error, naming the base path.
    copy(&r, "hyperfine/head-same.json", "bench/head.json");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3);
    assert!(gate(&report, "performance")["error"].as_str().unwrap().starts_with("bench/base.json:"));

    let r = repo(CRITERION);
    std::fs::create_dir_all(r.file("target/criterion/report")).unwrap();
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3);
    assert!(
        gate(&report, "performance")["error"]
            .as_str()
            .unwrap()
            .starts_with("target/criterion: no `*/new/estimates.json`")
    );
}

#[test]
fn size_budgets_against_the_base_commit() {
    let policy = r#"version = 1
[performance]
sizes = [
  { path = "dist/*.js", max = "10 kB", max_growth = "3%", compression = "gzip" },
  { path = "dist/*.js", max = "80 kB" },
  { path = "dist/app.js", max_growth = "50%", compression = "brotli" },
]
"#;
    let r = TestRepo::new();
    // Compressible but not trivially: numbered lines.
    let bundle = |n: usize| (0..n).map(|i| format!("export const v{i} = {};\n", i * 7919 % 1000)).collect::<String>();
    r.write("gates.toml", policy).write("dist/app.js", bundle(1000)).write("dist/vendor.js", bundle(200));
    r.commit("base");
    r.branch("pr");
    r.write("dist/app.js", bundle(1010));
    r.commit("a little more");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{report:#}");
    let sizes = &gate(&report, "performance")["details"]["sizes"];
    assert_eq!(sizes[0]["files"].as_array().unwrap().len(), 2);
    assert!(sizes[0]["base"].as_u64().unwrap() < sizes[0]["head"].as_u64().unwrap());
    // Raw size is the plain byte count.
    let raw = std::fs::metadata(r.file("dist/app.js")).unwrap().len()
        + std::fs::metadata(r.file("dist/vendor.js")).unwrap().len();
    assert_eq!(sizes[1]["head"].as_u64().unwrap(), raw);
    let app_raw = std::fs::metadata(r.file("dist/app.js")).unwrap().len();
    let app_br = sizes[2]["head"].as_u64().unwrap();
    assert!(sizes[2]["compression"] == "brotli" && app_br > 100 && app_br * 4 < app_raw, "{sizes:#}");

    r.write("dist/app.js", bundle(3000));
    r.commit("much more");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    let mut got = rules(&report);
    got.dedup();
    assert_eq!(got, ["performance.size", "performance.size-growth"]);
    let summary = &crate::common::summary(gate(&report, "performance"));
    assert!(summary.contains("| `dist/*.js` (gzip, 2 files) |"), "{summary}");
}

#[test]
fn size_budget_with_base_results_file_and_missing_artifact() {
    let r = repo(
        r#"version = 1
[performance]
sizes = [{ path = "target/release/app", max_growth = "5%", base = "base-sizes.csv" }]
"#,
    );
    r.write("base-sizes.csv", "name,value,unit\ntarget/release/app,1,kB\n");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3);
    assert!(gate(&report, "performance")["error"].as_str().unwrap().starts_with("target/release/app: no file matches"));
    r.write("target/release/app", vec![0u8; 1100]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    let msg = gate(&report, "performance")["findings"][0]["message"].as_str().unwrap().to_string();
    assert_eq!(msg, "`target/release/app` grew by 10.0% against the base (1 kB → 1.1 kB); the budget allows 5%");
}

#[test]
fn policy_errors_point_at_the_key() {
    let r = repo(
        r#"version = 1
[performance]
confidence = 2
benchmarks = [{ format = "hyperfine", path = "/etc/x.json", max_regression = "5" }]
budgets = [{ name = "a", max = "12 parsecs" }]
sizes = [{ path = "dist/*.js", max = "5 ms" }]
"#,
    );
    let out = r.cmd().args(["validate"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for needle in [
        "confidence must be between 0.5 and 1",
        "must be a path inside the repository",
        "`5` must be a percentage",
        "unknown unit `parsecs`",
        "`5 ms` is not a size",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
}

#[test]
fn markdown_summary_snapshot() {
    let r = repo(
        r#"version = 1
[performance]
benchmarks = [
  { format = "criterion", path = "target/criterion" },
  { format = "hyperfine", path = "bench/head.json", base = "bench/base.json", max_regression = "10%" },
  { format = "csv", path = "head.csv", base = "base.csv" },
]
budgets = [{ name = "tiny/sleep", max_regression = "10%" }, { name = "tiny/*", max = "1.3 ms" }, { name = "ops", min = "10k ops/s" }]
sizes = [{ path = "dist/*.js", max = "1 kB", compression = "gzip" }]
"#,
    );
    copy(&r, "criterion/gen2-slow", "target/criterion");
    copy(&r, "hyperfine/base.json", "bench/base.json");
    copy(&r, "hyperfine/head-same.json", "bench/head.json");
    r.write("base.csv", "name,value,unit\nops,12,kops/s\nold,1,ms\n");
    r.write("head.csv", "name,value,unit\nops,9.5,kops/s\n");
    r.write("dist/app.js", "console.log('hello');\n".repeat(20));
    let out = r.check(&["--format", "markdown"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    let start = md.find("<details").unwrap();
    let end = md.rfind("</details>").unwrap();
    insta::assert_snapshot!(&md[start..end]);
}

#[test]
fn criterion_named_baseline_and_base_run_directory() {
    // `cargo bench -- --save-baseline main` on the base, `--baseline main` on the PR.
    let r = repo(
        r#"version = 1
[performance]
benchmarks = [{ format = "criterion", path = "target/criterion", baseline = "main" }]
budgets = [{ name = "tiny/sleep", max_regression = "10%" }]
"#,
    );
    copy(&r, "criterion/gen2-slow", "target/criterion");
    for b in ["sleep", "sum"] {
        std::fs::rename(
            r.file(&format!("target/criterion/tiny/{b}/base")),
            r.file(&format!("target/criterion/tiny/{b}/main")),
        )
        .unwrap();
    }
    let (code, report) = r.json_report(&[]);
    assert_eq!((code, rules(&report)), (1, vec!["performance.regression".to_string()]), "{report:#}");

    // The base run's whole `target/criterion` downloaded as an artifact: its `new/` is the base.
    let r = repo(
        r#"version = 1
[performance]
benchmarks = [{ format = "criterion", path = "target/criterion", base = "base-run/criterion", max_regression = "10%" }]
"#,
    );
    copy(&r, "criterion/gen2-noise", "target/criterion");
    copy(&r, "criterion/gen2-slow", "base-run/criterion");
    // Head = the same-code run, base = the slow run: an improvement, not a regression.
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{report:#}");
    let sleep = row(&report, "tiny/sleep");
    assert!(sleep["change"].as_f64().unwrap() < -0.1, "{sleep}");
    assert_eq!(sleep["verdict"], serde_json::json!(["ok"]));
    // Swapped: the slowdown is caught.
    let r2 = repo(
        r#"version = 1
[performance]
benchmarks = [{ format = "criterion", path = "target/criterion", base = "base-run/criterion", max_regression = "10%" }]
"#,
    );
    copy(&r2, "criterion/gen2-slow", "target/criterion");
    copy(&r2, "criterion/gen2-noise", "base-run/criterion");
    let (code, report) = r2.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(row(&report, "tiny/sleep")["verdict"], serde_json::json!(["regression"]));
}

#[test]
fn binary_garbage_is_an_error_not_a_panic() {
    let r = repo(
        r#"version = 1
[performance]
benchmarks = [
  { format = "go-bench", path = "go.txt" },
]
"#,
    );
    r.write("go.txt", [0xff, 0xfe, 0x00, 0x42, 0x80, 0x81]);
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3);
    assert!(
        gate(&report, "performance")["error"].as_str().unwrap().starts_with("go.txt: not UTF-8 text"),
        "{report:#}"
    );
    // Text without a single benchmark line is "no results", not an empty pass.
    r.write("go.txt", "PASS\nok  \texample.com/x\t0.1s\n");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3);
    assert_eq!(gate(&report, "performance")["error"], "go.txt: no benchmark results found in it");
}

#[test]
fn the_summary_table_is_capped_worst_first() {
    let r = repo(
        r#"version = 1
[performance]
benchmarks = [{ format = "csv", path = "head.csv", base = "base.csv", max_regression = "50%" }]
"#,
    );
    let base: String = (0..250).map(|i| format!("b{i:03},100,ns\n")).collect();
    let head: String = (0..250).map(|i| format!("b{i:03},{},ns\n", 100 + i / 10)).collect();
    r.write("base.csv", format!("name,value,unit\n{base}"));
    r.write("head.csv", format!("name,value,unit\n{head}"));
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "{report:#}");
    let g = gate(&report, "performance");
    assert_eq!(g["details"]["benchmarks"].as_array().unwrap().len(), 250);
    let summary = &crate::common::summary(g);
    assert_eq!(summary.lines().filter(|l| l.starts_with("| `b")).count(), 200);
    assert!(summary.contains("…and 50 more benchmarks"), "{summary}");
    // Worst first: b240..b249 (+24%) lead.
    let first = summary.lines().find(|l| l.starts_with("| `b")).unwrap();
    assert!(first.starts_with("| `b240` |"), "{first}");
}

#[test]
fn a_criterion_baseline_overwritten_by_a_plain_run_is_an_error() {
    // A plain `cargo bench` leaves `base/` == `new/`: comparing them would always pass.
    let r = repo(CRITERION);
    copy(&r, "criterion/gen2-slow", "target/criterion");
    for b in ["sleep", "sum"] {
        let dir = r.file(&format!("target/criterion/tiny/{b}"));
        for f in ["estimates.json", "sample.json", "benchmark.json"] {
            std::fs::copy(dir.join("new").join(f), dir.join("base").join(f)).unwrap();
        }
    }
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3, "{report:#}");
    let e = gate(&report, "performance")["error"].as_str().unwrap().to_string();
    assert!(
        e.starts_with("target/criterion: criterion's `base/` for `tiny/") && e.contains("--save-baseline base"),
        "{e}"
    );
}
