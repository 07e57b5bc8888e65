//! JSX elements with their attributes: a `<button>` written over several lines is one element,
//! and one inside a comment or a string is none.

use super::imports::string_content;
use super::walk::{named_children, preorder};
use super::{Language, SourceFile, Span};
use tree_sitter::Node;

/// One JSX element (self-closing or with children).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsxElement {
    /// Tag name as written: `button`, `Button`, `Dialog.Trigger`, `svg:path`; empty for a
    /// fragment `<>…</>`.
    pub name: String,
    /// Lowercase tags (`button`, `my-element`) are host elements, capitalised or dotted names
    /// are components.
    pub intrinsic: bool,
    pub attributes: Vec<JsxAttribute>,
    /// The whole element, opening tag to closing tag.
    pub span: Span,
    /// The opening tag only.
    pub open_span: Span,
    pub self_closing: bool,
    pub language: Language,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsxAttribute {
    /// `className`, `style`, `aria-label`, `xlink:href`; `...` for a spread `{...props}`.
    pub name: String,
    pub value: JsxValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsxValue {
    /// `<input disabled />`.
    Flag,
    /// `type="submit"`.
    String(String),
    /// `{…}`: the expression's source; for an object literal (`style={{ color: "#fff" }}`)
    /// its properties; for a template literal without interpolation, its string too.
    Expression { text: String, object: Vec<ObjectProperty>, string: Option<String> },
    /// An element as a value (`icon=<Icon />`), by its source.
    Element(String),
}

/// One `key: value` of an object literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectProperty {
    pub key: String,
    /// Source text of the value.
    pub value: String,
    /// The value when it is a plain string literal (`"#fff"`), or a number written as is.
    pub literal: Option<String>,
    pub span: Span,
}

/// Every JSX element in the JavaScript/TypeScript regions of `file`, in document order.
pub fn jsx_elements(file: &SourceFile) -> Vec<JsxElement> {
    let mut out = Vec::new();
    for region in file.regions().iter().filter(|r| r.language.is_js_like()) {
        for node in preorder(region.root()) {
            let (open, self_closing) = match node.kind() {
                "jsx_element" => match node.child_by_field_name("open_tag") {
                    Some(o) => (o, false),
                    None => continue,
                },
                "jsx_self_closing_element" => (node, true),
                _ => continue,
            };
            let name = open.child_by_field_name("name").map(|n| file.node_text(n).to_string()).unwrap_or_default();
            let intrinsic = name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !name.contains('.');
            let attributes = named_children(open)
                .filter_map(|a| match a.kind() {
                    "jsx_attribute" => Some(attribute(file, a)),
                    "jsx_expression" => Some(JsxAttribute {
                        name: "...".into(),
                        value: JsxValue::Expression {
                            text: file.node_text(a).trim_matches(['{', '}']).trim().to_string(),
                            object: Vec::new(),
                            string: None,
                        },
                        span: Span::of(a),
                    }),
                    _ => None,
                })
                .collect();
            out.push(JsxElement {
                name,
                intrinsic,
                attributes,
                span: Span::of(node),
                open_span: Span::of(open),
                self_closing,
                language: region.language,
            });
        }
    }
    out
}

fn attribute(file: &SourceFile, a: Node<'_>) -> JsxAttribute {
    let parts: Vec<Node<'_>> = named_children(a).collect();
    let name = parts.first().map(|n| file.node_text(*n).to_string()).unwrap_or_default();
    let value = match parts.get(1) {
        None => JsxValue::Flag,
        Some(v) => match v.kind() {
            "string" => JsxValue::String(string_content(file, *v).unwrap_or_default()),
            "jsx_expression" => {
                let inner = named_children(*v).find(|c| !c.is_extra());
                let object = inner.filter(|i| i.kind() == "object").map(|o| properties(file, o)).unwrap_or_default();
                let string = inner.and_then(|i| string_content(file, i));
                JsxValue::Expression {
                    text: inner.map(|i| file.node_text(i).to_string()).unwrap_or_default(),
                    object,
                    string,
                }
            }
            _ => JsxValue::Element(file.node_text(*v).to_string()),
        },
    };
    JsxAttribute { name, value, span: Span::of(a) }
}

/// The properties of an object literal (`{ color: "#fff", padding: 8 }`), one level deep.
/// Shared with CSS-in-JS extraction (`css({…})`, `styled.div({…})`).
pub fn properties(file: &SourceFile, object: Node<'_>) -> Vec<ObjectProperty> {
    let mut out = Vec::new();
    for p in named_children(object) {
        match p.kind() {
            "pair" => {
                let key = p.child_by_field_name("key").map(|k| file.node_text(k)).unwrap_or("");
                let key = key.trim_matches(['"', '\'', '`']).to_string();
                let Some(v) = p.child_by_field_name("value") else { continue };
                let literal = match v.kind() {
                    "number" => Some(file.node_text(v).to_string()),
                    _ => string_content(file, v),
                };
                out.push(ObjectProperty { key, value: file.node_text(v).to_string(), literal, span: Span::of(p) });
            }
            "shorthand_property_identifier" => {
                let key = file.node_text(p).to_string();
                out.push(ObjectProperty { key: key.clone(), value: key, literal: None, span: Span::of(p) });
            }
            _ => {}
        }
    }
    out
}
