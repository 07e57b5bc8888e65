//! GraphQL SDL: every change between the base and head schema, classified like graphql-inspector
//! (breaking / dangerous → warning / non-breaking → info), with extensions merged and the
//! schema's root operation types compared. Parsed with `cynic-parser`, which reads the whole
//! current specification (schema extensions, descriptions on the schema, `repeatable`,
//! interfaces implementing interfaces, `\u{…}` escapes).

mod diff;
pub mod documents;
pub mod model;

use super::{Change, Compared, ContractRule, Level, Side, decode, parse_error};
use crate::core::matcher::Globs;
use crate::core::{Finding, Location};
use crate::gate::{Context, GateError};

pub const TYPE_REMOVED: ContractRule =
    ContractRule::new("contract.graphql.type-removed", Level::Breaking, "A type was removed.");
pub const TYPE_ADDED: ContractRule = ContractRule::new("contract.graphql.type-added", Level::Info, "A type was added.");
pub const TYPE_KIND_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.type-kind-changed",
    Level::Breaking,
    "A type changed kind (e.g. object → interface).",
);
pub const FIELD_REMOVED: ContractRule = ContractRule::new(
    "contract.graphql.field-removed",
    Level::Breaking,
    "A field was removed from an object or interface type.",
);
pub const FIELD_ADDED: ContractRule =
    ContractRule::new("contract.graphql.field-added", Level::Info, "A field was added to an object or interface type.");
pub const FIELD_TYPE_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.field-type-changed",
    Level::Breaking,
    "A field's type changed incompatibly (non-null → nullable, another named type, list ↔ single).",
);
pub const TYPE_CHANGED_SAFELY: ContractRule = ContractRule::new(
    "contract.graphql.type-changed-safely",
    Level::Info,
    "A type reference changed compatibly (nullable → non-null on output, non-null → nullable on input).",
);
pub const ARGUMENT_REMOVED: ContractRule =
    ContractRule::new("contract.graphql.argument-removed", Level::Breaking, "A field argument was removed.");
pub const REQUIRED_ARGUMENT_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.required-argument-added",
    Level::Breaking,
    "A non-null argument without default was added.",
);
pub const OPTIONAL_ARGUMENT_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.optional-argument-added",
    Level::Warning,
    "An optional argument was added (dangerous per graphql-inspector).",
);
pub const ARGUMENT_TYPE_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.argument-type-changed",
    Level::Breaking,
    "An argument's type changed incompatibly (e.g. nullable → non-null).",
);
pub const ARGUMENT_DEFAULT_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.argument-default-changed",
    Level::Warning,
    "An argument's default value was added, removed or changed.",
);
pub const INPUT_FIELD_REMOVED: ContractRule = ContractRule::new(
    "contract.graphql.input-field-removed",
    Level::Breaking,
    "A field was removed from an input type.",
);
pub const REQUIRED_INPUT_FIELD_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.required-input-field-added",
    Level::Breaking,
    "A non-null input field without default was added.",
);
pub const INPUT_FIELD_ADDED_WITH_DEFAULT: ContractRule = ContractRule::new(
    "contract.graphql.input-field-added-with-default",
    Level::Warning,
    "An input field with a default was added: clients that omit it now send the default.",
);
pub const OPTIONAL_INPUT_FIELD_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.optional-input-field-added",
    Level::Info,
    "A nullable input field without default was added.",
);
pub const INPUT_FIELD_TYPE_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.input-field-type-changed",
    Level::Breaking,
    "An input field's type changed incompatibly.",
);
pub const INPUT_FIELD_DEFAULT_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.input-field-default-changed",
    Level::Warning,
    "An input field's default value was added, removed or changed.",
);
pub const ENUM_VALUE_REMOVED: ContractRule =
    ContractRule::new("contract.graphql.enum-value-removed", Level::Breaking, "An enum value was removed.");
pub const ENUM_VALUE_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.enum-value-added",
    Level::Warning,
    "An enum value was added (clients with exhaustive matches break).",
);
pub const UNION_MEMBER_REMOVED: ContractRule = ContractRule::new(
    "contract.graphql.union-member-removed",
    Level::Breaking,
    "A member type was removed from a union.",
);
pub const UNION_MEMBER_ADDED: ContractRule =
    ContractRule::new("contract.graphql.union-member-added", Level::Warning, "A member type was added to a union.");
pub const INTERFACE_REMOVED: ContractRule = ContractRule::new(
    "contract.graphql.interface-removed",
    Level::Breaking,
    "An object or interface type no longer implements an interface.",
);
pub const INTERFACE_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.interface-added",
    Level::Warning,
    "An object or interface type now implements another interface.",
);
pub const ROOT_TYPE_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.root-type-changed",
    Level::Breaking,
    "A root operation type (query, mutation, subscription) was changed or removed.",
);
pub const ROOT_TYPE_ADDED: ContractRule =
    ContractRule::new("contract.graphql.root-type-added", Level::Info, "A root operation type was added.");
pub const DIRECTIVE_REMOVED: ContractRule =
    ContractRule::new("contract.graphql.directive-removed", Level::Breaking, "A directive definition was removed.");
pub const DIRECTIVE_ADDED: ContractRule =
    ContractRule::new("contract.graphql.directive-added", Level::Info, "A directive definition was added.");
pub const DIRECTIVE_LOCATION_REMOVED: ContractRule = ContractRule::new(
    "contract.graphql.directive-location-removed",
    Level::Breaking,
    "A directive can no longer be used at a location.",
);
pub const DIRECTIVE_LOCATION_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.directive-location-added",
    Level::Info,
    "A directive can be used at a new location.",
);
pub const DIRECTIVE_REPEATABLE_REMOVED: ContractRule = ContractRule::new(
    "contract.graphql.directive-repeatable-removed",
    Level::Warning,
    "A directive is no longer `repeatable` (dangerous per graphql-inspector).",
);
pub const DIRECTIVE_REPEATABLE_ADDED: ContractRule =
    ContractRule::new("contract.graphql.directive-repeatable-added", Level::Info, "A directive became `repeatable`.");
pub const DIRECTIVE_ARGUMENT_REMOVED: ContractRule = ContractRule::new(
    "contract.graphql.directive-argument-removed",
    Level::Breaking,
    "A directive argument was removed.",
);
pub const REQUIRED_DIRECTIVE_ARGUMENT_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.required-directive-argument-added",
    Level::Breaking,
    "A non-null directive argument without default was added.",
);
pub const OPTIONAL_DIRECTIVE_ARGUMENT_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.optional-directive-argument-added",
    Level::Info,
    "An optional directive argument was added.",
);
pub const DIRECTIVE_ARGUMENT_TYPE_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.directive-argument-type-changed",
    Level::Breaking,
    "A directive argument's type changed incompatibly.",
);
pub const DIRECTIVE_ARGUMENT_DEFAULT_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.directive-argument-default-changed",
    Level::Warning,
    "A directive argument's default value was added, removed or changed.",
);
pub const DIRECTIVE_USAGE_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.directive-usage-added",
    Level::Warning,
    "A directive was applied to the schema, a type, field, argument, input field or enum value.",
);
pub const DIRECTIVE_USAGE_REMOVED: ContractRule =
    ContractRule::new("contract.graphql.directive-usage-removed", Level::Warning, "An applied directive was removed.");
pub const DIRECTIVE_USAGE_ARGUMENT_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.directive-usage-argument-changed",
    Level::Warning,
    "An argument of an applied directive was removed or changed value.",
);
pub const DIRECTIVE_USAGE_ARGUMENT_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.directive-usage-argument-added",
    Level::Info,
    "An applied directive gained an argument.",
);
pub const ONEOF_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.oneof-added",
    Level::Breaking,
    "An input object became `@oneOf`: requests that set no field or several fail.",
);
pub const ONEOF_REMOVED: ContractRule =
    ContractRule::new("contract.graphql.oneof-removed", Level::Info, "An input object is no longer `@oneOf`.");
pub const DEPRECATION_ADDED: ContractRule = ContractRule::new(
    "contract.graphql.deprecation-added",
    Level::Info,
    "A field, argument, input field or enum value was deprecated.",
);
pub const DEPRECATION_REMOVED: ContractRule =
    ContractRule::new("contract.graphql.deprecation-removed", Level::Info, "A deprecation was withdrawn.");
pub const DEPRECATION_REASON_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.deprecation-reason-changed",
    Level::Info,
    "A deprecation reason was added, removed or changed.",
);
pub const DESCRIPTION_CHANGED: ContractRule = ContractRule::new(
    "contract.graphql.description-changed",
    Level::Info,
    "A description was added, removed or changed.",
);
pub const OPERATION_INVALID: ContractRule = ContractRule::new(
    "contract.graphql.operation-invalid",
    Level::Breaking,
    "A client operation in the repository no longer validates against the head schema.",
);

/// Every rule of this contract kind.
pub const RULES: &[&ContractRule] = &[
    &TYPE_REMOVED,
    &TYPE_ADDED,
    &TYPE_KIND_CHANGED,
    &FIELD_REMOVED,
    &FIELD_ADDED,
    &FIELD_TYPE_CHANGED,
    &TYPE_CHANGED_SAFELY,
    &ARGUMENT_REMOVED,
    &REQUIRED_ARGUMENT_ADDED,
    &OPTIONAL_ARGUMENT_ADDED,
    &ARGUMENT_TYPE_CHANGED,
    &ARGUMENT_DEFAULT_CHANGED,
    &INPUT_FIELD_REMOVED,
    &REQUIRED_INPUT_FIELD_ADDED,
    &INPUT_FIELD_ADDED_WITH_DEFAULT,
    &OPTIONAL_INPUT_FIELD_ADDED,
    &INPUT_FIELD_TYPE_CHANGED,
    &INPUT_FIELD_DEFAULT_CHANGED,
    &ENUM_VALUE_REMOVED,
    &ENUM_VALUE_ADDED,
    &UNION_MEMBER_REMOVED,
    &UNION_MEMBER_ADDED,
    &INTERFACE_REMOVED,
    &INTERFACE_ADDED,
    &ROOT_TYPE_CHANGED,
    &ROOT_TYPE_ADDED,
    &DIRECTIVE_REMOVED,
    &DIRECTIVE_ADDED,
    &DIRECTIVE_LOCATION_REMOVED,
    &DIRECTIVE_LOCATION_ADDED,
    &DIRECTIVE_REPEATABLE_REMOVED,
    &DIRECTIVE_REPEATABLE_ADDED,
    &DIRECTIVE_ARGUMENT_REMOVED,
    &REQUIRED_DIRECTIVE_ARGUMENT_ADDED,
    &OPTIONAL_DIRECTIVE_ARGUMENT_ADDED,
    &DIRECTIVE_ARGUMENT_TYPE_CHANGED,
    &DIRECTIVE_ARGUMENT_DEFAULT_CHANGED,
    &DIRECTIVE_USAGE_ADDED,
    &DIRECTIVE_USAGE_REMOVED,
    &DIRECTIVE_USAGE_ARGUMENT_CHANGED,
    &DIRECTIVE_USAGE_ARGUMENT_ADDED,
    &ONEOF_ADDED,
    &ONEOF_REMOVED,
    &DEPRECATION_ADDED,
    &DEPRECATION_REMOVED,
    &DEPRECATION_REASON_CHANGED,
    &DESCRIPTION_CHANGED,
    &OPERATION_INVALID,
];

/// What a `graphql` entry of the policy asks beyond the schema comparison.
pub struct Options {
    /// Client documents to validate and to name in breaking changes.
    pub documents: Option<Globs>,
    /// Level for breaking changes that no document uses.
    pub breaking_unused: Option<Level>,
}

/// Every change between two SDL texts (used by the labelled corpus and the benchmark).
pub fn diff_sdl(base: &str, head: &str) -> Result<Vec<Change>, model::ParseError> {
    let (b, h) = (model::parse(base)?, model::parse(head)?);
    Ok(diff_schemas("schema.graphql", &b, &h))
}

pub fn diff_schemas(path: &str, base: &model::Schema, head: &model::Schema) -> Vec<Change> {
    let mut d = diff::Differ { path, changes: Vec::new() };
    d.schema(base, head);
    d.changes
}

/// The schema files of one policy entry, concatenated in path order (a schema split over
/// several files is one schema: a type moved between files is no change), with the line where
/// each file starts in the concatenation.
struct Joined {
    text: String,
    /// (first line in `text`, path)
    files: Vec<(u32, String)>,
}

impl Joined {
    fn read(
        paths: &[String],
        mut read: impl FnMut(&str) -> Result<Option<Vec<u8>>, GateError>,
    ) -> Result<Result<Joined, Finding>, GateError> {
        let mut j = Joined { text: String::new(), files: Vec::new() };
        for p in paths {
            let Some(bytes) = read(p)? else { continue };
            // UTF-16 and BOM-prefixed files are read like every other contract kind.
            let t = match decode(&bytes) {
                Ok(t) => t,
                Err(m) => return Ok(Err(parse_error(p, 1, &m))),
            };
            let t = t.as_str();
            let line = 1 + j.text.matches('\n').count() as u32;
            j.files.push((line, p.clone()));
            j.text.push_str(t);
            if !t.ends_with('\n') {
                j.text.push('\n');
            }
        }
        Ok(Ok(j))
    }

    /// (file, line in it) of a line of the concatenation.
    fn locate(&self, line: u32) -> (&str, u32) {
        let i = self.files.partition_point(|(start, _)| *start <= line).saturating_sub(1);
        match self.files.get(i) {
            Some((start, path)) => (path, line - start + 1),
            None => ("", line),
        }
    }

    fn parse(&self) -> Result<model::Schema, Finding> {
        if self.files.is_empty() {
            return Ok(model::Schema::default());
        }
        model::parse(&self.text).map_err(|e| {
            let (file, line) = self.locate(e.line);
            parse_error(file, line, &e.message)
        })
    }
}

/// Compares the schema a `graphql` policy entry names between base and head and validates its
/// client documents. `None` when the PR touched neither the schema nor a document.
pub fn evaluate(
    cx: &Context<'_>,
    glob: &Globs,
    literal: Option<&str>,
    opts: &Options,
    changed: &[&str],
) -> Result<Option<Compared>, GateError> {
    let schema_touched = changed.iter().any(|p| glob.matches(p));
    let docs_touched = opts.documents.as_ref().is_some_and(|d| changed.iter().any(|p| d.matches(p)));
    if !schema_touched && !docs_touched {
        return Ok(None);
    }
    let head_all = cx.head_paths()?;
    let base_all = match &cx.changes.base.sha {
        Some(sha) if cx.repo.is_git() => Some(cx.repo.list_at(sha, "")?),
        _ => None,
    };
    // Without a listing (no git), fall back to the files the PR changed.
    let pick = |all: &Option<Vec<String>>, g: &Globs| -> Vec<String> {
        let mut v: Vec<String> = match (literal, all) {
            (Some(l), _) if std::ptr::eq(g, glob) => vec![l.to_string()],
            (_, Some(all)) => all.iter().filter(|p| g.matches(p)).cloned().collect(),
            (_, None) => changed.iter().filter(|p| g.matches(p)).map(|p| p.to_string()).collect(),
        };
        v.sort();
        v.dedup();
        v
    };
    let (head_files, base_files) = (pick(&head_all, glob), pick(&base_all, glob));
    let path = head_files
        .first()
        .or(base_files.first())
        .cloned()
        .unwrap_or_else(|| literal.unwrap_or("schema.graphql").to_string());
    let mut out =
        Compared { kind: "graphql", path: path.clone(), changes: Vec::new(), problems: Vec::new(), versions: None };
    let head = match Joined::read(&head_files, |p| Ok(cx.head_file(p)?))? {
        Ok(j) => j,
        Err(f) => {
            out.problems.push(f);
            return Ok(Some(out));
        }
    };
    let base = match Joined::read(&base_files, |p| Ok(cx.base_file(p)?))? {
        Ok(j) => j,
        Err(f) => {
            out.problems.push(base_problem(f, &path));
            return Ok(Some(out));
        }
    };
    // Base and head are parsed on two threads: a large schema (GitHub's, 1.2 MB) spends most
    // of the gate's time in the parser.
    let (bs, hs) = std::thread::scope(|s| {
        let b = s.spawn(|| base.parse());
        let h = head.parse();
        (b.join().unwrap_or_else(|_| Err(parse_error(&path, 1, "the parser failed"))), h)
    });
    let hs = match hs {
        Ok(s) => s,
        Err(f) => {
            out.problems.push(f);
            return Ok(Some(out));
        }
    };
    let bs = match bs {
        Ok(s) => s,
        Err(f) => {
            out.problems.push(base_problem(f, &path));
            return Ok(Some(out));
        }
    };
    if schema_touched {
        out.changes = diff_schemas(&path, &bs, &hs);
        for c in &mut out.changes {
            // Point every change at the file (of a split schema) its line is in.
            if let Some(l) = c.head_line {
                let (f, l) = head.locate(l);
                c.file = f.to_string();
                c.head_line = Some(l);
            }
            if let Some(l) = c.base_line {
                let (f, l) = base.locate(l);
                if c.head_line.is_none() {
                    c.file = f.to_string();
                }
                c.base_line = Some(l);
            }
        }
    }
    if let Some(docs) = &opts.documents {
        let read_all = |files: Vec<String>, head_side: bool| -> Result<Vec<(String, String)>, GateError> {
            let mut v = Vec::new();
            for f in files {
                let bytes = if head_side { cx.head_file(&f)? } else { cx.base_file(&f)? };
                if let Some(b) = bytes {
                    v.push((f, decode(&b).unwrap_or_else(|_| String::from_utf8_lossy(&b).into_owned())));
                }
            }
            Ok(v)
        };
        let head_docs = read_all(pick(&head_all, docs), true)?;
        let base_docs = read_all(pick(&base_all, docs), false)?;
        let (base_ops, base_problems) = documents::check(&bs, &base_docs);
        let (_, head_problems) = documents::check(&hs, &head_docs);
        let key = |p: &documents::Problem| (p.file.clone(), p.within.clone(), p.message.clone());
        let before: std::collections::BTreeSet<_> = base_problems.iter().map(key).collect();
        for p in head_problems.iter().filter(|p| !before.contains(&key(p))) {
            let within = if p.within.is_empty() { String::new() } else { format!(" `{}`", p.within) };
            let mut c = super::change(
                &OPERATION_INVALID,
                &p.file,
                &p.within,
                &p.within,
                &p.file,
                Side::Head,
                format!("operation{within} no longer validates against the head schema: {}", p.message),
            );
            c.head_line = Some(p.line);
            out.changes.push(c);
        }
        name_broken_operations(&mut out.changes, &base_ops, opts.breaking_unused);
    }
    Ok(Some(out))
}

fn base_problem(mut f: Finding, path: &str) -> Finding {
    // Fail closed: without the base nothing can be compared, and a PASS would hide whatever
    // the PR breaks.
    f.message =
        format!("the base version cannot be parsed, so the PR's changes to `{path}` cannot be checked: {}", f.message);
    f.location = Some(Location::file(path));
    f
}

/// Names the operations each breaking schema change breaks; with `breaking_unused`, lowers
/// the breaking changes no operation uses.
fn name_broken_operations(changes: &mut [Change], ops: &[documents::Operation], unused: Option<Level>) {
    for c in changes.iter_mut().filter(|c| c.level == Level::Breaking && c.rule.id != OPERATION_INVALID.id) {
        let hit: Vec<&documents::Operation> =
            ops.iter().filter(|o| documents::affected(&o.uses, c.rule.id, &c.pointer)).collect();
        if hit.is_empty() {
            if let Some(level) = unused {
                c.level = level;
                c.note = Some("no operation in the policy's `documents` uses it".into());
            }
            continue;
        }
        let names: Vec<String> = hit.iter().take(5).map(|o| format!("`{}` ({}:{})", o.name, o.file, o.line)).collect();
        let more = if hit.len() > 5 { format!(" and {} more", hit.len() - 5) } else { String::new() };
        c.message.push_str(&format!("; breaks {}{more}", names.join(", ")));
    }
}
