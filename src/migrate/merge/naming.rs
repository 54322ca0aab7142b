//! Parameter and condition names after what an expression reads.

use super::Seg;
use crate::migrate::trace::unmarked;

pub(super) const KEYWORDS: [&str; 12] = [
    "if", "else", "not", "and", "or", "in", "is", "true", "false", "none", "True", "False",
];

/// A parameter name after what an expression reads: `environment.inputs.vpc_cidr` → `VpcCidr`,
/// `service.name` → `ServiceName`, `environment.outputs.VpcId | lower` → `VpcIdLower`.
pub fn name_of(expression: &str) -> String {
    let mut path = String::new();
    let mut filters = Vec::new();
    let mut chars = expression.chars().peekable();
    let mut in_string: Option<char> = None;
    let mut after_pipe = false;
    let mut word = String::new();
    let mut collecting_path = true;
    while let Some(c) = chars.next() {
        if let Some(q) = in_string {
            if c == q {
                in_string = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                // `x['key']` reads key `key`.
                if collecting_path && path.ends_with('[') {
                    let key: String = chars.by_ref().take_while(|&ch| ch != c).collect();
                    path.pop();
                    path.push('.');
                    path.push_str(&key);
                    if chars.peek() == Some(&']') {
                        chars.next();
                    }
                } else {
                    in_string = Some(c);
                }
            }
            c if c.is_alphanumeric() || c == '_' => word.push(c),
            _ => {
                if KEYWORDS.contains(&word.as_str()) {
                    // `a if b else c`, `not x`: keywords end a path and are no part of a name.
                    word.clear();
                    collecting_path = path.is_empty();
                }
                if c == '('
                    && !word.is_empty()
                    && !after_pipe
                    && collecting_path
                    && !path.contains('.')
                {
                    // A function call (`range(…)`): the name comes from its arguments.
                    word.clear();
                    path.clear();
                }
                if path.is_empty() && word.starts_with(|c: char| c.is_ascii_digit()) {
                    word.clear(); // a number, not a name
                }
                if !word.is_empty() {
                    if after_pipe {
                        filters.push(std::mem::take(&mut word));
                        after_pipe = false;
                    } else if collecting_path {
                        path.push_str(&std::mem::take(&mut word));
                    } else {
                        word.clear();
                    }
                }
                match c {
                    '.' if collecting_path && !path.is_empty() => path.push('.'),
                    '[' if collecting_path && !path.is_empty() => path.push('['),
                    '|' => {
                        after_pipe = true;
                        collecting_path = false;
                    }
                    c if c.is_whitespace() => {}
                    _ => collecting_path = path.is_empty(),
                }
            }
        }
    }
    if !word.is_empty() && !KEYWORDS.contains(&word.as_str()) {
        if after_pipe {
            filters.push(word);
        } else if collecting_path {
            path.push_str(&word);
        }
    }
    let segments: Vec<&str> = path.split(['.', '[']).filter(|s| !s.is_empty()).collect();
    let from = segments
        .iter()
        .rposition(|s| matches!(*s, "inputs" | "outputs"))
        .map_or(0, |i| i + 1);
    let mut name: String = segments[from.min(segments.len())..]
        .iter()
        .map(|s| pascal(s))
        .collect();
    for filter in filters.iter().filter(|f| f.as_str() != "default") {
        name.push_str(&pascal(filter));
    }
    if name.is_empty() {
        "Value".to_string()
    } else {
        name
    }
}

/// A name after a place in the template: `Resources.Bucket.Properties.Versioning.Status` →
/// `BucketStatus`.
pub(super) fn path_name(path: &[Seg]) -> String {
    let keys: Vec<String> = path.iter().filter_map(|s| s.key().map(unmarked)).collect();
    let owner = match keys.first().map(String::as_str) {
        Some("Resources" | "Outputs" | "Conditions") => keys.get(1).cloned(),
        _ => None,
    };
    let last = keys
        .iter()
        .rev()
        .find(|k| !k.starts_with("Fn::") && *k != "Ref")
        .cloned();
    let name = format!(
        "{}{}",
        owner.clone().unwrap_or_default(),
        last.filter(|l| Some(l) != owner.as_ref())
            .unwrap_or_default()
    );
    if name.is_empty() {
        "Value".into()
    } else {
        pascal(&name)
    }
}

pub(super) fn pascal(word: &str) -> String {
    word.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|f| f.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// `base`, or `base2`, `base3`… the first that `taken` does not hold.
pub fn numbered(base: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}{n}")
            }
        })
        .find(|n| !taken(n))
        .expect("a free name")
}

/// Letters and digits only, starting with a letter, at most 255 characters (CloudFormation's
/// rule for logical IDs).
pub(super) fn sanitize(name: &str) -> String {
    let mut out: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(240)
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'P');
    }
    out
}
