//! PC8020 expose-port-invalid.

use std::net::IpAddr;

use super::expose::{known_protocol, port_range, port_specs, PortProblem, PortSpec};
use super::Context;
use crate::dockerfile::ast::Span;
use crate::rules::EXPOSE_PORT_INVALID;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String, &'static [&'static str])> = Vec::new();
    for spec in port_specs(ctx) {
        let text = spec.text.as_str();
        let container = port_range(text, spec.port.clone());
        if let Err(problem) = &container {
            let (range, message, aliases): (_, _, &'static [&'static str]) = match problem {
                PortProblem::OutOfRange(r) => (
                    r.clone(),
                    format!(
                        "port {} is above 65535, the highest port number: use a port from 1 to 65535",
                        subject(&spec, &text[r.clone()])
                    ),
                    &["DL3011", "DS-0008"],
                ),
                PortProblem::Reversed(r) => (
                    r.clone(),
                    format!(
                        "port range {} ends before it starts: write the lower port first",
                        subject(&spec, &text[r.clone()])
                    ),
                    &["DL3011", "DS-0008"],
                ),
                PortProblem::Malformed(_) => (
                    spec.port.clone(),
                    format!(
                        "{} is not a port number or a range: write a port such as `8080` or a range such as `8000-8010`",
                        subject(&spec, spec.part(&spec.port))
                    ),
                    &[],
                ),
            };
            reports.push((spec.span(range), message, aliases));
        }
        if let Some(proto) = &spec.proto {
            let name = spec.part(proto);
            if !known_protocol(name) {
                reports.push((
                    spec.span(proto.clone()),
                    format!(
                        "{} is not a protocol: use `tcp`, `udp` or `sctp`",
                        subject(&spec, name)
                    ),
                    &[],
                ));
            }
        }
        if let Some(ip) = &spec.ip {
            let address = spec.part(ip);
            let bare = address
                .strip_prefix('[')
                .and_then(|a| a.strip_suffix(']'))
                .unwrap_or(address);
            if bare.parse::<IpAddr>().is_err() {
                reports.push((
                    spec.span(ip.clone()),
                    format!(
                        "{} is not an IP address: write an IPv4 or IPv6 address",
                        subject(&spec, address)
                    ),
                    &[],
                ));
            }
        }
        if let Some(host) = &spec.host {
            match port_range(text, host.clone()) {
                Err(_) => reports.push((
                    spec.span(host.clone()),
                    format!(
                        "host port {} is not a port number or range from 0 to 65535: write a port such as `8080` or a range such as `8000-8010`",
                        subject(&spec, spec.part(host))
                    ),
                    &[],
                )),
                Ok((start, end)) => {
                    if let Ok((c_start, c_end)) = container {
                        // A host range is allowed for a single container port (the engine
                        // picks one), otherwise the sizes must match.
                        if c_start != c_end && end - start != c_end - c_start {
                            reports.push((
                                spec.span(host.start..spec.port.end),
                                format!(
                                    "host range `{}` and container range `{}` of `{text}` differ in size: give both ranges the same number of ports",
                                    spec.part(host),
                                    spec.part(&spec.port)
                                ),
                                &[],
                            ));
                        }
                    }
                }
            }
        }
    }
    for (span, message, aliases) in reports {
        ctx.report(&EXPOSE_PORT_INVALID, message, span).aliases = aliases.to_vec();
    }
}

/// `part` named within its spec, and the argument it came from when a variable produced it.
fn subject(spec: &PortSpec, part: &str) -> String {
    let mut subject = if part == spec.text {
        format!("`{part}`")
    } else {
        format!("`{part}` in `{}`", spec.text)
    };
    if spec.text != spec.arg.value {
        subject.push_str(&format!(" (from `{}`)", spec.arg.value));
    }
    subject
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::EXPOSE_PORT_INVALID;

    #[test]
    fn ports_above_65535_and_reversed_ranges_are_dl3011() {
        assert_eq!(
            positions(&EXPOSE_PORT_INVALID, "FROM a:1\nEXPOSE 80 65536/tcp\n"),
            [(2, 11)]
        );
        assert_eq!(
            flagged(&EXPOSE_PORT_INVALID, "FROM a:1\nEXPOSE 8000-70000\n"),
            ["70000"]
        );
        assert_eq!(
            flagged(&EXPOSE_PORT_INVALID, "FROM a:1\nEXPOSE 9000-8000/udp\n"),
            ["9000-8000"]
        );
        let found = findings(&EXPOSE_PORT_INVALID, "FROM a:1\nEXPOSE 99999\n");
        assert!(found[0].is_named_by("DL3011") && found[0].is_named_by("DS-0008"));
        assert_eq!(
            found[0].message,
            "port `99999` is above 65535, the highest port number: use a port from 1 to 65535"
        );
    }

    #[test]
    fn valid_ports_are_fine() {
        for spec in [
            "0",
            "65535",
            "80/tcp",
            "53/UDP",
            "8000-9000",
            "7/sctp",
            "80/",
        ] {
            let source = format!("FROM a:1\nEXPOSE {spec}\n");
            assert!(
                positions(&EXPOSE_PORT_INVALID, &source).is_empty(),
                "{spec}"
            );
        }
    }

    #[test]
    fn variables_are_resolved_or_skipped() {
        assert_eq!(
            positions(
                &EXPOSE_PORT_INVALID,
                "FROM a:1\nARG PORT=70000\nEXPOSE $PORT\n"
            ),
            [(3, 8)]
        );
        assert_eq!(
            flagged(
                &EXPOSE_PORT_INVALID,
                "FROM a:1\nENV PORTS=\"80 90000\"\nEXPOSE ${PORTS}\n"
            ),
            ["${PORTS}"]
        );
        assert!(positions(
            &EXPOSE_PORT_INVALID,
            "FROM a:1\nARG PORT=8080\nEXPOSE $PORT\n"
        )
        .is_empty());
        assert!(positions(&EXPOSE_PORT_INVALID, "FROM a:1\nEXPOSE $PORT\n").is_empty());
        assert!(positions(&EXPOSE_PORT_INVALID, "FROM a:1\nONBUILD EXPOSE $PORT\n").is_empty());
    }

    #[test]
    fn malformed_specs_are_reported_without_upstream_ids() {
        let source = "FROM a:1\nEXPOSE http 53/dns 1-2-3 abc:80 300.1.1.1:80:80 8000-8001:80-82\n";
        assert_eq!(
            flagged(&EXPOSE_PORT_INVALID, source),
            [
                "http",
                "dns",
                "1-2-3",
                "abc",
                "300.1.1.1",
                "8000-8001:80-82"
            ]
        );
        let found = findings(&EXPOSE_PORT_INVALID, source);
        assert!(found.iter().all(|f| f.effective_aliases().is_empty()));
        // A host range for a single container port is fine.
        assert!(positions(
            &EXPOSE_PORT_INVALID,
            "FROM a:1\nEXPOSE 8000-8010:80 [::1]:80:80\n"
        )
        .is_empty());
    }

    #[test]
    fn onbuild_and_continued_lines_point_at_the_port() {
        assert_eq!(
            positions(
                &EXPOSE_PORT_INVALID,
                "FROM a:1\nONBUILD EXPOSE 80 \\\n    123456\n"
            ),
            [(3, 5)]
        );
    }
}
