//! The one table of explanations: what each span kind, diagnostic code,
//! status code and common header field means, and where the RFC says so.
//! The CLI prints from it and the page shows it (through wasm), so a student
//! reads the same words in both.

use crate::diag::Code;
use crate::protocol::RelayError;
use crate::span::SpanKind;
use crate::tls::{self, Failure, TlsKind};
use serde::Serialize;

mod context;
pub use context::{notes, Notes};

/// A short explanation and the RFC section it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub title: &'static str,
    pub text: &'static str,
    /// e.g. "RFC 9112 §6.3"; see [`rfc_url`].
    pub rfc: &'static str,
}

const fn e(title: &'static str, text: &'static str, rfc: &'static str) -> Entry {
    Entry { title, text, rfc }
}

/// What a span kind is and how a receiver finds where it ends.
pub fn kind(k: SpanKind) -> Entry {
    use SpanKind::*;
    match k {
        Method => e("Method", "The request method says what the client wants done (GET, HEAD, POST, ...). It is a token, case-sensitive, and ends at the first space.", "RFC 9112 §3.1"),
        Sp => e("Space", "A single space (0x20) separates the parts of the start line. Exactly one is allowed, so the receiver knows each part ends at the next space.", "RFC 9112 §3"),
        RequestTarget => e("Request target", "Which resource the request is for: usually the path and query (origin-form, e.g. /index.html). It contains no spaces; it ends at the next space.", "RFC 9112 §3.2"),
        HttpVersion => e("HTTP version", "The protocol version, HTTP/1.0 or HTTP/1.1, written exactly: upper-case HTTP, a slash, one digit, a dot, one digit.", "RFC 9112 §2.3"),
        StatusCode => e("Status code", "Three digits that say how the server handled the request; the first digit is the class (1xx interim, 2xx success, 3xx redirection, 4xx client error, 5xx server error).", "RFC 9112 §4"),
        ReasonPhrase => e("Reason phrase", "Human-readable words after the status code. Clients must ignore them: only the code counts. It may be empty.", "RFC 9112 §4"),
        Crlf => e("Line end (CRLF)", "Carriage return and line feed (0x0D 0x0A) end every line of the head. A lone LF is tolerated by many receivers but is not correct HTTP/1.1.", "RFC 9112 §2.1"),
        HeaderName => e("Field name", "The name of a header field, a case-insensitive token such as Host or Content-Type. It ends at the colon, with no space before it.", "RFC 9112 §5.1"),
        Colon => e("Colon", "Separates the field name from its value.", "RFC 9112 §5"),
        Ows => e("Optional whitespace", "Spaces or tabs around a field value. They are not part of the value; receivers strip them.", "RFC 9110 §5.6.3"),
        HeaderValue => e("Field value", "The value of the header field, up to the end of the line, without the whitespace around it.", "RFC 9110 §5.5"),
        ObsFold => e("Obsolete line folding", "A line starting with whitespace continues the previous field value. This old form is deprecated; receivers replace the fold with a space or reject the message.", "RFC 9112 §5.2"),
        EmptyLine => e("Empty line", "An empty line (just CRLF) ends a header section (or, after the last chunk, the trailer section). Whether a body follows, and how its end is found, the start line and the headers decide: see \"In this message\".", "RFC 9112 §2.1"),
        Body => e("Body", "The message content. Its end is found from Content-Length, or, for a response with neither Content-Length nor chunked, from the server closing the connection.", "RFC 9112 §6.3"),
        ChunkSize => e("Chunk size", "The number of data bytes in this chunk, in hexadecimal. The receiver reads exactly that many bytes after the line end.", "RFC 9112 §7.1"),
        ChunkExt => e("Chunk extension", "Optional ;name=value pairs after a chunk size. Receivers ignore extensions they do not understand.", "RFC 9112 §7.1.1"),
        ChunkData => e("Chunk data", "The bytes of one chunk; exactly chunk-size bytes, followed by CRLF.", "RFC 9112 §7.1"),
        LastChunk => e("Last chunk", "A chunk of size 0 ends a chunked body. Trailer fields and an empty line follow it.", "RFC 9112 §7.1"),
        Unparsed => e("Unparsed bytes", "Bytes the parser did not interpret: after an error that leaves the framing unknown, or after the connection switched to another protocol.", "RFC 9112 §2.2"),
    }
}

/// How a receiver knows where an element of this kind ends: the framing
/// lesson behind each step of the page's step-through.
pub fn ends(k: SpanKind) -> &'static str {
    use SpanKind::*;
    match k {
        Method => "It ends at the first space.",
        Sp => "It is exactly one byte, 0x20.",
        RequestTarget => "It ends at the next space: a target never contains one.",
        HttpVersion => "It has a fixed length of eight bytes; in a request the line end follows, in a response a space.",
        StatusCode => "It is exactly three digits.",
        ReasonPhrase => "It runs to the end of the line.",
        Crlf => "CR LF is two fixed bytes; the receiver looks for the LF.",
        HeaderName => "It ends at the colon.",
        Colon => "It is exactly one byte, ':'.",
        Ows => "It ends at the first byte that is not a space or tab.",
        HeaderValue => "It runs to the end of the line; trailing spaces and tabs are not part of it.",
        ObsFold => "It ends at the first byte that is not a space or tab; the value continues after it.",
        EmptyLine => "A line with nothing before its CRLF: the header section is over, and the message's framing now decides whether a body follows and where it ends.",
        Body => "Its length was announced by Content-Length, or, without one in a response, it ends when the server closes the connection.",
        ChunkSize => "Hexadecimal digits that end at ';' or at CRLF; the receiver then reads exactly that many bytes.",
        ChunkExt => "It runs to the end of the chunk-size line.",
        ChunkData => "Exactly as many bytes as the chunk size said, then CRLF.",
        LastChunk => "A size of 0 ends the chunks; trailer fields, then an empty line, end the message.",
        Unparsed => "These bytes run to the end of the input.",
    }
}

/// What a diagnostic code means, in general.
pub fn code(c: Code) -> Entry {
    use Code::*;
    match c {
        BareLf => e("Bare LF line end", "A line ends with LF alone instead of CR LF. Many receivers accept it, but the grammar wants CRLF and strict parsers reject it.", "RFC 9112 §2.2"),
        BareCr => e("Bare CR", "A CR byte not followed by LF. A receiver must treat it as invalid or replace it with a space.", "RFC 9112 §2.2"),
        LeadingEmptyLine => e("Empty line before the start line", "A receiver should ignore empty lines before a request line; they often follow a body whose sender added an extra CRLF.", "RFC 9112 §2.2"),
        WhitespaceBeforeFirstHeader => e("Whitespace before the first field", "A line starting with whitespace right after the start line must be rejected or ignored: it could hide a field from one receiver and not another.", "RFC 9112 §2.2"),
        InvalidMethod => e("Invalid method", "A method is a token: letters, digits and a few symbols such as - and _, followed by one space.", "RFC 9112 §3.1"),
        UnregisteredMethod => e("Unregistered method", "Any token can be a method, but this one is not in the IANA HTTP Method Registry, so most servers will answer 501 (Not Implemented) or 405.", "RFC 9110 §16.1"),
        InvalidRequestTarget => e("Invalid request target", "The request target must be present and contain only visible ASCII characters, with no spaces or control bytes.", "RFC 9112 §3.2"),
        ExtraWhitespace => e("Extra whitespace in the start line", "The parts of a start line are separated by exactly one space.", "RFC 9112 §3"),
        InvalidVersion => e("Invalid HTTP version", "The version is written HTTP/1.1 or HTTP/1.0: upper case, one digit on each side of the dot, right before the line end (requests) or the space (responses).", "RFC 9112 §2.3"),
        UnsupportedVersion => e("Unsupported HTTP version", "HTTP/1.x has two versions, 1.0 and 1.1. HTTP/2 and HTTP/3 do not use this text format at all.", "RFC 9110 §2.5"),
        InvalidStatusCode => e("Invalid status code", "A status code is exactly three digits, from 100 to 599.", "RFC 9112 §4"),
        InvalidReasonPhrase => e("Invalid reason phrase", "A reason phrase holds only visible characters, spaces and tabs.", "RFC 9112 §4"),
        MissingReasonSpace => e("No space after the status code", "The grammar puts a space after the status code even when the reason phrase is empty; most clients accept the line without it.", "RFC 9112 §4"),
        InvalidHeaderName => e("Invalid field name", "A field name is a token: no spaces, colons, quotes or control bytes, and it cannot be empty.", "RFC 9110 §5.1"),
        SpaceBeforeColon => e("Whitespace before the colon", "No whitespace is allowed between a field name and its colon. A server must reject such a request with 400, because proxies disagree about what it means.", "RFC 9112 §5.1"),
        MissingColon => e("Field line without a colon", "Every field line is a name, a colon and a value.", "RFC 9112 §5"),
        InvalidHeaderValue => e("Invalid byte in a field value", "Field values may hold visible characters, spaces, tabs and bytes 0x80-0xFF, but no control bytes such as NUL, CR or LF.", "RFC 9110 §5.5"),
        ObsFold => e("Obsolete line folding", "A field value continued on a line that starts with whitespace. Senders must not fold lines any more; receivers replace the fold with spaces.", "RFC 9112 §5.2"),
        MissingHost => e("Missing Host", "Every HTTP/1.1 request must carry a Host header field naming the server; a server must answer a request without one with 400 (Bad Request).", "RFC 9112 §3.2"),
        MultipleHost => e("More than one Host", "A request must have exactly one Host field; a server answers more than one with 400.", "RFC 9112 §3.2"),
        InvalidContentLength => e("Invalid Content-Length", "Content-Length is a decimal number of bytes. Anything else leaves the body's end unknown, which is an unrecoverable framing error.", "RFC 9112 §6.3"),
        DuplicateContentLength => e("Repeated Content-Length", "Content-Length appears more than once with the same value. Recipients may accept that as one value.", "RFC 9110 §8.6"),
        ConflictingContentLength => e("Conflicting Content-Length", "Two different Content-Length values: the receiver cannot know where the body ends. This is the heart of request smuggling, so it is an unrecoverable error.", "RFC 9112 §6.3"),
        ContentLengthWithTransferEncoding => e("Content-Length with Transfer-Encoding", "Transfer-Encoding overrides Content-Length, but a message with both may be an attempt at request smuggling and ought to be handled as an error.", "RFC 9112 §6.3"),
        TransferEncodingNotChunked => e("Last transfer coding is not chunked", "When Transfer-Encoding is present, chunked must be the last coding of a request; a response without it ends at connection close.", "RFC 9112 §6.3"),
        ChunkedAppliedTwice => e("Chunked applied twice", "A sender must not apply the chunked coding more than once to a message body.", "RFC 9112 §6.1"),
        TransferEncodingInHttp10 => e("Transfer-Encoding in HTTP/1.0", "HTTP/1.0 has no transfer codings, so a Transfer-Encoding in an HTTP/1.0 message means faulty framing.", "RFC 9112 §6.1"),
        InvalidChunkSize => e("Invalid chunk size", "Each chunk starts with its size in hexadecimal digits, then optional extensions and CRLF.", "RFC 9112 §7.1"),
        InvalidChunkExt => e("Invalid chunk extension", "Chunk extensions are ;name or ;name=value, where the value is a token or a quoted string.", "RFC 9112 §7.1.1"),
        MissingChunkCrlf => e("Missing CRLF after chunk data", "Chunk data is followed by CRLF. Other bytes there mean the chunk is longer than its size said.", "RFC 9112 §7.1"),
        CloseDelimitedBody => e("Body delimited by close", "A response with neither Content-Length nor chunked ends when the server closes the connection, so the connection cannot be reused.", "RFC 9112 §6.3"),
        IncompleteMessage => e("Incomplete message", "The input ended before the message did. Over a socket this means the connection closed early, or the rest has not arrived yet.", "RFC 9112 §8"),
        DataAfterClose => e("Data after close", "A message follows one after which the connection was to close (Connection: close, or HTTP/1.0 without keep-alive). A receiver would not read it.", "RFC 9112 §9.6"),
        ProtocolSwitched => e("Protocol switched", "After 101 Switching Protocols, or a 2xx answer to CONNECT, the connection carries another protocol; the bytes after it are not HTTP/1.1.", "RFC 9110 §15.2.2"),
        UnknownContentEncoding => e("Unknown content coding", "The body has a content coding wirepad does not decode; the raw bytes are shown as they are.", "RFC 9110 §8.4"),
        InputTooLarge => e("Input too large", "wirepad reads at most 4 GiB in one parse; the bytes after that were not read or labelled.", "RFC 9112 §2.3"),
        ContentDecodingFailed => e("Content decoding failed", "The body was meant to be compressed with the named coding but does not decode; the raw bytes are shown as they are.", "RFC 9110 §8.4"),
        ChunkedBareLf => e("Bare LF in chunked framing", "A chunk-size line or the line end after chunk data is a lone LF. The leniency for bare LF covers the start line and field lines only: the chunked framing has CR LF, and a parser that reads it differently from the next one is how request smuggling starts.", "RFC 9112 §7.1"),
        StrayLineEnd => e("Stray line end between responses", "A line end where the next status line belongs. Servers may skip empty lines before a request line, but responses get no such allowance: a client sees bytes that belong to no response (often a miscounted body).", "RFC 9112 §2.2"),
        NoFinalResponse => e("No final response", "An interim 1xx response only says the server is still at work: a final response (2xx to 5xx) must follow it. The connection ended before that one came.", "RFC 9110 §15.2"),
        FramingOnConnect => e("Content-Length or Transfer-Encoding on CONNECT", "A CONNECT request has no content, and a server must not send Content-Length or Transfer-Encoding in a 2xx answer to CONNECT: after that answer the connection is a tunnel, and those fields frame nothing.", "RFC 9110 §9.3.6"),
        UnknownTransferCoding => e("Unknown transfer coding", "A transfer coding that is not in the registry (chunked, gzip, deflate, compress). \"identity\" is obsolete: it was removed from the registry. A server answers a request with a transfer coding it does not know with 501 (Not Implemented).", "RFC 9112 §6.1"),
        MissingWwwAuthenticate => e("401 without WWW-Authenticate", "A 401 (Unauthorized) says the request lacks valid credentials; the server must say how to give them in a WWW-Authenticate field (a challenge such as Basic realm=\"lab\"). Without one, the client cannot know how to authenticate.", "RFC 9110 §15.5.2"),
        MissingAllow => e("405 without Allow", "A 405 (Method Not Allowed) must list the methods the resource does allow in an Allow field, so that the client knows what it can do instead.", "RFC 9110 §15.5.6"),
        MissingContentRange => e("206 without Content-Range", "A 206 (Partial Content) with one part must say which bytes it carries in Content-Range; several parts come as a multipart/byteranges body instead, each part with its own Content-Range.", "RFC 9110 §15.3.7"),
        MissingRangeLength => e("416 without Content-Range", "A 416 (Range Not Satisfiable) should say how long the representation is, as Content-Range: bytes */N, so that the client can ask for a range that exists.", "RFC 9110 §15.5.17"),
        MissingLocation => e("Redirect without Location", "A redirect (301, 302, 303, 307, 308) should name where to go in a Location field; without it the client has nowhere to follow.", "RFC 9110 §15.4"),
        FramingOnBodilessResponse => e("Content-Length or Transfer-Encoding on a response without content", "A 1xx (Informational) or 204 (No Content) response never has content, and a server must not send Content-Length or Transfer-Encoding in one: a recipient that believed them would read the next response as this one's body.", "RFC 9110 §8.6"),
        ContentOnBodilessResponse => e("Content after a response that has none", "A 1xx, 204 or 304 response, and any response to HEAD, ends at the empty line after its header section, whatever its fields say: it cannot have content. Bytes a server sends after it anyway are read by the client as the start of the next response, which they are not.", "RFC 9112 §6.3"),
        AcceptedInvalidRequest => e("Server accepted a request it must reject", "The request had a problem that RFC 9112 says a server MUST answer with 400 (Bad Request), such as a missing Host; this server answered with something else. A server that is lenient where it must not be lets two parsers disagree about a message: that is how request smuggling and cache poisoning begin.", "RFC 9112 §3.2"),
    }
}

/// Status codes registered by RFC 9110 (and a few common extensions).
const STATUS: &[(u16, Entry)] = &[
    (100, e("Continue", "The server has the request head and the client may send the body (answers Expect: 100-continue). An interim response: the final one follows.", "RFC 9110 §15.2.1")),
    (101, e("Switching Protocols", "The server switches to the protocol named in Upgrade (for example WebSocket); the bytes after this response are that protocol.", "RFC 9110 §15.2.2")),
    (103, e("Early Hints", "Interim hints, often Link headers, so the client can start loading resources; the final response follows.", "RFC 8297 §2")),
    (200, e("OK", "The request succeeded; the body carries the result.", "RFC 9110 §15.3.1")),
    (201, e("Created", "The request created a new resource, usually named in Location.", "RFC 9110 §15.3.2")),
    (202, e("Accepted", "The request was accepted for processing that has not finished.", "RFC 9110 §15.3.3")),
    (203, e("Non-Authoritative Information", "Success, but a proxy changed the content.", "RFC 9110 §15.3.4")),
    (204, e("No Content", "Success with no body: a 204 response never has one, whatever its headers say.", "RFC 9110 §15.3.5")),
    (205, e("Reset Content", "Success; the client should reset the form that sent the request.", "RFC 9110 §15.3.6")),
    (206, e("Partial Content", "Only the ranges asked for with Range are sent.", "RFC 9110 §15.3.7")),
    (300, e("Multiple Choices", "Several representations exist; the client may choose one.", "RFC 9110 §15.4.1")),
    (301, e("Moved Permanently", "The resource has a new permanent URI, given in Location.", "RFC 9110 §15.4.2")),
    (302, e("Found", "The resource is temporarily at the URI in Location.", "RFC 9110 §15.4.3")),
    (303, e("See Other", "The client should GET the URI in Location (typical after a POST).", "RFC 9110 §15.4.4")),
    (304, e("Not Modified", "The cached copy the client named (If-None-Match, If-Modified-Since) is still good. A 304 never has a body.", "RFC 9110 §15.4.5")),
    (307, e("Temporary Redirect", "Repeat the same request, with the same method and body, at the URI in Location.", "RFC 9110 §15.4.8")),
    (308, e("Permanent Redirect", "Like 301, but the method and body must not change.", "RFC 9110 §15.4.9")),
    (400, e("Bad Request", "The server cannot process the request because it is malformed, for example a missing Host or bad framing.", "RFC 9110 §15.5.1")),
    (401, e("Unauthorized", "Authentication is needed; WWW-Authenticate says how.", "RFC 9110 §15.5.2")),
    (403, e("Forbidden", "The server understood the request and refuses it.", "RFC 9110 §15.5.4")),
    (404, e("Not Found", "The server has nothing at this target (or will not say).", "RFC 9110 §15.5.5")),
    (405, e("Method Not Allowed", "The target does not support this method; Allow lists those it does.", "RFC 9110 §15.5.6")),
    (406, e("Not Acceptable", "No representation matches the request's Accept headers.", "RFC 9110 §15.5.7")),
    (408, e("Request Timeout", "The server gave up waiting for the complete request.", "RFC 9110 §15.5.9")),
    (409, e("Conflict", "The request conflicts with the current state of the resource.", "RFC 9110 §15.5.10")),
    (410, e("Gone", "The resource is gone for good.", "RFC 9110 §15.5.11")),
    (411, e("Length Required", "The server wants a Content-Length with the body.", "RFC 9110 §15.5.12")),
    (412, e("Precondition Failed", "A condition in the request headers (If-Match, ...) was false.", "RFC 9110 §15.5.13")),
    (413, e("Content Too Large", "The body is larger than the server will take.", "RFC 9110 §15.5.14")),
    (414, e("URI Too Long", "The request target is longer than the server will read.", "RFC 9110 §15.5.15")),
    (415, e("Unsupported Media Type", "The body's Content-Type or Content-Encoding is not supported.", "RFC 9110 §15.5.16")),
    (416, e("Range Not Satisfiable", "The ranges asked for do not overlap the resource.", "RFC 9110 §15.5.17")),
    (417, e("Expectation Failed", "The server cannot meet the Expect header.", "RFC 9110 §15.5.18")),
    (418, e("(Unused)", "Reserved after an April Fools' joke protocol; real servers should not send it.", "RFC 9110 §15.5.19")),
    (421, e("Misdirected Request", "This server cannot answer for the host the request named.", "RFC 9110 §15.5.20")),
    (422, e("Unprocessable Content", "The request is well-formed but its content makes no sense to the server.", "RFC 9110 §15.5.21")),
    (426, e("Upgrade Required", "The server will only answer over the protocol named in Upgrade.", "RFC 9110 §15.5.22")),
    (429, e("Too Many Requests", "The client sent too many requests; Retry-After may say when to try again.", "RFC 6585 §4")),
    (431, e("Request Header Fields Too Large", "The header section is larger than the server will take.", "RFC 6585 §5")),
    (500, e("Internal Server Error", "Something went wrong inside the server.", "RFC 9110 §15.6.1")),
    (501, e("Not Implemented", "The server does not support the method at all.", "RFC 9110 §15.6.2")),
    (502, e("Bad Gateway", "A proxy or gateway got an invalid answer from the server behind it.", "RFC 9110 §15.6.3")),
    (503, e("Service Unavailable", "The server is overloaded or down for maintenance.", "RFC 9110 §15.6.4")),
    (504, e("Gateway Timeout", "A proxy or gateway did not get an answer in time.", "RFC 9110 §15.6.5")),
    (505, e("HTTP Version Not Supported", "The server does not support the request's HTTP major version.", "RFC 9110 §15.6.6")),
];

/// The explanation of a status code; codes without their own entry get their class's.
pub fn status(code: u16) -> Option<Entry> {
    if let Some((_, entry)) = STATUS.iter().find(|(c, _)| *c == code) {
        return Some(*entry);
    }
    Some(match code / 100 {
        1 => e("Informational", "An interim 1xx response: the final response follows.", "RFC 9110 §15.2"),
        2 => e("Successful", "A 2xx code: the request was received, understood and accepted.", "RFC 9110 §15.3"),
        3 => e("Redirection", "A 3xx code: the client must do more, usually follow Location.", "RFC 9110 §15.4"),
        4 => e("Client Error", "A 4xx code: the request seems to be at fault.", "RFC 9110 §15.5"),
        5 => e("Server Error", "A 5xx code: the server failed to carry out a valid request.", "RFC 9110 §15.6"),
        _ => return None,
    })
}

/// Common header fields, by lower-case name.
const HEADERS: &[(&str, Entry)] = &[
    ("accept", e("Accept", "Media types the client can take in the response, with optional q= weights.", "RFC 9110 §12.5.1")),
    ("accept-charset", e("Accept-Charset", "Character sets the client prefers (rarely sent today).", "RFC 9110 §12.5.2")),
    ("accept-encoding", e("Accept-Encoding", "Content codings the client can decode, such as gzip or br.", "RFC 9110 §12.5.3")),
    ("accept-language", e("Accept-Language", "Natural languages the client prefers.", "RFC 9110 §12.5.4")),
    ("accept-ranges", e("Accept-Ranges", "Whether the server supports range requests (bytes or none).", "RFC 9110 §14.3")),
    ("age", e("Age", "Seconds since the response was generated, when it comes from a cache.", "RFC 9111 §5.1")),
    ("allow", e("Allow", "Methods the target resource supports.", "RFC 9110 §10.2.1")),
    ("alt-svc", e("Alt-Svc", "Other places (protocols, hosts, ports) where the same service can be reached, such as HTTP/3.", "RFC 7838 §3")),
    ("authorization", e("Authorization", "The client's credentials for the server.", "RFC 9110 §11.6.2")),
    ("cache-control", e("Cache-Control", "Directives for caches: max-age, no-store, no-cache, private, ...", "RFC 9111 §5.2")),
    ("connection", e("Connection", "Options for this connection only: close ends it after this message; keep-alive asks HTTP/1.0 to keep it open.", "RFC 9110 §7.6.1")),
    ("content-disposition", e("Content-Disposition", "Whether to show the body inline or save it as a file, and the file name.", "RFC 6266 §4")),
    ("content-encoding", e("Content-Encoding", "Codings applied to the content (gzip, deflate, br); the client must undo them to get the representation.", "RFC 9110 §8.4")),
    ("content-language", e("Content-Language", "The natural language of the content.", "RFC 9110 §8.5")),
    ("content-length", e("Content-Length", "The length of the body in bytes, in decimal. When a body follows, the receiver reads exactly this many bytes after the empty line; a response to HEAD, and 1xx, 204 and 304 responses, have no body whatever it says, and Transfer-Encoding overrides it.", "RFC 9110 §8.6")),
    ("content-location", e("Content-Location", "A URI for the specific representation in the body.", "RFC 9110 §8.7")),
    ("content-range", e("Content-Range", "Which part of the full representation a partial body is.", "RFC 9110 §14.4")),
    ("content-security-policy", e("Content-Security-Policy", "Rules for what the page may load and run, a defence against cross-site scripting.", "W3C CSP Level 3")),
    ("content-type", e("Content-Type", "The media type of the body, such as text/html; charset=utf-8.", "RFC 9110 §8.3")),
    ("cookie", e("Cookie", "Cookies the client stored for this server, sent back with each request.", "RFC 6265 §5.4")),
    ("date", e("Date", "When the message was generated, in IMF-fixdate form.", "RFC 9110 §6.6.1")),
    ("etag", e("ETag", "An opaque validator of this version of the resource, for If-None-Match and If-Match.", "RFC 9110 §8.8.3")),
    ("expect", e("Expect", "100-continue asks the server to say 100 Continue before the client sends the body.", "RFC 9110 §10.1.1")),
    ("expires", e("Expires", "When the response becomes stale for caches.", "RFC 9111 §5.3")),
    ("from", e("From", "An email address for the human behind the client.", "RFC 9110 §10.1.2")),
    ("host", e("Host", "The host (and port, if not the default) the request is for. Required in every HTTP/1.1 request, because one IP address can serve many sites.", "RFC 9110 §7.2")),
    ("if-match", e("If-Match", "Do this only if the resource's ETag matches.", "RFC 9110 §13.1.1")),
    ("if-modified-since", e("If-Modified-Since", "Send the resource only if it changed since this date; otherwise 304.", "RFC 9110 §13.1.3")),
    ("if-none-match", e("If-None-Match", "Send the resource only if its ETag is not one of these; otherwise 304.", "RFC 9110 §13.1.2")),
    ("if-range", e("If-Range", "Send the ranges asked for only if the resource is unchanged; otherwise all of it.", "RFC 9110 §13.1.5")),
    ("if-unmodified-since", e("If-Unmodified-Since", "Do this only if the resource has not changed since this date.", "RFC 9110 §13.1.4")),
    ("keep-alive", e("Keep-Alive", "Old HTTP/1.0 hints for how long an idle connection stays open (timeout=, max=).", "RFC 2068 §19.7.1.1")),
    ("last-modified", e("Last-Modified", "When the resource last changed, for If-Modified-Since.", "RFC 9110 §8.8.2")),
    ("link", e("Link", "Links to related resources, such as preload hints.", "RFC 8288 §3")),
    ("location", e("Location", "Where to go next: the redirect target of a 3xx, or the new resource of a 201.", "RFC 9110 §10.2.2")),
    ("max-forwards", e("Max-Forwards", "How many more proxies may forward a TRACE or OPTIONS request.", "RFC 9110 §7.6.2")),
    ("origin", e("Origin", "The origin (scheme, host, port) of the page that made the request.", "RFC 6454 §7")),
    ("pragma", e("Pragma", "Old HTTP/1.0 cache directive; Pragma: no-cache means Cache-Control: no-cache.", "RFC 9111 §5.4")),
    ("proxy-authenticate", e("Proxy-Authenticate", "How to authenticate to the proxy (with 407).", "RFC 9110 §11.7.1")),
    ("proxy-authorization", e("Proxy-Authorization", "The client's credentials for a proxy.", "RFC 9110 §11.7.2")),
    ("range", e("Range", "Asks for part of the representation, e.g. bytes=0-99.", "RFC 9110 §14.2")),
    ("referer", e("Referer", "The page the request's URI came from (the misspelling is historic).", "RFC 9110 §10.1.3")),
    ("retry-after", e("Retry-After", "How long to wait before trying again (with 503, 429 or 3xx).", "RFC 9110 §10.2.3")),
    ("server", e("Server", "The software the server runs.", "RFC 9110 §10.2.4")),
    ("set-cookie", e("Set-Cookie", "Asks the client to store a cookie and send it back in later requests.", "RFC 6265 §4.1")),
    ("strict-transport-security", e("Strict-Transport-Security", "Use only HTTPS for this host for the given time.", "RFC 6797 §6.1")),
    ("te", e("TE", "Transfer codings the client accepts in the response, and whether it takes trailers.", "RFC 9110 §10.1.4")),
    ("trailer", e("Trailer", "Which fields will come in the trailer section after a chunked body.", "RFC 9110 §6.6.2")),
    ("transfer-encoding", e("Transfer-Encoding", "Codings applied to the message for transfer. chunked sends the body in sized pieces, so the length need not be known in advance.", "RFC 9112 §6.1")),
    ("upgrade", e("Upgrade", "Asks to switch this connection to another protocol, such as websocket.", "RFC 9110 §7.8")),
    ("user-agent", e("User-Agent", "The client software making the request.", "RFC 9110 §10.1.5")),
    ("vary", e("Vary", "Which request headers chose this response, so caches keep one copy per value.", "RFC 9110 §12.5.5")),
    ("via", e("Via", "The proxies the message passed through.", "RFC 9110 §7.6.3")),
    ("www-authenticate", e("WWW-Authenticate", "How to authenticate to the server (with 401).", "RFC 9110 §11.6.1")),
    ("x-content-type-options", e("X-Content-Type-Options", "nosniff: the browser must trust Content-Type and not guess the type.", "WHATWG Fetch §3.5")),
    ("x-frame-options", e("X-Frame-Options", "Whether other sites may show this page in a frame.", "RFC 7034 §2")),
];

/// The methods defined by RFC 9110 and PATCH.
const METHODS: &[(&str, Entry)] = &[
    (
        "GET",
        e(
            "GET",
            "Asks for a representation of the target resource. It is safe (changes nothing) and has no body.",
            "RFC 9110 §9.3.1",
        ),
    ),
    (
        "HEAD",
        e(
            "HEAD",
            "Like GET, but the response has no body: only the headers, which describe the body a GET would get.",
            "RFC 9110 §9.3.2",
        ),
    ),
    (
        "POST",
        e("POST", "Sends the body to the target to be processed: a form, an upload, an API call.", "RFC 9110 §9.3.3"),
    ),
    ("PUT", e("PUT", "Replaces the target resource with the body.", "RFC 9110 §9.3.4")),
    ("DELETE", e("DELETE", "Removes the target resource.", "RFC 9110 §9.3.5")),
    (
        "CONNECT",
        e(
            "CONNECT",
            "Asks a proxy for a tunnel to host:port; after a 2xx the connection carries other bytes.",
            "RFC 9110 §9.3.6",
        ),
    ),
    ("OPTIONS", e("OPTIONS", "Asks which options (methods, features) the target supports.", "RFC 9110 §9.3.7")),
    ("TRACE", e("TRACE", "Asks the server to echo the request back, to see what proxies changed.", "RFC 9110 §9.3.8")),
    ("PATCH", e("PATCH", "Applies a partial change, described by the body, to the target resource.", "RFC 5789 §2")),
];

/// The explanation of a method (methods are case-sensitive).
pub fn method(name: &str) -> Option<Entry> {
    METHODS.iter().find(|(m, _)| *m == name).map(|(_, e)| *e)
}

/// The explanation of a header field, by name (case-insensitive).
pub fn header(name: &str) -> Option<Entry> {
    HEADERS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, e)| *e)
}

/// What one field's value says, beyond what the field is: for now the
/// credentials and challenges of HTTP authentication, whose Basic
/// credentials are only base64 (RFC 7617), so a student sees that anyone
/// reading the bytes reads the password.
#[cfg(feature = "decode")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValueNote {
    pub text: String,
    pub rfc: &'static str,
}

/// The note on the value of field `name` (case-insensitive), if wirepad has
/// one: `Authorization`, `Proxy-Authorization`, `WWW-Authenticate` and
/// `Proxy-Authenticate`.
///
/// ```
/// let note = wirepad::explain::field_value("Authorization", "Basic c3R1ZGVudDpzZWNyZXQ=").unwrap();
/// assert!(note.text.contains(r#""student:secret""#));
/// ```
#[cfg(feature = "decode")]
pub fn field_value(name: &str, value: &str) -> Option<ValueNote> {
    let name = name.to_ascii_lowercase();
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    let rest = rest.trim();
    let note = |text: String, rfc| Some(ValueNote { text, rfc });
    match (name.as_str(), scheme.to_ascii_lowercase().as_str()) {
        ("authorization" | "proxy-authorization", "basic") => note(basic_credentials(rest), "RFC 7617 §2"),
        ("authorization" | "proxy-authorization", "digest") => note(
            "Digest credentials: the response parameter is a hash of the user name, the password, the server's nonce and the request; the password itself never crosses the wire.".into(),
            "RFC 7616 §3.4",
        ),
        ("www-authenticate" | "proxy-authenticate", "basic") => {
            let realm = rest.split_once("realm=").map_or("", |(_, r)| r.split(',').next().unwrap_or("").trim_matches('"'));
            note(
                format!("A Basic challenge for the realm \"{realm}\": the client answers with Authorization: Basic and the base64 of user:password. Base64 is an encoding, not encryption: anyone who sees the request reads the password, so Basic belongs on https."),
                "RFC 7617 §2",
            )
        }
        ("www-authenticate" | "proxy-authenticate", "digest") => note(
            "A Digest challenge: the client proves it knows the password by sending a hash of it with this nonce, so the password never crosses the wire.".into(),
            "RFC 7616 §3.3",
        ),
        _ => None,
    }
}

/// The words for `Basic TOKEN`: the token decoded, or why it cannot be.
#[cfg(feature = "decode")]
fn basic_credentials(token: &str) -> String {
    use base64::Engine;
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(token) else {
        return format!("\"{token}\" is not valid base64, so the server cannot read these credentials.");
    };
    let decoded = String::from_utf8_lossy(&bytes);
    match decoded.split_once(':') {
        Some((user, password)) => format!("The token {token} is base64 for \"{decoded}\": user \"{user}\", password \"{password}\". Base64 is an encoding, not encryption: anyone who sees these bytes reads the password, so Basic belongs on https."),
        None => format!("The token {token} is base64 for \"{decoded}\", which has no colon: Basic credentials are user:password, so the server cannot split them."),
    }
}

/// A link to the section an `rfc` reference names, e.g.
/// "RFC 9112 §6.3" → <https://www.rfc-editor.org/rfc/rfc9112#section-6.3>.
pub fn rfc_url(rfc: &str) -> Option<String> {
    let rest = rfc.strip_prefix("RFC ")?;
    let (number, section) = rest.split_once(" §")?;
    Some(format!("https://www.rfc-editor.org/rfc/rfc{number}#section-{section}"))
}

/// The whole table, for the page: keyed by span kind, code, status and
/// lower-case header name.
#[derive(Serialize)]
pub struct Table {
    pub kinds: Vec<(&'static str, Entry)>,
    /// How each kind's end is found, by kind.
    pub ends: Vec<(&'static str, &'static str)>,
    pub codes: Vec<(&'static str, Entry)>,
    pub statuses: Vec<(u16, Entry)>,
    pub methods: Vec<(&'static str, Entry)>,
    pub headers: Vec<(&'static str, Entry)>,
    /// The relay's error codes (`wirepad::protocol::RelayError`).
    pub relay_errors: Vec<(&'static str, Entry)>,
}

pub fn table() -> Table {
    Table {
        kinds: SpanKind::ALL.iter().map(|k| (k.as_str(), kind(*k))).collect(),
        ends: SpanKind::ALL.iter().map(|k| (k.as_str(), ends(*k))).collect(),
        codes: Code::ALL.iter().map(|c| (c.as_str(), code(*c))).collect(),
        statuses: STATUS.to_vec(),
        methods: METHODS.to_vec(),
        headers: HEADERS.to_vec(),
        relay_errors: RelayError::ALL.iter().map(|c| (c.as_str(), relay_error(*c))).collect(),
    }
}

/// What a TLS span kind is (the page's `#tls-wire`).
pub fn tls_kind(k: TlsKind) -> Entry {
    use TlsKind::*;
    match k {
        RecordType => e("Record type", "Every TLS record starts with one byte saying what it carries: 22 handshake, 23 application data (in TLS 1.3 also everything encrypted), 21 alert, 20 change_cipher_spec.", "RFC 8446 §5.1"),
        RecordVersion => e("Record version", "Two bytes, 3 3 (TLS 1.2) for compatibility with old middleboxes, even in TLS 1.3; a first ClientHello may say 3 1. The version really spoken is agreed in the hellos.", "RFC 8446 §5.1"),
        RecordLength => e("Record length", "How many payload bytes follow this five-byte header, at most 2^14 (plus 256 when encrypted). The receiver reads exactly that many: this is how TLS frames its records on the TCP stream.", "RFC 8446 §5.1"),
        HandshakeType => e("Handshake message type", "Which handshake message this is: 1 ClientHello, 2 ServerHello, 11 Certificate, 20 Finished, ...", "RFC 8446 §4"),
        HandshakeLength => e("Handshake message length", "Three bytes: the length of the message's body. A handshake message may span several records, or share one with others.", "RFC 8446 §4"),
        HelloVersion => e("Hello version", "legacy_version: 3 3 (TLS 1.2). A TLS 1.3 client and server say which versions they really support in the supported_versions extension.", "RFC 8446 §4.1.2"),
        Random => e("Random", "32 random bytes from each side. They go into the key computation, so every connection gets new keys even between the same two machines.", "RFC 8446 §4.1.2"),
        VectorLength => e("Length prefix", "A list in TLS starts with its length in bytes (one or two bytes, as the list may be long), so the receiver knows where it ends.", "RFC 8446 §3.4"),
        SessionId => e("Session id", "legacy_session_id: in TLS 1.2 it named a session to resume; TLS 1.3 clients send 32 random bytes here so middleboxes see a familiar shape, and the server echoes them.", "RFC 8446 §4.1.2"),
        CipherSuite => e("Cipher suite", "Two bytes naming an encryption and hash combination. The client lists those it supports, best first; the server's hello names the one it chose.", "RFC 8446 §4.1.2"),
        Compression => e("Compression methods", "TLS compression was dropped (the CRIME attack); the only value left is 0, none.", "RFC 8446 §4.1.2"),
        ExtensionType => e("Extension type", "Two bytes naming an extension: what both sides support beyond the basic hello (versions, key shares, the server name, ALPN, ...).", "RFC 8446 §4.2"),
        ExtensionData => e("Extension data", "The contents of the extension named before it.", "RFC 8446 §4.2"),
        ServerName => e("Server name (SNI)", "The host name the client wants, sent in the clear: one IP address can serve many sites, and the server picks the certificate for this name. A client sends none when the target is an IP address.", "RFC 6066 §3"),
        Alpn => e("ALPN", "Application-Layer Protocol Negotiation: the protocols the client can speak inside TLS (this page offers only http/1.1), and in the server's answer the one it chose.", "RFC 7301 §3.1"),
        HandshakeBody => e("Handshake message", "The body of a handshake message sent in the clear, such as TLS 1.2's Certificate: the server's certificate chain, which anyone on the path can read.", "RFC 5246 §7.4"),
        ChangeCipherSpec => e("Change cipher spec", "One byte, 1. In TLS 1.2 it says: from now on I encrypt. TLS 1.3 sends it only so middleboxes see a familiar shape, and ignores it.", "RFC 8446 §5"),
        AlertLevel => e("Alert level", "1 warning or 2 fatal. A fatal alert ends the connection.", "RFC 8446 §6"),
        AlertDescription => e("Alert description", "What the alert says: 0 close_notify (I am done sending), 40 handshake_failure, 48 unknown_ca, ...", "RFC 8446 §6"),
        Encrypted => e("Encrypted payload", "Bytes only the two ends can read. In application data records these carry the HTTP bytes (click one to see which); in TLS 1.3 the rest of the handshake is encrypted too, as application data records.", "RFC 8446 §5.2"),
        Unparsed => e("Not TLS", "Bytes that cannot be a TLS record: a record starts with a content type from 20 to 23 and version 3.x. A server speaking plain HTTP on this port sends these.", "RFC 8446 §5.1"),
    }
}

/// What a TLS failure means, for a student (RFC 5280 says how certificates
/// chain to a trusted root, RFC 9525 how their names are checked).
pub fn tls_failure(f: Failure) -> Entry {
    use Failure::*;
    match f {
        UnknownIssuer => e("The certificate is signed by no one this page trusts", "The server's certificate does not chain to a trusted root (the public roots, or a lab CA the relay hands over with --trust-ca): anyone could have made it.", "RFC 5280 §6"),
        Expired => e("The server's certificate has expired", "A certificate is valid only between its notBefore and notAfter dates.", "RFC 5280 §4.1.2.5"),
        NotYetValid => e("The server's certificate is not valid yet", "Its notBefore date is in the future, or this computer's clock is wrong.", "RFC 5280 §4.1.2.5"),
        WrongName => e("The certificate is for another name", "The name typed as the target is not among the names the certificate was issued for: it may be another server.", "RFC 9525 §6"),
        BadCertificate => e("The server's certificate was refused", "It could not be verified.", "RFC 8446 §4.4.2.4"),
        NotTls => e("The server did not answer in TLS", "What came back is not TLS records: perhaps the server speaks plain HTTP on this port. Try it without TLS.", "RFC 8446 §5.1"),
        HandshakeFailure => e("The TLS handshake failed", "Client and server could not agree (a version, a cipher suite), or the server sent an alert.", "RFC 8446 §6"),
        BadName => e("This host cannot be a TLS server name", "TLS needs a DNS name or an IP address to check the certificate against.", "RFC 6066 §3"),
        BadTrust => e("A CA handed over by the relay cannot be read", "A --trust-ca file holds a certificate that is not valid PEM.", "RFC 7468 §5"),
        Failed => e("The TLS connection failed", "The TLS library's own words follow.", "RFC 8446 §6"),
    }
}

/// The TLS part of the table (loaded with the TLS package): span kinds,
/// failures, and the names of the numbers in records.
#[derive(Serialize)]
pub struct TlsTable {
    pub kinds: Vec<(&'static str, Entry)>,
    pub failures: Vec<(&'static str, Entry)>,
    pub content_types: Vec<(u8, &'static str)>,
    pub handshakes: Vec<(u8, &'static str)>,
    pub alerts: Vec<(u8, &'static str)>,
    pub versions: Vec<(u16, &'static str)>,
    pub extensions: Vec<(u16, &'static str)>,
    pub suites: Vec<(u16, &'static str)>,
}

pub fn tls_table() -> TlsTable {
    fn names<T: Copy + TryFrom<u32>>(name: fn(T) -> Option<&'static str>, max: u32) -> Vec<(T, &'static str)> {
        (0..=max).filter_map(|n| T::try_from(n).ok()).filter_map(|n| name(n).map(|s| (n, s))).collect()
    }
    TlsTable {
        kinds: TlsKind::ALL.iter().map(|k| (k.as_str(), tls_kind(*k))).collect(),
        failures: Failure::ALL.iter().map(|f| (f.as_str(), tls_failure(*f))).collect(),
        content_types: names(tls::content_type_name, 255),
        handshakes: names(tls::handshake_name, 255),
        alerts: names(tls::alert_name, 255),
        versions: names(tls::version_name, 0xffff),
        extensions: names(tls::extension_name, 0xffff),
        suites: names(tls::suite_name, 0xffff),
    }
}

/// What a relay error means, for a student (the relay's own message, with
/// the host and address, follows it on the page).
pub fn relay_error(c: RelayError) -> Entry {
    use RelayError::*;
    match c {
        BadRequest => e("The page asked the relay something it does not understand", "The relay needs a host and a port number.", "RFC 6455 §4.1"),
        TargetNotAllowed => e("The relay refuses this target", "The relay reaches only public servers on ports 80 and 443, and what the teacher allowed: a student's server needs --allow-target ADDRESS:PORT, or a lab range such as 10.0.5.0/24:8000-8099.", "RFC 6890 §2.2"),
        DnsFailed => e("The host name could not be looked up", "DNS had no address for this name: check the spelling, or the machine has no network.", "RFC 1034 §2"),
        ConnectRefused => e("Nothing listens there", "The machine answered, but no server listens on that port (a TCP reset).", "RFC 9293 §3.5.2"),
        ConnectTimeout => e("The server did not answer in time", "No answer to the connection request: the machine is down, or a firewall drops the packets.", "RFC 9293 §3.5"),
        ConnectFailed => e("The connection failed", "The TCP connection could not be opened.", "RFC 9293 §3.5"),
        TooManySessions => e("The relay is busy", "It has as many sessions open as it allows (for everyone, or for your address); try again soon.", "RFC 6455 §4.1"),
        MessageTooLarge => e("The request is too large to relay", "One WebSocket message to the relay may carry at most 1 MiB.", "RFC 6455 §10.4"),
        WriteFailed => e("The server stopped accepting bytes", "It closed its side of the connection before the page had sent everything.", "RFC 9293 §3.6"),
    }
}

#[cfg(all(test, feature = "decode"))]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_decoded_and_said_to_be_readable() {
        let note = field_value("authorization", "Basic c3R1ZGVudDpzZWNyZXQ=").unwrap();
        assert!(
            note.text.contains(r#"base64 for "student:secret": user "student", password "secret""#),
            "{}",
            note.text
        );
        assert!(note.text.contains("not encryption"));
        assert_eq!(note.rfc, "RFC 7617 §2");
        // Scheme names compare case-insensitively (RFC 9110 §11.1).
        assert!(field_value("Proxy-Authorization", "basic c3R1ZGVudDpzZWNyZXQ=")
            .unwrap()
            .text
            .contains("student:secret"));
    }

    #[test]
    fn a_bad_token_or_one_without_a_colon_is_said_so() {
        assert!(field_value("Authorization", "Basic !!!").unwrap().text.contains("not valid base64"));
        // "c3R1ZGVudA==" is "student": no password.
        assert!(field_value("Authorization", "Basic c3R1ZGVudA==").unwrap().text.contains("has no colon"));
    }

    #[test]
    fn challenges_name_their_realm_and_other_fields_have_no_note() {
        let note = field_value("WWW-Authenticate", r#"Basic realm="wirepad practice", charset="UTF-8""#).unwrap();
        assert!(note.text.contains(r#"realm "wirepad practice""#), "{}", note.text);
        assert!(field_value("www-authenticate", "Digest realm=\"x\", nonce=\"n\"")
            .unwrap()
            .text
            .contains("never crosses the wire"));
        assert_eq!(field_value("Authorization", "Bearer abc"), None);
        assert_eq!(field_value("Host", "Basic c3R1ZGVudDpzZWNyZXQ="), None);
    }
}
