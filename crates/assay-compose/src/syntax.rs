//! The short syntaxes compose accepts for ports and volumes, parsed the way
//! Docker Compose parses them (compose-go `types.ParsePortConfig`, which uses
//! docker/go-connections `nat.ParsePortSpec`, and `format.ParseVolume`).

use std::net::IpAddr;

/// One published or exposed port, long syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSpec {
    pub host_ip: Option<String>,
    /// Host port or range (`8080`, `8000-8010`); `None` for a random port.
    pub published: Option<String>,
    pub target: u32,
    pub protocol: String,
}

/// Parse `[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]` into one entry per container port
/// (a range gives several).
pub fn parse_port(text: &str) -> Result<Vec<PortSpec>, String> {
    let (rest, protocol) = match text.rsplit_once('/') {
        Some((rest, proto)) if !proto.is_empty() => (rest, proto.to_ascii_lowercase()),
        Some(_) => return Err(format!("invalid port {text:?}: empty protocol")),
        None => (text, "tcp".to_owned()),
    };
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!(
            "invalid port {text:?}: unknown protocol {protocol:?}"
        ));
    }
    let parts: Vec<&str> = rest.split(':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => ("", "", *c),
        [h, c] => ("", *h, *c),
        [ip, h, c] => (*ip, *h, *c),
        [.., h, c] => (
            rest.get(..rest.len() - h.len() - c.len() - 2)
                .unwrap_or_default(),
            *h,
            *c,
        ),
        [] => return Err(format!("invalid port {text:?}")),
    };
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
        return Err(format!(
            "invalid port {text:?}: {ip:?} is not an IP address"
        ));
    }
    let (c_start, c_end) = port_range(container)
        .ok_or_else(|| format!("invalid port {text:?}: invalid container port {container:?}"))?;
    let host_range = if host.is_empty() {
        None
    } else {
        Some(
            port_range(host)
                .ok_or_else(|| format!("invalid port {text:?}: invalid host port {host:?}"))?,
        )
    };
    let count = c_end - c_start + 1;
    if let Some((h_start, h_end)) = host_range {
        let h_count = h_end - h_start + 1;
        if h_count != count && count != 1 {
            return Err(format!(
                "invalid port {text:?}: host and container port ranges differ in size"
            ));
        }
    }
    let mut out = Vec::new();
    for offset in 0..count {
        let published = match host_range {
            None => None,
            Some((h_start, h_end)) if count == 1 && h_end != h_start => {
                Some(format!("{h_start}-{h_end}"))
            }
            Some((h_start, _)) => Some((h_start + offset).to_string()),
        };
        out.push(PortSpec {
            host_ip: (!ip.is_empty()).then(|| ip.to_owned()),
            published,
            target: c_start + offset,
            protocol: protocol.clone(),
        });
    }
    Ok(out)
}

fn port_range(text: &str) -> Option<(u32, u32)> {
    let (start, end) = text.split_once('-').unwrap_or((text, text));
    let start: u32 = start.parse().ok()?;
    let end: u32 = end.parse().ok()?;
    (start <= end && end <= 65_535).then_some((start, end))
}

/// What a volume mounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeType {
    Bind,
    Volume,
    Tmpfs,
    Npipe,
    Image,
    Cluster,
}

impl VolumeType {
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "bind" => VolumeType::Bind,
            "volume" => VolumeType::Volume,
            "tmpfs" => VolumeType::Tmpfs,
            "npipe" => VolumeType::Npipe,
            "image" => VolumeType::Image,
            "cluster" => VolumeType::Cluster,
            _ => return None,
        })
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            VolumeType::Bind => "bind",
            VolumeType::Volume => "volume",
            VolumeType::Tmpfs => "tmpfs",
            VolumeType::Npipe => "npipe",
            VolumeType::Image => "image",
            VolumeType::Cluster => "cluster",
        }
    }
}

/// A service volume, long syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeSpec {
    pub kind: VolumeType,
    /// Host path or volume name; empty for an anonymous volume.
    pub source: String,
    pub target: String,
    pub read_only: bool,
    /// Options after the second colon other than `ro`/`rw` (`z`, `nocopy`, `rshared`).
    pub options: Vec<String>,
}

fn is_path(source: &str) -> bool {
    let mut chars = source.chars();
    match chars.next() {
        Some('.' | '/' | '~') => true,
        Some('\\') => source.starts_with("\\\\"),
        Some(first) => first.is_alphabetic() && chars.next() == Some(':'),
        None => false,
    }
}

/// Parse `[SOURCE:]TARGET[:MODE]` (compose-go `format.ParseVolume`: a single
/// letter before a colon is a Windows drive; unknown modes are ignored).
pub fn parse_volume(text: &str) -> Result<VolumeSpec, String> {
    if text.is_empty() {
        return Err("invalid empty volume specification".to_owned());
    }
    let mut fields: Vec<String> = Vec::new();
    let mut buffer = String::new();
    let mut substitution = 0usize;
    let mut chars = text.chars().peekable();
    loop {
        let c = chars.next();
        match c {
            Some('$') if chars.peek() == Some(&'{') => {
                substitution += 1;
                buffer.push('$');
            }
            Some('}') if substitution > 0 => {
                substitution -= 1;
                buffer.push('}');
            }
            Some(':') if buffer.chars().count() == 1 && buffer.chars().all(char::is_alphabetic) => {
                buffer.push(':');
            }
            Some(':') | None if substitution == 0 || c.is_none() => {
                if buffer.is_empty() {
                    return Err(format!(
                        "invalid volume specification {text:?}: empty section between colons"
                    ));
                }
                if fields.len() == 2 && c == Some(':') {
                    return Err(format!(
                        "invalid volume specification {text:?}: too many colons"
                    ));
                }
                fields.push(std::mem::take(&mut buffer));
                if c.is_none() {
                    break;
                }
            }
            Some(other) => buffer.push(other),
            None => break,
        }
    }
    let (source, target, mode) = match fields.as_slice() {
        [target] => (String::new(), target.clone(), String::new()),
        [source, target] => (source.clone(), target.clone(), String::new()),
        [source, target, mode] => (source.clone(), target.clone(), mode.clone()),
        _ => return Err(format!("invalid volume specification {text:?}")),
    };
    let mut read_only = false;
    let mut options = Vec::new();
    for option in mode.split(',').filter(|o| !o.is_empty()) {
        match option {
            "ro" => read_only = true,
            "rw" => read_only = false,
            other => options.push(other.to_owned()),
        }
    }
    let kind = if is_path(&source) {
        VolumeType::Bind
    } else {
        VolumeType::Volume
    };
    Ok(VolumeSpec {
        kind,
        source,
        target,
        read_only,
        options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        let p = parse_port("127.0.0.1:5432:5432").unwrap();
        assert_eq!(p[0].host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(
            (p[0].published.as_deref(), p[0].target),
            (Some("5432"), 5432)
        );
        let p = parse_port("8080:80/udp").unwrap();
        assert_eq!(
            (p[0].host_ip.as_deref(), p[0].protocol.as_str()),
            (None, "udp")
        );
        let p = parse_port("80").unwrap();
        assert_eq!((p[0].published.as_deref(), p[0].target), (None, 80));
        let p = parse_port("[::1]:53:53/udp").unwrap();
        assert_eq!(p[0].host_ip.as_deref(), Some("::1"));
        let p = parse_port("8000-8002:9000-9002").unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(
            (p[2].published.as_deref(), p[2].target),
            (Some("8002"), 9002)
        );
        let p = parse_port("8000-8010:80").unwrap();
        assert_eq!(p[0].published.as_deref(), Some("8000-8010"));
        assert!(parse_port("80:80:80:80").is_err());
        assert!(parse_port("70000").is_err());
        assert!(parse_port("80/icmp").is_err());
        assert!(parse_port("8000-8002:9000-9001").is_err());
    }

    #[test]
    fn volumes() {
        let v = parse_volume("/var/run/docker.sock:/var/run/docker.sock:ro").unwrap();
        assert_eq!((v.kind, v.read_only), (VolumeType::Bind, true));
        let v = parse_volume("db-data:/var/lib/postgresql/data").unwrap();
        assert_eq!((v.kind, v.source.as_str()), (VolumeType::Volume, "db-data"));
        let v = parse_volume("/data").unwrap();
        assert_eq!(
            (v.kind, v.source.as_str(), v.target.as_str()),
            (VolumeType::Volume, "", "/data")
        );
        let v = parse_volume(r"C:\data:/data:rw,z").unwrap();
        assert_eq!(
            (v.kind, v.source.as_str(), v.options.len()),
            (VolumeType::Bind, r"C:\data", 1)
        );
        assert!(parse_volume("vol:/b:ro:rw").is_err());
        assert!(parse_volume("vol::/b").is_err());
        let v = parse_volume("c:/data").unwrap();
        assert_eq!((v.kind, v.target.as_str()), (VolumeType::Volume, "c:/data"));
        let v = parse_volume("${DATA:-./data}:/data").unwrap();
        assert_eq!(v.source, "${DATA:-./data}");
    }
}
