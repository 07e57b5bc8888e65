//! Required instrumentation: when an added line matches a trigger (a new handler), the function
//! it starts must contain evidence (a span, a metric, a structured log call). Function extents
//! come from the shared `crate::lang` module.

use super::{PRESETS, PRESETS_FILE, severity};
use crate::engine::Context;
use crate::finding::{Finding, Location, Severity};
use crate::gates::{GateError, RuleInfo};
use crate::lang::{Lang, mask, unit_at};
use crate::matcher::{PathFilter, regex};
use crate::policy::{PolicyError, Scope, Seg};
use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// `[[observability.require]]`: code matching `when` must contain `evidence`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Require {
    /// Short kebab-case id; findings carry `observability.<id>`.
    pub id: String,
    /// Path globs the rule applies to; empty means every file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Path globs excluded from `paths`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Regex for the trigger line (`pub async fn \w+\(`, `@app.get(`).
    pub when: String,
    /// Regex that must match somewhere in the triggered function (attributes/decorators included).
    pub evidence: String,
    /// What the finding says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `error` (default), `warning` or `notice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

/// A built-in preset (`gates/observability-presets.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    pub name: String,
    pub paths: Vec<String>,
    pub when: String,
    pub evidence: String,
    pub message: String,
}

impl Preset {
    fn require(&self) -> Require {
        Require {
            id: format!("instrument-{}", self.name),
            paths: self.paths.clone(),
            exclude: vec!["**/tests/**".into(), "**/*_test.*".into(), "**/test_*".into(), "**/*.test.*".into()],
            when: self.when.clone(),
            evidence: self.evidence.clone(),
            message: Some(self.message.clone()),
            severity: None,
        }
    }

    pub fn info(&self) -> RuleInfo {
        info(&self.require(), &format!("Preset `{}`", self.name))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetFile {
    preset: Vec<Preset>,
}

pub fn presets() -> Result<Vec<Preset>, PolicyError> {
    toml::from_str::<PresetFile>(PRESETS)
        .map(|p| p.preset)
        .map_err(|e| PolicyError::in_file(PRESETS_FILE, e.to_string()))
}

fn info(r: &Require, origin: &str) -> RuleInfo {
    let id = format!("observability.{}", r.id);
    let summary = r.message.clone().unwrap_or_else(|| format!("code matching `{}` must be instrumented", r.when));
    RuleInfo {
        id: id.clone(),
        severity: severity(r.severity),
        summary,
        why: format!(
            "{origin}: a new entry point (matching `{}`) that emits no span, metric or log is invisible in production; incidents there cannot be diagnosed.",
            r.when
        ),
        fix: format!(
            "Add instrumentation the rule accepts (matching `{}`) in the function, e.g. `#[tracing::instrument]`, a span, a metric or a structured log call; or add `gatehouse: allow({id}) <reason>` above it.",
            r.evidence
        ),
    }
}

pub struct Compiled {
    pub info: RuleInfo,
    filter: PathFilter,
    when: Regex,
    evidence: Regex,
}

pub fn compile(names: &[String], own: &[Require]) -> Result<Vec<Compiled>, Vec<PolicyError>> {
    let mut errors = Vec::new();
    let mut rules: Vec<(Require, String, Vec<Seg>)> = Vec::new();
    if !names.is_empty() {
        let all = presets().map_err(|e| vec![e])?;
        for (i, n) in names.iter().enumerate() {
            let at = vec![Seg::from("observability"), Seg::from("presets"), Seg::Index(i)];
            match all.iter().find(|p| &p.name == n) {
                Some(p) => rules.push((p.require(), format!("Preset `{n}`"), at)),
                None => {
                    let known: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
                    errors.push(PolicyError::at(at, format!("unknown preset `{n}`; known: {}", known.join(", "))));
                }
            }
        }
    }
    for (i, r) in own.iter().enumerate() {
        let at = vec![Seg::from("observability"), Seg::from("require"), Seg::Index(i)];
        rules.push((r.clone(), "Policy rule `[[observability.require]]`".into(), at));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (r, origin, at) in rules {
        let id = format!("observability.{}", r.id);
        let k = |f: &str| {
            let mut v = at.clone();
            v.push(Seg::from(f));
            v
        };
        if r.id.is_empty() || !r.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            errors.push(PolicyError::at(k("id"), format!("rule id `{}` must be kebab-case (a-z, 0-9, -)", r.id)));
            continue;
        }
        if !seen.insert(r.id.clone()) {
            errors.push(PolicyError::at(k("id"), format!("rule id `{}` is used twice", r.id)));
            continue;
        }
        match (
            regex(&r.when, &k("when"), &id),
            regex(&r.evidence, &k("evidence"), &id),
            PathFilter::new(&r.paths, &r.exclude, &at),
        ) {
            (Ok(when), Ok(evidence), Ok(filter)) => {
                out.push(Compiled { info: info(&r, &origin), filter, when, evidence })
            }
            (a, b, c) => errors.extend(a.err().into_iter().chain(b.err()).chain(c.err())),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Checks every trigger on an added line (every line under a wider scope). Returns how many
/// triggered functions were examined.
pub fn check(rules: &[Compiled], cx: &Context<'_>, scope: Scope, out: &mut Vec<Finding>) -> Result<usize, GateError> {
    let mut examined = 0;
    for file in cx.changes.files.iter().filter(|f| f.exists_at_head() && !f.binary) {
        let applicable: Vec<&Compiled> = rules.iter().filter(|r| r.filter.matches(&file.path)).collect();
        let Some(lang) = Lang::of(&file.path) else { continue };
        if applicable.is_empty() {
            continue;
        }
        let Some(bytes) = cx.head_file(&file.path)? else { continue };
        let text = String::from_utf8_lossy(&bytes);
        let code = mask(lang, &text, true);
        let lines: Vec<&str> = code.lines().collect();
        let structure = mask(lang, &text, false);
        let structure: Vec<&str> = structure.lines().collect();
        let candidates: Vec<u32> = if scope == Scope::Added {
            file.added_lines().map(|(n, _)| n).collect()
        } else {
            (1..=lines.len() as u32).collect()
        };
        for rule in applicable {
            let mut done: BTreeSet<(u32, u32)> = BTreeSet::new();
            for &n in &candidates {
                let Some(line) = lines.get(n as usize - 1) else { continue };
                if !rule.when.is_match(line) {
                    continue;
                }
                let Some((start, end)) = unit_at(lang, &structure, n) else { continue };
                if !done.insert((start, end)) {
                    continue;
                }
                examined += 1;
                let body = lines[start as usize - 1..(end as usize).min(lines.len())].join("\n");
                if rule.evidence.is_match(&body) {
                    continue;
                }
                let msg = format!(
                    "{} (lines {start}-{end} contain no span, metric or log call the rule accepts)",
                    rule.info.summary
                );
                out.push(
                    Finding::new(
                        &rule.info.id,
                        rule.info.severity,
                        Some(Location::line(&file.path, n)),
                        msg,
                        line.trim(),
                    )
                    .with_help(&rule.info.fix),
                );
            }
        }
    }
    Ok(examined)
}
