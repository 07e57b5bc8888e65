//! AI accountability: find AI-assisted changes (commit trailers, commit authors, PR labels, a
//! PR-body section), require model and reviewer to be recorded, and require approval when they
//! touch no-go paths. The decision record lists every AI-assisted change and why it was allowed.

mod detect;
mod review;

use super::{Built, Family, Gate, GateError, GateMeta, GateReport, RuleInfo};
use crate::commits::{self, Commit};
use crate::core::matcher::Globs;
use crate::core::{Block, Finding, Location, Metric, Rule, Severity, Table, Text};
use crate::core::{GateCommon, PolicyError, Seg, Settings};
use crate::gate::Context;
use crate::gates::Policy;
use detect::{BodySection, Identities};
use review::{Approval, ApprovalPolicy, State};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

crate::core::settings::gate_config! {
    /// `[ai]`: accountability for AI-assisted changes.
    pub struct Config {
        /// Trailer keys that mark a commit AI-assisted, whatever their value (default `Assisted-by`, `Generated-by`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub trailers: Option<Vec<String>>,
        /// Assistant identities recognised in `Co-authored-by` trailers and commit authors; replaces the built-in list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub assistants: Option<Vec<String>>,
        /// PR labels that mark the whole pull request AI-assisted (default `ai-assisted`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub labels: Option<Vec<String>>,
        /// Heading of the PR-body section that declares AI assistance (default `AI assistance`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body_section: Option<String>,
        /// Path globs AI-assisted changes may touch only with approval.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub no_go: Vec<String>,
        /// Approval for `no_go` paths is an approving human review (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub require_human_review: Option<bool>,
        /// A label that also counts as approval for `no_go` paths (e.g. `ai-approved`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub approval_label: Option<String>,
        /// Count only approvals given on the head commit (default false).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub approval_on_head: Option<bool>,
        /// Logins or `org/team` whose approval counts; empty means any human but the author.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub approvers: Vec<String>,
        /// Review accounts that are bots (logins ending in `[bot]` always are).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub bots: Vec<String>,
        /// What every AI-assisted change must record: `model`, `reviewer`, `inputs` (default model and reviewer).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub require: Option<Vec<Field>>,
        /// Trailer keys naming the model (default `Model`, `AI-Model`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub model_trailers: Option<Vec<String>>,
        /// Trailer keys naming the human reviewer (default `Reviewed-by`, `AI-Reviewed-by`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reviewer_trailers: Option<Vec<String>>,
        /// Trailer keys naming the inputs given to the assistant (default `AI-Inputs`, `Inputs`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub inputs_trailers: Option<Vec<String>>,
    }
}

/// A field an AI-assisted change records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Model,
    Reviewer,
    Inputs,
}

impl Field {
    fn as_str(self) -> &'static str {
        match self {
            Field::Model => "model",
            Field::Reviewer => "reviewer",
            Field::Inputs => "inputs",
        }
    }
}

pub const FAMILY: Family = Family { name: "ai", build, catalogue };

const BUILTIN_ASSISTANTS: &str = include_str!("../../../gates/ai-assistants.txt");

/// How to record model, reviewer and inputs (the fix of the missing-field rules).
const RECORD: &str = "Record it in the commit as a trailer (`Model: <model>`, `Reviewed-by: Name <email>`, `AI-Inputs: <what the assistant was given>`; or `Assisted-by: Agent:model`), or in the PR body under `## AI assistance` as `Model:`, `Reviewed-by:`, `Inputs:` lines.";

pub const NO_GO: Rule = Rule::new(
    "ai.no-go-approval",
    Severity::Error,
    "An AI-assisted change touches a no-go path (`ai.no_go`) without the approval the policy requires.",
    "Some paths (security code, CI workflows, the policy itself) must not change on an assistant's word alone; a named human must have approved it.",
    "Get an approving review from a human other than the author (on the head commit if `approval_on_head` is set), or the approval label if the policy names one; or move the change out of the no-go paths.",
);

pub const MISSING_MODEL: Rule = Rule::new(
    "ai.missing-model",
    Severity::Error,
    "An AI-assisted change does not record which model produced it.",
    "An audit must be able to tell which model wrote what, e.g. when a model is later found to produce a class of defects.",
    RECORD,
);

pub const MISSING_REVIEWER: Rule = Rule::new(
    "ai.missing-reviewer",
    Severity::Error,
    "An AI-assisted change does not name the human who reviewed it (the author or an assistant does not count).",
    "Accountability: a named person vouches for every AI-assisted change.",
    RECORD,
);

pub const MISSING_INPUTS: Rule = Rule::new(
    "ai.missing-inputs",
    Severity::Error,
    "An AI-assisted change does not name the inputs given to the assistant (required by `ai.require`).",
    "Knowing what the assistant saw (issue, files, documents) lets an audit judge licensing and data exposure.",
    RECORD,
);

/// Every rule this family declares.
pub const RULES: &[&Rule] = &[&NO_GO, &MISSING_MODEL, &MISSING_REVIEWER, &MISSING_INPUTS];

fn catalogue() -> Vec<RuleInfo> {
    crate::core::rule::infos(RULES)
}

struct AiGate {
    meta: GateMeta,
    trailers: Vec<String>,
    assistants: Identities,
    labels: Vec<String>,
    body_section: String,
    no_go: Globs,
    require_review: bool,
    approval_label: Option<String>,
    approval_on_head: bool,
    approvers: Vec<String>,
    bots: Vec<String>,
    require: Vec<Field>,
    model_trailers: Vec<String>,
    reviewer_trailers: Vec<String>,
    inputs_trailers: Vec<String>,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.ai else { return Ok(Vec::new()) };
    let at = |k: &str| vec![Seg::from("ai"), Seg::from(k)];
    let mut errors = Vec::new();
    let no_go = Globs::new(&cfg.no_go, &at("no_go")).map_err(|e| errors.push(e)).ok();
    let names: Vec<String> = match &cfg.assistants {
        Some(list) => list.clone(),
        None => BUILTIN_ASSISTANTS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
    };
    let assistants = Identities::new(&names)
        .map_err(|e| errors.push(PolicyError::at(at("assistants"), format!("invalid assistant list: {e}"))))
        .ok();
    let require_review = cfg.require_human_review.unwrap_or(true);
    if !cfg.no_go.is_empty() && !require_review && cfg.approval_label.is_none() {
        errors.push(PolicyError::at(
            at("require_human_review"),
            "with `require_human_review = false`, set `approval_label` so changes to `no_go` paths can be approved",
        ));
    }
    for (k, list) in [
        ("trailers", &cfg.trailers),
        ("model_trailers", &cfg.model_trailers),
        ("reviewer_trailers", &cfg.reviewer_trailers),
        ("inputs_trailers", &cfg.inputs_trailers),
    ] {
        for (i, t) in list.iter().flatten().enumerate() {
            if t.is_empty() || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                errors.push(PolicyError::at(
                    vec![Seg::from("ai"), Seg::from(k), Seg::Index(i)],
                    format!("`{t}` is not a trailer key (letters, digits and `-`, e.g. `Assisted-by`)"),
                ));
            }
        }
    }
    let (Some(no_go), Some(assistants), true) = (no_go, assistants, errors.is_empty()) else {
        return Err(errors);
    };
    let mut require = cfg.require.clone().unwrap_or_else(|| vec![Field::Model, Field::Reviewer]);
    require.sort();
    require.dedup();
    let settings = Settings::resolve(&policy.defaults, &[cfg.common()]);
    Ok(vec![Box::new(AiGate {
        meta: GateMeta::new("ai", settings, catalogue()),
        trailers: cfg.trailers.clone().unwrap_or_else(|| strings(&["Assisted-by", "Generated-by"])),
        assistants,
        labels: cfg.labels.clone().unwrap_or_else(|| strings(&["ai-assisted"])),
        body_section: cfg.body_section.clone().unwrap_or_else(|| "AI assistance".into()),
        no_go,
        require_review,
        approval_label: cfg.approval_label.clone(),
        approval_on_head: cfg.approval_on_head.unwrap_or(false),
        approvers: cfg.approvers.clone(),
        bots: cfg.bots.clone(),
        require,
        model_trailers: cfg.model_trailers.clone().unwrap_or_else(|| strings(&["Model", "AI-Model"])),
        reviewer_trailers: cfg.reviewer_trailers.clone().unwrap_or_else(|| strings(&["Reviewed-by", "AI-Reviewed-by"])),
        inputs_trailers: cfg.inputs_trailers.clone().unwrap_or_else(|| strings(&["AI-Inputs", "Inputs"])),
    })])
}

/// One AI-assisted change: a commit, or the pull request as a whole (declared by label or body).
#[derive(Debug, Clone, Serialize)]
struct Change {
    /// The commit, or `null` for the pull request as a whole.
    commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    /// How the assistance was detected (`trailer Assisted-by: ...`, `label ai-assisted`...).
    detected_by: Vec<String>,
    assistant: Option<String>,
    model: Option<String>,
    inputs: Option<String>,
    reviewer: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tools: Vec<String>,
    no_go_files: Vec<String>,
    missing: Vec<&'static str>,
    decision: &'static str,
    why: String,
}

impl Gate for AiGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let commits = commits::of_change(cx)?;
        let body = cx.pr.body.as_deref().unwrap_or("");
        let section = detect::body_section(body, &self.body_section);
        let mut changes = Vec::new();

        // The pull request as a whole, when a label or the body section declares assistance.
        let mut pr_detected: Vec<String> = self
            .labels
            .iter()
            .filter(|l| cx.pr.labels.iter().any(|p| p.trim().eq_ignore_ascii_case(l)))
            .map(|l| format!("label {l}"))
            .collect();
        if section.as_ref().is_some_and(|s| s.declared) {
            pr_detected.push(format!("PR body section `{}`", self.body_section));
        }
        let fallback = section.clone().unwrap_or_default();
        if !pr_detected.is_empty() {
            let mut no_go: Vec<String> =
                cx.changes.files.iter().map(|f| f.path.clone()).filter(|p| self.no_go.matches(p)).collect();
            no_go.sort();
            changes.push(Change {
                commit: None,
                subject: cx.pr.title.clone(),
                author: cx.pr.author.clone(),
                detected_by: pr_detected,
                assistant: fallback.assistant.clone(),
                model: fallback.model.clone(),
                inputs: fallback.inputs.clone(),
                reviewer: self.human(fallback.reviewer.clone(), cx.pr.author.as_deref()),
                tools: Vec::new(),
                no_go_files: no_go,
                missing: Vec::new(),
                decision: "",
                why: String::new(),
            });
        }
        let mut files = std::collections::HashMap::new();
        if let (Some(base), Some(head), false) = (&cx.changes.base.sha, &cx.changes.head.sha, commits.is_empty()) {
            files = commits::files_by_commit(cx.repo, base, head)?;
        }
        for c in &commits {
            if let Some(ch) = self.commit_change(c, files.get(&c.sha), &fallback) {
                changes.push(ch);
            }
        }

        // Approval is asked once, and only when some AI-assisted change reaches a no-go path.
        let policy = ApprovalPolicy {
            require_review: self.require_review,
            label: self.approval_label.as_deref(),
            on_head: self.approval_on_head,
            approvers: &self.approvers,
            bots: &self.bots,
            assistants: &self.assistants,
        };
        let approval = if changes.iter().any(|c| !c.no_go_files.is_empty()) {
            Some(review::decide(&policy, cx.pr, cx.changes.head.sha.as_deref(), cx.forge)?)
        } else {
            None
        };

        let mut findings = Vec::new();
        for ch in &mut changes {
            self.judge(ch, approval.as_ref(), &policy, &mut findings);
        }
        self.no_go_findings(cx, &changes, approval.as_ref(), &policy, &mut findings);

        let n_commits = changes.iter().filter(|c| c.commit.is_some()).count();
        let n_no_go: std::collections::BTreeSet<&String> = changes.iter().flat_map(|c| &c.no_go_files).collect();
        let metrics = vec![
            Metric { name: "ai_assisted_commits".into(), value: n_commits as f64, unit: Some("commits".into()) },
            Metric { name: "ai_no_go_files".into(), value: n_no_go.len() as f64, unit: Some("files".into()) },
        ];
        let summary = if changes.is_empty() { Vec::new() } else { summary(&changes, approval.as_ref()) };
        let details = serde_json::json!({
            "commits_checked": commits.len(),
            "changes": changes,
            "approval": approval,
            "approval_needed": (!self.no_go.is_empty()).then(|| review::needed(&policy)),
            "no_go": self.no_go.patterns(),
        });
        Ok(GateReport { findings, metrics, summary, details: Some(details) })
    }
}

impl AiGate {
    /// The AI-assisted change a commit represents, if it is one.
    fn commit_change(&self, c: &Commit, files: Option<&Vec<String>>, pr: &BodySection) -> Option<Change> {
        let mut detected = Vec::new();
        let mut declared = detect::Declared::default();
        for (k, v) in c.trailer_values(&self.trailers) {
            detected.push(format!("trailer {k}: {v}"));
            let d = detect::parse_value(v);
            declared.assistant = declared.assistant.or(d.assistant);
            declared.model = declared.model.or(d.model);
            declared.tools.extend(d.tools);
        }
        for (k, v) in c.trailer_values(&["Co-authored-by".to_string()]) {
            if let Some(id) = self.assistants.find(v) {
                detected.push(format!("trailer {k}: {v}"));
                let d = detect::parse_value(v);
                declared.assistant = declared.assistant.or(Some(id));
                declared.model = declared.model.or(d.model);
            }
        }
        if let Some(id) = self.assistants.find(&c.author) {
            detected.push(format!("author {}", c.author));
            declared.assistant = declared.assistant.or(Some(id));
        }
        if detected.is_empty() {
            return None;
        }
        let first = |keys: &[String]| c.trailer_values(keys).find_map(|(_, v)| detect::meaningful(v));
        let model = first(&self.model_trailers).or(declared.model).or_else(|| pr.model.clone());
        let inputs = first(&self.inputs_trailers).or_else(|| pr.inputs.clone());
        let reviewer = c
            .trailer_values(&self.reviewer_trailers)
            .find_map(|(_, v)| self.human(detect::meaningful(v), Some(&c.author)))
            .or_else(|| self.human(pr.reviewer.clone(), Some(&c.author)));
        let no_go: Vec<String> = files.into_iter().flatten().filter(|p| self.no_go.matches(p)).cloned().collect();
        declared.tools.sort();
        declared.tools.dedup();
        Some(Change {
            commit: Some(c.sha.clone()),
            subject: Some(c.subject.clone()),
            author: Some(c.author.clone()),
            detected_by: detected,
            assistant: declared.assistant,
            model,
            inputs,
            reviewer,
            tools: declared.tools,
            no_go_files: no_go,
            missing: Vec::new(),
            decision: "",
            why: String::new(),
        })
    }

    /// A named reviewer that is a human other than the author, or `None`.
    fn human(&self, reviewer: Option<String>, author: Option<&str>) -> Option<String> {
        let r = reviewer?;
        if self.assistants.find(&r).is_some() {
            return None;
        }
        if let Some(a) = author {
            let key = |s: &str| match (s.find('<'), s.rfind('>')) {
                (Some(b), Some(e)) if e > b => s[b + 1..e].trim().to_ascii_lowercase(),
                _ => s.trim().trim_start_matches('@').to_ascii_lowercase(),
            };
            if key(&r) == key(a) {
                return None;
            }
        }
        Some(r)
    }

    /// Fills `missing`, `decision` and `why`, and adds the missing-field findings.
    fn judge(&self, ch: &mut Change, approval: Option<&Approval>, policy: &ApprovalPolicy<'_>, out: &mut Vec<Finding>) {
        let what = match &ch.commit {
            Some(sha) => format!("commit {} (`{}`)", &sha[..sha.len().min(12)], ch.subject.as_deref().unwrap_or("")),
            None => "the pull request".to_string(),
        };
        let via = ch.detected_by.first().cloned().unwrap_or_default();
        for field in &self.require {
            let (value, rule) = match field {
                Field::Model => (&ch.model, &MISSING_MODEL),
                Field::Reviewer => (&ch.reviewer, &MISSING_REVIEWER),
                Field::Inputs => (&ch.inputs, &MISSING_INPUTS),
            };
            if value.is_none() {
                ch.missing.push(field.as_str());
                let extra = if *field == Field::Reviewer {
                    " (the author or an AI assistant does not count as reviewer)"
                } else {
                    ""
                };
                let msg = format!("{what} is AI-assisted ({via}) but records no {}{extra}", field.as_str());
                let content = format!("{} {}", ch.commit.as_deref().unwrap_or("pr"), field.as_str());
                out.push(rule.finding(None, msg, &content));
            }
        }
        let approved = approval.is_some_and(Approval::approved);
        let blocked_by_no_go = !ch.no_go_files.is_empty() && !approved;
        ch.decision = if ch.missing.is_empty() && !blocked_by_no_go { "allowed" } else { "blocked" };
        let mut why = Vec::new();
        if !ch.missing.is_empty() {
            why.push(format!("missing {}", ch.missing.join(", ")));
        }
        match (ch.no_go_files.is_empty(), approval) {
            (true, _) => why.push("touches no no-go path".into()),
            (false, Some(a)) if a.approved() => why.push(match a.state {
                State::ApprovedByLabel => {
                    format!("no-go paths approved by label `{}`", a.label.as_deref().unwrap_or(""))
                }
                _ => format!(
                    "no-go paths approved by {}",
                    a.by.iter().map(|b| format!("@{b}")).collect::<Vec<_>>().join(", ")
                ),
            }),
            (false, a) => why.push(format!(
                "no-go paths need {}: {}",
                review::needed(policy),
                a.map(|a| a.reason.as_str()).unwrap_or("not approved")
            )),
        }
        ch.why = why.join("; ");
    }

    /// One finding per no-go file reached by an AI-assisted change without approval.
    fn no_go_findings(
        &self,
        cx: &Context<'_>,
        changes: &[Change],
        approval: Option<&Approval>,
        policy: &ApprovalPolicy<'_>,
        out: &mut Vec<Finding>,
    ) {
        let Some(a) = approval.filter(|a| !a.approved()) else { return };
        let mut by_file: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for ch in changes {
            let who = match &ch.commit {
                Some(sha) => format!("commit {}", &sha[..sha.len().min(12)]),
                None => "the pull request".into(),
            };
            for f in &ch.no_go_files {
                by_file.entry(f).or_default().push(who.clone());
            }
        }
        let prefix = if a.state == State::NeedsApproval { "needs approval: " } else { "" };
        for (file, who) in by_file {
            let glob = self
                .no_go
                .patterns()
                .iter()
                .find(|p| Globs::new(std::slice::from_ref(p), &[]).is_ok_and(|g| g.matches(file)))
                .cloned()
                .unwrap_or_default();
            let msg = format!(
                "{prefix}AI-assisted change ({}) touches `{file}`, a no-go path (`{glob}`); it needs {} — {}",
                who.join(", "),
                review::needed(policy),
                a.reason
            );
            // Files the PR no longer changes have no place to annotate; report them on the PR.
            let loc = cx.changes.file(file).map(|_| Location::file(file));
            out.push(NO_GO.finding(loc, msg, file));
        }
    }
}

fn summary(changes: &[Change], approval: Option<&Approval>) -> Vec<Block> {
    let mut table = Table::new(&["change", "assistant", "model", "reviewer", "no-go files", "decision"]);
    for c in changes {
        let what = match c.commit.as_deref() {
            Some(sha) => Text::code(&sha[..sha.len().min(12)]),
            None => Text::plain("PR"),
        };
        table.row(vec![
            what,
            Text::opt(c.assistant.clone()),
            Text::opt(c.model.clone()),
            Text::opt(c.reviewer.clone()),
            Text::codes(&c.no_go_files),
            Text::plain(format!("{}: {}", c.decision, c.why)),
        ]);
    }
    if let Some(a) = approval {
        let state = serde_json::to_value(a.state).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let mut note = Text::plain("Approval for no-go paths: ").and_strong(state);
        if !a.by.is_empty() {
            note = note.and(format!(" by {}", a.by.iter().map(|b| format!("@{b}")).collect::<Vec<_>>().join(", ")));
        }
        if !a.reason.is_empty() {
            note = note.and(format!(" — {}", a.reason));
        }
        table.note(note);
    }
    vec![table.into()]
}

#[cfg(test)]
mod tests {
    use super::review::tests::{FakeForge, review};
    use crate::diff::{ChangeSet, Rev, source};
    use crate::forge::{PrInfo, ReviewState};
    use crate::gate::Context;
    use crate::gates::{GateError, GateReport};
    use crate::repo::Repo;
    use std::process::Command;

    fn git(dir: &std::path::Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=Bob", "-c", "user.email=bob@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A real repository whose PR commit is AI-assisted (model and reviewer recorded) and
    /// touches the no-go path `security/`.
    struct Fixture {
        _dir: tempfile::TempDir,
        repo: Repo,
        changes: ChangeSet,
        head: String,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "--quiet", "--initial-branch=main"]);
        std::fs::create_dir_all(d.join("security")).unwrap();
        std::fs::write(d.join("security/auth.rs"), "a\n").unwrap();
        git(d, &["add", "-A"]);
        git(d, &["commit", "--quiet", "-m", "base"]);
        std::fs::write(d.join("security/auth.rs"), "b\n").unwrap();
        git(d, &["add", "-A"]);
        let msg = "fix: auth\n\nAssisted-by: Claude:claude-sonnet-4-5\nReviewed-by: Alice <alice@example.com>";
        git(d, &["commit", "--quiet", "-m", msg]);
        let repo = Repo::open(d).unwrap();
        let head = repo.resolve("HEAD").unwrap();
        let base = Rev { name: "HEAD~1".into(), sha: Some(repo.resolve("HEAD~1").unwrap()) };
        let changes = source::from_git(&repo, base, Rev { name: "HEAD".into(), sha: Some(head.clone()) }).unwrap();
        Fixture { _dir: dir, repo, changes, head }
    }

    fn evaluate(fx: &Fixture, forge: &FakeForge, labels: &[&str]) -> Result<GateReport, GateError> {
        let pr = PrInfo {
            author: Some("bob".into()),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let policy = crate::gates::load_str(
            "gates.toml",
            "version = 1\n[ai]\nno_go = [\"security/**\"]\napproval_label = \"ai-approved\"\n",
        )
        .unwrap();
        let cx =
            Context { changes: &fx.changes, repo: &fx.repo, head_from_worktree: false, pr: &pr, forge: Some(forge) };
        policy.gates.iter().find(|g| g.id() == "ai").unwrap().evaluate(&cx)
    }

    fn forge(reviews: Vec<crate::forge::Review>) -> FakeForge {
        FakeForge { reviews, teams: vec![], fail: false }
    }

    #[test]
    fn forge_reviews_decide_no_go_changes() {
        let fx = fixture();
        let head = fx.head.clone();

        // No review yet: blocked, approval missing.
        let r = evaluate(&fx, &forge(vec![]), &[]).unwrap();
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.details.as_ref().unwrap()["approval"]["state"], "missing");

        // Approved by a human: allowed, and the record names the approver.
        let r = evaluate(&fx, &forge(vec![review("alice", ReviewState::Approved, &head)]), &[]).unwrap();
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        let d = r.details.unwrap();
        assert_eq!(d["approval"]["state"], "approved-by-review");
        assert_eq!(d["approval"]["by"], serde_json::json!(["alice"]));
        assert_eq!(d["changes"][0]["commit"], head.as_str());
        assert_eq!(d["changes"][0]["why"], "no-go paths approved by @alice");

        // Changes requested, self-approval and a bot: blocked, with the reasons recorded.
        let reviews = vec![
            review("alice", ReviewState::Approved, &head),
            review("carol", ReviewState::ChangesRequested, &head),
            review("bob", ReviewState::Approved, &head),
            review("renovate[bot]", ReviewState::Approved, &head),
        ];
        let r = evaluate(&fx, &forge(reviews), &[]).unwrap();
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].rule, "ai.no-go-approval");
        assert_eq!(r.findings[0].location.as_ref().unwrap().path, "security/auth.rs");
        assert!(r.findings[0].message.contains("changes are requested by @carol"), "{}", r.findings[0].message);
        let d = r.details.unwrap();
        assert_eq!(d["changes"][0]["decision"], "blocked");
        let ignored: Vec<&str> =
            d["approval"]["ignored"].as_array().unwrap().iter().map(|i| i["user"].as_str().unwrap()).collect();
        assert_eq!(ignored, vec!["bob", "renovate[bot]"]);

        // The forge failing is a gate error (fail closed), unless the label already approves.
        let down = FakeForge { reviews: vec![], teams: vec![], fail: true };
        let e = evaluate(&fx, &down, &[]).unwrap_err();
        assert!(e.to_string().contains("reading the pull request's reviews"), "{e}");
        assert!(evaluate(&fx, &down, &["ai-approved"]).unwrap().findings.is_empty());
    }
}
