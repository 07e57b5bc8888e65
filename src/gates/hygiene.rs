//! PR hygiene: keep changes small enough to review.

use super::{Built, Family, Gate, GateError, GateReport, RuleInfo};
use crate::engine::Context;
use crate::finding::{Finding, Metric, Severity};
use crate::matcher::Globs;
use crate::policy::{GateCommon, Policy, Seg, Settings};

crate::gate_config! {
    /// `[hygiene]`: limits on the size of a pull request.
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
    }
}

pub const FAMILY: Family = Family { name: "hygiene", build, catalogue };

const MAX_LINES: &str = "hygiene.max-pr-lines";
const MAX_FILES: &str = "hygiene.max-pr-files";

fn catalogue() -> Vec<RuleInfo> {
    vec![
        RuleInfo::new(
            MAX_LINES,
            Severity::Error,
            "The pull request changes more lines than `hygiene.max_pr_lines` allows.",
            "Large changes get shallow reviews; defects hide in them.",
            "Split the change into smaller pull requests, exclude generated files with `hygiene.exclude`, or waive it with a reason.",
        ),
        RuleInfo::new(
            MAX_FILES,
            Severity::Error,
            "The pull request touches more files than `hygiene.max_pr_files` allows.",
            "A change spread over many files is hard to review as one unit.",
            "Split the change, exclude generated files with `hygiene.exclude`, or waive it with a reason.",
        ),
    ]
}

struct HygieneGate {
    settings: Settings,
    max_lines: Option<u64>,
    max_files: Option<u64>,
    exclude: Globs,
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.hygiene else { return Ok(Vec::new()) };
    let exclude = Globs::new(&cfg.exclude, &[Seg::from("hygiene"), Seg::from("exclude")]).map_err(|e| vec![e])?;
    let settings = Settings::resolve(&policy.defaults, &[cfg.common()]);
    Ok(vec![Box::new(HygieneGate { settings, max_lines: cfg.max_pr_lines, max_files: cfg.max_pr_files, exclude })])
}

impl Gate for HygieneGate {
    fn id(&self) -> &str {
        "hygiene"
    }

    fn settings(&self) -> Settings {
        self.settings
    }

    fn rules(&self) -> Vec<RuleInfo> {
        catalogue()
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let counted: Vec<_> = cx.changes.files.iter().filter(|f| !self.exclude.matches(&f.path)).collect();
        let lines: u64 = counted.iter().map(|f| (f.added_lines().count() + f.removed_count()) as u64).sum();
        let files = counted.len() as u64;
        let rules = catalogue();
        let mut findings = Vec::new();
        let mut check = |rule: &RuleInfo, value: u64, cap: Option<u64>, what: &str| {
            if let Some(cap) = cap.filter(|cap| value > *cap) {
                let msg = format!("this pull request changes {value} {what}; the policy allows {cap}");
                findings.push(Finding::new(&rule.id, rule.severity, None, msg, what).with_help(&rule.fix));
            }
        };
        check(&rules[0], lines, self.max_lines, "lines");
        check(&rules[1], files, self.max_files, "files");
        let metrics = vec![
            Metric { name: "pr_lines".into(), value: lines as f64, unit: Some("lines".into()) },
            Metric { name: "pr_files".into(), value: files as f64, unit: Some("files".into()) },
        ];
        Ok(GateReport { findings, metrics, ..Default::default() })
    }
}
