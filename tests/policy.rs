//! The relay's address policy as a pure function: no connection is made.

use wirepad::policy::{check_address, decide, parse_host, AllowedTarget, Decision, Host, Refusal};

fn refused(host: &str) -> Refusal {
    match decide(host, 80, &[]) {
        Err(r) => r,
        Ok(d) => panic!("{host} was allowed: {d:?}"),
    }
}

#[test]
fn every_disguise_of_the_local_machine_is_refused() {
    let cases = [
        ("localhost", Refusal::Localhost),
        ("LOCALHOST", Refusal::Localhost),
        ("localhost.", Refusal::Localhost),
        ("foo.localhost", Refusal::Localhost),
        ("127.0.0.1", Refusal::Loopback),
        ("127.1", Refusal::NonCanonicalAddress),
        ("127.0.1", Refusal::NonCanonicalAddress),
        ("2130706433", Refusal::NonCanonicalAddress),
        ("0x7f000001", Refusal::NonCanonicalAddress),
        ("0x7f.0.0.1", Refusal::NonCanonicalAddress),
        ("017700000001", Refusal::NonCanonicalAddress),
        ("0177.0.0.1", Refusal::NonCanonicalAddress),
        ("127.000.000.001", Refusal::NonCanonicalAddress),
        ("0.0.0.0", Refusal::Unspecified),
        ("0", Refusal::NonCanonicalAddress),
        ("[::1]", Refusal::Loopback),
        ("::1", Refusal::Loopback),
        ("[::]", Refusal::Unspecified),
        ("::ffff:127.0.0.1", Refusal::Loopback),
        ("[::ffff:7f00:1]", Refusal::Loopback),
        ("::127.0.0.1", Refusal::Loopback),
        ("64:ff9b::127.0.0.1", Refusal::Loopback),
        ("64:ff9b::a9fe:a9fe", Refusal::LinkLocal),
        ("2002:7f00:1::", Refusal::Loopback),
        ("2002:a00:1::1", Refusal::Private),
        ("%6c%6f%63%61%6c%68%6f%73%74", Refusal::InvalidHost),
        ("127.0.0.1%2f", Refusal::InvalidHost),
        ("fe80::1%eth0", Refusal::InvalidHost),
        ("", Refusal::InvalidHost),
        ("a b", Refusal::InvalidHost),
        ("evil.com@127.0.0.1", Refusal::InvalidHost),
        ("127.0.0.1:80", Refusal::InvalidHost),
    ];
    for (host, why) in cases {
        assert_eq!(refused(host), why, "{host}");
    }
}

#[test]
fn private_and_special_ranges_are_refused() {
    let cases = [
        ("10.0.0.1", Refusal::Private),
        ("172.16.0.1", Refusal::Private),
        ("172.31.255.255", Refusal::Private),
        ("192.168.1.1", Refusal::Private),
        ("169.254.169.254", Refusal::LinkLocal),
        ("100.64.0.1", Refusal::SharedAddressSpace),
        ("100.127.255.254", Refusal::SharedAddressSpace),
        ("224.0.0.1", Refusal::Multicast),
        ("239.255.255.250", Refusal::Multicast),
        ("255.255.255.255", Refusal::Broadcast),
        ("240.0.0.1", Refusal::Reserved),
        ("192.0.2.1", Refusal::Documentation),
        ("198.51.100.7", Refusal::Documentation),
        ("203.0.113.9", Refusal::Documentation),
        ("198.18.0.1", Refusal::Reserved),
        ("192.0.0.8", Refusal::Reserved),
        ("fc00::1", Refusal::Private),
        ("fd12:3456::1", Refusal::Private),
        ("fe80::1", Refusal::LinkLocal),
        ("ff02::1", Refusal::Multicast),
        ("2001:db8::1", Refusal::Documentation),
        ("2001::1", Refusal::Reserved),
        ("::ffff:10.1.2.3", Refusal::Private),
        ("::ffff:169.254.169.254", Refusal::LinkLocal),
        ("64:ff9b:1::1", Refusal::Private),
        ("100::1", Refusal::Reserved),
    ];
    for (host, why) in cases {
        assert_eq!(refused(host), why, "{host}");
    }
}

#[test]
fn public_addresses_on_port_80_are_allowed() {
    for host in [
        "93.184.215.14",
        "1.1.1.1",
        "8.8.8.8",
        "172.32.0.1",
        "100.128.0.1",
        "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
        "[2a00:1450:4001:80b::200e]",
        "::ffff:93.184.215.14",
    ] {
        assert!(matches!(decide(host, 80, &[]), Ok(Decision::Public(Host::Ip(_)))), "{host}");
    }
    assert_eq!(decide("Example.ORG.", 80, &[]), Ok(Decision::Public(Host::Name("example.org".into()))));
    assert_eq!(decide("www.example.org", 80, &[]), Ok(Decision::Public(Host::Name("www.example.org".into()))));
}

#[test]
fn port_443_is_allowed_on_public_hosts_for_tls_done_in_the_page() {
    // The relay forwards only ciphertext there: the page speaks TLS itself.
    assert_eq!(decide("example.org", 443, &[]), Ok(Decision::Public(Host::Name("example.org".into()))));
    assert!(matches!(decide("93.184.215.14", 443, &[]), Ok(Decision::Public(Host::Ip(_)))));
    // Nothing else loosens: private, loopback and link-local stay refused on 443.
    assert_eq!(decide("10.0.0.1", 443, &[]), Err(Refusal::Private));
    assert_eq!(decide("127.0.0.1", 443, &[]), Err(Refusal::Loopback));
    assert_eq!(decide("169.254.169.254", 443, &[]), Err(Refusal::LinkLocal));
    assert_eq!(decide("localhost", 443, &[]), Err(Refusal::Localhost));
}

#[test]
fn other_ports_are_refused_on_public_hosts() {
    for port in [22, 25, 81, 442, 444, 8080, 8443] {
        assert_eq!(decide("example.org", port, &[]), Err(Refusal::PortNotAllowed), "{port}");
    }
    assert_eq!(decide("93.184.215.14", 22, &[]), Err(Refusal::PortNotAllowed));
    // The address verdict comes first: a private address is refused as such.
    assert_eq!(decide("10.0.0.1", 8080, &[]), Err(Refusal::Private));
}

#[test]
fn allow_target_allows_exactly_that_host_and_port() {
    let allowed: Vec<AllowedTarget> =
        vec!["127.0.0.1:8081".parse().unwrap(), "[::1]:9000".parse().unwrap(), "LabServer.:8080".parse().unwrap()];
    assert_eq!(decide("127.0.0.1", 8081, &allowed), Ok(Decision::Allowed("127.0.0.1".into())));
    assert_eq!(decide("[::1]", 9000, &allowed), Ok(Decision::Allowed("::1".into())));
    assert_eq!(decide("labserver", 8080, &allowed), Ok(Decision::Allowed("labserver".into())));
    assert_eq!(decide("127.0.0.1", 8082, &allowed), Err(Refusal::Loopback));
    assert_eq!(decide("127.1", 8081, &allowed), Err(Refusal::NonCanonicalAddress));
    assert_eq!(decide("localhost", 8081, &allowed), Err(Refusal::Localhost));
    assert_eq!(decide("::1", 8081, &allowed), Err(Refusal::Loopback));
    assert!("no-port".parse::<AllowedTarget>().is_err());
    assert!(":80".parse::<AllowedTarget>().is_err());
}

#[test]
fn parse_host_reads_brackets_and_names() {
    assert_eq!(parse_host("[2001:4860::1]"), Ok(Host::Ip("2001:4860::1".parse().unwrap())));
    assert_eq!(parse_host("a-b.example"), Ok(Host::Name("a-b.example".into())));
    assert_eq!(parse_host("-bad.example"), Err(Refusal::InvalidHost));
    assert_eq!(parse_host(&"a".repeat(64)), Err(Refusal::InvalidHost));
    assert!(check_address("8.8.4.4".parse().unwrap()).is_ok());
}

#[test]
fn the_server_check_reaches_local_servers_and_knows_a_public_one() {
    use std::net::IpAddr;
    use wirepad::policy::{reach, Reach};
    let at = |s: &str| reach(s.parse::<IpAddr>().unwrap());
    for local in
        ["127.0.0.1", "127.5.6.7", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.20", "fd00::1", "::ffff:192.168.0.1"]
    {
        assert_eq!(at(local), Ok(Reach::Local), "{local}");
    }
    for public in ["93.184.215.14", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
        assert_eq!(at(public), Ok(Reach::Public), "{public}");
    }
    assert_eq!(at("169.254.169.254"), Err(Refusal::LinkLocal), "the cloud metadata service");
    assert_eq!(at("0.0.0.0"), Err(Refusal::Unspecified));
    assert_eq!(at("224.0.0.1"), Err(Refusal::Multicast));
}
