//! The request and response bodies Gatehouse exchanges with the GitHub REST API, typed after
//! GitHub's OpenAPI description (only the fields used). Unknown response fields are ignored, as
//! GitHub adds fields without notice; a missing required field is a decode error.

use serde::{Deserialize, Serialize};

/// `POST /repos/{owner}/{repo}/check-runs`.
#[derive(Debug, Clone, Serialize)]
pub struct CreateCheckRun<'a> {
    pub name: &'a str,
    pub head_sha: &'a str,
    pub status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<&'a str>,
    pub external_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<OutputBody<'a>>,
}

/// `PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}`.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateCheckRun<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<&'a str>,
    pub output: OutputBody<'a>,
}

/// A check run's `output` in a request.
#[derive(Debug, Clone, Serialize)]
pub struct OutputBody<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "<[Annotation]>::is_empty")]
    pub annotations: &'a [Annotation],
}

/// One line annotation (`output.annotations[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Annotation {
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// `notice`, `warning` or `failure`.
    pub annotation_level: &'static str,
    pub title: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_details: Option<String>,
}

/// A check run as GitHub returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct CheckRun {
    pub id: u64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub head_sha: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub external_id: Option<String>,
}

/// `GET /repos/{owner}/{repo}/commits/{ref}/check-runs`.
#[derive(Debug, Clone, Deserialize)]
pub struct CheckRunList {
    pub total_count: u64,
    pub check_runs: Vec<CheckRun>,
}

/// An issue comment (the sticky PR comment).
#[derive(Debug, Clone, Deserialize)]
pub struct IssueComment {
    pub id: u64,
    #[serde(default)]
    pub body: Option<String>,
}

/// `POST …/issues/{n}/comments` and `PATCH …/issues/comments/{id}`.
#[derive(Debug, Clone, Serialize)]
pub struct CommentBody<'a> {
    pub body: &'a str,
}

/// One file of `GET /repos/{owner}/{repo}/pulls/{n}/files` (a "diff entry").
#[derive(Debug, Clone, Deserialize)]
pub struct DiffEntry {
    pub filename: String,
    #[serde(default = "modified")]
    pub status: String,
    #[serde(default)]
    pub previous_filename: Option<String>,
    #[serde(default)]
    pub patch: Option<String>,
    #[serde(default)]
    pub changes: u64,
}

fn modified() -> String {
    "modified".into()
}

/// A user, as embedded in reviews and listed as team members.
#[derive(Debug, Clone, Deserialize)]
pub struct SimpleUser {
    pub login: String,
}

/// One review of `GET /repos/{owner}/{repo}/pulls/{n}/reviews`. `user` is nullable (deleted
/// accounts).
#[derive(Debug, Clone, Deserialize)]
pub struct PullRequestReview {
    #[serde(default)]
    pub user: Option<SimpleUser>,
    pub state: String,
    #[serde(default)]
    pub commit_id: Option<String>,
}

/// The error body GitHub sends with 4xx and 5xx answers.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorBody {
    pub message: String,
}
