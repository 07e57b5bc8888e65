//! Running inside GitHub Actions: the event context, the check runs with annotations, the job
//! summary and outputs, the sticky PR comment, and the fallback to workflow commands when the
//! token cannot write (fork PRs, read-only tokens) or the API fails. The verdict and the exit
//! code never depend on GitHub being reachable.

pub mod checks;
pub mod client;
pub mod commands;
pub mod event;
pub mod files;
pub mod models;

use crate::core::Conclusion;
use crate::engine::Report;
use crate::forge::{Forge, ForgeError, PrInfo, Review, ReviewState};
use client::{ApiError, Client, RetryPolicy, Urgency};
use event::EventContext;
use models::{PullRequestReview, SimpleUser};
use std::path::PathBuf;
use std::time::Duration;

/// `GITHUB_ACTIONS=true`: the runner sets it for every step.
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// When to post the sticky PR comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentMode {
    Off,
    OnFailure,
    Always,
}

/// The action's inputs (`INPUT_<NAME>`; the runner keeps the dashes of input names).
#[derive(Debug, Clone)]
pub struct Inputs {
    pub policy: Option<String>,
    pub base: Option<String>,
    pub token: String,
    pub check_name: String,
    pub per_gate_checks: bool,
    pub comment: CommentMode,
    pub fail_on: Option<String>,
    pub sarif_output: Option<String>,
    pub report_output: String,
    pub working_directory: Option<String>,
    /// `api-deadline`: seconds for all GitHub API work of the run.
    pub api_deadline: Option<Duration>,
}

#[derive(Debug, thiserror::Error)]
pub enum ActionsError {
    #[error("input `{name}`: {message}")]
    Input { name: &'static str, message: String },
    #[error(transparent)]
    Event(#[from] event::EventError),
}

impl Inputs {
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Inputs, ActionsError> {
        let get = |name: &str| {
            env(&format!("INPUT_{}", name.to_ascii_uppercase())).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
        };
        let bool_input = |name: &'static str| match get(name).as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(ActionsError::Input { name, message: format!("`{other}` is not true or false") }),
        };
        let comment = match get("comment").as_deref() {
            None | Some("off") => CommentMode::Off,
            Some("on-failure") => CommentMode::OnFailure,
            Some("always") => CommentMode::Always,
            Some(other) => {
                return Err(ActionsError::Input {
                    name: "comment",
                    message: format!("`{other}` is not off, on-failure or always"),
                });
            }
        };
        let fail_on = get("fail-on");
        if let Some(f) = fail_on.as_deref().filter(|f| !["error", "warning", "notice"].contains(f)) {
            return Err(ActionsError::Input { name: "fail-on", message: format!("`{f}` is not error or warning") });
        }
        let api_deadline = match get("api-deadline") {
            None => None,
            Some(t) => Some(
                client::parse_deadline(&t).map_err(|message| ActionsError::Input { name: "api-deadline", message })?,
            ),
        };
        Ok(Inputs {
            api_deadline,
            policy: get("policy"),
            base: get("base"),
            token: get("token").or_else(|| env("GITHUB_TOKEN")).unwrap_or_default(),
            check_name: get("check-name").unwrap_or_else(|| "gatehouse".into()),
            per_gate_checks: bool_input("per-gate-checks")?,
            comment,
            fail_on,
            sarif_output: get("sarif-output"),
            report_output: get("report-output").unwrap_or_else(|| "gatehouse-report.json".into()),
            working_directory: get("working-directory"),
        })
    }
}

/// The Forge for gates: reviews and team members through the REST API.
pub struct GitHubForge<'a> {
    client: &'a Client,
    repo: String,
    number: Option<u64>,
}

impl<'a> GitHubForge<'a> {
    /// The forge of pull request `number` of `repo` (`owner/name`).
    pub fn new(client: &'a Client, repo: &str, number: Option<u64>) -> Self {
        GitHubForge { client, repo: repo.to_string(), number }
    }
}

impl Forge for GitHubForge<'_> {
    fn reviews(&self) -> Result<Vec<Review>, ForgeError> {
        let Some(n) = self.number else { return Ok(Vec::new()) };
        let (items, _) = self
            .client
            .get_all::<PullRequestReview>(&format!("/repos/{}/pulls/{n}/reviews", self.repo), 10_000)
            .map_err(|e| ForgeError::Api(e.to_string()))?;
        Ok(items.iter().filter_map(review).collect())
    }

    fn team_members(&self, org: &str, team: &str) -> Result<Vec<String>, ForgeError> {
        let seg = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
        if !seg(org) || !seg(team) {
            return Err(ForgeError::Api(format!("`{org}/{team}` is not a valid team")));
        }
        let (items, _) = self
            .client
            .get_all::<SimpleUser>(&format!("/orgs/{org}/teams/{team}/members"), 10_000)
            .map_err(|e| ForgeError::Api(e.to_string()))?;
        Ok(items.into_iter().map(|m| m.login).collect())
    }
}

fn review(v: &PullRequestReview) -> Option<Review> {
    let state = match v.state.as_str() {
        "APPROVED" => ReviewState::Approved,
        "CHANGES_REQUESTED" => ReviewState::ChangesRequested,
        "COMMENTED" => ReviewState::Commented,
        "DISMISSED" => ReviewState::Dismissed,
        "PENDING" => ReviewState::Pending,
        _ => return None,
    };
    Some(Review { user: v.user.as_ref()?.login.clone(), state, commit: v.commit_id.clone() })
}

/// One Gatehouse run inside Actions: created before the evaluation (the check run goes
/// `in_progress`), finished after it whatever happened.
pub struct Actions {
    pub inputs: Inputs,
    pub event: EventContext,
    /// Present when a token is available (also for forks, for reads).
    client: Option<Client>,
    /// Check runs and comments may be written (a token, not a fork PR).
    can_write: bool,
    check_id: Option<u64>,
    /// This run's `external_id` for its check runs (see [`checks::external_id`]).
    external_id: String,
    /// Creating the check run failed in a way that may have reached GitHub: look for it again
    /// before finishing, so a run created behind a lost answer is still completed.
    create_uncertain: bool,
    /// Set once the API failed: the rest goes through workflow commands.
    api_down: bool,
    /// What the run wants the reader to know (fallbacks), added to the report's notices.
    pub notices: Vec<String>,
    step_summary: Option<PathBuf>,
    output_file: Option<PathBuf>,
}

impl Actions {
    /// Reads the environment and creates the overall check run `in_progress`. The `api-deadline`
    /// input, when given, replaces `retry` with [`RetryPolicy::within`] that deadline.
    pub fn start(env: &dyn Fn(&str) -> Option<String>, retry: RetryPolicy) -> Result<Actions, ActionsError> {
        let inputs = Inputs::from_env(env)?;
        let event = EventContext::from_env(env)?;
        let retry = inputs.api_deadline.map(RetryPolicy::within).unwrap_or(retry);
        // One client, so one deadline covers every request of the run.
        let client = (!inputs.token.is_empty()).then(|| Client::new(&event.api_url, &inputs.token, retry));
        let mut notices = Vec::new();
        let can_write = if event.from_fork {
            notices.push(
                "This pull request comes from a fork, whose token cannot write check runs or comments: results are reported as annotations in the workflow log and in the job summary."
                    .to_string(),
            );
            false
        } else if inputs.token.is_empty() {
            notices.push("No token was given, so no check run was created; results are in the job summary.".into());
            false
        } else {
            true
        };
        let external_id = checks::external_id(
            env("GITHUB_RUN_ID").filter(|s| !s.is_empty()).as_deref(),
            env("GITHUB_RUN_ATTEMPT").filter(|s| !s.is_empty()).as_deref(),
        );
        let mut a = Actions {
            inputs,
            event,
            client,
            can_write,
            check_id: None,
            external_id,
            create_uncertain: false,
            api_down: false,
            notices,
            step_summary: env("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()).map(PathBuf::from),
            output_file: env("GITHUB_OUTPUT").filter(|s| !s.is_empty()).map(PathBuf::from),
        };
        if let (Some(w), Some(sha)) = (a.writer(), a.event.head_sha.clone()) {
            match checks::create_in_progress(w, &a.event.repository, &a.inputs.check_name, &sha, &a.external_id) {
                Ok(id) => a.check_id = Some(id),
                Err(e) => {
                    a.create_uncertain = e.is_uncertain();
                    a.api_failed("create the check run", &e);
                }
            }
        }
        Ok(a)
    }

    /// The client for writes, when writes are allowed.
    fn writer(&self) -> Option<&Client> {
        self.client.as_ref().filter(|_| self.can_write)
    }

    fn api_failed(&mut self, what: &str, e: &ApiError) {
        let why = if e.is_permission() {
            "the token may not write checks (`permissions: checks: write`)".to_string()
        } else if e.is_rate_limit() {
            "GitHub rate-limited the token".to_string()
        } else {
            let secs = self.client.as_ref().map_or(0.0, |c| c.retry().deadline.as_secs_f64());
            format!("the GitHub API failed (Gatehouse gives it {secs}s in all: input `api-deadline`)")
        };
        let text = format!(
            "Could not {what}: {e}; {why}. Results are reported as workflow annotations and in the job summary."
        );
        println!("::warning title=gatehouse::{}", commands::escape_data(&text));
        self.notices.push(text);
        self.api_down = true;
    }

    /// Title, body, labels, author and number from the event.
    pub fn pr_info(&self) -> PrInfo {
        self.event.pr.clone()
    }

    /// The forge gates can ask for reviews and team members.
    pub fn forge(&self) -> Option<GitHubForge<'_>> {
        self.client.as_ref().map(|c| GitHubForge {
            client: c,
            repo: self.event.repository.clone(),
            number: self.event.pr.number,
        })
    }

    /// The client for reads (PR files), when a token is available.
    pub fn reader(&self) -> Option<&Client> {
        self.client.as_ref()
    }

    /// The check run to complete: the one created, or (when creating it lost its answer) the
    /// one GitHub may have created all the same.
    fn run_to_complete(&mut self) -> Option<u64> {
        if self.check_id.is_none() && self.create_uncertain {
            let (Some(w), Some(sha)) = (self.writer(), self.event.head_sha.as_deref()) else { return None };
            let found = checks::find(
                w,
                &self.event.repository,
                sha,
                &self.inputs.check_name,
                &self.external_id,
                Urgency::Final,
            );
            if let Ok(Some(id)) = found {
                self.check_id = Some(id);
            }
            self.create_uncertain = false;
        }
        self.check_id
    }

    /// Completes the run with `out`; `None` when it could not be. Annotations GitHub refused
    /// are counted in a warning and a notice.
    fn complete(&mut self, out: &checks::CheckOutput) -> Option<checks::Completion> {
        let id = self.run_to_complete()?;
        let w = self.writer()?;
        match checks::complete(w, &self.event.repository, id, out) {
            Ok(c) if c.annotations_dropped > 0 => {
                let text = format!(
                    "{} of {} annotations were dropped ({}); the check run was completed with the summary only.",
                    c.annotations_dropped,
                    out.annotations.len(),
                    c.dropped_because.as_deref().unwrap_or("")
                );
                println!("::warning title=gatehouse::{}", commands::escape_data(&text));
                self.notices.push(text);
                Some(c)
            }
            Ok(c) => Some(c),
            Err(e) => {
                self.api_failed("complete the check run", &e);
                None
            }
        }
    }

    /// Publishes a finished evaluation: check runs (or workflow commands), job summary, outputs,
    /// comment. Never changes the verdict; problems become notices and warnings in the log.
    pub fn finish(&mut self, report: &Report, report_path: Option<&str>, sarif_path: Option<&str>) {
        let markdown = crate::report::markdown::render(report);
        let conclusion = checks::overall_conclusion(report);
        let all: Vec<&crate::core::Finding> = report.findings().map(|(_, f)| f).collect();
        let title = title_for(report, all.len());

        let out = checks::CheckOutput::new(title.clone(), &markdown, all.iter().copied(), conclusion);
        // Whatever failed before, a created run is completed (the completion has its own time).
        let completion = self.complete(&out);
        let reported = completion.is_some();
        if reported && !self.api_down && self.inputs.per_gate_checks {
            self.per_gate(report);
        }
        // Without the check run's annotations, the findings go to the log as workflow commands.
        if completion.is_none_or(|c| c.annotations_dropped > 0) {
            for line in commands::commands(all.iter().copied()) {
                println!("{line}");
            }
        }
        self.write_summary(&markdown);
        self.comment(report, &markdown);
        self.write_outputs(report.verdict.as_str(), report_path, sarif_path);
    }

    fn per_gate(&mut self, report: &Report) {
        let (Some(w), Some(sha)) = (self.writer(), &self.event.head_sha) else { return };
        for g in &report.gates {
            let conclusion = match g.conclusion {
                Conclusion::Skipped => "skipped",
                _ => checks::conclusion(std::slice::from_ref(g)),
            };
            let mut one = report.clone();
            one.gates = vec![g.clone()];
            one.verdict = crate::core::outcome::verdict(&one.gates);
            let summary = crate::report::markdown::render(&one);
            let title = title_for(&one, g.findings.len());
            let out = checks::CheckOutput::new(title, &summary, g.findings.iter(), conclusion);
            let name = format!("{} / {}", self.inputs.check_name, g.gate);
            if let Err(e) = checks::create_completed(w, &self.event.repository, &name, sha, &self.external_id, &out) {
                let text = format!("Could not create the check run `{name}`: {e}");
                println!("::warning title=gatehouse::{}", commands::escape_data(&text));
                return;
            }
        }
    }

    /// The evaluation itself failed (bad policy, unreadable input): the check run is still
    /// completed, as a failure naming the reason (fail closed).
    pub fn finish_error(&mut self, message: &str) {
        let message = client::redact(message, &self.inputs.token);
        let markdown = format!(
            "## ⛔ Gatehouse could not evaluate this change (failing closed)\n\n```\n{}\n```\n",
            message.replace("```", "'''")
        );
        let out =
            checks::CheckOutput::new("Gatehouse could not evaluate".into(), &markdown, std::iter::empty(), "failure");
        let reported = self.complete(&out).is_some();
        if !reported {
            println!("::error title=gatehouse::{}", commands::escape_data(&message));
        }
        self.write_summary(&markdown);
        self.write_outputs("error", None, None);
    }

    fn write_summary(&mut self, markdown: &str) {
        let mut text = markdown.to_string();
        // Notices raised while publishing (after the report was rendered) go at the end.
        if let Some(p) = &self.step_summary {
            if self.api_down {
                text.push_str("\n> [!WARNING]\n> The check run could not be written; see the warnings in the log.\n");
            }
            if let Err(e) = commands::write_step_summary(p, &text) {
                println!(
                    "::warning title=gatehouse::{}",
                    commands::escape_data(&format!("writing the job summary: {e}"))
                );
            }
        }
    }

    fn write_outputs(&self, verdict: &str, report_path: Option<&str>, sarif_path: Option<&str>) {
        let Some(p) = &self.output_file else { return };
        let mut pairs = vec![("verdict", verdict.to_string())];
        pairs.push(("report-path", report_path.unwrap_or_default().to_string()));
        pairs.push(("sarif-path", sarif_path.unwrap_or_default().to_string()));
        if let Err(e) = commands::write_outputs(p, &pairs) {
            println!("::warning title=gatehouse::{}", commands::escape_data(&format!("writing step outputs: {e}")));
        }
    }

    fn comment(&mut self, report: &Report, markdown: &str) {
        let (Some(w), Some(n)) = (self.writer(), self.event.pr.number) else { return };
        let marker = checks::comment_marker(&self.inputs.check_name);
        let failed = report.verdict != crate::core::Verdict::Pass;
        let result = match self.inputs.comment {
            CommentMode::Off => return,
            CommentMode::Always => checks::upsert_comment(w, &self.event.repository, n, &marker, markdown).map(Some),
            CommentMode::OnFailure if failed => {
                checks::upsert_comment(w, &self.event.repository, n, &marker, markdown).map(Some)
            }
            // A passing run refreshes an earlier failure comment so it does not mislead.
            CommentMode::OnFailure => match checks::has_comment(w, &self.event.repository, n, &marker) {
                Ok(true) => checks::upsert_comment(w, &self.event.repository, n, &marker, markdown).map(Some),
                Ok(false) => Ok(None),
                Err(e) => Err(e),
            },
        };
        if let Err(e) = result {
            let text = format!("Could not write the PR comment: {e} (needs `permissions: pull-requests: write`)");
            println!("::warning title=gatehouse::{}", commands::escape_data(&text));
        }
    }
}

fn title_for(report: &Report, findings: usize) -> String {
    let word = match report.verdict {
        crate::core::Verdict::Pass => "passed",
        crate::core::Verdict::Fail => "failed",
        crate::core::Verdict::Error => "could not evaluate",
    };
    format!("Gatehouse {word}: {findings} finding{}", if findings == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_follow_action_conventions() {
        let env = |k: &str| match k {
            "INPUT_CHECK-NAME" => Some("quality".to_string()),
            "INPUT_PER-GATE-CHECKS" => Some("true".to_string()),
            "INPUT_COMMENT" => Some("on-failure".to_string()),
            "INPUT_TOKEN" => Some("tok".to_string()),
            "INPUT_BASE" => Some("  ".to_string()),
            _ => None,
        };
        let i = Inputs::from_env(&env).unwrap();
        assert_eq!((i.check_name.as_str(), i.per_gate_checks, i.comment), ("quality", true, CommentMode::OnFailure));
        assert_eq!(i.base, None);
        let bad = |k: &str| (k == "INPUT_COMMENT").then(|| "sometimes".to_string());
        assert!(Inputs::from_env(&bad).unwrap_err().to_string().contains("comment"));
        assert_eq!(i.api_deadline, None);
        let deadline = |k: &str| (k == "INPUT_API-DEADLINE").then(|| "2.5".to_string());
        assert_eq!(Inputs::from_env(&deadline).unwrap().api_deadline, Some(Duration::from_millis(2500)));
        let bad = |k: &str| (k == "INPUT_API-DEADLINE").then(|| "a minute".to_string());
        assert!(Inputs::from_env(&bad).unwrap_err().to_string().contains("api-deadline"));
    }

    #[test]
    fn reviews_are_parsed_from_the_documented_shape() {
        let v: PullRequestReview = serde_json::from_value(
            serde_json::json!({"id": 1, "user": {"login": "octocat"}, "state": "APPROVED", "commit_id": "abc"}),
        )
        .unwrap();
        assert_eq!(
            review(&v),
            Some(Review { user: "octocat".into(), state: ReviewState::Approved, commit: Some("abc".into()) })
        );
    }
}
