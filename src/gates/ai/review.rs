//! Whether an AI-assisted change into no-go paths is approved: by a human review on the
//! forge, or by the policy's approval label. Locally (no forge) the answer is "needs approval".

use super::detect::Identities;
use crate::forge::{Forge, PrInfo, ReviewState};
use crate::gates::GateError;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How approval may be given.
pub struct ApprovalPolicy<'a> {
    pub require_review: bool,
    pub label: Option<&'a str>,
    /// Count only approvals given on the head commit.
    pub on_head: bool,
    /// Users or `org/team` entries whose approval counts; empty means any human but the author.
    pub approvers: &'a [String],
    pub bots: &'a [String],
    pub assistants: &'a Identities,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    ApprovedByReview,
    ApprovedByLabel,
    /// The forge was asked and no qualifying approval exists.
    Missing,
    /// No forge to ask (local run): approval cannot be confirmed.
    NeedsApproval,
}

/// The decision and what it was based on, for the decision record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub state: State,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Why approval is missing, in words.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Reviews that did not count, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<Ignored>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ignored {
    pub user: String,
    pub why: String,
}

impl Approval {
    pub fn approved(&self) -> bool {
        matches!(self.state, State::ApprovedByReview | State::ApprovedByLabel)
    }
}

/// What approval is needed, in words, for messages.
pub fn needed(p: &ApprovalPolicy<'_>) -> String {
    let who = if p.approvers.is_empty() {
        "a human other than the author".to_string()
    } else {
        p.approvers.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
    };
    let on = if p.on_head { " on the head commit" } else { "" };
    match (p.require_review, p.label) {
        (true, Some(l)) => format!("an approving review by {who}{on}, or the label `{l}`"),
        (true, None) => format!("an approving review by {who}{on}"),
        (false, Some(l)) => format!("the label `{l}`"),
        (false, None) => "approval".into(),
    }
}

pub fn decide(
    p: &ApprovalPolicy<'_>,
    pr: &PrInfo,
    head: Option<&str>,
    forge: Option<&dyn Forge>,
) -> Result<Approval, GateError> {
    let mut a = Approval { state: State::Missing, by: vec![], label: None, reason: String::new(), ignored: vec![] };
    if let Some(label) = p.label {
        if pr.labels.iter().any(|l| l.trim().eq_ignore_ascii_case(label)) {
            a.state = State::ApprovedByLabel;
            a.label = Some(label.to_string());
            return Ok(a);
        }
    }
    if !p.require_review {
        a.reason = format!("the pull request does not carry the label `{}`", p.label.unwrap_or(""));
        return Ok(a);
    }
    let Some(forge) = forge else {
        a.state = State::NeedsApproval;
        a.reason = "no code host to read reviews from (local run), so approval cannot be confirmed".into();
        return Ok(a);
    };
    let reviews = forge.reviews().map_err(|e| GateError::Other(format!("reading the pull request's reviews: {e}")))?;
    let allowed = approver_set(p, forge)?;
    let author = pr.author.as_deref().map(str::to_ascii_lowercase);

    // Each human's latest decisive review (GitHub semantics: comments do not change a decision).
    let mut latest: BTreeMap<String, (String, ReviewState, Option<String>)> = BTreeMap::new();
    let mut ignored: BTreeMap<String, Ignored> = BTreeMap::new();
    for r in &reviews {
        let login = r.user.trim();
        let lower = login.to_ascii_lowercase();
        let why = if author.as_deref() == Some(lower.as_str()) {
            Some("the pull request's author cannot approve their own AI-assisted change")
        } else if lower.ends_with("[bot]") || p.bots.iter().any(|b| b.eq_ignore_ascii_case(login)) {
            Some("bots do not count as human review")
        } else if p.assistants.is_login(login) {
            Some("an AI assistant's review is not a human review")
        } else {
            None
        };
        if let Some(why) = why {
            if r.state == ReviewState::Approved {
                ignored.entry(lower).or_insert(Ignored { user: login.to_string(), why: why.into() });
            }
            continue;
        }
        if matches!(r.state, ReviewState::Approved | ReviewState::ChangesRequested | ReviewState::Dismissed) {
            latest.insert(lower, (login.to_string(), r.state, r.commit.clone()));
        }
    }
    let mut changes_requested = Vec::new();
    for (lower, (login, state, commit)) in &latest {
        match state {
            ReviewState::ChangesRequested => changes_requested.push(format!("@{login}")),
            ReviewState::Approved => {
                if allowed.as_ref().is_some_and(|set| !set.contains(lower)) {
                    let why = "not one of the policy's `approvers`".to_string();
                    ignored.entry(lower.clone()).or_insert(Ignored { user: login.clone(), why });
                } else if p.on_head && commit.as_deref() != head {
                    let on = commit.as_deref().map(|c| &c[..c.len().min(12)]).unwrap_or("an unknown commit");
                    let why = format!("approved {on}, not the head commit");
                    ignored.entry(lower.clone()).or_insert(Ignored { user: login.clone(), why });
                } else {
                    a.by.push(login.clone());
                }
            }
            _ => {}
        }
    }
    a.ignored = ignored.into_values().collect();
    if !changes_requested.is_empty() {
        a.reason = format!("changes are requested by {}", changes_requested.join(", "));
        a.by.clear();
    } else if !a.by.is_empty() {
        a.state = State::ApprovedByReview;
    } else {
        a.reason = if a.ignored.is_empty() {
            "the pull request has no approving review".into()
        } else {
            let list: Vec<String> = a.ignored.iter().map(|i| format!("@{} ({})", i.user, i.why)).collect();
            format!("no approving review counts: {}", list.join("; "))
        };
    }
    if pr.author.is_none() && a.state == State::ApprovedByReview {
        tracing::warn!("the pull request's author is unknown; self-approval cannot be excluded");
    }
    Ok(a)
}

/// The lower-cased logins whose approval counts, or `None` for anyone.
fn approver_set(p: &ApprovalPolicy<'_>, forge: &dyn Forge) -> Result<Option<BTreeSet<String>>, GateError> {
    if p.approvers.is_empty() {
        return Ok(None);
    }
    let mut set = BTreeSet::new();
    for entry in p.approvers {
        let entry = entry.trim().trim_start_matches('@');
        match entry.split_once('/') {
            Some((org, team)) => {
                let members = forge
                    .team_members(org, team)
                    .map_err(|e| GateError::Other(format!("reading the members of team `{entry}`: {e}")))?;
                set.extend(members.into_iter().map(|m| m.to_ascii_lowercase()));
            }
            None => {
                set.insert(entry.to_ascii_lowercase());
            }
        }
    }
    Ok(Some(set))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::forge::{ForgeError, Review};

    /// A code host that answers from memory.
    pub(in crate::gates::ai) struct FakeForge {
        pub reviews: Vec<Review>,
        pub teams: Vec<(&'static str, Vec<&'static str>)>,
        pub fail: bool,
    }

    impl Forge for FakeForge {
        fn reviews(&self) -> Result<Vec<Review>, ForgeError> {
            if self.fail {
                return Err(ForgeError::Api("502 Bad Gateway".into()));
            }
            Ok(self.reviews.clone())
        }
        fn team_members(&self, org: &str, team: &str) -> Result<Vec<String>, ForgeError> {
            let key = format!("{org}/{team}");
            self.teams
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, m)| m.iter().map(|s| s.to_string()).collect())
                .ok_or_else(|| ForgeError::Api(format!("404 team {key}")))
        }
    }

    pub(in crate::gates::ai) fn review(user: &str, state: ReviewState, commit: &str) -> Review {
        Review { user: user.into(), state, commit: Some(commit.into()) }
    }

    fn forge(reviews: Vec<Review>) -> FakeForge {
        FakeForge { reviews, teams: vec![("acme", vec![]), ("acme/security", vec!["Carol"])], fail: false }
    }

    fn ids() -> Identities {
        Identities::new(&["Copilot".into(), "Claude".into()]).unwrap()
    }

    fn pr(labels: &[&str]) -> PrInfo {
        PrInfo {
            author: Some("bob".into()),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    fn policy<'a>(ids: &'a Identities, approvers: &'a [String], on_head: bool) -> ApprovalPolicy<'a> {
        ApprovalPolicy {
            require_review: true,
            label: Some("ai-approved"),
            on_head,
            approvers,
            bots: &[],
            assistants: ids,
        }
    }

    #[test]
    fn human_approval_counts() {
        let ids = ids();
        let f = forge(vec![review("alice", ReviewState::Approved, "h1")]);
        let a = decide(&policy(&ids, &[], false), &pr(&[]), Some("h1"), Some(&f)).unwrap();
        assert_eq!((a.state, a.by.clone()), (State::ApprovedByReview, vec!["alice".to_string()]));
    }

    #[test]
    fn changes_requested_overrides_and_later_approval_restores() {
        let ids = ids();
        let f = forge(vec![
            review("alice", ReviewState::Approved, "h1"),
            review("dave", ReviewState::ChangesRequested, "h1"),
        ]);
        let a = decide(&policy(&ids, &[], false), &pr(&[]), Some("h1"), Some(&f)).unwrap();
        assert_eq!(a.state, State::Missing);
        assert!(a.reason.contains("@dave"), "{}", a.reason);
        let f = forge(vec![
            review("dave", ReviewState::ChangesRequested, "h0"),
            review("dave", ReviewState::Commented, "h1"),
            review("dave", ReviewState::Approved, "h1"),
        ]);
        let a = decide(&policy(&ids, &[], false), &pr(&[]), Some("h1"), Some(&f)).unwrap();
        assert_eq!(a.state, State::ApprovedByReview);
    }

    #[test]
    fn self_approval_bots_and_assistants_do_not_count() {
        let ids = ids();
        let f = forge(vec![
            review("Bob", ReviewState::Approved, "h1"),
            review("dependabot[bot]", ReviewState::Approved, "h1"),
            review("Copilot", ReviewState::Approved, "h1"),
        ]);
        let a = decide(&policy(&ids, &[], false), &pr(&[]), Some("h1"), Some(&f)).unwrap();
        assert_eq!(a.state, State::Missing);
        let whys: Vec<&str> = a.ignored.iter().map(|i| i.why.as_str()).collect();
        assert_eq!(a.ignored.len(), 3, "{whys:?}");
        assert!(a.reason.contains("@Bob (the pull request's author"), "{}", a.reason);
    }

    #[test]
    fn stale_approvals_count_only_when_policy_allows() {
        let ids = ids();
        let f = forge(vec![review("alice", ReviewState::Approved, "old0000000000000")]);
        let a = decide(&policy(&ids, &[], true), &pr(&[]), Some("h1"), Some(&f)).unwrap();
        assert_eq!(a.state, State::Missing);
        assert!(a.reason.contains("approved old000000000, not the head commit"), "{}", a.reason);
        let a = decide(&policy(&ids, &[], false), &pr(&[]), Some("h1"), Some(&f)).unwrap();
        assert_eq!(a.state, State::ApprovedByReview);
    }

    #[test]
    fn approvers_and_teams() {
        let ids = ids();
        let approvers = vec!["acme/security".to_string()];
        let f = forge(vec![review("alice", ReviewState::Approved, "h1")]);
        let a = decide(&policy(&ids, &approvers, false), &pr(&[]), Some("h1"), Some(&f)).unwrap();
        assert_eq!(a.state, State::Missing);
        let f = forge(vec![review("carol", ReviewState::Approved, "h1")]);
        let a = decide(&policy(&ids, &approvers, false), &pr(&[]), Some("h1"), Some(&f)).unwrap();
        assert_eq!(a.by, vec!["carol".to_string()]);
        let bad = vec!["acme/nope".to_string()];
        assert!(decide(&policy(&ids, &bad, false), &pr(&[]), Some("h1"), Some(&f)).is_err());
    }

    #[test]
    fn label_local_run_and_api_failure() {
        let ids = ids();
        let a = decide(&policy(&ids, &[], false), &pr(&["AI-Approved"]), Some("h1"), None).unwrap();
        assert_eq!((a.state, a.label.as_deref()), (State::ApprovedByLabel, Some("ai-approved")));
        let a = decide(&policy(&ids, &[], false), &pr(&[]), Some("h1"), None).unwrap();
        assert_eq!(a.state, State::NeedsApproval);
        assert!(!a.approved());
        let f = FakeForge { reviews: vec![], teams: vec![], fail: true };
        let e = decide(&policy(&ids, &[], false), &pr(&[]), Some("h1"), Some(&f)).unwrap_err();
        assert!(e.to_string().contains("502"), "{e}");
    }
}
