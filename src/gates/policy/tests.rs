use super::*;

fn errors(text: &str) -> Vec<PolicyError> {
    load_str("gates.toml", text).unwrap_err().0
}

#[test]
fn minimal_policy_loads() {
    let p = load_str("gates.toml", "version = 1\n").unwrap();
    assert!(p.gates.is_empty());
    assert!(p.digest.starts_with("sha256:"));
}

#[test]
fn unknown_key_has_position_and_suggestion() {
    let e = errors("version = 1\n[hygiene]\nmax_pr_line = 10\n");
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].line, e[0].col), (3, 1));
    assert_eq!(e[0].suggestion.as_deref(), Some("max_pr_lines"));
}

#[test]
fn every_broken_section_is_reported() {
    let e = errors(
        "version = 1\n[defaults]\nmode = \"blok\"\n[hygiene]\nmax_pr_files = \"many\"\n[patterns]\nforbidd = []\n",
    );
    assert_eq!(e.len(), 3, "{e:#?}");
    assert_eq!(e[0].suggestion.as_deref(), Some("block"));
    assert_eq!(e[2].suggestion.as_deref(), Some("forbid"));
}

#[test]
fn semantic_errors_point_at_the_value() {
    let text = "version = 1\n\n[[patterns.forbid]]\nid = \"x\"\npattern = \"(unclosed\"\n\n[[patterns.forbid]]\nid = \"y\"\npattern = \"ok\"\npaths = [\"src/[\"]\n";
    let e = errors(text);
    assert_eq!(e.len(), 2, "{e:#?}");
    assert_eq!((e[0].line, e[0].col), (5, 11));
    assert!(e[0].message.contains("patterns.x"));
    assert_eq!(e[1].line, 10);
}

#[test]
fn version_is_required() {
    assert!(errors("[hygiene]\n")[0].message.contains("version = 1"));
    let e = errors("version = 2\n");
    assert_eq!((e[0].line, e[0].col), (1, 11));
}

#[test]
fn syntax_errors_are_located() {
    let e = errors("version = 1\n[hygiene\n");
    assert_eq!(e[0].line, 2);
}

#[test]
fn extends_merges_and_concatenates_rule_lists() {
    let files = [
        (
            "gates.toml",
            "version = 1\nextends = \"policies/org.toml\"\n[hygiene]\nmax_pr_lines = 10\n[[waivers]]\nrule = \"a\"\nreason = \"r\"\n",
        ),
        (
            "policies/org.toml",
            "[hygiene]\nmax_pr_lines = 99\nmax_pr_files = 5\n[[waivers]]\nrule = \"b\"\nreason = \"r\"\n",
        ),
    ];
    let read = |p: &str| Ok(files.iter().find(|f| f.0 == p).map(|f| f.1.as_bytes().to_vec()));
    let p = load(&read, "gates.toml").unwrap();
    let h = p.policy.hygiene.as_ref().unwrap();
    assert_eq!((h.max_pr_lines, h.max_pr_files), (Some(10), Some(5)));
    let rules: Vec<_> = p.policy.waivers.iter().map(|w| w.rule.as_str()).collect();
    assert_eq!(rules, vec!["b", "a"]);
    assert_eq!(p.files.len(), 2);
}

#[test]
fn extends_errors_name_the_extended_file() {
    let files = [("gates.toml", "version = 1\nextends = \"org.toml\"\n"), ("org.toml", "[hygiene]\nmax_pr_lnes = 1\n")];
    let read = |p: &str| Ok(files.iter().find(|f| f.0 == p).map(|f| f.1.as_bytes().to_vec()));
    let e = load(&read, "gates.toml").unwrap_err().0;
    assert_eq!((e[0].file.as_str(), e[0].line), ("org.toml", 2));
}

#[test]
fn extends_cannot_escape_or_loop() {
    let e = errors("version = 1\nextends = \"../../etc/passwd\"\n");
    assert!(e[0].message.contains("outside"), "{e:?}");
    let files = [("gates.toml", "version = 1\nextends = \"b.toml\"\n"), ("b.toml", "extends = \"gates.toml\"\n")];
    let read = |p: &str| Ok(files.iter().find(|f| f.0 == p).map(|f| f.1.as_bytes().to_vec()));
    assert!(load(&read, "gates.toml").unwrap_err().0[0].message.contains("cycle"));
}

#[test]
fn waiver_problems_are_listed() {
    let e = errors("version = 1\n[[waivers]]\nrule = \"x\"\nreason = \" \"\nexpires = \"soon\"\n");
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(e.iter().any(|e| e.message.contains("YYYY-MM-DD") && e.line == 5));
}

#[test]
fn toml_dates_are_accepted_for_expiry() {
    let p = load_str("gates.toml", "version = 1\n[[waivers]]\nrule = \"x\"\nreason = \"r\"\nexpires = 2026-12-31\n")
        .unwrap();
    assert_eq!(p.waivers[0].expires.as_deref(), Some("2026-12-31"));
}
