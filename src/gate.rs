//! The gate contract: what a gate sees ([`Context`]: the change, the repository, the pull
//! request, the code host) and what it returns ([`GateReport`] or [`GateError`]). Families
//! implement [`Gate`]; the engine runs them.

use crate::core::{Block, Finding, Metric, RuleInfo, Settings};
use crate::diff::ChangeSet;
use crate::repo::{Repo, RepoError};

/// What a gate sees: the change, and the repository to read base/head files and reports from.
pub struct Context<'a> {
    pub changes: &'a ChangeSet,
    pub repo: &'a Repo,
    /// Head content is read from the worktree (the diff came from a file or stdin).
    pub head_from_worktree: bool,
    /// Title, body, labels of the pull request (empty locally unless given).
    pub pr: &'a crate::forge::PrInfo,
    /// The code host, when there is one (GitHub Actions with a token).
    pub forge: Option<&'a dyn crate::forge::Forge>,
}

impl Context<'_> {
    /// A file as it is at head.
    pub fn head_file(&self, path: &str) -> Result<Option<Vec<u8>>, RepoError> {
        if self.head_from_worktree || !self.repo.is_git() {
            self.repo.read_worktree(path)
        } else {
            self.repo.read_at(self.changes.head.spec(), path)
        }
    }

    /// A file as it was at base. Fails when the base revision is unknown (diff from a file).
    pub fn base_file(&self, path: &str) -> Result<Option<Vec<u8>>, RepoError> {
        match &self.changes.base.sha {
            Some(sha) if self.repo.is_git() => self.repo.read_at(sha, path),
            _ => Err(RepoError::Git {
                args: format!("cat-file base:{path}"),
                stderr: "the base revision is unknown (diff read from a file); pass --base".into(),
            }),
        }
    }

    /// Every file path at head (sorted), for gates that resolve imports or search the whole tree.
    /// `None` when the repository is not a git repository (probe with `head_file` instead).
    pub fn head_paths(&self) -> Result<Option<Vec<String>>, RepoError> {
        if !self.repo.is_git() {
            return Ok(None);
        }
        let out = if self.head_from_worktree {
            self.repo.git(&["ls-files", "-z", "--cached", "--others", "--exclude-standard"])?
        } else {
            self.repo.git(&["ls-tree", "-r", "-z", "--name-only", self.changes.head.spec()])?
        };
        let mut paths: Vec<String> =
            out.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into_owned()).collect();
        paths.sort();
        paths.dedup();
        Ok(Some(paths))
    }

    /// A file produced by an earlier CI step (coverage, benchmarks, SARIF), read from the worktree.
    pub fn input_file(&self, path: &str) -> Result<Option<Vec<u8>>, RepoError> {
        self.repo.read_worktree(path)
    }

    /// Like [`Context::input_file`], but the confined absolute path, for inputs too large to
    /// read into memory at once (coverage reports are parsed as a stream). `None`: missing.
    pub fn input_path(&self, path: &str) -> Result<Option<std::path::PathBuf>, RepoError> {
        self.repo.worktree_path(path)
    }
}

/// What a gate returns when it ran: data only; the reporters render it.
#[derive(Debug, Default)]
pub struct GateReport {
    pub findings: Vec<Finding>,
    pub metrics: Vec<Metric>,
    /// Lines and tables for the summary (rendered by each reporter).
    pub summary: Vec<Block>,
    /// Structured data for the JSON decision record (a traceability matrix, the AI-assisted
    /// commits and why they were allowed...). Must be deterministic.
    pub details: Option<serde_json::Value>,
}

impl GateReport {
    pub fn metric(&mut self, name: &str, value: f64, unit: Option<&str>) {
        self.metrics.push(Metric { name: name.into(), value, unit: unit.map(str::to_string) });
    }
}

/// Why a gate could not run. The engine turns this into a fail-closed `error` conclusion.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error("{0}")]
    Other(String),
}

/// What every configured gate carries, built once by its family: the id (`--only`, check
/// names), the effective settings, and the rules it can report (built-in and policy-defined).
#[derive(Debug, Clone)]
pub struct GateMeta {
    pub id: &'static str,
    pub settings: Settings,
    pub rules: Vec<RuleInfo>,
}

impl GateMeta {
    pub fn new(id: &'static str, settings: Settings, rules: Vec<RuleInfo>) -> Self {
        GateMeta { id, settings, rules }
    }
}

/// A configured gate. Implementors hold a [`GateMeta`] and write `evaluate`.
pub trait Gate: Send + Sync {
    fn meta(&self) -> &GateMeta;
    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError>;

    /// Stable gate id (`patterns`, `hygiene`, `security.secrets`).
    fn id(&self) -> &str {
        self.meta().id
    }
    fn settings(&self) -> Settings {
        self.meta().settings
    }
    fn rules(&self) -> &[RuleInfo] {
        &self.meta().rules
    }
}
