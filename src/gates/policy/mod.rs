//! The typed policy: one table per gate family, the loader that turns `gates.toml` into gates
//! and waivers, and the JSON Schema. It lives with the families because it names every family's
//! config type; the generic reading and error placement are in `crate::policy`.

use super::Gate;
use crate::core::{Defaults, PolicyError, PolicyErrors};
use crate::policy::{CompiledWaiver, PolicyReader, Sources, Waiver, compile_waivers};
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
    pub patterns: Option<super::patterns::Config>,
    /// PR hygiene: size, title, body, labels, changelog, commits, large files, forbidden paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hygiene: Option<super::hygiene::Config>,
    /// AI accountability: AI-assisted changes record model and reviewer; no-go paths need approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai: Option<super::ai::Config>,
    /// Testability: patch coverage, tests with code, requirement traceability and wording, test hygiene.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub testability: Option<super::testability::Config>,
    /// Security: secrets, dangerous patterns, SARIF intake, dependency changes, sensitive paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<super::security::Config>,
    /// API contracts (OpenAPI, GraphQL, JSON Schema): breaking-change detection between base and head.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<super::contract::Config>,
    /// Architecture: import layers, forbidden packages, cycles, size/complexity caps, co-change rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<super::architecture::Config>,
    /// Observability: instrumentation of new handlers, stray prints, sensitive logging, telemetry traceability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observability: Option<super::observability::Config>,
    /// Performance budgets: benchmark results and artifact sizes against budgets and the base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance: Option<super::performance::Config>,
    /// Reviewed exceptions: findings of `rule` (optionally under `path`) are set aside until `expires`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
}

/// A policy ready to run: the merged model, its gates, its waivers, and what it was made from.
pub struct LoadedPolicy {
    pub policy: Policy,
    pub gates: Vec<Box<dyn Gate>>,
    pub waivers: Vec<CompiledWaiver>,
    /// `(path, text)` of the policy file, then each file it extends.
    pub files: Vec<(String, String)>,
    /// sha256 of the merged policy as canonical JSON.
    pub digest: String,
}

impl std::fmt::Debug for LoadedPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedPolicy")
            .field("files", &self.files.iter().map(|f| &f.0).collect::<Vec<_>>())
            .field("digest", &self.digest)
            .finish()
    }
}

/// Loads the policy at `path` and every file it extends through `read`.
pub fn load(read: PolicyReader<'_>, path: &str) -> Result<LoadedPolicy, PolicyErrors> {
    let sources = crate::policy::read_sources::<Policy>(read, path)?;
    from_sources(sources)
}

/// Loads a policy from text alone (no `extends` allowed unless the file exists in `read`).
pub fn load_str(name: &str, text: &str) -> Result<LoadedPolicy, PolicyErrors> {
    let (name_owned, text_owned) = (name.to_string(), text.to_string());
    let read = move |p: &str| Ok((p == name_owned).then(|| text_owned.clone().into_bytes()));
    load(&read, name)
}

/// Checks the version, builds the gates and waivers, and places semantic errors in the file
/// that holds the key.
fn from_sources(sources: Sources) -> Result<LoadedPolicy, PolicyErrors> {
    let Sources { files, merged } = sources;
    let main = &files[0];
    let policy: Policy = toml::Value::Table(merged)
        .try_into()
        .map_err(|e: toml::de::Error| crate::policy::one(PolicyError::in_file(&main.0, e.message().to_string())))?;
    let mut errors = Vec::new();
    match policy.version {
        Some(1) => {}
        Some(v) => errors.push(PolicyError::at(
            vec!["version".into()],
            format!("unsupported policy version {v}; this Gatehouse reads version 1"),
        )),
        None => errors.push(PolicyError::in_file(&main.0, "missing `version = 1` at the top of the policy")),
    }
    let gates = super::build_all(&policy).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    let waivers = compile_waivers(&policy.waivers).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    if !errors.is_empty() {
        let placed = errors.into_iter().map(|e| crate::policy::place(e, &files)).collect();
        return Err(crate::policy::in_order(placed));
    }
    let digest = crate::policy::digest(&policy);
    Ok(LoadedPolicy { policy, gates, waivers, files, digest })
}

/// The JSON Schema of `gates.toml`, for editors (Taplo, VS Code Even Better TOML).
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Policy);
    serde_json::to_value(schema).expect("schema serialises")
}

#[cfg(test)]
mod tests;
