//! The string formats the API server checks in custom resources
//! (`k8s.io/apiextensions-apiserver` `supportedFormats`, validated by
//! `k8s.io/kube-openapi/pkg/validation/strfmt`), and the Go types behind
//! formats of built-in fields (`byte` is `[]byte`, `date-time` is `metav1.Time`).

/// `base64.StdEncoding.DecodeString`: padded, `\r` and `\n` ignored.
pub(crate) fn is_base64(s: &str) -> bool {
    let bytes: Vec<u8> = s.bytes().filter(|&b| b != b'\r' && b != b'\n').collect();
    if bytes.len() & 3 != 0 {
        return false;
    }
    let data_len = bytes.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
    let pad = bytes.len() - data_len;
    pad <= 2
        && bytes
            .get(..data_len)
            .unwrap_or_default()
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `2006-01-02` (RFC 3339 `full-date`, a real calendar day).
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        s.get(0..4).and_then(digits),
        s.get(5..7).and_then(digits),
        s.get(8..10).and_then(digits),
    ) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `2014-12-15T19:30:20.000Z` (strfmt `IsDateTime`: a date, `T`, a time with
/// optional fraction, `Z` or an offset; case-insensitive).
pub(crate) fn is_date_time(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let mut parts = lower.split('t');
    let (Some(date), Some(time)) = (parts.next(), parts.next()) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let b = time.as_bytes();
    let two = |i: usize| {
        b.get(i..i + 2)
            .filter(|p| p.iter().all(u8::is_ascii_digit))
            .map(|p| u32::from(p[0] - b'0') * 10 + u32::from(p[1] - b'0'))
    };
    let (Some(h), Some(m), Some(sec)) = (two(0), two(3), two(6)) else {
        return false;
    };
    if b.get(2) != Some(&b':') || b.get(5) != Some(&b':') || h > 23 || m > 59 || sec > 59 {
        return false;
    }
    let mut rest = time.get(8..).unwrap_or_default();
    // `(.[0-9]+)?`: any one character, then digits.
    let mut chars = rest.chars();
    if let Some(c) = chars.next() {
        let after = chars.as_str();
        let n = after.bytes().take_while(u8::is_ascii_digit).count();
        if c != 'z' && c != '+' && c != '-' && n > 0 {
            rest = after.get(n..).unwrap_or_default();
        }
    }
    if rest == "z" {
        return true;
    }
    let o = rest.as_bytes();
    o.len() == 6
        && matches!(o.first(), Some(b'+' | b'-'))
        && o.get(3) == Some(&b':')
        && [1, 2, 4, 5]
            .iter()
            .all(|&i| o.get(i).is_some_and(u8::is_ascii_digit))
}

/// `uuid`, `uuid3`, `uuid4`, `uuid5`: 8-4-4-4-12 hex digits, each dash optional.
pub(crate) fn is_uuid(s: &str, version: Option<u8>) -> bool {
    let mut groups: Vec<&str> = Vec::with_capacity(5);
    let mut rest = s;
    for (i, len) in [8usize, 4, 4, 4, 12].into_iter().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix('-').unwrap_or(rest);
        }
        let Some(group) = rest.get(..len) else {
            return false;
        };
        if !group.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
        groups.push(group);
        rest = rest.get(len..).unwrap_or_default();
    }
    if !rest.is_empty() {
        return false;
    }
    let Some(v) = version else {
        return true;
    };
    let third = groups.get(2).and_then(|g| g.bytes().next());
    let fourth = groups
        .get(3)
        .and_then(|g| g.bytes().next())
        .map(|b| b.to_ascii_lowercase());
    third == Some(b'0' + v) && (v == 3 || matches!(fourth, Some(b'8' | b'9' | b'a' | b'b')))
}

/// `[a-zA-Z0-9\p{S}\p{L}]` (non-ASCII letters and symbols approximated).
fn host_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "$+<=>^`|~".contains(c)
    } else {
        !(c.is_whitespace() || c.is_control() || c.is_numeric())
    }
}

fn host_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

/// strfmt `IsHostname`: one label (`[C](-?[C]{0,62})?`), or labels ending in
/// dots followed by a top-level domain of 2-63 letters; at most 255 bytes,
/// labels at most 63 bytes.
pub(crate) fn is_hostname(s: &str) -> bool {
    if s.len() > 255 || s.split('.').any(|p| p.len() > 63) {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    let single = match chars.split_first() {
        Some((&first, rest)) if host_char(first) => {
            let rest = rest.strip_prefix(&['-']).unwrap_or(rest);
            rest.len() <= 62 && rest.iter().all(|&c| host_char(c))
        }
        _ => false,
    };
    if single {
        return true;
    }
    let Some(last_dot) = chars.iter().rposition(|&c| c == '.') else {
        return false;
    };
    let (labels, tld) = chars.split_at(last_dot);
    let tld = tld.get(1..).unwrap_or_default();
    if !(2..=63).contains(&tld.len()) || !tld.iter().all(|&c| host_letter(c)) {
        return false;
    }
    labels.split(|&c| c == '.').all(|label| {
        (1..=63).contains(&label.len())
            && label.first().copied().is_some_and(host_char)
            && label.last().copied().is_some_and(host_char)
            && label.iter().all(|&c| host_char(c) || c == '-')
    })
}

/// `net.ParseIP` as Kubernetes calls it (`ParseIPSloppy`: IPv4 octets may
/// have leading zeros).
fn parse_ip(s: &str) -> Option<u8> {
    if !s.contains(':') {
        let parts: Vec<&str> = s.split('.').collect();
        let ok = parts.len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 8 && digits(p).is_some_and(|n| n <= 255));
        return ok.then_some(4);
    }
    s.parse::<std::net::Ipv6Addr>().ok().map(|_| 6)
}

/// strfmt `IsIPv4`: an IP written with a dot.
pub(crate) fn is_ipv4(s: &str) -> bool {
    parse_ip(s).is_some() && s.contains('.')
}

/// strfmt `IsIPv6`: an IP written with a colon.
pub(crate) fn is_ipv6(s: &str) -> bool {
    parse_ip(s).is_some() && s.contains(':')
}

/// `net.ParseCIDR` (sloppy): an IP, `/`, a prefix length that fits it.
pub(crate) fn is_cidr(s: &str) -> bool {
    let Some((ip, prefix)) = s.split_once('/') else {
        return false;
    };
    let Some(family) = parse_ip(ip) else {
        return false;
    };
    let max = if family == 4 { 32 } else { 128 };
    prefix.len() <= 3 && digits(prefix).is_some_and(|n| n <= max)
}

/// `net.ParseMAC`: 6, 8 or 20 octets as `xx:xx:…`, `xx-xx-…` or `xxxx.xxxx.…`.
pub(crate) fn is_mac(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 14 {
        return false;
    }
    let (group, sep) = match (b.get(2), b.get(4)) {
        (Some(&c @ (b':' | b'-')), _) => (2, c),
        (_, Some(b'.')) => (4, b'.'),
        _ => return false,
    };
    if (b.len() + 1).checked_rem(group + 1) != Some(0) {
        return false;
    }
    let groups = (b.len() + 1) / (group + 1);
    let octets = groups * group / 2;
    if !matches!(octets, 6 | 8 | 20) {
        return false;
    }
    b.chunks(group + 1).all(|chunk| {
        chunk.iter().take(group).all(u8::is_ascii_hexdigit)
            && chunk.get(group).is_none_or(|&c| c == sep)
            && chunk.len() >= group
    })
}

/// Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?unit)+` or `0`.
fn is_go_duration(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    if s.is_empty() {
        return false;
    }
    let mut rest = s;
    while !rest.is_empty() {
        let int = rest.bytes().take_while(u8::is_ascii_digit).count();
        rest = rest.get(int..).unwrap_or_default();
        let mut frac = 0;
        if let Some(after) = rest.strip_prefix('.') {
            frac = after.bytes().take_while(u8::is_ascii_digit).count();
            rest = after.get(frac..).unwrap_or_default();
        }
        if int == 0 && frac == 0 {
            return false;
        }
        let unit_len = rest
            .char_indices()
            .find(|&(_, c)| c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        let unit = rest.get(..unit_len).unwrap_or_default();
        if !matches!(unit, "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h") {
            return false;
        }
        rest = rest.get(unit_len..).unwrap_or_default();
    }
    true
}

/// strfmt `IsDuration`: Go's `time.ParseDuration`, or any `<digits> <unit>`
/// in the text with a unit such as `s`, `sec`, `seconds`, `min`, `d`, `weeks`.
pub(crate) fn is_duration(s: &str) -> bool {
    if is_go_duration(s) {
        return true;
    }
    const UNITS: &[&[&str]] = &[
        &["ns", "nano"],
        &["us", "µs", "micro"],
        &["ms", "milli"],
        &["s", "sec"],
        &["m", "min"],
        &["h", "hr", "hour"],
        &["d", "day"],
        &["w", "wk", "week"],
    ];
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        if i - start > 18 {
            // strconv.Atoi fails: the whole parse fails.
            return false;
        }
        let mut j = i;
        while chars
            .get(j)
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'))
        {
            j += 1;
        }
        let unit_start = j;
        while chars
            .get(j)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == 'µ')
        {
            j += 1;
        }
        if j == unit_start {
            continue;
        }
        let unit: String = chars
            .get(unit_start..j)
            .unwrap_or_default()
            .iter()
            .collect::<String>()
            .to_lowercase();
        let known = UNITS.iter().any(|variants| {
            variants.iter().enumerate().any(|(k, v)| {
                unit.eq_ignore_ascii_case(v) || (k + 1 == variants.len() && unit.starts_with(v))
            })
        });
        if known {
            return true;
        }
        i = j;
    }
    false
}

/// `bsonobjectid`: 24 hex digits.
pub(crate) fn is_bson_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `hexcolor`: `^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`.
pub(crate) fn is_hex_color(s: &str) -> bool {
    let s = s.strip_prefix('#').unwrap_or(s);
    matches!(s.len(), 3 | 6) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        for ok in ["", "aGVsbG8=", "aGVsbA==", "aGVs", "aGVs\nbG8=", "a+/b"] {
            assert!(is_base64(ok), "{ok}");
        }
        for bad in [
            "aGVsbG8",
            "hello!",
            "aGVsbA===",
            "a===",
            "aG Vs",
            "====",
            "aG=s",
        ] {
            assert!(!is_base64(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        for ok in ["2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01",
            "2024-01-32",
            "2024-01-01x",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        for ok in [
            "2014-12-15T19:30:20.000Z",
            "2014-12-15t19:30:20z",
            "2014-12-15T19:30:20+01:00",
            "2014-12-15T23:59:59.123456-08:00",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "2014-12-15",
            "2014-12-15 19:30:20Z",
            "2014-12-15T24:00:00Z",
            "2014-12-15T19:30:20",
            "2014-12-15T19:30Z",
            "2014-12-15T19:30:20+0100",
            "2014-02-30T19:30:20Z",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000", None));
        assert!(is_uuid("123E4567E89B12D3A456426614174000", None));
        assert!(!is_uuid("123e4567-e89b-12d3-a456-42661417400", None));
        assert!(!is_uuid("123e4567-e89b-12d3-a456-42661417400g", None));
        assert!(is_uuid("9b2c4a1e-7f3d-4c8a-9e1f-2a3b4c5d6e7f", Some(4)));
        assert!(!is_uuid("9b2c4a1e-7f3d-4c8a-7e1f-2a3b4c5d6e7f", Some(4)));
        assert!(!is_uuid("9b2c4a1e-7f3d-3c8a-9e1f-2a3b4c5d6e7f", Some(4)));
        assert!(is_uuid("9b2c4a1e-7f3d-3c8a-0e1f-2a3b4c5d6e7f", Some(3)));
    }

    #[test]
    fn hostnames() {
        for ok in [
            "localhost",
            "example.com",
            "web.shop.svc.cluster.local",
            "a-b.example.org",
            "x",
            "m-yhost",
            "bücher.example",
        ] {
            assert!(is_hostname(ok), "{ok}");
        }
        // `my-host` is rejected by strfmt's pattern (a single label takes one
        // dash, right after its first character).
        for bad in [
            "",
            "10.0.0.1",
            "-a.com",
            "a-.com",
            "a..com",
            "example.c",
            "a_b.com",
            "example.com.",
            "my-host",
        ] {
            assert!(!is_hostname(bad), "{bad}");
        }
        assert!(!is_hostname(&format!("{}.com", "a".repeat(64))));
    }

    #[test]
    fn ips_and_cidrs() {
        assert!(is_ipv4("10.0.0.1"));
        assert!(is_ipv4("010.0.0.1"));
        assert!(is_ipv4("::ffff:10.0.0.1"));
        assert!(!is_ipv4("10.0.0"));
        assert!(!is_ipv4("10.0.0.256"));
        assert!(!is_ipv4("::1"));
        assert!(is_ipv6("::1"));
        assert!(is_ipv6("2001:db8::8a2e:370:7334"));
        assert!(!is_ipv6("10.0.0.1"));
        assert!(!is_ipv6("2001:db8::g"));
        assert!(is_cidr("10.0.0.0/8"));
        assert!(is_cidr("2001:db8::/32"));
        assert!(is_cidr("10.0.0.1/32"));
        assert!(!is_cidr("10.0.0.0/33"));
        assert!(!is_cidr("10.0.0.0"));
        assert!(!is_cidr("10.0.0.0/"));
        assert!(!is_cidr("2001:db8::/129"));
    }

    #[test]
    fn macs() {
        assert!(is_mac("00:1a:2B:3c:4d:5e"));
        assert!(is_mac("00-1a-2b-3c-4d-5e"));
        assert!(is_mac("001a.2b3c.4d5e"));
        assert!(is_mac("00:1a:2b:3c:4d:5e:6f:70"));
        assert!(!is_mac("00:1a:2b:3c:4d"));
        assert!(!is_mac("00:1a-2b:3c:4d:5e"));
        assert!(!is_mac("00:1a:2b:3c:4d:5g"));
        assert!(!is_mac("001a2b3c4d5e"));
    }

    #[test]
    fn durations() {
        for ok in [
            "0",
            "1h30m",
            "-1.5s",
            "300ms",
            "1µs",
            "1μs",
            "22 ns",
            "5 minutes",
            "3d",
            "2 weeks",
            "10 sec",
        ] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["", "1", "h", "1 fortnight", "1.5", "abc", "1y"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn others() {
        assert!(is_bson_object_id("507f1f77bcf86cd799439011"));
        assert!(!is_bson_object_id("507f1f77bcf86cd79943901"));
        assert!(is_hex_color("#fff"));
        assert!(is_hex_color("A0B1C2"));
        assert!(!is_hex_color("#ffff"));
    }
}
