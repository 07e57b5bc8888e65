//! The engine: runs the enabled gates in parallel, applies scope, inline suppressions and
//! waivers centrally, and turns each gate's findings into a conclusion.

pub mod waivers;

use crate::diff::{ChangeSet, ChangedFile};
use crate::finding::{
    Conclusion, Finding, GateOutcome, Location, Mode, Severity, SuppressedFinding, Suppression, sort_findings,
};
use crate::gates::{Gate, GateReport, RuleInfo};
use crate::policy::{LoadedPolicy, OnError, Scope};
use crate::repo::{Repo, RepoError};
use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use waivers::{WaiverUse, apply_waivers};

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

/// Choices made on the command line.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Run only these gates (ids or family names); empty runs all.
    pub only: Vec<String>,
    /// Overrides `defaults.fail_on`.
    pub fail_on: Option<Severity>,
    /// `YYYY-MM-DD`, for waiver expiry.
    pub today: String,
}

/// Everything the engine decided.
pub struct Evaluation {
    pub outcomes: Vec<GateOutcome>,
    pub waivers: Vec<WaiverUse>,
    /// Rule metadata for every rule that can appear in the outcomes (for SARIF and explain).
    pub rules: BTreeMap<String, RuleInfo>,
}

/// Whether gate `id` is selected by an `--only` entry (its id or its family).
pub fn selected(id: &str, only: &[String]) -> bool {
    only.is_empty() || only.iter().any(|o| id == o || id.starts_with(&format!("{o}.")))
}

pub fn evaluate(policy: &LoadedPolicy, cx: &Context<'_>, opts: &EngineOptions) -> Evaluation {
    let gates: Vec<&dyn Gate> =
        policy.gates.iter().map(|g| g.as_ref()).filter(|g| selected(g.id(), &opts.only)).collect();
    let mut rules: BTreeMap<String, RuleInfo> =
        crate::gates::core_rules().into_iter().map(|r| (r.id.clone(), r)).collect();
    for g in &gates {
        rules.extend(g.rules().into_iter().map(|r| (r.id.clone(), r)));
    }

    let raw = run_parallel(&gates, cx);

    let index: HashMap<&str, &ChangedFile> = cx.changes.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut inline = InlineSuppressions::new(cx);
    let (mut waiver_state, mut meta) = waivers::start(&policy.waivers, &opts.today);
    let mut outcomes = Vec::new();
    for (gate, result, elapsed) in raw {
        let settings = gate.settings();
        let fail_on = opts.fail_on.unwrap_or(settings.fail_on);
        let mut outcome = GateOutcome {
            gate: gate.id().to_string(),
            mode: settings.mode,
            on_error: settings.on_error,
            conclusion: Conclusion::Pass,
            error: None,
            findings: Vec::new(),
            suppressed: Vec::new(),
            metrics: Vec::new(),
            summary: None,
            details: None,
            elapsed,
        };
        match result {
            None => outcome.conclusion = Conclusion::Skipped,
            Some(Err(message)) => {
                outcome.conclusion = Conclusion::Error;
                outcome.error = Some(message);
            }
            Some(Ok(report)) => {
                outcome.metrics = report.metrics;
                outcome.summary = report.summary;
                outcome.details = report.details;
                for f in report.findings {
                    if !in_scope(&f, settings.scope, &index) {
                        continue;
                    }
                    if let Some(by) = inline.check(&f, &mut meta) {
                        outcome.suppressed.push(SuppressedFinding { finding: f, by });
                    } else if let Some(by) = apply_waivers(&mut waiver_state, &f) {
                        outcome.suppressed.push(SuppressedFinding { finding: f, by });
                    } else {
                        outcome.findings.push(f);
                    }
                }
                let fails = outcome.findings.iter().any(|f| f.severity >= fail_on);
                outcome.conclusion = if fails { Conclusion::Fail } else { Conclusion::Pass };
            }
        }
        sort_findings(&mut outcome.findings);
        outcome
            .suppressed
            .sort_by(|a, b| a.finding.location.cmp(&b.finding.location).then(a.finding.rule.cmp(&b.finding.rule)));
        outcomes.push(outcome);
    }
    if !meta.is_empty() {
        sort_findings(&mut meta);
        meta.dedup();
        let fail_on = opts.fail_on.unwrap_or(policy.policy.defaults.fail_on);
        let fails = meta.iter().any(|f| f.severity >= fail_on);
        outcomes.push(GateOutcome {
            gate: "gatehouse".into(),
            mode: Mode::Block,
            on_error: OnError::Fail,
            conclusion: if fails { Conclusion::Fail } else { Conclusion::Pass },
            error: None,
            findings: meta,
            suppressed: Vec::new(),
            metrics: Vec::new(),
            summary: None,
            details: None,
            elapsed: Default::default(),
        });
    }
    // Gates in name order; the engine's own findings (waivers, suppressions) last.
    outcomes.sort_by(|a, b| (a.gate == "gatehouse", &a.gate).cmp(&(b.gate == "gatehouse", &b.gate)));
    Evaluation { outcomes, waivers: waiver_state.into_uses(), rules }
}

type RawOutcome<'g> = (&'g dyn Gate, Option<Result<GateReport, String>>, std::time::Duration);

/// Runs every gate on its own thread. A panic becomes an error outcome, never a pass.
fn run_parallel<'g>(gates: &[&'g dyn Gate], cx: &Context<'_>) -> Vec<RawOutcome<'g>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = gates
            .iter()
            .map(|&gate| {
                s.spawn(move || {
                    if gate.settings().mode == Mode::Off {
                        return (gate, None, Default::default());
                    }
                    let start = Instant::now();
                    let span = tracing::debug_span!("gate", id = gate.id());
                    let _enter = span.enter();
                    let result = std::panic::catch_unwind(AssertUnwindSafe(|| gate.evaluate(cx)));
                    let result = match result {
                        Ok(Ok(report)) => Ok(report),
                        Ok(Err(e)) => Err(e.to_string()),
                        Err(panic) => Err(format!("internal error: the gate panicked: {}", panic_message(&panic))),
                    };
                    tracing::debug!(
                        elapsed_ms = start.elapsed().as_millis() as u64,
                        ok = result.is_ok(),
                        "gate finished"
                    );
                    (gate, Some(result), start.elapsed())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("gate thread catches its panics")).collect()
    })
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// The central scope filter: which findings count for a gate with this scope.
fn in_scope(f: &Finding, scope: Scope, index: &HashMap<&str, &ChangedFile>) -> bool {
    let Some(loc) = &f.location else { return true };
    match scope {
        Scope::All => true,
        Scope::ChangedFiles => index.contains_key(loc.path.as_str()),
        Scope::Added => match (index.get(loc.path.as_str()), loc.start_line) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(file), Some(start)) => file.touches_range(start, loc.end_line.unwrap_or(start)),
        },
    }
}

/// `gatehouse: allow(rule-a, rule-b) reason` on the finding's line or the line above.
/// Lines are taken from the diff's hunks when they hold both the line and the one above (always
/// true for findings on added lines), so flagged files are only read when a finding is elsewhere.
struct InlineSuppressions<'c, 'a> {
    cx: &'c Context<'a>,
    files: HashMap<String, Option<Vec<String>>>,
    hunk_lines: HashMap<&'a str, HashMap<u32, &'a str>>,
    marker: regex::Regex,
}

impl<'c, 'a> InlineSuppressions<'c, 'a> {
    fn new(cx: &'c Context<'a>) -> Self {
        let marker = regex::Regex::new(r"gatehouse:\s*allow\(([^)]*)\)(.*)").expect("static regex");
        InlineSuppressions { cx, files: HashMap::new(), hunk_lines: HashMap::new(), marker }
    }

    fn check(&mut self, f: &Finding, meta: &mut Vec<Finding>) -> Option<Suppression> {
        let loc = f.location.as_ref()?;
        let line = loc.start_line?;
        let cx = self.cx;
        let changes: &'a ChangeSet = cx.changes;
        let from_diff: Option<[Option<&'a str>; 2]> = changes.file(&loc.path).and_then(|file| {
            let known = self.hunk_lines.entry(file.path.as_str()).or_insert_with(|| {
                file.hunks
                    .iter()
                    .flat_map(|h| h.lines.iter())
                    .filter_map(|l| l.new_line.map(|n| (n, l.text.as_str())))
                    .collect()
            });
            let here = known.get(&line).copied()?;
            let above = if line <= 1 { None } else { Some(known.get(&(line - 1)).copied()?) };
            Some([Some(here), above])
        });
        let texts: [Option<&str>; 2] = match from_diff {
            Some(t) => t,
            None => {
                let lines = self
                    .files
                    .entry(loc.path.clone())
                    .or_insert_with(|| {
                        cx.head_file(&loc.path)
                            .ok()
                            .flatten()
                            .map(|b| String::from_utf8_lossy(&b).lines().map(str::to_string).collect())
                    })
                    .as_ref()?;
                let at = |n: u32| n.checked_sub(1).and_then(|i| lines.get(i as usize)).map(String::as_str);
                [at(line), if line <= 1 { None } else { at(line - 1) }]
            }
        };
        for (n, text) in [line, line.saturating_sub(1)].into_iter().zip(texts) {
            let Some(text) = text else { continue };
            let Some(caps) = self.marker.captures(text) else { continue };
            let names_rule = caps[1]
                .split(',')
                .map(str::trim)
                .any(|r| !r.is_empty() && (f.rule == r || f.rule.starts_with(&format!("{r}."))));
            if !names_rule {
                continue;
            }
            let reason = clean_reason(&caps[2]);
            if reason.is_empty() {
                let rule = "gatehouse.suppression-without-reason";
                let msg = format!(
                    "`gatehouse: allow({})` has no reason, so it does not suppress `{}`",
                    caps[1].trim(),
                    f.rule
                );
                meta.push(
                    Finding::new(rule, Severity::Warning, Some(Location::line(&loc.path, n)), msg, text)
                        .with_help("Write why after the rule: `gatehouse: allow(rule-id) reason`."),
                );
                return None;
            }
            return Some(Suppression::Inline { path: loc.path.clone(), line: n, reason });
        }
        None
    }
}

/// The reason text without comment closers (`*/`, `-->`) and surrounding punctuation.
fn clean_reason(raw: &str) -> String {
    let r = raw.trim();
    let r = r.strip_suffix("*/").or_else(|| r.strip_suffix("-->")).unwrap_or(r);
    r.trim().trim_start_matches([':', '-', '—']).trim().to_string()
}

/// Today in UTC as `YYYY-MM-DD`; `GATEHOUSE_TODAY` overrides it for reproducible runs.
pub fn today() -> String {
    if let Ok(d) = std::env::var("GATEHOUSE_TODAY") {
        if waivers::parse_date(&d).is_some() {
            return d;
        }
    }
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gates::GateError;
    use crate::policy::{OnError, Settings};

    /// A gate whose behaviour the test chooses.
    struct Fake(&'static str, fn() -> Result<GateReport, GateError>, OnError);

    impl Gate for Fake {
        fn id(&self) -> &str {
            self.0
        }
        fn settings(&self) -> Settings {
            Settings { mode: Mode::Block, on_error: self.2, scope: Scope::Added, fail_on: Severity::Error }
        }
        fn rules(&self) -> Vec<RuleInfo> {
            Vec::new()
        }
        fn evaluate(&self, _: &Context<'_>) -> Result<GateReport, GateError> {
            (self.1)()
        }
    }

    #[test]
    fn panics_and_errors_fail_closed_unless_on_error_warn() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::plain(dir.path()).unwrap();
        let mut policy = crate::policy::load_str("gates.toml", "version = 1\n").unwrap();
        fn boom() -> Result<GateReport, GateError> {
            panic!("index out of bounds in a parser")
        }
        fn missing() -> Result<GateReport, GateError> {
            Err(GateError::Input { path: "coverage/lcov.info".into(), message: "not found".into() })
        }
        fn fine() -> Result<GateReport, GateError> {
            Ok(GateReport::default())
        }
        policy.gates = vec![
            Box::new(Fake("a.panics", boom, OnError::Fail)),
            Box::new(Fake("b.missing", missing, OnError::Fail)),
            Box::new(Fake("c.missing-tolerated", missing, OnError::Warn)),
            Box::new(Fake("d.fine", fine, OnError::Fail)),
        ];
        let changes = ChangeSet {
            base: crate::diff::Rev::unknown("base"),
            head: crate::diff::Rev::unknown("head"),
            files: Vec::new(),
        };
        let pr = crate::forge::PrInfo::default();
        let cx = Context { changes: &changes, repo: &repo, head_from_worktree: true, pr: &pr, forge: None };
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let eval = evaluate(&policy, &cx, &EngineOptions { today: "2026-01-01".into(), ..Default::default() });
        std::panic::set_hook(prev);
        let got: Vec<(&str, Conclusion, bool)> =
            eval.outcomes.iter().map(|o| (o.gate.as_str(), o.conclusion, o.blocks())).collect();
        assert_eq!(
            got,
            vec![
                ("a.panics", Conclusion::Error, true),
                ("b.missing", Conclusion::Error, true),
                ("c.missing-tolerated", Conclusion::Error, false),
                ("d.fine", Conclusion::Pass, false),
            ]
        );
        assert!(eval.outcomes[0].error.as_deref().unwrap().contains("index out of bounds"), "{:?}", eval.outcomes[0]);
        assert!(eval.outcomes[1].error.as_deref().unwrap().contains("coverage/lcov.info"));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_780), (2026, 11, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn reasons_lose_comment_closers() {
        assert_eq!(clean_reason(" legacy API */"), "legacy API");
        assert_eq!(clean_reason(": kept for tests -->"), "kept for tests");
        assert_eq!(clean_reason("   "), "");
    }

    #[test]
    fn only_selects_ids_and_families() {
        assert!(selected("security.secrets", &["security".into()]));
        assert!(selected("patterns", &["patterns".into()]));
        assert!(!selected("securityx", &["security".into()]));
        assert!(selected("anything", &[]));
    }
}
