//! The `testability.coverage` gate: patch coverage (executable added lines covered by tests),
//! optional project coverage, uncovered ranges as annotations, unmapped report paths.

use super::coverage::paths::{Mapper, RepoFiles, Rewrite};
use super::coverage::{self, Coverage, Format};
use super::{PATCH_COVERAGE, PROJECT_COVERAGE, UNCOVERED, UNKNOWN_FILE, at};
use crate::core::matcher::Globs;
use crate::core::rule::infos;
use crate::core::{Block, Location, Metric, Table, Text};
use crate::core::{PolicyError, Settings};
use crate::gate::Context;
use crate::gates::{Gate, GateError, GateMeta, GateReport};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};

crate::core::settings::gate_config! {
    /// `[testability.coverage]`: patch coverage from coverage reports.
    pub struct CoverageConfig {
        /// Report files (relative to the repository root), merged: a line is covered when any
        /// report covers it. A string (format detected from the content) or `{ path, format }`.
        #[serde(default)]
        pub reports: Vec<ReportSpec>,
        /// Least percentage of executable added lines that must be covered (0-100).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub min_patch: Option<f64>,
        /// Least total line coverage of every file in the reports (0-100).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub min_project: Option<f64>,
        /// Rewrites of report path prefixes, tried in order (`{ from = "/home/runner/work/app/app/", to = "" }`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub path_map: Vec<PathMap>,
        /// Directories report paths may be relative to (`src/main/java` for JaCoCo).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub source_roots: Vec<String>,
        /// Repository paths left out of the coverage figures (generated code, vendored files).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub exclude: Vec<String>,
        /// Report a finding when a report names files that are not in the repository (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unknown_files: Option<bool>,
    }
}

/// A report file, with its format or with the format detected from the content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ReportSpec {
    Path(String),
    Table {
        path: String,
        /// `lcov`, `cobertura`, `jacoco`, `go` or `llvm-json`; detected when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        format: Option<Format>,
    },
}

impl ReportSpec {
    fn parts(&self) -> (&str, Option<Format>) {
        match self {
            ReportSpec::Path(p) => (p, None),
            ReportSpec::Table { path, format } => (path, *format),
        }
    }
}

/// One prefix rewrite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathMap {
    pub from: String,
    #[serde(default)]
    pub to: String,
}

pub struct CoverageGate {
    meta: GateMeta,
    reports: Vec<(String, Option<Format>)>,
    min_patch: Option<f64>,
    min_project: Option<f64>,
    rewrites: Vec<Rewrite>,
    source_roots: Vec<String>,
    exclude: Globs,
    unknown_files: bool,
}

impl CoverageGate {
    pub fn build(c: &CoverageConfig, settings: Settings) -> Result<Self, Vec<PolicyError>> {
        let mut errors = Vec::new();
        if c.reports.is_empty() {
            errors.push(PolicyError::at(at("coverage", &["reports"]), "list at least one coverage report file"));
        }
        for (i, r) in c.reports.iter().enumerate() {
            let p = r.parts().0;
            if p.is_empty() || p.starts_with('/') || p.split(['/', '\\']).any(|s| s == "..") {
                let mut k = at("coverage", &["reports"]);
                k.push(i.into());
                errors.push(PolicyError::at(k, format!("report path `{p}` must be relative to the repository root")));
            }
        }
        for (key, v) in [("min_patch", c.min_patch), ("min_project", c.min_project)] {
            if let Some(v) = v.filter(|v| !(0.0..=100.0).contains(v) || v.is_nan()) {
                errors.push(PolicyError::at(at("coverage", &[key]), format!("{v} is not a percentage (0 to 100)")));
            }
        }
        for (i, m) in c.path_map.iter().enumerate() {
            if m.from.is_empty() {
                let mut k = at("coverage", &["path_map"]);
                k.extend([i.into(), "from".into()]);
                errors.push(PolicyError::at(k, "`from` must not be empty"));
            }
        }
        let exclude = Globs::new(&c.exclude, &at("coverage", &["exclude"])).map_err(|e| errors.push(e)).ok();
        match exclude {
            Some(exclude) if errors.is_empty() => Ok(CoverageGate {
                meta: GateMeta::new(
                    "testability.coverage",
                    settings,
                    infos(&[&PATCH_COVERAGE, &UNCOVERED, &PROJECT_COVERAGE, &UNKNOWN_FILE]),
                ),
                reports: c.reports.iter().map(|r| (r.parts().0.to_string(), r.parts().1)).collect(),
                min_patch: c.min_patch,
                min_project: c.min_project,
                rewrites: c.path_map.iter().map(|m| Rewrite { from: m.from.clone(), to: m.to.clone() }).collect(),
                source_roots: c.source_roots.iter().map(|s| coverage::paths::normalise(s)).collect(),
                exclude,
                unknown_files: c.unknown_files.unwrap_or(true),
            }),
            _ => Err(errors),
        }
    }

    /// Opens and parses one report, streaming. Missing or corrupt → an input error naming it.
    fn read_report(
        &self,
        cx: &Context<'_>,
        path: &str,
        format: Option<Format>,
    ) -> Result<(Format, Coverage), GateError> {
        let input = |message: String| GateError::Input { path: path.to_string(), message };
        let full = cx.input_path(path)?.ok_or_else(|| {
            input("coverage report not found; produce it in an earlier CI step (or set `on_error = \"warn\"`)".into())
        })?;
        let file = std::fs::File::open(&full).map_err(|e| input(format!("cannot open: {e}")))?;
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let format = match format {
            Some(f) => f,
            None => {
                let head = reader.fill_buf().map_err(|e| input(format!("cannot read: {e}")))?;
                if head.is_empty() {
                    return Err(input("the coverage report is empty".into()));
                }
                coverage::sniff(head).ok_or_else(|| {
                    input("unknown coverage format (expected LCOV, Cobertura XML, JaCoCo XML, Go coverprofile or llvm-cov JSON); set `format`".into())
                })?
            }
        };
        let cov = coverage::parse(format, reader).map_err(|e| GateError::Input {
            path: if e.line > 0 { format!("{path}:{}", e.line) } else { path.to_string() },
            message: format!("corrupt {} report: {}", format.as_str(), e.message),
        })?;
        Ok((format, cov))
    }
}

/// Per changed file: executable added lines and which of them are uncovered.
#[derive(Debug, Default, Serialize)]
struct FileStats {
    covered: usize,
    total: usize,
    /// Uncovered added lines grouped into ranges `[start, end]`.
    uncovered: Vec<(u32, u32)>,
    /// The uncovered executable added lines themselves.
    missing: Vec<u32>,
}

/// Groups uncovered lines into ranges; two uncovered lines join when no executable line lies
/// between them (blank lines and comments in between do not split a range).
fn ranges(uncovered: &[u32], executable: &BTreeMap<u32, u64>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &l in uncovered {
        if let Some(last) = out.last_mut() {
            if l > last.1 && executable.range(last.1.saturating_add(1)..l).next().is_none() {
                last.1 = l;
                continue;
            }
        }
        out.push((l, l));
    }
    out
}

fn pct(covered: usize, total: usize) -> Option<f64> {
    (total > 0).then(|| covered as f64 * 100.0 / total as f64)
}

fn fmt_pct(p: Option<f64>) -> String {
    p.map(|p| format!("{:.2}%", (p * 100.0).floor() / 100.0)).unwrap_or_else(|| "n/a".into())
}

impl Gate for CoverageGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        // A plain directory (diff from a file, no git): only the changed files are known.
        let repo_files = match cx.head_paths()? {
            Some(paths) => RepoFiles::new(paths),
            None => RepoFiles::new(cx.changes.files.iter().filter(|f| f.exists_at_head()).map(|f| f.path.clone())),
        };
        // Reports merged: a line is covered when any report covers it.
        let mut merged = Coverage::default();
        let mut findings = Vec::new();
        let mut report_rows = Vec::new();
        for (path, format) in &self.reports {
            let (format, cov) = self.read_report(cx, path, *format)?;
            let mut roots = self.source_roots.clone();
            roots.extend(cov.sources.iter().cloned());
            let mapper = Mapper {
                rewrites: &self.rewrites,
                roots,
                repo_root: cx.repo.root().to_string_lossy().into_owned(),
                files: &repo_files,
            };
            let mut unknown = Vec::new();
            let n_files = cov.files.len();
            for (raw, lines) in cov.files {
                match mapper.resolve(&raw) {
                    Some(p) if self.exclude.matches(&p) => {}
                    Some(p) => {
                        for (l, h) in lines {
                            merged.add(&p, l, h);
                        }
                    }
                    None if self.exclude.matches(&coverage::paths::normalise(&raw)) => {}
                    None => unknown.push(raw),
                }
            }
            if self.unknown_files && !unknown.is_empty() {
                let r = &UNKNOWN_FILE;
                let shown: Vec<&str> = unknown.iter().take(5).map(String::as_str).collect();
                let more = if unknown.len() > 5 { format!(" and {} more", unknown.len() - 5) } else { String::new() };
                let msg = format!(
                    "`{path}` names {} file(s) that are not in the repository: {}{more}; their coverage is not counted",
                    unknown.len(),
                    shown.join(", ")
                );
                findings.push(r.finding(None, msg, path));
            }
            report_rows
                .push(json!({"path": path, "format": format.as_str(), "files": n_files, "unknown_files": unknown}));
        }

        // Patch coverage over the changed files the reports know.
        let mut per_file: BTreeMap<String, FileStats> = BTreeMap::new();
        for file in cx.changes.files.iter().filter(|f| f.exists_at_head() && !f.binary) {
            let Some(lines) = merged.files.get(&file.path) else { continue };
            let mut stats = FileStats::default();
            let mut uncovered = Vec::new();
            let mut texts: BTreeMap<u32, &str> = BTreeMap::new();
            for (n, text) in file.added_lines() {
                if let Some(h) = lines.get(&n) {
                    stats.total += 1;
                    if *h > 0 {
                        stats.covered += 1;
                    } else {
                        uncovered.push(n);
                        texts.insert(n, text);
                    }
                }
            }
            if stats.total == 0 {
                continue;
            }
            stats.uncovered = ranges(&uncovered, lines);
            stats.missing = uncovered;
            let r = &UNCOVERED;
            for &(s, e) in &stats.uncovered {
                let content: Vec<&str> = texts.range(s..=e).map(|(_, t)| *t).collect();
                let n = content.len();
                let what = if s == e { format!("line {s} is") } else { format!("lines {s}-{e} are") };
                let msg =
                    format!("added {what} not covered by tests ({n} executable line{})", if n == 1 { "" } else { "s" });
                findings.push(r.finding(Some(Location::lines(&file.path, s, e)), msg, &content.join("\n")));
            }
            per_file.insert(file.path.clone(), stats);
        }
        let covered: usize = per_file.values().map(|s| s.covered).sum();
        let total: usize = per_file.values().map(|s| s.total).sum();
        let patch = pct(covered, total);
        let p_covered: usize = merged.files.values().map(|l| l.values().filter(|h| **h > 0).count()).sum();
        let p_total: usize = merged.files.values().map(|l| l.len()).sum();
        let project = pct(p_covered, p_total);

        if let (Some(min), Some(p)) = (self.min_patch, patch) {
            if (covered as f64) * 100.0 < min * total as f64 {
                let r = &PATCH_COVERAGE;
                let msg = format!(
                    "patch coverage is {} ({covered} of {total} executable added lines); the policy requires {min}%",
                    fmt_pct(Some(p))
                );
                findings.push(r.finding(None, msg, "patch"));
            }
        }
        if let (Some(min), Some(p)) = (self.min_project, project) {
            if (p_covered as f64) * 100.0 < min * p_total as f64 {
                let r = &PROJECT_COVERAGE;
                let msg = format!(
                    "project coverage is {} ({p_covered} of {p_total} lines); the policy requires {min}%",
                    fmt_pct(Some(p))
                );
                findings.push(r.finding(None, msg, "project"));
            }
        }

        let mut metrics = vec![
            Metric { name: "patch_lines_covered".into(), value: covered as f64, unit: Some("lines".into()) },
            Metric { name: "patch_lines_total".into(), value: total as f64, unit: Some("lines".into()) },
        ];
        if let Some(p) = patch {
            metrics.push(Metric { name: "patch_coverage".into(), value: round2(p), unit: Some("%".into()) });
        }
        if let Some(p) = project {
            metrics.push(Metric { name: "project_coverage".into(), value: round2(p), unit: Some("%".into()) });
        }
        let summary = summary(&per_file, covered, total, patch, self.min_patch, project);
        let files_json: Vec<_> = per_file
            .iter()
            .map(|(p, s)| {
                json!({"path": p, "covered": s.covered, "total": s.total, "percent": pct(s.covered, s.total).map(round2),
                       "uncovered": s.uncovered.iter().map(|(a, b)| [a, b]).collect::<Vec<_>>(), "missing": s.missing})
            })
            .collect();
        let details = json!({
            "reports": report_rows,
            "patch": {"covered": covered, "total": total, "percent": patch.map(round2), "min": self.min_patch},
            "project": {"covered": p_covered, "total": p_total, "percent": project.map(round2), "min": self.min_project},
            "files": files_json,
        });
        Ok(GateReport { findings, metrics, summary, details: Some(details) })
    }
}

fn round2(p: f64) -> f64 {
    (p * 100.0).round() / 100.0
}

fn summary(
    per_file: &BTreeMap<String, FileStats>,
    covered: usize,
    total: usize,
    patch: Option<f64>,
    min: Option<f64>,
    project: Option<f64>,
) -> Vec<Block> {
    let mut out = Vec::new();
    if total == 0 {
        out.push(Text::plain("No executable added lines in the coverage reports.").into());
    } else {
        let min = min.map(|m| format!(" (required: {m}%)")).unwrap_or_default();
        out.push(
            Text::strong(format!("Patch coverage: {}", fmt_pct(patch)))
                .and(format!(" — {covered} of {total} executable added lines{min}"))
                .into(),
        );
    }
    if project.is_some() {
        out.push(Text::plain(format!("Project coverage: {}", fmt_pct(project))).into());
    }
    if !per_file.is_empty() {
        let mut table = Table::new(&["file", "covered", "executable added", "patch coverage", "uncovered lines"])
            .numeric(&["covered", "executable added", "patch coverage"]);
        for (p, st) in per_file {
            let unc: Vec<String> =
                st.uncovered.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
            table.row(vec![
                Text::code(p),
                Text::plain(st.covered.to_string()),
                Text::plain(st.total.to_string()),
                Text::plain(fmt_pct(pct(st.covered, st.total))),
                Text::plain(unc.join(", ")),
            ]);
        }
        out.push(table.into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_join_across_non_executable_lines() {
        let exe: BTreeMap<u32, u64> = [(1, 0), (2, 0), (5, 0), (6, 1), (7, 0), (9, 0)].into_iter().collect();
        assert_eq!(ranges(&[1, 2, 5, 7, 9], &exe), vec![(1, 5), (7, 9)]);
        assert_eq!(ranges(&[], &exe), vec![]);
    }

    #[test]
    fn percent_formatting_truncates() {
        assert_eq!(fmt_pct(pct(2, 3)), "66.66%");
        assert_eq!(fmt_pct(pct(0, 0)), "n/a");
    }
}
