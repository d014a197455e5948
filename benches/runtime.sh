#!/usr/bin/env bash
# Whole-process benchmark (not a test) of `portcullis runtime`, against the figures the issue
# sets: "Inspect and evaluate 200 containers in <= 2 s against the local engine (concurrency),
# and 1,000 Kubernetes manifests in <= 1 s."
#
#   benches/runtime.sh
#
# Engine. A private dockerd (Debian docker.io; no bridge, no iptables, like the tests) with an
# image imported from the Debian 12 test bed (scripts/testbed.sh builds it into
# target/testbed/debian-12). BENCH_CONTAINERS containers (default 200) are created with a mix of
# settings (privileged, added capabilities, host namespaces, bind mounts, published ports,
# limits, health checks, secrets in the environment), BENCH_RUNNING of them (default 40) started
# with `sleep` so that their processes are listed too (`/containers/{id}/top`). The measured
# command checks the daemon and every container carrying the benchmark's label:
#   portcullis runtime -H unix://… --all --filter label=portcullis.bench -f json=/dev/null
#
# Manifests. BENCH_MANIFESTS files (default 1,000) in one directory, each a Deployment with an
# init container and two containers, cycling through risky and hardened settings (securityContext
# at pod and container level, hostPath volumes, host ports, probes, limits, env); then
#   portcullis runtime --k8s DIR -f json=/dev/null
#
# Measurement: wall time from EPOCHREALTIME around GNU time (peak RSS), page cache warm, median
# of BENCH_RUNS (default 5) after one warm-up run. Includes process start.
#
# Environment:
#   BENCH_RUNS, BENCH_CONTAINERS, BENCH_RUNNING, BENCH_MANIFESTS   as above
#   BENCH_KEEP=1       keep the work directory (reports, logs)
#   PORTCULLIS_BIN     use this portcullis binary instead of scripts/build-release.sh
set -euo pipefail

START_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${BENCH_RUNS:-5}"
CONTAINERS="${BENCH_CONTAINERS:-200}"
RUNNING="${BENCH_RUNNING:-40}"
MANIFESTS="${BENCH_MANIFESTS:-1000}"
ROOTFS="$ROOT/target/testbed/debian-12"

# shellcheck source=benches/lib.sh
BENCH_NAME="runtime bench"
source "$ROOT/benches/lib.sh"

for n in RUNS CONTAINERS RUNNING MANIFESTS; do
    [[ "${!n}" =~ ^[0-9]+$ ]] || die "BENCH_$n must be a number"
done
[[ "$RUNNING" -le "$CONTAINERS" ]] || die "BENCH_RUNNING must not exceed BENCH_CONTAINERS"
[[ "$(id -u)" == 0 ]] || die "a private dockerd needs root"
command -v dockerd >/dev/null 2>&1 || die "dockerd is needed (apt-get install docker.io)"
command -v docker >/dev/null 2>&1 || die "the docker CLI is needed (apt-get install docker.io)"
require_gnu_time
[[ -d "$ROOTFS/usr/bin" ]] || die "no Debian rootfs at $ROOTFS: run scripts/testbed.sh first"

# Short paths: containerd's sockets live under the exec root.
dockerd_pid=""
before_exit() {
    if [[ -n "$dockerd_pid" ]]; then
        kill "$dockerd_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$dockerd_pid" 2>/dev/null || break
            sleep 0.2
        done
    fi
    umount -R "$work/data" 2>/dev/null || true
}
TMPDIR=/tmp make_work pcrb

build_portcullis
echo "portcullis: $portcullis ($("$portcullis" --version))"

section "private dockerd"
host="unix://$work/d.sock"
dockerd -H "$host" --data-root "$work/data" --exec-root "$work/x" --pidfile "$work/dockerd.pid" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --containerd-namespace portcullis-bench --containerd-plugins-namespace portcullis-bench-plugins \
    >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 300); do
    docker -H "$host" version >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || { tail "$work/dockerd.log" >&2; die "dockerd exited"; }
    sleep 0.2
done
docker -H "$host" version --format 'dockerd {{.Server.Version}}, API {{.Server.APIVersion}}'
tar -C "$ROOTFS" -c . | docker -H "$host" import - portcullis-bench/debian:12 >/dev/null

section "$CONTAINERS containers, $RUNNING of them running"
label="portcullis.bench=1"
create() { # INDEX
    local i="$1"
    local args=(--label "$label" --name "bench-$i" --network none)
    case $((i % 5)) in
        0) args+=(--privileged -v /etc:/host/etc -e "DB_PASSWORD=secret-$i") ;;
        1) args+=(--cap-add SYS_ADMIN --pid host --security-opt seccomp=unconfined -p "$((20000 + i)):80") ;;
        2) args+=(--read-only --cap-drop ALL --security-opt no-new-privileges --user 10001
            --memory 64m --pids-limit 64 --cpus 0.5 --health-cmd true) ;;
        3) args+=(-v /var/run/docker.sock:/var/run/docker.sock --restart on-failure:10) ;;
        4) args+=(--ulimit nofile=1024:1024 --tmpfs /tmp -e "LOG_LEVEL=info") ;;
    esac
    docker -H "$host" create "${args[@]}" portcullis-bench/debian:12 sleep infinity >/dev/null
}
for ((i = 0; i < CONTAINERS; i++)); do
    create "$i"
done
# Start the hardened and the plain ones (privileged containers cannot start in this sandbox).
started=0
for ((i = 0; i < CONTAINERS && started < RUNNING; i++)); do
    case $((i % 5)) in
        2 | 4)
            docker -H "$host" start "bench-$i" >/dev/null
            started=$((started + 1))
            ;;
    esac
done
echo "created $CONTAINERS, started $started"

section "$MANIFESTS Kubernetes manifests"
manifests="$work/manifests"
mkdir -p "$manifests"
python3 - "$manifests" "$MANIFESTS" <<'PYEOF'
import sys
out, count = sys.argv[1], int(sys.argv[2])
risky = """\
      hostNetwork: true
      volumes:
        - name: sock
          hostPath:
            path: /var/run/docker.sock
      containers:
        - name: app
          image: registry.example.com/team/app-{i}:latest
          securityContext:
            privileged: true
            capabilities:
              add: ["SYS_ADMIN", "NET_ADMIN"]
          ports:
            - containerPort: 80
              hostPort: 80
          env:
            - name: API_TOKEN
              value: "tok-{i}"
          volumeMounts:
            - name: sock
              mountPath: /var/run/docker.sock
        - name: sidecar
          image: registry.example.com/team/sidecar:1.{i}
"""
hardened = """\
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: registry.example.com/team/app-{i}@sha256:{digest}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          resources:
            limits: {{cpu: 500m, memory: 256Mi}}
          livenessProbe:
            httpGet: {{path: /health, port: 8080}}
        - name: sidecar
          image: registry.example.com/team/sidecar@sha256:{digest}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          resources:
            limits: {{cpu: 100m, memory: 64Mi}}
          readinessProbe:
            exec: {{command: ["/ready"]}}
"""
for i in range(count):
    body = (risky if i % 2 else hardened).format(i=i, digest=f"{i:064x}")
    with open(f"{out}/app-{i:04}.yaml", "w") as f:
        f.write(f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{i % 10}
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: app-{i}
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com/team/migrate:{i}
{body}---
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
spec:
  selector:
    app: app-{i}
  ports:
    - port: 80
""")
PYEOF
echo "$(find "$manifests" -name '*.yaml' | wc -l) files, $(cat "$manifests"/*.yaml | wc -l) lines"

section "measurements"
# Exit code 1 (findings) is the expected outcome here; anything else fails the benchmark.
expect_findings() {
    local rc=0
    "$@" || rc=$?
    [[ "$rc" -eq 1 ]] || { echo "exit $rc" >&2; return 1; }
}
export -f expect_findings
repeat engine bash -c 'expect_findings "$@"' _ "$portcullis" runtime -H "$host" --all \
    --filter "label=$label" -f "json=$work/engine.json"
repeat manifests bash -c 'expect_findings "$@"' _ "$portcullis" runtime --k8s "$manifests" \
    -f "json=$work/manifests.json"

engine_findings="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(len(x["findings"]) for x in r["runs"]))' "$work/engine.json")"
manifest_findings="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(len(x["findings"]) for x in r["runs"]))' "$work/manifests.json")"

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
section "results (median of $RUNS runs; $(nproc) cores, ${cpu:-unknown CPU})"
verdict() { awk -v v="$1" -v limit="$2" 'BEGIN { print (v <= limit) ? "pass" : "MISSED" }'; }
printf '%-44s %8s %9s %10s %s\n' "measurement" "wall ms" "peak MB" "findings" "figure"
printf '%-44s %8s %9s %10s %s\n' "engine: daemon + $CONTAINERS containers ($started running)" \
    "$(ms "$(wall engine)")" "$(mb "$(rss engine)")" "$engine_findings" \
    "<= 2000 ms: $(verdict "$(wall engine)" 2)"
printf '%-44s %8s %9s %10s %s\n' "manifests: $MANIFESTS files" \
    "$(ms "$(wall manifests)")" "$(mb "$(rss manifests)")" "$manifest_findings" \
    "<= 1000 ms: $(verdict "$(wall manifests)" 1)"
