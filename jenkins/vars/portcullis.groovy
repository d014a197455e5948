// The `portcullis(...)` pipeline step: runs `portcullis check` once, writes its reports, and
// records them in Jenkins: the SARIF report in Warnings Next Generation (with quality gates
// derived from the failure threshold) and the JUnit report in the test view.
//
// Help for users: portcullis.txt next to this file, and docs/ci/jenkins.md.
//
// Pipeline code runs CPS-transformed: everything that only computes (validating arguments,
// building the command line, mapping thresholds, reading JSON) lives in @NonCPS methods, and
// steps (sh, error, recordIssues…) are called only from the CPS methods.

import com.cloudbees.groovy.cps.NonCPS
import groovy.json.JsonSlurperClassic

def call(Map args = [:]) {
    List<String> problems = validate(args)
    if (problems) {
        error("portcullis: ${problems.join('; ')}. See the step's help (portcullis.txt) for every argument.")
    }
    String reportsDir = reportsDirOf(args)
    Map<String, String> reports = reportPaths(reportsDir)
    String binary = resolveBinary(args)

    int exitCode = sh(script: commandLine(binary, args, reports), returnStatus: true, label: 'portcullis check')
    if (exitCode > 2 || exitCode < 0) {
        // Not one of ours: the shell could not start the binary (126, 127) or it was killed.
        error("portcullis: `${binary}` did not run (exit code ${exitCode}). Install portcullis on this " +
                "agent, or give the step `binary:` (a path), `tool:` (a Jenkins tool installation) " +
                "or `version:` (a release to download).")
    }

    Map report = readReport(reports.json)
    String threshold = effectiveThreshold(args, report)
    if (threshold == null) {
        threshold = 'info'
        echo("portcullis: ${reports.json} is missing or unreadable; quality gates use portcullis' " +
                "default failure threshold `info`.")
    }
    if (flag(args, 'recordIssues', true)) {
        recordIssues(
                enabledForFailure: true,
                tools: [sarif(pattern: reports.sarif, id: str(args.id) ?: 'portcullis',
                        name: str(args.name) ?: 'Portcullis')],
                qualityGates: qualityGates(threshold, flag(args, 'failOnFindings', false)))
    }
    if (flag(args, 'junit', true)) {
        // Every finding is a failed test case; the quality gate alone decides the build result,
        // so the JUnit plugin must not mark the build unstable on its own. Warnings NG already
        // publishes the check with annotations.
        junit(testResults: reports.junit, allowEmptyResults: true, skipMarkingBuildUnstable: true,
                skipPublishingChecks: true)
    }
    if (flag(args, 'archive', true)) {
        archiveArtifacts(artifacts: reportsDir == '.' ? reports.values().join(',') : "${reportsDir}/**",
                allowEmptyArchive: true)
    }
    if (exitCode == 2) {
        // After recording: the partial reports are still worth seeing in the build.
        error(incompleteMessage(report, reportsDir))
    }
    return [
            exitCode        : exitCode,
            failureThreshold: threshold,
            findings        : report?.total,
            reportsDir      : reportsDir,
            sarif           : reports.sarif,
            junit           : reports.junit,
            json            : reports.json,
            markdown        : reports.markdown,
    ]
}

// --- Arguments ----------------------------------------------------------------------------

@NonCPS
List<String> knownArguments() {
    [
            'path', 'dir', 'images', 'runtime', 'severityThreshold', 'failOn', 'config', 'baseline',
            'writeBaseline', 'newOnlySince', 'db', 'offline', 'extraArgs', 'reportsDir', 'binary', 'tool',
            'version', 'releaseBaseUrl', 'failOnFindings', 'recordIssues', 'junit', 'archive', 'id', 'name',
    ]
}

@NonCPS
List<String> validate(Map args) {
    List<String> problems = []
    Set<String> known = knownArguments() as Set
    args.keySet().findAll { !(it in known) }.each {
        problems << "unknown argument `${it}` (known: ${knownArguments().join(', ')})".toString()
    }
    ['path', 'dir', 'severityThreshold', 'failOn', 'config', 'baseline', 'newOnlySince', 'db', 'reportsDir',
     'binary', 'tool', 'version', 'releaseBaseUrl', 'id', 'name'].each { key ->
        def value = args[key]
        if (value != null && !(value instanceof CharSequence)) {
            problems << "`${key}` must be a string, not `${value}`".toString()
        } else if (value != null && value.toString().isEmpty()) {
            problems << "`${key}` is empty: leave it out to use the default".toString()
        }
    }
    ['runtime', 'writeBaseline', 'offline', 'failOnFindings', 'recordIssues', 'junit', 'archive'].each { key ->
        def value = args[key]
        if (value != null && !(value instanceof Boolean) && !(value.toString() in ['true', 'false'])) {
            problems << "`${key}` must be true or false, not `${value}`".toString()
        }
    }
    if (args.path != null && args.dir != null && str(args.path) != str(args.dir)) {
        problems << '`path` and `dir` name the same thing: give one of them'
    }
    def threshold = str(args.severityThreshold)
    if (threshold != null && !(threshold in thresholds())) {
        problems << "`severityThreshold: '${threshold}'` is not one of ${thresholds().join(', ')}".toString()
    }
    def failOn = str(args.failOn)
    if (failOn != null && !(failOn in ['critical', 'high', 'medium', 'low'])) {
        problems << "`failOn: '${failOn}'` is not one of critical, high, medium, low".toString()
    }
    List<String> sources = ['binary', 'tool', 'version'].findAll { args[it] != null }
    if (sources.size() > 1) {
        problems << "give only one of `binary`, `tool` and `version` (got ${sources.join(', ')})".toString()
    }
    if (args.releaseBaseUrl != null && args.version == null) {
        problems << '`releaseBaseUrl` is only used with `version:`'
    }
    def version = str(args.version)
    if (version != null && !(version ==~ /[0-9A-Za-z][0-9A-Za-z.+-]*/)) {
        problems << "`version: '${version}'` is not a release version such as 0.4.0".toString()
    }
    def images = args.images
    if (images != null && !(images instanceof CharSequence) && !(images instanceof Collection)) {
        problems << "`images` must be a list of image references (or one reference), not `${images}`".toString()
    } else if (images instanceof Collection && images.any { it == null || it.toString().isEmpty() }) {
        problems << '`images` contains an empty entry'
    }
    def extra = args.extraArgs
    if (extra != null && !(extra instanceof Collection)) {
        // A string would have to be split, and splitting is where quoting goes wrong.
        problems << "`extraArgs` must be a list with one element per argument, e.g. ['--disable', 'PC1001'], not `${extra}`".toString()
    }
    def reportsDir = str(args.reportsDir)
    if (reportsDir != null) {
        if (reportsDir.startsWith('/') || reportsDir.split('/').any { it == '..' }) {
            problems << "`reportsDir: '${reportsDir}'` must stay inside the workspace (recordIssues and junit only look there)".toString()
        }
        if (reportsDir.find(/[,*?]/)) {
            problems << "`reportsDir: '${reportsDir}'` cannot contain `,`, `*` or `?`: recordIssues and junit read them as file patterns".toString()
        }
    }
    problems
}

@NonCPS
List<String> thresholds() {
    ['error', 'warning', 'info', 'style', 'none']
}

@NonCPS
String str(value) {
    value == null ? null : value.toString()
}

@NonCPS
boolean flag(Map args, String key, boolean fallback) {
    def value = args[key]
    value == null ? fallback : value.toString() == 'true'
}

@NonCPS
String reportsDirOf(Map args) {
    String dir = str(args.reportsDir) ?: 'portcullis-reports'
    dir = dir.replaceAll(/\/+$/, '').replaceAll(/^(\.\/)+/, '')
    dir ?: '.'
}

@NonCPS
Map<String, String> reportPaths(String reportsDir) {
    String prefix = reportsDir == '.' ? '' : "${reportsDir}/"
    [
            sarif   : "${prefix}portcullis.sarif".toString(),
            junit   : "${prefix}portcullis-junit.xml".toString(),
            json    : "${prefix}portcullis.json".toString(),
            markdown: "${prefix}portcullis-summary.md".toString(),
    ]
}

// --- The command line ---------------------------------------------------------------------

/** The words of the `portcullis check` invocation, unquoted. */
@NonCPS
List<String> checkArguments(String binary, Map args, Map<String, String> reports) {
    List<String> words = [binary, 'check']
    def images = args.images
    (images instanceof Collection ? images : (images == null ? [] : [images])).each {
        words += ['--image', it.toString()]
    }
    if (flag(args, 'runtime', false)) {
        words << '--runtime'
    }
    [severityThreshold: '-t', failOn: '--fail-on', config: '-c', baseline: '--baseline',
     newOnlySince: '--new-only-since', db: '--db'].each { key, option ->
        if (args[key] != null) {
            words += [option, str(args[key])]
        }
    }
    if (flag(args, 'writeBaseline', false)) {
        words << '--write-baseline'
    }
    if (flag(args, 'offline', false)) {
        words << '--offline'
    }
    words += ['--color', 'never']
    ['sarif', 'junit', 'json', 'markdown'].each { format ->
        words += ['-f', "${format}=${reports[format]}".toString()]
    }
    words += ['-f', 'text']
    (args.extraArgs ?: []).each { words << it.toString() }
    // `--` so that a directory whose name starts with `-` is not read as an option.
    words += ['--', str(args.path) ?: str(args.dir) ?: '.']
    words
}

/** The command for `sh`: every word single-quoted, so no argument can inject shell syntax. */
@NonCPS
String commandLine(String binary, Map args, Map<String, String> reports) {
    checkArguments(binary, args, reports).collect { shellQuote(it) }.join(' ')
}

@NonCPS
String shellQuote(String word) {
    "'" + word.replace("'", "'\"'\"'") + "'"
}

// --- Where the binary comes from ----------------------------------------------------------

String resolveBinary(Map args) {
    if (args.binary != null) {
        return str(args.binary)
    }
    if (args.tool != null) {
        String home = tool(name: str(args.tool))
        String inBin = "${home}/bin/portcullis"
        return fileExists(inBin) ? inBin : "${home}/portcullis"
    }
    if (args.version != null) {
        return install(str(args.version), str(args.releaseBaseUrl) ?: defaultReleaseBaseUrl())
    }
    return 'portcullis'
}

@NonCPS
String defaultReleaseBaseUrl() {
    'https://github.com/portcullis-security/portcullis/releases/download'
}

/** Downloads release `version` once per job workspace, checking it against the release's SHA256SUMS. */
String install(String version, String baseUrl) {
    // WORKSPACE_TMP (workspace@tmp) stays out of the checked tree and the archived reports.
    String root = env.WORKSPACE_TMP ?: "${env.WORKSPACE ?: '.'}/.portcullis-tools"
    String dest = "${root}/portcullis/${version.replaceFirst(/^v/, '')}"
    int status = sh(script: installScript(version, baseUrl, dest), returnStatus: true,
            label: "install portcullis ${version}")
    if (status != 0) {
        error("portcullis: installing release ${version} from ${baseUrl} failed (exit code ${status}; " +
                "the log above says why). Check that the release exists for this agent's platform, " +
                "or use `binary:` or `tool:` instead.")
    }
    return "${dest}/portcullis"
}

@NonCPS
String installScript(String version, String baseUrl, String dest) {
    'set -eu\n' +
            "version=${shellQuote(version)}\n" +
            "base_url=${shellQuote(baseUrl)}\n" +
            "dest=${shellQuote(dest)}\n" +
            '''\
version="${version#v}"
if [ -x "$dest/portcullis" ]; then
    exit 0
fi
# The targets the project's releases are built for (the same assets as the GitHub Action's).
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64 | Linux-amd64) target=x86_64-unknown-linux-musl ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    *)
        echo "portcullis: no release is built for $(uname -s) $(uname -m): build it (cargo install) and pass binary:" >&2
        exit 3
        ;;
esac
asset="portcullis-$target.tar.gz"
url="$base_url/v$version/$asset"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for file in "$asset" SHA256SUMS; do
    if ! curl -fsSL --retry 3 -o "$tmp/$file" "$base_url/v$version/$file"; then
        echo "portcullis: cannot download $base_url/v$version/$file" >&2
        exit 3
    fi
done
# sha256sum lines: `<hex>  <name>`, or `<hex> *<name>` when written in binary mode.
expected="$(awk -v name="$asset" '$2 == name || $2 == "*" name { print tolower($1); exit }' "$tmp/SHA256SUMS")"
if [ -z "$expected" ]; then
    echo "portcullis: $base_url/v$version/SHA256SUMS lists no checksum for $asset; not installing an unverified binary" >&2
    exit 4
fi
if command -v sha256sum >/dev/null 2>&1; then
    actual="$(sha256sum "$tmp/$asset" | cut -d' ' -f1)"
else
    actual="$(shasum -a 256 "$tmp/$asset" | cut -d' ' -f1)"
fi
if [ "$expected" != "$actual" ]; then
    echo "portcullis: $url does not match its published SHA-256 (expected $expected, got $actual); not installing it" >&2
    exit 4
fi
mkdir -p "$tmp/unpacked" "$dest"
tar -xzf "$tmp/$asset" -C "$tmp/unpacked"
if [ ! -f "$tmp/unpacked/portcullis" ]; then
    echo "portcullis: $asset has no portcullis at its top level" >&2
    exit 4
fi
# Renamed into place only when complete, so a cancelled build leaves no half-copied binary.
cp "$tmp/unpacked/portcullis" "$dest/portcullis.part"
chmod 755 "$dest/portcullis.part"
mv "$dest/portcullis.part" "$dest/portcullis"
'''
}

// --- Reading the results ------------------------------------------------------------------

/** What the step needs from the JSON report (docs/json-format.md), or null without one. */
Map readReport(String path) {
    if (!fileExists(path)) {
        return null
    }
    return summarize(readFile(file: path, encoding: 'UTF-8'))
}

@NonCPS
Map summarize(String json) {
    def report
    try {
        report = new JsonSlurperClassic().parseText(json)
    } catch (Exception ignored) {
        return null
    }
    if (!(report instanceof Map)) {
        return null
    }
    List<String> errors = (report.errors ?: []).collect { it.toString() }
    (report.runs ?: []).each { run ->
        (run.targets ?: []).findAll { it.error }.each { errors << "${it.path}: ${it.error}".toString() }
    }
    [
            // JSON null: findings never fail the run (`none`).
            threshold: report.containsKey('failure_threshold') ? (report.failure_threshold ?: 'none') : null,
            total    : report.summary?.total,
            errors   : errors,
    ]
}

/** The threshold the gates follow: the argument, else what the run used (it may come from .portcullis.toml). */
@NonCPS
String effectiveThreshold(Map args, Map report) {
    str(args.severityThreshold) ?: report?.threshold
}

/**
 * Warnings NG quality gates for a failure threshold. SARIF levels arrive as Warnings NG
 * severities: error -> High, warning -> Normal, note -> Low (our info and style are both
 * `note`); so each threshold gates on its level and every level above it.
 */
@NonCPS
List<Map> qualityGates(String threshold, boolean failOnFindings) {
    Map<String, List<String>> types = [
            error  : ['TOTAL_HIGH'],
            warning: ['TOTAL_HIGH', 'TOTAL_NORMAL'],
            info   : ['TOTAL_HIGH', 'TOTAL_NORMAL', 'TOTAL_LOW'],
            style  : ['TOTAL_HIGH', 'TOTAL_NORMAL', 'TOTAL_LOW'],
            none   : [],
    ]
    String criticality = failOnFindings ? 'FAILURE' : 'UNSTABLE'
    types[threshold].collect { [threshold: 1, type: it, criticality: criticality] }
}

@NonCPS
String incompleteMessage(Map report, String reportsDir) {
    List<String> errors = report?.errors ?: []
    String why = errors ? errors.take(5).join('; ') + (errors.size() > 5 ? "; and ${errors.size() - 5} more" : '') :
            'see its output above'
    "portcullis: the check did not complete (exit code 2): ${why}. Fix these and run again; the reports " +
            "in ${reportsDir} cover only what could be checked."
}
