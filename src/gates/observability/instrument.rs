//! Required instrumentation: when an added line matches a trigger (a new handler), the function
//! it starts must contain evidence (a span, a metric, a structured log call). Function extents
//! come from the shared `crate::lang` module.

use super::{PRESETS, PRESETS_FILE, severity};
use crate::core::{PolicyError, RuleInfo, Seg, Severity};
use crate::rules::Origin;
use crate::rules::pack::{Check, Spec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    RuleInfo::new(
        id.clone(),
        severity(r.severity),
        summary,
        format!(
            "{origin}: a new entry point (matching `{}`) that emits no span, metric or log is invisible in production; incidents there cannot be diagnosed.",
            r.when
        ),
        format!(
            "Add instrumentation the rule accepts (matching `{}`) in the function, e.g. `#[tracing::instrument]`, a span, a metric or a structured log call; or add `gatehouse: allow({id}) <reason>` above it.",
            r.evidence
        ),
    )
}

/// One instrumentation rule with where it came from (for `explain`) and its policy key.
pub type Placed = (Require, String, Vec<Seg>);

/// The instrumentation rules (presets named in the policy, then its own) as unit-rule specs
/// for the shared rule-pack engine, or every unknown preset.
pub fn specs(presets: &[Preset], names: &[String], own: &[Require]) -> Result<Vec<Placed>, Vec<PolicyError>> {
    let mut errors = Vec::new();
    let mut rules: Vec<Placed> = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let at = vec![Seg::from("observability"), Seg::from("presets"), Seg::Index(i)];
        match presets.iter().find(|p| &p.name == n) {
            Some(p) => rules.push((p.require(), format!("Preset `{n}`"), at)),
            None => {
                let known: Vec<&str> = presets.iter().map(|p| p.name.as_str()).collect();
                errors.push(PolicyError::at(at, format!("unknown preset `{n}`; known: {}", known.join(", "))));
            }
        }
    }
    for (i, r) in own.iter().enumerate() {
        let at = vec![Seg::from("observability"), Seg::from("require"), Seg::Index(i)];
        rules.push((r.clone(), "Policy rule `[[observability.require]]`".into(), at));
    }
    if errors.is_empty() { Ok(rules) } else { Err(errors) }
}

/// One instrumentation rule as a spec of the shared engine.
pub fn spec((r, origin, at): &Placed) -> Spec<'_> {
    Spec {
        local: &r.id,
        info: info(r, origin),
        paths: &r.paths,
        exclude: &r.exclude,
        check: Check::Unit { when: &r.when, evidence: &r.evidence },
        origin: Origin::Policy(at.clone()),
    }
}
