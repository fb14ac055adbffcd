//! Which targets the relay may connect to: pure functions, no IO.
//!
//! The relay must never become an open proxy into the network it runs in.
//! By default it reaches only ports 80 (HTTP) and 443 (HTTPS, the TLS done in
//! the page: the relay forwards ciphertext) on public unicast addresses. A host is
//! first read strictly ([`parse_host`]): a literal address must be written
//! canonically (`127.1`, `2130706433`, `0x7f000001` and `017700000001` are
//! refused, not guessed), and names must be plain DNS names that are not
//! `localhost`. Every address a name resolves to is then checked
//! ([`check_address`]), and the relay connects only to a checked address,
//! so DNS rebinding cannot slip a private address in between.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The port a target gets when none is given.
pub const DEFAULT_PORT: u16 = 80;

/// The ports public targets may use: HTTP, and HTTPS with TLS in the page.
pub const PUBLIC_PORTS: [u16; 2] = [80, 443];

/// A host as the page named it, read strictly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Host {
    /// A canonical IPv4 or IPv6 literal.
    Ip(IpAddr),
    /// A DNS name, lower-cased, without a trailing dot.
    Name(String),
}

/// Why a target is refused: a stable kebab-case reason the page explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a valid host at all (empty, bad characters, percent signs, ...).
    InvalidHost,
    /// Looks numeric but is not a canonical address (`127.1`, `0x7f.1`, ...).
    NonCanonicalAddress,
    /// `localhost` and its sub-domains.
    Localhost,
    Loopback,
    Unspecified,
    Private,
    LinkLocal,
    SharedAddressSpace,
    Multicast,
    Broadcast,
    Documentation,
    Reserved,
    /// Only ports 80 and 443 may be used on public hosts.
    PortNotAllowed,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::InvalidHost => "invalid-host",
            Refusal::NonCanonicalAddress => "non-canonical-address",
            Refusal::Localhost => "localhost",
            Refusal::Loopback => "loopback",
            Refusal::Unspecified => "unspecified",
            Refusal::Private => "private",
            Refusal::LinkLocal => "link-local",
            Refusal::SharedAddressSpace => "shared-address-space",
            Refusal::Multicast => "multicast",
            Refusal::Broadcast => "broadcast",
            Refusal::Documentation => "documentation",
            Refusal::Reserved => "reserved",
            Refusal::PortNotAllowed => "port-not-allowed",
        }
    }

    /// A sentence a student understands.
    pub fn explain(self) -> &'static str {
        match self {
            Refusal::InvalidHost => "that is not a valid host name or address",
            Refusal::NonCanonicalAddress => {
                "that looks like an address but is not written the standard way (like 93.184.215.14); the relay does not guess what it means"
            }
            Refusal::Localhost => "localhost is the relay's own machine; the relay refuses it",
            Refusal::Loopback => "that is a loopback address (the relay's own machine); the relay refuses it",
            Refusal::Unspecified => "that is the unspecified address 0.0.0.0 or ::, which means \"this machine\"",
            Refusal::Private => "that is a private address (a local network); the relay refuses private addresses",
            Refusal::LinkLocal => "that is a link-local address (including cloud metadata services); the relay refuses it",
            Refusal::SharedAddressSpace => "that is carrier-grade NAT address space (100.64.0.0/10), not the public internet",
            Refusal::Multicast => "that is a multicast address, not one server",
            Refusal::Broadcast => "that is the broadcast address",
            Refusal::Documentation => "that address is reserved for documentation and examples",
            Refusal::Reserved => "that address range is reserved and not a public server",
            Refusal::PortNotAllowed => "public servers can only be reached on port 80 (HTTP) or 443 (HTTPS)",
        }
    }
}

/// Reads a host strictly. Brackets around IPv6 are optional.
pub fn parse_host(host: &str) -> Result<Host, Refusal> {
    let inner = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    if let Some(v6) = inner.or_else(|| host.contains(':').then_some(host)) {
        // Zone ids (fe80::1%eth0) and anything else odd fail this parse.
        return v6.parse::<Ipv6Addr>().map(|ip| Host::Ip(IpAddr::V6(ip))).map_err(|_| Refusal::InvalidHost);
    }
    let name = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if name.is_empty() || name.len() > 253 {
        return Err(Refusal::InvalidHost);
    }
    let labels: Vec<&str> = name.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !labels.iter().all(label_ok) {
        return Err(Refusal::InvalidHost);
    }
    // As in the WHATWG URL standard: a name whose last label is a number
    // (decimal or 0x-hex) is an IPv4 address, and here it must be canonical.
    let last = labels[labels.len() - 1];
    let numeric = last.bytes().all(|b| b.is_ascii_digit())
        || (last.starts_with("0x") && last[2..].bytes().all(|b| b.is_ascii_hexdigit()));
    if numeric {
        return match name.parse::<Ipv4Addr>() {
            Ok(ip) if ip.to_string() == name => Ok(Host::Ip(IpAddr::V4(ip))),
            _ => Err(Refusal::NonCanonicalAddress),
        };
    }
    if name == "localhost" || name.ends_with(".localhost") {
        return Err(Refusal::Localhost);
    }
    Ok(Host::Name(name))
}

/// Whether an address is public unicast, the only kind the relay reaches by
/// default. Embedded IPv4 addresses (mapped, compatible, NAT64, 6to4) are
/// judged as the IPv4 address they carry.
pub fn check_address(ip: IpAddr) -> Result<(), Refusal> {
    match ip {
        IpAddr::V4(v4) => check_v4(v4),
        IpAddr::V6(v6) => check_v6(v6),
    }
}

fn check_v4(ip: Ipv4Addr) -> Result<(), Refusal> {
    let [a, b, c, _] = ip.octets();
    let refusal = match (a, b, c) {
        _ if ip.is_unspecified() => Refusal::Unspecified,
        _ if ip.is_broadcast() => Refusal::Broadcast,
        (0, _, _) => Refusal::Unspecified, // "this network", 0.0.0.0/8
        (127, _, _) => Refusal::Loopback,
        (10, _, _) | (192, 168, _) => Refusal::Private,
        (172, 16..=31, _) => Refusal::Private,
        (169, 254, _) => Refusal::LinkLocal,
        (100, 64..=127, _) => Refusal::SharedAddressSpace,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Refusal::Documentation,
        (192, 0, 0) | (192, 88, 99) | (198, 18..=19, _) => Refusal::Reserved,
        (224..=239, _, _) => Refusal::Multicast,
        (240..=255, _, _) => Refusal::Reserved,
        _ => return Ok(()),
    };
    Err(refusal)
}

fn check_v6(ip: Ipv6Addr) -> Result<(), Refusal> {
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if ip.is_unspecified() {
        return Err(Refusal::Unspecified);
    }
    if ip.is_loopback() {
        return Err(Refusal::Loopback);
    }
    // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the old "compatible" form).
    if s[..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0) {
        return check_v4(embedded_v4(s[6], s[7]));
    }
    // NAT64: 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is local use.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return check_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1 {
        return Err(Refusal::Private);
    }
    // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
    if s[0] == 0x2002 {
        return check_v4(embedded_v4(s[1], s[2]));
    }
    let refusal = match s[0] {
        0xfc00..=0xfdff => Refusal::Private,                // unique local fc00::/7
        0xfe80..=0xfebf => Refusal::LinkLocal,              // fe80::/10
        0xfec0..=0xfeff => Refusal::Private,                // deprecated site-local
        0xff00..=0xffff => Refusal::Multicast,              // ff00::/8
        0x2001 if s[1] == 0x0db8 => Refusal::Documentation, // 2001:db8::/32
        0x3fff if s[1] < 0x1000 => Refusal::Documentation,  // 3fff::/20
        0x2001 if s[1] < 0x0200 => Refusal::Reserved,       // Teredo, benchmarking, ORCHID (2001::/23)
        0x2000..=0x3fff => return Ok(()),                   // global unicast
        _ => Refusal::Reserved,                             // everything else is unassigned or special
    };
    Err(refusal)
}

/// A `HOST:PORT` pair that `--allow-target` lets through as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedTarget {
    pub host: String,
    pub port: u16,
}

impl std::str::FromStr for AllowedTarget {
    type Err = String;

    /// `HOST:PORT` or `[V6]:PORT`.
    fn from_str(s: &str) -> Result<AllowedTarget, String> {
        let (host, port) = s.rsplit_once(':').ok_or_else(|| format!("{s:?} is not HOST:PORT"))?;
        let port: u16 = port.parse().map_err(|_| format!("{port:?} is not a port number"))?;
        let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        if host.is_empty() {
            return Err(format!("{s:?} has no host"));
        }
        Ok(AllowedTarget { host: normalize(host), port })
    }
}

impl std::fmt::Display for AllowedTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

fn normalize(host: &str) -> String {
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase()
}

/// What to do with a requested target before any lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Named by `--allow-target`: resolve and connect without range checks.
    Allowed(String),
    /// A public target: resolve (if a name), check every address, connect.
    Public(Host),
}

/// Decides on `host:port` before any lookup.
pub fn decide(host: &str, port: u16, allowed: &[AllowedTarget]) -> Result<Decision, Refusal> {
    let wanted = normalize(host);
    if allowed.iter().any(|a| a.host == wanted && a.port == port) {
        return Ok(Decision::Allowed(wanted));
    }
    let parsed = parse_host(host)?;
    if let Host::Ip(ip) = parsed {
        check_address(ip)?;
    }
    if !PUBLIC_PORTS.contains(&port) {
        return Err(Refusal::PortNotAllowed);
    }
    Ok(Decision::Public(parsed))
}

/// How far away a server is, for `wirepad check`, which sends attacks (the
/// request-smuggling checks) and so by default reaches only servers a
/// student may own: this machine and private networks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Loopback or a private network (RFC 1918, IPv6 unique local).
    Local,
    /// A public unicast address: someone else's server, perhaps.
    Public,
}

/// Where `ip` is, for `wirepad check`: the relay's rule turned around.
/// Addresses that are neither local nor public (multicast, link-local with
/// the cloud metadata services, documentation, ...) are refused.
pub fn reach(ip: IpAddr) -> Result<Reach, Refusal> {
    match check_address(ip) {
        Ok(()) => Ok(Reach::Public),
        Err(Refusal::Loopback | Refusal::Private) => Ok(Reach::Local),
        Err(refusal) => Err(refusal),
    }
}
