//! `open_registry` against a real CNCF distribution registry (Debian `docker-registry`) on
//! 127.0.0.1: anonymous, basic and bearer-token auth (the shared `token_server.py`), Docker
//! config credentials and credential helpers, OCI and Docker manifests, image indexes and
//! platforms, 404s, retries (through a small fault-injecting proxy, since a registry cannot be
//! made to answer 503), resumed blob downloads, and blobs corrupted in the registry's storage.
//!
//! Each test starts its own registry in a temporary directory and pushes hand-made OCI
//! layouts into it with `skopeo copy`. Needs: docker-registry, skopeo, apache2-utils
//! (htpasswd), openssl, gzip, python3 with pyjwt + cryptography, and the shared test bed
//! (`PORTCULLIS_SHARED_DIR`, default `../shared`). Missing tools skip the test, or fail it
//! under `CI=true`.

#[path = "common/image_services.rs"]
mod services;

use std::io::Read;
use std::path::Path;
use std::sync::Once;
use std::time::{Duration, Instant};

use portcullis::image::source::digest::Mismatch;
use portcullis::image::source::manifest::media_types;
use portcullis::image::source::registry::{
    open_registry, Credentials, RegistryOptions, RetryPolicy,
};
use portcullis::image::source::{OpenedImage, Platform};
use portcullis::image::ImageError;
use portcullis::reference::Reference;
use rayon::prelude::*;
use services::{file, noise, push, FaultProxy, LayerSpec, Registry, RegistryAuth, TokenServer};

const USER: &str = "tester";
const PASSWORD: &str = "s3cret-pass";

/// Every test needs the registry and skopeo; `false` means skip.
/// Every test calls it first, so the PATH change below happens before any test runs.
fn tools() -> bool {
    install_test_credential_helper();
    services::require("docker-registry", "Debian docker-registry").is_some()
        && services::require("skopeo", "Debian skopeo").is_some()
        && services::require("gzip", "Debian gzip").is_some()
}

/// Two layers: a gzip one with small files and an uncompressed one with 3 MiB of noise, so
/// blobs stream over many chunks.
fn layers(seed: u64) -> Vec<LayerSpec> {
    vec![
        LayerSpec {
            files: vec![
                file("etc/os-release", "ID=portcullis-test\n"),
                file("etc/seed", seed.to_string()),
            ],
            gzip: true,
        },
        LayerSpec {
            files: vec![file("opt/blob.bin", noise(3 << 20, seed))],
            gzip: false,
        },
    ]
}

fn options(registry: &str) -> RegistryOptions {
    RegistryOptions {
        insecure_registries: vec![registry.to_owned()],
        // An empty config dir: the host's ~/.docker must not leak into the tests.
        docker_config_dir: Some(empty_config_dir().to_path_buf()),
        retry: RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(500),
            max_total: Duration::from_secs(30),
        },
        ..RegistryOptions::default()
    }
}

fn empty_config_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("image-registry-empty-docker-config");
        std::fs::create_dir_all(&dir).expect("empty docker config dir");
        let _ = std::fs::remove_file(dir.join("config.json"));
        dir
    })
}

fn reference(text: &str) -> Reference {
    Reference::parse(text).unwrap_or_else(|| panic!("`{text}` parses"))
}

/// Reads every layer, in parallel from rayon threads, through the verifying stream.
fn read_layers(image: &OpenedImage) -> Vec<Vec<u8>> {
    (0..image.layers.len())
        .into_par_iter()
        .map(|i| {
            let mut reader = image.reader.open(i).expect("open a layer");
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .expect("read a layer to its end");
            bytes
        })
        .collect()
}

fn assert_same_image(opened: &OpenedImage, built: &services::BuiltImage) {
    assert_eq!(
        opened.manifest_digest.as_deref(),
        Some(built.manifest_digest.as_str())
    );
    assert_eq!(opened.config, built.config);
    assert_eq!(
        opened.config_digest.as_deref(),
        Some(built.config_digest.as_str())
    );
    let digests: Vec<&str> = opened.layers.iter().map(|l| l.digest.as_str()).collect();
    let expected: Vec<&str> = built.layers.iter().map(|l| l.digest.as_str()).collect();
    assert_eq!(digests, expected);
    for (layer, want) in opened.layers.iter().zip(&built.layers) {
        assert_eq!(layer.size, want.blob.len() as u64);
        assert_eq!(layer.media_type, want.media_type);
    }
    let blobs = read_layers(opened);
    for (got, want) in blobs.iter().zip(&built.layers) {
        assert!(got == &want.blob, "layer {} differs", want.digest);
    }
}

/// A registry without auth holding `app:v1`, a one-platform image made from `layers(seed)`;
/// `None` (skipped, or failed under CI) when the tools are missing.
fn pushed_image(seed: u64) -> Option<(Registry, tempfile::TempDir, services::BuiltImage)> {
    if !tools() {
        return None;
    }
    let registry = Registry::start(RegistryAuth::None)?;
    let layout = tempfile::tempdir().unwrap();
    let built = services::oci_layout(layout.path(), "v1", "amd64", &layers(seed));
    push(
        layout.path(),
        "v1",
        &format!("{}/app:v1", registry.host()),
        None,
        &[],
    );
    Some((registry, layout, built))
}

#[test]
fn anonymous_pull_of_oci_and_docker_manifests() {
    if !tools() {
        return;
    }
    let Some(registry) = Registry::start(RegistryAuth::None) else {
        return;
    };
    let layout = tempfile::tempdir().unwrap();
    let built = services::oci_layout(layout.path(), "v1", "amd64", &layers(1));
    push(
        layout.path(),
        "v1",
        &format!("{}/team/app:v1", registry.host()),
        None,
        &[],
    );

    let opts = options(&registry.host());
    let opened = open_registry(
        &reference(&format!("{}/team/app:v1", registry.host())),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_same_image(&opened, &built);
    assert_eq!(opened.reference, format!("{}/team/app:v1", registry.host()));

    // By digest (tag and digest: the digest wins), the same image.
    let by_digest = format!(
        "{}/team/app:ignored@{}",
        registry.host(),
        built.manifest_digest
    );
    let opened = open_registry(&reference(&by_digest), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        opened.manifest_digest.as_deref(),
        Some(built.manifest_digest.as_str())
    );

    // Docker schema 2 (skopeo converts the manifest; blobs stay as they were pushed or are
    // recompressed): check against what the registry serves to an independent client.
    push(
        layout.path(),
        "v1",
        &format!("{}/team/docker:v2s2", registry.host()),
        None,
        &["--format", "v2s2"],
    );
    let raw = services::raw_manifest(&format!("{}/team/docker:v2s2", registry.host()), None);
    let served: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(served["mediaType"], media_types::DOCKER_MANIFEST);
    let opened = open_registry(
        &reference(&format!("{}/team/docker:v2s2", registry.host())),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        opened.manifest_digest.as_deref(),
        Some(portcullis::image::source::digest::sha256_digest(&raw).as_str())
    );
    assert_eq!(opened.config, built.config);
    for (layer, served) in opened
        .layers
        .iter()
        .zip(served["layers"].as_array().unwrap())
    {
        assert_eq!(layer.digest, served["digest"].as_str().unwrap());
        assert!(layer
            .media_type
            .starts_with("application/vnd.docker.image.rootfs"));
    }
    // Every layer verifies against its digest while streaming.
    assert_eq!(read_layers(&opened).len(), 2);
}

#[test]
fn missing_tags_and_repositories_are_not_found() {
    if !tools() {
        return;
    }
    let Some(registry) = Registry::start(RegistryAuth::None) else {
        return;
    };
    let layout = tempfile::tempdir().unwrap();
    services::oci_layout(layout.path(), "v1", "amd64", &layers(2));
    push(
        layout.path(),
        "v1",
        &format!("{}/app:v1", registry.host()),
        None,
        &[],
    );
    let opts = options(&registry.host());

    let err =
        open_registry(&reference(&format!("{}/app:nope", registry.host())), &opts).unwrap_err();
    assert!(matches!(err, ImageError::NotFound { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("`nope`") && text.contains("MANIFEST_UNKNOWN"),
        "{text}"
    );

    let err = open_registry(
        &reference(&format!("{}/absent/repo:v1", registry.host())),
        &opts,
    )
    .unwrap_err();
    assert!(matches!(err, ImageError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("repository absent/repo"), "{err}");

    // A tag that is not a valid tag never reaches the registry.
    let err = open_registry(
        &reference(&format!("{}/app:bad?tag", registry.host())),
        &opts,
    )
    .unwrap_err();
    assert!(matches!(err, ImageError::BadReference { .. }), "{err}");
}

#[test]
fn basic_auth_from_options_config_and_helper() {
    if !tools() {
        return;
    }
    let Some(registry) = Registry::start(RegistryAuth::Basic {
        user: USER,
        password: PASSWORD,
    }) else {
        return;
    };
    let layout = tempfile::tempdir().unwrap();
    let built = services::oci_layout(layout.path(), "v1", "amd64", &layers(3));
    let creds = format!("{USER}:{PASSWORD}");
    let image = format!("{}/private/app:v1", registry.host());
    push(layout.path(), "v1", &image, Some(&creds), &[]);

    // --username/--password-stdin.
    let mut opts = options(&registry.host());
    opts.credentials = Some(Credentials::new(USER, PASSWORD));
    let opened = open_registry(&reference(&image), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_same_image(&opened, &built);

    // No credentials at all.
    let err = open_registry(&reference(&image), &options(&registry.host())).unwrap_err();
    assert!(matches!(err, ImageError::Auth { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("requires a user name and password"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains(&format!("docker login {}", registry.host())),
        "{err}"
    );

    // A wrong password.
    let mut opts = options(&registry.host());
    opts.credentials = Some(Credentials::new(USER, "wrong"));
    let err = open_registry(&reference(&image), &opts).unwrap_err();
    assert!(matches!(err, ImageError::Auth { .. }), "{err}");
    assert!(
        err.to_string().contains("refused the password of `tester`"),
        "{err}"
    );
    assert!(
        err.to_string().contains("--username/--password-stdin"),
        "{err}"
    );

    // config.json `auths` with base64 `user:password`, keyed by URL.
    let config = tempfile::tempdir().unwrap();
    let auth = base64_encode(&creds);
    std::fs::write(
        config.path().join("config.json"),
        format!(
            r#"{{"auths":{{"http://{}/v2/":{{"auth":"{auth}"}}}}}}"#,
            registry.host()
        ),
    )
    .unwrap();
    let mut opts = options(&registry.host());
    opts.docker_config_dir = Some(config.path().to_path_buf());
    let opened = open_registry(&reference(&image), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened.config, built.config);

    // credHelpers → docker-credential-portcullis-test, which answers for this registry.
    let helper_config = tempfile::tempdir().unwrap();
    std::fs::write(
        helper_config.path().join("config.json"),
        format!(
            r#"{{"credHelpers":{{"{}":"portcullis-test"}}}}"#,
            registry.host()
        ),
    )
    .unwrap();
    let mut opts = options(&registry.host());
    opts.docker_config_dir = Some(helper_config.path().to_path_buf());
    let opened = open_registry(&reference(&image), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened.config, built.config);

    // credsStore with a helper that does not know this registry: anonymous, and the error
    // says what the helper answered.
    std::fs::write(
        helper_config.path().join("config.json"),
        r#"{"credsStore":"portcullis-test-empty"}"#,
    )
    .unwrap();
    let err = open_registry(&reference(&image), &opts).unwrap_err();
    assert!(matches!(err, ImageError::Auth { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("docker-credential-portcullis-test-empty"),
        "{err}"
    );
}

fn base64_encode(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Puts `docker-credential-portcullis-test` (knows USER/PASSWORD for every server) and
/// `docker-credential-portcullis-test-empty` (knows nothing) on PATH, once per test binary.
/// Every test calls this before it starts any thread or process that reads the environment.
fn install_test_credential_helper() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("image-registry-credential-helpers");
        std::fs::create_dir_all(&dir).expect("helper dir");
        let write = |name: &str, body: String| {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.join(name);
            std::fs::write(&path, body).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        write(
            "docker-credential-portcullis-test",
            format!(
                "#!/bin/sh\n[ \"$1\" = get ] || exit 1\nread -r server\nprintf '{{\"ServerURL\":\"%s\",\"Username\":\"{USER}\",\"Secret\":\"{PASSWORD}\"}}\\n' \"$server\"\n"
            ),
        );
        write(
            "docker-credential-portcullis-test-empty",
            "#!/bin/sh\necho 'credentials not found in native keychain'\nexit 1\n".into(),
        );
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths: Vec<_> = std::env::split_paths(&path).collect();
        paths.insert(0, dir.clone());
        // Done once, by the first test to get here, while the others wait on the Once.
        std::env::set_var("PATH", std::env::join_paths(paths).unwrap());
    });
}

#[test]
fn bearer_token_auth_with_the_token_server() {
    if !tools() {
        return;
    }
    let Some(tokens) = TokenServer::start(USER, PASSWORD) else {
        return;
    };
    let Some(registry) = Registry::start(RegistryAuth::Token {
        realm_port: tokens.port,
        cert: &tokens.cert,
    }) else {
        return;
    };
    let layout = tempfile::tempdir().unwrap();
    let built = services::oci_layout(layout.path(), "v1", "amd64", &layers(4));
    let image = format!("{}/deb:v1", registry.host());
    push(
        layout.path(),
        "v1",
        &image,
        Some(&format!("{USER}:{PASSWORD}")),
        &[],
    );

    let mut opts = options(&registry.host());
    opts.credentials = Some(Credentials::new(USER, PASSWORD));
    let before = tokens.token_requests();
    let opened = open_registry(&reference(&image), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_same_image(&opened, &built);
    // Manifest, config and both layers (read in parallel) with one token, cached per scope.
    assert_eq!(tokens.token_requests() - before, 1);

    // Anonymous: the token server hands out a token with no access; the registry refuses it.
    let err = open_registry(&reference(&image), &options(&registry.host())).unwrap_err();
    assert!(matches!(err, ImageError::Auth { .. }), "{err}");
    assert!(
        err.to_string().contains("refused anonymous access"),
        "{err}"
    );

    // A wrong password: the token service refuses it.
    let mut opts = options(&registry.host());
    opts.credentials = Some(Credentials::new(USER, "wrong"));
    let err = open_registry(&reference(&image), &opts).unwrap_err();
    assert!(matches!(err, ImageError::Auth { .. }), "{err}");
    assert!(err.to_string().contains("token service"), "{err}");
    assert!(err.to_string().contains(&format!("`{USER}`")), "{err}");
}

#[test]
fn tokens_the_registry_does_not_trust_are_an_auth_error() {
    if !tools() {
        return;
    }
    // Two token servers with different keys: the registry trusts only the first one's
    // certificate but sends clients to the second, whose tokens are therefore invalid.
    let Some(trusted) = TokenServer::start(USER, PASSWORD) else {
        return;
    };
    let Some(rogue) = TokenServer::start(USER, PASSWORD) else {
        return;
    };
    let Some(registry) = Registry::start(RegistryAuth::Token {
        realm_port: rogue.port,
        cert: &trusted.cert,
    }) else {
        return;
    };
    let mut opts = options(&registry.host());
    opts.credentials = Some(Credentials::new(USER, PASSWORD));
    let err = open_registry(&reference(&format!("{}/deb:v1", registry.host())), &opts).unwrap_err();
    assert!(matches!(err, ImageError::Auth { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("refused the token issued by"), "{text}");
    assert!(text.contains("invalid or expired"), "{text}");
    assert!(text.contains(&registry.host()), "{text}");
}

#[test]
fn platforms_are_selected_from_an_index() {
    if !tools() {
        return;
    }
    let Some(registry) = Registry::start(RegistryAuth::None) else {
        return;
    };
    let layout = tempfile::tempdir().unwrap();
    let (index_digest, images) =
        services::oci_index_layout(layout.path(), "multi", &["amd64", "arm64"], || layers(5));
    let image = format!("{}/multi:v1", registry.host());
    push(layout.path(), "multi", &image, None, &["--all"]);
    let opts = options(&registry.host());

    let mut arm = opts.clone();
    arm.platform = Some(Platform::parse("linux/arm64/v8").unwrap());
    let opened = open_registry(&reference(&image), &arm).unwrap_or_else(|e| panic!("{e}"));
    assert_same_image(&opened, &images[1]);
    let config: serde_json::Value = serde_json::from_slice(&opened.config).unwrap();
    assert_eq!(config["architecture"], "arm64");

    let mut amd = opts.clone();
    amd.platform = Some(Platform::linux_amd64());
    let opened = open_registry(&reference(&image), &amd).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        opened.manifest_digest.as_deref(),
        Some(images[0].manifest_digest.as_str())
    );

    // The index itself, pinned by digest, resolves the same way.
    let pinned = format!("{}/multi@{index_digest}", registry.host());
    let opened = open_registry(&reference(&pinned), &arm).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        opened.manifest_digest.as_deref(),
        Some(images[1].manifest_digest.as_str())
    );

    let mut s390 = opts.clone();
    s390.platform = Some(Platform::parse("linux/s390x").unwrap());
    let err = open_registry(&reference(&image), &s390).unwrap_err();
    match &err {
        ImageError::Platform {
            platform,
            available,
            ..
        } => {
            assert_eq!(platform, "linux/s390x");
            assert_eq!(available, "linux/amd64, linux/arm64");
        }
        other => panic!("expected a platform error, got {other}"),
    }

    // A single-platform image asked for with another platform.
    let single = tempfile::tempdir().unwrap();
    services::oci_layout(single.path(), "one", "amd64", &layers(6));
    push(
        single.path(),
        "one",
        &format!("{}/single:v1", registry.host()),
        None,
        &[],
    );
    let err =
        open_registry(&reference(&format!("{}/single:v1", registry.host())), &arm).unwrap_err();
    assert!(matches!(err, ImageError::Platform { .. }), "{err}");
}

#[test]
fn retries_honour_retry_after_then_give_up_within_bounds() {
    let Some((registry, _layout, built)) = pushed_image(7) else {
        return;
    };

    // 429 with an HTTP date one second ahead, then 503 with `Retry-After: 1`, then through.
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let proxy = FaultProxy::start(
        registry.port,
        vec![
            services::Fault::Status {
                code: 429,
                retry_after: Some(date),
            },
            services::Fault::Status {
                code: 503,
                retry_after: Some("1".into()),
            },
        ],
    );
    let mut opts = options(&proxy.host());
    opts.retry.max_attempts = 3;
    let started = Instant::now();
    let opened = open_registry(&reference(&format!("{}/app:v1", proxy.host())), &opts)
        .unwrap_or_else(|e| panic!("{e}"));
    let elapsed = started.elapsed();
    assert_same_image(&opened, &built);
    assert_eq!(proxy.injected.load(std::sync::atomic::Ordering::SeqCst), 2);
    // The first three requests were the same manifest GET.
    let requests = proxy.requests();
    assert!(
        requests[..3].iter().all(|r| r.contains("/manifests/v1")),
        "{requests:?}"
    );
    assert!(
        elapsed >= Duration::from_secs(2),
        "Retry-After was not honoured: {elapsed:?}"
    );
    drop(proxy);

    // Always 503: bounded attempts, then a Remote error that says so.
    let proxy = FaultProxy::start(
        registry.port,
        (0..10)
            .map(|_| services::Fault::Status {
                code: 503,
                retry_after: None,
            })
            .collect(),
    );
    let mut opts = options(&proxy.host());
    opts.retry.max_attempts = 3;
    let err = open_registry(&reference(&format!("{}/app:v1", proxy.host())), &opts).unwrap_err();
    assert!(matches!(err, ImageError::Remote { .. }), "{err}");
    assert!(
        err.to_string().contains("gave up after 3 attempts"),
        "{err}"
    );
    assert!(err.to_string().contains("503"), "{err}");
    assert_eq!(proxy.injected.load(std::sync::atomic::Ordering::SeqCst), 3);
    drop(proxy);

    // A Retry-After beyond the total budget fails at once instead of sleeping an hour.
    let proxy = FaultProxy::start(
        registry.port,
        vec![services::Fault::Status {
            code: 429,
            retry_after: Some("3600".into()),
        }],
    );
    let started = Instant::now();
    let err = open_registry(
        &reference(&format!("{}/app:v1", proxy.host())),
        &options(&proxy.host()),
    )
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(err.to_string().contains("retry budget"), "{err}");
    assert!(err.to_string().contains("3600 s"), "{err}");
}

#[test]
fn a_blob_download_that_breaks_off_is_resumed() {
    let Some((registry, _layout, built)) = pushed_image(8) else {
        return;
    };
    // The config blob is read whole first; the next blob request (a layer) is cut after 1 MiB.
    let proxy = FaultProxy::start(
        registry.port,
        vec![
            services::Fault::TruncateBlob { bytes: usize::MAX },
            services::Fault::TruncateBlob { bytes: 1 << 20 },
        ],
    );
    let opened = open_registry(
        &reference(&format!("{}/app:v1", proxy.host())),
        &options(&proxy.host()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let big = &built.layers[1];
    let mut reader = opened.reader.open(1).expect("open the big layer");
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("resumed read: {e}"));
    assert!(bytes == big.blob, "the resumed blob is the blob");
    let requests = proxy.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.contains(&big.digest) && r.contains("[range: bytes=1048576-]")),
        "no Range request: {requests:?}"
    );
}

#[test]
fn corrupt_blobs_are_digest_mismatches() {
    if !tools() {
        return;
    }
    let Some(registry) = Registry::start(RegistryAuth::None) else {
        return;
    };
    let layout = tempfile::tempdir().unwrap();
    let built = services::oci_layout(layout.path(), "v1", "amd64", &layers(9));
    let image = format!("{}/app:v1", registry.host());
    push(layout.path(), "v1", &image, None, &[]);
    let opts = options(&registry.host());

    // Flip bytes of a layer blob in the registry's storage (same size).
    let layer = &built.layers[1];
    let path = registry.blob_path(&layer.digest);
    let mut data = std::fs::read(&path).unwrap();
    for b in &mut data[1000..1010] {
        *b ^= 0xff;
    }
    std::fs::write(&path, &data).unwrap();
    let opened = open_registry(&reference(&image), &opts).unwrap_or_else(|e| panic!("{e}"));
    let mut reader = opened.reader.open(1).expect("the download starts");
    let error = reader.read_to_end(&mut Vec::new()).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    let mismatch = Mismatch::from_io(&error).expect("a digest mismatch");
    assert_eq!(mismatch.expected, layer.digest);
    // The untouched layer still reads.
    let mut fine = Vec::new();
    opened
        .reader
        .open(0)
        .unwrap()
        .read_to_end(&mut fine)
        .unwrap();
    assert!(fine == built.layers[0].blob);

    // A corrupt config fails the open itself.
    let path = registry.blob_path(&built.config_digest);
    let mut data = std::fs::read(&path).unwrap();
    data[0] = b' ';
    std::fs::write(&path, &data).unwrap();
    let err = open_registry(&reference(&image), &opts).unwrap_err();
    match &err {
        ImageError::DigestMismatch { expected, .. } => assert_eq!(expected, &built.config_digest),
        other => panic!("expected a digest mismatch, got {other}"),
    }
}

#[test]
fn unreachable_and_plain_http_registries_explain_themselves() {
    if !tools() {
        return;
    }
    // Nothing listens: a Remote error after bounded retries, with the insecure hint for a
    // loopback registry over HTTPS.
    let port = services::free_port();
    let mut opts = options("unused");
    opts.insecure_registries.clear();
    opts.retry.max_attempts = 2;
    let err = open_registry(&reference(&format!("127.0.0.1:{port}/app:v1")), &opts).unwrap_err();
    assert!(matches!(err, ImageError::Remote { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("gave up after 2 attempts"), "{text}");
    assert!(
        text.contains(&format!("--insecure-registry 127.0.0.1:{port}")),
        "{text}"
    );

    // A plain-HTTP registry spoken to over HTTPS: no retries, the same hint.
    let Some(registry) = Registry::start(RegistryAuth::None) else {
        return;
    };
    let started = Instant::now();
    let err = open_registry(&reference(&format!("{}/app:v1", registry.host())), &opts).unwrap_err();
    assert!(matches!(err, ImageError::Remote { .. }), "{err}");
    assert!(err.to_string().contains("--insecure-registry"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}
