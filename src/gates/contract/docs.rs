//! One side (base or head) of a contract: the root document and every file it references
//! through `$ref`, with reference resolution that survives cycles.

use super::tree::{self, Node, ParseError};
use std::collections::{BTreeMap, VecDeque};

/// Most files one contract may pull in through `$ref`.
const MAX_FILES: usize = 200;
/// Most `$ref` hops followed for one reference chain.
const MAX_HOPS: usize = 32;

/// A position inside one side's documents.
#[derive(Debug, Clone)]
pub struct Loc<'a> {
    pub file: &'a str,
    /// JSON pointer of `node` in `file`.
    pub ptr: String,
    pub node: &'a Node,
}

impl<'a> Loc<'a> {
    /// The child at `key` (a map key or a sequence index).
    pub fn child(&self, key: &str) -> Option<Loc<'a>> {
        let node = match &self.node.value {
            tree::Value::Map(m) => m.get(key)?,
            tree::Value::Seq(s) => s.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
        Some(Loc { file: self.file, ptr: tree::join(&self.ptr, key), node })
    }
}

#[derive(Debug, Default)]
pub struct Docs {
    pub root: String,
    pub files: BTreeMap<String, Node>,
    /// Referenced files that could not be read or parsed, with why.
    pub problems: Vec<(String, ParseError)>,
    /// Resolved `$id` URI → (file, pointer), built once on first use.
    id_index: std::sync::OnceLock<std::collections::HashMap<String, (String, String)>>,
}

impl Docs {
    /// A side with no document (file added or deleted in the PR).
    pub fn empty(root: &str) -> Docs {
        Docs { root: root.to_string(), ..Default::default() }
    }

    /// Loads `root` and every file reachable through relative `$ref`s. `read` returns `None`
    /// when a file does not exist. The root's own parse error is returned as `Err`.
    pub fn load(
        root: &str,
        root_text: &str,
        mut read: impl FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<Docs, ParseError> {
        let mut docs = Docs::empty(root);
        let node = tree::parse(root_text)?;
        let mut queue = VecDeque::new();
        collect_files(root, &node, &mut queue);
        docs.files.insert(root.to_string(), node);
        while let Some(path) = queue.pop_front() {
            if docs.files.contains_key(&path) || docs.problems.iter().any(|(p, _)| *p == path) {
                continue;
            }
            if docs.files.len() >= MAX_FILES {
                let message = format!("more than {MAX_FILES} referenced files; `{path}` was not read");
                docs.problems.push((path, ParseError { line: 1, message }));
                continue;
            }
            let Some(bytes) = read(&path) else {
                docs.problems.push((path, ParseError { line: 1, message: "referenced file does not exist".into() }));
                continue;
            };
            let parsed = std::str::from_utf8(&bytes)
                .map_err(|_| ParseError { line: 1, message: "file is not UTF-8".into() })
                .and_then(tree::parse);
            match parsed {
                Ok(n) => {
                    collect_files(&path, &n, &mut queue);
                    docs.files.insert(path, n);
                }
                Err(e) => docs.problems.push((path, e)),
            }
        }
        Ok(docs)
    }

    pub fn root(&self) -> Option<Loc<'_>> {
        let (file, node) = self.files.get_key_value(&self.root)?;
        Some(Loc { file, ptr: String::new(), node })
    }

    /// Follows `$ref` from `loc` until a node without one; `None` when a reference is broken or
    /// the chain loops.
    pub fn resolve<'a>(&'a self, loc: Loc<'a>) -> Option<Loc<'a>> {
        let mut cur = loc;
        for _ in 0..MAX_HOPS {
            if cur.node.get_str("$ref").is_none() {
                return Some(cur);
            }
            cur = self.follow(&cur)?;
        }
        None
    }

    /// One `$ref` hop from `loc` (which holds a `$ref`): JSON pointers, `$id`-relative URIs and
    /// `$anchor`s (draft-04 … 2020-12 `$id`/`id`), and relative files; `None` when broken.
    pub fn follow<'a>(&'a self, loc: &Loc<'a>) -> Option<Loc<'a>> {
        let r = loc.node.get_str("$ref")?;
        let (file_part, frag) = r.split_once('#').unwrap_or((r, ""));
        let frag = crate::text::percent_decode(frag);
        let doc = self.files.get(loc.file)?;
        if self.id_index().is_empty() && (frag.is_empty() || frag.starts_with('/')) {
            // No `$id` anywhere (every OpenAPI description in practice): plain file + pointer.
            let (file, ptr) = split_ref(loc.file, r);
            let (file, fdoc) = self.files.get_key_value(&file)?;
            return Some(Loc { file, node: fdoc.pointer(&ptr)?, ptr });
        }
        // The base URI: the innermost `$id` above `loc`, resolved from the root down.
        let mut base = String::new();
        let mut prefix = String::new();
        for seg in std::iter::once("").chain(loc.ptr.split('/').skip(1)) {
            if !seg.is_empty() {
                prefix.push('/');
                prefix.push_str(seg);
            }
            if let Some(id) = doc.pointer(&prefix).and_then(schema_id) {
                base = join_uri(&base, id.split('#').next().unwrap_or(""));
            }
        }
        let target_uri = if file_part.is_empty() { base.clone() } else { join_uri(&base, file_part) };
        let by_id = (!target_uri.is_empty()).then(|| self.ids(&target_uri)).flatten();
        let (file, root_ptr) = match by_id {
            Some(hit) => hit,
            None if file_part.is_empty() => (loc.file.to_string(), String::new()),
            None => (split_ref(loc.file, r).0, String::new()),
        };
        let (file, fdoc) = self.files.get_key_value(&file)?;
        let ptr = if frag.is_empty() || frag.starts_with('/') {
            format!("{root_ptr}{frag}")
        } else {
            anchor(fdoc, &root_ptr, &frag)?
        };
        Some(Loc { file, node: fdoc.pointer(&ptr)?, ptr })
    }

    /// The (file, pointer) of the schema whose `$id` resolves to `uri`.
    fn ids(&self, uri: &str) -> Option<(String, String)> {
        let idx = self.id_index();
        idx.get(uri).or_else(|| idx.get(uri.trim_end_matches(".json"))).cloned()
    }

    fn id_index(&self) -> &std::collections::HashMap<String, (String, String)> {
        self.id_index.get_or_init(|| self.build_id_index())
    }

    fn build_id_index(&self) -> std::collections::HashMap<String, (String, String)> {
        let mut idx = std::collections::HashMap::new();
        for (file, doc) in &self.files {
            let mut stack: Vec<(String, &Node, String)> = vec![(String::new(), doc, String::new())];
            while let Some((ptr, n, base)) = stack.pop() {
                let mut base = base;
                if let Some(id) = schema_id(n) {
                    let own = id.split('#').next().unwrap_or("");
                    if !own.is_empty() {
                        base = join_uri(&base, own);
                        idx.entry(base.clone()).or_insert_with(|| (file.clone(), ptr.clone()));
                        idx.entry(base.trim_end_matches(".json").to_string())
                            .or_insert_with(|| (file.clone(), ptr.clone()));
                    }
                }
                match &n.value {
                    tree::Value::Map(m) => {
                        for (k, v) in m {
                            if !matches!(k.as_str(), "enum" | "const" | "default" | "examples" | "example") {
                                stack.push((tree::join(&ptr, k), v, base.clone()));
                            }
                        }
                    }
                    tree::Value::Seq(s) => {
                        for (i, v) in s.iter().enumerate() {
                            stack.push((format!("{ptr}/{i}"), v, base.clone()));
                        }
                    }
                    _ => {}
                }
            }
        }
        idx
    }

    /// Like [`resolve`](Self::resolve), but keeps the original location when a reference is broken.
    pub fn deref<'a>(&'a self, loc: Loc<'a>) -> Loc<'a> {
        self.resolve(loc.clone()).unwrap_or(loc)
    }
}

/// The `$id` (or draft-04 `id` when it is a string next to schema keywords) of a schema node.
fn schema_id(n: &Node) -> Option<&str> {
    n.get_str("$id").or_else(|| {
        n.get_str("id")
            .filter(|_| n.get("type").is_some() || n.get("properties").is_some() || n.get("definitions").is_some())
    })
}

/// `uri` resolved against `base` (RFC 3986, for the path forms schemas use).
fn join_uri(base: &str, uri: &str) -> String {
    if uri.is_empty() {
        return base.to_string();
    }
    if uri.contains("://") || uri.starts_with("urn:") || base.is_empty() {
        return uri.to_string();
    }
    if let Some(rest) = uri.strip_prefix('/') {
        if let Some(i) = base.find("://") {
            let host_end = base[i + 3..].find('/').map(|j| i + 3 + j).unwrap_or(base.len());
            return format!("{}/{rest}", &base[..host_end]);
        }
        return uri.to_string();
    }
    let dir = base.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    match dir.find("://") {
        Some(i) => format!("{}{}", &dir[..i + 3], normalize(&format!("{}/{uri}", &dir[i + 3..]))),
        None => normalize(&format!("{dir}/{uri}")),
    }
}

/// The pointer of the `$anchor` (or `$id: "#name"`) called `name` under `root_ptr`.
fn anchor(doc: &Node, root_ptr: &str, name: &str) -> Option<String> {
    let start = doc.pointer(root_ptr)?;
    let mut stack = vec![(root_ptr.to_string(), start)];
    while let Some((ptr, n)) = stack.pop() {
        if n.get_str("$anchor") == Some(name)
            || n.get_str("$dynamicAnchor") == Some(name)
            || schema_id(n) == Some(&format!("#{name}"))
        {
            return Some(ptr);
        }
        match &n.value {
            tree::Value::Map(m) => stack.extend(m.iter().map(|(k, v)| (tree::join(&ptr, k), v))),
            tree::Value::Seq(s) => stack.extend(s.iter().enumerate().map(|(i, v)| (format!("{ptr}/{i}"), v))),
            _ => {}
        }
    }
    None
}

/// `other.yaml#/a/b` relative to `from` → (`dir/other.yaml`, `/a/b`); `#/a` → (`from`, `/a`).
pub fn split_ref(from: &str, r: &str) -> (String, String) {
    let (file, frag) = r.split_once('#').unwrap_or((r, ""));
    let frag = crate::text::percent_decode(frag);
    if file.is_empty() {
        return (from.to_string(), frag);
    }
    let dir = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    (normalize(&format!("{dir}/{file}")), frag)
}

/// Resolves `.` and `..` segments; a path escaping the root keeps its leading `..` (the
/// repository reader refuses it).
fn normalize(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." if out.last().is_some_and(|s| *s != "..") => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// Queues every relative file named by a `$ref` in `node` (URLs are not fetched).
fn collect_files(from: &str, node: &Node, queue: &mut VecDeque<String>) {
    let mut ids = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            tree::Value::Map(m) => {
                if let Some(id) = schema_id(n) {
                    ids.push(id.split('#').next().unwrap_or("").to_string());
                }
                stack.extend(m.values());
            }
            tree::Value::Seq(s) => stack.extend(s.iter()),
            _ => {}
        }
    }
    let embedded =
        |file: &str| ids.iter().any(|id| !id.is_empty() && (id == file || id.ends_with(&format!("/{file}"))));
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            tree::Value::Map(m) => {
                if let Some(r) = m.get("$ref").and_then(Node::str) {
                    let file = r.split('#').next().unwrap_or("");
                    if !file.is_empty() && !file.contains("://") && !file.starts_with("urn:") && !embedded(file) {
                        queue.push_back(split_ref(from, r).0);
                    }
                }
                stack.extend(m.values());
            }
            tree::Value::Seq(s) => stack.extend(s.iter()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_across_files_and_cycles() {
        let root = "a: {$ref: 'defs/x.yaml#/X'}\nloop: {$ref: '#/loop'}\n";
        let x = "X: {type: string, next: {$ref: '../main.yaml#/a'}}\n";
        let docs =
            Docs::load("api/main.yaml", root, |p| (p == "api/defs/x.yaml").then(|| x.as_bytes().to_vec())).unwrap();
        let r = docs.root().unwrap();
        let a = docs.resolve(r.child("a").unwrap()).unwrap();
        assert_eq!(a.file, "api/defs/x.yaml");
        assert_eq!(a.node.get_str("type"), Some("string"));
        assert_eq!(a.ptr, "/X");
        assert!(docs.resolve(r.child("loop").unwrap()).is_none());
        assert_eq!(split_ref("a/b.yaml", "../c.json#/x~1y"), ("c.json".into(), "/x~1y".into()));
    }

    #[test]
    fn missing_referenced_file_is_a_problem_not_an_error() {
        let docs = Docs::load("main.yaml", "a: {$ref: 'gone.yaml'}\n", |_| None).unwrap();
        assert_eq!(docs.problems.len(), 1);
    }
}
