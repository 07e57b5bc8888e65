//! Requirement wording lint: vague terms, performance words without a number, missing
//! acceptance criteria. Word lists ship in `gates/requirement-wording.toml`.

use crate::core::{PolicyError, Seg};
use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../../../gates/requirement-wording.toml");

#[derive(Debug, Deserialize)]
struct Lists {
    vague: Vec<String>,
    performance: Vec<String>,
    acceptance: Vec<String>,
}

/// `[testability.requirements.wording]`: extends the built-in word lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WordingConfig {
    /// Run the wording lint on added or changed requirements (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// More vague terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vague: Vec<String>,
    /// More performance words that need a number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub performance: Vec<String>,
    /// More acceptance-criteria markers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acceptance: Vec<String>,
    /// Terms removed from every built-in list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// Require acceptance criteria in each changed requirement (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_acceptance: Option<bool>,
}

/// Compiled word lists.
#[derive(Debug)]
pub struct Wording {
    pub vague: Option<Regex>,
    pub performance: Option<Regex>,
    pub acceptance: Option<Regex>,
    pub require_acceptance: bool,
}

/// One alternation of whole-word, case-insensitive terms (longest first).
fn words(list: &[String]) -> Option<Regex> {
    let mut terms: Vec<&String> = list.iter().filter(|t| !t.trim().is_empty()).collect();
    if terms.is_empty() {
        return None;
    }
    terms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    terms.dedup();
    let alts: Vec<String> = terms
        .iter()
        .map(|t| {
            let t = t.trim();
            let pre = if t.starts_with(|c: char| c.is_alphanumeric()) { r"\b" } else { "" };
            let post = if t.ends_with(|c: char| c.is_alphanumeric()) { r"\b" } else { "" };
            format!("{pre}{}{post}", regex::escape(t).replace(' ', r"\s+"))
        })
        .collect();
    Regex::new(&format!("(?i)(?:{})", alts.join("|"))).ok()
}

impl Wording {
    pub fn build(cfg: &WordingConfig, key: &[Seg]) -> Result<Option<Wording>, PolicyError> {
        if cfg.enabled == Some(false) {
            return Ok(None);
        }
        let lists: Lists = toml::from_str(BUILTIN)
            .map_err(|e| PolicyError::at(key.to_vec(), format!("built-in wording lists are corrupt: {e}")))?;
        let allow: Vec<String> = cfg.allow.iter().map(|a| a.to_lowercase()).collect();
        let merge = |base: Vec<String>, extra: &[String]| -> Vec<String> {
            base.into_iter().chain(extra.iter().cloned()).filter(|w| !allow.contains(&w.to_lowercase())).collect()
        };
        Ok(Some(Wording {
            vague: words(&merge(lists.vague, &cfg.vague)),
            performance: words(&merge(lists.performance, &cfg.performance)),
            acceptance: words(&merge(lists.acceptance, &cfg.acceptance)),
            require_acceptance: cfg.require_acceptance.unwrap_or(true),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_parse_and_match_whole_words() {
        let w = Wording::build(&WordingConfig::default(), &[]).unwrap().unwrap();
        let v = w.vague.unwrap();
        assert!(v.is_match("The page shall load FAST."));
        assert!(v.is_match("handles json, xml etc."));
        assert!(v.is_match("export and/or import"));
        assert!(v.is_match("owner: TBD"));
        assert!(v.is_match("as  appropriate"));
        assert!(!v.is_match("breakfast is served")); // no substring hits
        let p = w.performance.unwrap();
        assert!(p.is_match("p99 Latency under 200 ms"));
        assert!(w.acceptance.unwrap().is_match("Given a user, when..."));
    }

    #[test]
    fn policy_extends_and_allows() {
        let cfg = WordingConfig { vague: vec!["snappy".into()], allow: vec!["fast".into()], ..Default::default() };
        let w = Wording::build(&cfg, &[]).unwrap().unwrap();
        let v = w.vague.unwrap();
        assert!(v.is_match("a snappy UI"));
        assert!(!v.is_match("a fast UI"));
        assert!(!w.performance.unwrap().is_match("fast"), "allow removes from every list");
        let off = WordingConfig { enabled: Some(false), ..Default::default() };
        assert!(Wording::build(&off, &[]).unwrap().is_none());
    }
}
