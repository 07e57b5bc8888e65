//! Benchmark: `gatehouse check` end to end on a synthetic pull request of 5,000 changed files and
//! 500,000 added lines in a real git repository (git diff + parse + every gate + all four reports).
//!
//! Run: `cargo bench --bench large_pr` (optional args: FILES LINES_PER_FILE RUNS).
//! Prints wall time per run and the peak resident memory of the gatehouse process.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn git(dir: &Path, args: &[&str]) {
    let st = Command::new("git").arg("-C").arg(dir).args(args).env("GIT_CONFIG_NOSYSTEM", "1").status().unwrap();
    assert!(st.success(), "git {args:?}");
}

/// A deterministic pseudo-random stream, so every run builds the same repository.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// A line of plausible code; about one in 2,000 trips a policy rule.
fn code_line(rng: &mut Lcg, file: usize, line: usize) -> String {
    match rng.next() % 2000 {
        0 => format!("    dbg!(value_{file}_{line});"),
        1 => format!("    // TODO: handle case {line}"),
        n => format!("    let v{line} = compute_{}(input, {n}) + offset_{file};", n % 17),
    }
}

const POLICY: &str = r#"version = 1

[[patterns.forbid]]
id = "no-dbg"
pattern = 'dbg!\('
keywords = ["dbg!"]
paths = ["src/**"]

[[patterns.forbid]]
id = "no-todo"
pattern = '\bTODO\b'
severity = "warning"

[[patterns.forbid]]
id = "no-unwrap"
pattern = '\.unwrap\(\)'
keywords = [".unwrap()"]

[[patterns.require]]
id = "license"
pattern = "SPDX-License-Identifier"
paths = ["src/**"]

[hygiene]
max_pr_lines = 1000000
max_pr_files = 10000
title = true
body_required = true
max_file_size = "1 MB"
forbidden_paths = ["target/**", ".env"]

[security]

[architecture]
cycles = true
layers = [{ name = "low", from = "src/m1*/**", deny = ["src/m2*/**"] }]
limits = { max_file_lines = 2000, max_function_lines = 400, max_complexity = 30 }
co_change = [{ name = "changelog", when = ["src/**"], require = ["CHANGELOG.md"] }]

[observability]
presets = ["axum"]

[testability.tests_with_code]
code = ["src/**"]
tests = ["tests/**"]

[testability.test_hygiene]

[ai]
no_go = ["src/m0/**"]

[[waivers]]
rule = "patterns.no-todo"
path = "src/m1*/**"
reason = "benchmark: exercise waiver matching"
expires = "2099-01-01"
"#;

fn peak_rss_of_children_kib() -> i64 {
    // SAFETY: getrusage only writes the struct we pass.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut u);
        u.ru_maxrss
    }
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let files = args.first().copied().unwrap_or(5_000);
    let per_file = args.get(1).copied().unwrap_or(100);
    let runs = args.get(2).copied().unwrap_or(3);
    // LARGE_PR_KEEP=DIR keeps the generated repository there for profiling.
    let tmp = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("LARGE_PR_KEEP").map(std::path::PathBuf::from);
    if let Some(k) = &keep {
        let _ = std::fs::remove_dir_all(k);
        std::fs::create_dir_all(k).unwrap();
    }
    let dir = keep.as_deref().unwrap_or(tmp.path());
    let t = Instant::now();
    git(dir, &["init", "-q", "--initial-branch=main"]);
    git(dir, &["config", "user.name", "Bench"]);
    git(dir, &["config", "user.email", "bench@example.com"]);
    std::fs::write(dir.join("gates.toml"), POLICY).unwrap();
    let mut rng = Lcg(42);
    let path_of = |i: usize| format!("src/m{}/f{i}.rs", i % 50);
    let mut bodies = Vec::with_capacity(files);
    for i in 0..files {
        let p = dir.join(path_of(i));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let body: String = (0..20).map(|l| code_line(&mut rng, i, l) + "\n").collect();
        std::fs::write(&p, format!("// SPDX-License-Identifier: MIT\nfn f{i}() {{\n{body}}}\n")).unwrap();
        bodies.push(body);
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    git(dir, &["checkout", "-q", "-b", "pr"]);
    for (i, body) in bodies.iter().enumerate() {
        let added: String = (0..per_file).map(|l| code_line(&mut rng, i, l + 100) + "\n").collect();
        // Additions in two places, so each file has two hunks.
        let half = added.len() / 2;
        let cut = added[..half].rfind('\n').map_or(0, |c| c + 1);
        let text =
            format!("// SPDX-License-Identifier: MIT\n{}fn f{i}() {{\n{body}{}}}\n", &added[..cut], &added[cut..]);
        std::fs::write(dir.join(path_of(i)), text).unwrap();
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "feat: a very large change"]);
    let setup_rss = peak_rss_of_children_kib();
    println!(
        "synthetic PR: {files} files, {} added lines (generated in {:.1}s; git during setup peaked at {} MiB)",
        files * per_file,
        t.elapsed().as_secs_f64(),
        setup_rss / 1024
    );

    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let exe = env!("CARGO_BIN_EXE_gatehouse");
    let mut times = Vec::new();
    for run in 0..runs {
        let t = Instant::now();
        let o = Command::new(exe)
            .args(["check", "--repo"])
            .arg(dir)
            .args(["--base", "main", "--format", "json", "--body", "Closes #1", "-o"])
            .arg(out.join("r.sarif"))
            .arg("-o")
            .arg(out.join("r.md"))
            .arg("-o")
            .arg(format!("human={}", out.join("r.txt").display()))
            .env("GATEHOUSE_TODAY", "2026-01-01")
            .output()
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert!(matches!(o.status.code(), Some(0 | 1)), "gatehouse failed: {}", String::from_utf8_lossy(&o.stderr));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let findings: usize =
            report["gates"].as_array().unwrap().iter().map(|g| g["findings"].as_array().map_or(0, |a| a.len())).sum();
        let suppressed: usize =
            report["gates"].as_array().unwrap().iter().map(|g| g["suppressed"].as_array().map_or(0, |a| a.len())).sum();
        println!(
            "run {}: {secs:.2}s wall · {} files · {} added · {findings} findings · {suppressed} waived · timings {}",
            run + 1,
            report["stats"]["files"],
            report["stats"]["added"],
            report["timings_ms"]
        );
        times.push(secs);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "median {:.2}s · peak RSS {} MiB (largest process since setup: gatehouse or a git it ran; getrusage)",
        times[times.len() / 2],
        peak_rss_of_children_kib() / 1024
    );
}
