//! The summary tables: benchmarks (worst first) and sizes, as data for the reporters.

use super::config::CSize;
use super::evaluate::{PerformanceGate, Row, SizeRow};
use super::units::{Dim, format_value};
use super::{MAX_TABLE_ROWS, limit_pct, p_text, pct};
use crate::core::{Block, Table, Text};

pub(super) fn blocks(gate: &PerformanceGate, rows: &[Row], size_rows: &[(&CSize, SizeRow)]) -> Vec<Block> {
    let mut out = Vec::new();
    let conf = format!("{:.0}%", gate.confidence * 100.0);
    if !rows.is_empty() {
        let multi = gate.sources.len() > 1;
        let mut columns = vec!["benchmark"];
        if multi {
            columns.push("results");
        }
        columns.extend(["base", "head", "change", "p", "budget", "verdict"]);
        let title = Text::strong("Benchmarks")
            .and(format!(" (worst first; change with its {conf} confidence interval where samples exist)"));
        let mut table = Table::new(&columns).titled(title);
        for r in rows.iter().take(MAX_TABLE_ROWS) {
            let val = |v: Option<f64>| Text::opt(v.map(|v| format_value(v, r.dim)));
            let change = match (r.change, r.ci) {
                (Some(c), Some((lo, hi))) => Some(format!("{} ({} … {})", pct(c, true), pct(lo, true), pct(hi, true))),
                (Some(c), None) => Some(pct(c, true)),
                _ => None,
            };
            let mut cells = vec![Text::code(&r.name)];
            if multi {
                cells.push(Text::code(&r.source));
            }
            cells.extend([
                val(r.base),
                val(r.head),
                Text::opt(change),
                Text::opt(r.p.map(p_text)),
                Text::opt((!r.limits.is_empty()).then(|| r.limits.join(", "))),
                Text::plain(verdict_text(&r.verdict, r.failing())),
            ]);
            table.row(cells);
        }
        if rows.len() > MAX_TABLE_ROWS {
            table.note(format!(
                "…and {} more benchmarks (better ones; every row is in the JSON report's `details`).",
                rows.len() - MAX_TABLE_ROWS
            ));
        }
        out.push(table.into());
    }
    if !size_rows.is_empty() {
        let mut table =
            Table::new(&["files", "base", "head", "change", "budget", "verdict"]).titled(Text::strong("Sizes"));
        for (s, r) in size_rows {
            let bytes = |v: u64| format_value(v as f64, Dim::Bytes);
            let change = match r.base {
                Some(b) if b > 0 => Some(pct((r.head as f64 - b as f64) / b as f64, true)),
                _ => None,
            };
            let mut budget = Vec::new();
            if let Some((_, t)) = &s.max {
                budget.push(format!("≤ {t}"));
            }
            if let Some(g) = s.max_growth {
                budget.push(format!("Δ ≤ {}", limit_pct(g)));
            }
            let failing = r.verdict.iter().any(|v| matches!(*v, "over budget" | "grew too much"));
            let files = format!(
                " ({}, {} file{})",
                s.compression.as_str(),
                r.files.len(),
                if r.files.len() == 1 { "" } else { "s" }
            );
            table.row(vec![
                Text::code(&s.path).and(files),
                Text::opt(r.base.map(bytes)),
                Text::plain(bytes(r.head)),
                Text::opt(change),
                Text::plain(budget.join(", ")),
                Text::plain(verdict_text(&r.verdict, failing)),
            ]);
        }
        out.push(table.into());
    }
    out
}

fn verdict_text(verdict: &[&str], failing: bool) -> String {
    let icon = if failing {
        "❌"
    } else if verdict.iter().any(|v| *v != "ok" && *v != "within noise") {
        "⚠️"
    } else {
        "✅"
    };
    format!("{icon} {}", verdict.join(", "))
}
