//! The engine: runs the enabled gates in parallel, applies scope, inline suppressions and
//! waivers centrally, and turns each gate's findings into a conclusion.

pub mod record;
pub mod waivers;

use crate::core::finding::sort_findings;
use crate::core::rule::{CORE_RULES, SUPPRESSION_WITHOUT_REASON};
use crate::core::{
    Conclusion, Finding, GateOutcome, Location, Mode, OnError, RuleInfo, Scope, Severity, SuppressedFinding,
    Suppression,
};
use crate::diff::{ChangeSet, ChangedFile};
use crate::gate::{Context, Gate, GateReport};
use crate::gates::LoadedPolicy;
pub use record::{ChangeStats, PolicySource, Report, run};
use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use waivers::{WaiverUse, apply_waivers};

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
    let mut rules: BTreeMap<String, RuleInfo> = CORE_RULES.iter().map(|r| (r.id.to_string(), r.info())).collect();
    for g in &gates {
        rules.extend(g.rules().iter().map(|r| (r.id.clone(), r.clone())));
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
            summary: Vec::new(),
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
            summary: Vec::new(),
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
                let msg = format!(
                    "`gatehouse: allow({})` has no reason, so it does not suppress `{}`",
                    caps[1].trim(),
                    f.rule
                );
                meta.push(
                    SUPPRESSION_WITHOUT_REASON
                        .finding(Some(Location::line(&loc.path, n)), msg, text)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Settings;
    use crate::gate::{GateError, GateMeta};
    use crate::repo::Repo;

    /// A gate whose behaviour the test chooses.
    struct Fake(GateMeta, fn() -> Result<GateReport, GateError>);

    impl Fake {
        fn new(id: &'static str, run: fn() -> Result<GateReport, GateError>, on_error: OnError) -> Self {
            let settings = Settings { mode: Mode::Block, on_error, scope: Scope::Added, fail_on: Severity::Error };
            Fake(GateMeta::new(id, settings, Vec::new()), run)
        }
    }

    impl Gate for Fake {
        fn meta(&self) -> &GateMeta {
            &self.0
        }
        fn evaluate(&self, _: &Context<'_>) -> Result<GateReport, GateError> {
            (self.1)()
        }
    }

    #[test]
    fn panics_and_errors_fail_closed_unless_on_error_warn() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::plain(dir.path()).unwrap();
        let mut policy = crate::gates::load_str("gates.toml", "version = 1\n").unwrap();
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
            Box::new(Fake::new("a.panics", boom, OnError::Fail)),
            Box::new(Fake::new("b.missing", missing, OnError::Fail)),
            Box::new(Fake::new("c.missing-tolerated", missing, OnError::Warn)),
            Box::new(Fake::new("d.fine", fine, OnError::Fail)),
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
