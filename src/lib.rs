//! Gatehouse: evaluates a change against a versioned gate policy and reports an honest verdict.
//!
//! The flow: [`policy::load`] → [`diff`] → [`engine::evaluate`] → [`report`]. The binary in
//! `main.rs` is only the command line around [`run`].

// Policy errors carry position and snippet; they are built once per mistake, so their size is
// irrelevant next to the clarity of returning them by value.
#![allow(clippy::result_large_err)]

pub mod commits;
pub mod diff;
pub mod engine;
pub mod finding;
pub mod forge;
pub mod gates;
pub mod github;
pub mod init;
pub mod lang;
pub mod matcher;
pub mod policy;
pub mod repo;
pub mod report;
pub mod rulepack;
pub mod syntax;
pub mod text;

use engine::{Context, EngineOptions};
use finding::{ChangeStats, Conclusion, PolicySource, Report, Verdict};
use policy::LoadedPolicy;

pub const TOOL: &str = "gatehouse";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Evaluates the change in `cx` against `policy` and assembles the decision record.
pub fn run(
    policy: &LoadedPolicy,
    source: PolicySource,
    cx: &Context<'_>,
    opts: &EngineOptions,
    notices: Vec<String>,
) -> Report {
    let eval = engine::evaluate(policy, cx, opts);
    let verdict = verdict(&eval.outcomes);
    let timings_ms = eval.outcomes.iter().map(|o| (o.gate.clone(), o.elapsed.as_millis() as u64)).collect();
    let stats = ChangeStats {
        files: cx.changes.files.len(),
        added: cx.changes.added_count(),
        removed: cx.changes.removed_count(),
    };
    Report {
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

/// `error` if a blocking gate could not run, else `fail` if one failed, else `pass`.
pub fn verdict(outcomes: &[finding::GateOutcome]) -> Verdict {
    let blocking: Vec<_> = outcomes.iter().filter(|o| o.blocks()).collect();
    if blocking.iter().any(|o| o.conclusion == Conclusion::Error) {
        Verdict::Error
    } else if blocking.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail
    }
}
