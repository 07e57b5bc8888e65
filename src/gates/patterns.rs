//! Generic regex rules: forbid a pattern on added lines, or require one in changed files.
//! The simplest complete gate; `forbid` rules share the rule-pack engine of the other families.

use super::{Built, Family, Gate, GateError, GateReport, RuleInfo};
use crate::engine::Context;
use crate::finding::{Finding, Location, Metric, Severity};
use crate::matcher::{PathFilter, key, regex};
use crate::policy::{GateCommon, Policy, PolicyError, Seg, Settings};
use crate::rulepack::{Origin, RuleDef, RuleSet};
use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

crate::gate_config! {
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

struct Compiled {
    info: RuleInfo,
    regex: Regex,
    filter: PathFilter,
    files: Files,
}

struct PatternsGate {
    settings: Settings,
    forbid: RuleSet,
    require: Vec<Compiled>,
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.patterns else { return Ok(Vec::new()) };
    let origins: Vec<_> = cfg
        .forbid
        .iter()
        .enumerate()
        .map(|(i, r)| (r, Origin::Policy(vec![Seg::from("patterns"), Seg::from("forbid"), Seg::Index(i)])))
        .collect();
    let forbid = RuleSet::compile("patterns", &origins);
    let mut errors = Vec::new();
    let mut seen: std::collections::HashSet<String> = cfg.forbid.iter().map(|r| r.id.clone()).collect();
    let mut require = Vec::new();
    for (i, r) in cfg.require.iter().enumerate() {
        let at = vec![Seg::from("patterns"), Seg::from("require"), Seg::Index(i)];
        let id = format!("patterns.{}", r.id);
        if r.id.is_empty() || !r.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            errors.push(PolicyError::at(
                key(&at, &["id".into()]),
                format!("rule id `{}` must be kebab-case (a-z, 0-9, -)", r.id),
            ));
            continue;
        }
        if !seen.insert(r.id.clone()) {
            errors.push(PolicyError::at(key(&at, &["id".into()]), format!("rule id `{}` is used twice", r.id)));
            continue;
        }
        let regex = regex(&r.pattern, &key(&at, &["pattern".into()]), &id);
        let filter = PathFilter::new(&r.paths, &r.exclude, &at).map_err(|e| crate::rulepack::in_rule(e, &id));
        match (regex, filter) {
            (Ok(regex), Ok(filter)) => {
                let severity = r.severity.unwrap_or(Severity::Error);
                let summary =
                    r.message.clone().unwrap_or_else(|| format!("file must contain a match for `{}`", r.pattern));
                let why =
                    format!("Policy rule `[[patterns.require]]` with pattern `{}`{}.", r.pattern, scope_text(&r.paths));
                let fix =
                    r.help.clone().unwrap_or_else(|| format!("Add the required text, or waive `{id}` with a reason."));
                let info = RuleInfo { id, severity, summary, why, fix };
                require.push(Compiled { info, regex, filter, files: r.files.unwrap_or(Files::Added) });
            }
            (r, f) => errors.extend(r.err().into_iter().chain(f.err())),
        }
    }
    let forbid = match forbid {
        Ok(f) if errors.is_empty() => f,
        Ok(_) => return Err(errors),
        Err(mut e) => {
            e.extend(errors);
            return Err(e);
        }
    };
    let settings = Settings::resolve(&policy.defaults, &[cfg.common()]);
    Ok(vec![Box::new(PatternsGate { settings, forbid, require })])
}

fn scope_text(paths: &[String]) -> String {
    if paths.is_empty() { String::new() } else { format!(" in {}", paths.join(", ")) }
}

impl Gate for PatternsGate {
    fn id(&self) -> &str {
        "patterns"
    }

    fn settings(&self) -> Settings {
        self.settings
    }

    fn rules(&self) -> Vec<RuleInfo> {
        let mut rules = self.forbid.infos();
        rules.extend(self.require.iter().map(|c| c.info.clone()));
        rules
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut findings = Vec::new();
        let lines_scanned = self.forbid.scan(cx, self.settings.scope, &mut findings)?;
        for file in cx.changes.files.iter().filter(|f| f.exists_at_head() && !f.binary) {
            for rule in self.require.iter().filter(|c| c.filter.matches(&file.path)) {
                let applies = rule.files == Files::Changed || file.status == crate::diff::FileStatus::Added;
                if !applies {
                    continue;
                }
                let content = cx.head_file(&file.path)?.unwrap_or_default();
                if !rule.regex.is_match(&String::from_utf8_lossy(&content)) {
                    let f = Finding::new(
                        &rule.info.id,
                        rule.info.severity,
                        Some(Location::file(&file.path)),
                        &rule.info.summary,
                        "",
                    )
                    .with_help(&rule.info.fix);
                    findings.push(f);
                }
            }
        }
        let metrics = vec![Metric { name: "lines_scanned".into(), value: lines_scanned as f64, unit: None }];
        Ok(GateReport { findings, metrics, ..Default::default() })
    }
}
