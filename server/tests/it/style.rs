//! The stylesheet's own rules, checked on the files under `style/`: every
//! colour is written once, as a token in `tokens.css`, and the partials use
//! `var(--c-...)`; `main.css` imports every partial and nothing else; every
//! token used is defined. Plain text checks, no CSS parser: comments and
//! quoted strings are blanked first, so `#` in a selector, a comment or a
//! `content` string is not a colour.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The one file that may hold raw colours.
const TOKENS: &str = "tokens.css";
/// The entry cargo-leptos bundles (`style-file` in the workspace Cargo.toml).
const ENTRY: &str = "main.css";

/// Colour functions, by whitespace: a value calling one is a raw colour.
const COLOUR_FUNCTIONS: &str =
    "rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix light-dark";

/// The CSS named colours, by whitespace. `transparent` and `currentcolor`
/// are allowed: they are no theme colour.
const NAMED_COLOURS: &str =
    "aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
    crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
    darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
    dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite
    gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
    lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
    lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
    lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
    magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
    mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
    mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
    palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
    powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
    seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
    steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
    yellowgreen";

/// The stylesheet's folder.
fn style_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../style"))
}

/// Every `.css` file under `style/`, by name, with its text.
fn css_files() -> Vec<(String, String)> {
    let dir = style_dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.expect("an entry of the style folder").path();
        if path.extension().is_some_and(|e| e == "css") {
            files.push((file_name(&path), read(&path)));
        }
    }
    files.sort();
    assert!(
        files.iter().any(|(name, _)| name == ENTRY),
        "no style/{ENTRY}"
    );
    assert!(
        files.iter().any(|(name, _)| name == TOKENS),
        "no style/{TOKENS}"
    );
    files
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The text with every comment, and with `strings` every quoted string too,
/// replaced by spaces; newlines are kept, so line numbers still hold.
fn blanked(css: &str, strings: bool) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            out.push_str("  ");
            let mut star = false;
            for d in chars.by_ref() {
                out.push(if d == '\n' { '\n' } else { ' ' });
                if star && d == '/' {
                    break;
                }
                star = d == '*';
            }
        } else if strings && (c == '"' || c == '\'') {
            out.push(' ');
            let mut escaped = false;
            for d in chars.by_ref() {
                out.push(if d == '\n' { '\n' } else { ' ' });
                if escaped {
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == c {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One declaration, `property: value`, of a blanked stylesheet.
struct Declaration {
    /// The line the property name is on, from 1.
    line: usize,
    property: String,
    /// The text after the colon, untrimmed, so its newlines still count.
    value: String,
    /// Inside an `@page` rule (or a margin box in one).
    in_page: bool,
}

impl Declaration {
    /// The line of a byte offset in the value.
    fn line_at(&self, offset: usize) -> usize {
        self.line + self.value[..offset].matches('\n').count()
    }
}

/// Every declaration of a blanked stylesheet: the text between `{`, `;` and
/// `}` that has a colon and is no at-rule; the text before a `{` is a
/// selector or an at-rule's prelude and is skipped.
fn declarations(code: &str) -> Vec<Declaration> {
    let mut out = Vec::new();
    // For each open block: whether it is, or sits in, an @page rule.
    let mut blocks: Vec<bool> = Vec::new();
    let mut segment = String::new();
    let mut line = 1;
    let mut start = 1;
    for c in code.chars() {
        if c == '{' || c == '}' || c == ';' {
            let text = segment.trim_start();
            let in_page = blocks.last().copied().unwrap_or(false);
            if c == '{' {
                blocks.push(in_page || text.starts_with("@page"));
            } else if !text.starts_with('@') {
                if let Some((property, value)) = text.split_once(':') {
                    out.push(Declaration {
                        line: start,
                        property: property.trim().to_string(),
                        value: value.to_string(),
                        in_page,
                    });
                }
            }
            if c == '}' {
                blocks.pop();
            }
            segment.clear();
        } else {
            if !c.is_whitespace() && segment.trim().is_empty() {
                start = line;
            }
            segment.push(c);
        }
        if c == '\n' {
            line += 1;
        }
    }
    out
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80
}

/// The raw colours in a value, with their byte offsets: a `#hex`, a call of
/// a colour function, or a named colour as a whole word (so `--c-gold` and
/// `white-space` are not `gold` and `white`).
fn raw_colours(value: &str) -> Vec<(usize, String)> {
    let lower = value.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'#' {
            let digits = bytes[i + 1..]
                .iter()
                .take_while(|d| d.is_ascii_hexdigit())
                .count();
            let end = i + 1 + digits;
            let whole = end == bytes.len() || !is_ident_byte(bytes[end]);
            if matches!(digits, 3 | 4 | 6 | 8) && whole {
                found.push((i, lower[i..end].to_string()));
            }
            i = end;
        } else if is_ident_byte(b)
            && !b.is_ascii_digit()
            && (i == 0 || !is_ident_byte(bytes[i - 1]))
        {
            let len = bytes[i..].iter().take_while(|d| is_ident_byte(**d)).count();
            let word = &lower[i..i + len];
            let call = bytes.get(i + len) == Some(&b'(');
            let list = if call {
                COLOUR_FUNCTIONS
            } else {
                NAMED_COLOURS
            };
            if list.split_whitespace().any(|colour| colour == word) {
                found.push((i, word.to_string()));
            }
            i += len;
        } else {
            i += 1;
        }
    }
    found
}

/// The files named by the `@import`s of the entry, with their lines.
fn imports(entry: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in blanked(entry, false).lines().enumerate() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("@import") else {
            continue;
        };
        let rest = rest.trim();
        let rest = rest.strip_prefix("url(").unwrap_or(rest);
        let name: String = rest
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| !matches!(*c, '"' | '\'' | ')' | ';' | ' '))
            .collect();
        out.push((n + 1, name));
    }
    out
}

/// Every `var(--name` in a blanked stylesheet: the name and its line.
fn vars_used(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("var(") {
            rest = rest[at + 4..].trim_start();
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            out.push((n + 1, name));
        }
    }
    out
}

#[test]
fn no_raw_colour_outside_the_tokens() {
    let mut found = Vec::new();
    for (name, text) in css_files() {
        if name == TOKENS {
            continue;
        }
        for decl in declarations(&blanked(&text, true)) {
            // Custom properties are not reliably inherited into the page
            // context, so an @page rule keeps its raw values.
            if decl.in_page {
                continue;
            }
            for (offset, colour) in raw_colours(&decl.value) {
                found.push(format!(
                    "style/{name}:{}: {}: {colour}",
                    decl.line_at(offset),
                    decl.property
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "raw colours outside style/{TOKENS}; add a token there and use var(--c-...):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_partial_is_imported_by_the_entry() {
    let files = css_files();
    let names: BTreeSet<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let entry = &files
        .iter()
        .find(|(name, _)| name == ENTRY)
        .expect("the entry")
        .1;
    let mut problems = Vec::new();
    let mut imported = BTreeSet::new();
    for (line, name) in imports(entry) {
        if !names.contains(name.as_str()) {
            problems.push(format!(
                "style/{ENTRY}:{line}: imports {name:?}, which is no file in style/"
            ));
        }
        if !imported.insert(name.clone()) {
            problems.push(format!(
                "style/{ENTRY}:{line}: imports {name:?} a second time"
            ));
        }
    }
    for name in &names {
        if *name != ENTRY && !imported.contains(*name) {
            problems.push(format!("style/{name} is not imported by style/{ENTRY}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_entry_holds_only_imports() {
    // Lightning CSS refuses an @import after any other rule, and the order
    // of the imports is the cascade: rules belong in a partial.
    let entry = read(&style_dir().join(ENTRY));
    let others: Vec<String> = blanked(&entry, false)
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim().starts_with("@import"))
        .map(|(n, line)| format!("style/{ENTRY}:{}: {}", n + 1, line.trim()))
        .collect();
    assert!(
        others.is_empty(),
        "more than @import lines:\n{}",
        others.join("\n")
    );
}

#[test]
fn every_token_used_is_defined() {
    let files = css_files();
    let tokens = &files
        .iter()
        .find(|(name, _)| name == TOKENS)
        .expect("the tokens")
        .1;
    let defined: BTreeSet<String> = declarations(&blanked(tokens, true))
        .into_iter()
        .map(|decl| decl.property)
        .filter(|property| property.starts_with("--"))
        .collect();
    assert!(!defined.is_empty(), "no custom property in style/{TOKENS}");
    let mut undefined = Vec::new();
    for (name, text) in &files {
        for (line, token) in vars_used(&blanked(text, true)) {
            if !defined.contains(&token) {
                undefined.push(format!(
                    "style/{name}:{line}: var({token}) is not defined in style/{TOKENS}"
                ));
            }
        }
    }
    assert!(undefined.is_empty(), "{}", undefined.join("\n"));
}
