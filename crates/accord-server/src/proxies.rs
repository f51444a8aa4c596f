//! Which client a request comes from when Accord runs behind a proxy.
//!
//! Behind nginx every connection comes from the proxy's address, so the
//! login limits would count the whole world as one client. A proxy named as
//! trusted (`accord serve --trusted-proxy 127.0.0.1`) passes the client's
//! address in `X-Forwarded-For`; the header is read from the right (each
//! proxy appends the address it received the request from) and the first
//! address that is not a trusted proxy is the client. A connection from
//! anywhere else has its header ignored: a client cannot choose its own
//! address by sending one.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// An address or a network (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    base: IpAddr,
    bits: u8,
}

impl Network {
    /// Whether `ip` is in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.base, canonical(ip)) {
            (IpAddr::V4(b), IpAddr::V4(a)) => prefix_eq(&b.octets(), &a.octets(), self.bits),
            (IpAddr::V6(b), IpAddr::V6(a)) => prefix_eq(&b.octets(), &a.octets(), self.bits),
            _ => false,
        }
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`) is the IPv4 one.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let full = usize::from(bits / 8);
    let rest = bits % 8;
    if a[..full] != b[..full] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[full] & mask == b[full] & mask
    }
}

impl std::str::FromStr for Network {
    type Err = String;

    fn from_str(s: &str) -> Result<Network, String> {
        let (addr, bits) = match s.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        let base: IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not an IP address or a network such as 10.0.0.0/8"))?;
        let base = canonical(base);
        let max = if base.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            None => max,
            Some(b) => b
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|&b| b <= max)
                .ok_or_else(|| format!("`{s}`: the prefix length must be 0 to {max}"))?,
        };
        Ok(Network { base, bits })
    }
}

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<Network>);

impl TrustedProxies {
    /// Trusts these networks.
    pub fn new(networks: Vec<Network>) -> TrustedProxies {
        TrustedProxies(networks)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client's address for a request that arrived from `peer` with
    /// `headers`. Malformed entries end the walk: the last address a trusted
    /// proxy vouched for is used.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        // Several headers are one list, in order.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else { break };
            client = canonical(ip);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn trusted(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(list.iter().map(|s| s.parse().unwrap()).collect())
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let t = trusted(&["127.0.0.1"]);
        assert_eq!(t.client(ip("127.0.0.1"), &headers(&["203.0.113.9"])), ip("203.0.113.9"));
        // Mapped IPv4 is IPv4.
        assert_eq!(t.client(ip("::ffff:127.0.0.1"), &headers(&["203.0.113.9"])), ip("203.0.113.9"));
        // No header: the proxy itself.
        assert_eq!(t.client(ip("127.0.0.1"), &HeaderMap::new()), ip("127.0.0.1"));
    }

    #[test]
    fn a_client_cannot_choose_its_address() {
        let t = trusted(&["127.0.0.1"]);
        // Not through the proxy: the header is ignored.
        assert_eq!(t.client(ip("198.51.100.7"), &headers(&["203.0.113.9"])), ip("198.51.100.7"));
        // Through the proxy, a forged first entry is not believed: the
        // proxy appended the address it saw.
        assert_eq!(t.client(ip("127.0.0.1"), &headers(&["10.9.9.9, 198.51.100.7"])), ip("198.51.100.7"));
        // Garbage ends the walk at the last vouched-for address.
        assert_eq!(t.client(ip("127.0.0.1"), &headers(&["198.51.100.7, nonsense"])), ip("127.0.0.1"));
    }

    #[test]
    fn chains_of_trusted_proxies_are_walked() {
        let t = trusted(&["127.0.0.0/8", "10.0.0.0/8", "fd00::/8"]);
        let h = headers(&["203.0.113.9, 10.1.2.3", "127.0.0.2"]);
        assert_eq!(t.client(ip("127.0.0.1"), &h), ip("203.0.113.9"));
        assert_eq!(t.client(ip("fd12::1"), &headers(&["2001:db8::5"])), ip("2001:db8::5"));
        // Every hop trusted: the leftmost.
        assert_eq!(t.client(ip("127.0.0.1"), &headers(&["10.0.0.1"])), ip("10.0.0.1"));
    }

    #[test]
    fn networks_parse_with_clear_errors() {
        assert!("10.0.0.0/8".parse::<Network>().unwrap().contains(ip("10.255.0.1")));
        assert!(!"10.0.0.0/9".parse::<Network>().unwrap().contains(ip("10.128.0.1")));
        assert!("0.0.0.0/0".parse::<Network>().unwrap().contains(ip("192.0.2.1")));
        assert!(!"::1".parse::<Network>().unwrap().contains(ip("127.0.0.1")));
        assert!("10.0.0.0/33".parse::<Network>().unwrap_err().contains("0 to 32"));
        assert!("localhost".parse::<Network>().unwrap_err().contains("not an IP address"));
    }
}
