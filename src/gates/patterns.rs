//! Generic regex rules: forbid a pattern on added lines, or require one in changed files.
//! The simplest complete gate; `forbid` rules share the rule-pack engine of the other families.

use super::{Built, Family, Gate, GateError, GateMeta, GateReport, Policy, RuleInfo};
use crate::core::{GateCommon, Seg, Settings, Severity};
use crate::gate::Context;
use crate::rules::pack::{Check, Spec};
use crate::rules::{Origin, RuleDef, RuleSet};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

crate::core::settings::gate_config! {
    /// `[patterns]`: regex rules within path globs.
    pub struct Config {
        /// Patterns that must not appear on added lines.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub forbid: Vec<RuleDef>,
        /// Patterns each matching changed file must contain somewhere (e.g. a license header).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub require: Vec<Rule>,
    }
}

/// A pattern each matching file must contain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Short kebab-case id; findings carry `patterns.<id>`.
    pub id: String,
    /// Rust regex syntax (https://docs.rs/regex), searched in the whole file.
    pub pattern: String,
    /// Path globs the rule applies to; empty means every file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Path globs excluded from `paths`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// What the finding says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// How to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// `error` (default), `warning` or `notice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Check files the PR `added` (default) or every `changed` file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Files>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Files {
    Added,
    Changed,
}

pub const FAMILY: Family = Family { name: "patterns", build, catalogue };

fn catalogue() -> Vec<RuleInfo> {
    // Pattern rules are all defined by the policy; `explain` lists a policy's own rules.
    Vec::new()
}

struct PatternsGate {
    meta: GateMeta,
    rules: RuleSet,
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.patterns else { return Ok(Vec::new()) };
    let at = |list: &str, i: usize| vec![Seg::from("patterns"), Seg::from(list), Seg::Index(i)];
    let mut specs: Vec<Spec<'_>> = cfg
        .forbid
        .iter()
        .enumerate()
        .map(|(i, r)| Spec::line("patterns", r, Origin::Policy(at("forbid", i))))
        .collect();
    for (i, r) in cfg.require.iter().enumerate() {
        let id = format!("patterns.{}", r.id);
        let summary = r.message.clone().unwrap_or_else(|| format!("file must contain a match for `{}`", r.pattern));
        let why = format!("Policy rule `[[patterns.require]]` with pattern `{}`{}.", r.pattern, scope_text(&r.paths));
        let fix = r.help.clone().unwrap_or_else(|| format!("Add the required text, or waive `{id}` with a reason."));
        specs.push(Spec {
            local: &r.id,
            info: RuleInfo::new(id, r.severity.unwrap_or(Severity::Error), summary, why, fix),
            paths: &r.paths,
            exclude: &r.exclude,
            check: Check::File { pattern: &r.pattern, changed_files: r.files == Some(Files::Changed) },
            origin: Origin::Policy(at("require", i)),
        });
    }
    let rules = RuleSet::build(specs)?;
    let settings = Settings::resolve(&policy.defaults, &[cfg.common()]);
    let meta = GateMeta::new("patterns", settings, rules.infos());
    Ok(vec![Box::new(PatternsGate { meta, rules })])
}

fn scope_text(paths: &[String]) -> String {
    if paths.is_empty() { String::new() } else { format!(" in {}", paths.join(", ")) }
}

impl Gate for PatternsGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut report = GateReport::default();
        let stats = self.rules.scan(cx, self.meta.settings.scope, &mut report.findings)?;
        report.metric("lines_scanned", stats.lines as f64, None);
        Ok(report)
    }
}
