//! Observability: new handlers must be instrumented, no stray prints or sensitive fields in log
//! calls, and telemetry signals declared by requirements must be emitted by the code.

pub mod instrument;
pub mod telemetry;

use super::{Built, Family, Gate, GateError, GateMeta, GateReport, RuleInfo};
use crate::core::Severity;
use crate::core::{GateCommon, PolicyError, Seg, Settings};
use crate::gate::Context;
use crate::gates::Policy;
use crate::rules::pack::Spec;
use crate::rules::{Origin, RuleDef, RuleSet, merge, parse_pack};

crate::core::settings::gate_config! {
    /// `[observability]`: instrumentation of new handlers, forbidden prints and sensitive logging,
    /// telemetry traceability.
    pub struct Config {
        /// Built-in instrumentation presets: axum, actix, express, fastapi, flask, go-http, spring.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub presets: Vec<String>,
        /// Own instrumentation rules: code matching `when` must contain `evidence`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub require: Vec<instrument::Require>,
        /// Use the built-in forbid pack (stray prints, sensitive fields in log calls). Default true.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub builtin_forbid: Option<bool>,
        /// Patterns forbidden on added lines; a rule with a built-in id replaces that rule.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub forbid: Vec<RuleDef>,
        /// Requirements that declare a telemetry signal must have it emitted by the code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub telemetry: Option<telemetry::Telemetry>,
    }
}

pub const FAMILY: Family = Family { name: "observability", build, catalogue };

const FORBID_PACK_FILE: &str = "gates/observability-forbid.toml";
const FORBID_PACK: &str = include_str!("../../../gates/observability-forbid.toml");
pub(crate) const PRESETS_FILE: &str = "gates/observability-presets.toml";
pub(crate) const PRESETS: &str = include_str!("../../../gates/observability-presets.toml");

fn builtin_forbid() -> Vec<RuleDef> {
    // the pack is tested to parse; an unparsable pack would show up as a policy error in build
    parse_pack(FORBID_PACK_FILE, FORBID_PACK).unwrap_or_default()
}

fn catalogue() -> Vec<RuleInfo> {
    let mut rules = Vec::new();
    let pack: Vec<_> = builtin_forbid();
    let with: Vec<_> = pack.iter().map(|r| (r, Origin::Pack(FORBID_PACK_FILE))).collect();
    if let Ok(set) = RuleSet::compile("observability", &with) {
        rules.extend(set.infos());
    }
    if let Ok(presets) = instrument::presets() {
        rules.extend(presets.iter().map(|p| p.info()));
    }
    rules.extend(telemetry::catalogue());
    rules
}

struct ObservabilityGate {
    meta: GateMeta,
    rules: RuleSet,
    telemetry: Option<telemetry::Compiled>,
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.observability else { return Ok(Vec::new()) };
    let mut errors: Vec<PolicyError> = Vec::new();
    let pack = if cfg.builtin_forbid.unwrap_or(true) {
        parse_pack(FORBID_PACK_FILE, FORBID_PACK).map_err(|e| errors.push(e)).unwrap_or_default()
    } else {
        Vec::new()
    };
    let presets = if cfg.presets.is_empty() {
        Vec::new()
    } else {
        instrument::presets().map_err(|e| errors.push(e)).unwrap_or_default()
    };
    let merged = merge(&pack, &cfg.forbid);
    let mut specs: Vec<Spec<'_>> = merged
        .iter()
        .map(|r| {
            let origin = match cfg.forbid.iter().position(|p| std::ptr::eq(p, *r)) {
                Some(i) => Origin::Policy(vec![Seg::from("observability"), Seg::from("forbid"), Seg::Index(i)]),
                None => Origin::Pack(FORBID_PACK_FILE),
            };
            Spec::line("observability", r, origin)
        })
        .collect();
    let require =
        instrument::specs(&presets, &cfg.presets, &cfg.require).map_err(|e| errors.extend(e)).unwrap_or_default();
    specs.extend(require.iter().map(instrument::spec));
    let rules = RuleSet::build(specs).map_err(|e| errors.extend(e)).ok();
    let telemetry = cfg.telemetry.as_ref().map(telemetry::Compiled::new).transpose().map_err(|e| errors.extend(e)).ok();
    match (rules, telemetry) {
        (Some(rules), Some(telemetry)) if errors.is_empty() => {
            let settings = Settings::resolve(&policy.defaults, &[cfg.common()]);
            let mut infos = rules.infos();
            infos.extend(telemetry::catalogue());
            let meta = GateMeta::new("observability", settings, infos);
            Ok(vec![Box::new(ObservabilityGate { meta, rules, telemetry })])
        }
        _ => Err(errors),
    }
}

impl Gate for ObservabilityGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut findings = Vec::new();
        let stats = self.rules.scan(cx, self.meta.settings.scope, &mut findings)?;
        let mut report = GateReport::default();
        report.metric("lines_scanned", stats.lines as f64, None);
        report.metric("handlers_checked", stats.units as f64, None);
        if let Some(t) = &self.telemetry {
            let matrix = t.check(cx, &mut findings)?;
            report.metric("telemetry_signals", matrix.iter().map(|r| r.signals.len()).sum::<usize>() as f64, None);
            report.summary = telemetry::summary(&matrix);
            report.details = Some(serde_json::json!({ "telemetry": matrix }));
        }
        report.findings = findings;
        Ok(report)
    }
}

/// Severity of a policy-given rule, error by default.
pub(crate) fn severity(s: Option<Severity>) -> Severity {
    s.unwrap_or(Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_packs_parse_and_compile() {
        let pack = parse_pack(FORBID_PACK_FILE, FORBID_PACK).unwrap();
        let with: Vec<_> = pack.iter().map(|r| (r, Origin::Pack(FORBID_PACK_FILE))).collect();
        let set = RuleSet::compile("observability", &with).unwrap();
        assert!(set.infos().iter().any(|r| r.id == "observability.sensitive-log"));
        let presets = instrument::presets().unwrap();
        let names: Vec<_> = presets.iter().map(|p| p.info().id).collect();
        assert_eq!(names.len(), 7, "{names:?}");
        assert!(names.contains(&"observability.instrument-axum".to_string()));
    }
}
