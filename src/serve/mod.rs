//! `wirepad serve`: the playground page, the relay from a browser WebSocket
//! to real TCP servers, and an offline practice server, in one process.

mod access;
mod assets;
mod lessons;
mod listener;
mod practice;
mod relay;
mod room;

use anyhow::{Context, Result};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use wirepad::policy::AllowedTarget;

/// Serve the playground and relay its requests to real servers.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where the page and the relay listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Allow this target beyond public hosts on ports 80 and 443 (repeatable): HOST:PORT exactly, or ranges, e.g. lab1:8000-8099 or 10.0.5.0/24:8000-8099 (never the relay's own address, never link-local metadata addresses).
    #[arg(long = "allow-target", value_name = "HOST:PORT")]
    allow_targets: Vec<AllowedTarget>,
    /// Accept WebSocket upgrades from pages of this origin too, e.g. http://class.example:8080 (repeatable).
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origins: Vec<String>,
    /// A folder of the teacher's own lessons (ID.json files), served beside the built-in ones and read from disk on every request (repeatable).
    #[arg(long = "lessons", value_name = "DIR")]
    lessons: Vec<std::path::PathBuf>,
    /// The address students use to reach this server, e.g. http://lab-server:8080/: the page's join link is built on it (relay-info.json's public_url), and its origin is allowed as with --allow-origin.
    #[arg(long = "public-url", value_name = "URL", value_parser = parse_public_url)]
    public_url: Option<PublicUrl>,
    /// Open the page in a browser.
    #[arg(long)]
    open: bool,
    /// Where the practice server listens (always on loopback).
    #[arg(long, default_value = "127.0.0.1:8081")]
    practice_listen: SocketAddr,
    /// Do not run the practice server.
    #[arg(long)]
    no_practice: bool,
    /// Relay sessions open at once, in total.
    #[arg(long, default_value_t = 1024)]
    max_sessions: usize,
    /// Relay sessions open at once from one client address (a whole class may share one NAT address).
    #[arg(long, default_value_t = 256)]
    max_sessions_per_ip: usize,
    /// Seconds to wait for the TCP connection.
    #[arg(long, default_value_t = 5.0)]
    connect_timeout: f64,
    /// Seconds without bytes either way before a session is closed.
    #[arg(long, default_value_t = 60.0)]
    idle_timeout: f64,
    /// Seconds a session may last at most.
    #[arg(long, default_value_t = 600.0)]
    max_session_time: f64,
    /// Bytes per direction per session.
    #[arg(long, default_value_t = 64 << 20)]
    max_bytes: u64,
    /// Class rooms open at once.
    #[arg(long, default_value_t = 100)]
    max_rooms: usize,
    /// Followers in one room.
    #[arg(long, default_value_t = 500)]
    max_followers: usize,
    /// Bytes in one room message (the teacher's state includes the bytes on screen).
    #[arg(long, default_value_t = 16 << 20)]
    max_room_message: usize,
    /// Messages a follower may send per second (twice that at once).
    #[arg(long, default_value_t = 5)]
    follower_rate: u32,
    /// A CA certificate (PEM) the page's TLS trusts besides the public roots,
    /// for a lab server with its own CA (repeatable). The relay hands it to the
    /// page in relay-info.json; it never does TLS itself.
    #[arg(long = "trust-ca", value_name = "FILE")]
    trust_ca: Vec<std::path::PathBuf>,
    /// Seconds a room without its teacher stays open with nothing happening.
    #[arg(long, default_value_t = 3600.0)]
    room_idle: f64,
    /// Seconds a room nobody is in stays open (a reload or a lost network takes less).
    #[arg(long, default_value_t = 45.0)]
    room_unused: f64,
    /// Rooms open at once that one client address created.
    #[arg(long, default_value_t = 4)]
    max_rooms_per_ip: usize,
    /// Bytes one room keeps for late joiners and a returning teacher (exchange, view, answers).
    #[arg(long, default_value_t = 48 << 20)]
    room_memory: usize,
    /// Bytes all rooms keep together; past it the oldest answers go, then messages are refused.
    #[arg(long, default_value_t = 128 << 20)]
    rooms_memory: usize,
    /// Room connections (create, join, come back) per second from one client address; bursts of 30 seconds' worth (at least 60) at once.
    #[arg(long, default_value_t = 2.0)]
    join_rate: f64,
    /// Seconds a room page may take to accept one message before it is closed as not reading.
    #[arg(long, default_value_t = 10.0)]
    room_send_timeout: f64,
    /// Bytes waiting for one room page before it is closed as too far behind.
    #[arg(long, default_value_t = 24 << 20)]
    room_max_lag: usize,
    /// Seconds within which a request's head must arrive, from the moment the connection waits for it.
    #[arg(long, default_value_t = 20.0)]
    header_timeout: f64,
    /// Seconds without a byte either way before an HTTP connection is closed (idle keep-alive, or a client that stopped reading).
    #[arg(long, default_value_t = 10.0)]
    keep_alive_timeout: f64,
    /// HTTP connections open at once (WebSockets count under the relay's and the rooms' own limits); at the cap the idlest goes.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Take the client's address from X-Forwarded-For on connections from this address range (a reverse proxy; repeatable), e.g. 127.0.0.1/32.
    #[arg(long = "trust-proxy", value_name = "CIDR", value_parser = parse_net)]
    trust_proxy: Vec<ipnet::IpNet>,
}

/// A `--trust-proxy` range: `ADDRESS/BITS`, or one address.
fn parse_net(text: &str) -> Result<ipnet::IpNet, String> {
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{text:?} is not an address range such as 127.0.0.1/32 or 10.0.0.0/8"))
}

/// A `--public-url`: `http(s)://HOST[:PORT][/PATH/]`, kept with a final
/// slash (the page's address); `origin` is its scheme and authority.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PublicUrl {
    url: String,
    origin: String,
}

fn parse_public_url(text: &str) -> Result<PublicUrl, String> {
    let wrong = |why: &str| format!("{text:?} {why}; write the address students type, e.g. http://lab-server:8080/");
    let uri: axum::http::Uri = text.parse().map_err(|_| wrong("is not a URL"))?;
    let scheme = uri
        .scheme_str()
        .filter(|s| *s == "http" || *s == "https")
        .ok_or_else(|| wrong("must start with http:// or https://"))?;
    let authority = uri.authority().filter(|a| !a.host().is_empty()).ok_or_else(|| wrong("has no host"))?;
    if authority.as_str().contains('@') || uri.query().is_some() || text.contains('#') {
        return Err(wrong("must be scheme://host[:port]/path only, without user, query or fragment"));
    }
    let origin = format!("{scheme}://{}", authority.as_str().to_ascii_lowercase());
    let path = uri.path().trim_end_matches('/');
    Ok(PublicUrl { url: format!("{origin}{path}/"), origin })
}

/// Reads a `--trust-ca` file: PEM text with at least one certificate.
fn read_ca(path: &std::path::Path) -> Result<String> {
    let text = std::fs::read_to_string(path).with_context(|| format!("--trust-ca: cannot read {}", path.display()))?;
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        anyhow::bail!("--trust-ca: {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path.display());
    }
    Ok(text)
}

/// Has glibc's malloc give memory back to the system once a burst is over.
/// By default it raises its mmap threshold (up to 32 MB) each time a large
/// block is freed and keeps what it then allocates below it, and it seldom
/// trims the arenas of other threads than the first: after a burst of 16 MB
/// room messages and a thousand connections, `benches/soak.py` measured
/// 356 MB still held a minute later. With a fixed threshold every buffer of
/// 256 KiB or more is mapped on its own and unmapped when freed; a trim every
/// ten seconds gives back the free pages of every arena.
fn give_memory_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt sets a tuning parameter of the C allocator, before
        // the runtime starts any thread.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
        }
        std::thread::spawn(|| loop {
            std::thread::sleep(Duration::from_secs(10));
            // SAFETY: malloc_trim only releases free memory; it takes the allocator's own locks.
            unsafe {
                libc::malloc_trim(0);
            }
        });
    }
}

/// Runs the server until Ctrl-C.
pub fn run(args: Args) -> Result<i32> {
    give_memory_back();
    use tracing_subscriber::filter::{filter_fn, EnvFilter, FilterExt};
    use tracing_subscriber::prelude::*;
    let wanted = EnvFilter::try_from_default_env().unwrap_or_else(|_| "wirepad=info".into());
    // Other crates log at most their warnings and notes: below that, the
    // WebSocket library dumps every frame, and a frame can carry a
    // teacher's key, which no log may hold.
    let quiet = filter_fn(|meta| meta.target().starts_with("wirepad") || *meta.level() <= tracing::Level::INFO);
    let log = tracing_subscriber::fmt::layer()
        .with_target(false)
        // Colour codes only for a terminal: a log written to a file stays plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    tracing_subscriber::registry().with(log.with_filter(wanted.and(quiet))).init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(serve(args))?;
    Ok(0)
}

fn seconds(s: f64, flag: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(s)
        .ok()
        .filter(|d| !d.is_zero())
        .with_context(|| format!("--{flag} must be a positive number of seconds"))
}

async fn serve(args: Args) -> Result<()> {
    // Each session holds a WebSocket and a TCP socket.
    let wanted = (args.max_sessions as u64) * 2 + 256;
    match rlimit::increase_nofile_limit(wanted) {
        Ok(got) if got < wanted => {
            tracing::warn!("open-file limit is {got}, below the {wanted} that --max-sessions needs")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("cannot raise the open-file limit: {e}"),
    }

    let mut allowed = args.allow_targets.clone();
    let mut practice_url = None;
    let mut lab = None;
    if !args.no_practice {
        match practice::bind(args.practice_listen).await {
            Ok(listener) => {
                let addr = listener.local_addr()?;
                allowed.push(AllowedTarget::exact(&addr.ip().to_string(), addr.port()));
                practice_url = Some(addr);
                let shared = practice::lab();
                lab = Some(shared.clone());
                tokio::spawn(practice::serve(listener, shared));
            }
            Err(e) => {
                println!("practice server not started: {} is not free ({e}); running without it", args.practice_listen)
            }
        }
    }

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let local = listener.local_addr()?;
    let mut origins = args.allow_origins.clone();
    origins.extend(args.public_url.as_ref().map(|p| p.origin.clone()));
    let access = Arc::new(access::Access::new(local, &origins, args.trust_proxy.clone())?);
    let config = relay::Config {
        allowed_targets: allowed,
        own: vec![local],
        public_url: args.public_url.as_ref().map(|p| p.url.clone()),
        practice: practice_url,
        connect_timeout: seconds(args.connect_timeout, "connect-timeout")?,
        idle_timeout: seconds(args.idle_timeout, "idle-timeout")?,
        max_session_time: seconds(args.max_session_time, "max-session-time")?,
        max_bytes: args.max_bytes,
        max_sessions: args.max_sessions,
        max_sessions_per_ip: args.max_sessions_per_ip,
        trust_ca: args.trust_ca.iter().map(|p| read_ca(p)).collect::<Result<_>>()?,
    };
    let relay = relay::Relay::new(config);
    let rooms = room::Rooms::new(room::Limits {
        max_rooms: args.max_rooms,
        max_rooms_per_ip: args.max_rooms_per_ip,
        max_followers: args.max_followers,
        max_message: args.max_room_message,
        room_memory: args.room_memory.max(args.max_room_message),
        total_memory: args.rooms_memory.max(args.max_room_message),
        follower_rate: args.follower_rate,
        join_rate: args.join_rate.max(0.01),
        join_burst: (args.join_rate * 30.0).max(60.0),
        send_timeout: seconds(args.room_send_timeout, "room-send-timeout")?,
        max_lag: args.room_max_lag,
        idle: seconds(args.room_idle, "room-idle")?,
        unused: seconds(args.room_unused, "room-unused")?,
    });

    let lessons = lessons::Lessons::new(&args.lessons)?;
    for line in lessons.describe() {
        println!("{line}");
    }

    let app = Router::new()
        .route("/relay", get(relay::upgrade).with_state(relay.clone()))
        .route("/room", get(room::upgrade).with_state(rooms))
        .route("/qr.svg", get(room::qr))
        // The page also ships a static www/relay-info.json saying "no relay",
        // so that opened from plain files it learns that without a failed request.
        .route("/relay-info.json", get(relay::info).with_state(relay))
        .route("/lessons/index.json", get(lessons::index).with_state(lessons.clone()))
        .route("/lessons/{file}", get(lessons::file).with_state(lessons))
        .route("/code-check", get(code_check).with_state(lab))
        .fallback(get(assets::serve))
        .layer(axum::middleware::from_fn_with_state(access, access::check))
        .layer(axum::middleware::map_response(access::security_headers));

    let url = format!("http://{local}/");
    println!("wirepad playground: {url}");
    if let Some(p) = &args.public_url {
        println!("students join at:   {}", p.url);
    }
    if let Some(p) = practice_url {
        println!("practice server:    http://{p}/ (allowed as a relay target)");
    }
    if args.open {
        if let Err(e) = open::that_detached(&url) {
            println!("cannot open a browser ({e}); open {url} yourself");
        }
    }
    let limits = listener::Limits {
        header_timeout: seconds(args.header_timeout, "header-timeout")?,
        keep_alive_timeout: seconds(args.keep_alive_timeout, "keep-alive-timeout")?,
        max_connections: args.max_connections.max(1),
    };
    listener::serve(listener, app, limits, async {
        let _ = tokio::signal::ctrl_c().await;
        println!("shutting down");
    })
    .await?;
    Ok(())
}

/// `GET /code-check?student=NAME&code=CODE`: whether CODE is the code the
/// practice server gives NAME (`/code?student=NAME`), for the teacher's
/// page: `{"student": NAME, "right": true|false}`; 404 without a practice
/// server, 400 without a student or a code.
async fn code_check(
    axum::extract::State(lab): axum::extract::State<Option<practice::Lab>>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let Some(lab) = lab else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"error": "this server runs no practice server"})),
        )
            .into_response();
    };
    let (Some(student), Some(code)) = (q.get("student").filter(|s| !s.is_empty()), q.get("code")) else {
        return (StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({"error": "give a student and a code"})))
            .into_response();
    };
    axum::Json(serde_json::json!({"student": student, "right": lab.is_code_of(student, code)})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_is_an_address_students_type() {
        let p = parse_public_url("http://Lab-Server:8080").unwrap();
        assert_eq!(p, PublicUrl { url: "http://lab-server:8080/".into(), origin: "http://lab-server:8080".into() });
        assert_eq!(parse_public_url("https://school.example/wirepad").unwrap().url, "https://school.example/wirepad/");
        for bad in [
            "lab-server:8080",
            "ftp://lab/",
            "http://user@lab/",
            "http://lab/?x=1",
            "http://lab/#room=X",
            "/relative",
            "http://",
        ] {
            assert!(parse_public_url(bad).is_err(), "{bad}");
        }
    }
}
