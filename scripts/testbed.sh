#!/usr/bin/env bash
# Builds the real Debian root filesystem the image tests scan, once, under target/testbed/:
#   debian-12/          debootstrap --variant=minbase bookworm (from the mirror apt uses)
#   debs/netbase.deb    a real package the tests install in a later layer
# Prints `NAME=VALUE` lines for the test environment. Needs root, debootstrap and the Debian
# package mirror; the mirror's address is never written into the tree or the output.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BED="${PORTCULLIS_TESTBED_DIR:-$ROOT/target/testbed}"
ROOTFS="$BED/debian-12"
DEBS="$BED/debs"
mkdir -p "$BED" "$DEBS"

mirror() {
    local uri=""
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
    fi
    if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
        uri="$(awk '$1 == "deb" && $0 ~ /bookworm/ {print $2; exit}' /etc/apt/sources.list)"
    fi
    [[ -n "$uri" ]] || { echo "testbed: no Debian mirror found in apt's sources" >&2; exit 1; }
    printf '%s\n' "$uri"
}

if [[ ! -x "$ROOTFS/bin/sh" || ! -f "$ROOTFS/.complete" ]]; then
    rm -rf "$ROOTFS"
    MIRROR="$(mirror)"
    echo "testbed: debootstrap minbase bookworm (about a minute)" >&2
    debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >"$BED/debootstrap.log" 2>&1 || {
        sed "s#$MIRROR#<mirror>#g" "$BED/debootstrap.log" | tail -20 >&2
        exit 1
    }
    # The mirror's address ends up in these two files: neutralise them.
    sed -i "s#$MIRROR#http://mirror.invalid/debian#g" "$ROOTFS/etc/apt/sources.list"
    rm -f "$ROOTFS/var/log/bootstrap.log" "$BED/debootstrap.log"
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
    touch "$ROOTFS/.complete"
fi

if [[ ! -f "$DEBS/netbase.deb" ]]; then
    (cd "$DEBS" && apt-get download -q netbase >/dev/null 2>&1) || {
        apt-get update -qq && (cd "$DEBS" && apt-get download -q netbase >/dev/null)
    }
    mv "$DEBS"/netbase_*.deb "$DEBS/netbase.deb"
fi

echo "PORTCULLIS_TEST_DEBIAN_ROOTFS=$ROOTFS"
echo "PORTCULLIS_TEST_DEBS=$DEBS"
