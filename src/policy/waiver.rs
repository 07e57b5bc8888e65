//! `[[waivers]]`: reviewed, time-boxed exceptions, compiled once at load. The engine applies them.

use crate::core::date::parse_date;
use crate::core::matcher::Globs;
use crate::core::{Finding, PolicyError, Seg};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone)]
pub struct CompiledWaiver {
    pub index: usize,
    pub rule: String,
    rule_glob: Option<globset::GlobMatcher>,
    path: Option<Globs>,
    pub path_glob: Option<String>,
    fingerprint: Option<String>,
    pub reason: String,
    pub expires: Option<String>,
}

impl CompiledWaiver {
    pub fn matches(&self, f: &Finding) -> bool {
        let rule_ok = match &self.rule_glob {
            Some(g) => g.is_match(&f.rule),
            None => f.rule == self.rule || f.rule.starts_with(&format!("{}.", self.rule)),
        };
        let path_ok = match (&self.path, &f.location) {
            (None, _) => true,
            (Some(g), Some(loc)) => g.matches(&loc.path),
            (Some(_), None) => false,
        };
        let fp_ok = self.fingerprint.as_ref().is_none_or(|fp| *fp == f.fingerprint);
        rule_ok && path_ok && fp_ok
    }
}

pub fn compile_waivers(ws: &[Waiver]) -> Result<Vec<CompiledWaiver>, Vec<PolicyError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        let at = |k: &str| vec![Seg::from("waivers"), Seg::Index(i), Seg::from(k)];
        if w.reason.trim().is_empty() {
            errors.push(PolicyError::at(at("reason"), "a waiver needs a reason"));
        }
        let rule_glob = if w.rule.contains(['*', '?', '[']) {
            match globset::Glob::new(&w.rule) {
                Ok(g) => Some(g.compile_matcher()),
                Err(e) => {
                    errors.push(PolicyError::at(at("rule"), format!("invalid rule glob `{}`: {}", w.rule, e.kind())));
                    None
                }
            }
        } else {
            None
        };
        if w.rule.trim().is_empty() {
            errors.push(PolicyError::at(at("rule"), "a waiver must name a rule"));
        }
        let path = match &w.path {
            Some(p) => match Globs::new(std::slice::from_ref(p), &at("path")) {
                Ok(g) => Some(g),
                Err(mut e) => {
                    e.key.pop(); // the path is a single value, not a list
                    errors.push(e);
                    None
                }
            },
            None => None,
        };
        let expires = w.expires.as_ref().map(|d| d.as_string());
        if let Some(d) = &expires {
            if parse_date(d).is_none() {
                errors.push(PolicyError::at(at("expires"), format!("`{d}` is not a date; write YYYY-MM-DD")));
            }
        }
        out.push(CompiledWaiver {
            index: i,
            rule: w.rule.clone(),
            rule_glob,
            path,
            path_glob: w.path.clone(),
            fingerprint: w.fingerprint.clone(),
            reason: w.reason.trim().to_string(),
            expires,
        });
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}
