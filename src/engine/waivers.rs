//! `[[waivers]]`: reviewed, time-boxed exceptions. Compiled once; each use is counted for the
//! decision record, and expired ones are reported instead of applied.

use crate::finding::{Finding, Severity, Suppression};
use crate::matcher::Globs;
use crate::policy::{PolicyError, Seg, Waiver};
use serde::Serialize;

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
    fn matches(&self, f: &Finding) -> bool {
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

/// `YYYY-MM-DD` with a real month and day.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = s[..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    ((1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1]).then_some((y, m, d))
}

/// How each waiver fared in this run; part of the decision record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct WaiverUse {
    pub index: usize,
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    pub expired: bool,
    /// Findings it set aside in this run.
    pub used: usize,
}

pub struct WaiverState<'w> {
    entries: Vec<(&'w CompiledWaiver, bool, usize)>,
}

/// Starts a run: marks expired waivers (valid through their `expires` day) and reports them.
pub fn start<'w>(waivers: &'w [CompiledWaiver], today: &str) -> (WaiverState<'w>, Vec<Finding>) {
    let mut meta = Vec::new();
    let entries = waivers
        .iter()
        .map(|w| {
            let expired = w.expires.as_deref().is_some_and(|d| d < today);
            if expired {
                let msg = format!(
                    "waiver #{} for `{}`{} expired on {}; it no longer applies (reason was: {})",
                    w.index + 1,
                    w.rule,
                    w.path_glob.as_deref().map(|p| format!(" in `{p}`")).unwrap_or_default(),
                    w.expires.as_deref().unwrap_or(""),
                    w.reason
                );
                let content = format!("{}#{}", w.rule, w.index);
                meta.push(
                    Finding::new("gatehouse.waiver-expired", Severity::Warning, None, msg, &content)
                        .with_help("Fix the findings it covered, or renew the waiver with a new date and reason."),
                );
            }
            (w, expired, 0)
        })
        .collect();
    (WaiverState { entries }, meta)
}

/// The first live waiver that covers `f`, counted as used.
pub fn apply_waivers(state: &mut WaiverState<'_>, f: &Finding) -> Option<Suppression> {
    let (w, _, used) = state.entries.iter_mut().find(|(w, expired, _)| !*expired && w.matches(f))?;
    *used += 1;
    Some(Suppression::Waiver {
        index: w.index,
        rule: w.rule.clone(),
        reason: w.reason.clone(),
        expires: w.expires.clone(),
    })
}

impl WaiverState<'_> {
    pub fn into_uses(self) -> Vec<WaiverUse> {
        self.entries
            .into_iter()
            .map(|(w, expired, used)| WaiverUse {
                index: w.index,
                rule: w.rule.clone(),
                path: w.path_glob.clone(),
                reason: w.reason.clone(),
                expires: w.expires.clone(),
                expired,
                used,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-12-31"), Some((2026, 12, 31)));
        assert!(parse_date("2026-02-29").is_none());
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("26-1-1").is_none());
    }
}
