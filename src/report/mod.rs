//! Reporters: one module per output format. All take the finished [`Report`] and return text.

pub mod human;
pub mod json;
pub mod markdown;
pub mod rules;
pub mod sarif;

use crate::engine::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped by gate, with file:line and help; coloured on a terminal.
    Human,
    /// The decision record.
    Json,
    /// The summary shown in the job summary and PR comment.
    Markdown,
    /// SARIF 2.1.0, for code scanning and other SARIF consumers.
    Sarif,
}

impl Format {
    /// Guesses the format from a file name (`report.json`, `gatehouse.sarif`, `summary.md`).
    pub fn from_extension(path: &str) -> Option<Format> {
        let ext = path.rsplit('.').next()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" | "log" => Some(Format::Human),
            _ => None,
        }
    }
}

pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => human::render(report, color),
        Format::Json => json::render(report),
        Format::Markdown => markdown::render(report),
        Format::Sarif => sarif::render(report),
    }
}

/// Short SHA for display.
pub(crate) fn short(rev: &crate::diff::Rev) -> String {
    match &rev.sha {
        Some(sha) => {
            let s: String = sha.chars().take(10).collect();
            if rev.name != *sha && !rev.name.is_empty() { format!("{s} ({})", rev.name) } else { s }
        }
        None => rev.name.clone(),
    }
}
