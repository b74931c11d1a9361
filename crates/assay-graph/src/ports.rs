//! Connections as sets: per protocol, a sorted list of disjoint port ranges
//! (netpol-analyzer's `ConnectionSet`), so unions and intersections of
//! policy rules are exact.

use std::fmt;

/// The protocols a NetworkPolicy port can name, in output order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Sctp,
    Tcp,
    Udp,
}

impl Protocol {
    pub const ALL: [Protocol; 3] = [Protocol::Sctp, Protocol::Tcp, Protocol::Udp];

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "TCP" => Some(Protocol::Tcp),
            "UDP" => Some(Protocol::Udp),
            "SCTP" => Some(Protocol::Sctp),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    fn slot(self) -> usize {
        match self {
            Protocol::Sctp => 0,
            Protocol::Tcp => 1,
            Protocol::Udp => 2,
        }
    }
}

pub const MIN_PORT: u16 = 1;
pub const MAX_PORT: u16 = 65535;

/// Disjoint, sorted, non-adjacent inclusive port ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortSet(Vec<(u16, u16)>);

impl PortSet {
    #[must_use]
    pub fn all() -> Self {
        PortSet(vec![(MIN_PORT, MAX_PORT)])
    }

    /// `start..=end`, clamped to 1–65535; empty when `start > end`.
    #[must_use]
    pub fn range(start: u16, end: u16) -> Self {
        let start = start.max(MIN_PORT);
        if start > end {
            return PortSet::default();
        }
        PortSet(vec![(start, end)])
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[must_use]
    pub fn is_all(&self) -> bool {
        self.0 == [(MIN_PORT, MAX_PORT)]
    }

    #[must_use]
    pub fn contains(&self, port: u16) -> bool {
        self.0.iter().any(|(s, e)| *s <= port && port <= *e)
    }

    #[must_use]
    pub fn ranges(&self) -> &[(u16, u16)] {
        &self.0
    }

    pub fn union_with(&mut self, other: &PortSet) {
        if other.0.is_empty() || self.is_all() {
            return;
        }
        if self.0.is_empty() || other.is_all() {
            self.0.clone_from(&other.0);
            return;
        }
        let mut all: Vec<(u16, u16)> = self.0.iter().chain(&other.0).copied().collect();
        all.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::with_capacity(all.len());
        for (s, e) in all {
            match merged.last_mut() {
                Some(last) if u32::from(s) <= u32::from(last.1) + 1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        self.0 = merged;
    }

    #[must_use]
    pub fn intersect(&self, other: &PortSet) -> PortSet {
        if self.is_all() {
            return other.clone();
        }
        if other.is_all() {
            return self.clone();
        }
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while let (Some(a), Some(b)) = (self.0.get(i), other.0.get(j)) {
            let s = a.0.max(b.0);
            let e = a.1.min(b.1);
            if s <= e {
                out.push((s, e));
            }
            if a.1 < b.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        PortSet(out)
    }
}

impl fmt::Display for PortSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (s, e)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if s == e {
                write!(f, "{s}")?;
            } else {
                write!(f, "{s}-{e}")?;
            }
        }
        Ok(())
    }
}

/// Allowed traffic between two peers: a port set per protocol.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnSet([PortSet; 3]);

impl ConnSet {
    #[must_use]
    pub fn all() -> Self {
        ConnSet([PortSet::all(), PortSet::all(), PortSet::all()])
    }

    #[must_use]
    pub fn none() -> Self {
        ConnSet::default()
    }

    #[must_use]
    pub fn of(protocol: Protocol, ports: PortSet) -> Self {
        let mut c = ConnSet::default();
        if let Some(slot) = c.0.get_mut(protocol.slot()) {
            *slot = ports;
        }
        c
    }

    #[must_use]
    pub fn ports(&self, protocol: Protocol) -> &PortSet {
        // `slot()` is always 0..3, the array's length.
        &self.0[protocol.slot()]
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(PortSet::is_empty)
    }

    #[must_use]
    pub fn is_all(&self) -> bool {
        self.0.iter().all(PortSet::is_all)
    }

    #[must_use]
    pub fn allows(&self, protocol: Protocol, port: u16) -> bool {
        self.ports(protocol).contains(port)
    }

    pub fn union_with(&mut self, other: &ConnSet) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            a.union_with(b);
        }
    }

    #[must_use]
    pub fn intersect(&self, other: &ConnSet) -> ConnSet {
        let [a0, a1, a2] = &self.0;
        let [b0, b1, b2] = &other.0;
        ConnSet([a0.intersect(b0), a1.intersect(b1), a2.intersect(b2)])
    }
}

/// netpol-analyzer's connection string: `All Connections`, or protocols in
/// order with their ports (`TCP 80,443`, `TCP 53,UDP 53`); empty: `No Connections`.
impl fmt::Display for ConnSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("All Connections");
        }
        if self.is_empty() {
            return f.write_str("No Connections");
        }
        let mut first = true;
        for protocol in Protocol::ALL {
            let ports = self.ports(protocol);
            if ports.is_empty() {
                continue;
            }
            if !first {
                f.write_str(",")?;
            }
            first = false;
            write!(f, "{} {ports}", protocol.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_merges_adjacent_and_overlapping_ranges() {
        let mut p = PortSet::range(80, 80);
        p.union_with(&PortSet::range(81, 90));
        p.union_with(&PortSet::range(100, 200));
        p.union_with(&PortSet::range(150, 300));
        assert_eq!(p.to_string(), "80-90,100-300");
    }

    #[test]
    fn intersection_and_display() {
        let a = ConnSet::of(Protocol::Tcp, PortSet::range(1, 100));
        let mut b = ConnSet::of(Protocol::Tcp, PortSet::range(80, 80));
        b.union_with(&ConnSet::of(Protocol::Udp, PortSet::range(53, 53)));
        assert_eq!(a.intersect(&b).to_string(), "TCP 80");
        assert_eq!(b.to_string(), "TCP 80,UDP 53");
        assert_eq!(ConnSet::all().to_string(), "All Connections");
        let mut all_tcp = ConnSet::of(Protocol::Tcp, PortSet::all());
        assert_eq!(all_tcp.to_string(), "TCP 1-65535");
        all_tcp.union_with(&ConnSet::of(Protocol::Sctp, PortSet::range(9003, 9003)));
        assert_eq!(all_tcp.to_string(), "SCTP 9003,TCP 1-65535");
        assert!(ConnSet::all().intersect(&ConnSet::none()).is_empty());
    }

    #[test]
    fn range_with_start_after_end_is_empty() {
        assert!(PortSet::range(90, 80).is_empty());
        assert_eq!(PortSet::range(0, 5).to_string(), "1-5");
    }
}
