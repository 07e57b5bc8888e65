//! The fallback that needs no API: workflow commands on stdout (`::error file=…::message`), the
//! job summary (`$GITHUB_STEP_SUMMARY`) and step outputs (`$GITHUB_OUTPUT`).

use crate::core::{Finding, Severity};
use std::io::Write;
use std::path::Path;

/// GitHub shows at most 10 annotations of each level per step and 50 per job; more only clutter
/// the log, so the rest is counted.
pub const MAX_COMMANDS: usize = 50;

/// Escapes the message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`): also `:` and `,`, which end properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=src/a.rs,line=3,endLine=4,title=rule::message` for one finding.
pub fn command(f: &Finding) -> String {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    };
    let mut props = Vec::new();
    if let Some(l) = &f.location {
        props.push(format!("file={}", escape_property(&l.path)));
        if let Some(s) = l.start_line {
            props.push(format!("line={s}"));
            if let Some(e) = l.end_line {
                props.push(format!("endLine={e}"));
            }
            // Columns only mean something on a single line.
            if let (Some(c), Some(ec), true) = (l.start_col, l.end_col, l.end_line.is_none_or(|e| e == s)) {
                props.push(format!("col={c}"));
                props.push(format!("endColumn={ec}"));
            }
        }
    }
    props.push(format!("title={}", escape_property(&f.rule)));
    let mut message = f.message.clone();
    if !f.help.is_empty() {
        message.push_str("\n\n");
        message.push_str(&f.help);
    }
    format!("::{level} {}::{}", props.join(","), escape_data(&message))
}

/// The workflow commands for `findings` (at most [`MAX_COMMANDS`], then a notice with the count).
pub fn commands<'a>(findings: impl Iterator<Item = &'a Finding>) -> Vec<String> {
    let all: Vec<&Finding> = findings.collect();
    let mut out: Vec<String> = all.iter().take(MAX_COMMANDS).map(|f| command(f)).collect();
    if all.len() > MAX_COMMANDS {
        out.push(format!(
            "::notice title=gatehouse::{}",
            escape_data(&format!(
                "{} more findings are not shown as annotations; see the job summary and the JSON report.",
                all.len() - MAX_COMMANDS
            ))
        ));
    }
    out
}

/// A fresh token for `::stop-commands::<token>`: while it is in force the runner ignores
/// workflow commands, so repository text echoed by the human report (a finding quoting a line
/// that starts with `::`) cannot inject commands. `::<token>::` resumes them.
pub fn stop_token() -> String {
    use sha2::{Digest, Sha256};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut h = Sha256::new();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    h.update(now.as_nanos().to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_le_bytes());
    h.update((&h as *const Sha256 as usize).to_le_bytes());
    crate::core::finding::hex(&h.finalize()[..16])
}

/// Appends to a file GitHub gave us (`$GITHUB_STEP_SUMMARY`, `$GITHUB_OUTPUT`).
fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    f.write_all(text.as_bytes())
}

/// The job summary is limited to 1 MiB per step.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

pub fn write_step_summary(path: &Path, markdown: &str) -> std::io::Result<()> {
    let text = super::checks::truncate_markdown(markdown, STEP_SUMMARY_LIMIT - 1024);
    append(path, &format!("{text}\n"))
}

/// Writes `name=value` pairs to `$GITHUB_OUTPUT`; values with newlines use a heredoc delimiter
/// that does not occur in them.
pub fn write_outputs(path: &Path, pairs: &[(&str, String)]) -> std::io::Result<()> {
    let mut text = String::new();
    for (name, value) in pairs {
        if value.contains('\n') || value.contains('\r') {
            let mut delim = "ghadelimiter_gatehouse".to_string();
            while value.contains(&delim) {
                delim.push('_');
            }
            text.push_str(&format!("{name}<<{delim}\n{value}\n{delim}\n"));
        } else {
            text.push_str(&format!("{name}={value}\n"));
        }
    }
    append(path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{Location, RuleInfo};

    #[test]
    fn properties_and_data_are_escaped() {
        let f = RuleInfo::named("patterns.no-todo", Severity::Warning).finding(
            Some(Location::lines("dir,x/a:b%.rs", 3, 4)),
            "50% done\r\nnext line",
            "",
        );
        assert_eq!(
            command(&f),
            "::warning file=dir%2Cx/a%3Ab%25.rs,line=3,endLine=4,title=patterns.no-todo::50%25 done%0D%0Anext line"
        );
    }

    #[test]
    fn columns_only_on_one_line_and_file_only_findings() {
        let f =
            RuleInfo::named("r.x", Severity::Error).finding(Some(Location::line("a.rs", 7).with_cols(2, 5)), "m", "");
        assert_eq!(command(&f), "::error file=a.rs,line=7,endLine=7,col=2,endColumn=5,title=r.x::m");
        let f = RuleInfo::named("r.x", Severity::Notice).finding(None, "m", "").with_help("fix it");
        assert_eq!(command(&f), "::notice title=r.x::m%0A%0Afix it");
    }

    #[test]
    fn commands_are_capped_with_a_count() {
        let fs: Vec<Finding> = (0..60)
            .map(|i| RuleInfo::named("r.x", Severity::Error).finding(Some(Location::line("a", i + 1)), "m", ""))
            .collect();
        let out = commands(fs.iter());
        assert_eq!(out.len(), MAX_COMMANDS + 1);
        assert!(out.last().unwrap().contains("10 more findings"));
    }

    #[test]
    fn stop_tokens_are_fresh() {
        let (a, b) = (stop_token(), stop_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn outputs_use_heredoc_for_multiline_values() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out");
        write_outputs(&p, &[("verdict", "fail".into()), ("notes", "a\nb".into())]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "verdict=fail\nnotes<<ghadelimiter_gatehouse\na\nb\nghadelimiter_gatehouse\n"
        );
    }
}
