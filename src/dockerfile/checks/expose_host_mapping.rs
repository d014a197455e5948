//! PC8021 expose-host-mapping.

use super::expose::port_specs;
use super::Context;
use crate::rules::EXPOSE_HOST_MAPPING;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for spec in port_specs(ctx) {
        let Some(first) = spec.ip.as_ref().or(spec.host.as_ref()) else {
            continue;
        };
        let what = if spec.ip.is_some() {
            "a host address and port"
        } else {
            "a host port"
        };
        // The address and host port, up to the `:` before the container port.
        let span = spec.span(first.start..spec.port.start - 1);
        reports.push((
            span,
            format!(
                "`{}` gives {what}, which EXPOSE cannot set: write `EXPOSE {}` and publish the port when running the container",
                spec.text,
                &spec.text[spec.port.start..]
            ),
        ));
    }
    for (span, message) in reports {
        ctx.report(&EXPOSE_HOST_MAPPING, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::EXPOSE_HOST_MAPPING;

    #[test]
    fn host_ports_and_addresses_are_flagged() {
        assert_eq!(
            flagged(
                &EXPOSE_HOST_MAPPING,
                "FROM a:1\nEXPOSE 8080:80 127.0.0.1:9000:90/udp\n"
            ),
            ["8080", "127.0.0.1:9000"]
        );
        assert_eq!(
            positions(
                &EXPOSE_HOST_MAPPING,
                "FROM a:1\nEXPOSE 80 \\\n  [::1]:80:80\n"
            ),
            [(3, 3)]
        );
        assert_eq!(
            positions(
                &EXPOSE_HOST_MAPPING,
                "FROM a:1\nARG MAP=8080:80\nEXPOSE $MAP\n"
            ),
            [(3, 8)]
        );
    }

    #[test]
    fn plain_ports_are_fine() {
        for spec in ["80", "80/tcp", "8000-9000/udp", "$UNKNOWN", ":80"] {
            let source = format!("FROM a:1\nEXPOSE {spec}\n");
            assert!(
                positions(&EXPOSE_HOST_MAPPING, &source).is_empty(),
                "{spec}"
            );
        }
    }
}
