//! Rules: each family declares its rules once as `const` [`Rule`] values and builds findings
//! from them (`RULE.finding(..)`), never from a string. Rules made from data (rule packs,
//! policy-defined patterns, SARIF tools) are [`RuleInfo`] values built at load time.

use super::finding::{Finding, Location, Severity};
use serde::Serialize;

/// A rule declared in code. `explain`, the SARIF rule table and `docs/rules.md` are built from these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, `family.rule` (e.g. `hygiene.max-pr-lines`).
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix the code, or how to waive it when it is intended.
    pub fix: &'static str,
    /// A short example of what fires it (policy or code), for `explain`; may be empty.
    pub example: &'static str,
}

impl Rule {
    pub const fn new(
        id: &'static str,
        severity: Severity,
        summary: &'static str,
        why: &'static str,
        fix: &'static str,
    ) -> Rule {
        Rule { id, severity, summary, why, fix, example: "" }
    }

    /// The same rule with a doc example.
    pub const fn example(self, example: &'static str) -> Rule {
        Rule { example, ..self }
    }

    /// The rule's metadata as data (what gates list and reports carry).
    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            id: self.id.into(),
            severity: self.severity,
            summary: self.summary.into(),
            why: self.why.into(),
            fix: self.fix.into(),
            example: self.example.into(),
        }
    }

    /// A finding of this rule; see [`Finding::new`].
    pub fn finding(&self, location: Option<Location>, message: impl Into<String>, content: &str) -> Finding {
        Finding::new(self, location, message, content)
    }
}

/// A rule's metadata at run time: from a [`Rule`], or made from data when a policy or a rule
/// pack is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub severity: Severity,
    pub summary: String,
    pub why: String,
    pub fix: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub example: String,
}

impl RuleInfo {
    /// A rule made from data (no example).
    pub fn new(
        id: impl Into<String>,
        severity: Severity,
        summary: impl Into<String>,
        why: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        RuleInfo {
            id: id.into(),
            severity,
            summary: summary.into(),
            why: why.into(),
            fix: fix.into(),
            example: String::new(),
        }
    }

    /// A rule with only an id and a severity (tests, tools that give nothing more).
    pub fn named(id: impl Into<String>, severity: Severity) -> Self {
        RuleInfo::new(id, severity, "", "", "")
    }

    /// A finding of this rule; see [`Finding::new`].
    pub fn finding(&self, location: Option<Location>, message: impl Into<String>, content: &str) -> Finding {
        Finding::new(self, location, message, content)
    }
}

impl From<&Rule> for RuleInfo {
    fn from(r: &Rule) -> Self {
        r.info()
    }
}

/// What a finding needs from its rule.
pub trait RuleRef {
    fn id(&self) -> &str;
    fn severity(&self) -> Severity;
    fn fix(&self) -> &str;
}

impl RuleRef for Rule {
    fn id(&self) -> &str {
        self.id
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    fn fix(&self) -> &str {
        self.fix
    }
}

impl RuleRef for RuleInfo {
    fn id(&self) -> &str {
        &self.id
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    fn fix(&self) -> &str {
        &self.fix
    }
}

/// The metadata of a family's declared rules.
pub fn infos(rules: &[&Rule]) -> Vec<RuleInfo> {
    rules.iter().map(|r| r.info()).collect()
}

/// A gate could not run; the engine concludes `error` and fails closed.
pub const GATE_ERROR: Rule = Rule::new(
    "gatehouse.gate-error",
    Severity::Error,
    "A gate could not run (missing or corrupt input, git failure, internal error).",
    "A gate that cannot run must not read as a pass: Gatehouse fails closed.",
    "Fix the input the error names (e.g. produce the report file in an earlier CI step). If the gate may be skipped when its input is missing, set `on_error = \"warn\"` on it.",
);

/// A `[[waivers]]` entry is past its date.
pub const WAIVER_EXPIRED: Rule = Rule::new(
    "gatehouse.waiver-expired",
    Severity::Warning,
    "A `[[waivers]]` entry is past its `expires` date and no longer applies.",
    "Waivers are reviewed, time-boxed exceptions; an expired one means the exception needs a fresh decision.",
    "Fix the findings it covered, or renew the waiver with a new `expires` date and reason in a reviewed change to the base branch's policy.",
);

/// An inline suppression without a reason.
pub const SUPPRESSION_WITHOUT_REASON: Rule = Rule::new(
    "gatehouse.suppression-without-reason",
    Severity::Warning,
    "An inline `gatehouse: allow(rule)` comment gives no reason, so it is ignored.",
    "Every exception must say why, so reviewers and auditors can judge it.",
    "Write the reason after the rule: `// gatehouse: allow(patterns.no-dbg) debugging aid kept behind a feature flag`.",
);

/// The engine's own rules (waivers, suppressions, gate errors).
pub const CORE_RULES: &[&Rule] = &[&GATE_ERROR, &WAIVER_EXPIRED, &SUPPRESSION_WITHOUT_REASON];
