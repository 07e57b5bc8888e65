//! Check runs: created `in_progress`, completed with a conclusion, a summary cut to GitHub's
//! limits at a line boundary, and annotations sent 50 per request.

use super::client::{ApiError, Client};
use crate::core::{Conclusion, Finding, GateOutcome, Mode, Severity, Verdict};
use crate::engine::Report;
use serde_json::{Value, json};

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
pub fn annotation(f: &Finding) -> Option<Value> {
    let loc = f.location.as_ref()?;
    let start = loc.start_line.unwrap_or(1).max(1);
    let end = loc.end_line.unwrap_or(start).max(start);
    let level = match f.severity {
        Severity::Error => "failure",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    };
    let mut a = json!({
        "path": loc.path,
        "start_line": start,
        "end_line": end,
        "annotation_level": level,
        "title": truncate_chars(&f.rule, 255),
        "message": truncate_chars(&f.message, 4000),
    });
    if let (Some(c), Some(ec), true) = (loc.start_col, loc.end_col, start == end) {
        a["start_column"] = json!(c);
        a["end_column"] = json!(ec);
    }
    if !f.help.is_empty() {
        a["raw_details"] = json!(truncate_chars(&f.help, 4000));
    }
    Some(a)
}

/// Everything one check run shows.
#[derive(Debug, Clone)]
pub struct CheckOutput {
    pub title: String,
    pub summary: String,
    pub text: Option<String>,
    pub annotations: Vec<Value>,
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
        let all: Vec<Value> = findings.filter_map(annotation).collect();
        let mut summary = summary.to_string();
        let left_out = all.len().saturating_sub(MAX_ANNOTATIONS);
        let annotations: Vec<Value> = all.into_iter().take(MAX_ANNOTATIONS).collect();
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

    fn output(&self, annotations: &[Value]) -> Value {
        let mut o = json!({ "title": self.title, "summary": self.summary });
        if let Some(t) = &self.text {
            o["text"] = json!(truncate_markdown(t, OUTPUT_LIMIT));
        }
        if !annotations.is_empty() {
            o["annotations"] = json!(annotations);
        }
        o
    }
}

/// Creates a check run `in_progress` on `head_sha`; returns its id.
pub fn create_in_progress(client: &Client, repo: &str, name: &str, head_sha: &str) -> Result<u64, ApiError> {
    let body = json!({ "name": name, "head_sha": head_sha, "status": "in_progress", "external_id": "gatehouse" });
    let v = client.post(&format!("/repos/{repo}/check-runs"), &body)?;
    check_id(&v)
}

fn check_id(v: &Value) -> Result<u64, ApiError> {
    v.get("id").and_then(Value::as_u64).ok_or_else(|| ApiError::Decode {
        method: "POST",
        path: "check-runs".into(),
        message: "no `id` in the created check run".into(),
    })
}

/// Completes check run `id`: all but the last batch of annotations go in plain updates, the last
/// one with the conclusion, so the run is completed by the final request.
pub fn complete(client: &Client, repo: &str, id: u64, out: &CheckOutput) -> Result<(), ApiError> {
    let path = format!("/repos/{repo}/check-runs/{id}");
    let batches: Vec<&[Value]> = out.annotations.chunks(ANNOTATIONS_PER_REQUEST).collect();
    let (last, earlier) = match batches.split_last() {
        Some((l, e)) => (*l, e),
        None => (&[][..], &[][..]),
    };
    for batch in earlier {
        client.patch(&path, &json!({ "output": out.output(batch) }))?;
    }
    let body = json!({ "status": "completed", "conclusion": out.conclusion, "output": out.output(last) });
    client.patch(&path, &body)?;
    Ok(())
}

/// Creates an already completed check run (per-gate checks), annotations batched the same way.
pub fn create_completed(
    client: &Client,
    repo: &str,
    name: &str,
    head_sha: &str,
    out: &CheckOutput,
) -> Result<u64, ApiError> {
    let mut batches = out.annotations.chunks(ANNOTATIONS_PER_REQUEST);
    let first = batches.next().unwrap_or(&[]);
    let body = json!({
        "name": name,
        "head_sha": head_sha,
        "status": "completed",
        "conclusion": out.conclusion,
        "external_id": "gatehouse",
        "output": out.output(first),
    });
    let id = check_id(&client.post(&format!("/repos/{repo}/check-runs"), &body)?)?;
    for batch in batches {
        client.patch(&format!("/repos/{repo}/check-runs/{id}"), &json!({ "output": out.output(batch) }))?;
    }
    Ok(id)
}

/// The hidden marker that identifies Gatehouse's sticky comment for one check name.
pub fn comment_marker(check_name: &str) -> String {
    format!("<!-- gatehouse:sticky-comment {} -->", check_name.replace("--", "- -"))
}

/// Creates or updates the one PR comment carrying `marker`. Returns `updated`/`created`.
pub fn upsert_comment(
    client: &Client,
    repo: &str,
    number: u64,
    marker: &str,
    markdown: &str,
) -> Result<&'static str, ApiError> {
    // The body limit of a comment is 65536 characters; keep room for the marker.
    let body = format!("{marker}\n{}", truncate_markdown(markdown, OUTPUT_LIMIT - marker.len() - 1));
    let (comments, _) = client.get_all(&format!("/repos/{repo}/issues/{number}/comments"), 10_000)?;
    let existing = comments.iter().find(|c| c.get("body").and_then(Value::as_str).is_some_and(|b| b.contains(marker)));
    match existing.and_then(|c| c.get("id").and_then(Value::as_u64)) {
        Some(id) => {
            client.patch(&format!("/repos/{repo}/issues/comments/{id}"), &json!({ "body": body }))?;
            Ok("updated")
        }
        None => {
            client.post(&format!("/repos/{repo}/issues/{number}/comments"), &json!({ "body": body }))?;
            Ok("created")
        }
    }
}

/// Whether an existing sticky comment exists (to refresh it when a run passes under `on-failure`).
pub fn has_comment(client: &Client, repo: &str, number: u64, marker: &str) -> Result<bool, ApiError> {
    let (comments, _) = client.get_all(&format!("/repos/{repo}/issues/{number}/comments"), 10_000)?;
    Ok(comments.iter().any(|c| c.get("body").and_then(Value::as_str).is_some_and(|b| b.contains(marker))))
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
        assert_eq!(a["annotation_level"], "failure");
        assert_eq!((a["start_line"].as_u64(), a["start_column"].as_u64()), (Some(3), Some(1)));
        let f = RuleInfo::named("r.x", Severity::Notice).finding(Some(Location::file("a.rs")), "m", "");
        assert_eq!(annotation(&f).unwrap()["start_line"], 1);
        assert!(annotation(&RuleInfo::named("r.x", Severity::Notice).finding(None, "m", "")).is_none());
    }
}
