//! The `testability.tests-with-code` gate: when code changes, tests change too.

use super::{TESTS_WITH_CODE, at};
use crate::core::Metric;
use crate::core::matcher::Globs;
use crate::core::rule::infos;
use crate::core::{PolicyError, Settings};
use crate::gate::Context;
use crate::gates::{Gate, GateError, GateMeta, GateReport};
use serde_json::json;

crate::core::settings::gate_config! {
    /// `[testability.tests_with_code]`: code changes must come with test changes.
    pub struct TestsWithCodeConfig {
        /// Globs of code files (`src/**`).
        #[serde(default)]
        pub code: Vec<String>,
        /// Globs of test files (`tests/**`, `**/*_test.go`, `**/test_*.py`).
        #[serde(default)]
        pub tests: Vec<String>,
        /// Globs never counted as code even under `code` (default: `**/*.md`, `docs/**`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub exempt_paths: Option<Vec<String>>,
        /// Pull-request labels that exempt the change (default: `refactor`, `docs`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub exempt_labels: Option<Vec<String>>,
        /// Count added lines inside Rust `#[cfg(test)]` modules of changed code files as test changes (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub inline_tests: Option<bool>,
    }
}

pub struct TestsWithCodeGate {
    meta: GateMeta,
    code: Globs,
    tests: Globs,
    exempt_paths: Globs,
    exempt_labels: Vec<String>,
    inline_tests: bool,
}

impl TestsWithCodeGate {
    pub fn build(c: &TestsWithCodeConfig, settings: Settings) -> Result<Self, Vec<PolicyError>> {
        let mut errors = Vec::new();
        if c.code.is_empty() {
            errors.push(PolicyError::at(at("tests_with_code", &["code"]), "list the globs of code files"));
        }
        if c.tests.is_empty() {
            errors.push(PolicyError::at(at("tests_with_code", &["tests"]), "list the globs of test files"));
        }
        let mut globs = |list: &[String], key: &str| {
            Globs::new(list, &at("tests_with_code", &[key])).map_err(|e| errors.push(e)).ok()
        };
        let code = globs(&c.code, "code");
        let tests = globs(&c.tests, "tests");
        let default_exempt = ["**/*.md".to_string(), "docs/**".to_string()];
        let exempt_paths = globs(c.exempt_paths.as_deref().unwrap_or(&default_exempt), "exempt_paths");
        match (code, tests, exempt_paths) {
            (Some(code), Some(tests), Some(exempt_paths)) if errors.is_empty() => Ok(TestsWithCodeGate {
                meta: GateMeta::new("testability.tests-with-code", settings, infos(&[&TESTS_WITH_CODE])),
                code,
                tests,
                exempt_paths,
                exempt_labels: c.exempt_labels.clone().unwrap_or_else(|| vec!["refactor".into(), "docs".into()]),
                inline_tests: c.inline_tests.unwrap_or(true),
            }),
            _ => Err(errors),
        }
    }
}

/// Head line ranges of Rust `#[cfg(test)]` items (the attribute to the closing brace).
/// Braces inside strings, chars and comments are skipped.
pub fn rust_test_blocks(src: &str) -> Vec<(u32, u32)> {
    let lines: Vec<&str> = src.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_start().starts_with("#[cfg(test)]") {
            let start = i as u32 + 1;
            let mut depth = 0i64;
            let mut opened = false;
            let mut j = i;
            'scan: while j < lines.len() {
                let mut chars = lines[j].chars().peekable();
                let mut in_str = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' if in_str => {
                            chars.next();
                        }
                        '"' => in_str = !in_str,
                        '/' if !in_str && chars.peek() == Some(&'/') => break,
                        '\'' if !in_str => {
                            // a char literal like '{' (not a lifetime)
                            let rest: String = chars.clone().take(3).collect();
                            if rest.len() >= 2 && rest.chars().nth(1) == Some('\'') {
                                chars.next();
                                chars.next();
                            }
                        }
                        '{' if !in_str => {
                            depth += 1;
                            opened = true;
                        }
                        '}' if !in_str => {
                            depth -= 1;
                            if opened && depth == 0 {
                                break 'scan;
                            }
                        }
                        ';' if !in_str && !opened && j > i => break 'scan, // `#[cfg(test)] use x;`
                        _ => {}
                    }
                }
                j += 1;
            }
            let end = (j.min(lines.len().saturating_sub(1))) as u32 + 1;
            out.push((start, end));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

impl Gate for TestsWithCodeGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let changed: Vec<_> = cx.changes.files.iter().filter(|f| f.exists_at_head() && !f.binary).collect();
        let mut code_files = Vec::new();
        let mut test_files = Vec::new();
        let mut inline = Vec::new();
        for f in &changed {
            let has_added = f.added_lines().next().is_some();
            if self.tests.matches(&f.path) {
                if has_added || f.removed_count() > 0 {
                    test_files.push(f.path.clone());
                }
                continue;
            }
            if !self.code.matches(&f.path) || self.exempt_paths.matches(&f.path) || !has_added {
                continue;
            }
            code_files.push(f.path.clone());
            if self.inline_tests && f.path.ends_with(".rs") {
                let Some(bytes) = cx.head_file(&f.path)? else { continue };
                let blocks = rust_test_blocks(&String::from_utf8_lossy(&bytes));
                if f.added_lines().any(|(n, _)| blocks.iter().any(|(s, e)| n >= *s && n <= *e)) {
                    inline.push(f.path.clone());
                }
            }
        }
        let exempt_label =
            cx.pr.labels.iter().find(|l| self.exempt_labels.iter().any(|e| e.eq_ignore_ascii_case(l))).cloned();
        let mut findings = Vec::new();
        let satisfied = !test_files.is_empty() || !inline.is_empty();
        if !code_files.is_empty() && !satisfied && exempt_label.is_none() {
            let r = &TESTS_WITH_CODE;
            let shown: Vec<&str> = code_files.iter().take(5).map(String::as_str).collect();
            let more = if code_files.len() > 5 { format!(" and {} more", code_files.len() - 5) } else { String::new() };
            let msg = format!(
                "{} code file(s) changed ({}{more}) but no test file matching {} changed{}",
                code_files.len(),
                shown.join(", "),
                self.tests.patterns().iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                if self.inline_tests { " and no inline `#[cfg(test)]` module gained lines" } else { "" }
            );
            findings.push(r.finding(None, msg, &code_files.join("\n")));
        }
        let metrics = vec![
            Metric { name: "code_files_changed".into(), value: code_files.len() as f64, unit: Some("files".into()) },
            Metric { name: "test_files_changed".into(), value: test_files.len() as f64, unit: Some("files".into()) },
        ];
        let details = json!({
            "code_files": code_files, "test_files": test_files, "inline_test_files": inline, "exempt_label": exempt_label,
        });
        Ok(GateReport { findings, metrics, summary: Vec::new(), details: Some(details) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cfg_test_modules() {
        let src = "fn a() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { let s = \"}\"; let c = '{'; }\n}\nfn after() {}\n#[cfg(test)]\nuse std::fmt;\n";
        assert_eq!(rust_test_blocks(src), vec![(3, 7), (9, 10)]);
        assert_eq!(rust_test_blocks("#[cfg(test)]\nmod t {\n"), vec![(1, 2)], "unclosed: to the end");
    }
}
