//! Language-aware helpers shared by gate families: the language of a path, masking of comments
//! and string literals, function extents (braces for C-like languages, indentation for Python)
//! and cyclomatic complexity. Line-oriented heuristics, not parsers: they never fail, and on
//! malformed input they find fewer functions rather than wrong ones.

use regex::Regex;
use std::sync::LazyLock;

/// A language Gatehouse knows the shape of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Rust,
    JavaScript,
    TypeScript,
    Python,
    Go,
    Java,
    Kotlin,
}

impl Lang {
    /// The language of a path, by extension.
    pub fn of(path: &str) -> Option<Lang> {
        let ext = path.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "rs" => Lang::Rust,
            "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
            "ts" | "tsx" | "mts" | "cts" => Lang::TypeScript,
            "py" | "pyi" => Lang::Python,
            "go" => Lang::Go,
            "java" => Lang::Java,
            "kt" | "kts" => Lang::Kotlin,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Python => "python",
            Lang::Go => "go",
            Lang::Java => "java",
            Lang::Kotlin => "kotlin",
        }
    }

    /// Blocks are delimited by indentation (Python) rather than braces.
    pub fn indented(self) -> bool {
        self == Lang::Python
    }
}

/// `text` with comments blanked out (and string literals too unless `keep_strings`). Newlines and
/// the byte length of every line are kept, so line and column numbers stay valid.
pub fn mask(lang: Lang, text: &str, keep_strings: bool) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let hash_comments = lang == Lang::Python;
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if (hash_comments && c == b'#') || (!hash_comments && c == b'/' && next == Some(b'/')) {
            let end = b[i..].iter().position(|&x| x == b'\n').map_or(b.len(), |p| i + p);
            blank(&mut out, i, end);
            i = end;
        } else if !hash_comments && c == b'/' && next == Some(b'*') {
            let end = find(b, i + 2, b"*/").map_or(b.len(), |p| p + 2);
            blank(&mut out, i, end);
            i = end;
        } else if c == b'"' || c == b'`' || (c == b'\'' && quote_is_string(lang, b, i)) {
            let triple = lang == Lang::Python && b[i..].starts_with(&[c, c, c]);
            let (open, close): (usize, &[u8]) =
                if triple { (3, &b[i..i + 3]) } else { (1, std::slice::from_ref(&b[i])) };
            let mut j = i + open;
            let multiline = triple || c == b'`' || (lang == Lang::Rust && c == b'"');
            while j < b.len() {
                if b[j] == b'\\' {
                    j += 2;
                    continue;
                }
                if b[j..].starts_with(close) {
                    break;
                }
                if b[j] == b'\n' && !multiline {
                    break;
                }
                j += 1;
            }
            let end = if j < b.len() && b[j..].starts_with(close) { j + close.len() } else { j.min(b.len()) };
            if !keep_strings {
                blank(&mut out, i + open, end.saturating_sub(if end > j { close.len() } else { 0 }).max(i + open));
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces inside whole runs; a multi-byte character
    // inside a blanked run is blanked whole, so the result is valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// In Rust a `'` starts a char literal only when it closes within a character (`'a'`, `'\n'`);
/// otherwise it is a lifetime. Elsewhere it always starts a string.
fn quote_is_string(lang: Lang, b: &[u8], i: usize) -> bool {
    if lang != Lang::Rust {
        return true;
    }
    match b.get(i + 1) {
        Some(b'\\') => true,
        Some(_) => {
            // a (possibly multi-byte) character followed by a closing quote
            let rest = &b[i + 1..];
            let len = std::str::from_utf8(&rest[..rest.len().min(4)])
                .ok()
                .or_else(|| (1..=4).rev().find_map(|n| std::str::from_utf8(&rest[..n.min(rest.len())]).ok()))
                .and_then(|s| s.chars().next())
                .map_or(1, char::len_utf8);
            rest.get(len) == Some(&b'\'')
        }
        None => false,
    }
}

/// A function (or method, closure-bodied handler) found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// 1-based first line (the signature) and last line (closing brace or last body line).
    pub start: u32,
    pub end: u32,
    /// McCabe cyclomatic complexity: 1 + decision points.
    pub complexity: u32,
}

impl Function {
    pub fn lines(&self) -> u32 {
        self.end - self.start + 1
    }
}

static RUST_FN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bfn\s+([A-Za-z_]\w*)").expect("static"));
static GO_FN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*func\s*(?:\([^)]*\)\s*)?([A-Za-z_]\w*)").expect("static"));
static KOTLIN_FN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bfun\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?([A-Za-z_]\w*)\s*\(").expect("static"));
static JS_FN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\bfunction\b\s*\*?\s*([A-Za-z_$][\w$]*)?\s*\(",
        r"|([A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s+)?(?:function\b|(?:\([^()]*\)|[A-Za-z_$][\w$]*)\s*(?::\s*[^=]+)?=>)",
        r"|^\s*(?:(?:public|private|protected|static|async|readonly|override|get|set)\s+)*\*?(#?[A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^;]*\)\s*(?::\s*[^;{]+)?\{",
    ))
    .expect("static")
});
static JAVA_METHOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:@\w+\s+)*(?:(?:public|private|protected|static|final|abstract|synchronized|native|default)\s+)*(?:<[^>]*>\s*)?[\w.<>\[\],? ]+?\s+([A-Za-z_]\w*)\s*\(").expect("static")
});
static PY_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)").expect("static"));

const NOT_FUNCTIONS: &[&str] =
    &["if", "for", "while", "switch", "catch", "return", "new", "else", "do", "try", "synchronized", "throw", "with"];

/// The functions in `text`, in order of their first line. Nested functions are listed too; as in
/// lizard, an enclosing function's length includes them but its complexity does not.
pub fn functions(lang: Lang, text: &str) -> Vec<Function> {
    let mut fs = raw_functions(lang, text);
    fs.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    // decision points of directly nested functions belong to them, not to the enclosing one:
    // find each function's innermost enclosing function with a stack (they are sorted by start)
    let decisions: Vec<u32> = fs.iter().map(|f| f.complexity - 1).collect();
    let mut nested = vec![0u32; fs.len()];
    let mut stack: Vec<usize> = Vec::new();
    for j in 0..fs.len() {
        while let Some(&top) = stack.last() {
            if fs[top].end >= fs[j].end && (fs[top].start, fs[top].end) != (fs[j].start, fs[j].end) {
                break;
            }
            stack.pop();
        }
        if let Some(&parent) = stack.last() {
            nested[parent] += decisions[j];
        }
        stack.push(j);
    }
    for (f, (d, n)) in fs.iter_mut().zip(decisions.iter().zip(&nested)) {
        f.complexity = 1 + d.saturating_sub(*n);
    }
    fs
}

fn raw_functions(lang: Lang, text: &str) -> Vec<Function> {
    let masked = mask(lang, text, false);
    let lines: Vec<&str> = masked.lines().collect();
    if lang.indented() {
        return python_functions(&lines);
    }
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = header_name(lang, line) else { continue };
        let Some((_, end)) = brace_block(&lines, i, 6, false) else { continue };
        let complexity = 1 + decisions(lang, &lines[i..=end]);
        out.push(Function { name, start: i as u32 + 1, end: end as u32 + 1, complexity });
    }
    out
}

fn header_name(lang: Lang, line: &str) -> Option<String> {
    let caps = match lang {
        Lang::Rust => RUST_FN.captures(line)?,
        Lang::Go => GO_FN.captures(line)?,
        Lang::Kotlin => KOTLIN_FN.captures(line)?,
        Lang::JavaScript | Lang::TypeScript => JS_FN.captures(line)?,
        Lang::Java => {
            let t = line.trim_start();
            if t.starts_with("return ") || t.starts_with("new ") || t.contains('=') {
                return None;
            }
            JAVA_METHOD.captures(line)?
        }
        Lang::Python => return None,
    };
    let name = caps.iter().skip(1).flatten().next().map_or("<anonymous>", |m| m.as_str());
    (!NOT_FUNCTIONS.contains(&name)).then(|| name.to_string())
}

/// The block opened by the first `{` on line `from` or within `within` lines after it, as
/// `(line of the {, line of the matching })`, 0-based. A `;` before the `{` (a declaration
/// without body) means there is no block. With `in_parens` false, braces inside parentheses
/// before the block (destructured or defaulted parameters) are skipped; with it true the first
/// brace counts even inside a call (`app.get('/', (req, res) => {`). `lines` must be masked.
pub fn brace_block(lines: &[&str], from: usize, within: usize, in_parens: bool) -> Option<(usize, usize)> {
    let mut depth = 0i64;
    let mut open_line = None;
    let mut parens = 0i64;
    for (i, line) in lines.iter().enumerate().skip(from) {
        if open_line.is_none() && i > from + within {
            return None;
        }
        for c in line.bytes() {
            match c {
                b'(' | b'[' => parens += 1,
                b')' | b']' => parens -= 1,
                b';' if open_line.is_none() && parens <= 0 => return None,
                b'{' if open_line.is_none() && !in_parens && parens > 0 => {}
                b'}' if open_line.is_none() => {}
                b'{' => {
                    if open_line.is_none() {
                        open_line = Some(i);
                    }
                    depth += 1;
                }
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return open_line.map(|o| (o, i));
                    }
                }
                _ => {}
            }
        }
    }
    None
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn python_functions(lines: &[&str]) -> Vec<Function> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(caps) = PY_DEF.captures(line) else { continue };
        let end = python_block_end(lines, i);
        let complexity = 1 + decisions(Lang::Python, &lines[i..=end]);
        out.push(Function { name: caps[2].to_string(), start: i as u32 + 1, end: end as u32 + 1, complexity });
    }
    out
}

/// Last line (0-based) of the indented block whose header starts at `start`: the signature may
/// span lines (open brackets), then the body is every line indented deeper than the header.
pub fn python_block_end(lines: &[&str], start: usize) -> usize {
    let base = indent(lines[start]);
    let mut depth = 0i64;
    let mut i = start;
    // the header ends at the first line where brackets balance (and no `\` continues it)
    while i < lines.len() {
        for c in lines[i].bytes() {
            match c {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 && !lines[i].trim_end().ends_with('\\') {
            break;
        }
        i += 1;
    }
    let header_end = i.min(lines.len() - 1);
    if !lines[header_end].trim_end().ends_with(':') {
        // `def f(): return 1`: the body is on the header line
        return header_end;
    }
    // one-line body after the colon (`def f(): return 1`)
    let mut end = header_end;
    let mut depth = 0i64;
    for (j, line) in lines.iter().enumerate().skip(header_end + 1) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if depth <= 0 && indent(line) <= base {
            break;
        }
        for c in line.bytes() {
            match c {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            }
        }
        end = j;
    }
    end
}

/// Decision points in masked lines (lizard's token sets, see README).
fn decisions(lang: Lang, lines: &[&str]) -> u32 {
    let words: &[&str] = match lang {
        Lang::Python => &["if", "elif", "for", "while", "except", "finally", "and", "or"],
        Lang::Rust => &["if", "for", "while", "where"],
        Lang::Go => &["if", "for", "case"],
        Lang::JavaScript | Lang::TypeScript | Lang::Java => &["if", "for", "while", "catch", "case"],
        Lang::Kotlin => &["if", "for", "while", "catch"],
    };
    let mut n = 0;
    for line in lines {
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_alphabetic() || c == b'_' {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                    i += 1;
                }
                let prev_dot = start > 0 && b[start - 1] == b'.';
                if !prev_dot && words.contains(&&line[start..i]) {
                    n += 1;
                }
                continue;
            }
            let next = b.get(i + 1).copied();
            match (lang, c, next) {
                (Lang::Python, _, _) => {}
                (_, b'&', Some(b'&')) | (_, b'|', Some(b'|')) => {
                    n += 1;
                    i += 1;
                }
                (Lang::Rust, b'=', Some(b'>')) => n += 1,
                (Lang::JavaScript | Lang::TypeScript, b'?', Some(b'?')) => {
                    n += 1;
                    i += 1;
                }
                (Lang::Kotlin, b'?', Some(b':')) => {
                    n += 1;
                    i += 1;
                }
                (Lang::JavaScript | Lang::TypeScript | Lang::Java, b'?', next)
                    if !matches!(next, Some(b'.' | b':' | b')' | b',' | b'=' | b'>')) =>
                {
                    n += 1;
                }
                _ => {}
            }
            i += 1;
        }
    }
    n
}

/// The extent (1-based first and last line) of the code unit that starts at or just below
/// 1-based `line`: for Python the first `def` at or below it (decorators above a def), for
/// brace languages the block opened on that line or the next few. Attribute and decorator lines
/// (`#[...]`, `@...`) directly above are included, since instrumentation often sits there.
pub fn unit_at(lang: Lang, masked_lines: &[&str], line: u32) -> Option<(u32, u32)> {
    let from = (line as usize).checked_sub(1)?;
    if from >= masked_lines.len() {
        return None;
    }
    let (start, end) = if lang.indented() {
        let def = (from..masked_lines.len().min(from + 12)).find(|&i| PY_DEF.is_match(masked_lines[i]))?;
        (from, python_block_end(masked_lines, def))
    } else {
        let (_, end) = brace_block(masked_lines, from, 8, true)?;
        (from, end)
    };
    let mut top = start;
    while top > 0 {
        let t = masked_lines[top - 1].trim_start();
        if t.starts_with("#[") || t.starts_with('@') {
            top -= 1;
        } else {
            break;
        }
    }
    Some((top as u32 + 1, end as u32 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(lang: Lang, text: &str) -> Vec<(String, u32, u32, u32)> {
        functions(lang, text).into_iter().map(|f| (f.name, f.start, f.end, f.complexity)).collect()
    }

    #[test]
    fn masking_keeps_lines_and_hides_comments_and_strings() {
        let src = "let a = \"x { y\"; // } brace\nlet c = '{'; /* {\n } */ fn f<'a>() {}\n";
        let m = mask(Lang::Rust, src, false);
        assert_eq!(m.lines().count(), 3);
        assert!(!m.contains("brace") && !m.contains("x {") && !m.contains("'{'"), "{m}");
        assert!(m.contains("fn f<'a>() {}"), "{m}");
        let m = mask(Lang::Python, "s = '''a\n# not a comment\n'''  # real\n", true);
        assert!(m.contains("# not a comment") && !m.contains("real"), "{m}");
    }

    #[test]
    fn rust_functions_and_complexity() {
        let src = r#"
impl X {
    pub fn a(&self, x: i32) -> i32 {
        if x > 0 && x < 10 { 1 } else { 2 }
    }
    fn decl(&self);
}
fn b(v: Option<u8>) -> u8 {
    match v {
        Some(1) => 1,
        Some(_) => 2,
        None => 0,
    }
}
"#;
        assert_eq!(summary(Lang::Rust, src), vec![("a".into(), 3, 5, 3), ("b".into(), 8, 14, 4)]);
    }

    #[test]
    fn python_functions_by_indentation() {
        let src = "import x\n\n@dec\ndef f(a,\n      b):\n    if a and b:\n        return 1\n\n    for i in a:\n        pass\n    return 2\n\nclass C:\n    async def g(self): return 1\n    def h(self):\n        try:\n            pass\n        except E:\n            pass\nx = 1\n";
        assert_eq!(
            summary(Lang::Python, src),
            vec![("f".into(), 4, 11, 4), ("g".into(), 14, 14, 1), ("h".into(), 15, 19, 2)]
        );
    }

    #[test]
    fn js_ts_go_java_kotlin_headers() {
        let js = "function a(x, { y, z } = {}) {\n  return x ? 1 : 2;\n}\nconst b = async (y) => {\n  if (y?.z ?? 0) { }\n};\nclass K {\n  m(q) {\n    switch (q) { case 1: break; case 2: break; }\n  }\n}\n";
        assert_eq!(
            summary(Lang::TypeScript, js),
            vec![("a".into(), 1, 3, 2), ("b".into(), 4, 6, 3), ("m".into(), 8, 10, 3)]
        );
        let go = "package p\nfunc (s *S) Serve(w http.ResponseWriter) {\n\tfor i := 0; i < 3; i++ {\n\t}\n}\n";
        assert_eq!(summary(Lang::Go, go), vec![("Serve".into(), 2, 5, 2)]);
        let java = "class A {\n  public static int f(int a) throws E {\n    return a > 0 && a < 3 ? 1 : 0;\n  }\n  abstract void g();\n}\n";
        assert_eq!(summary(Lang::Java, java), vec![("f".into(), 2, 4, 3)]);
        let kt = "fun f(x: Int?): Int {\n  return x ?: 0\n}\n";
        assert_eq!(summary(Lang::Kotlin, kt), vec![("f".into(), 1, 3, 2)]);
    }

    #[test]
    fn units_include_attributes_and_decorators() {
        let rs = "#[instrument]\npub async fn h() {\n  x();\n}\n";
        let m = mask(Lang::Rust, rs, false);
        let l: Vec<&str> = m.lines().collect();
        assert_eq!(unit_at(Lang::Rust, &l, 2), Some((1, 4)));
        let py = "@app.get('/x')\nasync def h():\n    return 1\ny = 2\n";
        let m = mask(Lang::Python, py, false);
        let l: Vec<&str> = m.lines().collect();
        assert_eq!(unit_at(Lang::Python, &l, 1), Some((1, 3)));
    }

    #[test]
    fn nested_functions_keep_their_own_complexity() {
        let src = "def outer(a):\n    if a:\n        pass\n    def inner(b):\n        if b and a:\n            return 1\n    return inner\n";
        assert_eq!(summary(Lang::Python, src), vec![("outer".into(), 1, 7, 2), ("inner".into(), 4, 6, 3)]);
    }

    #[test]
    fn never_panics_on_junk() {
        for junk in ["{{{{", "}}}", "fn (", "def", "'", "\"unterminated", "/* open", "é'", "fn f() -> char { 'é' }"] {
            for lang in [Lang::Rust, Lang::Python, Lang::Go, Lang::TypeScript, Lang::Java, Lang::Kotlin] {
                let _ = functions(lang, junk);
                let _ = mask(lang, junk, true);
            }
        }
    }
}
