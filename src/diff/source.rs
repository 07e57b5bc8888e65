//! Where the diff comes from: `git diff` between two revisions, a file, or stdin.

use super::{ChangeSet, DiffError, Rev, parse_diff};
use crate::repo::{Repo, RepoError};
use std::io::Read;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("{origin}: {source}")]
    Parse { origin: String, source: DiffError },
    #[error("reading diff from {origin}: {source}")]
    Io { origin: String, source: std::io::Error },
}

/// The diff between two commits, with renames and copies detected. Arguments that could change
/// the output's shape are pinned so user config (`diff.noprefix`, `diff.context`...) cannot.
pub fn from_git(repo: &Repo, base: Rev, head: Rev) -> Result<ChangeSet, SourceError> {
    let out = repo.git(&[
        "diff",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--find-renames",
        "--find-copies",
        "--unified=3",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--submodule=short",
        "--ignore-submodules=none",
        base.spec(),
        head.spec(),
        "--",
    ])?;
    parse_diff(&out, base, head).map_err(|e| SourceError::Parse { origin: "git diff".into(), source: e })
}

/// A diff read from a file, or from stdin when `path` is `-`.
pub fn from_file(path: &Path) -> Result<ChangeSet, SourceError> {
    let origin = if path == Path::new("-") { "stdin".to_string() } else { path.display().to_string() };
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    read.map_err(|e| SourceError::Io { origin: origin.clone(), source: e })?;
    parse_diff(&bytes, Rev::unknown("base"), Rev::unknown("head")).map_err(|e| SourceError::Parse { origin, source: e })
}
