//! The decision record: everything one run decided, as data. Every reporter renders it.

use super::waivers::WaiverUse;
use super::{Context, EngineOptions};
use crate::core::outcome::verdict;
use crate::core::{Finding, GateOutcome, RuleInfo, TOOL, VERSION, Verdict};
use crate::gates::LoadedPolicy;
use serde::{Deserialize, Serialize};

/// The shape version of [`Report`] this Gatehouse writes.
pub const SCHEMA_VERSION: u32 = 2;

fn version_one() -> u32 {
    1
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
    /// Version of this record's shape. 2: `gates[].summary` is typed blocks (text and tables)
    /// instead of a Markdown string. Records without the field are version 1.
    #[serde(default = "version_one")]
    pub schema_version: u32,
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
    pub waivers: Vec<WaiverUse>,
    /// Milliseconds per gate: the one part that differs between identical runs, kept apart so
    /// the rest is byte-for-byte reproducible (`--no-timings` leaves it out).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty", default)]
    pub timings_ms: std::collections::BTreeMap<String, u64>,
    /// Metadata of the rules that can appear (for SARIF and the human report's help).
    #[serde(skip)]
    pub rules: std::collections::BTreeMap<String, RuleInfo>,
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

/// Evaluates the change in `cx` against `policy` and assembles the decision record.
pub fn run(
    policy: &LoadedPolicy,
    source: PolicySource,
    cx: &Context<'_>,
    opts: &EngineOptions,
    notices: Vec<String>,
) -> Report {
    let eval = super::evaluate(policy, cx, opts);
    let verdict = verdict(&eval.outcomes);
    let timings_ms = eval.outcomes.iter().map(|o| (o.gate.clone(), o.elapsed.as_millis() as u64)).collect();
    let stats = ChangeStats {
        files: cx.changes.files.len(),
        added: cx.changes.added_count(),
        removed: cx.changes.removed_count(),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: TOOL.into(),
        tool_version: VERSION.into(),
        verdict,
        base: cx.changes.base.clone(),
        head: cx.changes.head.clone(),
        policy: source,
        notices,
        stats,
        gates: eval.outcomes,
        waivers: eval.waivers,
        timings_ms,
        rules: eval.rules,
    }
}
