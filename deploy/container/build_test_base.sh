#!/usr/bin/env bash
# Build the local stand-in for python:3.10-slim that `make image-test` uses (no registry is reachable there):
# Debian bookworm (minbase, from the Debian mirror) plus this host's Python 3.10 (scripts/find_python.sh), copied in
# at the same path, with /usr/local/bin/python3 and python3.10 pointing at it. Imported as the podman image named
# by $1 (default localhost/untangle-test-base:bookworm). debootstrap's output is cached under build/image/ so a
# rerun only copies Python and imports.
# Run as root from the project root, with CONTAINERS_CONF set (mk/image.mk does both).
set -euo pipefail
image=${1:-localhost/untangle-test-base:bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=build/image
rootfs_cache=$cache/bookworm-minbase.tar
# What CPython's own extension modules link against (ssl, ctypes, sqlite3, bz2, lzma, readline, curses, uuid, dbm),
# and CA certificates for pip.
packages=ca-certificates,netbase,tzdata,libssl3,libffi8,libsqlite3-0,libbz2-1.0,liblzma5,libreadline8,libncursesw6,zlib1g,libuuid1,libgdbm6,libexpat1

python_bin=$(scripts/find_python.sh)
python_home=$(cd "$(dirname "$python_bin")/.." && pwd -P)
mkdir -p "$cache"
# Reused as long as this script, the Python and the CA bundle are the same: a new import would change the base's id
# and so rebuild every layer of the image.
key=$({ cat "$0"; "$python_bin" -VV; [ -n "${PIP_CERT:-}" ] && cat "$PIP_CERT"; } 2>/dev/null | sha256sum | cut -c1-16)
key_tag=${image%:*}:key-$key
if podman image exists "$key_tag" && [ "$(podman image inspect --format '{{.Id}}' "$key_tag" "$image" 2>/dev/null | uniq | wc -l)" = 1 ]; then
  echo "$image: up to date"; exit 0
fi

if [ ! -s "$rootfs_cache" ]; then
  work=$(mktemp -d "$PWD/$cache/debootstrap.XXXXXX")
  echo "debootstrap bookworm into $work (cached as $rootfs_cache)"
  debootstrap --variant=minbase --include="$packages" bookworm "$work" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; rm -rf "$work"; exit 1; }
  rm -rf "$work"/var/cache/apt/archives/*.deb "$work"/var/lib/apt/lists/*
  tar -C "$work" -cf "$rootfs_cache.partial" . && mv "$rootfs_cache.partial" "$rootfs_cache"
  rm -rf "$work"
fi

# Python goes in on every run (the host's may have changed); without its test suite, IDLE and tkinter.
rootfs=$(mktemp -d "$PWD/$cache/rootfs.XXXXXX")
trap 'rm -rf "$rootfs"' EXIT
tar -C "$rootfs" -xf "$rootfs_cache"
mkdir -p "$rootfs$python_home"
tar -C "$python_home" --exclude=./lib/python3.10/test --exclude=./lib/python3.10/idlelib \
  --exclude=./lib/python3.10/tkinter --exclude='*.pyc' --exclude=./lib/python3.10/site-packages \
  -cf - . | tar -C "$rootfs$python_home" -xf -
mkdir -p "$rootfs$python_home/lib/python3.10/site-packages"
# pip for the build stage (venv's ensurepip brings its own copy; this is for `python -m pip` outside a venv).
# A non-root user must be able to reach the interpreter, as in python:3.10-slim (/usr/local).
dir=$python_home
while [ "$dir" != / ]; do chmod o+rx "$rootfs$dir"; dir=$(dirname "$dir"); done
for name in python3 python3.10 python; do ln -sf "$python_home/bin/python3.10" "$rootfs/usr/local/bin/$name"; done
# This machine reaches PyPI through a TLS proxy with its own CA (PIP_CERT names the bundle that trusts it): the
# stand-in trusts the same bundle, and pip in the build stage is pointed at it. The official image needs neither.
changes=(--change 'CMD ["python3"]' --change 'ENV LANG=C.UTF-8')
if [ -n "${PIP_CERT:-}" ] && [ -s "$PIP_CERT" ]; then
  cp "$PIP_CERT" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  changes+=(--change 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt')
fi
# A marker the Containerfile can ignore: this base is the test stand-in, not the official image.
echo "untangle test base: Debian bookworm minbase + $("$python_bin" -V 2>&1)" > "$rootfs/etc/untangle-test-base"

tar -C "$rootfs" -cf - . | podman import "${changes[@]}" - "$image" >/dev/null 2>&1
podman tag "$image" "$key_tag"
echo "$image: $(podman run --rm --network host "$image" python3 -c 'import ssl, sqlite3, ctypes, sys; print(sys.version.split()[0])')"
