//! Findings: what a gate reports, built from a typed rule ([`super::rule::Rule`] or a rule
//! made from data at load time), with a location and a stable fingerprint.

use super::rule::RuleRef;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How serious a finding is. Ordered so `max()` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Notice,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where a finding points. Lines are 1-based; a location without lines names a whole file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_col: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_col: Option<u32>,
}

impl Location {
    pub fn file(path: impl Into<String>) -> Self {
        Location { path: path.into(), start_line: None, end_line: None, start_col: None, end_col: None }
    }

    pub fn line(path: impl Into<String>, line: u32) -> Self {
        Location { start_line: Some(line), end_line: Some(line), ..Location::file(path) }
    }

    pub fn lines(path: impl Into<String>, start: u32, end: u32) -> Self {
        Location { start_line: Some(start), end_line: Some(end.max(start)), ..Location::file(path) }
    }

    pub fn with_cols(mut self, start: u32, end: u32) -> Self {
        self.start_col = Some(start);
        self.end_col = Some(end);
        self
    }

    /// `path:line` (or `path:start-end`) for humans.
    pub fn display(&self) -> String {
        match (self.start_line, self.end_line) {
            (Some(s), Some(e)) if e > s => format!("{}:{}-{}", self.path, s, e),
            (Some(s), _) => format!("{}:{}", self.path, s),
            _ => self.path.clone(),
        }
    }
}

/// One problem a gate found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, `family.rule` (e.g. `security.secrets.aws-access-key`).
    pub rule: String,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub message: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub help: String,
    /// Stable across line moves: rule + path + normalised content. Used for waivers and dedup.
    pub fingerprint: String,
}

impl Finding {
    /// A finding of `rule`: its id, default severity and fix (as help). The fingerprint is
    /// derived from rule, path and `content` (the matched text, already redacted if sensitive);
    /// whitespace is normalised so re-indenting keeps it stable.
    pub fn new(rule: &impl RuleRef, location: Option<Location>, message: impl Into<String>, content: &str) -> Self {
        let path = location.as_ref().map(|l| l.path.as_str()).unwrap_or("");
        let fingerprint = fingerprint(rule.id(), path, content);
        Finding {
            rule: rule.id().to_string(),
            severity: rule.severity(),
            location,
            message: message.into(),
            help: rule.fix().to_string(),
            fingerprint,
        }
    }

    /// Another severity than the rule's default (e.g. a level set in the policy or by a SARIF tool).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    /// The key used to sort findings deterministically.
    fn sort_key(&self) -> (Option<&Location>, &str, &str, &str) {
        (self.location.as_ref(), self.rule.as_str(), self.message.as_str(), self.fingerprint.as_str())
    }
}

/// `sha256(rule \0 path \0 normalised content)`, hex, first 32 chars.
pub fn fingerprint(rule: &str, path: &str, content: &str) -> String {
    let normalised: Vec<&str> = content.split_whitespace().collect();
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(normalised.join(" ").as_bytes());
    hex(&h.finalize()[..16])
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Sorts findings into the report's canonical order (location, rule, message).
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// One named number a gate measured (coverage percent, lines changed...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}
