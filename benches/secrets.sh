#!/usr/bin/env bash
# Whole-process benchmark (not a test) of the secret scan, against the figures the issue sets:
# "Secret scanning adds <= 30% to the scan time of the Debian image; throughput >= 300 MB/s of
# file content per core on text-heavy layers."
#
#   benches/secrets.sh
#
# Image. The Debian 12 test-bed root (scripts/testbed.sh builds it into
# target/testbed/debian-12, the root tests/secrets_debian.rs checks for false positives) packed
# as a one-layer image, twice: a docker-archive with an uncompressed layer (the scan is then
# bound by its own work, not by decompression: the hardest case for the figure) and an OCI
# layout with a gzip layer. Packed here with tar and python3, no engine needed.
#
# Measured, for each image, with and without `--no-secrets`:
#   portcullis scan --no-vulns --color never -f json=/dev/null IMAGE
# wall time from EPOCHREALTIME around GNU time (peak RSS), page cache warm, median of
# BENCH_RUNS (default 5) after one warm-up run; process start included. The scan must report
# no secret (the test bed holds none).
#
# Throughput. `cargo run --release --example secret_throughput -- DIR` over the text files of
# the root (content with a NUL byte in its first 8 KiB is left out: the scanner skips it after
# that check, so counting it would inflate the figure), on one thread.
#
# Environment:
#   BENCH_RUNS       runs per measurement (default 5)
#   BENCH_KEEP=1     keep the work directory (images, reports, logs)
#   PORTCULLIS_BIN   use this portcullis binary instead of scripts/build-release.sh
#   THROUGHPUT_BIN   use this build of examples/secret_throughput.rs instead of `cargo run
#                    --release --example secret_throughput`
set -euo pipefail

START_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${BENCH_RUNS:-5}"
ROOTFS="$ROOT/target/testbed/debian-12"

# shellcheck source=benches/lib.sh
BENCH_NAME="secrets bench"
source "$ROOT/benches/lib.sh"

require_runs
require_gnu_time
[[ -d "$ROOTFS/usr/bin" ]] || die "no Debian rootfs at $ROOTFS: run scripts/testbed.sh first"

make_work portcullis-secrets-bench

build_portcullis
echo "portcullis: $portcullis ($("$portcullis" --version))"

section "test-bed image (one layer: $ROOTFS)"
# Owners and modes as in the root; names sorted so that the layer is the same every time.
tar --sort=name --numeric-owner -C "$ROOTFS" -cf "$work/layer.tar" . 2>"$work/tar.log" ||
    die "packing the root failed: $(tail -n 3 "$work/tar.log")"
python3 - "$work" <<'PYEOF'
import gzip, hashlib, json, os, sys, tarfile
work = sys.argv[1]
layer = os.path.join(work, "layer.tar")
with open(layer, "rb") as f:
    raw = f.read()
diff_id = "sha256:" + hashlib.sha256(raw).hexdigest()
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
               "Cmd": ["bash"]},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "debootstrap --variant=minbase bookworm"}],
}
config_bytes = json.dumps(config).encode()
config_digest = hashlib.sha256(config_bytes).hexdigest()

# docker-archive: uncompressed layer.
archive = os.path.join(work, "debian.tar")
with tarfile.open(archive, "w") as out:
    def add(name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        out.addfile(info, __import__("io").BytesIO(data))
    add(f"{config_digest}.json", config_bytes)
    out.add(layer, arcname="layer/layer.tar")
    manifest = [{"Config": f"{config_digest}.json", "RepoTags": ["testbed/debian:12"],
                 "Layers": ["layer/layer.tar"]}]
    add("manifest.json", json.dumps(manifest).encode())

# OCI layout: gzip layer.
oci = os.path.join(work, "oci")
blobs = os.path.join(oci, "blobs", "sha256")
os.makedirs(blobs)
def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}
gz = gzip.compress(raw, compresslevel=6, mtime=0)
manifest = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **blob(config_bytes)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **blob(gz)}],
}
index = {"schemaVersion": 2, "manifests": [{
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    **blob(json.dumps(manifest).encode()),
    "annotations": {"org.opencontainers.image.ref.name": "12"}}]}
with open(os.path.join(oci, "index.json"), "w") as f:
    json.dump(index, f)
with open(os.path.join(oci, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
print(f"layer: {len(raw) / 1e6:.1f} MB uncompressed, {len(gz) / 1e6:.1f} MB gzip")
PYEOF
rm -f "$work/layer.tar"

section "measurements"
images=("docker-archive:$work/debian.tar" "oci:$work/oci:12")
names=("docker-archive (uncompressed layer)" "OCI layout (gzip layer)")
for i in "${!images[@]}"; do
    repeat "secrets.$i" "$portcullis" scan --no-vulns --color never -f "json=$work/secrets.$i.json" "${images[$i]}"
    repeat "plain.$i" "$portcullis" scan --no-vulns --no-secrets --color never -f "json=$work/plain.$i.json" "${images[$i]}"
    secrets_found="$(python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
print(sum(1 for run in report["runs"] for f in run["findings"] if f["rule"]["code"] == "PC2004"))
' "$work/secrets.$i.json")"
    [[ "$secrets_found" == 0 ]] || die "the scan of ${images[$i]} reported $secrets_found secrets (the test bed has none)"
done

section "throughput (cargo run --release --example secret_throughput, text files only)"
text="$work/text"
mkdir -p "$text"
# The text files of the root (no NUL in the first 8 KiB), as the scan sees them.
python3 - "$ROOTFS" "$text" <<'PYEOF'
import os, shutil, stat, sys
root, out = sys.argv[1], sys.argv[2]
count = size = 0
for directory, _, files in os.walk(root):
    for name in files:
        path = os.path.join(directory, name)
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size == 0:
                continue
            with open(path, "rb") as f:
                head = f.read(8192)
        except OSError:
            continue
        if b"\0" in head:
            continue
        target = os.path.join(out, os.path.relpath(path, root))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(path, target)
        count += 1
        size += st.st_size
print(f"{count} text files, {size / 1e6:.1f} MB")
PYEOF
if [[ -n "${THROUGHPUT_BIN:-}" ]]; then
    "$(absolute "$THROUGHPUT_BIN")" "$text"
else
    cargo run --release --quiet --example secret_throughput -- "$text"
fi | tee "$work/throughput.log" | tail -n 1
throughput="$(tail -n 1 "$work/throughput.log" | sed -n 's/.*: \([0-9.]*\) MB\/s.*/\1/p')"

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
section "results (median of $RUNS runs; $(nproc) cores, ${cpu:-unknown CPU})"
verdict() { awk -v v="$1" -v limit="$2" 'BEGIN { print (v <= limit) ? "pass" : "MISSED" }'; }
printf '%-38s %12s %12s %9s %9s %s\n' "image" "secrets ms" "no-secrets ms" "added" "peak MB" "figure"
for i in "${!images[@]}"; do
    with="$(wall "secrets.$i")"
    without="$(wall "plain.$i")"
    added="$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.0f", (a / b - 1) * 100 }')"
    printf '%-38s %12s %12s %8s%% %9s %s\n' "${names[$i]}" "$(ms "$with")" "$(ms "$without")" \
        "$added" "$(mb "$(rss "secrets.$i")")" "<= 30%: $(verdict "$added" 30)"
done
printf 'secret scanner throughput: %s MB/s on one thread (>= 300 MB/s: %s)\n' "${throughput:-?}" \
    "$(awk -v v="${throughput:-0}" 'BEGIN { print (v >= 300) ? "pass" : "MISSED" }')"
