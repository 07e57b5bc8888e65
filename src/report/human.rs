//! The terminal report: grouped by gate, worst first, with file:line and help.

use crate::core::{Block, Conclusion, Mode, Severity, Suppression, Table, Text, Verdict};
use crate::engine::Report;
use std::fmt::Write;

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }
    fn red(&self, s: &str) -> String {
        self.wrap("1;31", s)
    }
    fn green(&self, s: &str) -> String {
        self.wrap("1;32", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.wrap("1;33", s)
    }
    fn blue(&self, s: &str) -> String {
        self.wrap("1;34", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
}

pub fn render(report: &Report, color: bool) -> String {
    let p = Paint { on: color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} · base {} → head {}",
        p.bold("gatehouse"),
        report.tool_version,
        super::short(&report.base),
        super::short(&report.head)
    );
    let policy_at = match &report.policy.rev {
        Some(rev) => format!("{} at {} {}", report.policy.path, report.policy.from, &rev[..rev.len().min(10)]),
        None => format!("{} ({})", report.policy.path, report.policy.from),
    };
    let _ = writeln!(out, "policy {policy_at} · {}", p.dim(&report.policy.digest));
    let _ = writeln!(out, "{} files changed, +{} −{}", report.stats.files, report.stats.added, report.stats.removed);
    for n in &report.notices {
        let _ = writeln!(out, "{} {n}", p.blue("note:"));
    }
    out.push('\n');

    for g in &report.gates {
        let (mark, word) = match (g.conclusion, g.mode) {
            (Conclusion::Pass, _) => (p.green("✓"), p.green("pass")),
            (Conclusion::Skipped, _) => (p.dim("-"), p.dim("skipped")),
            (Conclusion::Fail, Mode::Block) => (p.red("✗"), p.red("FAIL")),
            (Conclusion::Fail, _) => (p.yellow("!"), p.yellow("fail (warn only)")),
            (Conclusion::Error, _) if g.blocks() => (p.red("✗"), p.red("ERROR")),
            (Conclusion::Error, _) => (p.yellow("!"), p.yellow("error (warn only)")),
        };
        let mut counts = format!("{} finding{}", g.findings.len(), if g.findings.len() == 1 { "" } else { "s" });
        if !g.suppressed.is_empty() {
            let _ = write!(counts, ", {} waived/suppressed", g.suppressed.len());
        }
        let _ = writeln!(out, "{mark} {}  {word}  {}", p.bold(&g.gate), p.dim(&format!("({counts})")));
        if let Some(e) = &g.error {
            let closed = if g.blocks() { " — failing closed" } else { "" };
            let _ = writeln!(out, "    {} {e}{closed}", p.red("could not run:"));
        }
        for f in &g.findings {
            let sev = match f.severity {
                Severity::Error => p.red("error"),
                Severity::Warning => p.yellow("warning"),
                Severity::Notice => p.blue("notice"),
            };
            let loc = f.location.as_ref().map(|l| {
                let mut s = l.display();
                if let (Some(c), Some(_)) = (l.start_col, l.start_line) {
                    if l.end_line == l.start_line {
                        let _ = write!(s, ":{c}");
                    }
                }
                s
            });
            let _ = writeln!(
                out,
                "    {sev}[{}] {}{}",
                f.rule,
                loc.map(|l| format!("{l}: ")).unwrap_or_default(),
                f.message
            );
            if !f.help.is_empty() {
                let _ = writeln!(out, "      {} {}", p.dim("help:"), p.dim(&f.help));
            }
        }
        for s in &g.suppressed {
            let loc = s.finding.location.as_ref().map(|l| l.display()).unwrap_or_else(|| "(pull request)".into());
            let why = match &s.by {
                Suppression::Waiver { index, reason, .. } => format!("waived by waiver #{}: {reason}", index + 1),
                Suppression::Inline { path, line, reason } => format!("allowed inline at {path}:{line}: {reason}"),
            };
            let _ = writeln!(out, "    {} [{}] {loc} — {why}", p.dim("waived"), s.finding.rule);
        }
        blocks(&mut out, &g.summary, &p);
        for m in &g.metrics {
            let _ = writeln!(
                out,
                "    {}",
                p.dim(&format!(
                    "{} = {}{}",
                    m.name,
                    fmt_num(m.value),
                    m.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default()
                ))
            );
        }
    }
    let used: Vec<_> = report.waivers.iter().filter(|w| w.used > 0).collect();
    if !used.is_empty() {
        let _ = writeln!(out, "\nwaivers applied:");
        for w in used {
            let until = w.expires.as_deref().map(|e| format!(", until {e}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  #{} {} — {} ({} finding{}{until})",
                w.index + 1,
                w.rule,
                w.reason,
                w.used,
                if w.used == 1 { "" } else { "s" }
            );
        }
    }
    out.push('\n');
    let failing: Vec<&str> = report.gates.iter().filter(|g| g.blocks()).map(|g| g.gate.as_str()).collect();
    let line = match report.verdict {
        Verdict::Pass => p.green("verdict: PASS"),
        Verdict::Fail => p.red(&format!("verdict: FAIL — blocking: {}", failing.join(", "))),
        Verdict::Error => p.red(&format!("verdict: ERROR — could not evaluate: {}", failing.join(", "))),
    };
    let _ = writeln!(out, "{line}");
    out
}

pub(crate) fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v:.2}") }
}

/// Table rows shown per table on a terminal; the Markdown and JSON reports have them all.
const MAX_ROWS: usize = 20;

/// A gate's summary blocks, indented under the gate: lines, and tables with aligned columns.
fn blocks(out: &mut String, blocks: &[Block], p: &Paint) {
    for b in blocks {
        match b {
            Block::Text(t) => {
                let _ = writeln!(out, "    {}", t.to_plain());
            }
            Block::Table(t) => table(out, t, p),
        }
    }
}

fn table(out: &mut String, t: &Table, p: &Paint) {
    if !t.title.is_empty() {
        let _ = writeln!(out, "    {}", p.bold(&t.title.to_plain()));
    }
    let plain = |c: &Text| if c.is_empty() { "-".to_string() } else { c.to_plain().replace('\n', " ") };
    let header: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    let rows: Vec<Vec<String>> = t.rows.iter().take(MAX_ROWS).map(|r| r.iter().map(plain).collect()).collect();
    let width = |i: usize| {
        std::iter::once(&header).chain(&rows).filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .zip(&t.columns)
            .map(|((c, w), col)| {
                let pad = " ".repeat(w.saturating_sub(c.chars().count()));
                if col.numeric { format!("{pad}{c}") } else { format!("{c}{pad}") }
            })
            .collect();
        format!("    {}", padded.join("  ").trim_end())
    };
    let _ = writeln!(out, "{}", p.dim(&line(&header)));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }
    if t.rows.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "    {}",
            p.dim(&format!("… {} more rows (see the Markdown or JSON report)", t.rows.len() - MAX_ROWS))
        );
    }
    for n in &t.notes {
        let _ = writeln!(out, "    {}", n.to_plain());
    }
}
