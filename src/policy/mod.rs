//! The `gates.toml` policy: typed model, loading (with `extends`), precise errors, JSON Schema.

mod error;
mod load;

pub use error::{PolicyError, PolicyErrors, Seg};
pub use load::{LoadedPolicy, PolicyReader, load, load_str};

use crate::finding::{Mode, Severity};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The whole policy. Every gate family is one optional table; a family that is absent is off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Gatehouse policy (gates.toml)")]
pub struct Policy {
    /// Policy format version. Must be 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// A shared policy (path relative to this file, inside the repository) merged under this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Settings every gate inherits unless it sets its own.
    #[serde(default)]
    pub defaults: Defaults,
    /// Generic regex rules on added lines: forbid or require patterns within path globs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patterns: Option<crate::gates::patterns::Config>,
    /// PR hygiene: size, title, body, labels, changelog, commits, large files, forbidden paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hygiene: Option<crate::gates::hygiene::Config>,
    /// AI accountability: AI-assisted changes record model and reviewer; no-go paths need approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai: Option<crate::gates::ai::Config>,
    /// Testability: patch coverage, tests with code, requirement traceability and wording, test hygiene.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub testability: Option<crate::gates::testability::Config>,
    /// Security: secrets, dangerous patterns, SARIF intake, dependency changes, sensitive paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<crate::gates::security::Config>,
    /// API contracts (OpenAPI, GraphQL, JSON Schema): breaking-change detection between base and head.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<crate::gates::contract::Config>,
    /// Architecture: import layers, forbidden packages, cycles, size/complexity caps, co-change rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<crate::gates::architecture::Config>,
    /// Observability: instrumentation of new handlers, stray prints, sensitive logging, telemetry traceability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observability: Option<crate::gates::observability::Config>,
    /// Performance budgets: benchmark results and artifact sizes against budgets and the base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance: Option<crate::gates::performance::Config>,
    /// Reviewed exceptions: findings of `rule` (optionally under `path`) are set aside until `expires`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// `block`: a failure blocks the merge; `warn`: reported, never blocks; `off`: not run.
    #[serde(default)]
    pub mode: Mode,
    /// What a gate that cannot run (missing report, bad input) concludes: `fail` (fail closed) or `warn`.
    #[serde(default)]
    pub on_error: OnError,
    /// Which findings count: on `added` lines only, anywhere in `changed-files`, or `all`.
    #[serde(default)]
    pub scope: Scope,
    /// The lowest finding severity that fails a gate.
    #[serde(default = "default_fail_on")]
    pub fail_on: Severity,
}

fn default_fail_on() -> Severity {
    Severity::Error
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults { mode: Mode::Block, on_error: OnError::Fail, scope: Scope::Added, fail_on: Severity::Error }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    #[default]
    Fail,
    Warn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    #[default]
    Added,
    ChangedFiles,
    All,
}

/// A reviewed exception to a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Rule id (`security.secrets.aws-access-key`), a family prefix (`security`), or a glob (`security.*`).
    pub rule: String,
    /// Only findings under this path glob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Only the finding with this fingerprint (as printed in the JSON report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Why this is acceptable. Required.
    pub reason: String,
    /// `YYYY-MM-DD`; from this day on the waiver no longer applies and is reported as expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub expires: Option<DateInput>,
}

/// A date written as a TOML date (`2026-12-31`) or a string (`"2026-12-31"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DateInput {
    Text(String),
    Toml(toml::value::Datetime),
}

impl DateInput {
    pub fn as_string(&self) -> String {
        match self {
            DateInput::Text(s) => s.clone(),
            DateInput::Toml(d) => d.to_string(),
        }
    }
}

/// The settings every gate table may carry; `None` inherits.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Common {
    pub mode: Option<Mode>,
    pub on_error: Option<OnError>,
    pub scope: Option<Scope>,
}

/// Implemented by every gate config through [`gate_config!`].
pub trait GateCommon {
    fn common(&self) -> Common;
}

/// The effective settings of one gate after inheritance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub mode: Mode,
    pub on_error: OnError,
    pub scope: Scope,
    pub fail_on: Severity,
}

impl Settings {
    /// Defaults, then each layer (family table, then sub-gate table) overriding what it sets.
    pub fn resolve(defaults: &Defaults, layers: &[Common]) -> Settings {
        let mut s = Settings {
            mode: defaults.mode,
            on_error: defaults.on_error,
            scope: defaults.scope,
            fail_on: defaults.fail_on,
        };
        for layer in layers {
            s.mode = layer.mode.unwrap_or(s.mode);
            s.on_error = layer.on_error.unwrap_or(s.on_error);
            s.scope = layer.scope.unwrap_or(s.scope);
        }
        s
    }
}

/// Declares a gate's policy table with the common `mode`/`on_error`/`scope` keys added, since
/// serde's `flatten` cannot be combined with `deny_unknown_fields`.
#[macro_export]
macro_rules! gate_config {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// `block`, `warn` or `off`; inherits from `[defaults]`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub mode: Option<$crate::finding::Mode>,
            /// `fail` or `warn` when the gate cannot run; inherits from `[defaults]`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub on_error: Option<$crate::policy::OnError>,
            /// `added`, `changed-files` or `all`; inherits from `[defaults]`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub scope: Option<$crate::policy::Scope>,
            $($(#[$fm])* pub $f: $t),*
        }

        impl $crate::policy::GateCommon for $name {
            fn common(&self) -> $crate::policy::Common {
                $crate::policy::Common { mode: self.mode, on_error: self.on_error, scope: self.scope }
            }
        }
    };
}

/// The JSON Schema of `gates.toml`, for editors (Taplo, VS Code Even Better TOML).
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Policy);
    serde_json::to_value(schema).expect("schema serialises")
}

/// The rule id closest to `got`, for "did you mean" in `explain`.
pub fn closest_rule<'a>(got: &str, ids: impl IntoIterator<Item = &'a str>) -> Option<String> {
    error::closest(got, ids)
}
