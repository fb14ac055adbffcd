//! What a standard HTTP lab asks of a server, done as RFC 9110 says, so that
//! what a student sees is true: validators and conditional requests,
//! Basic authentication, cookies, the methods a resource allows, and who the
//! client is. Each handler chooses fields and bodies; hyper writes the framing.
//!
//! | path | what it teaches |
//! |---|---|
//! | `/` (and every document) | `ETag`, `Last-Modified`, `Cache-Control`; preconditions evaluated in RFC 9110 §13.2.2's order (304 only when they match, 412); `Accept-Encoding` (gzip, x-gzip as gzip, deflate, br; 406); `Range` on GET (206, multipart/byteranges, 416; at most 8, none overlapping) and `If-Range` |
//! | `/etag/{tag}` | a resource whose validator is `"{tag}"`: `If-None-Match` (304) and `If-Match` (412) |
//! | `/basic-auth/{user}/{password}` | 401 with a Basic challenge, 200 with those credentials |
//! | `/digest-auth/{user}/{password}` | the same with a Digest challenge (SHA-256, RFC 7616; nonces time-bounded, `nc` counted, `uri` checked) |
//! | `/scratch/{name}` | a resource written by PUT and DELETE, its preconditions evaluated for every method |
//! | `/form` | a POSTed form's fields (urlencoded or multipart/form-data) |
//! | `/code?student=NAME`, `/code/check?student=NAME&code=CODE` | a code personal to a student (HMAC with a key made at start) in `X-Student-Code`, and its check |
//! | `/cookies` | the cookies the request carried |
//! | `/cookies/set?NAME=VALUE` | `Set-Cookie` with Path, Max-Age, HttpOnly, SameSite |
//! | `/visits` | a visit counter kept in a cookie |
//! | `/redirect/{n}` | a chain of n redirects with relative `Location`s (`?status=301`, 302, 303, 307, 308) |
//! | `/long` | 5.1 KB of public-domain text written in six pieces, 150 ms apart |
//! | `/page` | an HTML page with a stylesheet and images, two of them on the virtual host `images.practice` |
//! | `/whoami` | the client's address and port, as this server saw them |
//! | any path, `OPTIONS` | 200 with `Allow`; a method the resource does not allow gets 405 with `Allow` |

use super::{full, response, stream_of, Body};
use base64::Engine;
use bytes::Bytes;
use hyper::body::Frame;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Method, Response, StatusCode};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::SystemTime;

/// The most request content a lab path reads, when it reads less than the
/// practice server's own limit: a form, and a scratch resource. The server
/// stops reading there (413).
pub fn body_cap(path: &str) -> Option<usize> {
    if path == "/form" {
        Some(FORM_SIZE)
    } else if path.starts_with("/scratch/") {
        Some(SCRATCH_SIZE)
    } else {
        None
    }
}

/// What a handler needs of the request.
pub struct Asked<'a> {
    pub method: &'a Method,
    pub headers: &'a HeaderMap,
    pub path: &'a str,
    pub query: &'a str,
    /// The request target as sent (path and query), which Digest's `uri` names.
    pub target: &'a str,
    pub peer: SocketAddr,
    /// The request's content, de-framed.
    pub body: &'a [u8],
}

impl Asked<'_> {
    /// A field's value. A field sent in several lines is one list, its
    /// lines' values joined in order with ", " (RFC 9110 §5.3).
    fn header(&self, name: &str) -> Option<String> {
        combined(self.headers, name)
    }
}

/// The field `name` of `headers` as one value: its lines joined with ", "
/// (RFC 9110 §5.3); None when no line of it is there (or none is text).
fn combined(headers: &HeaderMap, name: &str) -> Option<String> {
    let lines: Vec<&str> = headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
    (!lines.is_empty()).then(|| lines.join(", "))
}

/// The methods a path allows.
fn allowed(path: &str) -> &'static str {
    if path == "/echo" || path == "/form" {
        "GET, HEAD, POST, OPTIONS"
    } else if path.starts_with("/scratch/") {
        "GET, HEAD, PUT, DELETE, OPTIONS"
    } else {
        "GET, HEAD, OPTIONS"
    }
}

/// What the lab's resources share across connections.
pub struct Shared {
    /// The documents' Last-Modified: when this server started.
    started: SystemTime,
    /// A key made at start: Digest nonces and the students' codes.
    key: [u8; 32],
    /// `/scratch/{name}`: what was PUT there, and when.
    scratch: Mutex<HashMap<String, (Vec<u8>, SystemTime)>>,
    /// The Digest nonces a client has used, each with when it was made and
    /// the highest `nc` seen with it (a replayed `nc` is refused).
    nonces: Mutex<HashMap<String, (u64, u32)>>,
}

/// The realm of `/digest-auth`, the seconds a Digest nonce is good for, and
/// how many used nonces the server remembers (with their `nc`).
const DIGEST_REALM: &str = "wirepad practice";
const NONCE_LIFE: u64 = 300;
const NONCES_KEPT: usize = 1024;

/// How many scratch resources, and how large each, the server keeps.
const SCRATCH_MAX: usize = 64;
const SCRATCH_SIZE: usize = 64 << 10;

/// `OPTIONS` anywhere, and 405 for a method the path does not allow
/// (RFC 9110 §9.3.7, §15.5.6: the 405 MUST carry Allow).
pub fn methods(asked: &Asked) -> Option<Response<Body>> {
    let allow = allowed(asked.path);
    let (status, body) = if asked.method == Method::OPTIONS {
        (StatusCode::OK, String::new())
    } else if allow.split(", ").any(|m| m == asked.method.as_str()) {
        return None;
    } else {
        let why = format!(
            "405 Method Not Allowed: {} allows {allow}, not {} (RFC 9110 §15.5.6; Allow lists what it does allow).\n",
            asked.path, asked.method
        );
        (StatusCode::METHOD_NOT_ALLOWED, why)
    };
    let mut r = response(status, "text/plain; charset=utf-8", full(body));
    r.headers_mut().insert("allow", HeaderValue::from_static(allow));
    Some(r)
}

impl Shared {
    pub fn new() -> Shared {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the operating system's random source");
        Shared { started: SystemTime::now(), key, scratch: Mutex::default(), nonces: Mutex::default() }
    }

    /// A document of this server (see [`document`]).
    pub fn document(&self, asked: &Asked, content_type: &str, body: &'static [u8]) -> Response<Body> {
        document(asked, self.started, content_type, body)
    }

    /// The lab's own paths.
    pub fn route(&self, asked: &Asked) -> Option<Response<Body>> {
        // Virtual hosts (RFC 9110 §7.2): the same server answers
        // `images.practice` with another site, chosen by the Host field.
        let host = asked.header("host").unwrap_or_default();
        let host = host.split(':').next().unwrap_or("");
        if host.eq_ignore_ascii_case(IMAGES_HOST) {
            return Some(match asked.path {
                "/cat.png" => self.document(asked, "image/png", include_bytes!("site/cat.png")),
                "/dog.png" => self.document(asked, "image/png", include_bytes!("site/dog.png")),
                _ => text(
                    StatusCode::NOT_FOUND,
                    format!(
                        "404 Not Found: {IMAGES_HOST} has /cat.png and /dog.png; the Host field chose this site (RFC 9110 §7.2, §15.5.5).\n"
                    ),
                ),
            });
        }
        match asked.path {
            "/page" => return Some(self.document(asked, "text/html; charset=utf-8", PAGE.as_bytes())),
            "/style.css" => return Some(self.document(asked, "text/css; charset=utf-8", STYLE.as_bytes())),
            "/logo.png" => return Some(self.document(asked, "image/png", include_bytes!("site/logo.png"))),
            "/dot.gif" => return Some(self.document(asked, "image/gif", include_bytes!("site/dot.gif"))),
            _ => {}
        }
        if let Some(name) = asked.path.strip_prefix("/scratch/") {
            return Some(self.scratch(asked, name));
        }
        if let Some(rest) = asked.path.strip_prefix("/digest-auth/") {
            return Some(self.digest_auth(asked, rest));
        }
        match asked.path {
            "/code" => return Some(self.code(asked)),
            "/code/check" => return Some(self.code_check(asked)),
            _ => {}
        }
        route(asked)
    }

    /// HMAC-SHA-256 of `data` under the server's key, in hex.
    fn mac(&self, data: &[u8]) -> String {
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(data);
        hex(&mac.finalize().into_bytes())
    }

    /// The code personal to `student` on this server run: 8 hex digits.
    pub fn code_of(&self, student: &str) -> String {
        self.mac(format!("code:{student}").as_bytes())[..8].to_string()
    }

    /// Whether `code` (any case, spaces around it allowed) is `student`'s.
    pub fn is_code_of(&self, student: &str, code: &str) -> bool {
        self.code_of(student).eq_ignore_ascii_case(code.trim())
    }

    /// `/code?student=NAME`: a code personal to that name and this server
    /// (the first 8 hex digits of an HMAC under a key made at start), in the
    /// `X-Student-Code` field: a student who reads it off the wire has done
    /// the exercise, and the teacher checks it with `/code/check`.
    fn code(&self, asked: &Asked) -> Response<Body> {
        let Some(student) = query_value(asked.query, "student").filter(|s| !s.is_empty()) else {
            return bad_request("the query names no student; use /code?student=YOUR-NAME".into());
        };
        let code = self.code_of(&student);
        let mut r = text(
            StatusCode::OK,
            format!("Your code is in this response's X-Student-Code field, {student}: read it off the wire.\n"),
        );
        r.headers_mut().insert("x-student-code", HeaderValue::from_str(&code).expect("hex"));
        r
    }

    /// `/code/check?student=NAME&code=CODE`: whether that is the student's code.
    fn code_check(&self, asked: &Asked) -> Response<Body> {
        let (Some(student), Some(code)) = (query_value(asked.query, "student"), query_value(asked.query, "code"))
        else {
            return bad_request("the query needs a student and a code; use /code/check?student=NAME&code=CODE".into());
        };
        let right = self.is_code_of(&student, &code);
        let said = if right { "right" } else { "wrong" };
        let mut r = text(StatusCode::OK, format!("{code} is {said} for {student}.\n"));
        r.headers_mut().insert("x-code-check", HeaderValue::from_static(said));
        r
    }

    /// `/digest-auth/{user}/{password}`: Digest authentication with SHA-256
    /// (RFC 7616): the password never crosses the wire, only a hash of it
    /// with the server's nonce, the method and the target. Each challenge has
    /// a nonce of its own, good for [`NONCE_LIFE`] seconds, and each `nc`
    /// counts up: a request replayed with the same `nc` is refused.
    fn digest_auth(&self, asked: &Asked, rest: &str) -> Response<Body> {
        let Some((user, password)) = rest.split_once('/') else {
            return bad_request("this path names no password; use /digest-auth/USER/PASSWORD".into());
        };
        let field = asked.header("authorization");
        let given = field.as_deref().and_then(|f| credentials(f, "Digest")).map(auth_params);
        let mut stale = false;
        let why = match given {
            None => "401 Unauthorized: answer the Digest challenge in WWW-Authenticate (RFC 7616 §3.3): a hash of the user, realm, password, nonce, method and target.\n".to_string(),
            Some(p) => {
                let get =
                    |k: &str| p.iter().find(|(n, _)| n.eq_ignore_ascii_case(k)).map(|(_, v)| v.as_str()).unwrap_or("");
                if get("uri") != asked.target {
                    return bad_request(format!(
                        "the Digest uri parameter {:?} is not this request's target {:?}; RFC 7616 §3.4.6 has the server check that they name the same resource",
                        get("uri"),
                        asked.target
                    ));
                }
                let h = |s: String| sha256_hex(s.as_bytes());
                let ha1 = h(format!("{user}:{DIGEST_REALM}:{password}"));
                let ha2 = h(format!("{}:{}", asked.method, get("uri")));
                let (nonce, nc) = (get("nonce"), get("nc"));
                let expected = h(format!("{ha1}:{nonce}:{nc}:{}:{}:{ha2}", get("cnonce"), get("qop")));
                let right = get("username") == user && get("qop") == "auth" && get("response") == expected;
                match (self.nonce_made(nonce), u32::from_str_radix(nc, 16)) {
                    (None, _) => "401 Unauthorized: that nonce is not one this server made; answer the challenge in WWW-Authenticate (RFC 7616 §3.3).\n".to_string(),
                    (Some(made), _) if secs(SystemTime::now()).saturating_sub(made) > NONCE_LIFE => {
                        // §3.3: stale=true tells the client its answer may be right, and to answer the new nonce.
                        stale = right;
                        format!("401 Unauthorized: that nonce is older than {NONCE_LIFE} s; answer the new one in WWW-Authenticate (RFC 7616 §3.3, stale).\n")
                    }
                    (Some(_), _) if !right => format!("401 Unauthorized: the response hash is not the one user {user:?} with this page's password makes (RFC 7616 §3.4.1); the password, or another parameter, is wrong.\n"),
                    (Some(made), Ok(nc)) if self.count_nonce(nonce, made, nc) => {
                        return text(
                            StatusCode::OK,
                            format!("Welcome, {user}: your client proved it knows the password without sending it.\n"),
                        );
                    }
                    (Some(_), _) => format!("401 Unauthorized: nc={nc} was already used with this nonce: a replayed request; each request counts nc up (RFC 7616 §3.4, §5.4).\n"),
                }
            }
        };
        let mut r = text(StatusCode::UNAUTHORIZED, why);
        let challenge = format!(
            "Digest realm=\"{DIGEST_REALM}\", qop=\"auth\", algorithm=SHA-256, nonce=\"{}\", opaque=\"{}\"{}",
            self.new_nonce(),
            &self.mac(b"digest opaque")[..16],
            if stale { ", stale=true" } else { "" }
        );
        r.headers_mut().insert("www-authenticate", HeaderValue::from_str(&challenge).expect("hex and quotes"));
        r
    }

    /// A Digest nonce: when it was made, 8 random bytes, and an HMAC of both
    /// under the server's key (RFC 7616 §3.3 suggests a time stamp and a
    /// hash with a secret), all in hex.
    fn new_nonce(&self) -> String {
        let mut salt = [0u8; 8];
        getrandom::fill(&mut salt).expect("the operating system's random source");
        let made = format!("{:016x}{}", secs(SystemTime::now()), hex(&salt));
        let mac = &self.mac(format!("nonce:{made}").as_bytes())[..32];
        format!("{made}{mac}")
    }

    /// When `nonce` was made, if this server made it.
    fn nonce_made(&self, nonce: &str) -> Option<u64> {
        let (made, mac) = (nonce.get(..32)?, nonce.get(32..)?);
        let ours = &self.mac(format!("nonce:{made}").as_bytes())[..32];
        // Compared in constant time: how long the comparison takes says nothing of the right MAC.
        let differ = mac.len() != ours.len() || mac.bytes().zip(ours.bytes()).fold(0, |d, (a, b)| d | (a ^ b)) != 0;
        if differ {
            return None;
        }
        u64::from_str_radix(&made[..16], 16).ok()
    }

    /// Notes `nc` used with `nonce`: false when it is not above the last one
    /// seen (a replay). The list forgets nonces past their life, and keeps
    /// at most [`NONCES_KEPT`] (the oldest go: their clients get a new
    /// challenge).
    fn count_nonce(&self, nonce: &str, made: u64, nc: u32) -> bool {
        let mut seen = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, last)) = seen.get_mut(nonce) {
            if nc <= *last {
                return false;
            }
            *last = nc;
            return true;
        }
        if seen.len() >= NONCES_KEPT {
            let now = secs(SystemTime::now());
            seen.retain(|_, (at, _)| now.saturating_sub(*at) <= NONCE_LIFE);
            while seen.len() >= NONCES_KEPT {
                let Some(oldest) = seen.iter().min_by_key(|(_, (at, _))| *at).map(|(n, _)| n.clone()) else { break };
                seen.remove(&oldest);
            }
        }
        seen.insert(nonce.to_string(), (made, nc));
        true
    }

    /// `/scratch/{name}`: a resource a client writes. PUT creates it (201
    /// with Location) or replaces it (204); DELETE removes it (204). Every
    /// method's preconditions are evaluated (see [`preconditions`]): a client
    /// that edits a stale copy is told with 412, a PUT with `If-None-Match: *`
    /// only creates, a GET of a copy still current gets 304 (RFC 9110 §9.3.4,
    /// §9.3.5, §13.1, §13.2.2).
    fn scratch(&self, asked: &Asked, name: &str) -> Response<Body> {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)) {
            return bad_request(format!(
                "{name:?} is not a scratch name; use /scratch/NAME with letters, digits, - . or _ in NAME"
            ));
        }
        let mut store = self.scratch.lock().unwrap_or_else(|e| e.into_inner());
        let current = store.get(name).map(|(content, at)| (format!("\"{:016x}\"", fnv1a(content)), *at));
        let validators = current.as_ref().map(|(tag, at)| Validators { tag, modified: Some(*at) });
        match preconditions(asked, validators, SystemTime::now()) {
            Precondition::Proceed => {}
            Precondition::Failed(why) => return text(StatusCode::PRECONDITION_FAILED, why),
            Precondition::NotModified => {
                let (tag, at) = current.as_ref().expect("only an existing resource is not modified");
                let mut r = response(StatusCode::NOT_MODIFIED, "", full(""));
                r.headers_mut().remove("content-type");
                r.headers_mut().insert("etag", HeaderValue::from_str(tag).expect("hex"));
                r.headers_mut()
                    .insert("last-modified", HeaderValue::from_str(&httpdate::fmt_http_date(*at)).expect("a date"));
                return r;
            }
        }
        match *asked.method {
            Method::PUT => {
                // (Content over SCRATCH_SIZE was refused while it was read, see `body_cap`.)
                if current.is_none() && store.len() >= SCRATCH_MAX {
                    return text(StatusCode::PAYLOAD_TOO_LARGE, format!("413 Content Too Large: the practice server keeps {SCRATCH_MAX} scratch resources of at most {SCRATCH_SIZE} bytes, and this PUT asks for more (RFC 9110 §15.5.14).\n"));
                }
                let tag = format!("\"{:016x}\"", fnv1a(asked.body));
                store.insert(name.to_string(), (asked.body.to_vec(), SystemTime::now()));
                let mut r = if current.is_none() {
                    let mut r = text(StatusCode::CREATED, format!("Created /scratch/{name}.\n"));
                    r.headers_mut()
                        .insert("location", HeaderValue::from_str(&format!("/scratch/{name}")).expect("checked name"));
                    r
                } else {
                    let mut r = text(StatusCode::NO_CONTENT, String::new());
                    r.headers_mut().remove("content-type");
                    r
                };
                r.headers_mut().insert("etag", HeaderValue::from_str(&tag).expect("hex"));
                r
            }
            Method::DELETE if current.is_some() => {
                store.remove(name);
                let mut r = text(StatusCode::NO_CONTENT, String::new());
                r.headers_mut().remove("content-type");
                r
            }
            _ => match (store.get(name), current) {
                (Some((content, at)), Some((tag, _))) => {
                    let mut r = response(StatusCode::OK, "application/octet-stream", full(content.clone()));
                    r.headers_mut().insert("etag", HeaderValue::from_str(&tag).expect("hex"));
                    r.headers_mut()
                        .insert("last-modified", HeaderValue::from_str(&httpdate::fmt_http_date(*at)).expect("a date"));
                    r
                }
                _ => text(
                    StatusCode::NOT_FOUND,
                    format!("404 Not Found: nothing has been PUT at /scratch/{name} yet (RFC 9110 §15.5.5).\n"),
                ),
            },
        }
    }
}

/// The lab's paths that keep no state.
fn route(asked: &Asked) -> Option<Response<Body>> {
    let path = asked.path;
    if let Some(tag) = path.strip_prefix("/etag/") {
        return Some(etag(asked, tag));
    }
    if let Some(rest) = path.strip_prefix("/basic-auth/") {
        return Some(basic_auth(asked, rest));
    }
    if let Some(n) = path.strip_prefix("/redirect/") {
        return Some(redirect_chain(asked, n));
    }
    Some(match path {
        "/cookies" => cookies(asked),
        "/cookies/set" => set_cookies(asked),
        "/visits" => visits(asked),
        "/long" => long_document(),
        "/hello" => hello(asked),
        "/whoami" => {
            text(StatusCode::OK, format!("You are {} as this server saw you (address and port).\n", asked.peer))
        }
        _ => return None,
    })
}

fn text(status: StatusCode, body: String) -> Response<Body> {
    response(status, "text/plain; charset=utf-8", full(body))
}

/// 400, with what was wrong in words and the rule.
fn bad_request(what: String) -> Response<Body> {
    text(
        StatusCode::BAD_REQUEST,
        format!("400 Bad Request: {what} (RFC 9110 §15.5.1: a request the server will not process as it is).\n"),
    )
}

/// A document with validators and ranges: `body` with a strong ETag made
/// from its bytes and the server's start as Last-Modified. Its preconditions
/// are evaluated as RFC 9110 §13.2.2 orders them: a conditional GET or HEAD
/// whose validator matches gets 304 with the validators and no body
/// (§13.1.1 to §13.1.4, §15.4.5); a GET's Range gets 206, several ranges a
/// multipart/byteranges body, a range past the end 416 (§14).
fn document(asked: &Asked, started: SystemTime, content_type: &str, body: &'static [u8]) -> Response<Body> {
    // §12.5.3: the coding the client weights highest of those this server
    // has (identity when it names none). Each coding is a representation of
    // its own, with its own entity tag.
    let accept = asked.header("accept-encoding");
    let Ok(coding) = choose_coding(accept.as_deref()) else {
        let why = format!(
            "406 Not Acceptable: Accept-Encoding: {} refuses the document without a coding (identity;q=0, or *;q=0 with no entry for identity) and accepts none of the codings this server has ({}) (RFC 9110 §12.5.3, §15.5.7).\n",
            accept.unwrap_or_default(),
            CODINGS.join(", ")
        );
        let mut r = text(StatusCode::NOT_ACCEPTABLE, why);
        r.headers_mut().insert("vary", HeaderValue::from_static("Accept-Encoding"));
        return r;
    };
    let representation = match coding {
        Some(coding) => Bytes::from(encode(coding, body)),
        None => Bytes::from_static(body),
    };
    let tag = format!("\"{:016x}\"", fnv1a(&representation));
    let modified = httpdate::fmt_http_date(started);
    let validators = Validators { tag: &tag, modified: Some(started) };
    let now = SystemTime::now();
    let mut r = match preconditions(asked, Some(validators), now) {
        Precondition::NotModified => {
            let mut r = response(StatusCode::NOT_MODIFIED, content_type, full(""));
            r.headers_mut().remove("content-type");
            r
        }
        Precondition::Failed(why) => text(StatusCode::PRECONDITION_FAILED, why),
        Precondition::Proceed => {
            // §13.1.5: If-Range names the representation the client holds part
            // of; if it is not this one, the Range is ignored and all is sent.
            let if_range = asked.header("if-range").is_none_or(|v| if_range_holds(&v, &tag, started, now));
            // §14.2: Range is defined for GET only; any other method ignores it.
            match asked.header("range").filter(|_| asked.method == Method::GET && if_range) {
                Some(range) => ranged(&range, content_type, representation),
                None => response(StatusCode::OK, content_type, full(representation)),
            }
        }
    };
    let h = r.headers_mut();
    if let Some(coding) = coding {
        h.insert("content-encoding", HeaderValue::from_static(coding));
    }
    h.insert("vary", HeaderValue::from_static("Accept-Encoding"));
    h.insert("etag", HeaderValue::from_str(&tag).expect("hex in quotes"));
    h.insert("last-modified", HeaderValue::from_str(&modified).expect("an HTTP date"));
    h.insert("cache-control", HeaderValue::from_static("max-age=60"));
    // The same freshness for a cache that knows only HTTP/1.0's field (a
    // cache that reads max-age ignores Expires, RFC 9111 §5.3).
    let expires = httpdate::fmt_http_date(now + std::time::Duration::from_secs(60));
    h.insert("expires", HeaderValue::from_str(&expires).expect("an HTTP date"));
    h.insert("accept-ranges", HeaderValue::from_static("bytes"));
    r
}

/// Whether an If-Range field `value` names the representation whose entity
/// tag is `tag` and whose Last-Modified is `modified`, in a response sent at
/// `now` (RFC 9110 §13.1.5). An entity tag (a DQUOTE in its first three
/// characters) must match strongly: a weak one never does. A date must be
/// the Last-Modified date exactly, in any of the three HTTP-date formats a
/// recipient MUST accept (§5.6.7), and Last-Modified must be a strong
/// validator: at least a second before the response's Date, so that the
/// representation cannot have changed twice within the second it names
/// (§8.8.2.2). Anything else does not hold: the whole representation is sent.
fn if_range_holds(value: &str, tag: &str, modified: SystemTime, now: SystemTime) -> bool {
    let value = value.trim();
    if value.get(..3).unwrap_or(value).contains('"') {
        return strong_eq(value, tag);
    }
    let strong = secs(modified) < secs(now);
    strong && httpdate::parse_http_date(value).is_ok_and(|date| secs(date) == secs(modified))
}

/// A resource's validators, when it exists: its entity tag, and when it
/// was last modified (if it says).
#[derive(Clone, Copy)]
struct Validators<'a> {
    tag: &'a str,
    modified: Option<SystemTime>,
}

/// What a request's preconditions decide.
#[derive(Debug, PartialEq)]
enum Precondition {
    Proceed,
    /// 304: the client's copy is current (GET and HEAD only).
    NotModified,
    /// 412, and why in words.
    Failed(String),
}

/// The preconditions of `asked` on a resource with `current` validators
/// (None: it does not exist), in RFC 9110 §13.2.2's order: If-Match, else
/// If-Unmodified-Since; then If-None-Match, else (GET and HEAD)
/// If-Modified-Since. If-Range is the Range's business. A date later than
/// `now` is no date the client can have had from this server, and is ignored.
fn preconditions(asked: &Asked, current: Option<Validators>, now: SystemTime) -> Precondition {
    let safe = asked.method == Method::GET || asked.method == Method::HEAD;
    let tag_now = current.map_or("none: it does not exist".to_string(), |c| format!("now {}", c.tag));
    let date = |name: &str| asked.header(name).and_then(|d| httpdate::parse_http_date(&d).ok()).filter(|d| *d <= now);
    let modified = current.and_then(|c| c.modified);
    // 1. §13.1.1: If-Match holds when the resource's tag is listed (strongly), or `*` and it exists.
    if let Some(list) = asked.header("if-match") {
        if !current.is_some_and(|c| matches_any(&list, c.tag, strong_eq)) {
            return Precondition::Failed(format!("412 Precondition Failed: If-Match names {list}, and this resource's entity tag is {tag_now}: it changed since the copy you named (RFC 9110 §13.1.1, evaluated first as §13.2.2 orders).\n"));
        }
    } else if let (Some(since), Some(modified)) = (date("if-unmodified-since"), modified) {
        // 2. §13.1.4: If-Unmodified-Since holds when the resource has not changed since.
        if secs(modified) > secs(since) {
            return Precondition::Failed(format!("412 Precondition Failed: this resource was modified at {}, after the If-Unmodified-Since date: it changed since the copy you named (RFC 9110 §13.1.4).\n", httpdate::fmt_http_date(modified)));
        }
    }
    if let Some(list) = asked.header("if-none-match") {
        // 3. §13.1.2: If-None-Match fails when a listed tag matches (weakly), or `*` and it exists.
        if current.is_some_and(|c| matches_any(&list, c.tag, weak_eq)) {
            return if safe {
                Precondition::NotModified
            } else {
                Precondition::Failed(format!("412 Precondition Failed: If-None-Match: {list} asks that no current representation match, and this resource's entity tag is {tag_now} (RFC 9110 §13.1.2; `If-None-Match: *` means: only if nothing is there yet).\n"))
            };
        }
    } else if let (true, Some(since), Some(modified)) = (safe, date("if-modified-since"), modified) {
        // 4. §13.1.3: not modified since the date the client names.
        if secs(modified) <= secs(since) {
            return Precondition::NotModified;
        }
    }
    Precondition::Proceed
}

/// The content codings of the practice server's documents, in the order
/// it prefers them when the client weights several alike.
const CODINGS: [&str; 3] = ["gzip", "deflate", "br"];

/// The content coding to send for an Accept-Encoding field (RFC 9110
/// §12.5.3): `Ok(Some(coding))`, `Ok(None)` for none (identity), or `Err`
/// when the field refuses identity and every coding this server has. No
/// field: no coding. A coding not listed takes the weight of `*`; identity
/// is acceptable unless `identity;q=0`, or `*;q=0` with no entry for it, and
/// competes with its own weight only when it is listed.
fn choose_coding(accept: Option<&str>) -> Result<Option<&'static str>, ()> {
    let Some(accept) = accept else { return Ok(None) };
    let weighted = weights(accept);
    // §8.4.1.3: a recipient SHOULD take x-gzip for gzip.
    let named =
        |c: &str, name: &str| c.eq_ignore_ascii_case(name) || (name == "gzip" && c.eq_ignore_ascii_case("x-gzip"));
    let q_of = |name: &str| weighted.iter().find(|(c, _)| named(c, name)).map(|(_, q)| *q);
    let star = q_of("*");
    let mut best: Option<(&'static str, f32)> = None;
    for coding in CODINGS {
        if let Some(q) = q_of(coding).or(star).filter(|q| *q > 0.0) {
            if best.is_none_or(|(_, b)| q > b) {
                best = Some((coding, q));
            }
        }
    }
    let identity = q_of("identity").or(star.filter(|q| *q == 0.0));
    match (best, identity) {
        (Some((_, q)), Some(identity)) if identity > q => Ok(None),
        (Some((coding, _)), _) => Ok(Some(coding)),
        (None, Some(0.0)) => Err(()),
        (None, _) => Ok(None),
    }
}

/// `content` in a content coding this server has: gzip, deflate (the zlib
/// format, RFC 9110 §8.4.1.2) or br (RFC 7932).
fn encode(coding: &str, content: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let level = flate2::Compression::default();
    let encoded = match coding {
        "gzip" => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), level);
            gz.write_all(content).and_then(|()| gz.finish())
        }
        "br" => {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams { quality: 9, ..Default::default() };
            brotli::BrotliCompress(&mut &content[..], &mut out, &params).map(|_| out)
        }
        _ => {
            let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), level);
            zlib.write_all(content).and_then(|()| zlib.finish())
        }
    };
    encoded.expect("compressing into memory does not fail")
}

/// The most ranges one Range field may ask for; more, and it is ignored.
const MAX_RANGES: usize = 8;

/// What a Range field asks of a representation of `len` bytes.
#[derive(Debug, PartialEq)]
enum Ranges {
    /// Not byte ranges, not valid, or more than this server serves: sent whole (200).
    Ignored,
    /// No range overlaps the representation (416).
    Unsatisfiable,
    /// The first and last byte of each range, as asked (206).
    Parts(Vec<(u64, u64)>),
}

/// Reads `Range: bytes=...` (RFC 9110 §14.1.2). §14.2 lets a server ignore
/// a Range it finds invalid, overlapping or too fragmented: more than
/// [`MAX_RANGES`] ranges, or two that overlap, are ignored (the whole
/// representation costs less than many parts and cannot be abused to send
/// the same bytes again and again).
fn parse_ranges(range: &str, len: u64) -> Ranges {
    let Some((unit, specs)) = range.trim().split_once('=') else { return Ranges::Ignored };
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return Ranges::Ignored;
    }
    let mut parts = Vec::new();
    for (i, spec) in specs.split(',').map(str::trim).enumerate() {
        if i == MAX_RANGES {
            return Ranges::Ignored;
        }
        let Some((first, last)) = spec.split_once('-') else { return Ranges::Ignored };
        let (first, last) = (first.trim(), last.trim());
        let part = match (first.parse::<u64>(), last.parse::<u64>()) {
            (Ok(a), Ok(b)) if a <= b => (a < len).then(|| (a, b.min(len - 1))),
            (Ok(a), Err(_)) if last.is_empty() => (a < len).then(|| (a, len - 1)),
            (Err(_), Ok(n)) if first.is_empty() => (n > 0 && len > 0).then(|| (len - n.min(len), len - 1)),
            _ => return Ranges::Ignored,
        };
        parts.extend(part);
    }
    let mut sorted = parts.clone();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[1].0 <= w[0].1) {
        return Ranges::Ignored;
    }
    if parts.is_empty() {
        Ranges::Unsatisfiable
    } else {
        Ranges::Parts(parts)
    }
}

/// The answer to a `Range` request for `body` (RFC 9110 §14.4, §15.3.7,
/// §15.5.17); a Range that [`parse_ranges`] ignores gets all of it.
fn ranged(range: &str, content_type: &str, body: Bytes) -> Response<Body> {
    let len = body.len() as u64;
    let parts = match parse_ranges(range, len) {
        Ranges::Ignored => return response(StatusCode::OK, content_type, full(body)),
        Ranges::Unsatisfiable => {
            let mut r = text(
                StatusCode::RANGE_NOT_SATISFIABLE,
                format!("416 Range Not Satisfiable: {range} asks for no byte of these {len} (RFC 9110 §15.5.17).\n"),
            );
            r.headers_mut().insert("content-range", HeaderValue::from_str(&format!("bytes */{len}")).expect("digits"));
            return r;
        }
        Ranges::Parts(parts) => parts,
    };
    if let [(a, b)] = parts[..] {
        let mut r = response(StatusCode::PARTIAL_CONTENT, content_type, full(body.slice(a as usize..=b as usize)));
        r.headers_mut()
            .insert("content-range", HeaderValue::from_str(&format!("bytes {a}-{b}/{len}")).expect("digits"));
        return r;
    }
    // Several ranges: one part each, with its own Content-Type and Content-Range (§14.6).
    const BOUNDARY: &str = "WIREPAD_PRACTICE_BYTERANGES";
    let mut multipart = Vec::new();
    for (a, b) in parts {
        multipart.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Type: {content_type}\r\nContent-Range: bytes {a}-{b}/{len}\r\n\r\n")
                .as_bytes(),
        );
        multipart.extend_from_slice(&body[a as usize..=b as usize]);
        multipart.extend_from_slice(b"\r\n");
    }
    multipart.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    response(StatusCode::PARTIAL_CONTENT, &format!("multipart/byteranges; boundary={BOUNDARY}"), full(multipart))
}

/// `/etag/{tag}`: a resource whose entity tag is `"{tag}"`, its
/// preconditions evaluated: If-None-Match answered 304 on a match, If-Match
/// 412 on none (RFC 9110 §13.1.1, §13.1.2).
fn etag(asked: &Asked, tag: &str) -> Response<Body> {
    if tag.is_empty() || !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)) {
        return bad_request(format!(
            "{tag:?} cannot be an entity tag here; use /etag/TAG with letters, digits, - . or _ in TAG"
        ));
    }
    let current = format!("\"{tag}\"");
    let mut r = match preconditions(asked, Some(Validators { tag: &current, modified: None }), SystemTime::now()) {
        Precondition::Failed(why) => text(StatusCode::PRECONDITION_FAILED, why),
        Precondition::NotModified => {
            let mut r = text(StatusCode::NOT_MODIFIED, String::new());
            r.headers_mut().remove("content-type");
            r
        }
        Precondition::Proceed => text(StatusCode::OK, format!("This resource's entity tag is {current}.\n")),
    };
    r.headers_mut().insert("etag", HeaderValue::from_str(&current).expect("checked characters"));
    r
}

/// Whether an If-Match / If-None-Match list names `current` (or is `*`).
fn matches_any(list: &str, current: &str, eq: fn(&str, &str) -> bool) -> bool {
    list.trim() == "*" || list.split(',').any(|t| eq(t.trim(), current))
}

/// Weak comparison: the opaque tags match, whatever their W/ (§8.8.3.2).
fn weak_eq(a: &str, b: &str) -> bool {
    a.trim_start_matches("W/") == b.trim_start_matches("W/")
}

/// Strong comparison: both strong, and the same.
fn strong_eq(a: &str, b: &str) -> bool {
    !a.starts_with("W/") && a == b
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The second virtual host of the practice server.
const IMAGES_HOST: &str = "images.practice";

/// `/page`: a web page is many requests. A browser that reads it asks for
/// the stylesheet and two images from this host, and two from another.
const PAGE: &str = r#"<!doctype html>
<html><head><title>A page is many requests</title><link rel="stylesheet" href="/style.css"></head>
<body><h1><img src="/logo.png" alt="logo" width="32" height="32"> A page is many requests</h1>
<p>A browser that reads this page asks for every object it names, one request each:
the stylesheet <code>/style.css</code> and the images <code>/logo.png</code> and <code>/dot.gif</code> from this host,
and two pictures from another host, <code>images.practice</code>: the same server, another site, chosen by the Host field.</p>
<p><img src="http://images.practice/cat.png" alt="checks" width="48" height="32">
<img src="http://images.practice/dog.png" alt="stripes" width="48" height="32"><img src="/dot.gif" alt="" width="1" height="1"></p>
</body></html>
"#;

const STYLE: &str =
    "body { font-family: sans-serif; max-width: 40em; margin: 2em auto; }\nh1 img { vertical-align: middle; }\n";

/// The largest form `/form` reads.
const FORM_SIZE: usize = 64 << 10;

/// `/form`: the fields of a POSTed form, one a line, read from
/// application/x-www-form-urlencoded or multipart/form-data (RFC 7578); a
/// GET gets a form of each kind to fill in.
pub async fn form(asked: &Asked<'_>) -> Response<Body> {
    if asked.method != Method::POST {
        return response(StatusCode::OK, "text/html; charset=utf-8", full(FORM));
    }
    let kind = asked.header("content-type").unwrap_or_default();
    let media_type = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type != "application/x-www-form-urlencoded" && media_type != "multipart/form-data" {
        let why = format!("415 Unsupported Media Type: /form reads application/x-www-form-urlencoded or multipart/form-data, and this request's Content-Type is {kind:?} (RFC 9110 §15.5.16; Accept-Post lists what it reads).\n");
        let mut r = text(StatusCode::UNSUPPORTED_MEDIA_TYPE, why);
        r.headers_mut()
            .insert("accept-post", HeaderValue::from_static("application/x-www-form-urlencoded, multipart/form-data"));
        return r;
    }
    if media_type == "application/x-www-form-urlencoded" {
        let fields: String =
            form_urlencoded::parse(asked.body).map(|(name, value)| format!("{name} = {value}\n")).collect();
        return text(StatusCode::OK, format!("The form's fields, decoded (+ is a space, %XX a byte):\n{fields}"));
    }
    match multipart_fields(&kind, Bytes::copy_from_slice(asked.body)).await {
        Ok(fields) => text(StatusCode::OK, format!("The form's fields, one part each (multipart/form-data):\n{fields}")),
        Err(why) => bad_request(format!("the multipart/form-data body cannot be read: {why}; each part starts at a --boundary line, with a Content-Disposition: form-data naming its field (RFC 7578 §4, RFC 2046 §5.1.1)")),
    }
}

/// The fields of a multipart/form-data body whose Content-Type is `kind`,
/// one a line: a text field's value, or a file's name, type and size.
async fn multipart_fields(kind: &str, body: Bytes) -> Result<String, multer::Error> {
    let boundary = multer::parse_boundary(kind)?;
    let whole = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(whole, boundary);
    let mut lines = String::new();
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or("").to_string();
        let file = field.file_name().map(str::to_string);
        let content_type = field.content_type().map_or("text/plain".to_string(), |m| m.to_string());
        let data = field.bytes().await?;
        let line = match (file, std::str::from_utf8(&data)) {
            (None, Ok(value)) => format!("{name} = {value}\n"),
            (None, Err(_)) => format!("{name}: {} bytes that are not UTF-8 text ({content_type})\n", data.len()),
            (Some(file), _) => format!("{name}: file {file:?}, {content_type}, {} bytes\n", data.len()),
        };
        lines.push_str(&line);
    }
    Ok(lines)
}

const FORM: &str = "<!doctype html><title>A form</title>
<form method=post action=/form><label>Name <input name=name value=Ada></label>
<label>Language <input name=language value=\"Rust & C\"></label><button>Send</button></form>
<form method=post action=/form enctype=multipart/form-data><label>Name <input name=name value=Ada></label>
<label>A file <input type=file name=file></label><button>Send as multipart/form-data</button></form>
";

/// `/hello`: one resource in three languages, chosen by Accept-Language
/// (RFC 9110 §12.5.4), said in Content-Language, with Vary.
fn hello(asked: &Asked) -> Response<Body> {
    const SAID: [(&str, &str); 3] = [("en", "Hello!"), ("fr", "Bonjour !"), ("de", "Hallo!")];
    let wanted = asked.header("accept-language").unwrap_or_default();
    let chosen = best(&wanted, &SAID.map(|(tag, _)| tag)).unwrap_or("en");
    let said = SAID.iter().find(|(tag, _)| *tag == chosen).map_or("Hello!", |(_, s)| s);
    let mut r = text(StatusCode::OK, format!("{said}\n"));
    r.headers_mut().insert("content-language", HeaderValue::from_static(chosen_static(chosen)));
    r.headers_mut().insert("vary", HeaderValue::from_static("Accept-Language"));
    r
}

fn chosen_static(tag: &str) -> &'static str {
    match tag {
        "fr" => "fr",
        "de" => "de",
        _ => "en",
    }
}

/// The items of an Accept-* list with their weights (RFC 9110 §12.4.2: `q`
/// from 0 to 1, 1 when not given; `Q=` alike). An item whose weight is no
/// qvalue is left out.
fn weights(list: &str) -> Vec<(&str, f32)> {
    let mut weighted = Vec::new();
    for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let mut parts = item.split(';').map(str::trim);
        let value = parts.next().unwrap_or("");
        let q = parts.find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))).map(str::parse::<f32>);
        match q {
            None => weighted.push((value, 1.0)),
            Some(Ok(q)) if (0.0..=1.0).contains(&q) => weighted.push((value, q)),
            Some(_) => {}
        }
    }
    weighted
}

/// The offered value the client weights highest in an Accept-* list
/// (`q=0` refuses; a `*` matches anything not named; ties go to the offer
/// listed first). A language range matches its tag and the tag's subtags
/// (`en` matches `en-GB` and the other way round, RFC 4647 §3.3.1 loosely).
fn best<'o>(wanted: &str, offers: &[&'o str]) -> Option<&'o str> {
    let weighted = weights(wanted);
    let weight = |offer: &str| {
        let prefix = |a: &str, b: &str| {
            a.eq_ignore_ascii_case(b)
                || a.len() > b.len() && a[..b.len()].eq_ignore_ascii_case(b) && a.as_bytes()[b.len()] == b'-'
        };
        weighted
            .iter()
            .find(|(range, _)| prefix(range, offer) || prefix(offer, range))
            .or_else(|| weighted.iter().find(|(range, _)| *range == "*"))
            .map(|(_, q)| *q)
    };
    let mut best: Option<(&'o str, f32)> = None;
    for offer in offers {
        if let Some(q) = weight(offer).filter(|q| *q > 0.0) {
            if best.is_none_or(|(_, b)| q > b) {
                best = Some((offer, q));
            }
        }
    }
    best.map(|(offer, _)| offer)
}

/// `/redirect/{n}`: n redirects, each `Location` relative to the last
/// (`2` from `/redirect/3` is `/redirect/2`, RFC 3986 §5.2), the last to `/`.
fn redirect_chain(asked: &Asked, n: &str) -> Response<Body> {
    let status = asked.query.split('&').find_map(|kv| kv.strip_prefix("status=")).unwrap_or("302");
    let (Ok(n), Ok(status)) = (n.parse::<u32>(), status.parse::<u16>()) else {
        return bad_request(format!(
            "/redirect/{n} with status {status} names no chain; use /redirect/N, optionally ?status=301, 302, 303, 307 or 308"
        ));
    };
    let Some(status) = [301, 302, 303, 307, 308].contains(&status).then(|| StatusCode::from_u16(status).ok()).flatten()
    else {
        return bad_request(format!(
            "{status} is not a redirect's status; a redirect is 301, 302, 303, 307 or 308 (RFC 9110 §15.4)"
        ));
    };
    if n == 0 {
        return text(StatusCode::OK, "The end of the chain.\n".into());
    }
    let keep = if status == StatusCode::FOUND { String::new() } else { format!("?status={}", status.as_u16()) };
    let location = if n == 1 { "/".to_string() } else { format!("{}{keep}", n - 1) };
    let mut r = text(status, format!("{status}: go on to {location} ({} more after this one).\n", n - 1));
    r.headers_mut().insert("location", HeaderValue::from_str(&location).expect("digits and a query"));
    r
}

/// `/long`: the opening of Alice's Adventures in Wonderland (Lewis Carroll,
/// 1865; public domain), 5.1 KB, written in [`LONG_PIECES`] writes
/// 150 ms apart, with its length said first: a client sees it arrive read by
/// read.
fn long_document() -> Response<Body> {
    let pieces: Vec<Frame<Bytes>> = ALICE
        .as_bytes()
        .chunks(ALICE.len().div_ceil(LONG_PIECES))
        .map(|piece| Frame::data(Bytes::from_static(piece)))
        .collect();
    let mut r = response(
        StatusCode::OK,
        "text/plain; charset=utf-8",
        stream_of(pieces, Some(std::time::Duration::from_millis(150))),
    );
    r.headers_mut().insert("content-length", HeaderValue::from(ALICE.len()));
    r
}

/// How many writes `/long` is sent in.
const LONG_PIECES: usize = 6;

const ALICE: &str = "Alice's Adventures in Wonderland, by Lewis Carroll (1865)

CHAPTER I. Down the Rabbit-Hole

Alice was beginning to get very tired of sitting by her sister on the
bank, and of having nothing to do: once or twice she had peeped into the
book her sister was reading, but it had no pictures or conversations in
it, 'and what is the use of a book,' thought Alice 'without pictures or
conversations?'

So she was considering in her own mind (as well as she could, for the
hot day made her feel very sleepy and stupid), whether the pleasure of
making a daisy-chain would be worth the trouble of getting up and
picking the daisies, when suddenly a White Rabbit with pink eyes ran
close by her.

There was nothing so very remarkable in that; nor did Alice think it so
very much out of the way to hear the Rabbit say to itself, 'Oh dear!
Oh dear! I shall be late!' (when she thought it over afterwards, it
occurred to her that she ought to have wondered at this, but at the time
it all seemed quite natural); but when the Rabbit actually took a watch
out of its waistcoat-pocket, and looked at it, and then hurried on,
Alice started to her feet, for it flashed across her mind that she had
never before seen a rabbit with either a waistcoat-pocket, or a watch
to take out of it, and burning with curiosity, she ran across the field
after it, and fortunately was just in time to see it pop down a large
rabbit-hole under the hedge.

In another moment down went Alice after it, never once considering how
in the world she was to get out again.

The rabbit-hole went straight on like a tunnel for some way, and then
dipped suddenly down, so suddenly that Alice had not a moment to think
about stopping herself before she found herself falling down a very deep
well.

Either the well was very deep, or she fell very slowly, for she had
plenty of time as she went down to look about her and to wonder what was
going to happen next. First, she tried to look down and make out what
she was coming to, but it was too dark to see anything; then she looked
at the sides of the well, and noticed that they were filled with
cupboards and book-shelves; here and there she saw maps and pictures
hung upon pegs. She took down a jar from one of the shelves as she
passed; it was labelled 'ORANGE MARMALADE', but to her great
disappointment it was empty: she did not like to drop the jar for fear
of killing somebody underneath, so managed to put it into one of the
cupboards as she fell past it.

'Well!' thought Alice to herself, 'after such a fall as this, I shall
think nothing of tumbling down stairs! How brave they'll all think me at
home! Why, I wouldn't say anything about it, even if I fell off the top
of the house!' (Which was very likely true.)

Down, down, down. Would the fall never come to an end! 'I wonder how
many miles I've fallen by this time?' she said aloud. 'I must be getting
somewhere near the centre of the earth. Let me see: that would be four
thousand miles down, I think--' (for, you see, Alice had learnt several
things of this sort in her lessons in the schoolroom, and though this
was not a very good opportunity for showing off her knowledge, as there
was no one to listen to her, still it was good practice to say it over)
'--yes, that's about the right distance--but then I wonder what Latitude
or Longitude I've got to?' (Alice had no idea what Latitude was, or
Longitude either, but thought they were nice grand words to say.)

Presently she began again. 'I wonder if I shall fall right through the
earth! How funny it'll seem to come out among the people that walk with
their heads downward! The Antipathies, I think--' (she was rather glad
there was no one listening, this time, as it didn't sound at all the
right word) '--but I shall have to ask them what the name of the country
is, you know. Please, Ma'am, is this New Zealand or Australia?' (and she
tried to curtsey as she spoke--fancy curtseying as you're falling
through the air! Do you think you could manage it?) 'And what an
ignorant little girl she'll think me for asking! No, it'll never do to
ask: perhaps I shall see it written up somewhere.'

Down, down, down. There was nothing else to do, so Alice soon began
talking again. 'Dinah'll miss me very much to-night, I should think!'
(Dinah was the cat.) 'I hope they'll remember her saucer of milk at
tea-time. Dinah my dear! I wish you were down here with me! There are no
mice in the air, I'm afraid, but you might catch a bat, and that's very
like a mouse, you know. But do cats eat bats, I wonder?' And here Alice
began to get rather sleepy, and went on saying to herself, in a dreamy
sort of way, 'Do cats eat bats? Do cats eat bats?' and sometimes, 'Do
bats eat cats?' for, you see, as she couldn't answer either question, it
didn't much matter which way she put it. She felt that she was dozing
off, and had just begun to dream that she was walking hand in hand with
Dinah, and saying to her very earnestly, 'Now, Dinah, tell me the truth:
did you ever eat a bat?' when suddenly, thump! thump! down she came upon
a heap of sticks and dry leaves, and the fall was over.
";

/// `/basic-auth/{user}/{password}`: 401 with a challenge unless the request
/// carries exactly those credentials (RFC 7617).
fn basic_auth(asked: &Asked, rest: &str) -> Response<Body> {
    let Some((user, password)) = rest.split_once('/') else {
        return bad_request("this path names no password; use /basic-auth/USER/PASSWORD".into());
    };
    let field = asked.header("authorization");
    let given = field
        .as_deref()
        .and_then(|f| credentials(f, "Basic"))
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .and_then(|raw| String::from_utf8(raw).ok());
    if given.as_deref() == Some(&format!("{user}:{password}")) {
        return text(StatusCode::OK, format!("Welcome, {user}: the credentials were right.\n"));
    }
    let why = match given {
        None => "401 Unauthorized: this page needs credentials; the WWW-Authenticate field says how to send them (Authorization: Basic, then user:password in base64; RFC 7617 §2, RFC 9110 §15.5.2).\n".to_string(),
        Some(other) => format!("401 Unauthorized: the credentials {other:?} are not the right ones for this page (RFC 9110 §15.5.2).\n"),
    };
    let mut r = text(StatusCode::UNAUTHORIZED, why);
    r.headers_mut()
        .insert("www-authenticate", HeaderValue::from_static("Basic realm=\"wirepad practice\", charset=\"UTF-8\""));
    r
}

/// The value of `name` in a query string (percent-decoded).
fn query_value(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes()).find(|(n, _)| n == name).map(|(_, v)| v.into_owned())
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The credentials of an Authorization field that uses `scheme`; a scheme's
/// name compares case-insensitively (RFC 9110 §11.1: `basic` is `Basic`).
fn credentials<'f>(field: &'f str, scheme: &str) -> Option<&'f str> {
    let (name, rest) = field.trim().split_once(' ')?;
    name.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

/// The `name=value` pairs of an authentication header (RFC 9110 §11.2:
/// `auth-param = token BWS "=" BWS ( token / quoted-string )`).
fn auth_params(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while let Some((name, after)) = rest.split_once('=') {
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, &quoted[end..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        out.push((name.trim().trim_start_matches(',').trim().to_string(), value));
        rest = next.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

/// The cookies a request carried, as name=value pairs (RFC 6265 §5.4).
fn received(asked: &Asked) -> Vec<(String, String)> {
    asked
        .headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn cookies(asked: &Asked) -> Response<Body> {
    let got = received(asked);
    if got.is_empty() {
        return text(StatusCode::OK, "This request carried no Cookie field.\n".into());
    }
    let lines: String = got.iter().map(|(n, v)| format!("{n} = {v}\n")).collect();
    text(StatusCode::OK, format!("This request carried these cookies:\n{lines}"))
}

/// `/cookies/set?NAME=VALUE&...`: one Set-Cookie per pair.
fn set_cookies(asked: &Asked) -> Response<Body> {
    let pairs: Vec<(&str, &str)> = asked.query.split('&').filter_map(|kv| kv.split_once('=')).collect();
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if pairs.is_empty() || !pairs.iter().all(|(n, v)| token(n) && token(v)) {
        return bad_request("the query names no cookie this server sets; use /cookies/set?NAME=VALUE with letters, digits, - _ . in each (a cookie's name is a token, RFC 6265 §4.1.1)".into());
    }
    let mut r = text(
        StatusCode::OK,
        format!("Set {} cookie(s); send the next request with them and see /cookies.\n", pairs.len()),
    );
    for (name, value) in pairs {
        let cookie = format!("{name}={value}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
        r.headers_mut().append("set-cookie", HeaderValue::from_str(&cookie).expect("checked characters"));
    }
    r
}

/// `/visits`: a counter the client keeps for the server, in a cookie.
fn visits(asked: &Asked) -> Response<Body> {
    let before = received(asked).iter().find(|(n, _)| n == "visits").and_then(|(_, v)| v.parse::<u64>().ok());
    let now = before.unwrap_or(0).saturating_add(1);
    let said = match before {
        None => "Your first visit: the response sets a cookie, and your client sends it back next time.".to_string(),
        Some(_) => format!("Visit number {now}: your client sent back the count this server set last time."),
    };
    let mut r = text(StatusCode::OK, format!("{said}\n"));
    let cookie = format!("visits={now}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax");
    r.headers_mut().insert("set-cookie", HeaderValue::from_str(&cookie).expect("digits"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_params_read_tokens_and_quoted_strings() {
        let p = auth_params(r#"username="stu\"dent", realm="a, b", nc=00000001, qop=auth"#);
        let names: Vec<(&str, &str)> = p.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(names, [("username", "stu\"dent"), ("realm", "a, b"), ("nc", "00000001"), ("qop", "auth")]);
    }

    fn headers(fields: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in fields {
            h.append(*name, HeaderValue::from_str(value).unwrap());
        }
        h
    }

    /// The preconditions of `method` with `fields` on a resource tagged
    /// `"a"`, modified at 1000 s (or absent), evaluated at 2000 s.
    fn decide(method: Method, fields: &[(&'static str, &str)], exists: bool) -> Precondition {
        let h = headers(fields);
        let asked = Asked {
            method: &method,
            headers: &h,
            path: "/",
            query: "",
            target: "/",
            peer: "127.0.0.1:1".parse().unwrap(),
            body: b"",
        };
        let at = |s| SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(s);
        let current = exists.then(|| Validators { tag: "\"a\"", modified: Some(at(1000)) });
        preconditions(&asked, current, at(2000))
    }

    const LATER: &str = "Thu, 01 Jan 1970 00:25:00 GMT"; // 1500 s
    const EARLIER: &str = "Thu, 01 Jan 1970 00:10:00 GMT"; // 600 s
    const FUTURE: &str = "Thu, 01 Jan 1970 01:00:00 GMT"; // 3600 s, after "now"

    #[test]
    fn preconditions_follow_the_order_of_rfc_9110_13_2_2() {
        use Precondition::*;
        let failed = |p: Precondition| matches!(p, Failed(why) if why.starts_with("412 Precondition Failed:") && why.contains("RFC 9110 §13.1."));
        // If-Match, for every method (GET too), strong comparison.
        assert!(failed(decide(Method::GET, &[("if-match", "\"b\"")], true)));
        assert!(failed(decide(Method::GET, &[("if-match", "W/\"a\"")], true)));
        assert_eq!(decide(Method::PUT, &[("if-match", "\"b\", \"a\"")], true), Proceed);
        assert!(failed(decide(Method::PUT, &[("if-match", "*")], false)));
        // If-Match first: a failed If-Match is 412 even when If-None-Match would be 304.
        assert!(failed(decide(Method::GET, &[("if-match", "\"b\""), ("if-none-match", "\"a\"")], true)));
        // If-Unmodified-Since only without If-Match.
        assert!(failed(decide(Method::PUT, &[("if-unmodified-since", EARLIER)], true)));
        assert_eq!(decide(Method::PUT, &[("if-unmodified-since", LATER)], true), Proceed);
        assert_eq!(decide(Method::PUT, &[("if-match", "\"a\""), ("if-unmodified-since", EARLIER)], true), Proceed);
        // If-None-Match: 304 for GET and HEAD, 412 for others; `*` matches any existing resource.
        assert_eq!(decide(Method::HEAD, &[("if-none-match", "W/\"a\"")], true), NotModified);
        assert!(failed(decide(Method::PUT, &[("if-none-match", "*")], true)));
        assert_eq!(decide(Method::PUT, &[("if-none-match", "*")], false), Proceed);
        // If-Modified-Since: GET and HEAD only, ignored beside If-None-Match and when in the future.
        assert_eq!(decide(Method::GET, &[("if-modified-since", LATER)], true), NotModified);
        assert_eq!(decide(Method::GET, &[("if-modified-since", EARLIER)], true), Proceed);
        assert_eq!(decide(Method::GET, &[("if-modified-since", FUTURE)], true), Proceed);
        assert_eq!(decide(Method::DELETE, &[("if-modified-since", LATER)], true), Proceed);
        assert_eq!(decide(Method::GET, &[("if-none-match", "\"b\""), ("if-modified-since", LATER)], true), Proceed);
    }

    #[test]
    fn a_field_in_several_lines_is_one_list() {
        let h = headers(&[("accept-encoding", "x-pigeons"), ("accept-encoding", "gzip;q=0.5"), ("host", "a")]);
        assert_eq!(combined(&h, "accept-encoding").as_deref(), Some("x-pigeons, gzip;q=0.5"));
        assert_eq!(combined(&h, "host").as_deref(), Some("a"));
        assert_eq!(combined(&h, "range"), None);
    }

    #[test]
    fn ranges_are_read_and_bounded() {
        use Ranges::*;
        assert_eq!(parse_ranges("bytes=0-4", 10), Parts(vec![(0, 4)]));
        assert_eq!(parse_ranges("BYTES = 8-, -3", 10), Ignored, "8-9 and 7-9 overlap");
        assert_eq!(parse_ranges("bytes=5-, 0-1", 10), Parts(vec![(5, 9), (0, 1)]));
        assert_eq!(parse_ranges("bytes=0-99", 10), Parts(vec![(0, 9)]));
        assert_eq!(parse_ranges("bytes=10-", 10), Unsatisfiable);
        assert_eq!(parse_ranges("bytes=0-1, 1-2", 10), Ignored);
        assert_eq!(parse_ranges("items=0-1", 10), Ignored);
        assert_eq!(parse_ranges("bytes=4-1", 10), Ignored);
        let eight: Vec<String> = (0..8).map(|i| format!("{}-{}", 2 * i, 2 * i)).collect();
        assert!(matches!(parse_ranges(&format!("bytes={}", eight.join(",")), 100), Parts(p) if p.len() == 8));
        let nine: Vec<String> = (0..9).map(|i| format!("{}-{}", 2 * i, 2 * i)).collect();
        assert_eq!(parse_ranges(&format!("bytes={}", nine.join(",")), 100), Ignored);
    }

    #[test]
    fn a_content_coding_is_chosen_by_weight_and_identity_can_be_refused() {
        assert_eq!(choose_coding(None), Ok(None));
        assert_eq!(choose_coding(Some("")), Ok(None));
        assert_eq!(choose_coding(Some("gzip, deflate, br")), Ok(Some("gzip")));
        assert_eq!(choose_coding(Some("gzip;q=0.5, BR")), Ok(Some("br")));
        assert_eq!(choose_coding(Some("gzip;q=0, *;q=0.2")), Ok(Some("deflate")));
        assert_eq!(choose_coding(Some("identity, gzip;q=0.5")), Ok(None));
        assert_eq!(choose_coding(Some("x-pigeons")), Ok(None));
        assert_eq!(choose_coding(Some("identity;q=0")), Err(()));
        assert_eq!(choose_coding(Some("*;q=0")), Err(()));
        assert_eq!(choose_coding(Some("*;q=0, identity;q=0.1")), Ok(None));
        assert_eq!(choose_coding(Some("identity;q=0, br;q=0.1")), Ok(Some("br")));
        assert_eq!(choose_coding(Some("gzip;q=2")), Ok(None), "2 is no qvalue: the item is left out");
    }

    #[test]
    fn if_range_holds_for_the_strong_tag_or_the_exact_strong_date() {
        let at = |ms: u64| SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(ms);
        let (tag, modified, later) = ("\"a\"", at(784_111_777_300), at(784_111_800_000));
        // Entity tags: strong comparison only.
        assert!(if_range_holds("\"a\"", tag, modified, later));
        assert!(!if_range_holds("W/\"a\"", tag, modified, later), "a weak tag never holds");
        assert!(!if_range_holds("\"b\"", tag, modified, later));
        // Dates: Last-Modified exactly, in each of the three formats.
        for date in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert!(if_range_holds(date, tag, modified, later), "{date}");
        }
        assert!(!if_range_holds("Sun, 06 Nov 1994 08:49:38 GMT", tag, modified, later), "a second later");
        assert!(!if_range_holds("Sun, 06 Nov 1994 08:49:36 GMT", tag, modified, later), "a second earlier");
        // Last-Modified in the same second as the response's Date is weak: no date holds.
        assert!(!if_range_holds("Sun, 06 Nov 1994 08:49:37 GMT", tag, modified, at(784_111_777_900)));
        assert!(if_range_holds("Sun, 06 Nov 1994 08:49:37 GMT", tag, modified, at(784_111_778_000)));
        assert!(!if_range_holds("yesterday", tag, modified, later));
        assert!(!if_range_holds("", tag, modified, later));
    }

    #[test]
    fn x_gzip_is_gzip() {
        assert_eq!(choose_coding(Some("x-gzip")), Ok(Some("gzip")));
        assert_eq!(choose_coding(Some("X-GZIP;q=0.5, deflate;q=0.4")), Ok(Some("gzip")));
        assert_eq!(choose_coding(Some("x-gzip;q=0, deflate;q=0.4")), Ok(Some("deflate")));
        assert_eq!(choose_coding(Some("x-gzip;q=0, identity;q=0")), Err(()));
    }

    #[test]
    fn authentication_schemes_compare_case_insensitively() {
        assert_eq!(credentials("DIGEST username=\"a\"", "Digest"), Some("username=\"a\""));
        assert_eq!(credentials("basic  c3R1", "Basic"), Some("c3R1"));
        assert_eq!(credentials("Bearer x", "Basic"), None);
    }

    #[test]
    fn a_digest_nonce_is_fresh_each_time_and_only_ours_is_taken() {
        let shared = Shared::new();
        let (a, b) = (shared.new_nonce(), shared.new_nonce());
        assert_ne!(a, b);
        let made = shared.nonce_made(&a).expect("our nonce");
        assert!(secs(SystemTime::now()).abs_diff(made) < 5);
        let mut forged = a.clone().into_bytes();
        forged[0] = if forged[0] == b'0' { b'1' } else { b'0' };
        assert_eq!(shared.nonce_made(std::str::from_utf8(&forged).unwrap()), None);
        assert!(shared.count_nonce(&a, made, 1) && shared.count_nonce(&a, made, 2));
        assert!(!shared.count_nonce(&a, made, 2), "a replayed nc");
    }

    #[test]
    fn entity_tags_compare_weakly_for_if_none_match_and_strongly_for_if_match() {
        assert!(matches_any(r#""a", "b""#, r#""b""#, weak_eq));
        assert!(matches_any(r#"W/"b""#, r#""b""#, weak_eq));
        assert!(!matches_any(r#"W/"b""#, r#""b""#, strong_eq));
        assert!(matches_any("*", r#""b""#, strong_eq));
        assert!(!matches_any(r#""v1""#, r#""v2""#, weak_eq));
    }
}
