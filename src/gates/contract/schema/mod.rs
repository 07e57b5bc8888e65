//! The one schema comparison engine, shared by the OpenAPI gate (request and response bodies,
//! parameters, headers) and the JSON Schema gate. It answers, keyword by keyword and with each
//! draft's semantics: does the revision accept fewer values (narrows), more (widens), both, or
//! is it unknown? The caller decides what breaks from the direction: a request or a `backward`
//! check breaks on narrowing (the reader is new), a response or a `forward` check on widening.
//!
//! Every (base schema, revision schema, flow, polarity) pair is compared once and memoised, so
//! `$ref` graphs with shared or cyclic nodes cost their number of distinct pairs, not their
//! number of paths.

pub mod view;

use super::Side;
use super::docs::{Docs, Loc};
use super::num::Num;
use super::tree::{self, Node};
use std::collections::{BTreeSet, HashMap};
use view::{Dialect, Limit, Rest, Union, UnionKind, View, canonical, type_names};

/// Which way values move: the flow decides which of `readOnly`/`writeOnly` properties exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flow {
    /// Sent by the client: `readOnly` properties are ignored.
    Request,
    /// Sent by the server: `writeOnly` properties are ignored.
    Response,
    /// Plain JSON Schema data.
    Data,
}

/// What a change does to the set of accepted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    /// Some values the base accepted are now rejected.
    Narrows,
    /// Some values the base rejected are now accepted.
    Widens,
    /// Both (e.g. `string` → `integer`).
    Both,
    /// Cannot be decided (e.g. a changed regular expression).
    Unknown,
    /// Accepted values unchanged (annotations: `default`, `discriminator`, …).
    Neutral,
}

impl Effect {
    fn flip(self, flipped: bool) -> Effect {
        match (self, flipped) {
            (Effect::Narrows, true) => Effect::Widens,
            (Effect::Widens, true) => Effect::Narrows,
            (e, _) => e,
        }
    }
    pub fn narrows(self) -> bool {
        matches!(self, Effect::Narrows | Effect::Both | Effect::Unknown)
    }
    pub fn widens(self) -> bool {
        matches!(self, Effect::Widens | Effect::Both | Effect::Unknown)
    }
}

/// How a property or tuple position relates to what the object (array) accepts besides its
/// listed members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Model {
    /// Anything else is accepted (`additionalProperties` absent or `true`).
    Open,
    /// Nothing else is accepted (`false`).
    Closed,
    /// Accepted when it matches a schema (`additionalProperties: {…}`, `patternProperties`);
    /// `covered` when that schema accepts at least what the property did.
    Partial { covered: bool },
}

/// What kind of change; families map (kind, effect) to their rule ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Type,
    Format,
    Content,
    EnumValues,
    /// An `enum`/`const` restriction added or removed.
    EnumRestriction,
    ConstChanged,
    Constraint,
    Pattern,
    Default,
    PropertyAdded {
        required: bool,
        with_default: bool,
        model: Model,
        empty: bool,
    },
    PropertyRemoved {
        required: bool,
        model: Model,
        was_false: bool,
    },
    MadeRequired {
        with_default: bool,
    },
    MadeOptional,
    AdditionalProperties,
    Tuple {
        added: bool,
        model: Model,
    },
    Alternatives,
    AllOfMember,
    Dependency,
    Discriminator,
    ExtensibleEnum,
}

/// One classified change inside a schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SchemaChange {
    pub kind: Kind,
    pub effect: Effect,
    /// Where to annotate: the head position when the change has one, else the base position.
    pub side: Side,
    pub file: String,
    pub ptr: String,
    pub what: String,
}

type Key = (Vec<usize>, Vec<usize>, Flow, bool);

/// A pair queued for later: (id, base conjuncts, head conjuncts, flow, inside `not`).
type Job<'a> = (u32, Vec<Loc<'a>>, Vec<Loc<'a>>, Flow, bool);

/// Most pair comparisons nested on the stack (each level holds two schema views).
const MAX_STACK_DEPTH: usize = 24;

#[derive(Default)]
struct Pair {
    changes: Vec<u32>,
    children: Vec<u32>,
}

/// One side of a comparison: its documents and dialect.
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    pub docs: &'a Docs,
    pub dialect: Dialect,
}

pub struct Engine<'a> {
    pub base: Doc<'a>,
    pub head: Doc<'a>,
    memo: HashMap<Key, u32>,
    pairs: Vec<Pair>,
    /// Visit stamps for [`collect`](Self::collect), so a walk does not clear a vector per call.
    seen: Vec<u32>,
    stamp: u32,
    /// Nesting of pair comparisons on the stack; deeper pairs wait in `pending`.
    depth: usize,
    pending: Vec<Job<'a>>,
    changes: Vec<SchemaChange>,
    index: HashMap<SchemaChange, u32>,
    fingerprints: HashMap<usize, u64>,
}

const ANNOTATION_FP: &[&str] =
    &["title", "description", "example", "examples", "$comment", "externalDocs", "xml", "$id", "$schema"];

impl<'a> Engine<'a> {
    pub fn new(base: Doc<'a>, head: Doc<'a>) -> Self {
        Engine {
            base,
            head,
            memo: HashMap::new(),
            pairs: Vec::new(),
            changes: Vec::new(),
            index: HashMap::new(),
            fingerprints: HashMap::new(),
            seen: Vec::new(),
            stamp: 0,
            depth: 0,
            pending: Vec::new(),
        }
    }

    /// Compares the schema at `b` (base) with the one at `h` (head); returns a pair id.
    pub fn compare(&mut self, b: Loc<'a>, h: Loc<'a>, flow: Flow) -> u32 {
        let id = self.pair(vec![b], vec![h], flow, false);
        // Pairs deeper than the stack allows were queued: finish them here, iteratively.
        while let Some((id, b, h, flow, flipped)) = self.pending.pop() {
            self.fill(id, &b, &h, flow, flipped);
        }
        id
    }

    /// Every change reachable from `pair`, each once.
    pub fn collect(&mut self, pair: u32) -> Vec<&SchemaChange> {
        self.stamp += 1;
        self.seen.resize(self.pairs.len(), 0);
        let mut found = BTreeSet::new();
        let mut stack = vec![pair];
        while let Some(p) = stack.pop() {
            if std::mem::replace(&mut self.seen[p as usize], self.stamp) == self.stamp {
                continue;
            }
            let data = &self.pairs[p as usize];
            found.extend(data.changes.iter().copied());
            stack.extend(data.children.iter().copied());
        }
        found.into_iter().map(|i| &self.changes[i as usize]).collect()
    }

    /// Whether anything reachable from `pair` narrows.
    fn narrows(&mut self, pair: u32) -> bool {
        self.collect(pair).iter().any(|c| c.effect.narrows())
    }

    fn key(&self, b: &[Loc<'a>], h: &[Loc<'a>], flow: Flow, flipped: bool) -> Key {
        let addr = |d: Doc<'a>, l: &Loc<'a>| view::resolve(d.docs, d.dialect, l.clone()).node as *const Node as usize;
        (b.iter().map(|l| addr(self.base, l)).collect(), h.iter().map(|l| addr(self.head, l)).collect(), flow, flipped)
    }

    fn pair(&mut self, b: Vec<Loc<'a>>, h: Vec<Loc<'a>>, flow: Flow, flipped: bool) -> u32 {
        let key = self.key(&b, &h, flow, flipped);
        if let Some(&id) = self.memo.get(&key) {
            return id;
        }
        let id = self.pairs.len() as u32;
        self.pairs.push(Pair::default());
        self.memo.insert(key, id);
        if self.depth >= MAX_STACK_DEPTH {
            // A long `$ref` chain (one schema per level) must not overflow the thread's stack.
            self.pending.push((id, b, h, flow, flipped));
            return id;
        }
        self.fill(id, &b, &h, flow, flipped);
        id
    }

    fn fill(&mut self, id: u32, b: &[Loc<'a>], h: &[Loc<'a>], flow: Flow, flipped: bool) {
        self.depth += 1;
        let mut cx = Cx { flow, flipped, out: Vec::new(), children: Vec::new() };
        self.compare_views(&mut cx, b, h);
        self.depth -= 1;
        let mut ids = Vec::with_capacity(cx.out.len());
        for c in cx.out {
            let next = self.changes.len() as u32;
            let i = *self.index.entry(c.clone()).or_insert(next);
            if i == next {
                self.changes.push(c);
            }
            ids.push(i);
        }
        self.pairs[id as usize] = Pair { changes: ids, children: cx.children };
    }

    /// A structural hash of a schema with `$ref`s followed and annotations ignored.
    pub fn fingerprint(&mut self, side: Side, loc: &Loc<'a>) -> u64 {
        let d = if side == Side::Base { self.base } else { self.head };
        let mut guard = Vec::new();
        self.fp(d, loc.clone(), &mut guard)
    }

    fn fp(&mut self, d: Doc<'a>, loc: Loc<'a>, guard: &mut Vec<usize>) -> u64 {
        use std::hash::{Hash, Hasher};
        let addr = loc.node as *const Node as usize;
        if let Some(&h) = self.fingerprints.get(&addr) {
            return h;
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        if guard.contains(&addr) || guard.len() > 64 {
            loc.node.get_str("$ref").unwrap_or("cycle").hash(&mut hasher);
            return hasher.finish();
        }
        guard.push(addr);
        match &loc.node.value {
            tree::Value::Map(m) => {
                if m.contains_key("$ref") && m.keys().all(|k| k == "$ref" || view::is_annotation(k)) {
                    if let Some(t) = d.docs.follow(&loc) {
                        let h = self.fp(d, t, guard);
                        guard.pop();
                        return h;
                    }
                }
                for k in m.keys() {
                    if ANNOTATION_FP.contains(&k.as_str()) || k.starts_with("x-") && k != "x-extensible-enum" {
                        continue;
                    }
                    k.hash(&mut hasher);
                    let child = loc.child(k).expect("a key of the map");
                    self.fp(d, child, guard).hash(&mut hasher);
                }
            }
            tree::Value::Seq(s) => {
                for i in 0..s.len() {
                    let child = loc.child(&i.to_string()).expect("an index");
                    self.fp(d, child, guard).hash(&mut hasher);
                }
            }
            _ => canonical(loc.node).hash(&mut hasher),
        }
        guard.pop();
        let h = hasher.finish();
        if matches!(loc.node.value, tree::Value::Map(_)) {
            self.fingerprints.insert(addr, h);
        }
        h
    }
}

/// The comparison in progress for one pair.
struct Cx {
    flow: Flow,
    flipped: bool,
    out: Vec<SchemaChange>,
    children: Vec<u32>,
}

impl Cx {
    fn push(&mut self, kind: Kind, effect: Effect, at: &Loc<'_>, side: Side, what: String) {
        // Inside `not`, a wider inner schema is a narrower outer one: say where it happened.
        let what = if self.flipped { format!("inside `not`: {what}") } else { what };
        self.out.push(SchemaChange {
            kind,
            effect: effect.flip(self.flipped),
            side,
            file: at.file.to_string(),
            ptr: at.ptr.clone(),
            what,
        });
    }
}

fn kw_at<'x>(l: &Loc<'x>, kw: &str) -> Loc<'x> {
    Loc { file: l.file, ptr: tree::join(&l.ptr, kw), node: l.node }
}

fn show(n: &Node) -> String {
    let r = n.render();
    if r.len() > 60 { format!("{}…", &r[..r.char_indices().nth(57).map(|(i, _)| i).unwrap_or(r.len())]) } else { r }
}

fn limit_text(l: &Limit<'_>, upper: bool) -> String {
    let op = match (upper, l.exclusive) {
        (true, false) => "≤",
        (true, true) => "<",
        (false, false) => "≥",
        (false, true) => ">",
    };
    format!("{op} {}", l.value)
}

/// Patterns that obviously accept at least what `old` did.
fn pattern_wider(old: &str, new: &str) -> bool {
    if matches!(new, "" | ".*" | "^.*$" | ".+" | "^.+$" | "^.*" | ".*$" | "[\\s\\S]*" | "(.*)") {
        return true;
    }
    // `old` is one branch of a top-level alternation in `new`.
    if new.split('|').any(|b| b == old) {
        return true;
    }
    // Dropping anchors only widens.
    let core = old.trim_start_matches('^').trim_end_matches('$');
    new == core || new == format!("^{core}") || new == format!("{core}$")
}

/// `(b, h)` index pairs of two lists of schemas, matched by structure (same fingerprint, same
/// `$ref`, then the most similar), never by position alone.
fn match_schemas<'a>(e: &mut Engine<'a>, bs: &[Loc<'a>], hs: &[Loc<'a>]) -> Vec<(usize, usize)> {
    let bf: Vec<u64> = bs.iter().map(|l| e.fp_any(Side::Base, l)).collect();
    let hf: Vec<u64> = hs.iter().map(|l| e.fp_any(Side::Head, l)).collect();
    let bv: Vec<(u8, BTreeSet<String>, Option<String>)> = bs.iter().map(|l| summary(e.base, l)).collect();
    let hv: Vec<(u8, BTreeSet<String>, Option<String>)> = hs.iter().map(|l| summary(e.head, l)).collect();
    let mut scored = Vec::new();
    for i in 0..bs.len() {
        for j in 0..hs.len() {
            let score = if bf[i] == hf[j] {
                1000
            } else if bs[i].node.get_str("$ref").is_some() && bs[i].node.get_str("$ref") == hs[j].node.get_str("$ref") {
                900
            } else if bv[i].2.is_some() && bv[i].2 == hv[j].2 {
                800
            } else {
                let (tb, pb, _) = &bv[i];
                let (th, ph, _) = &hv[j];
                if tb & th == 0 {
                    0
                } else {
                    let inter = pb.intersection(ph).count();
                    let union = pb.union(ph).count();
                    let sim = (100 * inter).checked_div(union).unwrap_or(50);
                    if union > 0 && inter == 0 { 1 } else { 10 + sim }
                }
            };
            if score > 0 {
                scored.push((score, i, j));
            }
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut ub, mut uh) = (vec![false; bs.len()], vec![false; hs.len()]);
    let mut out = Vec::new();
    for (_, i, j) in scored {
        if !ub[i] && !uh[j] {
            ub[i] = true;
            uh[j] = true;
            out.push((i, j));
        }
    }
    out.sort_unstable();
    out
}

/// (types, property names, discriminating constant) of a schema, for pairing alternatives.
fn summary<'a>(d: Doc<'a>, l: &Loc<'a>) -> (u8, BTreeSet<String>, Option<String>) {
    let v = View::build(d.docs, d.dialect, std::slice::from_ref(l));
    let types = v.implied_types().unwrap_or_else(|| v.type_bits());
    let props: BTreeSet<String> = v.props.keys().map(|k| k.to_string()).collect();
    // A property whose value is one constant (`kind: {enum: [a]}`) tags the alternative.
    let tag = v.props.iter().find_map(|(k, ls)| {
        let pv = View::build(d.docs, d.dialect, ls);
        pv.enumeration
            .as_ref()
            .filter(|(vals, _, _)| vals.len() == 1)
            .map(|(vals, _, _)| format!("{k}={}", vals.keys().next().unwrap()))
    });
    (types, props, tag)
}

impl<'a> Engine<'a> {
    fn fp_any(&mut self, side: Side, l: &Loc<'a>) -> u64 {
        self.fingerprint(side, l)
    }
}

impl<'a> Engine<'a> {
    fn compare_views(&mut self, cx: &mut Cx, bl: &[Loc<'a>], hl: &[Loc<'a>]) {
        let vb = View::build(self.base.docs, self.base.dialect, bl);
        let vh = View::build(self.head.docs, self.head.dialect, hl);
        let (Some(bat), Some(hat)) = (vb.at.clone(), vh.at.clone()) else { return };

        // Unions: a pure union on either side is compared alternative by alternative.
        if vb.pure_union() || vh.pure_union() {
            let as_union = |v: &View<'a>, at: &Loc<'a>, other: &View<'a>| -> Union<'a> {
                if v.pure_union() {
                    v.unions[0].clone()
                } else {
                    let kind = other.unions.first().map(|u| u.kind).unwrap_or(UnionKind::AnyOf);
                    Union { kind, loc: at.clone(), alts: vec![at.clone()] }
                }
            };
            let (ub, uh) = (as_union(&vb, &bat, &vh), as_union(&vh, &hat, &vb));
            let whole_b = !vb.pure_union();
            let whole_h = !vh.pure_union();
            self.unions(cx, &ub, &uh, whole_b, whole_h);
            self.annotations(cx, &vb, &vh, &hat);
            return;
        }
        self.types(cx, &vb, &vh, &bat, &hat);
        self.values(cx, &vb, &vh, &hat);
        self.numbers(cx, &vb, &vh, &hat);
        self.strings(cx, &vb, &vh, &hat);
        self.objects(cx, &vb, &vh, &bat, &hat);
        self.arrays(cx, &vb, &vh, &bat, &hat);
        self.composition(cx, &vb, &vh, &bat, &hat);
        self.annotations(cx, &vb, &vh, &hat);
    }

    fn unions(&mut self, cx: &mut Cx, ub: &Union<'a>, uh: &Union<'a>, whole_b: bool, whole_h: bool) {
        if ub.alts.len() == 1 && uh.alts.len() == 1 {
            let c = self.pair(vec![ub.alts[0].clone()], vec![uh.alts[0].clone()], cx.flow, cx.flipped);
            cx.children.push(c);
            return;
        }
        if !whole_b && !whole_h && ub.kind != uh.kind && ub.alts.len() > 1 && uh.alts.len() > 1 {
            let (eff, what) = if uh.kind == UnionKind::AnyOf {
                (Effect::Widens, "`oneOf` became `anyOf` (values matching several alternatives are now accepted)")
            } else {
                (Effect::Narrows, "`anyOf` became `oneOf` (values matching several alternatives are now rejected)")
            };
            cx.push(Kind::Alternatives, eff, &uh.loc, Side::Head, what.into());
        }
        let pairs = match_schemas(self, &ub.alts, &uh.alts);
        for &(i, j) in &pairs {
            let c = self.pair(vec![ub.alts[i].clone()], vec![uh.alts[j].clone()], cx.flow, cx.flipped);
            cx.children.push(c);
        }
        let paired_b: BTreeSet<usize> = pairs.iter().map(|p| p.0).collect();
        let paired_h: BTreeSet<usize> = pairs.iter().map(|p| p.1).collect();
        for (i, _) in ub.alts.iter().enumerate().filter(|(i, _)| !paired_b.contains(i)) {
            let what = if whole_h {
                format!("alternative {} of `{}` is no longer accepted", i + 1, ub.kind.keyword())
            } else {
                format!("`{}` alternative {} was removed", ub.kind.keyword(), i + 1)
            };
            cx.push(Kind::Alternatives, Effect::Narrows, &uh.loc, Side::Head, what);
        }
        for (_, alt) in uh.alts.iter().enumerate().filter(|(j, _)| !paired_h.contains(j)) {
            let name =
                alt.node.get_str("$ref").map(|r| format!("`{}`", r.rsplit('/').next().unwrap_or(r))).unwrap_or_else(
                    || {
                        let v = View::build(self.head.docs, self.head.dialect, std::slice::from_ref(alt));
                        format!("`{}`", type_names(v.implied_types().unwrap_or_else(|| v.type_bits())))
                    },
                );
            let what = if whole_b {
                format!("wrapped in `{}` with a new alternative {name}", uh.kind.keyword())
            } else {
                format!("`{}` alternative {name} was added", uh.kind.keyword())
            };
            cx.push(Kind::Alternatives, Effect::Widens, alt, Side::Head, what);
        }
    }

    fn types(&mut self, cx: &mut Cx, vb: &View<'a>, vh: &View<'a>, bat: &Loc<'a>, hat: &Loc<'a>) {
        let (mut tb, mut th) = (vb.type_bits(), vh.type_bits());
        // `{properties: …}` and `{type: object, properties: …}` mean the same to an API author.
        if vb.types.is_none() && !vb.never {
            if let Some(i) = vb.implied_types() {
                if i & th == i || th == view::ANY {
                    tb = if th == view::ANY { view::ANY } else { th };
                }
            }
        }
        if vh.types.is_none() && !vh.never {
            if let Some(i) = vh.implied_types() {
                if i & tb == i {
                    th = tb;
                }
            }
        }
        if tb != th {
            let narrows = tb & !th != 0;
            let widens = th & !tb != 0;
            let eff = match (narrows, widens) {
                (true, true) => Effect::Both,
                (true, false) => Effect::Narrows,
                _ => Effect::Widens,
            };
            let at = vh.types.as_ref().map(|t| t.1.clone()).unwrap_or_else(|| hat.clone());
            let what = if vh.never {
                "the schema became `false` (accepts nothing)".to_string()
            } else if tb | view::NULL == th {
                "now also accepts `null`".to_string()
            } else if th | view::NULL == tb {
                "no longer accepts `null`".to_string()
            } else {
                format!("type changed from `{}` to `{}`", type_names(tb), type_names(th))
            };
            cx.push(Kind::Type, eff, &at, Side::Head, what);
        }
        // format
        let neutral = |bits: u8, f: Option<&str>| match f {
            Some("int64") => bits & view::INTEGER != 0 && bits & view::NUMBER == 0,
            Some("double") => bits & view::NUMBER != 0,
            _ => false,
        };
        let (fb, fh) = (vb.format.as_ref().map(|f| f.0), vh.format.as_ref().map(|f| f.0));
        if fb != fh && !(fb.is_none() && neutral(th, fh)) && !(fh.is_none() && neutral(tb, fb)) {
            let eff = match (fb, fh) {
                (None, Some(_)) => Effect::Narrows,
                (Some(_), None) => Effect::Widens,
                (Some("int32"), Some("int64")) | (Some("float"), Some("double")) => Effect::Widens,
                (Some("int64"), Some("int32")) | (Some("double"), Some("float")) => Effect::Narrows,
                _ => Effect::Both,
            };
            let at = vh.format.as_ref().map(|f| f.1.clone()).unwrap_or_else(|| kw_at(hat, "format"));
            let show = |f: Option<&str>| f.map(|f| format!("`{f}`")).unwrap_or_else(|| "none".into());
            cx.push(Kind::Format, eff, &at, Side::Head, format!("format changed from {} to {}", show(fb), show(fh)));
        }
        // content keywords
        for (name, b, h) in [
            ("contentMediaType", &vb.content_media_type, &vh.content_media_type),
            ("contentEncoding", &vb.content_encoding, &vh.content_encoding),
        ] {
            let (sb, sh) = (b.as_ref().map(|x| x.0), h.as_ref().map(|x| x.0));
            if sb != sh {
                let eff = Effect::Both;
                let at = h.as_ref().map(|x| x.1.clone()).unwrap_or_else(|| kw_at(hat, name));
                let show = |f: Option<&str>| f.map(|f| format!("`{f}`")).unwrap_or_else(|| "none".into());
                cx.push(
                    Kind::Content,
                    eff,
                    &at,
                    Side::Head,
                    format!("`{name}` changed from {} to {}", show(sb), show(sh)),
                );
            }
        }
        match (&vb.content_schema, &vh.content_schema) {
            (None, Some(h)) => {
                cx.push(Kind::Constraint, Effect::Narrows, h, Side::Head, "a `contentSchema` was added".into())
            }
            (Some(_), None) => cx.push(
                Kind::Constraint,
                Effect::Widens,
                &kw_at(hat, "contentSchema"),
                Side::Head,
                "the `contentSchema` was removed".into(),
            ),
            (Some(b), Some(h)) => {
                let c = self.pair(vec![b.clone()], vec![h.clone()], cx.flow, cx.flipped);
                cx.children.push(c);
            }
            _ => {}
        }
        let _ = bat;
    }

    fn values(&mut self, cx: &mut Cx, vb: &View<'a>, vh: &View<'a>, hat: &Loc<'a>) {
        match (&vb.enumeration, &vh.enumeration) {
            (None, Some((vals, at, is_const))) => {
                let kw = if *is_const { "const" } else { "enum" };
                let list: Vec<String> = vals.values().map(|n| show(n)).collect();
                cx.push(
                    Kind::EnumRestriction,
                    Effect::Narrows,
                    at,
                    Side::Head,
                    format!("values restricted to `{kw}` {}", list.join(", ")),
                );
            }
            (Some((_, _, is_const)), None) => {
                let kw = if *is_const { "const" } else { "enum" };
                cx.push(
                    Kind::EnumRestriction,
                    Effect::Widens,
                    &kw_at(hat, kw),
                    Side::Head,
                    format!("the `{kw}` restriction was removed"),
                );
            }
            (Some((b, _, bconst)), Some((h, at, _))) => {
                let removed: Vec<String> =
                    b.iter().filter(|(k, _)| !h.contains_key(*k)).map(|(_, n)| show(n)).collect();
                let added: Vec<String> = h.iter().filter(|(k, _)| !b.contains_key(*k)).map(|(_, n)| show(n)).collect();
                if *bconst && b.len() == 1 && !removed.is_empty() && !added.is_empty() {
                    cx.push(
                        Kind::ConstChanged,
                        Effect::Both,
                        at,
                        Side::Head,
                        format!("value changed from {} to {}", removed.join(", "), added.join(", ")),
                    );
                } else {
                    if !removed.is_empty() {
                        cx.push(
                            Kind::EnumValues,
                            Effect::Narrows,
                            at,
                            Side::Head,
                            format!("enum value(s) {} removed", removed.join(", ")),
                        );
                    }
                    if !added.is_empty() {
                        cx.push(
                            Kind::EnumValues,
                            Effect::Widens,
                            at,
                            Side::Head,
                            format!("enum value(s) {} added", added.join(", ")),
                        );
                    }
                }
            }
            (None, None) => {}
        }
        if let (Some(b), Some(h)) = (&vb.extensible_enum, &vh.extensible_enum) {
            let hs: BTreeSet<String> = h.node.seq().iter().map(canonical).collect();
            let removed: Vec<String> = b.node.seq().iter().filter(|n| !hs.contains(&canonical(n))).map(show).collect();
            if !removed.is_empty() {
                cx.push(
                    Kind::ExtensibleEnum,
                    Effect::Narrows,
                    h,
                    Side::Head,
                    format!("`x-extensible-enum` value(s) {} removed", removed.join(", ")),
                );
            }
        }
    }

    fn limit(
        &mut self,
        cx: &mut Cx,
        name: &str,
        b: Option<&Limit<'a>>,
        h: Option<&Limit<'a>>,
        upper: bool,
        hat: &Loc<'a>,
    ) {
        let eff = match (b, h) {
            (None, None) => return,
            (None, Some(_)) => Effect::Narrows,
            (Some(_), None) => Effect::Widens,
            (Some(b), Some(h)) => match h.value.cmp(&b.value) {
                std::cmp::Ordering::Equal if b.exclusive == h.exclusive => return,
                std::cmp::Ordering::Equal => {
                    if h.exclusive {
                        Effect::Narrows
                    } else {
                        Effect::Widens
                    }
                }
                ord => {
                    if ord.is_lt() == upper {
                        Effect::Narrows
                    } else {
                        Effect::Widens
                    }
                }
            },
        };
        let at = h.map(|l| l.loc.clone()).unwrap_or_else(|| kw_at(hat, b.map(|l| l.kw).unwrap_or(name)));
        let what = match (b, h) {
            (None, Some(h)) => format!("{name} {} added (`{}`)", limit_text(h, upper), h.kw),
            (Some(b), None) => format!("{name} {} removed", limit_text(b, upper)),
            (Some(b), Some(h)) => format!("{name} changed from {} to {}", limit_text(b, upper), limit_text(h, upper)),
            _ => unreachable!(),
        };
        cx.push(Kind::Constraint, eff, &at, Side::Head, what);
    }

    fn numbers(&mut self, cx: &mut Cx, vb: &View<'a>, vh: &View<'a>, hat: &Loc<'a>) {
        self.limit(cx, "upper bound", vb.upper.as_ref(), vh.upper.as_ref(), true, hat);
        self.limit(cx, "lower bound", vb.lower.as_ref(), vh.lower.as_ref(), false, hat);
        let (b, h) = (vb.multiple_of.as_ref(), vh.multiple_of.as_ref());
        let eff = match (b, h) {
            (None, Some(_)) => Some(Effect::Narrows),
            (Some(_), None) => Some(Effect::Widens),
            (Some((b, _)), Some((h, _))) if b == h => None,
            (Some((b, _)), Some((h, _))) => Some(if h.is_multiple_of(b) {
                Effect::Narrows
            } else if b.is_multiple_of(h) {
                Effect::Widens
            } else {
                Effect::Both
            }),
            _ => None,
        };
        if let Some(eff) = eff {
            let at = h.map(|x| x.1.clone()).unwrap_or_else(|| kw_at(hat, "multipleOf"));
            let show = |x: Option<&(Num, Loc<'a>)>| x.map(|x| format!("`{}`", x.0)).unwrap_or_else(|| "none".into());
            cx.push(
                Kind::Constraint,
                eff,
                &at,
                Side::Head,
                format!("`multipleOf` changed from {} to {}", show(b), show(h)),
            );
        }
        for kw in [
            "maxLength",
            "minLength",
            "maxItems",
            "minItems",
            "maxProperties",
            "minProperties",
            "maxContains",
            "minContains",
        ] {
            let upper = kw.starts_with("max");
            let (b, h) = (vb.counts.get(kw), vh.counts.get(kw));
            if b.is_none() && h.is_none() {
                continue;
            }
            self.limit(cx, &format!("`{kw}`"), b, h, upper, hat);
        }
    }

    fn strings(&mut self, cx: &mut Cx, vb: &View<'a>, vh: &View<'a>, hat: &Loc<'a>) {
        let bp: Vec<&str> = vb.patterns.iter().map(|p| p.0).collect();
        let hp: Vec<&str> = vh.patterns.iter().map(|p| p.0).collect();
        if bp == hp {
            return;
        }
        let at = vh.patterns.first().map(|p| p.1.clone()).unwrap_or_else(|| kw_at(hat, "pattern"));
        match (bp.as_slice(), hp.as_slice()) {
            ([], _) => cx.push(
                Kind::Constraint,
                Effect::Narrows,
                &at,
                Side::Head,
                format!("`pattern` `{}` added", hp.join("`, `")),
            ),
            (_, []) => cx.push(
                Kind::Constraint,
                Effect::Widens,
                &at,
                Side::Head,
                format!("`pattern` `{}` removed", bp.join("`, `")),
            ),
            ([o], [n]) if pattern_wider(o, n) => cx.push(
                Kind::Constraint,
                Effect::Widens,
                &at,
                Side::Head,
                format!("`pattern` widened from `{o}` to `{n}`"),
            ),
            ([o], [n]) if pattern_wider(n, o) => cx.push(
                Kind::Constraint,
                Effect::Narrows,
                &at,
                Side::Head,
                format!("`pattern` narrowed from `{o}` to `{n}`"),
            ),
            _ => cx.push(
                Kind::Pattern,
                Effect::Unknown,
                &at,
                Side::Head,
                format!(
                    "`pattern` changed from `{}` to `{}`; cannot prove it accepts the same values",
                    bp.join("`, `"),
                    hp.join("`, `")
                ),
            ),
        }
    }

    /// Properties visible in this flow: `readOnly` ones are not sent in requests, `writeOnly`
    /// ones not in responses.
    fn visible(&self, d: Doc<'a>, flow: Flow, locs: &[Loc<'a>]) -> bool {
        if flow == Flow::Data {
            return true;
        }
        let v = View::build(d.docs, d.dialect, locs);
        !((flow == Flow::Request && v.read_only) || (flow == Flow::Response && v.write_only))
    }

    /// How `v` treats a property `name` it does not list: open, closed, or a covering schema.
    fn cover(v: &View<'a>, name: &str) -> (Option<Loc<'a>>, bool) {
        for (p, l) in &v.pattern_props {
            if regex::Regex::new(p).is_ok_and(|r| r.is_match(name)) {
                return (Some(l.clone()), false);
            }
        }
        for holder in [&v.additional, &v.unevaluated_props] {
            match holder.as_ref().map(|l| (l, l.node.bool())) {
                Some((_, Some(false))) => return (None, true),
                Some((l, None)) => return (Some(l.clone()), false),
                _ => {}
            }
        }
        (None, !v.pattern_props.is_empty())
    }

    fn objects(&mut self, cx: &mut Cx, vb: &View<'a>, vh: &View<'a>, bat: &Loc<'a>, hat: &Loc<'a>) {
        let flow = cx.flow;
        let (bd, hd) = (self.base, self.head);
        let bprops: Vec<(&'a str, Vec<Loc<'a>>)> =
            vb.props.iter().filter(|(_, l)| self.visible(bd, flow, l)).map(|(k, l)| (*k, l.clone())).collect();
        let hprops: Vec<(&'a str, Vec<Loc<'a>>)> =
            vh.props.iter().filter(|(_, l)| self.visible(hd, flow, l)).map(|(k, l)| (*k, l.clone())).collect();
        let hidden_b: BTreeSet<&str> =
            vb.props.keys().filter(|k| !bprops.iter().any(|(n, _)| n == *k)).copied().collect();
        let hidden_h: BTreeSet<&str> =
            vh.props.keys().filter(|k| !hprops.iter().any(|(n, _)| n == *k)).copied().collect();
        let req_b = |n: &str| vb.required.contains_key(n) && !hidden_b.contains(n);
        let req_h = |n: &str| vh.required.contains_key(n) && !hidden_h.contains(n);
        let has_default = |d: Doc<'a>, l: &[Loc<'a>]| View::build(d.docs, d.dialect, l).default.is_some();
        let is_empty = |d: Doc<'a>, l: &[Loc<'a>]| {
            let v = View::build(d.docs, d.dialect, l);
            !v.asserts && v.unions.is_empty() && v.members.is_empty()
        };
        let is_false = |l: &[Loc<'a>]| l.iter().any(|x| x.node.bool() == Some(false));
        for (name, bl) in &bprops {
            match hprops.iter().find(|(n, _)| n == name) {
                Some((_, hl)) => {
                    let c = self.pair(bl.clone(), hl.clone(), flow, cx.flipped);
                    cx.children.push(c);
                    let at = hl[0].clone();
                    if !req_b(name) && req_h(name) {
                        let with_default = has_default(hd, hl);
                        cx.push(
                            Kind::MadeRequired { with_default },
                            Effect::Narrows,
                            &at,
                            Side::Head,
                            format!("property `{name}` became required"),
                        );
                    } else if req_b(name) && !req_h(name) {
                        cx.push(
                            Kind::MadeOptional,
                            Effect::Widens,
                            &at,
                            Side::Head,
                            format!("property `{name}` became optional"),
                        );
                    }
                }
                None => {
                    // Still listed in the head's `required`: the value stays guaranteed, only its schema went.
                    let required = req_b(name) && !req_h(name);
                    let (cover, closed) = Self::cover(vh, name);
                    let was_false = is_false(bl);
                    let (model, eff) = match (cover, closed) {
                        (Some(c), _) => {
                            let p = self.pair(bl.clone(), vec![c], flow, cx.flipped);
                            let covered = !self.narrows(p);
                            (Model::Partial { covered }, if covered { Effect::Widens } else { Effect::Narrows })
                        }
                        (None, true) => (Model::Closed, if was_false { Effect::Neutral } else { Effect::Narrows }),
                        (None, false) => (Model::Open, Effect::Widens),
                    };
                    // Annotate on the surviving `properties` (or the schema) of the head.
                    let at = vh.props.values().next().and_then(|l| {
                        let p = &l[0].ptr;
                        p.rfind('/').map(|i| Loc { file: l[0].file, ptr: p[..i].to_string(), node: l[0].node })
                    });
                    let at = at.unwrap_or_else(|| hat.clone());
                    let base_at = &bl[0];
                    let mut what = format!("{}property `{name}` was removed", if required { "required " } else { "" });
                    match model {
                        Model::Closed => what.push_str(" from a closed object (data carrying it is now rejected)"),
                        Model::Partial { covered: true } => {
                            what.push_str(" (still accepted by `additionalProperties`/`patternProperties`)")
                        }
                        Model::Partial { covered: false } => what.push_str(
                            " (the remaining `additionalProperties`/`patternProperties` reject its old values)",
                        ),
                        Model::Open => {}
                    }
                    let _ = at;
                    cx.push(Kind::PropertyRemoved { required, model, was_false }, eff, base_at, Side::Base, what);
                }
            }
        }
        for (name, hl) in &hprops {
            if bprops.iter().any(|(n, _)| n == name) {
                continue;
            }
            let required = req_h(name);
            let with_default = has_default(hd, hl);
            let empty = is_empty(hd, hl);
            let (cover, closed) = Self::cover(vb, name);
            let (model, mut eff) = match (cover, closed) {
                (Some(c), _) => {
                    let p = self.pair(vec![c], hl.clone(), flow, cx.flipped);
                    let covered = !self.narrows(p);
                    (Model::Partial { covered }, if covered { Effect::Neutral } else { Effect::Narrows })
                }
                (None, true) => (Model::Closed, Effect::Widens),
                (None, false) => (Model::Open, if empty { Effect::Neutral } else { Effect::Narrows }),
            };
            if required {
                eff = Effect::Narrows;
            }
            let what = format!("{} property `{name}` was added", if required { "required" } else { "optional" });
            cx.push(Kind::PropertyAdded { required, with_default, model, empty }, eff, &hl[0], Side::Head, what);
        }
        // `required` naming undeclared properties
        for (name, l) in &vh.required {
            if !vb.required.contains_key(name) && !vb.props.contains_key(name) && !vh.props.contains_key(name) {
                cx.push(
                    Kind::MadeRequired { with_default: false },
                    Effect::Narrows,
                    l,
                    Side::Head,
                    format!("property `{name}` became required"),
                );
            }
        }
        for (name, l) in &vb.required {
            if !vh.required.contains_key(name) && !vb.props.contains_key(name) && !vh.props.contains_key(name) {
                let at = vh.at.clone().unwrap_or_else(|| l.clone());
                cx.push(
                    Kind::MadeOptional,
                    Effect::Widens,
                    &at,
                    Side::Head,
                    format!("property `{name}` is no longer required"),
                );
            }
        }
        // additionalProperties / unevaluatedProperties
        for kw in ["additionalProperties", "unevaluatedProperties"] {
            let (b, h) = if kw == "additionalProperties" {
                (&vb.additional, &vh.additional)
            } else {
                (&vb.unevaluated_props, &vh.unevaluated_props)
            };
            let (rb, rh) = (Rest::of(b.clone()), Rest::of(h.clone()));
            let at = h.clone().unwrap_or_else(|| kw_at(hat, kw));
            let (eff, what) = match (&rb, &rh) {
                (Rest::Open, Rest::Open) | (Rest::Closed, Rest::Closed) => continue,
                (Rest::Schema(b), Rest::Schema(h)) => {
                    let c = self.pair(vec![b.clone()], vec![h.clone()], flow, cx.flipped);
                    cx.children.push(c);
                    continue;
                }
                (Rest::Open, Rest::Closed) => {
                    (Effect::Narrows, format!("`{kw}: false` added: properties not listed are now rejected"))
                }
                (Rest::Open, Rest::Schema(_)) => {
                    (Effect::Narrows, format!("`{kw}` now constrains properties not listed"))
                }
                (Rest::Closed, Rest::Open) => {
                    (Effect::Widens, format!("`{kw}: false` removed: any other property is now accepted"))
                }
                (Rest::Closed, Rest::Schema(_)) => {
                    (Effect::Widens, format!("`{kw}` now accepts other properties matching a schema"))
                }
                (Rest::Schema(_), Rest::Open) => {
                    (Effect::Widens, format!("`{kw}` no longer constrains properties not listed"))
                }
                (Rest::Schema(_), Rest::Closed) => {
                    (Effect::Narrows, format!("`{kw}: false`: properties not listed are now rejected"))
                }
            };
            cx.push(Kind::AdditionalProperties, eff, &at, Side::Head, what);
        }
        for (p, hl) in &vh.pattern_props {
            match vb.pattern_props.iter().find(|(q, _)| q == p) {
                Some((_, bl)) => {
                    let c = self.pair(vec![bl.clone()], vec![hl.clone()], flow, cx.flipped);
                    cx.children.push(c);
                }
                None => cx.push(
                    Kind::AdditionalProperties,
                    Effect::Narrows,
                    hl,
                    Side::Head,
                    format!("`patternProperties` `{p}` added"),
                ),
            }
        }
        for (p, bl) in &vb.pattern_props {
            if !vh.pattern_props.iter().any(|(q, _)| q == p) {
                cx.push(
                    Kind::AdditionalProperties,
                    Effect::Widens,
                    bl,
                    Side::Base,
                    format!("`patternProperties` `{p}` removed"),
                );
            }
        }
        match (vb.property_names.first(), vh.property_names.first()) {
            (None, Some(h)) => {
                cx.push(Kind::Constraint, Effect::Narrows, h, Side::Head, "`propertyNames` added".into())
            }
            (Some(_), None) => cx.push(
                Kind::Constraint,
                Effect::Widens,
                &kw_at(hat, "propertyNames"),
                Side::Head,
                "`propertyNames` removed".into(),
            ),
            (Some(b), Some(h)) => {
                let c = self.pair(vec![b.clone()], vec![h.clone()], flow, cx.flipped);
                cx.children.push(c);
            }
            _ => {}
        }
        // dependencies
        for (k, (hs, hl)) in &vh.dep_required {
            let eff = match vb.dep_required.get(k) {
                None => Effect::Narrows,
                Some((bs, _)) if bs == hs => continue,
                Some((bs, _)) if hs.is_superset(bs) => Effect::Narrows,
                Some((bs, _)) if bs.is_superset(hs) => Effect::Widens,
                Some(_) => Effect::Both,
            };
            let list: Vec<&str> = hs.iter().copied().collect();
            cx.push(
                Kind::Dependency,
                eff,
                hl,
                Side::Head,
                format!("when `{k}` is present, [{}] are required", list.join(", ")),
            );
        }
        for (k, (_, bl)) in &vb.dep_required {
            if !vh.dep_required.contains_key(k) {
                cx.push(
                    Kind::Dependency,
                    Effect::Widens,
                    bl,
                    Side::Base,
                    format!("the dependency of `{k}` was removed"),
                );
            }
        }
        for (k, hl) in &vh.dep_schemas {
            match vb.dep_schemas.get(k) {
                None => cx.push(
                    Kind::Dependency,
                    Effect::Narrows,
                    &hl[0],
                    Side::Head,
                    format!("a dependent schema for `{k}` was added"),
                ),
                Some(bl) => {
                    let c = self.pair(bl.clone(), hl.clone(), flow, cx.flipped);
                    cx.children.push(c);
                }
            }
        }
        for (k, bl) in &vb.dep_schemas {
            if !vh.dep_schemas.contains_key(k) {
                cx.push(
                    Kind::Dependency,
                    Effect::Widens,
                    &bl[0],
                    Side::Base,
                    format!("the dependent schema for `{k}` was removed"),
                );
            }
        }
        let _ = bat;
    }

    fn arrays(&mut self, cx: &mut Cx, vb: &View<'a>, vh: &View<'a>, bat: &Loc<'a>, hat: &Loc<'a>) {
        let flow = cx.flow;
        let rest = |v: &View<'a>| {
            let r = Rest::of(v.rest_items.clone());
            match (&r, &v.unevaluated_items) {
                (Rest::Open, Some(u)) => Rest::of(Some(u.clone())),
                _ => r,
            }
        };
        let (rb, rh) = (rest(vb), rest(vh));
        if !vb.tuple && !vh.tuple {
            // Plain `items`: compare as schemas (absent = `true`).
            let truth = |at: &Loc<'a>| Loc { file: at.file, ptr: tree::join(&at.ptr, "items"), node: &view::TRUE_NODE };
            let b = vb.rest_items.clone().unwrap_or_else(|| truth(bat));
            let h = vh.rest_items.clone().unwrap_or_else(|| truth(hat));
            if vb.rest_items.is_some() || vh.rest_items.is_some() {
                let c = self.pair(vec![b], vec![h], flow, cx.flipped);
                cx.children.push(c);
            }
            if let (Some(u), None) | (None, Some(u)) = (&vb.unevaluated_items, &vh.unevaluated_items) {
                let added = vh.unevaluated_items.is_some();
                if u.node.bool() != Some(true) {
                    let eff = if added { Effect::Narrows } else { Effect::Widens };
                    cx.push(
                        Kind::Tuple { added, model: Model::Closed },
                        eff,
                        u,
                        if added { Side::Head } else { Side::Base },
                        format!("`unevaluatedItems` {}", if added { "added" } else { "removed" }),
                    );
                }
            }
        } else {
            let n = vb.prefix.len().min(vh.prefix.len());
            for i in 0..n {
                let c = self.pair(vec![vb.prefix[i].clone()], vec![vh.prefix[i].clone()], flow, cx.flipped);
                cx.children.push(c);
            }
            for (i, bl) in vb.prefix.iter().enumerate().skip(n) {
                let (model, eff) = match &rh {
                    Rest::Open => (Model::Open, Effect::Widens),
                    Rest::Closed => {
                        (Model::Closed, if bl.node.bool() == Some(false) { Effect::Neutral } else { Effect::Narrows })
                    }
                    Rest::Schema(s) => {
                        let p = self.pair(vec![bl.clone()], vec![s.clone()], flow, cx.flipped);
                        let covered = !self.narrows(p);
                        (Model::Partial { covered }, if covered { Effect::Widens } else { Effect::Narrows })
                    }
                };
                cx.push(
                    Kind::Tuple { added: false, model },
                    eff,
                    bl,
                    Side::Base,
                    format!("tuple position {i} was removed"),
                );
            }
            for (i, hl) in vh.prefix.iter().enumerate().skip(n) {
                let (model, eff) = match &rb {
                    Rest::Open => {
                        (Model::Open, if hl.node.bool() == Some(true) { Effect::Neutral } else { Effect::Narrows })
                    }
                    Rest::Closed => (Model::Closed, Effect::Widens),
                    Rest::Schema(s) => {
                        let p = self.pair(vec![s.clone()], vec![hl.clone()], flow, cx.flipped);
                        let covered = !self.narrows(p);
                        (Model::Partial { covered }, if covered { Effect::Neutral } else { Effect::Narrows })
                    }
                };
                cx.push(
                    Kind::Tuple { added: true, model },
                    eff,
                    hl,
                    Side::Head,
                    format!("tuple position {i} was added"),
                );
            }
            let at = vh.rest_items.clone().or(vh.unevaluated_items.clone()).unwrap_or_else(|| kw_at(hat, "items"));
            let (eff, what) = match (&rb, &rh) {
                (Rest::Open, Rest::Open) | (Rest::Closed, Rest::Closed) => (None, ""),
                (Rest::Schema(b), Rest::Schema(h)) => {
                    let c = self.pair(vec![b.clone()], vec![h.clone()], flow, cx.flipped);
                    cx.children.push(c);
                    (None, "")
                }
                (Rest::Open, _) | (Rest::Schema(_), Rest::Closed) => {
                    (Some(Effect::Narrows), "items after the tuple are now restricted")
                }
                (Rest::Closed, _) | (Rest::Schema(_), Rest::Open) => {
                    (Some(Effect::Widens), "items after the tuple are now accepted")
                }
            };
            if let Some(eff) = eff {
                cx.push(
                    Kind::Tuple { added: eff == Effect::Narrows, model: Model::Closed },
                    eff,
                    &at,
                    Side::Head,
                    what.into(),
                );
            }
        }
        if let (None, Some(u)) = (&vb.unique, &vh.unique) {
            cx.push(Kind::Constraint, Effect::Narrows, u, Side::Head, "`uniqueItems: true` added".into());
        } else if vb.unique.is_some() && vh.unique.is_none() {
            cx.push(
                Kind::Constraint,
                Effect::Widens,
                &kw_at(hat, "uniqueItems"),
                Side::Head,
                "`uniqueItems` removed".into(),
            );
        }
        match (&vb.contains, &vh.contains) {
            (None, Some(h)) => cx.push(Kind::Constraint, Effect::Narrows, h, Side::Head, "`contains` added".into()),
            (Some(_), None) => cx.push(
                Kind::Constraint,
                Effect::Widens,
                &kw_at(hat, "contains"),
                Side::Head,
                "`contains` removed".into(),
            ),
            (Some(b), Some(h)) => {
                let c = self.pair(vec![b.clone()], vec![h.clone()], flow, cx.flipped);
                cx.children.push(c);
            }
            _ => {}
        }
    }

    fn composition(&mut self, cx: &mut Cx, vb: &View<'a>, vh: &View<'a>, bat: &Loc<'a>, hat: &Loc<'a>) {
        let flow = cx.flow;
        // Unions next to other assertions: pair them in order of kind.
        let n = vb.unions.len().max(vh.unions.len());
        for i in 0..n {
            match (vb.unions.get(i), vh.unions.get(i)) {
                (Some(b), Some(h)) => self.unions(cx, &b.clone(), &h.clone(), false, false),
                (None, Some(h)) => cx.push(
                    Kind::Alternatives,
                    Effect::Narrows,
                    &h.loc,
                    Side::Head,
                    format!("a `{}` constraint was added", h.kind.keyword()),
                ),
                (Some(b), None) => cx.push(
                    Kind::Alternatives,
                    Effect::Widens,
                    &kw_at(hat, b.kind.keyword()),
                    Side::Head,
                    format!("the `{}` constraint was removed", b.kind.keyword()),
                ),
                (None, None) => {}
            }
        }
        // allOf members added or removed (both sides compose with allOf).
        if !vb.members.is_empty() && !vh.members.is_empty() {
            let pairs = match_schemas(self, &vb.members, &vh.members);
            let ph: BTreeSet<usize> = pairs.iter().map(|p| p.1).collect();
            let pb: BTreeSet<usize> = pairs.iter().map(|p| p.0).collect();
            for (j, m) in vh.members.iter().enumerate().filter(|(j, _)| !ph.contains(j)) {
                let v = View::build(self.head.docs, self.head.dialect, std::slice::from_ref(m));
                if !v.asserts && v.unions.is_empty() && v.members.is_empty() {
                    continue;
                }
                let name = m.ptr.rsplit('/').next().unwrap_or("").to_string();
                cx.push(
                    Kind::AllOfMember,
                    Effect::Narrows,
                    m,
                    Side::Head,
                    format!("`allOf` member `{name}` was added (member {})", j + 1),
                );
            }
            for m in vb.members.iter().enumerate().filter(|(i, _)| !pb.contains(i)).map(|(_, m)| m) {
                let v = View::build(self.base.docs, self.base.dialect, std::slice::from_ref(m));
                if !v.asserts && v.unions.is_empty() && v.members.is_empty() {
                    continue;
                }
                let name = m.ptr.rsplit('/').next().unwrap_or("").to_string();
                cx.push(
                    Kind::AllOfMember,
                    Effect::Widens,
                    m,
                    Side::Base,
                    format!("`allOf` member `{name}` was removed"),
                );
            }
        }
        // not
        match (vb.nots.first(), vh.nots.first()) {
            (None, Some(h)) => cx.push(Kind::Constraint, Effect::Narrows, h, Side::Head, "`not` added".into()),
            (Some(_), None) => {
                cx.push(Kind::Constraint, Effect::Widens, &kw_at(hat, "not"), Side::Head, "`not` removed".into())
            }
            (Some(b), Some(h)) => {
                let c = self.pair(vec![b.clone()], vec![h.clone()], flow, !cx.flipped);
                cx.children.push(c);
            }
            _ => {}
        }
        // if / then / else
        match (&vb.cond, &vh.cond) {
            (None, Some((i, _, _))) => cx.push(
                Kind::Constraint,
                Effect::Narrows,
                i,
                Side::Head,
                "a conditional (`if`/`then`/`else`) was added".into(),
            ),
            (Some(_), None) => cx.push(
                Kind::Constraint,
                Effect::Widens,
                &kw_at(hat, "if"),
                Side::Head,
                "the conditional (`if`/`then`/`else`) was removed".into(),
            ),
            (Some((bi, bt, be)), Some((hi, ht, he))) => {
                if self.fp_any(Side::Base, bi) == self.fp_any(Side::Head, hi) {
                    for (b, h, kw) in [(bt, ht, "then"), (be, he, "else")] {
                        let truth =
                            |at: &Loc<'a>| Loc { file: at.file, ptr: tree::join(&at.ptr, kw), node: &view::TRUE_NODE };
                        let b = b.clone().unwrap_or_else(|| truth(bat));
                        let h = h.clone().unwrap_or_else(|| truth(hat));
                        let c = self.pair(vec![b], vec![h], flow, cx.flipped);
                        cx.children.push(c);
                    }
                } else {
                    cx.push(Kind::Constraint, Effect::Both, hi, Side::Head, "the `if` condition changed".into());
                }
            }
            _ => {}
        }
    }

    fn annotations(&mut self, cx: &mut Cx, vb: &View<'a>, vh: &View<'a>, hat: &Loc<'a>) {
        let (db, dh) = (vb.default.as_ref().map(|l| canonical(l.node)), vh.default.as_ref().map(|l| canonical(l.node)));
        if db != dh {
            let at = vh.default.clone().unwrap_or_else(|| kw_at(hat, "default"));
            let show = |l: &Option<Loc<'a>>| {
                l.as_ref().map(|l| format!("`{}`", show(l.node))).unwrap_or_else(|| "none".into())
            };
            cx.push(
                Kind::Default,
                Effect::Neutral,
                &at,
                Side::Head,
                format!("default changed from {} to {}", show(&vb.default), show(&vh.default)),
            );
        }
        if let (Some(b), Some(h)) = (&vb.discriminator, &vh.discriminator) {
            let (pb, ph) = (b.node.get_str("propertyName"), h.node.get_str("propertyName"));
            if pb != ph {
                cx.push(
                    Kind::Discriminator,
                    Effect::Neutral,
                    h,
                    Side::Head,
                    format!("discriminator property changed from `{}` to `{}`", pb.unwrap_or(""), ph.unwrap_or("")),
                );
            }
            let map = |l: &Loc<'a>| {
                l.node
                    .get("mapping")
                    .and_then(Node::map)
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), v.render())).collect::<Vec<_>>())
                    .unwrap_or_default()
            };
            let (mb, mh) = (map(b), map(h));
            for (k, v) in &mb {
                match mh.iter().find(|(x, _)| x == k) {
                    None => cx.push(
                        Kind::Discriminator,
                        Effect::Neutral,
                        h,
                        Side::Head,
                        format!("discriminator mapping `{k}` was removed"),
                    ),
                    Some((_, w)) if w != v => cx.push(
                        Kind::Discriminator,
                        Effect::Neutral,
                        h,
                        Side::Head,
                        format!("discriminator mapping `{k}` changed from {v} to {w}"),
                    ),
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obviously_wider_patterns() {
        assert!(pattern_wider("^[a-z]+$", ".*"));
        assert!(pattern_wider("^[a-z]+$", "^[a-z]+$|^[0-9]+$"));
        assert!(pattern_wider("^abc$", "abc"));
        assert!(!pattern_wider("^[a-z]+$", "^[a-z0-9]+$"));
        assert!(!pattern_wider(".*", "^[a-z]+$"));
    }

    #[test]
    fn not_flips_narrowing_and_widening() {
        assert_eq!(Effect::Narrows.flip(true), Effect::Widens);
        assert_eq!(Effect::Widens.flip(true), Effect::Narrows);
        assert_eq!(Effect::Unknown.flip(true), Effect::Unknown);
        assert!(Effect::Both.narrows() && Effect::Both.widens());
        assert!(!Effect::Neutral.narrows() && !Effect::Neutral.widens());
    }

    fn run(dialect: Dialect, base: &str, head: &str, flow: Flow) -> Vec<(Kind, Effect)> {
        let b = Docs::load("s.json", base, |_| None).unwrap();
        let h = Docs::load("s.json", head, |_| None).unwrap();
        let mut e = Engine::new(Doc { docs: &b, dialect }, Doc { docs: &h, dialect });
        let p = e.compare(b.root().unwrap(), h.root().unwrap(), flow);
        e.collect(p).into_iter().map(|c| (c.kind, c.effect)).collect()
    }

    #[test]
    fn dialects_normalise_before_comparing() {
        // OpenAPI 3.0 boolean exclusiveMaximum = 3.1 numeric exclusiveMaximum.
        let b =
            Docs::load("s.json", r#"{"type": "number", "maximum": 10, "exclusiveMaximum": true}"#, |_| None).unwrap();
        let h = Docs::load("s.json", r#"{"type": "number", "exclusiveMaximum": 10}"#, |_| None).unwrap();
        let mut e = Engine::new(Doc { docs: &b, dialect: Dialect::Oas30 }, Doc { docs: &h, dialect: Dialect::Oas31 });
        let p = e.compare(b.root().unwrap(), h.root().unwrap(), Flow::Request);
        assert!(e.collect(p).is_empty());
        // A tuple in draft-07 is `items: [..]`; a second position narrows an open tuple.
        let got = run(
            Dialect::Draft7,
            r#"{"items": [{"type": "string"}]}"#,
            r#"{"items": [{"type": "string"}, {"type": "integer"}]}"#,
            Flow::Data,
        );
        assert_eq!(got, vec![(Kind::Tuple { added: true, model: Model::Open }, Effect::Narrows)]);
    }

    #[test]
    fn read_only_properties_do_not_exist_in_requests() {
        let base = r#"{"type": "object", "properties": {"id": {"type": "string", "readOnly": true}}}"#;
        let head =
            r#"{"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "readOnly": true}}}"#;
        assert!(run(Dialect::Oas30, base, head, Flow::Request).is_empty());
        assert_eq!(
            run(Dialect::Oas30, base, head, Flow::Response),
            vec![(Kind::MadeRequired { with_default: false }, Effect::Narrows)]
        );
    }

    #[test]
    fn cyclic_refs_terminate() {
        let s = r##"{"$defs": {"n": {"type": "object", "properties": {"next": {"$ref": "#/$defs/n"}, "v": {"type": "string"}}}}, "$ref": "#/$defs/n"}"##;
        let h = s.replace(r#""v": {"type": "string"}"#, r#""v": {"type": "integer"}"#);
        let got = run(Dialect::Draft2020, s, &h, Flow::Data);
        assert_eq!(got, vec![(Kind::Type, Effect::Both)]);
    }
}
