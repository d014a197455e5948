#!/usr/bin/env python3
"""Data for benches/vuln_db.sh: OSV exports at osv.dev scale, and a Debian 12 image.

    vuln_db_data.py exports --shared DIR --out DIR [--scale F] [--jobs N]
    vuln_db_data.py image --plan DIR/plan.json --shared DIR --out LAYOUT --tag TAG [--packages N]
                          [--subset all|with-advisories|without-advisories|linux]

`exports` writes OUT/<ECOSYSTEM>/all.zip for every ecosystem of COUNTS below, shaped like the
exports of the OSV bucket (one `<ID>.json` per record at the root of the zip, indented JSON),
and OUT/plan.json: the Debian source names with the number of records naming each in
Debian:12. Records are clones of real ones from ../shared/vulndata (golang/vulndb, RustSec,
PyPA; their details, summaries, references, severity vectors and range/version shapes) given
new ids, names and the target ecosystem, or, for the distributions and malicious packages,
built after the layout of the real osv.dev records of those sources, with real advisory
texts as details. Everything is seeded: the same arguments give the same bytes.

`image` writes an OCI image layout (one gzip layer: etc/os-release and etc/debian_version of
Debian 12 from ../shared/vulndata/debian-12-changelog, and var/lib/dpkg/status) whose dpkg
status lists N installed packages: the 88 of the real bookworm minbase, then generated ones.
About 15% of them are built from source packages with advisories in the generated Debian:12
data (among them `linux`, through linux-libc-dev, and the other heaviest sources), the rest
from sources with none. Python 3 standard library only.
"""

import argparse
import bisect
import glob
import gzip
import hashlib
import io
import json
import multiprocessing
import os
import random
import re
import sys
import tarfile
import time
import zipfile

# Records per ecosystem, approximating osv.dev's exports (2025). npm is mostly MAL-* records
# (the OpenSSF malicious-packages feed, one version each); the distributions carry one record
# per CVE (Debian, Ubuntu, Alpine) or per advisory (Red Hat, SUSE…) with many affected entries.
COUNTS = {
    "npm": 220_000,        # 200,000 MAL-* + 20,000 GHSA-*
    "Debian": 60_000,      # 50,000 DEBIAN-CVE-* (Debian:10..13), 6,000 DSA-*, 4,000 DLA-*
    "Ubuntu": 60_000,      # 52,000 UBUNTU-CVE-* (20% kernel CVEs naming every kernel flavour), 8,000 USN-*
    "Red Hat": 30_000,     # RHSA-*, a few to dozens of binary packages x products each
    "Alpine": 30_000,      # ALPINE-CVE-*, Alpine:v3.12..v3.21
    "PyPI": 18_000,        # 3,000 PYSEC-* + 15,000 GHSA-*
    "SUSE": 8_000,         # SUSE-SU-*, products x packages
    "Maven": 7_000,        # GHSA-*
    "Go": 5_000,           # GO-* (clones of golang/vulndb)
    "Packagist": 5_000,    # GHSA-*
    "AlmaLinux": 4_000,    # ALSA-*
    "openSUSE": 4_000,     # openSUSE-SU-*
    "RubyGems": 3_000,     # GHSA-*
    "Rocky Linux": 3_000,  # RLSA-*
    "Chainguard": 3_000,   # CGA-*
    "crates.io": 2_000,    # RUSTSEC-* (clones of RustSec) + GHSA-*
    "Wolfi": 2_000,        # CGA-*
    "NuGet": 1_500,        # GHSA-*
}

# Debian sources with many advisories (records per 60,000), the rest follow a Zipf law over
# the other names. `linux` is the kernel: thousands of CVEs since the kernel became a CNA.
DEBIAN_HEAVY = {
    "linux": 8000, "chromium": 1500, "firefox-esr": 900, "imagemagick": 700, "thunderbird": 600,
    "gpac": 500, "wireshark": 450, "qemu": 400, "openjdk-17": 350, "binutils": 300,
    "ffmpeg": 300, "php8.2": 250, "vim": 250, "tiff": 200, "mariadb": 200, "curl": 150,
    "tcpdump": 150, "nodejs": 150, "openssl": 120, "python3.11": 120, "glibc": 100,
    "libxml2": 100, "ghostscript": 150, "pdns-recursor": 60, "ruby3.1": 60, "gdal": 50,
}

SEED = 20250601
ZIP_TIME = (2025, 6, 1, 0, 0, 0)


# --- YAML (PyPA records) ------------------------------------------------------------------

def parse_yaml(text):
    """The block-style YAML the PyPA advisory files use: mappings, sequences, plain, quoted and
    literal scalars. Every scalar is a string (timestamps stay text, as OSV wants). Checked to
    give what PyYAML's BaseLoader gives on every file of ../shared/vulndata/pypa."""
    lines = text.split("\n")
    n = len(lines)
    key_re = re.compile(r"^([^\s'\"#\-][^:]*?|-[^\s:][^:]*?):(?: +(.*))?$")

    def indent_of(s):
        return len(s) - len(s.lstrip(" "))

    def skip(i):
        while i < n and (not lines[i].strip() or lines[i].lstrip().startswith("#")
                         or lines[i].strip() in ("---", "...")):
            i += 1
        return i

    def fold(parts):
        # Line breaks inside a flow scalar: one becomes a space, k empty lines k newlines.
        text, pending = "", 0
        for k, p in enumerate(parts):
            if k == 0:
                text = p
                continue
            if p == "" and k < len(parts) - 1:
                pending += 1
                continue
            if text.endswith("\0J"):
                text = text[:-2]
            elif pending:
                text += "\n" * pending
            else:
                text += " "
            pending = 0
            text += p
        return text.replace("\0J", "")

    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "0": "\0", " ": " ",
               "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "N": "\x85", "_": "\xa0"}

    def quoted(first, i):
        q, body, parts = first[0], first[1:].rstrip(" \t"), []
        while True:
            j, out = 0, []
            while j < len(body):
                c = body[j]
                if q == "'" and c == "'":
                    if j + 1 < len(body) and body[j + 1] == "'":
                        out.append("'")
                        j += 2
                        continue
                    parts.append("".join(out))
                    return fold(parts), i, body[j + 1:]
                if q == '"' and c == "\\":
                    if j + 1 >= len(body):  # an escaped line break joins without a space
                        out.append("\0J")
                        j += 1
                        continue
                    e = body[j + 1]
                    if e in escapes:
                        out.append(escapes[e])
                        j += 2
                        continue
                    width = {"x": 2, "u": 4, "U": 8}.get(e)
                    if not width:
                        raise ValueError("unknown escape \\" + e)
                    out.append(chr(int(body[j + 2:j + 2 + width], 16)))
                    j += 2 + width
                    continue
                if q == '"' and c == '"':
                    parts.append("".join(out))
                    return fold(parts), i, body[j + 1:]
                out.append(c)
                j += 1
            parts.append("".join(out))
            i += 1
            if i >= n:
                raise ValueError("unterminated quoted scalar")
            body = lines[i].strip()

    def literal(header, i, ind):
        flags = header[1:].split("#")[0].strip()
        chomp = "-" if "-" in flags else "+" if "+" in flags else ""
        digits = "".join(c for c in flags if c.isdigit())
        block_ind = ind + int(digits) if digits else None
        j, body = i + 1, []
        while j < n:
            s = lines[j]
            if s.strip() == "":
                body.append("")
                j += 1
                continue
            k = indent_of(s)
            if block_ind is None:
                if k <= ind:
                    break
                block_ind = k
            if k < block_ind:
                break
            body.append(s[block_ind:])
            j += 1
        trail = 0
        while body and body[-1] == "":
            body.pop()
            trail += 1
        text = "\n".join(body)
        if chomp == "+":
            text += "\n" * (trail + 1)
        elif chomp == "" and body:
            text += "\n"
        return text, j

    def scalar(rest, i, ind):
        if rest.startswith(("'", '"')):
            value, i, tail = quoted(rest, i)
            if tail.strip() and not tail.strip().startswith("#"):
                raise ValueError("text after a quoted scalar")
            return value, i + 1
        if rest.startswith("|"):
            return literal(rest, i, ind)
        if rest.startswith(">"):
            raise ValueError("folded block scalars are not supported")
        if rest in ("[]", "{}"):
            return ([] if rest == "[]" else {}), i + 1
        k = rest.find(" #")
        parts, j = [rest[:k].rstrip() if k >= 0 else rest], i + 1
        while j < n:
            s = lines[j]
            if s.strip() == "":
                parts.append("")
                j += 1
                continue
            if indent_of(s) <= ind or s.lstrip().startswith("#"):
                break
            parts.append(s.strip())
            j += 1
        while parts and parts[-1] == "":
            parts.pop()
        return fold(parts), j

    def node(i):
        i = skip(i)
        s = lines[i]
        if s.lstrip().startswith("- ") or s.strip() == "-":
            return sequence(i, indent_of(s))
        return mapping(i, indent_of(s))

    def value_after(rest, i, ind, after_key):
        if not rest or rest.startswith("#"):
            j = skip(i + 1)
            if j < n:
                k, nxt = indent_of(lines[j]), lines[j].lstrip()
                if k > ind or (after_key and k == ind and (nxt.startswith("- ") or nxt == "-")):
                    return node(j)
            return None, i + 1
        return scalar(rest, i, ind)

    def mapping(i, ind):
        out = {}
        while True:
            i = skip(i)
            if i >= n or indent_of(lines[i]) != ind or lines[i][ind:].startswith("- "):
                return out, i
            m = key_re.match(lines[i][ind:])
            if not m:
                raise ValueError("line %d is not a key" % (i + 1))
            out[m.group(1).strip()], i = value_after(m.group(2), i, ind, True)

    def sequence(i, ind):
        out = []
        while True:
            i = skip(i)
            if i >= n or indent_of(lines[i]) != ind:
                return out, i
            s = lines[i][ind:]
            if not (s.startswith("- ") or s == "-"):
                return out, i
            rest = s[2:].strip() if len(s) > 1 else ""
            if rest and not rest.startswith(("'", '"', "|")) and key_re.match(rest):
                # `- key: value`: a mapping indented past the dash
                pad = ind + 2 + len(s[2:]) - len(s[2:].lstrip())
                lines[i] = " " * pad + s[2:].lstrip()
                value, i = mapping(i, pad)
            else:
                value, i = value_after(rest, i, ind, False)
            out.append(value)

    i = skip(0)
    if i >= n:
        return None
    value, i = node(i)
    if skip(i) < n:
        raise ValueError("line %d: unexpected text" % (skip(i) + 1))
    return value


# --- Real material --------------------------------------------------------------------------

class Material:
    """What the real records of ../shared/vulndata give: templates and pools."""

    def __init__(self, shared):
        data = os.path.join(shared, "vulndata")
        self.go = [load_json(p) for p in sorted(glob.glob(os.path.join(data, "go/osv/*.json")))]
        self.rust = [load_json(p) for p in sorted(glob.glob(os.path.join(data, "rustsec/crates/*.json")))]
        self.pypa = []
        for path in sorted(glob.glob(os.path.join(data, "pypa/vulns/*/*.yaml"))):
            try:
                record = parse_yaml(open(path, encoding="utf-8").read())
            except (ValueError, IndexError):
                continue
            if isinstance(record, dict) and record.get("affected"):
                self.pypa.append(record)
        if not (self.go and self.rust and self.pypa):
            sys.exit("vuln_db_data: no real records under %s" % data)
        templates = self.go + self.rust + self.pypa
        # Shapes of language advisories: events and versions of each affected entry.
        self.shapes = [shape(t) for t in templates]
        self.shapes = [s for s in self.shapes if s["affected"]]
        # CVE descriptions (NVD-style texts of real length) for the distribution records.
        self.details = [t["details"] for t in self.pypa
                        if isinstance(t.get("details"), str) and len(t["details"]) >= 80]
        self.vectors = sorted({s["score"] for t in templates for s in (t.get("severity") or [])
                               if isinstance(s, dict) and str(s.get("score", "")).startswith("CVSS:3")})
        # Names: real distribution source names (Alpine secdb, the bookworm minbase), words
        # from real package names for the synthesised ones.
        self.distro_names = set()
        for path in glob.glob(os.path.join(data, "alpine-secdb/*/*.yaml")):
            self.distro_names.update(re.findall(r"^\s+name: (\S+)", open(path).read(), re.M))
        status = open(os.path.join(data, "debian-12-changelog/debian-12-minbase.status")).read()
        self.minbase_status = status.strip("\n") + "\n"
        for stanza in status.split("\n\n"):
            fields = dict(re.findall(r"^(Package|Source): (\S+)", stanza, re.M))
            if fields:
                self.distro_names.add(fields.get("Source", fields.get("Package")))
        self.distro_names = sorted(self.distro_names)
        self.pypi_names = sorted({t["affected"][0]["package"]["name"] for t in self.pypa})
        self.crate_names = sorted({a["package"]["name"] for t in self.rust for a in t.get("affected", [])
                                   if a.get("package")})
        self.go_modules = sorted({a["package"]["name"] for t in self.go for a in t.get("affected", [])
                                  if a.get("package")})
        words = set()
        for name in self.pypi_names + self.crate_names + self.distro_names:
            words.update(w.lower() for w in re.split(r"[-_.0-9]+", name) if 3 <= len(w) <= 12)
        for module in self.go_modules:
            words.update(w.lower() for w in re.split(r"[-_./0-9]+", module.split("/")[-1])
                         if 3 <= len(w) <= 12)
        self.words = sorted(words)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def shape(template):
    """The parts of a real advisory a clone keeps."""
    affected = []
    for entry in (template.get("affected") or [])[:3]:
        ranges = [r for r in entry.get("ranges") or [] if r.get("type") in ("ECOSYSTEM", "SEMVER")]
        events = ranges[0]["events"] if ranges else [{"introduced": "0"}]
        affected.append({"events": events, "versions": entry.get("versions") or []})
    return {
        "summary": template.get("summary"),
        "details": template.get("details") or "",
        "severity": template.get("severity") or [],
        "references": template.get("references") or [],
        "affected": affected,
        "cves": sum(1 for a in template.get("aliases") or [] if a.startswith("CVE-")),
    }


# --- Helpers --------------------------------------------------------------------------------

GHSA_ALPHABET = "23456789cfghjmpqrvwx"


def ghsa(i, salt):
    """A GHSA id; distinct for distinct i (the multiplier is prime to 20)."""
    x = (i * 2760594172611731 + salt * 104729 + 12345) % (20 ** 12)
    chars = []
    for _ in range(12):
        x, d = divmod(x, 20)
        chars.append(GHSA_ALPHABET[d])
    return "GHSA-%s-%s-%s" % ("".join(chars[:4]), "".join(chars[4:8]), "".join(chars[8:]))


def timestamp(rng, first=2016, last=2025):
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (
        rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28),
        rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))


def later(rng, when):
    year = min(int(when[:4]) + rng.randint(0, 2), 2025)
    return "%04d%s" % (year, when[4:])


def first_sentence(text):
    text = " ".join(text.split())
    end = text.find(". ")
    text = text[:end] if 0 < end < 120 else text[:100]
    return text.rstrip(".")


def cve(rng, counter):
    return "CVE-%d-%d" % (rng.randint(2014, 2025), 1000 + counter)


def cvss(rng, material):
    return {"type": "CVSS_V3", "score": rng.choice(material.vectors)}


def zipf_picker(rng, names, exponent=1.0, offset=0):
    """A function returning names with Zipf-distributed frequencies (shuffled ranks); `offset`
    ranks are left out at the head (taken by an explicit list of heavy names)."""
    names = list(names)
    rng.shuffle(names)
    cumulative, total = [], 0.0
    for rank in range(len(names)):
        total += 1.0 / (rank + 1 + offset) ** exponent
        cumulative.append(total)
    return lambda: names[bisect.bisect_left(cumulative, rng.random() * total)]


def semver_list(rng, events, count):
    """Increasing versions from the first `introduced` up to the first `fixed` (at most count)."""
    def parse(v):
        parts = re.findall(r"\d+", v or "")
        return [int(p) for p in (parts + ["0", "0", "0"])[:3]]
    start = next((e["introduced"] for e in events if "introduced" in e), "0")
    stop = next((e["fixed"] for e in events if "fixed" in e), None)
    major, minor, patch = parse(start) if start != "0" else (0, 1, 0)
    limit = parse(stop) if stop else None
    out = []
    while len(out) < count:
        if limit and [major, minor, patch] >= limit:
            break
        out.append("%d.%d.%d" % (major, minor, patch))
        if rng.random() < 0.25:
            minor, patch = minor + 1, 0
        else:
            patch += 1
    return out


def name_maker(rng, material, style):
    words = material.words
    w = lambda: rng.choice(words)

    def make():
        if style == "npm":
            r = rng.random()
            if r < 0.25:
                return "@%s/%s" % (w(), w())
            if r < 0.6:
                return "%s-%s" % (w(), w())
            return "%s%s" % (w(), rng.choice(["", "js", "-js", "-utils", "-cli", "-sdk", "2", "-core"]))
        if style == "Maven":
            return "%s.%s.%s:%s-%s" % (rng.choice(["org", "com", "io", "net"]), w(), w(), w(), w())
        if style == "Packagist":
            return "%s/%s" % (w(), rng.choice([w(), "%s-%s" % (w(), w())]))
        if style == "NuGet":
            return ".".join(x.capitalize() for x in (w(), w(), rng.choice([w(), "Core", "Abstractions"])))
        if style == "RubyGems":
            return rng.choice(["%s" % w(), "%s-%s" % (w(), w()), "%s_%s" % (w(), w())])
        if style == "PyPI":
            return rng.choice(["%s" % w(), "%s-%s" % (w(), w()), "%s_%s" % (w(), w()),
                               "python-%s" % w(), "django-%s" % w()])
        if style == "crates.io":
            return rng.choice(["%s" % w(), "%s-%s" % (w(), w()), "%s_%s" % (w(), w())])
        if style == "Go":
            host = rng.choice(["github.com", "github.com", "github.com", "gitlab.com", "go.example.org"])
            return "%s/%s/%s" % (host, w(), rng.choice([w(), "%s-%s" % (w(), w())]))
        raise ValueError(style)
    return make


def distro_name_universe(material, count):
    """Distribution source names: the real ones, then synthesised ones (fixed seed)."""
    rng = random.Random(SEED)
    names = list(dict.fromkeys(material.distro_names + sorted(DEBIAN_HEAVY)))
    seen = set(names)
    words = material.words
    patterns = ["%s", "lib%s", "%s-%s", "python-%s", "node-%s", "ruby-%s", "golang-github-%s-%s",
                "r-cran-%s", "lib%s-perl", "%s%d"]
    while len(names) < count:
        p = rng.choice(patterns)
        k = p.count("%s")
        args = tuple(rng.choice(words) for _ in range(k))
        if "%d" in p:
            args += (rng.randint(1, 9),)
        name = p % args
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


# --- Debian versions (shared by the exports and the image) ----------------------------------

def _h(name):
    return int(hashlib.sha1(name.encode()).hexdigest()[:12], 16)


def deb12_parts(name):
    """(epoch prefix, upstream, Debian revision, bookworm update) of a source in the image."""
    if name == "linux":
        return "", "6.1.129", 1, 0
    h = _h(name)
    upstream = "%d.%d.%d" % (1 + h % 12, (h >> 4) % 30, (h >> 9) % 20)
    epoch = "1:" if (h >> 20) % 10 == 0 else ""
    return epoch, upstream, 1 + (h >> 14) % 6, (h >> 17) % 4


def deb12_installed(name):
    epoch, upstream, rev, update = deb12_parts(name)
    return "%s%s-%d%s" % (epoch, upstream, rev, "+deb12u%d" % update if update else "")


def deb12_history(name):
    epoch, upstream, rev, update = deb12_parts(name)
    if name == "linux":
        return ["6.1.%d-1" % k for k in range(20, 160)]
    versions = ["%s%s-%d" % (epoch, upstream, k) for k in range(1, rev + 1)]
    versions += ["%s%s-%d+deb12u%d" % (epoch, upstream, rev, k) for k in range(1, update + 2)]
    return versions


def deb12_affected(rng, name):
    """(fixed version or None, versions list) of one Debian:12 advisory for `name`: about 65%
    fixed before the installed version, 10% after it, 25% not fixed."""
    history = deb12_history(name)
    if name == "linux":
        r = rng.random()
        if r < 0.8:
            k = rng.randint(21, 159)
            return "6.1.%d-1" % k, history[:k - 20]
        return None, history
    epoch, upstream, rev, update = deb12_parts(name)
    r = rng.random()
    if r < 0.65:
        if update and rng.random() < 0.5:
            k = rng.randint(1, update)
            fixed = "%s%s-%d+deb12u%d" % (epoch, upstream, rev, k)
        elif rev > 1:
            fixed = "%s%s-%d" % (epoch, upstream, rng.randint(1, rev - 1) + 1)
        else:
            major, minor, patch = (int(x) for x in upstream.split("."))
            if patch:
                patch -= 1
            elif minor:
                minor -= 1
            else:
                major -= 1
            fixed = "%s%d.%d.%d-%d" % (epoch, major, minor, patch, rng.randint(1, 4))
        return fixed, [v for v in history if v != fixed][:max(1, rng.randint(1, len(history)))]
    if r < 0.75:
        return "%s%s-%d+deb12u%d" % (epoch, upstream, rev, update + 1), history
    return None, history


def other_release(rng, name, release):
    """A fix and versions for releases other than 12: plausible strings, never matched here."""
    tag = {"10": "deb10u", "11": "deb11u", "13": ""}[release]
    major = 1 + _h(name + release) % 9
    upstream = "%d.%d.%d" % (major, rng.randint(0, 20), rng.randint(0, 15))
    versions = ["%s-%d" % (upstream, k) for k in range(1, rng.randint(2, 8))]
    if rng.random() < 0.3:
        return None, versions
    fixed = "%s-%d%s" % (upstream, len(versions) + 1, "+%s%d" % (tag, rng.randint(1, 6)) if tag else "")
    return fixed, versions


# --- Record builders per ecosystem ----------------------------------------------------------

def language_records(eco, count, material, rng):
    style = eco
    make_name = name_maker(rng, material, style)
    names = [make_name() for _ in range(max(50, count // 3))]
    if eco == "PyPI":
        names = material.pypi_names + names
    elif eco == "crates.io":
        names = material.crate_names + names
    pick = zipf_picker(rng, names, 0.8)
    range_type = "SEMVER" if eco in ("npm", "crates.io") else "ECOSYSTEM"
    purl_type = {"npm": "npm", "Maven": "maven", "Packagist": "composer", "NuGet": "nuget",
                 "RubyGems": "gem", "PyPI": "pypi", "crates.io": "cargo"}[eco]
    salt = sum(map(ord, eco))
    for i in range(count):
        if eco == "PyPI" and i < count // 6:
            template = rng.choice(material.pypa)
            record = clone_pysec(template, i, pick(), rng)
            yield record["id"], record
            continue
        if eco == "crates.io" and i < count // 2:
            template = rng.choice(material.rust)
            record = clone_rustsec(template, i, pick(), rng)
            yield record["id"], record
            continue
        s = rng.choice(material.shapes)
        ident = ghsa(i, salt)
        published = timestamp(rng, 2017)
        cves = [cve(rng, i)] if (s["cves"] or rng.random() < 0.7) else []
        affected = []
        for k, entry in enumerate(s["affected"]):
            name = pick()
            versions = entry["versions"]
            if not versions and rng.random() < 0.8:
                versions = semver_list(rng, entry["events"], rng.randint(3, 60))
            affected.append({
                "package": {"ecosystem": eco, "name": name,
                            "purl": "pkg:%s/%s" % (purl_type, name.replace(":", "/"))},
                "ranges": [{"type": range_type, "events": entry["events"]}],
                "versions": versions,
                "database_specific": {"source": "https://github.com/github/advisory-database/blob/main/advisories/github-reviewed/%s/%s/%s.json" % (published[:4], published[:7], ident)},
            })
        severity = s["severity"] or ([cvss(rng, material)] if rng.random() < 0.85 else [])
        record_details = rng.choice(material.details)
        record = {
            "schema_version": "1.6.0",
            "id": ident,
            "modified": later(rng, published),
            "published": published,
            "aliases": cves,
            "summary": s["summary"] or first_sentence(s["details"] or record_details),
            "details": s["details"] or record_details,
            "severity": severity,
            "affected": affected,
            "references": [{"type": "ADVISORY", "url": "https://nvd.nist.gov/vuln/detail/" + c} for c in cves]
            + s["references"][:12]
            + [{"type": "ADVISORY", "url": "https://github.com/advisories/" + ident}],
            "database_specific": {
                "cwe_ids": ["CWE-%d" % rng.choice([20, 22, 78, 79, 89, 94, 200, 287, 352, 400, 502, 918, 1321])],
                "severity": rng.choice(["LOW", "MODERATE", "HIGH", "CRITICAL"]),
                "github_reviewed": True,
                "github_reviewed_at": later(rng, published),
                "nvd_published_at": published if cves else None,
            },
        }
        yield ident, record


def clone_pysec(template, i, name, rng):
    record = dict(template)
    record["id"] = "PYSEC-%d-%d" % (rng.randint(2014, 2025), 1000 + i)
    record["aliases"] = ["CVE-%d-%d" % (rng.randint(2014, 2025), 20000 + i)] + [
        a for a in template.get("aliases") or [] if not a.startswith("CVE-")]
    record["affected"] = []
    for entry in template["affected"]:
        entry = dict(entry)
        entry["package"] = {"ecosystem": "PyPI", "name": name, "purl": "pkg:pypi/" + name.lower()}
        record["affected"].append(entry)
    return record


def clone_rustsec(template, i, name, rng):
    record = dict(template)
    record["id"] = "RUSTSEC-%d-%04d" % (rng.randint(2016, 2025), i)
    record["aliases"] = ["CVE-%d-%d" % (rng.randint(2016, 2025), 30000 + i)] if template.get("aliases") else []
    record["affected"] = []
    for entry in template.get("affected") or []:
        entry = dict(entry)
        entry["package"] = {"ecosystem": "crates.io", "name": name, "purl": "pkg:cargo/" + name}
        record["affected"].append(entry)
    return record


def go_records(count, material, rng):
    make = name_maker(rng, material, "Go")
    modules = {}
    for i in range(count):
        template = material.go[i % len(material.go)]
        record = dict(template)
        year = rng.randint(2020, 2025)
        record["id"] = "GO-%d-%04d" % (year, i)
        record["aliases"] = ["CVE-%d-%d" % (year, 40000 + i), ghsa(i, 77)] if template.get("aliases") else []
        record["affected"] = []
        for entry in template.get("affected") or []:
            old = entry["package"]["name"]
            if old in ("stdlib", "toolchain"):
                new = old
            else:
                new = modules.setdefault((old, i // len(material.go)), make())
            entry = dict(entry)
            entry["package"] = {"name": new, "ecosystem": "Go"}
            spec = entry.get("ecosystem_specific") or {}
            if spec.get("imports"):
                entry["ecosystem_specific"] = {"imports": [
                    dict(imp, path=new + imp["path"][len(old):]) if imp.get("path", "").startswith(old) else imp
                    for imp in spec["imports"]]}
            record["affected"].append(entry)
        record["database_specific"] = {"url": "https://pkg.go.dev/vuln/" + record["id"],
                                       "review_status": "REVIEWED"}
        yield record["id"], record


def mal_record(i, name, rng):
    year = rng.randint(2022, 2025)
    published = timestamp(rng, year, year)
    version = "%d.%d.%d" % (rng.choice([0, 1, 1, 1, 2, 3, 9, 99]), rng.randint(0, 9), rng.randint(0, 9))
    digest = "%064x" % rng.getrandbits(256)
    reasons = rng.sample([
        "- The package communicates with a domain associated with malicious activity.",
        "- The package executes one or more commands associated with malicious behavior.",
        "- The package has an install script that downloads and executes a remote payload.",
        "- The package exfiltrates environment variables and host information to a remote server.",
        "- The package is a typosquat of a popular package and contains obfuscated code.",
    ], rng.randint(1, 3))
    details = ("\n---\n\n_-= Per source details. Do not edit below this line.=-_\n\n"
               "## Source: ossf-package-analysis (%s)\nThe OpenSSF Package Analysis project "
               "identified '%s' @ %s (npm) as malicious.\n\nIt is considered malicious because:\n\n%s\n"
               % (digest, name, version, "\n".join(reasons)))
    origin = {"source": "ossf-package-analysis", "sha256": digest, "import_time": later(rng, published),
              "modified_time": published, "versions": [version]}
    affected = {"package": {"ecosystem": "npm", "name": name}, "versions": [version],
                "database_specific": {"malicious-packages-origins": [origin]}}
    if rng.random() < 0.5:
        affected["ranges"] = [{"type": "SEMVER", "events": [{"introduced": "0"}]}]
    ident = "MAL-%d-%d" % (year, 1000 + i)
    return ident, {
        "modified": later(rng, published),
        "published": published,
        "schema_version": "1.5.0",
        "id": ident,
        "summary": "Malicious code in %s (npm)" % name,
        "details": details,
        "affected": [affected],
        "credits": [{"name": "OpenSSF: Package Analysis", "type": "FINDER",
                     "contact": ["https://github.com/ossf/package-analysis",
                                 "https://openssf.slack.com/channels/package_analysis"]}],
        "database_specific": {"malicious-packages-origins": [origin]},
    }


def npm_records(count, material, rng):
    malicious = count * 10 // 11
    make = name_maker(rng, material, "npm")
    for i in range(malicious):
        yield mal_record(i, make() + ("" if rng.random() < 0.5 else "-%d" % rng.randint(1, 9999)), rng)
    yield from language_records("npm", count - malicious, material, rng)


def debian_records(count, material, rng, universe, plan):
    scale = count / 60_000
    heavy = {name: max(1, int(round(n * scale))) for name, n in DEBIAN_HEAVY.items()}
    pick = zipf_picker(rng, [n for n in universe if n not in heavy], 1.0, len(heavy))
    cve_count = count * 5 // 6
    owners = []
    for name, n in heavy.items():
        owners += [name] * n
    owners += [pick() for _ in range(max(0, cve_count - len(owners)))]
    owners = owners[:cve_count]
    rng.shuffle(owners)
    counts = plan.setdefault("debian12", {})

    def entry(name, release, fixed, versions, urgency=None):
        events = [{"introduced": "0"}] + ([{"fixed": fixed}] if fixed else [])
        out = {"package": {"name": name, "ecosystem": "Debian:" + release,
                           "purl": "pkg:deb/debian/%s?arch=source" % name},
               "ranges": [{"type": "ECOSYSTEM", "events": events}],
               "versions": versions}
        if urgency:
            out["ecosystem_specific"] = {"urgency": urgency}
        return out

    for i, name in enumerate(owners):
        ident_cve = cve(rng, i)
        affected = []
        releases = [r for r, p in (("10", 0.15), ("11", 0.8), ("12", 0.9), ("13", 0.95)) if rng.random() < p] or ["13"]
        for release in releases:
            if release == "12":
                fixed, versions = deb12_affected(rng, name)
                counts[name] = counts.get(name, 0) + 1
            else:
                fixed, versions = other_release(rng, name, release)
            urgency = None if fixed else rng.choice(["unimportant", "not yet assigned", "low", "medium"])
            affected.append(entry(name, release, fixed, versions, urgency))
        published = timestamp(rng)
        ident = "DEBIAN-" + ident_cve
        yield ident, {
            "id": ident,
            "details": rng.choice(material.details),
            "modified": later(rng, published),
            "published": published,
            "upstream": [ident_cve],
            "affected": affected,
            "references": [{"type": "ADVISORY", "url": "https://security-tracker.debian.org/tracker/" + ident_cve}],
            "schema_version": "1.7.0",
        }
    for i in range(count - cve_count):
        dsa = i < (count - cve_count) * 3 // 5
        name = rng.choice(list(heavy)) if rng.random() < 0.3 else pick()
        ident = ("DSA-%d-1" % (4000 + i)) if dsa else ("DLA-%d-1" % (2000 + i))
        cves = [cve(rng, 100000 + i * 20 + k) for k in range(rng.randint(1, 15))]
        affected = []
        for release in (("12", "11") if dsa else ("11", "10")):
            if affected and rng.random() < 0.4:
                continue
            if release == "12":
                fixed, versions = deb12_affected(rng, name)
                fixed = fixed or versions[-1]
                counts[name] = counts.get(name, 0) + 1
            else:
                fixed, versions = other_release(rng, name, release)
                fixed = fixed or versions[-1] + "+deb%su1" % release
            affected.append(entry(name, release, fixed, versions))
        published = timestamp(rng, 2018)
        yield ident, {
            "id": ident,
            "summary": "%s - security update" % name,
            "details": "\n\n" + " ".join(rng.choice(material.details) for _ in range(min(3, len(cves)))) +
                       "\n\nWe recommend that you upgrade your %s packages.\n" % name,
            "modified": later(rng, published),
            "published": published,
            "related": cves,
            "upstream": cves,
            "affected": affected,
            "references": [{"type": "ADVISORY", "url": "https://www.debian.org/security/%s/%s" % (published[:4], ident.lower())}],
            "schema_version": "1.7.0",
        }


UBUNTU_RELEASES = ["Ubuntu:Pro:14.04:LTS", "Ubuntu:Pro:16.04:LTS", "Ubuntu:Pro:18.04:LTS",
                   "Ubuntu:20.04:LTS", "Ubuntu:22.04:LTS", "Ubuntu:24.04:LTS", "Ubuntu:24.10",
                   "Ubuntu:25.04"]
UBUNTU_KERNELS = ["linux", "linux-aws", "linux-azure", "linux-gcp", "linux-oracle", "linux-ibm",
                  "linux-kvm", "linux-lowlatency", "linux-hwe-6.8", "linux-hwe-5.15", "linux-raspi",
                  "linux-realtime", "linux-nvidia", "linux-oem-6.8", "linux-aws-fips", "linux-azure-fips",
                  "linux-gcp-fips", "linux-fips", "linux-bluefield", "linux-intel-iotg", "linux-xilinx-zynqmp",
                  "linux-riscv", "linux-gke", "linux-gkeop", "linux-iot", "linux-aws-5.15", "linux-azure-5.15",
                  "linux-oracle-5.15", "linux-gcp-5.15", "linux-lowlatency-hwe-6.8"]


def ubuntu_records(count, material, rng, universe):
    pick = zipf_picker(rng, universe, 1.0, 10)
    usn = count * 2 // 15

    def affected_for(name, release, fixed_ok):
        up = "%d.%d.%d" % (1 + _h(name) % 9, rng.randint(0, 20), rng.randint(0, 15))
        rev = rng.randint(1, 6)
        versions = ["%s-%dubuntu0.%d" % (up, rev, k) for k in range(1, rng.randint(2, 12))]
        fixed = "%s-%dubuntu0.%d" % (up, rev, len(versions) + 1)
        events = [{"introduced": "0"}] + ([{"fixed": fixed}] if fixed_ok else [])
        return {"package": {"ecosystem": release, "name": name, "purl": "pkg:deb/ubuntu/%s@%s?arch=source" % (name, fixed)},
                "ranges": [{"type": "ECOSYSTEM", "events": events}], "versions": versions,
                "ecosystem_specific": {"binaries": [{"binary_name": b, "binary_version": fixed}
                                                    for b in (name, "lib" + name, name + "-doc")[:rng.randint(1, 3)]],
                                       "availability": "No subscription required"}}

    for i in range(count - usn):
        ident_cve = cve(rng, i)
        kernel = rng.random() < 0.2
        names = rng.sample(UBUNTU_KERNELS, rng.randint(8, 30)) if kernel else [pick()]
        releases = rng.sample(UBUNTU_RELEASES, rng.randint(1, 4 if kernel else 5))
        affected = [affected_for(n, r, rng.random() < 0.6) for n in names for r in releases
                    if not kernel or rng.random() < 0.5] or [affected_for(names[0], releases[0], True)]
        published = timestamp(rng)
        priority = rng.choice(["negligible", "low", "medium", "medium", "high", "critical"])
        severity = [{"type": "Ubuntu", "score": priority}]
        if rng.random() < 0.7:
            severity.append(cvss(rng, material))
        ident = "UBUNTU-" + ident_cve
        yield ident, {
            "id": ident, "summary": ident_cve, "details": rng.choice(material.details),
            "aliases": [], "related": [ident_cve], "published": published,
            "modified": later(rng, published), "severity": severity, "affected": affected,
            "references": [{"type": "REPORT", "url": "https://ubuntu.com/security/" + ident_cve},
                           {"type": "REPORT", "url": "https://www.cve.org/CVERecord?id=" + ident_cve}],
            "upstream": [ident_cve], "schema_version": "1.6.3",
        }
    for i in range(usn):
        name = pick()
        ident = "USN-%d-%d" % (4000 + i, rng.randint(1, 3))
        cves = [cve(rng, 200000 + i * 10 + k) for k in range(rng.randint(1, 8))]
        releases = rng.sample(UBUNTU_RELEASES[3:], rng.randint(1, 4))
        published = timestamp(rng, 2019)
        yield ident, {
            "id": ident, "summary": "%s vulnerabilities" % name,
            "details": " ".join(rng.choice(material.details) for _ in range(min(3, len(cves)))),
            "aliases": [], "related": cves, "published": published, "modified": later(rng, published),
            "affected": [affected_for(name, r, True) for r in releases],
            "references": [{"type": "ADVISORY", "url": "https://ubuntu.com/security/notices/" + ident}]
            + [{"type": "REPORT", "url": "https://ubuntu.com/security/" + c} for c in cves],
            "upstream": cves, "schema_version": "1.6.3",
        }


def alpine_records(count, material, rng, universe):
    real = material.distro_names
    names = real * 4 + universe[:1500]  # the real Alpine names carry most advisories
    pick = zipf_picker(rng, names, 1.0, 10)
    releases = ["Alpine:v3.%d" % k for k in range(12, 22)]
    for i in range(count):
        name = pick()
        ident_cve = cve(rng, i)
        first = rng.randint(0, len(releases) - 1)
        affected = []
        for release in releases[first:first + rng.randint(1, 6)]:
            up = "%d.%d.%d" % (1 + _h(name) % 9, rng.randint(0, 20), rng.randint(0, 15))
            affected.append({
                "package": {"ecosystem": release, "name": name, "purl": "pkg:apk/alpine/%s?arch=source" % name},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s-r%d" % (up, rng.randint(0, 5))}]}],
            })
        published = timestamp(rng)
        ident = "ALPINE-" + ident_cve
        yield ident, {
            "id": ident, "details": rng.choice(material.details), "modified": later(rng, published),
            "published": published, "upstream": [ident_cve], "affected": affected,
            "references": [{"type": "ADVISORY", "url": "https://security.alpinelinux.org/vuln/" + ident_cve},
                           {"type": "REPORT", "url": "https://www.cve.org/CVERecord?id=" + ident_cve}],
            "schema_version": "1.6.0",
        }


RPM_SUFFIXES = ["", "-devel", "-libs", "-common", "-tools", "-doc", "-debugsource", "-headers",
                "-static", "-utils", "-server", "-client", "-python3", "-perl", "-data"]
KERNEL_BINARIES = ["kernel", "kernel-core", "kernel-modules", "kernel-modules-core", "kernel-modules-extra",
                   "kernel-devel", "kernel-headers", "kernel-tools", "kernel-tools-libs", "kernel-debug",
                   "kernel-debug-core", "kernel-debug-devel", "kernel-debug-modules", "kernel-abi-stablelists",
                   "kernel-doc", "kernel-rt", "kernel-rt-core", "kernel-rt-devel", "kernel-rt-modules",
                   "kernel-zfcpdump", "kernel-uki-virt", "bpftool", "perf", "python3-perf", "rtla", "rv",
                   "kernel-64k", "kernel-64k-core", "kernel-64k-devel", "libperf"]


def rpm_records(eco, count, material, rng, universe):
    if eco == "Red Hat":
        products = ["Red Hat:enterprise_linux:9::appstream", "Red Hat:enterprise_linux:9::baseos",
                    "Red Hat:enterprise_linux:8::appstream", "Red Hat:enterprise_linux:8::baseos",
                    "Red Hat:enterprise_linux:7::server", "Red Hat:rhel_eus:9.2::appstream",
                    "Red Hat:rhel_eus:9.4::baseos", "Red Hat:rhel_aus:8.6::baseos",
                    "Red Hat:rhel_e4s:9.0::appstream", "Red Hat:rhel_tus:8.8::appstream",
                    "Red Hat:openshift:4.14::el9", "Red Hat:rhel_els:7"]
        prefix, dist, ident_of = "0:", "el9_%d", lambda i, y: "RHSA-%d:%d" % (y, 1000 + i)
    elif eco == "AlmaLinux":
        products, prefix, dist = ["AlmaLinux:8", "AlmaLinux:9"], "", "el9_%d"
        ident_of = lambda i, y: "ALSA-%d:%d" % (y, 1000 + i)
    elif eco == "Rocky Linux":
        products, prefix, dist = ["Rocky Linux:8", "Rocky Linux:9"], "", "el8_%d"
        ident_of = lambda i, y: "RLSA-%d:%d" % (y, 1000 + i)
    elif eco == "SUSE":
        products = ["SUSE:Linux Enterprise Server 15 SP%d" % k for k in range(2, 7)] + \
                   ["SUSE:Linux Enterprise Desktop 15 SP%d" % k for k in range(4, 7)] + \
                   ["SUSE:Linux Enterprise Module for Basesystem 15 SP%d" % k for k in range(4, 7)] + \
                   ["SUSE:Linux Enterprise Server 12 SP5", "SUSE:Linux Enterprise Micro 5.5",
                    "SUSE:Linux Enterprise High Performance Computing 15 SP5",
                    "SUSE:Linux Enterprise Server for SAP Applications 15 SP5"]
        prefix, dist = "", "150500.%d.1"
        ident_of = lambda i, y: "SUSE-SU-%d:%d-1" % (y, 1000 + i)
    else:  # openSUSE
        products = ["openSUSE:Leap 15.4", "openSUSE:Leap 15.5", "openSUSE:Leap 15.6", "openSUSE:Tumbleweed",
                    "openSUSE:Leap Micro 5.5"]
        prefix, dist = "", "lp155.%d.1"
        ident_of = lambda i, y: "openSUSE-SU-%d:%d-1" % (y, 1000 + i)
    pick = zipf_picker(rng, universe, 1.0, 10)
    for i in range(count):
        kernel = rng.random() < 0.08
        source = "kernel" if kernel else pick()
        binaries = (rng.sample(KERNEL_BINARIES, rng.randint(15, 30)) if kernel else
                    [source + s for s in rng.sample(RPM_SUFFIXES, rng.randint(1, 12))])
        chosen = rng.sample(products, rng.randint(1, min(len(products), 6 if eco in ("SUSE", "openSUSE") else 3)))
        up = "%d.%d.%d" % (1 + _h(source) % 9, rng.randint(0, 20), rng.randint(0, 15))
        release = "%d.%s" % (rng.randint(1, 30), dist % rng.randint(0, 6))
        fixed = "%s%s-%s" % (prefix, up, release)
        affected = [{"package": {"ecosystem": product, "name": b,
                                 "purl": "pkg:rpm/%s/%s" % (eco.lower().replace(" ", ""), b)},
                     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}
                    for product in chosen for b in binaries]
        year = rng.randint(2019, 2025)
        ident = ident_of(i, year)
        cves = [cve(rng, 300000 + i * 20 + k) for k in range(rng.randint(1, 12 if not kernel else 40))]
        impact = rng.choice(["Low", "Moderate", "Important", "Critical"])
        fixes = "\n\n".join("* %s (%s)" % (rng.choice(material.details)[:400], c) for c in cves[:6])
        details = ("An update for %s is now available.\n\nRed Hat Product Security has rated this update as "
                   "having a security impact of %s. A Common Vulnerability Scoring System (CVSS) base score, "
                   "which gives a detailed severity rating, is available for each vulnerability from the CVE "
                   "link(s) in the References section.\n\nSecurity Fix(es):\n\n%s\n\nFor more details about the "
                   "security issue(s), including the impact, a CVSS score, acknowledgments, and other related "
                   "information, refer to the CVE page(s) listed in the References section." % (source, impact, fixes))
        published = timestamp(rng, year, year)
        yield ident, {
            "schema_version": "1.6.0", "id": ident, "modified": later(rng, published), "published": published,
            "related": cves, "summary": "%s: %s security update" % (impact, source), "details": details,
            "affected": affected, "severity": [cvss(rng, material)],
            "references": [{"type": "ADVISORY", "url": "https://access.redhat.com/errata/" + ident}]
            + [{"type": "REPORT", "url": "https://bugzilla.redhat.com/show_bug.cgi?id=%d" % (2000000 + rng.randint(0, 300000))} for _ in cves[:8]]
            + [{"type": "WEB", "url": "https://access.redhat.com/security/cve/" + c} for c in cves],
        }


def cga_records(eco, count, material, rng, universe):
    pick = zipf_picker(rng, universe[:3000], 0.9)
    for i in range(count):
        name = pick() + rng.choice(["", "", "-fips", "-1.21", "-3.12", "-17"])
        ident_cve = cve(rng, i)
        ident = ghsa(i, 991 if eco == "Wolfi" else 992).replace("GHSA-", "CGA-")
        up = "%d.%d.%d" % (1 + _h(name) % 9, rng.randint(0, 20), rng.randint(0, 15))
        published = timestamp(rng, 2022)
        yield ident, {
            "schema_version": "1.7.0", "id": ident, "aliases": [ident_cve, ghsa(i, 993)],
            "modified": later(rng, published), "published": published,
            "affected": [{"package": {"ecosystem": eco, "name": name},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s-r%d" % (up, rng.randint(0, 4))}]}]}],
            "details": rng.choice(material.details) if rng.random() < 0.5 else "",
        }


# --- Exports ----------------------------------------------------------------------------------

MATERIAL = None
UNIVERSE = None


def build_export(task):
    eco, count, out = task
    started = time.time()
    rng = random.Random("%d:%s" % (SEED, eco))
    plan = {}
    if eco == "npm":
        records = npm_records(count, MATERIAL, rng)
    elif eco in ("PyPI", "Maven", "Packagist", "NuGet", "RubyGems", "crates.io"):
        records = language_records(eco, count, MATERIAL, rng)
    elif eco == "Go":
        records = go_records(count, MATERIAL, rng)
    elif eco == "Debian":
        records = debian_records(count, MATERIAL, rng, UNIVERSE, plan)
    elif eco == "Ubuntu":
        records = ubuntu_records(count, MATERIAL, rng, UNIVERSE)
    elif eco == "Alpine":
        records = alpine_records(count, MATERIAL, rng, UNIVERSE)
    elif eco in ("Red Hat", "AlmaLinux", "Rocky Linux", "SUSE", "openSUSE"):
        records = rpm_records(eco, count, MATERIAL, rng, UNIVERSE)
    else:
        records = cga_records(eco, count, MATERIAL, rng, UNIVERSE)
    directory = os.path.join(out, eco)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "all.zip")
    written, raw, seen = 0, 0, set()
    with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for ident, record in records:
            if ident in seen:
                continue
            seen.add(ident)
            data = json.dumps(record, indent=2, ensure_ascii=False).encode()
            info = zipfile.ZipInfo(ident + ".json", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
            written += 1
            raw += len(data)
    os.replace(path + ".tmp", path)
    return eco, written, raw, os.path.getsize(path), time.time() - started, plan


def exports(args):
    global MATERIAL, UNIVERSE
    started = time.time()
    MATERIAL = Material(args.shared)
    UNIVERSE = distro_name_universe(MATERIAL, 6000)
    print("real templates: %d Go, %d RustSec, %d PyPA (%.1f s)" % (
        len(MATERIAL.go), len(MATERIAL.rust), len(MATERIAL.pypa), time.time() - started), flush=True)
    tasks = [(eco, max(1, int(round(n * args.scale))), args.out) for eco, n in COUNTS.items()]
    tasks.sort(key=lambda t: -t[1])
    plan = {"debian_names": UNIVERSE, "debian12": {}}
    total = [0, 0, 0]
    context = multiprocessing.get_context("fork")
    with context.Pool(args.jobs) as pool:
        for eco, written, raw, size, seconds, part in pool.imap_unordered(build_export, tasks):
            plan["debian12"].update(part.get("debian12", {}))
            total[0] += written
            total[1] += raw
            total[2] += size
            print("  %-12s %8d records %7.1f MB JSON %6.1f MB zip  %5.1f s" % (
                eco, written, raw / 1e6, size / 1e6, seconds), flush=True)
    with open(os.path.join(args.out, "plan.json"), "w") as f:
        json.dump(plan, f)
    print("  %-12s %8d records %7.1f MB JSON %6.1f MB zip  %5.1f s" % (
        "total", total[0], total[1] / 1e6, total[2] / 1e6, time.time() - started), flush=True)


# --- The image ----------------------------------------------------------------------------------

SECTIONS = ["libs", "utils", "devel", "admin", "net", "python", "perl", "text", "misc", "web", "doc"]


def stanza(package, source, version, binnmu, rng, words):
    lines = ["Package: " + package, "Status: install ok installed",
             "Priority: " + rng.choice(["optional", "optional", "important", "standard"]),
             "Section: " + rng.choice(SECTIONS), "Installed-Size: %d" % rng.randint(20, 40000),
             "Maintainer: Debian %s Maintainers <pkg-%s-maintainers@lists.alioth.debian.org>" % (
                 source.capitalize(), source),
             "Architecture: " + rng.choice(["amd64", "amd64", "all"])]
    if package.startswith("lib"):
        lines.append("Multi-Arch: same")
    if binnmu:
        lines.append("Source: %s (%s)" % (source, version))
        version += "+b%d" % rng.randint(1, 3)
    elif source != package:
        lines.append("Source: " + source)
    lines.append("Version: " + version)
    lines.append("Depends: libc6 (>= 2.34), " + ", ".join(
        "lib%s%d (>= %d.%d)" % (rng.choice(words), rng.randint(0, 9), rng.randint(0, 5), rng.randint(0, 9))
        for _ in range(rng.randint(0, 5))).rstrip(", "))
    summary = " ".join(rng.choice(words) for _ in range(rng.randint(3, 7)))
    body = [" " + " ".join(rng.choice(words) for _ in range(rng.randint(8, 14))) for _ in range(rng.randint(1, 5))]
    lines.append("Description: " + summary)
    lines.extend(body)
    if rng.random() < 0.3:
        lines.append("Homepage: https://%s.example.org/" % source)
    return "\n".join(lines) + "\n"


def binaries_of(source, count, rng):
    if source == "linux":
        return ["linux-libc-dev"]
    forms = [source, source + "-common", "lib%s%d" % (source, rng.randint(0, 9)), "lib%s-dev" % source,
             source + "-data", source + "-doc", "python3-" + source, source + "-utils", source + "-bin"]
    return forms[:count]


def image(args):
    rng = random.Random(SEED + 1)
    with open(args.plan) as f:
        plan = json.load(f)
    material_data = os.path.join(args.shared, "vulndata", "debian-12-changelog")
    minbase = open(os.path.join(material_data, "debian-12-minbase.status")).read().strip("\n") + "\n"
    os_release = open(os.path.join(material_data, "os-release"), "rb").read()
    debian_version = open(os.path.join(material_data, "debian_version"), "rb").read()
    words = sorted({w for n in plan["debian_names"] for w in re.split(r"[-_.0-9]+", n) if 3 <= len(w) <= 10})
    counts = plan["debian12"]
    minbase_packages = []  # (package, source) of the real minbase
    for s in minbase.split("\n\n"):
        fields = dict(re.findall(r"^(Package|Source): (\S+)", s, re.M))
        if fields:
            minbase_packages.append((fields["Package"], fields.get("Source", fields["Package"])))
    minbase_sources = {source for _, source in minbase_packages}
    taken = {package for package, _ in minbase_packages}
    with_advisories = sum(1 for _, source in minbase_packages if source in counts)
    # Sources with Debian:12 advisories: linux and the heaviest, then a random share, until
    # about 15% of the packages come from one.
    ranked = sorted(counts, key=lambda n: (-counts[n], n))
    others = [n for n in ranked[30:] if n not in minbase_sources]
    rng.shuffle(others)
    chosen = []
    for source in [n for n in ranked[:30] if n not in minbase_sources] + others:
        if with_advisories >= args.packages * 15 // 100:
            break
        count = 1 if source == "linux" else rng.choice([1, 1, 2, 2, 3, 4, 6])
        names = [b for b in binaries_of(source, count, rng) if b not in taken]
        if names:
            chosen.append((source, names))
            with_advisories += len(names)
            taken.update(names)
    # Sources without advisories: names of no generated Debian record.
    universe = set(plan["debian_names"])
    clean, clean_sources = [], set()
    while len(taken) < args.packages:
        a, b = rng.choice(words), rng.choice(words)
        source = rng.choice(["%s%s" % (a, b), "lib%s-%s" % (a, b), "%s-%s" % (a, b)])
        if source in universe or source in clean_sources or source in minbase_sources:
            continue
        room = args.packages - len(taken)
        names = [n for n in binaries_of(source, min(room, rng.choice([1, 1, 2, 2, 3])), rng) if n not in taken]
        if names:
            clean.append((source, names))
            clean_sources.add(source)
            taken.update(names)
    everything = [(s, n, True) for s, n in chosen] + [(s, n, False) for s, n in clean]
    rng.shuffle(everything)
    stanzas = [(source, text) for (_, source), text in zip(minbase_packages, minbase.strip("\n").split("\n\n"))]
    for source, names, _ in everything:
        version = deb12_installed(source)
        binnmu = rng.random() < 0.05
        for name in names:
            stanzas.append((source, stanza(name, source, version, binnmu, rng, words).rstrip("\n")))
    # A subset, for the breakdown of the matching cost (drawn from the same full list).
    keep = {"all": lambda s: True, "with-advisories": lambda s: s in counts,
            "without-advisories": lambda s: s not in counts, "linux": lambda s: s == "linux"}[args.subset]
    stanzas = [(source, text) for source, text in stanzas if keep(source)]
    status = "\n\n".join(text for _, text in stanzas) + "\n"
    sources = {source for source, _ in stanzas}
    sources_with = [s for s in sources if s in counts]
    write_layout(args.out, args.tag, [("etc/os-release", os_release), ("etc/debian_version", debian_version),
                                      ("var/lib/dpkg/status", status.encode())])
    print(json.dumps({
        "packages": len(stanzas),
        "sources": len(sources),
        "packages_from_sources_with_advisories": sum(1 for source, _ in stanzas if source in counts),
        "sources_with_advisories": len(sources_with),
        "debian12_records_of_installed_sources": sum(counts[s] for s in sources_with),
        "linux_records": counts.get("linux", 0) if "linux" in sources else 0,
        "status_bytes": len(status)}))


def write_layout(out, tag, files):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        directories = set()
        for path, data in files:
            parts = path.split("/")[:-1]
            for k in range(1, len(parts) + 1):
                d = "/".join(parts[:k])
                if d not in directories:
                    directories.add(d)
                    info = tarfile.TarInfo(d)
                    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
                    tar.addfile(info)
            info = tarfile.TarInfo(path)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    layer = raw.getvalue()
    compressed = gzip.compress(layer, mtime=0)
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)

    def put(data):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(out, "blobs", "sha256", digest), "wb") as f:
            f.write(data)
        return "sha256:" + digest

    layer_digest = put(compressed)
    config = json.dumps({
        "created": "1970-01-01T00:00:00Z", "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["bash"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:bench in / "}],
    }).encode()
    config_digest = put(config)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest,
                    "size": len(compressed)}],
    }).encode()
    manifest_digest = put(manifest)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest,
            "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": tag}}]}, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    e = commands.add_parser("exports")
    e.add_argument("--shared", required=True)
    e.add_argument("--out", required=True)
    e.add_argument("--scale", type=float, default=1.0)
    e.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    i = commands.add_parser("image")
    i.add_argument("--plan", required=True)
    i.add_argument("--shared", required=True)
    i.add_argument("--out", required=True)
    i.add_argument("--tag", default="bench")
    i.add_argument("--packages", type=int, default=5000)
    i.add_argument("--subset", default="all", choices=["all", "with-advisories", "without-advisories", "linux"],
                   help="keep only the packages built from these sources (default: all)")
    args = parser.parse_args()
    if args.command == "exports":
        exports(args)
    else:
        image(args)


if __name__ == "__main__":
    main()
