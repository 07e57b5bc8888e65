//! CSS declarations (`color: #0969da`) with their rule's selector, from `.css` files and the
//! `<style>` blocks of Vue, Svelte and HTML files.

use super::walk::{children, named_children, preorder};
use super::{Language, SourceFile, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CssDeclaration {
    /// Selectors of the innermost enclosing rule, as written (`.btn:hover, a`); empty at the
    /// top level or directly in an at-rule.
    pub selector: String,
    /// Enclosing at-rules, outermost first (`@media (max-width: 600px)`, `@theme`).
    pub at_rules: Vec<String>,
    /// Property name as written (`color`, `--color-accent`).
    pub property: String,
    /// Value as written, without `!important` and the final `;`.
    pub value: String,
    pub important: bool,
    pub span: Span,
    /// Span of the value alone.
    pub value_span: Span,
}

impl CssDeclaration {
    /// A custom property (`--x: …`), i.e. a token definition when on `:root`.
    pub fn is_custom_property(&self) -> bool {
        self.property.starts_with("--")
    }
}

/// Every declaration in the CSS regions of `file`, in document order.
pub fn css_declarations(file: &SourceFile) -> Vec<CssDeclaration> {
    let mut out = Vec::new();
    for region in file.regions().iter().filter(|r| r.language == Language::Css) {
        // enclosing rules and at-rules: (end byte, selector or at-rule text, is_at_rule)
        let mut stack: Vec<(usize, String, bool)> = Vec::new();
        for node in preorder(region.root()) {
            while stack.last().is_some_and(|(end, _, _)| node.start_byte() >= *end) {
                stack.pop();
            }
            match node.kind() {
                "rule_set" => {
                    let sel = named_children(node).find(|c| c.kind() == "selectors");
                    let text = sel.map(|s| squash(file.node_text(s))).unwrap_or_default();
                    stack.push((node.end_byte(), text, false));
                }
                "media_statement" | "supports_statement" | "at_rule" | "keyframes_statement" | "scope_statement" => {
                    // the prelude: everything before the block
                    let block_start = children(node).find(|c| c.kind() == "block" || c.kind() == "keyframe_block_list");
                    let end = block_start.map_or(node.end_byte(), |b| b.start_byte());
                    let text = file.text().get(node.start_byte()..end).map(squash).unwrap_or_default();
                    stack.push((node.end_byte(), text, true));
                }
                "declaration" => {
                    let Some(prop) = named_children(node).find(|c| c.kind() == "property_name") else { continue };
                    let values: Vec<_> = named_children(node)
                        .filter(|c| c.id() != prop.id() && c.kind() != "important" && !c.is_extra())
                        .collect();
                    let important = named_children(node).any(|c| c.kind() == "important");
                    let (value, value_span) = match (values.first(), values.last()) {
                        (Some(f), Some(l)) => {
                            let text = file.text().get(f.start_byte()..l.end_byte()).unwrap_or("");
                            let mut span = Span::of(*f);
                            let last = Span::of(*l);
                            span.end_line = last.end_line;
                            span.end_byte = last.end_byte;
                            (text.trim().to_string(), span)
                        }
                        _ => (String::new(), Span::of(prop)),
                    };
                    let selector =
                        stack.iter().rev().find(|(_, _, at)| !at).map(|(_, s, _)| s.clone()).unwrap_or_default();
                    let at_rules = stack.iter().filter(|(_, _, at)| *at).map(|(_, s, _)| s.clone()).collect();
                    out.push(CssDeclaration {
                        selector,
                        at_rules,
                        property: file.node_text(prop).to_string(),
                        value,
                        important,
                        span: Span::of(node),
                        value_span,
                    });
                }
                _ => {}
            }
        }
    }
    out
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
