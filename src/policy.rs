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
    /// The relay's own listener: it never connects to itself.
    Relay,
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
            Refusal::Relay => "relay",
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
            Refusal::Relay => "that is the relay itself (the page's own address); the relay never connects to itself",
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

/// What `--allow-target` lets through: `HOST:PORT` exactly, a host on a
/// range of ports (`lab1:8000-8099`), or an address range on a port or a
/// range of ports (`10.0.5.0/24:8000-8099`, `[fd00:5::/64]:8080`) for a lab
/// network where each student runs a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedTarget {
    pub hosts: AllowedHosts,
    /// The first and last port allowed.
    pub ports: (u16, u16),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowedHosts {
    /// A host as named (a DNS name or an address literal), matched exactly
    /// and let through as it is, whatever its address.
    Name(String),
    /// Every address in a range, named by its literal address, except those
    /// [`in_range`] refuses (the cloud metadata service and the like).
    Range(ipnet::IpNet),
}

impl AllowedTarget {
    /// Exactly `host:port` (the practice server is allowed so).
    pub fn exact(host: &str, port: u16) -> AllowedTarget {
        AllowedTarget { hosts: AllowedHosts::Name(normalize(host)), ports: (port, port) }
    }

    fn has_port(&self, port: u16) -> bool {
        (self.ports.0..=self.ports.1).contains(&port)
    }
}

impl std::str::FromStr for AllowedTarget {
    type Err = String;

    /// `HOST:PORT`, `[V6]:PORT`, `ADDRESS/BITS:PORT`, `[V6/BITS]:PORT`, each
    /// with `FIRST-LAST` for the port as well.
    fn from_str(s: &str) -> Result<AllowedTarget, String> {
        let (host, ports) = s.rsplit_once(':').ok_or_else(|| format!("{s:?} is not HOST:PORT"))?;
        let port = |p: &str| p.parse::<u16>().map_err(|_| format!("{p:?} is not a port number"));
        let ports = match ports.split_once('-') {
            Some((first, last)) => (port(first)?, port(last)?),
            None => (port(ports)?, port(ports)?),
        };
        if ports.0 > ports.1 {
            return Err(format!("{s:?}: the port range ends before it starts"));
        }
        let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        if host.is_empty() {
            return Err(format!("{s:?} has no host"));
        }
        let hosts = if host.contains('/') {
            let net: ipnet::IpNet = host
                .parse()
                .map_err(|_| format!("{host:?} is not an address range such as 10.0.5.0/24 or fd00:5::/64"))?;
            if net != net.trunc() {
                return Err(format!("{host:?} has bits set past its prefix: write {}", net.trunc()));
            }
            AllowedHosts::Range(net)
        } else {
            AllowedHosts::Name(normalize(host))
        };
        Ok(AllowedTarget { hosts, ports })
    }
}

impl std::fmt::Display for AllowedTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let host = match &self.hosts {
            AllowedHosts::Name(n) => n.clone(),
            AllowedHosts::Range(net) => net.to_string(),
        };
        if host.contains(':') {
            write!(f, "[{host}]")?;
        } else {
            write!(f, "{host}")?;
        }
        match self.ports {
            (first, last) if first == last => write!(f, ":{first}"),
            (first, last) => write!(f, ":{first}-{last}"),
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
    /// Allowed by `--allow-target`: resolve and connect without range checks.
    Allowed(String),
    /// A public target: resolve (if a name), check every address, connect.
    Public(Host),
}

/// Decides on `host:port` before any lookup.
pub fn decide(host: &str, port: u16, allowed: &[AllowedTarget]) -> Result<Decision, Refusal> {
    let wanted = normalize(host);
    let parsed = parse_host(host);
    for a in allowed.iter().filter(|a| a.has_port(port)) {
        match (&a.hosts, &parsed) {
            (AllowedHosts::Name(name), _) if *name == wanted => return Ok(Decision::Allowed(wanted)),
            (AllowedHosts::Range(net), Ok(Host::Ip(ip))) if net.contains(&ip.to_canonical()) => {
                in_range(*ip)?;
                return Ok(Decision::Allowed(ip.to_canonical().to_string()));
            }
            _ => {}
        }
    }
    let parsed = parsed?;
    if let Host::Ip(ip) = parsed {
        check_address(ip)?;
    }
    if !PUBLIC_PORTS.contains(&port) {
        return Err(Refusal::PortNotAllowed);
    }
    Ok(Decision::Public(parsed))
}

/// Whether an address inside an allowed range may be reached: loopback,
/// private and carrier-grade NAT addresses may (a lab network is one of
/// those), public ones too; link-local ones never (169.254.169.254 is the
/// cloud metadata service), nor multicast, broadcast, unspecified or
/// reserved ones, whatever range the operator wrote.
pub fn in_range(ip: IpAddr) -> Result<(), Refusal> {
    match check_address(ip) {
        Ok(()) | Err(Refusal::Loopback | Refusal::Private | Refusal::SharedAddressSpace) => Ok(()),
        Err(refusal) => Err(refusal),
    }
}

/// Whether `addr` is one of the relay's own listeners (`own`; an
/// unspecified listen address stands for every address on its port): the
/// relay never connects to itself, whatever `--allow-target` says.
pub fn is_own(addr: std::net::SocketAddr, own: &[std::net::SocketAddr]) -> bool {
    own.iter().any(|o| {
        o.port() == addr.port() && (o.ip().is_unspecified() || o.ip().to_canonical() == addr.ip().to_canonical())
    })
}

/// What the operator could add to `--allow-target` to let this target
/// through, when a flag may: a private, loopback or CGNAT address, a name
/// that resolves to one, or a port other than 80 and 443. `None` when no
/// flag should (metadata, multicast, ...) or the host is not valid.
pub fn allow_hint(host: &str, port: u16, refusal: Refusal) -> Option<String> {
    let exact = match parse_host(host) {
        Ok(Host::Ip(ip)) if ip.is_ipv6() => format!("[{ip}]:{port}"),
        Ok(Host::Ip(ip)) => format!("{ip}:{port}"),
        Ok(Host::Name(name)) => format!("{name}:{port}"),
        Err(Refusal::Localhost) => format!("{}:{port}", normalize(host)),
        Err(_) => return None,
    };
    let range = match parse_host(host) {
        Ok(Host::Ip(IpAddr::V4(v4))) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24:{port}-{}", port.saturating_add(99))
        }
        _ => format!("10.0.5.0/24:{port}-{}", port.saturating_add(99)),
    };
    match refusal {
        Refusal::Loopback | Refusal::Private | Refusal::SharedAddressSpace | Refusal::Localhost | Refusal::PortNotAllowed => {
            Some(format!(
                "to let students reach it, the teacher starts wirepad serve with --allow-target {exact}, or with a range for the whole lab network such as --allow-target {range}"
            ))
        }
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(flags: &[&str]) -> Vec<AllowedTarget> {
        flags.iter().map(|f| f.parse().unwrap()).collect()
    }

    #[test]
    fn ranges_read_and_print_back() {
        for flag in ["10.0.5.0/24:8000-8099", "[fd00:5::/64]:8080", "lab1:8000-8099", "127.0.0.1:8081", "[::1]:9000"] {
            assert_eq!(flag.parse::<AllowedTarget>().unwrap().to_string(), flag);
        }
        let a: AllowedTarget = "10.0.5.0/24:8000-8099".parse().unwrap();
        assert_eq!(a.hosts, AllowedHosts::Range("10.0.5.0/24".parse().unwrap()));
        assert_eq!(a.ports, (8000, 8099));
        for (bad, why) in [
            ("10.0.5.0/24:8099-8000", "ends before it starts"),
            ("10.0.5.1/24:80", "write 10.0.5.0/24"),
            ("10.0.5.0/33:80", "is not an address range"),
            ("10.0.5.0/24:80-", "is not a port number"),
            ("10.0.5.0/24:80-70000", "is not a port number"),
            ("10.0.5.0/24", "is not HOST:PORT"),
            (":80", "has no host"),
        ] {
            let e = bad.parse::<AllowedTarget>().unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn an_address_range_lets_through_its_addresses_on_its_ports_only() {
        let a = allowed(&["10.0.5.0/24:8000-8099", "[fd00:5::/64]:8080", "127.0.0.0/8:9000-9001"]);
        assert_eq!(decide("10.0.5.7", 8000, &a), Ok(Decision::Allowed("10.0.5.7".into())));
        assert_eq!(decide("10.0.5.255", 8099, &a), Ok(Decision::Allowed("10.0.5.255".into())));
        assert_eq!(
            decide("::ffff:10.0.5.7", 8050, &a),
            Ok(Decision::Allowed("10.0.5.7".into())),
            "the mapped form is the same address"
        );
        assert_eq!(decide("[fd00:5::12]", 8080, &a), Ok(Decision::Allowed("fd00:5::12".into())));
        assert_eq!(decide("127.8.9.10", 9001, &a), Ok(Decision::Allowed("127.8.9.10".into())));
        assert_eq!(decide("10.0.5.7", 8100, &a), Err(Refusal::Private), "outside the port range");
        assert_eq!(decide("10.0.5.7", 7999, &a), Err(Refusal::Private));
        assert_eq!(decide("10.0.6.7", 8000, &a), Err(Refusal::Private), "outside the address range");
        assert_eq!(decide("fd00:6::12", 8080, &a), Err(Refusal::Private));
        // A range is of addresses: a name or a disguised address is not in it.
        assert_eq!(decide("lab.example", 8000, &a), Err(Refusal::PortNotAllowed));
        assert_eq!(decide("10.0.5.07", 8000, &a), Err(Refusal::NonCanonicalAddress));
        assert_eq!(decide("localhost", 9000, &a), Err(Refusal::Localhost));
    }

    #[test]
    fn no_range_reaches_the_metadata_service_or_what_is_not_one_server() {
        let a = allowed(&["0.0.0.0/0:1-65535", "[::/0]:1-65535"]);
        assert_eq!(decide("169.254.169.254", 80, &a), Err(Refusal::LinkLocal));
        assert_eq!(decide("fe80::1", 80, &a), Err(Refusal::LinkLocal));
        assert_eq!(decide("64:ff9b::a9fe:a9fe", 80, &a), Err(Refusal::LinkLocal));
        assert_eq!(decide("224.0.0.1", 80, &a), Err(Refusal::Multicast));
        assert_eq!(decide("255.255.255.255", 80, &a), Err(Refusal::Broadcast));
        assert_eq!(decide("0.0.0.0", 80, &a), Err(Refusal::Unspecified));
        assert_eq!(decide("240.0.0.1", 80, &a), Err(Refusal::Reserved));
        assert_eq!(decide("100.64.0.1", 8080, &a), Ok(Decision::Allowed("100.64.0.1".into())));
        assert_eq!(decide("8.8.8.8", 53, &a), Ok(Decision::Allowed("8.8.8.8".into())));
    }

    #[test]
    fn the_relays_own_listener_is_never_a_target() {
        let own = ["127.0.0.1:8080".parse().unwrap()];
        assert!(is_own("127.0.0.1:8080".parse().unwrap(), &own));
        assert!(is_own("[::ffff:127.0.0.1]:8080".parse().unwrap(), &own));
        assert!(!is_own("127.0.0.2:8080".parse().unwrap(), &own));
        assert!(!is_own("127.0.0.1:8081".parse().unwrap(), &own));
        let everywhere = ["0.0.0.0:8080".parse().unwrap()];
        assert!(is_own("10.0.5.1:8080".parse().unwrap(), &everywhere));
        assert!(!is_own("10.0.5.1:8000".parse().unwrap(), &everywhere));
    }

    #[test]
    fn a_refusal_a_flag_can_lift_says_which_flag() {
        let hint = allow_hint("10.0.5.7", 8000, Refusal::Private).unwrap();
        assert!(hint.contains("--allow-target 10.0.5.7:8000,"), "{hint}");
        assert!(hint.contains("--allow-target 10.0.5.0/24:8000-8099"), "{hint}");
        assert!(allow_hint("fd00::1", 8000, Refusal::Private).unwrap().contains("--allow-target [fd00::1]:8000,"));
        assert!(allow_hint("example.org", 8080, Refusal::PortNotAllowed)
            .unwrap()
            .contains("--allow-target example.org:8080,"));
        assert!(allow_hint("localhost", 3000, Refusal::Localhost).unwrap().contains("--allow-target localhost:3000,"));
        assert_eq!(allow_hint("169.254.169.254", 80, Refusal::LinkLocal), None, "never suggest the metadata service");
        assert_eq!(allow_hint("a b", 80, Refusal::InvalidHost), None);
        assert_eq!(allow_hint("224.0.0.1", 80, Refusal::Multicast), None);
    }
}
