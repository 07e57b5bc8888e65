//! Mapping the paths a coverage report names onto repository paths: explicit `path_map`
//! prefixes, the repository's own absolute path, source roots (Cobertura `<sources>`, the
//! policy's `source_roots`), and finally a unique path-suffix match against the files at head.

use std::collections::{HashMap, HashSet};

/// The files at head, indexed by file name for suffix matching.
#[derive(Debug, Default)]
pub struct RepoFiles {
    set: HashSet<String>,
    by_name: HashMap<String, Vec<String>>,
}

impl RepoFiles {
    pub fn new(files: impl IntoIterator<Item = String>) -> Self {
        let mut r = RepoFiles::default();
        for f in files {
            let name = f.rsplit('/').next().unwrap_or(&f).to_string();
            r.by_name.entry(name).or_default().push(f.clone());
            r.set.insert(f);
        }
        r
    }

    pub fn contains(&self, path: &str) -> bool {
        self.set.contains(path)
    }

    /// The one repository file whose path ends with the longest trailing components of
    /// `path`; `None` when no file matches or the best match is ambiguous.
    fn by_suffix(&self, path: &str) -> Option<&str> {
        let name = path.rsplit('/').next()?;
        let candidates = self.by_name.get(name)?;
        let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        let score = |f: &str| f.rsplit('/').zip(comps.iter().rev()).take_while(|(a, b)| a == *b).count();
        let best = candidates.iter().map(|c| score(c)).max()?;
        // A file name alone is too weak for an absolute or deeper path (`/usr/lib/x/__init__.py`).
        if best < 2 && best < comps.len() {
            return None;
        }
        let mut winners = candidates.iter().filter(|c| score(c) == best);
        let first = winners.next()?;
        if winners.next().is_some() { None } else { Some(first) }
    }
}

/// One `from → to` prefix rewrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub from: String,
    pub to: String,
}

pub struct Mapper<'a> {
    pub rewrites: &'a [Rewrite],
    /// Roots relative paths may be relative to (report sources, policy source roots).
    pub roots: Vec<String>,
    /// The repository's absolute path (`/home/runner/work/app/app`).
    pub repo_root: String,
    pub files: &'a RepoFiles,
}

impl Mapper<'_> {
    /// The repository path a report path names, or `None` when it is not in the repository.
    pub fn resolve(&self, raw: &str) -> Option<String> {
        let p = normalise(raw);
        let mut candidates = Vec::new();
        for rw in self.rewrites {
            if let Some(rest) = p.strip_prefix(&normalise(&rw.from)) {
                candidates.push(normalise(&format!("{}/{}", rw.to, rest)));
            }
        }
        candidates.push(p.clone());
        for root in &self.roots {
            if !p.starts_with('/') {
                candidates.push(normalise(&format!("{root}/{p}")));
            }
        }
        for c in candidates.iter() {
            for form in [Some(c.clone()), self.strip_root(c)].into_iter().flatten() {
                for rw in self.rewrites {
                    if let Some(rest) = form.strip_prefix(&normalise(&rw.from)) {
                        let m = normalise(&format!("{}/{}", rw.to, rest));
                        if self.files.contains(&m) {
                            return Some(m);
                        }
                    }
                }
                if self.files.contains(&form) {
                    return Some(form);
                }
            }
        }
        self.files.by_suffix(&p).map(str::to_string)
    }

    fn strip_root(&self, p: &str) -> Option<String> {
        let root = normalise(&self.repo_root);
        if root.is_empty() || root == "/" {
            return None;
        }
        p.strip_prefix(&root).filter(|r| r.starts_with('/')).map(normalise)
    }
}

/// Forward slashes, no `./` segments, no doubled or trailing slashes. A leading `/` is kept
/// only for absolute paths (`C:/x` counts as absolute too).
pub fn normalise(p: &str) -> String {
    let p = p.trim().replace('\\', "/");
    let absolute = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    let joined = out.join("/");
    if absolute { format!("/{joined}") } else { joined }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> RepoFiles {
        RepoFiles::new(
            ["src/calc.py", "src/main/java/com/acme/Calc.java", "calc/calc.go", "a/util.rs", "b/util.rs", "README.md"]
                .map(String::from),
        )
    }

    #[test]
    fn resolves_in_order() {
        let f = files();
        let rw = vec![Rewrite { from: "/ci/build/".into(), to: "".into() }];
        let m = Mapper {
            rewrites: &rw,
            roots: vec!["src".into()],
            repo_root: "/home/runner/work/app/app".into(),
            files: &f,
        };
        assert_eq!(m.resolve("src/calc.py").as_deref(), Some("src/calc.py"));
        assert_eq!(m.resolve("./src//calc.py").as_deref(), Some("src/calc.py"));
        assert_eq!(m.resolve("src\\calc.py").as_deref(), Some("src/calc.py"));
        assert_eq!(m.resolve("/ci/build/src/calc.py").as_deref(), Some("src/calc.py"));
        assert_eq!(m.resolve("/home/runner/work/app/app/src/calc.py").as_deref(), Some("src/calc.py"));
        assert_eq!(m.resolve("calc.py").as_deref(), Some("src/calc.py"), "source root");
        assert_eq!(m.resolve("com/acme/Calc.java").as_deref(), Some("src/main/java/com/acme/Calc.java"));
        assert_eq!(m.resolve("example.com/m/calc/calc.go").as_deref(), Some("calc/calc.go"));
        assert_eq!(m.resolve("/elsewhere/a/util.rs").as_deref(), Some("a/util.rs"));
        assert_eq!(m.resolve("util.rs"), None, "ambiguous");
        assert_eq!(m.resolve("/usr/include/stdio.h"), None);
        assert_eq!(m.resolve("/usr/lib/python3/README.md"), None, "a file name alone does not match a deep path");
    }

    #[test]
    fn normalises() {
        assert_eq!(normalise("./a/./b//c/"), "a/b/c");
        assert_eq!(normalise("/x/../y"), "/y");
        assert_eq!(normalise("C:\\w\\a.rs"), "C:/w/a.rs");
    }
}
