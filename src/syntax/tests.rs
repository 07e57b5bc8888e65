use super::*;

fn parse(path: &str, text: &str) -> SourceFile {
    SourceFile::parse(path, text).expect("parses")
}

fn fixture(name: &str) -> SourceFile {
    let text = match name {
        "component.tsx" => include_str!("../../tests/data/syntax/component.tsx"),
        "app.py" => include_str!("../../tests/data/syntax/app.py"),
        "lib.rs" => include_str!("../../tests/data/syntax/lib.rs"),
        "main.go" => include_str!("../../tests/data/syntax/main.go"),
        "Api.java" => include_str!("../../tests/data/syntax/Api.java"),
        "Main.kt" => include_str!("../../tests/data/syntax/Main.kt"),
        "Widget.vue" => include_str!("../../tests/data/syntax/Widget.vue"),
        "theme.css" => include_str!("../../tests/data/syntax/theme.css"),
        other => panic!("no fixture {other}"),
    };
    parse(name, text)
}

/// (name, start, end, complexity) of each function.
fn summary(f: &SourceFile) -> Vec<(String, u32, u32, u32)> {
    functions(f).into_iter().map(|f| (f.name, f.span.start_line, f.span.end_line, f.complexity)).collect()
}

fn specs(f: &SourceFile) -> Vec<(String, ImportKind, u32)> {
    imports(f).into_iter().map(|i| (i.specifier, i.kind, i.span.start_line)).collect()
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn languages_by_extension() {
    assert_eq!(Language::from_path("web/src/App.TSX"), Some(Language::Tsx));
    assert_eq!(Language::from_path("a/b.vue"), Some(Language::Vue));
    assert_eq!(Language::from_path("x.scss"), Some(Language::Css));
    assert_eq!(Language::from_path("Makefile"), None);
    assert_eq!(Language::from_path("dir.rs/file"), None);
    let err = SourceFile::parse("notes.txt", "x").unwrap_err();
    assert_eq!(err.to_string(), "notes.txt: not parsed: no known language for this file name");
}

#[test]
fn huge_files_are_not_parsed_with_a_clear_reason() {
    let limits = Limits { max_bytes: 10, ..Limits::default() };
    let err = SourceFile::parse_as(Language::Rust, "big.rs", "fn main() {}\n", limits).unwrap_err();
    assert_eq!(err, SyntaxError::TooLarge { path: s("big.rs"), size: 13, limit: 10 });
    assert_eq!(err.to_string(), "big.rs: not parsed: too large (13 bytes; the limit is 10 bytes)");
}

#[test]
fn typescript_types_are_not_functions_and_braceless_arrows_are() {
    let f = fixture("component.tsx");
    let fs = functions(&f);
    let names: Vec<(&str, FunctionKind, u32, u32)> =
        fs.iter().map(|f| (f.name.as_str(), f.kind, f.span.start_line, f.span.end_line)).collect();
    assert_eq!(
        names,
        vec![
            ("double", FunctionKind::Arrow, 16, 17),
            ("Dialog", FunctionKind::Function, 19, 37),
            ("(anonymous)", FunctionKind::Arrow, 29, 29),
            ("find", FunctionKind::Method, 41, 43),
        ]
    );
    // the arrow's `?` is its own; `!open && onClose` and the `if` are Dialog's
    assert_eq!(fs.iter().map(|f| f.complexity).collect::<Vec<_>>(), vec![2, 3, 1, 3]);
    assert_eq!(fs[2].parent, Some(1));
    assert_eq!(fs[2].depth, 1);
    // the decorator sits above the method
    assert_eq!(fs[3].attributes, Some((40, 40)));
    assert_eq!(fs[3].full_start_line(), 40);
    assert_eq!(fs[0].body_start_line, 17);
}

#[test]
fn javascript_imports_from_the_tree_not_from_comments_or_strings() {
    let f = fixture("component.tsx");
    assert_eq!(
        specs(&f),
        vec![
            (s("react"), ImportKind::Static, 1),
            (s("./types"), ImportKind::Static, 2),
            (s("./ab"), ImportKind::Static, 3),
            (s("@/components/ui/button"), ImportKind::ReExport, 4),
            (s("./all"), ImportKind::ReExport, 5),
            (s("./lazy"), ImportKind::Dynamic, 6),
            (s("node:fs"), ImportKind::Require, 7),
        ]
    );
    let all = imports(&f);
    assert_eq!(all[0].names, vec![s("default"), s("useState")]);
    assert!(!all[0].type_only && all[1].type_only && all[2].type_only);
    assert_eq!(all[3].names, vec![s("Button")]);
    assert_eq!(all[4].names, vec![s("*")]);
    let computed = parse("x.js", "const m = require(path.join(a, 'b'));\nimport(`./${name}`);\n");
    let i = imports(&computed);
    assert_eq!(i.len(), 2);
    assert!(!i[0].literal && !i[1].literal);
    assert_eq!(i[0].specifier, "path.join(a, 'b')");
}

#[test]
fn jsx_elements_span_lines_and_skip_comments() {
    let f = fixture("component.tsx");
    let els = jsx_elements(&f);
    let names: Vec<(&str, bool, u32, u32)> =
        els.iter().map(|e| (e.name.as_str(), e.intrinsic, e.span.start_line, e.span.end_line)).collect();
    assert_eq!(names, vec![("div", true, 25, 35), ("button", true, 27, 33), ("Dialog.Footer", false, 34, 34)]);
    let div = &els[0];
    let JsxValue::Expression { object, .. } = &div.attributes[0].value else { panic!("{:?}", div.attributes) };
    assert_eq!(object.len(), 2);
    assert_eq!((object[0].key.as_str(), object[0].literal.as_deref()), ("color", Some("#0969da")));
    assert_eq!((object[1].key.as_str(), object[1].literal.as_deref()), ("padding", Some("8")));
    assert_eq!(div.attributes[1].value, JsxValue::String(s("dialog")));
    let button = &els[1];
    assert_eq!(button.open_span.start_line, 27);
    assert_eq!(button.open_span.end_line, 31);
    assert_eq!(button.attributes[0].value, JsxValue::String(s("submit")));
    assert_eq!(button.attributes[2].value, JsxValue::Flag);
    assert_eq!(els[2].attributes[0].name, "...");
}

#[test]
fn python_functions_decorators_and_lizard_complexity() {
    let f = fixture("app.py");
    assert_eq!(
        summary(&f),
        vec![(s("read_item"), 21, 25, 5), (s("handle"), 29, 35, 3), (s("outer"), 37, 40, 1), (s("inner"), 38, 39, 2),]
    );
    let fs = functions(&f);
    assert_eq!(fs[0].attributes, Some((19, 20)));
    assert_eq!(fs[0].kind, FunctionKind::Function);
    assert_eq!(fs[1].kind, FunctionKind::Method);
    let decs = decorators(&f);
    assert_eq!(decs.len(), 2);
    assert_eq!(decs[0].name, "app.get");
    assert_eq!(decs[0].args[0].kind, ArgKind::StringLiteral(s("/items/{item_id}")));
    assert_eq!(decs[0].target.as_deref(), Some("read_item"));
    assert_eq!(decs[1].name, "login_required");
}

#[test]
fn python_imports_relative_names_and_type_checking() {
    let f = fixture("app.py");
    let all = imports(&f);
    let got: Vec<(&str, Vec<String>, bool, u32)> =
        all.iter().map(|i| (i.specifier.as_str(), i.names.clone(), i.type_checking, i.span.start_line)).collect();
    assert_eq!(
        got,
        vec![
            ("__future__", vec![s("annotations")], false, 5),
            ("os", vec![], false, 7),
            ("sys", vec![], false, 7),
            (".", vec![s("views"), s("models")], false, 8),
            ("..core.config", vec![s("settings"), s("Settings")], false, 9),
            ("typing", vec![s("TYPE_CHECKING")], false, 13),
            (".types", vec![s("Thing")], true, 16),
        ]
    );
    assert_eq!(all[4].span.end_line, 12);
}

#[test]
fn calls_with_argument_kinds_for_sensitive_logging() {
    let f = fixture("app.py");
    let cs = calls(&f);
    let info = cs.iter().find(|c| c.callee == "logger.info").expect("logger.info");
    assert_eq!(info.name, "info");
    assert_eq!(info.args[0].kind, ArgKind::Template { interpolations: vec![s("token")] });
    assert_eq!(info.args[0].names, vec![s("token")]);
    assert_eq!(info.args[1].keyword.as_deref(), Some("extra"));
    assert_eq!(info.args[1].kind, ArgKind::Member(s("user.password")));
    let raise = cs.iter().find(|c| c.callee == "ValueError" && !c.args.is_empty()).expect("ValueError(...)");
    assert_eq!(raise.args[0].kind, ArgKind::StringLiteral(s("DB_PASSWORD is undefined")));
    assert!(raise.args[0].names.is_empty());

    let js = parse("x.ts", "throw new Error(`missing ${cfg.secret}`);\nconsole.log('x', user.token, mask(pw));\n");
    let cs = calls(&js);
    assert_eq!(cs[0].kind, CallKind::New);
    assert_eq!(cs[0].callee, "Error");
    assert_eq!(cs[0].args[0].kind, ArgKind::Template { interpolations: vec![s("cfg.secret")] });
    assert_eq!(cs[1].callee, "console.log");
    assert_eq!(cs[1].args[1].kind, ArgKind::Member(s("user.token")));
    assert_eq!(cs[1].args[2].kind, ArgKind::Call(s("mask")));
    assert_eq!(cs[1].args[2].names, vec![s("pw")]);
}

#[test]
fn rust_functions_match_arms_and_attributes() {
    let f = fixture("lib.rs");
    // classify: 1 + `?` + (3 arms - 1) + `if` + `&&` = 6; method: the closure's `if` is its
    assert_eq!(summary(&f), vec![(s("classify"), 10, 17, 6), (s("method"), 20, 24, 2), (s("user"), 28, 30, 1)]);
    let fs = functions(&f);
    assert_eq!(fs[0].attributes, Some((8, 9)));
    assert_eq!(fs[1].kind, FunctionKind::Method);
    let decs = decorators(&f);
    let names: Vec<&str> = decs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, vec!["must_use", "tracing::instrument", "get"]);
    assert_eq!(decs[2].args[0].kind, ArgKind::StringLiteral(s("/users/{id}")));
    assert_eq!(decs[2].target.as_deref(), Some("user"));
}

#[test]
fn rust_use_trees_mods_and_macro_arguments() {
    let f = fixture("lib.rs");
    assert_eq!(
        specs(&f),
        vec![
            (s("std::collections::HashMap"), ImportKind::Static, 2),
            (s("crate::a::b"), ImportKind::Static, 3),
            (s("crate::a::c::d"), ImportKind::Static, 3),
            (s("crate::a::c"), ImportKind::Static, 3),
            (s("crate::a::e"), ImportKind::Static, 3),
            (s("super::g"), ImportKind::ReExport, 4),
            (s("child"), ImportKind::ModuleDecl, 5),
            (s("serde"), ImportKind::ExternCrate, 6),
            (s("crate::util::helper"), ImportKind::QualifiedPath, 23),
            (s("super"), ImportKind::Static, 33),
        ]
    );
    let all = imports(&f);
    assert_eq!(all.last().map(|i| i.scope.clone()), Some(vec![s("tests")]));
    let more = parse(
        "m.rs",
        "use t::{tungstenite::{self as ts, *}};\nmacro_rules! m { () => { $crate::a::b!() } }\nfn f() { assert!(crate::x::y()); }\n",
    );
    assert_eq!(
        specs(&more),
        vec![
            (s("t::tungstenite"), ImportKind::Static, 1),
            (s("t::tungstenite"), ImportKind::Static, 1),
            (s("crate::a::b"), ImportKind::QualifiedPath, 2),
            (s("crate::x::y"), ImportKind::QualifiedPath, 3),
        ]
    );
    let info = calls(&f).into_iter().find(|c| c.kind == CallKind::Macro && c.name == "info").expect("info!");
    assert_eq!(info.callee, "tracing::info");
    assert_eq!(info.args[0].keyword.as_deref(), Some("user"));
    assert_eq!(info.args[0].kind, ArgKind::Member(s("self.name")));
    assert_eq!(info.args[1].kind, ArgKind::Template { interpolations: vec![s("token")] });
    assert_eq!(info.args[2].names, vec![s("token")]);
}

#[test]
fn go_imports_functions_and_calls() {
    let f = fixture("main.go");
    assert_eq!(
        specs(&f).into_iter().map(|(s, _, l)| (s, l)).collect::<Vec<_>>(),
        vec![
            (s("fmt"), 4),
            (s("log/slog"), 5),
            (s("embed"), 6),
            (s("example.com/m/internal/db"), 7),
            (s("net/http"), 9)
        ]
    );
    assert_eq!(imports(&f)[1].names, vec![s("log")]);
    // Serve: 1 + 2 cases; the literal: 1 + if + &&
    assert_eq!(summary(&f), vec![(s("Serve"), 12, 26, 3), (s("(anonymous)"), 13, 18, 3)]);
    let cs = calls(&f);
    let printf = cs.iter().find(|c| c.callee == "fmt.Printf").expect("Printf");
    assert_eq!(printf.args[1].kind, ArgKind::Identifier(s("password")));
    let route = cs.iter().find(|c| c.callee == "http.HandleFunc").expect("HandleFunc");
    assert_eq!(route.args[0].kind, ArgKind::StringLiteral(s("GET /items/{id}")));
    assert_eq!(route.args[1].kind, ArgKind::Member(s("s.items")));
}

#[test]
fn java_annotations_imports_and_methods() {
    let f = fixture("Api.java");
    assert_eq!(
        specs(&f).into_iter().map(|(s, _, l)| (s, l)).collect::<Vec<_>>(),
        vec![(s("java.util.List"), 3), (s("org.junit.Assert.*"), 4), (s("com.example.model.User"), 5)]
    );
    // get: 1 + if + && + ?: the abstract method has no body
    assert_eq!(summary(&f), vec![(s("get"), 12, 17, 4)]);
    assert_eq!(functions(&f)[0].attributes, Some((10, 11)));
    let decs = decorators(&f);
    let got: Vec<(&str, Option<&str>)> = decs.iter().map(|d| (d.name.as_str(), d.target.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            ("RestController", Some("Api")),
            ("RequestMapping", Some("Api")),
            ("Override", Some("get")),
            ("GetMapping", Some("get")),
            ("PathVariable", Some("id")),
        ]
    );
    assert_eq!(decs[1].args[0].kind, ArgKind::StringLiteral(s("/api")));
    assert_eq!(decs[3].args[0].keyword.as_deref(), Some("value"));
    assert_eq!(decs[3].args[0].kind, ArgKind::StringLiteral(s("/users/{id}")));
    let log = calls(&f).into_iter().find(|c| c.callee == "log.info").expect("log.info");
    assert_eq!(log.args[1].kind, ArgKind::Identifier(s("password")));
}

#[test]
fn kotlin_functions_when_and_imports() {
    let f = fixture("Main.kt");
    assert_eq!(
        specs(&f).into_iter().map(|(s, _, l)| (s, l)).collect::<Vec<_>>(),
        vec![(s("kotlinx.coroutines.launch"), 3), (s("com.example.model.*"), 4), (s("org.slf4j.LoggerFactory"), 5)]
    );
    assert_eq!(imports(&f)[2].names, vec![s("LF")]);
    // route: 1 + ?: + (3 entries - 1); log: 1 + if + &&
    assert_eq!(summary(&f), vec![(s("route"), 8, 15, 4), (s("log"), 19, 22, 3)]);
    let decs = decorators(&f);
    assert_eq!(decs[0].name, "Suppress");
    assert_eq!(decs[0].target.as_deref(), Some("route"));
    assert_eq!(decs[0].args[0].kind, ArgKind::StringLiteral(s("unused")));
    assert_eq!((decs[1].name.as_str(), decs[1].target.as_deref()), ("GetMapping", Some("log")));
    assert_eq!(decs[1].args[0].kind, ArgKind::StringLiteral(s("/log")));
    let info = calls(&f).into_iter().find(|c| c.callee == "logger.info").expect("logger.info");
    assert_eq!(info.args[0].kind, ArgKind::Template { interpolations: vec![s("token")] });
}

#[test]
fn vue_script_and_style_blocks_keep_file_lines() {
    let f = fixture("Widget.vue");
    assert_eq!(f.regions().iter().map(|r| r.language).collect::<Vec<_>>(), vec![Language::TypeScript, Language::Css]);
    assert_eq!(specs(&f), vec![(s("vue"), ImportKind::Static, 6), (s("./Child.vue"), ImportKind::Static, 7)]);
    assert_eq!(summary(&f), vec![(s("pick"), 9, 11, 2)]);
    let decls = css_declarations(&f);
    let got: Vec<(&str, &str, &str, bool, u32)> = decls
        .iter()
        .map(|d| (d.selector.as_str(), d.property.as_str(), d.value.as_str(), d.important, d.span.start_line))
        .collect();
    assert_eq!(got, vec![(".x", "color", "#0969da", false, 16), (".x", "padding", "var(--space-2)", true, 17)]);
}

#[test]
fn svelte_and_html_blocks() {
    let svelte = parse("A.svelte", "<script>\n  import x from './x.js';\n</script>\n\n{#if a}<p>hi</p>{/if}\n");
    assert_eq!(specs(&svelte), vec![(s("./x.js"), ImportKind::Static, 2)]);
    let html = parse("i.html", "<html><body>\n<script type=\"module\">import('./m.js')</script>\n</body></html>\n");
    assert_eq!(specs(&html), vec![(s("./m.js"), ImportKind::Dynamic, 2)]);
    let none = parse("n.vue", "<template><p/></template>\n");
    assert!(none.regions().is_empty() && functions(&none).is_empty());
}

#[test]
fn css_declarations_with_selectors_and_at_rules() {
    let f = fixture("theme.css");
    let decls = css_declarations(&f);
    let got: Vec<(&str, &str, &str, u32)> =
        decls.iter().map(|d| (d.selector.as_str(), d.property.as_str(), d.value.as_str(), d.span.start_line)).collect();
    assert_eq!(
        got,
        vec![
            (":root", "--color-accent", "#0969da", 4),
            (".btn:hover, a", "color", "rgb(9 105 218)", 8),
            (".btn:hover, a", "margin", "0 auto", 9),
        ]
    );
    assert!(decls[0].is_custom_property());
    assert_eq!(decls[1].at_rules, vec![s("@media (max-width: 600px)")]);
    assert_eq!(specs(&f), vec![(s("tokens.css"), ImportKind::Static, 1)]);
}

#[test]
fn line_kinds_classify_comments_docstrings_attributes() {
    let f = fixture("app.py");
    let k = line_kinds(&f);
    assert_eq!(k[0], LineKind::Docstring);
    assert_eq!(k[3], LineKind::Docstring);
    assert_eq!(k[4], LineKind::Code);
    assert_eq!(k[5], LineKind::Blank);
    assert_eq!(k[21], LineKind::Docstring);
    assert_eq!(k[22], LineKind::Code);
    let r = fixture("lib.rs");
    let k = line_kinds(&r);
    assert_eq!((k[0], k[7], k[9]), (LineKind::Comment, LineKind::Attribute, LineKind::Code));
}

#[test]
fn semantic_change_ignores_comments_whitespace_docstrings_attributes() {
    let base = parse("a.rs", "fn f(a: i32) -> i32 {\n    a + 1 // add one\n}\n");
    let comment = parse("a.rs", "fn f(a: i32) -> i32 {\n    a + 1 // add one to a\n}\n");
    let reflow = parse("a.rs", "fn f(a: i32) -> i32 {\n    a\n        + 1\n}\n");
    let attr = parse("a.rs", "#[must_use]\nfn f(a: i32) -> i32 {\n    a + 1 // add one\n}\n");
    let real = parse("a.rs", "fn f(a: i32) -> i32 {\n    a + 2 // add one\n}\n");
    let o = SemanticOptions::default();
    assert!(!code_changed(&base, &[2], &comment, &[2], o));
    assert!(!code_changed(&base, &[2], &reflow, &[2, 3], o));
    assert!(!code_changed(&base, &[], &attr, &[1], o));
    assert!(code_changed(&base, &[], &attr, &[1], SemanticOptions { ignore_attributes: false, ..o }));
    assert!(code_changed(&base, &[2], &real, &[2], o));

    let py = parse("a.py", "def f():\n    \"\"\"Doc.\"\"\"\n    return 1\n");
    let py_doc = parse("a.py", "def f():\n    \"\"\"Better doc.\"\"\"\n    return 1\n");
    let py_string = parse("a.py", "def f():\n    \"\"\"Doc.\"\"\"\n    return '1'\n");
    assert!(!code_changed(&py, &[2], &py_doc, &[2], o));
    assert!(code_changed(&py, &[2], &py_doc, &[2], SemanticOptions { ignore_docstrings: false, ..o }));
    assert!(code_changed(&py, &[3], &py_string, &[3], o));
    // reflowing a call over several lines is layout, in Python too
    let call = parse("c.py", "def f():\n    g(a, b)\n");
    let reflowed = parse("c.py", "def f():\n    g(\n        a,\n        b)\n");
    assert!(!code_changed(&call, &[2], &reflowed, &[2, 3, 4], o));
    // re-indenting a Python statement moves it to another block: code
    let a = parse("b.py", "if x:\n    y()\nz()\n");
    let b = parse("b.py", "if x:\n    y()\n    z()\n");
    assert!(code_changed(&a, &[3], &b, &[3], o));
    // JS: `"use strict"` is code, a JSDoc edit is not
    let js = parse("a.js", "/** Adds. */\nfunction f() {}\n");
    let js2 = parse("a.js", "/** Adds one. */\nfunction f() {}\n");
    assert!(!code_changed(&js, &[1], &js2, &[1], o));
}

#[test]
fn syntax_errors_are_reported_not_fatal() {
    let f = parse("broken.ts", "function ok() { return 1; }\nfunction broken( {\n");
    assert!(!f.error_lines().is_empty());
    assert!(functions(&f).iter().any(|x| x.name == "ok"));
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    for (path, open, close) in [("d.js", "(", ")"), ("d.py", "[", "]"), ("d.rs", "{", "}"), ("d.css", "a{", "}")] {
        let text = format!("x = {}1{}\n", open.repeat(50_000), close.repeat(50_000));
        assert!(fuzz_entry(path, text.as_bytes()) < usize::MAX);
    }
}

mod prop {
    use super::super::fuzz_entry;
    use proptest::prelude::*;

    const PATHS: &[&str] =
        &["a.rs", "a.js", "a.ts", "a.tsx", "a.py", "a.go", "A.java", "a.kt", "a.css", "a.html", "a.vue", "a.svelte"];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), which in 0..PATHS.len()) {
            fuzz_entry(PATHS[which], &bytes);
        }

        #[test]
        fn code_like_text_never_panics(
            text in "[ a-z0-9_(){}\\[\\]<>/=:;,.'\"`#@!?*&|$\\n-]{0,400}",
            which in 0..PATHS.len(),
        ) {
            fuzz_entry(PATHS[which], text.as_bytes());
        }
    }
}
