#!/usr/bin/env bash
# Whole-process benchmark (not a test) of the vulnerability database at full OSV scale, against
# the figures the issue sets: "Index for all OSV ecosystems built once, then loaded in <= 200 ms;
# matching 5,000 packages <= 100 ms; peak RSS of a scan with the full index <= 200 MB."
#
#   benches/vuln_db.sh
#
# Data. The real OSV exports cannot be downloaded here, so benches/vuln_db_data.py generates one
# all.zip per ecosystem, shaped like the bucket's (one indented `<ID>.json` per record at the
# root of the zip), with record counts approximating osv.dev's (2025):
#   npm 220,000 (200,000 MAL-* malicious-package records, one version each; 20,000 GHSA-*)
#   Debian 60,000 (50,000 DEBIAN-CVE-* over Debian:10..13, 6,000 DSA-*, 4,000 DLA-*)
#   Ubuntu 60,000 (52,000 UBUNTU-CVE-*, a fifth of them kernel CVEs naming 8-30 kernel
#          flavours x releases; 8,000 USN-*)
#   Red Hat 30,000 (RHSA-*, binary packages x products)   Alpine 30,000 (ALPINE-CVE-*, v3.12-v3.21)
#   PyPI 18,000 (PYSEC-*, GHSA-*)   SUSE 8,000   Maven 7,000   Go 5,000   Packagist 5,000
#   AlmaLinux 4,000   openSUSE 4,000   RubyGems 3,000   Rocky Linux 3,000   Chainguard 3,000
#   crates.io 2,000   Wolfi 2,000   NuGet 1,500                    total 465,500 records
# (the 18 ecosystems `db update` fetches into an empty database). Language records are clones
# of real ones from ../shared/vulndata (golang/vulndb, RustSec, PyPA read from YAML): their
# details, summaries, references, severity vectors, ranges and versions arrays, with new ids,
# package names and ecosystem. Distribution and MAL records follow the layout of osv.dev's
# records of those sources (affected entry per release, versions arrays, urgencies, binaries,
# CVSS vectors), with real CVE descriptions as details. Debian sources: `linux` has about 7,200
# Debian:12 records, two dozen real heavy sources (chromium, firefox-esr, imagemagick, qemu…)
# hundreds each, the ~5,000 others follow a Zipf law (median 3). About 1.8 GB of JSON, 490 MB of
# zip. Generated once (about 2 minutes on 2 cores) into $BENCH_DIR/exports, reused while the
# generator and BENCH_SCALE are unchanged.
#
# Image. An OCI layout (one gzip layer) with the os-release of Debian 12 and a dpkg status of
# BENCH_PACKAGES installed packages: the real bookworm minbase, then generated stanzas. 15% of
# the packages are built from sources with Debian:12 advisories (linux through linux-libc-dev,
# the heaviest sources, then a random share); the rest from sources with none. Installed and
# fixed versions are drawn so that about a third of the advisories of an installed source
# apply (fixed later, or not fixed).
#
# Measurement (`/usr/bin/time -f "%e %M"` for peak RSS; wall time from bash's EPOCHREALTIME
# around it, for milliseconds; page cache warm; medians of BENCH_RUNS after one warm-up run):
#   update  `db update` of every ecosystem from a local `python3 -m http.server`, into a fresh
#           directory: download, verify, parse and index, 465,500 records. One run (it is the
#           "built once" step); wall, peak RSS, size on disk.
#   load    `db status --db DIR`, which opens every index (reads each one's metadata). Includes
#           process start, so it is an upper bound of "loaded in"; the same on an empty
#           directory (process start) and on a directory with only the Debian index is shown
#           for the cost per index.
#   match   `scan oci:LAYOUT:bench --offline --db DIR -f json=/dev/null`, and the same with
#           `--no-vulns`: the difference is matching (opening the database, looking up every
#           source, decoding and evaluating its advisories, merging, and writing the
#           vulnerabilities into the report). Peak RSS of the scan with vulnerabilities is the
#           "<= 200 MB" figure; one more run, sampled from /proc every 2 ms, splits it into
#           anonymous memory and file-backed pages (index pages read through SQLite's mmap).
#   breakdown  the same pair of scans on three cuts of the image: the packages whose sources
#           have no advisories (look-ups that find nothing), those whose sources have some, and
#           linux-libc-dev alone; matching time per Debian:12 record looked up.
#
# Environment:
#   BENCH_DIR          data cache (default target/bench/osv under the repository)
#   BENCH_REBUILD=1    regenerate the exports even when cached
#   BENCH_RUNS         timed repetitions, median reported (default 5)
#   BENCH_SCALE        multiply every record count by this (default 1; 0.05 for a quick try)
#   BENCH_PACKAGES     installed packages in the image (default 5000)
#   BENCH_BREAKDOWN=0  skip the breakdown of matching by subset of the image
#   BENCH_KEEP=1       keep the work directory (database, images, reports, logs)
#   PORTCULLIS_BIN     use this portcullis binary instead of scripts/build-release.sh
set -euo pipefail

START_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${BENCH_RUNS:-5}"
SCALE="${BENCH_SCALE:-1}"
PACKAGES="${BENCH_PACKAGES:-5000}"
BENCH="${BENCH_DIR:-$ROOT/target/bench/osv}"
[[ "$BENCH" == /* ]] || BENCH="$START_DIR/$BENCH"
SHARED="$ROOT/../shared"
GENERATOR="$ROOT/benches/vuln_db_data.py"

# shellcheck source=benches/lib.sh
BENCH_NAME="vuln_db"
source "$ROOT/benches/lib.sh"

require_runs
[[ "$PACKAGES" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PACKAGES must be a positive number"
[[ "$SCALE" =~ ^[0-9]*\.?[0-9]+$ ]] || die "BENCH_SCALE must be a positive number"
[[ -d "$SHARED/vulndata" ]] || die "no reference data at $SHARED/vulndata"
command -v python3 >/dev/null 2>&1 || die "python3 is needed"
require_gnu_time

# --- Clean-up: the HTTP server and the work directory ---------------------------------------
http_pid=""
make_work portcullis-vuln-db-bench

build_portcullis
echo "portcullis: $portcullis ($("$portcullis" --version))"

# --- Data ----------------------------------------------------------------------------------
osv_exports "$BENCH"
ECOSYSTEMS=()
for zip in "$exports"/*/all.zip; do
    eco="${zip%/all.zip}"
    ECOSYSTEMS+=("${eco##*/}")
done
[[ ${#ECOSYSTEMS[@]} -gt 0 ]] || die "no exports in $exports"
records_total="$(awk '$1 == "total" { print $2 }' "$exports/generate.log")"

section "image: Debian 12, $PACKAGES installed packages"
python3 "$GENERATOR" image --plan "$exports/plan.json" --shared "$SHARED" --out "$work/image" \
    --tag bench --packages "$PACKAGES" >"$work/image.json"
python3 - "$work/image.json" <<'EOF'
import json, sys
i = json.load(open(sys.argv[1]))
print("%d packages from %d sources; %d packages (%.0f%%) from the %d sources with Debian:12 advisories,"
      % (i["packages"], i["sources"], i["packages_from_sources_with_advisories"],
         100.0 * i["packages_from_sources_with_advisories"] / i["packages"], i["sources_with_advisories"]))
print("which %d Debian:12 records name (linux: %d); dpkg status %.1f MB"
      % (i["debian12_records_of_installed_sources"], i["linux_records"], i["status_bytes"] / 1e6))
EOF


section "HTTP server"
serve_directory "$exports"

section "update: db update of ${#ECOSYSTEMS[@]} ecosystems ($records_total records) into an empty directory"
db="$work/db"
measure update "$portcullis" db update "${ECOSYSTEMS[@]}" --db "$db" --db-base-url "$base_url"
cat "$work/update.stdout"
if grep -q "could not be read" "$work/update.stderr"; then
    grep "could not be read" "$work/update.stderr" >&2
    die "records were skipped while indexing"
fi
update_wall="$(wall update)"
update_rss="$(rss update)"
db_kb="$(du -sk "$db" | awk '{ print $1 }')"
exports_kb="$(du -skc "$exports"/*/all.zip | awk 'END { print $1 }')"
kill "$http_pid" 2>/dev/null || true
wait "$http_pid" 2>/dev/null || true
http_pid=""
printf 'wall %.1f s, peak RSS %s MB; index %s MB on disk (exports: %s MB of zip)\n' \
    "$update_wall" "$(mb "$update_rss")" "$(mb "$db_kb")" "$(mb "$exports_kb")"
"$portcullis" db status --db "$db" --format json >"$work/status.json"
indexed="$(python3 -c 'import json, sys; print(sum(e["advisories"] for e in json.load(open(sys.argv[1]))["ecosystems"]))' "$work/status.json")"
[[ "$indexed" == "$records_total" ]] || die "the indexes hold $indexed advisories, the exports $records_total records"

section "load: db status ($RUNS runs after a warm-up)"
mkdir -p "$work/empty" "$work/db-debian"
ln "$db/Debian.sqlite" "$work/db-debian/Debian.sqlite"
repeat status-empty "$portcullis" db status --db "$work/empty"
repeat status-debian "$portcullis" db status --db "$work/db-debian"
repeat status "$portcullis" db status --db "$db"
printf '%-34s %7s ms %5s MB\n' "empty directory (process start)" "$(ms "$(wall status-empty)")" "$(mb "$(rss status-empty)")"
printf '%-34s %7s ms %5s MB\n' "Debian index only" "$(ms "$(wall status-debian)")" "$(mb "$(rss status-debian)")"
printf '%-34s %7s ms %5s MB\n' "all ${#ECOSYSTEMS[@]} indexes" "$(ms "$(wall status)")" "$(mb "$(rss status)")"

section "match: scan of the $PACKAGES-package image ($RUNS runs after a warm-up each)"
image="oci:$work/image:bench"
# The report of one run, checked: every package listed, no errors, vulnerabilities found.
rc=0
"$portcullis" scan "$image" --offline --db "$db" -f "json=$work/report.json" \
    >/dev/null 2>"$work/report.stderr" || rc=$?
[[ "$rc" -eq 0 ]] || { tail -n 20 "$work/report.stderr" >&2; die "scan failed (exit $rc)"; }
python3 - "$work/report.json" "$PACKAGES" <<'EOF'
import json, sys
report, want = json.load(open(sys.argv[1])), int(sys.argv[2])
image = report["images"][0]
packages, vulns = image["packages"], image.get("vulnerabilities") or []
if report.get("errors"):
    sys.exit("vuln_db: error: the scan reported errors: %s" % report["errors"][:3])
if len(packages) != want or not vulns:
    sys.exit("vuln_db: error: %d packages (want %d), %d vulnerabilities" % (len(packages), want, len(vulns)))
ids = {v["id"] for v in vulns}
fixed = sum(1 for v in vulns if (v.get("fix") or {}).get("state") == "fixed")
print("report: %d packages, %d vulnerabilities (%d distinct ids, %d with a fix), distro %s %s"
      % (len(packages), len(vulns), len(ids), fixed, image["distro"]["id"], image["distro"]["version_id"]))
EOF
repeat scan-novulns "$portcullis" scan "$image" --offline --db "$db" --no-vulns -f json=/dev/null
repeat scan "$portcullis" scan "$image" --offline --db "$db" -f json=/dev/null
scan_wall="$(wall scan)"
novulns_wall="$(wall scan-novulns)"
match_s="$(awk -v a="$scan_wall" -v b="$novulns_wall" 'BEGIN { printf "%.4f", a - b }')"
printf '%-34s %7s ms %5s MB\n' "scan --no-vulns" "$(ms "$novulns_wall")" "$(mb "$(rss scan-novulns)")"
printf '%-34s %7s ms %5s MB\n' "scan (vulnerabilities)" "$(ms "$scan_wall")" "$(mb "$(rss scan)")"
printf '%-34s %7s ms\n' "difference: matching" "$(ms "$match_s")"

# Peak RSS split into anonymous memory (decoded advisories, the report) and file-backed pages
# (the indexes are read through a memory map, and the mapped pages read count in RSS), sampled
# every 2 ms during one more run.
python3 - "$portcullis" scan "$image" --offline --db "$db" -f json=/dev/null >"$work/rss-split.txt" <<'EOF'
import subprocess, sys, time
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = {}
while process.poll() is None:
    try:
        with open("/proc/%d/status" % process.pid) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "RssAnon", "RssFile"):
                    peak[key] = max(peak.get(key, 0), int(value.split()[0]))
    except (OSError, ValueError, IndexError):
        pass
    time.sleep(0.002)
print("peak RSS %d MB: anonymous %d MB, file-backed (mapped index pages) %d MB (sampled every 2 ms)"
      % (peak.get("VmHWM", 0) // 1024, peak.get("RssAnon", 0) // 1024, peak.get("RssFile", 0) // 1024))
EOF
cat "$work/rss-split.txt"

# Where matching goes: the same image cut into the packages whose sources have advisories, the
# others, and linux-libc-dev alone (source `linux`), each scanned with and without vulnerabilities.
if [[ "${BENCH_BREAKDOWN:-1}" == 1 ]]; then
    section "breakdown of matching by subset of the image ($RUNS runs after a warm-up each)"
    printf '%-20s %8s %8s %9s %10s %8s %6s\n' subset packages records "match ms" "us/record" "scan ms" "MB"
    for subset in without-advisories with-advisories linux; do
        python3 "$GENERATOR" image --plan "$exports/plan.json" --shared "$SHARED" --out "$work/image-$subset" \
            --tag bench --packages "$PACKAGES" --subset "$subset" >"$work/image-$subset.json"
        repeat "novulns-$subset" "$portcullis" scan "oci:$work/image-$subset:bench" --offline --db "$db" \
            --no-vulns -f json=/dev/null
        repeat "vulns-$subset" "$portcullis" scan "oci:$work/image-$subset:bench" --offline --db "$db" \
            -f json=/dev/null
        read -r packages records < <(python3 -c 'import json, sys; i = json.load(open(sys.argv[1]))
print(i["packages"], i["debian12_records_of_installed_sources"])' "$work/image-$subset.json")
        with="$(wall "vulns-$subset")" without="$(wall "novulns-$subset")"
        printf '%-20s %8s %8s %9s %10s %8s %6s\n' "$subset" "$packages" "$records" \
            "$(ms "$(awk -v a="$with" -v b="$without" 'BEGIN { print a - b }')")" \
            "$(awk -v a="$with" -v b="$without" -v n="$records" \
                'BEGIN { if (n > 0) printf "%.0f", (a - b) * 1e6 / n; else print "-" }')" \
            "$(ms "$with")" "$(mb "$(rss "vulns-$subset")")"
    done
    echo "records: Debian:12 records naming the subset's sources (each also has entries for other releases)"
fi

# --- Results -------------------------------------------------------------------------------
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 <= t + 0) ? "pass" : "FAIL" }'; }
load_ms="$(ms "$(wall status)")"
match_ms="$(ms "$match_s")"
scan_mb="$(mb "$(rss scan)")"
cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
section "results (median of $RUNS runs; $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/^MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo))"
printf '%-52s %-10s %-26s %s\n' "figure" "target" "measured" "verdict"
printf '%-52s %-10s %-26s %s\n' "index built once (db update, ${#ECOSYSTEMS[@]} ecosystems, $records_total)" "-" \
    "$(printf '%.1f s, %s MB RSS, %s MB' "$update_wall" "$(mb "$update_rss")" "$(mb "$db_kb")")" "(no target)"
printf '%-52s %-10s %-26s %s\n' "loaded (db status, all indexes, incl. process start)" "<= 200 ms" \
    "$load_ms ms" "$(verdict "$load_ms" 200)"
printf '%-52s %-10s %-26s %s\n' "matching $PACKAGES packages (scan - scan --no-vulns)" "<= 100 ms" \
    "$match_ms ms" "$(verdict "$match_ms" 100)"
printf '%-52s %-10s %-26s %s\n' "peak RSS of the scan with the full index" "<= 200 MB" \
    "$scan_mb MB" "$(verdict "$scan_mb" 200)"
sed 's/^/(/; s/$/)/' "$work/rss-split.txt"
cat <<EOF

Commands:
  portcullis db update ECOSYSTEM... --db DIR --db-base-url http://127.0.0.1:PORT
  portcullis db status --db DIR
  portcullis scan oci:LAYOUT:bench --offline --db DIR -f json=/dev/null [--no-vulns]
Wall time from EPOCHREALTIME around /usr/bin/time; peak RSS is GNU time's maximum resident set size.
EOF
