//! Class rooms: one teacher page drives, every follower page mirrors it, and
//! followers' answers go back to the teacher only.
//!
//! `ws://SERVER/room?create` opens a room; the page that opened it is its
//! teacher and gets the room's code (short, to type from a projector) and a
//! teacher key (never in the join link). `?code=CODE&key=KEY` is the teacher
//! again (after a reload or a lost network); `?code=CODE` joins as a
//! follower. The messages each way are the two enums below, as JSON text
//! frames; README.md ("Class rooms") documents them. The same Origin and
//! Host checks as the relay apply (`access.rs`).
//!
//! What a teacher sends is the page's business (JSON objects, kept as they
//! came). The server keeps what a follower who joins late needs to catch up —
//! the teacher's exchange, the bytes appended to it since, and the latest
//! view — and what a teacher who comes back needs besides: the followers'
//! answers so far. It never lets a follower's message reach another follower.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What a page sends.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromPage {
    /// The teacher's view (selection, marks, exercise...; teacher only):
    /// mirrored to followers, the latest kept.
    State { state: serde_json::Value },
    /// A new exchange on the teacher's page (its request and response
    /// bytes; teacher only): mirrored, kept, and the appends kept so far dropped.
    Exchange { exchange: serde_json::Value },
    /// Bytes added to the teacher's exchange while a response streams in
    /// (teacher only): mirrored, and kept in order after the exchange.
    Append { append: serde_json::Value },
    /// A follower's answer in an exercise (followers only): to the teacher.
    Answer { answer: serde_json::Value },
}

/// What the server sends.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToPage<'a> {
    /// To the page that opened the room: it is the teacher.
    Created { code: &'a str, key: &'a str },
    /// To a teacher that came back with its key.
    Teacher { code: &'a str, followers: usize },
    /// To a follower that joined; `follower` is its number in the room.
    Joined { code: &'a str, follower: u64 },
    /// The teacher's latest view, to followers.
    State { state: &'a serde_json::Value },
    /// The teacher's exchange, to followers.
    Exchange { exchange: &'a serde_json::Value },
    /// Bytes added to the teacher's exchange, to followers.
    Append { append: &'a serde_json::Value },
    /// A follower's answer, to the teacher (the follower's number only: no names).
    Answer { follower: u64, answer: &'a serde_json::Value },
    /// To the teacher, when followers join or leave.
    Followers { count: usize },
    /// A refusal; the message says why. Codes: `no-such-room`, `wrong-key`,
    /// `too-many-rooms`, `room-full`, `not-teacher`, `not-follower`,
    /// `bad-message`, `message-too-large`, `too-fast`, `replaced`.
    Error { code: &'a str, message: &'a str },
}

/// Limits, from `wirepad serve`'s flags.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_rooms: usize,
    pub max_followers: usize,
    pub max_message: usize,
    /// Messages a follower may send per second (and in a burst of twice that).
    pub follower_rate: u32,
    /// A room with no teacher and no messages for this long is closed.
    pub idle: Duration,
}

/// Messages queued for one page; a page that falls this far behind is dropped.
const QUEUE: usize = 64;

/// What goes to one page: a message, or the last one before its connection
/// closes (a teacher page replaced by a reload).
#[derive(Debug)]
enum Out {
    Message(Message),
    Last(Message),
}

type Sender = mpsc::Sender<Out>;

struct Room {
    key: String,
    teacher: Option<Sender>,
    followers: HashMap<u64, Sender>,
    next_follower: u64,
    /// What a follower who joins later is sent first, as it was sent: the
    /// teacher's exchange, the appends to it (with their total size), and
    /// the latest view.
    exchange: Option<Message>,
    appends: Vec<Message>,
    appended: usize,
    state: Option<Message>,
    /// The followers' answers as the teacher was sent them (or would have
    /// been, while it reloads), the newest ones in at most `max_message`
    /// bytes: a teacher who comes back tallies them again.
    answers: VecDeque<(usize, Message)>,
    answered: usize,
    active: Instant,
}

impl Room {
    fn new(key: String, teacher: Sender) -> Room {
        Room {
            key,
            teacher: Some(teacher),
            followers: HashMap::new(),
            next_follower: 1,
            exchange: None,
            appends: Vec::new(),
            appended: 0,
            state: None,
            answers: VecDeque::new(),
            answered: 0,
            active: Instant::now(),
        }
    }

    /// Whether the page with this sender is the one that drives the room now.
    fn driven_by(&self, sender: Option<&Sender>) -> bool {
        self.teacher.as_ref().zip(sender).is_some_and(|(t, s)| t.same_channel(s))
    }

    /// The messages that bring a follower who joins now up to date, in order.
    fn backlog(&self) -> Vec<Message> {
        self.exchange.iter().chain(&self.appends).chain(&self.state).cloned().collect()
    }

    /// Keeps a follower's answer (`size` bytes as it came) for a teacher who
    /// comes back, and sends it to the teacher there is.
    fn answer(&mut self, out: Message, size: usize, limit: usize) {
        self.answered += size;
        self.answers.push_back((size, out.clone()));
        while self.answered > limit {
            let Some((old, _)) = self.answers.pop_front() else { break };
            self.answered -= old;
        }
        self.tell_teacher(out);
    }

    /// Sends a teacher's message to every follower. A follower too slow to
    /// keep up is dropped, not waited for.
    fn broadcast(&mut self, out: &Message) {
        self.followers.retain(|_, f| f.try_send(Out::Message(out.clone())).is_ok());
    }

    fn tell_teacher(&self, m: Message) {
        if let Some(t) = &self.teacher {
            let _ = t.try_send(Out::Message(m));
        }
    }
}

#[derive(Clone)]
pub struct Rooms {
    rooms: Arc<Mutex<HashMap<String, Room>>>,
    limits: Limits,
}

#[derive(Debug, Deserialize)]
pub struct Join {
    create: Option<String>,
    code: Option<String>,
    key: Option<String>,
}

/// Who a connection is in its room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Teacher,
    Follower(u64),
}

fn text(m: &ToPage) -> Message {
    Message::Text(serde_json::to_string(m).unwrap_or_default().into())
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

impl Rooms {
    pub fn new(limits: Limits) -> Rooms {
        let rooms = Rooms { rooms: Arc::new(Mutex::new(HashMap::new())), limits };
        let sweeper = rooms.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(10).min(sweeper.limits.idle)).await;
                sweeper.sweep();
            }
        });
        rooms
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Room>> {
        self.rooms.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Closes rooms without a teacher that have been idle too long.
    fn sweep(&self) {
        let idle = self.limits.idle;
        self.lock().retain(|_, r| r.teacher.is_some() || r.active.elapsed() < idle);
    }

    /// Enters a room as asked, or says why not. Gives the room's code, this
    /// page's role and what to send it first.
    fn enter(&self, join: &Join, out: Sender) -> Result<(String, Role, Vec<Message>), Message> {
        let mut rooms = self.lock();
        if join.create.is_some() {
            if rooms.len() >= self.limits.max_rooms {
                return Err(error("too-many-rooms", "this server holds as many rooms as it may; try again later"));
            }
            let code = loop {
                let c = random_code(8);
                if !rooms.contains_key(&c) {
                    break c;
                }
            };
            let key = random_key();
            let hello = text(&ToPage::Created { code: &code, key: &key });
            rooms.insert(code.clone(), Room::new(key, out));
            return Ok((code, Role::Teacher, vec![hello]));
        }
        let code: String =
            join.code.as_deref().unwrap_or("").chars().filter(|c| *c != '-').collect::<String>().to_ascii_uppercase();
        let Some(room) = rooms.get_mut(&code) else {
            return Err(error("no-such-room", "there is no room with this code (it may have closed)"));
        };
        room.active = Instant::now();
        if let Some(key) = &join.key {
            if !same(key, &room.key) {
                return Err(error("wrong-key", "this is not the room's teacher key"));
            }
            // The teacher is back (a reload): the older connection, if any, is replaced.
            if let Some(old) = room.teacher.replace(out) {
                let _ = old.try_send(Out::Last(error("replaced", "the teacher opened the room in another page")));
            }
            // The page gets back what it showed, to carry on from there, and
            // the answers it was sent (or missed while it reloaded).
            let hello = text(&ToPage::Teacher { code: &code, followers: room.followers.len() });
            let answers = room.answers.iter().map(|(_, m)| m.clone()).collect();
            return Ok((code, Role::Teacher, [vec![hello], room.backlog(), answers].concat()));
        }
        if room.followers.len() >= self.limits.max_followers {
            return Err(error("room-full", "this room has as many followers as it may"));
        }
        let n = room.next_follower;
        room.next_follower += 1;
        // The backlog is taken under the same lock that adds the follower, so
        // it and the messages queued after it are in the order sent.
        let first = [vec![text(&ToPage::Joined { code: &code, follower: n })], room.backlog()].concat();
        room.followers.insert(n, out);
        room.tell_teacher(text(&ToPage::Followers { count: room.followers.len() }));
        Ok((code, Role::Follower(n), first))
    }

    /// A page left. A teacher's page leaves the room only if it still drives
    /// it (one replaced by a reload has nothing to take with it).
    fn leave(&self, code: &str, role: Role, sender: Option<&Sender>) {
        let mut rooms = self.lock();
        let Some(room) = rooms.get_mut(code) else { return };
        room.active = Instant::now();
        match role {
            Role::Teacher => {
                if room.driven_by(sender) {
                    room.teacher = None;
                }
            }
            Role::Follower(n) => {
                room.followers.remove(&n);
                room.tell_teacher(text(&ToPage::Followers { count: room.followers.len() }));
            }
        }
    }

    /// Handles one message from a page; returns a refusal for the page itself.
    fn message(&self, code: &str, role: Role, sender: Option<&Sender>, raw: &str) -> Option<Message> {
        if raw.len() > self.limits.max_message {
            return Some(error("message-too-large", "this message is larger than the room allows"));
        }
        let Ok(msg) = serde_json::from_str::<FromPage>(raw) else {
            return Some(error("bad-message", "not a room message"));
        };
        let mut rooms = self.lock();
        let room = rooms.get_mut(code)?;
        room.active = Instant::now();
        let Role::Follower(n) = role else {
            // Only the page that holds the key now drives the room.
            if !room.driven_by(sender) {
                return Some(error("not-teacher", "another page drives this room now"));
            }
            match msg {
                FromPage::State { state } => {
                    let out = text(&ToPage::State { state: &state });
                    room.broadcast(&out);
                    room.state = Some(out);
                }
                FromPage::Exchange { exchange } => {
                    let out = text(&ToPage::Exchange { exchange: &exchange });
                    room.broadcast(&out);
                    room.exchange = Some(out);
                    room.appends.clear();
                    room.appended = 0;
                }
                FromPage::Append { append } => {
                    // A late follower is sent every append: the room keeps
                    // as many bytes of them as one message may hold.
                    if room.exchange.is_none() || room.appended + raw.len() > self.limits.max_message {
                        return Some(error("message-too-large", "the room keeps no more bytes of this exchange"));
                    }
                    let out = text(&ToPage::Append { append: &append });
                    room.broadcast(&out);
                    room.appended += raw.len();
                    room.appends.push(out);
                }
                FromPage::Answer { .. } => return Some(error("not-follower", "answers come from followers")),
            }
            return None;
        };
        match msg {
            FromPage::Answer { answer } => {
                room.answer(text(&ToPage::Answer { follower: n, answer: &answer }), raw.len(), self.limits.max_message);
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

pub async fn upgrade(ws: WebSocketUpgrade, Query(join): Query<Join>, State(rooms): State<Rooms>) -> Response {
    // Messages up to twice the limit are read whole and refused in words;
    // only larger ones make the WebSocket layer drop the connection.
    let max = rooms.limits.max_message.saturating_mul(2).saturating_add(64 << 10);
    // Buffers start small: a room holds hundreds of sockets that mostly
    // carry small messages (each buffer grows for a large one).
    ws.max_message_size(max)
        .max_frame_size(max)
        .read_buffer_size(4 << 10)
        .write_buffer_size(0)
        .on_upgrade(move |socket| session(socket, join, rooms))
}

async fn session(mut ws: WebSocket, join: Join, rooms: Rooms) {
    let (tx, mut rx) = mpsc::channel::<Out>(QUEUE);
    let (code, role, first) = match rooms.enter(&join, tx.clone()) {
        Ok(entered) => entered,
        Err(refusal) => {
            let _ = ws.send(refusal).await;
            let _ = ws.send(Message::Close(None)).await;
            // Let the page answer the close, so that it closes cleanly.
            let wait =
                tokio::time::timeout(Duration::from_secs(2), async { while let Some(Ok(_)) = ws.recv().await {} });
            let _ = wait.await;
            return;
        }
    };
    tracing::info!(room = %code, ?role, "room: joined");
    // A follower's only sender is the room's: when the room drops it (the
    // follower fell too far behind), the queue closes and so does the page.
    // The teacher keeps its own, to prove it is the one that drives.
    let tx = (role == Role::Teacher).then_some(tx);
    for m in first {
        if ws.send(m).await.is_err() {
            rooms.leave(&code, role, tx.as_ref());
            return;
        }
    }
    // A follower's budget of messages: `follower_rate` a second, twice that at once.
    let rate = f64::from(rooms.limits.follower_rate.max(1));
    let (mut budget, mut refilled) = (rate * 2.0, Instant::now());
    loop {
        tokio::select! {
            out = rx.recv() => {
                let (out, last) = match out {
                    Some(Out::Message(m)) => (m, false),
                    Some(Out::Last(m)) => (m, true),
                    None => break,
                };
                if ws.send(out).await.is_err() || last {
                    break;
                }
            }
            incoming = ws.recv() => {
                let raw = match incoming {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                if let Role::Follower(_) = role {
                    budget = (budget + refilled.elapsed().as_secs_f64() * rate).min(rate * 2.0);
                    refilled = Instant::now();
                    if budget < 1.0 {
                        let _ = ws.send(error("too-fast", "too many messages; wait a moment")).await;
                        continue;
                    }
                    budget -= 1.0;
                }
                if let Some(refusal) = rooms.message(&code, role, tx.as_ref(), &raw) {
                    if ws.send(refusal).await.is_err() {
                        break;
                    }
                }
            }
        }
    }
    rooms.leave(&code, role, tx.as_ref());
    tracing::info!(room = %code, ?role, "room: left");
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
        let mut room = Room::new(random_key(), tx);
        for i in 0..5 {
            room.answer(Message::Text(format!("answer {i}").into()), 40, 100);
        }
        let kept: Vec<_> = room.answers.iter().map(|(_, m)| m.to_text().unwrap().to_string()).collect();
        assert_eq!(kept, ["answer 3", "answer 4"], "the oldest go first");
        assert_eq!(room.answered, 80);
        for i in 0..5 {
            let Ok(Out::Message(m)) = rx.try_recv() else { panic!("answer {i} was not sent") };
            assert_eq!(m.to_text().unwrap(), format!("answer {i}"));
        }
    }

    #[test]
    fn messages_have_one_shape_each_way() {
        let m: FromPage = serde_json::from_str(r#"{"type":"answer","answer":{"q":1}}"#).unwrap();
        assert!(matches!(m, FromPage::Answer { .. }));
        assert!(
            serde_json::from_str::<FromPage>(r#"{"type":"created"}"#).is_err(),
            "pages cannot send server messages"
        );
        let out = serde_json::to_string(&ToPage::Followers { count: 3 }).unwrap();
        assert_eq!(out, r#"{"type":"followers","count":3}"#);
    }
}
