//! Source parsing shared by the gate families: one tree-sitter parse per file (and per embedded
//! `<script>`/`<style>` block of Vue, Svelte and HTML files) with typed extractions on top —
//! functions and their complexity, imports, calls and decorators, JSX elements, CSS declarations
//! and the comment/code classification behind "did any code change".
//!
//! Why a parser rather than line scans: braces, quotes and keywords mislead line scans (a
//! TypeScript `onClose: () => void` is a type, an `import` in a docstring is prose). tree-sitter
//! recovers from syntax errors, so a half-written file still yields the functions it can see.
//!
//! Inputs layer: this module knows languages, never gates or policy. It never panics: every walk
//! is iterative (no recursion on attacker-controlled nesting), text is read lossily, and work is
//! bounded by [`Limits`].

pub mod calls;
pub mod css;
pub mod functions;
pub mod imports;
pub mod jsx;
pub mod semantic;
pub mod walk;

pub use calls::{Arg, ArgKind, Call, CallKind, Decorator, calls, decorators};
pub use css::{CssDeclaration, css_declarations};
pub use functions::{Function, FunctionKind, functions};
pub use imports::{Import, ImportKind, imports};
pub use jsx::{JsxAttribute, JsxElement, JsxValue, ObjectProperty, jsx_elements};
pub use semantic::{LineKind, SemanticOptions, code_changed, line_kinds};

use std::cell::RefCell;
use std::ops::Range;
use std::time::{Duration, Instant};
use tree_sitter::{Node, Parser, Tree};

/// A language the syntax layer parses. Finer than a gate's notion of language: TypeScript with
/// and without JSX are different grammars, and container formats (Vue, Svelte, HTML) hold
/// regions in other languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Rust,
    JavaScript,
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    Python,
    Go,
    Java,
    Kotlin,
    Css,
    Html,
    Vue,
    Svelte,
}

impl Language {
    /// The language of a path, by extension (case-insensitive).
    pub fn from_path(path: &str) -> Option<Language> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "rs" => Language::Rust,
            "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "py" | "pyi" => Language::Python,
            "go" => Language::Go,
            "java" => Language::Java,
            "kt" | "kts" => Language::Kotlin,
            // SCSS and Less are read with the CSS grammar: declarations parse, their own syntax
            // (`$var: x`, mixins) shows up as error nodes that extractions skip.
            "css" | "scss" | "less" => Language::Css,
            "html" | "htm" => Language::Html,
            "vue" => Language::Vue,
            "svelte" => Language::Svelte,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Language::Rust => "rust",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::Python => "python",
            Language::Go => "go",
            Language::Java => "java",
            Language::Kotlin => "kotlin",
            Language::Css => "css",
            Language::Html => "html",
            Language::Vue => "vue",
            Language::Svelte => "svelte",
        }
    }

    /// A format whose code lives in embedded `<script>` and `<style>` blocks.
    pub fn is_container(self) -> bool {
        matches!(self, Language::Html | Language::Vue | Language::Svelte)
    }

    /// JavaScript or TypeScript (with or without JSX).
    pub fn is_js_like(self) -> bool {
        matches!(self, Language::JavaScript | Language::TypeScript | Language::Tsx)
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Language::Rust => tree_sitter_rust::LANGUAGE.into(),
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::Go => tree_sitter_go::LANGUAGE.into(),
            Language::Java => tree_sitter_java::LANGUAGE.into(),
            Language::Kotlin => tree_sitter_kotlin_ng::LANGUAGE.into(),
            Language::Css => tree_sitter_css::LANGUAGE.into(),
            Language::Html | Language::Vue | Language::Svelte => tree_sitter_html::LANGUAGE.into(),
        }
    }
}

/// Bounds on the work one file may cost. Generated bundles and vendored blobs are the usual
/// offenders; a gate reports them as "not parsed: too large" instead of stalling a PR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are not parsed.
    pub max_bytes: usize,
    /// Parsing stops (with [`SyntaxError::Timeout`]) after this long. Parsing is linear in
    /// practice; this guards pathological error recovery.
    pub max_duration: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 2 * 1024 * 1024, max_duration: Duration::from_secs(5) }
    }
}

/// Why a file was not parsed. A file with syntax errors still parses (see
/// [`SourceFile::error_lines`]); these are the cases where no tree exists at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    #[error("{path}: not parsed: no known language for this file name")]
    UnknownLanguage { path: String },
    #[error("{path}: not parsed: too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge { path: String, size: usize, limit: usize },
    #[error("{path}: not parsed: parsing took longer than {millis} ms")]
    Timeout { path: String, millis: u128 },
    #[error("{path}: not parsed: the {language} grammar could not be loaded ({reason})")]
    Grammar { path: String, language: &'static str, reason: String },
}

/// A source position range: 1-based inclusive lines and byte offsets into the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start_line: u32,
    pub end_line: u32,
    pub start_byte: usize,
    pub end_byte: usize,
}

impl Span {
    fn of(node: Node<'_>) -> Span {
        let (s, e) = (node.start_position(), node.end_position());
        // a node ending at column 0 ends on the previous line (its trailing newline)
        let end_row = if e.column == 0 && e.row > s.row { e.row - 1 } else { e.row };
        Span {
            start_line: s.row as u32 + 1,
            end_line: end_row as u32 + 1,
            start_byte: node.start_byte(),
            end_byte: node.end_byte(),
        }
    }
}

/// One parsed region of a file: the whole file, or an embedded `<script>`/`<style>` block.
/// Positions in its tree are positions in the whole file.
pub struct Region {
    pub language: Language,
    /// Byte range of the region in the file.
    pub bytes: Range<usize>,
    tree: Tree,
}

impl Region {
    /// The root node of this region's syntax tree.
    pub fn root(&self) -> Node<'_> {
        self.tree.root_node()
    }
}

/// A parsed source file. Owns its text; extractions borrow it.
pub struct SourceFile {
    path: String,
    text: String,
    language: Language,
    regions: Vec<Region>,
}

impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceFile")
            .field("path", &self.path)
            .field("language", &self.language)
            .field("regions", &self.regions.iter().map(|r| (r.language, r.bytes.clone())).collect::<Vec<_>>())
            .finish()
    }
}

thread_local! {
    static PARSERS: RefCell<Vec<(Language, Parser)>> = const { RefCell::new(Vec::new()) };
}

impl SourceFile {
    /// Parses `text` as the language of `path`, with default [`Limits`].
    pub fn parse(path: &str, text: &str) -> Result<SourceFile, SyntaxError> {
        let language =
            Language::from_path(path).ok_or_else(|| SyntaxError::UnknownLanguage { path: path.to_string() })?;
        SourceFile::parse_as(language, path, text, Limits::default())
    }

    /// Parses `text` as `language`.
    pub fn parse_as(language: Language, path: &str, text: &str, limits: Limits) -> Result<SourceFile, SyntaxError> {
        if text.len() > limits.max_bytes {
            return Err(SyntaxError::TooLarge { path: path.to_string(), size: text.len(), limit: limits.max_bytes });
        }
        let deadline = Instant::now() + limits.max_duration;
        let whole = 0..text.len();
        let mut regions = Vec::new();
        let top = parse_region(language, path, text, None, deadline, limits)?;
        if language.is_container() {
            for (lang, range) in embedded_blocks(&top, text) {
                let tree = parse_region(lang, path, text, Some(range.clone()), deadline, limits)?;
                regions.push(Region { language: lang, bytes: range, tree });
            }
        } else {
            regions.push(Region { language, bytes: whole, tree: top });
        }
        Ok(SourceFile { path: path.to_string(), text: text.to_string(), language, regions })
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file's own language (`Vue` for a `.vue` file even though its regions are TS and CSS).
    pub fn language(&self) -> Language {
        self.language
    }

    /// The parsed regions: one for an ordinary file, one per `<script>`/`<style>` block for
    /// containers (none if a container has no such block).
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The source text of a node.
    pub fn node_text(&self, node: Node<'_>) -> &str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// 1-based lines holding syntax errors (where the parser had to skip or invent tokens).
    /// Extractions still run; callers that need certainty can treat these lines as unknown.
    pub fn error_lines(&self) -> Vec<u32> {
        let mut out = Vec::new();
        for r in &self.regions {
            if !r.root().has_error() {
                continue;
            }
            for n in walk::preorder(r.root()) {
                if n.is_error() || n.is_missing() {
                    let s = Span::of(n);
                    out.extend(s.start_line..=s.end_line);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Number of lines in the text (a final line without newline counts).
    pub fn line_count(&self) -> u32 {
        let n = self.text.bytes().filter(|&b| b == b'\n').count();
        (n + usize::from(!self.text.is_empty() && !self.text.ends_with('\n'))) as u32
    }
}

fn parse_region(
    language: Language,
    path: &str,
    text: &str,
    range: Option<Range<usize>>,
    deadline: Instant,
    limits: Limits,
) -> Result<Tree, SyntaxError> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let idx = match parsers.iter().position(|(l, _)| *l == language) {
            Some(i) => i,
            None => {
                let mut p = Parser::new();
                p.set_language(&language.grammar()).map_err(|e| SyntaxError::Grammar {
                    path: path.to_string(),
                    language: language.name(),
                    reason: e.to_string(),
                })?;
                parsers.push((language, p));
                parsers.len() - 1
            }
        };
        let parser = &mut parsers[idx].1;
        let ranges = match &range {
            Some(r) => vec![ts_range(text, r.clone())],
            None => vec![ts_range(text, 0..text.len())],
        };
        // `set_included_ranges` only fails on unordered ranges; ours is a single one
        let _ = parser.set_included_ranges(&ranges);
        let mut timed_out = false;
        let mut progress = |_: &tree_sitter::ParseState| {
            timed_out = Instant::now() > deadline;
            timed_out
        };
        let opts = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
        let bytes = text.as_bytes();
        let tree = parser.parse_with_options(
            &mut |i, _| if i < bytes.len() { &bytes[i..] } else { &[] as &[u8] },
            None,
            Some(opts),
        );
        parser.reset();
        match tree {
            Some(t) => Ok(t),
            None if timed_out => {
                Err(SyntaxError::Timeout { path: path.to_string(), millis: limits.max_duration.as_millis() })
            }
            None => Err(SyntaxError::Grammar {
                path: path.to_string(),
                language: language.name(),
                reason: "the parser returned no tree".into(),
            }),
        }
    })
}

fn ts_range(text: &str, r: Range<usize>) -> tree_sitter::Range {
    tree_sitter::Range {
        start_byte: r.start,
        end_byte: r.end,
        start_point: point_at(text, r.start),
        end_point: point_at(text, r.end),
    }
}

fn point_at(text: &str, byte: usize) -> tree_sitter::Point {
    let before = &text.as_bytes()[..byte.min(text.len())];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let col = before.iter().rev().position(|&b| b == b'\n').unwrap_or(before.len());
    tree_sitter::Point { row, column: col }
}

/// The `<script>` and `<style>` blocks of an HTML-like document with the language of each
/// (`lang="ts"`, `type="module"`, `lang="scss"`...). Svelte and Vue use the same tags.
fn embedded_blocks(tree: &Tree, text: &str) -> Vec<(Language, Range<usize>)> {
    let mut out = Vec::new();
    for node in walk::preorder(tree.root_node()) {
        let is_script = node.kind() == "script_element";
        if !is_script && node.kind() != "style_element" {
            continue;
        }
        let mut lang = if is_script { Language::JavaScript } else { Language::Css };
        let mut raw = None;
        for child in walk::children(node) {
            match child.kind() {
                "start_tag" => {
                    for attr in walk::children(child).filter(|a| a.kind() == "attribute") {
                        let mut name = "";
                        let mut value = "";
                        for part in walk::children(attr) {
                            match part.kind() {
                                "attribute_name" => name = text.get(part.byte_range()).unwrap_or(""),
                                "attribute_value" => value = text.get(part.byte_range()).unwrap_or(""),
                                "quoted_attribute_value" => {
                                    value = text.get(part.byte_range()).unwrap_or("").trim_matches(['"', '\''])
                                }
                                _ => {}
                            }
                        }
                        let value = value.to_ascii_lowercase();
                        if is_script && (name == "lang" || name == "type") {
                            if value == "ts" || value == "typescript" || value.ends_with("/typescript") {
                                lang = Language::TypeScript;
                            } else if value == "tsx" {
                                lang = Language::Tsx;
                            } else if value == "jsx" {
                                lang = Language::JavaScript;
                            }
                        }
                    }
                }
                "raw_text" => raw = Some(child.byte_range()),
                _ => {}
            }
        }
        if let Some(r) = raw {
            out.push((lang, r));
        }
    }
    out
}

/// Parses `bytes` as the language of `path` (read lossily as UTF-8) and runs every extraction.
/// A stable entry point for fuzzers and the no-panic property test; returns how many items were
/// extracted, so the work cannot be optimised away.
pub fn fuzz_entry(path: &str, bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    let Ok(file) = SourceFile::parse(path, &text) else { return 0 };
    let lines: Vec<u32> = (1..=file.line_count()).collect();
    functions(&file).len()
        + imports(&file).len()
        + calls(&file).len()
        + decorators(&file).len()
        + jsx_elements(&file).len()
        + css_declarations(&file).len()
        + line_kinds(&file).len()
        + usize::from(code_changed(&file, &lines, &file, &lines, SemanticOptions::default()))
        + file.error_lines().len()
}

#[cfg(test)]
mod tests;
