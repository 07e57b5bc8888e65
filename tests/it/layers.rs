//! Gatehouse's own layers (`gates.toml` at the repository root) hold over the whole source tree,
//! and a back-edge fails: the crate's `src/` is committed whole on a branch of a fresh
//! repository, so every file is "touched" and every import is checked.

use crate::common::{TestRepo, located};
use std::path::Path;

/// A repository whose base holds the project's policy, and whose `pr` branch adds all of `src/`.
fn whole_tree(edit: impl Fn(&str, String) -> String) -> TestRepo {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = TestRepo::new();
    r.write("gates.toml", std::fs::read_to_string(root.join("gates.toml")).unwrap());
    r.commit("base");
    r.branch("pr");
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                r.write(&rel, edit(&rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    r.commit("the whole tree");
    r
}

#[test]
fn the_source_tree_respects_its_layers() {
    let r = whole_tree(|_, text| text);
    let (code, report) = r.json_report(&["--base", "main", "--only", "architecture"]);
    assert_eq!(located(&report, "architecture"), vec![], "{report:#}");
    assert_eq!(code, 0);
}

#[test]
fn a_back_edge_fails() {
    // `core` naming the engine (a higher layer) is exactly what the layers forbid.
    let r = whole_tree(|rel, text| {
        if rel == "src/core/finding.rs" {
            format!("{text}\n#[allow(unused_imports)]\nuse crate::engine::Report;\n")
        } else {
            text
        }
    });
    let (code, report) = r.json_report(&["--base", "main", "--only", "architecture"]);
    assert_eq!(code, 1, "{report:#}");
    let found = located(&report, "architecture");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "architecture.layer");
    assert_eq!(found[0].1, "src/core/finding.rs");
}
