//! Sensitive paths: a change to a configured path (workflows, the policy, CODEOWNERS) needs an
//! approving review from an allowed user or team, or one of the configured labels. Reviews come
//! from the code host; without one (a local run) the change is reported as needing approval —
//! never as a pass.

use crate::core::matcher::{Globs, key};
use crate::core::{GateCommon, PolicyError, Seg};
use crate::core::{Location, Rule, Severity, Text};
use crate::forge::{Forge, ReviewState};
use crate::gate::Context;
use crate::gates::Policy;
use crate::gates::{Gate, GateError, GateMeta, GateReport, RuleInfo};
use std::collections::BTreeMap;

crate::core::settings::gate_config! {
    /// `[security.sensitive_paths]`: paths whose changes need an approval or a label.
    pub struct Config {
        /// Path globs (e.g. `.github/workflows/**`, `gates.toml`, `CODEOWNERS`).
        pub paths: Vec<String>,
        /// Who may approve: GitHub logins or `org/team` slugs. Empty: any reviewer but the author.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub approvers: Vec<String>,
        /// PR labels that stand in for an approval (e.g. `security-reviewed`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub labels: Vec<String>,
        /// Only approvals of the head commit count (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub current_only: Option<bool>,
    }
}

pub const NEEDS_APPROVAL: Rule = Rule::new(
    "security.sensitive-paths.needs-approval",
    Severity::Error,
    "A sensitive path changed without an approving review from an allowed reviewer (or an approving label).",
    "Workflows, the gate policy and ownership files control what runs with secrets and what is allowed to merge; changing them must be a deliberate, reviewed decision.",
    "Ask an allowed approver (`security.sensitive_paths.approvers`) to approve the pull request, or add one of the configured labels. Locally this cannot be checked and is always reported.",
);

/// Every rule this family declares.
pub const RULES: &[&Rule] = &[&NEEDS_APPROVAL];

pub fn catalogue() -> Vec<RuleInfo> {
    crate::core::rule::infos(RULES)
}

struct SensitiveGate {
    meta: GateMeta,
    paths: Globs,
    approvers: Vec<String>,
    labels: Vec<String>,
    current_only: bool,
}

pub fn build(policy: &Policy, family: &super::Config) -> Result<Option<Box<dyn Gate>>, Vec<PolicyError>> {
    let Some(cfg) = &family.sensitive_paths else { return Ok(None) };
    let at = vec![Seg::from("security"), Seg::from("sensitive_paths")];
    let paths = Globs::new(&cfg.paths, &key(&at, &[Seg::from("paths")])).map_err(|e| vec![e])?;
    if cfg.paths.is_empty() {
        return Err(vec![PolicyError::at(key(&at, &[Seg::from("paths")]), "list at least one path glob")]);
    }
    for (i, a) in cfg.approvers.iter().enumerate() {
        if a.is_empty() || a.split('/').count() > 2 || a.split('/').any(str::is_empty) {
            return Err(vec![PolicyError::at(
                key(&at, &[Seg::from("approvers"), Seg::Index(i)]),
                format!("`{a}` is neither a login nor an `org/team` slug"),
            )]);
        }
    }
    let settings = super::settings(policy, family, Some(cfg.common()));
    let meta = GateMeta::new("security.sensitive-paths", settings, catalogue());
    Ok(Some(Box::new(SensitiveGate {
        meta,
        paths,
        approvers: cfg.approvers.clone(),
        labels: cfg.labels.clone(),
        current_only: cfg.current_only.unwrap_or(true),
    })))
}

/// Who approved, or why nobody counts.
#[derive(Debug, PartialEq)]
enum Decision {
    Label(String),
    Approved(Vec<String>),
    Missing(String),
}

impl SensitiveGate {
    fn decide(&self, cx: &Context<'_>) -> Result<Decision, GateError> {
        if let Some(l) = cx.pr.labels.iter().find(|l| self.labels.contains(l)) {
            return Ok(Decision::Label(l.clone()));
        }
        let Some(forge) = cx.forge else {
            return Ok(Decision::Missing("no code host to read reviews from (local run)".into()));
        };
        let head = cx.changes.head.sha.as_deref();
        self.decide_by_reviews(forge, cx.pr.author.as_deref(), head)
    }

    fn decide_by_reviews(
        &self,
        forge: &dyn Forge,
        author: Option<&str>,
        head: Option<&str>,
    ) -> Result<Decision, GateError> {
        let reviews = forge.reviews().map_err(|e| GateError::Other(format!("reading reviews: {e}")))?;
        // The latest state per reviewer; comments do not replace an approval (as on GitHub).
        let mut latest: BTreeMap<&str, (ReviewState, Option<&str>)> = BTreeMap::new();
        for r in &reviews {
            if matches!(r.state, ReviewState::Commented | ReviewState::Pending) {
                continue;
            }
            latest.insert(r.user.as_str(), (r.state, r.commit.as_deref()));
        }
        let approved: Vec<&str> = latest
            .iter()
            .filter(|(user, (state, commit))| {
                *state == ReviewState::Approved
                    && Some(**user) != author
                    && (!self.current_only || head.is_none() || *commit == head)
            })
            .map(|(u, _)| *u)
            .collect();
        if approved.is_empty() {
            return Ok(Decision::Missing("no approving review of the current head".into()));
        }
        if self.approvers.is_empty() {
            return Ok(Decision::Approved(approved.iter().map(|s| s.to_string()).collect()));
        }
        let mut allowed: Vec<String> = Vec::new();
        for a in &self.approvers {
            match a.split_once('/') {
                None => {
                    if approved.iter().any(|u| u.eq_ignore_ascii_case(a)) {
                        allowed.push(a.clone());
                    }
                }
                Some((org, team)) => {
                    let members = forge
                        .team_members(org, team)
                        .map_err(|e| GateError::Other(format!("reading members of team {a}: {e}")))?;
                    for u in approved.iter().filter(|u| members.iter().any(|m| m.eq_ignore_ascii_case(u))) {
                        allowed.push(format!("{u} ({a})"));
                    }
                }
            }
        }
        allowed.sort();
        allowed.dedup();
        if allowed.is_empty() {
            Ok(Decision::Missing(format!("approved by {}, none of whom is an allowed approver", approved.join(", "))))
        } else {
            Ok(Decision::Approved(allowed))
        }
    }
}

impl Gate for SensitiveGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let touched: Vec<&str> = cx
            .changes
            .files
            .iter()
            .filter(|f| self.paths.matches(&f.path) || f.old_path.as_deref().is_some_and(|p| self.paths.matches(p)))
            .map(|f| f.path.as_str())
            .collect();
        let mut report = GateReport::default();
        if touched.is_empty() {
            return Ok(report);
        }
        let decision = self.decide(cx)?;
        let who = if self.approvers.is_empty() { "a reviewer".to_string() } else { self.approvers.join(", ") };
        let labels =
            if self.labels.is_empty() { String::new() } else { format!(" or the label `{}`", self.labels.join("`/`")) };
        let (status, by) = match &decision {
            Decision::Label(l) => ("approved", format!("label `{l}`")),
            Decision::Approved(u) => ("approved", u.join(", ")),
            Decision::Missing(why) => ("needs approval", why.clone()),
        };
        if let Decision::Missing(why) = &decision {
            for path in &touched {
                let msg = format!("`{path}` is a sensitive path: needs approval from {who}{labels} ({why})");
                report.findings.push(NEEDS_APPROVAL.finding(Some(Location::file(*path)), msg, ""));
            }
        }
        report.details = Some(serde_json::json!({ "paths": touched, "status": status, "by": by }));
        let line = Text::plain("Sensitive paths changed: ")
            .append(Text::codes(&touched))
            .and(" — ")
            .and_strong(status)
            .and(format!(" ({by})."));
        report.summary = vec![line.into()];
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::{ForgeError, Review};

    struct FakeForge {
        reviews: Vec<Review>,
        team: Vec<String>,
    }

    impl Forge for FakeForge {
        fn reviews(&self) -> Result<Vec<Review>, ForgeError> {
            Ok(self.reviews.clone())
        }
        fn team_members(&self, org: &str, team: &str) -> Result<Vec<String>, ForgeError> {
            if (org, team) == ("acme", "security") { Ok(self.team.clone()) } else { Err(ForgeError::Api("404".into())) }
        }
    }

    fn review(user: &str, state: ReviewState, commit: &str) -> Review {
        Review { user: user.into(), state, commit: Some(commit.into()) }
    }

    fn gate(approvers: &[&str]) -> SensitiveGate {
        SensitiveGate {
            meta: GateMeta::new(
                "security.sensitive-paths",
                crate::core::Settings::resolve(&Default::default(), &[]),
                catalogue(),
            ),
            paths: Globs::new(&[".github/**".into()], &[]).unwrap(),
            approvers: approvers.iter().map(|s| s.to_string()).collect(),
            labels: vec![],
            current_only: true,
        }
    }

    #[test]
    fn approvals_by_allowed_users_and_team_members_on_the_head_commit() {
        let forge = FakeForge {
            reviews: vec![
                review("alice", ReviewState::Approved, "old"),
                review("bob", ReviewState::Approved, "head"),
                review("carol", ReviewState::Approved, "head"),
                review("carol", ReviewState::Commented, "head"),
                review("dave", ReviewState::Approved, "head"),
                review("dave", ReviewState::ChangesRequested, "head"),
            ],
            team: vec!["bob".into()],
        };
        let g = gate(&["alice", "acme/security"]);
        assert_eq!(
            g.decide_by_reviews(&forge, Some("erin"), Some("head")).unwrap(),
            Decision::Approved(vec!["bob (acme/security)".into()])
        );
        // alice approved an older commit only.
        let g = gate(&["alice"]);
        assert!(matches!(g.decide_by_reviews(&forge, Some("erin"), Some("head")).unwrap(), Decision::Missing(_)));
        // Any approver; the author's own approval and dave's revoked one do not count.
        let g = gate(&[]);
        assert_eq!(
            g.decide_by_reviews(&forge, Some("bob"), Some("head")).unwrap(),
            Decision::Approved(vec!["carol".into()])
        );
        // A team that cannot be read is an error (fail closed), not a pass.
        let g = gate(&["acme/other"]);
        assert!(g.decide_by_reviews(&forge, None, Some("head")).is_err());
    }
}
