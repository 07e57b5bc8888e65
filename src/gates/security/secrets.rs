//! Secrets in added lines. Rules are data (`gates/secrets.toml`, extendable and overridable in
//! the policy): a regex whose capture group is the secret, keywords for an Aho-Corasick
//! pre-filter (no regex runs on a line without one of its rule's keywords), a minimum Shannon
//! entropy, allow regexes, stop-words and an optional checksum.
//!
//! The secret never leaves this module: messages show a redacted form, and the fingerprint is
//! computed from a hash of the secret (so a waiver covers that one value and nothing else).

use crate::core::matcher::{Globs, PathFilter, key, regex};
use crate::core::{Finding, Location, Metric, Severity};
use crate::core::{GateCommon, PolicyError, Scope, Seg};
use crate::diff::LineKind;
use crate::gate::Context;
use crate::gates::Policy;
use crate::gates::{Gate, GateError, GateMeta, GateReport, RuleInfo};
use aho_corasick::AhoCorasick;
use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const PACK_FILE: &str = "gates/secrets.toml";
const PACK: &str = include_str!("../../../gates/secrets.toml");

crate::core::settings::gate_config! {
    /// `[security.secrets]`: the built-in secret rules plus the policy's own.
    pub struct Config {
        /// Use the built-in pack `gates/secrets.toml` (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub builtin: Option<bool>,
        /// More rules; a rule with a built-in id replaces the built-in one.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub rules: Vec<SecretRule>,
        /// Built-in rule ids to switch off (without the `security.secrets.` prefix).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub disable: Vec<String>,
        /// Path globs never scanned for secrets (fixtures with fake keys...).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub allow_paths: Vec<String>,
        /// Regexes: a secret matching one of them is not reported.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub allow: Vec<String>,
        /// Words (case-insensitive): a secret containing one is a placeholder, not reported.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub stop_words: Vec<String>,
    }
}

/// One secret rule, as written in `gates/secrets.toml` or in `[[security.secrets.rules]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretRule {
    /// Short kebab-case id; findings carry `security.secrets.<id>`.
    pub id: String,
    /// What was found, e.g. "GitHub personal access token".
    pub description: String,
    /// Rust regex matched against one line; capture group `secret_group` is the secret.
    pub pattern: String,
    /// Which capture group holds the secret (default 1 when the pattern has groups, else 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_group: Option<usize>,
    /// Case-insensitive words, one of which must be on the line before the regex runs.
    pub keywords: Vec<String>,
    /// Minimum Shannon entropy of the secret in bits per character (e.g. 3.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entropy: Option<f64>,
    /// Regexes: a secret matching one is not reported (e.g. identifiers, env references).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// Path globs the rule applies to; empty means every file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Path globs excluded from `paths`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// A checksum the secret must carry: `github-crc32` (GitHub token format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<Checksum>,
    /// Regex the text after the match (or else the next added line) must match; that text is
    /// then the secret (private key blocks: the header is not secret, the body is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// `error` (default), `warning` or `notice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// How to fix it (default: rotate and remove).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Checksum {
    /// The last 6 characters are the base62 CRC32 of the token body (after the `_` prefix).
    GithubCrc32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(default)]
    stop_words: Vec<String>,
    #[serde(default)]
    allow_paths: Vec<String>,
    rule: Vec<SecretRule>,
}

fn pack() -> Result<PackFile, PolicyError> {
    toml::from_str(PACK).map_err(|e| PolicyError::in_file(PACK_FILE, e.to_string()))
}

const DEFAULT_HELP: &str = "Treat the secret as leaked: revoke or rotate it now, remove it from the change \
     (and from history if it was pushed), and load it from the environment or a secret manager. If it is a \
     test value, allow its path with `security.secrets.allow_paths` or add a stop-word.";

pub fn catalogue() -> Vec<RuleInfo> {
    pack().map(|p| p.rule.iter().map(info).collect()).unwrap_or_default()
}

fn info(r: &SecretRule) -> RuleInfo {
    RuleInfo::new(
        format!("security.secrets.{}", r.id),
        r.severity.unwrap_or(Severity::Error),
        format!("A {} appears in an added line.", r.description),
        "A secret committed to a repository is readable by everyone with access to it and to its history, forks and CI logs; it must be treated as leaked.",
        r.help.as_deref().unwrap_or(DEFAULT_HELP),
    )
}

struct Compiled {
    info: RuleInfo,
    description: String,
    regex: Regex,
    group: usize,
    entropy: Option<f64>,
    allow: Vec<Regex>,
    filter: PathFilter,
    checksum: Option<Checksum>,
    body: Option<Regex>,
}

/// The compiled secret scanner: rules, one keyword automaton, global allowlists.
pub struct Scanner {
    rules: Vec<Compiled>,
    keywords: AhoCorasick,
    keyword_rules: Vec<Vec<usize>>,
    allow: Vec<Regex>,
    /// Lower-cased.
    stop_words: Vec<String>,
    allow_paths: Globs,
}

/// A secret found on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub rule: usize,
    /// 1-based character columns of the secret on its line (end exclusive).
    pub cols: (u32, u32),
    pub line: u32,
    pub redacted: String,
    /// sha256 of the secret, hex: the only trace of it that leaves the scanner.
    pub digest: String,
}

impl Scanner {
    /// Built-in pack (unless switched off) merged with the policy's rules and allowlists.
    pub fn build(cfg: &Config) -> Result<Scanner, Vec<PolicyError>> {
        let base = vec![Seg::from("security"), Seg::from("secrets")];
        let pack = pack().map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let builtin_ids: Vec<&str> = pack.rule.iter().map(|r| r.id.as_str()).collect();
        for (i, d) in cfg.disable.iter().enumerate() {
            if !builtin_ids.contains(&d.as_str()) {
                errors.push(PolicyError::at(
                    key(&base, &[Seg::from("disable"), Seg::Index(i)]),
                    format!("`{d}` is not a built-in secret rule (see `gatehouse explain security.secrets`)"),
                ));
            }
        }
        let use_builtin = cfg.builtin.unwrap_or(true);
        let mut defs: Vec<(&SecretRule, Vec<Seg>)> = Vec::new();
        if use_builtin {
            for r in &pack.rule {
                if !cfg.disable.contains(&r.id) && !cfg.rules.iter().any(|p| p.id == r.id) {
                    defs.push((r, vec![Seg::from(PACK_FILE), Seg::from(r.id.as_str())]));
                }
            }
        }
        for (i, r) in cfg.rules.iter().enumerate() {
            defs.push((r, key(&base, &[Seg::from("rules"), Seg::Index(i)])));
        }
        let mut rules = Vec::new();
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (def, at) in &defs {
            let id = format!("security.secrets.{}", def.id);
            let k = |f: &str| key(at, &[Seg::from(f)]);
            if def.id.is_empty() || !def.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                errors.push(PolicyError::at(k("id"), format!("rule id `{}` must be kebab-case (a-z, 0-9, -)", def.id)));
                continue;
            }
            if !seen.insert(def.id.clone()) {
                errors.push(PolicyError::at(k("id"), format!("rule id `{}` is used twice", def.id)));
                continue;
            }
            let kws: Vec<String> =
                def.keywords.iter().filter(|w| !w.is_empty()).map(|w| w.to_ascii_lowercase()).collect();
            if kws.is_empty() {
                errors.push(PolicyError::at(
                    k("keywords"),
                    format!("rule `{id}` needs at least one keyword (the pre-filter that keeps scanning fast)"),
                ));
                continue;
            }
            let re = match regex(&def.pattern, &k("pattern"), &id) {
                Ok(r) => r,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let groups = re.captures_len() - 1;
            let group = def.secret_group.unwrap_or(if groups > 0 { 1 } else { 0 });
            if group > groups {
                errors.push(PolicyError::at(
                    k("secret_group"),
                    format!("rule `{id}`: the pattern has {groups} capture group(s), not {group}"),
                ));
                continue;
            }
            let allow: Result<Vec<Regex>, PolicyError> = def
                .allow
                .iter()
                .enumerate()
                .map(|(i, a)| regex(a, &key(at, &[Seg::from("allow"), Seg::Index(i)]), &id))
                .collect();
            let body = def.body.as_deref().map(|b| regex(b, &k("body"), &id)).transpose();
            let filter = PathFilter::new(&def.paths, &def.exclude, at);
            let (allow, body, filter) = match (allow, body, filter) {
                (Ok(a), Ok(b), Ok(f)) => (a, b, f),
                (a, b, f) => {
                    errors.extend(a.err().into_iter().chain(b.err()).chain(f.err()));
                    continue;
                }
            };
            if let Some(e) = def.entropy.filter(|e| !(0.0..=8.0).contains(e)) {
                errors.push(PolicyError::at(k("entropy"), format!("entropy {e} must be between 0 and 8 bits/char")));
                continue;
            }
            let index = rules.len();
            for w in kws {
                match keywords.iter().position(|x| *x == w) {
                    Some(i) => keyword_rules[i].push(index),
                    None => {
                        keywords.push(w);
                        keyword_rules.push(vec![index]);
                    }
                }
            }
            rules.push(Compiled {
                info: info(def),
                description: def.description.clone(),
                regex: re,
                group,
                entropy: def.entropy,
                allow,
                filter,
                checksum: def.checksum,
                body,
            });
        }
        let allow: Vec<Regex> = cfg
            .allow
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                regex(a, &key(&base, &[Seg::from("allow"), Seg::Index(i)]), "security.secrets")
                    .map_err(|e| errors.push(e))
                    .ok()
            })
            .collect();
        let mut paths = if use_builtin { pack.allow_paths.clone() } else { Vec::new() };
        paths.extend(cfg.allow_paths.iter().cloned());
        let allow_paths = Globs::new(&paths, &key(&base, &[Seg::from("allow_paths")]));
        let allow_paths = match allow_paths {
            Ok(g) => g,
            Err(e) => {
                errors.push(e);
                return Err(errors);
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let keywords = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&keywords)
            .map_err(|e| vec![PolicyError::in_file(PACK_FILE, format!("secret keywords do not compile: {e}"))])?;
        let mut stop_words: Vec<String> = if use_builtin { pack.stop_words.clone() } else { Vec::new() };
        stop_words.extend(cfg.stop_words.iter().cloned());
        let stop_words = stop_words.into_iter().filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect();
        Ok(Scanner { rules, keywords, keyword_rules, allow, stop_words, allow_paths })
    }

    pub fn infos(&self) -> Vec<RuleInfo> {
        self.rules.iter().map(|r| r.info.clone()).collect()
    }

    /// Secrets on one line. `next` is the following line (for rules with a `body`).
    pub fn scan_line(&self, applies: &[bool], n: u32, text: &str, next: Option<&str>, out: &mut Vec<Hit>) {
        // Most lines hold no keyword at all: one automaton pass, no allocation.
        let mut matches = self.keywords.find_overlapping_iter(text).peekable();
        if matches.peek().is_none() {
            return;
        }
        let mut candidate = vec![false; self.rules.len()];
        let mut any = false;
        for m in matches {
            for &i in &self.keyword_rules[m.pattern().as_usize()] {
                candidate[i] = applies[i];
                any |= applies[i];
            }
        }
        if !any {
            return;
        }
        let first = out.len();
        self.scan_candidates(&candidate, n, text, next, out);
        // Overlapping hits on one place: the earlier rule (built-in specific ones before the
        // generic ones) wins, so one secret is one finding.
        let mut kept: Vec<Hit> = Vec::new();
        let mut new: Vec<Hit> = out.drain(first..).collect();
        new.sort_by_key(|h| h.rule);
        for h in new {
            if !kept.iter().any(|k| k.line == h.line && k.cols.0 < h.cols.1 && h.cols.0 < k.cols.1) {
                kept.push(h);
            }
        }
        kept.sort_by_key(|h| (h.line, h.cols));
        out.extend(kept);
    }

    fn scan_candidates(&self, candidate: &[bool], n: u32, text: &str, next: Option<&str>, out: &mut Vec<Hit>) {
        for (i, rule) in self.rules.iter().enumerate().filter(|(i, _)| candidate[*i]) {
            for caps in rule.regex.captures_iter(text) {
                let Some(m) = caps.get(rule.group) else { continue };
                let (secret, line, start) = match &rule.body {
                    None => (m.as_str(), n, m.start()),
                    Some(body) => {
                        let rest = &text[m.end()..];
                        if let Some(b) =
                            body.find(rest).filter(|b| b.start() == 0 || rest[..b.start()].trim().is_empty())
                        {
                            (b.as_str(), n, m.end() + b.start())
                        } else if let Some(b) = next.and_then(|t| body.find(t)) {
                            // The secret is on the next line: report it there, at its column.
                            let t = next.unwrap_or_default();
                            let col = t[..b.start()].chars().count() as u32 + 1;
                            self.push(i, rule, b.as_str(), n + 1, col, out);
                            continue;
                        } else {
                            continue;
                        }
                    }
                };
                let col = text[..start].chars().count() as u32 + 1;
                self.push(i, rule, secret, line, col, out);
            }
        }
    }

    fn push(&self, i: usize, rule: &Compiled, secret: &str, line: u32, col: u32, out: &mut Vec<Hit>) {
        if !self.accepts(rule, secret) {
            return;
        }
        let end = col + secret.chars().count() as u32;
        let digest = crate::core::finding::hex(&Sha256::digest(secret.as_bytes()));
        out.push(Hit { rule: i, cols: (col, end), line, redacted: redact(secret), digest });
    }

    /// Whether `secret` passes the rule's entropy, checksum and every allowlist.
    fn accepts(&self, rule: &Compiled, secret: &str) -> bool {
        if secret.is_empty() {
            return false;
        }
        if rule.entropy.is_some_and(|min| entropy(secret) < min) {
            return false;
        }
        if rule.checksum == Some(Checksum::GithubCrc32) && !github_checksum_ok(secret) {
            return false;
        }
        let lower = secret.to_lowercase();
        if self.stop_words.iter().any(|w| lower.contains(w.as_str())) {
            return false;
        }
        !rule.allow.iter().chain(&self.allow).any(|a| a.is_match(secret))
    }

    fn applies(&self, path: &str) -> Vec<bool> {
        if self.allow_paths.matches(path) {
            return vec![false; self.rules.len()];
        }
        self.rules.iter().map(|r| r.filter.matches(path)).collect()
    }

    fn finding(&self, path: &str, hit: &Hit) -> Finding {
        let rule = &self.rules[hit.rule];
        let loc = Location::line(path, hit.line).with_cols(hit.cols.0, hit.cols.1);
        let msg = format!("{} found: `{}`", rule.description, hit.redacted);
        // The fingerprint is built from the secret's hash, never from the secret or its line.
        rule.info.finding(Some(loc), msg, &format!("sha256:{}", hit.digest))
    }

    /// Scans the change: added lines under `added` scope, whole head files otherwise.
    pub fn scan(&self, cx: &Context<'_>, scope: Scope, out: &mut Vec<Finding>) -> Result<usize, GateError> {
        let mut scanned = 0;
        let mut hits = Vec::new();
        for file in cx.changes.files.iter().filter(|f| f.exists_at_head() && !f.binary) {
            let applies = self.applies(&file.path);
            if !applies.iter().any(|a| *a) {
                continue;
            }
            hits.clear();
            if scope == Scope::Added {
                for hunk in &file.hunks {
                    let lines: Vec<_> = hunk.lines.iter().filter(|l| l.kind != LineKind::Removed).collect();
                    for (i, line) in lines.iter().enumerate() {
                        if let (LineKind::Added, Some(n)) = (line.kind, line.new_line) {
                            let next = lines.get(i + 1).map(|l| l.text.as_str());
                            self.scan_line(&applies, n, &line.text, next, &mut hits);
                            scanned += 1;
                        }
                    }
                }
            } else if let Some(content) = cx.head_file(&file.path)? {
                let text = String::from_utf8_lossy(&content);
                let lines: Vec<&str> = text.lines().collect();
                for (i, line) in lines.iter().enumerate() {
                    self.scan_line(&applies, i as u32 + 1, line, lines.get(i + 1).copied(), &mut hits);
                    scanned += 1;
                }
            }
            out.extend(hits.iter().map(|h| self.finding(&file.path, h)));
        }
        Ok(scanned)
    }
}

/// A form of the secret safe to print: at most its first 4 characters (only for long secrets,
/// where they are a type prefix like `ghp_` or `AKIA`), then its length.
pub fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    let shown: String = if n >= 20 { secret.chars().take(4).collect() } else { String::new() };
    format!("{shown}…[redacted, {n} chars]")
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    counts.values().fold(0.0, |acc, &c| {
        let p = c as f64 / n as f64;
        acc - p * p.log2()
    })
}

/// CRC-32 (IEEE 802.3, reflected, as zlib).
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` in base62 (0-9A-Za-z), left-padded with `0` to `width`.
pub fn base62(mut n: u64, width: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        out.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// GitHub's token format: `<prefix>_<30 random base62><6-char base62 CRC32 of the random part>`.
pub fn github_checksum_ok(token: &str) -> bool {
    let Some((_, body)) = token.rsplit_once('_') else { return false };
    if body.len() != 36 || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let (random, check) = body.split_at(30);
    base62(u64::from(crc32(random.as_bytes())), 6) == check
}

struct SecretsGate {
    meta: GateMeta,
    scanner: Scanner,
}

pub fn build(policy: &Policy, family: &super::Config) -> Result<Option<Box<dyn Gate>>, Vec<PolicyError>> {
    let default = Config::default();
    let cfg = family.secrets.as_ref().unwrap_or(&default);
    let settings = super::settings(policy, family, family.secrets.as_ref().map(|c| c.common()));
    let scanner = Scanner::build(cfg)?;
    let meta = GateMeta::new("security.secrets", settings, scanner.infos());
    Ok(Some(Box::new(SecretsGate { meta, scanner })))
}

impl Gate for SecretsGate {
    fn meta(&self) -> &GateMeta {
        &self.meta
    }

    fn evaluate(&self, cx: &Context<'_>) -> Result<GateReport, GateError> {
        let mut findings = Vec::new();
        let scanned = self.scanner.scan(cx, self.meta.settings.scope, &mut findings)?;
        let metrics = vec![
            Metric { name: "lines_scanned".into(), value: scanned as f64, unit: None },
            Metric { name: "secret_rules".into(), value: self.scanner.rules.len() as f64, unit: None },
        ];
        Ok(GateReport { findings, metrics, ..Default::default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-formed GitHub-style token with a valid checksum from a fixed seed (not a real token).
    pub fn github_token(prefix: &str, seed: u64) -> String {
        let mut x = seed;
        let random: String = (0..30)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                BASE62[((x >> 33) % 62) as usize] as char
            })
            .collect();
        format!("{prefix}_{random}{}", base62(u64::from(crc32(random.as_bytes())), 6))
    }

    fn scanner(cfg: &Config) -> Scanner {
        Scanner::build(cfg).unwrap_or_else(|e| panic!("{:?}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>()))
    }

    fn ids(s: &Scanner, path: &str, lines: &[&str]) -> Vec<String> {
        let applies = s.applies(path);
        let mut hits = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            s.scan_line(&applies, i as u32 + 1, l, lines.get(i + 1).copied(), &mut hits);
        }
        hits.iter()
            .map(|h| format!("{}@{}", s.rules[h.rule].info.id.trim_start_matches("security.secrets."), h.line))
            .collect()
    }

    /// Deterministic characters from `alphabet` (synthetic values, never real credentials).
    fn chars(seed: u64, n: usize, alphabet: &[u8]) -> String {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                alphabet[((x >> 33) % alphabet.len() as u64) as usize] as char
            })
            .collect()
    }

    #[test]
    fn every_builtin_rule_has_a_positive_and_a_negative_fixture() {
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const HEX: &[u8] = b"0123456789abcdef";
        let r = |seed, n| chars(seed, n, BASE62);
        // (rule, positive lines, negative lines): the negative is the closest non-secret.
        let cases: Vec<(&str, Vec<String>, Vec<String>)> = vec![
            (
                "aws-access-key-id",
                vec![format!("id = \"AKIA{}\"", chars(1, 16, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))],
                vec!["id = \"AKIAIOSFODNN7EXAMPLE\"".into()],
            ),
            (
                "aws-secret-access-key",
                vec![format!("aws_secret_access_key = {}", chars(2, 40, B64))],
                vec!["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into()],
            ),
            ("github-pat", vec![format!("t: {}", github_token("ghp", 3))], vec![format!("t: ghp_{}", r(3, 36))]),
            (
                "github-fine-grained-pat",
                vec![format!("t={}", format_args!("github_pat_{}_{}", r(4, 22), r(5, 59)))],
                vec![
                    "t=github_pat_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                        .into(),
                ],
            ),
            (
                "github-oauth-token",
                vec![format!("t: {}", github_token("gho", 6))],
                vec![format!("t: gho_{}", r(6, 36))],
            ),
            ("github-app-token", vec![format!("t: {}", github_token("ghs", 7))], vec![format!("t: ghs_{}", r(7, 36))]),
            (
                "gitlab-token",
                vec![format!("t = \"glpat-{}\"", r(8, 20))],
                vec!["t = \"glpat-xxxxxxxxxxxxxxxxxxxx\"".into()],
            ),
            (
                "slack-token",
                vec![format!("t = \"xoxb-123456789012-1234567890123-{}\"", r(9, 24))],
                vec!["t = \"xoxb-your-token-here\"".into(), "t = f\"xoxb-123456789012-1234567890123-{suffix}\"".into()],
            ),
            (
                "slack-webhook",
                vec![format!("url: https://hooks.slack.com/services/T{}/B{}/{}", r(10, 8), r(11, 8), r(12, 24))],
                vec!["url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX".into()],
            ),
            (
                "stripe-key",
                vec![format!("k = \"sk_live_{}\"", r(13, 24))],
                vec!["k = \"sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\"".into()],
            ),
            (
                "google-api-key",
                vec![format!("k = \"AIza{}\"", r(14, 35))],
                vec!["k = \"AIzaSyEXAMPLEEXAMPLEEXAMPLEEXAMPLE123\"".into()],
            ),
            (
                "gcp-service-account",
                vec![format!("  \"private_key_id\": \"{}\",", chars(15, 40, HEX))],
                vec!["  \"private_key_id\": \"0000000000000000000000000000000000000000\",".into()],
            ),
            (
                "azure-storage-key",
                vec![format!("DefaultEndpointsProtocol=https;AccountName=a;AccountKey={}==;", chars(16, 86, B64))],
                vec!["DefaultEndpointsProtocol=https;AccountName=a;AccountKey=<your-key>;".into()],
            ),
            (
                "npm-token",
                vec![format!("//registry.npmjs.org/:_authToken=npm_{}", r(17, 36))],
                vec!["//registry.npmjs.org/:_authToken=${NPM_TOKEN}".into()],
            ),
            (
                "npm-auth-token",
                vec![format!("//registry.example.com/:_authToken={}", r(18, 32))],
                vec!["//registry.example.com/:_authToken=${NPM_TOKEN}".into()],
            ),
            (
                "pypi-token",
                vec![format!("password = pypi-AgEIcHlwaS5vcmc{}", r(19, 60))],
                vec!["password = pypi-token".into()],
            ),
            (
                "private-key",
                vec!["-----BEGIN OPENSSH PRIVATE KEY-----".into(), chars(20, 64, B64)],
                vec!["-----BEGIN PUBLIC KEY-----".into(), chars(20, 64, B64)],
            ),
            (
                "jwt",
                vec![format!("s = \"eyJhbGciOiJIUzI1NiJ9.eyJ{}.{}\"", r(21, 30), r(22, 43))],
                vec!["s = \"eyJhbGciOi\"".into()],
            ),
            (
                "database-url",
                vec![format!("DB = \"mysql://svc:{}@db:3306/app\"", r(23, 16))],
                vec![
                    "DB = \"mysql://root:password@localhost:3306/app\"".into(),
                    "DB = f\"mysql://app:{pw}@db/app\"".into(),
                ],
            ),
            (
                "generic-secret",
                vec![format!("client_secret: \"{}\"", r(24, 32))],
                vec!["client_secret: \"get_client_secret_from_vault\"".into()],
            ),
            (
                "generic-env-secret",
                vec![format!("export SERVICE_TOKEN={}", r(25, 40))],
                vec!["export SERVICE_TOKEN=$VAULT_TOKEN".into()],
            ),
        ];
        let s = scanner(&Config::default());
        let covered: Vec<&str> = cases.iter().map(|c| c.0).collect();
        for info in s.infos() {
            let id = info.id.trim_start_matches("security.secrets.");
            assert!(covered.contains(&id), "built-in rule {id} has no fixture");
        }
        for (rule, pos, neg) in &cases {
            let pos: Vec<&str> = pos.iter().map(String::as_str).collect();
            let neg: Vec<&str> = neg.iter().map(String::as_str).collect();
            let got = ids(&s, "config/app.txt", &pos);
            assert!(
                got.iter().any(|h| h.starts_with(&format!("{rule}@"))),
                "{rule}: positive not found: {got:?} in {pos:?}"
            );
            assert!(got.len() == 1, "{rule}: one secret, one finding: {got:?}");
            let got = ids(&s, "config/app.txt", &neg);
            assert!(got.is_empty(), "{rule}: negative reported: {got:?} in {neg:?}");
        }
    }

    #[test]
    fn crc32_and_base62_known_values() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(base62(61, 2), "0z");
        assert_eq!(base62(62, 1), "10");
    }

    #[test]
    fn github_tokens_need_a_valid_checksum() {
        let s = scanner(&Config::default());
        let good = github_token("ghp", 7);
        assert!(github_checksum_ok(&good));
        let mut bad = good.clone();
        bad.replace_range(10..11, if &good[10..11] == "a" { "b" } else { "a" });
        assert!(!github_checksum_ok(&bad));
        let line = format!("token = \"{good}\"");
        assert_eq!(ids(&s, "a.py", &[&line]), vec!["github-pat@1"]);
        let line = format!("token = \"{bad}\"");
        assert!(!ids(&s, "a.py", &[&line]).iter().any(|h| h.starts_with("github-pat")));
    }

    #[test]
    fn stop_words_entropy_and_allowlists() {
        let s = scanner(&Config::default());
        // The documented AWS example key is a stop-word example.
        assert!(ids(&s, "a.py", &["key = 'AKIAIOSFODNN7EXAMPLE'"]).is_empty());
        assert_eq!(ids(&s, "a.py", &["key = 'AKIAQ3EGT5LRXK7WJ2MN'"]), vec!["aws-access-key-id@1"]);
        // Low entropy generic value: not a secret.
        assert!(ids(&s, "a.py", &["password = 'aaaaaaaaaaaaaaaa'"]).is_empty());
        // References to the environment are not secrets.
        assert!(ids(&s, "a.py", &["api_key = \"${API_KEY_FROM_VAULT}\""]).is_empty());
        let cfg = Config { allow: vec!["^AKIAQ3".into()], ..Default::default() };
        assert!(ids(&scanner(&cfg), "a.py", &["key = 'AKIAQ3EGT5LRXK7WJ2MN'"]).is_empty());
        let cfg = Config { allow_paths: vec!["tests/fixtures/**".into()], ..Default::default() };
        assert!(ids(&scanner(&cfg), "tests/fixtures/a.py", &["key = 'AKIAQ3EGT5LRXK7WJ2MN'"]).is_empty());
    }

    #[test]
    fn private_key_body_on_the_next_line_or_after_an_escaped_newline() {
        let s = scanner(&Config::default());
        let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7q3Vb2mX9";
        assert_eq!(ids(&s, "k.pem", &["-----BEGIN RSA PRIVATE KEY-----", body]), vec!["private-key@2"]);
        let json = format!("\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{body}\\n\",");
        assert_eq!(ids(&s, "sa.json", &[&json]), vec!["private-key@1"]);
        // A header alone (documentation, a parser) is not a key.
        assert!(ids(&s, "doc.md", &["The file starts with -----BEGIN RSA PRIVATE KEY-----", "and then"]).is_empty());
    }

    #[test]
    fn redaction_keeps_only_a_prefix_and_the_length() {
        let t = github_token("ghp", 3);
        let r = redact(&t);
        assert!(r.starts_with("ghp_") && !r.contains(&t[4..10]), "{r}");
        assert_eq!(redact("hunter2hunter2"), "…[redacted, 14 chars]");
    }

    #[test]
    fn policy_rules_override_and_bad_rules_name_themselves() {
        let over = SecretRule {
            id: "acme".into(),
            description: "ACME key".into(),
            pattern: r"\b(acme_[a-z0-9]{20})\b".into(),
            secret_group: None,
            keywords: vec!["acme_".into()],
            entropy: Some(3.0),
            allow: vec![],
            paths: vec![],
            exclude: vec![],
            checksum: None,
            body: None,
            severity: None,
            help: None,
        };
        let cfg = Config { rules: vec![over.clone()], ..Default::default() };
        assert_eq!(ids(&scanner(&cfg), "x", &["k=acme_q8w7e6r5t4y3u2i1o0p9"]), vec!["acme@1"]);
        let bad = SecretRule { pattern: "(".into(), ..over.clone() };
        let cfg = Config { rules: vec![bad], disable: vec!["nope".into()], ..Default::default() };
        let errs: Vec<String> = Scanner::build(&cfg).err().unwrap().iter().map(|e| e.to_string()).collect();
        assert!(errs.iter().any(|e| e.contains("nope")), "{errs:?}");
        assert!(errs.iter().any(|e| e.contains("security.secrets.acme")), "{errs:?}");
        let nokw = SecretRule { keywords: vec![], ..over };
        let cfg = Config { rules: vec![nokw], ..Default::default() };
        assert!(Scanner::build(&cfg).is_err());
    }
}
