//! What the engine concludes per gate and overall: the part of the decision record that gates,
//! the engine and the reporters share.

use super::finding::{Finding, Metric};
use super::settings::{Mode, OnError};
use super::table::Block;
use serde::{Deserialize, Serialize};
use std::time::Duration;

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

/// The result of one gate: what the engine, the reporters and the check runs see.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GateOutcome {
    pub gate: String,
    pub mode: Mode,
    /// Whether an `error` conclusion blocks (`fail`) or only warns.
    pub on_error: OnError,
    pub conclusion: Conclusion,
    /// Why the gate could not run (set when `conclusion` is `error`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub suppressed: Vec<SuppressedFinding>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub metrics: Vec<Metric>,
    /// What the gate adds to the summary (lines and tables), rendered by each reporter.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub summary: Vec<Block>,
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
                Conclusion::Error => self.on_error == OnError::Fail,
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

/// `error` if a blocking gate could not run, else `fail` if one failed, else `pass`.
pub fn verdict(outcomes: &[GateOutcome]) -> Verdict {
    let blocking: Vec<_> = outcomes.iter().filter(|o| o.blocks()).collect();
    if blocking.iter().any(|o| o.conclusion == Conclusion::Error) {
        Verdict::Error
    } else if blocking.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail
    }
}
