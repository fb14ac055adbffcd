//! Body readers: one per framing (RFC 9112 §6.3), each a small state with
//! its own rule for what the end of the input means — as h11 maps each
//! framing to a reader. The parser labels what they take; chunk-size lines
//! are read by the line readers in `lines.rs`, since they are a grammar.

use crate::span::SpanKind;

/// Where the parser is inside a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyState {
    /// `Content-Length`: this many bytes are still to come.
    Length { remaining: u64 },
    /// Chunked: a chunk-size line (or the last chunk's) comes next.
    ChunkSize,
    /// Chunked: this many bytes of the current chunk's data are still to come.
    ChunkData { remaining: u64 },
    /// Chunked: the CRLF after a chunk's data comes next.
    ChunkDataEnd,
    /// No length: the body is everything up to the end of the input.
    UntilClose,
}

/// What a counted body state does with the bytes available.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Take {
    /// How many bytes belong to the body (or chunk) now.
    pub n: usize,
    pub kind: SpanKind,
    /// The state after them; `None` when the message's body is complete.
    pub next: Option<BodyState>,
}

/// What the end of the input means for a message in some state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EndOfInput {
    /// The body ends with the connection: the message is complete.
    Complete,
    /// The message was cut short; the sentence says where.
    CutShort(String),
}

impl BodyState {
    /// For the states that count bytes (and the one that takes them all):
    /// how many of `avail` bytes to take now, and the state after them.
    /// `None` for the states that read a line.
    pub(crate) fn take(self, avail: usize) -> Option<Take> {
        let counted = |remaining: u64, kind, then: Option<BodyState>, more: fn(u64) -> BodyState| {
            let n = remaining.min(avail as u64);
            let left = remaining - n;
            Some(Take { n: n as usize, kind, next: if left == 0 { then } else { Some(more(left)) } })
        };
        match self {
            BodyState::Length { remaining } => {
                counted(remaining, SpanKind::Body, None, |remaining| BodyState::Length { remaining })
            }
            BodyState::ChunkData { remaining } => {
                counted(remaining, SpanKind::ChunkData, Some(BodyState::ChunkDataEnd), |remaining| {
                    BodyState::ChunkData { remaining }
                })
            }
            BodyState::UntilClose => Some(Take { n: avail, kind: SpanKind::Body, next: Some(BodyState::UntilClose) }),
            BodyState::ChunkSize | BodyState::ChunkDataEnd => None,
        }
    }

    /// What the end of the input means in this state.
    pub(crate) fn at_end_of_input(self) -> EndOfInput {
        match self {
            BodyState::UntilClose => EndOfInput::Complete,
            BodyState::Length { remaining } | BodyState::ChunkData { remaining } => EndOfInput::CutShort(format!(
                "the input ended {remaining} byte(s) before the end of the body its framing announced"
            )),
            BodyState::ChunkSize | BodyState::ChunkDataEnd => {
                EndOfInput::CutShort("the input ended inside the chunked body, before its last chunk".into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_length_body_takes_what_is_announced_and_no_more() {
        let s = BodyState::Length { remaining: 5 };
        assert_eq!(
            s.take(3),
            Some(Take { n: 3, kind: SpanKind::Body, next: Some(BodyState::Length { remaining: 2 }) })
        );
        assert_eq!(s.take(9), Some(Take { n: 5, kind: SpanKind::Body, next: None }));
        assert_eq!(s.take(0).unwrap().n, 0);
    }

    #[test]
    fn chunk_data_is_followed_by_its_line_end() {
        let s = BodyState::ChunkData { remaining: 4 };
        assert_eq!(s.take(10).unwrap().next, Some(BodyState::ChunkDataEnd));
        assert_eq!(s.take(10).unwrap().kind, SpanKind::ChunkData);
        assert_eq!(BodyState::ChunkSize.take(10), None);
        assert_eq!(BodyState::ChunkDataEnd.take(10), None);
    }

    #[test]
    fn only_a_close_delimited_body_is_complete_at_the_end_of_input() {
        assert_eq!(BodyState::UntilClose.at_end_of_input(), EndOfInput::Complete);
        assert_eq!(BodyState::UntilClose.take(7).unwrap().n, 7);
        let cut = |s: BodyState| matches!(s.at_end_of_input(), EndOfInput::CutShort(_));
        assert!(cut(BodyState::Length { remaining: 1 }));
        assert!(cut(BodyState::ChunkSize));
        assert!(cut(BodyState::ChunkData { remaining: 3 }));
        assert!(cut(BodyState::ChunkDataEnd));
        match (BodyState::Length { remaining: 7 }).at_end_of_input() {
            EndOfInput::CutShort(why) => assert!(why.contains("7 byte(s)"), "{why}"),
            EndOfInput::Complete => unreachable!(),
        }
    }
}
