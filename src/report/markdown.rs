//! The Markdown summary: what the job summary and the PR comment show.

use crate::core::{Block, Conclusion, Finding, Mode, Severity, Span, Suppression, Table, Text, Verdict};
use crate::engine::Report;
use std::fmt::Write;

/// Findings listed per gate before the rest is counted; keeps comments readable.
const MAX_ROWS_PER_GATE: usize = 50;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let (icon, word) = match report.verdict {
        Verdict::Pass => ("✅", "passed"),
        Verdict::Fail => ("❌", "failed"),
        Verdict::Error => ("⛔", "could not evaluate (failing closed)"),
    };
    let _ = writeln!(out, "## {icon} Gatehouse {word}\n");
    let _ = writeln!(
        out,
        "{} files changed, +{} −{} · base `{}` → head `{}`\n",
        report.stats.files,
        report.stats.added,
        report.stats.removed,
        super::short(&report.base),
        super::short(&report.head)
    );
    for n in &report.notices {
        let _ = writeln!(out, "> [!NOTE]\n> {}\n", cell(n));
    }
    let _ = writeln!(out, "| Gate | Mode | Result | Findings |\n|---|---|---|---|");
    for g in &report.gates {
        let result = match (g.conclusion, g.blocks()) {
            (Conclusion::Pass, _) => "✅ pass",
            (Conclusion::Skipped, _) => "⏭️ skipped",
            (Conclusion::Fail, true) => "❌ fail",
            (Conclusion::Fail, false) => "⚠️ fail (not blocking)",
            (Conclusion::Error, true) => "⛔ error",
            (Conclusion::Error, false) => "⚠️ error (not blocking)",
        };
        let mode = match g.mode {
            Mode::Block => "block",
            Mode::Warn => "warn",
            Mode::Off => "off",
        };
        let mut n = g.findings.len().to_string();
        if !g.suppressed.is_empty() {
            let _ = write!(n, " ({} waived)", g.suppressed.len());
        }
        let _ = writeln!(out, "| `{}` | {mode} | {result} | {n} |", g.gate);
    }
    out.push('\n');

    for g in &report.gates {
        if g.findings.is_empty() && g.error.is_none() && g.summary.is_empty() && g.suppressed.is_empty() {
            continue;
        }
        let open = if g.blocks() { " open" } else { "" };
        let _ = writeln!(out, "<details{open}><summary><b>{}</b>: {}</summary>\n", g.gate, g.conclusion.as_str());
        if let Some(e) = &g.error {
            let _ = writeln!(out, "The gate could not run: {}\n", cell(e));
        }
        if !g.findings.is_empty() {
            findings_table(&mut out, &g.findings);
        }
        if !g.suppressed.is_empty() {
            let _ = writeln!(out, "Waived or allowed:\n\n| Rule | Location | By | Reason |\n|---|---|---|---|");
            for s in &g.suppressed {
                let loc = s
                    .finding
                    .location
                    .as_ref()
                    .map(|l| format!("`{}`", cell(&l.display())))
                    .unwrap_or_else(|| "—".into());
                let (by, reason) = match &s.by {
                    Suppression::Waiver { index, reason, expires, .. } => (
                        format!(
                            "waiver #{}{}",
                            index + 1,
                            expires.as_deref().map(|e| format!(" (until {e})")).unwrap_or_default()
                        ),
                        reason.as_str(),
                    ),
                    Suppression::Inline { path, line, reason } => {
                        (format!("inline at `{}:{line}`", cell(path)), reason.as_str())
                    }
                };
                let _ = writeln!(out, "| `{}` | {loc} | {by} | {} |", s.finding.rule, cell(reason));
            }
            out.push('\n');
        }
        blocks(&mut out, &g.summary);
        let _ = writeln!(out, "</details>\n");
    }

    let expired: Vec<_> = report.waivers.iter().filter(|w| w.expired).collect();
    if !expired.is_empty() {
        let _ = writeln!(
            out,
            "**Expired waivers:** {}\n",
            expired.iter().map(|w| format!("#{} `{}`", w.index + 1, w.rule)).collect::<Vec<_>>().join(", ")
        );
    }
    let _ = writeln!(
        out,
        "<sub>Gatehouse {} · policy `{}` from {} · `{}`</sub>",
        report.tool_version, report.policy.path, report.policy.from, report.policy.digest
    );
    out
}

fn findings_table(out: &mut String, findings: &[Finding]) {
    let _ = writeln!(out, "| | Rule | Location | Message |\n|---|---|---|---|");
    for f in findings.iter().take(MAX_ROWS_PER_GATE) {
        let icon = match f.severity {
            Severity::Error => "❌",
            Severity::Warning => "⚠️",
            Severity::Notice => "ℹ️",
        };
        let loc = f.location.as_ref().map(|l| format!("`{}`", cell(&l.display()))).unwrap_or_else(|| "—".into());
        let help = if f.help.is_empty() { String::new() } else { format!("<br><sub>{}</sub>", cell(&f.help)) };
        let _ = writeln!(out, "| {icon} | `{}` | {loc} | {}{help} |", f.rule, cell(&f.message));
    }
    if findings.len() > MAX_ROWS_PER_GATE {
        let _ = writeln!(out, "\n… and {} more (see the JSON or SARIF report).", findings.len() - MAX_ROWS_PER_GATE);
    }
    out.push('\n');
}

/// A gate's summary blocks: lines of text, and tables with their title and notes.
pub fn blocks(out: &mut String, blocks: &[Block]) {
    for b in blocks {
        match b {
            Block::Text(t) => {
                let _ = writeln!(out, "{}\n", text(t));
            }
            Block::Table(t) => table(out, t),
        }
    }
}

fn table(out: &mut String, t: &Table) {
    if !t.title.is_empty() {
        let _ = writeln!(out, "{}\n", text(&t.title));
    }
    let names: Vec<String> = t.columns.iter().map(|c| cell(&c.name)).collect();
    let align: Vec<&str> = t.columns.iter().map(|c| if c.numeric { "---:" } else { "---" }).collect();
    let _ = writeln!(out, "| {} |\n|{}|", names.join(" | "), align.join("|"));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| if c.is_empty() { "—".to_string() } else { text(c) }).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    for n in &t.notes {
        let _ = writeln!(out, "\n{}", text(n));
    }
    out.push('\n');
}

/// Inline text as Markdown, safe inside a table cell.
pub fn text(t: &Text) -> String {
    t.0.iter()
        .map(|s| match s {
            Span::Plain(s) => cell(s),
            Span::Strong(s) => format!("**{}**", cell(s)),
            // Code spans show entities literally: only pipes (tables) and backticks need care.
            Span::Code(s) => format!("`{}`", s.replace('`', "'").replace('|', "\\|").replace(['\n', '\r'], " ")),
        })
        .collect()
}

/// Text made safe for one table cell: no pipes or newlines, no raw HTML.
pub fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
}
