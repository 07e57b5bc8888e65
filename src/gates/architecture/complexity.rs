//! Size and complexity caps on changed code: file length, function length, cyclomatic
//! complexity. Function extents and complexity come from the shared `crate::lang` module.

use super::{COMPLEXITY, FILE_LINES, FUNCTION_LINES};
use crate::core::matcher::PathFilter;
use crate::core::{Finding, Location};
use crate::core::{PolicyError, Seg};
use crate::diff::ChangedFile;
use crate::gate::Context;
use crate::gates::GateError;
use crate::lang::{Lang, functions};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[architecture.limits]`. PR size is `hygiene.max_pr_lines`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Most lines a file the PR grows may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_file_lines: Option<u32>,
    /// Most lines (signature to closing brace) of a function the PR adds or changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_function_lines: Option<u32>,
    /// Highest cyclomatic complexity (1 + decision points) of a function the PR adds or changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_complexity: Option<u32>,
    /// Path globs the caps apply to; empty means every source file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Path globs left out (generated code, tests).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

pub struct Compiled {
    limits: Limits,
    filter: PathFilter,
}

/// A figure over its cap, for the decision record.
#[derive(Debug, Clone, Serialize)]
pub struct Oversized {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    pub line: u32,
    pub rule: &'static str,
    pub value: u32,
    pub cap: u32,
}

impl Compiled {
    pub fn new(limits: &Limits) -> Result<Compiled, PolicyError> {
        let at = [Seg::from("architecture"), Seg::from("limits")];
        for (k, v) in [
            ("max_file_lines", limits.max_file_lines),
            ("max_function_lines", limits.max_function_lines),
            ("max_complexity", limits.max_complexity),
        ] {
            if v == Some(0) {
                return Err(PolicyError::at(vec![at[0].clone(), at[1].clone(), Seg::from(k)], "must be at least 1"));
            }
        }
        let filter = PathFilter::new(&limits.paths, &limits.exclude, &at)?;
        Ok(Compiled { limits: limits.clone(), filter })
    }

    /// Findings for every function of the touched files over a cap (the engine keeps those whose
    /// line range the PR touched), and for files the PR grew past `max_file_lines`. Returns the
    /// figures over their caps and the number of functions measured.
    pub fn check(
        &self,
        cx: &Context<'_>,
        touched: &[&ChangedFile],
        texts: &BTreeMap<String, String>,
        out: &mut Vec<Finding>,
    ) -> Result<(Vec<Oversized>, usize), GateError> {
        let mut over = Vec::new();
        let mut measured = 0;
        for file in touched.iter().filter(|f| self.filter.matches(&f.path)) {
            let (Some(text), Some(lang)) = (texts.get(&file.path), Lang::of(&file.path)) else { continue };
            if let Some(cap) = self.limits.max_file_lines {
                let lines = text.lines().count() as u32;
                let before = match file.base_path() {
                    // an unknown base (diff from a file) counts as growth
                    Some(bp) => {
                        cx.base_file(bp).ok().flatten().map(|b| String::from_utf8_lossy(&b).lines().count() as u32)
                    }
                    None => Some(0),
                };
                if lines > cap && before.is_none_or(|b| b < lines) {
                    let msg = format!(
                        "`{}` has {lines} lines after this change; `architecture.limits.max_file_lines` is {cap}. Split it, or waive `{}` with a reason",
                        file.path, FILE_LINES.id
                    );
                    out.push(FILE_LINES.finding(Some(Location::file(&file.path)), msg, ""));
                    over.push(Oversized {
                        path: file.path.clone(),
                        function: None,
                        line: 1,
                        rule: FILE_LINES.id,
                        value: lines,
                        cap,
                    });
                }
            }
            if self.limits.max_function_lines.is_none() && self.limits.max_complexity.is_none() {
                continue;
            }
            for f in functions(lang, text) {
                measured += 1;
                let checks = [
                    (&FUNCTION_LINES, f.lines(), self.limits.max_function_lines, "lines long", "max_function_lines"),
                    (
                        &COMPLEXITY,
                        f.complexity,
                        self.limits.max_complexity,
                        "of cyclomatic complexity",
                        "max_complexity",
                    ),
                ];
                for (rule, value, cap, what, key) in checks {
                    let Some(cap) = cap.filter(|c| value > *c) else { continue };
                    let msg = format!(
                        "function `{}` is {value} {what}; `architecture.limits.{key}` is {cap}. Simplify it, or waive `{}` with a reason",
                        f.name, rule.id
                    );
                    out.push(rule.finding(Some(Location::lines(&file.path, f.start, f.end)), msg, &f.name));
                    over.push(Oversized {
                        path: file.path.clone(),
                        function: Some(f.name.clone()),
                        line: f.start,
                        rule: rule.id,
                        value,
                        cap,
                    });
                }
            }
        }
        Ok((over, measured))
    }
}
