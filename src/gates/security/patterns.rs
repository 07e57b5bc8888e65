//! Dangerous code patterns: per-language rule packs (`gates/patterns-<lang>.toml`) run by the
//! shared rule-pack engine, extendable and overridable by id in the policy.

use crate::core::Metric;
use crate::core::matcher::key;
use crate::core::{GateCommon, PolicyError, Seg};
use crate::gate::Context;
use crate::gates::Policy;
use crate::gates::{Gate, GateError, GateMeta, GateReport, RuleInfo};
use crate::rules::{Origin, RuleDef, RuleSet, merge, parse_pack};

/// The built-in packs: (language, file, text).
pub const PACKS: &[(&str, &str, &str)] = &[
    ("rust", "gates/patterns-rust.toml", include_str!("../../../gates/patterns-rust.toml")),
    ("python", "gates/patterns-python.toml", include_str!("../../../gates/patterns-python.toml")),
    ("js", "gates/patterns-js.toml", include_str!("../../../gates/patterns-js.toml")),
    ("go", "gates/patterns-go.toml", include_str!("../../../gates/patterns-go.toml")),
    ("java", "gates/patterns-java.toml", include_str!("../../../gates/patterns-java.toml")),
    ("shell", "gates/patterns-shell.toml", include_str!("../../../gates/patterns-shell.toml")),
];

crate::core::settings::gate_config! {
    /// `[security.patterns]`: built-in dangerous-pattern packs plus the policy's own rules.
    pub struct Config {
        /// Languages whose packs run (`rust`, `python`, `js`, `go`, `java`, `shell`); default all.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub packs: Option<Vec<String>>,
        /// More rules; a rule with a built-in id replaces it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub rules: Vec<RuleDef>,
        /// Built-in rule ids to switch off.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub disable: Vec<String>,
    }
}

fn builtin(langs: Option<&[String]>) -> Result<Vec<(RuleDef, &'static str)>, Vec<PolicyError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (lang, file, text) in PACKS {
        if langs.is_some_and(|l| !l.iter().any(|x| x == lang)) {
            continue;
        }
        match parse_pack(file, text) {
            Ok(rules) => out.extend(rules.into_iter().map(|r| (r, *file))),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

pub fn catalogue() -> Vec<RuleInfo> {
    let Ok(rules) = builtin(None) else { return Vec::new() };
    let with: Vec<_> = rules.iter().map(|(r, f)| (r, Origin::Pack(f))).collect();
    RuleSet::compile("security.patterns", &with).map(|s| s.infos()).unwrap_or_default()
}

struct PatternsGate {
    meta: GateMeta,
    rules: RuleSet,
}

pub fn build(policy: &Policy, family: &super::Config) -> Result<Option<Box<dyn Gate>>, Vec<PolicyError>> {
    let default = Config::default();
    let cfg = family.patterns.as_ref().unwrap_or(&default);
    let at = vec![Seg::from("security"), Seg::from("patterns")];
    let mut errors = Vec::new();
    if let Some(langs) = &cfg.packs {
        for (i, l) in langs.iter().enumerate() {
            if !PACKS.iter().any(|(x, _, _)| x == l) {
                let known: Vec<&str> = PACKS.iter().map(|p| p.0).collect();
                errors.push(PolicyError::at(
                    key(&at, &[Seg::from("packs"), Seg::Index(i)]),
                    format!("unknown pack `{l}` (known: {})", known.join(", ")),
                ));
            }
        }
    }
    let builtins = builtin(cfg.packs.as_deref())?;
    let all = builtin(None)?;
    for (i, d) in cfg.disable.iter().enumerate() {
        if !all.iter().any(|(r, _)| &r.id == d) {
            errors.push(PolicyError::at(
                key(&at, &[Seg::from("disable"), Seg::Index(i)]),
                format!("`{d}` is not a built-in pattern rule"),
            ));
        }
    }
    let kept: Vec<RuleDef> =
        builtins.iter().filter(|(r, _)| !cfg.disable.contains(&r.id)).map(|(r, _)| r.clone()).collect();
    let merged = merge(&kept, &cfg.rules);
    let with: Vec<_> = merged
        .iter()
        .map(|r| match cfg.rules.iter().position(|p| std::ptr::eq(p, *r)) {
            Some(i) => (*r, Origin::Policy(key(&at, &[Seg::from("rules"), Seg::Index(i)]))),
            None => {
                let file = builtins.iter().find(|(b, _)| b.id == r.id).map(|(_, f)| *f).unwrap_or("gates/patterns");
                (*r, Origin::Pack(file))
            }
        })
        .collect();
    let rules = RuleSet::compile("security.patterns", &with);
    match rules {
        Ok(rules) if errors.is_empty() => {
            let settings = super::settings(policy, family, family.patterns.as_ref().map(|c| c.common()));
            let meta = GateMeta::new("security.patterns", settings, rules.infos());
            Ok(Some(Box::new(PatternsGate { meta, rules })))
        }
        Ok(_) => Err(errors),
        Err(e) => {
            errors.extend(e);
            Err(errors)
        }
    }
}

impl Gate for PatternsGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut findings = Vec::new();
        let scanned = self.rules.scan(cx, self.meta.settings.scope, &mut findings)?;
        let metrics = vec![Metric { name: "lines_scanned".into(), value: scanned.lines as f64, unit: None }];
        Ok(GateReport { findings, metrics, ..Default::default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pack_parses_and_compiles_with_unique_ids() {
        let rules = builtin(None).unwrap();
        assert!(rules.len() >= 18, "{}", rules.len());
        let with: Vec<_> = rules.iter().map(|(r, f)| (r, Origin::Pack(f))).collect();
        let set = RuleSet::compile("security.patterns", &with).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(set.infos().len(), rules.len());
        for (r, _) in &rules {
            assert!(!r.keywords.is_empty() && r.message.is_some() && r.help.is_some(), "{}", r.id);
        }
    }
}
