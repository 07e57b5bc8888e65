//! Security gates: secrets in added lines, dangerous code patterns, results of other scanners
//! (SARIF intake), dependency changes and changes to sensitive paths.
//!
//! Each part is its own gate (`security.secrets`, `security.patterns`, `security.sarif`,
//! `security.dependencies`, `security.sensitive-paths`) so it can be run, waived and switched
//! off on its own. Secrets and patterns run whenever `[security]` is present; the other three
//! run when their table is configured.

pub mod deps;
pub mod patterns;
pub mod sarif;
pub mod secrets;
pub mod sensitive;

use super::{Built, Family, Gate, RuleInfo};
use crate::core::{Common, GateCommon, PolicyError, Settings};
use crate::gates::Policy;

crate::core::settings::gate_config! {
    /// `[security]`: secrets, dangerous patterns, SARIF intake, dependencies, sensitive paths.
    /// `mode`/`on_error`/`scope` here apply to every security gate unless its table overrides them.
    pub struct Config {
        /// Secrets in added lines (on by default; `mode = "off"` to disable).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub secrets: Option<secrets::Config>,
        /// Dangerous code patterns from the per-language packs (on by default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub patterns: Option<patterns::Config>,
        /// SARIF 2.1.0 reports of other scanners to bring into the verdict.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sarif: Option<sarif::Config>,
        /// Dependencies added or upgraded in the pull request.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub dependencies: Option<deps::Config>,
        /// Paths whose changes need an approving review or a label.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sensitive_paths: Option<sensitive::Config>,
    }
}

pub const FAMILY: Family = Family { name: "security", build, catalogue };

fn catalogue() -> Vec<RuleInfo> {
    let mut rules = secrets::catalogue();
    rules.extend(patterns::catalogue());
    rules.extend(sarif::catalogue());
    rules.extend(deps::catalogue());
    rules.extend(sensitive::catalogue());
    rules
}

/// Settings of one security gate: defaults, then `[security]`, then its own table.
pub(crate) fn settings(policy: &Policy, family: &Config, own: Option<Common>) -> Settings {
    let mut layers = vec![family.common()];
    layers.extend(own);
    Settings::resolve(&policy.defaults, &layers)
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.security else { return Ok(Vec::new()) };
    let mut gates: Vec<Box<dyn Gate>> = Vec::new();
    let mut errors: Vec<PolicyError> = Vec::new();
    let mut take = |r: Result<Option<Box<dyn Gate>>, Vec<PolicyError>>| match r {
        Ok(g) => gates.extend(g),
        Err(e) => errors.extend(e),
    };
    take(secrets::build(policy, cfg));
    take(patterns::build(policy, cfg));
    take(sarif::build(policy, cfg));
    take(deps::build(policy, cfg));
    take(sensitive::build(policy, cfg));
    if errors.is_empty() { Ok(gates) } else { Err(errors) }
}
