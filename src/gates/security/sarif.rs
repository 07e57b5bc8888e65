//! SARIF intake: results of other scanners (semgrep, CodeQL, trivy, clippy/cargo-audit
//! converters) from SARIF 2.1.0 files produced in earlier CI steps.
//!
//! Each result becomes a finding `security.sarif.<tool>.<ruleId>` (tool = the run's driver name,
//! lower-cased; both parts reduced to `[a-z0-9._-]`) at its repository-relative location; the
//! engine then keeps only those on changed lines. Levels map `error`→error, `warning`→warning,
//! `note`→notice (`none` is dropped). Duplicates (same tool, rule and `partialFingerprints` when
//! present, else same rule, location and message) are reported once.
//! Locations outside the repository are refused and counted.

use crate::core::matcher::key;
use crate::core::{Finding, Location, Metric, Rule, Severity};
use crate::core::{GateCommon, PolicyError, Scope, Seg};
use crate::gate::Context;
use crate::gates::Policy;
use crate::gates::{Gate, GateError, GateMeta, GateReport, RuleInfo};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Component, Path};

crate::core::settings::gate_config! {
    /// `[security.sarif]`: SARIF reports of other scanners to include in the verdict.
    pub struct Config {
        /// SARIF files, relative to the repository root (produced by earlier CI steps).
        pub reports: Vec<String>,
        /// Lowest level kept: `error`, `warning` (default) or `note`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub min_level: Option<Severity>,
        /// Missing report files: `error` (default, fail closed) or `ignore`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub missing: Option<Missing>,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    Error,
    Ignore,
}

pub const SARIF: Rule = Rule::new(
    "security.sarif",
    Severity::Warning,
    "A result of another scanner (from a SARIF report) on a changed line; ids are `security.sarif.<tool>.<ruleId>`.",
    "Scanners that run in earlier CI steps report the whole repository; the gate keeps what this pull request introduced, so their results can block merges without drowning reviewers in old findings.",
    "Fix the code the scanner points at, or waive `security.sarif.<tool>.<ruleId>` (or the whole tool, `security.sarif.<tool>`) with a reason.",
);

/// Every rule this family declares.
pub const RULES: &[&Rule] = &[&SARIF];

pub fn catalogue() -> Vec<RuleInfo> {
    crate::core::rule::infos(RULES)
}

struct SarifGate {
    meta: GateMeta,
    reports: Vec<String>,
    min_level: Severity,
    missing: Missing,
}

pub fn build(policy: &Policy, family: &super::Config) -> Result<Option<Box<dyn Gate>>, Vec<PolicyError>> {
    let Some(cfg) = &family.sarif else { return Ok(None) };
    let at = vec![Seg::from("security"), Seg::from("sarif"), Seg::from("reports")];
    if cfg.reports.is_empty() {
        return Err(vec![PolicyError::at(at, "list at least one SARIF file")]);
    }
    for (i, r) in cfg.reports.iter().enumerate() {
        if relative(r).is_none() {
            return Err(vec![PolicyError::at(
                key(&at, &[Seg::Index(i)]),
                format!("`{r}` must be a path inside the repository (relative, no `..`)"),
            )]);
        }
    }
    let settings = super::settings(policy, family, Some(cfg.common()));
    Ok(Some(Box::new(SarifGate {
        meta: GateMeta::new("security.sarif", settings, catalogue()),
        reports: cfg.reports.clone(),
        min_level: cfg.min_level.unwrap_or(Severity::Warning),
        missing: cfg.missing.unwrap_or(Missing::Error),
    })))
}

/// A normalised repository-relative path, or `None` if it is absolute or escapes with `..`.
fn relative(p: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in Path::new(p).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    if parts.is_empty() { None } else { Some(parts.join("/")) }
}

/// What one SARIF file yielded.
#[derive(Debug, Default)]
pub struct Intake {
    pub findings: Vec<Finding>,
    pub tools: BTreeSet<String>,
    pub results: usize,
    pub duplicates: usize,
    pub below_level: usize,
    pub refused: Vec<String>,
    pub without_location: usize,
}

/// Reduces a name to `[a-z0-9._-]` (tool names lower-cased, rule ids keep their case).
fn slug(s: &str, lower: bool) -> String {
    let s: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' }).collect();
    let s = s.trim_matches('-').to_string();
    let s = if lower { s.to_ascii_lowercase() } else { s };
    if s.is_empty() { "unknown".into() } else { s }
}

fn level(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "note" => Some(Severity::Notice),
        _ => None,
    }
}

/// Turns the result's artifact location into a repository-relative path. `root` is the
/// repository's absolute path; `bases` the run's `originalUriBaseIds`.
fn repo_path(uri: &str, base_id: Option<&str>, bases: &Value, root: &Path) -> Result<String, String> {
    let uri_decoded = crate::text::percent_decode(uri);
    let absolute = |p: &str| -> Result<String, String> {
        let path = Path::new(p);
        let rel = path.strip_prefix(root).map_err(|_| format!("{p} is outside the repository"))?;
        relative(&rel.to_string_lossy()).ok_or_else(|| format!("{p} is outside the repository"))
    };
    if let Some(rest) = uri_decoded.strip_prefix("file://") {
        // file:///abs/path or file://localhost/abs/path; another host is not this checkout.
        let p = match rest.strip_prefix("localhost") {
            Some(p) if p.starts_with('/') => p.to_string(),
            _ if rest.starts_with('/') => rest.to_string(),
            _ => return Err(format!("{uri} is on another host")),
        };
        return absolute(&p);
    }
    if uri_decoded.contains("://") {
        return Err(format!("{uri} is not a file in the repository"));
    }
    if uri_decoded.starts_with('/') {
        return absolute(&uri_decoded);
    }
    let mut joined = uri_decoded.clone();
    if let Some(id) = base_id {
        if let Some(base) = bases.get(id).and_then(|b| b.get("uri")).and_then(Value::as_str) {
            let base = crate::text::percent_decode(base);
            let base = if base.ends_with('/') { base } else { format!("{base}/") };
            if let Some(abs) = base.strip_prefix("file://") {
                let abs = if abs.starts_with('/') { abs.to_string() } else { format!("/{abs}") };
                return absolute(&format!("{abs}{uri_decoded}"));
            }
            joined = format!("{base}{uri_decoded}");
        }
    }
    relative(&joined).ok_or_else(|| format!("{uri} is outside the repository"))
}

fn first_str<'v>(v: &'v Value, ptrs: &[&str]) -> Option<&'v str> {
    ptrs.iter().find_map(|p| v.pointer(p).and_then(Value::as_str))
}

/// Reads one SARIF document.
pub fn intake(
    doc: &Value,
    root: &Path,
    min_level: Severity,
    keep_unlocated: bool,
    out: &mut Intake,
) -> Result<(), String> {
    let version = doc.get("version").and_then(Value::as_str).unwrap_or("");
    if version != "2.1.0" {
        return Err(format!("not SARIF 2.1.0 (version `{version}`)"));
    }
    let runs = doc.get("runs").and_then(Value::as_array).ok_or("no `runs` array")?;
    let mut seen = BTreeSet::new();
    for run in runs {
        let tool_name = first_str(run, &["/tool/driver/name"]).unwrap_or("unknown");
        let tool = slug(tool_name, true);
        out.tools.insert(tool.clone());
        let rules = run.pointer("/tool/driver/rules").and_then(Value::as_array).cloned().unwrap_or_default();
        let bases = run.get("originalUriBaseIds").cloned().unwrap_or(Value::Null);
        let Some(results) = run.get("results").and_then(Value::as_array) else { continue };
        for r in results {
            out.results += 1;
            let rule_index = r.get("ruleIndex").or_else(|| r.pointer("/rule/index")).and_then(Value::as_u64);
            let rule_def = rule_index.and_then(|i| rules.get(i as usize));
            let rule_id = first_str(r, &["/ruleId", "/rule/id"])
                .or_else(|| rule_def.and_then(|d| d.get("id")).and_then(Value::as_str))
                .unwrap_or("result");
            let rule_def =
                rule_def.or_else(|| rules.iter().find(|d| d.get("id").and_then(Value::as_str) == Some(rule_id)));
            let lvl = r
                .get("level")
                .and_then(Value::as_str)
                .or_else(|| rule_def.and_then(|d| d.pointer("/defaultConfiguration/level")).and_then(Value::as_str))
                .unwrap_or("warning");
            let Some(severity) = level(lvl) else {
                out.below_level += 1;
                continue;
            };
            if severity < min_level {
                out.below_level += 1;
                continue;
            }
            let text = first_str(r, &["/message/text", "/message/markdown"])
                .or_else(|| rule_def.and_then(|d| first_str(d, &["/shortDescription/text", "/fullDescription/text"])))
                .unwrap_or("")
                .trim();
            let text: String = text.lines().next().unwrap_or("").chars().take(400).collect();
            let phys = r.pointer("/locations/0/physicalLocation");
            let location = match phys.and_then(|p| p.pointer("/artifactLocation/uri")).and_then(Value::as_str) {
                None => None,
                Some(uri) => {
                    let base_id = phys.and_then(|p| p.pointer("/artifactLocation/uriBaseId")).and_then(Value::as_str);
                    match repo_path(uri, base_id, &bases, root) {
                        Ok(path) => {
                            let region = phys.and_then(|p| p.get("region"));
                            let num = |k: &str| region.and_then(|g| g.get(k)).and_then(Value::as_u64).map(|n| n as u32);
                            Some(match num("startLine") {
                                Some(s) => {
                                    let mut l = Location::lines(path, s, num("endLine").unwrap_or(s));
                                    if let (Some(c), Some(e)) = (num("startColumn"), num("endColumn")) {
                                        l = l.with_cols(c, e);
                                    }
                                    l
                                }
                                None => Location::file(path),
                            })
                        }
                        Err(why) => {
                            out.refused.push(format!("{tool}: {why}"));
                            continue;
                        }
                    }
                }
            };
            if location.is_none() && !keep_unlocated {
                out.without_location += 1;
                continue;
            }
            // `partialFingerprints` identify a result across runs and line moves (CodeQL's
            // `primaryLocationLineHash`). `fingerprints` are not used: some tools fill them with a
            // constant (Semgrep OSS: "requires login").
            let fingerprint = r.get("partialFingerprints").and_then(Value::as_object).and_then(|obj| {
                let mut kv: Vec<_> = obj.iter().filter_map(|(k, v)| v.as_str().map(|v| format!("{k}={v}"))).collect();
                kv.sort();
                (!kv.is_empty()).then(|| kv.join(";"))
            });
            let id = format!("security.sarif.{tool}.{}", slug(rule_id, false));
            let place = location
                .as_ref()
                .map(|l| format!("{}:{}:{}", l.path, l.start_line.unwrap_or(0), l.start_col.unwrap_or(0)));
            let snippet = phys.and_then(|p| p.pointer("/region/snippet/text")).and_then(Value::as_str).unwrap_or("");
            // Without a partial fingerprint the content is the message and the flagged code, so the
            // fingerprint still survives line moves.
            let content = fingerprint.clone().unwrap_or_else(|| format!("{text}\n{snippet}"));
            let help = rule_def
                .and_then(|d| first_str(d, &["/help/text", "/fullDescription/text"]))
                .map(|h| h.chars().take(600).collect::<String>())
                .unwrap_or_else(|| format!("See the {tool_name} documentation for `{rule_id}`."));
            // The tool's rule, made from the report's data.
            let rule = RuleInfo::new(&id, severity, text.clone(), String::new(), help);
            let f = rule.finding(location, format!("{tool_name} `{rule_id}`: {text}"), &content);
            let dedup = match &fingerprint {
                Some(fp) => format!("{id}\0{fp}"),
                None => format!("{id}\0{}\0{text}", place.unwrap_or_default()),
            };
            if !seen.insert(dedup) {
                out.duplicates += 1;
                continue;
            }
            out.findings.push(f);
        }
    }
    Ok(())
}

impl Gate for SarifGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut out = Intake::default();
        let mut missing = Vec::new();
        for path in &self.reports {
            let Some(bytes) = cx.input_file(path)? else {
                if self.missing == Missing::Error {
                    return Err(GateError::Input {
                        path: path.clone(),
                        message:
                            "SARIF report not found (produce it in an earlier step, or set `missing = \"ignore\"`)"
                                .into(),
                    });
                }
                missing.push(path.clone());
                continue;
            };
            let doc: Value = serde_json::from_slice(&bytes)
                .map_err(|e| GateError::Input { path: path.clone(), message: format!("not valid JSON: {e}") })?;
            intake(&doc, cx.repo.root(), self.min_level, self.meta.settings.scope == Scope::All, &mut out)
                .map_err(|message| GateError::Input { path: path.clone(), message })?;
        }
        let dedup_before = out.findings.len();
        let metric = |name: &str, v: usize| Metric { name: name.into(), value: v as f64, unit: None };
        let metrics = vec![
            metric("sarif_results", out.results),
            metric("sarif_duplicates", out.duplicates),
            metric("sarif_below_min_level", out.below_level),
            metric("sarif_refused_paths", out.refused.len()),
            metric("sarif_without_location", out.without_location),
        ];
        out.refused.sort();
        let details = serde_json::json!({
            "tools": out.tools,
            "reports": self.reports,
            "missing": missing,
            "results": out.results,
            "kept": dedup_before,
            "duplicates": out.duplicates,
            "refused": out.refused,
        });
        Ok(GateReport { findings: out.findings, metrics, summary: Vec::new(), details: Some(details) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn uris_map_to_repository_paths_and_escapes_are_refused() {
        let root = Path::new("/repo");
        let bases = json!({ "SRCROOT": { "uri": "file:///repo/" }, "SUB": { "uri": "src/" } });
        assert_eq!(repo_path("src/a.py", None, &bases, root).unwrap(), "src/a.py");
        assert_eq!(repo_path("./src/a%20b.py", None, &bases, root).unwrap(), "src/a b.py");
        assert_eq!(repo_path("file:///repo/src/a.py", None, &bases, root).unwrap(), "src/a.py");
        assert_eq!(repo_path("a.py", Some("SRCROOT"), &bases, root).unwrap(), "a.py");
        assert_eq!(repo_path("a.py", Some("SUB"), &bases, root).unwrap(), "src/a.py");
        assert!(repo_path("../etc/passwd", None, &bases, root).is_err());
        assert!(repo_path("file:///etc/passwd", None, &bases, root).is_err());
        assert!(repo_path("/etc/passwd", None, &bases, root).is_err());
        assert!(repo_path("https://example.com/x", None, &bases, root).is_err());
        assert!(repo_path("file:///repo/../etc/passwd", None, &bases, root).is_err());
    }

    #[test]
    fn levels_rule_defaults_and_dedup() {
        let doc = json!({
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": { "name": "Semgrep OSS", "rules": [
                    { "id": "py.eval", "defaultConfiguration": { "level": "error" } },
                    { "id": "py.note", "defaultConfiguration": { "level": "note" } }
                ]}},
                "results": [
                    { "ruleId": "py.eval", "message": { "text": "eval" }, "partialFingerprints": { "h": "1" },
                      "locations": [{ "physicalLocation": { "artifactLocation": { "uri": "a.py" }, "region": { "startLine": 3 } } }] },
                    { "ruleId": "py.eval", "message": { "text": "eval" }, "partialFingerprints": { "h": "1" },
                      "locations": [{ "physicalLocation": { "artifactLocation": { "uri": "a.py" }, "region": { "startLine": 9 } } }] },
                    { "ruleIndex": 1, "message": { "text": "fyi" },
                      "locations": [{ "physicalLocation": { "artifactLocation": { "uri": "a.py" }, "region": { "startLine": 4 } } }] },
                    { "ruleId": "py.eval", "level": "warning", "message": { "text": "no place" } },
                    { "ruleId": "py.eval", "message": { "text": "outside" },
                      "locations": [{ "physicalLocation": { "artifactLocation": { "uri": "../x.py" } } }] }
                ]
            }]
        });
        let mut out = Intake::default();
        intake(&doc, Path::new("/repo"), Severity::Warning, false, &mut out).unwrap();
        let got: Vec<_> = out.findings.iter().map(|f| (f.rule.as_str(), f.severity)).collect();
        assert_eq!(got, vec![("security.sarif.semgrep-oss.py.eval", Severity::Error)]);
        assert_eq!((out.duplicates, out.below_level, out.without_location, out.refused.len()), (1, 1, 1, 1));
        assert!(out.findings[0].message.starts_with("Semgrep OSS `py.eval`"));
        assert!(intake(&json!({"version": "2.0.0"}), Path::new("/"), Severity::Notice, false, &mut out).is_err());
    }
}
