//! Shared helpers for integration tests: real git repositories in temp dirs, and the binary.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Command as Std;

/// A git repository in a temporary directory, removed on drop.
pub struct TestRepo {
    pub dir: tempfile::TempDir,
}

impl TestRepo {
    /// `git init` on branch `main` with a fixed identity and no signing.
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = TestRepo { dir };
        r.git(&["init", "--quiet", "--initial-branch=main"]);
        r.git(&["config", "user.name", "Test"]);
        r.git(&["config", "user.email", "test@example.com"]);
        r.git(&["config", "commit.gpgsign", "false"]);
        r.git(&["config", "core.autocrlf", "false"]);
        r
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git and returns stdout; panics with stderr on failure.
    pub fn git(&self, args: &[&str]) -> String {
        let out = Std::new("git")
            .arg("-C")
            .arg(self.path())
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            // Fixed dates: the same history gets the same commit ids on every run (snapshots).
            .env("GIT_AUTHOR_DATE", "2026-05-01T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-05-01T12:00:00Z")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Writes a file (creating directories).
    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) -> &Self {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
        self
    }

    pub fn remove(&self, path: &str) -> &Self {
        std::fs::remove_file(self.path().join(path)).unwrap();
        self
    }

    /// `git add -A && git commit`; returns the new HEAD sha.
    pub fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "--quiet", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Creates and switches to a branch.
    pub fn branch(&self, name: &str) -> &Self {
        self.git(&["checkout", "--quiet", "-b", name]);
        self
    }

    pub fn file(&self, path: &str) -> PathBuf {
        self.path().join(path)
    }

    /// `gatehouse` with `--repo` pointing here is added by `check()`; this is the bare binary
    /// run inside the repository, with a fixed date for waiver expiry.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("gatehouse").unwrap();
        c.current_dir(self.path())
            .env("GATEHOUSE_TODAY", "2026-06-01")
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .env_remove("GITHUB_ACTIONS");
        c
    }

    /// `gatehouse check --repo <here> --no-timings` plus `args`.
    pub fn check(&self, args: &[&str]) -> Command {
        let mut c = self.cmd();
        c.arg("check").arg("--repo").arg(self.path()).arg("--no-timings").args(args);
        c
    }

    /// Runs `check --format json` and parses the report.
    pub fn json_report(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let out = self.check(&[&["--format", "json"], args].concat()).output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (code, v)
    }
}

/// A repository whose `main` holds `policy` and `files`, checked out on a new branch `pr`.
pub fn base_repo(policy: &str, files: &[(&str, &str)]) -> TestRepo {
    let r = TestRepo::new();
    r.write("gates.toml", policy);
    for (p, c) in files {
        r.write(p, c);
    }
    r.commit("base");
    r.branch("pr");
    r
}

/// `(rule, path, start line)` of the unsuppressed findings of one gate, in report order.
pub fn located(report: &serde_json::Value, gate_id: &str) -> Vec<(String, String, u64)> {
    gate(report, gate_id)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap_or("").to_string(),
                f["location"]["start_line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// Rule ids of the unsuppressed findings of a JSON report, sorted.
pub fn rules(report: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = report["gates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()))
        .collect();
    v.sort();
    v
}

/// The outcome object of one gate.
pub fn gate<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["gate"] == id)
        .unwrap_or_else(|| panic!("no gate {id} in {report:#}"))
}

/// A gate's summary blocks (typed data in the JSON record) rendered as the Markdown report does.
pub fn summary(gate: &serde_json::Value) -> String {
    let blocks: Vec<gatehouse::core::Block> =
        serde_json::from_value(gate["summary"].clone()).unwrap_or_else(|e| panic!("summary blocks: {e}\n{gate:#}"));
    let mut out = String::new();
    gatehouse::report::markdown::blocks(&mut out, &blocks);
    out
}
