//! PC9010 expose-protocol-casing.

use super::expose::{known_protocol, port_specs};
use super::Context;
use crate::rules::EXPOSE_PROTOCOL_CASING;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for spec in port_specs(ctx) {
        let Some(proto) = &spec.proto else {
            continue;
        };
        let name = spec.part(proto);
        if !known_protocol(name) || name == name.to_ascii_lowercase() {
            continue;
        }
        reports.push((
            spec.span(proto.clone()),
            format!(
                "write the protocol of `{}` in lower case: `{}/{}`",
                spec.text,
                &spec.text[..proto.start - 1],
                name.to_ascii_lowercase()
            ),
        ));
    }
    for (span, message) in reports {
        ctx.report(&EXPOSE_PROTOCOL_CASING, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::EXPOSE_PROTOCOL_CASING;

    #[test]
    fn upper_and_mixed_case_protocols_are_flagged() {
        assert_eq!(
            positions(&EXPOSE_PROTOCOL_CASING, "FROM a:1\nEXPOSE 80/TCP 53/Udp\n"),
            [(2, 11), (2, 18)]
        );
        let found = findings(&EXPOSE_PROTOCOL_CASING, "FROM a:1\nEXPOSE 80/TCP\n");
        assert!(found[0].message.contains("`80/tcp`"));
        assert_eq!(
            flagged(
                &EXPOSE_PROTOCOL_CASING,
                "FROM a:1\nONBUILD EXPOSE 8000-8010/SCTP\n"
            ),
            ["SCTP"]
        );
        assert_eq!(
            positions(
                &EXPOSE_PROTOCOL_CASING,
                "FROM a:1\nENV P=80/TCP\nEXPOSE $P\n"
            ),
            [(3, 8)]
        );
    }

    #[test]
    fn lower_case_missing_and_unknown_protocols_are_not_flagged() {
        for spec in ["80/tcp", "80", "53/udp", "80/DNS", "$P/TCP"] {
            let source = format!("FROM a:1\nEXPOSE {spec}\n");
            assert!(
                positions(&EXPOSE_PROTOCOL_CASING, &source).is_empty(),
                "{spec}"
            );
        }
    }
}
