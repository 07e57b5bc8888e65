//! What gates may ask of the code host (GitHub) about the pull request. Locally there is no
//! forge: gates that need one report "needs approval" instead of guessing.

use serde::{Deserialize, Serialize};

/// The pull request's own metadata: from the event payload on GitHub, from `--title`,
/// `--body` and `--label` locally (the title and body default to the head commit's message).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub labels: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewState {
    Approved,
    ChangesRequested,
    Commented,
    Dismissed,
    Pending,
}

/// One review on the pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub user: String,
    pub state: ReviewState,
    /// The commit the review was made on.
    pub commit: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ForgeError {
    #[error("GitHub API: {0}")]
    Api(String),
}

pub trait Forge: Send + Sync {
    /// Reviews of the pull request, oldest first.
    fn reviews(&self) -> Result<Vec<Review>, ForgeError>;
    /// Members of `org/team`, to accept a team as approver.
    fn team_members(&self, org: &str, team: &str) -> Result<Vec<String>, ForgeError>;
}
