//! The commits of the change (`base..head`) with their messages and trailers, read with git.
//! Shared by the gates that judge commits (hygiene commit messages, AI-assistance trailers).

use crate::engine::Context;
use crate::gates::GateError;
use crate::repo::{Repo, RepoError};
use std::collections::HashMap;

/// One commit between base and head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub sha: String,
    pub parents: Vec<String>,
    /// `Name <email>` of the author.
    pub author: String,
    /// First line of the message.
    pub subject: String,
    /// The whole message.
    pub message: String,
    /// Trailers as git parses them (`Key: value`, continuation lines unfolded), in order.
    pub trailers: Vec<(String, String)>,
}

impl Commit {
    pub fn short(&self) -> &str {
        &self.sha[..self.sha.len().min(12)]
    }

    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }

    /// Values of the trailers whose key equals one of `keys` (case-insensitive).
    pub fn trailer_values<'a>(&'a self, keys: &'a [String]) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.trailers
            .iter()
            .filter(move |(k, _)| keys.iter().any(|want| want.eq_ignore_ascii_case(k)))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// Commits reachable from `head` but not from `base`, oldest first (topological order).
pub fn between(repo: &Repo, base: &str, head: &str) -> Result<Vec<Commit>, RepoError> {
    for rev in [base, head] {
        if rev.starts_with('-') || rev.is_empty() {
            return Err(RepoError::Git { args: format!("log {rev}"), stderr: "invalid revision".into() });
        }
    }
    let range = format!("{base}..{head}");
    let out = repo.git(&[
        "log",
        "--topo-order",
        "--reverse",
        "--no-color",
        "--format=%H%x1f%P%x1f%an <%ae>%x1f%B%x1f%(trailers:only=true,unfold=true)%x1e",
        &range,
        "--",
    ])?;
    let text = String::from_utf8_lossy(&out);
    Ok(parse_log(&text))
}

fn parse_log(text: &str) -> Vec<Commit> {
    let mut commits = Vec::new();
    for record in text.split(RECORD) {
        let record = record.trim_start_matches(['\n', '\r']);
        if record.is_empty() {
            continue;
        }
        let mut f = record.split(FIELD);
        let (Some(sha), Some(parents), Some(author), Some(message), Some(trailers)) =
            (f.next(), f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        let message = message.trim_end().to_string();
        commits.push(Commit {
            sha: sha.trim().to_string(),
            parents: parents.split_whitespace().map(str::to_string).collect(),
            author: author.to_string(),
            subject: message.lines().next().unwrap_or("").trim().to_string(),
            trailers: trailers
                .lines()
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(k, _)| !k.is_empty())
                .collect(),
            message,
        });
    }
    commits
}

/// The commits of the change in `cx`. Needs both revisions: a diff read from a file has no
/// commits, and a gate that judges commits must not pass without seeing them.
pub fn of_change(cx: &Context<'_>) -> Result<Vec<Commit>, GateError> {
    match (&cx.changes.base.sha, &cx.changes.head.sha, cx.repo.is_git()) {
        (Some(base), Some(head), true) if !cx.head_from_worktree => Ok(between(cx.repo, base, head)?),
        _ => Err(GateError::Other(
            "the commits of the change are unknown (the diff was read from a file); run `gatehouse check` on git revisions (--base/--head) so commit messages and trailers can be checked".into(),
        )),
    }
}

/// The paths each commit of `base..head` changed relative to its first parent (renames as
/// a deletion plus an addition, so both paths count), in one `git log`. Keyed by sha; paths sorted.
pub fn files_by_commit(repo: &Repo, base: &str, head: &str) -> Result<HashMap<String, Vec<String>>, RepoError> {
    for rev in [base, head] {
        if rev.starts_with('-') || rev.is_empty() {
            return Err(RepoError::Git { args: format!("log {rev}"), stderr: "invalid revision".into() });
        }
    }
    let range = format!("{base}..{head}");
    let out = repo.git(&[
        "log",
        "--no-color",
        "--format=%x1e%H",
        "--name-only",
        "-z",
        "--no-renames",
        "--diff-merges=first-parent",
        &range,
        "--",
    ])?;
    Ok(parse_files(&out))
}

fn parse_files(out: &[u8]) -> HashMap<String, Vec<String>> {
    let mut map = HashMap::new();
    for record in out.split(|b| *b == 0x1e).filter(|r| !r.is_empty()) {
        let mut parts = record.split(|b| *b == 0);
        let Some(sha) = parts.next() else { continue };
        let sha = String::from_utf8_lossy(sha).trim().to_string();
        let mut files: Vec<String> = parts
            .enumerate()
            .map(|(i, p)| if i == 0 { p.strip_prefix(b"\n").unwrap_or(p) } else { p })
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        files.sort();
        files.dedup();
        map.insert(sha, files);
    }
    map
}

/// Whether `ancestor` is an ancestor of (or equal to) `of`.
pub fn is_ancestor(repo: &Repo, ancestor: &str, of: &str) -> Result<bool, RepoError> {
    match repo.git(&["merge-base", "--is-ancestor", ancestor, of]) {
        Ok(_) => Ok(true),
        // Exit status 1 means "no"; anything else is a real failure, reported with stderr.
        Err(RepoError::Git { stderr, .. }) if stderr.is_empty() => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records_with_trailers() {
        let text = "aaa\u{1f}p1 p2\u{1f}A <a@x>\u{1f}feat: x\n\nbody\n\nAssisted-by: Claude:claude-sonnet-4-5\n\u{1f}Assisted-by: Claude:claude-sonnet-4-5\n\u{1e}\nbbb\u{1f}\u{1f}B <b@x>\u{1f}fix: y\n\u{1f}\u{1e}\n";
        let c = parse_log(text);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].parents, vec!["p1", "p2"]);
        assert!(c[0].is_merge());
        assert_eq!(c[0].subject, "feat: x");
        assert_eq!(c[0].trailers, vec![("Assisted-by".into(), "Claude:claude-sonnet-4-5".into())]);
        assert_eq!(c[1].parents, Vec::<String>::new());
        assert!(c[1].trailers.is_empty());
        let keys = vec!["assisted-by".to_string()];
        assert_eq!(c[0].trailer_values(&keys).count(), 1);
    }

    #[test]
    fn parses_files_per_commit() {
        let out = b"\x1eaaa\0\nsrc/b.rs\0src/a.rs\0\x1ebbb\0\x1eccc\0\nx y.txt\0";
        let m = parse_files(out);
        assert_eq!(m["aaa"], vec!["src/a.rs", "src/b.rs"]);
        assert!(m["bbb"].is_empty());
        assert_eq!(m["ccc"], vec!["x y.txt"]);
    }
}
