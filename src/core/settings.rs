//! Gate settings: how a gate's result counts (`mode`, `on_error`, `scope`, `fail_on`), the
//! `[defaults]` table every gate inherits, and the macro that adds the common keys to a gate's
//! policy table.

use super::finding::Severity;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Whether a gate blocks the merge when it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Block,
    Warn,
    Off,
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
macro_rules! gate_config {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// `block`, `warn` or `off`; inherits from `[defaults]`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub mode: Option<$crate::core::settings::Mode>,
            /// `fail` or `warn` when the gate cannot run; inherits from `[defaults]`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub on_error: Option<$crate::core::settings::OnError>,
            /// `added`, `changed-files` or `all`; inherits from `[defaults]`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub scope: Option<$crate::core::settings::Scope>,
            $($(#[$fm])* pub $f: $t),*
        }

        impl $crate::core::settings::GateCommon for $name {
            fn common(&self) -> $crate::core::settings::Common {
                $crate::core::settings::Common { mode: self.mode, on_error: self.on_error, scope: self.scope }
            }
        }
    };
}

pub(crate) use gate_config;
