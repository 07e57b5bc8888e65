//! Gate families and their registry. A family is one module; it registers here with one line.

pub mod ai;
pub mod architecture;
pub mod contract;
pub mod hygiene;
pub mod observability;
pub mod patterns;
pub mod performance;
pub mod security;
pub mod testability;

use crate::engine::Context;
use crate::finding::{Finding, Metric, Severity};
use crate::policy::{Policy, PolicyError, Settings};
use crate::repo::RepoError;
use serde::Serialize;

/// One check a gate runs. `explain` and the SARIF rule table are built from these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: String,
    /// Why it matters.
    pub why: String,
    /// How to fix the code, or how to waive it when it is intended.
    pub fix: String,
}

impl RuleInfo {
    pub fn new(id: &str, severity: Severity, summary: &str, why: &str, fix: &str) -> Self {
        RuleInfo { id: id.into(), severity, summary: summary.into(), why: why.into(), fix: fix.into() }
    }
}

/// What a gate returns when it ran.
#[derive(Debug, Default)]
pub struct GateReport {
    pub findings: Vec<Finding>,
    pub metrics: Vec<Metric>,
    /// Markdown for the summary (tables, matrices); optional.
    pub summary: Option<String>,
    /// Structured data for the JSON decision record (a traceability matrix, the AI-assisted
    /// commits and why they were allowed...). Must be deterministic.
    pub details: Option<serde_json::Value>,
}

/// Why a gate could not run. The engine turns this into a fail-closed `error` conclusion.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error("{0}")]
    Other(String),
}

pub trait Gate: Send + Sync {
    /// Stable gate id (`patterns`, `hygiene`, `security.secrets`), used by `--only` and check names.
    fn id(&self) -> &str;
    fn settings(&self) -> Settings;
    /// The rules this configured gate can report (built-in and policy-defined).
    fn rules(&self) -> Vec<RuleInfo>;
    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError>;
}

/// The gates a family builds from the policy, or every problem found in its tables.
pub type Built = Result<Vec<Box<dyn Gate>>, Vec<PolicyError>>;

/// A gate family: builds its gates from the policy, and lists its built-in rules.
pub struct Family {
    pub name: &'static str,
    /// Compiles the family's table into gates; problems name the policy key that holds them.
    pub build: fn(&Policy) -> Built,
    pub catalogue: fn() -> Vec<RuleInfo>,
}

/// The registry: one line per family.
pub const FAMILIES: &[Family] = &[
    patterns::FAMILY,
    hygiene::FAMILY,
    ai::FAMILY,
    testability::FAMILY,
    security::FAMILY,
    contract::FAMILY,
    architecture::FAMILY,
    observability::FAMILY,
    performance::FAMILY,
];

/// Every gate the policy enables, or every problem in the policy's gate tables.
pub fn build_all(policy: &Policy) -> Built {
    let mut gates = Vec::new();
    let mut errors = Vec::new();
    for family in FAMILIES {
        match (family.build)(policy) {
            Ok(g) => gates.extend(g),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() { Ok(gates) } else { Err(errors) }
}

/// Rules of the engine itself (waivers, suppressions, gate errors).
pub fn core_rules() -> Vec<RuleInfo> {
    vec![
        RuleInfo::new(
            "gatehouse.gate-error",
            Severity::Error,
            "A gate could not run (missing or corrupt input, git failure, internal error).",
            "A gate that cannot run must not read as a pass: Gatehouse fails closed.",
            "Fix the input the error names (e.g. produce the report file in an earlier CI step). If the gate may be skipped when its input is missing, set `on_error = \"warn\"` on it.",
        ),
        RuleInfo::new(
            "gatehouse.waiver-expired",
            Severity::Warning,
            "A `[[waivers]]` entry is past its `expires` date and no longer applies.",
            "Waivers are reviewed, time-boxed exceptions; an expired one means the exception needs a fresh decision.",
            "Fix the findings it covered, or renew the waiver with a new `expires` date and reason in a reviewed change to the base branch's policy.",
        ),
        RuleInfo::new(
            "gatehouse.suppression-without-reason",
            Severity::Warning,
            "An inline `gatehouse: allow(rule)` comment gives no reason, so it is ignored.",
            "Every exception must say why, so reviewers and auditors can judge it.",
            "Write the reason after the rule: `// gatehouse: allow(patterns.no-dbg) debugging aid kept behind a feature flag`.",
        ),
    ]
}

/// Every built-in rule of every family plus the engine's own.
pub fn catalogue() -> Vec<RuleInfo> {
    let mut rules = core_rules();
    for f in FAMILIES {
        rules.extend((f.catalogue)());
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules
}
