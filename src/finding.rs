//! Findings, gate outcomes and the report: the contract between gates, the engine and reporters.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;

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
    /// Other places the same finding applies to (one change repeated in inlined copies of a
    /// schema); SARIF `relatedLocations`. The annotation goes on `location`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub related: Vec<Location>,
}

impl Finding {
    /// A finding whose fingerprint is derived from rule, path and `content` (the matched text,
    /// already redacted if sensitive). Whitespace is normalised so re-indenting keeps it stable.
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        location: Option<Location>,
        message: impl Into<String>,
        content: &str,
    ) -> Self {
        let rule = rule.into();
        let path = location.as_ref().map(|l| l.path.as_str()).unwrap_or("");
        let fingerprint = fingerprint(&rule, path, content);
        Finding {
            rule,
            severity,
            location,
            message: message.into(),
            help: String::new(),
            fingerprint,
            related: Vec::new(),
        }
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

/// Whether a gate blocks the merge when it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Block,
    Warn,
    Off,
}

/// What a gate concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Conclusion {
    Pass,
    Skipped,
    Fail,
    Error,
}

impl Conclusion {
    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Pass => "pass",
            Conclusion::Skipped => "skipped",
            Conclusion::Fail => "fail",
            Conclusion::Error => "error",
        }
    }
}

/// How a finding was set aside, and why; every one of these appears in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Suppression {
    /// A `[[waivers]]` entry of the policy (index into `policy.waivers`).
    Waiver { index: usize, rule: String, reason: String, expires: Option<String> },
    /// A `gatehouse: allow(rule) reason` comment in the code.
    Inline { path: String, line: u32, reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressedFinding {
    pub finding: Finding,
    pub by: Suppression,
}

/// One named number a gate measured (coverage percent, lines changed...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// The result of one gate: what the engine, the reporters and the check runs see.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GateOutcome {
    pub gate: String,
    pub mode: Mode,
    /// Whether an `error` conclusion blocks (`fail`) or only warns.
    pub on_error: crate::policy::OnError,
    pub conclusion: Conclusion,
    /// Why the gate could not run (set when `conclusion` is `error`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub suppressed: Vec<SuppressedFinding>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub metrics: Vec<Metric>,
    /// Free-form Markdown a gate adds to the summary (tables, matrices).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Structured data the gate adds to the decision record.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub details: Option<serde_json::Value>,
    /// Not serialised here: timings live in the report's separate `timings` map so the rest is
    /// byte-for-byte deterministic.
    #[serde(skip)]
    pub elapsed: Duration,
}

impl GateOutcome {
    /// Whether this outcome makes the overall verdict fail.
    pub fn blocks(&self) -> bool {
        self.mode == Mode::Block
            && match self.conclusion {
                Conclusion::Fail => true,
                Conclusion::Error => self.on_error == crate::policy::OnError::Fail,
                Conclusion::Pass | Conclusion::Skipped => false,
            }
    }
}

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
        }
    }

    /// 0 pass, 1 a blocking gate failed, 3 a blocking gate could not run (fail closed).
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
            Verdict::Error => 3,
        }
    }
}

/// Where the policy came from, so the decision record says what judged the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySource {
    /// `base`, `head`, `worktree` or `file`.
    pub from: String,
    /// The revision the policy was read at (for `base`/`head`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    pub path: String,
    /// Files merged in through `extends`, outermost first.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub extends: Vec<String>,
    /// sha256 of the resolved policy (canonical JSON).
    pub digest: String,
}

/// The decision record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub tool: String,
    pub tool_version: String,
    pub verdict: Verdict,
    /// The commit the change is compared against (the merge base), as named and as resolved.
    pub base: crate::diff::Rev,
    pub head: crate::diff::Rev,
    pub policy: PolicySource,
    /// Things the run wants the reader to know (policy fallback, shallow clone...).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notices: Vec<String>,
    pub stats: ChangeStats,
    pub gates: Vec<GateOutcome>,
    /// Every waiver of the policy: whether it expired and how many findings it set aside.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub waivers: Vec<crate::engine::waivers::WaiverUse>,
    /// Milliseconds per gate: the one part that differs between identical runs, kept apart so
    /// the rest is byte-for-byte reproducible (`--no-timings` leaves it out).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty", default)]
    pub timings_ms: std::collections::BTreeMap<String, u64>,
    /// Metadata of the rules that can appear (for SARIF and the human report's help).
    #[serde(skip)]
    pub rules: std::collections::BTreeMap<String, crate::gates::RuleInfo>,
}

/// Size of the change, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeStats {
    pub files: usize,
    pub added: usize,
    pub removed: usize,
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = (&GateOutcome, &Finding)> {
        self.gates.iter().flat_map(|g| g.findings.iter().map(move |f| (g, f)))
    }

    pub fn suppressed_count(&self) -> usize {
        self.gates.iter().map(|g| g.suppressed.len()).sum()
    }
}
