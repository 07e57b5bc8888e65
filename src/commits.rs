//! The commits of the change (`base..head`) with their messages and trailers, read with git.
//! Shared by the gates that judge commits (hygiene commit messages, AI-assistance trailers).

use crate::gate::{Context, GateError};
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

/// Commits reachable from `head` but not from `base`, oldest first (topological order).
pub fn between(repo: &Repo, base: &str, head: &str) -> Result<Vec<Commit>, RepoError> {
    for rev in [base, head] {
        if rev.starts_with('-') || rev.is_empty() {
            return Err(RepoError::Git { args: format!("log {rev}"), stderr: "invalid revision".into() });
        }
    }
    let range = format!("{base}..{head}");
    // NUL-separated fields: a commit message cannot contain NUL, so no message can forge a
    // record boundary (control characters like \x1e in messages are harmless).
    let out = repo.git(&[
        "log",
        "-z",
        "--topo-order",
        "--reverse",
        "--no-color",
        "--format=%H%x00%P%x00%an <%ae>%x00%B%x00%(trailers:only=true,unfold=true)%x00",
        &range,
        "--",
    ])?;
    parse_log(&String::from_utf8_lossy(&out))
        .map_err(|msg| RepoError::Git { args: format!("log {range}"), stderr: msg })
}

/// Five NUL-terminated fields per commit; commits separated by one more NUL.
fn parse_log(text: &str) -> Result<Vec<Commit>, String> {
    let toks: Vec<&str> = text.split('\0').collect();
    let mut commits = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if toks[i].is_empty() {
            i += 1;
            continue;
        }
        let Some(&[sha, parents, author, message, trailers]) = toks.get(i..i + 5) else {
            return Err(format!("unexpected output after {} commits", commits.len()));
        };
        let sha = sha.trim();
        let hex = |s: &str| (s.len() == 40 || s.len() == 64) && s.chars().all(|c| c.is_ascii_hexdigit());
        if !hex(sha) || !parents.split_whitespace().all(hex) {
            return Err(format!("unexpected output after {} commits: `{}`", commits.len(), sha.escape_debug()));
        }
        let message = message.trim_end().to_string();
        commits.push(Commit {
            sha: sha.to_string(),
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
        i += 5;
    }
    Ok(commits)
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
        "--format=%x00%H",
        "--name-only",
        "-z",
        "--no-renames",
        "--diff-merges=first-parent",
        &range,
        "--",
    ])?;
    parse_files(&out).map_err(|msg| RepoError::Git { args: format!("log --name-only {range}"), stderr: msg })
}

/// `\0<sha>\0\n<path>\0<path>\0…` per commit: paths are never empty, so an empty field
/// marks the next commit and no file name can forge one.
fn parse_files(out: &[u8]) -> Result<HashMap<String, Vec<String>>, String> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    let mut current: Option<String> = None;
    let mut first = false;
    for tok in out.split(|b| *b == 0) {
        if tok.is_empty() {
            current = None;
            continue;
        }
        match &current {
            None => {
                let sha = String::from_utf8_lossy(tok).trim().to_string();
                if !(sha.len() == 40 || sha.len() == 64) || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Err(format!("unexpected output: `{}`", sha.escape_debug()));
                }
                map.entry(sha.clone()).or_default();
                current = Some(sha);
                first = true;
            }
            Some(sha) => {
                let path = if first { tok.strip_prefix(b"\n").unwrap_or(tok) } else { tok };
                first = false;
                if !path.is_empty() {
                    map.entry(sha.clone()).or_default().push(String::from_utf8_lossy(path).into_owned());
                }
            }
        }
    }
    for files in map.values_mut() {
        files.sort();
        files.dedup();
    }
    Ok(map)
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
        let (a, b, p) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let text = format!(
            "{a}\0{p} {b}\0A <a@x>\0feat: x\u{1e}\u{1f}y\n\nbody\n\nAssisted-by: Claude:claude-sonnet-4-5\n\0Assisted-by: Claude:claude-sonnet-4-5\n\0\0{b}\0\0B <b@x>\0\0\0\0"
        );
        let c = parse_log(&text).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].parents, vec![p.clone(), b.clone()]);
        assert!(c[0].is_merge());
        assert_eq!(c[0].subject, "feat: x\u{1e}\u{1f}y", "control characters cannot split records");
        assert_eq!(c[0].trailers, vec![("Assisted-by".into(), "Claude:claude-sonnet-4-5".into())]);
        assert_eq!(c[1].parents, Vec::<String>::new());
        assert_eq!(c[1].subject, "");
        assert!(c[1].trailers.is_empty());
        let keys = vec!["assisted-by".to_string()];
        assert_eq!(c[0].trailer_values(&keys).count(), 1);
        assert!(parse_log("not-a-sha\0\0\0\0\0\0").is_err());
        assert!(parse_log(&format!("{a}\0\0")).is_err());
    }

    #[test]
    fn parses_files_per_commit() {
        let (a, b, c) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let out = format!("\0{a}\0\nsrc/b.rs\0src/\u{1e}a.rs\0\0{b}\0\0{c}\0\nx y.txt\0");
        let m = parse_files(out.as_bytes()).unwrap();
        assert_eq!(m[&a], vec!["src/\u{1e}a.rs", "src/b.rs"]);
        assert!(m[&b].is_empty());
        assert_eq!(m[&c], vec!["x y.txt"]);
        assert!(parse_files(b"\0not-a-sha\0").is_err());
    }
}
