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

pub mod policy;

pub use crate::core::RuleInfo;
pub use crate::gate::{Context, Gate, GateError, GateMeta, GateReport};
pub use policy::{LoadedPolicy, Policy, json_schema, load, load_str};

use crate::core::PolicyError;
use crate::core::rule::CORE_RULES;

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

/// Every built-in rule of every family plus the engine's own.
pub fn catalogue() -> Vec<RuleInfo> {
    let mut rules: Vec<RuleInfo> = CORE_RULES.iter().map(|r| r.info()).collect();
    for f in FAMILIES {
        rules.extend((f.catalogue)());
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules
}
