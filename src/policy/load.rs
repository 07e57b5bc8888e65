//! Reading a policy: syntax and key checks per section (so every problem is listed at once, each
//! with file:line:col) against the typed model `P`, and `extends` merging.

use crate::core::error::suggest_from_message;
use crate::core::{PolicyError, PolicyErrors, Seg};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Reads a policy file by its repository path from wherever the policy comes from (a commit or
/// the worktree). `Ok(None)` means the file does not exist there.
pub type PolicyReader<'a> = &'a dyn Fn(&str) -> Result<Option<Vec<u8>>, String>;

/// How deep `extends` chains may go; deeper is almost certainly a mistake.
const MAX_EXTENDS: usize = 8;

/// The policy files as read: `(path, text)` of the policy, then each file it extends, and
/// their tables merged (the repository's over the ones it extends; `extends` removed).
#[derive(Debug, Clone)]
pub struct Sources {
    pub files: Vec<(String, String)>,
    pub merged: toml::Table,
}

/// Reads the policy at `path` and every file it extends through `read`; every top-level
/// section is checked against the typed model `P` on its own.
pub fn read_sources<P: DeserializeOwned>(read: PolicyReader<'_>, path: &str) -> Result<Sources, PolicyErrors> {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut tables: Vec<toml::Table> = Vec::new();
    let mut errors = Vec::new();
    let mut next = Some(crate::repo::confine(path).map_err(|e| one(PolicyError::in_file(path, e.to_string())))?);
    while let Some(current) = next.take() {
        if files.iter().any(|(p, _)| *p == current) {
            errors.push(PolicyError::in_file(&current, "`extends` forms a cycle"));
            break;
        }
        if files.len() > MAX_EXTENDS {
            errors.push(PolicyError::in_file(&current, format!("`extends` chain is deeper than {MAX_EXTENDS} files")));
            break;
        }
        let bytes = match read(&current) {
            Ok(Some(b)) => b,
            Ok(None) => {
                let msg = if files.is_empty() {
                    "policy file not found".to_string()
                } else {
                    format!("extended by `{}` but not found", files.last().map(|f| f.0.as_str()).unwrap_or(""))
                };
                errors.push(PolicyError::in_file(&current, msg));
                break;
            }
            Err(e) => {
                errors.push(PolicyError::in_file(&current, e));
                break;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            errors.push(PolicyError::in_file(&current, "policy is not valid UTF-8"));
            break;
        };
        if let Some(table) = check_file::<P>(&current, &text, &mut errors) {
            if let Some(ext) = table.get("extends").and_then(|v| v.as_str()) {
                match resolve_extends(&current, ext) {
                    Ok(p) => next = Some(p),
                    Err(msg) => errors.push(locate(PolicyError::at(vec!["extends".into()], msg), &current, &text)),
                }
            }
            tables.push(table);
        }
        files.push((current, text));
    }
    if !errors.is_empty() {
        return Err(in_order(errors));
    }
    let mut merged = toml::Table::new();
    for table in tables.into_iter().rev() {
        merge(&mut merged, table);
    }
    merged.remove("extends");
    Ok(Sources { files, merged })
}

/// Problems in the order they appear in the files, so the list reads top to bottom.
pub fn in_order(mut errors: Vec<PolicyError>) -> PolicyErrors {
    errors.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    PolicyErrors(errors)
}

pub fn one(e: PolicyError) -> PolicyErrors {
    PolicyErrors(vec![e])
}

/// `extends` is relative to the file that holds it and must stay inside the repository.
fn resolve_extends(current: &str, ext: &str) -> Result<String, String> {
    let dir = current.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = if dir.is_empty() { ext.to_string() } else { format!("{dir}/{ext}") };
    // Resolve `..` lexically, then confine.
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{ext}` points outside the repository"));
                }
            }
            p => parts.push(p),
        }
    }
    crate::repo::confine(&parts.join("/")).map_err(|e| e.to_string())
}

/// Parses one file and deserialises each top-level entry on its own, so one bad section does
/// not hide the problems of the next. Returns the plain table when the file is sound.
fn check_file<P: DeserializeOwned>(file: &str, text: &str, errors: &mut Vec<PolicyError>) -> Option<toml::Table> {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        errors.extend(syntax.into_iter().map(|e| from_toml_error(file, text, &e)));
        return None;
    }
    let before = errors.len();
    for (key, value) in root.get_ref().iter() {
        let mut single = DeTable::new();
        single.insert(key.clone(), value.clone());
        let de = toml::de::Deserializer::from(Spanned::new(root.span(), single));
        if let Err(e) = P::deserialize(de) {
            errors.push(from_toml_error(file, text, &e));
        }
    }
    if errors.len() > before {
        return None;
    }
    match toml::from_str::<toml::Table>(text) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(from_toml_error(file, text, &e));
            None
        }
    }
}

fn from_toml_error(file: &str, text: &str, e: &toml::de::Error) -> PolicyError {
    let message = e.message().trim().to_string();
    let suggestion = suggest_from_message(&message);
    let err = PolicyError::in_file(file, message).with_suggestion(suggestion);
    match e.span() {
        Some(span) => err.with_span(file, text, span),
        None => err,
    }
}

/// sha256 of a value's canonical JSON, as `sha256:<hex>`.
pub fn digest(value: &impl serde::Serialize) -> String {
    let canonical = serde_json::to_vec(value).expect("policy serialises");
    format!("sha256:{}", crate::core::finding::hex(&Sha256::digest(&canonical)))
}

/// Tables merge key by key; arrays of tables (`[[waivers]]`, rule lists) are concatenated, the
/// extended file's first; any other value of the repository replaces the extended one.
fn merge(into: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (into.get_mut(&k), v) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (Some(toml::Value::Array(a)), toml::Value::Array(b))
                if b.iter().all(toml::Value::is_table) && a.iter().all(toml::Value::is_table) =>
            {
                a.extend(b)
            }
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// Gives an error built from a key path its file, line and column: the first file (the
/// repository's, then the extended ones) that has the key.
pub fn place(e: PolicyError, files: &[(String, String)]) -> PolicyError {
    if !e.file.is_empty() {
        return e;
    }
    for (name, text) in files {
        if find_span(text, &e.key).is_some() {
            return locate(e, name, text);
        }
    }
    let main = &files[0];
    PolicyError { file: main.0.clone(), ..e }
}

fn locate(e: PolicyError, file: &str, text: &str) -> PolicyError {
    match find_span(text, &e.key) {
        Some(span) => e.with_span(file, text, span),
        None => PolicyError { file: file.to_string(), ..e },
    }
}

/// The span of the value at `path`, when the text has it.
fn find_span(text: &str, path: &[Seg]) -> Option<std::ops::Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    let mut table = Some(root.get_ref());
    let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
    for seg in path {
        value = match seg {
            Seg::Key(k) => table?.iter().find(|(key, _)| key.get_ref().as_ref() == k.as_str()).map(|(_, v)| v),
            Seg::Index(i) => array?.get(*i),
        };
        let v = value?;
        table = v.get_ref().as_table();
        array = match v.get_ref() {
            DeValue::Array(a) => Some(a),
            _ => None,
        };
    }
    value.map(Spanned::span)
}
