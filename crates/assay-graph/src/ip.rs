//! `ipBlock` CIDRs: parsing as the API server validates them, and the IPv4
//! and IPv6 address ranges of the external peers of the connection list.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address family. IPv4 sorts first, so every list of ranges prints its
/// IPv4 ranges before its IPv6 ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    /// The highest address of the family.
    #[must_use]
    pub fn last(self) -> u128 {
        match self {
            Family::V4 => u128::from(u32::MAX),
            Family::V6 => u128::MAX,
        }
    }
}

/// An inclusive range of addresses of one family (IPv4 addresses held in
/// the low 32 bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IpRange {
    pub family: Family,
    pub start: u128,
    pub end: u128,
}

impl IpRange {
    /// The whole address space of a family.
    #[must_use]
    pub fn all(family: Family) -> IpRange {
        IpRange {
            family,
            start: 0,
            end: family.last(),
        }
    }

    /// Whether `inner` lies inside `self`.
    #[must_use]
    pub fn covers(&self, inner: &IpRange) -> bool {
        self.family == inner.family && self.start <= inner.start && inner.end <= self.end
    }
}

impl std::fmt::Display for IpRange {
    /// `10.0.0.0-10.255.255.255`, `fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.family {
            Family::V4 => {
                let v4 = |a: u128| Ipv4Addr::from(u32::try_from(a).unwrap_or(u32::MAX));
                write!(f, "{}-{}", v4(self.start), v4(self.end))
            }
            Family::V6 => write!(
                f,
                "{}-{}",
                Ipv6Addr::from(self.start),
                Ipv6Addr::from(self.end)
            ),
        }
    }
}

/// A parsed CIDR: the address range it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr(pub IpRange);

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
    let (family, bits, width) = match addr {
        IpAddr::V4(v4) => (Family::V4, u128::from(u32::from(v4)), 32u32),
        IpAddr::V6(v6) => (Family::V6, u128::from(v6), 128u32),
    };
    let prefix: u32 = prefix
        .parse()
        .ok()
        .filter(|p| *p <= width && !prefix.starts_with('+'))
        .ok_or_else(|| {
            format!("`{text}` is not a CIDR: the prefix length must be a number from 0 to {width}")
        })?;
    // The host part: the low `width - prefix` bits.
    let host = match width - prefix {
        0 => 0,
        128 => u128::MAX,
        n => (1u128 << n) - 1,
    };
    let start = bits & !host & family.last();
    Ok(Cidr(IpRange {
        family,
        start,
        end: start | host,
    }))
}

impl Cidr {
    /// Whether `inner` lies inside `self` (same family).
    #[must_use]
    pub fn contains(&self, inner: &Cidr) -> bool {
        self.0.covers(&inner.0)
    }
}

/// `ranges` minus `holes`; the result is sorted and merged. Holes of the
/// other family take nothing away.
#[must_use]
pub fn subtract(ranges: &[IpRange], holes: &[IpRange]) -> Vec<IpRange> {
    let mut out = Vec::new();
    for &range in ranges {
        let mut pieces = vec![range];
        for hole in holes.iter().filter(|h| h.family == range.family) {
            pieces = pieces
                .into_iter()
                .flat_map(|piece| {
                    let mut keep = Vec::new();
                    if hole.end < piece.start || hole.start > piece.end {
                        keep.push(piece);
                    } else {
                        // `hole.start > piece.start` so `- 1` cannot wrap; likewise `+ 1`.
                        if hole.start > piece.start {
                            keep.push(IpRange {
                                end: hole.start - 1,
                                ..piece
                            });
                        }
                        if hole.end < piece.end {
                            keep.push(IpRange {
                                start: hole.end + 1,
                                ..piece
                            });
                        }
                    }
                    keep
                })
                .collect();
        }
        out.extend(pieces);
    }
    merge(out)
}

/// Sort and merge overlapping or adjacent ranges of the same family into the
/// fewest.
#[must_use]
pub fn merge(mut ranges: Vec<IpRange>) -> Vec<IpRange> {
    ranges.sort_unstable();
    let mut out: Vec<IpRange> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match out.last_mut() {
            Some(last)
                if last.family == range.family
                    && (last.end == u128::MAX || range.start <= last.end + 1) =>
            {
                last.end = last.end.max(range.end);
            }
            _ => out.push(range),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cidrs_like_the_api_server() {
        let v4 = |start, end| {
            Ok(Cidr(IpRange {
                family: Family::V4,
                start,
                end,
            }))
        };
        assert_eq!(parse_cidr("10.0.0.0/8"), v4(0x0A00_0000, 0x0AFF_FFFF));
        assert_eq!(parse_cidr("10.1.2.3/8"), v4(0x0A00_0000, 0x0AFF_FFFF));
        assert_eq!(parse_cidr("0.0.0.0/0"), v4(0, u128::from(u32::MAX)));
        assert_eq!(parse_cidr("10.1.2.3/32"), v4(0x0A01_0203, 0x0A01_0203));
        assert_eq!(parse_cidr("::/0"), Ok(Cidr(IpRange::all(Family::V6))));
        assert_eq!(
            parse_cidr("fd00::1/128").map(|c| (c.0.start, c.0.end)),
            Ok((0xfd00 << 112 | 1, 0xfd00 << 112 | 1))
        );
        assert!(parse_cidr("10.0.0.0").is_err());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("10.0.0/8").is_err());
        assert!(parse_cidr("fd00::/8").is_ok());
        assert!(parse_cidr("fd00::/129").is_err());
    }

    #[test]
    fn except_is_subtracted_into_fewest_ranges() {
        let range = |text| parse_cidr(text).unwrap().0;
        let left = subtract(&[range("0.0.0.0/0")], &[range("10.0.0.0/8")]);
        let text: Vec<String> = left.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["0.0.0.0-9.255.255.255", "11.0.0.0-255.255.255.255"]);
        // The top and bottom of the IPv6 space: no overflow at either end.
        let left = subtract(&[range("::/0")], &[range("::/1"), range("ffff::/16")]);
        let text: Vec<String> = left.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["8000::-fffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]);
        // A hole of the other family takes nothing away.
        assert_eq!(
            subtract(&[range("10.0.0.0/8")], &[range("fd00::/8")]),
            [range("10.0.0.0/8")]
        );
    }

    #[test]
    fn containment() {
        let outer = parse_cidr("10.0.0.0/8").unwrap();
        assert!(outer.contains(&parse_cidr("10.1.0.0/16").unwrap()));
        assert!(!outer.contains(&parse_cidr("11.0.0.0/16").unwrap()));
        let v6 = parse_cidr("fd00::/8").unwrap();
        assert!(v6.contains(&parse_cidr("fd12::/16").unwrap()));
        assert!(!v6.contains(&parse_cidr("fe00::/16").unwrap()));
        assert!(!outer.contains(&parse_cidr("::/0").unwrap()));
    }

    #[test]
    fn merge_keeps_families_apart_and_joins_adjacent_ranges() {
        let range = |text| parse_cidr(text).unwrap().0;
        let merged = merge(vec![
            range("::/1"),
            range("10.0.0.0/9"),
            range("8000::/1"),
            range("10.128.0.0/9"),
        ]);
        let text: Vec<String> = merged.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "10.0.0.0-10.255.255.255",
                "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
            ]
        );
    }
}
