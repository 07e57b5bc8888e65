//! Direction-neutral comparison of two JSON Schemas (OpenAPI schema objects are a dialect of
//! the same): every change is classified as narrowing (fewer values accepted) or widening, and
//! the caller maps that to a rule depending on who sends the data (request vs response,
//! backward vs forward compatibility). `$ref`s are followed, `allOf` is flattened, cycles stop.

use super::Side;
use super::docs::{Docs, Loc};
use super::tree::{Node, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A property appeared; `required` when it is required at head.
    PropAdded {
        required: bool,
    },
    /// A property disappeared; `closed` when the base schema forbade unknown properties.
    PropRemoved {
        closed: bool,
    },
    MadeRequired,
    MadeOptional,
    /// `type`/`format`/variants changed; either or both directions.
    Type {
        narrows: bool,
        widens: bool,
    },
    EnumRemoved,
    EnumAdded,
    /// A validation keyword became stricter (max lowered, pattern added, ...).
    Tightened,
    Loosened,
    DefaultChanged,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaChange {
    pub kind: Kind,
    /// Which side's file `file`/`ptr` refer to.
    pub side: Side,
    pub file: String,
    pub ptr: String,
    /// What changed, as a sentence fragment (`property `name` was removed`).
    pub what: String,
}

const MAX_DEPTH: usize = 64;
const UPPER: &[&str] = &["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
const LOWER: &[&str] = &["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
const KEYWORDS: &[&str] = &[
    "type",
    "nullable",
    "format",
    "enum",
    "const",
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
    "pattern",
    "multipleOf",
    "uniqueItems",
    "default",
    "items",
    "additionalProperties",
    "oneOf",
    "anyOf",
    "prefixItems",
];

/// A schema with `$ref` followed and `allOf` members merged in.
struct Flat<'a> {
    loc: Loc<'a>,
    props: BTreeMap<String, Loc<'a>>,
    required: BTreeSet<String>,
    kw: BTreeMap<&'static str, Loc<'a>>,
}

type Key = (String, String, String, String);

/// Compares schemas of one base/head pair of documents; results are cached per schema pair so a
/// component used by many operations is compared once.
pub struct Differ<'a> {
    pub base: &'a Docs,
    pub head: &'a Docs,
    cache: HashMap<Key, Rc<Vec<SchemaChange>>>,
}

impl<'a> Differ<'a> {
    pub fn new(base: &'a Docs, head: &'a Docs) -> Self {
        Differ { base, head, cache: HashMap::new() }
    }

    /// Every change between the schema at `b` (base) and `h` (head).
    pub fn diff(&mut self, b: Loc<'a>, h: Loc<'a>) -> Rc<Vec<SchemaChange>> {
        self.diff_at(b, h, 0)
    }

    fn diff_at(&mut self, b: Loc<'a>, h: Loc<'a>, depth: usize) -> Rc<Vec<SchemaChange>> {
        let b = self.base.deref(b);
        let h = self.head.deref(h);
        let key = (b.file.to_string(), b.ptr.clone(), h.file.to_string(), h.ptr.clone());
        if let Some(hit) = self.cache.get(&key) {
            return hit.clone();
        }
        if depth > MAX_DEPTH {
            return Rc::default();
        }
        // Mark in progress: a cycle back to this pair sees no changes instead of recursing.
        self.cache.insert(key.clone(), Rc::default());
        let out = Rc::new(self.compare(b, h, depth));
        self.cache.insert(key, out.clone());
        out
    }

    fn compare(&mut self, b: Loc<'a>, h: Loc<'a>, depth: usize) -> Vec<SchemaChange> {
        let fb = flatten(self.base, b, 0);
        let fh = flatten(self.head, h, 0);
        let mut out = Vec::new();
        let at_head = |fh: &Flat<'a>, kw: &str| fh.kw.get(kw).unwrap_or(&fh.loc).ptr.clone();
        let mut push = |kind, side, loc_ptr: String, file: &str, what: String| {
            out.push(SchemaChange { kind, side, file: file.to_string(), ptr: loc_ptr, what })
        };

        // type (with `nullable`) and format
        let (tb, th) = (types(&fb), types(&fh));
        if tb != th {
            let narrows = match (&tb, &th) {
                (None, Some(_)) => true,
                (Some(b), Some(h)) => b.iter().any(|t| !accepts(h, t)),
                _ => false,
            };
            let widens = match (&tb, &th) {
                (Some(_), None) => true,
                (Some(b), Some(h)) => h.iter().any(|t| !accepts(b, t)),
                _ => false,
            };
            if narrows || widens {
                let what = format!("type changed from {} to {}", show_types(&tb), show_types(&th));
                push(Kind::Type { narrows, widens }, Side::Head, at_head(&fh, "type"), fh.loc.file, what);
            }
        }
        // `int64` on an integer and `double` on a number only document JSON's usual range.
        let neutral = |f: &Flat<'a>, fmt: Option<&str>| match fmt {
            Some("int64") => types(f).is_some_and(|t| t.contains("integer")),
            Some("double") => types(f).is_some_and(|t| t.contains("number")),
            _ => false,
        };
        let (fmb, fmh) = (kw_str(&fb, "format"), kw_str(&fh, "format"));
        let annotation_only = (fmb.is_none() && neutral(&fh, fmh)) || (fmh.is_none() && neutral(&fb, fmb));
        if fmb != fmh && !annotation_only {
            let kind = Kind::Type { narrows: fmh.is_some(), widens: fmb.is_some() };
            let what = format!("format changed from {} to {}", show_opt(fmb), show_opt(fmh));
            push(kind, Side::Head, at_head(&fh, "format"), fh.loc.file, what);
        }

        // enum / const
        let (eb, eh) = (enum_values(&fb), enum_values(&fh));
        match (&eb, &eh) {
            (None, Some(_)) => push(
                Kind::Tightened,
                Side::Head,
                at_head(&fh, "enum"),
                fh.loc.file,
                "an `enum` restriction was added".into(),
            ),
            (Some(_), None) => push(
                Kind::Loosened,
                Side::Head,
                fh.loc.ptr.clone(),
                fh.loc.file,
                "the `enum` restriction was removed".into(),
            ),
            (Some(b), Some(h)) => {
                let removed: Vec<_> = b.difference(h).cloned().collect();
                let added: Vec<_> = h.difference(b).cloned().collect();
                if !removed.is_empty() {
                    let what = format!("enum value(s) {} removed", removed.join(", "));
                    push(Kind::EnumRemoved, Side::Head, at_head(&fh, "enum"), fh.loc.file, what);
                }
                if !added.is_empty() {
                    let what = format!("enum value(s) {} added", added.join(", "));
                    push(Kind::EnumAdded, Side::Head, at_head(&fh, "enum"), fh.loc.file, what);
                }
            }
            (None, None) => {}
        }

        // numeric and length bounds, pattern, multipleOf, uniqueItems
        for (&kw, upper) in UPPER.iter().map(|k| (k, true)).chain(LOWER.iter().map(|k| (k, false))) {
            let (vb, vh) = (fb.kw.get(kw).map(|l| l.node), fh.kw.get(kw).map(|l| l.node));
            let tight = match (vb.map(|n| &n.value), vh.map(|n| &n.value)) {
                (None, None) => continue,
                (Some(Value::Bool(b)), Some(Value::Bool(h))) if b == h => continue,
                (Some(Value::Bool(_)), Some(Value::Bool(h))) => *h,
                (None, Some(Value::Bool(h))) => *h,
                (Some(Value::Bool(b)), None) => !*b,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(b), Some(h)) => match (num(b), num(h)) {
                    (Some(b), Some(h)) if b == h => continue,
                    (Some(b), Some(h)) => (h < b) == upper,
                    _ => continue,
                },
            };
            let what = format!("`{kw}` changed from {} to {}", show_node(vb), show_node(vh));
            let kind = if tight { Kind::Tightened } else { Kind::Loosened };
            push(kind, Side::Head, at_head(&fh, kw), fh.loc.file, what);
        }
        for kw in ["pattern", "multipleOf"] {
            let (vb, vh) = (fb.kw.get(kw).map(|l| l.node), fh.kw.get(kw).map(|l| l.node));
            if vb.map(Node::render) == vh.map(Node::render) {
                continue;
            }
            let kind = if vh.is_some() { Kind::Tightened } else { Kind::Loosened };
            let what = format!("`{kw}` changed from {} to {}", show_node(vb), show_node(vh));
            push(kind, Side::Head, at_head(&fh, kw), fh.loc.file, what);
        }
        let uniq = |f: &Flat| f.kw.get("uniqueItems").and_then(|l| l.node.bool()).unwrap_or(false);
        if uniq(&fb) != uniq(&fh) {
            let kind = if uniq(&fh) { Kind::Tightened } else { Kind::Loosened };
            push(kind, Side::Head, at_head(&fh, "uniqueItems"), fh.loc.file, "`uniqueItems` changed".into());
        }

        // default
        let (db, dh) = (fb.kw.get("default").map(|l| l.node), fh.kw.get("default").map(|l| l.node));
        if db.map(Node::render) != dh.map(Node::render) {
            let what = format!("default changed from {} to {}", show_node(db), show_node(dh));
            push(Kind::DefaultChanged, Side::Head, at_head(&fh, "default"), fh.loc.file, what);
        }

        // additionalProperties: false closes the object
        let closed = |f: &Flat| f.kw.get("additionalProperties").and_then(|l| l.node.bool()) == Some(false);
        let (cb, ch) = (closed(&fb), closed(&fh));
        if cb != ch {
            let kind = if ch { Kind::Tightened } else { Kind::Loosened };
            let what = format!("`additionalProperties: false` {}", if ch { "added" } else { "removed" });
            push(kind, Side::Head, at_head(&fh, "additionalProperties"), fh.loc.file, what);
        }

        // properties
        for (name, lb) in &fb.props {
            match fh.props.get(name) {
                None => {
                    let what = format!("property `{name}` was removed");
                    push(Kind::PropRemoved { closed: cb }, Side::Base, lb.ptr.clone(), lb.file, what);
                }
                Some(lh) => {
                    let (rb, rh) = (fb.required.contains(name), fh.required.contains(name));
                    if rb != rh {
                        let kind = if rh { Kind::MadeRequired } else { Kind::MadeOptional };
                        let what = format!("property `{name}` was made {}", if rh { "required" } else { "optional" });
                        push(kind, Side::Head, lh.ptr.clone(), lh.file, what);
                    }
                }
            }
        }
        for (name, lh) in &fh.props {
            if !fb.props.contains_key(name) {
                let required = fh.required.contains(name);
                let what = format!("{} property `{name}` was added", if required { "required" } else { "optional" });
                push(Kind::PropAdded { required }, Side::Head, lh.ptr.clone(), lh.file, what);
            }
        }
        for (name, lb) in &fb.props {
            if let Some(lh) = fh.props.get(name) {
                out.extend(self.diff_at(lb.clone(), lh.clone(), depth + 1).iter().cloned());
            }
        }

        // sub-schemas: items, additionalProperties (schema form), variants
        for kw in ["items", "additionalProperties"] {
            if let (Some(b), Some(h)) = (fb.kw.get(kw), fh.kw.get(kw)) {
                if b.node.map().is_some() && h.node.map().is_some() {
                    out.extend(self.diff_at(b.clone(), h.clone(), depth + 1).iter().cloned());
                }
            }
        }
        for kw in ["oneOf", "anyOf", "prefixItems"] {
            let (Some(b), Some(h)) = (fb.kw.get(kw), fh.kw.get(kw)) else { continue };
            let (nb, nh) = (b.node.seq().len(), h.node.seq().len());
            let pairs = if kw == "prefixItems" {
                (0..nb.min(nh)).map(|i| (i, i)).collect()
            } else {
                pair_variants(b.node, h.node)
            };
            for &(i, j) in &pairs {
                let (Some(cb), Some(chh)) = (b.child(&i.to_string()), h.child(&j.to_string())) else { continue };
                out.extend(self.diff_at(cb, chh, depth + 1).iter().cloned());
            }
            let (removed, added) = (nb - pairs.len(), nh - pairs.len());
            if removed + added > 0 {
                let what = format!("`{kw}`: {removed} alternative(s) removed, {added} added");
                let kind = if kw == "prefixItems" {
                    Kind::Type { narrows: true, widens: true }
                } else {
                    Kind::Type { narrows: removed > 0, widens: added > 0 }
                };
                out.push(SchemaChange { kind, side: Side::Head, file: h.file.to_string(), ptr: h.ptr.clone(), what });
            }
        }
        out
    }
}

/// Pairs `oneOf`/`anyOf` alternatives: same `$ref` first, then the rest in order, so inserting an
/// alternative in the middle does not misalign the others.
fn pair_variants(b: &Node, h: &Node) -> Vec<(usize, usize)> {
    let (bs, hs) = (b.seq(), h.seq());
    let mut used_h = vec![false; hs.len()];
    let mut used_b = vec![false; bs.len()];
    let mut pairs = Vec::new();
    for (i, bv) in bs.iter().enumerate() {
        let Some(r) = bv.get_str("$ref") else { continue };
        if let Some(j) = hs.iter().enumerate().position(|(j, hv)| !used_h[j] && hv.get_str("$ref") == Some(r)) {
            used_h[j] = true;
            used_b[i] = true;
            pairs.push((i, j));
        }
    }
    let rest_b = (0..bs.len()).filter(|&i| !used_b[i] && bs[i].get("$ref").is_none());
    let rest_h: Vec<usize> = (0..hs.len()).filter(|&j| !used_h[j] && hs[j].get("$ref").is_none()).collect();
    pairs.extend(rest_b.zip(rest_h));
    pairs.sort_unstable();
    pairs
}

fn flatten<'a>(docs: &'a Docs, loc: Loc<'a>, depth: usize) -> Flat<'a> {
    let loc = docs.deref(loc);
    let mut f = Flat { loc: loc.clone(), props: BTreeMap::new(), required: BTreeSet::new(), kw: BTreeMap::new() };
    for &kw in KEYWORDS {
        if let Some(l) = loc.child(kw) {
            f.kw.insert(kw, l);
        }
    }
    if let Some(props) = loc.child("properties") {
        if let Some(m) = props.node.map() {
            for k in m.keys() {
                if let Some(l) = props.child(k) {
                    f.props.insert(k.clone(), l);
                }
            }
        }
    }
    f.required.extend(
        loc.node.get("required").map(Node::seq).unwrap_or(&[]).iter().filter_map(|n| n.str().map(String::from)),
    );
    if depth < 16 {
        if let Some(all) = loc.child("allOf") {
            for i in 0..all.node.seq().len() {
                let Some(member) = all.child(&i.to_string()) else { continue };
                let m = flatten(docs, member, depth + 1);
                for (k, v) in m.props {
                    f.props.entry(k).or_insert(v);
                }
                f.required.extend(m.required);
                for (k, v) in m.kw {
                    f.kw.entry(k).or_insert(v);
                }
            }
        }
    }
    f
}

fn types(f: &Flat) -> Option<BTreeSet<String>> {
    let t = f.kw.get("type")?.node;
    let mut set: BTreeSet<String> = match &t.value {
        Value::Str(s) => [s.clone()].into(),
        Value::Seq(s) => s.iter().filter_map(|n| n.str().map(String::from)).collect(),
        _ => return None,
    };
    if f.kw.get("nullable").and_then(|l| l.node.bool()) == Some(true) {
        set.insert("null".into());
    }
    Some(set)
}

fn accepts(set: &BTreeSet<String>, t: &str) -> bool {
    set.contains(t) || (t == "integer" && set.contains("number"))
}

fn show_types(t: &Option<BTreeSet<String>>) -> String {
    match t {
        None => "any".into(),
        Some(s) => format!("`{}`", s.iter().cloned().collect::<Vec<_>>().join("|")),
    }
}

fn kw_str<'a>(f: &Flat<'a>, kw: &str) -> Option<&'a str> {
    f.kw.get(kw).and_then(|l| l.node.str())
}

fn show_opt(s: Option<&str>) -> String {
    s.map(|s| format!("`{s}`")).unwrap_or_else(|| "none".into())
}

fn show_node(n: Option<&Node>) -> String {
    n.map(|n| format!("`{}`", n.render())).unwrap_or_else(|| "none".into())
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Num(n) => Some(*n),
        _ => None,
    }
}

fn enum_values(f: &Flat) -> Option<BTreeSet<String>> {
    if let Some(c) = f.kw.get("const") {
        return Some([c.node.render()].into());
    }
    Some(f.kw.get("enum")?.node.seq().iter().map(Node::render).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(base: &str, head: &str) -> Vec<(Kind, String)> {
        let b = Docs::load("s.yaml", base, |_| None).unwrap();
        let h = Docs::load("s.yaml", head, |_| None).unwrap();
        let mut d = Differ::new(&b, &h);
        let (rb, rh) = (b.root().unwrap().child("s").unwrap(), h.root().unwrap().child("s").unwrap());
        d.diff(rb, rh).iter().map(|c| (c.kind, c.ptr.clone())).collect()
    }

    #[test]
    fn narrowing_and_widening() {
        let base = "s:\n  type: object\n  required: [a]\n  properties:\n    a: {type: number, maxLength: 10, enum: [1, 2]}\n    b: {type: string}\n";
        let head = "s:\n  type: object\n  required: [a, b]\n  properties:\n    a: {type: integer, maxLength: 5, enum: [1, 3]}\n    b: {type: string}\n    c: {type: string}\n";
        let got = run(base, head);
        assert!(got.contains(&(Kind::MadeRequired, "/s/properties/b".into())), "{got:?}");
        assert!(got.contains(&(Kind::PropAdded { required: false }, "/s/properties/c".into())));
        assert!(got.contains(&(Kind::Type { narrows: true, widens: false }, "/s/properties/a/type".into())));
        assert!(got.contains(&(Kind::Tightened, "/s/properties/a/maxLength".into())));
        assert!(got.contains(&(Kind::EnumRemoved, "/s/properties/a/enum".into())));
        assert!(got.contains(&(Kind::EnumAdded, "/s/properties/a/enum".into())));
    }

    #[test]
    fn int64_on_integer_is_not_a_narrowing() {
        assert!(run("s: {type: integer}\n", "s: {type: integer, format: int64}\n").is_empty());
        let got = run("s: {type: integer}\n", "s: {type: integer, format: int32}\n");
        assert_eq!(got, vec![(Kind::Type { narrows: true, widens: false }, "/s/format".into())]);
    }

    #[test]
    fn one_of_alternatives_pair_by_ref() {
        let base = "s: {oneOf: [{$ref: '#/d/A'}, {$ref: '#/d/B'}]}\nd:\n  A: {enum: [a]}\n  B: {enum: [b]}\n  C: {enum: [c]}\n";
        let head = base.replace(
            "s: {oneOf: [{$ref: '#/d/A'}, {$ref: '#/d/B'}]}",
            "s: {oneOf: [{$ref: '#/d/A'}, {$ref: '#/d/C'}, {$ref: '#/d/B'}]}",
        );
        let got = run(base, &head);
        assert_eq!(got, vec![(Kind::Type { narrows: false, widens: true }, "/s/oneOf".into())]);
    }

    #[test]
    fn refs_all_of_and_cycles() {
        let base = "s: {$ref: '#/d/A'}\nd:\n  A:\n    allOf:\n      - {$ref: '#/d/B'}\n      - {properties: {x: {type: string}}}\n  B:\n    properties:\n      self: {$ref: '#/d/A'}\n      y: {type: string}\n";
        let head = base.replace("      y: {type: string}\n", "");
        let got = run(base, &head);
        assert_eq!(got, vec![(Kind::PropRemoved { closed: false }, "/d/B/properties/y".into())]);
    }
}
