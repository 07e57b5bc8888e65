//! SARIF 2.1.0: one run, rules with help text, results with stable fingerprints and
//! suppressions (waived findings are kept, marked as suppressed, as SARIF intends).

use crate::core::{Finding, Severity, Suppression};
use crate::engine::Report;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report)).expect("sarif serialises");
    s.push('\n');
    s
}

pub fn to_value(report: &Report) -> Value {
    // Rules: every rule that has a result, in id order, so `ruleIndex` is stable.
    let mut ids: Vec<&str> = report
        .gates
        .iter()
        .flat_map(|g| g.findings.iter().chain(g.suppressed.iter().map(|s| &s.finding)))
        .map(|f| f.rule.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<Value> = ids.iter().map(|id| rule(report, id)).collect();

    let mut results = Vec::new();
    for g in &report.gates {
        for f in &g.findings {
            results.push(result(f, index[f.rule.as_str()], None));
        }
        for s in &g.suppressed {
            results.push(result(&s.finding, index[s.finding.rule.as_str()], Some(&s.by)));
        }
    }
    let notifications: Vec<Value> = report
        .gates
        .iter()
        .filter_map(|g| g.error.as_ref().map(|e| (g, e)))
        .map(|(g, e)| json!({ "level": "error", "message": { "text": format!("gate `{}` could not run: {e}", g.gate) }, "descriptor": { "id": "gatehouse.gate-error" } }))
        .collect();
    // The gates' summary tables, as data (the same blocks as in the JSON record).
    let summaries: serde_json::Map<String, Value> = report
        .gates
        .iter()
        .filter(|g| !g.summary.is_empty())
        .map(|g| (g.gate.clone(), serde_json::to_value(&g.summary).unwrap_or_default()))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "Gatehouse",
                "semanticVersion": report.tool_version,
                "version": report.tool_version,
                "informationUri": "https://github.com/gatehouse-dev/gatehouse",
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": { "SRCROOT": { "description": { "text": "The repository root." } } },
            "results": results,
            "properties": {
                "summaries": summaries,
                "verdict": report.verdict.as_str(),
                "policyDigest": report.policy.digest,
                "base": report.base.sha,
                "head": report.head.sha,
            },
        }],
    })
}

fn rule(report: &Report, id: &str) -> Value {
    match report.rules.get(id) {
        Some(r) => json!({
            "id": r.id,
            "name": pascal(&r.id),
            "shortDescription": { "text": r.summary },
            "fullDescription": { "text": format!("{} {}", r.summary, r.why) },
            "help": { "text": r.fix, "markdown": format!("**Why:** {}\n\n**Fix:** {}", r.why, r.fix) },
            "defaultConfiguration": { "level": level(r.severity) },
        }),
        None => json!({ "id": id, "shortDescription": { "text": id } }),
    }
}

fn result(f: &Finding, rule_index: usize, by: Option<&Suppression>) -> Value {
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": f.message },
        "partialFingerprints": { "gatehouse/v1": f.fingerprint },
    });
    if let Some(loc) = &f.location {
        let mut region = serde_json::Map::new();
        if let Some(l) = loc.start_line {
            region.insert("startLine".into(), json!(l));
            region.insert("endLine".into(), json!(loc.end_line.unwrap_or(l)));
            if let (Some(sc), Some(ec)) = (loc.start_col, loc.end_col) {
                region.insert("startColumn".into(), json!(sc));
                region.insert("endColumn".into(), json!(ec.max(sc)));
            }
        }
        let mut physical = json!({ "artifactLocation": { "uri": uri(&loc.path), "uriBaseId": "SRCROOT" } });
        if !region.is_empty() {
            physical["region"] = Value::Object(region);
        }
        r["locations"] = json!([{ "physicalLocation": physical }]);
    }
    if let Some(by) = by {
        let (kind, justification) = match by {
            Suppression::Waiver { index, reason, .. } => ("external", format!("waiver #{}: {reason}", index + 1)),
            Suppression::Inline { reason, .. } => ("inSource", reason.clone()),
        };
        r["suppressions"] = json!([{ "kind": kind, "status": "accepted", "justification": justification }]);
    }
    r
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "note",
    }
}

/// A relative URI reference: percent-encode what is not allowed in a path segment.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'+'
            | b'@'
            | b'='
            | b','
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b';'
            | b':' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `security.secrets.aws-key` → `SecuritySecretsAwsKey` (SARIF's `name`).
fn pascal(id: &str) -> String {
    id.split(['.', '-', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_encoded() {
        assert_eq!(super::uri("src/a b/é.rs"), "src/a%20b/%C3%A9.rs");
        assert_eq!(super::pascal("patterns.no-dbg"), "PatternsNoDbg");
    }
}
