//! OpenAPI 3.0 / 3.1: paths, operations, parameters, request bodies, responses, security, and
//! the schemas under them (request side: narrowing breaks; response side: widening breaks).

use super::docs::{Docs, Loc};
use super::schema::{Differ, Kind, SchemaChange};
use super::{Change, Compared, ContractRule, Input, Level, Side, change};
use crate::gate::Context;
use std::collections::{BTreeMap, BTreeSet};

/// (rule id, default level, summary).
pub const PATH_REMOVED: ContractRule =
    ContractRule::new("contract.openapi.path-removed", Level::Breaking, "An API path was removed.");
pub const PATH_ADDED: ContractRule =
    ContractRule::new("contract.openapi.path-added", Level::Info, "An API path was added.");
pub const OPERATION_REMOVED: ContractRule = ContractRule::new(
    "contract.openapi.operation-removed",
    Level::Breaking,
    "An operation (method on a path) was removed.",
);
pub const OPERATION_ADDED: ContractRule =
    ContractRule::new("contract.openapi.operation-added", Level::Info, "An operation was added.");
pub const OPERATION_ID_CHANGED: ContractRule = ContractRule::new(
    "contract.openapi.operation-id-changed",
    Level::Warning,
    "An operation's `operationId` changed (generated client method names change).",
);
pub const DEPRECATED_WITHOUT_SUNSET: ContractRule = ContractRule::new(
    "contract.openapi.deprecated-without-sunset",
    Level::Warning,
    "An operation was deprecated without an `x-sunset` date.",
);
pub const OPERATION_DEPRECATED: ContractRule = ContractRule::new(
    "contract.openapi.operation-deprecated",
    Level::Info,
    "An operation was deprecated with an `x-sunset` date.",
);
pub const PARAMETER_REMOVED: ContractRule =
    ContractRule::new("contract.openapi.parameter-removed", Level::Breaking, "A parameter was removed.");
pub const PARAMETER_RENAMED: ContractRule = ContractRule::new(
    "contract.openapi.parameter-renamed",
    Level::Breaking,
    "A parameter was renamed (removed and another of the same location added).",
);
pub const PARAMETER_LOCATION_CHANGED: ContractRule = ContractRule::new(
    "contract.openapi.parameter-location-changed",
    Level::Breaking,
    "A parameter moved (its `in` changed, e.g. query → header).",
);
pub const PARAMETER_MADE_REQUIRED: ContractRule = ContractRule::new(
    "contract.openapi.parameter-made-required",
    Level::Breaking,
    "An optional parameter became required.",
);
pub const REQUIRED_PARAMETER_ADDED: ContractRule = ContractRule::new(
    "contract.openapi.required-parameter-added",
    Level::Breaking,
    "A new required parameter was added.",
);
pub const PARAMETER_ADDED: ContractRule =
    ContractRule::new("contract.openapi.parameter-added", Level::Info, "A new optional parameter was added.");
pub const REQUEST_BODY_MADE_REQUIRED: ContractRule = ContractRule::new(
    "contract.openapi.request-body-made-required",
    Level::Breaking,
    "The request body became required (or a required body was added).",
);
pub const REQUEST_MEDIA_TYPE_REMOVED: ContractRule = ContractRule::new(
    "contract.openapi.request-media-type-removed",
    Level::Breaking,
    "A request media type is no longer accepted.",
);
pub const REQUEST_PROPERTY_ADDED_REQUIRED: ContractRule = ContractRule::new(
    "contract.openapi.request-property-added-required",
    Level::Breaking,
    "A required property was added to a request schema.",
);
pub const REQUEST_PROPERTY_MADE_REQUIRED: ContractRule = ContractRule::new(
    "contract.openapi.request-property-made-required",
    Level::Breaking,
    "An optional request property became required.",
);
pub const REQUEST_PROPERTY_ADDED: ContractRule = ContractRule::new(
    "contract.openapi.request-property-added",
    Level::Info,
    "An optional property was added to a request schema.",
);
pub const REQUEST_PROPERTY_REMOVED: ContractRule = ContractRule::new(
    "contract.openapi.request-property-removed",
    Level::Info,
    "A property was removed from a request schema.",
);
pub const REQUEST_PROPERTY_MADE_OPTIONAL: ContractRule = ContractRule::new(
    "contract.openapi.request-property-made-optional",
    Level::Info,
    "A required request property became optional.",
);
pub const REQUEST_TYPE_NARROWED: ContractRule = ContractRule::new(
    "contract.openapi.request-type-narrowed",
    Level::Breaking,
    "A request type or format accepts fewer values (e.g. number → integer, format added).",
);
pub const REQUEST_TYPE_WIDENED: ContractRule = ContractRule::new(
    "contract.openapi.request-type-widened",
    Level::Info,
    "A request type or format accepts more values.",
);
pub const REQUEST_ENUM_VALUE_REMOVED: ContractRule = ContractRule::new(
    "contract.openapi.request-enum-value-removed",
    Level::Breaking,
    "An enum value was removed from a request schema.",
);
pub const REQUEST_ENUM_VALUE_ADDED: ContractRule = ContractRule::new(
    "contract.openapi.request-enum-value-added",
    Level::Info,
    "An enum value was added to a request schema.",
);
pub const REQUEST_CONSTRAINT_TIGHTENED: ContractRule = ContractRule::new(
    "contract.openapi.request-constraint-tightened",
    Level::Breaking,
    "A request max/min/length/pattern/enum constraint got stricter.",
);
pub const REQUEST_CONSTRAINT_LOOSENED: ContractRule =
    ContractRule::new("contract.openapi.request-constraint-loosened", Level::Info, "A request constraint got looser.");
pub const RESPONSE_STATUS_REMOVED: ContractRule = ContractRule::new(
    "contract.openapi.response-status-removed",
    Level::Breaking,
    "A response status code was removed.",
);
pub const RESPONSE_STATUS_ADDED: ContractRule =
    ContractRule::new("contract.openapi.response-status-added", Level::Info, "A response status code was added.");
pub const RESPONSE_MEDIA_TYPE_REMOVED: ContractRule = ContractRule::new(
    "contract.openapi.response-media-type-removed",
    Level::Breaking,
    "A response media type was removed.",
);
pub const RESPONSE_PROPERTY_REMOVED: ContractRule = ContractRule::new(
    "contract.openapi.response-property-removed",
    Level::Breaking,
    "A property was removed from a response schema.",
);
pub const RESPONSE_PROPERTY_MADE_OPTIONAL: ContractRule = ContractRule::new(
    "contract.openapi.response-property-made-optional",
    Level::Breaking,
    "A required response property became optional (clients may get none).",
);
pub const RESPONSE_PROPERTY_ADDED: ContractRule = ContractRule::new(
    "contract.openapi.response-property-added",
    Level::Info,
    "A property was added to a response schema.",
);
pub const RESPONSE_PROPERTY_MADE_REQUIRED: ContractRule = ContractRule::new(
    "contract.openapi.response-property-made-required",
    Level::Info,
    "An optional response property became required.",
);
pub const RESPONSE_TYPE_CHANGED: ContractRule = ContractRule::new(
    "contract.openapi.response-type-changed",
    Level::Breaking,
    "A response type or format can now hold values clients do not expect.",
);
pub const RESPONSE_TYPE_NARROWED: ContractRule = ContractRule::new(
    "contract.openapi.response-type-narrowed",
    Level::Info,
    "A response type or format holds fewer values.",
);
pub const RESPONSE_ENUM_VALUE_ADDED: ContractRule = ContractRule::new(
    "contract.openapi.response-enum-value-added",
    Level::Warning,
    "An enum value was added to a response schema (clients with exhaustive matches break).",
);
pub const RESPONSE_ENUM_VALUE_REMOVED: ContractRule = ContractRule::new(
    "contract.openapi.response-enum-value-removed",
    Level::Info,
    "An enum value was removed from a response schema.",
);
pub const RESPONSE_CONSTRAINT_CHANGED: ContractRule = ContractRule::new(
    "contract.openapi.response-constraint-changed",
    Level::Info,
    "A response max/min/length/pattern constraint changed.",
);
pub const DEFAULT_CHANGED: ContractRule = ContractRule::new(
    "contract.openapi.default-changed",
    Level::Warning,
    "A schema `default` changed (clients that omit the value get different behaviour).",
);
pub const SECURITY_REQUIREMENT_ADDED: ContractRule = ContractRule::new(
    "contract.openapi.security-requirement-added",
    Level::Breaking,
    "An operation requires a security scheme its callers did not need before.",
);
pub const SECURITY_SCOPE_ADDED: ContractRule = ContractRule::new(
    "contract.openapi.security-scope-added",
    Level::Breaking,
    "An operation requires an OAuth scope its callers did not need before.",
);

/// Every rule of this contract kind.
pub const RULES: &[&ContractRule] = &[
    &PATH_REMOVED,
    &PATH_ADDED,
    &OPERATION_REMOVED,
    &OPERATION_ADDED,
    &OPERATION_ID_CHANGED,
    &DEPRECATED_WITHOUT_SUNSET,
    &OPERATION_DEPRECATED,
    &PARAMETER_REMOVED,
    &PARAMETER_RENAMED,
    &PARAMETER_LOCATION_CHANGED,
    &PARAMETER_MADE_REQUIRED,
    &REQUIRED_PARAMETER_ADDED,
    &PARAMETER_ADDED,
    &REQUEST_BODY_MADE_REQUIRED,
    &REQUEST_MEDIA_TYPE_REMOVED,
    &REQUEST_PROPERTY_ADDED_REQUIRED,
    &REQUEST_PROPERTY_MADE_REQUIRED,
    &REQUEST_PROPERTY_ADDED,
    &REQUEST_PROPERTY_REMOVED,
    &REQUEST_PROPERTY_MADE_OPTIONAL,
    &REQUEST_TYPE_NARROWED,
    &REQUEST_TYPE_WIDENED,
    &REQUEST_ENUM_VALUE_REMOVED,
    &REQUEST_ENUM_VALUE_ADDED,
    &REQUEST_CONSTRAINT_TIGHTENED,
    &REQUEST_CONSTRAINT_LOOSENED,
    &RESPONSE_STATUS_REMOVED,
    &RESPONSE_STATUS_ADDED,
    &RESPONSE_MEDIA_TYPE_REMOVED,
    &RESPONSE_PROPERTY_REMOVED,
    &RESPONSE_PROPERTY_MADE_OPTIONAL,
    &RESPONSE_PROPERTY_ADDED,
    &RESPONSE_PROPERTY_MADE_REQUIRED,
    &RESPONSE_TYPE_CHANGED,
    &RESPONSE_TYPE_NARROWED,
    &RESPONSE_ENUM_VALUE_ADDED,
    &RESPONSE_ENUM_VALUE_REMOVED,
    &RESPONSE_CONSTRAINT_CHANGED,
    &DEFAULT_CHANGED,
    &SECURITY_REQUIREMENT_ADDED,
    &SECURITY_SCOPE_ADDED,
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

fn schema_rule(dir: Dir, kind: Kind) -> &'static ContractRule {
    use Kind::*;
    match (dir, kind) {
        (Dir::Request, PropAdded { required: true }) => &REQUEST_PROPERTY_ADDED_REQUIRED,
        (Dir::Request, PropAdded { required: false }) => &REQUEST_PROPERTY_ADDED,
        (Dir::Request, PropRemoved { .. }) => &REQUEST_PROPERTY_REMOVED,
        (Dir::Request, MadeRequired) => &REQUEST_PROPERTY_MADE_REQUIRED,
        (Dir::Request, MadeOptional) => &REQUEST_PROPERTY_MADE_OPTIONAL,
        (Dir::Request, Type { narrows: true, .. }) => &REQUEST_TYPE_NARROWED,
        (Dir::Request, Type { .. }) => &REQUEST_TYPE_WIDENED,
        (Dir::Request, EnumRemoved) => &REQUEST_ENUM_VALUE_REMOVED,
        (Dir::Request, EnumAdded) => &REQUEST_ENUM_VALUE_ADDED,
        (Dir::Request, Tightened) => &REQUEST_CONSTRAINT_TIGHTENED,
        (Dir::Request, Loosened) => &REQUEST_CONSTRAINT_LOOSENED,
        (Dir::Response, PropAdded { .. }) => &RESPONSE_PROPERTY_ADDED,
        (Dir::Response, PropRemoved { .. }) => &RESPONSE_PROPERTY_REMOVED,
        (Dir::Response, MadeRequired) => &RESPONSE_PROPERTY_MADE_REQUIRED,
        (Dir::Response, MadeOptional) => &RESPONSE_PROPERTY_MADE_OPTIONAL,
        (Dir::Response, Type { widens: true, .. }) => &RESPONSE_TYPE_CHANGED,
        (Dir::Response, Type { .. }) => &RESPONSE_TYPE_NARROWED,
        (Dir::Response, EnumRemoved) => &RESPONSE_ENUM_VALUE_REMOVED,
        (Dir::Response, EnumAdded) => &RESPONSE_ENUM_VALUE_ADDED,
        (Dir::Response, Tightened | Loosened) => &RESPONSE_CONSTRAINT_CHANGED,
        (_, DefaultChanged) => &DEFAULT_CHANGED,
    }
}

/// Compares one OpenAPI description; `None` when neither it nor a file it references changed.
pub fn compare(cx: &Context<'_>, input: &Input<'_>) -> Option<Compared> {
    let mut out = Compared {
        kind: "openapi",
        path: input.path.to_string(),
        changes: Vec::new(),
        problems: Vec::new(),
        versions: None,
    };
    let (base, head) = super::load_sides(cx, input, &mut out)?;
    compare_docs(&base, &head, input.today, input.after_sunset, &mut out);
    Some(out)
}

fn compare_docs(base: &Docs, head: &Docs, today: &str, after_sunset: bool, out: &mut Compared) {
    let (broot, hroot) = (base.root(), head.root());
    let version = |r: &Option<Loc<'_>>| {
        r.as_ref()
            .and_then(|r| r.node.pointer("/info/version"))
            .map(|n| n.str().map(String::from).unwrap_or_else(|| n.render()))
    };
    let vline = hroot.as_ref().map(|r| r.node.line_of("/info/version").0).unwrap_or(1);
    out.versions = Some((version(&broot), version(&hroot), vline));

    let mut cmp = Cmp { differ: Differ::new(base, head), changes: Vec::new() };
    let (bp, hp) = (paths(&broot).unwrap_or_default(), paths(&hroot).unwrap_or_default());
    for (norm, (bpath, bitem)) in &bp {
        let bitem = base.deref(bitem.clone());
        let Some((hpath, hitem)) = hp.get(norm) else {
            let start = cmp.changes.len();
            let all_sunset =
                METHODS.iter().filter_map(|m| bitem.child(m)).all(|op| sunset_passed(op.node, today).is_some());
            cmp.push(change(
                &PATH_REMOVED,
                bpath,
                bpath,
                &bitem.ptr,
                bitem.file,
                Side::Base,
                format!("path `{bpath}` was removed"),
            ));
            if after_sunset && all_sunset && METHODS.iter().any(|m| bitem.child(m).is_some()) {
                downgrade(&mut cmp.changes[start..], "every operation was deprecated and past its sunset date");
            }
            continue;
        };
        let hitem = head.deref(hitem.clone());
        for m in METHODS {
            let group = format!("{} {hpath}", m.to_uppercase());
            let start = cmp.changes.len();
            match (bitem.child(m), hitem.child(m)) {
                (Some(bop), None) => cmp.push(change(
                    &OPERATION_REMOVED,
                    &group,
                    hpath,
                    &bop.ptr,
                    bop.file,
                    Side::Base,
                    format!("operation `{}` was removed", group),
                )),
                (None, Some(hop)) => cmp.push(change(
                    &OPERATION_ADDED,
                    &group,
                    hpath,
                    &hop.ptr,
                    hop.file,
                    Side::Head,
                    format!("operation `{group}` was added"),
                )),
                (Some(bop), Some(hop)) => {
                    let ctx = Op { group: &group, subject: hpath, broot: broot.as_ref(), hroot: hroot.as_ref() };
                    cmp.operation(&ctx, &bitem, &hitem, &bop, &hop);
                }
                (None, None) => {}
            }
            if let Some(date) = bitem.child(m).and_then(|op| sunset_passed(op.node, today)) {
                if after_sunset {
                    downgrade(&mut cmp.changes[start..], &format!("deprecated with sunset {date}, which has passed"));
                }
            }
        }
    }
    for (norm, (hpath, hitem)) in &hp {
        if !bp.contains_key(norm) {
            cmp.push(change(
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
    // Lines: head side at the node; base side at the base node and the closest head ancestor.
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

/// The `paths` entries keyed by their template shape.
fn paths<'a>(root: &Option<Loc<'a>>) -> Option<BTreeMap<String, (String, Loc<'a>)>> {
    let p = root.as_ref()?.child("paths")?;
    let keys: Vec<String> = p.node.map()?.keys().cloned().collect();
    Some(keys.into_iter().filter_map(|k| Some((template_key(&k), (k.clone(), p.child(&k)?)))).collect())
}

fn downgrade(changes: &mut [Change], why: &str) {
    for c in changes {
        if c.level == Level::Breaking {
            c.level = Level::Info;
            c.note = Some(format!("allowed: {why}"));
        }
    }
}

/// `deprecated: true` with `x-sunset` (or `x-sunset-date`) on or before today: the date.
fn sunset_passed(op: &super::tree::Node, today: &str) -> Option<String> {
    if !op.flag("deprecated") {
        return None;
    }
    let date = op.get("x-sunset").or_else(|| op.get("x-sunset-date"))?;
    let date = date.str().map(String::from).unwrap_or_else(|| date.render());
    let day = date.get(..10).unwrap_or(&date);
    (day <= today).then(|| day.to_string())
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

struct Op<'s, 'a> {
    group: &'s str,
    subject: &'s str,
    broot: Option<&'s Loc<'a>>,
    hroot: Option<&'s Loc<'a>>,
}

struct Cmp<'a> {
    differ: Differ<'a>,
    changes: Vec<Change>,
}

impl<'a> Cmp<'a> {
    fn push(&mut self, c: Change) {
        self.changes.push(c);
    }

    fn add(
        &mut self,
        op: &Op<'_, 'a>,
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

    fn schemas(&mut self, op: &Op<'_, 'a>, dir: Dir, context: &str, b: Option<Loc<'a>>, h: Option<Loc<'a>>) {
        let (Some(b), Some(h)) = (b, h) else { return };
        let found = self.differ.diff(b, h);
        for sc in found.iter() {
            let SchemaChange { kind, side, file, ptr, what } = sc;
            let mut c = change(schema_rule(dir, *kind), op.group, op.subject, ptr, file, *side, what.clone());
            c.context = context.to_string();
            self.changes.push(c);
        }
    }

    fn operation(&mut self, op: &Op<'_, 'a>, bitem: &Loc<'a>, hitem: &Loc<'a>, bop: &Loc<'a>, hop: &Loc<'a>) {
        let (base, head) = (self.differ.base, self.differ.head);
        let (bop, hop) = (base.deref(bop.clone()), head.deref(hop.clone()));
        // operationId
        let (bid, hid) = (bop.node.get_str("operationId"), hop.node.get_str("operationId"));
        if bid.is_some() && bid != hid {
            let at = hop.child("operationId").unwrap_or(hop.clone());
            let msg = format!("operationId changed from `{}` to `{}`", bid.unwrap_or(""), hid.unwrap_or("(none)"));
            self.add(op, &OPERATION_ID_CHANGED, &at, Side::Head, "", msg);
        }
        // deprecation
        if !bop.node.flag("deprecated") && hop.node.flag("deprecated") {
            let at = hop.child("deprecated").unwrap_or(hop.clone());
            if hop.node.get("x-sunset").or_else(|| hop.node.get("x-sunset-date")).is_some() {
                self.add(op, &OPERATION_DEPRECATED, &at, Side::Head, "", "operation was deprecated".into());
            } else {
                self.add(
                    op,
                    &DEPRECATED_WITHOUT_SUNSET,
                    &at,
                    Side::Head,
                    "",
                    "operation was deprecated without an `x-sunset` date".into(),
                );
            }
        }
        self.parameters(op, bitem, hitem, &bop, &hop);
        self.request_body(op, &bop, &hop);
        self.responses(op, &bop, &hop);
        self.security(op, &bop, &hop);
    }

    fn parameters(&mut self, op: &Op<'_, 'a>, bitem: &Loc<'a>, hitem: &Loc<'a>, bop: &Loc<'a>, hop: &Loc<'a>) {
        let (base, head) = (self.differ.base, self.differ.head);
        let bparams = params(base, bitem, bop);
        let hparams = params(head, hitem, hop);
        let mut consumed = BTreeSet::new();
        let label = |k: &(String, String)| format!("parameter `{}` ({})", k.1, k.0);
        for (k, bl) in &bparams {
            if hparams.contains_key(k) || k.0 == "path" {
                continue;
            }
            let moved = hparams
                .keys()
                .find(|h| h.1 == k.1 && h.0 != "path" && !bparams.contains_key(*h) && !consumed.contains(*h));
            let renamed = || hparams.keys().find(|h| h.0 == k.0 && !bparams.contains_key(*h) && !consumed.contains(*h));
            if let Some(h) = moved.cloned() {
                let hl = &hparams[&h];
                self.add(
                    op,
                    &PARAMETER_LOCATION_CHANGED,
                    hl,
                    Side::Head,
                    &label(k),
                    format!("moved from `{}` to `{}`", k.0, h.0),
                );
                consumed.insert(h);
            } else if let Some(h) = renamed().cloned() {
                let hl = &hparams[&h];
                self.add(op, &PARAMETER_RENAMED, hl, Side::Head, &label(k), format!("renamed to `{}`", h.1));
                consumed.insert(h);
            } else {
                self.add(op, &PARAMETER_REMOVED, bl, Side::Base, &label(k), "was removed".into());
            }
        }
        for (k, hl) in &hparams {
            if k.0 == "path" || consumed.contains(k) {
                continue;
            }
            match bparams.get(k) {
                None => {
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
                        self.add(
                            op,
                            &PARAMETER_ADDED,
                            hl,
                            Side::Head,
                            &label(k),
                            "an optional parameter was added".into(),
                        );
                    }
                }
                Some(bl) => {
                    if !bl.node.flag("required") && hl.node.flag("required") {
                        let at = hl.child("required").unwrap_or(hl.clone());
                        self.add(op, &PARAMETER_MADE_REQUIRED, &at, Side::Head, &label(k), "became required".into());
                    }
                }
            }
        }
        for (k, bl) in &bparams {
            if let Some(hl) = hparams.get(k) {
                self.schemas(op, Dir::Request, &label(k), bl.child("schema"), hl.child("schema"));
            }
        }
    }

    fn request_body(&mut self, op: &Op<'_, 'a>, bop: &Loc<'a>, hop: &Loc<'a>) {
        let (base, head) = (self.differ.base, self.differ.head);
        let bb = bop.child("requestBody").map(|l| base.deref(l));
        let hb = hop.child("requestBody").map(|l| head.deref(l));
        let Some(hb) = hb else { return };
        let breq = bb.as_ref().is_some_and(|b| b.node.flag("required"));
        if hb.node.flag("required") && !breq {
            let at = hb.child("required").unwrap_or(hb.clone());
            let msg =
                if bb.is_some() { "the request body became required" } else { "a required request body was added" };
            self.add(op, &REQUEST_BODY_MADE_REQUIRED, &at, Side::Head, "request body", msg.into());
        }
        let Some(bb) = bb else { return };
        self.content(op, Dir::Request, "request body", &bb, &hb);
    }

    fn content(&mut self, op: &Op<'_, 'a>, dir: Dir, what: &str, b: &Loc<'a>, h: &Loc<'a>) {
        let (Some(bc), Some(hc)) = (b.child("content"), h.child("content")) else { return };
        let keys = |l: &Loc<'_>| l.node.map().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        for mt in keys(&bc) {
            let Some(bm) = bc.child(&mt) else { continue };
            match hc.child(&mt) {
                None => {
                    let rule =
                        if dir == Dir::Request { &REQUEST_MEDIA_TYPE_REMOVED } else { &RESPONSE_MEDIA_TYPE_REMOVED };
                    self.add(op, rule, &bm, Side::Base, what, format!("media type `{mt}` was removed"));
                }
                Some(hm) => self.schemas(op, dir, &format!("{what} {mt}"), bm.child("schema"), hm.child("schema")),
            }
        }
    }

    fn responses(&mut self, op: &Op<'_, 'a>, bop: &Loc<'a>, hop: &Loc<'a>) {
        let (base, head) = (self.differ.base, self.differ.head);
        let (Some(br), Some(hr)) = (bop.child("responses"), hop.child("responses")) else { return };
        let keys = |l: &Loc<'_>| l.node.map().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        for code in keys(&br) {
            let Some(bl) = br.child(&code) else { continue };
            match hr.child(&code) {
                None => self.add(
                    op,
                    &RESPONSE_STATUS_REMOVED,
                    &bl,
                    Side::Base,
                    &format!("response {code}"),
                    format!("status `{code}` was removed"),
                ),
                Some(hl) => {
                    let (bl, hl) = (base.deref(bl), head.deref(hl));
                    self.content(op, Dir::Response, &format!("response {code}"), &bl, &hl);
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

    fn security(&mut self, op: &Op<'_, 'a>, bop: &Loc<'a>, hop: &Loc<'a>) {
        let effective = |o: &Loc<'a>, root: Option<&Loc<'a>>| -> Option<Loc<'a>> {
            o.child("security").or_else(|| root.and_then(|r| r.child("security")))
        };
        let bsec = effective(bop, op.broot);
        let hsec = effective(hop, op.hroot);
        let (b, h) = (requirements(bsec.as_ref()), requirements(hsec.as_ref()));
        let Some(hsec) = hsec else { return };
        if h.is_empty() {
            return;
        }
        // Alternatives: a caller who satisfied base alternative `ba` still gets in if some head
        // alternative asks for no more schemes and scopes than `ba` gave.
        let base_alts = if b.is_empty() { vec![BTreeMap::new()] } else { b };
        for ba in &base_alts {
            let ok = h.iter().any(|ha| ha.iter().all(|(s, scopes)| ba.get(s).is_some_and(|bs| scopes.is_subset(bs))));
            if ok {
                continue;
            }
            let same = h.iter().find(|ha| ha.keys().eq(ba.keys()));
            let describe = |m: &BTreeMap<String, BTreeSet<String>>| {
                if m.is_empty() {
                    "no authentication".to_string()
                } else {
                    m.iter()
                        .map(|(k, v)| format!("{k}[{}]", v.iter().cloned().collect::<Vec<_>>().join(",")))
                        .collect::<Vec<_>>()
                        .join(" + ")
                }
            };
            if let Some(ha) = same {
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

/// Path-level parameters overridden by operation-level ones, keyed by (in, name); header names
/// are case-insensitive.
fn params<'a>(docs: &'a Docs, item: &Loc<'a>, op: &Loc<'a>) -> BTreeMap<(String, String), Loc<'a>> {
    let mut out = BTreeMap::new();
    for holder in [item, op] {
        let Some(list) = holder.child("parameters") else { continue };
        for i in 0..list.node.seq().len() {
            let Some(p) = list.child(&i.to_string()).map(|l| docs.deref(l)) else { continue };
            let (Some(name), Some(place)) = (p.node.get_str("name"), p.node.get_str("in")) else { continue };
            let name = if place == "header" { name.to_ascii_lowercase() } else { name.to_string() };
            out.insert((place.to_string(), name), p);
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
    }

    #[test]
    fn sunset() {
        let n = super::super::tree::parse("deprecated: true\nx-sunset: 2026-01-31\n").unwrap();
        assert_eq!(sunset_passed(&n, "2026-06-01").as_deref(), Some("2026-01-31"));
        assert_eq!(sunset_passed(&n, "2025-06-01"), None);
    }

    #[test]
    fn rules_are_namespaced() {
        assert!(RULES.iter().all(|r| r.id.starts_with("contract.openapi.")));
    }
}
