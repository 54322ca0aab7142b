//! From a merge path to the node and text it came from.

use super::Seg;
use crate::migrate::trace::unmarked;
use crate::yaml::Node;

/// The node at `path` (or the deepest one on the way); long-form keys of tagged nodes are
/// skipped.
pub(super) fn node_at<'n>(node: &'n Node, path: &[Seg]) -> &'n Node {
    let mut current = node;
    let mut key_of_current: Option<&Node> = None;
    let mut tag_pending = current.tag.is_some();
    for seg in path {
        if tag_pending {
            tag_pending = false;
            if matches!(seg, Seg::Key(k) if k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
            {
                continue;
            }
        }
        let next = match seg {
            Seg::Key(k) => current
                .as_map()
                .and_then(|m| m.iter().find(|(key, _)| key.key_text() == unmarked(k)))
                .map(|(key, value)| (Some(key), value)),
            Seg::Index(i) => current.as_seq().and_then(|s| s.get(*i)).map(|v| (None, v)),
        };
        match next {
            Some((key, n)) => {
                current = n;
                key_of_current = key;
                tag_pending = current.tag.is_some();
            }
            None => break,
        }
    }
    // A mapping entry whose value is a structure starts at its key.
    match key_of_current {
        Some(key)
            if current.as_map().is_some()
                || current.as_seq().is_some()
                || current.pos.line == 0 =>
        {
            key
        }
        _ => current,
    }
}

/// Byte offset of a 1-based line and character column.
pub(super) fn text_offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let rest = &text[start..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}
