//! The `testability.test-hygiene` gate: focused or skipped tests on added lines, and JUnit XML
//! results with failures or errors.

use super::coverage::xml::{Item, attr, walk};
use super::{FOCUSED_TEST, JUNIT_FAILURES, SKIPPED_TEST, at};
use crate::core::matcher::PathFilter;
use crate::core::rule::infos;
use crate::core::{Location, Metric};
use crate::core::{PolicyError, Settings};
use crate::gate::Context;
use crate::gates::{Gate, GateError, GateMeta, GateReport};
use regex::Regex;
use serde_json::json;
use std::io::BufReader;

crate::core::settings::gate_config! {
    /// `[testability.test_hygiene]`: no focused or skipped tests, no failing JUnit results.
    pub struct TestHygieneConfig {
        /// Globs of files checked for focus/skip markers on added lines (default: every file).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub paths: Vec<String>,
        /// Globs excluded from `paths`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub exclude: Vec<String>,
        /// JUnit XML result files written by an earlier CI step; failures or errors fail the gate.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub junit: Vec<String>,
        /// Check added lines for skip markers (default true); focus markers are always checked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub skipped: Option<bool>,
    }
}

const FOCUS: &str = r"\.only\(|\b(?:fit|fdescribe|ftest)\(";
const SKIP: &str = r"\b(?:it|test|describe|context|suite)\.skip\(|\b(?:xit|xdescribe|xtest|xcontext)\(|#\[ignore\b|@Disabled\b|@Ignore\b|@pytest\.mark\.skip(?:if)?\b|@unittest\.skip|\bt\.Skip(?:Now|f)?\(";

pub struct TestHygieneGate {
    meta: GateMeta,
    filter: PathFilter,
    junit: Vec<String>,
    skipped: bool,
    focus: Regex,
    skip: Regex,
}

impl TestHygieneGate {
    pub fn build(c: &TestHygieneConfig, settings: Settings) -> Result<Self, Vec<PolicyError>> {
        let filter = PathFilter::new(&c.paths, &c.exclude, &at("test_hygiene", &[])).map_err(|e| vec![e])?;
        let focus = Regex::new(FOCUS).map_err(|e| vec![PolicyError::at(at("test_hygiene", &[]), e.to_string())])?;
        let skip = Regex::new(SKIP).map_err(|e| vec![PolicyError::at(at("test_hygiene", &[]), e.to_string())])?;
        Ok(TestHygieneGate {
            meta: GateMeta::new(
                "testability.test-hygiene",
                settings,
                infos(&[&FOCUSED_TEST, &SKIPPED_TEST, &JUNIT_FAILURES]),
            ),
            filter,
            junit: c.junit.clone(),
            skipped: c.skipped.unwrap_or(true),
            focus,
            skip,
        })
    }
}

/// Failing test cases in one JUnit XML file: (total cases, failing "suite::name" ids).
pub fn junit_failures<R: std::io::BufRead>(reader: R) -> Result<(usize, Vec<String>), super::coverage::ParseError> {
    let mut cases = 0;
    let mut failing = Vec::new();
    let mut current: Option<(String, bool)> = None;
    walk(reader, &["testsuites", "testsuite"], |item, _| {
        match item {
            Item::Start(e) => match e.local_name().as_ref() {
                b"testcase" => {
                    cases += 1;
                    let class = attr(e, "classname")?.unwrap_or_default();
                    let name = attr(e, "name")?.unwrap_or_default();
                    let id = if class.is_empty() { name } else { format!("{class}::{name}") };
                    current = Some((id, false));
                }
                b"failure" | b"error" => {
                    if let Some(c) = current.as_mut() {
                        c.1 = true;
                    }
                }
                _ => {}
            },
            Item::End(b"testcase") => {
                if let Some((id, true)) = current.take() {
                    failing.push(id);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok((cases, failing))
}

impl Gate for TestHygieneGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut findings = Vec::new();
        let (focus_rule, skip_rule) = (&FOCUSED_TEST, &SKIPPED_TEST);
        for f in cx.changes.files.iter().filter(|f| f.exists_at_head() && !f.binary && self.filter.matches(&f.path)) {
            for (n, text) in f.added_lines() {
                let hits = [(&self.focus, &focus_rule, true), (&self.skip, &skip_rule, self.skipped)];
                for (re, r, on) in hits {
                    if !on {
                        continue;
                    }
                    if let Some(m) = re.find(text) {
                        let col = text[..m.start()].chars().count() as u32 + 1;
                        let loc = Location::line(&f.path, n).with_cols(col, col + m.as_str().chars().count() as u32);
                        let msg = format!(
                            "`{}` {} a test",
                            m.as_str().trim(),
                            if r.id == FOCUSED_TEST.id { "focuses" } else { "skips" }
                        );
                        findings.push(r.finding(Some(loc), msg, text));
                    }
                }
            }
        }
        let mut total_cases = 0;
        let mut total_failing = 0;
        let mut results = Vec::new();
        for path in &self.junit {
            let input = |message: String| GateError::Input { path: path.clone(), message };
            let full = cx.input_path(path)?.ok_or_else(|| input("JUnit result file not found".into()))?;
            let file = std::fs::File::open(&full).map_err(|e| input(format!("cannot open: {e}")))?;
            let (cases, failing) = junit_failures(BufReader::new(file)).map_err(|e| GateError::Input {
                path: if e.line > 0 { format!("{path}:{}", e.line) } else { path.clone() },
                message: format!("corrupt JUnit XML: {}", e.message),
            })?;
            total_cases += cases;
            total_failing += failing.len();
            if !failing.is_empty() {
                let r = &JUNIT_FAILURES;
                let shown: Vec<&str> = failing.iter().take(10).map(String::as_str).collect();
                let more = if failing.len() > 10 { format!(" and {} more", failing.len() - 10) } else { String::new() };
                let msg = format!(
                    "`{path}`: {} of {cases} test(s) failed or errored: {}{more}",
                    failing.len(),
                    shown.join(", ")
                );
                findings.push(r.finding(None, msg, &format!("{path}\n{}", failing.join("\n"))));
            }
            results.push(json!({"path": path, "tests": cases, "failing": failing}));
        }
        let mut metrics = Vec::new();
        if !self.junit.is_empty() {
            metrics.push(Metric { name: "junit_tests".into(), value: total_cases as f64, unit: None });
            metrics.push(Metric { name: "junit_failing".into(), value: total_failing as f64, unit: None });
        }
        let details = (!results.is_empty()).then(|| json!({"junit": results}));
        Ok(GateReport { findings, metrics, summary: Vec::new(), details })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let focus = Regex::new(FOCUS).unwrap();
        let skip = Regex::new(SKIP).unwrap();
        for s in ["describe.only('x', () => {})", "it.only(\"a\")", "fit('a', f)"] {
            assert!(focus.is_match(s), "{s}");
        }
        for s in [
            "it.skip('a')",
            "xit('a')",
            "#[ignore]",
            "#[ignore = \"slow\"]",
            "@Disabled",
            "@pytest.mark.skip(reason='x')",
            "@pytest.mark.skipif(x)",
            "\tt.Skip(\"flaky\")",
            "t.Skipf(\"x\")",
        ] {
            assert!(skip.is_match(s), "{s}");
        }
        for s in ["let only = 1;", "profit(x)", "exit(1)", "skip(3)", "#[ignored_attr]", "it('runs')"] {
            assert!(!focus.is_match(s) && !skip.is_match(s), "{s}");
        }
    }

    #[test]
    fn junit() {
        let x = r#"<?xml version="1.0"?><testsuites><testsuite name="s" tests="3"><testcase classname="a" name="ok"/><testcase classname="a" name="bad"><failure message="x">boom</failure></testcase><testcase name="err"><error/></testcase></testsuite></testsuites>"#;
        let (n, failing) = junit_failures(x.as_bytes()).unwrap();
        assert_eq!((n, failing), (3, vec!["a::bad".to_string(), "err".to_string()]));
        let e = junit_failures("<testsuite>\n<testcase>\n".as_bytes()).unwrap_err();
        assert!(e.message.contains("not closed"), "{e:?}");
    }
}
