//! OpenAPI 3.0 / 3.1: paths, operations, parameters, request bodies, responses, headers,
//! security, webhooks and callbacks, and the lifecycle policy (`x-stability-level`,
//! `deprecated`, `x-sunset`). Schemas are compared by the shared engine ([`super::schema`]): in
//! a request (the client writes) narrowing breaks, in a response (the client reads) widening
//! does. Webhook and callback requests are written by the API, so they flow like responses.

use super::docs::{Docs, Loc};
use super::rules::*;
use super::schema::view::Dialect;
use super::schema::{Doc, Effect, Engine, Flow, Kind, SchemaChange};
use super::{Change, Compared, ContractRule, Input, Level, Side, change};
use crate::gate::Context;
use std::collections::{BTreeMap, BTreeSet};

/// The rule slug of a schema change for a reader that breaks on `narrowing_breaks` changes.
pub fn schema_slug(kind: Kind, effect: Effect, narrowing_breaks: bool) -> Slug {
    let n = match effect {
        Effect::Narrows => true,
        Effect::Widens | Effect::Neutral => false,
        Effect::Both | Effect::Unknown => narrowing_breaks,
    };
    match kind {
        Kind::Type | Kind::Format | Kind::Content => match effect {
            Effect::Narrows => Slug::TYPE_NARROWED,
            Effect::Widens => Slug::TYPE_WIDENED,
            _ => Slug::TYPE_CHANGED,
        },
        Kind::EnumValues => {
            if n {
                Slug::ENUM_VALUE_REMOVED
            } else {
                Slug::ENUM_VALUE_ADDED
            }
        }
        Kind::ConstChanged => Slug::CONST_CHANGED,
        Kind::EnumRestriction | Kind::Constraint | Kind::Dependency => {
            if n {
                Slug::CONSTRAINT_TIGHTENED
            } else {
                Slug::CONSTRAINT_LOOSENED
            }
        }
        Kind::Pattern => Slug::PATTERN_CHANGED,
        Kind::Default => Slug::DEFAULT_CHANGED,
        Kind::PropertyAdded { required: true, .. } => Slug::REQUIRED_PROPERTY_ADDED,
        Kind::PropertyAdded { .. } => Slug::PROPERTY_ADDED,
        Kind::PropertyRemoved { required: true, .. } => Slug::REQUIRED_PROPERTY_REMOVED,
        Kind::PropertyRemoved { .. } => Slug::PROPERTY_REMOVED,
        Kind::MadeRequired { .. } => Slug::PROPERTY_MADE_REQUIRED,
        Kind::MadeOptional => Slug::PROPERTY_MADE_OPTIONAL,
        Kind::AdditionalProperties => {
            if n {
                Slug::ADDITIONAL_PROPERTIES_NARROWED
            } else {
                Slug::ADDITIONAL_PROPERTIES_WIDENED
            }
        }
        Kind::Tuple { .. } => {
            if n {
                Slug::TUPLE_NARROWED
            } else {
                Slug::TUPLE_WIDENED
            }
        }
        Kind::Alternatives => {
            if n {
                Slug::ALTERNATIVE_REMOVED
            } else {
                Slug::ALTERNATIVE_ADDED
            }
        }
        Kind::AllOfMember => {
            if n {
                Slug::ALL_OF_MEMBER_ADDED
            } else {
                Slug::ALL_OF_MEMBER_REMOVED
            }
        }
        Kind::Discriminator => Slug::DISCRIMINATOR_CHANGED,
        Kind::ExtensibleEnum => Slug::EXTENSIBLE_ENUM_VALUE_REMOVED,
    }
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const STABILITY: &[&str] = &["draft", "alpha", "beta", "stable"];

/// Policy knobs of one OpenAPI description.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub after_sunset: bool,
    /// Minimum days between deprecating and the `x-sunset` date, per stability level.
    pub deprecation_days: BTreeMap<String, u32>,
    /// Endpoints below this stability level (`draft` < `alpha` < `beta` < `stable`) may change
    /// freely: their breaking changes are reported as info. Default `beta`.
    pub stability_threshold: usize,
}

/// Compares one OpenAPI description; `None` when neither it nor a file it references changed.
pub fn compare(cx: &Context<'_>, input: &Input<'_>, opts: &Options) -> Result<Option<Compared>, super::LoadError> {
    let mut out = Compared {
        kind: "openapi",
        path: input.path.to_string(),
        changes: Vec::new(),
        problems: Vec::new(),
        versions: None,
    };
    let Some((base, head)) = super::load_sides(cx, input, &mut out)? else { return Ok(None) };
    compare_docs(&base, &head, input.today, opts, &mut out);
    Ok(Some(out))
}

fn dialect(docs: &Docs) -> Dialect {
    let v = docs.root().and_then(|r| r.node.get_str("openapi").map(String::from)).unwrap_or_default();
    if v.starts_with("3.0") || v.starts_with("2.") { Dialect::Oas30 } else { Dialect::Oas31 }
}

pub fn compare_docs(base: &Docs, head: &Docs, today: &str, opts: &Options, out: &mut Compared) {
    let (broot, hroot) = (base.root(), head.root());
    let version = |r: &Option<Loc<'_>>| {
        r.as_ref()
            .and_then(|r| r.node.pointer("/info/version"))
            .map(|n| n.str().map(String::from).unwrap_or_else(|| n.render()))
    };
    let vline = hroot.as_ref().map(|r| r.node.line_of("/info/version").0).unwrap_or(1);
    out.versions = Some((version(&broot), version(&hroot), vline));
    let engine = Engine::new(Doc { docs: base, dialect: dialect(base) }, Doc { docs: head, dialect: dialect(head) });
    let mut cmp = Cmp {
        e: engine,
        changes: Vec::new(),
        today: today.to_string(),
        opts: opts.clone(),
        broot: broot.clone(),
        hroot: hroot.clone(),
    };
    cmp.paths(&broot, &hroot);
    cmp.webhooks(&broot, &hroot);
    if let (Some(b), Some(h)) = (&broot, &hroot) {
        let servers = |l: &Loc<'_>| l.child("servers").map(|s| s.node.render());
        if servers(b) != servers(h) {
            let at = h.child("servers").unwrap_or_else(|| h.clone());
            cmp.changes.push(change(
                &SERVERS_CHANGED,
                "(spec)",
                "",
                &at.ptr,
                at.file,
                Side::Head,
                "the `servers` list changed".into(),
            ));
        }
    }
    for ch in &mut cmp.changes {
        let (b, h) = (base.files.get(&ch.file), head.files.get(&ch.file));
        match ch.side {
            Side::Head => ch.head_line = h.map(|d| d.line_of(&ch.pointer).0),
            Side::Base => {
                ch.base_line = b.map(|d| d.line_of(&ch.pointer).0);
                ch.head_line = h.map(|d| d.line_of(&ch.pointer).0);
            }
        }
    }
    out.changes = cmp.changes;
}

fn downgrade(changes: &mut [Change], why: &str) {
    for c in changes {
        if c.level == Level::Breaking {
            c.level = Level::Info;
            c.note = Some(format!("allowed: {why}"));
        }
    }
}

/// An `x-sunset` date (RFC 3339 date or date-time) → `YYYY-MM-DD`; `Err` when it does not parse.
fn sunset_date(n: &super::tree::Node) -> Option<Result<String, String>> {
    let d = n.get("x-sunset").or_else(|| n.get("x-sunset-date"))?;
    let text = d.str().map(String::from).unwrap_or_else(|| d.render());
    let day = text.get(..10).unwrap_or("");
    let ok = day.len() == 10
        && day.bytes().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() })
        && (text.len() == 10 || text.as_bytes().get(10).is_some_and(|c| matches!(c, b'T' | b't' | b' ')));
    let (m, dd) =
        (day.get(5..7).and_then(|m| m.parse::<u32>().ok()), day.get(8..10).and_then(|d| d.parse::<u32>().ok()));
    Some(if ok && m.is_some_and(|m| (1..=12).contains(&m)) && dd.is_some_and(|d| (1..=31).contains(&d)) {
        Ok(day.to_string())
    } else {
        Err(text)
    })
}

fn stability(n: &super::tree::Node) -> Option<&str> {
    n.get_str("x-stability-level")
}

/// Days from 1970-01-01 of a `YYYY-MM-DD` date.
fn days(date: &str) -> Option<i64> {
    let y: i64 = date.get(..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    Some(era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468)
}

/// `/pets/{petId}` and `/pets/{id}` are the same path to a client.
fn template_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    out.push_str("{}");
                }
            }
            '}' => depth -= 1,
            _ if depth > 0 => {}
            c => out.push(c),
        }
    }
    out
}

/// Names of the template parameters of a path, in order.
fn template_names(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string())).collect()
}

struct Op<'s> {
    group: &'s str,
    subject: &'s str,
    /// The request flows like a response (webhooks, callbacks: the API writes the request).
    inverted: bool,
}

struct Cmp<'a> {
    e: Engine<'a>,
    changes: Vec<Change>,
    today: String,
    opts: Options,
    broot: Option<Loc<'a>>,
    hroot: Option<Loc<'a>>,
}

type ParamKey = (String, String);

impl<'a> Cmp<'a> {
    fn add(
        &mut self,
        op: &Op<'_>,
        rule: &'static ContractRule,
        loc: &Loc<'_>,
        side: Side,
        context: &str,
        message: String,
    ) {
        let mut c = change(rule, op.group, op.subject, &loc.ptr, loc.file, side, message);
        c.context = context.to_string();
        self.changes.push(c);
    }

    fn base_docs(&self) -> &'a Docs {
        self.e.base.docs
    }
    fn head_docs(&self) -> &'a Docs {
        self.e.head.docs
    }

    /// Compares two schemas; `request` says whether the client writes the value.
    fn schemas(&mut self, op: &Op<'_>, request: bool, context: &str, b: Option<Loc<'a>>, h: Option<Loc<'a>>) {
        let (Some(b), Some(h)) = (b, h) else { return };
        let request = request != op.inverted;
        let pair = self.e.compare(b, h, if request { Flow::Request } else { Flow::Response });
        let found: Vec<SchemaChange> = self.e.collect(pair).into_iter().cloned().collect();
        for sc in found {
            self.schema_change(op, request, context, &sc);
        }
    }

    fn schema_change(&mut self, op: &Op<'_>, request: bool, context: &str, sc: &SchemaChange) {
        let rule = schema_slug(sc.kind, sc.effect, request).openapi(request);
        let mut c = change(rule, op.group, op.subject, &sc.ptr, &sc.file, sc.side, sc.what.clone());
        c.context = context.to_string();
        if request && matches!(sc.kind, Kind::PropertyRemoved { .. }) && sc.effect == Effect::Narrows {
            c.level = Level::Breaking;
        }
        if sc.effect == Effect::Neutral && matches!(sc.kind, Kind::Tuple { .. } | Kind::PropertyRemoved { .. }) {
            c.level = Level::Info;
        }
        self.changes.push(c);
    }

    fn paths(&mut self, broot: &Option<Loc<'a>>, hroot: &Option<Loc<'a>>) {
        let (bp, hp) = (paths(broot), paths(hroot));
        let (base, head) = (self.base_docs(), self.head_docs());
        for (norm, (bpath, bitem)) in &bp {
            let bitem = base.deref(bitem.clone());
            let Some((hpath, hitem)) = hp.get(norm) else {
                let start = self.changes.len();
                self.changes.push(change(
                    &PATH_REMOVED,
                    bpath,
                    bpath,
                    &bitem.ptr,
                    bitem.file,
                    Side::Base,
                    format!("path `{bpath}` was removed"),
                ));
                let ops: Vec<Loc<'a>> = METHODS.iter().filter_map(|m| bitem.child(m)).collect();
                self.removal_policy(start, &ops, "path");
                continue;
            };
            let hitem = head.deref(hitem.clone());
            for m in METHODS {
                let group = format!("{} {hpath}", m.to_uppercase());
                let start = self.changes.len();
                let op = Op { group: &group, subject: hpath, inverted: false };
                match (bitem.child(m), hitem.child(m)) {
                    (Some(bop), None) => {
                        self.add(
                            &op,
                            &OPERATION_REMOVED,
                            &bop,
                            Side::Base,
                            "",
                            format!("operation `{group}` was removed"),
                        );
                        self.removal_policy(start, std::slice::from_ref(&bop), "operation");
                    }
                    (None, Some(hop)) => {
                        self.add(&op, &OPERATION_ADDED, &hop, Side::Head, "", format!("operation `{group}` was added"))
                    }
                    (Some(bop), Some(hop)) => {
                        let (bop, hop) = (base.deref(bop), head.deref(hop));
                        self.operation(&op, (bpath, &bitem, &bop), (hpath, &hitem, &hop));
                        self.lifecycle(&op, &bop, &hop, start);
                    }
                    (None, None) => {}
                }
            }
        }
        for (norm, (hpath, hitem)) in &hp {
            if !bp.contains_key(norm) {
                self.changes.push(change(
                    &PATH_ADDED,
                    hpath,
                    hpath,
                    &hitem.ptr,
                    hitem.file,
                    Side::Head,
                    format!("path `{hpath}` was added"),
                ));
            }
        }
    }

    /// A removal is allowed (info) when every removed operation was deprecated at base and its
    /// `x-sunset` (if any) has passed; a sunset still ahead is `removed-before-sunset`.
    fn removal_policy(&mut self, start: usize, ops: &[Loc<'a>], what: &str) {
        if ops.is_empty() {
            return;
        }
        let mut ahead = None;
        let mut passed = None;
        let mut all_ok = true;
        for op in ops {
            let node = op.node;
            let level = stability(node).unwrap_or("stable");
            let min_days = self.opts.deprecation_days.get(level).copied().unwrap_or(0);
            if !node.flag("deprecated") {
                all_ok = false;
                continue;
            }
            match sunset_date(node) {
                Some(Ok(d)) if d.as_str() > self.today.as_str() => {
                    all_ok = false;
                    ahead = Some(d);
                }
                Some(Ok(d)) => passed = Some(d),
                Some(Err(_)) => all_ok = false,
                None if min_days > 0 => all_ok = false,
                None => {}
            }
        }
        if let Some(d) = ahead {
            for c in &mut self.changes[start..] {
                if c.level == Level::Breaking {
                    c.rule = &REMOVED_BEFORE_SUNSET;
                    c.message = format!("{} (deprecated, but its `x-sunset` {d} has not passed)", c.message);
                }
            }
        } else if all_ok && self.opts.after_sunset {
            let why = match passed {
                Some(d) => format!("the {what} was deprecated with sunset {d}, which has passed"),
                None => format!("the {what} was deprecated (no sunset date promised)"),
            };
            downgrade(&mut self.changes[start..], &why);
        }
    }

    fn lifecycle(&mut self, op: &Op<'_>, bop: &Loc<'a>, hop: &Loc<'a>, start: usize) {
        let (bn, hn) = (bop.node, hop.node);
        // stability level
        let (bs, hs) = (stability(bn), stability(hn));
        if let Some(h) = hs {
            let at = hop.child("x-stability-level").unwrap_or_else(|| hop.clone());
            match STABILITY.iter().position(|s| *s == h) {
                None => self.add(
                    op,
                    &STABILITY_INVALID,
                    &at,
                    Side::Head,
                    "",
                    format!("`x-stability-level: {h}` is not one of draft, alpha, beta, stable"),
                ),
                Some(hi) => {
                    let bi = STABILITY.iter().position(|s| Some(*s) == bs).unwrap_or(3);
                    if bs.is_some() && hi < bi {
                        self.add(
                            op,
                            &STABILITY_DECREASED,
                            &at,
                            Side::Head,
                            "",
                            format!("stability decreased from `{}` to `{h}`", bs.unwrap_or("stable")),
                        );
                    } else if hi > bi {
                        self.add(
                            op,
                            &STABILITY_INCREASED,
                            &at,
                            Side::Head,
                            "",
                            format!("stability increased from `{}` to `{h}`", bs.unwrap_or("")),
                        );
                    }
                }
            }
        }
        // deprecation and sunset
        let at = |kw: &str| hop.child(kw).unwrap_or_else(|| hop.clone());
        match sunset_date(hn) {
            Some(Err(t)) => self.add(
                op,
                &SUNSET_INVALID,
                &at("x-sunset"),
                Side::Head,
                "",
                format!("`x-sunset: {t}` is not an RFC 3339 date"),
            ),
            Some(Ok(hd)) => {
                if let Some(Ok(bd)) = sunset_date(bn) {
                    if hd < bd {
                        self.add(
                            op,
                            &SUNSET_MOVED_EARLIER,
                            &at("x-sunset"),
                            Side::Head,
                            "",
                            format!("`x-sunset` moved earlier, from {bd} to {hd}"),
                        );
                    }
                }
            }
            None => {
                if hn.flag("deprecated") && matches!(sunset_date(bn), Some(Ok(_))) {
                    self.add(
                        op,
                        &SUNSET_DELETED,
                        &at("deprecated"),
                        Side::Head,
                        "",
                        "the `x-sunset` date was deleted".into(),
                    );
                }
            }
        }
        if !bn.flag("deprecated") && hn.flag("deprecated") {
            let level = hs.unwrap_or("stable");
            let min = self.opts.deprecation_days.get(level).copied().unwrap_or(0);
            match sunset_date(hn) {
                Some(Ok(d)) => {
                    let notice = days(&d).zip(days(&self.today)).map(|(a, b)| a - b);
                    if min > 0 && notice.is_some_and(|n| n < i64::from(min)) {
                        self.add(
                            op,
                            &SUNSET_TOO_SOON,
                            &at("x-sunset"),
                            Side::Head,
                            "",
                            format!(
                                "`x-sunset` {d} gives {} day(s) of notice; the policy asks {min} for `{level}`",
                                notice.unwrap_or(0)
                            ),
                        );
                    } else {
                        self.add(
                            op,
                            &OPERATION_DEPRECATED,
                            &at("deprecated"),
                            Side::Head,
                            "",
                            format!("operation was deprecated (sunset {d})"),
                        );
                    }
                }
                Some(Err(_)) => {}
                None => {
                    self.add(
                        op,
                        &DEPRECATED_WITHOUT_SUNSET,
                        &at("deprecated"),
                        Side::Head,
                        "",
                        "operation was deprecated without an `x-sunset` date".into(),
                    );
                    if min > 0 {
                        if let Some(c) = self.changes.last_mut() {
                            c.level = Level::Breaking;
                            c.note = Some(format!("the policy asks {min} days of notice for `{level}` operations"));
                        }
                    }
                }
            }
        }
        // Past its sunset, or below the stability threshold: breaking changes are allowed.
        if let Some(Ok(d)) = sunset_date(bn) {
            if bn.flag("deprecated") && d.as_str() <= self.today.as_str() && self.opts.after_sunset {
                downgrade(&mut self.changes[start..], &format!("deprecated with sunset {d}, which has passed"));
            }
        }
        if let Some(level) = bs.and_then(|b| STABILITY.iter().position(|s| *s == b)) {
            if level < self.opts.stability_threshold {
                let why = format!("`x-stability-level: {}` is below the policy's threshold", STABILITY[level]);
                for c in &mut self.changes[start..] {
                    if c.level == Level::Breaking && c.rule != &STABILITY_INVALID {
                        c.level = Level::Info;
                        c.note = Some(format!("allowed: {why}"));
                    }
                }
            }
        }
    }

    fn operation(&mut self, op: &Op<'_>, b: (&str, &Loc<'a>, &Loc<'a>), h: (&str, &Loc<'a>, &Loc<'a>)) {
        let (bpath, bitem, bop) = b;
        let (hpath, hitem, hop) = h;
        let (bid, hid) = (bop.node.get_str("operationId"), hop.node.get_str("operationId"));
        if bid.is_some() && hid.is_some() && bid != hid {
            let at = hop.child("operationId").unwrap_or(hop.clone());
            self.add(
                op,
                &OPERATION_ID_CHANGED,
                &at,
                Side::Head,
                "",
                format!("operationId changed from `{}` to `{}`", bid.unwrap_or(""), hid.unwrap_or("")),
            );
        }
        self.parameters(op, (bpath, bitem, bop), (hpath, hitem, hop));
        self.request_body(op, bop, hop);
        self.responses(op, bop, hop);
        if !op.inverted {
            self.security(op, bop, hop);
            self.callbacks(op, bop, hop);
        }
    }

    fn parameters(&mut self, op: &Op<'_>, b: (&str, &Loc<'a>, &Loc<'a>), h: (&str, &Loc<'a>, &Loc<'a>)) {
        let (base, head) = (self.base_docs(), self.head_docs());
        let bparams = params(base, b.1, b.2);
        let mut hparams = params(head, h.1, h.2);
        // Path template parameters are matched by position: `{group_id}` → `{groupId}` is the same URL.
        let (bn, hn) = (template_names(b.0), template_names(h.0));
        let mut renamed_path: BTreeMap<ParamKey, ParamKey> = BTreeMap::new();
        for (x, y) in bn.iter().zip(hn.iter()) {
            if x != y {
                renamed_path.insert(("path".into(), x.clone()), ("path".into(), y.clone()));
            }
        }
        let label = |k: &ParamKey| format!("parameter `{}` ({})", k.1, k.0);
        let mut consumed = BTreeSet::new();
        for (k, (bi, bl)) in &bparams {
            if let Some(hk) = renamed_path.get(k) {
                if let Some((_, hl)) = hparams.get(hk) {
                    let hl = hl.clone();
                    consumed.insert(hk.clone());
                    self.parameter(op, &label(k), bl, &hl);
                }
                continue;
            }
            if k.0 == "path" {
                if let Some((_, hl)) = hparams.get(k) {
                    let hl = hl.clone();
                    self.parameter(op, &label(k), bl, &hl);
                }
                continue;
            }
            if let Some((_, hl)) = hparams.get(k) {
                let hl = hl.clone();
                self.parameter(op, &label(k), bl, &hl);
                continue;
            }
            let moved = hparams
                .keys()
                .find(|hk| {
                    hk.1.eq_ignore_ascii_case(&k.1)
                        && hk.0 != "path"
                        && !bparams.contains_key(*hk)
                        && !consumed.contains(*hk)
                })
                .cloned();
            // A rename needs the same location, position and schema type.
            let btype = schema_type(base, bl);
            let renamed = hparams
                .iter()
                .find(|(hk, (hi, hl))| {
                    hk.0 == k.0
                        && !bparams.contains_key(*hk)
                        && !consumed.contains(*hk)
                        && hi == bi
                        && schema_type(head, hl) == btype
                })
                .map(|(hk, _)| hk.clone());
            if let Some(hk) = moved {
                let hl = hparams[&hk].1.clone();
                self.add(
                    op,
                    &PARAMETER_LOCATION_CHANGED,
                    &hl,
                    Side::Head,
                    &label(k),
                    format!("moved from `{}` to `{}`", k.0, hk.0),
                );
                consumed.insert(hk);
            } else if let Some(hk) = renamed {
                let hl = hparams[&hk].1.clone();
                self.add(op, &PARAMETER_RENAMED, &hl, Side::Head, &label(k), format!("renamed to `{}`", hk.1));
                consumed.insert(hk);
            } else {
                let start = self.changes.len();
                self.add(op, &PARAMETER_REMOVED, bl, Side::Base, &label(k), "was removed".into());
                self.removal_policy(start, std::slice::from_ref(bl), "parameter");
            }
        }
        hparams.retain(|k, _| {
            !(consumed.contains(k) || bparams.contains_key(k) || k.0 == "path" && renamed_path.values().any(|v| v == k))
        });
        for (k, (_, hl)) in &hparams {
            if k.0 == "path" {
                continue;
            }
            if hl.node.flag("required") {
                self.add(
                    op,
                    &REQUIRED_PARAMETER_ADDED,
                    hl,
                    Side::Head,
                    &label(k),
                    "a required parameter was added".into(),
                );
            } else {
                self.add(op, &PARAMETER_ADDED, hl, Side::Head, &label(k), "an optional parameter was added".into());
            }
        }
    }

    fn parameter(&mut self, op: &Op<'_>, label: &str, bl: &Loc<'a>, hl: &Loc<'a>) {
        let (bn, hn) = (bl.node, hl.node);
        let place = hn.get_str("in").unwrap_or("query");
        let req = |n: &super::tree::Node| n.flag("required") || n.get_str("in") == Some("path");
        if !req(bn) && req(hn) {
            let at = hl.child("required").unwrap_or(hl.clone());
            self.add(op, &PARAMETER_MADE_REQUIRED, &at, Side::Head, label, "became required".into());
        } else if req(bn) && !req(hn) {
            self.add(op, &PARAMETER_MADE_OPTIONAL, hl, Side::Head, label, "became optional".into());
        }
        let style = |n: &super::tree::Node| {
            let s = n.get_str("style").unwrap_or(match place {
                "query" | "cookie" => "form",
                _ => "simple",
            });
            let explode = n.get("explode").and_then(|e| e.bool()).unwrap_or(s == "form");
            (s.to_string(), explode)
        };
        if style(bn) != style(hn) {
            let (bs, hs) = (style(bn), style(hn));
            let at = hl.child("style").or_else(|| hl.child("explode")).unwrap_or(hl.clone());
            self.add(
                op,
                &PARAMETER_STYLE_CHANGED,
                &at,
                Side::Head,
                label,
                format!(
                    "serialisation changed from style `{}` explode {} to style `{}` explode {}",
                    bs.0, bs.1, hs.0, hs.1
                ),
            );
        }
        // default: clients that omit the parameter relied on it
        let default = |l: &Loc<'a>, d: &Docs| {
            l.child("schema").map(|s| d.deref(s)).and_then(|s| s.node.get("default").map(|n| n.render()))
        };
        let (db, dh) = (default(bl, self.base_docs()), default(hl, self.head_docs()));
        if db != dh {
            let at = hl.child("schema").and_then(|s| s.child("default")).unwrap_or(hl.clone());
            let show = |d: &Option<String>| d.clone().map(|d| format!("`{d}`")).unwrap_or_else(|| "none".into());
            self.add(
                op,
                &PARAMETER_DEFAULT_CHANGED,
                &at,
                Side::Head,
                label,
                format!("default changed from {} to {}", show(&db), show(&dh)),
            );
        }
        self.schemas(op, true, label, bl.child("schema"), hl.child("schema"));
        if let (Some(bc), Some(hc)) = (bl.child("content"), hl.child("content")) {
            self.content(op, true, label, &bc, &hc);
        }
        // The parameter's default is a parameter rule; drop the schema-level duplicate.
        let dup = &request::DEFAULT_CHANGED;
        let n = self.changes.len();
        let mut i = 0;
        while i < self.changes.len() {
            if i < n && self.changes[i].rule == dup && self.changes[i].context == label {
                self.changes.remove(i);
            } else {
                i += 1;
            }
        }
    }

    fn request_body(&mut self, op: &Op<'_>, bop: &Loc<'a>, hop: &Loc<'a>) {
        let (base, head) = (self.base_docs(), self.head_docs());
        let bb = bop.child("requestBody").map(|l| base.deref(l));
        let hb = hop.child("requestBody").map(|l| head.deref(l));
        let breq = bb.as_ref().is_some_and(|b| b.node.flag("required"));
        let hreq = hb.as_ref().is_some_and(|b| b.node.flag("required"));
        if op.inverted {
            // The API sends this body: losing it or its content breaks the receiver.
            if let (Some(bb), Some(hb)) = (&bb, &hb) {
                if let (Some(bc), Some(hc)) = (bb.child("content"), hb.child("content")) {
                    self.content(op, true, "payload", &bc, &hc);
                }
            }
            return;
        }
        match (&bb, &hb) {
            (None, Some(h)) if hreq => {
                let at = h.child("required").unwrap_or(h.clone());
                self.add(
                    op,
                    &REQUEST_BODY_MADE_REQUIRED,
                    &at,
                    Side::Head,
                    "request body",
                    "a required request body was added".into(),
                );
            }
            (Some(b), None) => self.add(
                op,
                &REQUEST_BODY_REMOVED,
                b,
                Side::Base,
                "request body",
                "the request body was removed".into(),
            ),
            (Some(_), Some(h)) if !breq && hreq => {
                let at = h.child("required").unwrap_or(h.clone());
                self.add(
                    op,
                    &REQUEST_BODY_MADE_REQUIRED,
                    &at,
                    Side::Head,
                    "request body",
                    "the request body became required".into(),
                );
            }
            (Some(_), Some(h)) if breq && !hreq => self.add(
                op,
                &REQUEST_BODY_MADE_OPTIONAL,
                h,
                Side::Head,
                "request body",
                "the request body became optional".into(),
            ),
            _ => {}
        }
        if let (Some(bb), Some(hb)) = (bb, hb) {
            if let (Some(bc), Some(hc)) = (bb.child("content"), hb.child("content")) {
                self.content(op, true, "request body", &bc, &hc);
            }
        }
    }

    fn content(&mut self, op: &Op<'_>, request: bool, what: &str, bc: &Loc<'a>, hc: &Loc<'a>) {
        let writer_request = request != op.inverted;
        let keys = |l: &Loc<'_>| l.node.map().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        for mt in keys(bc) {
            let Some(bm) = bc.child(&mt) else { continue };
            match hc.child(&mt) {
                None => {
                    let rule = if writer_request { &REQUEST_MEDIA_TYPE_REMOVED } else { &RESPONSE_MEDIA_TYPE_REMOVED };
                    self.add(op, rule, &bm, Side::Base, what, format!("media type `{mt}` was removed"));
                }
                Some(hm) => {
                    let ctx = format!("{what} {mt}");
                    let untyped =
                        |l: &Loc<'_>| l.child("schema").is_none_or(|s| s.node.map().is_some_and(|m| m.is_empty()));
                    match (untyped(&bm), untyped(&hm)) {
                        (true, false) if writer_request => {
                            let at = hm.child("schema").unwrap_or(hm.clone());
                            self.add(
                                op,
                                &REQUEST_BODY_SCHEMA_ADDED,
                                &at,
                                Side::Head,
                                &ctx,
                                "an untyped body was given a schema".into(),
                            );
                        }
                        (false, true) if !writer_request => {
                            self.add(
                                op,
                                &RESPONSE_BODY_SCHEMA_REMOVED,
                                &hm,
                                Side::Head,
                                &ctx,
                                "the body lost its schema".into(),
                            );
                        }
                        (false, false) => self.schemas(op, request, &ctx, bm.child("schema"), hm.child("schema")),
                        _ => {}
                    }
                }
            }
        }
        for mt in keys(hc) {
            if bc.child(&mt).is_none() {
                if let Some(hm) = hc.child(&mt) {
                    let rule = if writer_request { &REQUEST_MEDIA_TYPE_ADDED } else { &RESPONSE_MEDIA_TYPE_ADDED };
                    self.add(op, rule, &hm, Side::Head, what, format!("media type `{mt}` was added"));
                }
            }
        }
    }

    fn responses(&mut self, op: &Op<'_>, bop: &Loc<'a>, hop: &Loc<'a>) {
        let (base, head) = (self.base_docs(), self.head_docs());
        let (Some(br), Some(hr)) = (bop.child("responses"), hop.child("responses")) else { return };
        let keys = |l: &Loc<'_>| l.node.map().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        for code in keys(&br) {
            let Some(bl) = br.child(&code) else { continue };
            let ctx = format!("response {code}");
            match hr.child(&code) {
                None => {
                    let success = code.starts_with('2') || code.starts_with('3');
                    let rule =
                        if success && !op.inverted { &RESPONSE_STATUS_REMOVED } else { &RESPONSE_ERROR_STATUS_REMOVED };
                    self.add(op, rule, &bl, Side::Base, &ctx, format!("status `{code}` was removed"));
                }
                Some(hl) => {
                    let (bl, hl) = (base.deref(bl), head.deref(hl));
                    if let (Some(bc), Some(hc)) = (bl.child("content"), hl.child("content")) {
                        self.content(op, false, &ctx, &bc, &hc);
                    }
                    self.headers(op, &ctx, &bl, &hl);
                }
            }
        }
        for code in keys(&hr) {
            if br.child(&code).is_none() {
                if let Some(hl) = hr.child(&code) {
                    self.add(
                        op,
                        &RESPONSE_STATUS_ADDED,
                        &hl,
                        Side::Head,
                        &format!("response {code}"),
                        format!("status `{code}` was added"),
                    );
                }
            }
        }
    }

    fn headers(&mut self, op: &Op<'_>, ctx: &str, bl: &Loc<'a>, hl: &Loc<'a>) {
        let (base, head) = (self.base_docs(), self.head_docs());
        let list = |l: &Loc<'a>, d: &'a Docs| -> BTreeMap<String, Loc<'a>> {
            let Some(h) = l.child("headers") else { return BTreeMap::new() };
            let names: Vec<String> = h.node.map().map(|m| m.keys().cloned().collect()).unwrap_or_default();
            names.into_iter().filter_map(|n| Some((n.to_ascii_lowercase(), d.deref(h.child(&n)?)))).collect()
        };
        let (bh, hh) = (list(bl, base), list(hl, head));
        for (name, b) in &bh {
            let label = format!("{ctx} header `{name}`");
            match hh.get(name) {
                None => {
                    let (rule, what) = if b.node.flag("required") {
                        (&RESPONSE_HEADER_REMOVED, "a required header was removed")
                    } else {
                        (&RESPONSE_OPTIONAL_HEADER_REMOVED, "an optional header was removed")
                    };
                    self.add(op, rule, b, Side::Base, &label, what.into());
                }
                Some(h) => {
                    if b.node.flag("required") && !h.node.flag("required") {
                        self.add(
                            op,
                            &RESPONSE_HEADER_MADE_OPTIONAL,
                            h,
                            Side::Head,
                            &label,
                            "the header became optional".into(),
                        );
                    }
                    self.schemas(op, false, &label, b.child("schema"), h.child("schema"));
                }
            }
        }
        for (name, h) in &hh {
            if !bh.contains_key(name) {
                self.add(
                    op,
                    &RESPONSE_HEADER_ADDED,
                    h,
                    Side::Head,
                    &format!("{ctx} header `{name}`"),
                    "a header was added".into(),
                );
            }
        }
    }

    fn callbacks(&mut self, op: &Op<'_>, bop: &Loc<'a>, hop: &Loc<'a>) {
        let (base, head) = (self.base_docs(), self.head_docs());
        let list = |l: &Loc<'a>| {
            l.child("callbacks")
                .and_then(|c| c.node.map().map(|m| m.keys().cloned().collect::<Vec<_>>()))
                .unwrap_or_default()
        };
        for name in list(bop) {
            let Some(bcb) = bop.child("callbacks").and_then(|c| c.child(&name)).map(|l| base.deref(l)) else {
                continue;
            };
            let Some(hcb) = hop.child("callbacks").and_then(|c| c.child(&name)).map(|l| head.deref(l)) else {
                self.add(
                    op,
                    &CALLBACK_REMOVED,
                    &bcb,
                    Side::Base,
                    &format!("callback `{name}`"),
                    format!("callback `{name}` was removed"),
                );
                continue;
            };
            for expr in bcb.node.map().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                let (Some(bi), Some(hi)) = (bcb.child(&expr), hcb.child(&expr)) else {
                    if let Some(bi) = bcb.child(&expr) {
                        self.add(
                            op,
                            &CALLBACK_REMOVED,
                            &bi,
                            Side::Base,
                            &format!("callback `{name}`"),
                            format!("callback `{name}` `{expr}` was removed"),
                        );
                    }
                    continue;
                };
                let (bi, hi) = (base.deref(bi), head.deref(hi));
                for m in METHODS {
                    let group = format!("{} callback {name} {}", op.group, m.to_uppercase());
                    let cop = Op { group: &group, subject: op.subject, inverted: true };
                    match (bi.child(m), hi.child(m)) {
                        (Some(b), None) => self.add(
                            &cop,
                            &CALLBACK_REMOVED,
                            &b,
                            Side::Base,
                            "",
                            format!("callback `{name}` {} was removed", m.to_uppercase()),
                        ),
                        (Some(b), Some(h)) => {
                            let (b, h) = (base.deref(b), head.deref(h));
                            self.operation(&cop, ("", &bi, &b), ("", &hi, &h));
                        }
                        _ => {}
                    }
                }
            }
        }
        for name in list(hop) {
            if bop.child("callbacks").and_then(|c| c.child(&name)).is_none() {
                if let Some(h) = hop.child("callbacks").and_then(|c| c.child(&name)) {
                    self.add(
                        op,
                        &CALLBACK_ADDED,
                        &h,
                        Side::Head,
                        &format!("callback `{name}`"),
                        format!("callback `{name}` was added"),
                    );
                }
            }
        }
    }

    fn webhooks(&mut self, broot: &Option<Loc<'a>>, hroot: &Option<Loc<'a>>) {
        let (base, head) = (self.base_docs(), self.head_docs());
        let list = |r: &Option<Loc<'a>>| {
            r.as_ref()
                .and_then(|r| r.child("webhooks"))
                .and_then(|w| w.node.map().map(|m| m.keys().cloned().collect::<Vec<_>>()))
                .unwrap_or_default()
        };
        let (bw, hw) = (list(broot), list(hroot));
        let child =
            |r: &Option<Loc<'a>>, n: &str| r.as_ref().and_then(|r| r.child("webhooks")).and_then(|w| w.child(n));
        for name in &bw {
            let Some(bi) = child(broot, name).map(|l| base.deref(l)) else { continue };
            let group = format!("webhook {name}");
            let Some(hi) = child(hroot, name).map(|l| head.deref(l)) else {
                self.changes.push(change(
                    &WEBHOOK_REMOVED,
                    &group,
                    name,
                    &bi.ptr,
                    bi.file,
                    Side::Base,
                    format!("webhook `{name}` was removed"),
                ));
                continue;
            };
            for m in METHODS {
                let g = format!("webhook {name} {}", m.to_uppercase());
                let op = Op { group: &g, subject: name, inverted: true };
                match (bi.child(m), hi.child(m)) {
                    (Some(b), None) => self.add(
                        &op,
                        &WEBHOOK_REMOVED,
                        &b,
                        Side::Base,
                        "",
                        format!("webhook `{name}` {} was removed", m.to_uppercase()),
                    ),
                    (Some(b), Some(h)) => {
                        let (b, h) = (base.deref(b), head.deref(h));
                        self.operation(&op, ("", &bi, &b), ("", &hi, &h));
                    }
                    _ => {}
                }
            }
        }
        for name in &hw {
            if !bw.contains(name) {
                if let Some(h) = child(hroot, name) {
                    self.changes.push(change(
                        &WEBHOOK_ADDED,
                        &format!("webhook {name}"),
                        name,
                        &h.ptr,
                        h.file,
                        Side::Head,
                        format!("webhook `{name}` was added"),
                    ));
                }
            }
        }
    }

    fn security(&mut self, op: &Op<'_>, bop: &Loc<'a>, hop: &Loc<'a>) {
        let effective = |o: &Loc<'a>, root: &Option<Loc<'a>>| -> Option<Loc<'a>> {
            o.child("security").or_else(|| root.as_ref().and_then(|r| r.child("security")))
        };
        let bsec = effective(bop, &self.broot.clone());
        let hsec = effective(hop, &self.hroot.clone());
        let (b, h) = (requirements(bsec.as_ref()), requirements(hsec.as_ref()));
        let Some(hsec) = hsec else { return };
        if h.is_empty() || h.iter().any(|a| a.is_empty()) {
            return;
        }
        let base_alts = if b.is_empty() { vec![BTreeMap::new()] } else { b };
        let describe = |m: &Requirement| {
            if m.is_empty() {
                "no authentication".to_string()
            } else {
                m.iter()
                    .map(|(k, v)| format!("{k}[{}]", v.iter().cloned().collect::<Vec<_>>().join(",")))
                    .collect::<Vec<_>>()
                    .join(" + ")
            }
        };
        for ba in &base_alts {
            if h.iter().any(|ha| ha.iter().all(|(s, scopes)| ba.get(s).is_some_and(|bs| scopes.is_subset(bs)))) {
                continue;
            }
            if let Some(ha) = h.iter().find(|ha| ha.keys().eq(ba.keys())) {
                self.add(
                    op,
                    &SECURITY_SCOPE_ADDED,
                    &hsec,
                    Side::Head,
                    "security",
                    format!("callers with {} now also need {}", describe(ba), describe(ha)),
                );
            } else {
                let need = h.iter().map(describe).collect::<Vec<_>>().join(" or ");
                self.add(
                    op,
                    &SECURITY_REQUIREMENT_ADDED,
                    &hsec,
                    Side::Head,
                    "security",
                    format!("callers with {} now need {need}", describe(ba)),
                );
            }
            break;
        }
    }
}

/// The `paths` entries keyed by their template shape.
fn paths<'a>(root: &Option<Loc<'a>>) -> BTreeMap<String, (String, Loc<'a>)> {
    let Some(p) = root.as_ref().and_then(|r| r.child("paths")) else { return BTreeMap::new() };
    let keys: Vec<String> = p.node.map().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    keys.into_iter().filter_map(|k| Some((template_key(&k), (k.clone(), p.child(&k)?)))).collect()
}

type Requirement = BTreeMap<String, BTreeSet<String>>;

fn requirements(sec: Option<&Loc<'_>>) -> Vec<Requirement> {
    let Some(sec) = sec else { return Vec::new() };
    sec.node
        .seq()
        .iter()
        .map(|req| {
            req.map()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.seq().iter().filter_map(|s| s.str().map(String::from)).collect()))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect()
}

/// The `type` of a parameter's schema (for telling a rename from a replacement).
fn schema_type(docs: &Docs, p: &Loc<'_>) -> Option<String> {
    let s = docs.deref(p.child("schema")?);
    s.node.get("type").map(|t| t.render())
}

/// Path-level parameters overridden by operation-level ones, keyed by (in, name) with their
/// position; header names are case-insensitive.
fn params<'a>(docs: &'a Docs, item: &Loc<'a>, op: &Loc<'a>) -> BTreeMap<ParamKey, (usize, Loc<'a>)> {
    let mut out: BTreeMap<ParamKey, (usize, Loc<'a>)> = BTreeMap::new();
    for holder in [item, op] {
        let Some(list) = holder.child("parameters") else { continue };
        for i in 0..list.node.seq().len() {
            let Some(p) = list.child(&i.to_string()).map(|l| docs.deref(l)) else { continue };
            let (Some(name), Some(place)) = (p.node.get_str("name"), p.node.get_str("in")) else { continue };
            let name = if place == "header" { name.to_ascii_lowercase() } else { name.to_string() };
            let pos = out.len();
            let key = (place.to_string(), name);
            let pos = out.get(&key).map(|x| x.0).unwrap_or(pos);
            out.insert(key, (pos, p));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_ignore_parameter_names() {
        assert_eq!(template_key("/pets/{petId}/toys/{id}"), "/pets/{}/toys/{}");
        assert_eq!(template_names("/g/{group_id}/m/{id}"), vec!["group_id", "id"]);
    }

    #[test]
    fn sunset_dates() {
        let n = super::super::tree::parse("deprecated: true\nx-sunset: 2026-01-31\n").unwrap();
        assert_eq!(sunset_date(&n), Some(Ok("2026-01-31".into())));
        let bad = super::super::tree::parse("x-sunset: next spring\n").unwrap();
        assert!(matches!(sunset_date(&bad), Some(Err(_))));
        assert_eq!(days("1970-01-02"), Some(1));
        assert_eq!(days("2026-06-01").unwrap() - days("2026-01-01").unwrap(), 151);
    }

    #[test]
    fn rules_are_namespaced_and_unique() {
        let mut ids: Vec<&str> = OPERATION_RULES.iter().chain(OPENAPI_SCHEMA_RULES).map(|r| r.id).collect();
        assert!(ids.iter().all(|r| r.starts_with("contract.openapi.")));
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
