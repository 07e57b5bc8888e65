//! GraphQL SDL: every change between the base and head schema, classified like graphql-inspector
//! (breaking / dangerous → warning / non-breaking → info), with extensions merged and the
//! schema's root operation types compared. Parsed with `cynic-parser`, which reads the whole
//! current specification (schema extensions, descriptions on the schema, `repeatable`,
//! interfaces implementing interfaces, `\u{…}` escapes).

mod diff;
pub mod model;

use super::{Change, Compared, Input, Level, parse_error, text};

/// (rule id, default level, summary).
pub const RULES: &[(&str, Level, &str)] = &[
    ("contract.graphql.type-removed", Level::Breaking, "A type was removed."),
    ("contract.graphql.type-added", Level::Info, "A type was added."),
    ("contract.graphql.type-kind-changed", Level::Breaking, "A type changed kind (e.g. object → interface)."),
    ("contract.graphql.field-removed", Level::Breaking, "A field was removed from an object or interface type."),
    ("contract.graphql.field-added", Level::Info, "A field was added to an object or interface type."),
    (
        "contract.graphql.field-type-changed",
        Level::Breaking,
        "A field's type changed incompatibly (non-null → nullable, another named type, list ↔ single).",
    ),
    (
        "contract.graphql.type-changed-safely",
        Level::Info,
        "A type reference changed compatibly (nullable → non-null on output, non-null → nullable on input).",
    ),
    ("contract.graphql.argument-removed", Level::Breaking, "A field argument was removed."),
    ("contract.graphql.required-argument-added", Level::Breaking, "A non-null argument without default was added."),
    (
        "contract.graphql.optional-argument-added",
        Level::Warning,
        "An optional argument was added (dangerous per graphql-inspector).",
    ),
    (
        "contract.graphql.argument-type-changed",
        Level::Breaking,
        "An argument's type changed incompatibly (e.g. nullable → non-null).",
    ),
    ("contract.graphql.argument-default-changed", Level::Warning, "An argument's default value was added, removed or changed."),
    ("contract.graphql.input-field-removed", Level::Breaking, "A field was removed from an input type."),
    ("contract.graphql.required-input-field-added", Level::Breaking, "A non-null input field without default was added."),
    (
        "contract.graphql.input-field-added-with-default",
        Level::Warning,
        "An input field with a default was added: clients that omit it now send the default.",
    ),
    ("contract.graphql.optional-input-field-added", Level::Info, "A nullable input field without default was added."),
    ("contract.graphql.input-field-type-changed", Level::Breaking, "An input field's type changed incompatibly."),
    ("contract.graphql.input-field-default-changed", Level::Warning, "An input field's default value was added, removed or changed."),
    ("contract.graphql.enum-value-removed", Level::Breaking, "An enum value was removed."),
    (
        "contract.graphql.enum-value-added",
        Level::Warning,
        "An enum value was added (clients with exhaustive matches break).",
    ),
    ("contract.graphql.union-member-removed", Level::Breaking, "A member type was removed from a union."),
    ("contract.graphql.union-member-added", Level::Warning, "A member type was added to a union."),
    ("contract.graphql.interface-removed", Level::Breaking, "An object or interface type no longer implements an interface."),
    ("contract.graphql.interface-added", Level::Warning, "An object or interface type now implements another interface."),
    ("contract.graphql.root-type-changed", Level::Breaking, "A root operation type (query, mutation, subscription) was changed or removed."),
    ("contract.graphql.root-type-added", Level::Info, "A root operation type was added."),
    ("contract.graphql.directive-removed", Level::Breaking, "A directive definition was removed."),
    ("contract.graphql.directive-added", Level::Info, "A directive definition was added."),
    ("contract.graphql.directive-location-removed", Level::Breaking, "A directive can no longer be used at a location."),
    ("contract.graphql.directive-location-added", Level::Info, "A directive can be used at a new location."),
    (
        "contract.graphql.directive-repeatable-removed",
        Level::Warning,
        "A directive is no longer `repeatable` (dangerous per graphql-inspector).",
    ),
    ("contract.graphql.directive-repeatable-added", Level::Info, "A directive became `repeatable`."),
    ("contract.graphql.directive-argument-removed", Level::Breaking, "A directive argument was removed."),
    (
        "contract.graphql.required-directive-argument-added",
        Level::Breaking,
        "A non-null directive argument without default was added.",
    ),
    ("contract.graphql.optional-directive-argument-added", Level::Info, "An optional directive argument was added."),
    ("contract.graphql.directive-argument-type-changed", Level::Breaking, "A directive argument's type changed incompatibly."),
    (
        "contract.graphql.directive-argument-default-changed",
        Level::Warning,
        "A directive argument's default value was added, removed or changed.",
    ),
    (
        "contract.graphql.directive-usage-added",
        Level::Warning,
        "A directive was applied to the schema, a type, field, argument, input field or enum value.",
    ),
    ("contract.graphql.directive-usage-removed", Level::Warning, "An applied directive was removed."),
    (
        "contract.graphql.directive-usage-argument-changed",
        Level::Warning,
        "An argument of an applied directive was removed or changed value.",
    ),
    ("contract.graphql.directive-usage-argument-added", Level::Info, "An applied directive gained an argument."),
    (
        "contract.graphql.oneof-added",
        Level::Breaking,
        "An input object became `@oneOf`: requests that set no field or several fail.",
    ),
    ("contract.graphql.oneof-removed", Level::Info, "An input object is no longer `@oneOf`."),
    ("contract.graphql.deprecation-added", Level::Info, "A field, argument, input field or enum value was deprecated."),
    ("contract.graphql.deprecation-removed", Level::Info, "A deprecation was withdrawn."),
    ("contract.graphql.deprecation-reason-changed", Level::Info, "A deprecation reason was added, removed or changed."),
    ("contract.graphql.description-changed", Level::Info, "A description was added, removed or changed."),
];

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

pub fn compare(inp: &Input<'_>) -> Compared {
    let mut out =
        Compared { kind: "graphql", path: inp.path.to_string(), changes: Vec::new(), problems: Vec::new(), versions: None };
    let parse = |bytes: &Option<Vec<u8>>, path: &str| -> Result<model::Schema, super::Finding> {
        let Some(bytes) = bytes else { return Ok(model::Schema::default()) };
        let t = text(bytes, path)?;
        model::parse(t).map_err(|e| parse_error(path, e.line, &e.message))
    };
    // Base and head are parsed on two threads: a large schema (GitHub's, 1.2 MB) takes most of
    // the gate's time in the parser.
    let (base, head) = std::thread::scope(|s| {
        let b = s.spawn(|| parse(&inp.base, inp.base_path));
        let h = parse(&inp.head, inp.path);
        (b.join().unwrap_or_else(|_| Err(parse_error(inp.base_path, 1, "the parser failed"))), h)
    });
    let head = match head {
        Ok(s) => s,
        Err(f) => {
            out.problems.push(f);
            return out;
        }
    };
    let base = match base {
        Ok(s) => s,
        Err(mut f) => {
            // Fail closed: without the base nothing can be compared, and a PASS would hide
            // whatever the PR breaks.
            f.message = format!(
                "the base version of `{}` cannot be parsed, so the PR's changes to it cannot be checked: {}",
                inp.base_path, f.message
            );
            f.location = Some(crate::finding::Location::file(inp.path));
            out.problems.push(f);
            return out;
        }
    };
    out.changes = diff_schemas(inp.path, &base, &head);
    out
}
