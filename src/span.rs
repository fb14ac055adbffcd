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
}

/// Declares a flat enum whose variants have a stable kebab-case string form.
macro_rules! string_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

/// One labelled run of input bytes.
///
/// A span takes 12 bytes: a header line has six spans, and a stream of many
/// small messages has millions, so offsets are `u32` (the parser reads at
/// most [`crate::MAX_INPUT`] bytes) and the message a span belongs to is not
/// stored in it: each [`crate::Message`] knows its run of spans instead (see
/// [`crate::Parse::span_messages`]).
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
