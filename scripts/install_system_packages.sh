#!/usr/bin/env bash
# Debian packages the tests need that a fresh machine lacks: installed when run as root (by `make test` and .ci/run);
# otherwise it stops at once, naming the one command to run. Installs nothing when all are there.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v npm >/dev/null 2>&1 || needed+=(npm)
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)  # tests/deploy
command -v nginx >/dev/null 2>&1 || needed+=(nginx)  # tests/deploy
# With `image` (make image-test): podman with runc, podman-compose, debootstrap for the local base image, and name
# resolution between containers on the compose network.
if [ "${1:-}" = image ]; then
  for tool in podman runc podman-compose debootstrap; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || needed+=("$tool")
  done
  [ -x /usr/lib/cni/dnsname ] || needed+=(golang-github-containernetworking-plugin-dnsname)
fi
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian packages: ${needed[*]}. Run once: sudo $0" >&2
    exit 1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${needed[@]}"
fi
