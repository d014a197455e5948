//! PC6012 ssh-port-exposed.

use super::expose::{port_range, port_specs};
use super::Context;
use crate::rules::SSH_PORT_EXPOSED;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for spec in port_specs(ctx) {
        if spec.protocol() != "tcp" {
            continue;
        }
        let Ok((start, end)) = port_range(&spec.text, spec.port.clone()) else {
            continue;
        };
        if !(start..=end).contains(&22) {
            continue;
        }
        let message = if start == end {
            "EXPOSE declares port 22, the SSH port: reach the container with `docker exec` or `kubectl exec` instead of an SSH server".to_owned()
        } else {
            format!(
                "the range `{}` includes port 22, the SSH port: leave it out and reach the container with `docker exec` or `kubectl exec`",
                spec.part(&spec.port)
            )
        };
        reports.push((spec.span(spec.port.clone()), message));
    }
    for (span, message) in reports {
        ctx.report(&SSH_PORT_EXPOSED, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::SSH_PORT_EXPOSED;

    #[test]
    fn port_22_is_flagged_in_every_spelling() {
        assert_eq!(
            positions(&SSH_PORT_EXPOSED, "FROM a:1\nEXPOSE 80 22\n"),
            [(2, 11)]
        );
        assert_eq!(
            flagged(
                &SSH_PORT_EXPOSED,
                "FROM a:1\nEXPOSE 22/tcp 20-30 2222:22 22/TCP\n"
            ),
            ["22", "20-30", "22", "22"]
        );
        assert_eq!(
            positions(
                &SSH_PORT_EXPOSED,
                "FROM a:1\nENV SSH=22\nEXPOSE 8080 \\\n  $SSH\n"
            ),
            [(4, 3)]
        );
        assert_eq!(
            positions(&SSH_PORT_EXPOSED, "FROM a:1\nONBUILD EXPOSE 22\n"),
            [(2, 16)]
        );
    }

    #[test]
    fn other_ports_udp_and_unknown_values_are_fine() {
        for spec in ["2222", "22/udp", "23-30", "22:2222", "$SSH_PORT", "220"] {
            let source = format!("FROM a:1\nEXPOSE {spec}\n");
            assert!(positions(&SSH_PORT_EXPOSED, &source).is_empty(), "{spec}");
        }
    }
}
