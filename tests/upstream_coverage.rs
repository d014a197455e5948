//! Every Dockerfile check of hadolint 2.15, BuildKit's build checks, Trivy's DS checks and
//! Checkov's CKV/CKV2 Dockerfile checks answers to a Portcullis rule, by its upstream id, so
//! their configurations and pragmas keep working and nothing is lost by switching.

use portcullis::rules::lookup;

/// hadolint 2.15's DL rules (DL1000 is its parse error).
const HADOLINT: &[&str] = &[
    "DL1000", "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007",
    "DL3008", "DL3009", "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016",
    "DL3018", "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026",
    "DL3027", "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035", "DL3036",
    "DL3037", "DL3038", "DL3040", "DL3041", "DL3042", "DL3043", "DL3044", "DL3045", "DL3046",
    "DL3047", "DL3048", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055",
    "DL3056", "DL3057", "DL3058", "DL3059", "DL3060", "DL3061", "DL3062", "DL3063", "DL3064",
    "DL3065", "DL3066", "DL3067", "DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006",
];

/// Trivy's Dockerfile checks, DS-0001 to DS-0031 (DS-0003, DS-0018 and DS-0028 do not exist).
fn trivy() -> Vec<String> {
    (1..=31)
        .filter(|n| ![3, 18, 28].contains(n))
        .map(|n| format!("DS-{n:04}"))
        .collect()
}

/// Checkov's Dockerfile checks (CKV_DOCKER_1–11) and graph checks (CKV2_DOCKER_1–17).
fn checkov() -> Vec<String> {
    let checks = (1..=11).map(|n| format!("CKV_DOCKER_{n}"));
    checks
        .chain((1..=17).map(|n| format!("CKV2_DOCKER_{n}")))
        .collect()
}

fn missing<S: AsRef<str>>(ids: &[S]) -> Vec<String> {
    ids.iter()
        .map(AsRef::as_ref)
        .filter(|id| lookup(id).is_none())
        .map(str::to_owned)
        .collect()
}

#[test]
fn unknown_upstream_ids_are_missing() {
    // The negative twin of the coverage tests: `missing` does report what has no rule.
    let unknown = ["DL9999", "DS-9999", "CKV_DOCKER_999", "NoSuchBuildCheck"];
    assert_eq!(missing(&unknown), unknown);
}

#[test]
fn every_hadolint_rule_has_a_portcullis_rule() {
    assert_eq!(HADOLINT.len(), 72, "71 DL rules plus DL1000");
    assert!(missing(HADOLINT).is_empty(), "{:?}", missing(HADOLINT));
}

/// BuildKit's `docker build --check` rules: the list the `# check=` directive knows.
const BUILDKIT: &[&str] = portcullis::config::check_directive::BUILDKIT_CHECKS;

#[test]
fn every_buildkit_check_has_a_portcullis_rule() {
    assert_eq!(BUILDKIT.len(), 22);
    assert!(missing(BUILDKIT).is_empty(), "{:?}", missing(BUILDKIT));
}

#[test]
fn every_trivy_and_checkov_dockerfile_check_has_a_portcullis_rule() {
    assert_eq!(trivy().len(), 28);
    assert!(missing(&trivy()).is_empty(), "{:?}", missing(&trivy()));
    assert!(missing(&checkov()).is_empty(), "{:?}", missing(&checkov()));
}

#[test]
fn the_generated_reference_lists_every_alias() {
    let reference = portcullis::rules::catalogue_doc::reference_markdown();
    let upstream = HADOLINT.iter().chain(BUILDKIT).map(|id| (*id).to_owned());
    for id in upstream.chain(trivy()).chain(checkov()) {
        assert!(
            reference.contains(&id),
            "docs/rules.md does not mention {id}"
        );
    }
}
