//! Class rooms: one teacher page drives, every follower page mirrors it, and
//! followers' answers go back to the teacher only.
//!
//! `ws://SERVER/room?create` opens a room; the page that opened it is its
//! teacher and gets the room's code (short, to type from a projector) and a
//! teacher key (never in the join link). `?code=CODE&key=KEY` is the teacher
//! again (after a reload or a lost network); `?code=CODE` joins as a
//! follower. The messages each way are the two enums below, as JSON text
//! frames; docs/relay-and-rooms.md ("Class rooms") documents them. The same Origin and
//! Host checks as the relay apply (`access.rs`).
//!
//! What a teacher sends is the page's business (JSON objects, kept as they
//! came). The server keeps what a follower who joins late needs to catch up —
//! the teacher's exchange, the bytes appended to it since, and the latest
//! view — and what a teacher who comes back needs besides: the followers'
//! answers so far. It never lets a follower's message reach another follower.
//!
//! Nothing a client does can make the server hold more than its limits: what
//! a room keeps is counted against a budget per room and one for all rooms
//! (the oldest answers go first, then a message is refused); a message is
//! kept as the text it came as, after a check of its nesting that builds
//! nothing; a page that stops reading, or falls too many bytes behind, is
//! closed; rooms are created and joined at a bounded rate per client
//! address; and a room nobody ever joined expires in minutes.

use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Extension, Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

use super::access::Client;

/// What a page sends.
#[derive(Debug)]
pub enum FromPage<'a> {
    /// The teacher's view (selection, marks, exercise...; teacher only):
    /// mirrored to followers, the latest kept.
    State { state: &'a RawValue },
    /// A new exchange on the teacher's page (its request and response
    /// bytes; teacher only): mirrored, kept, and the appends kept so far dropped.
    Exchange { exchange: &'a RawValue },
    /// Bytes added to the teacher's exchange while a response streams in
    /// (teacher only): mirrored, and kept in order after the exchange.
    Append { append: &'a RawValue },
    /// A follower's answer in an exercise (followers only): to the teacher.
    Answer { answer: &'a RawValue },
    /// A follower broke away to explore, or follows the teacher again
    /// (followers only): the teacher's roster shows it.
    Status { status: Status },
    /// A follower leaves the class for good (followers only): `gone` on the
    /// roster, and its seat is given up.
    Leave,
    /// The teacher pauses the class ("eyes on the teacher") or resumes it
    /// (teacher only): to every follower, and to those who join meanwhile.
    Pause { pause: bool },
    /// The teacher ends the class (teacher only): every follower is told
    /// and let go, and the room closes at once.
    End,
    /// Where a follower is in the lesson, in words ("3/7 · Caching";
    /// followers only): the teacher's roster shows it.
    Step { step: Cow<'a, str> },
    /// The teacher asks one follower for a snapshot of its work (teacher
    /// only): that follower is sent `snapshot`, and answers with an answer.
    Snapshot { follower: u64 },
}

/// A page's message as it is read: its `type` and the payload beside it,
/// taken as the text it came as (no tree is built of it).
#[derive(Deserialize)]
struct Incoming<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(borrow)]
    state: Option<&'a RawValue>,
    #[serde(borrow)]
    exchange: Option<&'a RawValue>,
    #[serde(borrow)]
    append: Option<&'a RawValue>,
    #[serde(borrow)]
    answer: Option<&'a RawValue>,
    #[serde(borrow)]
    status: Option<&'a str>,
    pause: Option<bool>,
    /// Written as the page pleases: `·` may come escaped (`\u00b7`).
    #[serde(borrow)]
    step: Option<Cow<'a, str>>,
    follower: Option<u64>,
}

impl FromPage<'_> {
    /// Reads one message: `{"type": "state", "state": ...}` and so on.
    fn parse(raw: &str) -> Option<FromPage<'_>> {
        let m: Incoming = serde_json::from_str(raw).ok()?;
        match m.kind {
            "state" => m.state.map(|state| FromPage::State { state }),
            "exchange" => m.exchange.map(|exchange| FromPage::Exchange { exchange }),
            "append" => m.append.map(|append| FromPage::Append { append }),
            "answer" => m.answer.map(|answer| FromPage::Answer { answer }),
            "status" => match m.status? {
                "following" => Some(FromPage::Status { status: Status::Following }),
                "exploring" => Some(FromPage::Status { status: Status::Exploring }),
                _ => None,
            },
            "leave" => Some(FromPage::Leave),
            "pause" => m.pause.map(|pause| FromPage::Pause { pause }),
            "end" => Some(FromPage::End),
            "step" => m.step.map(|step| FromPage::Step { step }),
            "snapshot" => m.follower.map(|follower| FromPage::Snapshot { follower }),
            _ => None,
        }
    }
}

/// What the server sends.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToPage<'a> {
    /// To the page that opened the room: it is the teacher.
    Created { code: &'a str, key: &'a str, names: Names },
    /// To a teacher that came back with its key (the roster follows).
    Teacher { code: &'a str, followers: usize, names: Names },
    /// To a follower that joined; `follower` is its number in the room,
    /// `name` the name it gave (none in an anonymous room), `seat` what it
    /// comes back with after a reload or a lost network, as the same student.
    Joined { code: &'a str, follower: u64, name: Option<&'a str>, seat: &'a str },
    /// To the teacher: every student who joined, in the order they joined.
    Roster { roster: Vec<RosterEntry<'a>> },
    /// To the teacher: one student joined, or its status changed.
    Student(RosterEntry<'a>),
    /// The teacher's latest view, to followers.
    State { state: &'a RawValue },
    /// The teacher's exchange, to followers.
    Exchange { exchange: &'a RawValue },
    /// Bytes added to the teacher's exchange, to followers.
    Append { append: &'a RawValue },
    /// A follower's answer, to the teacher (the follower's number only: no names).
    Answer { follower: u64, answer: &'a RawValue },
    /// To the teacher, when followers join or leave.
    Followers { count: usize },
    /// To followers: the class is paused (`true`) or goes on.
    Pause { pause: bool },
    /// To followers, when the teacher ended the class (the last message).
    Ended,
    /// To one follower: the teacher asks for a snapshot of its work.
    Snapshot,
    /// A refusal; the message says why. Codes: `no-such-room`, `wrong-key`,
    /// `too-many-rooms`, `room-full`, `not-teacher`, `not-follower`,
    /// `bad-message`, `message-too-large`, `too-fast`, `replaced`,
    /// `too-many-joins`, `room-memory`, `too-slow`, `class-ended`,
    /// `name-required`, `bad-name`, `bad-names`, `bad-step`, `not-here`.
    Error { code: &'a str, message: &'a str },
}

/// Whether followers give a name, chosen by the teacher at create time
/// (`/room?create&names=…`; `anonymous` when not said, as before names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Names {
    /// Joining without a name is refused (`name-required`).
    Required,
    /// A follower may give one.
    Optional,
    /// Names are not asked for, and one given is not kept: followers are numbers.
    Anonymous,
}

impl Names {
    fn from_query(q: Option<&str>) -> Option<Names> {
        match q {
            None | Some("anonymous") => Some(Names::Anonymous),
            Some("required") => Some(Names::Required),
            Some("optional") => Some(Names::Optional),
            Some(_) => None,
        }
    }
}

/// Where a follower is, as the teacher's roster shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Mirrors the teacher (on joining, and after `#class-follow`).
    Following,
    /// Broke away to explore on its own.
    Exploring,
    /// Its connection was lost; it may come back with its seat.
    Away,
    /// It left the class (`{"type":"leave"}`).
    Gone,
}

/// One row of the teacher's roster.
#[derive(Debug, Serialize)]
pub struct RosterEntry<'a> {
    follower: u64,
    name: Option<&'a str>,
    status: Status,
    /// Where it is in the lesson, as its page said (`step`), once it said.
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<&'a str>,
}

/// The most characters in a follower's name.
const MAX_NAME: usize = 64;

/// The most characters in a follower's step.
const MAX_STEP: usize = 80;

/// A step as a follower's page says it: short, and no control characters.
fn read_step(step: &str) -> Option<&str> {
    (step.chars().count() <= MAX_STEP && !step.chars().any(char::is_control)).then_some(step)
}

/// A follower's name as given, trimmed; `Err` says why it cannot be one.
fn read_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.chars().count() > MAX_NAME {
        return Err("a name has at most 64 characters");
    }
    if name.chars().any(char::is_control) {
        return Err("a name cannot hold control characters");
    }
    Ok(name.to_string())
}

/// A student who joined a room: what the roster says of it.
struct Student {
    name: Option<String>,
    status: Status,
    /// Where it is in the lesson, as its page last said.
    step: Option<String>,
    /// What its page comes back with (none once it left for good).
    seat: Option<String>,
    /// The order of joining.
    order: u64,
}

/// Limits, from `wirepad serve`'s flags.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_rooms: usize,
    /// Rooms open at once that one client address created.
    pub max_rooms_per_ip: usize,
    pub max_followers: usize,
    pub max_message: usize,
    /// Bytes one room keeps (exchange, appends, view, answers), and all rooms.
    pub room_memory: usize,
    pub total_memory: usize,
    /// Messages a follower may send per second (and in a burst of twice that).
    pub follower_rate: u32,
    /// Room connections (create, join, come back) one address may open per
    /// second, and at once (a class behind one address joins together).
    pub join_rate: f64,
    pub join_burst: f64,
    /// A page whose send takes this long, or that has this many bytes
    /// waiting for it, is closed: it is not reading.
    pub send_timeout: Duration,
    pub max_lag: usize,
    /// A room with no teacher and no messages for this long is closed.
    pub idle: Duration,
    /// A room nobody is in (a room no follower ever joined, once its teacher
    /// left) is closed after this long.
    pub unused: Duration,
}

/// Messages queued for one page (besides `max_lag` in bytes).
const QUEUE: usize = 64;
/// How deeply a message's JSON may nest.
const MAX_DEPTH: usize = 64;

/// What goes to one page: a message, or the last one before its connection
/// closes (a teacher page replaced by a reload).
#[derive(Debug)]
enum Out {
    Message(Message),
    Last(Message),
}

/// The way to one page: its queue, and the bytes waiting in it.
#[derive(Clone)]
struct Sender {
    queue: mpsc::Sender<Out>,
    waiting: Arc<AtomicUsize>,
}

impl Sender {
    fn new(queue: mpsc::Sender<Out>) -> Sender {
        Sender { queue, waiting: Arc::default() }
    }

    /// Queues a message; false when the page is too far behind to take it.
    fn send(&self, out: Out, max_lag: usize) -> bool {
        let size = match &out {
            Out::Message(m) | Out::Last(m) => size(m),
        };
        if self.waiting.load(Ordering::Relaxed) + size > max_lag.max(size) {
            return false;
        }
        // Counted before it is queued (the page may take it at once), and
        // taken back when the queue refuses it.
        self.waiting.fetch_add(size, Ordering::Relaxed);
        let queued = self.queue.try_send(out).is_ok();
        if !queued {
            self.waiting.fetch_sub(size, Ordering::Relaxed);
        }
        queued
    }

    fn same_channel(&self, other: &Sender) -> bool {
        self.queue.same_channel(&other.queue)
    }
}

struct Room {
    key: String,
    names: Names,
    /// Every student who joined (connected or not), by follower number, at
    /// most `ROSTER_PER_FOLLOWER` times the followers a room may have.
    students: HashMap<u64, Student>,
    /// Seat → follower number, for a student coming back.
    seats: HashMap<String, u64>,
    joins: u64,
    /// The client address that created the room.
    creator: IpAddr,
    teacher: Option<Sender>,
    followers: HashMap<u64, Sender>,
    /// Every follower number given in this room: numbers are random and
    /// never given twice, so they say nothing of how many joined before.
    numbers: HashSet<u64>,
    /// What a follower who joins later is sent first, as it was sent: the
    /// teacher's exchange, the appends to it (with their total size), and
    /// the latest view.
    exchange: Option<Message>,
    appends: Vec<Message>,
    appended: usize,
    state: Option<Message>,
    /// The teacher paused the class.
    paused: bool,
    /// The followers' answers as the teacher was sent them (or would have
    /// been, while it reloads), the newest ones in at most `max_message`
    /// bytes: a teacher who comes back tallies them again.
    answers: VecDeque<Message>,
    answered: usize,
    active: Instant,
}

impl Room {
    fn new(key: String, names: Names, creator: IpAddr, teacher: Sender) -> Room {
        Room {
            key,
            names,
            students: HashMap::new(),
            seats: HashMap::new(),
            joins: 0,
            creator,
            teacher: Some(teacher),
            followers: HashMap::new(),
            numbers: HashSet::new(),
            exchange: None,
            appends: Vec::new(),
            appended: 0,
            state: None,
            paused: false,
            answers: VecDeque::new(),
            answered: 0,
            active: Instant::now(),
        }
    }

    /// The bytes this room keeps.
    fn kept(&self) -> usize {
        self.exchange.as_ref().map_or(0, size) + self.appended + self.state.as_ref().map_or(0, size) + self.answered
    }

    /// Whether the page with this sender is the one that drives the room now.
    fn driven_by(&self, sender: Option<&Sender>) -> bool {
        self.teacher.as_ref().zip(sender).is_some_and(|(t, s)| t.same_channel(s))
    }

    /// The messages that bring a follower who joins now up to date, in order.
    fn backlog(&self) -> Vec<Message> {
        let paused = self.paused.then(|| text(&ToPage::Pause { pause: true }));
        self.exchange.iter().chain(&self.appends).chain(&self.state).cloned().chain(paused).collect()
    }

    /// Drops the oldest answers until `bytes` are freed or none is left;
    /// returns how many bytes it freed.
    fn forget_answers(&mut self, bytes: usize) -> usize {
        let mut freed = 0;
        while freed < bytes {
            let Some(old) = self.answers.pop_front() else { break };
            self.answered -= size(&old);
            freed += size(&old);
        }
        freed
    }

    /// Keeps a follower's answer for a teacher who comes back (the newest
    /// within `limit` bytes), and sends it to the teacher there is.
    fn answer(&mut self, out: Message, limit: usize, max_lag: usize) {
        self.answered += size(&out);
        self.answers.push_back(out.clone());
        while self.answered > limit {
            let Some(old) = self.answers.pop_front() else { break };
            self.answered -= size(&old);
        }
        self.tell_teacher(out, max_lag);
    }

    /// Sends a teacher's message to every follower. A follower too far
    /// behind is dropped, not waited for.
    fn broadcast(&mut self, out: &Message, max_lag: usize) {
        self.followers.retain(|_, f| f.send(Out::Message(out.clone()), max_lag));
    }

    fn tell_teacher(&self, m: Message, max_lag: usize) {
        if let Some(t) = &self.teacher {
            let _ = t.send(Out::Message(m), max_lag);
        }
    }

    fn entry(&self, n: u64) -> Option<RosterEntry<'_>> {
        self.students.get(&n).map(|s| RosterEntry {
            follower: n,
            name: s.name.as_deref(),
            status: s.status,
            step: s.step.as_deref(),
        })
    }

    /// The whole roster, in the order students joined.
    fn roster(&self) -> Message {
        let mut order: Vec<(&u64, &Student)> = self.students.iter().collect();
        order.sort_by_key(|(_, s)| s.order);
        text(&ToPage::Roster { roster: order.into_iter().filter_map(|(n, _)| self.entry(*n)).collect() })
    }

    /// Sets a student's status and tells the teacher, when it changed.
    fn set_status(&mut self, n: u64, status: Status, max_lag: usize) {
        let Some(student) = self.students.get_mut(&n) else { return };
        // Gone is for good: its page closing after it left says nothing more.
        if student.status == status || student.status == Status::Gone {
            return;
        }
        student.status = status;
        if status == Status::Gone {
            if let Some(seat) = student.seat.take() {
                self.seats.remove(&seat);
            }
        }
        if let Some(entry) = self.entry(n) {
            self.tell_teacher(text(&ToPage::Student(entry)), max_lag);
        }
    }

    /// Sets where a student is in the lesson and tells the teacher, when it changed.
    fn set_step(&mut self, n: u64, step: &str, max_lag: usize) {
        let Some(student) = self.students.get_mut(&n) else { return };
        if student.step.as_deref() == Some(step) {
            return;
        }
        student.step = Some(step.to_string());
        if let Some(entry) = self.entry(n) {
            self.tell_teacher(text(&ToPage::Student(entry)), max_lag);
        }
    }

    /// Adds a student to the roster; past `cap` entries the one that left
    /// longest ago goes first (gone, then away: never one connected).
    fn enrol(&mut self, n: u64, name: Option<String>, seat: String, cap: usize) {
        while self.students.len() >= cap {
            let oldest = |status| {
                self.students.iter().filter(|(_, s)| s.status == status).min_by_key(|(_, s)| s.order).map(|(n, _)| *n)
            };
            let Some(old) = oldest(Status::Gone).or_else(|| oldest(Status::Away)) else { break };
            if let Some(seat) = self.students.remove(&old).and_then(|s| s.seat) {
                self.seats.remove(&seat);
            }
        }
        self.joins += 1;
        self.seats.insert(seat.clone(), n);
        self.students
            .insert(n, Student { name, status: Status::Following, step: None, seat: Some(seat), order: self.joins });
    }

    /// The room is gone: every page in it is told, and its connection
    /// closes (none stays open outside a room).
    fn close(self) {
        for page in self.teacher.iter().chain(self.followers.values()) {
            let _ = page.send(Out::Last(text(&ToPage::Ended)), usize::MAX);
        }
    }

    /// A follower number not given in this room before, while there are
    /// enough left: once half of `space` is used, the numbers of followers
    /// who left are forgotten and may come again (`space` is many times
    /// the most followers a room has, so a free number is always near).
    fn new_number(&mut self, space: u64) -> u64 {
        if self.numbers.len() as u64 >= space / 2 {
            self.numbers = self.followers.keys().copied().collect();
        }
        loop {
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).expect("the operating system's random source");
            let n = 1 + u64::from_le_bytes(bytes) % space;
            if self.numbers.insert(n) {
                return n;
            }
        }
    }
}

#[derive(Clone)]
pub struct Rooms {
    inner: Arc<Mutex<Inner>>,
    limits: Limits,
}

struct Inner {
    rooms: HashMap<String, Room>,
    /// Codes of classes that ended, and when: joining one says so
    /// (`class-ended`) instead of finding no room, and no new room gets one.
    ended: HashMap<String, Instant>,
    /// Room connections each client address may still open now (a token
    /// bucket) and when it was last filled.
    joins: HashMap<IpAddr, (f64, Instant)>,
}

#[derive(Debug, Deserialize)]
pub struct Join {
    create: Option<String>,
    /// With `create`: `required`, `optional` or `anonymous`.
    names: Option<String>,
    code: Option<String>,
    key: Option<String>,
    /// A follower's name, as the room's `names` asks.
    name: Option<String>,
    /// A follower coming back as the student it was.
    seat: Option<String>,
}

/// How long the code of a class that ended is remembered, and how many.
const ENDED_FOR: Duration = Duration::from_secs(12 * 3600);
const MAX_ENDED: usize = 100_000;
/// Roster entries a room keeps, per follower it may have (students who
/// left or lost their connection stay on it).
const ROSTER_PER_FOLLOWER: usize = 2;

/// Who a connection is in its room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Teacher,
    Follower(u64),
}

fn text(m: &ToPage) -> Message {
    Message::Text(serde_json::to_string(m).unwrap_or_default().into())
}

/// What goes to followers for a teacher's message: the very text that came,
/// when it is already what the server would write (`{"type":"state",
/// "state":…}` as the page's `JSON.stringify` writes it), so a large view is
/// not copied once more; otherwise `written()`.
fn as_sent(raw: &Utf8Bytes, kind: &str, payload: &RawValue, written: impl FnOnce() -> Message) -> Message {
    let text = raw.as_str();
    let head = format!(r#"{{"type":"{kind}","{kind}":"#);
    let same = text.len() == head.len() + payload.get().len() + 1
        && text.starts_with(&head)
        && text.ends_with('}')
        && std::ptr::eq(payload.get().as_ptr(), text[head.len()..].as_ptr());
    if same {
        Message::Text(raw.clone())
    } else {
        written()
    }
}

/// The bytes a message holds.
fn size(m: &Message) -> usize {
    match m {
        Message::Text(t) => t.len(),
        Message::Binary(b) => b.len(),
        _ => 0,
    }
}

fn error(code: &str, message: &str) -> Message {
    text(&ToPage::Error { code, message })
}

/// `n` random characters from an alphabet without look-alikes (no 0/O, 1/I).
fn random_code(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect()
}

fn random_key() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Constant-time comparison, so that a key cannot be guessed byte by byte.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether JSON text nests at most `max` arrays and objects deep: a scan of
/// its bytes that builds nothing (strings skipped, escapes included).
fn nests_within(json: &str, max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in json.as_bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

impl Inner {
    /// The teacher ended the class: closes room `code` (every page in it
    /// told) and remembers that its class ended, the oldest such codes
    /// forgotten past `MAX_ENDED`.
    fn end(&mut self, code: &str) {
        if let Some(room) = self.rooms.remove(code) {
            room.close();
            if self.ended.len() >= MAX_ENDED {
                if let Some(oldest) = self.ended.iter().min_by_key(|(_, at)| **at).map(|(c, _)| c.clone()) {
                    self.ended.remove(&oldest);
                }
            }
            self.ended.insert(code.to_string(), Instant::now());
        }
    }
}

impl Rooms {
    pub fn new(limits: Limits) -> Rooms {
        let inner = Inner { rooms: HashMap::new(), ended: HashMap::new(), joins: HashMap::new() };
        let rooms = Rooms { inner: Arc::new(Mutex::new(inner)), limits };
        let sweeper = rooms.clone();
        tokio::spawn(async move {
            loop {
                let every = Duration::from_secs(10).min(sweeper.limits.idle).min(sweeper.limits.unused);
                tokio::time::sleep(every).await;
                sweeper.sweep();
            }
        });
        rooms
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Closes rooms without a teacher that have been idle too long, and
    /// sooner those nobody is in (a room nobody ever joined among them), and
    /// forgets addresses whose join budget is full again.
    fn sweep(&self) {
        let Limits { idle, unused, join_rate, join_burst, .. } = self.limits;
        let mut inner = self.lock();
        let closing: Vec<String> = inner
            .rooms
            .iter()
            .filter(|(_, r)| {
                let allowed = if r.followers.is_empty() { unused } else { idle };
                r.teacher.is_none() && r.active.elapsed() >= allowed
            })
            .map(|(code, _)| code.clone())
            .collect();
        // (Closed, not ended: the code may be given again; only a teacher's
        // End makes it say `class-ended`.)
        for code in closing {
            if let Some(room) = inner.rooms.remove(&code) {
                room.close();
            }
        }
        inner.ended.retain(|_, at| at.elapsed() < ENDED_FOR);
        inner.joins.retain(|_, (tokens, at)| *tokens + at.elapsed().as_secs_f64() * join_rate < join_burst);
    }

    /// Takes one room connection from the address's budget; false when it
    /// has none left.
    fn may_join(&self, inner: &mut Inner, client: IpAddr) -> bool {
        let Limits { join_rate, join_burst, .. } = self.limits;
        let (tokens, at) = inner.joins.entry(client).or_insert((join_burst, Instant::now()));
        *tokens = (*tokens + at.elapsed().as_secs_f64() * join_rate).min(join_burst);
        *at = Instant::now();
        if *tokens < 1.0 {
            return false;
        }
        *tokens -= 1.0;
        true
    }

    /// Enters a room as asked, or says why not. Gives the room's code, this
    /// page's role and what to send it first.
    fn enter(&self, join: &Join, client: IpAddr, out: Sender) -> Result<(String, Role, Vec<Message>), Message> {
        let limits = self.limits;
        let mut inner = self.lock();
        if !self.may_join(&mut inner, client) {
            return Err(error("too-many-joins", "too many room connections from your address; wait a moment"));
        }
        if join.create.is_some() {
            let rooms = &inner.rooms;
            if rooms.len() >= limits.max_rooms {
                return Err(error("too-many-rooms", "this server holds as many rooms as it may; try again later"));
            }
            if rooms.values().filter(|r| r.creator == client).count() >= limits.max_rooms_per_ip {
                return Err(error("too-many-rooms", "your address has opened as many rooms as it may; end one first"));
            }
            let Some(names) = Names::from_query(join.names.as_deref()) else {
                return Err(error("bad-names", "names= is required, optional or anonymous"));
            };
            let code = loop {
                let c = random_code(8);
                if !rooms.contains_key(&c) && !inner.ended.contains_key(&c) {
                    break c;
                }
            };
            let key = random_key();
            let hello = text(&ToPage::Created { code: &code, key: &key, names });
            inner.rooms.insert(code.clone(), Room::new(key, names, client, out));
            return Ok((code, Role::Teacher, vec![hello]));
        }
        let code: String =
            join.code.as_deref().unwrap_or("").chars().filter(|c| *c != '-').collect::<String>().to_ascii_uppercase();
        if inner.ended.contains_key(&code) {
            return Err(error("class-ended", "the teacher ended this class; there is nothing to join any more"));
        }
        // (A failed attempt does not keep a room alive.)
        let Some(room) = inner.rooms.get_mut(&code) else {
            return Err(error("no-such-room", "there is no room with this code (it may have closed)"));
        };
        if let Some(key) = &join.key {
            if !same(key, &room.key) {
                return Err(error("wrong-key", "this is not the room's teacher key"));
            }
            room.active = Instant::now();
            // The teacher is back (a reload): the older connection, if any, is replaced.
            if let Some(old) = room.teacher.replace(out) {
                let _ =
                    old.send(Out::Last(error("replaced", "the teacher opened the room in another page")), usize::MAX);
            }
            // The page gets back what it showed, to carry on from there, and
            // the answers it was sent (or missed while it reloaded).
            let hello = text(&ToPage::Teacher { code: &code, followers: room.followers.len(), names: room.names });
            let answers = room.answers.iter().cloned().collect();
            return Ok((code, Role::Teacher, [vec![hello, room.roster()], room.backlog(), answers].concat()));
        }
        // A student coming back (a reload, a lost network) is the one it was;
        // an unknown seat joins as a new student.
        let back = join.seat.as_ref().and_then(|seat| room.seats.get(seat).copied());
        let connected = back.is_some_and(|n| room.followers.contains_key(&n));
        if !connected && room.followers.len() >= limits.max_followers {
            return Err(error("room-full", "this room has as many followers as it may"));
        }
        let n = match back {
            Some(n) => n,
            None => {
                let name = match room.names {
                    Names::Anonymous => None,
                    names => {
                        let given =
                            join.name.as_deref().map(read_name).transpose().map_err(|why| error("bad-name", why))?;
                        let given = given.filter(|n| !n.is_empty());
                        if names == Names::Required && given.is_none() {
                            return Err(error("name-required", "this class asks for your name: give one to join"));
                        }
                        given
                    }
                };
                let n = room.new_number((limits.max_followers as u64).saturating_mul(20).max(10_000));
                let cap = limits.max_followers.saturating_mul(ROSTER_PER_FOLLOWER).max(1);
                room.enrol(n, name, random_key(), cap);
                n
            }
        };
        room.active = Instant::now();
        let student = &room.students[&n];
        let seat = student.seat.clone().unwrap_or_default();
        // The backlog is taken under the same lock that adds the follower, so
        // it and the messages queued after it are in the order sent.
        let hello = text(&ToPage::Joined { code: &code, follower: n, name: student.name.as_deref(), seat: &seat });
        let first = [vec![hello], room.backlog()].concat();
        // The same student in another page: the older page is let go.
        if let Some(old) = room.followers.insert(n, out) {
            let _ = old.send(Out::Last(error("replaced", "you opened the class in another page")), usize::MAX);
        }
        if back.is_some() {
            // Away (or exploring, in the page it reloaded) follows again; a
            // page that replaces one still following changes nothing.
            room.set_status(n, Status::Following, limits.max_lag);
        } else if let Some(entry) = room.entry(n) {
            room.tell_teacher(text(&ToPage::Student(entry)), limits.max_lag);
        }
        room.tell_teacher(text(&ToPage::Followers { count: room.followers.len() }), limits.max_lag);
        Ok((code, Role::Follower(n), first))
    }

    /// A page left. A teacher's page leaves the room only if it still drives
    /// it (one replaced by a reload has nothing to take with it); a
    /// follower's page only if it is still the one in the room for its
    /// student, who is then `away` (unless it left for good: `gone`).
    fn leave(&self, code: &str, role: Role, sender: Option<&Sender>, waiting: &Arc<AtomicUsize>) {
        let mut inner = self.lock();
        let Some(room) = inner.rooms.get_mut(code) else { return };
        room.active = Instant::now();
        match role {
            Role::Teacher => {
                if room.driven_by(sender) {
                    room.teacher = None;
                }
            }
            Role::Follower(n) => {
                match room.followers.get(&n) {
                    // Another page is this student now (a reload): it stays.
                    Some(f) if !Arc::ptr_eq(&f.waiting, waiting) => return,
                    Some(_) => {
                        room.followers.remove(&n);
                    }
                    // Already let go by the room (too far behind, or it left).
                    None => {}
                }
                room.set_status(n, Status::Away, self.limits.max_lag);
                room.tell_teacher(text(&ToPage::Followers { count: room.followers.len() }), self.limits.max_lag);
            }
        }
    }

    /// Makes room for `size` more bytes in room `code`, which will stop
    /// keeping `replaced` bytes. The rooms one address created keep at most
    /// `room_memory` together (so one address cannot fill the server's
    /// budget), and all rooms at most `total_memory`: the oldest answers go
    /// first, this room's, then those of the rooms idle longest. False when
    /// even that is not enough.
    fn budget(&self, inner: &mut Inner, code: &str, size: usize, replaced: usize) -> bool {
        let Limits { room_memory, total_memory, .. } = self.limits;
        let Some(creator) = inner.rooms.get(code).map(|r| r.creator) else { return false };
        let mut by_age: Vec<(bool, Instant, &String)> =
            inner.rooms.iter().map(|(c, r)| (c != code, r.active, c)).collect();
        by_age.sort();
        let by_age: Vec<String> = by_age.into_iter().map(|(_, _, c)| c.clone()).collect();
        let limits = [(Some(creator), room_memory), (None, total_memory)];
        limits.into_iter().all(|(owner, limit)| {
            let counts = |r: &Room| owner.is_none_or(|o| r.creator == o);
            let kept: usize = inner.rooms.values().filter(|r| counts(r)).map(Room::kept).sum();
            let mut over = (kept + size).saturating_sub(replaced).saturating_sub(limit);
            for c in &by_age {
                match inner.rooms.get_mut(c) {
                    Some(r) if over > 0 && counts(r) => over -= r.forget_answers(over).min(over),
                    _ => {}
                }
            }
            over == 0
        })
    }

    /// Handles one message from a page; returns a refusal for the page itself.
    fn message(&self, code: &str, role: Role, sender: Option<&Sender>, raw: &Utf8Bytes) -> Option<Message> {
        let limits = self.limits;
        if raw.len() > limits.max_message {
            return Some(error("message-too-large", "this message is larger than the room allows"));
        }
        if !nests_within(raw, MAX_DEPTH) {
            return Some(error("bad-message", "this message nests too deeply"));
        }
        let Some(msg) = FromPage::parse(raw) else {
            return Some(error("bad-message", "not a room message"));
        };
        let mut inner = self.lock();
        let room = inner.rooms.get_mut(code)?;
        let Role::Follower(n) = role else {
            // Only the page that holds the key now drives the room.
            if !room.driven_by(sender) {
                return Some(error("not-teacher", "another page drives this room now"));
            }
            room.active = Instant::now();
            let out = match &msg {
                FromPage::State { state } => as_sent(raw, "state", state, || text(&ToPage::State { state })),
                FromPage::Exchange { exchange } => {
                    as_sent(raw, "exchange", exchange, || text(&ToPage::Exchange { exchange }))
                }
                FromPage::Append { append } => {
                    // A late follower is sent every append: the room keeps
                    // as many bytes of them as one message may hold.
                    if room.exchange.is_none() || room.appended + raw.len() > limits.max_message {
                        return Some(error("message-too-large", "the room keeps no more bytes of this exchange"));
                    }
                    as_sent(raw, "append", append, || text(&ToPage::Append { append }))
                }
                FromPage::Answer { .. } | FromPage::Status { .. } | FromPage::Leave | FromPage::Step { .. } => {
                    return Some(error("not-follower", "answers, statuses, steps and leaving come from followers"))
                }
                FromPage::Snapshot { follower } => {
                    let Some(page) = room.followers.get(follower) else {
                        return Some(error("not-here", "that student is not connected to the room now"));
                    };
                    let _ = page.send(Out::Message(text(&ToPage::Snapshot)), limits.max_lag);
                    return None;
                }
                FromPage::End => {
                    inner.end(code);
                    return None;
                }
                FromPage::Pause { pause } => {
                    room.paused = *pause;
                    room.broadcast(&text(&ToPage::Pause { pause: *pause }), limits.max_lag);
                    return None;
                }
            };
            let replaced = match &msg {
                FromPage::State { .. } => room.state.as_ref().map_or(0, size),
                FromPage::Exchange { .. } => room.exchange.as_ref().map_or(0, size) + room.appended,
                _ => 0,
            };
            if !self.budget(&mut inner, code, size(&out), replaced) {
                return Some(error(
                    "room-memory",
                    "the server keeps as much for this room as it may; this message was not sent",
                ));
            }
            let room = inner.rooms.get_mut(code)?;
            room.broadcast(&out, limits.max_lag);
            match msg {
                FromPage::State { .. } => room.state = Some(out),
                FromPage::Exchange { .. } => {
                    room.exchange = Some(out);
                    room.appends.clear();
                    room.appended = 0;
                }
                _ => {
                    room.appended += size(&out);
                    room.appends.push(out);
                }
            }
            return None;
        };
        match msg {
            FromPage::Answer { answer } => {
                let out = text(&ToPage::Answer { follower: n, answer });
                // Answers are the first thing to go: one that does not fit is
                // still sent to the teacher, only not kept.
                let keep = self.budget(&mut inner, code, size(&out), 0);
                let room = inner.rooms.get_mut(code)?;
                room.active = Instant::now();
                if keep {
                    room.answer(out, limits.max_message, limits.max_lag);
                } else {
                    room.tell_teacher(out, limits.max_lag);
                }
                None
            }
            FromPage::Status { status } => {
                let room = inner.rooms.get_mut(code)?;
                room.set_status(n, status, limits.max_lag);
                None
            }
            FromPage::Step { step } => {
                let Some(step) = read_step(&step) else {
                    return Some(error("bad-step", "a step has at most 80 characters and no control characters"));
                };
                let room = inner.rooms.get_mut(code)?;
                room.set_step(n, step, limits.max_lag);
                None
            }
            FromPage::Leave => {
                // Gone for good: its page is let go (the room drops its way
                // to it, which closes the connection).
                let room = inner.rooms.get_mut(code)?;
                room.set_status(n, Status::Gone, limits.max_lag);
                // (The teacher gets the new count when the page has closed.)
                if let Some(page) = room.followers.remove(&n) {
                    let _ = page.send(Out::Last(text(&ToPage::Ended)), usize::MAX);
                }
                None
            }
            _ => Some(error("not-teacher", "only the teacher's page drives the room")),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct QrText {
    text: String,
}

/// `GET /qr.svg?text=...`: a QR code of a join link, for the projector. The
/// page cannot know the address students type (a reverse proxy may stand in
/// front), so it sends the link it shows.
pub async fn qr(Query(q): Query<QrText>) -> Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    if q.text.len() > 1024 {
        return (StatusCode::BAD_REQUEST, "text too long for a join link").into_response();
    }
    match qrcode::QrCode::new(q.text.as_bytes()) {
        Ok(code) => {
            let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).build();
            ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")], svg).into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, format!("no QR code for this text: {e}")).into_response(),
    }
}

pub async fn upgrade(
    ws: WebSocketUpgrade,
    Query(join): Query<Join>,
    Extension(Client(client)): Extension<Client>,
    State(rooms): State<Rooms>,
) -> Response {
    // Messages up to twice the limit are read whole and refused in words;
    // only larger ones make the WebSocket layer drop the connection.
    let max = rooms.limits.max_message.saturating_mul(2).saturating_add(64 << 10);
    // Buffers start small: a room holds hundreds of sockets that mostly
    // carry small messages (each buffer grows for a large one).
    ws.max_message_size(max)
        .max_frame_size(max)
        .read_buffer_size(4 << 10)
        .write_buffer_size(0)
        .on_upgrade(move |socket| session(socket, join, client, rooms))
}

async fn session(mut ws: WebSocket, join: Join, client: IpAddr, rooms: Rooms) {
    let (queue, mut rx) = mpsc::channel::<Out>(QUEUE);
    let tx = Sender::new(queue);
    let waiting = tx.waiting.clone();
    let send_timeout = rooms.limits.send_timeout;
    let (code, role, first) = match rooms.enter(&join, client, tx.clone()) {
        Ok(entered) => entered,
        Err(refusal) => {
            let goodbye = async {
                let _ = ws.send(refusal).await;
                let _ = ws.send(Message::Close(None)).await;
                // Let the page answer the close, so that it closes cleanly.
                while let Some(Ok(_)) = ws.recv().await {}
            };
            let _ = tokio::time::timeout(Duration::from_secs(2), goodbye).await;
            return;
        }
    };
    // (The room's code and the key are never logged.)
    tracing::info!(?role, "room: joined");
    // A follower's only sender is the room's: when the room drops it (the
    // follower fell too far behind), the queue closes and so does the page.
    // The teacher keeps its own, to prove it is the one that drives.
    let tx = (role == Role::Teacher).then_some(tx);
    let mut caught_up = true;
    for m in first {
        if tokio::time::timeout(send_timeout, ws.send(m)).await.map_or(true, |r| r.is_err()) {
            caught_up = false;
            break;
        }
    }
    if caught_up {
        converse(&mut ws, &mut rx, &rooms, &code, role, tx.as_ref(), &waiting).await;
    }
    rooms.leave(&code, role, tx.as_ref(), &waiting);
    tracing::info!(?role, "room: left");
}

/// Carries messages both ways for one page until it leaves, stops reading,
/// or the room lets it go.
async fn converse(
    ws: &mut WebSocket,
    rx: &mut mpsc::Receiver<Out>,
    rooms: &Rooms,
    code: &str,
    role: Role,
    tx: Option<&Sender>,
    waiting: &AtomicUsize,
) {
    let send_timeout = rooms.limits.send_timeout;
    // A follower's budget of messages: `follower_rate` a second, twice that at once.
    let rate = f64::from(rooms.limits.follower_rate.max(1));
    let (mut budget, mut refilled) = (rate * 2.0, Instant::now());
    loop {
        tokio::select! {
            out = rx.recv() => {
                let (out, last) = match out {
                    Some(Out::Message(m)) => (m, false),
                    Some(Out::Last(m)) => (m, true),
                    // The room let this follower go without a last word: it
                    // fell `max_lag` behind. It is told why, if it reads.
                    None => {
                        let why = error("too-slow", "your page fell too far behind the class; join again");
                        let _ = tokio::time::timeout(send_timeout, ws.send(why)).await;
                        break;
                    }
                };
                let size = size(&out);
                // A page that does not take a message in time is not reading: it goes.
                let sent = tokio::time::timeout(send_timeout, ws.send(out)).await;
                waiting.fetch_sub(size, Ordering::Relaxed);
                match sent {
                    Ok(Ok(())) if !last => {}
                    Ok(_) => break,
                    Err(_) => {
                        tracing::info!(?role, "room: closed a page that did not read");
                        break;
                    }
                }
            }
            incoming = ws.recv() => {
                let raw = match incoming {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                let refusal = if let Role::Follower(_) = role {
                    budget = (budget + refilled.elapsed().as_secs_f64() * rate).min(rate * 2.0);
                    refilled = Instant::now();
                    if budget < 1.0 {
                        Some(error("too-fast", "too many messages; wait a moment"))
                    } else {
                        budget -= 1.0;
                        rooms.message(code, role, tx, &raw)
                    }
                } else {
                    rooms.message(code, role, tx, &raw)
                };
                if let Some(refusal) = refusal {
                    if tokio::time::timeout(send_timeout, ws.send(refusal)).await.map_or(true, |r| r.is_err()) {
                        break;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_avoid_look_alikes_and_keys_are_128_bits() {
        let code = random_code(8);
        assert_eq!(code.len(), 8);
        assert!(code.chars().all(|c| !"01OI".contains(c)), "{code}");
        let key = random_key();
        assert_eq!(key.len(), 32);
        assert_ne!(key, random_key());
    }

    #[test]
    fn keys_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }

    #[test]
    fn a_room_keeps_the_newest_answers_within_its_limit_and_sends_each_to_the_teacher() {
        let (tx, mut rx) = mpsc::channel(QUEUE);
        let mut room = Room::new(random_key(), Names::Anonymous, IpAddr::from([127, 0, 0, 1]), Sender::new(tx));
        for i in 0..5 {
            room.answer(Message::Text(format!("answer {i}").into()), 20, 1 << 20);
        }
        let kept: Vec<_> = room.answers.iter().map(|m| m.to_text().unwrap().to_string()).collect();
        assert_eq!(kept, ["answer 3", "answer 4"], "the oldest go first");
        assert_eq!(room.answered, 16);
        for i in 0..5 {
            let Ok(Out::Message(m)) = rx.try_recv() else { panic!("answer {i} was not sent") };
            assert_eq!(m.to_text().unwrap(), format!("answer {i}"));
        }
    }

    #[test]
    fn a_page_too_far_behind_is_sent_nothing_more() {
        let (tx, _rx) = mpsc::channel(QUEUE);
        let page = Sender::new(tx);
        assert!(page.send(Out::Message(Message::Text("x".repeat(600).into())), 1000));
        assert!(!page.send(Out::Message(Message::Text("x".repeat(600).into())), 1000), "1,200 bytes behind");
        // One message larger than the limit still goes to a page that has nothing waiting.
        let (tx, _rx) = mpsc::channel(QUEUE);
        assert!(Sender::new(tx).send(Out::Message(Message::Text("x".repeat(2000).into())), 1000));
    }

    #[test]
    fn a_teachers_message_in_the_servers_own_form_goes_on_as_it_came() {
        let canonical = Utf8Bytes::from(r#"{"type":"state","state":{"step":2}}"#);
        let Some(FromPage::State { state }) = FromPage::parse(canonical.as_str()) else { panic!() };
        let out = as_sent(&canonical, "state", state, || panic!("written again"));
        assert_eq!(out.to_text().unwrap().as_ptr(), canonical.as_str().as_ptr(), "the same bytes, not a copy");
        let spaced = Utf8Bytes::from(r#"{"type": "state", "state": {"step": 2}}"#);
        let Some(FromPage::State { state }) = FromPage::parse(spaced.as_str()) else { panic!() };
        let out = as_sent(&spaced, "state", state, || text(&ToPage::State { state }));
        assert_eq!(out.to_text().unwrap(), r#"{"type":"state","state":{"step": 2}}"#);
    }

    #[test]
    fn nesting_is_checked_without_building_anything() {
        assert!(nests_within(r#"{"a":[1,{"b":[]}]}"#, 4));
        assert!(!nests_within(r#"{"a":[1,{"b":[]}]}"#, 3));
        assert!(nests_within(r#"{"s":"[[[[[[\"[[["}"#, 1), "brackets inside strings do not count");
        assert!(!nests_within(&"[".repeat(100_000), MAX_DEPTH));
    }

    #[test]
    fn follower_numbers_are_random_and_never_given_twice() {
        let (tx, _rx) = mpsc::channel(QUEUE);
        let mut room = Room::new(random_key(), Names::Anonymous, IpAddr::from([127, 0, 0, 1]), Sender::new(tx));
        let numbers: Vec<u64> = (0..100).map(|_| room.new_number(200)).collect();
        let distinct: HashSet<_> = numbers.iter().collect();
        assert_eq!(distinct.len(), 100);
        assert!(numbers.iter().all(|n| (1..=200).contains(n)));
        assert_ne!(numbers[..10], (1..=10).collect::<Vec<u64>>()[..], "not 1, 2, 3...");
    }

    #[test]
    fn follower_numbers_never_run_out_and_never_match_a_follower_in_the_room() {
        let (tx, _rx) = mpsc::channel(QUEUE);
        let mut room = Room::new(random_key(), Names::Anonymous, IpAddr::from([127, 0, 0, 1]), Sender::new(tx.clone()));
        for n in [3, 7] {
            room.followers.insert(n, Sender::new(tx.clone()));
            room.numbers.insert(n);
        }
        // Far more joins than numbers: the numbers of those who left come
        // again, never those of the followers still in the room.
        for _ in 0..2_000 {
            let n = room.new_number(20);
            assert!((1..=20).contains(&n) && n != 3 && n != 7, "{n}");
        }
    }

    #[test]
    fn a_message_the_queue_refuses_is_not_counted_as_waiting() {
        let (tx, _rx) = mpsc::channel(1);
        let page = Sender::new(tx);
        let m = || Out::Message(Message::Text("0123456789".into()));
        assert!(page.send(m(), usize::MAX));
        assert!(!page.send(m(), usize::MAX), "the queue is full");
        assert_eq!(page.waiting.load(Ordering::Relaxed), 10, "only the queued message waits");
    }

    #[test]
    fn messages_have_one_shape_each_way() {
        assert!(FromPage::parse(r#"{"type": "state", "state": {"x": 1}}"#).is_some(), "with spaces");
        let m = FromPage::parse(r#"{"type":"answer","answer":{"q":1}}"#).unwrap();
        let FromPage::Answer { answer } = &m else { panic!("{m:?}") };
        assert_eq!(answer.get(), r#"{"q":1}"#, "kept as the text it came as");
        assert!(FromPage::parse(r#"{"type":"created"}"#).is_none(), "pages cannot send server messages");
        assert!(FromPage::parse(r#"{"type":"state"}"#).is_none(), "a state without one");
        let out = serde_json::to_string(&ToPage::Followers { count: 3 }).unwrap();
        assert_eq!(out, r#"{"type":"followers","count":3}"#);
        let out = serde_json::to_string(&ToPage::Answer { follower: 7, answer }).unwrap();
        assert_eq!(out, r#"{"type":"answer","follower":7,"answer":{"q":1}}"#);
    }

    #[test]
    fn names_are_trimmed_bounded_and_without_control_characters() {
        assert_eq!(read_name("  Ada Lovelace ").unwrap(), "Ada Lovelace");
        assert_eq!(read_name(&"é".repeat(64)).unwrap().chars().count(), 64);
        assert!(read_name(&"é".repeat(65)).is_err());
        assert!(read_name("a\u{7}b").is_err());
        assert_eq!(Names::from_query(None), Some(Names::Anonymous));
        assert_eq!(Names::from_query(Some("required")), Some(Names::Required));
        assert_eq!(Names::from_query(Some("sometimes")), None);
    }

    #[test]
    fn the_roster_keeps_within_its_cap_forgetting_who_left_longest_ago_and_gone_is_for_good() {
        let (tx, mut rx) = mpsc::channel(QUEUE);
        let mut room = Room::new(random_key(), Names::Optional, IpAddr::from([127, 0, 0, 1]), Sender::new(tx));
        for n in 1..=3 {
            room.enrol(n, Some(format!("s{n}")), format!("seat{n}"), 3);
        }
        room.set_status(2, Status::Away, 1 << 20);
        room.set_status(3, Status::Gone, 1 << 20);
        assert!(!room.seats.contains_key("seat3"), "a student who left gives up its seat");
        // Gone first (even if it joined after one away), then away; never one connected.
        room.enrol(4, None, "seat4".into(), 3);
        assert_eq!(room.students.keys().copied().collect::<HashSet<_>>(), HashSet::from([1, 2, 4]));
        room.enrol(5, None, "seat5".into(), 3);
        assert_eq!(room.students.keys().copied().collect::<HashSet<_>>(), HashSet::from([1, 4, 5]));
        assert!(!room.seats.contains_key("seat2"));
        room.enrol(6, None, "seat6".into(), 3);
        assert_eq!(room.students.len(), 4, "connected students are never forgotten to make room");
        // The teacher heard each change once, and nothing after gone.
        room.set_status(1, Status::Gone, 1 << 20);
        room.set_status(1, Status::Away, 1 << 20);
        let mut heard = Vec::new();
        while let Ok(Out::Message(m)) = rx.try_recv() {
            heard.push(m.into_text().unwrap().to_string());
        }
        assert_eq!(
            heard,
            [
                r#"{"type":"student","follower":2,"name":"s2","status":"away"}"#,
                r#"{"type":"student","follower":3,"name":"s3","status":"gone"}"#,
                r#"{"type":"student","follower":1,"name":"s1","status":"gone"}"#,
            ]
        );
    }

    #[test]
    fn a_followers_step_reaches_the_teachers_roster_once_per_change_and_is_bounded() {
        let Some(FromPage::Step { step }) = FromPage::parse(r#"{"type":"step","step":"3/7 · Caching"}"#) else {
            panic!("a step message")
        };
        assert_eq!(read_step(&step), Some("3/7 · Caching"));
        let Some(FromPage::Step { step }) = FromPage::parse(r#"{"type":"step","step":"3/7 \u00b7 Caching"}"#) else {
            panic!("a step written with an escape, as JSON.stringify or Python write it")
        };
        assert_eq!(step, "3/7 · Caching");
        assert_eq!(read_step(&"é".repeat(80)).map(str::len), Some(160));
        assert!(read_step(&"é".repeat(81)).is_none(), "at most 80 characters");
        assert!(read_step("1/2\n").is_none() && read_step("1/2\u{1b}[2J").is_none(), "no control characters");
        let Some(FromPage::Snapshot { follower: 42 }) = FromPage::parse(r#"{"type":"snapshot","follower":42}"#) else {
            panic!("a snapshot request names its follower")
        };
        assert!(FromPage::parse(r#"{"type":"snapshot"}"#).is_none());
        assert_eq!(serde_json::to_string(&ToPage::Snapshot).unwrap(), r#"{"type":"snapshot"}"#);

        let (tx, mut rx) = mpsc::channel(QUEUE);
        let mut room = Room::new(random_key(), Names::Anonymous, IpAddr::from([127, 0, 0, 1]), Sender::new(tx));
        room.enrol(5, None, "seat5".into(), 3);
        room.set_step(5, "1/3", 1 << 20);
        room.set_step(5, "1/3", 1 << 20);
        room.set_step(5, "2/3", 1 << 20);
        let mut heard = Vec::new();
        while let Ok(Out::Message(m)) = rx.try_recv() {
            heard.push(m.into_text().unwrap().to_string());
        }
        assert_eq!(
            heard,
            [
                r#"{"type":"student","follower":5,"name":null,"status":"following","step":"1/3"}"#,
                r#"{"type":"student","follower":5,"name":null,"status":"following","step":"2/3"}"#,
            ]
        );
        assert!(room.roster().into_text().unwrap().contains(r#""step":"2/3""#), "a teacher who comes back sees it");
    }
}
