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
//! What a teacher sends as its state is the page's business (a JSON object,
//! kept as it came); the server only keeps the latest for followers who
//! join later, and never lets a follower's message reach another follower.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What a page sends.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromPage {
    /// The teacher's page as it stands (teacher only): mirrored to followers.
    State { state: serde_json::Value },
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
    /// The teacher's latest state, to followers.
    State { state: &'a serde_json::Value },
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

struct Room {
    key: String,
    teacher: Option<mpsc::Sender<Message>>,
    followers: HashMap<u64, mpsc::Sender<Message>>,
    next_follower: u64,
    /// The last state message, as sent, for followers who join later.
    state: Option<Message>,
    active: Instant,
}

impl Room {
    /// Whether the page with this sender is the one that drives the room now.
    fn driven_by(&self, sender: Option<&mpsc::Sender<Message>>) -> bool {
        self.teacher.as_ref().zip(sender).is_some_and(|(t, s)| t.same_channel(s))
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

    /// Enters a room as asked, or says why not.
    fn enter(&self, join: &Join, out: mpsc::Sender<Message>) -> Result<(String, Role, Message), Message> {
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
            let room = Room {
                key,
                teacher: Some(out),
                followers: HashMap::new(),
                next_follower: 1,
                state: None,
                active: Instant::now(),
            };
            rooms.insert(code.clone(), room);
            return Ok((code, Role::Teacher, hello));
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
                let _ = old.try_send(error("replaced", "the teacher opened the room in another page"));
            }
            let hello = text(&ToPage::Teacher { code: &code, followers: room.followers.len() });
            return Ok((code, Role::Teacher, hello));
        }
        if room.followers.len() >= self.limits.max_followers {
            return Err(error("room-full", "this room has as many followers as it may"));
        }
        let n = room.next_follower;
        room.next_follower += 1;
        if let Some(state) = &room.state {
            let _ = out.try_send(state.clone());
        }
        room.followers.insert(n, out);
        let count = room.followers.len();
        if let Some(t) = &room.teacher {
            let _ = t.try_send(text(&ToPage::Followers { count }));
        }
        Ok((code.clone(), Role::Follower(n), text(&ToPage::Joined { code: &code, follower: n })))
    }

    /// A page left. A teacher's page leaves the room only if it still drives
    /// it (one replaced by a reload has nothing to take with it).
    fn leave(&self, code: &str, role: Role, sender: Option<&mpsc::Sender<Message>>) {
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
                let count = room.followers.len();
                if let Some(t) = &room.teacher {
                    let _ = t.try_send(text(&ToPage::Followers { count }));
                }
            }
        }
    }

    /// Handles one message from a page; returns a refusal for the page itself.
    fn message(&self, code: &str, role: Role, sender: Option<&mpsc::Sender<Message>>, raw: &str) -> Option<Message> {
        if raw.len() > self.limits.max_message {
            return Some(error("message-too-large", "this message is larger than the room allows"));
        }
        let Ok(msg) = serde_json::from_str::<FromPage>(raw) else {
            return Some(error("bad-message", "not a room message"));
        };
        let mut rooms = self.lock();
        let room = rooms.get_mut(code)?;
        room.active = Instant::now();
        match (msg, role) {
            (FromPage::State { state }, Role::Teacher) => {
                // Only the page that holds the key now drives the room.
                if !room.driven_by(sender) {
                    return Some(error("not-teacher", "another page drives this room now"));
                }
                let out = text(&ToPage::State { state: &state });
                // A follower too slow to keep up is dropped, not waited for.
                room.followers.retain(|_, f| f.try_send(out.clone()).is_ok());
                room.state = Some(out);
                None
            }
            (FromPage::Answer { answer }, Role::Follower(n)) => {
                if let Some(t) = &room.teacher {
                    let _ = t.try_send(text(&ToPage::Answer { follower: n, answer: &answer }));
                }
                None
            }
            (FromPage::State { .. }, Role::Follower(_)) => {
                Some(error("not-teacher", "only the teacher's page drives the room"))
            }
            (FromPage::Answer { .. }, Role::Teacher) => Some(error("not-follower", "answers come from followers")),
        }
    }
}

pub async fn upgrade(ws: WebSocketUpgrade, Query(join): Query<Join>, State(rooms): State<Rooms>) -> Response {
    // Messages up to twice the limit are read whole and refused in words;
    // only larger ones make the WebSocket layer drop the connection.
    let max = rooms.limits.max_message.saturating_mul(2).saturating_add(64 << 10);
    ws.max_message_size(max).max_frame_size(max).on_upgrade(move |socket| session(socket, join, rooms))
}

async fn session(mut ws: WebSocket, join: Join, rooms: Rooms) {
    let (tx, mut rx) = mpsc::channel::<Message>(QUEUE);
    let (code, role, hello) = match rooms.enter(&join, tx.clone()) {
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
    if ws.send(hello).await.is_err() {
        rooms.leave(&code, role, tx.as_ref());
        return;
    }
    // A follower's budget of messages: `follower_rate` a second, twice that at once.
    let rate = f64::from(rooms.limits.follower_rate.max(1));
    let (mut budget, mut refilled) = (rate * 2.0, Instant::now());
    loop {
        tokio::select! {
            out = rx.recv() => {
                let Some(out) = out else { break };
                let last = matches!(&out, Message::Text(t) if t.contains("\"replaced\""));
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
