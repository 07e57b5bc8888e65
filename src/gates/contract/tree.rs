//! A small document tree for JSON and YAML contract files that keeps the line of every node,
//! so a change found at a JSON pointer can be annotated on the right line. Numbers keep their
//! exact decimal value ([`Num`]).
//!
//! JSON: `serde_json` decides what is valid JSON (so `09`, trailing commas or a lone surrogate
//! are errors with serde_json's own line and column), then a small scanner that assumes valid
//! input builds the line-keeping tree in one pass. We chose this over `jsonc-parser` (a span
//! AST: a new dependency that also accepts comments) and `json-spanned-value` (needs serde_json's
//! `arbitrary_precision` feature crate-wide to keep big integers): the grammar stays serde_json's,
//! numbers stay exact text, and no dependency or feature is added.

use super::num::Num;
use std::collections::BTreeMap;

/// One node and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(Num),
    Str(String),
    Seq(Vec<Node>),
    Map(BTreeMap<String, Node>),
}

/// Why a document could not be read, with the line where the parser stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub line: u32,
    pub message: String,
}

const MAX_DEPTH: usize = 400;

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(m) => m.get(key),
            _ => None,
        }
    }

    pub fn map(&self) -> Option<&BTreeMap<String, Node>> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn seq(&self) -> &[Node] {
        match &self.value {
            Value::Seq(s) => s,
            _ => &[],
        }
    }

    pub fn str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn num(&self) -> Option<&Num> {
        match &self.value {
            Value::Num(n) => Some(n),
            _ => None,
        }
    }

    pub fn bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// `get(key)` as a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::str)
    }

    /// `get(key)` is `true`.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Node::bool).unwrap_or(false)
    }

    /// The node at a JSON pointer (`/paths/~1pets/get`), `""` being the root.
    pub fn pointer(&self, ptr: &str) -> Option<&Node> {
        let mut cur = self;
        if ptr.is_empty() {
            return Some(cur);
        }
        for raw in ptr.strip_prefix('/')?.split('/') {
            let seg = unescape(raw);
            cur = match &cur.value {
                Value::Map(m) => m.get(&seg)?,
                Value::Seq(s) => s.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// The line of the node at `ptr`, or of its closest existing ancestor, and whether it was exact.
    pub fn line_of(&self, ptr: &str) -> (u32, bool) {
        let mut p = ptr;
        loop {
            if let Some(n) = self.pointer(p) {
                return (n.line, p.len() == ptr.len());
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return (self.line, false),
            }
        }
    }

    /// A compact, canonical text of the value (for enum values and defaults in messages).
    pub fn render(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Num(n) => n.text().to_string(),
            Value::Str(s) => format!("{s:?}"),
            Value::Seq(s) => format!("[{}]", s.iter().map(Node::render).collect::<Vec<_>>().join(", ")),
            Value::Map(m) => {
                format!(
                    "{{{}}}",
                    m.iter().map(|(k, v)| format!("{k:?}: {}", v.render())).collect::<Vec<_>>().join(", ")
                )
            }
        }
    }
}

/// `~1` → `/`, `~0` → `~`.
pub fn unescape(seg: &str) -> String {
    if seg.contains('~') { seg.replace("~1", "/").replace("~0", "~") } else { seg.to_string() }
}

/// `/` → `~1`, `~` → `~0`.
pub fn escape(seg: &str) -> String {
    if seg.contains(['~', '/']) { seg.replace('~', "~0").replace('/', "~1") } else { seg.to_string() }
}

/// Appends one escaped segment to a pointer.
pub fn join(ptr: &str, seg: &str) -> String {
    format!("{ptr}/{}", escape(seg))
}

/// Parses JSON when the text starts with `{` or `[`, YAML otherwise.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    let t = text.trim_start_matches('\u{feff}');
    if t.trim_start().starts_with(['{', '[']) { parse_json(t) } else { parse_yaml(t) }
}

// ---------------------------------------------------------------- JSON

pub fn parse_json(text: &str) -> Result<Node, ParseError> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(ParseError {
            line: (e.line() as u32).max(1),
            message: format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column()),
        });
    }
    let mut p = Json { s: text.as_bytes(), i: 0, line: 1 };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(node)
}

struct Json<'a> {
    s: &'a [u8],
    i: usize,
    line: u32,
}

impl Json<'_> {
    fn err(&self, msg: &str) -> ParseError {
        ParseError { line: self.line, message: format!("invalid JSON: {msg}") }
    }

    fn ws(&mut self) {
        while let Some(&c) = self.s.get(self.i) {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        let line = self.line;
        let value = match self.s.get(self.i) {
            None => return Err(self.err("unexpected end of input")),
            Some(b'{') => {
                self.i += 1;
                let mut m = BTreeMap::new();
                self.ws();
                if !self.eat(b'}') {
                    loop {
                        self.ws();
                        if self.s.get(self.i) != Some(&b'"') {
                            return Err(self.err("expected a string key"));
                        }
                        let key_line = self.line;
                        let k = self.string()?;
                        self.ws();
                        if !self.eat(b':') {
                            return Err(self.err("expected `:`"));
                        }
                        self.ws();
                        let v = self.value(depth + 1)?;
                        m.insert(k, Node { line: key_line, ..v });
                        self.ws();
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.err("expected `,` or `}`"));
                        }
                    }
                }
                Value::Map(m)
            }
            Some(b'[') => {
                self.i += 1;
                let mut v = Vec::new();
                self.ws();
                if !self.eat(b']') {
                    loop {
                        self.ws();
                        v.push(self.value(depth + 1)?);
                        self.ws();
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.err("expected `,` or `]`"));
                        }
                    }
                }
                Value::Seq(v)
            }
            Some(b'"') => Value::Str(self.string()?),
            Some(b't') if self.s[self.i..].starts_with(b"true") => {
                self.i += 4;
                Value::Bool(true)
            }
            Some(b'f') if self.s[self.i..].starts_with(b"false") => {
                self.i += 5;
                Value::Bool(false)
            }
            Some(b'n') if self.s[self.i..].starts_with(b"null") => {
                self.i += 4;
                Value::Null
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).map_err(|_| self.err("bad number"))?;
                Value::Num(Num::parse(t).ok_or_else(|| self.err(&format!("bad number `{t}`")))?)
            }
            Some(_) => return Err(self.err("unexpected character")),
        };
        Ok(Node { value, line })
    }

    /// A string token (the input is valid JSON: serde_json checked it); escapes are decoded by
    /// serde_json itself.
    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.i;
        self.i += 1; // opening quote
        let mut escaped = false;
        loop {
            match self.s.get(self.i) {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.i += 2;
                }
                Some(_) => self.i += 1,
            }
        }
        self.i += 1;
        let raw = std::str::from_utf8(&self.s[start..self.i]).map_err(|_| self.err("string is not UTF-8"))?;
        if escaped {
            serde_json::from_str(raw).map_err(|e| self.err(&e.to_string()))
        } else {
            Ok(raw[1..raw.len() - 1].to_string())
        }
    }
}

// ---------------------------------------------------------------- YAML

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Builds the tree from yaml-rust2's marked events (first document only; anchors and aliases
/// resolved by copying).
/// An open container, the pending map key and its line, and the container's anchor id.
type Frame = (Node, Option<(String, u32)>, usize);

#[derive(Default)]
struct YamlBuilder {
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: std::collections::HashMap<usize, Node>,
    docs: usize,
    error: Option<ParseError>,
    /// Nodes copied for aliases so far (guards against "billion laughs" documents).
    expanded: usize,
}

/// Most nodes that aliases may copy in one document.
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Number of nodes in `n`, counting at most to `cap`.
fn size(n: &Node, cap: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        count += 1;
        if count > cap {
            break;
        }
        match &n.value {
            Value::Seq(s) => stack.extend(s.iter()),
            Value::Map(m) => stack.extend(m.values()),
            _ => {}
        }
    }
    count
}

impl YamlBuilder {
    fn push_value(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some((parent, key, _)) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return;
        };
        match &mut parent.value {
            Value::Seq(s) => s.push(node),
            // A map entry's line is the line of its key, where annotations belong.
            Value::Map(m) => match key.take() {
                Some((k, line)) => {
                    m.insert(k, Node { line, ..node });
                }
                None => *key = Some((key_text(&node), node.line)),
            },
            _ => {}
        }
    }
}

fn key_text(n: &Node) -> String {
    match &n.value {
        Value::Str(s) => s.clone(),
        Value::Num(x) => x.text().to_string(),
        Value::Null => "null".into(),
        _ => n.render(),
    }
}

impl MarkedEventReceiver for YamlBuilder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = (mark.line() as u32).max(1);
        match ev {
            Event::DocumentStart => self.docs += 1,
            _ if self.docs > 1 || self.error.is_some() => {}
            Event::Scalar(text, style, anchor, tag) => {
                let value = if style == TScalarStyle::Plain && tag.is_none() { plain(&text) } else { Value::Str(text) };
                self.push_value(Node { value, line }, anchor);
            }
            Event::SequenceStart(anchor, _) => {
                if self.stack.len() > MAX_DEPTH {
                    self.error = Some(ParseError { line, message: "invalid YAML: nested too deeply".into() });
                    return;
                }
                self.stack.push((Node { value: Value::Seq(Vec::new()), line }, None, anchor))
            }
            Event::MappingStart(anchor, _) => {
                if self.stack.len() > MAX_DEPTH {
                    self.error = Some(ParseError { line, message: "invalid YAML: nested too deeply".into() });
                    return;
                }
                self.stack.push((Node { value: Value::Map(BTreeMap::new()), line }, None, anchor))
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, _, anchor)) = self.stack.pop() {
                    self.push_value(node, anchor);
                }
            }
            Event::Alias(id) => {
                let budget = MAX_ALIAS_NODES.saturating_sub(self.expanded);
                let n = self.anchors.get(&id).map(|a| size(a, budget)).unwrap_or(1);
                self.expanded += n;
                if self.expanded > MAX_ALIAS_NODES {
                    let message = "invalid YAML: aliases expand to more than 1,000,000 nodes".into();
                    self.error = Some(ParseError { line, message });
                    return;
                }
                let node = self.anchors.get(&id).cloned().unwrap_or(Node { value: Value::Null, line });
                self.push_value(Node { line, ..node }, 0);
            }
            _ => {}
        }
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn plain(t: &str) -> Value {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let numeric = t.bytes().next().is_some_and(|c| c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.')
        && t.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E' | b'_'));
    if numeric && !t.contains('_') {
        if let Some(n) = Num::parse(t) {
            return Value::Num(n);
        }
    }
    Value::Str(t.to_string())
}

pub fn parse_yaml(text: &str) -> Result<Node, ParseError> {
    let mut b = YamlBuilder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut b, false).map_err(|e| ParseError {
        line: (e.marker().line() as u32).max(1),
        message: format!("invalid YAML: {}", e.info()),
    })?;
    if let Some(e) = b.error {
        return Err(e);
    }
    Ok(b.root.unwrap_or(Node { value: Value::Null, line: 1 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_and_pointers() {
        let t = "{\n  \"paths\": {\n    \"/a/b\": {\n      \"get\": {\"x\": [1, \"\\u00e9\"]}\n    }\n  }\n}";
        let n = parse(t).unwrap();
        assert_eq!(n.pointer("/paths/~1a~1b/get").unwrap().line, 4);
        assert_eq!(n.pointer("/paths/~1a~1b/get/x/1").unwrap().str(), Some("é"));
        assert_eq!(n.line_of("/paths/~1a~1b/post/x"), (3, false));
        assert!(parse_json("{\"a\": }").is_err());
        assert_eq!(parse_json("{\n\n\"a\" 1}").unwrap_err().line, 3);
    }

    #[test]
    fn json_is_judged_by_serde_json_and_numbers_stay_exact() {
        let e = parse_json("{\n  \"a\": 09\n}").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        assert!(e.message.contains("column"), "{e:?}");
        assert!(parse_json("[1, 2,]").is_err());
        let n = parse_json("{\"big\": 18446744073709551617, \"b2\": 18446744073709551616}").unwrap();
        assert!(n.get("big").unwrap().num().unwrap() > n.get("b2").unwrap().num().unwrap());
        assert_eq!(n.get("big").unwrap().render(), "18446744073709551617");
    }

    #[test]
    fn yaml_lines_types_and_anchors() {
        let t = "openapi: 3.0.0\npaths:\n  /pets:\n    get:\n      x: &a\n        n: 5\n        s: '5'\n      y: *a\n";
        let n = parse(t).unwrap();
        assert_eq!(n.pointer("/paths/~1pets/get").unwrap().line, 4);
        assert_eq!(n.pointer("/paths/~1pets/get/x/n").unwrap().num().unwrap().as_u64(), Some(5));
        assert_eq!(n.pointer("/paths/~1pets/get/x/s").unwrap().str(), Some("5"));
        assert_eq!(n.pointer("/paths/~1pets/get/y/n").unwrap().num().unwrap().as_u64(), Some(5));
        assert_eq!(n.get_str("openapi"), Some("3.0.0"));
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
        }
        assert!(parse(&bomb).unwrap_err().message.contains("aliases"));
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.line >= 1, "{e:?}");
    }
}
