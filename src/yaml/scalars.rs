//! YAML 1.1 plain-scalar typing as PyYAML's safe loader does it (docs/proton-semantics.md §7.7):
//! `yes` is True, `0777` is octal, `1:30` is sexagesimal, dates stay text.

use super::{NodeValue, Notice, Pos};

/// A cursor over ASCII bytes for the YAML 1.1 resolver patterns (hand-written: compiling the
/// equivalent regexes costs more than all other start-up work in WebAssembly).
struct Scan<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Scan<'a> {
    fn new(s: &'a str) -> Self {
        Scan {
            s: s.as_bytes(),
            i: 0,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += hit as usize;
        hit
    }
    fn eat_if(&mut self, f: impl Fn(u8) -> bool) -> bool {
        let hit = self.peek().is_some_and(&f);
        self.i += hit as usize;
        hit
    }
    /// Eats a run of bytes matching `f`; returns its length.
    fn run(&mut self, f: impl Fn(u8) -> bool) -> usize {
        let start = self.i;
        while self.eat_if(&f) {}
        self.i - start
    }
    fn sign(&mut self) {
        let _ = self.eat(b'+') || self.eat(b'-');
    }
    fn done(&self) -> bool {
        self.i == self.s.len()
    }
    fn rest(&self) -> &'a [u8] {
        &self.s[self.i..]
    }
}

fn digit_(c: u8) -> bool {
    c.is_ascii_digit() || c == b'_'
}

/// `(?::[0-5]?[0-9])+` — base-60 groups; at least one.
fn sexagesimal_groups(sc: &mut Scan) -> bool {
    let mut groups = 0;
    while sc.eat(b':') {
        let start = sc.i;
        if sc.eat_if(|c| (b'0'..=b'5').contains(&c)) && sc.eat_if(|c| c.is_ascii_digit()) {
            groups += 1;
            continue;
        }
        sc.i = start;
        if !sc.eat_if(|c| c.is_ascii_digit()) {
            return false;
        }
        groups += 1;
    }
    groups > 0
}

/// PyYAML's int pattern.
fn is_yaml11_int(text: &str) -> bool {
    let mut sc = Scan::new(text);
    sc.sign();
    let rest = sc.rest();
    if rest.starts_with(b"0b") {
        sc.i += 2;
        return sc.run(|c| c == b'0' || c == b'1' || c == b'_') > 0 && sc.done();
    }
    if rest.starts_with(b"0x") {
        sc.i += 2;
        return sc.run(|c| c.is_ascii_hexdigit() || c == b'_') > 0 && sc.done();
    }
    if rest == b"0" {
        return true;
    }
    if sc.eat(b'0') {
        return sc.run(|c| (b'0'..=b'7').contains(&c) || c == b'_') > 0 && sc.done();
    }
    if !sc.eat_if(|c| (b'1'..=b'9').contains(&c)) {
        return false;
    }
    sc.run(digit_);
    sc.done() || (sexagesimal_groups(&mut sc) && sc.done())
}

/// `(?:[eE][-+][0-9]+)?`
fn exponent(sc: &mut Scan) -> bool {
    if sc.eat(b'e') || sc.eat(b'E') {
        return (sc.eat(b'-') || sc.eat(b'+')) && sc.run(|c| c.is_ascii_digit()) > 0;
    }
    true
}

/// PyYAML's float pattern.
fn is_yaml11_float(text: &str) -> bool {
    let b = text.as_bytes();
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = text.trim_start_matches(['+', '-']);
    if b.len() - unsigned.len() <= 1 && matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    // `\.[0-9][0-9_]*(exp)?` (no sign).
    let mut sc = Scan::new(text);
    if sc.eat(b'.') {
        return sc.eat_if(|c| c.is_ascii_digit()) && {
            sc.run(digit_);
            exponent(&mut sc) && sc.done()
        };
    }
    sc.sign();
    if !sc.eat_if(|c| c.is_ascii_digit()) {
        return false;
    }
    sc.run(digit_);
    let after_int = sc.i;
    // `[0-9][0-9_]*\.[0-9_]*(exp)?`
    if sc.eat(b'.') {
        sc.run(digit_);
        if exponent(&mut sc) && sc.done() {
            return true;
        }
    }
    // `[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`
    sc.i = after_int;
    if sexagesimal_groups(&mut sc) && sc.eat(b'.') {
        sc.run(digit_);
        return sc.done();
    }
    false
}

/// PyYAML's timestamp pattern.
fn is_yaml11_timestamp(text: &str) -> bool {
    let mut sc = Scan::new(text);
    let digits = |sc: &mut Scan, min: usize, max: usize| {
        let n = sc.run(|c| c.is_ascii_digit());
        (min..=max).contains(&n)
    };
    if !(digits(&mut sc, 4, 4) && sc.eat(b'-')) {
        return false;
    }
    let date_start = sc.i;
    if digits(&mut sc, 2, 2) && sc.eat(b'-') && digits(&mut sc, 2, 2) && sc.done() {
        return true;
    }
    sc.i = date_start;
    if !(digits(&mut sc, 1, 2) && sc.eat(b'-') && digits(&mut sc, 1, 2)) {
        return false;
    }
    if !(sc.eat(b'T') || sc.eat(b't') || sc.run(|c| c == b' ' || c == b'\t') > 0) {
        return false;
    }
    if !(digits(&mut sc, 1, 2)
        && sc.eat(b':')
        && digits(&mut sc, 2, 2)
        && sc.eat(b':')
        && digits(&mut sc, 2, 2))
    {
        return false;
    }
    if sc.eat(b'.') {
        sc.run(|c| c.is_ascii_digit());
    }
    if sc.done() {
        return true;
    }
    sc.run(|c| c == b' ' || c == b'\t');
    if sc.eat(b'Z') {
        return sc.done();
    }
    if !((sc.eat(b'+') || sc.eat(b'-')) && digits(&mut sc, 1, 2)) {
        return false;
    }
    if sc.eat(b':') && !digits(&mut sc, 2, 2) {
        return false;
    }
    sc.done()
}

/// Resolves a plain scalar as YAML 1.1 (PyYAML `SafeLoader`): bool, null, int (octal, hex,
/// binary, base 60, `_`), float, else string. Also returns a notice for readings that surprise.
pub fn resolve_plain(text: &str, pos: Pos) -> (NodeValue, Option<Notice>) {
    let surprising = |became: String| {
        Some(Notice::Surprising {
            text: text.to_string(),
            became,
            pos,
        })
    };
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return (NodeValue::Null, None);
    }
    if matches!(
        text,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    ) {
        let value = matches!(text.to_ascii_lowercase().as_str(), "yes" | "true" | "on");
        let notice = if matches!(text.to_ascii_lowercase().as_str(), "true" | "false") {
            None
        } else {
            surprising(if value { "True" } else { "False" }.into())
        };
        return (NodeValue::Bool(value), notice);
    }
    if is_yaml11_int(text) {
        if let Some(i) = parse_yaml11_int(text) {
            let plain_decimal = text
                .trim_start_matches(['+', '-'])
                .chars()
                .all(|c| c.is_ascii_digit())
                && !(text.trim_start_matches(['+', '-']).starts_with('0')
                    && text.trim_start_matches(['+', '-']).len() > 1);
            let notice = if plain_decimal {
                None
            } else {
                surprising(i.to_string())
            };
            return (NodeValue::Int(i), notice);
        }
        return (NodeValue::Str(text.to_string()), None);
    }
    if is_yaml11_float(text) {
        if let Some(f) = parse_yaml11_float(text) {
            let repr = crate::render::pyrepr::float_repr(f);
            let notice = if repr == text { None } else { surprising(repr) };
            return (NodeValue::Float(f), notice);
        }
    }
    if is_yaml11_timestamp(text) {
        return (
            NodeValue::Str(text.to_string()),
            Some(Notice::Date {
                text: text.to_string(),
                pos,
            }),
        );
    }
    (NodeValue::Str(text.to_string()), None)
}

fn parse_yaml11_int(text: &str) -> Option<i64> {
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    let (sign, digits) = match cleaned.as_bytes().first() {
        Some(b'-') => (-1i64, &cleaned[1..]),
        Some(b'+') => (1, &cleaned[1..]),
        _ => (1, cleaned.as_str()),
    };
    let magnitude = if digits == "0" {
        0
    } else if let Some(b) = digits.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()?
    } else if let Some(h) = digits.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if digits.starts_with('0') {
        i64::from_str_radix(digits, 8).ok()?
    } else if digits.contains(':') {
        sexagesimal(digits)? as i64
    } else {
        digits.parse().ok()?
    };
    magnitude.checked_mul(sign)
}

fn sexagesimal(digits: &str) -> Option<f64> {
    let mut value = 0f64;
    for part in digits.split(':') {
        value = value * 60.0 + part.parse::<f64>().ok()?;
    }
    Some(value)
}

fn parse_yaml11_float(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let (sign, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (-1.0, &cleaned[1..]),
        Some(b'+') => (1.0, &cleaned[1..]),
        _ => (1.0, cleaned.as_str()),
    };
    let magnitude = match body {
        ".inf" => f64::INFINITY,
        ".nan" => return Some(f64::NAN),
        b if b.contains(':') => sexagesimal(b)?,
        b => b.parse::<f64>().ok()?,
    };
    Some(sign * magnitude)
}

/// Whether a string must be quoted to survive a YAML 1.1 round trip (used when writing specs).
pub fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    if !matches!(resolve_plain(s, Pos::default()).0, NodeValue::Str(_)) {
        return true;
    }
    if is_yaml11_timestamp(s) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control() || c == '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(text: &str) -> NodeValue {
        resolve_plain(text, Pos::default()).0
    }

    #[test]
    fn yaml11_scalars_follow_pyyaml() {
        assert_eq!(scalar("yes"), NodeValue::Bool(true));
        assert_eq!(scalar("No"), NodeValue::Bool(false));
        assert_eq!(scalar("ON"), NodeValue::Bool(true));
        assert_eq!(scalar("FALSE"), NodeValue::Bool(false));
        for s in ["y", "n", "tRue", "None", "1e5", "1.0e5", "08", "0o17"] {
            assert_eq!(scalar(s), NodeValue::Str(s.into()), "{s}");
        }
        for s in ["null", "Null", "NULL", "~", ""] {
            assert_eq!(scalar(s), NodeValue::Null);
        }
        assert_eq!(scalar("0777"), NodeValue::Int(511));
        assert_eq!(scalar("010"), NodeValue::Int(8));
        assert_eq!(scalar("0x1F"), NodeValue::Int(31));
        assert_eq!(scalar("0b101"), NodeValue::Int(5));
        assert_eq!(scalar("1_000"), NodeValue::Int(1000));
        assert_eq!(scalar("+1"), NodeValue::Int(1));
        assert_eq!(scalar("1:30"), NodeValue::Int(90));
        assert_eq!(scalar("3.10"), NodeValue::Float(3.1));
        assert_eq!(scalar("5."), NodeValue::Float(5.0));
        assert_eq!(scalar(".5"), NodeValue::Float(0.5));
        assert_eq!(scalar("1.0e+5"), NodeValue::Float(100000.0));
        assert_eq!(scalar(".inf"), NodeValue::Float(f64::INFINITY));
        assert_eq!(scalar("2020-01-01"), NodeValue::Str("2020-01-01".into()));
        assert!(is_yaml11_timestamp("2001-12-14t21:59:43.10-05:00"));
        assert!(is_yaml11_timestamp("2001-12-14 21:59:43.10 -5"));
        assert!(!is_yaml11_timestamp("2001-12-1"));
        for s in ["1.0e5", "1e5", "+.5", "1.0e", "..5", "1:60.0"] {
            assert!(!is_yaml11_float(s), "{s}");
        }
        for s in ["1.", "-1.5e+3", "1_0.0_1", "190:20:30.15", "+.inf", ".NaN"] {
            assert!(is_yaml11_float(s), "{s}");
        }
        for s in ["1__0", "0o7", "0b", "1:", "-0x_1F"] {
            assert_eq!(is_yaml11_int(s), s == "-0x_1F" || s == "1__0", "{s}");
        }
    }
}
