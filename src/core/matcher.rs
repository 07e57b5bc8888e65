//! Path globs and regexes from the policy, compiled once, with errors that name the rule.

use super::error::{PolicyError, Seg};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;

/// A set of path globs. `*` stays within one directory, `**` crosses them; a glob without `/`
/// also matches the file name anywhere (`*.rs`, like .gitignore).
#[derive(Debug, Clone)]
pub struct Globs {
    set: GlobSet,
    basename: GlobSet,
    patterns: Vec<String>,
}

impl Globs {
    /// `key` is where the list sits in the policy, for the error.
    pub fn new(patterns: &[String], key: &[Seg]) -> Result<Globs, PolicyError> {
        let mut full = GlobSetBuilder::new();
        let mut base = GlobSetBuilder::new();
        for (i, p) in patterns.iter().enumerate() {
            let mut at = key.to_vec();
            at.push(Seg::Index(i));
            let pat = p.strip_prefix("./").unwrap_or(p);
            if pat.starts_with('/') || pat.split('/').any(|c| c == "..") {
                return Err(PolicyError::at(
                    at,
                    format!("glob `{p}` must be relative to the repository root (no leading `/` or `..`)"),
                ));
            }
            let glob = GlobBuilder::new(pat)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| PolicyError::at(at, format!("invalid glob `{p}`: {}", e.kind())))?;
            if pat.contains('/') {
                full.add(glob);
            } else {
                base.add(glob);
            }
        }
        let build =
            |b: GlobSetBuilder| b.build().map_err(|e| PolicyError::at(key.to_vec(), format!("invalid globs: {e}")));
        Ok(Globs { set: build(full)?, basename: build(base)?, patterns: patterns.to_vec() })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn matches(&self, path: &str) -> bool {
        if self.set.is_match(path) {
            return true;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        !self.basename.is_empty() && (self.basename.is_match(name) || self.basename.is_match(path))
    }
}

/// Which files a rule applies to: `paths` (empty = every file) minus `exclude`.
#[derive(Debug, Clone)]
pub struct PathFilter {
    include: Globs,
    exclude: Globs,
}

impl PathFilter {
    /// `key` is the table holding `paths`/`exclude`.
    pub fn new(paths: &[String], exclude: &[String], key: &[Seg]) -> Result<PathFilter, PolicyError> {
        let at = |k: &str| {
            let mut v = key.to_vec();
            v.push(Seg::Key(k.to_string()));
            v
        };
        Ok(PathFilter { include: Globs::new(paths, &at("paths"))?, exclude: Globs::new(exclude, &at("exclude"))? })
    }

    pub fn matches(&self, path: &str) -> bool {
        (self.include.is_empty() || self.include.matches(path)) && !self.exclude.matches(path)
    }
}

/// Compiles a policy regex; the error names the rule and where it sits.
pub fn regex(pattern: &str, key: &[Seg], rule: &str) -> Result<Regex, PolicyError> {
    regex::RegexBuilder::new(pattern).size_limit(10 * (1 << 20)).build().map_err(|e| {
        PolicyError::at(key.to_vec(), format!("invalid regex in rule `{rule}`: {}", first_line(&e.to_string())))
    })
}

fn first_line(s: &str) -> String {
    // regex errors are multi-line with a caret diagram; keep the diagnosis line.
    s.lines()
        .filter(|l| l.starts_with("error:"))
        .map(|l| l.trim_start_matches("error: ").to_string())
        .next()
        .unwrap_or_else(|| s.lines().next().unwrap_or(s).to_string())
}

/// `key` extended with more segments.
pub fn key(base: &[Seg], more: &[Seg]) -> Vec<Seg> {
    let mut v = base.to_vec();
    v.extend_from_slice(more);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_semantics() {
        let g = Globs::new(&["src/**".into(), "*.md".into(), "docs/*.txt".into()], &[]).unwrap();
        assert!(g.matches("src/a/b.rs"));
        assert!(g.matches("README.md"));
        assert!(g.matches("deep/dir/NOTES.md"));
        assert!(g.matches("docs/a.txt"));
        assert!(!g.matches("docs/sub/a.txt"));
        assert!(!g.matches("lib/a.rs"));
    }

    #[test]
    fn errors_name_the_place() {
        let e = Globs::new(&["src/[".into()], &["patterns".into()]).unwrap_err();
        assert_eq!(e.key, vec![Seg::Key("patterns".into()), Seg::Index(0)]);
        assert!(e.message.contains("invalid glob"), "{}", e.message);
        let e = regex("(unclosed", &["x".into()], "my-rule").unwrap_err();
        assert!(e.message.contains("my-rule") && e.message.contains("unclosed"), "{}", e.message);
        assert!(Globs::new(&["../x".into()], &[]).is_err());
    }
}
