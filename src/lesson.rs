//! Lesson files (docs/formats.md#lesson-files): their format, defined once
//! as serde types, and its check. `wirepad lesson check` and `wirepad serve
//! --lessons` both read lessons through [`check`], so a teacher sees the same
//! `file:line:column: message` list in a terminal and in the page.
//!
//! A lesson is read in two passes so that one mistake does not hide the
//! others: first its outer object (`id`, `title`, and each step left as raw
//! text), then every step on its own. Each step reports its first mistake,
//! positioned in the whole file. Inside a step, serde_json stops at the first
//! error; checks that look at several fields at once (a request needs a
//! target or `practice`) are made by `try_from` conversions and so point at
//! the end of the object they are about.

use crate::span::string_enum;
use serde::de::{Deserializer, Error as _};
use serde::Deserialize;
use serde_json::value::RawValue;

string_enum! {
    /// Which wire a lesson's `look` marks.
    pub enum Wire {
        Request = "request",
        Response = "response",
    }
}

string_enum! {
    /// What a prediction asks, counted in the responses that come back.
    pub enum Ask {
        Status = "status",
        Chunks = "chunks",
        Messages = "messages",
    }
}

string_enum! {
    /// Which parts the "name the parts" exercise asks for (`#exercise-parts`).
    pub enum ExerciseParts {
        All = "all",
        StartLine = "start-line",
        Headers = "headers",
        Framing = "framing",
    }
}

/// Deserializes a string enum by its one string form, naming every allowed
/// value when the string is not one of them.
macro_rules! deserialize_by_name {
    ($($name:ident),*) => {$(
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = String::deserialize(d)?;
                $name::from_name(&s).ok_or_else(|| {
                    let all: Vec<String> = $name::ALL.iter().map(|v| format!("\"{v}\"")).collect();
                    D::Error::custom(format!("\"{s}\" is not one of {}", all.join(", ")))
                })
            }
        }
    )*};
}
deserialize_by_name!(Wire, Ask, ExerciseParts);

/// A whole lesson: `{"id", "title", "steps": [...]}`.
#[derive(Debug)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub steps: Vec<Step>,
}

/// One step of a lesson; every field but `text` is optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The prose the teacher writes.
    pub text: String,
    /// The request to load into the composer.
    pub request: Option<Request>,
    /// A recorded response to show at once, without a network.
    pub response: Option<Recorded>,
    /// Parts to mark, with a note each.
    pub look: Option<Vec<Look>>,
    /// A prediction to make before Send.
    pub predict: Option<Predict>,
    /// The exercise `#lesson-exercise` offers.
    pub exercise: Option<ExerciseParts>,
}

/// Where a step's request goes, and its bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub to: To,
    /// The bytes to send; `{run}` in them (and in the step's prose) is
    /// replaced by the page with a name made up each time the lesson opens
    /// (`www/js/logic.js` `withRun`), so a lesson can write a resource of its own.
    pub bytes: Vec<u8>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum To {
    /// The practice server `wirepad serve` runs.
    Practice,
    /// A host the relay connects to (port 80 unless given).
    Host { target: String, port: u16 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestFields {
    practice: Option<bool>,
    target: Option<String>,
    port: Option<u16>,
    text: Option<WireText>,
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Request, D::Error> {
        let f = RequestFields::deserialize(d)?;
        let Some(WireText(bytes)) = f.text else {
            return Err(D::Error::custom("a request needs \"text\": the bytes to send"));
        };
        let to = match (f.practice.unwrap_or(false), f.target) {
            (true, Some(_)) => {
                return Err(D::Error::custom("a request has either \"practice\": true or a \"target\", not both"))
            }
            (true, None) if f.port.is_some() => {
                return Err(D::Error::custom("a request to the practice server takes no \"port\": the server knows it"))
            }
            (true, None) => To::Practice,
            (false, None) => {
                return Err(D::Error::custom(
                    "a request needs a \"target\" (a host name or address) or \"practice\": true",
                ))
            }
            (false, Some(t)) if t.trim().is_empty() => return Err(D::Error::custom("\"target\" is empty")),
            (false, Some(target)) => To::Host { target, port: f.port.unwrap_or(crate::policy::DEFAULT_PORT) },
        };
        Ok(Request { to, bytes })
    }
}

/// Text that stands for bytes, one character a byte (U+0000 to U+00FF), as
/// the page reads a lesson's request: a character above U+00FF would lose
/// its high bits there, so it is refused here.
#[derive(Debug)]
struct WireText(Vec<u8>);

impl<'de> Deserialize<'de> for WireText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<WireText, D::Error> {
        let s = String::deserialize(d)?;
        s.chars()
            .enumerate()
            .map(|(i, c)| {
                u8::try_from(u32::from(c)).map_err(|_| {
                    D::Error::custom(format!(
                        "character {} of the text, {c:?} (U+{:04X}), is not one byte: bytes are written one a character, U+0000 to U+00FF (use \\u00XX escapes, or \"base64\" for a response)",
                        i + 1,
                        u32::from(c)
                    ))
                })
            })
            .collect::<Result<_, _>>()
            .map(WireText)
    }
}

/// A recorded response: `{"text": "HTTP/1.1 200 OK\r\n…"}` (one character
/// a byte, as a request's text) or `{"base64": "…"}` (standard base64, for
/// bytes such as a gzip body).
#[derive(Debug, PartialEq, Eq)]
pub struct Recorded(pub Vec<u8>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordedFields {
    text: Option<WireText>,
    base64: Option<String>,
}

impl<'de> Deserialize<'de> for Recorded {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Recorded, D::Error> {
        use base64::Engine;
        let bytes = match RecordedFields::deserialize(d)? {
            RecordedFields { text: Some(WireText(b)), base64: None } => b,
            RecordedFields { text: None, base64: Some(b) } => base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .map_err(|e| D::Error::custom(format!("\"base64\" is not standard base64: {e}")))?,
            _ => return Err(D::Error::custom("a response has exactly one of \"text\" or \"base64\"")),
        };
        if bytes.is_empty() {
            return Err(D::Error::custom("a recorded response is empty"));
        }
        Ok(Recorded(bytes))
    }
}

/// A part to mark and the note beside it.
#[derive(Debug, PartialEq, Eq)]
pub struct Look {
    pub wire: Wire,
    pub part: Part,
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LookFields {
    wire: Wire,
    part: Part,
    note: Option<String>,
}

impl<'de> Deserialize<'de> for Look {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Look, D::Error> {
        let f = LookFields::deserialize(d)?;
        if !f.part.fits(f.wire) {
            return Err(D::Error::custom(format!("a {} has no {}", f.wire, f.part.what())));
        }
        Ok(Look { wire: f.wire, part: f.part, note: f.note })
    }
}

/// A part of a message, as the exercise's `data-ask` names it
/// (docs/page.md#the-name-the-parts-exercise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Method,
    RequestTarget,
    HttpVersion,
    StatusCode,
    ReasonPhrase,
    EmptyLine,
    BodyStart,
    LastChunk,
    /// `header-name:NAME`: a field's name (matched in any case).
    HeaderName(String),
    /// `header-value:NAME`: a field's value.
    HeaderValue(String),
    /// `trailer:NAME`: a trailer field's line.
    Trailer(String),
    /// `chunk-size:N`: chunk N's size line, from 1.
    ChunkSize(u32),
}

impl<'de> Deserialize<'de> for Part {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Part, D::Error> {
        Part::parse(&String::deserialize(d)?).map_err(D::Error::custom)
    }
}

const PART_NAMES: &str = "method, request-target, http-version, status-code, reason-phrase, empty-line, body-start, last-chunk, header-name:NAME, header-value:NAME, trailer:NAME, chunk-size:N";

impl Part {
    pub fn parse(s: &str) -> Result<Part, String> {
        let field = |name: &str| -> Result<String, String> {
            if !name.is_empty() && name.bytes().all(|b| crate::parser::grammar::TCHAR[usize::from(b)]) {
                Ok(name.to_string())
            } else {
                Err(format!("\"{s}\": \"{name}\" is not a field name"))
            }
        };
        Ok(match s.split_once(':') {
            None => match s {
                "method" => Part::Method,
                "request-target" => Part::RequestTarget,
                "http-version" => Part::HttpVersion,
                "status-code" => Part::StatusCode,
                "reason-phrase" => Part::ReasonPhrase,
                "empty-line" => Part::EmptyLine,
                "body-start" => Part::BodyStart,
                "last-chunk" => Part::LastChunk,
                _ => return Err(format!("\"{s}\" is not a part; parts are {PART_NAMES}")),
            },
            Some(("header-name", name)) => Part::HeaderName(field(name)?),
            Some(("header-value", name)) => Part::HeaderValue(field(name)?),
            Some(("trailer", name)) => Part::Trailer(field(name)?),
            Some(("chunk-size", n)) => match n.parse::<u32>() {
                Ok(k) if k >= 1 && n.bytes().all(|b| b.is_ascii_digit()) => Part::ChunkSize(k),
                _ => return Err(format!("\"{s}\": chunks are counted from 1 (chunk-size:1)")),
            },
            Some(_) => return Err(format!("\"{s}\" is not a part; parts are {PART_NAMES}")),
        })
    }

    /// Whether a message on `wire` has this part: only requests have a
    /// method and a target, only responses a status code and a reason.
    fn fits(&self, wire: Wire) -> bool {
        match self {
            Part::Method | Part::RequestTarget => wire == Wire::Request,
            Part::StatusCode | Part::ReasonPhrase => wire == Wire::Response,
            _ => true,
        }
    }

    fn what(&self) -> &'static str {
        match self {
            Part::Method => "method",
            Part::RequestTarget => "request target",
            Part::StatusCode => "status code",
            Part::ReasonPhrase => "reason phrase",
            _ => "such part",
        }
    }
}

/// A prediction to make before Send.
#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Predict {
    pub ask: Ask,
    /// The lesson's own question; without it the student reads the kind.
    pub question: Option<String>,
}

/// A mistake in a lesson file, 1-based line and column (columns count bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    /// `file:line:column: message`, as compilers write it.
    pub fn display(&self, file: &str) -> String {
        format!("{file}:{}:{}: {}", self.line, self.column, self.message)
    }

    fn from_json(e: &serde_json::Error) -> Problem {
        // serde_json appends " at line L column C" to its message; the
        // position is given on its own.
        let text = e.to_string();
        let message = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        Problem { line: e.line().max(1), column: e.column().max(1), message }
    }

    /// Moves a problem found in `inner`, a slice of `text`, to its place in `text`.
    fn within(mut self, text: &str, inner: &str) -> Problem {
        let (line, column) = position(text, inner.as_ptr() as usize - text.as_ptr() as usize);
        if self.line == 1 {
            self.column += column - 1;
        }
        self.line += line - 1;
        self
    }
}

/// The 1-based line and column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// The lesson's outer object, its steps kept as raw text to read one by one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Outer<'a> {
    #[serde(borrow)]
    id: &'a RawValue,
    title: String,
    #[serde(borrow)]
    steps: Vec<&'a RawValue>,
}

/// The most bytes a lesson file may have: lessons are prose and a few
/// requests, and the server reads one on every request for it.
pub const MAX_LESSON: usize = 1 << 20;

/// Reads lesson `text`. `file_id`, when given, is the id its file name says
/// (`ID.json`): the lesson's `id` must equal it, as the index lists it so.
pub fn check(text: &str, file_id: Option<&str>) -> Result<Lesson, Vec<Problem>> {
    if text.len() > MAX_LESSON {
        return Err(vec![Problem {
            line: 1,
            column: 1,
            message: format!("the file has {} bytes; a lesson may have {MAX_LESSON}", text.len()),
        }]);
    }
    let outer: Outer = serde_json::from_str(text).map_err(|e| vec![Problem::from_json(&e)])?;
    let mut problems = Vec::new();
    let id = match serde_json::from_str::<String>(outer.id.get()) {
        Ok(id) => {
            let at = |message: String| Problem { line: 1, column: 1, message }.within(text, outer.id.get());
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                problems.push(at(format!("\"id\" {id:?} must be lower-case letters, digits and hyphens")));
            } else if let Some(want) = file_id.filter(|w| *w != id) {
                problems.push(at(format!("\"id\" {id:?} is not the file's name, {want}.json: name them alike")));
            }
            id
        }
        Err(e) => {
            problems.push(Problem::from_json(&e).within(text, outer.id.get()));
            String::new()
        }
    };
    if outer.steps.is_empty() {
        problems.push(Problem { line: 1, column: 1, message: "a lesson needs at least one step".into() });
    }
    let mut steps = Vec::new();
    for raw in &outer.steps {
        match serde_json::from_str::<Step>(raw.get()) {
            Ok(step) => steps.push(step),
            Err(e) => problems.push(Problem::from_json(&e).within(text, raw.get())),
        }
    }
    if problems.is_empty() {
        Ok(Lesson { id, title: outer.title, steps })
    } else {
        Err(problems)
    }
}

/// One entry of `lessons/index.json`: `{"id", "title", "file"}`.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub file: String,
}

/// Reads an index file (`[{"id", "title", "file"}]`).
pub fn check_index(text: &str) -> Result<Vec<Entry>, Vec<Problem>> {
    serde_json::from_str(text).map_err(|e| vec![Problem::from_json(&e)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one problem in `text`, as `line:column: message`.
    fn problem(text: &str) -> String {
        match check(text, None) {
            Ok(l) => panic!("passed: {l:?}"),
            Err(p) => {
                assert_eq!(p.len(), 1, "{p:?}");
                format!("{}:{}: {}", p[0].line, p[0].column, p[0].message)
            }
        }
    }

    fn lesson(step: &str) -> String {
        format!("{{\"id\": \"x\", \"title\": \"X\",\n \"steps\": [\n  {step}\n ]}}")
    }

    #[test]
    fn a_full_lesson_reads() {
        let l = check(
            &lesson(
                r#"{"text": "t", "request": {"target": "example.org", "text": "GET / HTTP/1.1\r\n\r\n"},
                "response": {"base64": "SFRUUC8xLjEgMjA0IE5vIENvbnRlbnQNCg0K"},
                "look": [{"wire": "response", "part": "header-value:Content-Length", "note": "n"}, {"wire": "request", "part": "chunk-size:2"}],
                "predict": {"ask": "chunks"}, "exercise": "framing"}"#,
            ),
            Some("x"),
        )
        .unwrap();
        let s = &l.steps[0];
        assert_eq!(s.request.as_ref().unwrap().to, To::Host { target: "example.org".into(), port: 80 });
        assert_eq!(s.response.as_ref().unwrap().0, b"HTTP/1.1 204 No Content\r\n\r\n");
        assert_eq!(s.look.as_ref().unwrap()[0].part, Part::HeaderValue("Content-Length".into()));
        assert_eq!(s.look.as_ref().unwrap()[1].part, Part::ChunkSize(2));
        assert_eq!(s.exercise, Some(ExerciseParts::Framing));
    }

    #[test]
    fn each_mistake_is_named_where_it_is() {
        // Line 3 is the step's line; columns count from the line's start.
        assert_eq!(
            problem(&lesson(r#"{"txt": "t"}"#)),
            "3:8: unknown field `txt`, expected one of `text`, `request`, `response`, `look`, `predict`, `exercise`"
        );
        assert_eq!(
            problem(&lesson(r#"{"text": "t", "exercise": "body"}"#)).split_once(": ").unwrap().1,
            r#""body" is not one of "all", "start-line", "headers", "framing""#
        );
        assert!(problem(&lesson(r#"{"text": "t", "predict": {"ask": "bytes"}}"#))
            .starts_with(r#"3:43: "bytes" is not one of "status", "chunks", "messages""#));
        assert!(problem(&lesson(r#"{"text": "t", "look": [{"wire": "resp", "part": "method"}]}"#))
            .starts_with(r#"3:40: "resp" is not one of "request", "response""#));
        assert!(problem(&lesson(r#"{"text": "t", "look": [{"wire": "response", "part": "verb"}]}"#))
            .starts_with(r#"3:61: "verb" is not a part"#));
        assert_eq!(
            problem(&lesson(r#"{"text": "t", "look": [{"wire": "response", "part": "method"}]}"#)),
            "3:64: a response has no method"
        );
        assert_eq!(
            problem(&lesson(r#"{"text": "t", "request": {"text": "GET / HTTP/1.1\r\n\r\n"}}"#)),
            r#"3:62: a request needs a "target" (a host name or address) or "practice": true"#
        );
        assert_eq!(problem(&lesson(r#"{"text": 5}"#)), "3:12: invalid type: integer `5`, expected a string");
        assert_eq!(problem(&lesson(r#"{"text": "t", "request": {"practice": true, "text": "€"}}"#)).split_once(": ").unwrap().1,
            "character 1 of the text, '€' (U+20AC), is not one byte: bytes are written one a character, U+0000 to U+00FF (use \\u00XX escapes, or \"base64\" for a response)");
        assert!(problem(&lesson(r#"{"text": "t", "look": [{"wire": "request", "part": "chunk-size:0"}]}"#))
            .ends_with("chunks are counted from 1 (chunk-size:1)"));
        assert!(problem(&lesson(r#"{"text": "t", "response": {"text": "a", "base64": "YQ=="}}"#))
            .ends_with(r#"a response has exactly one of "text" or "base64""#));
        assert_eq!(
            problem("{\"id\": \"x\",\n \"title\": 1, \"steps\": []}"),
            "2:11: invalid type: integer `1`, expected a string"
        );
        assert_eq!(
            problem("{\"id\": \"x\", \"title\": \"t\", \"steps\": [], \"extra\": 1}").split_once(": ").unwrap().0,
            "1:46"
        );
        assert_eq!(problem("{\"id\": \"x\", \"title\": \"t\"\n \"steps\": []}"), "2:2: expected `,` or `}`");
    }

    #[test]
    fn every_broken_step_is_reported() {
        let text = lesson("{\"text\": \"a\", \"wat\": 1},\n  {\"text\": \"b\"},\n  {\"exercise\": \"all\"}");
        let p = check(&text, None).unwrap_err();
        let at: Vec<(usize, usize)> = p.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(at, [(3, 21), (5, 21)], "{p:?}");
        assert_eq!(p[1].message, "missing field `text`");
    }

    #[test]
    fn the_id_is_the_file_name() {
        let p = check(&lesson(r#"{"text": "t"}"#), Some("y")).unwrap_err();
        assert_eq!(p[0].display("y.json"), "y.json:1:8: \"id\" \"x\" is not the file's name, y.json: name them alike");
        let p = check("{\"id\": \"A b\", \"title\": \"t\", \"steps\": [{\"text\": \"t\"}]}", None).unwrap_err();
        assert_eq!((p[0].line, p[0].column), (1, 8));
    }

    #[test]
    fn parts_read_as_the_exercise_names_them() {
        assert_eq!(Part::parse("trailer:Expires"), Ok(Part::Trailer("Expires".into())));
        assert_eq!(Part::parse("last-chunk"), Ok(Part::LastChunk));
        assert!(Part::parse("header-name:bad name").is_err());
        assert!(Part::parse("header-value:").is_err());
        assert!(Part::parse("chunk-size:x").is_err());
        assert!(Part::parse("body").is_err());
    }

    #[test]
    fn too_large_a_file_is_refused_before_reading() {
        let big = " ".repeat(MAX_LESSON + 1);
        assert!(check(&big, None).unwrap_err()[0].message.contains("a lesson may have"));
    }
}
