//! The short syntaxes of Compose values that pack several fields in one string: volumes
//! (`SRC:DST[:MODE]`) and ports (`[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]`).
//!
//! Both are read the way Compose reads them (compose-go's `ParseVolume`, go-connections'
//! `ParsePortSpec`), so Windows drive letters and bracketed IPv6 addresses do not split a field.
//! Merging (volumes are keyed by their target) and the spec adapter share these parsers.

use std::net::IpAddr;

/// A volume in short syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortVolume<'a> {
    /// `None` for an anonymous volume (`/data` alone).
    pub source: Option<&'a str>,
    pub target: &'a str,
    /// `ro` in the mode (the last of `ro`/`rw` wins).
    pub read_only: bool,
    /// `shared`, `rshared`, `slave`, `rslave`, `private` or `rprivate` in the mode.
    pub propagation: Option<&'a str>,
}

impl ShortVolume<'_> {
    /// Whether the source is a path of the host (a bind mount) rather than a volume name.
    pub fn is_bind(&self) -> bool {
        self.source.is_some_and(is_host_path)
    }
}

const PROPAGATIONS: &[&str] = &[
    "rprivate", "private", "rshared", "shared", "rslave", "slave",
];

/// Reads `SRC:DST[:MODE]`, `DST` alone, with Windows drives (`C:\data:/data`) kept whole;
/// `None` for what Compose rejects (empty fields, too many colons).
pub fn parse_volume(spec: &str) -> Option<ShortVolume<'_>> {
    if spec.is_empty() {
        return None;
    }
    if spec.chars().count() <= 2 {
        return Some(ShortVolume {
            source: None,
            target: spec,
            read_only: false,
            propagation: None,
        });
    }
    let mut fields: Vec<&str> = Vec::with_capacity(3);
    let mut start = 0;
    for (i, c) in spec.char_indices() {
        // A colon right after a lone letter is a drive letter, not a separator.
        if c == ':' && !is_drive_letter(&spec[start..i]) {
            fields.push(&spec[start..i]);
            start = i + 1;
        }
    }
    fields.push(&spec[start..]);
    if fields.iter().any(|f| f.is_empty()) {
        return None;
    }
    let (source, target, mode) = match fields[..] {
        [target] => (None, target, None),
        [source, target] => (Some(source), target, None),
        [source, target, mode] => (Some(source), target, Some(mode)),
        _ => return None,
    };
    let mut volume = ShortVolume {
        source,
        target,
        read_only: false,
        propagation: None,
    };
    for option in mode.into_iter().flat_map(|m| m.split(',')) {
        match option {
            "ro" => volume.read_only = true,
            "rw" => volume.read_only = false,
            p if PROPAGATIONS.contains(&p) => volume.propagation = Some(p),
            _ => {}
        }
    }
    Some(volume)
}

fn is_drive_letter(buffer: &str) -> bool {
    let mut chars = buffer.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
}

/// A short-syntax source that names a host path: absolute, relative (`.`), home (`~`), a
/// Windows drive or a named pipe (`\\.\pipe\…`); anything else is a volume name.
pub fn is_host_path(source: &str) -> bool {
    if source.starts_with(['.', '/', '~']) || source.starts_with(r"\\") {
        return true;
    }
    let mut chars = source.chars();
    matches!((chars.next(), chars.next()), (Some(c), Some(':')) if c.is_alphabetic())
}

/// A port in short syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortPort<'a> {
    /// Without brackets; `None` when none is given (all interfaces).
    pub host_ip: Option<&'a str>,
    /// The host port or range (`8000-8010`); `None` when the engine picks one.
    pub host_ports: Option<(u32, u32)>,
    /// The container port or range as written (`80`, `8000-8010`).
    pub container: &'a str,
    /// `tcp` unless given.
    pub protocol: &'a str,
}

/// Reads `[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTO]` as go-connections does:
/// the last field is the container port, the one before it the host port, everything before
/// that the address (so `::1:8080:80` and `[::1]:8080:80` both bind `::1`). `None` for what
/// the engine rejects (bad address, bad port numbers).
pub fn parse_port(spec: &str) -> Option<ShortPort<'_>> {
    let (ip, host, container) = match spec.rmatch_indices(':').map(|(i, _)| i).collect::<Vec<_>>()[..]
    {
        [] => ("", "", spec),
        [last] => ("", &spec[..last], &spec[last + 1..]),
        [last, before, ..] => (&spec[..before], &spec[before + 1..last], &spec[last + 1..]),
    };
    let (container, protocol) = match container.split_once('/') {
        Some((port, proto)) if !proto.is_empty() => (port, proto),
        Some((port, _)) => (port, "tcp"),
        None => (container, "tcp"),
    };
    let ip = ip
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .unwrap_or(ip);
    if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
        return None;
    }
    let container_range = port_range(container)?;
    let host_ports = match host {
        "" => None,
        host => Some(port_range(host)?),
    };
    // A host range must match a container range, unless the container port is single (the
    // engine then picks a host port inside the range).
    if let Some((start, end)) = host_ports {
        let single = container_range.0 == container_range.1;
        if !single && end - start != container_range.1 - container_range.0 {
            return None;
        }
    }
    Some(ShortPort {
        host_ip: Some(ip).filter(|ip| !ip.is_empty()),
        host_ports,
        container,
        protocol,
    })
}

/// `80` or `8000-8010` as (start, end).
pub fn port_range(text: &str) -> Option<(u32, u32)> {
    let text = text.trim();
    let (start, end) = match text.split_once('-') {
        Some((start, end)) => (start.parse().ok()?, end.parse().ok()?),
        None => {
            let port = text.parse().ok()?;
            (port, port)
        }
    };
    (start <= end && end <= 65535).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(spec: &str) -> (Option<&str>, &str, bool, Option<&str>, bool) {
        let v = parse_volume(spec).unwrap_or_else(|| panic!("{spec} does not parse"));
        (v.source, v.target, v.read_only, v.propagation, v.is_bind())
    }

    #[test]
    fn short_volumes_split_like_compose() {
        assert_eq!(volume("/data"), (None, "/data", false, None, false));
        assert_eq!(
            volume("/etc:/host/etc:ro"),
            (Some("/etc"), "/host/etc", true, None, true)
        );
        assert_eq!(
            volume("./src:/app:ro,rshared"),
            (Some("./src"), "/app", true, Some("rshared"), true)
        );
        assert_eq!(
            volume("~/cache:/cache:ro,rw,z"),
            (Some("~/cache"), "/cache", false, None, true)
        );
        assert_eq!(
            volume("data:/data"),
            (Some("data"), "/data", false, None, false)
        );
        assert_eq!(
            volume(r"C:\Users\me:/home:ro"),
            (Some(r"C:\Users\me"), "/home", true, None, true)
        );
        assert_eq!(
            volume(r"\\.\pipe\docker_engine:\\.\pipe\docker_engine"),
            (
                Some(r"\\.\pipe\docker_engine"),
                r"\\.\pipe\docker_engine",
                false,
                None,
                true
            )
        );
        assert!(parse_volume("").is_none());
        assert!(parse_volume("/a::/b").is_none());
        assert!(parse_volume("/a:/b:ro:extra").is_none());
    }

    fn port(spec: &str) -> (Option<&str>, Option<(u32, u32)>, &str, &str) {
        let p = parse_port(spec).unwrap_or_else(|| panic!("{spec} does not parse"));
        (p.host_ip, p.host_ports, p.container, p.protocol)
    }

    #[test]
    fn short_ports_split_like_the_engine() {
        assert_eq!(port("80"), (None, None, "80", "tcp"));
        assert_eq!(port("8080:80"), (None, Some((8080, 8080)), "80", "tcp"));
        assert_eq!(port("53:53/udp"), (None, Some((53, 53)), "53", "udp"));
        assert_eq!(
            port("127.0.0.1:8080:80"),
            (Some("127.0.0.1"), Some((8080, 8080)), "80", "tcp")
        );
        assert_eq!(
            port("127.0.0.1::80"),
            (Some("127.0.0.1"), None, "80", "tcp")
        );
        assert_eq!(
            port("[::1]:8080:80"),
            (Some("::1"), Some((8080, 8080)), "80", "tcp")
        );
        assert_eq!(
            port("::1:443:443"),
            (Some("::1"), Some((443, 443)), "443", "tcp")
        );
        assert_eq!(
            port("8000-8010:8000-8010"),
            (None, Some((8000, 8010)), "8000-8010", "tcp")
        );
        assert_eq!(
            port("9000-9010:80"),
            (None, Some((9000, 9010)), "80", "tcp")
        );
        assert_eq!(port("0.0.0.0:80:80/tcp").0, Some("0.0.0.0"));
        assert!(parse_port("8000-8010:80-81").is_none());
        assert!(parse_port("localhost:80:80").is_none());
        assert!(parse_port("80:http").is_none());
        assert!(parse_port("70000:80").is_none());
    }
}
