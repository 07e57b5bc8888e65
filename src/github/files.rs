//! Which revisions to compare in Actions, and the fallback when the checkout cannot show them: a
//! unified diff rebuilt from the API's list of PR files.

use super::client::{ApiError, Client};
use super::event::EventContext;
use super::models::DiffEntry;
use crate::repo::Repo;
use std::fmt::Write;

/// GitHub lists at most 3,000 files of a pull request.
pub const MAX_PR_FILES: usize = 3000;

/// What to compare: revisions in the checkout, or (when the base is not there) a diff text from
/// the API with the head files read from the working tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revisions {
    Git {
        base: String,
        head: String,
    },
    Api {
        diff: Vec<u8>,
    },
    /// Nothing from the event (e.g. `workflow_dispatch`): the local defaults apply.
    Local,
}

/// Decides the revisions. The base comes from the `base` input, else the event; the head is the
/// event's head commit when the checkout has it, else `HEAD` (the merge commit GitHub checks
/// out for pull requests). A shallow checkout is deepened by fetching the base; if that fails
/// the PR files come from the API, with a notice.
pub fn revisions(
    repo: &Repo,
    cx: &EventContext,
    base_input: Option<&str>,
    reader: Option<&Client>,
    notices: &mut Vec<String>,
) -> Result<Revisions, ApiError> {
    let base = base_input
        .map(str::to_string)
        .or_else(|| cx.base_sha.clone())
        .or_else(|| cx.base_ref.as_ref().map(|r| format!("origin/{r}")));
    let Some(base) = base else { return Ok(Revisions::Local) };
    let head = match &cx.head_sha {
        Some(h) if repo.resolve(h).is_ok() => h.clone(),
        _ => "HEAD".to_string(),
    };
    let usable = |repo: &Repo| repo.resolve(&base).ok().and_then(|b| repo.merge_base(&b, &head).ok()).is_some();
    if usable(repo) {
        return Ok(Revisions::Git { base, head });
    }
    if repo.is_git() && is_sha(&base) {
        tracing::info!("base {base} is not in the checkout; fetching it");
        let fetched = repo.git(&["fetch", "--no-tags", "--quiet", "origin", &base]).is_ok()
            && (usable(repo) || repo.git(&["fetch", "--no-tags", "--quiet", "--unshallow", "origin"]).is_ok());
        if fetched && usable(repo) {
            notices.push(format!("The checkout was shallow; the base commit {base} was fetched to compute the diff."));
            return Ok(Revisions::Git { base, head });
        }
    }
    match (reader, cx.pr.number) {
        (Some(client), Some(n)) => {
            let (diff, more) = pr_files_diff(client, &cx.repository, n, cx.changed_files)?;
            notices.push(format!(
                "The base commit {base} is not in the checkout (shallow clone?), so the changed files were read from the GitHub API. Use `actions/checkout` with `fetch-depth: 0` for an exact diff."
            ));
            notices.extend(more);
            Ok(Revisions::Api { diff })
        }
        _ => Ok(Revisions::Git { base, head }),
    }
}

fn is_sha(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The PR's files as a unified diff (git's format, so the normal parser reads it), and notices
/// about what the API left out: files without a `patch` (binary or too large) and the 3,000-file
/// cap. GitHub's list simply ends at 3,000, so `changed_files` (from the event) tells whether
/// files are missing; unknown counts as possibly missing.
pub fn pr_files_diff(
    client: &Client,
    repo: &str,
    number: u64,
    changed_files: Option<u64>,
) -> Result<(Vec<u8>, Vec<String>), ApiError> {
    let (files, more) = client.get_all::<DiffEntry>(&format!("/repos/{repo}/pulls/{number}/files"), MAX_PR_FILES)?;
    let more = more || (files.len() >= MAX_PR_FILES && changed_files.is_none_or(|c| c as usize > files.len()));
    let mut diff = String::new();
    let mut no_patch = Vec::new();
    for f in &files {
        let name = f.filename.as_str();
        let status = f.status.as_str();
        let old = f.previous_filename.as_deref().unwrap_or(name);
        let _ = writeln!(diff, "diff --git a/{old} b/{name}");
        match status {
            "added" => diff.push_str("new file mode 100644\n"),
            "removed" => diff.push_str("deleted file mode 100644\n"),
            "renamed" if old != name => {
                let _ = writeln!(diff, "rename from {old}\nrename to {name}");
            }
            _ => {}
        }
        match f.patch.as_deref() {
            Some(patch) if !patch.is_empty() => {
                let from = if status == "added" { "/dev/null".to_string() } else { format!("a/{old}") };
                let to = if status == "removed" { "/dev/null".to_string() } else { format!("b/{name}") };
                let _ = writeln!(diff, "--- {from}\n+++ {to}");
                diff.push_str(patch);
                if !patch.ends_with('\n') {
                    diff.push('\n');
                }
            }
            _ if f.changes > 0 => no_patch.push(name.to_string()),
            _ => {}
        }
    }
    let mut notices = Vec::new();
    if !no_patch.is_empty() {
        let shown: Vec<&str> = no_patch.iter().take(10).map(String::as_str).collect();
        notices.push(format!(
            "The API gave no patch for {} file(s) (binary or too large), so their lines were not checked: {}{}",
            no_patch.len(),
            shown.join(", "),
            if no_patch.len() > shown.len() { ", …" } else { "" }
        ));
    }
    if more {
        notices.push(format!(
            "GitHub lists at most {MAX_PR_FILES} files of a pull request and this one has {}; files beyond them were not checked. Check out with `fetch-depth: 0` to judge the whole change.",
            changed_files.map(|c| c.to_string()).unwrap_or_else(|| "more".into())
        ));
    }
    Ok((diff.into_bytes(), notices))
}
