//! The security family end to end: secrets (with redaction over every output), dangerous
//! patterns, SARIF intake of a real Semgrep report, dependency changes with an OSV directory,
//! and sensitive paths.

use crate::common::{TestRepo, gate, rules};

/// A fresh repository whose `main` holds `policy`, now on branch `pr`.
fn repo(policy: &str) -> TestRepo {
    let r = TestRepo::new();
    r.write("gates.toml", policy).write("src/lib.rs", "pub fn a() {}\n").write("README.md", "# demo\n");
    r.commit("base");
    r.branch("pr");
    r
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Deterministic pseudo-random characters from `alphabet` (synthetic test values, not secrets).
fn chars(seed: u64, n: usize, alphabet: &[u8]) -> String {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            alphabet[((x >> 33) % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

/// A synthetic GitHub-format token with a valid CRC32 checksum (built here, never a real one).
fn github_token(prefix: &str, seed: u64) -> String {
    let random = chars(seed, 30, BASE62);
    let crc = gatehouse::gates::security::secrets::crc32(random.as_bytes());
    format!("{prefix}_{random}{}", gatehouse::gates::security::secrets::base62(u64::from(crc), 6))
}

#[test]
fn secrets_are_found_and_never_printed_in_any_output() {
    let r = repo("version = 1\n[security]\n");
    let gh = github_token("ghp", 11);
    let aws = format!("AKIA{}", chars(5, 16, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
    let stripe = format!("sk_live_{}", chars(9, 32, BASE62));
    let key_body = chars(13, 64, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    let db_pw = chars(17, 16, BASE62);
    let code = format!(
        "GITHUB = \"{gh}\"\nAWS_KEY = '{aws}'\nstripe.api_key = \"{stripe}\"\nDB = \"postgres://app:{db_pw}@db.internal:5432/app\"\n\
         # gatehouse: allow(security.secrets.github-pat) test value with a documented purpose\nOTHER = \"{gh}\"\n"
    );
    r.write("app/config.py", &code);
    r.write("keys/id_rsa", format!("-----BEGIN RSA PRIVATE KEY-----\n{key_body}\n-----END RSA PRIVATE KEY-----\n"));
    r.commit("add config");
    let out = r
        .check(&["--only", "security.secrets", "-o", "r.json", "-o", "r.sarif", "-o", "r.md", "-o", "r.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let (_, report) = r.json_report(&["--only", "security.secrets"]);
    let mut found: Vec<(String, u64)> = gate(&report, "security.secrets")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["location"]["start_line"].as_u64().unwrap()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("security.secrets.aws-access-key-id".into(), 2),
            ("security.secrets.database-url".into(), 4),
            ("security.secrets.github-pat".into(), 1),
            ("security.secrets.private-key".into(), 2),
            ("security.secrets.stripe-key".into(), 3),
        ]
    );
    assert_eq!(gate(&report, "security.secrets")["suppressed"].as_array().unwrap().len(), 1);
    let mut outputs = vec![
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        report.to_string(),
    ];
    for f in ["r.json", "r.sarif", "r.md", "r.txt"] {
        outputs.push(std::fs::read_to_string(r.file(f)).unwrap_or_else(|e| panic!("{f}: {e}")));
    }
    for secret in [&gh, &aws, &stripe, &key_body, &db_pw] {
        // Not the secret, nor any 12-character piece of it past a 4-character type prefix.
        let probe = &secret[secret.len() - 12..];
        for (i, o) in outputs.iter().enumerate() {
            assert!(!o.contains(secret.as_str()) && !o.contains(probe), "output #{i} leaks a secret:\n{o}");
        }
    }
    assert!(outputs[0].contains("…[redacted, 40 chars]"), "{}", outputs[0]);
}

#[test]
fn placeholders_and_allowed_paths_are_not_secrets() {
    let r = repo("version = 1\n[security.secrets]\nallow_paths = [\"tests/fixtures/**\"]\n");
    let aws = format!("AKIA{}", chars(5, 16, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
    r.write(
        "app.py",
        "AWS = 'AKIAIOSFODNN7EXAMPLE'\npassword = \"${DB_PASSWORD}\"\ntoken = get_token_from_environment()\n\
         api_key = \"your_api_key_here_123\"\nDB = 'postgres://user:password@localhost/db'\n",
    );
    r.write("tests/fixtures/creds.py", format!("AWS = '{aws}'\n"));
    r.commit("placeholders");
    let (code, report) = r.json_report(&["--only", "security.secrets"]);
    assert_eq!((code, rules(&report)), (0, Vec::<String>::new()));
}

#[test]
fn dangerous_patterns_per_language() {
    let r = repo("version = 1\n[security.secrets]\nmode = \"off\"\n");
    r.write("tool.py", "import subprocess\nsubprocess.run(cmd, shell=True)\nrequests.get(u, verify=False)\n");
    r.write(
        "src/lib.rs",
        "pub fn a() {}\npub fn b(p: *const u8) -> u8 {\n    unsafe { *p }\n}\npub fn c(p: *const u8) -> u8 {\n    // SAFETY: p is valid\n    unsafe { *p }\n}\n",
    );
    r.write("web/a.js", "el.innerHTML = userText;\nel.textContent = userText;\n");
    r.commit("patterns");
    let (code, report) = r.json_report(&["--only", "security"]);
    assert_eq!(code, 1);
    assert_eq!(
        rules(&report),
        vec![
            "security.patterns.js-inner-html",
            "security.patterns.python-shell-true",
            "security.patterns.python-tls-verify-disabled",
            "security.patterns.rust-unsafe-without-safety",
        ]
    );
    let f = &gate(&report, "security.patterns")["findings"];
    assert!(
        f.as_array().unwrap().iter().any(|f| f["location"]["path"] == "src/lib.rs" && f["location"]["start_line"] == 3)
    );
}

#[test]
fn sarif_intake_keeps_results_on_changed_lines_from_a_real_semgrep_report() {
    let policy = "version = 1\n[security.secrets]\nmode = \"off\"\n[security.patterns]\nmode = \"off\"\n\
                  [security.sarif]\nreports = [\"semgrep.sarif\"]\n";
    let r = TestRepo::new();
    let app = std::fs::read_to_string("tests/data/security/app.py").unwrap();
    // Base has the `shell=True` call (line 5) but not the eval (line 9), which the PR adds.
    let base: String = app.lines().take(6).map(|l| format!("{l}\n")).collect();
    r.write("gates.toml", policy).write("app.py", base);
    r.commit("base");
    r.branch("pr");
    r.write("app.py", &app);
    r.commit("add calc");
    std::fs::copy("tests/data/security/semgrep.sarif", r.file("semgrep.sarif")).unwrap();
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0, "eval is a warning in the Semgrep rules: {report:#}");
    assert_eq!(rules(&report), vec!["security.sarif.semgrep-oss.eval-use"]);
    let g = gate(&report, "security.sarif");
    assert_eq!(g["findings"][0]["location"]["start_line"], 9);
    assert_eq!(g["findings"][0]["severity"], "warning");
    assert_eq!(g["details"]["tools"][0], "semgrep-oss");
    let (code, _) = r.json_report(&["--fail-on", "warning"]);
    assert_eq!(code, 1);

    // A report pointing outside the repository is refused; a missing report fails closed.
    let escape = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"evil"}},"results":[
        {"ruleId":"x","level":"error","message":{"text":"m"},
         "locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///etc/passwd"},"region":{"startLine":1}}}]}]}]}"#;
    std::fs::write(r.file("semgrep.sarif"), escape).unwrap();
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 0);
    assert_eq!(gate(&report, "security.sarif")["details"]["refused"].as_array().unwrap().len(), 1);
    std::fs::remove_file(r.file("semgrep.sarif")).unwrap();
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 3);
    assert_eq!(gate(&report, "security.sarif")["conclusion"], "error");
}

#[test]
fn dependencies_added_denied_capped_and_checked_against_osv() {
    let policy = "version = 1\n[security.secrets]\nmode = \"off\"\n[security.patterns]\nmode = \"off\"\n\
                  [security.dependencies]\ndeny = [\"npm:left-*\"]\nmax_new = 2\nadvisories = \"osv\"\n";
    let r = TestRepo::new();
    r.write("gates.toml", policy);
    r.write("package.json", r#"{"dependencies": {"express": "4.18.2"}}"#);
    r.write(
        "osv/GHSA-test-0001.json",
        r#"{"id": "GHSA-test-0001", "summary": "prototype pollution in minimist",
            "affected": [{"package": {"ecosystem": "npm", "name": "minimist"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.6"}]}]}]}"#,
    );
    r.write("Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n");
    r.commit("base");
    r.branch("pr");
    r.write(
        "package.json",
        "{\"dependencies\": {\n  \"express\": \"4.19.2\",\n  \"left-pad\": \"1.3.0\",\n  \"minimist\": \"1.2.5\"\n}}\n",
    );
    r.write(
        "Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\nrand = \"0.8\"\n",
    );
    r.commit("deps");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        rules(&report),
        vec!["security.dependencies.denied", "security.dependencies.too-many-new", "security.dependencies.vulnerable",]
    );
    let g = gate(&report, "security.dependencies");
    let vuln =
        g["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "security.dependencies.vulnerable").unwrap();
    assert!(vuln["message"].as_str().unwrap().contains("GHSA-test-0001"), "{vuln:#}");
    assert_eq!(vuln["location"]["start_line"], 4);
    assert_eq!(g["details"].as_array().unwrap().len(), 4, "{:#}", g["details"]);

    // A manifest that does not parse is a finding, not a silent pass.
    r.write("package.json", "{ not json");
    r.commit("broken");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    assert!(rules(&report).contains(&"security.dependencies.unreadable-manifest".to_string()));
}

#[test]
fn sensitive_paths_need_approval_locally_unless_labelled() {
    let policy = "version = 1\n[security.secrets]\nmode = \"off\"\n[security.patterns]\nmode = \"off\"\n\
                  [security.sensitive_paths]\npaths = [\".github/workflows/**\", \"gates.toml\"]\n\
                  approvers = [\"acme/security\"]\nlabels = [\"security-reviewed\"]\n";
    let r = repo(policy);
    r.write(".github/workflows/ci.yml", "on: push\n");
    r.commit("ci");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1);
    let f = &gate(&report, "security.sensitive-paths")["findings"][0];
    assert_eq!(f["rule"], "security.sensitive-paths.needs-approval");
    assert_eq!(f["location"]["path"], ".github/workflows/ci.yml");
    assert!(f["message"].as_str().unwrap().contains("local run"), "{f:#}");
    let (code, report) = r.json_report(&["--label", "security-reviewed"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(gate(&report, "security.sensitive-paths")["details"]["status"], "approved");
}

#[test]
fn policy_errors_name_the_key() {
    let r = repo(
        "version = 1\n[security.secrets]\ndisable = [\"no-such-rule\"]\n[[security.patterns.rules]]\nid = \"x\"\npattern = \"(\"\n",
    );
    let out = r.check(&[]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(err.contains("no-such-rule") && err.contains("security.patterns.x"), "{err}");
}
