//! Every server function of the app, found at test time: the registry of
//! server_fn (each `#[server]` registers itself) says which exist, and the
//! source of `app/src/api` says what arguments each takes, so suites over
//! all of them (bad input, authorization) cover a new one without being told.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use http::Method;

/// Every registered server function: its path (`/api/...`) and method,
/// sorted by path.
pub fn all_server_fns() -> Vec<(String, Method)> {
    let mut fns: Vec<(String, Method)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_string(), method))
        .collect();
    fns.sort_by(|a, b| a.0.cmp(&b.0));
    fns
}

/// How a server function reads its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// `input = GetUrl`: a query string.
    GetUrl,
    /// The default: a form-urlencoded POST body.
    PostUrl,
    /// `input = Json`: a JSON object of the arguments.
    Json,
    /// `input = MultipartFormData`: a multipart form.
    Multipart,
}

/// A server function as its source declares it.
#[derive(Debug, Clone)]
pub struct Signature {
    /// The path it is served at, `/api/<endpoint>`.
    pub path: String,
    /// The Rust name of the function.
    pub name: String,
    pub input: Input,
    /// Argument names and their types as written.
    pub args: Vec<(String, String)>,
}

/// The app's source folder.
fn app_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Splits `a: A, b: Vec<(B, C)>` at the commas outside brackets.
fn split_top(s: &str) -> Vec<String> {
    let (mut depth, mut cur, mut out) = (0i32, String::new(), Vec::new());
    for c in s.chars() {
        match c {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' | ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `name: Type` pairs of a parameter or field list, attributes and
/// comments dropped.
fn pairs(list: &str) -> Vec<(String, String)> {
    let cleaned: String = list
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.starts_with("//") && !l.starts_with("#["))
        .collect::<Vec<_>>()
        .join(" ");
    split_top(&cleaned)
        .into_iter()
        .filter_map(|p| {
            let (name, ty) = p.split_once(':')?;
            let name = name.trim().trim_start_matches("pub ").trim();
            let name = name.trim_start_matches("mut ").trim();
            Some((name.to_string(), ty.trim().to_string()))
        })
        .collect()
}

/// Every `#[server]` function declared under `app/src`.
pub fn signatures() -> Vec<Signature> {
    let mut files = Vec::new();
    rust_files(&app_src(), &mut files);
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("#[server(") {
            rest = &rest[at..];
            let attr_end = rest.find(")]").unwrap();
            let attr = &rest[..attr_end];
            let endpoint = attr
                .split("endpoint = \"")
                .nth(1)
                .and_then(|e| e.split('"').next())
                .unwrap_or_else(|| panic!("a server function without endpoint in {file:?}"));
            let input = match attr
                .split("input = ")
                .nth(1)
                .map(|i| i.split(|c: char| !c.is_alphanumeric()).next().unwrap_or(""))
            {
                Some("GetUrl") => Input::GetUrl,
                Some("Json") => Input::Json,
                Some("MultipartFormData") => Input::Multipart,
                None => Input::PostUrl,
                Some(other) => panic!("input encoding {other} of {endpoint} is not covered"),
            };
            let fn_at = rest.find("pub async fn ").unwrap() + "pub async fn ".len();
            let after = &rest[fn_at..];
            let open = after.find('(').unwrap();
            let name = after[..open].trim().to_string();
            // The parameter list ends at the `)` that closes the first `(`.
            let (mut depth, mut close) = (0, 0);
            for (i, c) in after[open..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            close = open + i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            out.push(Signature {
                path: format!("/api/{endpoint}"),
                name,
                input,
                args: pairs(&after[open + 1..close]),
            });
            rest = &after[close..];
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// What a type named in an argument list is made of.
#[derive(Debug, Clone)]
pub enum Shape {
    /// A struct with named fields.
    Struct(Vec<(String, String)>),
    /// An enum; its first unit variant.
    Enum(String),
}

/// The structs and enums declared under `app/src`, by name.
pub fn shapes() -> HashMap<String, Shape> {
    let mut files = Vec::new();
    rust_files(&app_src(), &mut files);
    let mut out = HashMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (kw, is_struct) in [("pub struct ", true), ("pub enum ", false)] {
            let mut rest = text.as_str();
            while let Some(at) = rest.find(kw) {
                rest = &rest[at + kw.len()..];
                let name_end = rest
                    .find(|c: char| !c.is_alphanumeric() && c != '_')
                    .unwrap_or(rest.len());
                let name = rest[..name_end].to_string();
                let after = rest[name_end..].trim_start();
                if !after.starts_with('{') {
                    continue;
                }
                let body_end = matching_brace(after);
                let body = &after[1..body_end];
                let shape = if is_struct {
                    Shape::Struct(pairs(body))
                } else {
                    let first = body
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#["))
                        .map(|l| {
                            l.trim_end_matches(',')
                                .split(|c: char| !c.is_alphanumeric() && c != '_')
                                .next()
                                .unwrap_or("")
                                .to_string()
                        })
                        .next()
                        .unwrap_or_default();
                    Shape::Enum(first)
                };
                out.entry(name).or_insert(shape);
            }
        }
    }
    out
}

/// The index of the `}` that closes the `{` at the start of `s`.
fn matching_brace(s: &str) -> usize {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    s.len()
}
