//! The shared rule-pack engine: data-driven regex rules (keywords pre-filter, path globs,
//! `unless`, policy overrides by id) used by `patterns`, `security.patterns` and `observability`.

pub mod pack;

pub use pack::{Origin, RuleDef, RuleSet, in_rule, merge, parse_pack};
