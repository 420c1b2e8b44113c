//! The address a request comes from, for the login throttle and the public rate limits.
//!
//! Behind a reverse proxy or load balancer (TLS termination, the scale path) every
//! connection comes from the proxy, so all clients would share one limit: twenty wrong
//! passwords from anyone would lock everyone out. For a connection from a configured
//! trusted proxy the client is therefore read from `X-Forwarded-For`, walking from the
//! right past trusted hops to the first address the proxies did not vouch for. A client
//! that connects directly is its own peer address whatever headers it sends, so it cannot
//! choose an address to escape its limit. IPv6 clients are counted by their /64 network
//! (`limit_key`), for the same reason.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use actix_web::HttpRequest;
use actix_web::http::header::HeaderName;
use actix_web::web;
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed: addresses or networks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// From a comma-separated list of addresses (`10.0.0.5`) and networks (`10.0.0.0/8`).
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{s:?} is not an IP address or network"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address, given the connection's peer and the `X-Forwarded-For` hops
    /// in order (leftmost first).
    pub fn client<'a>(&self, peer: IpAddr, forwarded: impl DoubleEndedIterator<Item = &'a str>) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        for hop in forwarded.rev() {
            let Some(ip) = parse_hop(hop) else {
                // Garbage the trusted proxy passed on: the last address we know stands.
                return client;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// One entry of `X-Forwarded-For`: an address, perhaps with a port or in brackets.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.trim_start_matches('[').trim_end_matches(']').parse().ok())
}

/// What the limits count a client by. An IPv4 address as it is (also when it comes
/// IPv4-mapped, `::ffff:203.0.113.9`); an IPv6 address by its /64 network, because a home
/// connection or a rented server is handed at least a whole /64 and can take a fresh
/// address from it for every request: counted per address, it would never reach a limit.
pub fn limit_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let [a, b, c, d, ..] = v6.segments();
            format!("{}/64", Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
        }
    }
}

/// The limit key (`limit_key`) of the client a request comes from ("" when the peer is
/// unknown).
pub fn of(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return String::new();
    };
    let Some(trusted) = req.app_data::<web::Data<TrustedProxies>>() else {
        return limit_key(peer);
    };
    let hops: Vec<&str> = req
        .headers()
        .get_all(HeaderName::from_static("x-forwarded-for"))
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    limit_key(trusted.client(peer, hops.into_iter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_network_ipv4_by_address() {
        assert_eq!(limit_key(ip("203.0.113.9")), "203.0.113.9");
        assert_eq!(limit_key(ip("::ffff:203.0.113.9")), "203.0.113.9");
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(
            limit_key(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")),
            limit_key(ip("2001:db8:1:2::7"))
        );
        assert_ne!(limit_key(ip("2001:db8:1:3::7")), limit_key(ip("2001:db8:1:2::7")));
        assert_eq!(limit_key(ip("::1")), "::/64");
    }

    #[test]
    fn a_direct_client_is_its_peer_whatever_it_sends() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(
            proxies.client(ip("203.0.113.9"), ["198.51.100.1"].into_iter()),
            ip("203.0.113.9")
        );
        assert_eq!(
            TrustedProxies::default().client(ip("127.0.0.1"), ["1.2.3.4"].into_iter()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() {
        let proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        // The client claims 6.6.6.6; the outer proxy (10.1.1.1) saw 203.0.113.9.
        let hops = ["6.6.6.6", "203.0.113.9", "10.1.1.1"];
        assert_eq!(proxies.client(ip("127.0.0.1"), hops.into_iter()), ip("203.0.113.9"));
        assert_eq!(
            proxies.client(ip("10.2.2.2"), ["203.0.113.9:51234"].into_iter()),
            ip("203.0.113.9")
        );
        assert_eq!(
            proxies.client(ip("10.2.2.2"), ["[2001:db8::7]"].into_iter()),
            ip("2001:db8::7")
        );
        assert_eq!(proxies.client(ip("10.2.2.2"), [].into_iter()), ip("10.2.2.2"));
        assert_eq!(
            proxies.client(ip("10.2.2.2"), ["203.0.113.9", "not an address"].into_iter()),
            ip("10.2.2.2"),
            "garbage from the proxy: its own address stands"
        );
        assert_eq!(
            proxies.client(ip("10.2.2.2"), ["10.3.3.3"].into_iter()),
            ip("10.3.3.3"),
            "all hops trusted: the leftmost"
        );
    }

    #[test]
    fn a_list_that_is_not_addresses_is_refused() {
        assert!(TrustedProxies::parse("10.0.0.0/8, proxy.local").is_err());
        assert_eq!(TrustedProxies::parse(" ").unwrap(), TrustedProxies::default());
        assert!(TrustedProxies::parse("::1, 192.168.0.0/16").is_ok());
    }
}
