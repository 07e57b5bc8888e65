//! The core: the vocabulary every other layer speaks, with no dependency on any of them.
//! Findings and locations, severities, typed rules, gate settings, policy (configuration)
//! errors, path globs, summary tables and the per-gate outcome.
//!
//! Layers, one way down: `core` ← inputs (`text`, `lang`, `repo`, `diff`, `forge`, `policy`,
//! `gate`, `commits`, `rules`) ← `gates` ← `engine` ← `report`, `github` ← `init` and the CLI.

pub mod date;
pub mod error;
pub mod finding;
pub mod matcher;
pub mod outcome;
pub mod rule;
pub mod settings;
pub mod table;

pub use error::{PolicyError, PolicyErrors, Seg};
pub use finding::{Finding, Location, Metric, Severity};
pub use outcome::{Conclusion, GateOutcome, SuppressedFinding, Suppression, Verdict};
pub use rule::{Rule, RuleInfo, RuleRef};
pub use settings::{Common, Defaults, GateCommon, Mode, OnError, Scope, Settings};
pub use table::{Block, Column, Span, Table, Text};

pub const TOOL: &str = "gatehouse";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
