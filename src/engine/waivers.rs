//! `[[waivers]]`: reviewed, time-boxed exceptions. Compiled once; each use is counted for the
//! decision record, and expired ones are reported instead of applied.

use crate::core::rule::WAIVER_EXPIRED;
use crate::core::{Finding, Suppression};
use crate::policy::CompiledWaiver;
use serde::Serialize;

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
                    WAIVER_EXPIRED
                        .finding(None, msg, &content)
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
