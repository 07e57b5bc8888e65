//! Check runs: created `in_progress` (never twice), always completed with a conclusion, a
//! summary cut to GitHub's limits at a line boundary, and annotations sent 50 per request.

use super::client::{ApiError, Client, Urgency, query_value};
use super::models::{
    Annotation, CheckRun, CheckRunList, CommentBody, CreateCheckRun, IssueComment, OutputBody, UpdateCheckRun,
};
use crate::core::{Conclusion, Finding, GateOutcome, Mode, Severity, Verdict};
use crate::engine::Report;
use serde::de::IgnoredAny;

/// GitHub accepts at most 50 annotations per create/update request.
pub const ANNOTATIONS_PER_REQUEST: usize = 50;
/// Annotations sent per check run; the rest are counted in the summary.
pub const MAX_ANNOTATIONS: usize = 1000;
/// `output.summary` and `output.text` are limited to 65535 characters each.
pub const OUTPUT_LIMIT: usize = 65535;

/// Cuts Markdown to at most `limit` bytes at a line boundary (so a table row, a list item or a
/// tag is never split), closes `<details>` left open, and says how much was left out.
pub fn truncate_markdown(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    const NOTE_ROOM: usize = 200;
    let room = limit.saturating_sub(NOTE_ROOM);
    let mut cut = room;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    // Back to the end of the last whole line; a single line longer than the room is cut inside.
    if let Some(nl) = text[..cut].rfind('\n') {
        cut = nl + 1;
    }
    let mut out = text[..cut].to_string();
    let open = out.matches("<details").count().saturating_sub(out.matches("</details>").count());
    let closing = "</details>\n".repeat(open);
    let note =
        format!("\n_… truncated: {} more bytes are in the job summary and the JSON report._\n", text.len() - cut);
    if out.len() + closing.len() + note.len() > limit {
        // Pathological nesting: drop the closers rather than exceed the limit.
        out.push_str(&note);
        return out;
    }
    out.push_str(&closing);
    out.push_str(&note);
    out
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
    }
}

/// The check run conclusion for a set of outcomes: `failure` when one blocks (or
/// `action_required` when every blocking finding asks for an approval or waiver), `neutral` when
/// only non-blocking gates failed, `success` otherwise.
pub fn conclusion(gates: &[GateOutcome]) -> &'static str {
    let blocking: Vec<&GateOutcome> = gates.iter().filter(|g| g.blocks()).collect();
    if !blocking.is_empty() {
        let needs_approval = blocking.iter().all(|g| {
            g.conclusion == Conclusion::Fail
                && !g.findings.is_empty()
                && g.findings.iter().filter(|f| f.severity == Severity::Error).all(|f| asks_for_approval(&f.rule))
        });
        return if needs_approval { "action_required" } else { "failure" };
    }
    let warned =
        gates.iter().any(|g| g.mode != Mode::Off && matches!(g.conclusion, Conclusion::Fail | Conclusion::Error));
    if warned { "neutral" } else { "success" }
}

/// Rules whose last segment names an approval (`…needs-approval`, `…requires-approval`) are
/// resolved by a person approving or waiving, not by changing code.
pub fn asks_for_approval(rule: &str) -> bool {
    rule.rsplit('.').next().is_some_and(|last| last.contains("approval"))
}

pub fn overall_conclusion(report: &Report) -> &'static str {
    match report.verdict {
        Verdict::Error => "failure",
        _ => conclusion(&report.gates),
    }
}

/// The annotation GitHub expects for one finding (findings without a file have none).
pub fn annotation(f: &Finding) -> Option<Annotation> {
    let loc = f.location.as_ref()?;
    let start = loc.start_line.unwrap_or(1).max(1);
    let end = loc.end_line.unwrap_or(start).max(start);
    let level = match f.severity {
        Severity::Error => "failure",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    };
    let columns = match (loc.start_col, loc.end_col) {
        (Some(c), Some(ec)) if start == end => (Some(c), Some(ec)),
        _ => (None, None),
    };
    Some(Annotation {
        path: loc.path.clone(),
        start_line: start,
        end_line: end,
        start_column: columns.0,
        end_column: columns.1,
        annotation_level: level,
        title: truncate_chars(&f.rule, 255),
        message: truncate_chars(&f.message, 4000),
        raw_details: (!f.help.is_empty()).then(|| truncate_chars(&f.help, 4000)),
    })
}

/// Everything one check run shows.
#[derive(Debug, Clone)]
pub struct CheckOutput {
    pub title: String,
    pub summary: String,
    pub text: Option<String>,
    pub annotations: Vec<Annotation>,
    pub conclusion: &'static str,
}

impl CheckOutput {
    /// Builds the output from findings, capping annotations and noting how many were left out.
    pub fn new<'a>(
        title: String,
        summary: &str,
        findings: impl Iterator<Item = &'a Finding>,
        conclusion: &'static str,
    ) -> CheckOutput {
        let all: Vec<Annotation> = findings.filter_map(annotation).collect();
        let mut summary = summary.to_string();
        let left_out = all.len().saturating_sub(MAX_ANNOTATIONS);
        let annotations: Vec<Annotation> = all.into_iter().take(MAX_ANNOTATIONS).collect();
        let note = if left_out > 0 {
            format!(
                "\n> [!NOTE]\n> {left_out} findings are not shown as annotations (GitHub shows at most {MAX_ANNOTATIONS} here); see the JSON report.\n"
            )
        } else {
            String::new()
        };
        summary = truncate_markdown(&summary, OUTPUT_LIMIT - note.len());
        summary.push_str(&note);
        CheckOutput { title: truncate_chars(&title, 255), summary, text: None, annotations, conclusion }
    }

    fn output<'a>(&'a self, summary: &'a str, annotations: &'a [Annotation]) -> OutputBody<'a> {
        OutputBody {
            title: &self.title,
            summary,
            text: self.text.as_deref().map(|t| truncate_markdown(t, OUTPUT_LIMIT)),
            annotations,
        }
    }
}

/// The `external_id` Gatehouse gives its check runs: the workflow run and attempt when known,
/// so a lookup finds only runs this very run created (a re-run creates fresh ones).
pub fn external_id(run_id: Option<&str>, attempt: Option<&str>) -> String {
    match run_id {
        Some(id) => format!("gatehouse:{id}:{}", attempt.unwrap_or("1")),
        None => "gatehouse".to_string(),
    }
}

/// Creates a check run `in_progress` on `head_sha`; returns its id. See [`create`].
pub fn create_in_progress(
    client: &Client,
    repo: &str,
    name: &str,
    head_sha: &str,
    external_id: &str,
) -> Result<u64, ApiError> {
    let body = CreateCheckRun { name, head_sha, status: "in_progress", conclusion: None, external_id, output: None };
    create(client, repo, &body)
}

/// Creates a check run without ever making two: a create that failed in a way that may have
/// reached GitHub (no answer, a 5xx, an unreadable answer) is followed by a lookup of the run
/// for the same head SHA, name and `external_id`, and repeated only when there is none.
pub fn create(client: &Client, repo: &str, body: &CreateCheckRun<'_>) -> Result<u64, ApiError> {
    let path = format!("/repos/{repo}/check-runs");
    let mut attempt = 0;
    loop {
        attempt += 1;
        let e = match client.post::<_, CheckRun>(&path, body) {
            Ok(run) => return Ok(run.id),
            Err(e) if !e.is_uncertain() => return Err(e),
            Err(e) => e,
        };
        tracing::warn!("creating check run `{}` may have failed: {e}; looking it up", body.name);
        if let Some(id) = find(client, repo, body.head_sha, body.name, body.external_id, Urgency::Normal)? {
            return Ok(id);
        }
        if attempt >= client.retry().max_attempts || !client.pause(attempt, Urgency::Normal) {
            return Err(e);
        }
    }
}

/// The id of the check run named `name` on `head_sha` with our `external_id`, if one exists.
pub fn find(
    client: &Client,
    repo: &str,
    head_sha: &str,
    name: &str,
    external_id: &str,
    urgency: Urgency,
) -> Result<Option<u64>, ApiError> {
    let path =
        format!("/repos/{repo}/commits/{head_sha}/check-runs?check_name={}&filter=all&per_page=100", query_value(name));
    let list: CheckRunList = match urgency {
        Urgency::Normal => client.get(&path)?,
        Urgency::Final => client.get_final(&path)?,
    };
    Ok(list
        .check_runs
        .iter()
        .find(|r| r.name == name && r.head_sha == head_sha && r.external_id.as_deref() == Some(external_id))
        .map(|r| r.id))
}

/// How a completion went: annotations GitHub took, and those it did not (with why).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    pub annotations_sent: usize,
    pub annotations_dropped: usize,
    pub dropped_because: Option<String>,
}

/// Completes check run `id`. All but the last batch of annotations go in plain updates, the
/// last one with the conclusion. Whatever fails on the way (one refused batch, a slow API), the
/// completion is then retried on its own, without annotations and with a summary that says how
/// many were dropped, using the time kept for it: a created run always ends `completed` unless
/// the API is down for the whole of that time.
pub fn complete(client: &Client, repo: &str, id: u64, out: &CheckOutput) -> Result<Completion, ApiError> {
    let path = format!("/repos/{repo}/check-runs/{id}");
    let batches: Vec<&[Annotation]> = out.annotations.chunks(ANNOTATIONS_PER_REQUEST).collect();
    let (last, earlier) = match batches.split_last() {
        Some((l, e)) => (*l, e),
        None => (&[][..], &[][..]),
    };
    let mut sent = 0;
    let mut problem = None;
    for batch in earlier {
        if client.remaining(Urgency::Normal).is_zero() {
            problem = Some("the time for GitHub API work ran out".to_string());
            break;
        }
        let body = UpdateCheckRun { status: None, conclusion: None, output: out.output(&out.summary, batch) };
        match client.patch::<_, IgnoredAny>(&path, &body, Urgency::Normal) {
            Ok(_) => sent += batch.len(),
            Err(e) => {
                problem = Some(e.to_string());
                break;
            }
        }
    }
    if problem.is_none() {
        let body = UpdateCheckRun {
            status: Some("completed"),
            conclusion: Some(out.conclusion),
            output: out.output(&out.summary, last),
        };
        match client.patch::<_, IgnoredAny>(&path, &body, Urgency::Final) {
            Ok(_) => return Ok(Completion { annotations_sent: sent + last.len(), ..Default::default() }),
            Err(e) => problem = Some(e.to_string()),
        }
    }
    let dropped = out.annotations.len() - sent;
    let why = problem.unwrap_or_default();
    tracing::warn!("completing check run {id} without {dropped} annotation(s): {why}");
    let note = format!(
        "\n> [!WARNING]\n> {dropped} of {} annotations were dropped: GitHub did not take them ({}). The findings are all in this summary, the job summary and the JSON report.\n",
        out.annotations.len(),
        why.replace('\n', " ")
    );
    let mut summary = truncate_markdown(&out.summary, OUTPUT_LIMIT.saturating_sub(note.len()));
    summary.push_str(&note);
    let body = UpdateCheckRun {
        status: Some("completed"),
        conclusion: Some(out.conclusion),
        output: out.output(&summary, &[]),
    };
    client.patch::<_, IgnoredAny>(&path, &body, Urgency::Final)?;
    Ok(Completion { annotations_sent: sent, annotations_dropped: dropped, dropped_because: Some(why) })
}

/// Creates an already completed check run (per-gate checks), annotations batched the same way.
/// A refused later batch leaves the run completed with the annotations sent so far.
pub fn create_completed(
    client: &Client,
    repo: &str,
    name: &str,
    head_sha: &str,
    external_id: &str,
    out: &CheckOutput,
) -> Result<u64, ApiError> {
    let mut batches = out.annotations.chunks(ANNOTATIONS_PER_REQUEST);
    let first = batches.next().unwrap_or(&[]);
    let body = CreateCheckRun {
        name,
        head_sha,
        status: "completed",
        conclusion: Some(out.conclusion),
        external_id,
        output: Some(out.output(&out.summary, first)),
    };
    let id = create(client, repo, &body)?;
    for batch in batches {
        let body = UpdateCheckRun { status: None, conclusion: None, output: out.output(&out.summary, batch) };
        client.patch::<_, IgnoredAny>(&format!("/repos/{repo}/check-runs/{id}"), &body, Urgency::Normal)?;
    }
    Ok(id)
}

/// The hidden marker that identifies Gatehouse's sticky comment for one check name.
pub fn comment_marker(check_name: &str) -> String {
    format!("<!-- gatehouse:sticky-comment {} -->", check_name.replace("--", "- -"))
}

/// Creates or updates the one PR comment carrying `marker`. Returns `updated`/`created`. A
/// create that may have reached GitHub is not repeated blindly: the comments are read again.
pub fn upsert_comment(
    client: &Client,
    repo: &str,
    number: u64,
    marker: &str,
    markdown: &str,
) -> Result<&'static str, ApiError> {
    // The body limit of a comment is 65536 characters; keep room for the marker.
    let body = format!("{marker}\n{}", truncate_markdown(markdown, OUTPUT_LIMIT - marker.len() - 1));
    let mut attempt = 0;
    loop {
        attempt += 1;
        match find_comment(client, repo, number, marker)? {
            Some(id) => {
                let path = format!("/repos/{repo}/issues/comments/{id}");
                client.patch::<_, IgnoredAny>(&path, &CommentBody { body: &body }, Urgency::Normal)?;
                return Ok("updated");
            }
            None => {
                let path = format!("/repos/{repo}/issues/{number}/comments");
                match client.post::<_, IssueComment>(&path, &CommentBody { body: &body }) {
                    Ok(_) => return Ok("created"),
                    Err(e) if e.is_uncertain() && attempt < 2 && client.pause(attempt, Urgency::Normal) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
}

fn find_comment(client: &Client, repo: &str, number: u64, marker: &str) -> Result<Option<u64>, ApiError> {
    let (comments, _) = client.get_all::<IssueComment>(&format!("/repos/{repo}/issues/{number}/comments"), 10_000)?;
    Ok(comments.iter().find(|c| c.body.as_deref().is_some_and(|b| b.contains(marker))).map(|c| c.id))
}

/// Whether an existing sticky comment exists (to refresh it when a run passes under `on-failure`).
pub fn has_comment(client: &Client, repo: &str, number: u64, marker: &str) -> Result<bool, ApiError> {
    Ok(find_comment(client, repo, number, marker)?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::OnError;
    use crate::core::{Location, RuleInfo};

    fn outcome(mode: Mode, conclusion: Conclusion, rules: &[&str]) -> GateOutcome {
        GateOutcome {
            gate: "g".into(),
            mode,
            on_error: OnError::Fail,
            conclusion,
            error: None,
            findings: rules.iter().map(|r| RuleInfo::named(*r, Severity::Error).finding(None, "m", "")).collect(),
            suppressed: vec![],
            metrics: vec![],
            summary: Vec::new(),
            details: None,
            elapsed: Default::default(),
        }
    }

    #[test]
    fn conclusions() {
        assert_eq!(conclusion(&[outcome(Mode::Block, Conclusion::Pass, &[])]), "success");
        assert_eq!(conclusion(&[outcome(Mode::Warn, Conclusion::Fail, &["a.b"])]), "neutral");
        assert_eq!(conclusion(&[outcome(Mode::Block, Conclusion::Fail, &["a.b"])]), "failure");
        assert_eq!(
            conclusion(&[outcome(Mode::Block, Conclusion::Fail, &["security.sensitive-paths.needs-approval"])]),
            "action_required"
        );
        assert_eq!(
            conclusion(&[
                outcome(Mode::Block, Conclusion::Fail, &["x.needs-approval"]),
                outcome(Mode::Block, Conclusion::Error, &[])
            ]),
            "failure"
        );
    }

    #[test]
    fn truncation_keeps_table_rows_whole_and_closes_details() {
        let mut md = String::from("<details open><summary>g</summary>\n\n| a | b |\n|---|---|\n");
        for i in 0..5000 {
            md.push_str(&format!("| row {i} | {} |\n", "x".repeat(20)));
        }
        md.push_str("</details>\n");
        let t = truncate_markdown(&md, OUTPUT_LIMIT);
        assert!(t.len() <= OUTPUT_LIMIT, "{}", t.len());
        let body: Vec<&str> = t.lines().filter(|l| l.starts_with('|')).collect();
        assert!(body.iter().all(|l| l.ends_with('|')), "a row was cut");
        assert!(t.contains("</details>\n\n_… truncated:"));
        assert_eq!(truncate_markdown("short", 10), "short");
        // Multi-byte text is cut on a character boundary.
        let long = "é".repeat(40_000);
        assert!(truncate_markdown(&long, 1000).len() <= 1000);
    }

    #[test]
    fn annotations_map_levels_and_lines() {
        let f =
            RuleInfo::named("r.x", Severity::Error).finding(Some(Location::line("a.rs", 3).with_cols(1, 4)), "m", "");
        let a = annotation(&f).unwrap();
        assert_eq!(a.annotation_level, "failure");
        assert_eq!((a.start_line, a.start_column), (3, Some(1)));
        let f = RuleInfo::named("r.x", Severity::Notice).finding(Some(Location::file("a.rs")), "m", "");
        assert_eq!(annotation(&f).unwrap().start_line, 1);
        assert!(annotation(&RuleInfo::named("r.x", Severity::Notice).finding(None, "m", "")).is_none());
    }
}
