//! A fake GitHub REST server for tests: records every request, validates each request body
//! against GitHub's own OpenAPI description (`tests/data/github/checks-openapi.json`), and
//! answers with bodies of the documented shape. Scripted answers (errors, rate limits) and
//! faults (hangs, closed connections, malformed or truncated bodies, redirects) take precedence
//! over the default behaviour; it keeps the check runs it created, with their last status.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path without the mount prefix and without the query.
    pub path: String,
    pub query: String,
    pub body: Option<Value>,
    pub authorization: Option<String>,
}

impl Recorded {
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// What the server does with a request a script matches.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answers `status` with `headers` and `body`, without acting on the request.
    Answer { status: u16, headers: Vec<(String, String)>, body: String },
    /// Never answers (holds the connection for this long, then closes it).
    Hang(std::time::Duration),
    /// Acts on the request, then never answers: the client cannot know it worked.
    HangAfter(std::time::Duration),
    /// Closes the connection without answering or acting.
    Close,
    /// Acts on the request, then closes the connection without answering.
    CloseAfter,
    /// Acts on the request and answers its normal status with a body that is not JSON.
    Malformed,
    /// Acts on the request and answers its normal status with half the body, then closes.
    Truncated,
}

struct Scripted {
    method: String,
    path: String,
    /// Only requests whose raw body contains this text.
    body_contains: Option<String>,
    fault: Fault,
    times: usize,
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    scripted: Vec<Scripted>,
    schema_errors: Vec<String>,
    comments: Vec<Value>,
    next_id: u64,
    pr_files: Vec<Value>,
    reviews: Vec<Value>,
    members: Vec<Value>,
    /// Check runs created, as GitHub stores them (the documented shape), by id.
    check_runs: Vec<Value>,
}

pub struct FakeGitHub {
    /// Base URL to use as `GITHUB_API_URL` (with the mount prefix, e.g. `/api/v3` for GHES).
    pub url: String,
    prefix: String,
    state: Arc<Mutex<State>>,
}

fn spec() -> &'static Value {
    static SPEC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let p = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/github/checks-openapi.json");
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    })
}

/// The spec's path template matching a concrete path (`{x}` matches one segment).
fn template(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    spec()["paths"].as_object()?.keys().find_map(|t| {
        let ts: Vec<&str> = t.trim_matches('/').split('/').collect();
        (ts.len() == segs.len() && ts.iter().zip(&segs).all(|(a, b)| a.starts_with('{') || a == b)).then(|| t.clone())
    })
}

/// Validates a request body against the operation's `requestBody` schema (with the spec's
/// `components` so `$ref`s resolve). Returns the problems found.
pub fn validate_request(method: &str, path: &str, body: Option<&Value>) -> Vec<String> {
    let Some(t) = template(path) else { return vec![format!("{method} {path}: not an operation of the spec")] };
    let op = &spec()["paths"][&t][method.to_ascii_lowercase()];
    if op.is_null() {
        return vec![format!("{method} {t}: method not in the spec")];
    }
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    match (schema.is_null(), body) {
        (true, None) => vec![],
        (true, Some(_)) => vec![format!("{method} {t}: sends a body the operation does not take")],
        (false, None) => vec![format!("{method} {t}: a body is required")],
        (false, Some(b)) => {
            let mut root = schema.clone();
            root["components"] = spec()["components"].clone();
            let v = jsonschema::validator_for(&root).expect("schema compiles");
            v.iter_errors(b).map(|e| format!("{method} {t}: {e} at {}", e.instance_path())).collect()
        }
    }
}

impl FakeGitHub {
    pub fn start() -> FakeGitHub {
        FakeGitHub::with_prefix("")
    }

    /// A server mounted under `prefix` (GitHub Enterprise Server serves the API at `/api/v3`).
    pub fn with_prefix(prefix: &str) -> FakeGitHub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State { next_id: 1, ..Default::default() }));
        let (st, pre) = (state.clone(), prefix.to_string());
        let url = format!("http://127.0.0.1:{port}{prefix}");
        let base = url.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (st, pre, base) = (st.clone(), pre.clone(), base.clone());
                std::thread::spawn(move || serve(stream, &st, &pre, &base));
            }
        });
        FakeGitHub { url, prefix: prefix.to_string(), state }
    }

    /// Answers the next `times` requests to `method path` with `status`, `headers` and `body`.
    pub fn script(&self, method: &str, path: &str, status: u16, headers: &[(&str, &str)], body: &str, times: usize) {
        self.fault(method, path, None, answer(status, headers, body), times);
    }

    /// Applies `fault` to the next `times` requests to `method path` (`*` matches any method or
    /// path) whose body contains `body_contains`, when given.
    pub fn fault(&self, method: &str, path: &str, body_contains: Option<&str>, fault: Fault, times: usize) {
        self.state.lock().unwrap().scripted.push(Scripted {
            method: method.into(),
            path: path.into(),
            body_contains: body_contains.map(str::to_string),
            fault,
            times,
        });
    }

    /// The check runs created so far, in the documented shape with their last status.
    pub fn check_runs(&self) -> Vec<Value> {
        self.state.lock().unwrap().check_runs.clone()
    }

    pub fn set_pr_files(&self, files: Vec<Value>) {
        self.state.lock().unwrap().pr_files = files;
    }
    pub fn set_reviews(&self, reviews: Vec<Value>) {
        self.state.lock().unwrap().reviews = reviews;
    }
    pub fn set_members(&self, members: Vec<Value>) {
        self.state.lock().unwrap().members = members;
    }
    pub fn add_comment(&self, body: &str) {
        let mut s = self.state.lock().unwrap();
        let id = 1000 + s.comments.len() as u64;
        s.comments.push(comment(id, body));
    }
    pub fn comments(&self) -> Vec<Value> {
        self.state.lock().unwrap().comments.clone()
    }
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }
    pub fn lines(&self) -> Vec<String> {
        self.requests().iter().map(Recorded::line).collect()
    }
    /// Every request body that did not match GitHub's schema.
    pub fn schema_errors(&self) -> Vec<String> {
        self.state.lock().unwrap().schema_errors.clone()
    }
}

/// A scripted answer.
pub fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Fault {
    Fault::Answer {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.into(),
    }
}

/// The spec's own example of a component (`components/examples/<name>`), as a template.
fn example(name: &str) -> Value {
    spec()["components"]["examples"][name]["value"].clone()
}

/// An issue comment: GitHub's documented example with our id and body.
fn comment(id: u64, body: &str) -> Value {
    let mut c = example("issue-comment");
    c["id"] = json!(id);
    c["body"] = json!(body);
    c["url"] = json!(format!("https://api.github.com/repos/o/r/issues/comments/{id}"));
    c
}

/// A check run: GitHub's documented example with the fields of the request.
fn check_run(id: u64, body: &Value) -> Value {
    let mut c = example("check-run-example-of-in-progress-conclusion");
    c["id"] = json!(id);
    for key in ["name", "head_sha", "status", "conclusion", "external_id"] {
        if let Some(v) = body.get(key) {
            c[key] = v.clone();
        }
    }
    c
}

/// Validates a response against the operation's documented 2xx schema. OpenAPI 3.0's
/// `nullable: true` is turned into JSON Schema's `null` type first.
pub fn validate_response(method: &str, path: &str, status: u16, value: &Value) -> Vec<String> {
    fn nullable(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.remove("nullable") == Some(Value::Bool(true)) {
                    if let Some(Value::Array(e)) = m.get_mut("enum") {
                        e.push(Value::Null);
                    }
                    match m.get("type").cloned() {
                        Some(Value::String(t)) => {
                            m.insert("type".into(), json!([t, "null"]));
                        }
                        _ => {
                            let inner = Value::Object(std::mem::take(m));
                            m.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                            return;
                        }
                    }
                }
                m.values_mut().for_each(nullable);
            }
            Value::Array(a) => a.iter_mut().for_each(nullable),
            _ => {}
        }
    }
    let Some(t) = template(path) else { return vec![format!("{path}: not in the spec")] };
    let op = &spec()["paths"][&t][method.to_ascii_lowercase()];
    let schema = &op["responses"][status.to_string()]["content"]["application/json"]["schema"];
    if schema.is_null() {
        return vec![format!("{method} {t}: no documented {status} body")];
    }
    let mut root = schema.clone();
    root["components"] = spec()["components"].clone();
    nullable(&mut root);
    let v = jsonschema::validator_for(&root).expect("schema compiles");
    v.iter_errors(value).map(|e| format!("{method} {t} {status}: {e} at {}", e.instance_path())).collect()
}

/// What the fake answers for `method path` with a request `body` (for response validation).
pub fn default_answer(method: &str, path: &str, body: &Value) -> (u16, Value) {
    let mut s = State { next_id: 1, ..Default::default() };
    s.comments.push(comment(7, "x"));
    s.pr_files = example("diff-entry-items").as_array().cloned().unwrap_or_default();
    s.reviews = example("pull-request-review-items").as_array().cloned().unwrap_or_default();
    s.members = example("team-member-items").as_array().cloned().unwrap_or_default();
    let (status, _, text) = route(&mut s, method, path, "", Some(body), "http://x");
    (status, serde_json::from_str(&text).unwrap())
}

fn param(query: &str, name: &str) -> Option<usize> {
    query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).and_then(|v| v.parse().ok())
}

/// One page of `items` and the `Link` header pointing at the next, like GitHub.
fn page(items: &[Value], query: &str, base: &str, path: &str) -> (String, Vec<(String, String)>) {
    let per = param(query, "per_page").unwrap_or(30).clamp(1, 100);
    let p = param(query, "page").unwrap_or(1).max(1);
    let chunk: Vec<Value> = items.iter().skip((p - 1) * per).take(per).cloned().collect();
    let mut headers = Vec::new();
    if p * per < items.len() {
        headers.push(("Link".to_string(), format!("<{base}{path}?per_page={per}&page={}>; rel=\"next\"", p + 1)));
    }
    (Value::Array(chunk).to_string(), headers)
}

fn serve(stream: TcpStream, state: &Mutex<State>, prefix: &str, base: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut length = 0;
    let mut authorization = None;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = v.trim().parse().unwrap_or(0),
                "authorization" => authorization = Some(v.trim().to_string()),
                _ => {}
            }
        }
    }
    let mut raw = vec![0; length];
    let _ = reader.read_exact(&mut raw);
    let body: Option<Value> = if length > 0 { serde_json::from_slice(&raw).ok() } else { None };
    let (full_path, query) = target.split_once('?').unwrap_or((&target, ""));
    let raw_text = String::from_utf8_lossy(&raw).into_owned();
    let (status, headers, text, fault) = {
        let mut s = state.lock().unwrap();
        let Some(path) = full_path.strip_prefix(prefix).map(str::to_string) else {
            drop(s);
            return respond(stream, 404, &[], r#"{"message":"Not Found (outside the API prefix)"}"#);
        };
        s.requests.push(Recorded {
            method: method.clone(),
            path: path.clone(),
            query: query.to_string(),
            body: body.clone(),
            authorization,
        });
        let errs = validate_request(&method, &path, body.as_ref());
        s.schema_errors.extend(errs);
        let matches = |x: &Scripted| {
            (x.method == method || x.method == "*")
                && (x.path == path || x.path == "*")
                && x.times > 0
                && x.body_contains.as_deref().is_none_or(|t| raw_text.contains(t))
        };
        let fault = s.scripted.iter().position(matches).map(|i| {
            s.scripted[i].times -= 1;
            s.scripted[i].fault.clone()
        });
        match fault {
            Some(Fault::Answer { status, headers, body }) => (status, headers, body, None),
            Some(Fault::Hang(_) | Fault::Close) => (0, vec![], String::new(), fault),
            other => {
                let (status, headers, text) = route(&mut s, &method, &path, query, body.as_ref(), base);
                (status, headers, text, other)
            }
        }
    };
    match fault {
        Some(Fault::Hang(d) | Fault::HangAfter(d)) => std::thread::sleep(d),
        Some(Fault::Close | Fault::CloseAfter) => {}
        Some(Fault::Malformed) => respond(stream, status, &[], "<html>502 Bad Gateway</html>"),
        Some(Fault::Truncated) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                text.len()
            );
            head.push_str(&text[..text.len() / 2]);
            let mut stream = stream;
            let _ = stream.write_all(head.as_bytes());
        }
        _ => {
            let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            respond(stream, status, &headers, &text);
        }
    }
}

fn route(
    s: &mut State,
    method: &str,
    path: &str,
    query: &str,
    body: Option<&Value>,
    base: &str,
) -> (u16, Vec<(String, String)>, String) {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let empty = json!({});
    let body = body.unwrap_or(&empty);
    match (method, segs.as_slice()) {
        ("POST", ["repos", _, _, "check-runs"]) => {
            let id = s.next_id;
            s.next_id += 1;
            let run = check_run(id, body);
            s.check_runs.push(run.clone());
            (201, vec![], run.to_string())
        }
        ("PATCH", ["repos", _, _, "check-runs", id]) => {
            let id: u64 = id.parse().unwrap_or(0);
            let run = match s.check_runs.iter_mut().find(|c| c["id"] == id) {
                Some(c) => {
                    for key in ["status", "conclusion"] {
                        if let Some(v) = body.get(key) {
                            c[key] = v.clone();
                        }
                    }
                    c.clone()
                }
                None => check_run(id, body),
            };
            (200, vec![], run.to_string())
        }
        ("GET", ["repos", _, _, "commits", sha, "check-runs"]) => {
            let name = query.split('&').find_map(|kv| kv.strip_prefix("check_name=")).map(percent_decode);
            let runs: Vec<Value> = s
                .check_runs
                .iter()
                .filter(|c| c["head_sha"] == *sha && name.as_ref().is_none_or(|n| c["name"] == *n))
                .cloned()
                .collect();
            (200, vec![], json!({"total_count": runs.len(), "check_runs": runs}).to_string())
        }
        ("GET", ["repos", _, _, "issues", _, "comments"]) => {
            let (t, h) = page(&s.comments, query, base, path);
            (200, h, t)
        }
        ("POST", ["repos", _, _, "issues", _, "comments"]) => {
            let id = 2000 + s.comments.len() as u64;
            let c = comment(id, body["body"].as_str().unwrap_or(""));
            s.comments.push(c.clone());
            (201, vec![], c.to_string())
        }
        ("PATCH", ["repos", _, _, "issues", "comments", id]) => {
            let id: u64 = id.parse().unwrap_or(0);
            match s.comments.iter_mut().find(|c| c["id"] == id) {
                Some(c) => {
                    c["body"] = body["body"].clone();
                    (200, vec![], c.to_string())
                }
                None => (404, vec![], r#"{"message":"Not Found"}"#.into()),
            }
        }
        ("GET", ["repos", _, _, "pulls", _, "files"]) => {
            // GitHub lists at most 3,000 files.
            let files: Vec<Value> = s.pr_files.iter().take(3000).cloned().collect();
            let (t, h) = page(&files, query, base, path);
            (200, h, t)
        }
        ("GET", ["repos", _, _, "pulls", _, "reviews"]) => {
            let (t, h) = page(&s.reviews, query, base, path);
            (200, h, t)
        }
        ("GET", ["orgs", _, "teams", _, "members"]) => {
            let (t, h) = page(&s.members, query, base, path);
            (200, h, t)
        }
        _ => (404, vec![], r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}"#.into()),
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn respond(mut stream: TcpStream, status: u16, headers: &[(&str, &str)], body: &str) {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}
