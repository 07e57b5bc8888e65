//! `gatehouse init`: a commented starter policy suited to the repository's ecosystems.

use std::path::Path;

/// Ecosystems recognised from marker files at the repository root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ecosystem {
    Rust,
    Node,
    Python,
    Go,
    Java,
}

impl Ecosystem {
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Rust => "Rust (Cargo)",
            Ecosystem::Node => "JavaScript/TypeScript (npm)",
            Ecosystem::Python => "Python",
            Ecosystem::Go => "Go",
            Ecosystem::Java => "Java (Maven/Gradle)",
        }
    }
}

pub fn detect(root: &Path) -> Vec<Ecosystem> {
    let has = |f: &str| root.join(f).exists();
    let mut found = Vec::new();
    if has("Cargo.toml") {
        found.push(Ecosystem::Rust);
    }
    if has("package.json") {
        found.push(Ecosystem::Node);
    }
    if has("pyproject.toml") || has("setup.py") || has("setup.cfg") || has("requirements.txt") {
        found.push(Ecosystem::Python);
    }
    if has("go.mod") {
        found.push(Ecosystem::Go);
    }
    if has("pom.xml") || has("build.gradle") || has("build.gradle.kts") {
        found.push(Ecosystem::Java);
    }
    found
}

/// The starter `gates.toml` for these ecosystems.
pub fn starter_policy(found: &[Ecosystem]) -> String {
    let mut s = String::from(
        r#"# Gatehouse policy. Read from the BASE commit of a pull request, so a PR cannot weaken the
# gates that judge it. Check it with `gatehouse validate`; editor completion: `gatehouse schema`.
# `gatehouse explain <rule-id>` says what any finding means and how to fix or waive it.
version = 1

[defaults]
mode = "block"        # block: a failing gate blocks the merge · warn: report only · off
on_error = "fail"     # a gate that cannot run fails closed; "warn" to let it pass with a warning
scope = "added"       # findings count on lines the PR adds; or "changed-files" / "all"
fail_on = "error"     # lowest severity that fails a gate: error | warning | notice

# Keep pull requests reviewable.
[hygiene]
max_pr_lines = 1000
max_pr_files = 50
exclude = ["*.lock", "package-lock.json", "**/snapshots/**", "**/__snapshots__/**"]
title = true                               # Conventional Commits titles
forbidden_paths = [".env", ".env.*", "target/**", "node_modules/**", "dist/**"]

# Secrets in added lines and dangerous patterns, with the built-in rule packs.
[security]
[security.secrets]
allow_paths = ["**/testdata/**", "**/fixtures/**"]
# [security.sensitive_paths]               # changes here need an approving review
# paths = [".github/workflows/**", "gates.toml", "CODEOWNERS"]

# Stray prints and secrets in log calls, on the built-in packs. Report-only to start with.
[observability]
mode = "warn"

# Focused or skipped tests and failing JUnit results.
[testability.test_hygiene]
"#,
    );
    if found.is_empty() {
        s.push_str(
            "\n# (no Cargo/npm/Python/Go/Java layout found: add `[testability.tests_with_code]` for your layout)\n",
        );
    } else {
        let names: Vec<&str> = found.iter().map(|e| e.name()).collect();
        let (mut code, mut tests) = (Vec::new(), Vec::new());
        for eco in found {
            let (c, t): (&[&str], &[&str]) = match eco {
                Ecosystem::Rust => (&["src/**/*.rs"], &["tests/**", "benches/**"]),
                Ecosystem::Node => {
                    (&["src/**/*.ts", "src/**/*.js"], &["**/*.test.*", "**/*.spec.*", "**/__tests__/**"])
                }
                Ecosystem::Python => (&["**/*.py"], &["tests/**", "**/test_*.py", "**/*_test.py"]),
                Ecosystem::Go => (&["**/*.go"], &["**/*_test.go"]),
                Ecosystem::Java => (&["**/src/main/**"], &["**/src/test/**"]),
            };
            code.extend(c.iter().copied().filter(|g| !tests.contains(g)));
            tests.extend(t.iter().copied());
        }
        code.retain(|g| !tests.contains(g));
        let list = |v: &[&str]| v.iter().map(|g| format!("\"{g}\"")).collect::<Vec<_>>().join(", ");
        s.push_str(&format!(
            "\n# Code changes come with test changes ({}). Inline Rust `#[cfg(test)]` modules count.\n\
             [testability.tests_with_code]\ncode = [{}]\ntests = [{}]\n",
            names.join(", "),
            list(&code),
            list(&tests)
        ));
    }
    s.push_str(
        r#"
# More gates, once your CI produces their inputs (see the README for every key):
# [testability.coverage]
# reports = ["coverage/lcov.info"]
# min_patch = 80
# [contract]
# openapi = [{ path = "api/openapi.yaml", require_major_bump_on_breaking = true }]
# [architecture]
# limits = { max_function_lines = 80, max_complexity = 15 }
# [ai]
# no_go = [".github/**", "src/auth/**"]
# [[patterns.forbid]]
# id = "no-todo"
# pattern = '\bTODO\b'
# severity = "warning"

# Reviewed, time-boxed exceptions. Inline alternative, on or above the line:
#   gatehouse: allow(<rule-id>) <reason>
# [[waivers]]
# rule = "hygiene.max-pr-lines"
# path = "vendor/**"
# reason = "vendored library update"
# expires = "2026-12-31"
"#,
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_starter_policy_is_valid() {
        let all = [Ecosystem::Rust, Ecosystem::Node, Ecosystem::Python, Ecosystem::Go, Ecosystem::Java];
        for eco in all {
            crate::gates::load_str("gates.toml", &starter_policy(&[eco])).unwrap();
        }
        crate::gates::load_str("gates.toml", &starter_policy(&all)).unwrap();
        crate::gates::load_str("gates.toml", &starter_policy(&[])).unwrap();
    }
}
