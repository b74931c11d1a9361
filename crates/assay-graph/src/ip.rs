//! `ipBlock` CIDRs: parsing as the API server validates them, and IPv4
//! address ranges for the external peers of the connection list.

use std::net::{IpAddr, Ipv4Addr};

/// An inclusive IPv4 range, as `u32`s.
pub type Range4 = (u32, u32);

/// A parsed CIDR: its family and, for IPv4, the address range it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cidr {
    V4(Range4),
    /// IPv6 blocks are validated but not analysed (the external peers are IPv4).
    V6 {
        addr: u128,
        prefix: u8,
    },
}

/// Parse `a.b.c.d/n` or an IPv6 CIDR. Like the API server (`ValidateCIDR`),
/// a CIDR needs a prefix length, and host bits may be set (`10.0.0.1/8` is
/// read as `10.0.0.0/8`).
pub fn parse_cidr(text: &str) -> Result<Cidr, String> {
    let (addr, prefix) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` is not a CIDR: the prefix length (`/n`) is missing"))?;
    let addr: IpAddr = addr
        .parse()
        .map_err(|_| format!("`{text}` is not a CIDR: `{addr}` is not an IP address"))?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix: u8 = prefix
        .parse()
        .ok()
        .filter(|p| *p <= max && !prefix.starts_with('+'))
        .ok_or_else(|| {
            format!("`{text}` is not a CIDR: the prefix length must be a number from 0 to {max}")
        })?;
    Ok(match addr {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix))
            };
            Cidr::V4((bits & mask, (bits & mask) | !mask))
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let mask = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix))
            };
            Cidr::V6 {
                addr: bits & mask,
                prefix,
            }
        }
    })
}

impl Cidr {
    /// Whether `inner` lies inside `self` (same family).
    #[must_use]
    pub fn contains(&self, inner: &Cidr) -> bool {
        match (self, inner) {
            (Cidr::V4((s, e)), Cidr::V4((is, ie))) => s <= is && ie <= e,
            (
                Cidr::V6 { addr, prefix },
                Cidr::V6 {
                    addr: inner_addr,
                    prefix: inner_prefix,
                },
            ) => {
                if inner_prefix < prefix {
                    return false;
                }
                let mask = if *prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(*prefix))
                };
                inner_addr & mask == *addr
            }
            _ => false,
        }
    }
}

/// `10.0.0.0-10.255.255.255`.
#[must_use]
pub fn format_range((start, end): Range4) -> String {
    format!("{}-{}", Ipv4Addr::from(start), Ipv4Addr::from(end))
}

/// `ranges` minus `holes`, both sorted or not; the result is sorted and merged.
#[must_use]
pub fn subtract(ranges: &[Range4], holes: &[Range4]) -> Vec<Range4> {
    let mut out = Vec::new();
    for &(start, end) in ranges {
        let mut pieces = vec![(u64::from(start), u64::from(end))];
        for &(hs, he) in holes {
            let (hs, he) = (u64::from(hs), u64::from(he));
            pieces = pieces
                .into_iter()
                .flat_map(|(s, e)| {
                    let mut keep = Vec::new();
                    if he < s || hs > e {
                        keep.push((s, e));
                    } else {
                        if hs > s {
                            keep.push((s, hs - 1));
                        }
                        if he < e {
                            keep.push((he + 1, e));
                        }
                    }
                    keep
                })
                .collect();
        }
        out.extend(
            pieces
                .into_iter()
                .filter_map(|(s, e)| Some((u32::try_from(s).ok()?, u32::try_from(e).ok()?))),
        );
    }
    merge(out)
}

/// Sort and merge overlapping or adjacent ranges into the fewest.
#[must_use]
pub fn merge(mut ranges: Vec<Range4>) -> Vec<Range4> {
    ranges.sort_unstable();
    let mut out: Vec<Range4> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if u64::from(s) <= u64::from(last.1) + 1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cidrs_like_the_api_server() {
        assert_eq!(
            parse_cidr("10.0.0.0/8"),
            Ok(Cidr::V4((0x0A00_0000, 0x0AFF_FFFF)))
        );
        assert_eq!(
            parse_cidr("10.1.2.3/8"),
            Ok(Cidr::V4((0x0A00_0000, 0x0AFF_FFFF)))
        );
        assert_eq!(parse_cidr("0.0.0.0/0"), Ok(Cidr::V4((0, u32::MAX))));
        assert!(parse_cidr("10.0.0.0").is_err());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("10.0.0/8").is_err());
        assert!(parse_cidr("fd00::/8").is_ok());
        assert!(parse_cidr("fd00::/129").is_err());
    }

    #[test]
    fn except_is_subtracted_into_fewest_ranges() {
        let Ok(Cidr::V4(all)) = parse_cidr("0.0.0.0/0") else {
            panic!()
        };
        let Ok(Cidr::V4(ten)) = parse_cidr("10.0.0.0/8") else {
            panic!()
        };
        let left = subtract(&[all], &[ten]);
        let text: Vec<String> = left.into_iter().map(format_range).collect();
        assert_eq!(text, ["0.0.0.0-9.255.255.255", "11.0.0.0-255.255.255.255"]);
    }

    #[test]
    fn containment() {
        let outer = parse_cidr("10.0.0.0/8").unwrap();
        assert!(outer.contains(&parse_cidr("10.1.0.0/16").unwrap()));
        assert!(!outer.contains(&parse_cidr("11.0.0.0/16").unwrap()));
        let v6 = parse_cidr("fd00::/8").unwrap();
        assert!(v6.contains(&parse_cidr("fd12::/16").unwrap()));
        assert!(!v6.contains(&parse_cidr("fe00::/16").unwrap()));
    }
}
