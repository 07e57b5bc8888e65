//! PR hygiene: what Danger users write by hand, as policy. Size of the change, title, body,
//! labels, changelog entry, commit messages, merges from the base branch, large files and
//! files added under forbidden paths.

mod files;
mod history;
mod pr;

use super::{Built, Family, Gate, GateError, GateMeta, GateReport, RuleInfo};
use crate::core::matcher::{Globs, key, regex};
use crate::core::{GateCommon, PolicyError, Seg, Settings};
use crate::core::{Rule, Severity};
use crate::gate::Context;
use crate::gates::Policy;
use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use files::parse_size;

crate::core::settings::gate_config! {
    /// `[hygiene]`: rules on the pull request as a whole.
    pub struct Config {
        /// Most lines the PR may add plus remove (files in `exclude` not counted).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max_pr_lines: Option<u64>,
        /// Most files the PR may touch (files in `exclude` not counted).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max_pr_files: Option<u64>,
        /// Path globs left out of the size counts (lockfiles, generated code, snapshots).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub exclude: Vec<String>,
        /// Regex the PR title must match; `true` for Conventional Commits (`feat(scope): ...`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<PatternOrDefault>,
        /// The PR body must not be empty.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body_required: Option<bool>,
        /// Regex the PR body must match: a requirement id or an issue (`REQ-[A-Z]+-[0-9]+|#[0-9]+`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body_references: Option<String>,
        /// A changelog entry is required when code changes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub changelog: Option<Changelog>,
        /// Labels the PR must or must not carry (compared case-insensitively).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub labels: Option<Labels>,
        /// Regex every non-merge commit subject must match; `true` for Conventional Commits.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub commit_subject: Option<PatternOrDefault>,
        /// Forbid merge commits that bring the base branch into the PR branch (rebase instead).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub no_base_merges: Option<bool>,
        /// Largest file the PR may add or grow to: bytes, or `"500 KB"`, `"5 MiB"`...
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max_file_size: Option<SizeInput>,
        /// Path globs no file may be added under (build outputs, `.env`, editor files).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub forbidden_paths: Vec<String>,
    }
}

/// `true` for the built-in pattern, or a regex.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PatternOrDefault {
    Default(bool),
    Regex(String),
}

/// A size in bytes, or a string with a unit (`B`, `KB`, `MB`, `GB` = powers of 1000; `KiB`, `MiB`, `GiB`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SizeInput {
    Bytes(u64),
    Text(String),
}

/// `[hygiene.changelog]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Changelog {
    /// The changelog file (default `CHANGELOG.md`).
    #[serde(default = "default_changelog")]
    pub path: String,
    /// Globs of the code that needs an entry when it changes; empty means any file but the changelog.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<String>,
    /// Labels that say no entry is needed (default `no-changelog`, `skip-changelog`).
    #[serde(default = "default_skip_labels")]
    pub skip_labels: Vec<String>,
}

fn default_changelog() -> String {
    "CHANGELOG.md".into()
}

fn default_skip_labels() -> Vec<String> {
    vec!["no-changelog".into(), "skip-changelog".into()]
}

/// `[hygiene.labels]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// Every one of these labels must be present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// At least one of these labels must be present (e.g. the kind of change).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<String>,
    /// None of these labels may be present (`do-not-merge`, `wip`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden: Vec<String>,
}

/// Conventional Commits with the usual types: `type(scope)!: description`.
pub const CONVENTIONAL: &str = r"^(feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(\([\w./ -]+\))?!?: \S";

pub const FAMILY: Family = Family { name: "hygiene", build, catalogue };

pub const MAX_LINES: Rule = Rule::new(
    "hygiene.max-pr-lines",
    Severity::Error,
    "The pull request changes more lines than `hygiene.max_pr_lines` allows.",
    "Large changes get shallow reviews; defects hide in them.",
    "Split the change into smaller pull requests, exclude generated files with `hygiene.exclude`, or waive it with a reason.",
);

pub const MAX_FILES: Rule = Rule::new(
    "hygiene.max-pr-files",
    Severity::Error,
    "The pull request touches more files than `hygiene.max_pr_files` allows.",
    "A change spread over many files is hard to review as one unit.",
    "Split the change, exclude generated files with `hygiene.exclude`, or waive it with a reason.",
);

pub const TITLE: Rule = Rule::new(
    "hygiene.title",
    Severity::Error,
    "The pull request title does not match `hygiene.title`.",
    "Titles become merge-commit subjects and release notes; a fixed shape makes them searchable and lets tools derive versions.",
    "Edit the title to match the pattern, e.g. `feat(parser): accept CRLF input` for Conventional Commits.",
);

pub const BODY_EMPTY: Rule = Rule::new(
    "hygiene.body-empty",
    Severity::Error,
    "The pull request has no description.",
    "Reviewers and later readers need to know why the change was made, not only what changed.",
    "Describe the change in the PR body: the problem, the approach, how it was tested.",
);

pub const BODY_REFERENCE: Rule = Rule::new(
    "hygiene.body-reference",
    Severity::Error,
    "The pull request body does not reference a requirement or an issue (`hygiene.body_references`).",
    "Traceability: every change should say which requirement or issue it serves.",
    "Add the requirement id or issue to the PR body, e.g. `Closes #123` or `Implements REQ-AUTH-7`.",
);

pub const CHANGELOG: Rule = Rule::new(
    "hygiene.changelog",
    Severity::Error,
    "Code changed but the changelog has no new entry.",
    "Users learn about changes from the changelog; an entry written with the change is accurate and cheap.",
    "Add an entry to the changelog file in this PR, or add one of the skip labels if the change is not user-visible.",
);

pub const LABEL_MISSING: Rule = Rule::new(
    "hygiene.label-missing",
    Severity::Error,
    "A label the policy requires is missing from the pull request.",
    "Labels drive triage, release notes and automation; a missing one loses the change from them.",
    "Add the label named in the finding to the pull request.",
);

pub const LABEL_FORBIDDEN: Rule = Rule::new(
    "hygiene.label-forbidden",
    Severity::Error,
    "The pull request carries a label that blocks merging (`do-not-merge`, `wip`...).",
    "Such labels say the author or a reviewer does not want this merged yet.",
    "Remove the label when the change is ready.",
);

pub const COMMIT_SUBJECT: Rule = Rule::new(
    "hygiene.commit-subject",
    Severity::Error,
    "A commit subject does not match `hygiene.commit_subject`.",
    "Commit subjects are the history: they must say what changed in a form tools and people can search.",
    "Reword the commit (`git rebase -i <base>`, then `reword`) and force-push the branch.",
);

pub const BASE_MERGE: Rule = Rule::new(
    "hygiene.base-merge",
    Severity::Error,
    "A merge commit brings the base branch into the pull request branch.",
    "Merges from the base branch tangle the history and hide what the PR itself changes.",
    "Rebase the branch onto the base branch instead (`git rebase <base>`) and force-push.",
);

pub const LARGE_FILE: Rule = Rule::new(
    "hygiene.large-file",
    Severity::Error,
    "A file added or grown by the pull request is larger than `hygiene.max_file_size`.",
    "Large blobs stay in the repository history forever and slow every clone.",
    "Remove the file from the branch history, store it with Git LFS or an artifact store, or waive it with a reason.",
);

pub const FORBIDDEN_PATH: Rule = Rule::new(
    "hygiene.forbidden-path",
    Severity::Error,
    "A file is added under a path the policy forbids (`hygiene.forbidden_paths`).",
    "Build outputs, dependency folders and `.env` files do not belong in the repository; `.env` files often hold secrets.",
    "Remove the file from the branch (`git rm --cached <file>`), add the path to `.gitignore`, and rotate any secret it held.",
);

/// Every rule this family declares.
pub const RULES: &[&Rule] = &[
    &MAX_LINES,
    &MAX_FILES,
    &TITLE,
    &BODY_EMPTY,
    &BODY_REFERENCE,
    &CHANGELOG,
    &LABEL_MISSING,
    &LABEL_FORBIDDEN,
    &COMMIT_SUBJECT,
    &BASE_MERGE,
    &LARGE_FILE,
    &FORBIDDEN_PATH,
];

fn catalogue() -> Vec<RuleInfo> {
    crate::core::rule::infos(RULES)
}

struct CompiledChangelog {
    path: String,
    code: Globs,
    skip_labels: Vec<String>,
}

struct HygieneGate {
    meta: GateMeta,
    max_lines: Option<u64>,
    max_files: Option<u64>,
    exclude: Globs,
    title: Option<Regex>,
    body_required: bool,
    body_references: Option<Regex>,
    changelog: Option<CompiledChangelog>,
    labels: Labels,
    commit_subject: Option<Regex>,
    no_base_merges: bool,
    max_file_size: Option<u64>,
    forbidden_paths: Globs,
}

fn at(k: &str) -> Vec<Seg> {
    vec![Seg::from("hygiene"), Seg::from(k)]
}

fn pattern(p: &Option<PatternOrDefault>, k: &str, rule: &str, errors: &mut Vec<PolicyError>) -> Option<Regex> {
    match p {
        None | Some(PatternOrDefault::Default(false)) => None,
        Some(PatternOrDefault::Default(true)) => Regex::new(CONVENTIONAL).ok(),
        Some(PatternOrDefault::Regex(r)) => regex(r, &at(k), rule).map_err(|e| errors.push(e)).ok(),
    }
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.hygiene else { return Ok(Vec::new()) };
    let mut errors = Vec::new();
    let mut globs = |list: &[String], at: Vec<Seg>| match Globs::new(list, &at) {
        Ok(g) => Some(g),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let exclude = globs(&cfg.exclude, at("exclude"));
    let forbidden_paths = globs(&cfg.forbidden_paths, at("forbidden_paths"));
    let changelog = cfg.changelog.as_ref().and_then(|c| {
        let code = globs(&c.code, key(&at("changelog"), &["code".into()]))?;
        Some(CompiledChangelog {
            path: c.path.trim_start_matches("./").to_string(),
            code,
            skip_labels: c.skip_labels.clone(),
        })
    });
    let title = pattern(&cfg.title, "title", TITLE.id, &mut errors);
    let commit_subject = pattern(&cfg.commit_subject, "commit_subject", COMMIT_SUBJECT.id, &mut errors);
    let body_references = cfg
        .body_references
        .as_ref()
        .and_then(|r| regex(r, &at("body_references"), BODY_REFERENCE.id).map_err(|e| errors.push(e)).ok());
    let max_file_size = match &cfg.max_file_size {
        None => None,
        Some(SizeInput::Bytes(n)) => Some(*n),
        Some(SizeInput::Text(t)) => match parse_size(t) {
            Some(n) => Some(n),
            None => {
                errors.push(PolicyError::at(
                    at("max_file_size"),
                    format!("`{t}` is not a size; write bytes (`1048576`) or a number with a unit (`500 KB`, `5 MiB`)"),
                ));
                None
            }
        },
    };
    if let Some(c) = &cfg.changelog {
        if crate::repo::confine(&c.path).is_err() {
            errors.push(PolicyError::at(
                key(&at("changelog"), &["path".into()]),
                format!("`{}` must be a path relative to the repository root", c.path),
            ));
        }
    }
    let (Some(exclude), Some(forbidden_paths), true) = (exclude, forbidden_paths, errors.is_empty()) else {
        return Err(errors);
    };
    let settings = Settings::resolve(&policy.defaults, &[cfg.common()]);
    Ok(vec![Box::new(HygieneGate {
        meta: GateMeta::new("hygiene", settings, catalogue()),
        max_lines: cfg.max_pr_lines,
        max_files: cfg.max_pr_files,
        exclude,
        title,
        body_required: cfg.body_required.unwrap_or(false),
        body_references,
        changelog,
        labels: cfg.labels.clone().unwrap_or_default(),
        commit_subject,
        no_base_merges: cfg.no_base_merges.unwrap_or(false),
        max_file_size,
        forbidden_paths,
    })])
}

impl Gate for HygieneGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut report = GateReport::default();
        self.size(cx, &mut report);
        pr::check(self, cx, &mut report);
        history::check(self, cx, &mut report)?;
        files::check(self, cx, &mut report)?;
        Ok(report)
    }
}

impl HygieneGate {
    fn size(&self, cx: &Context<'_>, report: &mut GateReport) {
        let counted: Vec<_> = cx.changes.files.iter().filter(|f| !self.exclude.matches(&f.path)).collect();
        let lines: u64 = counted.iter().map(|f| (f.added_lines().count() + f.removed_count()) as u64).sum();
        let files = counted.len() as u64;
        let mut check = |rule: &Rule, value: u64, cap: Option<u64>, what: &str| {
            if let Some(cap) = cap.filter(|cap| value > *cap) {
                let msg = format!("this pull request changes {value} {what}; the policy allows {cap}");
                report.findings.push(rule.finding(None, msg, what));
            }
        };
        check(&MAX_LINES, lines, self.max_lines, "lines");
        check(&MAX_FILES, files, self.max_files, "files");
        report.metric("pr_lines", lines as f64, Some("lines"));
        report.metric("pr_files", files as f64, Some("files"));
    }
}

/// Whether `labels` holds `want` (case-insensitive, as GitHub compares label names).
fn has_label(labels: &[String], want: &str) -> bool {
    labels.iter().any(|l| l.trim().eq_ignore_ascii_case(want.trim()))
}
