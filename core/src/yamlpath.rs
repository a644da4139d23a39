//! A position index of one YAML document: which byte range holds the value at a field path such as
//! `spec.resourceSelectors[0].name`. Only structure is read (block and flow mappings and sequences, scalars);
//! values are parsed by serde elsewhere. Anything it cannot follow yields `None`, never a panic.

use std::ops::Range;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Parses `spec.resourceSelectors[0].name` into segments.
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            let key = rest.get(..i).unwrap_or("");
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_string()));
            }
            rest = rest.get(i..).unwrap_or("");
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else { break };
                if let Ok(n) = stripped.get(..end).unwrap_or("").parse() {
                    segs.push(Seg::Index(n));
                }
                rest = stripped.get(end + 1..).unwrap_or("");
            }
        } else {
            segs.push(Seg::Key(rest.to_string()));
        }
    }
    segs
}

/// A node of the structure index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A mapping: entries (key, key range, value) and the whole range.
    Map(Vec<(String, Range<usize>, Node)>, Range<usize>),
    /// A sequence: items and the whole range.
    Seq(Vec<Node>, Range<usize>),
    /// A scalar (or anything not indexed further).
    Scalar(Range<usize>),
}

impl Node {
    /// The byte range of the node.
    pub fn range(&self) -> Range<usize> {
        match self {
            Node::Map(_, r) | Node::Seq(_, r) | Node::Scalar(r) => r.clone(),
        }
    }

    /// The first key that repeats within one mapping (depth-first): its name and the range of the repetition.
    pub fn duplicate_key(&self) -> Option<(String, Range<usize>)> {
        match self {
            Node::Map(entries, _) => {
                for (i, (k, kr, _)) in entries.iter().enumerate() {
                    if entries.iter().take(i).any(|(other, _, _)| other == k) {
                        return Some((k.clone(), kr.clone()));
                    }
                }
                entries.iter().find_map(|(_, _, v)| v.duplicate_key())
            }
            Node::Seq(items, _) => items.iter().find_map(Node::duplicate_key),
            Node::Scalar(_) => None,
        }
    }

    /// The first mapping key named `name` (depth-first), as a key range.
    pub fn find_key(&self, name: &str) -> Option<Range<usize>> {
        match self {
            Node::Map(entries, _) => {
                entries.iter().find_map(|(k, kr, v)| if k == name { Some(kr.clone()) } else { v.find_key(name) })
            }
            Node::Seq(items, _) => items.iter().find_map(|v| v.find_key(name)),
            Node::Scalar(_) => None,
        }
    }

    /// The first scalar whose text in `src` is `text` (quotes ignored), as a `key: value` range for mapping values.
    pub fn find_scalar(&self, src: &str, text: &str) -> Option<Range<usize>> {
        let is =
            |r: &Range<usize>| src.get(r.clone()).is_some_and(|s| s.trim_matches(|c| c == '"' || c == '\'') == text);
        match self {
            Node::Map(entries, _) => entries.iter().find_map(|(_, kr, v)| match v {
                Node::Scalar(r) if is(r) => Some(kr.start..r.end),
                other => other.find_scalar(src, text),
            }),
            Node::Seq(items, _) => items.iter().find_map(|v| v.find_scalar(src, text)),
            Node::Scalar(r) if is(r) => Some(r.clone()),
            Node::Scalar(_) => None,
        }
    }

    /// The range of the value at `path`, or of its deepest existing ancestor (and whether it was found exactly).
    pub fn locate(&self, path: &[Seg]) -> (Range<usize>, bool) {
        let mut node = self;
        let mut key_range: Option<Range<usize>> = None;
        for seg in path {
            let next = match (seg, node) {
                (Seg::Key(k), Node::Map(entries, _)) => {
                    entries.iter().find(|(name, _, _)| name == k).map(|(_, kr, v)| (Some(kr.clone()), v))
                }
                (Seg::Index(i), Node::Seq(items, _)) => items.get(*i).map(|v| (None, v)),
                _ => None,
            };
            match next {
                Some((kr, v)) => {
                    key_range = kr;
                    node = v;
                }
                None => return (key_range.unwrap_or_else(|| node.range()), false),
            }
        }
        // Point at `key: value` for scalars (the key is what the user reads), at the node otherwise.
        match (node, key_range) {
            (Node::Scalar(v), Some(k)) if v.end >= k.start => (k.start..v.end.max(k.end), true),
            (Node::Scalar(v), _) => (v.clone(), true),
            (n, Some(k)) => (k.start..k.end.max(k.start).max(n.range().start.min(k.end)), true),
            (n, None) => (n.range(), true),
        }
    }
}

struct P<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 200;

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

impl<'a> P<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }
    fn at(&self, i: usize) -> Option<u8> {
        self.s.get(i).copied()
    }
    fn col(&self, i: usize) -> usize {
        let mut j = i;
        while j > 0 && self.at(j - 1) != Some(b'\n') {
            j -= 1;
        }
        i - j
    }
    fn line_end(&self, i: usize) -> usize {
        let mut j = i;
        while let Some(c) = self.at(j) {
            if c == b'\n' {
                break;
            }
            j += 1;
        }
        j
    }
    /// Skips spaces, comments and line breaks; returns the next significant position.
    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if is_blank(c) || c == b'\n' || c == b'\r' => self.pos += 1,
                Some(b'#') => self.pos = self.line_end(self.pos),
                _ => return,
            }
        }
    }
    /// Skips spaces on the current line only (and a trailing comment).
    fn skip_inline_ws(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
        if self.peek() == Some(b'#') {
            self.pos = self.line_end(self.pos);
        }
    }
    fn skip_props(&mut self) {
        // anchors `&a` and tags `!t` before a node
        while let Some(c) = self.peek() {
            if c == b'&' || c == b'!' {
                while self.peek().is_some_and(|c| !is_blank(c) && c != b'\n') {
                    self.pos += 1;
                }
                self.skip_inline_ws();
            } else {
                break;
            }
        }
    }

    /// Finds `key:` on the line at `i`; returns (key text, key range, position after the colon).
    fn block_key(&self, i: usize) -> Option<(String, Range<usize>, usize)> {
        let end = self.line_end(i);
        let c = self.at(i)?;
        if c == b'"' || c == b'\'' {
            let close = self.quoted_end(i)?;
            let mut j = close;
            while self.at(j).is_some_and(is_blank) {
                j += 1;
            }
            if self.at(j) == Some(b':') && self.at(j + 1).is_none_or(|c| is_blank(c) || c == b'\n' || c == b'\r') {
                let text = String::from_utf8_lossy(self.s.get(i + 1..close.saturating_sub(1))?).into_owned();
                return Some((text, i..close, j + 1));
            }
            return None;
        }
        if matches!(c, b'-' | b'[' | b'{' | b'#' | b'|' | b'>')
            && self.at(i + 1).is_none_or(|n| is_blank(n) || n == b'\n' || c != b'-')
        {
            return None;
        }
        let mut j = i;
        while j < end {
            let c = self.at(j)?;
            if c == b':' && self.at(j + 1).is_none_or(|n| is_blank(n) || n == b'\n' || n == b'\r') {
                let text = String::from_utf8_lossy(self.s.get(i..j)?).trim_end().to_string();
                let len = text.len();
                return Some((text, i..i + len, j + 1));
            }
            if c == b'#' && j > i && self.at(j - 1).is_some_and(is_blank) {
                return None;
            }
            j += 1;
        }
        None
    }

    fn quoted_end(&self, i: usize) -> Option<usize> {
        let q = self.at(i)?;
        let mut j = i + 1;
        while let Some(c) = self.at(j) {
            if q == b'"' && c == b'\\' {
                j += 2;
                continue;
            }
            if c == q {
                if q == b'\'' && self.at(j + 1) == Some(b'\'') {
                    j += 2;
                    continue;
                }
                return Some(j + 1);
            }
            j += 1;
        }
        None
    }

    /// A block node whose first significant character is at least at column `min_col`.
    fn block(&mut self, min_col: usize) -> Option<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        let start = self.pos;
        let c = self.peek()?;
        let col = self.col(start);
        if col < min_col {
            return Some(Node::Scalar(start..start));
        }
        let r = if c == b'-' && self.at(start + 1).is_none_or(|n| is_blank(n) || n == b'\n' || n == b'\r') {
            self.block_seq(col)
        } else if c == b'{' || c == b'[' {
            self.flow()
        } else if self.block_key(start).is_some() {
            self.block_map(col)
        } else {
            self.scalar_block(col)
        };
        self.depth -= 1;
        r
    }

    fn block_seq(&mut self, col: usize) -> Option<Node> {
        let start = self.pos;
        let mut items = Vec::new();
        let mut end = start;
        loop {
            self.skip_ws();
            let i = self.pos;
            if self.peek() != Some(b'-')
                || self.col(i) != col
                || !self.at(i + 1).is_none_or(|n| is_blank(n) || n == b'\n' || n == b'\r')
            {
                break;
            }
            self.pos += 1;
            self.skip_inline_ws();
            let item = if matches!(self.peek(), Some(b'\n') | Some(b'\r') | None) {
                self.block(col + 1)?
            } else {
                self.skip_props();
                self.block(col + 1)?
            };
            end = item.range().end.max(i + 1);
            items.push(item);
            if self.pos <= i {
                break;
            }
        }
        self.pos = self.pos.max(end);
        Some(Node::Seq(items, start..end))
    }

    fn block_map(&mut self, col: usize) -> Option<Node> {
        let start = self.pos;
        let mut entries = Vec::new();
        let mut end = start;
        loop {
            self.skip_ws();
            let i = self.pos;
            if self.col(i) != col || self.peek().is_none() {
                break;
            }
            let Some((key, kr, after)) = self.block_key(i) else { break };
            self.pos = after;
            self.skip_inline_ws();
            let value = if matches!(self.peek(), Some(b'\n') | Some(b'\r') | None) {
                // value on the next lines: deeper, or a sequence at the same column
                let save = self.pos;
                self.skip_ws();
                let next = self.pos;
                let next_col = self.col(next);
                let is_seq_same_col = next_col == col
                    && self.peek() == Some(b'-')
                    && self.at(next + 1).is_none_or(|n| is_blank(n) || n == b'\n' || n == b'\r');
                if self.peek().is_some() && (next_col > col || is_seq_same_col) {
                    if is_seq_same_col {
                        self.block_seq(col)?
                    } else {
                        self.block(col + 1)?
                    }
                } else {
                    self.pos = save;
                    Node::Scalar(after..after)
                }
            } else {
                self.skip_props();
                if matches!(self.peek(), Some(b'\n') | Some(b'\r') | None) {
                    self.block(col + 1)?
                } else if matches!(self.peek(), Some(b'{') | Some(b'[')) {
                    self.flow()?
                } else if matches!(self.peek(), Some(b'|') | Some(b'>')) {
                    self.block_scalar(col)
                } else {
                    self.inline_scalar()
                }
            };
            end = value.range().end.max(kr.end);
            entries.push((key, kr, value));
            if self.pos <= i {
                break;
            }
        }
        self.pos = self.pos.max(end);
        Some(Node::Map(entries, start..end))
    }

    fn inline_scalar(&mut self) -> Node {
        let start = self.pos;
        if matches!(self.peek(), Some(b'"') | Some(b'\'')) {
            let end = self.quoted_end(start).unwrap_or_else(|| self.line_end(start));
            self.pos = end;
            return Node::Scalar(start..end);
        }
        let le = self.line_end(start);
        let mut end = start;
        let mut j = start;
        while j < le {
            if self.at(j) == Some(b'#') && j > start && self.at(j - 1).is_some_and(is_blank) {
                break;
            }
            if !self.at(j).is_some_and(is_blank) && self.at(j) != Some(b'\r') {
                end = j + 1;
            }
            j += 1;
        }
        self.pos = le;
        Node::Scalar(start..end)
    }

    fn block_scalar(&mut self, col: usize) -> Node {
        let start = self.pos;
        let mut end = self.line_end(start);
        let mut j = end;
        loop {
            // next line
            let next = j + 1;
            if next >= self.s.len() {
                break;
            }
            let le = self.line_end(next);
            let line = self.s.get(next..le).unwrap_or(&[]);
            let indent = line.iter().take_while(|c| **c == b' ').count();
            let blank = line.iter().all(|c| is_blank(*c) || *c == b'\r');
            if !blank && indent <= col {
                break;
            }
            if !blank {
                end = le;
            }
            j = le;
        }
        self.pos = end;
        Node::Scalar(start..end)
    }

    fn scalar_block(&mut self, _col: usize) -> Option<Node> {
        if matches!(self.peek(), Some(b'|') | Some(b'>')) {
            let c = self.col(self.pos);
            return Some(self.block_scalar(c.saturating_sub(1)));
        }
        Some(self.inline_scalar())
    }

    fn flow(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let open = self.peek()?;
        let close = if open == b'{' { b'}' } else { b']' };
        self.pos += 1;
        let mut entries = Vec::new();
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            let before = self.pos;
            match self.peek() {
                None => return None,
                Some(c) if c == close => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            if open == b'{' {
                let ks = self.pos;
                let key_node = self.flow_scalar(true);
                let kr = key_node.range();
                let key = String::from_utf8_lossy(self.s.get(kr.clone()).unwrap_or(&[]))
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string();
                self.skip_ws();
                let value = if self.peek() == Some(b':') {
                    self.pos += 1;
                    self.skip_ws();
                    self.skip_props();
                    self.flow_value()?
                } else {
                    Node::Scalar(ks..ks)
                };
                entries.push((key, kr, value));
            } else {
                self.skip_props();
                items.push(self.flow_value()?);
            }
            // A stray `:` or a mismatched bracket: no progress means the collection is malformed.
            if self.pos == before {
                return None;
            }
        }
        self.depth -= 1;
        let r = start..self.pos;
        Some(if open == b'{' { Node::Map(entries, r) } else { Node::Seq(items, r) })
    }

    fn flow_value(&mut self) -> Option<Node> {
        match self.peek() {
            Some(b'{') | Some(b'[') => self.flow(),
            _ => Some(self.flow_scalar(false)),
        }
    }

    fn flow_scalar(&mut self, key: bool) -> Node {
        let start = self.pos;
        if matches!(self.peek(), Some(b'"') | Some(b'\'')) {
            let end = self.quoted_end(start).unwrap_or(self.s.len());
            self.pos = end;
            return Node::Scalar(start..end);
        }
        let mut end = start;
        while let Some(c) = self.peek() {
            if c == b','
                || c == b'}'
                || c == b']'
                || (key
                    && c == b':'
                    && self.at(self.pos + 1).is_none_or(|n| is_blank(n) || n == b'\n' || n == b',' || n == b'}'))
            {
                break;
            }
            if c == b':' && !key && self.at(self.pos + 1).is_some_and(is_blank) {
                break;
            }
            if c == b'#' && self.pos > start && self.at(self.pos - 1).is_some_and(is_blank) {
                self.pos = self.line_end(self.pos);
                continue;
            }
            if !is_blank(c) && c != b'\n' && c != b'\r' {
                end = self.pos + 1;
            }
            self.pos += 1;
        }
        Node::Scalar(start..end)
    }
}

/// Indexes a single YAML document (the text of one `---` chunk).
pub fn index(doc: &str) -> Option<Node> {
    let mut p = P { s: doc.as_bytes(), pos: 0, depth: 0 };
    p.block(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(doc: &'a str, path: &str) -> &'a str {
        let node = index(doc).unwrap_or(Node::Scalar(0..0));
        let (r, _) = node.locate(&parse_path(path));
        doc.get(r).unwrap_or("<bad range>")
    }

    const DOC: &str = "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: nginx-pp, labels: {a: b}}\nspec:\n  priority: 10\n  preemption: Always   # comment\n  resourceSelectors:\n  - {apiVersion: apps/v1, kind: Deployment}\n  - apiVersion: v1\n    kind: Service\n    name: \"svc\"\n  placement:\n    clusterAffinity:\n      clusterNames: [member1, member2]\n    spreadConstraints:\n    - spreadByField: region\n      maxGroups: 1\n";

    #[test]
    fn locates_block_and_flow_values() {
        assert_eq!(at(DOC, "spec.preemption"), "preemption: Always");
        assert_eq!(at(DOC, "spec.priority"), "priority: 10");
        assert_eq!(at(DOC, "metadata.name"), "name: nginx-pp");
        assert_eq!(at(DOC, "spec.resourceSelectors[0].kind"), "kind: Deployment");
        assert_eq!(at(DOC, "spec.resourceSelectors[1].name"), "name: \"svc\"");
        assert_eq!(at(DOC, "spec.placement.clusterAffinity.clusterNames[1]"), "member2");
        assert_eq!(at(DOC, "spec.placement.spreadConstraints[0].maxGroups"), "maxGroups: 1");
        // A missing leaf falls back to its parent.
        assert!(at(DOC, "spec.resourceSelectors[0].name").starts_with("{apiVersion"));
        let node = index(DOC).unwrap_or(Node::Scalar(0..0));
        assert!(!node.locate(&parse_path("spec.resourceSelectors[0].name")).1);
        assert!(node.locate(&parse_path("spec.priority")).1);
    }

    #[test]
    fn sequences_at_key_column_and_block_scalars() {
        let doc = "a:\n- x\n- y: |\n    text\n    more\n  z: 3\nb: 4\n";
        assert_eq!(at(doc, "a[0]"), "x");
        assert_eq!(at(doc, "a[1].z"), "z: 3");
        assert_eq!(at(doc, "b"), "b: 4");
    }

    #[test]
    fn never_panics_on_garbage() {
        for doc in ["", "{", "[[[", "- - -", ":::", "a: [b, {c", "\"unterminated", "a:\n  - \n  -", "#c\n  x: y\n z"] {
            let _ = index(doc).map(|n| n.locate(&parse_path("a.b[3].c")));
        }
    }
}

#[cfg(test)]
mod regression {
    #[test]
    fn unterminated_flow_sequence_across_lines_terminates() {
        // Found by the `parse` fuzz target (an out-of-memory loop on a stray `:` inside `[`).
        for doc in ["a: [b\n  c: {d: e}\nf: [g\n", "zones: [x\n  labels: {env: prod}\n", "[a: b]", "{a: ]}", "[}]"] {
            let _ = super::index(doc);
        }
    }
}
