//! The run's context: `GITHUB_*` variables and the event payload at `GITHUB_EVENT_PATH`.

use crate::forge::PrInfo;
use serde_json::Value;

const ZERO_SHA: &str = "0000000000000000000000000000000000000000";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventContext {
    /// `pull_request`, `pull_request_target`, `merge_group`, `push`, ...
    pub event_name: String,
    /// `owner/name` of the repository the workflow runs in.
    pub repository: String,
    /// `GITHUB_API_URL`, `https://api.github.com` by default.
    pub api_url: String,
    /// The commit the check runs attach to (the PR head, the merge group head, the pushed commit).
    pub head_sha: Option<String>,
    /// The commit to compare against, from the event.
    pub base_sha: Option<String>,
    /// `GITHUB_BASE_REF` (the PR's target branch), when set.
    pub base_ref: Option<String>,
    /// The pull request's metadata (number, title, body, labels, author).
    pub pr: PrInfo,
    /// The PR comes from another repository: the token is read-only, so no check runs or comments.
    pub from_fork: bool,
    /// `pull_request.changed_files`: tells whether the API's 3,000-file list is complete.
    pub changed_files: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("GITHUB_EVENT_PATH {path}: {message}")]
    Payload { path: String, message: String },
    #[error("GITHUB_REPOSITORY is not set or not `owner/name`")]
    Repository,
}

impl EventContext {
    /// Reads the context through `env` (a `std::env::var` lookalike, so tests need not mutate
    /// the process environment).
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<EventContext, EventError> {
        let repository =
            env("GITHUB_REPOSITORY").filter(|r| r.split('/').count() == 2).ok_or(EventError::Repository)?;
        let payload = match env("GITHUB_EVENT_PATH").filter(|p| !p.is_empty()) {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| EventError::Payload { path: path.clone(), message: e.to_string() })?;
                serde_json::from_str(&text).map_err(|e| EventError::Payload { path, message: e.to_string() })?
            }
            None => Value::Null,
        };
        let event_name = env("GITHUB_EVENT_NAME").unwrap_or_default();
        let mut cx = from_payload(&event_name, &payload, &repository);
        cx.api_url = env("GITHUB_API_URL")
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "https://api.github.com".into())
            .trim_end_matches('/')
            .to_string();
        cx.base_ref = env("GITHUB_BASE_REF").filter(|r| !r.is_empty());
        if cx.head_sha.is_none() {
            cx.head_sha = env("GITHUB_SHA").filter(|s| !s.is_empty());
        }
        Ok(cx)
    }

    pub fn owner_repo(&self) -> (&str, &str) {
        self.repository.split_once('/').unwrap_or((&self.repository, ""))
    }
}

fn s(v: &Value, ptr: &str) -> Option<String> {
    v.pointer(ptr).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}

/// The context a payload describes; `repository` is the workflow's own repository.
pub fn from_payload(event_name: &str, payload: &Value, repository: &str) -> EventContext {
    let mut cx =
        EventContext { event_name: event_name.to_string(), repository: repository.to_string(), ..Default::default() };
    if let Some(pr) = payload.get("pull_request").filter(|p| p.is_object()) {
        cx.base_sha = s(pr, "/base/sha");
        cx.head_sha = s(pr, "/head/sha");
        cx.changed_files = pr.get("changed_files").and_then(Value::as_u64);
        cx.pr = PrInfo {
            number: pr.get("number").and_then(Value::as_u64).or_else(|| payload.get("number").and_then(Value::as_u64)),
            title: s(pr, "/title"),
            body: s(pr, "/body"),
            labels: pr
                .get("labels")
                .and_then(Value::as_array)
                .map(|ls| ls.iter().filter_map(|l| s(l, "/name")).collect())
                .unwrap_or_default(),
            author: s(pr, "/user/login"),
        };
        let head_repo = s(pr, "/head/repo/full_name");
        let base_repo = s(pr, "/base/repo/full_name").unwrap_or_else(|| repository.to_string());
        // A deleted fork has no head repo; it is still not ours. `pull_request_target` runs with
        // the base repository's token, so check runs work there.
        cx.from_fork = event_name != "pull_request_target" && head_repo.as_deref() != Some(base_repo.as_str());
    } else if let Some(mg) = payload.get("merge_group").filter(|m| m.is_object()) {
        cx.base_sha = s(mg, "/base_sha");
        cx.head_sha = s(mg, "/head_sha");
    } else if payload.get("after").is_some() {
        cx.base_sha = s(payload, "/before").filter(|b| b != ZERO_SHA);
        cx.head_sha = s(payload, "/after").filter(|a| a != ZERO_SHA);
    }
    cx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Value {
        let p = format!("{}/tests/data/github/webhooks/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    }

    #[test]
    fn pull_request_payload_fills_pr_info_and_shas() {
        let cx = from_payload("pull_request", &fixture("pull_request.labeled.json"), "Codertocat/Hello-World");
        assert_eq!(cx.base_sha.as_deref(), Some("f95f852bd8fca8fcc58a9a2d6c842781e32a215e"));
        assert_eq!(cx.head_sha.as_deref(), Some("ec26c3e57ca3a959ca5aad62de7213c562f8c821"));
        assert_eq!(cx.pr.number, Some(2));
        assert_eq!(cx.pr.title.as_deref(), Some("Update the README with new information."));
        assert_eq!(cx.pr.author.as_deref(), Some("Codertocat"));
        assert_eq!(cx.pr.labels, vec!["bug".to_string()]);
        assert!(!cx.from_fork);
    }

    #[test]
    fn fork_is_detected_except_for_pull_request_target() {
        let p = fixture("pull_request.opened.fork.json");
        assert!(from_payload("pull_request", &p, "Codertocat/Hello-World").from_fork);
        assert!(!from_payload("pull_request_target", &p, "Codertocat/Hello-World").from_fork);
    }

    #[test]
    fn merge_group_and_push_give_base_and_head() {
        let mg = fixture("merge_group.checks_requested.json");
        let cx = from_payload("merge_group", &mg, "o/r");
        assert_eq!(cx.base_sha, s(&mg, "/merge_group/base_sha"));
        assert_eq!(cx.head_sha, s(&mg, "/merge_group/head_sha"));
        assert!(cx.head_sha.is_some() && cx.pr.number.is_none());
        // A new branch: `before` is all zeros, so there is no base from the event.
        let push = fixture("push.json");
        let cx = from_payload("push", &push, "o/r");
        assert_eq!(cx.base_sha, None);
        assert_eq!(cx.head_sha, s(&push, "/after"));
    }

    #[test]
    fn env_gives_api_url_and_falls_back_to_github_sha() {
        let env = |k: &str| match k {
            "GITHUB_REPOSITORY" => Some("o/r".to_string()),
            "GITHUB_API_URL" => Some("https://ghe.example/api/v3/".to_string()),
            "GITHUB_SHA" => Some("abc".to_string()),
            _ => None,
        };
        let cx = EventContext::from_env(&env).unwrap();
        assert_eq!(cx.api_url, "https://ghe.example/api/v3");
        assert_eq!(cx.head_sha.as_deref(), Some("abc"));
        assert!(EventContext::from_env(&|_| None).is_err());
    }
}
