//! Diagnostics: what the parser noticed, in plain English, with where and why.

use crate::span::string_enum;
use serde::Serialize;

string_enum! {
    /// How bad a finding is. Only `error` makes a parse's verdict "error".
    pub enum Severity {
        Error = "error",
        Warning = "warning",
        Info = "info",
    }
}

string_enum! {
    /// Every diagnostic the parser can report. Explanations and RFC sections
    /// for each live in [`crate::explain`].
    pub enum Code {
        BareLf = "bare-lf",
        BareCr = "bare-cr",
        LeadingEmptyLine = "leading-empty-line",
        WhitespaceBeforeFirstHeader = "whitespace-before-first-header",
        InvalidMethod = "invalid-method",
        UnregisteredMethod = "unregistered-method",
        InvalidRequestTarget = "invalid-request-target",
        ExtraWhitespace = "extra-whitespace",
        InvalidVersion = "invalid-version",
        UnsupportedVersion = "unsupported-version",
        InvalidStatusCode = "invalid-status-code",
        InvalidReasonPhrase = "invalid-reason-phrase",
        MissingReasonSpace = "missing-reason-space",
        InvalidHeaderName = "invalid-header-name",
        SpaceBeforeColon = "space-before-colon",
        MissingColon = "missing-colon",
        InvalidHeaderValue = "invalid-header-value",
        ObsFold = "obs-fold",
        MissingHost = "missing-host",
        MultipleHost = "multiple-host",
        InvalidContentLength = "invalid-content-length",
        DuplicateContentLength = "duplicate-content-length",
        ConflictingContentLength = "conflicting-content-length",
        ContentLengthWithTransferEncoding = "content-length-with-transfer-encoding",
        TransferEncodingNotChunked = "transfer-encoding-not-chunked",
        ChunkedAppliedTwice = "chunked-applied-twice",
        TransferEncodingInHttp10 = "transfer-encoding-in-http10",
        InvalidChunkSize = "invalid-chunk-size",
        InvalidChunkExt = "invalid-chunk-ext",
        MissingChunkCrlf = "missing-chunk-crlf",
        CloseDelimitedBody = "close-delimited-body",
        IncompleteMessage = "incomplete-message",
        DataAfterClose = "data-after-close",
        ProtocolSwitched = "protocol-switched",
        UnknownContentEncoding = "unknown-content-encoding",
        ContentDecodingFailed = "content-decoding-failed",
        InputTooLarge = "input-too-large",
        ChunkedBareLf = "chunked-bare-lf",
        StrayLineEnd = "stray-line-end",
        NoFinalResponse = "no-final-response",
        FramingOnConnect = "framing-on-connect",
        UnknownTransferCoding = "unknown-transfer-coding",
        AcceptedInvalidRequest = "accepted-invalid-request",
        MissingWwwAuthenticate = "missing-www-authenticate",
        MissingAllow = "missing-allow",
        MissingContentRange = "missing-content-range",
        MissingRangeLength = "missing-range-length",
        MissingLocation = "missing-location",
        FramingOnBodilessResponse = "framing-on-bodiless-response",
        ContentOnBodilessResponse = "content-on-bodiless-response",
    }
}

impl Code {
    /// For a problem in a request that RFC 9112 says a server MUST answer
    /// with 400 (Bad Request): the section that says so.
    pub fn must_reject(self) -> Option<&'static str> {
        match self {
            // §3.2: no Host, or more than one, in an HTTP/1.1 request.
            Code::MissingHost | Code::MultipleHost => Some("RFC 9112 §3.2"),
            // §5.1: whitespace between a field name and its colon.
            Code::SpaceBeforeColon => Some("RFC 9112 §5.1"),
            // §6.3: a body whose length cannot be known.
            Code::InvalidContentLength | Code::ConflictingContentLength | Code::TransferEncodingNotChunked => {
                Some("RFC 9112 §6.3")
            }
            _ => None,
        }
    }
}

/// One finding about a range of the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// A sentence about this very input (the general explanation of the code
    /// is in [`crate::explain::code`]).
    pub message: String,
    pub start: usize,
    pub end: usize,
    /// The message the finding is about, if any.
    #[serde(skip)]
    pub msg_index: Option<usize>,
}
