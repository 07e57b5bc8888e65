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

# Regex rules on added lines. Findings carry the id `patterns.<id>`.
"#,
    );
    if found.is_empty() {
        s.push_str("# (no Cargo/npm/Python/Go/Java layout found: add rules for your languages)\n");
    }
    for eco in found {
        s.push_str(&format!("\n# {}\n", eco.name()));
        s.push_str(match eco {
            Ecosystem::Rust => {
                r#"[[patterns.forbid]]
id = "rust-dbg"
pattern = '\bdbg!\('
paths = ["**/*.rs"]
message = "`dbg!` left in code"
help = "Remove it, or log through `tracing`."
"#
            }
            Ecosystem::Node => {
                r#"[[patterns.forbid]]
id = "js-focused-test"
pattern = '\b(describe|it|test)\.only\('
paths = ["**/*.js", "**/*.ts", "**/*.jsx", "**/*.tsx", "**/*.mjs", "**/*.cjs"]
message = "focused test (`.only`) skips the rest of the suite"
help = "Remove `.only` before merging."
"#
            }
            Ecosystem::Python => {
                r#"[[patterns.forbid]]
id = "py-breakpoint"
pattern = '\b(breakpoint\(\)|pdb\.set_trace\(\))'
paths = ["**/*.py"]
message = "debugger breakpoint left in code"
help = "Remove the breakpoint."
"#
            }
            Ecosystem::Go => {
                r#"[[patterns.forbid]]
id = "go-print"
pattern = '\bfmt\.Print(ln|f)?\('
paths = ["**/*.go"]
exclude = ["**/*_test.go", "cmd/**"]
message = "stray print in library code"
help = "Use the structured logger."
"#
            }
            Ecosystem::Java => {
                r#"[[patterns.forbid]]
id = "java-stdout"
pattern = 'System\.(out|err)\.print'
paths = ["**/src/main/**/*.java"]
message = "stray print in production code"
help = "Use the logger."
"#
            }
        });
    }
    s.push_str(
        r#"
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
            crate::policy::load_str("gates.toml", &starter_policy(&[eco])).unwrap();
        }
        crate::policy::load_str("gates.toml", &starter_policy(&all)).unwrap();
        crate::policy::load_str("gates.toml", &starter_policy(&[])).unwrap();
    }
}
