//! Spans: half-open byte ranges of the input, each with a [`SpanKind`].
//!
//! The span rule is the contract the CLI, the JSON and the page rely on: the
//! spans of a parse are non-empty, contiguous and in order, start at byte 0 and
//! together cover every input byte exactly once. They do not depend on how the
//! input was split into pieces when it was fed to the parser.

use serde::Serialize;

/// A half-open range `start..end` of offsets: bytes of the parsed input, or
/// (inside a [`crate::Message`]) positions in one of the parse's vectors.
/// Offsets are `u32`, like a [`Span`]'s, to keep the parse small.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Range {
    pub start: u32,
    pub end: u32,
}

impl Range {
    /// `start..end`; both fit in `u32`, since a parse reads at most
    /// [`crate::MAX_INPUT`] bytes.
    pub fn new(start: usize, end: usize) -> Range {
        debug_assert!(start <= end && end <= u32::MAX as usize);
        Range { start: start as u32, end: end as u32 }
    }

    /// The same range as a `std::ops::Range<usize>`, for slicing.
    pub fn as_usize(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The same range `by` lower (for a parse whose first part was handed
    /// over; see [`crate::Parser::drain`]).
    pub(crate) fn lower(self, by: usize) -> Range {
        Range { start: self.start - by as u32, end: self.end - by as u32 }
    }
}

/// Declares a flat enum whose variants have a stable kebab-case string form.
macro_rules! string_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable string form shared by the CLI, the JSON, CSS classes and the page.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// The variant whose string form is `s`.
            pub fn from_name(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// What a run of input bytes is, in the grammar of RFC 9112.
    pub enum SpanKind {
        Method = "method",
        Sp = "sp",
        RequestTarget = "request-target",
        HttpVersion = "http-version",
        StatusCode = "status-code",
        ReasonPhrase = "reason-phrase",
        /// A line end: CRLF, or a bare LF (which gets a warning).
        Crlf = "crlf",
        HeaderName = "header-name",
        Colon = "colon",
        Ows = "ows",
        HeaderValue = "header-value",
        /// The whitespace that starts a folded continuation line.
        ObsFold = "obs-fold",
        /// The line end of the empty line that ends a header or trailer section.
        EmptyLine = "empty-line",
        Body = "body",
        ChunkSize = "chunk-size",
        ChunkExt = "chunk-ext",
        ChunkData = "chunk-data",
        /// The zero size of the last chunk.
        LastChunk = "last-chunk",
        /// Bytes after an unrecoverable error, or after the connection switched protocols.
        Unparsed = "unparsed",
    }
}

/// One labelled run of input bytes: a value read out of [`Spans`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub kind: SpanKind,
}

impl Span {
    pub fn range(&self) -> Range {
        Range::new(self.start as usize, self.end as usize)
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// The spans of a parse, stored as two columns: where each span ends, and
/// its kind. Starts follow from the span rule (each span starts where the
/// previous one ended, the first at 0), so a span costs five bytes. A
/// stream of many small messages has millions of spans, and writing fresh
/// memory is most of the time of a parse: twelve bytes a span was twice
/// the work.
///
/// ```
/// use wirepad::{parse, MessageKind, Options, SpanKind};
/// let p = parse(MessageKind::Request, b"GET / HTTP/1.1\r\n\r\n", &Options::default());
/// let third = p.spans.get(2);
/// assert_eq!((third.start, third.end, third.kind), (4, 5, SpanKind::RequestTarget));
/// assert_eq!(p.spans.starts().collect::<Vec<_>>(), [0, 3, 4, 5, 6, 14, 16]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spans {
    ends: Vec<u32>,
    kinds: Vec<SpanKind>,
}

impl Spans {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Where span `i` starts: where span `i - 1` ends.
    pub fn start(&self, i: usize) -> u32 {
        if i == 0 {
            0
        } else {
            self.ends[i - 1]
        }
    }

    /// Span `i`; panics when there is none, like slice indexing.
    pub fn get(&self, i: usize) -> Span {
        Span { start: self.start(i), end: self.ends[i], kind: self.kinds[i] }
    }

    pub fn last(&self) -> Option<Span> {
        self.len().checked_sub(1).map(|i| self.get(i))
    }

    /// The end offset of every span, in order.
    pub fn ends(&self) -> &[u32] {
        &self.ends
    }

    /// The kind of every span, in order.
    pub fn kinds(&self) -> &[SpanKind] {
        &self.kinds
    }

    /// The kind of every span as its index in [`SpanKind::ALL`] (its
    /// discriminant), without a copy: what the wasm facade hands to
    /// JavaScript, and a byte string `memchr` can search.
    pub fn kind_indexes(&self) -> &[u8] {
        // SAFETY: `SpanKind` is `repr(u8)` with implicit discriminants, so
        // a slice of it is a slice of those bytes, each its index in `ALL`.
        unsafe { std::slice::from_raw_parts(self.kinds.as_ptr().cast::<u8>(), self.kinds.len()) }
    }

    /// The start offset of every span, in order.
    pub fn starts(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        (0..self.len()).map(|i| self.start(i))
    }

    pub fn iter(&self) -> SpanIter<'_> {
        self.range(0..self.len())
    }

    /// The spans with indexes in `indexes`.
    pub fn range(&self, indexes: std::ops::Range<usize>) -> SpanIter<'_> {
        SpanIter { spans: self, indexes }
    }

    /// Adds the span that ends at `end`.
    #[inline(always)]
    pub(crate) fn push(&mut self, end: u32, kind: SpanKind) {
        self.ends.push(end);
        self.kinds.push(kind);
    }

    /// Moves the end of the last span to `end`.
    #[inline]
    pub(crate) fn extend_last(&mut self, end: u32) {
        if let Some(last) = self.ends.last_mut() {
            *last = end;
        }
    }

    pub(crate) fn last_kind(&self) -> Option<SpanKind> {
        self.kinds.last().copied()
    }

    /// Keeps the first `len` spans.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.ends.truncate(len);
        self.kinds.truncate(len);
    }

    pub(crate) fn clear(&mut self) {
        self.truncate(0);
    }

    /// Appends the spans of `other` from index `from` on, their offsets
    /// `by` lower.
    pub(crate) fn extend_lowered(&mut self, other: &Spans, from: usize, by: u32) {
        self.ends.extend(other.ends[from..].iter().map(|e| e - by));
        self.kinds.extend_from_slice(&other.kinds[from..]);
    }

    pub(crate) fn reserve(&mut self, n: usize) {
        self.ends.reserve(n);
        self.kinds.reserve(n);
    }
}

/// The spans of a run of indexes, in order (see [`Spans::range`]).
#[derive(Clone, Debug)]
pub struct SpanIter<'a> {
    spans: &'a Spans,
    indexes: std::ops::Range<usize>,
}

impl Iterator for SpanIter<'_> {
    type Item = Span;
    fn next(&mut self) -> Option<Span> {
        self.indexes.next().map(|i| self.spans.get(i))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.indexes.size_hint()
    }
}

impl DoubleEndedIterator for SpanIter<'_> {
    fn next_back(&mut self) -> Option<Span> {
        self.indexes.next_back().map(|i| self.spans.get(i))
    }
}

impl ExactSizeIterator for SpanIter<'_> {}

impl<'a> IntoIterator for &'a Spans {
    type Item = Span;
    type IntoIter = SpanIter<'a>;
    fn into_iter(self) -> SpanIter<'a> {
        self.iter()
    }
}
