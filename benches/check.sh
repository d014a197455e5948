#!/usr/bin/env bash
# Whole-process benchmark (not a test) of `portcullis check`, against the figure the issue sets:
# "`portcullis check` on a repository with 50 Dockerfiles, 10 Compose files, 100 manifests and
# one Debian image, with a warm database: <= 3 s wall on this 2-core machine."
#
#   benches/check.sh
#
# Repository. Generated into the work directory: 50 Dockerfiles (multi-stage builds, RUN
# scripts with apt-get, curl and pip, USER, HEALTHCHECK; a third of them with problems),
# 10 Compose files (5 projects of a base file and an override, 3 services, privileged/host
# namespaces/mounts/limits mixed), 100 Kubernetes manifests (a Deployment and a Service each,
# risky and restricted pod specs alternating), all committed to a git repository.
#
# Image and database. The OSV exports of benches/vuln_db.sh (generated once and cached in
# $BENCH_DIR/osv, shared with that benchmark), served by a local `python3 -m http.server`;
# `db update Debian` indexes the Debian ones (60,000 records) into a fresh directory before
# the measurements: that is the warm database. The image is the generator's Debian 12 OCI
# layout with BENCH_PACKAGES installed packages (default 1,000).
#
# Measured: `portcullis check REPO --image oci:… --offline --db DIR` writing every report
# (text, JSON, SARIF, JUnit, GitLab Code Quality, GitLab container scanning, Markdown) — wall
# time from EPOCHREALTIME around GNU time (peak RSS), median of BENCH_RUNS (default 5) after a
# warm-up run.
#
# Environment:
#   BENCH_DIR          cache of generated data (default target/bench under the repository)
#   BENCH_RUNS         timed repetitions (default 5)
#   BENCH_PACKAGES     packages in the image (default 1000)
#   BENCH_SCALE        scale of the generated OSV data (default 1, as benches/vuln_db.sh)
#   BENCH_KEEP=1       keep the work directory
#   PORTCULLIS_BIN     use this portcullis binary instead of scripts/build-release.sh
set -euo pipefail

START_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${BENCH_RUNS:-5}"
PACKAGES="${BENCH_PACKAGES:-1000}"
SCALE="${BENCH_SCALE:-1}"
BENCH="${BENCH_DIR:-$ROOT/target/bench}"
[[ "$BENCH" == /* ]] || BENCH="$START_DIR/$BENCH"
SHARED="$ROOT/../shared"
GENERATOR="$ROOT/benches/vuln_db_data.py"

# shellcheck source=benches/lib.sh
BENCH_NAME="check bench"
source "$ROOT/benches/lib.sh"

require_runs
[[ -d "$SHARED/vulndata" ]] || die "no reference data at $SHARED/vulndata"
require_gnu_time
command -v git >/dev/null 2>&1 || die "git is needed"

http_pid=""
make_work portcullis-check-bench

build_portcullis
echo "portcullis: $portcullis ($("$portcullis" --version))"

osv_exports "$BENCH/osv"
serve_directory "$exports"

section "warm database: db update Debian"
"$portcullis" db update Debian --db "$work/db" --db-base-url "$base_url" >/dev/null
"$portcullis" db status --db "$work/db" | sed -n '1,4p'

section "image: Debian 12, $PACKAGES installed packages"
python3 "$GENERATOR" image --plan "$exports/plan.json" --shared "$SHARED" --out "$work/image" \
    --tag bench --packages "$PACKAGES" >/dev/null
image="oci:$work/image:bench"

section "repository: 50 Dockerfiles, 10 Compose files, 100 manifests"
repo="$work/repo"
python3 - "$repo" <<'PYEOF'
import os, sys
root = sys.argv[1]
def write(path, text):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
for i in range(50):
    risky = i % 3 == 0
    write(f"services/svc-{i:02}/Dockerfile", f"""\
# syntax=docker/dockerfile:1
FROM debian:12-slim AS build
ARG VERSION=1.{i}
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL{' -k' if risky else ''} https://example.com/tool-$VERSION.tar.gz -o /tmp/tool.tgz \\
    && tar -xzf /tmp/tool.tgz -C /usr/local
FROM python:3.12-slim
COPY --from=build /usr/local /usr/local
RUN pip install --no-cache-dir flask=={i % 3}.0 gunicorn
{'ENV API_TOKEN=tok-' + str(i) if risky else 'ENV LOG_LEVEL=info'}
{'USER root' if risky else 'USER 10001'}
{'' if risky else 'HEALTHCHECK CMD ["python", "-c", "print(1)"]'}
CMD ["gunicorn", "app:app"]
""")
for i in range(5):
    write(f"apps/app-{i}/compose.yaml", f"""\
services:
  web:
    image: registry.example.com/app-{i}/web:1.{i}
    ports: ["8080:8080"]
    environment:
      LOG_LEVEL: info
  worker:
    image: registry.example.com/app-{i}/worker:1.{i}
    read_only: true
    cap_drop: [ALL]
    mem_limit: 256m
  db:
    image: postgres:16
    volumes: ["data:/var/lib/postgresql/data"]
volumes:
  data: {{}}
""")
    write(f"apps/app-{i}/compose.override.yaml", f"""\
services:
  web:
    {'privileged: true' if i % 2 else 'user: "10001"'}
    {'pid: host' if i % 2 else 'pids_limit: 128'}
""")
for i in range(100):
    risky = i % 2 == 1
    spec = """\
      hostNetwork: true
      containers:
        - name: app
          image: registry.example.com/team/app:latest
          securityContext:
            privileged: true
""" if risky else f"""\
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {{type: RuntimeDefault}}
      containers:
        - name: app
          image: registry.example.com/team/app@sha256:{i:064x}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {{drop: ["ALL"]}}
          resources:
            limits: {{cpu: 500m, memory: 256Mi}}
          livenessProbe:
            httpGet: {{path: /health, port: 8080}}
"""
    write(f"deploy/app-{i:03}.yaml", f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
spec:
  template:
    spec:
{spec}---
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
spec:
  ports: [{{port: 80}}]
""")
PYEOF
git -C "$repo" init -q
git -C "$repo" add .
GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.com GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@example.com \
    git -C "$repo" commit -q -m bench
echo "$(find "$repo" -name Dockerfile | wc -l) Dockerfiles, $(find "$repo" -name 'compose*.yaml' | wc -l) Compose files, $(find "$repo/deploy" -name '*.yaml' | wc -l) manifests"

section "measurements"
reports="$work/reports"
mkdir -p "$reports"
# Exit code 1 (findings) is the expected outcome; anything else fails the benchmark.
expect_findings() {
    local rc=0
    "$@" || rc=$?
    [[ "$rc" -eq 1 ]] || { echo "exit $rc" >&2; return 1; }
}
export -f expect_findings
repeat check bash -c 'expect_findings "$@"' _ "$portcullis" check "$repo" --image "$image" \
    --offline --db "$work/db" --color never \
    -f "text=$reports/report.txt" -f "json=$reports/report.json" \
    -f "sarif=$reports/report.sarif" -f "junit=$reports/report.xml" \
    -f "gitlab-codequality=$reports/codequality.json" \
    -f "gitlab-container-scanning=$reports/container-scanning.json" \
    -f "markdown=$reports/summary.md"

summary="$(python3 - "$reports/report.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
findings = sum(len(run["findings"]) for run in r["runs"])
vulns = sum(len(i.get("vulnerabilities") or []) for i in r.get("images", []))
print(f"{findings} findings, {vulns} vulnerabilities")
PYEOF
)"

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
section "results (median of $RUNS runs; $(nproc) cores, ${cpu:-unknown CPU})"
verdict="$(awk -v v="$(wall check)" 'BEGIN { print (v <= 3) ? "pass" : "MISSED" }')"
printf '%-60s %8s %9s %s\n' "measurement" "wall ms" "peak MB" "figure"
printf '%-60s %8s %9s %s\n' "check: 50 Dockerfiles, 10 Compose, 100 manifests, 1 image" \
    "$(ms "$(wall check)")" "$(mb "$(rss check)")" "<= 3000 ms: $verdict"
echo "reported: $summary"
