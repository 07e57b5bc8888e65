//! Dependency changes: dependencies added or upgraded by the pull request, read from manifests
//! and lockfiles at base and head (Cargo.toml/Cargo.lock, package.json/package-lock.json,
//! requirements*.txt, pyproject.toml, poetry.lock, go.mod). Checks deny/allow lists, a cap on
//! new dependencies, and an offline OSV advisory directory.

use crate::core::matcher::key;
use crate::core::{Block, Location, Metric, Rule, Severity, Table, Text};
use crate::core::{GateCommon, PolicyError, Seg};
use crate::gate::Context;
use crate::gates::Policy;
use crate::gates::{Gate, GateError, GateMeta, GateReport, RuleInfo};
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

crate::core::settings::gate_config! {
    /// `[security.dependencies]`: rules for dependencies the pull request adds or upgrades.
    pub struct Config {
        /// Names that must not be added or upgraded (`*` wildcards; `npm:left-pad` limits to one ecosystem).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub deny: Vec<String>,
        /// When set, new dependencies must match one of these names (same syntax as `deny`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub allow: Vec<String>,
        /// Most new dependencies (distinct names) one pull request may add.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max_new: Option<u64>,
        /// Directory of OSV JSON advisories (inside the repository) to check new versions against.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub advisories: Option<String>,
    }
}

pub const DENIED: Rule = Rule::new(
    "security.dependencies.denied",
    Severity::Error,
    "A dependency on the deny list is added or upgraded.",
    "Denied packages are known to be unmaintained, unsafe, or replaced by an approved alternative.",
    "Use the approved alternative, or change `security.dependencies.deny` in a reviewed policy change.",
);

pub const NOT_ALLOWED: Rule = Rule::new(
    "security.dependencies.not-allowed",
    Severity::Error,
    "A new dependency is not on the allow list.",
    "Every dependency is code you ship and must keep patched; the allow list records which ones were vetted.",
    "Vet the package and add it to `security.dependencies.allow`, or do without it.",
);

pub const TOO_MANY: Rule = Rule::new(
    "security.dependencies.too-many-new",
    Severity::Error,
    "The pull request adds more new dependencies than `security.dependencies.max_new` allows.",
    "Each new dependency widens the supply chain; many at once get little scrutiny.",
    "Split the change, or justify the dependencies and waive the finding with a reason.",
);

pub const VULNERABLE: Rule = Rule::new(
    "security.dependencies.vulnerable",
    Severity::Error,
    "A dependency version added by the pull request is affected by a known advisory (OSV).",
    "Shipping a version with a published vulnerability exposes users to a known, often exploited, flaw.",
    "Upgrade to a fixed version (see the advisory), or waive the advisory with a reason if the vulnerable code is unreachable.",
);

pub const UNREADABLE: Rule = Rule::new(
    "security.dependencies.unreadable-manifest",
    Severity::Error,
    "A changed manifest or lockfile could not be parsed, so its dependency changes are unknown.",
    "A dependency check that cannot read the manifest must not read as a pass.",
    "Fix the syntax of the file the finding names.",
);

/// Every rule this family declares.
pub const RULES: &[&Rule] = &[&DENIED, &NOT_ALLOWED, &TOO_MANY, &VULNERABLE, &UNREADABLE];

pub fn catalogue() -> Vec<RuleInfo> {
    crate::core::rule::infos(RULES)
}

/// One dependency: ecosystem (OSV names), name, and version (exact for lockfiles and pins,
/// the requirement text for manifests).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dep {
    pub ecosystem: &'static str,
    pub name: String,
    pub version: String,
    /// The version is exact (a lockfile entry or an `==`/`=` pin), so advisories can be checked.
    pub exact: bool,
}

/// Which parser reads `path`, by file name.
fn kind(path: &str) -> Option<Kind> {
    let name = path.rsplit('/').next().unwrap_or(path);
    Some(match name {
        "Cargo.toml" => Kind::CargoToml,
        "Cargo.lock" => Kind::CargoLock,
        "package.json" => Kind::PackageJson,
        "package-lock.json" | "npm-shrinkwrap.json" => Kind::PackageLock,
        "pyproject.toml" => Kind::Pyproject,
        "poetry.lock" => Kind::PoetryLock,
        "go.mod" => Kind::GoMod,
        n if n.starts_with("requirements") && n.ends_with(".txt") => Kind::Requirements,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    CargoToml,
    CargoLock,
    PackageJson,
    PackageLock,
    Requirements,
    Pyproject,
    PoetryLock,
    GoMod,
}

/// Parses a manifest or lockfile into its dependencies.
fn parse(kind: Kind, text: &str) -> Result<Vec<Dep>, String> {
    let mut out = Vec::new();
    match kind {
        Kind::CargoToml => {
            let v: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
            let mut tables: Vec<&toml::Value> = Vec::new();
            for t in ["dependencies", "dev-dependencies", "build-dependencies"] {
                tables.extend(v.get(t));
            }
            if let Some(ws) = v.get("workspace").and_then(|w| w.get("dependencies")) {
                tables.push(ws);
            }
            if let Some(targets) = v.get("target").and_then(|t| t.as_table()) {
                for t in targets.values() {
                    for k in ["dependencies", "dev-dependencies", "build-dependencies"] {
                        tables.extend(t.get(k));
                    }
                }
            }
            for table in tables.iter().filter_map(|t| t.as_table()) {
                for (name, spec) in table {
                    let (name, version) = match spec {
                        toml::Value::String(s) => (name.clone(), s.clone()),
                        toml::Value::Table(t) => {
                            let real = t.get("package").and_then(|p| p.as_str()).unwrap_or(name).to_string();
                            let ver = t
                                .get("version")
                                .and_then(|v| v.as_str())
                                .map(str::to_string)
                                .or_else(|| t.get("git").and_then(|g| g.as_str()).map(|g| format!("git:{g}")))
                                .or_else(|| t.get("path").and_then(|g| g.as_str()).map(|g| format!("path:{g}")))
                                .unwrap_or_else(|| "*".into());
                            (real, ver)
                        }
                        _ => continue,
                    };
                    let exact = version.starts_with('=') && !version.starts_with("==");
                    let version = if exact { version.trim_start_matches('=').trim().to_string() } else { version };
                    out.push(Dep { ecosystem: "crates.io", name, version, exact });
                }
            }
        }
        Kind::CargoLock | Kind::PoetryLock => {
            let v: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
            let eco = if kind == Kind::CargoLock { "crates.io" } else { "PyPI" };
            for p in v.get("package").and_then(|p| p.as_array()).into_iter().flatten() {
                let (Some(name), Some(version)) =
                    (p.get("name").and_then(|n| n.as_str()), p.get("version").and_then(|n| n.as_str()))
                else {
                    continue;
                };
                // Workspace members of a Cargo.lock have no source: they are not dependencies.
                if kind == Kind::CargoLock && p.get("source").is_none() {
                    continue;
                }
                let name = if eco == "PyPI" { pep503(name) } else { name.to_string() };
                out.push(Dep { ecosystem: eco, name, version: version.into(), exact: true });
            }
        }
        Kind::PackageJson => {
            let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            for t in ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] {
                for (name, spec) in v.get(t).and_then(Value::as_object).into_iter().flatten() {
                    let version = spec.as_str().unwrap_or("*").to_string();
                    let exact = is_exact_semver(&version);
                    out.push(Dep { ecosystem: "npm", name: name.clone(), version, exact });
                }
            }
        }
        Kind::PackageLock => {
            let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            if let Some(pkgs) = v.get("packages").and_then(Value::as_object) {
                for (path, p) in pkgs {
                    let Some(i) = path.rfind("node_modules/") else { continue };
                    let name = &path[i + "node_modules/".len()..];
                    if let Some(ver) = p.get("version").and_then(Value::as_str) {
                        out.push(Dep { ecosystem: "npm", name: name.into(), version: ver.into(), exact: true });
                    }
                }
            } else {
                fn walk(deps: &Value, out: &mut Vec<Dep>) {
                    for (name, p) in deps.as_object().into_iter().flatten() {
                        if let Some(ver) = p.get("version").and_then(Value::as_str) {
                            out.push(Dep { ecosystem: "npm", name: name.clone(), version: ver.into(), exact: true });
                        }
                        if let Some(d) = p.get("dependencies") {
                            walk(d, out);
                        }
                    }
                }
                if let Some(d) = v.get("dependencies") {
                    walk(d, &mut out);
                }
            }
        }
        Kind::Requirements => {
            for line in text.lines() {
                let line = line.split(" #").next().unwrap_or("").trim();
                if line.is_empty() || line.starts_with('#') || line.starts_with('-') || line.contains("://") {
                    continue;
                }
                out.extend(pep508(line));
            }
        }
        Kind::Pyproject => {
            let v: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
            let project = v.get("project");
            let mut reqs: Vec<&str> = Vec::new();
            for d in project.and_then(|p| p.get("dependencies")).and_then(|d| d.as_array()).into_iter().flatten() {
                reqs.extend(d.as_str());
            }
            for group in project
                .and_then(|p| p.get("optional-dependencies"))
                .and_then(|d| d.as_table())
                .into_iter()
                .flat_map(|t| t.values())
            {
                reqs.extend(group.as_array().into_iter().flatten().filter_map(|d| d.as_str()));
            }
            out.extend(reqs.into_iter().filter_map(pep508));
            let poetry = v.get("tool").and_then(|t| t.get("poetry"));
            let mut tables: Vec<&toml::Value> = Vec::new();
            if let Some(p) = poetry {
                tables.extend(p.get("dependencies"));
                tables.extend(p.get("dev-dependencies"));
                for g in p.get("group").and_then(|g| g.as_table()).into_iter().flat_map(|t| t.values()) {
                    tables.extend(g.get("dependencies"));
                }
            }
            for t in tables.iter().filter_map(|t| t.as_table()) {
                for (name, spec) in t {
                    if name == "python" {
                        continue;
                    }
                    let version = match spec {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Table(t) => t.get("version").and_then(|v| v.as_str()).unwrap_or("*").to_string(),
                        _ => "*".into(),
                    };
                    let exact = is_exact_semver(&version);
                    out.push(Dep { ecosystem: "PyPI", name: pep503(name), version, exact });
                }
            }
        }
        Kind::GoMod => {
            let mut in_block = false;
            for line in text.lines() {
                let line = line.split("//").next().unwrap_or("").trim();
                let spec = if in_block {
                    if line == ")" {
                        in_block = false;
                        continue;
                    }
                    line
                } else if line == "require (" || line.starts_with("require (") {
                    in_block = true;
                    continue;
                } else if let Some(rest) = line.strip_prefix("require ") {
                    rest.trim()
                } else {
                    continue;
                };
                let mut parts = spec.split_whitespace();
                if let (Some(name), Some(ver)) = (parts.next(), parts.next()) {
                    out.push(Dep { ecosystem: "Go", name: name.into(), version: ver.into(), exact: true });
                }
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// PEP 503 normalised name.
fn pep503(name: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A PEP 508 requirement line: `name[extra] (op version)[; marker]`.
fn pep508(line: &str) -> Option<Dep> {
    let line = line.split(';').next()?.trim();
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(line.len());
    let name = &line[..end];
    if name.is_empty() {
        return None;
    }
    let mut rest = line[end..].trim();
    if rest.starts_with('[') {
        rest = rest.split_once(']').map(|(_, r)| r.trim()).unwrap_or("");
    }
    let rest = rest.trim_start_matches('(').trim_end_matches(')').trim();
    let (version, exact) = match rest.strip_prefix("==") {
        Some(v) if !v.contains([',', '*']) => (v.trim().to_string(), true),
        _ => (if rest.is_empty() { "*".to_string() } else { rest.to_string() }, false),
    };
    Some(Dep { ecosystem: "PyPI", name: pep503(name), version, exact })
}

fn is_exact_semver(v: &str) -> bool {
    let v = v.trim().trim_start_matches('=').trim_start_matches('v');
    !v.is_empty()
        && v.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !v.contains([' ', '<', '>', '|', '*', 'x', '^', '~', ','])
}

/// Compares versions: numeric parts numerically, a pre-release (`-rc.1`, `1.0a1`, `.dev0`)
/// before its release, `.post` after it. Covers SemVer (crates.io, npm, Go) and the common
/// PEP 440 forms; build metadata (`+...`) and the Go `v` prefix are ignored.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let ta = tokens(a);
    let tb = tokens(b);
    let n = ta.len().max(tb.len());
    for i in 0..n {
        let x = ta.get(i).cloned().unwrap_or(Tok::Num(0));
        let y = tb.get(i).cloned().unwrap_or(Tok::Num(0));
        // Past the end of one version: a pre-release tag on the other sorts lower, numbers compare with 0.
        let o = match (ta.get(i), tb.get(i)) {
            (None, Some(Tok::Pre(_, _))) => Ordering::Greater,
            (Some(Tok::Pre(_, _)), None) => Ordering::Less,
            _ => x.cmp(&y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Tok {
    /// A pre-release: rank (dev < alpha < beta < rc < other), then the tag's number or text.
    Pre(u8, String),
    Num(u64),
    Post(u64),
}

fn tokens(v: &str) -> Vec<Tok> {
    let v = v.trim().trim_start_matches(['v', 'V', '=']);
    let v = v.split('+').next().unwrap_or(v);
    let mut out = Vec::new();
    let bytes: Vec<char> = v.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let s: String = bytes[start..i].iter().collect();
            out.push(Tok::Num(s.parse().unwrap_or(u64::MAX)));
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word: String = bytes[start..i].iter().collect::<String>().to_ascii_lowercase();
            let num_start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit() || bytes[i] == '.')
                && (bytes[i] != '.' || i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() && i == num_start)
            {
                i += 1;
            }
            let num: String = bytes[num_start..i].iter().filter(|c| c.is_ascii_digit()).collect();
            let num = format!("{:0>20}", num);
            match word.as_str() {
                "post" | "rev" | "r" => out.push(Tok::Post(num.parse().unwrap_or(0))),
                "dev" => out.push(Tok::Pre(0, num)),
                "a" | "alpha" => out.push(Tok::Pre(1, num)),
                "b" | "beta" => out.push(Tok::Pre(2, num)),
                "c" | "rc" | "pre" | "preview" => out.push(Tok::Pre(3, num)),
                _ => out.push(Tok::Pre(4, format!("{word}{num}"))),
            }
        } else {
            i += 1;
        }
    }
    // Trailing zeros do not change a release: 1.0 == 1.0.0.
    while matches!(out.last(), Some(Tok::Num(0))) && out.len() > 1 {
        out.pop();
    }
    out
}

/// One OSV advisory, reduced to what matching needs.
#[derive(Debug, Clone)]
pub struct Advisory {
    pub id: String,
    pub summary: String,
    pub affected: Vec<Affected>,
}

#[derive(Debug, Clone)]
pub struct Affected {
    pub ecosystem: String,
    pub name: String,
    pub versions: Vec<String>,
    /// Events of SEMVER/ECOSYSTEM ranges: (kind, version), kind in introduced/fixed/last_affected.
    pub ranges: Vec<Vec<(String, String)>>,
}

pub fn parse_osv(v: &Value) -> Option<Advisory> {
    let id = v.get("id")?.as_str()?.to_string();
    let summary = v.get("summary").and_then(Value::as_str).unwrap_or("").to_string();
    let mut affected = Vec::new();
    for a in v.get("affected").and_then(Value::as_array).into_iter().flatten() {
        let Some(pkg) = a.get("package") else { continue };
        let ecosystem = pkg.get("ecosystem").and_then(Value::as_str).unwrap_or("").to_string();
        let name = pkg.get("name").and_then(Value::as_str).unwrap_or("").to_string();
        let versions = a
            .get("versions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str())
            .map(String::from)
            .collect();
        let mut ranges = Vec::new();
        for r in a.get("ranges").and_then(Value::as_array).into_iter().flatten() {
            let ty = r.get("type").and_then(Value::as_str).unwrap_or("");
            if ty != "SEMVER" && ty != "ECOSYSTEM" {
                continue; // GIT ranges need commit history: not checkable offline from a manifest.
            }
            let events = r
                .get("events")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| {
                    e.as_object()?.iter().next().and_then(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                })
                .collect();
            ranges.push(events);
        }
        affected.push(Affected { ecosystem, name, versions, ranges });
    }
    Some(Advisory { id, summary, affected })
}

/// Whether `version` falls in the OSV events of one range (events sorted by version, as OSV
/// evaluates them: introduced opens, fixed closes before, last_affected closes after).
fn in_range(events: &[(String, String)], version: &str) -> bool {
    let mut sorted: Vec<&(String, String)> = events.iter().collect();
    sorted.sort_by(|a, b| {
        let zero = |v: &str| v == "0";
        match (zero(&a.1), zero(&b.1)) {
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => compare_versions(&a.1, &b.1),
        }
    });
    let mut affected = false;
    for (kind, v) in sorted {
        let cmp = if v == "0" { Ordering::Greater } else { compare_versions(version, v) };
        match kind.as_str() {
            "introduced" if cmp != Ordering::Less => affected = true,
            "fixed" | "limit" if cmp != Ordering::Less => affected = false,
            "last_affected" if cmp == Ordering::Greater => affected = false,
            _ => {}
        }
    }
    affected
}

impl Affected {
    pub fn matches(&self, dep: &Dep) -> bool {
        let same_name = if dep.ecosystem == "PyPI" { pep503(&self.name) == dep.name } else { self.name == dep.name };
        if !same_name || self.ecosystem.split(':').next() != Some(dep.ecosystem) {
            return false;
        }
        let v = dep.version.trim_start_matches('v');
        self.versions.iter().any(|x| compare_versions(x, v) == Ordering::Equal)
            || self.ranges.iter().any(|r| in_range(r, &dep.version))
    }
}

/// Whether a policy's ecosystem prefix (`npm`, `cargo`/`crates.io`, `pypi`, `go`) names `eco`.
fn ecosystem_is(prefix: &str, eco: &str) -> bool {
    prefix.eq_ignore_ascii_case(eco) || (prefix == "cargo" && eco == "crates.io")
}

/// `*` wildcard match, with an optional `ecosystem:` prefix on the pattern.
fn name_matches(pattern: &str, dep: &Dep) -> bool {
    let (eco, pat) = match pattern.split_once(':') {
        Some((e, p)) if !e.contains('*') && !e.contains('/') => (Some(e), p),
        _ => (None, pattern),
    };
    if eco.is_some_and(|e| !ecosystem_is(e, dep.ecosystem)) {
        return false;
    }
    let parts: Vec<&str> = pat.split('*').collect();
    let name = dep.name.as_str();
    if parts.len() == 1 {
        return pat == name;
    }
    let mut rest = name;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(p) else { return false };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            let Some(at) = rest.find(p) else { return false };
            rest = &rest[at + p.len()..];
        }
    }
    true
}

/// A change to one dependency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub dep: Dep,
    pub file: String,
    /// The version at base, when upgraded or changed.
    pub from: Option<String>,
}

/// Added and changed dependencies between base and head of one file.
pub fn diff(base: &[Dep], head: &[Dep], file: &str) -> Vec<Change> {
    let mut by_name: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for d in base {
        by_name.entry((d.ecosystem, d.name.as_str())).or_default().push(d.version.as_str());
    }
    let mut out = Vec::new();
    for d in head {
        match by_name.get(&(d.ecosystem, d.name.as_str())) {
            None => out.push(Change { dep: d.clone(), file: file.into(), from: None }),
            Some(old) if !old.contains(&d.version.as_str()) => {
                out.push(Change { dep: d.clone(), file: file.into(), from: Some(old.join(", ")) })
            }
            _ => {}
        }
    }
    out
}

struct DepsGate {
    meta: GateMeta,
    deny: Vec<String>,
    allow: Vec<String>,
    max_new: Option<u64>,
    advisories: Option<String>,
}

pub fn build(policy: &Policy, family: &super::Config) -> Result<Option<Box<dyn Gate>>, Vec<PolicyError>> {
    let Some(cfg) = &family.dependencies else { return Ok(None) };
    if let Some(dir) = &cfg.advisories {
        let ok = !dir.starts_with('/') && !dir.split('/').any(|c| c == "..");
        if !ok {
            let at = vec![Seg::from("security"), Seg::from("dependencies"), Seg::from("advisories")];
            return Err(vec![PolicyError::at(at, format!("`{dir}` must be a directory inside the repository"))]);
        }
    }
    for (list, name) in [(&cfg.deny, "deny"), (&cfg.allow, "allow")] {
        if let Some(i) = list.iter().position(|p| p.trim().is_empty()) {
            let at = vec![Seg::from("security"), Seg::from("dependencies"), Seg::from(name)];
            return Err(vec![PolicyError::at(key(&at, &[Seg::Index(i)]), "empty package name")]);
        }
    }
    let settings = super::settings(policy, family, Some(cfg.common()));
    let meta = GateMeta::new("security.dependencies", settings, catalogue());
    Ok(Some(Box::new(DepsGate {
        meta,
        deny: cfg.deny.clone(),
        allow: cfg.allow.clone(),
        max_new: cfg.max_new,
        advisories: cfg.advisories.clone(),
    })))
}

impl DepsGate {
    fn load_advisories(&self, cx: &Context<'_>) -> Result<Vec<Advisory>, GateError> {
        let Some(dir) = &self.advisories else { return Ok(Vec::new()) };
        let input = |message: String| GateError::Input { path: dir.clone(), message };
        let full = cx.repo.worktree_path(dir)?.ok_or_else(|| input("advisory directory not found".into()))?;
        let mut files = Vec::new();
        let mut stack = vec![full.clone()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| input(e.to_string()))?;
            for e in entries.flatten() {
                let p = e.path();
                let ft = e.file_type().map_err(|e| input(e.to_string()))?;
                if ft.is_dir() {
                    stack.push(p);
                } else if ft.is_file() && p.extension().is_some_and(|x| x == "json") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let mut out = Vec::new();
        for f in files {
            let rel = f.strip_prefix(cx.repo.root()).unwrap_or(&f).to_string_lossy().replace('\\', "/");
            let bytes = cx.input_file(&rel)?.unwrap_or_default();
            let v: Value = serde_json::from_slice(&bytes)
                .map_err(|e| GateError::Input { path: rel.clone(), message: format!("not an OSV JSON file: {e}") })?;
            let adv = parse_osv(&v)
                .ok_or_else(|| GateError::Input { path: rel.clone(), message: "OSV entry without `id`".into() })?;
            out.push(adv);
        }
        Ok(out)
    }
}

/// The head line of `file` that best places `dep`: a line with the name and the new version,
/// else one with the name followed within three lines by the version, else none.
fn place(text: &str, dep: &Dep) -> Option<u32> {
    let lines: Vec<&str> = text.lines().collect();
    let has_name = |l: &str| {
        l.match_indices(dep.name.as_str()).any(|(i, _)| {
            let before = l[..i].chars().next_back();
            let after = l[i + dep.name.len()..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'));
            edge(before) && edge(after)
        })
    };
    for (i, l) in lines.iter().enumerate() {
        if has_name(l) {
            for (j, m) in lines.iter().enumerate().skip(i).take(4) {
                if m.contains(dep.version.as_str()) {
                    return Some(j as u32 + 1);
                }
            }
        }
    }
    lines.iter().position(|l| has_name(l)).map(|i| i as u32 + 1)
}

impl Gate for DepsGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut findings = Vec::new();
        let mut changes: Vec<Change> = Vec::new();
        let mut heads: BTreeMap<String, String> = BTreeMap::new();
        for file in cx.changes.files.iter().filter(|f| f.exists_at_head() && !f.binary) {
            let Some(kind) = kind(&file.path) else { continue };
            let head_text = String::from_utf8_lossy(&cx.head_file(&file.path)?.unwrap_or_default()).into_owned();
            let base_text = match file.base_path() {
                Some(p) => match cx.base_file(p) {
                    Ok(b) => String::from_utf8_lossy(&b.unwrap_or_default()).into_owned(),
                    Err(e) => return Err(e.into()),
                },
                None => String::new(),
            };
            let parsed = |t: &str, at: &str| -> Result<Vec<Dep>, String> {
                if t.trim().is_empty() { Ok(Vec::new()) } else { parse(kind, t).map_err(|e| format!("{at}: {e}")) }
            };
            match (parsed(&base_text, "base"), parsed(&head_text, "head")) {
                (Ok(base), Ok(head)) => changes.extend(diff(&base, &head, &file.path)),
                (b, h) => {
                    let why = b.err().or(h.err()).unwrap_or_default();
                    findings.push(UNREADABLE.finding(
                        None,
                        format!("`{}` cannot be parsed ({why})", file.path),
                        &file.path,
                    ));
                }
            }
            heads.insert(file.path.clone(), head_text);
        }
        changes.sort();
        let advisories = self.load_advisories(cx)?;
        let finding = |rule: &Rule, c: &Change, msg: String, content: &str| {
            let line = heads.get(&c.file).and_then(|t| place(t, &c.dep));
            let file = cx.changes.file(&c.file);
            let loc = match line {
                Some(n) if file.is_some_and(|f| f.touches(n)) => Location::line(&c.file, n),
                _ => Location::file(&c.file),
            };
            rule.finding(Some(loc), msg, content)
        };
        let new_names: BTreeSet<(&str, &str)> =
            changes.iter().filter(|c| c.from.is_none()).map(|c| (c.dep.ecosystem, c.dep.name.as_str())).collect();
        for c in &changes {
            let what = match &c.from {
                None => format!("adds {} {} {}", c.dep.ecosystem, c.dep.name, c.dep.version),
                Some(f) => format!("changes {} {} from {f} to {}", c.dep.ecosystem, c.dep.name, c.dep.version),
            };
            let content = format!("{}:{}", c.dep.ecosystem, c.dep.name);
            if let Some(p) = self.deny.iter().find(|p| name_matches(p, &c.dep)) {
                findings.push(finding(
                    &DENIED,
                    c,
                    format!("`{}` {what}, which the deny list forbids (`{p}`)", c.file),
                    &content,
                ));
            }
            if c.from.is_none() && !self.allow.is_empty() && !self.allow.iter().any(|p| name_matches(p, &c.dep)) {
                findings.push(finding(
                    &NOT_ALLOWED,
                    c,
                    format!("`{}` {what}, which is not on the allow list", c.file),
                    &content,
                ));
            }
            if c.dep.exact {
                for a in &advisories {
                    if a.affected.iter().any(|x| x.matches(&c.dep)) {
                        let msg = format!(
                            "{} {} {} is affected by {}: {}",
                            c.dep.ecosystem, c.dep.name, c.dep.version, a.id, a.summary
                        );
                        findings.push(finding(&VULNERABLE, c, msg, &format!("{content}:{}", a.id)));
                    }
                }
            }
        }
        if let Some(max) = self.max_new.filter(|m| new_names.len() as u64 > *m) {
            let names: Vec<String> = new_names.iter().map(|(e, n)| format!("{n} ({e})")).collect();
            let msg = format!("{} new dependencies (max {max}): {}", names.len(), names.join(", "));
            findings.push(TOO_MANY.finding(None, msg, ""));
        }
        let mut summary = Vec::new();
        if !changes.is_empty() {
            let mut table = Table::new(&["Dependency", "Ecosystem", "Change", "File"]);
            for c in &changes {
                let change = match &c.from {
                    None => format!("added {}", c.dep.version),
                    Some(f) => format!("{f} → {}", c.dep.version),
                };
                table.row(vec![
                    Text::code(&c.dep.name),
                    Text::plain(c.dep.ecosystem),
                    Text::plain(change),
                    Text::code(&c.file),
                ]);
            }
            summary.push(Block::Table(table));
        }
        let details: Vec<Value> = changes
            .iter()
            .map(|c| {
                serde_json::json!({ "ecosystem": c.dep.ecosystem, "name": c.dep.name, "version": c.dep.version,
                    "from": c.from, "file": c.file })
            })
            .collect();
        let metrics = vec![
            Metric { name: "dependencies_new".into(), value: new_names.len() as f64, unit: None },
            Metric { name: "dependencies_changed".into(), value: changes.len() as f64, unit: None },
            Metric { name: "advisories_loaded".into(), value: advisories.len() as f64, unit: None },
        ];
        Ok(GateReport { findings, metrics, summary, details: Some(Value::Array(details)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(deps: &[Dep]) -> Vec<String> {
        deps.iter()
            .map(|d| format!("{}:{}@{}{}", d.ecosystem, d.name, d.version, if d.exact { "!" } else { "" }))
            .collect()
    }

    #[test]
    fn version_order_semver_pep440_go() {
        use Ordering::*;
        for (a, b, o) in [
            ("1.2.3", "1.2.10", Less),
            ("1.0.0-rc.1", "1.0.0", Less),
            ("1.0.0-alpha", "1.0.0-beta", Less),
            ("1.0", "1.0.0", Equal),
            ("v0.3.7", "0.3.8", Less),
            ("2.0.0a1", "2.0.0", Less),
            ("2.0.0.dev1", "2.0.0a1", Less),
            ("2.0.0.post1", "2.0.0", Greater),
            ("2.0.0rc2", "2.0.0rc10", Less),
            ("1.0.0+build", "1.0.0", Equal),
        ] {
            assert_eq!(compare_versions(a, b), o, "{a} vs {b}");
        }
    }

    #[test]
    fn osv_ranges() {
        let ev = |v: &[(&str, &str)]| v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let r = ev(&[("introduced", "0"), ("fixed", "1.2.5")]);
        assert!(in_range(&r, "1.2.4") && in_range(&r, "0.1.0") && !in_range(&r, "1.2.5") && !in_range(&r, "2.0.0"));
        let r = ev(&[("introduced", "1.0.0"), ("fixed", "1.0.3"), ("introduced", "2.0.0"), ("last_affected", "2.1.0")]);
        assert!(!in_range(&r, "0.9.0") && in_range(&r, "1.0.2") && !in_range(&r, "1.5.0"));
        assert!(in_range(&r, "2.1.0") && !in_range(&r, "2.1.1"));
    }

    #[test]
    fn manifests_and_lockfiles_parse() {
        let cargo = "[package]\nname='x'\n[dependencies]\nserde = \"1\"\nfoo = { version = \"=0.2.1\", package = \"real-foo\" }\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n";
        assert_eq!(
            names(&parse(Kind::CargoToml, cargo).unwrap()),
            vec!["crates.io:libc@0.2", "crates.io:real-foo@0.2.1!", "crates.io:serde@1"]
        );
        let lock = "version = 3\n[[package]]\nname = \"x\"\nversion = \"0.1.0\"\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        assert_eq!(names(&parse(Kind::CargoLock, lock).unwrap()), vec!["crates.io:serde@1.0.200!"]);
        let pj = r#"{"dependencies": {"left-pad": "1.3.0", "react": "^18.0.0"}, "devDependencies": {"jest": "~29"}}"#;
        assert_eq!(
            names(&parse(Kind::PackageJson, pj).unwrap()),
            vec!["npm:jest@~29", "npm:left-pad@1.3.0!", "npm:react@^18.0.0"]
        );
        let pl = r#"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1.0.0"}, "node_modules/a/node_modules/@s/b": {"version": "2.0.0"}}}"#;
        assert_eq!(names(&parse(Kind::PackageLock, pl).unwrap()), vec!["npm:@s/b@2.0.0!", "npm:a@1.0.0!"]);
        let req = "# c\nRequests[socks]==2.31.0 ; python_version>'3'\nflask>=2\n-r other.txt\nDjango_Rest.framework\n";
        assert_eq!(
            names(&parse(Kind::Requirements, req).unwrap()),
            vec!["PyPI:django-rest-framework@*", "PyPI:flask@>=2", "PyPI:requests@2.31.0!"]
        );
        let py = "[project]\ndependencies = [\"httpx==0.27.0\"]\n[tool.poetry.dependencies]\npython = \"^3.11\"\nPyYAML = \"6.0.1\"\n";
        assert_eq!(names(&parse(Kind::Pyproject, py).unwrap()), vec!["PyPI:httpx@0.27.0!", "PyPI:pyyaml@6.0.1!"]);
        let gomod = "module x\n\ngo 1.22\n\nrequire github.com/a/b v1.2.3\nrequire (\n\tgolang.org/x/net v0.17.0 // indirect\n)\n";
        assert_eq!(
            names(&parse(Kind::GoMod, gomod).unwrap()),
            vec!["Go:github.com/a/b@v1.2.3!", "Go:golang.org/x/net@v0.17.0!"]
        );
        assert!(parse(Kind::PackageJson, "{").is_err());
    }

    #[test]
    fn diff_wildcards_and_advisory_matching() {
        let d = |n: &str, v: &str| Dep { ecosystem: "npm", name: n.into(), version: v.into(), exact: true };
        let ch = diff(&[d("a", "1.0.0"), d("b", "1.0.0")], &[d("a", "1.0.0"), d("b", "1.1.0"), d("c", "2.0.0")], "p");
        let got: Vec<_> = ch.iter().map(|c| (c.dep.name.as_str(), c.from.as_deref())).collect();
        assert_eq!(got, vec![("b", Some("1.0.0")), ("c", None)]);
        assert!(name_matches("npm:left-*", &d("left-pad", "1")));
        assert!(!name_matches("cargo:left-*", &d("left-pad", "1")));
        assert!(name_matches("*pad", &d("left-pad", "1")) && !name_matches("pad", &d("left-pad", "1")));
        let osv = serde_json::json!({"id": "GHSA-x", "affected": [{"package": {"ecosystem": "npm", "name": "c"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.1"}]}]}]});
        let adv = parse_osv(&osv).unwrap();
        assert!(adv.affected[0].matches(&d("c", "2.0.0")));
        assert!(!adv.affected[0].matches(&d("c", "2.0.1")));
        assert!(!adv.affected[0].matches(&d("other", "2.0.0")));
    }
}
