//! One diagnostic type for parse errors, webhook denials, lints and evaluation errors, positioned by byte
//! range and by line/column in both UTF-8 bytes and UTF-16 code units.

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be evaluated, or Karmada refused it.
    Error,
    /// Evaluated, but probably not what the user meant.
    Warning,
    /// Something the evaluator assumed.
    Info,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A position in the source text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// Byte offset from the start of the text.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column counted in UTF-8 bytes.
    pub column: usize,
    /// 1-based column counted in UTF-16 code units (what editors use).
    pub column_utf16: usize,
}

/// A range of the source text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Span {
    /// Start (inclusive).
    pub start: Position,
    /// End (exclusive).
    pub end: Position,
}

/// A finding about the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable code, e.g. `yaml-syntax`, `webhook-denied`.
    pub code: String,
    /// Severity.
    pub severity: Severity,
    /// One-line message.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// 1-based index of the YAML document it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    /// Where in the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Diagnostic {
    /// A new diagnostic without position.
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Self {
        Self::make(code, severity, message.into())
    }
    /// [`Self::new`] once in the binary, not inlined at each of the many call sites (the npm size budget).
    #[inline(never)]
    fn make(code: &str, severity: Severity, message: String) -> Self {
        Diagnostic { code: code.into(), severity, message, help: None, document: None, span: None }
    }
    /// An error.
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }
    /// A warning.
    pub fn warning(code: &str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }
    /// An info note.
    pub fn info(code: &str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Info, message)
    }
    /// Adds a help line.
    pub fn with_help(self, help: impl Into<String>) -> Self {
        self.help_is(help.into())
    }
    #[inline(never)]
    fn help_is(mut self, help: String) -> Self {
        self.help = Some(help);
        self
    }
    /// Attaches a document and a span.
    #[inline(never)]
    pub fn at(mut self, document: Option<usize>, span: Option<Span>) -> Self {
        self.document = document;
        self.span = span;
        self
    }
    /// `line:column` of the start, if positioned.
    pub fn location(&self) -> Option<(usize, usize)> {
        self.span.map(|s| (s.start.line, s.start.column))
    }
}

/// Maps byte offsets of a text to line/column positions.
#[derive(Debug, Clone)]
pub struct SourceMap<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceMap<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceMap { text, line_starts }
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_idx).copied().unwrap_or(0);
        let prefix = self.text.get(line_start..offset).unwrap_or("");
        Position {
            offset,
            line: line_idx + 1,
            column: prefix.len() + 1,
            column_utf16: prefix.encode_utf16().count() + 1,
        }
    }

    /// A span from byte offsets.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span { start: self.position(start), end: self.position(end.max(start)) }
    }
}

/// The line of `text` that contains byte `offset`, without its line break (no line index needed: renderers call
/// this once per diagnostic, and there can be thousands).
pub fn line_around(text: &str, offset: usize) -> &str {
    let at = offset.min(text.len());
    let begin = text.get(..at).and_then(|t| t.rfind('\n')).map(|i| i + 1).unwrap_or(0);
    let end = text.get(at..).and_then(|t| t.find('\n')).map(|i| at + i).unwrap_or(text.len());
    text.get(begin..end).unwrap_or("").trim_end_matches('\r')
}
